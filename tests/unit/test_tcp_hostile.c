/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Hostile peers: every table, timer and reply is bounded. Each test
 * reproduces an attack (or a load) that exhausted, wedged or flooded
 * tcpterm before the fix it guards.
 */
#include "tcp_test.h"

/* A SYN from port, with timestamps; returns segments queued. */
static uint32_t
syn_from(uint16_t port, uint32_t seq)
{
	struct peer p = { .port = port, .ts = true, .tsval = 100 };
	struct net_seg s = mkseg(&p, SYN, seq, 0, NULL, 0);

	return input(&s);
}

/*
 * SYN(seq=x) then RST(seq=x+1), over and over on one 4-tuple: every
 * cycle armed a retransmission entry that outlived its connection, and
 * after 2 * max_connections + 64 cycles within rto_initial the wheel was
 * full: a SYN_RECEIVED connection made then had no timer at all, never
 * retransmitted its SYN-ACK and never timed out.
 */
static void
test_syn_rst_cycles_keep_timers(void **state)
{
	struct peer p = { .port = 4000 };
	struct net_seg s;
	uint32_t i, isn;

	(void)state;
	for (i = 0; i < 3000; i++) {
		assert_int_equal(syn_from(4000, 5000 + i * 10), 1);
		s = mkseg(&p, RST, 5000 + i * 10 + 1, 0, NULL, 0);
		assert_int_equal(input(&s), 0);
		now += 10;
	}
	assert_int_equal(gauge(TCP_SYN_RECEIVED), 0);
	assert_int_equal(syn_from(4001, 1), 1);
	isn = out(0)->seq;
	assert_int_equal(gauge(TCP_SYN_RECEIVED), 1);
	/* RFC 6298 5.5: the SYN-ACK is retransmitted after the RTO. */
	assert_int_equal(timers_at(now + 1001 * MS), 1);
	assert_int_equal(out(0)->flags, SYN | ACK);
	assert_int_equal(out(0)->seq, isn);
	/* And the half-open connection goes at syn_recv_timeout. */
	timers_at(now + 3001 * MS);
	assert_int_equal(gauge(TCP_SYN_RECEIVED), 0);
	assert_int_equal(cnt()->syn_recv_timeout, 1);
	assert_int_equal(cnt()->wheel_full, 0);
}

/*
 * Deadlines that keep moving earlier leave a stale entry each time
 * (the wheel has no cancel): on many connections at once they fill the
 * wheel. Compaction drops the stale ones, and every connection keeps
 * its timer.
 */
static void
test_stale_entries_compacted(void **state)
{
	struct peer p[8];
	uint32_t i, k;

	(void)state;
	for (i = 0; i < 8; i++)
		open_peer(&p[i], (uint16_t)(5000 + i), true);
	for (k = 0; k < 200; k++)
		for (i = 0; i < 8; i++)
			tcp_app_timer(ctx, p[i].conn, now + (900 - k) * MS);
	assert_true(cnt()->wheel_compact > 0);
	assert_int_equal(cnt()->wheel_full, 0);
	assert_int_equal(tcp_ctx_check(ctx), 0);
	timers_at(now + 700 * MS);
	assert_int_equal(app.timer_calls, 0);
	timers_at(now + 701 * MS);
	assert_int_equal(app.timer_calls, 8);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_syn_rst_cycles_keep_timers),
		T(test_stale_entries_compacted),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
