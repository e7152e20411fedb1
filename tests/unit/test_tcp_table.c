/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The transition table (tcp_rows.h) walked row by row on a virtual clock:
 * each row builds a connection in its state with a simulated peer,
 * applies the event (a segment, an application call or a timer) and
 * checks the first segment sent (flags, sequence and acknowledgement
 * numbers) or silence, the next state (the per-state gauges) and the
 * counter that records it. test_tcp_doc.c checks the table against
 * docs/state-machine.md.
 */
#include <stdio.h>

#include "tcp_test.h"

#define NOPORT 81
#define ROW_ISN 5000u
#define RTO_SYN (1000 * MS) /* rto_initial_ms */
#define RTO (200 * MS)	    /* rto_min_ms after a zero RTT sample */
#define MSL_MS 1000
#define FW2_MS 5000
#define RETRIES 3
#define FAR 1000000u /* outside any window */
#define MAX_CONNS 4

#include "tcp_rows.h"

#define N_ROWS (sizeof(rows) / sizeof(rows[0]))

/* ---- the simulated peer ---- */

struct peer_model {
	uint16_t rport;
	uint16_t dport;
	uint32_t pseq; /* the peer's next sequence number */
	uint32_t una;  /* what the peer acknowledges */
	uint32_t iss;  /* our ISS */
	uint32_t nxt;  /* our next sequence number, as seen */
	uint32_t fin;  /* sequence number of our FIN */
	uint32_t tsval;
	uint32_t tsecr;	  /* our latest TSval */
	uint32_t seg_ack; /* ack field of the last segment sent */
	uint64_t t_fw2;	  /* when FIN_WAIT_2 began */
	uint64_t t_tw;	  /* when TIME_WAIT began */
	uint16_t setup;
	uint32_t fill_est; /* other connections, established (F_*FULL) */
	uint32_t fill_syn; /* and half-open (F_BUDGET) */
	struct tcp_conn *conn;
};

static struct peer_model h;
static const uint8_t zeros[100];

/* Note what our segments tell the peer. Returns how many were queued. */
static uint32_t
observe(void)
{
	struct tcp_outq *q = outq();
	uint32_t i, end;

	for (i = 0; i < q->n; i++) {
		const struct tcp_out *o = &q->seg[i];

		if (o->opts.has & NET_OPT_TS)
			h.tsecr = o->opts.tsval;
		if (o->flags & NET_TCP_RST)
			continue;
		if (o->flags & NET_TCP_SYN)
			h.iss = o->seq;
		end = o->seq + o->len + !!(o->flags & NET_TCP_SYN);
		if (o->flags & NET_TCP_FIN)
			h.fin = end;
		end += !!(o->flags & NET_TCP_FIN);
		if (net_seq_gt(end, h.nxt))
			h.nxt = end;
	}
	return q->n;
}

static uint32_t
seg_full(uint8_t flags, uint32_t seq, uint32_t ack, uint32_t len,
	 uint32_t tsval)
{
	struct net_seg s;

	memset(&s, 0, sizeof(s));
	s.saddr = RADDR;
	s.daddr = LADDR;
	s.sport = h.rport;
	s.dport = h.dport;
	s.seq = seq;
	s.ack = (flags & NET_TCP_ACK) ? ack : 0;
	s.wnd = (h.setup & F_ZWND) ? 0 : 65535;
	s.flags = flags;
	s.data = len ? zeros : NULL;
	s.len = len;
	if (!(h.setup & F_NOTS)) {
		s.opts.has = NET_OPT_TS;
		s.opts.tsval = tsval;
		s.opts.tsecr = h.tsecr;
	}
	if (flags & NET_TCP_SYN && !(flags & NET_TCP_ACK)) {
		s.opts.has |= NET_OPT_MSS;
		s.opts.mss = 1460;
		s.opts.tsecr = 0;
	}
	h.seg_ack = s.ack;
	outq()->n = 0;
	tcp_input(ctx, &s, now);
	assert_int_equal(tcp_ctx_check(ctx), 0);
	return observe();
}

