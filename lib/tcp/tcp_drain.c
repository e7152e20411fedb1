/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Graceful drain (tcp_drain.h): refuse new connections, offer the open
 * ones to their application to close, the "drain done" test and the
 * reset of what is left at the timeout.
 */
#include "tcp_drain.h"
#include "tcp_internal.h"

/* Stop a slice when this much of the output queue is in use. */
#define DRAIN_OUTQ_LIMIT (TCP_OUTQ_SIZE / 2)

void
tcp_drain_start(struct tcp_ctx *c)
{
	if (c->drain)
		return;
	c->drain = true;
	c->drain_cursor = 0;
}

bool
tcp_draining(const struct tcp_ctx *c)
{
	return c->drain;
}

/*
 * RFC 9293 3.10.7.2 LISTEN, with the listener going away: an incoming
 * RST is ignored, anything else is answered as in CLOSED, by a reset
 * (3.10.7.1), so that the peer learns at once that nobody listens here.
 */
void
tcp_drain_refuse(struct tcp_ctx *c, const struct net_seg *seg)
{
	if (seg->flags & NET_TCP_RST) {
		c->cnt.drop_rst_unknown++;
		return;
	}
	c->cnt.drain_refused++;
	tcp_send_rst_seg(c, seg);
}

/* Whether the application may still send, so decides the close. */
static bool
drain_candidate(const struct tcp_conn *conn)
{
	return (conn->flags & TCP_CF_USED) &&
		!(conn->flags & TCP_CF_FIN_QUEUED) &&
		(conn->state == TCP_ESTABLISHED ||
		 conn->state == TCP_CLOSE_WAIT);
}

static void
drain_offer(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now)
{
	if (tcp_app_event(c, conn, TCP_APP_DRAIN, now) &&
	    tcp_after_callback(c, conn, now))
		tcp_conn_arm(c, conn);
}

uint32_t
tcp_drain_step(struct tcp_ctx *c, uint64_t now, uint32_t budget)
{
	uint32_t n = 0;

	if (!c->drain)
		return 0;
	while (n < budget && c->drain_cursor < c->p.max_connections &&
	       c->outq.n < DRAIN_OUTQ_LIMIT) {
		struct tcp_conn *conn = &c->conns[c->drain_cursor++];

		n++;
		if (drain_candidate(conn))
			drain_offer(c, conn, now);
	}
	return n;
}

bool
tcp_drain_done(const struct tcp_ctx *c, bool wait_time_wait)
{
	return c->conn_used == 0 && (!wait_time_wait || c->tw_used == 0);
}

/*
 * Slots visited per reset call: budget times this, so that a sparse pool
 * costs a bounded slice too. The walk goes on from where it stopped and
 * wraps, since a connection can only be freed meanwhile, never created.
 */
#define DRAIN_RESET_SCAN 16

uint32_t
tcp_drain_reset(struct tcp_ctx *c, uint64_t now, uint32_t budget)
{
	uint64_t scan = (uint64_t)budget * DRAIN_RESET_SCAN;
	uint32_t n = 0;

	while (scan-- > 0 && n < budget && c->conn_used > 0 &&
	       c->outq.n < DRAIN_OUTQ_LIMIT) {
		struct tcp_conn *conn;

		if (c->drain_reset_at >= c->p.max_connections)
			c->drain_reset_at = 0;
		conn = &c->conns[c->drain_reset_at++];
		if (!(conn->flags & TCP_CF_USED))
			continue;
		c->cnt.drain_reset++;
		tcp_abort(c, conn, now);
		n++;
	}
	return n;
}
