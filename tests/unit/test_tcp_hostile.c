/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Hostile peers: every table, timer and reply is bounded. Each test
 * reproduces an attack (or a load) that exhausted, wedged or flooded
 * tcpterm before the fix it guards.
 */
#include "tcp_test.h"
#include "tcp_internal.h"

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
	assert_true(cnt()->wheel_compact_passes > 0);
	assert_int_equal(cnt()->wheel_compact, 0);
	assert_int_equal(cnt()->wheel_full, 0);
	assert_int_equal(tcp_ctx_check(ctx), 0);
	timers_at(now + 700 * MS);
	assert_int_equal(app.timer_calls, 0);
	timers_at(now + 701 * MS);
	assert_int_equal(app.timer_calls, 8);
}

/*
 * A peer mix that keeps moving deadlines earlier (as an RTO sooner than
 * an idle deadline does, over and over), on every
 * connection of a small table, while time runs: stale entries keep
 * filling the wheel. The full walk of every entry used to run on an
 * insert then (one insert examined the whole wheel); compaction is
 * incremental now: no insert examines more than one step's worth (8,
 * plus the rest of a chunk), the full walk never runs, no insert fails,
 * and every connection's timer still fires at its deadline.
 */
static void
test_stale_compaction_bounded(void **state)
{
	enum { NC = 64, ROUNDS = 400 };
	static struct peer p[NC];
	uint64_t before, worst = 0, t0, fire;
	uint32_t i, k;

	(void)state;
	prm.max_connections = NC;
	restart();
	for (i = 0; i < NC; i++)
		open_peer(&p[i], (uint16_t)(6000 + i), true);
	t0 = now;
	for (k = 0; k < ROUNDS; k++) {
		for (i = 0; i < NC; i++) {
			/* Far out first, then earlier and earlier. */
			fire = t0 + (2500 - k * 5 - i % 4) * MS;
			before = cnt()->wheel_compact_checked;
			tcp_app_timer(ctx, p[i].conn, fire);
			if (cnt()->wheel_compact_checked - before > worst)
				worst = cnt()->wheel_compact_checked - before;
		}
		if (k % 8 == 7)
			timers_at(now + 7 * MS);
	}
	assert_true(worst > 0 && worst < 8 + 63);
	assert_int_equal(cnt()->wheel_compact, 0);
	assert_true(cnt()->wheel_compact_passes > 2);
	assert_true(cnt()->wheel_stale_dropped > (uint64_t)NC * 50);
	assert_int_equal(cnt()->wheel_full, 0);
	assert_int_equal(app.timer_calls, 0);
	/* Each connection's last deadline, t0 + 505 - i % 4 ms, is kept. */
	timers_at(t0 + 501 * MS);
	assert_int_equal(app.timer_calls, 0);
	timers_at(t0 + 505 * MS);
	assert_int_equal(app.timer_calls, NC);
	assert_int_equal(cnt()->wheel_full, 0);
}

/*
 * An application timer years out (past the wheel's levels), re-armed
 * after each earlier timer fired: its entries would pile up on the
 * overflow list, whose earliest entries no compaction pass drops, until
 * the full walk ran. Such an entry is filed at the horizon instead.
 */
static void
test_far_app_timer_compacted(void **state)
{
	enum { NC = 64, ROUNDS = 40 };
	static struct peer p[NC];
	const uint64_t never = T0 + ((uint64_t)1 << 40) * MS;
	uint32_t i, k;

	(void)state;
	prm.max_connections = NC;
	restart();
	for (i = 0; i < NC; i++)
		open_peer(&p[i], (uint16_t)(7000 + i), true);
	for (k = 0; k < ROUNDS; k++) {
		for (i = 0; i < NC; i++) {
			tcp_app_timer(ctx, p[i].conn, never);
			tcp_app_timer(ctx, p[i].conn, now + MS);
		}
		timers_at(now + MS);
		assert_int_equal(app.timer_calls, (k + 1) * NC);
	}
	assert_int_equal(cnt()->wheel_compact, 0);
	assert_int_equal(cnt()->wheel_full, 0);
	assert_true(cnt()->wheel_compact_passes > 0);
	/* The horizon's entry fires early: no callback, the next is filed. */
	tcp_app_timer(ctx, p[0].conn, never);
	k = app.timer_calls;
	timers_at(now + (((uint64_t)1 << 32) + 2) * MS);
	assert_int_equal(app.timer_calls, k);
	tcp_app_timer(ctx, p[0].conn, now + MS);
	timers_at(now + MS);
	assert_int_equal(app.timer_calls, k + 1);
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
				   (const uint8_t *)"hello", 5),
			 0);
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

