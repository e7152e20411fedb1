/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * RFC 9293 3.10.7.2, LISTEN: a SYN opens a SYN_RECEIVED connection (or
 * draws a SYN cookie, tcp_syncookie.c, when SYN_RECEIVED is at its
 * budget), the ACK of a cookie rebuilds one, anything else is dropped
 * or reset.
 */
#include <errno.h>

#include "tcp_internal.h"

static uint32_t
conn_ts_offset(const struct tcp_ctx *c, const struct tcp_conn *conn)
{
	struct tcp_ends e;

	tcp_conn_ends(c, conn, &e);
	return tcp_ts_offset(c, &e);
}

/*
 * MSS, window scale, SACK-permitted and timestamps from the SYN; ts_offset
 * is the connection's (tcp_isn() gives it with the ISN).
 */
static void
negotiate(struct tcp_ctx *c, struct tcp_conn *conn, const struct net_seg *seg,
	  uint64_t now, uint32_t ts_offset)
{
	const struct net_tcp_opts *o = &seg->opts;
	bool v6 = tcp_seg_v6(seg);
	uint32_t mss = tcp_mss_default(v6);

	/* RFC 9293 3.7.1: 536 (IPv6: 1220) without an MSS option. */
	if ((o->has & NET_OPT_MSS) && o->mss != 0)
		mss = o->mss;
	if (mss > tcp_mss_ours(c, v6))
		mss = tcp_mss_ours(c, v6);
	if (mss < TCP_MIN_MSS)
		mss = TCP_MIN_MSS;
	/* RFC 7323 2.2: scaling only when both send the option; <= 14. */
	if (o->has & NET_OPT_WSCALE) {
		conn->flags |= TCP_CF_WS;
		conn->snd_wscale = tcp_peer_wscale(c, o);
		conn->rcv_wscale = c->p.wscale;
	}
	if (c->p.sack && (o->has & NET_OPT_SACK_OK))
		conn->flags |= TCP_CF_SACK;
	/* RFC 7323 3.2: timestamps when both sent them; TS.Recent = TSval. */
	if (c->p.timestamps && (o->has & NET_OPT_TS)) {
		conn->flags |= TCP_CF_TS;
		conn->ts_recent = o->tsval;
		conn->ts_recent_sec = tcp_sec(now);
		conn->ts_offset = ts_offset;
		mss -= TCP_TS_OPT_LEN;
	}
	conn->snd_mss = (uint16_t)mss;
}

/*
 * A connection of listener l for the segment's 4-tuple, not in the
 * table yet; NULL with the pool empty.
 */
static inline struct tcp_conn *
conn_alloc_for(struct tcp_ctx *c, const struct tcp_listener *l,
	       const struct net_seg *seg, uint64_t now)
{
	struct tcp_conn *conn = tcp_conn_alloc(c, now);

	if (conn == NULL) {
		c->cnt.conn_limit_drop++;
		return NULL;
	}
	tcp_conn_set_ends(c, conn, seg);
	conn->listener = (uint8_t)(l - c->lst);
	/* Its tuple is the segment's: reuse that key and hash. */
	if (c->in_seg == seg) {
		c->in_conn = conn->idx;
		c->in_gen = conn->gen;
	}
	return conn;
}

/* A connection of listener l for the segment's 4-tuple, in the table. */
static struct tcp_conn *
conn_new(struct tcp_ctx *c, const struct tcp_listener *l,
	 const struct net_seg *seg, uint64_t now)
{
	struct tcp_conn *conn = conn_alloc_for(c, l, seg, now);
	struct flow_key k;
	uint32_t hash;
	int rc;

	if (conn == NULL)
		return NULL;
	hash = tcp_conn_key_hash(c, conn, &k);
	rc = flowtab_insert(c->ft, &k, hash, conn->idx);
	if (rc != 0) {
		if (rc == -ELOOP)
			c->cnt.table_probe_limit++;
		else
			c->cnt.table_full++;
		tcp_conn_release(c, conn, true);
		return NULL;
	}
	conn->rto = (uint32_t)c->us.rto_initial;
	return conn;
}

/*
 * conn_new() for a segment that reopens the TIME_WAIT record of table
 * value tw: the connection takes the record's table entry
 * (tcp_tw_reopen()); with no connection to be had the record is left
 * alone. Out of line, so that the common path around conn_new() stays as
 * it was.
 */
