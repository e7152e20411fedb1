/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * TIME_WAIT at scale, through the real packet path: an in-process client
 * opens connections to the http listener of lib/app (close after the
 * response), each ending in server TIME_WAIT: SYN, ACK + request, then
 * FIN + ACK of the response and the server's FIN, all through
 * tcp_input(). On a virtual clock it fills N records (default 10 M),
 * then reports:
 *  - bytes per TIME_WAIT entry: resident memory (VmRSS) grown since
 *    before the context was created, over the entries held; and the
 *    figure computed from the context's preallocated pools;
 *  - steady expiry at 1 M/s (the fill ran at 1 M connections per virtual
 *    second): CPU share of tcp_timers() and ns per expiry, and the 2*MSL
 *    accuracy of every expiry (never early, lateness);
 *  - a mass expiry (every remaining record due at once): latency of a
 *    poll of the packet loop (tcp_timers() with the worker's budget, then
 *    a batch of 32 segments), p50 / p99 / p99.9 / max;
 *  - the same bytes per entry for IPv6 records (their own ring), from a
 *    fill of up to 1 M IPv6 connections, and the IPv4 figure computed
 *    again with IPv6 enabled (it must not change).
 * The last line of output is one JSON object, {"bench":"timewait",...}.
 *
 * With --through N (and --msl-ms, 2000 by default) it does only this:
 * N connections at 1 M per virtual second through the fill of the
 * TIME_WAIT ring and on into its expiry, printing per 250 k connections
 * the CPU ns per connection and the page faults taken: does the fill
 * cost more than the steady state?
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>

#include "app.h"
#include "config.h"
#include "tcp.h"

#define LADDR 0xc6120001u /* 198.18.0.1 */
/* 2001:db8::1; clients 2001:db8:1::/64, the index in the last 4 bytes */
static const uint8_t LADDR6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
#define V6_MAX 1000000u	      /* IPv6 records filled at most */
#define FILL_BASE 0xc6130000u /* clients of the fill: 198.19.0.0/16 */
#define LOOP_BASE 0xc6128000u /* loop clients: 198.18.128.0/17 */
#define PORTS 50000u
#define T0 (1000000ull * 1000000) /* virtual clock origin, us */
#define MSL_MS 30000u
#define BATCH 32u   /* segments per poll */
#define BUDGET 256u /* timer budget per poll, as a worker */

static const char request[] = "GET / HTTP/1.1\r\nHost: tcpterm\r\n\r\n";

/* One client connection, driven one segment at a time. */
struct client {
	bool v6;
	uint8_t raddr6[16];
	uint32_t raddr;
	uint16_t rport;
	uint8_t step;	  /* next segment: 0 SYN, 1 request, 2 FIN */
	uint32_t seq;	  /* next client sequence number */
	uint32_t srv_nxt; /* server's next sequence number */
	uint32_t tsval;
	uint32_t tsecr;
};

struct bench {
	struct tcp_ctx *c;
	uint64_t now; /* virtual us */
	uint64_t n;   /* records to fill */
	struct client cl;
	uint64_t next_client; /* loop client counter */
	uint64_t bad_out;     /* unexpected server segments */
	bool v6;	      /* clients speak IPv6 */
};

static uint64_t
clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static uint64_t
wall_ns(void)
{
	return clock_ns(CLOCK_MONOTONIC);
}

/* CPU time of this thread: what the work cost, without preemption. */
static uint64_t
cpu_ns(void)
{
	return clock_ns(CLOCK_THREAD_CPUTIME_ID);
}

/* Resident set size of this process, bytes. */
static uint64_t
rss_bytes(void)
{
	char line[256];
	uint64_t kb = 0;
	FILE *f = fopen("/proc/self/status", "r");

	if (f == NULL)
		return 0;
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "VmRSS: %" SCNu64, &kb) == 1)
			break;
	fclose(f);
	return kb * 1024;
}

