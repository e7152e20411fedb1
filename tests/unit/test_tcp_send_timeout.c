/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * TCP unit tests of the send deadline (tcp.send_timeout_ms): a peer that
 * never lets us finish sending, with a zero window it keeps shut while
 * it answers every probe, or a tiny window it acknowledges promptly, is
 * reset once the data queued when the deadline started is not all
 * acknowledged within the timeout, open or closed; a peer that takes a
 * send buffer per timeout is not.
 */
#include "tcp_test.h"
#include "tcp_internal.h"

#define TIMEOUT_MS 5000u
/* The RTO after the harness's handshake: the first probe's delay. */
#define RTO_MS 200u

static void
send_timeout(uint32_t ms)
{
	prm.send_timeout_ms = ms;
	restart();
}

/* The peer's FIN, offering wnd: CLOSE_WAIT. */
static void
peer_fin(struct peer *p, uint16_t wnd)
{
	struct net_seg s = mkseg(p, FIN | ACK, p->seq, our_nxt(p, 0), NULL, 0);

	s.wnd = wnd;
	assert_int_equal(input(&s), 1);
	p->seq++;
	assert_int_equal(tcp_conn_state(p->conn), TCP_CLOSE_WAIT);
}

static void
assert_reset(const struct peer *p, uint32_t sent)
{
	assert_int_equal(outq()->n, 1);
	assert_seg(out(0), RST | ACK, our_nxt(p, sent), p->seq);
	assert_int_equal(cnt()->send_timeout, 1);
	assert_int_equal(cnt()->persist_abort, 0);
	assert_int_equal(cnt()->persist_closed_abort, 0);
	assert_int_equal(cnt()->retransmit_abort, 0);
	assert_int_equal(gauge(TCP_ESTABLISHED) + gauge(TCP_CLOSE_WAIT) +
				 gauge(TCP_FIN_WAIT_1) + gauge(TCP_LAST_ACK) +
				 gauge(TCP_CLOSING),
			 0);
}

/*
 * Response data queued, the application still open (ESTABLISHED, or
 * CLOSE_WAIT after the peer's FIN), the peer's window shut: the peer
 * answers every probe, so persist_abort never counts, and without the
 * deadline the connection and its send buffer stayed for ever (RFC 9293
 * 3.8.6.1 keeps probing while the peer answers). The first probe, an RTO
 * after the data, starts the deadline; the RST comes at it to the tick,
 * and not one earlier.
 */
static void
zero_window_answered(bool fin)
{
	static uint8_t b[100];
	enum tcp_state s = fin ? TCP_CLOSE_WAIT : TCP_ESTABLISHED;
	struct peer p;
	uint64_t end;
	uint32_t i;

	send_timeout(TIMEOUT_MS);
	open_peer(&p, 40000, false);
	if (fin)
		peer_fin(&p, 0);
	assert_int_equal(peer_wnd(&p, our_nxt(&p, 0), 0), 0);
	assert_int_equal(tcp_send(ctx, p.conn, b, 100, now), 100);
	end = now + (RTO_MS + TIMEOUT_MS) * MS;
	for (i = 0; i < 64 && p.conn->t_persist < end; i++) {
		assert_int_equal(timers_at(p.conn->t_persist), 1);
		assert_int_equal(out(0)->len, 1);
		assert_int_equal(peer_wnd(&p, our_nxt(&p, 0), 0), 0);
	}
	assert_true(cnt()->zero_window_probe >= 4);
	assert_int_equal(timers_at(end - 1), 0);
	assert_int_equal(gauge(s), 1);
	assert_int_equal(timers_at(end), 1);
	assert_reset(&p, 0);
}

static void
test_zero_window_answered_established(void **state)
{
	(void)state;
	zero_window_answered(false);
}

static void
test_zero_window_answered_close_wait(void **state)
{
	(void)state;
	zero_window_answered(true);
}

/* What the application does once the response is queued. */
enum after_send {
	STAY_OPEN,   /* ESTABLISHED */
	CLOSE,	     /* FIN_WAIT_1 */
	CLOSE_AFTER, /* after the peer's FIN: LAST_ACK */
};

