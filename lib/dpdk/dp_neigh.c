/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The neighbour tables' I/O, one table per (worker, port): its policy
 * (what ARP may teach, aging, the request rate) is lib/net/net_neigh.c;
 * here the requests are sent, the verdicts counted, and the frames
 * awaiting a resolution held (cp->held, by the policy's slot) and sent
 * when it comes. With several workers each keeps its own tables; a copy
 * of every request we send goes to the others, so that whichever worker
 * receives the reply may take it (and send what it holds).
 *
 * The first half is shared with Neighbor Discovery (dp_neigh6.c): each
 * family names its counters in a struct dp_neigh_fam and builds its own
 * requests; counting, sending, holding and releasing are done here.
 */
#include <errno.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_mbuf.h>

#include "dp_internal.h"

/*
 * A copy of m for every other worker, in c[] by worker (NULL for this
 * one, and for a copy that could not be made: counted).
 */
static void
dp_neigh_copy(struct dp_core *core, struct rte_mbuf *m, struct rte_mbuf **c)
{
	unsigned int w;

	for (w = 0; w < core->n_workers; w++) {
		c[w] = NULL;
		if (w == core->worker)
			continue;
		c[w] = rte_pktmbuf_copy(m, core->mp, 0, UINT32_MAX);
		if (c[w] == NULL) {
			core->cnt.steer_copy_fail++;
			continue;
		}
		/* The receiver handles it as the port it names. */
		c[w]->port = m->port;
	}
}

/* The copies of dp_neigh_copy() to their workers' steering buffers. */
static void
dp_neigh_copies_out(struct dp_core *core, struct rte_mbuf **c)
{
	unsigned int w;

	for (w = 0; w < core->n_workers; w++)
		if (c[w] != NULL)
			dp_steer_out(core, w, c[w]);
}

/* The copies of a request that was not sent: freed. */
static void
dp_neigh_copies_free(struct dp_core *core, struct rte_mbuf **c)
{
	unsigned int w;

	for (w = 0; w < core->n_workers; w++)
		rte_pktmbuf_free(c[w]);
}

/* Every other worker gets a copy of an ARP frame (to learn, or note). */
void
dp_neigh_share(struct dp_core *core, struct rte_mbuf *m)
{
	struct rte_mbuf *c[DP_MAX_WORKERS];

	dp_neigh_copy(core, m, c);
	dp_neigh_copies_out(core, c);
}

void
dp_neigh_count(struct dp_core *core, struct dp_core_port *cp,
	       const struct dp_neigh_fam *fam, enum net_neigh_learn v,
	       bool count)
{
	if (v == NET_NEIGH_LEARNED) {
		DP_NEIGH_CNT(&core->cnt, fam->learned)++;
		DP_NEIGH_CNT(&cp->cnt, fam->port_learned)++;
	}
	if (count && (unsigned int)v < RTE_DIM(fam->drop) && fam->drop[v] != 0)
		DP_NEIGH_CNT(&core->cnt, fam->drop[v])++;
}

/* hop resolved to mac: send what waited for it (slots[], in order). */
void
dp_neigh_send_held(struct dp_core *core, struct dp_core_port *cp,
		   struct rte_mbuf **held, const unsigned int *slots,
		   unsigned int n, const uint8_t *mac)
{
	struct rte_mbuf *m;
	unsigned int i;

	for (i = 0; i < n; i++) {
		m = held[slots[i]];
		held[slots[i]] = NULL;
		/* The destination MAC leads the frame, tagged or not. */
		memcpy(rte_pktmbuf_mtod(m, uint8_t *), mac, NET_ETH_ALEN);
		core->cnt.neigh_held_sent++;
		dp_tx_enqueue(core, cp, m);
	}
}

struct rte_mbuf *
dp_neigh_alloc(struct dp_core *core, struct dp_core_port *cp,
	       const struct dp_neigh_fam *fam)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(core->mp);

	if (m == NULL) {
		core->cnt.tx_alloc_fail++;
		cp->cnt.tx_alloc_fail++;
		DP_NEIGH_CNT(&core->cnt, fam->req_fail)++;
	}
	return m;
}

/*
 * m to the port's TX batch: 0, or -ENOBUFS when it was dropped. A worker
 * without a TX queue on the port hands its batch off at once: left in
 * the batch, the request would be dropped unseen by a later flush that
 * finds the hand-off ring full (tx_drop only), the address still marked
 * asked for and the other workers told of it. m is the batch's last
 * frame, the first that a full ring drops; it is not read again.
 */
