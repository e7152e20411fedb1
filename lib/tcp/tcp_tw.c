/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * TIME_WAIT records. A connection entering TIME_WAIT is freed and replaced
 * by a 40-byte record holding what is needed to answer the peer for 2*MSL
 * (RFC 9293 3.10.7.4, RFC 1337, RFC 6191, RFC 7323 5.3). Records are
 * kept in a FIFO of creation order so that the oldest can be recycled
 * when the pool is full.
 */
#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tcp_internal.h"

static_assert(sizeof(struct tcp_tw) <= 40, "TIME_WAIT record too large");

/* What to do with a segment that hit a TIME_WAIT record. */
enum tcp_tw_verdict {
	TCP_TW_DROP = 0,	/* nothing to send */
	TCP_TW_ACK,		/* answer with an ACK */
	TCP_TW_KILL,		/* free the record (RST accepted) */
	TCP_TW_SYN,		/* free the record, open a new connection */
};

int
tcp_tw_init(struct tcp_ctx *c)
{
	uint32_t n = c->p.max_time_wait, i, cap = 2;

	c->tws = calloc(n ? n : 1, sizeof(*c->tws));
	while (cap < 2ull * n)
		cap <<= 1;
	c->fifo = calloc(cap, sizeof(*c->fifo));
	if (c->tws == NULL || c->fifo == NULL)
		return -ENOMEM;
	c->fifo_mask = cap - 1;
	for (i = 0; i < n; i++)
		c->tws[i].snd_nxt = i + 1 < n ? i + 1 : TCP_NONE;
	c->tw_free = n ? 0 : TCP_NONE;
	c->mem += (size_t)(n ? n : 1) * sizeof(*c->tws) +
		(size_t)cap * sizeof(*c->fifo);
	return 0;
}

void
tcp_tw_fini(struct tcp_ctx *c)
{
	free(c->tws);
	free(c->fifo);
}

static void
tw_key(struct flow_key *k, const struct tcp_tw *tw)
{
	tcp_flow_key(k, tw->raddr, tw->laddr, tw->rport, tw->lport);
}

static bool
fifo_valid(const struct tcp_ctx *c, uint32_t pos)
{
	const struct tcp_tw *tw = &c->tws[c->fifo[pos & c->fifo_mask]];

	return (tw->flags & TCP_TWF_USED) && tw->fifo_pos == pos;
}

/* Drop the entries of freed records (amortised: the FIFO is 2x). */
static void
fifo_compact(struct tcp_ctx *c)
{
	uint32_t i, j = c->fifo_head, idx;

	for (i = c->fifo_head; i != c->fifo_tail; i++) {
		if (!fifo_valid(c, i))
			continue;
		idx = c->fifo[i & c->fifo_mask];
		c->fifo[j & c->fifo_mask] = idx;
		c->tws[idx].fifo_pos = j;
		j++;
	}
	c->fifo_tail = j;
}

static void
fifo_push(struct tcp_ctx *c, uint32_t idx)
{
	if (c->fifo_tail - c->fifo_head > c->fifo_mask)
		fifo_compact(c);
	c->fifo[c->fifo_tail & c->fifo_mask] = idx;
	c->tws[idx].fifo_pos = c->fifo_tail++;
}

static void
tw_free(struct tcp_ctx *c, uint32_t idx)
{
	struct tcp_tw *tw = &c->tws[idx];
	struct flow_key k;

	tw_key(&k, tw);
	flowtab_delete(c->ft, &k, flowtab_hash(&k));
	tw->gen = (tw->gen + 1) & TCP_GEN_MASK;
	tw->flags = 0;
	tw->snd_nxt = c->tw_free;
	c->tw_free = idx;
	c->tw_used--;
	tcp_gauge_move(c, TCP_TIME_WAIT, TCP_CLOSED);
}

/* The oldest live record, removed from the FIFO, or TCP_NONE. */
static uint32_t
fifo_pop_oldest(struct tcp_ctx *c)
{
	uint32_t pos;

	while (c->fifo_head != c->fifo_tail) {
		pos = c->fifo_head++;
		if (fifo_valid(c, pos))
			return c->fifo[pos & c->fifo_mask];
	}
	return TCP_NONE;
}

/* A free record; under pressure recycle the oldest or refuse. */
static uint32_t
tw_alloc(struct tcp_ctx *c)
{
	uint32_t idx;

	if (c->tw_free == TCP_NONE) {
		if (c->p.tw_overflow == TCP_TW_OVERFLOW_REFUSE)
			return TCP_NONE;
		idx = fifo_pop_oldest(c);
		if (idx == TCP_NONE)
			return TCP_NONE;
		tw_free(c, idx);
		c->cnt.tw_overflow_recycled++;
	}
	idx = c->tw_free;
	c->tw_free = c->tws[idx].snd_nxt;
	c->tw_used++;
	return idx;
}

static uint64_t
tw_deadline_tick(const struct tcp_ctx *c, uint64_t now)
{
	return (now + 2ull * c->p.msl_ms * 1000 + 999) / 1000;
}

