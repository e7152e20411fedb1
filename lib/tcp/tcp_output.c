/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Output: segments appended to the context's queue, the receive window,
 * the data/FIN send path, zero window probes and RST generation.
 */
#include <string.h>

#include "tcp_internal.h"

/* A free slot at the end of the output queue, or NULL (counted). */
struct tcp_out *
tcp_out_push(struct tcp_ctx *c)
{
	struct tcp_out *o;

	if (c->outq.n == TCP_OUTQ_SIZE) {
		c->cnt.outq_full++;
		return NULL;
	}
	o = &c->outq.seg[c->outq.n++];
	/* Not re-derived from c and the index before each group of stores. */
	TCP_KEEP_POINTER(o);
	/* The IPv6 addresses at the end are written only for IPv6. */
	memset(o, 0, offsetof(struct tcp_out, laddr6));
	o->conn = TCP_NONE;
	c->cnt.seg_out++;
	return o;
}

/* A segment answering seg (its 4-tuple reversed), or NULL (counted). */
struct tcp_out *
tcp_out_reply(struct tcp_ctx *c, const struct net_seg *seg)
{
	struct tcp_out *o = tcp_out_push(c);
	struct tcp_ends e;

	if (o == NULL)
		return NULL;
	tcp_seg_ends(seg, &e);
	tcp_out_ends(o, &e);
	return o;
}

/*
 * Remove the queued payload segments of a connection being freed. The
 * queue rarely holds one: it is searched first, and compacted only
 * from the first found, which nothing before it moves for.
 */
void
tcp_out_purge(struct tcp_ctx *c, uint32_t conn_idx)
{
	struct tcp_outq *q = &c->outq;
	uint32_t i = 0, j;

	while (i < q->n && (q->seg[i].conn != conn_idx || q->seg[i].len == 0))
		i++;
	if (i == q->n)
		return;
	for (j = i; i < q->n; i++) {
		if (q->seg[i].conn == conn_idx && q->seg[i].len > 0) {
			c->cnt.seg_out--;
			continue;
		}
		q->seg[j++] = q->seg[i];
	}
	q->n = j;
}

unsigned int
tcp_out_payload(const struct tcp_ctx *c, const struct tcp_out *o,
		const uint8_t *ptr[2], uint32_t len[2])
{
	const struct tcp_conn *conn;

	if (o->len == 0 || o->conn >= c->p.max_connections)
		return 0;
	conn = &c->conns[o->conn];
	if (!(conn->flags & TCP_CF_USED))
		return 0;
	return tcp_sb_read(c, conn, o->seq - conn->snd_una, o->len, ptr, len);
}

/*
 * Bytes we can take: the free space of the receive buffer (rcv_wnd when
 * nothing is held), capped by what the application says it can take.
 */
static uint32_t
rcv_space(const struct tcp_ctx *c, const struct tcp_conn *conn)
{
	const struct tcp_app_ops *ops = tcp_conn_ops(c, conn);
	uint32_t space = tcp_rb_space(c, conn), a;

	if (ops != NULL && ops->rcv_space != NULL) {
		a = ops->rcv_space(c, conn);
		if (a < space)
			space = a;
	}
	return space;
}

/*
 * The exported name; this file calls rcv_space(), which the compiler
 * may inline (an exported function of a position-independent library
 * may be replaced at link time, so calls to it stay calls).
 */
uint32_t
tcp_rcv_space(const struct tcp_ctx *c, const struct tcp_conn *conn)
{
	return rcv_space(c, conn);
}

/*
 * The receive buffer of conn as the window sees it (RCV.BUFF of RFC 1122
 * 4.2.3.3): the most rcv_space() can offer, rcv_wnd or the
 * application's bound (rcv_buf) if less, as echo's send buffer bounds
 * its window. Off the per-segment path: asked for a window update only.
 */
uint32_t
tcp_rcv_buf(const struct tcp_ctx *c, const struct tcp_conn *conn)
{
	const struct tcp_app_ops *ops = tcp_conn_ops(c, conn);
	uint32_t buf = c->p.rcv_wnd, a;

	if (ops != NULL && ops->rcv_buf != NULL) {
		a = ops->rcv_buf(c, conn);
		if (a < buf)
			buf = a;
	}
	return buf;
}

