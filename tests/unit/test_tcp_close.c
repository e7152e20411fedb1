/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * TCP unit tests of the close paths: active, passive and simultaneous
 * close, FIN retransmission, FIN_WAIT_2 timeout, TIME_WAIT and its
 * records, half-close and data after close.
 */
#include "tcp_test.h"

/* ---- close ---- */

static void
test_active_close_to_time_wait(void **state)
{
	struct peer p;
	uint64_t t;

	(void)state;
	open_peer(&p, 40000, true);
	outq()->n = 0;
	tcp_close(ctx, p.conn, true, now);
	assert_int_equal(outq()->n, 1);
	assert_seg(out(0), FIN | ACK, our_nxt(&p, 0), p.seq);
	assert_int_equal(gauge(TCP_FIN_WAIT_1), 1);
	assert_int_equal(gauge(TCP_ESTABLISHED), 0);
	/* ACK of the FIN. */
	assert_int_equal(send_peer(&p, ACK, our_nxt(&p, 1), NULL, 0), 0);
	assert_int_equal(gauge(TCP_FIN_WAIT_1), 0);
	assert_int_equal(gauge(TCP_FIN_WAIT_2), 1);
	/* The peer's FIN: ACK it and enter TIME_WAIT. */
	now += 10 * MS;
	t = now;
	assert_int_equal(send_peer(&p, FIN | ACK, our_nxt(&p, 1), NULL, 0), 1);
	assert_seg(out(0), ACK, our_nxt(&p, 1), p.seq + 1);
	assert_int_equal(gauge(TCP_FIN_WAIT_2), 0);
	assert_int_equal(gauge(TCP_TIME_WAIT), 1);
	assert_int_equal(app.peer_fins, 1);
	assert_int_equal(cnt()->tw_created, 1);
	/* 2*MSL = 2 s, not one millisecond earlier. */
	timers_at(t + 1999 * MS);
	assert_int_equal(gauge(TCP_TIME_WAIT), 1);
	timers_at(t + 2000 * MS);
	assert_int_equal(gauge(TCP_TIME_WAIT), 0);
	assert_int_equal(cnt()->tw_expired, 1);
	/* The tuple is gone: an ACK now gets a reset. */
	assert_int_equal(send_peer(&p, ACK, our_nxt(&p, 1), NULL, 0), 1);
	assert_int_equal(out(0)->flags, RST);
}

static void
test_fin_ack_shortcut(void **state)
{
	struct peer p;

	(void)state;
	open_peer(&p, 40000, true);
	tcp_close(ctx, p.conn, true, now);
	assert_int_equal(send_peer(&p, FIN | ACK, our_nxt(&p, 1), NULL, 0), 1);
	assert_seg(out(0), ACK, our_nxt(&p, 1), p.seq + 1);
	assert_int_equal(gauge(TCP_TIME_WAIT), 1);
	assert_int_equal(gauge(TCP_FIN_WAIT_1) + gauge(TCP_FIN_WAIT_2), 0);
}

static void
test_simultaneous_close(void **state)
{
	struct peer p;

	(void)state;
	open_peer(&p, 40000, true);
	tcp_close(ctx, p.conn, true, now);
	/* The peer's FIN crossed ours: it does not ack our FIN. */
	assert_int_equal(send_peer(&p, FIN | ACK, our_nxt(&p, 0), NULL, 0), 1);
	assert_seg(out(0), ACK, our_nxt(&p, 1), p.seq + 1);
	assert_int_equal(gauge(TCP_CLOSING), 1);
	p.seq++;
	assert_int_equal(send_peer(&p, ACK, our_nxt(&p, 1), NULL, 0), 0);
	assert_int_equal(gauge(TCP_CLOSING), 0);
	assert_int_equal(gauge(TCP_TIME_WAIT), 1);
}

