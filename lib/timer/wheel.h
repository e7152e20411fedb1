/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Per-core hierarchical timing wheel.
 *
 * Pure C, no clock: time is a tick count passed in by the caller. Entries
 * are opaque 64-bit cookies (the TCP layer packs an object index and a
 * generation into one), stored in array-backed slots (chunks taken from a
 * pool preallocated by wheel_create()), so arming never allocates and
 * expiring touches memory sequentially.
 *
 * Cancellation is lazy: the wheel has no cancel. The owner keeps the real
 * deadline in its own object and, when a cookie comes back from
 * wheel_expire(), checks it (stale generation: ignore; deadline moved
 * later: re-arm). This makes re-arming an RTO on every ACK free.
 *
 * Guarantees: an entry is never returned before its tick; it is returned
 * by the first wheel_expire() call whose now >= its tick, given budget
 * (see wheel_expire() for what a budget bounds, and docs/timers.md for
 * the lateness a short budget causes). Entries armed in the past
 * (tick <= current) are returned by the next wheel_expire().
 */
#ifndef TT_WHEEL_H
#define TT_WHEEL_H

#include <stddef.h>
#include <stdint.h>

struct wheel;

/*
 * Create a wheel whose current tick is now, able to hold max_entries
 * armed entries at once (chunked, so a few percent more are reserved).
 * Returns NULL on allocation failure.
 */
struct wheel *wheel_create(uint32_t max_entries, uint64_t now);
void wheel_destroy(struct wheel *w);

/*
 * Arm cookie to fire at tick expires. Returns 0, or -ENOSPC when the pool
 * of slots is exhausted (the caller counts it and degrades).
 */
int wheel_add(struct wheel *w, uint64_t expires, uint64_t cookie);

/*
 * Advance to now and hand back up to max due cookies in out[]. Returns
 * the number written. Never returns an entry whose tick is > now.
 *
 * Work is bounded by the budget: a call touches at most 2 * max entries
 * (handed out, or re-filed to a lower level), whatever the number due or
 * the size of the slots reached, plus constant work per slot reached. Each
 * call re-files entries of the slots of coming blocks ahead of time
 * (pre-cascade): as many as it hands out, and what is left of max at the
 * end of a call that its deadline did not stop, so that in a poll loop
 * that keeps up, no slot is re-filed at once when reached and no entry
 * is late. max == 0 only records now. A call may return fewer
 * than max while more is due (a large slot is being re-filed): when it
 * returns max or wheel_backlog() is true, more may be due; calling again
 * (in this poll or the next) continues, oldest first, without losing or
 * repeating entries.
 */
size_t wheel_expire(struct wheel *w, uint64_t now, uint64_t *out, size_t max);

/*
 * A time bound on one wheel_expire_until() call, in the caller's clock
 * (TSC cycles in the DPDK glue, a virtual clock in tests): the call stops
 * once now(arg) >= deadline. The wheel reads no clock of its own.
 */
struct wheel_clock {
	uint64_t (*now)(void *arg);
	void *arg;
	uint64_t deadline;
};

/*
 * wheel_expire(), bounded by time as well as by count: clk->now() is
 * read after each chunk of work (at most WHEEL_PER_CHUNK, 63, entries
 * handed out or re-filed; a chunk handed out may be followed by a chunk
 * of pre-cascade before the read), and once it reaches clk->deadline the call
 * returns what it has, as if its budget were used up (wheel_backlog()
 * then says whether more is due). A call always does one chunk of work
 * when work is due, so polls keep making progress; the next call resumes,
 * oldest first, without losing or repeating entries. clk == NULL is
 * wheel_expire(). Each stop is counted (wheel_deadline_stops()).
 */
size_t wheel_expire_until(struct wheel *w, uint64_t now, uint64_t *out,
			  size_t max, const struct wheel_clock *clk);

/* Calls of wheel_expire_until() stopped by their deadline. */
uint64_t wheel_deadline_stops(const struct wheel *w);

