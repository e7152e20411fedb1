/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Timers on the wheel (1 ms ticks). A connection keeps its deadlines in
 * microseconds and at most one live wheel entry, for the earliest of them;
 * entries made stale by an earlier re-arm carry an old generation and are
 * ignored when they come back, or dropped by a compaction when they fill
 * the wheel. The live entry belongs to the connection's slot: it outlives
 * a connection freed before it fires and serves the slot's next one. TIME_WAIT records have no wheel entry:
 * their ring is their timer (tcp_tw.c), drained here after the wheel.
 */
#include "tcp_internal.h"

#define TCP_EXPIRE_BATCH 64
/*
 * The batch under a time bound: the clock is read between batches, and
 * a connection's timers may build segments (a retransmission, a probe),
 * so a smaller batch keeps the overshoot past the deadline short.
 */
#define TCP_EXPIRE_BATCH_TIMED 16
/*
 * Connections of a batch prefetched ahead of the one whose timer runs:
 * at millions of connections each is a cache miss at a random place.
 */
#define TCP_TIMER_PREFETCH 8
/*
 * Output queue slots a connection's timers may need (a retransmission,
 * a probe, an ACK, and what an application timer sends). With fewer
 * free, the expiry waits for the next call: the caller drains the queue
 * between calls.
 */
#define TCP_TIMER_OUT_RESERVE 8

static uint64_t
cookie(uint64_t type, uint32_t gen, uint32_t idx)
{
	return type | ((uint64_t)(gen & TCP_GEN_MASK) << 32) | idx;
}

static uint64_t
us_to_tick(uint64_t us)
{
	return (us + 999) / 1000;
}

/*
 * The smaller of two deadlines, 0 meaning none: one minus a deadline
 * wraps 0 (none) to the largest value, so a plain minimum, free of
 * branches, picks the earlier running one.
 */
static uint64_t
deadline_min(uint64_t a, uint64_t b)
{
	uint64_t am = a - 1, bm = b - 1;

	return (am < bm ? am : bm) + 1;
}

/* The earliest running deadline of conn; 0: none runs. */
static uint64_t
earliest(const struct tcp_conn *conn)
{
	return deadline_min(deadline_min(conn->t_rexmit, conn->t_dack),
			    deadline_min(deadline_min(conn->t_persist,
						      conn->t_state),
					 conn->t_app));
}

/*
 * Whether a wheel entry is the live one of its connection slot: the one
 * armed last (its generation). At most one per slot, whether the slot is
 * in use or free (a freed slot's entry is kept for its next connection).
 */
static int
entry_live(uint64_t ck, void *arg)
{
	const struct tcp_ctx *c = arg;
	uint32_t idx = (uint32_t)ck;
	const struct tcp_conn *conn;

	if (idx >= c->p.max_connections)
		return 0;
	conn = &c->conns[idx];
	return conn->armed_tick != TCP_TICK_NONE &&
		conn->tgen == ((uint32_t)(ck >> 32) & TCP_GEN_MASK);
}

/*
 * Incremental compaction. The wheel holds cap = 2N + 64 entries (N =
 * max_connections) and at most N of them are live (one per slot), so
 * stale entries, which lazy cancellation leaves until they fire, could
 * fill it. Once the count reaches 3/4 of cap, a compaction pass starts
 * (wheel_compact_step()), and every insert while it runs asks for
 * TCP_CZ_WORK entries to be examined: in effect a chunk (63) every
 * eighth insert or so, never more than TCP_CZ_WORK + 62 in one.
 *
 * Why the pool never fills. Say a pass starts at count C0 <= 3/4 cap + 1
 * and I inserts happen during it. It examines at most C0 + I entries,
 * plus those expiry moves (hands out or re-files) while it runs, which
 * tcp_timers_until() pays for in the same poll: as many examined as
 * the wheel touched (wheel_compact_catch_up()), within the timer slice.
 * So it ends once TCP_CZ_WORK * I >= C0 + I (give or take a chunk),
 * i.e. within I = C0 / 7 inserts, and
 * meanwhile count <= C0 + I <= 8/7 * (3/4 cap + 1) ~ 0.86 cap < cap. At
 * its end every entry stale at its start is gone (wheel.c), so the
 * stale ones left were added or made stale (one per insert) during it:
 * count <= N + 2I <= 1/2 cap + 2/7 * 3/4 cap ~ 0.71 cap, under the
 * threshold again. The argument assumes the polls pay for expiry's
 * moves (a timer slice that always runs out could leave that debt
 * unpaid, and lists relocated at block boundaries add re-visits): if an
 * insert still finds the wheel full, the full walk (wheel_compact(),
 * counted) frees at least half of it; after it, an insert that fails is
 * a bug, counted in wheel_full.
 */