static int
dp_neigh_enqueue(struct dp_core *core, struct dp_core_port *cp,
		 struct rte_mbuf *m)
{
	uint64_t drops;

	if (dp_tx_enqueue(core, cp, m) != 0)
		return -ENOBUFS;
	if (likely(cp->txq != DP_NO_QUEUE))
		return 0;
	drops = cp->cnt.tx_drop;
	dp_tx_flush_port(core, cp);
	return cp->cnt.tx_drop != drops ? -ENOBUFS : 0;
}

/*
 * A request of len bytes built in m (0: it did not fit): send it. One
 * that the TX batch drops (its holding area or hand-off ring full,
 * counted tx_drop) is not sent either: -ENOBUFS, and the caller undoes
 * the table's mark. The other workers are told of a request only once
 * it is on its way: a copy tells a worker that the request was sent,
 * and makes it wait DP_ARP_RETRY_US for the reply before it asks
 * itself. The copies are made before m is enqueued (it may be sent and
 * freed at once), and freed unsent if m is dropped.
 */
int
dp_neigh_send(struct dp_core *core, struct dp_core_port *cp,
	      const struct dp_neigh_fam *fam, struct rte_mbuf *m, uint32_t len)
{
	struct rte_mbuf *c[DP_MAX_WORKERS];
	bool share = core->n_workers > 1;

	if (len == 0) {
		core->cnt.tx_build_fail++;
		DP_NEIGH_CNT(&core->cnt, fam->req_fail)++;
		rte_pktmbuf_free(m);
		return -EMSGSIZE;
	}
	m->data_len = len;
	m->pkt_len = len;
	m->port = cp->port->port_id;
	if (share)
		dp_neigh_copy(core, m, c);
	if (dp_neigh_enqueue(core, cp, m) != 0) {
		DP_NEIGH_CNT(&core->cnt, fam->req_fail)++;
		if (share)
			dp_neigh_copies_free(core, c);
		return -ENOBUFS;
	}
	DP_NEIGH_CNT(&core->cnt, fam->req_tx)++;
	DP_NEIGH_CNT(&cp->cnt, fam->port_req_tx)++;
	if (share) {
		dp_neigh_copies_out(core, c);
		dp_steer_flush(core);
	}
	return 0;
}

/* The big-endian 16 bits at p. */
static inline uint16_t
dp_neigh_rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/*
 * A request dropped after it was queued (the stuck head of the TX
 * batch) did not leave either: as for one the batch refused
 * (dp_neigh_send()), it counts as failed and the address as not asked
 * for, so the next miss asks at once rather than DP_ARP_RETRY_US later.
 * Rare: the frame's type is read here, off the path of every frame. The
 * copies the other workers were sent are not recalled.
 */
void
dp_neigh_tx_dropped(struct dp_core *core, struct dp_core_port *cp,
		    const struct rte_mbuf *m)
{
	const uint8_t *p = rte_pktmbuf_mtod(m, const uint8_t *);
	uint32_t len = m->data_len, off = NET_ETH_HLEN;
	const struct net_arp_hdr *a;
	uint16_t type;

	if (len < NET_ETH_HLEN)
		return;
	type = dp_neigh_rd16(p + 12);
	if (type == NET_ETHERTYPE_VLAN) {
		if (len < NET_ETH_HLEN + NET_VLAN_HLEN)
			return;
		type = dp_neigh_rd16(p + 16);
		off += NET_VLAN_HLEN;
	}
	if (type == NET_ETHERTYPE_ARP && len >= off + NET_ARP_LEN) {
		a = (const struct net_arp_hdr *)(p + off);
		if (dp_neigh_rd16((const uint8_t *)&a->op) !=
		    NET_ARP_OP_REQUEST)
			return;
		core->cnt.arp_request_fail++;
		net_neigh_unasked(&cp->neigh, rte_be_to_cpu_32(a->tpa));
		return;
	}
	/* RFC 4861 4.3: ICMPv6 type 135, the target 8 bytes in. */
	if (type == NET_ETHERTYPE_IPV6 &&
	    len >= off + NET_IPV6_HLEN + 8 + NET_IPV6_ALEN &&
	    p[off + 6] == NET_IPPROTO_ICMPV6 &&
	    p[off + NET_IPV6_HLEN] == NET_ICMP6_ND_NS) {
		core->cnt.nd_solicit_fail++;
		net_neigh6_unasked(&cp->neigh6, p + off + NET_IPV6_HLEN + 8);
	}
}