/*
 * RFC 7323 5.5: after 24 days idle, TS.Recent no longer rejects; the
 * segment accepted despite its older TSval sets TS.Recent (rule R3,
 * Appendix D: "save SEG.TSval in variable TS.Recent"), so that its TSval
 * is echoed and PAWS protects the connection again.
 */
static void
test_paws_idle_24_days(void **state)
{
	struct peer p;
	struct net_seg s;

	(void)state;
	open_peer(&p, 4000, true);
	p.tsval -= 1000;
	assert_int_equal(send_peer(&p, ACK, our_nxt(&p, 0),
				   (const uint8_t *)"x", 1),
			 1);
	assert_int_equal(cnt()->drop_paws, 1);
	assert_int_equal(app.rx_len, 0);
	now += 25ull * 24 * 3600 * 1000 * MS;
	send_peer(&p, ACK, our_nxt(&p, 0), (const uint8_t *)"x", 1);
	p.seq++;
	assert_int_equal(cnt()->drop_paws, 1);
	assert_int_equal(app.rx_len, 1);
	/* The delayed ACK echoes the TSval just taken. */
	assert_int_equal(timers_at(now + 40 * MS), 1);
	assert_seg(out(0), ACK, our_nxt(&p, 0), p.seq);
	assert_int_equal(out(0)->opts.tsecr, p.tsval);
	/* A TSval older than it fails PAWS again. */
	s = mkseg(&p, ACK, p.seq, our_nxt(&p, 0), (const uint8_t *)"y", 1);
	s.opts.tsval = p.tsval - 10;
	assert_int_equal(input(&s), 1);
	assert_int_equal(cnt()->drop_paws, 2);
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

/*
 * A TIME_WAIT record answers invalid segments once per interval; the
 * retransmitted FINs among them are each re-acknowledged, and do not
 * use up that interval's one reply.
 */
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
		/* Retransmitted FINs restart the record, each ACKed. */
		s = mkseg(&p, ACK | FIN, p.seq - 1, our_nxt(&p, 1), NULL, 0);
		sent += input(&s);
	}
	assert_int_equal(sent, 21);
	assert_int_equal(cnt()->tw_reply_limited, 19);
	assert_int_equal(cnt()->tw_reack, 20);
	now += 500 * MS;
	s = mkseg(&p, ACK | FIN, p.seq - 1, our_nxt(&p, 1), NULL, 0);
	assert_int_equal(input(&s), 1);
}

/*
 * Data in TIME_WAIT (the peer's retransmission, or text beyond its FIN)
 * gets its ACK each time, as in the other states and in Linux
 * (tcp_oow_rate_limited()): one ACK a segment; bare ACKs stay limited.
 */
static void
test_time_wait_data_answered(void **state)
{
	static const uint8_t d[10];
	struct peer p;
	struct net_seg s;
	uint32_t i, sent = 0;

	(void)state;
	prm.invalid_ratelimit_ms = 500;
	restart();
	to_time_wait(&p, 4000);
	for (i = 0; i < 5; i++) {
		s = mkseg(&p, ACK, p.seq - 11, our_nxt(&p, 1), d, sizeof(d));
		sent += input(&s);
	}
	assert_int_equal(sent, 5);
	assert_int_equal(cnt()->tw_reply_limited, 0);
	for (i = 0; i < 5; i++) {
		s = mkseg(&p, ACK, p.seq + 10000000, our_nxt(&p, 1), NULL, 0);
		sent += input(&s);
	}
	/* The first bare one is answered (data left the limit alone). */
	assert_int_equal(sent, 6);
	assert_int_equal(cnt()->tw_reply_limited, 4);
	assert_int_equal(gauge(TCP_TIME_WAIT), 1);
}

