/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Established connections per source (p.max_per_source): one host must
 * not take the whole connection pool. A source is an IPv4 address, or
 * an IPv6 /64 prefix (RFC 4291 2.5.4: one host's interface identifiers
 * come from a /64, so a host holds one).
 *
 * Only connections that completed the handshake count: a forged SYN
 * cannot make an address look busy, and SYN_RECEIVED has its own budget
 * (max_syn_recv, SYN cookies). A SYN from a source at the limit is
 * dropped (counter source_limit_drop); an ACK that would complete a
 * handshake over it, several having been open at once, is answered with
 * a RST and the connection freed (source_limit_reset).
 *
 * The counts live in an open-addressed table (linear probing, keyed
 * SipHash, backward-shift deletion), with room for twice the pool's
 * connections: every source holds one at least, so it is never over
 * half full and a probe always ends at a free slot.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tcp_internal.h"
#include "tt_mem.h"

/* An entry; count 0 is a free slot. */
struct tcp_src_entry {
	uint64_t addr; /* the IPv4 address, or the IPv6 /64 prefix */
	uint32_t count;
	uint32_t hv6; /* TCP_SRC_V6 for IPv6; below it the hash */
};

#define TCP_SRC_V6 0x80000000u

struct tcp_src_tab {
	uint32_t mask;
	uint8_t key[16];
	struct tcp_src_entry e[];
};

/* A source: its address and family bit, hashed. */
struct tcp_src {
	uint64_t addr;
	uint32_t hv6;
};

int
tcp_src_init(struct tcp_ctx *c)
{
	uint64_t slots = 64, k[2];
	struct tcp_src_tab *t;
	size_t len;

	if (c->p.max_per_source == 0)
		return 0;
	while (slots < 2ull * c->p.max_connections)
		slots <<= 1;
	if (slots > TCP_SRC_V6) {
		errno = EINVAL;
		return -1;
	}
	len = sizeof(*t) + slots * sizeof(t->e[0]);
	t = calloc(1, len);
	if (t == NULL)
		return -1;
	/* Resident from the start, as the other pools: no fault under load. */
	tt_advise_huge(t, len);
	tt_prefault(t, len);
	t->mask = (uint32_t)(slots - 1);
	/* A key of its own, from the ISN secret: sources cannot be aimed. */
	k[0] = tcp_siphash(c->p.isn_secret, (const uint8_t *)"source0", 7);
	k[1] = tcp_siphash(c->p.isn_secret, (const uint8_t *)"source1", 7);
	memcpy(t->key, k, sizeof(t->key));
	c->src = t;
	c->mem += len;
	return 0;
}

size_t
tcp_src_mem_bytes(const struct tcp_ctx *c)
{
	if (c->src == NULL)
		return 0;
	return sizeof(*c->src) +
		((size_t)c->src->mask + 1) * sizeof(c->src->e[0]);
}

void
tcp_src_fini(struct tcp_ctx *c)
{
	free(c->src);
	c->src = NULL;
}

static void
src_of(const struct tcp_src_tab *t, const struct tcp_ends *e, struct tcp_src *s)
{
	uint8_t in[9];

	if (e->raddr6 != NULL) {
		memcpy(&s->addr, e->raddr6, sizeof(s->addr));
		in[8] = 6;
	} else {
		s->addr = e->raddr;
		in[8] = 4;
	}
	memcpy(in, &s->addr, sizeof(s->addr));
	s->hv6 = (uint32_t)tcp_siphash(t->key, in, sizeof(in)) & ~TCP_SRC_V6;
	if (e->raddr6 != NULL)
		s->hv6 |= TCP_SRC_V6;
}

/* The slot holding s, or the free slot where it would go. */
static uint32_t
src_slot(const struct tcp_src_tab *t, const struct tcp_src *s)
{
	uint32_t i = s->hv6 & t->mask;

	while (t->e[i].count != 0 &&
	       (t->e[i].addr != s->addr || t->e[i].hv6 != s->hv6))
		i = (i + 1) & t->mask;
	return i;
}

bool
tcp_src_syn_refused(struct tcp_ctx *c, const struct net_seg *seg)
{
	struct tcp_ends e;
	struct tcp_src s;

	tcp_seg_ends(seg, &e);
	src_of(c->src, &e, &s);
	if (c->src->e[src_slot(c->src, &s)].count < c->p.max_per_source)
		return false;
	c->cnt.source_limit_drop++;
	return true;
}

bool
tcp_src_take(struct tcp_ctx *c, const struct tcp_conn *conn)
{
	struct tcp_src_entry *x;
	struct tcp_ends e;
	struct tcp_src s;

	tcp_conn_ends(c, conn, &e);
	src_of(c->src, &e, &s);
	x = &c->src->e[src_slot(c->src, &s)];
	if (x->count >= c->p.max_per_source) {
		c->cnt.source_limit_reset++;
		return false;
	}
	if (x->count == 0) {
		x->addr = s.addr;
		x->hv6 = s.hv6;
	}
	x->count++;
	return true;
}

/* Whether slot i lies cyclically in (from, to]. */
static bool
src_between(uint32_t from, uint32_t i, uint32_t to)
{
	return from <= to ? from < i && i <= to : from < i || i <= to;
}

/*
 * Free slot i, moving back the entries after it that probed past it
 * (Knuth 6.4, algorithm R), so that no probe stops short of its entry.
 */
static void
src_remove(struct tcp_src_tab *t, uint32_t i)
{
	uint32_t j = i;

	for (;;) {
		t->e[i].count = 0;
		do {
			j = (j + 1) & t->mask;
			if (t->e[j].count == 0)
				return;
		} while (src_between(i, t->e[j].hv6 & t->mask, j));
		t->e[i] = t->e[j];
		i = j;
	}
}

void
tcp_src_put(struct tcp_ctx *c, const struct tcp_conn *conn)
{
	struct tcp_ends e;
	struct tcp_src s;
	uint32_t i;

	tcp_conn_ends(c, conn, &e);
	src_of(c->src, &e, &s);
	i = src_slot(c->src, &s);
	if (c->src->e[i].count > 1)
		c->src->e[i].count--;
	else if (c->src->e[i].count == 1)
		src_remove(c->src, i);
}

uint32_t
tcp_src_count(const struct tcp_ctx *c, const struct tcp_ends *e)
{
	struct tcp_src s;

	if (c->src == NULL)
		return 0;
	src_of(c->src, e, &s);
	return c->src->e[src_slot(c->src, &s)].count;
}

int
tcp_src_check(const struct tcp_ctx *c)
{
	const struct tcp_src_tab *t = c->src;
	uint64_t total = 0, opened = 0;
	uint32_t i;

	if (t == NULL)
		return 0;
	for (i = 0; i <= t->mask; i++) {
		struct tcp_src s = { t->e[i].addr, t->e[i].hv6 };

		if (t->e[i].count == 0)
			continue;
		/* Reachable from its home slot, and there once. */
		if (src_slot(t, &s) != i)
			return -1;
		total += t->e[i].count;
	}
	for (i = 0; i < c->p.max_connections; i++)
		if ((c->conns[i].flags & TCP_CF_USED) &&
		    (c->conns[i].flags & TCP_CF_OPENED))
			opened++;
	return total == opened ? 0 : -1;
}
