/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of the neighbour table policy on a virtual clock: what ARP
 * may teach us (RFC 826, restricted), aging and re-resolution.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "net_neigh.h"

#define US_MS 1000ull
#define MAX_AGE (300000 * US_MS)
#define RETRY (100 * US_MS)
#define PROBE (1000 * US_MS)
#define T0 (5 * US_MS)

#define OURS 0xc6120001u /* 198.18.0.1/24 */
#define GW 0xc61200feu	 /* 198.18.0.254 */
#define PEER 0xc6120002u /* 198.18.0.2 */
#define FAR 0x0a000001u	 /* 10.0.0.1, off-link */

static const uint8_t mac_gw[NET_ETH_ALEN] = { 2, 0, 0, 0, 0, 0xfe };
static const uint8_t mac_peer[NET_ETH_ALEN] = { 2, 0, 0, 0, 0, 2 };
static const uint8_t mac_evil[NET_ETH_ALEN] = { 2, 0, 0, 0, 0xee, 0xee };

static struct net_neigh tab;

static int
setup(void **state)
{
	const struct net_neigh_params p = {
		.addr = OURS,
		.mask = 0xffffff00u,
		.gateway = GW,
		.max_age_us = MAX_AGE,
		.retry_us = RETRY,
		.probe_us = PROBE,
	};

	(void)state;
	net_neigh_init(&tab, &p);
	return 0;
}

static enum net_neigh_res
resolve(uint32_t daddr, uint64_t now, uint8_t *mac)
{
	uint32_t hop;

	return net_neigh_resolve(&tab, daddr, now, mac, &hop);
}

static void
assert_hit(uint32_t daddr, uint64_t now, const uint8_t *want)
{
	uint8_t mac[NET_ETH_ALEN];

	assert_int_equal(resolve(daddr, now, mac), NET_NEIGH_HIT);
	assert_memory_equal(mac, want, NET_ETH_ALEN);
}

/* Ask for the gateway and take its answer. */
static void
learn_gateway(uint64_t now)
{
	uint8_t mac[NET_ETH_ALEN];
	uint32_t hop;

	assert_int_equal(net_neigh_resolve(&tab, FAR, now, mac, &hop),
			 NET_NEIGH_ASK);
	assert_int_equal(hop, GW);
	assert_int_equal(net_neigh_input(&tab, NET_ARP_OP_REPLY, GW, mac_gw,
					 now + 10),
			 NET_NEIGH_LEARNED);
	assert_hit(FAR, now + 20, mac_gw);
}

/* A reply nobody asked for teaches nothing (it used to be learned). */
static void
test_unsolicited_reply(void **state)
{
	uint8_t mac[NET_ETH_ALEN];

	(void)state;
	assert_int_equal(net_neigh_input(&tab, NET_ARP_OP_REPLY, PEER, mac_evil,
					 T0),
			 NET_NEIGH_UNSOLICITED);
	assert_null(net_neigh_lookup(&tab, PEER));
	assert_int_equal(resolve(PEER, T0, mac), NET_NEIGH_ASK);
	/* Late: the reply comes after the request's probe time. */
	assert_int_equal(net_neigh_input(&tab, NET_ARP_OP_REPLY, PEER, mac_peer,
					 T0 + PROBE),
			 NET_NEIGH_UNSOLICITED);
	/* One answer per request: a second reply is unsolicited. */
	assert_int_equal(resolve(PEER, T0 + PROBE, mac), NET_NEIGH_ASK);
	assert_int_equal(net_neigh_input(&tab, NET_ARP_OP_REPLY, PEER, mac_peer,
					 T0 + PROBE + 1),
			 NET_NEIGH_LEARNED);
	assert_int_equal(net_neigh_input(&tab, NET_ARP_OP_REPLY, PEER, mac_evil,
					 T0 + PROBE + 2),
			 NET_NEIGH_UNSOLICITED);
	assert_hit(PEER, T0 + PROBE + 3, mac_peer);
}

/* Once resolved, the gateway cannot be redirected by any frame. */
static void
test_gateway_not_overwritten(void **state)
{
	(void)state;
	learn_gateway(T0);
	assert_int_equal(net_neigh_input(&tab, NET_ARP_OP_REPLY, GW, mac_evil,
					 T0 + 100),
			 NET_NEIGH_UNSOLICITED);
	assert_int_equal(net_neigh_input(&tab, NET_ARP_OP_REQUEST, GW, mac_evil,
					 T0 + 200),
			 NET_NEIGH_CONFLICT);
	assert_hit(FAR, T0 + 300, mac_gw);
	assert_hit(GW, T0 + 300, mac_gw);
	/* The same MAC changes nothing (it confirms no reachability). */
	assert_int_equal(net_neigh_input(&tab, NET_ARP_OP_REQUEST, GW, mac_gw,
					 T0 + 400),
			 NET_NEIGH_KNOWN);
}

