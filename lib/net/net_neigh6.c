/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Neighbour table policy for IPv6 (see net_neigh6.h): what Neighbor
 * Discovery may teach us, how long it holds, and when to ask again.
 * The same ranks, aging and hold queue as the ARP table (net_neigh.c).
 */
#include <string.h>

#include "net_neigh6.h"

enum neigh_rank {
	RANK_FREE = 0,
	RANK_DEAD,
	RANK_AWAITED,
	RANK_LIVE,
};

static inline bool
addr_eq(const uint8_t *a, const uint8_t *b)
{
	return memcmp(a, b, NET_IPV6_ALEN) == 0;
}

static inline unsigned int
neigh6_hash(const uint8_t *a)
{
	uint32_t w[4];

	memcpy(w, a, sizeof(w));
	return ((w[0] ^ w[1] ^ w[2] ^ w[3]) * 2654435761u) >>
		(32 - NET_NEIGH_BITS);
}

static struct net_neigh6_entry *
neigh6_find(const struct net_neigh6 *n, const uint8_t *addr)
{
	unsigned int h = neigh6_hash(addr), i;

	for (i = 0; i < NET_NEIGH_PROBE; i++) {
		const struct net_neigh6_entry *e =
			&n->e[(h + i) & (NET_NEIGH_SIZE - 1)];

		if (e->state != NET_NEIGH_FREE && addr_eq(e->addr, addr))
			return (struct net_neigh6_entry *)(uintptr_t)e;
	}
	return NULL;
}

bool
net_ip6_in_prefix(const uint8_t *addr, const uint8_t *our,
		  uint8_t prefix_len)
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

	if (p->prefix_len >= 127 || !net_ip6_in_prefix(a, p->addr,
						       p->prefix_len))
		return false;
	for (i = p->prefix_len; i < 128; i++)
		if (a[i / 8] & (0x80 >> (i % 8)))
			return false;
	return true;
}

static bool
neigh6_unicast_mac(const uint8_t *mac)
{
	static const uint8_t zero[NET_ETH_ALEN];

	return (mac[0] & 1) == 0 && memcmp(mac, zero, NET_ETH_ALEN) != 0;
}

static inline bool
neigh6_expired(const struct net_neigh6 *n, const struct net_neigh6_entry *e,
	       uint64_t now)
{
	return now - e->confirmed_us >= n->p.max_age_us + n->p.probe_us;
}

static inline bool
neigh6_awaited(const struct net_neigh6 *n, const struct net_neigh6_entry *e,
	       uint64_t now)
{
	return e->pending && now - e->req_us < n->p.probe_us;
}

static inline bool
neigh6_live(const struct net_neigh6 *n, const struct net_neigh6_entry *e,
	    uint64_t now)
{
	return e->state == NET_NEIGH_RESOLVED && !neigh6_expired(n, e, now);
}

static enum neigh_rank
neigh6_rank(const struct net_neigh6 *n, const struct net_neigh6_entry *e,
	    uint64_t now)
{
	if (e->state == NET_NEIGH_FREE)
		return RANK_FREE;
	if (neigh6_live(n, e, now))
		return RANK_LIVE;
	return neigh6_awaited(n, e, now) ? RANK_AWAITED : RANK_DEAD;
}

/* As neigh_slot() in net_neigh.c: the least worth keeping, if <= max. */
static struct net_neigh6_entry *
neigh6_slot(struct net_neigh6 *n, const uint8_t *addr, uint64_t now,
	    enum neigh_rank max)
{
	unsigned int h = neigh6_hash(addr), i;
	struct net_neigh6_entry *victim = NULL;
	enum neigh_rank vr = RANK_LIVE, r;

	for (i = 0; i < NET_NEIGH_PROBE; i++) {
		struct net_neigh6_entry *e =
			&n->e[(h + i) & (NET_NEIGH_SIZE - 1)];

		r = neigh6_rank(n, e, now);
		if (victim == NULL || r < vr ||
		    (r == vr && e->confirmed_us < victim->confirmed_us)) {
			victim = e;
			vr = r;
		}
	}
	if (vr > max)
		return NULL;
	memset(victim, 0, sizeof(*victim));
	memcpy(victim->addr, addr, NET_IPV6_ALEN);
	return victim;
}

static enum net_neigh_learn
neigh6_record(struct net_neigh6_entry *e, const uint8_t *mac, uint64_t now)
{
	bool same = e->state == NET_NEIGH_RESOLVED &&
		memcmp(e->mac, mac, NET_ETH_ALEN) == 0;

	memcpy(e->mac, mac, NET_ETH_ALEN);
	e->state = NET_NEIGH_RESOLVED;
	e->pending = 0;
	e->confirmed_us = now;
	return same ? NET_NEIGH_CONFIRMED : NET_NEIGH_LEARNED;
}

void
net_neigh6_init(struct net_neigh6 *n, const struct net_neigh6_params *p)
{
	memset(n, 0, sizeof(*n));
	n->p = *p;
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
	struct net_neigh6_entry *e;

	if (v != NET_NEIGH_LEARNED)
		return v;
	e = neigh6_find(n, src);
	if (e != NULL && neigh6_live(n, e, now) &&
	    memcmp(e->mac, sha, NET_ETH_ALEN) != 0)
		return NET_NEIGH_CONFLICT;
	if (e == NULL)
		e = neigh6_slot(n, src, now, RANK_DEAD);
	if (e == NULL)
		return NET_NEIGH_FULL;
	return neigh6_record(e, sha, now);
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
		if (e->state != NET_NEIGH_RESOLVED)
			return NET_NEIGH_BAD_SENDER;
		return neigh6_record(e, e->mac, now);
	}
	if (neigh6_live(n, e, now) && !(flags & NET_ND_OVERRIDE) &&
	    memcmp(e->mac, tha, NET_ETH_ALEN) != 0)
		return NET_NEIGH_CONFLICT;
	return neigh6_record(e, tha, now);
}

