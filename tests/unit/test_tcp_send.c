/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * TCP unit tests of the send path: retransmission with backoff, the
 * peer's window, zero window probes, the send ring, old ACKs.
 */
#include "tcp_test.h"
#include "tcp_internal.h"
#include "test_rng.h"

/* ---- retransmission and windows ---- */

static void
pattern(uint8_t *b, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		b[i] = (uint8_t)(i * 7 + 3);
}

static void
check_payload(const struct tcp_out *o, const uint8_t *src, uint32_t off)
{
	const uint8_t *ptr[2];
	uint32_t len[2], got = 0;
	unsigned int n, i;

	n = tcp_out_payload(ctx, o, ptr, len);
	assert_true(n >= 1);
	for (i = 0; i < n; i++) {
		assert_memory_equal(ptr[i], src + off + got, len[i]);
		got += len[i];
	}
	assert_int_equal(got, o->len);
}

/*
 * The first segment queued is data from the peer's view: flags, bytes
 * [off, off + len) of what was sent, b holding what was sent from 0.
 */
static void
assert_data(const struct peer *p, const uint8_t *b, uint8_t flags, uint32_t off,
	    uint32_t len)
{
	assert_seg(out(0), flags, our_nxt(p, off), p->seq);
	assert_int_equal(out(0)->len, len);
	check_payload(out(0), b, off);
}

static void
test_data_retransmit(void **state)
{
	static uint8_t b[3000];
	struct peer p;
	uint64_t t;

	(void)state;
	pattern(b, sizeof(b));
	open_peer(&p, 40000, true);
	outq()->n = 0;
	t = now;
	assert_int_equal(tcp_send(ctx, p.conn, b, 3000, now), 3000);
	assert_int_equal(outq()->n, 3);
	assert_int_equal(out(0)->len, 1448);
	check_payload(out(1), b, 1448);
	/* The first segment is acked; the rest is lost. */
	now += 10 * MS;
	assert_int_equal(send_peer(&p, ACK, our_nxt(&p, 1448), NULL, 0), 0);
	t = now;
	assert_int_equal(timers_at(t + 200 * MS - 1), 0);
	assert_int_equal(timers_at(t + 200 * MS), 1);
	assert_data(&p, b, ACK, 1448, 1448);
	assert_int_equal(cnt()->retransmit, 1);
	/* Its ACK releases the rest (go-back-N). */
	now += 1 * MS;
	assert_int_equal(send_peer(&p, ACK, our_nxt(&p, 2896), NULL, 0), 1);
	assert_int_equal(out(0)->seq, our_nxt(&p, 2896));
	assert_int_equal(out(0)->len, 104);
	check_payload(out(0), b, 2896);
	assert_int_equal(send_peer(&p, ACK, our_nxt(&p, 3000), NULL, 0), 0);
	assert_int_equal(timers_at(now + 10000 * MS), 0);
}

/*
 * The peer's window bounds what is sent: two segments' worth, then what
 * its next window takes (whole segments, or all that is left: SWS
 * avoidance holds back no segment here).
 */
static void
test_send_window(void **state)
{
	static uint8_t b[3000];
	const uint32_t m = PEER_DEFAULT_MSS, w = 2 * m;
	const uint32_t rest = 3000 - w < w ? 3000 - w : w;
	struct peer p;
	struct net_seg s;

	(void)state;
	pattern(b, sizeof(b));
	open_peer(&p, 40000, false);
	/* The peer shrinks its window to two segments. */
	s = mkseg(&p, ACK, p.seq, our_nxt(&p, 0), NULL, 0);
	s.wnd = (uint16_t)w;
	input(&s);
	outq()->n = 0;
	assert_int_equal(tcp_send(ctx, p.conn, b, 3000, now), 3000);
	assert_int_equal(outq()->n, 2);
	assert_int_equal(outq_bytes(), w);
	/* ACK of both with the same window: the rest, up to w more. */
	s = mkseg(&p, ACK, p.seq, our_nxt(&p, w), NULL, 0);
	s.wnd = (uint16_t)w;
	assert_int_equal(input(&s), (rest + m - 1) / m);
	assert_int_equal(out(0)->seq, our_nxt(&p, w));
	assert_int_equal(outq_bytes(), rest);
	check_payload(out(outq()->n - 1), b, w + (outq()->n - 1) * m);
}

static void
test_zero_window_probe(void **state)
{
	static uint8_t b[100];
	struct peer p;
	struct net_seg s;
	uint64_t t;

	(void)state;
	open_peer(&p, 40000, false);
	s = mkseg(&p, ACK, p.seq, our_nxt(&p, 0), NULL, 0);
	s.wnd = 0;
	input(&s);
	outq()->n = 0;
	t = now;
	assert_int_equal(tcp_send(ctx, p.conn, b, 100, now), 100);
	assert_int_equal(outq()->n, 0);
	/* RTO is 200 ms after the handshake sample. */
	assert_int_equal(timers_at(t + 200 * MS - 1), 0);
	assert_int_equal(timers_at(t + 200 * MS), 1);
	assert_int_equal(out(0)->len, 1);
	assert_int_equal(out(0)->seq, our_nxt(&p, 0));
	assert_int_equal(cnt()->zero_window_probe, 1);
	/* Backoff: the next probe 400 ms later. */
	assert_int_equal(timers_at(t + 600 * MS - 1), 0);
	assert_int_equal(timers_at(t + 600 * MS), 1);
	assert_int_equal(cnt()->zero_window_probe, 2);
	/* The window opens with the probe byte acked: the rest goes. */
	s = mkseg(&p, ACK, p.seq, our_nxt(&p, 1), NULL, 0);
	s.wnd = 1000;
	assert_int_equal(input(&s), 1);
	assert_int_equal(out(0)->seq, our_nxt(&p, 1));
	assert_int_equal(out(0)->len, 99);
	assert_int_equal(gauge(TCP_ESTABLISHED), 1);
}

/*
 * The peer answers each zero window probe with an ACK of SND.UNA and
 * its window still zero. The probe byte is outstanding, so by RFC 5681's
 * letter each answer is a duplicate ACK; but a refused probe is not a
 * lost segment (RFC 9293 3.8.6.1), so three answers must not enter
 * fast recovery (halving cwnd) nor resend the byte at once, beside the
 * persist timer's schedule. As BSD, which counts duplicate ACKs only
 * while the retransmission timer runs, not the persist timer.
 */