/* Requests teach only on-link senders with usable addresses and MACs. */
static void
test_request_senders(void **state)
{
	static const uint8_t mcast[NET_ETH_ALEN] = { 1, 0, 0x5e, 0, 0, 1 };
	static const uint8_t zero[NET_ETH_ALEN];
	static const struct {
		uint32_t spa;
		const uint8_t *sha;
		enum net_neigh_learn want;
	} t[] = {
		{ FAR, mac_peer, NET_NEIGH_OFFLINK },
		{ 0xc6120101u, mac_peer, NET_NEIGH_OFFLINK },
		{ 0, mac_peer, NET_NEIGH_BAD_SENDER },
		{ OURS, mac_peer, NET_NEIGH_BAD_SENDER },
		{ 0xc6120000u, mac_peer, NET_NEIGH_BAD_SENDER },
		{ 0xc61200ffu, mac_peer, NET_NEIGH_BAD_SENDER },
		{ PEER, mcast, NET_NEIGH_BAD_SENDER },
		{ PEER, zero, NET_NEIGH_BAD_SENDER },
		{ PEER, mac_peer, NET_NEIGH_LEARNED },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		assert_int_equal(net_neigh_input(&tab, NET_ARP_OP_REQUEST,
						 t[i].spa, t[i].sha, T0),
				 t[i].want);
		if (t[i].want != NET_NEIGH_LEARNED)
			assert_null(net_neigh_lookup(&tab, t[i].spa));
	}
	/* Learned from its request: no ARP needed to answer it. */
	assert_hit(PEER, T0 + 1, mac_peer);
}

/* Entries age: asked again after max_age, forgotten without an answer. */
static void
test_entry_ages(void **state)
{
	uint8_t mac[NET_ETH_ALEN];
	uint64_t t;

	(void)state;
	learn_gateway(T0);
	t = T0 + 10; /* when the reply was learned */
	assert_hit(FAR, t + MAX_AGE - 1, mac_gw);
	/* Old: still used, and asked for again. */
	assert_int_equal(resolve(FAR, t + MAX_AGE, mac), NET_NEIGH_HIT_ASK);
	assert_memory_equal(mac, mac_gw, NET_ETH_ALEN);
	assert_hit(FAR, t + MAX_AGE + RETRY - 1, mac_gw);
	assert_int_equal(resolve(FAR, t + MAX_AGE + RETRY, mac),
			 NET_NEIGH_HIT_ASK);
	/* The answer restarts its age. */
	assert_int_equal(net_neigh_input(&tab, NET_ARP_OP_REPLY, GW, mac_gw,
					 t + MAX_AGE + RETRY + 5),
			 NET_NEIGH_CONFIRMED);
	t += MAX_AGE + RETRY + 5;
	assert_hit(FAR, t + MAX_AGE - 1, mac_gw);
	/* No answer this time: forgotten after the probe time. */
	assert_int_equal(resolve(FAR, t + MAX_AGE, mac), NET_NEIGH_HIT_ASK);
	assert_int_equal(resolve(FAR, t + MAX_AGE + PROBE, mac),
			 NET_NEIGH_EXPIRED);
	assert_int_equal(resolve(FAR, t + MAX_AGE + PROBE + 1, mac),
			 NET_NEIGH_WAIT);
	/* Forgotten, so an unsolicited request may now fill it. */
	assert_int_equal(net_neigh_input(&tab, NET_ARP_OP_REQUEST, GW, mac_peer,
					 t + MAX_AGE + PROBE + 2),
			 NET_NEIGH_LEARNED);
}

/* One request per address per retry time; no route without a gateway. */
static void
test_rate_limit_and_route(void **state)
{
	struct net_neigh_params p = tab.p;
	uint8_t mac[NET_ETH_ALEN];
	uint32_t hop;

	(void)state;
	assert_int_equal(resolve(PEER, T0, mac), NET_NEIGH_ASK);
	assert_int_equal(resolve(PEER, T0 + RETRY - 1, mac), NET_NEIGH_WAIT);
	assert_int_equal(resolve(PEER, T0 + RETRY, mac), NET_NEIGH_ASK);
	assert_int_equal(net_neigh_resolve(&tab, PEER, T0 + RETRY + 1, mac,
					   &hop),
			 NET_NEIGH_WAIT);
	assert_int_equal(hop, PEER);
	p.gateway = 0;
	net_neigh_init(&tab, &p);
	assert_int_equal(resolve(FAR, T0, mac), NET_NEIGH_UNREACH);
}

/* Another worker's request makes its reply welcome here too. */
static void
test_asked_elsewhere(void **state)
{
	(void)state;
	net_neigh_asked(&tab, GW, T0);
	assert_int_equal(net_neigh_input(&tab, NET_ARP_OP_REPLY, GW, mac_gw,
					 T0 + 1),
			 NET_NEIGH_LEARNED);
	assert_hit(FAR, T0 + 2, mac_gw);
}

/*
 * A request that never left (no mbuf) is undone: with no earlier request
 * awaited, no reply is taken and the next miss asks at once; with one
 * awaited (sent more than the retry time ago), its reply is still taken.
 */
