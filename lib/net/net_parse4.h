/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_parse() in line: the path of plain IPv4 TCP frames, the general
 * parser (net__parse_any()) for any other. For the receive loop
 * (dp_rx.c), where a call to net_parse() saved and restored registers
 * for every frame; net_parse() is this, out of line. Not part of the
 * public API.
 */
#ifndef TT_NET_PARSE4_H
#define TT_NET_PARSE4_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <arpa/inet.h>

#include "net.h"
#include "net_internal.h"

#define NET__TCPOPT_MSS 2

/*
 * RFC 9293 3.1: the options of a segment, into o, which is zero, one by
 * one (net_parse.c); -1 when malformed. Out of line: the layouts of
 * net__opts_common() are read in line.
 */
int net__tcp_opts_loop(const uint8_t *opt, uint32_t len,
		       struct net_tcp_opts *o);

/*
 * The SYN options of Linux (RFC 2018, RFC 7323) but the flags of the
 * options present: MSS, SACK-permitted (or NOP and NOP without SACK)
 * and timestamps, NOP and window scale.
 */
static inline __attribute__((always_inline)) void
net__opts_linux_syn(const uint8_t *opt, struct net_tcp_opts *o, uint8_t has)
{
	o->has = has;
	o->mss = net__rd16(opt + 2);
	o->tsval = net__rd32(opt + 8);
	o->tsecr = net__rd32(opt + 12);
	o->wscale = opt[19];
}

/*
 * The layouts most segments with options have, read at once (o is
 * zero); false for any other, which the general loop reads. RFC 7323
 * Appendix A: NOP, NOP and timestamps on every segment of a connection
 * using them; a SYN offering only an MSS (RFC 9293 3.7.1); the SYN and
 * SYN-ACK of Linux and others (net__opts_linux_syn()).
 */
static inline __attribute__((always_inline)) bool
net__opts_common(const uint8_t *opt, uint32_t len, struct net_tcp_opts *o)
{
	if (len == 12 && net__rd32(opt) == 0x0101080au) {
		o->has = NET_OPT_TS;
		o->tsval = net__rd32(opt + 4);
		o->tsecr = net__rd32(opt + 8);
		return true;
	}
	if (len == 4 && opt[0] == NET__TCPOPT_MSS && opt[1] == 4) {
		o->has = NET_OPT_MSS;
		o->mss = net__rd16(opt + 2);
		return true;
	}
	if (len == 20 && net__rd16(opt) == 0x0204u &&
	    net__rd32(opt + 4) == 0x0402080au &&
	    net__rd32(opt + 16) >> 8 == 0x010303u) {
		net__opts_linux_syn(opt, o,
				    NET_OPT_MSS | NET_OPT_SACK_OK | NET_OPT_TS |
					    NET_OPT_WSCALE);
		return true;
	}
	/* Linux without SACK (net.ipv4.tcp_sack=0): NOP, NOP instead. */
	if (len == 20 && net__rd16(opt) == 0x0204u &&
	    net__rd32(opt + 4) == 0x0101080au &&
	    net__rd32(opt + 16) >> 8 == 0x010303u) {
		net__opts_linux_syn(opt, o,
				    NET_OPT_MSS | NET_OPT_TS | NET_OPT_WSCALE);
		return true;
	}
	return false;
}

/*
 * RFC 1122 3.2.1.3: sources no host can send from anywhere: "this
 * network" (0/8; 0.0.0.0 is for a host learning its address, which
 * opens no connection), loopback (127/8), the limited broadcast and
 * multicast (224/4). The port's own address and its subnet's broadcast
 * are the glue's to check (dp_rx.c).
 */
static inline __attribute__((always_inline)) bool
net__ipv4_src_bad(uint32_t a)
{
	/*
	 * The first bytes of those networks as a set of 256 bits, tested
	 * with one load and shift rather than a branch for each: 0, 127
	 * and 224 .. 239.
	 */
	static const uint64_t top[4] = { 1ull, 1ull << 63, 0, 0xffffull << 32 };
	uint32_t t = a >> 24;

	return ((top[t >> 6] >> (t & 63)) & 1) != 0 || a == 0xffffffffu;
}

/* RFC 791 3.1: the header checksum, over ihl bytes (a multiple of 4). */
static inline __attribute__((always_inline)) bool
net__ip_csum_ok(enum net_csum_status st, const struct net_ipv4_hdr *ip,
		uint32_t ihl)
{
	if (st == NET_CSUM_GOOD)
		return true;
	if (st == NET_CSUM_BAD)
		return false;
	return net__sum_folds_ok(net__sum32(ip, ihl, 0));
}

/*
 * Zero the whole frame view, in two halves: GCC writes each with 16-byte
 * stores, where a single memset of the 160 bytes becomes a rep stos of
 * 20 steps, the largest part of an ACK's parse.
 */
static inline __attribute__((always_inline)) void
net__frame_clear(struct net_frame *f)
{
	uint8_t *p = (uint8_t *)f;

	memset(p, 0, sizeof(*f) / 2);
	memset(p + sizeof(*f) / 2, 0, sizeof(*f) - sizeof(*f) / 2);
}

/*
 * The frame nearly every segment comes in: untagged IPv4, a header
 * without options, not a fragment, TCP, both lengths consistent (the
 * checks of the general path that cannot fail for it). Its shape is
 * tested with a few loads; len is at least the three headers.
 */
