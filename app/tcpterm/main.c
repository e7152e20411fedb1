/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tcpterm: EAL and configuration, ports, one TCP context per worker core,
 * the steering rings between workers, launch, stats, and an orderly
 * shutdown on SIGINT/SIGTERM.
 */
#include <errno.h>
#include <stdarg.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_pdump.h>

#include "app.h"
#include "config.h"
#include "dp.h"
#include "dp_drain.h"
#include "tcp.h"
#include "tcpterm.h"

#define TT_MBUF_CACHE 256
#define TT_MIN_MBUFS 8191
#define TT_LINK_WAIT_MS 2000
#define TT_CONTROL_PERIOD_US 10000

/* Everything main owns; torn down by tt_teardown(). */
struct tt_main {
	struct cfg cfg;
	struct dp_port ports[DP_MAX_PORTS];
	unsigned int n_ports_up; /* ports[0..n_ports_up) are started */
	bool link[DP_MAX_PORTS]; /* up when we started */
	struct rte_mempool *mp;
	unsigned int n_workers;
	unsigned int lcores[DP_MAX_WORKERS];
	struct dp_core *cores[DP_MAX_WORKERS];
	struct dp_steer steer;
	bool main_is_worker;
	struct tt_stats stats;
	struct tt_drain drain;
};

static void
tt_signal(int sig)
{
	/* SIGUSR1: HAProxy's soft stop, a graceful drain. */
	if (sig == SIGUSR1)
		dp_drain_request(0);
	else
		dp_quit_set();
}

/* The control callback: the stats line, then the drain's progress. */
static void
tt_control(void *arg, uint64_t now_us)
{
	struct tt_main *m = arg;

	tt_stats_tick(&m->stats, now_us);
	tt_drain_tick(&m->drain, now_us);
}

/* Print a fatal message and exit with status code. */
static void tt_die(int code, const char *fmt, ...) __rte_noreturn
	__rte_format_printf(2, 3);

static void
tt_die(int code, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "tcpterm: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(code);
}

/* Called by the EAL after its own usage (tcpterm --help). */
static void
tt_eal_usage(const char *prog)
{
	tt_usage(stdout, prog);
}

/*
 * The EAL said what failed in its own lines above; add what it means.
 * EINVAL is an option it did not take (exit 2); anything else is the
 * machine: hugepages, memory, a file prefix another process holds (its
 * rte_errno is then 0) (exit 1).
 */
static void __rte_noreturn
tt_eal_failed(int err)
{
	if (err == EINVAL)
		tt_die(TT_EXIT_USAGE,
		       "EAL init failed: an EAL option was not "
		       "accepted (EAL options go before \"--\"; see --help)");
	tt_die(TT_EXIT_RUNTIME,
	       "EAL init failed%s%s: see the EAL messages above (hugepages, "
	       "memory, or --file-prefix in use by another process)",
	       err != 0 ? ": " : "", err != 0 ? rte_strerror(err) : "");
}

/* Find "--": EAL options before it, ours after. Returns its index. */
static int
tt_split_args(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "--") == 0)
			return i;
	return argc;
}

/* Pick the worker lcores: main alone, or the first remote ones. */
static void
tt_pick_lcores(struct tt_main *m)
{
	unsigned int lcore, n = 0;

	m->n_workers = m->cfg.workers;
	if (m->n_workers > DP_MAX_WORKERS)
		tt_die(TT_EXIT_USAGE, "workers: %u: at most %u", m->n_workers,
		       DP_MAX_WORKERS);
	if (rte_lcore_count() < m->n_workers)
		tt_die(TT_EXIT_USAGE,
		       "workers: %u but only %u lcores: give "
		       "the EAL at least %u (-l)",
		       m->n_workers, rte_lcore_count(), m->n_workers);
	m->main_is_worker = rte_lcore_count() == m->n_workers;
	if (m->main_is_worker)
		m->lcores[n++] = rte_get_main_lcore();
	RTE_LCORE_FOREACH_WORKER(lcore) {
		if (n == m->n_workers)
			break;
		m->lcores[n++] = lcore;
	}
}