static void
test_unasked(void **state)
{
	uint8_t mac[NET_ETH_ALEN];

	(void)state;
	/* The first request fails: nothing awaited. */
	assert_int_equal(resolve(PEER, T0, mac), NET_NEIGH_ASK);
	net_neigh_unasked(&tab, PEER);
	assert_int_equal(net_neigh_input(&tab, NET_ARP_OP_REPLY, PEER, mac_evil,
					 T0 + 1),
			 NET_NEIGH_UNSOLICITED);
	assert_int_equal(resolve(PEER, T0 + 2, mac), NET_NEIGH_ASK);
	/* That one left; the retry after RETRY fails: the first is awaited. */
	assert_int_equal(resolve(PEER, T0 + 2 + RETRY, mac), NET_NEIGH_ASK);
	net_neigh_unasked(&tab, PEER);
	assert_int_equal(resolve(PEER, T0 + 3 + RETRY, mac), NET_NEIGH_ASK);
	net_neigh_unasked(&tab, PEER);
	assert_int_equal(net_neigh_input(&tab, NET_ARP_OP_REPLY, PEER, mac_peer,
					 T0 + 4 + RETRY),
			 NET_NEIGH_LEARNED);
	assert_hit(PEER, T0 + 5 + RETRY, mac_peer);
}

/*
 * A request of ours left unanswered past its probe time is awaited no
 * more: when the next one cannot leave, no reply is taken, since none
 * of ours is out. The same for an entry a request filled meanwhile
 * (STALE), asked for when it ages: a reply to a request that never
 * left must not change its MAC.
 */
static void
test_unasked_after_unanswered(void **state)
{
	uint8_t mac[NET_ETH_ALEN];
	uint64_t t = T0 + 2 * PROBE;

	(void)state;
	assert_int_equal(resolve(PEER, T0, mac), NET_NEIGH_ASK);
	assert_int_equal(resolve(PEER, t, mac), NET_NEIGH_ASK);
	net_neigh_unasked(&tab, PEER);
	assert_int_equal(net_neigh_input(&tab, NET_ARP_OP_REPLY, PEER, mac_evil,
					 t + 1),
			 NET_NEIGH_UNSOLICITED);
	/* The peer asks for us: its entry is STALE, our question still open. */
	assert_int_equal(net_neigh_input(&tab, NET_ARP_OP_REQUEST, PEER,
					 mac_peer, t + 2),
			 NET_NEIGH_LEARNED);
	t += 2 + MAX_AGE;
	assert_int_equal(resolve(PEER, t, mac), NET_NEIGH_HIT_ASK);
	net_neigh_unasked(&tab, PEER);
	assert_int_equal(net_neigh_input(&tab, NET_ARP_OP_REPLY, PEER, mac_evil,
					 t + 1),
			 NET_NEIGH_UNSOLICITED);
	assert_int_equal(resolve(PEER, t + 2, mac), NET_NEIGH_HIT_ASK);
	assert_memory_equal(mac, mac_peer, NET_ETH_ALEN);
}

/* A flood of on-link requests fills free slots, never live entries. */
static void
test_flood_keeps_live(void **state)
{
	struct net_neigh_params p = tab.p;
	uint8_t mac[NET_ETH_ALEN] = { 2, 0, 0, 0, 0, 0 };
	unsigned int i, full = 0;

	(void)state;
	p.mask = 0xffff0000u; /* room for more senders than slots */
	net_neigh_init(&tab, &p);
	learn_gateway(T0);
	for (i = 2; i < 4 * NET_NEIGH_SIZE; i++) {
		mac[4] = (uint8_t)(i >> 8);
		mac[5] = (uint8_t)i;
		if (net_neigh_input(&tab, NET_ARP_OP_REQUEST, 0xc6120000u + i,
				    mac, T0 + 100) == NET_NEIGH_FULL)
			full++;
	}
	assert_true(full > 0);
	assert_hit(FAR, T0 + 200, mac_gw);
}

/* The slot an address hashes to, as net_neigh.c computes it. */
static unsigned int
neigh_hash(uint32_t a)
{
	return net_neigh_slot_of(&tab, a);
}

/*
 * The slot an unkeyed hash put an address in (Knuth's multiplicative
 * hash, which the table used): what anyone could compute.
 */
static unsigned int
unkeyed_hash(uint32_t a)
{
	return (a * 2654435761u) >> (32 - NET_NEIGH_BITS);
}

/* Resolve on-link addr: asked for, answered with mac. */
static void
learn(uint32_t addr, const uint8_t *mac, uint64_t now)
{
	uint8_t got[NET_ETH_ALEN];

	assert_int_equal(resolve(addr, now, got), NET_NEIGH_ASK);
	assert_int_equal(net_neigh_input(&tab, NET_ARP_OP_REPLY, addr, mac,
					 now + 1),
			 NET_NEIGH_LEARNED);
}