static void
test_passive_close(void **state)
{
	struct peer p;
	unsigned int s;

	(void)state;
	open_peer(&p, 40000, true);
	assert_int_equal(send_peer(&p, FIN | ACK, our_nxt(&p, 0), NULL, 0), 1);
	assert_seg(out(0), ACK, our_nxt(&p, 0), p.seq + 1);
	assert_int_equal(gauge(TCP_CLOSE_WAIT), 1);
	assert_int_equal(app.peer_fins, 1);
	p.seq++;
	/* A duplicate FIN is re-ACKed. */
	p.seq--;
	assert_int_equal(send_peer(&p, FIN | ACK, our_nxt(&p, 0), NULL, 0), 1);
	assert_seg(out(0), ACK, our_nxt(&p, 0), p.seq + 1);
	p.seq++;
	outq()->n = 0;
	tcp_close(ctx, p.conn, false, now);
	assert_int_equal(outq()->n, 1);
	assert_seg(out(0), FIN | ACK, our_nxt(&p, 0), p.seq);
	assert_int_equal(gauge(TCP_LAST_ACK), 1);
	assert_int_equal(send_peer(&p, ACK, our_nxt(&p, 1), NULL, 0), 0);
	for (s = TCP_SYN_SENT; s < TCP_STATE_MAX; s++)
		assert_int_equal(gauge(s), 0);
	assert_int_equal(cnt()->conn_closed, 1);
}

static void
test_close_on_peer_fin_callback(void **state)
{
	struct peer p;

	(void)state;
	app.close_on_fin = true;
	open_peer(&p, 40000, true);
	/* The FIN of LAST_ACK carries the ACK of the peer's FIN. */
	assert_int_equal(send_peer(&p, FIN | ACK, our_nxt(&p, 0), NULL, 0), 1);
	assert_seg(out(0), FIN | ACK, our_nxt(&p, 0), p.seq + 1);
	assert_int_equal(gauge(TCP_LAST_ACK), 1);
}

static void
test_fin_retransmit_backoff_abort(void **state)
{
	static const uint64_t at[] = { 200, 600, 1400 };
	struct peer p;
	uint64_t t;
	size_t i;

	(void)state;
	open_peer(&p, 40000, true);
	t = now;
	tcp_close(ctx, p.conn, true, now);
	for (i = 0; i < 3; i++) {
		assert_int_equal(timers_at(t + at[i] * MS - 1), 0);
		assert_int_equal(timers_at(t + at[i] * MS), 1);
		assert_seg(out(0), FIN | ACK, our_nxt(&p, 0), p.seq);
	}
	assert_int_equal(cnt()->retransmit, 3);
	assert_int_equal(timers_at(t + 3000 * MS - 1), 0);
	assert_int_equal(timers_at(t + 3000 * MS), 1);
	assert_int_equal(out(0)->flags, RST | ACK);
	assert_int_equal(out(0)->seq, our_nxt(&p, 1));
	assert_int_equal(cnt()->retransmit_abort, 1);
	assert_int_equal(gauge(TCP_FIN_WAIT_1), 0);
}

/*
 * The give-up after a response and its FIN were resent in vain: the
 * peer may hold all of it, its ACKs lost, so the RST carries the next
 * sequence number never sent, past the FIN (RFC 9293 3.10.5 SND.NXT),
 * not where the last go-back-N resend stopped: below the peer's
 * RCV.NXT, RFC 5961 3.2 has it dropped silently.
 */
static void
test_give_up_rst_past_fin(void **state)
{
	static const uint64_t at[] = { 200, 600, 1400 };
	static const uint8_t b[3 * 1448];
	uint32_t sent = sizeof(b);
	struct peer p;
	uint64_t t;
	size_t i;

	(void)state;
	open_peer(&p, 40000, true);
	outq()->n = 0;
	t = now;
	assert_int_equal(tcp_send(ctx, p.conn, b, sent, now), sent);
	tcp_close(ctx, p.conn, true, now);
	assert_int_equal(outq()->n, 4);
	assert_int_equal(out(3)->flags & FIN, FIN);
	for (i = 0; i < 3; i++) {
		assert_int_equal(timers_at(t + at[i] * MS), 1);
		assert_seg(out(0), ACK, our_nxt(&p, 0), p.seq);
	}
	assert_int_equal(timers_at(t + 3000 * MS), 1);
	assert_seg(out(0), RST | ACK, our_nxt(&p, sent + 1), p.seq);
	assert_int_equal(cnt()->retransmit_abort, 1);
	assert_int_equal(gauge(TCP_FIN_WAIT_1), 0);
}