#define TCP_CZ_WORK 8

static void
cz_count(struct tcp_ctx *c, uint64_t dropped, uint64_t examined,
	 uint64_t passes)
{
	c->cnt.wheel_stale_dropped += dropped;
	c->cnt.wheel_compact_checked += wheel_compact_examined(c->w) - examined;
	c->cnt.wheel_compact_passes += wheel_compact_passes(c->w) - passes;
}

/* Start a pass at the threshold, and take an insert's step of one. */
static void
cz_on_insert(struct tcp_ctx *c)
{
	uint64_t cap = (uint64_t)c->p.max_connections * 2 + 64;
	uint64_t e = wheel_compact_examined(c->w);
	uint64_t p = wheel_compact_passes(c->w), n;

	if (!wheel_compact_busy(c->w)) {
		if (wheel_count(c->w) * 4 < cap * 3)
			return;
		wheel_compact_begin(c->w);
	}
	n = wheel_compact_step(c->w, entry_live, c, TCP_CZ_WORK, NULL);
	cz_count(c, n, e, p);
}

/*
 * Add the wheel entry of a connection, after a step of compaction. If
 * the wheel is full all the same, the full walk makes room (see above).
 */
static int
wheel_insert(struct tcp_ctx *c, uint64_t tick, uint64_t ck)
{
	uint64_t n;

	cz_on_insert(c);
	if (wheel_add(c->w, tick, ck) == 0)
		return 0;
	n = wheel_compact_examined(c->w);
	c->cnt.wheel_stale_dropped += wheel_compact(c->w, entry_live, c);
	c->cnt.wheel_compact_checked += wheel_compact_examined(c->w) - n;
	c->cnt.wheel_compact++;
	if (wheel_add(c->w, tick, ck) == 0)
		return 0;
	c->cnt.wheel_full++;
	return -1;
}

/*
 * Ticks (ms) an entry may lie ahead of the wheel: about 49.7 days, well
 * inside its levels (2^36 ticks). An entry past them sits on the overflow
 * list, where a compaction pass does not drop the earliest ones
 * (wheel.c): an application timer years out (tcp_app_timer() takes any
 * deadline), re-armed after each earlier one fired, would leave stale
 * entries there that only the full walk removes. Such a deadline gets an
 * entry at this horizon instead, which fires early, finds nothing due
 * and files the next.
 */
#define TCP_TICK_HORIZON (UINT64_C(1) << 32)

/*
 * The new wheel entry of a connection, at tick. Out of line: most arms
 * find an entry early enough already, and this part, with the wheel's
 * insert in it, would give every arm the stack frame it needs.
 */
static __attribute__((noinline)) void
conn_arm_at(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t tick)
{
	if (tick > wheel_now(c->w) + TCP_TICK_HORIZON)
		tick = wheel_now(c->w) + TCP_TICK_HORIZON;
	uint32_t tgen = (conn->tgen + 1) & TCP_GEN_MASK;

	if (wheel_insert(c, tick, cookie(0, tgen, conn->idx)) != 0)
		return;
	conn->tgen = tgen;
	conn->armed_tick = tick;
}

/*
 * Make sure a wheel entry exists at or before the earliest deadline. The
 * entry may have been armed by an earlier connection of the same slot
 * (it fires early, finds nothing due and re-arms): a slot reused at once
 * after a free, as the LIFO pool does, adds no entry. No entry is
 * TCP_TICK_NONE, larger than any tick of a deadline, so one comparison
 * covers it.
 */