static void
test_zero_window_probe_answers_not_dupacks(void **state)
{
	static uint8_t b[100];
	struct peer p;
	struct net_seg s;
	uint32_t i, cwnd;

	(void)state;
	open_peer(&p, 40000, true);
	s = mkseg(&p, ACK, p.seq, our_nxt(&p, 0), NULL, 0);
	s.wnd = 0;
	input(&s);
	assert_int_equal(tcp_send(ctx, p.conn, b, 100, now), 100);
	assert_int_equal(outq()->n, 0);
	cwnd = p.conn->cwnd;
	for (i = 0; i < 5; i++) {
		assert_int_equal(timers_at(p.conn->t_persist), 1);
		assert_int_equal(out(0)->len, 1);
		assert_int_equal(out(0)->seq, our_nxt(&p, 0));
		s = mkseg(&p, ACK, p.seq, our_nxt(&p, 0), NULL, 0);
		s.wnd = 0;
		assert_int_equal(input(&s), 0);
	}
	assert_int_equal(cnt()->zero_window_probe, 5);
	assert_int_equal(cnt()->fast_recovery, 0);
	assert_int_equal(cnt()->retransmit, 0);
	assert_int_equal(p.conn->cwnd, cwnd);
	/* The window opens: the data goes, all 100 bytes. */
	s = mkseg(&p, ACK, p.seq, our_nxt(&p, 0), NULL, 0);
	s.wnd = 1000;
	assert_int_equal(input(&s), 1);
	assert_int_equal(out(0)->seq, our_nxt(&p, 0));
	assert_int_equal(out(0)->len, 100);
}

static void
test_data_abort_after_retries(void **state)
{
	static uint8_t b[10];
	struct peer p;
	uint64_t t;

	(void)state;
	open_peer(&p, 40000, true);
	t = now;
	tcp_send(ctx, p.conn, b, 10, now);
	timers_at(t + 200 * MS);
	timers_at(t + 600 * MS);
	timers_at(t + 1400 * MS);
	assert_int_equal(cnt()->retransmit, 3);
	assert_int_equal(timers_at(t + 3000 * MS), 1);
	assert_int_equal(out(0)->flags, RST | ACK);
	assert_int_equal(cnt()->retransmit_abort, 1);
	assert_int_equal(gauge(TCP_ESTABLISHED), 0);
}

/* Every queued payload matches the stream at its sequence number. */
static uint32_t
check_stream(const struct peer *p, const uint8_t *stream)
{
	const uint8_t *ptr[2];
	uint32_t len[2], i, two = 0;

	for (i = 0; i < outq()->n; i++) {
		check_payload(out(i), stream, out(i)->seq - (p->iss + 1));
		if (tcp_out_payload(ctx, out(i), ptr, len) == 2)
			two++;
	}
	return two;
}

static void
test_send_ring_wraps(void **state)
{
	static uint8_t b[40000];
	struct peer p;
	uint32_t i;

	(void)state;
	pattern(b, sizeof(b));
	for (i = 0; i < sizeof(b); i++)
		b[i] ^= (uint8_t)(i >> 8);
	/* With options: the initial window (RFC 6928) takes 10000 bytes. */
	open_peer(&p, 40000, true);
	assert_int_equal(tcp_send(ctx, p.conn, b, 10000, now), 10000);
	assert_int_equal(send_peer(&p, ACK, our_nxt(&p, 10000), NULL, 0), 0);
	/* The buffer went back to the pool; take one again and fill it. */
	outq()->n = 0;
	assert_int_equal(tcp_send(ctx, p.conn, b + 10000, 10000, now), 10000);
	assert_int_equal(tcp_send(ctx, p.conn, b + 20000, 5000, now), 5000);
	assert_int_equal(tcp_send_space(ctx, p.conn), 1384);
	assert_true(outq()->n > 0);
	assert_int_equal(check_stream(&p, b), 0);
	/* Acknowledge 10000 and send more: the ring wraps. */
	assert_int_equal(send_peer(&p, ACK, our_nxt(&p, 20000), NULL, 0), 0);
	assert_int_equal(tcp_send_space(ctx, p.conn), 11384);
	outq()->n = 0;
	assert_int_equal(tcp_send(ctx, p.conn, b + 25000, 12000, now), 11384);
	assert_true(outq()->n > 0);
	assert_int_equal(check_stream(&p, b), 1);
}

static void
test_old_ack_dropped(void **state)
{
	static uint8_t b[100];
	struct peer p;
	struct net_seg s;

	(void)state;
	open_peer(&p, 40000, false);
	/* A tiny MAX.SND.WND makes an old ACK easy to reach. */
	s = mkseg(&p, ACK, p.seq, our_nxt(&p, 0) - 70000, b, 10);
	assert_int_equal(input(&s), 1);
	assert_seg(out(0), ACK, our_nxt(&p, 0), p.seq);
	assert_int_equal(cnt()->drop_old_ack, 1);
	assert_int_equal(app.rx_len, 0);
}

/*
 * The send loop sends what the window allows and stops: with the
 * application's close queued behind its data, the FIN rides on the last
 * data segment and nothing follows it; held back by the peer's window,
 * neither the rest nor the FIN goes until the window opens.
 */
static void
test_send_loop_stops(void **state)
{
	static uint8_t b[4096];
	const uint32_t m = PEER_DEFAULT_MSS, len = 2 * m + 100;
	struct peer p, q;
	struct net_seg s;

	(void)state;
	pattern(b, sizeof(b));
	/* Echoed data, then the close the peer's FIN draws: one flight. */
	open_peer(&p, 40000, false);
	app.echo = true;
	app.close_on_fin = true;
	s = mkseg(&p, ACK | FIN, p.seq, our_nxt(&p, 0), b, len);
	assert_int_equal(input(&s), 3);
	assert_seg(out(0), ACK, our_nxt(&p, 0), p.seq + len + 1);
	assert_int_equal(out(0)->len, m);
	assert_int_equal(out(1)->len, m);
	assert_seg(out(2), ACK | FIN | NET_TCP_PSH, our_nxt(&p, 2 * m),
		   p.seq + len + 1);
	assert_int_equal(out(2)->len, 100);
	assert_int_equal(tcp_conn_state(p.conn), TCP_LAST_ACK);
	app.echo = false;
	app.close_on_fin = false;
	/* The peer's window takes 2 * m bytes of 3 * m + 10. */
	open_peer(&q, 40001, false);
	s = mkseg(&q, ACK, q.seq, our_nxt(&q, 0), NULL, 0);
	s.wnd = (uint16_t)(2 * m);
	assert_int_equal(input(&s), 0);
	outq()->n = 0;
	assert_int_equal(tcp_send(ctx, q.conn, b, 3 * m + 10, now), 3 * m + 10);
	assert_int_equal(outq()->n, 2);
	assert_int_equal(out(0)->len, m);
	assert_seg(out(1), ACK, our_nxt(&q, m), q.seq);
	assert_int_equal(out(1)->len, m);
	outq()->n = 0;
	tcp_close(ctx, q.conn, true, now);
	assert_int_equal(outq()->n, 0);
	/* The window opens: the rest, the FIN on its last segment. */
	s = mkseg(&q, ACK, q.seq, our_nxt(&q, 2 * m), NULL, 0);
	assert_int_equal(input(&s), 2);
	assert_int_equal(out(0)->len, m);
	assert_seg(out(1), ACK | FIN | NET_TCP_PSH, our_nxt(&q, 3 * m), q.seq);
	assert_int_equal(out(1)->len, 10);
}