/*
 * A tiny window (10 bytes, the largest the peer ever offered, so every
 * segment goes at once) that the peer acknowledges promptly, 10 ms after
 * each segment: 1000 bytes a second of a 16 KB response. No timer ever
 * fires (no RTO, probe or SWS override), and every ACK moved SND.UNA,
 * which reset the retransmission count: without the deadline the
 * connection lasted as long as the peer liked. The first ACK starts the
 * deadline with the whole response as its mark: 5 s later the peer has
 * taken 5000 bytes, and the connection is reset, whether the
 * application is open or has closed (persist_closed_abort, which counts
 * probes, never sees one).
 */
static void
trickle(enum after_send after)
{
	static uint8_t b[16380];
	uint32_t acked = 0, i, n, wnd = 10;
	struct peer p;
	uint64_t t0;

	send_timeout(TIMEOUT_MS);
	open_wnd(&p, 40000, (uint16_t)wnd);
	if (after == CLOSE_AFTER)
		peer_fin(&p, (uint16_t)wnd);
	outq()->n = 0;
	assert_int_equal(tcp_send(ctx, p.conn, b, sizeof(b), now), sizeof(b));
	if (after != STAY_OPEN)
		tcp_close(ctx, p.conn, false, now);
	assert_int_equal(outq()->n, 1);
	assert_int_equal(out(0)->len, wnd);
	t0 = now;
	for (i = 0; i < 4000 && acked < sizeof(b); i++) {
		if (timers_at(now + 10 * MS) != 0)
			break;
		acked += wnd;
		n = peer_wnd(&p, our_nxt(&p, acked), (uint16_t)wnd);
		if (acked < sizeof(b)) {
			assert_int_equal(n, 1);
			assert_int_equal(out(0)->len, wnd);
		}
	}
	assert_int_equal(now, t0 + (10 + TIMEOUT_MS) * MS);
	assert_int_equal(acked, TIMEOUT_MS / 10 * wnd);
	assert_reset(&p, acked + wnd);
	assert_int_equal(cnt()->rto + cnt()->tlp_probe + cnt()->sws_override +
				 cnt()->zero_window_probe,
			 0);
}

static void
test_trickle_open(void **state)
{
	(void)state;
	trickle(STAY_OPEN);
}

static void
test_trickle_fin_wait_1(void **state)
{
	(void)state;
	trickle(CLOSE);
}

static void
test_trickle_last_ack(void **state)
{
	(void)state;
	trickle(CLOSE_AFTER);
}

/*
 * A peer that takes a send buffer (16 KiB) per timeout is not reset: 40
 * bytes every 10 ms, 4000 bytes a second, with the application filling
 * the buffer again after every ACK, for 30 s. Each time SND.UNA reaches
 * the mark, the deadline starts again with the end of the queue then.
 * At 2000 bytes a second the same peer is reset.
 */
static void
steady(uint16_t wnd, bool reset)
{
	static uint8_t b[16384];
	uint32_t acked = 0, i;
	struct peer p;

	send_timeout(TIMEOUT_MS);
	open_wnd(&p, 40000, wnd);
	assert_int_equal(tcp_send(ctx, p.conn, b, sizeof(b), now), sizeof(b));
	for (i = 0; i < 3000; i++) {
		if (timers_at(now + 10 * MS) != 0)
			break;
		acked += wnd;
		assert_int_equal(peer_wnd(&p, our_nxt(&p, acked), wnd), 1);
		tcp_send(ctx, p.conn, b, tcp_send_space(ctx, p.conn), now);
	}
	if (!reset) {
		assert_int_equal(i, 3000);
		assert_int_equal(cnt()->send_timeout, 0);
		assert_int_equal(tcp_conn_state(p.conn), TCP_ESTABLISHED);
		assert_true(acked > 6 * sizeof(b));
		return;
	}
	assert_true(i < 3000);
	assert_reset(&p, acked + wnd);
}

static void
test_steady_peer_kept(void **state)
{
	(void)state;
	steady(40, false);
}

static void
test_slow_peer_reset(void **state)
{
	(void)state;
	steady(20, true);
}

/*
 * Echo, a peer that sends and never reads: its window stays shut, the
 * echoed bytes fill the send buffer, and it goes on sending (so the
 * connection is never idle) and answering the probes. The first probe
 * starts the deadline, and the peer's data does not postpone it.
 */
