/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Graceful drain (lib/tcp/tcp_drain.c) on the virtual clock: new
 * connections refused with RST, open ones offered to the application
 * once, in bounded slices, the "drain done" test with and without
 * TIME_WAIT, and the reset of what is left at the timeout.
 */
#include "tcp_test.h"
#include "tcp_drain.h"

static uint32_t drain_calls;
static bool drain_closes;

/* The test application, plus a drain that closes (FIN) when asked. */
static void
drain_app(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t t)
{
	drain_calls++;
	if (drain_closes)
		tcp_close(c, conn, true, t);
}

static const struct tcp_app_ops drain_ops = {
	.on_open = app_open,
	.on_data = app_data,
	.on_peer_fin = app_peer_fin,
	.on_drain = drain_app,
};

static int
drain_setup(void **state)
{
	(void)state;
	memset(&app, 0, sizeof(app));
	last_tsval = 0;
	drain_calls = 0;
	drain_closes = true;
	params_default(&prm);
	prm.max_connections = 64;
	prm.max_send_buffers = 64;
	now = T0;
	ctx = tcp_ctx_create(&prm, now);
	assert_non_null(ctx);
	assert_int_equal(tcp_listen(ctx, LPORT, &drain_ops, NULL), 0);
	return 0;
}

/* One drain step with the output queue emptied first. */
static uint32_t
step(uint32_t budget)
{
	uint32_t n;

	outq()->n = 0;
	n = tcp_drain_step(ctx, now, budget);
	assert_int_equal(tcp_ctx_check(ctx), 0);
	return n;
}

/* A SYN while draining gets RST; an established connection goes on. */
static void
test_drain_refuses_syn(void **state)
{
	struct peer p, q;
	struct net_seg s;
	uint8_t d[4] = "ping";

	(void)state;
	open_peer(&p, 40000, true);
	assert_false(tcp_draining(ctx));
	tcp_drain_start(ctx);
	assert_true(tcp_draining(ctx));
	memset(&q, 0, sizeof(q));
	q.port = 40001;
	q.seq = PEER_ISN;
	s = mkseg(&q, SYN, q.seq, 0, NULL, 0);
	assert_int_equal(input(&s), 1);
	/* RFC 9293 3.10.7.1: <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>. */
	assert_int_equal(out(0)->flags, RST | ACK);
	assert_int_equal(out(0)->ack, PEER_ISN + 1);
	assert_int_equal(out(0)->rport, 40001);
	assert_int_equal(cnt()->drain_refused, 1);
	assert_int_equal(gauge(TCP_SYN_RECEIVED), 0);
	/* An RST to the listener is not answered, nor counted as refused. */
	s = mkseg(&q, RST, q.seq, 0, NULL, 0);
	assert_int_equal(input(&s), 0);
	assert_int_equal(cnt()->drain_refused, 1);
	/* The open connection still takes data. */
	send_peer(&p, ACK, our_nxt(&p, 0), d, 4);
	assert_int_equal(app.rx_len, 4);
	assert_int_equal(gauge(TCP_ESTABLISHED), 1);
}

/* Before a drain, a SYN opens a connection as usual (the control). */
static void
test_no_drain_accepts_syn(void **state)
{
	struct peer p;

	(void)state;
	open_peer(&p, 40000, true);
	assert_int_equal(step(64), 0);
	assert_int_equal(drain_calls, 0);
	assert_int_equal(cnt()->drain_refused, 0);
}

/*
 * The walk offers each connection the application can send on once, in
 * slices of the budget, and skips those already closing.
 */
static void
test_drain_walk_in_slices(void **state)
{
	struct peer p[3];

	(void)state;
	open_peer(&p[0], 40000, true);
	open_peer(&p[1], 40001, true);
	open_peer(&p[2], 40002, true);
	/* Already closing: not offered. */
	tcp_close(ctx, p[2].conn, true, now);
	tcp_drain_start(ctx);
	tcp_drain_start(ctx); /* idempotent: the walk restarts not */
	assert_int_equal(step(1), 1);
	assert_int_equal(drain_calls, 1);
	assert_int_equal(outq()->n, 1);
	assert_seg(out(0), FIN | ACK, our_nxt(&p[0], 0), p[0].seq);
	assert_int_equal(step(63), 63);
	assert_int_equal(drain_calls, 2);
	assert_int_equal(gauge(TCP_FIN_WAIT_1), 3);
	/* The walk is over. */
	assert_int_equal(step(64), 0);
	tcp_drain_start(ctx);
	assert_int_equal(step(64), 0);
	assert_int_equal(drain_calls, 2);
}

