/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of TIME_WAIT records: memory per record, overflow policies,
 * exact expiry, budgeted expiry, restart on a retransmitted FIN and the
 * reuse of a record's slot, through the real tcp_input()/tcp_timers().
 */
#include "tcp_test.h"
#include "tcp_internal.h"
#include "tcp_drain.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* A segment from the peer at seq (no text); returns segments queued. */
static uint32_t
send_at(struct peer *p, uint8_t flags, uint32_t seq, uint32_t ack)
{
	struct net_seg s = mkseg(p, flags, seq, ack, NULL, 0);

	s.opts.tsval = ++p->tsval;
	return input(&s);
}

/* Run the timers at time t with a budget; returns slots processed. */
static uint32_t
timers_budget(uint64_t t, uint32_t budget)
{
	uint32_t n;

	now = t;
	outq()->n = 0;
	n = tcp_timers(ctx, now, budget);
	assert_int_equal(tcp_ctx_check(ctx), 0);
	return n;
}

static uint64_t
tw_gauge(void)
{
	return gauge(TCP_TIME_WAIT);
}

/*
 * Connections plus TIME_WAIT records at or past the tag bit (2^31) of the
 * flow table's values, or past 32 bits (which once wrapped into a tiny
 * table), are refused before anything is allocated.
 */
static void
test_ctx_sizes_refused(void **state)
{
	static const uint32_t sizes[][2] = {
		{ 0x80000000u, 0x80000000u }, /* the sum wraps to 0 */
		{ 2, UINT32_MAX - 1 },	      /* wraps to 0 as well */
		{ 0x80000000u, 0 },	      /* an index is tagged */
		{ 0, 0x80000000u },
		{ 0x7fffffffu, 1 }, /* the sum reaches the tag */
	};
	struct tcp_params p;
	size_t i;

	(void)state;
	params_default(&p);
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		p.max_connections = sizes[i][0];
		p.max_time_wait = sizes[i][1];
		assert_null(tcp_ctx_create(&p, T0));
	}
}

/* Is p's tuple still answered by a record? A bare ACK tells. */
static bool
has_record(struct peer *p)
{
	if (send_at(p, NET_TCP_ACK, p->seq, p->iss + 2) == 0)
		return true;
	assert_int_equal(out(0)->flags, NET_TCP_RST);
	return false;
}

static void
test_record_memory(void **state)
{
	struct tcp_params p;
	struct tcp_ctx *a, *b;
	double per;

	(void)state;
	assert_int_equal(sizeof(struct tcp_tw), 24);
	/* 24 + 24 / 16 (ring slack) + 16 / 0.75 (table) = 46.8 bytes. */
	params_default(&p);
	p.max_time_wait = 0;
	a = tcp_ctx_create(&p, T0);
	p.max_time_wait = 300000;
	b = tcp_ctx_create(&p, T0);
	assert_non_null(a);
	assert_non_null(b);
	/* Record, table share and timer state, all in: <= 48 bytes. */
	per = (double)(tcp_ctx_mem_bytes(b) - tcp_ctx_mem_bytes(a)) / 300000;
	assert_true(per >= 42.0);
	assert_true(per <= 47.0);
	tcp_ctx_destroy(a);
	tcp_ctx_destroy(b);
}

static void
test_overflow(void **state)
{
	static const struct {
		enum tcp_tw_overflow policy;
		uint32_t max_tw;
		uint16_t conns;
		uint64_t recycled, refused;
	} cases[] = {
		{ TCP_TW_OVERFLOW_RECYCLE_OLDEST, 4, 4, 0, 0 },
		{ TCP_TW_OVERFLOW_RECYCLE_OLDEST, 4, 7, 3, 0 },
		{ TCP_TW_OVERFLOW_RECYCLE_OLDEST, 1, 5, 4, 0 },
		{ TCP_TW_OVERFLOW_REFUSE, 4, 7, 0, 3 },
		{ TCP_TW_OVERFLOW_REFUSE, 1, 3, 0, 2 },
		{ TCP_TW_OVERFLOW_RECYCLE_OLDEST, 0, 2, 0, 2 },
		{ TCP_TW_OVERFLOW_REFUSE, 0, 2, 0, 2 },
	};
	struct peer p[8];
	uint16_t i, keep;
	size_t c;

	(void)state;
	for (c = 0; c < ARRAY_SIZE(cases); c++) {
		prm.tw_overflow = cases[c].policy;
		prm.max_time_wait = cases[c].max_tw;
		restart();
		for (i = 0; i < cases[c].conns; i++)
			to_time_wait(&p[i], (uint16_t)(40000 + i));
		keep = cases[c].conns < cases[c].max_tw ?
			cases[c].conns :
			(uint16_t)cases[c].max_tw;
		assert_int_equal(tw_gauge(), keep);
		assert_int_equal(cnt()->tw_overflow_recycled,
				 cases[c].recycled);
		assert_int_equal(cnt()->tw_overflow_refused, cases[c].refused);
		assert_int_equal(cnt()->tw_created,
				 cases[c].conns - cases[c].refused);
		/* Recycling keeps the newest, refusing the oldest. */
		for (i = 0; i < cases[c].conns; i++) {
			bool want = cases[c].policy == TCP_TW_OVERFLOW_REFUSE ?
				i < keep :
				i >= cases[c].conns - keep;

			assert_int_equal(has_record(&p[i]), want);
		}
	}
}