/*
 * Keepalives of the peer (RFC 1122 4.2.3.6: SEG.SEQ = RCV.NXT - 1, with
 * no byte or one) and its bare ACKs do not restart the FIN_WAIT_2
 * timeout, which only the peer's new data restarts under half-close:
 * each keepalive is answered with an ACK, a RST never (the byte is no
 * new data, RFC 1122 4.2.2.13), and the timeout comes on time, as
 * Linux's tcp_fin_timeout.
 */
static void
test_fin_wait2_keepalive_no_restart(void **state)
{
	static const uint8_t d[1];
	struct peer p;
	struct net_seg s;
	bool read_open;
	uint64_t t;

	(void)state;
	for (read_open = false;; read_open = true) {
		open_peer(&p, read_open ? 40001 : 40000, true);
		tcp_close(ctx, p.conn, read_open, now);
		t = now;
		send_peer(&p, ACK, our_nxt(&p, 1), NULL, 0);
		assert_int_equal(gauge(TCP_FIN_WAIT_2), 1);
		now = t + 2000 * MS;
		s = mkseg(&p, ACK, p.seq - 1, our_nxt(&p, 1), d, 1);
		assert_int_equal(input(&s), 1);
		assert_seg(out(0), ACK, our_nxt(&p, 1), p.seq);
		now = t + 4000 * MS;
		s = mkseg(&p, ACK, p.seq - 1, our_nxt(&p, 1), NULL, 0);
		assert_int_equal(input(&s), 1);
		assert_seg(out(0), ACK, our_nxt(&p, 1), p.seq);
		now = t + 4500 * MS;
		assert_int_equal(send_peer(&p, ACK, our_nxt(&p, 1), NULL, 0),
				 0);
		timers_at(t + 5000 * MS - 1);
		assert_int_equal(gauge(TCP_FIN_WAIT_2), 1);
		timers_at(t + 5000 * MS);
		assert_int_equal(gauge(TCP_FIN_WAIT_2), 0);
		assert_int_equal(cnt()->drop_after_close, 0);
		if (read_open)
			break;
	}
	assert_int_equal(cnt()->fin_wait2_timeout, 2);
}

/* Connections and TIME_WAIT records in the flow table (tcp_list()). */
static uint32_t
table_entries(void)
{
	struct tcp_list_filter f = { 0 };
	struct tcp_list_rec rec[8];
	uint32_t cursor = 0, n = 0;

	while (cursor != TCP_LIST_END)
		n += tcp_list(ctx, &cursor, &f, rec, 8, 1024, now);
	return n;
}

/*
 * A connection freed by a timer, outside segment input, leaves the flow
 * table (its entry found from its own tuple's hash); another on the
 * table stays.
 */
static void
test_fin_wait2_timeout_leaves_table(void **state)
{
	struct peer p, q;
	uint64_t t;

	(void)state;
	open_peer(&p, 40000, true);
	open_peer(&q, 40001, true);
	tcp_close(ctx, p.conn, false, now);
	t = now;
	send_peer(&p, ACK, our_nxt(&p, 1), NULL, 0);
	assert_int_equal(table_entries(), 2);
	timers_at(t + 5000 * MS);
	assert_int_equal(cnt()->fin_wait2_timeout, 1);
	assert_int_equal(table_entries(), 1);
	assert_int_equal(gauge(TCP_ESTABLISHED), 1);
	send_peer(&q, ACK, our_nxt(&q, 0), (const uint8_t *)"x", 1);
	assert_int_equal(gauge(TCP_ESTABLISHED), 1);
	assert_int_equal(table_entries(), 1);
}

