/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Timer micro-benchmark: tcpterm's timing wheel against DPDK's rte_timer
 * and a binary min-heap, at several timer counts, then a storm of timers
 * all due within one second drained by a poll loop.
 *
 *   timer_bench [EAL args] -- [--sizes N,N..] [--storm N] [--limit S]
 *                              [--rx-ns N] [--cancel-pct P]
 *                              [--slice-ns N] [--wheel-only] [--cpu-clock]
 *                              [--stall-clock] [--stall-ns N]
 *                              [--pf-dist N] [--pf-batch N]
 *
 * --slice-ns: time bound of the wheel's timer work per storm poll (a TSC
 * deadline, default 6000 as the worker's DP_TIMER_SLICE_NS; 0 bounds by
 * count only).
 * --wheel-only: skip the heap and rte_timer.
 * --cpu-clock: the wheel storm's virtual time (ticks, drain time, time
 * limit) is the thread's CPU time, so that a shared, overloaded machine
 * measures the work and not the scheduler; poll times stay TSC, with
 * preempted polls counted apart.
 * --stall-clock: the wheel storm's virtual time is the TSC less the
 * stalls its loop saw (tb_gaps): time the CPU spent elsewhere, which no
 * timer system could use, does not make timers late. The host's stalls
 * count as CPU time to the guest, so --cpu-clock cannot take them out.
 * --stall-ns: a gap between two clock reads of the storm's loop longer
 * than this is a stall (default TB_STALL_NS). Before the storm, the
 * same clock is read in a loop doing nothing else for as long as the
 * storm's deadlines span: the platform's own stalls, side by side.
 * --pf-dist: how many cookies ahead the owners are prefetched while
 * firing (default 16).
 * --pf-batch N: instead, take N cookies per wheel_expire() call and
 * prefetch all their owners before firing any (0, the default: off).
 *
 * Under callgrind (valgrind --tool=callgrind --collect-atstart=no), only
 * the drain of the wheel-alone round is collected: its instructions
 * divided by the entries it handed out (the size) are the wheel's own
 * instructions per expired entry, independent of the machine's load.
 *
 * Prints Markdown tables, then one line of JSON as the last line.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_timer.h>
#include <rte_version.h>

#include "timer_bench.h"

#ifndef TT_BENCH_NATIVE
#define TT_BENCH_NATIVE 0
#endif

#define MAX_SIZES 4
#define NSYS 3

static const char *const sys_name[NSYS] = { "wheel", "heap", "rte_timer" };

struct bench {
	struct tb_conf conf;
	uint32_t sizes[MAX_SIZES];
	unsigned int nsizes;
	uint32_t storm_n;
	unsigned int cancel_pct;
	struct tb_result res[MAX_SIZES][NSYS];
	struct tb_storm *storm[NSYS];
	struct tb_gaps floor; /* The platform's stalls in an empty loop. */
	uint64_t floor_cyc;   /* How long that loop ran. */
	char cpu[128];
	double loadavg;
};

static uint64_t tsc_hz;

uint64_t
tb_cycles(void)
{
	return rte_rdtsc();
}

double
tb_ns(uint64_t cycles, const struct tb_conf *c)
{
	return (double)cycles * 1e9 / (double)c->hz;
}

void
tb_spin(uint64_t cycles)
{
	uint64_t end = rte_rdtsc() + cycles;

	while (rte_rdtsc() < end)
		;
}

uint64_t
tb_tick_now(uint64_t c0, const struct tb_conf *c)
{
	return TB_BASE + (rte_rdtsc() - c0) / (c->hz / 1000u);
}

uint64_t
tb_cpu_cycles(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)(((unsigned __int128)((uint64_t)ts.tv_sec *
						       1000000000u +
					       (uint64_t)ts.tv_nsec) *
			   tsc_hz) /
			  1000000000u);
}

int
tb_preempted(uint64_t wall_cyc, uint64_t cpu_cyc)
{
	return wall_cyc > cpu_cyc + tsc_hz / 1000000u * TB_PREEMPT_NS / 1000u;
}

