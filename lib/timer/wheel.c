/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Hierarchical timing wheel: arming, advancing and draining.
 *
 * Capacity argument: every list holds at most one partly filled chunk, so
 * n entries spread over WHEEL_NLISTS lists use at most
 * n / WHEEL_PER_CHUNK + WHEEL_NLISTS chunks. The pool is sized for that
 * plus one chunk (the chunk whose entries are being re-filed still holds
 * them while they are placed) plus one of slack, and wheel_add() keeps
 * the entry count within max_entries, so moving entries between lists
 * while advancing can never run out of chunks.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tt_mem.h"
#include "wheel_internal.h"

/* Huge page size, and the pool size from which huge pages are asked. */
#define WHEEL_HUGE (UINT64_C(2) << 20)
#define WHEEL_HUGE_MIN (UINT64_C(8) << 20)

/*
 * Prefetch the lines of chunk i, to read it (drain, re-file) or to fill
 * it (a chunk just taken for a list: its lines would otherwise be read
 * from memory one by one as entries are appended).
 */
static inline void
chunk_prefetch(const struct wheel *w, uint32_t i, int for_write)
{
	const char *p;
	size_t o;

	if (i == WHEEL_NONE)
		return;
	p = (const char *)&w->chunks[i];
	for (o = 0; o < sizeof(struct wheel_chunk); o += 64) {
		if (for_write)
			__builtin_prefetch(p + o, 1);
		else
			__builtin_prefetch(p + o, 0);
	}
}

static uint32_t
chunk_alloc(struct wheel *w)
{
	uint32_t i;

	if (w->free_head != WHEEL_NONE) {
		i = w->free_head;
		w->free_head = w->chunks[i].next;
	} else if (w->bump < w->nchunks) {
		i = w->bump++;
	} else {
		return WHEEL_NONE;
	}
	w->nfree--;
	w->chunks[i].serial = ++w->serial;
	return i;
}

static void
chunk_free(struct wheel *w, uint32_t i)
{
	w->chunks[i].serial = 0;
	w->chunks[i].next = w->free_head;
	w->free_head = i;
	w->nfree++;
}

/*
 * Called after each chunk of work of an expire call: read the caller's
 * clock, if it gave one, and note whether its deadline has passed.
 */
static inline int
wheel_timed_out(struct wheel *w)
{
	const struct wheel_clock *k = w->clk;

	if (k != NULL && !w->stop && k->now(k->arg) >= k->deadline)
		w->stop = 1;
	return w->stop;
}

/*
 * Put a fresh chunk at the head of list *head (its head chunk is full, or
 * it is empty). Returns the chunk, or WHEEL_NONE when the pool is used
 * up. Out of line: it runs once per 63 entries pushed.
 */
static __attribute__((noinline)) uint32_t
list_grow(struct wheel *w, uint32_t *head)
{
	uint32_t n = chunk_alloc(w);

	if (n == WHEEL_NONE)
		return WHEEL_NONE;
	chunk_prefetch(w, n, 1);
	w->chunks[n].next = *head;
	w->chunks[n].count = 0;
	*head = n;
	return n;
}

/*
 * Append an entry to the list whose head index is *head, and set bit s
 * of *occ (if occ is given) when the list takes a chunk: a list whose
 * bit is clear is empty, so its first entry always takes one. Inlined
 * in every caller: it is the inner step of arming and of every
 * re-filing, and a call would cost more than the append.
 */
static inline __attribute__((always_inline)) int
list_push(struct wheel *w, uint32_t *head, uint64_t *occ, unsigned s,
	  uint64_t expires, uint64_t cookie)
{
	struct wheel_chunk *c;
	uint32_t h = *head, k = 0;

	if (h != WHEEL_NONE)
		k = w->chunks[h].count;
	if (h == WHEEL_NONE || k == WHEEL_PER_CHUNK) {
		h = list_grow(w, head);
		if (h == WHEEL_NONE)
			return -ENOSPC;
		if (occ != NULL)
			*occ |= UINT64_C(1) << s;
		k = 0;
	}
	c = &w->chunks[h];
	c->e[k].expires = expires;
	c->e[k].cookie = cookie;
	c->count = k + 1;
	return 0;
}

/*
 * The position as re-filing sees it: cur, and for each stage k the last
 * tick of the block of level k + 1 after cur's (UINT64_MAX when that
 * block ends past the tick range). Computed once per move, in a local
 * variable, so that filing an entry reloads nothing its stores may
 * alias.
 */
struct wheel_pos {
	uint64_t cur;
	uint64_t last[WHEEL_STAGES];
};

static inline void
wheel_pos_init(const struct wheel *w, struct wheel_pos *p)
{
	unsigned k, sh;
	uint64_t hi;

	p->cur = w->cur;
	for (k = 0; k < WHEEL_STAGES; k++) {
		sh = (k + 1) * WHEEL_BITS;
		hi = (p->cur >> sh) + 2;
		p->last[k] = hi > (UINT64_MAX >> sh) ? UINT64_MAX :
						       (hi << sh) - 1;
	}
}

