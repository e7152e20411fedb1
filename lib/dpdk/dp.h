/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * DPDK glue: port and queue setup, the per-lcore worker loop, mbuf <->
 * segment conversion, a per-core neighbour cache and telemetry.
 *
 * Everything a worker touches lives in its own cache-aligned struct
 * dp_core, passed explicitly. The only mutable global is the quit flag.
 * Library code returns 0 / -errno and never prints: the caller reports.
 */
#ifndef TT_DP_H
#define TT_DP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <rte_common.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_ring.h>

#include "config.h"
#include "net.h"
#include "net_neigh.h"
#include "net_neigh6.h"
#include "net_tx.h"
#include "tcp.h"

#define DP_RX_BURST 32
#define DP_TX_BURST 32
/* TX holding space: what the device refuses waits for the next flush. */
#define DP_TX_HOLD (4 * DP_TX_BURST)
/*
 * Timer expiries per poll: DP_TIMER_BUDGET normally, doubled on every poll
 * that uses it all (a backlog is building) up to DP_TIMER_BUDGET_MAX, kept
 * after a poll its time slice cut short (the backlog is still there), and
 * back to the floor once a poll finishes under budget with nothing left.
 * dp_timer_budget_next() is the rule.
 */
#define DP_TIMER_BUDGET 256
#define DP_TIMER_BUDGET_MAX 4096
/*
 * Time bound of a poll's timer work: a TSC deadline this far after it
 * starts (tcp_timers_until()), whatever the budget. The batch under way
 * when it passes still finishes: up to 16 connections' timers or 32
 * TIME_WAIT records and one wheel chunk, 2.5 us with a cache miss each,
 * so 6 us keeps a poll's timer work under 10 us.
 */
#define DP_TIMER_SLICE_NS 6000u
#define DP_DRAIN_US 100
#define DP_ARP_RETRY_US 100000	/* one ARP request per address per 100 ms */
#define DP_ARP_PROBE_US 1000000 /* a request's reply is awaited 1 s */
#define DP_MAX_WORKERS 64
#define DP_STEER_BURST 32  /* packets buffered per destination core */
#define DP_STEER_RING 1024 /* entries of each (from, to) ring, at most */
/*
 * What the steering rings into one worker hold between them: each
 * (from, to) ring has DP_STEER_RING entries, halved while the n - 1 rings
 * into a worker would hold more than DP_STEER_IN, down to
 * DP_STEER_RING_MIN (dp_steer_ring_size()). The mbuf pool reserves what
 * they can all hold at once (dp_steer_mbufs()).
 */
#define DP_STEER_IN 2048
/*
 * Eight bursts: a consumer that misses a few polls (a timer batch, the
 * host taking its CPU) does not drop a sender's bursts of several ports.
 */
#define DP_STEER_RING_MIN (8 * DP_STEER_BURST)
#define DP_SW_RETA_SIZE 512    /* software redirection table entries */
#define DP_RETA_MAX 2048       /* largest hardware RETA mirrored */
#define DP_NO_QUEUE UINT16_MAX /* this worker has no queue of that kind */
#define DP_MAX_PORTS CFG_MAX_PORTS

/*
 * Glue counters, declared once: struct dp_counters fields and
 * dp_counter_name().
 */
