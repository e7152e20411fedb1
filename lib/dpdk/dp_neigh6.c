/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Neighbor Discovery's I/O (RFC 4861), one table per (worker, port), the
 * sibling of dp_neigh4.c (ARP): the policy is lib/net/net_neigh6.c, the
 * counting, holding and sending shared with ARP is dp_neigh.c; here
 * Neighbor Solicitations for our address are answered and
 * solicitations for the next hops we need are built (cp->held6 keeps
 * the frames awaiting them). With several workers, every ND frame a
 * worker learns from and every solicitation it sends is copied to the
 * others, as for ARP.
 */
#include <string.h>

#include <rte_mbuf.h>
#include <rte_random.h>

#include "dp_internal.h"

static const struct dp_neigh_fam dp_neigh_nd = DP_NEIGH_FAM(nd, solicits_tx,
							    solicit_fail);

void
dp_neigh6_init(struct dp_core_port *cp)
{
	const struct dp_port *p = cp->port;
	struct net_neigh6_params np = {
		.prefix_len = p->prefix6_len,
		.has_gateway = p->has_gateway6,
		.max_age_us = dp_neigh_max_age_us(p),
		.retry_us = DP_ARP_RETRY_US,
		.probe_us = DP_ARP_PROBE_US,
	};

	memcpy(np.addr, p->addr6, NET_IPV6_ALEN);
	memcpy(np.gateway, p->gateway6, NET_IPV6_ALEN);
	/* A secret of its own for each table (net_neigh6.h). */
	net_neigh_secret(np.secret, rte_rand);
	net_neigh6_init(&cp->neigh6, &np);
}

static const uint8_t *
dp_nd_lladdr(const uint8_t *frame, const struct net_frame *f)
{
	return f->nd_lladdr_off != 0 ? frame + f->nd_lladdr_off : NULL;
}

/* who's MAC is known now: send what waited for it. */
static void
dp_neigh6_release(struct dp_core *core, struct dp_core_port *cp,
		  const uint8_t *who)
{
	unsigned int slots[NET_NEIGH_HOLD_ADDR], n;
	const struct net_neigh6_entry *e;

	if (cp->neigh6.n_held == 0)
		return;
	e = net_neigh6_lookup(&cp->neigh6, who);
	if (e == NULL)
		return;
	n = net_neigh6_release(&cp->neigh6, who, slots);
	dp_neigh_send_held(core, cp, cp->held6, slots, n, e->mac);
}

enum net_neigh_learn
dp_neigh6_input(struct dp_core *core, struct dp_core_port *cp,
		const uint8_t *frame, const struct net_frame *f, uint64_t now,
		bool count)
{
	const uint8_t *lla = dp_nd_lladdr(frame, f);
	const uint8_t *who;
	enum net_neigh_learn v;

	if (f->kind == NET_KIND_ND_NS) {
		/* A DAD probe (from ::) teaches nothing. */
		if (net_ip6_is_unspec(f->seg.saddr6))
			return NET_NEIGH_BAD_SENDER;
		who = f->seg.saddr6;
		v = net_neigh6_input_ns(&cp->neigh6, who, lla, now);
	} else {
		who = frame + f->nd_target_off;
		v = net_neigh6_input_na(&cp->neigh6, who, lla, f->nd_flags,
					now);
	}
	dp_neigh_count(core, cp, &dp_neigh_nd, v, count);
	if (v == NET_NEIGH_LEARNED || v == NET_NEIGH_CONFIRMED)
		dp_neigh6_release(core, cp, who);
	return v;
}

void
dp_neigh6_asked(struct dp_core_port *cp, const uint8_t *frame,
		const struct net_frame *f, uint64_t now)
{
	net_neigh6_asked(&cp->neigh6, frame + f->nd_target_off, now);
}

/*
 * RFC 4861 7.2.2: solicit target, to its solicited-node address (dst_mac
 * NULL) or unicast to the MAC we have (an old entry, 7.3.3).
 */
/*
 * Off the hit path of the resolver, which it would otherwise weigh. A
 * solicitation that cannot leave (no mbuf, TX queue full) undoes the
 * table's mark, as for ARP: the next miss solicits again at once.
 */
static __rte_noinline void
dp_neigh6_solicit(struct dp_core *core, struct dp_core_port *cp,
		  const uint8_t *target, const uint8_t *dst_mac)
{
	const struct dp_port *p = cp->port;
	struct rte_mbuf *m = dp_neigh_alloc(core, cp, &dp_neigh_nd);

	if (m != NULL &&
	    dp_neigh_send(core, cp, &dp_neigh_nd, m,
			  net_build_ns(rte_pktmbuf_mtod(m, uint8_t *),
				       rte_pktmbuf_tailroom(m), p->vlan, p->mac,
				       dst_mac, p->addr6, target)) == 0)
		return;
	net_neigh6_unasked(&cp->neigh6, target);
}

int
dp_neigh6_resolve(struct dp_core *core, struct dp_core_port *cp,
		  const uint8_t *daddr, uint64_t now, uint8_t *mac,
		  uint8_t *hop)
{
	enum net_neigh_res v;
	bool ask;
	int ret;

	v = net_neigh6_resolve(&cp->neigh6, daddr, now, mac, hop);
	if (v == NET_NEIGH_HIT)
		return 0;
	ret = dp_neigh_verdict(core, &dp_neigh_nd, v, &ask);
	/* An old entry is probed unicast (7.3.3), a new one multicast. */
	if (ask)
		dp_neigh6_solicit(core, cp, hop, ret == 0 ? mac : NULL);
	return ret;
}

/* RFC 4861 7.2.2: queue the packet while its next hop resolves. */
void
dp_neigh6_hold(struct dp_core *core, struct dp_core_port *cp,
	       struct rte_mbuf *m, const uint8_t *hop, uint64_t now)
{
	unsigned int slot = 0;
	enum net_neigh_hold_res r;

	r = net_neigh6_hold(&cp->neigh6, hop, now, &slot);
	dp_neigh_keep(core, cp->held6, r, slot, m);
}
