/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of the IPv6 neighbour table policy on a virtual clock: what
 * Neighbor Discovery may teach us (RFC 4861 7.2.3, 7.2.5, restricted),
 * aging, re-resolution and the hold queue.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "net_neigh6.h"

#define US_MS 1000ull
#define MAX_AGE (300000 * US_MS)
#define RETRY (100 * US_MS)
#define PROBE (1000 * US_MS)
#define T0 (5 * US_MS)
#define SO (NET_ND_SOLICITED | NET_ND_OVERRIDE)

static const uint8_t mac_gw[NET_ETH_ALEN] = { 2, 0, 0, 0, 0, 0xfe };
static const uint8_t mac_peer[NET_ETH_ALEN] = { 2, 0, 0, 0, 0, 2 };
static const uint8_t mac_evil[NET_ETH_ALEN] = { 2, 0, 0, 0, 0xee, 0xee };
static const uint8_t mac_mcast[NET_ETH_ALEN] = { 0x33, 0x33, 0, 0, 0, 1 };

static uint8_t ours[16], gw[16], peer[16], far[16], ll[16], anycast[16];
static struct net_neigh6 tab;

static void
addr(const char *s, uint8_t *a)
{
	assert_int_equal(net_ipv6_parse(s, a), 0);
}

static int
setup(void **state)
{
	struct net_neigh6_params p = {
		.prefix_len = 64,
		.has_gateway = true,
		.max_age_us = MAX_AGE,
		.retry_us = RETRY,
		.probe_us = PROBE,
	};

	(void)state;
	addr("2001:db8::1", ours);
	addr("2001:db8::fe", gw);
	addr("2001:db8::2", peer);
	addr("2001:db8:1::9", far);
	addr("fe80::2", ll);
	addr("2001:db8::", anycast);
	memcpy(p.addr, ours, 16);
	memcpy(p.gateway, gw, 16);
	net_neigh6_init(&tab, &p);
	return 0;
}

static enum net_neigh_res
resolve(const uint8_t *daddr, uint64_t now, uint8_t *mac, uint8_t *hop)
{
	uint8_t h[16];

	return net_neigh6_resolve(&tab, daddr, now, mac, hop ? hop : h);
}

/* Ask for peer at t and take the solicited answer with mac. */
static void
learn_peer(uint64_t t, const uint8_t *mac)
{
	uint8_t m[6];

	assert_int_equal(resolve(peer, t, m, NULL), NET_NEIGH_ASK);
	assert_int_equal(net_neigh6_input_na(&tab, peer, mac, SO, t + 10),
			 NET_NEIGH_LEARNED);
}

static void
test_solicited_only(void **state)
{
	uint8_t mac[6];

	(void)state;
	/* Nobody asked: an advertisement, Override or not, is refused. */
	assert_int_equal(net_neigh6_input_na(&tab, peer, mac_evil, SO, T0),
			 NET_NEIGH_UNSOLICITED);
	assert_null(net_neigh6_lookup(&tab, peer));
	assert_int_equal(resolve(peer, T0, mac, NULL), NET_NEIGH_ASK);
	assert_int_equal(resolve(peer, T0 + 1, mac, NULL), NET_NEIGH_WAIT);
	/* Asked, but the answer says it is not one (Solicited clear). */
	assert_int_equal(net_neigh6_input_na(&tab, peer, mac_evil,
					     NET_ND_OVERRIDE, T0 + 2),
			 NET_NEIGH_UNSOLICITED);
	assert_int_equal(net_neigh6_input_na(&tab, peer, mac_peer, SO, T0 + 3),
			 NET_NEIGH_LEARNED);
	assert_int_equal(resolve(peer, T0 + 4, mac, NULL), NET_NEIGH_HIT);
	assert_memory_equal(mac, mac_peer, 6);
	/* Answered once: a second answer is unsolicited. */
	assert_int_equal(net_neigh6_input_na(&tab, peer, mac_evil, SO, T0 + 5),
			 NET_NEIGH_UNSOLICITED);
	assert_int_equal(resolve(peer, T0 + 6, mac, NULL), NET_NEIGH_HIT);
	assert_memory_equal(mac, mac_peer, 6);
}

