/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Frame building: TCP segments, ARP and ICMP echo replies.
 */
#include <string.h>

#include <arpa/inet.h>

#include "net.h"
#include "net_internal.h"

#define IP_DF 0x4000
#define IP_DEFAULT_TTL 64

#define TCPOPT_NOP 1
#define TCPOPT_MSS 2
#define TCPOPT_WS 3
#define TCPOPT_SACK_OK 4
#define TCPOPT_TS 8
#define TCPOPT_SACK 5

static const uint8_t eth_bcast[NET_ETH_ALEN] = { 0xff, 0xff, 0xff,
						 0xff, 0xff, 0xff };

static inline uint8_t *
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
	return p + 2;
}

static inline uint8_t *
put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
	return p + 4;
}

static inline uint8_t *
put4(uint8_t *p, uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
	p[0] = a;
	p[1] = b;
	p[2] = c;
	p[3] = d;
	return p + 4;
}

/* Length of the options other than SACK blocks that o writes. */
static uint32_t
tcp_opts_base_len(const struct net_tcp_opts *o)
{
	uint32_t n = 0;

	if (o->has & NET_OPT_MSS)
		n += 4;
	if (o->has & NET_OPT_TS)
		n += 12;
	else if (o->has & NET_OPT_SACK_OK)
		n += 4;
	if (o->has & NET_OPT_WSCALE)
		n += 4;
	return n;
}

/*
 * SACK blocks written for o after base bytes of other options: as many
 * as fit the 40 option bytes (RFC 2018 3: 3 beside timestamps alone).
 */
static inline uint32_t
tcp_opts_nsack(const struct net_tcp_opts *o, uint32_t base)
{
	uint32_t room = NET_TCP_MAX_OPTLEN - base, max;

	if (!(o->has & NET_OPT_SACK) || room < 12)
		return 0;
	max = (room - 4) / 8;
	return o->nsack < max ? o->nsack : max;
}

/*
 * Length of the option block net_build_tcp() writes for o, and in *ns
 * its number of SACK blocks, worked out once per segment.
 */
static inline uint32_t
tcp_opts_len(const struct net_tcp_opts *o, uint32_t *ns)
{
	uint32_t base = tcp_opts_base_len(o);

	*ns = tcp_opts_nsack(o, base);
	return base + (*ns > 0 ? 4 + 8 * *ns : 0);
}

/*
 * Write options as Linux tcp_options_write() does: every option group is
 * a whole 32-bit word, so no trailing padding is ever needed.
 */
static void
tcp_opts_write(uint8_t *p, const struct net_tcp_opts *o, uint32_t ns)
{
	uint32_t i;

	if (o->has & NET_OPT_MSS) {
		p[0] = TCPOPT_MSS;
		p[1] = 4;
		p = put16(p + 2, o->mss);
	}
	if (o->has & NET_OPT_TS) {
		if (o->has & NET_OPT_SACK_OK)
			p = put4(p, TCPOPT_SACK_OK, 2, TCPOPT_TS, 10);
		else
			p = put4(p, TCPOPT_NOP, TCPOPT_NOP, TCPOPT_TS, 10);
		p = put32(p, o->tsval);
		p = put32(p, o->tsecr);
	} else if (o->has & NET_OPT_SACK_OK) {
		p = put4(p, TCPOPT_NOP, TCPOPT_NOP, TCPOPT_SACK_OK, 2);
	}
	if (o->has & NET_OPT_WSCALE)
		p = put4(p, TCPOPT_NOP, TCPOPT_WS, 3, o->wscale);
	if (ns > 0) {
		p = put4(p, TCPOPT_NOP, TCPOPT_NOP, TCPOPT_SACK,
			 (uint8_t)(2 + 8 * ns));
		for (i = 0; i < ns; i++) {
			p = put32(p, o->sack[i].start);
			p = put32(p, o->sack[i].end);
		}
	}
}

