/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The output path of TCP segments, inline in its caller: headers written
 * a 32-bit word at a time, and the TCP checksum summed from those words
 * as they are stored, so that a software checksum reads back only the
 * payload. net_build_tcp() and net_build_tcp_sums() are this code too.
 *
 * Sums are kept as in net_csum.c: words as they lie in memory, added
 * into a 64-bit accumulator and folded at the end (RFC 1071 2(B): the
 * sum does not depend on byte order).
 */
#ifndef TT_NET_TX_H
#define TT_NET_TX_H

#include <stdint.h>
#include <string.h>

#include <arpa/inet.h>

#include "net.h"

/* Description of a TCP segment to send (host byte order). */
struct net_tcp_tx {
	const uint8_t *src_mac;
	const uint8_t *dst_mac;
	const struct net_tcp_opts *opts; /* which options to write */
	/* IPv6: both 16-byte addresses, or NULL for IPv4. */
	const uint8_t *saddr6;
	const uint8_t *daddr6;
	uint32_t saddr; /* IPv4 */
	uint32_t daddr;
	uint16_t sport;
	uint16_t dport;
	uint32_t seq;
	uint32_t ack;
	uint16_t wnd; /* raw window field */
	uint8_t flags;
	uint8_t ttl;	      /* IPv4 TTL or IPv6 hop limit, as written */
	uint16_t vlan;	      /* 802.1Q VLAN ID to tag; 0: untagged */
	uint32_t payload_len; /* bytes the caller copies after the headers */
};

/* Store v in network order. */
static inline void
net__st32(uint8_t *p, uint32_t v)
{
	uint32_t w = htonl(v);

	memcpy(p, &w, sizeof(w));
}

/* Store v in network order and add the stored word to *acc. */
static inline uint8_t *
net__tx32(uint8_t *p, uint32_t v, uint64_t *acc)
{
	uint32_t w = htonl(v);

	memcpy(p, &w, sizeof(w));
	*acc += w;
	return p + 4;
}

/*
 * The checksum of a 64-bit accumulator of 32-bit words: folded to 16
 * bits with the end-around carry, complemented (RFC 1071 2(C)). A word
 * plus itself rotated by half its width holds, in its upper half, the
 * sum of its halves with the end-around carry: one step per halving.
 */
static inline uint16_t
net__tx_fold(uint64_t acc)
{
	uint32_t s;

	acc += acc << 32 | acc >> 32;
	s = (uint32_t)(acc >> 32);
	s += s << 16 | s >> 16;
	return (uint16_t) ~(s >> 16);
}

_Static_assert(NET_OPT_MSS == 1 && NET_OPT_WSCALE == 2 &&
		       NET_OPT_SACK_OK == 4 && NET_OPT_TS == 8,
	       "net__tx_opts_len[] is indexed by the option flags");

/*
 * Length of the options other than SACK blocks, by the low four flags:
 * MSS 4, timestamps 12 (SACK-permitted rides in their padding), else
 * SACK-permitted 4, window scale 4. One load, no branch.
 */
static const uint8_t net__tx_opts_len[16] = {
	0, 4, 4, 8, 4, 8, 8, 12, 12, 16, 16, 20, 12, 16, 16, 20,
};

static inline uint32_t
net__tx_opts_base(uint8_t has)
{
	return net__tx_opts_len[has & 0x0f];
}

/*
 * SACK blocks written after base bytes of other options: as many as
 * fit the 40 option bytes (RFC 2018 3: 3 beside timestamps alone).
 */
static inline uint32_t
net__tx_nsack(const struct net_tcp_opts *o, uint32_t base)
{
	uint32_t room = NET_TCP_MAX_OPTLEN - base, max;

	if (!(o->has & NET_OPT_SACK) || room < 12)
		return 0;
	max = (room - 4) / 8;
	return o->nsack < max ? o->nsack : max;
}

/*
 * The TCP header length of a segment with options o, and in *ns its
 * SACK blocks. Most segments carry timestamps alone, or no option at
 * all: their length is known without the table or the SACK count.
 */