static __attribute__((noinline)) struct tcp_conn *
conn_reopen(struct tcp_ctx *c, const struct tcp_listener *l,
	    const struct net_seg *seg, uint64_t now, uint32_t tw)
{
	struct tcp_conn *conn = conn_alloc_for(c, l, seg, now);

	if (conn == NULL)
		return NULL;
	tcp_tw_reopen(c, tw, conn);
	conn->rto = (uint32_t)c->us.rto_initial;
	return conn;
}

/* conn_new(), or conn_reopen() for a record's table value tw. */
static inline struct tcp_conn *
conn_open(struct tcp_ctx *c, const struct tcp_listener *l,
	  const struct net_seg *seg, uint64_t now, uint32_t tw)
{
	if (tw == TCP_NONE)
		return conn_new(c, l, seg, now);
	return conn_reopen(c, l, seg, now, tw);
}

/*
 * Keep state for this SYN, or answer with a SYN cookie (tcp_syncookie.c)?
 * SYN_RECEIVED has its own budget (max_syn_recv), so that half-open
 * connections cannot take the pool from established ones: over it, or
 * with the pool empty, auto answers with a cookie and off drops.
 */
static bool
syn_stateless(struct tcp_ctx *c, const struct net_seg *seg, uint64_t now)
{
	bool full = c->conn_free == TCP_NONE ||
		(c->p.max_syn_recv != 0 &&
		 c->gauges[TCP_SYN_RECEIVED] >= c->p.max_syn_recv);

	switch (c->p.syncookies) {
	case TCP_SYNCOOKIES_ALWAYS:
		break;
	case TCP_SYNCOOKIES_AUTO:
		if (!full)
			return false;
		break;
	default:
		if (!full)
			return false;
		if (c->conn_free == TCP_NONE)
			c->cnt.conn_limit_drop++;
		else
			c->cnt.syn_recv_budget_drop++;
		return true;
	}
	tcp_cookie_synack(c, seg, now);
	return true;
}

/*
 * Create a SYN_RECEIVED connection for a SYN and send the SYN-ACK.
 * Returns it, or NULL (a SYN cookie answered, or a drop). A SYN
 * reopening the TIME_WAIT record of table value tw (else TCP_NONE) uses
 * isn; every limit is tried before the record is touched (conn_open()).
 */
static struct tcp_conn *
syn_open(struct tcp_ctx *c, const struct tcp_listener *l,
	 const struct net_seg *seg, uint64_t now, uint32_t isn, uint32_t tw)
{
	struct tcp_conn *conn;
	struct tcp_ends e;
	uint32_t iss, ts_offset;

	if ((c->src != NULL && tcp_src_syn_refused(c, seg)) ||
	    syn_stateless(c, seg, now))
		return NULL;
	conn = conn_open(c, l, seg, now, tw);
	if (conn == NULL)
		return NULL;
	/* RFC 9293 3.10.7.2 third: RCV.NXT = SEG.SEQ + 1, IRS = SEG.SEQ. */
	conn->irs = seg->seq;
	conn->rcv_nxt = seg->seq + 1;
	conn->rcv_adv = conn->rcv_nxt;
	tcp_conn_ends(c, conn, &e);
	iss = tcp_isn(c, &e, now, &ts_offset);
	conn->iss = tw != TCP_NONE ? isn : iss;
	conn->snd_una = conn->iss;
	conn->snd_nxt = conn->iss + 1;
	conn->snd_max = conn->snd_nxt;
	conn->snd_wnd = seg->wnd;
	conn->max_snd_wnd = seg->wnd;
	conn->last_ack_sent = conn->rcv_nxt;
	negotiate(c, conn, seg, now, ts_offset);
	tcp_set_state(c, conn, TCP_SYN_RECEIVED);
	tcp_send_synack(c, conn, now);
	if (!(conn->flags & TCP_CF_TS)) {
		conn->flags |= TCP_CF_RTT_TIMING;
		conn->rtt_seq = conn->snd_nxt;
		conn->rtt_start = now;
	}
	if (c->us.syn_recv != 0)
		conn->t_state = now + c->us.syn_recv;
	tcp_rexmit_arm(c, conn, now);
	return conn;
}

/*
 * The options a cookie carried (tcp_syncookie.c), as negotiate() would
 * have set them from the SYN.
 */