static void
test_fin_wait2_timeout(void **state)
{
	struct peer p;
	uint64_t t;

	(void)state;
	open_peer(&p, 40000, true);
	tcp_close(ctx, p.conn, false, now);
	t = now;
	send_peer(&p, ACK, our_nxt(&p, 1), NULL, 0);
	assert_int_equal(gauge(TCP_FIN_WAIT_2), 1);
	timers_at(t + 5000 * MS - 1);
	assert_int_equal(gauge(TCP_FIN_WAIT_2), 1);
	timers_at(t + 5000 * MS);
	assert_int_equal(gauge(TCP_FIN_WAIT_2), 0);
	assert_int_equal(cnt()->fin_wait2_timeout, 1);
}

static void
test_time_wait_lost_ack(void **state)
{
	struct peer p;
	uint64_t t;

	(void)state;
	to_time_wait(&p, 40000);
	t = now;
	now += 1500 * MS;
	/* The retransmitted FIN: re-ACK and restart 2*MSL. */
	p.seq--;
	assert_int_equal(send_peer(&p, FIN | ACK, our_nxt(&p, 1), NULL, 0), 1);
	assert_seg(out(0), ACK, our_nxt(&p, 1), p.seq + 1);
	assert_int_equal(out(0)->opts.has, NET_OPT_TS);
	assert_int_equal(out(0)->opts.tsecr, p.tsval);
	assert_int_equal(cnt()->tw_reack, 1);
	p.seq++;
	timers_at(t + 2000 * MS);
	assert_int_equal(gauge(TCP_TIME_WAIT), 1);
	timers_at(t + 3500 * MS - 1);
	assert_int_equal(gauge(TCP_TIME_WAIT), 1);
	timers_at(t + 3500 * MS);
	assert_int_equal(gauge(TCP_TIME_WAIT), 0);
}

/*
 * RFC 9293 3.10.7.4, TIME-WAIT: every retransmitted FIN is acknowledged.
 * Under loss a re-ACK is lost too, and a peer in LAST-ACK sends its FIN
 * again an RTO later (200, 400, 800 ms from a Linux peer): each of
 * those, sooner than invalid_ratelimit_ms after the one before, is
 * answered, as Linux's tcp_oow_rate_limited() exempts a FIN.
 */
static void
test_time_wait_lost_reacks(void **state)
{
	struct peer p;
	uint32_t i, sent;

	(void)state;
	prm.invalid_ratelimit_ms = 500;
	restart();
	to_time_wait(&p, 40000);
	p.seq--;
	for (i = 0; i < 3; i++) {
		now += (200 * MS) << i;
		sent = send_peer(&p, FIN | ACK, our_nxt(&p, 1), NULL, 0);
		assert_int_equal(sent, 1);
		assert_seg(out(0), ACK, our_nxt(&p, 1), p.seq + 1);
	}
	assert_int_equal(cnt()->tw_reack, 3);
	assert_int_equal(cnt()->tw_reply_limited, 0);
	assert_int_equal(gauge(TCP_TIME_WAIT), 1);
}

/*
 * RFC 9293 3.10.7.4: a FIN without the ACK bit, at the peer's FIN (our
 * ACK lost), is not acceptable (first check: answered with an ACK and
 * dropped), and a segment without ACK is dropped anyway (fifth check):
 * only the retransmitted FIN the fifth check's TIME-WAIT rule speaks of,
 * with its ACK bit, restarts the 2*MSL. Linux acknowledges it without a
 * restart too (tcp_timewait_state_process(): th->ack off).
 */