/*
 * RFC 5961 7: the challenge ACK a RST in the window draws from a
 * TIME_WAIT record (rfc1337 off) is limited whatever the RST carries,
 * as on an open connection (tcp_challenge_ack()): text or a FIN on a
 * RST does not make it a retransmission that needs its ACK.
 */
static void
test_time_wait_rst_with_data_limited(void **state)
{
	static const uint8_t d[10];
	struct peer p;
	struct net_seg s;
	uint32_t i, sent = 0;

	(void)state;
	prm.invalid_ratelimit_ms = 500;
	prm.rfc1337 = false;
	restart();
	to_time_wait(&p, 4000);
	for (i = 0; i < 5; i++) {
		s = mkseg(&p, RST, p.seq + 10, 0, d, sizeof(d));
		sent += input(&s);
		s = mkseg(&p, RST | FIN, p.seq + 20, 0, NULL, 0);
		sent += input(&s);
	}
	assert_int_equal(sent, 1);
	assert_int_equal(cnt()->challenge_ack, 10);
	assert_int_equal(cnt()->tw_reply_limited, 9);
	assert_int_equal(gauge(TCP_TIME_WAIT), 1);
}

/* A SYN from port, with MSS 1400 and the other options or none. */
static uint32_t
syn_opts(struct peer *p, uint16_t port, bool opts)
{
	return peer_syn(p, port, opts, 1400);
}

/* Fill the SYN_RECEIVED budget (2) with half-open connections. */
static void
fill_syn_budget(void)
{
	prm.max_syn_recv = 2;
	restart();
	assert_int_equal(syn_from(3000, 1), 1);
	assert_int_equal(syn_from(3001, 1), 1);
	assert_int_equal(gauge(TCP_SYN_RECEIVED), 2);
}

/*
 * RFC 4987 3.6: over the budget a SYN is answered statelessly; the ACK
 * returning the cookie (with the request in it) opens the connection
 * with the MSS, window scale and SACK of the SYN (the last two from the
 * timestamp echoed back).
 */
static void
test_syncookie_timestamps(void **state)
{
	struct peer p;
	const struct tcp_out *o;

	(void)state;
	fill_syn_budget();
	assert_int_equal(syn_opts(&p, 4000, true), 1);
	o = out(0);
	assert_int_equal(o->flags, SYN | ACK);
	assert_int_equal(o->ack, PEER_ISN + 1);
	assert_int_equal(o->opts.has,
			 NET_OPT_MSS | NET_OPT_TS | NET_OPT_WSCALE |
				 NET_OPT_SACK_OK);
	assert_int_equal(o->opts.tsecr, 100);
	assert_int_equal(gauge(TCP_SYN_RECEIVED), 2);
	assert_int_equal(cnt()->syncookies_sent, 1);
	p.iss = o->seq;
	p.seq++;
	now += 50 * MS;
	app.conn = NULL;
	assert_int_equal(send_peer(&p, ACK, p.iss + 1, (const uint8_t *)"GET /",
				   5),
			 0);
	assert_int_equal(cnt()->syncookies_ok, 1);
	assert_non_null(app.conn);
	assert_int_equal(tcp_conn_state(app.conn), TCP_ESTABLISHED);
	assert_int_equal(app.rx_len, 5);
	/* The cookie's MSS table rounds 1400 down (IPv6's to 1380). */
	assert_int_equal(app.conn->snd_mss,
			 (TCP_TEST_V6_DEFAULT ? 1380 : 1400) - TCP_TS_OPT_LEN);
	assert_int_equal(app.conn->snd_wscale, 2);
	assert_int_equal(app.conn->rcv_wscale, prm.wscale);
	assert_true(app.conn->flags & TCP_CF_SACK);
	assert_true(app.conn->flags & TCP_CF_TS);
	assert_int_equal(gauge(TCP_SYN_RECEIVED), 2);
	/* Our timestamps go on from the cookie's, never backwards. */
	p.seq += 5;
	tcp_send(ctx, app.conn, "ok", 2, now);
	assert_int_equal(send_peer(&p, ACK, p.iss + 1, NULL, 0), 0);
}

