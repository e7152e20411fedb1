/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests for the receive-side scaling hash in lib/net: Microsoft's
 * published RSS verification vectors (IPv4 and IPv6, with and without
 * ports), the
 * symmetric key, the table-driven path against the bitwise one (and
 * against DPDK's rte_softrss() when its headers are available), and the
 * owner of a flow through the redirection table.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "net.h"

#if defined(__has_include)
#if __has_include(<rte_thash.h>)
#include <rte_thash.h>
#define TT_HAVE_SOFTRSS 1
#endif
#endif

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define IP4(a, b, c, d) \
	(((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | ((c) << 8) | (d))

/* Microsoft's "Verifying the RSS Hash Calculation", IPv4 table. */
/* clang-format off */
static const struct {
	uint32_t saddr, daddr;
	uint16_t sport, dport;
	uint32_t hash_ip;
	uint32_t hash_tcp;
} ms_v4[] = {
	{ IP4(66, 9, 149, 187), IP4(161, 142, 100, 80), 2794, 1766,
	  0x323e8fc2, 0x51ccc178 },
	{ IP4(199, 92, 111, 2), IP4(65, 69, 140, 83), 14230, 4739,
	  0xd718262a, 0xc626b0ea },
	{ IP4(24, 19, 198, 95), IP4(12, 22, 207, 184), 12898, 38024,
	  0xd2d0a5de, 0x5c2b394a },
	{ IP4(38, 27, 205, 30), IP4(209, 142, 163, 6), 48228, 2217,
	  0x82989176, 0xafc7327f },
	{ IP4(153, 39, 163, 191), IP4(202, 188, 127, 2), 44251, 1303,
	  0x5d1809c5, 0x10e828a2 },
};
/* clang-format on */

static void
test_ms_vectors_ipv4(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(ms_v4); i++)
		assert_int_equal(net_rss_ipv4(net_rss_key_microsoft,
					      ms_v4[i].saddr, ms_v4[i].daddr),
				 ms_v4[i].hash_ip);
}

static void
test_ms_vectors_tcp4(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(ms_v4); i++)
		assert_int_equal(net_rss_tcp4(net_rss_key_microsoft,
					      ms_v4[i].saddr, ms_v4[i].daddr,
					      ms_v4[i].sport, ms_v4[i].dport),
				 ms_v4[i].hash_tcp);
}

static void
test_ms_vectors_table(void **state)
{
	struct net_rss_tab *tab = malloc(sizeof(*tab));
	size_t i;

	(void)state;
	assert_non_null(tab);
	net_rss_tab_init(tab, net_rss_key_microsoft);
	for (i = 0; i < ARRAY_SIZE(ms_v4); i++)
		assert_int_equal(net_rss_tab_tcp4(tab, ms_v4[i].saddr,
						  ms_v4[i].daddr,
						  ms_v4[i].sport,
						  ms_v4[i].dport),
				 ms_v4[i].hash_tcp);
	free(tab);
}

static void
test_toeplitz_short_key(void **state)
{
	uint8_t data[NET_RSS_TUPLE_LEN] = { 1 };

	(void)state;
	/* The key must be 4 bytes longer than the input. */
	assert_int_equal(net_toeplitz(net_rss_key_microsoft, 15, data, 12), 0);
	assert_int_not_equal(net_toeplitz(net_rss_key_microsoft, 16, data, 12),
			     0);
}

/* A small deterministic generator for random tuples. */
static uint32_t
xorshift(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static void
test_symmetric_both_directions(void **state)
{
	uint32_t seed = 12345, sa, da, i;
	uint16_t sp, dp;
	int differ = 0;

	(void)state;
	for (i = 0; i < 10000; i++) {
		sa = xorshift(&seed);
		da = xorshift(&seed);
		sp = (uint16_t)xorshift(&seed);
		dp = (uint16_t)xorshift(&seed);
		assert_int_equal(net_rss_tcp4(net_rss_key_symmetric, sa, da, sp,
					      dp),
				 net_rss_tcp4(net_rss_key_symmetric, da, sa, dp,
					      sp));
		/* The Microsoft key is not symmetric: the test can fail. */
		differ += net_rss_tcp4(net_rss_key_microsoft, sa, da, sp, dp) !=
			net_rss_tcp4(net_rss_key_microsoft, da, sa, dp, sp);
	}
	assert_true(differ > 9000);
}

static void
test_table_matches_bitwise(void **state)
{
	const uint8_t *keys[] = { net_rss_key_symmetric,
				  net_rss_key_microsoft };
	struct net_rss_tab *tab = malloc(sizeof(*tab));
	uint32_t seed = 777, sa, da, i, k;
	uint16_t sp, dp;

	(void)state;
	assert_non_null(tab);
	for (k = 0; k < ARRAY_SIZE(keys); k++) {
		net_rss_tab_init(tab, keys[k]);
		for (i = 0; i < 20000; i++) {
			sa = xorshift(&seed);
			da = xorshift(&seed);
			sp = (uint16_t)xorshift(&seed);
			dp = (uint16_t)xorshift(&seed);
			assert_int_equal(net_rss_tab_tcp4(tab, sa, da, sp, dp),
					 net_rss_tcp4(keys[k], sa, da, sp, dp));
		}
	}
	free(tab);
}

static void
test_reta_fill(void **state)
{
	uint16_t reta[128];
	unsigned int counts[3] = { 0 };
	uint32_t i;

	(void)state;
	assert_int_equal(net_rss_reta_fill(reta, 100, 2), -1);
	assert_int_equal(net_rss_reta_fill(reta, 128, 0), -1);
	assert_int_equal(net_rss_reta_fill(reta, 128, 3), 0);
	for (i = 0; i < 128; i++) {
		assert_true(reta[i] < 3);
		counts[reta[i]]++;
	}
	assert_int_equal(counts[0], 43);
	assert_int_equal(counts[1], 43);
	assert_int_equal(counts[2], 42);
	assert_int_equal(net_rss_owner(reta, 128, 128 + 4), reta[4]);
}

/*
 * Ownership: a flow's owner is the same whichever way the hash is
 * computed (bitwise, table, DPDK's rte_softrss()) and whichever direction
 * the packet travels; and flows spread over every worker.
 */
static void
test_owner_same_across_paths(void **state)
{
	struct net_rss_tab *tab = malloc(sizeof(*tab));
	const unsigned int n_workers = 4;
	unsigned int counts[4] = { 0 };
	uint16_t reta[512];
	uint32_t seed = 4242, i, h;
	uint32_t sa, da = IP4(198, 18, 0, 1);
	uint16_t sp, dp = 80;

	(void)state;
	assert_non_null(tab);
	net_rss_tab_init(tab, net_rss_key_symmetric);
	assert_int_equal(net_rss_reta_fill(reta, 512, n_workers), 0);
	for (i = 0; i < 20000; i++) {
		sa = IP4(198, 18, 0, 2) + (xorshift(&seed) & 0xff);
		sp = (uint16_t)(1024 + (xorshift(&seed) % 60000));
		h = net_rss_tcp4(net_rss_key_symmetric, sa, da, sp, dp);
		assert_int_equal(net_rss_tab_tcp4(tab, sa, da, sp, dp), h);
		assert_int_equal(net_rss_tab_tcp4(tab, da, sa, dp, sp), h);
#ifdef TT_HAVE_SOFTRSS
		{
			uint32_t tuple[3] = { sa, da,
					      ((uint32_t)sp << 16) | dp };

			assert_int_equal(rte_softrss(tuple, 3,
						     net_rss_key_symmetric),
					 h);
		}
#endif
		counts[net_rss_owner(reta, 512, h)]++;
	}
	for (i = 0; i < n_workers; i++)
		assert_true(counts[i] > 20000 / n_workers / 2);
	free(tab);
}

/* Ether / IP / TCP 198.18.0.2:40000 > 198.18.0.1:80 S (from Scapy). */
static const uint8_t v_syn[] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00,
	0x02, 0x08, 0x00, 0x45, 0x00, 0x00, 0x3c, 0x12, 0x34, 0x40, 0x00,
	0x40, 0x06, 0x9c, 0x60, 0xc6, 0x12, 0x00, 0x02, 0xc6, 0x12, 0x00,
	0x01, 0x9c, 0x40, 0x00, 0x50, 0xde, 0xad, 0xbe, 0xef, 0x00, 0x00,
	0x00, 0x00, 0xa0, 0x02, 0xfa, 0xf0, 0xb2, 0x48, 0x00, 0x00, 0x02,
	0x04, 0x05, 0xb4, 0x04, 0x02, 0x08, 0x0a, 0x07, 0x5b, 0xcd, 0x15,
	0x00, 0x00, 0x00, 0x00, 0x01, 0x03, 0x03, 0x07,
};

static void
test_peek_tcp4(void **state)
{
	/* Byte to change (or -1), its value, frame length, expected. */
	static const struct {
		int off;
		uint8_t val;
		uint32_t len;
		int want;
	} cases[] = {
		{ -1, 0, sizeof(v_syn), 0 },
		{ -1, 0, 14 + 20 + 4, 0 },	 /* just the ports */
		{ -1, 0, 14 + 20 + 3, -1 },	 /* a port cut */
		{ -1, 0, 14 + 19, -1 },		 /* IPv4 header cut */
		{ 12, 0x81, sizeof(v_syn), -1 }, /* VLAN: full parse */
		{ 13, 0x06, sizeof(v_syn), -1 }, /* ARP */
		{ 14, 0x65, sizeof(v_syn), -1 }, /* IPv6 version */
		{ 14, 0x44, sizeof(v_syn), -1 }, /* IHL 4 */
		{ 23, 0x01, sizeof(v_syn), -1 }, /* ICMP */
		{ 20, 0x60, sizeof(v_syn), -1 }, /* DF + MF */
		{ 21, 0x01, sizeof(v_syn), -1 }, /* fragment offset */
		{ 20, 0x40, sizeof(v_syn), 0 },	 /* DF alone is fine */
		{ 14, 0x46, 14 + 24 + 3, -1 },	 /* options push ports out */
	};
	struct net_rss_tuple t;
	uint8_t f[sizeof(v_syn)];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		memcpy(f, v_syn, sizeof(f));
		if (cases[i].off >= 0)
			f[cases[i].off] = cases[i].val;
		memset(&t, 0, sizeof(t));
		assert_int_equal(net_rss_peek_tcp4(f, cases[i].len, &t),
				 cases[i].want);
		if (cases[i].want != 0)
			continue;
		assert_int_equal(t.saddr, IP4(198, 18, 0, 2));
		assert_int_equal(t.daddr, IP4(198, 18, 0, 1));
		assert_int_equal(t.sport, 40000);
		assert_int_equal(t.dport, 80);
	}
}

