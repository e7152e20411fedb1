/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Established connections per source (p.max_per_source, tcp_source.c):
 * one host cannot take the whole pool; other hosts, and the host's
 * TIME_WAIT records, are not held against it. Built for IPv4 and IPv6
 * peers (tcp_test.h); for IPv6 a source is a /64.
 */
#include "tcp_test.h"
#include "tcp_internal.h"

#include "test_rng.h"

/* The peer address of source number src (0: the harness's RADDR). */
static uint8_t src_a6[256][16];

/* A segment from p, as source number src; returns segments queued. */
static uint32_t
send_from(struct peer *p, uint32_t src, uint8_t flags, uint32_t ack)
{
	struct net_seg s = mkseg(p, flags, p->seq, ack, NULL, 0);

	if (s.saddr6 != NULL) {
		memcpy(src_a6[src], RADDR6, 16);
		src_a6[src][7] = (uint8_t)src; /* another /64 */
		s.saddr6 = src_a6[src];
	} else {
		s.saddr = RADDR + (src << 8);
	}
	return input(&s);
}

/* A SYN from port of source src; returns segments queued. */
static uint32_t
syn_src(struct peer *p, uint32_t src, uint16_t port)
{
	memset(p, 0, sizeof(*p));
	p->v6 = peer_v6;
	p->port = port;
	p->seq = PEER_ISN;
	return send_from(p, src, SYN, 0);
}

/* The ACK completing p's handshake; returns segments queued. */
static uint32_t
ack_src(struct peer *p, uint32_t src)
{
	return send_from(p, src, ACK, p->iss + 1);
}

/* Open a connection from port of source src. */
static void
open_src(struct peer *p, uint32_t src, uint16_t port)
{
	assert_int_equal(syn_src(p, src, port), 1);
	assert_int_equal(out(0)->flags, SYN | ACK);
	p->iss = out(0)->seq;
	p->seq++;
	app.conn = NULL;
	assert_int_equal(ack_src(p, src), 0);
	assert_non_null(app.conn);
	p->conn = app.conn;
}

static void
limit(uint32_t n)
{
	prm.max_per_source = n;
	restart();
}

/* The count of the harness's source (RADDR, RADDR6). */
static uint32_t
count0(void)
{
	struct tcp_ends e = {
		.raddr = peer_v6 ? 0 : RADDR,
		.raddr6 = peer_v6 ? RADDR6 : NULL,
	};

	return tcp_src_count(ctx, &e);
}

/*
 * At its limit, a source's SYNs are dropped, silently and counted;
 * another source still gets in, and the source does again once one of
 * its connections is gone.
 */
static void
test_source_limit_syn_dropped(void **state)
{
	struct peer p[3], q;

	(void)state;
	limit(2);
	open_src(&p[0], 0, 5000);
	open_src(&p[1], 0, 5001);
	assert_int_equal(count0(), 2);
	assert_int_equal(syn_src(&p[2], 0, 5002), 0);
	assert_int_equal(cnt()->source_limit_drop, 1);
	assert_int_equal(gauge(TCP_SYN_RECEIVED), 0);
	open_src(&q, 1, 5002);
	assert_int_equal(gauge(TCP_ESTABLISHED), 3);
	outq()->n = 0;
	tcp_abort(ctx, p[0].conn, now);
	assert_int_equal(count0(), 1);
	open_src(&p[2], 0, 5002);
	assert_int_equal(count0(), 2);
	assert_int_equal(cnt()->source_limit_drop, 1);
	assert_int_equal(cnt()->source_limit_reset, 0);
}

/*
 * Handshakes in flight together may complete over the limit: the one
 * over it is answered with a RST at its ACK and forgotten.
 */
static void
test_source_limit_handshake_reset(void **state)
{
	struct peer a, b;

	(void)state;
	limit(1);
	assert_int_equal(syn_src(&a, 0, 5000), 1);
	a.iss = out(0)->seq;
	a.seq++;
	assert_int_equal(syn_src(&b, 0, 5001), 1);
	b.iss = out(0)->seq;
	b.seq++;
	assert_int_equal(gauge(TCP_SYN_RECEIVED), 2);
	assert_int_equal(ack_src(&a, 0), 0);
	assert_int_equal(ack_src(&b, 0), 1);
	assert_int_equal(out(0)->flags, RST);
	assert_int_equal(out(0)->seq, b.iss + 1);
	assert_int_equal(cnt()->source_limit_reset, 1);
	assert_int_equal(gauge(TCP_SYN_RECEIVED), 0);
	assert_int_equal(gauge(TCP_ESTABLISHED), 1);
	assert_int_equal(count0(), 1);
	/* The reset one is gone: its ACK again draws a listener's RST. */
	assert_int_equal(send_from(&b, 0, ACK, b.iss + 1), 1);
	assert_int_equal(out(0)->flags, RST);
	assert_int_equal(gauge(TCP_ESTABLISHED), 1);
	assert_int_equal(cnt()->source_limit_reset, 1);
}