/* The histogram bucket of a poll of cyc TSC cycles. */
static uint64_t
hist_bucket(uint64_t cyc)
{
	uint64_t ns = cyc * 1000000u / (tsc_hz / 1000u);
	uint64_t b;

	if (ns < TB_HIST_FINE * 10u)
		b = ns / 10u;
	else
		b = TB_HIST_FINE + ns / 10000u;
	if (b > TB_HIST_FINE + TB_HIST_COARSE)
		b = TB_HIST_FINE + TB_HIST_COARSE;
	return b;
}

void
tb_storm_poll(struct tb_storm *s, uint64_t cyc, int preempted)
{
	if (preempted)
		s->preempted++;
	else if (cyc > s->worst_run_cyc)
		s->worst_run_cyc = cyc;
	s->polls++;
	s->timer_cyc += cyc;
	if (cyc > s->worst_cyc)
		s->worst_cyc = cyc;
	s->hist[hist_bucket(cyc)]++;
}

void
tb_storm_work(struct tb_storm *s, uint64_t cyc, uint64_t stall_cyc)
{
	uint64_t work = cyc > stall_cyc ? cyc - stall_cyc : 0;

	if (stall_cyc != 0)
		s->stalled_polls++;
	if (work > s->work_worst_cyc)
		s->work_worst_cyc = work;
	s->whist[hist_bucket(work)]++;
}

void
tb_gaps_init(struct tb_gaps *g, uint64_t min_cyc)
{
	memset(g, 0, sizeof(*g));
	g->min_cyc = min_cyc;
	g->us_cyc = tsc_hz / 1000000u;
	g->last = rte_rdtsc();
}

uint64_t
tb_gaps_read(struct tb_gaps *g)
{
	uint64_t t = rte_rdtsc(), gap = t - g->last;

	g->last = t;
	if (gap >= g->us_cyc) {
		uint64_t k = gap / g->us_cyc - 1;

		g->by_us[k < TB_GAP_US ? k : TB_GAP_US - 1]++;
	}
	if (gap > g->min_cyc) {
		g->stalls++;
		g->stall_cyc += gap;
		if (gap > g->worst_cyc)
			g->worst_cyc = gap;
	}
	return t;
}

void
tb_gaps_spin(struct tb_gaps *g, uint64_t cycles)
{
	uint64_t end = tb_gaps_read(g) + cycles;

	while (tb_gaps_read(g) < end)
		;
}

/*
 * Upper bound, in us, of the poll time below which a fraction q of the
 * n polls of histogram hist lies; worst_cyc is the worst poll.
 */
static double
hist_pct_us(const uint32_t *hist, uint64_t n, uint64_t worst_cyc, double q)
{
	uint64_t want = (uint64_t)((double)n * q), seen = 0;
	uint32_t i;

	for (i = 0; i <= TB_HIST_FINE + TB_HIST_COARSE; i++) {
		seen += hist[i];
		if (seen > want || seen == n)
			break;
	}
	if (i < TB_HIST_FINE)
		return (i + 1) * 0.01;
	/* Past the last bucket (1 s): the worst poll is the best bound. */
	if (i >= TB_HIST_FINE + TB_HIST_COARSE)
		return (double)worst_cyc * 1e6 / (double)tsc_hz;
	return (i - TB_HIST_FINE + 1) * 10.0;
}

static double
storm_pct_us(const struct tb_storm *s, double q)
{
	return hist_pct_us(s->hist, s->polls, s->worst_cyc, q);
}

/* The same, of the polls with their stalls taken out. */
static double
storm_work_pct_us(const struct tb_storm *s, double q)
{
	return hist_pct_us(s->whist, s->polls, s->work_worst_cyc, q);
}

