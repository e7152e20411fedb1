/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Connection bookkeeping: the connection pool, the two intrusive lists
 * (timed and idle), and the source 4-tuple space.
 *
 * Every connection waiting for the peer sits on the timed list in order
 * of its last timed transmission: with one fixed retransmission timeout
 * that order is also the order of expiry, so the head is all the timer
 * work there is.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"
#include "gen_internal.h"

static struct gen_list_head *
gen_list_of(struct gen *g, enum gen_list l)
{
	return l == GL_RTO ? &g->rto : &g->idle;
}

void
gen_list_remove(struct gen *g, struct gen_conn *c)
{
	struct gen_list_head *h;

	if (c->list == GL_NONE)
		return;
	h = gen_list_of(g, (enum gen_list)c->list);
	if (c->prev != GEN_NONE)
		g->conns[c->prev].next = c->next;
	else
		h->head = c->next;
	if (c->next != GEN_NONE)
		g->conns[c->next].prev = c->prev;
	else
		h->tail = c->prev;
	c->list = GL_NONE;
}

/* Move c to the tail of list l (removing it from any list first). */
void
gen_list_tail(struct gen *g, struct gen_conn *c, enum gen_list l)
{
	struct gen_list_head *h = gen_list_of(g, l);
	uint32_t ci = (uint32_t)(c - g->conns);

	gen_list_remove(g, c);
	c->list = (uint8_t)l;
	c->next = GEN_NONE;
	c->prev = h->tail;
	if (h->tail != GEN_NONE)
		g->conns[h->tail].next = ci;
	else
		h->head = ci;
	h->tail = ci;
}

/*
 * Take the next usable source 4-tuple, cycling through the whole space
 * so that a tuple comes back as late as possible. Returns GEN_NONE when
 * the next few are all in use or too recently released.
 */
static uint32_t
gen_tuple_take(struct gen *g)
{
	unsigned int k;

	for (k = 0; k < 64; k++) {
		uint32_t pos = g->next_tuple;
		uint32_t t = g->order ? g->order[pos] : pos;

		if (++g->next_tuple == g->n_order)
			g->next_tuple = 0;
		if (g->tuple_conn[t] != GEN_NONE)
			continue;
		if (g->o.reuse_ms &&
		    g->now_ms - g->tuple_free_ms[t] < g->o.reuse_ms)
			continue;
		g->owner_opened[g->o.owner >= 0 ? (uint32_t)g->o.owner :
						  pos % g->o.workers]++;
		return t;
	}
	g->c.tuple_stalls++;
	return GEN_NONE;
}

uint32_t
gen_tuple_addr(const struct gen *g, uint32_t t)
{
	return g->o.src_lo + t / g->n_sport;
}

uint16_t
gen_tuple_port(const struct gen *g, uint32_t t)
{
	return (uint16_t)(g->o.sport_lo + t % g->n_sport);
}

/* As gen_tuple_of() for a segment over IPv6. */
static uint32_t
gen_tuple_of6(const struct gen *g, const struct net_seg *s)
{
	uint32_t low;

	if (memcmp(s->saddr6, g->o.dst6, NET_IPV6_ALEN) != 0 ||
	    s->sport != g->o.dport ||
	    !gen_addr6_in(g->o.src6, g->o.src_lo, g->o.src_hi, s->daddr6,
			  &low) ||
	    s->dport < g->o.sport_lo || s->dport > g->o.sport_hi)
		return GEN_NONE;
	return (low - g->o.src_lo) * g->n_sport + (s->dport - g->o.sport_lo);
}

/* The tuple a segment from the target belongs to, or GEN_NONE. */
uint32_t
gen_tuple_of(const struct gen *g, const struct net_seg *s)
{
	if (s->saddr6 != NULL)
		return gen_tuple_of6(g, s);
	if (s->saddr != g->o.dst || s->sport != g->o.dport ||
	    !gen_is_src(g, s->daddr) || s->dport < g->o.sport_lo ||
	    s->dport > g->o.sport_hi)
		return GEN_NONE;
	return (s->daddr - g->o.src_lo) * g->n_sport +
		(s->dport - g->o.sport_lo);
}

/* A free connection bound to a fresh tuple, or NULL. */
struct gen_conn *
gen_conn_alloc(struct gen *g)
{
	struct gen_conn *c;
	uint32_t t, ci;

	if (g->free_top == 0 || g->inflight >= g->o.concurrency)
		return NULL;
	t = gen_tuple_take(g);
	if (t == GEN_NONE)
		return NULL;
	ci = g->free_stack[--g->free_top];
	c = &g->conns[ci];
	memset(c, 0, sizeof(*c));
	c->prev = GEN_NONE;
	c->next = GEN_NONE;
	c->tuple = t;
	g->tuple_conn[t] = ci;
	g->inflight++;
	return c;
}