/*
 * The resolver remembers its last hit (struct net_neigh_cache); a change
 * to the table must reach it. Here the entry of a destination resolved
 * a moment ago is taken over by another address (its probe window full
 * of live entries, it is the oldest; the verdict says a live entry went,
 * to be counted): the destination must be asked for again, not answered
 * with the MAC of an entry that is gone.
 */
static void
test_cache_sees_eviction(void **state)
{
	struct net_neigh_params p = tab.p;
	uint32_t same[NET_NEIGH_PROBE + 1], a;
	uint8_t macs[NET_NEIGH_PROBE + 1][NET_ETH_ALEN];
	uint8_t mac[NET_ETH_ALEN];
	unsigned int n = 0, i;
	uint64_t now = T0;

	(void)state;
	p.mask = 0xffff0000u; /* room for addresses of one hash */
	net_neigh_init(&tab, &p);
	for (a = OURS + 1; n <= NET_NEIGH_PROBE; a++)
		if (a != GW && neigh_hash(a) == neigh_hash(OURS + 1))
			same[n++] = a;
	for (i = 0; i < n; i++) {
		memcpy(macs[i], mac_peer, NET_ETH_ALEN);
		macs[i][5] = (uint8_t)(0x10 + i);
	}
	for (i = 0; i < NET_NEIGH_PROBE; i++, now += 10)
		learn(same[i], macs[i], now);
	assert_hit(same[0], now, macs[0]);
	assert_hit(same[0], now + 1, macs[0]);
	/* same[0] is the oldest of a full window: its slot goes, said. */
	assert_int_equal(resolve(same[NET_NEIGH_PROBE], now + 2, mac),
			 NET_NEIGH_EVICTED);
	assert_null(net_neigh_lookup(&tab, same[0]));
	assert_int_equal(resolve(same[0], now + 3, mac), NET_NEIGH_ASK);
}

/*
 * Clients behind the gateway share its entry: once one off-link
 * destination has resolved, the inline cache answers any other with the
 * gateway's MAC, without a table lookup (the keyed slot hash), until
 * the table changes or the entry ages. An on-link destination still
 * takes its own resolution.
 */
static void
test_cache_serves_off_link(void **state)
{
	uint8_t mac[NET_ETH_ALEN];
	const uint8_t *hit;

	(void)state;
	learn_gateway(T0);
	hit = net_neigh_cached(&tab, FAR + 7, T0 + 30);
	assert_non_null(hit);
	assert_memory_equal(hit, mac_gw, NET_ETH_ALEN);
	assert_non_null(net_neigh_cached(&tab, 0x08080808u, T0 + 31));
	assert_null(net_neigh_cached(&tab, PEER, T0 + 32));
	assert_null(net_neigh_cached(&tab, FAR + 7, T0 + 20 + MAX_AGE));
	/* An on-link destination resolved: off-link ones go by the gateway. */
	learn(PEER, mac_peer, T0 + 40);
	assert_hit(PEER, T0 + 50, mac_peer);
	assert_null(net_neigh_cached(&tab, FAR + 8, T0 + 51));
	assert_hit(FAR + 8, T0 + 52, mac_gw);
	assert_non_null(net_neigh_cached(&tab, FAR + 9, T0 + 53));
	/* A change to the table reaches it. */
	assert_int_equal(resolve(PEER + 1, T0 + 54, mac), NET_NEIGH_ASK);
	assert_null(net_neigh_cached(&tab, FAR + 9, T0 + 55));
}

/*
 * Addresses hashing where the gateway does, the first three of them
 * made live entries (requests from them) at t, t + 1, t + 2: the
 * gateway's window, full but for one slot. same[3] is the fourth.
 */
static void
fill_gateway_window(uint32_t same[NET_NEIGH_PROBE], uint64_t t)
{
	uint8_t mac[NET_ETH_ALEN] = { 2, 0, 0, 0, 0x77, 0 };
	unsigned int n = 0, i;
	uint32_t a;

	for (a = OURS + 1; n < NET_NEIGH_PROBE; a++)
		if (a != GW && neigh_hash(a) == neigh_hash(GW))
			same[n++] = a;
	for (i = 0; i + 1 < NET_NEIGH_PROBE; i++) {
		mac[5] = (uint8_t)i;
		assert_int_equal(net_neigh_input(&tab, NET_ARP_OP_REQUEST,
						 same[i], mac, t + i),
				 NET_NEIGH_LEARNED);
	}
}

/*
 * An on-link host can make live entries of its choice (requests from
 * addresses it picks, hashed as the table hashes them) and make us
 * resolve one more (a SYN from it): with the gateway's probe window
 * full of live entries, the gateway's would be the oldest, and every
 * off-link destination would wait for it to be asked for again (and
 * take the first answer). Another live entry gives way instead.
 */
