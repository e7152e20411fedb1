/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A small per-core neighbour cache: IPv4 -> MAC, learned from ARP. A miss
 * sends an ARP request (at most once per DP_ARP_RETRY_US per address) and
 * the caller drops the segment: TCP retransmits it.
 */
#include <errno.h>
#include <string.h>

#include <rte_mbuf.h>

#include "dp.h"

#define DP_NEIGH_PROBE 4	/* slots looked at per address */

static inline unsigned int
dp_neigh_hash(uint32_t addr)
{
	return (addr * 2654435761u) >> (32 - DP_NEIGH_BITS);
}

static struct dp_neigh_entry *
dp_neigh_find(struct dp_neigh *n, uint32_t addr)
{
	unsigned int h = dp_neigh_hash(addr);
	unsigned int i;

	for (i = 0; i < DP_NEIGH_PROBE; i++) {
		struct dp_neigh_entry *e = &n->e[(h + i) & (DP_NEIGH_SIZE - 1)];

		if (e->addr == addr)
			return e;
	}
	return NULL;
}

/*
 * Slot for a new address: a free one in the probe window, else the one
 * whose ARP request is oldest (resolved entries preferred to keep).
 */
static struct dp_neigh_entry *
dp_neigh_slot(struct dp_neigh *n, uint32_t addr)
{
	unsigned int h = dp_neigh_hash(addr);
	struct dp_neigh_entry *victim = NULL;
	unsigned int i;

	for (i = 0; i < DP_NEIGH_PROBE; i++) {
		struct dp_neigh_entry *e = &n->e[(h + i) & (DP_NEIGH_SIZE - 1)];

		if (e->addr == 0)
			return e;
		if (victim == NULL || (victim->valid && !e->valid) ||
		    (victim->valid == e->valid && e->req_us < victim->req_us))
			victim = e;
	}
	memset(victim, 0, sizeof(*victim));
	return victim;
}

void
dp_neigh_learn(struct dp_core *core, uint32_t addr, const uint8_t *mac)
{
	struct dp_neigh_entry *e;

	if (addr == 0)
		return;
	e = dp_neigh_find(&core->neigh, addr);
	if (e == NULL) {
		e = dp_neigh_slot(&core->neigh, addr);
		e->addr = addr;
	}
	if (!e->valid)
		core->cnt.arp_learned++;
	memcpy(e->mac, mac, NET_ETH_ALEN);
	e->valid = 1;
}

static void
dp_neigh_request(struct dp_core *core, uint32_t addr)
{
	const struct dp_port *p = core->port;
	struct rte_mbuf *m;
	uint32_t len;

	m = rte_pktmbuf_alloc(core->mp);
	if (m == NULL) {
		core->cnt.tx_alloc_fail++;
		return;
	}
	len = net_build_arp(rte_pktmbuf_mtod(m, uint8_t *),
			    rte_pktmbuf_tailroom(m), NET_ARP_OP_REQUEST,
			    p->mac, p->addr, NULL, addr);
	if (len == 0) {
		core->cnt.tx_build_fail++;
		rte_pktmbuf_free(m);
		return;
	}
	m->data_len = len;
	m->pkt_len = len;
	core->cnt.arp_requests_tx++;
	dp_tx_enqueue(core, m);
}

int
dp_neigh_resolve(struct dp_core *core, uint32_t daddr, uint64_t now,
		 uint8_t *mac)
{
	const struct dp_port *p = core->port;
	struct dp_neigh_entry *e;
	uint32_t hop = daddr;

	if ((daddr & p->mask) != (p->addr & p->mask)) {
		if (p->gateway == 0)
			return -ENETUNREACH;
		hop = p->gateway;
	}
	e = dp_neigh_find(&core->neigh, hop);
	if (e != NULL && e->valid) {
		memcpy(mac, e->mac, NET_ETH_ALEN);
		return 0;
	}
	if (e == NULL) {
		e = dp_neigh_slot(&core->neigh, hop);
		e->addr = hop;
	} else if (e->req_us != 0 && now - e->req_us < DP_ARP_RETRY_US) {
		core->cnt.arp_rate_limited++;
		return -EAGAIN;
	}
	/* Time 0 is reserved for "never asked". */
	e->req_us = now != 0 ? now : 1;
	dp_neigh_request(core, hop);
	return -EAGAIN;
}