/* A too-late answer (after probe_us) is unsolicited. */
static void
test_late_answer(void **state)
{
	uint8_t mac[6];

	(void)state;
	assert_int_equal(resolve(peer, T0, mac, NULL), NET_NEIGH_ASK);
	assert_int_equal(net_neigh6_input_na(&tab, peer, mac_peer, SO,
					     T0 + PROBE),
			 NET_NEIGH_UNSOLICITED);
}

/* RFC 4861 7.2.5: Override decides whether a live MAC changes. */
static void
test_override(void **state)
{
	uint64_t t = T0 + 10 + MAX_AGE;
	uint8_t mac[6];

	(void)state;
	learn_peer(T0, mac_peer);
	assert_int_equal(resolve(peer, t, mac, NULL), NET_NEIGH_HIT_ASK);
	assert_memory_equal(mac, mac_peer, 6);
	assert_int_equal(net_neigh6_input_na(&tab, peer, mac_evil,
					     NET_ND_SOLICITED, t + 1),
			 NET_NEIGH_CONFLICT);
	assert_int_equal(net_neigh6_input_na(&tab, peer, mac_gw, SO, t + 2),
			 NET_NEIGH_LEARNED);
	assert_int_equal(resolve(peer, t + 3, mac, NULL), NET_NEIGH_HIT);
	assert_memory_equal(mac, mac_gw, 6);
}

/* Solicited without a target link-layer option: confirms, or nothing. */
static void
test_na_without_tlla(void **state)
{
	uint64_t t = T0 + 2 + MAX_AGE;
	uint8_t mac[6];

	(void)state;
	assert_int_equal(resolve(peer, T0, mac, NULL), NET_NEIGH_ASK);
	assert_int_equal(net_neigh6_input_na(&tab, peer, NULL, SO, T0 + 1),
			 NET_NEIGH_BAD_SENDER);
	assert_int_equal(net_neigh6_input_na(&tab, peer, mac_peer, SO, T0 + 2),
			 NET_NEIGH_LEARNED);
	assert_int_equal(resolve(peer, t, mac, NULL), NET_NEIGH_HIT_ASK);
	assert_int_equal(net_neigh6_input_na(&tab, peer, NULL, NET_ND_SOLICITED,
					     t + 1),
			 NET_NEIGH_CONFIRMED);
	assert_int_equal(resolve(peer, t + 2, mac, NULL), NET_NEIGH_HIT);
}

/* RFC 4861 7.2.3: a solicitation's source option fills, never redirects. */
static void
test_ns_learning(void **state)
{
	uint8_t mac[6];

	(void)state;
	assert_int_equal(net_neigh6_input_ns(&tab, peer, mac_peer, T0),
			 NET_NEIGH_LEARNED);
	assert_int_equal(resolve(peer, T0 + 1, mac, NULL), NET_NEIGH_HIT);
	assert_memory_equal(mac, mac_peer, 6);
	assert_int_equal(net_neigh6_input_ns(&tab, peer, mac_peer, T0 + 2),
			 NET_NEIGH_KNOWN);
	assert_int_equal(net_neigh6_input_ns(&tab, peer, mac_evil, T0 + 3),
			 NET_NEIGH_CONFLICT);
	assert_int_equal(resolve(peer, T0 + 4, mac, NULL), NET_NEIGH_HIT);
	assert_memory_equal(mac, mac_peer, 6);
	/* Once the entry has aged out unanswered, a new MAC may fill it. */
	assert_int_equal(net_neigh6_input_ns(&tab, peer, mac_evil,
					     T0 + 2 + MAX_AGE + PROBE),
			 NET_NEIGH_LEARNED);
}

