/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Hierarchical timing wheel: arming, advancing and draining.
 *
 * Capacity argument: every list holds at most one partly filled chunk, so
 * n entries spread over WHEEL_NLISTS lists use at most
 * n / WHEEL_PER_CHUNK + WHEEL_NLISTS chunks. The pool is sized for that
 * (plus one list's worth for the overflow re-scan), and wheel_add() keeps
 * the entry count within max_entries, so moving entries between lists
 * while advancing can never run out of chunks.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "wheel_internal.h"

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
	return i;
}

static void
chunk_free(struct wheel *w, uint32_t i)
{
	w->chunks[i].next = w->free_head;
	w->free_head = i;
	w->nfree++;
}

/* Append an entry to the list whose head index is *head. */
static int
list_push(struct wheel *w, uint32_t *head, uint64_t expires, uint64_t cookie)
{
	struct wheel_chunk *c;
	uint32_t h = *head;

	if (h == WHEEL_NONE || w->chunks[h].count == WHEEL_PER_CHUNK) {
		uint32_t n = chunk_alloc(w);

		if (n == WHEEL_NONE)
			return -ENOSPC;
		c = &w->chunks[n];
		c->next = h;
		c->count = 0;
		*head = n;
	} else {
		c = &w->chunks[h];
	}
	c->e[c->count].expires = expires;
	c->e[c->count].cookie = cookie;
	c->count++;
	return 0;
}

/* File an entry in the list its tick maps to, relative to w->cur. */
static int
wheel_place(struct wheel *w, uint64_t expires, uint64_t cookie)
{
	unsigned level, s;
	int rc;

	if (expires <= w->cur)
		return list_push(w, &w->due, expires, cookie);
	level = wheel_level_of(expires, w->cur);
	if (level >= WHEEL_LEVELS) {
		rc = list_push(w, &w->ovf, expires, cookie);
		if (rc == 0 && expires < w->ovf_min)
			w->ovf_min = expires;
		return rc;
	}
	s = wheel_slot_of(expires, level);
	rc = list_push(w, &w->slot[level][s], expires, cookie);
	if (rc == 0)
		w->occ[level] |= UINT64_C(1) << s;
	return rc;
}

/*
 * Re-file every entry of a detached chain relative to the current
 * position. Each chunk is copied out and released before its entries are
 * placed, which keeps the capacity argument above valid.
 */
static void
wheel_refile(struct wheel *w, uint32_t head)
{
	struct wheel_entry buf[WHEEL_PER_CHUNK];
	uint32_t i, n;

	while (head != WHEEL_NONE) {
		struct wheel_chunk *c = &w->chunks[head];
		uint32_t next = c->next;

		n = c->count;
		memcpy(buf, c->e, n * sizeof(buf[0]));
		chunk_free(w, head);
		for (i = 0; i < n; i++)
			(void)wheel_place(w, buf[i].expires, buf[i].cookie);
		head = next;
	}
}

/*
 * Find the next tick at which work is needed: the start of the first
 * occupied slot of the lowest non-empty level, or the start of the
 * 2^WHEEL_SPAN_BITS block holding the earliest overflow entry.
 */
static int
wheel_next_event(const struct wheel *w, uint64_t *tick, unsigned *level)
{
	unsigned l, shift;

	for (l = 0; l < WHEEL_LEVELS; l++) {
		if (w->occ[l] == 0)
			continue;
		shift = l * WHEEL_BITS;
		/* Keep cur's digits above l, put the slot in digit l. */
		*tick = w->cur >> (shift + WHEEL_BITS) << (shift + WHEEL_BITS);
		*tick |= (uint64_t)__builtin_ctzll(w->occ[l]) << shift;
		*level = l;
		return 1;
	}
	if (w->ovf == WHEEL_NONE)
		return 0;
	*tick = w->ovf_min >> WHEEL_SPAN_BITS << WHEEL_SPAN_BITS;
	*level = WHEEL_LEVELS;
	return 1;
}

/*
 * Move the position to the next tick needing work if it is <= limit and
 * do that work (entries reaching their tick go to the due list, others
 * cascade down). Otherwise move the position to limit. Returns 1 if the
 * position stopped at an event, 0 if it reached limit with nothing to do.
 * Called only with an empty due list.
 */
static int
wheel_step(struct wheel *w, uint64_t limit)
{
	uint64_t tick;
	unsigned level, s;
	uint32_t head;

	if (!wheel_next_event(w, &tick, &level) || tick > limit) {
		w->cur = limit;
		return 0;
	}
	w->cur = tick;
	if (level == WHEEL_LEVELS) {
		head = w->ovf;
		w->ovf = WHEEL_NONE;
		w->ovf_min = UINT64_MAX;
		wheel_refile(w, head);
		return 1;
	}
	s = wheel_slot_of(tick, level);
	head = w->slot[level][s];
	w->slot[level][s] = WHEEL_NONE;
	w->occ[level] &= ~(UINT64_C(1) << s);
	if (level == 0 && w->due == WHEEL_NONE)
		w->due = head;
	else
		wheel_refile(w, head);
	return 1;
}

/* Hand out up to max cookies from the due list. */
static size_t
wheel_drain_due(struct wheel *w, uint64_t *out, size_t max)
{
	size_t n = 0;

	while (n < max && w->due != WHEEL_NONE) {
		struct wheel_chunk *c = &w->chunks[w->due];
		size_t k = c->count;

		if (k > max - n)
			k = max - n;
		while (k-- > 0)
			out[n++] = c->e[--c->count].cookie;
		if (c->count == 0) {
			uint32_t next = c->next;

			chunk_free(w, w->due);
			w->due = next;
		}
	}
	w->count -= n;
	return n;
}

struct wheel *
wheel_create(uint32_t max_entries, uint64_t now)
{
	uint64_t nchunks;
	struct wheel *w;
	unsigned l, s;

	nchunks = (uint64_t)max_entries / WHEEL_PER_CHUNK + 1 +
		WHEEL_NLISTS + 1;
	if (nchunks >= WHEEL_NONE)
		return NULL;
	w = aligned_alloc(64, sizeof(*w));
	if (w == NULL)
		return NULL;
	memset(w, 0, sizeof(*w));
	w->chunks = aligned_alloc(64, nchunks * sizeof(struct wheel_chunk));
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

size_t
wheel_expire(struct wheel *w, uint64_t now, uint64_t *out, size_t max)
{
	size_t n = 0;

	if (now < w->now)
		return 0;
	w->now = now;
	for (;;) {
		n += wheel_drain_due(w, out + n, max - n);
		if (n == max || !wheel_step(w, now))
			break;
	}
	return n;
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
