/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of the per-core flow table.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "flowtab.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* A fixed secret, so that homes (and the tests below) are reproducible. */
static const uint8_t test_secret[FLOWTAB_SECRET_LEN] = {
	0x74, 0x63, 0x70, 0x74, 0x65, 0x72, 0x6d, 0x2d,
	0x66, 0x6c, 0x6f, 0x77, 0x74, 0x61, 0x62, 0x31,
};

/* Deterministic xorshift64* generator. */
static uint64_t
rng_next(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dull;
}

static struct flow_key
key_make(uint32_t raddr, uint32_t laddr, uint16_t rport, uint16_t lport)
{
	struct flow_key k = {
		.raddr = raddr,
		.laddr = laddr,
		.rport = rport,
		.lport = lport,
	};

	return k;
}

static int
ins(struct flowtab *t, const struct flow_key *k, uint32_t val)
{
	return flowtab_insert(t, k, flowtab_hash(t, k), val);
}

static int
look(const struct flowtab *t, const struct flow_key *k, uint32_t *val)
{
	return flowtab_lookup(t, k, flowtab_hash(t, k), val);
}

static int
upd(struct flowtab *t, const struct flow_key *k, uint32_t val)
{
	return flowtab_update(t, k, flowtab_hash(t, k), val);
}

static int
del(struct flowtab *t, const struct flow_key *k)
{
	return flowtab_delete(t, k, flowtab_hash(t, k));
}

static void
assert_value(const struct flowtab *t, const struct flow_key *k, uint32_t want)
{
	uint32_t v = 0;

	assert_int_equal(look(t, k, &v), 0);
	assert_int_equal(v, want);
}

static void
assert_absent(const struct flowtab *t, const struct flow_key *k)
{
	uint32_t v = 0x5a5a5a5a;

	assert_int_equal(look(t, k, &v), -ENOENT);
	assert_int_equal(v, 0x5a5a5a5a);
}

/*
 * A fresh key, distinct from every earlier one (raddr is a counter),
 * whose home slot in t is home.
 */
static struct flow_key
key_with_home(const struct flowtab *t, uint32_t home, uint32_t *ctr)
{
	for (;;) {
		struct flow_key k = key_make(++*ctr, 0xc6120001, 40000, 80);

		if (flowtab_slot_of(t, flowtab_hash(t, &k)) == home)
			return k;
	}
}

static void
test_sizing(void **state)
{
	static const struct {
		uint32_t max_entries;
		size_t slots;
	} cases[] = {
		{ 0, 16 },	    { 1, 16 },
		{ 12, 16 },	    { 13, 20 },
		{ 24, 32 },	    { 25, 36 },
		{ 768, 1024 },	    { 769, 1028 },
		{ 100000, 133336 }, { 10000000, 13333336 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct flowtab *t = flowtab_create(cases[i].max_entries,
						   test_secret);
		size_t arr = cases[i].slots * 16;

		assert_non_null(t);
		assert_int_equal(flowtab_capacity(t), cases[i].max_entries);
		assert_int_equal(flowtab_count(t), 0);
		assert_true(flowtab_mem_bytes(t) >= arr);
		assert_true(flowtab_mem_bytes(t) < arr + 256);
		assert_int_equal(flowtab_check(t), 0);
		flowtab_destroy(t);
	}
	flowtab_destroy(NULL);
}

/*
 * The home slot is the hash scaled to the slot count, hash * nslots /
 * 2^32: homes climb with the hash from slot 0 to the last, and each slot
 * takes 2^32 / nslots hashes, rounded down or up (sizes of both kinds).
 */
static void
test_home_scaled(void **state)
{
	static const uint32_t sizes[] = { 0, 13, 769, 100000 };
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		struct flowtab *t = flowtab_create(sizes[i], test_secret);
		uint64_t n = flowtab_slots(t), h,
			 step = ((uint64_t)1 << 32) / n;
		uint32_t prev = 0, s;

		assert_int_equal(flowtab_slot_of(t, 0), 0);
		assert_int_equal(flowtab_slot_of(t, UINT32_MAX), n - 1);
		for (h = 0; h < ((uint64_t)1 << 32); h += 9973) {
			s = flowtab_slot_of(t, (uint32_t)h);
			assert_true(s >= prev && s < n);
			assert_int_equal(s, (uint32_t)(h * n >> 32));
			prev = s;
		}
		/* Slot 1 starts at the first hash it can take. */
		h = (((uint64_t)1 << 32) + n - 1) / n;
		assert_int_equal(flowtab_slot_of(t, (uint32_t)h), 1);
		assert_int_equal(flowtab_slot_of(t, (uint32_t)h - 1), 0);
		assert_true(h == step || h == step + 1);
		flowtab_destroy(t);
	}
}

static void
test_hash_stable(void **state)
{
	struct flowtab *t = flowtab_create(16, test_secret);
	struct flow_key a = key_make(0xc6120001, 0xc6120101, 1234, 80);
	struct flow_key b = a;
	uint32_t h = flowtab_hash(t, &a);

	(void)state;
	assert_int_equal(flowtab_hash(t, &b), h);
	b.lport = 81;
	assert_int_not_equal(flowtab_hash(t, &b), h);
	assert_int_equal(flowtab_hash(t, &a), h);
	flowtab_destroy(t);
}

