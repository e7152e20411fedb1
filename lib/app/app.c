/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Listener registration, the discard and echo applications, and the
 * timer and close-policy helpers shared with the http application.
 */
#include <assert.h>
#include <errno.h>
#include <stddef.h>
#include <stdint.h>

#include <string.h>

#include "app.h"
#include "app_internal.h"
#include "tcp_drain.h"

#define US_PER_MS 1000ull
/* The longest delay the configuration allows (lib/config: one day). */
#define APP_MAX_DELAY_MS 86400000u

/*
 * The deadlines of struct app_conn (idle_at, delay_at) take 32 bits:
 * milliseconds on the clock now / 1000 modulo 2^32 (49.7 days), 0
 * meaning none. A deadline is set at most APP_MAX_DELAY_MS ahead (the
 * configuration bounds idle_timeout_ms, close_delay_ms, read_delay_ms
 * and head_timeout_ms to it; a longer one given otherwise is cut to it)
 * and compared with the clock only when the application timer fires, at
 * it or after (the timer is armed at the earliest deadline, re-armed
 * when it fires), or to pick the earlier of the two, both at most a day
 * ahead: no two times compared are 2^31 ms (24.8 days) apart, so the
 * signed 32-bit differences below are exact across the wrap. A deadline
 * is rounded up to a whole ms (a timeout never ends early, at most
 * 1 ms late) and, when it would be 0, moved 1 ms later.
 */
_Static_assert(APP_MAX_DELAY_MS < (UINT32_C(1) << 30),
	       "deadline differences fit 31 bits with room for lateness");

static uint32_t
app_deadline(uint64_t now, uint32_t ms)
{
	uint32_t d;

	if (ms > APP_MAX_DELAY_MS)
		ms = APP_MAX_DELAY_MS;
	d = (uint32_t)((now + US_PER_MS - 1) / US_PER_MS) + ms;
	return d != 0 ? d : 1;
}

/*
 * Whether the deadline d is due at now; 0, none, never is. The read
 * delay's flag outlives the close, which sets its deadline to 0 (none):
 * taken for a time, 0 would be due for half the 2^32 ms clock (its
 * first 24.8 days, and every other such span after) and not in the
 * other, and a timer fired after the close (the half-close's idle
 * deadline) would end the delay again or not by the clock's half.
 */
static bool
app_due(uint32_t d, uint64_t now)
{
	return d != 0 && (int32_t)((uint32_t)(now / US_PER_MS) - d) >= 0;
}

/*
 * Arm the application timer at the earliest pending deadline, or cancel.
 * Out of line: only connections with a timeout or delay get here.
 */
static __attribute__((noinline)) void
app_timer_sync(struct tcp_ctx *c, struct tcp_conn *conn, struct app_conn *st,
	       uint64_t now)
{
	uint64_t now_ms = now / US_PER_MS;
	uint32_t t = st->idle_at;

	if (st->delay_at != 0 && (t == 0 || (int32_t)(st->delay_at - t) < 0))
		t = st->delay_at;
	if (t != 0) {
		/* The deadline in us on the full clock. */
		tcp_app_timer(c, conn,
			      (now_ms +
			       (int64_t)(int32_t)(t - (uint32_t)now_ms)) *
				      US_PER_MS);
		st->flags |= APP_F_ARMED;
	} else {
		tcp_app_timer(c, conn, 0);
		st->flags &= ~APP_F_ARMED;
	}
}