static void
tt_mempool(struct tt_main *m)
{
	/* Everything that holds mbufs at once, steering rings included. */
	unsigned int n = dp_mbuf_pool_size(m->n_workers, m->cfg.n_ports,
					   TT_MBUF_CACHE, m->main_is_worker);

	n = RTE_MAX(n, (unsigned int)TT_MIN_MBUFS);
	m->mp = rte_pktmbuf_pool_create("tt_mbufs", n, TT_MBUF_CACHE, 0,
					RTE_MBUF_DEFAULT_BUF_SIZE,
					rte_socket_id());
	if (m->mp == NULL)
		tt_die(TT_EXIT_RUNTIME,
		       "cannot create the mbuf pool (%u "
		       "mbufs): %s",
		       n, rte_strerror(rte_errno));
}

static void
tt_port(struct tt_main *m, unsigned int i)
{
	const struct cfg_port *cp = &m->cfg.ports[i];
	char list[256];
	int ret;

	ret = dp_port_init(&m->ports[i], cp, m->mp, m->n_workers);
	if (ret == -ENOTSUP)
		tt_die(TT_EXIT_USAGE,
		       "port %s: steering: hardware, but the "
		       "device cannot steer %u workers by RSS (use auto or "
		       "software)",
		       cp->device, m->n_workers);
	if (ret == -ENODEV)
		tt_die(TT_EXIT_USAGE,
		       "port device '%s' not found (for a vdev "
		       "give --vdev=%s,... to the EAL); available ports: %s",
		       cp->device, cp->device,
		       dp_port_list(list, sizeof(list)));
	if (ret == -ENOBUFS && dp_port_desc_check(&m->ports[i]) < 0)
		tt_die(TT_EXIT_RUNTIME,
		       "port %s: the device takes %u RX and %u TX "
		       "descriptors per queue, more than the %u the mbuf pool "
		       "reserves for each",
		       cp->device, m->ports[i].nb_rxd, m->ports[i].nb_txd,
		       DP_POOL_DESC);
	if (ret < 0)
		tt_die(TT_EXIT_RUNTIME, "port %s: setup failed: %s", cp->device,
		       strerror(-ret));
	m->n_ports_up = i + 1;
}

/* Every configured port, in order. */
static void
tt_ports(struct tt_main *m)
{
	unsigned int i;

	if (m->cfg.n_ports > DP_MAX_PORTS)
		tt_die(TT_EXIT_USAGE, "ports: %u configured, at most %u",
		       m->cfg.n_ports, DP_MAX_PORTS);
	for (i = 0; i < m->cfg.n_ports; i++)
		tt_port(m, i);
	/* The links come up together: wait for each in turn. */
	for (i = 0; i < m->cfg.n_ports; i++)
		m->link[i] = dp_port_wait_link(&m->ports[i], TT_LINK_WAIT_MS);
}

/* ISN secrets are per core: each draws its own. */
static void
tt_tcp_secret(struct tcp_params *p)
{
	if (getrandom(p->isn_secret, sizeof(p->isn_secret), 0) !=
	    (ssize_t)sizeof(p->isn_secret))
		tt_die(TT_EXIT_RUNTIME, "getrandom: %s", strerror(errno));
}

/* One core's state and TCP context, on the core's NUMA node. */
static void
tt_core(struct tt_main *m, unsigned int w, struct tcp_params *p)
{
	unsigned int lcore = m->lcores[w];
	struct dp_core *core;
	struct tcp_ctx *tcp;
	int ret;

	tt_tcp_secret(p);
	core = rte_zmalloc_socket("dp_core", sizeof(*core), RTE_CACHE_LINE_SIZE,
				  (int)rte_lcore_to_socket_id(lcore));
	if (core == NULL)
		tt_die(TT_EXIT_RUNTIME, "worker %u: out of memory", w);
	dp_core_init(core, lcore, w, m->n_workers, m->ports, m->cfg.n_ports,
		     m->mp, NULL);
	dp_core_attach(core, &m->steer);
	tcp = tcp_ctx_create(p, dp_now_us(core));
	if (tcp == NULL)
		tt_die(TT_EXIT_RUNTIME,
		       "worker %u: cannot allocate the TCP "
		       "context (max_connections %u, max_time_wait %u)",
		       w, p->max_connections, p->max_time_wait);
	core->tcp = tcp;
	m->cores[w] = core;
	ret = app_listen_all(tcp, &m->cfg);
	if (ret < 0)
		tt_die(TT_EXIT_RUNTIME, "listeners: %s", strerror(-ret));
}

