/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * RFC 9293 3.10.7.4 seventh (segment text) and eighth (FIN bit) for the
 * synchronized states, with the ACK policy of RFC 1122 4.2.3.2 and
 * RFC 5681 4.2.
 */
#include "tcp_internal.h"

static bool
text_state(const struct tcp_conn *conn)
{
	return conn->state == TCP_ESTABLISHED ||
		conn->state == TCP_FIN_WAIT_1 || conn->state == TCP_FIN_WAIT_2;
}

/*
 * RFC 5681 4.2: a full-sized segment is one of the sender's SMSS, which
 * may be below the MSS it announced (its own MTU or path MTU is
 * smaller). Then its largest segment so far counts, from 536 bytes on
 * (RFC 9293 3.7.1's default), as with Linux's receive MSS estimate
 * (tcp_measure_rcv_mss()), which takes that floor for IPv6 too; so does
 * this, though IPv6's default is 1220: a segment in between only draws
 * an ACK sooner. Kept to 64 bytes (rcv_seg_max64), so a segment a
 * little shorter may count too: again an ACK sooner, never later.
 * Without it, a peer sending 1400-byte segments after announcing 1460
 * had every ACK wait for the delayed ACK timer. Returns whether seg_len
 * is full-sized, noting it as the largest when it is.
 */
static bool
note_full_sized(struct tcp_conn *conn, uint32_t seg_len)
{
	uint32_t u = seg_len / 64;

	if (seg_len >= conn->snd_mss)
		return true;
	if (seg_len < TCP_DEFAULT_MSS || u < conn->rcv_seg_max64)
		return false;
	conn->rcv_seg_max64 = (uint8_t)(u < UINT8_MAX ? u : UINT8_MAX);
	return true;
}

/*
 * RFC 1122 4.2.3.2: delay the ACK of in-order data (delayed_ack_ms), but
 * acknowledge at least every second full-sized segment at once.
 */
static void
ack_policy(struct tcp_ctx *c, struct tcp_conn *conn, uint32_t seg_len,
	   uint64_t now)
{
	if (note_full_sized(conn, seg_len) && ++conn->full_segs >= 2) {
		conn->flags |= TCP_CF_ACK_NOW;
		return;
	}
	if (c->us.delayed_ack == 0) {
		conn->flags |= TCP_CF_ACK_NOW;
		return;
	}
	if (conn->t_dack == 0)
		conn->t_dack = now + c->us.delayed_ack;
}

/*
 * Under half-close the peer may keep sending in FIN-WAIT-2: its data
 * restarts the FIN-WAIT-2 timeout, which only reaps a silent peer (when
 * the application bounds the connection, none is armed: tcp_input.c).
 */
static void
fin_wait2_restart(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now)
{
	if (conn->state == TCP_FIN_WAIT_2 && conn->t_state != 0)
		conn->t_state = now + c->us.fin_wait2;
}

/*
 * Bytes behind others still held, or with out-of-order bytes beyond them:
 * append them to the ring, join the ranges they reach (tcp_ooo.c), then
 * offer the lot. RFC 5681 4.2: a segment that fills all or part of a gap
 * is acknowledged at once.
 */
static bool
rcv_held(struct tcp_ctx *c, struct tcp_conn *conn, const uint8_t *data,
	 uint32_t len, uint32_t seg_len, uint64_t now)
{
	bool gap = tcp_ooo_held(c, conn);
	uint32_t kept = tcp_rb_append(c, conn, data, len, now);

	conn->rcv_nxt += kept;
	c->cnt.bytes_in += kept + tcp_ooo_join(c, conn, now);
	fin_wait2_restart(c, conn, now);
	if (kept < len) {
		c->cnt.window_drop += len - kept;
		conn->flags |= TCP_CF_ACK_NOW;
	} else if (gap) {
		conn->flags |= TCP_CF_ACK_NOW;
	} else {
		ack_policy(c, conn, seg_len, now);
	}
	return tcp_rb_deliver(c, conn, now);
}

/*
 * Bytes inside the window we offered found neither the application nor
 * a receive buffer to take them (the pool empty, counted there:
 * rcvbuf_exhausted). Any application: they stay unacknowledged and an
 * ACK goes at once, offering the window the peer knows, its right edge
 * where it was (RFC 9293 3.8.6, SHLD-14: no shrinking), so that the
 * peer's retransmission finds the room once a buffer is back. An
 * application whose window is its send space (echo) waits for one as a
 * window waiter meanwhile (tcp_window_refused()).
 */
static void
rcv_unbacked(struct tcp_conn *conn)
{
	conn->flags |= TCP_CF_ACK_NOW;
}

/*
 * Seventh, process the segment text: in order, to the application (what
 * it leaves is held); beyond RCV.NXT, to the out-of-order queue.
 */