/* clang-format off */
#define DP_COUNTERS(X) \
	X(rx_packets, EVENT, "frames received") \
	X(tx_packets, EVENT, "frames sent") \
	X(rx_bytes, EVENT, "bytes received") \
	X(tx_bytes, EVENT, "bytes sent") \
	X(arp_requests_rx, EVENT, "ARP requests received") \
	X(arp_replies_rx, EVENT, "ARP replies received") \
	X(arp_replies_tx, EVENT, "ARP replies sent") \
	X(arp_requests_tx, EVENT, "ARP requests sent") \
	X(arp_learned, EVENT, "neighbours learned") \
	X(arp_unsolicited_drop, DROP, "ARP replies we did not ask for") \
	X(arp_offlink_drop, DROP, "ARP from senders off our subnet") \
	X(arp_bad_sender_drop, DROP, "ARP with an unusable sender") \
	X(arp_conflict_drop, DROP, "ARP trying to change a live entry") \
	X(arp_table_full_drop, DROP, "ARP not learned: table full") \
	X(arp_expired, EVENT, "neighbour entries expired") \
	X(arp_evicted, EVENT, "live neighbour entries given up for another") \
	X(icmp_echo_replies, EVENT, "ICMP echo replies sent") \
	X(neigh_miss, EVENT, "next hops not resolved when a segment left") \
	X(neigh_held, EVENT, "segments held while their next hop resolves") \
	X(neigh_held_sent, EVENT, "held segments sent on resolution") \
	X(neigh_hold_full_drop, DROP, "segments dropped: hold area full") \
	X(neigh_hold_replaced_drop, DROP, "held segments replaced by newer " \
	  "ones") \
	X(neigh_hold_timeout_drop, DROP, "held segments dropped: no ARP " \
	  "reply") \
	X(arp_rate_limited, EVENT, "ARP requests not sent: rate limit") \
	X(tx_drop, DROP, "frames dropped: TX queue and holding area full") \
	X(tx_retry, EVENT, "frames held for a later TX burst") \
	X(tx_stuck_drop, DROP, "frames the device kept refusing, dropped") \
	X(tx_alloc_fail, DROP, "segments and ARP/ND requests not sent: " \
	  "no mbuf") \
	X(tx_build_fail, DROP, "segments not sent: frame build failed") \
	X(rx_nonlinear_drop, DROP, "multi-segment frames dropped") \
	X(ownership_violations, DROP, "frames of a flow another worker " \
	  "owns") \
	X(steered_out, EVENT, "frames handed to their owner") \
	X(steered_in, EVENT, "frames received from another worker") \
	X(steer_ring_full, DROP, "frames dropped: steering ring full") \
	X(steer_copy_fail, DROP, "ARP copies not made: no mbuf") \
	X(tx_handoff, EVENT, "frames sent for a worker without TX queue") \
	X(port_unknown_drop, DROP, "frames of a port this worker does not " \
	  "serve") \
	X(tx_no_port_drop, DROP, "segments from an address no port has") \
	X(nd_solicits_rx, EVENT, "Neighbor Solicitations for our address") \
	X(nd_adverts_rx, EVENT, "Neighbor Advertisements received") \
	X(nd_adverts_tx, EVENT, "Neighbor Advertisements sent") \
	X(nd_solicits_tx, EVENT, "Neighbor Solicitations sent") \
	X(nd_learned, EVENT, "IPv6 neighbours learned") \
	X(nd_unsolicited_drop, DROP, "advertisements we did not ask for") \
	X(nd_offlink_drop, DROP, "ND from senders off our prefix") \
	X(nd_bad_sender_drop, DROP, "ND with an unusable sender") \
	X(nd_conflict_drop, DROP, "ND trying to change a live entry") \
	X(nd_table_full_drop, DROP, "ND not learned: table full") \
	X(nd_expired, EVENT, "IPv6 neighbour entries expired") \
	X(nd_evicted, EVENT, "live IPv6 neighbour entries given up") \
	X(nd_rate_limited, EVENT, "solicitations not sent: rate limit") \
	X(icmp6_echo_replies, EVENT, "ICMPv6 echo replies sent") \
	X(icmp6_ptb_rx, EVENT, "ICMPv6 Packet Too Big received (the TCP " \
	  "layer's pmtu_* counters say what became of them)") \
	X(arp_request_fail, EVENT, "ARP requests not sent: no mbuf, no " \
	  "room in it, or TX queue full (asked again at the next miss)") \
	X(nd_solicit_fail, EVENT, "solicitations not sent: no mbuf, no " \
	  "room in it, or TX queue full (asked again at the next miss)") \
	X(icmp_ptb_rx, EVENT, "ICMP fragmentation needed received (the " \
	  "TCP layer's pmtu_* counters say what became of them)") \
	X(arp_addr_conflict, DROP, "ARP from another MAC giving our " \
	  "address as its sender's (RFC 5227 2.4)") \
	X(arp_defends_tx, EVENT, "ARP announcements defending our " \
	  "address, one per 10 s at most") \
	X(nd_addr_conflict, DROP, "ND from another MAC claiming our " \
	  "address (an advertisement for it, a solicitation from it)") \
	X(nd_defends_tx, EVENT, "Neighbor Advertisements defending our " \
	  "address, one per 10 s at most")
/* clang-format on */

struct dp_counters {
#define DP_COUNTER_FIELD(n, kind, desc) uint64_t n;
	DP_COUNTERS(DP_COUNTER_FIELD)
#undef DP_COUNTER_FIELD
};

#define DP_COUNTER_COUNT (sizeof(struct dp_counters) / sizeof(uint64_t))