static void
test_gateway_kept_over_live(void **state)
{
	struct net_neigh_params p = tab.p;
	uint32_t same[NET_NEIGH_PROBE];
	uint8_t got[NET_ETH_ALEN];

	(void)state;
	p.mask = 0xffff0000u; /* room for addresses of one hash */
	net_neigh_init(&tab, &p);
	learn_gateway(T0);
	fill_gateway_window(same, T0 + 100);
	assert_int_equal(resolve(same[NET_NEIGH_PROBE - 1], T0 + 200, got),
			 NET_NEIGH_EVICTED);
	assert_non_null(net_neigh_lookup(&tab, GW));
	assert_hit(FAR, T0 + 300, mac_gw);
	/* The oldest of the others gave way. */
	assert_null(net_neigh_lookup(&tab, same[0]));
}

/*
 * The same while the gateway is being asked for: an on-link host with
 * three live entries in the gateway's window, and a SYN from a fourth
 * address of it, took the awaited gateway's slot, and the gateway's
 * answer was then refused as unsolicited (the gateway kept unresolved).
 */
static void
test_gateway_awaited_kept(void **state)
{
	struct net_neigh_params p = tab.p;
	uint32_t same[NET_NEIGH_PROBE];
	uint8_t got[NET_ETH_ALEN];

	(void)state;
	p.mask = 0xffff0000u;
	net_neigh_init(&tab, &p);
	fill_gateway_window(same, T0);
	/* Off-link traffic: the gateway is asked for. */
	assert_int_equal(resolve(FAR, T0 + 10, got), NET_NEIGH_ASK);
	/* The on-link host makes us resolve one more of the window. */
	resolve(same[NET_NEIGH_PROBE - 1], T0 + 11, got);
	assert_non_null(net_neigh_lookup(&tab, GW));
	assert_int_equal(net_neigh_input(&tab, NET_ARP_OP_REPLY, GW, mac_gw,
					 T0 + 12),
			 NET_NEIGH_LEARNED);
}

/*
 * A neighbour that comes back with another MAC, once its entry aged
 * out, is sent to at the new one; the off-link destination behind the
 * gateway keeps the gateway as its next hop, from the cache too.
 */
static void
test_cache_sees_new_mac(void **state)
{
	static const uint8_t mac_new[NET_ETH_ALEN] = { 2, 0, 0, 0, 0x0e, 2 };
	uint8_t mac[NET_ETH_ALEN];
	uint64_t t;
	uint32_t hop = 0;

	(void)state;
	learn(PEER, mac_peer, T0);
	assert_hit(PEER, T0 + 2, mac_peer);
	assert_hit(PEER, T0 + 3, mac_peer);
	t = T0 + 1 + MAX_AGE + PROBE;
	assert_int_equal(resolve(PEER, t, mac), NET_NEIGH_EXPIRED);
	assert_int_equal(net_neigh_input(&tab, NET_ARP_OP_REPLY, PEER, mac_new,
					 t + 1),
			 NET_NEIGH_LEARNED);
	assert_hit(PEER, t + 2, mac_new);
	assert_hit(PEER, t + 3, mac_new);
	learn_gateway(t);
	assert_int_equal(net_neigh_resolve(&tab, FAR, t + 20, mac, &hop),
			 NET_NEIGH_HIT);
	assert_int_equal(hop, GW);
	hop = 0;
	assert_int_equal(net_neigh_resolve(&tab, FAR, t + 21, mac, &hop),
			 NET_NEIGH_HIT);
	assert_int_equal(hop, GW);
	assert_memory_equal(mac, mac_gw, NET_ETH_ALEN);
	/* Past max_age_us the table, not the cache, answers: ask again. */
	assert_int_equal(resolve(FAR, t + 10 + MAX_AGE, mac),
			 NET_NEIGH_HIT_ASK);
}

/*
 * RFC 1122 2.3.2.2: packets for an unresolved address are held, and
 * released in their order when it resolves.
 */
static void
test_hold_release_in_order(void **state)
{
	unsigned int slot[3], out[NET_NEIGH_HOLD_ADDR], i;
	uint8_t mac[NET_ETH_ALEN];

	(void)state;
	assert_int_equal(resolve(PEER, T0, mac), NET_NEIGH_ASK);
	for (i = 0; i < 3; i++)
		assert_int_equal(net_neigh_hold(&tab, PEER, T0 + i, &slot[i]),
				 NET_NEIGH_HELD);
	assert_int_equal(net_neigh_hold(&tab, GW, T0, &i), NET_NEIGH_HELD);
	assert_int_equal(tab.n_held, 4);
	/* Nothing is released for an address nobody waits for. */
	assert_int_equal(net_neigh_release(&tab, FAR, out), 0);
	assert_int_equal(net_neigh_input(&tab, NET_ARP_OP_REPLY, PEER, mac_peer,
					 T0 + 10),
			 NET_NEIGH_LEARNED);
	assert_int_equal(net_neigh_release(&tab, PEER, out), 3);
	for (i = 0; i < 3; i++)
		assert_int_equal(out[i], slot[i]);
	assert_int_equal(tab.n_held, 1);
	assert_int_equal(net_neigh_release(&tab, PEER, out), 0);
}

