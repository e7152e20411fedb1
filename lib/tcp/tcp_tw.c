/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * TIME_WAIT records (RFC 9293 3.10.7.4, RFC 1337, RFC 6191, RFC 7323
 * 5.3). A connection entering TIME_WAIT is freed and replaced by a
 * 24-byte record holding only what is needed to answer the peer for
 * 2*MSL.
 *
 * The records live in a ring in creation order, and the ring is also
 * their timer: every record lasts the same 2*MSL, so the head is always
 * the next to expire, and expiry pops the head while it is due. There is
 * no wheel entry per record. Recycling the oldest record pops the head.
 * Restarting the 2*MSL (a retransmitted FIN) happens in place: the
 * record gets its new expiry and the RESTARTED flag, and when the head
 * reaches it before that expiry it moves to the tail (second chance).
 * So restarts take no slot: no peer can push other records out of the
 * ring by retransmitting FINs. A reuse by SYN and an accepted RST leave
 * a dead slot, reclaimed when the head reaches it; the ring has 1/16
 * more slots than max_time_wait for them, so the limit applies to live
 * records.
 *
 * A SYN that reopens the tuple (RFC 6191) does not end the record at
 * once. Nothing changes until the SYN has passed every limit (source,
 * pool, SYN_RECEIVED budget): a SYN dropped there, refused, or answered
 * with a SYN cookie leaves the record as it was. Then the record's table
 * entry is handed to the new connection, and the record leaves the
 * TIME_WAIT gauge but keeps its slot, flagged REOPENED and linked both
 * ways with the new SYN_RECEIVED connection (tcp_conn.tw_slot,
 * tcp_tw.last_reply; the ring is the connection's family's). If that
 * connection ends in SYN_RECEIVED (reset: the SYN was an old duplicate;
 * its SYN-ACK given up or timed out; a second SYN; an abort), the record
 * takes the tuple back for the rest of its 2*MSL (RFC 1122 4.2.2.13
 * (2), tcp_tw_return()); if it reaches ESTABLISHED, the slot dies, as
 * it does when the record's own 2*MSL ends first or its ring recycles
 * it.
 * Linux does not do this: tcp_v4_rcv() frees the TIME_WAIT socket
 * (inet_twsk_deschedule_put()) before the listener sees the SYN, so a
 * reset request socket leaves the tuple unknown; FreeBSD's tcp_twcheck()
 * likewise closes the tcptw first.
 *
 * The 4-tuple is not repeated in the record: the flow table entry holds
 * it, and its value is TCP_FT_TW | ring slot. The record keeps the hash
 * of the tuple instead, which is all flowtab_delete_val() and
 * flowtab_update_val() need to find that entry. So a record costs 24
 * bytes plus its table entry (16 bytes at load <= 0.75: 21.3 bytes) and
 * the ring slack (1.5 bytes): 46.8 bytes in all.
 *
 * IPv6 records live in a second ring of their own (max_time_wait6
 * records, only when the context has IPv6), with the same 24-byte records
 * and the addresses of each beside it (struct tcp_addr6, 32 bytes, same
 * slot), so IPv4 records do not grow: 24 + 32 + 21.3 + 3.5 (slack of
 * both) = 80.8 bytes per IPv6 record. Their table value is TCP_FT_TW |
 * TCP_FT_TW6 | slot; their table key is the fold of flowtab_key6(), and
 * a hit is checked against the addresses kept (tcp_tw_input()).
 */
#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tcp_internal.h"
#include "tt_mem.h"

static_assert(sizeof(struct tcp_tw) == 24, "TIME_WAIT record size");

/*
 * Distances, in records, of the prefetches on expiry: the table line of
 * a record, and before that the record itself (its hash is read then).
 */
#define TW_PREFETCH 16u
#define TW_PREFETCH_RING 64u
/* Ring slots beyond max_time_wait, for dead slots: n / 16 + 16. */
#define TW_SLACK_DIV 16u
#define TW_SLACK_MIN 16u

/* What tw_process() decides; tcp_tw_input() acts on it. */
enum tw_action {
	TW_NONE = 0, /* nothing to send */
	TW_ACK,	     /* answer with an ACK */
	TW_RESTART,  /* ACK, and restart the 2*MSL */
	TW_KILL,     /* free the record (RST accepted) */
	TW_REUSE,    /* a SYN that may open a new connection */
	TW_COOKIE,   /* the ACK of a cookie such a SYN drew */
};

/* Bytes of a ring's slots: records, and addresses for IPv6. */
static size_t
twr_slot_bytes(const struct tcp_twr *r)
{
	return sizeof(struct tcp_tw) +
		(r->tag & TCP_FT_TW6 ? sizeof(struct tcp_addr6) : 0);
}

