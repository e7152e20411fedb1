/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Neighbor Discovery's I/O (RFC 4861), one table per (worker, port), the
 * sibling of dp_neigh.c (ARP): the policy is lib/net/net_neigh6.c; here
 * Neighbor Solicitations for our address are answered, solicitations
 * for the next hops we need are sent, the verdicts counted and the
 * frames awaiting a resolution held (cp->held6) and sent when it comes.
 * With several workers, every ND frame a worker learns from and every
 * solicitation it sends is copied to the others, as for ARP.
 */
#include <errno.h>
#include <string.h>

#include <rte_mbuf.h>

#include "dp_internal.h"

void
dp_neigh6_init(struct dp_core_port *cp)
{
	const struct dp_port *p = cp->port;
	struct net_neigh6_params np = {
		.prefix_len = p->prefix6_len,
		.has_gateway = p->has_gateway6,
		.max_age_us = p->arp_max_age_us != 0 ? p->arp_max_age_us :
			(uint64_t)CFG_ARP_MAX_AGE_MS * 1000,
		.retry_us = DP_ARP_RETRY_US,
		.probe_us = DP_ARP_PROBE_US,
	};

	memcpy(np.addr, p->addr6, NET_IPV6_ALEN);
	memcpy(np.gateway, p->gateway6, NET_IPV6_ALEN);
	net_neigh6_init(&cp->neigh6, &np);
}

static void
dp_neigh6_count(struct dp_core *core, struct dp_core_port *cp,
		enum net_neigh_learn v, bool count)
{
	if (v == NET_NEIGH_LEARNED) {
		core->cnt.nd_learned++;
		cp->cnt.nd_learned++;
	}
	if (!count)
		return;
	switch (v) {
	case NET_NEIGH_UNSOLICITED:
		core->cnt.nd_unsolicited_drop++;
		break;
	case NET_NEIGH_OFFLINK:
		core->cnt.nd_offlink_drop++;
		break;
	case NET_NEIGH_BAD_SENDER:
		core->cnt.nd_bad_sender_drop++;
		break;
	case NET_NEIGH_CONFLICT:
		core->cnt.nd_conflict_drop++;
		break;
	case NET_NEIGH_FULL:
		core->cnt.nd_table_full_drop++;
		break;
	default:
		break;
	}
}

/* hop resolved to mac: send what waited for it, in order. */
static void
dp_neigh6_release(struct dp_core *core, struct dp_core_port *cp,
		  const uint8_t *hop, const uint8_t *mac)
{
	unsigned int slots[NET_NEIGH_HOLD_ADDR], n, i;
	struct rte_mbuf *m;

	if (cp->neigh6.n_held == 0)
		return;
	n = net_neigh6_release(&cp->neigh6, hop, slots);
	for (i = 0; i < n; i++) {
		m = cp->held6[slots[i]];
		cp->held6[slots[i]] = NULL;
		memcpy(rte_pktmbuf_mtod(m, uint8_t *), mac, NET_ETH_ALEN);
		core->cnt.neigh_held_sent++;
		dp_tx_enqueue(core, cp, m);
	}
}

static const uint8_t *
dp_nd_lladdr(const uint8_t *frame, const struct net_frame *f)
{
	return f->nd_lladdr_off != 0 ? frame + f->nd_lladdr_off : NULL;
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
	dp_neigh6_count(core, cp, v, count);
	if (v == NET_NEIGH_LEARNED || v == NET_NEIGH_CONFIRMED) {
		const struct net_neigh6_entry *e;

		e = net_neigh6_lookup(&cp->neigh6, who);
		if (e != NULL)
			dp_neigh6_release(core, cp, who, e->mac);
	}
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
static void
dp_neigh6_solicit(struct dp_core *core, struct dp_core_port *cp,
		  const uint8_t *target, const uint8_t *dst_mac)
{
	const struct dp_port *p = cp->port;
	struct rte_mbuf *m;
	uint32_t len;

	m = rte_pktmbuf_alloc(core->mp);
	if (m == NULL) {
		core->cnt.tx_alloc_fail++;
		return;
	}
	len = net_build_ns(rte_pktmbuf_mtod(m, uint8_t *),
			   rte_pktmbuf_tailroom(m), p->vlan, p->mac, dst_mac,
			   p->addr6, target);
	if (len == 0) {
		core->cnt.tx_build_fail++;
		rte_pktmbuf_free(m);
		return;
	}
	m->data_len = len;
	m->pkt_len = len;
	m->port = p->port_id;
	core->cnt.nd_solicits_tx++;
	cp->cnt.nd_solicits_tx++;
	if (core->n_workers > 1) {
		dp_neigh_share(core, m);
		dp_steer_flush(core);
	}
	dp_tx_enqueue(core, cp, m);
}

int
dp_neigh6_resolve(struct dp_core *core, struct dp_core_port *cp,
		  const uint8_t *daddr, uint64_t now, uint8_t *mac,
		  uint8_t *hop)
{
	switch (net_neigh6_resolve(&cp->neigh6, daddr, now, mac, hop)) {
	case NET_NEIGH_HIT:
		return 0;
	case NET_NEIGH_HIT_ASK:
		dp_neigh6_solicit(core, cp, hop, mac);
		return 0;
	case NET_NEIGH_EXPIRED:
		core->cnt.nd_expired++;
		/* fall through */
	case NET_NEIGH_ASK:
		dp_neigh6_solicit(core, cp, hop, NULL);
		return -EAGAIN;
	case NET_NEIGH_WAIT:
		core->cnt.nd_rate_limited++;
		return -EAGAIN;
	case NET_NEIGH_UNREACH:
	default:
		return -ENETUNREACH;
	}
}

/* RFC 4861 7.2.2: queue the packet while its next hop resolves. */
void
dp_neigh6_hold(struct dp_core *core, struct dp_core_port *cp,
	       struct rte_mbuf *m, const uint8_t *hop, uint64_t now)
{
	unsigned int slot;

	switch (net_neigh6_hold(&cp->neigh6, hop, now, &slot)) {
	case NET_NEIGH_HELD_REPLACED:
		core->cnt.neigh_hold_replaced_drop++;
		rte_pktmbuf_free(cp->held6[slot]);
		/* fall through */
	case NET_NEIGH_HELD:
		core->cnt.neigh_held++;
		cp->held6[slot] = m;
		break;
	case NET_NEIGH_HOLD_FULL:
	default:
		core->cnt.neigh_hold_full_drop++;
		rte_pktmbuf_free(m);
		break;
	}
}

void
dp_neigh6_expire_port(struct dp_core *core, struct dp_core_port *cp,
		      uint64_t now)
{
	unsigned int slots[NET_NEIGH_HOLD_MAX], n, i;

	if (likely(cp->neigh6.n_held == 0))
		return;
	n = net_neigh6_expire(&cp->neigh6, now, slots);
	for (i = 0; i < n; i++) {
		rte_pktmbuf_free(cp->held6[slots[i]]);
		cp->held6[slots[i]] = NULL;
	}
	core->cnt.neigh_hold_timeout_drop += n;
}

void
dp_neigh6_flush_port(struct dp_core *core, struct dp_core_port *cp)
{
	unsigned int i;

	for (i = 0; i < NET_NEIGH_HOLD_MAX; i++) {
		if (cp->held6[i] == NULL)
			continue;
		rte_pktmbuf_free(cp->held6[i]);
		cp->held6[i] = NULL;
		core->cnt.neigh_hold_timeout_drop++;
	}
}