static void
test_echo_peer_never_reads(void **state)
{
	static uint8_t d[1000];
	struct peer p;
	uint64_t t0, end;
	uint32_t i, n, j;
	bool reset = false;

	(void)state;
	send_timeout(TIMEOUT_MS);
	app.echo = true;
	open_peer(&p, 40000, false);
	assert_int_equal(peer_wnd(&p, our_nxt(&p, 0), 0), 0);
	t0 = now;
	end = t0 + (RTO_MS + TIMEOUT_MS) * MS;
	for (i = 0; i < 300 && !reset; i++) {
		struct net_seg s = mkseg(&p, ACK, p.seq, our_nxt(&p, 0), d,
					 sizeof(d));

		s.wnd = 0;
		input(&s);
		p.seq += sizeof(d);
		n = timers_at(now + 100 * MS);
		for (j = 0; j < n; j++)
			reset |= (out(j)->flags & RST) != 0;
		if (n != 0 && !reset)
			peer_wnd(&p, our_nxt(&p, 0), 0);
	}
	assert_true(reset);
	assert_true(now >= end && now < end + 100 * MS);
	assert_true(app.rx_len > 16384);
	assert_int_equal(cnt()->send_timeout, 1);
	assert_int_equal(cnt()->persist_abort, 0);
	assert_int_equal(gauge(TCP_ESTABLISHED), 0);
}

/*
 * After the close, with the window held shut, the send deadline and
 * persist_closed_abort (max_retries, 3, probes since the window closed:
 * the RST 3 s after the data) both bound the connection: the earlier
 * one ends it and counts, never both.
 */
static void
closed_zero_window(uint32_t timeout_ms, bool deadline_first)
{
	static uint8_t b[100];
	struct peer p;
	uint32_t i;
	bool reset = false;

	send_timeout(timeout_ms);
	open_peer(&p, 40000, false);
	assert_int_equal(peer_wnd(&p, our_nxt(&p, 0), 0), 0);
	assert_int_equal(tcp_send(ctx, p.conn, b, 100, now), 100);
	tcp_close(ctx, p.conn, false, now);
	for (i = 0; i < 20 && !reset; i++) {
		uint64_t t = p.conn->t_persist;

		if (p.conn->t_state != 0 && p.conn->t_state < t)
			t = p.conn->t_state;
		assert_true(timers_at(t) <= 1);
		reset = outq()->n == 1 && (out(0)->flags & RST);
		if (!reset)
			peer_wnd(&p, our_nxt(&p, 0), 0);
	}
	assert_true(reset);
	assert_int_equal(cnt()->send_timeout, deadline_first ? 1 : 0);
	assert_int_equal(cnt()->persist_closed_abort, deadline_first ? 0 : 1);
	timers_at(now + 2 * (uint64_t)timeout_ms * MS);
	assert_int_equal(cnt()->send_timeout + cnt()->persist_closed_abort, 1);
	assert_int_equal(gauge(TCP_FIN_WAIT_1), 0);
}

static void
test_closed_deadline_first(void **state)
{
	(void)state;
	closed_zero_window(1000, true);
}

static void
test_closed_persist_first(void **state)
{
	(void)state;
	closed_zero_window(60000, false);
}

/*
 * A deadline set in FIN_WAIT_1 (an ACK of part of the response) does not
 * outlive it: after a half-close bounded by the application's idle timer
 * FIN_WAIT_2 has no timeout of its own, and the deadline left in its
 * place must not end the connection as a FIN_WAIT_2 timeout.
 */
static void
test_half_close_fin_wait_2_kept(void **state)
{
	static uint8_t b[2000];
	struct peer p;

	(void)state;
	send_timeout(TIMEOUT_MS);
	open_peer(&p, 40000, false);
	outq()->n = 0;
	assert_int_equal(tcp_send(ctx, p.conn, b, sizeof(b), now), sizeof(b));
	tcp_close(ctx, p.conn, true, now);
	tcp_read_bounded(p.conn);
	now += 10 * MS;
	peer_wnd(&p, our_nxt(&p, PEER_DEFAULT_MSS), 65535);
	assert_true(p.conn->t_state != 0);
	assert_string_equal(tcp_list_timer_name(TCP_LT_STATE, TCP_FIN_WAIT_1),
			    "send");
	peer_wnd(&p, our_nxt(&p, sizeof(b) + 1), 65535);
	assert_int_equal(tcp_conn_state(p.conn), TCP_FIN_WAIT_2);
	timers_at(now + 2 * TIMEOUT_MS * MS);
	assert_int_equal(gauge(TCP_FIN_WAIT_2), 1);
	assert_int_equal(cnt()->fin_wait2_timeout, 0);
	assert_int_equal(cnt()->send_timeout, 0);
	tcp_abort(ctx, p.conn, now);
}

