/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Send buffers: a pool of max_send_buffers rings of snd_buf bytes. A
 * connection takes one when it first sends and gives it back once all of
 * its data is acknowledged (or when it is freed). The ring holds the bytes
 * from SND.UNA on: sb_head is the offset of SND.UNA's byte, sb_len the
 * bytes buffered (sent and unsent).
 */
#include "tcp_internal.h"

int
tcp_sb_init(struct tcp_ctx *c)
{
	int rc = tcp_bufpool_init(&c->sbp, c->p.max_send_buffers, c->p.snd_buf,
				  &c->mem);

	return rc != 0 ? rc : tcp_rack_init(c, c->sbp.count);
}

void
tcp_sb_fini(struct tcp_ctx *c)
{
	tcp_rack_fini(c);
	tcp_bufpool_fini(&c->sbp);
}

/* Give conn a buffer if it has none. False when the pool is empty. */
bool
tcp_sb_get(struct tcp_ctx *c, struct tcp_conn *conn)
{
	uint32_t idx;

	if (conn->sb != TCP_NONE)
		return true;
	idx = tcp_bufpool_get(&c->sbp);
	if (idx == TCP_NONE) {
		c->cnt.sndbuf_exhausted++;
		return false;
	}
	conn->sb = idx;
	conn->sb_head = 0;
	conn->sb_len = 0;
	tcp_rack_reset(c, idx);
	return true;
}

void
tcp_sb_put(struct tcp_ctx *c, struct tcp_conn *conn)
{
	if (conn->sb == TCP_NONE)
		return;
	tcp_bufpool_put(&c->sbp, conn->sb);
	conn->sb = TCP_NONE;
	conn->sb_head = 0;
	conn->sb_len = 0;
}

/* Append up to len bytes; returns how many fit. */
uint32_t
tcp_sb_write(struct tcp_ctx *c, struct tcp_conn *conn, const void *data,
	     uint32_t len)
{
	uint32_t n = tcp_ring_append(&c->sbp, conn->sb, conn->sb_head,
				     conn->sb_len, data, len);

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
	conn->sb_head = tcp_ring_wrap(conn->sb_head + n, c->sbp.size);
	conn->sb_len -= n;
}

/* The len bytes at offset off from SND.UNA, in one or two pieces. */
unsigned int
tcp_sb_read(const struct tcp_ctx *c, const struct tcp_conn *conn, uint32_t off,
	    uint32_t len, const uint8_t *ptr[2], uint32_t plen[2])
{
	uint32_t size = c->sbp.size, start, first;
	const uint8_t *base;

	if (conn->sb == TCP_NONE || len == 0 || off > conn->sb_len ||
	    len > conn->sb_len - off)
		return 0;
	base = tcp_bufpool_base(&c->sbp, conn->sb);
	start = tcp_ring_wrap(conn->sb_head + off, size);
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
