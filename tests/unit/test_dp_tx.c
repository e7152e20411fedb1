/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of the TX glue's failure paths (dp_tx.c, dp_neigh*.c) with
 * the EAL running (--no-huge, --no-pci) and a net_ring port whose TX ring
 * is its own RX ring, so that what is sent can be read back:
 * - an mbuf allocation failure while a segment is built is counted once,
 *   leaks nothing, and the connection recovers by retransmission;
 * - frames for an unresolved next hop are held (counted), sent in order
 *   with the MAC written in when the ARP reply comes, replaced or refused
 *   at their bounds, and dropped (counted, freed) when the reply does
 *   not come within DP_ARP_PROBE_US.
 * Time is passed in (microseconds), as the worker loop does.
 */
/* rte_pktmbuf_pool_create_extbuf() is experimental in DPDK 22.11. */
#define ALLOW_EXPERIMENTAL_API
#include <limits.h>
#include <stdio.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_ring.h>

#include "dp.h"
#include "net_tx.h"
#include "tcp_test.h"

#define POOL_SIZE 255
#define RING_MAX 128
#define PEER_PORT 40000

static const uint8_t our_mac[NET_ETH_ALEN] = { 0x02, 0, 0, 0, 0, 1 };
static const uint8_t peer_mac[NET_ETH_ALEN] = { 0x02, 0, 0, 0, 0, 2 };

static struct rte_mempool *mp;
/* A pool with per-lcore caches, for the allocation tests that need one. */
static struct rte_mempool *cmp;
static struct dp_port port;
static struct dp_core *core;
/* Mbufs taken out of the pool to make it run dry. */
static struct rte_mbuf *taken[POOL_SIZE];
static unsigned int n_taken;

/* Take every mbuf left in the pool: the next allocation fails. */
static void
pool_dry(void)
{
	struct rte_mbuf *m;

	while ((m = rte_pktmbuf_alloc(mp)) != NULL)
		taken[n_taken++] = m;
	assert_int_equal(rte_mempool_avail_count(mp), 0);
}

static void
pool_refill(void)
{
	rte_pktmbuf_free_bulk(taken, n_taken);
	n_taken = 0;
}

/*
 * The frames the port sent, read back by sent(): kept here, not on a
 * test's stack, so that a test failing half-way leaks none of them.
 */
static struct rte_mbuf *rx[RING_MAX];
static unsigned int n_rx;

static void
rx_free(void)
{
	rte_pktmbuf_free_bulk(rx, n_rx);
	n_rx = 0;
}

/*
 * Send the TX batch and read back what the port sent into rx[] (the
 * frames read before are freed). Returns the number read.
 */
static unsigned int
sent(void)
{
	rx_free();
	dp_tx_flush(core);
	n_rx = rte_eth_rx_burst(port.port_id, 0, rx, RING_MAX);
	return n_rx;
}

/* Read back and free what the port sent; returns how many frames. */
static unsigned int
sent_free(void)
{
	unsigned int n = sent();

	rx_free();
	return n;
}

static uint8_t
frame_flags(const struct rte_mbuf *m)
{
	return rte_pktmbuf_mtod(
		m, const uint8_t *)[NET_ETH_HLEN + NET_IPV4_HLEN + 13];
}

static uint32_t
frame_seq(const struct rte_mbuf *m)
{
	const uint8_t *p = rte_pktmbuf_mtod(m, const uint8_t *) + NET_ETH_HLEN +
		NET_IPV4_HLEN + 4;

	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
		(uint32_t)p[2] << 8 | p[3];
}

static uint16_t
frame_type(const struct rte_mbuf *m)
{
	const uint8_t *p = rte_pktmbuf_mtod(m, const uint8_t *) + 12;

	return (uint16_t)(p[0] << 8 | p[1]);
}

/* An ARP frame from the peer at addr (mac): a request for us, or a reply. */
static enum net_neigh_learn
arp_from(uint16_t op, uint32_t addr, const uint8_t *mac)
{
	struct net_frame f;

	memset(&f, 0, sizeof(f));
	f.kind = NET_KIND_ARP;
	f.arp_op = op;
	f.arp_spa = addr;
	f.arp_tpa = LADDR;
	memcpy(f.arp_sha, mac, NET_ETH_ALEN);
	return dp_neigh_input(core, &core->ports[0], &f, now, true);
}

/* A bare ACK to daddr from our port, put on the TCP output queue. */
static void
queue_ack(uint32_t daddr, uint32_t seq)
{
	struct tcp_outq *q = tcp_outq(ctx);
	struct tcp_out *o;

	assert_true(q->n < TCP_OUTQ_SIZE);
	o = &q->seg[q->n++];
	memset(o, 0, sizeof(*o));
	o->family = TCP_FAMILY_IPV4;
	o->laddr = LADDR;
	o->raddr = daddr;
	o->lport = LPORT;
	o->rport = PEER_PORT;
	o->seq = seq;
	o->ack = 1;
	o->wnd = 1000;
	o->flags = NET_TCP_ACK;
}

/* The same to RADDR6 from LADDR6. */
static void
queue_ack6(uint32_t seq)
{
	struct tcp_outq *q = tcp_outq(ctx);

	queue_ack(0, seq);
	q->seg[q->n - 1].family = TCP_FAMILY_IPV6;
	q->seg[q->n - 1].laddr = 0;
	memcpy(q->seg[q->n - 1].laddr6, LADDR6, NET_IPV6_ALEN);
	memcpy(q->seg[q->n - 1].raddr6, RADDR6, NET_IPV6_ALEN);
}

/*
 * Per-port counter name of port 0 summed over the workers, as
 * /tcpterm/ports and the tcpterm_if_*_total families read it; fails
 * the test when no per-port counter has that name.
 */
static uint64_t
port_counter(const char *name)
{
	struct dp_core *const cores[] = { core };
	struct dp_port_counters pc;
	unsigned int i;

	dp_sum_port(cores, 1, 0, &pc);
	for (i = 0; i < DP_PORT_COUNTER_COUNT; i++)
		if (strcmp(dp_port_counter_name(i), name) == 0)
			return ((const uint64_t *)&pc)[i];
	fail_msg("no per-port counter %s", name);
	return 0;
}

/* A full hand-off ring (test_handoff_full_unresolved()), if any. */
static struct rte_ring *handoff;

/* Free it and what it holds; port 0 has its TX queue again. */
static void
handoff_free(void)
{
	struct rte_mbuf *m[RING_MAX];
	unsigned int n;

	if (handoff == NULL)
		return;
	while ((n = rte_ring_dequeue_burst(handoff, (void **)m, RING_MAX,
					   NULL)) != 0)
		rte_pktmbuf_free_bulk(m, n);
	rte_ring_free(handoff);
	handoff = NULL;
	core->ports[0].txq = 0;
	core->ports[0].tx_out = NULL;
}

/* The steering rings of a test with two workers, if any. */
static struct dp_steer *shared;

/* Free them and what they hold. */
static void
shared_free(void)
{
	if (shared == NULL)
		return;
	dp_steer_free(shared);
	free(shared);
	shared = NULL;
}

/* Free whatever the device's ring holds (a test may stop half-way). */
static void
port_drain(void)
{
	struct rte_mbuf *m[RING_MAX];
	unsigned int n;

	while ((n = rte_eth_rx_burst(port.port_id, 0, m, RING_MAX)) != 0)
		rte_pktmbuf_free_bulk(m, n);
}

static int
dp_setup(void **state)
{
	setup(state);
	core = aligned_alloc(RTE_CACHE_LINE_SIZE,
			     RTE_ALIGN_CEIL(sizeof(*core),
					    RTE_CACHE_LINE_SIZE));
	if (core == NULL)
		return -1;
	dp_core_init(core, 0, 0, 1, &port, 1, mp, ctx);
	return 0;
}

/* Whatever a test left is sent or freed: then every mbuf is back. */
static int
dp_teardown(void **state)
{
	pool_refill();
	handoff_free();
	shared_free();
	port_drain();
	sent_free();
	dp_neigh_flush(core);
	assert_int_equal(core->ports[0].tx.n, 0);
	assert_int_equal(rte_mempool_avail_count(mp), POOL_SIZE);
	free(core);
	core = NULL;
	return teardown(state);
}

/*
 * No mbuf for the SYN-ACK: the segment is lost as if on the wire,
 * counted once as tx_alloc_fail and nothing else, and the pool is as it
 * was. The retransmission timer sends it again once mbufs are back, and
 * the handshake completes (RFC 6298 5.4: retransmit on expiry).
 */
static void
test_alloc_fail_synack(void **state)
{
	struct peer p;
	uint32_t iss;

	(void)state;
	assert_int_equal(arp_from(NET_ARP_OP_REQUEST, RADDR, peer_mac),
			 NET_NEIGH_LEARNED);
	assert_int_equal(peer_syn(&p, PEER_PORT, true, 1460), 1);
	iss = out(0)->seq;
	pool_dry();
	dp_tx_outq(core, now);
	assert_int_equal(tcp_outq(ctx)->n, 0);
	assert_int_equal(core->cnt.tx_alloc_fail, 1);
	assert_int_equal(core->ports[0].cnt.tx_alloc_fail, 1);
	assert_int_equal(port_counter("tx_alloc_fail"), 1);
	assert_int_equal(core->cnt.tx_build_fail, 0);
	assert_int_equal(core->cnt.neigh_miss, 0);
	assert_int_equal(core->cnt.tx_drop, 0);
	assert_int_equal(core->ports[0].tx.n, 0);
	pool_refill();
	assert_int_equal(rte_mempool_avail_count(mp), POOL_SIZE);
	assert_int_equal(sent_free(), 0);

	/* The initial RTO later the SYN-ACK goes again, and out. */
	assert_int_equal(timers_at(now + prm.rto_initial_ms * MS), 1);
	dp_tx_outq(core, now);
	assert_int_equal(sent(), 1);
	assert_int_equal(frame_flags(rx[0]), NET_TCP_SYN | NET_TCP_ACK);
	assert_int_equal(frame_seq(rx[0]), iss);
	assert_memory_equal(rte_pktmbuf_mtod(rx[0], uint8_t *), peer_mac,
			    NET_ETH_ALEN);
	rx_free();
	assert_int_equal(core->cnt.tx_alloc_fail, 1);
	assert_int_equal(core->cnt.tx_packets, 1);

	p.iss = iss;
	p.seq++;
	assert_int_equal(send_peer(&p, ACK, iss + 1, NULL, 0), 0);
	assert_int_equal(app.opened, 1);
	assert_int_equal(tcp_conn_state(app.conn), TCP_ESTABLISHED);
}