static void
test_basic(void **state)
{
	struct flowtab *t = flowtab_create(100, test_secret);
	struct flow_key a = key_make(0xc6120001, 0xc6120101, 1234, 80);
	struct flow_key b = key_make(0xc6120002, 0xc6120101, 1234, 80);
	struct flow_key zero = key_make(0, 0, 0, 0);
	uint32_t v;

	(void)state;
	assert_non_null(t);
	assert_absent(t, &a);
	assert_int_equal(ins(t, &a, 7), 0);
	assert_int_equal(ins(t, &b, 0), 0);
	assert_int_equal(ins(t, &zero, 9), 0);
	assert_int_equal(flowtab_count(t), 3);
	assert_value(t, &a, 7);
	assert_value(t, &b, 0);
	assert_value(t, &zero, 9);
	flowtab_prefetch(t, flowtab_hash(t, &a));
	/* Prefetching for deletion is harmless from any home, the last too. */
	for (v = 0; v < 64; v++)
		flowtab_prefetch_delete(t, v << 26);
	assert_int_equal(flowtab_check(t), 0);

	assert_int_equal(del(t, &a), 0);
	assert_absent(t, &a);
	assert_value(t, &b, 0);
	assert_int_equal(del(t, &zero), 0);
	assert_absent(t, &zero);
	assert_int_equal(flowtab_count(t), 1);
	assert_int_equal(flowtab_check(t), 0);

	/* The key can come back after deletion. */
	assert_int_equal(ins(t, &a, 8), 0);
	assert_value(t, &a, 8);
	assert_int_equal(flowtab_count(t), 2);
	flowtab_destroy(t);
}

static void
test_exists(void **state)
{
	struct flowtab *t = flowtab_create(10, test_secret);
	struct flow_key a = key_make(1, 2, 3, 4);

	(void)state;
	assert_int_equal(ins(t, &a, 100), 0);
	assert_int_equal(ins(t, &a, 200), -EEXIST);
	assert_value(t, &a, 100);
	assert_int_equal(flowtab_count(t), 1);
	assert_int_equal(flowtab_check(t), 0);
	flowtab_destroy(t);
}

static void
test_reserved_value(void **state)
{
	struct flowtab *t = flowtab_create(10, test_secret);
	struct flow_key a = key_make(1, 2, 3, 4);

	(void)state;
	assert_int_equal(ins(t, &a, UINT32_MAX), -EINVAL);
	assert_absent(t, &a);
	assert_int_equal(flowtab_count(t), 0);
	assert_int_equal(ins(t, &a, UINT32_MAX - 1), 0);
	assert_value(t, &a, UINT32_MAX - 1);
	assert_int_equal(upd(t, &a, UINT32_MAX), -EINVAL);
	assert_value(t, &a, UINT32_MAX - 1);
	assert_int_equal(flowtab_check(t), 0);
	flowtab_destroy(t);
}

static void
test_full(void **state)
{
	static const uint32_t sizes[] = { 0, 1, 12, 13, 100, 768 };
	size_t s;

	(void)state;
	for (s = 0; s < ARRAY_SIZE(sizes); s++) {
		struct flowtab *t = flowtab_create(sizes[s], test_secret);
		struct flow_key extra = key_make(0xffff, 0, 0, 0);
		uint32_t i;

		assert_non_null(t);
		for (i = 0; i < sizes[s]; i++) {
			struct flow_key k = key_make(i, 7, (uint16_t)i, 80);

			assert_int_equal(ins(t, &k, i), 0);
		}
		assert_int_equal(flowtab_count(t), sizes[s]);
		assert_int_equal(ins(t, &extra, 1), -ENOSPC);
		assert_absent(t, &extra);
		assert_int_equal(flowtab_count(t), sizes[s]);
		assert_int_equal(flowtab_check(t), 0);
		for (i = 0; i < sizes[s]; i++) {
			struct flow_key k = key_make(i, 7, (uint16_t)i, 80);

			assert_value(t, &k, i);
		}
		if (sizes[s] > 0) {
			struct flow_key k0 = key_make(0, 7, 0, 80);

			/* A present key still reports -EEXIST when full. */
			assert_int_equal(ins(t, &k0, 5), -EEXIST);
			assert_int_equal(del(t, &k0), 0);
			assert_int_equal(ins(t, &extra, 1), 0);
			assert_value(t, &extra, 1);
			assert_int_equal(ins(t, &k0, 5), -ENOSPC);
		}
		assert_int_equal(flowtab_check(t), 0);
		flowtab_destroy(t);
	}
}

static void
test_update(void **state)
{
	struct flowtab *t = flowtab_create(10, test_secret);
	struct flow_key a = key_make(1, 2, 3, 4);
	struct flow_key b = key_make(1, 2, 3, 5);

	(void)state;
	assert_int_equal(upd(t, &a, 1), -ENOENT);
	assert_absent(t, &a);
	assert_int_equal(ins(t, &a, 1), 0);
	assert_int_equal(ins(t, &b, 2), 0);
	assert_int_equal(upd(t, &a, 10), 0);
	assert_value(t, &a, 10);
	assert_value(t, &b, 2);
	assert_int_equal(upd(t, &a, 0), 0);
	assert_value(t, &a, 0);
	assert_int_equal(flowtab_count(t), 2);
	assert_int_equal(del(t, &a), 0);
	assert_int_equal(upd(t, &a, 3), -ENOENT);
	assert_absent(t, &a);
	flowtab_destroy(t);
}

static void
test_delete_absent(void **state)
{
	struct flowtab *t = flowtab_create(10, test_secret);
	struct flow_key a = key_make(1, 2, 3, 4);
	struct flow_key b = key_make(1, 2, 4, 3);

	(void)state;
	assert_int_equal(del(t, &a), -ENOENT);
	assert_int_equal(ins(t, &a, 1), 0);
	assert_int_equal(del(t, &b), -ENOENT);
	assert_int_equal(flowtab_count(t), 1);
	assert_value(t, &a, 1);
	assert_int_equal(del(t, &a), 0);
	assert_int_equal(del(t, &a), -ENOENT);
	assert_int_equal(flowtab_count(t), 0);
	assert_int_equal(flowtab_check(t), 0);
	flowtab_destroy(t);
}

