/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Frame parsing and validation, TCP option parsing, drop reason names and
 * IPv4 address text conversion.
 */
#include <stdio.h>
#include <string.h>

#include <arpa/inet.h>

#include "net.h"
#include "net_internal.h"
#include "net_ipopt.h"
#include "net_parse4.h"

#define IP_MF 0x2000
#define IP_OFFMASK 0x1fff

#define TCPOPT_EOL 0
#define TCPOPT_NOP 1
#define TCPOPT_MSS 2
#define TCPOPT_WS 3
#define TCPOPT_SACK_OK 4
#define TCPOPT_SACK 5
#define TCPOPT_TS 8

static const char *const drop_names[NET_DROP_MAX] = {
	[NET_DROP_NONE] = "none",
	[NET_DROP_ETH_SHORT] = "eth_short",
	[NET_DROP_ETH_TYPE] = "eth_type",
	[NET_DROP_ARP_MALFORMED] = "arp_malformed",
	[NET_DROP_ARP_NOT_US] = "arp_not_us",
	[NET_DROP_IP_SHORT] = "ip_short",
	[NET_DROP_IP_VERSION] = "ip_version",
	[NET_DROP_IP_IHL] = "ip_ihl",
	[NET_DROP_IP_TOTLEN] = "ip_totlen",
	[NET_DROP_IP_CSUM] = "ip_csum",
	[NET_DROP_IP_FRAG] = "ip_frag",
	[NET_DROP_IP_NOT_US] = "ip_not_us",
	[NET_DROP_IP_BAD_SRC] = "ip_bad_src",
	[NET_DROP_IP_PROTO] = "ip_proto",
	[NET_DROP_ICMP_SHORT] = "icmp_short",
	[NET_DROP_ICMP_CSUM] = "icmp_csum",
	[NET_DROP_ICMP_TYPE] = "icmp_type",
	[NET_DROP_TCP_SHORT] = "tcp_short",
	[NET_DROP_TCP_DOFF] = "tcp_doff",
	[NET_DROP_TCP_CSUM] = "tcp_csum",
	[NET_DROP_TCP_OPTS] = "tcp_opts",
	[NET_DROP_TCP_PORT_ZERO] = "tcp_port_zero",
	[NET_DROP_NO_ROUTE] = "no_route",
	[NET_DROP_VLAN] = "vlan",
	[NET_DROP_IP6_SHORT] = "ip6_short",
	[NET_DROP_IP6_VERSION] = "ip6_version",
	[NET_DROP_IP6_PAYLEN] = "ip6_paylen",
	[NET_DROP_IP6_BAD_SRC] = "ip6_bad_src",
	[NET_DROP_IP6_EXTHDR] = "ip6_exthdr",
	[NET_DROP_IP6_EXT_OPT] = "ip6_ext_opt",
	[NET_DROP_IP6_EXT_CHAIN] = "ip6_ext_chain",
	[NET_DROP_IP6_FRAG] = "ip6_frag",
	[NET_DROP_IP6_NEXTHDR] = "ip6_nexthdr",
	[NET_DROP_IP6_NOT_US] = "ip6_not_us",
	[NET_DROP_ICMP6_SHORT] = "icmp6_short",
	[NET_DROP_ICMP6_CSUM] = "icmp6_csum",
	[NET_DROP_ICMP6_TYPE] = "icmp6_type",
	[NET_DROP_ND_HOP_LIMIT] = "nd_hop_limit",
	[NET_DROP_ND_MALFORMED] = "nd_malformed",
	[NET_DROP_ND_OPT] = "nd_opt",
	[NET_DROP_ND_UNSPEC_SRC] = "nd_unspec_src",
	[NET_DROP_ETH_NOT_US] = "eth_not_us",
	[NET_DROP_ICMP_QUOTE] = "icmp_quote",
	[NET_DROP_ICMP6_QUOTE] = "icmp6_quote",
	[NET_DROP_IP_SRR] = "ip_srr",
	[NET_DROP_IP_OPTS] = "ip_opts",
	[NET_DROP_ETH_GROUP_SRC] = "eth_group_src",
};

