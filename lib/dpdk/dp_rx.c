/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Classify an RX burst: ARP, ICMP echo, TCP. Every frame is validated by
 * net_parse(); a bad one is counted by reason and freed. With several
 * workers a TCP frame of a flow another worker owns is handed to that
 * worker as soon as its 4-tuple is read (software steering): the owner
 * validates it. ARP and Neighbor Discovery frames that may teach a
 * worker something are copied to every worker so that each learns
 * neighbours (dp_rx_neigh_to_share()). IPv6 takes the paths of IPv4:
 * Neighbor Discovery beside ARP, ICMPv6 echo beside ICMP, TCP into the
 * same table. An ICMP fragmentation needed or ICMPv6 Packet Too Big goes
 * to the TCP layer of the worker owning the connection it quotes,
 * steered by the quoted 4-tuple. Every frame is handled as its port's
 * (struct dp_core_port): the port polled, or for a frame from a ring the
 * one its mbuf names.
 */
#include <string.h>
#include <time.h>

#include <rte_mbuf.h>

#include "dp_internal.h"
#include "dp_rx_free.h"
#include "net_parse4.h"

/* Where a frame comes from. */
enum dp_rx_origin {
	DP_RX_WIRE,    /* our RX queue, owner not known yet */
	DP_RX_OWNED,   /* our RX queue, and we own its flow */
	DP_RX_STEERED, /* another worker's ring */
};

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
dp_drop(struct dp_core *core, struct dp_core_port *cp, struct rte_mbuf *m,
	enum net_drop why)
{
	core->drops[why]++;
	cp->cnt.rx_drop++;
	rte_pktmbuf_free(m);
}

/* Send a frame we rewrote in place (ARP or ICMP reply) on its port. */
static void
dp_rx_reply(struct dp_core *core, struct dp_core_port *cp, struct rte_mbuf *m,
	    uint32_t len)
{
	m->data_len = len;
	m->pkt_len = len;
	m->ol_flags = 0;
	dp_tx_enqueue(core, cp, m);
}

/*
 * RFC 1122 3.3.6: a datagram to a unicast address of ours is discarded
 * when it came in a link-layer broadcast or multicast frame, or one to
 * another station (a port seeing all frames). Neighbor Discovery, which
 * comes to multicast MACs, is taken before this is asked.
 */
static inline bool
dp_rx_to_our_mac(const struct dp_port *p, const struct net_frame *f)
{
	uint32_t a, b;
	uint16_t c, d;

	memcpy(&a, f->dst_mac, 4);
	memcpy(&b, p->mac, 4);
	memcpy(&c, f->dst_mac + 4, 2);
	memcpy(&d, p->mac + 4, 2);
	return ((a ^ b) | (uint32_t)(c ^ d)) == 0;
}

/*
 * An ARP or Neighbor Discovery frame unicast to another station, seen by
 * a port that takes all frames: not ours to answer or learn from (Linux
 * drops such a PACKET_OTHERHOST frame in arp_rcv() and ipv6_rcv()).
 */
static inline bool
dp_rx_to_other_station(const struct dp_port *p, const struct net_frame *f)
{
	return !(f->dst_mac[0] & 1) && !dp_rx_to_our_mac(p, f);
}

/*
 * A copy from another worker: an ARP frame it received (to learn from
 * here too; it counted the refusals) or a request it sent (its reply may
 * reach any worker).
 */
static void
dp_rx_arp_copy(struct dp_core *core, struct dp_core_port *cp,
	       struct rte_mbuf *m, const struct net_frame *f, uint64_t now)
{
	const struct dp_port *p = cp->port;

	if (f->arp_spa == p->addr && f->arp_op == NET_ARP_OP_REQUEST)
		dp_neigh_asked(cp, f, now);
	else if (f->arp_tpa == p->addr)
		dp_neigh_input(core, cp, f, now, false);
	rte_pktmbuf_free(m);
}

/*
 * Whether the other workers get a copy of an ARP or ND frame this one
 * took as v (dp_neigh_share()): what may change their tables. A reply
 * or advertisement may answer a request another worker sent, whatever
 * it was here. A request or solicitation is copied only when it taught
 * this worker a MAC (LEARNED), which is then news to the others too:
 * what a sender is refused for here (off-link, unusable), every worker
 * refuses; one that repeated a MAC already known (KNOWN: it changes
 * nothing, not even the entry's age), or that the table refused
 * (a conflict with a live entry, no slot), would cost each other worker
 * a copy and a lookup for nothing, so that a flood of them, one reply
 * each on the wire, was a copy per worker and frame inside; and a
 * conflict copied could fill a worker that had let the entry go with
 * the MAC the live one refused. The other workers' entries of a
 * neighbour that keeps asking are confirmed by their own requests when
 * they age (arp_max_age_ms), whose replies are copied.
 */
