/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of the hierarchical timing wheel: exact expiry at slot and
 * level boundaries, idle jumps, budgeted draining, storms drained with a
 * bounded budget (work per call, lateness), re-arming while draining,
 * pool exhaustion, far-future entries and a randomized check against a
 * reference model. wheel_check() runs after every operation.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "wheel_test.h"

#define BIG_BUDGET 4096

static uint64_t out[BIG_BUDGET];

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * Arm one entry per tick in ticks[] (cookie = index), then visit the
 * distinct ticks in order: one tick earlier nothing is due, at the tick
 * exactly the entries of that tick come out.
 */
static void
step_verify(struct wheel *w, const uint64_t *ticks, size_t n)
{
	uint64_t *sorted = malloc(n * sizeof(*sorted));
	size_t i, j, got, want;

	assert_non_null(sorted);
	for (i = 0; i < n; i++) {
		assert_int_equal(wheel_add(w, ticks[i], i), 0);
		check_ok(w);
	}
	memcpy(sorted, ticks, n * sizeof(*sorted));
	qsort(sorted, n, sizeof(*sorted), cmp_u64);
	for (i = 0; i < n; i += want) {
		uint64_t t = sorted[i];

		for (want = 0; i + want < n && sorted[i + want] == t; want++)
			;
		assert_true(t > wheel_now(w));
		assert_int_equal(wheel_expire(w, t - 1, out, BIG_BUDGET), 0);
		check_ok(w);
		got = wheel_expire(w, t, out, BIG_BUDGET);
		check_ok(w);
		assert_int_equal(got, want);
		for (j = 0; j < got; j++)
			assert_int_equal(ticks[out[j]], t);
	}
	assert_int_equal(wheel_count(w), 0);
	free(sorted);
}

/*
 * Call wheel_expire() until it hands something out or reports no backlog,
 * as a poll loop would over successive polls, checking that no call
 * touches more than twice its budget. Returns the last count.
 */
static size_t
expire_some(struct wheel *w, uint64_t now, size_t max)
{
	size_t n;

	do {
		n = wheel_expire(w, now, out, max);
		assert_true(w->work <= 2 * max);
		check_ok(w);
	} while (n == 0 && max > 0 && wheel_backlog(w));
	return n;
}

static void
test_create(void **state)
{
	struct wheel *w = wheel_create(1000, 77);

	(void)state;
	assert_non_null(w);
	assert_int_equal(wheel_now(w), 77);
	assert_int_equal(wheel_count(w), 0);
	assert_true(wheel_mem_bytes(w) >= 1000 * sizeof(struct wheel_entry));
	check_ok(w);
	assert_int_equal(wheel_expire(w, 77, out, BIG_BUDGET), 0);
	assert_int_equal(wheel_expire(w, 76, out, BIG_BUDGET), 0);
	assert_int_equal(wheel_now(w), 77);
	check_ok(w);
	wheel_destroy(w);
	wheel_destroy(NULL);
}

/* Distances that sit on either side of each level's slot boundaries. */
/* clang-format off */
static const uint64_t boundary_delta[] = {
	1, 2, 62, 63, 64, 65, 127, 128, 4095, 4096, 4097,
	(1u << 18) - 1, 1u << 18, (1u << 18) + 1,
	(1u << 24) - 1, 1u << 24, (1u << 24) + 1,
	(1u << 30) - 1, 1u << 30, (1u << 30) + 1,
	SPAN - 1, SPAN, SPAN + 1, 3 * SPAN + 17,
};

static const uint64_t boundary_start[] = {
	0, 1, 62, 63, 64, 4095, 4096, 123456789, (1u << 24) - 1,
	SPAN - 2, SPAN + 5, 3 * SPAN - 1, UINT64_C(1) << 50,
};
/* clang-format on */

#define NDELTA (sizeof(boundary_delta) / sizeof(boundary_delta[0]))
#define NSTART (sizeof(boundary_start) / sizeof(boundary_start[0]))

static void
test_boundaries_single(void **state)
{
	size_t i, j;

	(void)state;
	for (i = 0; i < NSTART; i++) {
		for (j = 0; j < NDELTA; j++) {
			uint64_t t = boundary_start[i] + boundary_delta[j];
			struct wheel *w = wheel_create(16, boundary_start[i]);

			assert_non_null(w);
			step_verify(w, &t, 1);
			wheel_destroy(w);
		}
	}
}