/*
 * The most the window can promise now: the room free, capped at the
 * largest field (65535 scale units). The one bound of the window we
 * advertise (tcp_rcv_window()) and of a FIN we keep
 * (tcp_rcv_fin_in_window()).
 */
static uint32_t
rcv_room(const struct tcp_ctx *c, const struct tcp_conn *conn, uint32_t shift)
{
	uint32_t space = rcv_space(c, conn);

	if (space > (65535u << shift))
		space = 65535u << shift;
	return space;
}

/*
 * The exported name, off the per-segment path (a window update, a FIN):
 * so that rcv_room() stays inlined where each ACK is built.
 */
uint32_t
tcp_rcv_room(const struct tcp_ctx *c, const struct tcp_conn *conn)
{
	return rcv_room(c, conn, conn->rcv_wscale);
}

/*
 * Window to advertise, raw field. RFC 9293 3.8.6.2.2: never move the right
 * edge we advertised to the left, even when the space shrank; but by
 * less than a scale unit, as the free space is rounded down to it (RFC
 * 7323 2.4, Appendix F): rounded up, each ACK could promise up to a
 * unit the buffer does not have, and the window would never close.
 * Nor move it right by less than a step, whatever window the peer
 * knows (receiver SWS avoidance, tcp_rcv_sws_hold()), but by less than a
 * scale unit: a held edge is cur rounded up to the unit, never beyond
 * the offer. The step is measured on the room, as RFC 1122 4.2.3.3 does
 * (RCV.BUFF - RCV.USER - RCV.WND), not on the room rounded down: a
 * buffer not a multiple of the unit would otherwise never offer a step
 * to a peer that knows a little. A step is at most an MSS, so an edge
 * that stays (nothing came in or was taken) or moves by an MSS or more
 * costs a comparison or two. Room beyond cur by less than an MSS and
 * less than cur is less than a step beyond it, without asking for the
 * step: the buffer the step halves is at least the room (an
 * application's rcv_space is at most its rcv_buf), and the room more
 * than twice what it has beyond cur. That is the ACK of a request taken
 * at once; only room of cur or more beyond it, the window opening from
 * near zero, asks for the step. In
 * line in tcp_out_seg(), its one caller: as a call of its own, the
 * registers that test needs kept across the room's callback cost more
 * than the test.
 */
static inline __attribute__((always_inline)) uint16_t
tcp_rcv_window(struct tcp_ctx *c, struct tcp_conn *conn)
{
	uint32_t shift = conn->rcv_wscale, space = rcv_room(c, conn, shift);
	uint32_t offer = space >> shift << shift, cur = 0, field, edge;

	if (net_seq_gt(conn->rcv_adv, conn->rcv_nxt))
		cur = conn->rcv_adv - conn->rcv_nxt;
	if (space < cur ||
	    (offer > cur && space - cur < conn->snd_mss &&
	     (space - cur < cur || tcp_rcv_sws_hold(c, conn, cur, space))))
		field = (cur + (1u << shift) - 1) >> shift;
	else
		field = space >> shift;
	if (field > 65535)
		field = 65535;
	edge = conn->rcv_nxt + (field << shift);
	if (net_seq_gt(edge, conn->rcv_adv))
		conn->rcv_adv = edge;
	return (uint16_t)field;
}

