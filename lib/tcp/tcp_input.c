/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Segment arrival (RFC 9293 3.10.7): demultiplexing, CLOSED and LISTEN
 * processing, and the first steps (sequence number, RST, SYN, ACK) of the
 * synchronized states. Text and FIN processing are in tcp_rcv.c.
 */
#include <errno.h>

#include "tcp_internal.h"

/*
 * RFC 9293 3.10.7.1, CLOSED: an incoming RST is discarded; otherwise
 * answer with a reset (tcp_send_rst_seg() picks the form).
 */
static void
closed_input(struct tcp_ctx *c, const struct net_seg *seg)
{
	if (seg->flags & NET_TCP_RST) {
		c->cnt.drop_rst_unknown++;
		return;
	}
	c->cnt.drop_no_listener++;
	tcp_send_rst_seg(c, seg);
}

/* MSS, window scale, SACK-permitted and timestamps from the SYN. */
static void
negotiate(struct tcp_ctx *c, struct tcp_conn *conn,
	  const struct net_seg *seg, uint64_t now)
{
	const struct net_tcp_opts *o = &seg->opts;
	uint32_t mss = TCP_DEFAULT_MSS;

	/* RFC 9293 3.7.1: 536 when the peer sends no MSS option. */
	if ((o->has & NET_OPT_MSS) && o->mss != 0)
		mss = o->mss;
	if (mss > c->p.mss)
		mss = c->p.mss;
	if (mss < TCP_MIN_MSS)
		mss = TCP_MIN_MSS;
	/* RFC 7323 2.2: scaling only when both send the option; <= 14. */
	if (o->has & NET_OPT_WSCALE) {
		conn->flags |= TCP_CF_WS;
		conn->snd_wscale = o->wscale < TCP_MAX_WSCALE ? o->wscale :
			TCP_MAX_WSCALE;
		conn->rcv_wscale = c->p.wscale;
	}
	if (c->p.sack && (o->has & NET_OPT_SACK_OK))
		conn->flags |= TCP_CF_SACK;
	/* RFC 7323 3.2: timestamps when both sent them; TS.Recent = TSval. */
	if (c->p.timestamps && (o->has & NET_OPT_TS)) {
		conn->flags |= TCP_CF_TS;
		conn->ts_recent = o->tsval;
		conn->ts_recent_sec = tcp_sec(now);
		conn->ts_offset = tcp_ts_offset(c, conn->laddr, conn->lport,
						conn->raddr, conn->rport);
		mss -= TCP_TS_OPT_LEN;
	}
	conn->snd_mss = (uint16_t)mss;
}

static void conn_input(struct tcp_ctx *c, struct tcp_conn *conn,
		       const struct net_seg *seg, uint64_t now);

