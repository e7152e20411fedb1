/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of the timing wheel's incremental compaction
 * (wheel_compact_step()): a randomized check against a reference model
 * with adds, expiry, steps and full compactions interleaved, and the
 * bound on one step's work with a million entries in one slot or spread
 * over every list. wheel_check() runs after every operation of the
 * model.
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
/* Entries one step may examine beyond its work: the rest of a chunk. */
#define STEP_SLACK (WHEEL_PER_CHUNK - 1)

static uint64_t out[BIG_BUDGET];

/*
 * Reference model: every entry ever armed, the range [lo, hi] its
 * effective expiry may take (see test_wheel.c), whether it is still
 * armed, whether keep() rejects it (fixed when it is armed: a stale
 * entry stays stale), and whether it was armed when the pass under way
 * started.
 */
struct model_entry {
	uint64_t tick;
	uint64_t lo;
	uint64_t hi;
	int live;
	int stale;
	int at_start;
	/*
	 * Armed onto the overflow list: a pass may miss it (the position
	 * crossing a span boundary moves it back there) or keep it (at
	 * ovf_min).
	 */
	int far;
};

struct model {
	struct model_entry *e;
	size_t n;
	size_t max;
	size_t live;
	uint64_t cap;
	uint64_t rng;
	uint64_t keep_calls;
	uint8_t *seen;
};

static int
model_keep(uint64_t cookie, void *arg)
{
	struct model *m = arg;

	m->keep_calls++;
	assert_true(cookie < m->n);
	assert_true(m->e[cookie].live);
	return !m->e[cookie].stale;
}

static void
model_add(struct model *m, struct wheel *w)
{
	uint64_t now = wheel_now(w), tick;
	struct model_entry *e;
	int rc;

	if (m->n == m->max)
		return;
	e = &m->e[m->n];
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
	e->stale = rng_below(&m->rng, 3) == 0;
	e->at_start = 0;
	/* Filed on the overflow list (relative to the wheel's position). */
	e->far = tick > w->cur && wheel_level_of(tick, w->cur) >= WHEEL_LEVELS;
	m->n++;
	m->live++;
}

static void
model_expire(struct model *m, struct wheel *w, uint64_t now, size_t max)
{
	uint64_t max_lo = 0;
	size_t i, n;

	if (now < wheel_now(w))
		return;
	n = wheel_expire(w, now, out, max);
	for (i = 0; i < n; i++) {
		struct model_entry *e;

		assert_true(out[i] < m->n);
		e = &m->e[out[i]];
		/* Exactly once, never before its tick. */
		assert_true(e->live && e->tick <= now);
		e->live = 0;
		if (e->lo > max_lo)
			max_lo = e->lo;
	}
	m->live -= n;
	for (i = 0; i < m->n; i++)
		if (m->e[i].live && m->e[i].tick <= now)
			assert_true(m->e[i].hi >= max_lo);
}

/* Mark the cookies of list head in m->seen; each may be seen once. */
static void
seen_list(struct model *m, const struct wheel *w, uint32_t head)
{
	uint32_t i, j;

	for (i = head; i != WHEEL_NONE; i = w->chunks[i].next)
		for (j = 0; j < w->chunks[i].count; j++) {
			uint64_t ck = w->chunks[i].e[j].cookie;

			assert_true(ck < m->n);
			assert_int_equal(m->seen[ck], 0);
			m->seen[ck] = 1;
		}
}

/*
 * After a compaction: every entry the model has armed is still there
 * unless keep() rejects it, and nothing else is (white-box walk).
 * Returns how many were found gone.
 */
static uint64_t
model_sync(struct model *m, const struct wheel *w)
{
	uint64_t gone = 0;
	unsigned l, s;
	size_t i;

	memset(m->seen, 0, m->n);
	for (l = 0; l < WHEEL_LEVELS; l++)
		for (s = 0; s < WHEEL_SLOTS; s++)
			seen_list(m, w, w->slot[l][s]);
	for (l = 0; l < WHEEL_STAGES; l++)
		for (s = 0; s < WHEEL_SLOTS; s++)
			seen_list(m, w, w->next[l][s]);
	for (l = 0; l <= WHEEL_LEVELS; l++)
		seen_list(m, w, w->pend[l]);
	seen_list(m, w, w->due);
	seen_list(m, w, w->ovf);
	for (i = 0; i < m->n; i++) {
		if (m->seen[i]) {
			assert_true(m->e[i].live);
			continue;
		}
		if (!m->e[i].live)
			continue;
		/* Dropped: only an entry keep() rejects. */
		assert_true(m->e[i].stale);
		m->e[i].live = 0;
		m->live--;
		gone++;
	}
	return gone;
}

static void
model_begin(struct model *m, struct wheel *w)
{
	size_t i;

	if (wheel_compact_busy(w))
		return;
	wheel_compact_begin(w);
	for (i = 0; i < m->n; i++)
		m->e[i].at_start = m->e[i].live;
}