static void
test_ns_senders(void **state)
{
	(void)state;
	assert_int_equal(net_neigh6_input_ns(&tab, far, mac_peer, T0),
			 NET_NEIGH_OFFLINK);
	assert_int_equal(net_neigh6_input_ns(&tab, ours, mac_peer, T0),
			 NET_NEIGH_BAD_SENDER);
	assert_int_equal(net_neigh6_input_ns(&tab, anycast, mac_peer, T0),
			 NET_NEIGH_BAD_SENDER);
	assert_int_equal(net_neigh6_input_ns(&tab, peer, NULL, T0),
			 NET_NEIGH_BAD_SENDER);
	assert_int_equal(net_neigh6_input_ns(&tab, peer, mac_mcast, T0),
			 NET_NEIGH_BAD_SENDER);
	assert_null(net_neigh6_lookup(&tab, peer));
	/* Link-local neighbours are on the link. */
	assert_int_equal(net_neigh6_input_ns(&tab, ll, mac_peer, T0),
			 NET_NEIGH_LEARNED);
	assert_non_null(net_neigh6_lookup(&tab, ll));
}

/*
 * A flood of solicitations from on-link senders fills free slots and is
 * refused once none is left (nd_table_full_drop in the glue), never
 * pushing out a live entry.
 */
static void
test_flood_keeps_live(void **state)
{
	uint8_t mac[6], src[16];
	unsigned int i, full = 0;

	(void)state;
	learn_peer(T0, mac_peer);
	memcpy(src, peer, 16);
	for (i = 0; i < 4 * NET_NEIGH_SIZE; i++) {
		src[14] = (uint8_t)(1 + (i >> 8));
		src[15] = (uint8_t)i;
		if (net_neigh6_input_ns(&tab, src, mac_evil, T0 + 100) ==
		    NET_NEIGH_FULL)
			full++;
	}
	assert_true(full > 0);
	assert_int_equal(resolve(peer, T0 + 200, mac, NULL), NET_NEIGH_HIT);
	assert_memory_equal(mac, mac_peer, 6);
}

static unsigned int
hash6(const uint8_t *a)
{
	return net_neigh6_slot_of(&tab, a);
}

/*
 * An on-link host crafts addresses that an unkeyed hash of the address
 * words would put in one window, a live entry's (here: their 32-bit
 * words XOR to the victim's, as the words of any such hash would),
 * fills the window's other slots with solicitations from three of them
 * and has the fourth resolved (a SYN from it): the victim is kept, for
 * the crafted addresses land where the table's secret puts them.
 */
static void
test_crafted_window(void **state)
{
	uint8_t crafted[NET_NEIGH_PROBE][16], mac[6];
	unsigned int i;

	(void)state;
	learn_peer(T0, mac_peer);
	for (i = 0; i < NET_NEIGH_PROBE; i++) {
		memcpy(crafted[i], peer, 16);
		crafted[i][11] ^= (uint8_t)(i + 1);
		crafted[i][15] ^= (uint8_t)(i + 1);
	}
	memcpy(mac, mac_evil, 6);
	for (i = 0; i + 1 < NET_NEIGH_PROBE; i++) {
		mac[5] = (uint8_t)i;
		assert_int_equal(net_neigh6_input_ns(&tab, crafted[i], mac,
						     T0 + 100 + i),
				 NET_NEIGH_LEARNED);
	}
	assert_int_equal(resolve(crafted[NET_NEIGH_PROBE - 1], T0 + 200, mac,
				 NULL),
			 NET_NEIGH_ASK);
	assert_int_equal(resolve(peer, T0 + 300, mac, NULL), NET_NEIGH_HIT);
	assert_memory_equal(mac, mac_peer, 6);
}

