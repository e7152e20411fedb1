/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of the TCP state machine on a virtual clock, with the real
 * flow table and timer wheel. A peer is simulated by building segments;
 * the output queue, counters and gauges are checked after every step.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tcp.h"

#define LADDR 0xc6120001u	/* 198.18.0.1 */
#define RADDR 0xc6120002u	/* 198.18.0.2 */
#define LPORT 80
#define PEER_ISN 1000u
#define MS 1000ull
#define T0 (1000000ull * MS)

#define ACK NET_TCP_ACK
#define SYN NET_TCP_SYN
#define FIN NET_TCP_FIN
#define RST NET_TCP_RST

/* ---- test application ---- */

struct tapp {
	struct tcp_conn *conn;	/* last opened */
	uint32_t opened;
	uint32_t peer_fins;
	uint32_t sent_calls;
	uint32_t timer_calls;
	uint8_t rx[65536];
	uint32_t rx_len;
	uint32_t take_max;	/* 0 = take everything */
	bool echo;
	bool abort_on_data;
	bool close_on_fin;
};

static struct tapp app;

static void
app_open(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now)
{
	(void)c;
	(void)now;
	app.conn = conn;
	app.opened++;
}

static uint32_t
app_data(struct tcp_ctx *c, struct tcp_conn *conn, const uint8_t *data,
	 uint32_t len, uint64_t now)
{
	if (app.abort_on_data) {
		tcp_abort(c, conn, now);
		return 0;
	}
	if (app.take_max != 0 && len > app.take_max)
		len = app.take_max;
	if (app.rx_len + len <= sizeof(app.rx)) {
		memcpy(app.rx + app.rx_len, data, len);
		app.rx_len += len;
	}
	if (app.echo)
		tcp_send(c, conn, data, len);
	return len;
}

static void
app_peer_fin(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now)
{
	app.peer_fins++;
	if (app.close_on_fin)
		tcp_close(c, conn, false, now);
}

static void
app_sent(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now)
{
	(void)c;
	(void)conn;
	(void)now;
	app.sent_calls++;
}

static void
app_timer(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now)
{
	(void)c;
	(void)conn;
	(void)now;
	app.timer_calls++;
}

static const struct tcp_app_ops ops = {
	.on_open = app_open,
	.on_data = app_data,
	.on_peer_fin = app_peer_fin,
	.on_sent = app_sent,
	.on_timer = app_timer,
};

/* ---- harness ---- */

struct peer {
	uint16_t port;
	uint32_t seq;		/* next sequence number the peer sends */
	uint32_t iss;		/* our ISS */
	uint32_t tsval;
	bool ts;
	struct tcp_conn *conn;
};

static struct tcp_ctx *ctx;
static struct tcp_params prm;
static uint64_t now;
static uint32_t last_tsval;	/* our latest TSval, echoed by the peer */

static void
params_default(struct tcp_params *p)
{
	memset(p, 0, sizeof(*p));
	p->msl_ms = 1000;
	p->fin_wait2_timeout_ms = 5000;
	p->syn_recv_timeout_ms = 3000;
	p->rto_min_ms = 200;
	p->rto_max_ms = 60000;
	p->rto_initial_ms = 1000;
	p->delayed_ack_ms = 40;
	p->max_retries = 3;
	p->mss = 1460;
	p->wscale = 7;
	p->timestamps = true;
	p->sack = true;
	p->rfc1337 = true;
	p->tw_reuse = TCP_TW_REUSE_TIMESTAMPS;
	p->challenge_ack_limit = 2;
	p->rcv_wnd = 65535;
	p->snd_buf = 16384;
	p->max_connections = 8;
	p->max_time_wait = 4;
	p->tw_overflow = TCP_TW_OVERFLOW_RECYCLE_OLDEST;
	p->max_send_buffers = 8;
	memcpy(p->isn_secret, "0123456789abcdef", 16);
}

static void
start(void)
{
	now = T0;
	ctx = tcp_ctx_create(&prm, now);
	assert_non_null(ctx);
	assert_int_equal(tcp_listen(ctx, LPORT, &ops, &prm), 0);
}

