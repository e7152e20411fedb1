/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Send buffers: a pool of max_send_buffers rings of snd_buf bytes. A
 * connection takes one when it first sends and gives it back once all of
 * its data is acknowledged (or when it is freed). The ring holds the bytes
 * from SND.UNA on: sb_head is the offset of SND.UNA's byte, sb_len the
 * bytes buffered (sent and unsent).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tcp_internal.h"

int
tcp_sb_init(struct tcp_ctx *c)
{
	uint32_t n = c->p.max_send_buffers, i;

	c->sb_nfree = 0;
	if (n == 0 || c->p.snd_buf == 0)
		return 0;
	c->sb_mem = calloc(n, c->p.snd_buf);
	c->sb_stack = calloc(n, sizeof(*c->sb_stack));
	if (c->sb_mem == NULL || c->sb_stack == NULL)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		c->sb_stack[i] = n - 1 - i;
	c->sb_nfree = n;
	c->mem += (size_t)n * c->p.snd_buf + n * sizeof(*c->sb_stack);
	return 0;
}

void
tcp_sb_fini(struct tcp_ctx *c)
{
	free(c->sb_mem);
	free(c->sb_stack);
}

/* Give conn a buffer if it has none. False when the pool is empty. */
bool
tcp_sb_get(struct tcp_ctx *c, struct tcp_conn *conn)
{
	if (conn->sb != TCP_NONE)
		return true;
	if (c->sb_nfree == 0) {
		c->cnt.sndbuf_exhausted++;
		return false;
	}
	conn->sb = c->sb_stack[--c->sb_nfree];
	conn->sb_head = 0;
	conn->sb_len = 0;
	return true;
}

void
tcp_sb_put(struct tcp_ctx *c, struct tcp_conn *conn)
{
	if (conn->sb == TCP_NONE)
		return;
	c->sb_stack[c->sb_nfree++] = conn->sb;
	conn->sb = TCP_NONE;
	conn->sb_head = 0;
	conn->sb_len = 0;
}

static uint8_t *
sb_base(const struct tcp_ctx *c, const struct tcp_conn *conn)
{
	return c->sb_mem + (size_t)conn->sb * c->p.snd_buf;
}

/* Append up to len bytes; returns how many fit. */
uint32_t
tcp_sb_write(struct tcp_ctx *c, struct tcp_conn *conn, const void *data,
	     uint32_t len)
{
	uint32_t size = c->p.snd_buf, tail, n, first;
	uint8_t *base = sb_base(c, conn);

	n = size - conn->sb_len;
	if (len < n)
		n = len;
	tail = (conn->sb_head + conn->sb_len) % size;
	first = size - tail;
	if (first > n)
		first = n;
	memcpy(base + tail, data, first);
	memcpy(base, (const uint8_t *)data + first, n - first);
	conn->sb_len += n;
	return n;
}

/* Drop n acknowledged bytes from the front. */
void
tcp_sb_consume(struct tcp_ctx *c, struct tcp_conn *conn, uint32_t n)
{
	if (conn->sb == TCP_NONE)
		return;
	if (n > conn->sb_len)
		n = conn->sb_len;
	conn->sb_head = (conn->sb_head + n) % c->p.snd_buf;
	conn->sb_len -= n;
}

/* The len bytes at offset off from SND.UNA, in one or two pieces. */
unsigned int
tcp_sb_read(const struct tcp_ctx *c, const struct tcp_conn *conn,
	    uint32_t off, uint32_t len, const uint8_t *ptr[2],
	    uint32_t plen[2])
{
	uint32_t size = c->p.snd_buf, start, first;
	const uint8_t *base;

	if (conn->sb == TCP_NONE || len == 0 || off > conn->sb_len ||
	    len > conn->sb_len - off)
		return 0;
	base = sb_base(c, conn);
	start = (conn->sb_head + off) % size;
	first = size - start;
	ptr[0] = base + start;
	if (first >= len) {
		plen[0] = len;
		return 1;
	}
	plen[0] = first;
	ptr[1] = base;
	plen[1] = len - first;
	return 2;
}
