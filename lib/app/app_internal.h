/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Shared by the applications of lib/app: the per-connection state kept in
 * the connection's application area, and the timer and close-policy
 * helpers common to every application.
 */
#ifndef TT_APP_INTERNAL_H
#define TT_APP_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "app.h"

/*
 * Per-connection state. One layout for every application; the http fields
 * are unused by discard and echo. The single application timer serves the
 * idle timeout (idle_at) and one other deadline (delay_at: the end of the
 * read delay, the time of a delayed close, the end of the abort policy's
 * wait, or http's request-head deadline); it is armed at the earlier of
 * the two, possibly earlier than needed, and re-evaluated when it fires.
 * The deadlines are 32-bit ms (app.c, app_deadline()), so that the state
 * fits TCP_APP_STATE_BYTES (32) and a connection 5 cache lines.
 *
 * Which deadline delay_at holds is told by the flags: READ_WAIT, the read
 * delay; CLOSE_WAIT, the delayed close; both (ABORT_WAIT), the abort's
 * wait; none of them (and not CLOSED), the head deadline. They never run
 * together: the head deadline runs only while a head is awaited, which
 * the read delay suspends (it starts afresh at its end: the server was
 * not reading) and a close ends; so it takes no field of its own. The
 * first head's deadline, armed by TCP at the open, is delay_at 0 unless
 * an idle timeout runs too (http_on_open()).
 */
struct app_conn {
	uint32_t idle_at;  /* idle deadline (ms, mod 2^32), 0 = none */
	uint32_t delay_at; /* see above, 0 = none */
	uint32_t body_off; /* body bytes of the current response queued */
	uint16_t owed;	   /* responses not fully queued yet */
	uint8_t hdr_off;   /* header bytes of it queued */
	uint8_t flags;	   /* APP_F_* */
	struct app_http_scan scan; /* http; its head_len is http's too */
};

#define APP_F_ARMED 0x01      /* the application timer is armed */
#define APP_F_READ_WAIT 0x02  /* read delay running: take nothing */
#define APP_F_READ_DONE 0x04  /* read delay served */
#define APP_F_CLOSE_WAIT 0x08 /* close delayed until delay_at */
#define APP_F_PEER_FIN 0x10   /* the peer's FIN arrived */
#define APP_F_CLOSED 0x20     /* tcp_close() done: send nothing more */
#define APP_F_DRAIN 0x40      /* http: last request seen, discard input */
#define APP_F_READING 0x80    /* half-closed, reading: idle_at bounds it */
/*
 * Both, which a close never sets together (it clears CLOSE_WAIT): the
 * abort policy waits to RST until all that was sent is acknowledged.
 */
#define APP_F_ABORT_WAIT (APP_F_CLOSED | APP_F_CLOSE_WAIT)

/*
 * The application's own bits in scan.more, both naming the last response
 * owed, tested together when it is the next to queue. REJECT: set once
 * the last request is known (APP_F_DRAIN), the request was not served
 * (a 431, 400, 505 or 501, app_http.c http_put_reject()). HEAD_OWED: it
 * answers a HEAD, with the header alone; no further head is read until
 * it is queued, so one such response at most is owed, always the last.
 */
#define APP_HTTP_REJECT 0x80
#define APP_HTTP_HEAD_OWED 0x40
/*
 * A drain began with the last response's header partly queued as
 * keep-alive: it is finished so, not in the "close" variant from the
 * same offset (http_on_drain()); the FIN after it ends it all the same.
 */
#define APP_HTTP_HDR_KEEP 0x20

/*
 * Bytes of a prepared response variant (app_http.c struct http_prep):
 * a response whose header and body fit in it is one copy.
 */
#define HTTP_PREP_SLOT 248u

_Static_assert(sizeof(struct app_conn) <= TCP_APP_STATE_BYTES,
	       "application state does not fit the connection");

extern const struct tcp_app_ops app_http_ops;

static inline struct app_conn *
app_conn(struct tcp_conn *conn)
{
	return tcp_conn_app_state(conn);
}

static inline const struct cfg_listener *
app_cfg(const struct tcp_ctx *c, const struct tcp_conn *conn)
{
	return tcp_conn_app_arg(c, conn);
}

/*
 * Whether delay_at is the request-head deadline's (http), the rule of
 * struct app_conn's comment: no read delay, delayed close or abort wait
 * holds it, and no close is done.
 */
static inline bool
app_delay_is_head(const struct app_conn *st)
{
	return !(st->flags &
		 (APP_F_READ_WAIT | APP_F_CLOSE_WAIT | APP_F_CLOSED));
}

void app_on_open(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now);
bool app_timer_pending(const struct tcp_ctx *c, const struct tcp_conn *conn);
void app_head_start(struct tcp_ctx *c, struct tcp_conn *conn,
		    const struct cfg_listener *l, struct app_conn *st,
		    uint64_t now);

/*
 * http: the server waits for a request head from now on; without one
 * complete within head_timeout_ms the connection is closed (FIN, counter
 * http_head_timeout). Bytes of the head do not push it back.
 */
static inline void
app_head_wait(struct tcp_ctx *c, struct tcp_conn *conn,
	      const struct cfg_listener *l, struct app_conn *st, uint64_t now)
{
	if (l->head_timeout_ms != 0)
		app_head_start(c, conn, l, st, now);
}
void app_on_timer(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now);
/*
 * The helpers below take the connection's listener configuration
 * (app_cfg()) and state (app_conn()) as the callback looked them up.
 */
void app_touch_idle(struct tcp_ctx *c, struct tcp_conn *conn,
		    const struct cfg_listener *l, struct app_conn *st,
		    uint64_t now);
bool app_read_delayed(struct tcp_ctx *c, struct tcp_conn *conn,
		      const struct cfg_listener *l, struct app_conn *st,
		      uint64_t now);

/*
 * Activity on the connection: push the idle deadline back (nothing to do
 * without an idle timeout, the usual case, checked here without a call).
 */
static inline void
app_touch(struct tcp_ctx *c, struct tcp_conn *conn,
	  const struct cfg_listener *l, struct app_conn *st, uint64_t now)
{
	if (l->idle_timeout_ms != 0)
		app_touch_idle(c, conn, l, st, now);
}

/* Whether on_data must take nothing now (the read delay runs). */
static inline bool
app_read_blocked(struct tcp_ctx *c, struct tcp_conn *conn,
		 const struct cfg_listener *l, struct app_conn *st,
		 uint64_t now)
{
	return l->read_delay_ms != 0 && app_read_delayed(c, conn, l, st, now);
}
bool app_read_waiting(const struct tcp_conn *conn);
void app_close_trigger(struct tcp_ctx *c, struct tcp_conn *conn,
		       const struct cfg_listener *l, struct app_conn *st,
		       uint64_t now);
void app_drain_close(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now);
/*
 * From the on_sent callbacks: an abort waiting for the peer to
 * acknowledge what was sent happens now if it has. Returns true when
 * conn was freed.
 */
bool app_abort_sent(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now);

#endif /* TT_APP_INTERNAL_H */
