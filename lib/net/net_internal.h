/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Helpers shared by the lib/net sources; not part of the public API.
 */
#ifndef TT_NET_INTERNAL_H
#define TT_NET_INTERNAL_H

#include <stdint.h>
#include <string.h>

#include <arpa/inet.h>

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

/*
 * An echo request is answered in place, to the frame's source MAC: one
 * from a group (broadcast or multicast) source, which no station sends
 * from (IEEE 802.3 3.2.3), would have its reply reach every station of
 * the group.
 */
static inline bool
net__eth_src_group(const struct net_frame *f)
{
	return (f->src_mac[0] & 1) != 0;
}

/* A checksum over [p, p + len) plus sum is right, or the device says so. */
static inline bool
net__csum_ok(enum net_csum_status st, const void *p, uint32_t len, uint32_t sum)
{
	if (st == NET_CSUM_GOOD)
		return true;
	if (st == NET_CSUM_BAD)
		return false;
	return net_csum_fold(net_csum_partial(p, len, sum)) == 0;
}

/*
 * The 32-, 64- and 16-bit words at p, unaligned, in memory order: one
 * load each, where a copy of several words into an array went through
 * the stack.
 */
static inline uint32_t
net__ld32(const uint8_t *p)
{
	uint32_t w;

	memcpy(&w, p, sizeof(w));
	return w;
}

static inline uint64_t
net__ld64(const uint8_t *p)
{
	uint64_t w;

	memcpy(&w, p, sizeof(w));
	return w;
}

static inline uint16_t
net__ld16(const uint8_t *p)
{
	uint16_t w;

	memcpy(&w, p, sizeof(w));
	return w;
}

/*
 * RFC 1071: add the len bytes at p (len a multiple of 4 and at least 20,
 * as IPv4 and TCP header lengths are) to a one's complement accumulator,
 * as 32-bit words in memory order. A 64-bit accumulator takes the
 * carries: fold it with net__sum_folds_ok(). In line, for the short
 * headers of every packet, where the out-of-line net_csum_partial()
 * spends more on its call and its tail than on the sum. The 20 bytes
 * every header has are summed without a loop; options word by word.
 */
static inline uint64_t
net__sum32(const void *p, uint32_t len, uint64_t acc)
{
	const uint8_t *b = p;
	uint32_t i;

	acc += (uint64_t)net__ld32(b) + net__ld32(b + 4) + net__ld32(b + 8) +
		net__ld32(b + 12) + net__ld32(b + 16);
	for (i = 20; i < len; i += 4)
		acc += net__ld32(b + i);
	return acc;
}

/*
 * A sum that includes its checksum field folds to all ones when right.
 * Folding (adding the carries back) keeps the sum's residue modulo
 * 0xffff, since 2^16 is 1 modulo 0xffff, and folds a sum that is not
 * zero to one that is not zero: the folded sum is 0xffff exactly when
 * the sum is a nonzero multiple of 0xffff. The multiple is tested
 * without a division: 0xffff is odd, so multiplying by its inverse
 * modulo 2^64 maps its multiples, and only them, onto 0 ..
 * (2^64 - 1) / 0xffff (Hacker's Delight, 10-17). Written out, as the
 * compiler emits a div for acc % 0xffff in some places.
 */
#define NET__INV_FFFF 0xfffefffefffeffffull   /* 0xffff * this = 1 mod 2^64 */
#define NET__MAX_Q_FFFF 0x0001000100010001ull /* (2^64 - 1) / 0xffff */

static inline bool
net__sum_folds_ok(uint64_t acc)
{
	return acc != 0 && acc * NET__INV_FFFF <= NET__MAX_Q_FFFF;
}

/*
 * The checksum of a TCP segment over its pseudo-header sum psum: the
 * header (hlen bytes) in line, the payload by net_csum_partial(). The
 * payload starts at an even offset, so its sum adds to the header's.
 */
static inline bool
net__tcp_csum_ok(enum net_csum_status st, const uint8_t *p, uint32_t hlen,
		 uint32_t len, uint64_t psum)
{
	uint64_t acc;

	if (st == NET_CSUM_GOOD)
		return true;
	if (st == NET_CSUM_BAD)
		return false;
	acc = net__sum32(p, hlen, psum);
	if (len > hlen)
		acc += net_csum_partial(p + hlen, len - hlen, 0);
	return net__sum_folds_ok(acc);
}

/*
 * The TCP options at opt (len bytes) into o, which must be zero; -1 when
 * malformed (net_parse.c). net_tcp_parse_opts() clears o first.
 */
int net__tcp_opts_scan(const uint8_t *opt, uint32_t len,
		       struct net_tcp_opts *o);

/*
 * The TCP checks common to both families, on f->l4_off/l4_len, with the
 * pseudo-header sum psum. Inline, so that the IPv4 path keeps it in
 * line as it did before IPv6 shared it.
 */
static inline enum net_drop
net__parse_tcp(const uint8_t *frame, enum net_csum_status l4_csum,
	       uint64_t psum, struct net_frame *f)
{
	const uint8_t *p = frame + f->l4_off;
	const struct net_tcp_hdr *h = (const struct net_tcp_hdr *)p;
	struct net_seg *s = &f->seg;
	uint32_t hlen;

	if (f->l4_len < NET_TCP_HLEN)
		return NET_DROP_TCP_SHORT;
	hlen = (uint32_t)(h->doff >> 4) * 4;
	if (hlen < NET_TCP_HLEN || hlen > f->l4_len)
		return NET_DROP_TCP_DOFF;
	if (!net__tcp_csum_ok(l4_csum, p, hlen, f->l4_len, psum))
		return NET_DROP_TCP_CSUM;
	/* The frame view is clear: a segment without options has none. */
	if (hlen > NET_TCP_HLEN &&
	    net__tcp_opts_scan(p + NET_TCP_HLEN, hlen - NET_TCP_HLEN,
			       &s->opts) != 0)
		return NET_DROP_TCP_OPTS;
	s->sport = ntohs(h->sport);
	s->dport = ntohs(h->dport);
	if (s->sport == 0 || s->dport == 0)
		return NET_DROP_TCP_PORT_ZERO;
	s->saddr = f->saddr;
	s->daddr = f->daddr;
	s->seq = ntohl(h->seq);
	s->ack = ntohl(h->ack);
	s->wnd = ntohs(h->wnd);
	s->flags = h->flags;
	s->data = p + hlen;
	s->len = f->l4_len - hlen;
	f->kind = NET_KIND_TCP;
	return NET_DROP_NONE;
}

/*
 * net_parse() without its path for plain IPv4 TCP frames: the general
 * parser, which that path must agree with (net_parse.c, test_net.c).
 */
enum net_drop net__parse_any(const uint8_t *buf, uint32_t len,
			     enum net_csum_status ip_csum,
			     enum net_csum_status l4_csum, struct net_frame *f);

/* The IPv6 header at frame + off and what it carries (net_parse6.c). */
enum net_drop net__parse_ipv6(const uint8_t *frame, uint32_t off, uint32_t len,
			      enum net_csum_status l4_csum,
			      struct net_frame *f);

/* Ethernet header, tagged when vlan is not 0 (net_build.c). */
uint8_t *net__eth_write(uint8_t *p, const uint8_t *dst, const uint8_t *src,
			uint16_t vlan, uint16_t type);

#endif /* TT_NET_INTERNAL_H */
