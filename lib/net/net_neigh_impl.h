/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The neighbour table policy shared by ARP (net_neigh.c) and Neighbor
 * Discovery (net_neigh6.c): slot choice, aging, the request rate and
 * the hold queue's book. Each family's file defines the names below and
 * includes this file once, so that each table keeps entries of its own
 * size (32 bytes for IPv4, 40 for IPv6) and the IPv4 code compares and
 * copies a plain 32-bit key, as if written for it alone.
 *
 * NT(x)		the family's name for x (neigh_x, neigh6_x)
 * NT_PUB(x)		its public name (net_neigh_x, net_neigh6_x)
 * NT_TABLE, NT_ENTRY	struct net_neigh / net_neigh6 and its entry
 * NT_PARAMS		its parameters
 * NT_KEY		an address as passed (uint32_t, const uint8_t *)
 * NT_HASH(n, k)		the slot address k hashes to in table n
 * NT_EQ(a, k)		an entry's address a is k
 * NT_GATEWAY(p, a)	address a is the gateway of parameters p
 * NT_SET(a, k)		store k in an entry's address a
 * NT_HELD(h)		hold slot h is in use
 * NT_HOLD_SET(h, k)	mark hold slot h in use for k
 * NT_HOLD_CLEAR(h)	free hold slot h
 */

/*
 * Every change to an entry bumps the table's generation: a copy of an
 * entry taken at another generation (net_neigh_resolve()'s cache) is
 * not used.
 */
static inline void
NT(changed)(struct NT_TABLE *n)
{
	n->gen++;
}

/* How much an entry is worth keeping, when a slot must be reused. */
enum neigh_rank {
	RANK_FREE = 0,
	RANK_DEAD,    /* expired, or asked for and no longer awaited */
	RANK_STALE,   /* learned from its own request only, not expired */
	RANK_AWAITED, /* asked for, reply awaited */
	RANK_LIVE,    /* resolved (confirmed) and not expired */
	RANK_GATEWAY, /* the gateway, live or awaited: never given up */
};

static struct NT_ENTRY *
NT(find)(const struct NT_TABLE *n, NT_KEY addr)
{
	unsigned int h = NT_HASH(n, addr);
	unsigned int i;

	for (i = 0; i < NET_NEIGH_PROBE; i++) {
		const struct NT_ENTRY *e =
			&n->e[(h + i) & (NET_NEIGH_SIZE - 1)];

		if (e->state != NET_NEIGH_FREE && NT_EQ(e->addr, addr))
			return (struct NT_ENTRY *)(uintptr_t)e;
	}
	return NULL;
}

/* Unicast and not zero: a MAC we may send to. */
static bool
NT(unicast_mac)(const uint8_t *mac)
{
	static const uint8_t zero[NET_ETH_ALEN];

	return (mac[0] & 1) == 0 && memcmp(mac, zero, NET_ETH_ALEN) != 0;
}

/* The MAC is known: confirmed (RESOLVED) or not (STALE). */
static inline bool
NT(has_mac)(const struct NT_ENTRY *e)
{
	return e->state == NET_NEIGH_RESOLVED || e->state == NET_NEIGH_STALE;
}

static inline bool
NT(expired)(const struct NT_TABLE *n, const struct NT_ENTRY *e, uint64_t now)
{
	return now - e->confirmed_us >= n->p.max_age_us + n->p.probe_us;
}

/* A request of ours for e was sent recently enough to take its reply. */
static inline bool
NT(awaited)(const struct NT_TABLE *n, const struct NT_ENTRY *e, uint64_t now)
{
	return e->pending && now - e->req_us < n->p.probe_us;
}

static inline bool
NT(live)(const struct NT_TABLE *n, const struct NT_ENTRY *e, uint64_t now)
{
	return NT(has_mac)(e) && !NT(expired)(n, e, now);
}