static inline uint32_t
net__tx_tcp_hlen(const struct net_tcp_opts *o, uint32_t *ns)
{
	uint8_t has = o->has;
	uint32_t base;

	if ((has & (uint8_t)~NET_OPT_TS) == 0) {
		*ns = 0;
		return NET_TCP_HLEN + (has != 0 ? 12 : 0);
	}
	base = net__tx_opts_base(has);
	/* A SYN-ACK's options: no SACK block, no room to work out. */
	if (!(has & NET_OPT_SACK)) {
		*ns = 0;
		return NET_TCP_HLEN + base;
	}
	*ns = net__tx_nsack(o, base);
	return NET_TCP_HLEN + base + (*ns > 0 ? 4 + 8 * *ns : 0);
}

/* The options of a SYN-ACK answering Linux's SYN. */
#define NET__TX_OPTS_SYN_ALL \
	(NET_OPT_MSS | NET_OPT_SACK_OK | NET_OPT_TS | NET_OPT_WSCALE)

/*
 * Options as Linux tcp_options_write() lays them out: every group a
 * whole 32-bit word (MSS; SACK-permitted and timestamps; window scale;
 * SACK blocks), so no trailing padding is ever needed.
 */
static inline void
net__tx_opts(uint8_t *p, const struct net_tcp_opts *o, uint32_t ns,
	     uint64_t *acc)
{
	uint8_t has = o->has;
	uint32_t i;

	/* Most segments carry timestamps alone, or no option at all. */
	if ((has & (uint8_t)~NET_OPT_TS) == 0) {
		if (has != 0) {
			p = net__tx32(p, 0x0101080au, acc);
			p = net__tx32(p, o->tsval, acc);
			net__tx32(p, o->tsecr, acc);
		}
		return;
	}
	/*
	 * The SYN-ACK to a Linux client (all four), or to a SYN with an
	 * MSS alone: the words at once, without a test per option.
	 */
	if (has == NET__TX_OPTS_SYN_ALL) {
		p = net__tx32(p, 0x02040000u | o->mss, acc);
		p = net__tx32(p, 0x0402080au, acc);
		p = net__tx32(p, o->tsval, acc);
		p = net__tx32(p, o->tsecr, acc);
		net__tx32(p, 0x01030300u | o->wscale, acc);
		return;
	}
	if (has == NET_OPT_MSS) {
		net__tx32(p, 0x02040000u | o->mss, acc);
		return;
	}
	if (has & NET_OPT_MSS)
		p = net__tx32(p, 0x02040000u | o->mss, acc);
	if (has & NET_OPT_TS) {
		p = net__tx32(p,
			      (has & NET_OPT_SACK_OK) ? 0x0402080au :
							0x0101080au,
			      acc);
		p = net__tx32(p, o->tsval, acc);
		p = net__tx32(p, o->tsecr, acc);
	} else if (has & NET_OPT_SACK_OK) {
		p = net__tx32(p, 0x01010402u, acc);
	}
	if (has & NET_OPT_WSCALE)
		p = net__tx32(p, 0x01030300u | o->wscale, acc);
	if (ns == 0)
		return;
	p = net__tx32(p, 0x01010500u | (2 + 8 * ns), acc);
	for (i = 0; i < ns; i++) {
		p = net__tx32(p, o->sack[i].start, acc);
		p = net__tx32(p, o->sack[i].end, acc);
	}
}

/* Ethernet header, with an 802.1Q tag (priority 0) when vlan is set. */
static inline uint8_t *
net__tx_eth(uint8_t *p, const struct net_tcp_tx *t, uint16_t type)
{
	memcpy(p, t->dst_mac, NET_ETH_ALEN);
	memcpy(p + NET_ETH_ALEN, t->src_mac, NET_ETH_ALEN);
	p += 2 * NET_ETH_ALEN;
	if (t->vlan != 0) {
		net__st32(p,
			  (uint32_t)NET_ETHERTYPE_VLAN << 16 |
				  (t->vlan & 0x0fffu));
		p += NET_VLAN_HLEN;
	}
	type = htons(type);
	memcpy(p, &type, sizeof(type));
	return p + 2;
}

