/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * IPv6 parsing and validation (RFC 8200): the fixed header, the
 * extension header chain, TCP over IPv6 and ICMPv6 (RFC 4443) with
 * Neighbor Discovery (RFC 4861). Only reached for EtherType 0x86DD, so
 * the IPv4 path pays nothing for it.
 */
#include <string.h>

#include "net.h"
#include "net_internal.h"

#define IP6_NH_HOPOPTS 0
#define IP6_NH_ROUTING 43
#define IP6_NH_FRAGMENT 44
#define IP6_NH_DSTOPTS 60

#define ICMP6_PACKET_TOO_BIG 2
#define ND_OPT_SLLA 1
#define ND_OPT_TLLA 2
#define ND_MSG_LEN 24 /* type, code, checksum, word, target */
#define ND_HOP_LIMIT 255

#define IP6_OPT_PAD1 0
#define IP6_OPT_PADN 1
#define IP6_OPT_PAD_MAX 7 /* padding bytes in a row */
#define IP6_OPT_MAX 8	  /* options other than padding, per header */

/* PadN's data is zeros (RFC 4942 2.1.9.5: else a covert channel). */
static bool
ip6_padn_zero(const uint8_t *o, uint32_t olen)
{
	uint32_t i;

	for (i = 2; i < olen; i++)
		if (o[i] != 0)
			return false;
	return true;
}

/*
 * RFC 8200 4.2: walk the options of a Hop-by-Hop or Destination Options
 * header. Pad1 and PadN are skipped; any other option is one we do not
 * implement, so its two high-order bits decide: 00 skip it, anything else
 * discard the packet (we send no ICMPv6 Parameter Problem).
 *
 * RFC 8504 5.3 lets a node bound what it walks, as Linux's
 * ip6_parse_tlv() does: padding is for alignment, so at most 7 bytes of
 * it in a row, PadN's data zeros (RFC 4942 2.1.9.5), and at most 8
 * other options. A header of up to 2 KB of Pad1 would otherwise be read
 * a byte at a time, in each header of the chain, for every packet.
 */
static bool
ip6_opts_ok(const uint8_t *o, uint32_t len)
{
	uint32_t i = 0, pad = 0, n = 0;

	while (i < len) {
		uint8_t t = o[i];
		uint32_t olen;

		if (t == IP6_OPT_PAD1) {
			if (++pad > IP6_OPT_PAD_MAX)
				return false;
			i++;
			continue;
		}
		if (len - i < 2)
			return false;
		olen = (uint32_t)o[i + 1] + 2;
		if (olen > len - i)
			return false;
		if (t == IP6_OPT_PADN) {
			pad += olen;
			if (pad > IP6_OPT_PAD_MAX ||
			    !ip6_padn_zero(o + i, olen))
				return false;
		} else {
			if ((t >> 6) != 0 || ++n > IP6_OPT_MAX)
				return false;
			pad = 0;
		}
		i += olen;
	}
	return true;
}

/*
 * One extension header at p, with avail bytes left in the payload: its
 * length in *hlen, or the reason the packet is dropped.
 */