/*
 * Microsoft's "Verifying the RSS Hash Calculation", IPv6 table: the
 * source and destination address and port, the hash over the addresses
 * alone and over the 4-tuple, with the key net_rss_key_microsoft.
 */
/* clang-format off */
static const struct {
	const char *saddr, *daddr;
	uint16_t sport, dport;
	uint32_t hash_ip;
	uint32_t hash_tcp;
} ms_v6[] = {
	{ "3ffe:2501:200:1fff::7", "3ffe:2501:200:3::1", 2794, 1766,
	  0x2cc18cd5, 0x40207d3d },
	{ "3ffe:501:8::260:97ff:fe40:efab", "ff02::1", 14230, 4739,
	  0x0f0c461c, 0xdde51bbf },
	{ "3ffe:1900:4545:3:200:f8ff:fe21:67cf", "fe80::200:f8ff:fe21:67cf",
	  44251, 38024, 0x4b61e985, 0x02d1feef },
};
/* clang-format on */

#ifdef TT_HAVE_SOFTRSS
/* rte_softrss() wants the tuple as host-order 32-bit words. */
static uint32_t
softrss6(const uint8_t *key, const uint8_t *s, const uint8_t *d, uint16_t sp,
	 uint16_t dp)
{
	uint32_t w[9], i;

	for (i = 0; i < 4; i++) {
		w[i] = (uint32_t)s[4 * i] << 24 | (uint32_t)s[4 * i + 1] << 16 |
			(uint32_t)s[4 * i + 2] << 8 | s[4 * i + 3];
		w[4 + i] = (uint32_t)d[4 * i] << 24 |
			(uint32_t)d[4 * i + 1] << 16 |
			(uint32_t)d[4 * i + 2] << 8 | d[4 * i + 3];
	}
	w[8] = (uint32_t)sp << 16 | dp;
	return rte_softrss(w, 9, key);
}
#endif