/*
 * Name, kind (enum tcp_counter_kind: drop, event or gauge) and one-line
 * description of glue counter i (0 <= i < DP_COUNTER_COUNT).
 */
const char *dp_counter_name(unsigned int i);
enum tcp_counter_kind dp_counter_kind(unsigned int i);
const char *dp_counter_desc(unsigned int i);

/*
 * Per-port glue counters of a worker, declared once: struct
 * dp_port_counters fields and dp_port_counter_name(). The totals above
 * count the same events over every port.
 */
#define DP_PORT_COUNTERS(X) \
	X(rx_packets, EVENT, "frames received on the port") \
	X(rx_bytes, EVENT, "bytes received on the port") \
	X(tx_packets, EVENT, "frames sent on the port") \
	X(tx_bytes, EVENT, "bytes sent on the port") \
	X(rx_drop, DROP, \
	  "frames received on the port and dropped by " \
	  "the parser (drop_<reason>)") \
	X(ip_not_ours, DROP, "IPv4 frames for an address not the port's") \
	X(arp_not_ours, DROP, "ARP frames for an address not the port's") \
	X(tx_drop, DROP, "frames for the port dropped: TX full") \
	X(arp_requests_rx, EVENT, "ARP requests received on the port") \
	X(arp_replies_tx, EVENT, "ARP replies sent on the port") \
	X(arp_requests_tx, EVENT, "ARP requests sent on the port") \
	X(arp_learned, EVENT, "neighbours learned on the port") \
	X(neigh_miss, EVENT, \
	  "next hops on the port not resolved when a " \
	  "segment left") \
	X(ip6_not_ours, DROP, "IPv6 frames for an address not the port's") \
	X(nd_solicits_rx, EVENT, \
	  "Neighbor Solicitations for the port's " \
	  "address") \
	X(nd_adverts_tx, EVENT, "Neighbor Advertisements sent on the port") \
	X(nd_solicits_tx, EVENT, "Neighbor Solicitations sent on the port") \
	X(nd_learned, EVENT, "IPv6 neighbours learned on the port") \
	X(tx_alloc_fail, DROP, \
	  "segments and ARP/ND requests for the port not " \
	  "sent: no mbuf")

struct dp_port_counters {
#define DP_COUNTER_FIELD(n, kind, desc) uint64_t n;
	DP_PORT_COUNTERS(DP_COUNTER_FIELD)
#undef DP_COUNTER_FIELD
};

#define DP_PORT_COUNTER_COUNT \
	(sizeof(struct dp_port_counters) / sizeof(uint64_t))

const char *dp_port_counter_name(unsigned int i);
enum tcp_counter_kind dp_port_counter_kind(unsigned int i);
const char *dp_port_counter_desc(unsigned int i);

/* How packets reach the worker that owns their flow. */
enum dp_steer_mode {
	DP_STEER_NONE = 0, /* one worker: it owns everything */
	DP_STEER_HARDWARE, /* RSS + RETA put every flow on its owner */
	DP_STEER_SOFTWARE, /* Toeplitz in software, SPSC rings */
};

const char *dp_steer_mode_name(enum dp_steer_mode m);

/* A configured port, filled by dp_port_init(); read-only afterwards. */
struct dp_port {
	uint16_t port_id;
	uint16_t nb_rxq;
	uint16_t nb_txq;
	unsigned int n_workers;
	/*
	 * A flow's owner: reta[toeplitz(4-tuple) % reta_size], with the
	 * symmetric key. With hardware steering reta mirrors the device's
	 * RETA (queue i is worker i's); with software steering it is ours.
	 */
	enum dp_steer_mode steer;
	const char *steer_why; /* why this mode, for the log */
	uint32_t reta_size;
	uint64_t rss_hf_wanted;
	uint64_t rss_hf_masked;	     /* wanted, but the device lacks */
	struct net_rss_tab *rss_tab; /* software hash tables of the key */
	uint16_t reta[DP_RETA_MAX];
	uint16_t nb_rxd;
	uint16_t nb_txd;
	uint8_t mac[NET_ETH_ALEN];
	uint32_t addr;	  /* host order */
	uint32_t mask;	  /* host order, from the prefix length */
	uint32_t bcast;	  /* the subnet's broadcast; 0: none (/31, /32) */
	uint32_t net;	  /* the subnet's zero host; 0: none (/31, /32) */
	uint32_t gateway; /* 0 when none */
	/* IPv6 (ports[].ipv6): the address and prefix, gateway6. */
	bool has_ipv6;
	bool has_gateway6;
	uint8_t prefix6_len;
	uint8_t addr6[NET_IPV6_ALEN];
	uint8_t gateway6[NET_IPV6_ALEN];
	/* Software hash tables of the key for IPv6 (with has_ipv6). */
	struct net_rss_tab6 *rss_tab6;
	const char *mcast_how;	 /* how ND's multicast gets in (log) */
	uint64_t arp_max_age_us; /* neighbours are asked again after */
	uint16_t vlan;		 /* 802.1Q VLAN ID; 0: untagged */
	bool rx_csum;		 /* RX IPv4 + TCP checksum offload in use */
	bool tx_csum;		 /* TX IPv4 + TCP checksum offload in use */
	bool tx_csum6;		 /* TX TCP checksum offload, IPv6 */
	/* Offloads asked for, and those of them the device cannot do. */
	uint64_t rx_offloads_wanted;
	uint64_t rx_offloads_masked;
	uint64_t tx_offloads_wanted;
	uint64_t tx_offloads_masked;
	char name[64];
};