static void
neigh6_ask(struct net_neigh6_entry *e, uint64_t now)
{
	if (e->state == NET_NEIGH_FREE)
		e->state = NET_NEIGH_INCOMPLETE;
	e->pending = 1;
	e->req_us = now;
}

static inline bool
neigh6_asked_lately(const struct net_neigh6 *n,
		    const struct net_neigh6_entry *e, uint64_t now)
{
	return e->pending && now - e->req_us < n->p.retry_us;
}

enum net_neigh_res
net_neigh6_resolve(struct net_neigh6 *n, const uint8_t *daddr, uint64_t now,
		   uint8_t *mac, uint8_t *hop)
{
	struct net_neigh6_entry *e;
	bool expired = false;

	memcpy(hop, daddr, NET_IPV6_ALEN);
	if (!neigh6_on_link(&n->p, daddr)) {
		if (!n->p.has_gateway)
			return NET_NEIGH_UNREACH;
		memcpy(hop, n->p.gateway, NET_IPV6_ALEN);
	}
	e = neigh6_find(n, hop);
	if (e != NULL && e->state == NET_NEIGH_RESOLVED) {
		if (!neigh6_expired(n, e, now)) {
			memcpy(mac, e->mac, NET_ETH_ALEN);
			if (now - e->confirmed_us < n->p.max_age_us ||
			    neigh6_asked_lately(n, e, now))
				return NET_NEIGH_HIT;
			neigh6_ask(e, now);
			return NET_NEIGH_HIT_ASK;
		}
		memset(e->mac, 0, NET_ETH_ALEN);
		e->state = NET_NEIGH_INCOMPLETE;
		e->pending = 0;
		expired = true;
	}
	if (e == NULL)
		e = neigh6_slot(n, hop, now, RANK_LIVE);
	if (neigh6_asked_lately(n, e, now))
		return NET_NEIGH_WAIT;
	neigh6_ask(e, now);
	return expired ? NET_NEIGH_EXPIRED : NET_NEIGH_ASK;
}

void
net_neigh6_asked(struct net_neigh6 *n, const uint8_t *hop, uint64_t now)
{
	struct net_neigh6_entry *e = neigh6_find(n, hop);

	if (e == NULL)
		e = neigh6_slot(n, hop, now, RANK_DEAD);
	if (e != NULL)
		neigh6_ask(e, now);
}

const struct net_neigh6_entry *
net_neigh6_lookup(const struct net_neigh6 *n, const uint8_t *addr)
{
	return neigh6_find(n, addr);
}

/* RFC 1122 2.3.2.2 (net_neigh_hold()): the latest replaces the oldest. */
enum net_neigh_hold_res
net_neigh6_hold(struct net_neigh6 *n, const uint8_t *hop, uint64_t now,
		unsigned int *slot)
{
	unsigned int i, mine = 0, oldest = 0, free_slot = NET_NEIGH_HOLD_MAX;
	enum net_neigh_hold_res res = NET_NEIGH_HELD;
	struct net_neigh6_hold *h;

	for (i = 0; i < NET_NEIGH_HOLD_MAX; i++) {
		h = &n->hold[i];
		if (!h->used) {
			if (free_slot == NET_NEIGH_HOLD_MAX)
				free_slot = i;
			continue;
		}
		if (!addr_eq(h->hop, hop))
			continue;
		if (mine == 0 || (int32_t)(h->seq - n->hold[oldest].seq) < 0)
			oldest = i;
		mine++;
	}
	if (mine >= NET_NEIGH_HOLD_ADDR) {
		free_slot = oldest;
		res = NET_NEIGH_HELD_REPLACED;
	} else if (free_slot == NET_NEIGH_HOLD_MAX) {
		return NET_NEIGH_HOLD_FULL;
	} else {
		n->n_held++;
	}
	h = &n->hold[free_slot];
	memcpy(h->hop, hop, NET_IPV6_ALEN);
	h->used = 1;
	h->seq = n->hold_seq++;
	h->since_us = now;
	*slot = free_slot;
	return res;
}

static void
neigh6_unhold(struct net_neigh6 *n, unsigned int i)
{
	n->hold[i].used = 0;
	n->n_held--;
}

unsigned int
net_neigh6_release(struct net_neigh6 *n, const uint8_t *hop,
		   unsigned int *slots)
{
	unsigned int i, j, cnt = 0;

	for (i = 0; i < NET_NEIGH_HOLD_MAX && n->n_held != 0; i++) {
		if (!n->hold[i].used || !addr_eq(n->hold[i].hop, hop) ||
		    cnt == NET_NEIGH_HOLD_ADDR)
			continue;
		for (j = cnt; j > 0 && (int32_t)(n->hold[i].seq -
				n->hold[slots[j - 1]].seq) < 0; j--)
			slots[j] = slots[j - 1];
		slots[j] = i;
		cnt++;
	}
	for (i = 0; i < cnt; i++)
		neigh6_unhold(n, slots[i]);
	return cnt;
}

unsigned int
net_neigh6_expire(struct net_neigh6 *n, uint64_t now, unsigned int *slots)
{
	unsigned int i, cnt = 0;

	for (i = 0; i < NET_NEIGH_HOLD_MAX && n->n_held != 0; i++) {
		if (!n->hold[i].used ||
		    now - n->hold[i].since_us < n->p.probe_us)
			continue;
		neigh6_unhold(n, i);
		slots[cnt++] = i;
	}
	return cnt;
}
