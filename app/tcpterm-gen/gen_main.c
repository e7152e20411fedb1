/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tcpterm-gen: EAL, the port, address resolution, the poll loop, and the
 * report. One lcore; started the DPDK way:
 *   tcpterm-gen -l 1 --vdev=net_memif0,role=client,socket=/run/x.sock \
 *     -- -s short -d 198.18.20.1:80 -t 10
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>

#include "gen.h"

#define GEN_NB_DESC 1024
#define GEN_ARP_TRIES 100
#define GEN_ARP_GAP_MS 100
#define GEN_ANNOUNCE_MAX 4096
#define GEN_LINGER_MS 300
#define GEN_PEER_SETTLE_MS 200

volatile int gen_quit;

static void
gen_signal(int sig __rte_unused)
{
	gen_quit = 1;
}

static void gen_die(const char *fmt, ...) __rte_noreturn
	__rte_format_printf(1, 2);

static void
gen_die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "tcpterm-gen: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	exit(1);
}

static uint16_t
gen_find_port(const char *name)
{
	uint16_t id;

	if (name[0] != '\0') {
		if (rte_eth_dev_get_port_by_name(name, &id) != 0)
			gen_die("no port named '%s'", name);
		return id;
	}
	RTE_ETH_FOREACH_DEV(id)
		return id;
	gen_die("no port: give one with --vdev or -a");
}

/* One RX and one TX queue, started; waits for the link. */
static void
gen_port_init(struct gen *g)
{
	struct rte_eth_conf conf;
	struct rte_ether_addr mac;
	struct rte_eth_link link;
	uint16_t nrx = GEN_NB_DESC, ntx = GEN_NB_DESC;
	unsigned int waited = 0;
	int ret;

	g->port_id = gen_find_port(g->o.port);
	memset(&conf, 0, sizeof(conf));
	ret = rte_eth_dev_configure(g->port_id, 1, 1, &conf);
	if (ret == 0)
		ret = rte_eth_dev_adjust_nb_rx_tx_desc(g->port_id, &nrx, &ntx);
	if (ret == 0)
		ret = rte_eth_rx_queue_setup(g->port_id, 0, nrx,
					     rte_eth_dev_socket_id(g->port_id),
					     NULL, g->mp);
	if (ret == 0)
		ret = rte_eth_tx_queue_setup(g->port_id, 0, ntx,
					     rte_eth_dev_socket_id(g->port_id),
					     NULL);
	if (ret == 0)
		ret = rte_eth_dev_start(g->port_id);
	if (ret != 0)
		gen_die("port setup failed: %s", rte_strerror(-ret));
	rte_eth_macaddr_get(g->port_id, &mac);
	memcpy(g->mac, mac.addr_bytes, NET_ETH_ALEN);
	for (;;) {
		memset(&link, 0, sizeof(link));
		rte_eth_link_get_nowait(g->port_id, &link);
		if (link.link_status || waited >= g->o.link_wait_ms)
			break;
		rte_delay_ms(10);
		waited += 10;
	}
	if (!link.link_status)
		gen_die("link down after %u ms", g->o.link_wait_ms);
}

static void
gen_clock(struct gen *g)
{
	g->now = rte_rdtsc();
	g->now_ms = (uint32_t)(gen_tsc_ns(g, g->now - g->tsc0) / 1000000);
}

/* Poll RX for ms milliseconds (answering ARP), or until *done. */
static void
gen_poll_for(struct gen *g, unsigned int ms, const bool *done)
{
	uint64_t end = rte_rdtsc() + g->hz * ms / 1000;

	while (rte_rdtsc() < end && !(done && *done) && !gen_quit) {
		gen_clock(g);
		gen_rx(g);
		gen_tx_flush(g);
	}
}

/*
 * IPv6: learn the target's MAC by a Neighbor Solicitation (RFC 4861
 * 7.2.2), then send one from every source, unicast to the target: the
 * source link-layer option makes it a neighbour there (7.2.3), so its
 * replies need no resolution (the generator answers solicitations too).
 */
static void
gen_resolve6(struct gen *g)
{
	uint32_t a;
	int i;

	for (i = 0; i < GEN_ARP_TRIES && !g->o.dst_mac_set && !gen_quit; i++) {
		gen_send_ns(g, g->o.src_lo, NULL);
		gen_tx_flush(g);
		gen_poll_for(g, GEN_ARP_GAP_MS, &g->o.dst_mac_set);
	}
	if (!g->o.dst_mac_set)
		gen_die("no Neighbor Advertisement from the target");
	for (a = g->o.src_lo;
	     a <= g->o.src_hi && a - g->o.src_lo < GEN_ANNOUNCE_MAX; a++) {
		gen_send_ns(g, a, g->o.dst_mac);
		if ((a - g->o.src_lo) % GEN_BURST == GEN_BURST - 1) {
			gen_tx_flush(g);
			gen_poll_for(g, 1, NULL);
		}
	}
	gen_tx_flush(g);
	gen_poll_for(g, 200, NULL);
}