static void
test_boundaries_together(void **state)
{
	uint64_t ticks[NDELTA * 2];
	size_t i, j;

	(void)state;
	for (i = 0; i < NSTART; i++) {
		struct wheel *w = wheel_create(2 * NDELTA, boundary_start[i]);

		assert_non_null(w);
		for (j = 0; j < NDELTA; j++) {
			/* Relative distances and the same as absolute ticks. */
			ticks[2 * j] = boundary_start[i] + boundary_delta[j];
			ticks[2 * j + 1] = boundary_start[i] + 1;
			if (boundary_delta[j] > boundary_start[i])
				ticks[2 * j + 1] = boundary_delta[j];
		}
		step_verify(w, ticks, NDELTA * 2);
		wheel_destroy(w);
	}
}

static void
test_past_and_now(void **state)
{
	static const uint64_t past[] = { 1000, 999, 0, 500, 1000 };
	struct wheel *w = wheel_create(16, 1000);
	size_t i, n;
	uint64_t seen = 0;

	(void)state;
	assert_non_null(w);
	assert_int_equal(wheel_add(w, 1001, 99), 0);
	for (i = 0; i < sizeof(past) / sizeof(past[0]); i++)
		assert_int_equal(wheel_add(w, past[i], i), 0);
	check_ok(w);
	n = wheel_expire(w, 1000, out, BIG_BUDGET);
	check_ok(w);
	assert_int_equal(n, 5);
	for (i = 0; i < n; i++)
		seen |= UINT64_C(1) << out[i];
	assert_int_equal(seen, 0x1f);
	assert_int_equal(wheel_count(w), 1);
	assert_int_equal(wheel_expire(w, 1001, out, BIG_BUDGET), 1);
	assert_int_equal(out[0], 99);
	wheel_destroy(w);
}

/*
 * Walk tick by tick across the wrap of every level (the start sits just
 * before a carry into level l) and require each entry at exactly its tick.
 */
static void
test_wrap_every_level(void **state)
{
	uint64_t rng = 0x9e3779b97f4a7c15ull;
	unsigned level;

	(void)state;
	for (level = 0; level <= WHEEL_LEVELS; level++) {
		uint64_t start = level < 2 ?
			3 * level :
			(UINT64_C(5) << (WHEEL_BITS * level)) - 300;
		struct wheel *w = wheel_create(2000, start);
		uint64_t now, left = 0;
		size_t i, n;

		assert_non_null(w);
		for (i = 0; i < 1500; i++) {
			uint64_t t = start + 1 + rng_below(&rng, 5000);

			assert_int_equal(wheel_add(w, t, t), 0);
			left++;
		}
		for (now = start + 1; left > 0; now++) {
			n = wheel_expire(w, now, out, BIG_BUDGET);
			for (i = 0; i < n; i++)
				assert_int_equal(out[i], now);
			left -= n;
			if (now % 97 == 0 || n > 0)
				check_ok(w);
		}
		check_ok(w);
		wheel_destroy(w);
	}
}

static void
test_big_jump(void **state)
{
	uint64_t rng = 42, start = 123456, hour = 3600 * 1000;
	struct wheel *w = wheel_create(2000, start);
	size_t i, n;

	(void)state;
	assert_non_null(w);
	for (i = 0; i < 1000; i++) {
		uint64_t t = start + 1 + rng_below(&rng, hour);

		assert_int_equal(wheel_add(w, t, t), 0);
	}
	check_ok(w);
	assert_int_equal(wheel_expire(w, start + hour, out, BIG_BUDGET), 1000);
	for (i = 1; i < 1000; i++)
		assert_true(out[i - 1] <= out[i]);
	check_ok(w);
	/* Idle time costs nothing: a tick-by-tick walk would never end. */
	assert_int_equal(wheel_add(w, start + (UINT64_C(1) << 45), 7), 0);
	n = wheel_expire(w, start + (UINT64_C(1) << 50), out, BIG_BUDGET);
	assert_int_equal(n, 1);
	assert_int_equal(out[0], 7);
	assert_int_equal(wheel_expire(w, UINT64_MAX, out, BIG_BUDGET), 0);
	assert_int_equal(wheel_now(w), UINT64_MAX);
	check_ok(w);
	wheel_destroy(w);
}

