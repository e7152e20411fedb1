/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of the port lookups of the DPDK glue (header only, no EAL):
 * which port a frame is handled as, and which port a segment leaves by.
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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
