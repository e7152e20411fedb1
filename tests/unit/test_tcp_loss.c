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
 * A segment is resent once by the retransmission timer and the peer's
 * ACK then covers it; a second segment then goes. Returns the first
 * segment's timeout (the RTO it ran with).
 */
static uint64_t
resent_then_acked(struct peer *p, bool ts)
{
	uint64_t rto;

	open_peer(p, 4100, ts);
	rto = p->conn->rto;
	outq()->n = 0;
	assert_int_equal(tcp_send(ctx, p->conn, zeros, 100, now), 100);
	assert_int_equal(note_ts(), 1);
	assert_int_equal(timers_at(now + rto - 1 * MS), 0);
	assert_int_equal(timers_at(now + 1 * MS), 1);
	assert_int_equal(out(0)->seq, our_nxt(p, 0));
	assert_int_equal(p->conn->retries, 1);
	/* The ACK comes back at once, after the resend. */
	assert_int_equal(send_peer(p, ACK, our_nxt(p, 100), NULL, 0), 0);
	assert_int_equal(p->conn->retries, 0);
	outq()->n = 0;
	assert_int_equal(tcp_send(ctx, p->conn, zeros, 100, now), 100);
	assert_int_equal(note_ts(), 1);
	return rto;
}

/*
 * RFC 6298 5.5 and Karn's algorithm (RFC 6298 3 and 5, RFC 1122
 * 4.2.3.1): the RTO doubled by a timeout stays doubled until a new RTT
 * sample computes it again. Without timestamps the ACK of a resent
 * segment gives no sample: the next segment's timer runs with twice the
 * RTO. The timeout count (max_retries) starts again all the same. The
 * RTO was back to the undoubled value, so a path whose RTT had grown
 * past it drew a spurious timeout for every flight.
 */
static void
test_rto_backoff_kept_without_sample(void **state)
{
	struct peer p;
	uint64_t rto;

	(void)state;
	rto = resent_then_acked(&p, false);
	assert_int_equal(p.conn->rto, 2 * rto);
	assert_int_equal(timers_at(now + 2 * rto - 1 * MS), 0);
	assert_int_equal(timers_at(now + 1 * MS), 1);
	assert_int_equal(out(0)->seq, our_nxt(&p, 100));
	assert_int_equal(p.conn->retries, 1);
	/*
	 * The second segment, not resent again, is acknowledged: its
	 * timing was cut by the timeout (Karn), so the RTO doubles again.
	 */
	assert_int_equal(send_peer(&p, ACK, our_nxt(&p, 200), NULL, 0), 0);
	assert_int_equal(p.conn->rto, 4 * rto);
	/* A segment timed and acknowledged in time collapses it. */
	outq()->n = 0;
	assert_int_equal(tcp_send(ctx, p.conn, zeros, 100, now), 100);
	now += 5 * MS;
	assert_int_equal(send_peer(&p, ACK, our_nxt(&p, 300), NULL, 0), 0);
	assert_int_equal(p.conn->rto, rto);
}

/*
 * With timestamps the ACK of a resent segment echoes the resend's TSval
 * (RFC 7323 4.1): a valid sample, and the RTO is computed from it again.
 */
static void
test_rto_collapses_with_timestamp_sample(void **state)
{
	struct peer p;
	uint64_t rto;

	(void)state;
	rto = resent_then_acked(&p, true);
	assert_int_equal(p.conn->rto, rto);
	assert_int_equal(timers_at(now + rto - 1 * MS), 0);
	assert_int_equal(timers_at(now + 1 * MS), 1);
	assert_int_equal(out(0)->seq, our_nxt(&p, 100));
}

/*
 * The SYN-ACK times out `timeouts` times; the peer's ACK completes the
 * handshake, and 100 bytes go. Returns the RTO they run with.
 */
static uint32_t
synack_resent_then_data(struct peer *p, bool ts, uint32_t timeouts)
{
	uint64_t rto = prm.rto_initial_ms * MS;
	uint32_t i;

	assert_int_equal(peer_syn(p, 4200, ts, 1460), 1);
	p->iss = out(0)->seq;
	p->seq++;
	for (i = 0; i < timeouts; i++) {
		assert_int_equal(timers_at(now + rto), 1);
		assert_int_equal(out(0)->flags, SYN | ACK);
		rto *= 2;
		if (rto > prm.rto_max_ms * MS)
			rto = prm.rto_max_ms * MS;
	}
	app.conn = NULL;
	assert_int_equal(send_peer(p, ACK, p->iss + 1, NULL, 0), 0);
	assert_non_null(app.conn);
	p->conn = app.conn;
	outq()->n = 0;
	assert_int_equal(tcp_send(ctx, p->conn, zeros, 100, now), 100);
	assert_int_equal(note_ts(), 1);
	return p->conn->rto;
}

/*
 * RFC 6298 5.7: "If the timer expires awaiting the ACK of a SYN segment
 * and the TCP implementation is using an RTO less than 3 seconds, the
 * RTO MUST be re-initialized to 3 seconds when data transmission
 * begins". Without timestamps the handshake's ACK gives no RTT sample
 * (Karn): the first data waits 3 s for its timeout, not the 2 s of the
 * doubled initial RTO.
 */
static void
test_rto_3s_after_synack_timeout(void **state)
{
	struct peer p;

	(void)state;
	assert_int_equal(synack_resent_then_data(&p, false, 1), 3000 * MS);
	assert_int_equal(timers_at(now + 2999 * MS), 0);
	assert_int_equal(timers_at(now + 1 * MS), 1);
	assert_int_equal(out(0)->seq, our_nxt(&p, 0));
	assert_int_equal(cnt()->rto, 2);
}

/*
 * With timestamps the handshake's ACK echoes the resent SYN-ACK's TSval:
 * an RTT sample, and the RTO comes from it (here rto_min).
 */
static void
test_rto_sampled_after_synack_timeout(void **state)
{
	struct peer p;

	(void)state;
	assert_int_equal(synack_resent_then_data(&p, true, 1),
			 prm.rto_min_ms * MS);
}

/*
 * Karn's algorithm (RFC 6298 3): no RTT sample from a retransmitted
 * segment without timestamps. The peer repeats its SYN 300 ms on (the
 * SYN-ACK was lost) and its ACK follows the SYN-ACK sent again at once:
 * that ACK may answer either SYN-ACK, so it gives no sample, and the
 * RTO stays rto_initial. Timing the first SYN-ACK gave an RTT of 301 ms
 * (RTO 903 ms), and a loss of the ACK instead would have made it 300 ms
 * too long.
 */
static void
test_no_rtt_sample_after_synack_resent_for_syn(void **state)
{
	struct peer p;
	struct net_seg s;

	(void)state;
	assert_int_equal(peer_syn(&p, 4300, false, 1460), 1);
	p.iss = out(0)->seq;
	now += 300 * MS;
	s = mkseg(&p, SYN, p.seq, 0, NULL, 0);
	assert_int_equal(input(&s), 1);
	assert_int_equal(out(0)->flags, SYN | ACK);
	p.seq++;
	now += 1 * MS;
	app.conn = NULL;
	assert_int_equal(send_peer(&p, ACK, p.iss + 1, NULL, 0), 0);
	assert_non_null(app.conn);
	assert_int_equal(app.conn->rto, prm.rto_initial_ms * MS);
}

/*
 * The SYN-ACK and its resend are lost: the peer's SYN again (as Linux
 * repeats it: same sequence number and options, TSecr 0), after the
 * SYN-ACK's timeout, tells of the loss and draws the SYN-ACK at once
 * (seq ISS, the options again, TSecr the first SYN's TSval: RFC 7323
 * 4.3 (2) takes no TS.Recent from a segment below Last.ACK.sent, and
 * Linux's tcp_check_req() none from the SYN either), which the peer's
 * ACK then answers. The timeout's congestion reset wrote the storage
 * SYN_RECEIVED keeps IRS in, and the SYN was taken for a new one: a
 * challenge ACK (seq ISS+1) that a peer in SYN-SENT discards, the
 * handshake left to the next timeout, 2 s on.
 */
static void
test_syn_again_after_synack_timeout(void **state)
{
	struct peer p;
	struct net_seg s;

	(void)state;
	assert_int_equal(peer_syn(&p, 4400, true, 1460), 1);
	p.iss = out(0)->seq;
	assert_int_equal(timers_at(now + prm.rto_initial_ms * MS), 1);
	assert_seg(out(0), SYN | ACK, p.iss, p.seq + 1);
	now += 16 * MS;
	s = mkseg(&p, SYN, p.seq, 0, NULL, 0);
	s.opts.has |= NET_OPT_MSS | NET_OPT_WSCALE | NET_OPT_SACK_OK;
	s.opts.mss = 1460;
	s.opts.wscale = 2;
	s.opts.tsval = p.tsval + 1000;
	s.opts.tsecr = 0;
	assert_int_equal(input(&s), 1);
	assert_seg(out(0), SYN | ACK, p.iss, p.seq + 1);
	assert_true(out(0)->opts.has & NET_OPT_MSS);
	assert_true(out(0)->opts.has & NET_OPT_WSCALE);
	assert_true(out(0)->opts.has & NET_OPT_SACK_OK);
	assert_int_equal(out(0)->opts.tsecr, p.tsval);
	p.tsval += 1000;
	p.seq++;
	app.conn = NULL;
	assert_int_equal(send_peer(&p, ACK, p.iss + 1, NULL, 0), 0);
	assert_non_null(app.conn);
	assert_int_equal(tcp_conn_state(app.conn), TCP_ESTABLISHED);
}

/* The 3 s of RFC 6298 5.7 stay within rto_max_ms, here 2 s. */
static void
test_rto_after_synack_timeout_within_max(void **state)
{
	struct peer p;

	(void)state;
	prm.rto_max_ms = 2000;
	restart();
	assert_int_equal(synack_resent_then_data(&p, false, 1), 2000 * MS);
}

/*
 * RFC 5681 3.1 / RFC 6928 2: after a SYN-ACK sent more than once the
 * first flight is one segment (the loss window), as Linux's
 * tcp_init_transfer(); after a single resend, which may be spurious on a
 * path of RTT over 1 s, it is the initial window (RFC 6928 recommends
 * keeping it). With the 100 bytes sent at the handshake's end in flight,
 * 10 segments more: none goes within the loss window, or 9 or more
 * within the initial one.
 */
static void
test_loss_window_after_synack_resent_twice(void **state)
{
	static uint8_t d[10 * 1448];
	struct peer p;

	(void)state;
	prm.syn_recv_timeout_ms = 10000;
	restart();
	synack_resent_then_data(&p, false, 2);
	outq()->n = 0;
	assert_int_equal(tcp_send(ctx, p.conn, d, sizeof(d), now), sizeof(d));
	assert_int_equal(note_ts(), 0);
	assert_int_equal(p.conn->cwnd, p.conn->snd_mss);

	restart();
	synack_resent_then_data(&p, false, 1);
	outq()->n = 0;
	assert_int_equal(tcp_send(ctx, p.conn, d, sizeof(d), now), sizeof(d));
	assert_true(note_ts() >= 9);
}

/*
 * Two SYN-ACK timeouts back the RTO off to 4 s: RFC 6298 5.7 raises an
 * RTO under 3 s, it does not lower one above. (SYN_RECEIVED is given
 * the time for both.)
 */
