/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Per-core flow table: TCP 4-tuple -> 32-bit value (a connection or
 * TIME_WAIT record index, tagged by the caller).
 *
 * Pure C, no DPDK header, single-threaded by design (one table per core,
 * no locks). Open addressing over 16-byte entries (four per cache line)
 * with linear probing and backward-shift deletion, so there are no
 * tombstones and lookups stay short at the fixed maximum load. Memory is
 * allocated once by flowtab_create(); insert never allocates.
 *
 * The hash passed to every operation must be flowtab_hash() of the same
 * key with the same table: deletion and the checker recompute it from
 * the stored key. The hash is keyed with the table's secret (SipHash-1-3),
 * so where a tuple lands cannot be computed off-line by a peer choosing
 * source addresses and ports to pile up one probe sequence.
 * No entry sits more than FLOWTAB_PROBE_MAX - 1 slots past its home:
 * insert refuses a key whose probe sequence would exceed that, and
 * lookups stop there.
 * The value UINT32_MAX marks an empty slot and cannot be stored; insert
 * and update reject it with -EINVAL.
 */
#ifndef TT_FLOWTAB_H
#define TT_FLOWTAB_H

#include <stddef.h>
#include <stdint.h>

/* Host byte order. raddr/rport are the remote side. */
struct flow_key {
	uint32_t raddr;
	uint32_t laddr;
	uint16_t rport;
	uint16_t lport;
};

struct flowtab;

/* Bytes of the secret keying a table's hash. */
#define FLOWTAB_SECRET_LEN 16

/*
 * Slots a probe sequence may span, home included. At the maximum load
 * of 0.75, one insert in 10^5 lands 192 slots or more past its home and
 * the tail shrinks about five-fold every 32 slots, so honest traffic
 * never meets this bound; a crafted cluster costs a miss at most this
 * many slots (128 cache lines).
 */
#define FLOWTAB_PROBE_MAX 512u

/*
 * Create a table able to hold max_entries keys (the slot array is
 * max_entries / 0.75 slots rounded up to a multiple of four, at least 16
 * slots: 21.3 bytes per entry). Its hash is keyed with secret, or, when
 * secret is NULL, with FLOWTAB_SECRET_LEN bytes from getrandom(2), so
 * that every table of every run has its own. NULL on allocation (or
 * getrandom) failure.
 */
struct flowtab *flowtab_create(uint32_t max_entries, const uint8_t *secret);
void flowtab_destroy(struct flowtab *t);

/* The secret keying the hash of t (for tests and diagnostics). */
void flowtab_secret(const struct flowtab *t,
		    uint8_t secret[FLOWTAB_SECRET_LEN]);

/*
 * The key of an IPv6 tuple (16-byte addresses, network order): raddr and
 * laddr hold a 64-bit keyed hash of the two addresses (SipHash-1-3 under
 * a secret derived from the table's), the ports are kept. So IPv6 entries
 * are the same 16 bytes as IPv4 ones, in the same table. Distinct tuples
 * (of either family) may share a key, with probability 2^-64 per pair
 * that a peer cannot steer without the secret: the owner of the values
 * must check the addresses it keeps against the segment's on a hit.
 */
void flowtab_key6(const struct flowtab *t, const uint8_t raddr[16],
		  const uint8_t laddr[16], uint16_t rport, uint16_t lport,
		  struct flow_key *k);

/* Keyed hash of a key in table t (stable for the life of t). */
uint32_t flowtab_hash(const struct flowtab *t, const struct flow_key *k);

/*
 * The state flowtab_hash() starts from, derived from the table's secret
 * (as secret as it), for a caller that hashes a tuple in line from its
 * own words (flowtab_hash_words()) instead of building a key and calling.
 * v0 and v1 are those after the first half of the first SipRound, which
 * reads neither v2 nor v3, so no message word: a constant of the table.
 */