static inline bool
dp_rx_neigh_to_share(bool request, enum net_neigh_learn v)
{
	if (v == NET_NEIGH_OFFLINK || v == NET_NEIGH_BAD_SENDER)
		return false;
	return !request || v == NET_NEIGH_LEARNED;
}

/*
 * RFC 5227 2.4: an ARP frame from another station that gives our
 * address as its sender's, request or reply, whatever its target: a
 * host configured with our address, or one telling its neighbours (the
 * gateway, clients) that our address is at its MAC, which would take
 * our connections' traffic. It is neither answered nor learned from;
 * tcpterm defends its address indefinitely (2.4 (c)) with an ARP
 * Announcement (2.3: a broadcast request from and for our address),
 * at most one per DEFEND_INTERVAL (net_neigh_defend()), so that the
 * neighbours it misled learn our MAC again. Linux ignores such frames.
 */
static __attribute__((noinline, cold)) void
dp_rx_arp_conflict(struct dp_core *core, struct dp_core_port *cp,
		   struct rte_mbuf *m, uint64_t now)
{
	const struct dp_port *p = cp->port;
	uint32_t len;

	core->cnt.arp_addr_conflict++;
	if (!net_neigh_defend(&cp->neigh, now)) {
		rte_pktmbuf_free(m);
		return;
	}
	len = net_build_arp(rte_pktmbuf_mtod(m, uint8_t *),
			    m->buf_len - m->data_off, p->vlan,
			    NET_ARP_OP_REQUEST, p->mac, p->addr, NULL, p->addr);
	if (len == 0) {
		core->cnt.tx_build_fail++;
		rte_pktmbuf_free(m);
		return;
	}
	core->cnt.arp_defends_tx++;
	dp_rx_reply(core, cp, m, len);
}

/*
 * ARP is per port: a port answers for its own address only (an ARP
 * request on port B for port A's address is not ours), and learns into
 * its own table.
 */
static void
dp_rx_arp(struct dp_core *core, struct dp_core_port *cp, struct rte_mbuf *m,
	  const struct net_frame *f, enum dp_rx_origin origin, uint64_t now)
{
	const struct dp_port *p = cp->port;
	enum net_neigh_learn v;
	uint32_t len;

	if (origin == DP_RX_STEERED) {
		dp_rx_arp_copy(core, cp, m, f, now);
		return;
	}
	if (unlikely(f->arp_spa == p->addr && p->addr != 0 &&
		     memcmp(f->arp_sha, p->mac, NET_ETH_ALEN) != 0)) {
		dp_rx_arp_conflict(core, cp, m, now);
		return;
	}
	if (unlikely(dp_rx_to_other_station(p, f))) {
		dp_drop(core, cp, m, NET_DROP_ETH_NOT_US);
		return;
	}
	/* A port without IPv4 (address 0) answers no ARP. */
	if (f->arp_tpa != p->addr || unlikely(p->addr == 0)) {
		cp->cnt.arp_not_ours++;
		dp_drop(core, cp, m, NET_DROP_ARP_NOT_US);
		return;
	}
	v = dp_neigh_input(core, cp, f, now, true);
	if (core->n_workers > 1 &&
	    dp_rx_neigh_to_share(f->arp_op == NET_ARP_OP_REQUEST, v))
		dp_neigh_share(core, m);
	if (f->arp_op != NET_ARP_OP_REQUEST) {
		core->cnt.arp_replies_rx++;
		rte_pktmbuf_free(m);
		return;
	}
	core->cnt.arp_requests_rx++;
	cp->cnt.arp_requests_rx++;
	/*
	 * A request from our own address and MAC (a conflicting one went
	 * to dp_rx_arp_conflict()) is a frame of ours come back, such as
	 * our announcement on a link that reflects broadcasts, or one
	 * forged so: its reply would go to ourselves. The neighbour table
	 * refused the sender (arp_bad_sender_drop); as Linux, whose route
	 * lookup refuses a local source, no reply.
	 */
	if (unlikely(f->arp_spa == p->addr)) {
		rte_pktmbuf_free(m);
		return;
	}
	len = net_build_arp(rte_pktmbuf_mtod(m, uint8_t *),
			    m->buf_len - m->data_off, p->vlan, NET_ARP_OP_REPLY,
			    p->mac, p->addr, f->arp_sha, f->arp_spa);
	if (len == 0) {
		core->cnt.tx_build_fail++;
		rte_pktmbuf_free(m);
		return;
	}
	core->cnt.arp_replies_tx++;
	cp->cnt.arp_replies_tx++;
	dp_rx_reply(core, cp, m, len);
}