/*
 * Slots (level 1 and up) the position reached before pre-cascade had
 * moved them whole, so that they were re-filed while due (the wheel
 * jumped over idle time to them, or pre-cascade fell behind).
 */
uint64_t wheel_pending_slots(const struct wheel *w);

/* Whether the entry of cookie is still wanted (wheel_compact()). */
typedef int (*wheel_keep_fn)(uint64_t cookie, void *arg);

/*
 * Drop every armed entry whose cookie keep() rejects (stale entries of a
 * lazily cancelled timer), wherever it is filed, without moving the
 * others to another tick. O(entries); it allocates nothing. Returns the
 * number dropped. For the owner to call when wheel_add() finds the pool
 * full, so that stale entries never crowd out live ones; one call walks
 * every entry, so an owner that must not stall runs the incremental
 * compaction below and keeps this as a last resort.
 */
uint64_t wheel_compact(struct wheel *w, wheel_keep_fn keep, void *arg);

/*
 * Incremental compaction, for an owner that must never stall on
 * wheel_compact(). wheel_compact_begin() starts a pass (no-op while one
 * is under way); each wheel_compact_step() continues it, examining
 * fewer than work + WHEEL_PER_CHUNK (63) entries, dropping those keep()
 * rejects, in place, never moving an entry to another tick. Chunks are
 * compacted whole: what a call examines beyond work is deducted from
 * the next calls (a call may then examine none), so that over a pass
 * the entries examined are the sum of the works, within a chunk. With
 * clk, a call also stops once clk->now() reaches clk->deadline (read
 * after each chunk), and what it left undone is added to the next. Adds,
 * expiry and wheel_compact() may run between steps. A pass examines
 * every list once, and every entry present at its start and still
 * armed at its end was examined (entries keep() rejects are gone); the
 * entries it examines are those present at the start, those added
 * during it, and those expiry moved during it (handed out or re-filed:
 * wheel_touched()) or relocated with their list. Returns the number
 * dropped. wheel_compact() abandons a pass under way (it does its work).
 */
void wheel_compact_begin(struct wheel *w);
int wheel_compact_busy(const struct wheel *w);
uint64_t wheel_compact_step(struct wheel *w, wheel_keep_fn keep, void *arg,
			    size_t work, const struct wheel_clock *clk);
/*
 * The step that pays for expiry's moves: a step whose work is the
 * entries expire calls handed out or re-filed since the pass started or
 * the last catch-up (within clk, if given). Returns the number dropped.
 */
uint64_t wheel_compact_catch_up(struct wheel *w, wheel_keep_fn keep, void *arg,
				const struct wheel_clock *clk);
/* Passes completed. */
uint64_t wheel_compact_passes(const struct wheel *w);
/* Entries examined by compaction (steps and wheel_compact()), in total. */
uint64_t wheel_compact_examined(const struct wheel *w);
/* Entries handed out or re-filed by expire calls since creation. */
uint64_t wheel_touched(const struct wheel *w);

/*
 * Whether work is due at the last now passed to wheel_expire(): entries
 * ready to hand out, a slot being re-filed, or a tick <= now not yet
 * reached. O(levels).
 */
int wheel_backlog(const struct wheel *w);

/* Entries currently armed (including stale ones not yet expired). */
uint64_t wheel_count(const struct wheel *w);

/* Current tick (the last now passed to wheel_expire, or the creation). */
uint64_t wheel_now(const struct wheel *w);

/* Bytes of memory the wheel holds. */
size_t wheel_mem_bytes(const struct wheel *w);

/*
 * Check internal invariants (counts, occupancy bitmaps, chunk lists,
 * every entry in the slot its tick maps to). Returns 0 or -1 and, on
 * failure, writes a description into err.
 */
int wheel_check(const struct wheel *w, char *err, size_t errlen);

#endif /* TT_WHEEL_H */