/*
 * ---- sender SWS avoidance (RFC 9293 3.8.6.2.1, MUST-38) ----
 *
 * With D bytes queued and unsent and a usable window U, new data goes
 * when min(D, U) >= MSS, when D <= U (every write is a push), when
 * min(D, U) >= Max(SND.WND) / 2, or when the override timeout (the RTO,
 * 200 ms here, within 0.1 to 1 s) expires with nothing in flight.
 */

/*
 * The SWS tests' start: a connection whose peer offers wnd (0: a zero
 * window), then 1000 bytes of b[1000] (filled with the pattern) sent
 * into it from an empty output queue. Returns the time they were sent.
 */
static uint64_t
sws_send_1000(struct peer *p, uint8_t *b, uint16_t wnd)
{
	pattern(b, 1000);
	open_peer(p, 40000, false);
	assert_int_equal(peer_wnd(p, our_nxt(p, 0), wnd), 0);
	outq()->n = 0;
	assert_int_equal(tcp_send(ctx, p->conn, b, 1000, now), 1000);
	return now;
}

/*
 * 1000 bytes for a window of 100 (of 65535 offered before): nothing goes
 * until the override timeout, then one segment of min(D, U) = 100, and
 * the same again after its ACK offers 100 more. A window of an MSS then
 * sends at once.
 */
static void
test_sws_small_window_waits(void **state)
{
	static uint8_t b[1000];
	const uint32_t m = PEER_DEFAULT_MSS;
	struct peer p;
	uint64_t t;

	(void)state;
	t = sws_send_1000(&p, b, 100);
	assert_int_equal(outq()->n, 0);
	assert_int_equal(timers_at(t + 200 * MS - 1), 0);
	assert_int_equal(timers_at(t + 200 * MS), 1);
	assert_data(&p, b, ACK, 0, 100);
	assert_int_equal(cnt()->sws_override, 1);
	assert_int_equal(cnt()->zero_window_probe, 0);
	/* Its ACK offers 100 again: the rest waits for the timeout anew. */
	now += 5 * MS;
	t = now;
	assert_int_equal(peer_wnd(&p, our_nxt(&p, 100), 100), 0);
	assert_int_equal(timers_at(t + 200 * MS - 1), 0);
	assert_int_equal(timers_at(t + 200 * MS), 1);
	assert_data(&p, b, ACK, 100, 100);
	assert_int_equal(cnt()->sws_override, 2);
	/* A window of a full segment: sent at once. */
	now += 5 * MS;
	assert_int_equal(peer_wnd(&p, our_nxt(&p, 200), (uint16_t)m), 1);
	assert_seg(out(0), ACK | (m >= 800 ? NET_TCP_PSH : 0), our_nxt(&p, 200),
		   p.seq);
	assert_int_equal(out(0)->len, m < 800 ? m : 800);
	check_payload(out(0), b, 200);
	assert_int_equal(cnt()->sws_override, 2);
	assert_int_equal(cnt()->retransmit, 0);
}

/*
 * Window updates that leave the window small do not put the override
 * off: it comes 200 ms after the data was first held, with what the
 * last update offers.
 */
static void
test_sws_updates_keep_timeout(void **state)
{
	static uint8_t b[1000];
	struct peer p;
	uint64_t t;

	(void)state;
	t = sws_send_1000(&p, b, 100);
	assert_int_equal(outq()->n, 0);
	now = t + 100 * MS;
	assert_int_equal(peer_wnd(&p, our_nxt(&p, 0), 150), 0);
	now = t + 150 * MS;
	assert_int_equal(peer_wnd(&p, our_nxt(&p, 0), 200), 0);
	assert_int_equal(timers_at(t + 200 * MS), 1);
	assert_seg(out(0), ACK, our_nxt(&p, 0), p.seq);
	assert_int_equal(out(0)->len, 200);
	assert_int_equal(cnt()->sws_override, 1);
}

/*
 * RFC 9293 3.8.6.2.1 (3): U >= Max(SND.WND) / 2 sends at once. The peer
 * offered 600 at most: a window of 299 holds 1000 bytes back, one of 300
 * (half of 600, under an MSS) sends 300 at once.
 */
static void
test_sws_half_max_window(void **state)
{
	static uint8_t b[1000];
	struct peer p;

	(void)state;
	pattern(b, sizeof(b));
	open_wnd(&p, 40000, 600);
	assert_int_equal(peer_wnd(&p, our_nxt(&p, 0), 299), 0);
	outq()->n = 0;
	assert_int_equal(tcp_send(ctx, p.conn, b, 1000, now), 1000);
	assert_int_equal(outq()->n, 0);
	now += 1 * MS;
	assert_int_equal(peer_wnd(&p, our_nxt(&p, 0), 300), 1);
	assert_data(&p, b, ACK, 0, 300);
	assert_int_equal(cnt()->sws_override, 0);
}

/*
 * RFC 9293 3.8.6.2.1 (2): pushed data that fits whole goes at once. 80
 * bytes wait for a window of 50; a window of 100 sends all 80 (PSH)
 * before the override timeout.
 */
static void
test_sws_all_fits(void **state)
{
	static uint8_t b[80];
	struct peer p;

	(void)state;
	pattern(b, sizeof(b));
	open_peer(&p, 40000, false);
	assert_int_equal(peer_wnd(&p, our_nxt(&p, 0), 50), 0);
	outq()->n = 0;
	assert_int_equal(tcp_send(ctx, p.conn, b, 80, now), 80);
	assert_int_equal(outq()->n, 0);
	now += 1 * MS;
	assert_int_equal(peer_wnd(&p, our_nxt(&p, 0), 100), 1);
	assert_data(&p, b, ACK | NET_TCP_PSH, 0, 80);
	assert_int_equal(cnt()->sws_override, 0);
}

/*
 * The FIN behind held data: in FIN_WAIT_1 (we closed first) and in
 * LAST_ACK (the echo closes on the peer's FIN), 300 bytes wait for a
 * window of 100, the override sends 100, and once the window takes the
 * other 200 they go at once with the FIN; its ACK ends the connection.
 */
static void
sws_fin_rest(struct peer *p, uint32_t ack)
{
	now += 5 * MS;
	assert_int_equal(peer_wnd(p, our_nxt(p, 100), 200), 1);
	assert_seg(out(0), ACK | FIN | NET_TCP_PSH, our_nxt(p, 100), ack);
	assert_int_equal(out(0)->len, 200);
	now += 5 * MS;
	assert_int_equal(peer_wnd(p, our_nxt(p, 301), 200), 0);
}