/* A segment of conn; carries our timestamp when negotiated. */
struct tcp_out *
tcp_out_seg(struct tcp_ctx *c, struct tcp_conn *conn, uint32_t seq,
	    uint8_t flags, uint64_t now)
{
	struct tcp_out *o = tcp_out_push(c);
	struct tcp_ends e;

	if (o == NULL)
		return NULL;
	tcp_conn_ends(c, conn, &e);
	tcp_out_ends(o, &e);
	o->seq = seq;
	o->flags = flags;
	o->conn = conn->idx;
	if (conn->ip_id_bucket != 0)
		o->ip_id = tcp_frag_id_next(c, conn);
	if (conn->flags & TCP_CF_TS) {
		o->opts.has = NET_OPT_TS;
		o->opts.tsval = tcp_tsval(conn, now);
		o->opts.tsecr = conn->ts_recent;
	}
	if (flags & NET_TCP_ACK) {
		o->ack = conn->rcv_nxt;
		conn->last_ack_sent = conn->rcv_nxt;
		o->wnd = tcp_rcv_window(c, conn);
		/* Any ACK we send carries everything: no ACK is pending. */
		conn->t_dack = 0;
		conn->full_segs = 0;
		conn->flags &= ~TCP_CF_ACK_NOW;
		tcp_ooo_sack(c, conn, o);
	}
	return o;
}

/*
 * The sequence number of an ACK alone and of a RST, <SEQ=SND.NXT> (RFC
 * 9293 3.10.7.4, 3.10.5): RFC 9293's SND.NXT, the next sequence number
 * not yet sent, SND.MAX here, since the go-back-N resend after a timeout
 * moves snd_nxt back (RFC 9293's retransmission never does, nor does
 * Linux; BSD's tcp_output() sends such segments at snd_max for the same
 * reason). The peer's RCV.NXT lies in [SND.UNA, SND.MAX]: a segment
 * below it is out of its window, an ACK there dropped (RFC 9293
 * 3.10.7.4 first) and a RST dropped silently (RFC 5961 3.2). At SND.MAX
 * an ACK is taken, and a RST resets a peer that holds everything (the
 * give-up after resends whose ACKs were lost) or draws a challenge ACK
 * from one that holds less, which the tuple, gone, answers with a RST at
 * its RCV.NXT.
 *
 * But not beyond the right edge of the peer's window, SND.UNA +
 * SND.WND, when the peer moved it left of SND.MAX (RFC 9293 3.8.6: a
 * sender must be robust against a shrinking window, RFC 1122
 * 4.2.2.16): a peer that trims what it takes to its window holds
 * nothing beyond its edge, its RCV.NXT at most there, and a segment
 * beyond it is out of its window, our ACK (a window update too)
 * dropped, and the RST. At the edge the
 * ACK is taken by a peer that holds everything up to it (its window
 * zero, only SEG.SEQ = RCV.NXT acceptable) and by Linux and the BSDs
 * whatever they hold (they take a segment without text at RCV.NXT +
 * RCV.WND), and the RST resets the first (RFC 5961 3.2, exact) and
 * draws a challenge ACK from the others. An edge back by less than the
 * unit of the peer's window scale is no shrinking (RFC 7323 2.4 and
 * Appendix F): the window was rounded to its unit, and the peer may
 * take and hold all it offered before, up to SND.MAX, its RCV.NXT then
 * beyond the edge (tcpterm's receiver does, rounding down in
 * tcp_rcv_window() and taking up to rcv_adv); SND.MAX it is then,
 * unless the window is zero. Linux's tcp_acceptable_seq() is the same
 * rule, though its unit is its own receive scale's (rcv_wscale), not
 * the peer's, and with a zero window too (its probes send nothing past
 * SND.NXT). The byte of a zero window probe the peer refused
 * (zero_window_opened()) is the rule's case of a window of zero: the
 * edge is SND.UNA, its RCV.NXT, the one sequence number acceptable. So
 * is our FIN sent into a zero window (tcp_output()): a peer that
 * refused it has RCV.NXT at SND.UNA; one that took it (Linux does)
 * answers our ACK, old to it, with the ACK of the FIN, and takes a RST
 * there as one at RCV.NXT - 1 after its peer's FIN (tcp_reset_check()).
 * Not in SYN_RECEIVED: the window of the peer's SYN starts after our
 * SYN, which SND.UNA does not yet pass.
 */
static uint32_t
seq_unsent(const struct tcp_conn *conn)
{
	uint32_t edge = conn->snd_una + conn->snd_wnd;

	if (net_seq_gt(conn->snd_max, edge) &&
	    (conn->snd_wnd == 0 ||
	     conn->snd_max - edge >= 1u << conn->snd_wscale) &&
	    conn->state != TCP_SYN_RECEIVED)
		return edge;
	return conn->snd_max;
}

