/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of tcpterm-gen's addresses (app/tcpterm-gen/gen_addr.c):
 * source ranges and targets of both families, and Neighbor Discovery
 * for the source range (RFC 4861 7.2.3, 7.2.4).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "gen_addr.h"

static const uint8_t mac_gen[NET_ETH_ALEN] = { 2, 0, 0, 0, 0, 2 };
static const uint8_t mac_tt[NET_ETH_ALEN] = { 2, 0, 0, 0, 0, 1 };

static void
addr6(const char *s, uint8_t *a)
{
	assert_int_equal(net_ipv6_parse(s, a), 0);
}

/* One line per case: a --src value, whether it parses, the range. */
static const struct {
	const char *s;
	int ret;
	uint8_t family;
	uint32_t lo, hi;
} range_rows[] = {
	{ "198.18.20.2-198.18.20.17", 0, NET_FAMILY_IPV4, 0xc6121402,
	  0xc6121411 },
	{ "198.18.20.2", 0, NET_FAMILY_IPV4, 0xc6121402, 0xc6121402 },
	{ "2001:db8:1::2-2001:db8:1::41", 0, NET_FAMILY_IPV6, 2, 0x41 },
	{ "2001:db8:1::1:0-2001:db8:1::2:ffff", 0, NET_FAMILY_IPV6, 0x10000,
	  0x2ffff },
	{ "2001:db8:1::7", 0, NET_FAMILY_IPV6, 7, 7 },
	/* Reversed, mixed families, another /96, junk. */
	{ "198.18.20.17-198.18.20.2", -1, 0, 0, 0 },
	{ "2001:db8:1::41-2001:db8:1::2", -1, 0, 0, 0 },
	{ "198.18.20.2-2001:db8:1::41", -1, 0, 0, 0 },
	{ "2001:db8:1::2-198.18.20.2", -1, 0, 0, 0 },
	{ "2001:db8:1::2-2001:db8:2::41", -1, 0, 0, 0 },
	{ "2001:db8:1::2-", -1, 0, 0, 0 },
	{ "", -1, 0, 0, 0 },
	{ "fe80::1%eth0", -1, 0, 0, 0 },
};

static void
test_range(void **state)
{
	struct gen_addr a;
	uint32_t lo, hi;
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(range_rows) / sizeof(range_rows[0]); i++) {
		int ret = gen_range_parse(range_rows[i].s, &a, &lo, &hi);

		print_message("%s\n", range_rows[i].s);
		assert_int_equal(ret, range_rows[i].ret);
		if (ret != 0)
			continue;
		assert_int_equal(a.family, range_rows[i].family);
		assert_int_equal(lo, range_rows[i].lo);
		assert_int_equal(hi, range_rows[i].hi);
	}
}

/* One line per case: a --dst value, whether it parses, the port. */
static const struct {
	const char *s;
	int ret;
	uint8_t family;
	uint16_t port;
} dst_rows[] = {
	{ "198.18.20.1:80", 0, NET_FAMILY_IPV4, 80 },
	{ "[2001:db8:20::1]:80", 0, NET_FAMILY_IPV6, 80 },
	{ "[2001:db8:20::1]:65535", 0, NET_FAMILY_IPV6, 65535 },
	/* An IPv6 literal needs its brackets, and only it may have them. */
	{ "2001:db8:20::1:80", -1, 0, 0 },
	{ "[198.18.20.1]:80", -1, 0, 0 },
	{ "[2001:db8:20::1]80", -1, 0, 0 },
	{ "[2001:db8:20::1", -1, 0, 0 },
	{ "198.18.20.1", -1, 0, 0 },
	{ "198.18.20.1:0", -1, 0, 0 },
	{ "198.18.20.1:65536", -1, 0, 0 },
	{ "198.18.20.1:80x", -1, 0, 0 },
	{ "198.18.20.1:-80", -1, 0, 0 },
	{ "[2001:db8:20::1]:", -1, 0, 0 },
};

static void
test_dst(void **state)
{
	struct gen_addr a;
	uint16_t port;
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(dst_rows) / sizeof(dst_rows[0]); i++) {
		int ret = gen_dst_parse(dst_rows[i].s, &a, &port);

		print_message("%s\n", dst_rows[i].s);
		assert_int_equal(ret, dst_rows[i].ret);
		if (ret != 0)
			continue;
		assert_int_equal(a.family, dst_rows[i].family);
		assert_int_equal(port, dst_rows[i].port);
	}
}

/* The low 32 bits make the address and come back from it. */
static void
test_addr6_make_in(void **state)
{
	uint8_t base[16], a[16], want[16];
	uint32_t low;

	(void)state;
	addr6("2001:db8:1::2", base);
	gen_addr6_make(base, 0x41, a);
	addr6("2001:db8:1::41", want);
	assert_memory_equal(a, want, 16);
	assert_true(gen_addr6_in(base, 2, 0x41, a, &low));
	assert_int_equal(low, 0x41);
	gen_addr6_make(base, 0x12345678, a);
	addr6("2001:db8:1::1234:5678", want);
	assert_memory_equal(a, want, 16);
	assert_false(gen_addr6_in(base, 2, 0x41, a, &low));
	/* Another prefix with the same low bits is not ours. */
	addr6("2001:db8:2::5", a);
	assert_false(gen_addr6_in(base, 2, 0x41, a, &low));
}

/*
 * RFC 4861 7.2.4: a solicitation from the target for one of the sources
 * (multicast to its solicited-node address, or unicast) is answered
 * with an advertisement for it carrying the generator's MAC; one for an
 * address outside the range is not.
 */