/* The latest packets for an address are kept: the oldest gives way. */
static void
test_hold_per_address_bound(void **state)
{
	unsigned int slot[NET_NEIGH_HOLD_ADDR], s, out[NET_NEIGH_HOLD_ADDR];
	unsigned int i;

	(void)state;
	for (i = 0; i < NET_NEIGH_HOLD_ADDR; i++)
		assert_int_equal(net_neigh_hold(&tab, PEER, T0 + i, &slot[i]),
				 NET_NEIGH_HELD);
	assert_int_equal(net_neigh_hold(&tab, PEER, T0 + 10, &s),
			 NET_NEIGH_HELD_REPLACED);
	assert_int_equal(s, slot[0]);
	assert_int_equal(net_neigh_hold(&tab, PEER, T0 + 11, &s),
			 NET_NEIGH_HELD_REPLACED);
	assert_int_equal(s, slot[1]);
	assert_int_equal(tab.n_held, NET_NEIGH_HOLD_ADDR);
	/* Released in arrival order: slots 2, 3, then the replacements. */
	assert_int_equal(net_neigh_release(&tab, PEER, out),
			 NET_NEIGH_HOLD_ADDR);
	assert_int_equal(out[0], slot[2]);
	assert_int_equal(out[1], slot[3]);
	assert_int_equal(out[2], slot[0]);
	assert_int_equal(out[3], slot[1]);
	assert_int_equal(tab.n_held, 0);
}

/* The table holds at most NET_NEIGH_HOLD_MAX packets. */
static void
test_hold_table_bound(void **state)
{
	unsigned int i, s, full = 0;

	(void)state;
	for (i = 0; i < 2 * NET_NEIGH_HOLD_MAX; i++) {
		if (net_neigh_hold(&tab, 0xc6120010u + i, T0, &s) ==
		    NET_NEIGH_HOLD_FULL)
			full++;
		else
			assert_true(s < NET_NEIGH_HOLD_MAX);
	}
	assert_int_equal(full, NET_NEIGH_HOLD_MAX);
	assert_int_equal(tab.n_held, NET_NEIGH_HOLD_MAX);
}

/* Held packets whose resolution went unanswered expire after PROBE. */
static void
test_hold_expires(void **state)
{
	unsigned int a, b, out[NET_NEIGH_HOLD_MAX];

	(void)state;
	assert_int_equal(net_neigh_hold(&tab, PEER, T0, &a), NET_NEIGH_HELD);
	assert_int_equal(net_neigh_hold(&tab, GW, T0 + 500 * US_MS, &b),
			 NET_NEIGH_HELD);
	assert_int_equal(net_neigh_expire(&tab, T0 + PROBE - 1, out), 0);
	assert_int_equal(net_neigh_expire(&tab, T0 + PROBE, out), 1);
	assert_int_equal(out[0], a);
	assert_int_equal(tab.n_held, 1);
	assert_int_equal(net_neigh_expire(&tab, T0 + 500 * US_MS + PROBE, out),
			 1);
	assert_int_equal(out[0], b);
	assert_int_equal(tab.n_held, 0);
	/* A freed slot is used again. */
	assert_int_equal(net_neigh_hold(&tab, PEER, T0 + 2 * PROBE, &a),
			 NET_NEIGH_HELD);
	assert_int_equal(tab.n_held, 1);
}

/*
 * net_neigh_cached() hands out the cached MAC exactly when
 * net_neigh_resolve() would copy it out as a hit: same address (or,
 * test_cache_serves_off_link, the same gateway), the table unchanged
 * since, the entry not past its age.
 */
static void
test_cached_is_resolve_hit(void **state)
{
	uint8_t mac[NET_ETH_ALEN];
	const uint8_t *hit;
	uint32_t hop;

	(void)state;
	assert_null(net_neigh_cached(&tab, FAR, T0));
	learn_gateway(T0);
	hit = net_neigh_cached(&tab, FAR, T0 + 20);
	assert_non_null(hit);
	assert_memory_equal(hit, mac_gw, NET_ETH_ALEN);
	/* Another destination: a full resolution tells. */
	assert_null(net_neigh_cached(&tab, PEER, T0 + 20));
	/* Past its age: no longer a hit. */
	assert_non_null(net_neigh_cached(&tab, FAR, T0 + 10 + MAX_AGE - 1));
	assert_null(net_neigh_cached(&tab, FAR, T0 + 10 + MAX_AGE));
	/* A change to the table: resolve again before the next hit. */
	assert_int_equal(resolve(PEER, T0 + 30, mac), NET_NEIGH_ASK);
	assert_null(net_neigh_cached(&tab, FAR, T0 + 30));
	assert_int_equal(net_neigh_resolve(&tab, FAR, T0 + 40, mac, &hop),
			 NET_NEIGH_HIT);
	hit = net_neigh_cached(&tab, FAR, T0 + 40);
	assert_non_null(hit);
	assert_memory_equal(hit, mac, NET_ETH_ALEN);
}