bool
tcp_rcv_text(struct tcp_ctx *c, struct tcp_conn *conn,
	     const struct net_seg *seg, uint64_t now)
{
	const uint8_t *data = seg->data;
	uint32_t len = seg->len, seq = seg->seq, skip, wnd = 0, took, kept;

	/* CLOSE-WAIT and later: the peer sent its FIN; ignore the text. */
	if (len == 0 || !text_state(conn))
		return true;
	/* RFC 1122 4.2.2.13: new data after a full close is answered by RST. */
	if ((conn->flags & TCP_CF_NO_READ) &&
	    net_seq_gt(seq + len, conn->rcv_nxt)) {
		c->cnt.drop_after_close++;
		tcp_send_rst_conn(c, conn, now);
		tcp_conn_free(c, conn);
		return false;
	}
	/*
	 * Trim what was already received; an old duplicate is re-ACKed,
	 * with a D-SACK block for the bytes received twice (RFC 2883 4).
	 */
	if (net_seq_lt(seq, conn->rcv_nxt)) {
		skip = conn->rcv_nxt - seq;
		tcp_ooo_dup(c, conn, seq,
			    skip >= len ? seq + len : conn->rcv_nxt);
		if (skip >= len) {
			conn->flags |= TCP_CF_ACK_NOW;
			return true;
		}
		data += skip;
		len -= skip;
		seq = conn->rcv_nxt;
	}
	/* Out of order: held, with an immediate duplicate ACK. */
	if (seq != conn->rcv_nxt) {
		tcp_ooo_queue(c, conn, seq, data, len, now);
		return true;
	}
	/* Trim to the window we advertised. */
	if (net_seq_gt(conn->rcv_adv, conn->rcv_nxt))
		wnd = conn->rcv_adv - conn->rcv_nxt;
	if (len > wnd) {
		c->cnt.window_drop += len - wnd;
		len = wnd;
		conn->flags |= TCP_CF_ACK_NOW;
	}
	if (len == 0)
		return true;
	if (conn->rb != TCP_NONE)
		return rcv_held(c, conn, data, len, seg->len, now);
	/*
	 * The bytes count as received while the application looks at them,
	 * so that a RST it sends from the callback (abort) acknowledges them
	 * (RFC 9293 3.1: the next sequence number expected).
	 */
	conn->rcv_nxt += len;
	if (!tcp_app_data(c, conn, data, len, now, &took))
		return false;
	/*
	 * What the application left is held in the receive buffer and
	 * acknowledged; only bytes that find no buffer stay unacknowledged.
	 */
	kept = took < len ?
		tcp_rb_append(c, conn, data + took, len - took, now) :
		0;
	conn->rcv_nxt -= len - took - kept;
	c->cnt.bytes_in += took + kept;
	fin_wait2_restart(c, conn, now);
	if (took + kept < len)
		rcv_unbacked(conn);
	else
		ack_policy(c, conn, seg->len, now);
	return true;
}

/*
 * The least a window update opens (RFC 1122 4.2.3.3): min(MSS, half the
 * buffer the window is bounded by, tcp_rcv_buf()), rounded up so that a
 * one-byte buffer has a step. Half of rcv_wnd alone would leave a
 * window bounded lower (echo's, by a send buffer under two MSS) never
 * a step wider: its peer would wait on its own zero window probes.
 */
static uint32_t
rcv_step(const struct tcp_ctx *c, const struct tcp_conn *conn)
{
	uint32_t buf = tcp_rcv_buf(c, conn), half = buf / 2 + (buf & 1);

	return half < conn->snd_mss ? half : conn->snd_mss;
}

/*
 * The application asked for its held bytes again (tcp_read_resume()),
 * or its bound on the window (rcv_space) rose. A window update goes out
 * at once when the window the peer knows is under one step (rcv_step())
 * and the room (tcp_rcv_room()) is at least a step more, the window an
 * ACK would offer now (the room rounded down to the scale unit) more
 * than it knows (RFC 1122 4.2.3.3, RFC 9293 3.8.6.2.2: receiver SWS
 * avoidance, the step measured on RCV.BUFF - RCV.USER): then the peer
 * may be waiting on it. A peer that knows a wider window is sending and
 * learns of the new one from the ACKs of its data. The update goes with
 * the data, if any goes (tcp_after_callback()); none once the peer's
 * FIN is in: it sends no more. Not inlined: it runs only on a resume,
 * and inlined into tcp_after_callback() it slowed every callback.
 */
__attribute__((noinline)) bool
tcp_rcv_resume(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now)
{
	uint32_t cur = 0, room, step;

	conn->flags &= ~TCP_CF_READ_RESUME;
	if (conn->rb_len > 0 && !tcp_rb_deliver(c, conn, now))
		return false;
	if (!text_state(conn))
		return true;
	if (net_seq_gt(conn->rcv_adv, conn->rcv_nxt))
		cur = conn->rcv_adv - conn->rcv_nxt;
	/* A step is at most an MSS: echo's every ACK ends here. */
	if (cur >= conn->snd_mss)
		return true;
	step = rcv_step(c, conn);
	if (cur >= step)
		return true;
	room = tcp_rcv_room(c, conn);
	if (room > cur && room - cur >= step &&
	    room >> conn->rcv_wscale << conn->rcv_wscale > cur)
		conn->flags |= TCP_CF_ACK_NOW;
	return true;
}

