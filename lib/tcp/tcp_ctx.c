/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Context life cycle, pools, listeners, state gauges and accessors.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "tcp_internal.h"
#include "tt_mem.h"

static const char *const tcp_state_names[] = {
#define TCP_STATE_NAME(n) [TCP_##n] = #n,
	TCP_STATES(TCP_STATE_NAME)
#undef TCP_STATE_NAME
};

static const struct {
	const char *name;
	const char *desc;
	enum tcp_counter_kind kind;
} tcp_counter_info[] = {
#define TCP_COUNTER_INFO(n, k, d) { #n, d, TCP_COUNTER_##k },
	TCP_COUNTERS(TCP_COUNTER_INFO)
#undef TCP_COUNTER_INFO
};

const char *
tcp_state_name(enum tcp_state s)
{
	if ((unsigned int)s >= TCP_STATE_MAX)
		return "UNKNOWN";
	return tcp_state_names[s];
}

const char *
tcp_counter_name(unsigned int i)
{
	if (i >= TCP_COUNTER_COUNT)
		return NULL;
	return tcp_counter_info[i].name;
}

enum tcp_counter_kind
tcp_counter_kind(unsigned int i)
{
	if (i >= TCP_COUNTER_COUNT)
		return TCP_COUNTER_EVENT;
	return tcp_counter_info[i].kind;
}

const char *
tcp_counter_desc(unsigned int i)
{
	if (i >= TCP_COUNTER_COUNT)
		return NULL;
	return tcp_counter_info[i].desc;
}

/*
 * The connection pool starts on a cache line, so that each connection
 * of its 320 bytes spans five, not six: calloc() aligns to 16 bytes,
 * so a line more is taken and the pool starts at the first boundary
 * in it. calloc() rather than aligned_alloc() and memset(): a large
 * pool comes zeroed from mmap(), untouched until set up below; setting
 * up writes every connection, which faults the whole pool in at start-up
 * (no tt_prefault() pass is needed).
 */
static int
conns_init(struct tcp_ctx *c)
{
	uint32_t n = c->p.max_connections, i;
	uintptr_t a;

	c->conns_mem = calloc(1,
			      (size_t)(n ? n : 1) * sizeof(*c->conns) +
				      TCP_CACHE_LINE - 1);
	if (c->conns_mem == NULL)
		return -ENOMEM;
	a = ((uintptr_t)c->conns_mem + TCP_CACHE_LINE - 1) &
		~(uintptr_t)(TCP_CACHE_LINE - 1);
	c->conns = (struct tcp_conn *)a;
	for (i = 0; i < n; i++) {
		c->conns[i].idx = i;
		c->conns[i].armed_tick = TCP_TICK_NONE;
		c->conns[i].next_free = i + 1 < n ? i + 1 : TCP_NONE;
	}
	c->conn_free = n ? 0 : TCP_NONE;
	c->mem += (size_t)(n ? n : 1) * sizeof(*c->conns);
	if (!c->p.ipv6)
		return 0;
	c->a6 = calloc(n ? n : 1, sizeof(*c->a6));
	if (c->a6 == NULL)
		return -ENOMEM;
	tt_prefault(c->a6, (size_t)(n ? n : 1) * sizeof(*c->a6));
	c->mem += (size_t)(n ? n : 1) * sizeof(*c->a6);
	return 0;
}

/* The MSS options in force: at least TCP_MIN_MSS; IPv6's from IPv4's. */
static void
mss_clamp(struct tcp_params *p)
{
	if (p->mss < TCP_MIN_MSS)
		p->mss = TCP_MIN_MSS;
	if (p->mss6 == 0)
		p->mss6 = p->mss > TCP_MIN_MSS + 20 ? p->mss - 20 : TCP_MIN_MSS;
	if (p->mss6 < TCP_MIN_MSS)
		p->mss6 = TCP_MIN_MSS;
}

/*
 * How long a buffer holding only out-of-order data must have gone
 * without progress before it may be reclaimed (tcp_ooo.c): the longer
 * of 1 s (RFC 6298's least RTO) and four least RTOs, by when the
 * sender's fast retransmit and its first timeout have both had their
 * chance to fill the gap.
 */
#define TCP_OOO_RENEGE_MIN_US 1000000ull
#define TCP_OOO_RENEGE_RTOS 4

