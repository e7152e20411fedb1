/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Receive buffers: a pool of rings of rcv_wnd bytes. A connection takes
 * one only when the application leaves received bytes unread or when
 * out-of-order bytes arrive (tcp_ooo.c keeps them in the ring at their
 * offset beyond RCV.NXT), and gives it back once all are taken (or when
 * it is freed, or when another connection needs one while it has held
 * only out-of-order data, stalled: tcp_ooo_reclaim()). The bytes in
 * order are acknowledged: the window advertised is the free space of the
 * buffer (RFC 9293 3.8.6.2.2), so a reader that stops reading closes the
 * window to zero and the peer's persist timer takes over.
 */
#include "tcp_internal.h"

#define TCP_RB_DEFAULT_DIV 16
#define TCP_RB_DEFAULT_MEM (64u << 20)

static uint32_t
rb_count(const struct tcp_params *p)
{
	uint32_t n = p->max_rcv_buffers, cap;

	if (n != 0)
		return n;
	n = p->max_send_buffers / TCP_RB_DEFAULT_DIV;
	cap = TCP_RB_DEFAULT_MEM / (p->rcv_wnd ? p->rcv_wnd : 1);
	if (n > cap)
		n = cap;
	return n ? n : 1;
}

int
tcp_rb_init(struct tcp_ctx *c)
{
	int rc = tcp_bufpool_init(&c->rbp, rb_count(&c->p), c->p.rcv_wnd,
				  &c->mem);

	return rc != 0 ? rc : tcp_ooo_init(c, c->rbp.count);
}

void
tcp_rb_fini(struct tcp_ctx *c)
{
	tcp_bufpool_fini(&c->rbp);
	tcp_ooo_fini(c);
}

/* Out of line: most connections never take a receive buffer. */
static __attribute__((noinline)) void
rb_release(struct tcp_ctx *c, struct tcp_conn *conn)
{
	tcp_ooo_reset(c, conn->rb);
	tcp_bufpool_put(&c->rbp, conn->rb);
	c->cnt.rcvbuf_bytes -= conn->rb_len;
	conn->rb = TCP_NONE;
	conn->rb_head = 0;
	conn->rb_len = 0;
}

void
tcp_rb_put(struct tcp_ctx *c, struct tcp_conn *conn)
{
	if (c->dsack.conn == conn->idx)
		c->dsack.conn = TCP_NONE;
	if (conn->rb != TCP_NONE)
		rb_release(c, conn);
}

static uint8_t *
rb_base(const struct tcp_ctx *c, const struct tcp_conn *conn)
{
	return tcp_bufpool_base(&c->rbp, conn->rb);
}

/*
 * Give conn a buffer if it has none; when the pool is empty, one taken
 * back from a connection holding only out-of-order data, long stalled
 * (tcp_ooo_reclaim()). False when there is none.
 */
bool
tcp_rb_get(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now)
{
	uint32_t idx;

	if (conn->rb != TCP_NONE)
		return true;
	idx = tcp_bufpool_get(&c->rbp);
	if (idx == TCP_NONE && tcp_ooo_reclaim(c, now))
		idx = tcp_bufpool_get(&c->rbp);
	if (idx == TCP_NONE)
		return false;
	conn->rb = idx;
	conn->rb_head = 0;
	conn->rb_len = 0;
	return true;
}

/*
 * Keep len bytes (taking a buffer if needed); returns how many fit. 0
 * when there is no buffer: those bytes then stay unacknowledged.
 */
uint32_t
tcp_rb_append(struct tcp_ctx *c, struct tcp_conn *conn, const uint8_t *data,
	      uint32_t len, uint64_t now)
{
	uint32_t n;

	if (len == 0)
		return 0;
	if (!tcp_rb_get(c, conn, now)) {
		c->cnt.rcvbuf_exhausted++;
		return 0;
	}
	n = tcp_ring_append(&c->rbp, conn->rb, conn->rb_head, conn->rb_len,
			    data, len);
	conn->rb_len += n;
	c->cnt.rcvbuf_bytes += n;
	return n;
}

/* Give the buffer back once it holds nothing, in order or not. */
void
tcp_rb_idle(struct tcp_ctx *c, struct tcp_conn *conn)
{
	if (conn->rb_len == 0 && !tcp_ooo_held(c, conn))
		tcp_rb_put(c, conn);
}

/*
 * Offer the held bytes to the application, oldest first, until it takes
 * less than offered; once empty, give the buffer back (unless it still
 * holds out-of-order data) and report a FIN that arrived behind them.
 * False when the connection was freed.
 */
bool
tcp_rb_deliver(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now)
{
	uint32_t n, took;

	while (conn->rb_len > 0) {
		n = c->p.rcv_wnd - conn->rb_head;
		if (n > conn->rb_len)
			n = conn->rb_len;
		if (!tcp_app_data(c, conn, rb_base(c, conn) + conn->rb_head, n,
				  now, &took))
			return false;
		if (conn->rb == TCP_NONE)
			break;
		conn->rb_head = tcp_ring_wrap(conn->rb_head + took,
					      c->p.rcv_wnd);
		conn->rb_len -= took;
		c->cnt.rcvbuf_bytes -= took;
		if (took < n)
			return true;
	}
	tcp_rb_idle(c, conn);
	if (conn->flags & TCP_CF_FIN_HELD) {
		conn->flags &= ~TCP_CF_FIN_HELD;
		return tcp_app_event(c, conn, TCP_APP_PEER_FIN, now);
	}
	return true;
}

uint32_t
tcp_read_pending(const struct tcp_conn *conn)
{
	return conn->rb_len;
}
