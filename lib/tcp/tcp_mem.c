/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The memory of a context, pool by pool, for the start-up report.
 */
#include "tcp_internal.h"

unsigned int
tcp_ctx_mem_pools(const struct tcp_ctx *c, struct tcp_mem_pool *out,
		  unsigned int max)
{
	const struct tcp_mem_pool pools[] = {
		{ "connections", c->p.max_connections,
		  (size_t)(c->p.max_connections ? c->p.max_connections : 1) *
		  sizeof(struct tcp_conn) },
		{ "time_wait", c->p.max_time_wait, tcp_tw_mem_bytes(c) },
		{ "flow_table", flowtab_capacity(c->ft),
		  flowtab_mem_bytes(c->ft) },
		{ "timer_wheel", 0, wheel_mem_bytes(c->w) },
		{ "buffers", 0, 0 },
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