void
tcp_send_ack(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now)
{
	tcp_out_seg(c, conn, seq_unsent(conn), NET_TCP_ACK, now);
}

/* SYN-ACK with the options negotiated from the peer's SYN. */
void
tcp_send_synack(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now)
{
	struct tcp_out *o = tcp_out_seg(c, conn, conn->iss, NET_TCP_SYN, now);
	uint32_t wnd;

	if (o == NULL)
		return;
	o->flags |= NET_TCP_ACK;
	o->ack = conn->rcv_nxt;
	/*
	 * RFC 7323 2.2: the window of a SYN segment is never scaled. It
	 * offers what the application can take, like any later window,
	 * and, sent again, no less than it offered before (RFC 9293 3.8.6,
	 * SHLD-14: the right edge does not move left).
	 */
	wnd = rcv_space(c, conn);
	if (net_seq_gt(conn->rcv_adv, conn->rcv_nxt + wnd))
		wnd = conn->rcv_adv - conn->rcv_nxt;
	if (wnd > 65535)
		wnd = 65535;
	o->wnd = (uint16_t)wnd;
	if (net_seq_gt(conn->rcv_nxt + wnd, conn->rcv_adv))
		conn->rcv_adv = conn->rcv_nxt + wnd;
	o->opts.has |= NET_OPT_MSS;
	o->opts.mss = tcp_mss_ours(c, conn->flags & TCP_CF_V6);
	if (conn->flags & TCP_CF_SACK)
		o->opts.has |= NET_OPT_SACK_OK;
	if (conn->flags & TCP_CF_WS) {
		o->opts.has |= NET_OPT_WSCALE;
		o->opts.wscale = conn->rcv_wscale;
	}
}

/* RST of a synchronized connection (abort, data after close). */
void
tcp_send_rst_conn(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now)
{
	struct tcp_out *o = tcp_out_seg(c, conn, seq_unsent(conn),
					NET_TCP_RST | NET_TCP_ACK, now);

	if (o == NULL)
		return;
	o->wnd = 0;
	c->cnt.rst_sent++;
}

/*
 * RFC 9293 3.10.7.1: reset for a segment that has no connection.
 * If the ACK bit is on: <SEQ=SEG.ACK><CTL=RST>; otherwise
 * <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>.
 */
void
tcp_send_rst_seg(struct tcp_ctx *c, const struct net_seg *seg)
{
	struct tcp_out *o = tcp_out_reply(c, seg);

	if (o == NULL)
		return;
	if (seg->flags & NET_TCP_ACK) {
		o->seq = seg->ack;
		o->flags = NET_TCP_RST;
	} else {
		o->ack = seg->seq + net_seg_seqlen(seg);
		o->flags = NET_TCP_RST | NET_TCP_ACK;
	}
	c->cnt.rst_sent++;
}

/*
 * RFC 5961 7: challenge ACKs are limited to challenge_ack_limit per
 * second per connection (0 = no limit). Returns true when sent.
 */
bool
tcp_challenge_ack(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now)
{
	uint32_t limit = c->p.challenge_ack_limit, ms = tcp_ms(now) | 1;

	/*
	 * The second's start is kept to the millisecond, made odd (0 is
	 * none): it may lie up to 1 ms either side of the true start, so a
	 * new second begins only 1001 ms on, never under 1000 ms.
	 */
	if (ms - conn->chack_ms > 1000 || conn->chack_ms == 0) {
		conn->chack_ms = ms;
		conn->chack_count = 0;
	}
	if (limit != 0 && conn->chack_count >= limit) {
		c->cnt.challenge_ack_limited++;
		return false;
	}
	conn->chack_count++;
	c->cnt.challenge_ack++;
	tcp_send_ack(c, conn, now);
	return true;
}