/*
 * The slow part of app_close_now(), for a connection with a read delay
 * running or an idle deadline: the timers, and the close that resets.
 * The read delay's end is what offers the application the bytes TCP
 * held meanwhile; the close ends the delay, so after a full close
 * (!read_open) they would never be read. RFC 1122 4.2.2.13: a CLOSE
 * while received data is pending SHOULD send a RST to show that data
 * was lost, as Linux's close() does with unread data: tcp_abort()
 * (RST <SEQ=SND.NXT>, the connection freed, the queued data with it),
 * counted in close_unread_reset. Decided here, not in tcp_close(): a
 * full close still lets the application take what TCP holds (http
 * reads, and discards, the requests held behind its responses after
 * its close), so only the application knows it never will. After a
 * half-close (a drain) the application reads on, taking all it is
 * offered (and discarding it): the held bytes are offered again once
 * the callback returns, which reopens the window the peer may have
 * filled, so that its FIN can come in. Returns true when conn was reset
 * (it is invalid then).
 */
static __attribute__((noinline)) bool
app_close_slow(struct tcp_ctx *c, struct tcp_conn *conn, struct app_conn *st,
	       bool read_open, uint64_t now)
{
	if ((st->flags & APP_F_READ_WAIT) && tcp_read_pending(conn) > 0) {
		if (!read_open) {
			tcp_note_close_unread_reset(c);
			tcp_abort(c, conn, now);
			return true;
		}
		tcp_read_resume(c, conn, now);
	}
	app_timer_sync(c, conn, st, now);
	return false;
}

/*
 * Close the sending direction now (FIN after the queued data), and stop
 * every application timer. Under half-close (read_open) with an idle
 * timeout, the idle timer goes on: while the application reads, it is
 * what bounds the connection, FIN_WAIT_2 included (tcp_read_bounded());
 * without one, TCP's FIN_WAIT_2 timeout, restarted by data, does.
 * A timer still armed is left to fire, but for the read delay's (its
 * flag outlives the close): it then finds nothing due (app_on_timer())
 * and stops. Cancelling it would cost every http connection a call,
 * the head deadline having armed it at the open. A full close during
 * the read delay, with bytes held, resets instead (app_close_slow();
 * a half-close has them offered again): conn is invalid on return
 * then, as after the abort policy's reset, and every caller returns at
 * once.
 * Inlined, as app_close_policy(), into their two callers: on the usual
 * close they are a few tests and stores and tcp_close() (left to the
 * compiler, the 32-bit deadlines' arithmetic elsewhere in this file
 * made it call them instead: 13 instructions more per connection).
 */
static inline __attribute__((always_inline)) void
app_close_now(struct tcp_ctx *c, struct tcp_conn *conn,
	      const struct cfg_listener *l, struct app_conn *st, bool read_open,
	      uint64_t now)
{
	uint32_t idle_ms = l->idle_timeout_ms;

	st->flags |= APP_F_CLOSED;
	st->flags &= ~APP_F_CLOSE_WAIT;
	st->idle_at = 0;
	st->delay_at = 0;
	if (read_open && idle_ms != 0) {
		st->flags |= APP_F_READING;
		st->idle_at = app_deadline(now, idle_ms);
	}
	if (((st->flags & APP_F_READ_WAIT) || st->idle_at != 0) &&
	    app_close_slow(c, conn, st, read_open, now))
		return;
	tcp_close(c, conn, read_open, now);
	if (st->flags & APP_F_READING)
		tcp_read_bounded(conn);
}

/*
 * The abort policy's wait for the last ACK: the idle timeout when set,
 * else APP_ABORT_WAIT_MS, started over by each ACK of new data.
 */
#define APP_ABORT_WAIT_MS 60000u

static uint32_t
app_abort_wait_ms(const struct cfg_listener *l)
{
	return l->idle_timeout_ms != 0 ? l->idle_timeout_ms : APP_ABORT_WAIT_MS;
}

static bool
app_abort_waiting(const struct app_conn *st)
{
	return (st->flags & APP_F_ABORT_WAIT) == APP_F_ABORT_WAIT;
}

