/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * TCP unit tests on a virtual clock (harness in tcp_test.h): handshake,
 * segments without a connection, data and ACKs, the receive buffer,
 * application timers and names.
 */
#include "tcp_test.h"
#include "flowtab.h"
#include "tcp_internal.h"

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
	assert_int_equal(o->opts.has,
			 NET_OPT_MSS | NET_OPT_WSCALE | NET_OPT_SACK_OK |
				 NET_OPT_TS);
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

/*
 * RFC 9293 3.10.7.4 fifth, SYN-RECEIVED: only SND.UNA < SEG.ACK <=
 * SND.NXT opens the connection; any other ACK draws <SEQ=SEG.ACK>
 * <CTL=RST>, counted as a bad ACK, never the synchronized states'
 * challenge ACK or rate-limited ACK, and the connection stays half-open.
 */
static void
test_syn_received_ack_range(void **state)
{
	static const struct {
		int32_t ack; /* relative to our ISS */
		bool opens;
	} rows[] = {
		{ 0, false },	   { 2, false },       { -1, false },
		{ -70000, false }, { 1 << 30, false }, { 1, true },
	};
	uint32_t i, bad = 0;
	struct net_seg s;
	struct peer p;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		assert_int_equal(peer_syn(&p, 41000 + i, true, 1460), 1);
		p.iss = out(0)->seq;
		p.seq++;
		app.opened = 0;
		s = mkseg(&p, ACK, p.seq, p.iss + rows[i].ack, NULL, 0);
		if (rows[i].opens) {
			assert_int_equal(input(&s), 0);
			assert_int_equal(app.opened, 1);
			assert_int_equal(gauge(TCP_ESTABLISHED), 1);
		} else {
			assert_int_equal(input(&s), 1);
			assert_int_equal(out(0)->flags, RST);
			assert_int_equal(out(0)->seq, p.iss + rows[i].ack);
			assert_int_equal(app.opened, 0);
			bad++;
		}
		assert_int_equal(cnt()->drop_bad_ack, bad);
		assert_int_equal(cnt()->drop_old_ack, 0);
		assert_int_equal(cnt()->challenge_ack, 0);
	}
	assert_int_equal(gauge(TCP_SYN_RECEIVED), bad);
}

static void
test_handshake_no_options(void **state)
{
	static uint8_t buf[2000];
	const uint32_t m = PEER_DEFAULT_MSS;
	struct peer p;

	(void)state;
	open_peer(&p, 40000, false);
	/*
	 * The SYN-ACK offered only MSS; the peer's MSS defaults to 536
	 * (IPv6: 1220).
	 */
	memset(buf, 'x', sizeof(buf));
	outq()->n = 0;
	assert_int_equal(tcp_send(ctx, p.conn, buf, sizeof(buf), now), 2000);
	assert_int_equal(outq()->n, (2000 + m - 1) / m);
	assert_int_equal(out(0)->len, m);
	assert_int_equal(out(0)->opts.has, 0);
	assert_int_equal(out(outq()->n - 1)->len, 2000 - (outq()->n - 1) * m);
	assert_int_equal(out(outq()->n - 1)->flags, ACK | NET_TCP_PSH);
	assert_int_equal(out(1)->seq, our_nxt(&p, m));
}

/*
 * A slot taken again starts as a fresh one, whatever its last connection
 * left: the slot of an aborted connection is filled with garbage (all but
 * what a slot keeps: index, generations, wheel entry and free link), and
 * the connection a SYN opens there is, byte for byte, padding included,
 * the one the same SYN opens in a new context.
 */