/*
 * RFC 5961 5.2 in TIME_WAIT: the record keeps no MAX.SND.WND, so the
 * lower bound of an acceptable ACK is SND.NXT - 65535 * 2^14, the
 * largest window a peer can offer: an ACK at the bound is taken
 * silently, one below it is dropped and answered.
 */
static void
test_ack_lower_bound(void **state)
{
	uint32_t nxt, bound;
	struct peer p;

	(void)state;
	to_time_wait(&p, 40000);
	nxt = our_nxt(&p, 1);
	bound = nxt - (65535u << 14);
	assert_int_equal(send_peer(&p, ACK, bound, NULL, 0), 0);
	assert_int_equal(cnt()->drop_old_ack, 0);
	assert_int_equal(send_peer(&p, ACK, bound - 1, NULL, 0), 1);
	assert_int_equal(cnt()->drop_old_ack, 1);
	assert_seg(out(0), ACK, nxt, p.seq);
	assert_int_equal(tw_gauge(), 1);
}

/* Expiry is never early and at most one millisecond late. */
static void
test_expiry_exact(void **state)
{
	static const struct {
		uint32_t msl_ms;
		uint64_t offset_us; /* entry time past T0 */
	} cases[] = {
		{ 1, 0 },
		{ 1, 1 },
		{ 1000, 0 },
		{ 1000, 999 },
		{ 30000, 500 },
		{ 60000, 1 },
		/* The ms clock crosses 2^30 (the stored expiry wraps). */
		{ 1000, (1073741824ull - 1000000000 - 1000) * MS + 7 },
		/* It crosses 2^32 (tcp_ms() wraps). */
		{ 30000, (4294967296ull - 1000000000 - 500) * MS },
	};
	uint64_t t, due;
	struct peer p;
	size_t c;

	(void)state;
	for (c = 0; c < ARRAY_SIZE(cases); c++) {
		prm.msl_ms = cases[c].msl_ms;
		restart();
		now = T0 + cases[c].offset_us;
		to_time_wait(&p, 40000);
		t = now;
		due = t + 2ull * cases[c].msl_ms * MS;
		timers_budget(due - 1, 1000);
		assert_int_equal(tw_gauge(), 1);
		/* Deadlines are rounded up to the millisecond. */
		timers_budget(due, 1000);
		assert_int_equal(tw_gauge(), due % MS ? 1 : 0);
		timers_budget((due + MS - 1) / MS * MS, 1000);
		assert_int_equal(tw_gauge(), 0);
		assert_int_equal(cnt()->tw_expired, 1);
		assert_false(has_record(&p));
	}
}

/* A mass expiry is drained at most budget records per call, in order. */
static void
test_expiry_budget(void **state)
{
	struct peer p[100];
	uint16_t i;
	uint32_t n, calls = 0;

	(void)state;
	prm.max_time_wait = 100;
	prm.max_connections = 4;
	restart();
	for (i = 0; i < 100; i++) {
		to_time_wait(&p[i], (uint16_t)(40000 + i));
		now += MS;
	}
	/* Records 0..59 are due. */
	do {
		n = timers_budget(T0 + 2000 * MS + 59 * MS, 7);
		assert_true(n <= 7);
		calls++;
	} while (n == 7);
	assert_int_equal(cnt()->tw_expired, 60);
	/* Stale connection timers share the budget: 9 calls or more. */
	assert_true(calls >= 9);
	assert_int_equal(tw_gauge(), 40);
	assert_false(has_record(&p[59]));
	assert_true(has_record(&p[60]));
	assert_int_equal(timers_budget(now, 7), 0);
}

/* A virtual clock that advances by one on every read. */
static uint64_t vclock_t, vclock_reads;

static uint64_t
vclock_now(void *arg)
{
	(void)arg;
	vclock_reads++;
	return vclock_t++;
}

/*
 * A mass expiry under a time bound (tcp_timers_until()): with a budget
 * that never binds, each call stops once the injected clock passes its
 * deadline (two reads: at most two batches of TCP_TW_CLOCK_EVERY records
 * and the wheel's few), counts the stop, and the next call resumes: the
 * records expire oldest first, none lost or left.
 */
static void
test_expiry_deadline(void **state)
{
	enum { N = 300 };
	struct peer p[N];
	struct wheel_clock clk = { .now = vclock_now };
	uint32_t n, total = 0, calls = 0, i, gone;

	(void)state;
	prm.max_time_wait = N;
	prm.max_connections = 4;
	restart();
	for (i = 0; i < N; i++) {
		to_time_wait(&p[i], (uint16_t)(40000 + i));
		now += MS;
	}
	now = T0 + 2000 * MS + N * MS;
	do {
		outq()->n = 0;
		vclock_reads = 0;
		clk.deadline = vclock_t + 1;
		n = tcp_timers_until(ctx, now, 100000, &clk);
		assert_int_equal(tcp_ctx_check(ctx), 0);
		assert_true(vclock_reads <= 3);
		assert_true(n <= 2 * TCP_TW_CLOCK_EVERY + 64);
		total += n;
		calls++;
		/* Expired records are the oldest: a prefix of the peers. */
		for (gone = 0; gone < N && !has_record(&p[gone]); gone++)
			;
		for (i = gone; i < N; i++)
			assert_true(has_record(&p[i]));
		assert_int_equal(gone, cnt()->tw_expired);
	} while (n > 0);
	assert_int_equal(cnt()->tw_expired, N);
	assert_int_equal(tw_gauge(), 0);
	/* The time bound, not the budget, ended the calls with work left. */
	assert_true(calls >= N / (2 * TCP_TW_CLOCK_EVERY));
	assert_true(cnt()->timer_deadline >= calls - 2);
	assert_true(total >= N);
}

