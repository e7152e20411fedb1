/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * TIME_WAIT records (RFC 9293 3.10.7.4, RFC 1337, RFC 6191, RFC 7323
 * 5.3). A connection entering TIME_WAIT is freed and replaced by a
 * 20-byte record holding only what is needed to answer the peer for
 * 2*MSL.
 *
 * The records live in a ring in creation order, and the ring is also
 * their timer: every record lasts the same 2*MSL, so the head is always
 * the next to expire, and expiry pops the head while it is due. There is
 * no wheel entry per record. Recycling the oldest record pops the head;
 * restarting the 2*MSL (a retransmitted FIN) moves the record to the tail
 * and leaves a dead slot behind, as do a reuse by SYN and an accepted RST;
 * dead slots are reclaimed when the head reaches them. The ring has
 * 1/16 more slots than max_time_wait for them, so the limit applies to
 * live records; only when dead slots overrun that slack does a full ring
 * apply the overflow policy early (counted the same way).
 *
 * The 4-tuple is not repeated in the record: the flow table entry holds
 * it, and its value is TCP_FT_TW | ring slot. The record keeps the hash
 * of the tuple instead, which is all flowtab_delete_val() needs to find
 * and remove that entry on expiry. So a record costs 20 bytes plus its
 * table entry (16 bytes at load <= 0.75: 21.3 bytes) and the ring slack
 * (1.25 bytes): 42.6 bytes in all.
 */
#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "tcp_internal.h"

static_assert(sizeof(struct tcp_tw) == 20, "TIME_WAIT record size");

/*
 * Distances, in records, of the prefetches on expiry: the table line of
 * a record, and before that the record itself (its hash is read then).
 */
#define TW_PREFETCH 16u
#define TW_PREFETCH_RING 64u
/* Ring slots beyond max_time_wait, for dead slots: n / 16 + 16. */
#define TW_SLACK_DIV 16u
#define TW_SLACK_MIN 16u
#define TW_HUGE (2u << 20)

/* What to do with a segment that hit a TIME_WAIT record. */
enum tcp_tw_verdict {
	TCP_TW_DROP = 0,	/* nothing to send */
	TCP_TW_ACK,		/* answer with an ACK */
	TCP_TW_RESTART,		/* ACK, and restart the 2*MSL */
	TCP_TW_KILL,		/* free the record (RST accepted) */
	TCP_TW_SYN,		/* free the record, open a new connection */
};

/*
 * Transparent huge pages over the 2 MiB-aligned part of the ring: the
 * packet path reaches records at random. Advisory.
 */
static void
tw_advise_huge(void *p, size_t len)
{
#ifdef MADV_HUGEPAGE
	uintptr_t a = ((uintptr_t)p + TW_HUGE - 1) & ~(uintptr_t)(TW_HUGE - 1);
	uintptr_t e = ((uintptr_t)p + len) & ~(uintptr_t)(TW_HUGE - 1);

	if (e > a)
		(void)madvise((void *)a, e - a, MADV_HUGEPAGE);
#else
	(void)p;
	(void)len;
#endif
}

/* Fault the ring in now, at start-up, rather than on the packet path. */
static void
tw_prefault(void *p, size_t len)
{
	volatile uint8_t *b = p;
	size_t i;

	for (i = 0; i < len; i += 4096)
		b[i] = 0;
}

int
tcp_tw_init(struct tcp_ctx *c)
{
	uint64_t n = c->p.max_time_wait;

	/* Slack for dead slots; table values tag the slot with bit 31. */
	if (n > 0)
		n += n / TW_SLACK_DIV + TW_SLACK_MIN;
	if (n > TCP_FT_TW - 1)
		n = TCP_FT_TW - 1;
	c->tws = calloc(n ? n : 1, sizeof(*c->tws));
	if (c->tws == NULL)
		return -ENOMEM;
	tw_advise_huge(c->tws, (size_t)(n ? n : 1) * sizeof(*c->tws));
	tw_prefault(c->tws, (size_t)(n ? n : 1) * sizeof(*c->tws));
	c->tw_cap = (uint32_t)n;
	c->tw_head = 0;
	c->tw_count = 0;
	c->tw_used = 0;
	c->mem += (size_t)(n ? n : 1) * sizeof(*c->tws);
	return 0;
}

void
tcp_tw_fini(struct tcp_ctx *c)
{
	free(c->tws);
}

size_t
tcp_tw_mem_bytes(const struct tcp_ctx *c)
{
	return (size_t)(c->tw_cap ? c->tw_cap : 1) * sizeof(*c->tws);
}

/* Ring slot of the i-th record from the head. */
static inline uint32_t
tw_slot(const struct tcp_ctx *c, uint32_t i)
{
	uint32_t s = c->tw_head + i;

	return s >= c->tw_cap ? s - c->tw_cap : s;
}

