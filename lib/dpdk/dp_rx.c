/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Classify an RX burst: ARP, ICMP echo, TCP. Every frame is validated by
 * net_parse(); a bad one is counted by reason and freed.
 */
#include <rte_hash_crc.h>
#include <rte_mbuf.h>

#include "dp.h"

static inline enum net_csum_status
dp_csum_status(uint64_t ol_flags, uint64_t mask, uint64_t good, uint64_t bad)
{
	uint64_t f = ol_flags & mask;

	if (f == good)
		return NET_CSUM_GOOD;
	if (f == bad)
		return NET_CSUM_BAD;
	return NET_CSUM_UNKNOWN;
}

static inline void
dp_drop(struct dp_core *core, struct rte_mbuf *m, enum net_drop why)
{
	core->drops[why]++;
	rte_pktmbuf_free(m);
}

/* Send a frame we rewrote in place (ARP or ICMP reply). */
static void
dp_rx_reply(struct dp_core *core, struct rte_mbuf *m, uint32_t len)
{
	m->data_len = len;
	m->pkt_len = len;
	m->ol_flags = 0;
	dp_tx_enqueue(core, m);
}

static void
dp_rx_arp(struct dp_core *core, struct rte_mbuf *m,
	  const struct net_frame *f)
{
	const struct dp_port *p = core->port;
	uint32_t len;

	if (f->arp_tpa != p->addr) {
		dp_drop(core, m, NET_DROP_ARP_NOT_US);
		return;
	}
	dp_neigh_learn(core, f->arp_spa, f->arp_sha);
	if (f->arp_op != NET_ARP_OP_REQUEST) {
		core->cnt.arp_replies_rx++;
		rte_pktmbuf_free(m);
		return;
	}
	core->cnt.arp_requests_rx++;
	len = net_build_arp(rte_pktmbuf_mtod(m, uint8_t *),
			    m->buf_len - m->data_off, NET_ARP_OP_REPLY,
			    p->mac, p->addr, f->arp_sha, f->arp_spa);
	if (len == 0) {
		core->cnt.tx_build_fail++;
		rte_pktmbuf_free(m);
		return;
	}
	core->cnt.arp_replies_tx++;
	dp_rx_reply(core, m, len);
}

static void
dp_rx_icmp(struct dp_core *core, struct rte_mbuf *m,
	   const struct net_frame *f)
{
	uint32_t len;

	len = net_icmp_echo_reply(rte_pktmbuf_mtod(m, uint8_t *), f,
				  core->port->mac);
	core->cnt.icmp_echo_replies++;
	dp_rx_reply(core, m, len);
}

/*
 * Which worker owns a flow. With one worker it is always this one; with
 * more, the same hash the steering uses (to be replaced by the Toeplitz
 * hash once steering exists).
 */
static inline unsigned int
dp_flow_owner(const struct dp_core *core, const struct net_seg *s)
{
	uint32_t h;

	if (core->n_workers <= 1)
		return core->worker;
	h = rte_hash_crc_4byte(s->saddr, 0);
	h = rte_hash_crc_4byte(s->daddr, h);
	h = rte_hash_crc_4byte(((uint32_t)s->sport << 16) | s->dport, h);
	return h % core->n_workers;
}

static void
dp_rx_tcp(struct dp_core *core, struct rte_mbuf *m, struct net_frame *f,
	  uint64_t now)
{
	if (dp_flow_owner(core, &f->seg) != core->worker)
		core->cnt.ownership_violations++;
	tcp_input(core->tcp, &f->seg, now);
	/* The segment's payload points into m: drain before freeing it. */
	dp_tx_outq(core, now);
	rte_pktmbuf_free(m);
}

static void
dp_rx_one(struct dp_core *core, struct rte_mbuf *m, uint64_t now)
{
	const struct dp_port *p = core->port;
	enum net_csum_status ip = NET_CSUM_UNKNOWN, l4 = NET_CSUM_UNKNOWN;
	struct net_frame f;
	enum net_drop why;

	core->cnt.rx_packets++;
	core->cnt.rx_bytes += m->pkt_len;
	if (m->nb_segs != 1) {
		core->cnt.rx_nonlinear_drop++;
		rte_pktmbuf_free(m);
		return;
	}
	if (p->rx_csum) {
		ip = dp_csum_status(m->ol_flags, RTE_MBUF_F_RX_IP_CKSUM_MASK,
				    RTE_MBUF_F_RX_IP_CKSUM_GOOD,
				    RTE_MBUF_F_RX_IP_CKSUM_BAD);
		l4 = dp_csum_status(m->ol_flags, RTE_MBUF_F_RX_L4_CKSUM_MASK,
				    RTE_MBUF_F_RX_L4_CKSUM_GOOD,
				    RTE_MBUF_F_RX_L4_CKSUM_BAD);
	}
	why = net_parse(rte_pktmbuf_mtod(m, const uint8_t *), m->data_len,
			ip, l4, &f);
	if (why != NET_DROP_NONE) {
		dp_drop(core, m, why);
		return;
	}
	if (f.kind == NET_KIND_ARP) {
		dp_rx_arp(core, m, &f);
		return;
	}
	if (f.daddr != p->addr) {
		dp_drop(core, m, NET_DROP_IP_NOT_US);
		return;
	}
	if (f.kind == NET_KIND_ICMP_ECHO)
		dp_rx_icmp(core, m, &f);
	else if (f.kind == NET_KIND_TCP)
		dp_rx_tcp(core, m, &f, now);
	else
		dp_drop(core, m, NET_DROP_IP_PROTO);
}

void
dp_rx_burst(struct dp_core *core, struct rte_mbuf **m, uint16_t n,
	    uint64_t now)
{
	uint16_t i;

	for (i = 0; i < n; i++) {
		if (i + 1 < n)
			rte_prefetch0(rte_pktmbuf_mtod(m[i + 1], void *));
		dp_rx_one(core, m[i], now);
	}
}