static void
test_sws_fin_waits_for_data(void **state)
{
	static uint8_t b[300];
	struct peer p, q;
	struct net_seg s;
	uint64_t t;

	(void)state;
	pattern(b, sizeof(b));
	/* FIN_WAIT_1. */
	open_peer(&p, 40000, false);
	assert_int_equal(peer_wnd(&p, our_nxt(&p, 0), 100), 0);
	outq()->n = 0;
	t = now;
	assert_int_equal(tcp_send(ctx, p.conn, b, 300, now), 300);
	tcp_close(ctx, p.conn, true, now);
	assert_int_equal(outq()->n, 0);
	assert_int_equal(tcp_conn_state(p.conn), TCP_FIN_WAIT_1);
	assert_int_equal(timers_at(t + 200 * MS), 1);
	assert_seg(out(0), ACK, our_nxt(&p, 0), p.seq);
	assert_int_equal(out(0)->len, 100);
	sws_fin_rest(&p, p.seq);
	assert_int_equal(tcp_conn_state(p.conn), TCP_FIN_WAIT_2);
	/* LAST_ACK: 300 bytes and a FIN echoed into a window of 100. */
	app.echo = true;
	app.close_on_fin = true;
	open_peer(&q, 40001, false);
	t = now;
	s = mkseg(&q, ACK | FIN, q.seq, our_nxt(&q, 0), b, 300);
	s.wnd = 100;
	/* Only the ACK of the data and the FIN. */
	assert_int_equal(input(&s), 1);
	assert_seg(out(0), ACK, our_nxt(&q, 0), q.seq + 301);
	assert_int_equal(out(0)->len, 0);
	q.seq += 301;
	assert_int_equal(tcp_conn_state(q.conn), TCP_LAST_ACK);
	assert_int_equal(timers_at(t + 200 * MS), 1);
	assert_seg(out(0), ACK, our_nxt(&q, 0), q.seq);
	assert_int_equal(out(0)->len, 100);
	check_payload(out(0), b, 0);
	sws_fin_rest(&q, q.seq);
	assert_int_equal(gauge(TCP_LAST_ACK), 0);
	assert_int_equal(cnt()->sws_override, 2);
}

/*
 * Zero window probing is untouched, and a window that then opens to
 * less than an MSS of 999 bytes left waits for the override timeout,
 * not the probe's backoff.
 */
static void
test_sws_after_zero_window(void **state)
{
	static uint8_t b[1000];
	struct peer p;
	uint64_t t;

	(void)state;
	t = sws_send_1000(&p, b, 0);
	assert_int_equal(outq()->n, 0);
	assert_int_equal(timers_at(t + 200 * MS), 1);
	assert_int_equal(out(0)->len, 1);
	assert_int_equal(cnt()->zero_window_probe, 1);
	/* The probe byte is taken, the window opens to 100. */
	now = t + 210 * MS;
	t = now;
	assert_int_equal(peer_wnd(&p, our_nxt(&p, 1), 100), 0);
	/* Not the probe's backoff (400 ms): the override, 200 ms. */
	assert_int_equal(timers_at(t + 200 * MS - 1), 0);
	assert_int_equal(timers_at(t + 200 * MS), 1);
	assert_data(&p, b, ACK, 1, 100);
	assert_int_equal(cnt()->sws_override, 1);
	assert_int_equal(cnt()->zero_window_probe, 1);
	/* The window closes again: probes as before. */
	now += 5 * MS;
	t = now;
	assert_int_equal(peer_wnd(&p, our_nxt(&p, 101), 0), 0);
	assert_int_equal(timers_at(t + 200 * MS), 1);
	assert_int_equal(out(0)->len, 1);
	assert_int_equal(out(0)->seq, our_nxt(&p, 101));
	assert_int_equal(cnt()->zero_window_probe, 2);
	assert_int_equal(cnt()->sws_override, 1);
}

/*
 * SWS avoidance holds back new data only: a timeout's resend into a
 * window the peer shrank to 100 goes at once (100 bytes of what was sent).
 */
static void
test_sws_retransmit_not_held(void **state)
{
	static uint8_t b[1000];
	struct peer p;
	uint64_t t;

	(void)state;
	pattern(b, sizeof(b));
	open_peer(&p, 40000, false);
	outq()->n = 0;
	t = now;
	assert_int_equal(tcp_send(ctx, p.conn, b, 1000, now), 1000);
	assert_int_equal(outq_bytes(), 1000);
	assert_int_equal(peer_wnd(&p, our_nxt(&p, 0), 100), 0);
	assert_int_equal(timers_at(t + 200 * MS), 1);
	assert_data(&p, b, ACK, 0, 100);
	assert_int_equal(cnt()->retransmit, 1);
	assert_int_equal(cnt()->sws_override, 0);
}

/*
 * The send ring at every head position, fill and offset against a model
 * (a ring of 16 bytes): write, read at each offset and length, consume.
 * The wrap points are where an off-by-one in the position arithmetic
 * would show.
 */
#define RING 16u

static void
ring_check_read(const struct tcp_conn *conn, const uint8_t *model)
{
	const uint8_t *ptr[2];
	uint32_t plen[2], off, len, i, got;
	unsigned int n;

	for (off = 0; off <= conn->sb_len; off++)
		for (len = 1; len <= conn->sb_len - off; len++) {
			n = tcp_sb_read(ctx, conn, off, len, ptr, plen);
			assert_true(n == 1 || n == 2);
			got = 0;
			for (i = 0; i < n; i++) {
				assert_true(plen[i] > 0);
				assert_memory_equal(ptr[i],
						    model + conn->sb_head +
							    off + got,
						    plen[i]);
				got += plen[i];
			}
			assert_int_equal(got, len);
		}
}

static void
test_send_ring_positions(void **state)
{
	uint8_t model[3 * RING], data[RING];
	struct tcp_conn conn;
	uint32_t head, fill, n, i;

	(void)state;
	tcp_ctx_destroy(ctx);
	prm.snd_buf = RING;
	start();
	for (head = 0; head < RING; head++)
		for (fill = 0; fill <= RING; fill++) {
			memset(&conn, 0, sizeof(conn));
			conn.sb = TCP_NONE;
			assert_true(tcp_sb_get(ctx, &conn));
			/* Move the head: fill head bytes, consume them. */
			assert_int_equal(tcp_sb_write(ctx, &conn, data, head),
					 head);
			tcp_sb_consume(ctx, &conn, head);
			assert_int_equal(conn.sb_head, head);
			for (i = 0; i < RING; i++)
				data[i] = (uint8_t)(head * 31 + fill * 7 + i);
			n = tcp_sb_write(ctx, &conn, data, RING);
			assert_int_equal(n, RING);
			/* model[head + i]: byte i of the ring's contents. */
			memcpy(model + head, data, RING);
			ring_check_read(&conn, model);
			tcp_sb_consume(ctx, &conn, RING - fill);
			assert_int_equal(conn.sb_head,
					 (head + RING - fill) % RING);
			assert_int_equal(conn.sb_len, fill);
			memmove(model + conn.sb_head,
				model + head + RING - fill, fill);
			/* Refill behind what is left: the tail wraps. */
			n = tcp_sb_write(ctx, &conn, data, RING);
			assert_int_equal(n, RING - fill);
			memcpy(model + conn.sb_head + fill, data, n);
			ring_check_read(&conn, model);
			tcp_sb_put(ctx, &conn);
		}
}

