/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests for lib/net: parsing, validation, building, checksums,
 * TCP options, sequence arithmetic and address text.
 *
 * The byte arrays below were produced by Scapy with correct checksums,
 * so a bug shared by the builder and the parser cannot hide.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmocka.h>

#include "echo_frame.h"
#include "net.h"
#include "net_internal.h"
#include "net_parse4.h"
#include "test_rng.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* clang-format off */
/* Ether / IP / TCP 198.18.0.2:40000 > 198.18.0.1:http S */
static const uint8_t v_syn[] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x02,
	0x08, 0x00, 0x45, 0x00, 0x00, 0x3c, 0x12, 0x34, 0x40, 0x00, 0x40, 0x06,
	0x9c, 0x60, 0xc6, 0x12, 0x00, 0x02, 0xc6, 0x12, 0x00, 0x01, 0x9c, 0x40,
	0x00, 0x50, 0xde, 0xad, 0xbe, 0xef, 0x00, 0x00, 0x00, 0x00, 0xa0, 0x02,
	0xfa, 0xf0, 0xb2, 0x48, 0x00, 0x00, 0x02, 0x04, 0x05, 0xb4, 0x04, 0x02,
	0x08, 0x0a, 0x07, 0x5b, 0xcd, 0x15, 0x00, 0x00, 0x00, 0x00, 0x01, 0x03,
	0x03, 0x07,
};

/* Ether / IP / TCP 198.18.0.1:http > 198.18.0.2:40000 SA */
static const uint8_t v_synack[] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
	0x08, 0x00, 0x45, 0x00, 0x00, 0x3c, 0x00, 0x00, 0x40, 0x00, 0x40, 0x06,
	0xae, 0x94, 0xc6, 0x12, 0x00, 0x01, 0xc6, 0x12, 0x00, 0x02, 0x00, 0x50,
	0x9c, 0x40, 0x01, 0x02, 0x03, 0x04, 0xde, 0xad, 0xbe, 0xf0, 0xa0, 0x12,
	0xfe, 0x88, 0xa6, 0xaf, 0x00, 0x00, 0x02, 0x04, 0x05, 0xb4, 0x04, 0x02,
	0x08, 0x0a, 0x00, 0x00, 0x03, 0xe8, 0x07, 0x5b, 0xcd, 0x15, 0x01, 0x03,
	0x03, 0x09,
};

/* Ether / IP / TCP 198.18.0.2:40000 > 198.18.0.1:http PA / Raw */
static const uint8_t v_data[] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x02,
	0x08, 0x00, 0x45, 0x00, 0x00, 0x47, 0x12, 0x35, 0x40, 0x00, 0x3f, 0x06,
	0x9d, 0x54, 0xc6, 0x12, 0x00, 0x02, 0xc6, 0x12, 0x00, 0x01, 0x9c, 0x40,
	0x00, 0x50, 0xde, 0xad, 0xbe, 0xf0, 0x01, 0x02, 0x03, 0x05, 0x80, 0x18,
	0x01, 0xf6, 0xd2, 0x4a, 0x00, 0x00, 0x01, 0x01, 0x08, 0x0a, 0x07, 0x5b,
	0xcd, 0x20, 0x00, 0x00, 0x03, 0xe8, 0x47, 0x45, 0x54, 0x20, 0x2f, 0x20,
	0x48, 0x54, 0x54, 0x50, 0x2f, 0x31, 0x2e, 0x30, 0x0d, 0x0a, 0x0d, 0x0a,
	0x21,
};

/* Ether / Dot1Q / IP / TCP 198.18.0.2:40001 > 198.18.0.1:http_alt A / Raw */
static const uint8_t v_vlan_ack[] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x02,
	0x81, 0x00, 0x00, 0x2a, 0x08, 0x00, 0x45, 0x00, 0x00, 0x2b, 0x00, 0x07,
	0x40, 0x00, 0x40, 0x06, 0xae, 0x9e, 0xc6, 0x12, 0x00, 0x02, 0xc6, 0x12,
	0x00, 0x01, 0x9c, 0x41, 0x1f, 0x90, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00,
	0x00, 0x02, 0x50, 0x10, 0x03, 0xe8, 0x71, 0x73, 0x00, 0x00, 0x78, 0x79,
	0x7a,
};

/* Ether / IP / ICMP 198.18.0.1 > 198.18.0.2 echo-reply 0 / Raw */
static const uint8_t v_echo_reply[] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
	0x08, 0x00, 0x45, 0x00, 0x00, 0x2d, 0x00, 0x63, 0x00, 0x00, 0x40, 0x01,
	0xee, 0x45, 0xc6, 0x12, 0x00, 0x01, 0xc6, 0x12, 0x00, 0x02, 0x00, 0x00,
	0x27, 0x83, 0x42, 0x42, 0x00, 0x03, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35,
	0x36, 0x37, 0x38, 0x39, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67,
};

/* Ether / ARP who has 198.18.0.1 says 198.18.0.2 */
static const uint8_t v_arp_req[] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0x00, 0x00, 0x00, 0x00, 0x02,
	0x08, 0x06, 0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01, 0x02, 0x00,
	0x00, 0x00, 0x00, 0x02, 0xc6, 0x12, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0xc6, 0x12, 0x00, 0x01,
};

/* Ether / IP / TCP 198.18.0.2:40000 > 198.18.0.1:http A / Padding */
static const uint8_t v_ack_padded[] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x02,
	0x08, 0x00, 0x45, 0x00, 0x00, 0x28, 0x00, 0x08, 0x40, 0x00, 0x40, 0x06,
	0xae, 0xa0, 0xc6, 0x12, 0x00, 0x02, 0xc6, 0x12, 0x00, 0x01, 0x9c, 0x40,
	0x00, 0x50, 0x00, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0x06, 0x50, 0x10,
	0x00, 0x64, 0x86, 0xad, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};
/* clang-format on */

#define ADDR_L 0xc6120001u /* 198.18.0.1, local */
#define ADDR_R 0xc6120002u /* 198.18.0.2, remote */

static const uint8_t mac_l[NET_ETH_ALEN] = { 2, 0, 0, 0, 0, 1 };
static const uint8_t mac_r[NET_ETH_ALEN] = { 2, 0, 0, 0, 0, 2 };

/* Parse from an exact-size heap copy so that any over-read is caught. */
static enum net_drop
parse_copy(const uint8_t *frame, uint32_t len, enum net_csum_status ip,
	   enum net_csum_status l4, struct net_frame *f)
{
	uint8_t *copy = malloc(len ? len : 1);
	enum net_drop d;

	assert_non_null(copy);
	if (len)
		memcpy(copy, frame, len);
	d = net_parse(copy, len, ip, l4, f);
	/* Pointers into the copy must not outlive it. */
	f->seg.data = f->seg.data ? frame + (f->seg.data - copy) : NULL;
	free(copy);
	return d;
}

/* Expected parse result of a reference frame. */
/* The option fields a table case checks (SACK blocks: test_sack_opts). */
struct opt_want {
	uint8_t has;
	uint8_t wscale;
	uint16_t mss;
	uint32_t tsval;
	uint32_t tsecr;
};

struct vec_case {
	const char *name;
	const uint8_t *frame;
	uint32_t len;
	enum net_kind kind;
	uint16_t l3_off;
	uint16_t l3_len;
	uint32_t saddr;
	uint32_t daddr;
	uint16_t sport;
	uint16_t dport;
	uint32_t seq;
	uint32_t ack;
	uint16_t wnd;
	uint8_t flags;
	struct opt_want opts;
	uint32_t data_len;
};

/* clang-format off */
static const struct vec_case vec_cases[] = {
	{ "syn", v_syn, sizeof(v_syn), NET_KIND_TCP, 14, 60, ADDR_R, ADDR_L,
	  40000, 80, 0xdeadbeef, 0, 64240, NET_TCP_SYN,
	  { NET_OPT_MSS | NET_OPT_SACK_OK | NET_OPT_TS | NET_OPT_WSCALE,
	    7, 1460, 123456789, 0 }, 0 },
	{ "synack", v_synack, sizeof(v_synack), NET_KIND_TCP, 14, 60,
	  ADDR_L, ADDR_R, 80, 40000, 0x01020304, 0xdeadbef0, 65160,
	  NET_TCP_SYN | NET_TCP_ACK,
	  { NET_OPT_MSS | NET_OPT_SACK_OK | NET_OPT_TS | NET_OPT_WSCALE,
	    9, 1460, 1000, 123456789 }, 0 },
	{ "data", v_data, sizeof(v_data), NET_KIND_TCP, 14, 71, ADDR_R, ADDR_L,
	  40000, 80, 0xdeadbef0, 0x01020305, 502, NET_TCP_PSH | NET_TCP_ACK,
	  { NET_OPT_TS, 0, 0, 123456800, 1000 }, 19 },
	{ "vlan", v_vlan_ack, sizeof(v_vlan_ack), NET_KIND_TCP, 18, 43,
	  ADDR_R, ADDR_L, 40001, 8080, 1, 2, 1000, NET_TCP_ACK,
	  { 0, 0, 0, 0, 0 }, 3 },
	{ "padded", v_ack_padded, sizeof(v_ack_padded), NET_KIND_TCP, 14, 40,
	  ADDR_R, ADDR_L, 40000, 80, 5, 6, 100, NET_TCP_ACK,
	  { 0, 0, 0, 0, 0 }, 0 },
	{ "echo", v_echo, sizeof(v_echo), NET_KIND_ICMP_ECHO, 14, 45,
	  ADDR_R, ADDR_L, 0, 0, 0, 0, 0, 0, { 0, 0, 0, 0, 0 }, 0 },
};
/* clang-format on */

static void
check_vec(const struct vec_case *c, const struct net_frame *f)
{
	const struct net_seg *s = &f->seg;

	assert_int_equal(f->kind, c->kind);
	assert_memory_equal(f->src_mac, c->frame + 6, NET_ETH_ALEN);
	assert_memory_equal(f->dst_mac, c->frame, NET_ETH_ALEN);
	assert_int_equal(f->l3_off, c->l3_off);
	assert_int_equal(f->l3_len, c->l3_len);
	assert_int_equal(f->saddr, c->saddr);
	assert_int_equal(f->daddr, c->daddr);
	assert_int_equal(f->l4_off, c->l3_off + 20);
	assert_int_equal(f->l4_len, c->l3_len - 20);
	if (c->kind != NET_KIND_TCP)
		return;
	assert_int_equal(s->saddr, c->saddr);
	assert_int_equal(s->daddr, c->daddr);
	assert_int_equal(s->sport, c->sport);
	assert_int_equal(s->dport, c->dport);
	assert_int_equal(s->seq, c->seq);
	assert_int_equal(s->ack, c->ack);
	assert_int_equal(s->wnd, c->wnd);
	assert_int_equal(s->flags, c->flags);
	assert_int_equal(s->opts.has, c->opts.has);
	assert_int_equal(s->opts.wscale, c->opts.wscale);
	assert_int_equal(s->opts.mss, c->opts.mss);
	assert_int_equal(s->opts.tsval, c->opts.tsval);
	assert_int_equal(s->opts.tsecr, c->opts.tsecr);
	assert_int_equal(s->len, c->data_len);
	assert_ptr_equal(s->data,
			 c->frame + c->l3_off + c->l3_len - c->data_len);
}

static void
test_parse_vectors(void **state)
{
	struct net_frame f;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(vec_cases); i++) {
		const struct vec_case *c = &vec_cases[i];

		print_message("vector %s\n", c->name);
		assert_int_equal(net_parse(c->frame, c->len, NET_CSUM_UNKNOWN,
					   NET_CSUM_UNKNOWN, &f),
				 NET_DROP_NONE);
		check_vec(c, &f);
		assert_int_equal(parse_copy(c->frame, c->len, NET_CSUM_GOOD,
					    NET_CSUM_GOOD, &f),
				 NET_DROP_NONE);
	}
	assert_memory_equal(vec_cases[2].frame + vec_cases[2].len - 19,
			    "GET / HTTP/1.0\r\n\r\n!", 19);
}

