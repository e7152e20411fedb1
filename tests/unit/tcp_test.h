/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The harness shared by the TCP unit tests (test_tcp*.c): a test
 * application, a simulated peer that builds segments, a virtual clock,
 * and checks of the output queue, counters and gauges after every step.
 * Each test program includes it once.
 *
 * Peers speak IPv4, or IPv6 when peer_v6 is set before peer_syn() (or
 * p->v6 before mkseg()). A program built with -DTCP_TEST_V6 makes every
 * peer IPv6 and gives the IPv6 ring and MSS the IPv4 figures, so that the
 * same cases run over IPv6 unchanged (tests/unit/meson.build).
 */
#ifndef TT_TCP_TEST_H
#define TT_TCP_TEST_H

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

#define LADDR 0xc6120001u /* 198.18.0.1 */
#define RADDR 0xc6120002u /* 198.18.0.2 */
/* 2001:db8::1 and 2001:db8::2 */
static const uint8_t LADDR6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
static const uint8_t RADDR6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };

#ifdef TCP_TEST_V6
#define TCP_TEST_V6_DEFAULT true
#else
#define TCP_TEST_V6_DEFAULT false
#endif
/* RFC 9293 3.7.1: our send MSS toward a peer without an MSS option. */
#define PEER_DEFAULT_MSS (TCP_TEST_V6_DEFAULT ? 1220u : 536u)
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
	struct tcp_conn *conn; /* last opened */
	uint32_t opened;
	uint32_t peer_fins;
	uint32_t sent_calls;
	uint32_t timer_calls;
	uint8_t rx[65536];
	uint32_t rx_len;
	uint32_t take_max; /* 0 = take everything */
	bool take_none;	   /* take nothing (a reader that stopped) */
	bool echo;
	bool abort_on_data;
	bool close_on_fin;
};

static struct tapp app;

static inline void
app_open(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now)
{
	(void)c;
	(void)now;
	app.conn = conn;
	app.opened++;
}

static inline uint32_t
app_data(struct tcp_ctx *c, struct tcp_conn *conn, const uint8_t *data,
	 uint32_t len, uint64_t now)
{
	if (app.abort_on_data) {
		tcp_abort(c, conn, now);
		return 0;
	}
	if (app.take_none)
		return 0;
	if (app.take_max != 0 && len > app.take_max)
		len = app.take_max;
	if (app.rx_len + len <= sizeof(app.rx)) {
		memcpy(app.rx + app.rx_len, data, len);
		app.rx_len += len;
	}
	if (app.echo)
		tcp_send(c, conn, data, len, now);
	return len;
}

static inline void
app_peer_fin(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now)
{
	app.peer_fins++;
	if (app.close_on_fin)
		tcp_close(c, conn, false, now);
}

static inline void
app_sent(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now)
{
	(void)c;
	(void)conn;
	(void)now;
	app.sent_calls++;
}

static inline void
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
	bool v6; /* speaks IPv6 (RADDR6 to LADDR6) */
	uint16_t port;
	uint32_t seq; /* next sequence number the peer sends */
	uint32_t iss; /* our ISS */
	uint32_t tsval;
	bool ts;
	struct tcp_conn *conn;
};

static struct tcp_ctx *ctx;
static struct tcp_params prm;
static bool peer_v6; /* peers made by peer_syn() speak IPv6 */
static uint64_t now;
static uint32_t last_tsval; /* our latest TSval, echoed by the peer */

static inline void
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
	p->send_timeout_ms = 60000; /* the production default */
	p->mss = 1460;
	p->wscale = 7;
	p->timestamps = true;
	p->sack = true;
	p->rack = true;
	p->rfc1337 = true;
	p->tw_reuse = TCP_TW_REUSE_TIMESTAMPS;
	p->challenge_ack_limit = 2;
	p->rcv_wnd = 65535;
	p->snd_buf = 16384;
	p->max_connections = 8;
	p->max_time_wait = 4;
	p->tw_overflow = TCP_TW_OVERFLOW_RECYCLE_OLDEST;
	p->max_send_buffers = 8;
	p->ipv6 = true;
	p->max_time_wait6 = 4;
	memcpy(p->isn_secret, "0123456789abcdef", 16);
}

