/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests for the inline output path of TCP segments (net_tx.h):
 * every frame it builds is compared byte for byte with one written here
 * the slow way (a byte at a time, checksums summed over the finished
 * frame with a plain RFC 1071 loop), for both families, tagged or not,
 * each option layout, payloads of every parity, and each checksum mode.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "net.h"
#include "net_tx.h"
#include "test_rng.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const uint8_t mac_src[NET_ETH_ALEN] = { 2, 0, 0, 0, 0, 1 };
static const uint8_t mac_dst[NET_ETH_ALEN] = { 2, 0, 0, 0, 0, 2 };
static const uint8_t a6[32] = {
	0x20, 0x01, 0x0d, 0xb8, 0,    0,    0,	  0,	0,    0,    0,
	0,    0,    0,	  0,	0x01, 0x20, 0x01, 0x0d, 0xb8, 0,    0,
	0,    0,    0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32, 0x10,
};

static uint8_t *
ref_put16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
	return p + 2;
}

static uint8_t *
ref_put32(uint8_t *p, uint32_t v)
{
	return ref_put16(ref_put16(p, v >> 16), v & 0xffff);
}

/* Plain RFC 1071 sum of big-endian 16-bit words, not folded. */
static uint32_t
ref_sum(const uint8_t *p, uint32_t len, uint32_t sum)
{
	uint32_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

static uint16_t
ref_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/* The options, one byte at a time, in the order Linux writes them. */
static uint8_t *
ref_opts(uint8_t *p, const struct net_tcp_opts *o)
{
	uint8_t *start = p;
	uint32_t ns = 0, room, i;

	if (o->has & NET_OPT_MSS) {
		*p++ = 2;
		*p++ = 4;
		p = ref_put16(p, o->mss);
	}
	if (o->has & NET_OPT_TS) {
		*p++ = (o->has & NET_OPT_SACK_OK) ? 4 : 1;
		*p++ = (o->has & NET_OPT_SACK_OK) ? 2 : 1;
		*p++ = 8;
		*p++ = 10;
		p = ref_put32(p, o->tsval);
		p = ref_put32(p, o->tsecr);
	} else if (o->has & NET_OPT_SACK_OK) {
		*p++ = 1;
		*p++ = 1;
		*p++ = 4;
		*p++ = 2;
	}
	if (o->has & NET_OPT_WSCALE) {
		*p++ = 1;
		*p++ = 3;
		*p++ = 3;
		*p++ = o->wscale;
	}
	room = 40 - (uint32_t)(p - start);
	if ((o->has & NET_OPT_SACK) && room >= 12) {
		ns = o->nsack;
		if (ns > (room - 4) / 8)
			ns = (room - 4) / 8;
	}
	if (ns == 0)
		return p;
	*p++ = 1;
	*p++ = 1;
	*p++ = 5;
	*p++ = (uint8_t)(2 + 8 * ns);
	for (i = 0; i < ns; i++) {
		p = ref_put32(p, o->sack[i].start);
		p = ref_put32(p, o->sack[i].end);
	}
	return p;
}

/* The frame t describes, payload pl included, checksums as sums says. */
static uint32_t
ref_frame(uint8_t *f, const struct net_tcp_tx *t, const uint8_t *pl,
	  enum net_tcp_sums sums)
{
	bool v6 = t->saddr6 != NULL;
	uint8_t *p = f, *ip, *tcp, *end;
	uint32_t l4, psum;

	memcpy(p, t->dst_mac, 6);
	memcpy(p + 6, t->src_mac, 6);
	p += 12;
	if (t->vlan != 0) {
		p = ref_put16(p, 0x8100);
		p = ref_put16(p, t->vlan & 0xfff);
	}
	p = ref_put16(p, v6 ? 0x86dd : 0x0800);
	ip = p;
	tcp = ip + (v6 ? 40 : 20);
	p = ref_put16(tcp, t->sport);
	p = ref_put16(p, t->dport);
	p = ref_put32(p, t->seq);
	p = ref_put32(p, t->ack);
	p++; /* the data offset, once the options are written */
	*p++ = t->flags;
	p = ref_put16(p, t->wnd);
	p = ref_put32(p, 0);
	end = ref_opts(p, t->opts);
	tcp[12] = (uint8_t)(((end - tcp) / 4) << 4);
	memcpy(end, pl, t->payload_len);
	l4 = (uint32_t)(end - tcp) + t->payload_len;
	if (v6) {
		ref_put32(ip, 0x60000000u);
		ref_put16(ip + 4, l4);
		ip[6] = 6;
		ip[7] = t->ttl;
		memcpy(ip + 8, t->saddr6, 16);
		memcpy(ip + 24, t->daddr6, 16);
		psum = ref_sum(ip + 8, 32, 6 + l4);
	} else {
		ref_put16(ip, 0x4500);
		ref_put16(ip + 2, 20 + l4);
		ref_put32(ip + 4, 0x4000);
		ip[8] = t->ttl;
		ip[9] = 6;
		ref_put16(ip + 10, 0);
		ref_put32(ip + 12, t->saddr);
		ref_put32(ip + 16, t->daddr);
		psum = ref_sum(ip + 12, 8, 6 + l4);
		if (sums == NET_TCP_SUMS_SOFTWARE)
			ref_put16(ip + 10,
				  (uint16_t)~ref_fold(ref_sum(ip, 20, 0)));
	}
	if (sums == NET_TCP_SUMS_OFFLOAD)
		ref_put16(tcp + 16, ref_fold(psum));
	else if (sums == NET_TCP_SUMS_SOFTWARE)
		ref_put16(tcp + 16,
			  (uint16_t)~ref_fold(ref_sum(tcp, l4, psum)));
	return (uint32_t)(end - f) + t->payload_len;
}

/*
 * Each option layout a segment of ours can carry: none, the SYN-ACK's
 * (with and without timestamps and SACK), timestamps alone, SACK blocks
 * beside timestamps or alone, up to more than fit.
 */
static const uint8_t layouts[] = {
	0,
	NET_OPT_TS,
	NET_OPT_MSS,
	NET_OPT_MSS | NET_OPT_SACK_OK | NET_OPT_TS | NET_OPT_WSCALE,
	NET_OPT_MSS | NET_OPT_TS | NET_OPT_WSCALE,
	NET_OPT_MSS | NET_OPT_SACK_OK | NET_OPT_WSCALE,
	NET_OPT_MSS | NET_OPT_WSCALE,
	NET_OPT_MSS | NET_OPT_SACK_OK,
	NET_OPT_SACK_OK,
	NET_OPT_TS | NET_OPT_SACK,
	NET_OPT_SACK,
	NET_OPT_MSS | NET_OPT_SACK_OK | NET_OPT_TS | NET_OPT_WSCALE |
		NET_OPT_SACK,
	0xff,
};

static const uint32_t payloads[] = { 0, 1, 2, 3, 7, 8, 9, 33, 64, 1399 };

static const enum net_tcp_sums modes[] = {
	NET_TCP_SUMS_NONE,
	NET_TCP_SUMS_OFFLOAD,
	NET_TCP_SUMS_SOFTWARE,
};

/*
 * The headers of t into f: by net_tx_tcp(), or with tmpl (IPv4 only)
 * by net_tx_tcp4() from a template made of t's MAC, tag and TTL.
 */
static uint32_t
build_one(uint8_t *f, uint32_t cap, const struct net_tcp_tx *t,
	  enum net_tcp_sums sums, bool tmpl, uint32_t *l4_off, uint64_t *sum)
{
	struct net_tx4_tmpl tp;

	if (!tmpl)
		return net_tx_tcp(f, cap, t, sums, l4_off, sum);
	memset(&tp, 0xee, sizeof(tp));
	net_tx4_tmpl_init(&tp, t->src_mac, t->vlan, t->ttl);
	return net_tx_tcp4(f, cap, &tp, t, sums, l4_off, sum);
}

/*
 * One frame through net_tx_tcp() (and net_tx_tcp_csum()) and the slow
 * way; an IPv4 one through net_tx_tcp4() too.
 */
static void
check_one(const struct net_tcp_tx *t, enum net_tcp_sums sums, const uint8_t *pl)
{
	uint8_t got[1600], want[1600];
	uint32_t h, l4_off, len;
	uint64_t sum;
	int tmpl;

	memset(want, 0xee, sizeof(want));
	len = ref_frame(want, t, pl, sums);
	for (tmpl = 0; tmpl < (t->saddr6 != NULL ? 1 : 2); tmpl++) {
		memset(got, 0xee, sizeof(got));
		h = build_one(got, sizeof(got), t, sums, tmpl, &l4_off, &sum);
		assert_int_equal(h + t->payload_len, len);
		assert_int_equal(l4_off,
				 (t->vlan ? 18 : 14) + (t->saddr6 ? 40 : 20));
		memcpy(got + h, pl, t->payload_len);
		if (sums == NET_TCP_SUMS_SOFTWARE)
			net_tx_tcp_csum(got, l4_off, h, t->payload_len, sum);
		assert_memory_equal(got, want, sizeof(got));
	}
}

/* Options with the flags has, nsack SACK blocks and random values. */
static void
random_opts(struct net_tcp_opts *o, uint8_t has, uint32_t nsack)
{
	uint32_t k;

	memset(o, 0, sizeof(*o));
	o->has = has;
	o->mss = (uint16_t)rng();
	o->wscale = (uint8_t)rng();
	o->tsval = rng();
	o->tsecr = rng();
	o->nsack = nsack;
	for (k = 0; k < NET_SACK_MAX; k++) {
		o->sack[k].start = rng();
		o->sack[k].end = rng();
	}
}

/* An untagged segment carrying o, IPv6 when v6, random fields. */
static void
random_tx(struct net_tcp_tx *t, const struct net_tcp_opts *o, size_t v6)
{
	memset(t, 0, sizeof(*t));
	t->src_mac = mac_src;
	t->dst_mac = mac_dst;
	t->opts = o;
	t->saddr6 = v6 ? a6 : NULL;
	t->daddr6 = a6 + 16;
	t->saddr = rng();
	t->daddr = rng();
	t->sport = (uint16_t)rng();
	t->dport = (uint16_t)rng();
	t->seq = rng();
	t->ack = rng();
	t->wnd = (uint16_t)rng();
	t->flags = (uint8_t)rng();
	t->ttl = (uint8_t)(1 + rng() % 255);
}

/*
 * net_tx_ip4_frag() on an IPv4 frame from the template: DF clear, the
 * ID written, the header checksum right for SOFTWARE and left 0 for the
 * others, the rest as with DF; tagged or not, every mode, IDs of either
 * byte's edges.
 */
static void
test_build_tx_frag(void **state)
{
	static const uint16_t ids[] = { 1, 0x00ff, 0x0100, 0x8000, 0xffff };
	uint8_t got[1600], want[1600], pl[64];
	struct net_tcp_opts o;
	struct net_tcp_tx t;
	struct net_tx4_tmpl tp;
	uint32_t h, l4_off, l2, len;
	size_t i, m, tag;
	uint64_t sum;

	(void)state;
	for (i = 0; i < sizeof(pl); i++)
		pl[i] = (uint8_t)rng();
	for (i = 0; i < ARRAY_SIZE(ids); i++) {
		for (m = 0; m < ARRAY_SIZE(modes); m++) {
			for (tag = 0; tag < 2; tag++) {
				random_opts(&o, NET_OPT_TS, 0);
				random_tx(&t, &o, false);
				t.vlan = tag ? 0x123 : 0;
				t.payload_len = sizeof(pl);
				l2 = tag ? 18 : 14;
				memset(want, 0xee, sizeof(want));
				len = ref_frame(want, &t, pl, modes[m]);
				ref_put32(want + l2 + 4,
					  (uint32_t)ids[i] << 16);
				if (modes[m] == NET_TCP_SUMS_SOFTWARE) {
					ref_put16(want + l2 + 10, 0);
					ref_put16(want + l2 + 10,
						  (uint16_t)~ref_fold(
							  ref_sum(want + l2, 20,
								  0)));
				}
				memset(got, 0xee, sizeof(got));
				net_tx4_tmpl_init(&tp, t.src_mac, t.vlan,
						  t.ttl);
				h = net_tx_tcp4(got, sizeof(got), &tp, &t,
						modes[m], &l4_off, &sum);
				assert_int_equal(h + t.payload_len, len);
				net_tx_ip4_frag(got + l2, ids[i], modes[m]);
				memcpy(got + h, pl, t.payload_len);
				if (modes[m] == NET_TCP_SUMS_SOFTWARE)
					net_tx_tcp_csum(got, l4_off, h,
							t.payload_len, sum);
				assert_int_equal(got[l2 + 6] & 0x40, 0);
				assert_memory_equal(got, want, sizeof(got));
			}
		}
	}
}

/* Every family, tag, layout, payload length and checksum mode. */
static void
test_build_tx_layouts(void **state)
{
	struct net_tcp_opts o;
	struct net_tcp_tx t;
	uint8_t pl[1600];
	size_t f, v, l, n, m;
	uint32_t i;

	(void)state;
	for (i = 0; i < sizeof(pl); i++)
		pl[i] = (uint8_t)rng();
	for (f = 0; f < 2; f++)
		for (v = 0; v < 2; v++)
			for (l = 0; l < ARRAY_SIZE(layouts); l++)
				for (n = 0; n < ARRAY_SIZE(payloads); n++)
					for (m = 0; m < ARRAY_SIZE(modes);
					     m++) {
						random_opts(
							&o, layouts[l],
							1 + (uint32_t)n % 4);
						random_tx(&t, &o, f);
						t.saddr = 0xc6120001u;
						t.vlan = v ?
							(uint16_t)(1 +
								   rng() % 4095) :
							0;
						t.payload_len = payloads[n];
						check_one(&t, modes[m], pl);
					}
}

/*
 * Every combination of the option flags (the unused high bits set or
 * not), with 0 to 4 SACK blocks, in both families: the lengths come
 * from a table and the common sets take a shortcut, so each set is
 * checked against the slow layout.
 */
static void
test_build_tx_every_opts(void **state)
{
	struct net_tcp_opts o;
	struct net_tcp_tx t;
	uint8_t pl[64];
	uint32_t has, ns, f, k;

	(void)state;
	for (k = 0; k < sizeof(pl); k++)
		pl[k] = (uint8_t)rng();
	for (has = 0; has < 0x40; has++)
		for (ns = 0; ns <= NET_SACK_MAX; ns++)
			for (f = 0; f < 2; f++) {
				random_opts(&o,
					    (uint8_t)(has |
						      (has & 0x20 ? 0xc0 : 0)),
					    ns);
				random_tx(&t, &o, f);
				t.ttl = 64;
				t.payload_len = ns * 9;
				check_one(&t, modes[has % 3], pl);
			}
}

/*
 * Sums that fold to all ones or to zero: payloads of 0xff and 0x00,
 * addresses of all ones; the folded value must be the one RFC 1071
 * gives, never its other representation.
 */
static void
test_build_tx_fold_edges(void **state)
{
	static const uint8_t ones[32] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	};
	struct net_tcp_opts o;
	struct net_tcp_tx t;
	uint8_t pl[1600];
	uint32_t i, n;

	(void)state;
	for (n = 0; n < 20000; n++) {
		memset(pl, n % 2 ? 0xff : 0, sizeof(pl));
		memset(&o, 0, sizeof(o));
		o.has = (uint8_t)rng();
		o.tsval = n % 3 ? 0xffffffffu : rng();
		o.tsecr = rng();
		o.nsack = rng() % (NET_SACK_MAX + 1);
		memset(&t, 0, sizeof(t));
		t.src_mac = mac_src;
		t.dst_mac = mac_dst;
		t.opts = &o;
		t.saddr6 = n % 4 == 0 ? ones : NULL;
		t.daddr6 = ones;
		t.saddr = n % 2 ? 0xffffffffu : rng();
		t.daddr = rng();
		t.sport = (uint16_t)rng();
		t.dport = (uint16_t)rng();
		t.seq = n % 5 ? 0xffffffffu : rng();
		t.ack = rng();
		t.wnd = (uint16_t)rng();
		t.flags = (uint8_t)rng();
		t.ttl = (uint8_t)(1 + rng() % 255);
		t.vlan = n % 3 ? 0 : 7;
		t.payload_len = rng() % 80;
		for (i = 0; i < t.payload_len && n % 7 == 0; i++)
			pl[i] = (uint8_t)rng();
		check_one(&t,
			  n % 2 ? NET_TCP_SUMS_SOFTWARE : NET_TCP_SUMS_OFFLOAD,
			  pl);
	}
}