struct flowtab_hkey {
	uint64_t v0;
	uint64_t v1;
	uint64_t v2;
	uint64_t v3;
};

/* The hash state of t, to copy (stable for the life of t). */
void flowtab_hkey(const struct flowtab *t, struct flowtab_hkey *hk);

#define FLOWTAB_ROTL(x, b) (((x) << (b)) | ((x) >> (64 - (b))))

/*
 * A SipRound (SipHash paper, 2.1) after its first four steps, which
 * read and write v0 and v1 only.
 */
static inline void
flowtab_sip_half(uint64_t *v0, uint64_t *v1, uint64_t *v2, uint64_t *v3)
{
	*v2 += *v3;
	*v3 = FLOWTAB_ROTL(*v3, 16);
	*v3 ^= *v2;
	*v0 += *v3;
	*v3 = FLOWTAB_ROTL(*v3, 21);
	*v3 ^= *v0;
	*v2 += *v1;
	*v1 = FLOWTAB_ROTL(*v1, 17);
	*v1 ^= *v2;
	*v2 = FLOWTAB_ROTL(*v2, 32);
}

static inline void
flowtab_sip_round(uint64_t *v0, uint64_t *v1, uint64_t *v2, uint64_t *v3)
{
	*v0 += *v1;
	*v1 = FLOWTAB_ROTL(*v1, 13);
	*v1 ^= *v0;
	*v0 = FLOWTAB_ROTL(*v0, 32);
	flowtab_sip_half(v0, v1, v2, v3);
}

/*
 * flowtab_hash() of the key raddr, laddr, rport, lport given as its two
 * words: addrs = raddr | laddr << 32, ports = rport | lport << 16.
 * SipHash-1-3 (one compression round per 8-byte block, three final
 * rounds) of the 12 bytes, little-endian: the first block is both
 * addresses, the last the ports and the length.
 */
static inline uint32_t
flowtab_hash_words(const struct flowtab_hkey *hk, uint64_t addrs,
		   uint32_t ports)
{
	uint64_t m1 = (uint64_t)ports | (uint64_t)12 << 56;
	uint64_t v0 = hk->v0;
	uint64_t v1 = hk->v1;
	uint64_t v2 = hk->v2;
	uint64_t v3 = hk->v3;

	/* The first round: its first half, on the key alone, is hk. */
	v3 ^= addrs;
	flowtab_sip_half(&v0, &v1, &v2, &v3);
	v0 ^= addrs;
	v3 ^= m1;
	flowtab_sip_round(&v0, &v1, &v2, &v3);
	v0 ^= m1;
	v2 ^= 0xff;
	flowtab_sip_round(&v0, &v1, &v2, &v3);
	flowtab_sip_round(&v0, &v1, &v2, &v3);
	flowtab_sip_round(&v0, &v1, &v2, &v3);
	return (uint32_t)(v0 ^ v1 ^ v2 ^ v3);
}

/* The home slot of hash in t (for tests and diagnostics). */
uint32_t flowtab_slot_of(const struct flowtab *t, uint32_t hash);

/* Prefetch the cache line a lookup of hash will touch first. */
void flowtab_prefetch(const struct flowtab *t, uint32_t hash);
/*
 * Prefetch, for writing, what a deletion on the probe sequence of hash
 * usually touches: the home line and the next (the entry may sit past
 * its home, and backward-shift deletion reads on to the next empty slot).
 */
void flowtab_prefetch_delete(const struct flowtab *t, uint32_t hash);

/* Returns 0 and *val, or -ENOENT. */
int flowtab_lookup(const struct flowtab *t, const struct flow_key *k,
		   uint32_t hash, uint32_t *val);

/* No slot, for the slot hints of flowtab_update_val_at() and others. */
#define FLOWTAB_NO_SLOT UINT32_MAX

