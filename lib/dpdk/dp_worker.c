/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The per-lcore loop: RX burst, TCP, timers, TSC-gated TX drain. Nothing
 * is allocated or logged inside.
 */
#include <string.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_mempool.h>

#include "dp_drain.h"
#include "dp_internal.h"

/* The only mutable global: set by a signal handler, read by the loops. */
static volatile int dp_quit;

void
dp_quit_set(void)
{
	__atomic_store_n(&dp_quit, 1, __ATOMIC_RELEASE);
}

bool
dp_quit_requested(void)
{
	return __atomic_load_n(&dp_quit, __ATOMIC_ACQUIRE) != 0;
}

void
dp_core_init(struct dp_core *core, unsigned int lcore, unsigned int worker,
	     unsigned int n_workers, const struct dp_port *ports,
	     unsigned int n_ports, struct rte_mempool *mp, struct tcp_ctx *tcp)
{
	uint64_t hz = rte_get_tsc_hz();
	unsigned int i;

	memset(core, 0, sizeof(*core));
	core->lcore = lcore;
	core->worker = worker;
	core->n_workers = n_workers;
	core->n_ports = n_ports;
	core->port_list = ports;
	for (i = 0; i < n_ports; i++) {
		core->ports[i].port = &ports[i];
		core->ports[i].rxq = worker;
		core->ports[i].txq = worker;
		dp_neigh_init(&core->ports[i]);
		dp_tx_port_init(&core->ports[i]);
		if (ports[i].has_ipv6)
			dp_neigh6_init(&core->ports[i]);
	}
	core->mp = mp;
	if (rte_lcore_id() == lcore)
		dp_core_bind(core);
	core->tcp = tcp;
	core->timer_budget = DP_TIMER_BUDGET;
	core->timer_slice_tsc = hz * DP_TIMER_SLICE_NS / 1000000000u;
	core->tsc0 = rte_rdtsc();
	/* 32.32 fixed point microseconds per tick. */
	core->tsc_mult = ((uint64_t)US_PER_S << 32) / hz;
	core->drain_tsc = hz / US_PER_S * DP_DRAIN_US;
}

void
dp_core_bind(struct dp_core *core)
{
	core->mp_cache = rte_mempool_default_cache(core->mp, rte_lcore_id());
}

static inline uint64_t
dp_tsc_to_us(const struct dp_core *core, uint64_t tsc)
{
	return (uint64_t)(((unsigned __int128)(tsc - core->tsc0) *
			   core->tsc_mult) >>
			  32);
}

uint64_t
dp_now_us(const struct dp_core *core)
{
	return dp_tsc_to_us(core, rte_rdtsc());
}

static uint64_t
dp_tsc_now(void *arg)
{
	(void)arg;
	return rte_rdtsc();
}

/*
 * Run due timers within the poll's budget and time slice. A poll that
 * spends the whole budget means a backlog is building (a mass expiry):
 * the next poll gets twice as much, up to DP_TIMER_BUDGET_MAX, so the
 * backlog is worked off in a bounded number of polls; one the slice cut
 * short keeps its budget (dp_timer_budget_next()). The TSC deadline
 * (DP_TIMER_SLICE_NS from now) bounds the poll's timer work by time
 * whatever an expiry costs, so that no single poll stalls the packets.
 */
static inline void
dp_worker_timers(struct dp_core *core, uint64_t now)
{
	struct wheel_clock clk = {
		.now = dp_tsc_now,
		.deadline = rte_rdtsc() + core->timer_slice_tsc,
	};
	uint64_t cuts = tcp_counters(core->tcp)->timer_deadline;
	uint32_t done = tcp_timers_until(core->tcp, now, core->timer_budget,
					 &clk);

	core->timer_budget =
		dp_timer_budget_next(core->timer_budget, done,
				     tcp_counters(core->tcp)->timer_deadline !=
					     cuts);
}

/* One RX burst from the worker's queue of port cp, if it has one. */
static inline unsigned int
dp_worker_rx(struct dp_core *core, struct dp_core_port *cp, uint64_t now)
{
	struct rte_mbuf *pkts[DP_RX_BURST];
	uint16_t nb;

	if (unlikely(cp->rxq == DP_NO_QUEUE))
		return 0;
	nb = rte_eth_rx_burst(cp->port->port_id, cp->rxq, pkts, DP_RX_BURST);
	if (nb != 0)
		dp_rx_burst(core, cp, pkts, nb, now);
	return nb;
}

unsigned int
dp_worker_poll(struct dp_core *core, uint64_t tsc, uint64_t *prev_drain)
{
	uint64_t now = dp_tsc_to_us(core, tsc);
	unsigned int got = 0, i;

	/* The l3fwd model: one RX queue of every port. */
	for (i = 0; i < core->n_ports; i++)
		got += dp_worker_rx(core, &core->ports[i], now);
	if (core->n_workers > 1)
		got += dp_steer_poll(core, now);

	dp_worker_timers(core, now);
	dp_list_serve(core, now);
	dp_tx_outq(core, now);
	if (unlikely(dp_drain_phase() != DP_DRAIN_NONE))
		dp_worker_drain(core, dp_drain_phase(), now);

	if (tsc - *prev_drain > core->drain_tsc) {
		dp_tx_flush(core);
		*prev_drain = tsc;
	}
	return got;
}

/* What the device still refuses at exit is dropped, and counted. */
static void
dp_worker_tx_discard(struct dp_core *core, struct dp_core_port *cp)
{
	if (cp->tx.n == 0)
		return;
	core->cnt.tx_drop += cp->tx.n;
	cp->cnt.tx_drop += cp->tx.n;
	rte_pktmbuf_free_bulk(cp->tx.m, cp->tx.n);
	cp->tx.n = 0;
	cp->tx.bytes = 0;
}

int
dp_worker_run(struct dp_core *core, const struct dp_control *ctl)
{
	uint64_t prev_drain = 0;
	uint64_t next_ctl = 0;
	uint64_t tsc, now;
	unsigned int i;

	dp_core_bind(core);
	while (!dp_quit_requested()) {
		tsc = rte_rdtsc();
		dp_worker_poll(core, tsc, &prev_drain);
		if (ctl != NULL) {
			now = dp_tsc_to_us(core, tsc);
			if (now < next_ctl)
				continue;
			ctl->fn(ctl->arg, now);
			next_ctl = now + ctl->period_us;
		}
	}
	dp_steer_flush(core);
	dp_neigh_flush(core);
	dp_tx_flush(core);
	for (i = 0; i < core->n_ports; i++)
		dp_worker_tx_discard(core, &core->ports[i]);
	return 0;
}

int
dp_worker_main(void *arg)
{
	return dp_worker_run(arg, NULL);
}