static uint64_t
rnd(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Deadlines uniform in 1..span; cancel a random pct of the objects. */
static int
load_make(struct tb_load *l, uint32_t n, uint32_t span, unsigned int pct)
{
	uint64_t x = n;
	uint32_t i;

	l->n = n;
	l->ncancel = (uint32_t)((uint64_t)n * pct / 100u);
	l->tick = malloc((size_t)n * sizeof(*l->tick) + 1);
	l->cancel = malloc((size_t)n * sizeof(*l->cancel) + 1);
	if (l->tick == NULL || l->cancel == NULL)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		l->tick[i] = 1 + (uint32_t)(rnd(&x) % span);
		l->cancel[i] = i;
	}
	for (i = n; i > 1; i--) {
		uint32_t j = (uint32_t)(rnd(&x) % i), t = l->cancel[i - 1];

		l->cancel[i - 1] = l->cancel[j];
		l->cancel[j] = t;
	}
	return 0;
}

static void
load_free(struct tb_load *l)
{
	free(l->tick);
	free(l->cancel);
}

static int
parse_args(struct bench *b, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "sizes", required_argument, NULL, 's' },
		{ "storm", required_argument, NULL, 'S' },
		{ "limit", required_argument, NULL, 'l' },
		{ "rx-ns", required_argument, NULL, 'r' },
		{ "cancel-pct", required_argument, NULL, 'c' },
		{ "slice-ns", required_argument, NULL, 'T' },
		{ "wheel-only", no_argument, NULL, 'W' },
		{ "cpu-clock", no_argument, NULL, 'C' },
		{ "stall-clock", no_argument, NULL, 'G' },
		{ "stall-ns", required_argument, NULL, 'g' },
		{ "pf-dist", required_argument, NULL, 'P' },
		{ "pf-batch", required_argument, NULL, 'B' },
		{ NULL, 0, NULL, 0 },
	};
	char *p, *tok;
	int o;

	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 's':
			b->nsizes = 0;
			for (tok = strtok_r(optarg, ",", &p);
			     tok != NULL && b->nsizes < MAX_SIZES;
			     tok = strtok_r(NULL, ",", &p))
				b->sizes[b->nsizes++] = (uint32_t)atol(tok);
			break;
		case 'S':
			b->storm_n = (uint32_t)atol(optarg);
			break;
		case 'l':
			b->conf.limit_s = atof(optarg);
			break;
		case 'r':
			b->conf.rx_ns = (uint64_t)atol(optarg);
			break;
		case 'c':
			b->cancel_pct = (unsigned int)atoi(optarg);
			break;
		case 'T':
			b->conf.slice_ns = (uint64_t)atol(optarg);
			break;
		case 'W':
			b->conf.wheel_only = 1;
			break;
		case 'C':
			b->conf.cpu_clock = 1;
			break;
		case 'G':
			b->conf.stall_clock = 1;
			break;
		case 'g':
			b->conf.stall_ns = (uint64_t)atol(optarg);
			break;
		case 'P':
			b->conf.pf_dist = (uint32_t)atol(optarg);
			break;
		case 'B':
			b->conf.pf_batch = (uint32_t)atol(optarg);
			break;
		default:
			return -EINVAL;
		}
	}
	if (b->nsizes == 0 || b->cancel_pct > 100 || b->conf.limit_s <= 0 ||
	    b->conf.pf_batch > TB_PF_BATCH_MAX || b->conf.stall_ns == 0 ||
	    (b->conf.stall_clock && b->conf.cpu_clock))
		return -EINVAL;
	return 0;
}

static void
cpu_model(char *buf, size_t len)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[256], *v;

	snprintf(buf, len, "unknown");
	if (f == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL) {
		if (strncmp(line, "model name", 10) != 0 ||
		    (v = strchr(line, ':')) == NULL)
			continue;
		v += strspn(v + 1, " \t") + 1;
		v[strcspn(v, "\n\"\\")] = '\0';
		snprintf(buf, len, "%s", v);
		break;
	}
	fclose(f);
}

/* Name suffix of a size in the JSON: none for the last (largest) one. */
static void
size_suffix(const struct bench *b, unsigned int i, char *buf, size_t len)
{
	uint32_t n = b->sizes[i];

	if (i == b->nsizes - 1)
		buf[0] = '\0';
	else if (n % 1000000u == 0)
		snprintf(buf, len, "_%um", n / 1000000u);
	else
		snprintf(buf, len, "_%u", n);
}

