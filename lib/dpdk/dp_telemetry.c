/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Telemetry: /tcpterm/states, /tcpterm/stats and /tcpterm/cores, plus the
 * sums the stats line uses. Counters are read without locks from the
 * telemetry thread; a value may be a poll old, never torn (64-bit loads).
 */
#include <errno.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_telemetry.h>

#include "dp.h"
#include "dp_internal.h"

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

unsigned int
dp_tel_cores_get(struct dp_core *const **cores)
{
	*cores = dp_tel_cores;
	return dp_tel_count();
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
dp_tel_cmd_states(const char *cmd __rte_unused, const char *params __rte_unused,
		  struct rte_tel_data *d)
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

/*
 * Every drop: the TCP and glue counters of kind DROP and the parser's
 * drop reasons. The stats line, /tcpterm/stats and the metrics' drops
 * all count these.
 */
uint64_t
dp_drops_total(const struct tcp_counters *tc, const struct dp_counters *gc,
	       const uint64_t *drops)
{
	const uint64_t *t = (const uint64_t *)tc;
	const uint64_t *g = (const uint64_t *)gc;
	uint64_t sum = 0;
	unsigned int i;

	for (i = 0; i < TCP_COUNTER_COUNT; i++)
		if (tcp_counter_kind(i) == TCP_COUNTER_DROP)
			sum += t[i];
	for (i = NET_DROP_NONE + 1; i < NET_DROP_MAX; i++)
		sum += drops[i];
	for (i = 0; i < DP_COUNTER_COUNT; i++)
		if (dp_counter_kind(i) == TCP_COUNTER_DROP)
			sum += g[i];
	return sum;
}

/* The limits of all workers (configuration, for thresholds). */
static void
dp_tel_limits(struct rte_tel_data *d, unsigned int n)
{
	uint64_t tw = 0, conns = 0;
	unsigned int i;

	for (i = 0; i < n; i++) {
		tw += tcp_ctx_params(dp_tel_cores[i]->tcp)->max_time_wait;
		conns += tcp_ctx_params(dp_tel_cores[i]->tcp)->max_connections;
	}
	rte_tel_data_add_dict_u64(d, "max_time_wait", tw);
	rte_tel_data_add_dict_u64(d, "max_connections", conns);
}

static int
dp_tel_cmd_stats(const char *cmd __rte_unused, const char *params __rte_unused,
		 struct rte_tel_data *d)
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
	rte_tel_data_add_dict_u64(d, "drops_total",
				  dp_drops_total(&tc, &gc, drops));
	dp_tel_limits(d, n);
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

#define DP_TCP_INDEX(f) (offsetof(struct tcp_counters, f) / sizeof(uint64_t))
#define DP_GLUE_INDEX(f) (offsetof(struct dp_counters, f) / sizeof(uint64_t))

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
	rte_tel_data_add_dict_u64(
		d, "ownership_violations",
		dp_glue_get(core, DP_GLUE_INDEX(ownership_violations)));
	rte_tel_data_add_dict_u64(d, "steered_out",
				  dp_glue_get(core,
					      DP_GLUE_INDEX(steered_out)));
	rte_tel_data_add_dict_u64(d, "steered_in",
				  dp_glue_get(core, DP_GLUE_INDEX(steered_in)));
	rte_tel_data_add_dict_u64(d, "steer_ring_full",
				  dp_glue_get(core,
					      DP_GLUE_INDEX(steer_ring_full)));
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
		DP_TCP_INDEX(seg_in),	   DP_TCP_INDEX(seg_out),
		DP_TCP_INDEX(conn_closed), DP_TCP_INDEX(rst_sent),
		DP_TCP_INDEX(retransmit),
	};
	const struct dp_core_port *cp = &core->ports[0];
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
	/* The queues of the first port (all ports: /tcpterm/ports). */
	rte_tel_data_add_dict_int(d, "rxq",
				  cp->rxq == DP_NO_QUEUE ? -1 : cp->rxq);
	rte_tel_data_add_dict_int(d, "txq",
				  cp->txq == DP_NO_QUEUE ? -1 : cp->txq);
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