/*
 * flowtab_lookup(), and in *slot the slot of the entry when found (a
 * hint for flowtab_update_val_at() and flowtab_delete_val_at(): the
 * entry stays there until a deletion moves it back); on a miss, the
 * first free slot of the probe sequence, or FLOWTAB_NO_SLOT, which holds
 * no value and so is a harmless hint too.
 */
int flowtab_lookup_slot(const struct flowtab *t, const struct flow_key *k,
			uint32_t hash, uint32_t *val, uint32_t *slot);

/*
 * Returns 0, -EEXIST (key present, value unchanged), -ENOSPC (full:
 * count has reached max_entries), -ELOOP (the first free slot is
 * FLOWTAB_PROBE_MAX or more slots past the home: counted in
 * flowtab_probe_limit_hits()) or -EINVAL (val is UINT32_MAX).
 */
int flowtab_insert(struct flowtab *t, const struct flow_key *k, uint32_t hash,
		   uint32_t val);

/*
 * Replace the value of a present key. Returns 0, -ENOENT or -EINVAL
 * (val is UINT32_MAX).
 */
int flowtab_update(struct flowtab *t, const struct flow_key *k, uint32_t hash,
		   uint32_t val);

/* Returns 0 or -ENOENT. */
int flowtab_delete(struct flowtab *t, const struct flow_key *k, uint32_t hash);

/*
 * Delete the entry holding val on the probe sequence of hash, for an
 * owner that keeps the hash but not the key (values must then be unique
 * among the keys sharing a probe sequence). Returns 0, -ENOENT or -EINVAL.
 */
int flowtab_delete_val(struct flowtab *t, uint32_t hash, uint32_t val);

/*
 * Replace the value old of the entry on the probe sequence of hash by
 * val (same conditions as flowtab_delete_val()). Returns 0, -ENOENT or
 * -EINVAL.
 */
int flowtab_update_val(struct flowtab *t, uint32_t hash, uint32_t old,
		       uint32_t val);

/*
 * flowtab_update_val() and flowtab_delete_val() looking at slot first,
 * for an owner whose values are unique in the whole table: when slot
 * (any number, FLOWTAB_NO_SLOT for none) holds the value, that entry is
 * the one; else the probe sequence of hash is searched as usual. Two
 * entries with one value would make this change or delete the wrong
 * one, which flowtab_delete_val() would not (it matches the hash too).
 */
int flowtab_update_val_at(struct flowtab *t, uint32_t hash, uint32_t slot,
			  uint32_t old, uint32_t val);
int flowtab_delete_val_at(struct flowtab *t, uint32_t hash, uint32_t slot,
			  uint32_t val);

uint32_t flowtab_count(const struct flowtab *t);
/* Slots of the table (entries sit at slots 0 .. flowtab_slots() - 1). */
uint32_t flowtab_slots(const struct flowtab *t);
/*
 * The entry at slot (for listings that walk the table in slices): 0 with
 * *k and *val, -ENOENT when the slot is empty, -ERANGE past the end.
 * Backward-shift deletion may move an entry to a lower slot between two
 * calls, so a walk in slices may miss or repeat an entry that moved.
 */
int flowtab_entry_at(const struct flowtab *t, uint32_t slot, struct flow_key *k,
		     uint32_t *val);
/* Inserts refused with -ELOOP since creation. */
uint64_t flowtab_probe_limit_hits(const struct flowtab *t);
/* The max_entries given to flowtab_create(). */
uint32_t flowtab_capacity(const struct flowtab *t);
size_t flowtab_mem_bytes(const struct flowtab *t);

/*
 * Displacement of the entries (slots between home and position): the sum
 * and the largest. A scan of the whole table, for tests and diagnostics.
 */
void flowtab_displacement(const struct flowtab *t, uint64_t *sum,
			  uint32_t *max);

/*
 * Check probe-sequence invariants (including the probe bound) and the
 * count. 0 or -1.
 */
int flowtab_check(const struct flowtab *t);

#endif /* TT_FLOWTAB_H */