/* A segment with a fresh timestamp. */
static uint32_t
seg(uint8_t flags, uint32_t seq, uint32_t ack, uint32_t len)
{
	return seg_full(flags, seq, ack, len, ++h.tsval);
}

static uint32_t
row_timers(uint64_t t)
{
	now = t;
	outq()->n = 0;
	tcp_timers(ctx, now, 1000);
	assert_int_equal(tcp_ctx_check(ctx), 0);
	return observe();
}

/* Nothing happens before t; at t one segment goes out. */
static void
fires_at(uint64_t t)
{
	assert_int_equal(row_timers(t - MS), 0);
	assert_int_equal(row_timers(t), 1);
}

static void
params(struct tcp_params *p, uint16_t setup)
{
	params_default(p);
	p->msl_ms = MSL_MS;
	p->fin_wait2_timeout_ms = FW2_MS;
	p->syn_recv_timeout_ms = (setup & F_SRTO) ? 1500 : 0;
	p->rto_min_ms = 200;
	p->rto_max_ms = 60000;
	p->rto_initial_ms = 1000;
	p->delayed_ack_ms = (setup & F_DACK) ? 40 : 0;
	p->max_retries = RETRIES;
	p->mss = 1460;
	p->wscale = 0;
	p->timestamps = true;
	p->sack = false;
	p->rfc1337 = !(setup & F_NO1337);
	p->tw_reuse = TCP_TW_REUSE_TIMESTAMPS;
	p->challenge_ack_limit = 2;
	p->rcv_wnd = 65535;
	p->snd_buf = 4096;
	p->max_connections = MAX_CONNS;
	p->max_time_wait = 4;
	p->max_send_buffers = 4;
	p->max_per_source = (setup & F_SRCFULL) ? 1 : 0;
	p->max_syn_recv = (setup & F_BUDGET) ? 1 : 0;
	p->syncookies = (setup & F_NOCOOKIE) ? TCP_SYNCOOKIES_OFF :
					       TCP_SYNCOOKIES_AUTO;
	memcpy(p->isn_secret, "fedcba9876543210", 16);
}

/* ---- reaching each state ---- */

static void
to_syn_received(void)
{
	assert_int_equal(seg(NET_TCP_SYN, ROW_ISN, 0, 0), 1);
	h.pseq = ROW_ISN + 1;
	h.una = h.iss;
}

static void
to_established(void)
{
	to_syn_received();
	app.conn = NULL;
	h.una = h.iss + 1;
	assert_int_equal(seg(NET_TCP_ACK, h.pseq, h.una, 0), 0);
	assert_non_null(app.conn);
	h.conn = app.conn;
	if (h.setup & F_DATA) {
		assert_int_equal(tcp_send(ctx, h.conn, zeros, 100, now), 100);
		observe();
	}
}

static void
app_close(void)
{
	outq()->n = 0;
	tcp_close(ctx, h.conn, (h.setup & F_HALF) != 0, now);
	assert_int_equal(observe(), 1);
}

static void
to_fin_wait_2(void)
{
	h.una = h.nxt;
	assert_int_equal(seg(NET_TCP_ACK, h.pseq, h.una, 0), 0);
	h.t_fw2 = now;
}

static void
to_close_wait(void)
{
	assert_int_equal(seg(NET_TCP_FIN | NET_TCP_ACK, h.pseq, h.una, 0), 1);
	h.pseq++;
}

/* From TIME_WAIT, a SYN reopens the tuple (RFC 6191). */
static void
to_reopened(void)
{
	h.pseq += 100000;
	assert_int_equal(seg(NET_TCP_SYN, h.pseq, 0, 0), 1);
	h.pseq++;
	h.una = h.iss;
}

/* Connections in use, the row's own and the others. */
static uint64_t
conns_used(void)
{
	const uint64_t *g = tcp_state_gauges(ctx);
	uint64_t n = 0;
	unsigned int st;

	for (st = TCP_SYN_SENT; st < TCP_STATE_MAX; st++)
		if (st != TCP_TIME_WAIT)
			n += g[st];
	return n;
}

/*
 * Another connection from the peer's address (port 41000 on), half-open
 * or established; what the peer model noted of the row's own stays.
 */