/*
 * File an entry in the list its tick maps to, relative to p->cur. The
 * stage is wheel_stage_of()'s: for k below the level, t's block of
 * level k + 1 is after cur's (they differ in a higher digit, t above),
 * so it is the next one exactly when t <= p->last[k], and the stage is
 * the lowest such k.
 */
static inline __attribute__((always_inline)) int
wheel_place_at(struct wheel *w, const struct wheel_pos *p, uint64_t expires,
	       uint64_t cookie)
{
	unsigned level, s, st;
	int rc;

	if (expires <= p->cur)
		return list_push(w, &w->due, NULL, 0, expires, cookie);
	level = wheel_level_of(expires, p->cur);
	if (level == 0) {
		s = wheel_slot_of(expires, 0);
		return list_push(w, &w->slot[0][s], &w->occ[0], s, expires,
				 cookie);
	}
	if (level >= WHEEL_LEVELS) {
		rc = list_push(w, &w->ovf, NULL, 0, expires, cookie);
		if (rc == 0 && expires < w->ovf_min)
			w->ovf_min = expires;
		return rc;
	}
	for (st = 0; st < level && expires > p->last[st]; st++)
		;
	if (st < level) {
		s = wheel_slot_of(expires, st);
		return list_push(w, &w->next[st][s], &w->occ_next[st], s,
				 expires, cookie);
	}
	s = wheel_slot_of(expires, level);
	return list_push(w, &w->slot[level][s], &w->occ[level], s, expires,
			 cookie);
}

/*
 * File an entry in the list its tick maps to, relative to w->cur, for
 * wheel_add(): one entry does not pay for a struct wheel_pos.
 */
static inline int
wheel_place(struct wheel *w, uint64_t expires, uint64_t cookie)
{
	unsigned level, s;
	int rc, st;

	if (expires <= w->cur)
		return list_push(w, &w->due, NULL, 0, expires, cookie);
	level = wheel_level_of(expires, w->cur);
	st = level > 0 ? wheel_stage_of(expires, w->cur, level) : -1;
	if (st >= 0) {
		s = wheel_slot_of(expires, (unsigned)st);
		return list_push(w, &w->next[st][s], &w->occ_next[st], s,
				 expires, cookie);
	}
	if (level >= WHEEL_LEVELS) {
		rc = list_push(w, &w->ovf, NULL, 0, expires, cookie);
		if (rc == 0 && expires < w->ovf_min)
			w->ovf_min = expires;
		return rc;
	}
	s = wheel_slot_of(expires, level);
	return list_push(w, &w->slot[level][s], &w->occ[level], s, expires,
			 cookie);
}

/*
 * File an entry of the block of level from (1..WHEEL_LEVELS - 1) after
 * the position's (t >> 6 * from is cur's plus one): pre-cascade's entries.
 * Such an entry differs from cur in a digit >= from, so its level is at
 * least from, and its block of level from is the next one: it always
 * goes to a stage below from, the lowest k with t <= p->last[k]
 * (wheel_place_at() with the checks that cannot fail left out).
 */
static inline __attribute__((always_inline)) int
wheel_place_ahead(struct wheel *w, const struct wheel_pos *p, unsigned from,
		  uint64_t expires, uint64_t cookie)
{
	unsigned st, s;

	for (st = 0; st + 1 < from && expires > p->last[st]; st++)
		;
	s = wheel_slot_of(expires, st);
	return list_push(w, &w->next[st][s], &w->occ_next[st], s, expires,
			 cookie);
}

/*
 * Re-file up to allow entries of the list *head relative to the current
 * position, taking them from its head chunk (the only partial one), and
 * return how many were moved. from == 0: any list that is not a
 * destination of its own entries (the pending lists); from >= 1: a list
 * of the block of level from after the position's (pre-cascade). A
 * chunk is released once empty; while its entries are placed it still
 * counts them, which the pool's extra chunk covers.
 */
static inline __attribute__((always_inline)) size_t
wheel_move_from(struct wheel *w, uint32_t *head, size_t allow, unsigned from)
{
	struct wheel_pos p;
	size_t done = 0;

	wheel_pos_init(w, &p);
	while (done < allow && *head != WHEEL_NONE && !w->stop) {
		struct wheel_chunk *c = &w->chunks[*head];
		uint32_t k = c->count, k0 = k, stop = 0, next = c->next;
		struct wheel_entry e;

		chunk_prefetch(w, next, 0);
		if (k > allow - done)
			stop = k - (uint32_t)(allow - done);
		done += k - stop;
		/*
		 * Entries are copied out first: the chunk's entries are
		 * 64-bit words like the destinations' ones, so the compiler
		 * would otherwise reload them after each store.
		 */
		while (k > stop) {
			e = c->e[--k];
			if (from == 0)
				(void)wheel_place_at(w, &p, e.expires,
						     e.cookie);
			else
				(void)wheel_place_ahead(w, &p, from, e.expires,
							e.cookie);
		}
		c->count = stop;
		w->work += k0 - stop;
		if (stop == 0) {
			chunk_free(w, *head);
			*head = next;
		}
		(void)wheel_timed_out(w);
	}
	return done;
}