/*
 * The core allocates from the cache of the lcore that polls it, taken by
 * that lcore (dp_core_bind()): a core set up for another lcore takes
 * none (that lcore's cache is not this thread's to use) and still
 * allocates; bound, the mbufs come from and go back to the binding
 * lcore's cache.
 */
static void
test_alloc_own_cache(void **state)
{
	struct rte_mempool_cache *own;
	unsigned int len;

	(void)state;
	own = rte_mempool_default_cache(cmp, rte_lcore_id());
	assert_non_null(own);
	dp_core_init(core, rte_lcore_id() + 1, 0, 1, &port, 1, cmp, ctx);
	assert_null(core->mp_cache);
	assert_int_equal(arp_from(NET_ARP_OP_REQUEST, RADDR, peer_mac),
			 NET_NEIGH_LEARNED);
	queue_ack(RADDR, 1);
	dp_tx_outq(core, now);
	assert_int_equal(sent_free(), 1);

	dp_core_bind(core);
	assert_ptr_equal(core->mp_cache, own);
	rte_mempool_cache_flush(own, cmp);
	assert_int_equal(own->len, 0);
	queue_ack(RADDR, 2);
	dp_tx_outq(core, now);
	/* Filled from the pool, less the mbuf taken. */
	len = own->len;
	assert_true(len > 0);
	assert_int_equal(rte_mempool_avail_count(cmp), POOL_SIZE - 1);
	queue_ack(RADDR, 3);
	dp_tx_outq(core, now);
	assert_int_equal(own->len, len - 1);
	assert_int_equal(sent(), 2);
	assert_int_equal(frame_seq(rx[0]), 2);
	assert_int_equal(frame_seq(rx[1]), 3);
	assert_int_equal(rx[0]->nb_segs, 1);
	assert_null(rx[0]->next);
	assert_int_equal(rte_mbuf_refcnt_read(rx[0]), 1);
	assert_int_equal(rx[0]->port, port.port_id);
	rx_free();
	assert_int_equal(core->cnt.tx_alloc_fail, 0);
	assert_int_equal(core->cnt.tx_packets, 3);
	assert_int_equal(rte_mempool_avail_count(cmp), POOL_SIZE);
}

/*
 * The pool empty, the own cache too: the segment is lost and counted
 * once as tx_alloc_fail, as with the uncached pool.
 */
static void
test_alloc_own_cache_empty(void **state)
{
	struct rte_mbuf *dry[POOL_SIZE];
	unsigned int n = 0;

	(void)state;
	dp_core_init(core, rte_lcore_id(), 0, 1, &port, 1, cmp, ctx);
	assert_non_null(core->mp_cache);
	assert_int_equal(arp_from(NET_ARP_OP_REQUEST, RADDR, peer_mac),
			 NET_NEIGH_LEARNED);
	while ((dry[n] = rte_pktmbuf_alloc(cmp)) != NULL)
		n++;
	assert_int_equal(n, POOL_SIZE);
	assert_int_equal(core->mp_cache->len, 0);
	queue_ack(RADDR, 1);
	dp_tx_outq(core, now);
	assert_int_equal(tcp_outq(ctx)->n, 0);
	assert_int_equal(core->cnt.tx_alloc_fail, 1);
	assert_int_equal(core->ports[0].cnt.tx_alloc_fail, 1);
	assert_int_equal(core->cnt.tx_build_fail, 0);
	assert_int_equal(core->ports[0].tx.n, 0);
	rte_pktmbuf_free_bulk(dry, n);
	assert_int_equal(sent_free(), 0);
	queue_ack(RADDR, 2);
	dp_tx_outq(core, now);
	assert_int_equal(sent_free(), 1);
	assert_int_equal(core->cnt.tx_alloc_fail, 1);
	assert_int_equal(rte_mempool_avail_count(cmp), POOL_SIZE);
}

/*
 * An mbuf put back into the pool dirty, as a receive or an earlier
 * transmit may leave one: offload flags, VLAN tags, lengths, headroom.
 */
static struct rte_mbuf *
dirty_pooled_mbuf(void)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(cmp);

	assert_non_null(m);
	m->ol_flags = RTE_MBUF_F_RX_VLAN | RTE_MBUF_F_RX_RSS_HASH |
		RTE_MBUF_F_TX_VLAN | RTE_MBUF_F_TX_OUTER_IPV4 |
		RTE_MBUF_F_TX_TCP_SEG;
	m->packet_type = RTE_PTYPE_L2_ETHER | RTE_PTYPE_L3_IPV4;
	m->vlan_tci = 100;
	m->vlan_tci_outer = 200;
	m->tx_offload = UINT64_MAX;
	m->data_off = 0;
	m->data_len = 1500;
	m->pkt_len = 3000;
	m->port = (uint16_t)(port.port_id + 1);
	rte_pktmbuf_free(m);
	return m;
}

/* The peer's MAC learned from its ARP request (a reply is sent). */
static void
peer_learned(void)
{
	assert_int_equal(arp_from(NET_ARP_OP_REQUEST, RADDR, peer_mac),
			 NET_NEIGH_LEARNED);
}

/* A bare ACK to RADDR sent and read back in rx[0]. */
static void
ack_sent(void)
{
	queue_ack(RADDR, 1);
	dp_tx_outq(core, now);
	assert_int_equal(sent(), 1);
}

/*
 * An mbuf back in the pool after a receive keeps what the receive wrote
 * into it (offload flags, packet type, VLAN tags, header lengths,
 * headroom, lengths, port): a frame built in it has none of that, but
 * every field rte_pktmbuf_reset() sets as that would leave it, or as
 * the frame's own. The mbuf freed last is the top of the core's cache,
 * so the next frame is built in it.
 */
static void
test_alloc_recycled_reset(void **state)
{
	struct rte_mbuf *m;

	(void)state;
	dp_core_init(core, rte_lcore_id(), 0, 1, &port, 1, cmp, ctx);
	assert_non_null(core->mp_cache);
	peer_learned();
	m = dirty_pooled_mbuf();
	ack_sent();
	assert_ptr_equal(rx[0], m);
	assert_int_equal(frame_seq(m), 1);
	assert_int_equal(m->ol_flags, 0);
	assert_int_equal(m->packet_type, 0);
	assert_int_equal(m->vlan_tci, 0);
	assert_int_equal(m->vlan_tci_outer, 0);
	assert_int_equal(m->tx_offload, 0);
	assert_int_equal(m->data_off, RTE_PKTMBUF_HEADROOM);
	assert_int_equal(m->data_len,
			 NET_ETH_HLEN + NET_IPV4_HLEN + NET_TCP_HLEN);
	assert_int_equal(m->pkt_len, m->data_len);
	assert_int_equal(m->port, port.port_id);
	assert_int_equal(m->nb_segs, 1);
	assert_null(m->next);
	assert_int_equal(rte_mbuf_refcnt_read(m), 1);
}

/* A single-segment frame of len bytes, set up for checksum offload. */
static void
assert_offload_frame(const struct rte_mbuf *m, bool v6, uint32_t len)
{
	uint64_t want = v6 ? (RTE_MBUF_F_TX_IPV6 | RTE_MBUF_F_TX_TCP_CKSUM) :
			     (RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_IP_CKSUM |
			      RTE_MBUF_F_TX_TCP_CKSUM);

	assert_int_equal(m->ol_flags, want);
	assert_int_equal(m->l2_len, NET_ETH_HLEN);
	assert_int_equal(m->l3_len, v6 ? 40 : NET_IPV4_HLEN);
	assert_int_equal(m->l4_len, 0);
	assert_int_equal(m->tso_segsz, 0);
	assert_int_equal(m->outer_l2_len, 0);
	assert_int_equal(m->outer_l3_len, 0);
	assert_int_equal(m->packet_type, 0);
	assert_int_equal(m->vlan_tci, 0);
	assert_int_equal(m->vlan_tci_outer, 0);
	assert_int_equal(m->data_off, RTE_PKTMBUF_HEADROOM);
	assert_int_equal(m->data_len, len);
	assert_int_equal(m->pkt_len, len);
	assert_int_equal(m->port, port.port_id);
	assert_int_equal(m->nb_segs, 1);
	assert_null(m->next);
}

/*
 * A port with checksum offload: a recycled dirty mbuf goes out with the
 * IPv4 offload flags and lengths only, nothing its last user set.
 */
static void
test_offload_recycled4(void **state)
{
	struct rte_mbuf *m;

	(void)state;
	dp_core_init(core, rte_lcore_id(), 0, 1, &port, 1, cmp, ctx);
	dp_core_bind(core);
	assert_non_null(core->mp_cache);
	port.tx_csum = true;
	port.tx_csum6 = true;
	peer_learned();
	m = dirty_pooled_mbuf();
	ack_sent();
	assert_ptr_equal(rx[0], m);
	assert_offload_frame(m, false,
			     NET_ETH_HLEN + NET_IPV4_HLEN + NET_TCP_HLEN);
	port.tx_csum = false;
	port.tx_csum6 = false;
}

