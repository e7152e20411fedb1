/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Flow table hash benchmark: the cost of flowtab_hash() (SipHash-1-3
 * keyed per table) against the unkeyed hashes tcpterm used before and a
 * keyed multiply-shift family, and what each does to lookups in a table
 * filled to its maximum load of 0.75.
 *
 * For each hash: ns per hash over an array of keys; ns per lookup (hash
 * included) for hits and misses in bursts of 32, hashed and prefetched
 * first as the worker does; and the mean and largest displacement of the
 * entries for random tuples and for structured ones (16 clients, each
 * with every source port towards one address and port). The table is
 * the real one: insert and lookup take the hash from the caller.
 *
 * The last row, siphash13-ipv6, is IPv6 tuples in the same table: the
 * key is flowtab_key6()'s fold of the two addresses (its cost is in
 * ns/hash with flowtab_hash()'s), and a hit is checked against the
 * addresses kept beside the values, as lib/tcp does.
 *
 *   flowtab_bench [--entries N] [--lookups N]
 *
 * Pure C, no EAL. Prints a table, then one JSON line.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#ifdef __SSE4_2__
#include <nmmintrin.h>
#endif

#include "flowtab.h"

#define BURST 32u
#define PASSES 5
#define MIN(a, b) ((a) < (b) ? (a) : (b))

/* Keyed multiply-shift: the random words of the current table. */
static uint64_t ms_a[3], ms_b;

typedef uint32_t (*hash_fn)(const struct flowtab *t, const struct flow_key *k);

/* MurmurHash3 finalizer of the packed tuple: the portable unkeyed hash. */
static uint32_t
h_murmur(const struct flowtab *t, const struct flow_key *k)
{
	uint64_t x = (uint64_t)k->raddr | (uint64_t)k->laddr << 32;
	uint64_t ports = (uint64_t)k->rport | (uint64_t)k->lport << 16;

	(void)t;
	x += ports * 0x9e3779b97f4a7c15ull;
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ull;
	x ^= x >> 33;
	return (uint32_t)x;
}

#ifdef __SSE4_2__
/* CRC32C with a fixed seed: the unkeyed hash of -march=native builds. */
static uint32_t
h_crc(const struct flowtab *t, const struct flow_key *k)
{
	uint64_t addrs = (uint64_t)k->raddr | (uint64_t)k->laddr << 32;
	uint32_t ports = (uint32_t)k->rport | (uint32_t)k->lport << 16;

	(void)t;
	return _mm_crc32_u32((uint32_t)_mm_crc32_u64(0x9e3779b9u, addrs),
			     ports);
}
#endif

/*
 * Dietzfelbinger's strongly universal multiply-shift over three 32-bit
 * words: (b + a0 x0 + a1 x1 + a2 x2) mod 2^64, upper 32 bits.
 */
static uint32_t
h_mshift(const struct flowtab *t, const struct flow_key *k)
{
	uint32_t ports = (uint32_t)k->rport | (uint32_t)k->lport << 16;

	(void)t;
	return (uint32_t)((ms_b + ms_a[0] * k->raddr + ms_a[1] * k->laddr +
			   ms_a[2] * ports) >>
			  32);
}

static const struct {
	const char *name;
	hash_fn fn;
} hashes[] = {
	{ "murmur-unkeyed", h_murmur },
#ifdef __SSE4_2__
	{ "crc32c-unkeyed", h_crc },
#endif
	{ "mshift-keyed", h_mshift },
	{ "siphash13-keyed", flowtab_hash },
};

#define NHASH (sizeof(hashes) / sizeof(hashes[0]))

struct result {
	double ns_hash;
	double ns_hit;
	double ns_miss;
	double disp_rand;
	uint32_t max_rand;
	double disp_seq;
	uint32_t max_seq;
};

static double
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static uint64_t
rng_next(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dull;
}

static void
keys_random(struct flow_key *k, uint32_t n, uint64_t seed)
{
	uint32_t i;

	for (i = 0; i < n; i++) {
		uint64_t r = rng_next(&seed);

		k[i].raddr = (uint32_t)r;
		k[i].laddr = 0xc6120001;
		k[i].rport = (uint16_t)(r >> 32);
		k[i].lport = (uint16_t)(r >> 48);
	}
}