static void
conn_arm(struct tcp_ctx *c, struct tcp_conn *conn)
{
	uint64_t e = earliest(conn), tick;

	if (e == 0)
		return;
	tick = us_to_tick(e);
	if (tick >= conn->armed_tick)
		return;
	conn_arm_at(c, conn, tick);
}

/*
 * The exported names of conn_arm() and backoff(): this file calls those,
 * which the compiler may inline (an exported function of a
 * position-independent library may be replaced at link time, so calls
 * to it stay calls).
 */
void
tcp_conn_arm(struct tcp_ctx *c, struct tcp_conn *conn)
{
	conn_arm(c, conn);
}

/* RFC 6298 5.5: base doubled shift times, at most rto_max. */
static uint64_t
backoff(const struct tcp_ctx *c, uint32_t base, uint32_t shift)
{
	uint64_t t = (uint64_t)base << (shift < 30 ? shift : 30);

	return t < c->us.rto_max ? t : c->us.rto_max;
}

uint64_t
tcp_backoff(const struct tcp_ctx *c, uint32_t base, uint32_t shift)
{
	return backoff(c, base, shift);
}

/*
 * RFC 6298 5.5: the retransmission timer at the RTO (doubled by each
 * timeout, rexmit_timeout()), or, when a tail loss probe applies (RFC
 * 8985 7.2), the probe timeout. Only the deadline: the caller arms the
 * connection (tcp_conn_arm()).
 */
void
tcp_rexmit_set(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now)
{
	uint64_t pto = tcp_tlp_pto(c, conn);

	conn->rec_flags &= ~TCP_RF_RACK_ARMED;
	if (pto != 0) {
		conn->rec_flags |= TCP_RF_TLP_ARMED;
		conn->t_rexmit = now + pto;
	} else {
		conn->rec_flags &= ~TCP_RF_TLP_ARMED;
		conn->t_rexmit = now + conn->rto;
	}
}

/* The retransmission timer (tcp_rexmit_set()), armed. */
void
tcp_rexmit_arm(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now)
{
	tcp_rexmit_set(c, conn, now);
	conn_arm(c, conn);
}

/* RFC 6298 2.2-2.4: one RTT measurement r, in microseconds. */
void
tcp_rtt_sample(struct tcp_ctx *c, struct tcp_conn *conn, uint32_t r)
{
	uint64_t rto, var;
	uint32_t delta;

	if (r == 0)
		r = 1;
	if (conn->srtt == 0) {
		conn->srtt = r;
		conn->rttvar = r / 2;
	} else {
		delta = conn->srtt > r ? conn->srtt - r : r - conn->srtt;
		conn->rttvar =
			(uint32_t)(((uint64_t)conn->rttvar * 3 + delta) / 4);
		conn->srtt = (uint32_t)(((uint64_t)conn->srtt * 7 + r) / 8);
	}
	/* G, the clock granularity, is 1 ms. */
	var = (uint64_t)conn->rttvar * 4;
	rto = conn->srtt + (var > 1000 ? var : 1000);
	if (rto < c->us.rto_min)
		rto = c->us.rto_min;
	if (rto > c->us.rto_max)
		rto = c->us.rto_max;
	conn->rto = (uint32_t)rto;
}

/*
 * RFC 6298 5.4-5.7: retransmit the earliest unacknowledged segment (the
 * SYN-ACK, data or the FIN), back off, and give up after max_retries
 * (RFC 1122 4.2.3.5, R2: close the connection) with a RST in the
 * synchronized states (FIN_WAIT_1, CLOSING and LAST_ACK included), so
 * that a peer still there learns it; a half-open SYN_RECEIVED goes
 * silently, as in Linux.
 */