static void
test_budget_drain(void **state)
{
	static uint8_t seen[1010];
	struct wheel *w = wheel_create(1010, 0);
	uint64_t i;

	(void)state;
	assert_non_null(w);
	memset(seen, 0, sizeof(seen));
	for (i = 0; i < 1000; i++)
		assert_int_equal(wheel_add(w, 500, i), 0);
	for (i = 1000; i < 1010; i++)
		assert_int_equal(wheel_add(w, 505, i), 0);
	assert_int_equal(wheel_expire(w, 499, out, 1), 0);
	for (i = 0; i < 300; i++) {
		assert_int_equal(expire_some(w, 500, 1), 1);
		assert_true(out[0] < 1000 && !seen[out[0]]);
		seen[out[0]] = 1;
		check_ok(w);
	}
	assert_int_equal(wheel_count(w), 710);
	/* A later now must first finish the older tick. */
	for (i = 300; i < 1010; i++) {
		assert_int_equal(expire_some(w, 505 + i / 100, 1), 1);
		assert_true(out[0] < 1010 && !seen[out[0]]);
		assert_true(i < 1000 ? out[0] < 1000 : out[0] >= 1000);
		seen[out[0]] = 1;
		check_ok(w);
	}
	assert_int_equal(expire_some(w, 600, 1), 0);
	assert_false(wheel_backlog(w));
	assert_int_equal(wheel_count(w), 0);
	assert_int_equal(wheel_expire(w, 600, out, 0), 0);
	wheel_destroy(w);
}

/*
 * Where the storm tests put their storms: inside one level-2 block,
 * across a level-2 boundary and across a level-3 one.
 */
static const uint64_t storm_starts[] = {
	1000000,
	(UINT64_C(1) << 12) - 500,
	(UINT64_C(1) << 18) - 700,
};
#define STORM_STARTS (sizeof(storm_starts) / sizeof(storm_starts[0]))

/*
 * A storm's entries: n cookies armed at ticks uniform over the 1000
 * ticks after from, each to come out once, in tick order, never early.
 */
struct storm {
	struct wheel *w;
	uint64_t *tick;
	uint8_t *seen;
	uint32_t n;
	uint64_t last; /* tick of the last cookie out */
	uint64_t late; /* largest lateness in ticks */
};

static void
storm_arm(struct storm *st, uint64_t start, uint64_t from, uint32_t n)
{
	uint64_t rng = start | 1;
	uint32_t i;

	st->tick = malloc(n * sizeof(*st->tick));
	st->seen = calloc(n, 1);
	st->w = wheel_create(n, start);
	st->n = n;
	st->last = 0;
	st->late = 0;
	assert_non_null(st->tick);
	assert_non_null(st->seen);
	assert_non_null(st->w);
	for (i = 0; i < n; i++) {
		st->tick[i] = from + 1 + rng_below(&rng, 1000);
		assert_int_equal(wheel_add(st->w, st->tick[i], i), 0);
	}
	check_ok(st->w);
}

/* Cookie c out at now: once, in tick order, never early. */
static void
storm_take(struct storm *st, uint64_t c, uint64_t now)
{
	assert_true(c < st->n && !st->seen[c]);
	st->seen[c] = 1;
	assert_true(st->tick[c] <= now && st->tick[c] >= st->last);
	st->last = st->tick[c];
	if (now - st->tick[c] > st->late)
		st->late = now - st->tick[c];
}

/* All out: the wheel is empty and whole; frees the storm. */
static void
storm_end(struct storm *st)
{
	assert_int_equal(wheel_count(st->w), 0);
	check_ok(st->w);
	wheel_destroy(st->w);
	free(st->seen);
	free(st->tick);
}

/*
 * A storm: n entries due uniformly over the 1000 ticks after start + skip,
 * drained by polls of budget max, polls_per_tick polls per tick, the first
 * at start + skip (the wheel has had no call before). Every call must
 * touch at most 2 * max entries; every entry comes out exactly once, in
 * tick order, never early. Returns the largest lateness in ticks.
 */
static uint64_t
storm_run(uint64_t start, uint64_t skip, uint32_t n, size_t max,
	  unsigned polls_per_tick)
{
	struct storm st;
	struct wheel *w;
	uint64_t now = start + skip, worst = 0, polls = 0, late;
	uint32_t done = 0;
	size_t k, got;

	storm_arm(&st, start, start + skip, n);
	w = st.w;
	while (done < n) {
		if (++polls % polls_per_tick == 0)
			now++;
		got = wheel_expire(w, now, out, max);
		assert_true(w->work <= 2 * max);
		if (w->work > worst)
			worst = w->work;
		for (k = 0; k < got; k++)
			storm_take(&st, out[k], now);
		done += (uint32_t)got;
		if (polls % 997 == 0)
			check_ok(w);
	}
	assert_true(worst > 0);
	late = st.late;
	storm_end(&st);
	return late;
}