/*
 * RFC 5227 2.4 (c): our address is defended at once, then at most once
 * per DEFEND_INTERVAL (10 s) however many conflicting frames come; the
 * first conflict is defended whatever the clock reads.
 */
static void
test_defend_rate(void **state)
{
	uint64_t t = 0;
	unsigned int i, n = 0;

	(void)state;
	assert_true(net_neigh_defend(&tab, t));
	/* A flood of conflicts over 25 s: two more defences, at 10, 20. */
	for (i = 1; i <= 2500; i++)
		n += net_neigh_defend(&tab, t + i * 10 * US_MS);
	assert_int_equal(n, 2);
	assert_false(net_neigh_defend(&tab, t + 29999 * US_MS));
	assert_true(net_neigh_defend(&tab, t + 30000 * US_MS));
	/* Another table (port or worker) keeps its own. */
	setup(NULL);
	assert_true(net_neigh_defend(&tab, T0 + 30000 * US_MS));
}

/*
 * An on-link host on a /16 picks addresses that an unkeyed hash puts
 * in the window of a live entry (a client's, PEER), makes three of them
 * confirmed entries (SYNs from them, whose ARP requests it answers) and
 * has the fourth resolved: with the window full of confirmed entries,
 * the oldest, the client's, would give way. The table's secret puts the
 * crafted addresses elsewhere: the client is kept.
 */
static void
test_crafted_window(void **state)
{
	struct net_neigh_params p = tab.p;
	uint32_t crafted[NET_NEIGH_PROBE], a;
	uint8_t mac[NET_ETH_ALEN] = { 2, 0, 0, 0, 0x77, 0 };
	unsigned int n = 0, i;

	(void)state;
	p.mask = 0xffff0000u;
	net_neigh_init(&tab, &p);
	learn(PEER, mac_peer, T0);
	for (a = OURS + 0x100; n < NET_NEIGH_PROBE; a++)
		if (unkeyed_hash(a) == unkeyed_hash(PEER))
			crafted[n++] = a;
	for (i = 0; i + 1 < NET_NEIGH_PROBE; i++) {
		mac[5] = (uint8_t)i;
		learn(crafted[i], mac, T0 + 100 + 10 * i);
	}
	assert_int_equal(resolve(crafted[NET_NEIGH_PROBE - 1], T0 + 200, mac),
			 NET_NEIGH_ASK);
	assert_hit(PEER, T0 + 300, mac_peer);
}

/* The secret decides the slots: another secret, other slots. */
static void
test_secret_keys_slots(void **state)
{
	static struct net_neigh other;
	struct net_neigh_params p = tab.p;
	unsigned int i, moved = 0;

	(void)state;
	p.secret[0] ^= 1;
	net_neigh_init(&other, &p);
	for (i = 0; i < 16; i++) {
		assert_true(neigh_hash(PEER + i) < NET_NEIGH_SIZE);
		moved += net_neigh_slot_of(&other, PEER + i) !=
			neigh_hash(PEER + i);
	}
	assert_true(moved > 8);
}

/* Secrets drawn for two tables differ (and are not all zero). */
static uint64_t
no_fallback(void)
{
	fail_msg("getrandom(2) failed");
	return 0;
}

static void
test_secret_drawn(void **state)
{
	static const uint8_t zero[NET_NEIGH_SECRET_LEN];
	uint8_t a[NET_NEIGH_SECRET_LEN], b[NET_NEIGH_SECRET_LEN];

	(void)state;
	net_neigh_secret(a, no_fallback);
	net_neigh_secret(b, no_fallback);
	assert_memory_not_equal(a, zero, sizeof(a));
	assert_memory_not_equal(a, b, sizeof(a));
}

/*
 * RFC 4861 7.3.1 (and Linux's ARP, which makes a requesting neighbour
 * STALE, not REACHABLE): a neighbour's own request shows that it can
 * send to us, not that it receives what we send. A request from a known
 * neighbour, the same MAC, restarts nothing; a neighbour that keeps
 * asking is asked in turn when its entry ages, and its answer confirms
 * it, once per max age (no more).
 */