static int
setup(void **state)
{
	(void)state;
	memset(&app, 0, sizeof(app));
	last_tsval = 0;
	params_default(&prm);
	start();
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	assert_int_equal(tcp_ctx_check(ctx), 0);
	tcp_ctx_destroy(ctx);
	ctx = NULL;
	return 0;
}

/* Re-create the context with changed parameters. */
static void
restart(void)
{
	tcp_ctx_destroy(ctx);
	start();
}

static struct tcp_outq *
outq(void)
{
	return tcp_outq(ctx);
}

static struct tcp_out *
out(uint32_t i)
{
	assert_true(i < outq()->n);
	return &outq()->seg[i];
}

static const struct tcp_counters *
cnt(void)
{
	return tcp_counters(ctx);
}

static uint64_t
gauge(enum tcp_state s)
{
	return tcp_state_gauges(ctx)[s];
}

static struct net_seg
mkseg(const struct peer *p, uint8_t flags, uint32_t seq, uint32_t ack,
      const uint8_t *data, uint32_t len)
{
	struct net_seg s;

	memset(&s, 0, sizeof(s));
	s.saddr = RADDR;
	s.daddr = LADDR;
	s.sport = p->port;
	s.dport = LPORT;
	s.seq = seq;
	s.ack = ack;
	s.wnd = 65535;
	s.flags = flags;
	s.data = data;
	s.len = len;
	if (p->ts) {
		s.opts.has = NET_OPT_TS;
		s.opts.tsval = p->tsval;
		s.opts.tsecr = last_tsval;
	}
	return s;
}

/* Remember our timestamp as the peer would see it. */
static uint32_t
note_ts(void)
{
	uint32_t i;

	for (i = 0; i < outq()->n; i++)
		if (outq()->seg[i].opts.has & NET_OPT_TS)
			last_tsval = outq()->seg[i].opts.tsval;
	return outq()->n;
}

/* Feed one segment at the current time; returns segments queued. */
static uint32_t
input(const struct net_seg *s)
{
	outq()->n = 0;
	tcp_input(ctx, s, now);
	assert_int_equal(tcp_ctx_check(ctx), 0);
	return note_ts();
}

/* Run timers at time t; returns segments queued. */
static uint32_t
timers_at(uint64_t t)
{
	now = t;
	outq()->n = 0;
	tcp_timers(ctx, now, 1000);
	assert_int_equal(tcp_ctx_check(ctx), 0);
	return note_ts();
}

/* A segment from the peer at its current sequence number. */
static uint32_t
send_peer(struct peer *p, uint8_t flags, uint32_t ack, const uint8_t *d,
	  uint32_t len)
{
	struct net_seg s = mkseg(p, flags, p->seq, ack, d, len);

	p->tsval++;
	s.opts.tsval = p->tsval;
	return input(&s);
}

static void
assert_seg(const struct tcp_out *o, uint8_t flags, uint32_t seq, uint32_t ack)
{
	assert_int_equal(o->flags, flags);
	assert_int_equal(o->seq, seq);
	if (flags & ACK)
		assert_int_equal(o->ack, ack);
	assert_int_equal(o->laddr, LADDR);
	assert_int_equal(o->raddr, RADDR);
	assert_int_equal(o->lport, LPORT);
}

/* Complete a handshake; with_opts sends MSS 1460, WS 2, SACK, TS. */
static void
open_peer(struct peer *p, uint16_t port, bool with_opts)
{
	struct net_seg s;

	memset(p, 0, sizeof(*p));
	p->port = port;
	p->seq = PEER_ISN;
	p->ts = with_opts;
	p->tsval = 100;
	s = mkseg(p, SYN, p->seq, 0, NULL, 0);
	if (with_opts) {
		s.opts.has |= NET_OPT_MSS | NET_OPT_WSCALE | NET_OPT_SACK_OK;
		s.opts.mss = 1460;
		s.opts.wscale = 2;
		s.opts.tsecr = 0;
	}
	assert_int_equal(input(&s), 1);
	assert_int_equal(out(0)->flags, SYN | ACK);
	p->iss = out(0)->seq;
	p->seq++;
	app.conn = NULL;
	assert_int_equal(send_peer(p, ACK, p->iss + 1, NULL, 0), 0);
	assert_non_null(app.conn);
	p->conn = app.conn;
	assert_int_equal(tcp_conn_state(p->conn), TCP_ESTABLISHED);
}

