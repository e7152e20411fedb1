/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The out-of-order queue and the SACK blocks that report it.
 *
 * RFC 9293 3.10.7.4 seventh: segments beyond RCV.NXT "SHOULD be held for
 * later processing". They are kept in the connection's receive buffer
 * ring (tcp_rcvbuf.c) at their offset from RCV.NXT, so the queue is
 * bounded by the window we advertised and by the per-core pool of
 * receive buffers. The ranges received, a FIN beyond a gap and nothing
 * else are remembered beside the buffer (struct tcp_ooo): a connection
 * holding no out-of-order data pays nothing for them.
 *
 * A peer that sends bytes past a gap and never fills it would hold its
 * buffer for ever, and a few hundred such peers the whole pool. So when
 * a connection needs a buffer and the pool is empty, the one holding
 * only out-of-order data (nothing in order unread) whose gap has been
 * open the longest gives its buffer up, if that is at least
 * us.ooo_renege: its ranges and their SACK blocks are forgotten (RFC
 * 2018 8 lets a receiver renege: the sender keeps all it has not seen
 * acknowledged cumulatively and resends it after its RTO). A gap
 * legitimately open is filled within an RTT by fast retransmit or an
 * RTO by a timeout; one open for longer belongs to a dead or hostile
 * peer, or one that will recover by its RTO anyway. The age starts
 * again only when a gap closes: bytes in order short of it do not, or
 * a peer sending one a second would keep its buffer for ever.
 * Every buffer holding out-of-order data is on c->ooo_age, a list
 * through struct tcp_ooo kept oldest first: it joins at the tail when
 * its age starts or starts again, and leaves when the buffer holds no
 * out-of-order data any more or goes back to the pool. So the head is
 * the only candidate, and every step is O(1).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tcp_internal.h"
#include "tt_mem.h"

_Static_assert(sizeof(struct tcp_ooo) == 64, "one cache line per buffer");

int
tcp_ooo_init(struct tcp_ctx *c, uint32_t count)
{
	c->dsack.conn = TCP_NONE;
	if (count == 0)
		return 0;
	c->ooo = calloc(count, sizeof(*c->ooo));
	c->ooo_age.head = c->ooo_age.tail = TCP_NONE;
	if (c->ooo == NULL)
		return -ENOMEM;
	tt_prefault(c->ooo, (size_t)count * sizeof(*c->ooo));
	c->mem += (size_t)count * sizeof(*c->ooo);
	return 0;
}

void
tcp_ooo_fini(struct tcp_ctx *c)
{
	free(c->ooo);
	c->ooo = NULL;
}

/* Take receive buffer rb off c->ooo_age (if it is on it). */
static void
age_unlink(struct tcp_ctx *c, uint32_t rb)
{
	struct tcp_ooo *m = &c->ooo[rb];
	struct tcp_ooo_age *l = &c->ooo_age;

	if (!m->aged)
		return;
	if (m->prev == TCP_NONE)
		l->head = m->next;
	else
		c->ooo[m->prev].next = m->next;
	if (m->next == TCP_NONE)
		l->tail = m->prev;
	else
		c->ooo[m->next].prev = m->prev;
	m->aged = false;
}

/*
 * conn's buffer's age counts from now: to the tail of c->ooo_age. A now
 * earlier than the tail's (a caller's older clock) counts as the tail's,
 * so that the list stays oldest first.
 */
static void
age_restart(struct tcp_ctx *c, const struct tcp_conn *conn, uint64_t now)
{
	uint32_t rb = conn->rb;
	struct tcp_ooo *m = &c->ooo[rb];
	struct tcp_ooo_age *l = &c->ooo_age;

	age_unlink(c, rb);
	if (l->tail != TCP_NONE && now < c->ooo[l->tail].since)
		now = c->ooo[l->tail].since;
	m->conn = conn->idx;
	m->since = now;
	m->prev = l->tail;
	m->next = TCP_NONE;
	if (l->tail == TCP_NONE)
		l->head = rb;
	else
		c->ooo[l->tail].next = rb;
	l->tail = rb;
	m->aged = true;
}

/* Receive buffer rb goes back to the pool: it holds nothing any more. */
void
tcp_ooo_reset(struct tcp_ctx *c, uint32_t rb)
{
	age_unlink(c, rb);
	memset(&c->ooo[rb], 0, sizeof(c->ooo[rb]));
}

static struct tcp_ooo *
ooo_of(const struct tcp_ctx *c, const struct tcp_conn *conn)
{
	return conn->rb == TCP_NONE ? NULL : &c->ooo[conn->rb];
}