/* Re-file from a pending list. */
static size_t
wheel_move(struct wheel *w, uint32_t *head, size_t allow)
{
	return wheel_move_from(w, head, allow, 0);
}

/*
 * Re-file from the list of the block of level from after the position's.
 * Levels 1 and 2, which hold nearly every entry pre-cascade moves, get a
 * copy of the loop each, where the stage search folds to nothing (level
 * 1: stage 0) or to one compare (level 2).
 */
static size_t
wheel_move_ahead(struct wheel *w, uint32_t *head, size_t allow, unsigned from)
{
	switch (from) {
	case 1:
		return wheel_move_from(w, head, allow, 1);
	case 2:
		return wheel_move_from(w, head, allow, 2);
	default:
		return wheel_move_from(w, head, allow, from);
	}
}

/*
 * Move from the list of the block of level from after the position's,
 * clearing its bit in *occ once it is empty.
 */
static size_t
wheel_move_slot(struct wheel *w, uint32_t *head, uint64_t *occ, unsigned s,
		size_t allow, unsigned from)
{
	size_t n;

	if (*head == WHEEL_NONE)
		return 0;
	n = wheel_move_ahead(w, head, allow, from);
	if (*head == WHEEL_NONE)
		*occ &= ~(UINT64_C(1) << s);
	return n;
}

/*
 * Pre-cascade: move up to allow entries of the list holding the next
 * block of each level k >= 1 (the level-k slot after cur's, or, when
 * cur's is the last, slot 0 of stage k) into the stages, nearest block
 * first. wheel_place_ahead() files them in a stage below k, never back
 * into the list they come from. Returns the number moved.
 */
static size_t
wheel_precascade(struct wheel *w, size_t allow)
{
	size_t done = 0;
	unsigned k, d;

	if (w->pend_mask != 0)
		return 0;
	for (k = 1; k < WHEEL_LEVELS && done < allow; k++) {
		d = wheel_slot_of(w->cur, k) + 1;
		if (d < WHEEL_SLOTS)
			done += wheel_move_slot(w, &w->slot[k][d], &w->occ[k],
						d, allow - done, k);
		else if (k < WHEEL_STAGES)
			done += wheel_move_slot(w, &w->next[k][0],
						&w->occ_next[k], 0,
						allow - done, k);
	}
	return done;
}

/* Re-file up to allow entries of the pending lists. */
static size_t
wheel_move_pend(struct wheel *w, size_t allow)
{
	size_t done = 0;
	unsigned l;

	while (w->pend_mask != 0 && done < allow && !w->stop) {
		l = (unsigned)__builtin_ctz(w->pend_mask);
		done += wheel_move(w, &w->pend[l], allow - done);
		if (w->pend[l] == WHEEL_NONE)
			w->pend_mask &= ~(1u << l);
	}
	return done;
}

/*
 * Find the next tick at which work is needed and the level of the list
 * that starts there: by increasing tick, the first occupied slot of
 * level l, the start of the next block of level l + 1 when stage l is
 * occupied, and so on up; last, the start of the 2^WHEEL_SPAN_BITS block
 * holding the earliest overflow entry (level WHEEL_LEVELS).
 */
static int
wheel_next_event(const struct wheel *w, uint64_t *tick, unsigned *level)
{
	unsigned l, shift;

	for (l = 0; l < WHEEL_LEVELS; l++) {
		shift = l * WHEEL_BITS;
		*level = l;
		if (w->occ[l] != 0) {
			/* Keep cur's digits above l, the slot in digit l. */
			*tick = w->cur >> (shift + WHEEL_BITS)
					<< (shift + WHEEL_BITS);
			*tick |= (uint64_t)__builtin_ctzll(w->occ[l]) << shift;
			return 1;
		}
		if (l < WHEEL_STAGES && w->occ_next[l] != 0) {
			*tick = (wheel_block(w->cur, l + 1) + 1)
				<< (shift + WHEEL_BITS);
			return 1;
		}
	}
	if (w->ovf == WHEEL_NONE)
		return 0;
	*tick = w->ovf_min >> WHEEL_SPAN_BITS << WHEEL_SPAN_BITS;
	*level = WHEEL_LEVELS;
	return 1;
}

static void cz_moved(struct wheel *w, uint32_t *from, uint32_t *to);

/*
 * The position has just moved from old to the next event. Every stage
 * whose block the position entered becomes its level (which is empty:
 * its entries would have been earlier events). Then a slot at the
 * position's digit of any level holds entries from the position on: at
 * level 0 it becomes the due list, above it a pending list.
 *
 * Only the levels up to the highest digit in which old and the position
 * differ need a look: above it, no block was entered, and the slot at
 * the position's digit is old's, which was empty (occupied slots lie
 * strictly ahead of the position's digit). Moving tick by tick within a
 * block of level 1, that is level 0 alone.
 */
