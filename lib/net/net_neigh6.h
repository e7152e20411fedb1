/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Neighbour table policy for IPv6: address -> MAC, learned from Neighbor
 * Discovery (RFC 4861), for one port and one worker. The sibling of
 * net_neigh.h (ARP), with the same policy, verdicts and hold queue, on
 * 16-byte keys in a table of its own, so that the IPv4 entries keep
 * their size.
 *
 * What is learned, and what is not:
 * - a solicited Neighbor Advertisement (Solicited flag set) only when it
 *   answers a solicitation of ours still pending for that target (sent
 *   within probe_us); it may change the MAC of a live entry only with
 *   its Override flag (RFC 4861 7.2.5), and an entry still being
 *   resolved takes the MAC whatever the flag;
 * - an unsolicited advertisement (Solicited clear, or nobody asked)
 *   changes nothing: RFC 4861 7.2.5 would let its Override flag
 *   replace a cached MAC, which is exactly the one-frame redirection a
 *   hostile on-link host would send; a neighbour that really moved is
 *   asked again when its entry ages (max_age_us + probe_us at most);
 * - a Neighbor Solicitation for our address with a source link-layer
 *   option (RFC 4861 7.2.3) from a usable on-link sender (inside the
 *   port's prefix or link-local; not our address nor the prefix's
 *   Subnet-Router anycast address, RFC 4291 2.6.1) may fill a free slot
 *   as a STALE entry (7.2.3), never change the MAC of a live entry
 *   (7.2.3 allows it; we do not, as for ARP requests), nor confirm it:
 *   only a solicited advertisement does (7.3.1; enum net_neigh_state).
 * Resolved entries age as in net_neigh.h: after max_age_us the MAC is
 * still used while it is asked for again, and forgotten after probe_us
 * more without an answer.
 *
 * A destination outside the prefix goes through gateway6, which must
 * be on-link (in the prefix, or link-local); link-local destinations
 * are always on-link.
 *
 * Where an address lands is a keyed hash under params.secret, which
 * the caller draws at random for each table (net_neigh_secret()): an
 * on-link host cannot choose addresses that crowd one entry's probe
 * window.
 */
#ifndef TT_NET_NEIGH6_H
#define TT_NET_NEIGH6_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "net.h"
#include "net_neigh.h"

struct net_neigh6_params {
	uint8_t addr[NET_IPV6_ALEN]; /* our address */
	uint8_t prefix_len;	     /* 1..128 */
	bool has_gateway;
	uint8_t gateway[NET_IPV6_ALEN];
	uint64_t max_age_us; /* an entry is asked for again after */
	uint64_t retry_us;   /* at most one solicitation per address per */
	uint64_t probe_us;   /* a solicitation waits this long */
	uint8_t secret[NET_NEIGH_SECRET_LEN]; /* keys the slot hash */
};

struct net_neigh6_entry {
	uint8_t addr[NET_IPV6_ALEN];
	uint8_t mac[NET_ETH_ALEN];
	uint8_t state;	 /* enum net_neigh_state */
	uint8_t pending; /* a solicitation of ours awaits its answer (bit 0) */
	uint64_t confirmed_us;
	uint64_t req_us;
};

struct net_neigh6_hold {
	uint8_t hop[NET_IPV6_ALEN];
	uint8_t used;
	uint32_t seq;
	uint64_t since_us;
};

/* The last destination resolved to a plain hit (struct net_neigh_cache). */
struct net_neigh6_cache {
	uint64_t gen;	       /* the table's generation when taken */
	uint64_t confirmed_us; /* its entry's */
	uint8_t daddr[NET_IPV6_ALEN];
	uint8_t hop[NET_IPV6_ALEN];
	uint8_t mac[NET_ETH_ALEN];
};

struct net_neigh6 {
	struct net_neigh6_params p;
	struct net_neigh6_cache cache;
	struct net_neigh6_entry e[NET_NEIGH_SIZE];
	uint32_t n_held;
	uint32_t hold_seq;
	struct net_neigh6_hold hold[NET_NEIGH_HOLD_MAX];
	uint64_t gen;	    /* bumped on every change to an entry */
	uint64_t defend_us; /* the last defence of our address */
	bool defended;	    /* defend_us is set */
};

