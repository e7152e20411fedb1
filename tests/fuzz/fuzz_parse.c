/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer harness for lib/net: net_parse() on arbitrary bytes, with
 * every combination of the device checksum hints, and the TCP option
 * parser on its own.
 *
 * Input: byte 0 selects the mode, the rest is the frame (or the option
 * list). Mode bit 7 set: net_tcp_parse_opts() on the rest. Otherwise
 * mode % 3 is the IPv4 checksum hint and (mode / 3) % 3 the L4 hint
 * (unknown, good, bad).
 *
 * What is asserted (the promises of lib/net/net.h):
 *   - a dropped frame has kind DROP and a named reason; an accepted one a
 *     kind other than DROP;
 *   - every offset and length of an accepted frame lies inside the
 *     buffer, the payload pointer included, and the IPv4 and L4 extents
 *     nest (l4 = l3 + IHL, both end at the same byte);
 *   - a BAD hint never lets a frame through its checksum; with UNKNOWN,
 *     the checksums of an accepted frame verify;
 *   - an accepted TCP frame rebuilt with net_build_tcp() and
 *     net_tcp_finish() parses back to the same segment (addresses, ports,
 *     sequence numbers, window, flags, options, payload);
 *   - an accepted ARP frame rebuilt with net_build_arp() parses back to
 *     the same operation and addresses;
 *   - the echo reply net_icmp_echo_reply() makes of an accepted ICMP
 *     echo request has valid checksums and the expected length;
 *   - IPv6: the extension headers and the upper layer nest in the
 *     payload, addresses point into the header, TCP rebuilds with the
 *     IPv6 builder, ICMPv6 checksums verify, ND and Packet Too Big
 *     fields stay inside the message;
 *   - net_rss_peek_tcp4() reads the same 4-tuple as the full parse;
 *   - the general parser (net__parse_any(), without net_parse()'s path
 *     for plain IPv4 TCP frames) returns the same verdict and the same
 *     frame view;
 *   - an option list that parses is rebuilt and parses back the same.
 * A failed check aborts, which libFuzzer reports as a crash.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net.h"
#include "net_internal.h"

#define FRAME_MAX (65536 + 64)