/* A connection of listener l for the segment's 4-tuple, in the table. */
static struct tcp_conn *
conn_new(struct tcp_ctx *c, const struct tcp_listener *l,
	 const struct net_seg *seg)
{
	struct tcp_conn *conn = tcp_conn_alloc(c);
	struct flow_key k;
	int rc;

	if (conn == NULL) {
		c->cnt.conn_limit_drop++;
		return NULL;
	}
	conn->raddr = seg->saddr;
	conn->laddr = seg->daddr;
	conn->rport = seg->sport;
	conn->lport = seg->dport;
	conn->listener = (uint8_t)(l - c->lst);
	tcp_conn_key(&k, conn);
	rc = flowtab_insert(c->ft, &k, flowtab_hash(c->ft, &k), conn->idx);
	if (rc != 0) {
		if (rc == -ELOOP)
			c->cnt.table_probe_limit++;
		else
			c->cnt.table_full++;
		tcp_conn_release(c, conn, true);
		return NULL;
	}
	conn->rto = c->p.rto_initial_ms * 1000;
	return conn;
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

/* Create a SYN_RECEIVED connection for a SYN and send the SYN-ACK. */
static void
syn_open(struct tcp_ctx *c, const struct tcp_listener *l,
	 const struct net_seg *seg, uint64_t now, uint32_t isn, bool use_isn)
{
	struct tcp_conn *conn;

	if (syn_stateless(c, seg, now))
		return;
	conn = conn_new(c, l, seg);
	if (conn == NULL)
		return;
	/* RFC 9293 3.10.7.2 third: RCV.NXT = SEG.SEQ + 1, IRS = SEG.SEQ. */
	conn->irs = seg->seq;
	conn->rcv_nxt = seg->seq + 1;
	conn->rcv_adv = conn->rcv_nxt;
	conn->iss = use_isn ? isn : tcp_isn(c, conn->laddr, conn->lport,
					    conn->raddr, conn->rport, now);
	conn->snd_una = conn->iss;
	conn->snd_nxt = conn->iss + 1;
	conn->snd_max = conn->snd_nxt;
	conn->snd_wnd = seg->wnd;
	conn->max_snd_wnd = seg->wnd;
	conn->last_ack_sent = conn->rcv_nxt;
	negotiate(c, conn, seg, now);
	tcp_set_state(c, conn, TCP_SYN_RECEIVED);
	tcp_send_synack(c, conn, now);
	if (!(conn->flags & TCP_CF_TS)) {
		conn->flags |= TCP_CF_RTT_TIMING;
		conn->rtt_seq = conn->snd_nxt;
		conn->rtt_start = now;
	}
	if (c->p.syn_recv_timeout_ms != 0)
		conn->t_state = now + (uint64_t)c->p.syn_recv_timeout_ms * 1000;
	tcp_rexmit_arm(c, conn, now);
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
	uint32_t mss = ck->mss < c->p.mss ? ck->mss : c->p.mss;

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
		conn->ts_offset = tcp_ts_offset(c, conn->laddr, conn->lport,
						conn->raddr, conn->rport);
		mss -= TCP_TS_OPT_LEN;
	}
	conn->snd_mss = (uint16_t)mss;
}

/*
 * The ACK of a SYN cookie: rebuild the SYN_RECEIVED connection the
 * cookie stands for (as if the SYN-ACK had just been acknowledged) and
 * run the ACK, and any data it carries, through the normal path.
 * Returns false when the ACK holds no valid cookie.
 */
static bool
cookie_open(struct tcp_ctx *c, const struct tcp_listener *l,
	    const struct net_seg *seg, uint64_t now)
{
	struct tcp_cookie ck;
	struct tcp_conn *conn;
	uint32_t wnd;

	if ((seg->flags & (NET_TCP_SYN | NET_TCP_RST | NET_TCP_FIN)) ||
	    !tcp_cookie_expected(c, now) || !tcp_cookie_check(c, seg, now, &ck))
		return false;
	conn = conn_new(c, l, seg);
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
	conn_input(c, conn, seg, now);
	return true;
}

/* RFC 9293 3.10.7.2, LISTEN. */
static void
listen_input(struct tcp_ctx *c, const struct tcp_listener *l,
	     const struct net_seg *seg, uint64_t now, uint32_t isn,
	     bool use_isn)
{
	uint8_t f = seg->flags;

	if ((f & (NET_TCP_SYN | NET_TCP_RST)) ==
	    (NET_TCP_SYN | NET_TCP_RST)) {
		c->cnt.drop_syn_rst++;
		return;
	}
	if ((f & (NET_TCP_SYN | NET_TCP_FIN)) ==
	    (NET_TCP_SYN | NET_TCP_FIN)) {
		c->cnt.drop_syn_fin++;
		return;
	}
	/* First, check for a RST: an incoming RST should be ignored. */
	if (f & NET_TCP_RST) {
		c->cnt.drop_rst_unknown++;
		return;
	}
	/*
	 * Second, check for an ACK: <SEQ=SEG.ACK><CTL=RST>, unless it
	 * returns a SYN cookie.
	 */
	if (f & NET_TCP_ACK) {
		if (cookie_open(c, l, seg, now))
			return;
		c->cnt.drop_listen_ack++;
		tcp_send_rst_seg(c, seg);
		return;
	}
	/* Third, check for a SYN. */
	if (f & NET_TCP_SYN) {
		syn_open(c, l, seg, now, isn, use_isn);
		return;
	}
	/* Fourth, other control or text-bearing segments: drop. */
	c->cnt.drop_null_flags++;
}

