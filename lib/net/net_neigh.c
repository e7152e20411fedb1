/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Neighbour table policy (see net_neigh.h): what ARP may teach us, how
 * long it holds, and when to ask again. The table itself is
 * net_neigh_impl.h, on 32-bit keys here.
 */
#include <assert.h>
#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include "net_neigh.h"
#include "net_sip.h"

/*
 * The home slot of a: SipHash-1-3 of its 4 bytes (host order, as one
 * last word) under the table's secret (net_sip.h). With a hash anyone
 * can compute (it was Knuth's multiplicative one), an on-link host on a
 * /16 picks NET_NEIGH_PROBE addresses of a live entry's window among
 * its 65534, makes three of them live (requests) and has us resolve the
 * fourth (a SYN from it): the live entry, a client's, is given up.
 * Computed only past the resolver's one-entry cache and for ARP frames.
 */
static inline unsigned int
neigh_hash(const struct net_neigh *n, uint32_t a)
{
	return (unsigned int)(net__sip13(n->p.secret, NULL, 0,
					 (uint64_t)4 << 56 | a) >>
			      (64 - NET_NEIGH_BITS));
}

#define NT(x) neigh_##x
#define NT_PUB(x) net_neigh_##x
#define NT_TABLE net_neigh
#define NT_ENTRY net_neigh_entry
#define NT_PARAMS net_neigh_params
#define NT_KEY uint32_t
#define NT_HASH(n, k) neigh_hash(n, k)
#define NT_EQ(a, k) ((a) == (k))
#define NT_GATEWAY(p, a) ((p)->gateway != 0 && (a) == (p)->gateway)
#define NT_SET(a, k) ((a) = (k))
#define NT_HELD(h) ((h)->hop != 0)
#define NT_HOLD_SET(h, k) ((h)->hop = (k))
#define NT_HOLD_CLEAR(h) ((h)->hop = 0)
#include "net_neigh_impl.h"

static_assert(sizeof(struct net_neigh_entry) == 32, "IPv4 entry size");

unsigned int
net_neigh_slot_of(const struct net_neigh *n, uint32_t addr)
{
	return neigh_hash(n, addr);
}

void
net_neigh_secret(uint8_t secret[NET_NEIGH_SECRET_LEN],
		 uint64_t (*fallback)(void))
{
	uint64_t r;
	ssize_t got;
	unsigned int i;

	do {
		got = getrandom(secret, NET_NEIGH_SECRET_LEN, 0);
	} while (got < 0 && errno == EINTR);
	if (got == NET_NEIGH_SECRET_LEN)
		return;
	for (i = 0; i < NET_NEIGH_SECRET_LEN; i += sizeof(r)) {
		r = fallback();
		memcpy(secret + i, &r, sizeof(r));
	}
}

static inline bool
neigh_on_link(const struct net_neigh_params *p, uint32_t a)
{
	return (a & p->mask) == (p->addr & p->mask);
}

/*
 * An on-link address a host may use as its own: not ours, and not the
 * subnet's network or broadcast address (both are hosts on a /31,
 * RFC 3021; a /32 has no neighbours at all).
 */
static bool
neigh_usable_sender(const struct net_neigh_params *p, uint32_t a)
{
	uint32_t net = p->addr & p->mask;

	if (a == p->addr)
		return false;
	if (p->mask >= 0xfffffffeu)
		return true;
	return a != net && a != (net | ~p->mask);
}

/* RFC 826 "Packet Reception", restricted to what we asked or must know. */
enum net_neigh_learn
net_neigh_input(struct net_neigh *n, uint16_t op, uint32_t spa,
		const uint8_t *sha, uint64_t now)
{
	const struct net_neigh_params *p = &n->p;
	struct net_neigh_entry *e;

	if (spa == 0 || !neigh_unicast_mac(sha))
		return NET_NEIGH_BAD_SENDER;
	if (!neigh_on_link(p, spa))
		return NET_NEIGH_OFFLINK;
	if (!neigh_usable_sender(p, spa))
		return NET_NEIGH_BAD_SENDER;
	if (op == NET_ARP_OP_REQUEST)
		return neigh_fill(n, spa, sha, now);
	/* A reply is taken only as the answer to our request. */
	e = neigh_find(n, spa);
	if (e == NULL || !neigh_awaited(n, e, now))
		return NET_NEIGH_UNSOLICITED;
	return neigh_record(n, e, sha, now);
}

enum net_neigh_res
net__neigh_resolve(struct net_neigh *n, uint32_t daddr, uint64_t now,
		   uint8_t *mac, uint32_t *hop)
{
	*hop = daddr;
	if (!neigh_on_link(&n->p, daddr)) {
		if (n->p.gateway == 0)
			return NET_NEIGH_UNREACH;
		*hop = n->p.gateway;
	}
	return neigh_resolve_hop(n, daddr, *hop, now, mac);
}