/*
 * The TCP header at p, tcp_hlen bytes with ns SACK blocks; its checksum
 * field 0. Returns acc plus the sum of its words.
 */
static inline uint64_t
net__tx_tcp_hdr(uint8_t *p, const struct net_tcp_tx *t, uint32_t tcp_hlen,
		uint32_t ns, uint64_t acc)
{
	p = net__tx32(p, (uint32_t)t->sport << 16 | t->dport, &acc);
	p = net__tx32(p, t->seq, &acc);
	p = net__tx32(p, t->ack, &acc);
	p = net__tx32(p, tcp_hlen << 26 | (uint32_t)t->flags << 16 | t->wnd,
		      &acc);
	net__st32(p, 0);
	net__tx_opts(p + 4, t->opts, ns, &acc);
	return acc;
}

/*
 * For offload, the TCP checksum field holds the pseudo-header sum,
 * folded but not complemented; otherwise it stays 0 (SOFTWARE: until
 * net_tx_tcp_csum() fills it).
 */
static inline void
net__tx_pseudo(uint8_t *tcp, enum net_tcp_sums sums, uint64_t pseudo)
{
	uint16_t c = (uint16_t)~net__tx_fold(pseudo);

	if (sums == NET_TCP_SUMS_OFFLOAD)
		memcpy(tcp + 16, &c, sizeof(c));
}

/* RFC 8200 3: version 6, traffic class and flow label 0. */
static inline uint64_t
net__tx_ip6(uint8_t *ip, const struct net_tcp_tx *t, uint32_t l4_len)
{
	uint64_t acc = 0;
	uint32_t w;
	unsigned int i;

	net__st32(ip, 0x60000000u);
	net__st32(ip + 4, l4_len << 16 | NET_IPPROTO_TCP << 8 | t->ttl);
	memcpy(ip + 8, t->saddr6, NET_IPV6_ALEN);
	memcpy(ip + 8 + NET_IPV6_ALEN, t->daddr6, NET_IPV6_ALEN);
	/*
	 * RFC 8200 8.1: both addresses, side by side in the header, the
	 * 32-bit length and the next header.
	 */
	for (i = 0; i < 2 * NET_IPV6_ALEN; i += 4) {
		memcpy(&w, ip + 8 + i, sizeof(w));
		acc += w;
	}
	return acc + htonl(l4_len) + htonl(NET_IPPROTO_TCP);
}

/*
 * RFC 791 3.1: the IPv4 header, its checksum summed from the words as
 * written (filled for SOFTWARE only: offload wants 0). RFC 6864 4.1:
 * the ID of an atomic datagram (DF, never fragmented) has no use; 0
 * rather than a counter, which would let anyone who sees two of our
 * segments count what we sent between them. Returns the sum of the
 * addresses.
 */
static inline uint64_t
net__tx_ip4(uint8_t *ip, const struct net_tcp_tx *t, uint32_t tot,
	    enum net_tcp_sums sums)
{
	uint32_t s = htonl(t->saddr), d = htonl(t->daddr);
	uint32_t w0 = 0x45000000u | tot;
	uint32_t w2 = (uint32_t)t->ttl << 24 | NET_IPPROTO_TCP << 16;
	uint64_t addr = (uint64_t)s + d;
	uint16_t c;

	net__st32(ip, w0);
	net__st32(ip + 4, 0x4000u);
	net__st32(ip + 8, w2);
	if (sums == NET_TCP_SUMS_SOFTWARE) {
		c = net__tx_fold(addr + htonl(w0) + htonl(0x4000u) + htonl(w2));
		memcpy(ip + 10, &c, sizeof(c));
	}
	memcpy(ip + 12, &s, sizeof(s));
	memcpy(ip + 16, &d, sizeof(d));
	return addr;
}

/*
 * Write the headers of segment t into buf (cap bytes): Ethernet, IPv4
 * or IPv6, TCP with its options, the checksum fields prepared as sums
 * says (as net_build_tcp_sums(), but for SOFTWARE the TCP field is left
 * 0: net_tx_tcp_csum() fills it, once the payload is in). Returns the header length (payload
 * goes at buf + return value), or 0 when cap is too small; the TCP
 * header's offset goes to *l4_off, and to *sum the pseudo-header and
 * TCP header sum (checksum field as 0) for net_tx_tcp_csum(). Always
 * inline: the description is the caller's fields, never a copy.
 */
