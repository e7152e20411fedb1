/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * TCP output queue -> mbufs: next-hop MAC, headers, payload from the send
 * buffer, checksums in software or by the device. Frames are batched and
 * sent by dp_tx_flush(). A segment leaves by the port of its source
 * address: the port its connection's segments arrive by.
 */
#include <errno.h>
#include <string.h>

#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "dp_internal.h"
#include "net_tx.h"

#define DP_TTL 64

/* The bytes of the n frames m[] (those the device refused). */
static __rte_noinline uint32_t
dp_tx_sum_bytes(struct rte_mbuf *const *m, uint16_t n)
{
	uint32_t bytes = 0;
	uint16_t i;

	for (i = 0; i < n; i++)
		bytes += m[i]->pkt_len;
	return bytes;
}

/*
 * Hand the batch to the device. Frames it refuses (ring full) stay queued
 * for the next flush rather than being dropped: a short burst of
 * back-pressure must not cost the peer a retransmission timeout. Only
 * when the holding space is full are frames dropped, and counted.
 * tx_bytes counts what the device took: the batch's bytes, summed as
 * frames were queued (tx->bytes), less those of the frames it refused,
 * which stay in tx->bytes for the flush that sends them.
 */
void
dp_tx_flush_port(struct dp_core *core, struct dp_core_port *cp)
{
	struct dp_txbuf *tx = &cp->tx;
	uint32_t bytes;
	uint16_t sent;

	if (tx->n == 0)
		return;
	if (unlikely(cp->txq == DP_NO_QUEUE)) {
		/* The worker that sends them counts their bytes. */
		dp_steer_tx(core, cp, tx->m, tx->n);
		tx->n = 0;
		tx->bytes = 0;
		return;
	}
	sent = rte_eth_tx_burst(cp->port->port_id, cp->txq, tx->m, tx->n);
	bytes = tx->bytes;
	tx->bytes = 0;
	if (unlikely(sent < tx->n)) {
		tx->bytes = dp_tx_sum_bytes(&tx->m[sent], tx->n - sent);
		bytes -= tx->bytes;
	}
	core->cnt.tx_bytes += bytes;
	core->cnt.tx_packets += sent;
	cp->cnt.tx_bytes += bytes;
	cp->cnt.tx_packets += sent;
	tx->stuck = sent > 0 ? 0 : tx->stuck + 1;
	if (unlikely(tx->stuck >= DP_TX_STUCK_FLUSHES)) {
		/* Refused for good: drop the head, let the rest go. */
		core->cnt.tx_stuck_drop++;
		tx->bytes -= tx->m[0]->pkt_len;
		dp_neigh_tx_dropped(core, cp, tx->m[0]);
		rte_pktmbuf_free(tx->m[0]);
		sent = 1;
		tx->stuck = 0;
	}
	if (sent < tx->n) {
		core->cnt.tx_retry += tx->n - sent;
		memmove(tx->m, &tx->m[sent], (tx->n - sent) * sizeof(tx->m[0]));
	}
	tx->n -= sent;
}

void
dp_tx_flush(struct dp_core *core)
{
	unsigned int i;

	for (i = 0; i < core->n_ports; i++)
		dp_tx_flush_port(core, &core->ports[i]);
}

/*
 * m is dropped (counted tx_drop) when the holding area stays full, or
 * when the flush it calls for hands the batch to a full hand-off ring:
 * that drops the batch's tail, m last of all, and only then counts
 * tx_drop (a device queue refusing frames never does).
 */
int
dp_tx_enqueue(struct dp_core *core, struct dp_core_port *cp, struct rte_mbuf *m)
{
	struct dp_txbuf *tx = &cp->tx;
	uint64_t drops;

	if (unlikely(tx->n == DP_TX_HOLD)) {
		dp_tx_flush_port(core, cp);
		if (tx->n == DP_TX_HOLD) {
			core->cnt.tx_drop++;
			cp->cnt.tx_drop++;
			rte_pktmbuf_free(m);
			return -ENOBUFS;
		}
	}
	tx->m[tx->n++] = m;
	tx->bytes += m->pkt_len;
	if (tx->n >= DP_TX_BURST) {
		drops = cp->cnt.tx_drop;
		dp_tx_flush_port(core, cp);
		if (unlikely(cp->cnt.tx_drop != drops))
			return -ENOBUFS;
	}
	return 0;
}