/*
 * RFC 1122 3.2.2.8: the timestamp an echo reply's Timestamp option
 * gets, from the wall clock (as Linux's inet_current_timestamp()). Out
 * of line and cold: the burst loop dp_rx_icmp() is inlined into keeps
 * no clock code.
 */
static __rte_noinline __rte_cold uint32_t
dp_rx_ip_timestamp(void)
{
	struct timespec t;

	if (clock_gettime(CLOCK_REALTIME, &t) != 0)
		return NET_IP_TS_NONSTD;
	return net_ip_timestamp((uint64_t)t.tv_sec, (uint32_t)t.tv_nsec);
}

static void
dp_rx_icmp(struct dp_core *core, struct dp_core_port *cp, struct rte_mbuf *m,
	   const struct net_frame *f)
{
	uint32_t ts = 0, len;

	/* The wall clock is read only for a request with options. */
	if (f->l4_off - f->l3_off > NET_IPV4_HLEN)
		ts = dp_rx_ip_timestamp();
	len = net_icmp_echo_reply(rte_pktmbuf_mtod(m, uint8_t *), f,
				  cp->port->mac, ts);
	core->cnt.icmp_echo_replies++;
	dp_rx_reply(core, cp, m, len);
}

/*
 * The Toeplitz hash of a frame's flow: the device's when it computed it
 * with our key and RETA (hardware steering), ours otherwise. A frame
 * steered to us is always hashed again: an independent ownership check.
 */
static inline bool
dp_rx_device_hashed(const struct dp_port *p, const struct rte_mbuf *m)
{
	return p->steer == DP_STEER_HARDWARE &&
		(m->ol_flags & RTE_MBUF_F_RX_RSS_HASH) != 0;
}

/*
 * An IPv6 frame with extension headers may be hashed by the device over
 * its addresses alone (or not at all): ours is the flow's.
 */
static inline uint32_t
dp_rx_hash(const struct dp_port *p, const struct rte_mbuf *m,
	   const struct net_frame *f, bool steered)
{
	if (!steered && dp_rx_device_hashed(p, m) &&
	    (f->family == NET_FAMILY_IPV4 ||
	     f->l4_off == f->l3_off + NET_IPV6_HLEN))
		return m->hash.rss;
	return dp_port_hash(p, &f->seg);
}

/*
 * The software hash of a plain IPv6 TCP frame to us (no extension
 * header: the device hashes it the same); -1 when it is not one.
 */
static inline int
dp_rx_peek6(const struct dp_port *p, const struct rte_mbuf *m, uint32_t *h)
{
	struct net_rss_tuple6 t;

	if (!p->has_ipv6 ||
	    net_rss_peek_tcp6(rte_pktmbuf_mtod(m, const uint8_t *), m->data_len,
			      &t) != 0 ||
	    memcmp(t.daddr, p->addr6, NET_IPV6_ALEN) != 0)
		return -1;
	*h = dp_rx_device_hashed(p, m) ?
		m->hash.rss :
		net_rss_tab_tcp6(p->rss_tab6, t.saddr, t.daddr, t.sport,
				 t.dport);
	return 0;
}

/*
 * Steer a frame from the wire by its 4-tuple alone, before validating it:
 * the owner does that. Returns 1 when handed over, 0 when the flow is
 * ours, -1 when the frame is not a plain IPv4 or IPv6 TCP frame to us
 * (the full parse decides).
 */
static inline int
dp_rx_steer_early(struct dp_core *core, const struct dp_port *p,
		  struct rte_mbuf *m)
{
	struct net_rss_tuple t;
	unsigned int owner;
	uint32_t h;

	if (net_rss_peek_tcp4(rte_pktmbuf_mtod(m, const uint8_t *), m->data_len,
			      &t) == 0 &&
	    t.daddr == p->addr)
		h = dp_rx_device_hashed(p, m) ?
			m->hash.rss :
			net_rss_tab_tcp4(p->rss_tab, t.saddr, t.daddr, t.sport,
					 t.dport);
	else if (dp_rx_peek6(p, m, &h) != 0)
		return -1;
	owner = dp_port_owner(p, h);
	if (owner == core->worker)
		return 0;
	dp_steer_out(core, owner, m);
	return 1;
}