static inline __attribute__((always_inline)) uint32_t
net_tx_tcp(uint8_t *buf, uint32_t cap, const struct net_tcp_tx *t,
	   enum net_tcp_sums sums, uint32_t *l4_off, uint64_t *sum)
{
	uint32_t base = net__tx_opts_base(t->opts->has);
	uint32_t ns = net__tx_nsack(t->opts, base);
	uint32_t tcp_hlen = NET_TCP_HLEN + base + (ns > 0 ? 4 + 8 * ns : 0);
	uint32_t l3 = t->saddr6 != NULL ? NET_IPV6_HLEN : NET_IPV4_HLEN;
	uint32_t l2 = NET_ETH_HLEN + (t->vlan != 0 ? NET_VLAN_HLEN : 0);
	uint32_t hlen = l2 + l3 + tcp_hlen;
	uint32_t l4_len = tcp_hlen + t->payload_len;
	uint64_t pseudo, tcp_sum;
	uint8_t *ip = buf + l2, *tcp = ip + l3;

	/* The IPv4 total length, or the IPv6 payload length, is 16 bits. */
	if (t->payload_len > 0xffff - (t->saddr6 != NULL ? 0 : l3) - tcp_hlen ||
	    cap < hlen || cap - hlen < t->payload_len)
		return 0;
	/*
	 * The TCP header first: it takes most of the description's
	 * fields, which are then used up at once rather than kept (on the
	 * stack, short of registers) across the stores of the other
	 * headers.
	 */
	tcp_sum = net__tx_tcp_hdr(tcp, t, tcp_hlen, ns, 0);
	if (t->saddr6 != NULL) {
		net__tx_eth(buf, t, NET_ETHERTYPE_IPV6);
		pseudo = net__tx_ip6(ip, t, l4_len);
	} else {
		net__tx_eth(buf, t, NET_ETHERTYPE_IPV4);
		pseudo = net__tx_ip4(ip, t, l3 + l4_len, sums);
		/* RFC 9293 3.1: the pseudo-header of TCP over IPv4. */
		pseudo += htonl(NET_IPPROTO_TCP << 16 | l4_len);
	}
	*sum = tcp_sum + pseudo;
	net__tx_pseudo(tcp, sums, pseudo);
	*l4_off = l2 + l3;
	return hlen;
}

/*
 * What every IPv4 segment of a port starts with, written once when the
 * port's share of a worker is set up (net_tx4_tmpl_init()): the Ethernet
 * header (destination 0: the next hop's MAC is written per frame; the
 * port's 802.1Q tag when it has one) and the IPv4 header's words that
 * never change (RFC 791 3.1: version 4, IHL 5; RFC 6864 4.1: ID 0 with
 * DF; the TTL and protocol TCP), with their sum. A frame takes it with
 * two 16-byte copies and writes only what is its own.
 */
/*
 * The IPv4 header's sum from the TCP pseudo-header's (RFC 1071: a sum of
 * 16-bit words modulo 0xffff, the same in either byte order, a byte swap
 * being a multiplication by 256). Besides the template's words, the
 * header holds the addresses and the total length, 20 more than the TCP
 * length; the pseudo-header the addresses, the protocol and the TCP
 * length. So the header's sum is the pseudo-header's, plus the
 * template's, plus 20 and less the protocol, both as stored: 0x1400 -
 * 0x0600. Neither sum is ever 0 (the template's words are not), so their
 * folds, each in 1..0xffff, are equal.
 */
#define NET__TX4_PSEUDO_TO_IP 0x0e00u

#define NET_TX4_TMPL_LEN 32

struct net_tx4_tmpl {
	uint8_t hdr[NET_TX4_TMPL_LEN];
	/*
	 * The constant IPv4 words, as stored, summed, and the difference
	 * between the rest of the header and the TCP pseudo-header
	 * (net_tx_tcp4_l3()).
	 */
	uint64_t ip_sum;
	uint32_t l2_len; /* NET_ETH_HLEN, plus NET_VLAN_HLEN with a tag */
};