static void
wheel_enter(struct wheel *w, uint64_t old)
{
	unsigned k, l, s, top = 0;
	uint64_t occ;

	if (old != w->cur)
		top = wheel_level_of(w->cur, old);
	if (top >= WHEEL_LEVELS)
		top = WHEEL_LEVELS - 1;
	for (k = 0; k < top; k++) {
		occ = w->occ_next[k];
		if (occ == 0 ||
		    wheel_block(w->cur, k + 1) != wheel_block(old, k + 1) + 1)
			continue;
		w->occ[k] = occ;
		w->occ_next[k] = 0;
		for (; occ != 0; occ &= occ - 1) {
			s = (unsigned)__builtin_ctzll(occ);
			w->slot[k][s] = w->next[k][s];
			w->next[k][s] = WHEEL_NONE;
			cz_moved(w, &w->next[k][s], &w->slot[k][s]);
		}
	}
	for (l = 0; l <= top; l++) {
		s = wheel_slot_of(w->cur, l);
		if (!((w->occ[l] >> s) & 1))
			continue;
		if (l == 0) {
			w->due = w->slot[0][s];
			cz_moved(w, &w->slot[0][s], &w->due);
		} else {
			w->pend[l] = w->slot[l][s];
			w->pend_mask |= 1u << l;
			w->pend_slots++;
			cz_moved(w, &w->slot[l][s], &w->pend[l]);
		}
		w->slot[l][s] = WHEEL_NONE;
		w->occ[l] &= ~(UINT64_C(1) << s);
	}
}

/*
 * Move the position to the next tick needing work if it is <= limit and
 * start that work (wheel_enter(), or the overflow list becomes pending).
 * Otherwise move the position to limit. Returns 1 if the position
 * stopped at an event, 0 if it reached limit with nothing to do. Called
 * only with empty due and pending lists.
 */
static int
wheel_step(struct wheel *w, uint64_t limit)
{
	uint64_t tick, old = w->cur;
	unsigned level;

	if (!wheel_next_event(w, &tick, &level) || tick > limit) {
		w->cur = limit;
		return 0;
	}
	w->cur = tick;
	if (level == WHEEL_LEVELS) {
		w->pend[WHEEL_LEVELS] = w->ovf;
		w->pend_mask |= 1u << WHEEL_LEVELS;
		w->ovf = WHEEL_NONE;
		w->ovf_min = UINT64_MAX;
		cz_moved(w, &w->ovf, &w->pend[WHEEL_LEVELS]);
		return 1;
	}
	wheel_enter(w, old);
	return 1;
}

/*
 * Pre-cascade what is owed (entries handed out, w->owed), within
 * *refile (what the call may still re-file, lowered by what is moved).
 * What cannot be moved because nothing is left to pre-cascade is no
 * longer owed.
 */
static void
wheel_pay(struct wheel *w, size_t *refile)
{
	size_t ask = w->owed < *refile ? w->owed : *refile, done;

	done = wheel_precascade(w, ask);
	*refile -= done;
	w->owed = done < ask && !w->stop ? 0 : w->owed - done;
}

/*
 * Hand out up to max cookies from the due list. Each entry handed out
 * owes the pre-cascade one move; once a chunk's worth is owed, it is
 * paid before the clock is read (wheel_pay()), so that a call that its
 * deadline stops has done its share (or left it to the next call), and
 * the slot ahead keeps pace with the entries due. Paying by the chunk
 * keeps a sparse wheel (a few entries a tick) from paying the setup of
 * a move per entry.
 */
static size_t
wheel_drain_due(struct wheel *w, uint64_t *out, size_t max, size_t *refile)
{
	size_t n = 0;

	while (n < max && w->due != WHEEL_NONE && !w->stop) {
		struct wheel_chunk *c = &w->chunks[w->due];
		const struct wheel_entry *e;
		size_t k = c->count, i;

		chunk_prefetch(w, c->next, 0);
		if (k > max - n)
			k = max - n;
		/* From the chunk's end, as entries are taken off a list. */
		e = &c->e[c->count - k];
		/* Unrolled: the loop's own count and test were half its cost. */
#pragma GCC unroll 4
		for (i = 0; i < k; i++)
			out[n + i] = e[k - 1 - i].cookie;
		n += k;
		w->work += k;
		c->count -= (uint32_t)k;
		if (c->count == 0) {
			uint32_t next = c->next;

			chunk_free(w, w->due);
			w->due = next;
		}
		w->owed += k;
		if (w->owed >= WHEEL_PER_CHUNK && *refile > 0)
			wheel_pay(w, refile);
		(void)wheel_timed_out(w);
	}
	w->count -= n;
	return n;
}

/*
 * Allocate the chunk pool. A large pool is aligned to and advised for
 * transparent huge pages: the chunks of one list are scattered over the
 * pool, and with 4 KiB pages nearly every chunk visited would cost a TLB
 * miss. Every page is faulted in now: chunks are taken from the pool as
 * timers are armed, on the packet path.
 */
static void *
pool_alloc(size_t bytes)
{
	void *p;

	if (bytes < WHEEL_HUGE_MIN) {
		p = aligned_alloc(64, bytes);
	} else {
		bytes = (bytes + WHEEL_HUGE - 1) & ~(size_t)(WHEEL_HUGE - 1);
		p = aligned_alloc(WHEEL_HUGE, bytes);
		if (p != NULL)
			tt_advise_huge(p, bytes);
	}
	if (p != NULL)
		tt_prefault(p, bytes);
	return p;
}

