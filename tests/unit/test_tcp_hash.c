/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The keyed hashes of a tuple: ISNs (RFC 6528), timestamp offsets
 * (RFC 7323 5.4) and SYN cookie MACs. They absorb the tuple as words; the
 * values must stay those of SipHash-2-4 over the tuple's bytes laid out
 * as documented in tcp_isn.c, written out here byte by byte. The ISN's
 * F() and the timestamp offset are the low and high halves of one hash.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "tcp_internal.h"

#define ISN_DOMAIN 0x01
#define COOKIE_DOMAIN 0x03
#define ROUNDS 2000

static struct tcp_ctx ctx;

/* Deterministic xorshift64* generator. */
static uint64_t
rng_next(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dull;
}

/*
 * The reference layout: local address, remote address (4 bytes in host
 * order, or 16), local port, remote port (host order), then extra.
 */
static size_t
ref_bytes(const struct tcp_ends *e, const uint8_t *extra, size_t n_extra,
	  uint8_t *b)
{
	size_t n;

	if (e->raddr6 != NULL) {
		memcpy(b, e->laddr6, 16);
		memcpy(b + 16, e->raddr6, 16);
		n = 32;
	} else {
		memcpy(b, &e->laddr, 4);
		memcpy(b + 4, &e->raddr, 4);
		n = 8;
	}
	memcpy(b + n, &e->lport, 2);
	memcpy(b + n + 2, &e->rport, 2);
	memcpy(b + n + 4, extra, n_extra);
	return n + 4 + n_extra;
}

static uint64_t
ref_hash64(const struct tcp_ends *e, const uint8_t *extra, size_t n_extra)
{
	uint8_t b[64];
	size_t n = ref_bytes(e, extra, n_extra, b);

	return tcp_siphash(ctx.p.isn_secret, b, n);
}

static uint32_t
ref_hash(const struct tcp_ends *e, const uint8_t *extra, size_t n_extra)
{
	return (uint32_t)ref_hash64(e, extra, n_extra);
}

static void
rand_ends(uint64_t *s, struct tcp_ends *e, uint8_t a6[32], bool v6)
{
	uint64_t r = rng_next(s);
	int i;

	memset(e, 0, sizeof(*e));
	e->raddr = (uint32_t)r;
	e->laddr = (uint32_t)(r >> 32);
	r = rng_next(s);
	e->rport = (uint16_t)r;
	e->lport = (uint16_t)(r >> 16);
	if (!v6)
		return;
	for (i = 0; i < 32; i++)
		a6[i] = (uint8_t)rng_next(s);
	e->raddr = 0;
	e->laddr = 0;
	e->raddr6 = a6;
	e->laddr6 = a6 + 16;
}

/* The SipHash-2-4 paper's test vector (key 00..0f, input 00..0e). */
static void
test_siphash_vector(void **state)
{
	uint8_t key[16], in[15];
	int i;

	(void)state;
	for (i = 0; i < 16; i++)
		key[i] = (uint8_t)i;
	for (i = 0; i < 15; i++)
		in[i] = (uint8_t)i;
	assert_true(tcp_siphash(key, in, sizeof(in)) == 0xa129ca6149be45e5ull);
}

static void
check_tuples(bool v6)
{
	uint64_t s = v6 ? 0x6d6f6e6b6579ull : 0x7463707465726dull;
	uint8_t a6[32], extra[9];
	struct tcp_ends e;
	uint32_t a, b, ts;
	uint64_t h;
	int i, j;

	for (i = 0; i < ROUNDS; i++) {
		for (j = 0; j < 16; j++)
			ctx.p.isn_secret[j] = (uint8_t)rng_next(&s);
		tcp_isn_key(&ctx);
		rand_ends(&s, &e, a6, v6);
		extra[0] = ISN_DOMAIN;
		h = ref_hash64(&e, extra, 1);
		assert_int_equal(tcp_isn(&ctx, &e, 4000, &ts),
				 (uint32_t)h + 1000);
		/* One hash: the offset is its high half, alone or not. */
		assert_int_equal(ts, (uint32_t)(h >> 32));
		assert_int_equal(tcp_ts_offset(&ctx, &e), (uint32_t)(h >> 32));
		a = (uint32_t)rng_next(&s);
		b = (uint32_t)rng_next(&s);
		memcpy(extra, &a, 4);
		memcpy(extra + 4, &b, 4);
		extra[8] = COOKIE_DOMAIN;
		assert_int_equal(tcp_cookie_hash(&ctx, &e, a, b),
				 ref_hash(&e, extra, 9));
	}
}

static void
test_tuple_hashes_v4(void **state)
{
	(void)state;
	check_tuples(false);
}

static void
test_tuple_hashes_v6(void **state)
{
	(void)state;
	check_tuples(true);
}