static uint32_t
our_nxt(const struct peer *p, uint32_t sent)
{
	return p->iss + 1 + sent;
}

/* ---- handshake ---- */

static void
test_handshake_options(void **state)
{
	struct peer p = { .port = 40000, .ts = true, .tsval = 777 };
	struct net_seg s = mkseg(&p, SYN, PEER_ISN, 0, NULL, 0);
	const struct tcp_out *o;
	uint32_t iss1;

	(void)state;
	s.opts.has |= NET_OPT_MSS | NET_OPT_WSCALE | NET_OPT_SACK_OK;
	s.opts.mss = 1400;
	s.opts.wscale = 9;
	assert_int_equal(input(&s), 1);
	o = out(0);
	assert_seg(o, SYN | ACK, o->seq, PEER_ISN + 1);
	assert_int_equal(o->opts.has, NET_OPT_MSS | NET_OPT_WSCALE |
			 NET_OPT_SACK_OK | NET_OPT_TS);
	assert_int_equal(o->opts.mss, 1460);
	assert_int_equal(o->opts.wscale, 7);
	assert_int_equal(o->opts.tsecr, 777);
	assert_int_equal(o->wnd, 65535);
	assert_int_equal(o->len, 0);
	iss1 = o->seq;
	assert_int_equal(gauge(TCP_SYN_RECEIVED), 1);
	assert_int_equal(gauge(TCP_LISTEN), 1);

	/* Another tuple, same time: another ISN. */
	p.port = 40001;
	s = mkseg(&p, SYN, PEER_ISN, 0, NULL, 0);
	assert_int_equal(input(&s), 1);
	assert_int_not_equal(out(0)->seq, iss1);
	/* Without SACK/WS from the peer, neither is offered. */
	assert_int_equal(out(0)->opts.has, NET_OPT_MSS | NET_OPT_TS);

	/* The third ACK completes the first handshake. */
	p.port = 40000;
	s = mkseg(&p, ACK, PEER_ISN + 1, iss1 + 1, NULL, 0);
	assert_int_equal(input(&s), 0);
	assert_int_equal(app.opened, 1);
	assert_int_equal(gauge(TCP_ESTABLISHED), 1);
	assert_int_equal(gauge(TCP_SYN_RECEIVED), 1);
	assert_int_equal(cnt()->conn_opened, 1);
}

static void
test_handshake_no_options(void **state)
{
	static uint8_t buf[2000];
	struct peer p;

	(void)state;
	open_peer(&p, 40000, false);
	/* The SYN-ACK offered only MSS; the peer's MSS defaults to 536. */
	memset(buf, 'x', sizeof(buf));
	outq()->n = 0;
	assert_int_equal(tcp_send(ctx, p.conn, buf, sizeof(buf)), 2000);
	assert_int_equal(outq()->n, 4);
	assert_int_equal(out(0)->len, 536);
	assert_int_equal(out(0)->opts.has, 0);
	assert_int_equal(out(3)->len, 2000 - 3 * 536);
	assert_int_equal(out(3)->flags, ACK | NET_TCP_PSH);
	assert_int_equal(out(1)->seq, our_nxt(&p, 536));
}

static void
test_syn_ack_retransmit_and_timeout(void **state)
{
	struct peer p = { .port = 40000 };
	struct net_seg s = mkseg(&p, SYN, PEER_ISN, 0, NULL, 0);
	uint32_t iss;

	(void)state;
	assert_int_equal(input(&s), 1);
	iss = out(0)->seq;
	assert_int_equal(timers_at(T0 + 999 * MS), 0);
	assert_int_equal(timers_at(T0 + 1000 * MS), 1);
	assert_seg(out(0), SYN | ACK, iss, PEER_ISN + 1);
	assert_int_equal(cnt()->retransmit, 1);
	/* The SYN_RECEIVED timeout (3 s) comes before the next rexmit. */
	assert_int_equal(timers_at(T0 + 2999 * MS), 0);
	assert_int_equal(gauge(TCP_SYN_RECEIVED), 1);
	timers_at(T0 + 3000 * MS);
	assert_int_equal(gauge(TCP_SYN_RECEIVED), 0);
	assert_int_equal(cnt()->syn_recv_timeout, 1);
}