/*
 * dp_tx_enqueue() inline for the common case: room in the batch and no
 * flush due. Anything else (a full batch, a full holding space) takes the
 * out-of-line path, which behaves as before.
 */
static inline void
dp_tx_enqueue_fast(struct dp_core *core, struct dp_core_port *cp,
		   struct rte_mbuf *m)
{
	struct dp_txbuf *tx = &cp->tx;

	RTE_BUILD_BUG_ON(DP_TX_BURST > DP_TX_HOLD);
	if (likely(tx->n + 1 < DP_TX_BURST)) {
		tx->m[tx->n++] = m;
		tx->bytes += m->pkt_len;
	} else
		dp_tx_enqueue(core, cp, m);
}

/*
 * Copy the segment's payload (up to two pieces of the send ring). The
 * pieces must add up to o->len and fit in cap: checked once, on the
 * lengths, rather than piece by piece in a loop.
 */
static __rte_always_inline int
dp_tx_payload(const struct dp_core *core, const struct tcp_out *o, uint8_t *dst,
	      uint32_t cap)
{
	const uint8_t *ptr[2];
	uint32_t len[2], rest;
	unsigned int n;

	if (o->len == 0)
		return 0;
	n = tcp_out_payload(core->tcp, o, ptr, len);
	if (unlikely(n == 0 || len[0] > o->len || o->len > cap))
		return -1;
	rest = n == 2 ? len[1] : 0;
	if (unlikely(rest != o->len - len[0]))
		return -1;
	memcpy(dst, ptr[0], len[0]);
	if (rest != 0)
		memcpy(dst + len[0], ptr[1], rest);
	return 0;
}

/* Checksums by the device when it offers them for the family. */
static inline enum net_tcp_sums
dp_tx_sums(const struct dp_port *p, bool v6)
{
	if (v6 ? !p->tx_csum6 : !p->tx_csum)
		return NET_TCP_SUMS_SOFTWARE;
	return NET_TCP_SUMS_OFFLOAD;
}

/*
 * For offload, the mbuf says where the headers are (the frame carries
 * what the device wants: the IPv4 header checksum 0, the pseudo-header
 * sum). The flags are added to what dp_tx_mbuf_reset() kept: the mark of
 * a pinned external buffer.
 */
static inline void
dp_tx_offload(const struct dp_port *p, struct rte_mbuf *m, bool v6)
{
	m->l2_len = NET_ETH_HLEN + (p->vlan != 0 ? NET_VLAN_HLEN : 0);
	if (v6) {
		m->ol_flags |= RTE_MBUF_F_TX_IPV6 | RTE_MBUF_F_TX_TCP_CKSUM;
		m->l3_len = NET_IPV6_HLEN;
	} else {
		m->ol_flags |= RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_IP_CKSUM |
			RTE_MBUF_F_TX_TCP_CKSUM;
		m->l3_len = NET_IPV4_HLEN;
	}
}

void
dp_tx_port_init(struct dp_core_port *cp)
{
	net_tx4_tmpl_init(&cp->tx4, cp->port->mac, cp->port->vlan, DP_TTL);
}

/* The description of o's headers for net_tx_tcp() and its kin. */
static __rte_always_inline void
dp_tx_desc(struct net_tcp_tx *t, const struct dp_port *p,
	   const struct tcp_out *o, const uint8_t *dst_mac, bool v6)
{
	*t = (struct net_tcp_tx){
		.src_mac = p->mac,
		.dst_mac = dst_mac,
		.opts = &o->opts,
		.saddr6 = v6 ? o->laddr6 : NULL,
		.daddr6 = o->raddr6,
		.saddr = o->laddr,
		.daddr = o->raddr,
		.sport = o->lport,
		.dport = o->rport,
		.seq = o->seq,
		.ack = o->ack,
		.wnd = o->wnd,
		.flags = o->flags,
		.ttl = DP_TTL,
		.vlan = p->vlan,
		.payload_len = o->len,
	};
}

