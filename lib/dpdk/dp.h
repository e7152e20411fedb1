/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * DPDK glue: port and queue setup, the per-lcore worker loop, mbuf <->
 * segment conversion, a per-core neighbour cache and telemetry.
 *
 * Everything a worker touches lives in its own cache-aligned struct
 * dp_core, passed explicitly. The only mutable global is the quit flag.
 * Library code returns 0 / -errno and never prints: the caller reports.
 */
#ifndef TT_DP_H
#define TT_DP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rte_common.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "config.h"
#include "net.h"
#include "tcp.h"

#define DP_RX_BURST 32
#define DP_TX_BURST 32
#define DP_TIMER_BUDGET 256
#define DP_DRAIN_US 100
#define DP_NEIGH_BITS 8
#define DP_NEIGH_SIZE (1u << DP_NEIGH_BITS)	/* entries per core */
#define DP_ARP_RETRY_US 100000	/* one ARP request per address per 100 ms */
#define DP_MAX_WORKERS 64

/*
 * Glue counters, declared once: struct dp_counters fields and
 * dp_counter_name().
 */
#define DP_COUNTERS(X) \
	X(rx_packets) \
	X(tx_packets) \
	X(rx_bytes) \
	X(tx_bytes) \
	X(arp_requests_rx) \
	X(arp_replies_rx) \
	X(arp_replies_tx) \
	X(arp_requests_tx) \
	X(arp_learned) \
	X(icmp_echo_replies) \
	X(neigh_miss) \
	X(arp_rate_limited) \
	X(tx_drop) \
	X(tx_alloc_fail) \
	X(tx_build_fail) \
	X(rx_nonlinear_drop) \
	X(ownership_violations)

struct dp_counters {
#define DP_COUNTER_FIELD(n) uint64_t n;
	DP_COUNTERS(DP_COUNTER_FIELD)
#undef DP_COUNTER_FIELD
};

#define DP_COUNTER_COUNT (sizeof(struct dp_counters) / sizeof(uint64_t))

/* Name of glue counter i (0 <= i < DP_COUNTER_COUNT). */
const char *dp_counter_name(unsigned int i);

/* A configured port, filled by dp_port_init(); read-only afterwards. */
struct dp_port {
	uint16_t port_id;
	uint16_t nb_rxq;
	uint16_t nb_txq;
	uint16_t nb_rxd;
	uint16_t nb_txd;
	uint8_t mac[NET_ETH_ALEN];
	uint32_t addr;		/* host order */
	uint32_t mask;		/* host order, from the prefix length */
	uint32_t gateway;	/* 0 when none */
	bool rx_csum;		/* RX IPv4 + TCP checksum offload in use */
	bool tx_csum;		/* TX IPv4 + TCP checksum offload in use */
	/* Offloads asked for, and those of them the device cannot do. */
	uint64_t rx_offloads_wanted;
	uint64_t rx_offloads_masked;
	uint64_t tx_offloads_wanted;
	uint64_t tx_offloads_masked;
	char name[64];
};

/*
 * Find the device cp->device, configure nb_q RX and TX queues (queue i
 * uses mp), turn promiscuous mode off and start it. Offloads the device
 * lacks are masked and recorded in p. Returns 0, -ENODEV when no device
 * has that name, or another negative errno from ethdev.
 */
int dp_port_init(struct dp_port *p, const struct cfg_port *cp,
		 struct rte_mempool *mp, uint16_t nb_q);

/* Wait up to timeout_ms for the link; returns true when it is up. */
bool dp_port_wait_link(const struct dp_port *p, unsigned int timeout_ms);

/* Stop and close the port. */
void dp_port_close(struct dp_port *p);

/*
 * Write the names of the ethdev ports that exist into buf, separated by
 * ", " ("none" when there is no port). Returns buf.
 */
char *dp_port_list(char *buf, size_t len);

/* Neighbour cache entry: IPv4 -> MAC, plus the ARP rate limiter. */
struct dp_neigh_entry {
	uint32_t addr;		/* 0 = free */
	uint8_t mac[NET_ETH_ALEN];
	uint8_t valid;		/* mac is known */
	uint64_t req_us;	/* when an ARP request was last sent */
};

struct dp_neigh {
	struct dp_neigh_entry e[DP_NEIGH_SIZE];
};