static void
test_parse_arp(void **state)
{
	struct net_frame f;

	(void)state;
	assert_int_equal(parse_copy(v_arp_req, sizeof(v_arp_req),
				    NET_CSUM_UNKNOWN, NET_CSUM_UNKNOWN, &f),
			 NET_DROP_NONE);
	assert_int_equal(f.kind, NET_KIND_ARP);
	assert_int_equal(f.arp_op, NET_ARP_OP_REQUEST);
	assert_memory_equal(f.arp_sha, mac_r, NET_ETH_ALEN);
	assert_memory_equal(f.src_mac, mac_r, NET_ETH_ALEN);
	assert_int_equal(f.arp_spa, ADDR_R);
	assert_int_equal(f.arp_tpa, ADDR_L);
}

/* Every prefix of a valid frame is dropped, without reading past it. */
static void
test_truncation(void **state)
{
	static const struct {
		const uint8_t *frame;
		uint32_t len;
		uint32_t min_ok; /* shortest accepted prefix */
	} t[] = {
		{ v_syn, sizeof(v_syn), sizeof(v_syn) },
		{ v_synack, sizeof(v_synack), sizeof(v_synack) },
		{ v_data, sizeof(v_data), sizeof(v_data) },
		{ v_vlan_ack, sizeof(v_vlan_ack), sizeof(v_vlan_ack) },
		{ v_echo, sizeof(v_echo), sizeof(v_echo) },
		{ v_arp_req, sizeof(v_arp_req), sizeof(v_arp_req) },
		{ v_ack_padded, sizeof(v_ack_padded), 54 },
	};
	struct net_frame f;
	size_t i;
	uint32_t n;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(t); i++) {
		for (n = 0; n <= t[i].len; n++) {
			enum net_drop d = parse_copy(t[i].frame, n,
						     NET_CSUM_UNKNOWN,
						     NET_CSUM_UNKNOWN, &f);

			if (n < t[i].min_ok) {
				assert_int_not_equal(d, NET_DROP_NONE);
				assert_int_equal(f.kind, NET_KIND_DROP);
			} else {
				assert_int_equal(d, NET_DROP_NONE);
			}
		}
	}
	/* The first drop reasons seen while truncating a TCP frame. */
	assert_int_equal(parse_copy(v_syn, 13, 0, 0, &f), NET_DROP_ETH_SHORT);
	assert_int_equal(parse_copy(v_syn, 33, 0, 0, &f), NET_DROP_IP_SHORT);
	assert_int_equal(parse_copy(v_syn, 34, 0, 0, &f), NET_DROP_IP_TOTLEN);
	assert_int_equal(parse_copy(v_vlan_ack, 17, 0, 0, &f),
			 NET_DROP_ETH_SHORT);
	assert_int_equal(parse_copy(v_arp_req, 41, 0, 0, &f),
			 NET_DROP_ARP_MALFORMED);
}

/* Recompute the checksums of a test frame (untagged, IPv4 at 14). */
static void
fix_ip_csum(uint8_t *p)
{
	uint32_t ihl = (p[14] & 0x0f) * 4u;
	uint16_t c;

	p[24] = p[25] = 0;
	if (ihl < 20)
		ihl = 20;
	c = net_csum_fold(net_csum_partial(p + 14, ihl, 0));
	memcpy(p + 24, &c, 2);
}

static void
fix_l4_csum(uint8_t *p)
{
	uint32_t ihl = (p[14] & 0x0f) * 4u;
	uint32_t l4 = (uint32_t)(p[16] << 8 | p[17]) - ihl;
	uint8_t *h = p + 14 + ihl;
	uint32_t sa, da, sum = 0;
	uint16_t c;

	memcpy(&sa, p + 26, 4);
	memcpy(&da, p + 30, 4);
	if (p[23] == NET_IPPROTO_TCP) {
		h[16] = h[17] = 0;
		sum = net_tcp_pseudo_sum(__builtin_bswap32(sa),
					 __builtin_bswap32(da), (uint16_t)l4);
		c = net_csum_fold(net_csum_partial(h, l4, sum));
		memcpy(h + 16, &c, 2);
	} else {
		h[2] = h[3] = 0;
		c = net_csum_fold(net_csum_partial(h, l4, 0));
		memcpy(h + 2, &c, 2);
	}
}

#define FIX_IP 0x1
#define FIX_L4 0x2
#define MAX_EDITS 4

/* A malformed variant of a reference frame and the expected verdict. */
struct bad_case {
	const char *name;
	const uint8_t *frame;
	uint32_t len; /* 0: the whole frame */
	struct {
		uint16_t off;
		uint8_t val;
	} edit[MAX_EDITS];
	int nedit;
	int fix;
	enum net_csum_status ip_csum;
	enum net_csum_status l4_csum;
	enum net_drop expect;
};

#define V(a) (a), sizeof(a)
#define E1(o, v) { { (o), (v) } }, 1
#define E2(o1, v1, o2, v2) { { (o1), (v1) }, { (o2), (v2) } }, 2
#define E4(o1, v1, o2, v2, o3, v3, o4, v4) \
	{ { (o1), (v1) }, { (o2), (v2) }, { (o3), (v3) }, { (o4), (v4) } }, 4
#define E0 { { 0, 0 } }, 0

/* clang-format off */
static const struct bad_case bad_cases[] = {
	{ "eth empty", v_syn, 0, E0, 0, 0, 0, NET_DROP_ETH_SHORT },
	{ "eth ipv6 type, ipv4 header", V(v_syn), E2(12, 0x86, 13, 0xdd), 0,
	  0, 0, NET_DROP_IP6_VERSION },
	{ "eth lldp", V(v_syn), E2(12, 0x88, 13, 0xcc), 0, 0, 0,
	  NET_DROP_ETH_TYPE },
	{ "eth qinq", V(v_vlan_ack), E2(16, 0x81, 17, 0x00), 0, 0, 0,
	  NET_DROP_ETH_TYPE },
	{ "arp htype", V(v_arp_req), E1(15, 6), 0, 0, 0,
	  NET_DROP_ARP_MALFORMED },
	{ "arp ptype", V(v_arp_req), E1(16, 0x86), 0, 0, 0,
	  NET_DROP_ARP_MALFORMED },
	{ "arp hlen", V(v_arp_req), E1(18, 8), 0, 0, 0,
	  NET_DROP_ARP_MALFORMED },
	{ "arp plen", V(v_arp_req), E1(19, 16), 0, 0, 0,
	  NET_DROP_ARP_MALFORMED },
	{ "arp op 3", V(v_arp_req), E1(21, 3), 0, 0, 0,
	  NET_DROP_ARP_MALFORMED },
	{ "ip version 6", V(v_syn), E1(14, 0x65), FIX_IP, 0, 0,
	  NET_DROP_IP_VERSION },
	{ "ip ihl 4", V(v_syn), E1(14, 0x44), FIX_IP, 0, 0,
	  NET_DROP_IP_IHL },
	{ "ip ihl 0", V(v_syn), E1(14, 0x40), 0, 0, 0, NET_DROP_IP_IHL },
	{ "ip totlen > frame", V(v_syn), E1(17, 61), FIX_IP, 0, 0,
	  NET_DROP_IP_TOTLEN },
	{ "ip totlen < ihl", V(v_syn), E1(17, 19), FIX_IP, 0, 0,
	  NET_DROP_IP_TOTLEN },
	{ "ip ihl 15 > totlen", V(v_ack_padded), E1(14, 0x4f), 0, 0, 0,
	  NET_DROP_IP_TOTLEN },
	{ "ip csum", V(v_syn), E1(24, 0x00), 0, 0, 0, NET_DROP_IP_CSUM },
	{ "ip ttl changed", V(v_syn), E1(22, 0x3f), 0, 0, 0,
	  NET_DROP_IP_CSUM },
	{ "ip csum bad by device", V(v_syn), E0, 0, NET_CSUM_BAD, 0,
	  NET_DROP_IP_CSUM },
	{ "ip csum good by device", V(v_syn), E1(24, 0x00), 0, NET_CSUM_GOOD,
	  0, NET_DROP_NONE },
	{ "ip mf", V(v_syn), E1(20, 0x20), FIX_IP, 0, 0, NET_DROP_IP_FRAG },
	{ "ip frag offset", V(v_syn), E2(20, 0x40, 21, 0x01), FIX_IP, 0, 0,
	  NET_DROP_IP_FRAG },
	{ "ip frag offset high", V(v_syn), E1(20, 0x50), FIX_IP, 0, 0,
	  NET_DROP_IP_FRAG },
	{ "ip src zero", V(v_syn), E4(26, 0, 27, 0, 28, 0, 29, 0), FIX_IP,
	  0, 0, NET_DROP_IP_BAD_SRC },
	{ "ip src multicast", V(v_syn), E1(26, 224), FIX_IP, 0, 0,
	  NET_DROP_IP_BAD_SRC },
	{ "ip src loopback", V(v_syn), E1(26, 127), FIX_IP, 0, 0,
	  NET_DROP_IP_BAD_SRC },
	{ "ip src this network", V(v_syn), E1(26, 0), FIX_IP, 0, 0,
	  NET_DROP_IP_BAD_SRC },
	{ "ip src class e", V(v_syn), E1(26, 240), FIX_IP | FIX_L4, 0, 0,
	  NET_DROP_NONE },
	{ "ip src 239", V(v_echo), E1(26, 239), FIX_IP, 0, 0,
	  NET_DROP_IP_BAD_SRC },
	{ "ip src broadcast", V(v_syn),
	  E4(26, 255, 27, 255, 28, 255, 29, 255), FIX_IP, 0, 0,
	  NET_DROP_IP_BAD_SRC },
	{ "ip proto udp", V(v_syn), E1(23, 17), FIX_IP, 0, 0,
	  NET_DROP_IP_PROTO },
	{ "icmp short", V(v_echo), E1(17, 27), FIX_IP, 0, 0,
	  NET_DROP_ICMP_SHORT },
	{ "icmp csum", V(v_echo), E1(50, 'x'), 0, 0, 0, NET_DROP_ICMP_CSUM },
	{ "icmp csum ignores device", V(v_echo), E1(50, 'x'), 0, 0,
	  NET_CSUM_GOOD, NET_DROP_ICMP_CSUM },
	{ "icmp echo reply", V(v_echo), E1(34, 0), FIX_L4, 0, 0,
	  NET_DROP_ICMP_TYPE },
	{ "icmp timestamp", V(v_echo), E1(34, 13), FIX_L4, 0, 0,
	  NET_DROP_ICMP_TYPE },
	{ "tcp short", V(v_syn), E1(17, 39), FIX_IP, 0, 0,
	  NET_DROP_TCP_SHORT },
	{ "tcp doff 4", V(v_syn), E1(46, 0x40), FIX_L4, 0, 0,
	  NET_DROP_TCP_DOFF },
	{ "tcp doff 0", V(v_ack_padded), E1(46, 0x00), FIX_L4, 0, 0,
	  NET_DROP_TCP_DOFF },
	{ "tcp doff > len", V(v_syn), E1(46, 0xb0), FIX_L4, 0, 0,
	  NET_DROP_TCP_DOFF },
	{ "tcp doff into padding", V(v_ack_padded), E1(46, 0x60), FIX_L4, 0,
	  0, NET_DROP_TCP_DOFF },
	{ "tcp csum", V(v_syn), E1(51, 0x00), 0, 0, 0, NET_DROP_TCP_CSUM },
	{ "tcp payload flipped", V(v_data), E1(70, 'g'), 0, 0, 0,
	  NET_DROP_TCP_CSUM },
	{ "tcp pseudo dst", V(v_data), E2(33, 9, 25, 0), FIX_IP, 0, 0,
	  NET_DROP_TCP_CSUM },
	{ "tcp csum bad by device", V(v_syn), E0, 0, 0, NET_CSUM_BAD,
	  NET_DROP_TCP_CSUM },
	{ "tcp csum good by device", V(v_syn), E1(51, 0x00), 0, 0,
	  NET_CSUM_GOOD, NET_DROP_NONE },
	{ "tcp opt mss len 3", V(v_syn), E1(55, 3), FIX_L4, 0, 0,
	  NET_DROP_TCP_OPTS },
	{ "tcp opt ws len 0", V(v_syn), E1(72, 0), FIX_L4, 0, 0,
	  NET_DROP_TCP_OPTS },
	{ "tcp opt ts overruns", V(v_syn), E1(61, 40), FIX_L4, 0, 0,
	  NET_DROP_TCP_OPTS },
	{ "tcp sport zero", V(v_syn), E2(34, 0, 35, 0), FIX_L4, 0, 0,
	  NET_DROP_TCP_PORT_ZERO },
	{ "tcp dport zero", V(v_data), E2(36, 0, 37, 0), FIX_L4, 0, 0,
	  NET_DROP_TCP_PORT_ZERO },
	{ "tcp any flags", V(v_syn), E1(47, 0xff), FIX_L4, 0, 0,
	  NET_DROP_NONE },
};
/* clang-format on */