static void
other_conn(bool established)
{
	struct peer_model row = h;
	uint16_t port = (uint16_t)(41000 + h.fill_est + h.fill_syn);

	h.rport = port;
	assert_int_equal(seg(NET_TCP_SYN, ROW_ISN, 0, 0), 1);
	if (established)
		assert_int_equal(seg(NET_TCP_ACK, ROW_ISN + 1, h.iss + 1, 0),
				 0);
	row.tsval = h.tsval;
	h = row;
	if (established)
		h.fill_est++;
	else
		h.fill_syn++;
}

/* The limit of the row's setup, reached by other connections. */
static void
reach_limit(void)
{
	if (h.setup & F_SRCFULL)
		other_conn(true);
	if (h.setup & F_BUDGET)
		other_conn(false);
	while ((h.setup & F_POOLFULL) && conns_used() < MAX_CONNS)
		other_conn(true);
}

/* Build the row's starting point, then forget what was sent. */
static void
reach(enum tcp_state s)
{
	now += 10 * MS;
	if (s == TCP_CLOSED) {
		h.dport = NOPORT;
		h.pseq = ROW_ISN;
		h.una = 12345;
		h.nxt = 12345;
		return;
	}
	h.pseq = ROW_ISN;
	if (s == TCP_LISTEN)
		return;
	if (s == TCP_SYN_RECEIVED && !(h.setup & F_REOPEN)) {
		to_syn_received();
		return;
	}
	to_established();
	if (s == TCP_CLOSE_WAIT || s == TCP_LAST_ACK) {
		to_close_wait();
		if (s == TCP_LAST_ACK)
			app_close();
		return;
	}
	if (s == TCP_ESTABLISHED)
		return;
	app_close();
	if (s == TCP_CLOSING) {
		assert_int_equal(seg(NET_TCP_FIN | NET_TCP_ACK, h.pseq, h.una,
				     0),
				 1);
		h.pseq++;
	} else if (s == TCP_FIN_WAIT_2 || s == TCP_TIME_WAIT ||
		   s == TCP_SYN_RECEIVED) {
		to_fin_wait_2();
		if (s != TCP_FIN_WAIT_2) {
			to_close_wait();
			h.t_tw = now;
		}
		if (s == TCP_SYN_RECEIVED)
			to_reopened();
	}
}

/* ---- events ---- */

static uint64_t
rto_of(enum tcp_state s)
{
	return s == TCP_SYN_RECEIVED ? RTO_SYN : RTO;
}

/* max_retries retransmissions at 1, 2, 4 ... RTO, then the give-up. */
static void
giveup(enum tcp_state s, const struct tcp_counters *c)
{
	uint64_t t = now, r = rto_of(s);
	uint64_t before = c->retransmit;
	unsigned int i;

	for (i = 0; i < RETRIES; i++) {
		t += r << i;
		fires_at(t);
		assert_int_equal(tcp_counters(ctx)->retransmit - before, i + 1);
	}
	t += r << RETRIES;
	assert_int_equal(row_timers(t - MS), 0);
	row_timers(t);
}

static void
persist_giveup(const struct tcp_counters *c)
{
	uint64_t t = now;
	unsigned int i;

	for (i = 0; i < 2 * RETRIES; i++) {
		t += RTO << i;
		fires_at(t);
		assert_int_equal(tcp_counters(ctx)->zero_window_probe -
					 c->zero_window_probe,
				 i + 1);
		assert_int_equal(outq()->seg[0].len, 1);
	}
	t += RTO << (2 * RETRIES);
	assert_int_equal(row_timers(t - MS), 0);
	row_timers(t);
}

static void
fin_wait2_data(void)
{
	uint64_t t = h.t_fw2 + FW2_MS * MS / 2;

	assert_int_equal(row_timers(t), 0);
	assert_int_equal(seg(NET_TCP_ACK, h.pseq, h.una, 10), 1);
	h.pseq += 10;
	assert_int_equal(row_timers(h.t_fw2 + FW2_MS * MS), 0);
	assert_int_equal(tcp_state_gauges(ctx)[TCP_FIN_WAIT_2], 1);
	assert_int_equal(row_timers(t + FW2_MS * MS - MS), 0);
	assert_int_equal(tcp_state_gauges(ctx)[TCP_FIN_WAIT_2], 1);
	row_timers(t + FW2_MS * MS);
}

