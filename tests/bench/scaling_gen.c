/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The benchmark's stateless HTTP client: every reply is computed from the
 * server's segment alone (its ACK is our next sequence number).
 */
#include <string.h>

#include <rte_mbuf.h>
#include <rte_ring.h>

#include "scaling_bench.h"

#define SB_CLIENT_ISN 1000u
#define SB_FLOWS_PER_ADDR 50000u

static const char sb_request[] = "GET / HTTP/1.1\r\nHost: b\r\n\r\n";

/* Flow number n of client g: address 198.19.g.x, port 10000 + k. */
static void
sb_flow(const struct sb_gen *g, uint32_t n, uint32_t *addr, uint16_t *port)
{
	*addr = SB_CLIENT_NET | (g->id << 8) | ((n / SB_FLOWS_PER_ADDR) & 0xff);
	*port = (uint16_t)(10000 + n % SB_FLOWS_PER_ADDR);
}

/* The queue a client frame arrives on. */
static unsigned int
sb_queue(const struct sb_gen *g, uint32_t saddr, uint16_t sport)
{
	uint32_t h;

	if (g->n_q == 1)
		return 0;
	if (g->mode == SB_SOFT_STEERED)
		return (saddr >> 8) & 0xff; /* the creating client's */
	h = net_rss_tab_tcp4(g->port->rss_tab, saddr, SB_SERVER_IP, sport,
			     SB_HTTP_PORT);
	return dp_port_owner(g->port, h);
}

static void
sb_flush(struct sb_gen *g)
{
	unsigned int q, sent;

	for (q = 0; q < g->n_q; q++) {
		if (g->n_pending[q] == 0)
			continue;
		/* Only a queue's own client writes its ring (SPSC). */
		sent = rte_ring_sp_enqueue_burst(q == g->id ? g->rx :
							      g->hand_out[q],
						 (void **)g->pending[q],
						 g->n_pending[q], NULL);
		if (sent < g->n_pending[q]) {
			g->enq_fail += g->n_pending[q] - sent;
			rte_pktmbuf_free_bulk(&g->pending[q][sent],
					      g->n_pending[q] - sent);
		}
		g->n_pending[q] = 0;
	}
}

static void
sb_send(struct sb_gen *g, uint32_t saddr, uint16_t sport, uint32_t seq,
	uint32_t ack, uint8_t flags, const void *data, uint32_t len)
{
	struct net_tcp_build b = {
		.src_mac = g->gw_mac,
		.dst_mac = g->server_mac,
		.saddr = saddr,
		.daddr = SB_SERVER_IP,
		.sport = sport,
		.dport = SB_HTTP_PORT,
		.seq = seq,
		.ack = ack,
		.wnd = 65535,
		.flags = flags,
		.ttl = 64,
		.payload_len = len,
	};
	unsigned int q = sb_queue(g, saddr, sport);
	struct rte_mbuf *m = rte_pktmbuf_alloc(g->mp);
	uint8_t *f;
	uint32_t hlen;

	if (m == NULL) {
		g->enq_fail++;
		return;
	}
	if (flags & NET_TCP_SYN) {
		b.opts.has = NET_OPT_MSS;
		b.opts.mss = 1460;
	}
	f = rte_pktmbuf_mtod(m, uint8_t *);
	hlen = net_build_tcp(f, rte_pktmbuf_tailroom(m), &b);
	memcpy(f + hlen, data, len);
	net_tcp_finish(f, false);
	m->data_len = hlen + len;
	m->pkt_len = m->data_len;
	if (g->mode == SB_QUEUE_STEERED && g->n_q > 1) {
		/* What a device with our key and RETA reports. */
		m->hash.rss = net_rss_tab_tcp4(g->port->rss_tab, saddr,
					       SB_SERVER_IP, sport,
					       SB_HTTP_PORT);
		m->ol_flags |= RTE_MBUF_F_RX_RSS_HASH;
	}
	g->pending[q][g->n_pending[q]++] = m;
	if (g->n_pending[q] == RTE_DIM(g->pending[q]))
		sb_flush(g);
}