/* ---- no connection ---- */

static void
test_closed_port_rst(void **state)
{
	struct peer p = { .port = 40000 };
	struct net_seg s;

	(void)state;
	/* No ACK: <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>, SYN counts. */
	s = mkseg(&p, SYN, 5000, 0, NULL, 0);
	s.dport = 81;
	assert_int_equal(input(&s), 1);
	assert_int_equal(out(0)->flags, RST | ACK);
	assert_int_equal(out(0)->seq, 0);
	assert_int_equal(out(0)->ack, 5001);
	assert_int_equal(out(0)->lport, 81);
	assert_int_equal(out(0)->rport, 40000);
	/* FIN and data count too. */
	s = mkseg(&p, FIN, 5000, 0, (const uint8_t *)"abc", 3);
	s.dport = 81;
	assert_int_equal(input(&s), 1);
	assert_int_equal(out(0)->ack, 5004);
	/* ACK set: <SEQ=SEG.ACK><CTL=RST>. */
	s = mkseg(&p, ACK, 5000, 123456, NULL, 0);
	s.dport = 81;
	assert_int_equal(input(&s), 1);
	assert_int_equal(out(0)->flags, RST);
	assert_int_equal(out(0)->seq, 123456);
	/* RST: dropped silently. */
	s = mkseg(&p, RST, 5000, 0, NULL, 0);
	s.dport = 81;
	assert_int_equal(input(&s), 0);
	assert_int_equal(cnt()->drop_rst_unknown, 1);
	assert_int_equal(cnt()->drop_no_listener, 3);
	assert_int_equal(cnt()->rst_sent, 3);
}

static void
test_listen_unknown_ack_and_bad_flags(void **state)
{
	static const struct {
		uint8_t flags;
		uint32_t out;
		size_t counter;
	} cases[] = {
#define C(f) offsetof(struct tcp_counters, f)
		{ ACK, 1, C(drop_listen_ack) },
		{ ACK | FIN, 1, C(drop_listen_ack) },
		{ RST, 0, C(drop_rst_unknown) },
		{ SYN | FIN, 0, C(drop_syn_fin) },
		{ SYN | RST, 0, C(drop_syn_rst) },
		{ FIN, 0, C(drop_null_flags) },
		{ 0, 0, C(drop_null_flags) },
#undef C
	};
	struct peer p = { .port = 40000 };
	struct net_seg s;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const uint64_t *c = (const uint64_t *)((const char *)cnt() +
						       cases[i].counter);
		uint64_t before = *c;

		s = mkseg(&p, cases[i].flags, 5000, 777, NULL, 0);
		assert_int_equal(input(&s), cases[i].out);
		assert_int_equal(*c, before + 1);
		if (cases[i].out) {
			assert_int_equal(out(0)->flags, RST);
			assert_int_equal(out(0)->seq, 777);
		}
	}
	assert_int_equal(gauge(TCP_SYN_RECEIVED), 0);
}

static void
test_max_connections(void **state)
{
	struct peer p = { .port = 0 };
	struct net_seg s;
	uint16_t i;

	(void)state;
	for (i = 0; i < 8; i++) {
		p.port = (uint16_t)(41000 + i);
		s = mkseg(&p, SYN, PEER_ISN, 0, NULL, 0);
		assert_int_equal(input(&s), 1);
	}
	p.port = 42000;
	s = mkseg(&p, SYN, PEER_ISN, 0, NULL, 0);
	assert_int_equal(input(&s), 0);
	assert_int_equal(cnt()->conn_limit_drop, 1);
	assert_int_equal(gauge(TCP_SYN_RECEIVED), 8);
}

/* ---- data and ACKs ---- */