/* Without timestamps: MSS only, no scaling, no SACK on either side. */
static void
test_syncookie_plain(void **state)
{
	struct peer p;

	(void)state;
	fill_syn_budget();
	assert_int_equal(syn_opts(&p, 4000, false), 1);
	assert_int_equal(out(0)->opts.has, NET_OPT_MSS);
	p.iss = out(0)->seq;
	p.seq++;
	app.conn = NULL;
	assert_int_equal(send_peer(&p, ACK, p.iss + 1, NULL, 0), 0);
	assert_non_null(app.conn);
	assert_int_equal(app.conn->snd_mss, PEER_DEFAULT_MSS);
	assert_false(app.conn->flags & (TCP_CF_WS | TCP_CF_SACK | TCP_CF_TS));
}

/*
 * RFC 9293 3.7.1 (MUST-16): a cookie connection sends no more than the
 * peer's MSS. Below the family's default, the cookie carries TCP's
 * floor, as a stateful connection would raise a smaller MSS to; at the
 * default, the default.
 */
static void
test_syncookie_small_mss(void **state)
{
	static const struct {
		uint16_t peer;
		uint16_t v4;
		uint16_t v6;
	} t[] = {
		{ 300, TCP_MIN_MSS, TCP_MIN_MSS },
		{ 8, TCP_MIN_MSS, TCP_MIN_MSS },
		{ 535, TCP_MIN_MSS, TCP_MIN_MSS },
		{ 536, 536, TCP_MIN_MSS },
		{ 1219, 1200, TCP_MIN_MSS },
		{ 1220, 1200, 1220 },
		{ 9000, 8960, 8940 },
	};
	struct peer p;
	unsigned int i;

	(void)state;
	prm.mss = 9000;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		fill_syn_budget();
		assert_int_equal(peer_syn(&p, 4000, true, t[i].peer), 1);
		p.iss = out(0)->seq;
		p.seq++;
		app.conn = NULL;
		assert_int_equal(send_peer(&p, ACK, p.iss + 1, NULL, 0), 0);
		assert_non_null(app.conn);
		assert_int_equal(app.conn->snd_mss + TCP_TS_OPT_LEN,
				 TCP_TEST_V6_DEFAULT ? t[i].v6 : t[i].v4);
	}
}

/*
 * RFC 9293 3.10.7.4: the ACK returning the cookie may carry data and a
 * FIN (the client's bare ACK was lost): the connection opens, takes the
 * data and then the FIN, as one made from state does.
 */
static void
test_syncookie_ack_fin(void **state)
{
	struct peer p;

	(void)state;
	fill_syn_budget();
	assert_int_equal(syn_opts(&p, 4000, false), 1);
	p.iss = out(0)->seq;
	p.seq++;
	app.conn = NULL;
	send_peer(&p, ACK | FIN, p.iss + 1, (const uint8_t *)"GET /", 5);
	assert_int_equal(cnt()->syncookies_ok, 1);
	assert_non_null(app.conn);
	assert_int_equal(app.rx_len, 5);
	assert_int_equal(tcp_conn_state(app.conn), TCP_CLOSE_WAIT);
	assert_int_equal(out(0)->flags, ACK);
	assert_int_equal(out(0)->ack, PEER_ISN + 1 + 5 + 1);
}

/* A forged, stale or unexpected cookie gets the RST a LISTEN ACK gets. */
static void
test_syncookie_rejected(void **state)
{
	struct peer p;
	uint32_t cookie;

	(void)state;
	/* No cookie sent lately: a bare ACK is not even checked. */
	p = (struct peer){ .port = 4000, .seq = 77 };
	assert_int_equal(send_peer(&p, ACK, 12345, NULL, 0), 1);
	assert_int_equal(out(0)->flags, RST);
	assert_int_equal(cnt()->syncookies_failed, 0);
	fill_syn_budget();
	assert_int_equal(syn_opts(&p, 4000, false), 1);
	cookie = out(0)->seq;
	p.seq++;
	/* Wrong cookie, wrong peer ISN, then the right one too late. */
	assert_int_equal(send_peer(&p, ACK, cookie + 2, NULL, 0), 1);
	assert_int_equal(out(0)->flags, RST);
	p.seq++;
	assert_int_equal(send_peer(&p, ACK, cookie + 1, NULL, 0), 1);
	p.seq--;
	now += 129ull * 1000 * MS;
	assert_int_equal(syn_opts(&p, 4001, false), 1);
	p.port = 4000;
	p.seq = PEER_ISN + 1;
	assert_int_equal(send_peer(&p, ACK, cookie + 1, NULL, 0), 1);
	assert_int_equal(out(0)->flags, RST);
	assert_int_equal(cnt()->syncookies_failed, 3);
	assert_int_equal(cnt()->syncookies_ok, 0);
	assert_int_equal(gauge(TCP_ESTABLISHED), 0);
}