/*
 * Find the device cp->device, configure one RX and one TX queue per worker
 * (n_workers; fewer when cp->queues or the device says so: then software
 * steering spreads the flows and workers without a TX queue hand their
 * frames to one that has), choose the steering mode (cp->steering; auto:
 * hardware RSS when the device has IPv4/TCP RSS and a queue per worker),
 * turn promiscuous mode off and start it. Offloads and RSS hash types the
 * device lacks are masked and recorded in p. Returns 0, -ENODEV when no
 * device has that name, -ENOTSUP when hardware steering was asked for
 * and is not possible, -ENOBUFS when the device takes more descriptors
 * per queue than the mbuf pool reserves (p->nb_rxd, p->nb_txd say how
 * many; see dp_port_desc_check()), or another negative errno from ethdev.
 */
int dp_port_init(struct dp_port *p, const struct cfg_port *cp,
		 struct rte_mempool *mp, uint16_t n_workers);

/*
 * Whether the descriptors per queue p's device takes (p->nb_rxd,
 * p->nb_txd, as adjusted by the device) are within what the mbuf pool
 * reserves for each queue (DP_POOL_DESC): 0, or -ENOBUFS.
 */
int dp_port_desc_check(const struct dp_port *p);

/*
 * The next poll's timer budget after a poll that ran done expiries of
 * budget, cut short by its time slice or not (DP_TIMER_BUDGET).
 */
static inline uint32_t
dp_timer_budget_next(uint32_t budget, uint32_t done, bool cut)
{
	if (done >= budget)
		return budget < DP_TIMER_BUDGET_MAX ? budget * 2 : budget;
	return cut ? budget : DP_TIMER_BUDGET;
}

/*
 * The port of ports[0..n) whose address is addr, or NULL: a segment
 * leaves by the port of its source address, so a connection's replies
 * take the port its segments came in by.
 */
static inline const struct dp_port *
dp_port_by_addr(const struct dp_port *ports, unsigned int n, uint32_t addr)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (ports[i].addr == addr)
			return &ports[i];
	return NULL;
}

/* The port of ports[0..n) whose IPv6 address is addr6, or NULL. */
static inline const struct dp_port *
dp_port_by_addr6(const struct dp_port *ports, unsigned int n,
		 const uint8_t *addr6)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (ports[i].has_ipv6 &&
		    memcmp(ports[i].addr6, addr6, NET_IPV6_ALEN) == 0)
			return &ports[i];
	return NULL;
}

/* Wait up to timeout_ms for the link; returns true when it is up. */
bool dp_port_wait_link(const struct dp_port *p, unsigned int timeout_ms);

/* Stop and close the port (frees the software hash tables). */
void dp_port_close(struct dp_port *p);

/* The worker owning a flow (remote address/port, local address/port). */
static inline unsigned int
dp_port_owner(const struct dp_port *p, uint32_t hash)
{
	return net_rss_owner(p->reta, p->reta_size, hash);
}

static inline uint32_t
dp_port_hash(const struct dp_port *p, const struct net_seg *s)
{
	if (s->saddr6 != NULL)
		return net_rss_tab_tcp6(p->rss_tab6, s->saddr6, s->daddr6,
					s->sport, s->dport);
	return net_rss_tab_tcp4(p->rss_tab, s->saddr, s->daddr, s->sport,
				s->dport);
}