static void
test_delayed_ack(void **state)
{
	static const uint8_t d[100] = { 1, 2, 3 };
	struct peer p;
	uint64_t t;

	(void)state;
	open_peer(&p, 40000, true);
	t = now;
	assert_int_equal(send_peer(&p, ACK, our_nxt(&p, 0), d, 100), 0);
	assert_int_equal(app.rx_len, 100);
	assert_memory_equal(app.rx, d, 100);
	assert_int_equal(timers_at(t + 39 * MS + 999), 0);
	assert_int_equal(timers_at(t + 40 * MS), 1);
	assert_seg(out(0), ACK, our_nxt(&p, 0), PEER_ISN + 1 + 100);
	assert_int_equal(out(0)->opts.has, NET_OPT_TS);
	assert_int_equal(out(0)->opts.tsecr, p.tsval);
	assert_int_equal(cnt()->delayed_ack, 1);
	assert_int_equal(cnt()->bytes_in, 100);
}

static void
test_every_second_full_segment(void **state)
{
	static uint8_t d[1448];
	struct peer p;

	(void)state;
	open_peer(&p, 40000, true);
	/* Full-sized: 1460 - 12 bytes of timestamps. */
	assert_int_equal(send_peer(&p, ACK, our_nxt(&p, 0), d, 1448), 0);
	p.seq += 1448;
	assert_int_equal(send_peer(&p, ACK, our_nxt(&p, 0), d, 1448), 1);
	p.seq += 1448;
	assert_seg(out(0), ACK, our_nxt(&p, 0), p.seq);
	/* The delayed ACK was satisfied: nothing later. */
	assert_int_equal(timers_at(now + 100 * MS), 0);
	assert_int_equal(cnt()->delayed_ack, 0);
}

static void
test_out_of_order(void **state)
{
	static const uint8_t d[10];
	struct peer p;
	struct net_seg s;

	(void)state;
	open_peer(&p, 40000, true);
	s = mkseg(&p, ACK, p.seq + 100, our_nxt(&p, 0), d, 10);
	s.opts.tsval = ++p.tsval;
	assert_int_equal(input(&s), 1);
	assert_seg(out(0), ACK, our_nxt(&p, 0), p.seq);
	assert_int_equal(app.rx_len, 0);
	assert_int_equal(cnt()->ooo_drop, 1);
}

static void
test_echo_piggyback(void **state)
{
	static const uint8_t d[20] = "hello, echo";
	const uint8_t *ptr[2];
	uint32_t len[2];
	struct peer p;

	(void)state;
	app.echo = true;
	open_peer(&p, 40000, true);
	assert_int_equal(send_peer(&p, ACK | NET_TCP_PSH, our_nxt(&p, 0), d,
				   20), 1);
	/* The echoed data carries the ACK of what was taken. */
	assert_seg(out(0), ACK | NET_TCP_PSH, our_nxt(&p, 0), p.seq + 20);
	assert_int_equal(out(0)->len, 20);
	assert_int_equal(tcp_out_payload(ctx, out(0), ptr, len), 1);
	assert_int_equal(len[0], 20);
	assert_memory_equal(ptr[0], d, 20);
	/* No delayed ACK left over. */
	assert_int_equal(timers_at(now + 50 * MS), 0);
	/* The ACK of the echo frees the buffer and tells the app. */
	p.seq += 20;
	assert_int_equal(send_peer(&p, ACK, our_nxt(&p, 20), NULL, 0), 0);
	assert_int_equal(app.sent_calls, 1);
	assert_int_equal(tcp_send_space(ctx, p.conn), prm.snd_buf);
}

static void
test_partial_take_not_acked(void **state)
{
	static const uint8_t d[100];
	struct peer p;

	(void)state;
	app.take_max = 30;
	open_peer(&p, 40000, true);
	assert_int_equal(send_peer(&p, ACK, our_nxt(&p, 0), d, 100), 1);
	assert_seg(out(0), ACK, our_nxt(&p, 0), p.seq + 30);
	assert_int_equal(app.rx_len, 30);
}