static void
time_wait_restart(const struct tcp_counters *c)
{
	uint64_t t = h.t_tw + 3 * MSL_MS * MS / 2;

	assert_int_equal(row_timers(t), 0);
	assert_int_equal(seg(NET_TCP_FIN | NET_TCP_ACK, h.pseq - 1, h.una, 0),
			 1);
	assert_int_equal(tcp_counters(ctx)->tw_reack - c->tw_reack, 1);
	assert_int_equal(row_timers(h.t_tw + 2 * MSL_MS * MS), 0);
	assert_int_equal(row_timers(t + 2 * MSL_MS * MS - MS), 0);
	assert_int_equal(tcp_state_gauges(ctx)[TCP_TIME_WAIT], 1);
	row_timers(t + 2 * MSL_MS * MS);
}

static void
time_wait_expire(void)
{
	assert_int_equal(row_timers(h.t_tw + 2 * MSL_MS * MS - MS), 0);
	assert_int_equal(tcp_state_gauges(ctx)[TCP_TIME_WAIT], 1);
	row_timers(h.t_tw + 2 * MSL_MS * MS);
}

/*
 * The peer's FIN again, without the ACK bit: answered with an ACK (not
 * acceptable), the 2*MSL not restarted.
 */
static void
time_wait_fin_noack(const struct tcp_counters *c)
{
	assert_int_equal(row_timers(h.t_tw + 3 * MSL_MS * MS / 2), 0);
	assert_int_equal(seg(NET_TCP_FIN, h.pseq - 1, 0, 0), 1);
	assert_int_equal(outq()->seg[0].flags, NET_TCP_ACK);
	assert_int_equal(tcp_counters(ctx)->tw_reack - c->tw_reack, 0);
	time_wait_expire();
}

