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


/*
 * RFC 7323 4.3: TS.Recent moved before the ACK was checked, so a blind
 * segment at RCV.NXT with any ACK value and TSval = TS.Recent + 2^31 - 1
 * wedged the connection: every later legitimate segment failed PAWS.
 */
static void
test_ts_recent_needs_valid_ack(void **state)
{
	static const uint32_t bad_acks[] = { 100000, 0x80000000u };
	struct peer p;
	struct net_seg s;
	uint32_t i, paws;

	(void)state;
	open_peer(&p, 4000, true);
	for (i = 0; i < 2; i++) {
		/* An ACK of unsent data, then one far below SND.UNA. */
		s = mkseg(&p, ACK, p.seq, our_nxt(&p, 0) + bad_acks[i], NULL,
			  0);
		s.opts.tsval = p.tsval + 0x7fffffffu;
		input(&s);
	}
	paws = (uint32_t)cnt()->drop_paws;
	assert_int_equal(send_peer(&p, ACK, our_nxt(&p, 0),
				   (const uint8_t *)"hello", 5), 0);
	assert_int_equal(cnt()->drop_paws, paws);
	assert_int_equal(app.rx_len, 5);
}

/* RFC 7323 4.3: only a segment at or left of Last.ACK.sent sets it. */
static void
test_ts_recent_last_ack_sent(void **state)
{
	struct peer p;
	struct net_seg s;

	(void)state;
	open_peer(&p, 4000, true);
	/* Data the delayed ACK has not acknowledged yet. */
	send_peer(&p, ACK, our_nxt(&p, 0), (const uint8_t *)"ab", 2);
	p.seq += 2;
	/* Beyond Last.ACK.sent: its TSval is not recorded. */
	s = mkseg(&p, ACK, p.seq, our_nxt(&p, 0), (const uint8_t *)"c", 1);
	s.opts.tsval = p.tsval + 1000;
	input(&s);
	p.seq += 1;
	/* So a segment with an older (but valid) TSval still passes. */
	p.tsval += 10;
	send_peer(&p, ACK, our_nxt(&p, 0), (const uint8_t *)"d", 1);
	assert_int_equal(app.rx_len, 4);
	assert_int_equal(cnt()->drop_paws, 0);
}

/* RFC 7323 5.5: after 24 days idle, TS.Recent no longer rejects. */
static void
test_paws_idle_24_days(void **state)
{
	struct peer p;

	(void)state;
	open_peer(&p, 4000, true);
	p.tsval -= 1000;
	assert_int_equal(send_peer(&p, ACK, our_nxt(&p, 0),
				   (const uint8_t *)"x", 1), 1);
	assert_int_equal(cnt()->drop_paws, 1);
	assert_int_equal(app.rx_len, 0);
	now += 25ull * 24 * 3600 * 1000 * MS;
	send_peer(&p, ACK, our_nxt(&p, 0), (const uint8_t *)"x", 1);
	assert_int_equal(cnt()->drop_paws, 1);
	assert_int_equal(app.rx_len, 1);
}

/* Bare out-of-window ACKs: one reply per invalid_ratelimit_ms. */
static void
test_invalid_replies_limited(void **state)
{
	struct peer p;
	struct net_seg s;
	uint32_t i, sent = 0;

	(void)state;
	prm.invalid_ratelimit_ms = 500;
	restart();
	open_peer(&p, 4000, true);
	for (i = 0; i < 10; i++) {
		s = mkseg(&p, ACK, p.seq + 10000000, our_nxt(&p, 0), NULL, 0);
		sent += input(&s);
		/* PAWS failures and ACKs of unsent data are limited too. */
		s = mkseg(&p, ACK, p.seq, our_nxt(&p, 0) + 5000, NULL, 0);
		sent += input(&s);
		s = mkseg(&p, ACK, p.seq, our_nxt(&p, 0), NULL, 0);
		s.opts.tsval = p.tsval - 100;
		sent += input(&s);
	}
	assert_int_equal(sent, 1);
	assert_int_equal(cnt()->invalid_reply_limited, 29);
	/* Out-of-window data always draws its duplicate ACK. */
	s = mkseg(&p, ACK, p.seq - 10, our_nxt(&p, 0),
		  (const uint8_t *)"0123456789", 10);
	assert_int_equal(input(&s), 1);
	now += 500 * MS;
	s = mkseg(&p, ACK, p.seq + 10000000, our_nxt(&p, 0), NULL, 0);
	assert_int_equal(input(&s), 1);
}

/* Take p to TIME_WAIT on our side (we close first). */
static void
to_time_wait(struct peer *p, uint16_t port)
{
	open_peer(p, port, true);
	tcp_close(ctx, p->conn, false, now);
	note_ts();
	assert_int_equal(send_peer(p, ACK | FIN, our_nxt(p, 1), NULL, 0), 1);
	p->seq++;
	assert_int_equal(gauge(TCP_TIME_WAIT), 1);
}

/* A TIME_WAIT record answers invalid segments once per interval. */
static void
test_time_wait_replies_limited(void **state)
{
	struct peer p;
	struct net_seg s;
	uint32_t i, sent = 0;

	(void)state;
	prm.invalid_ratelimit_ms = 500;
	restart();
	to_time_wait(&p, 4000);
	now += 600 * MS;
	for (i = 0; i < 20; i++) {
		s = mkseg(&p, ACK, p.seq + 10000000, our_nxt(&p, 1), NULL, 0);
		sent += input(&s);
		/* Retransmitted FINs restart the record; ACKed once too. */
		s = mkseg(&p, ACK | FIN, p.seq - 1, our_nxt(&p, 1), NULL, 0);
		sent += input(&s);
	}
	assert_int_equal(sent, 1);
	assert_int_equal(cnt()->tw_reply_limited, 39);
	assert_int_equal(cnt()->tw_reack, 20);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_syn_rst_cycles_keep_timers),
		T(test_stale_entries_compacted),
		T(test_ts_recent_needs_valid_ack),
		T(test_ts_recent_last_ack_sent),
		T(test_paws_idle_24_days),
		T(test_invalid_replies_limited),
		T(test_time_wait_replies_limited),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