static enum net_drop
ip6_ext_one(const uint8_t *p, uint32_t avail, uint8_t nh, bool first,
	    uint32_t *hlen)
{
	/* Every extension header is a multiple of 8 bytes, at least 8. */
	if (avail < 8)
		return NET_DROP_IP6_EXTHDR;
	if (nh == IP6_NH_FRAGMENT) {
		/*
		 * RFC 6946 4: an atomic fragment (offset 0, M clear) is
		 * processed in isolation; anything else needs reassembly,
		 * which tcpterm does not do.
		 */
		if ((net__rd16(p + 2) & 0xfff9) != 0)
			return NET_DROP_IP6_FRAG;
		*hlen = 8;
		return NET_DROP_NONE;
	}
	*hlen = ((uint32_t)p[1] + 1) * 8;
	if (*hlen > avail)
		return NET_DROP_IP6_EXTHDR;
	switch (nh) {
	case IP6_NH_HOPOPTS:
		/* RFC 8200 4.1: only right after the IPv6 header. */
		if (!first)
			return NET_DROP_IP6_EXTHDR;
		/* fallthrough */
	case IP6_NH_DSTOPTS:
		if (!ip6_opts_ok(p + 2, *hlen - 2))
			return NET_DROP_IP6_EXT_OPT;
		return NET_DROP_NONE;
	default:
		/*
		 * RFC 8200 4.4: with Segments Left 0 the Routing header is
		 * ignored; otherwise the packet is to be forwarded, and a
		 * terminator forwards nothing.
		 */
		if (p[3] != 0)
			return NET_DROP_IP6_EXTHDR;
		return NET_DROP_NONE;
	}
}

static inline bool
ip6_is_ext(uint8_t nh)
{
	return nh == IP6_NH_HOPOPTS || nh == IP6_NH_DSTOPTS ||
		nh == IP6_NH_ROUTING || nh == IP6_NH_FRAGMENT;
}

/*
 * RFC 8200 4: follow the chain from the IPv6 header to TCP or ICMPv6,
 * at most NET_IP6_EXT_MAX headers. *off moves to the upper layer,
 * *nh becomes its protocol; *frag tells whether a Fragment header (an
 * atomic fragment's: any other is dropped) was among them.
 */
static enum net_drop
ip6_ext_walk(const uint8_t *frame, uint32_t *off, uint32_t end, uint8_t *nh,
	     bool *frag)
{
	enum net_drop d;
	uint32_t i, hlen;

	for (i = 0;; i++) {
		if (*nh == NET_IPPROTO_TCP || *nh == NET_IPPROTO_ICMPV6)
			return NET_DROP_NONE;
		if (!ip6_is_ext(*nh))
			return NET_DROP_IP6_NEXTHDR;
		if (i == NET_IP6_EXT_MAX)
			return NET_DROP_IP6_EXT_CHAIN;
		d = ip6_ext_one(frame + *off, end - *off, *nh, i == 0, &hlen);
		if (d != NET_DROP_NONE)
			return d;
		if (*nh == IP6_NH_FRAGMENT)
			*frag = true;
		*nh = frame[*off];
		*off += hlen;
	}
}

/*
 * Sources no packet may carry: multicast (RFC 4291 2.7), loopback
 * (2.5.3) and IPv4-mapped (2.5.5.2). The unspecified address is only
 * for a Neighbor Solicitation during address autoconfiguration (DAD):
 * the ICMPv6 code decides.
 *
 * A link-local source is accepted for TCP as for ND: RFC 4291 2.5.6
 * confines it to the link, and the packet did come from the link, so
 * the reply goes back on it (never through gateway6).
 */
static bool
ip6_src_bad(const uint8_t *a)
{
	return net_ip6_is_multicast(a) || net_ip6_is_loopback(a) ||
		net_ip6_is_v4mapped(a);
}

/*
 * RFC 4861 4.3/4.4 options: each at least 8 bytes (length not 0), all
 * inside the message; a link-layer address option for Ethernet is one
 * unit (RFC 2464 6). The first of the wanted kind is reported.
 */
static enum net_drop
nd_options(const uint8_t *frame, struct net_frame *f, uint8_t want)
{
	uint32_t off = f->l4_off + ND_MSG_LEN, end = f->l4_off + f->l4_len;

	while (off < end) {
		const uint8_t *o = frame + off;
		uint32_t olen;

		if (end - off < 2 || o[1] == 0)
			return NET_DROP_ND_OPT;
		olen = (uint32_t)o[1] * 8;
		if (olen > end - off)
			return NET_DROP_ND_OPT;
		if (o[0] == want) {
			if (o[1] != 1)
				return NET_DROP_ND_OPT;
			if (f->nd_lladdr_off == 0)
				f->nd_lladdr_off = (uint16_t)(off + 2);
		}
		off += olen;
	}
	return NET_DROP_NONE;
}

