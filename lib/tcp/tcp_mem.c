/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The memory of a context, pool by pool, for the start-up report.
 */
#include <string.h>

#include "tcp_internal.h"

unsigned int
tcp_ctx_mem_pools(const struct tcp_ctx *c, struct tcp_mem_pool *out,
		  unsigned int max)
{
	size_t conn_bytes = sizeof(struct tcp_conn) +
		(c->a6 != NULL ? sizeof(struct tcp_addr6) : 0);
	/* The slots, and the count per source when there is a limit. */
	size_t conns = (size_t)(c->p.max_connections ? c->p.max_connections :
						       1) *
			conn_bytes +
		tcp_src_mem_bytes(c);
	const struct tcp_mem_pool pools[] = {
		{ "connections", c->p.max_connections, conns, 0 },
		{ "time_wait",
		  (uint64_t)c->twr[TCP_TWR_V4].max + c->twr[TCP_TWR_V6].max,
		  tcp_tw_mem_bytes(c), 0 },
		{ "flow_table", flowtab_capacity(c->ft),
		  flowtab_mem_bytes(c->ft), 0 },
		{ "timer_wheel", 0, wheel_mem_bytes(c->w), 0 },
		{ "buffers", 0, 0, 0 },
	};
	unsigned int i, n = sizeof(pools) / sizeof(pools[0]);
	size_t known = 0;

	for (i = 0; i < n && i < max; i++) {
		out[i] = pools[i];
		known += pools[i].bytes;
	}
	/* The rest: send and receive buffers, and the context itself. */
	if (n <= max)
		out[n - 1].bytes = c->mem > known ? c->mem - known : 0;
	return i;
}

static inline uint64_t
mem_read32(const uint32_t *p)
{
	return __atomic_load_n(p, __ATOMIC_RELAXED);
}

/* Send and receive buffers together, in buffers. */
static void
mem_buffers(const struct tcp_ctx *c, struct tcp_mem_pool *p)
{
	p->objects = (uint64_t)c->sbp.count + c->rbp.count;
	p->used = p->objects - mem_read32(&c->sbp.nfree) -
		mem_read32(&c->rbp.nfree);
}

unsigned int
tcp_ctx_mem_usage(const struct tcp_ctx *c, struct tcp_mem_pool *out,
		  unsigned int max)
{
	unsigned int i, n = tcp_ctx_mem_pools(c, out, max);

	for (i = 0; i < n; i++) {
		if (strcmp(out[i].name, "connections") == 0)
			out[i].used = mem_read32(&c->conn_used);
		else if (strcmp(out[i].name, "time_wait") == 0)
			out[i].used = mem_read32(&c->tw_used);
		else if (strcmp(out[i].name, "flow_table") == 0)
			out[i].used = mem_read32(&c->conn_used) +
				mem_read32(&c->tw_used);
		else if (strcmp(out[i].name, "buffers") == 0)
			mem_buffers(c, &out[i]);
		else
			out[i].used = 0;
	}
	return n;
}