static inline void
net_tx4_tmpl_init(struct net_tx4_tmpl *tp, const uint8_t *src_mac,
		  uint16_t vlan, uint8_t ttl)
{
	static const uint8_t none[NET_ETH_ALEN];
	const struct net_tcp_tx t = {
		.src_mac = src_mac,
		.dst_mac = none,
		.vlan = vlan,
	};
	uint32_t w2 = (uint32_t)ttl << 24 | NET_IPPROTO_TCP << 16;
	uint8_t *ip;

	memset(tp, 0, sizeof(*tp));
	ip = net__tx_eth(tp->hdr, &t, NET_ETHERTYPE_IPV4);
	tp->l2_len = (uint32_t)(ip - tp->hdr);
	net__st32(ip, 0x45000000u);
	net__st32(ip + 4, 0x4000u);
	net__st32(ip + 8, w2);
	tp->ip_sum = (uint64_t)htonl(0x45000000u) + htonl(0x4000u) + htonl(w2) +
		NET__TX4_PSEUDO_TO_IP;
}

/*
 * The header length of an IPv4 segment built from template tp with
 * options o and len bytes of payload, its TCP header length in
 * *tcp_hlen and SACK blocks in *ns; 0 when it does not fit cap bytes,
 * or its total length 16 bits. Apart from net_tx_tcp4_write() so that
 * a caller may read the rest of the segment only once it fits (values
 * read before the test are kept, short of registers, on the stack).
 */
static inline uint32_t
net_tx_tcp4_len(const struct net_tx4_tmpl *tp, const struct net_tcp_opts *o,
		uint32_t len, uint32_t cap, uint32_t *tcp_hlen, uint32_t *ns)
{
	uint32_t th = net__tx_tcp_hlen(o, ns);
	uint32_t hlen = tp->l2_len + NET_IPV4_HLEN + th;

	if (len > 0xffff - NET_IPV4_HLEN - th || cap < hlen || cap - hlen < len)
		return 0;
	*tcp_hlen = th;
	return hlen;
}

/*
 * The Ethernet and IPv4 headers of an IPv4 segment from template tp:
 * the next hop's MAC, addresses saddr and daddr (host order), the total
 * length for a TCP length l4_len and, for SOFTWARE, the header checksum
 * (from the pseudo-header's sum and the template's). Returns the TCP
 * pseudo-header's sum (RFC 9293 3.1) for net_tx_tcp4_l4(). Apart from
 * the TCP header so that a caller may read the addresses, write them
 * and only then read the TCP fields: values read before a store to the
 * frame (which may alias them) are otherwise kept, short of registers,
 * on the stack.
 */
static inline __attribute__((always_inline)) uint64_t
net_tx_tcp4_l3(uint8_t *buf, const struct net_tx4_tmpl *tp,
	       const uint8_t *dst_mac, uint32_t saddr, uint32_t daddr,
	       uint32_t l4_len, enum net_tcp_sums sums)
{
	uint32_t s = htonl(saddr), d = htonl(daddr);
	uint8_t *ip = buf + tp->l2_len;
	uint64_t pseudo;
	uint16_t w;

	/* RFC 9293 3.1: the pseudo-header of TCP over IPv4. */
	pseudo = (uint64_t)s + d + htonl(NET_IPPROTO_TCP << 16 | l4_len);
	memcpy(buf, tp->hdr, NET_TX4_TMPL_LEN);
	memcpy(buf, dst_mac, NET_ETH_ALEN);
	w = htons((uint16_t)(NET_IPV4_HLEN + l4_len));
	memcpy(ip + 2, &w, sizeof(w));
	memcpy(ip + 12, &s, sizeof(s));
	memcpy(ip + 16, &d, sizeof(d));
	if (sums == NET_TCP_SUMS_SOFTWARE) {
		w = net__tx_fold(tp->ip_sum + pseudo);
		memcpy(ip + 10, &w, sizeof(w));
	}
	return pseudo;
}