static void
test_rto_after_synack_timeouts_kept_above_3s(void **state)
{
	struct peer p;

	(void)state;
	prm.syn_recv_timeout_ms = 10000;
	restart();
	assert_int_equal(synack_resent_then_data(&p, false, 2), 4000 * MS);
	assert_int_equal(timers_at(now + 3999 * MS), 0);
	assert_int_equal(timers_at(now + 1 * MS), 1);
	assert_int_equal(out(0)->seq, our_nxt(&p, 0));
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

#define SEG 1448u /* MSS 1460 less the timestamp option */

/* Open with options and send n full segments; returns their count. */
static void
burst(struct peer *p, uint32_t n)
{
	open_peer(p, 4000, true);
	outq()->n = 0;
	assert_int_equal(tcp_send(ctx, p->conn, zeros, n * SEG, now), n * SEG);
	assert_int_equal(note_ts(), n);
}

/*
 * A SACK-carrying ACK of SND.UNA + una units of unit bytes, its blocks
 * in the same units.
 */
static struct net_seg
sack_seg(struct peer *p, uint32_t una, const uint32_t (*blk)[2], uint32_t nblk,
	 uint32_t unit)
{
	struct net_seg s = mkseg(p, ACK, p->seq, our_nxt(p, una * unit), NULL,
				 0);
	uint32_t i;

	for (i = 0; i < nblk; i++) {
		s.opts.sack[i].start = our_nxt(p, blk[i][0] * unit);
		s.opts.sack[i].end = our_nxt(p, blk[i][1] * unit);
	}
	if (nblk > 0) {
		s.opts.has |= NET_OPT_SACK;
		s.opts.nsack = nblk;
	}
	s.opts.tsval = ++p->tsval;
	return s;
}

/* The same in segments, input: the number of segments sent. */
static uint32_t
sack_ack(struct peer *p, uint32_t una, const uint32_t (*blk)[2], uint32_t nblk)
{
	struct net_seg s = sack_seg(p, una, blk, nblk, SEG);

	return input(&s);
}

/* A duplicate ACK of SND.UNA, with SACK blocks [a, b) in segments. */
static uint32_t
dupack(struct peer *p, const uint32_t (*blk)[2], uint32_t nblk)
{
	return sack_ack(p, 0, blk, nblk);
}

/*
 * A flight of ten segments, 10 ms later three duplicate ACKs SACKing
 * segments from to 9: fast recovery begins with a resend of segment 0.
 * The connection; p is its peer.
 */
static struct tcp_conn *
sack_recovery(struct peer *p, uint32_t from)
{
	const uint32_t b[][2] = { { from, 10 } };
	uint32_t i;

	burst(p, 10);
	now += 10 * MS;
	for (i = 0; i < 3; i++)
		dupack(p, b, 1);
	assert_int_equal(cnt()->fast_recovery, 1);
	return p->conn;
}

/*
 * A NewReno connection without SACK with a flight of ten segments out,
 * none acknowledged, opened with the clock at t. The connection; p is
 * its peer.
 */
static struct tcp_conn *
newreno_flight_at(struct peer *p, uint64_t t)
{
	prm.sack = false;
	prm.congestion = TCP_CC_NEWRENO;
	restart_at(t);
	burst(p, 10);
	return p->conn;
}

static struct tcp_conn *
newreno_flight(struct peer *p)
{
	return newreno_flight_at(p, T0);
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
	c = newreno_flight(&p);
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
	assert_int_equal(send_peer(&p, ACK, our_nxt(&p, 5 * SEG), NULL, 0), 1);
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
 * RFC 6582 3.2 step 5 in fast recovery without SACK: a partial ACK
 * deflates cwnd by what it acknowledged and adds back one SMSS only if
 * it acknowledged at least one SMSS. One that ends inside the segment
 * just resent draws nothing: each ACK of a peer acknowledging a byte at
 * a time drew the segment again in full and let a new one out (100
 * such ACKs drew 110 full segments on the wire).
 */
static void
test_newreno_partial_one_byte(void **state)
{
	struct peer p;
	struct tcp_conn *c;
	uint32_t i, w;

	(void)state;
	c = newreno_flight(&p);
	/* More queued, held by cwnd: it must not go either. */
	assert_int_equal(tcp_send(ctx, c, zeros, 1000, now), 1000);
	assert_int_equal(dupack(&p, NULL, 0), 0);
	assert_int_equal(dupack(&p, NULL, 0), 0);
	assert_int_equal(dupack(&p, NULL, 0), 1);
	assert_int_equal(out(0)->seq, our_nxt(&p, 0));
	w = c->cwnd;
	for (i = 1; i <= 5; i++) {
		assert_int_equal(send_peer(&p, ACK, our_nxt(&p, i), NULL, 0),
				 0);
		assert_true(c->rec_flags & TCP_RF_RECOVERY);
	}
	assert_int_equal(c->cwnd, w - 5);
	assert_int_equal(cnt()->retransmit, 1);
	/* The resent segment acknowledged: the next one goes again. */
	assert_true(send_peer(&p, ACK, our_nxt(&p, SEG), NULL, 0) >= 1);
	assert_int_equal(out(0)->seq, our_nxt(&p, SEG));
	assert_int_equal(out(0)->len, SEG);
	assert_int_equal(cnt()->retransmit, 2);
}

/*
 * RFC 6582 3.2 step 2: after a retransmission timeout, duplicate ACKs
 * that do not cover recover start no fast retransmit. A peer without
 * SACK that held all but the first segment answers the go-back-N resend
 * with them; the third entered fast recovery, sent the first segment a
 * second time and took cwnd from one segment to ssthresh plus three,
 * letting the rest of the flight out at once.
 */
static void
test_newreno_no_fast_retransmit_after_rto(void **state)
{
	struct peer p;
	struct tcp_conn *c;
	uint32_t i, ssthresh;

	(void)state;
	c = newreno_flight(&p);
	assert_int_equal(timers_at(now + 1001 * MS), 1);
	assert_int_equal(out(0)->seq, our_nxt(&p, 0));
	assert_int_equal(c->cwnd, SEG);
	ssthresh = c->ssthresh;
	for (i = 0; i < 5; i++)
		assert_int_equal(dupack(&p, NULL, 0), 0);
	assert_int_equal(cnt()->fast_recovery, 0);
	assert_int_equal(cnt()->retransmit, 1);
	assert_int_equal(c->cwnd, SEG);
	assert_int_equal(c->ssthresh, ssthresh);
	/* The resend's ACK: slow start from one segment, two go. */
	assert_int_equal(send_peer(&p, ACK, our_nxt(&p, SEG), NULL, 0), 2);
	assert_int_equal(out(0)->seq, our_nxt(&p, SEG));
	/* Once recover is covered, three duplicate ACKs recover again. */
	send_peer(&p, ACK, our_nxt(&p, 10 * SEG), NULL, 0);
	assert_int_equal(c->snd_una, c->snd_max);
	assert_int_equal(tcp_send(ctx, c, zeros, 4 * SEG, now), 4 * SEG);
	assert_true(note_ts() > 0);
	for (i = 0; i < 3; i++)
		sack_ack(&p, 10, NULL, 0);
	assert_int_equal(cnt()->fast_recovery, 1);
}

/*
 * newreno_flight_at()'s connection, with a send buffer that holds 30
 * segments more, queued, in fast recovery: the first segment is lost,
 * three duplicate ACKs drew its fast retransmit (RFC 6582 3.2 steps 2
 * and 3), cwnd = ssthresh + 3 SMSS = 8 segments.
 */
static struct tcp_conn *
newreno_recovering_at(struct peer *p, uint64_t t)
{
	struct tcp_conn *c;

	prm.snd_buf = 65536;
	c = newreno_flight_at(p, t);
	outq()->n = 0;
	assert_int_equal(tcp_send(ctx, c, zeros, 30 * SEG, now), 30 * SEG);
	assert_int_equal(note_ts(), 0);
	assert_int_equal(dupack(p, NULL, 0), 0);
	assert_int_equal(dupack(p, NULL, 0), 0);
	assert_int_equal(dupack(p, NULL, 0), 1);
	assert_int_equal(out(0)->seq, our_nxt(p, 0));
	assert_int_equal(c->ssthresh, 5 * SEG);
	assert_int_equal(c->cwnd, 8 * SEG);
	return c;
}

/*
 * 100 more duplicate ACKs in the recovery of newreno_recovering_at():
 * of a flight of ten with one segment lost, six more can be genuine
 * (segments 4 to 9), so six inflate cwnd (RFC 6582 3.2 step 4) and four
 * new segments go, as many as a genuine recovery sends. Each drew a new
 * segment, all 30 queued, as far as the send buffer and the peer's
 * window went (RFC 5681 3.2's note on [SCWA99]).
 */
static void
dupack_flood_bounded(struct peer *p, struct tcp_conn *c)
{
	uint32_t i, n;

	for (i = 0, n = 0; i < 100; i++)
		n += dupack(p, NULL, 0);
	assert_int_equal(n, 4);
	assert_int_equal(c->cwnd, 14 * SEG);
	assert_int_equal(c->snd_max, our_nxt(p, 14 * SEG));
	assert_int_equal(cnt()->retransmit, 1);
	assert_int_equal(cnt()->dupack_excess, 100 - 6);
	assert_true(c->rec_flags & TCP_RF_RECOVERY);
}

static void
test_newreno_dupack_flood_bounded(void **state)
{
	struct peer p;

	(void)state;
	dupack_flood_bounded(&p, newreno_recovering_at(&p, T0));
}

/*
 * The same with the flight across 2^32: the first segment 5 segments
 * and 100 bytes short of it. The ISN (RFC 6528) is the tuple's hash plus
 * a 4 us clock: opened once to learn it, then again with the clock set
 * for the ISS wanted.
 */
static void
test_newreno_dupack_flood_bounded_wrap(void **state)
{
	uint32_t first = (uint32_t)0 - 5 * SEG - 100;
	struct peer p;
	uint64_t t;

	(void)state;
	assert_int_equal(peer_syn(&p, 4000, true, 1460), 1);
	t = T0 + 4ull * (first - 1 - out(0)->seq);
	dupack_flood_bounded(&p, newreno_recovering_at(&p, t));
	assert_int_equal(our_nxt(&p, 0), first);
	assert_true(p.conn->snd_max < first);
}

/*
 * RFC 6582 3.2 steps 4 and 5, two losses in one window without SACK:
 * segments 0 and 5 of a flight of ten are lost. The duplicate ACKs of
 * 4 and 6 to 9 let 10, 11 and 12 out; the partial ACK through 4
 * resends 5 and lets 13 out; the duplicate ACKs of 10, 11 and 12, sent
 * after the first resend, are genuine, and each lets a new segment out
 * (14, 15, 16). A bound on cwnd of ssthresh plus what lies below
 * recover let out one of them.
 */
static void
test_newreno_two_losses_dupacks_after_partial(void **state)
{
	static const uint32_t first[] = { 0, 0, 1, 1, 1 };
	struct tcp_conn *c;
	struct peer p;
	uint32_t i;

	(void)state;
	c = newreno_recovering_at(&p, T0);
	for (i = 0; i < 5; i++) {
		assert_int_equal(dupack(&p, NULL, 0), first[i]);
		if (first[i] != 0)
			assert_int_equal(out(0)->seq,
					 our_nxt(&p, (8 + i) * SEG));
	}
	assert_int_equal(c->cwnd, 13 * SEG);
	assert_int_equal(send_peer(&p, ACK, our_nxt(&p, 5 * SEG), NULL, 0), 2);
	assert_int_equal(out(0)->seq, our_nxt(&p, 5 * SEG));
	assert_int_equal(out(1)->seq, our_nxt(&p, 13 * SEG));
	assert_int_equal(c->cwnd, 9 * SEG);
	for (i = 0; i < 3; i++) {
		assert_int_equal(sack_ack(&p, 5, NULL, 0), 1);
		assert_int_equal(out(0)->seq, our_nxt(&p, (14 + i) * SEG));
		assert_int_equal(out(0)->len, SEG);
	}
	assert_int_equal(c->cwnd, 12 * SEG);
	assert_int_equal(cnt()->dupack_excess, 0);
	/* The resend of 5 arrives: recover is covered. */
	send_peer(&p, ACK, our_nxt(&p, 13 * SEG), NULL, 0);
	assert_false(c->rec_flags & TCP_RF_RECOVERY);
	assert_int_equal(c->cwnd, c->ssthresh);
	assert_int_equal(cnt()->retransmit, 2);
}

/* n duplicate ACKs of SND.UNA = una bytes; the segments they drew. */
static uint32_t
dupacks_of(struct peer *p, uint32_t una, uint32_t n)
{
	uint32_t i, sent = 0;
	struct net_seg s;

	for (i = 0; i < n; i++) {
		s = sack_seg(p, una, NULL, 0, 1);
		sent += input(&s);
	}
	return sent;
}

/*
 * The count of duplicate ACKs goes by rounds of the recovery (RFC 6582
 * 3.2 steps 4 and 5, RFC 5681 3.2). After a flood has used the first
 * round's, an ACK ending inside the resent segment (a peer dividing its
 * ACKs) begins no round: a second flood draws nothing. The ACK of the
 * whole resent segment, segment 1 lost too, resends 1 and begins a
 * round: only the four segments sent since the first began (10 to 13)
 * may draw duplicate ACKs in it, so a third flood draws four new
 * segments, not a window's worth.
 */
static void
test_newreno_dupack_bound_per_round(void **state)
{
	struct tcp_conn *c;
	struct peer p;

	(void)state;
	c = newreno_recovering_at(&p, T0);
	assert_int_equal(dupacks_of(&p, 0, 100), 4);
	assert_int_equal(send_peer(&p, ACK, our_nxt(&p, 1), NULL, 0), 0);
	assert_int_equal(c->cwnd, 14 * SEG - 1);
	assert_int_equal(dupacks_of(&p, 1, 100), 0);
	assert_int_equal(cnt()->dupack_excess, 94 + 100);
	/* Less than an SMSS acknowledged: no SMSS added back (step 5). */
	assert_int_equal(send_peer(&p, ACK, our_nxt(&p, SEG), NULL, 0), 1);
	assert_int_equal(out(0)->seq, our_nxt(&p, SEG));
	assert_int_equal(c->cwnd, 13 * SEG);
	assert_int_equal(dupacks_of(&p, SEG, 100), 4);
	assert_int_equal(c->snd_max, our_nxt(&p, 18 * SEG));
	assert_int_equal(cnt()->dupack_excess, 94 + 100 + 96);
	assert_int_equal(cnt()->retransmit, 2);
	assert_true(c->rec_flags & TCP_RF_RECOVERY);
}

/*
 * RFC 5681 4.1 with CUBIC (RFC 9438): after 60 s idle the restart window
 * is not undone by CUBIC's growth counting the idle time from the old
 * curve: five ACKs of the restarted flight leave cwnd within twice the
 * window before the idle time (it was at most 14 segments).
 */
static void
test_cubic_restart_after_idle(void **state)
{
	struct peer p;
	struct tcp_conn *c;
	uint32_t i;

	(void)state;
	prm.snd_buf = 65536;
	restart();
	burst(&p, 10);
	c = p.conn;
	for (i = 1; i <= 10; i++)
		send_peer(&p, ACK, our_nxt(&p, i * SEG), NULL, 0);
	outq()->n = 0;
	tcp_send(ctx, c, zeros, 10 * SEG, now);
	for (i = 0; i < 3; i++)
		send_peer(&p, ACK, our_nxt(&p, 10 * SEG), NULL, 0);
	/* Everything acknowledged: recovery over, cwnd = ssthresh. */
	send_peer(&p, ACK, our_nxt(&p, 20 * SEG), NULL, 0);
	/* One flight in avoidance to start the curve. */
	outq()->n = 0;
	tcp_send(ctx, c, zeros, 14 * SEG, now);
	now += 50 * MS;
	for (i = 1; i <= 14; i++)
		send_peer(&p, ACK, our_nxt(&p, (20 + i) * SEG), NULL, 0);
	now += 60000 * MS;
	outq()->n = 0;
	tcp_send(ctx, c, zeros, 40 * SEG, now);
	note_ts();
	now += 50 * MS;
	for (i = 1; i <= 5; i++)
		send_peer(&p, ACK, our_nxt(&p, (34 + i) * SEG), NULL, 0);
	assert_true(c->cwnd <= 2 * 14 * SEG);
}

/*
 * CUBIC after a loss at cwnd 10 (recovery over: cwnd = ssthresh = 7
 * segments, under IW), then one flight in congestion avoidance, which
 * starts CUBIC's curve. The connection; p is its peer.
 */
static struct tcp_conn *
cubic_after_loss(struct peer *p)
{
	struct tcp_conn *c;
	uint32_t i;

	prm.snd_buf = 65536;
	restart();
	burst(p, 10);
	c = p->conn;
	for (i = 0; i < 3; i++)
		send_peer(p, ACK, our_nxt(p, 0), NULL, 0);
	send_peer(p, ACK, our_nxt(p, 10 * SEG), NULL, 0);
	outq()->n = 0;
	tcp_send(ctx, c, zeros, 7 * SEG, now);
	note_ts();
	now += 50 * MS;
	for (i = 1; i <= 7; i++)
		send_peer(p, ACK, our_nxt(p, (10 + i) * SEG), NULL, 0);
	return c;
}

/* After pause_ms with nothing to send, 40 segments and one ACK of one. */
static void
cubic_resume(struct peer *p, struct tcp_conn *c, uint64_t pause_ms)
{
	now += pause_ms * MS;
	outq()->n = 0;
	tcp_send(ctx, c, zeros, 40 * SEG, now);
	note_ts();
	now += 50 * MS;
	send_peer(p, ACK, our_nxt(p, 18 * SEG), NULL, 0);
}

/*
 * The restart ends CUBIC's curve also when cwnd is already at or under
 * the initial window (after a loss): otherwise the next ACK's growth
 * counts the 60 s idle time and cwnd leaps by thousands of segments.
 */
static void
test_cubic_small_cwnd_after_idle(void **state)
{
	struct peer p;
	struct tcp_conn *c;
	uint32_t before;

	(void)state;
	c = cubic_after_loss(&p);
	before = c->cwnd;
	cubic_resume(&p, c, 60000);
	assert_true(c->cwnd <= 2 * before);
}

/*
 * RFC 9438 4.2: CUBIC's target is at most 1.5 cwnd. A flight that
 * fills cwnd (7 segments), its curve set back 9 s by hand: the curve's
 * target is about 150 segments, and one ACK of one segment grows cwnd
 * by half a segment, no more (without the cap, by about 20).
 */
static void
test_cubic_target_capped(void **state)
{
	struct peer p;
	struct tcp_conn *c;
	uint32_t before, una;

	(void)state;
	c = cubic_after_loss(&p);
	before = c->cwnd;
	una = c->snd_una - our_nxt(&p, 0);
	outq()->n = 0;
	tcp_send(ctx, c, zeros, 40 * SEG, now);
	note_ts();
	assert_true(c->cwnd_used + SEG > c->cwnd);
	c->cubic_plateau = (c->cubic_plateau - 9000) | 1;
	now += 50 * MS;
	send_peer(&p, ACK, our_nxt(&p, una + SEG), NULL, 0);
	assert_true(c->cwnd >= before + SEG / 2 - 1);
	assert_true(c->cwnd <= before + SEG / 2 + 1);
}

/*
 * tcp_cc_idle() alone: cwnd over the initial window comes down to it
 * and ssthresh under 3/4 of the old cwnd rises to it (RFC 5681 4.1, as
 * Linux); a higher ssthresh and a cwnd at or under IW stay.
 */
static void
test_cc_idle_ssthresh(void **state)
{
	struct peer p;
	struct tcp_conn *c;

	(void)state;
	burst(&p, 1);
	c = p.conn;
	c->cwnd = 20 * SEG;
	c->ssthresh = 7 * SEG;
	c->cubic_plateau = 5;
	tcp_cc_idle(c);
	assert_int_equal(c->cwnd, 10 * SEG);
	assert_int_equal(c->ssthresh, 15 * SEG);
	assert_int_equal(c->cubic_plateau, 0);
	c->cwnd = 20 * SEG;
	c->ssthresh = 18 * SEG;
	tcp_cc_idle(c);
	assert_int_equal(c->ssthresh, 18 * SEG);
	c->cwnd = 8 * SEG;
	c->cubic_plateau = 5;
	tcp_cc_idle(c);
	assert_int_equal(c->cwnd, 8 * SEG);
	assert_int_equal(c->ssthresh, 18 * SEG);
	assert_int_equal(c->cubic_plateau, 0);
}

/*
 * tcp_rec_timeout() alone: every timeout lowers cwnd to one segment,
 * so the flight that used cwnd is measured again (cwnd_used), also on
 * a second timeout (retries > 0) and in a fast recovery, which set
 * ssthresh already; else slow start after it grew cwnd up to twice a
 * flight of the window before.
 */
static void
test_rto_resets_cwnd_used(void **state)
{
	struct peer p;
	struct tcp_conn *c;

	(void)state;
	burst(&p, 10);
	c = p.conn;
	c->cwnd_used = 10 * SEG;
	c->retries = 1;
	tcp_rec_timeout(ctx, c);
	assert_int_equal(c->cwnd, SEG);
	assert_int_equal(c->cwnd_used, 0);
	c->cwnd_used = 10 * SEG;
	c->retries = 0;
	c->rec_flags |= TCP_RF_RECOVERY;
	tcp_rec_timeout(ctx, c);
	assert_int_equal(c->cwnd_used, 0);
}

/*
 * rounds round trips of 50 ms, each a flight of segs segments sent (40
 * at a time, within zeros[]) and acknowledged one segment at a time.
 */
static void
flights(struct peer *p, uint32_t rounds, uint32_t segs)
{
	struct tcp_conn *c = p->conn;
	uint32_t una, i, j, n;

	for (i = 0; i < rounds; i++) {
		una = c->snd_una - our_nxt(p, 0);
		for (j = 0; j < segs; j += n) {
			n = segs - j < 40 ? segs - j : 40;
			outq()->n = 0;
			tcp_send(ctx, c, zeros, n * SEG, now);
			note_ts();
		}
		now += 50 * MS;
		for (j = 1; j <= segs; j++)
			send_peer(p, ACK, our_nxt(p, una + j * SEG), NULL, 0);
	}
}

/*
 * RFC 9438 5.8, RFC 7661: in slow start, a flight that filled the
 * initial window doubles it; then flights of 2 segments, far below
 * cwnd, for 40 round trips leave it there (each ACK added a segment:
 * 100 segments).
 */
static void
test_cwnd_app_limited_slow_start(void **state)
{
	struct peer p;
	struct tcp_conn *c;
	uint32_t i;

	(void)state;
	prm.snd_buf = 65536;
	restart();
	burst(&p, 10);
	c = p.conn;
	for (i = 1; i <= 10; i++)
		send_peer(&p, ACK, our_nxt(&p, i * SEG), NULL, 0);
	assert_int_equal(c->cwnd, 20 * SEG);
	flights(&p, 40, 2);
	assert_int_equal(c->cwnd, 20 * SEG);
}

/*
 * RFC 9438 5.8 and 4.6: CUBIC in congestion avoidance with a flight of
 * one or two segments for 5 s does not raise cwnd past one segment over the
 * largest flight (7 segments), give or take the last step; cwnd went to
 * 21 segments. Nor does t
 * count those 5 s: when the flights fill cwnd again, one ACK of a
 * segment grows cwnd by the curve's step, not by half a segment (the
 * 1.5 cwnd cap).
 */
static void
test_cubic_app_limited(void **state)
{
	struct peer p;
	struct tcp_conn *c;
	uint32_t before, una, i;

	(void)state;
	c = cubic_after_loss(&p);
	/* Two segments out, each ACK of one lets one more out. */
	una = c->snd_una - our_nxt(&p, 0);
	outq()->n = 0;
	tcp_send(ctx, c, zeros, SEG, now);
	for (i = 0; i < 200; i++) {
		tcp_send(ctx, c, zeros, SEG, now);
		note_ts();
		outq()->n = 0;
		now += 25 * MS;
		una += SEG;
		send_peer(&p, ACK, our_nxt(&p, una), NULL, 0);
		assert_true(c->snd_una != c->snd_max);
	}
	assert_true(c->cwnd <= 8 * SEG + SEG / 4);
	before = c->cwnd;
	una = c->snd_una - our_nxt(&p, 0);
	outq()->n = 0;
	tcp_send(ctx, c, zeros, 40 * SEG, now);
	note_ts();
	now += 50 * MS;
	send_peer(&p, ACK, our_nxt(&p, una + SEG), NULL, 0);
	assert_true(c->cwnd > before);
	assert_true(c->cwnd <= before + SEG / 8);
}

/*
 * The other side of test_cubic_app_limited: flights that fill cwnd
 * grow it along the curve, from 7 segments past 10 (W_max) in 3 s.
 */
static void
test_cubic_cwnd_limited_grows(void **state)
{
	struct peer p;
	struct tcp_conn *c;
	uint32_t i;

	(void)state;
	c = cubic_after_loss(&p);
	for (i = 0; i < 60; i++)
		flights(&p, 1, c->cwnd / SEG);
	assert_true(c->cwnd > 10 * SEG);
}

/*
 * RFC 9438 4.3: in the Reno-friendly region (W_cubic(t) under W_est)
 * cwnd is W_est. After the loss at 10 segments the curve (K 1.96 s)
 * stays under 9 segments for half a second, while W_est grows by
 * alpha_cubic, 0.53 segments, a round trip of 50 ms from 7: after 6
 * full flights cwnd is W_est, 10.04 segments. Moved toward W_est by
 * (W_est - cwnd) / cwnd an ACK, as Linux does, it was 685 bytes behind
 * it (cwnd 14493, W_est 15178).
 */
static void
test_cubic_reno_friendly(void **state)
{
	struct peer p;
	struct tcp_conn *c;
	uint32_t i;

	(void)state;
	c = cubic_after_loss(&p);
	for (i = 0; i < 6; i++)
		flights(&p, 1, c->cwnd / SEG);
	assert_int_equal(c->cwnd, c->cubic_west >> ctx->cubic_shift);
	assert_true(c->cwnd > 99 * SEG / 10);
}

/*
 * CUBIC in congestion avoidance at cwnd = ssthresh = segs segments, its
 * flight having used them, no curve running (the next ACK starts one,
 * K = 0), send buffers of 2 MB. The connection; p is its peer.
 */
static struct tcp_conn *
cubic_at(struct peer *p, uint32_t segs)
{
	struct tcp_conn *c;

	prm.snd_buf = 2u << 20;
	restart();
	burst(p, 1);
	c = p->conn;
	send_peer(p, ACK, our_nxt(p, SEG), NULL, 0);
	c->cwnd = c->ssthresh = c->cwnd_used = segs * SEG;
	c->cubic_plateau = 0;
	return c;
}

/*
 * RFC 9438 4.3 at 1000 segments: W_est grows by alpha_cubic * SMSS /
 * cwnd, 0.77 bytes, an ACK of one segment; the curve (K = 0) by 73
 * bytes in the half second. 10 flights of 20 segments grow cwnd = W_est
 * by about 153 bytes; counted in whole bytes an ACK, by none.
 */
static void
test_cubic_reno_friendly_large_window(void **state)
{
	struct peer p;
	struct tcp_conn *c;
	uint32_t before;

	(void)state;
	c = cubic_at(&p, 1000);
	before = c->cwnd;
	flights(&p, 1, 1);
	flights(&p, 10, 20);
	assert_true(c->cwnd - before >= 140);
	assert_true(c->cwnd - before <= 170);
}

/*
 * W_est's fraction bits leave room for twice the send buffer and a
 * segment of 64 KB: 14 at the default 64 KB, 9 at 2 MB, none at the
 * largest, 1 GB.
 */
static void
test_cc_west_shift(void **state)
{
	(void)state;
	assert_int_equal(tcp_cc_west_shift(65536), 14);
	assert_int_equal(tcp_cc_west_shift(2u << 20), 9);
	assert_int_equal(tcp_cc_west_shift(1u << 30), 0);
	assert_int_equal(tcp_cc_west_shift(1), 15);
}

/*
 * The same at 100 segments, each flight cwnd's whole segments: 10 round
 * trips grow W_est, and cwnd with it, by 10 alpha_cubic = 5.29 segments
 * (counted in whole bytes an ACK, by 4.83). cwnd_used is set past the
 * flights, whose whole segments would stop the growth at one segment
 * over the last (cc_avoid()) for the rest of a round.
 */
static void
test_cubic_reno_friendly_window_of_100(void **state)
{
	struct peer p;
	struct tcp_conn *c;
	uint32_t before, i;

	(void)state;
	c = cubic_at(&p, 100);
	c->cwnd_used = 200 * SEG;
	before = c->cwnd;
	for (i = 0; i < 10; i++)
		flights(&p, 1, c->cwnd / SEG);
	assert_true(c->cwnd - before >= 513 * SEG / 100);
	assert_true(c->cwnd - before <= 545 * SEG / 100);
}

/*
 * NewReno too (RFC 7661): in congestion avoidance flights of 2 segments
 * against a cwnd of 20 grow it no more; 200 segments acknowledged added
 * 9 segments.
 */
static void
test_newreno_app_limited(void **state)
{
	struct peer p;
	struct tcp_conn *c;
	uint32_t i;

	(void)state;
	prm.congestion = TCP_CC_NEWRENO;
	prm.snd_buf = 65536;
	restart();
	burst(&p, 10);
	c = p.conn;
	for (i = 1; i <= 10; i++)
		send_peer(&p, ACK, our_nxt(&p, i * SEG), NULL, 0);
	c->ssthresh = c->cwnd;
	flights(&p, 100, 2);
	assert_int_equal(c->cwnd, 20 * SEG);
}

/*
 * RFC 9438 4.2 and 5.8: a pause shorter than the RTO, with nothing in
 * flight, is not in CUBIC's t (as Linux shifts its epoch): after 9 s of
 * it, one ACK of one segment grows cwnd by the curve's step, as without
 * the pause, not by half a segment (the 1.5 cwnd cap).
 */
static void
test_cubic_short_pause(void **state)
{
	struct peer p;
	struct tcp_conn *c;
	uint32_t before;

	(void)state;
	prm.rto_min_ms = 10000;
	prm.rto_initial_ms = 10000;
	c = cubic_after_loss(&p);
	before = c->cwnd;
	cubic_resume(&p, c, 9000);
	assert_true(c->cwnd <= before + SEG / 8);
}

/*
 * A flight that doubled cwnd to 20 segments, its last ACK closing the
 * window, 3 segments queued, probes zero-window probes refused, then
 * the window opens a little (SWS avoidance holds the queued data, the
 * probe byte rolled back) and a segment is written. The cwnd then.
 */
static uint32_t
write_after_probes(uint32_t probes)
{
	struct peer p;
	struct tcp_conn *c;
	uint32_t i;

	prm.snd_buf = 65536;
	restart();
	burst(&p, 10);
	c = p.conn;
	for (i = 1; i <= 10; i++)
		send_peer(&p, ACK, our_nxt(&p, i * SEG), NULL, 0);
	assert_int_equal(c->cwnd, 20 * SEG);
	assert_int_equal(peer_wnd(&p, our_nxt(&p, 10 * SEG), 0), 0);
	assert_int_equal(tcp_send(ctx, c, zeros, 3 * SEG, now), 3 * SEG);
	for (i = 0; i < probes; i++) {
		assert_int_equal(timers_at(c->t_persist), 1);
		assert_int_equal(out(0)->len, 1);
		assert_int_equal(peer_wnd(&p, our_nxt(&p, 10 * SEG), 0), 0);
	}
	assert_int_equal(cnt()->zero_window_probe, probes);
	assert_int_equal(peer_wnd(&p, our_nxt(&p, 10 * SEG), 100), 0);
	assert_int_equal(c->snd_max, c->snd_una);
	assert_int_equal(tcp_send(ctx, c, zeros, SEG, now), SEG);
	return c->cwnd;
}

/*
 * RFC 5681 4.1 counts idle time from the last data sent, and a zero
 * window probe sends a byte: the first probe, an RTO after the ACK
 * that emptied the flight, keeps the ACK clock, and a write at once
 * after it keeps cwnd, although that ACK came more than an RTO before.
 * It restarted cwnd from 20 segments to 10.
 */
static void
test_no_restart_after_zero_window_probe(void **state)
{
	(void)state;
	assert_int_equal(write_after_probes(1), 20 * SEG);
}

/*
 * Probes backed off keep no ACK clock: the third goes 4 RTOs after
 * the second, and the write after it, 1.2 s (six RTOs) after the first
 * probe, restarts cwnd (RFC 5681 4.1), as Linux, whose probes carry no
 * data. It kept 20 segments, the last probe recent, for a burst no ACK
 * paced.
 */
static void
test_restart_after_backed_off_probes(void **state)
{
	(void)state;
	assert_int_equal(write_after_probes(3), 10 * SEG);
}

/*
 * RFC 9438 5.8: a zero window is time the window was not used, as an
 * application pause is (Linux's CA_EVENT_TX_START fires at the first
 * data sent with nothing in flight, whoever released it). A flight
 * that filled cwnd, its last ACK closing the window for 5 s (under the
 * RTO: no probe, no restart), data queued meanwhile: once the window
 * opens, one ACK of one segment grows cwnd by the curve's step, not by
 * half a segment (the 1.5 cwnd cap, the 5 s counted in t).
 */
static void
test_cubic_zero_window_not_in_t(void **state)
{
	struct peer p;
	struct tcp_conn *c;
	uint32_t before, una, i, n;

	(void)state;
	prm.rto_min_ms = 10000;
	prm.rto_initial_ms = 10000;
	c = cubic_after_loss(&p);
	una = c->snd_una - our_nxt(&p, 0);
	outq()->n = 0;
	tcp_send(ctx, c, zeros, c->cwnd / SEG * SEG, now);
	n = note_ts();
	assert_true(c->cwnd_used + SEG > c->cwnd);
	now += 50 * MS;
	for (i = 1; i < n; i++)
		send_peer(&p, ACK, our_nxt(&p, una + i * SEG), NULL, 0);
	peer_wnd(&p, our_nxt(&p, una + n * SEG), 0);
	assert_int_equal(c->snd_una, c->snd_max);
	una = c->snd_una - our_nxt(&p, 0);
	tcp_send(ctx, c, zeros, 40 * SEG, now);
	now += 5000 * MS;
	outq()->n = 0;
	peer_wnd(&p, our_nxt(&p, una), 65535);
	assert_true(note_ts() > 0);
	before = c->cwnd;
	now += 50 * MS;
	send_peer(&p, ACK, our_nxt(&p, una + SEG), NULL, 0);
	assert_true(c->cwnd > before);
	assert_true(c->cwnd <= before + SEG / 8);
}

/*
 * After a zero window of stall_ms (none if 0), data queued before it:
 * rounds round trips of flights that fill cwnd. The cwnd reached.
 */
static uint32_t
cubic_after_stall(uint64_t stall_ms, uint32_t rounds)
{
	struct peer p;
	struct tcp_conn *c;
	uint32_t una, i, n, end, a;

	prm.rto_min_ms = 1000;
	prm.rto_initial_ms = 1000;
	c = cubic_after_loss(&p);
	una = c->snd_una - our_nxt(&p, 0);
	outq()->n = 0;
	tcp_send(ctx, c, zeros, c->cwnd / SEG * SEG, now);
	n = note_ts();
	now += 50 * MS;
	for (i = 1; i < n; i++)
		send_peer(&p, ACK, our_nxt(&p, una + i * SEG), NULL, 0);
	peer_wnd(&p, our_nxt(&p, una + n * SEG), stall_ms ? 0 : 65535);
	assert_int_equal(c->snd_una, c->snd_max);
	outq()->n = 0;
	tcp_send(ctx, c, zeros, 65536, now);
	now += stall_ms * MS;
	if (stall_ms)
		peer_wnd(&p, our_nxt(&p, una + n * SEG), 65535);
	for (i = 0; i < rounds; i++) {
		end = c->snd_max;
		note_ts();
		outq()->n = 0;
		now += 50 * MS;
		while (c->snd_una != end) {
			a = end - c->snd_una > SEG ? c->snd_una + SEG : end;
			send_peer(&p, ACK, a, NULL, 0);
		}
		tcp_send(ctx, c, zeros, 65536, now);
	}
	return c->cwnd;
}

/*
 * The same over a minute's zero window (the persist timer not run): six
 * round trips after it grow cwnd as six without it, within two
 * segments. Counting the minute in t, each round took cwnd up by half.
 */
static void
test_cubic_long_zero_window_not_in_t(void **state)
{
	uint32_t without, with;

	(void)state;
	without = cubic_after_stall(0, 6);
	with = cubic_after_stall(60000, 6);
	assert_true(with <= without + 2 * SEG);
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
	/* Segments 0 and 3 are lost; the SACKs come a round trip later. */
	now += 10 * MS;
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
 * A flight of ten segments out at the clock's time t0; at 0.9 RTO, three
 * duplicate ACKs (SACKing segments 1 to 3 with sack) draw the fast
 * retransmit of segment 0, which is lost too, and nothing more comes.
 * The retransmission timer runs from the fast retransmit (as Linux's
 * tcp_xmit_retransmit_queue() re-arms it), not from the flight: segment
 * 0 goes again no sooner than the RTO after it.
 */
static void
fast_retransmit_then_rto(struct peer *p, bool sack)
{
	static const uint32_t b[3][2] = { { 1, 2 }, { 1, 3 }, { 1, 4 } };
	uint64_t t0 = now, fr;
	uint32_t i, rto, n = 0;

	rto = p->conn->rto;
	now = t0 + rto * 9 / 10;
	for (i = 0; i < 3; i++)
		n += dupack(p, sack ? &b[i] : NULL, sack ? 1 : 0);
	assert_int_equal(n, 1);
	assert_int_equal(out(0)->seq, our_nxt(p, 0));
	assert_int_equal(cnt()->fast_recovery, 1);
	fr = now;
	assert_int_equal(timers_at(t0 + rto + 10 * MS), 0);
	assert_int_equal(timers_at(fr + rto - 2 * MS), 0);
	assert_int_equal(cnt()->rto, 0);
	assert_int_equal(timers_at(fr + rto + 2 * MS), 1);
	assert_int_equal(out(0)->seq, our_nxt(p, 0));
	assert_int_equal(cnt()->rto, 1);
}

/* The above with SACK, RACK off: no reordering timer restarts it. */
static void
test_sack_fast_retransmit_restarts_rto(void **state)
{
	struct peer p;

	(void)state;
	prm.rack = false;
	restart();
	burst(&p, 10);
	fast_retransmit_then_rto(&p, true);
}

/* The above without SACK (RFC 6582). */
static void
test_newreno_fast_retransmit_restarts_rto(void **state)
{
	struct peer p;

	(void)state;
	newreno_flight(&p);
	fast_retransmit_then_rto(&p, false);
}

/*
 * The scoreboard keeps four ranges, the nearest SND.UNA (where the holes
 * to resend are); a fifth range is left out and counted.
 */
static void
test_sack_scoreboard_full(void **state)
{
	static const uint32_t four[][2] = { { 1, 2 },
					    { 3, 4 },
					    { 5, 6 },
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
 * says the peer holds. Segments 0 and 1 are lost, 2 to 9 SACKed.
 */
static void
test_rto_skips_sacked(void **state)
{
	static const uint32_t b[][2] = { { 2, 10 } };
	struct peer p;
	struct tcp_conn *c;
	uint32_t rxt;

	(void)state;
	c = sack_recovery(&p, 2);
	rxt = cnt()->retransmit;
	assert_true(rxt >= 1);
	/* The retransmissions are lost too: the timeout. */
	assert_int_equal(timers_at(c->t_rexmit + MS), 1);
	assert_int_equal(cnt()->rto, 1);
	assert_int_equal(out(0)->seq, our_nxt(&p, 0));
	assert_int_equal(c->cwnd, SEG);
	assert_false(c->rec_flags & TCP_RF_RECOVERY);
	/* Its ACK: segment 1, and nothing the peer holds, goes again. */
	assert_int_equal(sack_ack(&p, 1, b, 1), 1);
	assert_int_equal(out(0)->seq, our_nxt(&p, SEG));
	assert_int_equal(out(0)->len, SEG);
	assert_int_equal(cnt()->retransmit, rxt + 2);
	assert_int_equal(sack_ack(&p, 10, NULL, 0), 0);
	assert_int_equal(c->snd_una, c->snd_max);
	assert_int_equal(cnt()->sack_reneged, 0);
}

/*
 * RFC 2018 8: a receiver may discard data it SACKed (renege). Segments
 * 1 to 9 are SACKed, segment 0 is lost and resent; the ACK of the
 * resend stops at segment 1. The peer may have dropped what it
 * reported, or may be about to acknowledge it (sack_transient_renege
 * below): the timer is brought to max(SRTT / 2, 10 ms), and a duplicate
 * ACK does not put it off. It fires with SND.UNA still there: the
 * scoreboard is forgotten (`sack_reneged`) and segment 1 goes again, as
 * after a timeout. Kept, the scoreboard made every resend, the
 * timeout's go-back-N included, skip data the peer did not have, until
 * max_retries reset the connection.
 */
static void
test_sack_renege_resent(void **state)
{
	struct peer p;
	struct tcp_conn *c;
	uint64_t at;
	uint32_t i;

	(void)state;
	c = sack_recovery(&p, 1);
	assert_int_equal(cnt()->retransmit, 1);
	now += 10 * MS;
	assert_int_equal(sack_ack(&p, 1, NULL, 0), 0);
	assert_int_equal(c->nsacked, 1);
	at = now + (c->srtt / 2 > 10 * MS ? c->srtt / 2 : 10 * MS);
	assert_int_equal(c->t_rexmit, at);
	now += 5 * MS;
	assert_int_equal(sack_ack(&p, 1, NULL, 0), 0);
	assert_int_equal(c->t_rexmit, at);
	assert_int_equal(timers_at(at - 1), 0);
	assert_int_equal(timers_at(at), 1);
	assert_int_equal(out(0)->seq, our_nxt(&p, SEG));
	assert_int_equal(out(0)->len, SEG);
	assert_int_equal(c->nsacked, 0);
	assert_int_equal(cnt()->sack_reneged, 1);
	assert_int_equal(cnt()->rto, 1);
	/* The rest goes as the ACKs come, and the flight completes. */
	for (i = 2; i <= 10 && c->snd_una != c->snd_max; i++) {
		now += 10 * MS;
		sack_ack(&p, i, NULL, 0);
	}
	assert_int_equal(c->snd_una, c->snd_max);
	assert_int_equal(cnt()->rto, 1);
	assert_int_equal(cnt()->retransmit_abort, 0);
}

/*
 * A transient renege: the hole filled, the receiver (Windows) first
 * acknowledges the filled hole alone, SND.UNA landing at the start of
 * the SACKed range, then, at once, everything. Nothing goes again, and
 * the scoreboard is not taken for reneged. The scoreboard was forgotten
 * at the first ACK, and six of the nine segments the peer held were
 * sent again before the second.
 */
static void
test_sack_transient_renege(void **state)
{
	struct peer p;
	struct tcp_conn *c;
	uint32_t rxt;

	(void)state;
	c = sack_recovery(&p, 1);
	rxt = cnt()->retransmit;
	now += 10 * MS;
	assert_int_equal(sack_ack(&p, 1, NULL, 0), 0);
	assert_int_equal(sack_ack(&p, 10, NULL, 0), 0);
	assert_int_equal(c->snd_una, c->snd_max);
	assert_int_equal(cnt()->retransmit, rxt);
	assert_int_equal(cnt()->sack_reneged, 0);
}

/*
 * The timeout's resend of test_rto_skips_sacked acknowledged up to the
 * SACKed range and no further (the peer still merging its queue):
 * nothing is sent again, and the ACK through the range ends the flight.
 */
static void
test_rto_ack_at_sacked_range(void **state)
{
	struct peer p;
	struct tcp_conn *c;

	(void)state;
	c = sack_recovery(&p, 1);
	assert_int_equal(cnt()->retransmit, 1);
	assert_int_equal(timers_at(now + 1001 * MS), 1);
	assert_int_equal(out(0)->seq, our_nxt(&p, 0));
	assert_int_equal(send_peer(&p, ACK, our_nxt(&p, SEG), NULL, 0), 0);
	assert_int_equal(cnt()->retransmit, 2);
	send_peer(&p, ACK, our_nxt(&p, 10 * SEG), NULL, 0);
	assert_int_equal(c->snd_una, c->snd_max);
	assert_int_equal(cnt()->sack_reneged, 0);
}

/*
 * The peer SACKs bytes [start, end) of the flight and acknowledges
 * nothing more: run the timers until the retransmission timeout fired.
 */
static void
sacked_then_rto(struct peer *p, uint32_t start, uint32_t end)
{
	const uint32_t blk[1][2] = { { start, end } };
	struct net_seg s = sack_seg(p, 0, blk, 1, 1);
	uint32_t i;

	input(&s);
	for (i = 0; i < 10 && cnt()->rto == 0; i++)
		timers_at(p->conn->t_rexmit ? p->conn->t_rexmit + MS :
					      now + 1001 * MS);
	assert_int_equal(cnt()->rto, 1);
}

/*
 * The go-back-N resend of a timeout stops short of data the peer holds
 * when a hole is not a whole segment: a first write of 1000 bytes goes
 * as one segment, three of SEG follow. The 1000 and the third segment
 * are lost, the others SACKed. After the timeout the resend from
 * SND.UNA (cwnd one segment) is the 1000 bytes alone, not a segment of
 * SEG reaching 448 bytes into the SACKed one; its ACK lets the other
 * hole go, whole, and nothing the peer holds goes again.
 */
static void
test_rto_resend_stops_at_sacked(void **state)
{
	static const uint32_t w = 1000;
	const uint32_t held[2][2] = { { w, w + SEG },
				      { w + 2 * SEG, w + 3 * SEG } };
	struct peer p;
	struct tcp_conn *c;
	struct net_seg s;
	uint32_t i;

	(void)state;
	open_peer(&p, 4000, true);
	c = p.conn;
	outq()->n = 0;
	assert_int_equal(tcp_send(ctx, c, zeros, w, now), w);
	assert_int_equal(tcp_send(ctx, c, zeros, 3 * SEG, now), 3 * SEG);
	assert_int_equal(note_ts(), 4);
	assert_int_equal(out(1)->seq, our_nxt(&p, w));
	assert_int_equal(out(1)->len, SEG);
	now += 10 * MS;
	for (i = 0; i < 3; i++) {
		s = sack_seg(&p, 0, held, 2, 1);
		input(&s);
	}
	assert_int_equal(cnt()->fast_recovery, 1);
	assert_int_equal(cnt()->retransmit, 2);
	/* RACK's reorder timer finds nothing more to send. */
	assert_int_equal(timers_at(now + 2 * MS), 0);
	/* The retransmissions are lost too: the timeout. */
	assert_int_equal(timers_at(c->t_rexmit), 1);
	assert_int_equal(cnt()->rto, 1);
	assert_int_equal(c->cwnd, SEG);
	assert_int_equal(out(0)->seq, our_nxt(&p, 0));
	assert_int_equal(out(0)->len, w);
	/*
	 * Its ACK (through the range the peer held beyond it): the next
	 * hole, whole, and nothing past it.
	 */
	s = sack_seg(&p, w + SEG, &held[1], 1, 1);
	assert_int_equal(input(&s), 1);
	assert_int_equal(out(0)->seq, our_nxt(&p, w + SEG));
	assert_int_equal(out(0)->len, SEG);
	assert_int_equal(send_peer(&p, ACK, our_nxt(&p, w + 3 * SEG), NULL, 0),
			 0);
	assert_int_equal(c->snd_una, c->snd_max);
}

/*
 * A peer's SACK range may end after our FIN (it holds the FIN out of
 * order: Linux's end_seq counts it). Three writes of 1000 and the FIN,
 * [2000, 3001) SACKed, then a timeout: the go-back-N resend skips the
 * SACKed data but not past the data's end, so the FIN goes again at its
 * own sequence number. It went one past it, raising SND.MAX.
 */
static void
test_rto_sacked_fin_keeps_seq(void **state)
{
	struct peer p;
	struct tcp_conn *c;
	uint32_t i, n, max0;
	bool fin = false;

	(void)state;
	open_peer(&p, 4000, true);
	c = p.conn;
	outq()->n = 0;
	for (i = 0; i < 3; i++)
		assert_int_equal(tcp_send(ctx, c, zeros, 1000, now), 1000);
	tcp_close(ctx, c, true, now);
	note_ts();
	max0 = c->snd_max;
	assert_int_equal(max0, our_nxt(&p, 3001));
	now += 10 * MS;
	sacked_then_rto(&p, 2000, 3001);
	n = send_peer(&p, ACK, our_nxt(&p, 1000), NULL, 0);
	for (i = 0; i < n; i++) {
		assert_true(net_seq_lt(out(i)->seq, max0));
		if (out(i)->flags & FIN) {
			assert_int_equal(out(i)->seq, our_nxt(&p, 3000));
			fin = true;
		}
	}
	assert_int_equal(c->snd_max, max0);
	/* The FIN goes at its own place, now or with the next ACK. */
	if (!fin) {
		n = send_peer(&p, ACK, our_nxt(&p, 2000), NULL, 0);
		assert_true(n >= 1);
		assert_int_equal(out(n - 1)->seq, our_nxt(&p, 3000));
		assert_true(out(n - 1)->flags & FIN);
	}
	assert_int_equal(c->snd_max, max0);
}

/*
 * A connection with tail loss probes, an RTT sample of 10 ms from a
 * first exchange of 100 bytes, then a flight of three segments sent:
 * returns the probe timeout, 2 * SRTT.
 */
static uint64_t
tlp_flight(struct peer *p)
{
	prm.tail_loss_probe = true;
	restart();
	open_peer(p, 4000, true);
	outq()->n = 0;
	tcp_send(ctx, p->conn, zeros, 100, now);
	now += 10 * MS;
	note_ts();
	send_peer(p, ACK, our_nxt(p, 100), NULL, 0);
	outq()->n = 0;
	tcp_send(ctx, p->conn, zeros, 3 * SEG, now);
	assert_int_equal(note_ts(), 3);
	return 2ull * p->conn->srtt;
}

/*
 * PRR entered on an ACK after a timeout, while the go-back-N resend is
 * still below data the peer SACKed: the pipe left to new data is what
 * is in flight below SND.NXT, never less than nothing. Counting every
 * SACKed byte made it wrap, and with an allowance of 0 the congestion
 * window became the peer's window: one duplicate ACK let out a burst.
 */
static void
test_prr_after_rto_pipe_sane(void **state)
{
	struct peer p;
	struct tcp_conn *c;
	static const uint32_t held[1][2] = { { 2000, 6000 } };
	struct net_seg s;
	uint32_t i, j, n, bytes;

	(void)state;
	prm.snd_buf = 65536;
	restart();
	open_peer(&p, 4000, true);
	c = p.conn;
	outq()->n = 0;
	for (i = 0; i < 8; i++)
		assert_int_equal(tcp_send(ctx, c, zeros, 1000, now), 1000);
	note_ts();
	now += 10 * MS;
	sacked_then_rto(&p, 2000, 6000);
	for (i = 0; i < 4; i++) {
		now += MS;
		s = sack_seg(&p, 1000, held, 1, 1);
		outq()->n = 0;
		n = input(&s);
		for (j = 0, bytes = 0; j < n; j++)
			bytes += out(j)->len;
		assert_true(c->cwnd < 8 * SEG);
		assert_true(bytes <= 3 * SEG);
	}
}

/*
 * A recovery entered during a timeout's go-back-N resend: the peer SACKed
 * segments 2-3 of 8 and the timeout resent segment 0; the ACK of it finds
 * segment 1 lost (RACK) and PRR resends it, then the go-back-N goes on
 * where PRR's resend left it. The go-back-N resent segment 1 again right
 * after PRR had: no segment may go twice on one ACK.
 */
static void
test_prr_during_rto_no_double_resend(void **state)
{
	static const uint32_t held[1][2] = { { 2, 4 } };
	struct peer p;
	struct net_seg s;
	uint32_t i, j, n;

	(void)state;
	burst(&p, 8);
	now += 10 * MS;
	sacked_then_rto(&p, 2 * SEG, 4 * SEG);
	assert_int_equal(out(0)->seq, our_nxt(&p, 0));
	now += 10 * MS;
	s = sack_seg(&p, 1, held, 1, SEG);
	outq()->n = 0;
	n = input(&s);
	assert_true(n >= 1);
	assert_int_equal(out(0)->seq, our_nxt(&p, SEG));
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			assert_true(out(i)->len == 0 ||
				    out(i)->seq != out(j)->seq);
	for (i = 0; i < n; i++)
		assert_true(out(i)->seq != our_nxt(&p, 2 * SEG) &&
			    out(i)->seq != our_nxt(&p, 3 * SEG));
}

/*
 * RFC 6675 HighRxt during a timeout's go-back-N resend: the peer SACKed
 * segments 6-7 of 8, the timeout resent segment 0, and its ACK let the
 * go-back-N resend the next ones (up to SND.NXT). A duplicate ACK then
 * reports segment 3 as well, and the recovery it starts resends the
 * holes above what the go-back-N already resent, each once, however
 * the go-back-N and the recovery take turns. It resent segment 1, in
 * flight since the ACK before (without RACK: the scoreboard's holes
 * alone).
 */
static void
test_recovery_after_go_back_n_skips_resent(void **state)
{
	static const uint32_t held[2][2] = { { 3, 4 }, { 6, 8 } };
	struct peer p;
	struct net_seg s;
	uint32_t i, k, n, nxt, seg, sent = 0;

	(void)state;
	prm.rack = false;
	restart();
	burst(&p, 8);
	now += 10 * MS;
	sacked_then_rto(&p, 6 * SEG, 8 * SEG);
	assert_int_equal(out(0)->seq, our_nxt(&p, 0));
	now += 10 * MS;
	s = sack_seg(&p, 1, &held[1], 1, SEG);
	outq()->n = 0;
	assert_true(input(&s) >= 2);
	nxt = p.conn->snd_nxt;
	assert_true(nxt - our_nxt(&p, 0) >= 3 * SEG &&
		    nxt - our_nxt(&p, 0) < 6 * SEG);
	/* The recovery's first ACK, and more duplicates after it. */
	for (k = 0; k < 4; k++) {
		now += MS;
		s = sack_seg(&p, 1, held, 2, SEG);
		outq()->n = 0;
		n = input(&s);
		assert_int_equal(cnt()->fast_recovery, 1);
		for (i = 0; i < n; i++) {
			if (out(i)->len == 0)
				continue;
			assert_false(net_seq_lt(out(i)->seq, nxt));
			seg = (out(i)->seq - our_nxt(&p, 0)) / SEG;
			assert_true(seg < 8 && !(sent & 1u << seg));
			sent |= 1u << seg;
		}
	}
	assert_true(sent != 0);
}

/*
 * RFC 5681 3.1, congestion avoidance under NewReno: cwnd grows by one
 * SMSS per window of bytes acknowledged, however the peer divides its
 * ACKs ("MUST NOT be increased by more than SMSS bytes per RTT"). It
 * grew by SMSS*SMSS/cwnd per ACK: a segment acknowledged a byte at a
 * time grew a window of 10 segments by about 145 of them.
 */
static void
test_newreno_avoidance_counts_bytes(void **state)
{
	struct peer p;
	struct tcp_conn *c;
	uint32_t cwnd, i;

	(void)state;
	prm.congestion = TCP_CC_NEWRENO;
	restart();
	burst(&p, 10);
	c = p.conn;
	c->ssthresh = c->cwnd;
	cwnd = c->cwnd;
	for (i = 1; i <= SEG; i++)
		send_peer(&p, ACK, our_nxt(&p, i), NULL, 0);
	assert_int_equal(c->cwnd, cwnd);
	for (i = 2; i <= 10; i++)
		send_peer(&p, ACK, our_nxt(&p, i * SEG), NULL, 0);
	assert_int_equal(c->cwnd, cwnd + SEG);
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
	pto = tlp_flight(&p);
	c = p.conn;
	assert_true(pto > 2 * MS && pto < c->rto);
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
 * RFC 8985 7.4: one probe per flight. A peer acknowledging one byte at a
 * time moves the tail with every ACK; each partial ACK re-armed the probe
 * timeout and every two round trips a full segment went again (a stream
 * of 1-byte ACKs drew 79 probes of 1448 bytes in 0.8 s). Only an ACK of
 * all that was sent up to the probe ends its episode.
 */
static void
test_tail_loss_probe_once_per_flight(void **state)
{
	struct peer p;
	struct tcp_conn *c;
	uint64_t pto;
	uint32_t i;

	(void)state;
	pto = tlp_flight(&p);
	c = p.conn;
	assert_int_equal(timers_at(now + pto + 1 * MS), 1);
	assert_int_equal(cnt()->tlp_probe, 1);
	/*
	 * Partial ACKs, a byte each: the retransmission timeout stays
	 * armed, not a new probe timeout, and nothing goes before it.
	 */
	for (i = 1; i <= 5; i++) {
		send_peer(&p, ACK, our_nxt(&p, 100 + i), NULL, 0);
		assert_false(c->rec_flags & TCP_RF_TLP_ARMED);
		assert_int_equal(timers_at(c->t_rexmit - 1 * MS), 0);
	}
	assert_int_equal(cnt()->tlp_probe, 1);
	/*
	 * All of the flight acknowledged, and the probe's copy arriving
	 * second draws a duplicate (nothing was lost): the next flight has
	 * its probe.
	 */
	send_peer(&p, ACK, our_nxt(&p, 100 + 3 * SEG), NULL, 0);
	send_peer(&p, ACK, our_nxt(&p, 100 + 3 * SEG), NULL, 0);
	outq()->n = 0;
	tcp_send(ctx, c, zeros, 3 * SEG, now);
	assert_int_equal(note_ts(), 3);
	assert_true(c->rec_flags & TCP_RF_TLP_ARMED);
	assert_int_equal(timers_at(c->t_rexmit), 1);
	assert_int_equal(cnt()->tlp_probe, 2);
}

/*
 * RFC 8985 7.2: with one segment out the probe waits 2 * SRTT and the
 * peer's worst-case delayed ACK (WCDelAckT, 200 ms), whatever tcpterm's
 * own delayed_ack_ms (40 here); that is past the RTO (200 ms), so the
 * probe goes at the RTO's time, in its place, and the RTO runs from it.
 * The probe went after 2 * SRTT + 40 ms: before a peer delaying its
 * ACK up to 200 ms had answered, a segment sent again for nothing.
 */
static void
test_tlp_one_segment_waits_delayed_ack(void **state)
{
	struct peer p;
	struct tcp_conn *c;
	uint64_t t;

	(void)state;
	tlp_flight(&p);
	c = p.conn;
	now += 10 * MS;
	send_peer(&p, ACK, our_nxt(&p, 100 + 3 * SEG), NULL, 0);
	outq()->n = 0;
	tcp_send(ctx, c, zeros, 100, now);
	assert_int_equal(note_ts(), 1);
	t = now;
	assert_int_equal(c->rto, 200 * MS);
	assert_true(2 * c->srtt + 200 * MS > c->rto);
	assert_int_equal(timers_at(t + 199 * MS), 0);
	assert_int_equal(timers_at(t + 200 * MS), 1);
	assert_int_equal(cnt()->tlp_probe, 1);
	assert_int_equal(cnt()->rto, 0);
	assert_int_equal(out(0)->seq, our_nxt(&p, 100 + 3 * SEG));
	assert_int_equal(timers_at(t + 399 * MS), 0);
	assert_int_equal(timers_at(t + 400 * MS), 1);
	assert_int_equal(cnt()->rto, 1);
}

/*
 * RFC 8985 7.2: a path whose round trip is over half the RTO (SRTT 120
 * ms, RTO 200 ms): 2 * SRTT is past the RTO, and the probe goes at the
 * RTO's time instead of the timeout. There was no probe at all: a tail
 * loss there always cost a timeout, cwnd down to one segment.
 */
static void
test_tlp_pto_capped_at_rto(void **state)
{
	struct peer p;
	struct tcp_conn *c;
	uint32_t i, sent = 0;
	uint64_t t;

	(void)state;
	prm.tail_loss_probe = true;
	restart();
	open_peer(&p, 4000, true);
	c = p.conn;
	for (i = 0; i < 40; i++) {
		outq()->n = 0;
		tcp_send(ctx, c, zeros, 100, now);
		note_ts();
		sent += 100;
		now += 120 * MS;
		send_peer(&p, ACK, our_nxt(&p, sent), NULL, 0);
	}
	assert_int_equal(c->rto, 200 * MS);
	assert_true(2 * c->srtt > c->rto);
	outq()->n = 0;
	tcp_send(ctx, c, zeros, 3 * SEG, now);
	assert_int_equal(note_ts(), 3);
	t = now;
	assert_int_equal(timers_at(t + 199 * MS), 0);
	assert_int_equal(timers_at(t + 200 * MS), 1);
	assert_int_equal(cnt()->tlp_probe, 1);
	assert_int_equal(cnt()->rto, 0);
	assert_true(c->cwnd > SEG);
}

/*
 * RFC 8985 7.3: a probe only after an RTT sample "since the last loss
 * probe transmission or the start of the connection". The handshake's
 * ACK gave none (the SYN-ACK was sent twice, no timestamps): no probe
 * goes, the data is timed, and its ACK after 1.5 s gives the first
 * sample. A probe went at 1 s (TLP_calc_PTO() without SRTT), a resend
 * whose ACK gives no sample (Karn): SRTT stayed unknown, and every
 * flight answered in over 1 s was probed again. A SACK peer without
 * timestamps.
 */
static void
test_tlp_without_srtt(void **state)
{
	struct peer p;
	uint64_t t;

	(void)state;
	prm.tail_loss_probe = true;
	prm.timestamps = false;
	restart();
	assert_int_equal(synack_resent_then_data(&p, true, 1), 3000 * MS);
	assert_true(p.conn->flags & TCP_CF_SACK);
	assert_false(p.conn->flags & TCP_CF_TS);
	assert_int_equal(p.conn->srtt, 0);
	t = now;
	assert_false(p.conn->rec_flags & TCP_RF_TLP_ARMED);
	assert_int_equal(timers_at(t + 1000 * MS), 0);
	assert_int_equal(timers_at(t + 1001 * MS), 0);
	assert_int_equal(cnt()->tlp_probe, 0);
	now = t + 1500 * MS;
	send_peer(&p, ACK, our_nxt(&p, 100), NULL, 0);
	assert_int_equal(p.conn->snd_una, p.conn->snd_max);
	assert_int_equal(p.conn->srtt, 1500 * MS);
	assert_int_equal(cnt()->rto, 1);
}

/*
 * RFC 8985 4: RACK-TLP requires SACK (Linux: tcp_schedule_loss_probe()
 * needs it too). Without SACK, a flight of three whose tail goes
 * unanswered draws no probe at 2 * SRTT: the RTO resends the first
 * segment. A probe of the last segment went first, and its ACK, a
 * duplicate when the head was the one lost, could not say which; where
 * the probe timeout passed the RTO (SRTT over half of it) the probe
 * went in the RTO's place, and a lost head waited one RTO more.
 */
static void
test_tlp_nosack_none(void **state)
{
	struct peer p;
	struct tcp_conn *c;
	uint64_t t, rto;

	(void)state;
	prm.sack = false;
	tlp_flight(&p);
	c = p.conn;
	assert_false(c->flags & TCP_CF_SACK);
	t = now;
	rto = c->rto;
	assert_false(c->rec_flags & TCP_RF_TLP_ARMED);
	assert_int_equal(c->t_rexmit, t + rto);
	assert_int_equal(timers_at(t + rto - MS), 0);
	assert_int_equal(timers_at(t + rto), 1);
	assert_int_equal(out(0)->seq, our_nxt(&p, 100));
	assert_int_equal(cnt()->tlp_probe, 0);
	assert_int_equal(cnt()->rto, 1);
}

/*
 * RFC 8985 7.2: no probe timeout while the scoreboard holds SACKed
 * data (RACK off here, so that its reordering timer does not take the
 * timer's place): the ACK that leaves a range SACKed above a hole arms
 * the RTO. It armed the probe, whose resend of the last segment the
 * peer already held.
 */
static void
test_tlp_none_while_sacked(void **state)
{
	static const uint32_t b[][2] = { { 5, 6 } };
	struct peer p;
	struct tcp_conn *c;

	(void)state;
	prm.rack = false;
	prm.tail_loss_probe = true;
	restart();
	burst(&p, 8);
	c = p.conn;
	now += 10 * MS;
	assert_int_equal(sack_ack(&p, 2, b, 1), 0);
	assert_int_equal(c->nsacked, 1);
	assert_false(c->rec_flags & (TCP_RF_RECOVERY | TCP_RF_TLP_ARMED));
	assert_int_equal(c->t_rexmit, now + c->rto);
	/* The ACK through the range: the probe is armed again. */
	now += 10 * MS;
	assert_int_equal(sack_ack(&p, 6, NULL, 0), 0);
	assert_int_equal(c->nsacked, 0);
	assert_true(c->rec_flags & TCP_RF_TLP_ARMED);
}

/*
 * RFC 8985 7.2: no probe timeout "in fast recovery, RTO recovery". After
 * a timeout the resent head is acknowledged (the timeout count starts
 * again) while the go-back-N is still under way: the retransmission
 * timer runs, not the probe's. A probe armed there would send the
 * go-back-N's next segment early, marked a resend, and its ACK would
 * cut the window again as for a loss it repaired. RACK off, so that
 * the ACK starts no fast recovery.
 */
static void
test_tlp_none_in_rto_recovery(void **state)
{
	struct peer p;
	struct tcp_conn *c;
	uint64_t pto;

	(void)state;
	prm.rack = false;
	pto = tlp_flight(&p);
	c = p.conn;
	assert_int_equal(timers_at(now + pto + MS), 1);
	assert_int_equal(cnt()->tlp_probe, 1);
	assert_int_equal(timers_at(c->t_rexmit + MS), 1);
	assert_int_equal(cnt()->rto, 1);
	assert_int_equal(out(0)->seq, our_nxt(&p, 100));
	now += 10 * MS;
	send_peer(&p, ACK, our_nxt(&p, 100 + SEG), NULL, 0);
	assert_int_equal(c->retries, 0);
	assert_true(c->rec_flags & TCP_RF_RTO);
	assert_false(c->rec_flags & TCP_RF_TLP_ARMED);
	assert_int_equal(c->t_rexmit, now + c->rto);
	assert_int_equal(cnt()->tlp_probe, 1);
}

/*
 * max_retries 0 with the probe armed: the probe goes at its time, and
 * the connection is reset at the RTO that follows it. It was reset when
 * the probe was due, a round trip or two after the data went.
 */
static void
test_tlp_max_retries_zero(void **state)
{
	struct peer p;
	uint64_t pto, t;

	(void)state;
	prm.max_retries = 0;
	pto = tlp_flight(&p);
	t = now;
	assert_int_equal(timers_at(t + pto + MS), 1);
	assert_int_equal(cnt()->tlp_probe, 1);
	assert_int_equal(cnt()->retransmit_abort, 0);
	assert_int_equal(gauge(TCP_ESTABLISHED), 1);
	timers_at(p.conn->t_rexmit + MS);
	assert_int_equal(cnt()->retransmit_abort, 1);
	assert_int_equal(cnt()->rto, 0);
	assert_int_equal(gauge(TCP_ESTABLISHED), 0);
}

/* tlp_flight()'s probe, its last segment, in bytes past our SYN. */
static const uint32_t tlp_probe_blk[1][2] = { { 100 + 2 * SEG,
						100 + 3 * SEG } };

/*
 * The probe of tlp_flight() (its last segment again) acknowledged with
 * everything: returns cwnd after that ACK.
 */
static uint32_t
tlp_probe_acked(struct peer *p, uint64_t pto)
{
	assert_int_equal(timers_at(now + pto + 1 * MS), 1);
	assert_int_equal(out(0)->seq, our_nxt(p, 100 + 2 * SEG));
	send_peer(p, ACK, our_nxt(p, 100 + 3 * SEG), NULL, 0);
	assert_int_equal(p->conn->snd_una, p->conn->snd_max);
	return p->conn->cwnd;
}

/* The next flight of three segments, acknowledged whole. */
static void
next_flight_acked(struct peer *p)
{
	outq()->n = 0;
	tcp_send(ctx, p->conn, zeros, 3 * SEG, now);
	assert_int_equal(note_ts(), 3);
	now += 10 * MS;
	send_peer(p, ACK, our_nxt(p, 100 + 6 * SEG), NULL, 0);
	assert_int_equal(p->conn->snd_una, p->conn->snd_max);
}

/*
 * RFC 8985 7.4.2: the last segment of a flight is lost and the probe,
 * its resend, repairs it. The ACK of the probe's end alone cannot say
 * so (the original may have arrived with its ACK late): the episode
 * waits, and no second probe goes meanwhile. An ACK beyond the end
 * with no duplicate before it says the original never arrived: the
 * window is cut as for any loss. It was never cut: a loss the probe
 * repaired went unanswered.
 */
static void
test_tlp_repair_cuts_window(void **state)
{
	struct peer p;
	struct tcp_conn *c;
	uint32_t cwnd;

	(void)state;
	cwnd = tlp_probe_acked(&p, tlp_flight(&p));
	c = p.conn;
	assert_int_equal(cnt()->tlp_loss_repaired, 0);
	assert_true(c->rec_flags & TCP_RF_TLP_SENT);
	next_flight_acked(&p);
	assert_int_equal(cnt()->tlp_loss_repaired, 1);
	assert_true(c->ssthresh < cwnd);
	assert_true(c->cwnd < cwnd);
	assert_false(c->rec_flags & TCP_RF_TLP_SENT);
	assert_int_equal(cnt()->tlp_probe, 1);
}

/*
 * RFC 8985 7.4.2: both copies arrived (the original's ACK was late): the
 * duplicate ACK the probe draws, or a D-SACK of it, says nothing was
 * lost. The window is not cut, and the next flight has its probe.
 */
static void
test_tlp_duplicate_no_cut(void **state)
{
	struct peer p;
	struct tcp_conn *c;
	struct net_seg s;
	uint32_t cwnd, dsack;

	(void)state;
	for (dsack = 0; dsack < 2; dsack++) {
		cwnd = tlp_probe_acked(&p, tlp_flight(&p));
		c = p.conn;
		if (dsack) {
			s = sack_seg(&p, 100 + 3 * SEG, tlp_probe_blk, 1, 1);
			input(&s);
		} else {
			send_peer(&p, ACK, our_nxt(&p, 100 + 3 * SEG), NULL, 0);
		}
		assert_false(c->rec_flags & TCP_RF_TLP_SENT);
		outq()->n = 0;
		tcp_send(ctx, c, zeros, 3 * SEG, now);
		assert_true(c->rec_flags & TCP_RF_TLP_ARMED);
		now += 10 * MS;
		send_peer(&p, ACK, our_nxt(&p, 100 + 6 * SEG), NULL, 0);
		assert_int_equal(cnt()->tlp_loss_repaired, 0);
		assert_true(c->cwnd >= cwnd);
	}
}

/*
 * RFC 5681 (4) under NewReno: the cut for a loss the probe repaired is
 * half the flight the cutting ACK found. That ACK usually acknowledges
 * everything, and half of what it left (nothing) put ssthresh at the
 * floor of two segments.
 */
static void
test_tlp_repair_newreno_half_flight(void **state)
{
	struct peer p;
	struct tcp_conn *c;
	uint32_t flight;

	(void)state;
	prm.congestion = TCP_CC_NEWRENO;
	tlp_probe_acked(&p, tlp_flight(&p));
	c = p.conn;
	outq()->n = 0;
	tcp_send(ctx, c, zeros, 8 * SEG, now);
	flight = c->snd_max - c->snd_una;
	now += 10 * MS;
	send_peer(&p, ACK, c->snd_max, NULL, 0);
	assert_int_equal(cnt()->tlp_loss_repaired, 1);
	assert_int_equal(c->ssthresh, flight / 2);
}

/*
 * The original's ACK was lost and the probe's copy drew an ACK of its
 * end with a D-SACK of it: nothing was lost, at once.
 */
static void
test_tlp_dsack_on_ack_of_end(void **state)
{
	struct peer p;
	struct tcp_conn *c;
	struct net_seg s;
	uint64_t pto;

	(void)state;
	pto = tlp_flight(&p);
	c = p.conn;
	assert_int_equal(timers_at(now + pto + 1 * MS), 1);
	s = sack_seg(&p, 100 + 3 * SEG, tlp_probe_blk, 1, 1);
	input(&s);
	assert_false(c->rec_flags & TCP_RF_TLP_SENT);
	next_flight_acked(&p);
	assert_int_equal(cnt()->tlp_loss_repaired, 0);
}

/*
 * A D-SACK of other bytes (never sent twice) on the ACK beyond the
 * probe's end says nothing of the probe: the repaired loss is still
 * answered.
 */
static void
test_tlp_other_dsack_still_cuts(void **state)
{
	static const uint32_t other[1][2] = { { 100, 101 } };
	struct peer p;
	struct net_seg s;

	(void)state;
	tlp_probe_acked(&p, tlp_flight(&p));
	outq()->n = 0;
	tcp_send(ctx, p.conn, zeros, 3 * SEG, now);
	now += 10 * MS;
	s = sack_seg(&p, 100 + 6 * SEG, other, 1, 1);
	input(&s);
	assert_int_equal(cnt()->dsack_rx, 1);
	assert_int_equal(cnt()->tlp_loss_repaired, 1);
}

/*
 * A resent probe, then RACK starts a recovery (the probe SACKed, the
 * two segments before it lost): the recovery cut the window, and its
 * full ACK must not cut it a second time.
 */
static void
test_tlp_then_recovery_one_cut(void **state)
{
	struct peer p;
	struct tcp_conn *c;
	struct net_seg s;
	uint64_t pto;
	uint32_t ss, i;

	(void)state;
	pto = tlp_flight(&p);
	c = p.conn;
	assert_int_equal(timers_at(now + pto + 1 * MS), 1);
	assert_true(c->rec_flags & TCP_RF_TLP_SENT);
	now += 10 * MS;
	s = sack_seg(&p, 100, tlp_probe_blk, 1, 1);
	input(&s);
	for (i = 0; i < 5 && !(c->rec_flags & TCP_RF_RECOVERY); i++)
		timers_at(c->t_rexmit ? c->t_rexmit : now + 50 * MS);
	assert_true(c->rec_flags & TCP_RF_RECOVERY);
	ss = c->ssthresh;
	now += 10 * MS;
	send_peer(&p, ACK, c->snd_max, NULL, 0);
	assert_int_equal(cnt()->tlp_loss_repaired, 0);
	assert_int_equal(c->ssthresh, ss);
}

/*
 * A path MTU message's resends, long acknowledged, do not keep a loss a
 * later probe repaired from being answered: an exemption for them
 * outlived their flight (the count of them was only cleared by a
 * recovery or a timeout), so one forged message turned the cut off for
 * the connection's life. The count now ends with the resend's flight.
 */
static void
test_tlp_after_old_pmtu_cuts(void **state)
{
	struct peer p;
	struct tcp_conn *c;
	struct net_seg q;
	uint32_t mss;

	(void)state;
	prm.tail_loss_probe = true;
	restart();
	open_peer(&p, 4000, true);
	c = p.conn;
	outq()->n = 0;
	tcp_send(ctx, c, zeros, 100, now);
	q = mkseg(&p, 0, our_nxt(&p, 0), 0, NULL, 0);
	memset(&q.opts, 0, sizeof(q.opts));
	outq()->n = 0;
	assert_int_equal(tcp_pmtu_input(ctx, &q, 1280, now), TCP_PMTU_LOWERED);
	note_ts();
	now += 10 * MS;
	send_peer(&p, ACK, our_nxt(&p, 100), NULL, 0);
	assert_int_equal(c->snd_una, c->snd_max);
	assert_false(c->rec_flags & TCP_RF_PMTU);
	/* Later, a flight whose last segment the probe repairs. */
	now += 1000 * MS;
	mss = c->snd_mss;
	outq()->n = 0;
	tcp_send(ctx, c, zeros, 3 * mss, now);
	assert_int_equal(note_ts(), 3);
	assert_int_equal(timers_at(now + 2ull * c->srtt + 1 * MS), 1);
	assert_int_equal(out(0)->seq, our_nxt(&p, 100 + 2 * mss));
	send_peer(&p, ACK, our_nxt(&p, 100 + 3 * mss), NULL, 0);
	outq()->n = 0;
	tcp_send(ctx, c, zeros, 3 * mss, now);
	now += 10 * MS;
	send_peer(&p, ACK, our_nxt(&p, 100 + 6 * mss), NULL, 0);
	assert_int_equal(c->snd_una, c->snd_max);
	assert_int_equal(cnt()->tlp_loss_repaired, 1);
}

/*
 * A probe the output queue refuses (tcp_timers() keeps eight slots free, so
 * this is tcp_tlp_send()'s own contract): nothing went, so the ACK of
 * the whole flight that follows (the last segment was only late) says
 * nothing of a loss. Had the probe been marked a resend whether it went
 * or not, that ACK would wait at the probe's end and the next one cut
 * the window for a loss there never was.
 */
static void
test_tlp_refused_no_cut(void **state)
{
	struct peer p;
	struct tcp_conn *c;
	uint32_t cwnd;

	(void)state;
	tlp_flight(&p);
	c = p.conn;
	now += 2ull * c->srtt + 1 * MS;
	outq()->n = TCP_OUTQ_SIZE;
	c->rec_flags &= ~TCP_RF_TLP_ARMED;
	tcp_tlp_send(ctx, c, now);
	assert_int_equal(outq()->n, TCP_OUTQ_SIZE);
	assert_int_equal(cnt()->tlp_probe, 1);
	assert_true(c->rec_flags & TCP_RF_TLP_SENT);
	outq()->n = 0;
	cwnd = c->cwnd;
	send_peer(&p, ACK, our_nxt(&p, 100 + 3 * SEG), NULL, 0);
	assert_int_equal(c->snd_una, c->snd_max);
	assert_false(c->rec_flags & TCP_RF_TLP_SENT);
	next_flight_acked(&p);
	assert_int_equal(cnt()->tlp_loss_repaired, 0);
	assert_true(c->cwnd >= cwnd);
}

/*
 * A peer acknowledging a byte at a time opens the congestion window by a
 * byte or two per ACK (RFC 5681 3.1 counts bytes): each such ACK drew a
 * segment of two bytes, new data or, after a timeout, a resend. Short
 * only because of cwnd, with data in flight, a segment waits for the
 * ACKs to open a full one.
 */
static void
test_cwnd_short_segment_waits(void **state)
{
	struct peer p;
	struct tcp_conn *c;
	uint32_t i;

	(void)state;
	/* No SACK: after the timeout, no RACK recovery, go-back-N alone. */
	prm.sack = false;
	restart();
	open_peer(&p, 4000, true);
	c = p.conn;
	outq()->n = 0;
	assert_int_equal(tcp_send(ctx, c, zeros, 16384, now), 16384);
	/* The initial window: 10 segments, 1904 bytes wait. */
	assert_int_equal(note_ts(), 10);
	for (i = 1; i <= 5; i++) {
		now += MS;
		assert_int_equal(send_peer(&p, ACK, our_nxt(&p, i), NULL, 0),
				 0);
	}
	/* A full segment acknowledged: full segments go. */
	now += MS;
	assert_true(send_peer(&p, ACK, our_nxt(&p, SEG), NULL, 0) >= 1);
	assert_int_equal(out(0)->seq, our_nxt(&p, 10 * SEG));
	assert_int_equal(out(0)->len, SEG);
	/* After a timeout, the go-back-N resend waits the same way. */
	assert_int_equal(timers_at(c->t_rexmit), 1);
	assert_int_equal(out(0)->seq, our_nxt(&p, SEG));
	now += MS;
	assert_int_equal(send_peer(&p, ACK, our_nxt(&p, SEG + 1), NULL, 0), 0);
	assert_int_equal(send_peer(&p, ACK, our_nxt(&p, SEG + 2), NULL, 0), 0);
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

/*
 * Two losses with CUBIC: the first at 20 segments (W_max 0: W_max =
 * cwnd, 20), recovery ends at 14 (returned in w), the second there.
 */
static struct tcp_conn *
cubic_two_losses(struct peer *p, uint32_t *w)
{
	struct tcp_conn *c;
	uint32_t i;

	prm.snd_buf = 65536;
	restart();
	burst(p, 10);
	c = p->conn;
	for (i = 1; i <= 10; i++)
		send_peer(p, ACK, our_nxt(p, i * SEG), NULL, 0);
	outq()->n = 0;
	tcp_send(ctx, c, zeros, 10 * SEG, now);
	for (i = 0; i < 3; i++)
		send_peer(p, ACK, our_nxt(p, 10 * SEG), NULL, 0);
	assert_int_equal(c->cubic_wmax, 20 * SEG);
	send_peer(p, ACK, our_nxt(p, 20 * SEG), NULL, 0);
	assert_false(c->rec_flags & TCP_RF_RECOVERY);
	*w = c->cwnd;
	assert_int_equal(*w, (uint32_t)(20 * SEG * 0.7));
	outq()->n = 0;
	tcp_send(ctx, c, zeros, *w, now);
	note_ts();
	for (i = 0; i < 3; i++)
		send_peer(p, ACK, our_nxt(p, 20 * SEG), NULL, 0);
	assert_true(c->rec_flags & TCP_RF_RECOVERY);
	return c;
}

/*
 * RFC 9438 4.7, fast convergence: a loss at a cwnd under W_max sets
 * W_max to cwnd * (1 + beta_cubic) / 2, below that cwnd: the second
 * loss, at 14 segments under W_max 20, sets W_max to 11.9 segments,
 * ssthresh 0.7 of the 14 as before. Without it W_max was 14, the
 * curve's plateau at the window that just lost.
 */
static void
test_cubic_fast_convergence(void **state)
{
	struct peer p;
	struct tcp_conn *c;
	uint32_t w;

	(void)state;
	c = cubic_two_losses(&p, &w);
	assert_int_equal(c->cubic_wmax, (uint32_t)(w * (1 + 0.7) / 2));
	assert_int_equal(c->ssthresh, (uint32_t)(w * 0.7));
}

/*
 * In congestion avoidance, a flight that fills cwnd: its first ACK (of
 * one segment) begins CUBIC's curve, if none runs; ms later, with the
 * flight still out, the next ACK of one segment. Returns the bytes
 * that ACK grew cwnd by.
 */
static uint32_t
cubic_step_after(struct peer *p, uint64_t ms)
{
	struct tcp_conn *c = p->conn;
	uint32_t una = c->snd_una - our_nxt(p, 0), before;

	outq()->n = 0;
	tcp_send(ctx, c, zeros, 40 * SEG, now);
	note_ts();
	assert_true(c->cwnd_used + SEG > c->cwnd);
	now += 50 * MS;
	send_peer(p, ACK, our_nxt(p, una + SEG), NULL, 0);
	assert_true(c->cwnd >= c->ssthresh);
	now += ms * MS;
	before = c->cwnd;
	send_peer(p, ACK, our_nxt(p, una + 2 * SEG), NULL, 0);
	return c->cwnd - before;
}

/*
 * RFC 9438 4.2 eq. 2: K = cbrt((W_max - cwnd_epoch) / C). After the
 * second loss (fast convergence: W_max 11.9 segments, cwnd_epoch =
 * ssthresh 9.8) K is 1.74 s and the curve starts at cwnd_epoch: 300 ms
 * in, it is at 10.9 segments and an ACK of one segment grows cwnd by
 * about a ninth of one. K taken as cbrt(W_max * (1 - beta_cubic) / C),
 * 2.07 s, started the curve at 8.3 segments, under cwnd: the same ACK
 * grew cwnd by 15 bytes, the Reno-friendly estimate's.
 */
static void
test_cubic_k_from_cwnd_epoch(void **state)
{
	struct peer p;
	struct tcp_conn *c;
	uint32_t w, step;

	(void)state;
	prm.rto_min_ms = 10000;
	prm.rto_initial_ms = 10000;
	c = cubic_two_losses(&p, &w);
	send_peer(&p, ACK, our_nxt(&p, 20 * SEG + w), NULL, 0);
	assert_false(c->rec_flags & TCP_RF_RECOVERY);
	step = cubic_step_after(&p, 300);
	assert_true(step > SEG / 12);
	assert_true(step < SEG / 6);
}

/*
 * RFC 9438 4.10 (and 4.8): a congestion avoidance stage that begins
 * with no W_max above cwnd (slow start ended without a loss: ssthresh
 * set to cwnd, 20 segments, by hand) has K = 0 and W_max = cwnd_epoch:
 * the curve is convex from the start. 3 s in, W_cubic is 31 segments,
 * and one ACK of one segment grows cwnd by half a segment (the 1.5
 * cwnd cap). K taken as cbrt(W_max * (1 - beta_cubic) / C), 2.47 s,
 * kept the curve near 20 segments then: a growth of 22 bytes.
 */
static void
test_cubic_k_zero_above_wmax(void **state)
{
	struct peer p;
	struct tcp_conn *c;
	uint32_t i, step;

	(void)state;
	prm.rto_min_ms = 10000;
	prm.rto_initial_ms = 10000;
	prm.snd_buf = 65536;
	restart();
	burst(&p, 10);
	c = p.conn;
	for (i = 1; i <= 10; i++)
		send_peer(&p, ACK, our_nxt(&p, i * SEG), NULL, 0);
	assert_int_equal(c->cwnd, 20 * SEG);
	c->ssthresh = c->cwnd;
	step = cubic_step_after(&p, 3000);
	assert_true(step >= SEG / 2 - 2);
	assert_true(step <= SEG / 2 + 1);
}

/*
 * RFC 9438 4.8: after a timeout the first congestion avoidance stage
 * has K = 0 and W_max = cwnd_epoch. A timeout at cwnd 20 segments
 * (ssthresh 14), slow start back past ssthresh, then a flight in
 * congestion avoidance: its curve starts at its plateau, and an ACK of
 * one segment 1 s in grows cwnd by 59 bytes. With W_max kept at the 20
 * segments before the timeout the curve climbed toward them (K 2.47 s):
 * the same ACK grew cwnd by 521.
 */
static void
test_cubic_after_timeout(void **state)
{
	struct peer p;
	struct tcp_conn *c;
	uint32_t i, una, w0, before;

	(void)state;
	prm.snd_buf = 65536;
	restart();
	burst(&p, 10);
	c = p.conn;
	for (i = 1; i <= 10; i++)
		send_peer(&p, ACK, our_nxt(&p, i * SEG), NULL, 0);
	assert_int_equal(c->cwnd, 20 * SEG);
	outq()->n = 0;
	tcp_send(ctx, c, zeros, 20 * SEG, now);
	note_ts();
	assert_int_equal(timers_at(now + c->rto + MS), 1);
	assert_int_equal(cnt()->rto, 1);
	assert_int_equal(c->ssthresh, (uint32_t)(20 * SEG * 0.7));
	/* The peer had the flight; slow start, a segment at a time. */
	una = 30 * SEG;
	send_peer(&p, ACK, our_nxt(&p, una), NULL, 0);
	outq()->n = 0;
	tcp_send(ctx, c, zeros, 40 * SEG, now);
	note_ts();
	while (c->cwnd < c->ssthresh) {
		now += 5 * MS;
		una += SEG;
		send_peer(&p, ACK, our_nxt(&p, una), NULL, 0);
	}
	/* The next ACK begins the stage. */
	w0 = c->cwnd;
	assert_true(c->cwnd_used + SEG > w0);
	now += 5 * MS;
	una += SEG;
	send_peer(&p, ACK, our_nxt(&p, una), NULL, 0);
	assert_int_equal(c->cubic_wmax, w0);
	now += 1000 * MS;
	before = c->cwnd;
	una += SEG;
	send_peer(&p, ACK, our_nxt(&p, una), NULL, 0);
	assert_true(c->cwnd > before);
	assert_true(c->cwnd - before < SEG / 16);
}

/*
 * Grow cwnd to 20 segments (a flight of 10 acknowledged), wait idle
 * for idle, then queue 30 segments: returns how many go at once.
 */
static uint32_t
sent_after_idle(struct peer *p, uint64_t idle)
{
	uint32_t i;

	prm.snd_buf = 65536;
	restart();
	burst(p, 10);
	for (i = 1; i <= 10; i++)
		send_peer(p, ACK, our_nxt(p, i * SEG), NULL, 0);
	assert_int_equal(p->conn->cwnd, 20 * SEG);
	assert_int_equal(p->conn->snd_una, p->conn->snd_max);
	now += idle;
	outq()->n = 0;
	assert_int_equal(tcp_send(ctx, p->conn, zeros, 30 * SEG, now),
			 30 * SEG);
	return note_ts();
}

/*
 * RFC 5681 4.1: after nothing was sent for longer than the RTO, the
 * next data goes from the restart window, min(IW, cwnd): 10 segments,
 * not the 20 of the window the last flight grew (it went in one
 * burst). Within the RTO the window is kept.
 */
static void
test_restart_window_after_idle(void **state)
{
	struct peer p;

	(void)state;
	assert_int_equal(sent_after_idle(&p, 100 * MS), 20);
	assert_true(100 * MS < p.conn->rto);
	assert_int_equal(sent_after_idle(&p, 2 * p.conn->rto), 10);
	assert_int_equal(p.conn->cwnd, 10 * SEG);
	assert_int_equal(p.conn->ssthresh, UINT32_MAX);
}

/*
 * RFC 8985 6.2: a retransmission lost again. Segments 0 and 5 of 10 are
 * lost; fast recovery resends 0, then 5; the retransmission of 0 is lost
 * too. When the peer reports the resent 5 (sent after the resent 0, a
 * round trip ago), RACK deems the resent 0 lost and sends it once more
 * at once. Before RACK nothing went until the retransmission timeout.
 */
static void
test_rack_lost_retransmission(void **state)
{
	static const uint32_t b1[][2] = { { 1, 5 } };
	static const uint32_t b2[][2] = { { 6, 10 }, { 1, 5 } };
	static const uint32_t b3[][2] = { { 1, 10 } };
	struct peer p;
	struct tcp_conn *c;
	uint64_t t0, lost;

	(void)state;
	burst(&p, 10);
	c = p.conn;
	t0 = now;
	now = t0 + 10 * MS;
	assert_int_equal(dupack(&p, b1, 1), 1);
	assert_int_equal(out(0)->seq, our_nxt(&p, 0));
	assert_int_equal(cnt()->fast_recovery, 1);
	now = t0 + 11 * MS;
	assert_int_equal(dupack(&p, b2, 2), 1);
	assert_int_equal(out(0)->seq, our_nxt(&p, 5 * SEG));
	assert_int_equal(cnt()->retransmit, 2);
	/* The resent 5 arrives, the resent 0 does not. */
	now = t0 + 21 * MS;
	lost = cnt()->rack_lost;
	assert_int_equal(dupack(&p, b3, 1), 1);
	assert_int_equal(out(0)->seq, our_nxt(&p, 0));
	assert_int_equal(out(0)->len, SEG);
	assert_int_equal(cnt()->rack_lost, lost + 1);
	assert_int_equal(cnt()->retransmit, 3);
	assert_int_equal(cnt()->rto, 0);
	/* Its ACK ends the recovery: RFC 9937 6.4, cwnd = ssthresh. */
	now = t0 + 31 * MS;
	send_peer(&p, ACK, our_nxt(&p, 10 * SEG), NULL, 0);
	assert_false(c->rec_flags & TCP_RF_RECOVERY);
	assert_int_equal(c->cwnd, c->ssthresh);
	assert_int_equal(cnt()->rto, 0);
}

/*
 * After a timeout the go-back-N resend moves SND.NXT back, but an ACK
 * alone still carries the next sequence number never sent (SND.MAX, as
 * BSD's tcp_output() and Linux, which never moves SND.NXT back): the
 * peer may hold the whole flight, and an ACK below its RCV.NXT is not
 * acceptable to it (RFC 9293 3.10.7.4 first), dropped. Here the peer,
 * half-closed by us, sent data before our flight reached it: the ACK
 * of that data, at the resend's SND.NXT, was dropped and the peer sent
 * its data again after its own timeout.
 */
static void
test_ack_after_go_back_n_at_snd_max(void **state)
{
	static const uint8_t d[10];
	struct peer p;
	uint64_t t;

	(void)state;
	prm.delayed_ack_ms = 0;
	restart();
	open_peer(&p, 4000, true);
	outq()->n = 0;
	t = now;
	assert_int_equal(tcp_send(ctx, p.conn, zeros, 3 * SEG, now), 3 * SEG);
	tcp_close(ctx, p.conn, true, now);
	assert_int_equal(note_ts(), 4);
	assert_int_equal(timers_at(t + 200 * MS), 1);
	assert_seg(out(0), ACK, our_nxt(&p, 0), p.seq);
	note_ts();
	/* The peer's data, sent before it had our flight. */
	assert_int_equal(send_peer(&p, ACK, our_nxt(&p, 0), d, sizeof(d)), 1);
	assert_seg(out(0), ACK, our_nxt(&p, 3 * SEG + 1), p.seq + 10);
	assert_int_equal(out(0)->len, 0);
	assert_int_equal(gauge(TCP_FIN_WAIT_1), 1);
}

/*
 * The last segment of a response carried the FIN, and both it and the
 * first are lost. Fast recovery resends the first; its ACK shows the
 * last lost (RACK: the resend, sent after it, arrived), and the last
 * goes again with its FIN, as the tail loss probe and the go-back-N
 * resend send it. Without the FIN the peer acknowledged the data and
 * waited a retransmission timeout for the FIN, sent alone then.
 */
static void
test_rack_resend_keeps_fin(void **state)
{
	static const uint32_t b1[][2] = { { 1, 9 } };
	struct peer p;
	uint64_t t0;

	(void)state;
	open_peer(&p, 4000, true);
	assert_int_equal(peer_wnd(&p, our_nxt(&p, 0), 0), 0);
	assert_int_equal(tcp_send(ctx, p.conn, zeros, 10 * SEG, now), 10 * SEG);
	tcp_close(ctx, p.conn, true, now);
	outq()->n = 0;
	/* The window opens: ten segments, the FIN on the last. */
	assert_int_equal(peer_wnd(&p, our_nxt(&p, 0), 65535), 10);
	assert_seg(out(9), ACK | FIN | NET_TCP_PSH, our_nxt(&p, 9 * SEG),
		   p.seq);
	note_ts();
	t0 = now;
	now = t0 + 10 * MS;
	assert_int_equal(dupack(&p, b1, 1), 1);
	assert_int_equal(out(0)->seq, our_nxt(&p, 0));
	note_ts();
	/* The resend arrives, the last segment and its FIN do not. */
	now = t0 + 21 * MS;
	assert_int_equal(sack_ack(&p, 9, NULL, 0), 1);
	assert_seg(out(0), ACK | FIN, our_nxt(&p, 9 * SEG), p.seq);
	assert_int_equal(out(0)->len, SEG);
	assert_int_equal(cnt()->rto, 0);
	/* Its ACK, the FIN's included: FIN_WAIT_2. */
	now = t0 + 31 * MS;
	send_peer(&p, ACK, our_nxt(&p, 10 * SEG + 1), NULL, 0);
	assert_int_equal(gauge(TCP_FIN_WAIT_2), 1);
}

/*
 * The FIN went alone (the application closed once its data was out) and
 * is lost with segment 0. Fast recovery resends segment 0; its ACK
 * acknowledges all the data but not the FIN, nothing SACKed: the FIN is
 * the first segment not acknowledged (RFC 6582 3.2 step 5, RFC 6675's
 * NextSeg()) and goes again at once. It waited for the retransmission
 * timeout, cwnd cut to one segment: RACK logs no segment without data,
 * and no loss probe goes during a recovery.
 */
static void
test_lone_fin_lost_in_sack_recovery(void **state)
{
	static const uint32_t b1[][2] = { { 1, 10 } };
	struct peer p;
	uint32_t i;

	(void)state;
	burst(&p, 10);
	outq()->n = 0;
	tcp_close(ctx, p.conn, true, now);
	assert_int_equal(note_ts(), 1);
	assert_seg(out(0), ACK | FIN, our_nxt(&p, 10 * SEG), p.seq);
	assert_int_equal(out(0)->len, 0);
	now += 10 * MS;
	for (i = 0; i < 3; i++)
		dupack(&p, b1, 1);
	assert_int_equal(cnt()->fast_recovery, 1);
	now += 10 * MS;
	assert_int_equal(sack_ack(&p, 10, NULL, 0), 1);
	assert_seg(out(0), ACK | FIN, our_nxt(&p, 10 * SEG), p.seq);
	assert_int_equal(out(0)->len, 0);
	/* Once: more duplicates of that ACK do not draw it again. */
	for (i = 0; i < 3; i++)
		assert_int_equal(sack_ack(&p, 10, NULL, 0), 0);
	assert_int_equal(cnt()->rto, 0);
}

/* The same without SACK (NewReno, RFC 6582 3.2 step 5). */
static void
test_lone_fin_lost_in_newreno_recovery(void **state)
{
	struct peer p;
	uint32_t i;

	(void)state;
	newreno_flight(&p);
	outq()->n = 0;
	tcp_close(ctx, p.conn, true, now);
	assert_int_equal(note_ts(), 1);
	assert_seg(out(0), ACK | FIN, our_nxt(&p, 10 * SEG), p.seq);
	now += 10 * MS;
	for (i = 0; i < 3; i++)
		dupack(&p, NULL, 0);
	assert_int_equal(out(0)->seq, our_nxt(&p, 0));
	now += 10 * MS;
	assert_int_equal(sack_ack(&p, 10, NULL, 0), 1);
	assert_seg(out(0), ACK | FIN, our_nxt(&p, 10 * SEG), p.seq);
	assert_int_equal(cnt()->rto, 0);
}

/*
 * RFC 8985 6.2 with RACK off (tcp.rack: false): the same lost
 * retransmission waits for the retransmission timeout.
 */
static void
test_rack_off_waits_for_rto(void **state)
{
	static const uint32_t b1[][2] = { { 1, 5 } };
	static const uint32_t b2[][2] = { { 6, 10 }, { 1, 5 } };
	static const uint32_t b3[][2] = { { 1, 10 } };
	struct peer p;
	uint64_t t0;

	(void)state;
	prm.rack = false;
	restart();
	burst(&p, 10);
	t0 = now;
	now = t0 + 10 * MS;
	dupack(&p, b1, 1);
	now = t0 + 11 * MS;
	dupack(&p, b2, 2);
	now = t0 + 21 * MS;
	assert_int_equal(dupack(&p, b3, 1), 0);
	assert_int_equal(cnt()->rack_lost, 0);
	assert_int_equal(timers_at(t0 + 2000 * MS), 1);
	assert_int_equal(cnt()->rto, 1);
}

/*
 * Two segments 1 ms apart after a 10 ms round trip (min_RTT 10 ms, so
 * reo_wnd = min(min_RTT / 4, SRTT), RFC 8985 6.2 step 4). Returns the
 * time the first was sent.
 */
static uint64_t
two_sends(struct peer *p)
{
	uint64_t t1;

	open_peer(p, 4000, true);
	outq()->n = 0;
	tcp_send(ctx, p->conn, zeros, SEG, now);
	now += 10 * MS;
	note_ts();
	assert_int_equal(sack_ack(p, 1, NULL, 0), 0);
	assert_int_equal(p->conn->min_rtt, 10 * MS);
	t1 = now;
	outq()->n = 0;
	tcp_send(ctx, p->conn, zeros, SEG, now);
	now += MS;
	tcp_send(ctx, p->conn, zeros, SEG, now);
	assert_int_equal(note_ts(), 2);
	return t1;
}

/* RFC 8985 6.2 step 4: RACK_reo_wnd() outside recovery, no reordering. */
static uint64_t
reo_wnd_of(const struct tcp_conn *c)
{
	return c->min_rtt / 4 < c->srtt ? c->min_rtt / 4 : c->srtt;
}

/*
 * RFC 8985 6.3: the second segment is SACKed one round trip after it
 * went; the first, sent 1 ms earlier, is not yet older than RACK.rtt +
 * reo_wnd: nothing is resent, the reordering timer is armed for when
 * it is, and when it fires the first segment is deemed lost and resent,
 * long before the retransmission timeout.
 */
static void
test_rack_reorder_timer(void **state)
{
	static const uint32_t b[][2] = { { 2, 3 } };
	struct peer p;
	uint64_t t1, due;

	(void)state;
	t1 = two_sends(&p);
	now = t1 + 11 * MS;
	assert_int_equal(sack_ack(&p, 1, b, 1), 0);
	assert_true(p.conn->rec_flags & TCP_RF_RACK_ARMED);
	due = t1 + 10 * MS + reo_wnd_of(p.conn);
	assert_true(due > now);
	assert_int_equal(p.conn->t_rexmit, due);
	assert_int_equal(timers_at(due - 1), 0);
	assert_int_equal(timers_at(due + MS), 1);
	assert_int_equal(out(0)->seq, our_nxt(&p, SEG));
	assert_int_equal(out(0)->len, SEG);
	assert_int_equal(cnt()->rack_reorder_timer, 1);
	assert_int_equal(cnt()->rack_lost, 1);
	assert_int_equal(cnt()->fast_recovery, 1);
	assert_int_equal(cnt()->rto, 0);
}

/*
 * RFC 8985 6.2 step 4: reordering within reo_wnd. The first segment
 * arrives 0.1 ms after the second was SACKed: no retransmission, no
 * recovery, and the reordering is noted (RACK.reordering_seen).
 */
static void
test_rack_reordering_within_window(void **state)
{
	static const uint32_t b[][2] = { { 2, 3 } };
	struct peer p;
	uint64_t t1;

	(void)state;
	t1 = two_sends(&p);
	now = t1 + 11 * MS;
	assert_int_equal(sack_ack(&p, 1, b, 1), 0);
	now = t1 + 11 * MS + 100;
	assert_int_equal(sack_ack(&p, 3, NULL, 0), 0);
	assert_true(p.conn->rec_flags & TCP_RF_REORDER);
	assert_int_equal(timers_at(t1 + 20 * MS), 0);
	assert_int_equal(timers_at(t1 + 2000 * MS), 0);
	assert_int_equal(cnt()->retransmit, 0);
	assert_int_equal(cnt()->rack_lost, 0);
	assert_int_equal(cnt()->fast_recovery, 0);
}

/*
 * RFC 8985 6.2 step 2: RACK.rtt and RACK.xmit_ts are those of the range
 * the ACK delivered, even when the ACK drops it from the log (another,
 * younger range then takes its slot).
 */
static void
test_rack_rtt_of_acked_range(void **state)
{
	const struct tcp_xlog *x;
	struct peer p;
	uint64_t t1;

	(void)state;
	t1 = two_sends(&p);
	now = t1 + 10 * MS;
	assert_int_equal(sack_ack(&p, 2, NULL, 0), 0);
	x = tcp_rack_log(ctx, p.conn);
	assert_non_null(x);
	assert_int_equal(x->n, 1);
	assert_int_equal(x->rack_rtt, 10 * MS);
	assert_int_equal(x->rack_ts, (uint32_t)t1);
}

/*
 * The transmission log keeps TCP_XMIT_RANGES ranges: when it is full the
 * two oldest become one, sent at the later time (counted), so a byte is
 * never taken for older than it is.
 */
static void
test_rack_log_full(void **state)
{
	const struct tcp_xlog *x;
	struct peer p;
	uint32_t i, n = TCP_XMIT_RANGES + 4;
	uint64_t t0;

	(void)state;
	two_sends(&p);
	now += 10 * MS;
	t0 = now;
	for (i = 0; i < n; i++) {
		assert_int_equal(tcp_send(ctx, p.conn, zeros, 1, now), 1);
		now += MS;
	}
	x = tcp_rack_log(ctx, p.conn);
	assert_non_null(x);
	assert_int_equal(x->n, TCP_XMIT_RANGES);
	assert_int_equal(cnt()->rack_log_folded, n + 2 - TCP_XMIT_RANGES);
	/* The oldest range holds the two first sends, at the later time. */
	assert_true(x->r[0].ts >= (uint32_t)t0);
	for (i = 1; i < x->n; i++)
		assert_true(net_seq_lt(x->r[i - 1].start, x->r[i].start));
}

/*
 * A send buffer taken again starts RACK afresh: nothing of its last
 * use (the ranges, RACK.xmit_ts and RACK.rtt, the D-SACK round) carries
 * over, though the reset leaves the old ranges' bytes in place.
 */
static void
test_rack_log_fresh_after_reuse(void **state)
{
	const struct tcp_xlog *x;
	struct tcp_conn *c;
	struct peer p;
	uint32_t i;

	(void)state;
	two_sends(&p);
	c = p.conn;
	for (i = 0; i < TCP_XMIT_RANGES; i++) {
		now += MS;
		assert_int_equal(tcp_send(ctx, c, zeros, 1, now), 1);
	}
	x = tcp_rack_log(ctx, c);
	assert_non_null(x);
	assert_int_equal(x->n, TCP_XMIT_RANGES);
	/* Everything acknowledged: the buffer goes back. */
	now += 10 * MS;
	send_peer(&p, ACK, c->snd_max, NULL, 0);
	assert_int_equal(c->sb, TCP_NONE);
	outq()->n = 0;
	now += MS;
	assert_int_equal(tcp_send(ctx, c, zeros, 1, now), 1);
	x = tcp_rack_log(ctx, c);
	assert_non_null(x);
	assert_int_equal(x->n, 1);
	assert_int_equal(x->r[0].start, c->snd_una);
	assert_int_equal(x->r[0].end, c->snd_una + 1);
	assert_int_equal(x->r[0].ts, (uint32_t)now);
	assert_int_equal(x->r[0].flags, 0);
	assert_false(x->has_rack);
	assert_int_equal(x->rack_rtt, 0);
	assert_false(x->dsack_round_on);
	assert_int_equal(tcp_prr(ctx, c)->out, 0);
}

/*
 * RFC 2018 / RFC 8985 6.2: a SACK block reaching beyond what was sent
 * is no delivery: RACK takes nothing from it and resends nothing (it
 * once took the block's sent part for delivered, and everything sent
 * before it for lost).
 */
static void
test_rack_ignores_sack_beyond_sent(void **state)
{
	static const uint32_t bogus[][2] = { { 9, 11 } };
	struct peer p;

	(void)state;
	burst(&p, 10);
	now += 10 * MS;
	assert_int_equal(dupack(&p, bogus, 1), 0);
	assert_int_equal(timers_at(now + 5 * MS), 0);
	assert_int_equal(cnt()->rack_reorder_timer, 0);
	assert_int_equal(cnt()->retransmit, 0);
	assert_int_equal(cnt()->rack_lost, 0);
	assert_int_equal(cnt()->fast_recovery, 0);
	assert_int_equal(p.conn->nsacked, 0);
}

/*
 * RFC 8985 6.2 step 4: the reordering timer resent the first segment,
 * but it was only late: the peer reports the duplicate with a D-SACK
 * (RFC 2883), and the reordering window grows to 2 x min_RTT / 4 for
 * the next rounds.
 */
static void
test_rack_dsack_grows_reo_wnd(void **state)
{
	static const uint32_t b[][2] = { { 2, 3 } };
	static const uint32_t dup[][2] = { { 1, 2 } };
	struct peer p;
	uint64_t t1;

	(void)state;
	t1 = two_sends(&p);
	now = t1 + 11 * MS;
	sack_ack(&p, 1, b, 1);
	assert_int_equal(timers_at(t1 + 13 * MS), 1);
	assert_int_equal(p.conn->reo_mult, 0);
	now = t1 + 14 * MS;
	sack_ack(&p, 3, dup, 1);
	assert_int_equal(cnt()->dsack_rx, 1);
	assert_int_equal(p.conn->reo_mult, 2);
	assert_int_equal(p.conn->snd_una, p.conn->snd_max);
}

/*
 * RFC 8985 6.2 step 4: an ACK whose D-SACK grows the reordering window
 * sets RACK.reo_wnd_persist to 16, and "Else if" it ends a recovery the
 * count goes down: not both. Here the D-SACK of the resend comes on the
 * ACK that ends the reordering timer's recovery. The count went to 15
 * at once, the grown window lasting one recovery less.
 */
static void
test_rack_dsack_at_recovery_end_persist(void **state)
{
	static const uint32_t b[][2] = { { 2, 3 } };
	static const uint32_t dup[][2] = { { 1, 2 } };
	struct peer p;
	uint64_t t1;

	(void)state;
	t1 = two_sends(&p);
	now = t1 + 11 * MS;
	sack_ack(&p, 1, b, 1);
	assert_int_equal(timers_at(t1 + 13 * MS), 1);
	assert_true(p.conn->rec_flags & TCP_RF_RECOVERY);
	now = t1 + 14 * MS;
	sack_ack(&p, 3, dup, 1);
	assert_false(p.conn->rec_flags & TCP_RF_RECOVERY);
	assert_int_equal(p.conn->reo_mult, 2);
	assert_int_equal(p.conn->reo_persist, 16);
}

/*
 * RFC 8985 6.2 step 4: the reordering window grown by D-SACKs shrinks
 * back after RACK.reo_wnd_persist recoveries without one, "Fast or RTO
 * recovery". The end of a timeout's recovery (recover acknowledged)
 * counts: here the last one due. It counted only fast recoveries.
 */
static void
test_rack_reo_persist_rto_recovery(void **state)
{
	static const uint32_t b[][2] = { { 2, 3 } };
	static const uint32_t dup[][2] = { { 1, 2 } };
	struct peer p;
	struct tcp_conn *c;
	uint64_t t1;

	(void)state;
	t1 = two_sends(&p);
	c = p.conn;
	now = t1 + 11 * MS;
	sack_ack(&p, 1, b, 1);
	timers_at(t1 + 13 * MS);
	now = t1 + 14 * MS;
	sack_ack(&p, 3, dup, 1);
	assert_int_equal(c->reo_mult, 2);
	c->reo_persist = 1;
	outq()->n = 0;
	tcp_send(ctx, c, zeros, SEG, now);
	assert_int_equal(note_ts(), 1);
	assert_int_equal(timers_at(c->t_rexmit), 1);
	assert_int_equal(cnt()->rto, 1);
	now += 10 * MS;
	sack_ack(&p, 4, NULL, 0);
	assert_int_equal(c->snd_una, c->snd_max);
	assert_int_equal(c->reo_mult, 0);
	assert_int_equal(c->reo_persist, 0);
}

/*
 * RFC 8985 6.2 step 4: RACK_reo_wnd() is 0 "in Fast or RTO recovery"
 * while no reordering was seen. Three segments go, the timeout resends
 * the first; then the peer SACKs the third, delivered very late (a
 * round trip of 205 ms): the second, sent in the same burst before it,
 * is lost at once and sent again. The reordering window (min_RTT / 4)
 * was kept in a timeout's recovery: the reordering timer was armed and
 * the resend waited for it.
 */
static void
test_rack_reo_wnd_zero_in_rto_recovery(void **state)
{
	static const uint32_t b[][2] = { { 3, 4 } };
	struct peer p;
	struct tcp_conn *c;
	uint64_t lost;

	(void)state;
	open_peer(&p, 4000, true);
	c = p.conn;
	outq()->n = 0;
	tcp_send(ctx, c, zeros, SEG, now);
	now += 10 * MS;
	note_ts();
	assert_int_equal(sack_ack(&p, 1, NULL, 0), 0);
	assert_int_equal(c->min_rtt, 10 * MS);
	outq()->n = 0;
	tcp_send(ctx, c, zeros, 3 * SEG, now);
	assert_int_equal(note_ts(), 3);
	assert_int_equal(c->rto, 200 * MS);
	assert_int_equal(timers_at(c->t_rexmit), 1);
	assert_int_equal(out(0)->seq, our_nxt(&p, SEG));
	assert_int_equal(cnt()->rto, 1);
	now += 5 * MS;
	lost = cnt()->rack_lost;
	assert_int_equal(sack_ack(&p, 1, b, 1), 1);
	assert_int_equal(out(0)->seq, our_nxt(&p, 2 * SEG));
	assert_int_equal(out(0)->len, SEG);
	assert_int_equal(cnt()->rack_lost, lost + 1);
	assert_false(c->rec_flags & TCP_RF_RACK_ARMED);
}

/*
 * One segment every 30 s, acknowledged rtt later; the number sent so
 * far is *sent. Returns min_RTT after the ACK.
 */
static uint32_t
sampled_after(struct peer *p, uint32_t *sent, uint64_t rtt)
{
	now += 30000 * MS;
	outq()->n = 0;
	assert_int_equal(tcp_send(ctx, p->conn, zeros, SEG, now), SEG);
	note_ts();
	now += rtt;
	(*sent)++;
	assert_int_equal(sack_ack(p, *sent, NULL, 0), 0);
	return p->conn->min_rtt;
}

/*
 * RFC 8985 6.2 step 2: min_RTT SHOULD be a windowed minimum that adapts
 * when the path lengthens. The round trip grows from 10 to 40 ms: the
 * old minimum holds for about 300 s after its last sample (Linux's
 * tcp_min_rtt_wlen), then the next sample replaces it, and a lower one
 * later is taken at once. It was the minimum over the connection's
 * life: the reordering window (min_RTT / 4) stayed that of the old path.
 */
static void
test_rack_min_rtt_windowed(void **state)
{
	struct peer p;
	uint32_t i, sent = 0;

	(void)state;
	open_peer(&p, 4000, true);
	assert_int_equal(sampled_after(&p, &sent, 10 * MS), 10 * MS);
	/* Up to 270 s after the 10 ms sample it holds. */
	for (i = 0; i < 9; i++)
		assert_int_equal(sampled_after(&p, &sent, 40 * MS), 10 * MS);
	/* At 300 s it goes or not (the age is kept in 16.8 s units)... */
	sampled_after(&p, &sent, 40 * MS);
	/* ...by 330 s it has gone. */
	assert_int_equal(sampled_after(&p, &sent, 40 * MS), 40 * MS);
	assert_int_equal(sampled_after(&p, &sent, 50 * MS), 40 * MS);
	assert_int_equal(sampled_after(&p, &sent, 20 * MS), 20 * MS);
}

/*
 * RACK.min_RTT's age is kept modulo 2^TCP_MIN_RTT_AT_BITS units of
 * 16.8 s (4.77 hours). After 1024 units with nothing sent, the age read
 * 0 and the 10 ms minimum held for one window more against samples of
 * 40 ms: an idle of one window or more now expires it (tcp_send()'s
 * restart after idle), and the first sample after it is taken.
 */
static void
test_rack_min_rtt_after_long_idle(void **state)
{
	struct peer p;
	uint32_t sent = 0;

	(void)state;
	open_peer(&p, 4000, true);
	assert_int_equal(sampled_after(&p, &sent, 10 * MS), 10 * MS);
	/* 1024 units of 2^24 us, less the 30 s sampled_after() adds. */
	now += (1024ull << TCP_MIN_RTT_UNIT) - 30000 * MS;
	assert_int_equal(sampled_after(&p, &sent, 40 * MS), 40 * MS);
	assert_int_equal(sampled_after(&p, &sent, 50 * MS), 40 * MS);
}

/*
 * RACK.min_RTT keeps TCP_MIN_RTT_BITS of microseconds (4.19 s): a
 * sample of 5 s saturates it. Stored as it was, it would be 5 s modulo
 * 2^22 us (806 ms), a reordering window (min_RTT / 4) of a path five
 * times shorter.
 */
static void
test_rack_min_rtt_saturates(void **state)
{
	struct peer p;

	(void)state;
	open_peer(&p, 4000, true);
	outq()->n = 0;
	assert_int_equal(tcp_send(ctx, p.conn, zeros, SEG, now), SEG);
	note_ts();
	now += 5000 * MS;
	assert_int_equal(sack_ack(&p, 1, NULL, 0), 0);
	assert_int_equal(p.conn->min_rtt, TCP_MIN_RTT_MAX);
}

/*
 * RFC 8985 6.2 step 2: an ACK of a retransmitted segment whose TSecr is
 * older than the retransmission answers the original. Here the first
 * of two segments was only late: the reordering timer resent it, and a
 * round trip (min_RTT) after the resend the ACK of the original comes,
 * echoing its timestamp. It gives RACK no sample: RACK.xmit_ts stays
 * that of the second segment. Taken, it made the resend the newest
 * delivered, and the segments sent just before the resend, merely in
 * flight, were deemed lost and sent again.
 */
static void
test_rack_tsecr_rejects_original(void **state)
{
	static const uint32_t b[][2] = { { 2, 3 } };
	const struct tcp_xlog *x;
	struct peer p;
	struct net_seg s;
	uint32_t tsval_a;
	uint64_t t1, lost;

	(void)state;
	t1 = two_sends(&p);
	tsval_a = out(0)->opts.tsval;
	now = t1 + 11 * MS;
	assert_int_equal(sack_ack(&p, 1, b, 1), 0);
	now = t1 + 12 * MS;
	outq()->n = 0;
	tcp_send(ctx, p.conn, zeros, 3 * SEG, now);
	assert_int_equal(note_ts(), 3);
	assert_int_equal(timers_at(t1 + 13 * MS), 1);
	assert_int_equal(out(0)->seq, our_nxt(&p, SEG));
	assert_true(p.conn->rec_flags & TCP_RF_RECOVERY);
	lost = cnt()->rack_lost;
	now = t1 + 23 * MS;
	s = sack_seg(&p, 3, NULL, 0, SEG);
	s.opts.tsecr = tsval_a;
	input(&s);
	x = tcp_rack_log(ctx, p.conn);
	assert_non_null(x);
	assert_int_equal(x->rack_ts, (uint32_t)(t1 + MS));
	assert_int_equal(cnt()->rack_lost, lost);
}

/*
 * test_rack_lost_retransmission with an RFC 7323 4.3 receiver: an ACK
 * of out-of-order data echoes TS.Recent, the TSval of the last in-order
 * segment, here the original burst's, sent before every resend. The
 * resent segment 5 arrives, the resent segment 0 does not: RACK takes
 * the resend of 5 as delivered (its min_RTT test passes) and finds the
 * resend of 0 lost. The TSecr test took every such echo for an ACK of
 * the original, and the lost resend waited for the timeout.
 */
static void
test_rack_lost_rxt_ts_recent_echo(void **state)
{
	static const uint32_t b1[][2] = { { 1, 5 } };
	static const uint32_t b2[][2] = { { 6, 10 }, { 1, 5 } };
	static const uint32_t b3[][2] = { { 1, 10 } };
	struct peer p;
	struct net_seg s;
	uint64_t t0, lost;
	uint32_t ts0;

	(void)state;
	burst(&p, 10);
	ts0 = out(0)->opts.tsval;
	t0 = now;
	now = t0 + 10 * MS;
	s = sack_seg(&p, 0, b1, 1, SEG);
	s.opts.tsecr = ts0;
	assert_int_equal(input(&s), 1);
	assert_int_equal(out(0)->seq, our_nxt(&p, 0));
	now = t0 + 11 * MS;
	s = sack_seg(&p, 0, b2, 2, SEG);
	s.opts.tsecr = ts0;
	assert_int_equal(input(&s), 1);
	assert_int_equal(out(0)->seq, our_nxt(&p, 5 * SEG));
	now = t0 + 21 * MS;
	lost = cnt()->rack_lost;
	s = sack_seg(&p, 0, b3, 1, SEG);
	s.opts.tsecr = ts0;
	assert_int_equal(input(&s), 1);
	assert_int_equal(out(0)->seq, our_nxt(&p, 0));
	assert_int_equal(cnt()->rack_lost, lost + 1);
}

/*
 * RFC 9937 6.1-6.2, after RFC 6937's example (its section 6.1): 22
 * segments in flight, the first lost, each later one SACKed by its own
 * ACK. NewReno halves the window: ssthresh = 11 segments, and while pipe
 * > ssthresh PRR sends ssthresh / RecoverFS of what was delivered,
 * spreading the reduction over the round trip instead of sending nothing
 * for half of it; the full ACK leaves cwnd = ssthresh. RecoverFS leaves
 * out the two segments SACKed before the recovery: 20 segments, not 22
 * (RFC 6937), so the tenth ACK of the recovery lets a segment out where
 * RFC 6937's proportion 11 / 22 let none.
 */
static void
test_prr_proportional(void **state)
{
	static const uint32_t prop[12] = { 1, 0, 1, 0, 1, 0, 1, 0, 1, 1, 0, 1 };
	uint32_t blk[1][2] = { { 1, 0 } };
	uint32_t i, sent[12], total = 0, flight;
	struct peer p;
	struct tcp_conn *c;

	(void)state;
	prm.congestion = TCP_CC_NEWRENO;
	prm.snd_buf = 65536;
	restart();
	burst(&p, 10);
	c = p.conn;
	now += 10 * MS;
	for (i = 1; i <= 10; i++)
		send_peer(&p, ACK, our_nxt(&p, i * SEG), NULL, 0);
	assert_int_equal(c->cwnd, 20 * SEG);
	outq()->n = 0;
	tcp_send(ctx, c, zeros, 30 * SEG, now);
	assert_int_equal(note_ts(), 20);
	now += 10 * MS;
	/* Two SACKs before recovery: each lets one new segment out. */
	blk[0][0] = 11;
	for (i = 0; i < 2; i++) {
		blk[0][1] = 12 + i;
		assert_int_equal(sack_ack(&p, 10, (const uint32_t(*)[2])blk, 1),
				 1);
	}
	flight = c->snd_max - c->snd_una;
	assert_int_equal(flight, 22 * SEG);
	/* The third: recovery, the lost segment resent. */
	blk[0][1] = 14;
	assert_int_equal(sack_ack(&p, 10, (const uint32_t(*)[2])blk, 1), 1);
	assert_int_equal(out(0)->seq, our_nxt(&p, 10 * SEG));
	assert_int_equal(c->ssthresh, 11 * SEG);
	assert_int_equal(tcp_prr(ctx, c)->recover_fs, 20 * SEG);
	for (i = 0; i < 12; i++) {
		blk[0][1] = 15 + i;
		sent[i] = sack_ack(&p, 10, (const uint32_t(*)[2])blk, 1);
		total += sent[i];
	}
	/* prr_delivered 2..13 segments: CEIL(d * 11 / 20) - prr_out. */
	for (i = 0; i < 12; i++)
		assert_int_equal(sent[i], prop[i]);
	assert_int_equal(total, 7);
	assert_int_equal(tcp_prr(ctx, c)->out, 8 * SEG);
	assert_true(c->rec_flags & TCP_RF_RECOVERY);
	/* Everything acknowledged: recovery ends with cwnd = ssthresh. */
	send_peer(&p, ACK, c->snd_max, NULL, 0);
	assert_false(c->rec_flags & TCP_RF_RECOVERY);
	assert_int_equal(c->cwnd, c->ssthresh);
	assert_int_equal(cnt()->rto, 0);
}

/*
 * A flight of ten segments with 20 more queued behind it (a 64 KiB send
 * buffer), the clock 10 ms on: the start of the PRR cases. Returns the
 * connection; p is its peer.
 */
static struct tcp_conn *
queued_flight(struct peer *p)
{
	prm.snd_buf = 65536;
	restart();
	burst(p, 10);
	outq()->n = 0;
	tcp_send(ctx, p->conn, zeros, 20 * SEG, now);
	note_ts();
	now += 10 * MS;
	return p->conn;
}

/* n ACKs of SND.UNA, the k-th SACKing segments [first, first + k]. */
static void
sack_one_per_ack(struct peer *p, uint32_t first, uint32_t n)
{
	uint32_t blk[1][2] = { { first, 0 } };
	uint32_t i;

	for (i = 0; i < n; i++) {
		blk[0][1] = first + 1 + i;
		sack_ack(p, 0, (const uint32_t(*)[2])blk, 1);
	}
}

/*
 * Half of a flight of ten lost (segments 0..4), 20 more queued, and
 * segments 5..9 SACKed one per ACK: the third enters recovery, in which
 * pipe (two segments) is far below ssthresh (seven, CUBIC's cut). The
 * segments the last three ACKs let out go to sent. Returns the
 * connection.
 */
static struct tcp_conn *
prr_half_lost(struct peer *p, uint32_t sent[3])
{
	uint32_t blk[1][2] = { { 5, 0 } };
	struct tcp_conn *c;
	uint32_t i, n;

	c = queued_flight(p);
	for (i = 0; i < 5; i++) {
		blk[0][1] = 6 + i;
		n = sack_ack(p, 0, (const uint32_t(*)[2])blk, 1);
		if (i >= 2)
			sent[i - 2] = n;
	}
	assert_true(c->rec_flags & TCP_RF_RECOVERY);
	assert_int_equal(c->ssthresh, 7 * SEG);
	return c;
}

/*
 * RFC 9937 6.2 takes PRR-CRB on the duplicate ACKs of prr_half_lost(),
 * which move no SND.UNA: each lets out what it delivered, one segment, a
 * resend (RFC 6937's PRR-SSRB let two go on each: what was delivered
 * plus one SMSS). Then a SafeACK: the resent segment 0 arrives, the
 * partial ACK moves SND.UNA and marks nothing newly lost (segments 3 and
 * 4 were deemed lost already). PRR-SSRB: what it delivered and one SMSS
 * more, the resends of 3 and 4. With RACK off, so that no reordering
 * window is involved.
 */
static void
test_prr_crb_then_safe_ack(void **state)
{
	static const uint32_t held[][2] = { { 5, 10 } };
	struct peer p;
	struct tcp_conn *c;
	uint32_t sent[3], i;

	(void)state;
	prm.rack = false;
	c = prr_half_lost(&p, sent);
	for (i = 0; i < 3; i++)
		assert_int_equal(sent[i], 1);
	assert_int_equal(out(0)->seq, our_nxt(&p, 2 * SEG));
	assert_int_equal(tcp_prr(ctx, c)->out, 3 * SEG);
	now += 10 * MS;
	assert_int_equal(sack_ack(&p, 1, held, 1), 2);
	assert_int_equal(out(0)->seq, our_nxt(&p, 3 * SEG));
	assert_int_equal(out(1)->seq, our_nxt(&p, 4 * SEG));
	assert_int_equal(tcp_prr(ctx, c)->out, 5 * SEG);
	assert_true(c->rec_flags & TCP_RF_RECOVERY);
}

/*
 * RFC 9937 6.2: a partial ACK that indicates a further loss is no
 * SafeACK. Segments 0..4 and 6 of a flight of ten lost, 20 more queued
 * (RACK off: the scoreboard alone finds the losses). 5, then 7 and 8
 * SACKed: recovery, segment 0 resent; hole 6 has two segments SACKed
 * above it, not lost yet. The resent 0 arrives with segment 9: the
 * partial ACK moves SND.UNA and puts a third segment above hole 6,
 * which IsLost() now deems lost. PRR-CRB: what it delivered (two
 * segments), not one SMSS more.
 */
static void
test_prr_crb_on_new_loss(void **state)
{
	static const uint32_t b1[][2] = { { 5, 6 } };
	static const uint32_t b2[][2] = { { 7, 8 }, { 5, 6 } };
	static const uint32_t b3[][2] = { { 7, 9 }, { 5, 6 } };
	static const uint32_t b4[][2] = { { 7, 10 }, { 5, 6 } };
	struct peer p;
	struct tcp_conn *c;

	(void)state;
	prm.rack = false;
	c = queued_flight(&p);
	sack_ack(&p, 0, b1, 1);
	sack_ack(&p, 0, b2, 2);
	assert_int_equal(sack_ack(&p, 0, b3, 2), 1);
	assert_true(c->rec_flags & TCP_RF_RECOVERY);
	assert_int_equal(out(0)->seq, our_nxt(&p, 0));
	now += 10 * MS;
	assert_int_equal(sack_ack(&p, 1, b4, 2), 2);
	assert_int_equal(out(0)->seq, our_nxt(&p, SEG));
	assert_int_equal(out(1)->seq, our_nxt(&p, 2 * SEG));
	assert_int_equal(tcp_prr(ctx, c)->delivered, 3 * SEG);
	assert_int_equal(tcp_prr(ctx, c)->out, 3 * SEG);
}

/*
 * RFC 9937 6.2: what RACK marks lost late, bytes the peer SACKed, is no
 * new loss. As prr_half_lost() with RACK on and reordering seen, so that
 * the duplicate ACKs mark nothing lost in RACK's log; 20 ms later the
 * resent segment 0 arrives: RACK now marks 1..9 lost as one range, the
 * SACKed 5..9 in it, but only 3 and 4, deemed lost by IsLost() before,
 * are live. A SafeACK: PRR-SSRB lets the resends of 3 and 4 go.
 */
static void
test_prr_safe_ack_rack_late(void **state)
{
	static const uint32_t held[][2] = { { 5, 10 } };
	struct peer p;
	struct tcp_conn *c;

	(void)state;
	c = queued_flight(&p);
	c->rec_flags |= TCP_RF_REORDER;
	sack_one_per_ack(&p, 5, 5);
	assert_true(c->rec_flags & TCP_RF_RECOVERY);
	now += 10 * MS;
	assert_int_equal(sack_ack(&p, 1, held, 1), 2);
	assert_int_equal(out(0)->seq, our_nxt(&p, 3 * SEG));
	assert_int_equal(out(1)->seq, our_nxt(&p, 4 * SEG));
}

/*
 * RFC 9937 6.1: RecoverFS of a recovery begun by the ACK that ends the
 * one before counts what that ACK delivered. Segment 0 of a flight of
 * ten lost, 20 more queued; 1..9 SACKed one per ACK, recovery from the
 * third (recover: segment 12, two having gone before it), sending new
 * data up to segment 15. The full ACK brings the resent 0, 10 and 11
 * and SACKs 13..15: RACK deems 12 lost and a recovery begins. RecoverFS
 * is the flight before the ACK less what the peer held then (1..9), the
 * ACK's delivery (0, 10, 11, 13..15) included; it was six segments
 * short with the delivery left out.
 */
static void
test_prr_reenter_counts_delivery(void **state)
{
	static const uint32_t b13[][2] = { { 13, 16 } };
	struct peer p;
	struct tcp_conn *c;
	uint32_t fs;

	(void)state;
	c = queued_flight(&p);
	sack_one_per_ack(&p, 1, 9);
	assert_int_equal(cnt()->fast_recovery, 1);
	assert_int_equal(c->recover, our_nxt(&p, 12 * SEG));
	assert_int_equal(c->snd_max, our_nxt(&p, 16 * SEG));
	fs = c->snd_max - our_nxt(&p, 0) - 9 * SEG;
	now += 20 * MS;
	sack_ack(&p, 12, b13, 1);
	assert_int_equal(cnt()->fast_recovery, 2);
	assert_true(c->rec_flags & TCP_RF_RECOVERY);
	assert_int_equal(tcp_prr(ctx, c)->recover_fs, fs);
	assert_int_equal(tcp_prr(ctx, c)->delivered, 6 * SEG);
}

/*
 * RFC 9937 6.2: the partial ACK with nothing SACKed says the segment at
 * SND.UNA is lost: no SafeACK. Segments 0 and 9 of a flight of ten lost
 * (RACK off); 1..8 SACKed one per ACK, recovery from the third, with no
 * new data to send: pipe falls far below ssthresh. Then 20 segments are
 * queued with cwnd held at cwnd bytes, so that they wait for the ACK
 * (PRR sets cwnd afresh on it), and the resent 0 arrives alone: SND.UNA
 * moves to 9, nothing is SACKed. Returns what that ACK let out.
 */
static uint32_t
prr_bare_partial(struct peer *p, uint32_t cwnd)
{
	uint32_t blk[1][2] = { { 1, 0 } };
	struct tcp_conn *c;
	uint32_t i;

	prm.rack = false;
	prm.snd_buf = 65536;
	restart();
	burst(p, 10);
	c = p->conn;
	now += 10 * MS;
	for (i = 0; i < 8; i++) {
		blk[0][1] = 2 + i;
		sack_ack(p, 0, (const uint32_t(*)[2])blk, 1);
	}
	assert_true(c->rec_flags & TCP_RF_RECOVERY);
	now += 10 * MS;
	outq()->n = 0;
	c->cwnd = cwnd;
	assert_int_equal(tcp_send(ctx, c, zeros, 20 * SEG, now), 20 * SEG);
	assert_int_equal(note_ts(), 0);
	assert_int_equal(tcp_prr(ctx, c)->delivered, 6 * SEG);
	assert_int_equal(tcp_prr(ctx, c)->out, SEG);
	return sack_ack(p, 9, NULL, 0);
}

/*
 * prr_bare_partial(): PRR-CRB, what was delivered and not sent yet (six
 * segments, less the resend of 9: five new), not one SMSS more.
 */
static void
test_prr_crb_bare_partial(void **state)
{
	struct peer p;

	(void)state;
	assert_int_equal(prr_bare_partial(&p, SEG), 6);
	assert_int_equal(out(0)->seq, our_nxt(&p, 9 * SEG));
	assert_int_equal(tcp_prr(ctx, p.conn)->out, 7 * SEG);
	assert_true(p.conn->rec_flags & TCP_RF_RECOVERY);
}

/*
 * RFC 9937 6.2: a lost retransmission is further loss, which only RACK
 * finds. Segments 0, 3 and 6 of a flight of ten lost, no more data yet;
 * the rest SACKed a millisecond apart, recovery from the third ACK, the
 * three holes resent in turn, pipe falling below ssthresh. 20 segments
 * are queued with cwnd held (PRR sets it afresh on the ACK), then the
 * resends of 0 and 6 arrive in one partial ACK, the resend of 3 lost:
 * RACK deems it lost (sent before the resend of 6 that arrived), the
 * scoreboard nothing new. PRR-CRB: it goes again with three new
 * segments, what was delivered and not sent yet; one SMSS more (five)
 * with RACK's part of the SafeACK test taken out.
 */
static void
test_prr_crb_on_lost_rexmit(void **state)
{
	static const uint32_t b[][2][2] = {
		{ { 1, 2 } },
		{ { 1, 3 } },
		{ { 4, 5 }, { 1, 3 } },
		{ { 4, 6 }, { 1, 3 } },
		{ { 7, 8 }, { 4, 6 } },
		{ { 7, 9 }, { 4, 6 } },
		{ { 7, 10 }, { 4, 6 } },
	};
	static const uint32_t held[][2] = { { 4, 10 } };
	struct peer p;
	struct tcp_conn *c;
	uint32_t i;

	(void)state;
	prm.snd_buf = 65536;
	restart();
	burst(&p, 10);
	c = p.conn;
	now += 10 * MS;
	for (i = 0; i < 7; i++) {
		now += MS;
		sack_ack(&p, 0, b[i], i < 2 ? 1 : 2);
	}
	assert_true(c->rec_flags & TCP_RF_RECOVERY);
	assert_int_equal(c->high_rxt, our_nxt(&p, 7 * SEG));
	now += 10 * MS;
	outq()->n = 0;
	c->cwnd = SEG;
	assert_int_equal(tcp_send(ctx, c, zeros, 20 * SEG, now), 20 * SEG);
	assert_int_equal(note_ts(), 0);
	assert_int_equal(sack_ack(&p, 3, held, 1), 4);
	assert_int_equal(out(0)->seq, our_nxt(&p, 3 * SEG));
	assert_int_equal(out(1)->seq, our_nxt(&p, 10 * SEG));
	assert_int_equal(tcp_prr(ctx, c)->out, tcp_prr(ctx, c)->delivered);
}

/*
 * RFC 9937 6.2: a duplicate ACK, which delivers nothing here, is no
 * SafeACK: no extra SMSS. Segments 0..6 of a flight of ten lost, 20
 * more queued; 7..9 SACKed one per ACK, the third entering recovery
 * with pipe far below ssthresh. Then the peer repeats its last ACK (the
 * same SACK block: a window update, say): nothing goes. RFC 6937's
 * PRR-SSRB let one SMSS out on it (MAX(prr_delivered - prr_out,
 * DeliveredData) + SMSS, below ssthresh). prr_out has caught up with
 * prr_delivered, so PRR-CRB lets nothing out with or without
 * prr_send()'s early return for an ACK that delivers nothing.
 */
static void
test_prr_repeated_ack_no_extra_smss(void **state)
{
	static const uint32_t held[][2] = { { 7, 10 } };
	struct peer p;
	struct tcp_conn *c;
	uint32_t i, out0;

	(void)state;
	c = queued_flight(&p);
	sack_one_per_ack(&p, 7, 3);
	assert_true(c->rec_flags & TCP_RF_RECOVERY);
	out0 = tcp_prr(ctx, c)->out;
	for (i = 0; i < 3; i++)
		assert_int_equal(sack_ack(&p, 0, held, 1), 0);
	assert_int_equal(tcp_prr(ctx, c)->out, out0);
	assert_int_equal(tcp_prr(ctx, c)->delivered, SEG);
	assert_true(c->rec_flags & TCP_RF_RECOVERY);
}

/* A duplicate ACK of SND.UNA with blocks in bytes: segments sent. */
static uint32_t
sack_bytes_ack(struct peer *p, const uint32_t (*blk)[2], uint32_t nblk)
{
	struct net_seg s = sack_seg(p, 0, blk, nblk, 1);

	return input(&s);
}

/*
 * A full scoreboard of four blocks (RACK off): segments 0, 2, 4, 6 and 7
 * of ten lost; 1, 3, 5 SACKed enter recovery, then 8..9 fills the
 * scoreboard, and a one-byte block in the hole at 7 pushes 8..9 out
 * (the scoreboard keeps the blocks nearest SND.UNA). prr_delivered
 * before that byte goes to *before.
 */
static struct tcp_conn *
prr_block_pushed_out(struct peer *p, uint32_t *before)
{
	const uint32_t S = SEG;
	const uint32_t a1[][2] = { { 1 * S, 2 * S } };
	const uint32_t a2[][2] = { { 3 * S, 4 * S }, { 1 * S, 2 * S } };
	const uint32_t a3[][2] = { { 5 * S, 6 * S },
				   { 3 * S, 4 * S },
				   { 1 * S, 2 * S } };
	const uint32_t full[][2] = { { 8 * S, 10 * S },
				     { 5 * S, 6 * S },
				     { 3 * S, 4 * S } };
	const uint32_t byte[][2] = { { 7 * S, 7 * S + 1 } };
	struct tcp_conn *c;

	prm.rack = false;
	c = queued_flight(p);
	sack_bytes_ack(p, a1, 1);
	sack_bytes_ack(p, a2, 2);
	sack_bytes_ack(p, a3, 3);
	assert_true(c->rec_flags & TCP_RF_RECOVERY);
	sack_bytes_ack(p, full, 3);
	assert_int_equal(c->nsacked, 4);
	*before = tcp_prr(ctx, c)->delivered;
	assert_int_equal(sack_bytes_ack(p, byte, 1), 0);
	assert_int_equal(c->nsacked, 4);
	assert_int_equal(c->sacked[3].end - c->sacked[3].start, 1);
	return c;
}

/*
 * RFC 9937 6.2 DeliveredData with a scoreboard of four blocks: a block
 * it drops when full, SACKed again, is not delivered twice. 8..9 pushed
 * out (prr_block_pushed_out()), 6 merges the byte at 7 with 5, and 8..9
 * is SACKed again: one segment and a byte new, not three.
 */
static void
test_prr_scoreboard_cycle_not_delivered_twice(void **state)
{
	const uint32_t S = SEG;
	const uint32_t merge[][2] = { { 6 * S, 7 * S + 1 } };
	const uint32_t again[][2] = { { 8 * S, 10 * S } };
	struct peer p;
	struct tcp_conn *c;
	uint32_t before;

	(void)state;
	c = prr_block_pushed_out(&p, &before);
	sack_bytes_ack(&p, merge, 1);
	assert_int_equal(c->nsacked, 3);
	sack_bytes_ack(&p, again, 1);
	assert_int_equal(c->nsacked, 4);
	assert_int_equal(tcp_prr(ctx, c)->delivered - before, S + 1);
}

/*
 * 8..9 pushed out (prr_block_pushed_out()): the resend of 0 arrives and
 * SND.UNA moves to 1..2's end. That is one segment delivered, whatever
 * the scoreboard forgot above. When SND.UNA later passes into 8..9,
 * those bytes, delivered once already, do not count again.
 */
static void
test_prr_forgotten_block_holds_nothing_back(void **state)
{
	const uint32_t S = SEG;
	const uint32_t rest[][2] = { { 7 * S, 7 * S + 1 },
				     { 5 * S, 6 * S },
				     { 3 * S, 4 * S } };
	struct net_seg s;
	struct peer p;
	struct tcp_conn *c;
	uint32_t before;

	(void)state;
	c = prr_block_pushed_out(&p, &before);
	before = tcp_prr(ctx, c)->delivered;
	s = sack_seg(&p, 2 * S, rest, 3, 1);
	input(&s);
	assert_int_equal(tcp_prr(ctx, c)->delivered - before, S);
	/* The holes at 2, 4 and 6 filled: three segments. */
	before = tcp_prr(ctx, c)->delivered;
	s = sack_seg(&p, 7 * S + 1, NULL, 0, 1);
	input(&s);
	assert_int_equal(tcp_prr(ctx, c)->delivered - before, 3 * S);
	/* Up to 9: the rest of 7 is new, segment 8 was delivered before. */
	before = tcp_prr(ctx, c)->delivered;
	s = sack_seg(&p, 9 * S, NULL, 0, 1);
	input(&s);
	assert_true(c->rec_flags & TCP_RF_RECOVERY);
	assert_int_equal(tcp_prr(ctx, c)->delivered - before, S - 1);
}

/*
 * RFC 9937 6.1: RecoverFS is the flight less what the peer held before
 * the ACK that starts the recovery. That ACK here fills the scoreboard
 * and pushes 8..9 out: the bytes the peer held are still 8..9 and three
 * single bytes, not the four bytes the scoreboard holds after it.
 */
static void
test_prr_recover_fs_when_scoreboard_full(void **state)
{
	const uint32_t S = SEG;
	const uint32_t a1[][2] = { { 8 * S, 10 * S } };
	const uint32_t a2[][2] = { { 3 * S, 3 * S + 1 },
				   { 6 * S, 6 * S + 1 },
				   { 8 * S, 10 * S } };
	const uint32_t a3[][2] = { { 1 * S, 1 * S + 1 }, { 5 * S, 5 * S + 1 } };
	struct tcp_conn *c;
	struct peer p;

	(void)state;
	prm.rack = false;
	c = queued_flight(&p);
	sack_bytes_ack(&p, a1, 1);
	sack_bytes_ack(&p, a2, 3);
	assert_false(c->rec_flags & TCP_RF_RECOVERY);
	sack_bytes_ack(&p, a3, 2);
	assert_true(c->rec_flags & TCP_RF_RECOVERY);
	assert_int_equal(c->nsacked, 4);
	/* The flight is twelve: limited transmit sent two. */
	assert_int_equal(c->snd_nxt - c->snd_una, 12 * S);
	assert_int_equal(tcp_prr(ctx, c)->recover_fs, 12 * S - (2 * S + 2));
}

/*
 * Three SACKed duplicate ACKs for segments 1..3 of what is in flight,
 * segment 0 lost: the third enters fast recovery. Returns the
 * segments the last one let out.
 */
static uint32_t
lose_first(struct peer *p, uint32_t una)
{
	uint32_t blk[1][2] = { { una + 1, 0 } }, i, n = 0;

	for (i = 1; i <= 3; i++) {
		blk[0][1] = una + 1 + i;
		n = sack_ack(p, una, (const uint32_t(*)[2])blk, 1);
	}
	return n;
}

/*
 * PRR with tcp.rack off: its state lives beside the send buffer,
 * not in RACK's log, and is set afresh by each recovery. A first
 * recovery ends, every byte is acknowledged and the buffer goes back;
 * new data takes a buffer again, and the second recovery starts from
 * zero: RecoverFS is the new flight, prr_out the one fast retransmit.
 */
static void
test_prr_after_buffer_taken_again(void **state)
{
	static const uint32_t four[][2] = { { 11, 15 } };
	const struct tcp_prr *prr;
	struct peer p;
	struct tcp_conn *c;
	uint32_t i;

	(void)state;
	prm.rack = false;
	prm.congestion = TCP_CC_NEWRENO;
	restart();
	burst(&p, 10);
	c = p.conn;
	now += 10 * MS;
	assert_int_equal(lose_first(&p, 0), 1);
	assert_true(c->rec_flags & TCP_RF_RECOVERY);
	assert_null(tcp_rack_log(ctx, c));
	prr = tcp_prr(ctx, c);
	assert_non_null(prr);
	/* RFC 9937 6.1: the two segments SACKed before are not counted. */
	assert_int_equal(prr->recover_fs, 8 * SEG);
	assert_int_equal(prr->out, SEG);
	assert_int_equal(prr->delivered, SEG);
	/* Everything acknowledged: no recovery, no buffer. */
	send_peer(&p, ACK, c->snd_max, NULL, 0);
	assert_false(c->rec_flags & TCP_RF_RECOVERY);
	assert_int_equal(c->sb, TCP_NONE);
	assert_null(tcp_prr(ctx, c));
	/* cwnd = ssthresh = 5 segments: five go. */
	outq()->n = 0;
	assert_int_equal(tcp_send(ctx, c, zeros, 5 * SEG, now), 5 * SEG);
	assert_int_equal(note_ts(), 5);
	prr = tcp_prr(ctx, c);
	assert_non_null(prr);
	assert_int_equal(prr->out, 0);
	assert_int_equal(prr->delivered, 0);
	now += 10 * MS;
	assert_int_equal(lose_first(&p, 10), 1);
	assert_int_equal(out(0)->seq, our_nxt(&p, 10 * SEG));
	assert_int_equal(cnt()->fast_recovery, 2);
	assert_int_equal(prr->recover_fs, 3 * SEG);
	assert_int_equal(prr->out, SEG);
	assert_int_equal(prr->delivered, SEG);
	/* The fourth SACK lets out what PRR allows, counted from zero. */
	i = sack_ack(&p, 10, four, 1);
	assert_int_equal(prr->delivered, 2 * SEG);
	assert_int_equal(prr->out, SEG + i * SEG);
	send_peer(&p, ACK, c->snd_max, NULL, 0);
	assert_false(c->rec_flags & TCP_RF_RECOVERY);
	assert_int_equal(c->cwnd, c->ssthresh);
}

/*
 * A recovery outlives the send buffer while only our FIN is in flight:
 * the data is all acknowledged (the buffer goes back), the FIN is not.
 * Duplicate ACKs then find no PRR state and no data to send: nothing
 * goes, and nothing is read from a buffer the connection does not
 * have. The timeout resends the FIN; three more duplicates with the FIN
 * alone in flight then start no recovery (RFC 6675 5.1: RecoveryPoint
 * is HighData after a timeout, as RFC 6582 4.1 without SACK), which
 * would send the FIN a second time, and its ACK ends it all.
 */
static void
test_recovery_fin_only_no_buffer(void **state)
{
	struct peer p;
	struct tcp_conn *c;
	uint32_t i;

	(void)state;
	open_peer(&p, 4000, true);
	c = p.conn;
	outq()->n = 0;
	assert_int_equal(tcp_send(ctx, c, zeros, 6 * SEG, now), 6 * SEG);
	tcp_close(ctx, c, true, now);
	/* Six segments, then the FIN alone. */
	assert_int_equal(note_ts(), 7);
	assert_true(out(6)->flags & FIN);
	assert_int_equal(out(6)->len, 0);
	now += 10 * MS;
	lose_first(&p, 0);
	assert_true(c->rec_flags & TCP_RF_RECOVERY);
	assert_non_null(tcp_prr(ctx, c));
	/*
	 * All data acknowledged, the FIN lost: recovery goes on, the FIN
	 * again at once (rexmit_range()).
	 */
	assert_int_equal(send_peer(&p, ACK, our_nxt(&p, 6 * SEG), NULL, 0), 1);
	assert_seg(out(0), ACK | FIN, our_nxt(&p, 6 * SEG), p.seq);
	assert_true(c->rec_flags & TCP_RF_RECOVERY);
	assert_int_equal(c->sb, TCP_NONE);
	assert_null(tcp_prr(ctx, c));
	for (i = 0; i < 3; i++)
		assert_int_equal(sack_ack(&p, 6, NULL, 0), 0);
	assert_true(c->rec_flags & TCP_RF_RECOVERY);
	assert_int_equal(cnt()->fast_recovery, 1);
	/* The timeout: the FIN again, and its ACK ends it all. */
	assert_int_equal(timers_at(now + 1001 * MS), 1);
	assert_true(out(0)->flags & FIN);
	assert_false(c->rec_flags & TCP_RF_RECOVERY);
	for (i = 0; i < 3; i++)
		assert_int_equal(sack_ack(&p, 6, NULL, 0), 0);
	assert_false(c->rec_flags & TCP_RF_RECOVERY);
	assert_int_equal(cnt()->fast_recovery, 1);
	assert_int_equal(cnt()->retransmit, 3);
	assert_null(tcp_prr(ctx, c));
	send_peer(&p, ACK, our_nxt(&p, 6 * SEG + 1), NULL, 0);
	assert_false(c->rec_flags & TCP_RF_RECOVERY);
	assert_int_equal(gauge(TCP_FIN_WAIT_2), 1);
}

/*
 * Only our FIN is in flight (the data acknowledged, the send buffer
 * gone) and the peer sends three duplicate ACKs of it: the third is a
 * fast retransmit, and the segment at SND.UNA (RFC 6675 5 step 4.3,
 * RFC 5681 3.2 step 2) is the FIN: it goes again at once, with SACK as
 * without; more duplicates do not send it again, and its ACK ends the
 * recovery. With SACK it waited for the retransmission timeout, the
 * window cut all the same.
 */
static void
test_fin_only_fast_retransmit(void **state)
{
	struct peer p;
	struct tcp_conn *c;
	uint32_t i, k;

	(void)state;
	for (k = 0; k < 2; k++) {
		prm.sack = k == 0;
		restart();
		burst(&p, 2);
		c = p.conn;
		assert_int_equal(!!(c->flags & TCP_CF_SACK), k == 0);
		outq()->n = 0;
		tcp_close(ctx, c, true, now);
		assert_int_equal(note_ts(), 1);
		now += 10 * MS;
		assert_int_equal(sack_ack(&p, 2, NULL, 0), 0);
		assert_int_equal(c->sb, TCP_NONE);
		now += MS;
		assert_int_equal(sack_ack(&p, 2, NULL, 0), 0);
		assert_int_equal(sack_ack(&p, 2, NULL, 0), 0);
		assert_int_equal(sack_ack(&p, 2, NULL, 0), 1);
		assert_seg(out(0), ACK | FIN, our_nxt(&p, 2 * SEG), p.seq);
		assert_int_equal(out(0)->len, 0);
		assert_true(c->rec_flags & TCP_RF_RECOVERY);
		assert_int_equal(cnt()->fast_recovery, 1);
		assert_int_equal(cnt()->retransmit, 1);
		for (i = 0; i < 3; i++)
			assert_int_equal(sack_ack(&p, 2, NULL, 0), 0);
		now += 10 * MS;
		assert_int_equal(sack_ack(&p, 2, NULL, 0), 0);
		send_peer(&p, ACK, our_nxt(&p, 2 * SEG + 1), NULL, 0);
		assert_false(c->rec_flags & TCP_RF_RECOVERY);
		assert_int_equal(gauge(TCP_FIN_WAIT_2), 1);
		assert_int_equal(cnt()->rto, 0);
	}
}

/*
 * Ten segments and then the FIN alone: segment 0, segment 9 and the FIN
 * are lost, 1..8 SACKed. Fast recovery resends segment 0; its ACK, a
 * partial one with nothing SACKed above it, says the next segment is
 * lost (RFC 6582 3.2 step 5, RFC 6675's NextSeg()), and segment 9 goes
 * at once with the FIN on it (rexmit_fin()), as Linux resends its last
 * skb with the FIN; its ACK ends the recovery, no timeout.
 */
static void
test_last_segment_and_fin_lost_in_sack_recovery(void **state)
{
	static const uint32_t b1[][2] = { { 1, 9 } };
	struct peer p;
	uint32_t i;

	(void)state;
	burst(&p, 10);
	outq()->n = 0;
	tcp_close(ctx, p.conn, true, now);
	assert_int_equal(note_ts(), 1);
	assert_seg(out(0), ACK | FIN, our_nxt(&p, 10 * SEG), p.seq);
	now += 10 * MS;
	/* Eight segments SACKed: lost at once (RFC 6675 4 IsLost()). */
	assert_int_equal(dupack(&p, b1, 1), 1);
	assert_int_equal(cnt()->fast_recovery, 1);
	assert_int_equal(out(0)->seq, our_nxt(&p, 0));
	assert_int_equal(out(0)->len, SEG);
	for (i = 0; i < 2; i++)
		assert_int_equal(dupack(&p, b1, 1), 0);
	now += 10 * MS;
	assert_int_equal(sack_ack(&p, 9, NULL, 0), 1);
	assert_seg(out(0), ACK | FIN, our_nxt(&p, 9 * SEG), p.seq);
	assert_int_equal(out(0)->len, SEG);
	now += 10 * MS;
	send_peer(&p, ACK, our_nxt(&p, 10 * SEG + 1), NULL, 0);
	assert_false(p.conn->rec_flags & TCP_RF_RECOVERY);
	assert_int_equal(gauge(TCP_FIN_WAIT_2), 1);
	assert_int_equal(cnt()->rto, 0);
	assert_int_equal(cnt()->retransmit, 2);
}

/*
 * RFC 6675 with tcp.rack off: one segment SACKed beyond a hole (no
 * recovery yet), then an ACK of all the data and our FIN that repeats
 * the block. Nothing is retransmitted or counted, FIN-WAIT-2 follows,
 * the peer's data there is acknowledged, and its FIN leads to TIME-WAIT.
 */
static void
test_fin_ack_rack_off_scoreboard(void **state)
{
	static const uint32_t b1[][2] = { { 2, 3 } };
	static const uint8_t d[100];
	struct peer p;
	struct tcp_conn *c;
	struct net_seg s;

	(void)state;
	prm.rack = false;
	restart();
	burst(&p, 4);
	c = p.conn;
	outq()->n = 0;
	tcp_close(ctx, c, true, now);
	assert_int_equal(note_ts(), 1);
	now += 10 * MS;
	assert_int_equal(dupack(&p, b1, 1), 0);
	assert_int_equal(c->nsacked, 1);
	s = mkseg(&p, ACK, p.seq, our_nxt(&p, 4 * SEG + 1), NULL, 0);
	s.opts.has |= NET_OPT_SACK;
	s.opts.nsack = 1;
	s.opts.sack[0].start = our_nxt(&p, 2 * SEG);
	s.opts.sack[0].end = our_nxt(&p, 3 * SEG);
	s.opts.tsval = ++p.tsval;
	assert_int_equal(input(&s), 0);
	assert_int_equal(gauge(TCP_FIN_WAIT_2), 1);
	assert_int_equal(cnt()->retransmit, 0);
	assert_int_equal(cnt()->fast_recovery, 0);
	assert_int_equal(cnt()->sack_scoreboard_full, 0);
	assert_int_equal(cnt()->dsack_rx, 0);
	/* Data in FIN-WAIT-2 is acknowledged at once or after the delay. */
	send_peer(&p, ACK, our_nxt(&p, 4 * SEG + 1), d, sizeof(d));
	p.seq += sizeof(d);
	if (outq()->n == 0)
		timers_at(now + 200 * MS);
	assert_int_equal(outq()->n, 1);
	assert_seg(out(0), ACK, our_nxt(&p, 4 * SEG + 1), p.seq);
	assert_int_equal(out(0)->len, 0);
	/* The peer's FIN: TIME-WAIT, one ACK. */
	assert_int_equal(send_peer(&p, ACK | FIN, our_nxt(&p, 4 * SEG + 1),
				   NULL, 0),
			 1);
	assert_seg(out(0), ACK, our_nxt(&p, 4 * SEG + 1), p.seq + 1);
	assert_int_equal(gauge(TCP_TIME_WAIT), 1);
	assert_int_equal(cnt()->retransmit, 0);
}

/*
 * tcp.rack on, our FIN alone in flight (the data acknowledged, the
 * send buffer gone): two duplicate ACKs, then the ACK of the FIN:
 * FIN-WAIT-2, nothing retransmitted, no recovery.
 */
static void
test_fin_ack_fin_only_dupacks(void **state)
{
	struct peer p;
	struct tcp_conn *c;

	(void)state;
	burst(&p, 2);
	c = p.conn;
	outq()->n = 0;
	tcp_close(ctx, c, true, now);
	assert_int_equal(note_ts(), 1);
	now += 10 * MS;
	assert_int_equal(send_peer(&p, ACK, our_nxt(&p, 2 * SEG), NULL, 0), 0);
	assert_int_equal(c->sb, TCP_NONE);
	assert_int_equal(send_peer(&p, ACK, our_nxt(&p, 2 * SEG), NULL, 0), 0);
	assert_int_equal(send_peer(&p, ACK, our_nxt(&p, 2 * SEG), NULL, 0), 0);
	assert_int_equal(c->dupacks, 2);
	assert_int_equal(send_peer(&p, ACK, our_nxt(&p, 2 * SEG + 1), NULL, 0),
			 0);
	assert_int_equal(gauge(TCP_FIN_WAIT_2), 1);
	assert_int_equal(cnt()->retransmit, 0);
	assert_int_equal(cnt()->fast_recovery, 0);
	assert_int_equal(timers_at(now + 2000 * MS), 0);
}

/*
 * tcp.rack on: the ACK of all the data and our FIN. A plain one ends in
 * FIN-WAIT-2 with nothing counted or retransmitted; one that carries a
 * D-SACK (RFC 2883: its first block below SEG.ACK, the peer got a
 * segment twice) still counts it (dsack_rx), though RACK has nothing
 * more to do for the connection.
 */
static void
test_fin_ack_rack_dsack(void **state)
{
	struct peer p;
	struct net_seg s;
	unsigned int i;

	(void)state;
	for (i = 0; i < 2; i++) {
		open_peer(&p, (uint16_t)(4000 + i), true);
		outq()->n = 0;
		assert_int_equal(tcp_send(ctx, p.conn, zeros, 2 * SEG, now),
				 2 * SEG);
		assert_int_equal(note_ts(), 2);
		outq()->n = 0;
		tcp_close(ctx, p.conn, true, now);
		assert_int_equal(note_ts(), 1);
		assert_non_null(tcp_rack_log(ctx, p.conn));
		now += 10 * MS;
		s = mkseg(&p, ACK, p.seq, our_nxt(&p, 2 * SEG + 1), NULL, 0);
		if (i == 1) {
			s.opts.has |= NET_OPT_SACK;
			s.opts.nsack = 1;
			s.opts.sack[0].start = our_nxt(&p, 0);
			s.opts.sack[0].end = our_nxt(&p, SEG);
		}
		s.opts.tsval = ++p.tsval;
		assert_int_equal(input(&s), 0);
		assert_int_equal(gauge(TCP_FIN_WAIT_2), i + 1);
		assert_int_equal(cnt()->dsack_rx, i);
		assert_int_equal(cnt()->retransmit, 0);
		assert_int_equal(cnt()->fast_recovery, 0);
	}
}

/*
 * RFC 9293 3.10.7.4: simultaneous close; the ACK of our FIN in CLOSING
 * carries a new window. TIME-WAIT follows and its reply to a repeated
 * FIN is an ACK of the peer's FIN.
 */
static void
test_closing_fin_ack_window(void **state)
{
	struct peer p;
	struct net_seg s;

	(void)state;
	burst(&p, 1);
	outq()->n = 0;
	tcp_close(ctx, p.conn, true, now);
	assert_int_equal(note_ts(), 1);
	/* The peer's FIN acknowledges our data, not our FIN: CLOSING. */
	assert_int_equal(send_peer(&p, ACK | FIN, our_nxt(&p, SEG), NULL, 0),
			 1);
	assert_int_equal(gauge(TCP_CLOSING), 1);
	p.seq++;
	s = mkseg(&p, ACK, p.seq, our_nxt(&p, SEG + 1), NULL, 0);
	s.wnd = 1000;
	s.opts.tsval = ++p.tsval;
	assert_int_equal(input(&s), 0);
	assert_int_equal(gauge(TCP_CLOSING), 0);
	assert_int_equal(gauge(TCP_TIME_WAIT), 1);
	s = mkseg(&p, ACK | FIN, p.seq - 1, our_nxt(&p, SEG + 1), NULL, 0);
	s.opts.tsval = ++p.tsval;
	assert_int_equal(input(&s), 1);
	assert_int_equal(out(0)->flags, ACK);
	assert_int_equal(out(0)->ack, p.seq);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_fin_acked_after_go_back_n),
		T(test_ack_after_go_back_n_at_snd_max),
		T(test_fin_ack_rack_off_scoreboard),
		T(test_fin_ack_fin_only_dupacks),
		T(test_closing_fin_ack_window),
		T(test_timeouts_beyond_outq),
		T(test_rto_backoff_kept_without_sample),
		T(test_rto_collapses_with_timestamp_sample),
		T(test_rto_3s_after_synack_timeout),
		T(test_rto_sampled_after_synack_timeout),
		T(test_rto_after_synack_timeout_within_max),
		T(test_no_rtt_sample_after_synack_resent_for_syn),
		T(test_syn_again_after_synack_timeout),
		T(test_rto_after_synack_timeouts_kept_above_3s),
		T(test_loss_window_after_synack_resent_twice),
		T(test_newreno_fast_retransmit),
		T(test_newreno_partial_one_byte),
		T(test_newreno_avoidance_counts_bytes),
		T(test_newreno_no_fast_retransmit_after_rto),
		T(test_newreno_dupack_flood_bounded),
		T(test_newreno_dupack_flood_bounded_wrap),
		T(test_newreno_two_losses_dupacks_after_partial),
		T(test_newreno_dupack_bound_per_round),
		T(test_cubic_restart_after_idle),
		T(test_cubic_small_cwnd_after_idle),
		T(test_cc_idle_ssthresh),
		T(test_rto_resets_cwnd_used),
		T(test_cubic_target_capped),
		T(test_cwnd_app_limited_slow_start),
		T(test_cubic_app_limited),
		T(test_cubic_cwnd_limited_grows),
		T(test_cubic_reno_friendly),
		T(test_cubic_reno_friendly_large_window),
		T(test_cubic_reno_friendly_window_of_100),
		T(test_cc_west_shift),
		T(test_newreno_app_limited),
		T(test_cubic_short_pause),
		T(test_no_restart_after_zero_window_probe),
		T(test_restart_after_backed_off_probes),
		T(test_cubic_zero_window_not_in_t),
		T(test_cubic_long_zero_window_not_in_t),
		T(test_sack_holes),
		T(test_sack_fast_retransmit_restarts_rto),
		T(test_newreno_fast_retransmit_restarts_rto),
		T(test_sack_scoreboard_full),
		T(test_rto_skips_sacked),
		T(test_sack_renege_resent),
		T(test_sack_transient_renege),
		T(test_rto_ack_at_sacked_range),
		T(test_rto_resend_stops_at_sacked),
		T(test_rto_sacked_fin_keeps_seq),
		T(test_prr_after_rto_pipe_sane),
		T(test_prr_during_rto_no_double_resend),
		T(test_recovery_after_go_back_n_skips_resent),
		T(test_tail_loss_probe),
		T(test_tail_loss_probe_once_per_flight),
		T(test_tlp_one_segment_waits_delayed_ack),
		T(test_tlp_pto_capped_at_rto),
		T(test_tlp_without_srtt),
		T(test_tlp_nosack_none),
		T(test_tlp_none_while_sacked),
		T(test_tlp_none_in_rto_recovery),
		T(test_tlp_max_retries_zero),
		T(test_tlp_repair_cuts_window),
		T(test_tlp_duplicate_no_cut),
		T(test_tlp_repair_newreno_half_flight),
		T(test_tlp_dsack_on_ack_of_end),
		T(test_tlp_other_dsack_still_cuts),
		T(test_tlp_then_recovery_one_cut),
		T(test_tlp_after_old_pmtu_cuts),
		T(test_tlp_refused_no_cut),
		T(test_cwnd_short_segment_waits),
		T(test_probe_within_sent),
		T(test_rexmit_fits_mss),
		T(test_cwnd_growth_and_cubic_reduction),
		T(test_cubic_fast_convergence),
		T(test_cubic_k_from_cwnd_epoch),
		T(test_cubic_k_zero_above_wmax),
		T(test_cubic_after_timeout),
		T(test_restart_window_after_idle),
		T(test_rack_lost_retransmission),
		T(test_rack_resend_keeps_fin),
		T(test_lone_fin_lost_in_sack_recovery),
		T(test_lone_fin_lost_in_newreno_recovery),
		T(test_rack_off_waits_for_rto),
		T(test_rack_reorder_timer),
		T(test_rack_reordering_within_window),
		T(test_rack_dsack_grows_reo_wnd),
		T(test_rack_tsecr_rejects_original),
		T(test_rack_lost_rxt_ts_recent_echo),
		T(test_rack_reo_persist_rto_recovery),
		T(test_rack_reo_wnd_zero_in_rto_recovery),
		T(test_rack_min_rtt_windowed),
		T(test_rack_min_rtt_after_long_idle),
		T(test_rack_min_rtt_saturates),
		T(test_rack_dsack_at_recovery_end_persist),
		T(test_fin_ack_rack_dsack),
		T(test_rack_rtt_of_acked_range),
		T(test_rack_log_full),
		T(test_rack_log_fresh_after_reuse),
		T(test_rack_ignores_sack_beyond_sent),
		T(test_prr_proportional),
		T(test_prr_crb_then_safe_ack),
		T(test_prr_crb_on_new_loss),
		T(test_prr_safe_ack_rack_late),
		T(test_prr_reenter_counts_delivery),
		T(test_prr_crb_bare_partial),
		T(test_prr_crb_on_lost_rexmit),
		T(test_prr_repeated_ack_no_extra_smss),
		T(test_prr_scoreboard_cycle_not_delivered_twice),
		T(test_prr_forgotten_block_holds_nothing_back),
		T(test_prr_recover_fs_when_scoreboard_full),
		T(test_prr_after_buffer_taken_again),
		T(test_recovery_fin_only_no_buffer),
		T(test_fin_only_fast_retransmit),
		T(test_last_segment_and_fin_lost_in_sack_recovery),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