static void
test_time_wait_fin_without_ack(void **state)
{
	struct peer p;
	struct net_seg s;
	uint64_t t, oow;

	(void)state;
	to_time_wait(&p, 40000);
	t = now;
	oow = cnt()->drop_out_of_window;
	now += 1500 * MS;
	s = mkseg(&p, FIN, p.seq - 1, 0, NULL, 0);
	s.opts.tsval = ++p.tsval;
	assert_int_equal(input(&s), 1);
	assert_seg(out(0), ACK, our_nxt(&p, 1), p.seq);
	assert_int_equal(cnt()->tw_reack, 0);
	assert_int_equal(cnt()->drop_out_of_window, oow + 1);
	/* The 2*MSL from the entry still holds. */
	timers_at(t + 2000 * MS - 1);
	assert_int_equal(gauge(TCP_TIME_WAIT), 1);
	timers_at(t + 2000 * MS);
	assert_int_equal(gauge(TCP_TIME_WAIT), 0);
	assert_int_equal(cnt()->tw_expired, 1);
}

/*
 * RFC 7323 3.2: a record of a connection that used timestamps drops a
 * non-RST segment without TSopt silently, as the open connection does:
 * a FIN again without one neither draws an ACK nor restarts the 2*MSL,
 * and neither does data. The same FIN with its TSopt is re-ACKed.
 * Linux acknowledges both.
 */
static void
test_time_wait_fin_without_ts(void **state)
{
	static const uint8_t d[10];
	struct peer p;
	struct net_seg s;
	uint64_t t;

	(void)state;
	to_time_wait(&p, 40000);
	t = now;
	now += 1500 * MS;
	s = mkseg(&p, FIN | ACK, p.seq - 1, our_nxt(&p, 1), NULL, 0);
	s.opts.has &= (uint8_t)~NET_OPT_TS;
	assert_int_equal(input(&s), 0);
	s = mkseg(&p, ACK, p.seq - 11, our_nxt(&p, 1), d, sizeof(d));
	s.opts.has &= (uint8_t)~NET_OPT_TS;
	assert_int_equal(input(&s), 0);
	assert_int_equal(cnt()->drop_ts_missing, 2);
	assert_int_equal(cnt()->tw_reack, 0);
	/* The 2*MSL from the entry still holds. */
	timers_at(t + 2000 * MS - 1);
	assert_int_equal(gauge(TCP_TIME_WAIT), 1);
	s = mkseg(&p, FIN | ACK, p.seq - 1, our_nxt(&p, 1), NULL, 0);
	s.opts.tsval = ++p.tsval;
	assert_int_equal(input(&s), 1);
	assert_seg(out(0), ACK, our_nxt(&p, 1), p.seq);
	assert_int_equal(cnt()->tw_reack, 1);
	timers_at(t + 2000 * MS);
	assert_int_equal(gauge(TCP_TIME_WAIT), 1);
}

/*
 * RFC 9293 3.10.7.4 first, then fifth: a segment without the ACK bit is
 * answered with an ACK when it is not acceptable, as in the other
 * synchronized states (tcp_input.c, check_seq()), and dropped silently
 * when it is.
 */
static void
test_time_wait_no_ack_flag(void **state)
{
	static const uint8_t d[10];
	struct peer p;
	struct net_seg s;
	uint64_t oow, noack;

	(void)state;
	to_time_wait(&p, 40000);
	oow = cnt()->drop_out_of_window;
	noack = cnt()->drop_no_ack_flag;
	/* Old data without ACK: not acceptable, ACK. */
	s = mkseg(&p, 0, p.seq - 100, 0, d, 10);
	s.opts.tsval = ++p.tsval;
	assert_int_equal(input(&s), 1);
	assert_seg(out(0), ACK, our_nxt(&p, 1), p.seq);
	assert_int_equal(cnt()->drop_out_of_window, oow + 1);
	/* No flags, far beyond the window: ACK. */
	s = mkseg(&p, 0, p.seq + 0x40000000u, 0, NULL, 0);
	s.opts.tsval = ++p.tsval;
	assert_int_equal(input(&s), 1);
	assert_seg(out(0), ACK, our_nxt(&p, 1), p.seq);
	assert_int_equal(cnt()->drop_out_of_window, oow + 2);
	/* Data without ACK at RCV.NXT: acceptable, dropped silently. */
	s = mkseg(&p, 0, p.seq, 0, d, 10);
	s.opts.tsval = ++p.tsval;
	assert_int_equal(input(&s), 0);
	assert_int_equal(cnt()->drop_no_ack_flag, noack + 1);
	assert_int_equal(cnt()->drop_out_of_window, oow + 2);
	assert_int_equal(gauge(TCP_TIME_WAIT), 1);
}