/* A source's TIME_WAIT records are not its connections. */
static void
test_source_limit_time_wait_free(void **state)
{
	struct peer p, q;

	(void)state;
	limit(1);
	to_time_wait(&p, 5000);
	assert_int_equal(gauge(TCP_TIME_WAIT), 1);
	assert_int_equal(count0(), 0);
	open_src(&q, 0, 5001);
	assert_int_equal(count0(), 1);
}

/* A SYN cookie's ACK is held to the limit as a handshake is. */
static void
test_source_limit_cookie(void **state)
{
	struct peer a, b;

	(void)state;
	prm.syncookies = TCP_SYNCOOKIES_ALWAYS;
	limit(1);
	assert_int_equal(syn_src(&a, 0, 5000), 1);
	a.iss = out(0)->seq;
	a.seq++;
	assert_int_equal(syn_src(&b, 0, 5001), 1);
	b.iss = out(0)->seq;
	b.seq++;
	assert_int_equal(gauge(TCP_SYN_RECEIVED), 0);
	assert_int_equal(ack_src(&a, 0), 0);
	assert_int_equal(gauge(TCP_ESTABLISHED), 1);
	assert_int_equal(ack_src(&b, 0), 1);
	assert_int_equal(out(0)->flags, RST);
	assert_int_equal(cnt()->source_limit_reset, 1);
	assert_int_equal(gauge(TCP_ESTABLISHED), 1);
	/* At the limit, no cookie either. */
	assert_int_equal(syn_src(&b, 0, 5002), 0);
	assert_int_equal(cnt()->source_limit_drop, 1);
}

/* Without a limit there is no table, and nothing is counted. */
static void
test_source_limit_off(void **state)
{
	struct peer p[8];
	uint16_t i;

	(void)state;
	for (i = 0; i < 8; i++)
		open_src(&p[i], 0, (uint16_t)(5000 + i));
	assert_null(ctx->src);
	assert_int_equal(count0(), 0);
	assert_int_equal(cnt()->source_limit_drop, 0);
}

/* IPv6: the addresses of one /64 are one source. */
static void
test_source_limit_v6_prefix(void **state)
{
	static const uint8_t other_iid[16] = { 0x20, 0x01,	 0x0d,
					       0xb8, [8] = 0x12, [15] = 7 };
	struct peer a, b = { .port = 5001, .seq = PEER_ISN, .v6 = true };
	struct net_seg s;

	(void)state;
	peer_v6 = true;
	limit(1);
	open_src(&a, 0, 5000);
	s = mkseg(&b, SYN, b.seq, 0, NULL, 0);
	s.saddr6 = other_iid;
	assert_int_equal(input(&s), 0);
	assert_int_equal(cnt()->source_limit_drop, 1);
}

/*
 * Many sources opening and closing at random, some at their limit: the
 * table (its probes, its deletions moving entries back) agrees after
 * every step with the connections open, which tcp_ctx_check() checks
 * through tcp_src_check() at each input(); and a source is refused
 * exactly when the model says it holds the limit.
 */
static void
test_source_limit_random(void **state)
{
	enum { SOURCES = 40, SLOTS = 8, LIMIT = 2, STEPS = 6000 };
	struct {
		struct peer p;
		uint32_t src;
		bool open;
	} slot[SLOTS];
	uint32_t held[SOURCES] = { 0 }, drops = 0, i, k;
	uint16_t port = 1024;

	(void)state;
	prm.max_connections = SLOTS;
	limit(LIMIT);
	memset(slot, 0, sizeof(slot));
	for (i = 0; i < STEPS; i++) {
		k = rng() % SLOTS;
		if (slot[k].open) {
			outq()->n = 0;
			tcp_abort(ctx, slot[k].p.conn, now);
			held[slot[k].src]--;
			slot[k].open = false;
		} else {
			uint32_t src = rng() % SOURCES;

			port = (uint16_t)(port == 65535 ? 1024 : port + 1);
			if (held[src] >= LIMIT) {
				assert_int_equal(syn_src(&slot[k].p, src, port),
						 0);
				drops++;
			} else {
				open_src(&slot[k].p, src, port);
				slot[k].src = src;
				slot[k].open = true;
				held[src]++;
			}
		}
		assert_int_equal(tcp_ctx_check(ctx), 0);
		now += MS;
	}
	assert_true(drops > 0);
	assert_int_equal(cnt()->source_limit_drop, drops);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_source_limit_syn_dropped),
		T(test_source_limit_handshake_reset),
		T(test_source_limit_time_wait_free),
		T(test_source_limit_cookie),
		T(test_source_limit_off),
		T(test_source_limit_v6_prefix),
		T(test_source_limit_random),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
