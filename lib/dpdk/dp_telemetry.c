/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Telemetry: /tcpterm/states, /tcpterm/stats and /tcpterm/cores, plus the
 * sums the stats line uses. Counters are read without locks from the
 * telemetry thread; a value may be a poll old, never torn (64-bit loads).
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_telemetry.h>

#include "dp.h"

static const struct {
	const char *name;
	const char *desc;
	enum tcp_counter_kind kind;
} dp_counter_info[] = {
#define DP_COUNTER_INFO(n, k, d) { #n, d, TCP_COUNTER_##k },
	DP_COUNTERS(DP_COUNTER_INFO)
#undef DP_COUNTER_INFO
};

/* Set once by dp_telemetry_register() before the workers start. */
static struct dp_core *const *dp_tel_cores;
static unsigned int dp_tel_n;

const char *
dp_counter_name(unsigned int i)
{
	if (i >= DP_COUNTER_COUNT)
		return "?";
	return dp_counter_info[i].name;
}

enum tcp_counter_kind
dp_counter_kind(unsigned int i)
{
	if (i >= DP_COUNTER_COUNT)
		return TCP_COUNTER_EVENT;
	return dp_counter_info[i].kind;
}

const char *
dp_counter_desc(unsigned int i)
{
	if (i >= DP_COUNTER_COUNT)
		return NULL;
	return dp_counter_info[i].desc;
}

/* Cores visible to the telemetry thread (0 once detached). */
static inline unsigned int
dp_tel_count(void)
{
	return __atomic_load_n(&dp_tel_n, __ATOMIC_ACQUIRE);
}

static inline uint64_t
dp_read(const uint64_t *p)
{
	return __atomic_load_n(p, __ATOMIC_RELAXED);
}

void
dp_sum_tcp(struct dp_core *const *cores, unsigned int n,
	   struct tcp_counters *out)
{
	uint64_t *o = (uint64_t *)out;
	unsigned int c, i;

	memset(out, 0, sizeof(*out));
	for (c = 0; c < n; c++) {
		const uint64_t *v =
			(const uint64_t *)tcp_counters(cores[c]->tcp);

		for (i = 0; i < TCP_COUNTER_COUNT; i++)
			o[i] += dp_read(&v[i]);
	}
}

void
dp_sum_glue(struct dp_core *const *cores, unsigned int n,
	    struct dp_counters *out)
{
	uint64_t *o = (uint64_t *)out;
	unsigned int c, i;

	memset(out, 0, sizeof(*out));
	for (c = 0; c < n; c++) {
		const uint64_t *v = (const uint64_t *)&cores[c]->cnt;

		for (i = 0; i < DP_COUNTER_COUNT; i++)
			o[i] += dp_read(&v[i]);
	}
}

void
dp_sum_drops(struct dp_core *const *cores, unsigned int n,
	     uint64_t out[NET_DROP_MAX])
{
	unsigned int c, i;

	memset(out, 0, sizeof(uint64_t) * NET_DROP_MAX);
	for (c = 0; c < n; c++)
		for (i = 0; i < NET_DROP_MAX; i++)
			out[i] += dp_read(&cores[c]->drops[i]);
}

void
dp_sum_states(struct dp_core *const *cores, unsigned int n,
	      uint64_t out[TCP_STATE_MAX])
{
	unsigned int c, i;

	memset(out, 0, sizeof(uint64_t) * TCP_STATE_MAX);
	for (c = 0; c < n; c++) {
		const uint64_t *g = tcp_state_gauges(cores[c]->tcp);

		for (i = 0; i < TCP_STATE_MAX; i++)
			out[i] += dp_read(&g[i]);
	}
}

static void
dp_tel_states(struct rte_tel_data *d, const uint64_t *g)
{
	unsigned int i;

	for (i = 0; i < TCP_STATE_MAX; i++)
		rte_tel_data_add_dict_u64(d, tcp_state_name(i), g[i]);
}

static int
dp_tel_cmd_states(const char *cmd __rte_unused,
		  const char *params __rte_unused, struct rte_tel_data *d)
{
	uint64_t g[TCP_STATE_MAX];

	dp_sum_states(dp_tel_cores, dp_tel_count(), g);
	rte_tel_data_start_dict(d);
	dp_tel_states(d, g);
	return 0;
}