/* Read the server's answer: its ISN on the SYN-ACK, SND.NXT after. */
static void
drain(struct bench *b)
{
	struct tcp_outq *q = tcp_outq(b->c);
	uint32_t i, end;

	for (i = 0; i < q->n; i++) {
		const struct tcp_out *o = &q->seg[i];

		if (o->raddr != b->cl.raddr || o->rport != b->cl.rport ||
		    (b->cl.v6 && memcmp(o->raddr6, b->cl.raddr6, 16) != 0) ||
		    (o->flags & NET_TCP_RST)) {
			b->bad_out++;
			continue;
		}
		end = o->seq + o->len + ((o->flags & NET_TCP_SYN) ? 1 : 0) +
			((o->flags & NET_TCP_FIN) ? 1 : 0);
		if ((int32_t)(end - b->cl.srv_nxt) > 0 ||
		    (o->flags & NET_TCP_SYN))
			b->cl.srv_nxt = end;
		if (o->opts.has & NET_OPT_TS)
			b->cl.tsecr = o->opts.tsval;
	}
	q->n = 0;
}

/* Send the client's next segment; returns true when it was the last. */
static bool
client_step(struct bench *b)
{
	struct client *cl = &b->cl;
	struct net_seg s;

	memset(&s, 0, sizeof(s));
	s.saddr = cl->raddr;
	s.daddr = LADDR;
	if (cl->v6) {
		s.saddr6 = cl->raddr6;
		s.daddr6 = LADDR6;
		s.daddr = 0;
	}
	s.sport = cl->rport;
	s.dport = 80;
	s.seq = cl->seq;
	s.wnd = 65535;
	s.opts.has = NET_OPT_TS;
	s.opts.tsval = ++cl->tsval;
	s.opts.tsecr = cl->tsecr;
	switch (cl->step) {
	case 0:
		s.flags = NET_TCP_SYN;
		s.opts.has |= NET_OPT_MSS;
		s.opts.mss = 1460;
		cl->seq++;
		break;
	case 1:
		s.flags = NET_TCP_ACK | NET_TCP_PSH;
		s.ack = cl->srv_nxt;
		s.data = (const uint8_t *)request;
		s.len = sizeof(request) - 1;
		cl->seq += s.len;
		break;
	default:
		s.flags = NET_TCP_FIN | NET_TCP_ACK;
		s.ack = cl->srv_nxt;
		cl->seq++;
		break;
	}
	tcp_input(b->c, &s, b->now);
	drain(b);
	return cl->step++ == 2;
}

static void
client_new(struct bench *b, uint32_t base, uint64_t i)
{
	uint32_t a = base + (uint32_t)(i / PORTS);

	memset(&b->cl, 0, sizeof(b->cl));
	b->cl.raddr = a;
	if (b->v6) {
		b->cl.v6 = true;
		b->cl.raddr = 0;
		memcpy(b->cl.raddr6, LADDR6, 16);
		b->cl.raddr6[5] = 1;
		b->cl.raddr6[12] = (uint8_t)(a >> 24);
		b->cl.raddr6[13] = (uint8_t)(a >> 16);
		b->cl.raddr6[14] = (uint8_t)(a >> 8);
		b->cl.raddr6[15] = (uint8_t)a;
	}
	b->cl.rport = (uint16_t)(1024 + i % PORTS);
	b->cl.seq = (uint32_t)(i * 2654435761u);
	b->cl.tsval = 1000;
}

/*
 * One full connection per virtual microsecond, with a poll of the timers
 * every 32 connections as the packet loop would (stale connection timers
 * drain from the wheel as they come due).
 */
static double
fill(struct bench *b)
{
	uint64_t i, t = wall_ns();

	for (i = 0; i < b->n; i++) {
		b->now = T0 + i;
		client_new(b, FILL_BASE, i);
		while (!client_step(b))
			;
		if (i % BATCH == BATCH - 1) {
			tcp_timers(b->c, b->now, BUDGET);
			tcp_outq(b->c)->n = 0;
		}
	}
	return (double)(wall_ns() - t) / 1e9;
}