/*
 * Budgeted cascading. With a budget above the arrival rate (200 per tick
 * here, against 8 polls of 64 per tick), every entry is pre-cascaded
 * ahead of its block and none is late, whether the storm lies inside one
 * level-2 block or across a level-2 or level-3 boundary. When the wheel
 * jumps straight to the storm (no earlier call, so nothing could be
 * pre-cascaded), the slots reached are re-filed max entries per call,
 * holding the position: lateness is at most the re-filings owed (here
 * each entry at most twice, level 2 then level 1) / (max * polls per
 * tick) ticks. With a budget far below the arrival rate,
 * work per call stays bounded and lateness only follows the backlog:
 * every entry costs one hand-out and at most two re-filings here.
 */
static void
test_storm_bounded(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < STORM_STARTS; i++) {
		assert_int_equal(storm_run(storm_starts[i], 0, 200000, 64, 8),
				 0);
		assert_true(storm_run(storm_starts[i], 5000, 200000, 64, 8) <=
			    2 * 200000 / (64 * 8) + 1);
		assert_true(storm_run(storm_starts[i], 0, 20000, 4, 1) <=
			    20000 * 3 / 4);
	}
}

/*
 * A virtual TSC for a time-bounded storm: every entry the wheel has
 * handed out or re-filed costs one cycle, as it is done (w->work counts
 * the call under way chunk by chunk), and each read of the clock one.
 */
struct vtsc {
	const struct wheel *w;
	/* Cycles of the calls before the one under way. */
	uint64_t base;
	uint64_t reads;
};

static uint64_t
vtsc_now(void *arg)
{
	struct vtsc *v = arg;

	return v->base + v->w->work + ++v->reads;
}

/* A call of wheel_expire_until() done: charge its work for good. */
static void
vtsc_settle(struct vtsc *v)
{
	v->base += v->w->work;
}

#define SLICE_BATCH 32

/*
 * One time-bounded poll as the worker and the benchmark do it: calls of
 * SLICE_BATCH under a deadline slice cycles away, until the deadline
 * passes or a short call leaves no backlog. Checks every cookie (once,
 * in tick order, never early) and the work of each call; returns the
 * cookies handed out and raises *late to the largest lateness seen.
 */
static size_t
deadline_poll(struct storm *st, struct vtsc *v, uint64_t now, uint64_t slice)
{
	struct wheel *w = st->w;
	struct wheel_clock clk = { .now = vtsc_now, .arg = v };
	size_t got, k, total = 0;

	clk.deadline = v->base + v->reads + slice;
	do {
		got = wheel_expire_until(w, now, out, SLICE_BATCH, &clk);
		assert_true(w->work <= 2 * SLICE_BATCH);
		vtsc_settle(v);
		for (k = 0; k < got; k++)
			storm_take(st, out[k], now);
		total += got;
	} while (v->base + v->reads < clk.deadline &&
		 (got == SLICE_BATCH || wheel_backlog(w)));
	return total;
}

/*
 * A storm of n entries due uniformly over the 1000 ticks after start,
 * drained by polls_per_tick polls a tick, each bounded by a deadline of
 * slice virtual cycles. Returns the largest lateness in ticks and sets
 * *pending to the slots reached before being pre-cascaded.
 */
static uint64_t
storm_deadline_run(uint64_t start, uint32_t n, unsigned polls_per_tick,
		   uint64_t slice, uint64_t *pending)
{
	struct storm st;
	struct vtsc v = { 0 };
	uint64_t now = start, late;
	uint32_t done = 0;
	unsigned p;

	storm_arm(&st, start, start, n);
	v.w = st.w;
	while (done < n) {
		now++;
		assert_true(now < start + 3000);
		for (p = 0; p < polls_per_tick; p++)
			done += (uint32_t)deadline_poll(&st, &v, now, slice);
		if (now % 97 == 0)
			check_ok(st.w);
	}
	*pending = wheel_pending_slots(st.w);
	late = st.late;
	storm_end(&st);
	return late;
}

/*
 * The storm with a deadline: 200 entries due per tick, 4 polls a tick of
 * 256 cycles each (1024 a tick, where handing the entries out and
 * re-filing each once from level 1 needs about 400). Calls of 32 stopped
 * by their deadline must still pre-cascade their share, so that no slot
 * is reached un-cascaded and no entry is more than a tick late, inside a
 * level-2 block or across level-2 and level-3 boundaries.
 */
static void
test_storm_deadline(void **state)
{
	uint64_t pending, late;
	size_t i;

	(void)state;
	for (i = 0; i < STORM_STARTS; i++) {
		late = storm_deadline_run(storm_starts[i], 200000, 4, 256,
					  &pending);
		print_message("storm from %llu: late %llu, pending slots "
			      "%llu\n",
			      (unsigned long long)storm_starts[i],
			      (unsigned long long)late,
			      (unsigned long long)pending);
		assert_int_equal(pending, 0);
		assert_true(late <= 1);
	}
}