static inline void
tw_pop(struct tcp_ctx *c)
{
	c->tw_head = tw_slot(c, 1);
	c->tw_count--;
}

static inline bool
tw_live(const struct tcp_tw *tw)
{
	return tw->state & TCP_TWF_USED;
}

/* 2*MSL from now, rounded up to the millisecond: never early. */
static uint32_t
tw_deadline(const struct tcp_ctx *c, uint64_t now)
{
	uint64_t ms = (now + 2ull * c->p.msl_ms * 1000 + 999) / 1000;

	return (uint32_t)ms & TCP_TW_EXPIRY;
}

/* Expiry b minus a, in ms, modulo 2^29 and signed. */
static inline int32_t
tw_diff(uint32_t a, uint32_t b)
{
	uint32_t d = (b - a) & TCP_TW_EXPIRY;

	return d > TCP_TW_EXPIRY / 2 ? (int32_t)d - (int32_t)TCP_TW_EXPIRY - 1 :
		(int32_t)d;
}

static inline bool
tw_due(const struct tcp_tw *tw, uint32_t now_ms)
{
	return tw_diff(tw->state, now_ms) >= 0;
}

static inline void
tw_set_expiry(struct tcp_tw *tw, uint32_t expiry)
{
	tw->state = (tw->state & ~TCP_TW_EXPIRY) | expiry;
}

/* Our window shift toward this peer. */
static inline uint32_t
tw_shift(const struct tcp_ctx *c, const struct tcp_tw *tw)
{
	return tw->state & TCP_TWF_WS ? c->p.wscale : 0;
}

/* The window field of our ACKs: the full receive window, scaled. */
static uint16_t
tw_window(const struct tcp_ctx *c, const struct tcp_tw *tw)
{
	uint32_t w = c->p.rcv_wnd >> tw_shift(c, tw);

	return (uint16_t)(w > 65535 ? 65535 : w);
}

/* End a live record: its table entry goes, its slot becomes dead. */
static void
tw_kill(struct tcp_ctx *c, uint32_t idx)
{
	struct tcp_tw *tw = &c->tws[idx];

	flowtab_delete_val(c->ft, tw->hash, TCP_FT_TW | idx);
	tw->state = 0;
	c->tw_used--;
	tcp_gauge_move(c, TCP_TIME_WAIT, TCP_CLOSED);
}

static inline bool
tw_full(const struct tcp_ctx *c)
{
	return c->tw_used >= c->p.max_time_wait || c->tw_count == c->tw_cap;
}

/*
 * A slot at the tail. At the limit (max_time_wait live records, or no
 * free slot), dead slots at the head are reclaimed first; then the
 * oldest record is recycled (recycle-oldest) or nothing is returned
 * (refuse). The expiry pass keeps the head live, so the loop is short.
 */
static uint32_t
tw_alloc(struct tcp_ctx *c)
{
	if (c->tw_cap == 0)
		return TCP_NONE;
	if (tw_full(c)) {
		while (c->tw_count > 0 && !tw_live(&c->tws[c->tw_head]))
			tw_pop(c);
		if (tw_full(c)) {
			if (c->p.tw_overflow == TCP_TW_OVERFLOW_REFUSE)
				return TCP_NONE;
			tw_kill(c, c->tw_head);
			tw_pop(c);
			c->cnt.tw_overflow_recycled++;
		}
	}
	c->tw_count++;
	return tw_slot(c, c->tw_count - 1);
}

/* Replace a connection entering TIME_WAIT by a record. */
void
tcp_tw_enter(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now)
{
	uint32_t idx = tw_alloc(c);
	struct tcp_tw *tw;
	struct flow_key k;

	if (idx == TCP_NONE) {
		c->cnt.tw_overflow_refused++;
		tcp_conn_free(c, conn);
		return;
	}
	tw = &c->tws[idx];
	tcp_conn_key(&k, conn);
	tw->hash = flowtab_hash(c->ft, &k);
	tw->state = TCP_TWF_USED | tw_deadline(c, now) |
		(conn->flags & TCP_CF_TS ? TCP_TWF_TS : 0) |
		(conn->rcv_wscale ? TCP_TWF_WS : 0);
	tw->snd_nxt = conn->snd_nxt;
	tw->rcv_nxt = conn->rcv_nxt;
	tw->ts_recent = conn->ts_recent;
	flowtab_update(c->ft, &k, tw->hash, TCP_FT_TW | idx);
	c->tw_used++;
	/* The record takes over the connection's TIME_WAIT gauge. */
	tcp_set_state(c, conn, TCP_TIME_WAIT);
	conn->state = TCP_CLOSED;
	tcp_conn_release(c, conn, true);
	c->cnt.tw_created++;
}