/*
 * Learn the target's MAC by ARP, then announce every source address to
 * it (an ARP request from each), so that its replies need no lookup.
 */
static void
gen_resolve(struct gen *g)
{
	uint32_t a;
	int i;

	if (g->o.ipv6) {
		gen_resolve6(g);
		return;
	}

	for (i = 0; i < GEN_ARP_TRIES && !g->o.dst_mac_set && !gen_quit; i++) {
		gen_send_arp(g, NET_ARP_OP_REQUEST, g->o.src_lo, NULL,
			     g->o.dst);
		gen_tx_flush(g);
		gen_poll_for(g, GEN_ARP_GAP_MS, &g->o.dst_mac_set);
	}
	if (!g->o.dst_mac_set)
		gen_die("no ARP reply from the target");
	for (a = g->o.src_lo;
	     a <= g->o.src_hi && a - g->o.src_lo < GEN_ANNOUNCE_MAX; a++) {
		gen_send_arp(g, NET_ARP_OP_REQUEST, a, NULL, g->o.dst);
		if ((a - g->o.src_lo) % GEN_BURST == GEN_BURST - 1) {
			gen_tx_flush(g);
			gen_poll_for(g, 1, NULL);
		}
	}
	gen_tx_flush(g);
	gen_poll_for(g, 200, NULL);
}

/* New work this poll, paced by the token bucket when a rate is set. */
static void
gen_pace(struct gen *g)
{
	unsigned int want = GEN_BURST, n;
	bool ka = g->o.scenario == GEN_KEEPALIVE;

	if (g->ntx >= GEN_BURST)
		return; /* The device is full: no new work. */
	if (ka)
		gen_tcp_open_some(g, GEN_BURST);
	if (g->o.rate > 0) {
		g->tokens += g->o.rate * (double)(g->now - g->last_refill) /
			g->hz;
		g->last_refill = g->now;
		if (g->tokens > GEN_BURST + g->o.rate / 1000)
			g->tokens = GEN_BURST + g->o.rate / 1000;
		want = g->tokens < GEN_BURST ? (unsigned int)g->tokens :
					       GEN_BURST;
	}
	n = ka ? gen_tcp_dispatch_some(g, want) : gen_tcp_open_some(g, want);
	g->tokens -= n;
}

/* The TCP scenarios' loop; returns the seconds of load. */
static double
gen_tcp_run(struct gen *g)
{
	uint64_t load_end = g->tsc0 + (uint64_t)(g->o.duration * g->hz);
	uint64_t hard_end = UINT64_MAX;
	double load = g->o.duration;

	g->opening = true;
	g->last_refill = g->tsc0;
	gen_flood_init(g);
	for (;;) {
		uint64_t t0 = rte_rdtsc();
		uint64_t work = g->c.rx_pkts + g->c.tx_pkts;

		gen_clock(g);
		gen_rx(g);
		if (g->opening && (t0 >= load_end || gen_quit)) {
			load = (double)(t0 - g->tsc0) / g->hz;
			hard_end = t0 + (uint64_t)(g->o.wait * g->hz);
			gen_tcp_stop(g);
		}
		if (g->opening || g->o.scenario == GEN_KEEPALIVE)
			gen_pace(g);
		gen_tcp_timers(g);
		gen_tx_flush(g);
		if (g->opening)
			gen_flood_poll(g);
		gen_poll_done(g, t0, g->c.rx_pkts + g->c.tx_pkts != work);
		if (!g->opening && (g->inflight == 0 || t0 >= hard_end))
			break;
	}
	gen_tcp_abort_all(g);
	gen_tx_flush(g);
	/*
	 * Linger: the last frames must reach the peer before the port goes
	 * down, and a retransmitted FIN still gets its ACK.
	 */
	gen_poll_for(g, GEN_LINGER_MS, NULL);
	return load;
}

/*
 * Close the port once nothing polls it. DPDK 22.11's memif PMD unmaps the
 * shared rings from its interrupt thread when the peer disconnects, while
 * an lcore may be inside rx_burst on them: the side still polling can
 * crash. So both sides must stop polling before either closes: here we
 * have stopped, and with --close-wait-ms we wait for the peer (which a
 * script stops once it sees the line below) to leave first. The PMD
 * marks the link down before it tears the connection down: give its
 * thread time to finish, or our own stop would tear it down at the same
 * time (and crash).
 */
