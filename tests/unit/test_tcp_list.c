/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of tcp_list(): connections and TIME_WAIT records listed with
 * their addresses, queues, timers and age; filters; slices bounded by
 * records and by slots examined; and tcp_ctx_mem_usage().
 */
#include "tcp_test.h"

#define SCAN_ALL UINT32_MAX
#define LIST_MAX 64

static struct tcp_list_rec recs[LIST_MAX];

/* Walk the whole table in slices of at most max records / scan slots. */
static uint32_t
list_all(const struct tcp_list_filter *f, uint32_t max, uint32_t scan,
	 uint32_t *calls)
{
	uint32_t cursor = 0, n = 0, got;

	*calls = 0;
	while (cursor != TCP_LIST_END) {
		assert_true(n + max <= LIST_MAX);
		got = tcp_list(ctx, &cursor, f, &recs[n], max, scan, now);
		assert_true(got <= max);
		n += got;
		(*calls)++;
		assert_true(*calls < 100000);
	}
	return n;
}

static uint32_t
count_state(uint32_t n, enum tcp_state s)
{
	uint32_t i, k = 0;

	for (i = 0; i < n; i++)
		k += recs[i].state == s;
	return k;
}

static const struct tcp_list_rec *
find_port(uint32_t n, uint16_t rport)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		if (recs[i].rport == rport)
			return &recs[i];
	return NULL;
}

static void
test_empty(void **state)
{
	struct tcp_list_filter f = { 0 };
	uint32_t calls;

	(void)state;
	assert_int_equal(list_all(&f, 16, SCAN_ALL, &calls), 0);
	assert_int_equal(calls, 1);
}

static void
test_conns_and_time_wait(void **state)
{
	struct tcp_list_filter f = { 0 };
	const struct tcp_list_rec *r;
	struct peer p[5];
	uint32_t calls, n, i;

	(void)state;
	for (i = 0; i < 3; i++)
		open_peer(&p[i], 40000 + i, true);
	to_time_wait(&p[3], 40003);
	to_time_wait(&p[4], 40004);
	now += 1500 * MS;

	n = list_all(&f, 2, 5, &calls);
	assert_int_equal(n, 5);
	assert_int_equal(count_state(n, TCP_ESTABLISHED), 3);
	assert_int_equal(count_state(n, TCP_TIME_WAIT), 2);
	assert_true(calls >= 3);
	for (i = 0; i < 5; i++) {
		r = find_port(n, 40000 + i);
		assert_non_null(r);
		assert_int_equal(r->laddr, LADDR);
		assert_int_equal(r->raddr, RADDR);
		assert_int_equal(r->lport, LPORT);
	}
	r = find_port(n, 40000);
	assert_int_equal(r->age_ms, 1500);
	assert_int_equal(r->sendq, 0);
	r = find_port(n, 40003);
	assert_int_equal(r->timer, TCP_LT_TIMEWAIT);
	/* 2 * MSL = 2000 ms from the peer's FIN, 1500 ms ago. */
	assert_int_equal(r->timer_ms, 500);
	assert_int_equal(r->age_ms, TCP_LIST_AGE_NONE);
	assert_string_equal(tcp_list_timer_name(r->timer, r->state),
			    "timewait");
}

static void
test_filters(void **state)
{
	struct tcp_list_filter f = { 0 };
	struct peer p[3];
	uint32_t calls;

	(void)state;
	open_peer(&p[0], 40000, true);
	open_peer(&p[1], 40001, true);
	to_time_wait(&p[2], 40002);

	f.states = 1u << TCP_TIME_WAIT;
	assert_int_equal(list_all(&f, 16, SCAN_ALL, &calls), 1);
	assert_int_equal(recs[0].rport, 40002);
	f.states = (1u << TCP_TIME_WAIT) | (1u << TCP_ESTABLISHED);
	assert_int_equal(list_all(&f, 16, SCAN_ALL, &calls), 3);
	f.states = 1u << TCP_FIN_WAIT_2;
	assert_int_equal(list_all(&f, 16, SCAN_ALL, &calls), 0);

	f.states = 0;
	f.raddr = RADDR & 0xffffff00u;
	f.rmask = 0xffffff00u;
	assert_int_equal(list_all(&f, 16, SCAN_ALL, &calls), 3);
	f.raddr = 0x0a000000u;
	f.rmask = 0xff000000u;
	assert_int_equal(list_all(&f, 16, SCAN_ALL, &calls), 0);
}

