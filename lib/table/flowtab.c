/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Per-core flow table: open addressing with linear probing and
 * backward-shift deletion.
 *
 * The slot array is sized exactly (4/3 of the capacity, rounded up to a
 * multiple of four slots, one cache line), not to a power of two, so a
 * large table costs 21.3 bytes per entry rather than up to twice that.
 * The home slot is the 32-bit hash scaled to the slot count,
 * hash * nslots / 2^32 (Lemire's fastrange): one multiplication.
 *
 * A slot is empty when its value is FLOWTAB_EMPTY, so every key,
 * including the all-zero one, can be stored. Entries do not keep their
 * hash: deletion and the checker recompute it with flowtab_hash(), which
 * is why callers must pass that same hash to every operation.
 *
 * The hash is SipHash-1-3 of the 12-byte tuple under a 128-bit secret of
 * the table. An unkeyed hash (a fixed CRC32C seed or a fixed mixer) let a
 * peer solve, off-line, for source tuples that all home in a few slots:
 * 5000 spoofed SYNs made one cluster and every lookup crossing it cost
 * microseconds. With the secret unknown, homes are unpredictable, and the
 * probe bound (FLOWTAB_PROBE_MAX) caps what any cluster can cost.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "flowtab.h"
#include "tt_mem.h"

#define FLOWTAB_EMPTY UINT32_MAX
#define FLOWTAB_MIN_SLOTS 16u
#define FLOWTAB_SLOT_ROUND 4u
#define FLOWTAB_ALIGN 64u

struct flowtab_ent {
	uint32_t raddr;
	uint32_t laddr;
	uint16_t rport;
	uint16_t lport;
	uint32_t val;
};

_Static_assert(sizeof(struct flowtab_ent) == 16, "entry must be 16 bytes");
_Static_assert(offsetof(struct flowtab_ent, laddr) == 4 &&
		       offsetof(struct flowtab_ent, rport) == 8 &&
		       offsetof(struct flowtab_ent, lport) == 10 &&
		       offsetof(struct flow_key, laddr) == 4 &&
		       offsetof(struct flow_key, rport) == 8 &&
		       offsetof(struct flow_key, lport) == 10,
	       "entry and key layouts must match (flowtab_ent_match())");

struct flowtab {
	struct flowtab_ent *ents;
	uint64_t k0; /* the secret, as two little-endian words */
	uint64_t k1;
	struct flowtab_hkey hk; /* flowtab_hash()'s starting state */
	uint32_t nslots;
	uint32_t count;
	uint32_t max_entries;
	uint64_t probe_limit; /* inserts refused with -ELOOP */
};

/* No slot: a probe reached FLOWTAB_PROBE_MAX without a free one. */
#define FLOWTAB_NONE UINT32_MAX

/*
 * max_entries / 0.75 rounded up to whole cache lines, at least the
 * minimum; one more line when that would leave no empty slot.
 */
static uint64_t
flowtab_slots_for(uint32_t max_entries)
{
	uint64_t n = ((uint64_t)max_entries * 4 + 2) / 3;

	n = (n + FLOWTAB_SLOT_ROUND - 1) / FLOWTAB_SLOT_ROUND *
		FLOWTAB_SLOT_ROUND;
	if (n <= max_entries)
		n += FLOWTAB_SLOT_ROUND;
	return n < FLOWTAB_MIN_SLOTS ? FLOWTAB_MIN_SLOTS : n;
}

/*
 * The hash mapped onto 0 .. nslots - 1 by its high bits, without a
 * division (Lemire, "Fast random integer generation in an interval",
 * 2019): as even as hash % nslots, each slot taking 2^32 / nslots
 * hashes rounded down or up, for one multiplication and no table word.
 */
static inline uint32_t
flowtab_home(const struct flowtab *t, uint32_t hash)
{
	return (uint32_t)(((uint64_t)hash * t->nslots) >> 32);
}

static inline uint32_t
flowtab_next(const struct flowtab *t, uint32_t i)
{
	return i + 1 == t->nslots ? 0 : i + 1;
}

/* Distance from slot a forward to slot b, cyclically. */
static inline uint32_t
flowtab_dist(const struct flowtab *t, uint32_t a, uint32_t b)
{
	return b >= a ? b - a : b + t->nslots - a;
}

static uint64_t
flowtab_load64_le(const uint8_t *p)
{
	uint64_t v = 0;
	int i;

	for (i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

/* SipHash's initialization constants ("somepseudorandomlygeneratedbytes"). */
#define FLOWTAB_SIP_C0 0x736f6d6570736575ull
#define FLOWTAB_SIP_C1 0x646f72616e646f6dull
#define FLOWTAB_SIP_C2 0x6c7967656e657261ull
#define FLOWTAB_SIP_C3 0x7465646279746573ull

/* The caller's secret, or a fresh one from the kernel. 0 or -1. */
static int
flowtab_set_secret(struct flowtab *t, const uint8_t *secret)
{
	uint8_t b[FLOWTAB_SECRET_LEN];
	ssize_t n;

	if (secret == NULL) {
		do {
			n = getrandom(b, sizeof(b), 0);
		} while (n < 0 && errno == EINTR);
		if (n != (ssize_t)sizeof(b))
			return -1;
		secret = b;
	}
	t->k0 = flowtab_load64_le(secret);
	t->k1 = flowtab_load64_le(secret + 8);
	/* SipHash's initial state, then the first half round. */
	t->hk.v0 = t->k0 ^ FLOWTAB_SIP_C0;
	t->hk.v1 = t->k1 ^ FLOWTAB_SIP_C1;
	t->hk.v2 = t->k0 ^ FLOWTAB_SIP_C2;
	t->hk.v3 = t->k1 ^ FLOWTAB_SIP_C3;
	t->hk.v0 += t->hk.v1;
	t->hk.v1 = FLOWTAB_ROTL(t->hk.v1, 13) ^ t->hk.v0;
	t->hk.v0 = FLOWTAB_ROTL(t->hk.v0, 32);
	return 0;
}

struct flowtab *
flowtab_create(uint32_t max_entries, const uint8_t *secret)
{
	uint64_t nslots = flowtab_slots_for(max_entries);
	struct flowtab *t;

	/* The home slot comes from a 32-bit hash. */
	if (nslots >= ((uint64_t)1 << 32) ||
	    nslots > SIZE_MAX / sizeof(struct flowtab_ent))
		return NULL;

	t = malloc(sizeof(*t));
	if (t == NULL)
		return NULL;
	if (flowtab_set_secret(t, secret) != 0) {
		free(t);
		return NULL;
	}
	t->ents = aligned_alloc(FLOWTAB_ALIGN,
				nslots * sizeof(struct flowtab_ent));
	if (t->ents == NULL) {
		free(t);
		return NULL;
	}
	tt_advise_huge(t->ents, nslots * sizeof(struct flowtab_ent));
	/*
	 * All bits set: every value is FLOWTAB_EMPTY. Writing every slot
	 * also faults the whole table in at start-up (no tt_prefault()).
	 */
	memset(t->ents, 0xff, nslots * sizeof(struct flowtab_ent));
	t->nslots = (uint32_t)nslots;
	t->count = 0;
	t->max_entries = max_entries;
	t->probe_limit = 0;
	return t;
}

void
flowtab_destroy(struct flowtab *t)
{
	if (t == NULL)
		return;
	free(t->ents);
	free(t);
}

void
flowtab_secret(const struct flowtab *t, uint8_t secret[FLOWTAB_SECRET_LEN])
{
	int i;

	for (i = 0; i < 8; i++) {
		secret[i] = (uint8_t)(t->k0 >> (8 * i));
		secret[8 + i] = (uint8_t)(t->k1 >> (8 * i));
	}
}

void
flowtab_hkey(const struct flowtab *t, struct flowtab_hkey *hk)
{
	*hk = t->hk;
}

uint32_t
flowtab_hash(const struct flowtab *t, const struct flow_key *k)
{
	return flowtab_hash_words(&t->hk,
				  (uint64_t)k->raddr | (uint64_t)k->laddr << 32,
				  (uint32_t)k->rport |
					  (uint32_t)k->lport << 16);
}

/*
 * SipHash-1-3 of the 32 bytes raddr, laddr, as four little-endian words,
 * under the table's secret with each half complemented (a key of its
 * own, so that the fold is unrelated to flowtab_hash() of the result).
 */
void
flowtab_key6(const struct flowtab *t, const uint8_t raddr[16],
	     const uint8_t laddr[16], uint16_t rport, uint16_t lport,
	     struct flow_key *k)
{
	uint64_t m[4] = {
		flowtab_load64_le(raddr),
		flowtab_load64_le(raddr + 8),
		flowtab_load64_le(laddr),
		flowtab_load64_le(laddr + 8),
	};
	uint64_t v0 = ~t->k0 ^ FLOWTAB_SIP_C0;
	uint64_t v1 = ~t->k1 ^ FLOWTAB_SIP_C1;
	uint64_t v2 = ~t->k0 ^ FLOWTAB_SIP_C2;
	uint64_t v3 = ~t->k1 ^ FLOWTAB_SIP_C3;
	uint64_t h;
	int i;

	for (i = 0; i < 4; i++) {
		v3 ^= m[i];
		flowtab_sip_round(&v0, &v1, &v2, &v3);
		v0 ^= m[i];
	}
	v3 ^= (uint64_t)32 << 56;
	flowtab_sip_round(&v0, &v1, &v2, &v3);
	v0 ^= (uint64_t)32 << 56;
	v2 ^= 0xff;
	flowtab_sip_round(&v0, &v1, &v2, &v3);
	flowtab_sip_round(&v0, &v1, &v2, &v3);
	flowtab_sip_round(&v0, &v1, &v2, &v3);
	h = v0 ^ v1 ^ v2 ^ v3;
	k->raddr = (uint32_t)h;
	k->laddr = (uint32_t)(h >> 32);
	k->rport = rport;
	k->lport = lport;
}

uint32_t
flowtab_slot_of(const struct flowtab *t, uint32_t hash)
{
	return flowtab_home(t, hash);
}

void
flowtab_prefetch(const struct flowtab *t, uint32_t hash)
{
	__builtin_prefetch(&t->ents[flowtab_home(t, hash)]);
}

void
flowtab_prefetch_delete(const struct flowtab *t, uint32_t hash)
{
	const struct flowtab_ent *e = &t->ents[flowtab_home(t, hash)];

	__builtin_prefetch(e, 1);
	/* The next line, unless past the end (the probe wraps there). */
	if (e + 4 < t->ents + t->nslots)
		__builtin_prefetch(e + 4, 1);
}

static inline bool
flowtab_ent_empty(const struct flowtab_ent *e)
{
	return e->val == FLOWTAB_EMPTY;
}

/*
 * The key and the entry both start with the two addresses then the two
 * ports: compare them as one 8-byte and one 4-byte word.
 */
static inline bool
flowtab_ent_match(const struct flowtab_ent *e, const struct flow_key *k)
{
	uint64_t ea, ka;
	uint32_t ep, kp;

	memcpy(&ea, &e->raddr, sizeof(ea));
	memcpy(&ka, &k->raddr, sizeof(ka));
	memcpy(&ep, &e->rport, sizeof(ep));
	memcpy(&kp, &k->rport, sizeof(kp));
	return ea == ka && ep == kp;
}

static inline void
flowtab_ent_key(const struct flowtab_ent *e, struct flow_key *k)
{
	k->raddr = e->raddr;
	k->laddr = e->laddr;
	k->rport = e->rport;
	k->lport = e->lport;
}

static inline uint32_t
flowtab_ent_home(const struct flowtab *t, const struct flowtab_ent *e)
{
	struct flow_key k;

	flowtab_ent_key(e, &k);
	return flowtab_home(t, flowtab_hash(t, &k));
}

/*
 * Walk the probe sequence of k, at most FLOWTAB_PROBE_MAX slots (no
 * entry sits further from its home). Returns true and the slot of k if
 * it is present, else false and the first empty slot of the sequence, or
 * FLOWTAB_NONE when there is none within the bound. The load limit
 * guarantees an empty slot in a table smaller than the bound.
 */
static inline bool
flowtab_find(const struct flowtab *t, const struct flow_key *k, uint32_t hash,
	     uint32_t *slot)
{
	uint32_t i = flowtab_home(t, hash);
	uint32_t d;

	for (d = 0; d < FLOWTAB_PROBE_MAX; d++) {
		const struct flowtab_ent *e = &t->ents[i];

		if (flowtab_ent_empty(e)) {
			*slot = i;
			return false;
		}
		if (flowtab_ent_match(e, k)) {
			*slot = i;
			return true;
		}
		i = flowtab_next(t, i);
	}
	*slot = FLOWTAB_NONE;
	return false;
}

int
flowtab_lookup(const struct flowtab *t, const struct flow_key *k, uint32_t hash,
	       uint32_t *val)
{
	uint32_t i;

	if (!flowtab_find(t, k, hash, &i))
		return -ENOENT;
	*val = t->ents[i].val;
	return 0;
}

int
flowtab_lookup_slot(const struct flowtab *t, const struct flow_key *k,
		    uint32_t hash, uint32_t *val, uint32_t *slot)
{
	if (!flowtab_find(t, k, hash, slot))
		return -ENOENT;
	*val = t->ents[*slot].val;
	return 0;
}

int
flowtab_insert(struct flowtab *t, const struct flow_key *k, uint32_t hash,
	       uint32_t val)
{
	struct flowtab_ent *e;
	uint32_t i;

	if (val == FLOWTAB_EMPTY)
		return -EINVAL;
	if (flowtab_find(t, k, hash, &i))
		return -EEXIST;
	if (t->count >= t->max_entries)
		return -ENOSPC;
	if (i == FLOWTAB_NONE) {
		t->probe_limit++;
		return -ELOOP;
	}
	e = &t->ents[i];
	e->raddr = k->raddr;
	e->laddr = k->laddr;
	e->rport = k->rport;
	e->lport = k->lport;
	e->val = val;
	t->count++;
	return 0;
}

int
flowtab_update(struct flowtab *t, const struct flow_key *k, uint32_t hash,
	       uint32_t val)
{
	uint32_t i;

	if (val == FLOWTAB_EMPTY)
		return -EINVAL;
	if (!flowtab_find(t, k, hash, &i))
		return -ENOENT;
	t->ents[i].val = val;
	return 0;
}

/*
 * Close the hole at slot gap: pull back each following entry of the
 * cluster whose home is not cyclically within (gap, j], so that no entry
 * is left with an empty slot between its home and its position. Out of
 * line: it rehashes the entries it passes, and the registers that takes
 * would otherwise be saved on every deletion (flowtab_remove()).
 */
static __attribute__((noinline)) void
flowtab_shift_back(struct flowtab *t, uint32_t gap)
{
	uint32_t j = gap;

	for (;;) {
		uint32_t home;

		j = flowtab_next(t, j);
		if (flowtab_ent_empty(&t->ents[j]))
			break;
		home = flowtab_ent_home(t, &t->ents[j]);
		if (flowtab_dist(t, home, j) >= flowtab_dist(t, gap, j)) {
			t->ents[gap] = t->ents[j];
			gap = j;
		}
	}
	t->ents[gap].val = FLOWTAB_EMPTY;
}

/*
 * Empty slot i. When the next slot is empty, no entry can need pulling
 * back (the usual case at load <= 0.75): the slot is simply freed.
 */
static inline void
flowtab_remove(struct flowtab *t, uint32_t i)
{
	if (flowtab_ent_empty(&t->ents[flowtab_next(t, i)]))
		t->ents[i].val = FLOWTAB_EMPTY;
	else
		flowtab_shift_back(t, i);
	t->count--;
}

int
flowtab_delete(struct flowtab *t, const struct flow_key *k, uint32_t hash)
{
	uint32_t i;

	if (!flowtab_find(t, k, hash, &i))
		return -ENOENT;
	flowtab_remove(t, i);
	return 0;
}

/*
 * The slot holding val on the probe sequence of hash (within the probe
 * bound), for owners that keep the hash but not the key.
 */
static bool
flowtab_find_val(const struct flowtab *t, uint32_t hash, uint32_t val,
		 uint32_t *slot)
{
	uint32_t i = flowtab_home(t, hash), d;

	for (d = 0; d < FLOWTAB_PROBE_MAX && !flowtab_ent_empty(&t->ents[i]);
	     d++) {
		if (t->ents[i].val == val) {
			*slot = i;
			return true;
		}
		i = flowtab_next(t, i);
	}
	return false;
}

/*
 * The slot holding val: slot itself when it does (the owner's values
 * being unique in the table, it is then val's entry), else the one on
 * the probe sequence of hash (flowtab_find_val()).
 */
static inline bool
flowtab_find_val_at(const struct flowtab *t, uint32_t hash, uint32_t val,
		    uint32_t *slot)
{
	if (*slot < t->nslots && t->ents[*slot].val == val)
		return true;
	return flowtab_find_val(t, hash, val, slot);
}

int
flowtab_delete_val_at(struct flowtab *t, uint32_t hash, uint32_t slot,
		      uint32_t val)
{
	if (val == FLOWTAB_EMPTY)
		return -EINVAL;
	if (!flowtab_find_val_at(t, hash, val, &slot))
		return -ENOENT;
	flowtab_remove(t, slot);
	return 0;
}

int
flowtab_delete_val(struct flowtab *t, uint32_t hash, uint32_t val)
{
	uint32_t i;

	if (val == FLOWTAB_EMPTY)
		return -EINVAL;
	if (!flowtab_find_val(t, hash, val, &i))
		return -ENOENT;
	flowtab_remove(t, i);
	return 0;
}

int
flowtab_update_val_at(struct flowtab *t, uint32_t hash, uint32_t slot,
		      uint32_t old, uint32_t val)
{
	if (old == FLOWTAB_EMPTY || val == FLOWTAB_EMPTY)
		return -EINVAL;
	if (!flowtab_find_val_at(t, hash, old, &slot))
		return -ENOENT;
	t->ents[slot].val = val;
	return 0;
}

int
flowtab_update_val(struct flowtab *t, uint32_t hash, uint32_t old, uint32_t val)
{
	uint32_t i;

	if (old == FLOWTAB_EMPTY || val == FLOWTAB_EMPTY)
		return -EINVAL;
	if (!flowtab_find_val(t, hash, old, &i))
		return -ENOENT;
	t->ents[i].val = val;
	return 0;
}

uint32_t
flowtab_count(const struct flowtab *t)
{
	return t->count;
}

uint32_t
flowtab_slots(const struct flowtab *t)
{
	return t->nslots;
}

int
flowtab_entry_at(const struct flowtab *t, uint32_t slot, struct flow_key *k,
		 uint32_t *val)
{
	const struct flowtab_ent *e;

	if (slot >= t->nslots)
		return -ERANGE;
	e = &t->ents[slot];
	if (flowtab_ent_empty(e))
		return -ENOENT;
	flowtab_ent_key(e, k);
	*val = e->val;
	return 0;
}

uint64_t
flowtab_probe_limit_hits(const struct flowtab *t)
{
	return t->probe_limit;
}

uint32_t
flowtab_capacity(const struct flowtab *t)
{
	return t->max_entries;
}

size_t
flowtab_mem_bytes(const struct flowtab *t)
{
	return sizeof(*t) + (size_t)t->nslots * sizeof(struct flowtab_ent);
}

void
flowtab_displacement(const struct flowtab *t, uint64_t *sum, uint32_t *max)
{
	uint32_t i, d;

	*sum = 0;
	*max = 0;
	for (i = 0; i < t->nslots; i++) {
		if (flowtab_ent_empty(&t->ents[i]))
			continue;
		d = flowtab_dist(t, flowtab_ent_home(t, &t->ents[i]), i);
		*sum += d;
		if (d > *max)
			*max = d;
	}
}

/*
 * The entry at slot pos must be the first match on its probe sequence,
 * within the probe bound: every slot from its home up to pos is occupied
 * by another key.
 */
static int
flowtab_check_slot(const struct flowtab *t, uint32_t pos)
{
	struct flow_key k;
	uint32_t i, home;

	flowtab_ent_key(&t->ents[pos], &k);
	home = flowtab_home(t, flowtab_hash(t, &k));
	if (flowtab_dist(t, home, pos) >= FLOWTAB_PROBE_MAX)
		return -1;
	for (i = home; i != pos; i = flowtab_next(t, i)) {
		const struct flowtab_ent *o = &t->ents[i];

		if (flowtab_ent_empty(o) || flowtab_ent_match(o, &k))
			return -1;
	}
	return 0;
}

int
flowtab_check(const struct flowtab *t)
{
	uint64_t nslots = t->nslots;
	uint64_t i;
	uint32_t n = 0;

	for (i = 0; i < nslots; i++) {
		if (flowtab_ent_empty(&t->ents[i]))
			continue;
		if (flowtab_check_slot(t, (uint32_t)i) != 0)
			return -1;
		n++;
	}
	if (n != t->count || n > t->max_entries || n >= nslots)
		return -1;
	return 0;
}
