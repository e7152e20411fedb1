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
 *
 * Work per wheel_expire() call is bounded by its budget. Two structures
 * serve that:
 * - next[k] (stage k, k < WHEEL_STAGES): level k of the next block of
 *   level k + 1, i.e. entries whose tick t has t >> 6(k+1) equal to
 *   (cur >> 6(k+1)) + 1, filed by digit k. Entries are armed straight into
 *   the lowest stage they fit, and the slot holding the next block of each
 *   level is moved into the stages a budget at a time ahead of time
 *   (pre-cascade), so that entering a block is a swap of 64 list heads
 *   instead of a re-file of a whole slot.
 * - pend[l]: a slot of level l >= 1 (l == WHEEL_LEVELS: the overflow list)
 *   whose start the position has reached and which was not pre-cascaded
 *   in time, re-filed a budget at a time. Its entries are >= cur and share
 *   cur's digits from l up; the position does not move until every
 *   pending list is empty.
 */
#ifndef TT_WHEEL_INTERNAL_H
#define TT_WHEEL_INTERNAL_H

#include <stdint.h>

#include "wheel.h"

#define WHEEL_BITS 6
#define WHEEL_SLOTS (1u << WHEEL_BITS)
#define WHEEL_LEVELS 6
#define WHEEL_SPAN_BITS (WHEEL_BITS * WHEEL_LEVELS)
#define WHEEL_STAGES (WHEEL_LEVELS - 1)
#define WHEEL_PER_CHUNK 63
#define WHEEL_NONE UINT32_MAX
/* Slots, stages, the due and overflow lists, pending lists. */
#define WHEEL_NLISTS \
	((WHEEL_LEVELS + WHEEL_STAGES) * WHEEL_SLOTS + 2 + WHEEL_LEVELS)

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
	/*
	 * Set from the pool's allocation serial when the chunk is taken,
	 * 0 while it is free: the incremental compaction's position is valid
	 * while the chunk it names still carries the serial it saw.
	 */
	uint64_t serial;
	struct wheel_entry e[WHEEL_PER_CHUNK];
} __attribute__((aligned(64)));

_Static_assert(sizeof(struct wheel_chunk) == 1024, "chunk is 16 lines");

/*
 * Position of an incremental compaction pass (wheel_compact_step()): the
 * list being visited (its index in the visiting order, and the variable
 * now holding its chain, which follows the chain when expiry moves it),
 * and the last chunk of that chain already compacted.
 */
struct wheel_cz {
	uint32_t *hp;
	uint64_t at_serial;
	uint64_t passes;
	/* Entries examined, in total. */
	uint64_t examined;
	/* wheel->touched when expiry's moves were last paid for. */
	uint64_t paid;
	/*
	 * Entries asked for by steps and not yet examined; negative: examined
	 * ahead (a chunk is done whole), deducted from the next steps.
	 */
	int64_t credit;
	uint32_t idx;
	uint32_t at;
	int active;
};

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
	uint64_t occ_next[WHEEL_STAGES];
	/*
	 * Entries touched (handed out or re-filed) by the expire call under
	 * way, or by the last one; counted chunk by chunk, so that a test's
	 * virtual clock can charge for them as they are done.
	 */
	uint64_t work;
	/* Time bound of the expire call under way (NULL: none). */
	const struct wheel_clock *clk;
	/* Set when the call's time bound has passed. */
	int stop;
	/* Calls stopped by their time bound. */
	uint64_t deadline_stops;
	/* Slots of level >= 1 reached before being fully pre-cascaded. */
	uint64_t pend_slots;
	/*
	 * Entries handed out whose share of pre-cascade (one move each) is
	 * not yet paid; paid by the chunk, across calls if need be.
	 */
	uint64_t owed;
	uint32_t due;
	uint32_t ovf;
	/* Bit l set when pend[l] is non-empty. */
	uint32_t pend_mask;
	/* Pool: free list, then never-used chunks from bump to nchunks. */
	uint32_t free_head;
	uint32_t bump;
	uint32_t nchunks;
	uint32_t nfree;
	/* Allocation serial of the last chunk taken (never 0 once taken). */
	uint64_t serial;
	/* Entries handed out or re-filed by expire calls, in total. */
	uint64_t touched;
	struct wheel_cz cz;
	struct wheel_chunk *chunks;
	uint32_t pend[WHEEL_LEVELS + 1];
	uint32_t slot[WHEEL_LEVELS][WHEEL_SLOTS];
	uint32_t next[WHEEL_STAGES][WHEEL_SLOTS];
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

/* Block of tick t at level k: t without its k lowest digits. */
static inline uint64_t
wheel_block(uint64_t t, unsigned k)
{
	return t >> (k * WHEEL_BITS);
}

/*
 * Stage of tick t, of level level relative to cur: the lowest k below
 * level such that t lies in the block of level k + 1 after cur's, or -1.
 * Overflow entries are never staged, so that the position enters a new
 * 2^WHEEL_SPAN_BITS block only through the overflow list's event.
 */
static inline int
wheel_stage_of(uint64_t t, uint64_t cur, unsigned level)
{
	unsigned k, top = level < WHEEL_LEVELS ? level : 0;

	for (k = 0; k < top; k++)
		if (wheel_block(t, k + 1) == wheel_block(cur, k + 1) + 1)
			return (int)k;
	return -1;
}

#endif /* TT_WHEEL_INTERNAL_H */