/*
 * RFC 4987 3.6: a cookie is good for the period of 64 s it was made in
 * and the next, no longer. Only the counter's low 5 bits ride in the
 * cookie, but the MAC covers the whole counter: a cookie returned 32
 * periods (34 minutes) later, when those bits come round again, is as
 * stale as any other (the MAC over the 5 bits took it again then).
 */
static void
test_syncookie_counter_wrap(void **state)
{
	struct peer p, q;
	uint64_t t0;

	(void)state;
	prm.syncookies = TCP_SYNCOOKIES_ALWAYS;
	restart();
	t0 = now;
	assert_int_equal(syn_opts(&p, 4000, false), 1);
	p.iss = out(0)->seq;
	p.seq++;
	assert_int_equal(syn_opts(&q, 4001, false), 1);
	q.iss = out(0)->seq;
	q.seq++;
	/* The next period: still good. */
	now = t0 + 64ull * 1000 * MS;
	app.conn = NULL;
	assert_int_equal(send_peer(&q, ACK, q.iss + 1, NULL, 0), 0);
	assert_non_null(app.conn);
	assert_int_equal(cnt()->syncookies_ok, 1);
	/* 32 periods on: the same 5 bits of the counter, stale. */
	now = t0 + 32ull * 64 * 1000 * MS;
	app.conn = NULL;
	assert_int_equal(send_peer(&p, ACK, p.iss + 1, NULL, 0), 1);
	assert_int_equal(out(0)->flags, RST);
	assert_null(app.conn);
	assert_int_equal(cnt()->syncookies_failed, 1);
	assert_int_equal(cnt()->syncookies_ok, 1);
}

/*
 * A cookie SYN-ACK's TSval carries the SYN's window scale and SACK-
 * permitted in its low 5 bits; a TSecr of 0 in the returning ACK means
 * no echo (tcp_cookie_check()). A SYN with window scale 0 and no SACK
 * puts 0 in those bits, so when the clock's other bits are 0 too the
 * TSval was 0, and the connection lost the window scale both SYNs had
 * agreed on (RFC 7323 2.2): ours scaled, the peer's unscaled. The
 * cookie's TSval is never 0.
 */
static void
test_syncookie_tsval_never_zero(void **state)
{
	struct peer p;
	struct net_seg s;
	struct tcp_ends e;
	uint32_t off, ms;

	(void)state;
	prm.syncookies = TCP_SYNCOOKIES_ALWAYS;
	restart();
	memset(&p, 0, sizeof(p));
	p.v6 = peer_v6;
	p.port = 4000;
	p.seq = PEER_ISN;
	p.ts = true;
	p.tsval = 100;
	s = mkseg(&p, SYN, p.seq, 0, NULL, 0);
	s.opts.has |= NET_OPT_MSS | NET_OPT_WSCALE;
	s.opts.mss = 1460;
	s.opts.wscale = 0;
	s.opts.tsecr = 0;
	/* The clock where this tuple's TSval is 7: its top 27 bits 0. */
	tcp_seg_ends(&s, &e);
	off = tcp_ts_offset(ctx, &e);
	ms = 7 - off - (uint32_t)(now / MS);
	now += (uint64_t)ms * MS;
	assert_int_equal(input(&s), 1);
	assert_int_equal(out(0)->flags, SYN | ACK);
	assert_true(out(0)->opts.has & NET_OPT_WSCALE);
	assert_int_not_equal(out(0)->opts.tsval, 0);
	/* No later than the clock the connection goes on with. */
	assert_true((int32_t)(out(0)->opts.tsval - 7) <= 0);
	p.iss = out(0)->seq;
	p.seq++;
	app.conn = NULL;
	assert_int_equal(send_peer(&p, ACK, p.iss + 1, NULL, 0), 0);
	assert_non_null(app.conn);
	assert_true(app.conn->flags & TCP_CF_TS);
	assert_true(app.conn->flags & TCP_CF_WS);
	assert_int_equal(app.conn->snd_wscale, 0);
	assert_int_equal(app.conn->rcv_wscale, prm.wscale);
	assert_false(app.conn->flags & TCP_CF_SACK);
}