/* The secret decides the slots: another secret, other slots. */
static void
test_secret_keys_slots(void **state)
{
	static struct net_neigh6 other;
	struct net_neigh6_params p = tab.p;
	unsigned int i, moved = 0;
	uint8_t a[16];

	(void)state;
	p.secret[0] ^= 1;
	net_neigh6_init(&other, &p);
	memcpy(a, peer, 16);
	for (i = 0; i < 16; i++) {
		a[15] = (uint8_t)i;
		assert_true(hash6(a) < NET_NEIGH_SIZE);
		moved += net_neigh6_slot_of(&other, a) != hash6(a);
	}
	assert_true(moved > 8);
}

/*
 * Live entries an on-link host chose (solicitations from addresses
 * hashed as the gateway is), then one more address of that window to
 * resolve: another live entry gives way, never the gateway's, which
 * every off-link destination goes through.
 */
static void
test_gateway_kept_over_live(void **state)
{
	uint8_t same[NET_NEIGH_PROBE][16], a[16], mac[6];
	unsigned int n = 0, i;

	(void)state;
	assert_int_equal(resolve(far, T0, mac, NULL), NET_NEIGH_ASK);
	assert_int_equal(net_neigh6_input_na(&tab, gw, mac_gw, SO, T0 + 1),
			 NET_NEIGH_LEARNED);
	memcpy(a, peer, 16);
	for (i = 2; n < NET_NEIGH_PROBE && i < 0x10000; i++) {
		a[14] = (uint8_t)(i >> 8);
		a[15] = (uint8_t)i;
		if (memcmp(a, gw, 16) != 0 && hash6(a) == hash6(gw))
			memcpy(same[n++], a, 16);
	}
	assert_int_equal(n, NET_NEIGH_PROBE);
	memcpy(mac, mac_evil, 6);
	for (i = 0; i + 1 < NET_NEIGH_PROBE; i++) {
		mac[5] = (uint8_t)i;
		assert_int_equal(net_neigh6_input_ns(&tab, same[i], mac,
						     T0 + 100 + i),
				 NET_NEIGH_LEARNED);
	}
	assert_int_equal(resolve(same[NET_NEIGH_PROBE - 1], T0 + 200, mac,
				 NULL),
			 NET_NEIGH_EVICTED);
	assert_non_null(net_neigh6_lookup(&tab, gw));
	assert_int_equal(resolve(far, T0 + 300, mac, NULL), NET_NEIGH_HIT);
	assert_memory_equal(mac, mac_gw, 6);
	assert_null(net_neigh6_lookup(&tab, same[0]));
}

static void
test_routes(void **state)
{
	uint8_t mac[6], hop[16];

	(void)state;
	assert_int_equal(resolve(far, T0, mac, hop), NET_NEIGH_ASK);
	assert_memory_equal(hop, gw, 16);
	assert_int_equal(net_neigh6_input_na(&tab, gw, mac_gw, SO, T0 + 1),
			 NET_NEIGH_LEARNED);
	assert_int_equal(resolve(far, T0 + 2, mac, hop), NET_NEIGH_HIT);
	assert_memory_equal(mac, mac_gw, 6);
	assert_int_equal(resolve(ll, T0, mac, hop), NET_NEIGH_ASK);
	assert_memory_equal(hop, ll, 16);
	tab.p.has_gateway = false;
	assert_int_equal(resolve(far, T0, mac, hop), NET_NEIGH_UNREACH);
}

static void
test_aging(void **state)
{
	uint64_t t = T0 + MAX_AGE;
	uint8_t mac[6];

	(void)state;
	learn_peer(T0, mac_peer);
	assert_int_equal(resolve(peer, t - 1, mac, NULL), NET_NEIGH_HIT);
	assert_int_equal(resolve(peer, t + 10, mac, NULL), NET_NEIGH_HIT_ASK);
	assert_int_equal(resolve(peer, t + 20, mac, NULL), NET_NEIGH_HIT);
	assert_int_equal(resolve(peer, t + 10 + PROBE, mac, NULL),
			 NET_NEIGH_EXPIRED);
	assert_int_equal(resolve(peer, t + 20 + PROBE, mac, NULL),
			 NET_NEIGH_WAIT);
}

