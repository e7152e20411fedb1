/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of the receive burst's free (dp_rx_free.h, no EAL): the
 * mbufs it puts straight back into their pool are exactly those the
 * generic free would put back unchanged.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dp_rx_free.h"

#define ROUNDS 20000
#define BURST 32

static struct rte_mempool pools[2];
static struct rte_mbuf other;

/* A small deterministic generator (xorshift64). */
static uint64_t
rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* A plain mbuf of pools[0]: what every received frame usually is. */
static void
mbuf_plain(struct rte_mbuf *m)
{
	memset(m, 0, sizeof(*m));
	m->pool = &pools[0];
	rte_mbuf_refcnt_set(m, 1);
	m->nb_segs = 1;
	m->next = NULL;
	m->ol_flags = RTE_MBUF_F_RX_IP_CKSUM_GOOD;
}

/* Change one field of a plain mbuf, or none, at random. */
static void
mbuf_mutate(struct rte_mbuf *m, uint64_t *s)
{
	switch (rnd(s) % 8) {
	case 0:
		m->pool = &pools[1];
		break;
	case 1:
		m->ol_flags |= RTE_MBUF_F_INDIRECT;
		break;
	case 2:
		m->ol_flags |= RTE_MBUF_F_EXTERNAL;
		break;
	case 3:
		rte_mbuf_refcnt_set(m, (uint16_t)(2 + rnd(s) % 3));
		break;
	case 4:
		m->nb_segs = (uint16_t)(2 + rnd(s) % 3);
		break;
	case 5:
		m->next = &other;
		break;
	default:
		break;
	}
}

/*
 * The generic free's first step on a direct mbuf: whether it hands m
 * back for its pool without writing to it. (On an indirect or external
 * one it detaches the buffer, which writes.)
 */
static bool
generic_puts_unchanged(const struct rte_mbuf *m)
{
	struct rte_mbuf copy = *m;

	if (!RTE_MBUF_DIRECT(m))
		return false;
	if (rte_pktmbuf_prefree_seg(&copy) != &copy)
		return false;
	return memcmp(&copy, m, sizeof(copy)) == 0;
}

/* One mbuf: plain exactly when the generic free leaves it as it is. */
static void
test_plain_matches_generic(void **state)
{
	struct rte_mbuf m;
	uint64_t s = 0x9e3779b97f4a7c15ull;
	unsigned int i, plain = 0;

	(void)state;
	for (i = 0; i < ROUNDS; i++) {
		bool want;

		mbuf_plain(&m);
		mbuf_mutate(&m, &s);
		if (rnd(&s) % 4 == 0)
			mbuf_mutate(&m, &s);
		want = m.pool == &pools[0] && generic_puts_unchanged(&m);
		assert_int_equal(dp_rx_free_plain(&m, &pools[0]), want);
		plain += want;
	}
	/* Both answers were exercised. */
	assert_true(plain > ROUNDS / 8 && plain < ROUNDS - ROUNDS / 8);
}

/* A burst takes the fast path only when every one of its mbufs may. */
static void
test_burst_all_or_nothing(void **state)
{
	struct rte_mbuf mb[BURST];
	struct rte_mbuf *p[BURST];
	uint64_t s = 0x2545f4914f6cdd1dull;
	unsigned int i, j, n;

	(void)state;
	for (i = 0; i < ROUNDS / 4; i++) {
		bool want = true;

		n = 1 + (unsigned int)(rnd(&s) % BURST);
		for (j = 0; j < n; j++) {
			mbuf_plain(&mb[j]);
			/* Mostly plain bursts, one odd mbuf at any place. */
			if (rnd(&s) % (2 * n) == 0)
				mbuf_mutate(&mb[j], &s);
			p[j] = &mb[j];
		}
		/* The pool of the first is the burst's. */
		for (j = 0; j < n; j++)
			want = want && dp_rx_free_plain(&mb[j], mb[0].pool);
		assert_int_equal(dp_rx_free_all_plain(p, n), want);
	}
	/* All from the other pool: plain in their own. */
	for (j = 0; j < BURST; j++) {
		mbuf_plain(&mb[j]);
		mb[j].pool = &pools[1];
		p[j] = &mb[j];
	}
	assert_true(dp_rx_free_all_plain(p, BURST));
	mb[BURST - 1].pool = &pools[0];
	assert_false(dp_rx_free_all_plain(p, BURST));
}

/*
 * A plain burst of the worker's pool goes into the worker's own cache,
 * in order, as rte_mempool_put_bulk() would put it into the calling
 * lcore's cache.
 */
static void
test_burst_into_own_cache(void **state)
{
	static struct rte_mempool_cache cache;
	struct rte_mbuf mb[BURST];
	struct rte_mbuf *p[BURST];
	unsigned int j;

	(void)state;
	cache.size = BURST;
	cache.flushthresh = 2 * BURST;
	cache.len = 3;
	for (j = 0; j < BURST; j++) {
		mbuf_plain(&mb[j]);
		p[j] = &mb[j];
	}
	dp_rx_free_bulk_cache(p, BURST, &pools[0], &cache);
	assert_int_equal(cache.len, 3 + BURST);
	for (j = 0; j < BURST; j++)
		assert_ptr_equal(cache.objs[3 + j], &mb[j]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_matches_generic),
		cmocka_unit_test(test_burst_all_or_nothing),
		cmocka_unit_test(test_burst_into_own_cache),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