/* RFC 4861 7.1.1 (NS) and 7.1.2 (NA) validity checks. */
static enum net_drop
parse_nd(const uint8_t *frame, bool unspec_src, struct net_frame *f)
{
	const uint8_t *p = frame + f->l4_off;
	bool ns = p[0] == NET_ICMP6_ND_NS;
	enum net_drop d;

	if (f->ttl != ND_HOP_LIMIT)
		return NET_DROP_ND_HOP_LIMIT;
	if (p[1] != 0 || f->l4_len < ND_MSG_LEN)
		return NET_DROP_ND_MALFORMED;
	if (net_ip6_is_multicast(p + 8))
		return NET_DROP_ND_MALFORMED;
	f->nd_target_off = (uint16_t)(f->l4_off + 8);
	if (!ns) {
		f->nd_flags = p[4] &
			(NET_ND_ROUTER | NET_ND_SOLICITED | NET_ND_OVERRIDE);
		if (net_ip6_is_multicast(f->seg.daddr6) &&
		    (f->nd_flags & NET_ND_SOLICITED))
			return NET_DROP_ND_MALFORMED;
	}
	d = nd_options(frame, f, ns ? ND_OPT_SLLA : ND_OPT_TLLA);
	if (d != NET_DROP_NONE)
		return d;
	if (unspec_src &&
	    (!net_ip6_is_solicited_node(f->seg.daddr6) ||
	     f->nd_lladdr_off != 0))
		return NET_DROP_ND_UNSPEC_SRC;
	/* The advertisement goes to that MAC: never to a group. */
	if (ns && f->nd_lladdr_off != 0 && (frame[f->nd_lladdr_off] & 1) != 0)
		return NET_DROP_ETH_GROUP_SRC;
	f->kind = ns ? NET_KIND_ND_NS : NET_KIND_ND_NA;
	return NET_DROP_NONE;
}

/*
 * RFC 4443 3.2, RFC 8201 4: a Packet Too Big (checksum checked): the
 * MTU as received (the TCP layer keeps to the IPv6 minimum), and the
 * invoking packet at l4_off + 8, for the TCP layer to match against a
 * connection before it lowers anything. tcpterm sends TCP right after
 * the IPv6 header, so a quote of anything else is not of its sending;
 * the ports and sequence number, 8 bytes, must be there.
 */
static enum net_drop
parse_icmp6_ptb(const uint8_t *frame, struct net_frame *f)
{
	const uint8_t *p = frame + f->l4_off, *in = p + 8;

	if (f->l4_len < 8 + NET_IPV6_HLEN + 8 || in[0] >> 4 != 6 ||
	    in[6] != NET_IPPROTO_TCP)
		return NET_DROP_ICMP6_QUOTE;
	f->icmp_mtu = net__rd32(p + 4);
	f->icmp_quote_off = (uint16_t)(f->l4_off + 8);
	f->kind = NET_KIND_ICMP6_PTB;
	return NET_DROP_NONE;
}

/*
 * RFC 4443 2.3: checksum over the pseudo header, then the type. frag:
 * the packet had a Fragment header (an atomic fragment's).
 */
static enum net_drop
parse_icmp6(const uint8_t *frame, bool unspec_src, bool frag,
	    struct net_frame *f)
{
	const uint8_t *p = frame + f->l4_off;
	uint32_t sum;