/*
 * Make the IPv4 header at ip, written with DF and ID 0, that of a
 * datagram routers may fragment: DF clear and ID id, which is not 0 and
 * unique per source, destination and protocol while its fragments may
 * live (RFC 6864 4.1). For SOFTWARE the header checksum is summed again.
 * Only for a connection whose path MTU is below what it sends (struct
 * tcp_out.ip_id), never on the common path.
 */
static inline void
net_tx_ip4_frag(uint8_t *ip, uint16_t id, enum net_tcp_sums sums)
{
	uint16_t c = 0;

	net__st32(ip + 4, (uint32_t)id << 16);
	if (sums != NET_TCP_SUMS_SOFTWARE)
		return;
	memcpy(ip + 10, &c, sizeof(c));
	c = net_csum_fold(net_csum_partial(ip, NET_IPV4_HLEN, 0));
	memcpy(ip + 10, &c, sizeof(c));
}

/*
 * The TCP header of IPv4 segment t at tcp, tcp_hlen bytes with ns SACK
 * blocks, after net_tx_tcp4_l3() returned the pseudo-header's sum;
 * *sum as net_tx_tcp() gives it.
 */
static inline __attribute__((always_inline)) void
net_tx_tcp4_l4(uint8_t *tcp, const struct net_tcp_tx *t, uint32_t tcp_hlen,
	       uint32_t ns, enum net_tcp_sums sums, uint64_t pseudo,
	       uint64_t *sum)
{
	*sum = net__tx_tcp_hdr(tcp, t, tcp_hlen, ns, 0) + pseudo;
	net__tx_pseudo(tcp, sums, pseudo);
}

/*
 * The headers of IPv4 segment t, sized by net_tx_tcp4_len(), into buf
 * from template tp (t's src_mac, vlan and ttl are not read: the
 * template has them); *sum as net_tx_tcp() gives it. The TCP header at
 * buf + tp->l2_len + NET_IPV4_HLEN.
 */
static inline __attribute__((always_inline)) void
net_tx_tcp4_write(uint8_t *buf, const struct net_tx4_tmpl *tp,
		  const struct net_tcp_tx *t, uint32_t tcp_hlen, uint32_t ns,
		  enum net_tcp_sums sums, uint64_t *sum)
{
	uint32_t l2 = tp->l2_len;
	uint64_t pseudo;

	pseudo = net_tx_tcp4_l3(buf, tp, t->dst_mac, t->saddr, t->daddr,
				tcp_hlen + t->payload_len, sums);
	net_tx_tcp4_l4(buf + l2 + NET_IPV4_HLEN, t, tcp_hlen, ns, sums, pseudo,
		       sum);
}

/*
 * net_tx_tcp() for an IPv4 segment of the port whose template is tp:
 * the same frame, from fewer stores and no test of the family or tag.
 */
static inline __attribute__((always_inline)) uint32_t
net_tx_tcp4(uint8_t *buf, uint32_t cap, const struct net_tx4_tmpl *tp,
	    const struct net_tcp_tx *t, enum net_tcp_sums sums,
	    uint32_t *l4_off, uint64_t *sum)
{
	uint32_t tcp_hlen, ns, hlen;

	hlen = net_tx_tcp4_len(tp, t->opts, t->payload_len, cap, &tcp_hlen,
			       &ns);
	if (hlen == 0)
		return 0;
	net_tx_tcp4_write(buf, tp, t, tcp_hlen, ns, sums, sum);
	*l4_off = tp->l2_len + NET_IPV4_HLEN;
	return hlen;
}

/*
 * The TCP checksum of a segment net_tx_tcp() built at buf with sum in
 * *sum, once its payload (len bytes at buf + hlen) is in place: only the
 * payload is read.
 */
static inline void
net_tx_tcp_csum(uint8_t *buf, uint32_t l4_off, uint32_t hlen, uint32_t len,
		uint64_t sum)
{
	uint16_t c;

	if (len != 0)
		sum += net_csum_partial(buf + hlen, len, 0);
	c = net__tx_fold(sum);
	memcpy(buf + l4_off + 16, &c, sizeof(c));
}

#endif /* TT_NET_TX_H */
