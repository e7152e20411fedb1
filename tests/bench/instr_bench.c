/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Instruction-count benchmark driver (tests/bench/bench_instr.sh): one
 * worker's real poll path (net_ring port, RX classification, TCP, the
 * HTTP application, TX build, timers) fed by an in-process client, for
 * a fixed number of connections (or keep-alive requests) on a stepped
 * virtual clock. Meant to run under callgrind: only dp_worker_poll() is
 * collected (CALLGRIND_TOGGLE_COLLECT around it), so the client's own
 * parsing and building is not counted, and one profile is dumped per
 * scenario. The clock advances by a fixed amount per poll and per
 * received packet, never by the wall clock, so valgrind's slowness does
 * not change how many timer ticks the server sees: the count is the
 * same on every machine and every run.
 *
 *   instr_bench EAL-ARGS -- [--scenario short|client-close|keepalive|
 *                                       short-ts|all]
 *                           [--conns N] [--warmup N] [--concurrency C]
 *                           [--tcp "KEY: VALUE, ..."]  (more tcp: keys)
 *                           [--msl-ms N] [--max-time-wait N]
 *                           [--cache-warmup N]
 *
 * short-ts is short with the client's options as Linux sends them (MSS,
 * SACK-permitted, timestamps and window scale on the SYN, timestamps on
 * every other segment): the timestamp path's cost.
 *
 * --msl-ms (default 1) sets how long TIME_WAIT records live: about 2 M
 * short connections pass per virtual second, so --msl-ms 250 holds about
 * 1 M records while measuring (the warm-up then runs past 2*MSL of
 * virtual time, so that expiry runs as it would in steady state).
 * --max-time-wait (default 65,536, or 4,000,000 with an MSL above 1 ms)
 * sizes the TIME_WAIT ring and the flow table. --cache-warmup N runs
 * the last N warm-up connections instrumented but not collected, so that
 * callgrind's cache simulation (--cache-sim=yes) starts the measurement
 * with warm caches rather than empty ones (default 0: instruction counts
 * do not need it, and it costs time under valgrind).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_eth_ring.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_ring.h>

#ifdef TT_HAVE_CALLGRIND
#include <valgrind/callgrind.h>
#else
#define CALLGRIND_START_INSTRUMENTATION
#define CALLGRIND_STOP_INSTRUMENTATION
#define CALLGRIND_TOGGLE_COLLECT
#define CALLGRIND_DUMP_STATS_AT(s) ((void)(s))
#define RUNNING_ON_VALGRIND 0
#endif

#include "app.h"
#include "config.h"
#include "dp.h"

#define IB_RING 4096
#define IB_MBUFS 8191
#define IB_SERVER_IP 0xc6120001u  /* 198.18.0.1 */
#define IB_GW_IP 0xc61200feu	  /* 198.18.0.254 */
#define IB_CLIENT_NET 0xc6130000u /* 198.19.0.0/16, off-link */
#define IB_FLOWS_PER_ADDR 50000u
#define IB_CLIENT_ISN 1000u
/* The client's TSval: one value, never older than the last (RFC 7323). */
#define IB_CLIENT_TSVAL 1000u
#define IB_INJECT_BURST 32
/* Virtual time per poll and per packet received: about 1 M conn/s. */
#define IB_NS_PER_POLL 500
#define IB_NS_PER_PKT 150
/* A scenario that has not finished after this many polls is stuck. */
#define IB_MAX_POLLS 10000000u
#define IB_VIRT_HZ 1000000000u
/* Shortest warm-up in virtual time beyond 2*MSL. */
#define IB_WARM_EXTRA_NS 1000000u
/* TIME_WAIT records allowed with a long MSL, as in the memif cps runs. */
#define IB_BIG_TIME_WAIT 4000000u

enum ib_kind {
	IB_SHORT,	 /* server closes after the response */
	IB_CLIENT_CLOSE, /* client closes after the response */
	IB_KEEPALIVE,	 /* requests on open connections */
};