/*
 * A TCP frame with IP and TCP options and a payload of any length, its
 * checksums right: ihl and doff in 32-bit words. Returns its length.
 */
static uint32_t
make_tcp_frame(uint8_t *p, uint32_t ihl, uint32_t doff, uint32_t plen)
{
	uint32_t iphl = ihl * 4, thl = doff * 4, tot = iphl + thl + plen, i;
	uint8_t *ip = p + 14, *tcp = ip + iphl;

	memset(p, 0, 14 + tot);
	p[12] = 0x08;
	ip[0] = (uint8_t)(0x40 | ihl);
	ip[2] = (uint8_t)(tot >> 8);
	ip[3] = (uint8_t)tot;
	ip[8] = 64;
	ip[9] = NET_IPPROTO_TCP;
	memcpy(ip + 12, (const uint8_t[]){ 198, 18, 1, 2, 198, 18, 0, 1 }, 8);
	/* IP and TCP options: NOPs. */
	for (i = 20; i < iphl; i++)
		ip[i] = 1;
	memcpy(tcp, (const uint8_t[]){ 0x9c, 0x40, 0, 80, 1, 2, 3, 4 }, 8);
	tcp[12] = (uint8_t)(doff << 4);
	tcp[13] = NET_TCP_ACK;
	tcp[14] = 0xff;
	for (i = 20; i < thl; i++)
		tcp[i] = 1;
	for (i = 0; i < plen; i++)
		tcp[thl + i] = (uint8_t)(i * 7 + 1);
	fix_ip_csum(p);
	fix_l4_csum(p);
	return 14 + tot;
}

/*
 * The checksums of every header and payload length: a right frame
 * passes, and any single-bit error in the IP header or the segment
 * (header, options or payload, whatever its alignment) is dropped.
 */
static void
test_csum_every_length(void **state)
{
	uint32_t ihl, doff, plen, len, bit;
	struct net_frame f;
	uint8_t buf[14 + 60 + 60 + 24];

	(void)state;
	for (ihl = 5; ihl <= 15; ihl += 5) {
		for (doff = 5; doff <= 15; doff++) {
			for (plen = 0; plen <= 24; plen++) {
				len = make_tcp_frame(buf, ihl, doff, plen);
				assert_int_equal(net_parse(buf, len, 0, 0, &f),
						 NET_DROP_NONE);
				assert_int_equal(f.seg.len, plen);
				for (bit = 14 * 8; bit < len * 8; bit++) {
					buf[bit / 8] ^= (uint8_t)(1u
								  << bit % 8);
					assert_int_not_equal(net_parse(buf, len,
								       0, 0,
								       &f),
							     NET_DROP_NONE);
					buf[bit / 8] ^= (uint8_t)(1u
								  << bit % 8);
				}
			}
		}
	}
}

static void
test_malformed(void **state)
{
	struct net_frame f;
	uint8_t buf[128];
	size_t i;
	int j;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad_cases); i++) {
		const struct bad_case *c = &bad_cases[i];
		enum net_drop d;

		print_message("case %s\n", c->name);
		assert_true(c->len <= sizeof(buf));
		memcpy(buf, c->frame, c->len);
		for (j = 0; j < c->nedit; j++)
			buf[c->edit[j].off] = c->edit[j].val;
		if (c->fix & FIX_L4)
			fix_l4_csum(buf);
		if (c->fix & (FIX_IP | FIX_L4))
			fix_ip_csum(buf);
		d = parse_copy(buf, c->len, c->ip_csum, c->l4_csum, &f);
		assert_string_equal(net_drop_name(d), net_drop_name(c->expect));
		assert_int_equal(f.kind == NET_KIND_DROP,
				 c->expect != NET_DROP_NONE);
	}
}

/* Options in the IPv4 header are skipped, for TCP and for ICMP. */
static void
test_ip_options(void **state)
{
	static const uint8_t ipopt[4] = { 1, 1, 1, 0 };
	const uint8_t *src[] = { v_syn, v_echo };
	const uint32_t len[] = { sizeof(v_syn), sizeof(v_echo) };
	struct net_frame f;
	uint8_t buf[128];
	size_t i;

	(void)state;
	for (i = 0; i < 2; i++) {
		memcpy(buf, src[i], 34);
		memcpy(buf + 34, ipopt, 4);
		memcpy(buf + 38, src[i] + 34, len[i] - 34);
		buf[14] = 0x46;
		buf[17] += 4;
		fix_ip_csum(buf);
		assert_int_equal(parse_copy(buf, len[i] + 4, 0, 0, &f),
				 NET_DROP_NONE);
		assert_int_equal(f.l4_off, 38);
		assert_int_equal(f.l4_len, len[i] - 34);
		assert_int_equal(f.l3_len, len[i] - 10);
	}
	assert_int_equal(f.kind, NET_KIND_ICMP_ECHO);
}

/*
 * IPv4 options (8 bytes, IHL 7) in front of the TCP or ICMP of src
 * (34 bytes of headers, then len - 34 of TCP or ICMP), into buf.
 */
static uint32_t
with_ip_opts(uint8_t *buf, const uint8_t *src, uint32_t len, const uint8_t *opt)
{
	memcpy(buf, src, 34);
	memcpy(buf + 34, opt, 8);
	memcpy(buf + 42, src + 34, len - 34);
	buf[14] = 0x47;
	buf[17] += 8;
	fix_ip_csum(buf);
	return len + 8;
}

/*
 * RFC 7126 4.3.4, 4.4.4: a loose or strict source route, wherever it is
 * among the options, drops the datagram (TCP or ICMP); record route and
 * timestamps do not. A malformed list (an option of length 0 or 1, or
 * one running past the header) is dropped as Linux does: it hid a source
 * route behind it, and a length of 0 or 1 must end the walk.
 */
static void
test_ip_source_route(void **state)
{
	static const struct {
		uint8_t opt[8];
		enum net_drop expect;
	} c[] = {
		/* LSRR, one hop, the route done (pointer past it). */
		{ { 131, 7, 8, 198, 18, 0, 9, 0 }, NET_DROP_IP_SRR },
		/* SSRR after NOPs. */
		{ { 1, 137, 7, 8, 198, 18, 0, 9 }, NET_DROP_IP_SRR },
		/* LSRR after a router alert. */
		{ { 148, 4, 0, 0, 131, 3, 4, 0 }, NET_DROP_IP_SRR },
		/* Record route, then end of list. */
		{ { 7, 7, 4, 0, 0, 0, 0, 0 }, NET_DROP_NONE },
		/* A length past the header, a source route behind it. */
		{ { 68, 12, 5, 0, 131, 3, 4, 0 }, NET_DROP_IP_OPTS },
		/* Lengths 0 and 1. */
		{ { 68, 0, 5, 0, 0, 0, 0, 0 }, NET_DROP_IP_OPTS },
		{ { 68, 1, 5, 0, 0, 0, 0, 0 }, NET_DROP_IP_OPTS },
		/* A last option with no room for its length. */
		{ { 1, 1, 1, 1, 1, 1, 1, 68 }, NET_DROP_IP_OPTS },
		/* A source route after the end of the list is none. */
		{ { 1, 0, 131, 3, 4, 0, 0, 0 }, NET_DROP_NONE },
	};
	const uint8_t *src[] = { v_syn, v_echo };
	const uint32_t len[] = { sizeof(v_syn), sizeof(v_echo) };
	struct net_frame f;
	uint8_t buf[128];
	size_t i, j;
	uint32_t n;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(c); i++) {
		for (j = 0; j < 2; j++) {
			print_message("options %zu, %s\n", i,
				      j ? "echo" : "syn");
			n = with_ip_opts(buf, src[j], len[j], c[i].opt);
			assert_string_equal(net_drop_name(parse_copy(buf, n, 0,
								     0, &f)),
					    net_drop_name(c[i].expect));
		}
	}
}

struct opt_case {
	const char *name;
	uint8_t b[NET_TCP_MAX_OPTLEN];
	uint32_t len;
	int rc;
	struct opt_want want;
};

#define OPT_ALL (NET_OPT_MSS | NET_OPT_SACK_OK | NET_OPT_TS | NET_OPT_WSCALE)

/* clang-format off */
static const struct opt_case opt_cases[] = {
	{ "empty", { 0 }, 0, 0, { 0, 0, 0, 0, 0 } },
	{ "nops", { 1, 1, 1, 1 }, 4, 0, { 0, 0, 0, 0, 0 } },
	{ "eol stops", { 0, 2, 1 }, 3, 0, { 0, 0, 0, 0, 0 } },
	{ "mss", { 2, 4, 0x05, 0xb4 }, 4, 0, { NET_OPT_MSS, 0, 1460, 0, 0 } },
	{ "mss 65535", { 2, 4, 0xff, 0xff }, 4, 0,
	  { NET_OPT_MSS, 0, 65535, 0, 0 } },
	{ "mss len 3", { 2, 3, 5, 1 }, 4, -1, { 0, 0, 0, 0, 0 } },
	{ "mss len 5", { 2, 5, 5, 0xb4, 0 }, 5, -1, { 0, 0, 0, 0, 0 } },
	{ "ws", { 1, 3, 3, 14 }, 4, 0, { NET_OPT_WSCALE, 14, 0, 0, 0 } },
	{ "ws not clamped", { 3, 3, 200, 0 }, 4, 0,
	  { NET_OPT_WSCALE, 200, 0, 0, 0 } },
	{ "ws len 2", { 3, 2, 1, 1 }, 4, -1, { 0, 0, 0, 0, 0 } },
	{ "sack ok", { 1, 1, 4, 2 }, 4, 0, { NET_OPT_SACK_OK, 0, 0, 0, 0 } },
	{ "sack ok len 3", { 4, 3, 0, 1 }, 4, -1, { 0, 0, 0, 0, 0 } },
	{ "sack 1 block", { 1, 1, 5, 10, 1, 2, 3, 4, 5, 6, 7, 8 }, 12, 0,
	  { NET_OPT_SACK, 0, 0, 0, 0 } },
	{ "sack len 9", { 5, 9, 1, 2, 3, 4, 5, 6, 7, 1, 1, 1 }, 12, -1,
	  { 0, 0, 0, 0, 0 } },
	{ "sack no block", { 5, 2, 1, 1 }, 4, -1, { 0, 0, 0, 0, 0 } },
	{ "ts", { 1, 1, 8, 10, 0, 0, 0, 1, 0xff, 0xff, 0xff, 0xfe }, 12, 0,
	  { NET_OPT_TS, 0, 0, 1, 0xfffffffe } },
	{ "ts len 8", { 8, 8, 0, 0, 0, 1, 0, 0 }, 8, -1, { 0, 0, 0, 0, 0 } },
	{ "unknown skipped", { 30, 4, 9, 9, 2, 4, 1, 0 }, 8, 0,
	  { NET_OPT_MSS, 0, 256, 0, 0 } },
	{ "unknown len 1", { 30, 1, 1, 1 }, 4, -1, { 0, 0, 0, 0, 0 } },
	{ "unknown len 0", { 30, 0, 1, 1 }, 4, -1, { 0, 0, 0, 0, 0 } },
	{ "unknown overruns", { 99, 10, 0, 0 }, 4, -1, { 0, 0, 0, 0, 0 } },
	{ "kind without length", { 1, 1, 1, 2 }, 4, -1, { 0, 0, 0, 0, 0 } },
	{ "mss overruns", { 1, 2, 4, 5 }, 4, -1, { 0, 0, 0, 0, 0 } },
	{ "linux syn", { 2, 4, 5, 0xb4, 4, 2, 8, 10, 0, 0, 1, 0, 0, 0, 0, 0,
			 1, 3, 3, 7 }, 20, 0,
	  { OPT_ALL, 7, 1460, 256, 0 } },
	{ "linux syn without sack", { 2, 4, 5, 0xb4, 1, 1, 8, 10, 0, 0, 1, 0,
				      0, 0, 0, 9, 1, 3, 3, 7 }, 20, 0,
	  { NET_OPT_MSS | NET_OPT_TS | NET_OPT_WSCALE, 7, 1460, 256, 9 } },
	{ "forty bytes", { 2, 4, 2, 0x18, 1, 1, 8, 10, 0, 0, 0, 5, 0, 0, 0, 6,
			   1, 3, 3, 2, 1, 1, 5, 18, 1, 2, 3, 4, 5, 6, 7, 8,
			   1, 2, 3, 4, 5, 6, 7, 8 }, 40, 0,
	  { NET_OPT_MSS | NET_OPT_TS | NET_OPT_WSCALE | NET_OPT_SACK, 2, 536,
	    5, 6 } },
	{ "garbage after eol", { 2, 4, 5, 0xb4, 0, 77, 1, 99 }, 8, 0,
	  { NET_OPT_MSS, 0, 1460, 0, 0 } },
};
/* clang-format on */