/*
 * tcp_out_purge() against the plain compaction it must equal: on random
 * queues of segments of a few connections, payload or not, the same
 * segments stay, in their order, and seg_out drops by those removed.
 */
static void
purge_model(struct tcp_outq *q, uint32_t conn_idx, uint64_t *seg_out)
{
	uint32_t i, j = 0;

	for (i = 0; i < q->n; i++) {
		if (q->seg[i].conn == conn_idx && q->seg[i].len > 0) {
			(*seg_out)--;
			continue;
		}
		q->seg[j++] = q->seg[i];
	}
	q->n = j;
}

static void
test_out_purge_matches_model(void **state)
{
	static struct tcp_outq want;
	struct tcp_outq *q = outq();
	uint32_t round, i, victim;
	uint64_t seg_out;

	(void)state;
	for (round = 0; round < 20000; round++) {
		q->n = rng() % (TCP_OUTQ_SIZE + 1);
		for (i = 0; i < q->n; i++) {
			memset(&q->seg[i], 0, sizeof(q->seg[i]));
			q->seg[i].conn = rng() % 4 == 0 ? TCP_NONE : rng() % 3;
			q->seg[i].len = rng() % 3 == 0 ? 0 : rng() % 1500 + 1;
			q->seg[i].seq = round * TCP_OUTQ_SIZE + i;
		}
		victim = rng() % 3;
		ctx->cnt.seg_out = 1000;
		seg_out = 1000;
		memcpy(&want, q, sizeof(want));
		purge_model(&want, victim, &seg_out);
		tcp_out_purge(ctx, victim);
		assert_int_equal(q->n, want.n);
		assert_memory_equal(q->seg, want.seg,
				    want.n * sizeof(q->seg[0]));
		assert_int_equal(ctx->cnt.seg_out, seg_out);
	}
	q->n = 0;
}

/*
 * tcp_outq(), in line in tcp.h, is the queue the state machine fills:
 * a segment pushed is the one the glue finds.
 */
static void
test_outq_is_the_contexts(void **state)
{
	struct tcp_out *o;

	(void)state;
	assert_ptr_equal(tcp_outq(ctx), &ctx->outq);
	ctx->outq.n = 0;
	o = tcp_out_push(ctx);
	assert_non_null(o);
	o->seq = 12345;
	assert_int_equal(tcp_outq(ctx)->n, 1);
	assert_ptr_equal(&tcp_outq(ctx)->seg[0], o);
	assert_int_equal(tcp_outq(ctx)->seg[0].seq, 12345);
	ctx->outq.n = 0;
}

/*
 * A zero window probe byte the peer refused is not sent again on its
 * own: when the window opens to 100 it is new data again, held by SWS
 * avoidance with the rest, and goes as part of a 100-byte segment, not
 * as a 1-byte resend.
 */
static void
test_sws_refused_probe_byte_held(void **state)
{
	static uint8_t b[1000];
	struct peer p;
	uint64_t t;

	(void)state;
	t = sws_send_1000(&p, b, 0);
	assert_int_equal(timers_at(t + 200 * MS), 1);
	assert_int_equal(out(0)->len, 1);
	assert_int_equal(cnt()->zero_window_probe, 1);
	/* The probe byte not taken (ACK of 0), a window of 100. */
	now = t + 210 * MS;
	t = now;
	outq()->n = 0;
	assert_int_equal(peer_wnd(&p, our_nxt(&p, 0), 100), 0);
	assert_int_equal(timers_at(t + 200 * MS - 1), 0);
	assert_int_equal(timers_at(t + 200 * MS), 1);
	assert_data(&p, b, ACK, 0, 100);
	assert_int_equal(cnt()->sws_override, 1);
	assert_int_equal(cnt()->retransmit, 0);
}

/*
 * The override timeout runs from when the data began to wait, not from
 * an earlier hold: a hold ended by a window that opened wide leaves no
 * deadline that could cut a later one short.
 */
static void
test_sws_earlier_hold_not_carried(void **state)
{
	static uint8_t b[2000];
	struct peer p;
	uint64_t t, t2;

	(void)state;
	t = sws_send_1000(&p, b, 100);
	assert_int_equal(outq()->n, 0);
	/* The window opens wide (not from zero): all 1000 go. */
	now = t + 50 * MS;
	assert_true(peer_wnd(&p, our_nxt(&p, 0), 65535) >= 1);
	now = t + 60 * MS;
	assert_int_equal(peer_wnd(&p, our_nxt(&p, 1000), 100), 0);
	/* New data meets a window of 100: held anew, for 200 ms. */
	now = t + 150 * MS;
	t2 = now;
	outq()->n = 0;
	assert_int_equal(tcp_send(ctx, p.conn, b + 1000, 1000, now), 1000);
	assert_int_equal(outq()->n, 0);
	assert_int_equal(timers_at(t + 200 * MS), 0);
	assert_int_equal(timers_at(t2 + 200 * MS - 1), 0);
	assert_int_equal(timers_at(t2 + 200 * MS), 1);
	assert_data(&p, b, ACK, 1000, 100);
	assert_int_equal(cnt()->sws_override, 1);
}

/*
 * A window that flips between 100 and 0 every 50 ms, faster than the
 * override timeout, cannot put the data off: every 100 bytes go at
 * most 300 ms after the last: the window closed when they meet it (50
 * ms; a zero window is not a hold), the timeout (200 ms), the window
 * closed when it expires (50 ms). All go in segments of 100 (the
 * window), none resent; the zero window meanwhile draws probes.
 */
static void
test_sws_flipping_window_cannot_postpone(void **state)
{
	static uint8_t b[1000];
	struct peer p;
	uint64_t t;
	uint32_t i, j, got = 0, segs = 0;

	(void)state;
	t = sws_send_1000(&p, b, 100);
	for (i = 1; i <= 200 && got < 1000; i++) {
		timers_at(t + i * 50 * MS);
		peer_wnd(&p, our_nxt(&p, got), (i & 1) ? 0 : 100);
		for (j = 0; j < outq()->n; j++) {
			if (out(j)->len <= 1)
				continue; /* a probe, or an ACK */
			assert_int_equal(out(j)->seq, our_nxt(&p, got));
			assert_int_equal(out(j)->len, 100);
			check_payload(out(j), b, got);
			got += 100;
			segs++;
		}
		outq()->n = 0;
	}
	assert_int_equal(got, 1000);
	assert_true(now - t <= 10 * 300 * MS);
	assert_int_equal(segs, 10);
	assert_int_equal(cnt()->retransmit, 0);
	assert_true(cnt()->sws_override >= 1);
	assert_true(cnt()->zero_window_probe >= 1);
}