/* A TCP frame kept for the second half of the burst. */
struct dp_rx_seg {
	struct rte_mbuf *m;
	uint32_t hash; /* tcp_seg_hash() */
	struct net_frame f;
};

/*
 * Keep a TCP frame of a flow this worker owns for tcp_input_hash(), and
 * prefetch the flow table line its lookup will read; hand any other to
 * its owner. Returns true when kept.
 */
static __rte_always_inline bool
dp_rx_tcp(struct dp_core *core, const struct dp_port *p, struct dp_rx_seg *rs,
	  enum dp_rx_origin origin)
{
	bool steered = origin == DP_RX_STEERED;
	struct rte_mbuf *m = rs->m;
	unsigned int owner;

	if (core->n_workers > 1 && origin != DP_RX_OWNED) {
		owner = dp_port_owner(p, dp_rx_hash(p, m, &rs->f, steered));
		if (unlikely(owner != core->worker)) {
			if (steered) {
				/* Never touch a flow another worker owns. */
				core->cnt.ownership_violations++;
				rte_pktmbuf_free(m);
				return false;
			}
			dp_steer_out(core, owner, m);
			return false;
		}
	}
	rs->hash = tcp_seg_hash_prefetch(core->tcp, &rs->f.seg);
	return true;
}

/*
 * An ICMP fragmentation needed or ICMPv6 Packet Too Big for us (RFC
 * 1191, RFC 8201): for the TCP layer of the worker owning the connection
 * it quotes (tcp_pmtu_input() validates and acts). RSS hashed its outer
 * header, so the worker that received it is often another: it is
 * steered by the quoted 4-tuple as dp_rx_tcp() steers a segment, and
 * counted once, where it came in. The owner drains the segments the
 * TCP layer queued (the resend at the new size) before the burst's TCP
 * frames run. Out of line: rare, and off the TCP path.
 */
static __attribute__((noinline)) void
dp_rx_ptb(struct dp_core *core, struct dp_core_port *cp, struct rte_mbuf *m,
	  const struct net_frame *f, enum dp_rx_origin origin, uint64_t now)
{
	const struct dp_port *p = cp->port;
	struct net_seg q;
	unsigned int owner;

	if (origin != DP_RX_STEERED) {
		if (f->family == NET_FAMILY_IPV6)
			core->cnt.icmp6_ptb_rx++;
		else
			core->cnt.icmp_ptb_rx++;
	}
	net_icmp_quote_seg(rte_pktmbuf_mtod(m, const uint8_t *), f, &q);
	if (core->n_workers > 1) {
		owner = dp_port_owner(p, dp_port_hash(p, &q));
		if (owner != core->worker) {
			if (origin == DP_RX_STEERED) {
				/* Never touch a flow another worker owns. */
				core->cnt.ownership_violations++;
				rte_pktmbuf_free(m);
				return;
			}
			dp_steer_out(core, owner, m);
			return;
		}
	}
	tcp_pmtu_input(core->tcp, &q, f->icmp_mtu, now);
	dp_tx_outq(core, now);
	rte_pktmbuf_free(m);
}

/*
 * A copy of a Neighbor Discovery frame from another worker: one it
 * received (to learn from here too; it counted the refusals) or a
 * solicitation it sent (the answer may reach any worker).
 */
static void
dp_rx_nd_copy(struct dp_core *core, struct dp_core_port *cp, struct rte_mbuf *m,
	      const struct net_frame *f, uint64_t now)
{
	const uint8_t *frame = rte_pktmbuf_mtod(m, const uint8_t *);

	if (f->kind == NET_KIND_ND_NS &&
	    memcmp(f->seg.saddr6, cp->port->addr6, NET_IPV6_ALEN) == 0)
		dp_neigh6_asked(cp, frame, f, now);
	else
		dp_neigh6_input(core, cp, frame, f, now, false);
	rte_pktmbuf_free(m);
}

/*
 * A Neighbor Discovery frame giving our address as its sender's (a
 * solicitation from it) or as the one advertised (an advertisement for
 * it); from another station when its Ethernet source or its link-layer
 * address option is not our MAC.
 */
static inline bool
dp_rx_nd_claims_ours(const struct dp_port *p, const uint8_t *frame,
		     const struct net_frame *f)
{
	const uint8_t *a = f->kind == NET_KIND_ND_NS ? f->seg.saddr6 :
						       frame + f->nd_target_off;

	return memcmp(a, p->addr6, NET_IPV6_ALEN) == 0;
}