/* Let virtual time run to the first deadline (nothing expires yet). */
static void
idle_until(struct bench *b, uint64_t until)
{
	while (b->now + 1000 < until) {
		b->now += 1000;
		tcp_timers(b->c, b->now, UINT32_MAX);
		tcp_outq(b->c)->n = 0;
	}
}

/* A batch of segments of new connections (the traffic during a loop). */
static void
traffic(struct bench *b, uint32_t segs)
{
	while (segs-- > 0) {
		if (b->cl.step > 2)
			client_new(b, LOOP_BASE, b->next_client++);
		client_step(b);
	}
}

/* Exact end of 2*MSL for fill record k (made at T0 + k us). */
static uint64_t
deadline(uint64_t k)
{
	return T0 + k + 2ull * MSL_MS * 1000;
}

struct steady {
	double cpu_share;
	double ns_per_expiry;
	double idle_poll_ns; /* a poll with nothing due */
	uint64_t expired;
	uint64_t early; /* expired before their deadline */
	uint64_t max_late_us;
};

/*
 * Expire at 1 M/s: polls of 32 us of virtual time over one virtual
 * second, starting at the first deadline, timers only (the CPU time of
 * the loop is that of tcp_timers()). The fill records expire in
 * creation order, so after each poll the tw_expired counter k says
 * which one is the oldest left: record k.
 */