/* 16 clients, each with consecutive source ports towards :80. */
static void
keys_clients(struct flow_key *k, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++) {
		k[i].raddr = 0xc6130000 + (i % 16);
		k[i].laddr = 0xc6120001;
		k[i].rport = (uint16_t)(i / 16);
		k[i].lport = 80;
	}
}

static void
die(const char *what, int err)
{
	fprintf(stderr, "flowtab_bench: %s: %s\n", what, strerror(err));
	exit(1);
}

static struct flowtab *
fill(uint32_t cap, const struct flow_key *k, uint32_t n, hash_fn fn)
{
	struct flowtab *t = flowtab_create(cap, NULL);
	uint32_t i;

	if (t == NULL)
		die("flowtab_create", ENOMEM);
	/* The unkeyed and multiply-shift hashes ignore t's secret. */
	for (i = 0; i < n; i++)
		if (flowtab_insert(t, &k[i], fn(t, &k[i]), i) == -ENOSPC)
			die("flowtab_insert", ENOSPC);
	return t;
}

static double
bench_hash(const struct flowtab *t, const struct flow_key *k, uint32_t n,
	   hash_fn fn)
{
	volatile uint32_t sink;
	uint32_t acc = 0, i;
	double t0 = now_ns();

	for (i = 0; i < n; i++)
		acc += fn(t, &k[i]);
	sink = acc;
	(void)sink;
	return (now_ns() - t0) / n;
}

/* Lookups of k[idx[i]], burst by burst: hash and prefetch, then look up. */
static double
bench_lookup(const struct flowtab *t, const struct flow_key *k,
	     const uint32_t *idx, uint32_t n, hash_fn fn, int want)
{
	uint32_t h[BURST], i, j, v, found = 0;
	double t0 = now_ns();

	for (i = 0; i + BURST <= n; i += BURST) {
		for (j = 0; j < BURST; j++) {
			h[j] = fn(t, &k[idx[i + j]]);
			flowtab_prefetch(t, h[j]);
		}
		for (j = 0; j < BURST; j++)
			found += flowtab_lookup(t, &k[idx[i + j]], h[j], &v) ==
				0;
	}
	if ((found != 0) != want)
		die("lookup results", EINVAL);
	return (now_ns() - t0) / (n / BURST * BURST);
}

/*
 * Displacement of n keys inserted in order with linear probing from the
 * homes fn gives in t (which only lends its slot mapping): the sum and
 * the largest. The real table cannot tell, as it recomputes homes with
 * its own hash.
 */
static double
displacement(const struct flowtab *t, const struct flow_key *k, uint32_t n,
	     hash_fn fn, uint32_t *max)
{
	/* Past the last slot instead of wrapping: the same but at the end. */
	uint32_t size = n + n / 3 + 8 + 4096, i, j;
	uint8_t *used = calloc(size, 1);
	uint64_t sum = 0;

	if (used == NULL)
		die("displacement", ENOMEM);
	*max = 0;
	for (i = 0; i < n; i++) {
		uint32_t home = flowtab_slot_of(t, fn(t, &k[i]));

		for (j = home; j + 1 < size && used[j]; j++)
			;
		used[j] = 1;
		sum += j - home;
		if (j - home > *max)
			*max = j - home;
	}
	free(used);
	return (double)sum / n;
}

/* IPv6 tuples, and the addresses a table's owner keeps per value. */
struct tuple6 {
	uint8_t r[16];
	uint8_t l[16];
	uint16_t rport;
	uint16_t lport;
};

static void
tuples6_random(struct tuple6 *k, uint32_t n, uint64_t seed, uint8_t local)
{
	uint32_t i, j;

	for (i = 0; i < n; i++) {
		for (j = 0; j < 16; j += 8) {
			uint64_t r = rng_next(&seed);

			memcpy(k[i].r + j, &r, 8);
		}
		memset(k[i].l, 0, 16);
		k[i].l[0] = 0x20;
		k[i].l[1] = 0x01;
		k[i].l[15] = local;
		k[i].rport = (uint16_t)rng_next(&seed);
		k[i].lport = 80;
	}
}

