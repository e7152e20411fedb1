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

#define SEG 1448u	/* MSS 1460 less the timestamp option */

/* Open with options and send n full segments; returns their count. */
static void
burst(struct peer *p, uint32_t n)
{
	open_peer(p, 4000, true);
	outq()->n = 0;
	assert_int_equal(tcp_send(ctx, p->conn, zeros, n * SEG, now), n * SEG);
	assert_int_equal(note_ts(), n);
}

/* A duplicate ACK of SND.UNA, with SACK blocks [a, b) in segments. */
static uint32_t
dupack(struct peer *p, const uint32_t (*blk)[2], uint32_t nblk)
{
	struct net_seg s = mkseg(p, ACK, p->seq, our_nxt(p, 0), NULL, 0);
	uint32_t i;

	for (i = 0; i < nblk; i++) {
		s.opts.sack[i].start = our_nxt(p, blk[i][0] * SEG);
		s.opts.sack[i].end = our_nxt(p, blk[i][1] * SEG);
	}
	if (nblk > 0) {
		s.opts.has |= NET_OPT_SACK;
		s.opts.nsack = nblk;
	}
	s.opts.tsval = ++p->tsval;
	return input(&s);
}

/*
 * RFC 5681 3.2 and RFC 6582 3.2: the third duplicate ACK retransmits
 * the first unacknowledged segment at once (no timeout), halves the
 * window; a partial ACK retransmits the next loss; a full ACK ends the
 * recovery with cwnd = ssthresh.
 */
static void
test_newreno_fast_retransmit(void **state)
{
	struct peer p;
	struct tcp_conn *c;

	(void)state;
	prm.sack = false;
	prm.congestion = TCP_CC_NEWRENO;
	restart();
	burst(&p, 10);
	c = p.conn;
	/* Segments 0 and 5 are lost; 1..4 and 6..9 draw dup ACKs. */
	assert_int_equal(dupack(&p, NULL, 0), 0);
	assert_int_equal(dupack(&p, NULL, 0), 0);
	assert_int_equal(dupack(&p, NULL, 0), 1);
	assert_int_equal(out(0)->seq, our_nxt(&p, 0));
	assert_int_equal(out(0)->len, SEG);
	assert_int_equal(cnt()->fast_recovery, 1);
	assert_int_equal(c->ssthresh, 5 * SEG);
	assert_true(c->rec_flags & TCP_RF_RECOVERY);
	/* Partial ACK (up to the second loss): it goes at once. */
	assert_int_equal(send_peer(&p, ACK, our_nxt(&p, 5 * SEG), NULL, 0),
			 1);
	assert_int_equal(out(0)->seq, our_nxt(&p, 5 * SEG));
	assert_true(c->rec_flags & TCP_RF_RECOVERY);
	/* The full ACK ends the recovery. */
	send_peer(&p, ACK, our_nxt(&p, 10 * SEG), NULL, 0);
	assert_false(c->rec_flags & TCP_RF_RECOVERY);
	assert_int_equal(c->cwnd, c->ssthresh);
	assert_int_equal(cnt()->retransmit, 2);
	assert_int_equal(timers_at(now + 5000 * MS), 0);
}

/*
 * RFC 6675 5: with SACK, recovery starts once DupThresh segments are
 * reported beyond the hole, and each ACK with new SACK information
 * retransmits the next hole below the highest SACKed byte.
 */
static void
test_sack_holes(void **state)
{
	static const uint32_t b1[][2] = { { 1, 3 } };
	static const uint32_t b2[][2] = { { 4, 5 }, { 1, 3 } };
	static const uint32_t b3[][2] = { { 4, 7 }, { 1, 3 } };
	struct peer p;
	struct tcp_conn *c;

	(void)state;
	burst(&p, 10);
	c = p.conn;
	/* Segments 0 and 3 are lost. */
	assert_int_equal(dupack(&p, b1, 1), 0);
	assert_int_equal(dupack(&p, b2, 2), 1);
	assert_int_equal(out(0)->seq, our_nxt(&p, 0));
	assert_int_equal(cnt()->fast_recovery, 1);
	assert_int_equal(c->nsacked, 2);
	/* More SACKed: the next hole (segment 3) goes. */
	assert_int_equal(dupack(&p, b3, 2), 1);
	assert_int_equal(out(0)->seq, our_nxt(&p, 3 * SEG));
	assert_int_equal(out(0)->len, SEG);
	/* No hole left below the highest SACKed byte: nothing more. */
	assert_int_equal(dupack(&p, b3, 2), 0);
	send_peer(&p, ACK, our_nxt(&p, 10 * SEG), NULL, 0);
	assert_false(c->rec_flags & TCP_RF_RECOVERY);
	assert_int_equal(c->nsacked, 0);
	assert_int_equal(cnt()->retransmit, 2);
}

