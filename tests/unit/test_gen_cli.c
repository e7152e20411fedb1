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
			       "2001:db8:1::2-2001:db8:1::41",
			       &o),
			 0);
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
	       "--sport 1024-2047",
	       &g);
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
	       "--sport 1024-2047",
	       &g);
	s.saddr = g.o.dst;
	s.daddr = g.o.src_lo + 3;
	assert_int_equal(gen_tuple_of(&g, &s), 3 * 1024);
	s.daddr = g.o.src_hi + 1;
	assert_int_equal(gen_tuple_of(&g, &s), GEN_NONE);
}

/* The target's workers: --workers, --reta-size, --owner. */
static void
test_workers_options(void **state)
{
	struct gen_opts o;

	(void)state;
	assert_int_equal(parse("-s short", &o), 0);
	assert_int_equal(o.workers, 1);
	assert_int_equal(o.reta_size, 512);
	assert_int_equal(o.owner, -1);
	assert_false(o.allow_failures);
	assert_int_equal(parse("--workers 3 --reta-size 128 --owner 2 "
			       "--allow-failures --close-wait-ms 5000",
			       &o),
			 0);
	assert_int_equal(o.workers, 3);
	assert_int_equal(o.reta_size, 128);
	assert_int_equal(o.owner, 2);
	assert_true(o.allow_failures);
	assert_int_equal(o.close_wait_ms, 5000);
	assert_int_equal(parse("--workers 2 --owner 2", &o), -1);
	assert_int_equal(parse("--owner 1", &o), -1);
	assert_int_equal(parse("--workers 0", &o), -1);
	assert_int_equal(parse("--workers 65", &o), -1);
	assert_int_equal(parse("--reta-size 100", &o), -1);
	assert_int_equal(parse("--reta-size 4096", &o), -1);
}

/* Failed connections make exit status 3 and a last line, unless allowed. */
static void
test_exit_status(void **state)
{
	struct gen_opts o;
	struct gen_counters c;
	char msg[256];

	(void)state;
	memset(&c, 0, sizeof(c));
	assert_int_equal(parse("-s short", &o), 0);
	c.completed = 100;
	c.retransmits = 5;
	assert_int_equal(gen_exit_status(&o, &c, msg, sizeof(msg)), 0);
	assert_string_equal(msg, "");
	c.fail_rst = 2;
	c.fail_timeout = 1;
	assert_int_equal(gen_exit_status(&o, &c, msg, sizeof(msg)),
			 GEN_EXIT_FAILED);
	assert_non_null(strstr(msg,
			       "3 connection(s) failed (reset 2, "
			       "timed out 1"));
	assert_non_null(strstr(msg, "exit status 3"));
	c.fail_rst = c.fail_timeout = 0;
	c.unfinished = 1;
	assert_int_equal(gen_exit_status(&o, &c, msg, sizeof(msg)),
			 GEN_EXIT_FAILED);
	c.unfinished = 0;
	c.fail_bad_response = 1;
	assert_int_equal(gen_exit_status(&o, &c, msg, sizeof(msg)),
			 GEN_EXIT_FAILED);
	assert_int_equal(parse("-s short --allow-failures", &o), 0);
	assert_int_equal(gen_exit_status(&o, &c, msg, sizeof(msg)), 0);
	assert_non_null(strstr(msg, "allowed"));
}

/*
 * --workers 2: connections take tuples of worker 0 and 1 in turn, and
 * each worker's count is kept; --owner 1: worker 1's tuples only.
 */
static void
check_alloc(const char *line, uint32_t n_owners, int32_t only)
{
	static struct gen g;
	struct gen_rss r = { .n_owners = n_owners,
			     .reta_size = 512,
			     .only = only };
	struct gen_space sp = { .ipv6 = false };
	struct gen_conn *c;
	uint32_t i, k;

	memset(&g, 0, sizeof(g));
	assert_int_equal(parse(line, &g.o), 0);
	assert_int_equal(gen_tcp_init(&g), 0);
	assert_non_null(g.order);
	sp.src_lo = g.o.src_lo;
	sp.src_hi = g.o.src_hi;
	sp.dst = g.o.dst;
	sp.sport_lo = g.o.sport_lo;
	sp.sport_hi = g.o.sport_hi;
	sp.dport = g.o.dport;
	for (i = 0; i < 60; i++) {
		c = gen_conn_alloc(&g);
		assert_non_null(c);
		k = only >= 0 ? (uint32_t)only : i % n_owners;
		assert_int_equal(gen_rss_owner_of(&sp, &r, c->tuple), k);
	}
	for (k = 0; k < n_owners; k++)
		assert_int_equal(g.owner_opened[k],
				 only < 0 ? 60 / n_owners :
					    (k == (uint32_t)only ? 60 : 0));
	gen_tcp_free(&g);
}

static void
test_alloc_per_owner(void **state)
{
	static struct gen g;
	struct gen_conn *c;

	(void)state;
	check_alloc("--workers 2 --sport 1024-2047", 2, -1);
	check_alloc("--workers 3 --sport 1024-2047", 3, -1);
	check_alloc("--workers 4 --owner 1 --sport 1024-2047", 4, 1);
	/* One worker: index order, as before. */
	memset(&g, 0, sizeof(g));
	assert_int_equal(parse("--sport 1024-2047", &g.o), 0);
	assert_int_equal(gen_tcp_init(&g), 0);
	assert_null(g.order);
	c = gen_conn_alloc(&g);
	assert_non_null(c);
	assert_int_equal(c->tuple, 0);
	c = gen_conn_alloc(&g);
	assert_non_null(c);
	assert_int_equal(c->tuple, 1);
	gen_tcp_free(&g);
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
		cmocka_unit_test(test_workers_options),
		cmocka_unit_test(test_exit_status),
		cmocka_unit_test(test_alloc_per_owner),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