static inline bool
dp_rx_nd_from_other(const struct dp_port *p, const uint8_t *frame,
		    const struct net_frame *f)
{
	return memcmp(f->src_mac, p->mac, NET_ETH_ALEN) != 0 ||
		(f->nd_lladdr_off != 0 &&
		 memcmp(frame + f->nd_lladdr_off, p->mac, NET_ETH_ALEN) != 0);
}

/* Another station claims our address in the ND frame in m. */
static inline bool
dp_rx_nd_claimed(const struct dp_port *p, const struct rte_mbuf *m,
		 const struct net_frame *f)
{
	const uint8_t *frame = rte_pktmbuf_mtod(m, const uint8_t *);

	return dp_rx_nd_claims_ours(p, frame, f) &&
		dp_rx_nd_from_other(p, frame, f);
}

/*
 * Another station claims our address: a host configured with it, or one
 * telling the gateway and clients that it is at its MAC (an unsolicited
 * advertisement with Override redirects a neighbour's live entry, RFC
 * 4861 7.2.5), which would take our connections' traffic. It is neither
 * answered nor learned from; as for ARP (RFC 5227 2.4 (c)), tcpterm keeps
 * its address and defends it with an unsolicited advertisement to
 * all-nodes (RFC 4861 7.2.6), at most one per 10 s (net_neigh6_defend()),
 * so that the misled neighbours take our MAC again. Linux ignores such
 * an advertisement (it logs it), answers such a solicitation (to its own
 * address, at the claimant's MAC) and has no defence.
 */
static __attribute__((noinline, cold)) void
dp_rx_nd_conflict(struct dp_core *core, struct dp_core_port *cp,
		  struct rte_mbuf *m, uint64_t now)
{
	const struct dp_port *p = cp->port;
	uint32_t len;

	core->cnt.nd_addr_conflict++;
	if (!net_neigh6_defend(&cp->neigh6, now)) {
		rte_pktmbuf_free(m);
		return;
	}
	len = net_nd_na_announce(rte_pktmbuf_mtod(m, uint8_t *),
				 m->buf_len - m->data_off, p->vlan, p->mac,
				 p->addr6);
	if (len == 0) {
		core->cnt.tx_build_fail++;
		rte_pktmbuf_free(m);
		return;
	}
	core->cnt.nd_defends_tx++;
	dp_rx_reply(core, cp, m, len);
}

/*
 * RFC 4861 7.2.3/7.2.5: a solicitation for our address (its target, not
 * only its destination: a solicited-node address is shared) is learned
 * from and answered in place; an advertisement may answer ours.
 */
static void
dp_rx_nd(struct dp_core *core, struct dp_core_port *cp, struct rte_mbuf *m,
	 const struct net_frame *f, uint64_t now)
{
	const struct dp_port *p = cp->port;
	uint8_t *frame = rte_pktmbuf_mtod(m, uint8_t *);
	enum net_neigh_learn v;
	uint32_t len;

	if (f->kind == NET_KIND_ND_NS &&
	    memcmp(frame + f->nd_target_off, p->addr6, NET_IPV6_ALEN) != 0) {
		cp->cnt.ip6_not_ours++;
		dp_drop(core, cp, m, NET_DROP_IP6_NOT_US);
		return;
	}
	/*
	 * A solicitation from our own address and MAC (another MAC is a
	 * conflict, dp_rx_ip6()) is a frame of ours come back, or one
	 * forged so: its answer would go to ourselves (as dp_rx_arp()).
	 */
	if (unlikely(f->kind == NET_KIND_ND_NS &&
		     dp_rx_nd_claims_ours(p, frame, f))) {
		dp_drop(core, cp, m, NET_DROP_IP6_BAD_SRC);
		return;
	}
	v = dp_neigh6_input(core, cp, frame, f, now, true);
	if (core->n_workers > 1 &&
	    dp_rx_neigh_to_share(f->kind == NET_KIND_ND_NS, v))
		dp_neigh_share(core, m);
	if (f->kind == NET_KIND_ND_NA) {
		core->cnt.nd_adverts_rx++;
		rte_pktmbuf_free(m);
		return;
	}
	core->cnt.nd_solicits_rx++;
	cp->cnt.nd_solicits_rx++;
	len = net_nd_na_reply(frame, m->buf_len - m->data_off, frame, f,
			      p->mac);
	if (len == 0) {
		core->cnt.tx_build_fail++;
		rte_pktmbuf_free(m);
		return;
	}
	core->cnt.nd_adverts_tx++;
	cp->cnt.nd_adverts_tx++;
	dp_rx_reply(core, cp, m, len);
}