/*
 * The abort policy: RST after the response. tcp_abort() discards what
 * is still queued or unacknowledged (RFC 9293 3.10.5, ABORT), the
 * response with it, so with bytes outstanding the RST waits until the
 * peer has acknowledged them all (app_abort_sent()); meanwhile nothing
 * more is sent and input is discarded. A peer that stops acknowledging
 * (a zero window answered forever, say) is reset when the wait runs
 * out (app_on_timer(), counted in idle_timeout). conn is invalid after
 * an abort.
 */
static void
app_abort(struct tcp_ctx *c, struct tcp_conn *conn,
	  const struct cfg_listener *l, struct app_conn *st, uint64_t now)
{
	if (tcp_send_queued(c, conn) == 0) {
		tcp_abort(c, conn, now);
		return;
	}
	st->flags |= APP_F_ABORT_WAIT;
	st->idle_at = 0;
	st->delay_at = app_deadline(now, app_abort_wait_ms(l));
	app_timer_sync(c, conn, st, now);
}

bool
app_abort_sent(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now)
{
	struct app_conn *st = app_conn(conn);

	if (!app_abort_waiting(st))
		return false;
	if (tcp_send_queued(c, conn) == 0) {
		tcp_abort(c, conn, now);
		return true;
	}
	/* New data acknowledged: the wait starts over. */
	st->delay_at = app_deadline(now, app_abort_wait_ms(app_cfg(c, conn)));
	app_timer_sync(c, conn, st, now);
	return false;
}

/* Apply the listener's close policy. conn is invalid after an abort. */
static inline __attribute__((always_inline)) void
app_close_policy(struct tcp_ctx *c, struct tcp_conn *conn,
		 const struct cfg_listener *l, struct app_conn *st,
		 uint64_t now)
{
	bool read_open;

	if (l->close == CFG_CLOSE_ABORT) {
		app_abort(c, conn, l, st, now);
		return;
	}
	read_open = l->close == CFG_CLOSE_HALF_CLOSE &&
		!(st->flags & APP_F_PEER_FIN);
	app_close_now(c, conn, l, st, read_open, now);
}

/*
 * The application decided to close: do it now, or after close_delay_ms
 * (the connection meanwhile stays open, e.g. in CLOSE_WAIT). conn may be
 * invalid on return (a reset: the abort policy, or app_close_slow());
 * callers must not touch it after.
 */
void
app_close_trigger(struct tcp_ctx *c, struct tcp_conn *conn,
		  const struct cfg_listener *l, struct app_conn *st,
		  uint64_t now)
{
	if (st->flags & (APP_F_CLOSED | APP_F_CLOSE_WAIT))
		return;
	if (l->close_delay_ms == 0) {
		app_close_policy(c, conn, l, st, now);
		return;
	}
	st->flags |= APP_F_CLOSE_WAIT;
	st->idle_at = 0;
	st->delay_at = app_deadline(now, l->close_delay_ms);
	app_timer_sync(c, conn, st, now);
}

/*
 * app_touch() with an idle timeout configured: push the idle deadline
 * back. The timer is only armed when it is not already; an early expiry
 * re-arms it. After the close, only a half-closed connection still
 * reading has one.
 */
void
app_touch_idle(struct tcp_ctx *c, struct tcp_conn *conn,
	       const struct cfg_listener *l, struct app_conn *st, uint64_t now)
{
	if ((st->flags & APP_F_CLOSE_WAIT) ||
	    (st->flags & (APP_F_CLOSED | APP_F_READING)) == APP_F_CLOSED)
		return;
	st->idle_at = app_deadline(now, l->idle_timeout_ms);
	if (!(st->flags & APP_F_ARMED))
		app_timer_sync(c, conn, st, now);
}

/*
 * app_read_blocked() with a read delay configured: it starts at the
 * first data and lasts read_delay_ms, once per connection.
 */
