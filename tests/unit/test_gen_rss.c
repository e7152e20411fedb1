/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of tcpterm-gen's source 4-tuples per owner on the target
 * (app/tcpterm-gen/gen_rss.c): the order spreads new connections evenly
 * over tcpterm's workers, or keeps to one, by tcpterm's own RETA rule.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "gen_addr.h"
#include "gen_rss.h"

/* 198.18.20.2-198.18.20.5, ports lo-hi, to 198.18.20.1:80. */
static void
space4(struct gen_space *sp, uint16_t lo, uint16_t hi)
{
	memset(sp, 0, sizeof(*sp));
	net_ipv4_parse("198.18.20.2", &sp->src_lo);
	net_ipv4_parse("198.18.20.5", &sp->src_hi);
	net_ipv4_parse("198.18.20.1", &sp->dst);
	sp->sport_lo = lo;
	sp->sport_hi = hi;
	sp->dport = 80;
}

static void
space6(struct gen_space *sp, uint16_t lo, uint16_t hi)
{
	memset(sp, 0, sizeof(*sp));
	sp->ipv6 = true;
	assert_int_equal(net_ipv6_parse("2001:db8:20::2", sp->src6), 0);
	assert_int_equal(net_ipv6_parse("2001:db8:20::1", sp->dst6), 0);
	sp->src_lo = 2;
	sp->src_hi = 0x11;
	sp->sport_lo = lo;
	sp->sport_hi = hi;
	sp->dport = 80;
}

/* The owner as tcpterm finds it: its RETA and net_rss_owner(). */
static uint32_t
tcpterm_owner(const struct gen_space *sp, const struct gen_rss *r, uint32_t t)
{
	uint32_t n_sport = (uint32_t)sp->sport_hi - sp->sport_lo + 1;
	uint32_t a = sp->src_lo + t / n_sport;
	uint16_t p = (uint16_t)(sp->sport_lo + t % n_sport);
	uint16_t reta[GEN_RSS_RETA_MAX];
	uint8_t s6[NET_IPV6_ALEN];
	uint32_t h;

	assert_int_equal(net_rss_reta_fill(reta, r->reta_size, r->n_owners), 0);
	if (sp->ipv6) {
		gen_addr6_make(sp->src6, a, s6);
		/* The server hashes what it receives: client -> server. */
		h = net_rss_tcp6(net_rss_key_symmetric, s6, sp->dst6, p,
				 sp->dport);
	} else {
		/* Its replies hash the same: the key is symmetric. */
		h = net_rss_tcp4(net_rss_key_symmetric, sp->dst, a, sp->dport,
				 p);
	}
	return net_rss_owner(reta, r->reta_size, h);
}

/*
 * Spread: position i belongs to owner i % n (as tcpterm computes it),
 * every tuple at most once, each owner the same share, and little of the
 * space is left out.
 */
static void
check_spread(const struct gen_space *sp, const struct gen_rss *r)
{
	uint64_t size = gen_space_size(sp), kept[GEN_RSS_MAX_OWNERS];
	uint32_t *order = calloc(size, sizeof(*order));
	uint8_t *seen = calloc(size, 1);
	int64_t n, i;
	uint32_t k;

	assert_non_null(order);
	assert_non_null(seen);
	n = gen_rss_order(sp, r, order, kept);
	assert_true(n > 0);
	assert_int_equal(n % r->n_owners, 0);
	for (k = 0; k < r->n_owners; k++)
		assert_int_equal(kept[k], (uint64_t)n / r->n_owners);
	for (i = 0; i < n; i++) {
		assert_true(order[i] < size);
		assert_int_equal(seen[order[i]], 0);
		seen[order[i]] = 1;
		assert_int_equal(tcpterm_owner(sp, r, order[i]),
				 (uint32_t)i % r->n_owners);
		assert_int_equal(gen_rss_owner_of(sp, r, order[i]),
				 (uint32_t)i % r->n_owners);
	}
	/* The hash spreads well: at least 80% of the space is usable. */
	assert_true((uint64_t)n * 10 >= size * 8);
	free(order);
	free(seen);
}