static void
dp_tel_counters(struct rte_tel_data *d, const struct tcp_counters *tc,
		const struct dp_counters *gc, const uint64_t *drops)
{
	const uint64_t *t = (const uint64_t *)tc;
	const uint64_t *g = (const uint64_t *)gc;
	char name[RTE_TEL_MAX_STRING_LEN];
	unsigned int i;

	for (i = 0; i < TCP_COUNTER_COUNT; i++)
		rte_tel_data_add_dict_u64(d, tcp_counter_name(i), t[i]);
	for (i = NET_DROP_NONE + 1; i < NET_DROP_MAX; i++) {
		snprintf(name, sizeof(name), "drop_%s", net_drop_name(i));
		rte_tel_data_add_dict_u64(d, name, drops[i]);
	}
	for (i = 0; i < DP_COUNTER_COUNT; i++)
		rte_tel_data_add_dict_u64(d, dp_counter_name(i), g[i]);
}

/* The SYN_RECEIVED budget of all workers (configuration, not a count). */
static uint64_t
dp_tel_syn_budget(unsigned int n)
{
	uint64_t sum = 0;
	unsigned int i;

	for (i = 0; i < n; i++)
		sum += tcp_ctx_params(dp_tel_cores[i]->tcp)->max_syn_recv;
	return sum;
}

static int
dp_tel_cmd_stats(const char *cmd __rte_unused,
		 const char *params __rte_unused, struct rte_tel_data *d)
{
	struct tcp_counters tc;
	struct dp_counters gc;
	uint64_t drops[NET_DROP_MAX];
	unsigned int n = dp_tel_count();

	dp_sum_tcp(dp_tel_cores, n, &tc);
	dp_sum_glue(dp_tel_cores, n, &gc);
	dp_sum_drops(dp_tel_cores, n, drops);
	rte_tel_data_start_dict(d);
	dp_tel_counters(d, &tc, &gc, drops);
	rte_tel_data_add_dict_u64(d, "syn_recv_budget", dp_tel_syn_budget(n));
	return 0;
}

static uint64_t
dp_tcp_get(const struct dp_core *core, unsigned int i)
{
	return dp_read(&((const uint64_t *)tcp_counters(core->tcp))[i]);
}

static uint64_t
dp_glue_get(const struct dp_core *core, unsigned int i)
{
	return dp_read(&((const uint64_t *)&core->cnt)[i]);
}

#define DP_TCP_INDEX(f) \
	(offsetof(struct tcp_counters, f) / sizeof(uint64_t))
#define DP_GLUE_INDEX(f) \
	(offsetof(struct dp_counters, f) / sizeof(uint64_t))

/* Connections in states other than LISTEN and CLOSED, TIME_WAIT apart. */
static void
dp_tel_core_gauges(struct rte_tel_data *d, const struct dp_core *core)
{
	const uint64_t *g = tcp_state_gauges(core->tcp);
	uint64_t open = 0;
	unsigned int i;

	for (i = 0; i < TCP_STATE_MAX; i++)
		if (i != TCP_LISTEN && i != TCP_CLOSED && i != TCP_TIME_WAIT)
			open += dp_read(&g[i]);
	rte_tel_data_add_dict_u64(d, "conns", open);
	rte_tel_data_add_dict_u64(d, "time_wait", dp_read(&g[TCP_TIME_WAIT]));
}

/*
 * Above this many cores /tcpterm/cores lists the short entries only, so
 * that the reply fits the telemetry buffer (16 KiB); "/tcpterm/cores,W"
 * gives worker W in full.
 */
#define DP_TEL_FULL_CORES 16

/* The fields every entry has, whatever the number of cores. */
static void
dp_tel_core_short(struct rte_tel_data *d, const struct dp_core *core)
{
	rte_tel_data_add_dict_u64(d, "lcore", core->lcore);
	rte_tel_data_add_dict_u64(d, "conns_opened",
				  dp_tcp_get(core, DP_TCP_INDEX(conn_opened)));
	rte_tel_data_add_dict_u64(d, "ownership_violations",
		dp_glue_get(core, DP_GLUE_INDEX(ownership_violations)));
	rte_tel_data_add_dict_u64(d, "steered_out",
		dp_glue_get(core, DP_GLUE_INDEX(steered_out)));
	rte_tel_data_add_dict_u64(d, "steered_in",
		dp_glue_get(core, DP_GLUE_INDEX(steered_in)));
	rte_tel_data_add_dict_u64(d, "steer_ring_full",
		dp_glue_get(core, DP_GLUE_INDEX(steer_ring_full)));
	dp_tel_core_gauges(d, core);
}