void net_neigh6_init(struct net_neigh6 *n, const struct net_neigh6_params *p);

/*
 * A valid Neighbor Solicitation for our address from src (not
 * unspecified) with source link-layer address sha (NULL: none, then
 * nothing is learned: NET_NEIGH_BAD_SENDER).
 */
enum net_neigh_learn net_neigh6_input_ns(struct net_neigh6 *n,
					 const uint8_t *src, const uint8_t *sha,
					 uint64_t now);

/*
 * A valid Neighbor Advertisement for target with flags NET_ND_* and
 * target link-layer address tha (NULL: none).
 */
enum net_neigh_learn net_neigh6_input_na(struct net_neigh6 *n,
					 const uint8_t *target,
					 const uint8_t *tha, uint8_t flags,
					 uint64_t now);

/*
 * Next-hop MAC for daddr; *hop (16 bytes) is the address to solicit.
 * Verdicts as net_neigh_resolve(); ASK, HIT_ASK and EXPIRED mean the
 * caller sends a solicitation for *hop now (multicast for ASK and
 * EXPIRED; HIT_ASK may probe unicast, RFC 4861 7.3.3).
 */
enum net_neigh_res net__neigh6_resolve(struct net_neigh6 *n,
				       const uint8_t *daddr, uint64_t now,
				       uint8_t *mac, uint8_t *hop);

/* Inline, the hit of the same destination as last time. */
static inline enum net_neigh_res
net_neigh6_resolve(struct net_neigh6 *n, const uint8_t *daddr, uint64_t now,
		   uint8_t *mac, uint8_t *hop)
{
	const struct net_neigh6_cache *c = &n->cache;

	if (c->gen == n->gen && now - c->confirmed_us < n->p.max_age_us &&
	    memcmp(daddr, c->daddr, NET_IPV6_ALEN) == 0) {
		memcpy(mac, c->mac, NET_ETH_ALEN);
		memcpy(hop, c->hop, NET_IPV6_ALEN);
		return NET_NEIGH_HIT;
	}
	return net__neigh6_resolve(n, daddr, now, mac, hop);
}

/* Another worker solicited hop: its answer may be learned here too. */
void net_neigh6_asked(struct net_neigh6 *n, const uint8_t *hop, uint64_t now);

/* The solicitation for hop could not be sent: as net_neigh_unasked(). */
void net_neigh6_unasked(struct net_neigh6 *n, const uint8_t *hop);

/* The hold queue, as net_neigh_hold(), _release() and _expire(). */
enum net_neigh_hold_res net_neigh6_hold(struct net_neigh6 *n,
					const uint8_t *hop, uint64_t now,
					unsigned int *slot);
unsigned int net_neigh6_release(struct net_neigh6 *n, const uint8_t *hop,
				unsigned int *slots);
unsigned int net_neigh6_expire(struct net_neigh6 *n, uint64_t now,
			       unsigned int *slots);

const struct net_neigh6_entry *net_neigh6_lookup(const struct net_neigh6 *n,
						 const uint8_t *addr);

/*
 * Another station claims our address: an advertisement for it, or a
 * solicitation from it. tcpterm keeps its address and defends it with
 * an unsolicited advertisement (RFC 4861 7.2.6), at most one per
 * NET_NEIGH_DEFEND_US as for ARP (net_neigh_defend()): returns whether
 * to send one now (and records it).
 */
bool net_neigh6_defend(struct net_neigh6 *n, uint64_t now);

/* The first slot of addr's probe window (for tests and diagnostics). */
unsigned int net_neigh6_slot_of(const struct net_neigh6 *n,
				const uint8_t *addr);

/* addr is in the prefix of our/prefix_len. */
bool net_ip6_in_prefix(const uint8_t *addr, const uint8_t *our,
		       uint8_t prefix_len);

#endif /* TT_NET_NEIGH6_H */