static uint64_t
ooo_renege_age(const struct tcp_params *p)
{
	uint64_t age = (uint64_t)p->rto_min_ms * 1000 * TCP_OOO_RENEGE_RTOS;

	return age > TCP_OOO_RENEGE_MIN_US ? age : TCP_OOO_RENEGE_MIN_US;
}

/* Table entries: connections and the TIME_WAIT records of both rings. */
static uint64_t
ctx_flow_entries(const struct tcp_params *p)
{
	return (uint64_t)p->max_connections + p->max_time_wait +
		(p->ipv6 ? p->max_time_wait6 : 0);
}

/* The IP ID counters start at values an off-path sender cannot guess. */
static void
ip_ids_init(struct tcp_ctx *c)
{
	uint32_t i;

	for (i = 0; i < TCP_IP_ID_BUCKETS; i++)
		c->ip_ids[i] = (uint16_t)tcp_siphash(c->p.isn_secret,
						     (const uint8_t *)&i,
						     sizeof(i));
}

struct tcp_ctx *
tcp_ctx_create(const struct tcp_params *p, uint64_t now)
{
	struct tcp_ctx *c;
	uint64_t wcap;

	/*
	 * One flow table holds both; its values tag TIME_WAIT records with
	 * bit 31, so indices must stay below it (and the sum within 32 bits).
	 */
	if (ctx_flow_entries(p) >= TCP_FT_TW) {
		errno = EINVAL;
		return NULL;
	}
	c = calloc(1, sizeof(*c));
	if (c == NULL)
		return NULL;
	c->p = *p;
	c->us = (struct tcp_times){
		.msl2 = 2ull * p->msl_ms * 1000,
		.fin_wait2 = (uint64_t)p->fin_wait2_timeout_ms * 1000,
		.syn_recv = (uint64_t)p->syn_recv_timeout_ms * 1000,
		.rto_min = (uint64_t)p->rto_min_ms * 1000,
		.rto_max = (uint64_t)p->rto_max_ms * 1000,
		.rto_initial = (uint64_t)p->rto_initial_ms * 1000,
		.delayed_ack = (uint64_t)p->delayed_ack_ms * 1000,
		.send = (uint64_t)p->send_timeout_ms * 1000,
		.ooo_renege = ooo_renege_age(p),
	};
	c->mem = sizeof(*c);
	ip_ids_init(c);
	tcp_isn_key(c);
	c->in_slot = FLOWTAB_NO_SLOT;
	mss_clamp(&c->p);
	c->cubic_shift = tcp_cc_west_shift(c->p.snd_buf);
	if (c->p.wscale > TCP_MAX_WSCALE)
		c->p.wscale = TCP_MAX_WSCALE;
	/* TIME_WAIT records need no wheel entry (tcp_tw.c). */
	wcap = (uint64_t)p->max_connections * 2 + 64;
	if (wcap > UINT32_MAX)
		wcap = UINT32_MAX;
	c->ft = flowtab_create((uint32_t)ctx_flow_entries(p), p->flow_secret);
	c->w = wheel_create((uint32_t)wcap, now / 1000);
	if (c->ft == NULL || c->w == NULL || conns_init(c) != 0 ||
	    tcp_tw_init(c) != 0 || tcp_sb_init(c) != 0 || tcp_rb_init(c) != 0 ||
	    tcp_src_init(c) != 0) {
		tcp_ctx_destroy(c);
		return NULL;
	}
	flowtab_hkey(c->ft, &c->ft_hk);
	c->mem += flowtab_mem_bytes(c->ft) + wheel_mem_bytes(c->w);
	return c;
}

void
tcp_ctx_destroy(struct tcp_ctx *c)
{
	if (c == NULL)
		return;
	tcp_sb_fini(c);
	tcp_rb_fini(c);
	tcp_tw_fini(c);
	tcp_src_fini(c);
	free(c->conns_mem);
	free(c->a6);
	if (c->w != NULL)
		wheel_destroy(c->w);
	if (c->ft != NULL)
		flowtab_destroy(c->ft);
	free(c);
}

const struct tcp_params *
tcp_ctx_params(const struct tcp_ctx *c)
{
	return &c->p;
}

size_t
tcp_ctx_mem_bytes(const struct tcp_ctx *c)
{
	return c->mem;
}

static bool
family_answers(uint8_t family, bool v6)
{
	return family == TCP_FAMILY_BOTH ||
		family == (v6 ? TCP_FAMILY_IPV6 : TCP_FAMILY_IPV4);
}