/* Re-arm from within expiry processing, including at now (due at once). */
static void
test_rearm_while_draining(void **state)
{
	enum { N = 2000, GENS = 4 };
	static uint64_t tick[N];
	static uint8_t gen[N];
	uint64_t rng = 7, now = 0;
	struct wheel *w = wheel_create(N, 0);
	size_t i, n, done = 0;

	(void)state;
	assert_non_null(w);
	for (i = 0; i < N; i++) {
		tick[i] = 1 + rng_below(&rng, 1000);
		gen[i] = 0;
		assert_int_equal(wheel_add(w, tick[i], i), 0);
	}
	while (done < N) {
		now += 1 + rng_below(&rng, 9);
		do {
			n = wheel_expire(w, now, out, 16);
			for (i = 0; i < n; i++) {
				uint64_t c = out[i] & 0xffff, g = out[i] >> 16;

				assert_true(c < N && g == gen[c]);
				assert_true(tick[c] <= now);
				if (++gen[c] == GENS) {
					done++;
					continue;
				}
				tick[c] = now + rng_below(&rng, 50);
				g = c | (uint64_t)gen[c] << 16;
				assert_int_equal(wheel_add(w, tick[c], g), 0);
			}
			check_ok(w);
		} while (n == 16);
	}
	assert_int_equal(wheel_count(w), 0);
	wheel_destroy(w);
}

static void
test_enospc(void **state)
{
	struct wheel *w = wheel_create(100, 0);
	struct wheel *z = wheel_create(0, 0);
	uint64_t i;
	size_t n;

	(void)state;
	assert_non_null(w);
	assert_non_null(z);
	assert_int_equal(wheel_add(z, 1, 1), -ENOSPC);
	for (i = 0; i < 100; i++)
		assert_int_equal(wheel_add(w, i % 2 ? i : SPAN * 4 + i, i), 0);
	assert_int_equal(wheel_add(w, 5, 100), -ENOSPC);
	assert_int_equal(wheel_count(w), 100);
	check_ok(w);
	n = wheel_expire(w, 20, out, BIG_BUDGET);
	assert_int_equal(n, 10);
	for (i = 0; i < n; i++)
		assert_int_equal(wheel_add(w, 30 + i, 200 + i), 0);
	assert_int_equal(wheel_add(w, 5, 300), -ENOSPC);
	check_ok(w);
	n = wheel_expire(w, SPAN * 5, out, BIG_BUDGET);
	assert_int_equal(n, 100);
	check_ok(w);
	wheel_destroy(w);
	wheel_destroy(z);
}

static void
test_far_future(void **state)
{
	uint64_t s = 5,
		 ticks[] = {
			 s + (UINT64_C(1) << 40),
			 s + (UINT64_C(1) << 40) + 1,
			 s + (UINT64_C(1) << 40),
			 s + (UINT64_C(1) << 37) + 3,
			 s + SPAN + 7,
			 s + 2 * SPAN,
			 (UINT64_C(1) << 62) + 11,
			 s + 9,
		 };
	struct wheel *w = wheel_create(16, s);

	(void)state;
	assert_non_null(w);
	step_verify(w, ticks, sizeof(ticks) / sizeof(ticks[0]));
	wheel_destroy(w);
}

/* White-box: the checker must notice broken invariants. */
static void
test_check_detects(void **state)
{
	struct wheel *w = wheel_create(64, 0);
	char err[128];
	uint32_t head;

	(void)state;
	assert_non_null(w);
	assert_int_equal(wheel_add(w, 10, 1), 0);
	assert_int_equal(wheel_add(w, 10, 2), 0);
	check_ok(w);
	w->occ[0] ^= 1;
	assert_int_equal(wheel_check(w, err, sizeof(err)), -1);
	assert_true(strlen(err) > 0);
	w->occ[0] ^= 1;
	w->count++;
	assert_int_equal(wheel_check(w, err, sizeof(err)), -1);
	w->count--;
	head = w->slot[0][10];
	w->chunks[head].e[0].expires = 11;
	assert_int_equal(wheel_check(w, err, sizeof(err)), -1);
	w->chunks[head].e[0].expires = 10;
	w->chunks[head].next = head;
	assert_int_equal(wheel_check(w, err, sizeof(err)), -1);
	w->chunks[head].next = WHEEL_NONE;
	w->nfree--;
	assert_int_equal(wheel_check(w, err, sizeof(err)), -1);
	w->nfree++;
	check_ok(w);
	/* Stage and pending lists: entries must match the position. */
	assert_int_equal(wheel_add(w, 70, 3), 0);
	assert_true(w->occ_next[0] == UINT64_C(1) << 6);
	check_ok(w);
	head = w->next[0][6];
	w->chunks[head].e[0].expires = 71;
	assert_int_equal(wheel_check(w, err, sizeof(err)), -1);
	w->chunks[head].e[0].expires = 70;
	w->occ_next[0] = 0;
	assert_int_equal(wheel_check(w, err, sizeof(err)), -1);
	w->next[0][6] = WHEEL_NONE;
	w->pend[1] = head;
	assert_int_equal(wheel_check(w, err, sizeof(err)), -1);
	w->pend_mask = 1u << 1;
	assert_int_equal(wheel_check(w, err, sizeof(err)), -1);
	w->pend[1] = WHEEL_NONE;
	w->pend_mask = 0;
	w->next[0][6] = head;
	w->occ_next[0] = UINT64_C(1) << 6;
	check_ok(w);
	wheel_destroy(w);
}