static void
steady(struct bench *b, struct steady *r)
{
	const struct tcp_counters *cnt = tcp_counters(b->c);
	uint64_t start = deadline(0), spent, k0 = cnt->tw_expired, k;
	/* One virtual second, or half the records when there are fewer. */
	uint64_t span = b->n / 2 < 1000000 ? b->n / 2 : 1000000;

	memset(r, 0, sizeof(*r));
	idle_until(b, start - 100000);
	/* The cost of a poll with nothing due, for comparison. */
	spent = cpu_ns();
	for (; b->now < start - BATCH; b->now += BATCH)
		tcp_timers(b->c, b->now, BUDGET);
	r->idle_poll_ns = (double)(cpu_ns() - spent) / (100000.0 / BATCH);
	spent = cpu_ns();
	for (b->now = start; b->now < start + span; b->now += BATCH) {
		tcp_timers(b->c, b->now, BUDGET);
		tcp_outq(b->c)->n = 0;
		k = cnt->tw_expired - k0;
		if (k > 0 && k <= b->n && deadline(k - 1) > b->now)
			r->early++;
		if (k < b->n && deadline(k) < b->now &&
		    b->now - deadline(k) > r->max_late_us)
			r->max_late_us = b->now - deadline(k);
	}
	spent = cpu_ns() - spent;
	r->expired = cnt->tw_expired - k0;
	r->cpu_share = (double)spent / 1e3 / (double)span;
	r->ns_per_expiry = r->expired ? (double)spent / (double)r->expired : 0;
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

struct mass {
	uint64_t polls;
	uint64_t expired;
	double p50_us, p99_us, p999_us, max_us;	    /* wall clock */
	double cp50_us, cp99_us, cp999_us, cmax_us; /* thread CPU time */
	double timers_max_us;
	double expire_ns; /* timer CPU time per expiry */
	double drain_s;
};

static double
pct(const uint64_t *v, uint64_t n, double p)
{
	uint64_t i = (uint64_t)(p * (double)(n - 1) + 0.5);

	return (double)v[i] / 1000.0;
}

/*
 * Every remaining fill record due at once: poll (timers, then a batch of
 * segments) every 32 us of virtual time until they are all gone.
 */
static int
mass(struct bench *b, uint64_t left, struct mass *r)
{
	const struct tcp_counters *cnt = tcp_counters(b->c);
	uint64_t cap = left / (BUDGET / 2) + 1024, *lat, *cpu, k0, t, t1, tt;
	uint64_t start = wall_ns(), c0, c1, tcpu = 0;

	memset(r, 0, sizeof(*r));
	lat = malloc(cap * sizeof(*lat));
	cpu = malloc(cap * sizeof(*cpu));
	if (lat == NULL || cpu == NULL)
		return -ENOMEM;
	k0 = cnt->tw_expired;
	b->now = deadline(b->n) + 1000000;
	while (cnt->tw_expired - k0 < left && r->polls < cap) {
		b->now += BATCH;
		c0 = cpu_ns();
		t = wall_ns();
		tcp_timers(b->c, b->now, BUDGET);
		tcp_outq(b->c)->n = 0;
		t1 = wall_ns();
		c1 = cpu_ns();
		tcpu += c1 - c0;
		traffic(b, BATCH);
		tt = wall_ns();
		cpu[r->polls] = cpu_ns() - c0;
		lat[r->polls++] = tt - t;
		if ((double)(t1 - t) / 1000.0 > r->timers_max_us)
			r->timers_max_us = (double)(t1 - t) / 1000.0;
	}
	r->drain_s = (double)(wall_ns() - start) / 1e9;
	r->expired = cnt->tw_expired - k0;
	r->expire_ns = r->expired ? (double)tcpu / (double)r->expired : 0;
	qsort(lat, r->polls, sizeof(*lat), cmp_u64);
	r->p50_us = pct(lat, r->polls, 0.5);
	r->p99_us = pct(lat, r->polls, 0.99);
	r->p999_us = pct(lat, r->polls, 0.999);
	r->max_us = (double)lat[r->polls - 1] / 1000.0;
	qsort(cpu, r->polls, sizeof(*cpu), cmp_u64);
	r->cp50_us = pct(cpu, r->polls, 0.5);
	r->cp99_us = pct(cpu, r->polls, 0.99);
	r->cp999_us = pct(cpu, r->polls, 0.999);
	r->cmax_us = (double)cpu[r->polls - 1] / 1000.0;
	free(lat);
	free(cpu);
	return 0;
}

static void
params(struct tcp_params *p, uint64_t n)
{
	memset(p, 0, sizeof(*p));
	p->msl_ms = MSL_MS;
	p->fin_wait2_timeout_ms = 60000;
	p->syn_recv_timeout_ms = 30000;
	p->rto_min_ms = 200;
	p->rto_max_ms = 60000;
	p->rto_initial_ms = 1000;
	p->delayed_ack_ms = 40;
	p->max_retries = 8;
	p->mss = 1460;
	p->wscale = 7;
	p->timestamps = true;
	p->sack = true;
	p->rfc1337 = true;
	p->tw_reuse = TCP_TW_REUSE_TIMESTAMPS;
	p->challenge_ack_limit = 1000;
	p->rcv_wnd = 65535;
	p->snd_buf = 4096;
	/*
	 * Closed connections leave their timer entries on the wheel until
	 * due (lazy cancel): 1.2 M at 1 M connections/s (1 s initial RTO,
	 * 200 ms RTO), up to 2.1 M while a level of the wheel wraps. The
	 * wheel is sized 2 * max_connections.
	 */
	p->max_connections = 1250000;
	p->max_time_wait = (uint32_t)n;
	p->tw_overflow = TCP_TW_OVERFLOW_RECYCLE_OLDEST;
	p->max_send_buffers = 1024;
	memcpy(p->isn_secret, "timewait-bench-k", 16);
}

/* The IPv6 figures: bytes per IPv6 record, and IPv4's with IPv6 on. */
struct v6res {
	uint64_t n;	  /* IPv6 records filled */
	double bpe_rss;	  /* measured */
	double bpe_calc;  /* from the pools */
	double bpe4_calc; /* IPv4 records with IPv6 on, from pools */
};

/* A context with IPv6 and n4 / n6 records per ring, listening on :80. */
static struct tcp_ctx *
ctx_v6(uint64_t n4, uint64_t n6, const struct cfg_listener *http)
{
	struct tcp_params p;
	struct tcp_ctx *c;

	params(&p, n4);
	p.ipv6 = true;
	p.max_time_wait6 = (uint32_t)n6;
	c = tcp_ctx_create(&p, T0);
	if (c != NULL && tcp_listen(c, 80, app_ops(CFG_APP_HTTP), http) != 0) {
		tcp_ctx_destroy(c);
		return NULL;
	}
	return c;
}

static int
v6_figures(uint64_t n4, const struct cfg_listener *http, struct v6res *r)
{
	struct bench b = { .n = n4 < V6_MAX ? n4 : V6_MAX, .v6 = true };
	uint64_t rss0, fixed, mem0, mem4;

	/* As for IPv4: the same fill without records, then with. */
	rss0 = rss_bytes();
	b.c = ctx_v6(0, 0, http);
	if (b.c == NULL)
		return -1;
	fill(&b);
	fixed = rss_bytes() - rss0;
	mem0 = tcp_ctx_mem_bytes(b.c);
	tcp_ctx_destroy(b.c);
	rss0 = rss_bytes();
	b.c = ctx_v6(0, b.n, http);
	if (b.c == NULL)
		return -1;
	fill(&b);
	r->n = tcp_state_gauges(b.c)[TCP_TIME_WAIT];
	if (r->n != b.n || b.bad_out != 0)
		return -1;
	r->bpe_rss = (double)(rss_bytes() - rss0 - fixed) / (double)r->n;
	r->bpe_calc = (double)(tcp_ctx_mem_bytes(b.c) - mem0) / (double)r->n;
	tcp_ctx_destroy(b.c);
	/* IPv4 records in a context that also has the IPv6 ring. */
	b.c = ctx_v6(n4, b.n, http);
	if (b.c == NULL)
		return -1;
	mem4 = tcp_ctx_mem_bytes(b.c);
	tcp_ctx_destroy(b.c);
	b.c = ctx_v6(0, b.n, http);
	if (b.c == NULL)
		return -1;
	r->bpe4_calc = (double)(mem4 - tcp_ctx_mem_bytes(b.c)) / (double)n4;
	tcp_ctx_destroy(b.c);
	return 0;
}

static uint64_t
arg_u64(int argc, char **argv, const char *name, uint64_t dflt)
{
	int i;

	for (i = 1; i + 1 < argc; i++)
		if (strcmp(argv[i], name) == 0)
			return strtoull(argv[i + 1], NULL, 0);
	return dflt;
}

static uint64_t
arg_entries(int argc, char **argv)
{
	return arg_u64(argc, argv, "--entries", 10000000);
}

static long
minflt(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_minflt;
}

/*
 * --through: n connections, one per virtual us, timers every BATCH as
 * in fill(), with 2*MSL of msl_ms * 2 ms: CPU ns per connection and page
 * faults per slice, through the fill and into the expiry.
 */
static int
through(uint64_t n, uint64_t msl_ms, const struct cfg_listener *http)
{
	const uint64_t slice = 250000;
	struct bench b = { .n = 2 * msl_ms * 1000 * 11 / 10 };
	struct tcp_params p;
	uint64_t i, t;
	long f;

	params(&p, b.n);
	p.msl_ms = (uint32_t)msl_ms;
	b.c = tcp_ctx_create(&p, T0);
	if (b.c == NULL || tcp_listen(b.c, 80, app_ops(CFG_APP_HTTP), http))
		return 1;
	printf("virtual_s,ns_per_conn,faults,time_wait\n");
	t = cpu_ns();
	f = minflt();
	for (i = 0; i < n; i++) {
		b.now = T0 + i;
		client_new(&b, FILL_BASE, i);
		while (!client_step(&b))
			;
		if (i % BATCH == BATCH - 1) {
			tcp_timers(b.c, b.now, BUDGET);
			tcp_outq(b.c)->n = 0;
		}
		if (i % slice != slice - 1)
			continue;
		printf("%.2f,%.0f,%ld,%" PRIu64 "\n", (double)(i + 1) / 1e6,
		       (double)(cpu_ns() - t) / (double)slice, minflt() - f,
		       tcp_state_gauges(b.c)[TCP_TIME_WAIT]);
		fflush(stdout);
		t = cpu_ns();
		f = minflt();
	}
	tcp_ctx_destroy(b.c);
	return b.bad_out != 0;
}

int
main(int argc, char **argv)
{
	static const struct cfg_listener http = {
		.port = 80,
		.app = CFG_APP_HTTP,
		.close = CFG_CLOSE_AFTER_RESPONSE,
		.response_body_bytes = 2,
	};
	struct bench b = { .n = arg_entries(argc, argv) };
	uint64_t rss0, rss1, rss_fixed, mem0, held;
	struct tcp_params p;
	struct steady st;
	struct mass ms;
	struct v6res v6;
	uint64_t wheel_full;
	double fill_s, bpe_rss, bpe_all, bpe_calc;
	struct bench base = { 0 };

	if (arg_u64(argc, argv, "--through", 0) != 0)
		return through(arg_u64(argc, argv, "--through", 0),
			       arg_u64(argc, argv, "--msl-ms", 2000), &http);
	if (b.n < 1000 || b.n > 100000000) {
		fprintf(stderr, "--entries: 1000 .. 100000000\n");
		return 1;
	}
	/*
	 * The same context without TIME_WAIT records: its memory (computed,
	 * and resident once created) is what the records do not account for.
	 */
	rss0 = rss_bytes();
	params(&p, 0);
	base.c = tcp_ctx_create(&p, T0);
	if (base.c == NULL ||
	    tcp_listen(base.c, 80, app_ops(CFG_APP_HTTP), &http) != 0)
		return 1;
	/* 2 M connections touch the wheel as much as any steady state. */
	base.n = b.n < 2000000 ? b.n : 2000000;
	fill(&base);
	rss_fixed = rss_bytes() - rss0;
	mem0 = tcp_ctx_mem_bytes(base.c);
	tcp_ctx_destroy(base.c);

	rss0 = rss_bytes();
	params(&p, b.n);
	b.c = tcp_ctx_create(&p, T0);
	if (b.c == NULL ||
	    tcp_listen(b.c, 80, app_ops(CFG_APP_HTTP), &http) != 0) {
		fprintf(stderr, "cannot create the context\n");
		return 1;
	}
	fill_s = fill(&b);
	rss1 = rss_bytes();
	held = tcp_state_gauges(b.c)[TCP_TIME_WAIT];
	if (held != b.n || b.bad_out != 0) {
		fprintf(stderr,
			"fill: %" PRIu64 " TIME_WAIT of %" PRIu64 ", %" PRIu64
			" unexpected segments\n",
			held, b.n, b.bad_out);
		return 1;
	}
	bpe_all = (double)(rss1 - rss0) / (double)held;
	bpe_rss = (double)(rss1 - rss0 - rss_fixed) / (double)held;
	bpe_calc = (double)(tcp_ctx_mem_bytes(b.c) - mem0) / (double)b.n;

	steady(&b, &st);
	if (mass(&b, b.n - st.expired, &ms) != 0)
		return 1;
	wheel_full = tcp_counters(b.c)->wheel_full;
	tcp_ctx_destroy(b.c);
	b.c = NULL;
	if (v6_figures(b.n, &http, &v6) != 0) {
		fprintf(stderr, "IPv6 fill failed\n");
		return 1;
	}

	printf("TIME_WAIT at scale (real tcp_input path, http close "
	       "after-response, 2*MSL = %u s)\n",
	       2 * MSL_MS / 1000);
	printf("  %-44s %14" PRIu64 "\n", "TIME_WAIT entries held", held);
	printf("  %-44s %14.1f\n", "fill rate, connections/s (3 segs each)",
	       (double)b.n / fill_s);
	printf("  %-44s %14.1f\n", "RSS growth, MiB",
	       (double)(rss1 - rss0) / (1 << 20));
	printf("  %-44s %14.1f\n", "  of which without TIME_WAIT, MiB",
	       (double)rss_fixed / (1 << 20));
	printf("  %-44s %14.1f\n", "bytes per entry, measured (RSS)", bpe_rss);
	printf("  %-44s %14.1f\n", "  same, with the connection pools",
	       bpe_all);
	printf("  %-44s %14.1f\n", "bytes per entry, computed (pools)",
	       bpe_calc);
	printf("  %-44s %14" PRIu64 "\n", "steady: expired at 1 M/s",
	       st.expired);
	printf("  %-44s %13.2f%%\n", "steady: CPU share of tcp_timers",
	       st.cpu_share * 100);
	printf("  %-44s %14.1f\n", "steady: ns per expiry", st.ns_per_expiry);
	printf("  %-44s %14.1f\n", "steady: ns per poll with nothing due",
	       st.idle_poll_ns);
	printf("  %-44s %14" PRIu64 "\n", "2*MSL: records expired early",
	       st.early);
	printf("  %-44s %14.3f\n", "2*MSL: max lateness, ms",
	       (double)st.max_late_us / 1000);
	printf("  %-44s %13.4f%%\n", "2*MSL: max lateness, % of 2*MSL",
	       (double)st.max_late_us / (20.0 * MSL_MS));
	printf("  %-44s %14" PRIu64 "\n", "mass expiry: records", ms.expired);
	printf("  %-44s %14" PRIu64 "\n", "mass expiry: polls (budget 256)",
	       ms.polls);
	printf("  %-44s %14.3f\n", "mass expiry: wall time, s", ms.drain_s);
	printf("  %-44s %14.2f\n", "poll latency p50, us", ms.p50_us);
	printf("  %-44s %14.2f\n", "poll latency p99, us", ms.p99_us);
	printf("  %-44s %14.2f\n", "poll latency p99.9, us", ms.p999_us);
	printf("  %-44s %14.2f\n", "poll latency max, us", ms.max_us);
	printf("  %-44s %14.1f\n", "mass expiry: ns per expiry (CPU)",
	       ms.expire_ns);
	printf("  %-44s %14.2f\n", "timer part of a poll, max, us",
	       ms.timers_max_us);
	printf("  %-44s %14.2f\n", "poll CPU time p50, us", ms.cp50_us);
	printf("  %-44s %14.2f\n", "poll CPU time p99, us", ms.cp99_us);
	printf("  %-44s %14.2f\n", "poll CPU time p99.9, us", ms.cp999_us);
	printf("  %-44s %14.2f\n", "poll CPU time max, us", ms.cmax_us);
	printf("  %-44s %14" PRIu64 "\n", "wheel_full (must be 0)", wheel_full);
	printf("  %-44s %14" PRIu64 "\n", "IPv6 TIME_WAIT entries held", v6.n);
	printf("  %-44s %14.1f\n", "IPv6 bytes per entry, measured (RSS)",
	       v6.bpe_rss);
	printf("  %-44s %14.1f\n", "IPv6 bytes per entry, computed (pools)",
	       v6.bpe_calc);
	printf("  %-44s %14.1f\n", "IPv4, IPv6 enabled, computed (pools)",
	       v6.bpe4_calc);
	printf("{\"bench\":\"timewait\",\"entries\":%" PRIu64
	       ",\"bytes_per_entry\":%.1f,\"bytes_per_entry_computed\":%.1f"
	       ",\"fill_conn_per_s\":%.0f,\"expire_cpu_share\":%.4f"
	       ",\"expire_ns\":%.1f,\"expired_early\":%" PRIu64
	       ",\"max_late_ms\":%.3f,\"p50_loop_us\":%.2f"
	       ",\"p99_loop_us\":%.2f,\"p999_loop_us\":%.2f"
	       ",\"max_loop_us\":%.2f,\"p999_loop_cpu_us\":%.2f"
	       ",\"entries_v6\":%" PRIu64 ",\"bytes_per_entry_v6\":%.1f"
	       ",\"bytes_per_entry_v6_computed\":%.1f"
	       ",\"bytes_per_entry_v4_with_v6_computed\":%.1f}\n",
	       held, bpe_rss, bpe_calc, (double)b.n / fill_s, st.cpu_share,
	       st.ns_per_expiry, st.early, (double)st.max_late_us / 1000,
	       ms.p50_us, ms.p99_us, ms.p999_us, ms.max_us, ms.cp999_us, v6.n,
	       v6.bpe_rss, v6.bpe_calc, v6.bpe4_calc);
	return 0;
}