/*
 * The scoreboard keeps four ranges, the nearest SND.UNA (where the holes
 * to resend are); a fifth range is left out and counted.
 */
static void
test_sack_scoreboard_full(void **state)
{
	static const uint32_t four[][2] = { { 1, 2 }, { 3, 4 }, { 5, 6 },
					    { 7, 8 } };
	static const uint32_t fifth[][2] = { { 9, 10 } };
	static const uint32_t low[][2] = { { 2, 3 } };
	struct peer p;
	struct tcp_conn *c;

	(void)state;
	burst(&p, 10);
	c = p.conn;
	dupack(&p, four, 4);
	assert_int_equal(c->nsacked, 4);
	assert_int_equal(cnt()->sack_scoreboard_full, 0);
	dupack(&p, fifth, 1);
	assert_int_equal(c->nsacked, 4);
	assert_int_equal(cnt()->sack_scoreboard_full, 1);
	assert_int_equal(c->sacked[3].end, our_nxt(&p, 8 * SEG));
	/* A range that joins two kept ones needs no room. */
	dupack(&p, low, 1);
	assert_int_equal(c->nsacked, 3);
	assert_int_equal(cnt()->sack_scoreboard_full, 1);
}

/*
 * RFC 6675 5.1 and RFC 5681 3.1: a timeout after recovery failed puts
 * cwnd at one segment; the go-back-N resend skips what the scoreboard
 * says the peer holds.
 */
static void
test_rto_skips_sacked(void **state)
{
	static const uint32_t b[][2] = { { 1, 10 } };
	struct peer p;
	struct tcp_conn *c;
	uint32_t i;

	(void)state;
	burst(&p, 10);
	c = p.conn;
	for (i = 0; i < 3; i++)
		dupack(&p, b, 1);
	assert_int_equal(cnt()->fast_recovery, 1);
	assert_int_equal(cnt()->retransmit, 1);
	/* The retransmission is lost too: the timeout. */
	assert_int_equal(timers_at(now + 1001 * MS), 1);
	assert_int_equal(out(0)->seq, our_nxt(&p, 0));
	assert_int_equal(c->cwnd, SEG);
	assert_false(c->rec_flags & TCP_RF_RECOVERY);
	/* Its ACK: everything else is held by the peer, nothing resent. */
	assert_int_equal(send_peer(&p, ACK, our_nxt(&p, SEG), NULL, 0), 0);
	assert_int_equal(cnt()->retransmit, 2);
	send_peer(&p, ACK, our_nxt(&p, 10 * SEG), NULL, 0);
	assert_int_equal(c->snd_una, c->snd_max);
}

/*
 * RFC 8985 7: the last segments of a response are lost; a probe (the
 * last segment again) goes after about two round trips, long before the
 * retransmission timeout, and its ACK recovers the tail.
 */
static void
test_tail_loss_probe(void **state)
{
	struct peer p;
	struct tcp_conn *c;
	uint64_t pto;

	(void)state;
	prm.tail_loss_probe = true;
	restart();
	open_peer(&p, 4000, true);
	c = p.conn;
	/* An RTT sample of 10 ms from a first exchange. */
	outq()->n = 0;
	tcp_send(ctx, c, zeros, 100, now);
	now += 10 * MS;
	note_ts();
	send_peer(&p, ACK, our_nxt(&p, 100), NULL, 0);
	pto = 2ull * c->srtt;
	assert_true(pto > 2 * MS && pto < c->rto);
	outq()->n = 0;
	tcp_send(ctx, c, zeros, 3 * SEG, now);
	assert_int_equal(note_ts(), 3);
	/* Nothing comes back. Before 2 * SRTT, no probe; then one. */
	assert_int_equal(timers_at(now + pto - 2 * MS), 0);
	assert_int_equal(timers_at(now + pto + 1 * MS), 1);
	assert_int_equal(cnt()->tlp_probe, 1);
	assert_int_equal(out(0)->seq, our_nxt(&p, 100 + 2 * SEG));
	assert_int_equal(out(0)->len, SEG);
	/* One probe per tail; then the RTO (200 ms) applies. */
	assert_int_equal(timers_at(now + 100 * MS), 0);
	assert_int_equal(c->retries, 0);
	/* The probe's ACK covers everything (the peer had the rest). */
	send_peer(&p, ACK, our_nxt(&p, 100 + 3 * SEG), NULL, 0);
	assert_int_equal(c->snd_una, c->snd_max);
	assert_int_equal(cnt()->tlp_probe, 1);
}

