/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Neighbour table policy: IPv4 -> MAC, learned from ARP (RFC 826), for
 * one port and one worker. Pure C, no DPDK header; time is passed in
 * (microseconds) and every decision is returned as a verdict, so the
 * caller sends the ARP requests and counts.
 *
 * What is learned, and what is not (a hostile on-link peer must not be
 * able to redirect our traffic with a single frame):
 * - a reply only when it answers a request of ours still pending for
 *   that address (sent within probe_us);
 * - a request for our address only from a usable on-link sender (inside
 *   the port's subnet; not our address, the network or broadcast
 *   address, nor 0.0.0.0), and with a unicast sender MAC;
 * - an unsolicited frame never changes the MAC of a live entry (the
 *   gateway's included), nor restarts its age: a request can only fill
 *   a free slot, as a STALE entry (enum net_neigh_state).
 * Resolved entries age: after max_age_us the MAC is still used while it
 * is asked for again (one request per retry_us); without an answer
 * within probe_us more it is forgotten.
 *
 * Packets for an unresolved next hop are held, not dropped (RFC 1122
 * 2.3.2.2): up to NET_NEIGH_HOLD_ADDR per address (the oldest gives way
 * to the latest) and NET_NEIGH_HOLD_MAX per table. This module keeps the
 * book (which slot waits for which address, since when); the caller
 * keeps the packets in a parallel array indexed by slot.
 *
 * Where an address lands is a keyed hash (SipHash-1-3) under
 * params.secret, which the caller draws at random for each table
 * (net_neigh_secret()): an on-link host on a large subnet cannot choose
 * addresses that crowd a live entry's probe window, fill it, and have
 * that entry (the gateway's, a client's) given up for one of its own.
 */
#ifndef TT_NET_NEIGH_H
#define TT_NET_NEIGH_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "net.h"

#define NET_NEIGH_BITS 8
#define NET_NEIGH_SIZE (1u << NET_NEIGH_BITS) /* entries per table */
#define NET_NEIGH_PROBE 4		      /* slots looked at per address */
#define NET_NEIGH_HOLD_ADDR 4 /* packets held per unresolved address */
#define NET_NEIGH_HOLD_MAX 64 /* packets held per table */
/* Bytes of the secret keying a table's slot hash. */
#define NET_NEIGH_SECRET_LEN 16
/* RFC 5227 1.1 DEFEND_INTERVAL: one defence of our address per 10 s. */
#define NET_NEIGH_DEFEND_US 10000000ull

struct net_neigh_params {
	uint32_t addr;	     /* our address, host order */
	uint32_t mask;	     /* host order, from the prefix length */
	uint32_t gateway;    /* 0 when none */
	uint64_t max_age_us; /* an entry is asked for again after */
	uint64_t retry_us;   /* at most one request per address per */
	uint64_t probe_us;   /* a request waits this long for its reply */
	uint8_t secret[NET_NEIGH_SECRET_LEN]; /* keys the slot hash */
};

/*
 * RFC 4861 7.3.1: a neighbour is known reachable only from an answer to
 * our own request (solicited, in ND's terms); its own request or
 * solicitation, or an advertisement nobody asked for, shows that it can
 * send, not that it receives. So an entry learned from the neighbour's
 * request is STALE (RFC 4861 7.2.3; Linux does the same for ARP): its
 * MAC is used, it ages from when it was learned, and it is the first to
 * give way for another address; our next request's answer makes it
 * RESOLVED. A request from a known neighbour restarts nothing
 * (NET_NEIGH_KNOWN): an on-link host repeating requests cannot keep its
 * entries young and steer evictions onto confirmed ones.
 */
enum net_neigh_state {
	NET_NEIGH_FREE = 0,
	NET_NEIGH_INCOMPLETE, /* asked for, MAC unknown */
	NET_NEIGH_RESOLVED,   /* MAC known, confirmed by an answer */
	NET_NEIGH_STALE,      /* MAC known from its own request only */
};

struct net_neigh_entry {
	uint32_t addr;
	uint8_t mac[NET_ETH_ALEN];
	uint8_t state;	       /* enum net_neigh_state */
	uint8_t pending;       /* a request of ours awaits its reply (bit 0) */
	uint64_t confirmed_us; /* when an answer confirmed it (STALE:
				* when its MAC was learned) */
	uint64_t req_us;       /* when a request was last sent */
};

/* A held packet's slot: which next hop it waits for, since when. */
struct net_neigh_hold {
	uint32_t hop; /* 0: slot free */
	uint32_t seq; /* order of arrival, to release in order */
	uint64_t since_us;
};

/*
 * The last destination resolved to a plain hit, and its answer: most
 * segments in a row go to the same next hop. It holds while the table
 * is at the generation it was taken at (no entry changed since: 64
 * bits, it never wraps) and the entry is younger than max_age_us, which
 * is all the table itself would ask to answer NET_NEIGH_HIT again.
 */
struct net_neigh_cache {
	uint64_t gen;	       /* the table's generation when taken */
	uint64_t confirmed_us; /* its entry's */
	uint32_t daddr;
	uint32_t hop;
	uint8_t mac[NET_ETH_ALEN];
};

struct net_neigh {
	struct net_neigh_params p;
	uint64_t gen; /* bumped on every change to an entry */
	struct net_neigh_cache cache;
	struct net_neigh_entry e[NET_NEIGH_SIZE];
	uint32_t n_held; /* slots in use */
	uint32_t hold_seq;
	struct net_neigh_hold hold[NET_NEIGH_HOLD_MAX];
	uint64_t defend_us; /* the last defence of our address */
	bool defended;	    /* defend_us is set */
};

/* What to do with a packet whose next hop is not resolved yet. */
enum net_neigh_hold_res {
	NET_NEIGH_HELD = 0,	 /* store it at *slot */
	NET_NEIGH_HELD_REPLACED, /* the address had its share: drop the
					 * packet at *slot (its oldest) and
					 * store this one there */
	NET_NEIGH_HOLD_FULL,	 /* the table holds its maximum: drop it */
};

/* What became of an ARP frame aimed at our address. */
enum net_neigh_learn {
	NET_NEIGH_LEARNED = 0, /* a MAC recorded: new, or the answer */
	NET_NEIGH_CONFIRMED,   /* the answer, the same MAC: its age restarts */
	NET_NEIGH_UNSOLICITED, /* refused: a reply nobody asked for */
	NET_NEIGH_OFFLINK,     /* refused: sender outside the subnet */
	NET_NEIGH_BAD_SENDER,  /* refused: 0, ours, network, broadcast, or
				 * a multicast/zero sender MAC */
	NET_NEIGH_CONFLICT,    /* refused: would change a live MAC */
	NET_NEIGH_FULL,	       /* refused: no slot to spare */
	NET_NEIGH_KNOWN,       /* a request with the MAC we have: nothing
				* changes (it confirms no reachability) */
};

/* How to reach a destination. */
enum net_neigh_res {
	NET_NEIGH_HIT = 0, /* mac filled */
	NET_NEIGH_HIT_ASK, /* mac filled; the entry is old: send a
				 * request for *hop */
	NET_NEIGH_ASK,	   /* unknown: send a request for *hop */
	NET_NEIGH_EXPIRED, /* aged out unanswered, forgotten: send a
				 * request for *hop */
	NET_NEIGH_WAIT,	   /* unknown, asked within retry_us */
	NET_NEIGH_UNREACH, /* off-link and no gateway */
	NET_NEIGH_EVICTED, /* unknown, and a live entry gave way to it
				 * (its window was full): send a request
				 * for *hop */
};

/*
 * Draw a secret for a table's slot hash (ARP's or ND's): from the
 * kernel (getrandom(2)), or, should that fail (it does not on the
 * kernels DPDK runs on), from fallback, a generator the caller trusts
 * (DPDK's rte_rand(), seeded from the kernel or the CPU).
 */
void net_neigh_secret(uint8_t secret[NET_NEIGH_SECRET_LEN],
		      uint64_t (*fallback)(void));

/* The first slot of addr's probe window (for tests and diagnostics). */
unsigned int net_neigh_slot_of(const struct net_neigh *n, uint32_t addr);

/* Empty table for port parameters p. */
void net_neigh_init(struct net_neigh *n, const struct net_neigh_params *p);

/*
 * An ARP frame for our address: op NET_ARP_OP_REQUEST or _REPLY, sender
 * address spa (host order) and MAC sha. Returns the verdict.
 */
enum net_neigh_learn net_neigh_input(struct net_neigh *n, uint16_t op,
				     uint32_t spa, const uint8_t *sha,
				     uint64_t now);

/* net_neigh_resolve() past its cache. */
enum net_neigh_res net__neigh_resolve(struct net_neigh *n, uint32_t daddr,
				      uint64_t now, uint8_t *mac,
				      uint32_t *hop);

/*
 * The hit of net_neigh_resolve() without a copy: the cached MAC of
 * daddr (valid until the table changes), or NULL when it takes a full
 * resolution. The cache holds the last destination resolved and its
 * next hop: any off-link destination hits it when that hop was the
 * gateway, so clients behind a router never pay the keyed slot hash.
 */
static inline const uint8_t *
net_neigh_cached(const struct net_neigh *n, uint32_t daddr, uint64_t now)
{
	const struct net_neigh_cache *c = &n->cache;
	const struct net_neigh_params *p = &n->p;

	if (c->gen != n->gen || now - c->confirmed_us >= p->max_age_us)
		return NULL;
	if (daddr == c->daddr ||
	    (c->hop == p->gateway && p->gateway != 0 &&
	     ((daddr ^ p->addr) & p->mask) != 0))
		return c->mac;
	return NULL;
}

/*
 * Next-hop MAC for daddr: on-link directly, otherwise via the gateway
 * (*hop is the address to ask for). An ASK verdict means the caller
 * sends the request now: it is recorded as pending. Inline, the hit of
 * net_neigh_cached(): the same destination as last time, or any
 * off-link one when the last went through the gateway.
 */
static inline enum net_neigh_res
net_neigh_resolve(struct net_neigh *n, uint32_t daddr, uint64_t now,
		  uint8_t *mac, uint32_t *hop)
{
	const uint8_t *hit = net_neigh_cached(n, daddr, now);

	if (hit != NULL) {
		memcpy(mac, hit, NET_ETH_ALEN);
		*hop = n->cache.hop;
		return NET_NEIGH_HIT;
	}
	return net__neigh_resolve(n, daddr, now, mac, hop);
}

/*
 * Another table's owner (another worker) sent a request for hop: its
 * reply may be learned here too.
 */
void net_neigh_asked(struct net_neigh *n, uint32_t hop, uint64_t now);

/*
 * The request for hop a verdict called for could not be sent: the next
 * resolution asks again (ASK, HIT_ASK) instead of waiting retry_us.
 */
void net_neigh_unasked(struct net_neigh *n, uint32_t hop);

/*
 * Hold a packet for next hop hop (not 0) until it is resolved; see enum
 * net_neigh_hold_res. *slot is in [0, NET_NEIGH_HOLD_MAX).
 */
enum net_neigh_hold_res net_neigh_hold(struct net_neigh *n, uint32_t hop,
				       uint64_t now, unsigned int *slot);

/*
 * hop is resolved: the slots of the packets held for it, in the order
 * they were held, go to slots[] (room for NET_NEIGH_HOLD_ADDR) and are
 * freed. Returns their number.
 */
unsigned int net_neigh_release(struct net_neigh *n, uint32_t hop,
			       unsigned int *slots);

/*
 * The slots held longer than probe_us (their resolution went
 * unanswered) go to slots[] (room for NET_NEIGH_HOLD_MAX) and are
 * freed. Returns their number.
 */
unsigned int net_neigh_expire(struct net_neigh *n, uint64_t now,
			      unsigned int *slots);

/* The entry of addr, or NULL (for tests and listings). */
const struct net_neigh_entry *net_neigh_lookup(const struct net_neigh *n,
					       uint32_t addr);

/*
 * RFC 5227 2.4: an ARP frame from another station gives our address as
 * its sender's (a conflicting ARP packet: a host using our address, or
 * one poisoning its neighbours' caches with it). tcpterm never gives its
 * address up, so it defends it indefinitely (2.4 (c)) with an ARP
 * Announcement, at most one per NET_NEIGH_DEFEND_US: returns whether to
 * send one now (and records it).
 */
bool net_neigh_defend(struct net_neigh *n, uint64_t now);

#endif /* TT_NET_NEIGH_H */