static void
test_tcp_options(void **state)
{
	struct net_tcp_opts o;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(opt_cases); i++) {
		const struct opt_case *c = &opt_cases[i];
		uint8_t *b = malloc(c->len ? c->len : 1);

		print_message("options %s\n", c->name);
		assert_non_null(b);
		memcpy(b, c->b, c->len);
		memset(&o, 0xa5, sizeof(o));
		assert_int_equal(net_tcp_parse_opts(b, c->len, &o), c->rc);
		free(b);
		if (c->rc != 0)
			continue;
		assert_int_equal(o.has, c->want.has);
		assert_int_equal(o.mss, c->want.mss);
		assert_int_equal(o.wscale, c->want.wscale);
		assert_int_equal(o.tsval, c->want.tsval);
		assert_int_equal(o.tsecr, c->want.tsecr);
	}
}

/*
 * The layouts read at once must read as the general loop does: every
 * byte of Linux's SYN options, with and without SACK-permitted (and of
 * the NOP, NOP, timestamps one) set to values that keep or break the
 * layout, parsed as is and followed by an EOL (a length no shortcut
 * takes: the general loop), gives the same result, options and verdict
 * alike.
 */
static void
test_tcp_options_layouts(void **state)
{
	static const uint8_t
		base[][20] = {
			{ 2, 4, 5, 0xb4, 4, 2, 8, 10, 1, 2,
			  3, 4, 5, 6,	 7, 8, 1, 3,  3, 7 },
			{ 1, 1, 8, 10, 1, 2, 3, 4, 5, 6, 7, 8 },
			{ 2, 4, 5, 0xb4, 1, 1, 8, 10, 1, 2,
			  3, 4, 5, 6,	 7, 8, 1, 3,  3, 7 },
		};
	static const uint32_t blen[] = { 20, 12, 20 };
	static const uint8_t vals[] = { 0, 1, 2, 3, 4, 5, 8, 10, 0x80, 0xff };
	struct net_tcp_opts a, b;
	uint8_t buf[24];
	size_t k, i, v;
	int ra, rb;

	(void)state;
	for (k = 0; k < ARRAY_SIZE(base); k++) {
		for (i = 0; i < blen[k]; i++) {
			for (v = 0; v < ARRAY_SIZE(vals); v++) {
				memset(buf, 0, sizeof(buf));
				memcpy(buf, base[k], blen[k]);
				buf[i] = vals[v];
				ra = net_tcp_parse_opts(buf, blen[k], &a);
				rb = net_tcp_parse_opts(buf, blen[k] + 1, &b);
				assert_int_equal(ra, rb);
				if (ra == 0)
					assert_memory_equal(&a, &b, sizeof(a));
			}
		}
	}
}

/* Build description matching one of the reference frames. */
static void
vec_build(struct net_tcp_build *b, const struct vec_case *c, uint8_t ttl)
{
	memset(b, 0, sizeof(*b));
	b->src_mac = c->frame + 6;
	b->dst_mac = c->frame;
	b->saddr = c->saddr;
	b->daddr = c->daddr;
	b->sport = c->sport;
	b->dport = c->dport;
	b->seq = c->seq;
	b->ack = c->ack;
	b->wnd = c->wnd;
	b->flags = c->flags;
	b->ttl = ttl;
	memset(&b->opts, 0, sizeof(b->opts));
	b->opts.has = c->opts.has;
	b->opts.wscale = c->opts.wscale;
	b->opts.mss = c->opts.mss;
	b->opts.tsval = c->opts.tsval;
	b->opts.tsecr = c->opts.tsecr;
	b->payload_len = c->data_len;
}

/*
 * The reference frame as we send it: IP ID 0 (the references carry
 * other IDs) and the IPv4 checksum that goes with it.
 */
static void
vec_expect(uint8_t *want, const struct vec_case *c, uint32_t len)
{
	uint16_t sum;

	memcpy(want, c->frame, len);
	want[18] = 0;
	want[19] = 0;
	want[24] = 0;
	want[25] = 0;
	sum = net_csum_fold(net_csum_partial(want + 14, 20, 0));
	memcpy(want + 24, &sum, 2);
}

/* The builder reproduces the reference frames byte for byte. */
static void
test_build_vectors(void **state)
{
	static const struct {
		int vec;
		uint8_t ttl;
		uint32_t len;
	} t[] = {
		{ 0, 64, sizeof(v_syn) },
		{ 1, 0, sizeof(v_synack) },
		{ 2, 63, sizeof(v_data) },
		{ 4, 64, 54 },
	};
	struct net_tcp_build b;
	uint8_t buf[256], want[256];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(t); i++) {
		const struct vec_case *c = &vec_cases[t[i].vec];
		uint32_t h;

		vec_build(&b, c, t[i].ttl);
		memset(buf, 0xee, sizeof(buf));
		h = net_build_tcp(buf, sizeof(buf), &b);
		assert_int_equal(h + c->data_len, t[i].len);
		memcpy(buf + h, c->frame + h, c->data_len);
		net_tcp_finish(buf, false);
		vec_expect(want, c, t[i].len);
		assert_memory_equal(buf, want, t[i].len);
	}
}

/*
 * RFC 6864 4.1: the ID of an atomic datagram (DF set, not a fragment)
 * serves nothing, so every segment carries ID 0 and DF: the field counts
 * nothing an idle scan could read, whatever the caller's description
 * holds besides the fields that make the segment.
 */
static void
test_build_ip_id_atomic(void **state)
{
	struct net_tcp_build b;
	uint8_t buf[256];
	struct net_frame f;
	uint32_t h;
	int i;

	(void)state;
	for (i = 0; i < 3; i++) {
		memset(&b, 0x5a + i, sizeof(b));
		b.src_mac = mac_l;
		b.dst_mac = mac_r;
		b.saddr = ADDR_L;
		b.daddr = ADDR_R;
		b.saddr6 = NULL; /* IPv4 */
		b.daddr6 = NULL;
		b.sport = 80;
		b.dport = (uint16_t)(40000 + i);
		b.seq = 1000u * (uint32_t)i;
		b.ack = 7;
		b.wnd = 512;
		b.flags = NET_TCP_ACK;
		b.ttl = 64;
		b.vlan = 0;
		memset(&b.opts, 0, sizeof(b.opts));
		b.payload_len = 0;
		h = net_build_tcp(buf, sizeof(buf), &b);
		assert_int_equal(h, 54);
		net_tcp_finish(buf, false);
		assert_int_equal(buf[12], 0x08);
		assert_int_equal(buf[13], 0x00);
		/* Identification 0; flags DF, fragment offset 0. */
		assert_int_equal(buf[18], 0);
		assert_int_equal(buf[19], 0);
		assert_int_equal(buf[20], 0x40);
		assert_int_equal(buf[21], 0);
		assert_int_equal(parse_copy(buf, h, 0, 0, &f), NET_DROP_NONE);
	}
}

/*
 * A segment without options leaves none in the frame view, even one that
 * held a SYN's options: the parser reads no options for a 20-byte TCP
 * header and relies on clearing the view first. A payload word of 0000
 * and one of ffff add the same to the one's complement sum (RFC 1071
 * 1), so the checksum verifies either way.
 */
static void
test_parse_opts_reset(void **state)
{
	struct net_tcp_build b;
	struct net_tcp_opts none;
	struct net_frame f;
	uint8_t buf[256];
	uint32_t h;

	(void)state;
	memset(&b, 0, sizeof(b));
	b.src_mac = mac_l;
	b.dst_mac = mac_r;
	b.saddr = ADDR_L;
	b.daddr = ADDR_R;
	b.sport = 80;
	b.dport = 40000;
	b.seq = 1;
	b.wnd = 512;
	b.flags = NET_TCP_SYN;
	b.ttl = 64;
	b.opts.has = NET_OPT_MSS | NET_OPT_TS | NET_OPT_WSCALE;
	b.opts.mss = 1460;
	b.opts.wscale = 7;
	b.opts.tsval = 11;
	b.opts.tsecr = 22;
	h = net_build_tcp(buf, sizeof(buf), &b);
	net_tcp_finish(buf, false);
	assert_int_equal(parse_copy(buf, h, 0, 0, &f), NET_DROP_NONE);
	assert_int_equal(f.seg.opts.has, b.opts.has);

	memset(&b.opts, 0, sizeof(b.opts));
	b.flags = NET_TCP_ACK;
	b.payload_len = 4;
	h = net_build_tcp(buf, sizeof(buf), &b);
	assert_int_equal(h, 54);
	memcpy(buf + 54, "\x00\x00\x12\x34", 4);
	net_tcp_finish(buf, false);
	assert_int_equal(parse_copy(buf, 58, 0, 0, &f), NET_DROP_NONE);
	memset(&none, 0, sizeof(none));
	assert_memory_equal(&f.seg.opts, &none, sizeof(none));
	assert_int_equal(f.seg.len, 4);

	buf[54] = 0xff;
	buf[55] = 0xff;
	assert_int_equal(parse_copy(buf, 58, 0, 0, &f), NET_DROP_NONE);
	buf[56] ^= 0x01;
	assert_int_equal(parse_copy(buf, 58, 0, 0, &f), NET_DROP_TCP_CSUM);
}

/*
 * A port on a VLAN tags what it sends: the TCP segment and ARP frames
 * carry the 802.1Q tag, the checksums are right behind it, and the
 * parser reports the VLAN ID (a segment used to go out untagged, so a
 * reply to a tagged peer landed on the native VLAN).
 */
static void
test_build_vlan(void **state)
{
	struct net_tcp_build b;
	uint8_t buf[256];
	struct net_frame f;
	uint32_t h;

	(void)state;
	vec_build(&b, &vec_cases[2], 64);
	b.vlan = 100;
	h = net_build_tcp(buf, sizeof(buf), &b);
	assert_int_equal(h + vec_cases[2].data_len, sizeof(v_data) + 4);
	memcpy(buf + h, vec_cases[2].frame + h - 4, vec_cases[2].data_len);
	net_tcp_finish(buf, false);
	assert_int_equal(buf[12], 0x81);
	assert_int_equal(buf[13], 0x00);
	assert_int_equal(buf[14], 0x00);
	assert_int_equal(buf[15], 100);
	assert_int_equal(buf[16], 0x08);
	assert_int_equal(buf[17], 0x00);
	assert_int_equal(parse_copy(buf, h + vec_cases[2].data_len, 0, 0, &f),
			 NET_DROP_NONE);
	assert_int_equal(f.kind, NET_KIND_TCP);
	assert_int_equal(f.vlan, 100);
	assert_int_equal(f.seg.len, vec_cases[2].data_len);
	/* Untagged, the parser says so. */
	b.vlan = 0;
	h = net_build_tcp(buf, sizeof(buf), &b);
	net_tcp_finish(buf, false);
	assert_int_equal(parse_copy(buf, h + vec_cases[2].data_len, 0, 0, &f),
			 NET_DROP_NONE);
	assert_int_equal(f.vlan, 0);
	/* ARP, tagged. */
	assert_int_equal(net_build_arp(buf, 45, 4094, NET_ARP_OP_REPLY, mac_l,
				       ADDR_L, mac_r, ADDR_R),
			 0);
	assert_int_equal(net_build_arp(buf, 46, 4094, NET_ARP_OP_REPLY, mac_l,
				       ADDR_L, mac_r, ADDR_R),
			 46);
	assert_int_equal(buf[14], 0x0f);
	assert_int_equal(buf[15], 0xfe);
	assert_int_equal(parse_copy(buf, 46, 0, 0, &f), NET_DROP_NONE);
	assert_int_equal(f.kind, NET_KIND_ARP);
	assert_int_equal(f.vlan, 4094);
	assert_int_equal(f.arp_spa, ADDR_L);
}