const char *
net_drop_name(enum net_drop d)
{
	if ((unsigned int)d >= NET_DROP_MAX || drop_names[d] == NULL)
		return "unknown";
	return drop_names[d];
}

#define rd16 net__rd16
#define rd32 net__rd32
#define csum_ok net__csum_ok

/* Check the length of a known option kind; SACK carries 1..4 blocks. */
static bool
tcp_opt_len_ok(uint8_t kind, uint8_t olen)
{
	switch (kind) {
	case TCPOPT_MSS:
		return olen == 4;
	case TCPOPT_WS:
		return olen == 3;
	case TCPOPT_SACK_OK:
		return olen == 2;
	case TCPOPT_SACK:
		return olen >= 10 && (olen - 2) % 8 == 0;
	case TCPOPT_TS:
		return olen == 10;
	default:
		return true;
	}
}

/* RFC 2018 3: the blocks of a SACK option (its length is checked). */
static void
tcp_opt_sack(const uint8_t *p, uint8_t olen, struct net_tcp_opts *o)
{
	uint32_t i, n = (olen - 2u) / 8;

	if (n > NET_SACK_MAX)
		n = NET_SACK_MAX;
	for (i = 0; i < n; i++) {
		o->sack[i].start = rd32(p + 2 + 8 * i);
		o->sack[i].end = rd32(p + 6 + 8 * i);
	}
	o->nsack = n;
	o->has |= NET_OPT_SACK;
}

static void
tcp_opt_record(uint8_t kind, const uint8_t *p, struct net_tcp_opts *o)
{
	switch (kind) {
	case TCPOPT_MSS:
		o->has |= NET_OPT_MSS;
		o->mss = rd16(p + 2);
		break;
	case TCPOPT_WS:
		o->has |= NET_OPT_WSCALE;
		o->wscale = p[2];
		break;
	case TCPOPT_SACK_OK:
		o->has |= NET_OPT_SACK_OK;
		break;
	case TCPOPT_SACK:
		tcp_opt_sack(p, p[1], o);
		break;
	case TCPOPT_TS:
		o->has |= NET_OPT_TS;
		o->tsval = rd32(p + 2);
		o->tsecr = rd32(p + 6);
		break;
	default:
		break;
	}
}

/*
 * RFC 9293 3.1: the options of a segment, into o, which is zero (the
 * parser's frame view is cleared before it comes here), one by one.
 * Out of line: the layouts of net__opts_common() are read in line.
 */
__attribute__((noinline)) int
net__tcp_opts_loop(const uint8_t *opt, uint32_t len, struct net_tcp_opts *o)
{
	uint32_t i = 0;

	while (i < len) {
		uint8_t kind = opt[i];
		uint8_t olen;

		if (kind == TCPOPT_EOL)
			break;
		if (kind == TCPOPT_NOP) {
			i++;
			continue;
		}
		if (len - i < 2)
			return -1;
		olen = opt[i + 1];
		if (olen < 2 || olen > len - i || !tcp_opt_len_ok(kind, olen))
			return -1;
		tcp_opt_record(kind, opt + i, o);
		i += olen;
	}
	return 0;
}

int
net__tcp_opts_scan(const uint8_t *opt, uint32_t len, struct net_tcp_opts *o)
{
	if (net__opts_common(opt, len, o))
		return 0;
	return net__tcp_opts_loop(opt, len, o);
}

int
net_tcp_parse_opts(const uint8_t *opt, uint32_t len, struct net_tcp_opts *o)
{
	memset(o, 0, sizeof(*o));
	return net__tcp_opts_scan(opt, len, o);
}

static const uint8_t arp_zero_mac[NET_ETH_ALEN];