struct dp_txbuf {
	uint16_t n;
	struct rte_mbuf *m[DP_TX_BURST];
};

/* Everything one worker lcore owns. */
struct dp_core {
	unsigned int lcore;
	unsigned int worker;		/* index among workers */
	unsigned int n_workers;
	const struct dp_port *port;
	uint16_t rxq;
	uint16_t txq;
	uint16_t ip_id;
	struct rte_mempool *mp;
	struct tcp_ctx *tcp;
	/* Time: us = ((tsc - tsc0) * tsc_mult) >> 32. */
	uint64_t tsc0;
	uint64_t tsc_mult;
	uint64_t drain_tsc;
	struct dp_txbuf tx;
	struct dp_counters cnt;
	uint64_t drops[NET_DROP_MAX];
	struct dp_neigh neigh;
} __rte_cache_aligned;

/*
 * Prepare a core's state (zeroes it first). tcp is the core's context,
 * owned by the caller.
 */
void dp_core_init(struct dp_core *core, unsigned int lcore,
		  unsigned int worker, unsigned int n_workers,
		  const struct dp_port *port, struct rte_mempool *mp,
		  struct tcp_ctx *tcp);

/* Microseconds since dp_core_init(), from the TSC. */
uint64_t dp_now_us(const struct dp_core *core);

/*
 * Control work run by the worker loop between polls when the worker is
 * the main lcore (stats line and the like). Called about every
 * period_us; must be short.
 */
struct dp_control {
	void (*fn)(void *arg, uint64_t now_us);
	void *arg;
	uint64_t period_us;
};

/*
 * The worker loop: poll RX, run TCP, drain TX, run timers, until quit.
 * ctl may be NULL. On leaving, the TX batch is flushed. Returns 0.
 */
int dp_worker_run(struct dp_core *core, const struct dp_control *ctl);

/* Entry point for rte_eal_remote_launch(); arg is a struct dp_core. */
int dp_worker_main(void *arg);

/* The quit flag (async-signal safe to set). */
void dp_quit_set(void);
bool dp_quit_requested(void);

/* ---- Pieces of the loop, exposed for the worker and for tests ---- */

/* Handle an RX burst; every mbuf is consumed (sent back or freed). */
void dp_rx_burst(struct dp_core *core, struct rte_mbuf **m, uint16_t n,
		 uint64_t now);

/* Turn the TCP output queue into mbufs on the TX batch; empties it. */
void dp_tx_outq(struct dp_core *core, uint64_t now);

/* Add one frame to the TX batch (sends when the batch is full). */
void dp_tx_enqueue(struct dp_core *core, struct rte_mbuf *m);

/* Send the TX batch; frames the device refuses are freed and counted. */
void dp_tx_flush(struct dp_core *core);

/*
 * Next-hop MAC for a destination: on-link addresses directly, others via
 * the port's gateway. Returns 0 with mac filled, or -EAGAIN on a cache
 * miss (an ARP request has been queued, at most once per DP_ARP_RETRY_US
 * per address), or -ENETUNREACH (off-link and no gateway).
 */
int dp_neigh_resolve(struct dp_core *core, uint32_t daddr, uint64_t now,
		     uint8_t *mac);

/* Learn (or refresh) addr -> mac. */
void dp_neigh_learn(struct dp_core *core, uint32_t addr, const uint8_t *mac);

/* ---- Telemetry ---- */

/*
 * Register /tcpterm/states, /tcpterm/stats and /tcpterm/cores over the
 * given cores (the array must outlive the process's telemetry; it is read
 * without locks, counters may be a poll old). Call once, before launch.
 * Returns 0 or a negative errno.
 */
int dp_telemetry_register(struct dp_core *const *cores, unsigned int n);

/* Stop the telemetry commands from reading the cores (before freeing). */
void dp_telemetry_detach(void);

/* Sum of the counters of n cores. */
void dp_sum_tcp(struct dp_core *const *cores, unsigned int n,
		struct tcp_counters *out);
void dp_sum_glue(struct dp_core *const *cores, unsigned int n,
		 struct dp_counters *out);
void dp_sum_drops(struct dp_core *const *cores, unsigned int n,
		  uint64_t out[NET_DROP_MAX]);
void dp_sum_states(struct dp_core *const *cores, unsigned int n,
		   uint64_t out[TCP_STATE_MAX]);

#endif /* TT_DP_H */