/* Too small a buffer, or a length the IP header cannot say: 0. */
static void
test_build_tx_bounds(void **state)
{
	struct net_tcp_opts o = { .has = NET_OPT_TS };
	struct net_tcp_tx t = {
		.src_mac = mac_src,
		.dst_mac = mac_dst,
		.opts = &o,
		.ttl = 64,
		.payload_len = 100,
	};
	uint8_t buf[256];
	uint32_t l4_off;
	uint64_t sum;
	int tmpl;

	(void)state;
	/* IPv4 by net_tx_tcp(), then from a template by net_tx_tcp4(). */
	for (tmpl = 0; tmpl < 2; tmpl++) {
		/* 14 + 20 + 32 bytes of headers, then the payload. */
		t.payload_len = 100;
		assert_int_equal(build_one(buf, 166, &t, NET_TCP_SUMS_SOFTWARE,
					   tmpl, &l4_off, &sum),
				 66);
		assert_int_equal(build_one(buf, 165, &t, NET_TCP_SUMS_SOFTWARE,
					   tmpl, &l4_off, &sum),
				 0);
		assert_int_equal(build_one(buf, 65, &t, NET_TCP_SUMS_SOFTWARE,
					   tmpl, &l4_off, &sum),
				 0);
		t.payload_len = 0xffff - 20 - 32;
		assert_int_equal(build_one(buf, UINT32_MAX, &t,
					   NET_TCP_SUMS_NONE, tmpl, &l4_off,
					   &sum),
				 66);
		t.payload_len++;
		assert_int_equal(build_one(buf, UINT32_MAX, &t,
					   NET_TCP_SUMS_NONE, tmpl, &l4_off,
					   &sum),
				 0);
	}
	t.saddr6 = a6;
	t.daddr6 = a6 + 16;
	t.payload_len = 0xffff - 32;
	assert_int_equal(net_tx_tcp(buf, UINT32_MAX, &t, NET_TCP_SUMS_NONE,
				    &l4_off, &sum),
			 86);
	t.payload_len++;
	assert_int_equal(net_tx_tcp(buf, UINT32_MAX, &t, NET_TCP_SUMS_NONE,
				    &l4_off, &sum),
			 0);
}

