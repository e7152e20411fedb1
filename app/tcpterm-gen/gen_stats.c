/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Measurements: latency histograms, the progress line every second, an
 * optional per-second CSV, and the final table plus one JSON line.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <rte_cycles.h>

#include "gen.h"

static const char *const gen_cnt_names[] = {
#define GEN_CNT_NAME(n) #n,
	GEN_COUNTERS(GEN_CNT_NAME)
#undef GEN_CNT_NAME
};

const char *
gen_counter_name(unsigned int i)
{
	return i < GEN_COUNTER_COUNT ? gen_cnt_names[i] : "?";
}

uint64_t
gen_tsc_ns(const struct gen *g, uint64_t tsc)
{
	return (uint64_t)(((unsigned __int128)tsc * g->ns_mult) >> 32);
}

/*
 * Bucket of v: values below 2^SUB exactly, then 2^SUB buckets per power
 * of two (about 12% wide).
 */
static unsigned int
gen_hist_bucket(uint64_t v)
{
	unsigned int msb, sub;

	if (v < (1u << GEN_HIST_SUB_BITS))
		return (unsigned int)v;
	msb = 63 - (unsigned int)__builtin_clzll(v);
	sub = (unsigned int)(v >> (msb - GEN_HIST_SUB_BITS)) &
		((1u << GEN_HIST_SUB_BITS) - 1);
	return ((msb - GEN_HIST_SUB_BITS + 1) << GEN_HIST_SUB_BITS) + sub;
}

/* The upper bound of bucket i (the value reported for it). */
static uint64_t
gen_hist_value(unsigned int i)
{
	unsigned int e = i >> GEN_HIST_SUB_BITS;
	uint64_t sub = i & ((1u << GEN_HIST_SUB_BITS) - 1);

	if (e == 0)
		return sub;
	e += GEN_HIST_SUB_BITS - 1;
	return ((((uint64_t)1 << GEN_HIST_SUB_BITS) + sub + 1)
		<< (e - GEN_HIST_SUB_BITS)) -
		1;
}

void
gen_hist_add(struct gen_hist *h, uint64_t ns)
{
	unsigned int b = gen_hist_bucket(ns);

	if (b >= GEN_HIST_BUCKETS)
		b = GEN_HIST_BUCKETS - 1;
	h->b[b]++;
	h->n++;
}

/* The pct-th percentile (0 < pct <= 100) in ns; 0 when empty. */
uint64_t
gen_hist_pct(const struct gen_hist *h, double pct)
{
	uint64_t want, seen = 0;
	unsigned int i;

	if (h->n == 0)
		return 0;
	want = (uint64_t)(h->n * pct / 100.0 + 0.999999);
	if (want == 0)
		want = 1;
	for (i = 0; i < GEN_HIST_BUCKETS; i++) {
		seen += h->b[i];
		if (seen >= want)
			return gen_hist_value(i);
	}
	return gen_hist_value(GEN_HIST_BUCKETS - 1);
}

/* CPU time of the process so far, in seconds. */
static double
gen_cpu_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * Account one poll that moved packets. A poll longer than the cap was
 * preempted (on a shared machine): only the cap counts as work.
 */
static void
gen_busy_add(struct gen *g, uint64_t tsc)
{
	g->busy_tsc += tsc < g->poll_cap_tsc ? tsc : g->poll_cap_tsc;
}

/*
 * End of one poll that began at TSC t0: count it, account it as work
 * when it moved packets, and print the report once a second.
 */
void
gen_poll_done(struct gen *g, uint64_t t0, bool busy)
{
	g->polls++;
	if (busy) {
		g->busy_polls++;
		gen_busy_add(g, rte_rdtsc() - t0);
	}
	if (t0 >= g->next_report) {
		gen_report_tick(g, (double)(t0 - g->tsc0) / g->hz);
		g->next_report += g->hz;
	}
}

/* Busy share of the CPU time the process had (not of wall time). */
static double
gen_busy_share(const struct gen *g, uint64_t busy_tsc, double cpu_s)
{
	double b;

	if (cpu_s <= 0)
		return 0;
	b = (double)busy_tsc / g->hz / cpu_s;
	return b > 1 ? 1 : b;
}

void
gen_report_start(struct gen *g)
{
	g->last_tsc = g->tsc0;
	g->next_report = g->tsc0 + g->hz;
	g->poll_cap_tsc = g->hz / 10000; /* 100 us */
	g->cpu0 = gen_cpu_seconds();
	g->last_cpu = g->cpu0;
	if (g->o.series[0] == '\0')
		return;
	g->series = fopen(g->o.series, "w");
	if (g->series == NULL) {
		fprintf(stderr, "tcpterm-gen: cannot write %s\n", g->o.series);
		return;
	}
	fprintf(g->series,
		"t,cps,rps,pps_in,pps_out,inflight,failed,"
		"connect_p50_us,connect_p99_us,connect_p999_us,busy\n");
}

