/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Software steering: a single-producer single-consumer ring per (from, to)
 * pair of workers, filled and drained in bursts. A worker only ever
 * enqueues to its own out rings and dequeues from its own in rings, so no
 * ring operation is contended and nothing takes a lock.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_mbuf.h>
#include <rte_ring.h>

#include "dp_internal.h"

#define DP_RING_FLAGS (RING_F_SP_ENQ | RING_F_SC_DEQ)

unsigned int
dp_steer_ring_size(unsigned int n_workers)
{
	unsigned int size = DP_STEER_RING;

	if (n_workers <= 1)
		return size;
	while (size > DP_STEER_RING_MIN && (n_workers - 1) * size > DP_STEER_IN)
		size /= 2;
	return size;
}

/* A ring of size entries (size - 1 usable: no RING_F_EXACT_SZ). */
static struct rte_ring *
dp_steer_ring(const char *kind, unsigned int from, unsigned int to,
	      unsigned int size, int socket)
{
	char name[RTE_RING_NAMESIZE];

	snprintf(name, sizeof(name), "tt_%s_%u_%u", kind, from, to);
	return rte_ring_create(name, size, socket, DP_RING_FLAGS);
}

/*
 * The TX hand-off rings of worker f, one per port where it has no TX
 * queue (every port when ports is NULL): only those are attached
 * (dp_core_attach_port()).
 */
static int
dp_steer_tx_rings(struct dp_steer *s, unsigned int f,
		  const struct dp_port *ports, int socket)
{
	/* Port 0's keep their old name ("tx"). */
	static const char *const kind[] = {
		"tx", "tx1", "tx2", "tx3", "tx4", "tx5", "tx6", "tx7",
	};
	unsigned int p;

	RTE_BUILD_BUG_ON(RTE_DIM(kind) < DP_MAX_PORTS);
	for (p = 0; p < s->n_ports; p++) {
		if (ports != NULL && f < ports[p].nb_txq)
			continue;
		s->tx[p][f] = dp_steer_ring(kind[p], f, f, DP_STEER_RING,
					    socket);
		if (s->tx[p][f] == NULL)
			return -ENOMEM;
	}
	return 0;
}

int
dp_steer_create(struct dp_steer *s, unsigned int n_workers,
		unsigned int n_ports, int socket)
{
	return dp_steer_create_ports(s, n_workers, NULL, n_ports, socket);
}

int
dp_steer_create_ports(struct dp_steer *s, unsigned int n_workers,
		      const struct dp_port *ports, unsigned int n_ports,
		      int socket)
{
	unsigned int f, t;

	memset(s, 0, sizeof(*s));
	s->n_workers = n_workers;
	s->n_ports = n_ports;
	if (n_workers <= 1)
		return 0;
	for (f = 0; f < n_workers; f++) {
		if (dp_steer_tx_rings(s, f, ports, socket) < 0)
			goto fail;
		for (t = 0; t < n_workers; t++) {
			if (f == t)
				continue;
			s->ring[f][t] =
				dp_steer_ring("st", f, t,
					      dp_steer_ring_size(n_workers),
					      socket);
			if (s->ring[f][t] == NULL)
				goto fail;
		}
	}
	return 0;
fail:
	dp_steer_free(s);
	return -ENOMEM;
}

/*
 * Every ring full: the n(n - 1) steering rings (a stalled worker's
 * incoming rings fill while the others go on), the TX hand-off ring of
 * every worker and port (used by those without a TX queue there), and
 * each worker's buffers towards the n - 1 others.
 */
unsigned int
dp_steer_mbufs(unsigned int n_workers, unsigned int n_ports)
{
	unsigned int n = n_workers;

	if (n <= 1)
		return 0;
	return n * (n - 1) * (dp_steer_ring_size(n) - 1 + DP_STEER_BURST) +
		n * n_ports * (DP_STEER_RING - 1);
}

unsigned int
dp_mbuf_pool_size(unsigned int n_workers, unsigned int n_ports,
		  unsigned int cache, bool main_is_worker)
{
	/* RX and TX rings, TX batch and holding area, held frames. */
	unsigned int port = 2 * DP_POOL_DESC + DP_TX_HOLD +
		2 * NET_NEIGH_HOLD_MAX;
	/* A mempool cache holds up to 1.5 times its size before flushing. */
	unsigned int lcore_cache = cache + cache / 2;
	unsigned int worker = n_ports * port + DP_RX_BURST + TCP_OUTQ_SIZE +
		lcore_cache;
	/*
	 * A main lcore that is not a worker has a cache of its own too: it
	 * frees and allocates mbufs (the ports' setup and close, the rings
	 * drained at exit) through it, and what it keeps is gone from the
	 * workers.
	 */
	unsigned int main_cache = main_is_worker ? 0 : lcore_cache;

	return n_workers * worker + main_cache +
		dp_steer_mbufs(n_workers, n_ports);
}