static void
cookie_negotiate(struct tcp_ctx *c, struct tcp_conn *conn,
		 const struct net_seg *seg, const struct tcp_cookie *ck,
		 uint64_t now)
{
	uint32_t ours = tcp_mss_ours(c, tcp_seg_v6(seg));
	uint32_t mss = ck->mss < ours ? ck->mss : ours;

	if (ck->wscale >= 0) {
		conn->flags |= TCP_CF_WS;
		conn->snd_wscale = (uint8_t)ck->wscale;
		conn->rcv_wscale = c->p.wscale;
	}
	if (ck->sack)
		conn->flags |= TCP_CF_SACK;
	if (ck->ts) {
		conn->flags |= TCP_CF_TS;
		conn->ts_recent = seg->opts.tsval;
		conn->ts_recent_sec = tcp_sec(now);
		conn->ts_offset = conn_ts_offset(c, conn);
		mss -= TCP_TS_OPT_LEN;
	}
	conn->snd_mss = (uint16_t)mss;
}

/*
 * The ACK of a SYN cookie: rebuild the SYN_RECEIVED connection the
 * cookie stands for (as if the SYN-ACK had just been acknowledged) and
 * run the ACK, and any data it carries, through the normal path; tw is
 * the TIME_WAIT record the cookie's SYN would have reopened, or TCP_NONE.
 * Returns false when the ACK holds no valid cookie.
 */
static bool
cookie_open(struct tcp_ctx *c, const struct tcp_listener *l,
	    const struct net_seg *seg, uint64_t now, uint32_t tw)
{
	struct tcp_cookie ck;
	struct tcp_conn *conn;
	uint32_t wnd;

	/*
	 * The ACK completing the handshake may carry data and a FIN
	 * (RFC 9293 3.10.7.4: the FIN is taken after the ACK, in
	 * ESTABLISHED), as when the client's bare ACK was lost.
	 */
	if ((seg->flags & (NET_TCP_SYN | NET_TCP_RST)) ||
	    !tcp_cookie_expected(c, now) || !tcp_cookie_check(c, seg, now, &ck))
		return false;
	conn = conn_open(c, l, seg, now, tw);
	if (conn == NULL)
		return true;
	conn->irs = seg->seq - 1;
	conn->rcv_nxt = seg->seq;
	conn->last_ack_sent = seg->seq;
	wnd = c->p.rcv_wnd > 65535 ? 65535 : c->p.rcv_wnd;
	conn->rcv_adv = conn->rcv_nxt + wnd;
	conn->iss = seg->ack - 1;
	conn->snd_una = conn->iss;
	conn->snd_nxt = seg->ack;
	conn->snd_max = seg->ack;
	cookie_negotiate(c, conn, seg, &ck, now);
	tcp_set_state(c, conn, TCP_SYN_RECEIVED);
	tcp_conn_input(c, conn, seg, now);
	return true;
}

/*
 * RFC 9293 3.10.7.2, LISTEN. A segment the TIME_WAIT record of table
 * value tw handed over (else TCP_NONE), a SYN that may reopen it or the
 * ACK of a cookie such a SYN drew, takes the record's table entry if a
 * connection opens; a SYN comes with the ISN to use (RFC 6191).
 */
void
tcp_listen_input(struct tcp_ctx *c, const struct tcp_listener *l,
		 const struct net_seg *seg, uint64_t now, uint32_t isn,
		 uint32_t tw)
{
	uint8_t f = seg->flags;

	if ((f & (NET_TCP_SYN | NET_TCP_RST)) == (NET_TCP_SYN | NET_TCP_RST)) {
		c->cnt.drop_syn_rst++;
		return;
	}
	/* First, check for a RST: an incoming RST should be ignored. */
	if (f & NET_TCP_RST) {
		c->cnt.drop_rst_unknown++;
		return;
	}
	/*
	 * Second, check for an ACK: <SEQ=SEG.ACK><CTL=RST>, unless it
	 * returns a SYN cookie. Any ACK, a SYN+FIN's included.
	 */
	if (f & NET_TCP_ACK) {
		if (cookie_open(c, l, seg, now, tw))
			return;
		c->cnt.drop_listen_ack++;
		tcp_send_rst_seg(c, seg);
		return;
	}
	/* Third, check for a SYN; with a FIN it opens nothing (as Linux). */
	if ((f & (NET_TCP_SYN | NET_TCP_FIN)) == (NET_TCP_SYN | NET_TCP_FIN)) {
		c->cnt.drop_syn_fin++;
		return;
	}
	if (f & NET_TCP_SYN) {
		syn_open(c, l, seg, now, isn, tw);
		return;
	}
	/* Fourth, other control or text-bearing segments: drop. */
	c->cnt.drop_null_flags++;
}
