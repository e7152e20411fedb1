/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Invariant checker of the timing wheel, meant to be called by tests after
 * every operation.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "wheel_internal.h"

/* Which list is being walked, and so where its entries must map. */
struct wheel_walk {
	const struct wheel *w;
	uint8_t *seen;
	uint64_t entries;
	uint64_t chunks;
	uint64_t ovf_min;
	char *err;
	size_t errlen;
};

#define WHEEL_LIST_DUE (-1)
#define WHEEL_LIST_OVF (-2)
/* next[k][s] is checked as level WHEEL_LIST_NEXT - k, slot s. */
#define WHEEL_LIST_NEXT (-3)
/* pend[l] is checked as level WHEEL_LIST_PEND - l. */
#define WHEEL_LIST_PEND (WHEEL_LIST_NEXT - WHEEL_STAGES)

static int wheel_fail(struct wheel_walk *k, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int
wheel_fail(struct wheel_walk *k, const char *fmt, ...)
{
	va_list ap;

	if (k->err != NULL && k->errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(k->err, k->errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* Check that an entry lies in the list its tick maps to. */
static int
wheel_check_entry(struct wheel_walk *k, int level, unsigned s, uint64_t t)
{
	uint64_t cur = k->w->cur;

	if (level == WHEEL_LIST_DUE) {
		if (t > cur)
			return wheel_fail(k, "due entry %llu > position %llu",
					  (unsigned long long)t,
					  (unsigned long long)cur);
		return 0;
	}
	if (level <= WHEEL_LIST_PEND) {
		unsigned l = (unsigned)(WHEEL_LIST_PEND - level);

		if (t < cur ||
		    (l < WHEEL_LEVELS &&
		     wheel_block(t, l) != wheel_block(cur, l)))
			return wheel_fail(k,
					  "pending entry %llu, level %u, "
					  "position %llu",
					  (unsigned long long)t, l,
					  (unsigned long long)cur);
		return 0;
	}
	if (level <= WHEEL_LIST_NEXT) {
		unsigned st = (unsigned)(WHEEL_LIST_NEXT - level);

		/* Never across a 2^WHEEL_SPAN_BITS boundary: see stage_of. */
		if (wheel_block(t, st + 1) != wheel_block(cur, st + 1) + 1 ||
		    wheel_slot_of(t, st) != s ||
		    wheel_level_of(t, cur) >= WHEEL_LEVELS)
			return wheel_fail(k,
					  "stage %u entry %llu slot %u, "
					  "position %llu",
					  st, (unsigned long long)t, s,
					  (unsigned long long)cur);
		return 0;
	}
	if (t <= cur)
		return wheel_fail(k, "entry %llu not after position %llu",
				  (unsigned long long)t,
				  (unsigned long long)cur);
	if (level == WHEEL_LIST_OVF) {
		if (wheel_level_of(t, cur) < WHEEL_LEVELS)
			return wheel_fail(k, "overflow entry %llu fits",
					  (unsigned long long)t);
		if (t < k->ovf_min)
			k->ovf_min = t;
		return 0;
	}
	if (wheel_level_of(t, cur) != (unsigned)level ||
	    wheel_slot_of(t, (unsigned)level) != s)
		return wheel_fail(k, "entry %llu at level %d slot %u, cur %llu",
				  (unsigned long long)t, level, s,
				  (unsigned long long)cur);
	return 0;
}

static int
wheel_check_list(struct wheel_walk *k, uint32_t head, int level, unsigned s)
{
	const struct wheel *w = k->w;
	uint32_t i, j;

	for (i = head; i != WHEEL_NONE; i = w->chunks[i].next) {
		const struct wheel_chunk *c;

		if (i >= w->bump)
			return wheel_fail(k, "chunk %u beyond pool use", i);
		if (k->seen[i])
			return wheel_fail(k, "chunk %u linked twice", i);
		k->seen[i] = 1;
		c = &w->chunks[i];
		if (c->count == 0 || c->count > WHEEL_PER_CHUNK ||
		    (i != head && c->count != WHEEL_PER_CHUNK))
			return wheel_fail(k, "chunk %u count %u", i, c->count);
		for (j = 0; j < c->count; j++)
			if (wheel_check_entry(k, level, s, c->e[j].expires))
				return -1;
		k->entries += c->count;
		k->chunks++;
	}
	return 0;
}

static int
wheel_check_slots(struct wheel_walk *k)
{
	const struct wheel *w = k->w;
	unsigned l, s;
	int occupied;

	for (l = 0; l < WHEEL_LEVELS; l++) {
		for (s = 0; s < WHEEL_SLOTS; s++) {
			occupied = w->slot[l][s] != WHEEL_NONE;
			if (occupied != (int)((w->occ[l] >> s) & 1))
				return wheel_fail(k, "level %u slot %u bitmap",
						  l, s);
			if (wheel_check_list(k, w->slot[l][s], (int)l, s))
				return -1;
		}
	}
	for (l = 0; l < WHEEL_STAGES; l++) {
		for (s = 0; s < WHEEL_SLOTS; s++) {
			occupied = w->next[l][s] != WHEEL_NONE;
			if (occupied != (int)((w->occ_next[l] >> s) & 1))
				return wheel_fail(k, "stage %u slot %u bitmap",
						  l, s);
			if (wheel_check_list(k, w->next[l][s],
					     WHEEL_LIST_NEXT - (int)l, s))
				return -1;
		}
	}
	return 0;
}

static int
wheel_check_pend(struct wheel_walk *k)
{
	const struct wheel *w = k->w;
	unsigned l;

	for (l = 0; l <= WHEEL_LEVELS; l++) {
		int occupied = w->pend[l] != WHEEL_NONE;

		if (occupied != (int)((w->pend_mask >> l) & 1) ||
		    (l == 0 && occupied))
			return wheel_fail(k, "pending list %u mask", l);
		if (wheel_check_list(k, w->pend[l], WHEEL_LIST_PEND - (int)l,
				     0))
			return -1;
	}
	if (w->pend_mask >> (WHEEL_LEVELS + 1))
		return wheel_fail(k, "pending mask %#x", w->pend_mask);
	return 0;
}

static int
wheel_check_pool(struct wheel_walk *k)
{
	const struct wheel *w = k->w;
	uint64_t nfree = w->nchunks - w->bump;
	uint32_t i;

	if (w->bump > w->nchunks)
		return wheel_fail(k, "bump %u > %u", w->bump, w->nchunks);
	for (i = w->free_head; i != WHEEL_NONE; i = w->chunks[i].next) {
		if (i >= w->bump || k->seen[i])
			return wheel_fail(k, "free chunk %u bad or in use", i);
		k->seen[i] = 1;
		nfree++;
	}
	if (nfree != w->nfree)
		return wheel_fail(k, "free count %u, found %llu", w->nfree,
				  (unsigned long long)nfree);
	if (nfree + k->chunks != w->nchunks)
		return wheel_fail(k, "free %llu + used %llu != %u",
				  (unsigned long long)nfree,
				  (unsigned long long)k->chunks, w->nchunks);
	return 0;
}

/*
 * An incremental compaction's position: its list is a list of the
 * wheel, and its last chunk done, unless expiry freed it (serial
 * changed), is on that list's chain.
 */
static int
wheel_check_cz(struct wheel_walk *k)
{
	const struct wheel *w = k->w;
	const struct wheel_cz *z = &w->cz;
	uintptr_t p = (uintptr_t)z->hp, lo = (uintptr_t)w, hi = lo + sizeof(*w);
	uint32_t i;

	if (!z->active)
		return 0;
	if (p < lo || p >= hi)
		return wheel_fail(k, "compaction list outside the wheel");
	if (z->at == WHEEL_NONE || w->chunks[z->at].serial != z->at_serial)
		return 0;
	for (i = *z->hp; i != WHEEL_NONE; i = w->chunks[i].next)
		if (i == z->at)
			return 0;
	return wheel_fail(k, "compaction chunk %u not on its list", z->at);
}

static int
wheel_check_walk(struct wheel_walk *k)
{
	const struct wheel *w = k->w;

	if (w->cur > w->now)
		return wheel_fail(k, "position %llu after now %llu",
				  (unsigned long long)w->cur,
				  (unsigned long long)w->now);
	if (w->count > w->cap)
		return wheel_fail(k, "count above capacity");
	if (wheel_check_slots(k) ||
	    wheel_check_list(k, w->due, WHEEL_LIST_DUE, 0) ||
	    wheel_check_list(k, w->ovf, WHEEL_LIST_OVF, 0))
		return -1;
	if (wheel_check_pend(k))
		return -1;
	if (k->ovf_min != w->ovf_min)
		return wheel_fail(k, "overflow minimum %llu, found %llu",
				  (unsigned long long)w->ovf_min,
				  (unsigned long long)k->ovf_min);
	if (k->entries != w->count)
		return wheel_fail(k, "count %llu, found %llu",
				  (unsigned long long)w->count,
				  (unsigned long long)k->entries);
	if (wheel_check_cz(k))
		return -1;
	return wheel_check_pool(k);
}

int
wheel_check(const struct wheel *w, char *err, size_t errlen)
{
	struct wheel_walk k = {
		.w = w,
		.ovf_min = UINT64_MAX,
		.err = err,
		.errlen = errlen,
	};
	int rc;

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	k.seen = calloc(w->nchunks, 1);
	if (k.seen == NULL)
		return wheel_fail(&k, "out of memory");
	rc = wheel_check_walk(&k);
	free(k.seen);
	return rc;
}