/*
 * A flood of spoofed SYNs never takes more than the SYN_RECEIVED
 * budget, so established connections keep the pool and a real client
 * still gets in (auto), or the flood is dropped (off).
 */
static void
test_syn_budget(void **state)
{
	struct peer p, est[3];
	uint32_t i;

	(void)state;
	fill_syn_budget();
	for (i = 0; i < 3; i++)
		open_peer(&est[i], (uint16_t)(5000 + i), true);
	for (i = 0; i < 1000; i++)
		assert_int_equal(syn_from((uint16_t)(10000 + i), i), 1);
	assert_int_equal(gauge(TCP_SYN_RECEIVED), 2);
	assert_int_equal(gauge(TCP_ESTABLISHED), 3);
	assert_int_equal(cnt()->conn_limit_drop, 0);
	assert_int_equal(syn_opts(&p, 4000, true), 1);
	p.iss = out(0)->seq;
	p.seq++;
	assert_int_equal(send_peer(&p, ACK, p.iss + 1, NULL, 0), 0);
	assert_int_equal(gauge(TCP_ESTABLISHED), 4);

	prm.syncookies = TCP_SYNCOOKIES_OFF;
	fill_syn_budget();
	for (i = 0; i < 100; i++)
		assert_int_equal(syn_from((uint16_t)(10000 + i), i), 0);
	assert_int_equal(cnt()->syn_recv_budget_drop, 100);
	assert_int_equal(cnt()->syncookies_sent, 0);
}

/*
 * RFC 7323 2.3: a Window Scale shift above 14 "SHOULD log the error but
 * MUST use 14": counted in wscale_clamped, on the connection's path and
 * the SYN cookie's alike; 14 itself is no error.
 */
static void
test_wscale_above_14_counted(void **state)
{
	struct peer p = { .port = 4000, .ts = true, .tsval = 100 };
	struct net_seg s;
	uint16_t port;

	(void)state;
	for (port = 4000; port < 4003; port++) {
		if (port == 4002) {
			prm.syncookies = TCP_SYNCOOKIES_ALWAYS;
			restart();
		}
		p.port = port;
		s = mkseg(&p, SYN, PEER_ISN, 0, NULL, 0);
		s.opts.has |= NET_OPT_WSCALE;
		s.opts.wscale = port == 4000 ? 14 : 15;
		assert_int_equal(input(&s), 1);
		assert_int_equal(out(0)->flags, SYN | ACK);
		assert_int_equal(cnt()->wscale_clamped, port == 4000 ? 0 : 1);
	}
	assert_int_equal(cnt()->syncookies_sent, 1);
}

/* always: no SYN ever creates state. */
static void
test_syncookie_always(void **state)
{
	struct peer p;

	(void)state;
	prm.syncookies = TCP_SYNCOOKIES_ALWAYS;
	restart();
	open_peer(&p, 4000, true);
	assert_int_equal(cnt()->syncookies_sent, 1);
	assert_int_equal(cnt()->syncookies_ok, 1);
	assert_int_equal(gauge(TCP_SYN_RECEIVED), 0);
}

/*
 * After a retransmission timeout the send position goes back to
 * SND.UNA and one segment is resent; an invalid segment (here out of
 * window) drew its ACK and, with it, the rest of the window (found by
 * fuzz_tcp: tests/fuzz/findings/dropped_*_window_burst).
 */