/* Ethernet header, with an 802.1Q tag (priority 0) when vlan is set. */
static inline uint8_t *
eth_write(uint8_t *p, const uint8_t *dst, const uint8_t *src, uint16_t vlan,
	  uint16_t type)
{
	memcpy(p, dst, NET_ETH_ALEN);
	memcpy(p + NET_ETH_ALEN, src, NET_ETH_ALEN);
	p += 2 * NET_ETH_ALEN;
	if (vlan != 0) {
		p = put16(p, NET_ETHERTYPE_VLAN);
		p = put16(p, vlan & 0x0fff);
	}
	return put16(p, type);
}

uint8_t *
net__eth_write(uint8_t *p, const uint8_t *dst, const uint8_t *src,
	       uint16_t vlan, uint16_t type)
{
	return eth_write(p, dst, src, vlan, type);
}

static inline uint32_t
eth_hlen(uint16_t vlan)
{
	return NET_ETH_HLEN + (vlan != 0 ? NET_VLAN_HLEN : 0);
}

/* The TCP header and its options (ns SACK blocks). */
static void
tcp_write(uint8_t *p, const struct net_tcp_build *b, uint32_t tcp_hlen,
	  uint32_t ns)
{
	p = put16(p, b->sport);
	p = put16(p, b->dport);
	p = put32(p, b->seq);
	p = put32(p, b->ack);
	p = put4(p, (uint8_t)(tcp_hlen / 4) << 4, b->flags,
		 (uint8_t)(b->wnd >> 8), (uint8_t)b->wnd);
	p = put32(p, 0);
	tcp_opts_write(p, &b->opts, ns);
}

/* RFC 8200 3: version 6, traffic class and flow label 0. */
static uint8_t *
ip6_write(uint8_t *p, uint16_t plen, uint8_t nh, uint8_t hlim,
	  const uint8_t *src, const uint8_t *dst)
{
	p = put4(p, 0x60, 0, 0, 0);
	p = put4(p, (uint8_t)(plen >> 8), (uint8_t)plen, nh, hlim);
	memcpy(p, src, NET_IPV6_ALEN);
	memcpy(p + NET_IPV6_ALEN, dst, NET_IPV6_ALEN);
	return p + 2 * NET_IPV6_ALEN;
}

/* Fold a 32-bit one's complement sum to 16 bits, not complemented. */
static inline uint16_t
fold16(uint32_t sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)((sum & 0xffff) + (sum >> 16));
}

/*
 * The checksum fields of a frame as built (enum net_tcp_sums): left 0,
 * or the TCP field given the pseudo-header sum, folded but not
 * complemented, as TX checksum offload wants and from which
 * net_tcp_csum_complete() goes on.
 */
static inline void
tcp_put_pseudo(uint8_t *tcp, enum net_tcp_sums sums, uint16_t psum)
{
	if (sums != NET_TCP_SUMS_NONE)
		put16(tcp + 16, psum);
}

static uint32_t
build_tcp6(uint8_t *buf, uint32_t cap, const struct net_tcp_build *b,
	   enum net_tcp_sums sums, uint32_t *l4_off)
{
	uint32_t ns, tcp_hlen = NET_TCP_HLEN + tcp_opts_len(&b->opts, &ns);
	uint32_t hlen = eth_hlen(b->vlan) + NET_IPV6_HLEN + tcp_hlen;
	uint8_t hlim = b->ttl ? b->ttl : IP_DEFAULT_TTL;
	uint32_t l4_len = tcp_hlen + b->payload_len;
	uint8_t *ip, *p;
	uint32_t sum;

	if (b->payload_len > 0xffff - tcp_hlen || cap < hlen ||
	    cap - hlen < b->payload_len)
		return 0;
	ip = eth_write(buf, b->dst_mac, b->src_mac, b->vlan,
		       NET_ETHERTYPE_IPV6);
	p = ip6_write(ip, (uint16_t)l4_len, NET_IPPROTO_TCP, hlim, b->saddr6,
		      b->daddr6);
	tcp_write(p, b, tcp_hlen, ns);
	*l4_off = (uint32_t)(p - buf);
	if (sums != NET_TCP_SUMS_NONE) {
		/*
		 * RFC 8200 8.1: both addresses, side by side in the header,
		 * the 32-bit length and the next header.
		 */
		sum = net_csum_partial(ip + 8, 2 * NET_IPV6_ALEN,
				       htons((uint16_t)l4_len) +
					       htons(NET_IPPROTO_TCP));
		tcp_put_pseudo(p, sums, ntohs(fold16(sum)));
	}
	return hlen;
}