int
tcp_listen_family(struct tcp_ctx *c, uint16_t port, enum tcp_family family,
		  const struct tcp_app_ops *ops, const void *arg)
{
	struct tcp_listener *l;

	if (family != TCP_FAMILY_BOTH && family != TCP_FAMILY_IPV4 &&
	    family != TCP_FAMILY_IPV6)
		return -EINVAL;
	if ((family != TCP_FAMILY_IPV6 && tcp_listener_find(c, port, false)) ||
	    (family != TCP_FAMILY_IPV4 && tcp_listener_find(c, port, true)))
		return -EEXIST;
	if (c->n_lst == TCP_MAX_LISTENERS)
		return -ENOSPC;
	l = &c->lst[c->n_lst++];
	l->port = port;
	l->family = (uint8_t)family;
	l->ops = ops;
	l->arg = arg;
	l->open_timer = 0;
	memset(c->lst_app[c->n_lst - 1], 0, TCP_LISTENER_APP_BYTES);
	tcp_gauge_move(c, TCP_CLOSED, TCP_LISTEN);
	return 0;
}

int
tcp_listen(struct tcp_ctx *c, uint16_t port, const struct tcp_app_ops *ops,
	   const void *arg)
{
	return tcp_listen_family(c, port, TCP_FAMILY_BOTH, ops, arg);
}

int
tcp_listen_open_timer(struct tcp_ctx *c, uint16_t port, enum tcp_family family,
		      uint64_t us)
{
	uint32_t i;

	for (i = 0; i < c->n_lst; i++) {
		if (c->lst[i].port != port || c->lst[i].family != family)
			continue;
		c->lst[i].open_timer = us;
		return 0;
	}
	return -ENOENT;
}

/* The listener of port answering the family (v6: IPv6), or NULL. */
const struct tcp_listener *
tcp_listener_find(const struct tcp_ctx *c, uint16_t port, bool v6)
{
	uint32_t i;

	for (i = 0; i < c->n_lst; i++)
		if (c->lst[i].port == port &&
		    family_answers(c->lst[i].family, v6))
			return &c->lst[i];
	return NULL;
}

/*
 * Zero a connection a cache line at a time. A plain memset() of its 320
 * bytes becomes a "rep stosq" of 40 steps; with constant 64-byte pieces,
 * unrolled, the compiler writes 20 vector stores.
 */
static void
conn_zero(struct tcp_conn *conn)
{
	uint8_t *b = (uint8_t *)conn;
	size_t i;

#pragma GCC unroll 8
	for (i = 0; i + TCP_CACHE_LINE <= sizeof(*conn); i += TCP_CACHE_LINE)
		memset(b + i, 0, TCP_CACHE_LINE);
	memset(b + i, 0, sizeof(*conn) - i);
}

/* Take a connection from the pool, zeroed, in CLOSED; NULL when empty. */
struct tcp_conn *
tcp_conn_alloc(struct tcp_ctx *c, uint64_t now)
{
	struct tcp_conn *conn;
	uint32_t idx = c->conn_free, gen, tgen;
	uint64_t armed;

	if (idx == TCP_NONE)
		return NULL;
	conn = &c->conns[idx];
	c->conn_free = conn->next_free;
	/* The slot's generations and wheel entry (tcp_timer.c) carry over. */
	gen = conn->gen;
	tgen = conn->tgen;
	armed = conn->armed_tick;
	conn_zero(conn);
	conn->idx = idx;
	conn->gen = gen;
	conn->tgen = tgen;
	conn->armed_tick = armed;
	conn->flags = TCP_CF_USED;
	conn->sb = TCP_NONE;
	conn->rb = TCP_NONE;
	conn->next_free = TCP_NONE;
	conn->tw_slot = TCP_NONE;
	conn->born_ms = tcp_ms(now);
	c->conn_used++;
	return conn;
}

/*
 * Return a connection to the pool: its table entry (unless keep_entry,
 * when a TIME_WAIT record took it over), its send buffer and its queued
 * payload segments. The gauges must already be moved. A TIME_WAIT record
 * it reopened is no longer linked: established, it unlinked it; ended
 * before, tcp_conn_free() returned or ended it.
 */
