/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of the IPv6 configuration keys: ports[].ipv6, .gateway6,
 * listeners[].family, limits.max_time_wait6, and their validation with
 * file:line:col.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <cmocka.h>

#include "config.h"
#include "config_internal.h"

#define LISTEN "listeners:\n  - port: 80\n    app: http\n"
/* ports[0].ipv6 is on line 4, its value at column 11. */
#define P6(v) \
	"ports:\n  - device: d\n    ipv4: 198.18.0.1/24\n    ipv6: " v "\n"
#define AT6 "t.yaml:4:11: ports[0].ipv6: "
/* ports[0].gateway6 on line 5, value at column 15. */
#define G6(v) P6("2001:db8::1/64") "    gateway6: " v "\n"
#define ATG6 "t.yaml:5:15: ports[0].gateway6: "

static int
load(const char *yaml, struct cfg *c, char *err, size_t len)
{
	return cfg_load_string("t.yaml", yaml, strlen(yaml), c, err, len);
}

static int
setup(void **state)
{
	(void)state;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	return 0;
}

static void
addr6(const char *s, uint8_t *a)
{
	assert_int_equal(inet_pton(AF_INET6, s, a), 1);
}

static const char dual[] = "ports:\n"
			   "  - device: d\n"
			   "    ipv4: 198.18.0.1/24\n"
			   "    gateway: 198.18.0.254\n"
			   "    ipv6: 2001:db8::1/64\n"
			   "    gateway6: 2001:db8::fe\n"
			   "  - device: e\n"
			   "    ipv6: 2001:db8:1::1/48\n"
			   "    gateway6: fe80::1\n"
			   "listeners:\n"
			   "  - {port: 80, app: http}\n"
			   "  - {port: 7, app: echo, family: ipv6}\n"
			   "  - {port: 9, app: discard, family: ipv4}\n";