/*
 * RFC 9293 3.10.7.4 first: an unacceptable segment is answered with an
 * ACK, as are a PAWS failure (RFC 7323 5.3 R1) and an ACK of unsent
 * data. Replies to segments without payload (those an ACK loop or a
 * blind flood is made of), and to SYNs (PAWS in SYN-RECEIVED), are
 * limited to one per invalid_ratelimit_ms per connection, as Linux's
 * tcp_oow_rate_limited(); another segment with data always gets its
 * duplicate ACK (the peer may have lost ours).
 */
void
tcp_invalid_ack(struct tcp_ctx *c, struct tcp_conn *conn,
		const struct net_seg *seg, uint64_t now)
{
	if (!tcp_reply_unlimited(seg) && !tcp_reply_allowed(c, conn, now))
		return;
	tcp_send_ack(c, conn, now);
}

/*
 * One reply per invalid_ratelimit_ms per connection (counted in
 * invalid_reply_limited when refused), as Linux's tcp_oow_rate_limited().
 */
bool
tcp_reply_allowed(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now)
{
	uint32_t ms = tcp_ms(now) | 1, limit = c->p.invalid_ratelimit_ms;

	if (limit == 0)
		return true;
	if (conn->oow_last != 0 && ms - conn->oow_last < limit) {
		c->cnt.invalid_reply_limited++;
		return false;
	}
	conn->oow_last = ms;
	return true;
}

static bool
can_send(const struct tcp_conn *conn)
{
	switch (conn->state) {
	case TCP_ESTABLISHED:
	case TCP_CLOSE_WAIT:
	case TCP_FIN_WAIT_1:
	case TCP_CLOSING:
	case TCP_LAST_ACK:
		return !(conn->flags & TCP_CF_FIN_SENT);
	default:
		return false;
	}
}

/*
 * Bytes of the next segment: buffered, unsent, in the window, <= MSS; a
 * go-back-N resend stops short of what the peer holds (the window's end,
 * tcp_rec_send_window()).
 */
static uint32_t
next_len(const struct tcp_conn *conn, uint32_t *avail)
{
	uint32_t off = conn->snd_nxt - conn->snd_una;
	uint32_t cw = tcp_rec_send_window(conn);
	uint32_t wnd_end = conn->snd_una +
		(conn->snd_wnd < cw ? conn->snd_wnd : cw);
	uint32_t n;

	*avail = conn->sb_len > off ? conn->sb_len - off : 0;
	n = *avail;
	if (!net_seq_gt(wnd_end, conn->snd_nxt))
		return 0;
	if (n > wnd_end - conn->snd_nxt)
		n = wnd_end - conn->snd_nxt;
	if (n > conn->snd_mss)
		n = conn->snd_mss;
	return n;
}

/*
 * The override timeout of the sender's SWS avoidance (RFC 9293 3.8.6.2.1
 * (4)): the retransmission timeout, an estimate of when the peer's next
 * window update is due, within the 0.1 to 1 s of RFC 1122 4.2.3.4.
 */
#define TCP_SWS_OVERRIDE_MIN 100000u
#define TCP_SWS_OVERRIDE_MAX 1000000u

static uint64_t
sws_override_timeout(const struct tcp_conn *conn)
{
	uint32_t t = conn->rto;

	if (t < TCP_SWS_OVERRIDE_MIN)
		t = TCP_SWS_OVERRIDE_MIN;
	return t < TCP_SWS_OVERRIDE_MAX ? t : TCP_SWS_OVERRIDE_MAX;
}

/*
 * RFC 9293 3.8.6.2.1 (MUST-38), the sender's SWS avoidance. With D bytes
 * queued and not yet sent and U = SND.UNA + SND.WND - SND.NXT usable, new
 * data goes when (1) min(D, U) >= Eff.snd.MSS, (2) it is pushed and
 * D <= U (every write of an application is a push, as in Linux), (3)
 * min(D, U) >= Max(SND.WND) / 2, or (4) the override timeout expired.
 * Whether it must wait: D > U and neither (1) nor (3).
 */