/* Systems run: the wheel only, or all three. */
static unsigned int
nsys(const struct bench *b)
{
	return b->conf.wheel_only ? 1 : NSYS;
}

static void
run_sizes(struct bench *b)
{
	int (*const run[NSYS])(const struct tb_load *, struct tb_result *,
			       const struct tb_conf *) = { tb_wheel_run,
							   tb_heap_run,
							   tb_rte_run };
	struct tb_load l;
	unsigned int i, k;

	for (i = 0; i < b->nsizes; i++) {
		if (load_make(&l, b->sizes[i], TB_SPAN, b->cancel_pct) != 0) {
			for (k = 0; k < NSYS; k++)
				b->res[i][k].failed = 1;
			load_free(&l);
			continue;
		}
		for (k = 0; k < nsys(b); k++) {
			fprintf(stderr, "timer_bench: %s, %u timers\n",
				sys_name[k], b->sizes[i]);
			run[k](&l, &b->res[i][k], &b->conf);
		}
		load_free(&l);
	}
}

static void
run_storm(struct bench *b)
{
	double est = b->res[b->nsizes - 1][2].insert_ns;
	struct tb_load l;
	unsigned int k;

	if (b->storm_n == 0)
		return;
	for (k = 0; k < NSYS; k++) {
		b->storm[k] = calloc(1, sizeof(*b->storm[k]));
		if (b->storm[k] == NULL)
			return;
	}
	if (load_make(&l, b->storm_n, TB_STORM_TICKS, 0) != 0) {
		for (k = 0; k < NSYS; k++)
			b->storm[k]->failed = 1;
		load_free(&l);
		return;
	}
	fprintf(stderr, "timer_bench: the platform's stalls, empty loop\n");
	b->floor_cyc = (uint64_t)TB_STORM_TICKS * b->conf.hz / 1000u;
	tb_gaps_init(&b->floor, b->conf.stall_ns * b->conf.hz / 1000000000u);
	tb_gaps_spin(&b->floor, b->floor_cyc);
	fprintf(stderr, "timer_bench: storm, wheel\n");
	tb_wheel_storm(&l, b->storm[0], &b->conf);
	if (b->conf.wheel_only) {
		load_free(&l);
		return;
	}
	fprintf(stderr, "timer_bench: storm, heap\n");
	tb_heap_storm(&l, b->storm[1], &b->conf);
	fprintf(stderr, "timer_bench: storm, rte_timer\n");
	tb_rte_storm(&l, b->storm[2], &b->conf, est);
	load_free(&l);
}

static const char *
yes_no(int v)
{
	return v ? "yes" : "no";
}

static int
storm_kept_up(const struct tb_storm *s)
{
	return !s->failed && !s->arm_timeout && !s->drain_timeout &&
		s->fired == s->armed && s->late * 1000 <= s->armed;
}

static void
print_result_row(const struct bench *b, unsigned int i, unsigned int k)
{
	const struct tb_result *r = &b->res[i][k];

	printf("| %u | %s | %.1f | %.1f%s | %.1f |", b->sizes[i], sys_name[k],
	       r->insert_ns, r->cancel_ns, k == 0 ? " (lazy)" : "",
	       r->expire_ns);
	if (r->failed)
		printf(" FAILED");
	if (r->timeout)
		printf(" timeout after %lu inserted, %lu cancelled",
		       (unsigned long)r->inserted, (unsigned long)r->cancelled);
	if (k == 0)
		printf(" %lu stale entries met while expiring; per entry "
		       "%.1f ns (owners prefetched), %.1f ns (in order), "
		       "%.1f ns (wheel alone); per live in order %.1f ns",
		       (unsigned long)r->stale, r->expire_entry_ns,
		       r->expire_plain_entry_ns, r->expire_bare_ns,
		       r->expire_plain_ns);
	printf(" |\n");
}