bool
app_read_delayed(struct tcp_ctx *c, struct tcp_conn *conn,
		 const struct cfg_listener *l, struct app_conn *st,
		 uint64_t now)
{
	if (st->flags & (APP_F_READ_DONE | APP_F_CLOSED | APP_F_CLOSE_WAIT))
		return false;
	if (!(st->flags & APP_F_READ_WAIT)) {
		st->flags |= APP_F_READ_WAIT;
		st->delay_at = app_deadline(now, l->read_delay_ms);
		app_timer_sync(c, conn, st, now);
	}
	return true;
}

bool
app_read_waiting(const struct tcp_conn *conn)
{
	/* The accessor takes a mutable connection; nothing is written. */
	const struct app_conn *st =
		tcp_conn_app_state((struct tcp_conn *)(uintptr_t)conn);

	return (st->flags & APP_F_READ_WAIT) != 0;
}

void
app_on_open(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now)
{
	app_touch(c, conn, app_cfg(c, conn), app_conn(conn), now);
}

/*
 * The delay after the open at which TCP arms the application timer of
 * an http listener's connections, for the head deadline: not before it
 * (app_deadline() rounds the open up to a whole ms), so that the timer
 * finds it due.
 */
static uint64_t
app_head_open_timer(const struct cfg_listener *l)
{
	uint32_t ms = l->head_timeout_ms;

	if (ms > APP_MAX_DELAY_MS)
		ms = APP_MAX_DELAY_MS;
	return (uint64_t)ms * US_PER_MS + US_PER_MS - 1;
}

/*
 * app_head_wait() with a head timeout configured. The timer is armed
 * unless it already is at or before the new deadline: with no idle
 * timeout, an armed timer serves an earlier head deadline (set with the
 * same timeout, so earlier) or the abort or close delays, which no head
 * wait follows. An idle deadline may lie later: then it is re-armed.
 */
void
app_head_start(struct tcp_ctx *c, struct tcp_conn *conn,
	       const struct cfg_listener *l, struct app_conn *st, uint64_t now)
{
	st->delay_at = app_deadline(now, l->head_timeout_ms);
	if (!(st->flags & APP_F_ARMED) || st->idle_at != 0)
		app_timer_sync(c, conn, st, now);
}

/*
 * Whether a request head is awaited (http: none owed, reading, no close
 * decided) and its deadline is due: delay_at, or with delay_at 0 the
 * first head's, which TCP armed at the open (http_on_open()) and which
 * alone can have made the timer fire then.
 */
static bool
app_head_due(const struct cfg_listener *l, const struct app_conn *st,
	     uint64_t now)
{
	if (l->head_timeout_ms == 0 || st->owed != 0 ||
	    !app_delay_is_head(st) || (st->flags & APP_F_DRAIN))
		return false;
	return st->delay_at == 0 || app_due(st->delay_at, now);
}

/*
 * The application may take more (a read delay ended): take what TCP
 * held and reopen the window. Echo's window is its send space, which a
 * send buffer must back (tcp_window_wait()).
 */
static void
app_window(struct tcp_ctx *c, struct tcp_conn *conn,
	   const struct cfg_listener *l, uint64_t now)
{
	if (l->app == CFG_APP_ECHO)
		tcp_window_wait(c, conn, now);
	else
		tcp_read_resume(c, conn, now);
}