/* The application fills the send buffer. */
static void
fill(struct peer *p)
{
	static uint8_t b[16384];
	uint32_t room;

	for (room = tcp_send_space(ctx, p->conn); room != 0;
	     room = tcp_send_space(ctx, p->conn))
		tcp_send(ctx, p->conn, b, room < sizeof(b) ? room : sizeof(b),
			 now);
}

/*
 * The peer takes wnd bytes every step, acknowledging them promptly, and
 * the application fills the send buffer again after each ACK when
 * refill is set; up to n steps, stopping at the first segment a timer
 * sends (the RST: no timer has anything else to send). Returns the
 * steps done.
 */
static uint32_t
drip(struct peer *p, uint16_t wnd, uint64_t step, uint32_t n, uint32_t *acked,
     bool refill)
{
	uint32_t i;

	for (i = 0; i < n; i++) {
		if (timers_at(now + step) != 0)
			break;
		*acked += wnd;
		peer_wnd(p, our_nxt(p, *acked), wnd);
		if (refill)
			fill(p);
	}
	return i;
}

/*
 * The progress asked for does not grow with the send buffer: with
 * snd_buf 1 MiB and the default 60 s, a peer taking a steady 10 KB/s
 * (a segment at a time), the application keeping the buffer full, is
 * kept for 200 s. Were the mark the end of the queue, it would have to
 * take 1 MiB a minute, 17.5 KB/s, and be reset at 60 s.
 */
static void
test_big_buffer_steady_peer_kept(void **state)
{
	uint16_t wnd = PEER_DEFAULT_MSS;
	uint64_t step = wnd * 1000 * MS / 10000;
	uint32_t acked = 0, n = (uint32_t)(200000 * MS / step);
	struct peer p;

	(void)state;
	prm.snd_buf = 1u << 20;
	send_timeout(60000);
	open_wnd(&p, 40000, wnd);
	fill(&p);
	assert_int_equal(p.conn->sb_len, 1u << 20);
	assert_int_equal(drip(&p, wnd, step, n, &acked, true), n);
	assert_int_equal(cnt()->send_timeout, 0);
	assert_int_equal(tcp_conn_state(p.conn), TCP_ESTABLISHED);
	assert_int_equal(acked, n * wnd);
}

/*
 * The mark's last byte counts: a 10-byte window acknowledged every 10 ms
 * takes 5000 bytes by the deadline (the first ACK, 10 ms in, starts it).
 * A response of 5001 bytes, all but its last byte acknowledged, is reset
 * at the deadline; one of 5000 bytes, all acknowledged, is not.
 */
static void
last_byte(uint32_t len, bool reset)
{
	static uint8_t b[5001];
	uint32_t acked = 0;
	struct peer p;
	uint64_t t0;

	send_timeout(TIMEOUT_MS);
	open_wnd(&p, 40000, 10);
	assert_int_equal(tcp_send(ctx, p.conn, b, len, now), len);
	t0 = now;
	drip(&p, 10, 10 * MS, TIMEOUT_MS / 10 + 1, &acked, false);
	if (!reset) {
		assert_int_equal(cnt()->send_timeout, 0);
		assert_int_equal(tcp_conn_state(p.conn), TCP_ESTABLISHED);
		return;
	}
	assert_int_equal(now, t0 + (10 + TIMEOUT_MS) * MS);
	assert_int_equal(acked, len - 1);
	assert_reset(&p, len);
}

static void
test_mark_last_byte_missing_reset(void **state)
{
	(void)state;
	last_byte(5001, true);
}

static void
test_mark_last_byte_acked_kept(void **state)
{
	(void)state;
	last_byte(5000, false);
}