static void
gen_port_close(struct gen *g)
{
	struct rte_eth_link link;
	unsigned int waited = 0;

	if (g->o.close_wait_ms > 0) {
		fprintf(stderr,
			"tcpterm-gen: port %u quiet, waiting for the "
			"peer to leave\n",
			g->port_id);
		for (;;) {
			memset(&link, 0, sizeof(link));
			rte_eth_link_get_nowait(g->port_id, &link);
			if (!link.link_status || waited >= g->o.close_wait_ms)
				break;
			rte_delay_ms(10);
			waited += 10;
		}
		fprintf(stderr, "tcpterm-gen: peer %s after %u ms\n",
			link.link_status ? "still there" : "gone", waited);
		if (!link.link_status)
			rte_delay_ms(GEN_PEER_SETTLE_MS);
	}
	(void)rte_eth_dev_stop(g->port_id);
	(void)rte_eth_dev_close(g->port_id);
}

/* What the run's counters mean for the exit status; says it last. */
static int
gen_exit(const struct gen *g)
{
	char msg[256];
	int status = gen_exit_status(&g->o, &g->c, msg, sizeof(msg));

	if (msg[0] != '\0')
		fprintf(stderr, "%s\n", msg);
	return status;
}

static void
gen_setup(struct gen *g)
{
	/* The flood resolves the target and answers ARP like a client. */
	bool tcp = g->o.scenario < GEN_RAW || g->o.scenario == GEN_SYNFLOOD;
	struct timespec ts;

	/*
	 * Timestamps continue from one run to the next (RFC 7323 PAWS on the
	 * server would drop segments of a 4-tuple reused by a later run).
	 */
	clock_gettime(CLOCK_REALTIME, &ts);
	g->ts_base = (uint32_t)(ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
	g->hz = rte_get_tsc_hz();
	g->ns_mult = (1000000000ull << 32) / g->hz;
	g->rto_tsc = g->hz * g->o.rto_ms / 1000;
	/* Each direction draws from its own sequence. */
	gen_imp_init(&g->imp_tx, &g->o, g->hz, 0x7478, &g->c.imp_tx_loss);
	gen_imp_init(&g->imp_rx, &g->o, g->hz, 0x7278, &g->c.imp_rx_loss);
	g->mp = rte_pktmbuf_pool_create("gen_mbufs", g->o.mbufs, 256, 0,
					RTE_MBUF_DEFAULT_BUF_SIZE,
					(int)rte_socket_id());
	if (g->mp == NULL)
		gen_die("cannot create the mbuf pool: %s",
			rte_strerror(rte_errno));
	if (tcp && gen_tcp_init(g) != 0)
		gen_die("cannot set up %u connections", g->o.concurrency);
	g->tsc0 = rte_rdtsc();
	gen_port_init(g);
	/* Scripts wait for this line before touching the device's peer. */
	fprintf(stderr, "tcpterm-gen: port %u up\n", g->port_id);
	if (tcp)
		gen_resolve(g);
}

int
main(int argc, char **argv)
{
	static struct gen g;
	double t;
	int ret;

	ret = rte_eal_init(argc, argv);
	if (ret < 0)
		gen_die("EAL init failed: %s", rte_strerror(rte_errno));
	argc -= ret;
	argv += ret;
	argv[0] = (char *)"tcpterm-gen";
	ret = gen_parse_args(argc, argv, &g.o);
	if (ret != 0) {
		gen_usage(ret > 0 ? stdout : stderr);
		exit(ret > 0 ? 0 : 1);
	}
	signal(SIGINT, gen_signal);
	signal(SIGTERM, gen_signal);
	gen_setup(&g);
	g.tsc0 = rte_rdtsc();
	g.now = g.tsc0;
	gen_report_start(&g);
	if (!g.o.quiet)
		printf("tcpterm-gen: %s on port %u, lcore %u, %u source "
		       "address(es) x %u ports\n",
		       gen_scenario_name(g.o.scenario), g.port_id,
		       rte_lcore_id(), g.o.src_hi - g.o.src_lo + 1,
		       g.o.sport_hi - g.o.sport_lo + 1u);
	if (g.o.scenario < GEN_RAW) {
		t = gen_tcp_run(&g);
	} else if (g.o.scenario == GEN_SYNFLOOD) {
		gen_flood_run(&g);
		t = (double)(g.now - g.tsc0) / g.hz;
	} else {
		gen_raw_run(&g);
		t = (double)(g.now - g.tsc0) / g.hz;
	}
	gen_report_final(&g, t);
	/*
	 * Holding the port up lets a script read the peer's counters before
	 * this process disconnects from it.
	 */
	if (g.o.hold > 0 && g.o.scenario != GEN_RAW &&
	    g.o.scenario != GEN_REFLECT)
		gen_poll_for(&g, (unsigned int)(g.o.hold * 1000), NULL);
	gen_imp_free(&g.imp_tx);
	gen_imp_free(&g.imp_rx);
	gen_port_close(&g);
	gen_tcp_free(&g);
	rte_eal_cleanup();
	return gen_exit(&g);
}