/* A pass ended: no entry stale at its start is left (but far ones). */
static void
model_pass_done(const struct model *m)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		if (m->e[i].live && m->e[i].at_start && !m->e[i].far)
			assert_false(m->e[i].stale);
}

static void
model_step(struct model *m, struct wheel *w)
{
	static const size_t works[] = { 1, 4, 8, 63, 64, 200 };
	uint64_t passes = wheel_compact_passes(w), got, calls;
	size_t work = works[rng_below(&m->rng, 6)];

	m->keep_calls = 0;
	if (rng_below(&m->rng, 5) == 0) {
		/* Expiry's share: as many as it handed out or re-filed. */
		uint64_t e = wheel_compact_examined(w);

		work = (size_t)(wheel_touched(w) - w->cz.paid);
		got = wheel_compact_catch_up(w, model_keep, m, NULL);
		assert_true(m->keep_calls < work + WHEEL_PER_CHUNK);
		/* Paid in full, less a chunk examined ahead, unless it ended. */
		if (wheel_compact_busy(w)) {
			assert_true(wheel_compact_examined(w) - e +
					    STEP_SLACK >=
				    work);
			assert_int_equal(w->cz.paid, wheel_touched(w));
		}
	} else if (rng_below(&m->rng, 4) == 0) {
		struct vclock v = { .t = 0 };
		struct wheel_clock clk = { .now = vclock_now,
					   .arg = &v,
					   .deadline = rng_below(&m->rng, 3) };

		got = wheel_compact_step(w, model_keep, m, work, &clk);
		/* At least one chunk, then the deadline stops it. */
		assert_true(v.reads <= clk.deadline + 1);
	} else {
		got = wheel_compact_step(w, model_keep, m, work, NULL);
	}
	calls = m->keep_calls;
	assert_true(calls < work + WHEEL_PER_CHUNK);
	assert_int_equal(model_sync(m, w), got);
	if (wheel_compact_passes(w) != passes)
		model_pass_done(m);
}

static void
model_full(struct model *m, struct wheel *w)
{
	uint64_t got = wheel_compact(w, model_keep, m);

	assert_int_equal(model_sync(m, w), got);
	assert_false(wheel_compact_busy(w));
}

static void
model_run(uint64_t seed, size_t ops, uint64_t cap)
{
	static const size_t budgets[] = { 1, 2, 3, 16, 100, BIG_BUDGET };
	struct model m = { .cap = cap, .rng = seed, .max = ops };
	struct wheel *w = wheel_create((uint32_t)cap, seed % 100000);
	uint64_t passes;
	size_t i, r;

	assert_non_null(w);
	m.e = calloc(ops, sizeof(*m.e));
	m.seen = calloc(ops, 1);
	assert_non_null(m.e);
	assert_non_null(m.seen);
	for (i = 0; i < ops; i++) {
		r = rng_below(&m.rng, 100);
		if (r < 2) {
			model_full(&m, w);
		} else if (r < 6) {
			model_begin(&m, w);
		} else if (r < 40) {
			model_step(&m, w);
		} else if (r < 75) {
			model_add(&m, w);
		} else {
			uint64_t now = wheel_now(w) + model_advance(&m.rng);

			model_expire(&m, w, now, budgets[rng_below(&m.rng, 6)]);
		}
		assert_int_equal(wheel_count(w), m.live);
		check_ok(w);
	}
	/* A last pass to its end. */
	model_begin(&m, w);
	passes = wheel_compact_passes(w);
	while (wheel_compact_passes(w) == passes) {
		model_step(&m, w);
		check_ok(w);
	}
	while (m.live > 0) {
		model_expire(&m, w, wheel_now(w) + (UINT64_C(1) << 42),
			     BIG_BUDGET);
		check_ok(w);
	}
	assert_int_equal(wheel_count(w), 0);
	free(m.seen);
	free(m.e);
	wheel_destroy(w);
}

static void
test_model_random(void **state)
{
	static const uint64_t seeds[] = {
		1, 2, 3, 0xdeadbeef, 12345678901ull, 77, 4242
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++) {
		model_run(seeds[i], 6000, 1500);
		model_run(seeds[i] + 100, 3000, 40);
		model_run(seeds[i] + 200, 4000, 4000);
	}
}

/* keep(): cookies that are multiples of 3 are live; counts its calls. */
static uint64_t bound_calls;

static int
bound_keep(uint64_t cookie, void *arg)
{
	(void)arg;
	bound_calls++;
	return cookie % 3 == 0;
}

/*
 * Run a pass to its end with steps of work entries, expiring up to
 * now_to (spread over the pass) between steps; every step examines
 * fewer than work + 63 entries and frees at most a chunk per entry
 * group it compacts. Returns the number of steps.
 */