struct wheel *
wheel_create(uint32_t max_entries, uint64_t now)
{
	uint64_t nchunks;
	struct wheel *w;
	unsigned l, s;

	nchunks = (uint64_t)max_entries / WHEEL_PER_CHUNK + 1 + WHEEL_NLISTS +
		1;
	if (nchunks >= WHEEL_NONE)
		return NULL;
	w = aligned_alloc(64, sizeof(*w));
	if (w == NULL)
		return NULL;
	memset(w, 0, sizeof(*w));
	w->chunks = pool_alloc(nchunks * sizeof(struct wheel_chunk));
	if (w->chunks == NULL) {
		free(w);
		return NULL;
	}
	w->cur = now;
	w->now = now;
	w->cap = max_entries;
	w->ovf_min = UINT64_MAX;
	w->due = WHEEL_NONE;
	w->ovf = WHEEL_NONE;
	w->free_head = WHEEL_NONE;
	w->nchunks = (uint32_t)nchunks;
	w->nfree = (uint32_t)nchunks;
	for (l = 0; l < WHEEL_LEVELS; l++)
		for (s = 0; s < WHEEL_SLOTS; s++)
			w->slot[l][s] = WHEEL_NONE;
	for (l = 0; l < WHEEL_STAGES; l++)
		for (s = 0; s < WHEEL_SLOTS; s++)
			w->next[l][s] = WHEEL_NONE;
	for (l = 0; l <= WHEEL_LEVELS; l++)
		w->pend[l] = WHEEL_NONE;
	return w;
}

void
wheel_destroy(struct wheel *w)
{
	if (w == NULL)
		return;
	free(w->chunks);
	free(w);
}

int
wheel_add(struct wheel *w, uint64_t expires, uint64_t cookie)
{
	int rc;

	if (w->count >= w->cap)
		return -ENOSPC;
	rc = wheel_place(w, expires, cookie);
	if (rc == 0)
		w->count++;
	return rc;
}

/*
 * Drop the entries of list *head that keep() rejects, in place: kept
 * entries are packed from the head chunk on (a write position never
 * passes the read position), chunks left empty are freed, and the one
 * partly filled chunk is moved to the head. Returns the entries dropped;
 * *min is lowered to the smallest tick kept.
 */
static uint64_t
list_compact(struct wheel *w, uint32_t *head, wheel_keep_fn keep, void *arg,
	     uint64_t *min)
{
	uint32_t rc = *head, wc = *head, wprev = WHEEL_NONE, wp = 0, i, next;
	uint64_t dropped = 0;
	struct wheel_entry e;

	for (; rc != WHEEL_NONE; rc = next) {
		next = w->chunks[rc].next;
		for (i = 0; i < w->chunks[rc].count; i++) {
			e = w->chunks[rc].e[i];
			if (!keep(e.cookie, arg)) {
				dropped++;
				continue;
			}
			if (wp == WHEEL_PER_CHUNK) {
				w->chunks[wc].count = WHEEL_PER_CHUNK;
				wprev = wc;
				wc = w->chunks[wc].next;
				wp = 0;
			}
			w->chunks[wc].e[wp++] = e;
			if (e.expires < *min)
				*min = e.expires;
		}
	}
	/* Free the chunks after the last one written (all of them if none). */
	rc = wp == 0 ? wc : w->chunks[wc].next;
	for (; rc != WHEEL_NONE; rc = next) {
		next = w->chunks[rc].next;
		chunk_free(w, rc);
	}
	if (wp == 0) {
		/* Nothing kept (a write always follows a move on). */
		*head = WHEEL_NONE;
		return dropped;
	}
	w->chunks[wc].count = wp;
	w->chunks[wc].next = WHEEL_NONE;
	/* Only the head chunk may be partly filled. */
	if (wprev != WHEEL_NONE && wp < WHEEL_PER_CHUNK) {
		w->chunks[wprev].next = WHEEL_NONE;
		w->chunks[wc].next = *head;
		*head = wc;
	}
	return dropped;
}

/* Compact one list that an occupancy bit describes. */
static uint64_t
bit_compact(struct wheel *w, uint32_t *head, uint64_t *occ, unsigned s,
	    wheel_keep_fn keep, void *arg)
{
	uint64_t min = UINT64_MAX, n;

	if (*head == WHEEL_NONE)
		return 0;
	n = list_compact(w, head, keep, arg, &min);
	if (*head == WHEEL_NONE)
		*occ &= ~(UINT64_C(1) << s);
	return n;
}