static void
test_time_wait_segments(void **state)
{
	struct peer p;
	struct net_seg s;

	(void)state;
	to_time_wait(&p, 40000);
	/* An in-window bare ACK: silence. */
	assert_int_equal(send_peer(&p, ACK, our_nxt(&p, 1), NULL, 0), 0);
	/* Data beyond the FIN: ACK. */
	assert_int_equal(send_peer(&p, ACK, our_nxt(&p, 1),
				   (const uint8_t *)"x", 1),
			 1);
	assert_seg(out(0), ACK, our_nxt(&p, 1), p.seq);
	/* PAWS: an old timestamp is answered with an ACK. */
	s = mkseg(&p, ACK, p.seq, our_nxt(&p, 1), NULL, 0);
	s.opts.tsval = 5;
	assert_int_equal(input(&s), 1);
	assert_int_equal(cnt()->drop_paws, 1);
	assert_int_equal(gauge(TCP_TIME_WAIT), 1);
}

static void
test_time_wait_rst(void **state)
{
	struct peer p;

	(void)state;
	/* RFC 1337 on: ignored. */
	to_time_wait(&p, 40000);
	assert_int_equal(send_peer(&p, RST, 0, NULL, 0), 0);
	assert_int_equal(gauge(TCP_TIME_WAIT), 1);
	assert_int_equal(cnt()->rst_rx_ignored, 1);
	/* Off: the record goes. */
	prm.rfc1337 = false;
	restart();
	to_time_wait(&p, 40000);
	assert_int_equal(send_peer(&p, RST, 0, NULL, 0), 0);
	assert_int_equal(gauge(TCP_TIME_WAIT), 0);
	assert_int_equal(cnt()->rst_rx, 1);
}

static void
test_time_wait_syn_reuse(void **state)
{
	struct peer p;
	struct net_seg s;
	uint32_t old_nxt;

	(void)state;
	to_time_wait(&p, 40000);
	old_nxt = our_nxt(&p, 1);
	/* RFC 6191 2: an older timestamp, a lower sequence: dropped. */
	s = mkseg(&p, SYN, PEER_ISN - 5000, 0, NULL, 0);
	s.opts.tsval = 50;
	assert_int_equal(input(&s), 0);
	assert_int_equal(cnt()->drop_tw_syn, 1);
	assert_int_equal(gauge(TCP_TIME_WAIT), 1);
	/* A newer timestamp (RFC 6191): a new connection. */
	s.opts.tsval = p.tsval + 10;
	s.opts.has |= NET_OPT_MSS;
	s.opts.mss = 1460;
	assert_int_equal(input(&s), 1);
	assert_int_equal(out(0)->flags, SYN | ACK);
	assert_int_equal(out(0)->seq, old_nxt + 65537);
	assert_int_equal(out(0)->ack, PEER_ISN - 5000 + 1);
	assert_int_equal(gauge(TCP_TIME_WAIT), 0);
	assert_int_equal(gauge(TCP_SYN_RECEIVED), 1);
	assert_int_equal(cnt()->tw_reused, 1);

	/* Reuse off: always refused. */
	prm.tw_reuse = TCP_TW_REUSE_OFF;
	restart();
	to_time_wait(&p, 40000);
	s = mkseg(&p, SYN, p.seq + 100000, 0, NULL, 0);
	s.opts.tsval = p.tsval + 10;
	assert_int_equal(input(&s), 1);
	assert_int_equal(out(0)->flags, ACK);
	assert_int_equal(gauge(TCP_TIME_WAIT), 1);

	/* Sequence mode without timestamps: a higher SEQ is accepted. */
	prm.tw_reuse = TCP_TW_REUSE_SEQ;
	restart();
	to_time_wait(&p, 40000);
	s = mkseg(&p, SYN, p.seq + 100000, 0, NULL, 0);
	s.opts.has = 0;
	assert_int_equal(input(&s), 1);
	assert_int_equal(out(0)->flags, SYN | ACK);
}