/* A slice stops when the output queue is half full. */
static void
test_drain_bounded_by_outq(void **state)
{
	struct peer p;
	uint32_t i, n;

	(void)state;
	for (i = 0; i < 40; i++)
		open_peer(&p, (uint16_t)(41000 + i), false);
	tcp_drain_start(ctx);
	n = step(64);
	assert_int_equal(outq()->n, TCP_OUTQ_SIZE / 2);
	assert_int_equal(drain_calls, TCP_OUTQ_SIZE / 2);
	assert_true(n < 64);
	assert_int_equal(cnt()->outq_full, 0);
	step(64);
	assert_int_equal(drain_calls, 40);
	assert_int_equal(gauge(TCP_FIN_WAIT_1), 40);
}

/* Done: no connection left; with wait_time_wait, no record either. */
static void
test_drain_done_time_wait(void **state)
{
	struct peer p;

	(void)state;
	open_peer(&p, 40000, true);
	tcp_drain_start(ctx);
	assert_false(tcp_drain_done(ctx, false));
	step(64);
	assert_false(tcp_drain_done(ctx, false));
	/* The peer acknowledges our FIN and sends its own. */
	now += 10 * MS;
	assert_int_equal(send_peer(&p, FIN | ACK, our_nxt(&p, 1), NULL, 0), 1);
	assert_int_equal(gauge(TCP_TIME_WAIT), 1);
	assert_true(tcp_drain_done(ctx, false));
	assert_false(tcp_drain_done(ctx, true));
	/* 2 * MSL later (msl_ms 1000) the record expires. */
	timers_at(now + 1999 * MS);
	assert_false(tcp_drain_done(ctx, true));
	timers_at(now + 1 * MS);
	assert_true(tcp_drain_done(ctx, true));
}

/* An application without on_drain is not touched: the timeout ends it. */
static void
test_drain_reset_at_timeout(void **state)
{
	struct peer p[3];

	(void)state;
	drain_closes = false;
	open_peer(&p[0], 40000, true);
	open_peer(&p[1], 40001, true);
	open_peer(&p[2], 40002, true);
	tcp_drain_start(ctx);
	step(64);
	assert_int_equal(drain_calls, 3);
	assert_int_equal(gauge(TCP_ESTABLISHED), 3);
	/* The half-closed one: our FIN acknowledged, theirs never comes. */
	tcp_close(ctx, p[2].conn, true, now);
	assert_int_equal(send_peer(&p[2], ACK, our_nxt(&p[2], 1), NULL, 0), 0);
	assert_int_equal(gauge(TCP_FIN_WAIT_2), 1);
	now += 30000 * MS;
	outq()->n = 0;
	assert_int_equal(tcp_drain_reset(ctx, now, 2), 2);
	assert_int_equal(outq()->n, 2);
	assert_int_equal(out(0)->flags & RST, RST);
	assert_false(tcp_drain_done(ctx, false));
	outq()->n = 0;
	assert_int_equal(tcp_drain_reset(ctx, now, 64), 1);
	assert_int_equal(out(0)->flags & RST, RST);
	assert_int_equal(cnt()->drain_reset, 3);
	assert_true(tcp_drain_done(ctx, true));
	assert_int_equal(tcp_drain_reset(ctx, now, 64), 0);
	assert_int_equal(tcp_ctx_check(ctx), 0);
}

/* A large pool: the reset walk finds a connection anywhere in it. */
static void
test_drain_reset_large_pool(void **state)
{
	struct peer p;
	uint32_t calls = 0;

	(void)state;
	tcp_ctx_destroy(ctx);
	prm.max_connections = 100000;
	now = T0;
	ctx = tcp_ctx_create(&prm, now);
	assert_non_null(ctx);
	assert_int_equal(tcp_listen(ctx, LPORT, &drain_ops, NULL), 0);
	drain_closes = false;
	open_peer(&p, 40000, true);
	tcp_drain_start(ctx);
	while (!tcp_drain_done(ctx, false) && calls < 100000) {
		outq()->n = 0;
		tcp_drain_reset(ctx, now, 32);
		calls++;
	}
	assert_true(tcp_drain_done(ctx, false));
	assert_int_equal(cnt()->drain_reset, 1);
	assert_true(calls <= 100000 / (32 * 16) + 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define D(f) cmocka_unit_test_setup_teardown(f, drain_setup, teardown)
		D(test_drain_refuses_syn),	D(test_no_drain_accepts_syn),
		D(test_drain_walk_in_slices),	D(test_drain_bounded_by_outq),
		D(test_drain_done_time_wait),	D(test_drain_reset_at_timeout),
		D(test_drain_reset_large_pool),
#undef D
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