/* One line per second: rates over the last interval. */
void
gen_report_tick(struct gen *g, double t)
{
	const struct gen_counters *c = &g->c, *l = &g->last;
	double dt = t - g->last_t;
	double cpu = gen_cpu_seconds();
	double busy = gen_busy_share(g, g->busy_tsc - g->last_busy_tsc,
				     cpu - g->last_cpu);
	double cps, rps, pin, pout;

	if (dt <= 0)
		return;
	cps = (c->completed - l->completed) / dt;
	rps = (c->requests - l->requests) / dt;
	pin = (c->rx_pkts - l->rx_pkts) / dt;
	pout = (c->tx_pkts - l->tx_pkts) / dt;
	if (!g->o.quiet)
		printf("gen: %5.1fs (%.1fs left) cps %.0f rps %.0f pps in %.0f "
		       "out %.0f inflight %u done %" PRIu64 " failed %" PRIu64
		       " connect p50 %.1fus p99 %.1fus busy %.0f%%\n",
		       t, t < g->o.duration ? g->o.duration - t : 0.0, cps, rps,
		       pin, pout, g->inflight, c->completed, gen_failed(c),
		       gen_hist_pct(&g->connect_iv, 50) / 1e3,
		       gen_hist_pct(&g->connect_iv, 99) / 1e3, busy * 100);
	if (g->series)
		fprintf(g->series,
			"%.1f,%.0f,%.0f,%.0f,%.0f,%u,%" PRIu64
			",%.2f,%.2f,%.2f,%.3f\n",
			t, cps, rps, pin, pout, g->inflight, gen_failed(c),
			gen_hist_pct(&g->connect_iv, 50) / 1e3,
			gen_hist_pct(&g->connect_iv, 99) / 1e3,
			gen_hist_pct(&g->connect_iv, 99.9) / 1e3, busy);
	fflush(stdout);
	memset(&g->connect_iv, 0, sizeof(g->connect_iv));
	g->last = *c;
	g->last_t = t;
	g->last_tsc = g->now;
	g->last_busy_tsc = g->busy_tsc;
	g->last_cpu = cpu;
}

/* The connections opened per worker of the target (--workers). */
static void
gen_print_owners(const struct gen *g)
{
	uint64_t all = g->c.opened ? g->c.opened : 1;
	uint32_t k;

	if (g->order == NULL)
		return;
	printf("  source 4-tuples: %u of %u used, %" PRIu64 " per worker "
	       "(RETA %u)\n",
	       g->n_order, g->n_tuples,
	       g->owner_tuples[g->o.owner >= 0 ? g->o.owner : 0],
	       g->o.reta_size);
	for (k = 0; k < g->o.workers; k++)
		printf("  worker %-15u %14" PRIu64 " opened (%.1f%%)\n", k,
		       g->owner_opened[k], 100.0 * g->owner_opened[k] / all);
}

/* ,"owner_opened":[...] when the tuples were ordered by owner. */
static void
gen_json_owners(const struct gen *g)
{
	uint32_t k;

	if (g->order == NULL)
		return;
	printf(",\"workers\":%u,\"owner_opened\":[", g->o.workers);
	for (k = 0; k < g->o.workers; k++)
		printf("%s%" PRIu64, k ? "," : "", g->owner_opened[k]);
	printf("]");
}