/* The key matters: another secret, another ISN (the PRF is keyed). */
static void
test_isn_keyed(void **state)
{
	struct tcp_ends e;
	uint32_t x, ts;

	(void)state;
	memset(&e, 0, sizeof(e));
	e.raddr = 0xc6120001;
	e.laddr = 0xc6120002;
	e.rport = 40000;
	e.lport = 80;
	memset(ctx.p.isn_secret, 1, 16);
	tcp_isn_key(&ctx);
	x = tcp_isn(&ctx, &e, 0, &ts);
	ctx.p.isn_secret[15] ^= 1;
	tcp_isn_key(&ctx);
	assert_int_not_equal(tcp_isn(&ctx, &e, 0, &ts), x);
}

/*
 * A context made by tcp_ctx_create() starts its hashes from its own
 * secret (tcp_isn_key() at creation): its ISNs are the reference's.
 */
static void
test_isn_created_ctx(void **state)
{
	struct tcp_params p;
	struct tcp_ctx *c;
	struct tcp_ends e;
	uint8_t extra[1] = { ISN_DOMAIN }, a6[32];
	uint64_t s = 0x6372656174656421ull;
	uint32_t ts;
	int i;

	(void)state;
	memset(&p, 0, sizeof(p));
	p.mss = 1460;
	p.rcv_wnd = 65535;
	p.snd_buf = 4096;
	p.max_connections = 4;
	p.max_send_buffers = 4;
	p.max_time_wait = 4;
	for (i = 0; i < 16; i++)
		p.isn_secret[i] = (uint8_t)rng_next(&s);
	memcpy(ctx.p.isn_secret, p.isn_secret, 16);
	c = tcp_ctx_create(&p, 0);
	assert_non_null(c);
	for (i = 0; i < 2; i++) {
		rand_ends(&s, &e, a6, i == 1);
		assert_int_equal(tcp_isn(c, &e, 0, &ts),
				 ref_hash(&e, extra, 1));
	}
	tcp_ctx_destroy(c);
}

/*
 * tcp_seg_hash() hashes an IPv4 tuple in line from the segment's words:
 * it must equal flowtab_hash() of the segment's key (the tuple itself,
 * or flowtab_key6()'s fold) under the table's secret, whatever the
 * secret, the tuple and the family; so must tcp_seg_hash_prefetch().
 */
static void
test_seg_hash_is_flowtab_hash(void **state)
{
	uint64_t s = 0x7365676861736855ull, r;
	uint8_t sec[FLOWTAB_SECRET_LEN], a6[32];
	struct net_seg seg;
	struct flow_key k;
	int i, j;

	(void)state;
	for (i = 0; i < 100; i++) {
		for (j = 0; j < FLOWTAB_SECRET_LEN; j++)
			sec[j] = (uint8_t)rng_next(&s);
		ctx.ft = flowtab_create(16, sec);
		assert_non_null(ctx.ft);
		flowtab_hkey(ctx.ft, &ctx.ft_hk);
		for (j = 0; j < 40; j++) {
			memset(&seg, 0, sizeof(seg));
			r = rng_next(&s);
			seg.sport = (uint16_t)r;
			seg.dport = (uint16_t)(r >> 16);
			k.rport = seg.sport;
			k.lport = seg.dport;
			r = rng_next(&s);
			if (j % 4 == 3) {
				memcpy(a6, &r, 8);
				r = rng_next(&s);
				memcpy(a6 + 8, &r, 8);
				r = rng_next(&s);
				memcpy(a6 + 16, &r, 8);
				r = rng_next(&s);
				memcpy(a6 + 24, &r, 8);
				seg.saddr6 = a6;
				seg.daddr6 = a6 + 16;
				flowtab_key6(ctx.ft, a6, a6 + 16, seg.sport,
					     seg.dport, &k);
			} else {
				seg.saddr = (uint32_t)r;
				seg.daddr = (uint32_t)(r >> 32);
				k.raddr = seg.saddr;
				k.laddr = seg.daddr;
			}
			assert_int_equal(tcp_seg_hash(&ctx, &seg),
					 flowtab_hash(ctx.ft, &k));
			/* The RX burst's form, which prefetches too. */
			assert_int_equal(tcp_seg_hash_prefetch(&ctx, &seg),
					 flowtab_hash(ctx.ft, &k));
		}
		flowtab_destroy(ctx.ft);
		ctx.ft = NULL;
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_siphash_vector),
		cmocka_unit_test(test_tuple_hashes_v4),
		cmocka_unit_test(test_tuple_hashes_v6),
		cmocka_unit_test(test_isn_keyed),
		cmocka_unit_test(test_isn_created_ctx),
		cmocka_unit_test(test_seg_hash_is_flowtab_hash),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