static void
test_dropped_segment_sends_no_data(void **state)
{
	static const uint8_t b[4000];
	struct peer p;
	struct net_seg s;

	(void)state;
	open_peer(&p, 4000, true);
	outq()->n = 0;
	assert_int_equal(tcp_send(ctx, p.conn, b, sizeof(b), now), sizeof(b));
	assert_int_equal(note_ts(), 3);
	assert_int_equal(timers_at(now + 1001 * MS), 1);
	assert_int_equal(out(0)->len, 1448);
	s = mkseg(&p, ACK, p.seq + 10000000, our_nxt(&p, 0), NULL, 0);
	assert_int_equal(input(&s), 1);
	assert_int_equal(out(0)->len, 0);
	s = mkseg(&p, RST, p.seq + 10, 0, NULL, 0);
	assert_int_equal(input(&s), 1);
	assert_int_equal(out(0)->len, 0);
	/* A valid ACK of the first segment lets the rest go. */
	assert_true(send_peer(&p, ACK, our_nxt(&p, 1448), NULL, 0) >= 1);
	assert_true(out(0)->len > 0);
}

/*
 * The context check finds a flow table entry that names a connection
 * under a key not the connection's own (a stale value, which a lookup
 * by value at a hinted slot would take for the connection's entry), and
 * one naming a connection no longer in use.
 */
static void
test_ctx_check_conn_entries(void **state)
{
	struct flow_key k, other;
	struct peer p;
	uint32_t idx;

	(void)state;
	open_peer(&p, 4000, true);
	idx = p.conn->idx;
	assert_int_equal(tcp_ctx_check(ctx), 0);
	tcp_conn_key(ctx, p.conn, &k);
	other = k;
	other.rport++;
	/* The same count, the index under another key. */
	assert_int_equal(flowtab_delete(ctx->ft, &k, flowtab_hash(ctx->ft, &k)),
			 0);
	assert_int_equal(flowtab_insert(ctx->ft, &other,
					flowtab_hash(ctx->ft, &other), idx),
			 0);
	assert_int_equal(tcp_ctx_check(ctx), -1);
	assert_int_equal(flowtab_delete(ctx->ft, &other,
					flowtab_hash(ctx->ft, &other)),
			 0);
	assert_int_equal(flowtab_insert(ctx->ft, &k, flowtab_hash(ctx->ft, &k),
					idx),
			 0);
	assert_int_equal(tcp_ctx_check(ctx), 0);
	/* An entry of a free connection slot, the count kept. */
	assert_int_equal(flowtab_update(ctx->ft, &k, flowtab_hash(ctx->ft, &k),
					idx + 1),
			 0);
	assert_int_equal(ctx->conns[idx + 1].state, TCP_CLOSED);
	assert_int_equal(tcp_ctx_check(ctx), -1);
	assert_int_equal(flowtab_update(ctx->ft, &k, flowtab_hash(ctx->ft, &k),
					idx),
			 0);
	assert_int_equal(tcp_ctx_check(ctx), 0);
}

/*
 * Copies of the SYN streaming into a SYN_RECEIVED connection: each drew
 * a SYN-ACK. The first copy still does (the SYN-ACK may have been
 * lost), the rest of the copies within invalid_ratelimit_ms do not
 * (invalid_reply_limited), and one after the interval does again.
 */
static void
test_syn_copies_rate_limited(void **state)
{
	uint32_t i, n = 0, isn;

	(void)state;
	prm.invalid_ratelimit_ms = 500;
	restart();
	assert_int_equal(syn_from(4002, 7000), 1);
	isn = out(0)->seq;
	for (i = 0; i < 20; i++)
		n += syn_from(4002, 7000);
	assert_int_equal(n, 1);
	assert_int_equal(cnt()->invalid_reply_limited, 19);
	now += 499 * MS;
	assert_int_equal(syn_from(4002, 7000), 0);
	now += 1 * MS;
	assert_int_equal(syn_from(4002, 7000), 1);
	assert_seg(out(0), SYN | ACK, isn, 7001);
	assert_int_equal(gauge(TCP_SYN_RECEIVED), 1);
}

/*
 * RFC 7323 5.3 R1 in SYN_RECEIVED: a SYN with an old TSval draws an ACK
 * and is dropped; with data, still one ACK per invalid_ratelimit_ms (RFC
 * 5961 7; Linux's tcp_oow_rate_limited() limits every SYN), not one for
 * each copy.
 */
