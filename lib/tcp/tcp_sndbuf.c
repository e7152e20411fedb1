/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Send buffers: a pool of max_send_buffers rings of snd_buf bytes. A
 * connection takes one when it first sends and gives it back once all of
 * its data is acknowledged (or when it is freed). The ring holds the bytes
 * from SND.UNA on: sb_head is the offset of SND.UNA's byte, sb_len the
 * bytes buffered (sent and unsent).
 *
 * A connection whose tcp_send() finds the pool empty waits in a FIFO
 * (struct tcp_sbwait) and is woken, oldest first, with on_sent once a
 * buffer is free again, as Linux wakes a writer when memory frees
 * (sk_stream_write_space()): without it, a connection with no bytes in
 * flight would never hear of space again.
 *
 * A connection whose window is its send space (echo) and that holds no
 * buffer offers a zero window while the pool is empty. When the window
 * its peer knows is shut (under a step), it waits on a second list
 * (struct tcp_wwait), after the writers: each buffer back in the pool
 * that no writer takes goes to the oldest of them, which takes it and
 * sends the window update (tcp_window_wait()). One buffer reopens one
 * window, and that window is backed: no other connection can take the
 * buffer between the update and the peer's data.
 */
#include <stddef.h>
#include <stdlib.h>

#include "tcp_internal.h"

/* Connections woken per tcp_sb_wake(): the rest at the next. */
#define TCP_SB_WAKE_BUDGET 16

static int
sbwait_init(struct tcp_ctx *c)
{
	struct tcp_sbwait *w = &c->sbw;
	uint32_t cap = c->p.max_connections ? c->p.max_connections : 1;

	w->gen = calloc(cap, sizeof(*w->gen));
	if (w->gen == NULL || tcp_slotq_init(&w->q, cap, &c->mem) != 0)
		return -1;
	c->mem += (size_t)cap * sizeof(*w->gen);
	return 0;
}

/*
 * The links stay in sacked[0]'s bytes, NewReno's duplicate ACK bound in
 * sacked[1]'s: both can be live at once.
 */
_Static_assert(offsetof(struct tcp_conn, wwait) ==
			       offsetof(struct tcp_conn, sacked) &&
		       sizeof(((struct tcp_conn *)0)->wwait) ==
			       sizeof(struct net_sack_block),
	       "window waiter links in sacked[0]'s bytes");
_Static_assert(offsetof(struct tcp_conn, dup) ==
			       offsetof(struct tcp_conn, sacked[1]) &&
		       sizeof(((struct tcp_conn *)0)->dup) <=
			       sizeof(struct net_sack_block),
	       "NewReno's duplicate ACK bound in sacked[1]'s bytes");

static int
wwait_init(struct tcp_ctx *c)
{
	struct tcp_wwait *w = &c->wwait;
	size_t words = ((size_t)c->p.max_connections + 63) / 64;

	w->head = TCP_NONE;
	w->tail = TCP_NONE;
	w->n = 0;
	w->on = calloc(words ? words : 1, sizeof(*w->on));
	if (w->on == NULL)
		return -1;
	c->mem += words * sizeof(*w->on);
	return 0;
}

int
tcp_sb_init(struct tcp_ctx *c)
{
	int rc = tcp_bufpool_init(&c->sbp, c->p.max_send_buffers, c->p.snd_buf,
				  &c->mem);

	if (rc == 0)
		rc = sbwait_init(c);
	if (rc == 0)
		rc = wwait_init(c);
	return rc != 0 ? rc : tcp_rack_init(c, c->sbp.count);
}

void
tcp_sb_fini(struct tcp_ctx *c)
{
	free(c->wwait.on);
	c->wwait.on = NULL;
	c->wwait.n = 0;
	tcp_rack_fini(c);
	tcp_slotq_fini(&c->sbw.q);
	free(c->sbw.gen);
	c->sbw.gen = NULL;
	tcp_bufpool_fini(&c->sbp);
}

/*
 * Queue conn to be woken when a buffer is free, unless its slot is
 * queued: the entry then wakes this connection (its generation noted).
 * A connection freed while it waited keeps its place, so that one
 * reusing the slot and waiting too is not queued twice: the wake then
 * finds it (the generation it noted), or another connection of the
 * slot, or a free slot, which it passes over.
 */
static void
sbwait_push(struct tcp_ctx *c, const struct tcp_conn *conn)
{
	c->sbw.gen[conn->idx] = conn->gen;
	if (tcp_slotq_push(&c->sbw.q, conn->idx))
		c->cnt.sndbuf_wait++;
}

static bool
wwait_has(const struct tcp_wwait *w, uint32_t idx)
{
	return (w->on[idx / 64] >> (idx % 64)) & 1;
}

/*
 * Link conn last. Nothing is in flight (it holds no send buffer and has
 * not closed), so the scoreboard, which the links overlay, is empty.
 */
