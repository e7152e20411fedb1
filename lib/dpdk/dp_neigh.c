/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The neighbour tables' I/O, one table per (worker, port): its policy
 * (what ARP may teach, aging, the request rate) is lib/net/net_neigh.c;
 * here the requests are sent, the verdicts counted, and the frames
 * awaiting a resolution held (cp->held, by the policy's slot) and sent
 * when it comes. With several workers each keeps its own tables; a copy
 * of every request we send goes to the others, so that whichever worker
 * receives the reply may take it (and send what it holds).
 */
#include <errno.h>
#include <string.h>

#include <rte_mbuf.h>

#include "dp_internal.h"

void
dp_neigh_init(struct dp_core_port *cp)
{
	const struct dp_port *p = cp->port;
	const struct net_neigh_params np = {
		.addr = p->addr,
		.mask = p->mask,
		.gateway = p->gateway,
		.max_age_us = p->arp_max_age_us != 0 ? p->arp_max_age_us :
			(uint64_t)CFG_ARP_MAX_AGE_MS * 1000,
		.retry_us = DP_ARP_RETRY_US,
		.probe_us = DP_ARP_PROBE_US,
	};

	net_neigh_init(&cp->neigh, &np);
}

/* Every other worker gets a copy of an ARP frame (to learn, or note). */
void
dp_neigh_share(struct dp_core *core, struct rte_mbuf *m)
{
	struct rte_mbuf *c;
	unsigned int w;

	for (w = 0; w < core->n_workers; w++) {
		if (w == core->worker)
			continue;
		c = rte_pktmbuf_copy(m, core->mp, 0, UINT32_MAX);
		if (c == NULL) {
			core->cnt.steer_copy_fail++;
			continue;
		}
		/* The receiver handles it as the port it names. */
		c->port = m->port;
		dp_steer_out(core, w, c);
	}
}

static void
dp_neigh_count(struct dp_core *core, struct dp_core_port *cp,
	       enum net_neigh_learn v, bool count)
{
	if (v == NET_NEIGH_LEARNED) {
		core->cnt.arp_learned++;
		cp->cnt.arp_learned++;
	}
	if (!count)
		return;
	switch (v) {
	case NET_NEIGH_UNSOLICITED:
		core->cnt.arp_unsolicited_drop++;
		break;
	case NET_NEIGH_OFFLINK:
		core->cnt.arp_offlink_drop++;
		break;
	case NET_NEIGH_BAD_SENDER:
		core->cnt.arp_bad_sender_drop++;
		break;
	case NET_NEIGH_CONFLICT:
		core->cnt.arp_conflict_drop++;
		break;
	case NET_NEIGH_FULL:
		core->cnt.arp_table_full_drop++;
		break;
	default:
		break;
	}
}

/* hop resolved to mac: send what waited for it, in order. */
static void
dp_neigh_release(struct dp_core *core, struct dp_core_port *cp, uint32_t hop,
		 const uint8_t *mac)
{
	unsigned int slots[NET_NEIGH_HOLD_ADDR], n, i;
	struct rte_mbuf *m;

	if (cp->neigh.n_held == 0)
		return;
	n = net_neigh_release(&cp->neigh, hop, slots);
	for (i = 0; i < n; i++) {
		m = cp->held[slots[i]];
		cp->held[slots[i]] = NULL;
		/* The destination MAC leads the frame, tagged or not. */
		memcpy(rte_pktmbuf_mtod(m, uint8_t *), mac, NET_ETH_ALEN);
		core->cnt.neigh_held_sent++;
		dp_tx_enqueue(core, cp, m);
	}
}

enum net_neigh_learn
dp_neigh_input(struct dp_core *core, struct dp_core_port *cp,
	       const struct net_frame *f, uint64_t now, bool count)
{
	enum net_neigh_learn v;

	v = net_neigh_input(&cp->neigh, f->arp_op, f->arp_spa, f->arp_sha,
			    now);
	dp_neigh_count(core, cp, v, count);
	if (v == NET_NEIGH_LEARNED || v == NET_NEIGH_CONFIRMED)
		dp_neigh_release(core, cp, f->arp_spa, f->arp_sha);
	return v;
}

void
dp_neigh_asked(struct dp_core_port *cp, const struct net_frame *f,
	       uint64_t now)
{
	net_neigh_asked(&cp->neigh, f->arp_tpa, now);
}

static void
dp_neigh_request(struct dp_core *core, struct dp_core_port *cp,
		 uint32_t addr)
{
	const struct dp_port *p = cp->port;
	struct rte_mbuf *m;
	uint32_t len;

	m = rte_pktmbuf_alloc(core->mp);
	if (m == NULL) {
		core->cnt.tx_alloc_fail++;
		return;
	}
	len = net_build_arp(rte_pktmbuf_mtod(m, uint8_t *),
			    rte_pktmbuf_tailroom(m), p->vlan,
			    NET_ARP_OP_REQUEST, p->mac, p->addr, NULL, addr);
	if (len == 0) {
		core->cnt.tx_build_fail++;
		rte_pktmbuf_free(m);
		return;
	}
	m->data_len = len;
	m->pkt_len = len;
	m->port = p->port_id;
	core->cnt.arp_requests_tx++;
	cp->cnt.arp_requests_tx++;
	if (core->n_workers > 1) {
		dp_neigh_share(core, m);
		dp_steer_flush(core);
	}
	dp_tx_enqueue(core, cp, m);
}

int
dp_neigh_resolve(struct dp_core *core, struct dp_core_port *cp,
		 uint32_t daddr, uint64_t now, uint8_t *mac, uint32_t *hop)
{
	switch (net_neigh_resolve(&cp->neigh, daddr, now, mac, hop)) {
	case NET_NEIGH_HIT:
		return 0;
	case NET_NEIGH_HIT_ASK:
		dp_neigh_request(core, cp, *hop);
		return 0;
	case NET_NEIGH_EXPIRED:
		core->cnt.arp_expired++;
		/* fall through */
	case NET_NEIGH_ASK:
		dp_neigh_request(core, cp, *hop);
		return -EAGAIN;
	case NET_NEIGH_WAIT:
		core->cnt.arp_rate_limited++;
		return -EAGAIN;
	case NET_NEIGH_UNREACH:
	default:
		return -ENETUNREACH;
	}
}

/* RFC 1122 2.3.2.2: save the packet while its next hop resolves. */
void
dp_neigh_hold(struct dp_core *core, struct dp_core_port *cp,
	      struct rte_mbuf *m, uint32_t hop, uint64_t now)
{
	unsigned int slot;

	switch (net_neigh_hold(&cp->neigh, hop, now, &slot)) {
	case NET_NEIGH_HELD_REPLACED:
		core->cnt.neigh_hold_replaced_drop++;
		rte_pktmbuf_free(cp->held[slot]);
		/* fall through */
	case NET_NEIGH_HELD:
		core->cnt.neigh_held++;
		cp->held[slot] = m;
		break;
	case NET_NEIGH_HOLD_FULL:
	default:
		core->cnt.neigh_hold_full_drop++;
		rte_pktmbuf_free(m);
		break;
	}
}

static void
dp_neigh_expire_port(struct dp_core *core, struct dp_core_port *cp,
		     uint64_t now)
{
	unsigned int slots[NET_NEIGH_HOLD_MAX], n, i;

	if (likely(cp->neigh.n_held == 0))
		return;
	n = net_neigh_expire(&cp->neigh, now, slots);
	for (i = 0; i < n; i++) {
		rte_pktmbuf_free(cp->held[slots[i]]);
		cp->held[slots[i]] = NULL;
	}
	core->cnt.neigh_hold_timeout_drop += n;
}

void
dp_neigh_expire(struct dp_core *core, uint64_t now)
{
	unsigned int i;

	for (i = 0; i < core->n_ports; i++) {
		dp_neigh_expire_port(core, &core->ports[i], now);
		dp_neigh6_expire_port(core, &core->ports[i], now);
	}
}

static void
dp_neigh_flush_port(struct dp_core *core, struct dp_core_port *cp)
{
	unsigned int i;

	for (i = 0; i < NET_NEIGH_HOLD_MAX; i++) {
		if (cp->held[i] == NULL)
			continue;
		rte_pktmbuf_free(cp->held[i]);
		cp->held[i] = NULL;
		/* Unresolved when we stop: as good as timed out. */
		core->cnt.neigh_hold_timeout_drop++;
	}
}

void
dp_neigh_flush(struct dp_core *core)
{
	unsigned int i;

	for (i = 0; i < core->n_ports; i++) {
		dp_neigh_flush_port(core, &core->ports[i]);
		dp_neigh6_flush_port(core, &core->ports[i]);
	}
}