/*
 * The headers of o, written into frame (cap bytes): for IPv4 from the
 * port's template, for IPv6 by net_tx_tcp(). Called once the mbuf is
 * taken and reset: o is read only now, so its fields go straight from
 * o to the frame rather than being read before the mbuf's stores
 * (which the compiler must assume may alias o) and kept on the stack
 * across them. For IPv4 the frame is sized first, from o's options and
 * length alone; then the addresses are read and written, and only then
 * the TCP fields, for the same reason.
 */
static __rte_always_inline uint32_t
dp_tx_hdrs(uint8_t *frame, uint32_t cap, const struct dp_core_port *cp,
	   const struct tcp_out *o, const uint8_t *dst_mac, bool v6,
	   enum net_tcp_sums sums, uint32_t *l4_off, uint64_t *sum)
{
	struct net_tcp_tx t;
	uint32_t hlen, tcp_hlen, ns, l4;
	uint64_t pseudo;

	if (v6) {
		dp_tx_desc(&t, cp->port, o, dst_mac, true);
		return net_tx_tcp(frame, cap, &t, sums, l4_off, sum);
	}
	hlen = net_tx_tcp4_len(&cp->tx4, &o->opts, o->len, cap, &tcp_hlen, &ns);
	if (hlen == 0)
		return 0;
	l4 = hlen - tcp_hlen;
	pseudo = net_tx_tcp4_l3(frame, &cp->tx4, dst_mac, o->laddr, o->raddr,
				tcp_hlen + o->len, sums);
	if (unlikely(o->ip_id != 0))
		net_tx_ip4_frag(frame + cp->tx4.l2_len, o->ip_id, sums);
	dp_tx_desc(&t, cp->port, o, dst_mac, false);
	net_tx_tcp4_l4(frame + l4, &t, tcp_hlen, ns, sums, pseudo, sum);
	*l4_off = l4;
	return hlen;
}

/*
 * rte_pktmbuf_reset() of an mbuf just taken from its pool, less what
 * needs no store: every mbuf in a pool has one segment, next NULL and
 * reference count 1 (rte_mbuf_raw_alloc(); whatever frees one into
 * the pool makes it so), and the frame's lengths and port are written
 * as it is built (dp_tx_build_sums()). The rest may hold what a
 * receive left in it (the pool is the RX queues' too): offload flags,
 * packet type, VLAN tags, the header lengths, the headroom.
 */
static __rte_always_inline void
dp_tx_mbuf_reset(struct rte_mbuf *m)
{
	m->tx_offload = 0;
	m->vlan_tci = 0;
	m->vlan_tci_outer = 0;
	m->ol_flags &= RTE_MBUF_F_EXTERNAL;
	m->packet_type = 0;
	rte_pktmbuf_reset_headroom(m);
}

/*
 * rte_pktmbuf_alloc() from the core's own mempool cache, taken once
 * (dp_core_bind()) rather than looked up by lcore id per mbuf; without
 * one (not bound, or a pool without caches), rte_pktmbuf_alloc() itself.
 * One mbuf is the top of the cache, as rte_mempool_generic_get() takes
 * it when the cache holds one, without that function's loop and minimum
 * for any count; an empty cache is left to it (it refills the cache).
 * The mbuf's data_len, pkt_len and port are left for the caller.
 */
static __rte_always_inline struct rte_mbuf *
dp_tx_alloc(struct dp_core *core)
{
	struct rte_mempool_cache *cache = core->mp_cache;
	struct rte_mbuf *m;

	if (unlikely(cache == NULL))
		return rte_pktmbuf_alloc(core->mp);
	if (likely(cache->len > 0)) {
		m = cache->objs[--cache->len];
		RTE_MEMPOOL_CACHE_STAT_ADD(cache, get_success_bulk, 1);
		RTE_MEMPOOL_CACHE_STAT_ADD(cache, get_success_objs, 1);
	} else if (rte_mempool_generic_get(core->mp, (void **)&m, 1, cache) <
		   0) {
		return NULL;
	}
	__rte_mbuf_raw_sanity_check(m);
	dp_tx_mbuf_reset(m);
	return m;
}