static void
test_one_field_differs(void **state)
{
	static const struct flow_key keys[] = {
		{ 0xc6120001, 0xc6120101, 1000, 80 },
		{ 0xc6120002, 0xc6120101, 1000, 80 },
		{ 0xc6120001, 0xc6120102, 1000, 80 },
		{ 0xc6120001, 0xc6120101, 1001, 80 },
		{ 0xc6120001, 0xc6120101, 1000, 81 },
		/* Swapped sides and swapped ports are other flows. */
		{ 0xc6120101, 0xc6120001, 80, 1000 },
		{ 0xc6120001, 0xc6120101, 80, 1000 },
		{ 0xc6120101, 0xc6120001, 1000, 80 },
	};
	struct flowtab *t = flowtab_create(16, test_secret);
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(keys); i++)
		assert_int_equal(ins(t, &keys[i], (uint32_t)i + 1), 0);
	for (i = 0; i < ARRAY_SIZE(keys); i++)
		assert_value(t, &keys[i], (uint32_t)i + 1);
	assert_int_equal(flowtab_count(t), ARRAY_SIZE(keys));
	assert_int_equal(flowtab_check(t), 0);
	for (i = 0; i < ARRAY_SIZE(keys); i += 2)
		assert_int_equal(del(t, &keys[i]), 0);
	for (i = 0; i < ARRAY_SIZE(keys); i++) {
		if (i % 2 == 0)
			assert_absent(t, &keys[i]);
		else
			assert_value(t, &keys[i], (uint32_t)i + 1);
	}
	assert_int_equal(flowtab_check(t), 0);
	flowtab_destroy(t);
}

/*
 * Vary one field of base until the key has the same home slot in t, so
 * both keys share one probe sequence.
 */
static struct flow_key
key_same_home(const struct flowtab *t, const struct flow_key *base, int field)
{
	uint32_t home = flowtab_slot_of(t, flowtab_hash(t, base));
	struct flow_key k = *base;
	uint32_t d;

	for (d = 1;; d++) {
		switch (field) {
		case 0:
			k.raddr = base->raddr + d;
			break;
		case 1:
			k.laddr = base->laddr + d;
			break;
		case 2:
			k.rport = (uint16_t)(base->rport + d);
			break;
		default:
			k.lport = (uint16_t)(base->lport + d);
			break;
		}
		if (flowtab_slot_of(t, flowtab_hash(t, &k)) == home)
			return k;
	}
}

static void
test_one_field_same_home(void **state)
{
	struct flow_key base = key_make(0xc6120001, 0xc6120101, 1000, 80);
	int field;

	(void)state;
	for (field = 0; field < 4; field++) {
		struct flowtab *t = flowtab_create(12, test_secret);
		struct flow_key k = key_same_home(t, &base, field);

		assert_non_null(t);
		assert_int_equal(ins(t, &base, 1), 0);
		assert_absent(t, &k);
		assert_int_equal(upd(t, &k, 3), -ENOENT);
		assert_int_equal(del(t, &k), -ENOENT);
		assert_value(t, &base, 1);
		assert_int_equal(ins(t, &k, 2), 0);
		assert_value(t, &base, 1);
		assert_value(t, &k, 2);
		assert_int_equal(flowtab_check(t), 0);
		assert_int_equal(del(t, &base), 0);
		assert_absent(t, &base);
		assert_value(t, &k, 2);
		assert_int_equal(ins(t, &base, 4), 0);
		assert_int_equal(del(t, &k), 0);
		assert_absent(t, &k);
		assert_value(t, &base, 4);
		assert_int_equal(flowtab_check(t), 0);
		flowtab_destroy(t);
	}
}

/* Keys homed in the last slot spill over to the start of the array. */
static void
test_wrap_around(void **state)
{
	struct flowtab *t = flowtab_create(12, test_secret);
	struct flow_key k[5];
	uint32_t ctr = 0;
	size_t i;

	(void)state;
	assert_true(flowtab_mem_bytes(t) < 32 * 16);
	k[0] = key_with_home(t, 15, &ctr);
	k[1] = key_with_home(t, 15, &ctr);
	k[2] = key_with_home(t, 15, &ctr);
	k[3] = key_with_home(t, 0, &ctr);
	k[4] = key_with_home(t, 14, &ctr);
	for (i = 0; i < ARRAY_SIZE(k); i++)
		assert_int_equal(ins(t, &k[i], (uint32_t)i), 0);
	for (i = 0; i < ARRAY_SIZE(k); i++)
		assert_value(t, &k[i], (uint32_t)i);
	assert_int_equal(flowtab_check(t), 0);

	/* Deleting across the wrap must pull entries back over it. */
	assert_int_equal(del(t, &k[0]), 0);
	assert_int_equal(flowtab_check(t), 0);
	assert_absent(t, &k[0]);
	for (i = 1; i < ARRAY_SIZE(k); i++)
		assert_value(t, &k[i], (uint32_t)i);
	assert_int_equal(del(t, &k[4]), 0);
	assert_int_equal(flowtab_check(t), 0);
	for (i = 1; i < 4; i++)
		assert_value(t, &k[i], (uint32_t)i);
	flowtab_destroy(t);
}

/*
 * Backward-shift deletion: a table of 16 slots is filled with keys of
 * the listed home slots (forming clusters, some crossing the end of the
 * array), then every entry is deleted alone, and all are deleted in
 * three orders. After each deletion the rest must still be found.
 */