static void
tt_cores(struct tt_main *m)
{
	struct tcp_params p;
	unsigned int w;
	int ret;

	app_tcp_params(&m->cfg, m->n_workers, &p);
	ret = dp_steer_create_ports(&m->steer, m->n_workers, m->ports,
				    m->cfg.n_ports, (int)rte_socket_id());
	if (ret < 0)
		tt_die(TT_EXIT_RUNTIME, "steering rings for %u workers: %s",
		       m->n_workers, strerror(-ret));
	for (w = 0; w < m->n_workers; w++)
		tt_core(m, w, &p);
	ret = dp_telemetry_register(m->cores, m->n_workers);
	if (ret == 0)
		ret = dp_drain_telemetry_register();
	if (ret < 0)
		fprintf(stderr, "tcpterm: telemetry: %s (continuing)\n",
			strerror(-ret));
}

/* Names of the offload bits in mask, comma separated ("none" if 0). */
static const char *
tt_offload_names(uint64_t mask, bool rx, char *buf, size_t len)
{
	size_t used = 0;
	unsigned int b;

	buf[0] = '\0';
	for (b = 0; b < 64 && used < len; b++) {
		if ((mask & RTE_BIT64(b)) == 0)
			continue;
		used += snprintf(
			buf + used, len - used, "%s%s", used ? "," : "",
			rx ? rte_eth_dev_rx_offload_name(RTE_BIT64(b)) :
			     rte_eth_dev_tx_offload_name(RTE_BIT64(b)));
	}
	if (used == 0)
		snprintf(buf, len, "none");
	return buf;
}

/* IPv6 of a port: address, gateway6, how ND's multicast gets in. */
static void
tt_print_port6(const struct dp_port *p)
{
	char a[NET_IPV6_FMT_LEN], g[NET_IPV6_FMT_LEN];

	printf("tcpterm: port %u (%s) ipv6 %s/%u%s%s, tcp checksums in %s; "
	       "nd: %s\n",
	       p->port_id, p->name, net_ipv6_fmt(p->addr6, a), p->prefix6_len,
	       p->has_gateway6 ? " gateway6 " : "",
	       p->has_gateway6 ? net_ipv6_fmt(p->gateway6, g) : "",
	       p->tx_csum6 ? "hardware" : "software",
	       p->mcast_how != NULL ? p->mcast_how : "-");
}

static void
tt_print_port(const struct tt_main *m, unsigned int pi)
{
	const struct dp_port *p = &m->ports[pi];
	const struct cfg_port *cp = &m->cfg.ports[pi];
	char a[16], g[16], on[256], off[256];

	printf("tcpterm: port %u (%s) mac " RTE_ETHER_ADDR_PRT_FMT
	       " addr %s/%u%s%s, link %s\n",
	       p->port_id, p->name, p->mac[0], p->mac[1], p->mac[2], p->mac[3],
	       p->mac[4], p->mac[5], net_ipv4_fmt(p->addr, a), cp->prefix_len,
	       p->gateway ? " gateway " : "",
	       p->gateway ? net_ipv4_fmt(p->gateway, g) : "",
	       m->link[pi] ? "up" : "down (continuing)");
	if (p->has_ipv6)
		tt_print_port6(p);
	printf("tcpterm: rx offloads %s (masked, device lacks: %s): "
	       "checksums in %s\n",
	       tt_offload_names(p->rx_offloads_wanted & ~p->rx_offloads_masked,
				true, on, sizeof(on)),
	       tt_offload_names(p->rx_offloads_masked, true, off, sizeof(off)),
	       p->rx_csum ? "hardware" : "software");
	printf("tcpterm: tx offloads %s (masked, device lacks: %s): "
	       "checksums in %s\n",
	       tt_offload_names(p->tx_offloads_wanted & ~p->tx_offloads_masked,
				false, on, sizeof(on)),
	       tt_offload_names(p->tx_offloads_masked, false, off, sizeof(off)),
	       p->tx_csum ? "hardware" : "software");
}

