/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of the port lookups of the DPDK glue (header only, no EAL):
 * which port a frame is handled as, and which port a segment leaves by;
 * the worker's timer budget rule.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dp.h"

/* Three ports on 198.18.1.1, 198.18.2.1, 198.18.3.1; ethdev ids 3, 7, 9. */
static const uint32_t addrs[] = { 0xc6120101u, 0xc6120201u, 0xc6120301u };
static const uint16_t ids[] = { 3, 7, 9 };

struct fixture {
	struct dp_port ports[3];
	struct dp_core *core;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	unsigned int i;

	if (f == NULL)
		return -1;
	f->core = calloc(1, sizeof(*f->core));
	if (f->core == NULL)
		return -1;
	for (i = 0; i < 3; i++) {
		f->ports[i].addr = addrs[i];
		f->ports[i].port_id = ids[i];
		f->core->ports[i].port = &f->ports[i];
	}
	f->core->n_ports = 3;
	f->core->port_list = f->ports;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	free(f->core);
	free(f);
	return 0;
}

static void
test_port_by_addr(void **state)
{
	struct fixture *f = *state;
	unsigned int i;

	for (i = 0; i < 3; i++)
		assert_ptr_equal(dp_port_by_addr(f->ports, 3, addrs[i]),
				 &f->ports[i]);
	assert_null(dp_port_by_addr(f->ports, 3, 0xc6120102u));
	/* Only the first n ports are looked at. */
	assert_null(dp_port_by_addr(f->ports, 2, addrs[2]));
}

/* A segment leaves by the port of its source address, or by none. */
static void
test_core_port_by_addr(void **state)
{
	struct fixture *f = *state;
	unsigned int i;

	for (i = 0; i < 3; i++)
		assert_ptr_equal(dp_core_port_by_addr(f->core, addrs[i]),
				 &f->core->ports[i]);
	assert_null(dp_core_port_by_addr(f->core, 0xc6120401u));
	/* One port: every segment leaves by it, as before several ports. */
	f->core->n_ports = 1;
	assert_ptr_equal(dp_core_port_by_addr(f->core, 0xc6120401u),
			 &f->core->ports[0]);
}

/*
 * An IPv6 segment leaves by the port whose IPv6 address is its source;
 * a port without IPv6 never matches (its addr6 is zero), even alone.
 */
static void
test_core_port_by_addr6(void **state)
{
	struct fixture *f = *state;
	uint8_t a[3][16], other[16];
	unsigned int i;

	for (i = 0; i < 3; i++) {
		memset(a[i], 0, 16);
		a[i][0] = 0x20;
		a[i][1] = 0x01;
		a[i][2] = 0x0d;
		a[i][3] = 0xb8;
		a[i][5] = (uint8_t)(i + 1);
		a[i][15] = 1;
	}
	memcpy(other, a[0], 16);
	other[15] = 2;
	/* Ports 0 and 2 have IPv6, port 1 has none. */
	for (i = 0; i < 3; i += 2) {
		f->ports[i].has_ipv6 = true;
		memcpy(f->ports[i].addr6, a[i], 16);
	}
	assert_ptr_equal(dp_core_port_by_addr6(f->core, a[0]),
			 &f->core->ports[0]);
	assert_ptr_equal(dp_core_port_by_addr6(f->core, a[2]),
			 &f->core->ports[2]);
	assert_null(dp_core_port_by_addr6(f->core, a[1]));
	assert_null(dp_core_port_by_addr6(f->core, other));
	assert_ptr_equal(dp_port_by_addr6(f->ports, 3, a[2]), &f->ports[2]);
	assert_null(dp_port_by_addr6(f->ports, 2, a[2]));
	/* One port: only its own IPv6 address. */
	f->core->n_ports = 1;
	assert_null(dp_core_port_by_addr6(f->core, other));
	f->ports[0].has_ipv6 = false;
	memset(f->ports[0].addr6, 0, 16);
	memset(other, 0, 16);
	assert_null(dp_core_port_by_addr6(f->core, other));
}

/* A frame from a ring is handled as the port its mbuf names. */
static void
test_core_port_of(void **state)
{
	struct fixture *f = *state;
	unsigned int i;

	for (i = 0; i < 3; i++)
		assert_ptr_equal(dp_core_port_of(f->core, ids[i]),
				 &f->core->ports[i]);
	assert_null(dp_core_port_of(f->core, 5));
	f->core->n_ports = 1;
	assert_ptr_equal(dp_core_port_of(f->core, 5), &f->core->ports[0]);
}

/*
 * The worker's timer budget (dp_timer_budget_next()): it doubles while
 * polls spend it all, stays while the time slice cuts polls short (a
 * backlog is left: falling back to the floor would make the next poll
 * stop at DP_TIMER_BUDGET with the slice unspent), and returns to the
 * floor only once a poll ends under budget with nothing left.
 */
static void
test_timer_budget(void **state)
{
	uint32_t b = DP_TIMER_BUDGET;

	(void)state;
	b = dp_timer_budget_next(b, b, false);
	assert_int_equal(b, 2 * DP_TIMER_BUDGET);
	b = dp_timer_budget_next(b, 100, true);
	assert_int_equal(b, 2 * DP_TIMER_BUDGET);
	while (b < DP_TIMER_BUDGET_MAX)
		b = dp_timer_budget_next(b, b, false);
	assert_int_equal(b, DP_TIMER_BUDGET_MAX);
	assert_int_equal(dp_timer_budget_next(b, b, true), DP_TIMER_BUDGET_MAX);
	assert_int_equal(dp_timer_budget_next(b, 3, true), DP_TIMER_BUDGET_MAX);
	assert_int_equal(dp_timer_budget_next(b, 3, false), DP_TIMER_BUDGET);
	assert_int_equal(dp_timer_budget_next(DP_TIMER_BUDGET, 0, false),
			 DP_TIMER_BUDGET);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_port_by_addr, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_core_port_by_addr, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_core_port_of, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_core_port_by_addr6, setup,
						teardown),
		cmocka_unit_test(test_timer_budget),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