	if (f->l4_len < 4)
		return NET_DROP_ICMP6_SHORT;
	sum = net_ip6_pseudo_sum(f->seg.saddr6, f->seg.daddr6, f->l4_len,
				 NET_IPPROTO_ICMPV6);
	if (!net__csum_ok(NET_CSUM_UNKNOWN, p, f->l4_len, sum))
		return NET_DROP_ICMP6_CSUM;
	/* RFC 4861 7.1.1: only a solicitation may come from ::. */
	if (unspec_src && p[0] != NET_ICMP6_ND_NS)
		return NET_DROP_IP6_BAD_SRC;
	/* A solicitation without SLLA is answered to the frame's source. */
	if (p[0] == NET_ICMP6_ND_NS && net__eth_src_group(f))
		return NET_DROP_ETH_GROUP_SRC;
	if (p[0] == NET_ICMP6_ND_NS || p[0] == NET_ICMP6_ND_NA) {
		/*
		 * RFC 6980 5: Neighbor Discovery in a packet with a
		 * Fragment header is ignored, an atomic fragment's too
		 * (RFC 6946 leaves this to it): no ND message needs one,
		 * and a spoofed one hides in fragments from the link's
		 * ND monitoring (RA-Guard and the like, RFC 6980 3), as
		 * Linux's suppress_frag_ndisc drops it.
		 */
		if (frag)
			return NET_DROP_IP6_FRAG;
		return parse_nd(frame, unspec_src, f);
	}
	if (p[0] != NET_ICMP6_ECHO_REQUEST && p[0] != ICMP6_PACKET_TOO_BIG)
		return NET_DROP_ICMP6_TYPE;
	if (f->l4_len < 8)
		return NET_DROP_ICMP6_SHORT;
	if (p[0] == NET_ICMP6_ECHO_REQUEST) {
		if (net__eth_src_group(f))
			return NET_DROP_ETH_GROUP_SRC;
		f->kind = NET_KIND_ICMP6_ECHO;
		return NET_DROP_NONE;
	}
	return parse_icmp6_ptb(frame, f);
}

enum net_drop
net__parse_ipv6(const uint8_t *frame, uint32_t off, uint32_t len,
		enum net_csum_status l4_csum, struct net_frame *f)
{
	const uint8_t *ip = frame + off;
	uint32_t plen, l4, end;
	bool unspec, frag = false;
	uint8_t nh;
	enum net_drop d;

	f->family = NET_FAMILY_IPV6;
	if (len - off < NET_IPV6_HLEN)
		return NET_DROP_IP6_SHORT;
	if (ip[0] >> 4 != 6)
		return NET_DROP_IP6_VERSION;
	/* Payload length 0 is a jumbogram (RFC 2675): not on Ethernet. */
	plen = net__rd16(ip + 4);
	if (plen == 0 || plen > len - off - NET_IPV6_HLEN ||
	    plen > 0xffffu - NET_IPV6_HLEN)
		return NET_DROP_IP6_PAYLEN;
	f->seg.saddr6 = ip + 8;
	f->seg.daddr6 = ip + 24;
	unspec = net_ip6_is_unspec(ip + 8);
	if (ip6_src_bad(ip + 8))
		return NET_DROP_IP6_BAD_SRC;
	f->ttl = ip[7];
	f->l3_off = (uint16_t)off;
	f->l3_len = (uint16_t)(NET_IPV6_HLEN + plen);
	/* Bytes past the payload length are Ethernet padding: ignored. */
	end = off + NET_IPV6_HLEN + plen;
	l4 = off + NET_IPV6_HLEN;
	nh = ip[6];
	d = ip6_ext_walk(frame, &l4, end, &nh, &frag);
	if (d != NET_DROP_NONE)
		return d;
	f->l4_off = (uint16_t)l4;
	f->l4_len = (uint16_t)(end - l4);
	if (nh == NET_IPPROTO_ICMPV6)
		return parse_icmp6(frame, unspec, frag, f);
	if (unspec)
		return NET_DROP_IP6_BAD_SRC;
	/* RFC 8200 8.1: the same TCP checks over the IPv6 pseudo header. */
	return net__parse_tcp(frame, l4_csum,
			      net_tcp6_pseudo_sum(ip + 8, ip + 24, f->l4_len),
			      f);
}
