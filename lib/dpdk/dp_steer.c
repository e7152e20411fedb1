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

static struct rte_ring *
dp_steer_ring(const char *kind, unsigned int from, unsigned int to,
	      int socket)
{
	char name[RTE_RING_NAMESIZE];

	snprintf(name, sizeof(name), "tt_%s_%u_%u", kind, from, to);
	return rte_ring_create(name, DP_STEER_RING, socket, DP_RING_FLAGS);
}

int
dp_steer_create(struct dp_steer *s, unsigned int n_workers, int socket)
{
	unsigned int f, t;

	memset(s, 0, sizeof(*s));
	s->n_workers = n_workers;
	if (n_workers <= 1)
		return 0;
	for (f = 0; f < n_workers; f++) {
		s->tx[f] = dp_steer_ring("tx", f, f, socket);
		if (s->tx[f] == NULL)
			goto fail;
		for (t = 0; t < n_workers; t++) {
			if (f == t)
				continue;
			s->ring[f][t] = dp_steer_ring("st", f, t, socket);
			if (s->ring[f][t] == NULL)
				goto fail;
		}
	}
	return 0;
fail:
	dp_steer_free(s);
	return -ENOMEM;
}

static void
dp_ring_drain_free(struct rte_ring *r)
{
	struct rte_mbuf *m[DP_STEER_BURST];
	unsigned int n;

	if (r == NULL)
		return;
	while ((n = rte_ring_dequeue_burst(r, (void **)m, RTE_DIM(m),
					   NULL)) != 0)
		rte_pktmbuf_free_bulk(m, n);
	rte_ring_free(r);
}

void
dp_steer_free(struct dp_steer *s)
{
	unsigned int f, t;

	for (f = 0; f < DP_MAX_WORKERS; f++) {
		dp_ring_drain_free(s->tx[f]);
		s->tx[f] = NULL;
		for (t = 0; t < DP_MAX_WORKERS; t++) {
			dp_ring_drain_free(s->ring[f][t]);
			s->ring[f][t] = NULL;
		}
	}
}

void
dp_core_attach(struct dp_core *core, const struct dp_steer *s)
{
	const struct dp_port *p = core->port;
	unsigned int w = core->worker, o;

	core->rxq = w < p->nb_rxq ? w : DP_NO_QUEUE;
	core->txq = w < p->nb_txq ? w : DP_NO_QUEUE;
	core->n_tx_in = 0;
	core->tx_out = NULL;
	if (s->n_workers <= 1)
		return;
	for (o = 0; o < s->n_workers; o++) {
		core->ring_out[o] = s->ring[w][o];
		core->ring_in[o] = s->ring[o][w];
		/* Workers beyond the TX queues send through o % nb_txq. */
		if (o >= p->nb_txq && o % p->nb_txq == w)
			core->tx_in[core->n_tx_in++] = s->tx[o];
	}
	if (core->txq == DP_NO_QUEUE)
		core->tx_out = s->tx[w];
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
dp_steer_tx(struct dp_core *core, struct rte_mbuf **m, uint16_t n)
{
	unsigned int sent;

	sent = rte_ring_sp_enqueue_burst(core->tx_out, (void **)m, n, NULL);
	core->cnt.tx_handoff += sent;
	if (sent < n) {
		core->cnt.tx_drop += n - sent;
		rte_pktmbuf_free_bulk(&m[sent], n - sent);
	}
}

/* Transmit frames of workers that have no TX queue of their own. */
static unsigned int
dp_steer_tx_poll(struct dp_core *core)
{
	struct rte_mbuf *m[DP_TX_BURST];
	unsigned int i, j, n, total = 0;

	for (i = 0; i < core->n_tx_in; i++) {
		n = rte_ring_sc_dequeue_burst(core->tx_in[i], (void **)m,
					      RTE_DIM(m), NULL);
		for (j = 0; j < n; j++)
			dp_tx_enqueue(core, m[j]);
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
	if (core->n_tx_in != 0)
		total += dp_steer_tx_poll(core);
	return total;
}