static enum neigh_rank
NT(rank)(const struct NT_TABLE *n, const struct NT_ENTRY *e, uint64_t now)
{
	bool live, awaited;

	if (e->state == NET_NEIGH_FREE)
		return RANK_FREE;
	live = NT(live)(n, e, now);
	awaited = NT(awaited)(n, e, now);
	if ((live || awaited) && NT_GATEWAY(&n->p, e->addr))
		return RANK_GATEWAY;
	if (live && e->state == NET_NEIGH_RESOLVED)
		return RANK_LIVE;
	if (awaited)
		return RANK_AWAITED;
	return live ? RANK_STALE : RANK_DEAD;
}

/*
 * A slot for addr in its probe window: the least worth keeping, the
 * oldest of those, provided it ranks no higher than max; *live tells
 * whether a live entry (confirmed or STALE) gave way. An entry only its
 * own requests vouch for gives way before one an answer confirmed, and
 * its age runs from when it was learned, whatever it asks since: an
 * on-link host cannot make its entries outlast a confirmed neighbour's.
 * The gateway, live or awaited, is never taken: every off-link
 * destination goes through it, and an on-link host could otherwise fill
 * its window with live entries of its choosing and have it asked for
 * again, or its answer refused. The slot is emptied and given addr
 * (state FREE until the caller sets it).
 */
static struct NT_ENTRY *
NT(slot)(struct NT_TABLE *n, NT_KEY addr, uint64_t now, enum neigh_rank max,
	 bool *live)
{
	unsigned int h = NT_HASH(n, addr);
	struct NT_ENTRY *victim = NULL;
	enum neigh_rank vr = RANK_LIVE, r;
	unsigned int i;

	for (i = 0; i < NET_NEIGH_PROBE; i++) {
		struct NT_ENTRY *e = &n->e[(h + i) & (NET_NEIGH_SIZE - 1)];

		r = NT(rank)(n, e, now);
		if (victim == NULL || r < vr ||
		    (r == vr && e->confirmed_us < victim->confirmed_us)) {
			victim = e;
			vr = r;
		}
	}
	if (vr > max)
		return NULL;
	*live = NT(live)(n, victim, now);
	memset(victim, 0, sizeof(*victim));
	NT_SET(victim->addr, addr);
	NT(changed)(n);
	return victim;
}

static enum net_neigh_learn
NT(record)(struct NT_TABLE *n, struct NT_ENTRY *e, const uint8_t *mac,
	   uint64_t now)
{
	bool same = NT(has_mac)(e) && memcmp(e->mac, mac, NET_ETH_ALEN) == 0;

	memcpy(e->mac, mac, NET_ETH_ALEN);
	e->state = NET_NEIGH_RESOLVED;
	e->pending = 0;
	e->confirmed_us = now;
	NT(changed)(n);
	return same ? NET_NEIGH_CONFIRMED : NET_NEIGH_LEARNED;
}

/*
 * A request (ARP) or solicitation (ND) for our address from a usable
 * sender: it may fill a slot, never redirect a live entry nor confirm
 * it (RFC 4861 7.3.1). What it fills is STALE, aging from now; a
 * request of ours still awaited for it (an INCOMPLETE entry) stays
 * awaited, so that its answer confirms the entry.
 */
static enum net_neigh_learn
NT(fill)(struct NT_TABLE *n, NT_KEY addr, const uint8_t *mac, uint64_t now)
{
	struct NT_ENTRY *e = NT(find)(n, addr);
	bool live;

	if (e != NULL && NT(live)(n, e, now))
		return memcmp(e->mac, mac, NET_ETH_ALEN) != 0 ?
			NET_NEIGH_CONFLICT :
			NET_NEIGH_KNOWN;
	if (e == NULL)
		e = NT(slot)(n, addr, now, RANK_DEAD, &live);
	if (e == NULL)
		return NET_NEIGH_FULL;
	memcpy(e->mac, mac, NET_ETH_ALEN);
	e->state = NET_NEIGH_STALE;
	e->confirmed_us = now;
	NT(changed)(n);
	return NET_NEIGH_LEARNED;
}