/* Anything beyond RCV.NXT: a range or a FIN. */
bool
tcp_ooo_held(const struct tcp_ctx *c, const struct tcp_conn *conn)
{
	const struct tcp_ooo *m = ooo_of(c, conn);

	return m != NULL && (m->n > 0 || m->has_fin);
}

/*
 * Bytes beyond RCV.NXT that may be kept: the window we advertised, within
 * the free space of the ring (it can be smaller by the rounding of a
 * scaled window), and never past a FIN already held.
 */
static uint32_t
ooo_limit(const struct tcp_ctx *c, const struct tcp_conn *conn)
{
	const struct tcp_ooo *m = ooo_of(c, conn);
	uint32_t lim = 0, ring = c->p.rcv_wnd - conn->rb_len;

	if (net_seq_gt(conn->rcv_adv, conn->rcv_nxt))
		lim = conn->rcv_adv - conn->rcv_nxt;
	if (lim > ring)
		lim = ring;
	if (m != NULL && m->has_fin && m->fin - conn->rcv_nxt < lim)
		lim = m->fin - conn->rcv_nxt;
	return lim;
}

/* A buffer for the connection, taken from the pool if it has none. */
static struct tcp_ooo *
ooo_get(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now)
{
	return tcp_rb_get(c, conn, now) ? &c->ooo[conn->rb] : NULL;
}

/* conn's buffer no longer holds out-of-order data: off c->ooo_age. */
static void
ooo_settle(struct tcp_ctx *c, const struct tcp_conn *conn)
{
	if (conn->rb != TCP_NONE && !tcp_ooo_held(c, conn))
		age_unlink(c, conn->rb);
}

/*
 * The pool is empty: the buffer that has held only out-of-order data
 * the longest goes back to it, if for us.ooo_renege or more. Its holder
 * forgets the ranges, a FIN beyond them and a D-SACK block due
 * (tcp_rb_put()): its next ACKs name none of them. RCV.NXT and the
 * window advertised stay as they were: those bytes were never
 * acknowledged, and the window is the whole buffer's either way. A
 * buffer old enough that also holds bytes in order the application
 * has not taken cannot go: its age starts again at the tail (so each
 * is passed over once per us.ooo_renege at most). A now earlier than
 * the head's mark (a caller's older clock) is no age. False when no
 * buffer could be freed.
 */
bool
tcp_ooo_reclaim(struct tcp_ctx *c, uint64_t now)
{
	struct tcp_conn *conn;
	struct tcp_ooo *m;

	while (c->ooo_age.head != TCP_NONE) {
		m = &c->ooo[c->ooo_age.head];
		if (now < m->since || now - m->since < c->us.ooo_renege)
			return false;
		conn = &c->conns[m->conn];
		if (conn->rb_len != 0) {
			age_restart(c, conn, now);
			continue;
		}
		tcp_rb_put(c, conn);
		c->cnt.ooo_reneged++;
		return true;
	}
	return false;
}

/*
 * c->ooo_age holds exactly the buffers holding out-of-order data, each
 * naming its holder, oldest first, its links agreeing both ways.
 */
int
tcp_ooo_check(const struct tcp_ctx *c)
{
	uint32_t rb, prev = TCP_NONE, n = 0, held = 0, i;
	const struct tcp_conn *conn;
	const struct tcp_ooo *m;

	for (rb = c->ooo_age.head; rb != TCP_NONE; rb = m->next) {
		if (rb >= c->rbp.count || ++n > c->rbp.count)
			return -1;
		m = &c->ooo[rb];
		if (!m->aged || m->prev != prev ||
		    m->conn >= c->p.max_connections)
			return -1;
		if (prev != TCP_NONE && m->since < c->ooo[prev].since)
			return -1;
		conn = &c->conns[m->conn];
		if (conn->rb != rb || !tcp_ooo_held(c, conn))
			return -1;
		prev = rb;
	}
	if (c->ooo_age.tail != prev)
		return -1;
	for (i = 0; i < c->p.max_connections; i++) {
		conn = &c->conns[i];
		if ((conn->flags & TCP_CF_USED) && tcp_ooo_held(c, conn))
			held++;
	}
	return held == n ? 0 : -1;
}

/* Copy len bytes to the ring, off bytes beyond RCV.NXT. */
static void
ring_write(struct tcp_ctx *c, const struct tcp_conn *conn, uint32_t off,
	   const uint8_t *data, uint32_t len)
{
	uint32_t size = c->rbp.size, pos, first;
	uint8_t *base = tcp_bufpool_base(&c->rbp, conn->rb);

	/* rb_len + off < size: ooo_limit() keeps what is held within the ring. */
	pos = tcp_ring_wrap(conn->rb_head + conn->rb_len + off, size);
	first = size - pos < len ? size - pos : len;
	memcpy(base + pos, data, first);
	memcpy(base, data + first, len - first);
}