/*
 * Reference model: every entry ever armed, with the range [lo, hi] its
 * effective expiry may take. An entry armed at or before wheel_now() is
 * due at once; it may be handed out at any point up to the now of its
 * arming, so lo is its tick and hi that now. Otherwise lo = hi = tick.
 */
struct model_entry {
	uint64_t tick;
	uint64_t lo;
	uint64_t hi;
	int live;
	int doomed; /* dropped by the next wheel_compact() */
};

struct model {
	struct model_entry *e;
	size_t n;
	size_t live;
	uint64_t cap;
	uint64_t rng;
};

static void
model_add(struct model *m, struct wheel *w)
{
	uint64_t now = wheel_now(w), tick;
	struct model_entry *e = &m->e[m->n];
	int rc;

	if (rng_below(&m->rng, 8) == 0)
		tick = now - (now < 100 ? now : rng_below(&m->rng, 100));
	else
		tick = now + model_delay(&m->rng);
	rc = wheel_add(w, tick, m->n);
	if (m->live >= m->cap) {
		assert_int_equal(rc, -ENOSPC);
		return;
	}
	assert_int_equal(rc, 0);
	e->tick = tick;
	e->lo = tick;
	e->hi = tick > now ? tick : now;
	e->live = 1;
	e->doomed = rng_below(&m->rng, 3) == 0;
	m->n++;
	m->live++;
}

static int
model_keep(uint64_t cookie, void *arg)
{
	const struct model *m = arg;

	return !m->e[cookie].doomed;
}

/*
 * Compaction drops exactly the doomed live entries, wherever they are
 * filed (levels, stages, due, pending and overflow lists); the others
 * must still come out at their ticks (model_expire() checks).
 */
static void
model_compact(struct model *m, struct wheel *w)
{
	uint64_t want = 0, got;
	size_t i;

	for (i = 0; i < m->n; i++)
		want += m->e[i].live && m->e[i].doomed;
	got = wheel_compact(w, model_keep, m);
	assert_int_equal(got, want);
	for (i = 0; i < m->n; i++) {
		if (m->e[i].live && m->e[i].doomed) {
			m->e[i].live = 0;
			m->live--;
		}
		m->e[i].doomed = 0;
	}
}

static void
model_expire(struct model *m, struct wheel *w, uint64_t now, size_t max)
{
	uint64_t max_lo = 0;
	size_t i, n, due = 0;
	int backwards = now < wheel_now(w);

	for (i = 0; i < m->n; i++)
		due += m->e[i].live && m->e[i].tick <= now;
	if (rng_below(&m->rng, 3) == 0) {
		/* A time bound of 1 to 4 clock reads. */
		struct vclock v = { .t = 0 };
		struct wheel_clock clk = { .now = vclock_now,
					   .arg = &v,
					   .deadline = rng_below(&m->rng, 4) };

		n = wheel_expire_until(w, now, out, max, &clk);
		assert_true(v.reads <= clk.deadline + 1);
	} else {
		n = wheel_expire(w, now, out, max);
	}
	if (backwards) {
		assert_int_equal(n, 0);
		return;
	}
	/* Bounded work: fewer than due only while a backlog is reported. */
	assert_true(w->work <= 2 * max);
	assert_true(n <= due && n <= max);
	if (n < max && n < due)
		assert_true(wheel_backlog(w));
	if (!wheel_backlog(w) && n < max)
		assert_int_equal(n, due);
	for (i = 0; i < n; i++) {
		struct model_entry *e;

		assert_true(out[i] < m->n);
		e = &m->e[out[i]];
		assert_true(e->live && e->tick <= now);
		e->live = 0;
		if (e->lo > max_lo)
			max_lo = e->lo;
	}
	m->live -= n;
	/* Nothing still due may be older than what was handed out. */
	for (i = 0; i < m->n; i++)
		if (m->e[i].live && m->e[i].tick <= now)
			assert_true(m->e[i].hi >= max_lo);
}