static enum net_drop
parse_arp(const uint8_t *p, uint32_t len, struct net_frame *f)
{
	const struct net_arp_hdr *a = (const struct net_arp_hdr *)p;

	if (len < NET_ARP_LEN)
		return NET_DROP_ARP_MALFORMED;
	if (ntohs(a->htype) != 1 || ntohs(a->ptype) != NET_ETHERTYPE_IPV4 ||
	    a->hlen != NET_ETH_ALEN || a->plen != 4)
		return NET_DROP_ARP_MALFORMED;
	f->arp_op = ntohs(a->op);
	if (f->arp_op != NET_ARP_OP_REQUEST && f->arp_op != NET_ARP_OP_REPLY)
		return NET_DROP_ARP_MALFORMED;
	/*
	 * A request is answered to its sender hardware address, which no
	 * station has as a group address: the reply would reach every
	 * station of the group. Nor is it zero, whose reply switches flood
	 * as an unknown unicast. (A reply naming either, the neighbour
	 * table refuses.)
	 */
	f->arp_spa = ntohl(a->spa);
	if (f->arp_op == NET_ARP_OP_REQUEST) {
		if ((a->sha[0] & 1) != 0)
			return NET_DROP_ETH_GROUP_SRC;
		if (memcmp(a->sha, arp_zero_mac, NET_ETH_ALEN) == 0)
			return NET_DROP_ARP_MALFORMED;
		/*
		 * Nor is its sender address one no host has (RFC 1122
		 * 3.2.1.3, as an IPv4 source), but for the 0.0.0.0 of an
		 * RFC 5227 probe: Linux's route lookup of the sender
		 * refuses it too, and answers nothing.
		 */
		if (f->arp_spa != 0 && net__ipv4_src_bad(f->arp_spa))
			return NET_DROP_ARP_MALFORMED;
	}
	memcpy(f->arp_sha, a->sha, NET_ETH_ALEN);
	f->arp_tpa = ntohl(a->tpa);
	f->kind = NET_KIND_ARP;
	return NET_DROP_NONE;
}

#define ICMP_DEST_UNREACH 3
#define ICMP_FRAG_NEEDED 4
#define ICMP_ERR_HLEN 8 /* type, code, checksum, unused and MTU */
#define ICMP_QUOTE_L4 8 /* RFC 792: 64 bits of the datagram's data */
#define ICMP_MTU_MIN 68 /* RFC 791: every IPv4 link carries 68 */

/* RFC 1191 7: the plateau table, highest first. */
static const uint16_t mtu_plateaus[] = { 32000, 17914, 8166, 4352, 2002,
					 1492,	1006,  508,  296,  68 };

/*
 * RFC 1191 5: a router from before RFC 1191 leaves the MTU field 0; the
 * path MTU is then taken as the highest plateau below the length of the
 * datagram quoted (tot), which did not fit.
 */
static uint32_t
icmp_mtu_plateau(uint32_t tot)
{
	uint32_t i;

	for (i = 0; i < sizeof(mtu_plateaus) / sizeof(mtu_plateaus[0]); i++)
		if (mtu_plateaus[i] < tot)
			return mtu_plateaus[i];
	return ICMP_MTU_MIN;
}

/*
 * RFC 1191 4: a destination unreachable, fragmentation needed and DF
 * set, whose checksum was checked: the MTU of the next hop, and the
 * quoted datagram, which must be TCP with the 8 bytes RFC 792 promises
 * (ports and sequence number), and the first fragment if a fragment.
 */
static enum net_drop
parse_icmp_frag_needed(const uint8_t *frame, struct net_frame *f)
{
	const uint8_t *p = frame + f->l4_off, *in = p + ICMP_ERR_HLEN;
	uint32_t ihl;

	if (p[1] != ICMP_FRAG_NEEDED)
		return NET_DROP_ICMP_TYPE;
	if (f->l4_len < ICMP_ERR_HLEN + NET_IPV4_HLEN + ICMP_QUOTE_L4)
		return NET_DROP_ICMP_QUOTE;
	ihl = (uint32_t)(in[0] & 0x0f) * 4;
	if (in[0] >> 4 != 4 || ihl < NET_IPV4_HLEN ||
	    f->l4_len < ICMP_ERR_HLEN + ihl + ICMP_QUOTE_L4 ||
	    in[9] != NET_IPPROTO_TCP || (rd16(in + 6) & IP_OFFMASK) != 0)
		return NET_DROP_ICMP_QUOTE;
	f->icmp_mtu = rd16(p + 6);
	if (f->icmp_mtu < ICMP_MTU_MIN)
		f->icmp_mtu = icmp_mtu_plateau(rd16(in + 2));
	f->icmp_quote_off = (uint16_t)(f->l4_off + ICMP_ERR_HLEN);
	f->kind = NET_KIND_ICMP_PTB;
	return NET_DROP_NONE;
}