/*
 * RFC 9293 3.10.7.4 first: the four cases of the acceptability test.
 * With a zero window a segment starting exactly at RCV.NXT is let through
 * so that its ACK, RST and FIN are processed; its text is trimmed later.
 */
static bool
seq_acceptable(const struct tcp_conn *conn, const struct net_seg *seg)
{
	uint32_t nxt = conn->rcv_nxt, wnd = 0;
	uint32_t len = seg->len + !!(seg->flags & NET_TCP_SYN) +
		!!(seg->flags & NET_TCP_FIN);

	if (net_seq_gt(conn->rcv_adv, nxt))
		wnd = conn->rcv_adv - nxt;
	if (seg->seq == nxt)
		return true;
	if (len == 0)
		return wnd != 0 && net_seq_in(seg->seq, nxt, nxt + wnd);
	if (wnd == 0)
		return false;
	return net_seq_in(seg->seq, nxt, nxt + wnd) ||
		net_seq_in(seg->seq + len - 1, nxt, nxt + wnd);
}

/* RFC 7323 5.5: TS.Recent is invalid after 24 days without an update. */
#define TCP_PAWS_IDLE_SEC (24u * 24 * 3600)

static bool
paws_fails(const struct tcp_conn *conn, const struct net_seg *seg,
	   uint64_t now)
{
	if ((int32_t)(seg->opts.tsval - conn->ts_recent) >= 0)
		return false;
	return tcp_sec(now) - conn->ts_recent_sec < TCP_PAWS_IDLE_SEC;
}

static bool
check_seq(struct tcp_ctx *c, struct tcp_conn *conn,
	  const struct net_seg *seg, uint64_t now)
{
	bool ts = (conn->flags & TCP_CF_TS) && (seg->opts.has & NET_OPT_TS);

	/*
	 * RFC 7323 5.3 R1: PAWS, before the sequence number check. A RST is
	 * exempt (RFC 7323 5.3: RSTs are acceptable whatever their
	 * timestamp); a SYN falls through to RFC 5961 4.2 below.
	 */
	if (ts && !(seg->flags & (NET_TCP_RST | NET_TCP_SYN)) &&
	    paws_fails(conn, seg, now)) {
		c->cnt.drop_paws++;
		tcp_invalid_ack(c, conn, seg, now);
		return false;
	}
	/*
	 * RFC 9293 3.10.7.4 first: unacceptable, send an ACK (unless RST,
	 * RFC 5961 3.2: an out-of-window RST is dropped silently) and drop.
	 * RFC 5961 4.2: a SYN gets a (rate-limited) challenge ACK whatever
	 * its sequence number.
	 */
	if (!seq_acceptable(conn, seg)) {
		c->cnt.drop_out_of_window++;
		if (seg->flags & NET_TCP_RST)
			return false;
		if (seg->flags & NET_TCP_SYN)
			tcp_challenge_ack(c, conn, now);
		else
			tcp_invalid_ack(c, conn, seg, now);
		return false;
	}
	return true;
}


/*
 * RFC 7323 4.3 (2) and 5.3 R3: TSval >= TS.Recent and SEG.SEQ <=
 * Last.ACK.sent: record TSval. Done only once the segment has passed the
 * sequence, RST, SYN and ACK checks (RFC 7323 Appendix D updates it in
 * the first step; like Linux's tcp_ack(), tcpterm waits for a valid
 * ACK), so that a blind segment with any ACK value cannot move
 * TS.Recent and wedge the connection under PAWS.
 */
static void
ts_recent_update(struct tcp_conn *conn, const struct net_seg *seg,
		 uint64_t now)
{
	if (!(conn->flags & TCP_CF_TS) || !(seg->opts.has & NET_OPT_TS))
		return;
	if (!net_seq_leq(seg->seq, conn->last_ack_sent) ||
	    (int32_t)(seg->opts.tsval - conn->ts_recent) < 0)
		return;
	conn->ts_recent = seg->opts.tsval;
	conn->ts_recent_sec = tcp_sec(now);
}