#define CL_MAX 12

static const struct {
	uint8_t n;
	uint8_t home[CL_MAX];
} clusters[] = {
	{ 6, { 5, 5, 5, 6, 6, 7 } },
	{ 6, { 5, 6, 7, 5, 6, 7 } },
	{ 5, { 3, 3, 9, 4, 4 } },
	{ 7, { 2, 2, 2, 2, 2, 2, 2 } },
	{ 6, { 14, 14, 15, 0, 15, 1 } },
	{ 6, { 15, 15, 15, 15, 0, 2 } },
	{ 8, { 6, 7, 6, 10, 9, 8, 7, 12 } },
	{ 12, { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 } },
	{ 12, { 13, 13, 13, 13, 13, 13, 13, 13, 13, 13, 13, 13 } },
};

static struct flowtab *
cluster_build(size_t c, struct flow_key *k)
{
	struct flowtab *t = flowtab_create(12, test_secret);
	uint32_t ctr = 0;
	size_t i;

	assert_non_null(t);
	for (i = 0; i < clusters[c].n; i++) {
		k[i] = key_with_home(t, clusters[c].home[i], &ctr);
		assert_int_equal(ins(t, &k[i], (uint32_t)i), 0);
	}
	assert_int_equal(flowtab_check(t), 0);
	return t;
}

static void
cluster_verify(const struct flowtab *t, const struct flow_key *k, size_t n,
	       const uint8_t *gone)
{
	size_t i, live = 0;

	assert_int_equal(flowtab_check(t), 0);
	for (i = 0; i < n; i++) {
		if (gone[i]) {
			assert_absent(t, &k[i]);
		} else {
			assert_value(t, &k[i], (uint32_t)i);
			live++;
		}
	}
	assert_int_equal(flowtab_count(t), live);
}

static void
cluster_delete_order(size_t c, int order)
{
	struct flow_key k[CL_MAX];
	uint8_t gone[CL_MAX] = { 0 };
	size_t n = clusters[c].n;
	struct flowtab *t = cluster_build(c, k);
	size_t s;

	for (s = 0; s < n; s++) {
		size_t i;

		/* Forward, reverse, then middle-out. */
		if (order == 0)
			i = s;
		else if (order == 1)
			i = n - 1 - s;
		else
			i = (n / 2 + (s % 2 ? n - (s + 1) / 2 : s / 2)) % n;
		assert_int_equal(gone[i], 0);
		assert_int_equal(del(t, &k[i]), 0);
		gone[i] = 1;
		cluster_verify(t, k, n, gone);
	}
	flowtab_destroy(t);
}

/*
 * flowtab_update_val_at() and flowtab_delete_val_at() take the hinted
 * slot only when it holds the value: the right slot, a slot holding
 * another key's value, an empty one, one past the table or none, all
 * reach the entry of the value (or -ENOENT), and a deletion through the
 * hint still pulls the cluster back.
 */
static void
test_val_at_hint(void **state)
{
	struct flowtab *t = flowtab_create(64, test_secret);
	uint32_t ctr = 0, slot[4], v, i, empty;
	struct flow_key k[4], scratch;

	(void)state;
	assert_non_null(t);
	/* A cluster at slot 10: the entries sit at 10, 11, 12, 13. */
	for (i = 0; i < 4; i++) {
		k[i] = key_with_home(t, 10, &ctr);
		assert_int_equal(ins(t, &k[i], 100 + i), 0);
		assert_int_equal(flowtab_lookup_slot(t, &k[i],
						     flowtab_hash(t, &k[i]), &v,
						     &slot[i]),
				 0);
		assert_int_equal(v, 100 + i);
		assert_int_equal(slot[i], 10 + i);
	}
	empty = 20;
	assert_int_equal(flowtab_entry_at(t, empty, &scratch, &v), -ENOENT);
	/* The right slot, another key's, an empty one, out of range, none. */
	assert_int_equal(flowtab_update_val_at(t, flowtab_hash(t, &k[1]),
					       slot[1], 101, 201),
			 0);
	assert_int_equal(flowtab_update_val_at(t, flowtab_hash(t, &k[2]),
					       slot[3], 102, 202),
			 0);
	assert_int_equal(flowtab_update_val_at(t, flowtab_hash(t, &k[3]), empty,
					       103, 203),
			 0);
	assert_int_equal(flowtab_update_val_at(t, flowtab_hash(t, &k[0]),
					       flowtab_slots(t), 100, 200),
			 0);
	assert_value(t, &k[0], 200);
	assert_value(t, &k[1], 201);
	assert_value(t, &k[2], 202);
	assert_value(t, &k[3], 203);
	/* A value nowhere: -ENOENT whatever the hint, nothing changed. */
	assert_int_equal(flowtab_update_val_at(t, flowtab_hash(t, &k[0]),
					       slot[0], 999, 300),
			 -ENOENT);
	assert_int_equal(flowtab_delete_val_at(t, flowtab_hash(t, &k[0]),
					       slot[0], 999),
			 -ENOENT);
	assert_value(t, &k[0], 200);
	/* Delete k[1] by its slot: k[2] and k[3] move back to 11 and 12. */
	assert_int_equal(flowtab_delete_val_at(t, flowtab_hash(t, &k[1]),
					       slot[1], 201),
			 0);
	assert_int_equal(flowtab_check(t), 0);
	assert_absent(t, &k[1]);
	/* slot[2] is stale (k[3] is there now): k[2] is found all the same. */
	assert_int_equal(flowtab_delete_val_at(t, flowtab_hash(t, &k[2]),
					       slot[2], 202),
			 0);
	assert_int_equal(flowtab_check(t), 0);
	assert_absent(t, &k[2]);
	assert_value(t, &k[0], 200);
	assert_value(t, &k[3], 203);
	assert_int_equal(flowtab_delete_val_at(t, flowtab_hash(t, &k[3]),
					       FLOWTAB_NO_SLOT, 203),
			 0);
	assert_int_equal(flowtab_count(t), 1);
	assert_int_equal(flowtab_check(t), 0);
	flowtab_destroy(t);
}