static void
test_dual_values(void **state)
{
	uint8_t a[16];
	struct cfg c;
	char err[512];

	(void)state;
	if (load(dual, &c, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_int_equal(c.ports[0].addr, 0xc6120001u);
	assert_true(c.ports[0].has_ipv6);
	addr6("2001:db8::1", a);
	assert_memory_equal(c.ports[0].addr6, a, 16);
	assert_int_equal(c.ports[0].prefix6_len, 64);
	assert_true(c.ports[0].has_gateway6);
	addr6("2001:db8::fe", a);
	assert_memory_equal(c.ports[0].gateway6, a, 16);
	/* IPv6 only, with a link-local gateway. */
	assert_int_equal(c.ports[1].addr, 0);
	assert_int_equal(c.ports[1].prefix6_len, 48);
	addr6("fe80::1", a);
	assert_memory_equal(c.ports[1].gateway6, a, 16);
	assert_int_equal(c.listeners[0].family, CFG_FAMILY_BOTH);
	assert_int_equal(c.listeners[1].family, CFG_FAMILY_IPV6);
	assert_int_equal(c.listeners[2].family, CFG_FAMILY_IPV4);
	assert_string_equal(cfg_family_name(CFG_FAMILY_IPV6), "ipv6");
}

/* What --print-config writes loads back to the same struct. */
static void
test_dump_round_trip6(void **state)
{
	struct cfg c, d;
	char err[512], *text = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	memset(&c, 0, sizeof(c));
	memset(&d, 0, sizeof(d));
	assert_int_equal(load(dual, &c, err, sizeof(err)), 0);
	f = open_memstream(&text, &len);
	assert_non_null(f);
	cfg_dump(&c, f);
	fclose(f);
	if (load(text, &d, err, sizeof(err)) != 0)
		fail_msg("%s\n%s", err, text);
	assert_memory_equal(&c, &d, sizeof(c));
	free(text);
}

struct err_case {
	const char *yaml;
	const char *prefix;  /* exact "name:line:col: path" start */
	const char *keyword; /* somewhere in the message */
};

static const struct err_case err_cases[] = {
	{ P6("fe80::1/64") LISTEN, AT6, "link-local" },
	{ P6("ff02::1/64") LISTEN, AT6, "multicast" },
	{ P6("::/64") LISTEN, AT6, "unspecified" },
	{ P6("::1/128") LISTEN, AT6, "loopback" },
	{ P6("::ffff:198.18.0.1/96") LISTEN, AT6, "IPv4-mapped" },
	{ P6("2001:db8::/64") LISTEN, AT6, "Subnet-Router anycast" },
	{ P6("2001:db8::1/0") LISTEN, AT6, "1..128" },
	{ P6("2001:db8::1/129") LISTEN, AT6, "1..128" },
	{ P6("2001:db8::1/64x") LISTEN, AT6, "1..128" },
	{ P6("2001:db8::1") LISTEN, AT6, "address/prefix-length" },
	{ P6("2001:db8::g/64") LISTEN, AT6, "not a valid IPv6" },
	{ P6("2001:db8::1/") LISTEN, AT6, "missing prefix length" },
	{ G6("2001:db9::1") LISTEN, ATG6, "neither in the port's prefix" },
	{ G6("2001:db8::1") LISTEN, ATG6, "own address" },
	{ G6("ff02::2") LISTEN, ATG6, "multicast" },
	{ G6("\"::\"") LISTEN, ATG6, "unspecified" },
	{ G6("198.18.0.254") LISTEN, ATG6, "not a valid IPv6" },
	{ "ports:\n  - device: d\n    ipv4: 198.18.0.1/24\n"
	  "    gateway6: fe80::1\n" LISTEN,
	  "t.yaml:4:5: ports[0].gateway6: ", "needs 'ipv6'" },
	{ "ports:\n  - device: d\n    ipv6: 2001:db8::1/64\n"
	  "    gateway: 198.18.0.254\n" LISTEN,
	  "t.yaml:4:5: ports[0].gateway: ", "needs 'ipv4'" },
	{ "ports:\n  - device: d\n" LISTEN, "t.yaml:2:", "'ipv6'" },
	{ "ports:\n  - device: d\n    ipv6: 2001:db8::1/64\n" LISTEN
	  "    family: ipv4\n",
	  "t.yaml:7:13: listeners[0].family: ", "no port has an 'ipv4'" },
	{ "ports:\n  - device: d\n    ipv4: 198.18.0.1/24\n" LISTEN
	  "    family: ipv6\n",
	  "t.yaml:7:13: listeners[0].family: ", "no port has an 'ipv6'" },
	{ "ports:\n  - device: d\n    ipv4: 198.18.0.1/24\n" LISTEN
	  "    family: ipx\n",
	  "t.yaml:7:13: listeners[0].family: ", "" },
	{ "ports:\n  - device: d\n    ipv6: 2001:db8::1/64\n"
	  "  - device: e\n    ipv6: 2001:db8::1/64\n" LISTEN,
	  "t.yaml:5:11: ports[1].ipv6: ", "already used by ports[0]" },
	{ "ports:\n  - device: d\n    ipv6: 2001:db8::1/64\n"
	  "  - device: e\n    ipv6: 2001:db8::2/56\n" LISTEN,
	  "t.yaml:5:11: ports[1].ipv6: ", "overlaps the prefix /64" },
};

static void
check_errors(const struct err_case *cases, size_t n)
{
	struct cfg c;
	char err[512];
	size_t i;

	for (i = 0; i < n; i++) {
		const struct err_case *t = &cases[i];

		memset(err, 0, sizeof(err));
		if (load(t->yaml, &c, err, sizeof(err)) != -1)
			fail_msg("case %zu: loaded", i);
		if (strncmp(err, t->prefix, strlen(t->prefix)) != 0 ||
		    strstr(err + strlen(t->prefix), t->keyword) == NULL)
			fail_msg("case %zu: got \"%s\", want \"%s...%s\"", i,
				 err, t->prefix, t->keyword);
	}
}

static void
test_errors6(void **state)
{
	(void)state;
	check_errors(err_cases, sizeof(err_cases) / sizeof(err_cases[0]));
}

/*
 * limits.max_time_wait6: max_time_wait / 4 by default when a port has
 * IPv6, 0 without; given, it counts in the flow-table bound with the
 * other limits.
 */
static void
test_time_wait6(void **state)
{
	static const struct err_case errs[] = {
		{ P6("2001:db8::1/64") LISTEN "workers: 4\nlimits:\n"
					      "  max_time_wait6: 3\n",
		  "t.yaml:10:19: "
		  "limits.max_time_wait6: ",
		  "less than one per worker" },
		{ P6("2001:db8::1/64") LISTEN "limits:\n"
					      "  max_connections: 1000000000\n"
					      "  max_time_wait: 1000000000\n"
					      "  max_time_wait6: 200000000\n",
		  "t.yaml:11:19: "
		  "limits.max_time_wait6: ",
		  "more than a flow table" },
	};
	struct cfg c;
	char err[512];

	(void)state;
	assert_int_equal(load(P6("2001:db8::1/64") LISTEN, &c, err,
			      sizeof(err)),
			 0);
	assert_true(cfg_has_ipv6(&c));
	assert_int_equal(c.limits.max_time_wait6, 0);
	assert_int_equal(cfg_max_time_wait6(&c), 16000000 / 4);
	assert_int_equal(load(P6("2001:db8::1/64") LISTEN
			      "limits:\n"
			      "  max_time_wait6: 1000\n",
			      &c, err, sizeof(err)),
			 0);
	assert_int_equal(cfg_max_time_wait6(&c), 1000);
	/* No IPv6 port: nothing for IPv6, whatever the key says. */
	assert_int_equal(load("ports:\n  - device: d\n    ipv4: "
			      "198.18.0.1/24\n" LISTEN "limits:\n"
			      "  max_time_wait6: 1000\n",
			      &c, err, sizeof(err)),
			 0);
	assert_false(cfg_has_ipv6(&c));
	assert_int_equal(cfg_max_time_wait6(&c), 0);
	check_errors(errs, sizeof(errs) / sizeof(errs[0]));
}

/*
 * One port number twice: an ipv4 and an ipv6 listener each take their
 * family, with their own application; a listener of both families, or a
 * second one of the same family, would answer the same segments and is
 * refused where its port is written, naming the listener it clashes with.
 */
#define DUAL_PORT \
	"ports:\n  - {device: d, ipv4: 198.18.0.1/24, " \
	"ipv6: 2001:db8::1/64}\nlisteners:\n"
#define FAMILY_CLASH(a, b) \
	{ \
		DUAL_PORT "  - {port: 80, app: http" a "}\n" \
			  "  - {port: 80, app: echo" b "}\n", \
			"t.yaml:5:12: listeners[1].port: ", \
			"port 80 is already used by listeners[0] (family: " \
	}

static void
test_port_per_family(void **state)
{
	static const struct err_case clash[] = {
		FAMILY_CLASH(", family: ipv4", ", family: ipv4"),
		FAMILY_CLASH(", family: ipv6", ", family: ipv6"),
		FAMILY_CLASH("", ", family: ipv6"),
		FAMILY_CLASH(", family: ipv4", ""),
		FAMILY_CLASH("", ""),
	};
	struct cfg c;
	char err[512] = "";

	(void)state;
	if (load(DUAL_PORT "  - {port: 80, app: http, family: ipv4}\n"
			   "  - {port: 80, app: echo, family: ipv6}\n",
		 &c, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_int_equal(c.n_listeners, 2);
	assert_int_equal(c.listeners[0].port, 80);
	assert_int_equal(c.listeners[0].app, CFG_APP_HTTP);
	assert_int_equal(c.listeners[0].family, CFG_FAMILY_IPV4);
	assert_int_equal(c.listeners[1].port, 80);
	assert_int_equal(c.listeners[1].app, CFG_APP_ECHO);
	assert_int_equal(c.listeners[1].family, CFG_FAMILY_IPV6);
	check_errors(clash, sizeof(clash) / sizeof(clash[0]));
	/* The whole message, as docs/configuration.md quotes it. */
	assert_int_equal(load(DUAL_PORT "  - {port: 80, app: http}\n"
					"  - {port: 80, app: echo, "
					"family: ipv6}\n",
			      &c, err, sizeof(err)),
			 -1);
	assert_string_equal(err,
			    "t.yaml:5:12: listeners[1].port: port 80 is "
			    "already used by listeners[0] (family: both): a "
			    "port takes one listener of each family, one with "
			    "family: ipv4 and one with family: ipv6");
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_dual_values), T(test_dump_round_trip6), T(test_errors6),
		T(test_time_wait6),  T(test_port_per_family),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