static void
wwait_link(struct tcp_ctx *c, struct tcp_conn *conn)
{
	struct tcp_wwait *w = &c->wwait;
	uint32_t idx = conn->idx;

	if (wwait_has(w, idx))
		return;
	conn->nsacked = 0;
	conn->wwait.prev = w->tail;
	conn->wwait.next = TCP_NONE;
	if (w->tail != TCP_NONE)
		c->conns[w->tail].wwait.next = idx;
	else
		w->head = idx;
	w->tail = idx;
	w->n++;
	w->on[idx / 64] |= (uint64_t)1 << (idx % 64);
	c->cnt.sndbuf_window_wait++;
}

void
tcp_wwait_unlink(struct tcp_ctx *c, struct tcp_conn *conn)
{
	struct tcp_wwait *w = &c->wwait;
	uint32_t idx = conn->idx, prev, next;

	if (!wwait_has(w, idx))
		return;
	prev = conn->wwait.prev;
	next = conn->wwait.next;
	if (prev != TCP_NONE)
		c->conns[prev].wwait.next = next;
	else
		w->head = next;
	if (next != TCP_NONE)
		c->conns[next].wwait.prev = prev;
	else
		w->tail = prev;
	w->n--;
	w->on[idx / 64] &= ~((uint64_t)1 << (idx % 64));
}

/*
 * Whether conn, whose window is its send space, lacks a buffer to back
 * it and may wait for one: it holds none and has not closed, so nothing
 * is in flight and the scoreboard the links overlay is empty.
 */
static bool
window_unbacked(const struct tcp_conn *conn)
{
	return (conn->flags & TCP_CF_USED) && conn->sb == TCP_NONE &&
		conn->state == TCP_ESTABLISHED &&
		!(conn->flags & TCP_CF_FIN_QUEUED);
}

/*
 * Served (the wake's turn), conn takes a free buffer whether or not the
 * window its peer knows is short: it was linked for a window shut or
 * for data refused (tcp_window_refused()), and the peer's next segment
 * must find the buffer. Otherwise a free buffer is taken only when no
 * writer and no older waiter is queued for one.
 */
static void
window_wait(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now, bool served)
{
	if (!(conn->flags & TCP_CF_USED))
		return;
	if (window_unbacked(conn) && (served || tcp_rcv_known_short(c, conn))) {
		if (c->sbp.nfree == 0 ||
		    (!served && (c->sbw.q.n | c->wwait.n) != 0)) {
			wwait_link(c, conn);
			return;
		}
		/* Taken now: the update below offers it. */
		tcp_sb_get(c, conn);
		tcp_window_hold(c, conn, now);
	}
	tcp_read_resume(c, conn, now);
}

void
tcp_window_wait(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now)
{
	window_wait(c, conn, now, false);
}

void
tcp_window_refused(struct tcp_ctx *c, struct tcp_conn *conn)
{
	if (window_unbacked(conn))
		wwait_link(c, conn);
}

/*
 * The oldest window waiter takes a free buffer and offers it
 * (tcp_window_wait()): one buffer, one window. One that has taken a
 * buffer or closed since it was linked (it stays linked: the clean
 * path pays no unlink) takes none, and the next is offered it.
 */
static void
wwait_wake(struct tcp_ctx *c, uint64_t now)
{
	struct tcp_conn *conn = &c->conns[c->wwait.head];
	bool had = conn->sb != TCP_NONE;

	tcp_wwait_unlink(c, conn);
	window_wait(c, conn, now, true);
	if (!had && conn->sb != TCP_NONE)
		c->cnt.sndbuf_window_woken++;
}

/*
 * Offer the free buffers to the waiting connections, oldest first: each
 * hears on_sent, and sends (taking one) or not. Then, with no writer
 * left waiting, each buffer still free goes to a window waiter. Bounded
 * per call; the rest wait for the next call, made on every poll by
 * tcp_timers().
 */
void
tcp_sb_wake_run(struct tcp_ctx *c, uint64_t now)
{
	uint32_t budget = TCP_SB_WAKE_BUDGET;

	struct tcp_conn *conn;
	uint32_t idx;

	while (c->sbw.q.n > 0 && c->sbp.nfree > 0 && budget > 0) {
		budget--;
		idx = tcp_slotq_pop(&c->sbw.q);
		conn = &c->conns[idx];
		if (!(conn->flags & TCP_CF_USED) ||
		    conn->gen != c->sbw.gen[idx] || conn->sb != TCP_NONE ||
		    (conn->flags & TCP_CF_FIN_QUEUED))
			continue;
		c->cnt.sndbuf_woken++;
		if (tcp_app_event(c, conn, TCP_APP_SENT, now) &&
		    tcp_after_callback(c, conn, now))
			tcp_conn_arm(c, conn);
	}
	while (c->sbw.q.n == 0 && c->wwait.n > 0 && c->sbp.nfree > 0 &&
	       budget > 0) {
		budget--;
		wwait_wake(c, now);
	}
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
		sbwait_push(c, conn);
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