static void
test_request_confirms_nothing(void **state)
{
	uint8_t mac[NET_ETH_ALEN];
	uint64_t t;

	(void)state;
	assert_int_equal(net_neigh_input(&tab, NET_ARP_OP_REQUEST, PEER,
					 mac_peer, T0),
			 NET_NEIGH_LEARNED);
	assert_int_equal(net_neigh_lookup(&tab, PEER)->state, NET_NEIGH_STALE);
	assert_hit(PEER, T0 + 1, mac_peer);
	assert_int_equal(net_neigh_input(&tab, NET_ARP_OP_REQUEST, PEER,
					 mac_peer, T0 + MAX_AGE - 1),
			 NET_NEIGH_KNOWN);
	/* Still used while it is asked for, by its age since learned. */
	assert_int_equal(resolve(PEER, T0 + MAX_AGE, mac), NET_NEIGH_HIT_ASK);
	assert_memory_equal(mac, mac_peer, NET_ETH_ALEN);
	assert_int_equal(net_neigh_input(&tab, NET_ARP_OP_REPLY, PEER, mac_peer,
					 T0 + MAX_AGE + 1),
			 NET_NEIGH_CONFIRMED);
	assert_int_equal(net_neigh_lookup(&tab, PEER)->state,
			 NET_NEIGH_RESOLVED);
	/* Confirmed: its requests change nothing, no question till aged. */
	t = T0 + MAX_AGE + 1;
	assert_int_equal(net_neigh_input(&tab, NET_ARP_OP_REQUEST, PEER,
					 mac_peer, t + 10),
			 NET_NEIGH_KNOWN);
	assert_hit(PEER, t + MAX_AGE - 1, mac_peer);
	assert_int_equal(resolve(PEER, t + MAX_AGE, mac), NET_NEIGH_HIT_ASK);
	/* Requests alone do not keep it: unanswered, it is forgotten. */
	assert_int_equal(net_neigh_input(&tab, NET_ARP_OP_REQUEST, PEER,
					 mac_peer, t + MAX_AGE + PROBE - 1),
			 NET_NEIGH_KNOWN);
	assert_int_equal(resolve(PEER, t + MAX_AGE + PROBE, mac),
			 NET_NEIGH_EXPIRED);
}

/*
 * An on-link host with live entries in a client's window (requests
 * from addresses of it) keeps asking, as if each request confirmed its
 * entries, then has us resolve one more address of the window (a SYN
 * from it). The client's entry, confirmed by its answer, must not give
 * way to entries that only asked: those go first.
 */
static void
test_requests_steer_no_eviction(void **state)
{
	struct net_neigh_params p = tab.p;
	uint32_t same[NET_NEIGH_PROBE + 1], a;
	uint8_t mac[NET_ETH_ALEN] = { 2, 0, 0, 0, 0x77, 0 };
	unsigned int n = 0, i;
	uint64_t t;

	(void)state;
	p.mask = 0xffff0000u;
	net_neigh_init(&tab, &p);
	for (a = OURS + 1; n <= NET_NEIGH_PROBE; a++)
		if (a != GW && neigh_hash(a) == neigh_hash(PEER))
			same[n++] = a;
	learn(same[0], mac_peer, T0);
	for (i = 1; i < NET_NEIGH_PROBE; i++) {
		mac[5] = (uint8_t)i;
		assert_int_equal(net_neigh_input(&tab, NET_ARP_OP_REQUEST,
						 same[i], mac, T0 + 10 + i),
				 NET_NEIGH_LEARNED);
	}
	for (t = T0 + 1000; t < T0 + MAX_AGE / 2; t += MAX_AGE / 8)
		for (i = 1; i < NET_NEIGH_PROBE; i++) {
			mac[5] = (uint8_t)i;
			net_neigh_input(&tab, NET_ARP_OP_REQUEST, same[i], mac,
					t + i);
		}
	assert_int_equal(resolve(same[NET_NEIGH_PROBE], t, mac),
			 NET_NEIGH_EVICTED);
	assert_hit(same[0], t + 1, mac_peer);
	assert_null(net_neigh_lookup(&tab, same[1]));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_unsolicited_reply, setup),
		cmocka_unit_test_setup(test_gateway_not_overwritten, setup),
		cmocka_unit_test_setup(test_request_senders, setup),
		cmocka_unit_test_setup(test_entry_ages, setup),
		cmocka_unit_test_setup(test_rate_limit_and_route, setup),
		cmocka_unit_test_setup(test_asked_elsewhere, setup),
		cmocka_unit_test_setup(test_flood_keeps_live, setup),
		cmocka_unit_test_setup(test_cache_sees_eviction, setup),
		cmocka_unit_test_setup(test_cache_serves_off_link, setup),
		cmocka_unit_test_setup(test_gateway_kept_over_live, setup),
		cmocka_unit_test_setup(test_gateway_awaited_kept, setup),
		cmocka_unit_test_setup(test_cache_sees_new_mac, setup),
		cmocka_unit_test_setup(test_hold_release_in_order, setup),
		cmocka_unit_test_setup(test_hold_per_address_bound, setup),
		cmocka_unit_test_setup(test_hold_table_bound, setup),
		cmocka_unit_test_setup(test_hold_expires, setup),
		cmocka_unit_test_setup(test_unasked, setup),
		cmocka_unit_test_setup(test_unasked_after_unanswered, setup),
		cmocka_unit_test_setup(test_cached_is_resolve_hit, setup),
		cmocka_unit_test_setup(test_defend_rate, setup),
		cmocka_unit_test_setup(test_crafted_window, setup),
		cmocka_unit_test_setup(test_secret_keys_slots, setup),
		cmocka_unit_test_setup(test_secret_drawn, setup),
		cmocka_unit_test_setup(test_request_confirms_nothing, setup),
		cmocka_unit_test_setup(test_requests_steer_no_eviction, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