static void
rexmit_timeout(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now)
{
	conn->t_rexmit = 0;
	if (conn->snd_una == conn->snd_max && conn->state != TCP_SYN_RECEIVED) {
		/* Nothing in flight: the output queue was full. */
		tcp_output(c, conn, now, UINT32_MAX);
		return;
	}
	/* RFC 8985 6.3: the reordering timer, not a timeout. */
	if (conn->rec_flags & TCP_RF_RACK_ARMED) {
		tcp_rec_reorder_timeout(c, conn, now);
		return;
	}
	/*
	 * RFC 8985 7.3: the probe timeout fired first: probe, then RTO. Not
	 * a timeout: max_retries counts RTOs, and applies at the RTO.
	 */
	if (conn->rec_flags & TCP_RF_TLP_ARMED) {
		conn->rec_flags &= ~TCP_RF_TLP_ARMED;
		tcp_tlp_send(c, conn, now);
		tcp_rexmit_arm(c, conn, now);
		return;
	}
	if (conn->retries >= c->p.max_retries) {
		c->cnt.retransmit_abort++;
		if (conn->state != TCP_SYN_RECEIVED)
			tcp_send_rst_conn(c, conn, now);
		tcp_conn_free(c, conn);
		return;
	}
	c->cnt.rto++;
	/*
	 * SYN_RECEIVED has no congestion state yet (tcp_cc_init() sets it
	 * at the handshake's ACK), and IRS shares its storage: a reset of
	 * it here made the peer's SYN, repeated because the SYN-ACK was
	 * lost, look like a new one, which drew a useless ACK where the
	 * SYN-ACK was due.
	 */
	if (conn->state != TCP_SYN_RECEIVED)
		tcp_rec_timeout(c, conn);
	conn->retries++;
	/*
	 * RFC 6298 5.5: back off the timer, RTO <- RTO * 2. The RTO stays
	 * so until an RTT sample computes it anew (RFC 6298 5, Karn's
	 * algorithm): the ACK of a resent segment gives none without
	 * timestamps, and an RTO back at its old value at that ACK would
	 * time every flight out again on a path whose RTT grew past it
	 * (Linux too resets its backoff only on a valid RTT sample). The
	 * timeout count (retries, max_retries) starts again at any ACK of
	 * new data.
	 */
	conn->rto = (uint32_t)backoff(c, conn->rto, 1);
	conn->flags &= ~TCP_CF_RTT_TIMING;
	if (conn->state == TCP_SYN_RECEIVED) {
		c->cnt.retransmit++;
		tcp_send_synack(c, conn, now);
		tcp_rexmit_arm(c, conn, now);
		return;
	}
	/* Go back to SND.UNA; the FIN goes again if it was not acked. */
	conn->snd_nxt = conn->snd_una;
	if (!(conn->flags & TCP_CF_FIN_ACKED))
		conn->flags &= ~TCP_CF_FIN_SENT;
	tcp_output(c, conn, now, 1);
	if (conn->t_rexmit == 0 && conn->snd_una != conn->snd_max &&
	    conn->t_persist == 0)
		tcp_rexmit_arm(c, conn, now);
}

/*
 * The send deadline (tcp.send_timeout_ms): the user timeout of RFC 9293
 * 3.8.3 and RFC 5482 (data unacknowledged, or unsent for a zero window,
 * too long), as a minimum progress. The peer decides how fast we send:
 * a zero window it keeps shut while it answers every probe, or a window
 * of a few bytes it acknowledges promptly, a byte a second, would hold
 * the connection and its send buffer for ever, the retransmission and
 * persist counts being reset by every answer. So once data waits to be
 * sent or acknowledged, SND.UNA must reach a mark (snd_mark) within the
 * timeout: TCP_SEND_PROGRESS bytes past SND.UNA, or the end of the queue
 * if that is nearer. Reaching it starts the deadline again, at once, with
 * a new mark; a deadline that passes with the mark unreached resets the
 * connection (counter send_timeout). The progress asked for does not
 * grow with snd_buf: a peer must take TCP_SEND_PROGRESS bytes per
 * timeout, about 1.1 KB/s at the default 60 s, whatever the buffer.
 *
 * The deadline is t_state, which no other timer uses in the states that
 * hold data to send (ESTABLISHED, CLOSE_WAIT, FIN_WAIT_1, CLOSING,
 * LAST_ACK), so the wheel finds it with no cost of its own. It is set
 * lazily, only where a connection is slow anyway: an ACK that leaves data
 * queued (a response acknowledged at once sets nothing) and a persist
 * timer expiry (a zero window, or data held by SWS avoidance); the ACK
 * that empties the queue clears it (tcp_send_unwatch()). A peer that
 * acknowledges nothing at all is left to the retransmission timer's
 * give-up (retransmit_abort): while that timer backs off, the deadline
 * waits for it (send_timeout()).
 */