/*
 * Write the names of the ethdev ports that exist into buf, separated by
 * ", " ("none" when there is no port). Returns buf.
 */
char *dp_port_list(char *buf, size_t len);

/*
 * Flushes in a row that send nothing before the frame at the head is
 * dropped: a frame the device refuses for good (too large for it, say)
 * must not hold every later frame back.
 */
#define DP_TX_STUCK_FLUSHES 4096

struct dp_txbuf {
	uint16_t n;
	uint32_t stuck; /* flushes in a row that sent nothing */
	uint32_t bytes; /* pkt_len of m[0..n), summed as they are queued */
	struct rte_mbuf *m[DP_TX_HOLD];
};

struct dp_steerbuf {
	uint16_t n;
	struct rte_mbuf *m[DP_STEER_BURST];
};

/*
 * The steering rings of all workers: ring[from][to] is single-producer
 * (from) single-consumer (to) and carries frames of every port (an mbuf
 * says its port); tx[p][w] carries the frames of a worker without a TX
 * queue on port p to the worker that transmits for it there.
 */
struct dp_steer {
	unsigned int n_workers;
	unsigned int n_ports;
	struct rte_ring *ring[DP_MAX_WORKERS][DP_MAX_WORKERS];
	struct rte_ring *tx[DP_MAX_PORTS][DP_MAX_WORKERS];
};

/*
 * Create the rings for n_workers and n_ports on socket (none for one
 * worker). Returns 0 or a negative errno; on error the rings made so far
 * are freed.
 */
int dp_steer_create(struct dp_steer *s, unsigned int n_workers,
		    unsigned int n_ports, int socket);
/*
 * The same for the started ports[0..n_ports): a worker's TX hand-off
 * ring on a port is made only when it has no TX queue there (worker
 * index >= nb_txq). The mbuf pool still reserves them all
 * (dp_steer_mbufs()): it is sized before the ports are.
 */
int dp_steer_create_ports(struct dp_steer *s, unsigned int n_workers,
			  const struct dp_port *ports, unsigned int n_ports,
			  int socket);
/* Free the rings and the mbufs still in them. */
void dp_steer_free(struct dp_steer *s);

/* Entries of each (from, to) steering ring with n_workers: a power of 2. */
unsigned int dp_steer_ring_size(unsigned int n_workers);

/*
 * The mbufs the steering of n_workers and n_ports can hold at once:
 * every ring full and every worker's buffers towards the others.
 */
unsigned int dp_steer_mbufs(unsigned int n_workers, unsigned int n_ports);

/*
 * Descriptors per RX or TX queue the mbuf pool reserves. A device may
 * take more than asked (rte_eth_dev_adjust_nb_rx_tx_desc(): its minimum,
 * its alignment); dp_port_init() refuses one that takes more than this.
 */
#define DP_POOL_DESC 4096

/*
 * The mbufs the pool of n_workers serving n_ports must have so that
 * none of the places that hold mbufs at once can drain it: the queues'
 * descriptors (DP_POOL_DESC each), the TX batches and holding areas,
 * the frames held for a next hop, the output queue, the per-lcore
 * caches (cache mbufs each, the main lcore's too when it is not one of
 * the workers) and the steering (dp_steer_mbufs()).
 */
unsigned int dp_mbuf_pool_size(unsigned int n_workers, unsigned int n_ports,
			       unsigned int cache, bool main_is_worker);

/*
 * Listing mailbox (dp_list.c): how the telemetry thread asks a worker for
 * a slice of its connections without reading the worker's tables. A
 * single-producer single-consumer slot: the requester (telemetry, one at
 * a time under a lock) fills filter/cursor/max, then publishes req + 1
 * with release; the worker sees req != done with acquire in its poll,
 * calls tcp_list() for at most DP_LIST_MAX records and DP_LIST_SCAN
 * flow-table slots, writes the records, cursor and n, and publishes
 * done = req with release; the requester reads them after an acquire
 * load of done. The two sequence words sit on their own cache lines.
 */
#define DP_LIST_MAX 128		/* records per slice: reply under 16 KiB */
#define DP_LIST_SCAN 16384	/* flow-table slots per poll (256 KiB) */
#define DP_LIST_WAIT_US 1000000 /* the requester gives up after */

struct dp_core;