static void
test_spread_two(void **state)
{
	struct gen_space sp;
	struct gen_rss r = { .n_owners = 2, .reta_size = 512, .only = -1 };

	(void)state;
	space4(&sp, 1024, 4095);
	check_spread(&sp, &r);
}

/* Three workers: the RETA size matters (512 % 3 != 0). */
static void
test_spread_three(void **state)
{
	struct gen_space sp;
	struct gen_rss r = { .n_owners = 3, .reta_size = 512, .only = -1 };

	(void)state;
	space4(&sp, 20000, 23999);
	check_spread(&sp, &r);
	r.reta_size = 128;
	check_spread(&sp, &r);
}

static void
test_spread_ipv6(void **state)
{
	struct gen_space sp;
	struct gen_rss r = { .n_owners = 4, .reta_size = 512, .only = -1 };

	(void)state;
	space6(&sp, 1024, 1535);
	check_spread(&sp, &r);
}

/* One worker only: all its tuples, in index order, none of the others. */
static void
test_only_one(void **state)
{
	struct gen_space sp;
	struct gen_rss r = { .n_owners = 4, .reta_size = 512, .only = 2 };
	uint64_t size, kept[GEN_RSS_MAX_OWNERS], mine = 0;
	uint32_t *order, t;
	int64_t n, i;

	(void)state;
	space4(&sp, 1024, 2047);
	size = gen_space_size(&sp);
	order = calloc(size, sizeof(*order));
	assert_non_null(order);
	for (t = 0; t < size; t++)
		mine += tcpterm_owner(&sp, &r, t) == 2;
	n = gen_rss_order(&sp, &r, order, kept);
	assert_int_equal(n, mine);
	assert_int_equal(kept[2], mine);
	assert_int_equal(kept[0] + kept[1] + kept[3], 0);
	for (i = 0; i < n; i++) {
		assert_int_equal(tcpterm_owner(&sp, &r, order[i]), 2);
		if (i > 0)
			assert_true(order[i] > order[i - 1]);
	}
	free(order);
}

/* One source port: an owner with no tuple leaves nothing to spread. */
static void
test_owner_without_tuple(void **state)
{
	struct gen_space sp;
	struct gen_rss r = { .n_owners = 2, .reta_size = 512, .only = -1 };
	uint64_t kept[GEN_RSS_MAX_OWNERS];
	uint32_t order[4];
	uint32_t other;

	(void)state;
	space4(&sp, 5000, 5000);
	sp.src_hi = sp.src_lo;
	assert_int_equal(gen_rss_order(&sp, &r, order, kept), 0);
	other = 1 - tcpterm_owner(&sp, &r, 0);
	r.only = (int32_t)other;
	assert_int_equal(gen_rss_order(&sp, &r, order, kept), 0);
	r.only = (int32_t)(1 - other);
	assert_int_equal(gen_rss_order(&sp, &r, order, kept), 1);
	assert_int_equal(order[0], 0);
}

/* One line per case: what gen_rss_order() refuses. */
static const struct gen_rss invalid[] = {
	{ .n_owners = 0, .reta_size = 512, .only = -1 },
	{ .n_owners = GEN_RSS_MAX_OWNERS + 1, .reta_size = 512, .only = -1 },
	{ .n_owners = 2, .reta_size = 0, .only = -1 },
	{ .n_owners = 2, .reta_size = 100, .only = -1 },
	{ .n_owners = 2, .reta_size = GEN_RSS_RETA_MAX * 2, .only = -1 },
	{ .n_owners = 2, .reta_size = 512, .only = 2 },
};

static void
test_invalid(void **state)
{
	struct gen_space sp;
	uint64_t kept[GEN_RSS_MAX_OWNERS + 1];
	uint32_t order[16];
	unsigned int i;

	(void)state;
	space4(&sp, 1024, 1027);
	for (i = 0; i < sizeof(invalid) / sizeof(invalid[0]); i++)
		assert_int_equal(gen_rss_order(&sp, &invalid[i], order, kept),
				 -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spread_two),
		cmocka_unit_test(test_spread_three),
		cmocka_unit_test(test_spread_ipv6),
		cmocka_unit_test(test_only_one),
		cmocka_unit_test(test_owner_without_tuple),
		cmocka_unit_test(test_invalid),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