/* The checksum of acc as RFC 1071 folds it: carries added until none. */
static uint16_t
ref_fold64(uint64_t acc)
{
	while (acc >> 16)
		acc = (acc & 0xffff) + (acc >> 16);
	return (uint16_t)~acc;
}

/*
 * The output path's fold of a 64-bit sum gives what the plain fold
 * gives, at the edges (zero, all ones, carries into every half) and on
 * random sums of every size.
 */
static void
test_build_tx_fold64(void **state)
{
	static const uint64_t edges[] = {
		0,
		1,
		0xffff,
		0x10000,
		0xfffe0001u,
		0xffffffffu,
		0x100000000u,
		0x1fffffffeu,
		0xffff0000ffffu,
		0xffffffff00000000u,
		0xffffffff00000001u,
		0xfffffffffffffffeu,
		0xffffffffffffffffu,
	};
	uint64_t acc;
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(edges) / sizeof(edges[0]); i++)
		assert_int_equal(net__tx_fold(edges[i]), ref_fold64(edges[i]));
	for (i = 0; i < 1000000; i++) {
		acc = (uint64_t)rng() << 32 | rng();
		acc >>= i % 64;
		assert_int_equal(net__tx_fold(acc), ref_fold64(acc));
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build_tx_layouts),
		cmocka_unit_test(test_build_tx_frag),
		cmocka_unit_test(test_build_tx_every_opts),
		cmocka_unit_test(test_build_tx_fold_edges),
		cmocka_unit_test(test_build_tx_bounds),
		cmocka_unit_test(test_build_tx_fold64),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