/*
 * A pool of pinned external buffers (rte_pktmbuf_pool_create_extbuf())
 * marks every mbuf RTE_MBUF_F_EXTERNAL for its whole life: the reset
 * keeps the mark (as rte_pktmbuf_reset() does), and so must the offload
 * flags, or the frame is freed as a direct mbuf whose buffer follows
 * the header, which it does not.
 */
static void
test_offload_keeps_external(void **state)
{
	struct rte_pktmbuf_extmem ext;
	struct rte_mempool *xmp;

	(void)state;
	ext.elt_size = RTE_MBUF_DEFAULT_BUF_SIZE;
	ext.buf_len = 8u * ext.elt_size;
	ext.buf_ptr = rte_malloc("tt_txext", ext.buf_len, RTE_CACHE_LINE_SIZE);
	assert_non_null(ext.buf_ptr);
	ext.buf_iova = rte_malloc_virt2iova(ext.buf_ptr);
	xmp = rte_pktmbuf_pool_create_extbuf("tt_txext", 8, 0, 0, ext.elt_size,
					     SOCKET_ID_ANY, &ext, 1);
	assert_non_null(xmp);
	dp_core_init(core, rte_lcore_id(), 0, 1, &port, 1, xmp, ctx);
	port.tx_csum = true;
	peer_learned();
	ack_sent();
	port.tx_csum = false;
	assert_ptr_equal(rx[0]->pool, xmp);
	assert_int_equal(rx[0]->ol_flags,
			 RTE_MBUF_F_EXTERNAL | RTE_MBUF_F_TX_IPV4 |
				 RTE_MBUF_F_TX_IP_CKSUM |
				 RTE_MBUF_F_TX_TCP_CKSUM);
	rx_free();
	dp_neigh_flush(core);
	assert_int_equal(rte_mempool_avail_count(xmp), 8);
	rte_mempool_free(xmp);
	rte_free(ext.buf_ptr);
}

/*
 * The same over IPv6 for a frame held for Neighbor Discovery: built with
 * an all-zero MAC, the IPv6 offload flags and a 40-byte l3_len.
 */
static void
test_offload_recycled6_held(void **state)
{
	struct rte_mbuf *m, *a, *b;
	struct dp_core_port *cp;
	unsigned int i, n = 0;

	(void)state;
	dp_core_init(core, rte_lcore_id(), 0, 1, &port, 1, cmp, ctx);
	dp_core_bind(core);
	cp = &core->ports[0];
	port.tx_csum = true;
	port.tx_csum6 = true;
	/*
	 * The dirty mbuf is put under another, which the solicitation
	 * takes first: the held frame gets the dirty one.
	 */
	m = dirty_pooled_mbuf();
	a = rte_mbuf_raw_alloc(cmp);
	b = rte_mbuf_raw_alloc(cmp);
	assert_ptr_equal(a, m);
	assert_int_equal(a->vlan_tci, 100);
	rte_mbuf_raw_free(a);
	rte_mbuf_raw_free(b);
	queue_ack6(1);
	dp_tx_outq(core, now);
	assert_int_equal(cp->neigh6.n_held, 1);
	for (i = 0; i < NET_NEIGH_HOLD_MAX; i++)
		if (cp->held6[i] != NULL) {
			assert_ptr_equal(cp->held6[i], m);
			n++;
		}
	assert_int_equal(n, 1);
	assert_offload_frame(m, true, NET_ETH_HLEN + 40 + NET_TCP_HLEN);
	/* The MAC is written in when the answer comes. */
	for (i = 0; i < NET_ETH_ALEN; i++)
		assert_int_equal(rte_pktmbuf_mtod(m, uint8_t *)[i], 0);
	sent_free();
	port.tx_csum = false;
	port.tx_csum6 = false;
}

/*
 * A segment whose frame does not fit (tx_build_fail): the mbuf freed
 * passes DPDK's own header check, which rte_pktmbuf_free() runs in an
 * RTE_LIBRTE_MBUF_DEBUG build, with no stale length of its last user.
 */
static void
test_build_fail_frees_sane(void **state)
{
	struct rte_mempool_cache *c;
	struct rte_mbuf *m;
	const char *why = NULL;

	(void)state;
	dp_core_init(core, rte_lcore_id(), 0, 1, &port, 1, cmp, ctx);
	dp_core_bind(core);
	c = core->mp_cache;
	assert_non_null(c);
	assert_int_equal(arp_from(NET_ARP_OP_REQUEST, RADDR, peer_mac),
			 NET_NEIGH_LEARNED);
	m = dirty_pooled_mbuf();
	queue_ack(RADDR, 1);
	tcp_outq(ctx)->seg[0].len = 60000;
	dp_tx_outq(core, now);
	assert_int_equal(core->cnt.tx_build_fail, 1);
	assert_ptr_equal(c->objs[c->len - 1], m);
	if (rte_mbuf_check(m, 1, &why) != 0)
		fail_msg("freed mbuf fails rte_mbuf_check: %s", why);
}

/*
 * No mbuf for a data segment: counted once, and the bytes go out whole
 * on the retransmission.
 */
static void
test_alloc_fail_data(void **state)
{
	static const uint8_t data[100] = { 1, 2, 3 };
	struct peer p;
	uint32_t len;

	(void)state;
	assert_int_equal(arp_from(NET_ARP_OP_REQUEST, RADDR, peer_mac),
			 NET_NEIGH_LEARNED);
	open_peer(&p, PEER_PORT, true);
	dp_tx_outq(core, now);
	assert_int_equal(sent_free(), 0);
	outq()->n = 0;
	assert_int_equal(tcp_send(ctx, p.conn, data, sizeof(data), now),
			 sizeof(data));
	note_ts();
	assert_int_equal(outq()->n, 1);
	pool_dry();
	dp_tx_outq(core, now);
	assert_int_equal(core->cnt.tx_alloc_fail, 1);
	assert_int_equal(core->cnt.tx_build_fail, 0);
	pool_refill();
	assert_int_equal(sent_free(), 0);

	assert_true(timers_at(now + prm.rto_initial_ms * MS) >= 1);
	assert_int_equal(out(0)->len, sizeof(data));
	dp_tx_outq(core, now);
	assert_int_equal(sent(), 1);
	len = rte_pktmbuf_pkt_len(rx[0]);
	assert_true(len > sizeof(data));
	assert_memory_equal(rte_pktmbuf_mtod_offset(rx[0], uint8_t *,
						    len - sizeof(data)),
			    data, sizeof(data));
	assert_int_equal(frame_seq(rx[0]), our_nxt(&p, 0));
	rx_free();
	assert_int_equal(core->cnt.tx_alloc_fail, 1);
}

/*
 * No mbuf while the next hop is unknown: neither the ARP request nor the
 * segment can be built (one tx_alloc_fail each, on the port too), nothing
 * is held, and the lost request is counted arp_request_fail. The table
 * does not take the address as asked for: a reply to the request that
 * never left is refused, and once mbufs are back the very next miss asks
 * at once (not DP_ARP_RETRY_US later) and holds the segment.
 */
static void
test_alloc_fail_unresolved(void **state)
{
	struct dp_core_port *cp = &core->ports[0];
	struct net_neigh *nb = &cp->neigh;
	const struct net_neigh_entry *e;

	(void)state;
	pool_dry();
	queue_ack(RADDR, 100);
	dp_tx_outq(core, now);
	assert_int_equal(core->cnt.neigh_miss, 1);
	assert_int_equal(core->cnt.tx_alloc_fail, 2);
	assert_int_equal(cp->cnt.tx_alloc_fail, 2);
	assert_int_equal(core->cnt.arp_request_fail, 1);
	assert_int_equal(core->cnt.neigh_held, 0);
	assert_int_equal(core->cnt.arp_requests_tx, 0);
	assert_int_equal(nb->n_held, 0);
	e = net_neigh_lookup(nb, RADDR);
	assert_true(e == NULL || !e->pending);
	pool_refill();
	assert_int_equal(rte_mempool_avail_count(mp), POOL_SIZE);
	now += 1000;
	assert_int_equal(arp_from(NET_ARP_OP_REPLY, RADDR, peer_mac),
			 NET_NEIGH_UNSOLICITED);

	now += 1000;
	queue_ack(RADDR, 101);
	dp_tx_outq(core, now);
	assert_int_equal(core->cnt.arp_requests_tx, 1);
	assert_int_equal(core->cnt.arp_rate_limited, 0);
	assert_int_equal(core->cnt.arp_request_fail, 1);
	assert_int_equal(core->cnt.neigh_held, 1);
	assert_int_equal(nb->n_held, 1);
	assert_int_equal(sent(), 1);
	assert_int_equal(frame_type(rx[0]), NET_ETHERTYPE_ARP);
	rx_free();
	/* The request is out now: its answer is taken, the frame sent. */
	assert_int_equal(arp_from(NET_ARP_OP_REPLY, RADDR, peer_mac),
			 NET_NEIGH_LEARNED);
	assert_int_equal(sent_free(), 1);
	assert_int_equal(core->cnt.tx_alloc_fail, 2);
	assert_int_equal(cp->cnt.tx_alloc_fail, 2);
}

/*
 * A live neighbour entry given up for another address is counted
 * (arp_evicted): four on-link peers fill the probe window of a fifth
 * address, whose segment then takes the oldest entry's slot and asks.
 */