static void
test_abort_in_callback(void **state)
{
	static const uint8_t d[10];
	struct peer p;

	(void)state;
	open_peer(&p, 40000, true);
	app.abort_on_data = true;
	assert_int_equal(send_peer(&p, ACK, our_nxt(&p, 0), d, 10), 1);
	assert_int_equal(out(0)->flags, RST | ACK);
	assert_int_equal(gauge(TCP_ESTABLISHED), 0);
	/* Further segments find no connection: reset. */
	p.seq += 10;
	assert_int_equal(send_peer(&p, ACK, our_nxt(&p, 0), NULL, 0), 1);
	assert_int_equal(out(0)->flags, RST);
}

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

static void
test_fin_wait2_timeout(void **state)
{
	struct peer p;
	uint64_t t;

	(void)state;
	open_peer(&p, 40000, true);
	tcp_close(ctx, p.conn, true, now);
	t = now;
	send_peer(&p, ACK, our_nxt(&p, 1), NULL, 0);
	assert_int_equal(gauge(TCP_FIN_WAIT_2), 1);
	timers_at(t + 5000 * MS - 1);
	assert_int_equal(gauge(TCP_FIN_WAIT_2), 1);
	timers_at(t + 5000 * MS);
	assert_int_equal(gauge(TCP_FIN_WAIT_2), 0);
	assert_int_equal(cnt()->fin_wait2_timeout, 1);
}

/* Bring p to TIME_WAIT through FIN_WAIT_1 + FIN/ACK. */
static void
to_time_wait(struct peer *p, uint16_t port)
{
	open_peer(p, port, true);
	tcp_close(ctx, p->conn, true, now);
	assert_int_equal(send_peer(p, FIN | ACK, our_nxt(p, 1), NULL, 0), 1);
	p->seq++;
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
				   (const uint8_t *)"x", 1), 1);
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
	/* An older timestamp and a lower sequence: refused, ACK. */
	s = mkseg(&p, SYN, PEER_ISN - 5000, 0, NULL, 0);
	s.opts.tsval = 50;
	assert_int_equal(input(&s), 1);
	assert_int_equal(out(0)->flags, ACK);
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
	/* A second later the budget is back. */
	now += 1000 * MS;
	assert_int_equal(input(&s), 1);
	assert_int_equal(cnt()->challenge_ack, 3);
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
	assert_int_equal(tcp_send(ctx, p.conn, b, 3000), 3000);
	assert_int_equal(outq()->n, 3);
	assert_int_equal(out(0)->len, 1448);
	check_payload(out(1), b, 1448);
	/* The first segment is acked; the rest is lost. */
	now += 10 * MS;
	assert_int_equal(send_peer(&p, ACK, our_nxt(&p, 1448), NULL, 0), 0);
	t = now;
	assert_int_equal(timers_at(t + 200 * MS - 1), 0);
	assert_int_equal(timers_at(t + 200 * MS), 1);
	assert_seg(out(0), ACK, our_nxt(&p, 1448), p.seq);
	assert_int_equal(out(0)->len, 1448);
	check_payload(out(0), b, 1448);
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