/*
 * RFC 9293 3.10.7.4 second with RFC 5961 3.2: a RST exactly at RCV.NXT
 * resets the connection; any other in-window RST gets a challenge ACK.
 */
static void
check_rst(struct tcp_ctx *c, struct tcp_conn *conn,
	  const struct net_seg *seg, uint64_t now)
{
	if (seg->seq == conn->rcv_nxt) {
		c->cnt.rst_rx++;
		tcp_conn_free(c, conn);
		return;
	}
	tcp_challenge_ack(c, conn, now);
}

/* RFC 6298 with RFC 7323 4.1 (echoed timestamp) or Karn's timing. */
static void
rtt_update(struct tcp_ctx *c, struct tcp_conn *conn,
	   const struct net_seg *seg, uint64_t now)
{
	uint32_t r;

	if ((conn->flags & TCP_CF_TS) && (seg->opts.has & NET_OPT_TS) &&
	    seg->opts.tsecr != 0) {
		r = tcp_ms(now) + conn->ts_offset - seg->opts.tsecr;
		if (r < 0x7fffffffu / 1000)
			tcp_rtt_sample(c, conn, r * 1000);
		return;
	}
	if ((conn->flags & TCP_CF_RTT_TIMING) &&
	    net_seq_geq(seg->ack, conn->rtt_seq)) {
		conn->flags &= ~TCP_CF_RTT_TIMING;
		tcp_rtt_sample(c, conn, (uint32_t)(now - conn->rtt_start));
	}
}

/* SND.UNA < SEG.ACK <= SND.MAX: new data (or SYN, or FIN) acknowledged. */
static uint32_t
ack_advance(struct tcp_ctx *c, struct tcp_conn *conn,
	    const struct net_seg *seg, uint64_t now)
{
	uint32_t acked = seg->ack - conn->snd_una;
	uint32_t data = acked < conn->sb_len ? acked : conn->sb_len;

	if ((conn->flags & TCP_CF_FIN_SENT) &&
	    net_seq_gt(seg->ack, conn->snd_una + conn->sb_len))
		conn->flags |= TCP_CF_FIN_ACKED;
	tcp_sb_consume(c, conn, data);
	conn->snd_una = seg->ack;
	if (net_seq_lt(conn->snd_nxt, conn->snd_una))
		conn->snd_nxt = conn->snd_una;
	rtt_update(c, conn, seg, now);
	conn->retries = 0;
	if (conn->snd_una == conn->snd_max)
		conn->t_rexmit = 0;
	else
		tcp_rexmit_arm(c, conn, now);
	if (conn->sb_len == 0)
		tcp_sb_put(c, conn);
	return data;
}

/* RFC 9293 3.10.7.4 fifth: SND.WL1/SND.WL2 decide a window update. */
static void
window_update(struct tcp_conn *conn, const struct net_seg *seg)
{
	if (!(net_seq_lt(conn->snd_wl1, seg->seq) ||
	      (conn->snd_wl1 == seg->seq &&
	       net_seq_leq(conn->snd_wl2, seg->ack))))
		return;
	conn->snd_wnd = (uint32_t)seg->wnd << conn->snd_wscale;
	conn->snd_wl1 = seg->seq;
	conn->snd_wl2 = seg->ack;
	if (conn->snd_wnd > conn->max_snd_wnd)
		conn->max_snd_wnd = conn->snd_wnd;
	if (conn->snd_wnd != 0) {
		conn->t_persist = 0;
		conn->persist_shift = 0;
	}
}

/*
 * RFC 9293 3.10.7.4 fifth, SYN-RECEIVED: SND.UNA < SEG.ACK <= SND.NXT
 * enters ESTABLISHED with the window of this segment; otherwise
 * <SEQ=SEG.ACK><CTL=RST>.
 */
static bool
ack_syn_received(struct tcp_ctx *c, struct tcp_conn *conn,
		 const struct net_seg *seg)
{
	if (!net_seq_lt(conn->snd_una, seg->ack) ||
	    !net_seq_leq(seg->ack, conn->snd_max)) {
		c->cnt.drop_bad_ack++;
		tcp_send_rst_seg(c, seg);
		return false;
	}
	tcp_set_state(c, conn, TCP_ESTABLISHED);
	conn->flags |= TCP_CF_OPENED;
	c->cnt.conn_opened++;
	conn->t_state = 0;
	conn->snd_wl1 = seg->seq - 1;
	conn->snd_wl2 = seg->ack;
	return true;
}