/* A ring of max records (and addresses when tag says IPv6). */
static int
twr_init(struct tcp_ctx *c, struct tcp_twr *r, uint32_t max, uint32_t tag)
{
	uint64_t n = max;

	/* Slack for dead slots; table values tag the slot with bits 31-30. */
	if (n > 0)
		n += n / TW_SLACK_DIV + TW_SLACK_MIN;
	if (n > TCP_FT_TW_SLOT)
		n = TCP_FT_TW_SLOT;
	r->tag = tag;
	r->max = max;
	r->tws = calloc(n ? n : 1, sizeof(*r->tws));
	if (r->tws == NULL)
		return -ENOMEM;
	tt_advise_huge(r->tws, (size_t)(n ? n : 1) * sizeof(*r->tws));
	tt_prefault(r->tws, (size_t)(n ? n : 1) * sizeof(*r->tws));
	if (tag & TCP_FT_TW6) {
		r->a6 = calloc(n ? n : 1, sizeof(*r->a6));
		if (r->a6 == NULL)
			return -ENOMEM;
		tt_prefault(r->a6, (size_t)(n ? n : 1) * sizeof(*r->a6));
	}
	r->cap = (uint32_t)n;
	r->head = 0;
	r->count = 0;
	r->used = 0;
	c->mem += (size_t)(n ? n : 1) * twr_slot_bytes(r);
	return 0;
}

int
tcp_tw_init(struct tcp_ctx *c)
{
	int rc = twr_init(c, &c->twr[TCP_TWR_V4], c->p.max_time_wait,
			  TCP_FT_TW);

	c->tw_used = 0;
	if (rc != 0 || !c->p.ipv6)
		return rc;
	return twr_init(c, &c->twr[TCP_TWR_V6], c->p.max_time_wait6,
			TCP_FT_TW | TCP_FT_TW6);
}

void
tcp_tw_fini(struct tcp_ctx *c)
{
	unsigned int i;

	for (i = 0; i < 2; i++) {
		free(c->twr[i].tws);
		free(c->twr[i].a6);
	}
}

size_t
tcp_tw_mem_bytes(const struct tcp_ctx *c)
{
	size_t n = 0;
	unsigned int i;

	for (i = 0; i < 2; i++)
		if (c->twr[i].tws != NULL)
			n += (size_t)(c->twr[i].cap ? c->twr[i].cap : 1) *
				twr_slot_bytes(&c->twr[i]);
	return n;
}

/* Ring slot of the i-th record from the head. */
static inline uint32_t
tw_slot(const struct tcp_twr *r, uint32_t i)
{
	uint32_t s = r->head + i;

	return s >= r->cap ? s - r->cap : s;
}