/* Option layouts as Linux writes them, for the combinations it uses. */
static void
test_build_opt_layout(void **state)
{
	static const struct {
		uint8_t has;
		uint32_t len;
		uint8_t b[20];
	} t[] = {
		{ 0, 0, { 0 } },
		{ NET_OPT_MSS, 4, { 2, 4, 0x12, 0x34 } },
		{ NET_OPT_SACK_OK, 4, { 1, 1, 4, 2 } },
		{ NET_OPT_TS, 12, { 1, 1, 8, 10, 0, 0, 0, 5, 0, 0, 0, 6 } },
		{ NET_OPT_WSCALE, 4, { 1, 3, 3, 9 } },
		{ NET_OPT_MSS | NET_OPT_WSCALE | NET_OPT_SACK_OK,
		  12,
		  { 2, 4, 0x12, 0x34, 1, 1, 4, 2, 1, 3, 3, 9 } },
		{ OPT_ALL, 20, { 2, 4, 0x12, 0x34, 4, 2, 8, 10, 0, 0,
				 0, 5, 0,    0,	   0, 6, 1, 3,	3, 9 } },
	};
	struct net_tcp_build b;
	uint8_t buf[128];
	size_t i;

	(void)state;
	vec_build(&b, &vec_cases[0], 0);
	b.opts.mss = 0x1234;
	b.opts.wscale = 9;
	b.opts.tsval = 5;
	b.opts.tsecr = 6;
	for (i = 0; i < ARRAY_SIZE(t); i++) {
		b.opts.has = t[i].has;
		assert_int_equal(net_build_tcp(buf, sizeof(buf), &b),
				 54 + t[i].len);
		assert_int_equal(buf[46] >> 4, 5 + t[i].len / 4);
		assert_memory_equal(buf + 54, t[i].b, t[i].len);
	}
}

/* Build, finish and parse back every option set and some payloads. */
static void
test_build_roundtrip(void **state)
{
	static const uint32_t plen[] = { 0, 1, 2, 3, 1000, 1459 };
	struct net_tcp_build b;
	struct net_frame f;
	uint8_t buf[1600];
	uint32_t has, k, h, i;

	(void)state;
	for (has = 0; has < 16; has++) {
		for (k = 0; k < ARRAY_SIZE(plen); k++) {
			memset(&b, 0, sizeof(b));
			b.src_mac = mac_l;
			b.dst_mac = mac_r;
			b.saddr = ADDR_L;
			b.daddr = 0x0a000000u | (rng() & 0xffffff);
			b.sport = (uint16_t)(1 + rng() % 65535);
			b.dport = (uint16_t)(1 + rng() % 65535);
			b.seq = rng();
			b.ack = rng();
			b.wnd = (uint16_t)rng();
			b.flags = (uint8_t)rng();
			b.opts.has = (uint8_t)has;
			b.opts.mss = (uint16_t)rng();
			b.opts.wscale = (uint8_t)(rng() % 15);
			b.opts.tsval = rng();
			b.opts.tsecr = rng();
			b.payload_len = plen[k];
			h = net_build_tcp(buf, sizeof(buf), &b);
			assert_true(h >= 54 && (h - 54) % 4 == 0);
			for (i = 0; i < plen[k]; i++)
				buf[h + i] = (uint8_t)rng();
			net_tcp_finish(buf, false);
			assert_int_equal(parse_copy(buf, h + plen[k], 0, 0, &f),
					 NET_DROP_NONE);
			assert_int_equal(f.kind, NET_KIND_TCP);
			assert_int_equal(f.ttl, 64);
			assert_int_equal(buf[20], 0x40); /* DF */
			assert_int_equal(f.seg.saddr, b.saddr);
			assert_int_equal(f.seg.daddr, b.daddr);
			assert_int_equal(f.seg.sport, b.sport);
			assert_int_equal(f.seg.dport, b.dport);
			assert_int_equal(f.seg.seq, b.seq);
			assert_int_equal(f.seg.ack, b.ack);
			assert_int_equal(f.seg.wnd, b.wnd);
			assert_int_equal(f.seg.flags, b.flags);
			assert_int_equal(f.seg.len, plen[k]);
			assert_ptr_equal(f.seg.data, buf + h);
			assert_int_equal(f.seg.opts.has, has);
			if (has & NET_OPT_MSS)
				assert_int_equal(f.seg.opts.mss, b.opts.mss);
			if (has & NET_OPT_WSCALE)
				assert_int_equal(f.seg.opts.wscale,
						 b.opts.wscale);
			if (has & NET_OPT_TS) {
				assert_int_equal(f.seg.opts.tsval,
						 b.opts.tsval);
				assert_int_equal(f.seg.opts.tsecr,
						 b.opts.tsecr);
			}
		}
	}
}

static void
test_build_cap(void **state)
{
	struct net_tcp_build b;
	uint8_t buf[200];

	(void)state;
	vec_build(&b, &vec_cases[0], 0); /* 74 bytes of headers */
	b.payload_len = 100;
	assert_int_equal(net_build_tcp(buf, 174, &b), 74);
	assert_int_equal(net_build_tcp(buf, 173, &b), 0);
	assert_int_equal(net_build_tcp(buf, 73, &b), 0);
	b.payload_len = 0;
	assert_int_equal(net_build_tcp(buf, 74, &b), 74);
	assert_int_equal(net_build_tcp(buf, 0, &b), 0);
	/* The IPv4 total length must fit in 16 bits. */
	b.payload_len = 65535 - 60 + 1;
	assert_int_equal(net_build_tcp(buf, UINT32_MAX, &b), 0);
	b.payload_len = UINT32_MAX;
	assert_int_equal(net_build_tcp(buf, UINT32_MAX, &b), 0);
}