/*
 * A hold that outlives 2^31 ms (a zero window answered for 25 days) is
 * long over, not just begun: the held bytes go once a small window
 * opens, as they would after a day.
 * The send deadline (tcp.send_timeout_ms), which would reset such a peer
 * after a minute, is off: this tests the hold's clock, not that bound.
 */
static void
test_sws_hold_over_24_days(void **state)
{
	static uint8_t b[1000];
	const uint64_t day = 86400000ull * MS;
	struct peer p;
	uint64_t t;
	uint32_t i;

	(void)state;
	prm.send_timeout_ms = 0;
	restart();
	t = sws_send_1000(&p, b, 100);
	assert_int_equal(outq()->n, 0);
	now = t + 50 * MS;
	assert_int_equal(peer_wnd(&p, our_nxt(&p, 0), 0), 0);
	/* The persist timer probes and the peer answers window 0. */
	for (i = 0; i < 100000 && now < t + 25 * day; i++) {
		assert_true(p.conn->t_persist != 0);
		timers_at(p.conn->t_persist);
		peer_wnd(&p, our_nxt(&p, 0), 0);
		outq()->n = 0;
	}
	assert_true(now >= t + 25 * day);
	now += MS;
	assert_int_equal(peer_wnd(&p, our_nxt(&p, 0), 100), 1);
	assert_int_equal(out(0)->seq, our_nxt(&p, 0));
	assert_int_equal(out(0)->len, 100);
	check_payload(out(0), b, 0);
}

/*
 * An override the full output queue stalls is not counted: sws_override
 * counts segments sent. The stall is not a drop either (output_deferred,
 * not outq_full): it arms the retransmission timer, whose expiry sends
 * the held bytes, the override still due (counted then, and not a
 * resend: they were never sent).
 */
static void
test_sws_override_counted_when_sent(void **state)
{
	static uint8_t b[1000];
	struct peer p;
	uint64_t t;

	(void)state;
	t = sws_send_1000(&p, b, 100);
	assert_int_equal(outq()->n, 0);
	/* Output runs when the timeout has expired, the queue full. */
	now = t + 200 * MS;
	outq()->n = TCP_OUTQ_SIZE;
	tcp_output(ctx, p.conn, now, UINT32_MAX);
	tcp_conn_arm(ctx, p.conn);
	assert_int_equal(outq()->n, TCP_OUTQ_SIZE);
	assert_int_equal(cnt()->outq_full, 0);
	assert_int_equal(cnt()->output_deferred, 1);
	assert_int_equal(cnt()->sws_override, 0);
	assert_true(p.conn->t_rexmit > now);
	assert_int_equal(timers_at(p.conn->t_rexmit), 1);
	assert_data(&p, b, ACK, 0, 100);
	assert_int_equal(cnt()->sws_override, 1);
	assert_int_equal(cnt()->retransmit, 0);
}

/*
 * A peer keeps its window shut and answers every probe after the
 * application closed (the FIN queued behind the data, in FIN_WAIT_1,
 * LAST_ACK after the peer's FIN, or CLOSING when the peer's FIN crosses
 * ours): RFC 9293 3.8.6.1 probes "subject to
 * the implementation's resource management concerns", and with the
 * application gone nothing but the peer decides when the connection
 * ends. Probes then count answered or not: after max_retries (3) of
 * them, at the next expiry, a RST and the connection is freed
 * (persist_closed_abort), at the backoff's times (200, 600, 1400 ms,
 * the RST at 3000 ms).
 */
static void
zero_window_held_closed(bool peer_fin, bool fin_after_close)
{
	static uint8_t b[100];
	uint64_t t, at = 0;
	struct net_seg s;
	struct peer p;
	uint32_t i;

	open_peer(&p, 40000, false);
	if (peer_fin) {
		assert_int_equal(send_peer(&p, FIN | ACK, our_nxt(&p, 0), NULL,
					   0),
				 1);
		p.seq++;
	}
	assert_int_equal(peer_wnd(&p, our_nxt(&p, 0), 0), 0);
	t = now;
	assert_int_equal(tcp_send(ctx, p.conn, b, 100, now), 100);
	tcp_close(ctx, p.conn, false, now);
	if (fin_after_close) {
		/* The peer's FIN crosses ours, unsent: CLOSING. */
		s = mkseg(&p, FIN | ACK, p.seq, our_nxt(&p, 0), NULL, 0);
		s.wnd = 0;
		assert_int_equal(input(&s), 1);
		p.seq++;
		assert_int_equal(tcp_conn_state(p.conn), TCP_CLOSING);
	} else {
		assert_int_equal(tcp_conn_state(p.conn),
				 peer_fin ? TCP_LAST_ACK : TCP_FIN_WAIT_1);
	}
	outq()->n = 0;
	for (i = 0; i < 3; i++) {
		at += 200 * MS << i;
		assert_int_equal(timers_at(t + at - 1), 0);
		assert_int_equal(timers_at(t + at), 1);
		assert_int_equal(out(0)->len, 1);
		assert_int_equal(out(0)->seq, our_nxt(&p, 0));
		/* The peer answers: the probe byte refused, window 0. */
		assert_int_equal(peer_wnd(&p, our_nxt(&p, 0), 0), 0);
	}
	at += 200 * MS << 3;
	assert_int_equal(timers_at(t + at - 1), 0);
	assert_int_equal(timers_at(t + at), 1);
	assert_seg(out(0), RST | ACK, our_nxt(&p, 0), p.seq);
	assert_int_equal(cnt()->zero_window_probe, 3);
	assert_int_equal(cnt()->persist_closed_abort, 1);
	assert_int_equal(cnt()->persist_abort, 0);
	assert_int_equal(gauge(TCP_FIN_WAIT_1) + gauge(TCP_LAST_ACK) +
				 gauge(TCP_CLOSING),
			 0);
}

static void
test_zero_window_held_fin_wait_1(void **state)
{
	(void)state;
	zero_window_held_closed(false, false);
}

static void
test_zero_window_held_last_ack(void **state)
{
	(void)state;
	zero_window_held_closed(true, false);
}

static void
test_zero_window_held_closing(void **state)
{
	(void)state;
	zero_window_held_closed(false, true);
}

/*
 * While the application is open the probes alone do not give up on a
 * window kept shut by a peer that answers (RFC 9293 3.8.6.1, MUST-36):
 * many more probes than the bound after a close, and no RST. What does
 * bound it is the send deadline (tcp.send_timeout_ms,
 * test_tcp_send_timeout.c), off here to test the probes without it.
 */