/*
 * The connection timers under a time bound: 200 connections in
 * SYN_RECEIVED time out together; each tcp_timers_until() call whose
 * deadline has passed at the first read runs at most one batch (16)
 * and returns; the next resumes until every connection has timed out.
 */
static void
test_conn_timers_deadline(void **state)
{
	enum { N = 200, BATCH = 16 };
	struct wheel_clock clk = { .now = vclock_now };
	uint32_t n, total = 0, calls = 0, i;

	(void)state;
	prm.max_connections = N;
	restart();
	for (i = 0; i < N; i++) {
		struct peer p = { .port = (uint16_t)(41000 + i) };
		struct net_seg sg = mkseg(&p, SYN, PEER_ISN, 0, NULL, 0);

		outq()->n = 0;
		assert_int_equal(input(&sg), 1);
	}
	assert_int_equal(gauge(TCP_SYN_RECEIVED), N);
	now = T0 + 3000 * MS;
	do {
		outq()->n = 0;
		clk.deadline = vclock_t;
		n = tcp_timers_until(ctx, now, 100000, &clk);
		assert_int_equal(tcp_ctx_check(ctx), 0);
		assert_true(n <= BATCH);
		total += n;
		calls++;
		assert_true(calls < 10 * N);
		assert_int_equal(gauge(TCP_SYN_RECEIVED), N - total);
		/* A call may only re-file wheel entries: go on while due. */
	} while (gauge(TCP_SYN_RECEIVED) > 0);
	assert_int_equal(total, N);
	assert_int_equal(gauge(TCP_SYN_RECEIVED), 0);
	assert_true(calls >= N / BATCH);
	assert_true(cnt()->timer_deadline >= N / BATCH);
}

/* A retransmitted FIN moves its record to the tail with a new 2*MSL. */
static void
test_restart_fin(void **state)
{
	struct peer a, b, c;

	(void)state;
	to_time_wait(&a, 40000);
	now += MS;
	to_time_wait(&b, 40001);
	now += MS;
	to_time_wait(&c, 40002);
	now = T0 + 500 * MS;
	assert_int_equal(send_at(&a, NET_TCP_FIN | NET_TCP_ACK, a.seq - 1,
				 a.iss + 2),
			 1);
	assert_int_equal(out(0)->flags, NET_TCP_ACK);
	assert_int_equal(out(0)->ack, a.seq);
	assert_int_equal(out(0)->seq, a.iss + 2);
	assert_int_equal(cnt()->tw_reack, 1);
	/* b and c are not held back by a, which is not expired early. */
	timers_budget(T0 + 2002 * MS, 1000);
	assert_int_equal(cnt()->tw_expired, 2);
	assert_true(has_record(&a));
	assert_false(has_record(&b));
	assert_false(has_record(&c));
	timers_budget(T0 + 2500 * MS - 1, 1000);
	assert_true(has_record(&a));
	/* The restarted record still answers from its new slot. */
	assert_int_equal(send_at(&a, NET_TCP_ACK, a.seq + 5, a.iss + 2), 1);
	assert_int_equal(out(0)->ack, a.seq);
	timers_budget(T0 + 2500 * MS, 1000);
	assert_int_equal(tw_gauge(), 0);
	assert_false(has_record(&a));
}

/* Restart from a given time; the record must answer with an ACK. */
static void
restart_tw_at(struct peer *p, uint64_t t)
{
	now = t;
	assert_int_equal(send_at(p, NET_TCP_FIN | NET_TCP_ACK, p->seq - 1,
				 p->iss + 2),
			 1);
	assert_int_equal(out(0)->flags, NET_TCP_ACK);
}

/*
 * A restart keeps the live count: the next overflow recycles the oldest
 * by deadline.
 */
static void
test_restart_full(void **state)
{
	struct peer p[4];
	uint16_t i;

	(void)state;
	prm.max_time_wait = 3;
	restart();
	for (i = 0; i < 3; i++)
		to_time_wait(&p[i], (uint16_t)(40000 + i));
	restart_tw_at(&p[0], T0 + 100 * MS);
	assert_int_equal(tw_gauge(), 3);
	to_time_wait(&p[3], 40003);
	assert_int_equal(cnt()->tw_overflow_recycled, 1);
	assert_false(has_record(&p[1]));
	assert_true(has_record(&p[0]));
	assert_true(has_record(&p[2]));
	assert_true(has_record(&p[3]));
}

/*
 * Two peers alternating FIN retransmissions used to move their records
 * to the tail each time, leaving dead slots until the slack ran out;
 * then every restart recycled the oldest live record: 1,000 records,
 * 2,000 FINs, and 998 other records were gone (their peers' late FINs
 * drew a RST instead of an ACK). Restarts now happen in place.
 */