/*
 * The bytes SND.UNA must advance by per send timeout: 64 KiB, the
 * default snd_buf, so that the default configuration asks what it asked
 * when the mark was the end of the queue (64 KiB a minute, 1.1 KB/s),
 * and a larger buffer asks no more. A dial-up peer (56 kbit/s, 7 KB/s)
 * meets it six times over; a peer slower than that holds its share of
 * the pool for nothing.
 */
#define TCP_SEND_PROGRESS (64u * 1024)

static bool
snd_mark_reached(const struct tcp_conn *conn)
{
	/* Unreached: the mark lies in (SND.UNA, SND.UNA + queued]. */
	return conn->snd_mark - conn->snd_una - 1 >= conn->sb_len;
}

/* Start the send deadline if data waits and none runs for it. */
void
tcp_send_watch(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now)
{
	if (c->us.send == 0 || conn->sb_len == 0 ||
	    (conn->t_state != 0 && !snd_mark_reached(conn)))
		return;
	conn->snd_mark = conn->snd_una +
		(conn->sb_len < TCP_SEND_PROGRESS ? conn->sb_len :
						    TCP_SEND_PROGRESS);
	conn->t_state = now + c->us.send;
}

/*
 * How long a send buffer taken to reopen a window (tcp_window_wait())
 * waits for the peer's data: the longest of 1 s, four rto_min and two of
 * the connection's RTOs, a few round trips of a peer that was waiting
 * for the update, or retransmitting into the window, backing off.
 */
#define TCP_WND_HOLD_MIN_US 1000000u

static uint64_t
window_hold_time(const struct tcp_ctx *c, const struct tcp_conn *conn)
{
	uint64_t hold = 4 * c->us.rto_min;

	if (hold < TCP_WND_HOLD_MIN_US)
		hold = TCP_WND_HOLD_MIN_US;
	if (hold < 2 * (uint64_t)conn->rto)
		hold = 2 * (uint64_t)conn->rto;
	return hold;
}

void
tcp_window_hold(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now)
{
	conn->snd_mark = conn->snd_una;
	conn->t_state = now + window_hold_time(c, conn);
}

/*
 * The send buffer taken for a window is still empty, nothing in flight:
 * the peer sent nothing into the window. The buffer goes back, for the
 * next waiter (counter sndbuf_window_lapsed); the window stays offered,
 * and data into it finds a buffer or is left unacknowledged for the
 * retransmission (tcp_rcv.c, rcv_unbacked()). So a silent peer holds no
 * buffer. Not while bytes wait in the receive buffer, in order or not:
 * they are echoed into it once the application or the gap lets them,
 * so the hold starts again. Whether the deadline was the hold's.
 */
static bool
window_hold_ends(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now)
{
	if (conn->sb == TCP_NONE || conn->sb_len != 0 ||
	    conn->snd_una != conn->snd_max)
		return false;
	if (conn->rb_len != 0 || tcp_ooo_held(c, conn)) {
		tcp_window_hold(c, conn, now);
		return true;
	}
	c->cnt.sndbuf_window_lapsed++;
	tcp_sb_put(c, conn);
	return true;
}

/*
 * The send deadline expired: whether it was missed, counted and the
 * connection reset (with a RST, in CLOSING and LAST_ACK too, as the
 * retransmission give-up does); if it was met, it starts again. While
 * retransmissions are unanswered (retries, reset by any ACK that moves
 * SND.UNA) the path may be lossy or gone rather than the peer slow: the
 * deadline, mark kept, moves to the retransmission timer's expiry (when
 * both are due, it runs first and moves to the same instant, then to
 * the next expiry a tick later), so that max_retries decides a silent
 * peer (retransmit_abort); an ACK that moves SND.UNA meanwhile brings it
 * back at once (tcp_send_answered()), so a peer that acknowledges a
 * little now and then cannot stretch it.
 */
