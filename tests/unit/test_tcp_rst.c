/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * TCP unit tests of RFC 5961 (RST and SYN validation, challenge ACKs,
 * ACK acceptability) and RFC 7323 PAWS.
 */
#include "tcp_test.h"

/* ---- RFC 5961 ---- */

static void
test_rst_in_established(void **state)
{
	struct peer p;
	struct net_seg s;

	(void)state;
	open_peer(&p, 40000, true);
	/* Out of window: dropped silently. */
	s = mkseg(&p, RST, p.seq + 1000000, 0, NULL, 0);
	assert_int_equal(input(&s), 0);
	assert_int_equal(cnt()->drop_out_of_window, 1);
	/* In window, not exact: challenge ACK. */
	s = mkseg(&p, RST, p.seq + 10, 0, NULL, 0);
	assert_int_equal(input(&s), 1);
	assert_seg(out(0), ACK, our_nxt(&p, 0), p.seq);
	assert_int_equal(cnt()->challenge_ack, 1);
	assert_int_equal(gauge(TCP_ESTABLISHED), 1);
	/* Exactly RCV.NXT: reset. */
	s = mkseg(&p, RST, p.seq, 0, NULL, 0);
	assert_int_equal(input(&s), 0);
	assert_int_equal(gauge(TCP_ESTABLISHED), 0);
	assert_int_equal(cnt()->rst_rx, 1);
}

/*
 * RFC 5961 3.2 (RFC 9293 3.10.7.4 second): a RST whose sequence number
 * is outside the window is dropped silently, also when it carries text
 * that ends inside the window (the segment passed the acceptability
 * test by its end): no challenge ACK.
 */
static void
test_rst_with_text_from_below_window(void **state)
{
	static const uint8_t d[10];
	struct peer p;
	struct net_seg s;

	(void)state;
	open_peer(&p, 40000, true);
	send_peer(&p, ACK, our_nxt(&p, 0), d, 5);
	p.seq += 5;
	outq()->n = 0;
	s = mkseg(&p, RST | ACK, p.seq - 5, our_nxt(&p, 0), d, 10);
	assert_int_equal(input(&s), 0);
	assert_int_equal(cnt()->drop_out_of_window, 1);
	assert_int_equal(cnt()->challenge_ack, 0);
	assert_int_equal(gauge(TCP_ESTABLISHED), 1);
	assert_int_equal(app.rx_len, 5);
	/* At RCV.NXT, with text, it resets. */
	s = mkseg(&p, RST | ACK, p.seq, our_nxt(&p, 0), d, 10);
	assert_int_equal(input(&s), 0);
	assert_int_equal(gauge(TCP_ESTABLISHED), 0);
	assert_int_equal(cnt()->rst_rx, 1);
}

static void
test_syn_in_established_and_limit(void **state)
{
	struct peer p;
	struct net_seg s;
	int i;

	(void)state;
	open_peer(&p, 40000, true);
	s = mkseg(&p, SYN, p.seq, 0, NULL, 0);
	for (i = 0; i < 2; i++) {
		assert_int_equal(input(&s), 1);
		assert_seg(out(0), ACK, our_nxt(&p, 0), p.seq);
	}
	assert_int_equal(input(&s), 0);
	assert_int_equal(cnt()->challenge_ack, 2);
	assert_int_equal(cnt()->challenge_ack_limited, 1);
	assert_int_equal(gauge(TCP_ESTABLISHED), 1);
	/* 1002 ms later (a second kept to the ms) the budget is back. */
	now += 1002 * MS;
	assert_int_equal(input(&s), 1);
	assert_int_equal(cnt()->challenge_ack, 3);
}

/*
 * The second of the challenge ACK limit is kept to the millisecond: it
 * never ends under 1000 ms, wherever in its millisecond it began.
 */