static void
test_syn_received_old_syn_data_rate_limited(void **state)
{
	static const uint8_t data[10];
	struct peer p;
	struct net_seg s;
	uint32_t i, n = 0;

	(void)state;
	prm.invalid_ratelimit_ms = 500;
	restart();
	assert_int_equal(peer_syn(&p, 4300, true, 1460), 1);
	now += 10 * MS;
	for (i = 0; i < 5; i++) {
		s = mkseg(&p, SYN, p.seq + 101, 0, data, sizeof(data));
		s.opts.tsval = p.tsval - 50;
		n += input(&s);
	}
	assert_int_equal(n, 1);
	assert_int_equal(cnt()->drop_paws, 5);
	assert_int_equal(cnt()->invalid_reply_limited, 4);
	assert_int_equal(gauge(TCP_SYN_RECEIVED), 1);
}

/*
 * A SYN+FIN with the original SYN's sequence number in SYN_RECEIVED is
 * no retransmission of the SYN (no stack sends one): RFC 9293 3.10.7.4
 * fourth returns the connection to LISTEN, silently, as for any other
 * SYN there. It drew a SYN-ACK as a copy of the SYN.
 */
static void
test_syn_fin_forgets_syn_received(void **state)
{
	struct peer p;
	struct net_seg s;

	(void)state;
	restart();
	assert_int_equal(peer_syn(&p, 4200, true, 1460), 1);
	now += 1000 * MS;
	s = mkseg(&p, SYN | FIN, PEER_ISN, 0, NULL, 0);
	assert_int_equal(input(&s), 0);
	assert_int_equal(cnt()->drop_syn_recv_syn, 1);
	assert_int_equal(gauge(TCP_SYN_RECEIVED), 0);
}

/*
 * The reply budget a copy of the SYN spent is the handshake's: once
 * established, the connection's first reply to an invalid segment goes
 * out (a keepalive-style probe 20 ms after an answered copy).
 */
static void
test_syn_copy_budget_not_carried(void **state)
{
	struct peer p;
	struct net_seg s;

	(void)state;
	prm.invalid_ratelimit_ms = 500;
	restart();
	assert_int_equal(peer_syn(&p, 4100, true, 1460), 1);
	p.iss = out(0)->seq;
	now += 1000 * MS;
	s = mkseg(&p, SYN, PEER_ISN, 0, NULL, 0);
	assert_int_equal(input(&s), 1);
	p.seq++;
	now += 10 * MS;
	app.conn = NULL;
	assert_int_equal(send_peer(&p, ACK, p.iss + 1, NULL, 0), 0);
	p.conn = app.conn;
	assert_int_equal(tcp_conn_state(p.conn), TCP_ESTABLISHED);
	now += 10 * MS;
	s = mkseg(&p, ACK, p.seq - 1, p.iss + 1, NULL, 0);
	s.opts.tsval = ++p.tsval;
	assert_int_equal(input(&s), 1);
	assert_int_equal(cnt()->invalid_reply_limited, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_syn_rst_cycles_keep_timers),
		T(test_syn_copies_rate_limited),
		T(test_syn_received_old_syn_data_rate_limited),
		T(test_syn_fin_forgets_syn_received),
		T(test_syn_copy_budget_not_carried),
		T(test_ctx_check_conn_entries),
		T(test_stale_entries_compacted),
		T(test_stale_compaction_bounded),
		T(test_far_app_timer_compacted),
		T(test_ts_recent_needs_valid_ack),
		T(test_ts_recent_last_ack_sent),
		T(test_paws_idle_24_days),
		T(test_invalid_replies_limited),
		T(test_time_wait_replies_limited),
		T(test_time_wait_data_answered),
		T(test_time_wait_rst_with_data_limited),
		T(test_syncookie_timestamps),
		T(test_syncookie_plain),
		T(test_syncookie_small_mss),
		T(test_syncookie_ack_fin),
		T(test_syncookie_rejected),
		T(test_syncookie_counter_wrap),
		T(test_syncookie_tsval_never_zero),
		T(test_syn_budget),
		T(test_syncookie_always),
		T(test_wscale_above_14_counted),
		T(test_dropped_segment_sends_no_data),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