void
app_on_timer(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now)
{
	const struct cfg_listener *l = app_cfg(c, conn);
	struct app_conn *st = app_conn(conn);

	st->flags &= ~APP_F_ARMED;
	if (app_abort_waiting(st)) {
		if (app_due(st->delay_at, now)) {
			tcp_note_idle_timeout(c);
			tcp_abort(c, conn, now);
			return;
		}
		app_timer_sync(c, conn, st, now);
		return;
	}
	if ((st->flags & APP_F_READ_WAIT) && app_due(st->delay_at, now)) {
		st->flags &= ~APP_F_READ_WAIT;
		st->flags |= APP_F_READ_DONE;
		st->delay_at = 0;
		/* http: reading starts, and the head's deadline with it. */
		if (!(st->flags & (APP_F_CLOSED | APP_F_CLOSE_WAIT)))
			app_head_wait(c, conn, l, st, now);
		/* Take what TCP held meanwhile (it reopens the window). */
		app_window(c, conn, l, now);
	}
	if ((st->flags & APP_F_CLOSE_WAIT) && app_due(st->delay_at, now)) {
		app_close_policy(c, conn, l, st, now);
		return;
	}
	/*
	 * No complete request head in time: the idle timeout's close (FIN,
	 * reading closed too), whatever the close policy, as nginx's
	 * client_header_timeout closes without a response.
	 */
	if (app_head_due(l, st, now)) {
		tcp_note_http_head_timeout(c);
		app_close_now(c, conn, l, st, false, now);
		return;
	}
	if (st->idle_at != 0 && app_due(st->idle_at, now) &&
	    !(st->flags & APP_F_CLOSED)) {
		tcp_note_idle_timeout(c);
		app_close_now(c, conn, l, st, false, now);
		return;
	}
	/* Half-closed and idle: stop reading too (the full close). */
	if (st->idle_at != 0 && app_due(st->idle_at, now) &&
	    (st->flags & APP_F_READING)) {
		st->flags &= ~APP_F_READING;
		st->idle_at = 0;
		tcp_note_idle_timeout(c);
		tcp_close_read(c, conn, now);
	}
	app_timer_sync(c, conn, st, now);
}

/*
 * Whether app_on_timer() would still act: always before the close (a
 * head, idle or delay deadline, or the first head's armed by TCP at the
 * open, delay_at 0); after it, only for the half-close's idle deadline
 * or the abort's wait. The deadline left armed at the close (see
 * app_close_now()) finds nothing due, so a listing leaves it out.
 */
bool
app_timer_pending(const struct tcp_ctx *c, const struct tcp_conn *conn)
{
	/* Read only: the state accessor takes no const connection. */
	const struct app_conn *st = app_conn((struct tcp_conn *)conn);

	(void)c;
	return !(st->flags & APP_F_CLOSED) || app_abort_waiting(st) ||
		st->idle_at != 0 || st->delay_at != 0;
}

/*
 * A drain started (or this connection opened while one runs): a close
 * already decided but delayed by close_delay_ms happens now; otherwise
 * discard and echo send their FIN after the bytes already queued, and
 * keep reading (and discarding) until the peer's FIN, so that data the
 * peer had in flight is not answered with RST. The listener's abort
 * policy still resets.
 */
void
app_drain_close(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now)
{
	const struct cfg_listener *l = app_cfg(c, conn);
	struct app_conn *st = app_conn(conn);

	if (st->flags & APP_F_CLOSED)
		return;
	if (st->flags & APP_F_CLOSE_WAIT) {
		app_close_policy(c, conn, l, st, now);
		return;
	}
	if (l->close == CFG_CLOSE_ABORT) {
		app_abort(c, conn, l, st, now);
		return;
	}
	app_close_now(c, conn, l, st, !(st->flags & APP_F_PEER_FIN), now);
}

static void
stream_on_open(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now)
{
	app_on_open(c, conn, now);
	if (tcp_draining(c))
		app_drain_close(c, conn, now);
}

/* ---- discard: take everything, send nothing ---- */

static uint32_t
discard_on_data(struct tcp_ctx *c, struct tcp_conn *conn, const uint8_t *data,
		uint32_t len, uint64_t now)
{
	const struct cfg_listener *l = app_cfg(c, conn);
	struct app_conn *st = app_conn(conn);

	(void)data;
	if (app_read_blocked(c, conn, l, st, now))
		return 0;
	app_touch(c, conn, l, st, now);
	return len;
}

/* discard and echo close when the peer's FIN arrives, whatever the policy. */
static void
stream_on_peer_fin(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now)
{
	struct app_conn *st = app_conn(conn);

	st->flags |= APP_F_PEER_FIN;
	app_close_trigger(c, conn, app_cfg(c, conn), st, now);
}