struct dp_list_mbox {
	uint32_t req __rte_cache_aligned;  /* requester writes */
	uint32_t done __rte_cache_aligned; /* worker writes */
	struct tcp_list_filter filter __rte_cache_aligned;
	uint32_t cursor;
	uint32_t max;
	uint32_t n;
	uint64_t now_us; /* worker clock at the slice */
	struct tcp_list_rec rec[DP_LIST_MAX];
};

/* Worker side: serve a pending request, if any (one per poll). */
void dp_list_serve(struct dp_core *core, uint64_t now);

/*
 * Requester side (any thread but the worker's): ask core for the records
 * matching f from *cursor, at most max (<= DP_LIST_MAX); waits up to
 * DP_LIST_WAIT_US. On success returns the number of records copied to
 * out and updates *cursor (TCP_LIST_END when done); -ETIMEDOUT when the
 * worker did not answer (stopped or stalled), -EBUSY when an earlier
 * request it never answered is still pending, -EINVAL on a bad max.
 */
int dp_list_request(struct dp_core *core, const struct tcp_list_filter *f,
		    uint32_t *cursor, uint32_t max, struct tcp_list_rec *out);

/*
 * What a worker owns of one port (the l3fwd model: each worker polls one
 * RX queue of every port): its queues, its TX batch, its neighbour table
 * for the port's subnet and the frames awaiting a next hop there.
 */
struct dp_core_port {
	const struct dp_port *port;
	uint16_t rxq;
	uint16_t txq;
	struct rte_ring *tx_out; /* no TX queue: frames go here */
	unsigned int n_tx_in;
	/* Frames we send for workers without a TX queue of the port. */
	struct rte_ring *tx_in[DP_MAX_WORKERS];
	struct dp_port_counters cnt;
	struct dp_txbuf tx;
	struct net_neigh neigh; /* lib/net/net_neigh.h policy */
	/* Frames awaiting their next hop, by net_neigh hold slot. */
	struct rte_mbuf *held[NET_NEIGH_HOLD_MAX];
	/* IPv6: the same, from Neighbor Discovery (port->has_ipv6). */
	struct net_neigh6 neigh6; /* lib/net/net_neigh6.h policy */
	struct rte_mbuf *held6[NET_NEIGH_HOLD_MAX];
	/* The start of every IPv4 frame sent by the port (dp_tx.c). */
	struct net_tx4_tmpl tx4;
};

/* Everything one worker lcore owns. */
struct dp_core {
	unsigned int lcore;
	unsigned int worker; /* index among workers */
	unsigned int n_workers;
	unsigned int n_ports;
	const struct dp_port *port_list; /* the n_ports ports */
	struct rte_mempool *mp;
	/*
	 * mp's cache for the lcore polling this core, or NULL (no cache, or
	 * not bound yet): set by dp_core_bind() on that lcore only.
	 */
	struct rte_mempool_cache *mp_cache;
	struct tcp_ctx *tcp;
	uint32_t timer_budget;	  /* adaptive, see DP_TIMER_BUDGET */
	uint64_t timer_slice_tsc; /* DP_TIMER_SLICE_NS in TSC cycles */
	/* Time: us = ((tsc - tsc0) * tsc_mult) >> 32. */
	uint64_t tsc0;
	uint64_t tsc_mult;
	uint64_t drain_tsc;
	/*
	 * Set when a frame is held for its next hop (dp_tx.c), cleared once
	 * no port holds one: the output queue's drain then skips the ports.
	 */
	bool tx_held;
	struct dp_counters cnt;
	uint64_t drops[NET_DROP_MAX];
	/* Steering: out[w] to worker w, in[w] from worker w (NULL: self). */
	struct rte_ring *ring_out[DP_MAX_WORKERS];
	struct rte_ring *ring_in[DP_MAX_WORKERS];
	uint64_t steer_pending; /* bit w: out[w] holds packets */
	struct dp_steerbuf out[DP_MAX_WORKERS];
	struct dp_list_mbox list; /* listing requests (dp_list.c) */
	struct dp_core_port ports[DP_MAX_PORTS];
} __rte_cache_aligned;

/*
 * Prepare a core's state (zeroes it first) for the n_ports ports (an
 * array that outlives the core). tcp is the core's context, owned by the
 * caller.
 */
void dp_core_init(struct dp_core *core, unsigned int lcore, unsigned int worker,
		  unsigned int n_workers, const struct dp_port *ports,
		  unsigned int n_ports, struct rte_mempool *mp,
		  struct tcp_ctx *tcp);