/*
 * RFC 1122 3.2.1.3: besides the sources no host has (net_parse()), the
 * port's own address (a "land" SYN would open a connection with
 * itself) and its subnet's directed broadcast, in the standard form
 * and in 4.2BSD's, the host part zero, which 3.3.6 says hosts SHOULD
 * take as a broadcast too (neither on a /31 or /32: net is 0 there, a
 * source net_parse() refuses already).
 */
static inline bool
dp_rx_src_bad4(const struct dp_port *p, uint32_t saddr)
{
	return saddr == p->addr || saddr == p->bcast || saddr == p->net;
}

/* Whether the unicast datagram for us in f is one to discard. */
static inline bool
dp_rx_unicast_bad(const struct dp_port *p, const struct net_frame *f)
{
	if (!dp_rx_to_our_mac(p, f))
		return true;
	if (f->family == NET_FAMILY_IPV6)
		return memcmp(f->seg.saddr6, p->addr6, NET_IPV6_ALEN) == 0;
	return dp_rx_src_bad4(p, f->saddr);
}

/* Drop a frame dp_rx_unicast_bad() refused, counted by its reason. */
static __attribute__((noinline, cold)) void
dp_rx_unicast_drop(struct dp_core *core, struct dp_core_port *cp,
		   struct rte_mbuf *m, const struct net_frame *f)
{
	enum net_drop why = NET_DROP_IP_BAD_SRC;

	if (!dp_rx_to_our_mac(cp->port, f))
		why = NET_DROP_ETH_NOT_US;
	else if (f->family == NET_FAMILY_IPV6)
		why = NET_DROP_IP6_BAD_SRC;
	dp_drop(core, cp, m, why);
}

/*
 * IPv6 for a port: its unicast address (TCP, echo, Packet Too Big), its
 * solicited-node address (solicitations), all-nodes (advertisements);
 * another address, or a port without IPv6, is not ours (the strong host
 * model of RFC 1122 3.3.4.2, as for IPv4). Returns true for a TCP
 * segment kept for the second pass.
 */
static bool
dp_rx_ip6(struct dp_core *core, struct dp_core_port *cp, struct dp_rx_seg *rs,
	  enum dp_rx_origin origin, uint64_t now)
{
	const struct dp_port *p = cp->port;
	const struct net_frame *f = &rs->f;
	struct rte_mbuf *m = rs->m;
	bool nd = f->kind == NET_KIND_ND_NS || f->kind == NET_KIND_ND_NA;

	if (p->has_ipv6 && nd && origin == DP_RX_STEERED) {
		dp_rx_nd_copy(core, cp, m, f, now);
		return false;
	}
	/*
	 * Before the destination is looked at, as for ARP (dp_rx_arp()):
	 * a claim to our address need not be sent to us. A host with our
	 * address solicits the gateway at its solicited-node group (which
	 * we see, taking all multicast), and the gateway takes the
	 * solicitation's MAC for our address (RFC 4861 7.2.3).
	 */
	if (unlikely(p->has_ipv6 && nd && dp_rx_nd_claimed(p, m, f))) {
		dp_rx_nd_conflict(core, cp, m, now);
		return false;
	}
	if (!p->has_ipv6 || !net_ip6_for_us(f, p->addr6)) {
		cp->cnt.ip6_not_ours++;
		dp_drop(core, cp, m, NET_DROP_IP6_NOT_US);
		return false;
	}
	if (!nd) {
		if (unlikely(dp_rx_unicast_bad(p, f))) {
			dp_rx_unicast_drop(core, cp, m, f);
			return false;
		}
	} else if (unlikely(dp_rx_to_other_station(p, f))) {
		dp_drop(core, cp, m, NET_DROP_ETH_NOT_US);
		return false;
	}
	switch (f->kind) {
	case NET_KIND_TCP:
		return dp_rx_tcp(core, p, rs, origin);
	case NET_KIND_ICMP6_ECHO:
		core->cnt.icmp6_echo_replies++;
		dp_rx_reply(core, cp, m,
			    net_icmp6_echo_reply(rte_pktmbuf_mtod(m, uint8_t *),
						 f, p->mac));
		return false;
	case NET_KIND_ND_NS:
	case NET_KIND_ND_NA:
		dp_rx_nd(core, cp, m, f, now);
		return false;
	case NET_KIND_ICMP6_PTB:
		dp_rx_ptb(core, cp, m, f, origin, now);
		return false;
	default:
		dp_drop(core, cp, m, NET_DROP_ICMP6_TYPE);
		return false;
	}
}