/* Our FIN acknowledged: FIN_WAIT_1, CLOSING and LAST_ACK move on. */
static bool
fin_acked(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now)
{
	switch (conn->state) {
	case TCP_FIN_WAIT_1:
		/* Arm the FIN_WAIT_2 timeout, whatever the close mode. */
		tcp_set_state(c, conn, TCP_FIN_WAIT_2);
		if (c->p.fin_wait2_timeout_ms != 0)
			conn->t_state = now +
				(uint64_t)c->p.fin_wait2_timeout_ms * 1000;
		return true;
	case TCP_CLOSING:
		tcp_tw_enter(c, conn, now);
		return false;
	case TCP_LAST_ACK:
		tcp_conn_free(c, conn);
		return false;
	default:
		return true;
	}
}

/*
 * RFC 9293 3.10.7.4 fifth, check the ACK field, with RFC 5961 5.2: only
 * SND.UNA - MAX.SND.WND <= SEG.ACK <= SND.NXT is acceptable. Returns
 * false when the segment is finished with (dropped or conn freed);
 * *freed is the number of send buffer bytes acknowledged.
 */
static bool
check_ack(struct tcp_ctx *c, struct tcp_conn *conn,
	  const struct net_seg *seg, uint64_t now, uint32_t *freed)
{
	bool was_fin_acked = conn->flags & TCP_CF_FIN_ACKED;

	if (conn->state == TCP_SYN_RECEIVED && !ack_syn_received(c, conn, seg))
		return false;
	if (net_seq_gt(seg->ack, conn->snd_max)) {
		c->cnt.drop_bad_ack++;
		tcp_invalid_ack(c, conn, seg, now);
		return false;
	}
	if (net_seq_lt(seg->ack, conn->snd_una - conn->max_snd_wnd)) {
		c->cnt.drop_old_ack++;
		tcp_challenge_ack(c, conn, now);
		return false;
	}
	/* The ACK is acceptable: TS.Recent may move. */
	ts_recent_update(conn, seg, now);
	/* The peer answers: the persist timer's probes are not lost. */
	conn->probes = 0;
	if (net_seq_gt(seg->ack, conn->snd_una))
		*freed = ack_advance(c, conn, seg, now);
	if (net_seq_geq(seg->ack, conn->snd_una))
		window_update(conn, seg);
	if (!was_fin_acked && (conn->flags & TCP_CF_FIN_ACKED))
		return fin_acked(c, conn, now);
	return true;
}

/* Run an application callback; false when it freed the connection. */
static bool
app_open(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now)
{
	const struct tcp_app_ops *ops = tcp_conn_ops(c, conn);
	uint32_t gen = conn->gen;

	if (ops == NULL || ops->on_open == NULL)
		return true;
	c->cb_depth++;
	ops->on_open(c, conn, now);
	c->cb_depth--;
	return tcp_conn_live(conn, gen);
}

static bool
app_sent(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now)
{
	const struct tcp_app_ops *ops = tcp_conn_ops(c, conn);
	uint32_t gen = conn->gen;

	if (ops == NULL || ops->on_sent == NULL)
		return true;
	c->cb_depth++;
	ops->on_sent(c, conn, now);
	c->cb_depth--;
	return tcp_conn_live(conn, gen);
}

