/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Helpers shared by the lib/net sources; not part of the public API.
 */
#ifndef TT_NET_INTERNAL_H
#define TT_NET_INTERNAL_H

#include <stdint.h>

#include "net.h"

static inline uint16_t
net__rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t
net__rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
		(uint32_t)p[2] << 8 | p[3];
}

static inline uint8_t *
net__put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
	return p + 2;
}

/* A checksum over [p, p + len) plus sum is right, or the device says so. */
static inline bool
net__csum_ok(enum net_csum_status st, const void *p, uint32_t len,
	     uint32_t sum)
{
	if (st == NET_CSUM_GOOD)
		return true;
	if (st == NET_CSUM_BAD)
		return false;
	return net_csum_fold(net_csum_partial(p, len, sum)) == 0;
}

/*
 * The TCP checks common to both families, on f->l4_off/l4_len, with the
 * pseudo-header sum psum (net_parse.c).
 */
enum net_drop net__parse_tcp(const uint8_t *frame,
			     enum net_csum_status l4_csum, uint32_t psum,
			     struct net_frame *f);

/* The IPv6 header at frame + off and what it carries (net_parse6.c). */
enum net_drop net__parse_ipv6(const uint8_t *frame, uint32_t off,
			      uint32_t len, enum net_csum_status l4_csum,
			      struct net_frame *f);

/* Ethernet header, tagged when vlan is not 0 (net_build.c). */
uint8_t *net__eth_write(uint8_t *p, const uint8_t *dst, const uint8_t *src,
			uint16_t vlan, uint16_t type);

#endif /* TT_NET_INTERNAL_H */
