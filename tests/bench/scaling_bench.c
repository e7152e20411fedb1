/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Scaling benchmark driver: for 1 worker, 2 workers software-steered and
 * 2 workers queue-steered, build a net_ring port and the workers, run
 * each worker's poll loop interleaved with its in-process client for a
 * fixed time, and print connections and packets per second, the cycles
 * per packet and the steering cost; last line one JSON object.
 *
 *   scaling_bench EAL-ARGS (-l 0-1) -- [--seconds S] [--concurrency N]
 *   [--msl-ms N] (TIME_WAIT held for 2 * N ms: the tables' footprint)
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
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_malloc.h>

#include "app.h"
#include "config.h"
#include "scaling_bench.h"

#define SB_RING 4096
#define SB_MBUFS 32767

struct sb_phase {
	const char *name;
	unsigned int workers;
	enum sb_mode mode;
	/* Results. */
	double seconds;
	uint64_t completed;
	uint64_t resets;
	uint64_t packets; /* server packets in + out */
	uint64_t steered;
	uint64_t violations;
	uint64_t busy_cycles;	/* summed over the lcores */
	uint64_t idle_cycles;	/* polls that found nothing to do */
	uint64_t stall_cycles;	/* off the CPU (gaps between polls) */
	uint64_t client_cycles; /* the in-process clients, in working polls */
};

struct sb_lcore {
	struct dp_core *core;
	struct sb_gen *gen;
	uint64_t t_start; /* TSC: measuring starts */
	uint64_t t_end;
	uint64_t base_completed;
	uint64_t base_packets;
	uint64_t base_steered;
	uint64_t idle;	 /* cycles of polls that found no packet */
	uint64_t stalls; /* polls more than 200 us apart: preempted */
	uint64_t stall_cycles;
	uint64_t client_cycles; /* sb_gen_*() in the polls that did work */
};

static double sb_seconds = 3.0;
static uint32_t sb_concurrency = 256;
static uint32_t sb_msl_ms = 1000;
static struct rte_mempool *sb_mp;

static const char sb_yaml[] =
	"ports:\n"
	"  - device: %s\n"
	"    ipv4: 198.18.0.1/24\n"
	"    gateway: 198.18.0.254\n"
	"    steering: software\n"
	"workers: %u\n"
	"listeners:\n"
	"  - {port: 80, app: http, close: after-response}\n"
	"tcp: {msl_ms: %u}\n"
	"limits: {max_connections: 131072, max_time_wait: 2097152}\n";

static void __rte_noreturn
sb_die(const char *what, int err)
{
	fprintf(stderr, "scaling_bench: %s: %s\n", what, strerror(err));
	exit(1);
}

/* The lcore loop: worker poll and client, interleaved, until t_end. */
static int
sb_run_lcore(void *arg)
{
	struct sb_lcore *l = arg;
	uint64_t prev_drain = 0, tsc, t0, t1, ta, tb, busy = 0, idle = 0;
	uint64_t client = 0;
	bool measuring = false;
	unsigned int got;

	uint64_t gap = rte_get_tsc_hz() / 5000;

	/* The worker's own mempool cache, found on its lcore (as tcpterm). */
	dp_core_bind(l->core);
	while ((tsc = rte_rdtsc()) < l->t_end) {
		if (!measuring && tsc >= l->t_start) {
			measuring = true;
			l->base_completed = l->gen->completed;
			l->base_packets = l->core->cnt.rx_packets +
				l->core->cnt.tx_packets;
			l->base_steered = l->core->cnt.steered_in;
		}
		t0 = tsc;
		sb_gen_inject(l->gen);
		ta = rte_rdtsc();
		got = dp_worker_poll(l->core, tsc, &prev_drain);
		tb = rte_rdtsc();
		got += sb_gen_consume(l->gen);
		if (measuring) {
			t1 = rte_rdtsc() - t0;
			busy += t1;
			/* A poll over 200 us long was descheduled. */
			if (t1 > gap) {
				l->stalls++;
				l->stall_cycles += t1;
			} else if (got == 0) {
				idle += t1;
			} else {
				client += t1 - (tb - ta);
			}
		}
	}
	l->idle = idle;
	l->client_cycles = client;
	dp_steer_flush(l->core);
	dp_tx_flush(l->core);
	l->t_start = busy; /* hand the busy cycles back */
	return 0;
}

struct sb_setup {
	struct cfg cfg;
	struct dp_port port;
	struct dp_steer steer;
	struct rte_ring *rx[SB_MAX_Q];
	struct rte_ring *tx[SB_MAX_Q];
	struct rte_ring *hand[SB_MAX_Q][SB_MAX_Q];
	struct sb_gen gen[SB_MAX_Q];
	struct sb_lcore lc[SB_MAX_Q];
	struct dp_core *cores[SB_MAX_Q];
};

/* Client-to-client rings: frames for a flow another client delivers. */
static void
sb_make_hand(struct sb_setup *s, const struct sb_phase *ph, unsigned int i)
{
	char name[RTE_RING_NAMESIZE];
	unsigned int f, t;

	for (f = 0; f < ph->workers; f++)
		for (t = 0; t < ph->workers; t++) {
			if (f == t)
				continue;
			snprintf(name, sizeof(name), "sb%u_h%u_%u", i, f, t);
			s->hand[f][t] =
				rte_ring_create(name, SB_RING, rte_socket_id(),
						RING_F_SP_ENQ | RING_F_SC_DEQ);
			if (s->hand[f][t] == NULL)
				sb_die("rings", rte_errno);
		}
}

static void
sb_make_port(struct sb_setup *s, const struct sb_phase *ph, unsigned int i)
{
	char name[RTE_RING_NAMESIZE], dev[32], yaml[1024], err[256];
	unsigned int q;
	int ret;

	for (q = 0; q < ph->workers; q++) {
		snprintf(name, sizeof(name), "sb%u_rx%u", i, q);
		s->rx[q] = rte_ring_create(name, SB_RING, rte_socket_id(),
					   RING_F_SP_ENQ | RING_F_SC_DEQ);
		snprintf(name, sizeof(name), "sb%u_tx%u", i, q);
		s->tx[q] = rte_ring_create(name, SB_RING, rte_socket_id(),
					   RING_F_SP_ENQ | RING_F_SC_DEQ);
		if (s->rx[q] == NULL || s->tx[q] == NULL)
			sb_die("rings", rte_errno);
	}
	sb_make_hand(s, ph, i);
	snprintf(dev, sizeof(dev), "sb%u", i);
	if (rte_eth_from_rings(dev, s->rx, ph->workers, s->tx, ph->workers,
			       rte_socket_id()) < 0)
		sb_die("rte_eth_from_rings", rte_errno);
	/* The ring PMD names its ethdev "net_ring_" + name. */
	snprintf(dev, sizeof(dev), "net_ring_sb%u", i);
	snprintf(yaml, sizeof(yaml), sb_yaml, dev, ph->workers, sb_msl_ms);
	if (cfg_load_string("bench", yaml, strlen(yaml), &s->cfg, err,
			    sizeof(err)) != 0) {
		fprintf(stderr, "scaling_bench: %s\n", err);
		exit(1);
	}
	ret = dp_port_init(&s->port, &s->cfg.ports[0], sb_mp, ph->workers);
	if (ret < 0)
		sb_die("dp_port_init", -ret);
	/* As a device with our key and RETA: the hash comes in the mbuf. */
	if (ph->mode == SB_QUEUE_STEERED && ph->workers > 1)
		s->port.steer = DP_STEER_HARDWARE;
	ret = dp_steer_create(&s->steer, ph->workers, 1, rte_socket_id());
	if (ret < 0)
		sb_die("steering rings", -ret);
}

static void
sb_make_worker(struct sb_setup *s, const struct sb_phase *ph, unsigned int w,
	       unsigned int lcore)
{
	static const uint8_t gw_mac[6] = { 0x02, 0, 0, 0, 0, 0xfe };
	struct tcp_params p;
	struct dp_core *c;
	struct sb_gen *g = &s->gen[w];
	unsigned int q;

	c = rte_zmalloc("sb_core", sizeof(*c), RTE_CACHE_LINE_SIZE);
	if (c == NULL)
		sb_die("core", ENOMEM);
	dp_core_init(c, lcore, w, ph->workers, &s->port, 1, sb_mp, NULL);
	dp_core_attach(c, &s->steer);
	app_tcp_params(&s->cfg, ph->workers, &p);
	p.isn_secret[0] = (uint8_t)ph->workers;
	c->tcp = tcp_ctx_create(&p, dp_now_us(c));
	if (c->tcp == NULL || app_listen_all(c->tcp, &s->cfg) < 0)
		sb_die("tcp context", ENOMEM);
	/* The generator's gateway, as if it had answered our request. */
	net_neigh_asked(&c->ports[0].neigh, SB_GW_IP, dp_now_us(c));
	net_neigh_input(&c->ports[0].neigh, NET_ARP_OP_REPLY, SB_GW_IP, gw_mac,
			dp_now_us(c));
	s->cores[w] = c;
	memset(g, 0, sizeof(*g));
	g->id = w;
	g->n_q = ph->workers;
	g->mode = ph->mode;
	g->port = &s->port;
	g->mp = sb_mp;
	g->rx = s->rx[w];
	g->tx = s->tx[w];
	for (q = 0; q < ph->workers; q++) {
		g->hand_out[q] = s->hand[w][q];
		g->hand_in[q] = s->hand[q][w];
	}
	memcpy(g->server_mac, s->port.mac, 6);
	memcpy(g->gw_mac, gw_mac, 6);
	g->concurrency = sb_concurrency;
	g->all = s->gen;
	s->lc[w].core = c;
	s->lc[w].gen = g;
}

static void
sb_collect(struct sb_setup *s, struct sb_phase *ph, uint64_t hz)
{
	unsigned int w;

	for (w = 0; w < ph->workers; w++) {
		struct sb_lcore *l = &s->lc[w];

		ph->completed += l->gen->completed - l->base_completed;
		ph->resets += l->gen->resets;
		ph->packets += l->core->cnt.rx_packets +
			l->core->cnt.tx_packets - l->base_packets;
		ph->steered += l->core->cnt.steered_in - l->base_steered;
		ph->violations += l->core->cnt.ownership_violations;
		ph->busy_cycles += l->t_start;
		ph->idle_cycles += l->idle;
		ph->stall_cycles += l->stall_cycles;
		ph->client_cycles += l->client_cycles;
		fprintf(stderr,
			"%s w%u: started %" PRIu64 " done %" PRIu64
			" stalls %" PRIu64 " rst %" PRIu64 " enqfail %" PRIu64
			" ringfull %" PRIu64 " txdrop %" PRIu64 " retx %" PRIu64
			"\n",
			ph->name, w, l->gen->started, l->gen->completed,
			l->stalls, l->gen->resets, l->gen->enq_fail,
			l->core->cnt.steer_ring_full, l->core->cnt.tx_drop,
			tcp_counters(l->core->tcp)->retransmit);
	}
	ph->seconds = sb_seconds;
	(void)hz;
}

static void
sb_free_ring(struct rte_ring *r)
{
	struct rte_mbuf *m[64];
	unsigned int n;

	if (r == NULL)
		return;
	while ((n = rte_ring_dequeue_burst(r, (void **)m, 64, NULL)) != 0)
		rte_pktmbuf_free_bulk(m, n);
	rte_ring_free(r);
}

static void
sb_teardown(struct sb_setup *s, unsigned int workers)
{
	unsigned int w, q;

	dp_port_close(&s->port);
	dp_steer_free(&s->steer);
	for (w = 0; w < workers; w++) {
		tcp_ctx_destroy(s->cores[w]->tcp);
		rte_free(s->cores[w]);
		rte_ring_free(s->rx[w]);
		rte_ring_free(s->tx[w]);
		for (q = 0; q < workers; q++)
			sb_free_ring(s->hand[w][q]);
	}
}

static void
sb_run_phase(struct sb_phase *ph, unsigned int i)
{
	static struct sb_setup s;
	uint64_t hz = rte_get_tsc_hz(), start;
	unsigned int w, lcore;

	memset(&s, 0, sizeof(s));
	sb_make_port(&s, ph, i);
	sb_make_worker(&s, ph, 0, rte_lcore_id());
	w = 1;
	RTE_LCORE_FOREACH_WORKER(lcore) {
		if (w == ph->workers)
			break;
		sb_make_worker(&s, ph, w++, lcore);
	}
	if (w != ph->workers)
		sb_die("not enough lcores (give -l 0-1)", EINVAL);
	start = rte_rdtsc();
	for (w = 0; w < ph->workers; w++) {
		s.lc[w].t_start = start + hz / 2; /* half a second warm */
		s.lc[w].t_end = s.lc[w].t_start + (uint64_t)(sb_seconds * hz);
	}
	for (w = 1; w < ph->workers; w++)
		rte_eal_remote_launch(sb_run_lcore, &s.lc[w],
				      s.cores[w]->lcore);
	sb_run_lcore(&s.lc[0]);
	rte_eal_mp_wait_lcore();
	sb_collect(&s, ph, hz);
	sb_teardown(&s, ph->workers);
}

/* Cycles per server packet of the polls that did work. */
static double
sb_cpp(const struct sb_phase *ph)
{
	return ph->packets ?
		(double)(ph->busy_cycles - ph->idle_cycles - ph->stall_cycles) /
			ph->packets :
		0;
}

/* Cycles of the polls that did work. */
static uint64_t
sb_work(const struct sb_phase *ph)
{
	return ph->busy_cycles - ph->idle_cycles - ph->stall_cycles;
}

/*
 * Server cycles (worker polls, without the in-process client) per
 * connection: what a worker on a core of its own would spend.
 */
static double
sb_server_cpc(const struct sb_phase *ph)
{
	return ph->completed ?
		(double)(sb_work(ph) - ph->client_cycles) / ph->completed :
		0;
}

/*
 * Rate of phase ph over phase 0 (1 worker) if each worker had its core
 * to itself: workers times the ratio of server cycles per connection.
 */
static double
sb_server_ratio(const struct sb_phase *ph, const struct sb_phase *one)
{
	double c = sb_server_cpc(ph);

	return c > 0 ? ph->workers * sb_server_cpc(one) / c : 0;
}

static double
sb_pct(uint64_t part, const struct sb_phase *ph)
{
	return ph->busy_cycles ? 100.0 * part / ph->busy_cycles : 0;
}

/* Cost of software steering alone, per steered packet, on one core. */
static double
sb_micro_ns(const struct dp_port *p)
{
	struct rte_ring *r = rte_ring_create("sb_micro", 1024, rte_socket_id(),
					     RING_F_SP_ENQ | RING_F_SC_DEQ);
	void *obj[32];
	uint64_t t0, n = 0, i, sink = 0;
	const uint64_t rounds = 200000;

	if (r == NULL)
		sb_die("micro ring", rte_errno);
	for (i = 0; i < 32; i++)
		obj[i] = &obj[i];
	t0 = rte_rdtsc();
	for (i = 0; i < rounds; i++) {
		unsigned int k;

		for (k = 0; k < 32; k++)
			sink += dp_port_owner(
				p,
				net_rss_tab_tcp4(p->rss_tab,
						 SB_CLIENT_NET + (uint32_t)i,
						 SB_SERVER_IP,
						 (uint16_t)(k + 1024),
						 SB_HTTP_PORT));
		n += rte_ring_sp_enqueue_burst(r, obj, 32, NULL);
		rte_ring_sc_dequeue_burst(r, obj, 32, NULL);
	}
	t0 = rte_rdtsc() - t0;
	rte_ring_free(r);
	if (sink == UINT64_MAX)
		printf("\n");
	return (double)t0 * 1e9 / rte_get_tsc_hz() / (double)n;
}

static void
sb_args(int argc, char **argv)
{
	int i;

	for (i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--seconds") == 0)
			sb_seconds = atof(argv[i + 1]);
		else if (strcmp(argv[i], "--concurrency") == 0)
			sb_concurrency = (uint32_t)atoi(argv[i + 1]);
		else if (strcmp(argv[i], "--msl-ms") == 0)
			sb_msl_ms = (uint32_t)atoi(argv[i + 1]);
	}
	if (sb_seconds <= 0)
		sb_seconds = 3.0;
}

static void
sb_report(struct sb_phase *ph, unsigned int n, double micro_ns)
{
	double hz = (double)rte_get_tsc_hz(), base = sb_cpp(&ph[2]);
	double steer = ph[1].steered ?
		(sb_cpp(&ph[1]) - base) * ph[1].packets / ph[1].steered :
		0.0;
	unsigned int i;

	printf("%-28s %7s %10s %10s %9s %6s %6s %9s %5s %7s %9s\n", "path",
	       "workers", "conns/s", "pkts/s", "cyc/pkt", "idle", "descd",
	       "steered", "viol", "client", "srv cyc/c");
	for (i = 0; i < n; i++)
		printf("%-28s %7u %10.0f %10.0f %9.0f %5.1f%% %5.1f%% %8.1f%% "
		       "%5" PRIu64 " %6.1f%% %9.0f\n",
		       ph[i].name, ph[i].workers,
		       ph[i].completed / ph[i].seconds,
		       ph[i].packets / ph[i].seconds, sb_cpp(&ph[i]),
		       sb_pct(ph[i].idle_cycles, &ph[i]),
		       sb_pct(ph[i].stall_cycles, &ph[i]),
		       ph[i].packets ?
			       100.0 * ph[i].steered / (ph[i].packets / 2.0) :
			       0.0,
		       ph[i].violations,
		       sb_work(&ph[i]) ?
			       100.0 * ph[i].client_cycles / sb_work(&ph[i]) :
			       0.0,
		       sb_server_cpc(&ph[i]));
	printf("cyc/pkt: cycles of the polls that did work (worker and its "
	       "client) per server packet; idle: polls with nothing to do "
	       "(waiting on the other core); descd: time descheduled (polls "
	       "over 200 us long); client: the in-process clients' share of "
	       "the polls that did work; srv cyc/c: the rest (the workers) "
	       "per connection\n");
	printf("without the clients (workers times the ratio of server cycles "
	       "per connection): 2 workers %.2fx software-steered, %.2fx "
	       "queue-steered; measured with them: %.2fx, %.2fx\n",
	       sb_server_ratio(&ph[1], &ph[0]), sb_server_ratio(&ph[2], &ph[0]),
	       ph[0].completed ? (double)ph[1].completed / ph[0].completed : 0,
	       ph[0].completed ? (double)ph[2].completed / ph[0].completed : 0);
	printf("steering cost per steered packet: %.0f cycles "
	       "(software- vs queue-steered, 2 workers), %.1f ns hash + "
	       "owner + SPSC ring alone\n",
	       steer, micro_ns);
	printf("{\"bench\":\"scaling\",\"cps_1w\":%.0f,\"cps_2w\":%.0f,"
	       "\"cps_2w_soft\":%.0f,\"cps_2w_queue\":%.0f,"
	       "\"pps_1w\":%.0f,\"pps_2w\":%.0f,\"pps_2w_queue\":%.0f,"
	       "\"cyc_per_pkt_1w\":%.0f,"
	       "\"cyc_per_pkt_2w\":%.0f,\"cyc_per_pkt_2w_queue\":%.0f,"
	       "\"steer_cycles_per_steered_pkt\":%.0f,"
	       "\"steer_ns_micro\":%.1f,\"violations\":%" PRIu64
	       ",\"descheduled_pct\":[%.1f,%.1f,%.1f],"
	       "\"server_cyc_per_conn\":[%.0f,%.0f,%.0f],"
	       "\"server_only_ratio_soft\":%.2f,"
	       "\"server_only_ratio_queue\":%.2f,\"tsc_hz\":%.0f}\n",
	       ph[0].completed / ph[0].seconds, ph[1].completed / ph[1].seconds,
	       ph[1].completed / ph[1].seconds, ph[2].completed / ph[2].seconds,
	       ph[0].packets / ph[0].seconds, ph[1].packets / ph[1].seconds,
	       ph[2].packets / ph[2].seconds, sb_cpp(&ph[0]), sb_cpp(&ph[1]),
	       base, steer, micro_ns,
	       ph[0].violations + ph[1].violations + ph[2].violations,
	       sb_pct(ph[0].stall_cycles, &ph[0]),
	       sb_pct(ph[1].stall_cycles, &ph[1]),
	       sb_pct(ph[2].stall_cycles, &ph[2]), sb_server_cpc(&ph[0]),
	       sb_server_cpc(&ph[1]), sb_server_cpc(&ph[2]),
	       sb_server_ratio(&ph[1], &ph[0]), sb_server_ratio(&ph[2], &ph[0]),
	       hz);
}

int
main(int argc, char **argv)
{
	struct sb_phase ph[] = {
		{ .name = "1 worker", .workers = 1, .mode = SB_SOFT_STEERED },
		{ .name = "2 workers, software-steered",
		  .workers = 2,
		  .mode = SB_SOFT_STEERED },
		{ .name = "2 workers, queue-steered",
		  .workers = 2,
		  .mode = SB_QUEUE_STEERED },
	};
	static struct dp_port micro_port;
	unsigned int i;
	int ret;

	ret = rte_eal_init(argc, argv);
	if (ret < 0)
		sb_die("EAL init", rte_errno);
	sb_args(argc - ret, argv + ret);
	sb_mp = rte_pktmbuf_pool_create("sb_mbufs", SB_MBUFS, 256, 0,
					RTE_MBUF_DEFAULT_BUF_SIZE,
					rte_socket_id());
	if (sb_mp == NULL)
		sb_die("mempool", rte_errno);
	printf("scaling: %.1f s per path, %u connections in flight per "
	       "client, HTTP close after-response, %u lcores\n",
	       sb_seconds, sb_concurrency, rte_lcore_count());
	for (i = 0; i < RTE_DIM(ph); i++) {
		sb_run_phase(&ph[i], i);
		fflush(stdout);
	}
	micro_port.rss_tab = rte_zmalloc("sb_tab", sizeof(*micro_port.rss_tab),
					 RTE_CACHE_LINE_SIZE);
	if (micro_port.rss_tab == NULL)
		sb_die("micro", ENOMEM);
	net_rss_tab_init(micro_port.rss_tab, net_rss_key_symmetric);
	micro_port.reta_size = DP_SW_RETA_SIZE;
	net_rss_reta_fill(micro_port.reta, DP_SW_RETA_SIZE, 2);
	sb_report(ph, RTE_DIM(ph), sb_micro_ns(&micro_port));
	rte_free(micro_port.rss_tab);
	rte_eal_cleanup();
	return 0;
}