static const struct tcp_app_ops discard_ops = {
	.on_open = stream_on_open,
	.on_data = discard_on_data,
	.on_peer_fin = stream_on_peer_fin,
	.on_timer = app_on_timer,
	.on_drain = app_drain_close,
	.timer_pending = app_timer_pending,
};

/* ---- echo: send back what fits in the send buffer ---- */

static uint32_t
echo_on_data(struct tcp_ctx *c, struct tcp_conn *conn, const uint8_t *data,
	     uint32_t len, uint64_t now)
{
	const struct cfg_listener *l = app_cfg(c, conn);
	struct app_conn *st = app_conn(conn);
	uint32_t n;

	if (st->flags & APP_F_CLOSED) {
		app_touch(c, conn, l, st, now);
		return len;
	}
	if (app_read_blocked(c, conn, l, st, now))
		return 0;
	app_touch(c, conn, l, st, now);
	/*
	 * What fits is taken. With no buffer to be had, TCP remembers the
	 * connection and on_sent comes when one is free; and, its window
	 * being its send space, it waits for one to back that window.
	 */
	n = tcp_send(c, conn, data, len, now);
	if (n < len)
		tcp_window_refused(c, conn);
	return n;
}

/*
 * The window tracks what can be echoed (echo_rcv_space()): when the send
 * space grows, take what TCP held for lack of it, and let the peer know
 * of the window (an update goes if the window it knows is under a step
 * and can grow by one), which it would otherwise learn only from its
 * zero window probes, backing off. A window it knows as shut is
 * reopened with a send buffer taken for it, or, with the pool empty,
 * once one is back (tcp_window_wait()). Not while the read delay runs:
 * its end does it.
 */
static void
echo_window(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now)
{
	if (!app_read_waiting(conn))
		tcp_window_wait(c, conn, now);
}

/*
 * Open: a SYN-ACK sent while the pool was empty offered a zero window
 * (the send space), whatever the space now.
 */
static void
echo_on_open(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now)
{
	stream_on_open(c, conn, now);
	/* A drain's abort (app_drain_close()) may have freed it. */
	if (tcp_conn_state(conn) != TCP_CLOSED &&
	    !(app_conn(conn)->flags & APP_F_CLOSED))
		echo_window(c, conn, now);
}

/* Send buffer space was freed: echo what TCP held, offer the window. */
static void
echo_on_sent(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now)
{
	if (app_abort_sent(c, conn, now))
		return;
	app_touch(c, conn, app_cfg(c, conn), app_conn(conn), now);
	echo_window(c, conn, now);
}

/*
 * Whether echo's window is TCP's receive buffer alone, not its send
 * space: while the read delay runs (the buffer fills instead, closing
 * the window to zero), and once closed, when echo takes and discards
 * all it is offered (a half-close reads on until the peer's FIN) and
 * the send space is 0, the FIN queued: bound by it, the window a peer
 * filled after the close would never reopen, nor let its FIN in.
 */
static bool
echo_window_unbound(const struct tcp_conn *conn)
{
	/* The accessor takes a mutable connection; nothing is written. */
	const struct app_conn *st =
		tcp_conn_app_state((struct tcp_conn *)(uintptr_t)conn);

	return (st->flags & (APP_F_READ_WAIT | APP_F_CLOSED)) != 0;
}

/* The window tracks what can be echoed (echo_window_unbound()). */
static uint32_t
echo_rcv_space(const struct tcp_ctx *c, const struct tcp_conn *conn)
{
	if (echo_window_unbound(conn))
		return UINT32_MAX;
	return tcp_send_space(c, conn);
}

/*
 * The most echo_rcv_space() can offer: the send buffer, or TCP's
 * receive buffer alone (echo_window_unbound()).
 */
