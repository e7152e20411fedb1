/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests for the IPv4 options of echo requests (RFC 791 3.1, RFC
 * 1122 3.2.2.6): Record Route and Timestamp updated in the echo reply,
 * malformed ones dropped, others echoed as they came; and the RFC 791
 * timestamp value.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "echo_frame.h"
#include "net.h"
#include "net_ipopt.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define OPT_MAX 40

static const uint8_t mac_l[NET_ETH_ALEN] = { 2, 0, 0, 0, 0, 1 };

/* The timestamp the replies carry. */
#define TS 0x01020304u

/* Our address 198.18.0.1, another host's 198.18.0.9, as on the wire. */
#define US 0xc6, 0x12, 0x00, 0x01
#define THEM 0xc6, 0x12, 0x00, 0x09
#define TSB 0x01, 0x02, 0x03, 0x04

struct opt_echo_case {
	const char *name;
	uint8_t len; /* a multiple of 4 */
	uint8_t opt[OPT_MAX];
	enum net_drop drop;
	uint8_t reply[OPT_MAX]; /* when not dropped */
};

/* clang-format off */
static const struct opt_echo_case cases[] = {
	/* RFC 791 3.1 Record Route: our address at the pointer. */
	{ "rr room", 12, { 7, 11, 4 }, NET_DROP_NONE,
	  { 7, 11, 8, US } },
	{ "rr second slot", 12, { 7, 11, 8, THEM }, NET_DROP_NONE,
	  { 7, 11, 12, THEM, US } },
	{ "rr after nops", 12, { 1, 1, 7, 7, 4 }, NET_DROP_NONE,
	  { 1, 1, 7, 7, 8, US } },
	{ "rr full", 12, { 7, 11, 12, THEM, THEM }, NET_DROP_NONE,
	  { 7, 11, 12, THEM, THEM } },
	/* Timestamp, flag 0: our timestamp, or an overflow when full. */
	{ "ts only room", 12, { 68, 12, 5, 0x00 }, NET_DROP_NONE,
	  { 68, 12, 9, 0x00, TSB } },
	{ "ts only full", 8, { 68, 8, 9, 0x00, 9, 9, 9, 9 }, NET_DROP_NONE,
	  { 68, 8, 9, 0x10, 9, 9, 9, 9 } },
	{ "ts only overflow 14", 8, { 68, 8, 9, 0xe0, 9, 9, 9, 9 },
	  NET_DROP_NONE, { 68, 8, 9, 0xf0, 9, 9, 9, 9 } },
	/* RFC 791 3.1: "the overflow count itself overflows": in error. */
	{ "ts only overflow 15", 8, { 68, 8, 9, 0xf0, 9, 9, 9, 9 },
	  NET_DROP_IP_OPTS, { 0 } },
	/* Flag 1: our address and timestamp. */
	{ "ts addr room", 12, { 68, 12, 5, 0x01 }, NET_DROP_NONE,
	  { 68, 12, 13, 0x01, US, TSB } },
	{ "ts addr full", 12, { 68, 12, 13, 0x31, THEM, 9, 9, 9, 9 },
	  NET_DROP_NONE, { 68, 12, 13, 0x41, THEM, 9, 9, 9, 9 } },
	/* Flag 3: a timestamp only where the next address is ours. */
	{ "ts prespec ours", 12, { 68, 12, 5, 0x03, US }, NET_DROP_NONE,
	  { 68, 12, 13, 0x03, US, TSB } },
	{ "ts prespec second ours", 20,
	  { 68, 20, 13, 0x03, THEM, 9, 9, 9, 9, US }, NET_DROP_NONE,
	  { 68, 20, 21, 0x03, THEM, 9, 9, 9, 9, US, TSB } },
	{ "ts prespec not ours", 12, { 68, 12, 5, 0x03, THEM },
	  NET_DROP_NONE, { 68, 12, 5, 0x03, THEM } },
	/* Done: no overflow, whatever the count. */
	{ "ts prespec full", 12, { 68, 12, 13, 0xf3, US, 9, 9, 9, 9 },
	  NET_DROP_NONE, { 68, 12, 13, 0xf3, US, 9, 9, 9, 9 } },
	/* An unknown flag is left as it is (RFC 1122 3.2.1.8). */
	{ "ts flag 2", 8, { 68, 8, 5, 0x02 }, NET_DROP_NONE,
	  { 68, 8, 5, 0x02 } },
	{ "ts flag 2 full", 8, { 68, 8, 9, 0xf2, 9, 9, 9, 9 },
	  NET_DROP_NONE, { 68, 8, 9, 0xf2, 9, 9, 9, 9 } },
	/* Both, each updated. */
	{ "rr and ts", 16, { 7, 7, 4, 0, 0, 0, 0, 68, 8, 5, 0x00 },
	  NET_DROP_NONE, { 7, 7, 8, US, 68, 8, 9, 0x00, TSB } },
	/* Others go back as they came. */
	{ "router alert", 8, { 148, 4, 0, 0, 1, 1, 1, 0 }, NET_DROP_NONE,
	  { 148, 4, 0, 0, 1, 1, 1, 0 } },
	{ "unknown option", 8, { 30, 6, 1, 2, 3, 4, 0, 0 }, NET_DROP_NONE,
	  { 30, 6, 1, 2, 3, 4, 0, 0 } },
	/* A record route after the end of the list is none. */
	{ "rr after eol", 8, { 0, 7, 7, 4 }, NET_DROP_NONE,
	  { 0, 7, 7, 4 } },
	/*
	 * The same where the bytes after the end would read as options: the
	 * update stops at the end as the check does (a walk past it wrote
	 * the address 2 bytes beyond the header).
	 */
	{ "rr after eol walkable", 12, { 0, 2, 7, 7, 4 }, NET_DROP_NONE,
	  { 0, 2, 7, 7, 4 } },
	/* Malformed, as Linux's ip_options_compile() finds them. */
	{ "rr length 2", 4, { 7, 2, 1, 0 }, NET_DROP_IP_OPTS, { 0 } },
	{ "rr pointer 3", 8, { 7, 7, 3 }, NET_DROP_IP_OPTS, { 0 } },
	{ "rr pointer part", 12, { 7, 9, 8 }, NET_DROP_IP_OPTS, { 0 } },
	{ "rr twice", 8, { 7, 3, 4, 7, 3, 4 }, NET_DROP_IP_OPTS, { 0 } },
	{ "ts length 3", 4, { 68, 3, 5, 0 }, NET_DROP_IP_OPTS, { 0 } },
	{ "ts pointer 4", 8, { 68, 8, 4 }, NET_DROP_IP_OPTS, { 0 } },
	{ "ts pointer part", 12, { 68, 10, 9 }, NET_DROP_IP_OPTS, { 0 } },
	{ "ts addr part", 8, { 68, 8, 5, 0x01 }, NET_DROP_IP_OPTS, { 0 } },
	{ "ts prespec part", 8, { 68, 8, 5, 0x03 }, NET_DROP_IP_OPTS,
	  { 0 } },
	{ "ts twice", 8, { 68, 4, 5, 0, 68, 4, 5, 0 }, NET_DROP_IP_OPTS,
	  { 0 } },
};
/* clang-format on */