/*
 * Share of the storm's wall time spent in polls: over its wall time
 * where the storm has one (the wheel: its drain time may be virtual).
 */
static double
storm_share_pct(const struct tb_storm *s)
{
	uint64_t t = s->wall_cyc != 0 ? s->wall_cyc : s->drain_cyc;

	return t ? 100.0 * (double)s->timer_cyc / (double)t : 0.0;
}

static void
print_storm_row(const struct bench *b, unsigned int k)
{
	const struct tb_storm *s = b->storm[k];

	printf("| %s | %lu | %.1f | %.2f | %.0f | %.0f | %.1f | %lu | %lu | "
	       "%s |",
	       sys_name[k], (unsigned long)s->armed,
	       tb_ns(s->worst_cyc, &b->conf) / 1e3, storm_pct_us(s, 0.999),
	       storm_pct_us(s, 0.5) * 1e3, tb_ns(s->drain_cyc, &b->conf) / 1e6,
	       storm_share_pct(s), (unsigned long)s->late,
	       (unsigned long)s->max_late, yes_no(storm_kept_up(s)));
	if (s->failed)
		printf(" FAILED");
	if (s->arm_timeout)
		printf(" arming timeout after %lu", (unsigned long)s->armed);
	if (s->drain_timeout)
		printf(" drain timeout, %lu fired", (unsigned long)s->fired);
	printf("\n");
}

/* Stalls per second of a loop that ran wall_cyc. */
static double
stalls_per_s(const struct tb_gaps *g, uint64_t wall_cyc)
{
	return wall_cyc ? (double)g->stalls * (double)tsc_hz / wall_cyc : 0.0;
}

static double
stall_pct(const struct tb_gaps *g, uint64_t wall_cyc)
{
	return wall_cyc ? 100.0 * (double)g->stall_cyc / wall_cyc : 0.0;
}

static const char *
storm_clock(const struct tb_conf *c)
{
	if (c->cpu_clock)
		return "cpu";
	return c->stall_clock ? "stall" : "wall";
}

/* Gaps between two clock reads, by us: the threshold's neighbourhood. */
static void
print_gaps(const char *name, const struct tb_gaps *g)
{
	unsigned int k;

	printf("  gaps of %s, 1-2, 2-3, .. 10+ us:", name);
	for (k = 0; k < TB_GAP_US; k++)
		printf(" %lu", (unsigned long)g->by_us[k]);
	printf("\n");
}

/* The stall figures of the empty loop and of the storm, reported twice. */
struct stall_figs {
	double floor_rate, floor_worst_us, floor_pct;
	double storm_rate, storm_worst_us, storm_pct;
};

static void
stall_figs(const struct bench *b, struct stall_figs *sf)
{
	const struct tb_storm *s = b->storm[0];

	sf->floor_rate = stalls_per_s(&b->floor, b->floor_cyc);
	sf->floor_worst_us = tb_ns(b->floor.worst_cyc, &b->conf) / 1e3;
	sf->floor_pct = stall_pct(&b->floor, b->floor_cyc);
	sf->storm_rate = stalls_per_s(&s->gaps, s->wall_cyc);
	sf->storm_worst_us = tb_ns(s->gaps.worst_cyc, &b->conf) / 1e3;
	sf->storm_pct = stall_pct(&s->gaps, s->wall_cyc);
}

/*
 * The platform's stalls in an empty loop beside the storm's: when the
 * storm sees them at the same rate, they are the platform's, not the
 * wheel's (a step of the wheel longer than the threshold would add to
 * the storm's rate).
 */