static uint16_t
rd16be(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* Checksum offload leaves what a device needs to produce the same frame. */
static void
test_finish_offload(void **state)
{
	struct net_tcp_build b;
	uint8_t sw[1600], hw[1600], ph[12];
	uint32_t h, n, plen;
	uint16_t c;

	(void)state;
	for (n = 0; n < 64; n++) {
		vec_build(&b, &vec_cases[n % 4], 0);
		plen = rng() % 1500;
		b.payload_len = plen;
		h = net_build_tcp(sw, sizeof(sw), &b);
		assert_int_not_equal(h, 0);
		for (uint32_t i = 0; i < plen; i++)
			sw[h + i] = (uint8_t)rng();
		memcpy(hw, sw, h + plen);
		net_tcp_finish(sw, false);
		net_tcp_finish(hw, true);
		/* IPv4 checksum left zero, TCP field holds the pseudo sum. */
		assert_int_equal(hw[24] | hw[25], 0);
		memcpy(ph, sw + 26, 8);
		ph[8] = 0;
		ph[9] = NET_IPPROTO_TCP;
		ph[10] = (uint8_t)((h + plen - 34) >> 8);
		ph[11] = (uint8_t)(h + plen - 34);
		c = (uint16_t)~net_csum_fold(net_csum_partial(ph, 12, 0));
		assert_memory_equal(hw + 50, &c, 2);
		/* Device: checksum the IPv4 header and the TCP segment. */
		c = net_csum_fold(net_csum_partial(hw + 14, 20, 0));
		memcpy(hw + 24, &c, 2);
		c = net_csum_fold(net_csum_partial(hw + 34, h + plen - 34, 0));
		memcpy(hw + 50, &c, 2);
		assert_memory_equal(hw, sw, h + plen);
	}
}

/* Random header fields, options, VLAN and family for b. */
static void
rand_build(struct net_tcp_build *b, const uint8_t *a6)
{
	static const uint8_t mac[NET_ETH_ALEN] = { 2, 0, 0, 0, 0, 1 };
	uint32_t i;

	memset(b, 0, sizeof(*b));
	b->src_mac = mac;
	b->dst_mac = mac;
	b->saddr = rng();
	b->daddr = rng();
	if (rng() % 3 == 0) {
		b->saddr6 = a6;
		b->daddr6 = a6 + 16;
	}
	b->sport = (uint16_t)rng();
	b->dport = (uint16_t)rng();
	b->seq = rng();
	b->ack = rng();
	b->wnd = (uint16_t)rng();
	b->flags = (uint8_t)rng();
	b->ttl = (uint8_t)rng();
	b->vlan = rng() % 2 ? (uint16_t)(rng() % 4095 + 1) : 0;
	b->opts.has = (uint8_t)rng();
	b->opts.mss = (uint16_t)rng();
	b->opts.wscale = (uint8_t)rng();
	b->opts.tsval = rng();
	b->opts.tsecr = rng();
	b->opts.nsack = rng() % (NET_SACK_MAX + 1);
	for (i = 0; i < NET_SACK_MAX; i++) {
		b->opts.sack[i].start = rng();
		b->opts.sack[i].end = rng();
	}
	b->payload_len = rng() % 3 == 0 ? rng() % 1400 : rng() % 64;
}

/*
 * net_build_tcp_sums() with the checksum finished in software, or left
 * to offload, makes the frames net_build_tcp() and net_tcp_finish() do,
 * byte for byte, for both families, tagged or not, any payload length.
 */
static void
test_build_sums(void **state)
{
	uint8_t a6[32], ref[1600], sw[1600], hw[1600];
	struct net_tcp_build b;
	uint32_t n, i, h, l4, len;

	(void)state;
	for (n = 0; n < 2000; n++) {
		for (i = 0; i < sizeof(a6); i++)
			a6[i] = (uint8_t)(n % 5 == 0 ? 0xff : rng());
		rand_build(&b, a6);
		h = net_build_tcp(ref, sizeof(ref), &b);
		assert_int_not_equal(h, 0);
		len = h + b.payload_len;
		for (i = h; i < len; i++)
			ref[i] = (uint8_t)(n % 5 == 0 ? 0xff : rng());
		/* The payload is in place; the headers are written again. */
		memcpy(sw, ref, len);
		memcpy(hw, ref, len);
		assert_int_equal(net_build_tcp_sums(sw, sizeof(sw), &b,
						    NET_TCP_SUMS_SOFTWARE, &l4),
				 h);
		assert_int_equal(l4, h - (uint32_t)(ref[l4 + 12] >> 4) * 4);
		net_tcp_csum_complete(sw + l4, len - l4);
		assert_int_equal(net_build_tcp_sums(hw, sizeof(hw), &b,
						    NET_TCP_SUMS_OFFLOAD, &l4),
				 h);
		net_tcp_finish(ref, false);
		assert_memory_equal(sw, ref, len);
		memcpy(sw, ref, len);
		net_tcp_finish(sw, true);
		assert_memory_equal(hw, sw, len);
	}
}

/* Plain RFC 1071 checksum, big-endian words, in host order. */
static uint16_t
ref_csum(const uint8_t *p, uint32_t len)
{
	uint64_t sum = 0;
	uint32_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static uint16_t
csum_host(const void *p, uint32_t len, uint32_t sum)
{
	uint16_t c = net_csum_fold(net_csum_partial(p, len, sum));

	return rd16be((const uint8_t *)&c);
}

/*
 * Every length up to 200 at every offset in a word, with bytes that all
 * carry (0xff) and with a pattern: the tail of 1..7 bytes, each block
 * size and up to three 64-byte rounds are summed as RFC 1071 says.
 */
static void
test_csum_lengths(void **state)
{
	uint8_t buf[208];
	uint32_t off, len, i, fill;

	(void)state;
	for (fill = 0; fill < 2; fill++) {
		for (i = 0; i < sizeof(buf); i++)
			buf[i] = fill ? 0xff : (uint8_t)(i * 37 + 11);
		for (off = 0; off < 8; off++)
			for (len = 0; len <= 200; len++)
				assert_int_equal(csum_host(buf + off, len, 0),
						 ref_csum(buf + off, len));
	}
}

static void
test_csum_random(void **state)
{
	enum { MAX = 4096 };
	uint8_t *buf = malloc(MAX + 8);
	uint32_t n, i, off, len, k;

	(void)state;
	assert_non_null(buf);
	for (n = 0; n < 3000; n++) {
		for (i = 0; i < MAX + 8; i++)
			buf[i] = (n % 7 == 0) ? 0xff : (uint8_t)rng();
		off = rng() % 8;
		len = (n < 100) ? n : rng() % MAX;
		assert_int_equal(csum_host(buf + off, len, 0),
				 ref_csum(buf + off, len));
		/* Chaining at an even split gives the same result. */
		k = (len / 2) ? 2 * (rng() % (len / 2 + 1)) : 0;
		assert_int_equal(csum_host(buf + off + k, len - k,
					   net_csum_partial(buf + off, k, 0)),
				 ref_csum(buf + off, len));
	}
	free(buf);
}

/*
 * A starting sum counts as its four bytes in front of the buffer
 * (RFC 1071 2(A)): sums whose own additions carry (0xffffffff), and
 * buffers of every round size and tail, with bytes that all carry.
 */
static void
test_csum_start_sum(void **state)
{
	static const uint32_t starts[] = {
		0, 1, 0xffff, 0xffffffffu, 0xfffffffeu, 0x80008000u
	};
	uint8_t buf[4 + 300];
	uint32_t i, len, s, fill;

	(void)state;
	for (fill = 0; fill < 2; fill++) {
		for (i = 4; i < sizeof(buf); i++)
			buf[i] = fill ? 0xff : (uint8_t)rng();
		for (i = 0; i < 6 + 20; i++) {
			s = i < 6 ? starts[i] : rng();
			memcpy(buf, &s, sizeof(s));
			for (len = 0; len <= 300; len++)
				assert_int_equal(csum_host(buf + 4, len, s),
						 ref_csum(buf, len + 4));
		}
	}
}

static void
test_csum_large(void **state)
{
	enum { LEN = 65535 + 3 };
	uint8_t *buf = malloc(LEN);

	(void)state;
	assert_non_null(buf);
	memset(buf, 0xff, LEN);
	assert_int_equal(csum_host(buf, LEN, 0), ref_csum(buf, LEN));
	assert_int_equal(csum_host(buf + 1, LEN - 1, 0xffffffffu),
			 ref_csum(buf + 1, LEN - 1));
	memset(buf, 0, LEN);
	assert_int_equal(csum_host(buf, LEN, 0), 0xffff);
	/* RFC 1071 section 3 example: 00 01 f2 03 f4 f5 f6 f7 -> ddf2. */
	memcpy(buf, "\x00\x01\xf2\x03\xf4\xf5\xf6\xf7", 8);
	assert_int_equal(csum_host(buf, 8, 0), (uint16_t)~0xddf2);
	free(buf);
}

static void
test_pseudo_sum(void **state)
{
	uint8_t ph[12];
	uint32_t n, s, d;
	uint16_t l;

	(void)state;
	for (n = 0; n < 1000; n++) {
		s = rng();
		d = rng();
		l = (uint16_t)rng();
		ph[0] = (uint8_t)(s >> 24);
		ph[1] = (uint8_t)(s >> 16);
		ph[2] = (uint8_t)(s >> 8);
		ph[3] = (uint8_t)s;
		ph[4] = (uint8_t)(d >> 24);
		ph[5] = (uint8_t)(d >> 16);
		ph[6] = (uint8_t)(d >> 8);
		ph[7] = (uint8_t)d;
		ph[8] = 0;
		ph[9] = NET_IPPROTO_TCP;
		ph[10] = (uint8_t)(l >> 8);
		ph[11] = (uint8_t)l;
		assert_int_equal(csum_host(ph, 0, net_tcp_pseudo_sum(s, d, l)),
				 ref_csum(ph, 12));
	}
}

static void
test_seq_compare(void **state)
{
	static const struct {
		uint32_t a, b;
		bool lt, leq, gt, geq;
	} t[] = {
		{ 0, 0, false, true, false, true },
		{ 1, 2, true, true, false, false },
		{ 2, 1, false, false, true, true },
		{ 0xffffffffu, 0, true, true, false, false },
		{ 0, 0xffffffffu, false, false, true, true },
		{ 0xfffffff0u, 0x10, true, true, false, false },
		{ 0, 0x7fffffffu, true, true, false, false },
		{ 0x7fffffffu, 0, false, false, true, true },
		{ 1, 0x80000000u, true, true, false, false },
		/* Exactly 2^31 apart: each is "before" the other. */
		{ 0, 0x80000000u, true, true, false, false },
		{ 0x80000000u, 0, true, true, false, false },
		{ 0x80000001u, 0, true, true, false, false },
		{ 0, 0x80000001u, false, false, true, true },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(t); i++) {
		assert_int_equal(net_seq_lt(t[i].a, t[i].b), t[i].lt);
		assert_int_equal(net_seq_leq(t[i].a, t[i].b), t[i].leq);
		assert_int_equal(net_seq_gt(t[i].a, t[i].b), t[i].gt);
		assert_int_equal(net_seq_geq(t[i].a, t[i].b), t[i].geq);
	}
}

static void
test_seq_in(void **state)
{
	static const struct {
		uint32_t x, a, b;
		bool in;
	} t[] = {
		{ 5, 0, 10, true },
		{ 0, 0, 10, true },
		{ 9, 0, 10, true },
		{ 10, 0, 10, false },
		{ 0xffffffffu, 0, 10, false },
		{ 7, 7, 7, false },
		{ 0xfffffff0u, 0xfffffff0u, 0x10, true },
		{ 0xffffffffu, 0xfffffff0u, 0x10, true },
		{ 0, 0xfffffff0u, 0x10, true },
		{ 0x0f, 0xfffffff0u, 0x10, true },
		{ 0x10, 0xfffffff0u, 0x10, false },
		{ 0xffffffefu, 0xfffffff0u, 0x10, false },
		{ 0x80000000u, 0xffffffffu, 0x7fffffffu, false },
		{ 0x7ffffffeu, 0xffffffffu, 0x7fffffffu, true },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(t); i++)
		assert_int_equal(net_seq_in(t[i].x, t[i].a, t[i].b), t[i].in);
}

static void
check_reply(const uint8_t *frame, uint32_t l3, uint32_t len)
{
	/* Both checksums verify, the source MAC is ours. */
	assert_int_equal(net_csum_fold(net_csum_partial(frame + l3, 20, 0)), 0);
	assert_int_equal(net_csum_fold(net_csum_partial(frame + l3 + 20,
							len - l3 - 20, 0)),
			 0);
	assert_memory_equal(frame, mac_r, NET_ETH_ALEN);
	assert_memory_equal(frame + 6, mac_l, NET_ETH_ALEN);
}

static void
test_icmp_echo_reply(void **state)
{
	struct net_frame f;
	uint8_t buf[128];
	uint32_t n;

	(void)state;
	/* Untagged, with Ethernet padding that is trimmed. */
	memset(buf, 0, sizeof(buf));
	memcpy(buf, v_echo, sizeof(v_echo));
	buf[22] = 5; /* a low TTL that the reply resets */
	fix_ip_csum(buf);
	assert_int_equal(net_parse(buf, sizeof(v_echo) + 5, 0, 0, &f),
			 NET_DROP_NONE);
	assert_int_equal(f.kind, NET_KIND_ICMP_ECHO);
	n = net_icmp_echo_reply(buf, &f, mac_l, 0);
	assert_int_equal(n, sizeof(v_echo_reply));
	assert_memory_equal(buf, v_echo_reply, n);
	check_reply(buf, 14, n);

	/* Tagged: the tag stays, offsets follow it. */
	memcpy(buf, v_echo, 12);
	memcpy(buf + 12, "\x81\x00\x00\x2a", 4);
	memcpy(buf + 16, v_echo + 12, sizeof(v_echo) - 12);
	assert_int_equal(net_parse(buf, sizeof(v_echo) + 4, 0, 0, &f),
			 NET_DROP_NONE);
	assert_int_equal(f.l3_off, 18);
	n = net_icmp_echo_reply(buf, &f, mac_l, 0);
	assert_int_equal(n, sizeof(v_echo) + 4);
	check_reply(buf, 18, n);
	assert_memory_equal(buf + 12, "\x81\x00\x00\x2a", 4);
	assert_memory_equal(buf + 16, v_echo_reply + 12,
			    sizeof(v_echo_reply) - 12);
}

/*
 * An echo request from a broadcast or multicast Ethernet source is not
 * answered (its reply, sent to that source, would reach the group); a
 * TCP segment is (its replies go to the neighbour table's MAC).
 */
static void
test_icmp_echo_group_src(void **state)
{
	static const uint8_t group[][NET_ETH_ALEN] = {
		{ 0xff, 0xff, 0xff, 0xff, 0xff, 0xff },
		{ 0x01, 0x00, 0x5e, 0, 0, 1 },
		{ 0x03, 0, 0, 0, 0, 0 },
	};
	struct net_frame f;
	uint8_t buf[128];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(group); i++) {
		memcpy(buf, v_echo, sizeof(v_echo));
		memcpy(buf + NET_ETH_ALEN, group[i], NET_ETH_ALEN);
		assert_string_equal(net_drop_name(parse_copy(buf,
							     sizeof(v_echo), 0,
							     0, &f)),
				    net_drop_name(NET_DROP_ETH_GROUP_SRC));
		memcpy(buf, v_syn, sizeof(v_syn));
		memcpy(buf + NET_ETH_ALEN, group[i], NET_ETH_ALEN);
		assert_int_equal(parse_copy(buf, sizeof(v_syn), 0, 0, &f),
				 NET_DROP_NONE);
	}
}

/*
 * An ARP request is answered to its sender hardware address: one naming
 * a broadcast or multicast MAC, which no station has, is dropped
 * (eth_group_src), or tcpterm would send its reply to every station of
 * the group; one naming a zero MAC is malformed (arp_malformed). A
 * reply naming one is parsed (the neighbour table refuses it,
 * arp_bad_sender_drop), as is a request from a unicast sender in a frame
 * to anyone.
 */
static void
test_arp_group_sha(void **state)
{
	static const uint8_t group[][NET_ETH_ALEN] = {
		{ 0xff, 0xff, 0xff, 0xff, 0xff, 0xff },
		{ 0x01, 0x00, 0x5e, 0, 0, 1 },
		{ 0x33, 0x33, 0, 0, 0, 1 },
	};
	struct net_frame f;
	uint8_t buf[64];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(group); i++) {
		memcpy(buf, v_arp_req, sizeof(v_arp_req));
		memcpy(buf + NET_ETH_HLEN + 8, group[i], NET_ETH_ALEN);
		assert_string_equal(net_drop_name(parse_copy(buf,
							     sizeof(v_arp_req),
							     0, 0, &f)),
				    net_drop_name(NET_DROP_ETH_GROUP_SRC));
		/* As a reply: for the neighbour table to refuse. */
		buf[NET_ETH_HLEN + 7] = NET_ARP_OP_REPLY;
		assert_int_equal(parse_copy(buf, sizeof(v_arp_req), 0, 0, &f),
				 NET_DROP_NONE);
		assert_int_equal(f.arp_op, NET_ARP_OP_REPLY);
	}
	assert_int_equal(parse_copy(v_arp_req, sizeof(v_arp_req), 0, 0, &f),
			 NET_DROP_NONE);
	/*
	 * A zero sender MAC is no station's either: a reply to it is an
	 * unknown unicast, which switches flood to every port.
	 */
	memcpy(buf, v_arp_req, sizeof(v_arp_req));
	memset(buf + NET_ETH_HLEN + 8, 0, NET_ETH_ALEN);
	assert_string_equal(net_drop_name(parse_copy(buf, sizeof(v_arp_req), 0,
						     0, &f)),
			    net_drop_name(NET_DROP_ARP_MALFORMED));
}