int
dp_neigh_verdict(struct dp_core *core, const struct dp_neigh_fam *fam,
		 enum net_neigh_res v, bool *ask)
{
	*ask = false;
	switch (v) {
	case NET_NEIGH_HIT:
		return 0;
	case NET_NEIGH_HIT_ASK:
		*ask = true;
		return 0;
	case NET_NEIGH_EXPIRED:
		DP_NEIGH_CNT(&core->cnt, fam->expired)++;
		*ask = true;
		return -EAGAIN;
	case NET_NEIGH_EVICTED:
		DP_NEIGH_CNT(&core->cnt, fam->evicted)++;
		/* fall through */
	case NET_NEIGH_ASK:
		*ask = true;
		return -EAGAIN;
	case NET_NEIGH_WAIT:
		DP_NEIGH_CNT(&core->cnt, fam->rate_limited)++;
		return -EAGAIN;
	case NET_NEIGH_UNREACH:
	default:
		return -ENETUNREACH;
	}
}

/* RFC 1122 2.3.2.2: save the packet while its next hop resolves. */
void
dp_neigh_keep(struct dp_core *core, struct rte_mbuf **held,
	      enum net_neigh_hold_res r, unsigned int slot, struct rte_mbuf *m)
{
	switch (r) {
	case NET_NEIGH_HELD_REPLACED:
		core->cnt.neigh_hold_replaced_drop++;
		rte_pktmbuf_free(held[slot]);
		/* fall through */
	case NET_NEIGH_HELD:
		core->cnt.neigh_held++;
		held[slot] = m;
		break;
	case NET_NEIGH_HOLD_FULL:
	default:
		core->cnt.neigh_hold_full_drop++;
		rte_pktmbuf_free(m);
		break;
	}
}

/* The held frames in slots[] went unanswered: drop them. */
static void
dp_neigh_drop_held(struct dp_core *core, struct rte_mbuf **held,
		   const unsigned int *slots, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		rte_pktmbuf_free(held[slots[i]]);
		held[slots[i]] = NULL;
	}
	core->cnt.neigh_hold_timeout_drop += n;
}

static void
dp_neigh_flush_held(struct dp_core *core, struct rte_mbuf **held)
{
	unsigned int i;

	for (i = 0; i < NET_NEIGH_HOLD_MAX; i++) {
		if (held[i] == NULL)
			continue;
		rte_pktmbuf_free(held[i]);
		held[i] = NULL;
		/* Unresolved when we stop: as good as timed out. */
		core->cnt.neigh_hold_timeout_drop++;
	}
}

void
dp_neigh_flush(struct dp_core *core)
{
	unsigned int i;

	for (i = 0; i < core->n_ports; i++) {
		dp_neigh_flush_held(core, core->ports[i].held);
		dp_neigh_flush_held(core, core->ports[i].held6);
	}
}

/*
 * The frames a port holds for more than the probe time: off the path
 * that finds nothing held, which runs after every output queue and
 * would otherwise pay for this one's stack frame.
 */
static __rte_noinline void
dp_neigh_expire_port(struct dp_core *core, struct dp_core_port *cp,
		     uint64_t now)
{
	unsigned int slots[NET_NEIGH_HOLD_MAX], n;

	if (cp->neigh.n_held != 0) {
		n = net_neigh_expire(&cp->neigh, now, slots);
		dp_neigh_drop_held(core, cp->held, slots, n);
	}
	if (cp->neigh6.n_held != 0) {
		n = net_neigh6_expire(&cp->neigh6, now, slots);
		dp_neigh_drop_held(core, cp->held6, slots, n);
	}
}

void
dp_neigh_expire(struct dp_core *core, uint64_t now)
{
	struct dp_core_port *cp;
	unsigned int i;

	for (i = 0; i < core->n_ports; i++) {
		cp = &core->ports[i];
		if (unlikely((cp->neigh.n_held | cp->neigh6.n_held) != 0))
			dp_neigh_expire_port(core, cp, now);
	}
}