static uint32_t
seq_max(uint32_t a, uint32_t b)
{
	return net_seq_gt(a, b) ? a : b;
}

static uint32_t
seq_min(uint32_t a, uint32_t b)
{
	return net_seq_lt(a, b) ? a : b;
}

/*
 * Add [s, e) to the ranges: it absorbs those it overlaps or touches and
 * goes first (RFC 2018 4: the first block holds the segment that
 * triggered the ACK, the others follow most recent first). *dup gets the
 * first overlap with bytes already held (RFC 2883). False when [s, e)
 * touches no range and the list is full.
 */
static bool
ranges_add(struct tcp_ooo *m, uint32_t s, uint32_t e,
	   struct net_sack_block *dup)
{
	struct net_sack_block keep[TCP_OOO_RANGES], *b;
	uint32_t i, k = 0, ns = s, ne = e;
	bool touched = false;

	dup->start = dup->end = s;
	for (i = 0; i < m->n; i++) {
		b = &m->r[i];
		if (net_seq_gt(b->start, e) || net_seq_lt(b->end, s)) {
			keep[k++] = *b;
			continue;
		}
		if (dup->start == dup->end &&
		    net_seq_lt(seq_max(s, b->start), seq_min(e, b->end))) {
			dup->start = seq_max(s, b->start);
			dup->end = seq_min(e, b->end);
		}
		ns = seq_min(ns, b->start);
		ne = seq_max(ne, b->end);
		touched = true;
	}
	if (!touched && m->n == TCP_OOO_RANGES)
		return false;
	m->r[0].start = ns;
	m->r[0].end = ne;
	memcpy(&m->r[1], keep, k * sizeof(keep[0]));
	m->n = (uint8_t)(k + 1);
	return true;
}

/*
 * RFC 9293 3.10.7.4 seventh: text beyond RCV.NXT (seq > RCV.NXT) is held,
 * within the window; RFC 5681 4.2: an out-of-order segment draws a
 * duplicate ACK at once (carrying SACK blocks, tcp_ooo_sack()).
 */
void
tcp_ooo_queue(struct tcp_ctx *c, struct tcp_conn *conn, uint32_t seq,
	      const uint8_t *data, uint32_t len, uint64_t now)
{
	uint32_t off = seq - conn->rcv_nxt, lim = ooo_limit(c, conn);
	struct net_sack_block dup;
	struct tcp_ooo *m;

	conn->flags |= TCP_CF_ACK_NOW;
	c->cnt.dup_ack_sent++;
	if (off >= lim) {
		c->cnt.window_drop += len;
		return;
	}
	if (len > lim - off) {
		c->cnt.window_drop += len - (lim - off);
		len = lim - off;
	}
	m = ooo_get(c, conn, now);
	if (m == NULL) {
		c->cnt.ooo_drop_mem++;
		return;
	}
	if (!tcp_ooo_held(c, conn))
		age_restart(c, conn, now);
	if (!ranges_add(m, seq, seq + len, &dup)) {
		c->cnt.ooo_drop_ranges++;
		return;
	}
	tcp_ooo_dup(c, conn, dup.start, dup.end);
	if (dup.start == seq && dup.end == seq + len)
		return;
	ring_write(c, conn, off, data, len);
	c->cnt.ooo_queued++;
}

/*
 * RCV.NXT moved: the ranges it reached join the bytes in order (held in
 * the ring already). A gap closed starts the buffer's age again; bytes
 * in order short of the gap do not, or a peer sending one a second
 * would keep its buffer for ever. Returns the bytes RCV.NXT advanced by.
 */
uint32_t
tcp_ooo_join(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now)
{
	struct tcp_ooo *m = ooo_of(c, conn);
	uint32_t i = 0, joined = 0, add;
	bool closed = false;

	if (m == NULL)
		return 0;
	while (i < m->n) {
		if (net_seq_gt(m->r[i].start, conn->rcv_nxt)) {
			i++;
			continue;
		}
		if (net_seq_gt(m->r[i].end, conn->rcv_nxt)) {
			add = m->r[i].end - conn->rcv_nxt;
			conn->rcv_nxt += add;
			conn->rb_len += add;
			joined += add;
		}
		memmove(&m->r[i], &m->r[i + 1],
			(m->n - i - 1) * sizeof(m->r[0]));
		m->n--;
		c->cnt.ooo_merged++;
		closed = true;
		i = 0;
	}
	c->cnt.rcvbuf_bytes += joined;
	if (!tcp_ooo_held(c, conn))
		age_unlink(c, conn->rb);
	else if (closed)
		age_restart(c, conn, now);
	return joined;
}