/*
 * Expire due records from the head, at most budget ring slots (dead
 * slots are reclaimed on the way). The table line of the record
 * TW_PREFETCH places behind is prefetched while the head is deleted (a
 * record not due yet gets its line early: the next poll uses it), and
 * the ring line TW_PREFETCH_RING places behind, whose hash that needs.
 * Returns the slots processed.
 */
uint32_t
tcp_tw_expire(struct tcp_ctx *c, uint64_t now, uint32_t budget)
{
	uint32_t now_ms = tcp_ms(now), done = 0;
	const struct tcp_tw *tw;

	while (done < budget && c->tw_count > 0) {
		tw = &c->tws[c->tw_head];
		if (tw_live(tw)) {
			if (!tw_due(tw, now_ms))
				break;
			if (c->tw_count > TW_PREFETCH_RING)
				__builtin_prefetch(&c->tws[tw_slot(c,
						   TW_PREFETCH_RING)]);
			if (c->tw_count > TW_PREFETCH)
				flowtab_prefetch_delete(c->ft,
					c->tws[tw_slot(c, TW_PREFETCH)].hash);
			tw_kill(c, c->tw_head);
			c->cnt.tw_expired++;
		}
		tw_pop(c);
		done++;
	}
	return done;
}

/*
 * Restart the 2*MSL: the record moves to the tail (the ring stays in
 * expiry order). If the ring is full and the policy is refuse, the
 * record keeps its deadline. Returns the record's slot.
 */
static uint32_t
tw_restart(struct tcp_ctx *c, uint32_t idx, const struct net_seg *seg,
	   uint64_t now)
{
	struct tcp_tw rec = c->tws[idx];
	struct flow_key k;
	uint32_t nidx;

	if (idx == tw_slot(c, c->tw_count - 1)) {
		tw_set_expiry(&c->tws[idx], tw_deadline(c, now));
		return idx;
	}
	/* Free the slot first: a full ring may then reuse it. */
	c->tws[idx].state = 0;
	c->tw_used--;
	nidx = tw_alloc(c);
	c->tw_used++;
	if (nidx == TCP_NONE) {
		c->tws[idx].state = rec.state;
		return idx;
	}
	tw_set_expiry(&rec, tw_deadline(c, now));
	c->tws[nidx] = rec;
	tcp_flow_key(&k, seg->saddr, seg->daddr, seg->sport, seg->dport);
	flowtab_update(c->ft, &k, rec.hash, TCP_FT_TW | nidx);
	return nidx;
}

static void
tw_send_ack(struct tcp_ctx *c, const struct tcp_tw *tw,
	    const struct net_seg *seg, uint64_t now)
{
	struct tcp_out *o = tcp_out_push(c);

	if (o == NULL)
		return;
	o->laddr = seg->daddr;
	o->raddr = seg->saddr;
	o->lport = seg->dport;
	o->rport = seg->sport;
	o->seq = tw->snd_nxt;
	o->ack = tw->rcv_nxt;
	o->wnd = tw_window(c, tw);
	o->flags = NET_TCP_ACK;
	if (tw->state & TCP_TWF_TS) {
		o->opts.has = NET_OPT_TS;
		o->opts.tsval = tcp_ms(now) + tcp_ts_offset(c, o->laddr,
				o->lport, o->raddr, o->rport);
		o->opts.tsecr = tw->ts_recent;
	}
}
/* RFC 6191 (and its sequence-number fallback): may this SYN reuse? */
static bool
tw_syn_reusable(const struct tcp_ctx *c, const struct tcp_tw *tw,
		const struct net_seg *seg)
{
	bool seq_ok = net_seq_gt(seg->seq, tw->rcv_nxt);

	switch (c->p.tw_reuse) {
	case TCP_TW_REUSE_SEQ:
		return seq_ok;
	case TCP_TW_REUSE_TIMESTAMPS:
		if ((tw->state & TCP_TWF_TS) && (seg->opts.has & NET_OPT_TS))
			return (int32_t)(seg->opts.tsval - tw->ts_recent) > 0;
		return seq_ok;
	default:
		return false;
	}
}

/*
 * RFC 9293 3.10.7.4 second, TIME-WAIT: a RST closes the connection, with
 * RFC 5961 3.2 (only exactly at RCV.NXT; in the window but not exact: a
 * challenge ACK; outside: silently dropped) and RFC 1337 (rfc1337: every
 * RST is ignored, against TIME-WAIT assassination).
 */
static enum tcp_tw_verdict
tw_rst(struct tcp_ctx *c, const struct tcp_tw *tw, const struct net_seg *seg)
{
	uint32_t wnd = (uint32_t)tw_window(c, tw) << tw_shift(c, tw);

	if (seg->seq != tw->rcv_nxt &&
	    !net_seq_in(seg->seq, tw->rcv_nxt, tw->rcv_nxt + wnd)) {
		c->cnt.drop_out_of_window++;
		return TCP_TW_DROP;
	}
	if (c->p.rfc1337) {
		c->cnt.rst_rx_ignored++;
		return TCP_TW_DROP;
	}
	if (seg->seq != tw->rcv_nxt) {
		c->cnt.challenge_ack++;
		return TCP_TW_ACK;
	}
	c->cnt.rst_rx++;
	return TCP_TW_KILL;
}