static void
test_zero_window_held_open(void **state)
{
	static uint8_t b[100];
	struct peer p;
	uint32_t i;

	(void)state;
	prm.send_timeout_ms = 0;
	restart();
	open_peer(&p, 40000, false);
	assert_int_equal(peer_wnd(&p, our_nxt(&p, 0), 0), 0);
	assert_int_equal(tcp_send(ctx, p.conn, b, 100, now), 100);
	for (i = 0; i < 40; i++) {
		assert_true(p.conn->t_persist != 0);
		assert_int_equal(timers_at(p.conn->t_persist), 1);
		assert_int_equal(out(0)->len, 1);
		assert_int_equal(peer_wnd(&p, our_nxt(&p, 0), 0), 0);
	}
	assert_int_equal(cnt()->zero_window_probe, 40);
	assert_int_equal(cnt()->persist_closed_abort, 0);
	assert_int_equal(tcp_conn_state(p.conn), TCP_ESTABLISHED);
	assert_int_equal(peer_wnd(&p, our_nxt(&p, 0), 1000), 1);
	assert_int_equal(out(0)->len, 100);
}

/*
 * After the application closed, a peer that opens its window by a byte
 * now and then, takes the byte and shuts the window again is still
 * given up: a window under an MSS does not restart the count of probes.
 * Each such opening restarted it, and the connection (and its send
 * buffer) stayed for as long as the response lasted, a byte at a time.
 */
static void
test_zero_window_drip_after_close(void **state)
{
	static uint8_t b[100];
	struct peer p;
	uint32_t i, acked = 0, probes = 0;
	uint64_t t;

	(void)state;
	open_peer(&p, 40000, false);
	assert_int_equal(peer_wnd(&p, our_nxt(&p, 0), 0), 0);
	assert_int_equal(tcp_send(ctx, p.conn, b, 100, now), 100);
	tcp_close(ctx, p.conn, false, now);
	for (i = 0; i < 60 && gauge(TCP_FIN_WAIT_1) == 1; i++) {
		outq()->n = 0;
		t = p.conn->t_persist ? p.conn->t_persist : p.conn->t_rexmit;
		if (t == 0)
			break;
		timers_at(t);
		if (outq()->n == 0 || out(0)->len == 0)
			continue;
		if (out(0)->flags & RST)
			break;
		/* Refuse two probes, then open a byte, then take it. */
		if (++probes % 3 != 0) {
			peer_wnd(&p, our_nxt(&p, acked), 0);
			continue;
		}
		acked++;
		peer_wnd(&p, our_nxt(&p, acked), 1);
		peer_wnd(&p, our_nxt(&p, acked), 0);
	}
	assert_int_equal(cnt()->persist_closed_abort, 1);
	assert_true(acked < 100);
}

/*
 * After the close, a window that opened by a byte and then grew to a
 * full one ends the probe count (and with it the wait of duplicate
 * ACKs): the count outlived the small opening, the window's growth
 * never reset it, and fast retransmit stayed off for the connection.
 */
static void
test_persist_count_ends_when_window_grows(void **state)
{
	static uint8_t b[8000];
	struct peer p;
	uint32_t i;

	(void)state;
	open_peer(&p, 40000, false);
	assert_int_equal(peer_wnd(&p, our_nxt(&p, 0), 0), 0);
	assert_int_equal(tcp_send(ctx, p.conn, b, 8000, now), 8000);
	tcp_close(ctx, p.conn, false, now);
	timers_at(p.conn->t_persist);
	assert_true(p.conn->persist_shift != 0);
	/* A byte's window, the probe byte taken, then a full window. */
	peer_wnd(&p, our_nxt(&p, 0), 1);
	if (p.conn->snd_max == our_nxt(&p, 0))
		timers_at(p.conn->t_persist);
	peer_wnd(&p, our_nxt(&p, 1), 65535);
	assert_int_equal(p.conn->persist_shift, 0);
	/* The first segment lost: three duplicate ACKs. */
	for (i = 0; i < 3; i++)
		peer_wnd(&p, our_nxt(&p, 1), 65535);
	assert_int_equal(cnt()->fast_recovery, 1);
}

/*
 * A connection waiting for a send buffer is aborted and a new SYN takes
 * its slot: the wake passes over the slot (another connection's now),
 * where it told the new, never opened, connection on_sent.
 */
static void
test_send_wait_slot_reused(void **state)
{
	static uint8_t b[100];
	struct peer a, w, n;
	uint32_t sent;

	(void)state;
	prm.max_send_buffers = 1;
	restart();
	open_peer(&a, 40001, false);
	assert_int_equal(tcp_send(ctx, a.conn, b, 100, now), 100);
	open_peer(&w, 40002, false);
	assert_int_equal(tcp_send(ctx, w.conn, b, 100, now), 0);
	assert_int_equal(cnt()->sndbuf_wait, 1);
	tcp_abort(ctx, w.conn, now);
	assert_int_equal(peer_syn(&n, 40003, false, 1460), 1);
	assert_int_equal(gauge(TCP_SYN_RECEIVED), 1);
	send_peer(&a, ACK, our_nxt(&a, 100), NULL, 0);
	sent = app.sent_calls;
	timers_at(now + 1);
	assert_int_equal(app.sent_calls - sent, 0);
	assert_int_equal(cnt()->sndbuf_woken, 0);
}

/*
 * The wake is bounded per poll: twenty connections wait for the one
 * send buffer, which comes back; the application takes nothing when told
 * (the buffer stays free), so one poll tells sixteen, the next the other
 * four, and none twice.
 */
static void
test_send_wait_wake_bounded(void **state)
{
	static uint8_t b[100];
	struct peer a, w[20];
	uint32_t i, sent;

	(void)state;
	prm.max_send_buffers = 1;
	prm.max_connections = 32;
	restart();
	open_peer(&a, 40001, false);
	assert_int_equal(tcp_send(ctx, a.conn, b, 100, now), 100);
	for (i = 0; i < 20; i++) {
		open_peer(&w[i], (uint16_t)(41000 + i), false);
		assert_int_equal(tcp_send(ctx, w[i].conn, b, 100, now), 0);
	}
	assert_int_equal(cnt()->sndbuf_wait, 20);
	send_peer(&a, ACK, our_nxt(&a, 100), NULL, 0);
	sent = app.sent_calls;
	timers_at(now + 1);
	assert_int_equal(app.sent_calls - sent, 16);
	assert_int_equal(cnt()->sndbuf_woken, 16);
	timers_at(now + 1);
	assert_int_equal(cnt()->sndbuf_woken, 20);
	timers_at(now + 1);
	assert_int_equal(cnt()->sndbuf_woken, 20);
}

/*
 * RFC 9293 3.8.6 (RFC 1122 4.2.2.16): the peer shrinks its window below
 * what is in flight. An ACK alone (here of the peer's data) and a RST go
 * at the window's right edge, SND.UNA + SND.WND, not at SND.MAX beyond
 * it, where the peer finds them outside its window (RFC 9293 3.10.7.4
 * first) and drops them, our window with them; a zero window puts the
 * edge at SND.UNA, the peer's RCV.NXT. A window that opens past SND.MAX
 * again has them at SND.MAX. As Linux's tcp_acceptable_seq().
 */