static void
test_challenge_ack_second_not_short(void **state)
{
	static const uint64_t starts[] = { 0, 1, 999, 1000, 1999 };
	struct peer p;
	struct net_seg s;
	uint64_t t0;
	unsigned int k;

	(void)state;
	open_peer(&p, 40000, true);
	s = mkseg(&p, SYN, p.seq, 0, NULL, 0);
	for (k = 0; k < sizeof(starts) / sizeof(starts[0]); k++) {
		/* Past any second before, then at a point of a millisecond. */
		now = (now / (2 * 1000 * MS) + 2) * (2 * 1000 * MS) + starts[k];
		t0 = now;
		assert_int_equal(input(&s), 1);
		assert_int_equal(input(&s), 1);
		assert_int_equal(input(&s), 0);
		now = t0 + 999 * MS + 999;
		assert_int_equal(input(&s), 0);
		now = t0 + 1002 * MS;
		assert_int_equal(input(&s), 1);
	}
}

static void
test_ack_of_unsent_data(void **state)
{
	static const uint8_t d[10];
	struct peer p;

	(void)state;
	open_peer(&p, 40000, true);
	assert_int_equal(send_peer(&p, ACK, our_nxt(&p, 500), d, 10), 1);
	assert_seg(out(0), ACK, our_nxt(&p, 0), p.seq);
	assert_int_equal(cnt()->drop_bad_ack, 1);
	assert_int_equal(app.rx_len, 0);
}

static void
test_paws(void **state)
{
	static const uint8_t d[10];
	struct peer p;
	struct net_seg s;

	(void)state;
	open_peer(&p, 40000, true);
	s = mkseg(&p, ACK, p.seq, our_nxt(&p, 0), d, 10);
	s.opts.tsval = p.tsval - 10;
	assert_int_equal(input(&s), 1);
	assert_seg(out(0), ACK, our_nxt(&p, 0), p.seq);
	assert_int_equal(cnt()->drop_paws, 1);
	assert_int_equal(app.rx_len, 0);
}

/*
 * RFC 7323 5.3 R1: PAWS applies only when the connection uses
 * timestamps and the segment carries one. A segment without the option
 * on a timestamp connection, and one with it on a connection that
 * negotiated none, are taken however their TSval field compares.
 */
static void
test_paws_needs_both(void **state)
{
	static const uint8_t d[10];
	struct peer p, q;
	struct net_seg s;

	(void)state;
	open_peer(&p, 40000, true);
	/*
	 * RFC 7323 3.2: without TSopt on a timestamp connection, dropped
	 * silently (not for PAWS), the old TSval field unread.
	 */
	s = mkseg(&p, ACK, p.seq, our_nxt(&p, 0), d, 10);
	s.opts.has = 0;
	s.opts.tsval = p.tsval - 10;
	assert_int_equal(input(&s), 0);
	assert_int_equal(app.rx_len, 0);
	assert_int_equal(cnt()->drop_ts_missing, 1);
	/* TS.Recent did not move: the peer's next TSval still passes. */
	s = mkseg(&p, ACK, p.seq, our_nxt(&p, 0), d, 10);
	input(&s);
	assert_int_equal(app.rx_len, 10);
	/* A RST without TSopt is still taken (and exact, resets). */
	s = mkseg(&p, RST, p.seq + 10, 0, NULL, 0);
	s.opts.has = 0;
	input(&s);
	assert_int_equal(gauge(TCP_ESTABLISHED), 0);
	open_peer(&q, 40001, false);
	s = mkseg(&q, ACK, q.seq, our_nxt(&q, 0), d, 10);
	s.opts.has = NET_OPT_TS;
	s.opts.tsval = 0x80000001u;
	s.opts.tsecr = 1;
	input(&s);
	assert_int_equal(app.rx_len, 20);
	assert_int_equal(cnt()->drop_paws, 0);
	assert_int_equal(cnt()->drop_ts_missing, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_rst_in_established),
		T(test_rst_with_text_from_below_window),
		T(test_syn_in_established_and_limit),
		T(test_challenge_ack_second_not_short),
		T(test_ack_of_unsent_data),
		T(test_paws),
		T(test_paws_needs_both),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