/* Another worker's solicitation: its answer is learned here too. */
static void
test_asked_elsewhere(void **state)
{
	(void)state;
	net_neigh6_asked(&tab, peer, T0);
	assert_int_equal(net_neigh6_input_na(&tab, peer, mac_peer, SO, T0 + 1),
			 NET_NEIGH_LEARNED);
}

static void
test_hold(void **state)
{
	unsigned int slot, slots[NET_NEIGH_HOLD_MAX], i, first = 0;
	uint8_t other[16];

	(void)state;
	for (i = 0; i < NET_NEIGH_HOLD_ADDR; i++) {
		assert_int_equal(net_neigh6_hold(&tab, peer, T0 + i, &slot),
				 NET_NEIGH_HELD);
		if (i == 0)
			first = slot;
	}
	assert_int_equal(net_neigh6_hold(&tab, peer, T0 + 9, &slot),
			 NET_NEIGH_HELD_REPLACED);
	assert_int_equal(slot, first);
	memcpy(other, peer, 16);
	for (i = NET_NEIGH_HOLD_ADDR; i < NET_NEIGH_HOLD_MAX; i++) {
		other[14] = (uint8_t)(i / NET_NEIGH_HOLD_ADDR);
		assert_int_equal(net_neigh6_hold(&tab, other, T0, &slot),
				 NET_NEIGH_HELD);
	}
	other[14] = 0xee;
	assert_int_equal(net_neigh6_hold(&tab, other, T0, &slot),
			 NET_NEIGH_HOLD_FULL);
	/* Released in the order held: the replaced slot comes last. */
	assert_int_equal(net_neigh6_release(&tab, peer, slots),
			 NET_NEIGH_HOLD_ADDR);
	assert_int_equal(slots[NET_NEIGH_HOLD_ADDR - 1], first);
	assert_int_equal(net_neigh6_release(&tab, peer, slots), 0);
	assert_int_equal(net_neigh6_expire(&tab, T0 + PROBE - 1, slots), 0);
	assert_int_equal(net_neigh6_expire(&tab, T0 + PROBE, slots),
			 NET_NEIGH_HOLD_MAX - NET_NEIGH_HOLD_ADDR);
	assert_int_equal(tab.n_held, 0);
}

static void
test_prefix(void **state)
{
	uint8_t a[16], b[16];

	(void)state;
	addr("2001:db8::1", a);
	addr("2001:db8:0:0:8000::1", b);
	assert_true(net_ip6_in_prefix(b, a, 64));
	assert_false(net_ip6_in_prefix(b, a, 65));
	assert_true(net_ip6_in_prefix(b, a, 1));
	assert_false(net_ip6_in_prefix(b, a, 128));
	assert_true(net_ip6_in_prefix(a, a, 128));
	memcpy(b, a, 16);
	b[15] = 0;
	assert_true(net_ip6_in_prefix(b, a, 127));
	assert_false(net_ip6_in_prefix(b, a, 129));
}

/*
 * The resolver remembers its last hit (struct net_neigh6_cache); a change
 * to the table must reach it. Here a solicited advertisement with
 * Override (RFC 4861 7.2.5) moves a live neighbour to another MAC a
 * moment after it was resolved: the next segment goes to the new one.
 */