static void
dp_ring_drain_free(struct rte_ring *r)
{
	struct rte_mbuf *m[DP_STEER_BURST];
	unsigned int n;

	if (r == NULL)
		return;
	while ((n = rte_ring_dequeue_burst(r, (void **)m, RTE_DIM(m), NULL)) !=
	       0)
		rte_pktmbuf_free_bulk(m, n);
	rte_ring_free(r);
}

void
dp_steer_free(struct dp_steer *s)
{
	unsigned int f, t, p;

	for (f = 0; f < DP_MAX_WORKERS; f++) {
		for (p = 0; p < DP_MAX_PORTS; p++) {
			dp_ring_drain_free(s->tx[p][f]);
			s->tx[p][f] = NULL;
		}
		for (t = 0; t < DP_MAX_WORKERS; t++) {
			dp_ring_drain_free(s->ring[f][t]);
			s->ring[f][t] = NULL;
		}
	}
}

/* The core's queues of port pi and its TX hand-off rings there. */
static void
dp_core_attach_port(struct dp_core *core, const struct dp_steer *s,
		    unsigned int pi)
{
	struct dp_core_port *cp = &core->ports[pi];
	const struct dp_port *p = cp->port;
	unsigned int w = core->worker, o;

	cp->rxq = w < p->nb_rxq ? w : DP_NO_QUEUE;
	cp->txq = w < p->nb_txq ? w : DP_NO_QUEUE;
	cp->n_tx_in = 0;
	cp->tx_out = NULL;
	if (s->n_workers <= 1)
		return;
	/* Workers beyond the port's TX queues send through o % nb_txq. */
	for (o = p->nb_txq; o < s->n_workers; o++)
		if (o % p->nb_txq == w)
			cp->tx_in[cp->n_tx_in++] = s->tx[pi][o];
	if (cp->txq == DP_NO_QUEUE)
		cp->tx_out = s->tx[pi][w];
}

void
dp_core_attach(struct dp_core *core, const struct dp_steer *s)
{
	unsigned int w = core->worker, o, pi;

	for (pi = 0; pi < core->n_ports; pi++)
		dp_core_attach_port(core, s, pi);
	if (s->n_workers <= 1)
		return;
	for (o = 0; o < s->n_workers; o++) {
		core->ring_out[o] = s->ring[w][o];
		core->ring_in[o] = s->ring[o][w];
	}
}

void
dp_steer_flush(struct dp_core *core)
{
	uint64_t pending = core->steer_pending;
	struct dp_steerbuf *b;
	unsigned int to, sent;

	while (pending != 0) {
		to = (unsigned int)__builtin_ctzll(pending);
		pending &= pending - 1;
		b = &core->out[to];
		sent = rte_ring_sp_enqueue_burst(core->ring_out[to],
						 (void **)b->m, b->n, NULL);
		core->cnt.steered_out += sent;
		if (sent < b->n) {
			core->cnt.steer_ring_full += b->n - sent;
			rte_pktmbuf_free_bulk(&b->m[sent], b->n - sent);
		}
		b->n = 0;
	}
	core->steer_pending = 0;
}

void
dp_steer_tx(struct dp_core *core, struct dp_core_port *cp, struct rte_mbuf **m,
	    uint16_t n)
{
	unsigned int sent;

	sent = rte_ring_sp_enqueue_burst(cp->tx_out, (void **)m, n, NULL);
	core->cnt.tx_handoff += sent;
	if (sent < n) {
		core->cnt.tx_drop += n - sent;
		cp->cnt.tx_drop += n - sent;
		rte_pktmbuf_free_bulk(&m[sent], n - sent);
	}
}

/* Transmit frames of workers that have no TX queue of port cp. */
static unsigned int
dp_steer_tx_poll(struct dp_core *core, struct dp_core_port *cp)
{
	struct rte_mbuf *m[DP_TX_BURST];
	unsigned int i, j, n, total = 0;

	for (i = 0; i < cp->n_tx_in; i++) {
		n = rte_ring_sc_dequeue_burst(cp->tx_in[i], (void **)m,
					      RTE_DIM(m), NULL);
		for (j = 0; j < n; j++)
			dp_tx_enqueue(core, cp, m[j]);
		total += n;
	}
	return total;
}

unsigned int
dp_steer_poll(struct dp_core *core, uint64_t now)
{
	struct rte_mbuf *m[DP_RX_BURST];
	unsigned int w, n, total = 0;

	for (w = 0; w < core->n_workers; w++) {
		if (core->ring_in[w] == NULL)
			continue;
		n = rte_ring_sc_dequeue_burst(core->ring_in[w], (void **)m,
					      RTE_DIM(m), NULL);
		if (n == 0)
			continue;
		core->cnt.steered_in += n;
		total += n;
		dp_rx_steered(core, m, (uint16_t)n, now);
	}
	for (w = 0; w < core->n_ports; w++)
		if (core->ports[w].n_tx_in != 0)
			total += dp_steer_tx_poll(core, &core->ports[w]);
	return total;
}