static uint32_t
echo_rcv_buf(const struct tcp_ctx *c, const struct tcp_conn *conn)
{
	if (echo_window_unbound(conn))
		return UINT32_MAX;
	return tcp_ctx_params(c)->snd_buf;
}

static const struct tcp_app_ops echo_ops = {
	.on_open = echo_on_open,
	.on_data = echo_on_data,
	.on_peer_fin = stream_on_peer_fin,
	.on_sent = echo_on_sent,
	.on_timer = app_on_timer,
	.rcv_space = echo_rcv_space,
	.rcv_buf = echo_rcv_buf,
	.on_drain = app_drain_close,
	.timer_pending = app_timer_pending,
};

/* ---- registration ---- */

static const struct tcp_app_ops *const app_table[] = {
	[CFG_APP_DISCARD] = &discard_ops,
	[CFG_APP_ECHO] = &echo_ops,
	[CFG_APP_HTTP] = &app_http_ops,
};

const struct tcp_app_ops *
app_ops(enum cfg_app app)
{
	if ((unsigned int)app >= sizeof(app_table) / sizeof(app_table[0]))
		return NULL;
	return app_table[app];
}

/* listeners[].family: both (the default), ipv4 or ipv6 alone. */
enum tcp_family
app_family(enum cfg_family f)
{
	switch (f) {
	case CFG_FAMILY_IPV4:
		return TCP_FAMILY_IPV4;
	case CFG_FAMILY_IPV6:
		return TCP_FAMILY_IPV6;
	case CFG_FAMILY_BOTH:
	default:
		return TCP_FAMILY_BOTH;
	}
}