/*
 * An ARP request from a sender address no host has (RFC 1122 3.2.1.3:
 * this network, loopback, multicast, the limited broadcast) is
 * malformed: its reply would go to an address no host may use. The
 * 0.0.0.0 of an RFC 5227 probe is parsed, and answered.
 */
static void
test_arp_martian_sender(void **state)
{
	static const uint32_t bad[] = {
		0x00010203u, 0x7f000001u, 0xe0000001u, 0xefffffffu, 0xffffffffu,
	};
	struct net_frame f;
	uint8_t buf[64];
	uint32_t spa;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		memcpy(buf, v_arp_req, sizeof(v_arp_req));
		spa = htonl(bad[i]);
		memcpy(buf + NET_ETH_HLEN + 14, &spa, sizeof(spa));
		assert_string_equal(net_drop_name(parse_copy(buf,
							     sizeof(v_arp_req),
							     0, 0, &f)),
				    net_drop_name(NET_DROP_ARP_MALFORMED));
	}
	memcpy(buf, v_arp_req, sizeof(v_arp_req));
	memset(buf + NET_ETH_HLEN + 14, 0, 4);
	assert_int_equal(parse_copy(buf, sizeof(v_arp_req), 0, 0, &f),
			 NET_DROP_NONE);
	assert_int_equal(f.arp_spa, 0);
}

/*
 * Ether / IP 198.18.0.254 > 198.18.0.1 / ICMP 3/4 (MTU mtu) quoting the
 * first 28 bytes of a 1500-byte segment of ours, 198.18.0.1:80 >
 * 198.18.0.2:40000 seq 0x01020304. Returns the frame length (70).
 */
static uint32_t
frag_needed(uint8_t *buf, uint16_t mtu)
{
	static const uint8_t eth_ip[34] = {
		0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00,
		0x00, 0x00, 0x02, 0x08, 0x00, 0x45, 0x00, 0x00, 0x38,
		0x00, 0x00, 0x00, 0x00, 0x40, 0x01, 0x00, 0x00, 0xc6,
		0x12, 0x00, 0xfe, 0xc6, 0x12, 0x00, 0x01,
	};
	static const uint8_t quote[28] = {
		0x45, 0x00, 0x05, 0xdc, 0x00, 0x00, 0x40, 0x00, 0x40, 0x06,
		0x00, 0x00, 0xc6, 0x12, 0x00, 0x01, 0xc6, 0x12, 0x00, 0x02,
		0x00, 0x50, 0x9c, 0x40, 0x01, 0x02, 0x03, 0x04,
	};
	uint8_t *icmp = buf + 34;

	memcpy(buf, eth_ip, sizeof(eth_ip));
	memset(icmp, 0, 8);
	icmp[0] = 3;
	icmp[1] = 4;
	icmp[6] = (uint8_t)(mtu >> 8);
	icmp[7] = (uint8_t)mtu;
	memcpy(icmp + 8, quote, sizeof(quote));
	fix_ip_csum(buf);
	fix_l4_csum(buf);
	return 34 + 8 + sizeof(quote);
}

/*
 * RFC 1191 4: a fragmentation needed quoting one of our segments: the
 * MTU, and the segment turned around as the peer's (for the lookup).
 */
static void
test_icmp_frag_needed(void **state)
{
	struct net_frame f;
	struct net_seg q;
	uint8_t buf[96];
	uint32_t n = frag_needed(buf, 1000);

	(void)state;
	assert_int_equal(parse_copy(buf, n, 0, 0, &f), NET_DROP_NONE);
	assert_int_equal(f.kind, NET_KIND_ICMP_PTB);
	assert_int_equal(f.family, NET_FAMILY_IPV4);
	assert_int_equal(f.icmp_mtu, 1000);
	assert_int_equal(f.icmp_quote_off, 42);
	assert_int_equal(f.saddr, 0xc61200feu);
	net_icmp_quote_seg(buf, &f, &q);
	assert_int_equal(q.saddr, 0xc6120002u);
	assert_int_equal(q.daddr, 0xc6120001u);
	assert_null(q.saddr6);
	assert_int_equal(q.sport, 40000);
	assert_int_equal(q.dport, 80);
	assert_int_equal(q.seq, 0x01020304u);
	assert_int_equal(q.len, 0);
	assert_int_equal(q.flags, 0);
	/* The device's checksum verdict does not cover ICMP. */
	buf[50] ^= 1;
	assert_int_equal(parse_copy(buf, n, NET_CSUM_GOOD, NET_CSUM_GOOD, &f),
			 NET_DROP_ICMP_CSUM);
}

/*
 * RFC 1191 5: a router that leaves the MTU 0 reports nothing; the path
 * MTU is the plateau below the quoted datagram's 1500 bytes. Anything
 * under 68 (RFC 791) is treated the same.
 */
static void
test_icmp_frag_needed_plateau(void **state)
{
	struct net_frame f;
	uint8_t buf[96];
	uint32_t n;

	(void)state;
	n = frag_needed(buf, 0);
	assert_int_equal(parse_copy(buf, n, 0, 0, &f), NET_DROP_NONE);
	assert_int_equal(f.icmp_mtu, 1492);
	n = frag_needed(buf, 67);
	assert_int_equal(parse_copy(buf, n, 0, 0, &f), NET_DROP_NONE);
	assert_int_equal(f.icmp_mtu, 1492);
	n = frag_needed(buf, 68);
	assert_int_equal(parse_copy(buf, n, 0, 0, &f), NET_DROP_NONE);
	assert_int_equal(f.icmp_mtu, 68);
	/* A quoted 600-byte datagram: the plateau below it, 508. */
	n = frag_needed(buf, 0);
	buf[44] = 0x02;
	buf[45] = 0x58;
	fix_l4_csum(buf);
	assert_int_equal(parse_copy(buf, n, 0, 0, &f), NET_DROP_NONE);
	assert_int_equal(f.icmp_mtu, 508);
}

/*
 * What is refused, each by its reason: another code of type 3, a quote
 * too short for the TCP ports and sequence number (cut at every length),
 * a quote of something other than TCP, of a later fragment, of another
 * IP version or a bad header length, and a bad checksum.
 */
static void
test_icmp_frag_needed_bad(void **state)
{
	struct net_frame f;
	uint8_t buf[96];
	uint32_t n, cut;

	(void)state;
	n = frag_needed(buf, 1000);
	buf[35] = 1; /* host unreachable */
	fix_l4_csum(buf);
	assert_int_equal(parse_copy(buf, n, 0, 0, &f), NET_DROP_ICMP_TYPE);
	for (cut = 1; cut <= 28; cut++) {
		n = frag_needed(buf, 1000);
		/* The IPv4 total length, then the checksums, shortened. */
		buf[17] = (uint8_t)(0x38 - cut);
		fix_ip_csum(buf);
		fix_l4_csum(buf);
		assert_int_equal(parse_copy(buf, n - cut, 0, 0, &f),
				 NET_DROP_ICMP_QUOTE);
	}
	n = frag_needed(buf, 1000);
	buf[51] = NET_IPPROTO_ICMP;
	fix_l4_csum(buf);
	assert_int_equal(parse_copy(buf, n, 0, 0, &f), NET_DROP_ICMP_QUOTE);
	n = frag_needed(buf, 1000);
	buf[49] = 0x10; /* fragment offset 16 */
	fix_l4_csum(buf);
	assert_int_equal(parse_copy(buf, n, 0, 0, &f), NET_DROP_ICMP_QUOTE);
	n = frag_needed(buf, 1000);
	buf[42] = 0x65;
	fix_l4_csum(buf);
	assert_int_equal(parse_copy(buf, n, 0, 0, &f), NET_DROP_ICMP_QUOTE);
	n = frag_needed(buf, 1000);
	buf[42] = 0x44;
	fix_l4_csum(buf);
	assert_int_equal(parse_copy(buf, n, 0, 0, &f), NET_DROP_ICMP_QUOTE);
	/* IHL 6: the TCP bytes would need 4 more than are there. */
	n = frag_needed(buf, 1000);
	buf[42] = 0x46;
	fix_l4_csum(buf);
	assert_int_equal(parse_copy(buf, n, 0, 0, &f), NET_DROP_ICMP_QUOTE);
	n = frag_needed(buf, 1000);
	buf[60] ^= 0x80;
	assert_int_equal(parse_copy(buf, n, 0, 0, &f), NET_DROP_ICMP_CSUM);
	/* Too short for even the ICMP header. */
	n = frag_needed(buf, 1000);
	buf[17] = 0x1b;
	fix_ip_csum(buf);
	assert_int_equal(parse_copy(buf, 34 + 7, 0, 0, &f),
			 NET_DROP_ICMP_SHORT);
}

static void
test_arp(void **state)
{
	struct net_frame f;
	uint8_t buf[64];

	(void)state;
	memset(buf, 0xee, sizeof(buf));
	assert_int_equal(net_build_arp(buf, sizeof(buf), 0, NET_ARP_OP_REQUEST,
				       mac_r, ADDR_R, NULL, ADDR_L),
			 42);
	assert_memory_equal(buf, v_arp_req, sizeof(v_arp_req));
	assert_int_equal(buf[42], 0xee);

	assert_int_equal(net_build_arp(buf, 42, 0, NET_ARP_OP_REPLY, mac_l,
				       ADDR_L, mac_r, ADDR_R),
			 42);
	assert_int_equal(parse_copy(buf, 42, 0, 0, &f), NET_DROP_NONE);
	assert_int_equal(f.kind, NET_KIND_ARP);
	assert_int_equal(f.arp_op, NET_ARP_OP_REPLY);
	assert_memory_equal(f.dst_mac, mac_r, NET_ETH_ALEN);
	assert_memory_equal(f.src_mac, mac_l, NET_ETH_ALEN);
	assert_memory_equal(f.arp_sha, mac_l, NET_ETH_ALEN);
	assert_memory_equal(buf + 32, mac_r, NET_ETH_ALEN);
	assert_int_equal(f.arp_spa, ADDR_L);
	assert_int_equal(f.arp_tpa, ADDR_R);

	assert_int_equal(net_build_arp(buf, 41, 0, NET_ARP_OP_REPLY, mac_l,
				       ADDR_L, mac_r, ADDR_R),
			 0);
}

static void
test_ipv4_text(void **state)
{
	static const struct {
		const char *s;
		int rc;
		uint32_t addr;
	} t[] = {
		{ "1.2.3.4", 0, 0x01020304u },
		{ "0.0.0.0", 0, 0 },
		{ "255.255.255.255", 0, 0xffffffffu },
		{ "198.18.0.1", 0, ADDR_L },
		{ "10.0.100.9", 0, 0x0a006409u },
		{ "1.2.3", -1, 0 },
		{ "256.1.1.1", -1, 0 },
		{ "1.2.3.256", -1, 0 },
		{ "1.2.3.4x", -1, 0 },
		{ "", -1, 0 },
		{ " 1.2.3.4", -1, 0 },
		{ "1.2.3.4 ", -1, 0 },
		{ "1.2.3.4.", -1, 0 },
		{ "1.2.3.4.5", -1, 0 },
		{ "1..3.4", -1, 0 },
		{ ".1.2.3", -1, 0 },
		{ "01.2.3.4", -1, 0 },
		{ "1.2.3.0004", -1, 0 },
		{ "+1.2.3.4", -1, 0 },
		{ "1.-2.3.4", -1, 0 },
		{ "1000.2.3.4", -1, 0 },
		{ "0x1.2.3.4", -1, 0 },
	};
	char buf[16];
	uint32_t a;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(t); i++) {
		a = 0xdeadbeef;
		print_message("ipv4 \"%s\"\n", t[i].s);
		assert_int_equal(net_ipv4_parse(t[i].s, &a), t[i].rc);
		if (t[i].rc != 0) {
			assert_int_equal(a, 0xdeadbeef);
			continue;
		}
		assert_int_equal(a, t[i].addr);
		assert_string_equal(net_ipv4_fmt(a, buf), t[i].s);
	}
	assert_int_equal(net_ipv4_parse(NULL, &a), -1);
}