static void
test_live_entry_evicted_counted(void **state)
{
	uint32_t a[5], by_slot[256][2], cnt[256] = { 0 }, h, host, n, s;
	uint8_t mac[NET_ETH_ALEN];

	(void)state;
	/* Hosts of the /24 by the slot they hash to (the table's secret). */
	for (host = 1; host < 255; host++) {
		uint32_t addr = (LADDR & 0xffffff00u) | host;

		s = net_neigh_slot_of(&core->ports[0].neigh, addr);
		if (addr != LADDR && cnt[s] < 2)
			by_slot[s][cnt[s]++] = addr;
	}
	/* Two at a slot h, one at each of the next three. */
	for (h = 0; h < 256; h++)
		if (cnt[h] == 2 && cnt[(h + 1) & 255] && cnt[(h + 2) & 255] &&
		    cnt[(h + 3) & 255])
			break;
	assert_true(h < 256);
	for (n = 0; n < 4; n++)
		a[n] = by_slot[(h + n) & 255][0];
	a[4] = by_slot[h][1];
	memcpy(mac, peer_mac, NET_ETH_ALEN);
	for (n = 0; n < 4; n++) {
		mac[5] = (uint8_t)(0x20 + n);
		now += 10;
		assert_int_equal(arp_from(NET_ARP_OP_REQUEST, a[n], mac),
				 NET_NEIGH_LEARNED);
	}
	now += 10;
	queue_ack(a[4], 1);
	dp_tx_outq(core, now);
	assert_int_equal(core->cnt.arp_evicted, 1);
	assert_int_equal(core->cnt.arp_requests_tx, 1);
	rx_free();
}

/*
 * The same for IPv6 (RFC 4861 7.2.2): a solicitation that could not be
 * built is counted nd_solicit_fail, and the next miss solicits at once.
 */
static void
test_alloc_fail_unresolved6(void **state)
{
	struct dp_core_port *cp = &core->ports[0];
	const struct net_neigh6_entry *e;

	(void)state;
	pool_dry();
	queue_ack6(100);
	dp_tx_outq(core, now);
	assert_int_equal(core->cnt.neigh_miss, 1);
	assert_int_equal(core->cnt.tx_alloc_fail, 2);
	assert_int_equal(cp->cnt.tx_alloc_fail, 2);
	assert_int_equal(core->cnt.nd_solicit_fail, 1);
	assert_int_equal(core->cnt.nd_solicits_tx, 0);
	assert_int_equal(cp->neigh6.n_held, 0);
	e = net_neigh6_lookup(&cp->neigh6, RADDR6);
	assert_true(e == NULL || !e->pending);
	pool_refill();

	now += 1000;
	queue_ack6(101);
	dp_tx_outq(core, now);
	assert_int_equal(core->cnt.nd_solicits_tx, 1);
	assert_int_equal(core->cnt.nd_rate_limited, 0);
	assert_int_equal(core->cnt.nd_solicit_fail, 1);
	assert_int_equal(cp->neigh6.n_held, 1);
	assert_int_equal(sent(), 1);
	assert_int_equal(frame_type(rx[0]), NET_ETHERTYPE_IPV6);
	rx_free();
}

/* The mbuf whose references fill the port's ring (port_block()). */
static struct rte_mbuf *blocker;

/*
 * Make the device refuse frames: its ring is filled with references to
 * one mbuf.
 */
static void
device_block(void)
{
	blocker = rte_pktmbuf_alloc(mp);
	assert_non_null(blocker);
	do
		rte_mbuf_refcnt_update(blocker, 1);
	while (rte_eth_tx_burst(port.port_id, 0, &blocker, 1) == 1);
	/* The refused reference, then ours: the ring holds the rest. */
	rte_mbuf_refcnt_update(blocker, -1);
	rte_pktmbuf_free(blocker);
}

/*
 * As device_block(), then fill the port's TX batch and holding area with
 * the device refusing them: the next frame enqueued is dropped (tx_drop).
 */
static void
port_block(void)
{
	struct dp_core_port *cp = &core->ports[0];
	struct rte_mbuf *m;
	unsigned int i;

	device_block();
	for (i = 0; i < DP_TX_HOLD; i++) {
		m = rte_pktmbuf_alloc(mp);
		assert_non_null(m);
		assert_int_equal(dp_tx_enqueue(core, cp, m), 0);
	}
	assert_int_equal(cp->tx.n, DP_TX_HOLD);
	assert_int_equal(core->cnt.tx_drop, 0);
}

/* A frame of len bytes (its contents do not matter to the device). */
static struct rte_mbuf *
frame_of(uint16_t len)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(mp);

	assert_non_null(m);
	assert_non_null(rte_pktmbuf_append(m, len));
	return m;
}

/* tx_bytes, in total and on port 0, is bytes. */
static void
tx_bytes_are(uint64_t bytes)
{
	assert_int_equal(core->cnt.tx_bytes, bytes);
	assert_int_equal(port_counter("tx_bytes"), bytes);
}

/*
 * tx_bytes counts the bytes of the frames the device accepted, and
 * only those: a frame it refuses counts once, when a later flush sends
 * it; a frame dropped (the holding area full, or the head the device
 * kept refusing) never does.
 */
static void
test_tx_bytes_exact(void **state)
{
	struct dp_core_port *cp = &core->ports[0];
	uint64_t bytes;
	unsigned int i;

	(void)state;
	for (i = 0; i < 3; i++)
		assert_int_equal(dp_tx_enqueue(core, cp, frame_of(60 + i)), 0);
	assert_int_equal(sent_free(), 3);
	bytes = 60 + 61 + 62;
	tx_bytes_are(bytes);

	/* Refused (a flush due at DP_TX_BURST, then ours), sent later. */
	device_block();
	for (i = 0; i < DP_TX_BURST + 8; i++)
		assert_int_equal(dp_tx_enqueue(core, cp, frame_of(100)), 0);
	dp_tx_flush(core);
	assert_int_equal(cp->tx.n, DP_TX_BURST + 8);
	assert_true(core->cnt.tx_retry > 0);
	tx_bytes_are(bytes);
	port_drain();
	assert_int_equal(sent_free(), DP_TX_BURST + 8);
	bytes += (DP_TX_BURST + 8) * 100;
	tx_bytes_are(bytes);

	/* The holding area full: the next frame is dropped. */
	device_block();
	assert_int_equal(dp_tx_enqueue(core, cp, frame_of(1000)), 0);
	for (i = 1; i < DP_TX_HOLD; i++)
		assert_int_equal(dp_tx_enqueue(core, cp, frame_of(200)), 0);
	assert_int_equal(dp_tx_enqueue(core, cp, frame_of(7)), -ENOBUFS);
	assert_int_equal(core->cnt.tx_drop, 1);
	tx_bytes_are(bytes);
	/* Refused for good: the head (1000 bytes) is dropped. */
	for (i = 0; i < DP_TX_STUCK_FLUSHES && core->cnt.tx_stuck_drop == 0;
	     i++)
		dp_tx_flush(core);
	assert_int_equal(core->cnt.tx_stuck_drop, 1);
	assert_int_equal(cp->tx.n, DP_TX_HOLD - 1);
	tx_bytes_are(bytes);
	port_drain();
	assert_int_equal(sent_free(), DP_TX_HOLD - 1);
	bytes += (DP_TX_HOLD - 1) * 200;
	tx_bytes_are(bytes);
	assert_int_equal(core->cnt.tx_packets,
			 3 + DP_TX_BURST + 8 + DP_TX_HOLD - 1);
}

/* Empty the device's ring and send (and free) the holding area. */
static void
port_unblock(void)
{
	port_drain();
	assert_int_equal(sent_free(), DP_TX_HOLD);
	assert_int_equal(core->ports[0].tx.n, 0);
}

/*
 * The ARP request to RADDR that could not leave (the device or the
 * hand-off ring full) was counted arp_request_fail, not
 * arp_requests_tx, and undone: once unblock() has made room, the next
 * miss asks at once rather than DP_ARP_RETRY_US later.
 */
static void
arp_request_undone(struct dp_core_port *cp, void (*unblock)(void))
{
	const struct net_neigh_entry *e;

	assert_int_equal(core->cnt.arp_request_fail, 1);
	assert_int_equal(core->cnt.arp_requests_tx, 0);
	assert_int_equal(cp->neigh.n_held, 1);
	e = net_neigh_lookup(&cp->neigh, RADDR);
	assert_true(e == NULL || !e->pending);
	unblock();

	now += 1000;
	queue_ack(RADDR, 101);
	dp_tx_outq(core, now);
	assert_int_equal(core->cnt.arp_requests_tx, 1);
	assert_int_equal(core->cnt.arp_rate_limited, 0);
	assert_int_equal(core->cnt.arp_request_fail, 1);
	assert_int_equal(sent(), 1);
	assert_int_equal(frame_type(rx[0]), NET_ETHERTYPE_ARP);
	rx_free();
}

/*
 * An ARP request dropped because the TX holding area is full (tx_drop)
 * has not left either: counted arp_request_fail, not arp_requests_tx,
 * and the address is not taken as asked for, so the next miss asks at
 * once rather than DP_ARP_RETRY_US later. The segment is held.
 */
static void
test_tx_full_unresolved(void **state)
{
	struct dp_core_port *cp = &core->ports[0];

	(void)state;
	port_block();
	queue_ack(RADDR, 100);
	dp_tx_outq(core, now);
	assert_int_equal(core->cnt.tx_drop, 1);
	assert_int_equal(cp->cnt.tx_drop, 1);
	assert_int_equal(port_counter("arp_requests_tx"), 0);
	assert_int_equal(core->cnt.tx_alloc_fail, 0);
	arp_request_undone(cp, port_unblock);
	assert_int_equal(cp->neigh.n_held, 2);
	assert_int_equal(arp_from(NET_ARP_OP_REPLY, RADDR, peer_mac),
			 NET_NEIGH_LEARNED);
	assert_int_equal(sent_free(), 2);
}