/* One core's entry: who it is, its queues, what it did. */
static struct rte_tel_data *
dp_tel_core(const struct dp_core *core, bool full)
{
	static const unsigned int glue[] = {
		DP_GLUE_INDEX(ownership_violations),
		DP_GLUE_INDEX(steered_out),
		DP_GLUE_INDEX(steered_in),
		DP_GLUE_INDEX(steer_ring_full),
		DP_GLUE_INDEX(tx_handoff),
		DP_GLUE_INDEX(rx_packets),
		DP_GLUE_INDEX(tx_packets),
		DP_GLUE_INDEX(tx_drop),
		DP_GLUE_INDEX(neigh_miss),
	};
	static const unsigned int tcp[] = {
		DP_TCP_INDEX(seg_in),
		DP_TCP_INDEX(seg_out),
		DP_TCP_INDEX(conn_closed),
		DP_TCP_INDEX(rst_sent),
		DP_TCP_INDEX(retransmit),
	};
	struct rte_tel_data *d = rte_tel_data_alloc();
	unsigned int i;

	if (d == NULL)
		return NULL;
	rte_tel_data_start_dict(d);
	if (!full) {
		dp_tel_core_short(d, core);
		return d;
	}
	rte_tel_data_add_dict_u64(d, "lcore", core->lcore);
	rte_tel_data_add_dict_u64(d, "worker", core->worker);
	rte_tel_data_add_dict_int(d, "rxq", core->rxq == DP_NO_QUEUE ? -1 :
				  core->rxq);
	rte_tel_data_add_dict_int(d, "txq", core->txq == DP_NO_QUEUE ? -1 :
				  core->txq);
	rte_tel_data_add_dict_u64(d, "conns_opened",
				  dp_tcp_get(core, DP_TCP_INDEX(conn_opened)));
	for (i = 0; i < RTE_DIM(glue); i++)
		rte_tel_data_add_dict_u64(d, dp_counter_name(glue[i]),
					  dp_glue_get(core, glue[i]));
	for (i = 0; i < RTE_DIM(tcp); i++)
		rte_tel_data_add_dict_u64(d, tcp_counter_name(tcp[i]),
					  dp_tcp_get(core, tcp[i]));
	dp_tel_core_gauges(d, core);
	return d;
}

/*
 * /tcpterm/cores: a dict keyed by worker index ("0", "1", ...), each
 * value the dict of that core (lcore, conns_opened, ownership_violations,
 * steering counters, ...). With a parameter W, worker W only, in full.
 */
static int
dp_tel_cmd_cores(const char *cmd __rte_unused, const char *params,
		 struct rte_tel_data *d)
{
	unsigned int n = dp_tel_count(), first = 0;
	bool full = n <= DP_TEL_FULL_CORES;
	struct rte_tel_data *c;
	unsigned long w;
	char key[16], *end;
	unsigned int i;

	if (params != NULL && params[0] != '\0') {
		w = strtoul(params, &end, 10);
		if (*end != '\0' || w >= n)
			return -EINVAL;
		first = (unsigned int)w;
		n = first + 1;
		full = true;
	}
	rte_tel_data_start_dict(d);
	for (i = first; i < n; i++) {
		c = dp_tel_core(dp_tel_cores[i], full);
		if (c == NULL)
			return -ENOMEM;
		snprintf(key, sizeof(key), "%u", i);
		if (rte_tel_data_add_dict_container(d, key, c, 0) != 0) {
			rte_tel_data_free(c);
			return -ENOSPC;
		}
	}
	return 0;
}

void
dp_telemetry_detach(void)
{
	__atomic_store_n(&dp_tel_n, 0, __ATOMIC_RELEASE);
}

int
dp_telemetry_register(struct dp_core *const *cores, unsigned int n)
{
	int ret;

	dp_tel_cores = cores;
	__atomic_store_n(&dp_tel_n, n, __ATOMIC_RELEASE);
	ret = rte_telemetry_register_cmd("/tcpterm/states", dp_tel_cmd_states,
		"TCP state gauges summed over cores. Takes no parameters");
	if (ret == 0)
		ret = rte_telemetry_register_cmd("/tcpterm/stats",
			dp_tel_cmd_stats,
			"TCP, drop and port counters summed over cores. "
			"Takes no parameters");
	if (ret == 0)
		ret = rte_telemetry_register_cmd("/tcpterm/cores",
			dp_tel_cmd_cores,
			"Per-core counters, a dict keyed by worker index. "
			"Parameter: a worker index, for that worker only");
	return ret;
}
