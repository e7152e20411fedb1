/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Frames in and out: the TX batch, TCP, ARP and Neighbor Discovery frame
 * building, and the RX burst classified by lib/net; each direction
 * through its impairment stage (gen_imp.c) when fault injection is on.
 */
#include <string.h>

#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "gen.h"

/*
 * Send the TX queue. Frames the device does not take now stay queued
 * for the next poll (back-pressure: the caller opens no new connections
 * while the queue is long) instead of being dropped and retransmitted.
 */
static void gen_tx_queue(struct gen *g, struct rte_mbuf *m);

void
gen_tx_flush(struct gen *g)
{
	struct rte_mbuf *out[GEN_BURST];
	unsigned int n, i;
	uint16_t sent;

	if (g->imp_tx.on) {
		do {
			n = gen_imp_out(&g->imp_tx, rte_rdtsc(), out,
					GEN_BURST);
			for (i = 0; i < n; i++)
				gen_tx_queue(g, out[i]);
		} while (n == GEN_BURST);
	}
	if (g->ntx == 0)
		return;
	sent = rte_eth_tx_burst(g->port_id, 0, g->tx, g->ntx);
	g->c.tx_pkts += sent;
	if (sent < g->ntx)
		memmove(g->tx, g->tx + sent,
			sizeof(g->tx[0]) * (g->ntx - sent));
	g->ntx -= sent;
}

static void
gen_tx_queue(struct gen *g, struct rte_mbuf *m)
{
	if (g->ntx >= GEN_BURST)
		gen_tx_flush(g);
	if (g->ntx == GEN_TXQ) {
		/* The device has been refusing frames for long: drop. */
		g->c.tx_drop++;
		rte_pktmbuf_free(m);
		return;
	}
	g->c.tx_bytes += m->pkt_len;
	g->tx[g->ntx++] = m;
}

void
gen_tx(struct gen *g, struct rte_mbuf *m)
{
	struct rte_mbuf *out[3];
	unsigned int n, i;

	if (!g->imp_tx.on) {
		gen_tx_queue(g, m);
		return;
	}
	n = gen_imp_in(&g->imp_tx, m, rte_rdtsc(), out, g->mp);
	for (i = 0; i < n; i++)
		gen_tx_queue(g, out[i]);
}

/* Build one TCP frame (headers from b, then the payload) and queue it. */
int
gen_send_tcp(struct gen *g, const struct net_tcp_build *b,
	     const uint8_t *payload)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(g->mp);
	uint8_t *p;
	uint32_t hl;

	if (m == NULL) {
		g->c.no_mbuf++;
		return -1;
	}
	p = rte_pktmbuf_mtod(m, uint8_t *);
	hl = net_build_tcp(p, rte_pktmbuf_tailroom(m), b);
	if (hl == 0 || hl + b->payload_len > rte_pktmbuf_tailroom(m)) {
		rte_pktmbuf_free(m);
		g->c.no_mbuf++;
		return -1;
	}
	if (b->payload_len)
		memcpy(p + hl, payload, b->payload_len);
	net_tcp_finish(p, false);
	m->data_len = (uint16_t)(hl + b->payload_len);
	m->pkt_len = m->data_len;
	gen_tx(g, m);
	return 0;
}

/* Queue a frame of len bytes built in m, padded to the Ethernet minimum. */
static void
gen_tx_built(struct gen *g, struct rte_mbuf *m, uint32_t len)
{
	if (len < 60) {
		memset(rte_pktmbuf_mtod_offset(m, uint8_t *, len), 0, 60 - len);
		len = 60;
	}
	m->data_len = (uint16_t)len;
	m->pkt_len = len;
	gen_tx(g, m);
}

void
gen_send_arp(struct gen *g, uint16_t op, uint32_t spa, const uint8_t *tha,
	     uint32_t tpa)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(g->mp);
	uint32_t len;

	if (m == NULL) {
		g->c.no_mbuf++;
		return;
	}
	len = net_build_arp(rte_pktmbuf_mtod(m, uint8_t *),
			    rte_pktmbuf_tailroom(m), 0, op, g->mac, spa, tha,
			    tpa);
	gen_tx_built(g, m, len);
}

/*
 * A Neighbor Solicitation for the target from the source whose low 32
 * bits are src_low: multicast (address resolution) when dst_mac is NULL,
 * else unicast to the target (it learns the source from the option).
 */
void
gen_send_ns(struct gen *g, uint32_t src_low, const uint8_t *dst_mac)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(g->mp);
	uint8_t src6[NET_IPV6_ALEN];
	uint32_t len;

	if (m == NULL) {
		g->c.no_mbuf++;
		return;
	}
	gen_addr6_make(g->o.src6, src_low, src6);
	len = net_build_ns(rte_pktmbuf_mtod(m, uint8_t *),
			   rte_pktmbuf_tailroom(m), 0, g->mac, dst_mac, src6,
			   g->o.dst6);
	if (len == 0) {
		rte_pktmbuf_free(m);
		g->c.no_mbuf++;
		return;
	}
	gen_tx_built(g, m, len);
}

