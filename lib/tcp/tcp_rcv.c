/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * RFC 9293 3.10.7.4 seventh (segment text) and eighth (FIN bit) for the
 * synchronized states, with the ACK policy of RFC 1122 4.2.3.2 and
 * RFC 5681 4.2.
 */
#include "tcp_internal.h"

/* Hand in-order bytes to the application; returns how many it took. */
static uint32_t
app_data(struct tcp_ctx *c, struct tcp_conn *conn, const uint8_t *data,
	 uint32_t len, uint64_t now)
{
	const struct tcp_app_ops *ops = tcp_conn_ops(c, conn);
	uint32_t took;

	if (ops == NULL || ops->on_data == NULL)
		return len;
	c->cb_depth++;
	took = ops->on_data(c, conn, data, len, now);
	c->cb_depth--;
	return took < len ? took : len;
}

static bool
text_state(const struct tcp_conn *conn)
{
	return conn->state == TCP_ESTABLISHED ||
		conn->state == TCP_FIN_WAIT_1 ||
		conn->state == TCP_FIN_WAIT_2;
}

/*
 * RFC 1122 4.2.3.2: delay the ACK of in-order data (delayed_ack_ms), but
 * acknowledge at least every second full-sized segment at once.
 */
static void
ack_policy(struct tcp_ctx *c, struct tcp_conn *conn, uint32_t seg_len,
	   uint64_t now)
{
	if (seg_len >= conn->snd_mss && ++conn->full_segs >= 2) {
		conn->flags |= TCP_CF_ACK_NOW;
		return;
	}
	if (c->p.delayed_ack_ms == 0) {
		conn->flags |= TCP_CF_ACK_NOW;
		return;
	}
	if (conn->t_dack == 0)
		conn->t_dack = now + (uint64_t)c->p.delayed_ack_ms * 1000;
}

/* Seventh, process the segment text (in order only). */
bool
tcp_rcv_text(struct tcp_ctx *c, struct tcp_conn *conn,
	     const struct net_seg *seg, uint64_t now)
{
	const uint8_t *data = seg->data;
	uint32_t len = seg->len, seq = seg->seq, skip, wnd = 0, took;
	uint32_t gen = conn->gen;

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
	/* Trim what was already received; an old duplicate is re-ACKed. */
	if (net_seq_lt(seq, conn->rcv_nxt)) {
		skip = conn->rcv_nxt - seq;
		if (skip >= len) {
			conn->flags |= TCP_CF_ACK_NOW;
			return true;
		}
		data += skip;
		len -= skip;
		seq = conn->rcv_nxt;
	}
	/* Out of order: not kept; an immediate duplicate ACK. */
	if (seq != conn->rcv_nxt) {
		c->cnt.ooo_drop++;
		c->cnt.dup_ack_sent++;
		conn->flags |= TCP_CF_ACK_NOW;
		return true;
	}
	/* Trim to the window we advertised. */
	if (net_seq_gt(conn->rcv_adv, conn->rcv_nxt))
		wnd = conn->rcv_adv - conn->rcv_nxt;
	if (len > wnd) {
		c->cnt.window_drop++;
		len = wnd;
		conn->flags |= TCP_CF_ACK_NOW;
	}
	if (len == 0)
		return true;
	took = app_data(c, conn, data, len, now);
	if (!tcp_conn_live(conn, gen))
		return false;
	/* Only what the application took is acknowledged. */
	conn->rcv_nxt += took;
	c->cnt.bytes_in += took;
	if (took < len)
		conn->flags |= TCP_CF_ACK_NOW;
	else
		ack_policy(c, conn, seg->len, now);
	return true;
}

static bool
app_peer_fin(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now)
{
	const struct tcp_app_ops *ops = tcp_conn_ops(c, conn);
	uint32_t gen = conn->gen;

	if (ops == NULL || ops->on_peer_fin == NULL)
		return true;
	c->cb_depth++;
	ops->on_peer_fin(c, conn, now);
	c->cb_depth--;
	return tcp_conn_live(conn, gen);
}

/*
 * Eighth, check the FIN bit: only a FIN reached in order (all text before
 * it taken) counts. It is acknowledged at once.
 */
bool
tcp_rcv_fin(struct tcp_ctx *c, struct tcp_conn *conn,
	    const struct net_seg *seg, uint64_t now)
{
	if (!(seg->flags & NET_TCP_FIN) || !text_state(conn) ||
	    seg->seq + seg->len != conn->rcv_nxt)
		return true;
	conn->rcv_nxt++;
	conn->flags |= TCP_CF_ACK_NOW;
	/* ESTABLISHED: enter CLOSE-WAIT. */
	if (conn->state == TCP_ESTABLISHED)
		tcp_set_state(c, conn, TCP_CLOSE_WAIT);
	/* FIN-WAIT-1 (our FIN not yet acked): enter CLOSING. */
	else if (conn->state == TCP_FIN_WAIT_1)
		tcp_set_state(c, conn, TCP_CLOSING);
	if (!app_peer_fin(c, conn, now))
		return false;
	/* FIN-WAIT-2: enter TIME-WAIT (a record replaces the connection). */
	if (conn->state == TCP_FIN_WAIT_2) {
		tcp_send_ack(c, conn, now);
		tcp_tw_enter(c, conn, now);
		return false;
	}
	return true;
}