/* The same for a Neighbor Solicitation: nd_solicit_fail, asked again. */
static void
test_tx_full_unresolved6(void **state)
{
	struct dp_core_port *cp = &core->ports[0];
	const struct net_neigh6_entry *e;

	(void)state;
	port_block();
	queue_ack6(100);
	dp_tx_outq(core, now);
	assert_int_equal(core->cnt.tx_drop, 1);
	assert_int_equal(core->cnt.nd_solicit_fail, 1);
	assert_int_equal(core->cnt.nd_solicits_tx, 0);
	assert_int_equal(cp->neigh6.n_held, 1);
	e = net_neigh6_lookup(&cp->neigh6, RADDR6);
	assert_true(e == NULL || !e->pending);
	port_unblock();

	now += 1000;
	queue_ack6(101);
	dp_tx_outq(core, now);
	assert_int_equal(core->cnt.nd_solicits_tx, 1);
	assert_int_equal(core->cnt.nd_rate_limited, 0);
	assert_int_equal(core->cnt.nd_solicit_fail, 1);
	assert_int_equal(cp->neigh6.n_held, 2);
	assert_int_equal(sent(), 1);
	assert_int_equal(frame_type(rx[0]), NET_ETHERTYPE_IPV6);
	rx_free();
}

/* Flush until the device's refusals drop the batch's head. */
static void
flush_until_stuck_drop(void)
{
	unsigned int i;

	for (i = 0; i < DP_TX_STUCK_FLUSHES && core->cnt.tx_stuck_drop == 0;
	     i++)
		dp_tx_flush(core);
	assert_int_equal(core->cnt.tx_stuck_drop, 1);
}

/*
 * An ARP request queued, then dropped by the flush that finds the
 * device still refusing it (tx_stuck_drop), did not leave either: it is
 * counted arp_request_fail and the address is not taken as asked for,
 * so the next miss asks at once rather than DP_ARP_RETRY_US later. A
 * plain segment dropped so counts nothing of the kind.
 */
static void
test_tx_stuck_request_undone(void **state)
{
	struct dp_core_port *cp = &core->ports[0];
	const struct net_neigh_entry *e;

	(void)state;
	device_block();
	queue_ack(RADDR, 100);
	dp_tx_outq(core, now);
	assert_int_equal(core->cnt.arp_requests_tx, 1);
	assert_int_equal(cp->tx.n, 1);
	flush_until_stuck_drop();
	assert_int_equal(cp->tx.n, 0);
	assert_int_equal(core->cnt.arp_request_fail, 1);
	e = net_neigh_lookup(&cp->neigh, RADDR);
	assert_true(e == NULL || !e->pending);
	port_drain();

	now += 1000;
	queue_ack(RADDR, 101);
	dp_tx_outq(core, now);
	assert_int_equal(core->cnt.arp_requests_tx, 2);
	assert_int_equal(core->cnt.arp_rate_limited, 0);
	assert_int_equal(sent(), 1);
	assert_int_equal(frame_type(rx[0]), NET_ETHERTYPE_ARP);
	rx_free();
	assert_int_equal(arp_from(NET_ARP_OP_REPLY, RADDR, peer_mac),
			 NET_NEIGH_LEARNED);
	assert_int_equal(sent_free(), 2);

	/* A segment dropped so is no request. */
	device_block();
	queue_ack(RADDR, 102);
	dp_tx_outq(core, now);
	core->cnt.tx_stuck_drop = 0;
	flush_until_stuck_drop();
	assert_int_equal(core->cnt.arp_request_fail, 1);
	assert_int_equal(net_neigh_lookup(&cp->neigh, RADDR)->state,
			 NET_NEIGH_RESOLVED);
}

/* The same for a Neighbor Solicitation: nd_solicit_fail, asked again. */
static void
test_tx_stuck_request_undone6(void **state)
{
	struct dp_core_port *cp = &core->ports[0];
	const struct net_neigh6_entry *e;

	(void)state;
	device_block();
	queue_ack6(100);
	dp_tx_outq(core, now);
	assert_int_equal(core->cnt.nd_solicits_tx, 1);
	flush_until_stuck_drop();
	assert_int_equal(core->cnt.nd_solicit_fail, 1);
	e = net_neigh6_lookup(&cp->neigh6, RADDR6);
	assert_true(e == NULL || !e->pending);
	port_drain();

	now += 1000;
	queue_ack6(101);
	dp_tx_outq(core, now);
	assert_int_equal(core->cnt.nd_solicits_tx, 2);
	assert_int_equal(core->cnt.nd_rate_limited, 0);
	assert_int_equal(sent(), 1);
	assert_int_equal(frame_type(rx[0]), NET_ETHERTYPE_IPV6);
	rx_free();
}

/*
 * Port 0 as a worker's without a TX queue, its hand-off ring full (of
 * references to one mbuf, freed by handoff_free()).
 */
static void
handoff_full(struct dp_core_port *cp)
{
	struct rte_ring *r;

	r = rte_ring_create("tt_txtest_ho", 64, SOCKET_ID_ANY,
			    RING_F_SP_ENQ | RING_F_SC_DEQ);
	assert_non_null(r);
	handoff = r;
	blocker = rte_pktmbuf_alloc(mp);
	assert_non_null(blocker);
	while (rte_ring_free_count(r) != 0) {
		rte_mbuf_refcnt_update(blocker, 1);
		assert_int_equal(rte_ring_enqueue(r, blocker), 0);
	}
	rte_pktmbuf_free(blocker);
	cp->txq = DP_NO_QUEUE;
	cp->tx_out = r;
}

/*
 * A worker without a TX queue on the port hands its batch to a ring:
 * when that ring is full, the flush the request's enqueue calls for
 * drops the batch, the request with it (tx_drop). Counted
 * arp_request_fail and undone as well: the next miss asks at once.
 */
static void
test_handoff_full_unresolved(void **state)
{
	struct dp_core_port *cp = &core->ports[0];
	struct rte_mbuf *m[RING_MAX];
	unsigned int i;

	(void)state;
	handoff_full(cp);
	for (i = 0; i < DP_TX_BURST - 1; i++) {
		m[i] = rte_pktmbuf_alloc(mp);
		assert_non_null(m[i]);
		assert_int_equal(dp_tx_enqueue(core, cp, m[i]), 0);
	}
	queue_ack(RADDR, 100);
	dp_tx_outq(core, now);
	assert_int_equal(core->cnt.tx_drop, DP_TX_BURST);
	assert_int_equal(core->cnt.tx_handoff, 0);
	arp_request_undone(cp, handoff_free);
}

/*
 * The same when the request is alone in the batch of a worker without a
 * TX queue: it must not wait there for a later flush that drops it
 * unseen (tx_drop only), leaving the address marked asked for and the
 * other workers told of a request that never left. It is handed off at
 * once, so that a full ring is seen: arp_request_fail, undone.
 */
static void
test_handoff_full_request_alone(void **state)
{
	struct dp_core_port *cp = &core->ports[0];

	(void)state;
	handoff_full(cp);
	queue_ack(RADDR, 100);
	dp_tx_outq(core, now);
	dp_tx_flush(core);
	assert_int_equal(core->cnt.tx_drop, 1);
	arp_request_undone(cp, handoff_free);
}

/*
 * With several workers, each gets a copy of a request sent, and then
 * waits for its reply rather than asking itself. A request the full TX
 * queue drops is not shared: the other workers, not misled, ask at
 * their next miss. One that leaves is shared as before.
 */
static void
test_tx_full_not_shared(void **state)
{
	struct dp_core_port *cp = &core->ports[0];

	(void)state;
	shared = calloc(1, sizeof(*shared));
	assert_non_null(shared);
	assert_int_equal(dp_steer_create(shared, 2, 1, SOCKET_ID_ANY), 0);
	dp_core_init(core, 0, 0, 2, &port, 1, mp, ctx);
	dp_core_attach(core, shared);
	assert_int_equal(cp->txq, 0);
	port_block();
	queue_ack(RADDR, 100);
	dp_tx_outq(core, now);
	assert_int_equal(core->cnt.tx_drop, 1);
	assert_int_equal(core->cnt.arp_request_fail, 1);
	assert_int_equal(core->cnt.steer_copy_fail, 0);
	assert_int_equal(rte_ring_count(shared->ring[0][1]), 0);
	port_unblock();

	now += 1000;
	queue_ack(RADDR, 101);
	dp_tx_outq(core, now);
	assert_int_equal(core->cnt.arp_requests_tx, 1);
	assert_int_equal(rte_ring_count(shared->ring[0][1]), 1);
	assert_int_equal(sent(), 1);
	assert_int_equal(frame_type(rx[0]), NET_ETHERTYPE_ARP);
	rx_free();
	shared_free();
}

/*
 * core->tx_held says a frame waits for its next hop: a segment for an
 * unresolved hop that could not be built (no mbuf) holds nothing and
 * leaves it clear; one that is built and held sets it.
 */
static void
test_tx_held_only_when_held(void **state)
{
	struct tcp_outq *q = tcp_outq(ctx);

	(void)state;
	pool_dry();
	queue_ack(RADDR, 100);
	dp_tx_segment(core, &q->seg[0], now);
	q->n = 0;
	assert_int_equal(core->cnt.neigh_miss, 1);
	assert_int_equal(core->cnt.neigh_held, 0);
	assert_false(core->tx_held);
	pool_refill();

	queue_ack(RADDR, 101);
	dp_tx_segment(core, &q->seg[0], now + 1000);
	q->n = 0;
	assert_int_equal(core->cnt.neigh_held, 1);
	assert_true(core->tx_held);
}