static void
test_backward_shift(void **state)
{
	size_t c, d;
	int order;

	(void)state;
	for (c = 0; c < ARRAY_SIZE(clusters); c++) {
		for (d = 0; d < clusters[c].n; d++) {
			struct flow_key k[CL_MAX];
			uint8_t gone[CL_MAX] = { 0 };
			struct flowtab *t = cluster_build(c, k);

			assert_int_equal(del(t, &k[d]), 0);
			gone[d] = 1;
			cluster_verify(t, k, clusters[c].n, gone);
			flowtab_destroy(t);
		}
		for (order = 0; order < 3; order++)
			cluster_delete_order(c, order);
	}
}

/*
 * Random operations against a reference model: an array indexed by the
 * position of the key in a fixed pool.
 */
struct model_case {
	uint32_t max_entries;
	uint32_t pool;
	uint32_t ops;
	uint64_t seed;
};

struct model_slot {
	uint8_t present;
	uint32_t val;
};

static struct flow_key
model_key(uint32_t i, uint64_t seed)
{
	/* Half the pool is sequential ports, half random tuples. */
	if (i % 2 == 0)
		return key_make(0xc6120001, 0xc6130001,
				(uint16_t)(1024 + i / 2), 80);
	seed += i;
	rng_next(&seed);
	return key_make((uint32_t)rng_next(&seed), (uint32_t)rng_next(&seed),
			(uint16_t)rng_next(&seed), (uint16_t)rng_next(&seed));
}

static void
model_op(struct flowtab *t, struct model_slot *m, uint32_t *count,
	 const struct model_case *mc, uint64_t *rng)
{
	uint64_t r = rng_next(rng);
	uint32_t i = (uint32_t)(r % mc->pool);
	struct flow_key k = model_key(i, mc->seed);
	/* Unique per key, so deleting by value is unambiguous. */
	uint32_t val = ((uint32_t)(r >> 32) & 0x7fff0000) | i;
	uint32_t v, slot;

	switch ((r >> 24) % 10) {
	case 0:
	case 1:
	case 2:
	case 3:
		if (m[i].present) {
			assert_int_equal(ins(t, &k, val), -EEXIST);
		} else if (*count == mc->max_entries) {
			assert_int_equal(ins(t, &k, val), -ENOSPC);
		} else {
			assert_int_equal(ins(t, &k, val), 0);
			m[i].present = 1;
			m[i].val = val;
			(*count)++;
		}
		break;
	case 4:
	case 5:
		assert_int_equal(del(t, &k), m[i].present ? 0 : -ENOENT);
		if (m[i].present)
			(*count)--;
		m[i].present = 0;
		break;
	case 6:
		/*
		 * By value: a TIME_WAIT record keeps only the hash. Half
		 * the time with the slot where a lookup found the key as
		 * the hint (values are unique here).
		 */
		slot = FLOWTAB_NO_SLOT;
		if (r & 1)
			(void)flowtab_lookup_slot(t, &k, flowtab_hash(t, &k),
						  &v, &slot);
		assert_int_equal(flowtab_delete_val_at(t, flowtab_hash(t, &k),
						       slot,
						       m[i].present ? m[i].val :
								      val),
				 m[i].present ? 0 : -ENOENT);
		if (m[i].present)
			(*count)--;
		m[i].present = 0;
		break;
	case 7:
		assert_int_equal(upd(t, &k, val), m[i].present ? 0 : -ENOENT);
		if (m[i].present)
			m[i].val = val;
		break;
	default:
		if (m[i].present) {
			assert_value(t, &k, m[i].val);
		} else {
			assert_int_equal(look(t, &k, &v), -ENOENT);
		}
		break;
	}
	assert_int_equal(flowtab_count(t), *count);
}

static void
model_run(const struct model_case *mc)
{
	struct flowtab *t = flowtab_create(mc->max_entries, test_secret);
	struct model_slot *m = calloc(mc->pool, sizeof(*m));
	uint64_t rng = mc->seed;
	uint32_t count = 0, n, i;

	assert_non_null(t);
	assert_non_null(m);
	for (n = 1; n <= mc->ops; n++) {
		model_op(t, m, &count, mc, &rng);
		if (n % 1000 == 0)
			assert_int_equal(flowtab_check(t), 0);
	}
	assert_int_equal(flowtab_check(t), 0);
	for (i = 0; i < mc->pool; i++) {
		struct flow_key k = model_key(i, mc->seed);

		if (m[i].present)
			assert_value(t, &k, m[i].val);
		else
			assert_absent(t, &k);
	}
	free(m);
	flowtab_destroy(t);
}

static void
test_model(void **state)
{
	static const struct model_case cases[] = {
		/* Often full: exercises -ENOSPC at the load limit. */
		{ 1500, 2000, 100000, 0x1234567887654321ull },
		/* Tiny table: long clusters and wrap-around. */
		{ 12, 40, 100000, 0x0badc0ffee0ddf00ull },
		/* Sizes that are not a power of two (20 and 2668 slots). */
		{ 13, 40, 100000, 0x5eed5eed5eed5eedull },
		{ 2000, 2600, 100000, 0x0123456789abcdefull },
		/* Never full. */
		{ 5000, 3000, 100000, 0x9e3779b97f4a7c15ull },
	};
	size_t c;

	(void)state;
	for (c = 0; c < ARRAY_SIZE(cases); c++)
		model_run(&cases[c]);
}