/* v_echo with the options (len bytes, IHL 5 + len / 4) into buf. */
static uint32_t
echo_with_opts(uint8_t *buf, const uint8_t *opt, uint32_t len)
{
	uint16_t c;

	memcpy(buf, v_echo, 34);
	memcpy(buf + 34, opt, len);
	memcpy(buf + 34 + len, v_echo + 34, sizeof(v_echo) - 34);
	buf[14] = (uint8_t)(0x45 + len / 4);
	buf[17] = (uint8_t)(buf[17] + len);
	buf[24] = buf[25] = 0;
	c = net_csum_fold(net_csum_partial(buf + 14, 20 + len, 0));
	memcpy(buf + 24, &c, 2);
	return sizeof(v_echo) + len;
}

/* The reply: addresses swapped, both checksums good, ICMP as echoed. */
static void
check_reply(const uint8_t *buf, uint32_t n, uint32_t olen)
{
	uint32_t ihl = 20 + olen;

	assert_int_equal(n, sizeof(v_echo) + olen);
	assert_int_equal(buf[14], 0x45 + olen / 4);
	assert_memory_equal(buf + 26, v_echo + 30, 4);
	assert_memory_equal(buf + 30, v_echo + 26, 4);
	assert_int_equal(net_csum_fold(net_csum_partial(buf + 14, ihl, 0)), 0);
	assert_int_equal(net_csum_fold(net_csum_partial(buf + 14 + ihl,
							n - 14 - ihl, 0)),
			 0);
	assert_int_equal(buf[14 + ihl], NET_ICMP_ECHO_REPLY);
	assert_memory_equal(buf + 14 + ihl + 4, v_echo + 38,
			    sizeof(v_echo) - 38);
}

/*
 * RFC 1122 3.2.2.6: Record Route and Timestamp in an echo request are
 * updated with this host in the reply, without truncation; malformed
 * ones (RFC 791 3.1) drop the request as ip_opts.
 */