static void
test_restart_flush(void **state)
{
	static struct peer p[1000];
	uint32_t i;

	(void)state;
	prm.max_time_wait = 1000;
	restart();
	for (i = 0; i < 1000; i++)
		to_time_wait(&p[i], (uint16_t)(20000 + i));
	for (i = 1; i <= 2000; i++)
		restart_tw_at(&p[998 + i % 2], T0 + i * 100);
	assert_int_equal(cnt()->tw_overflow_recycled, 0);
	assert_int_equal(tw_gauge(), 1000);
	/* Peer 0's late FIN is still acknowledged. */
	restart_tw_at(&p[0], T0 + 300 * MS);
	for (i = 0; i < 1000; i++)
		assert_true(has_record(&p[i]));
	/*
	 * The restarted ones outlive the others: p[0] until its new
	 * deadline; p[998] and p[999] are due at 2200 ms but were requeued
	 * behind p[0] (never early, at most 2*MSL late).
	 */
	timers_budget(T0 + 2100 * MS, 10000);
	assert_int_equal(tw_gauge(), 3);
	assert_int_equal(cnt()->tw_requeued, 3);
	timers_budget(T0 + 2300 * MS - 1, 10000);
	assert_int_equal(tw_gauge(), 3);
	assert_true(has_record(&p[0]));
	timers_budget(T0 + 2300 * MS, 10000);
	assert_int_equal(tw_gauge(), 0);
	assert_int_equal(cnt()->tw_overflow_recycled, 0);
}

/* A record ended early (SYN reuse, RST) frees its slot for the next. */
static void
test_reuse_frees_slot(void **state)
{
	struct peer a, b, c;

	(void)state;
	prm.max_time_wait = 2;
	prm.rfc1337 = false;
	restart();
	to_time_wait(&a, 40000);
	to_time_wait(&b, 40001);
	/* A newer SYN on a's tuple reuses it (RFC 6191). */
	assert_int_equal(send_at(&a, NET_TCP_SYN, a.seq + 100000, 0), 1);
	assert_int_equal(out(0)->flags, NET_TCP_SYN | NET_TCP_ACK);
	assert_int_equal(out(0)->seq, a.iss + 2 + 65537);
	assert_int_equal(cnt()->tw_reused, 1);
	assert_int_equal(tw_gauge(), 1);
	to_time_wait(&c, 40002);
	assert_int_equal(cnt()->tw_overflow_recycled, 0);
	assert_int_equal(tw_gauge(), 2);
	assert_true(has_record(&b));
	/* An accepted RST (RFC 1337 off) frees b; c still answers. */
	assert_int_equal(send_at(&b, NET_TCP_RST, b.seq, 0), 0);
	assert_int_equal(tw_gauge(), 1);
	assert_false(has_record(&b));
	assert_true(has_record(&c));
	timers_budget(now + 2000 * MS, 1000);
	assert_int_equal(tw_gauge(), 0);
}

/*
 * A SYN reopens a's tuple from TIME_WAIT (RFC 6191); returns the
 * sequence number of the SYN.
 */
static uint32_t
reopen(struct peer *a)
{
	uint32_t syn = a->seq + 100000;

	assert_int_equal(send_at(a, NET_TCP_SYN, syn, 0), 1);
	assert_int_equal(out(0)->flags, NET_TCP_SYN | NET_TCP_ACK);
	assert_int_equal(out(0)->seq, a->iss + 2 + 65537);
	assert_int_equal(tw_gauge(), 0);
	assert_int_equal(gauge(TCP_SYN_RECEIVED), 1);
	return syn;
}

/*
 * RFC 1122 4.2.2.13 (2): the peer resets the SYN-ACK of a connection
 * reopened from TIME_WAIT (its SYN was an old duplicate): the tuple is
 * back in TIME_WAIT with the old record, which answers with the old
 * sequence numbers, applies RFC 6191 to a SYN against the old TS.Recent,
 * and expires when the old record would have, not 2*MSL later.
 */
static void
test_reopen_reset_returns(void **state)
{
	struct net_seg s;
	struct peer a;
	uint64_t due;
	uint32_t syn;

	(void)state;
	to_time_wait(&a, 40000);
	due = now + 2000 * MS;
	now += 700 * MS;
	syn = reopen(&a);
	assert_int_equal(send_at(&a, NET_TCP_RST, syn + 1, 0), 0);
	assert_int_equal(cnt()->tw_returned, 1);
	assert_int_equal(gauge(TCP_SYN_RECEIVED), 0);
	assert_int_equal(tw_gauge(), 1);
	/* An out-of-window ACK draws the old incarnation's ACK. */
	assert_int_equal(send_at(&a, NET_TCP_ACK, a.seq + 5, a.iss + 2), 1);
	assert_int_equal(out(0)->flags, NET_TCP_ACK);
	assert_int_equal(out(0)->seq, a.iss + 2);
	assert_int_equal(out(0)->ack, a.seq);
	/* A SYN older by TSval than the old TS.Recent: dropped (6191). */
	s = mkseg(&a, NET_TCP_SYN, a.seq + 200000, 0, NULL, 0);
	s.opts.tsval = a.tsval - 10;
	assert_int_equal(input(&s), 0);
	assert_int_equal(cnt()->drop_tw_syn, 1);
	timers_budget(due - 1, 1000);
	assert_true(has_record(&a));
	timers_budget(due, 1000);
	assert_int_equal(tw_gauge(), 0);
	assert_false(has_record(&a));
	assert_int_equal(cnt()->tw_expired, 1);
}

