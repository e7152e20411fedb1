/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Neighbor Discovery messages (RFC 4861 4.3, 4.4) and the ICMPv6 echo
 * reply (RFC 4443 4.2): building and answering in place.
 */
#include <string.h>

#include "net.h"
#include "net_internal.h"

#define ND_HOP_LIMIT 255
#define ND_OPT_SLLA 1
#define ND_OPT_TLLA 2
#define ICMP6_HOP_LIMIT 64

static const uint8_t eth_all_nodes[NET_ETH_ALEN] = { 0x33, 0x33, 0, 0, 0, 1 };

/* IPv6 header: version 6, traffic class and flow label 0. */
static uint8_t *
ip6_hdr(uint8_t *p, uint16_t plen, uint8_t hlim, const uint8_t *src,
	const uint8_t *dst)
{
	p[0] = 0x60;
	p[1] = 0;
	p[2] = 0;
	p[3] = 0;
	net__put16(p + 4, plen);
	p[6] = NET_IPPROTO_ICMPV6;
	p[7] = hlim;
	memmove(p + 8, src, NET_IPV6_ALEN);
	memmove(p + 24, dst, NET_IPV6_ALEN);
	return p + NET_IPV6_HLEN;
}

/* The ICMPv6 checksum of the message after the IPv6 header at ip. */
static void
icmp6_csum(uint8_t *ip, uint32_t len)
{
	uint8_t *m = ip + NET_IPV6_HLEN;
	uint32_t sum = net_ip6_pseudo_sum(ip + 8, ip + 24, len,
					  NET_IPPROTO_ICMPV6);
	uint16_t c;

	m[2] = 0;
	m[3] = 0;
	c = net_csum_fold(net_csum_partial(m, len, sum));
	memcpy(m + 2, &c, sizeof(c));
}

/*
 * An NS or NA: type, code 0, checksum, the flags word, the target, and
 * one link-layer address option (RFC 4861 4.6.1) with mac.
 */
static void
nd_msg(uint8_t *m, uint8_t type, uint8_t flags, const uint8_t *target,
       uint8_t opt, const uint8_t *mac)
{
	memset(m, 0, 8);
	m[0] = type;
	m[4] = flags;
	memmove(m + 8, target, NET_IPV6_ALEN);
	m[24] = opt;
	m[25] = 1;
	memmove(m + 26, mac, NET_ETH_ALEN);
}

static inline uint32_t
nd_frame_len(uint16_t vlan)
{
	return NET_ETH_HLEN + (vlan ? NET_VLAN_HLEN : 0) + NET_IPV6_HLEN +
		NET_ND_NS_LEN;
}

uint32_t
net_build_ns(uint8_t *buf, uint32_t cap, uint16_t vlan, const uint8_t *our_mac,
	     const uint8_t *dst_mac, const uint8_t *src6, const uint8_t *target)
{
	uint8_t dst6[NET_IPV6_ALEN], mac[NET_ETH_ALEN];
	uint8_t *ip, *p;

	if (cap < nd_frame_len(vlan))
		return 0;
	/*
	 * RFC 4861 7.2.2: to the solicited-node address of the target,
	 * or to the target itself when confirming a known neighbour
	 * (7.3.3: a unicast probe).
	 */
	if (dst_mac == NULL) {
		net_ip6_solicited_node(target, dst6);
		net_ip6_mcast_mac(dst6, mac);
	} else {
		memcpy(dst6, target, NET_IPV6_ALEN);
		memcpy(mac, dst_mac, NET_ETH_ALEN);
	}
	ip = net__eth_write(buf, mac, our_mac, vlan, NET_ETHERTYPE_IPV6);
	p = ip6_hdr(ip, NET_ND_NS_LEN, ND_HOP_LIMIT, src6, dst6);
	nd_msg(p, NET_ICMP6_ND_NS, 0, target, ND_OPT_SLLA, our_mac);
	icmp6_csum(ip, NET_ND_NS_LEN);
	return nd_frame_len(vlan);
}