/* Create the context and its listener with the clock at t. */
static inline void
start_at(uint64_t t)
{
	now = t;
	if (TCP_TEST_V6_DEFAULT) {
		prm.max_time_wait6 = prm.max_time_wait;
		prm.mss6 = prm.mss;
	}
	ctx = tcp_ctx_create(&prm, now);
	assert_non_null(ctx);
	assert_int_equal(tcp_listen(ctx, LPORT, &ops, &prm), 0);
}

static inline void
start(void)
{
	start_at(T0);
}

static inline int
setup(void **state)
{
	(void)state;
	memset(&app, 0, sizeof(app));
	last_tsval = 0;
	peer_v6 = TCP_TEST_V6_DEFAULT;
	params_default(&prm);
	start();
	return 0;
}

static inline int
teardown(void **state)
{
	(void)state;
	assert_int_equal(tcp_ctx_check(ctx), 0);
	tcp_ctx_destroy(ctx);
	ctx = NULL;
	return 0;
}

/* Re-create the context with changed parameters. */
static inline void
restart_at(uint64_t t)
{
	tcp_ctx_destroy(ctx);
	start_at(t);
}

static inline void
restart(void)
{
	restart_at(T0);
}

static inline struct tcp_outq *
outq(void)
{
	return tcp_outq(ctx);
}

static inline struct tcp_out *
out(uint32_t i)
{
	assert_true(i < outq()->n);
	return &outq()->seg[i];
}

static inline const struct tcp_counters *
cnt(void)
{
	return tcp_counters(ctx);
}

static inline uint64_t
gauge(enum tcp_state s)
{
	return tcp_state_gauges(ctx)[s];
}