static void
test_ms_vectors_ipv6(void **state)
{
	struct net_rss_tab6 *tab = malloc(sizeof(*tab));
	uint8_t s[16], d[16];
	size_t i;

	(void)state;
	assert_non_null(tab);
	net_rss_tab6_init(tab, net_rss_key_microsoft);
	for (i = 0; i < ARRAY_SIZE(ms_v6); i++) {
		assert_int_equal(net_ipv6_parse(ms_v6[i].saddr, s), 0);
		assert_int_equal(net_ipv6_parse(ms_v6[i].daddr, d), 0);
		assert_int_equal(net_rss_ipv6(net_rss_key_microsoft, s, d),
				 ms_v6[i].hash_ip);
		assert_int_equal(net_rss_tcp6(net_rss_key_microsoft, s, d,
					      ms_v6[i].sport, ms_v6[i].dport),
				 ms_v6[i].hash_tcp);
		assert_int_equal(net_rss_tab_tcp6(tab, s, d, ms_v6[i].sport,
						  ms_v6[i].dport),
				 ms_v6[i].hash_tcp);
#ifdef TT_HAVE_SOFTRSS
		assert_int_equal(softrss6(net_rss_key_microsoft, s, d,
					  ms_v6[i].sport, ms_v6[i].dport),
				 ms_v6[i].hash_tcp);
#endif
	}
	free(tab);
}