/* After the return, the peer's retransmitted old FIN is re-ACKed. */
static void
test_reopen_reset_reacks_fin(void **state)
{
	struct peer a;
	uint32_t syn;

	(void)state;
	to_time_wait(&a, 40000);
	now += 100 * MS;
	syn = reopen(&a);
	assert_int_equal(send_at(&a, NET_TCP_RST, syn + 1, 0), 0);
	now += 300 * MS;
	assert_int_equal(send_at(&a, NET_TCP_FIN | NET_TCP_ACK, a.seq - 1,
				 a.iss + 2),
			 1);
	assert_int_equal(out(0)->flags, NET_TCP_ACK);
	assert_int_equal(out(0)->seq, a.iss + 2);
	assert_int_equal(out(0)->ack, a.seq);
	assert_int_equal(cnt()->tw_reack, 1);
	/* A newer SYN reopens it again, by RFC 6191. */
	reopen(&a);
	assert_int_equal(cnt()->tw_reused, 2);
}

/*
 * RFC 1122 4.2.2.13 (2) whatever ends the reopened connection before its
 * SYN proves new (no RST needed: a spoofed SYN whose source never
 * answers): the SYN-ACK given up after max_retries, syn_recv_timeout, a
 * second SYN in the window, an abort (a drain's reset). Each time the
 * old record takes the tuple
 * back and answers with the old numbers until its old deadline.
 */
static void
test_reopen_unfinished_returns(void **state)
{
	struct peer a;
	uint64_t due;
	uint32_t syn;
	int how;

	(void)state;
	for (how = 0; how < 4; how++) {
		prm.msl_ms = 10000;
		prm.max_retries = how == 0 ? 1 : 3;
		prm.syn_recv_timeout_ms = how == 1 ? 500 : 0;
		restart();
		to_time_wait(&a, 40000);
		due = now + 20000 * MS;
		now += 100 * MS;
		syn = reopen(&a);
		if (how == 0) {
			/* Resent after 1 s, given up 2 s later. */
			timers_budget(now + 1500 * MS, 1000);
			assert_int_equal(cnt()->retransmit, 1);
			assert_int_equal(gauge(TCP_SYN_RECEIVED), 1);
			timers_budget(now + 3500 * MS, 1000);
			assert_int_equal(cnt()->retransmit_abort, 1);
		} else if (how == 1) {
			timers_budget(now + 500 * MS, 1000);
			assert_int_equal(cnt()->syn_recv_timeout, 1);
		} else if (how == 2) {
			assert_int_equal(send_at(&a, NET_TCP_SYN, syn + 10, 0),
					 0);
			assert_int_equal(cnt()->drop_syn_recv_syn, 1);
		} else {
			tcp_drain_start(ctx);
			outq()->n = 0;
			assert_int_equal(tcp_drain_reset(ctx, now, 64), 1);
			assert_true(out(0)->flags & NET_TCP_RST);
		}
		assert_int_equal(gauge(TCP_SYN_RECEIVED), 0);
		assert_int_equal(cnt()->tw_returned, 1);
		assert_int_equal(tw_gauge(), 1);
		assert_int_equal(send_at(&a, NET_TCP_ACK, a.seq + 5, a.iss + 2),
				 1);
		assert_int_equal(out(0)->flags, NET_TCP_ACK);
		assert_int_equal(out(0)->seq, a.iss + 2);
		assert_int_equal(out(0)->ack, a.seq);
		timers_budget(due - 1, 1000);
		assert_true(has_record(&a));
		timers_budget(due, 1000);
		assert_false(has_record(&a));
	}
}

/*
 * No return once the reopened connection is established, once the old
 * record's time is over, or for a record restarted then requeued while
 * reopened (it still returns, from its new slot).
 */
static void
test_reopen_no_return(void **state)
{
	struct peer a, b;
	uint32_t syn;

	(void)state;
	/* ESTABLISHED: the record's slot dies; a RST just resets. */
	to_time_wait(&a, 40000);
	syn = reopen(&a);
	a.seq = syn + 1;
	assert_int_equal(send_at(&a, NET_TCP_ACK, a.seq, a.iss + 65540), 0);
	assert_int_equal(gauge(TCP_ESTABLISHED), 1);
	assert_int_equal(send_at(&a, NET_TCP_RST, a.seq, 0), 0);
	assert_int_equal(gauge(TCP_ESTABLISHED), 0);
	assert_int_equal(tw_gauge(), 0);
	/* The old 2*MSL ends while reopened: the RST finds nothing. */
	to_time_wait(&b, 40001);
	now += 1500 * MS;
	syn = reopen(&b);
	timers_budget(now + 500 * MS, 1000);
	assert_int_equal(send_at(&b, NET_TCP_RST, syn + 1, 0), 0);
	assert_int_equal(tw_gauge(), 0);
	assert_int_equal(gauge(TCP_SYN_RECEIVED), 0);
	assert_int_equal(cnt()->tw_returned, 0);
	/* Restarted, reopened, requeued at the head's turn: it returns. */
	timers_budget(now + 5000 * MS, 1000);
	to_time_wait(&a, 40002);
	now += 100 * MS;
	restart_tw_at(&a, now);
	syn = reopen(&a);
	timers_budget(now + 1950 * MS, 1000);
	assert_int_equal(cnt()->tw_requeued, 1);
	assert_int_equal(send_at(&a, NET_TCP_RST, syn + 1, 0), 0);
	assert_int_equal(cnt()->tw_returned, 1);
	assert_true(has_record(&a));
	timers_budget(now + 51 * MS, 1000);
	assert_false(has_record(&a));
}