#define CHECK(cond) \
	do { \
		if (!(cond)) { \
			fprintf(stderr, \
				"fuzz_parse: check failed: %s (%s:%d)\n", \
				#cond, __FILE__, __LINE__); \
			abort(); \
		} \
	} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t frame2[FRAME_MAX];

static const uint8_t our_mac[NET_ETH_ALEN] = { 2, 0, 0, 0, 0, 1 };

static bool
inside(const uint8_t *buf, uint32_t len, const uint8_t *p, uint32_t n)
{
	return p >= buf && p <= buf + len && n <= (uint32_t)(buf + len - p);
}

static void
check_opts_equal(const struct net_tcp_opts *a, const struct net_tcp_opts *b)
{
	uint32_t i, room = NET_TCP_MAX_OPTLEN, max;

	if (a->has & NET_OPT_MSS)
		room -= 4;
	if (a->has & (NET_OPT_TS | NET_OPT_SACK_OK))
		room -= a->has & NET_OPT_TS ? 12 : 4;
	if (a->has & NET_OPT_WSCALE)
		room -= 4;
	max = room >= 12 ? (room - 4) / 8 : 0;
	if (max > NET_SACK_MAX)
		max = NET_SACK_MAX;

	CHECK(a->nsack <= NET_SACK_MAX && b->nsack <= NET_SACK_MAX);
	/* The builder writes the SACK blocks that fit beside the rest. */
	CHECK(b->nsack == (a->nsack < max ? a->nsack : max));
	for (i = 0; i < b->nsack; i++)
		CHECK(a->sack[i].start == b->sack[i].start &&
		      a->sack[i].end == b->sack[i].end);
	CHECK((a->has & ~NET_OPT_SACK) == (b->has & ~NET_OPT_SACK));
	CHECK(!!(b->has & NET_OPT_SACK) == (b->nsack > 0));
	if (a->has & NET_OPT_MSS)
		CHECK(a->mss == b->mss);
	if (a->has & NET_OPT_WSCALE)
		CHECK(a->wscale == b->wscale);
	if (a->has & NET_OPT_TS) {
		CHECK(a->tsval == b->tsval);
		CHECK(a->tsecr == b->tsecr);
	}
}

/* Rebuild the options of o in a bare TCP header and parse them again. */
static void
opts_roundtrip(const struct net_tcp_opts *o)
{
	struct net_tcp_build b;
	struct net_tcp_opts again;
	uint32_t hlen, olen;
	const uint8_t *tcp;

	memset(&b, 0, sizeof(b));
	b.src_mac = our_mac;
	b.dst_mac = our_mac;
	b.saddr = 0xc6120002u;
	b.daddr = 0xc6120001u;
	b.sport = 1;
	b.dport = 2;
	b.opts = *o;
	hlen = net_build_tcp(frame2, sizeof(frame2), &b);
	CHECK(hlen >= NET_ETH_HLEN + NET_IPV4_HLEN + NET_TCP_HLEN);
	tcp = frame2 + NET_ETH_HLEN + NET_IPV4_HLEN;
	olen = (uint32_t)(tcp[12] >> 4) * 4 - NET_TCP_HLEN;
	CHECK(olen <= NET_TCP_MAX_OPTLEN && olen % 4 == 0);
	CHECK(NET_ETH_HLEN + NET_IPV4_HLEN + NET_TCP_HLEN + olen == hlen);
	CHECK(net_tcp_parse_opts(tcp + NET_TCP_HLEN, olen, &again) == 0);
	check_opts_equal(o, &again);
}

static void
check_tcp(const uint8_t *buf, uint32_t len, const struct net_frame *f,
	  enum net_csum_status l4)
{
	const struct net_seg *s = &f->seg;
	const uint8_t *tcp = buf + f->l4_off;
	struct net_tcp_build b;
	struct net_frame g;
	uint32_t hlen;

	CHECK(f->l4_len >= NET_TCP_HLEN);
	CHECK(l4 != NET_CSUM_BAD);
	if (l4 == NET_CSUM_UNKNOWN)
		CHECK(net_csum_fold(net_csum_partial(
			      tcp, f->l4_len,
			      f->family == NET_FAMILY_IPV6 ?
				      net_tcp6_pseudo_sum(s->saddr6, s->daddr6,
							  f->l4_len) :
				      net_tcp_pseudo_sum(f->saddr, f->daddr,
							 f->l4_len))) == 0);
	CHECK(s->data >= tcp + NET_TCP_HLEN);
	CHECK(inside(buf, len, s->data, s->len));
	CHECK(s->data + s->len == buf + f->l3_off + f->l3_len);
	CHECK(s->sport != 0 && s->dport != 0);
	CHECK(s->saddr == f->saddr && s->daddr == f->daddr);

	/* Rebuild and parse back. */
	memset(&b, 0, sizeof(b));
	b.src_mac = f->src_mac;
	b.dst_mac = f->dst_mac;
	b.saddr = s->saddr;
	b.daddr = s->daddr;
	b.saddr6 = s->saddr6;
	b.daddr6 = s->daddr6;
	b.sport = s->sport;
	b.dport = s->dport;
	b.seq = s->seq;
	b.ack = s->ack;
	b.wnd = s->wnd;
	b.flags = s->flags;
	b.ttl = f->ttl;
	b.opts = s->opts;
	b.payload_len = s->len;
	hlen = net_build_tcp(frame2, sizeof(frame2), &b);
	CHECK(hlen != 0);
	memcpy(frame2 + hlen, s->data, s->len);
	net_tcp_finish(frame2, false);
	CHECK(net_parse(frame2, hlen + s->len, NET_CSUM_UNKNOWN,
			NET_CSUM_UNKNOWN, &g) == NET_DROP_NONE);
	CHECK(g.kind == NET_KIND_TCP);
	CHECK(memcmp(g.src_mac, f->src_mac, NET_ETH_ALEN) == 0);
	CHECK(memcmp(g.dst_mac, f->dst_mac, NET_ETH_ALEN) == 0);
	CHECK(g.seg.saddr == s->saddr && g.seg.daddr == s->daddr);
	CHECK(g.family == f->family);
	if (f->family == NET_FAMILY_IPV6)
		CHECK(memcmp(g.seg.saddr6, s->saddr6, NET_IPV6_ALEN) == 0 &&
		      memcmp(g.seg.daddr6, s->daddr6, NET_IPV6_ALEN) == 0);
	CHECK(g.seg.sport == s->sport && g.seg.dport == s->dport);
	CHECK(g.seg.seq == s->seq && g.seg.ack == s->ack);
	CHECK(g.seg.wnd == s->wnd && g.seg.flags == s->flags);
	CHECK(f->ttl == 0 || g.ttl == f->ttl);
	check_opts_equal(&s->opts, &g.seg.opts);
	CHECK(g.seg.len == s->len);
	CHECK(memcmp(g.seg.data, s->data, s->len) == 0);
}

static void
check_rss_peek(const uint8_t *buf, uint32_t len, const struct net_frame *f,
	       enum net_drop d)
{
	struct net_rss_tuple t;

	if (net_rss_peek_tcp4(buf, len, &t) != 0)
		return;
	/* The peek reads only untagged frames. */
	CHECK(buf[12] == 0x08 && buf[13] == 0x00);
	if (d == NET_DROP_NONE && f->kind == NET_KIND_TCP) {
		CHECK(t.saddr == f->seg.saddr && t.daddr == f->seg.daddr);
		CHECK(t.sport == f->seg.sport && t.dport == f->seg.dport);
	}
}

static void
check_arp(const struct net_frame *f)
{
	struct net_frame g;
	uint32_t n;

	CHECK(f->arp_op == NET_ARP_OP_REQUEST || f->arp_op == NET_ARP_OP_REPLY);
	n = net_build_arp(frame2, sizeof(frame2), f->vlan, f->arp_op,
			  f->arp_sha, f->arp_spa,
			  f->arp_op == NET_ARP_OP_REPLY ? f->src_mac : NULL,
			  f->arp_tpa);
	CHECK(n == NET_ETH_HLEN + NET_ARP_LEN + (f->vlan ? 4 : 0));
	CHECK(net_parse(frame2, n, NET_CSUM_UNKNOWN, NET_CSUM_UNKNOWN, &g) ==
	      NET_DROP_NONE);
	CHECK(g.kind == NET_KIND_ARP && g.arp_op == f->arp_op &&
	      g.vlan == f->vlan);
	CHECK(memcmp(g.arp_sha, f->arp_sha, NET_ETH_ALEN) == 0);
	CHECK(g.arp_spa == f->arp_spa && g.arp_tpa == f->arp_tpa);
}

/*
 * A too-big message: the quoted IP header and 8 bytes of TCP after it
 * lie inside the ICMP message, and the segment read from it points there.
 */
static void
check_quote(const uint8_t *buf, uint32_t len, const struct net_frame *f)
{
	const uint8_t *in = buf + f->icmp_quote_off;
	uint32_t ihl = f->family == NET_FAMILY_IPV6 ?
		NET_IPV6_HLEN :
		(uint32_t)(in[0] & 0x0f) * 4;
	struct net_seg q;

	CHECK(f->icmp_quote_off == f->l4_off + 8);
	CHECK((uint32_t)f->icmp_quote_off + ihl + 8 <=
	      (uint32_t)f->l4_off + f->l4_len);
	CHECK(inside(buf, len, in, ihl + 8));
	net_icmp_quote_seg(buf, f, &q);
	CHECK(q.len == 0 && q.flags == 0 && q.data == NULL);
	if (f->family == NET_FAMILY_IPV6)
		CHECK(q.saddr6 == in + 24 && q.daddr6 == in + 8);
	else
		CHECK(f->icmp_mtu >= 68 && q.saddr6 == NULL);
}

static void
check_icmp(const uint8_t *buf, uint32_t len, const struct net_frame *f)
{
	const struct net_ipv4_hdr *ip;
	uint32_t ihl, n;

	CHECK(f->l4_len >= sizeof(struct net_icmp_hdr));
	CHECK(net_csum_fold(net_csum_partial(buf + f->l4_off, f->l4_len, 0)) ==
	      0);
	memcpy(frame2, buf, len);
	n = net_icmp_echo_reply(frame2, f, our_mac, 0x12345678u);
	CHECK(n == (uint32_t)f->l3_off + f->l3_len && n <= len);
	ip = (const struct net_ipv4_hdr *)(frame2 + f->l3_off);
	ihl = (uint32_t)(ip->ver_ihl & 0x0f) * 4;
	CHECK(net_csum_fold(net_csum_partial(ip, ihl, 0)) == 0);
	CHECK(net_csum_fold(
		      net_csum_partial(frame2 + f->l4_off, f->l4_len, 0)) == 0);
	CHECK(frame2[f->l4_off] == NET_ICMP_ECHO_REPLY);
	CHECK(memcmp(frame2, f->src_mac, NET_ETH_ALEN) == 0);
	/*
	 * The option update stays in the options: the header length, the
	 * total length and the ICMP message past its type, code and
	 * checksum are as they came (the checksums, recomputed, would not
	 * show a write that spilled there).
	 */
	CHECK(frame2[f->l3_off] == buf[f->l3_off]);
	CHECK(memcmp(frame2 + f->l3_off + 2, buf + f->l3_off + 2, 2) == 0);
	CHECK(memcmp(frame2 + f->l4_off + 4, buf + f->l4_off + 4,
		     f->l4_len - 4) == 0);
}

/* An accepted ICMPv6 echo request, ND message or Packet Too Big. */
static void
check_icmp6(const uint8_t *buf, uint32_t len, const struct net_frame *f)
{
	const uint8_t *p = buf + f->l4_off;
	struct net_frame g;
	enum net_drop d;
	uint32_t n;

	CHECK(net_csum_fold(net_csum_partial(
		      p, f->l4_len,
		      net_ip6_pseudo_sum(f->seg.saddr6, f->seg.daddr6,
					 f->l4_len, NET_IPPROTO_ICMPV6))) == 0);
	switch (f->kind) {
	case NET_KIND_ICMP6_ECHO:
		CHECK(p[0] == NET_ICMP6_ECHO_REQUEST && f->l4_len >= 8);
		memcpy(frame2, buf, len);
		n = net_icmp6_echo_reply(frame2, f, our_mac);
		CHECK(n == f->l3_off + NET_IPV6_HLEN + f->l4_len && n <= len);
		/*
		 * The parser checks the checksum before the type; a request
		 * to a multicast, loopback or mapped address (which the
		 * caller does not answer) makes a reply from a bad source.
		 */
		d = net_parse(frame2, n, NET_CSUM_UNKNOWN, NET_CSUM_UNKNOWN,
			      &g);
		CHECK(d == NET_DROP_ICMP6_TYPE || d == NET_DROP_IP6_BAD_SRC);
		break;
	case NET_KIND_ICMP6_PTB:
		CHECK(f->l4_len >= 8 + NET_IPV6_HLEN + 8);
		check_quote(buf, len, f);
		break;
	case NET_KIND_ND_NS:
	case NET_KIND_ND_NA:
		CHECK(f->ttl == 255 && f->l4_len >= 24);
		CHECK(f->nd_target_off == f->l4_off + 8);
		CHECK(!net_ip6_is_multicast(buf + f->nd_target_off));
		if (f->nd_lladdr_off != 0)
			CHECK(inside(buf, len, buf + f->nd_lladdr_off,
				     NET_ETH_ALEN) &&
			      f->nd_lladdr_off + NET_ETH_ALEN <=
				      f->l4_off + f->l4_len);
		break;
	default:
		CHECK(0);
	}
}

/* IPv6: the header, extensions and upper layer nest inside the frame. */
static void
check_accepted6(const uint8_t *buf, uint32_t len, const struct net_frame *f,
		enum net_csum_status l4c)
{
	const uint8_t *ip = buf + f->l3_off;

	CHECK(f->l3_off == NET_ETH_HLEN || f->l3_off == NET_ETH_HLEN + 4);
	CHECK((uint32_t)f->l3_off + f->l3_len <= len);
	CHECK(ip[0] >> 4 == 6 && f->saddr == 0 && f->daddr == 0);
	CHECK(f->seg.saddr6 == ip + 8 && f->seg.daddr6 == ip + 24);
	CHECK(f->l4_off >= f->l3_off + NET_IPV6_HLEN);
	CHECK((f->l4_off - f->l3_off - NET_IPV6_HLEN) % 8 == 0);
	CHECK((uint32_t)f->l4_off + f->l4_len ==
	      (uint32_t)f->l3_off + f->l3_len);
	CHECK(!net_ip6_is_multicast(f->seg.saddr6));
	/* Only a DAD solicitation comes from the unspecified address. */
	CHECK(f->kind == NET_KIND_ND_NS || !net_ip6_is_unspec(f->seg.saddr6));
	if (f->kind == NET_KIND_TCP)
		check_tcp(buf, len, f, l4c);
	else
		check_icmp6(buf, len, f);
}

static void
check_accepted(const uint8_t *buf, uint32_t len, const struct net_frame *f,
	       enum net_csum_status ipc, enum net_csum_status l4c)
{
	const uint8_t *ip;

	CHECK(f->kind != NET_KIND_DROP);
	CHECK(memcmp(f->dst_mac, buf, NET_ETH_ALEN) == 0);
	CHECK(memcmp(f->src_mac, buf + NET_ETH_ALEN, NET_ETH_ALEN) == 0);
	if (f->kind == NET_KIND_ARP) {
		check_arp(f);
		return;
	}
	if (f->family == NET_FAMILY_IPV6) {
		check_accepted6(buf, len, f, l4c);
		return;
	}
	/* IPv4: the header and the L4 message nest inside the frame. */
	CHECK(ipc != NET_CSUM_BAD);
	CHECK(f->l3_off == NET_ETH_HLEN || f->l3_off == NET_ETH_HLEN + 4);
	CHECK((uint32_t)f->l3_off + f->l3_len <= len);
	ip = buf + f->l3_off;
	CHECK(f->l4_off == f->l3_off + (ip[0] & 0x0f) * 4);
	CHECK((uint32_t)f->l4_off + f->l4_len ==
	      (uint32_t)f->l3_off + f->l3_len);
	if (ipc == NET_CSUM_UNKNOWN)
		CHECK(net_csum_fold(net_csum_partial(ip, (ip[0] & 0x0f) * 4u,
						     0)) == 0);
	CHECK(f->saddr != 0 && f->saddr != 0xffffffffu &&
	      (f->saddr >> 28) != 0xe);
	if (f->kind == NET_KIND_ICMP_ECHO)
		check_icmp(buf, len, f);
	else if (f->kind == NET_KIND_ICMP_PTB)
		check_quote(buf, len, f);
	else
		check_tcp(buf, len, f, l4c);
}

static void
fuzz_opts(const uint8_t *p, uint32_t len)
{
	struct net_tcp_opts o;

	if (net_tcp_parse_opts(p, len, &o) != 0)
		return;
	CHECK((o.has &
	       ~(NET_OPT_MSS | NET_OPT_WSCALE | NET_OPT_SACK_OK | NET_OPT_TS |
		 NET_OPT_SACK)) == 0);
	CHECK(!!(o.has & NET_OPT_SACK) == (o.nsack > 0));
	opts_roundtrip(&o);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum net_csum_status ipc, l4c;
	struct net_frame f, g;
	enum net_drop d;
	uint8_t *buf;
	uint32_t len;

	if (size < 1 || size > FRAME_MAX)
		return 0;
	len = (uint32_t)size - 1;
	/* An exact-size copy, so that ASan sees any read past the end. */
	buf = malloc(len ? len : 1);
	if (buf == NULL)
		return 0;
	memcpy(buf, data + 1, len);
	if (data[0] & 0x80) {
		fuzz_opts(buf, len);
		free(buf);
		return 0;
	}
	ipc = (enum net_csum_status)(data[0] % 3);
	l4c = (enum net_csum_status)((data[0] / 3) % 3);
	d = net_parse(buf, len, ipc, l4c, &f);
	memset(&g, 0xa5, sizeof(g));
	CHECK(net__parse_any(buf, len, ipc, l4c, &g) == d);
	CHECK(memcmp(&g, &f, sizeof(g)) == 0);
	CHECK((unsigned int)d < NET_DROP_MAX);
	CHECK(strcmp(net_drop_name(d), "unknown") != 0);
	if (d == NET_DROP_NONE)
		check_accepted(buf, len, &f, ipc, l4c);
	else
		CHECK(f.kind == NET_KIND_DROP);
	check_rss_peek(buf, len, &f, d);
	free(buf);
	return 0;
}