uint32_t
net_build_na(uint8_t *buf, uint32_t cap, uint16_t vlan, const uint8_t *our_mac,
	     const uint8_t *dst_mac, const uint8_t *src6, const uint8_t *dst6,
	     const uint8_t *target, uint8_t flags)
{
	uint8_t *ip, *p;

	if (cap < nd_frame_len(vlan))
		return 0;
	ip = net__eth_write(buf, dst_mac, our_mac, vlan, NET_ETHERTYPE_IPV6);
	p = ip6_hdr(ip, NET_ND_NA_LEN, ND_HOP_LIMIT, src6, dst6);
	nd_msg(p, NET_ICMP6_ND_NA, flags, target, ND_OPT_TLLA, our_mac);
	icmp6_csum(ip, NET_ND_NA_LEN);
	return nd_frame_len(vlan);
}

/*
 * RFC 4861 7.2.4: the advertisement answering a solicitation for our
 * address. The source of the NS, or all-nodes with Solicited clear when
 * it came from the unspecified address (DAD, RFC 4862 5.4.3); Override
 * set (the address is ours alone, not anycast), Router clear.
 */
uint32_t
net_nd_na_reply(uint8_t *buf, uint32_t cap, const uint8_t *ns,
		const struct net_frame *f, const uint8_t *our_mac)
{
	uint8_t target[NET_IPV6_ALEN], dst6[NET_IPV6_ALEN];
	uint8_t mac[NET_ETH_ALEN];
	uint8_t flags = NET_ND_OVERRIDE;

	if (f->kind != NET_KIND_ND_NS)
		return 0;
	/* Copied first: buf may be the solicitation itself. */
	memcpy(target, ns + f->nd_target_off, NET_IPV6_ALEN);
	if (net_ip6_is_unspec(f->seg.saddr6)) {
		memcpy(dst6, net_ip6_all_nodes, NET_IPV6_ALEN);
		memcpy(mac, eth_all_nodes, NET_ETH_ALEN);
	} else {
		memcpy(dst6, f->seg.saddr6, NET_IPV6_ALEN);
		memcpy(mac,
		       f->nd_lladdr_off ? ns + f->nd_lladdr_off : f->src_mac,
		       NET_ETH_ALEN);
		flags |= NET_ND_SOLICITED;
	}
	return net_build_na(buf, cap, f->vlan, our_mac, mac, target, dst6,
			    target, flags);
}

/*
 * RFC 4861 7.2.6: to all-nodes, so that every neighbour holding another
 * MAC for addr6 takes ours again; Override set, for it is to replace
 * what they hold (7.2.5).
 */
uint32_t
net_nd_na_announce(uint8_t *buf, uint32_t cap, uint16_t vlan,
		   const uint8_t *our_mac, const uint8_t *addr6)
{
	return net_build_na(buf, cap, vlan, our_mac, eth_all_nodes, addr6,
			    net_ip6_all_nodes, addr6, NET_ND_OVERRIDE);
}

/*
 * RFC 4443 4.2: the echo reply carries the request's identifier,
 * sequence number and data. Extension headers of the request are not
 * sent back: the message moves up behind a bare IPv6 header.
 */
uint32_t
net_icmp6_echo_reply(uint8_t *frame, const struct net_frame *f,
		     const uint8_t *our_mac)
{
	uint8_t *ip = frame + f->l3_off;
	uint8_t src[NET_IPV6_ALEN], dst[NET_IPV6_ALEN];

	memcpy(src, ip + 24, NET_IPV6_ALEN);
	memcpy(dst, ip + 8, NET_IPV6_ALEN);
	memcpy(frame, f->src_mac, NET_ETH_ALEN);
	memcpy(frame + NET_ETH_ALEN, our_mac, NET_ETH_ALEN);
	memmove(ip + NET_IPV6_HLEN, frame + f->l4_off, f->l4_len);
	ip6_hdr(ip, f->l4_len, ICMP6_HOP_LIMIT, src, dst);
	ip[NET_IPV6_HLEN] = NET_ICMP6_ECHO_REPLY;
	ip[NET_IPV6_HLEN + 1] = 0;
	icmp6_csum(ip, f->l4_len);
	return (uint32_t)f->l3_off + NET_IPV6_HLEN + f->l4_len;
}