static void
model_run(uint64_t seed, size_t ops, uint64_t cap)
{
	static const size_t budgets[] = { 1, 2, 3, 16, 100, BIG_BUDGET };
	struct model m = { .cap = cap, .rng = seed };
	struct wheel *w = wheel_create((uint32_t)cap, seed % 100000);
	size_t i;

	assert_non_null(w);
	m.e = calloc(ops, sizeof(*m.e));
	assert_non_null(m.e);
	for (i = 0; i < ops; i++) {
		if (rng_below(&m.rng, 100) == 0) {
			model_compact(&m, w);
		} else if (rng_below(&m.rng, 10) < 6) {
			model_add(&m, w);
		} else {
			uint64_t now = wheel_now(w) + model_advance(&m.rng);

			if (rng_below(&m.rng, 50) == 0 && now > 0)
				now = wheel_now(w) - 1;
			model_expire(&m, w, now, budgets[rng_below(&m.rng, 6)]);
		}
		assert_int_equal(wheel_count(w), m.live);
		check_ok(w);
	}
	while (m.live > 0) {
		model_expire(&m, w, wheel_now(w) + (UINT64_C(1) << 42),
			     BIG_BUDGET);
		check_ok(w);
	}
	assert_int_equal(wheel_count(w), 0);
	free(m.e);
	wheel_destroy(w);
}

/*
 * Drain n entries due at now with a time bound allowing reads clock
 * reads per call (0: the deadline has passed already) and a count budget
 * that never binds. Every call stops at its deadline, after at most
 * reads (at least one) chunks of work (a chunk handed out may be followed
 * by a chunk of pre-cascade before the clock is read); the next call
 * resumes; every entry comes out once, in tick order.
 */
static void
deadline_drain(struct wheel *w, const uint64_t *ticks, size_t n, uint64_t now,
	       uint64_t reads)
{
	uint8_t *seen = calloc(n, 1);
	struct vclock v = { .t = 1000 };
	struct wheel_clock clk = { .now = vclock_now, .arg = &v };
	uint64_t last = 0, stops = wheel_deadline_stops(w), calls = 0;
	uint64_t chunks = reads > 0 ? reads : 1;
	size_t got, i, total = 0;

	assert_non_null(seen);
	while (wheel_count(w) > 0) {
		/* Reads give v.t, v.t + 1, ...: stop at the reads-th. */
		clk.deadline = reads > 0 ? v.t + reads - 1 : v.t - 1;
		v.reads = 0;
		got = wheel_expire_until(w, now, out, BIG_BUDGET, &clk);
		check_ok(w);
		calls++;
		assert_true(calls < 10 * n);
		assert_true(v.reads <= chunks);
		assert_true(w->work <= chunks * 2 * WHEEL_PER_CHUNK);
		for (i = 0; i < got; i++) {
			assert_true(out[i] < n && !seen[out[i]]);
			seen[out[i]] = 1;
			assert_true(ticks[out[i]] <= now);
			assert_true(ticks[out[i]] >= last);
			last = ticks[out[i]];
		}
		total += got;
		if (wheel_count(w) > 0)
			assert_true(wheel_backlog(w));
	}
	assert_int_equal(total, n);
	/* The time bound, not the count, ended all but the last calls. */
	assert_true(wheel_deadline_stops(w) - stops >= calls - 1);
	assert_true(calls > n / (chunks * WHEEL_PER_CHUNK));
	assert_false(wheel_backlog(w));
	free(seen);
}

static void
test_deadline_bound(void **state)
{
	static const uint64_t reads[] = { 0, 1, 3 };
	enum { N = 20000 };
	static uint64_t ticks[N];
	uint64_t rng = 99;
	size_t r, i;

	(void)state;
	for (r = 0; r < sizeof(reads) / sizeof(reads[0]); r++) {
		struct wheel *w = wheel_create(N, 0);

		assert_non_null(w);
		/* Within one level-2 block, and across its end. */
		for (i = 0; i < N; i++) {
			ticks[i] = 1 + rng_below(&rng, 9000);
			assert_int_equal(wheel_add(w, ticks[i], i), 0);
		}
		check_ok(w);
		deadline_drain(w, ticks, N, 9000, reads[r]);
		wheel_destroy(w);
	}
}