static void
report_stalls(const struct bench *b)
{
	const struct tb_storm *s = b->storm[0];
	struct stall_figs sf;

	stall_figs(b, &sf);
	printf("\nStalls (gaps over %lu ns between two reads of the "
	       "clock): empty loop %.0f per second, worst %.1f us, %.2f%% of "
	       "the time; storm %.0f per second, worst %.1f us, %.2f%% of "
	       "the time, in %lu of %lu polls.\n",
	       (unsigned long)b->conf.stall_ns, sf.floor_rate,
	       sf.floor_worst_us, sf.floor_pct, sf.storm_rate,
	       sf.storm_worst_us, sf.storm_pct, (unsigned long)s->stalled_polls,
	       (unsigned long)s->polls);
	print_gaps("empty loop", &b->floor);
	print_gaps("storm", &s->gaps);
	printf("Wheel storm polls with their stalls taken out: worst %.1f "
	       "us, p99.9 %.2f us; at most %lu entries handed out or "
	       "re-filed in one poll. Virtual time: %s clock.\n",
	       tb_ns(s->work_worst_cyc, &b->conf) / 1e3,
	       storm_work_pct_us(s, 0.999), (unsigned long)s->max_poll_work,
	       storm_clock(&b->conf));
}

static void
report_tables(const struct bench *b)
{
	unsigned int i, k;

	printf("\nTimers: deadlines uniform in 1..%u ticks (1 tick = 1 ms), "
	       "%u%% cancelled in random order, then all drained.\n\n",
	       TB_SPAN, b->cancel_pct);
	printf("| timers | system | insert ns | cancel ns | expire ns | "
	       "note |\n|---:|---|---:|---:|---:|---|\n");
	for (i = 0; i < b->nsizes; i++)
		for (k = 0; k < nsys(b); k++)
			print_result_row(b, i, k);
	printf("\nwheel cancel is lazy: it writes the owner's generation and "
	       "deadline; stale entries are\npaid for at expiry, included in "
	       "its expire ns. expire ns = drain time / live timers fired.\n"
	       "rte_timer runs on compressed time (1 tick = 1 us of cycles); "
	       "phase limit %.0f s. Load average at start: %.2f.\n",
	       b->conf.limit_s, b->loadavg);
	if (b->storm[0] == NULL || b->storm_n == 0)
		return;
	printf("\nStorm: wheel work per poll bounded by a deadline of %lu ns "
	       "(0: count only), %lu calls stopped by it; %lu slots reached "
	       "before pre-cascade; %lu polls "
	       "preempted (--cpu-clock: wall > CPU + %u ns between polls), "
	       "worst poll not preempted %.1f us.\n",
	       (unsigned long)b->conf.slice_ns,
	       (unsigned long)b->storm[0]->deadline_stops,
	       (unsigned long)b->storm[0]->pending_slots,
	       (unsigned long)b->storm[0]->preempted, TB_PREEMPT_NS,
	       tb_ns(b->storm[0]->worst_run_cyc, &b->conf) / 1e3);
	report_stalls(b);
	printf("\nStorm: %u timers due uniformly over %u ticks of 1 ms; poll "
	       "loop with %lu ns of\nsimulated packet work per poll; budget "
	       "%u..%u per poll (doubling under backlog)\nfor wheel and heap, "
	       "none for rte_timer (one rte_timer_manage() per poll).\n\n",
	       b->storm_n, TB_STORM_TICKS, (unsigned long)b->conf.rx_ns,
	       TB_BUDGET_MIN, TB_BUDGET_MAX);
	printf("| system | armed | worst poll us | p99.9 poll us | "
	       "p50 poll ns | drain ms | timer share %% | late > 1 ms | "
	       "max late ms | kept up |\n"
	       "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
	for (k = 0; k < nsys(b); k++)
		print_storm_row(b, k);
	printf("\nPercentiles are over all polls of the storm (10 ns "
	       "buckets below 100 us, 10 us above).\nkept up = all armed timers fired, "
	       "at most 0.1%% of them more than 1 tick late.\n\n");
}

static void
json_result(const struct bench *b, unsigned int i, unsigned int k)
{
	const struct tb_result *r = &b->res[i][k];
	const struct tb_result *w = &b->res[i][0];
	char sfx[16];

	size_suffix(b, i, sfx, sizeof(sfx));
	printf(",\"%s_insert_ns%s\":%.2f,\"%s_cancel_ns%s\":%.2f,"
	       "\"%s_expire_ns%s\":%.2f",
	       sys_name[k], sfx, r->insert_ns, sys_name[k], sfx, r->cancel_ns,
	       sys_name[k], sfx, r->expire_ns);
	if (k == 0)
		printf(",\"wheel_expire_entry_ns%s\":%.2f,"
		       "\"wheel_expire_bare_ns%s\":%.2f,"
		       "\"wheel_expire_inorder_ns%s\":%.2f,"
		       "\"wheel_expire_inorder_entry_ns%s\":%.2f",
		       sfx, r->expire_entry_ns, sfx, r->expire_bare_ns, sfx,
		       r->expire_plain_ns, sfx, r->expire_plain_entry_ns);
	if (k != 2)
		return;
	printf(",\"rte_timer_inserted%s\":%lu,\"rte_timer_timeout%s\":%s", sfx,
	       (unsigned long)r->inserted, sfx, r->timeout ? "true" : "false");
	if (w->insert_ns > 0 && w->cancel_ns > 0 && w->expire_ns > 0)
		printf(",\"speedup_vs_rte_timer_insert%s\":%.1f,"
		       "\"speedup_vs_rte_timer_cancel%s\":%.1f,"
		       "\"speedup_vs_rte_timer_expire%s\":%.1f",
		       sfx, r->insert_ns / w->insert_ns, sfx,
		       r->cancel_ns / w->cancel_ns, sfx,
		       r->expire_ns / w->expire_ns);
}

static void
json_storm(const struct bench *b, unsigned int k)
{
	static const char *const pfx[NSYS] = { "storm", "heap_storm",
					       "rte_timer_storm" };
	const struct tb_storm *s = b->storm[k];

	printf(",\"%s_armed\":%lu,\"%s_worst_poll_us\":%.1f,"
	       "\"%s_p999_poll_us\":%.2f,\"%s_drain_ms\":%.0f,"
	       "\"%s_late_gt1ms\":%lu,\"%s_max_late_ms\":%lu,"
	       "\"%s_kept_up\":%s",
	       pfx[k], (unsigned long)s->armed, pfx[k],
	       tb_ns(s->worst_cyc, &b->conf) / 1e3, pfx[k],
	       storm_pct_us(s, 0.999), pfx[k],
	       tb_ns(s->drain_cyc, &b->conf) / 1e6, pfx[k],
	       (unsigned long)s->late, pfx[k], (unsigned long)s->max_late,
	       pfx[k], storm_kept_up(s) ? "true" : "false");
}

static void
json_stalls(const struct bench *b)
{
	const struct tb_storm *s = b->storm[0];
	struct stall_figs sf;

	stall_figs(b, &sf);
	printf(",\"storm_clock\":\"%s\",\"stall_ns\":%lu,"
	       "\"platform_stalls_per_s\":%.0f,"
	       "\"platform_worst_gap_us\":%.1f,\"platform_stall_pct\":%.3f,"
	       "\"storm_stalls_per_s\":%.0f,\"storm_worst_gap_us\":%.1f,"
	       "\"storm_stall_pct\":%.3f,\"storm_stalled_polls\":%lu,"
	       "\"storm_worst_poll_work_us\":%.1f,"
	       "\"storm_p999_poll_work_us\":%.2f,"
	       "\"storm_max_poll_entries\":%lu",
	       storm_clock(&b->conf), (unsigned long)b->conf.stall_ns,
	       sf.floor_rate, sf.floor_worst_us, sf.floor_pct, sf.storm_rate,
	       sf.storm_worst_us, sf.storm_pct, (unsigned long)s->stalled_polls,
	       tb_ns(s->work_worst_cyc, &b->conf) / 1e3,
	       storm_work_pct_us(s, 0.999), (unsigned long)s->max_poll_work);
}

static void
report_json(const struct bench *b)
{
	unsigned int i, k;

	printf("{\"bench\":\"timer\",\"cpu\":\"%s\",\"nproc\":%ld,"
	       "\"hugepages\":%s,\"march_native\":%s,\"dpdk\":\"%s\","
	       "\"cc\":\"%s\",\"tsc_hz\":%lu,\"span_ticks\":%u,"
	       "\"cancel_pct\":%u,\"rx_ns\":%lu,\"limit_s\":%.0f,"
	       "\"loadavg_start\":%.2f,\"sizes\":[",
	       b->cpu, sysconf(_SC_NPROCESSORS_ONLN),
	       rte_eal_has_hugepages() ? "true" : "false",
	       TT_BENCH_NATIVE ? "true" : "false", rte_version(), __VERSION__,
	       (unsigned long)b->conf.hz, TB_SPAN, b->cancel_pct,
	       (unsigned long)b->conf.rx_ns, b->conf.limit_s, b->loadavg);
	for (i = 0; i < b->nsizes; i++)
		printf("%s%u", i ? "," : "", b->sizes[i]);
	printf("]");
	for (i = 0; i < b->nsizes; i++)
		for (k = 0; k < nsys(b); k++)
			json_result(b, i, k);
	if (b->storm[0] != NULL && b->storm_n != 0) {
		printf(",\"storm_n\":%u,\"storm_slice_ns\":%lu,"
		       "\"storm_cpu_clock\":%s,"
		       "\"storm_deadline_stops\":%lu,\"storm_preempted\":%lu,"
		       "\"storm_worst_unpreempted_poll_us\":%.1f,"
		       "\"storm_pending_slots\":%lu",
		       b->storm_n, (unsigned long)b->conf.slice_ns,
		       b->conf.cpu_clock ? "true" : "false",
		       (unsigned long)b->storm[0]->deadline_stops,
		       (unsigned long)b->storm[0]->preempted,
		       tb_ns(b->storm[0]->worst_run_cyc, &b->conf) / 1e3,
		       (unsigned long)b->storm[0]->pending_slots);
		for (k = 0; k < nsys(b); k++)
			json_storm(b, k);
		json_stalls(b);
	}
	printf("}\n");
	fflush(stdout);
}

static int
report_failed(const struct bench *b)
{
	unsigned int i, k;

	for (i = 0; i < b->nsizes; i++)
		for (k = 0; k < NSYS; k++)
			if (b->res[i][k].failed)
				return 1;
	for (k = 0; k < NSYS; k++)
		if (b->storm[k] != NULL && b->storm[k]->failed)
			return 1;
	return 0;
}

int
main(int argc, char **argv)
{
	struct bench b = {
		.conf = { .limit_s = 15.0,
			  .rx_ns = 1000,
			  .slice_ns = 6000,
			  .stall_ns = TB_STALL_NS,
			  .pf_dist = 16 },
		.sizes = { 1000000, 10000000 },
		.nsizes = 2,
		.storm_n = 10000000,
		.cancel_pct = 50,
	};
	unsigned int k;
	int n;

	n = rte_eal_init(argc, argv);
	if (n < 0) {
		fprintf(stderr, "timer_bench: EAL init failed\n");
		return 1;
	}
	argc -= n;
	argv += n;
	if (parse_args(&b, argc, argv) != 0 || rte_timer_subsystem_init()) {
		fprintf(stderr,
			"usage: timer_bench [EAL args] -- [--sizes "
			"N,N] [--storm N] [--limit S] [--rx-ns N] "
			"[--cancel-pct P] [--slice-ns N] [--wheel-only] "
			"[--cpu-clock | --stall-clock] [--stall-ns N] "
			"[--pf-dist N] [--pf-batch N]\n");
		rte_eal_cleanup();
		return 2;
	}
	tsc_hz = rte_get_tsc_hz();
	b.conf.hz = tsc_hz;
	cpu_model(b.cpu, sizeof(b.cpu));
	if (getloadavg(&b.loadavg, 1) != 1)
		b.loadavg = -1;
	run_sizes(&b);
	run_storm(&b);
	report_tables(&b);
	report_json(&b);
	n = report_failed(&b);
	for (k = 0; k < NSYS; k++)
		free(b.storm[k]);
	rte_timer_subsystem_finalize();
	rte_eal_cleanup();
	return n ? 1 : 0;
}