/* ---- keyed hash and probe bound ---- */

/* Whether a secret is all zero. */
static int
secret_zero(const uint8_t *s)
{
	size_t i;

	for (i = 0; i < FLOWTAB_SECRET_LEN; i++)
		if (s[i] != 0)
			return 0;
	return 1;
}

/* Each table draws its own secret; a given one is kept. */
static void
test_secret_per_table(void **state)
{
	struct flowtab *a = flowtab_create(100, NULL);
	struct flowtab *b = flowtab_create(100, NULL);
	struct flowtab *c = flowtab_create(100, test_secret);
	uint8_t sa[FLOWTAB_SECRET_LEN], sb[FLOWTAB_SECRET_LEN];
	uint8_t sc[FLOWTAB_SECRET_LEN];

	(void)state;
	assert_non_null(a);
	assert_non_null(b);
	assert_non_null(c);
	flowtab_secret(a, sa);
	flowtab_secret(b, sb);
	flowtab_secret(c, sc);
	assert_false(secret_zero(sa));
	assert_false(secret_zero(sb));
	assert_memory_not_equal(sa, sb, FLOWTAB_SECRET_LEN);
	assert_memory_equal(sc, test_secret, FLOWTAB_SECRET_LEN);
	flowtab_destroy(a);
	flowtab_destroy(b);
	flowtab_destroy(c);
}

/*
 * The same keys (one client, consecutive ports) land in other homes
 * under another secret: with 2668 slots, a key keeps its home by chance
 * about once in 2668.
 */
static void
test_secret_moves_homes(void **state)
{
	static const uint8_t other[FLOWTAB_SECRET_LEN] = { 1 };
	struct flowtab *t[3];
	uint32_t i, same[2] = { 0, 0 };
	size_t j;

	(void)state;
	t[0] = flowtab_create(2000, test_secret);
	t[1] = flowtab_create(2000, other);
	t[2] = flowtab_create(2000, NULL);
	for (j = 0; j < ARRAY_SIZE(t); j++)
		assert_non_null(t[j]);
	for (i = 0; i < 2000; i++) {
		struct flow_key k = key_make(0xc6120002, 0xc6120001,
					     (uint16_t)(32768 + i), 80);
		uint32_t h0 = flowtab_slot_of(t[0], flowtab_hash(t[0], &k));

		for (j = 1; j < ARRAY_SIZE(t); j++)
			if (flowtab_slot_of(t[j], flowtab_hash(t[j], &k)) == h0)
				same[j - 1]++;
	}
	assert_true(same[0] < 20);
	assert_true(same[1] < 20);
	for (j = 0; j < ARRAY_SIZE(t); j++)
		flowtab_destroy(t[j]);
}

/*
 * The unkeyed hash tcpterm used before: CRC32C with a fixed seed where
 * SSE4.2 is available, the MurmurHash3 finalizer elsewhere. A peer could
 * evaluate it off-line; here it is the attacker's model.
 */
#ifdef __SSE4_2__
#include <nmmintrin.h>

static uint32_t
unkeyed_hash(const struct flow_key *k)
{
	uint64_t addrs = (uint64_t)k->raddr | (uint64_t)k->laddr << 32;
	uint32_t ports = (uint32_t)k->rport | (uint32_t)k->lport << 16;

	return _mm_crc32_u32((uint32_t)_mm_crc32_u64(0x9e3779b9u, addrs),
			     ports);
}
#else
static uint32_t
unkeyed_hash(const struct flow_key *k)
{
	uint64_t x = (uint64_t)k->raddr | (uint64_t)k->laddr << 32;
	uint64_t ports = (uint64_t)k->rport | (uint64_t)k->lport << 16;

	x += ports * 0x9e3779b97f4a7c15ull;
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ull;
	x ^= x >> 33;
	return (uint32_t)x;
}
#endif

#define CRAFT_KEYS 400u
#define CRAFT_WINDOW 4u

/*
 * Spoofed tuples towards one local address and port, searched so that
 * the unkeyed hash homes every one in the first CRAFT_WINDOW slots of t's
 * slot array (its size is public: it follows from the configuration).
 */
static void
craft_unkeyed(const struct flowtab *t, struct flow_key *k, uint32_t n)
{
	uint32_t found = 0, src = 0;

	while (found < n) {
		struct flow_key c = key_make(0xc6120000 + (src >> 6) % 0x20000,
					     0xc6120001,
					     (uint16_t)(1024 + (src & 63)), 80);

		src++;
		if (flowtab_slot_of(t, unkeyed_hash(&c)) < CRAFT_WINDOW)
			k[found++] = c;
	}
}

/*
 * Keys crafted against the unkeyed hash spread under a secret one: the
 * mean displacement stays about that of random keys, where the unkeyed
 * hash piled them into one cluster (mean displacement ~CRAFT_KEYS / 2).
 */
static void
crafted_spread(const uint8_t *secret)
{
	struct flowtab *t = flowtab_create(1000, secret);
	struct flow_key *k = calloc(CRAFT_KEYS, sizeof(*k));
	uint64_t sum;
	uint32_t i, max;

	assert_non_null(t);
	assert_non_null(k);
	craft_unkeyed(t, k, CRAFT_KEYS);
	for (i = 0; i < CRAFT_KEYS; i++)
		assert_int_equal(ins(t, &k[i], i), 0);
	flowtab_displacement(t, &sum, &max);
	assert_true(sum < 2 * CRAFT_KEYS);
	assert_true(max < 32);
	for (i = 0; i < CRAFT_KEYS; i++)
		assert_value(t, &k[i], i);
	assert_int_equal(flowtab_check(t), 0);
	free(k);
	flowtab_destroy(t);
}