static bool
sws_hold(const struct tcp_conn *conn, uint32_t avail)
{
	uint32_t u = 0;

	if (net_seq_gt(conn->snd_una + conn->snd_wnd, conn->snd_nxt))
		u = conn->snd_una + conn->snd_wnd - conn->snd_nxt;
	return u < avail && u < conn->snd_mss &&
		2 * (uint64_t)u < conn->max_snd_wnd;
}

/*
 * Whether a segment of n bytes, short of an MSS and of what is queued,
 * is short only because of the congestion window (neither the peer's
 * window nor the start of data the peer SACKed, where a resend of a
 * hole ends, would take less) while data is in flight. It waits: the
 * ACKs of that data open the congestion window to a full segment, or
 * the timeout resends. Otherwise a peer acknowledging a byte at a time
 * would draw a segment of a byte or two for each ACK, new data or a
 * go-back-N resend alike (Nagle's rule, RFC 9293 3.7.4, waits so for a
 * full segment; Linux counts cwnd in whole segments).
 */
static bool
cwnd_short(const struct tcp_conn *conn, uint32_t n)
{
	uint32_t end = conn->snd_nxt + n;

	return conn->snd_nxt != conn->snd_una &&
		net_seq_gt(conn->snd_una + conn->snd_wnd, end) &&
		!net_seq_gt(conn->snd_una + tcp_cc_window(conn), end);
}

/*
 * Microseconds left of the override timeout of the hold under way (0:
 * expired), which begins now if none is. A hold lasts from the first
 * time new data waits until new data goes (sent_one()), whatever the
 * window does meanwhile: window updates, even a zero window between
 * small ones, cannot put the override off. Its start is rounded up to
 * the next millisecond so that the timeout is never cut short.
 */
static uint64_t
sws_left(struct tcp_conn *conn, uint64_t now)
{
	uint64_t t = sws_override_timeout(conn);
	int32_t ms;

	if (conn->sws_ms == 0)
		conn->sws_ms = tcp_ms(now + 999) ? tcp_ms(now + 999) : 1;
	ms = (int32_t)(tcp_ms(now) - conn->sws_ms);
	/*
	 * Rounding up puts the start at most 1 ms ahead: further ahead, the
	 * hold has lasted over 2^31 ms (a long zero window) and its time
	 * wrapped: long over.
	 */
	if (ms < -1)
		return 0;
	if (ms <= 0)
		return t;
	return (uint64_t)ms * 1000 < t ? t - (uint64_t)ms * 1000 : 0;
}

/*
 * The next segment of n bytes, 0 < n < avail and n < MSS: 0 while it
 * is short only because of the congestion window with data in flight
 * (cwnd_short(), new data and resends alike); else under SWS avoidance,
 * n, or what of it was sent before (a retransmission is not held back
 * by SWS avoidance; only new data waits), or 0 when it waits. n sent
 * because the override timeout expired counts in sws_override, when it
 * will go: tcp_out_seg() fails only on a full output queue. A wait with
 * nothing in flight has no ACK to end it: the persist timer, which probes
 * a zero window, becomes the override timer (as Linux's probe timer
 * does both), armed for when the timeout expires.
 */
static __attribute__((noinline)) uint32_t
sws_len(struct tcp_ctx *c, struct tcp_conn *conn, uint32_t n, uint32_t avail,
	uint64_t now)
{
	uint32_t rxt;
	uint64_t left;

	if (cwnd_short(conn, n))
		return 0;
	if (!sws_hold(conn, avail))
		return n;
	if (net_seq_lt(conn->snd_nxt, conn->snd_max)) {
		rxt = conn->snd_max - conn->snd_nxt;
		return n < rxt ? n : rxt;
	}
	left = sws_left(conn, now);
	if (left == 0) {
		if (c->outq.n < TCP_OUTQ_SIZE)
			c->cnt.sws_override++;
		return n;
	}
	if (conn->snd_nxt == conn->snd_una && conn->t_rexmit == 0 &&
	    (conn->t_persist == 0 || conn->t_persist > now + left)) {
		conn->t_persist = now + left;
		tcp_conn_arm(c, conn);
	}
	return 0;
}