static void
test_echo_opts(void **state)
{
	struct net_frame f;
	uint8_t buf[128];
	enum net_drop d;
	uint32_t n;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct opt_echo_case *c = &cases[i];

		print_message("%s\n", c->name);
		n = echo_with_opts(buf, c->opt, c->len);
		d = net_parse(buf, n, NET_CSUM_UNKNOWN, NET_CSUM_UNKNOWN, &f);
		assert_string_equal(net_drop_name(d), net_drop_name(c->drop));
		if (d != NET_DROP_NONE)
			continue;
		assert_int_equal(f.kind, NET_KIND_ICMP_ECHO);
		n = net_icmp_echo_reply(buf, &f, mac_l, TS);
		check_reply(buf, n, c->len);
		assert_memory_equal(buf + 34, c->reply, c->len);
	}
}

/*
 * The update on its own, on options the parse would have refused: each
 * is left as it is, no byte written outside it (the list in a heap
 * block of its exact size, for ASan). A Record Route whose pointer left
 * no room for an address had one written past its end; a pointer of 0,
 * before its start.
 */
static void
test_echo_unchecked_opts(void **state)
{
	/* clang-format off */
	static const uint8_t lists[][8] = {
		{ 7, 7, 6, 0, 0, 0, 0 },	/* RR, no room at the pointer */
		{ 7, 7, 0, 0, 0, 0, 0 },	/* RR, pointer 0 */
		{ 68, 8, 6, 0x01, 0, 0, 0, 0 },	/* TS addr+ts, no room */
		{ 68, 8, 1, 0x00, 0, 0, 0, 0 },	/* TS, pointer 1 */
	};
	static const uint32_t lens[] = { 7, 7, 8, 8 };
	/* clang-format on */
	uint8_t *opt;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(lists); i++) {
		opt = malloc(lens[i]);
		assert_non_null(opt);
		memcpy(opt, lists[i], lens[i]);
		net__ip_opts_echo(opt, lens[i], 0xc6120001u, TS);
		assert_memory_equal(opt, lists[i], lens[i]);
		free(opt);
	}
}

/*
 * A malformed Record Route or Timestamp drops a TCP segment too, as
 * Linux's ip_options_compile() does any datagram; a good one does not.
 */
static void
test_tcp_opts(void **state)
{
	/* TCP 40000 > 80 SYN, seq 1 (its checksum is filled below). */
	/* clang-format off */
	static const uint8_t tcp[] = {
		0x9c, 0x40, 0x00, 0x50, 0, 0, 0, 1, 0, 0, 0, 0,
		0x50, 0x02, 0xff, 0xff, 0, 0, 0, 0,
	};
	/* clang-format on */
	static const uint8_t bad[8] = { 7, 7, 3 }, good[8] = { 7, 7, 4 };
	const uint8_t *opts[] = { bad, good };
	const enum net_drop want[] = { NET_DROP_IP_OPTS, NET_DROP_NONE };
	struct net_frame f;
	uint8_t buf[128];
	uint32_t sum;
	uint16_t c;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(opts); i++) {
		memcpy(buf, v_echo, 34);
		memcpy(buf + 34, opts[i], 8);
		memcpy(buf + 42, tcp, sizeof(tcp));
		buf[14] = 0x47;
		buf[16] = 0;
		buf[17] = 48;
		buf[23] = NET_IPPROTO_TCP;
		buf[24] = buf[25] = 0;
		c = net_csum_fold(net_csum_partial(buf + 14, 28, 0));
		memcpy(buf + 24, &c, 2);
		sum = net_tcp_pseudo_sum(0xc6120002, 0xc6120001, sizeof(tcp));
		c = net_csum_fold(net_csum_partial(buf + 42, sizeof(tcp), sum));
		memcpy(buf + 42 + 16, &c, 2);
		assert_string_equal(net_drop_name(net_parse(buf, 62, 0, 0, &f)),
				    net_drop_name(want[i]));
	}
}

/* RFC 791 3.1, RFC 1122 3.2.2.8: milliseconds since midnight UT. */
static void
test_ip_timestamp(void **state)
{
	(void)state;
	assert_int_equal(net_ip_timestamp(0, 0), 0);
	assert_int_equal(net_ip_timestamp(86400ull * 20000 + 3600, 123456789),
			 3600123);
	assert_int_equal(net_ip_timestamp(86400ull * 3 - 1, 999999999),
			 86399999);
	assert_int_equal(net_ip_timestamp(86400ull * 3, 999999), 0);
	assert_int_equal(NET_IP_TS_NONSTD, 1u << 31);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_echo_opts),
		cmocka_unit_test(test_echo_unchecked_opts),
		cmocka_unit_test(test_tcp_opts),
		cmocka_unit_test(test_ip_timestamp),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
