/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Receive buffers: a pool of rings of rcv_wnd bytes. A connection takes
 * one only when the application leaves received bytes unread, and gives
 * it back once they are all taken (or when it is freed). The bytes are
 * acknowledged: the window advertised is the free space of the buffer
 * (RFC 9293 3.8.6.2.2), so a reader that stops reading closes the window
 * to zero and the peer's persist timer takes over.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

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
	uint32_t n = rb_count(&c->p), i;

	c->rb_nfree = 0;
	c->rb_count = 0;
	if (c->p.rcv_wnd == 0)
		return 0;
	c->rb_mem = calloc(n, c->p.rcv_wnd);
	c->rb_stack = calloc(n, sizeof(*c->rb_stack));
	if (c->rb_mem == NULL || c->rb_stack == NULL)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		c->rb_stack[i] = n - 1 - i;
	c->rb_nfree = n;
	c->rb_count = n;
	c->mem += (size_t)n * c->p.rcv_wnd + n * sizeof(*c->rb_stack);
	return 0;
}

void
tcp_rb_fini(struct tcp_ctx *c)
{
	free(c->rb_mem);
	free(c->rb_stack);
}

void
tcp_rb_put(struct tcp_ctx *c, struct tcp_conn *conn)
{
	if (conn->rb == TCP_NONE)
		return;
	c->rb_stack[c->rb_nfree++] = conn->rb;
	conn->rb = TCP_NONE;
	conn->rb_head = 0;
	conn->rb_len = 0;
}

static uint8_t *
rb_base(const struct tcp_ctx *c, const struct tcp_conn *conn)
{
	return c->rb_mem + (size_t)conn->rb * c->p.rcv_wnd;
}

/* Free space: what the window may offer. */
uint32_t
tcp_rb_space(const struct tcp_ctx *c, const struct tcp_conn *conn)
{
	return c->p.rcv_wnd - conn->rb_len;
}

/*
 * Keep len bytes (taking a buffer if needed); returns how many fit. 0
 * when the pool is empty: those bytes then stay unacknowledged.
 */
uint32_t
tcp_rb_append(struct tcp_ctx *c, struct tcp_conn *conn, const uint8_t *data,
	      uint32_t len)
{
	uint32_t size = c->p.rcv_wnd, tail, n, first;
	uint8_t *base;

	if (len == 0)
		return 0;
	if (conn->rb == TCP_NONE) {
		if (c->rb_nfree == 0) {
			c->cnt.rcvbuf_exhausted++;
			return 0;
		}
		conn->rb = c->rb_stack[--c->rb_nfree];
		conn->rb_head = 0;
		conn->rb_len = 0;
	}
	base = rb_base(c, conn);
	n = size - conn->rb_len;
	if (len < n)
		n = len;
	tail = (conn->rb_head + conn->rb_len) % size;
	first = size - tail;
	if (first > n)
		first = n;
	memcpy(base + tail, data, first);
	memcpy(base, data + first, n - first);
	conn->rb_len += n;
	c->cnt.rcvbuf_bytes += n;
	return n;
}

/*
 * Offer the held bytes to the application, oldest first, until it takes
 * less than offered; once empty, give the buffer back and report a FIN
 * that arrived behind them. False when the connection was freed.
 */
bool
tcp_rb_deliver(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now)
{
	uint32_t gen = conn->gen, n, took;

	while (conn->rb_len > 0) {
		n = c->p.rcv_wnd - conn->rb_head;
		if (n > conn->rb_len)
			n = conn->rb_len;
		took = tcp_app_data(c, conn, rb_base(c, conn) + conn->rb_head,
				    n, now);
		if (!tcp_conn_live(conn, gen))
			return false;
		if (conn->rb == TCP_NONE)
			break;
		conn->rb_head = (conn->rb_head + took) % c->p.rcv_wnd;
		conn->rb_len -= took;
		if (took < n)
			return true;
	}
	tcp_rb_put(c, conn);
	if (conn->flags & TCP_CF_FIN_HELD) {
		conn->flags &= ~TCP_CF_FIN_HELD;
		return tcp_app_peer_fin(c, conn, now);
	}
	return true;
}

uint32_t
tcp_read_pending(const struct tcp_conn *conn)
{
	return conn->rb_len;
}