int
app_listen_all(struct tcp_ctx *c, const struct cfg *cfg)
{
	unsigned int i;
	int rc;

	for (i = 0; i < cfg->n_listeners; i++) {
		const struct cfg_listener *l = &cfg->listeners[i];
		const struct tcp_app_ops *ops = app_ops(l->app);

		if (ops == NULL)
			return -EINVAL;
		rc = tcp_listen_family(c, l->port, app_family(l->family), ops,
				       l);
		if (rc < 0)
			return rc;
		if (l->app == CFG_APP_HTTP && l->head_timeout_ms != 0)
			rc = tcp_listen_open_timer(c, l->port,
						   app_family(l->family),
						   app_head_open_timer(l));
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* The configuration's enums map onto the TCP layer's one to one. */
/* clang-format off */
static_assert((int)TCP_TW_REUSE_OFF == (int)CFG_TW_REUSE_OFF &&
	      (int)TCP_TW_REUSE_SEQ == (int)CFG_TW_REUSE_SEQ &&
	      (int)TCP_TW_REUSE_TIMESTAMPS == (int)CFG_TW_REUSE_TIMESTAMPS,
	      "time_wait_reuse modes");
static_assert((int)TCP_TW_OVERFLOW_RECYCLE_OLDEST ==
	      (int)CFG_TW_OVERFLOW_RECYCLE_OLDEST &&
	      (int)TCP_TW_OVERFLOW_REFUSE == (int)CFG_TW_OVERFLOW_REFUSE,
	      "time_wait_overflow policies");
static_assert((int)TCP_CC_CUBIC == (int)CFG_CC_CUBIC &&
	      (int)TCP_CC_NEWRENO == (int)CFG_CC_NEWRENO, "congestion");
/* Every configured listener fits a context. */
static_assert(TCP_MAX_LISTENERS == CFG_MAX_LISTENERS, "listener limit");
static_assert((int)TCP_SYNCOOKIES_AUTO == (int)CFG_SYNCOOKIES_AUTO &&
	      (int)TCP_SYNCOOKIES_ALWAYS == (int)CFG_SYNCOOKIES_ALWAYS &&
	      (int)TCP_SYNCOOKIES_OFF == (int)CFG_SYNCOOKIES_OFF,
	      "syncookies modes");
/* clang-format on */

/*
 * SYN_RECEIVED budget per worker: limits.max_syn_recv, or by default an
 * eighth of the connections, so that half-open connections can never
 * take the pool from established ones.
 */
static uint32_t
app_syn_recv_budget(const struct cfg *c, unsigned int n_workers)
{
	uint32_t total = c->limits.max_syn_recv;

	if (total == 0)
		total = c->limits.max_connections / 8;
	total /= n_workers;
	return total ? total : 1;
}

/*
 * Established connections per source and worker: the process's limit
 * split over the workers, rounded up (RSS spreads one source's
 * connections over them); 0: none.
 */
static uint32_t
app_per_source(const struct cfg *c, unsigned int n_workers)
{
	uint32_t total = c->limits.max_connections_per_source;

	return total / n_workers + (total % n_workers != 0);
}

/*
 * IPv6 when a port has an ipv6: address. The MSS option is the one of
 * the same MTU as tcp.mss (MTU - 40): MTU - 60 (RFC 8200 8.3). IPv6
 * TIME_WAIT records get their own ring, cfg_max_time_wait6() split over
 * the workers.
 */
static void
app_tcp_params6(const struct cfg *c, unsigned int n_workers,
		struct tcp_params *p)
{
	uint32_t tw6 = cfg_max_time_wait6(c) / n_workers;

	p->ipv6 = cfg_has_ipv6(c);
	if (!p->ipv6)
		return;
	p->mss6 = net_tcp_mss6((uint32_t)c->tcp.mss + NET_IPV4_HLEN +
			       NET_TCP_HLEN);
	p->max_time_wait6 = tw6 != 0 ? tw6 : 1;
}

void
app_tcp_params(const struct cfg *c, unsigned int n_workers,
	       struct tcp_params *p)
{
	memset(p, 0, sizeof(*p));
	p->msl_ms = c->tcp.msl_ms;
	p->fin_wait2_timeout_ms = c->tcp.fin_wait2_timeout_ms;
	p->syn_recv_timeout_ms = c->tcp.syn_recv_timeout_ms;
	p->rto_min_ms = c->tcp.rto_min_ms;
	p->rto_max_ms = c->tcp.rto_max_ms;
	p->rto_initial_ms = c->tcp.rto_initial_ms;
	p->delayed_ack_ms = c->tcp.delayed_ack_ms;
	p->max_retries = c->tcp.max_retries;
	p->send_timeout_ms = c->tcp.send_timeout_ms;
	p->mss = c->tcp.mss;
	p->wscale = c->tcp.wscale;
	p->timestamps = c->tcp.timestamps;
	p->sack = c->tcp.sack;
	p->rfc1337 = c->tcp.rfc1337;
	p->tw_reuse = (enum tcp_tw_reuse)c->tcp.time_wait_reuse;
	p->challenge_ack_limit = c->tcp.challenge_ack_limit;
	p->invalid_ratelimit_ms = c->tcp.invalid_ratelimit_ms;
	p->syncookies = (enum tcp_syncookies)c->tcp.syncookies;
	p->congestion = (enum tcp_congestion)c->tcp.congestion;
	p->tail_loss_probe = c->tcp.tail_loss_probe;
	p->rack = c->tcp.rack;
	p->max_syn_recv = app_syn_recv_budget(c, n_workers);
	p->rcv_wnd = c->tcp.rcv_wnd;
	p->snd_buf = c->tcp.snd_buf;
	p->max_connections = c->limits.max_connections / n_workers;
	p->max_per_source = app_per_source(c, n_workers);
	p->max_time_wait = c->limits.max_time_wait / n_workers;
	app_tcp_params6(c, n_workers, p);
	p->tw_overflow = (enum tcp_tw_overflow)c->limits.time_wait_overflow;
	p->max_send_buffers = c->limits.max_send_buffers;
	p->max_rcv_buffers = c->limits.max_receive_buffers;
}