uint64_t
wheel_compact(struct wheel *w, wheel_keep_fn keep, void *arg)
{
	uint64_t n = 0, min = UINT64_MAX;
	unsigned l, s;
	uint32_t mask;

	/* Chunks are re-ordered: an incremental pass would lose its place. */
	w->cz.active = 0;
	w->cz.examined += w->count;
	for (l = 0; l < WHEEL_LEVELS; l++)
		for (s = 0; s < WHEEL_SLOTS; s++)
			n += bit_compact(w, &w->slot[l][s], &w->occ[l], s, keep,
					 arg);
	for (l = 0; l < WHEEL_STAGES; l++)
		for (s = 0; s < WHEEL_SLOTS; s++)
			n += bit_compact(w, &w->next[l][s], &w->occ_next[l], s,
					 keep, arg);
	n += list_compact(w, &w->due, keep, arg, &min);
	for (l = 0; l <= WHEEL_LEVELS; l++) {
		mask = 1u << l;
		if (!(w->pend_mask & mask))
			continue;
		n += list_compact(w, &w->pend[l], keep, arg, &min);
		if (w->pend[l] == WHEEL_NONE)
			w->pend_mask &= ~mask;
	}
	min = UINT64_MAX;
	n += list_compact(w, &w->ovf, keep, arg, &min);
	w->ovf_min = w->ovf == WHEEL_NONE ? UINT64_MAX : min;
	w->count -= n;
	return n;
}

/*
 * Incremental compaction (wheel_compact_step()): one pass visits every
 * list once, in the order below, a chunk at a time, so that no call
 * does more than a chunk's work however the entries are spread.
 *
 * Order. Expiry only ever moves entries forward in this order: overflow
 * -> pend[6] -> for l = 5 down to 0: (next[l][s], slot[l][s]) for s = 0
 * to 63, then pend[l] -> due. (An overflow list becomes pend[6]; pend[l]
 * is re-filed below level l; slot[l][s] is pre-cascaded into stages
 * below l, or becomes pend[l] or, at level 0, the due list; a stage
 * becomes the level of the same number, slot for slot, hence the pairs.)
 * So an entry present when a pass starts is, until it leaves the wheel,
 * either in a list the pass has not reached or was examined by keep():
 * it can move only to a later list. Every entry that is stale when the
 * pass starts and still there when it ends has been dropped. The one
 * exception is the overflow list: when the position enters a new span
 * block, pend[6] (the old overflow list) files its entries of later
 * blocks back onto it, behind the pass; such entries, 2^36 ticks out,
 * may wait for the next pass (tcpterm arms none). Entries an
 * expire or an add appends to the list being visited come from earlier
 * lists (examined) or are new, so the visit need not look at them.
 *
 * Position: the list being visited (its variable, hp) and the last chunk
 * of its chain already compacted (at; WHEEL_NONE: none). A step compacts
 * the chunk after at, or the head when at is WHEEL_NONE, so chunks from
 * the head through at are done. Between steps the chain may change only
 * at its head: an add prepends or fills the head chunk; expiry takes
 * entries from the head chunk and frees it when empty, head by head; a
 * relocation (wheel_enter(), wheel_step()) moves the whole chain to
 * another variable, which cz_moved() follows. Non-head chunks are never
 * changed but by a step. So at is still on the chain unless expiry freed
 * it, which the chunk's allocation serial tells (then everything up to
 * it left the list, and the visit resumes at the head); and the chunk
 * after at is untouched.
 *
 * Invariants. A non-head chunk is compacted in place and its holes are
 * filled from the head chunk (the one partly filled chunk), which may
 * free the head (and then the next one becomes the head, full or the
 * chunk being compacted): only the head stays partly filled, counts and
 * occupancy bits follow, no entry changes list. On the overflow list,
 * an entry at ovf_min is never dropped, so ovf_min stays exact without
 * a walk of the list (tcpterm's deadlines never reach it: 2^36 ms).
 *
 * Bound: a call examines fewer than work + WHEEL_PER_CHUNK entries
 * (keep() calls), moves fewer than WHEEL_PER_CHUNK per chunk compacted
 * and reads at most WHEEL_NLISTS list heads to find the next non-empty
 * list. Rate: a chunk is compacted whole, so the entries a call examines
 * beyond its work are deducted from the next calls' (the credit), and
 * those a time bound leaves undone are added to them: over a pass, the
 * entries examined are the sum of the works asked, give or take a chunk.
 */
#define CZ_LISTS WHEEL_NLISTS

/* The variable holding list idx of the visiting order; NULL past the end. */
static uint32_t *
cz_list(struct wheel *w, uint32_t idx)
{
	unsigned l, per, g;

	if (idx == 0)
		return &w->ovf;
	if (idx == 1)
		return &w->pend[WHEEL_LEVELS];
	idx -= 2;
	for (l = WHEEL_LEVELS; l-- > 0;) {
		per = l < WHEEL_STAGES ? 2 : 1;
		g = per * WHEEL_SLOTS + (l > 0 ? 1 : 0);
		if (idx >= g) {
			idx -= g;
			continue;
		}
		if (idx == per * WHEEL_SLOTS)
			return &w->pend[l];
		if (per == 2 && idx % 2 == 0)
			return &w->next[l][idx / 2];
		return &w->slot[l][idx / per];
	}
	return idx == 0 ? &w->due : NULL;
}