static void
test_send_window(void **state)
{
	static uint8_t b[3000];
	struct peer p;
	struct net_seg s;

	(void)state;
	pattern(b, sizeof(b));
	open_peer(&p, 40000, false);
	/* The peer shrinks its window to 1000 bytes. */
	s = mkseg(&p, ACK, p.seq, our_nxt(&p, 0), NULL, 0);
	s.wnd = 1000;
	input(&s);
	outq()->n = 0;
	assert_int_equal(tcp_send(ctx, p.conn, b, 3000), 3000);
	assert_int_equal(outq()->n, 2);
	assert_int_equal(out(0)->len + out(1)->len, 1000);
	/* ACK of 1000 with the window at 1000 again: 1000 more. */
	s = mkseg(&p, ACK, p.seq, our_nxt(&p, 1000), NULL, 0);
	s.wnd = 1000;
	assert_int_equal(input(&s), 2);
	assert_int_equal(out(0)->seq, our_nxt(&p, 1000));
	assert_int_equal(out(0)->len + out(1)->len, 1000);
	check_payload(out(1), b, 1536);
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
	assert_int_equal(tcp_send(ctx, p.conn, b, 100), 100);
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

static void
test_data_abort_after_retries(void **state)
{
	static uint8_t b[10];
	struct peer p;
	uint64_t t;

	(void)state;
	open_peer(&p, 40000, true);
	t = now;
	tcp_send(ctx, p.conn, b, 10);
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
	open_peer(&p, 40000, false);
	assert_int_equal(tcp_send(ctx, p.conn, b, 10000), 10000);
	assert_int_equal(send_peer(&p, ACK, our_nxt(&p, 10000), NULL, 0), 0);
	/* The buffer went back to the pool; take one again and fill it. */
	outq()->n = 0;
	assert_int_equal(tcp_send(ctx, p.conn, b + 10000, 10000), 10000);
	assert_int_equal(tcp_send(ctx, p.conn, b + 20000, 5000), 5000);
	assert_int_equal(tcp_send_space(ctx, p.conn), 1384);
	assert_true(outq()->n > 0);
	assert_int_equal(check_stream(&p, b), 0);
	/* Acknowledge 10000 and send more: the ring wraps. */
	assert_int_equal(send_peer(&p, ACK, our_nxt(&p, 20000), NULL, 0), 0);
	assert_int_equal(tcp_send_space(ctx, p.conn), 11384);
	outq()->n = 0;
	assert_int_equal(tcp_send(ctx, p.conn, b + 25000, 12000), 11384);
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

static void
test_app_timer(void **state)
{
	struct peer p;

	(void)state;
	open_peer(&p, 40000, true);
	tcp_app_timer(ctx, p.conn, now + 5 * MS);
	timers_at(now + 4 * MS);
	assert_int_equal(app.timer_calls, 0);
	timers_at(now + 1 * MS);
	assert_int_equal(app.timer_calls, 1);
	assert_ptr_equal(tcp_conn_app_arg(ctx, p.conn), &prm);
	assert_non_null(tcp_conn_app_state(p.conn));
}

static void
test_names(void **state)
{
	unsigned int i;

	(void)state;
	assert_string_equal(tcp_state_name(TCP_TIME_WAIT), "TIME_WAIT");
	assert_string_equal(tcp_state_name(TCP_CLOSED), "CLOSED");
	assert_string_equal(tcp_counter_name(0), "seg_in");
	for (i = 0; i < TCP_COUNTER_COUNT; i++)
		assert_non_null(tcp_counter_name(i));
	assert_null(tcp_counter_name(TCP_COUNTER_COUNT));
	assert_int_equal(tcp_listen(ctx, LPORT, &ops, NULL), -EEXIST);
	assert_true(tcp_ctx_mem_bytes(ctx) > 0);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_handshake_options),
		T(test_handshake_no_options),
		T(test_syn_ack_retransmit_and_timeout),
		T(test_closed_port_rst),
		T(test_listen_unknown_ack_and_bad_flags),
		T(test_max_connections),
		T(test_delayed_ack),
		T(test_every_second_full_segment),
		T(test_out_of_order),
		T(test_echo_piggyback),
		T(test_partial_take_not_acked),
		T(test_abort_in_callback),
		T(test_active_close_to_time_wait),
		T(test_fin_ack_shortcut),
		T(test_simultaneous_close),
		T(test_passive_close),
		T(test_close_on_peer_fin_callback),
		T(test_fin_retransmit_backoff_abort),
		T(test_fin_wait2_timeout),
		T(test_time_wait_lost_ack),
		T(test_time_wait_segments),
		T(test_time_wait_rst),
		T(test_time_wait_syn_reuse),
		T(test_time_wait_overflow),
		T(test_data_after_close_rst),
		T(test_half_close_keeps_reading),
		T(test_rst_in_established),
		T(test_syn_in_established_and_limit),
		T(test_ack_of_unsent_data),
		T(test_paws),
		T(test_data_retransmit),
		T(test_send_window),
		T(test_zero_window_probe),
		T(test_data_abort_after_retries),
		T(test_send_ring_wraps),
		T(test_old_ack_dropped),
		T(test_app_timer),
		T(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