/*
 * RFC 1122 2.3.2.2: frames for an unresolved next hop are held, one ARP
 * request asks for it, and its reply sends them in the order they were
 * held, with its MAC. Afterwards segments go straight out.
 */
static void
test_hold_release_in_order(void **state)
{
	unsigned int i;

	(void)state;
	for (i = 0; i < 3; i++)
		queue_ack(RADDR, 100 + i);
	dp_tx_outq(core, now);
	assert_int_equal(core->cnt.neigh_miss, 3);
	assert_int_equal(core->cnt.neigh_held, 3);
	assert_int_equal(core->cnt.arp_requests_tx, 1);
	assert_int_equal(core->cnt.arp_rate_limited, 2);
	assert_int_equal(core->ports[0].neigh.n_held, 3);
	assert_true(core->tx_held);
	/* Only the request left; the held frames are out of the pool. */
	assert_int_equal(sent(), 1);
	assert_int_equal(frame_type(rx[0]), NET_ETHERTYPE_ARP);
	rx_free();
	assert_int_equal(rte_mempool_avail_count(mp), POOL_SIZE - 3);

	now += 1000;
	assert_int_equal(arp_from(NET_ARP_OP_REPLY, RADDR, peer_mac),
			 NET_NEIGH_LEARNED);
	assert_int_equal(core->cnt.neigh_held_sent, 3);
	assert_int_equal(core->ports[0].neigh.n_held, 0);
	assert_int_equal(sent(), 3);
	for (i = 0; i < 3; i++) {
		assert_int_equal(frame_seq(rx[i]), 100 + i);
		assert_memory_equal(rte_pktmbuf_mtod(rx[i], uint8_t *),
				    peer_mac, NET_ETH_ALEN);
		assert_memory_equal(rte_pktmbuf_mtod(rx[i], uint8_t *) +
					    NET_ETH_ALEN,
				    our_mac, NET_ETH_ALEN);
	}
	rx_free();
	assert_int_equal(rte_mempool_avail_count(mp), POOL_SIZE);

	/* Nothing held: the flag clears, the next segment goes straight. */
	dp_tx_outq(core, now);
	assert_false(core->tx_held);
	queue_ack(RADDR, 200);
	dp_tx_outq(core, now);
	assert_int_equal(core->cnt.neigh_miss, 3);
	assert_int_equal(sent(), 1);
	assert_int_equal(frame_seq(rx[0]), 200);
	rx_free();
	assert_int_equal(core->cnt.neigh_hold_timeout_drop, 0);
}

/*
 * No reply within DP_ARP_PROBE_US: the held frames are dropped, counted
 * neigh_hold_timeout_drop, and their mbufs are back in the pool. Not a
 * moment before.
 */
static void
test_hold_expiry(void **state)
{
	uint64_t t0 = now;

	(void)state;
	queue_ack(RADDR, 100);
	queue_ack(RADDR, 101);
	dp_tx_outq(core, now);
	assert_int_equal(core->cnt.neigh_held, 2);
	assert_int_equal(sent_free(), 1);
	assert_int_equal(rte_mempool_avail_count(mp), POOL_SIZE - 2);

	dp_tx_outq(core, t0 + DP_ARP_PROBE_US - 1);
	assert_int_equal(core->cnt.neigh_hold_timeout_drop, 0);
	assert_int_equal(core->ports[0].neigh.n_held, 2);

	now = t0 + DP_ARP_PROBE_US + 1;
	dp_tx_outq(core, now);
	assert_int_equal(core->cnt.neigh_hold_timeout_drop, 2);
	assert_int_equal(core->ports[0].neigh.n_held, 0);
	assert_null(core->ports[0].held[0]);
	assert_int_equal(rte_mempool_avail_count(mp), POOL_SIZE);
	assert_int_equal(core->cnt.neigh_held_sent, 0);
	assert_int_equal(sent_free(), 0);
	/* The next poll finds nothing held. */
	dp_tx_outq(core, now);
	assert_false(core->tx_held);
	assert_int_equal(core->cnt.neigh_hold_timeout_drop, 2);
}

/*
 * RFC 4861 7.2.2: the same for IPv6, a Neighbor Solicitation asks, the
 * frames wait in held6[] and are dropped, counted and freed, when no
 * advertisement comes.
 */
static void
test_hold_expiry6(void **state)
{
	uint64_t t0 = now;

	(void)state;
	queue_ack6(100);
	queue_ack6(101);
	dp_tx_outq(core, now);
	assert_int_equal(core->cnt.neigh_miss, 2);
	assert_int_equal(core->cnt.neigh_held, 2);
	assert_int_equal(core->cnt.nd_solicits_tx, 1);
	assert_int_equal(core->ports[0].neigh6.n_held, 2);
	assert_int_equal(core->ports[0].neigh.n_held, 0);
	assert_int_equal(sent(), 1);
	assert_int_equal(frame_type(rx[0]), NET_ETHERTYPE_IPV6);
	rx_free();
	assert_int_equal(rte_mempool_avail_count(mp), POOL_SIZE - 2);

	now = t0 + DP_ARP_PROBE_US + 1;
	dp_tx_outq(core, now);
	assert_int_equal(core->cnt.neigh_hold_timeout_drop, 2);
	assert_int_equal(core->ports[0].neigh6.n_held, 0);
	assert_null(core->ports[0].held6[0]);
	assert_int_equal(rte_mempool_avail_count(mp), POOL_SIZE);
	dp_tx_outq(core, now);
	assert_false(core->tx_held);
}

/*
 * The bounds: NET_NEIGH_HOLD_ADDR frames per next hop (a newer one
 * replaces the oldest, counted), NET_NEIGH_HOLD_MAX per port (more are
 * refused, counted). No mbuf is lost either way.
 */
static void
test_hold_bounds(void **state)
{
	unsigned int i, hops, extra;

	(void)state;
	for (i = 0; i <= NET_NEIGH_HOLD_ADDR; i++)
		queue_ack(RADDR, 100 + i);
	dp_tx_outq(core, now);
	assert_int_equal(core->cnt.neigh_held, NET_NEIGH_HOLD_ADDR + 1);
	assert_int_equal(core->cnt.neigh_hold_replaced_drop, 1);
	assert_int_equal(core->ports[0].neigh.n_held, NET_NEIGH_HOLD_ADDR);
	assert_int_equal(sent_free(), 1);
	assert_int_equal(rte_mempool_avail_count(mp),
			 POOL_SIZE - NET_NEIGH_HOLD_ADDR);
	/* The reply sends the newest ones, oldest first. */
	arp_from(NET_ARP_OP_REPLY, RADDR, peer_mac);
	assert_int_equal(sent(), NET_NEIGH_HOLD_ADDR);
	for (i = 0; i < NET_NEIGH_HOLD_ADDR; i++) {
		assert_int_equal(frame_seq(rx[i]), 101 + i);
	}
	rx_free();
	assert_int_equal(rte_mempool_avail_count(mp), POOL_SIZE);

	/* Other hops on the subnet until the port's hold area is full. */
	hops = NET_NEIGH_HOLD_MAX / NET_NEIGH_HOLD_ADDR + 1;
	extra = hops * NET_NEIGH_HOLD_ADDR - NET_NEIGH_HOLD_MAX;
	for (i = 0; i < hops * NET_NEIGH_HOLD_ADDR; i++) {
		queue_ack(RADDR + 1 + i / NET_NEIGH_HOLD_ADDR, i);
		if (tcp_outq(ctx)->n == TCP_OUTQ_SIZE)
			dp_tx_outq(core, now);
	}
	dp_tx_outq(core, now);
	assert_int_equal(core->ports[0].neigh.n_held, NET_NEIGH_HOLD_MAX);
	assert_int_equal(core->cnt.neigh_hold_full_drop, extra);
	assert_int_equal(sent_free(), hops);
	assert_int_equal(rte_mempool_avail_count(mp),
			 POOL_SIZE - NET_NEIGH_HOLD_MAX);
	dp_tx_outq(core, now + DP_ARP_PROBE_US + 1);
	assert_int_equal(core->cnt.neigh_hold_timeout_drop, NET_NEIGH_HOLD_MAX);
	assert_int_equal(rte_mempool_avail_count(mp), POOL_SIZE);
}

/* What the rings of s can hold, all full (rte_ring_get_capacity()). */
static unsigned int
steer_capacity(const struct dp_steer *s)
{
	unsigned int f, t, p, sum = 0;

	for (f = 0; f < DP_MAX_WORKERS; f++) {
		for (t = 0; t < DP_MAX_WORKERS; t++)
			if (s->ring[f][t] != NULL)
				sum += rte_ring_get_capacity(s->ring[f][t]);
		for (p = 0; p < DP_MAX_PORTS; p++)
			if (s->tx[p][f] != NULL)
				sum += rte_ring_get_capacity(s->tx[p][f]);
	}
	return sum;
}

/*
 * The mbuf pool is sized for everything that can hold mbufs at once, so
 * that a stalled worker cannot drain it: with n workers, the n(n-1)
 * steering rings (each worker's incoming rings all full), the TX
 * hand-off rings, every worker's buffers towards the n - 1 others; then
 * per worker and port the RX and TX descriptors (up to 4096 each), the
 * TX holding area and the frames held for a next hop (IPv4 and IPv6),
 * and per worker its burst, its output queue and its mempool cache (up
 * to 1.5 times its size before it is flushed), and the main lcore's
 * cache when the main lcore is not a worker. The rings are the ones
 * dp_steer_create() really makes, for 1, 2, 4, 8 and 16 workers; those
 * into one worker hold at most DP_STEER_IN between them down to rings of
 * DP_STEER_RING_MIN (beyond 9 workers), so the reserve grows about
 * linearly with the workers up to 9.
 */