/* The steps of RFC 9293 3.10.7.4 up to and including the ACK field. */
static bool
conn_steps(struct tcp_ctx *c, struct tcp_conn *conn,
	   const struct net_seg *seg, uint64_t now)
{
	bool was_syn_rcvd = conn->state == TCP_SYN_RECEIVED;
	uint32_t freed = 0;

	/* A retransmitted SYN in SYN-RECEIVED: the SYN-ACK was lost. */
	if (was_syn_rcvd && (seg->flags & NET_TCP_SYN) &&
	    !(seg->flags & (NET_TCP_ACK | NET_TCP_RST)) &&
	    seg->seq == conn->irs) {
		tcp_send_synack(c, conn, now);
		return false;
	}
	/* First, check sequence number (PAWS first). */
	if (!check_seq(c, conn, seg, now))
		return false;
	/* Second, check the RST bit. */
	if (seg->flags & NET_TCP_RST) {
		check_rst(c, conn, seg, now);
		return false;
	}
	/*
	 * Fourth, check the SYN bit. SYN-RECEIVED (always a passive OPEN
	 * here): "return this connection to the LISTEN state", i.e. forget
	 * it. Synchronized states: RFC 5961 4.2 challenge ACK.
	 */
	if ((seg->flags & NET_TCP_SYN) && was_syn_rcvd) {
		c->cnt.drop_syn_recv_syn++;
		tcp_conn_free(c, conn);
		return false;
	}
	if (seg->flags & NET_TCP_SYN) {
		tcp_challenge_ack(c, conn, now);
		return false;
	}
	/* Fifth, check the ACK field: no ACK bit, drop. */
	if (!(seg->flags & NET_TCP_ACK)) {
		c->cnt.drop_no_ack_flag++;
		return false;
	}
	if (!check_ack(c, conn, seg, now, &freed))
		return false;
	if (was_syn_rcvd && !app_open(c, conn, now))
		return false;
	if (freed > 0 && !app_sent(c, conn, now))
		return false;
	return true;
}

/* A segment of an existing connection. */
static void
conn_input(struct tcp_ctx *c, struct tcp_conn *conn,
	   const struct net_seg *seg, uint64_t now)
{
	if (!conn_steps(c, conn, seg, now))
		goto out;
	/* Seventh, process the segment text; eighth, check the FIN bit. */
	if (!tcp_rcv_text(c, conn, seg, now) ||
	    !tcp_rcv_fin(c, conn, seg, now))
		return;
out:
	if (!(conn->flags & TCP_CF_USED))
		return;
	if ((conn->flags & TCP_CF_READ_RESUME) &&
	    !tcp_rcv_resume(c, conn, now))
		return;
	conn->flags &= ~TCP_CF_NEED_OUTPUT;
	tcp_output(c, conn, now, UINT32_MAX);
	if (conn->flags & TCP_CF_ACK_NOW)
		tcp_send_ack(c, conn, now);
	tcp_conn_arm(c, conn);
}

uint32_t
tcp_seg_hash(const struct tcp_ctx *c, const struct net_seg *seg)
{
	struct flow_key k;

	tcp_flow_key(&k, seg->saddr, seg->daddr, seg->sport, seg->dport);
	return flowtab_hash(c->ft, &k);
}

void
tcp_prefetch_flow(const struct tcp_ctx *c, uint32_t hash)
{
	flowtab_prefetch(c->ft, hash);
}

void
tcp_input_hash(struct tcp_ctx *c, const struct net_seg *seg, uint32_t hash,
	       uint64_t now)
{
	const struct tcp_listener *l;
	struct flow_key k;
	uint32_t val, isn = 0;
	bool use_isn = false;

	c->now = now;
	c->cnt.seg_in++;
	tcp_flow_key(&k, seg->saddr, seg->daddr, seg->sport, seg->dport);
	if (flowtab_lookup(c->ft, &k, hash, &val) == 0) {
		if (!(val & TCP_FT_TW)) {
			if (val < c->p.max_connections)
				conn_input(c, &c->conns[val], seg, now);
			return;
		}
		/* A SYN that ended the record starts over here. */
		if (tcp_tw_input(c, val & ~TCP_FT_TW, seg, now, &isn) !=
		    TCP_TW_SYN)
			return;
		use_isn = true;
	}
	l = tcp_listener_find(c, seg->dport);
	if (l != NULL && c->drain)
		tcp_drain_refuse(c, seg);
	else if (l != NULL)
		listen_input(c, l, seg, now, isn, use_isn);
	else
		closed_input(c, seg);
}

void
tcp_input(struct tcp_ctx *c, const struct net_seg *seg, uint64_t now)
{
	tcp_input_hash(c, seg, tcp_seg_hash(c, seg), now);
}
