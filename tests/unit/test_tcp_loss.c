/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Loss on the send side: retransmission timeouts, what they send and what
 * the acknowledgements that follow do, on the virtual clock.
 */
#include "tcp_test.h"
#include "tcp_internal.h"

static const uint8_t zeros[65536];

/*
 * After a go-back-N timeout the FIN is queued again; when the peer's
 * cumulative ACK then covers it (the peer had the rest), the FIN is
 * acknowledged: FIN_WAIT_2, and no second FIN at a new sequence number
 * (which kept the connection in FIN_WAIT_1 until it was reset).
 */
static void
test_fin_acked_after_go_back_n(void **state)
{
	struct peer p;
	uint32_t n;

	(void)state;
	open_peer(&p, 4000, true);
	outq()->n = 0;
	assert_int_equal(tcp_send(ctx, p.conn, zeros, 2000, now), 2000);
	tcp_close(ctx, p.conn, true, now);
	n = note_ts();
	assert_int_equal(n, 3);
	assert_true(out(2)->flags & FIN);
	/* The first segment is lost: the timeout resends it alone. */
	assert_int_equal(timers_at(now + 1001 * MS), 1);
	assert_int_equal(out(0)->seq, our_nxt(&p, 0));
	assert_false(out(0)->flags & FIN);
	/* The peer had the rest and the FIN: it acknowledges them all. */
	assert_int_equal(send_peer(&p, ACK, our_nxt(&p, 2001), NULL, 0), 0);
	assert_int_equal(gauge(TCP_FIN_WAIT_2), 1);
	assert_int_equal(gauge(TCP_FIN_WAIT_1), 0);
	assert_int_equal(timers_at(now + 5000 * MS), 0);
}

/*
 * 128 connections time out together. One tcp_timers() call handled up
 * to 256 expiries but the output queue holds 64: 64 retransmissions went
 * out, the rest were lost (outq_full) while all 128 backed off. Expiries
 * now wait for the next call (the caller drains the queue in between).
 */
static void
test_timeouts_beyond_outq(void **state)
{
	static struct peer p[128];
	uint32_t i, sent = 0, calls;
	uint64_t t;

	(void)state;
	prm.max_connections = 128;
	prm.max_send_buffers = 128;
	restart();
	for (i = 0; i < 128; i++) {
		open_peer(&p[i], (uint16_t)(10000 + i), true);
		assert_int_equal(tcp_send(ctx, p[i].conn, zeros, 100, now),
				 100);
	}
	t = now + 1001 * MS;
	for (calls = 0; calls < 8 && sent < 128; calls++)
		sent += timers_at(t);
	assert_int_equal(sent, 128);
	assert_int_equal(cnt()->outq_full, 0);
	assert_int_equal(cnt()->retransmit, 128);
	assert_true(cnt()->timer_deferred > 0);
	for (i = 0; i < 128; i++)
		assert_int_equal(p[i].conn->retries, 1);
	assert_int_equal(timers_at(t), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_fin_acked_after_go_back_n),
		T(test_timeouts_beyond_outq),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