struct ib_scenario {
	const char *name;
	enum ib_kind kind;
	uint16_t port; /* the listener */
	/*
	 * The client's options as Linux sends them: MSS, SACK-permitted,
	 * timestamps and window scale on the SYN, timestamps on every
	 * other segment (RFC 7323). Without: MSS on the SYN only.
	 */
	bool ts;
	/* Results. */
	uint64_t measured; /* connections (or requests) measured */
	uint64_t polls;
	uint64_t rx_packets;
	uint64_t tx_packets;
	uint64_t virtual_us;
	uint64_t resets;
	uint64_t stuck;
	uint64_t tw_held;    /* TIME_WAIT records when measuring started */
	uint64_t tw_expired; /* records expired while measuring */
	uint64_t poll_tsc;   /* host TSC cycles in the measured polls */
};

/* The stateless client: each reply is computed from the server's frame. */
struct ib_client {
	const struct ib_scenario *sc;
	struct rte_mempool *mp;
	struct rte_ring *rx; /* frames to the server */
	struct rte_ring *tx; /* frames from the server */
	uint8_t server_mac[6];
	uint8_t gw_mac[6];
	uint32_t concurrency;
	uint32_t next_flow;
	uint64_t started;
	uint64_t completed; /* connections, or responses */
	uint64_t resets;
	uint64_t enq_fail;
	uint16_t n_pending;
	struct rte_mbuf *pending[64];
};

static const char ib_request[] = "GET / HTTP/1.1\r\nHost: b\r\n\r\n";

static const char ib_yaml[] =
	"ports:\n"
	"  - device: %s\n"
	"    ipv4: 198.18.0.1/24\n"
	"    gateway: 198.18.0.254\n"
	"workers: 1\n"
	"listeners:\n"
	"  - {port: 80, app: http, close: after-response,"
	" response_body_bytes: 2}\n"
	"  - {port: 81, app: http, close: on-peer-fin,"
	" response_body_bytes: 2}\n"
	"tcp: {msl_ms: %u%s%s}\n"
	"limits: {max_connections: 65536, max_time_wait: %u}\n";

static uint64_t ib_conns = 20000;
static uint64_t ib_warmup = 2000;
static uint32_t ib_concurrency = 256;
static const char *ib_only;
/* More tcp: keys, e.g. "rack: false" (--tcp): what a feature costs. */
static const char *ib_tcp;
static uint32_t ib_msl_ms = 1;
static uint32_t ib_max_tw;
static uint64_t ib_cache_warmup;
/* Host TSC cycles spent in the measured polls (meaningless in valgrind). */
static uint64_t ib_poll_tsc;
static struct rte_mempool *ib_mp;

static void __rte_noreturn
ib_die(const char *what, int err)
{
	fprintf(stderr, "instr_bench: %s: %s\n", what, strerror(err));
	exit(1);
}

static void
ib_flush(struct ib_client *g)
{
	unsigned int sent;

	if (g->n_pending == 0)
		return;
	sent = rte_ring_sp_enqueue_burst(g->rx, (void **)g->pending,
					 g->n_pending, NULL);
	if (sent < g->n_pending) {
		g->enq_fail += g->n_pending - sent;
		rte_pktmbuf_free_bulk(&g->pending[sent], g->n_pending - sent);
	}
	g->n_pending = 0;
}

/* The options of the client's segment (tsecr: the server's TSval). */
static void
ib_opts(const struct ib_client *g, uint8_t flags, uint32_t tsecr,
	struct net_tcp_opts *o)
{
	if (flags & NET_TCP_SYN) {
		o->has = NET_OPT_MSS;
		o->mss = 1460;
	}
	if (!g->sc->ts)
		return;
	o->has |= NET_OPT_TS;
	o->tsval = IB_CLIENT_TSVAL;
	o->tsecr = tsecr;
	if (flags & NET_TCP_SYN) {
		o->has |= NET_OPT_SACK_OK | NET_OPT_WSCALE;
		o->wscale = 7;
	}
}