/* A full pool of stale entries: compaction makes room, in place. */
static void
test_compact_full(void **state)
{
	struct model m = { .cap = 5000, .rng = 7 };
	struct wheel *w = wheel_create(5000, 1000);
	size_t i;

	(void)state;
	assert_non_null(w);
	m.e = calloc(6000, sizeof(*m.e));
	assert_non_null(m.e);
	while (m.live < m.cap)
		model_add(&m, w);
	assert_int_equal(wheel_add(w, 2000, 0), -ENOSPC);
	for (i = 0; i < m.n; i++)
		m.e[i].doomed = i % 10 != 0;
	model_compact(&m, w);
	check_ok(w);
	assert_int_equal(wheel_count(w), 500);
	while (m.n < 6000 && m.live < m.cap)
		model_add(&m, w);
	check_ok(w);
	/* Everything left comes out, at its tick. */
	while (m.live > 0) {
		model_expire(&m, w, wheel_now(w) + (UINT64_C(1) << 42),
			     BIG_BUDGET);
		check_ok(w);
	}
	assert_int_equal(wheel_count(w), 0);
	/* Nothing is left and all chunks went back to the pool. */
	assert_int_equal(wheel_compact(w, model_keep, &m), 0);
	free(m.e);
	wheel_destroy(w);
}

static void
test_model_random(void **state)
{
	static const uint64_t seeds[] = { 1, 2, 3, 0xdeadbeef, 12345678901ull };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++) {
		model_run(seeds[i], 6000, 1500);
		model_run(seeds[i] + 100, 3000, 40);
	}
}

/*
 * Fill one slot with n entries, n around the chunk size (63), at a tick
 * of level 1 or 2 (one or two re-filings before it is due), and drain
 * it with budgets that split chunks anywhere: every cookie comes out
 * exactly once, never more than the budget per call. This catches an
 * append that overruns or skips a full chunk, and a hand-out that takes
 * the wrong entries of a partly drained chunk.
 */
static void
chunk_edges_one(uint32_t n, uint64_t tick, size_t max)
{
	static uint8_t seen[256];
	struct wheel *w = wheel_create(n, 0);
	size_t got, total = 0, i;

	assert_non_null(w);
	memset(seen, 0, sizeof(seen));
	for (i = 0; i < n; i++)
		assert_int_equal(wheel_add(w, tick, 1000 + i), 0);
	check_ok(w);
	assert_int_equal(wheel_expire(w, tick - 1, out, max), 0);
	check_ok(w);
	while (total < n) {
		got = expire_some(w, tick, max);
		assert_true(got > 0 && got <= max);
		for (i = 0; i < got; i++) {
			assert_true(out[i] >= 1000 && out[i] < 1000 + n);
			assert_int_equal(seen[out[i] - 1000], 0);
			seen[out[i] - 1000] = 1;
		}
		total += got;
	}
	assert_int_equal(total, n);
	assert_int_equal(wheel_count(w), 0);
	assert_int_equal(wheel_expire(w, tick + 1000, out, max), 0);
	check_ok(w);
	wheel_destroy(w);
}

static void
test_chunk_edges(void **state)
{
	static const uint32_t counts[] = { 1, 62, 63, 64, 126, 127, 190 };
	static const size_t budgets[] = { 1, 5, 62, 63, 64, 200 };
	size_t i, j;

	(void)state;
	for (i = 0; i < sizeof(counts) / sizeof(counts[0]); i++)
		for (j = 0; j < sizeof(budgets) / sizeof(budgets[0]); j++) {
			chunk_edges_one(counts[i], 100, budgets[j]);
			chunk_edges_one(counts[i], 5000, budgets[j]);
		}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create),
		cmocka_unit_test(test_boundaries_single),
		cmocka_unit_test(test_boundaries_together),
		cmocka_unit_test(test_past_and_now),
		cmocka_unit_test(test_wrap_every_level),
		cmocka_unit_test(test_big_jump),
		cmocka_unit_test(test_budget_drain),
		cmocka_unit_test(test_storm_bounded),
		cmocka_unit_test(test_storm_deadline),
		cmocka_unit_test(test_rearm_while_draining),
		cmocka_unit_test(test_enospc),
		cmocka_unit_test(test_far_future),
		cmocka_unit_test(test_check_detects),
		cmocka_unit_test(test_compact_full),
		cmocka_unit_test(test_model_random),
		cmocka_unit_test(test_deadline_bound),
		cmocka_unit_test(test_chunk_edges),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