/*
 * Account one data/FIN segment of n bytes (plus fin) just queued. The
 * loss recovery's note of it (tcp_rec_sent(), which reads none of what
 * is set here) comes last, so that no register has to live across it.
 */
static void
sent_one(struct tcp_ctx *c, struct tcp_conn *conn, uint32_t n, bool fin,
	 uint64_t now)
{
	uint32_t seq = conn->snd_nxt;
	bool rxt = net_seq_lt(seq, conn->snd_max);

	if (rxt) {
		c->cnt.retransmit++;
		/* Karn: a retransmitted segment is never timed. */
		conn->flags &= ~TCP_CF_RTT_TIMING;
	} else if (!(conn->flags & (TCP_CF_RTT_TIMING | TCP_CF_TS))) {
		conn->flags |= TCP_CF_RTT_TIMING;
		conn->rtt_seq = conn->snd_nxt + n + fin;
		conn->rtt_start = now;
	}
	c->cnt.bytes_out += n;
	conn->snd_nxt += n + fin;
	if (fin)
		conn->flags |= TCP_CF_FIN_SENT;
	if (net_seq_gt(conn->snd_nxt, conn->snd_max)) {
		conn->snd_max = conn->snd_nxt;
		/* New data went: a hold of SWS avoidance is over. */
		conn->sws_ms = 0;
	}
	tcp_rec_sent(c, conn, seq, n, rxt, now);
}

/*
 * Send what the peer's window and the MSS allow, at most max_segs
 * segments, then the FIN once every byte is out (even into a zero window).
 * A segment of new data shorter than an MSS, that leaves data behind,
 * waits as SWS avoidance asks (sws_len()) until the override timeout
 * expires.
 * The retransmission deadline is set, not armed: every caller arms the
 * connection afterwards (tcp_conn_arm(), directly or through the timer
 * that fired), so arming here too would search the deadlines twice.
 */
void
tcp_output(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now,
	   uint32_t max_segs)
{
	uint32_t sent = 0, n, avail = 0;
	bool fin, stalled = false;
	struct tcp_out *o;

	while (sent < max_segs && can_send(conn)) {
		/*
		 * A resend after a timeout or a path MTU message skips
		 * what the peer holds.
		 */
		if (net_seq_lt(conn->snd_nxt, conn->snd_max))
			conn->snd_nxt = tcp_rec_skip_sacked(conn,
							    conn->snd_nxt);
		n = next_len(conn, &avail);
		fin = (conn->flags & TCP_CF_FIN_QUEUED) && n == avail;
		if (n == 0 && !fin)
			break;
		/* SWS avoidance costs only a segment short of both. */
		if (n != avail && n < conn->snd_mss) {
			n = sws_len(c, conn, n, avail, now);
			if (n == 0)
				break;
		}
		o = tcp_out_seg(c, conn, conn->snd_nxt,
				NET_TCP_ACK | (fin ? NET_TCP_FIN : 0) |
					(n > 0 && n == avail ? NET_TCP_PSH : 0),
				now);
		if (o == NULL) {
			/*
			 * Not a drop, as tcp_out_push() counted it: the
			 * bytes stay and go with the next ACK or the timer.
			 */
			c->cnt.outq_full--;
			c->cnt.output_deferred++;
			stalled = true;
			break;
		}
		/*
		 * RFC 9438 5.8: data goes with nothing in flight, whoever
		 * released it (a write, a zero window opening): CUBIC's t
		 * skips the time the flight was empty, as Linux's
		 * CA_EVENT_TX_START. Before sent_one(), which may time
		 * the segment over idle_start.
		 */
		if (__builtin_expect(conn->cubic_plateau != 0, 0) &&
		    conn->snd_una == conn->snd_max)
			tcp_cc_pause(conn, now);
		o->len = n;
		tcp_ooo_fit(conn, o);
		sent_one(c, conn, n, fin, now);
		sent++;
		/*
		 * Every buffered byte is out, and the FIN with them if it
		 * was queued: another round would find nothing to send.
		 */
		if (n == avail) {
			avail = 0;
			break;
		}
	}
	if (sent > 0)
		tcp_cc_sent(conn);
	if ((sent > 0 || stalled) && conn->t_rexmit == 0)
		tcp_rexmit_set(c, conn, now);
	/* Zero window with data waiting and nothing in flight: persist. */
	if (conn->snd_wnd == 0 && avail > 0 && conn->t_rexmit == 0 &&
	    conn->snd_nxt == conn->snd_una && conn->t_persist == 0) {
		conn->t_persist = now + conn->rto;
		tcp_conn_arm(c, conn);
	}
}