void
NT_PUB(init)(struct NT_TABLE *n, const struct NT_PARAMS *p)
{
	memset(n, 0, sizeof(*n));
	n->p = *p;
	/* Not the generation of the empty cache. */
	n->gen = 1;
}

static void
NT(ask)(struct NT_TABLE *n, struct NT_ENTRY *e, uint64_t now)
{
	if (e->state == NET_NEIGH_FREE)
		e->state = NET_NEIGH_INCOMPLETE;
	/*
	 * Bit 1 keeps whether one was awaited already (NT_PUB(unasked)):
	 * still within its probe time, not merely once sent (bit 0 stays
	 * set on a request that went unanswered, and on an entry a
	 * request filled meanwhile).
	 */
	e->pending = (uint8_t)(1u | (unsigned int)NT(awaited)(n, e, now) << 1);
	e->req_us = now;
	NT(changed)(n);
}

static inline bool
NT(asked_lately)(const struct NT_TABLE *n, const struct NT_ENTRY *e,
		 uint64_t now)
{
	return e->pending && now - e->req_us < n->p.retry_us;
}

/*
 * A plain hit whose entry e is younger than max_age_us answers the same
 * until an entry changes: remember it for the family's inline resolve
 * (struct net_neigh_cache / net_neigh6_cache).
 */
static inline void
NT(cache_fill)(struct NT_TABLE *n, NT_KEY daddr, NT_KEY hop,
	       const struct NT_ENTRY *e)
{
	n->cache.gen = n->gen;
	n->cache.confirmed_us = e->confirmed_us;
	NT_SET(n->cache.daddr, daddr);
	NT_SET(n->cache.hop, hop);
	memcpy(n->cache.mac, e->mac, NET_ETH_ALEN);
}

/*
 * The verdict for daddr through next hop hop, once the family has
 * chosen it; a plain hit fills the cache from the entry it found.
 */
static inline enum net_neigh_res
NT(resolve_hop)(struct NT_TABLE *n, NT_KEY daddr, NT_KEY hop, uint64_t now,
		uint8_t *mac)
{
	struct NT_ENTRY *e = NT(find)(n, hop);
	bool expired = false, evicted = false;

	if (e != NULL && NT(has_mac)(e)) {
		if (!NT(expired)(n, e, now)) {
			memcpy(mac, e->mac, NET_ETH_ALEN);
			if (now - e->confirmed_us < n->p.max_age_us) {
				NT(cache_fill)(n, daddr, hop, e);
				return NET_NEIGH_HIT;
			}
			if (NT(asked_lately)(n, e, now))
				return NET_NEIGH_HIT;
			NT(ask)(n, e, now);
			return NET_NEIGH_HIT_ASK;
		}
		/* Asked for and unanswered past the probe time: forget. */
		memset(e->mac, 0, NET_ETH_ALEN);
		e->state = NET_NEIGH_INCOMPLETE;
		e->pending = 0;
		NT(changed)(n);
		expired = true;
	}
	if (e == NULL)
		e = NT(slot)(n, hop, now, RANK_LIVE, &evicted);
	if (NT(asked_lately)(n, e, now))
		return NET_NEIGH_WAIT;
	NT(ask)(n, e, now);
	if (expired)
		return NET_NEIGH_EXPIRED;
	return evicted ? NET_NEIGH_EVICTED : NET_NEIGH_ASK;
}

void
NT_PUB(asked)(struct NT_TABLE *n, NT_KEY hop, uint64_t now)
{
	struct NT_ENTRY *e = NT(find)(n, hop);
	bool live;

	if (e == NULL)
		e = NT(slot)(n, hop, now, RANK_DEAD, &live);
	if (e != NULL)
		NT(ask)(n, e, now);
}

/*
 * The request a verdict called for did not leave (no buffer). If no
 * earlier request of ours was awaited, hop is awaited no longer: no
 * reply is taken for a request never sent. If one was (it left more
 * than retry_us ago), it still is, so its reply is taken. Either way the
 * next resolution asks again at once rather than after retry_us.
 */