static void
test_pool_size_covers_rings(void **state)
{
	static const unsigned int workers[] = { 1, 2, 4, 8, 16 };
	const unsigned int cache = 256;
	unsigned int i, n, ports, rings, held, pool, with_main;
	struct dp_steer *s;

	(void)state;
	s = calloc(1, sizeof(*s));
	assert_non_null(s);
	for (ports = 1; ports <= 2; ports++) {
		for (i = 0; i < RTE_DIM(workers); i++) {
			n = workers[i];
			assert_int_equal(dp_steer_create(s, n, ports,
							 SOCKET_ID_ANY),
					 0);
			rings = steer_capacity(s);
			dp_steer_free(s);
			held = rings + n * (n - 1) * DP_STEER_BURST;
			printf("# %u worker(s), %u port(s): rings %u, steering "
			       "reserve %u, pool %u\n",
			       n, ports, rings, dp_steer_mbufs(n, ports),
			       dp_mbuf_pool_size(n, ports, cache, true));
			assert_true(dp_steer_mbufs(n, ports) >= held);
			/* What the rings into one worker hold is capped. */
			assert_true(dp_steer_ring_size(n) ==
					    DP_STEER_RING_MIN ||
				    (n - 1) * (dp_steer_ring_size(n) - 1) <=
					    DP_STEER_IN);
			held += n *
				(ports *
					 (2 * 4096 + DP_TX_HOLD +
					  2 * NET_NEIGH_HOLD_MAX) +
				 DP_RX_BURST + TCP_OUTQ_SIZE + cache +
				 cache / 2);
			pool = dp_mbuf_pool_size(n, ports, cache, true);
			assert_true(pool >= held);
			/* A main lcore beside the workers: its cache too. */
			with_main = held + cache + cache / 2;
			pool = dp_mbuf_pool_size(n, ports, cache, false);
			assert_true(pool >= with_main);
		}
	}
	free(s);
}

/*
 * A worker's TX hand-off ring on a port is made only where it has no TX
 * queue: with 4 workers, none on a port with 4 TX queues, those of
 * workers 1 to 3 on a port with one; every ring a worker attaches to
 * (to hand off, or to send for another) is there.
 */
static void
test_steer_handoff_only_needed(void **state)
{
	static struct dp_port ports[2];
	const unsigned int n = 4;
	struct dp_core_port *cp;
	struct dp_core *c;
	struct dp_steer *s;
	unsigned int w, pi, i, attached;

	(void)state;
	ports[0] = port;
	ports[0].nb_rxq = n;
	ports[0].nb_txq = n;
	ports[1] = port;
	ports[1].addr = LADDR + 256;
	ports[1].nb_rxq = 1;
	ports[1].nb_txq = 1;
	s = calloc(1, sizeof(*s));
	c = aligned_alloc(RTE_CACHE_LINE_SIZE,
			  RTE_ALIGN_CEIL(sizeof(*c), RTE_CACHE_LINE_SIZE));
	assert_non_null(s);
	assert_non_null(c);
	assert_int_equal(dp_steer_create_ports(s, n, ports, 2, SOCKET_ID_ANY),
			 0);
	for (w = 0; w < n; w++) {
		assert_null(s->tx[0][w]);
		assert_true((s->tx[1][w] != NULL) == (w >= 1));
	}
	attached = 0;
	for (w = 0; w < n; w++) {
		dp_core_init(c, 0, w, n, ports, 2, mp, NULL);
		dp_core_attach(c, s);
		for (pi = 0; pi < 2; pi++) {
			cp = &c->ports[pi];
			assert_true((cp->tx_out != NULL) ==
				    (w >= ports[pi].nb_txq));
			for (i = 0; i < cp->n_tx_in; i++)
				assert_non_null(cp->tx_in[i]);
			attached += cp->n_tx_in;
		}
	}
	/* Worker 0 sends for the three others on port 1. */
	assert_int_equal(attached, n - 1);
	dp_steer_free(s);
	free(c);
	free(s);
}

/*
 * The main lcore's mempool cache, when the main lcore is not one of the
 * workers, is reserved on top of the workers': exactly one more cache
 * (1.5 times its size), whatever the workers and ports; none when the
 * main lcore is a worker, its cache already among theirs.
 */
static void
test_pool_size_main_cache(void **state)
{
	static const unsigned int workers[] = { 1, 2, 3, 8, 16 };
	unsigned int i, ports, cache;

	(void)state;
	for (cache = 0; cache <= 512; cache += 256)
		for (ports = 1; ports <= DP_MAX_PORTS; ports++)
			for (i = 0; i < RTE_DIM(workers); i++)
				assert_int_equal(
					dp_mbuf_pool_size(workers[i], ports,
							  cache, false) -
						dp_mbuf_pool_size(workers[i],
								  ports, cache,
								  true),
					cache + cache / 2);
}

/*
 * What rte_eth_dev_adjust_nb_rx_tx_desc() makes of want descriptors
 * under a device's limits: aligned up, capped, raised to the minimum.
 */
static uint16_t
desc_adjusted(const struct rte_eth_desc_lim *lim, uint16_t want)
{
	unsigned int n = want;

	if (lim->nb_align != 0)
		n = RTE_ALIGN_CEIL(n, lim->nb_align);
	if (lim->nb_max != 0 && n > lim->nb_max)
		n = lim->nb_max;
	if (n < lim->nb_min)
		n = lim->nb_min;
	return (uint16_t)n;
}

/*
 * The pool reserves DP_POOL_DESC descriptors per queue: dp_port_init()
 * records the counts the device really takes (dp_port.c asks for 1024
 * of each; net_ring's limits, read with rte_eth_dev_info_get(), say what
 * it makes of them) and refuses, -ENOBUFS, a device that takes more
 * than the reserve, as one whose minimum or alignment is above it would.
 */
static void
test_port_desc_within_pool(void **state)
{
	struct rte_eth_desc_lim lim;
	struct rte_eth_dev_info di;
	struct cfg_port cfg;
	struct dp_port p;

	(void)state;
	memset(&cfg, 0, sizeof(cfg));
	snprintf(cfg.device, sizeof(cfg.device), "net_ring_ttd");
	cfg.addr = LADDR + 16;
	cfg.prefix_len = 24;
	cfg.arp_max_age_ms = 1000;
	assert_int_equal(dp_port_init(&p, &cfg, mp, 2), 0);
	assert_int_equal(rte_eth_dev_info_get(p.port_id, &di), 0);
	printf("# net_ring: RX descriptors min %u max %u align %u -> %u, "
	       "TX min %u max %u align %u -> %u\n",
	       di.rx_desc_lim.nb_min, di.rx_desc_lim.nb_max,
	       di.rx_desc_lim.nb_align, p.nb_rxd, di.tx_desc_lim.nb_min,
	       di.tx_desc_lim.nb_max, di.tx_desc_lim.nb_align, p.nb_txd);
	assert_int_equal(p.nb_rxd, desc_adjusted(&di.rx_desc_lim, 1024));
	assert_int_equal(p.nb_txd, desc_adjusted(&di.tx_desc_lim, 1024));
	assert_int_equal(dp_port_desc_check(&p), 0);
	dp_port_close(&p);

	/* A minimum above the reserve, on either side. */
	lim = di.rx_desc_lim;
	lim.nb_min = DP_POOL_DESC + 1;
	p.nb_rxd = desc_adjusted(&lim, 1024);
	assert_int_equal(dp_port_desc_check(&p), -ENOBUFS);
	p.nb_rxd = 1024;
	p.nb_txd = desc_adjusted(&lim, 1024);
	assert_int_equal(dp_port_desc_check(&p), -ENOBUFS);
	/* An alignment (a power of 2) that rounds 1024 up past it. */
	lim = di.tx_desc_lim;
	lim.nb_align = DP_POOL_DESC;
	p.nb_txd = desc_adjusted(&lim, 1024);
	assert_int_equal(p.nb_txd, DP_POOL_DESC);
	assert_int_equal(dp_port_desc_check(&p), 0);
	lim.nb_align = 2 * DP_POOL_DESC;
	p.nb_txd = desc_adjusted(&lim, 1024);
	assert_int_equal(dp_port_desc_check(&p), -ENOBUFS);
	/* The reserve itself is taken. */
	p.nb_rxd = DP_POOL_DESC;
	p.nb_txd = DP_POOL_DESC;
	assert_int_equal(dp_port_desc_check(&p), 0);
}

/* A net_ring port (its TX ring is its RX ring), one queue, started. */
static int
port_start(void)
{
	struct rte_eth_conf conf;
	uint16_t id;

	memset(&conf, 0, sizeof(conf));
	if (rte_eth_dev_get_port_by_name("net_ring_ttx", &id) != 0)
		return -1;
	if (rte_eth_dev_configure(id, 1, 1, &conf) != 0 ||
	    rte_eth_rx_queue_setup(id, 0, 256, SOCKET_ID_ANY, NULL, mp) != 0 ||
	    rte_eth_tx_queue_setup(id, 0, 256, SOCKET_ID_ANY, NULL) != 0 ||
	    rte_eth_dev_start(id) != 0)
		return -1;
	memset(&port, 0, sizeof(port));
	port.port_id = id;
	port.nb_rxq = 1;
	port.nb_txq = 1;
	port.n_workers = 1;
	memcpy(port.mac, our_mac, NET_ETH_ALEN);
	port.addr = LADDR;
	port.mask = 0xffffff00u;
	port.has_ipv6 = true;
	port.prefix6_len = 64;
	memcpy(port.addr6, LADDR6, NET_IPV6_ALEN);
	snprintf(port.name, sizeof(port.name), "net_ring_ttx");
	return 0;
}