/* RSS hash types by name (the two asked for), others as hex. */
static const char *
tt_rss_hf_names(uint64_t hf, char *buf, size_t len)
{
	static const struct {
		uint64_t bit;
		const char *name;
	} names[] = {
		{ RTE_ETH_RSS_NONFRAG_IPV4_TCP, "ipv4-tcp" },
		{ RTE_ETH_RSS_IPV4, "ipv4" },
		{ RTE_ETH_RSS_NONFRAG_IPV6_TCP, "ipv6-tcp" },
		{ RTE_ETH_RSS_IPV6, "ipv6" },
	};
	size_t used = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < RTE_DIM(names); i++) {
		if ((hf & names[i].bit) == 0)
			continue;
		hf &= ~names[i].bit;
		used += snprintf(buf + used, len - used, "%s%s",
				 used ? "," : "", names[i].name);
	}
	if (hf != 0 && used < len)
		used += snprintf(buf + used, len - used, "%s0x%" PRIx64,
				 used ? "," : "", hf);
	if (used == 0)
		snprintf(buf, len, "none");
	return buf;
}

/* Steering mode of port pi and which of its queues each worker owns. */
static void
tt_print_steering(const struct tt_main *m, unsigned int pi)
{
	const struct dp_port *p = &m->ports[pi];
	char on[64], off[64];
	unsigned int i;

	printf("tcpterm: port %u (%s) steering %s (%s): %u rx / %u tx "
	       "queues, %u workers, RETA %u entries\n",
	       p->port_id, p->name, dp_steer_mode_name(p->steer), p->steer_why,
	       p->nb_rxq, p->nb_txq, m->n_workers, p->reta_size);
	if (m->n_workers > 1)
		printf("tcpterm: port %u rss_hf %s (masked, device lacks: %s)"
		       "%s\n",
		       p->port_id,
		       tt_rss_hf_names(p->rss_hf_wanted & ~p->rss_hf_masked, on,
				       sizeof(on)),
		       tt_rss_hf_names(p->rss_hf_masked, off, sizeof(off)),
		       p->steer == DP_STEER_HARDWARE ?
			       "" :
			       ", not used: steering in software");
	for (i = 0; i < m->n_workers; i++) {
		const struct dp_core_port *c = &m->cores[i]->ports[pi];

		printf("tcpterm: worker %u on lcore %u%s: port %u rx queue ", i,
		       m->cores[i]->lcore,
		       m->main_is_worker && i == 0 ?
			       " (main lcore, also control)" :
			       "",
		       p->port_id);
		if (c->rxq == DP_NO_QUEUE)
			printf("none (steered packets only)");
		else
			printf("%u", c->rxq);
		if (c->txq == DP_NO_QUEUE)
			printf(", tx via worker %u\n", i % p->nb_txq);
		else
			printf(", tx queue %u\n", c->txq);
	}
}

/* A listener answers on the addresses of its family on every port. */
static void
tt_print_listener(const struct tt_main *m, const struct cfg_listener *l)
{
	char a[NET_IPV6_FMT_LEN];
	const struct dp_port *p;
	unsigned int i;

	for (i = 0; i < m->cfg.n_ports; i++) {
		p = &m->ports[i];
		if (p->addr != 0 && l->family != CFG_FAMILY_IPV6)
			printf("tcpterm: listen %s:%u app %s close %s\n",
			       net_ipv4_fmt(p->addr, a), l->port,
			       cfg_app_name(l->app), cfg_close_name(l->close));
		if (p->has_ipv6 && l->family != CFG_FAMILY_IPV4)
			printf("tcpterm: listen [%s]:%u app %s close %s\n",
			       net_ipv6_fmt(p->addr6, a), l->port,
			       cfg_app_name(l->app), cfg_close_name(l->close));
	}
}

/*
 * The address listener l is reached at over family f (CFG_FAMILY_IPV4 or
 * CFG_FAMILY_IPV6), written into a: the first port's address of that
 * family. False when the listener does not take f or no port has it.
 */