static void
test_crafted_keys_spread(void **state)
{
	(void)state;
	crafted_spread(test_secret);
	crafted_spread(NULL);
}

/*
 * Fill one cluster with keys homed in slots [0, 8) (computed with the
 * known test secret): no entry may sit FLOWTAB_PROBE_MAX or more slots
 * past its home, the excess is refused with -ELOOP and counted, refused
 * keys are absent to every operation, and room made by deletions is
 * usable again.
 */
#define BOUND_KEYS (FLOWTAB_PROBE_MAX + 88)

static void
test_probe_bound(void **state)
{
	struct flowtab *t = flowtab_create(1000, test_secret);
	struct flow_key *k = calloc(BOUND_KEYS, sizeof(*k));
	int *rc = calloc(BOUND_KEYS, sizeof(*rc));
	uint32_t i, ctr = 0, ok = 0, refused = 0, max, v;
	uint64_t sum;

	(void)state;
	assert_non_null(t);
	assert_non_null(k);
	assert_non_null(rc);
	for (i = 0; i < BOUND_KEYS; i++) {
		k[i] = key_with_home(t, i % 8, &ctr);
		rc[i] = ins(t, &k[i], i);
		assert_true(rc[i] == 0 || rc[i] == -ELOOP);
		if (rc[i] == 0)
			ok++;
		else
			refused++;
	}
	/* The cluster is slots [0, ok): full to the bound from some home. */
	assert_true(ok >= FLOWTAB_PROBE_MAX);
	assert_true(ok < FLOWTAB_PROBE_MAX + 8);
	assert_int_equal(ok + refused, BOUND_KEYS);
	assert_int_equal(flowtab_probe_limit_hits(t), refused);
	assert_int_equal(flowtab_count(t), ok);
	flowtab_displacement(t, &sum, &max);
	assert_true(max < FLOWTAB_PROBE_MAX);
	assert_true(max >= FLOWTAB_PROBE_MAX - 8);
	assert_int_equal(flowtab_check(t), 0);
	for (i = 0; i < BOUND_KEYS; i++) {
		if (rc[i] == 0) {
			assert_value(t, &k[i], i);
			continue;
		}
		assert_absent(t, &k[i]);
		assert_int_equal(upd(t, &k[i], 1), -ENOENT);
		assert_int_equal(del(t, &k[i]), -ENOENT);
		assert_int_equal(flowtab_delete_val(t, flowtab_hash(t, &k[i]),
						    i),
				 -ENOENT);
	}
	/* Deleting 16 cluster entries makes room for refused keys. */
	for (i = 0, v = 0; v < 16; i++) {
		if (rc[i] == 0) {
			assert_int_equal(del(t, &k[i]), 0);
			rc[i] = -ENOENT;
			v++;
		}
	}
	for (i = 0, v = 0; i < BOUND_KEYS; i++)
		if (rc[i] == -ELOOP && ins(t, &k[i], i) == 0)
			v++;
	assert_true(v >= 8);
	assert_int_equal(flowtab_count(t), ok - 16 + v);
	/* Every refusal counts, the second attempts' too. */
	assert_int_equal(flowtab_probe_limit_hits(t), 2 * refused - v);
	assert_int_equal(flowtab_check(t), 0);
	free(rc);
	free(k);
	flowtab_destroy(t);
}