/*
 * Validate and classify one frame. ARP, ICMP, drops and frames for other
 * workers are done with here; a TCP frame for us is left in *rs and true
 * returned. In line in the burst loop, as dp_rx_tcp() is in it: their
 * calls cost ~30 instructions a frame in saved registers.
 */
static __rte_always_inline bool
dp_rx_one(struct dp_core *core, struct dp_core_port *cp, struct dp_rx_seg *rs,
	  enum dp_rx_origin origin, uint64_t now)
{
	const struct dp_port *p = cp->port;
	enum net_csum_status ip = NET_CSUM_UNKNOWN, l4 = NET_CSUM_UNKNOWN;
	struct rte_mbuf *m = rs->m;
	struct net_frame *f = &rs->f;
	enum net_drop why;
	int early;

	/* A steered frame is handled as the port its mbuf names. */
	if (origin != DP_RX_STEERED)
		m->port = p->port_id;
	if (m->nb_segs != 1) {
		core->cnt.rx_nonlinear_drop++;
		rte_pktmbuf_free(m);
		return false;
	}
	if (origin == DP_RX_WIRE && core->n_workers > 1) {
		early = dp_rx_steer_early(core, p, m);
		if (early > 0)
			return false;
		if (early == 0)
			origin = DP_RX_OWNED;
	}
	/* The offload flags travel with a steered mbuf. */
	if (p->rx_csum) {
		ip = dp_csum_status(m->ol_flags, RTE_MBUF_F_RX_IP_CKSUM_MASK,
				    RTE_MBUF_F_RX_IP_CKSUM_GOOD,
				    RTE_MBUF_F_RX_IP_CKSUM_BAD);
		l4 = dp_csum_status(m->ol_flags, RTE_MBUF_F_RX_L4_CKSUM_MASK,
				    RTE_MBUF_F_RX_L4_CKSUM_GOOD,
				    RTE_MBUF_F_RX_L4_CKSUM_BAD);
	}
	/* net_parse() in line: no call, nor its saved registers. */
	why = net__parse_inline(rte_pktmbuf_mtod(m, const uint8_t *),
				m->data_len, ip, l4, f);
	if (why != NET_DROP_NONE) {
		dp_drop(core, cp, m, why);
		return false;
	}
	/*
	 * One VLAN per port: its tag (or none), on receive as on send, so
	 * that every reply goes back on the VLAN its segment came from.
	 */
	if (f->vlan != p->vlan) {
		dp_drop(core, cp, m, NET_DROP_VLAN);
		return false;
	}
	if (f->kind == NET_KIND_ARP) {
		dp_rx_arp(core, cp, m, f, origin, now);
		return false;
	}
	if (f->family == NET_FAMILY_IPV6)
		return dp_rx_ip6(core, cp, rs, origin, now);
	/*
	 * The strong host model (RFC 1122 3.3.4.2): a port accepts only
	 * its own address, so another port's address is not reachable
	 * through it; a port without IPv4 (address 0) none.
	 */
	if (f->daddr != p->addr || unlikely(p->addr == 0)) {
		cp->cnt.ip_not_ours++;
		dp_drop(core, cp, m, NET_DROP_IP_NOT_US);
		return false;
	}
	if (unlikely(dp_rx_unicast_bad(p, f))) {
		dp_rx_unicast_drop(core, cp, m, f);
		return false;
	}
	if (f->kind == NET_KIND_TCP)
		return dp_rx_tcp(core, p, rs, origin);
	if (f->kind == NET_KIND_ICMP_ECHO)
		dp_rx_icmp(core, cp, m, f);
	else if (f->kind == NET_KIND_ICMP_PTB)
		dp_rx_ptb(core, cp, m, f, origin, now);
	else
		dp_drop(core, cp, m, NET_DROP_IP_PROTO);
	return false;
}

/*
 * The port a frame is handled as: the one polled (wire, never NULL for
 * a frame from our RX queue), or the one its mbuf names (from a ring).
 * NULL when this worker serves no such port (counted; the frame is
 * freed). Tested on origin, a constant in each copy of the burst loop.
 */
static inline struct dp_core_port *
dp_rx_port(struct dp_core *core, struct dp_core_port *wire, struct rte_mbuf *m,
	   enum dp_rx_origin origin)
{
	struct dp_core_port *cp;