/*
 * RFC 6191 2 and RFC 1122 4.2.2.13: an ISN above the last sequence
 * number the old incarnation used (its FIN, RCV.NXT - 1) opens the
 * tuple: RCV.NXT itself is the first that does.
 */
static void
test_time_wait_syn_reuse_seq_edge(void **state)
{
	struct peer p;
	struct net_seg s;

	(void)state;
	prm.tw_reuse = TCP_TW_REUSE_SEQ;
	restart();
	to_time_wait(&p, 40000);
	/* The FIN's own number: refused, answered (RFC 5961 4.2). */
	s = mkseg(&p, SYN, p.seq - 1, 0, NULL, 0);
	s.opts.has = 0;
	assert_int_equal(input(&s), 1);
	assert_int_equal(out(0)->flags, ACK);
	assert_int_equal(cnt()->drop_tw_syn, 1);
	assert_int_equal(gauge(TCP_TIME_WAIT), 1);
	/* RCV.NXT: accepted. */
	s = mkseg(&p, SYN, p.seq, 0, NULL, 0);
	s.opts.has = 0;
	assert_int_equal(input(&s), 1);
	assert_int_equal(out(0)->flags, SYN | ACK);
	assert_int_equal(out(0)->ack, p.seq + 1);
	assert_int_equal(cnt()->tw_reused, 1);
	assert_int_equal(gauge(TCP_TIME_WAIT), 0);
}

static void
test_time_wait_overflow(void **state)
{
	struct peer p;
	uint16_t i;

	(void)state;
	prm.max_time_wait = 2;
	restart();
	for (i = 0; i < 3; i++)
		to_time_wait(&p, (uint16_t)(40000 + i));
	assert_int_equal(gauge(TCP_TIME_WAIT), 2);
	assert_int_equal(cnt()->tw_overflow_recycled, 1);
	/* The oldest (40000) was recycled: its ACK meets the listener. */
	p.port = 40000;
	assert_int_equal(send_peer(&p, ACK, 1, NULL, 0), 1);
	assert_int_equal(out(0)->flags, RST);
	/* The newest is still answered from its record. */
	p.port = 40002;
	p.seq--;
	assert_int_equal(send_peer(&p, FIN | ACK, our_nxt(&p, 1), NULL, 0), 1);
	assert_int_equal(out(0)->flags, ACK);

	prm.tw_overflow = TCP_TW_OVERFLOW_REFUSE;
	restart();
	for (i = 0; i < 3; i++)
		to_time_wait(&p, (uint16_t)(40000 + i));
	assert_int_equal(gauge(TCP_TIME_WAIT), 2);
	assert_int_equal(cnt()->tw_overflow_refused, 1);
	assert_int_equal(cnt()->tw_created, 2);
	/* The refused one left no entry. */
	assert_int_equal(send_peer(&p, ACK, our_nxt(&p, 1), NULL, 0), 1);
	assert_int_equal(out(0)->flags, RST);
}

static void
test_data_after_close_rst(void **state)
{
	static const uint8_t d[10];
	struct peer p;

	(void)state;
	open_peer(&p, 40000, true);
	tcp_close(ctx, p.conn, false, now);
	send_peer(&p, ACK, our_nxt(&p, 1), NULL, 0);
	assert_int_equal(gauge(TCP_FIN_WAIT_2), 1);
	assert_int_equal(send_peer(&p, ACK, our_nxt(&p, 1), d, 10), 1);
	assert_int_equal(out(0)->flags, RST | ACK);
	assert_int_equal(out(0)->seq, our_nxt(&p, 1));
	assert_int_equal(gauge(TCP_FIN_WAIT_2), 0);
	assert_int_equal(cnt()->drop_after_close, 1);
	assert_int_equal(app.rx_len, 0);
}