/*
 * RFC 791 3.1 header checksum of the header build_tcp4() writes, from
 * its fields in host order (their 16-bit words), without reading it
 * back: only the length, TTL and addresses vary. addr is the sum of
 * the addresses' 16-bit halves.
 */
static inline uint16_t
ip4_hdr_csum(uint32_t tot, uint8_t ttl, uint32_t addr)
{
	uint32_t sum = 0x4500u + tot + IP_DF +
		((uint32_t)ttl << 8 | NET_IPPROTO_TCP) + addr;

	return (uint16_t)~fold16(sum);
}

static uint32_t
build_tcp4(uint8_t *buf, uint32_t cap, const struct net_tcp_build *b,
	   enum net_tcp_sums sums, uint32_t *l4_off)
{
	uint32_t ns, tcp_hlen = NET_TCP_HLEN + tcp_opts_len(&b->opts, &ns);
	uint32_t hlen = eth_hlen(b->vlan) + NET_IPV4_HLEN + tcp_hlen;
	uint32_t tot = NET_IPV4_HLEN + tcp_hlen;
	uint8_t ttl = b->ttl ? b->ttl : IP_DEFAULT_TTL;
	uint32_t addr = (b->saddr >> 16) + (b->saddr & 0xffff) +
		(b->daddr >> 16) + (b->daddr & 0xffff);
	uint16_t csum = 0;
	uint8_t *p;

	if (b->payload_len > 0xffff - tot || cap < hlen ||
	    cap - hlen < b->payload_len)
		return 0;
	tot += b->payload_len;
	p = eth_write(buf, b->dst_mac, b->src_mac, b->vlan, NET_ETHERTYPE_IPV4);
	/*
	 * IPv4 header, its checksum filled only for a frame whose
	 * checksums the device does not compute (offload wants 0).
	 */
	if (sums == NET_TCP_SUMS_SOFTWARE)
		csum = ip4_hdr_csum(tot, ttl, addr);
	p = put4(p, 0x45, 0, (uint8_t)(tot >> 8), (uint8_t)tot);
	/*
	 * RFC 6864 4.1: the ID of an atomic datagram (DF, never fragmented)
	 * has no use; 0 rather than a counter, which would let anyone who
	 * sees two of our segments count what we sent between them.
	 */
	p = put16(p, 0);
	p = put16(p, IP_DF);
	p = put4(p, ttl, NET_IPPROTO_TCP, (uint8_t)(csum >> 8), (uint8_t)csum);
	p = put32(p, b->saddr);
	p = put32(p, b->daddr);
	tcp_write(p, b, tcp_hlen, ns);
	*l4_off = (uint32_t)(p - buf);
	/* RFC 9293 3.1: the pseudo-header of TCP over IPv4. */
	tcp_put_pseudo(p, sums,
		       fold16(addr + NET_IPPROTO_TCP + (tot - NET_IPV4_HLEN)));
	return hlen;
}

uint32_t
net_build_tcp(uint8_t *buf, uint32_t cap, const struct net_tcp_build *b)
{
	uint32_t l4_off;

	return net_build_tcp_sums(buf, cap, b, NET_TCP_SUMS_NONE, &l4_off);
}

uint32_t
net_build_tcp_sums(uint8_t *buf, uint32_t cap, const struct net_tcp_build *b,
		   enum net_tcp_sums sums, uint32_t *l4_off)
{
	if (b->saddr6 != NULL)
		return build_tcp6(buf, cap, b, sums, l4_off);
	return build_tcp4(buf, cap, b, sums, l4_off);
}

/* RFC 8200 8.1: the TCP checksum of an IPv6 frame at ip. */
static void
tcp6_finish(uint8_t *ip, bool offload)
{
	uint32_t l4_len = (uint32_t)ip[4] << 8 | ip[5];
	uint8_t *tcp = ip + NET_IPV6_HLEN;
	uint32_t sum = net_tcp6_pseudo_sum(ip + 8, ip + 24, l4_len);
	uint16_t c;

	if (offload) {
		/* Folded but not complemented, as rte_ipv6_phdr_cksum(). */
		c = (uint16_t)~net_csum_fold(sum);
	} else {
		tcp[16] = 0;
		tcp[17] = 0;
		c = net_csum_fold(net_csum_partial(tcp, l4_len, sum));
	}
	memcpy(tcp + 16, &c, sizeof(c));
}