/*
 * What a SYN that may reopen a record must not do when it is dropped,
 * refused or answered with a cookie: a's record is still the tuple's,
 * answers an old duplicate with the old incarnation's numbers, and ends
 * at due, its old deadline.
 */
static void
assert_record_kept(struct peer *a, uint64_t due)
{
	assert_int_equal(tw_gauge(), 1);
	assert_int_equal(cnt()->tw_reused, 0);
	assert_int_equal(send_at(a, NET_TCP_ACK, a->seq + 5, a->iss + 2), 1);
	assert_int_equal(out(0)->flags, NET_TCP_ACK);
	assert_int_equal(out(0)->seq, a->iss + 2);
	assert_int_equal(out(0)->ack, a->seq);
	assert_out_addrs(out(0), a->v6);
	timers_budget(due - 1, 1000);
	assert_true(has_record(a));
	timers_budget(due, 1000);
	assert_false(has_record(a));
	assert_int_equal(cnt()->tw_expired, 1);
}

/* How a limit is reached before a's newer SYN comes. */
enum syn_limit {
	LIMIT_SOURCE, /* max_per_source: b established from a's address */
	LIMIT_POOL,   /* max_connections: b holds the only connection */
	LIMIT_BUDGET, /* max_syn_recv: b half-open */
	LIMIT_DRAIN,  /* draining: the listener refuses */
};

/*
 * a in TIME_WAIT, then the limit reached (b); a's newer SYN, which RFC
 * 6191 accepts, comes at now + 700 ms. Returns a's old deadline.
 */
static uint64_t
tw_then_limit(struct peer *a, struct peer *b, enum syn_limit lim, bool v6)
{
	uint64_t due;

	peer_v6 = v6;
	prm.max_per_source = lim == LIMIT_SOURCE ? 1 : 0;
	prm.max_connections = lim == LIMIT_POOL ? 1 : 8;
	prm.max_syn_recv = lim == LIMIT_BUDGET ? 1 : 0;
	restart();
	to_time_wait(a, 40000);
	due = now + 2000 * MS;
	if (lim == LIMIT_BUDGET)
		assert_int_equal(peer_syn(b, 40001, true, 1460), 1);
	else if (lim == LIMIT_DRAIN)
		tcp_drain_start(ctx);
	else
		open_peer(b, 40001, true);
	now += 700 * MS;
	return due;
}

/* a's newer SYN at a limit; returns the segments it draws. */
static uint32_t
syn_at_limit(struct peer *a)
{
	uint32_t n = send_at(a, NET_TCP_SYN, a->seq + 100000, 0);

	assert_int_equal(cnt()->tw_reused, 0);
	assert_int_equal(tw_gauge(), 1);
	return n;
}

/*
 * A SYN that may reopen a record (RFC 6191) but is dropped at a limit
 * (its source's, the pool's, the SYN_RECEIVED budget with cookies off)
 * or refused (draining) leaves the record as it was: the drop is decided
 * before the record is touched. Otherwise anyone who can guess a tuple
 * could wipe its TIME_WAIT protection by sending SYNs while the server
 * is at a limit.
 */
static void
test_reopen_dropped_keeps_record(void **state)
{
	struct peer a, b;
	uint64_t due;
	unsigned int v6;

	(void)state;
	prm.syncookies = TCP_SYNCOOKIES_OFF;
	for (v6 = 0; v6 < 2; v6++) {
		due = tw_then_limit(&a, &b, LIMIT_SOURCE, v6);
		assert_int_equal(syn_at_limit(&a), 0);
		assert_int_equal(cnt()->source_limit_drop, 1);
		assert_record_kept(&a, due);

		due = tw_then_limit(&a, &b, LIMIT_POOL, v6);
		assert_int_equal(syn_at_limit(&a), 0);
		assert_int_equal(cnt()->conn_limit_drop, 1);
		assert_record_kept(&a, due);

		due = tw_then_limit(&a, &b, LIMIT_BUDGET, v6);
		assert_int_equal(syn_at_limit(&a), 0);
		assert_int_equal(cnt()->syn_recv_budget_drop, 1);
		assert_record_kept(&a, due);

		due = tw_then_limit(&a, &b, LIMIT_DRAIN, v6);
		assert_int_equal(syn_at_limit(&a), 1);
		assert_int_equal(out(0)->flags, NET_TCP_RST | NET_TCP_ACK);
		assert_int_equal(cnt()->drain_refused, 1);
		assert_record_kept(&a, due);
	}
	peer_v6 = false;
}

/*
 * A SYN that may reopen a record but draws a SYN cookie (pool full or
 * SYN_RECEIVED budget spent) leaves the record as it was too: the cookie
 * holds no state, so nothing would answer for the old incarnation if the
 * SYN were an old duplicate. The cookie's ACK, which the record would
 * refuse, opens the connection and ends the record then; with the pool
 * still full, the ACK is dropped and the record stays.
 */