static void
ib_send(struct ib_client *g, uint32_t saddr, uint16_t sport, uint32_t seq,
	uint32_t ack, uint8_t flags, const void *data, uint32_t len,
	uint32_t tsecr)
{
	struct net_tcp_build b = {
		.src_mac = g->gw_mac,
		.dst_mac = g->server_mac,
		.saddr = saddr,
		.daddr = IB_SERVER_IP,
		.sport = sport,
		.dport = g->sc->port,
		.seq = seq,
		.ack = ack,
		.wnd = 65535,
		.flags = flags,
		.ttl = 64,
		.payload_len = len,
	};
	struct rte_mbuf *m = rte_pktmbuf_alloc(g->mp);
	uint8_t *f;
	uint32_t hlen;

	if (m == NULL) {
		g->enq_fail++;
		return;
	}
	ib_opts(g, flags, tsecr, &b.opts);
	f = rte_pktmbuf_mtod(m, uint8_t *);
	hlen = net_build_tcp(f, rte_pktmbuf_tailroom(m), &b);
	memcpy(f + hlen, data, len);
	net_tcp_finish(f, false);
	m->data_len = hlen + len;
	m->pkt_len = m->data_len;
	g->pending[g->n_pending++] = m;
	if (g->n_pending == RTE_DIM(g->pending))
		ib_flush(g);
}

/* Open connections up to the concurrency (keep-alive: once). */
static void
ib_inject(struct ib_client *g)
{
	unsigned int burst = 0;
	uint32_t n, addr;
	uint16_t port;

	while (g->started - g->completed - g->resets < g->concurrency &&
	       burst++ < IB_INJECT_BURST) {
		if (g->sc->kind == IB_KEEPALIVE && g->started >= g->concurrency)
			break;
		n = g->next_flow++;
		addr = IB_CLIENT_NET | ((n / IB_FLOWS_PER_ADDR) & 0xff);
		port = (uint16_t)(10000 + n % IB_FLOWS_PER_ADDR);
		ib_send(g, addr, port, IB_CLIENT_ISN, 0, NET_TCP_SYN, NULL, 0,
			0);
		g->started++;
	}
	ib_flush(g);
}

/* A data segment from the server: the response. */
static void
ib_on_response(struct ib_client *g, const struct net_seg *s)
{
	uint32_t ack = s->seq + s->len;

	if (g->sc->kind == IB_CLIENT_CLOSE) {
		ib_send(g, s->daddr, s->dport, s->ack, ack,
			NET_TCP_ACK | NET_TCP_FIN, NULL, 0, s->opts.tsval);
	} else if (g->sc->kind == IB_KEEPALIVE) {
		g->completed++;
		ib_send(g, s->daddr, s->dport, s->ack, ack,
			NET_TCP_ACK | NET_TCP_PSH, ib_request,
			sizeof(ib_request) - 1, s->opts.tsval);
	}
}

/* One frame from the server: reply as the client of that flow would. */
static void
ib_answer(struct ib_client *g, const struct net_seg *s)
{
	if (s->flags & NET_TCP_RST) {
		g->resets++;
		return;
	}
	if ((s->flags & (NET_TCP_SYN | NET_TCP_ACK)) ==
	    (NET_TCP_SYN | NET_TCP_ACK)) {
		ib_send(g, s->daddr, s->dport, s->ack, s->seq + 1,
			NET_TCP_ACK | NET_TCP_PSH, ib_request,
			sizeof(ib_request) - 1, s->opts.tsval);
		return;
	}
	if (s->flags & NET_TCP_FIN) {
		/* Short: ACK and close; client-close: ACK the LAST_ACK. */
		ib_send(g, s->daddr, s->dport, s->ack, s->seq + s->len + 1,
			g->sc->kind == IB_SHORT ? NET_TCP_ACK | NET_TCP_FIN :
						  NET_TCP_ACK,
			NULL, 0, s->opts.tsval);
		g->completed++;
		return;
	}
	if (s->len > 0)
		ib_on_response(g, s);
}

static void
ib_consume(struct ib_client *g)
{
	struct rte_mbuf *m[64];
	struct net_frame f;
	unsigned int n, i;

	while ((n = rte_ring_dequeue_burst(g->tx, (void **)m, RTE_DIM(m),
					   NULL)) != 0) {
		for (i = 0; i < n; i++)
			if (net_parse(rte_pktmbuf_mtod(m[i], const uint8_t *),
				      m[i]->data_len, NET_CSUM_GOOD,
				      NET_CSUM_GOOD, &f) == NET_DROP_NONE &&
			    f.kind == NET_KIND_TCP)
				ib_answer(g, &f.seg);
		rte_pktmbuf_free_bulk(m, n);
	}
	ib_flush(g);
}

struct ib_setup {
	struct cfg cfg;
	struct dp_port port;
	struct dp_steer steer;
	struct rte_ring *rx;
	struct rte_ring *tx;
	struct dp_core *core;
	struct ib_client client;
};