/* A call never examines more slots than asked, nor writes more records. */
static void
test_slices_bounded(void **state)
{
	struct tcp_list_filter f = { 0 };
	struct peer p[4];
	uint32_t cursor = 0, prev, got, calls = 0, n = 0, i;

	(void)state;
	for (i = 0; i < 4; i++)
		open_peer(&p[i], 40000 + i, true);
	while (cursor != TCP_LIST_END) {
		prev = cursor;
		got = tcp_list(ctx, &cursor, &f, &recs[n], 4, 1, now);
		assert_true(got <= 1);
		assert_true(cursor == TCP_LIST_END || cursor == prev + 1);
		n += got;
		calls++;
	}
	assert_int_equal(n, 4);
	assert_true(calls > 4);

	/*
	 * One record per call: the cursor stops right after it, so a fifth
	 * call finds the rest empty, unless the last entry sat in the last
	 * slot (the table's hash is keyed at random).
	 */
	cursor = 0;
	n = 0;
	calls = 0;
	while (cursor != TCP_LIST_END) {
		n += tcp_list(ctx, &cursor, &f, &recs[n], 1, SCAN_ALL, now);
		calls++;
	}
	assert_int_equal(n, 4);
	assert_true(calls == 4 || calls == 5);
}

/* Unacknowledged data shows in the send queue with the RTO running. */
static void
test_queue_and_timer(void **state)
{
	struct tcp_list_filter f = { 0 };
	struct peer p;
	uint32_t calls;

	(void)state;
	open_peer(&p, 40000, true);
	assert_int_equal(tcp_send(ctx, p.conn, "hello", 5, now), 5);
	tcp_close(ctx, p.conn, true, now);
	assert_int_equal(list_all(&f, 16, SCAN_ALL, &calls), 1);
	assert_int_equal(recs[0].state, TCP_FIN_WAIT_1);
	assert_int_equal(recs[0].sendq, 5);
	assert_int_equal(recs[0].timer, TCP_LT_REXMIT);
	assert_true(recs[0].timer_ms > 0 && recs[0].timer_ms <= 1000);
	assert_string_equal(tcp_list_timer_name(recs[0].timer, recs[0].state),
			    "rexmit");
}

static void
test_mem_usage(void **state)
{
	struct tcp_mem_pool pools[TCP_MEM_POOLS];
	struct peer p[3];
	unsigned int n, i, seen = 0;

	(void)state;
	open_peer(&p[0], 40000, true);
	open_peer(&p[1], 40001, true);
	to_time_wait(&p[2], 40002);
	n = tcp_ctx_mem_usage(ctx, pools, TCP_MEM_POOLS);
	assert_int_equal(n, TCP_MEM_POOLS);
	for (i = 0; i < n; i++) {
		if (strcmp(pools[i].name, "connections") == 0) {
			assert_int_equal(pools[i].used, 2);
			assert_int_equal(pools[i].objects, prm.max_connections);
			seen++;
		} else if (strcmp(pools[i].name, "time_wait") == 0) {
			assert_int_equal(pools[i].used, 1);
			seen++;
		} else if (strcmp(pools[i].name, "flow_table") == 0) {
			assert_int_equal(pools[i].used, 3);
			seen++;
		}
		assert_true(pools[i].used <= pools[i].objects);
	}
	assert_int_equal(seen, 3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_empty),		 T(test_conns_and_time_wait),
		T(test_filters),	 T(test_slices_bounded),
		T(test_queue_and_timer), T(test_mem_usage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