/*
 * RFC 1122 4.2.3.3, RFC 9293 3.8.6.2.2 (MUST-39), receiver SWS
 * avoidance: whether an ACK, with room bytes free, must keep the right
 * edge where the peer knows it, cur bytes on: the edge moves only once
 * the room is a step (rcv_step()) or more beyond it, whatever window the
 * peer knows (RFC 1122's RCV.BUFF - RCV.USER - RCV.WND, the room before
 * it is rounded down to the scale unit); a reader making room a little
 * at a time is not offered each bit of it. Out of line: tcp_rcv_window()
 * calls it only when the room is less than an MSS beyond cur but cur or
 * more (less is under a step, whatever the step).
 */
__attribute__((noinline)) bool
tcp_rcv_sws_hold(const struct tcp_ctx *c, const struct tcp_conn *conn,
		 uint32_t cur, uint32_t room)
{
	return room > cur && room - cur < rcv_step(c, conn);
}

/*
 * Whether the window the peer knows (RCV.ADV - RCV.NXT) is under a step
 * (rcv_step()): a peer that filled it may be waiting for an update.
 */
bool
tcp_rcv_known_short(const struct tcp_ctx *c, const struct tcp_conn *conn)
{
	uint32_t cur = 0;

	if (net_seq_gt(conn->rcv_adv, conn->rcv_nxt))
		cur = conn->rcv_adv - conn->rcv_nxt;
	return cur < rcv_step(c, conn);
}

/*
 * Eighth, the FIN bit, reached in order (all text before it received): it
 * is acknowledged at once, and the application hears of it only after
 * the bytes it has not taken.
 */
static bool
fin_take(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now)
{
	conn->rcv_nxt++;
	conn->flags |= TCP_CF_ACK_NOW;
	/* ESTABLISHED: enter CLOSE-WAIT. */
	if (conn->state == TCP_ESTABLISHED)
		tcp_set_state(c, conn, TCP_CLOSE_WAIT);
	/* FIN-WAIT-1 (our FIN not yet acked): enter CLOSING. */
	else if (conn->state == TCP_FIN_WAIT_1)
		tcp_set_state(c, conn, TCP_CLOSING);
	tcp_rb_idle(c, conn);
	if (conn->rb_len > 0)
		conn->flags |= TCP_CF_FIN_HELD;
	else if (!tcp_app_event(c, conn, TCP_APP_PEER_FIN, now))
		return false;
	/* FIN-WAIT-2: enter TIME-WAIT (a record replaces the connection). */
	if (conn->state == TCP_FIN_WAIT_2) {
		tcp_send_ack(c, conn, now);
		tcp_tw_enter(c, conn, now);
		return false;
	}
	return true;
}

/*
 * Eighth, check the FIN bit. RFC 9293 3.10.7.4 first (acceptability
 * table): with a zero receive window a segment occupying sequence space
 * is not acceptable; one at RCV.NXT was let through for its ACK and RST,
 * but its FIN, while no space opened since, is refused (ACK with
 * RCV.NXT, counted out of window) and taken when the peer retransmits it
 * into an open window. So is a FIN behind text that filled the window to
 * its right edge: trimmed to the window, the segment ends before it
 * (RFC 9293 3.10.7.4: "trimming off any portions that lie outside the
 * window (including SYN and FIN)"), unless the application made room
 * since (tcp_rcv_fin_in_window(), the same test beyond a gap). A FIN
 * beyond a gap, inside the window, is kept and takes effect when the gap
 * fills (tcp_ooo_fin(); "the FIN implies PUSH for
 * any segment text not yet delivered", so it cannot be processed before
 * that text); it draws a duplicate ACK (RFC 5681 4.2, out-of-order
 * segment).
 */
bool
tcp_rcv_fin(struct tcp_ctx *c, struct tcp_conn *conn, const struct net_seg *seg,
	    uint64_t now)
{
	uint32_t fin = seg->seq + seg->len;

	if (!text_state(conn))
		return true;
	if (seg->flags & NET_TCP_FIN) {
		if (fin == conn->rcv_nxt &&
		    !tcp_rcv_fin_in_window(c, conn, fin)) {
			c->cnt.drop_out_of_window++;
			conn->flags |= TCP_CF_ACK_NOW;
			return true;
		}
		if (fin == conn->rcv_nxt)
			return fin_take(c, conn, now);
		if (net_seq_gt(fin, conn->rcv_nxt)) {
			if (seg->len == 0)
				c->cnt.dup_ack_sent++;
			conn->flags |= TCP_CF_ACK_NOW;
			tcp_ooo_fin(c, conn, fin, now);
		}
	}
	if (tcp_ooo_fin_reached(c, conn))
		return fin_take(c, conn, now);
	return true;
}