static void
test_reopen_cookie_keeps_record(void **state)
{
	struct peer a, b;
	struct net_seg s;
	uint32_t syn, cookie, tsval;
	uint64_t due;
	unsigned int v6;
	int pool;

	(void)state;
	prm.syncookies = TCP_SYNCOOKIES_AUTO;
	for (v6 = 0; v6 < 2; v6++) {
		for (pool = 0; pool < 2; pool++) {
			due = tw_then_limit(&a, &b,
					    pool ? LIMIT_POOL : LIMIT_BUDGET,
					    v6);
			syn = a.seq + 100000;
			assert_int_equal(syn_at_limit(&a), 1);
			assert_int_equal(out(0)->flags,
					 NET_TCP_SYN | NET_TCP_ACK);
			assert_int_equal(cnt()->syncookies_sent, 1);
			cookie = out(0)->seq;
			tsval = out(0)->opts.tsval;
			/* The record still answers for the old incarnation. */
			assert_true(has_record(&a));
			assert_int_equal(cnt()->syncookies_failed, 0);
			s = mkseg(&a, NET_TCP_ACK, syn + 1, cookie + 1, NULL,
				  0);
			s.opts.tsval = ++a.tsval;
			s.opts.tsecr = tsval;
			app.conn = NULL;
			if (pool) {
				assert_int_equal(input(&s), 0);
				assert_int_equal(cnt()->syncookies_ok, 1);
				assert_int_equal(cnt()->conn_limit_drop, 1);
				assert_record_kept(&a, due);
				continue;
			}
			assert_int_equal(input(&s), 0);
			assert_int_equal(cnt()->syncookies_ok, 1);
			assert_non_null(app.conn);
			assert_int_equal(tcp_conn_state(app.conn),
					 TCP_ESTABLISHED);
			assert_int_equal(cnt()->tw_reused, 1);
			assert_int_equal(tw_gauge(), 0);
			timers_budget(due, 1000);
			assert_int_equal(gauge(TCP_ESTABLISHED), 1);
		}
	}
	peer_v6 = false;
}

/* max_connections caps connections; TIME_WAIT records do not count. */
static void
test_max_connections(void **state)
{
	struct peer p[4];
	uint16_t i;

	(void)state;
	prm.max_connections = 2;
	prm.max_time_wait = 8;
	prm.syncookies = TCP_SYNCOOKIES_OFF;
	restart();
	/* Records free their connection: 4 in a row with a pool of 2. */
	for (i = 0; i < 4; i++)
		to_time_wait(&p[i], (uint16_t)(40000 + i));
	assert_int_equal(tw_gauge(), 4);
	/*
	 * Two half-open connections fill the pool; the third SYN is dropped
	 * (SYN cookies off).
	 */
	for (i = 0; i < 3; i++) {
		memset(&p[0], 0, sizeof(p[0]));
		p[0].port = (uint16_t)(41000 + i);
		assert_int_equal(send_at(&p[0], NET_TCP_SYN, PEER_ISN, 0),
				 i < 2 ? 1 : 0);
	}
	assert_int_equal(cnt()->conn_limit_drop, 1);
	assert_int_equal(tcp_state_gauges(ctx)[TCP_SYN_RECEIVED], 2);
}

/*
 * Random arrivals, restarts, reuses, resets, reopenings reset back into
 * TIME_WAIT and expiries against a model
 * of which tuples hold a record and until when; every step is checked
 * by tcp_ctx_check() (ring order, counts, table) and, for each touched
 * tuple, by the answer the peer gets.
 */
#define MODEL_PEERS 24

struct model_tw {
	struct peer p;
	bool live;
	bool restarted; /* may outlive due by up to 2*MSL */
	uint64_t due;	/* us, rounded up to the ms */
};

