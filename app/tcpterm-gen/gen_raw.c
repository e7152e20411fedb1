/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Packet modes without TCP, to measure the device itself:
 *   raw      send copies of one frame flat out (or at --rate pps) and count
 *            what comes back;
 *   reflect  send every received frame straight back, untouched (testpmd's
 *            io forwarding on one port).
 * Together, over one memif pair, they give the packets per second one
 * core can move through the vdev.
 */
#include <string.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "gen.h"

/* The frame the raw mode sends: a TCP ACK padded to pkt_bytes. */
static uint32_t
gen_raw_template(struct gen *g, uint8_t *buf, uint32_t cap)
{
	static const uint8_t bcast[NET_ETH_ALEN] = { 0xff, 0xff, 0xff,
						     0xff, 0xff, 0xff };
	struct net_tcp_build b = {
		.src_mac = g->mac,
		.dst_mac = g->o.dst_mac_set ? g->o.dst_mac : bcast,
		.saddr = g->o.src_lo,
		.daddr = g->o.dst,
		.sport = g->o.sport_lo,
		.dport = g->o.dport,
		.seq = 1,
		.ack = 1,
		.wnd = 65535,
		.flags = NET_TCP_ACK,
		.ttl = 64,
	};
	uint8_t src6[NET_IPV6_ALEN];
	uint32_t hl, len = g->o.pkt_bytes - 4; /* without the FCS */

	if (g->o.ipv6) {
		gen_addr6_make(g->o.src6, g->o.src_lo, src6);
		b.saddr6 = src6;
		b.daddr6 = g->o.dst6;
	}
	hl = net_build_tcp(buf, cap, &b);

	if (hl == 0 || len > cap)
		return 0;
	if (len < hl)
		len = hl;
	memset(buf + hl, 0, len - hl);
	b.payload_len = len - hl;
	hl = net_build_tcp(buf, cap, &b);
	net_tcp_finish(buf, false);
	return len;
}

/* Send one burst of template copies; returns how many were sent. */
static uint16_t
gen_raw_send(struct gen *g, const uint8_t *tpl, uint32_t len, unsigned int n)
{
	struct rte_mbuf *m[GEN_BURST];
	uint16_t sent, i;

	if (n > GEN_BURST)
		n = GEN_BURST;
	if (n == 0 || rte_pktmbuf_alloc_bulk(g->mp, m, n) != 0) {
		g->c.no_mbuf += n;
		return 0;
	}
	for (i = 0; i < n; i++) {
		memcpy(rte_pktmbuf_mtod(m[i], uint8_t *), tpl, len);
		m[i]->data_len = (uint16_t)len;
		m[i]->pkt_len = len;
	}
	sent = rte_eth_tx_burst(g->port_id, 0, m, (uint16_t)n);
	if (sent < n) {
		rte_pktmbuf_free_bulk(&m[sent], n - sent);
		g->c.tx_drop += n - sent;
	}
	g->c.tx_pkts += sent;
	g->c.tx_bytes += (uint64_t)sent * len;
	return sent;
}

/* Receive one burst: reflect it, or free it. */
static uint16_t
gen_raw_recv(struct gen *g, bool reflect)
{
	struct rte_mbuf *m[GEN_BURST];
	uint16_t n, sent = 0, i;

	n = rte_eth_rx_burst(g->port_id, 0, m, GEN_BURST);
	if (n == 0)
		return 0;
	g->c.rx_pkts += n;
	for (i = 0; i < n; i++)
		g->c.rx_bytes += m[i]->pkt_len;
	if (reflect) {
		sent = rte_eth_tx_burst(g->port_id, 0, m, n);
		g->c.tx_pkts += sent;
		g->c.tx_drop += n - sent;
	}
	if (sent < n)
		rte_pktmbuf_free_bulk(&m[sent], n - sent);
	return n;
}

int
gen_raw_run(struct gen *g)
{
	bool reflect = g->o.scenario == GEN_REFLECT;
	uint64_t end = g->tsc0 + (uint64_t)(g->o.duration * g->hz);
	uint8_t tpl[2048];
	uint32_t len = 0;
	double tokens = 0;
	uint64_t last = g->tsc0;

	if (!reflect) {
		len = gen_raw_template(g, tpl, sizeof(tpl));
		if (len == 0)
			return -1;
	}
	while (!gen_quit) {
		uint64_t t0 = rte_rdtsc();
		unsigned int want = GEN_BURST, work;

		g->now = t0;
		if (t0 >= end)
			break;
		work = gen_raw_recv(g, reflect);
		if (!reflect && g->o.rate > 0) {
			tokens += g->o.rate * (double)(t0 - last) / g->hz;
			if (tokens > GEN_BURST * 4)
				tokens = GEN_BURST * 4;
			want = (unsigned int)tokens;
			last = t0;
		}
		if (!reflect) {
			uint16_t s = gen_raw_send(g, tpl, len, want);

			tokens -= s;
			work += s;
		}
		gen_poll_done(g, t0, work != 0);
	}
	return 0;
}
