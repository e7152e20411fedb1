/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Which of the target's workers owns each source 4-tuple, and an order of
 * the tuples that spreads new connections evenly over them (or keeps to
 * one). Pure C: no DPDK header (unit-tested).
 *
 * The target is tcpterm's convention: the symmetric Toeplitz key
 * (net_rss_key_symmetric), a redirection table of reta_size entries filled
 * round-robin (net_rss_reta_fill: entry i -> worker i % n_owners), and the
 * owner reta[hash % reta_size]. tcpterm's software steering uses a table
 * of 512 entries; with device RSS the device's own size applies (it only
 * matters when the number of workers is not a power of two).
 */
#ifndef TT_GEN_RSS_H
#define TT_GEN_RSS_H

#include <stdbool.h>
#include <stdint.h>

#include "net.h"

#define GEN_RSS_MAX_OWNERS 64
#define GEN_RSS_RETA_DEFAULT 512
#define GEN_RSS_RETA_MAX 2048

/* The source 4-tuple space: tuple t = (src_lo + t / n_sport, port). */
struct gen_space {
	bool ipv6;
	uint32_t src_lo; /* addresses, or their low 32 bits (IPv6) */
	uint32_t src_hi;
	uint8_t src6[NET_IPV6_ALEN]; /* IPv6: the first 96 bits */
	uint32_t dst;
	uint8_t dst6[NET_IPV6_ALEN];
	uint16_t sport_lo;
	uint16_t sport_hi;
	uint16_t dport;
};

/* The target's workers as the generator sees them. */
struct gen_rss {
	uint32_t n_owners;  /* 1..GEN_RSS_MAX_OWNERS */
	uint32_t reta_size; /* a power of two, 1..GEN_RSS_RETA_MAX */
	int32_t only;	    /* keep this owner's tuples only; -1: all */
};

/* The number of tuples of a space. */
uint64_t gen_space_size(const struct gen_space *sp);

/* The owner of tuple t (reference computation, bit by bit). */
uint32_t gen_rss_owner_of(const struct gen_space *sp, const struct gen_rss *r,
			  uint32_t t);

/*
 * Order the tuples of sp for new connections. Spread (only < 0): position
 * i holds a tuple of owner i % n_owners, as many of each owner as the
 * scarcest one has (the rest are left out). Only one owner: its tuples,
 * in index order. Writes the per-owner counts of the tuples kept into
 * kept[n_owners] and returns how many were written into order (at most
 * gen_space_size(sp)); 0 when an owner asked for has no tuple, -1 on an
 * invalid gen_rss or no memory.
 */
int64_t gen_rss_order(const struct gen_space *sp, const struct gen_rss *r,
		      uint32_t *order, uint64_t *kept);

#endif /* TT_GEN_RSS_H */