void
tcp_conn_release(struct tcp_ctx *c, struct tcp_conn *conn, bool keep_entry)
{
	/* The entry holding the connection's index is its own. */
	if (!keep_entry)
		flowtab_delete_val_at(c->ft, tcp_conn_hash(c, conn), c->in_slot,
				      conn->idx);
	if (conn->flags & TCP_CF_OPENED) {
		c->cnt.conn_closed++;
		if (c->src != NULL)
			tcp_src_put(c, conn);
	}
	tcp_out_purge(c, conn->idx);
	tcp_wwait_leave(c, conn);
	tcp_sb_put(c, conn);
	tcp_rb_put(c, conn);
	conn->gen++;
	conn->flags = 0;
	conn->state = TCP_CLOSED;
	conn->next_free = c->conn_free;
	c->conn_free = conn->idx;
	c->conn_used--;
}

/*
 * A connection ends. One reopened from TIME-WAIT that ends before its
 * SYN was shown to be no old duplicate (still in SYN-RECEIVED: reset,
 * timed out, given up, a second SYN, aborted) gives the tuple back to
 * the record it reopened (RFC 1122 4.2.2.13 (2), tcp_tw_return()): the
 * new incarnation never existed, so the old one's protection goes on.
 */
void
tcp_conn_free(struct tcp_ctx *c, struct tcp_conn *conn)
{
	if (__builtin_expect(conn->tw_slot != TCP_NONE, 0) &&
	    tcp_tw_return(c, conn))
		return;
	tcp_set_state(c, conn, TCP_CLOSED);
	tcp_conn_release(c, conn, false);
}

_Static_assert(offsetof(struct tcp_ctx, outq) == 0,
	       "tcp_outq() reads the output queue at the context's start");

const struct tcp_counters *
tcp_counters(const struct tcp_ctx *c)
{
	return &c->cnt;
}

const uint64_t *
tcp_state_gauges(const struct tcp_ctx *c)
{
	return c->gauges;
}

void *
tcp_conn_app_state(struct tcp_conn *conn)
{
	return conn->app;
}

const void *
tcp_conn_app_arg(const struct tcp_ctx *c, const struct tcp_conn *conn)
{
	return c->lst[conn->listener].arg;
}

void *
tcp_conn_listener_data(struct tcp_ctx *c, const struct tcp_conn *conn)
{
	return c->lst_app[conn->listener];
}

enum tcp_state
tcp_conn_state(const struct tcp_conn *conn)
{
	return (enum tcp_state)conn->state;
}

enum tcp_family
tcp_conn_family(const struct tcp_conn *conn)
{
	return conn->flags & TCP_CF_V6 ? TCP_FAMILY_IPV6 : TCP_FAMILY_IPV4;
}

/* Pools, gauges and the table must agree. */
/*
 * Each connection entry of the flow table names a live connection whose
 * own key is the entry's: so no two entries hold one connection's index,
 * which the lookups by value at a hinted slot rely on
 * (flowtab_delete_val_at()). TIME_WAIT entries are tcp_tw_check()'s.
 */
static int
ctx_check_conn_entries(const struct tcp_ctx *c)
{
	uint32_t slot, slots = flowtab_slots(c->ft), val;
	const struct tcp_conn *conn;
	struct flow_key k, ck;

	for (slot = 0; slot < slots; slot++) {
		if (flowtab_entry_at(c->ft, slot, &k, &val) != 0 ||
		    (val & TCP_FT_TW))
			continue;
		if (val >= c->p.max_connections)
			return -1;
		conn = &c->conns[val];
		if (conn->state == TCP_CLOSED)
			return -1;
		tcp_conn_key(c, conn, &ck);
		if (ck.raddr != k.raddr || ck.laddr != k.laddr ||
		    ck.rport != k.rport || ck.lport != k.lport)
			return -1;
	}
	return 0;
}

int
tcp_ctx_check(const struct tcp_ctx *c)
{
	uint64_t conns = 0;
	char err[128];
	unsigned int s;

	if (flowtab_check(c->ft) != 0 || ctx_check_conn_entries(c) != 0 ||
	    tcp_tw_check(c) != 0 || wheel_check(c->w, err, sizeof(err)) != 0 ||
	    tcp_ooo_check(c) != 0 || tcp_src_check(c) != 0)
		return -1;
	for (s = TCP_SYN_SENT; s < TCP_STATE_MAX; s++)
		if (s != TCP_TIME_WAIT)
			conns += c->gauges[s];
	if (conns != c->conn_used || c->gauges[TCP_TIME_WAIT] != c->tw_used ||
	    c->gauges[TCP_LISTEN] != c->n_lst ||
	    flowtab_count(c->ft) != c->conn_used + c->tw_used)
		return -1;
	return 0;
}