/*
 * The deadline starts again at the ACK that reaches the mark, not when
 * the old one expires: a 1000-byte response and, after its first ACK,
 * 15000 more; the peer takes 10 bytes every 10 ms, reaches the first
 * mark 1 s in, and is reset a timeout after that, 6 s in (started at
 * the old expiry, 5 s in, it would run to 10 s).
 */
static void
test_restart_at_ack_reaching_mark(void **state)
{
	static uint8_t b[15000];
	uint32_t acked = 0;
	struct peer p;
	uint64_t t0;

	(void)state;
	send_timeout(TIMEOUT_MS);
	open_wnd(&p, 40000, 10);
	assert_int_equal(tcp_send(ctx, p.conn, b, 1000, now), 1000);
	t0 = now;
	drip(&p, 10, 10 * MS, 1, &acked, false);
	assert_int_equal(tcp_send(ctx, p.conn, b, sizeof(b), now), sizeof(b));
	drip(&p, 10, 10 * MS, 2000, &acked, false);
	assert_int_equal(now, t0 + (1000 + TIMEOUT_MS) * MS);
	assert_reset(&p, acked + 10);
}

/*
 * A lossy or dead path is the retransmission timer's: 16 KiB queued, the
 * first segment acknowledged (the deadline starts), everything after it
 * lost. With max_retries 8 the backoff runs past the 60 s deadline
 * (about 102 s from an RTO of 200 ms); the deadline waits for the
 * retransmissions, and the RST comes after the 8th, counted in
 * retransmit_abort, not send_timeout.
 */
static void
test_lost_path_left_to_max_retries(void **state)
{
	static uint8_t b[16384];
	struct peer p;
	uint64_t t_ack;
	uint32_t i, j, n;
	bool reset = false;

	(void)state;
	prm.max_retries = 8;
	send_timeout(60000);
	open_peer(&p, 40000, false);
	assert_int_equal(tcp_send(ctx, p.conn, b, sizeof(b), now), sizeof(b));
	now += 10 * MS;
	peer_wnd(&p, our_nxt(&p, PEER_DEFAULT_MSS), 65535);
	t_ack = now;
	assert_true(p.conn->t_state != 0);
	for (i = 0; i < 2000 && !reset; i++) {
		n = timers_at(now + 100 * MS);
		for (j = 0; j < n; j++)
			reset |= (out(j)->flags & RST) != 0;
	}
	assert_true(reset);
	assert_true(now > t_ack + 100000 * MS);
	assert_int_equal(cnt()->rto, 8);
	assert_int_equal(cnt()->retransmit_abort, 1);
	assert_int_equal(cnt()->send_timeout, 0);
	assert_int_equal(gauge(TCP_ESTABLISHED), 0);
}

/*
 * A peer that answers the retransmissions now and then with an ACK of a
 * little is not a lost path: the ACK clears the retransmission count,
 * and the deadline, waiting for the retransmission timer, applies at
 * its next expiry. 16 KiB queued, a segment acknowledged every 20 s
 * (the RTO backs off in between): reset by send_timeout, between 60 s
 * and 60 s plus one backoff (at most rto_max_ms) after the first ACK.
 */
static void
test_lossy_trickle_meets_deadline(void **state)
{
	static uint8_t b[16384];
	struct peer p;
	uint64_t t_ack;
	uint32_t i, j, n, acked = PEER_DEFAULT_MSS;
	bool reset = false;

	(void)state;
	prm.max_retries = 8;
	send_timeout(60000);
	open_peer(&p, 40000, false);
	assert_int_equal(tcp_send(ctx, p.conn, b, sizeof(b), now), sizeof(b));
	now += 10 * MS;
	peer_wnd(&p, our_nxt(&p, acked), 65535);
	t_ack = now;
	for (i = 1; i < 4000 && !reset; i++) {
		n = timers_at(now + 100 * MS);
		for (j = 0; j < n; j++)
			reset |= (out(j)->flags & RST) != 0;
		if (!reset && i % 200 == 0) {
			acked += PEER_DEFAULT_MSS;
			peer_wnd(&p, our_nxt(&p, acked), 65535);
		}
	}
	assert_true(reset);
	assert_true(now >= t_ack + 60000 * MS);
	assert_true(now <= t_ack + 120000 * MS);
	assert_int_equal(cnt()->send_timeout, 1);
	assert_int_equal(cnt()->retransmit_abort, 0);
}