/* Update what describes list *hp once compaction emptied it. */
static void
cz_cleared(struct wheel *w, const uint32_t *hp)
{
	uintptr_t p = (uintptr_t)hp, o;

	o = p - (uintptr_t)&w->slot[0][0];
	if (p >= (uintptr_t)&w->slot[0][0] && o < sizeof(w->slot)) {
		o /= sizeof(uint32_t);
		w->occ[o / WHEEL_SLOTS] &= ~(UINT64_C(1) << (o % WHEEL_SLOTS));
		return;
	}
	o = p - (uintptr_t)&w->next[0][0];
	if (p >= (uintptr_t)&w->next[0][0] && o < sizeof(w->next)) {
		o /= sizeof(uint32_t);
		w->occ_next[o / WHEEL_SLOTS] &= ~(UINT64_C(1)
						  << (o % WHEEL_SLOTS));
		return;
	}
	o = p - (uintptr_t)&w->pend[0];
	if (p >= (uintptr_t)&w->pend[0] && o < sizeof(w->pend)) {
		w->pend_mask &= ~(1u << (o / sizeof(uint32_t)));
		return;
	}
	if (hp == &w->ovf)
		w->ovf_min = UINT64_MAX;
}

/* Go to the next list of the order, ending the pass after the last. */
static void
cz_advance(struct wheel *w)
{
	struct wheel_cz *z = &w->cz;

	z->at = WHEEL_NONE;
	z->hp = cz_list(w, ++z->idx);
	if (z->hp == NULL) {
		z->active = 0;
		z->passes++;
	}
}

/*
 * Expiry moved the chain of list *from to the empty list *to. If it is
 * the chain being visited, follow it (its own list when to is the next
 * in the order, else visited where it now is, the order resuming after
 * from). If the visit sits on to: the chain comes from an earlier list,
 * already visited: move on, or, when to was only borrowed (followed),
 * go back to the pass's own list.
 */
static void
cz_moved(struct wheel *w, uint32_t *from, uint32_t *to)
{
	struct wheel_cz *z = &w->cz;

	if (!z->active)
		return;
	if (z->hp == from) {
		z->hp = to;
		if (cz_list(w, z->idx + 1) == to)
			z->idx++;
	} else if (z->hp == to) {
		z->at = WHEEL_NONE;
		if (cz_list(w, z->idx) == to)
			cz_advance(w);
		else
			z->hp = cz_list(w, z->idx);
	}
}

/*
 * Pack the entries of chunk c that keep() accepts to its front; returns
 * how many. On the overflow list, entries at ovf_min stay (see above).
 */
static uint32_t
cz_filter(struct wheel *w, struct wheel_chunk *c, wheel_keep_fn keep, void *arg)
{
	int ovf = w->cz.hp == &w->ovf;
	uint32_t i, n = 0;
	struct wheel_entry e;

	for (i = 0; i < c->count; i++) {
		e = c->e[i];
		if ((ovf && e.expires == w->ovf_min) || keep(e.cookie, arg))
			c->e[n++] = e;
	}
	return n;
}

/* Note chunk x as the last one done. */
static void
cz_done(struct wheel *w, uint32_t x)
{
	w->cz.at = x;
	w->cz.at_serial = w->chunks[x].serial;
}

/* Compact the head chunk x of the list being visited. */
static uint32_t
cz_head(struct wheel *w, uint32_t x, wheel_keep_fn keep, void *arg,
	uint64_t *dropped)
{
	struct wheel_chunk *c = &w->chunks[x];
	uint32_t n = c->count, k = cz_filter(w, c, keep, arg);
	uint32_t *hp = w->cz.hp;

	*dropped += n - k;
	if (k > 0) {
		c->count = k;
		cz_done(w, x);
		return n;
	}
	*hp = c->next;
	chunk_free(w, x);
	if (*hp == WHEEL_NONE)
		cz_cleared(w, hp);
	return n;
}

/*
 * Fill chunk x (not the head) from the head chunk(s) of its list. Stops
 * when x is full or has become the head (every chunk before it freed).
 */
static void
cz_refill(struct wheel *w, uint32_t x)
{
	struct wheel_chunk *c = &w->chunks[x], *hc;
	uint32_t *hp = w->cz.hp, h = *hp, t;

	while (c->count < WHEEL_PER_CHUNK && h != x) {
		hc = &w->chunks[h];
		t = WHEEL_PER_CHUNK - c->count;
		if (t > hc->count)
			t = hc->count;
		memcpy(&c->e[c->count], &hc->e[hc->count - t],
		       t * sizeof(struct wheel_entry));
		c->count += t;
		hc->count -= t;
		if (hc->count == 0) {
			*hp = hc->next;
			chunk_free(w, h);
			h = *hp;
		}
	}
}

/* Compact chunk x, which follows the last one done (at) on its list. */
static uint32_t
cz_inner(struct wheel *w, uint32_t x, wheel_keep_fn keep, void *arg,
	 uint64_t *dropped)
{
	struct wheel_chunk *c = &w->chunks[x];
	uint32_t n = c->count, k = cz_filter(w, c, keep, arg);

	*dropped += n - k;
	if (k == 0) {
		w->chunks[w->cz.at].next = c->next;
		chunk_free(w, x);
		return n;
	}
	c->count = k;
	if (k < WHEEL_PER_CHUNK)
		cz_refill(w, x);
	cz_done(w, x);
	return n;
}

