/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The SYN flood: spoofed SYNs from random addresses of --flood-src and
 * random ports, each with a random sequence number, that never complete
 * the handshake. It runs alone (-s synflood, flat out or at --rate SYNs
 * per second) or beside a TCP scenario (--flood), where it gets the
 * device only once the legitimate client's frames are all sent.
 * SYN-ACKs that come back for the flood's addresses are counted and
 * dropped: a spoofed source never answers.
 */
#include <string.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "gen.h"

/* xorshift64*: cheap and good enough to spread tuples. */
static uint64_t
gen_flood_rand(struct gen *g)
{
	uint64_t x = g->flood_rng;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	g->flood_rng = x;
	return x * 0x2545f4914f6cdd1dull;
}

void
gen_flood_init(struct gen *g)
{
	g->flood_rng = rte_rdtsc() | 1;
	g->flood_tokens = 0;
	g->flood_last = rte_rdtsc();
}

bool
gen_is_flood_src(const struct gen *g, uint32_t addr)
{
	return g->o.flood_rate >= 0 && addr >= g->o.flood_src_lo &&
		addr <= g->o.flood_src_hi;
}

/* One spoofed SYN into m; returns its length or 0. */
static uint32_t
gen_flood_build(struct gen *g, struct rte_mbuf *m)
{
	uint64_t r = gen_flood_rand(g);
	uint32_t span = g->o.flood_src_hi - g->o.flood_src_lo + 1;
	struct net_tcp_build b = {
		.src_mac = g->mac,
		.dst_mac = g->o.dst_mac,
		.saddr = g->o.flood_src_lo +
			(span ? (uint32_t)(r >> 32) % span : (uint32_t)r),
		.daddr = g->o.dst,
		.sport = (uint16_t)(1024 + (uint16_t)r % 64512),
		.dport = g->o.dport,
		.seq = (uint32_t)(r >> 16),
		.wnd = 64240,
		.flags = NET_TCP_SYN,
		.ttl = 64,
		.opts = { .has = NET_OPT_MSS, .mss = 1460 },
	};
	uint32_t len = net_build_tcp(rte_pktmbuf_mtod(m, uint8_t *),
				     rte_pktmbuf_tailroom(m), &b);

	if (len == 0)
		return 0;
	net_tcp_finish(rte_pktmbuf_mtod(m, uint8_t *), false);
	m->data_len = (uint16_t)len;
	m->pkt_len = len;
	return len;
}

/*
 * Send up to n spoofed SYNs straight to the device (never through the
 * TX queue the client's frames wait in); returns how many were sent.
 */
unsigned int
gen_flood_burst(struct gen *g, unsigned int n)
{
	struct rte_mbuf *m[GEN_BURST];
	uint16_t sent, i;

	if (n > GEN_BURST)
		n = GEN_BURST;
	if (n == 0)
		return 0;
	if (rte_pktmbuf_alloc_bulk(g->mp, m, n) != 0) {
		g->c.no_mbuf += n;
		return 0;
	}
	for (i = 0; i < n; i++) {
		if (gen_flood_build(g, m[i]) == 0) {
			rte_pktmbuf_free_bulk(m, n);
			return 0;
		}
		g->c.tx_bytes += m[i]->pkt_len;
	}
	sent = rte_eth_tx_burst(g->port_id, 0, m, (uint16_t)n);
	if (sent < n) {
		rte_pktmbuf_free_bulk(&m[sent], n - sent);
		g->c.flood_tx_full += n - sent;
	}
	g->c.flood_syns += sent;
	g->c.tx_pkts += sent;
	return sent;
}

/* One poll's share of the flood, paced when a rate is set. */
unsigned int
gen_flood_poll(struct gen *g)
{
	unsigned int want = GEN_BURST, s;
	uint64_t now = rte_rdtsc();

	if (g->o.flood_rate < 0 || g->ntx != 0)
		return 0; /* Off, or the client's frames come first. */
	if (g->o.flood_rate > 0) {
		g->flood_tokens += g->o.flood_rate *
			(double)(now - g->flood_last) / g->hz;
		g->flood_last = now;
		if (g->flood_tokens > GEN_BURST * 4)
			g->flood_tokens = GEN_BURST * 4;
		want = (unsigned int)g->flood_tokens;
	}
	s = gen_flood_burst(g, want);
	g->flood_tokens -= s;
	return s;
}

/* -s synflood: the flood alone; answers ARP and counts SYN-ACKs. */
int
gen_flood_run(struct gen *g)
{
	uint64_t end = g->tsc0 + (uint64_t)(g->o.duration * g->hz);

	gen_flood_init(g);
	while (!gen_quit) {
		uint64_t t0 = rte_rdtsc();
		unsigned int work;

		g->now = t0;
		if (t0 >= end)
			break;
		work = gen_rx(g);
		gen_tx_flush(g);
		work += gen_flood_poll(g);
		gen_poll_done(g, t0, work != 0);
	}
	return 0;
}