/*
 * Decide what a segment does to a TIME_WAIT record (the caller acts),
 * like Linux tcp_timewait_state_process().
 */
static enum tcp_tw_verdict
tw_process(struct tcp_ctx *c, struct tcp_tw *tw, const struct net_seg *seg)
{
	uint8_t f = seg->flags;

	if (f & NET_TCP_RST)
		return tw_rst(c, tw, seg);
	/* RFC 6191: a new SYN may open a new incarnation of the tuple. */
	if ((f & NET_TCP_SYN) && !(f & (NET_TCP_ACK | NET_TCP_FIN)) &&
	    tw_syn_reusable(c, tw, seg))
		return TCP_TW_SYN;
	/* RFC 7323 5.3: PAWS. */
	if ((tw->state & TCP_TWF_TS) && (seg->opts.has & NET_OPT_TS) &&
	    (int32_t)(seg->opts.tsval - tw->ts_recent) < 0) {
		c->cnt.drop_paws++;
		return TCP_TW_ACK;
	}
	/*
	 * RFC 9293 3.10.7.4 fifth, TIME-WAIT: the only thing that can arrive
	 * is a retransmission of the remote FIN: acknowledge it and restart
	 * the 2 MSL timeout.
	 */
	if ((f & NET_TCP_FIN) && !(f & NET_TCP_SYN) &&
	    seg->seq + seg->len == tw->rcv_nxt - 1) {
		c->cnt.tw_reack++;
		if (seg->opts.has & NET_OPT_TS)
			tw->ts_recent = seg->opts.tsval;
		return TCP_TW_RESTART;
	}
	/* RFC 5961 4.2: any other SYN gets a challenge ACK. */
	if (f & NET_TCP_SYN) {
		c->cnt.challenge_ack++;
		return TCP_TW_ACK;
	}
	if (!(f & NET_TCP_ACK)) {
		c->cnt.drop_no_ack_flag++;
		return TCP_TW_DROP;
	}
	/* An in-window bare ACK needs no answer; anything else gets one. */
	if (seg->seq == tw->rcv_nxt && seg->len == 0 && !(f & NET_TCP_FIN))
		return TCP_TW_DROP;
	c->cnt.drop_out_of_window++;
	return TCP_TW_ACK;
}

void
tcp_tw_input(struct tcp_ctx *c, uint32_t idx, const struct net_seg *seg,
	     uint64_t now)
{
	struct tcp_tw *tw;
	const struct tcp_listener *l;
	uint32_t isn;

	if (idx >= c->tw_cap || !tw_live(&c->tws[idx]))
		return;
	tw = &c->tws[idx];
	switch (tw_process(c, tw, seg)) {
	case TCP_TW_ACK:
		tw_send_ack(c, tw, seg, now);
		break;
	case TCP_TW_RESTART:
		idx = tw_restart(c, idx, seg, now);
		tw_send_ack(c, &c->tws[idx], seg, now);
		break;
	case TCP_TW_KILL:
		tw_kill(c, idx);
		break;
	case TCP_TW_SYN:
		/* RFC 6191: the new ISN lies above the old incarnation's. */
		isn = tw->snd_nxt + 65535 + 2;
		c->cnt.tw_reused++;
		tw_kill(c, idx);
		l = tcp_listener_find(c, seg->dport);
		if (l != NULL) {
			tcp_listen_input(c, l, seg, now, isn, true);
		} else {
			c->cnt.drop_no_listener++;
			tcp_send_rst_seg(c, seg);
		}
		break;
	default:
		break;
	}
}

/*
 * The ring against the pool counters: live records are counted, in
 * expiry order, and every slot outside the ring is dead. 0 or -1.
 */
int
tcp_tw_check(const struct tcp_ctx *c)
{
	uint32_t i, live = 0, last = 0;
	const struct tcp_tw *tw;

	if (c->tw_count > c->tw_cap || (c->tw_cap && c->tw_head >= c->tw_cap))
		return -1;
	for (i = 0; i < c->tw_cap; i++) {
		tw = &c->tws[tw_slot(c, i)];
		if (i >= c->tw_count) {
			if (tw_live(tw))
				return -1;
			continue;
		}
		if (!tw_live(tw))
			continue;
		if (live > 0 && tw_diff(last, tw->state) < 0)
			return -1;
		last = tw->state;
		live++;
	}
	return live == c->tw_used ? 0 : -1;
}