static bool
tt_listener_addr(const struct tt_main *m, const struct cfg_listener *l,
		 enum cfg_family f, char *a)
{
	const struct dp_port *p;
	unsigned int i;

	if (l->family != CFG_FAMILY_BOTH && l->family != f)
		return false;
	for (i = 0; i < m->cfg.n_ports; i++) {
		p = &m->ports[i];
		if (f == CFG_FAMILY_IPV4 && p->addr != 0) {
			net_ipv4_fmt(p->addr, a);
			return true;
		}
		if (f == CFG_FAMILY_IPV6 && p->has_ipv6) {
			net_ipv6_fmt(p->addr6, a);
			return true;
		}
	}
	return false;
}

/*
 * A command that reaches listener l, once per family it is reached on:
 * curl for an http listener (an IPv6 address in brackets, port 80 left
 * out), nc for another.
 */
static void
tt_print_try_listener(const struct tt_main *m, const struct cfg_listener *l)
{
	static const enum cfg_family fams[] = { CFG_FAMILY_IPV4,
						CFG_FAMILY_IPV6 };
	char a[NET_IPV6_FMT_LEN], port[8] = "";
	const char *lb, *rb;
	unsigned int i;

	if (l->port != 80)
		snprintf(port, sizeof(port), ":%u", l->port);
	for (i = 0; i < RTE_DIM(fams); i++) {
		if (!tt_listener_addr(m, l, fams[i], a))
			continue;
		lb = fams[i] == CFG_FAMILY_IPV6 ? "[" : "";
		rb = fams[i] == CFG_FAMILY_IPV6 ? "]" : "";
		if (l->app == CFG_APP_HTTP)
			printf("  try: curl http://%s%s%s%s/\n", lb, a, rb,
			       port);
		else
			printf("  try: nc %s %u\n", a, l->port);
	}
}

/*
 * What to try once ready: every http listener with curl, else the first
 * listener with nc; each at the addresses that reach it, so that an
 * IPv6-only listener or port is never shown at an IPv4 address.
 */
static void
tt_print_try(const struct tt_main *m)
{
	const struct cfg *c = &m->cfg;
	bool http = false;
	unsigned int i;

	for (i = 0; i < c->n_listeners; i++)
		if (c->listeners[i].app == CFG_APP_HTTP) {
			tt_print_try_listener(m, &c->listeners[i]);
			http = true;
		}
	if (!http && c->n_listeners != 0)
		tt_print_try_listener(m, &c->listeners[0]);
}

static void
tt_print_start(const struct tt_main *m)
{
	const struct cfg *c = &m->cfg;
	struct tcp_mem_pool pools[TCP_MEM_POOLS];
	size_t mem = 0;
	unsigned int i, n;

	for (i = 0; i < c->n_ports; i++)
		tt_print_port(m, i);
	for (i = 0; i < c->n_listeners; i++)
		tt_print_listener(m, &c->listeners[i]);
	for (i = 0; i < c->n_ports; i++)
		tt_print_steering(m, i);
	for (i = 0; i < m->n_workers; i++)
		mem += tcp_ctx_mem_bytes(m->cores[i]->tcp);
	printf("tcpterm: memory: tcp %.1f MiB (%u worker%s), mbufs %u x %u "
	       "bytes\n",
	       (double)mem / (1 << 20), m->n_workers,
	       m->n_workers == 1 ? "" : "s", m->mp->size,
	       (unsigned int)m->mp->elt_size);
	n = tcp_ctx_mem_pools(m->cores[0]->tcp, pools, TCP_MEM_POOLS);
	printf("tcpterm: memory per worker:");
	for (i = 0; i < n; i++)
		printf(" %s %.1f MiB%s", pools[i].name,
		       (double)pools[i].bytes / (1 << 20),
		       i + 1 < n ? "," : "\n");
	printf("tcpterm: ready\n");
	tt_print_try(m);
	printf("  telemetry: dpdk-telemetry.py (/tcpterm/states, "
	       "/tcpterm/stats, /tcpterm/cores)\n");
	fflush(stdout);
}