static uint64_t
bound_pass(struct wheel *w, size_t work, uint64_t now_to, uint64_t *handed)
{
	uint64_t steps = 0, worst = 0, before, now = wheel_now(w);

	wheel_compact_begin(w);
	while (wheel_compact_busy(w)) {
		before = bound_calls;
		wheel_compact_step(w, bound_keep, NULL, work, NULL);
		if (bound_calls - before > worst)
			worst = bound_calls - before;
		assert_true(bound_calls - before < work + WHEEL_PER_CHUNK);
		steps++;
		if (now < now_to && steps % 64 == 0) {
			now++;
			*handed += wheel_expire(w, now, out, 16);
		}
	}
	assert_true(worst >= work);
	return steps;
}

/*
 * The bound, at a million entries, two thirds stale. All in one slot
 * (a level-2 slot: one list of 15,874 chunks), then spread over every
 * level, stage, the due and overflow lists with expiry re-filing and
 * handing out between steps. Each step of 8 examines fewer than 8 + 63
 * entries; the pass drops every stale entry present at its start.
 */
static void
test_step_bound(void **state)
{
	enum { N = 1000000 };
	uint64_t rng = 99, handed = 0, steps, i, t;
	struct wheel *w;

	(void)state;
	w = wheel_create(N, 1000);
	assert_non_null(w);
	for (i = 0; i < N; i++)
		assert_int_equal(wheel_add(w, 1000 + 5000, i), 0);
	bound_calls = 0;
	steps = bound_pass(w, 8, 1000, &handed);
	assert_true(steps >= N / (8 + WHEEL_PER_CHUNK));
	assert_int_equal(bound_calls, N);
	assert_int_equal(wheel_count(w), (N + 2) / 3);
	check_ok(w);
	t = 0;
	while (wheel_count(w) > 0) {
		size_t n = wheel_expire(w, 6000, out, BIG_BUDGET), k;

		for (k = 0; k < n; k++)
			assert_int_equal(out[k] % 3, 0);
		t += n;
	}
	assert_int_equal(t, (N + 2) / 3);
	wheel_destroy(w);

	w = wheel_create(N, 1000);
	assert_non_null(w);
	for (i = 0; i < N; i++) {
		switch (rng_below(&rng, 4)) {
		case 0:
			t = 1000 + rng_below(&rng, 300);
			break;
		case 1:
			t = 1000 + rng_below(&rng, UINT64_C(1) << 20);
			break;
		case 2:
			t = 1000 + rng_below(&rng, SPAN);
			break;
		default:
			t = 1000 + rng_below(&rng, UINT64_C(1) << 40);
		}
		assert_int_equal(wheel_add(w, t, i), 0);
	}
	bound_calls = 0;
	steps = bound_pass(w, 8, 1400, &handed);
	assert_true(steps >= N / (8 + WHEEL_PER_CHUNK));
	assert_true(handed > 0);
	check_ok(w);
	/* At most the far entries at ovf_min are stale and left. */
	assert_true(wheel_count(w) <= (N + 2) / 3 + 8);
	wheel_destroy(w);
}

/*
 * The chunk after the last one done is freed by expiry between steps
 * (a list drained from its head past the position): the next step
 * resumes at the list's head, the pass still ends, and the wheel stays
 * consistent. Then the chain being visited is moved (stage to level,
 * level to pending) between steps.
 */
static void
expire_seen(struct wheel *w, uint64_t now, size_t max, uint8_t *seen)
{
	size_t n = wheel_expire(w, now, out, max), i;

	for (i = 0; i < n; i++) {
		assert_true(out[i] < 1200);
		assert_int_equal(seen[out[i]], 0);
		seen[out[i]] = 1;
	}
	check_ok(w);
}

static void
test_step_list_moves(void **state)
{
	static const size_t works[] = { 1, 8, 64 };
	static uint8_t seen[1200];
	uint64_t i, passes, k;
	struct wheel *w;

	(void)state;
	for (k = 0; k < 3; k++) {
		w = wheel_create(4000, 0);
		assert_non_null(w);
		memset(seen, 0, sizeof(seen));
		/* 600 entries at 70: stage 0 of the next level-1 block. */
		for (i = 0; i < 600; i++)
			assert_int_equal(wheel_add(w, 70, i), 0);
		/* And 600 at 130, level 1 slot 2. */
		for (i = 600; i < 1200; i++)
			assert_int_equal(wheel_add(w, 130, i), 0);
		check_ok(w);
		wheel_compact_begin(w);
		passes = wheel_compact_passes(w);
		while (wheel_compact_passes(w) == passes) {
			wheel_compact_step(w, bound_keep, NULL, works[k], NULL);
			check_ok(w);
			/* Lists move, and drain, under the position. */
			expire_seen(w, wheel_now(w) + 3, 5, seen);
		}
		while (wheel_count(w) > 0)
			expire_seen(w, 1000, BIG_BUDGET, seen);
		/* Every live entry came out, once. */
		for (i = 0; i < 1200; i += 3)
			assert_int_equal(seen[i], 1);
		wheel_destroy(w);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_model_random),
		cmocka_unit_test(test_step_list_moves),
		cmocka_unit_test(test_step_bound),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
