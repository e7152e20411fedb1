/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Neighbour table policy (see net_neigh.h): what ARP may teach us, how
 * long it holds, and when to ask again.
 */
#include <string.h>

#include "net_neigh.h"

/* How much an entry is worth keeping, when a slot must be reused. */
enum neigh_rank {
	RANK_FREE = 0,
	RANK_DEAD,	/* expired, or asked for and no longer awaited */
	RANK_AWAITED,	/* asked for, reply awaited */
	RANK_LIVE,	/* resolved and not expired */
};

static inline unsigned int
neigh_hash(uint32_t addr)
{
	return (addr * 2654435761u) >> (32 - NET_NEIGH_BITS);
}

static struct net_neigh_entry *
neigh_find(const struct net_neigh *n, uint32_t addr)
{
	unsigned int h = neigh_hash(addr);
	unsigned int i;

	for (i = 0; i < NET_NEIGH_PROBE; i++) {
		const struct net_neigh_entry *e =
			&n->e[(h + i) & (NET_NEIGH_SIZE - 1)];

		if (e->state != NET_NEIGH_FREE && e->addr == addr)
			return (struct net_neigh_entry *)(uintptr_t)e;
	}
	return NULL;
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

/* Unicast and not zero: a MAC we may send to. */
static bool
neigh_unicast_mac(const uint8_t *mac)
{
	static const uint8_t zero[NET_ETH_ALEN];

	return (mac[0] & 1) == 0 && memcmp(mac, zero, NET_ETH_ALEN) != 0;
}

static inline bool
neigh_expired(const struct net_neigh *n, const struct net_neigh_entry *e,
	      uint64_t now)
{
	return now - e->confirmed_us >= n->p.max_age_us + n->p.probe_us;
}

/* A request of ours for e was sent recently enough to take its reply. */
static inline bool
neigh_awaited(const struct net_neigh *n, const struct net_neigh_entry *e,
	      uint64_t now)
{
	return e->pending && now - e->req_us < n->p.probe_us;
}

static enum neigh_rank
neigh_rank(const struct net_neigh *n, const struct net_neigh_entry *e,
	   uint64_t now)
{
	if (e->state == NET_NEIGH_FREE)
		return RANK_FREE;
	if (e->state == NET_NEIGH_RESOLVED && !neigh_expired(n, e, now))
		return RANK_LIVE;
	return neigh_awaited(n, e, now) ? RANK_AWAITED : RANK_DEAD;
}

/*
 * A slot for addr in its probe window: the least worth keeping, the
 * oldest of those, provided it ranks no higher than max. The slot is
 * emptied and given addr (state FREE until the caller sets it).
 */
static struct net_neigh_entry *
neigh_slot(struct net_neigh *n, uint32_t addr, uint64_t now,
	   enum neigh_rank max)
{
	unsigned int h = neigh_hash(addr);
	struct net_neigh_entry *victim = NULL;
	enum neigh_rank vr = RANK_LIVE, r;
	unsigned int i;

	for (i = 0; i < NET_NEIGH_PROBE; i++) {
		struct net_neigh_entry *e =
			&n->e[(h + i) & (NET_NEIGH_SIZE - 1)];

		r = neigh_rank(n, e, now);
		if (victim == NULL || r < vr ||
		    (r == vr && e->confirmed_us < victim->confirmed_us)) {
			victim = e;
			vr = r;
		}
	}
	if (vr > max)
		return NULL;
	memset(victim, 0, sizeof(*victim));
	victim->addr = addr;
	return victim;
}

static enum net_neigh_learn
neigh_record(struct net_neigh_entry *e, const uint8_t *sha, uint64_t now)
{
	bool same = e->state == NET_NEIGH_RESOLVED &&
		memcmp(e->mac, sha, NET_ETH_ALEN) == 0;

	memcpy(e->mac, sha, NET_ETH_ALEN);
	e->state = NET_NEIGH_RESOLVED;
	e->pending = 0;
	e->confirmed_us = now;
	return same ? NET_NEIGH_CONFIRMED : NET_NEIGH_LEARNED;
}

void
net_neigh_init(struct net_neigh *n, const struct net_neigh_params *p)
{
	memset(n, 0, sizeof(*n));
	n->p = *p;
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
	e = neigh_find(n, spa);
	if (op != NET_ARP_OP_REQUEST) {
		/* A reply is taken only as the answer to our request. */
		if (e == NULL || !neigh_awaited(n, e, now))
			return NET_NEIGH_UNSOLICITED;
		return neigh_record(e, sha, now);
	}
	/* A request for our address: it may fill, never redirect. */
	if (e != NULL && e->state == NET_NEIGH_RESOLVED &&
	    !neigh_expired(n, e, now) &&
	    memcmp(e->mac, sha, NET_ETH_ALEN) != 0)
		return NET_NEIGH_CONFLICT;
	if (e == NULL)
		e = neigh_slot(n, spa, now, RANK_DEAD);
	if (e == NULL)
		return NET_NEIGH_FULL;
	return neigh_record(e, sha, now);
}

static void
neigh_ask(struct net_neigh_entry *e, uint64_t now)
{
	if (e->state == NET_NEIGH_FREE)
		e->state = NET_NEIGH_INCOMPLETE;
	e->pending = 1;
	e->req_us = now;
}

static inline bool
neigh_asked_lately(const struct net_neigh *n,
		   const struct net_neigh_entry *e, uint64_t now)
{
	return e->pending && now - e->req_us < n->p.retry_us;
}

enum net_neigh_res
net_neigh_resolve(struct net_neigh *n, uint32_t daddr, uint64_t now,
		  uint8_t *mac, uint32_t *hop)
{
	struct net_neigh_entry *e;
	bool expired = false;

	*hop = daddr;
	if (!neigh_on_link(&n->p, daddr)) {
		if (n->p.gateway == 0)
			return NET_NEIGH_UNREACH;
		*hop = n->p.gateway;
	}
	e = neigh_find(n, *hop);
	if (e != NULL && e->state == NET_NEIGH_RESOLVED) {
		if (!neigh_expired(n, e, now)) {
			memcpy(mac, e->mac, NET_ETH_ALEN);
			if (now - e->confirmed_us < n->p.max_age_us ||
			    neigh_asked_lately(n, e, now))
				return NET_NEIGH_HIT;
			neigh_ask(e, now);
			return NET_NEIGH_HIT_ASK;
		}
		/* Asked for and unanswered past the probe time: forget. */
		memset(e->mac, 0, NET_ETH_ALEN);
		e->state = NET_NEIGH_INCOMPLETE;
		e->pending = 0;
		expired = true;
	}
	if (e == NULL)
		e = neigh_slot(n, *hop, now, RANK_LIVE);
	if (neigh_asked_lately(n, e, now))
		return NET_NEIGH_WAIT;
	neigh_ask(e, now);
	return expired ? NET_NEIGH_EXPIRED : NET_NEIGH_ASK;
}

void
net_neigh_asked(struct net_neigh *n, uint32_t hop, uint64_t now)
{
	struct net_neigh_entry *e = neigh_find(n, hop);

	if (e == NULL)
		e = neigh_slot(n, hop, now, RANK_DEAD);
	if (e != NULL)
		neigh_ask(e, now);
}

const struct net_neigh_entry *
net_neigh_lookup(const struct net_neigh *n, uint32_t addr)
{
	return neigh_find(n, addr);
}

/*
 * RFC 1122 2.3.2.2: "The link layer SHOULD save (rather than discard) at
 * least one (the latest) packet of each set of packets destined to the
 * same unresolved IP address, and transmit the saved packet when the
 * address has been resolved." Up to NET_NEIGH_HOLD_ADDR are saved per
 * address: the latest replaces the oldest.
 */
enum net_neigh_hold_res
net_neigh_hold(struct net_neigh *n, uint32_t hop, uint64_t now,
	       unsigned int *slot)
{
	unsigned int i, mine = 0, oldest = 0, free_slot = NET_NEIGH_HOLD_MAX;
	struct net_neigh_hold *h;
	enum net_neigh_hold_res res = NET_NEIGH_HELD;

	for (i = 0; i < NET_NEIGH_HOLD_MAX; i++) {
		h = &n->hold[i];
		if (h->hop == 0) {
			if (free_slot == NET_NEIGH_HOLD_MAX)
				free_slot = i;
			continue;
		}
		if (h->hop != hop)
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
	h->hop = hop;
	h->seq = n->hold_seq++;
	h->since_us = now;
	*slot = free_slot;
	return res;
}

static void
neigh_unhold(struct net_neigh *n, unsigned int i)
{
	n->hold[i].hop = 0;
	n->n_held--;
}

unsigned int
net_neigh_release(struct net_neigh *n, uint32_t hop, unsigned int *slots)
{
	unsigned int i, j, cnt = 0;

	if (hop == 0)
		return 0;
	for (i = 0; i < NET_NEIGH_HOLD_MAX && n->n_held != 0; i++) {
		if (n->hold[i].hop != hop || cnt == NET_NEIGH_HOLD_ADDR)
			continue;
		/* Insertion by arrival order: at most NET_NEIGH_HOLD_ADDR. */
		for (j = cnt; j > 0 && (int32_t)(n->hold[i].seq -
				n->hold[slots[j - 1]].seq) < 0; j--)
			slots[j] = slots[j - 1];
		slots[j] = i;
		cnt++;
	}
	for (i = 0; i < cnt; i++)
		neigh_unhold(n, slots[i]);
	return cnt;
}

unsigned int
net_neigh_expire(struct net_neigh *n, uint64_t now, unsigned int *slots)
{
	unsigned int i, cnt = 0;

	for (i = 0; i < NET_NEIGH_HOLD_MAX && n->n_held != 0; i++) {
		if (n->hold[i].hop == 0 ||
		    now - n->hold[i].since_us < n->p.probe_us)
			continue;
		neigh_unhold(n, i);
		slots[cnt++] = i;
	}
	return cnt;
}