static void
test_cache_sees_override(void **state)
{
	static const uint8_t mac_new[NET_ETH_ALEN] = { 2, 0, 0, 0, 0x0e, 2 };
	uint8_t mac[6], hop[16];

	(void)state;
	learn_peer(T0, mac_peer);
	assert_int_equal(resolve(peer, T0 + 20, mac, hop), NET_NEIGH_HIT);
	assert_memory_equal(mac, mac_peer, 6);
	assert_int_equal(resolve(peer, T0 + 21, mac, hop), NET_NEIGH_HIT);
	assert_memory_equal(mac, mac_peer, 6);
	assert_memory_equal(hop, peer, 16);
	net_neigh6_asked(&tab, peer, T0 + 30);
	assert_int_equal(net_neigh6_input_na(&tab, peer, mac_new, SO, T0 + 31),
			 NET_NEIGH_LEARNED);
	assert_int_equal(resolve(peer, T0 + 32, mac, hop), NET_NEIGH_HIT);
	assert_memory_equal(mac, mac_new, 6);
	/* Off-link, by the gateway: the cache gives its next hop too. */
	assert_int_equal(resolve(far, T0 + 40, mac, hop), NET_NEIGH_ASK);
	assert_int_equal(net_neigh6_input_na(&tab, gw, mac_gw, SO, T0 + 41),
			 NET_NEIGH_LEARNED);
	memset(hop, 0, sizeof(hop));
	assert_int_equal(resolve(far, T0 + 42, mac, hop), NET_NEIGH_HIT);
	memset(hop, 0, sizeof(hop));
	assert_int_equal(resolve(far, T0 + 43, mac, hop), NET_NEIGH_HIT);
	assert_memory_equal(hop, gw, 16);
	assert_memory_equal(mac, mac_gw, 6);
}

/* The IPv4 entries keep their size; the IPv6 ones are a table apart. */
static void
test_entry_sizes(void **state)
{
	(void)state;
	assert_int_equal(sizeof(struct net_neigh_entry), 32);
	assert_int_equal(sizeof(struct net_neigh6_entry), 40);
}

/*
 * Our address is defended at once, then at most once per 10 s however
 * many claims come (as ARP's, net_neigh_defend()); another table keeps
 * its own time.
 */
static void
test_defend_rate(void **state)
{
	static struct net_neigh6 other;
	unsigned int i, n = 0;

	(void)state;
	assert_true(net_neigh6_defend(&tab, 0));
	for (i = 1; i <= 2500; i++)
		n += net_neigh6_defend(&tab, i * 10 * US_MS);
	assert_int_equal(n, 2);
	assert_false(net_neigh6_defend(&tab, 29999 * US_MS));
	assert_true(net_neigh6_defend(&tab, 30000 * US_MS));
	net_neigh6_init(&other, &tab.p);
	assert_true(net_neigh6_defend(&other, 30001 * US_MS));
}

/*
 * RFC 4861 7.3.1: "receipt of a solicitation ... does not confirm the
 * reachability of the neighbor": an entry a solicitation created is
 * STALE (7.2.3), and a repeated solicitation restarts nothing. The
 * neighbour is asked when its entry ages, and its solicited answer
 * confirms it, once per max age (no more).
 */
static void
test_ns_confirms_nothing(void **state)
{
	uint8_t mac[6];
	uint64_t t;

	(void)state;
	assert_int_equal(net_neigh6_input_ns(&tab, peer, mac_peer, T0),
			 NET_NEIGH_LEARNED);
	assert_int_equal(net_neigh6_lookup(&tab, peer)->state, NET_NEIGH_STALE);
	assert_int_equal(net_neigh6_input_ns(&tab, peer, mac_peer,
					     T0 + MAX_AGE - 1),
			 NET_NEIGH_KNOWN);
	assert_int_equal(resolve(peer, T0 + MAX_AGE, mac, NULL),
			 NET_NEIGH_HIT_ASK);
	assert_memory_equal(mac, mac_peer, 6);
	/* An unsolicited advertisement confirms nothing either. */
	assert_int_equal(net_neigh6_input_na(&tab, peer, mac_peer,
					     NET_ND_OVERRIDE, T0 + MAX_AGE + 1),
			 NET_NEIGH_UNSOLICITED);
	assert_int_equal(net_neigh6_input_na(&tab, peer, mac_peer, SO,
					     T0 + MAX_AGE + 2),
			 NET_NEIGH_CONFIRMED);
	assert_int_equal(net_neigh6_lookup(&tab, peer)->state,
			 NET_NEIGH_RESOLVED);
	t = T0 + MAX_AGE + 2;
	assert_int_equal(net_neigh6_input_ns(&tab, peer, mac_peer, t + 10),
			 NET_NEIGH_KNOWN);
	assert_int_equal(resolve(peer, t + MAX_AGE - 1, mac, NULL),
			 NET_NEIGH_HIT);
	assert_int_equal(resolve(peer, t + MAX_AGE, mac, NULL),
			 NET_NEIGH_HIT_ASK);
	/* Solicitations alone do not keep it: unanswered, it is forgotten. */
	assert_int_equal(net_neigh6_input_ns(&tab, peer, mac_peer,
					     t + MAX_AGE + PROBE - 1),
			 NET_NEIGH_KNOWN);
	assert_int_equal(resolve(peer, t + MAX_AGE + PROBE, mac, NULL),
			 NET_NEIGH_EXPIRED);
}