static void
test_shrunk_window_ack_at_edge(void **state)
{
	static const uint8_t b[3000], d[10];
	struct peer p;
	struct net_seg s;
	uint16_t w[] = { 1000, 0, 65535, 2000 };
	uint32_t edge[] = { 1000, 0, 3000, 2000 };
	size_t i;

	(void)state;
	prm.delayed_ack_ms = 0;
	restart();
	open_peer(&p, 40000, false);
	outq()->n = 0;
	assert_int_equal(tcp_send(ctx, p.conn, b, sizeof(b), now), sizeof(b));
	assert_int_equal(outq_bytes(), sizeof(b));
	for (i = 0; i < 4; i++) {
		s = mkseg(&p, ACK | NET_TCP_PSH, p.seq, our_nxt(&p, 0), d,
			  sizeof(d));
		s.wnd = w[i];
		p.seq += sizeof(d);
		assert_int_equal(input(&s), 1);
		assert_seg(out(0), ACK, our_nxt(&p, edge[i]), p.seq);
		assert_int_equal(out(0)->len, 0);
	}
	outq()->n = 0;
	tcp_abort(ctx, p.conn, now);
	assert_int_equal(outq()->n, 1);
	assert_seg(out(0), RST | ACK, our_nxt(&p, 2000), p.seq);
}

/*
 * RFC 7323 2.4 and Appendix F: with a scale factor the peer's window is
 * rounded to its unit, and the right edge may come back by less than a
 * unit while the peer still takes what it offered before (tcpterm's
 * own receiver does: tcp_rcv_window() rounds down, seq_acceptable()
 * goes to rcv_adv). That is no shrinking: an ACK alone and a RST stay
 * at SND.MAX, which such a peer may hold all of already, where the
 * edge would be below its RCV.NXT and the ACK dropped. A unit or more
 * back, and a window of zero (a probe's byte, here two bytes), they go
 * at the edge. As Linux's tcp_acceptable_seq().
 */
static void
test_shrunk_window_under_a_unit_ack_at_snd_max(void **state)
{
	static const uint8_t b[3002], d[10];
	struct peer p;
	struct net_seg s;
	uint16_t w[] = { 750, 749, 750 };
	uint32_t seq[] = { 3002, 2996, 3002 };
	size_t i;

	(void)state;
	prm.delayed_ack_ms = 0;
	restart();
	open_peer(&p, 40000, true);
	assert_int_equal(p.conn->snd_wscale, 2);
	outq()->n = 0;
	assert_int_equal(tcp_send(ctx, p.conn, b, sizeof(b), now), sizeof(b));
	assert_int_equal(outq_bytes(), sizeof(b));
	for (i = 0; i < 3; i++) {
		s = mkseg(&p, ACK | NET_TCP_PSH, p.seq, our_nxt(&p, 0), d,
			  sizeof(d));
		s.wnd = w[i];
		p.seq += sizeof(d);
		assert_int_equal(input(&s), 1);
		assert_seg(out(0), ACK, our_nxt(&p, seq[i]), p.seq);
		assert_int_equal(out(0)->len, 0);
	}
	outq()->n = 0;
	tcp_abort(ctx, p.conn, now);
	assert_int_equal(outq()->n, 1);
	assert_seg(out(0), RST | ACK, our_nxt(&p, 3002), p.seq);

	/* Two bytes out, then a window of zero: at the edge, SND.UNA. */
	restart();
	open_peer(&p, 40001, true);
	outq()->n = 0;
	assert_int_equal(tcp_send(ctx, p.conn, b, 2, now), 2);
	s = mkseg(&p, ACK | NET_TCP_PSH, p.seq, our_nxt(&p, 0), d, sizeof(d));
	s.wnd = 0;
	p.seq += sizeof(d);
	assert_int_equal(input(&s), 1);
	assert_seg(out(0), ACK, our_nxt(&p, 0), p.seq);
}

/*
 * In SYN_RECEIVED the window of the peer's SYN (zero here) starts after
 * our SYN, which SND.UNA does not pass yet: the ACK answering a segment
 * outside the window goes at SND.MAX, ISS + 1, the peer's RCV.NXT once
 * it has our SYN-ACK, not at SND.UNA + SND.WND, ISS, below it.
 */
static void
test_syn_received_zero_window_ack_past_syn(void **state)
{
	static const uint8_t d[10];
	struct peer p;
	struct net_seg s;

	(void)state;
	memset(&p, 0, sizeof(p));
	p.v6 = peer_v6;
	p.port = 40000;
	p.seq = PEER_ISN;
	s = mkseg(&p, SYN, p.seq, 0, NULL, 0);
	s.wnd = 0;
	assert_int_equal(input(&s), 1);
	p.iss = out(0)->seq;
	p.seq++;
	s = mkseg(&p, ACK, p.seq + 100000, p.iss + 1, d, sizeof(d));
	s.wnd = 0;
	assert_int_equal(input(&s), 1);
	assert_seg(out(0), ACK, p.iss + 1, p.seq);
	assert_int_equal(out(0)->len, 0);
	assert_int_equal(gauge(TCP_SYN_RECEIVED), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_data_retransmit),
		T(test_send_window),
		T(test_zero_window_probe),
		T(test_zero_window_probe_answers_not_dupacks),
		T(test_data_abort_after_retries),
		T(test_send_ring_wraps),
		T(test_old_ack_dropped),
		T(test_send_loop_stops),
		T(test_send_ring_positions),
		T(test_sws_small_window_waits),
		T(test_sws_updates_keep_timeout),
		T(test_sws_half_max_window),
		T(test_sws_all_fits),
		T(test_sws_fin_waits_for_data),
		T(test_sws_after_zero_window),
		T(test_sws_retransmit_not_held),
		T(test_out_purge_matches_model),
		T(test_outq_is_the_contexts),
		T(test_sws_refused_probe_byte_held),
		T(test_sws_earlier_hold_not_carried),
		T(test_sws_flipping_window_cannot_postpone),
		T(test_sws_hold_over_24_days),
		T(test_sws_override_counted_when_sent),
		T(test_zero_window_held_fin_wait_1),
		T(test_zero_window_held_last_ack),
		T(test_zero_window_held_closing),
		T(test_zero_window_held_open),
		T(test_zero_window_drip_after_close),
		T(test_persist_count_ends_when_window_grows),
		T(test_send_wait_slot_reused),
		T(test_send_wait_wake_bounded),
		T(test_shrunk_window_ack_at_edge),
		T(test_syn_received_zero_window_ack_past_syn),
		T(test_shrunk_window_under_a_unit_ack_at_snd_max),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