/*
 * Take the mempool cache of the calling lcore for core's allocations:
 * called by the thread that polls core (dp_worker_run() does, and
 * dp_core_init() when called on the core's own lcore), never by another,
 * whose cache it would then share unsynchronised.
 */
void dp_core_bind(struct dp_core *core);

/*
 * Attach a core to the steering rings and pick its queues on every
 * port: RX queue worker if the port has it, TX queue worker if the port
 * has it (else its frames go to the worker worker % nb_txq through
 * s->tx[port][worker]).
 */
void dp_core_attach(struct dp_core *core, const struct dp_steer *s);

/*
 * The core's share of the port with ethdev id port_id (the port an mbuf
 * came in by), or NULL when it serves no such port.
 */
static inline struct dp_core_port *
dp_core_port_of(struct dp_core *core, uint16_t port_id)
{
	unsigned int i;

	if (likely(core->n_ports == 1))
		return &core->ports[0];
	for (i = 0; i < core->n_ports; i++)
		if (core->ports[i].port->port_id == port_id)
			return &core->ports[i];
	return NULL;
}

/*
 * The core's share of the port whose address is addr (the source of a
 * segment to send), or NULL.
 */
static inline struct dp_core_port *
dp_core_port_by_addr(struct dp_core *core, uint32_t addr)
{
	const struct dp_port *p;

	if (likely(core->n_ports == 1))
		return &core->ports[0];
	p = dp_port_by_addr(core->port_list, core->n_ports, addr);
	return p != NULL ? &core->ports[p - core->port_list] : NULL;
}

/*
 * The core's share of the port whose IPv6 address is addr6 (the source
 * of a segment to send), or NULL.
 */
static inline struct dp_core_port *
dp_core_port_by_addr6(struct dp_core *core, const uint8_t *addr6)
{
	const struct dp_port *p;

	p = dp_port_by_addr6(core->port_list, core->n_ports, addr6);
	return p != NULL ? &core->ports[p - core->port_list] : NULL;
}

/* Microseconds since dp_core_init(), from the TSC. */
uint64_t dp_now_us(const struct dp_core *core);

/*
 * Control work run by the worker loop between polls when the worker is
 * the main lcore (stats line and the like). Called about every
 * period_us; must be short.
 */
struct dp_control {
	void (*fn)(void *arg, uint64_t now_us);
	void *arg;
	uint64_t period_us;
};

/*
 * The worker loop: poll RX, run TCP, drain TX, run timers, until quit.
 * ctl may be NULL. On leaving, the TX batch is flushed. Returns 0.
 */
int dp_worker_run(struct dp_core *core, const struct dp_control *ctl);

/* Entry point for rte_eal_remote_launch(); arg is a struct dp_core. */
int dp_worker_main(void *arg);

/*
 * One poll of the loop (RX queue, steering rings, timers, TX drain);
 * tsc is rte_rdtsc(). *prev_drain is the TSC of the last drain. Returns
 * the number of packets received (from the queue and the rings).
 */
unsigned int dp_worker_poll(struct dp_core *core, uint64_t tsc,
			    uint64_t *prev_drain);

/* The quit flag (async-signal safe to set). */
void dp_quit_set(void);
bool dp_quit_requested(void);

/* ---- Pieces of the loop, exposed for the worker and for tests ---- */

/*
 * Handle an RX burst from port cp; every mbuf is consumed (sent back,
 * steered to its owner, or freed). Packets of flows another worker owns
 * are buffered for it and the buffers flushed at the end.
 */
void dp_rx_burst(struct dp_core *core, struct dp_core_port *cp,
		 struct rte_mbuf **m, uint16_t n, uint64_t now);

/*
 * Handle a burst taken from another worker's ring: TCP frames of flows we
 * own (steered on their 4-tuple, validated here) and copies of ARP frames
 * to learn from.
 */
void dp_rx_steered(struct dp_core *core, struct rte_mbuf **m, uint16_t n,
		   uint64_t now);

/* Send the buffered steered packets to their owners' rings. */
void dp_steer_flush(struct dp_core *core);

/* Turn the TCP output queue into mbufs on the TX batch; empties it. */
void dp_tx_outq(struct dp_core *core, uint64_t now);

/*
 * One segment of it (dp_tx_outq() without the pass over the held frames
 * that follows the queue): for tests, which see core->tx_held as the
 * segment left it.
 */