void
NT_PUB(unasked)(struct NT_TABLE *n, NT_KEY hop)
{
	struct NT_ENTRY *e = NT(find)(n, hop);

	if (e == NULL || !e->pending)
		return;
	e->pending >>= 1;
	if (e->pending)
		e->req_us = e->req_us > n->p.retry_us ?
			e->req_us - n->p.retry_us :
			0;
	NT(changed)(n);
}

bool
NT_PUB(defend)(struct NT_TABLE *n, uint64_t now)
{
	if (n->defended && now - n->defend_us < NET_NEIGH_DEFEND_US)
		return false;
	n->defended = true;
	n->defend_us = now;
	return true;
}

const struct NT_ENTRY *
NT_PUB(lookup)(const struct NT_TABLE *n, NT_KEY addr)
{
	return NT(find)(n, addr);
}

/*
 * RFC 1122 2.3.2.2: "The link layer SHOULD save (rather than discard) at
 * least one (the latest) packet of each set of packets destined to the
 * same unresolved IP address, and transmit the saved packet when the
 * address has been resolved." Up to NET_NEIGH_HOLD_ADDR are saved per
 * address: the latest replaces the oldest.
 */
enum net_neigh_hold_res
NT_PUB(hold)(struct NT_TABLE *n, NT_KEY hop, uint64_t now, unsigned int *slot)
{
	unsigned int i, mine = 0, oldest = 0, free_slot = NET_NEIGH_HOLD_MAX;
	enum net_neigh_hold_res res = NET_NEIGH_HELD;

	for (i = 0; i < NET_NEIGH_HOLD_MAX; i++) {
		if (!NT_HELD(&n->hold[i])) {
			if (free_slot == NET_NEIGH_HOLD_MAX)
				free_slot = i;
			continue;
		}
		if (!NT_EQ(n->hold[i].hop, hop))
			continue;
		if (mine == 0 ||
		    (int32_t)(n->hold[i].seq - n->hold[oldest].seq) < 0)
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
	NT_HOLD_SET(&n->hold[free_slot], hop);
	n->hold[free_slot].seq = n->hold_seq++;
	n->hold[free_slot].since_us = now;
	*slot = free_slot;
	return res;
}

static void
NT(unhold)(struct NT_TABLE *n, unsigned int i)
{
	NT_HOLD_CLEAR(&n->hold[i]);
	n->n_held--;
}

unsigned int
NT_PUB(release)(struct NT_TABLE *n, NT_KEY hop, unsigned int *slots)
{
	unsigned int i, j, cnt = 0;

	for (i = 0; i < NET_NEIGH_HOLD_MAX && n->n_held != 0; i++) {
		if (!NT_HELD(&n->hold[i]) || !NT_EQ(n->hold[i].hop, hop) ||
		    cnt == NET_NEIGH_HOLD_ADDR)
			continue;
		/* Insertion by arrival order: at most NET_NEIGH_HOLD_ADDR. */
		for (j = cnt; j > 0 &&
		     (int32_t)(n->hold[i].seq - n->hold[slots[j - 1]].seq) < 0;
		     j--)
			slots[j] = slots[j - 1];
		slots[j] = i;
		cnt++;
	}
	for (i = 0; i < cnt; i++)
		NT(unhold)(n, slots[i]);
	return cnt;
}

unsigned int
NT_PUB(expire)(struct NT_TABLE *n, uint64_t now, unsigned int *slots)
{
	unsigned int i, cnt = 0;

	for (i = 0; i < NET_NEIGH_HOLD_MAX && n->n_held != 0; i++) {
		if (!NT_HELD(&n->hold[i]) ||
		    now - n->hold[i].since_us < n->p.probe_us)
			continue;
		NT(unhold)(n, i);
		slots[cnt++] = i;
	}
	return cnt;
}