static void
test_drop_names(void **state)
{
#define NET_DROP_STR(n) #n,
	static const char *const upper[] = { NET_DROP_REASONS(NET_DROP_STR) };
#undef NET_DROP_STR
	size_t i, j;

	(void)state;
	assert_int_equal(ARRAY_SIZE(upper), NET_DROP_MAX);
	for (i = 0; i < NET_DROP_MAX; i++) {
		const char *n = net_drop_name((enum net_drop)i);

		assert_int_equal(strcasecmp(n, upper[i]), 0);
		for (j = 0; n[j]; j++)
			assert_false(n[j] >= 'A' && n[j] <= 'Z');
	}
	assert_string_equal(net_drop_name(NET_DROP_IP_CSUM), "ip_csum");
	assert_string_equal(net_drop_name(NET_DROP_MAX), "unknown");
	assert_string_equal(net_drop_name((enum net_drop)(-1)), "unknown");
}

/*
 * RFC 2018 3: SACK blocks are written after the other options (as many
 * as fit the 40 option bytes: 3 beside timestamps, 4 alone; fuzz_parse
 * found the builder writing 48 bytes with MSS and window scale too) and
 * parsed back in order.
 */
static void
test_sack_opts(void **state)
{
	static const struct {
		uint8_t has;
		uint32_t give;
		uint32_t want;
		uint32_t optlen;
	} t[] = {
		{ NET_OPT_SACK, 1, 1, 12 },
		{ NET_OPT_SACK, 4, 4, 36 },
		{ NET_OPT_SACK | NET_OPT_TS, 3, 3, 40 },
		{ NET_OPT_SACK | NET_OPT_TS, 4, 3, 40 },
		{ NET_OPT_TS, 2, 0, 12 },
		/* MSS, timestamps and window scale leave room for 2. */
		{ NET_OPT_SACK | NET_OPT_TS | NET_OPT_MSS | NET_OPT_WSCALE, 4,
		  2, 40 },
	};
	struct net_tcp_build b;
	struct net_frame f;
	uint8_t buf[128];
	uint32_t i, k, n;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(t); i++) {
		vec_build(&b, &vec_cases[0], 0);
		b.flags = NET_TCP_ACK;
		b.opts.has = t[i].has;
		b.opts.tsval = 7;
		b.opts.tsecr = 8;
		b.opts.nsack = t[i].give;
		for (k = 0; k < NET_SACK_MAX; k++) {
			b.opts.sack[k].start = 1000 * (k + 1);
			b.opts.sack[k].end = 1000 * (k + 1) + 500;
		}
		n = net_build_tcp(buf, sizeof(buf), &b);
		assert_int_equal(n, 54 + t[i].optlen);
		net_tcp_finish(buf, false);
		assert_int_equal(net_parse(buf, n, NET_CSUM_UNKNOWN,
					   NET_CSUM_UNKNOWN, &f),
				 NET_DROP_NONE);
		assert_int_equal(f.seg.opts.nsack, t[i].want);
		assert_int_equal(!!(f.seg.opts.has & NET_OPT_SACK),
				 t[i].want > 0);
		for (k = 0; k < t[i].want; k++) {
			assert_int_equal(f.seg.opts.sack[k].start,
					 1000 * (k + 1));
			assert_int_equal(f.seg.opts.sack[k].end,
					 1000 * (k + 1) + 500);
		}
		if (t[i].has & NET_OPT_TS)
			assert_int_equal(f.seg.opts.tsval, 7);
	}
}

/* A small deterministic generator (xorshift64). */
static uint64_t
eq_rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/*
 * Make the IPv4 header and TCP checksums of an untagged frame right
 * again after a mutation, when its lengths allow: the checks behind them
 * are reached too.
 */
static void
eq_fix_sums(uint8_t *b, uint32_t len)
{
	uint8_t *ip = b + NET_ETH_HLEN;
	uint32_t ihl, tot;
	uint16_t c;

	if (len < NET_ETH_HLEN + NET_IPV4_HLEN || (ip[0] >> 4) != 4)
		return;
	ihl = (uint32_t)(ip[0] & 0x0f) * 4;
	tot = (uint32_t)ip[2] << 8 | ip[3];
	if (ihl < NET_IPV4_HLEN || tot < ihl || tot > len - NET_ETH_HLEN)
		return;
	memset(ip + 10, 0, 2);
	c = net_csum_fold(net_csum_partial(ip, ihl, 0));
	memcpy(ip + 10, &c, 2);
	if (ip[9] != NET_IPPROTO_TCP || tot - ihl < NET_TCP_HLEN)
		return;
	memset(ip + ihl + 16, 0, 2);
	c = net_csum_fold(net_csum_partial(
		ip + ihl, tot - ihl,
		net_tcp_pseudo_sum((uint32_t)ip[12] << 24 | ip[13] << 16 |
					   ip[14] << 8 | ip[15],
				   (uint32_t)ip[16] << 24 | ip[17] << 16 |
					   ip[18] << 8 | ip[19],
				   (uint16_t)(tot - ihl))));
	memcpy(ip + ihl + 16, &c, 2);
}

/* A byte of the headers most of the time, any byte otherwise. */
static uint32_t
eq_pick(uint64_t *s, uint32_t len)
{
	static const uint8_t hot[] = {
		12, 13, 14, 16, 17, 20, 21, 23, 26, 29, 30, 33,
		34, 35, 36, 37, 46, 47, 54, 55, 56, 57, 58,
	};

	if (eq_rnd(s) % 4 != 0)
		return hot[eq_rnd(s) % ARRAY_SIZE(hot)] % len;
	return (uint32_t)(eq_rnd(s) % len);
}

/*
 * net_parse() takes a path of its own for plain IPv4 TCP frames: over
 * frames of every kind, mutated at random, it must return what the
 * general parser returns and fill the frame view identically (garbage
 * left in either view would differ).
 */
/*
 * The bad-source test of both parsers (net__ipv4_src_bad(), a bit set)
 * against RFC 1122 3.2.1.3 written out: every first byte, with the
 * lowest, highest and a random rest.
 */
static void
test_ipv4_src_bad_set(void **state)
{
	uint32_t t, k, a;

	(void)state;
	for (t = 0; t < 256; t++)
		for (k = 0; k < 4; k++) {
			a = t << 24 |
				(k == 0		? 0 :
					 k == 1 ? 0xffffffu :
						  rng() & 0xffffffu);
			assert_int_equal(net__ipv4_src_bad(a),
					 t == 0 || t == 127 ||
						 a == 0xffffffffu ||
						 (t >= 224 && t <= 239));
		}
}

static void
test_parse_plain_matches_general(void **state)
{
	const struct {
		const uint8_t *b;
		uint32_t len;
	} base[] = {
		{ v_syn, sizeof(v_syn) },   { v_synack, sizeof(v_synack) },
		{ v_data, sizeof(v_data) }, { v_vlan_ack, sizeof(v_vlan_ack) },
		{ v_echo, sizeof(v_echo) },
	};
	static const enum net_csum_status st[] = {
		NET_CSUM_UNKNOWN,
		NET_CSUM_UNKNOWN,
		NET_CSUM_GOOD,
		NET_CSUM_BAD,
	};
	uint32_t seen[NET_DROP_MAX] = { 0 };
	uint64_t s = 0x243f6a8885a308d3ull;
	uint8_t frame[160];
	unsigned int i, j, reasons = 0;

	(void)state;
	for (i = 0; i < 200000; i++) {
		unsigned int b = (unsigned int)(eq_rnd(&s) % ARRAY_SIZE(base));
		uint32_t len = base[b].len, n;
		enum net_csum_status ip, l4;
		struct net_frame f1, f2;
		enum net_drop d1, d2;
		uint8_t *copy;

		memcpy(frame, base[b].b, len);
		memset(frame + len, 0, sizeof(frame) - len);
		n = (uint32_t)(eq_rnd(&s) % 4);
		for (j = 0; j < n; j++)
			frame[eq_pick(&s, len)] = (uint8_t)eq_rnd(&s);
		/* A 16-bit field zero (a port, a length, a checksum). */
		if (eq_rnd(&s) % 8 == 0) {
			j = eq_pick(&s, len - 1);
			frame[j] = 0;
			frame[j + 1] = 0;
		}
		/* Longer (padding), shorter, or as built. */
		if (eq_rnd(&s) % 4 == 0)
			len = (uint32_t)(eq_rnd(&s) % (sizeof(frame) + 1));
		if (eq_rnd(&s) % 2 == 0)
			eq_fix_sums(frame, len);
		ip = st[eq_rnd(&s) % ARRAY_SIZE(st)];
		l4 = st[eq_rnd(&s) % ARRAY_SIZE(st)];
		copy = malloc(len ? len : 1);
		assert_non_null(copy);
		memcpy(copy, frame, len);
		memset(&f1, 0xa5, sizeof(f1));
		memset(&f2, 0x5a, sizeof(f2));
		d1 = net_parse(copy, len, ip, l4, &f1);
		d2 = net__parse_any(copy, len, ip, l4, &f2);
		assert_int_equal(d1, d2);
		assert_memory_equal(&f1, &f2, sizeof(f1));
		free(copy);
		seen[d1]++;
	}
	/* The verdicts the plain path gives were all reached. */
	assert_true(seen[NET_DROP_NONE] > 1000);
	assert_true(seen[NET_DROP_IP_CSUM] > 100);
	assert_true(seen[NET_DROP_IP_FRAG] > 100);
	assert_true(seen[NET_DROP_IP_BAD_SRC] > 10);
	assert_true(seen[NET_DROP_TCP_CSUM] > 100);
	assert_true(seen[NET_DROP_TCP_OPTS] > 100);
	assert_true(seen[NET_DROP_TCP_DOFF] > 100);
	assert_true(seen[NET_DROP_TCP_PORT_ZERO] > 10);
	for (i = 0; i < NET_DROP_MAX; i++)
		reasons += seen[i] != 0;
	assert_true(reasons >= 12);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_vectors),
		cmocka_unit_test(test_parse_arp),
		cmocka_unit_test(test_arp_group_sha),
		cmocka_unit_test(test_arp_martian_sender),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_csum_every_length),
		cmocka_unit_test(test_ip_options),
		cmocka_unit_test(test_ip_source_route),
		cmocka_unit_test(test_tcp_options),
		cmocka_unit_test(test_tcp_options_layouts),
		cmocka_unit_test(test_build_vectors),
		cmocka_unit_test(test_build_ip_id_atomic),
		cmocka_unit_test(test_build_vlan),
		cmocka_unit_test(test_build_opt_layout),
		cmocka_unit_test(test_build_roundtrip),
		cmocka_unit_test(test_build_cap),
		cmocka_unit_test(test_finish_offload),
		cmocka_unit_test(test_build_sums),
		cmocka_unit_test(test_csum_lengths),
		cmocka_unit_test(test_csum_random),
		cmocka_unit_test(test_csum_large),
		cmocka_unit_test(test_csum_start_sum),
		cmocka_unit_test(test_pseudo_sum),
		cmocka_unit_test(test_seq_compare),
		cmocka_unit_test(test_seq_in),
		cmocka_unit_test(test_icmp_echo_reply),
		cmocka_unit_test(test_icmp_echo_group_src),
		cmocka_unit_test(test_icmp_frag_needed),
		cmocka_unit_test(test_icmp_frag_needed_plateau),
		cmocka_unit_test(test_icmp_frag_needed_bad),
		cmocka_unit_test(test_arp),
		cmocka_unit_test(test_ipv4_text),
		cmocka_unit_test(test_drop_names),
		cmocka_unit_test(test_sack_opts),
		cmocka_unit_test(test_parse_opts_reset),
		cmocka_unit_test(test_parse_plain_matches_general),
		cmocka_unit_test(test_ipv4_src_bad_set),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