void dp_tx_segment(struct dp_core *core, const struct tcp_out *o, uint64_t now);

/* Write the TX template of cp from its port: at dp_core_init(). */
void dp_tx_port_init(struct dp_core_port *cp);

/*
 * Add one frame to a port's TX batch (sends when the batch is full).
 * Returns 0, or -ENOBUFS when the frame was dropped (counted tx_drop):
 * the holding area full, or the hand-off ring of a worker without a TX
 * queue on the port.
 */
int dp_tx_enqueue(struct dp_core *core, struct dp_core_port *cp,
		  struct rte_mbuf *m);

/*
 * Send a port's TX batch; what the device refuses waits for the next
 * flush (counted tx_retry), dropped only when the holding area is full.
 */
void dp_tx_flush_port(struct dp_core *core, struct dp_core_port *cp);

/* dp_tx_flush_port() on every port. */
void dp_tx_flush(struct dp_core *core);

/*
 * Next-hop MAC for a destination: on-link addresses directly, others via
 * the port's gateway (*hop: the address asked for). Returns 0 with mac
 * filled (an old entry is asked for again meanwhile), or -EAGAIN on a
 * cache miss (an ARP request has been queued, at most once per
 * DP_ARP_RETRY_US per address: hold the frame with dp_neigh_hold()), or
 * -ENETUNREACH (off-link and no gateway).
 */
int dp_neigh_resolve(struct dp_core *core, struct dp_core_port *cp,
		     uint32_t daddr, uint64_t now, uint8_t *mac, uint32_t *hop);

/*
 * Keep frame m (built with any destination MAC) until hop resolves: it
 * is sent then with the MAC written in, or dropped (counted) when the
 * bounds are hit or the resolution goes unanswered (DP_ARP_PROBE_US).
 */
void dp_neigh_hold(struct dp_core *core, struct dp_core_port *cp,
		   struct rte_mbuf *m, uint32_t hop, uint64_t now);

/* Drop the held frames whose resolution went unanswered (every port). */
void dp_neigh_expire(struct dp_core *core, uint64_t now);

/* Free every held frame (at exit). */
void dp_neigh_flush(struct dp_core *core);

/*
 * An ARP frame for our address, from the wire (count refused ones) or a
 * copy from another worker (count = false: its receiver counted).
 * Returns the table's verdict.
 */
enum net_neigh_learn dp_neigh_input(struct dp_core *core,
				    struct dp_core_port *cp,
				    const struct net_frame *f, uint64_t now,
				    bool count);

/*
 * IPv6 (dp_neigh6.c): the same as the four above with Neighbor
 * Discovery, on 16-byte addresses (hop: 16 bytes written).
 */
int dp_neigh6_resolve(struct dp_core *core, struct dp_core_port *cp,
		      const uint8_t *daddr, uint64_t now, uint8_t *mac,
		      uint8_t *hop);
void dp_neigh6_hold(struct dp_core *core, struct dp_core_port *cp,
		    struct rte_mbuf *m, const uint8_t *hop, uint64_t now);

/* ---- Telemetry ---- */

/*
 * Register /tcpterm/states, /tcpterm/stats and /tcpterm/cores over the
 * given cores (the array must outlive the process's telemetry; it is read
 * without locks, counters may be a poll old). Call once, before launch.
 * Returns 0 or a negative errno.
 */
int dp_telemetry_register(struct dp_core *const *cores, unsigned int n);

/* Stop the telemetry commands from reading the cores (before freeing). */
void dp_telemetry_detach(void);

/* Sum of the counters of n cores. */
void dp_sum_tcp(struct dp_core *const *cores, unsigned int n,
		struct tcp_counters *out);
void dp_sum_glue(struct dp_core *const *cores, unsigned int n,
		 struct dp_counters *out);
/* Sum of port index pi's counters of n cores. */
void dp_sum_port(struct dp_core *const *cores, unsigned int n, unsigned int pi,
		 struct dp_port_counters *out);
void dp_sum_drops(struct dp_core *const *cores, unsigned int n,
		  uint64_t out[NET_DROP_MAX]);
void dp_sum_states(struct dp_core *const *cores, unsigned int n,
		   uint64_t out[TCP_STATE_MAX]);
/* All drops of the sums above (TCP and glue DROP kind, parser). */
uint64_t dp_drops_total(const struct tcp_counters *tc,
			const struct dp_counters *gc, const uint64_t *drops);

#endif /* TT_DP_H */