static uint32_t
hash6(const struct flowtab *t, const struct tuple6 *u, struct flow_key *k)
{
	flowtab_key6(t, u->r, u->l, u->rport, u->lport, k);
	return flowtab_hash(t, k);
}

static double
bench_hash6(const struct flowtab *t, const struct tuple6 *u, uint32_t n)
{
	volatile uint32_t sink;
	struct flow_key k;
	uint32_t acc = 0, i;
	double t0 = now_ns();

	for (i = 0; i < n; i++)
		acc += hash6(t, &u[i], &k);
	sink = acc;
	(void)sink;
	return (now_ns() - t0) / n;
}

/* As bench_lookup(), and a hit compares the addresses kept (kept[v]). */
static double
bench_lookup6(const struct flowtab *t, const struct tuple6 *u,
	      const struct tuple6 *kept, const uint32_t *idx, uint32_t n,
	      int want)
{
	struct flow_key k[BURST];
	uint32_t h[BURST], i, j, v, found = 0;
	double t0 = now_ns();

	for (i = 0; i + BURST <= n; i += BURST) {
		for (j = 0; j < BURST; j++) {
			h[j] = hash6(t, &u[idx[i + j]], &k[j]);
			flowtab_prefetch(t, h[j]);
		}
		for (j = 0; j < BURST; j++)
			found += flowtab_lookup(t, &k[j], h[j], &v) == 0 &&
				memcmp(kept[v].r, u[idx[i + j]].r, 16) == 0 &&
				memcmp(kept[v].l, u[idx[i + j]].l, 16) == 0;
	}
	if ((found != 0) != want)
		die("lookup results (IPv6)", EINVAL);
	return (now_ns() - t0) / (n / BURST * BURST);
}

/* The IPv6 row: random tuples only (disp-seq is left at 0). */
static void
run_v6(uint32_t n, uint32_t nl, const uint32_t *idx, struct result *r)
{
	struct tuple6 *u = calloc(n, sizeof(*u)), *m = calloc(n, sizeof(*m));
	struct flowtab *t = flowtab_create(n, NULL);
	struct flow_key k;
	uint64_t sum;
	uint32_t i;
	int pass;

	if (u == NULL || m == NULL || t == NULL)
		die("IPv6 keys", ENOMEM);
	tuples6_random(u, n, 1, 1);
	tuples6_random(m, n, 2, 2);
	for (i = 0; i < n; i++)
		if (flowtab_insert(t, &k, hash6(t, &u[i], &k), i) == -ENOSPC)
			die("flowtab_insert", ENOSPC);
	memset(r, 0, sizeof(*r));
	r->ns_hash = r->ns_hit = r->ns_miss = 1e18;
	for (pass = 0; pass < PASSES; pass++) {
		r->ns_hash = MIN(r->ns_hash, bench_hash6(t, u, n));
		r->ns_hit = MIN(r->ns_hit, bench_lookup6(t, u, u, idx, nl, 1));
		r->ns_miss = MIN(r->ns_miss,
				 bench_lookup6(t, m, u, idx, nl, 0));
	}
	flowtab_displacement(t, &sum, &r->max_rand);
	r->disp_rand = (double)sum / n;
	flowtab_destroy(t);
	free(u);
	free(m);
}

static void
run_one(hash_fn fn, uint32_t n, uint32_t nl, const struct flow_key *kr,
	const struct flow_key *km, const struct flow_key *kc,
	const uint32_t *idx, struct result *r)
{
	struct flowtab *t;
	int pass;

	if (getrandom(ms_a, sizeof(ms_a), 0) != (ssize_t)sizeof(ms_a) ||
	    getrandom(&ms_b, sizeof(ms_b), 0) != (ssize_t)sizeof(ms_b))
		die("getrandom", errno);
	t = fill(n, kr, n, fn);
	r->ns_hash = r->ns_hit = r->ns_miss = 1e18;
	/* The best of a few passes: the machine may be shared. */
	for (pass = 0; pass < PASSES; pass++) {
		r->ns_hash = MIN(r->ns_hash, bench_hash(t, kr, n, fn));
		r->ns_hit = MIN(r->ns_hit, bench_lookup(t, kr, idx, nl, fn, 1));
		r->ns_miss = MIN(r->ns_miss,
				 bench_lookup(t, km, idx, nl, fn, 0));
	}
	r->disp_rand = displacement(t, kr, n, fn, &r->max_rand);
	r->disp_seq = displacement(t, kc, n, fn, &r->max_seq);
	flowtab_destroy(t);
}