static uint64_t
model_rng(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void
model_step(struct model_tw *m, uint64_t *rng, uint32_t *live)
{
	uint64_t r = model_rng(rng);
	struct model_tw *e = &m[r % MODEL_PEERS];
	uint64_t twomsl = 2ull * prm.msl_ms * MS;
	uint32_t syn;

	switch ((r >> 8) % 7) {
	case 0:
	case 1:
		if (e->live || *live == prm.max_time_wait)
			break;
		to_time_wait(&e->p, (uint16_t)(40000 + (e - m)));
		e->live = true;
		e->restarted = false;
		e->due = (now + twomsl + MS - 1) / MS * MS;
		(*live)++;
		break;
	case 2:
		/* Not once due: the record may be gone already. */
		if (!e->live || now >= e->due)
			break;
		assert_int_equal(send_at(&e->p, NET_TCP_FIN | NET_TCP_ACK,
					 e->p.seq - 1, e->p.iss + 2),
				 1);
		assert_int_equal(out(0)->flags, NET_TCP_ACK);
		e->due = (now + twomsl + MS - 1) / MS * MS;
		e->restarted = true;
		break;
	case 3:
		if (!e->live)
			break;
		assert_int_equal(send_at(&e->p, NET_TCP_RST, e->p.seq, 0), 0);
		e->live = false;
		(*live)--;
		break;
	case 4:
		/* Reopened, reset: back with the same deadline. */
		if (!e->live || now >= e->due)
			break;
		syn = e->p.seq + 100000;
		assert_int_equal(send_at(&e->p, NET_TCP_SYN, syn, 0), 1);
		assert_int_equal(send_at(&e->p, NET_TCP_RST, syn + 1, 0), 0);
		break;
	default:
		now += (r >> 16) % (300 * MS);
		timers_budget(now, 1 + (uint32_t)((r >> 32) % 50));
		break;
	}
}

static void
model_verify(struct model_tw *m, uint32_t *live)
{
	size_t i;

	for (i = 0; i < MODEL_PEERS; i++) {
		if (!m[i].live)
			continue;
		/*
		 * Never early; expired once due (the budget was ample), or
		 * for a restarted record, at most 2*MSL later (it waits for
		 * the records ahead of it on the ring).
		 */
		if (now < m[i].due) {
			assert_true(has_record(&m[i].p));
			continue;
		}
		if (m[i].restarted && has_record(&m[i].p)) {
			assert_true(now < m[i].due + 2ull * prm.msl_ms * MS);
			continue;
		}
		assert_false(has_record(&m[i].p));
		m[i].live = false;
		(*live)--;
	}
}

static void
test_model(void **state)
{
	static const enum tcp_tw_overflow pol[] = {
		TCP_TW_OVERFLOW_RECYCLE_OLDEST,
		TCP_TW_OVERFLOW_REFUSE,
	};
	struct model_tw m[MODEL_PEERS];
	uint64_t rng = 0x243f6a8885a308d3ull;
	uint32_t live, step;
	size_t c;

	(void)state;
	for (c = 0; c < ARRAY_SIZE(pol); c++) {
		prm.rfc1337 = false;
		prm.max_time_wait = MODEL_PEERS - 6;
		prm.max_connections = 4;
		prm.tw_overflow = pol[c];
		restart();
		memset(m, 0, sizeof(m));
		live = 0;
		for (step = 0; step < 20000; step++) {
			model_step(m, &rng, &live);
			assert_true(tw_gauge() <= live);
			if (step % 8 == 0) {
				timers_budget(now, 1000);
				model_verify(m, &live);
				assert_int_equal(tw_gauge(), live);
			}
		}
		assert_int_equal(cnt()->tw_overflow_recycled, 0);
		assert_int_equal(cnt()->tw_overflow_refused, 0);
		/* Every kind of step happened, many times. */
		assert_true(cnt()->tw_created > 1000);
		assert_true(cnt()->tw_reack > 800);
		assert_true(cnt()->rst_rx > 1000);
		assert_true(cnt()->tw_expired > 1000);
		assert_true(cnt()->tw_returned > 800);
	}
}

/*
 * tcp_conn_key_hash(): while a segment is handled, its key and hash are
 * those of its own connection only (same slot, same generation); any
 * other connection, or any after input, has its own computed.
 */
static void
test_conn_key_hash_own_segment_only(void **state)
{
	struct peer a, b;
	struct flow_key ka, kb, k;
	struct net_seg s;
	uint32_t ha, hb;

	(void)state;
	open_peer(&a, 4000, true);
	open_peer(&b, 4001, true);
	tcp_conn_key(ctx, a.conn, &ka);
	tcp_conn_key(ctx, b.conn, &kb);
	ha = flowtab_hash(ctx->ft, &ka);
	hb = flowtab_hash(ctx->ft, &kb);
	/* After input, nothing is kept. */
	assert_null(ctx->in_seg);
	assert_int_equal(tcp_conn_key_hash(ctx, a.conn, &k), ha);
	assert_memory_equal(&k, &ka, sizeof(k));
	/* As while a's segment is handled (a marked hash shows reuse). */
	s = mkseg(&a, ACK, a.seq, our_nxt(&a, 0), NULL, 0);
	ctx->in_seg = &s;
	ctx->in_key = ka;
	ctx->in_hash = ha ^ 1;
	ctx->in_conn = a.conn->idx;
	ctx->in_gen = a.conn->gen;
	assert_int_equal(tcp_conn_key_hash(ctx, a.conn, &k), ha ^ 1);
	assert_memory_equal(&k, &ka, sizeof(k));
	assert_int_equal(tcp_conn_key_hash(ctx, b.conn, &k), hb);
	assert_memory_equal(&k, &kb, sizeof(k));
	/* Another generation of a's slot is another connection. */
	ctx->in_gen = a.conn->gen + 1;
	assert_int_equal(tcp_conn_key_hash(ctx, a.conn, &k), ha);
	ctx->in_gen = a.conn->gen;
	ctx->in_conn = TCP_NONE;
	assert_int_equal(tcp_conn_key_hash(ctx, a.conn, &k), ha);
	ctx->in_seg = NULL;
	/* A segment of a after all this is handled as before. */
	assert_int_equal(send_peer(&a, ACK | FIN, our_nxt(&a, 0), NULL, 0), 1);
	assert_int_equal(tcp_conn_state(a.conn), TCP_CLOSE_WAIT);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_record_memory),
		cmocka_unit_test(test_ctx_sizes_refused),
		cmocka_unit_test_setup_teardown(test_overflow, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_conn_key_hash_own_segment_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ack_lower_bound, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_expiry_exact, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_expiry_budget, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_expiry_deadline, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_conn_timers_deadline,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_restart_fin, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_restart_full, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_restart_flush, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_reuse_frees_slot, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_reopen_reset_returns,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_reopen_reset_reacks_fin,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_reopen_unfinished_returns,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_reopen_no_return, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			test_reopen_dropped_keeps_record, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reopen_cookie_keeps_record,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_max_connections, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_model, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