/*
 * The headers dp_tx_outq() writes for a segment are, byte for byte, those
 * the general builder net_tx_tcp() writes from the same description
 * (then net_tx_tcp_csum() for a software checksum): for every option
 * layout a segment of ours carries, tagged or not, with the checksums
 * in software or left to the device. The glue builds IPv4 frames from
 * the port's template, in an order of its own; this guards that order.
 */
static void
test_tx_frame_as_builder(void **state)
{
	static const uint8_t layouts[] = {
		0,
		NET_OPT_TS,
		NET_OPT_MSS,
		NET_OPT_MSS | NET_OPT_WSCALE,
		NET_OPT_MSS | NET_OPT_SACK_OK,
		NET_OPT_MSS | NET_OPT_SACK_OK | NET_OPT_TS | NET_OPT_WSCALE,
		NET_OPT_MSS | NET_OPT_TS | NET_OPT_WSCALE,
		NET_OPT_TS | NET_OPT_SACK,
		NET_OPT_SACK,
	};
	static const uint16_t vlans[] = { 0, 100 };
	uint8_t want[256];
	struct net_tcp_tx t;
	struct tcp_out *o;
	unsigned int i, v, off, j;
	uint32_t hlen, l4_off;
	uint64_t sum;
	enum net_tcp_sums sums;

	(void)state;
	assert_int_equal(arp_from(NET_ARP_OP_REQUEST, RADDR, peer_mac),
			 NET_NEIGH_LEARNED);
	for (v = 0; v < RTE_DIM(vlans); v++)
		for (off = 0; off < 2; off++)
			for (i = 0; i < RTE_DIM(layouts); i++) {
				port.vlan = vlans[v];
				port.tx_csum = off != 0;
				dp_tx_port_init(&core->ports[0]);
				queue_ack(RADDR, 0x01020304u + i);
				o = &tcp_outq(ctx)->seg[0];
				o->ack = 0xa0b0c0d0u;
				o->wnd = (uint16_t)(0x1234 + i);
				o->flags = NET_TCP_ACK | NET_TCP_PSH;
				o->opts.has = layouts[i];
				o->opts.mss = 1460;
				o->opts.wscale = 7;
				o->opts.tsval = 0x11223344u + i;
				o->opts.tsecr = 0x55667788u;
				o->opts.nsack = 4;
				for (j = 0; j < 4; j++) {
					o->opts.sack[j].start = 1000 * j + 1;
					o->opts.sack[j].end = 1000 * j + 500;
				}
				t = (struct net_tcp_tx){
					.src_mac = our_mac,
					.dst_mac = peer_mac,
					.opts = &o->opts,
					.saddr = o->laddr,
					.daddr = o->raddr,
					.sport = o->lport,
					.dport = o->rport,
					.seq = o->seq,
					.ack = o->ack,
					.wnd = o->wnd,
					.flags = o->flags,
					.ttl = 64,
					.vlan = vlans[v],
				};
				sums = off ? NET_TCP_SUMS_OFFLOAD :
					     NET_TCP_SUMS_SOFTWARE;
				memset(want, 0, sizeof(want));
				hlen = net_tx_tcp(want, sizeof(want), &t, sums,
						  &l4_off, &sum);
				assert_true(hlen > 0);
				if (!off)
					net_tx_tcp_csum(want, l4_off, hlen, 0,
							sum);
				dp_tx_outq(core, now);
				assert_int_equal(sent(), 1);
				assert_int_equal(rte_pktmbuf_data_len(rx[0]),
						 hlen);
				assert_memory_equal(rte_pktmbuf_mtod(rx[0],
								     uint8_t *),
						    want, hlen);
				rx_free();
			}
	port.vlan = 0;
	port.tx_csum = false;
	dp_tx_port_init(&core->ports[0]);
}

/*
 * Every glue counter of kind DROP is in the drops total (the stats line,
 * /tcpterm/stats and the metrics all use dp_drops_total()), and no other
 * is: tx_alloc_fail or steer_ring_full are drops without the _drop name.
 */
static void
test_drops_total_by_kind(void **state)
{
	struct dp_counters gc;
	struct tcp_counters tc;
	uint64_t drops[NET_DROP_MAX];
	unsigned int i;

	(void)state;
	memset(&tc, 0, sizeof(tc));
	memset(drops, 0, sizeof(drops));
	for (i = 0; i < DP_COUNTER_COUNT; i++) {
		memset(&gc, 0, sizeof(gc));
		((uint64_t *)&gc)[i] = 1;
		assert_int_equal(dp_drops_total(&tc, &gc, drops),
				 dp_counter_kind(i) == TCP_COUNTER_DROP);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_tx_frame_as_builder,
						dp_setup, dp_teardown),
		cmocka_unit_test_setup_teardown(test_alloc_fail_synack,
						dp_setup, dp_teardown),
		cmocka_unit_test_setup_teardown(test_alloc_fail_data, dp_setup,
						dp_teardown),
		cmocka_unit_test_setup_teardown(test_alloc_own_cache, dp_setup,
						dp_teardown),
		cmocka_unit_test_setup_teardown(test_alloc_own_cache_empty,
						dp_setup, dp_teardown),
		cmocka_unit_test_setup_teardown(test_alloc_recycled_reset,
						dp_setup, dp_teardown),
		cmocka_unit_test_setup_teardown(test_offload_recycled4,
						dp_setup, dp_teardown),
		cmocka_unit_test_setup_teardown(test_offload_recycled6_held,
						dp_setup, dp_teardown),
		cmocka_unit_test_setup_teardown(test_offload_keeps_external,
						dp_setup, dp_teardown),
		cmocka_unit_test_setup_teardown(test_build_fail_frees_sane,
						dp_setup, dp_teardown),
		cmocka_unit_test_setup_teardown(test_alloc_fail_unresolved,
						dp_setup, dp_teardown),
		cmocka_unit_test_setup_teardown(test_live_entry_evicted_counted,
						dp_setup, dp_teardown),
		cmocka_unit_test_setup_teardown(test_alloc_fail_unresolved6,
						dp_setup, dp_teardown),
		cmocka_unit_test_setup_teardown(test_tx_bytes_exact, dp_setup,
						dp_teardown),
		cmocka_unit_test_setup_teardown(test_tx_full_unresolved,
						dp_setup, dp_teardown),
		cmocka_unit_test_setup_teardown(test_tx_full_unresolved6,
						dp_setup, dp_teardown),
		cmocka_unit_test_setup_teardown(test_tx_stuck_request_undone,
						dp_setup, dp_teardown),
		cmocka_unit_test_setup_teardown(test_tx_stuck_request_undone6,
						dp_setup, dp_teardown),
		cmocka_unit_test_setup_teardown(test_handoff_full_unresolved,
						dp_setup, dp_teardown),
		cmocka_unit_test_setup_teardown(test_handoff_full_request_alone,
						dp_setup, dp_teardown),
		cmocka_unit_test_setup_teardown(test_tx_full_not_shared,
						dp_setup, dp_teardown),
		cmocka_unit_test_setup_teardown(test_tx_held_only_when_held,
						dp_setup, dp_teardown),
		cmocka_unit_test_setup_teardown(test_hold_release_in_order,
						dp_setup, dp_teardown),
		cmocka_unit_test_setup_teardown(test_hold_expiry, dp_setup,
						dp_teardown),
		cmocka_unit_test_setup_teardown(test_hold_expiry6, dp_setup,
						dp_teardown),
		cmocka_unit_test_setup_teardown(test_hold_bounds, dp_setup,
						dp_teardown),
		cmocka_unit_test(test_pool_size_covers_rings),
		cmocka_unit_test(test_pool_size_main_cache),
		cmocka_unit_test(test_steer_handoff_only_needed),
		cmocka_unit_test(test_port_desc_within_pool),
		cmocka_unit_test(test_drops_total_by_kind),
	};
	char prefix[PATH_MAX];
	char *argv[] = {
		"test_dp_tx",
		"--no-huge",
		"--no-pci",
		"-m",
		"64",
		"-l",
		"0",
		"--vdev=net_ring_ttx",
		"--vdev=net_ring_ttd",
		"--log-level=*:error",
		"--no-shconf",
		"--no-telemetry",
		prefix,
		NULL,
	};
	int ret;

	/* A prefix of its own: other EAL processes may run beside it. */
	snprintf(prefix, sizeof(prefix), "--file-prefix=tt-txtest-unit-%d",
		 (int)getpid());
	if (rte_eal_init((int)RTE_DIM(argv) - 1, argv) < 0) {
		fprintf(stderr, "EAL init failed: %s\n",
			rte_strerror(rte_errno));
		return 1;
	}
	/* No per-lcore cache: the available count is exact. */
	mp = rte_pktmbuf_pool_create("tt_txtest", POOL_SIZE, 0, 0,
				     RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	cmp = rte_pktmbuf_pool_create("tt_txcache", POOL_SIZE, 32, 0,
				      RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	if (mp == NULL || cmp == NULL || port_start() != 0) {
		fprintf(stderr, "cannot set up the pool or the port\n");
		return 1;
	}
	ret = cmocka_run_group_tests(tests, NULL, NULL);
	rte_eth_dev_stop(port.port_id);
	rte_eth_dev_close(port.port_id);
	rte_mempool_free(mp);
	rte_mempool_free(cmp);
	snprintf(prefix, sizeof(prefix), "%s", rte_eal_get_runtime_dir());
	rte_eal_cleanup();
	/* The runtime directory is empty (no shared config): leave none. */
	rmdir(prefix);
	return ret;
}