static void
ib_make_port(struct ib_setup *s, unsigned int i)
{
	char name[RTE_RING_NAMESIZE], dev[32], yaml[1024], err[256];
	int ret;

	snprintf(name, sizeof(name), "ib%u_rx", i);
	s->rx = rte_ring_create(name, IB_RING, rte_socket_id(),
				RING_F_SP_ENQ | RING_F_SC_DEQ);
	snprintf(name, sizeof(name), "ib%u_tx", i);
	s->tx = rte_ring_create(name, IB_RING, rte_socket_id(),
				RING_F_SP_ENQ | RING_F_SC_DEQ);
	if (s->rx == NULL || s->tx == NULL)
		ib_die("rings", rte_errno);
	snprintf(dev, sizeof(dev), "ib%u", i);
	if (rte_eth_from_rings(dev, &s->rx, 1, &s->tx, 1, rte_socket_id()) < 0)
		ib_die("rte_eth_from_rings", rte_errno);
	/* The ring PMD names its ethdev "net_ring_" + name. */
	snprintf(dev, sizeof(dev), "net_ring_ib%u", i);
	snprintf(yaml, sizeof(yaml), ib_yaml, dev, ib_msl_ms,
		 ib_tcp ? ", " : "", ib_tcp ? ib_tcp : "", ib_max_tw);
	if (cfg_load_string("bench", yaml, strlen(yaml), &s->cfg, err,
			    sizeof(err)) != 0) {
		fprintf(stderr, "instr_bench: %s\n", err);
		exit(1);
	}
	ret = dp_port_init(&s->port, &s->cfg.ports[0], ib_mp, 1);
	if (ret < 0)
		ib_die("dp_port_init", -ret);
	ret = dp_steer_create(&s->steer, 1, 1, rte_socket_id());
	if (ret < 0)
		ib_die("steering rings", -ret);
}

/* The worker, on the virtual clock: its time 0 is its tsc0. */
static void
ib_make_worker(struct ib_setup *s, struct ib_scenario *sc)
{
	static const uint8_t gw_mac[6] = { 0x02, 0, 0, 0, 0, 0xfe };
	struct ib_client *g = &s->client;
	struct tcp_params p;
	struct dp_core *c;

	c = rte_zmalloc("ib_core", sizeof(*c), RTE_CACHE_LINE_SIZE);
	if (c == NULL)
		ib_die("core", ENOMEM);
	dp_core_init(c, rte_lcore_id(), 0, 1, &s->port, 1, ib_mp, NULL);
	dp_core_attach(c, &s->steer);
	/*
	 * A 1 GHz virtual TSC, whatever the host's: EAL's measured rate
	 * differs from run to run and would move the tick rounding.
	 */
	c->tsc_mult = ((uint64_t)US_PER_S << 32) / IB_VIRT_HZ;
	c->drain_tsc = IB_VIRT_HZ / US_PER_S * DP_DRAIN_US;
	app_tcp_params(&s->cfg, 1, &p);
	p.isn_secret[0] = 1;
	c->tcp = tcp_ctx_create(&p, 0);
	if (c->tcp == NULL || app_listen_all(c->tcp, &s->cfg) < 0)
		ib_die("tcp context", ENOMEM);
	/* The client's gateway, as if it had answered our request. */
	net_neigh_asked(&c->ports[0].neigh, IB_GW_IP, 0);
	net_neigh_input(&c->ports[0].neigh, NET_ARP_OP_REPLY, IB_GW_IP, gw_mac,
			0);
	s->core = c;
	memset(g, 0, sizeof(*g));
	g->sc = sc;
	g->mp = ib_mp;
	g->rx = s->rx;
	g->tx = s->tx;
	memcpy(g->server_mac, s->port.mac, 6);
	memcpy(g->gw_mac, gw_mac, 6);
	g->concurrency = ib_concurrency;
}

struct ib_clock {
	uint64_t ns; /* virtual time since the core's tsc0 */
	uint64_t prev_drain;
};

/*
 * One poll of the worker at the virtual time, collected when measuring;
 * the clock then advances by the poll's fixed cost and its packets.
 */