static void
test_half_close_keeps_reading(void **state)
{
	static const uint8_t d[10] = "halfclose";
	struct peer p;

	(void)state;
	open_peer(&p, 40000, true);
	tcp_close(ctx, p.conn, true, now);
	send_peer(&p, ACK, our_nxt(&p, 1), NULL, 0);
	assert_int_equal(send_peer(&p, ACK, our_nxt(&p, 1), d, 10), 0);
	assert_int_equal(app.rx_len, 10);
	assert_int_equal(gauge(TCP_FIN_WAIT_2), 1);
}

/*
 * A half-close the application bounds itself (tcp_read_bounded()): no
 * FIN_WAIT_2 timeout while it reads, however long the peer's data takes;
 * tcp_close_read() (the application's idle timeout) starts it, and data
 * after that draws a RST.
 */
static void
test_half_close_app_bounded(void **state)
{
	static const uint8_t d[10] = "halfclose";
	struct peer p, q;
	uint64_t t;
	int i;

	(void)state;
	open_peer(&p, 40000, true);
	tcp_close(ctx, p.conn, true, now);
	tcp_read_bounded(p.conn);
	send_peer(&p, ACK, our_nxt(&p, 1), NULL, 0);
	assert_int_equal(gauge(TCP_FIN_WAIT_2), 1);
	for (i = 0; i < 3; i++) {
		timers_at(now + 8000 * MS);
		assert_int_equal(gauge(TCP_FIN_WAIT_2), 1);
		send_peer(&p, ACK, our_nxt(&p, 1), d, 10);
		p.seq += 10;
	}
	assert_int_equal(app.rx_len, 30);
	timers_at(now + 60000 * MS);
	assert_int_equal(gauge(TCP_FIN_WAIT_2), 1);
	assert_int_equal(cnt()->fin_wait2_timeout, 0);
	/* The reading side closes: the timeout runs from now. */
	tcp_close_read(ctx, p.conn, now);
	t = now;
	timers_at(t + 5000 * MS - 1);
	assert_int_equal(gauge(TCP_FIN_WAIT_2), 1);
	timers_at(t + 5000 * MS);
	assert_int_equal(gauge(TCP_FIN_WAIT_2), 0);
	assert_int_equal(cnt()->fin_wait2_timeout, 1);
	/* Data after the reading side closed: RST. */
	open_peer(&q, 40001, true);
	tcp_close(ctx, q.conn, true, now);
	tcp_read_bounded(q.conn);
	send_peer(&q, ACK, our_nxt(&q, 1), NULL, 0);
	tcp_close_read(ctx, q.conn, now);
	assert_int_equal(send_peer(&q, ACK, our_nxt(&q, 1), d, 10), 1);
	assert_int_equal(out(0)->flags & RST, RST);
	assert_int_equal(cnt()->drop_after_close, 1);
	assert_int_equal(gauge(TCP_FIN_WAIT_2), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_active_close_to_time_wait),
		T(test_fin_ack_shortcut),
		T(test_simultaneous_close),
		T(test_passive_close),
		T(test_close_on_peer_fin_callback),
		T(test_fin_retransmit_backoff_abort),
		T(test_give_up_rst_past_fin),
		T(test_fin_wait2_timeout),
		T(test_fin_wait2_timeout_leaves_table),
		T(test_fin_wait2_keepalive_no_restart),
		T(test_time_wait_lost_ack),
		T(test_time_wait_lost_reacks),
		T(test_time_wait_fin_without_ack),
		T(test_time_wait_fin_without_ts),
		T(test_time_wait_no_ack_flag),
		T(test_time_wait_segments),
		T(test_time_wait_rst),
		T(test_time_wait_syn_reuse),
		T(test_time_wait_syn_reuse_seq_edge),
		T(test_time_wait_overflow),
		T(test_data_after_close_rst),
		T(test_half_close_keeps_reading),
		T(test_half_close_app_bounded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