/* ARP: answer requests for our addresses, learn the target's MAC. */
static void
gen_arp_input(struct gen *g, const struct net_frame *f)
{
	/* Over IPv6 no IPv4 address is ours to answer for. */
	if (g->o.ipv6)
		return;
	if (f->arp_spa == g->o.dst && !g->o.dst_mac_set) {
		memcpy(g->o.dst_mac, f->arp_sha, NET_ETH_ALEN);
		g->o.dst_mac_set = true;
	}
	if (f->arp_op == NET_ARP_OP_REQUEST && gen_is_src(g, f->arp_tpa)) {
		gen_send_arp(g, NET_ARP_OP_REPLY, f->arp_tpa, f->arp_sha,
			     f->arp_spa);
		g->c.arp_replies++;
	}
}

/*
 * RFC 4861 7.2.4: answer a solicitation for any of our sources, from a
 * fresh mbuf (the received one is freed by the caller).
 */
static void
gen_nd_ns_input(struct gen *g, const uint8_t *p, const struct net_frame *f)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(g->mp);
	uint32_t len;

	if (m == NULL) {
		g->c.no_mbuf++;
		return;
	}
	len = gen_nd_answer(p, f, g->o.src6, g->o.src_lo, g->o.src_hi, g->mac,
			    rte_pktmbuf_mtod(m, uint8_t *),
			    rte_pktmbuf_tailroom(m));
	if (len == 0) {
		rte_pktmbuf_free(m);
		return;
	}
	g->c.nd_replies++;
	gen_tx_built(g, m, len);
}

/* An IPv6 frame: Neighbor Discovery, or a segment for a connection. */
static void
gen_rx6(struct gen *g, const uint8_t *p, const struct net_frame *f)
{
	if (!g->o.ipv6) {
		g->c.rx_invalid++;
		return;
	}
	if ((f->kind == NET_KIND_ND_NA || f->kind == NET_KIND_ND_NS) &&
	    !g->o.dst_mac_set)
		g->o.dst_mac_set = gen_nd_learn(p, f, g->o.dst6, g->o.dst_mac);
	if (f->kind == NET_KIND_ND_NS)
		gen_nd_ns_input(g, p, f);
	else if (f->kind == NET_KIND_TCP)
		gen_tcp_input(g, f);
}

/* Handle one received frame (after its impairment) and free it. */
static void
gen_rx_one(struct gen *g, struct rte_mbuf *m)
{
	const uint8_t *p = rte_pktmbuf_mtod(m, const uint8_t *);
	struct net_frame f;

	if (m->nb_segs != 1 ||
	    net_parse(p, m->data_len, NET_CSUM_UNKNOWN, NET_CSUM_UNKNOWN, &f) !=
		    NET_DROP_NONE) {
		g->c.rx_invalid++;
	} else if (f.family != NET_FAMILY_IPV4) {
		gen_rx6(g, p, &f);
	} else if (f.kind == NET_KIND_ARP) {
		gen_arp_input(g, &f);
	} else if (f.kind == NET_KIND_TCP && gen_is_flood_src(g, f.seg.daddr)) {
		g->c.flood_synacks++;
	} else if (f.kind == NET_KIND_TCP) {
		gen_tcp_input(g, &f);
	}
	rte_pktmbuf_free(m);
}

/* Received frames through the RX impairment stage, then the due ones. */
static void
gen_rx_impaired(struct gen *g, struct rte_mbuf **m, uint16_t n)
{
	struct rte_mbuf *out[GEN_BURST];
	unsigned int k, i, j;

	for (i = 0; i < n; i++) {
		k = gen_imp_in(&g->imp_rx, m[i], g->now, out, g->mp);
		for (j = 0; j < k; j++)
			gen_rx_one(g, out[j]);
	}
	do {
		k = gen_imp_out(&g->imp_rx, g->now, out, GEN_BURST);
		for (j = 0; j < k; j++)
			gen_rx_one(g, out[j]);
	} while (k == GEN_BURST);
}

/* Poll RX once; returns the number of frames received. */
unsigned int
gen_rx(struct gen *g)
{
	struct rte_mbuf *m[GEN_BURST];
	uint16_t n, i;

	n = rte_eth_rx_burst(g->port_id, 0, m, GEN_BURST);
	for (i = 0; i < n; i++) {
		g->c.rx_pkts++;
		g->c.rx_bytes += m[i]->pkt_len;
	}
	if (g->imp_rx.on) {
		gen_rx_impaired(g, m, n);
		return n;
	}
	for (i = 0; i < n; i++) {
		if (i + 1 < n)
			rte_prefetch0(rte_pktmbuf_mtod(m[i + 1], void *));
		gen_rx_one(g, m[i]);
	}
	return n;
}