static unsigned int
ib_poll(struct dp_core *c, struct ib_clock *k, bool measuring)
{
	uint64_t tsc = c->tsc0 + k->ns; /* IB_VIRT_HZ: 1 ns per tick */
	uint64_t t0 = 0;
	unsigned int got;

	/* The TSC reads stay outside the instructions collected. */
	if (measuring) {
		t0 = rte_rdtsc();
		CALLGRIND_TOGGLE_COLLECT;
	}
	got = dp_worker_poll(c, tsc, &k->prev_drain);
	if (measuring) {
		CALLGRIND_TOGGLE_COLLECT;
		ib_poll_tsc += rte_rdtsc() - t0;
	}
	k->ns += IB_NS_PER_POLL + (uint64_t)got * IB_NS_PER_PKT;
	return got;
}

/* Poll until the client has completed target connections (or requests). */
static uint64_t
ib_run_until(struct ib_setup *s, struct ib_clock *k, uint64_t target,
	     bool measuring)
{
	uint64_t polls = 0;

	while (s->client.completed < target && polls < IB_MAX_POLLS) {
		ib_inject(&s->client);
		ib_poll(s->core, k, measuring);
		ib_consume(&s->client);
		polls++;
	}
	return polls;
}

static void
ib_teardown(struct ib_setup *s)
{
	struct rte_mbuf *m[64];
	unsigned int n;

	dp_tx_flush(s->core);
	dp_port_close(&s->port);
	dp_steer_free(&s->steer);
	tcp_ctx_destroy(s->core->tcp);
	rte_free(s->core);
	while ((n = rte_ring_dequeue_burst(s->rx, (void **)m, 64, NULL)) != 0)
		rte_pktmbuf_free_bulk(m, n);
	while ((n = rte_ring_dequeue_burst(s->tx, (void **)m, 64, NULL)) != 0)
		rte_pktmbuf_free_bulk(m, n);
	rte_ring_free(s->rx);
	rte_ring_free(s->tx);
}

static void
ib_run_scenario(struct ib_scenario *sc, unsigned int i)
{
	static struct ib_setup s;
	struct ib_clock k = { .ns = 0 };
	const struct tcp_counters *tc;
	uint64_t rx0, tx0, ns0, start;

	memset(&s, 0, sizeof(s));
	ib_make_port(&s, i);
	ib_make_worker(&s, sc);
	/*
	 * Warm up past 2*MSL of virtual time, so that the measured
	 * connections pay for as many TIME_WAIT expiries as they create.
	 */
	ib_run_until(&s, &k, ib_warmup, false);
	while (k.ns < 2ull * ib_msl_ms * 1000000u + IB_WARM_EXTRA_NS)
		ib_run_until(&s, &k, s.client.completed + 1, false);
	CALLGRIND_START_INSTRUMENTATION;
	ib_run_until(&s, &k, s.client.completed + ib_cache_warmup, false);
	rx0 = s.core->cnt.rx_packets;
	tx0 = s.core->cnt.tx_packets;
	ns0 = k.ns;
	start = s.client.completed;
	tc = tcp_counters(s.core->tcp);
	sc->tw_held = tc->tw_created - tc->tw_expired;
	sc->tw_expired = tc->tw_expired;
	ib_poll_tsc = 0;
	sc->polls = ib_run_until(&s, &k, start + ib_conns, true);
	CALLGRIND_DUMP_STATS_AT(sc->name);
	CALLGRIND_STOP_INSTRUMENTATION;
	sc->tw_expired = tc->tw_expired - sc->tw_expired;
	sc->poll_tsc = ib_poll_tsc;
	sc->measured = s.client.completed - start;
	sc->rx_packets = s.core->cnt.rx_packets - rx0;
	sc->tx_packets = s.core->cnt.tx_packets - tx0;
	sc->virtual_us = (k.ns - ns0) / 1000;
	sc->resets = s.client.resets + s.client.enq_fail;
	sc->stuck = sc->polls >= IB_MAX_POLLS;
	ib_teardown(&s);
}

/* Host wall time per measured connection in the worker's polls. */
static double
ib_ns(const struct ib_scenario *sc)
{
	if (sc->measured == 0)
		return 0;
	return (double)sc->poll_tsc * 1e9 / (double)rte_get_tsc_hz() /
		(double)sc->measured;
}