static void
nd_case(const char *target_s, bool multicast, bool answered)
{
	uint8_t base[16], tt[16], target[16], ns[128], na[128];
	struct net_frame f, g;
	uint32_t len, n;

	addr6("2001:db8:1::2", base);
	addr6("2001:db8:1::1", tt);
	addr6(target_s, target);
	len = net_build_ns(ns, sizeof(ns), 0, mac_tt,
			   multicast ? NULL : mac_gen, tt, target);
	assert_int_not_equal(len, 0);
	assert_int_equal(net_parse(ns, len, NET_CSUM_UNKNOWN, NET_CSUM_UNKNOWN,
				   &f),
			 NET_DROP_NONE);
	assert_int_equal(f.kind, NET_KIND_ND_NS);
	n = gen_nd_answer(ns, &f, base, 2, 0x41, mac_gen, na, sizeof(na));
	if (!answered) {
		assert_int_equal(n, 0);
		return;
	}
	assert_int_not_equal(n, 0);
	assert_int_equal(net_parse(na, n, NET_CSUM_UNKNOWN, NET_CSUM_UNKNOWN,
				   &g),
			 NET_DROP_NONE);
	assert_int_equal(g.kind, NET_KIND_ND_NA);
	assert_memory_equal(na + g.nd_target_off, target, 16);
	assert_memory_equal(g.seg.daddr6, tt, 16);
	assert_memory_equal(g.dst_mac, mac_tt, NET_ETH_ALEN);
	assert_memory_equal(g.src_mac, mac_gen, NET_ETH_ALEN);
	assert_int_not_equal(g.nd_lladdr_off, 0);
	assert_memory_equal(na + g.nd_lladdr_off, mac_gen, NET_ETH_ALEN);
	assert_true(g.nd_flags & NET_ND_SOLICITED);
}

static void
test_nd_answer(void **state)
{
	(void)state;
	nd_case("2001:db8:1::2", true, true);
	nd_case("2001:db8:1::41", true, true);
	nd_case("2001:db8:1::20", false, true);
	nd_case("2001:db8:1::42", true, false);
	nd_case("2001:db8:1::1", true, false);
	nd_case("2001:db8:2::5", true, false);
}

/* An advertisement is not a solicitation: nothing to answer. */
static void
test_nd_answer_not_ns(void **state)
{
	uint8_t base[16], tt[16], src[16], na[128], out[128];
	struct net_frame f;
	uint32_t len;

	(void)state;
	addr6("2001:db8:1::2", base);
	addr6("2001:db8:1::1", tt);
	addr6("2001:db8:1::5", src);
	len = net_build_na(na, sizeof(na), 0, mac_tt, mac_gen, tt, src, src,
			   NET_ND_SOLICITED);
	assert_int_equal(net_parse(na, len, NET_CSUM_UNKNOWN, NET_CSUM_UNKNOWN,
				   &f),
			 NET_DROP_NONE);
	assert_int_equal(gen_nd_answer(na, &f, base, 2, 0x41, mac_gen, out,
				       sizeof(out)),
			 0);
}

/* The target's MAC from its advertisement or its solicitation. */
static void
test_nd_learn(void **state)
{
	uint8_t tt[16], other[16], src[16], buf[128], mac[NET_ETH_ALEN];
	struct net_frame f;
	uint32_t len;

	(void)state;
	addr6("2001:db8:1::1", tt);
	addr6("2001:db8:1::99", other);
	addr6("2001:db8:1::2", src);
	/* An advertisement for the target. */
	len = net_build_na(buf, sizeof(buf), 0, mac_tt, mac_gen, tt, src, tt,
			   NET_ND_SOLICITED | NET_ND_OVERRIDE);
	assert_int_equal(net_parse(buf, len, NET_CSUM_UNKNOWN, NET_CSUM_UNKNOWN,
				   &f),
			 NET_DROP_NONE);
	memset(mac, 0, sizeof(mac));
	assert_true(gen_nd_learn(buf, &f, tt, mac));
	assert_memory_equal(mac, mac_tt, NET_ETH_ALEN);
	/* One for another address teaches nothing about the target. */
	len = net_build_na(buf, sizeof(buf), 0, mac_tt, mac_gen, other, src,
			   other, NET_ND_SOLICITED | NET_ND_OVERRIDE);
	assert_int_equal(net_parse(buf, len, NET_CSUM_UNKNOWN, NET_CSUM_UNKNOWN,
				   &f),
			 NET_DROP_NONE);
	assert_false(gen_nd_learn(buf, &f, tt, mac));
	/* A solicitation from the target, for one of the sources. */
	len = net_build_ns(buf, sizeof(buf), 0, mac_tt, NULL, tt, src);
	assert_int_equal(net_parse(buf, len, NET_CSUM_UNKNOWN, NET_CSUM_UNKNOWN,
				   &f),
			 NET_DROP_NONE);
	memset(mac, 0, sizeof(mac));
	assert_true(gen_nd_learn(buf, &f, tt, mac));
	assert_memory_equal(mac, mac_tt, NET_ETH_ALEN);
	/* A solicitation from someone else. */
	len = net_build_ns(buf, sizeof(buf), 0, mac_tt, NULL, other, src);
	assert_int_equal(net_parse(buf, len, NET_CSUM_UNKNOWN, NET_CSUM_UNKNOWN,
				   &f),
			 NET_DROP_NONE);
	assert_false(gen_nd_learn(buf, &f, tt, mac));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_range),
		cmocka_unit_test(test_dst),
		cmocka_unit_test(test_addr6_make_in),
		cmocka_unit_test(test_nd_answer),
		cmocka_unit_test(test_nd_answer_not_ns),
		cmocka_unit_test(test_nd_learn),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