void
net_tcp_finish(uint8_t *frame, bool offload)
{
	bool tagged = frame[12] == (NET_ETHERTYPE_VLAN >> 8) &&
		frame[13] == (NET_ETHERTYPE_VLAN & 0xff);
	uint8_t *l3 = frame + NET_ETH_HLEN + (tagged ? NET_VLAN_HLEN : 0);
	struct net_ipv4_hdr *ip = (struct net_ipv4_hdr *)l3;
	uint32_t ihl = (uint32_t)(ip->ver_ihl & 0x0f) * 4;
	uint16_t l4_len = (uint16_t)(ntohs(ip->total_len) - ihl);
	struct net_tcp_hdr *tcp = (struct net_tcp_hdr *)((uint8_t *)ip + ihl);
	uint32_t sum;

	if (l3[0] >> 4 == 6) {
		tcp6_finish(l3, offload);
		return;
	}
	sum = net_tcp_pseudo_sum(ntohl(ip->saddr), ntohl(ip->daddr), l4_len);
	ip->csum = 0;
	if (offload) {
		/* Folded but not complemented, as rte_ipv4_phdr_cksum(). */
		tcp->csum = (uint16_t)~net_csum_fold(sum);
		return;
	}
	ip->csum = net_csum_fold(net_csum_partial(ip, ihl, 0));
	tcp->csum = 0;
	tcp->csum = net_csum_fold(net_csum_partial(tcp, l4_len, sum));
}

uint32_t
net_build_arp(uint8_t *buf, uint32_t cap, uint16_t vlan, uint16_t op,
	      const uint8_t *sha, uint32_t spa, const uint8_t *tha,
	      uint32_t tpa)
{
	static const uint8_t zero[NET_ETH_ALEN];
	uint8_t *p;

	if (cap < eth_hlen(vlan) + NET_ARP_LEN)
		return 0;
	p = net__eth_write(buf, tha ? tha : eth_bcast, sha, vlan,
			   NET_ETHERTYPE_ARP);
	p = put16(p, 1);
	p = put16(p, NET_ETHERTYPE_IPV4);
	p = put4(p, NET_ETH_ALEN, 4, (uint8_t)(op >> 8), (uint8_t)op);
	memcpy(p, sha, NET_ETH_ALEN);
	p = put32(p + NET_ETH_ALEN, spa);
	memcpy(p, tha ? tha : zero, NET_ETH_ALEN);
	put32(p + NET_ETH_ALEN, tpa);
	return eth_hlen(vlan) + NET_ARP_LEN;
}

uint32_t
net_icmp_echo_reply(uint8_t *frame, const struct net_frame *f,
		    const uint8_t *our_mac)
{
	struct net_ipv4_hdr *ip = (struct net_ipv4_hdr *)(frame + f->l3_off);
	struct net_icmp_hdr *icmp = (struct net_icmp_hdr *)(frame + f->l4_off);
	uint32_t ihl = (uint32_t)(ip->ver_ihl & 0x0f) * 4;
	uint32_t a;

	memcpy(frame, f->src_mac, NET_ETH_ALEN);
	memcpy(frame + NET_ETH_ALEN, our_mac, NET_ETH_ALEN);
	a = ip->saddr;
	ip->saddr = ip->daddr;
	ip->daddr = a;
	ip->ttl = IP_DEFAULT_TTL;
	ip->csum = 0;
	ip->csum = net_csum_fold(net_csum_partial(ip, ihl, 0));
	icmp->type = NET_ICMP_ECHO_REPLY;
	icmp->code = 0;
	icmp->csum = 0;
	icmp->csum = net_csum_fold(net_csum_partial(icmp, f->l4_len, 0));
	return (uint32_t)f->l3_off + f->l3_len;
}
