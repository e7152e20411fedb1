/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of start-up prefaulting: tt_prefault() makes every page of
 * a range resident with one write per page and leaves calloc()'s zeros;
 * and every pool of a TCP context that the packet path touches, sized
 * by the limits, is resident once tcp_ctx_create() returns, so that
 * filling the TIME_WAIT rings or the buffer pools takes no page fault.
 */
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include "tcp_test.h"
#include "tcp_internal.h"
#include "tt_mem.h"
#include "wheel_internal.h"

/* Pages of [p, p + len) that are not resident (mincore()). */
static size_t
missing_pages(const void *p, size_t len)
{
	size_t pg = (size_t)sysconf(_SC_PAGESIZE);
	uintptr_t a = (uintptr_t)p & ~(uintptr_t)(pg - 1);
	size_t n = ((uintptr_t)p + len - a + pg - 1) / pg, i, miss = 0;
	unsigned char *vec;

	if (len == 0)
		return 0;
	vec = malloc(n);
	assert_non_null(vec);
	assert_int_equal(mincore((void *)a, n * pg, vec), 0);
	for (i = 0; i < n; i++)
		miss += !(vec[i] & 1);
	free(vec);
	return miss;
}

static long
minflt(void)
{
	struct rusage ru;

	assert_int_equal(getrusage(RUSAGE_SELF, &ru), 0);
	return ru.ru_minflt;
}

/* A large calloc() (from mmap()): resident after, still zero, unaligned. */
static void
test_prefault_range(void **state)
{
	size_t len = (size_t)8 << 20, off = 100, i;
	uint8_t *p = calloc(1, len + off);

	(void)state;
	assert_non_null(p);
	assert_true(missing_pages(p + off, len) > 0);
	tt_prefault(p + off, len);
	assert_int_equal(missing_pages(p + off, len), 0);
	for (i = 0; i < len + off; i++)
		if (p[i] != 0)
			fail_msg("byte %zu is %u", i, p[i]);
	tt_prefault(p, 0);
	free(p);
}

/* Limits large enough that every pool comes from mmap(). */
static void
params_big(struct tcp_params *p)
{
	params_default(p);
	p->max_connections = 4096;
	p->max_time_wait = 65536;
	p->max_time_wait6 = 16384;
	p->max_send_buffers = 4096;
	p->max_rcv_buffers = 1024;
}

/* Every pool is resident when the context is created. */
static void
test_ctx_pools_resident(void **state)
{
	struct tcp_params p;
	struct tcp_ctx *c;

	(void)state;
	params_big(&p);
	c = tcp_ctx_create(&p, T0);
	assert_non_null(c);
	assert_int_equal(missing_pages(c->conns,
				       (size_t)c->p.max_connections *
					       sizeof(*c->conns)),
			 0);
	assert_int_equal(missing_pages(c->a6,
				       (size_t)c->p.max_connections *
					       sizeof(*c->a6)),
			 0);
	assert_int_equal(missing_pages(c->twr[TCP_TWR_V4].tws,
				       (size_t)c->twr[TCP_TWR_V4].cap *
					       sizeof(struct tcp_tw)),
			 0);
	assert_int_equal(missing_pages(c->twr[TCP_TWR_V6].a6,
				       (size_t)c->twr[TCP_TWR_V6].cap *
					       sizeof(struct tcp_addr6)),
			 0);
	assert_int_equal(missing_pages(c->sbp.mem,
				       (size_t)c->sbp.count * c->sbp.size),
			 0);
	assert_int_equal(missing_pages(c->xlog,
				       (size_t)c->sbp.count * sizeof(*c->xlog)),
			 0);
	assert_int_equal(missing_pages(c->rbp.mem,
				       (size_t)c->rbp.count * c->rbp.size),
			 0);
	assert_int_equal(missing_pages(c->ooo,
				       (size_t)c->rbp.count * sizeof(*c->ooo)),
			 0);
	assert_int_equal(missing_pages(c->w->chunks,
				       (size_t)c->w->nchunks *
					       sizeof(*c->w->chunks)),
			 0);
	tcp_ctx_destroy(c);
}

/*
 * Taking every send and receive buffer and every wheel chunk once, as a
 * fill does, costs no page fault: at most a handful for the test's own
 * bookkeeping, where one per buffer page was taken before.
 */
static void
test_ctx_fill_no_faults(void **state)
{
	struct tcp_params p;
	struct tcp_ctx *c;
	uint32_t i, sb, rb;
	long before;

	(void)state;
	params_big(&p);
	c = tcp_ctx_create(&p, T0);
	assert_non_null(c);
	before = minflt();
	for (i = 0; i < c->sbp.count; i++) {
		sb = tcp_bufpool_get(&c->sbp);
		assert_int_not_equal(sb, TCP_NONE);
		c->sbp.mem[(size_t)sb * c->sbp.size] = 1;
		c->xlog[sb].prr.delivered = 1;
	}
	for (i = 0; i < c->rbp.count; i++) {
		rb = tcp_bufpool_get(&c->rbp);
		assert_int_not_equal(rb, TCP_NONE);
		c->rbp.mem[(size_t)rb * c->rbp.size] = 1;
		c->ooo[rb].n = 1;
	}
	for (i = 0; i < c->w->nchunks; i++)
		c->w->chunks[i].count = 0;
	assert_true(minflt() - before < 16);
	tcp_ctx_destroy(c);
}

/*
 * A buffer pool is faulted in up to TCP_BUF_PREFAULT_MAX only: the rings
 * the free stack hands out first are resident, the 4 MiB after them not
 * (but for the huge page that holds the bound, faulted in as a whole).
 */
static void
test_bufpool_prefault_bound(void **state)
{
	uint32_t size = 65536, count = TCP_BUF_PREFAULT_MAX / size + 64;
	size_t rest = (size_t)count * size - TCP_BUF_PREFAULT_MAX;
	struct tcp_bufpool bp;
	size_t mem = 0;
	uint32_t first;

	(void)state;
	assert_int_equal(tcp_bufpool_init(&bp, count, size, &mem), 0);
	first = tcp_bufpool_get(&bp);
	assert_int_equal(first, 0);
	assert_int_equal(missing_pages(bp.mem, TCP_BUF_PREFAULT_MAX), 0);
	assert_true(missing_pages(bp.mem + TCP_BUF_PREFAULT_MAX, rest) >=
		    (rest - TT_HUGE_PAGE) / TT_PAGE);
	tcp_bufpool_fini(&bp);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prefault_range),
		cmocka_unit_test(test_ctx_pools_resident),
		cmocka_unit_test(test_ctx_fill_no_faults),
		cmocka_unit_test(test_bufpool_prefault_bound),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