static inline __attribute__((always_inline)) bool
net__tcp4_plain(const uint8_t *buf, uint32_t len)
{
	const uint8_t *ip = buf + NET_ETH_HLEN;
	uint32_t tot, hlen;

	/* EtherType, version and IHL; flags, offset and protocol. */
	if (net__ld16(buf + 12) != htons(NET_ETHERTYPE_IPV4) || ip[0] != 0x45 ||
	    (net__ld32(ip + 6) & htonl(0x3fff00ffu)) != htonl(NET_IPPROTO_TCP))
		return false;
	tot = net__rd16(ip + 2);
	hlen = (uint32_t)(ip[NET_IPV4_HLEN + 12] >> 4) * 4;
	return tot <= len - NET_ETH_HLEN && hlen >= NET_TCP_HLEN &&
		tot >= NET_IPV4_HLEN + hlen;
}

/*
 * RFC 9293 3.1: the checksum of a TCP segment of l4 bytes with a header
 * of hlen, over the pseudo-header sum psum, as net__tcp_csum_ok(); the
 * timestamps alone (hlen 32, RFC 7323 Appendix A: every segment but the
 * SYN of a connection using them) summed without a loop.
 */
static inline __attribute__((always_inline)) bool
net__tcp4_csum_ok(enum net_csum_status st, const uint8_t *p, uint32_t hlen,
		  uint32_t l4, uint64_t psum)
{
	uint64_t acc;
	uint32_t i;

	if (st == NET_CSUM_GOOD)
		return true;
	if (st == NET_CSUM_BAD)
		return false;
	acc = net__sum32(p, NET_TCP_HLEN, psum);
	if (hlen == NET_TCP_HLEN) {
		/* No option: the usual case, tested first. */
	} else if (hlen == NET_TCP_HLEN + 12) {
		acc += (uint64_t)net__ld32(p + 20) + net__ld32(p + 24) +
			net__ld32(p + 28);
	} else {
		for (i = NET_TCP_HLEN; i < hlen; i += 4)
			acc += net__ld32(p + i);
	}
	if (l4 > hlen)
		acc += net_csum_partial(p + hlen, l4 - hlen, 0);
	return net__sum_folds_ok(acc);
}

/*
 * A frame net__tcp4_plain() accepts, in one pass: the remaining checks of the
 * general path (net__parse_any()) in its order, filling what it fills by
 * the time it returns the same verdict (test_net.c compares the two).
 */
static inline __attribute__((always_inline)) enum net_drop
net__parse_tcp4_plain(const uint8_t *buf, enum net_csum_status ip_csum,
		      enum net_csum_status l4_csum, struct net_frame *f)
{
	const uint8_t *ip = buf + NET_ETH_HLEN;
	const uint8_t *p = ip + NET_IPV4_HLEN;
	struct net_seg *s = &f->seg;
	uint32_t tot = net__rd16(ip + 2), l4 = tot - NET_IPV4_HLEN;
	uint32_t hlen = (uint32_t)(p[12] >> 4) * 4;
	uint32_t sa = net__ld32(ip + 12), da = net__ld32(ip + 16);
	uint64_t psum;

	net__frame_clear(f);
	memcpy(f->dst_mac, buf, NET_ETH_ALEN);
	memcpy(f->src_mac, buf + NET_ETH_ALEN, NET_ETH_ALEN);
	if (!net__ip_csum_ok(ip_csum, (const struct net_ipv4_hdr *)ip,
			     NET_IPV4_HLEN))
		return NET_DROP_IP_CSUM;
	f->saddr = ntohl(sa);
	f->daddr = ntohl(da);
	if (net__ipv4_src_bad(f->saddr))
		return NET_DROP_IP_BAD_SRC;
	f->ttl = ip[8];
	f->l3_off = NET_ETH_HLEN;
	f->l3_len = (uint16_t)tot;
	f->l4_off = NET_ETH_HLEN + NET_IPV4_HLEN;
	f->l4_len = (uint16_t)l4;
	/* RFC 9293 3.1: the pseudo-header sum, then the segment's. */
	psum = (uint64_t)sa + da + htons(NET_IPPROTO_TCP) + htons(l4);
	if (!net__tcp4_csum_ok(l4_csum, p, hlen, l4, psum))
		return NET_DROP_TCP_CSUM;
	/* The usual layouts in line, without a call. */
	if (hlen > NET_TCP_HLEN &&
	    !net__opts_common(p + NET_TCP_HLEN, hlen - NET_TCP_HLEN,
			      &s->opts) &&
	    net__tcp_opts_loop(p + NET_TCP_HLEN, hlen - NET_TCP_HLEN,
			       &s->opts) != 0)
		return NET_DROP_TCP_OPTS;
	s->sport = net__rd16(p);
	s->dport = net__rd16(p + 2);
	if (s->sport == 0 || s->dport == 0)
		return NET_DROP_TCP_PORT_ZERO;
	s->saddr = f->saddr;
	s->daddr = f->daddr;
	s->seq = net__rd32(p + 4);
	s->ack = net__rd32(p + 8);
	s->wnd = net__rd16(p + 14);
	s->flags = p[13];
	s->data = p + hlen;
	s->len = l4 - hlen;
	f->kind = NET_KIND_TCP;
	return NET_DROP_NONE;
}

/* net_parse(), in line (net.h). */
static inline __attribute__((always_inline)) enum net_drop
net__parse_inline(const uint8_t *buf, uint32_t len,
		  enum net_csum_status ip_csum, enum net_csum_status l4_csum,
		  struct net_frame *f)
{
	if (len >= NET_ETH_HLEN + NET_IPV4_HLEN + NET_TCP_HLEN &&
	    net__tcp4_plain(buf, len))
		return net__parse_tcp4_plain(buf, ip_csum, l4_csum, f);
	return net__parse_any(buf, len, ip_csum, l4_csum, f);
}

#endif /* TT_NET_PARSE4_H */