/*
 * A probe or retransmission covers data sent, never data still held back
 * by the congestion window: the probe once resent "the last segment" of
 * the send buffer, beyond SND.MAX; the peer then acknowledged data we had
 * not counted as sent and every later ACK was dropped as an ACK of
 * unsent data (a 4 MiB download under 5% loss stalled).
 */
static void
test_probe_within_sent(void **state)
{
	struct peer p;
	struct tcp_conn *c;

	(void)state;
	prm.tail_loss_probe = true;
	restart();
	open_peer(&p, 4000, true);
	c = p.conn;
	outq()->n = 0;
	/* 16384 buffered, the initial window sends 10 segments. */
	assert_int_equal(tcp_send(ctx, c, zeros, 16384, now), 16384);
	assert_int_equal(note_ts(), 10);
	assert_int_equal(c->snd_max, our_nxt(&p, 10 * SEG));
	assert_int_equal(timers_at(now + 300 * MS), 1);
	assert_int_equal(cnt()->tlp_probe, 1);
	assert_true(net_seq_leq(out(0)->seq + out(0)->len, c->snd_max));
	assert_int_equal(out(0)->seq, our_nxt(&p, 9 * SEG));
	/* The peer had all of it: the ACK is valid and more goes. */
	assert_true(send_peer(&p, ACK, our_nxt(&p, 10 * SEG), NULL, 0) >= 1);
	assert_int_equal(cnt()->drop_bad_ack, 0);
}

/*
 * A retransmission while out-of-order data is held carries SACK blocks
 * only as far as they fit beside a full segment: one carried them all,
 * its frame exceeded the MTU, the tap refused it for ever and every
 * later frame of the worker waited behind it.
 */
static void
test_rexmit_fits_mss(void **state)
{
	static const uint8_t d[10];
	struct peer p;
	struct net_seg s;

	(void)state;
	prm.tail_loss_probe = true;
	restart();
	burst(&p, 2);
	/* Data from the peer out of order: we hold it and SACK it. */
	s = mkseg(&p, ACK, p.seq + 100, our_nxt(&p, 0), d, sizeof(d));
	assert_int_equal(input(&s), 1);
	assert_int_equal(out(0)->opts.nsack, 1);
	/* The tail loss probe resends the last full segment. */
	assert_int_equal(timers_at(now + 300 * MS), 1);
	assert_int_equal(cnt()->tlp_probe, 1);
	assert_int_equal(out(0)->len, SEG);
	assert_int_equal(out(0)->opts.nsack, 0);
}

/*
 * RFC 5681 3.1: slow start grows cwnd by what each ACK acknowledges (at
 * most 2 SMSS); RFC 9438 4.6: a CUBIC loss multiplies it by 0.7.
 */
static void
test_cwnd_growth_and_cubic_reduction(void **state)
{
	struct peer p;
	struct tcp_conn *c;
	uint32_t i, w0;

	(void)state;
	burst(&p, 10);
	c = p.conn;
	w0 = c->cwnd;
	assert_int_equal(w0, 10 * SEG);
	for (i = 1; i <= 10; i++)
		send_peer(&p, ACK, our_nxt(&p, i * SEG), NULL, 0);
	assert_int_equal(c->cwnd, 20 * SEG);
	/* A loss in the next flight: beta 0.7. */
	outq()->n = 0;
	tcp_send(ctx, c, zeros, 10 * SEG, now);
	for (i = 0; i < 3; i++)
		send_peer(&p, ACK, our_nxt(&p, 10 * SEG), NULL, 0);
	assert_int_equal(c->ssthresh, (uint32_t)(20 * SEG * 0.7));
	assert_int_equal(c->cubic_wmax, 20 * SEG);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_fin_acked_after_go_back_n),
		T(test_timeouts_beyond_outq),
		T(test_newreno_fast_retransmit),
		T(test_sack_holes),
		T(test_sack_scoreboard_full),
		T(test_rto_skips_sacked),
		T(test_tail_loss_probe),
		T(test_probe_within_sent),
		T(test_rexmit_fits_mss),
		T(test_cwnd_growth_and_cubic_reduction),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