static uint32_t
arg_u32(const char *s)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v == 0 || v > (1ul << 26)) {
		fprintf(stderr, "flowtab_bench: bad number '%s'\n", s);
		exit(2);
	}
	return (uint32_t)v;
}

int
main(int argc, char **argv)
{
	uint32_t n = 1000000, nl = 2000000, i;
	struct result r[NHASH + 1];
	struct flow_key *kr, *km, *kc;
	uint32_t *idx;
	uint64_t seed = 0x9e3779b97f4a7c15ull;
	size_t h;

	for (i = 1; i < (uint32_t)argc; i++) {
		if (strcmp(argv[i], "--entries") == 0 && i + 1 < (uint32_t)argc)
			n = arg_u32(argv[++i]);
		else if (strcmp(argv[i], "--lookups") == 0 &&
			 i + 1 < (uint32_t)argc)
			nl = arg_u32(argv[++i]);
		else {
			fprintf(stderr,
				"usage: flowtab_bench [--entries N] "
				"[--lookups N]\n");
			return 2;
		}
	}
	kr = calloc(n, sizeof(*kr));
	km = calloc(n, sizeof(*km));
	kc = calloc(n, sizeof(*kc));
	idx = calloc(nl, sizeof(*idx));
	if (kr == NULL || km == NULL || kc == NULL || idx == NULL)
		die("keys", ENOMEM);
	keys_random(kr, n, 1);
	/* Other local address: never present. */
	keys_random(km, n, 2);
	for (i = 0; i < n; i++)
		km[i].laddr = 0xc6120002;
	keys_clients(kc, n);
	for (i = 0; i < nl; i++)
		idx[i] = (uint32_t)(rng_next(&seed) % n);

	printf("flow table of %u entries at load 0.75, lookups in bursts of "
	       "%u\n",
	       n, BURST);
	printf("%-16s %8s %8s %8s %10s %8s %10s %8s\n", "hash", "ns/hash",
	       "ns/hit", "ns/miss", "disp-rand", "max", "disp-seq", "max");
	for (h = 0; h < NHASH; h++) {
		run_one(hashes[h].fn, n, nl, kr, km, kc, idx, &r[h]);
		printf("%-16s %8.2f %8.2f %8.2f %10.3f %8u %10.3f %8u\n",
		       hashes[h].name, r[h].ns_hash, r[h].ns_hit, r[h].ns_miss,
		       r[h].disp_rand, r[h].max_rand, r[h].disp_seq,
		       r[h].max_seq);
	}
	run_v6(n, nl, idx, &r[NHASH]);
	printf("%-16s %8.2f %8.2f %8.2f %10.3f %8u %10s %8s\n",
	       "siphash13-ipv6", r[NHASH].ns_hash, r[NHASH].ns_hit,
	       r[NHASH].ns_miss, r[NHASH].disp_rand, r[NHASH].max_rand, "-",
	       "-");
	printf("{\"bench\":\"flowtab\",\"entries\":%u", n);
	for (h = 0; h < NHASH; h++)
		printf(",\"%s\":{\"ns_hash\":%.2f,\"ns_hit\":%.2f,"
		       "\"ns_miss\":%.2f,\"disp_rand\":%.3f,\"max_rand\":%u,"
		       "\"disp_seq\":%.3f,\"max_seq\":%u}",
		       hashes[h].name, r[h].ns_hash, r[h].ns_hit, r[h].ns_miss,
		       r[h].disp_rand, r[h].max_rand, r[h].disp_seq,
		       r[h].max_seq);
	printf(",\"siphash13-ipv6\":{\"ns_hash\":%.2f,\"ns_hit\":%.2f,"
	       "\"ns_miss\":%.2f,\"disp_rand\":%.3f,\"max_rand\":%u}",
	       r[NHASH].ns_hash, r[NHASH].ns_hit, r[NHASH].ns_miss,
	       r[NHASH].disp_rand, r[NHASH].max_rand);
	printf("}\n");
	free(kr);
	free(km);
	free(kc);
	free(idx);
	return 0;
}
