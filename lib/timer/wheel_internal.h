/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Private layout of the timing wheel, shared by wheel.c, wheel_check.c and
 * white-box tests.
 *
 * Geometry: WHEEL_LEVELS levels of 64 slots. An entry of tick t, relative to
 * the wheel position cur, lives at the level of the highest 6-bit digit in
 * which t and cur differ, in the slot given by that digit of t. Hence every
 * occupied slot of a level lies strictly ahead of cur's digit at that level,
 * levels never wrap, and the next tick needing work is found from the
 * lowest non-empty level with one __builtin_ctzll(). Entries whose tick
 * differs from cur above bit WHEEL_SPAN_BITS wait on the overflow list;
 * entries whose tick is <= cur wait on the due list.
 */
#ifndef TT_WHEEL_INTERNAL_H
#define TT_WHEEL_INTERNAL_H

#include <stdint.h>

#include "wheel.h"

#define WHEEL_BITS 6
#define WHEEL_SLOTS (1u << WHEEL_BITS)
#define WHEEL_LEVELS 6
#define WHEEL_SPAN_BITS (WHEEL_BITS * WHEEL_LEVELS)
#define WHEEL_PER_CHUNK 15
#define WHEEL_NONE UINT32_MAX
/* Slots, the due list and the overflow list. */
#define WHEEL_NLISTS (WHEEL_LEVELS * WHEEL_SLOTS + 2)

struct wheel_entry {
	uint64_t expires;
	uint64_t cookie;
};

/*
 * A list is a chain of chunks linked by index. Only the head chunk of a
 * list may be partly filled; every chunk on a list holds at least one
 * entry.
 */
struct wheel_chunk {
	uint32_t next;
	uint32_t count;
	uint64_t pad;
	struct wheel_entry e[WHEEL_PER_CHUNK];
} __attribute__((aligned(64)));

_Static_assert(sizeof(struct wheel_chunk) == 256, "chunk is 4 lines");

struct wheel {
	/* Wheel position: all entries of tick < cur have been handed out. */
	uint64_t cur;
	/* Largest now passed by the caller; cur <= now. */
	uint64_t now;
	uint64_t count;
	uint64_t cap;
	/* Smallest tick on the overflow list, UINT64_MAX when empty. */
	uint64_t ovf_min;
	uint64_t occ[WHEEL_LEVELS];
	uint32_t due;
	uint32_t ovf;
	/* Pool: free list, then never-used chunks from bump to nchunks. */
	uint32_t free_head;
	uint32_t bump;
	uint32_t nchunks;
	uint32_t nfree;
	struct wheel_chunk *chunks;
	uint32_t slot[WHEEL_LEVELS][WHEEL_SLOTS];
} __attribute__((aligned(64)));

/* Level of tick t relative to position cur; t must differ from cur. */
static inline unsigned
wheel_level_of(uint64_t t, uint64_t cur)
{
	return (unsigned)(63 - __builtin_clzll(t ^ cur)) / WHEEL_BITS;
}

static inline unsigned
wheel_slot_of(uint64_t t, unsigned level)
{
	return (unsigned)(t >> (level * WHEEL_BITS)) & (WHEEL_SLOTS - 1);
}

#endif /* TT_WHEEL_INTERNAL_H */