/* Replace a connection entering TIME_WAIT by a record. */
void
tcp_tw_enter(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now)
{
	uint32_t idx = tw_alloc(c);
	uint64_t tick = tw_deadline_tick(c, now);
	struct tcp_tw *tw;
	struct flow_key k;

	if (idx == TCP_NONE) {
		c->cnt.tw_overflow_refused++;
		tcp_conn_free(c, conn);
		return;
	}
	tw = &c->tws[idx];
	tw->raddr = conn->raddr;
	tw->laddr = conn->laddr;
	tw->rport = conn->rport;
	tw->lport = conn->lport;
	tw->snd_nxt = conn->snd_nxt;
	tw->rcv_nxt = conn->rcv_nxt;
	tw->ts_recent = conn->ts_recent;
	tw->rcv_wnd = tcp_rcv_window(c, conn);
	tw->rcv_wscale = conn->rcv_wscale;
	tw->flags = TCP_TWF_USED | (conn->flags & TCP_CF_TS ? TCP_TWF_TS : 0);
	tw->expiry = (uint32_t)tick;
	fifo_push(c, idx);
	tw_key(&k, tw);
	flowtab_update(c->ft, &k, flowtab_hash(&k), TCP_FT_TW | idx);
	/* The record takes over the connection's TIME_WAIT gauge. */
	tcp_set_state(c, conn, TCP_TIME_WAIT);
	conn->state = TCP_CLOSED;
	tcp_conn_release(c, conn, true);
	c->cnt.tw_created++;
	tcp_tw_arm(c, tw, tick);
}

/* The record's wheel entry fired: expire, or re-arm if restarted. */
void
tcp_tw_timer(struct tcp_ctx *c, uint32_t idx, uint32_t gen, uint64_t now)
{
	struct tcp_tw *tw;
	uint64_t tick = now / 1000;
	int32_t left;

	if (idx >= c->p.max_time_wait)
		return;
	tw = &c->tws[idx];
	if (!(tw->flags & TCP_TWF_USED) || tw->gen != gen)
		return;
	left = (int32_t)(tw->expiry - (uint32_t)tick);
	if (left > 0) {
		tcp_tw_arm(c, tw, tick + (uint32_t)left);
		return;
	}
	c->cnt.tw_expired++;
	tw_free(c, idx);
}

static void
tw_send_ack(struct tcp_ctx *c, const struct tcp_tw *tw, uint64_t now)
{
	struct tcp_out *o = tcp_out_push(c);

	if (o == NULL)
		return;
	o->laddr = tw->laddr;
	o->raddr = tw->raddr;
	o->lport = tw->lport;
	o->rport = tw->rport;
	o->seq = tw->snd_nxt;
	o->ack = tw->rcv_nxt;
	o->wnd = tw->rcv_wnd;
	o->flags = NET_TCP_ACK;
	if (tw->flags & TCP_TWF_TS) {
		o->opts.has = NET_OPT_TS;
		o->opts.tsval = tcp_ms(now) + tcp_ts_offset(c, tw->laddr,
				tw->lport, tw->raddr, tw->rport);
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
		if ((tw->flags & TCP_TWF_TS) && (seg->opts.has & NET_OPT_TS))
			return (int32_t)(seg->opts.tsval - tw->ts_recent) > 0;
		return seq_ok;
	default:
		return false;
	}
}

/* RFC 9293 3.10.7.4 second, with RFC 1337: RST in TIME_WAIT. */
static enum tcp_tw_verdict
tw_rst(struct tcp_ctx *c, const struct tcp_tw *tw, const struct net_seg *seg)
{
	uint32_t wnd = (uint32_t)tw->rcv_wnd << tw->rcv_wscale;

	if (seg->seq != tw->rcv_nxt &&
	    !net_seq_in(seg->seq, tw->rcv_nxt, tw->rcv_nxt + wnd)) {
		c->cnt.drop_out_of_window++;
		return TCP_TW_DROP;
	}
	if (c->p.rfc1337) {
		/* RFC 1337 TIME-WAIT assassination hazard: ignore it. */
		c->cnt.rst_rx_ignored++;
		return TCP_TW_DROP;
	}
	c->cnt.rst_rx++;
	return TCP_TW_KILL;
}

/*
 * Decide what a segment does to a TIME_WAIT record (the caller acts),
 * like Linux tcp_timewait_state_process().
 */
static enum tcp_tw_verdict
tw_process(struct tcp_ctx *c, struct tcp_tw *tw, const struct net_seg *seg,
	   uint64_t now)
{
	uint8_t f = seg->flags;

	if (f & NET_TCP_RST)
		return tw_rst(c, tw, seg);
	/* RFC 6191: a new SYN may open a new incarnation of the tuple. */
	if ((f & NET_TCP_SYN) && !(f & (NET_TCP_ACK | NET_TCP_FIN)) &&
	    tw_syn_reusable(c, tw, seg))
		return TCP_TW_SYN;
	/* RFC 7323 5.3: PAWS. */
	if ((tw->flags & TCP_TWF_TS) && (seg->opts.has & NET_OPT_TS) &&
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
		tw->expiry = (uint32_t)tw_deadline_tick(c, now);
		if (seg->opts.has & NET_OPT_TS)
			tw->ts_recent = seg->opts.tsval;
		return TCP_TW_ACK;
	}
	if (f & NET_TCP_SYN)
		return TCP_TW_ACK;
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

	if (idx >= c->p.max_time_wait)
		return;
	tw = &c->tws[idx];
	switch (tw_process(c, tw, seg, now)) {
	case TCP_TW_ACK:
		tw_send_ack(c, tw, now);
		break;
	case TCP_TW_KILL:
		tw_free(c, idx);
		break;
	case TCP_TW_SYN:
		/* RFC 6191: the new ISN lies above the old incarnation's. */
		isn = tw->snd_nxt + 65535 + 2;
		c->cnt.tw_reused++;
		tw_free(c, idx);
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