/*
 * The ACK that empties the send queue ends the deadline: an idle
 * keep-alive connection shows no send timer (tcpterm-ctl ss -o), and no
 * mark is left in sequence space to fall inside the window again 2^32
 * bytes later.
 */
static void
test_queue_acked_clears_deadline(void **state)
{
	static uint8_t b[2000];
	struct peer p;

	(void)state;
	send_timeout(TIMEOUT_MS);
	open_peer(&p, 40000, false);
	assert_int_equal(tcp_send(ctx, p.conn, b, sizeof(b), now), sizeof(b));
	now += 10 * MS;
	peer_wnd(&p, our_nxt(&p, PEER_DEFAULT_MSS), 65535);
	assert_true(p.conn->t_state != 0);
	now += 10 * MS;
	peer_wnd(&p, our_nxt(&p, sizeof(b)), 65535);
	assert_int_equal(p.conn->t_state, 0);
}

/*
 * Keep-alive: the first response was slow to be acknowledged (the
 * deadline started) but was, and the second is queued 10 ms before
 * that deadline would have expired and acknowledged 20 ms later. It is
 * not reset: what is queued at an expiry counts only if it was owed by
 * the mark.
 */
static void
test_keepalive_second_response_kept(void **state)
{
	static uint8_t b[2000];
	struct peer p;
	uint64_t t_end;

	(void)state;
	send_timeout(TIMEOUT_MS);
	open_peer(&p, 40000, false);
	assert_int_equal(tcp_send(ctx, p.conn, b, sizeof(b), now), sizeof(b));
	now += 10 * MS;
	peer_wnd(&p, our_nxt(&p, PEER_DEFAULT_MSS), 65535);
	t_end = now + TIMEOUT_MS * MS;
	now += 10 * MS;
	peer_wnd(&p, our_nxt(&p, sizeof(b)), 65535);
	timers_at(t_end - 10 * MS);
	assert_int_equal(tcp_send(ctx, p.conn, b, sizeof(b), now), sizeof(b));
	timers_at(t_end);
	timers_at(t_end + 10 * MS);
	peer_wnd(&p, our_nxt(&p, 2 * sizeof(b)), 65535);
	assert_int_equal(cnt()->send_timeout, 0);
	assert_int_equal(tcp_conn_state(p.conn), TCP_ESTABLISHED);
}

/* With send_timeout_ms 0 the zero window is held as long as answered. */
static void
test_off_by_zero(void **state)
{
	static uint8_t b[100];
	struct peer p;
	uint32_t i;

	(void)state;
	send_timeout(0);
	open_peer(&p, 40000, false);
	assert_int_equal(peer_wnd(&p, our_nxt(&p, 0), 0), 0);
	assert_int_equal(tcp_send(ctx, p.conn, b, 100, now), 100);
	for (i = 0; i < 20; i++) {
		assert_int_equal(timers_at(p.conn->t_persist), 1);
		assert_int_equal(peer_wnd(&p, our_nxt(&p, 0), 0), 0);
		assert_int_equal(p.conn->t_state, 0);
	}
	assert_int_equal(cnt()->send_timeout, 0);
	assert_int_equal(tcp_conn_state(p.conn), TCP_ESTABLISHED);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_zero_window_answered_established),
		T(test_zero_window_answered_close_wait),
		T(test_trickle_open),
		T(test_trickle_fin_wait_1),
		T(test_trickle_last_ack),
		T(test_steady_peer_kept),
		T(test_slow_peer_reset),
		T(test_echo_peer_never_reads),
		T(test_closed_deadline_first),
		T(test_closed_persist_first),
		T(test_half_close_fin_wait_2_kept),
		T(test_big_buffer_steady_peer_kept),
		T(test_mark_last_byte_missing_reset),
		T(test_mark_last_byte_acked_kept),
		T(test_restart_at_ack_reaching_mark),
		T(test_lost_path_left_to_max_retries),
		T(test_lossy_trickle_meets_deadline),
		T(test_queue_acked_clears_deadline),
		T(test_keepalive_second_response_kept),
		T(test_off_by_zero),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
