/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Frame building: TCP segments, ARP and ICMP echo replies.
 */
#include <string.h>

#include <arpa/inet.h>

#include "net.h"
#include "net_internal.h"
#include "net_ipopt.h"
#include "net_tx.h"

#define IP_DEFAULT_TTL 64

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
	const struct net_tcp_tx t = {
		.src_mac = b->src_mac,
		.dst_mac = b->dst_mac,
		.opts = &b->opts,
		.saddr6 = b->saddr6,
		.daddr6 = b->daddr6,
		.saddr = b->saddr,
		.daddr = b->daddr,
		.sport = b->sport,
		.dport = b->dport,
		.seq = b->seq,
		.ack = b->ack,
		.wnd = b->wnd,
		.flags = b->flags,
		.ttl = b->ttl ? b->ttl : IP_DEFAULT_TTL,
		.vlan = b->vlan,
		.payload_len = b->payload_len,
	};
	uint32_t hlen, l4_len, ps;
	uint64_t sum;
	uint16_t c;

	hlen = net_tx_tcp(buf, cap, &t, sums, l4_off, &sum);
	if (hlen == 0 || sums != NET_TCP_SUMS_SOFTWARE)
		return hlen;
	/* The pseudo-header sum net_tcp_csum_complete() goes on from. */
	l4_len = hlen - *l4_off + b->payload_len;
	ps = b->saddr6 != NULL ?
		net_tcp6_pseudo_sum(b->saddr6, b->daddr6, l4_len) :
		net_tcp_pseudo_sum(b->saddr, b->daddr, l4_len);
	c = (uint16_t)~net_csum_fold(ps);
	memcpy(buf + *l4_off + 16, &c, sizeof(c));
	return hlen;
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
		    const uint8_t *our_mac, uint32_t ts)
{
	struct net_ipv4_hdr *ip = (struct net_ipv4_hdr *)(frame + f->l3_off);
	struct net_icmp_hdr *icmp = (struct net_icmp_hdr *)(frame + f->l4_off);
	uint32_t ihl = (uint32_t)(ip->ver_ihl & 0x0f) * 4;
	uint32_t a;

	memcpy(frame, f->src_mac, NET_ETH_ALEN);
	memcpy(frame + NET_ETH_ALEN, our_mac, NET_ETH_ALEN);
	if (ihl > NET_IPV4_HLEN)
		net__ip_opts_echo((uint8_t *)ip + NET_IPV4_HLEN,
				  ihl - NET_IPV4_HLEN, f->daddr, ts);
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