/* This client's flows not finished yet (others count some of them). */
static uint64_t
sb_in_flight(const struct sb_gen *g)
{
	uint64_t done = 0;
	unsigned int c;

	for (c = 0; c < g->n_q; c++)
		done += __atomic_load_n(&g->all[c].done_for[g->id],
					__ATOMIC_RELAXED);
	return g->started - done;
}

/* Deliver the frames other clients made for flows on our queue. */
static void
sb_gen_deliver(struct sb_gen *g)
{
	struct rte_mbuf *m[64];
	unsigned int c, n, sent;

	for (c = 0; c < g->n_q; c++) {
		if (g->hand_in[c] == NULL)
			continue;
		n = rte_ring_sc_dequeue_burst(g->hand_in[c], (void **)m,
					      RTE_DIM(m), NULL);
		if (n == 0)
			continue;
		sent = rte_ring_sp_enqueue_burst(g->rx, (void **)m, n, NULL);
		if (sent < n) {
			g->enq_fail += n - sent;
			rte_pktmbuf_free_bulk(&m[sent], n - sent);
		}
	}
}

void
sb_gen_inject(struct sb_gen *g)
{
	unsigned int burst = 0;
	uint32_t addr;
	uint16_t port;

	sb_gen_deliver(g);
	while (sb_in_flight(g) < g->concurrency && burst++ < 32) {
		sb_flow(g, g->next_flow++, &addr, &port);
		/* Queue-steered: a client only makes flows its worker owns. */
		if (g->mode == SB_QUEUE_STEERED && g->n_q > 1 &&
		    sb_queue(g, addr, port) != g->id)
			continue;
		sb_send(g, addr, port, SB_CLIENT_ISN, 0, NET_TCP_SYN, NULL, 0);
		g->started++;
	}
	sb_flush(g);
}

/* One frame from the server: reply as the client of that flow would. */
static void
sb_answer(struct sb_gen *g, const struct net_seg *s)
{
	unsigned int creator = (s->daddr >> 8) & 0xff;

	if (creator >= g->n_q)
		return;
	if (s->flags & NET_TCP_RST) {
		g->resets++;
		__atomic_store_n(&g->done_for[creator],
				 g->done_for[creator] + 1, __ATOMIC_RELAXED);
		return;
	}
	if ((s->flags & (NET_TCP_SYN | NET_TCP_ACK)) ==
	    (NET_TCP_SYN | NET_TCP_ACK)) {
		sb_send(g, s->daddr, s->dport, s->ack, s->seq + 1,
			NET_TCP_ACK | NET_TCP_PSH, sb_request,
			sizeof(sb_request) - 1);
		return;
	}
	if (s->flags & NET_TCP_FIN) {
		sb_send(g, s->daddr, s->dport, s->ack, s->seq + s->len + 1,
			NET_TCP_ACK | NET_TCP_FIN, NULL, 0);
		g->completed++;
		__atomic_store_n(&g->done_for[creator],
				 g->done_for[creator] + 1, __ATOMIC_RELAXED);
	}
}

unsigned int
sb_gen_consume(struct sb_gen *g)
{
	struct rte_mbuf *m[64];
	struct net_frame f;
	unsigned int n, i;

	n = rte_ring_dequeue_burst(g->tx, (void **)m, RTE_DIM(m), NULL);
	for (i = 0; i < n; i++) {
		if (net_parse(rte_pktmbuf_mtod(m[i], const uint8_t *),
			      m[i]->data_len, NET_CSUM_GOOD, NET_CSUM_GOOD,
			      &f) == NET_DROP_NONE &&
		    f.kind == NET_KIND_TCP)
			sb_answer(g, &f.seg);
	}
	rte_pktmbuf_free_bulk(m, n);
	sb_flush(g);
	return n;
}
