/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ARP's part of the neighbour I/O (RFC 826): the table's parameters, the
 * requests, and the counters it names; the rest is dp_neigh.c.
 */
#include <errno.h>
#include <string.h>

#include <rte_mbuf.h>
#include <rte_random.h>

#include "dp_internal.h"

static const struct dp_neigh_fam dp_neigh_arp = DP_NEIGH_FAM(arp, requests_tx,
							     request_fail);

void
dp_neigh_init(struct dp_core_port *cp)
{
	const struct dp_port *p = cp->port;
	struct net_neigh_params np = {
		.addr = p->addr,
		.mask = p->mask,
		.gateway = p->gateway,
		.max_age_us = dp_neigh_max_age_us(p),
		.retry_us = DP_ARP_RETRY_US,
		.probe_us = DP_ARP_PROBE_US,
	};

	/* A secret of its own for each table (net_neigh.h). */
	net_neigh_secret(np.secret, rte_rand);
	net_neigh_init(&cp->neigh, &np);
}

enum net_neigh_learn
dp_neigh_input(struct dp_core *core, struct dp_core_port *cp,
	       const struct net_frame *f, uint64_t now, bool count)
{
	unsigned int slots[NET_NEIGH_HOLD_ADDR], n;
	enum net_neigh_learn v;

	v = net_neigh_input(&cp->neigh, f->arp_op, f->arp_spa, f->arp_sha, now);
	dp_neigh_count(core, cp, &dp_neigh_arp, v, count);
	if ((v == NET_NEIGH_LEARNED || v == NET_NEIGH_CONFIRMED) &&
	    cp->neigh.n_held != 0) {
		n = net_neigh_release(&cp->neigh, f->arp_spa, slots);
		dp_neigh_send_held(core, cp, cp->held, slots, n, f->arp_sha);
	}
	return v;
}

void
dp_neigh_asked(struct dp_core_port *cp, const struct net_frame *f, uint64_t now)
{
	net_neigh_asked(&cp->neigh, f->arp_tpa, now);
}

/*
 * Off the hit path of the resolver, which it would otherwise weigh. The
 * table marked addr asked for when it called for the request: if none
 * leaves (no mbuf, or the TX queue full), the mark is undone, so that
 * the next miss asks again rather than waiting DP_ARP_RETRY_US for a
 * request that was never sent.
 */
static __rte_noinline void
dp_neigh_request(struct dp_core *core, struct dp_core_port *cp, uint32_t addr)
{
	const struct dp_port *p = cp->port;
	struct rte_mbuf *m = dp_neigh_alloc(core, cp, &dp_neigh_arp);

	if (m != NULL &&
	    dp_neigh_send(core, cp, &dp_neigh_arp, m,
			  net_build_arp(rte_pktmbuf_mtod(m, uint8_t *),
					rte_pktmbuf_tailroom(m), p->vlan,
					NET_ARP_OP_REQUEST, p->mac, p->addr,
					NULL, addr)) == 0)
		return;
	net_neigh_unasked(&cp->neigh, addr);
}

/* A verdict other than a plain hit: count it, ask if told to. */
static __rte_noinline int
dp_neigh_resolve_miss(struct dp_core *core, struct dp_core_port *cp,
		      enum net_neigh_res v, uint32_t hop)
{
	bool ask;
	int ret;

	ret = dp_neigh_verdict(core, &dp_neigh_arp, v, &ask);
	if (ask)
		dp_neigh_request(core, cp, hop);
	return ret;
}

int
dp_neigh_resolve(struct dp_core *core, struct dp_core_port *cp, uint32_t daddr,
		 uint64_t now, uint8_t *mac, uint32_t *hop)
{
	enum net_neigh_res v;

	v = net_neigh_resolve(&cp->neigh, daddr, now, mac, hop);
	if (likely(v == NET_NEIGH_HIT))
		return 0;
	return dp_neigh_resolve_miss(core, cp, v, *hop);
}

void
dp_neigh_hold(struct dp_core *core, struct dp_core_port *cp, struct rte_mbuf *m,
	      uint32_t hop, uint64_t now)
{
	unsigned int slot = 0;
	enum net_neigh_hold_res r;

	r = net_neigh_hold(&cp->neigh, hop, now, &slot);
	dp_neigh_keep(core, cp->held, r, slot, m);
}
