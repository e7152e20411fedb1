/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Neighbour table policy for IPv6 (see net_neigh6.h): what Neighbor
 * Discovery may teach us. The table, its aging and hold queue are those
 * of ARP (net_neigh_impl.h), on 16-byte keys here.
 */
#include <assert.h>
#include <string.h>

#include "net_neigh6.h"
#include "net_sip.h"

static inline bool
addr_eq(const uint8_t *a, const uint8_t *b)
{
	return memcmp(a, b, NET_IPV6_ALEN) == 0;
}

/*
 * The home slot of a: SipHash-1-3 of its 16 bytes under the table's
 * secret (net_sip.h). An on-link host picks its addresses from a /64 or
 * more; with a hash it could compute, it would pick NET_NEIGH_PROBE of
 * them sharing a live entry's window, fill it and have that entry given
 * up for its own (Linux keys its neighbour hash with a random seed for
 * the same reason).
 */
static unsigned int
neigh6_hash(const struct net_neigh6 *n, const uint8_t *a)
{
	uint64_t m[2];

	memcpy(m, a, sizeof(m));
	return (unsigned int)(net__sip13(n->p.secret, m, 2,
					 (uint64_t)NET_IPV6_ALEN << 56) >>
			      (64 - NET_NEIGH_BITS));
}

#define NT(x) neigh6_##x
#define NT_PUB(x) net_neigh6_##x
#define NT_TABLE net_neigh6
#define NT_ENTRY net_neigh6_entry
#define NT_PARAMS net_neigh6_params
#define NT_KEY const uint8_t *
#define NT_HASH(n, k) neigh6_hash(n, k)
#define NT_EQ(a, k) addr_eq(a, k)
#define NT_GATEWAY(p, a) ((p)->has_gateway && addr_eq(a, (p)->gateway))
#define NT_SET(a, k) memcpy(a, k, NET_IPV6_ALEN)
#define NT_HELD(h) ((h)->used != 0)
#define NT_HOLD_SET(h, k) (memcpy((h)->hop, k, NET_IPV6_ALEN), (h)->used = 1)
#define NT_HOLD_CLEAR(h) ((h)->used = 0)
#include "net_neigh_impl.h"

static_assert(sizeof(struct net_neigh6_entry) == 40, "IPv6 entry size");

unsigned int
net_neigh6_slot_of(const struct net_neigh6 *n, const uint8_t *addr)
{
	return neigh6_hash(n, addr);
}

bool
net_ip6_in_prefix(const uint8_t *addr, const uint8_t *our, uint8_t prefix_len)
{
	unsigned int full = prefix_len / 8, rest = prefix_len % 8;
	uint8_t mask;

	if (prefix_len > 128)
		return false;
	if (memcmp(addr, our, full) != 0)
		return false;
	if (rest == 0)
		return true;
	mask = (uint8_t)(0xff00 >> rest);
	return (addr[full] & mask) == (our[full] & mask);
}

/* RFC 4291 2.5.6: link-local addresses are on every link. */
static inline bool
neigh6_on_link(const struct net_neigh6_params *p, const uint8_t *a)
{
	return net_ip6_is_linklocal(a) ||
		net_ip6_in_prefix(a, p->addr, p->prefix_len);
}

/* The prefix with all host bits 0 (RFC 4291 2.6.1), on prefixes < 127. */
static bool
neigh6_subnet_anycast(const struct net_neigh6_params *p, const uint8_t *a)
{
	unsigned int i;

	if (p->prefix_len >= 127 ||
	    !net_ip6_in_prefix(a, p->addr, p->prefix_len))
		return false;
	for (i = p->prefix_len; i < 128; i++)
		if (a[i / 8] & (0x80 >> (i % 8)))
			return false;
	return true;
}

/* An on-link sender a neighbour may use as its own address. */
static enum net_neigh_learn
neigh6_sender(const struct net_neigh6_params *p, const uint8_t *a,
	      const uint8_t *mac)
{
	if (mac == NULL || !neigh6_unicast_mac(mac) ||
	    net_ip6_is_multicast(a) || net_ip6_is_unspec(a))
		return NET_NEIGH_BAD_SENDER;
	if (!neigh6_on_link(p, a))
		return NET_NEIGH_OFFLINK;
	if (addr_eq(a, p->addr) || neigh6_subnet_anycast(p, a))
		return NET_NEIGH_BAD_SENDER;
	return NET_NEIGH_LEARNED;
}

/* RFC 4861 7.2.3, restricted: fill or confirm, never redirect. */
enum net_neigh_learn
net_neigh6_input_ns(struct net_neigh6 *n, const uint8_t *src,
		    const uint8_t *sha, uint64_t now)
{
	enum net_neigh_learn v = neigh6_sender(&n->p, src, sha);

	if (v != NET_NEIGH_LEARNED)
		return v;
	return neigh6_fill(n, src, sha, now);
}

/*
 * RFC 4861 7.2.5, restricted to the answers of our own solicitations:
 * an INCOMPLETE entry takes the MAC; a resolved one takes a different
 * MAC only with Override, and is confirmed by a Solicited advertisement
 * even without a link-layer option.
 */
enum net_neigh_learn
net_neigh6_input_na(struct net_neigh6 *n, const uint8_t *target,
		    const uint8_t *tha, uint8_t flags, uint64_t now)
{
	struct net_neigh6_entry *e;
	enum net_neigh_learn v;

	if (tha != NULL) {
		v = neigh6_sender(&n->p, target, tha);
		if (v != NET_NEIGH_LEARNED)
			return v;
	}
	e = neigh6_find(n, target);
	if (!(flags & NET_ND_SOLICITED) || e == NULL ||
	    !neigh6_awaited(n, e, now))
		return NET_NEIGH_UNSOLICITED;
	if (tha == NULL) {
		if (!neigh6_has_mac(e))
			return NET_NEIGH_BAD_SENDER;
		return neigh6_record(n, e, e->mac, now);
	}
	if (neigh6_live(n, e, now) && !(flags & NET_ND_OVERRIDE) &&
	    memcmp(e->mac, tha, NET_ETH_ALEN) != 0)
		return NET_NEIGH_CONFLICT;
	return neigh6_record(n, e, tha, now);
}

enum net_neigh_res
net__neigh6_resolve(struct net_neigh6 *n, const uint8_t *daddr, uint64_t now,
		    uint8_t *mac, uint8_t *hop)
{
	memcpy(hop, daddr, NET_IPV6_ALEN);
	if (!neigh6_on_link(&n->p, daddr)) {
		if (!n->p.has_gateway)
			return NET_NEIGH_UNREACH;
		memcpy(hop, n->p.gateway, NET_IPV6_ALEN);
	}
	return neigh6_resolve_hop(n, daddr, hop, now, mac);
}