/*
 * Build one segment, its checksums as sums says; returns the mbuf or
 * NULL (counted). The headers are written inline with the sum of their
 * words, so that a software checksum reads back only the payload, once
 * it is copied.
 */
static __rte_always_inline struct rte_mbuf *
dp_tx_build_sums(struct dp_core *core, struct dp_core_port *cp,
		 const struct tcp_out *o, const uint8_t *dst_mac, bool v6,
		 enum net_tcp_sums sums)
{
	const struct dp_port *p = cp->port;
	struct rte_mbuf *m;
	uint32_t cap, hlen, l4_off;
	uint64_t sum;
	uint8_t *frame;

	m = dp_tx_alloc(core);
	if (m == NULL) {
		core->cnt.tx_alloc_fail++;
		cp->cnt.tx_alloc_fail++;
		return NULL;
	}
	frame = rte_pktmbuf_mtod(m, uint8_t *);
	/* rte_pktmbuf_tailroom() of the empty mbuf: data_len is not set. */
	cap = m->buf_len - m->data_off;
	if (sums == NET_TCP_SUMS_OFFLOAD)
		dp_tx_offload(p, m, v6);
	/*
	 * The port, and once the headers fit the lengths, are stored as
	 * soon as known: neither they nor p are kept across the payload's
	 * copy and sum.
	 */
	m->port = p->port_id;
	hlen = dp_tx_hdrs(frame, cap, cp, o, dst_mac, v6, sums, &l4_off, &sum);
	if (hlen == 0)
		goto fail;
	m->data_len = hlen + o->len;
	m->pkt_len = m->data_len;
	if (dp_tx_payload(core, o, frame + hlen, cap - hlen) != 0)
		goto fail;
	if (sums == NET_TCP_SUMS_SOFTWARE)
		net_tx_tcp_csum(frame, l4_off, hlen, o->len, sum);
	return m;
fail:
	core->cnt.tx_build_fail++;
	/* The reset left the lengths to the build: not a stale one freed. */
	m->data_len = 0;
	m->pkt_len = 0;
	rte_pktmbuf_free(m);
	return NULL;
}

/*
 * dp_tx_build_sums() for the checksums the port offers: built once for
 * each, so that neither tests the choice again per header.
 */
static __rte_always_inline struct rte_mbuf *
dp_tx_build(struct dp_core *core, struct dp_core_port *cp,
	    const struct tcp_out *o, const uint8_t *dst_mac)
{
	bool v6 = o->family == TCP_FAMILY_IPV6;

	if (dp_tx_sums(cp->port, v6) == NET_TCP_SUMS_SOFTWARE)
		return dp_tx_build_sums(core, cp, o, dst_mac, v6,
					NET_TCP_SUMS_SOFTWARE);
	return dp_tx_build_sums(core, cp, o, dst_mac, v6, NET_TCP_SUMS_OFFLOAD);
}

/* The next hop of a segment: an IPv4 or IPv6 address, by its family. */
union dp_tx_hop {
	uint32_t a4;
	uint8_t a6[NET_IPV6_ALEN];
};

/* The core's share of the port of o's source address, or NULL. */
static inline struct dp_core_port *
dp_tx_port(struct dp_core *core, const struct tcp_out *o, bool v6)
{
	return v6 ? dp_core_port_by_addr6(core, o->laddr6) :
		    dp_core_port_by_addr(core, o->laddr);
}

/* The next hop's MAC, from ARP or Neighbor Discovery: dp_neigh_resolve(). */
static inline int
dp_tx_resolve(struct dp_core *core, struct dp_core_port *cp,
	      const struct tcp_out *o, bool v6, uint64_t now, uint8_t *mac,
	      union dp_tx_hop *hop)
{
	if (v6)
		return dp_neigh6_resolve(core, cp, o->raddr6, now, mac,
					 hop->a6);
	return dp_neigh_resolve(core, cp, o->raddr, now, mac, &hop->a4);
}