static inline struct net_seg
mkseg(const struct peer *p, uint8_t flags, uint32_t seq, uint32_t ack,
      const uint8_t *data, uint32_t len)
{
	struct net_seg s;

	memset(&s, 0, sizeof(s));
	if (p->v6 || peer_v6) {
		s.saddr6 = RADDR6;
		s.daddr6 = LADDR6;
	} else {
		s.saddr = RADDR;
		s.daddr = LADDR;
	}
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

/* Payload bytes in the output queue. */
static inline uint32_t
outq_bytes(void)
{
	uint32_t i, n = 0;

	for (i = 0; i < outq()->n; i++)
		n += outq()->seg[i].len;
	return n;
}

/* Remember our timestamp as the peer would see it. */
static inline uint32_t
note_ts(void)
{
	uint32_t i;

	for (i = 0; i < outq()->n; i++)
		if (outq()->seg[i].opts.has & NET_OPT_TS)
			last_tsval = outq()->seg[i].opts.tsval;
	return outq()->n;
}

/* Feed one segment at the current time; returns segments queued. */
static inline uint32_t
input(const struct net_seg *s)
{
	outq()->n = 0;
	tcp_input(ctx, s, now);
	assert_int_equal(tcp_ctx_check(ctx), 0);
	return note_ts();
}

/* Run timers at time t; returns segments queued. */
static inline uint32_t
timers_at(uint64_t t)
{
	now = t;
	outq()->n = 0;
	tcp_timers(ctx, now, 1000);
	assert_int_equal(tcp_ctx_check(ctx), 0);
	return note_ts();
}

/* A segment from the peer at its current sequence number. */
static inline uint32_t
send_peer(struct peer *p, uint8_t flags, uint32_t ack, const uint8_t *d,
	  uint32_t len)
{
	struct net_seg s = mkseg(p, flags, p->seq, ack, d, len);

	p->tsval++;
	s.opts.tsval = p->tsval;
	return input(&s);
}

/* A segment to send goes to the harness's peer address of its family. */
static inline void
assert_out_addrs(const struct tcp_out *o, bool v6)
{
	if (v6) {
		assert_int_equal(o->family, TCP_FAMILY_IPV6);
		assert_int_equal(o->laddr, 0);
		assert_int_equal(o->raddr, 0);
		assert_memory_equal(o->laddr6, LADDR6, 16);
		assert_memory_equal(o->raddr6, RADDR6, 16);
		return;
	}
	assert_int_equal(o->family, TCP_FAMILY_IPV4);
	assert_int_equal(o->laddr, LADDR);
	assert_int_equal(o->raddr, RADDR);
}

static inline void
assert_seg(const struct tcp_out *o, uint8_t flags, uint32_t seq, uint32_t ack)
{
	assert_int_equal(o->flags, flags);
	assert_int_equal(o->seq, seq);
	if (flags & ACK)
		assert_int_equal(o->ack, ack);
	assert_out_addrs(o, peer_v6);
	assert_int_equal(o->lport, LPORT);
}

/*
 * A SYN from a new peer on port; with_opts adds MSS mss, WS 2, SACK and
 * TS. Returns the segments queued.
 */
static inline uint32_t
peer_syn(struct peer *p, uint16_t port, bool with_opts, uint16_t mss)
{
	struct net_seg s;

	memset(p, 0, sizeof(*p));
	p->v6 = peer_v6;
	p->port = port;
	p->seq = PEER_ISN;
	p->ts = with_opts;
	p->tsval = 100;
	s = mkseg(p, SYN, p->seq, 0, NULL, 0);
	if (with_opts) {
		s.opts.has |= NET_OPT_MSS | NET_OPT_WSCALE | NET_OPT_SACK_OK;
		s.opts.mss = mss;
		s.opts.wscale = 2;
		s.opts.tsecr = 0;
	}
	return input(&s);
}

/* Complete a handshake; with_opts sends MSS 1460, WS 2, SACK, TS. */
static inline void
open_peer(struct peer *p, uint16_t port, bool with_opts)
{
	assert_int_equal(peer_syn(p, port, with_opts, 1460), 1);
	assert_int_equal(out(0)->flags, SYN | ACK);
	p->iss = out(0)->seq;
	p->seq++;
	app.conn = NULL;
	assert_int_equal(send_peer(p, ACK, p->iss + 1, NULL, 0), 0);
	assert_non_null(app.conn);
	p->conn = app.conn;
	assert_int_equal(tcp_conn_state(p->conn), TCP_ESTABLISHED);
}

static inline uint32_t
our_nxt(const struct peer *p, uint32_t sent)
{
	return p->iss + 1 + sent;
}

/* An ACK of the peer at ack offering wnd bytes; returns segments queued. */
static inline uint32_t
peer_wnd(struct peer *p, uint32_t ack, uint16_t wnd)
{
	struct net_seg s = mkseg(p, ACK, p->seq, ack, NULL, 0);

	s.wnd = wnd;
	return input(&s);
}

/*
 * A handshake without options whose SYN and ACK offer wnd bytes: the
 * largest window the peer offered, Max(SND.WND), is wnd, so SWS avoidance
 * sends into it at once (RFC 9293 3.8.6.2.1, rule 3).
 */
static inline void
open_wnd(struct peer *p, uint16_t port, uint16_t wnd)
{
	struct net_seg s;

	memset(p, 0, sizeof(*p));
	p->v6 = peer_v6;
	p->port = port;
	p->seq = PEER_ISN;
	s = mkseg(p, SYN, p->seq, 0, NULL, 0);
	s.wnd = wnd;
	assert_int_equal(input(&s), 1);
	p->iss = out(0)->seq;
	p->seq++;
	app.conn = NULL;
	assert_int_equal(peer_wnd(p, p->iss + 1, wnd), 0);
	assert_non_null(app.conn);
	p->conn = app.conn;
}

/*
 * Open a connection from port (with options), close it from our side
 * and take the peer's FIN: the tuple is in TIME_WAIT on our side, and
 * p->seq is the peer's sequence number after its FIN.
 */
static inline void
to_time_wait(struct peer *p, uint16_t port)
{
	open_peer(p, port, true);
	tcp_close(ctx, p->conn, true, now);
	note_ts();
	assert_int_equal(send_peer(p, ACK | FIN, our_nxt(p, 1), NULL, 0), 1);
	assert_int_equal(out(0)->flags, ACK);
	p->seq++;
	p->conn = NULL;
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

#endif /* TT_TCP_TEST_H */