/*
 * A FIN beyond a gap (RFC 9293 3.10.7.4 eighth: it cannot be processed
 * before the text ahead of it) is remembered and takes effect when
 * RCV.NXT reaches it. Not kept: outside the window, as in order
 * (tcp_rcv_fin_in_window(): at the right edge advertised, unless the
 * application made room since), before bytes already held (the peer
 * contradicts itself), or with no buffer.
 */
void
tcp_ooo_fin(struct tcp_ctx *c, struct tcp_conn *conn, uint32_t seq,
	    uint64_t now)
{
	struct tcp_ooo *m = ooo_of(c, conn);
	uint32_t i;

	if (!tcp_rcv_fin_in_window(c, conn, seq)) {
		c->cnt.drop_out_of_window++;
		return;
	}
	if (m != NULL && m->has_fin)
		return;
	for (i = 0; m != NULL && i < m->n; i++) {
		if (net_seq_gt(m->r[i].end, seq)) {
			c->cnt.drop_fin_ooo++;
			return;
		}
	}
	m = ooo_get(c, conn, now);
	if (m == NULL) {
		c->cnt.drop_fin_ooo++;
		return;
	}
	if (!tcp_ooo_held(c, conn))
		age_restart(c, conn, now);
	m->has_fin = true;
	m->fin = seq;
}

/* True once (the FIN is forgotten) when RCV.NXT reached a FIN held. */
bool
tcp_ooo_fin_reached(struct tcp_ctx *c, struct tcp_conn *conn)
{
	struct tcp_ooo *m = ooo_of(c, conn);

	if (m == NULL || !m->has_fin || m->fin != conn->rcv_nxt)
		return false;
	m->has_fin = false;
	ooo_settle(c, conn);
	return true;
}

/*
 * RFC 2883 4: bytes received twice, [start, end), are the first block of
 * the next ACK (a D-SACK block), sent at once, when SACK was negotiated.
 */
void
tcp_ooo_dup(struct tcp_ctx *c, struct tcp_conn *conn, uint32_t start,
	    uint32_t end)
{
	if (!(conn->flags & TCP_CF_SACK) || start == end)
		return;
	conn->flags |= TCP_CF_ACK_NOW;
	c->dsack.conn = conn->idx;
	c->dsack.b.start = start;
	c->dsack.b.end = end;
}

/* A segment whose text lies wholly below RCV.NXT is a duplicate. */
void
tcp_ooo_dup_seg(struct tcp_ctx *c, struct tcp_conn *conn,
		const struct net_seg *seg)
{
	if (seg->len > 0 && net_seq_leq(seg->seq + seg->len, conn->rcv_nxt))
		tcp_ooo_dup(c, conn, seg->seq, seg->seq + seg->len);
}

/*
 * RFC 2018 4: every ACK sent while out-of-order data is held carries SACK
 * blocks, the most recent first, as many as fit beside timestamps; a
 * D-SACK block (RFC 2883 4) goes before them, once. Not on a RST.
 */
void
tcp_ooo_sack(struct tcp_ctx *c, const struct tcp_conn *conn, struct tcp_out *o)
{
	const struct tcp_ooo *m = ooo_of(c, conn);
	uint32_t n = 0, max, i;

	if (!(conn->flags & TCP_CF_SACK) || (o->flags & NET_TCP_RST))
		return;
	max = (o->opts.has & NET_OPT_TS) ? NET_SACK_MAX_TS : NET_SACK_MAX;
	if (c->dsack.conn == conn->idx) {
		o->opts.sack[n++] = c->dsack.b;
		c->dsack.conn = TCP_NONE;
		c->cnt.dsack_sent++;
	}
	for (i = 0; m != NULL && i < m->n && n < max; i++)
		o->opts.sack[n++] = m->r[i];
	if (n == 0)
		return;
	o->opts.has |= NET_OPT_SACK;
	o->opts.nsack = n;
}

/*
 * A segment with payload keeps only the blocks that fit beside it within
 * the peer's MSS (snd_mss is what is left beside timestamps): a SACK
 * option takes 4 bytes plus 8 per block.
 */
void
tcp_ooo_fit(const struct tcp_conn *conn, struct tcp_out *o)
{
	uint32_t room, n;

	if (!(o->opts.has & NET_OPT_SACK) || o->len == 0)
		return;
	room = conn->snd_mss > o->len ? conn->snd_mss - o->len : 0;
	n = room >= 12 ? (room - 4) / 8 : 0;
	if (n < o->opts.nsack)
		o->opts.nsack = n;
	if (o->opts.nsack == 0)
		o->opts.has &= (uint8_t)~NET_OPT_SACK;
}