static inline void
tw_pop(struct tcp_twr *r)
{
	r->head = tw_slot(r, 1);
	r->count--;
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
	uint64_t ms = (now + c->us.msl2 + 999) / 1000;

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

/* The ring of a connection's family. */
static struct tcp_twr *
tw_ring_of(struct tcp_ctx *c, const struct tcp_conn *conn)
{
	struct tcp_twr *r =
		&c->twr[conn->flags & TCP_CF_V6 ? TCP_TWR_V6 : TCP_TWR_V4];

	TCP_KEEP_POINTER(r);
	return r;
}

/*
 * The index of the connection a reopened record idx of ring r is linked
 * with, or TCP_NONE when the link is gone.
 */
static uint32_t
tw_linked(const struct tcp_ctx *c, const struct tcp_twr *r, uint32_t idx)
{
	uint32_t ci = r->tws[idx].last_reply;
	bool v6 = r == &c->twr[TCP_TWR_V6];

	if (ci >= c->p.max_connections || c->conns[ci].tw_slot != idx ||
	    !(c->conns[ci].flags & TCP_CF_V6) != !v6)
		return TCP_NONE;
	return ci;
}

/*
 * The end of a reopened record, which is in neither the table nor the
 * counts: only its link to the connection goes. Out of line, so that
 * tw_kill() stays small enough to be in line in the expiry loop.
 */
static __attribute__((noinline)) void
tw_unlink(struct tcp_ctx *c, struct tcp_twr *r, uint32_t idx)
{
	uint32_t ci = tw_linked(c, r, idx);

	if (ci != TCP_NONE)
		c->conns[ci].tw_slot = TCP_NONE;
	r->tws[idx].state = 0;
}

/*
 * End a live record: its table entry goes, its slot becomes dead (a
 * reopened one: tw_unlink()). In line: every connection's record ends
 * here once, most from the expiry loop, which saves the call; the copies
 * in the rarer callers (recycling, reopening, the owner's return) were
 * measured with it and cost nothing per connection.
 */
static inline __attribute__((always_inline)) void
tw_kill(struct tcp_ctx *c, struct tcp_twr *r, uint32_t idx)
{
	struct tcp_tw *tw = &r->tws[idx];

	if (tw->state & TCP_TWF_REOPENED) {
		tw_unlink(c, r, idx);
		return;
	}
	flowtab_delete_val(c->ft, tw->hash, r->tag | idx);
	tw->state = 0;
	r->used--;
	c->tw_used--;
	tcp_gauge_move(c, TCP_TIME_WAIT, TCP_CLOSED);
}

static inline bool
tw_full(const struct tcp_twr *r)
{
	return r->used >= r->max || r->count == r->cap;
}

static void tw_requeue(struct tcp_ctx *c, struct tcp_twr *r);

/*
 * A slot at the tail. At the limit (max_time_wait live records, or no
 * free slot), dead slots at the head are reclaimed first and restarted
 * records at the head get their second chance; then the oldest record
 * by deadline is recycled (recycle-oldest) or nothing is returned
 * (refuse). A record is requeued at most once per restart, and the
 * expiry pass keeps the head live, so the loop is short.
 */
static uint32_t
tw_alloc(struct tcp_ctx *c, struct tcp_twr *r)
{
	const struct tcp_tw *head;

	if (r->cap == 0)
		return TCP_NONE;
	if (tw_full(r)) {
		while (r->count > 0) {
			head = &r->tws[r->head];
			if (!tw_live(head)) {
				tw_pop(r);
			} else if (head->state & TCP_TWF_REOPENED) {
				/* Its return to TIME_WAIT is given up. */
				tw_kill(c, r, r->head);
				tw_pop(r);
				c->cnt.tw_overflow_recycled++;
			} else if (head->state & TCP_TWF_RESTARTED)
				tw_requeue(c, r);
			else
				break;
		}
		if (tw_full(r)) {
			if (c->p.tw_overflow == TCP_TW_OVERFLOW_REFUSE)
				return TCP_NONE;
			tw_kill(c, r, r->head);
			tw_pop(r);
			c->cnt.tw_overflow_recycled++;
		}
	}
	r->count++;
	return tw_slot(r, r->count - 1);
}

/*
 * tcp_conn_hash() of a connection entering TIME_WAIT, its first test in
 * line: nearly always the segment being handled is the connection's
 * (its FIN or ACK moves it here), whose hash is kept in c->in_hash. The
 * call, hashing the tuple again, is left for a timer's transition.
 */
static inline uint32_t
tw_conn_hash(const struct tcp_ctx *c, const struct tcp_conn *conn)
{
	if (c->in_seg != NULL && conn->idx == c->in_conn &&
	    conn->gen == c->in_gen)
		return c->in_hash;
	return tcp_conn_hash(c, conn);
}

/* Replace a connection entering TIME_WAIT by a record. */
void
tcp_tw_enter(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now)
{
	struct tcp_twr *r = tw_ring_of(c, conn);
	uint32_t idx = tw_alloc(c, r);
	struct tcp_tw *tw;

	if (idx == TCP_NONE) {
		c->cnt.tw_overflow_refused++;
		tcp_conn_free(c, conn);
		return;
	}
	tw = &r->tws[idx];
	if (r->a6 != NULL)
		r->a6[idx] = c->a6[conn->idx];
	tw->hash = tw_conn_hash(c, conn);
	r->tail_expiry = tw_deadline(c, now);
	tw->last_reply = 0;
	tw->state = TCP_TWF_USED | r->tail_expiry |
		(conn->flags & TCP_CF_TS ? TCP_TWF_TS : 0) |
		(conn->rcv_wscale ? TCP_TWF_WS : 0);
	tw->snd_nxt = conn->snd_nxt;
	tw->rcv_nxt = conn->rcv_nxt;
	tw->ts_recent = conn->ts_recent;
	/*
	 * The entry holding the connection's index is its own, usually
	 * where the segment moving it here was found.
	 */
	flowtab_update_val_at(c->ft, tw->hash, c->in_slot, conn->idx,
			      r->tag | idx);
	r->used++;
	c->tw_used++;
	/* The record takes over the connection's TIME_WAIT gauge. */
	tcp_set_state(c, conn, TCP_TIME_WAIT);
	tcp_conn_release(c, conn, true);
	c->cnt.tw_created++;
}

/*
 * Second chance: the head was restarted and is not due; move it to the
 * tail, no earlier than the record there (the ring stays in expiry
 * order), and point its table entry at the new slot.
 */
static void
tw_requeue(struct tcp_ctx *c, struct tcp_twr *r)
{
	uint32_t from = r->head, to;
	struct tcp_tw rec = r->tws[from];
	uint32_t ci = TCP_NONE;

	if (rec.state & TCP_TWF_REOPENED)
		ci = tw_linked(c, r, from);
	r->tws[from].state = 0;
	tw_pop(r);
	to = tw_slot(r, r->count);
	r->count++;
	rec.state &= ~TCP_TWF_RESTARTED;
	if (tw_diff(rec.state, r->tail_expiry) > 0)
		tw_set_expiry(&rec, r->tail_expiry);
	r->tail_expiry = rec.state & TCP_TW_EXPIRY;
	r->tws[to] = rec;
	if (r->a6 != NULL)
		r->a6[to] = r->a6[from];
	if (!(rec.state & TCP_TWF_REOPENED))
		flowtab_update_val(c->ft, rec.hash, r->tag | from, r->tag | to);
	else if (ci != TCP_NONE)
		c->conns[ci].tw_slot = to;
	c->cnt.tw_requeued++;
}

/*
 * Expire due records from the head, at most budget ring slots (dead
 * slots are reclaimed on the way). The table line of the record
 * TW_PREFETCH places behind is prefetched while the head is deleted (a
 * record not due yet gets its line early: the next poll uses it), and
 * the ring line TW_PREFETCH_RING places behind, whose hash that needs.
 * With clk, its clock is read every TCP_TW_CLOCK_EVERY records popped,
 * and past its deadline *stopped is set and the call returns.
 * Returns the slots processed.
 */
static uint32_t
twr_expire(struct tcp_ctx *c, struct tcp_twr *r, uint32_t now_ms,
	   uint32_t budget, const struct wheel_clock *clk, bool *stopped)
{
	const struct tcp_tw *tw;
	uint32_t done = 0, pops = 0;

	while (done < budget && r->count > 0 && !*stopped) {
		tw = &r->tws[r->head];
		if (tw_live(tw)) {
			if (!tw_due(tw, now_ms)) {
				if (!(tw->state & TCP_TWF_RESTARTED))
					break;
				tw_requeue(c, r);
				done++;
				continue;
			}
			if (r->count > TW_PREFETCH_RING)
				__builtin_prefetch(
					&r->tws[tw_slot(r, TW_PREFETCH_RING)]);
			if (r->count > TW_PREFETCH)
				flowtab_prefetch_delete(
					c->ft,
					r->tws[tw_slot(r, TW_PREFETCH)].hash);
			tw_kill(c, r, r->head);
			c->cnt.tw_expired++;
		}
		tw_pop(r);
		done++;
		if (clk != NULL && ++pops % TCP_TW_CLOCK_EVERY == 0 &&
		    clk->now(clk->arg) >= clk->deadline)
			*stopped = true;
	}
	return done;
}

/*
 * Both rings: IPv6 gets at most half the budget first, IPv4 the rest,
 * then IPv6 what IPv4 left, so a backlog of one family never holds the
 * other's expiries back.
 */
uint32_t
tcp_tw_expire(struct tcp_ctx *c, uint64_t now, uint32_t budget,
	      const struct wheel_clock *clk, bool *stopped)
{
	uint32_t now_ms = tcp_ms(now), done;

	done = twr_expire(c, &c->twr[TCP_TWR_V6], now_ms, budget / 2, clk,
			  stopped);
	done += twr_expire(c, &c->twr[TCP_TWR_V4], now_ms, budget - done, clk,
			   stopped);
	return done +
		twr_expire(c, &c->twr[TCP_TWR_V6], now_ms, budget - done, clk,
			   stopped);
}

/* RFC 9293 3.10.7.4: restart the 2 MSL timeout, in place. */
static void
tw_restart(struct tcp_ctx *c, struct tcp_tw *tw, uint64_t now)
{
	tw_set_expiry(tw, tw_deadline(c, now));
	tw->state |= TCP_TWF_RESTARTED;
}

/*
 * Replies to invalid segments without data or FIN (out of window, PAWS,
 * challenge ACKs): one per invalid_ratelimit_ms per record, as Linux's
 * tcp_timewait_check_oow_rate_limit(): a flood aimed at a TIME_WAIT
 * tuple, or an ACK loop with a confused peer, draws at most that.
 */
static bool
tw_reply_allowed(struct tcp_ctx *c, struct tcp_tw *tw, uint64_t now)
{
	uint32_t ms = tcp_ms(now) | 1;

	if (c->p.invalid_ratelimit_ms != 0 && tw->last_reply != 0 &&
	    ms - tw->last_reply < c->p.invalid_ratelimit_ms) {
		c->cnt.tw_reply_limited++;
		return false;
	}
	tw->last_reply = ms;
	return true;
}

static void
tw_send_ack(struct tcp_ctx *c, const struct tcp_tw *tw,
	    const struct net_seg *seg, uint64_t now)
{
	struct tcp_out *o = tcp_out_reply(c, seg);
	struct tcp_ends e;

	if (o == NULL)
		return;
	tcp_seg_ends(seg, &e);
	o->seq = tw->snd_nxt;
	o->ack = tw->rcv_nxt;
	o->wnd = tw_window(c, tw);
	o->flags = NET_TCP_ACK;
	if (tw->state & TCP_TWF_TS) {
		o->opts.has = NET_OPT_TS;
		o->opts.tsval = tcp_ms(now) + tcp_ts_offset(c, &e);
		o->opts.tsecr = tw->ts_recent;
	}
}
/*
 * RFC 6191 2 (and its sequence-number fallback): may this SYN reuse?
 * When the old incarnation used timestamps, a SYN with one opens the
 * tuple if its TSval is newer, or equal with a sequence number that
 * passes the test below (a client reusing its port within one tick of
 * its timestamp clock, such as Linux's millisecond); an older TSval
 * never does. When it did not, a SYN that brings timestamps opens the
 * tuple whatever its sequence number: the old incarnation's duplicates
 * carry no TSopt, and the new one drops such segments (drop_ts_missing,
 * RFC 7323 3.2). Otherwise the sequence number decides: the ISN must be
 * "greater than the last sequence number seen on the previous
 * incarnation" (RFC 6191 2; RFC 1122 4.2.2.13: "larger than the largest
 * sequence number used"), the peer's FIN at RCV.NXT - 1, so RCV.NXT
 * itself passes. Linux and the BSDs want more than RCV.NXT.
 */
static bool
tw_syn_reusable(const struct tcp_ctx *c, const struct tcp_tw *tw,
		const struct net_seg *seg)
{
	bool seq_ok = net_seq_geq(seg->seq, tw->rcv_nxt);
	bool ts = (seg->opts.has & NET_OPT_TS) && c->p.timestamps;
	int32_t newer;

	switch (c->p.tw_reuse) {
	case TCP_TW_REUSE_SEQ:
		return seq_ok;
	case TCP_TW_REUSE_TIMESTAMPS:
		if (!(tw->state & TCP_TWF_TS))
			return ts || seq_ok;
		if (!ts)
			return seq_ok;
		newer = (int32_t)(seg->opts.tsval - tw->ts_recent);
		return newer > 0 || (newer == 0 && seq_ok);
	default:
		return false;
	}
}

/*
 * RFC 6191 2: a SYN refused by its tests is dropped silently when the old
 * incarnation used timestamps; otherwise "the processing rules in RFC
 * 793 apply", RFC 5961 4.2's challenge ACK (as with reuse off).
 */
static bool
tw_syn_refused_silently(const struct tcp_ctx *c, const struct tcp_tw *tw)
{
	return c->p.tw_reuse == TCP_TW_REUSE_TIMESTAMPS &&
		(tw->state & TCP_TWF_TS);
}

/*
 * RFC 9293 3.10.7.4 first: the acceptability test, against the window
 * the record's ACKs offer (tw_window()), never zero.
 */
static bool
tw_seq_acceptable(const struct tcp_ctx *c, const struct tcp_tw *tw,
		  const struct net_seg *seg)
{
	uint32_t wnd = (uint32_t)tw_window(c, tw) << tw_shift(c, tw);
	uint32_t len = net_seg_seqlen(seg), nxt = tw->rcv_nxt;

	if (seg->seq == nxt || net_seq_in(seg->seq, nxt, nxt + wnd))
		return true;
	return len != 0 && net_seq_in(seg->seq + len - 1, nxt, nxt + wnd);
}

/*
 * RFC 9293 3.10.7.4 second, TIME-WAIT: a RST closes the connection, with
 * RFC 5961 3.2 (only exactly at RCV.NXT; in the window but not exact: a
 * challenge ACK; outside: silently dropped) and RFC 1337 (rfc1337: every
 * RST is ignored, against TIME-WAIT assassination).
 */
static enum tw_action
tw_rst(struct tcp_ctx *c, const struct tcp_tw *tw, const struct net_seg *seg)
{
	uint32_t wnd = (uint32_t)tw_window(c, tw) << tw_shift(c, tw);

	if (seg->seq != tw->rcv_nxt &&
	    !net_seq_in(seg->seq, tw->rcv_nxt, tw->rcv_nxt + wnd)) {
		c->cnt.drop_out_of_window++;
		return TW_NONE;
	}
	if (c->p.rfc1337) {
		c->cnt.rst_rx_ignored++;
		return TW_NONE;
	}
	if (seg->seq != tw->rcv_nxt) {
		c->cnt.challenge_ack++;
		return TW_ACK;
	}
	c->cnt.rst_rx++;
	return TW_KILL;
}

/*
 * The largest window a peer can offer (RFC 7323 2.3: 65535 << 14): the
 * record keeps no MAX.SND.WND, so RFC 5961 5.2's lower bound is taken at
 * its largest.
 */
#define TW_MAX_SND_WND (65535u << TCP_MAX_WSCALE)

/*
 * RFC 5961 5.2 (RFC 9293 3.10.7.4 fifth): only SND.UNA - MAX.SND.WND <=
 * SEG.ACK <= SND.NXT is acceptable; in TIME-WAIT SND.UNA = SND.NXT. Any
 * other segment is discarded and answered with an ACK, as in the other
 * synchronized states.
 */
static bool
tw_ack_bad(struct tcp_ctx *c, const struct tcp_tw *tw,
	   const struct net_seg *seg)
{
	if (net_seq_gt(seg->ack, tw->snd_nxt)) {
		c->cnt.drop_bad_ack++;
		return true;
	}
	if (tw->snd_nxt - seg->ack > TW_MAX_SND_WND) {
		c->cnt.drop_old_ack++;
		return true;
	}
	return false;
}

/*
 * A SYN that may reopen the record but met the SYN_RECEIVED budget drew
 * a SYN cookie and left the record in place (tcp_listen.c): its ACK,
 * which the record would refuse, completes the handshake. Tested only
 * when cookies are out (with syncookies: always, at all times) and the
 * ACK passes RFC 6191's test as its SYN did. The record's own peer
 * passes it too whenever its segment would as a SYN (under the default
 * time_wait_reuse: timestamps, a newer TSval, an equal one at or above
 * the old RCV.NXT, or any TSval on a record without timestamps; e.g.
 * its FIN retransmitted): each such segment costs one cookie MAC, and
 * is then handled as before, with no extra reply.
 */
static bool
tw_cookie_ack(const struct tcp_ctx *c, const struct tcp_tw *tw,
	      const struct net_seg *seg, uint64_t now)
{
	return (seg->flags & (NET_TCP_ACK | NET_TCP_SYN | NET_TCP_RST)) ==
		NET_TCP_ACK &&
		c->p.tw_reuse != TCP_TW_REUSE_OFF &&
		tw_syn_reusable(c, tw, seg) && tcp_cookie_returned(c, seg, now);
}

/*
 * Decide what a segment does to a TIME_WAIT record (the caller acts),
 * like Linux tcp_timewait_state_process().
 */
static enum tw_action
tw_process(struct tcp_ctx *c, struct tcp_tw *tw, const struct net_seg *seg,
	   uint64_t now)
{
	uint8_t f = seg->flags;

	if (f & NET_TCP_RST)
		return tw_rst(c, tw, seg);
	/*
	 * RFC 6191 2: a new SYN may open a new incarnation of the tuple;
	 * one that fails its tests is silently dropped when the old
	 * incarnation used timestamps (Linux answers it with an ACK), and
	 * draws an ACK otherwise.
	 */
	if ((f & NET_TCP_SYN) && !(f & (NET_TCP_ACK | NET_TCP_FIN)) &&
	    c->p.tw_reuse != TCP_TW_REUSE_OFF) {
		if (tw_syn_reusable(c, tw, seg))
			return TW_REUSE;
		c->cnt.drop_tw_syn++;
		return tw_syn_refused_silently(c, tw) ? TW_NONE : TW_ACK;
	}
	if (tw_cookie_ack(c, tw, seg, now))
		return TW_COOKIE;
	/*
	 * RFC 7323 3.2: once timestamps were negotiated, a non-RST segment
	 * without TSopt is silently dropped, as on the open connection
	 * (tcp_input.c): no retransmitted FIN of the peer's lacks one, and
	 * such a segment must not restart the 2*MSL or draw an ACK. Linux
	 * takes it. A SYN went to RFC 6191's tests above; the ACK of a
	 * cookie a new SYN without TSopt drew is taken above too.
	 */
	if ((tw->state & TCP_TWF_TS) && !(seg->opts.has & NET_OPT_TS) &&
	    !(f & NET_TCP_SYN)) {
		c->cnt.drop_ts_missing++;
		return TW_NONE;
	}
	/* RFC 7323 5.3: PAWS. */
	if ((tw->state & TCP_TWF_TS) && (seg->opts.has & NET_OPT_TS) &&
	    (int32_t)(seg->opts.tsval - tw->ts_recent) < 0) {
		c->cnt.drop_paws++;
		return TW_ACK;
	}
	if ((f & NET_TCP_ACK) && tw_ack_bad(c, tw, seg))
		return TW_ACK;
	/*
	 * RFC 9293 3.10.7.4 fifth, TIME-WAIT: the only thing that can arrive
	 * is a retransmission of the remote FIN: acknowledge it and restart
	 * the 2 MSL timeout. Only with its ACK bit: without it the fifth
	 * check drops the segment first (below: the FIN lies left of the
	 * window, so the first check's ACK answers it, with no restart).
	 */
	if ((f & (NET_TCP_FIN | NET_TCP_ACK | NET_TCP_SYN)) ==
		    (NET_TCP_FIN | NET_TCP_ACK) &&
	    seg->seq + seg->len == tw->rcv_nxt - 1) {
		c->cnt.tw_reack++;
		if (seg->opts.has & NET_OPT_TS)
			tw->ts_recent = seg->opts.tsval;
		return TW_RESTART;
	}
	/* RFC 5961 4.2: any other SYN gets a challenge ACK. */
	if (f & NET_TCP_SYN) {
		c->cnt.challenge_ack++;
		return TW_ACK;
	}
	/*
	 * RFC 9293 3.10.7.4 first, then fifth: without the ACK bit, a
	 * segment that is not acceptable is answered with an ACK (as in the
	 * other synchronized states, tcp_input.c), one that is is dropped.
	 */
	if (!(f & NET_TCP_ACK)) {
		if (!tw_seq_acceptable(c, tw, seg)) {
			c->cnt.drop_out_of_window++;
			return TW_ACK;
		}
		c->cnt.drop_no_ack_flag++;
		return TW_NONE;
	}
	/* An in-window bare ACK needs no answer; anything else gets one. */
	if (seg->seq == tw->rcv_nxt && seg->len == 0 && !(f & NET_TCP_FIN))
		return TW_NONE;
	c->cnt.drop_out_of_window++;
	return TW_ACK;
}

/*
 * The live record a table value (TCP_FT_TW, with TCP_FT_TW6 for the IPv6
 * ring) names, with its addresses in *a6 (NULL for IPv4); NULL if none.
 */
const struct tcp_tw *
tcp_tw_find(const struct tcp_ctx *c, uint32_t val, const struct tcp_addr6 **a6)
{
	const struct tcp_twr *r =
		&c->twr[val & TCP_FT_TW6 ? TCP_TWR_V6 : TCP_TWR_V4];
	uint32_t idx = val & TCP_FT_TW_SLOT;

	if (idx >= r->cap || !tw_live(&r->tws[idx]))
		return NULL;
	*a6 = r->a6 != NULL ? &r->a6[idx] : NULL;
	return &r->tws[idx];
}

/* Whether the record a table hit found is the segment's (see tcp_ends.c). */
static bool
tw_is(const struct tcp_addr6 *a6, const struct net_seg *seg)
{
	if (a6 == NULL || !tcp_seg_v6(seg))
		return a6 == NULL && !tcp_seg_v6(seg);
	return memcmp(a6->r, seg->saddr6, 16) == 0 &&
		memcmp(a6->l, seg->daddr6, 16) == 0;
}

/*
 * Act on the decision for a segment that hit the record of table value
 * val (after checking it is the segment's tuple). A SYN that may open a
 * new incarnation (RFC 6191) is handed back to the demultiplexer
 * (TCP_TW_SYN), with the ISN to use in *isn, as Linux's
 * tcp_timewait_state_process() returns TCP_TW_SYN to tcp_v4_rcv(), and
 * so is the ACK of a cookie such a SYN drew; the record stays in the
 * table until the listener opens a connection (tcp_tw_reopen()).
 */
enum tcp_tw_verdict
tcp_tw_input(struct tcp_ctx *c, uint32_t val, const struct net_seg *seg,
	     uint64_t now, uint32_t *isn)
{
	struct tcp_twr *r = &c->twr[val & TCP_FT_TW6 ? TCP_TWR_V6 : TCP_TWR_V4];
	uint32_t idx = val & TCP_FT_TW_SLOT;
	const struct tcp_addr6 *a6;
	struct tcp_tw *tw;

	if (tcp_tw_find(c, val, &a6) == NULL)
		return TCP_TW_DROP;
	if (!tw_is(a6, seg)) {
		c->cnt.flow_key_clash++;
		return TCP_TW_DROP;
	}
	tw = &r->tws[idx];
	switch (tw_process(c, tw, seg, now)) {
	case TW_RESTART:
		/*
		 * RFC 9293 3.10.7.4, TIME-WAIT: every retransmitted FIN is
		 * acknowledged, never rate-limited (tcp_reply_unlimited()):
		 * a peer in LAST-ACK whose re-ACK was lost would otherwise
		 * back off past the refused answers.
		 */
		tw_send_ack(c, tw, seg, now);
		tw_restart(c, tw, now);
		return TCP_TW_DROP;
	case TW_ACK:
		if (tcp_reply_unlimited(seg) || tw_reply_allowed(c, tw, now))
			tw_send_ack(c, tw, seg, now);
		return TCP_TW_DROP;
	case TW_KILL:
		tw_kill(c, r, idx);
		return TCP_TW_DROP;
	case TW_REUSE:
		/* RFC 6191: the new ISN lies above the old incarnation's. */
		*isn = tw->snd_nxt + 65535 + 2;
		return TCP_TW_SYN;
	case TW_COOKIE:
		return TCP_TW_SYN;
	default:
		return TCP_TW_DROP;
	}
}

/*
 * After TCP_TW_SYN, once the SYN has passed every limit and conn is the
 * SYN_RECEIVED connection it opens: the table entry of the record of
 * value val names conn from now on (found by its hash: a second caller
 * of flowtab_update_val_at() would take it out of line in
 * tcp_tw_enter(), on every connection's path), and the record leaves the
 * TIME_WAIT count but keeps its slot, flagged REOPENED and linked both
 * ways with conn. Until then the record
 * is untouched: a SYN dropped at a limit, refused or answered with a SYN
 * cookie leaves it as it was, still answering for the old incarnation.
 */
void
tcp_tw_reopen(struct tcp_ctx *c, uint32_t val, struct tcp_conn *conn)
{
	struct tcp_twr *r = &c->twr[val & TCP_FT_TW6 ? TCP_TWR_V6 : TCP_TWR_V4];
	uint32_t idx = val & TCP_FT_TW_SLOT;
	struct tcp_tw *tw = &r->tws[idx];

	flowtab_update_val(c->ft, tw->hash, val, conn->idx);
	tw->state |= TCP_TWF_REOPENED;
	tw->last_reply = conn->idx;
	conn->tw_slot = idx;
	r->used--;
	c->tw_used--;
	tcp_gauge_move(c, TCP_TIME_WAIT, TCP_CLOSED);
	c->cnt.tw_reused++;
}

/*
 * RFC 1122 4.2.2.13: a connection reopened from TIME-WAIT "returns to
 * TIME-WAIT state if the SYN turns out to be an old duplicate". Called
 * when a connection in SYN_RECEIVED ends (tcp_conn_free(): an acceptable
 * RST, the SYN-ACK given up, syn_recv_timeout, a second SYN, an abort):
 * when conn still holds the record it reopened, the record takes the
 * table entry back, unchanged
 * (the old incarnation's sequence numbers, TS.Recent and expiry: a
 * retransmitted old FIN is re-ACKed, a new SYN passes RFC 6191's tests
 * against them, and the tuple is forgotten when the old 2*MSL ends),
 * and conn is released. Returns false when conn holds none (or the
 * record is refused at its ring's limit): the caller frees conn. Out of
 * line: the rare end of the frees every connection makes.
 */
__attribute__((noinline)) bool
tcp_tw_return(struct tcp_ctx *c, struct tcp_conn *conn)
{
	struct tcp_twr *r = tw_ring_of(c, conn);
	uint32_t idx = conn->tw_slot;
	struct tcp_tw *tw;

	if (idx == TCP_NONE)
		return false;
	tw = &r->tws[idx];
	if (r->used >= r->max) {
		c->cnt.tw_overflow_refused++;
		tw_kill(c, r, idx);
		return false;
	}
	conn->tw_slot = TCP_NONE;
	tw->state &= ~TCP_TWF_REOPENED;
	tw->last_reply = 0;
	r->used++;
	c->tw_used++;
	flowtab_update_val(c->ft, tw->hash, conn->idx, r->tag | idx);
	/* The record takes over the connection's gauge, as on entry. */
	tcp_set_state(c, conn, TCP_TIME_WAIT);
	tcp_conn_release(c, conn, true);
	c->cnt.tw_returned++;
	return true;
}

/*
 * conn no longer needs the record it reopened (ESTABLISHED);
 * callers test tw_slot first, on the connection's cache line.
 */
void
tcp_tw_unlink(struct tcp_ctx *c, struct tcp_conn *conn)
{
	tw_kill(c, tw_ring_of(c, conn), conn->tw_slot);
}

/*
 * The ring against the pool counters: live records are counted, in
 * expiry order but for restarted ones, a reopened one is linked with its
 * connection both ways, and every slot outside the ring is dead. 0 or
 * -1.
 */
static int
twr_check(const struct tcp_ctx *c, const struct tcp_twr *r)
{
	uint32_t i, live = 0, ordered = 0, last = 0;
	const struct tcp_tw *tw;

	if (r->count > r->cap || (r->cap && r->head >= r->cap))
		return -1;
	for (i = 0; i < r->cap; i++) {
		tw = &r->tws[tw_slot(r, i)];
		if (i >= r->count) {
			if (tw_live(tw))
				return -1;
			continue;
		}
		if (!tw_live(tw))
			continue;
		if (!(tw->state & TCP_TWF_REOPENED))
			live++;
		else if (tw_linked(c, r, tw_slot(r, i)) == TCP_NONE ||
			 c->conns[tw->last_reply].state != TCP_SYN_RECEIVED)
			return -1;
		if (tw->state & TCP_TWF_RESTARTED)
			continue;
		if (ordered > 0 && tw_diff(last, tw->state) < 0)
			return -1;
		last = tw->state;
		ordered++;
	}
	return live == r->used ? 0 : -1;
}

int
tcp_tw_check(const struct tcp_ctx *c)
{
	if (twr_check(c, &c->twr[TCP_TWR_V4]) != 0 ||
	    twr_check(c, &c->twr[TCP_TWR_V6]) != 0)
		return -1;
	return c->twr[TCP_TWR_V4].used + c->twr[TCP_TWR_V6].used == c->tw_used ?
		0 :
		-1;
}