/*
 * Whether the persist timer gives up on the zero window, counted. When
 * 2 * max_retries probes in a row draw no ACK at all the peer is gone.
 * Probes get twice the retransmission budget: they are cheap, and
 * closing a live connection is worse than probing a dead one a little
 * longer. Once the application has closed (the FIN queued behind the
 * data) the peer alone would decide how long the connection and its
 * send buffer stay: RFC 9293 3.8.6.1 keeps probing "subject to the
 * implementation's resource management concerns" (RFC 6429), so probes
 * then count answered or not, and after max_retries of them since the
 * window closed (persist_shift) the connection goes, as Linux aborts an
 * orphaned socket in persist (tcp_probe_timer()).
 */
static bool
persist_give_up(struct tcp_ctx *c, const struct tcp_conn *conn)
{
	if (conn->probes >= 2 * c->p.max_retries) {
		c->cnt.persist_abort++;
		return true;
	}
	if ((conn->flags & TCP_CF_FIN_QUEUED) &&
	    conn->persist_shift >= c->p.max_retries) {
		c->cnt.persist_closed_abort++;
		return true;
	}
	return false;
}

/*
 * RFC 5681 4.1 counts idle time from the last data sent, and a probe
 * carries a byte: if the window opens and the byte is rolled back, a
 * write restarts cwnd only an RTO after the probe (tcp_send()). Only a
 * probe within an RTO of the last send keeps that clock, the cautious
 * side: probes backed off to seconds apart pace nothing, and a write
 * after them restarts (Linux's probes carry no data and keep none).
 * Nothing is timed: the flight was empty.
 */
static void
probe_clock(struct tcp_conn *conn, uint64_t now)
{
	if (now - conn->idle_start <= conn->rto)
		conn->idle_start = now;
}

/*
 * Persist timer: probe a zero window with one byte (RFC 9293 3.8.6.1),
 * with exponential backoff. The peer may keep its window closed for as
 * long as it answers the probes (RFC 1122 4.2.2.17) while the
 * application is open; the connection is reset and freed when
 * persist_give_up() says so.
 */
void
tcp_probe(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now)
{
	uint32_t avail = conn->sb_len - (conn->snd_nxt - conn->snd_una);
	uint64_t t;
	struct tcp_out *o;

	if (conn->snd_wnd != 0 || conn->sb_len == 0 || avail == 0 ||
	    conn->snd_nxt != conn->snd_una || !can_send(conn)) {
		tcp_persist_opened(conn);
		/* Or the SWS override timer fired (sws_len()). */
		tcp_output(c, conn, now, UINT32_MAX);
		return;
	}
	if (persist_give_up(c, conn)) {
		tcp_send_rst_conn(c, conn, now);
		tcp_conn_free(c, conn);
		return;
	}
	conn->probes++;
	o = tcp_out_seg(c, conn, conn->snd_nxt, NET_TCP_ACK, now);
	if (o != NULL) {
		o->len = 1;
		c->cnt.zero_window_probe++;
		tcp_rec_sent(c, conn, conn->snd_nxt, 1,
			     net_seq_lt(conn->snd_nxt, conn->snd_max), now);
		if (net_seq_gt(conn->snd_nxt + 1, conn->snd_max))
			conn->snd_max = conn->snd_nxt + 1;
		probe_clock(conn, now);
	}
	/* Probes since the window closed; backoff() caps the shift. */
	if (conn->persist_shift < UINT8_MAX)
		conn->persist_shift++;
	t = tcp_backoff(c, conn->rto, conn->persist_shift);
	conn->t_persist = now + t;
	tcp_conn_arm(c, conn);
}