void
gen_conn_release(struct gen *g, struct gen_conn *c)
{
	gen_list_remove(g, c);
	g->tuple_conn[c->tuple] = GEN_NONE;
	g->tuple_free_ms[c->tuple] = g->now_ms;
	c->state = GS_FREE;
	g->free_stack[g->free_top++] = (uint32_t)(c - g->conns);
	g->inflight--;
}

/* The source space as gen_rss.c sees it. */
static void
gen_space_of(const struct gen_opts *o, struct gen_space *sp)
{
	memset(sp, 0, sizeof(*sp));
	sp->ipv6 = o->ipv6;
	sp->src_lo = o->src_lo;
	sp->src_hi = o->src_hi;
	memcpy(sp->src6, o->src6, sizeof(sp->src6));
	sp->dst = o->dst;
	memcpy(sp->dst6, o->dst6, sizeof(sp->dst6));
	sp->sport_lo = o->sport_lo;
	sp->sport_hi = o->sport_hi;
	sp->dport = o->dport;
}

/*
 * With several workers on the target (or one asked for), take tuples in
 * an order by owner; else in index order. Returns 0, or -1 after saying
 * why.
 */
static int
gen_order_init(struct gen *g)
{
	struct gen_rss r = {
		.n_owners = g->o.workers,
		.reta_size = g->o.reta_size,
		.only = g->o.owner,
	};
	struct gen_space sp;
	int64_t n;

	g->n_order = g->n_tuples;
	g->owner_tuples[0] = g->n_tuples;
	if (g->o.workers <= 1 && g->o.owner < 0)
		return 0;
	gen_space_of(&g->o, &sp);
	g->order = malloc(sizeof(uint32_t) * g->n_tuples);
	n = g->order ? gen_rss_order(&sp, &r, g->order, g->owner_tuples) : -1;
	if (n <= 0) {
		fprintf(stderr, "tcpterm-gen: %s\n",
			n < 0 ? "out of memory for the tuple order" :
				"a worker owns none of the source 4-tuples: widen "
				"--src or --sport");
		return -1;
	}
	g->n_order = (uint32_t)n;
	return 0;
}

int
gen_tcp_init(struct gen *g)
{
	uint32_t i;

	g->n_src = g->o.src_hi - g->o.src_lo + 1;
	g->n_sport = (uint32_t)g->o.sport_hi - g->o.sport_lo + 1;
	if ((uint64_t)g->n_src * g->n_sport > (1u << 26))
		return -1;
	g->n_tuples = g->n_src * g->n_sport;
	g->n_conns = g->o.concurrency;
	g->tuple_conn = malloc(sizeof(uint32_t) * g->n_tuples);
	g->tuple_free_ms = malloc(sizeof(uint32_t) * g->n_tuples);
	g->conns = calloc(g->n_conns, sizeof(*g->conns));
	g->free_stack = malloc(sizeof(uint32_t) * g->n_conns);
	if (!g->tuple_conn || !g->tuple_free_ms || !g->conns || !g->free_stack)
		return -1;
	for (i = 0; i < g->n_tuples; i++) {
		g->tuple_conn[i] = GEN_NONE;
		g->tuple_free_ms[i] = 0u - g->o.reuse_ms;
	}
	for (i = 0; i < g->n_conns; i++)
		g->free_stack[i] = g->n_conns - 1 - i;
	g->free_top = g->n_conns;
	if (gen_order_init(g) != 0)
		return -1;
	g->rto.head = g->rto.tail = GEN_NONE;
	g->idle.head = g->idle.tail = GEN_NONE;
	gen_request_init(g);
	return 0;
}

void
gen_tcp_free(struct gen *g)
{
	free(g->tuple_conn);
	free(g->tuple_free_ms);
	free(g->order);
	free(g->conns);
	free(g->free_stack);
}

/* The request: a GET, padded with a header to the size asked for. */
void
gen_request_init(struct gen *g)
{
	static const char head[] = "GET / HTTP/1.1\r\nHost: tcpterm\r\n";
	static const char pad[] = "X-Pad: ";
	uint32_t n = sizeof(head) - 1;
	uint32_t want = g->o.req_bytes;

	memcpy(g->req, head, n);
	if (want >= n + sizeof(pad) - 1 + 4) {
		uint32_t fill = want - n - (uint32_t)(sizeof(pad) - 1) - 4;

		memcpy(g->req + n, pad, sizeof(pad) - 1);
		n += sizeof(pad) - 1;
		memset(g->req + n, 'a', fill);
		n += fill;
		memcpy(g->req + n, "\r\n", 2);
		n += 2;
	}
	memcpy(g->req + n, "\r\n", 2);
	g->req_len = n + 2;
	g->resp_len = g->o.resp_bytes;
}
