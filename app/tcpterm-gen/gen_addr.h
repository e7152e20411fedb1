/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tcpterm-gen's addresses in both families, without DPDK (unit-tested).
 *
 * A source range is kept as the low 32 bits of its addresses (host
 * order), so that the 4-tuple space is the same for both families: for
 * IPv4 they are the address, for IPv6 they replace the last 32 bits of
 * a base address whose first 96 bits every source shares.
 */
#ifndef TT_GEN_ADDR_H
#define TT_GEN_ADDR_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "net.h"

/* An address as given on the command line. */
struct gen_addr {
	uint8_t family; /* enum net_family */
	uint32_t v4;	/* IPv4, host order */
	uint8_t v6[NET_IPV6_ALEN];
};

/* Parse an IPv4 or IPv6 address. Returns 0 or -1. */
int gen_addr_parse(const char *s, struct gen_addr *a);

/*
 * Parse "A" or "A-B", both of one family (B >= A). An IPv6 range must
 * keep its first 96 bits. *first gets A, *lo and *hi the low 32 bits of
 * A and B. Returns 0 or -1.
 */
int gen_range_parse(const char *s, struct gen_addr *first, uint32_t *lo,
		    uint32_t *hi);

/*
 * Parse a target: "a.b.c.d:PORT" or "[IPv6]:PORT" (port 1..65535).
 * Returns 0 or -1.
 */
int gen_dst_parse(const char *s, struct gen_addr *a, uint16_t *port);

/* Format an address of either family into buf (NET_IPV6_FMT_LEN). */
char *gen_addr_fmt(const struct gen_addr *a, char *buf);

/* The IPv6 address made of base's first 96 bits and low (host order). */
static inline void
gen_addr6_make(const uint8_t *base, uint32_t low, uint8_t *out)
{
	memcpy(out, base, 12);
	out[12] = (uint8_t)(low >> 24);
	out[13] = (uint8_t)(low >> 16);
	out[14] = (uint8_t)(low >> 8);
	out[15] = (uint8_t)low;
}

/*
 * Is a in the range [lo, hi] of base's prefix (first 96 bits)? Stores
 * its low 32 bits in *low when it is.
 */
static inline bool
gen_addr6_in(const uint8_t *base, uint32_t lo, uint32_t hi, const uint8_t *a,
	     uint32_t *low)
{
	uint32_t v;

	if (memcmp(a, base, 12) != 0)
		return false;
	v = (uint32_t)a[12] << 24 | (uint32_t)a[13] << 16 |
		(uint32_t)a[14] << 8 | a[15];
	*low = v;
	return v >= lo && v <= hi;
}

/*
 * Neighbor Discovery for the generator, which answers for every address
 * of its source range. frame is a parsed IPv6 frame f.
 *
 * gen_nd_answer(): when f is a Neighbor Solicitation for one of the
 * sources (sent to it or to its solicited-node address), write the
 * advertisement into out (RFC 4861 7.2.4) and return its length; else 0.
 */
uint32_t gen_nd_answer(const uint8_t *frame, const struct net_frame *f,
		       const uint8_t *base, uint32_t lo, uint32_t hi,
		       const uint8_t *mac, uint8_t *out, uint32_t cap);

/*
 * gen_nd_learn(): the link-layer address of peer, from an advertisement
 * for it (its target link-layer option) or a solicitation from it (its
 * source link-layer option). Returns true and fills mac, or false.
 */
bool gen_nd_learn(const uint8_t *frame, const struct net_frame *f,
		  const uint8_t *peer, uint8_t *mac);

#endif /* TT_GEN_ADDR_H */