static void
event_segment(enum ev e)
{
	const uint8_t A = NET_TCP_ACK, F = NET_TCP_FIN, S = NET_TCP_SYN;
	const uint8_t R = NET_TCP_RST;
	uint32_t p = h.pseq, i;

	/* clang-format off */
	switch (e) {
	case E_SYN: seg(S, p, 0, 0); break;
	case E_ACK: seg(A, p, h.nxt, 0); break;
	case E_RST: seg(R, p, 0, 0); break;
	case E_NULL: seg(0, p, 0, 0); break;
	case E_FIN_NOACK: seg(F, p, 0, 0); break;
	case E_SYN_FIN: seg(S | F, p, 0, 0); break;
	case E_SYN_FIN_ACK: seg(S | F | A, p, h.nxt, 0); break;
	case E_SYN_PAWS: seg_full(S, p, 0, 0, h.tsval - 1000); break;
	case E_SYN_NOTS:
		h.setup |= F_NOTS;
		seg(S, p, 0, 0);
		h.setup &= (uint16_t)~F_NOTS;
		break;
	case E_SYN_RST: seg(S | R, p, 0, 0); break;
	case E_XMAS:
		seg(F | S | R | NET_TCP_PSH | A | NET_TCP_URG, p, h.nxt, 0);
		break;
	case E_ACK_FUTURE: seg(A, p, h.nxt + 1000, 0); break;
	case E_SYN_AGAIN: seg(S, p - 1, 0, 0); break;
	case E_RST_INWIN: seg(R, p + 100, 0, 0); break;
	case E_RST_OUTWIN: seg(R, p + FAR, 0, 0); break;
	case E_RST_FIN_SEQ: seg(R, p - 1, 0, 0); break;
	case E_NOACK_DATA: seg(NET_TCP_PSH, p, 0, 10); break;
	case E_FIN_ACK: seg(F | A, p, h.nxt, 0); break;
	case E_DATA: seg(A, p, h.una, 10); break;
	case E_FIN_OOO: seg(F | A, p + 10, h.una, 0); break;
	case E_DATA_OLD: seg(A, p - 10, h.una, 10); break;
	case E_SYN_OUTWIN: seg(S, p + FAR, 0, 0); break;
	case E_SYN_X3:
		for (i = 0; i < 3; i++)
			seg(S, p, 0, 0);
		break;
	case E_ACK_OLD: seg(A, p, h.una - 100000, 0); break;
	case E_ACK_FAR_OLD: seg(A, p, h.una - 0x50000000u, 0); break;
	case E_SYN_FIN_AGAIN: seg(S | F, p - 1, 0, 0); break;
	case E_SEQ_OUTWIN: seg(A, p + FAR, h.una, 0); break;
	case E_PAWS: seg_full(A, p, h.una, 0, h.tsval - 1000); break;
	case E_FIN_NOACKOFFIN: seg(F | A, p, h.una, 0); break;
	case E_FIN_DUP: seg(F | A, p - 1, h.una, 0); break;
	case E_FIN_DUP_NOTS:
		h.setup |= F_NOTS;
		seg(F | A, p - 1, h.una, 0);
		h.setup &= (uint16_t)~F_NOTS;
		break;
	case E_SYN_NEWER: seg(S, p + 100000, 0, 0); break;
	case E_SYN_OLDER: seg_full(S, p - 100, 0, 0, h.tsval); break;
	case E_SYN_SAME_TS: seg_full(S, p + 100000, 0, 0, h.tsval); break;
	case E_SYN_AT_NXT: seg(S, p, 0, 0); break;
	case E_SYN_AT_FIN: seg(S, p - 1, 0, 0); break;
	case E_SYN_TS_AT_NXT:
		/* The peer turns timestamps on for the new incarnation. */
		h.setup &= ~F_NOTS;
		seg(S, p, 0, 0);
		h.setup |= F_NOTS;
		break;
	case E_SYN_NEWER_COOKIE_ACK:
		/* The cookie leaves the record; its ACK opens the tuple. */
		assert_int_equal(seg(S, p + 100000, 0, 0), 1);
		assert_int_equal(outq()->seg[0].flags, S | A);
		seg(A, p + 100001, h.iss + 1, 0);
		break;
	case E_FIN_OOO_FILL:
		assert_int_equal(seg(F | A, p + 10, h.una, 0), 1);
		/* The FIN was kept: filling the gap takes it too. */
		assert_int_equal(seg(A, p, h.una, 10), 1);
		assert_int_equal(outq()->seg[0].ack, p + 11);
		seg(F | A, p + 10, h.una, 0);
		break;
	case E_LATE_ACK:
		seg(A, p, h.nxt, 0);
		seg(A, p, h.nxt, 0);
		break;
	default: fail();
	}
	/* clang-format on */
}

static void
event(const struct row *r, const struct tcp_counters *c)
{
	outq()->n = 0;
	/* clang-format off */
	switch (r->ev) {
	case E_CLOSE: tcp_close(ctx, h.conn, false, now); observe(); break;
	case E_ABORT: tcp_abort(ctx, h.conn, now); observe(); break;
	case E_SEND:
		assert_int_equal(tcp_send(ctx, h.conn, zeros, 10, now), 10);
		observe();
		break;
	case E_T_RTO: fires_at(now + rto_of(r->from)); break;
	case E_T_GIVEUP: giveup(r->from, c); break;
	case E_T_SYNRECV:
		fires_at(now + RTO_SYN);
		row_timers(now + 500 * MS);
		break;
	case E_T_PERSIST: fires_at(now + RTO); break;
	case E_T_DACK:
		assert_int_equal(seg(NET_TCP_ACK, h.pseq, h.una, 10), 0);
		fires_at(now + 40 * MS);
		break;
	case E_T_PERSIST_GIVEUP: persist_giveup(c); break;
	case E_T_FW2:
		assert_int_equal(row_timers(h.t_fw2 + FW2_MS * MS - MS), 0);
		row_timers(h.t_fw2 + FW2_MS * MS);
		break;
	case E_T_FW2_DATA: fin_wait2_data(); break;
	case E_T_TW: time_wait_expire(); break;
	case E_T_TW_RESTART: time_wait_restart(c); break;
	case E_T_TW_FIN_NOACK: time_wait_fin_noack(c); break;
	case E_T_TW_ACK:
		time_wait_expire();
		h.dport = LPORT;
		seg(NET_TCP_ACK, h.pseq, h.nxt, 0);
		break;
	default: event_segment(r->ev); break;
	}
	/* clang-format on */
}