static void
test_conn_fresh_in_poisoned_slot(void **state)
{
	struct peer p, q;
	struct net_seg s;
	struct tcp_conn *a, *b, fresh, saved;
	struct tcp_ctx *c2;

	(void)state;
	open_peer(&p, 40000, true);
	a = p.conn;
	tcp_abort(ctx, a, now);
	saved = *a;
	memset(a, 0xa5, sizeof(*a));
	a->idx = saved.idx;
	a->gen = saved.gen;
	a->tgen = saved.tgen;
	a->armed_tick = saved.armed_tick;
	a->next_free = saved.next_free;
	now += 1234 * MS;
	assert_int_equal(peer_syn(&q, 40001, false, 0), 1);
	assert_int_equal(tcp_conn_state(a), TCP_SYN_RECEIVED);
	b = a;
	/* The same SYN, at the same time, in a new context. */
	c2 = tcp_ctx_create(&prm, now);
	assert_non_null(c2);
	assert_int_equal(tcp_listen(c2, LPORT, &ops, &prm), 0);
	s = mkseg(&q, SYN, PEER_ISN, 0, NULL, 0);
	tcp_input(c2, &s, now);
	assert_int_equal(c2->conns[b->idx].state, TCP_SYN_RECEIVED);
	fresh = c2->conns[b->idx];
	fresh.gen = b->gen;
	fresh.tgen = b->tgen;
	fresh.armed_tick = b->armed_tick;
	assert_memory_equal(&fresh, b, sizeof(fresh));
	tcp_ctx_destroy(c2);
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

/* With SYN cookies off, a full pool drops the SYN. */
static void
test_max_connections(void **state)
{
	struct peer p = { .port = 0 };
	struct net_seg s;
	uint16_t i;

	(void)state;
	prm.syncookies = TCP_SYNCOOKIES_OFF;
	restart();
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

/*
 * SYNs from one peer whose tuples home in the first 16 slots of the flow
 * table (found with the table's secret, fixed here): the table takes
 * FLOWTAB_PROBE_MAX or a few more, refuses the rest and counts them as
 * table_probe_limit, not table_full.
 */
#define PROBE_SYNS (FLOWTAB_PROBE_MAX + 40)

static void
test_table_probe_limit(void **state)
{
	static const uint8_t secret[FLOWTAB_SECRET_LEN] = "probe-limit-key";
	struct flowtab *ft;
	struct peer p = { .port = 0 };
	struct net_seg s;
	uint32_t n = 0, opened = 0, port;

	(void)state;
	prm.max_connections = 600;
	prm.flow_secret = secret;
	restart();
	/* A table like the context's: same size and secret, same homes. */
	ft = flowtab_create(prm.max_connections + prm.max_time_wait +
				    prm.max_time_wait6,
			    secret);
	assert_non_null(ft);
	for (port = 1024; port < 65536 && n < PROBE_SYNS; port++) {
		struct flow_key k = {
			.raddr = RADDR,
			.laddr = LADDR,
			.rport = (uint16_t)port,
			.lport = LPORT,
		};

		if (peer_v6)
			flowtab_key6(ft, RADDR6, LADDR6, (uint16_t)port, LPORT,
				     &k);

		if (flowtab_slot_of(ft, flowtab_hash(ft, &k)) >= 16)
			continue;
		p.port = (uint16_t)port;
		s = mkseg(&p, SYN, PEER_ISN, 0, NULL, 0);
		opened += input(&s) == 1;
		n++;
	}
	flowtab_destroy(ft);
	assert_int_equal(n, PROBE_SYNS);
	assert_true(opened >= FLOWTAB_PROBE_MAX);
	assert_true(opened < FLOWTAB_PROBE_MAX + 16);
	assert_int_equal(gauge(TCP_SYN_RECEIVED), opened);
	assert_int_equal(cnt()->table_probe_limit, PROBE_SYNS - opened);
	assert_int_equal(cnt()->table_full, 0);
	assert_int_equal(cnt()->conn_limit_drop, 0);
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

/*
 * RFC 5681 4.2: full-sized is the sender's SMSS, which may be below the
 * MSS it announced (here 1460, with timestamps 1448, while its path
 * takes 1388). Every second of its 1388-byte segments is acknowledged
 * at once; before, none counted as full-sized and each ACK waited for
 * the delayed ACK timer. Short segments (below 536) and one shorter
 * than the largest so far still wait.
 */
static void
test_every_second_segment_below_announced_mss(void **state)
{
	static uint8_t d[1388];
	struct peer p;
	uint32_t i;

	(void)state;
	open_peer(&p, 40000, true);
	for (i = 0; i < 3; i++) {
		assert_int_equal(send_peer(&p, ACK, our_nxt(&p, 0), d, 1388),
				 0);
		p.seq += 1388;
		assert_int_equal(send_peer(&p, ACK, our_nxt(&p, 0), d, 1388),
				 1);
		p.seq += 1388;
		assert_seg(out(0), ACK, our_nxt(&p, 0), p.seq);
	}
	assert_int_equal(cnt()->delayed_ack, 0);
	/* Two shorter than the largest: the delayed ACK timer. */
	assert_int_equal(send_peer(&p, ACK, our_nxt(&p, 0), d, 1000), 0);
	p.seq += 1000;
	assert_int_equal(send_peer(&p, ACK, our_nxt(&p, 0), d, 1000), 0);
	p.seq += 1000;
	assert_int_equal(timers_at(now + 40 * MS), 1);
	assert_int_equal(cnt()->delayed_ack, 1);
	/* Two of 500 bytes, below 536: not full-sized either. */
	assert_int_equal(send_peer(&p, ACK, our_nxt(&p, 0), d, 500), 0);
	p.seq += 500;
	assert_int_equal(send_peer(&p, ACK, our_nxt(&p, 0), d, 500), 0);
	p.seq += 500;
	assert_int_equal(timers_at(now + 40 * MS), 1);
	assert_seg(out(0), ACK, our_nxt(&p, 0), p.seq);
	assert_int_equal(cnt()->delayed_ack, 2);
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
	/* Held (RFC 9293 3.10.7.4 seventh) and reported (RFC 2018 4). */
	assert_int_equal(cnt()->ooo_queued, 1);
	assert_int_equal(out(0)->opts.nsack, 1);
	assert_int_equal(out(0)->opts.sack[0].start, p.seq + 100);
	assert_int_equal(out(0)->opts.sack[0].end, p.seq + 110);
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
				   20),
			 1);
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

/* What the application leaves is held, acknowledged and offered again. */
static void
test_partial_take_held(void **state)
{
	uint8_t d[100];
	struct peer p;
	uint32_t i;

	(void)state;
	for (i = 0; i < sizeof(d); i++)
		d[i] = (uint8_t)i;
	app.take_max = 30;
	open_peer(&p, 40000, true);
	assert_int_equal(send_peer(&p, ACK, our_nxt(&p, 0), d, 100), 0);
	assert_int_equal(app.rx_len, 30);
	assert_int_equal(tcp_read_pending(p.conn), 70);
	/* The delayed ACK covers all 100 bytes, the window 70 less. */
	assert_int_equal(timers_at(now + 40 * MS), 1);
	assert_seg(out(0), ACK, our_nxt(&p, 0), p.seq + 100);
	assert_int_equal(out(0)->wnd, (65535 - 70) >> 7);
	assert_int_equal(cnt()->rcvbuf_bytes, 70);
	/* Each offer stops when the application takes less. */
	outq()->n = 0;
	tcp_read_resume(ctx, p.conn, now);
	assert_int_equal(app.rx_len, 60);
	assert_int_equal(cnt()->rcvbuf_bytes, 40);
	tcp_read_resume(ctx, p.conn, now);
	assert_int_equal(app.rx_len, 90);
	tcp_read_resume(ctx, p.conn, now);
	assert_int_equal(app.rx_len, 100);
	assert_memory_equal(app.rx, d, 100);
	assert_int_equal(tcp_read_pending(p.conn), 0);
	assert_int_equal(cnt()->rcvbuf_bytes, 0);
	/* The window grew by less than an MSS: no update (RFC 1122). */
	assert_int_equal(outq()->n, 0);
}

/* No receive buffer left: the bytes not taken stay unacknowledged. */
static void
test_partial_take_no_buffer(void **state)
{
	static const uint8_t d[100];
	struct peer p, q;

	(void)state;
	prm.max_rcv_buffers = 1;
	restart();
	app.take_max = 30;
	open_peer(&p, 40000, true);
	assert_int_equal(send_peer(&p, ACK, our_nxt(&p, 0), d, 100), 0);
	open_peer(&q, 40001, true);
	assert_int_equal(send_peer(&q, ACK, our_nxt(&q, 0), d, 100), 1);
	assert_seg(out(0), ACK, our_nxt(&q, 0), q.seq + 30);
	assert_int_equal(cnt()->rcvbuf_exhausted, 1);
	/* A reset frees the buffer and the bytes it held leave the gauge. */
	assert_int_equal(cnt()->rcvbuf_bytes, 70);
	p.seq += 100;
	send_peer(&p, RST, 0, NULL, 0);
	assert_int_equal(cnt()->rcvbuf_bytes, 0);
}

/*
 * A connection with a window of wnd bytes in units of 1 << wscale, whose
 * application takes nothing it is offered.
 */
static void
stalled_reader_of(struct peer *p, uint32_t wnd, uint8_t wscale)
{
	prm.rcv_wnd = wnd;
	prm.wscale = wscale;
	restart();
	app.take_none = true;
	open_peer(p, 40000, true);
}

/* The same with a window of 4000 bytes, unscaled. */
static void
stalled_reader(struct peer *p)
{
	stalled_reader_of(p, 4000, 0);
}

/*
 * The peer sends len bytes, acknowledged by the delayed ACK: returns the
 * window field it carries.
 */
static uint16_t
delayed_ack_window(struct peer *p, const uint8_t *d, uint32_t len)
{
	assert_int_equal(send_peer(p, ACK, our_nxt(p, 0), d, len), 0);
	p->seq += len;
	assert_int_equal(timers_at(now + 40 * MS), 1);
	assert_seg(out(0), ACK, our_nxt(p, 0), p->seq);
	return out(0)->wnd;
}

/*
 * The application takes up to max bytes (0: all) of what it holds back,
 * offered again now; returns the segments that sends.
 */
static uint32_t
reader_takes(struct peer *p, uint32_t max)
{
	app.take_none = false;
	app.take_max = max;
	outq()->n = 0;
	tcp_read_resume(ctx, p->conn, now);
	return outq()->n;
}

/*
 * The peer sends its last len bytes again: the duplicate ACK they draw
 * acknowledges all; returns the window it offers.
 */
static uint16_t
resent_window(struct peer *p, const uint8_t *d, uint32_t len)
{
	p->seq -= len;
	assert_int_equal(send_peer(p, ACK, our_nxt(p, 0), d, len), 1);
	p->seq += len;
	assert_seg(out(0), ACK, our_nxt(p, 0), p->seq);
	return out(0)->wnd;
}

/*
 * A reader that stops: the window closes to zero as the buffer fills,
 * zero window probes are answered with window 0, the FIN that follows is
 * acknowledged (CLOSE_WAIT) but reported only after the held bytes, and
 * resuming sends a window update at once.
 */
static void
test_rcvbuf_zero_window_and_fin(void **state)
{
	static uint8_t d[1000];
	struct peer p;
	uint32_t i, n = 0;

	(void)state;
	stalled_reader(&p);
	for (i = 0; i < 4; i++) {
		d[0] = (uint8_t)i;
		n = send_peer(&p, ACK, our_nxt(&p, 0), d, 1000);
		p.seq += 1000;
	}
	/* The peer's segments are its full-sized ones: every second ACKed. */
	assert_int_equal(n, 1);
	assert_seg(out(0), ACK, our_nxt(&p, 0), p.seq);
	assert_int_equal(out(0)->wnd, 0);
	/* A probe: the byte is refused, window 0 again. */
	assert_int_equal(send_peer(&p, ACK, our_nxt(&p, 0), d, 1), 1);
	assert_seg(out(0), ACK, our_nxt(&p, 0), p.seq);
	assert_int_equal(out(0)->wnd, 0);
	assert_int_equal(cnt()->window_drop, 1);
	/*
	 * RFC 9293 3.10.7.4 first (acceptability table): with the window
	 * zero the FIN is not acceptable: ACK with RCV.NXT, state unchanged.
	 */
	assert_int_equal(send_peer(&p, ACK | FIN, our_nxt(&p, 0), NULL, 0), 1);
	assert_seg(out(0), ACK, our_nxt(&p, 0), p.seq);
	assert_int_equal(tcp_conn_state(p.conn), TCP_ESTABLISHED);
	assert_int_equal(cnt()->drop_out_of_window, 1);
	reader_takes(&p, 0);
	assert_int_equal(app.rx_len, 4000);
	assert_int_equal(app.rx[3000], 3);
	assert_int_equal(app.peer_fins, 0);
	assert_int_equal(outq()->n, 1);
	assert_seg(out(0), ACK, our_nxt(&p, 0), p.seq);
	assert_int_equal(out(0)->wnd, 4000);
	/* The peer retransmits its FIN into the open window: taken. */
	assert_int_equal(send_peer(&p, ACK | FIN, our_nxt(&p, 0), NULL, 0), 1);
	assert_seg(out(0), ACK, our_nxt(&p, 0), p.seq + 1);
	assert_int_equal(tcp_conn_state(p.conn), TCP_CLOSE_WAIT);
	assert_int_equal(app.peer_fins, 1);
}

/*
 * A FIN riding on the text that fills the window to its right edge, to a
 * reader that stopped: the text is taken, the FIN lies outside the window
 * and is not (RFC 9293 3.10.7.4: trimmed to the window, "including SYN
 * and FIN"), as a FIN alone into the zero window; it is taken when the
 * peer retransmits it into the window that opened.
 */
static void
test_rcvbuf_fin_beyond_filled_window(void **state)
{
	static uint8_t d[1000];
	struct peer p;
	uint32_t i;

	(void)state;
	stalled_reader(&p);
	for (i = 0; i < 3; i++) {
		send_peer(&p, ACK, our_nxt(&p, 0), d, 1000);
		p.seq += 1000;
	}
	assert_int_equal(send_peer(&p, ACK | FIN, our_nxt(&p, 0), d, 1000), 1);
	p.seq += 1000;
	assert_seg(out(0), ACK, our_nxt(&p, 0), p.seq);
	assert_int_equal(out(0)->wnd, 0);
	assert_int_equal(tcp_conn_state(p.conn), TCP_ESTABLISHED);
	assert_int_equal(cnt()->drop_out_of_window, 1);
	reader_takes(&p, 0);
	assert_int_equal(app.rx_len, 4000);
	assert_int_equal(app.peer_fins, 0);
	assert_int_equal(send_peer(&p, ACK | FIN, our_nxt(&p, 0), NULL, 0), 1);
	assert_seg(out(0), ACK, our_nxt(&p, 0), p.seq + 1);
	assert_int_equal(tcp_conn_state(p.conn), TCP_CLOSE_WAIT);
	assert_int_equal(app.peer_fins, 1);
}

/*
 * RFC 1122 4.2.3.3, RFC 9293 3.8.6.2.2 (MUST-39): receiver SWS
 * avoidance. A reader that made a little room (10 bytes of a 4000-byte
 * buffer) does not offer it: the right edge stays until it can move by
 * min(MSS, half the buffer). A zero window probe draws window 0, not 10.
 */
static void
test_rcv_sws_small_room_not_offered(void **state)
{
	static uint8_t d[1000];
	struct peer p;
	uint32_t i;

	(void)state;
	stalled_reader(&p);
	for (i = 0; i < 4; i++) {
		send_peer(&p, ACK, our_nxt(&p, 0), d, 1000);
		p.seq += 1000;
	}
	assert_int_equal(out(0)->wnd, 0);
	reader_takes(&p, 10);
	assert_int_equal(app.rx_len, 10);
	assert_int_equal(outq()->n, 0);
	/* The probe: its byte refused, the window still 0. */
	assert_int_equal(send_peer(&p, ACK, our_nxt(&p, 0), d, 1), 1);
	assert_seg(out(0), ACK, our_nxt(&p, 0), p.seq);
	assert_int_equal(out(0)->wnd, 0);
	/* Room of a step or more is offered, by an update. */
	reader_takes(&p, 0);
	assert_int_equal(app.rx_len, 4000);
	assert_int_equal(outq()->n, 1);
	assert_seg(out(0), ACK, our_nxt(&p, 0), p.seq);
	assert_int_equal(out(0)->wnd, 4000);
}

/*
 * Receiver SWS avoidance whatever window the peer knows (RFC 1122
 * 4.2.3.3, RFC 9293 3.8.6.2.2, MUST-39): the right edge moves only by a
 * step, min(MSS, half the buffer), even when the peer already knows more
 * than one. A 2000-byte buffer (step 1000) whose peer knows 1200: the 10
 * bytes the reader takes are not offered (1210), the ACK of a
 * retransmission offers 1200. The 800 bytes taken after are not either
 * (2000 would move the edge by 800); once the peer sent 300 more, all
 * taken, the edge can move by 1100: the ACK offers the 2000.
 */
static void
test_rcv_sws_hold_above_step(void **state)
{
	static uint8_t d[800];
	struct peer p;

	(void)state;
	stalled_reader_of(&p, 2000, 0);
	assert_int_equal(delayed_ack_window(&p, d, 800), 1200);
	/* The peer knows a step or more: no update. */
	assert_int_equal(reader_takes(&p, 10), 0);
	assert_int_equal(app.rx_len, 10);
	/* Its retransmission draws an ACK that keeps the edge. */
	assert_int_equal(resent_window(&p, d, 800), 1200);
	/* All 790 taken: the edge would move by 800, under the step. */
	assert_int_equal(reader_takes(&p, 0), 0);
	assert_int_equal(app.rx_len, 800);
	assert_int_equal(resent_window(&p, d, 800), 1200);
	/* 300 more, taken: the edge moves by 1100, a step. */
	assert_int_equal(send_peer(&p, ACK, our_nxt(&p, 0), d, 300), 0);
	p.seq += 300;
	assert_int_equal(app.rx_len, 1100);
	assert_int_equal(timers_at(now + 40 * MS), 1);
	assert_seg(out(0), ACK, our_nxt(&p, 0), p.seq);
	assert_int_equal(out(0)->wnd, 2000);
}

/*
 * The same with a window of an MSS or more known to the peer: a
 * 4000-byte buffer (step an MSS) whose peer knows 3000. The 10 bytes
 * the reader takes are not offered (3010), nor the 990 after (4000
 * would move the edge by 1000, under the MSS).
 */
static void
test_rcv_sws_hold_above_mss(void **state)
{
	static uint8_t d[1000];
	struct peer p;

	(void)state;
	stalled_reader(&p);
	assert_int_equal(delayed_ack_window(&p, d, 1000), 3000);
	assert_int_equal(reader_takes(&p, 10), 0);
	assert_int_equal(app.rx_len, 10);
	assert_int_equal(resent_window(&p, d, 1000), 3000);
	assert_int_equal(reader_takes(&p, 0), 0);
	assert_int_equal(app.rx_len, 1000);
	assert_int_equal(resent_window(&p, d, 1000), 3000);
}

/*
 * With window scaling the step is measured on the room, as RFC 1122
 * 4.2.3.3 measures it (RCV.BUFF - RCV.USER - RCV.WND), not on the room
 * rounded down to the scale unit: a 2000-byte buffer (step 1000) in
 * units of 128 offers at most 1920, which is never a step beyond a
 * window of 921 or more the peer knows. The peer knows 950 (the ACK
 * said 896, rounded down): the reader taking all leaves the whole
 * buffer free, 1050 beyond, and the update goes at once with the 1920.
 * Then a peer that knows 1000 (a step: no update) and probes with a
 * byte once the reader took all is answered with the 1920 too, not
 * with the 999 it knows rounded up, under an MSS still.
 */
static void
test_rcv_sws_scaled_step_of_room(void **state)
{
	static uint8_t d[1050];
	struct peer p;

	(void)state;
	stalled_reader_of(&p, 2000, 7);
	assert_int_equal(delayed_ack_window(&p, d, 1050), 7);
	reader_takes(&p, 0);
	assert_int_equal(app.rx_len, 1050);
	assert_int_equal(outq()->n, 1);
	assert_seg(out(0), ACK, our_nxt(&p, 0), p.seq);
	assert_int_equal(out(0)->wnd, 15);

	restart();
	app.take_none = true;
	open_peer(&p, 40000, true);
	assert_int_equal(delayed_ack_window(&p, d, 1000), 7);
	reader_takes(&p, 0);
	assert_int_equal(app.rx_len, 1050 + 1000);
	assert_int_equal(delayed_ack_window(&p, d, 1), 15);
}

/*
 * A held edge with window scaling (units of 128) is the window the peer
 * knows rounded up to the unit: a 4000-byte buffer (step an MSS) whose
 * peer knows 3000 and whose reader then takes 200 is offered 3072, and
 * each byte the peer sends after moves the edge on by that byte, the
 * window it knows staying 3072: never left, never beyond the room, and
 * less than a unit beyond the window it knew each time (RFC 7323 2.4
 * leaves no way to keep an edge that is not on a unit).
 */
static void
test_rcv_sws_scaled_hold_rounds_up(void **state)
{
	static uint8_t d[1000];
	struct peer p;
	uint32_t edge, k;

	(void)state;
	stalled_reader_of(&p, 4000, 7);
	assert_int_equal(delayed_ack_window(&p, d, 1000), 23);
	reader_takes(&p, 200);
	assert_int_equal(app.rx_len, 200);
	assert_int_equal(outq()->n, 0);
	app.take_none = true;
	edge = p.seq + 3000;
	for (k = 0; k < 4; k++) {
		send_peer(&p, ACK, our_nxt(&p, 0), d, 1);
		p.seq++;
		timers_at(now + 40 * MS);
		assert_seg(out(0), ACK, our_nxt(&p, 0), p.seq);
		assert_int_equal(out(0)->wnd, 24);
		assert_true(net_seq_gt(p.seq + 24 * 128, edge));
		assert_true(p.seq + 24 * 128 - edge < 128);
		assert_true(24 * 128 <= tcp_rcv_room(ctx, p.conn));
		edge = p.seq + 24 * 128;
	}
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
	/* <SEQ=SND.NXT>, acknowledging the bytes the application saw. */
	assert_seg(out(0), RST | ACK, our_nxt(&p, 0), p.seq + 10);
	assert_int_equal(gauge(TCP_ESTABLISHED), 0);
	/* Further segments find no connection: reset. */
	p.seq += 10;
	assert_int_equal(send_peer(&p, ACK, our_nxt(&p, 0), NULL, 0), 1);
	assert_int_equal(out(0)->flags, RST);
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_handshake_options),
		T(test_handshake_no_options),
		T(test_syn_received_ack_range),
		T(test_conn_fresh_in_poisoned_slot),
		T(test_syn_ack_retransmit_and_timeout),
		T(test_closed_port_rst),
		T(test_listen_unknown_ack_and_bad_flags),
		T(test_table_probe_limit),
		T(test_max_connections),
		T(test_delayed_ack),
		T(test_every_second_segment_below_announced_mss),
		T(test_every_second_full_segment),
		T(test_out_of_order),
		T(test_echo_piggyback),
		T(test_partial_take_held),
		T(test_partial_take_no_buffer),
		T(test_rcvbuf_zero_window_and_fin),
		T(test_rcvbuf_fin_beyond_filled_window),
		T(test_rcv_sws_small_room_not_offered),
		T(test_rcv_sws_hold_above_step),
		T(test_rcv_sws_hold_above_mss),
		T(test_rcv_sws_scaled_step_of_room),
		T(test_rcv_sws_scaled_hold_rounds_up),
		T(test_abort_in_callback),
		T(test_app_timer),
		T(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