	if (origin != DP_RX_STEERED)
		return wire;
	cp = dp_core_port_of(core, m->port);
	if (unlikely(cp == NULL)) {
		core->cnt.port_unknown_drop++;
		rte_pktmbuf_free(m);
	}
	return cp;
}

/*
 * A burst in two passes, so that the flow table misses of different
 * frames overlap instead of following one another: validate every frame
 * and prefetch the flow table line of each TCP one, then run TCP. (A
 * middle pass prefetching the connection or TIME_WAIT record found did
 * not pay: it costs a second lookup, and the records in use are mostly
 * cached already.) The TCP frames are freed together at the end, one
 * mempool operation for the burst instead of one per frame, put straight
 * back into their pool when nothing else holds them (dp_rx_free.h). Per burst
 * too: the receive counters of a wire burst.
 */
static void
dp_rx_frames(struct dp_core *core, struct dp_core_port *wire,
	     struct rte_mbuf **m, uint16_t n, uint64_t now,
	     enum dp_rx_origin origin)
{
	struct dp_rx_seg rs[DP_RX_BURST];
	struct rte_mbuf *done[DP_RX_BURST];
	struct dp_rx_seg *kept = rs;
	struct dp_core_port *cp;
	uint64_t bytes = 0;
	uint16_t i, k;

	for (i = 0; i < n; i++) {
		if (i + 1 < n)
			rte_prefetch0(rte_pktmbuf_mtod(m[i + 1], void *));
		bytes += m[i]->pkt_len;
		/* A wire burst's port is never NULL: tested for a ring's. */
		cp = dp_rx_port(core, wire, m[i], origin);
		if (origin == DP_RX_STEERED && unlikely(cp == NULL))
			continue;
		kept->m = m[i];
		if (dp_rx_one(core, cp, kept, origin, now))
			kept++;
	}
	k = (uint16_t)(kept - rs);
	/* A wire burst counts on its port; a steered frame was counted. */
	if (origin != DP_RX_STEERED) {
		core->cnt.rx_packets += n;
		core->cnt.rx_bytes += bytes;
		wire->cnt.rx_packets += n;
		wire->cnt.rx_bytes += bytes;
	}
	for (i = 0; i < k; i++) {
		tcp_input_hash(core->tcp, &rs[i].f.seg, rs[i].hash, now);
		/* The segment's payload points into m: drain before freeing. */
		dp_tx_outq(core, now);
		done[i] = rs[i].m;
	}
	if (k != 0)
		dp_rx_free_bulk_cache(done, k, core->mp, core->mp_cache);
}

/*
 * At most DP_RX_BURST frames at a time: the passes keep state per frame.
 * A single worker owns every flow: its wire frames are owned ones, which
 * spares each frame the tests of steering (a copy of the loop of its own,
 * origin being a constant in each).
 */
static void
dp_rx_chunks(struct dp_core *core, struct dp_core_port *wire,
	     struct rte_mbuf **m, uint16_t n, uint64_t now,
	     enum dp_rx_origin origin)
{
	bool single = origin == DP_RX_WIRE && core->n_workers == 1;
	uint16_t k;

	while (n > 0) {
		k = n < DP_RX_BURST ? n : DP_RX_BURST;
		if (single)
			dp_rx_frames(core, wire, m, k, now, DP_RX_OWNED);
		else
			dp_rx_frames(core, wire, m, k, now, origin);
		m += k;
		n -= k;
	}
}

void
dp_rx_burst(struct dp_core *core, struct dp_core_port *cp, struct rte_mbuf **m,
	    uint16_t n, uint64_t now)
{
	dp_rx_chunks(core, cp, m, n, now, DP_RX_WIRE);
	if (core->steer_pending != 0)
		dp_steer_flush(core);
}

/*
 * Frames another worker steered to us: their mbufs and headers were
 * last written by that worker's core, so each is a miss here. Their
 * lines are all requested first, so that the misses overlap instead of
 * following one another in the first pass.
 */
void
dp_rx_steered(struct dp_core *core, struct rte_mbuf **m, uint16_t n,
	      uint64_t now)
{
	uint16_t i;

	for (i = 0; i < n; i++)
		rte_prefetch0(m[i]);
	for (i = 0; i < n; i++)
		rte_prefetch0(rte_pktmbuf_mtod(m[i], void *));
	dp_rx_chunks(core, NULL, m, n, now, DP_RX_STEERED);
}
