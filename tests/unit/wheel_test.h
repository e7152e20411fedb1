/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Shared by the timer wheel's unit tests (test_wheel.c,
 * test_wheel_compact.c): the invariant check, a seeded 64-bit xorshift,
 * a virtual clock for wheel_expire_until(), and the delays the reference
 * models arm at and the steps their clocks take.
 */
#ifndef TT_WHEEL_TEST_H
#define TT_WHEEL_TEST_H

#include <stdint.h>

#include "wheel.h"
#include "wheel_internal.h"

#define SPAN (UINT64_C(1) << WHEEL_SPAN_BITS)

static inline void
check_ok(const struct wheel *w)
{
	char err[256];

	if (wheel_check(w, err, sizeof(err)) != 0)
		fail_msg("wheel_check: %s", err);
}

static inline uint64_t
rng_next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static inline uint64_t
rng_below(uint64_t *s, uint64_t n)
{
	return n == 0 ? 0 : rng_next(s) % n;
}

/* A virtual clock that advances by one on every read. */
struct vclock {
	uint64_t t;
	uint64_t reads;
};

static inline uint64_t
vclock_now(void *arg)
{
	struct vclock *v = arg;

	v->reads++;
	return v->t++;
}

/*
 * A delay to arm a model's entry at: mostly near, some in every level,
 * some at the edge of the wheel's span and some far past it (overflow).
 */
static inline uint64_t
model_delay(uint64_t *rng)
{
	switch (rng_below(rng, 10)) {
	case 0:
		return rng_below(rng, 64);
	case 1:
		return rng_below(rng, 5000);
	case 2:
		return rng_below(rng, UINT64_C(1) << 20);
	case 3:
		return rng_below(rng, UINT64_C(1) << 27);
	case 4:
		return SPAN - 64 + rng_below(rng, 128);
	case 5:
		return (UINT64_C(1) << 40) + rng_below(rng, 1000);
	default:
		return rng_below(rng, 300);
	}
}

/* A step of the model's clock: mostly small, now and then a level's span. */
static inline uint64_t
model_advance(uint64_t *rng)
{
	switch (rng_below(rng, 12)) {
	case 0:
		return 0;
	case 1:
		return 1;
	case 2:
		return rng_below(rng, 64);
	case 3:
		return rng_below(rng, 5000);
	case 4:
		return rng_below(rng, UINT64_C(1) << 21);
	case 5:
		return rng_below(rng, 40) == 0 ?
			rng_below(rng, UINT64_C(1) << 38) :
			7;
	default:
		return rng_below(rng, 200);
	}
}

#endif /* TT_WHEEL_TEST_H */