static bool
send_timeout(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now)
{
	if (window_hold_ends(c, conn, now))
		return false;
	if (snd_mark_reached(conn)) {
		tcp_send_watch(c, conn, now);
		return false;
	}
	if (conn->retries != 0 && conn->t_rexmit != 0) {
		conn->t_state = conn->t_rexmit;
		return false;
	}
	c->cnt.send_timeout++;
	tcp_send_rst_conn(c, conn, now);
	return true;
}

/*
 * SYN_RECEIVED and FIN_WAIT_2 timeouts (RFC 9293 3.10.8 user timeout;
 * the FIN_WAIT_2 one, like Linux's tcp_fin_timeout, so that a peer that
 * never sends its FIN cannot pin the connection): it goes away silently.
 * In the other states, the send deadline.
 */
static void
state_timeout(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now)
{
	conn->t_state = 0;
	if (conn->state == TCP_SYN_RECEIVED)
		c->cnt.syn_recv_timeout++;
	else if (conn->state == TCP_FIN_WAIT_2)
		c->cnt.fin_wait2_timeout++;
	else if (!send_timeout(c, conn, now))
		return;
	tcp_conn_free(c, conn);
}

static void
app_timeout(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now)
{
	conn->t_app = 0;
	if (tcp_app_event(c, conn, TCP_APP_TIMER, now))
		tcp_after_callback(c, conn, now);
}

static bool
due(uint64_t t, uint64_t now)
{
	return t != 0 && t <= now;
}

/* The connection's wheel entry fired: run every due deadline. */
static void
conn_timer(struct tcp_ctx *c, uint32_t idx, uint32_t tgen, uint64_t now)
{
	struct tcp_conn *conn;
	uint32_t gen;

	if (idx >= c->p.max_connections)
		return;
	conn = &c->conns[idx];
	if (conn->tgen != tgen)
		return;
	conn->armed_tick = TCP_TICK_NONE;
	if (!(conn->flags & TCP_CF_USED))
		return;
	gen = conn->gen;
	if (due(conn->t_state, now))
		state_timeout(c, conn, now);
	if (tcp_conn_live(conn, gen) && due(conn->t_rexmit, now))
		rexmit_timeout(c, conn, now);
	if (tcp_conn_live(conn, gen) && due(conn->t_persist, now)) {
		conn->t_persist = 0;
		tcp_send_watch(c, conn, now);
		tcp_probe(c, conn, now);
	}
	if (tcp_conn_live(conn, gen) && due(conn->t_dack, now)) {
		c->cnt.delayed_ack++;
		tcp_send_ack(c, conn, now);
	}
	if (tcp_conn_live(conn, gen) && due(conn->t_app, now))
		app_timeout(c, conn, now);
	if (tcp_conn_live(conn, gen))
		tcp_conn_arm(c, conn);
}

/*
 * Put fired entries back, due at once, for the next call: the output
 * queue has no room for what their timers would send. The wheel handed
 * them out, so it has room for them.
 */
static void
timers_defer(struct tcp_ctx *c, const uint64_t *ck, size_t n, uint64_t now)
{
	size_t i;

	for (i = 0; i < n; i++) {
		uint32_t idx = (uint32_t)ck[i];

		if (wheel_add(c->w, now / 1000, ck[i]) != 0) {
			c->cnt.wheel_full++;
			continue;
		}
		if (idx < c->p.max_connections && entry_live(ck[i], c))
			c->conns[idx].armed_tick = now / 1000;
		c->cnt.timer_deferred++;
	}
}

static bool
outq_room(const struct tcp_ctx *c)
{
	return c->outq.n + TCP_TIMER_OUT_RESERVE <= TCP_OUTQ_SIZE;
}