/*
 * A frame whose next hop is being resolved is held for it (RFC 1122
 * 2.3.2.2, RFC 4861 7.2.2): built now (the payload may be in an RX
 * mbuf), the MAC written in when the answer comes.
 */
static __rte_noinline void
dp_tx_hold(struct dp_core *core, struct dp_core_port *cp,
	   const struct tcp_out *o, bool v6, uint64_t now,
	   const union dp_tx_hop *hop)
{
	static const uint8_t none[NET_ETH_ALEN];
	struct rte_mbuf *m;

	core->cnt.neigh_miss++;
	cp->cnt.neigh_miss++;
	m = dp_tx_build(core, cp, o, none);
	if (m == NULL)
		return;
	/* Only now is a frame held (or, hold area full, others are). */
	core->tx_held = true;
	if (v6)
		dp_neigh6_hold(core, cp, m, hop->a6, now);
	else
		dp_neigh_hold(core, cp, m, hop->a4, now);
}

/* One segment out by the port of its source address. */
static void
dp_tx_seg(struct dp_core *core, const struct tcp_out *o, uint64_t now)
{
	bool v6 = o->family == TCP_FAMILY_IPV6;
	struct dp_core_port *cp = dp_tx_port(core, o, v6);
	uint8_t mac[NET_ETH_ALEN];
	const uint8_t *dst;
	union dp_tx_hop hop;
	struct rte_mbuf *m;
	int ret;

	if (unlikely(cp == NULL)) {
		core->cnt.tx_no_port_drop++;
		return;
	}
	/*
	 * The next hop of the last IPv4 segment, as a rule: its MAC is read
	 * where the cache holds it, not copied out first (a path of its own:
	 * the copy's stack buffer and resolution stay off it).
	 */
	dst = v6 ? NULL : net_neigh_cached(&cp->neigh, o->raddr, now);
	if (likely(dst != NULL)) {
		m = dp_tx_build(core, cp, o, dst);
		if (m != NULL)
			dp_tx_enqueue_fast(core, cp, m);
		return;
	}
	ret = dp_tx_resolve(core, cp, o, v6, now, mac, &hop);
	if (ret == -ENETUNREACH) {
		core->drops[NET_DROP_NO_ROUTE]++;
		return;
	}
	if (ret != 0) {
		dp_tx_hold(core, cp, o, v6, now, &hop);
		return;
	}
	m = dp_tx_build(core, cp, o, mac);
	if (m != NULL)
		dp_tx_enqueue_fast(core, cp, m);
}

/*
 * Whether a port of the core holds frames for a next hop being resolved.
 * Only frames dp_tx_hold() held can be, and it sets core->tx_held: the
 * common case (nothing held) tests that flag, inline, without a look at
 * every port or a call to dp_neigh_expire() per segment. Once no port
 * holds a frame (sent on resolution, expired, dropped) it is cleared.
 */
static __rte_noinline void
dp_tx_expire(struct dp_core *core, uint64_t now)
{
	unsigned int i;

	for (i = 0; i < core->n_ports; i++)
		if ((core->ports[i].neigh.n_held |
		     core->ports[i].neigh6.n_held) != 0) {
			dp_neigh_expire(core, now);
			return;
		}
	core->tx_held = false;
}

void
dp_tx_segment(struct dp_core *core, const struct tcp_out *o, uint64_t now)
{
	dp_tx_seg(core, o, now);
}

void
dp_tx_outq(struct dp_core *core, uint64_t now)
{
	struct tcp_outq *q = tcp_outq(core->tcp);
	uint32_t i;

	for (i = 0; i < q->n; i++)
		dp_tx_seg(core, &q->seg[i], now);
	q->n = 0;
	if (unlikely(core->tx_held))
		dp_tx_expire(core, now);
}