/* The symmetric key: one owner for both directions of an IPv6 flow. */
static void
test_symmetric_ipv6(void **state)
{
	struct net_rss_tab6 *tab = malloc(sizeof(*tab));
	uint8_t s[16], d[16];
	uint32_t seed = 99, i, j, h;
	uint16_t sp, dp = 443;

	(void)state;
	assert_non_null(tab);
	net_rss_tab6_init(tab, net_rss_key_symmetric);
	assert_int_equal(net_ipv6_parse("2001:db8::1", d), 0);
	for (i = 0; i < 2000; i++) {
		for (j = 0; j < 16; j++)
			s[j] = (uint8_t)xorshift(&seed);
		sp = (uint16_t)xorshift(&seed);
		h = net_rss_tcp6(net_rss_key_symmetric, s, d, sp, dp);
		assert_int_equal(net_rss_tcp6(net_rss_key_symmetric, d, s, dp,
					      sp),
				 h);
		assert_int_equal(net_rss_tab_tcp6(tab, s, d, sp, dp), h);
		assert_int_equal(net_rss_tab_tcp6(tab, d, s, dp, sp), h);
#ifdef TT_HAVE_SOFTRSS
		assert_int_equal(softrss6(net_rss_key_symmetric, s, d, sp, dp),
				 h);
#endif
	}
	free(tab);
}

/* Ether / IPv6 / TCP 2001:db8::2:40000 > 2001:db8::1:80 S (Scapy). */
static const uint8_t v6_syn[] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00,
	0x02, 0x86, 0xdd, 0x60, 0x00, 0x00, 0x00, 0x00, 0x14, 0x06, 0x40,
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x02, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x9c,
	0x40, 0x00, 0x50, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x50, 0x02, 0x20, 0x00, 0x97, 0xdd, 0x00, 0x00,
};

static void
test_peek_tcp6(void **state)
{
	static const struct {
		int off;
		uint8_t val;
		uint32_t len;
		int want;
	} cases[] = {
		{ -1, 0, sizeof(v6_syn), 0 },
		{ -1, 0, 14 + 40 + 4, 0 },	  /* just the ports */
		{ -1, 0, 14 + 40 + 3, -1 },	  /* a port cut */
		{ 12, 0x81, sizeof(v6_syn), -1 }, /* VLAN: full parse */
		{ 13, 0x00, sizeof(v6_syn), -1 }, /* not 0x86dd */
		{ 14, 0x40, sizeof(v6_syn), -1 }, /* version 4 */
		{ 20, 0x00, sizeof(v6_syn), -1 }, /* Hop-by-Hop first */
		{ 20, 0x2c, sizeof(v6_syn), -1 }, /* a fragment */
		{ 20, 0x3a, sizeof(v6_syn), -1 }, /* ICMPv6 */
	};
	struct net_rss_tuple6 t;
	uint8_t f[sizeof(v6_syn)], a[16];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		memcpy(f, v6_syn, sizeof(f));
		if (cases[i].off >= 0)
			f[cases[i].off] = cases[i].val;
		memset(&t, 0, sizeof(t));
		assert_int_equal(net_rss_peek_tcp6(f, cases[i].len, &t),
				 cases[i].want);
		if (cases[i].want != 0)
			continue;
		assert_int_equal(net_ipv6_parse("2001:db8::2", a), 0);
		assert_memory_equal(t.saddr, a, 16);
		assert_ptr_equal(t.saddr, f + 22);
		assert_ptr_equal(t.daddr, f + 38);
		assert_int_equal(t.sport, 40000);
		assert_int_equal(t.dport, 80);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ms_vectors_ipv4),
		cmocka_unit_test(test_ms_vectors_tcp4),
		cmocka_unit_test(test_ms_vectors_table),
		cmocka_unit_test(test_toeplitz_short_key),
		cmocka_unit_test(test_symmetric_both_directions),
		cmocka_unit_test(test_table_matches_bitwise),
		cmocka_unit_test(test_reta_fill),
		cmocka_unit_test(test_owner_same_across_paths),
		cmocka_unit_test(test_peek_tcp4),
		cmocka_unit_test(test_ms_vectors_ipv6),
		cmocka_unit_test(test_symmetric_ipv6),
		cmocka_unit_test(test_peek_tcp6),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