/* Parse a worker index parameter: 0 and *w, or -EINVAL. */
static int
dp_tel_worker_param(const char *params, unsigned int n, unsigned int *w)
{
	unsigned long v;
	char *end;

	if (params == NULL || params[0] == '\0')
		return -EINVAL;
	errno = 0;
	v = strtoul(params, &end, 10);
	if (errno != 0 || end == params || (*end != '\0' && *end != ',') ||
	    v >= n)
		return -EINVAL;
	*w = (unsigned int)v;
	return 0;
}

/* A dict keyed by worker index, one container per worker from one(). */
static int
dp_tel_per_worker(struct rte_tel_data *d, unsigned int first, unsigned int n,
		  struct rte_tel_data *(*one)(const struct dp_core *, bool),
		  bool full)
{
	struct rte_tel_data *c;
	char key[16];
	unsigned int i;

	rte_tel_data_start_dict(d);
	for (i = first; i < n; i++) {
		c = one(dp_tel_cores[i], full);
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

	if (params != NULL && params[0] != '\0') {
		if (dp_tel_worker_param(params, n, &first) != 0)
			return -EINVAL;
		n = first + 1;
		full = true;
	}
	return dp_tel_per_worker(d, first, n, dp_tel_core, full);
}

/* One worker's state gauges. */
static struct rte_tel_data *
dp_tel_core_states(const struct dp_core *core, bool full __rte_unused)
{
	const uint64_t *g = tcp_state_gauges(core->tcp);
	struct rte_tel_data *c = rte_tel_data_alloc();
	unsigned int s;

	if (c == NULL)
		return NULL;
	rte_tel_data_start_dict(c);
	for (s = 0; s < TCP_STATE_MAX; s++)
		rte_tel_data_add_dict_u64(c, tcp_state_name(s), dp_read(&g[s]));
	return c;
}

/*
 * /tcpterm/core_states: a dict keyed by worker index, each value the
 * state gauges of that worker; with a parameter W, worker W only.
 */
static int
dp_tel_cmd_core_states(const char *cmd __rte_unused, const char *params,
		       struct rte_tel_data *d)
{
	unsigned int n = dp_tel_count(), first = 0;

	if (params != NULL && params[0] != '\0') {
		if (dp_tel_worker_param(params, n, &first) != 0)
			return -EINVAL;
		n = first + 1;
	}
	return dp_tel_per_worker(d, first, n, dp_tel_core_states, false);
}

/*
 * /tcpterm/pools: the preallocated pools (connections, time_wait,
 * flow_table, timer_wheel, buffers), each a dict of objects (capacity),
 * used and bytes, summed over workers; with a parameter W, worker W's.
 */
static int
dp_tel_cmd_pools(const char *cmd __rte_unused, const char *params,
		 struct rte_tel_data *d)
{
	struct tcp_mem_pool sum[TCP_MEM_POOLS], p[TCP_MEM_POOLS];
	unsigned int n = dp_tel_count(), first = 0, i, k, np = 0;
	struct rte_tel_data *c;

	if (params != NULL && params[0] != '\0') {
		if (dp_tel_worker_param(params, n, &first) != 0)
			return -EINVAL;
		n = first + 1;
	}
	memset(sum, 0, sizeof(sum));
	for (i = first; i < n; i++) {
		np = tcp_ctx_mem_usage(dp_tel_cores[i]->tcp, p, TCP_MEM_POOLS);
		for (k = 0; k < np; k++) {
			sum[k].name = p[k].name;
			sum[k].objects += p[k].objects;
			sum[k].used += p[k].used;
			sum[k].bytes += p[k].bytes;
		}
	}
	rte_tel_data_start_dict(d);
	for (k = 0; k < np; k++) {
		c = rte_tel_data_alloc();
		if (c == NULL)
			return -ENOMEM;
		rte_tel_data_start_dict(c);
		rte_tel_data_add_dict_u64(c, "objects", sum[k].objects);
		rte_tel_data_add_dict_u64(c, "used", sum[k].used);
		rte_tel_data_add_dict_u64(c, "bytes", sum[k].bytes);
		if (rte_tel_data_add_dict_container(d, sum[k].name, c, 0)) {
			rte_tel_data_free(c);
			return -ENOSPC;
		}
	}
	return 0;
}

/* "W,CURSOR,STATES,RADDR,PREFIX,MAX", all decimal. */
static int
dp_tel_list_params(const char *params, unsigned int n, unsigned int *w,
		   uint32_t *cursor, struct tcp_list_filter *f, uint32_t *max)
{
	unsigned long long v[6];
	const char *p = params;
	unsigned int i;
	char *end;

	if (params == NULL)
		return -EINVAL;
	for (i = 0; i < 6; i++) {
		errno = 0;
		v[i] = strtoull(p, &end, 10);
		if (errno != 0 || end == p || *p == '-' ||
		    *end != (i == 5 ? '\0' : ','))
			return -EINVAL;
		p = end + 1;
	}
	if (v[0] >= n || v[1] > UINT32_MAX || v[2] >= (1u << TCP_STATE_MAX) ||
	    v[3] > UINT32_MAX || v[4] > 32 || v[5] == 0 || v[5] > DP_LIST_MAX)
		return -EINVAL;
	*w = (unsigned int)v[0];
	*cursor = (uint32_t)v[1];
	f->states = (uint32_t)v[2];
	f->rmask = v[4] == 0 ? 0 : UINT32_MAX << (32 - v[4]);
	f->raddr = (uint32_t)v[3] & f->rmask;
	f->family = TCP_FAMILY_BOTH;
	*max = (uint32_t)v[5];
	return 0;
}

/* An address of a record as listed: a.b.c.d, or [IPv6] (RFC 5952 6). */
static const char *
dp_tel_list_addr(const struct tcp_list_rec *r, bool local, char *buf)
{
	char a[NET_IPV6_FMT_LEN];

	if (r->family != TCP_FAMILY_IPV6)
		return net_ipv4_fmt(local ? r->laddr : r->raddr, buf);
	snprintf(buf, NET_IPV6_FMT_LEN + 2, "[%s]",
		 net_ipv6_fmt(local ? r->laddr6 : r->raddr6, a));
	return buf;
}

/*
 * One record as "STATE LADDR:LPORT RADDR:RPORT SENDQ RECVQ TIMER MS AGE",
 * an IPv6 address in brackets. Telemetry strings hold 127 characters,
 * which two IPv6 addresses of 39 with 10-digit figures exceed: the end
 * of such a record is cut.
 */
static void
dp_tel_list_rec(const struct tcp_list_rec *r, char *buf, size_t len)
{
	char la[NET_IPV6_FMT_LEN + 2], ra[NET_IPV6_FMT_LEN + 2], age[16];
	char full[256];
	size_t n;

	if (r->age_ms == TCP_LIST_AGE_NONE)
		snprintf(age, sizeof(age), "-");
	else
		snprintf(age, sizeof(age), "%u", r->age_ms);
	snprintf(full, sizeof(full), "%s %s:%u %s:%u %u %u %s %u %s",
		 tcp_state_name(r->state), dp_tel_list_addr(r, true, la),
		 r->lport, dp_tel_list_addr(r, false, ra), r->rport, r->sendq,
		 r->recvq, tcp_list_timer_name(r->timer, r->state), r->timer_ms,
		 age);
	n = strnlen(full, sizeof(full));
	if (n >= len)
		n = len - 1;
	memcpy(buf, full, n);
	buf[n] = '\0';
}

/*
 * /tcpterm/list,W,CURSOR,STATES,RADDR,PREFIX,MAX: one slice of worker W's
 * connections and TIME_WAIT records from CURSOR (0 to start), filtered by
 * a bit mask of states (bit = enum tcp_state, 0 = all) and a remote
 * network (RADDR as a 32-bit number, PREFIX bits; 0 = any), at most MAX
 * (<= DP_LIST_MAX) records. Answered by the worker from its own loop.
 * Reply: worker, next (the cursor to continue from, -1 when done) and
 * conns, an array of "STATE LADDR:LPORT RADDR:RPORT SENDQ RECVQ TIMER
 * TIMER_MS AGE_MS" strings (AGE_MS "-" when unknown).
 */
static int
dp_tel_cmd_list(const char *cmd __rte_unused, const char *params,
		struct rte_tel_data *d)
{
	static struct tcp_list_rec recs[DP_LIST_MAX]; /* under the lock */
	static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	char line[RTE_TEL_MAX_STRING_LEN];
	struct tcp_list_filter f;
	struct rte_tel_data *a;
	uint32_t cursor, max;
	unsigned int w;
	int n, i, ret;

	ret = dp_tel_list_params(params, dp_tel_count(), &w, &cursor, &f, &max);
	if (ret != 0)
		return ret;
	a = rte_tel_data_alloc();
	if (a == NULL)
		return -ENOMEM;
	pthread_mutex_lock(&lock);
	n = dp_list_request(dp_tel_cores[w], &f, &cursor, max, recs);
	if (n < 0) {
		pthread_mutex_unlock(&lock);
		rte_tel_data_free(a);
		rte_tel_data_start_dict(d);
		rte_tel_data_add_dict_string(
			d, "error",
			n == -ETIMEDOUT ?
				"worker did not answer within 1 s" :
				"worker busy with an unanswered request");
		return 0;
	}
	rte_tel_data_start_array(a, RTE_TEL_STRING_VAL);
	for (i = 0; i < n; i++) {
		dp_tel_list_rec(&recs[i], line, sizeof(line));
		rte_tel_data_add_array_string(a, line);
	}
	pthread_mutex_unlock(&lock);
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "worker", w);
	rte_tel_data_add_dict_int(d, "next",
				  cursor == TCP_LIST_END ?
					  -1 :
					  (int)RTE_MIN(cursor,
						       (uint32_t)INT32_MAX));
	rte_tel_data_add_dict_container(d, "conns", a, 0);
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
	ret = rte_telemetry_register_cmd(
		"/tcpterm/states", dp_tel_cmd_states,
		"TCP state gauges summed over cores. Takes no parameters");
	if (ret == 0)
		ret = rte_telemetry_register_cmd(
			"/tcpterm/stats", dp_tel_cmd_stats,
			"TCP, drop and port counters summed over cores. "
			"Takes no parameters");
	if (ret == 0)
		ret = rte_telemetry_register_cmd(
			"/tcpterm/cores", dp_tel_cmd_cores,
			"Per-core counters, a dict keyed by worker index. "
			"Parameter: a worker index, for that worker only");
	if (ret == 0)
		ret = rte_telemetry_register_cmd(
			"/tcpterm/core_states", dp_tel_cmd_core_states,
			"TCP state gauges per worker. "
			"Parameter: a worker index, for that worker only");
	if (ret == 0)
		ret = rte_telemetry_register_cmd(
			"/tcpterm/pools", dp_tel_cmd_pools,
			"Memory pools: objects, used, bytes; summed. "
			"Parameter: a worker index, for that worker only");
	if (ret == 0)
		ret = rte_telemetry_register_cmd(
			"/tcpterm/list", dp_tel_cmd_list,
			"One slice of a worker's connections. Parameters: "
			"W,CURSOR,STATE_MASK,RADDR,PREFIX,MAX");
	if (ret == 0)
		ret = dp_tel_ports_register();
	return ret;
}