static void
gen_print_table(const struct gen *g, double t, double busy, double cpu)
{
	const struct gen_counters *c = &g->c;
	const uint64_t *v = (const uint64_t *)c;
	char a[NET_IPV6_FMT_LEN], dst[NET_IPV6_FMT_LEN + 2];
	unsigned int i;

	if (g->o.ipv6)
		snprintf(dst, sizeof(dst), "[%s]", net_ipv6_fmt(g->o.dst6, a));
	else
		net_ipv4_fmt(g->o.dst, dst);
	printf("\ntcpterm-gen: %s for %.2fs against %s:%u\n",
	       gen_scenario_name(g->o.scenario), t, dst, g->o.dport);
	printf("  %-22s %14.0f\n", "connections/s", c->completed / t);
	printf("  %-22s %14.0f\n", "requests/s", c->requests / t);
	printf("  %-22s %14.0f\n", "packets/s in", c->rx_pkts / t);
	printf("  %-22s %14.0f\n", "packets/s out", c->tx_pkts / t);
	printf("  %-22s %14" PRIu64 "\n", "failed", gen_failed(c));
	for (i = 0; i < GEN_COUNTER_COUNT; i++)
		printf("  %-22s %14" PRIu64 "\n", gen_counter_name(i), v[i]);
	gen_print_owners(g);
	printf("  %-22s %8.1f %8.1f %8.1f us (p50 p99 p99.9)\n",
	       "connect latency", gen_hist_pct(&g->connect, 50) / 1e3,
	       gen_hist_pct(&g->connect, 99) / 1e3,
	       gen_hist_pct(&g->connect, 99.9) / 1e3);
	printf("  %-22s %8.1f %8.1f %8.1f us (p50 p99 p99.9)\n",
	       "response latency", gen_hist_pct(&g->response, 50) / 1e3,
	       gen_hist_pct(&g->response, 99) / 1e3,
	       gen_hist_pct(&g->response, 99.9) / 1e3);
	printf("  %-22s %8.1f %8.1f %8.1f us (p50 p99 p99.9)\n",
	       "SYN to response", gen_hist_pct(&g->complete, 50) / 1e3,
	       gen_hist_pct(&g->complete, 99) / 1e3,
	       gen_hist_pct(&g->complete, 99.9) / 1e3);
	printf("  %-22s %13.1f%%%s\n", "generator busy", busy * 100,
	       busy > 0.9 ? "  (the generator may be the bottleneck)" : "");
	printf("  %-22s %14" PRIu64 " of %" PRIu64 "\n", "polls with work",
	       g->busy_polls, g->polls);
	printf("  %-22s %13.1f%%%s\n", "on a CPU", cpu * 100,
	       cpu < 0.9 ? "  (the machine is shared: rates are low)" : "");
}

/*
 * The final table, then one JSON line: the last line on stdout (stderr
 * may still say why the exit status is not 0).
 */
void
gen_report_final(struct gen *g, double t)
{
	const struct gen_counters *c = &g->c;
	const uint64_t *v = (const uint64_t *)c;
	double wall = (double)(g->now - g->tsc0) / g->hz;
	double cpu_s = gen_cpu_seconds() - g->cpu0;
	double busy = gen_busy_share(g, g->busy_tsc, cpu_s);
	double cpu = wall > 0 ? cpu_s / wall : 0;
	unsigned int i;

	if (t <= 0)
		t = 1e-9;
	if (g->series)
		fclose(g->series);
	g->series = NULL;
	gen_print_table(g, t, busy, cpu);
	printf("{\"tool\":\"tcpterm-gen\",\"scenario\":\"%s\","
	       "\"family\":\"%s\",\"seconds\":%.3f,\"cps\":%.0f,"
	       "\"rps\":%.0f,\"pps_in\":%.0f,"
	       "\"pps_out\":%.0f,\"failed\":%" PRIu64,
	       gen_scenario_name(g->o.scenario), g->o.ipv6 ? "ipv6" : "ipv4", t,
	       c->completed / t, c->requests / t, c->rx_pkts / t,
	       c->tx_pkts / t, gen_failed(c));
	for (i = 0; i < GEN_COUNTER_COUNT; i++)
		printf(",\"%s\":%" PRIu64, gen_counter_name(i), v[i]);
	gen_json_owners(g);
	printf(",\"connect_p50_us\":%.2f,\"connect_p99_us\":%.2f,"
	       "\"connect_p999_us\":%.2f,\"response_p50_us\":%.2f,"
	       "\"response_p99_us\":%.2f,\"response_p999_us\":%.2f,"
	       "\"complete_p50_us\":%.2f,\"complete_p99_us\":%.2f,"
	       "\"complete_p999_us\":%.2f,\"busy\":%.3f,\"cpu\":%.3f,\"polls\":%" PRIu64
	       ",\"busy_polls\":%" PRIu64
	       ",\"resp_bytes\":%u,\"req_bytes\":%u}\n",
	       gen_hist_pct(&g->connect, 50) / 1e3,
	       gen_hist_pct(&g->connect, 99) / 1e3,
	       gen_hist_pct(&g->connect, 99.9) / 1e3,
	       gen_hist_pct(&g->response, 50) / 1e3,
	       gen_hist_pct(&g->response, 99) / 1e3,
	       gen_hist_pct(&g->response, 99.9) / 1e3,
	       gen_hist_pct(&g->complete, 50) / 1e3,
	       gen_hist_pct(&g->complete, 99) / 1e3,
	       gen_hist_pct(&g->complete, 99.9) / 1e3, busy, cpu, g->polls,
	       g->busy_polls, g->resp_len, g->req_len);
	fflush(stdout);
}