/* A byte-wise SipHash-1-3 (Aumasson, Bernstein), for the tests below. */
static uint64_t
ref_le64(const uint8_t *p)
{
	uint64_t v = 0;
	int i;

	for (i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

#define REF_ROTL(x, b) (((x) << (b)) | ((x) >> (64 - (b))))

static void
ref_round(uint64_t v[4])
{
	v[0] += v[1];
	v[1] = REF_ROTL(v[1], 13) ^ v[0];
	v[0] = REF_ROTL(v[0], 32);
	v[2] += v[3];
	v[3] = REF_ROTL(v[3], 16) ^ v[2];
	v[0] += v[3];
	v[3] = REF_ROTL(v[3], 21) ^ v[0];
	v[2] += v[1];
	v[1] = REF_ROTL(v[1], 17) ^ v[2];
	v[2] = REF_ROTL(v[2], 32);
}

static uint64_t
ref_siphash13(const uint8_t key[16], const uint8_t *in, size_t len)
{
	uint64_t k0 = ref_le64(key), k1 = ref_le64(key + 8), m;
	uint64_t v[4] = {
		k0 ^ 0x736f6d6570736575ull,
		k1 ^ 0x646f72616e646f6dull,
		k0 ^ 0x6c7967656e657261ull,
		k1 ^ 0x7465646279746573ull,
	};
	uint8_t last[8] = { 0 };
	size_t i;

	for (i = 0; i + 8 <= len; i += 8) {
		m = ref_le64(in + i);
		v[3] ^= m;
		ref_round(v);
		v[0] ^= m;
	}
	memcpy(last, in + i, len - i);
	last[7] = (uint8_t)len;
	m = ref_le64(last);
	v[3] ^= m;
	ref_round(v);
	v[0] ^= m;
	v[2] ^= 0xff;
	ref_round(v);
	ref_round(v);
	ref_round(v);
	return v[0] ^ v[1] ^ v[2] ^ v[3];
}

/*
 * flowtab_hash() is SipHash-1-3 of the 12 bytes raddr, laddr, rport,
 * lport (little-endian) under the table's secret, and flowtab_key6() of
 * the 32 address bytes under the complemented secret, whatever the
 * secret: the word-wise code and its precomputed state match the
 * byte-wise definition.
 */
static void
test_hash_is_siphash13(void **state)
{
	uint64_t s = 0x5eed5eed5eedull, r;
	uint8_t sec[FLOWTAB_SECRET_LEN], nsec[FLOWTAB_SECRET_LEN];
	uint8_t b[32], ra[16], la[16];
	struct flow_key k;
	struct flowtab *t;
	uint64_t h;
	int i, j, n;

	(void)state;
	for (i = 0; i < 200; i++) {
		for (j = 0; j < FLOWTAB_SECRET_LEN; j++) {
			sec[j] = (uint8_t)rng_next(&s);
			nsec[j] = (uint8_t)~sec[j];
		}
		t = flowtab_create(16, sec);
		assert_non_null(t);
		for (j = 0; j < 20; j++) {
			r = rng_next(&s);
			k = key_make((uint32_t)r, (uint32_t)(r >> 32),
				     (uint16_t)rng_next(&s),
				     (uint16_t)rng_next(&s));
			for (n = 0; n < 4; n++) {
				b[n] = (uint8_t)(k.raddr >> (8 * n));
				b[4 + n] = (uint8_t)(k.laddr >> (8 * n));
			}
			for (n = 0; n < 2; n++) {
				b[8 + n] = (uint8_t)(k.rport >> (8 * n));
				b[10 + n] = (uint8_t)(k.lport >> (8 * n));
			}
			assert_int_equal(flowtab_hash(t, &k),
					 (uint32_t)ref_siphash13(sec, b, 12));
		}
		for (j = 0; j < 16; j++) {
			ra[j] = (uint8_t)rng_next(&s);
			la[j] = (uint8_t)rng_next(&s);
		}
		flowtab_key6(t, ra, la, 1, 2, &k);
		memcpy(b, ra, 16);
		memcpy(b + 16, la, 16);
		h = ref_siphash13(nsec, b, 32);
		assert_int_equal(k.raddr, (uint32_t)h);
		assert_int_equal(k.laddr, (uint32_t)(h >> 32));
		flowtab_destroy(t);
	}
}

/*
 * flowtab_key6(): the same tuple gives the same key, the ports are kept,
 * every bit of either address changes the fold, and so does the secret;
 * IPv6 keys live in the table beside IPv4 ones.
 */
static void
test_key6(void **state)
{
	static const uint8_t other[FLOWTAB_SECRET_LEN] = { 1 };
	uint8_t ra[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };
	uint8_t la[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	struct flowtab *t = flowtab_create(64, test_secret);
	struct flowtab *u = flowtab_create(64, other);
	struct flow_key k, k2, k4 = key_make(1, 2, 3, 4);
	uint32_t bit, v;

	(void)state;
	assert_non_null(t);
	assert_non_null(u);
	flowtab_key6(t, ra, la, 40000, 80, &k);
	assert_int_equal(k.rport, 40000);
	assert_int_equal(k.lport, 80);
	flowtab_key6(t, ra, la, 40000, 80, &k2);
	assert_memory_equal(&k, &k2, sizeof(k));
	flowtab_key6(u, ra, la, 40000, 80, &k2);
	assert_false(k.raddr == k2.raddr && k.laddr == k2.laddr);
	for (bit = 0; bit < 256; bit++) {
		uint8_t *a = bit < 128 ? ra : la;

		a[(bit % 128) / 8] ^= (uint8_t)(1u << (bit % 8));
		flowtab_key6(t, ra, la, 40000, 80, &k2);
		a[(bit % 128) / 8] ^= (uint8_t)(1u << (bit % 8));
		assert_false(k.raddr == k2.raddr && k.laddr == k2.laddr);
	}
	assert_int_equal(flowtab_insert(t, &k, flowtab_hash(t, &k), 6), 0);
	assert_int_equal(flowtab_insert(t, &k4, flowtab_hash(t, &k4), 4), 0);
	assert_int_equal(flowtab_lookup(t, &k, flowtab_hash(t, &k), &v), 0);
	assert_int_equal(v, 6);
	assert_int_equal(flowtab_delete(t, &k, flowtab_hash(t, &k)), 0);
	assert_int_equal(flowtab_lookup(t, &k4, flowtab_hash(t, &k4), &v), 0);
	assert_int_equal(v, 4);
	assert_int_equal(flowtab_check(t), 0);
	flowtab_destroy(t);
	flowtab_destroy(u);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sizing),
		cmocka_unit_test(test_home_scaled),
		cmocka_unit_test(test_hash_stable),
		cmocka_unit_test(test_key6),
		cmocka_unit_test(test_basic),
		cmocka_unit_test(test_exists),
		cmocka_unit_test(test_reserved_value),
		cmocka_unit_test(test_full),
		cmocka_unit_test(test_update),
		cmocka_unit_test(test_delete_absent),
		cmocka_unit_test(test_one_field_differs),
		cmocka_unit_test(test_one_field_same_home),
		cmocka_unit_test(test_wrap_around),
		cmocka_unit_test(test_backward_shift),
		cmocka_unit_test(test_val_at_hint),
		cmocka_unit_test(test_model),
		cmocka_unit_test(test_secret_per_table),
		cmocka_unit_test(test_secret_moves_homes),
		cmocka_unit_test(test_crafted_keys_spread),
		cmocka_unit_test(test_probe_bound),
		cmocka_unit_test(test_hash_is_siphash13),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