void
net_icmp_quote_seg(const uint8_t *frame, const struct net_frame *f,
		   struct net_seg *q)
{
	const uint8_t *in = frame + f->icmp_quote_off, *th;

	memset(q, 0, sizeof(*q));
	if (f->family == NET_FAMILY_IPV6) {
		q->saddr6 = in + 24;
		q->daddr6 = in + 8;
		th = in + NET_IPV6_HLEN;
	} else {
		q->saddr = rd32(in + 16);
		q->daddr = rd32(in + 12);
		th = in + (uint32_t)(in[0] & 0x0f) * 4;
	}
	q->sport = rd16(th + 2);
	q->dport = rd16(th);
	q->seq = rd32(th + 4);
}

static enum net_drop
parse_icmp(const uint8_t *frame, struct net_frame *f)
{
	const uint8_t *p = frame + f->l4_off;
	const struct net_icmp_hdr *h = (const struct net_icmp_hdr *)p;

	/* Devices report no ICMP checksum status: always verify. */
	if (f->l4_len < sizeof(*h))
		return NET_DROP_ICMP_SHORT;
	if (!csum_ok(NET_CSUM_UNKNOWN, p, f->l4_len, 0))
		return NET_DROP_ICMP_CSUM;
	if (h->type == ICMP_DEST_UNREACH)
		return parse_icmp_frag_needed(frame, f);
	if (h->type != NET_ICMP_ECHO_REQUEST)
		return NET_DROP_ICMP_TYPE;
	if (net__eth_src_group(f))
		return NET_DROP_ETH_GROUP_SRC;
	f->kind = NET_KIND_ICMP_ECHO;
	return NET_DROP_NONE;
}

/*
 * RFC 9293 3.1: the pseudo-header sum (source, destination, zero and
 * protocol, TCP length), from the addresses as they are in the header.
 */
static inline uint64_t
tcp_pseudo_sum(const struct net_ipv4_hdr *ip, const struct net_frame *f)
{
	return (uint64_t)ip->saddr + ip->daddr + htons(NET_IPPROTO_TCP) +
		htons(f->l4_len);
}

static enum net_drop
parse_ipv4(const uint8_t *frame, uint32_t off, uint32_t len,
	   enum net_csum_status ip_csum, enum net_csum_status l4_csum,
	   struct net_frame *f)
{
	const struct net_ipv4_hdr *ip =
		(const struct net_ipv4_hdr *)(frame + off);
	enum net_drop drop;
	uint32_t ihl, tot;