/* One step: a chunk compacted (returns entries examined) or a list done. */
static uint32_t
cz_op(struct wheel *w, wheel_keep_fn keep, void *arg, uint64_t *dropped)
{
	struct wheel_cz *z = &w->cz;
	uint32_t x;

	if (z->at != WHEEL_NONE && w->chunks[z->at].serial != z->at_serial)
		z->at = WHEEL_NONE;
	x = z->at == WHEEL_NONE ? *z->hp : w->chunks[z->at].next;
	if (x == WHEEL_NONE) {
		cz_advance(w);
		return 0;
	}
	if (z->at == WHEEL_NONE)
		return cz_head(w, x, keep, arg, dropped);
	return cz_inner(w, x, keep, arg, dropped);
}

void
wheel_compact_begin(struct wheel *w)
{
	struct wheel_cz *z = &w->cz;

	if (z->active)
		return;
	z->active = 1;
	z->paid = w->touched;
	z->credit = 0;
	z->idx = 0;
	z->at = WHEEL_NONE;
	z->hp = cz_list(w, 0);
}

int
wheel_compact_busy(const struct wheel *w)
{
	return w->cz.active;
}

uint64_t
wheel_compact_passes(const struct wheel *w)
{
	return w->cz.passes;
}

uint64_t
wheel_compact_step(struct wheel *w, wheel_keep_fn keep, void *arg, size_t work,
		   const struct wheel_clock *clk)
{
	struct wheel_cz *z = &w->cz;
	uint64_t dropped = 0;
	size_t done = 0;
	uint32_t n;

	z->credit += (int64_t)work;
	while (z->active && z->credit > 0 && done < work) {
		n = cz_op(w, keep, arg, &dropped);
		done += n;
		z->credit -= n;
		if (n > 0 && clk != NULL && clk->now(clk->arg) >= clk->deadline)
			break;
	}
	z->examined += done;
	w->count -= dropped;
	return dropped;
}

uint64_t
wheel_compact_catch_up(struct wheel *w, wheel_keep_fn keep, void *arg,
		       const struct wheel_clock *clk)
{
	uint64_t owed = w->touched - w->cz.paid;

	if (owed == 0 || !w->cz.active)
		return 0;
	w->cz.paid = w->touched;
	/* What a time bound leaves undone stays in the credit. */
	return wheel_compact_step(w, keep, arg, (size_t)owed, clk);
}

uint64_t
wheel_compact_examined(const struct wheel *w)
{
	return w->cz.examined;
}

uint64_t
wheel_touched(const struct wheel *w)
{
	return w->touched;
}

/*
 * Budget: at most max entries handed out, and at most max re-filed,
 * from the pending lists or by pre-cascade: at most 2 * max entries
 * touched. Pre-cascade gets a share of the calls whatever stops them: as
 * many entries as are handed out, a chunk's worth at a time, carried to
 * the next call if need be (wheel_drain_due()), and at the end of a call
 * not stopped by its deadline, the rest of the re-filing budget.
 * A time bound stops the call where a used-up budget would: after the
 * due list's chunk (and its share of pre-cascade), or a pending list's
 * chunk, being worked on.
 */
size_t
wheel_expire_until(struct wheel *w, uint64_t now, uint64_t *out, size_t max,
		   const struct wheel_clock *clk)
{
	size_t n = 0, refile = max;

	w->work = 0;
	if (now < w->now)
		return 0;
	w->now = now;
	w->clk = clk;
	w->stop = 0;
	for (;;) {
		n += wheel_drain_due(w, out + n, max - n, &refile);
		if (n == max || w->stop)
			break;
		if (w->pend_mask != 0) {
			if (refile == 0)
				break;
			refile -= wheel_move_pend(w, refile);
			continue;
		}
		if (!wheel_step(w, now))
			break;
	}
	if (refile > 0 && !w->stop) {
		/* The rest of the budget pays the debt, or all it can. */
		(void)wheel_precascade(w, refile);
		w->owed = 0;
	}
	w->deadline_stops += (uint64_t)w->stop;
	w->clk = NULL;
	w->stop = 0;
	w->touched += w->work;
	return n;
}

size_t
wheel_expire(struct wheel *w, uint64_t now, uint64_t *out, size_t max)
{
	return wheel_expire_until(w, now, out, max, NULL);
}

uint64_t
wheel_deadline_stops(const struct wheel *w)
{
	return w->deadline_stops;
}

uint64_t
wheel_pending_slots(const struct wheel *w)
{
	return w->pend_slots;
}

int
wheel_backlog(const struct wheel *w)
{
	uint64_t tick;
	unsigned level;

	if (w->due != WHEEL_NONE || w->pend_mask != 0)
		return 1;
	return wheel_next_event(w, &tick, &level) && tick <= w->now;
}

uint64_t
wheel_count(const struct wheel *w)
{
	return w->count;
}

uint64_t
wheel_now(const struct wheel *w)
{
	return w->now;
}

size_t
wheel_mem_bytes(const struct wheel *w)
{
	return sizeof(*w) + (size_t)w->nchunks * sizeof(struct wheel_chunk);
}
