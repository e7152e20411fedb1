/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A fixed-seed xorshift32 for unit tests that draw random inputs: each
 * test file that includes it gets its own sequence, the same on every
 * run, so a failure reproduces.
 */
#ifndef TT_TEST_RNG_H
#define TT_TEST_RNG_H

#include <stdint.h>

static uint32_t rng_state = 0x2545f491;

static inline uint32_t
rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return rng_state;
}

#endif /* TT_TEST_RNG_H */