	if (len - off < NET_IPV4_HLEN)
		return NET_DROP_IP_SHORT;
	/* Version 4 without options, the usual header, in one test. */
	if (ip->ver_ihl == 0x45) {
		ihl = NET_IPV4_HLEN;
	} else {
		if (ip->ver_ihl >> 4 != 4)
			return NET_DROP_IP_VERSION;
		ihl = (uint32_t)(ip->ver_ihl & 0x0f) * 4;
		if (ihl < NET_IPV4_HLEN)
			return NET_DROP_IP_IHL;
	}
	tot = ntohs(ip->total_len);
	if (tot < ihl || tot > len - off)
		return NET_DROP_IP_TOTLEN;
	if (!net__ip_csum_ok(ip_csum, ip, ihl))
		return NET_DROP_IP_CSUM;
	if (ntohs(ip->frag_off) & (IP_MF | IP_OFFMASK))
		return NET_DROP_IP_FRAG;
	if (ihl > NET_IPV4_HLEN &&
	    (drop = net__ip_opts_check((const uint8_t *)ip + NET_IPV4_HLEN,
				       ihl - NET_IPV4_HLEN)) != NET_DROP_NONE)
		return drop;
	f->saddr = ntohl(ip->saddr);
	f->daddr = ntohl(ip->daddr);
	if (net__ipv4_src_bad(f->saddr))
		return NET_DROP_IP_BAD_SRC;
	f->ttl = ip->ttl;
	f->l3_off = (uint16_t)off;
	f->l3_len = (uint16_t)tot;
	f->l4_off = (uint16_t)(off + ihl);
	f->l4_len = (uint16_t)(tot - ihl);
	if (ip->proto == NET_IPPROTO_ICMP)
		return parse_icmp(frame, f);
	if (ip->proto == NET_IPPROTO_TCP)
		return net__parse_tcp(frame, l4_csum, tcp_pseudo_sum(ip, f), f);
	return NET_DROP_IP_PROTO;
}

enum net_drop
net__parse_any(const uint8_t *buf, uint32_t len, enum net_csum_status ip_csum,
	       enum net_csum_status l4_csum, struct net_frame *f)
{
	uint32_t off = NET_ETH_HLEN;
	uint16_t type;

	net__frame_clear(f);
	if (len < NET_ETH_HLEN)
		return NET_DROP_ETH_SHORT;
	memcpy(f->dst_mac, buf, NET_ETH_ALEN);
	memcpy(f->src_mac, buf + NET_ETH_ALEN, NET_ETH_ALEN);
	type = rd16(buf + 12);
	if (type == NET_ETHERTYPE_VLAN) {
		if (len < NET_ETH_HLEN + 4)
			return NET_DROP_ETH_SHORT;
		f->vlan = rd16(buf + 14) & 0x0fff;
		type = rd16(buf + 16);
		off += NET_VLAN_HLEN;
	}
	if (type == NET_ETHERTYPE_ARP)
		return parse_arp(buf + off, len - off, f);
	if (type == NET_ETHERTYPE_IPV4)
		return parse_ipv4(buf, off, len, ip_csum, l4_csum, f);
	if (type == NET_ETHERTYPE_IPV6)
		return net__parse_ipv6(buf, off, len, l4_csum, f);
	return NET_DROP_ETH_TYPE;
}

enum net_drop
net_parse(const uint8_t *buf, uint32_t len, enum net_csum_status ip_csum,
	  enum net_csum_status l4_csum, struct net_frame *f)
{
	return net__parse_inline(buf, len, ip_csum, l4_csum, f);
}

/* Parse one decimal byte without sign, space or leading zero. */
static const char *
parse_octet(const char *s, uint32_t *v)
{
	uint32_t n = 0;
	int digits = 0;

	while (*s >= '0' && *s <= '9') {
		if (digits > 0 && n == 0)
			return NULL;
		n = n * 10 + (uint32_t)(*s - '0');
		if (++digits > 3 || n > 255)
			return NULL;
		s++;
	}
	if (digits == 0)
		return NULL;
	*v = n;
	return s;
}

int
net_ipv4_parse(const char *s, uint32_t *addr)
{
	uint32_t a = 0, v;
	int i;

	if (s == NULL)
		return -1;
	for (i = 0; i < 4; i++) {
		if (i > 0 && *s++ != '.')
			return -1;
		s = parse_octet(s, &v);
		if (s == NULL)
			return -1;
		a = a << 8 | v;
	}
	if (*s != '\0')
		return -1;
	*addr = a;
	return 0;
}

char *
net_ipv4_fmt(uint32_t addr, char *buf)
{
	snprintf(buf, 16, "%u.%u.%u.%u", addr >> 24, (addr >> 16) & 0xff,
		 (addr >> 8) & 0xff, addr & 0xff);
	return buf;
}
