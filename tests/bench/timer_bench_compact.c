/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The worst single insert of the timer wheel when stale entries fill it:
 * the full compaction (one call walks every entry) against the
 * incremental one (a pass started at 3/4 of capacity, 8 entries examined
 * per insert), on the stream of inserts tcp_timer.c's wheel_insert()
 * makes when every connection keeps moving its deadline earlier.
 *
 *   timer_bench_compact [connections] [rounds]
 *
 * connections (default 10,000,000): N; the wheel holds 2N + 64 entries,
 * as in tcp_ctx_create(). Each connection is a 64-byte record read by
 * keep() (its generation), visited in a scrambled order, as connection
 * slots are. rounds (default 3): re-arms per connection, each earlier
 * than the last; every one leaves a stale entry. Reports, per mode, the
 * slowest insert (ns, and entries examined by keep() in it), the total
 * time of the stream and the inserts that failed (must be 0).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "wheel.h"

#define CZ_WORK 8

struct conn {
	uint32_t gen;
	uint32_t pad[15];
};

struct bench {
	struct conn *conns;
	uint64_t n;
	uint64_t keeps;
};

static int
keep(uint64_t cookie, void *arg)
{
	struct bench *b = arg;

	b->keeps++;
	return b->conns[(uint32_t)cookie].gen == (uint32_t)(cookie >> 32);
}

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

#define HIST 40

struct result {
	uint64_t worst_ns;
	uint64_t worst_keeps;
	uint64_t most_keeps;
	/* Inserts that examined entries, and their time. */
	uint64_t working;
	uint64_t working_ns;
	/* Inserts by time, bucket b: [2^b, 2^(b+1)) ns. */
	uint64_t hist[HIST];
	uint64_t total_ns;
	uint64_t inserts;
	uint64_t failed;
	uint64_t full_walks;
	uint64_t passes;
};

/* One insert as wheel_insert() makes it; incremental or not. */
static void
insert(struct bench *b, struct wheel *w, uint64_t tick, uint64_t ck,
       int incremental, struct result *r)
{
	uint64_t cap = b->n * 2 + 64, t0, dt, k0 = b->keeps;

	t0 = now_ns();
	if (incremental) {
		if (!wheel_compact_busy(w) && wheel_count(w) * 4 >= cap * 3)
			wheel_compact_begin(w);
		if (wheel_compact_busy(w))
			wheel_compact_step(w, keep, b, CZ_WORK, NULL);
	}
	if (wheel_add(w, tick, ck) != 0) {
		wheel_compact(w, keep, b);
		r->full_walks++;
		if (wheel_add(w, tick, ck) != 0)
			r->failed++;
	}
	dt = now_ns() - t0;
	r->total_ns += dt;
	r->inserts++;
	r->hist[dt == 0 ? 0 : 63 - __builtin_clzll(dt)]++;
	if (b->keeps - k0 > r->most_keeps)
		r->most_keeps = b->keeps - k0;
	if (b->keeps != k0) {
		r->working++;
		r->working_ns += dt;
	}
	if (dt > r->worst_ns) {
		r->worst_ns = dt;
		r->worst_keeps = b->keeps - k0;
	}
}

static int
run(struct bench *b, uint64_t rounds, int incremental, struct result *r)
{
	struct wheel *w = wheel_create((uint32_t)(b->n * 2 + 64), 0);
	uint64_t k, i, idx, tick;

	if (w == NULL)
		return -1;
	memset(r, 0, sizeof(*r));
	for (i = 0; i < b->n; i++)
		b->conns[i].gen = 0;
	for (k = 0; k < rounds; k++) {
		for (i = 0; i < b->n; i++) {
			/* A scrambled slot order (the multiplier is odd, not 5k). */
			idx = (i * UINT64_C(2654435761)) % b->n;
			/* Earlier each round: 1 h out, minus a minute a round. */
			tick = 3600000 - k * 60000 - idx % 1000;
			b->conns[idx].gen = (uint32_t)k + 1;
			insert(b, w, tick, ((uint64_t)(k + 1) << 32) | idx,
			       incremental, r);
		}
	}
	r->passes = wheel_compact_passes(w);
	wheel_destroy(w);
	return 0;
}

/* The bucket's upper bound below which a fraction q of inserts took. */
static uint64_t
quantile_ns(const struct result *r, double q)
{
	uint64_t sum = 0;
	unsigned b;

	for (b = 0; b < HIST; b++) {
		sum += r->hist[b];
		if ((double)sum >= q * (double)r->inserts)
			return UINT64_C(2) << b;
	}
	return UINT64_MAX;
}

static void
report(const char *name, const struct result *r)
{
	printf("%s:\n  worst insert %.3f ms (%" PRIu64
	       " entries examined in it); most examined by one insert %" PRIu64
	       "\n  99.9%% of inserts < %" PRIu64 " ns, 99.999%% < %" PRIu64
	       " ns\n  inserts that examined entries: %" PRIu64
	       ", %.0f ns each on average"
	       "\n  stream %.3f s for %" PRIu64 " inserts; full walks %" PRIu64
	       ", passes %" PRIu64 ", failed %" PRIu64 "\n",
	       name, (double)r->worst_ns / 1e6, r->worst_keeps, r->most_keeps,
	       quantile_ns(r, 0.999), quantile_ns(r, 0.99999), r->working,
	       r->working > 0 ? (double)r->working_ns / (double)r->working :
				0.0,
	       (double)r->total_ns / 1e9, r->inserts, r->full_walks, r->passes,
	       r->failed);
}

int
main(int argc, char **argv)
{
	struct bench b = { .n = 10000000 };
	uint64_t rounds = 3;
	struct result full, inc;

	if (argc > 1)
		b.n = strtoull(argv[1], NULL, 0);
	if (argc > 2)
		rounds = strtoull(argv[2], NULL, 0);
	if (b.n == 0 || b.n > UINT32_MAX / 2 - 64 || rounds == 0) {
		fprintf(stderr, "usage: %s [connections] [rounds]\n", argv[0]);
		return 2;
	}
	b.conns = calloc(b.n, sizeof(*b.conns));
	if (b.conns == NULL) {
		fprintf(stderr, "out of memory\n");
		return 1;
	}
	printf("timer_bench_compact: %" PRIu64 " connections, wheel of %" PRIu64
	       " entries, %" PRIu64 " re-arms each, each earlier\n",
	       b.n, b.n * 2 + 64, rounds);
	if (run(&b, rounds, 0, &full) != 0 || run(&b, rounds, 1, &inc) != 0) {
		fprintf(stderr, "wheel_create failed\n");
		return 1;
	}
	report("full walk", &full);
	report("incremental", &inc);
	printf("{\"bench\":\"compact\",\"connections\":%" PRIu64
	       ",\"rounds\":%" PRIu64 ",\"full_worst_ns\":%" PRIu64
	       ",\"full_most_examined\":%" PRIu64
	       ",\"incremental_worst_ns\":%" PRIu64
	       ",\"incremental_most_examined\":%" PRIu64
	       ",\"incremental_full_walks\":%" PRIu64
	       ",\"incremental_passes\":%" PRIu64 ",\"failed\":%" PRIu64 "}\n",
	       b.n, rounds, full.worst_ns, full.most_keeps, inc.worst_ns,
	       inc.most_keeps, inc.full_walks, inc.passes,
	       full.failed + inc.failed);
	free(b.conns);
	return inc.failed == 0 && full.failed == 0 ? 0 : 1;
}