/* Prefetch the lines conn_timer() reads of the connection of cookie ck. */
static void
conn_prefetch(const struct tcp_ctx *c, uint64_t ck)
{
	uint32_t idx = (uint32_t)ck;
	const struct tcp_conn *conn;

	if (idx >= c->p.max_connections)
		return;
	conn = &c->conns[idx];
	__builtin_prefetch(conn, 1);
	__builtin_prefetch(&conn->t_rexmit, 1);
	__builtin_prefetch(&conn->armed_tick, 1);
}

static bool
clock_passed(const struct wheel_clock *clk)
{
	return clk != NULL && clk->now(clk->arg) >= clk->deadline;
}

/*
 * Run the timers of a batch of cookies, their connections prefetched
 * ahead, while the output queue has room. Returns how many ran.
 */
static size_t
timers_batch(struct tcp_ctx *c, const uint64_t *ck, size_t n, uint64_t now)
{
	size_t i;

	for (i = 0; i < n && i < TCP_TIMER_PREFETCH; i++)
		conn_prefetch(c, ck[i]);
	for (i = 0; i < n && outq_room(c); i++) {
		if (i + TCP_TIMER_PREFETCH < n)
			conn_prefetch(c, ck[i + TCP_TIMER_PREFETCH]);
		conn_timer(c, (uint32_t)ck[i],
			   (uint32_t)(ck[i] >> 32) & TCP_GEN_MASK, now);
	}
	return i;
}

/*
 * A poll's share of a compaction pass: as many entries as expiry moved
 * since the last one (wheel_compact_catch_up()), within the time bound
 * of the poll's timer work.
 */
static void
cz_on_poll(struct tcp_ctx *c, const struct wheel_clock *clk)
{
	uint64_t e = wheel_compact_examined(c->w);
	uint64_t p = wheel_compact_passes(c->w), n;

	if (!wheel_compact_busy(c->w) || clock_passed(clk))
		return;
	n = wheel_compact_catch_up(c->w, entry_live, c, clk);
	cz_count(c, n, e, p);
}

static uint32_t
timers_run(struct tcp_ctx *c, uint64_t now, uint32_t budget,
	   const struct wheel_clock *clk)
{
	uint32_t batch = clk != NULL ? TCP_EXPIRE_BATCH_TIMED :
				       TCP_EXPIRE_BATCH;
	uint64_t ck[TCP_EXPIRE_BATCH];
	uint32_t done = 0, calls = 0;
	bool stopped = false;
	size_t n, i, max;

	/*
	 * A call may hand out fewer than max while the wheel re-files a slot
	 * (wheel_backlog()): go on, within as many calls as the budget buys.
	 */
	while (done < budget && calls++ <= budget / batch) {
		max = budget - done < batch ? budget - done : batch;
		n = wheel_expire_until(c->w, now / 1000, ck, max, clk);
		i = timers_batch(c, ck, n, now);
		done += (uint32_t)i;
		if (i < n) {
			timers_defer(c, ck + i, n - i, now);
			return done;
		}
		if (n < max && !wheel_backlog(c->w))
			break;
		if (clock_passed(clk)) {
			c->cnt.timer_deadline++;
			return done;
		}
	}
	/* Read the clock only when this call had work. */
	if (done > 0 && done < budget && clock_passed(clk)) {
		c->cnt.timer_deadline++;
		return done;
	}
	if (done < budget)
		done += tcp_tw_expire(c, now, budget - done, clk, &stopped);
	if (stopped)
		c->cnt.timer_deadline++;
	return done;
}

uint32_t
tcp_timers_until(struct tcp_ctx *c, uint64_t now, uint32_t budget,
		 const struct wheel_clock *clk)
{
	uint32_t done = timers_run(c, now, budget, clk);

	tcp_sb_wake(c, now);
	cz_on_poll(c, clk);
	return done;
}

uint32_t
tcp_timers(struct tcp_ctx *c, uint64_t now, uint32_t budget)
{
	return tcp_timers_until(c, now, budget, NULL);
}

void
tcp_app_timer(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t deadline)
{
	conn->t_app = deadline;
	if (deadline != 0)
		tcp_conn_arm(c, conn);
}

uint64_t
tcp_app_timer_at(const struct tcp_conn *conn)
{
	return conn->t_app;
}