/*
 * An on-link host with live entries in a neighbour's window keeps
 * soliciting from them, as if each solicitation confirmed its entries,
 * then has us resolve one more address of the window. The neighbour,
 * confirmed by its advertisement, must not give way to entries that
 * only solicited: those go first.
 */
static void
test_ns_steer_no_eviction(void **state)
{
	uint8_t same[NET_NEIGH_PROBE + 1][16], a[16], mac[6];
	unsigned int n = 0, i;
	uint64_t t;

	(void)state;
	memcpy(a, peer, 16);
	for (i = 3; n <= NET_NEIGH_PROBE && i < 0x10000; i++) {
		a[14] = (uint8_t)(i >> 8);
		a[15] = (uint8_t)i;
		if (memcmp(a, gw, 16) != 0 && hash6(a) == hash6(peer))
			memcpy(same[n++], a, 16);
	}
	assert_int_equal(n, NET_NEIGH_PROBE + 1);
	assert_int_equal(resolve(same[0], T0, mac, NULL), NET_NEIGH_ASK);
	assert_int_equal(net_neigh6_input_na(&tab, same[0], mac_peer, SO,
					     T0 + 1),
			 NET_NEIGH_LEARNED);
	memcpy(mac, mac_evil, 6);
	for (i = 1; i < NET_NEIGH_PROBE; i++) {
		mac[5] = (uint8_t)i;
		assert_int_equal(net_neigh6_input_ns(&tab, same[i], mac,
						     T0 + 10 + i),
				 NET_NEIGH_LEARNED);
	}
	for (t = T0 + 1000; t < T0 + MAX_AGE / 2; t += MAX_AGE / 8)
		for (i = 1; i < NET_NEIGH_PROBE; i++) {
			mac[5] = (uint8_t)i;
			net_neigh6_input_ns(&tab, same[i], mac, t + i);
		}
	assert_int_equal(resolve(same[NET_NEIGH_PROBE], t, mac, NULL),
			 NET_NEIGH_EVICTED);
	assert_int_equal(resolve(same[0], t + 1, mac, NULL), NET_NEIGH_HIT);
	assert_memory_equal(mac, mac_peer, 6);
	assert_null(net_neigh6_lookup(&tab, same[1]));
}

#define T(f) cmocka_unit_test_setup(f, setup)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_solicited_only),
		T(test_late_answer),
		T(test_override),
		T(test_na_without_tlla),
		T(test_ns_learning),
		T(test_ns_senders),
		T(test_flood_keeps_live),
		T(test_routes),
		T(test_gateway_kept_over_live),
		T(test_crafted_window),
		T(test_secret_keys_slots),
		T(test_ns_confirms_nothing),
		T(test_ns_steer_no_eviction),
		T(test_aging),
		T(test_asked_elsewhere),
		T(test_hold),
		T(test_prefix),
		T(test_entry_sizes),
		T(test_cache_sees_override),
		T(test_defend_rate),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