/* ---- checks ---- */

static uint64_t
counter(const struct tcp_counters *c, const char *name)
{
	const uint64_t *v = (const uint64_t *)c;
	unsigned int i;

	for (i = 0; i < TCP_COUNTER_COUNT; i++)
		if (strcmp(tcp_counter_name(i), name) == 0)
			return v[i];
	print_error("no counter %s\n", name);
	fail();
	return 0;
}

static uint32_t
want_seq(const struct row *r, const struct peer_model *b)
{
	switch (r->seq) {
	case Q_ZERO:
		return 0;
	case Q_NXT:
		return b->nxt;
	case Q_UNA:
		return b->una;
	case Q_FIN:
		return b->fin;
	case Q_ISS:
		return b->iss;
	case Q_SEGACK:
		return h.seg_ack;
	case Q_TWISN:
		return b->nxt + 65537;
	default:
		return 0;
	}
}

/* The row's connection is in state to; the others are still there. */
static void
check_state(enum tcp_state to)
{
	const uint64_t *g = tcp_state_gauges(ctx);
	uint64_t want;
	unsigned int s;

	for (s = TCP_SYN_SENT; s < TCP_STATE_MAX; s++) {
		want = s == (unsigned int)to ? 1u : 0u;
		if (s == TCP_ESTABLISHED)
			want += h.fill_est;
		if (s == TCP_SYN_RECEIVED)
			want += h.fill_syn;
		if (g[s] != want) {
			print_error("gauge %s = %llu\n", tcp_state_name(s),
				    (unsigned long long)g[s]);
			fail();
		}
	}
}

static void
run_row(const struct row *r)
{
	struct tcp_counters before;
	const struct tcp_out *o;
	struct tcp_params p;
	struct peer_model b;

	memset(&h, 0, sizeof(h));
	h.setup = r->setup;
	h.rport = 40000;
	h.dport = LPORT;
	h.tsval = 100;
	now = T0;
	params(&p, r->setup);
	ctx = tcp_ctx_create(&p, now);
	assert_non_null(ctx);
	assert_int_equal(tcp_listen(ctx, LPORT, &ops, &prm), 0);
	reach(r->from);
	reach_limit();
	check_state(r->from);
	b = h;
	before = *tcp_counters(ctx);
	event(r, &before);
	if (r->flags == 0) {
		assert_int_equal(outq()->n, 0);
	} else {
		assert_true(outq()->n >= 1);
		o = &outq()->seg[0];
		assert_int_equal(o->flags, r->flags);
		assert_int_equal(o->lport, h.dport);
		assert_int_equal(o->rport, h.rport);
		if (r->seq != Q_ANY)
			assert_int_equal(o->seq, want_seq(r, &b));
		if (r->flags & NET_TCP_ACK)
			assert_int_equal(o->ack, b.pseq + (uint32_t)r->ack);
	}
	check_state(r->to);
	if (r->counter != NULL)
		assert_int_equal(counter(tcp_counters(ctx), r->counter) -
					 counter(&before, r->counter),
				 r->delta ? r->delta : 1);
	assert_int_equal(tcp_ctx_check(ctx), 0);
	tcp_ctx_destroy(ctx);
	ctx = NULL;
}

static void
test_row(void **state)
{
	run_row(*state);
}

int
main(void)
{
	struct CMUnitTest t[N_ROWS];
	unsigned int i;

	memset(t, 0, sizeof(t));
	for (i = 0; i < N_ROWS; i++) {
		t[i].name = rows[i].id;
		t[i].test_func = test_row;
		t[i].initial_state = (void *)(uintptr_t)&rows[i];
	}
	return _cmocka_run_group_tests("tcp_table", t, N_ROWS, NULL, NULL);
}