static void
ib_args(int argc, char **argv)
{
	int i;

	for (i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--conns") == 0)
			ib_conns = strtoull(argv[i + 1], NULL, 10);
		else if (strcmp(argv[i], "--warmup") == 0)
			ib_warmup = strtoull(argv[i + 1], NULL, 10);
		else if (strcmp(argv[i], "--concurrency") == 0)
			ib_concurrency = (uint32_t)atoi(argv[i + 1]);
		else if (strcmp(argv[i], "--scenario") == 0)
			ib_only = argv[i + 1];
		else if (strcmp(argv[i], "--tcp") == 0)
			ib_tcp = argv[i + 1];
		else if (strcmp(argv[i], "--msl-ms") == 0)
			ib_msl_ms = (uint32_t)atoi(argv[i + 1]);
		else if (strcmp(argv[i], "--cache-warmup") == 0)
			ib_cache_warmup = strtoull(argv[i + 1], NULL, 10);
		else if (strcmp(argv[i], "--max-time-wait") == 0)
			ib_max_tw = (uint32_t)atoi(argv[i + 1]);
	}
	if (ib_msl_ms == 0)
		ib_msl_ms = 1;
	if (ib_max_tw == 0)
		ib_max_tw = ib_msl_ms > 1 ? IB_BIG_TIME_WAIT : 65536;
	if (ib_conns == 0)
		ib_conns = 20000;
	if (ib_concurrency == 0 || ib_concurrency > IB_FLOWS_PER_ADDR)
		ib_concurrency = 256;
	if (ib_only != NULL && strcmp(ib_only, "all") == 0)
		ib_only = NULL;
}

int
main(int argc, char **argv)
{
	struct ib_scenario sc[] = {
		{ .name = "short", .kind = IB_SHORT, .port = 80 },
		{ .name = "client-close", .kind = IB_CLIENT_CLOSE, .port = 81 },
		{ .name = "keepalive", .kind = IB_KEEPALIVE, .port = 81 },
		{ .name = "short-ts",
		  .kind = IB_SHORT,
		  .port = 80,
		  .ts = true },
	};
	unsigned int i;
	int ret, bad = 0;

	ret = rte_eal_init(argc, argv);
	if (ret < 0)
		ib_die("EAL init", rte_errno);
	ib_args(argc - ret, argv + ret);
	ib_mp = rte_pktmbuf_pool_create("ib_mbufs", IB_MBUFS, 256, 0,
					RTE_MBUF_DEFAULT_BUF_SIZE,
					rte_socket_id());
	if (ib_mp == NULL)
		ib_die("mempool", rte_errno);
	printf("instr: %" PRIu64 " connections (keepalive: requests) after "
	       "%" PRIu64 " warm-up, %u in flight, virtual clock %d ns per "
	       "poll + %d ns per packet, msl_ms %u, max_time_wait %u%s\n",
	       ib_conns, ib_warmup, ib_concurrency, IB_NS_PER_POLL,
	       IB_NS_PER_PKT, ib_msl_ms, ib_max_tw,
	       RUNNING_ON_VALGRIND ? ", under valgrind" : "");
	printf("%-13s %9s %8s %10s %10s %10s %6s %9s %9s %12s\n", "scenario",
	       "measured", "polls", "rx pkts", "tx pkts", "virtual us",
	       "resets", "tw held", "tw expd", "host ns/conn");
	for (i = 0; i < RTE_DIM(sc); i++) {
		if (ib_only != NULL && strcmp(ib_only, sc[i].name) != 0)
			continue;
		ib_run_scenario(&sc[i], i);
		printf("%-13s %9" PRIu64 " %8" PRIu64 " %10" PRIu64
		       " %10" PRIu64 " %10" PRIu64 " %6" PRIu64 " %9" PRIu64
		       " %9" PRIu64 " %12.1f%s\n",
		       sc[i].name, sc[i].measured, sc[i].polls,
		       sc[i].rx_packets, sc[i].tx_packets, sc[i].virtual_us,
		       sc[i].resets, sc[i].tw_held, sc[i].tw_expired,
		       ib_ns(&sc[i]), sc[i].stuck ? " STUCK" : "");
		fflush(stdout);
		bad |= sc[i].stuck || sc[i].resets != 0;
	}
	rte_eal_cleanup();
	return bad ? 1 : 0;
}
