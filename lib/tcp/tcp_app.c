/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The one way into the application: every callback of struct
 * tcp_app_ops is made here, under the same rules. While a callback runs,
 * cb_depth is non-zero, so that tcp_send() and tcp_close() defer their
 * output until it returns (the segments then carry the acknowledgement
 * of the data just taken); afterwards the connection's generation tells
 * whether the callback freed it (tcp_abort()).
 */
#include "tcp_internal.h"

/*
 * The listener's timer at the open (tcp_listen_open_timer()): only the
 * deadline; the caller arms the connection after the segment, as for
 * every segment (tcp_conn_input()), so that it costs no call.
 */
static inline void
tcp_open_timer(const struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now)
{
	uint64_t t = c->lst[conn->listener].open_timer;

	if (t != 0)
		conn->t_app = now + t;
}

bool
tcp_app_event(struct tcp_ctx *c, struct tcp_conn *conn, enum tcp_app_event ev,
	      uint64_t now)
{
	const struct tcp_app_ops *ops = tcp_conn_ops(c, conn);
	void (*fn)(struct tcp_ctx *, struct tcp_conn *, uint64_t) = NULL;
	uint32_t gen = conn->gen;

	if (ops != NULL) {
		switch (ev) {
		case TCP_APP_OPEN:
			tcp_open_timer(c, conn, now);
			fn = ops->on_open;
			break;
		case TCP_APP_SENT:
			fn = ops->on_sent;
			break;
		case TCP_APP_PEER_FIN:
			fn = ops->on_peer_fin;
			break;
		case TCP_APP_TIMER:
			fn = ops->on_timer;
			break;
		case TCP_APP_DRAIN:
			fn = ops->on_drain;
			break;
		}
	}
	if (fn == NULL)
		return true;
	c->cb_depth++;
	fn(c, conn, now);
	c->cb_depth--;
	return tcp_conn_live(conn, gen);
}

bool
tcp_app_data(struct tcp_ctx *c, struct tcp_conn *conn, const uint8_t *data,
	     uint32_t len, uint64_t now, uint32_t *took)
{
	const struct tcp_app_ops *ops = tcp_conn_ops(c, conn);
	uint32_t gen = conn->gen, n;

	if (ops == NULL || ops->on_data == NULL) {
		*took = len;
		return true;
	}
	c->cb_depth++;
	n = ops->on_data(c, conn, data, len, now);
	c->cb_depth--;
	*took = n < len ? n : len;
	return tcp_conn_live(conn, gen);
}

/*
 * After the application ran: offer held bytes it asked for again, send
 * what it queued and any ACK (window update) that is due. Returns false
 * when the connection was freed meanwhile.
 */
bool
tcp_after_callback(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now)
{
	if ((conn->flags & TCP_CF_READ_RESUME) && !tcp_rcv_resume(c, conn, now))
		return false;
	if (conn->flags & TCP_CF_NEED_OUTPUT) {
		conn->flags &= ~TCP_CF_NEED_OUTPUT;
		tcp_output(c, conn, now, UINT32_MAX);
	}
	if (conn->flags & TCP_CF_ACK_NOW)
		tcp_send_ack(c, conn, now);
	return true;
}
