/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of tcpterm-gen's command line (the family of its addresses)
 * and of the 4-tuple a received segment belongs to, over IPv4 and IPv6.
 * gen.h includes DPDK headers; nothing here needs the EAL.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "gen.h"
#include "gen_internal.h"

volatile int gen_quit;

#define ARGV_MAX 16

/* Parse a command line given as one string of words. */
static int
parse(const char *line, struct gen_opts *o)
{
	char buf[512];
	char *argv[ARGV_MAX + 1];
	int argc = 0;
	char *w;

	strcpy(buf, line);
	argv[argc++] = (char *)"tcpterm-gen";
	for (w = strtok(buf, " "); w && argc < ARGV_MAX; w = strtok(NULL, " "))
		argv[argc++] = w;
	argv[argc] = NULL;
	return gen_parse_args(argc, argv, o);
}

static void
addr6(const char *s, uint8_t *a)
{
	assert_int_equal(net_ipv6_parse(s, a), 0);
}

static void
test_ipv4_default(void **state)
{
	struct gen_opts o;
	uint32_t dst;

	(void)state;
	assert_int_equal(parse("-s short", &o), 0);
	assert_false(o.ipv6);
	net_ipv4_parse("198.18.20.1", &dst);
	assert_int_equal(o.dst, dst);
	assert_int_equal(o.dport, 80);
	assert_int_equal(o.src_hi - o.src_lo, 15);
}

/* --ipv6 alone: the IPv6 defaults. */
static void
test_ipv6_defaults(void **state)
{
	struct gen_opts o;
	uint8_t want[16];

	(void)state;
	assert_int_equal(parse("--ipv6 -d [2001:db8:20::1]:81", &o), 0);
	assert_true(o.ipv6);
	assert_int_equal(o.dport, 81);
	assert_int_equal(parse("-6", &o), 0);
	assert_true(o.ipv6);
	addr6("2001:db8:20::1", want);
	assert_memory_equal(o.dst6, want, 16);
	addr6("2001:db8:20::2", want);
	assert_memory_equal(o.src6, want, 16);
	assert_int_equal(o.src_lo, 2);
	assert_int_equal(o.src_hi, 0x11);
	assert_int_equal(o.dport, 80);
}

/* An IPv6 address implies --ipv6, in either option. */
static void
test_ipv6_implied(void **state)
{
	struct gen_opts o;
	uint8_t want[16];

	(void)state;
	assert_int_equal(parse("-d [2001:db8:1::1]:80 --src "
			       "2001:db8:1::2-2001:db8:1::41", &o), 0);
	assert_true(o.ipv6);
	addr6("2001:db8:1::1", want);
	assert_memory_equal(o.dst6, want, 16);
	assert_int_equal(o.src_lo, 2);
	assert_int_equal(o.src_hi, 0x41);
	assert_int_equal(parse("--src 2001:db8:1::2-2001:db8:1::41", &o), 0);
	assert_true(o.ipv6);
	addr6("2001:db8:20::1", want);
	assert_memory_equal(o.dst6, want, 16);
}

/* One family only; the SYN flood stays IPv4. */
static void
test_family_refused(void **state)
{
	struct gen_opts o;

	(void)state;
	assert_int_equal(parse("-d 198.18.20.1:80 --src 2001:db8:1::2", &o),
			 -1);
	assert_int_equal(parse("--ipv6 -d 198.18.20.1:80", &o), -1);
	assert_int_equal(parse("--src 198.18.20.2 -6", &o), -1);
	assert_int_equal(parse("-6 --flood", &o), -1);
	assert_int_equal(parse("-s synflood -6", &o), -1);
	assert_int_equal(parse("-d 2001:db8::1:80", &o), -1);
	/* The flood's sources are IPv4. */
	assert_int_equal(parse("--flood --flood-src 2001:db8::1", &o), -1);
}

/* A context with the options of line and its 4-tuple space. */
static void
gen_of(const char *line, struct gen *g)
{
	memset(g, 0, sizeof(*g));
	assert_int_equal(parse(line, &g->o), 0);
	g->n_sport = (uint32_t)g->o.sport_hi - g->o.sport_lo + 1;
}

static void
test_tuple_of6(void **state)
{
	static struct gen g;
	uint8_t tt[16], src[16], other[16];
	struct net_seg s = { .sport = 80, .dport = 1029 };

	(void)state;
	gen_of("-d [2001:db8:1::1]:80 --src 2001:db8:1::2-2001:db8:1::41 "
	       "--sport 1024-2047", &g);
	addr6("2001:db8:1::1", tt);
	addr6("2001:db8:1::41", src);
	s.saddr6 = tt;
	s.daddr6 = src;
	assert_int_equal(gen_tuple_of(&g, &s), (0x41 - 2) * 1024 + 5);
	assert_int_equal(gen_tuple_addr(&g, (0x41 - 2) * 1024 + 5), 0x41);
	assert_int_equal(gen_tuple_port(&g, (0x41 - 2) * 1024 + 5), 1029);
	/* Not from the target, not to a source, not from its port. */
	addr6("2001:db8:1::99", other);
	s.saddr6 = other;
	assert_int_equal(gen_tuple_of(&g, &s), GEN_NONE);
	s.saddr6 = tt;
	s.daddr6 = other;
	assert_int_equal(gen_tuple_of(&g, &s), GEN_NONE);
	addr6("2001:db8:2::41", other);
	assert_int_equal(gen_tuple_of(&g, &s), GEN_NONE);
	s.daddr6 = src;
	s.sport = 81;
	assert_int_equal(gen_tuple_of(&g, &s), GEN_NONE);
	s.sport = 80;
	s.dport = 2048;
	assert_int_equal(gen_tuple_of(&g, &s), GEN_NONE);
}

/* IPv4 as before. */
static void
test_tuple_of4(void **state)
{
	static struct gen g;
	struct net_seg s = { .sport = 80, .dport = 1024 };

	(void)state;
	gen_of("-d 198.18.20.1:80 --src 198.18.20.2-198.18.20.65 "
	       "--sport 1024-2047", &g);
	s.saddr = g.o.dst;
	s.daddr = g.o.src_lo + 3;
	assert_int_equal(gen_tuple_of(&g, &s), 3 * 1024);
	s.daddr = g.o.src_hi + 1;
	assert_int_equal(gen_tuple_of(&g, &s), GEN_NONE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ipv4_default),
		cmocka_unit_test(test_ipv6_defaults),
		cmocka_unit_test(test_ipv6_implied),
		cmocka_unit_test(test_family_refused),
		cmocka_unit_test(test_tuple_of6),
		cmocka_unit_test(test_tuple_of4),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