/* Run the workers until quit; returns when they have all stopped. */
static void
tt_run(struct tt_main *m)
{
	struct dp_control ctl = {
		.fn = tt_control,
		.arg = m,
		.period_us = TT_CONTROL_PERIOD_US,
	};
	unsigned int w;
	int ret;

	for (w = m->main_is_worker ? 1 : 0; w < m->n_workers; w++) {
		ret = rte_eal_remote_launch(dp_worker_main, m->cores[w],
					    m->lcores[w]);
		if (ret != 0) {
			fprintf(stderr,
				"tcpterm: cannot launch worker %u on "
				"lcore %u: %s\n",
				w, m->lcores[w], strerror(-ret));
			dp_quit_set();
		}
	}
	if (m->main_is_worker) {
		dp_worker_run(m->cores[0], &ctl);
		rte_eal_mp_wait_lcore();
		return;
	}
	while (!dp_quit_requested()) {
		usleep(TT_CONTROL_PERIOD_US);
		tt_control(m, dp_now_us(m->cores[0]));
	}
	rte_eal_mp_wait_lcore();
}

static void
tt_teardown(struct tt_main *m)
{
	unsigned int w, i;

	tt_metrics_stop();
	dp_telemetry_detach();
	for (i = 0; i < m->n_ports_up; i++)
		dp_port_close(&m->ports[i]);
	dp_steer_free(&m->steer);
	for (w = 0; w < m->n_workers; w++) {
		if (m->cores[w] == NULL)
			continue;
		tcp_ctx_destroy(m->cores[w]->tcp);
		rte_free(m->cores[w]);
	}
	rte_mempool_free(m->mp);
}

int
main(int argc, char **argv)
{
	static struct tt_main m;
	struct sigaction sa;
	struct tt_opts o;
	int sep, ret;

	/* EAL options before "--", ours after it (behind the program name). */
	sep = tt_split_args(argc, argv);
	if (sep < argc) {
		argv[sep] = argv[0];
		ret = tt_cli_parse(argc - sep, argv + sep, &o);
	} else {
		ret = tt_cli_parse(1, argv, &o);
	}
	if (ret != 0)
		return ret > 0 ? TT_EXIT_OK : TT_EXIT_USAGE;
	if (tt_config_load(&o, &m.cfg) != 0)
		return TT_EXIT_USAGE;
	if (o.print_config) {
		cfg_dump(&m.cfg, stdout);
		return TT_EXIT_OK;
	}

	if (tt_tap_check(sep, argv) < 0)
		return TT_EXIT_USAGE;
	rte_set_application_usage_hook(tt_eal_usage);
	ret = rte_eal_init(sep, argv);
	if (ret < 0)
		tt_eal_failed(rte_errno);
	/*
	 * Let dpdk-dumpcap (a secondary process) capture: the packet
	 * capture callbacks cost nothing until a capture is enabled.
	 */
	if (rte_pdump_init() < 0)
		fprintf(stderr,
			"tcpterm: packet capture unavailable: %s "
			"(continuing)\n",
			rte_strerror(rte_errno));
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = tt_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);

	tt_pick_lcores(&m);
	tt_mempool(&m);
	tt_ports(&m);
	tt_cores(&m);
	tt_stats_init(&m.stats, m.cores, m.n_workers, m.cfg.stats.interval_ms);
	ret = tt_metrics_start(&m.cfg.metrics, m.cores, m.n_workers);
	if (ret < 0)
		tt_die(TT_EXIT_RUNTIME,
		       "metrics: cannot listen on %u.%u.%u.%u:%u: "
		       "%s",
		       m.cfg.metrics.addr >> 24,
		       (m.cfg.metrics.addr >> 16) & 0xff,
		       (m.cfg.metrics.addr >> 8) & 0xff,
		       m.cfg.metrics.addr & 0xff, m.cfg.metrics.port,
		       strerror(-ret));
	tt_drain_init(&m.drain, m.cores, m.n_workers, &m.cfg.drain);
	tt_print_start(&m);

	tt_run(&m);

	printf("tcpterm: stopping\n");
	tt_stats_summary(&m.stats, stdout);
	tt_teardown(&m);
	rte_pdump_uninit();
	rte_eal_cleanup();
	return TT_EXIT_OK;
}
