/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The http application: a fixed response to every request head.
 *
 * Each complete head (bytes up to and including CRLFCRLF) owes one
 * response: "HTTP/1.1 200 OK", Server, Content-Length, Content-Type and
 * Connection headers, then response_body_bytes of body. The body is the
 * first N bytes of an endless repetition of "OK\n" (so 2 bytes is "OK").
 * Responses are queued in request order, as far as the send buffer
 * allows, and resumed when ACKs free space. A HEAD gets the header
 * alone (RFC 9110 9.3.2). The request heads are found by the scanner in
 * app_http_scan.c.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "app.h"
#include "app_internal.h"
#include "tcp_drain.h"

/*
 * Most responses owed at once; beyond it the receive window closes
 * (counter http_owed_limit).
 */
#define HTTP_MAX_OWED 256
/*
 * Longest request head, from its first byte to the end of its empty
 * line: 8 KiB, as Tomcat's maxHttpHeaderSize (nginx and Apache bound
 * each line to 8 KiB). The scanner keeps no buffer, so a longer head
 * costs only CPU, but without a bound one endless header line would keep
 * a connection busy forever. Over it the request is answered with 431
 * (RFC 6585 5) and the connection closed, as Node.js and Go's servers do
 * (nginx answers 400 or 414 and closes); counter http_head_too_long.
 */
#define HTTP_HEAD_MAX 8192u
#define HTTP_HDR_MAX 160
/* Body bytes sent together with the header. */
#define HTTP_BODY_INLINE 256u

/* The body pattern: 513 copies of "OK\n", built at compile time. */
#define BODY_X8(s) s s s s s s s s
static const char body_pattern[] = BODY_X8(BODY_X8(BODY_X8("OK\n"))) "OK\n";
#define BODY_UNIT_LEN 3u
#define BODY_CHUNK ((uint32_t)sizeof(body_pattern) - 1 - BODY_UNIT_LEN)
_Static_assert(sizeof(body_pattern) > HTTP_BODY_INLINE,
	       "the inline body is one piece of the pattern");

/* Copy a string literal (its length known when compiling). */
#define PUT_LIT(p, s) (memcpy((p), (s), sizeof(s) - 1), (p) + sizeof(s) - 1)

static char *
put_u32(char *p, uint32_t v)
{
	char tmp[10];
	int n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	while (n > 0)
		*p++ = tmp[--n];
	return p;
}

/* Write the response header into buf; returns its length. */
static uint32_t
http_header(char *buf, uint32_t body_len, bool close)
{
	char *p = buf;

	p = PUT_LIT(p,
		    "HTTP/1.1 200 OK\r\nServer: tcpterm\r\n"
		    "Content-Length: ");
	p = put_u32(p, body_len);
	p = PUT_LIT(p, "\r\nContent-Type: text/plain\r\nConnection: ");
	if (close)
		p = PUT_LIT(p, "close\r\n\r\n");
	else
		p = PUT_LIT(p, "keep-alive\r\n\r\n");
	return (uint32_t)(p - buf);
}

static const char *
body_bytes(uint32_t off)
{
	return body_pattern + off % BODY_UNIT_LEN;
}

/*
 * A listener's response start, the same bytes for every response but for
 * the Connection header: prepared once per listener, in its application
 * data (tcp_conn_listener_data()), when the first response is sent. For
 * each variant, "keep-alive" ([0]) and "close" ([1]), the header and the
 * body's first bytes (up to HTTP_BODY_INLINE, as far as the slot holds),
 * ready for one tcp_send(): a small response is one copy.
 */
struct http_prep_var {
	uint16_t hlen; /* header bytes */
	uint16_t len;  /* header and inline body bytes */
	char buf[HTTP_PREP_SLOT];
};
struct http_prep {
	uint32_t body_len; /* the response_body_bytes it was made for */
	uint8_t ready;
	struct http_prep_var var[2];
};

_Static_assert(sizeof(struct http_prep) <= TCP_LISTENER_APP_BYTES,
	       "the prepared response fits the listener's data");
_Static_assert(HTTP_HDR_MAX <= HTTP_PREP_SLOT, "a header fits its slot");

static void
http_prepare(struct http_prep *hp, uint32_t body_len)
{
	unsigned int v;

	for (v = 0; v < 2; v++) {
		struct http_prep_var *pv = &hp->var[v];
		uint32_t hlen = http_header(pv->buf, body_len, v == 1);
		uint32_t b = HTTP_PREP_SLOT - hlen;

		if (b > HTTP_BODY_INLINE)
			b = HTTP_BODY_INLINE;
		if (b > body_len)
			b = body_len;
		memcpy(pv->buf + hlen, body_bytes(0), b);
		pv->hlen = (uint16_t)hlen;
		pv->len = (uint16_t)(hlen + b);
	}
	hp->body_len = body_len;
	hp->ready = 1;
}

/* The listener's prepared response, made on first use. */
static const struct http_prep *
http_prep(struct tcp_ctx *c, struct tcp_conn *conn,
	  const struct cfg_listener *l)
{
	struct http_prep *hp = tcp_conn_listener_data(c, conn);

	if (!hp->ready || hp->body_len != l->response_body_bytes)
		http_prepare(hp, l->response_body_bytes);
	return hp;
}

/*
 * The prepared variant the current response takes: "close" for the last
 * one once the server closes after it, else "keep-alive", as its header
 * began (APP_HTTP_HDR_KEEP).
 */
static const struct http_prep_var *
http_prep_var(struct tcp_ctx *c, struct tcp_conn *conn,
	      const struct cfg_listener *l, const struct app_conn *st)
{
	const struct http_prep *hp = http_prep(c, conn, l);
	unsigned int v = st->owed == 1 && (st->flags & APP_F_DRAIN) &&
		!(st->scan.more & APP_HTTP_HDR_KEEP);

	return &hp->var[v];
}

/*
 * Queue the rest of the header and the start of the body prepared with
 * it, with one tcp_send(). Returns true when all of it was taken.
 */
static bool
http_put_head(struct tcp_ctx *c, struct tcp_conn *conn,
	      const struct cfg_listener *l, struct app_conn *st, uint64_t now)
{
	const struct http_prep_var *pv = http_prep_var(c, conn, l, st);
	uint32_t hlen = pv->hlen;
	uint32_t hrest = st->hdr_off < hlen ? hlen - st->hdr_off : 0;
	uint32_t n = pv->len - hlen + hrest;
	uint32_t k;

	/* The body has not started while the header is incomplete. */
	k = tcp_send(c, conn, pv->buf + hlen - hrest, n, now);
	st->hdr_off += (uint8_t)(k < hrest ? k : hrest);
	if (k > hrest)
		st->body_off = k - hrest;
	return k == n;
}

#define HTTP_REJECT_TAIL \
	"Server: tcpterm\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
static const char r431[] =
	"HTTP/1.1 431 Request Header Fields Too Large\r\n" HTTP_REJECT_TAIL;
static const char r400[] = "HTTP/1.1 400 Bad Request\r\n" HTTP_REJECT_TAIL;
static const char r501[] = "HTTP/1.1 501 Not Implemented\r\n" HTTP_REJECT_TAIL;
/*
 * RFC 9110 15.6.6: a 505 SHOULD say why, and which versions the server
 * supports.
 */
#define HTTP_505_BODY "tcpterm serves HTTP/1.0 and HTTP/1.1.\n"
static const char r505[] =
	"HTTP/1.1 505 HTTP Version Not Supported\r\nServer: tcpterm\r\n"
	"Content-Type: text/plain\r\nContent-Length: 38\r\n"
	"Connection: close\r\n\r\n" HTTP_505_BODY;
_Static_assert(sizeof(HTTP_505_BODY) - 1 == 38, "the 505's Content-Length");
_Static_assert(sizeof(r431) <= UINT8_MAX, "hdr_off holds its offsets");
_Static_assert(sizeof(r505) <= UINT8_MAX, "hdr_off holds its offsets");

/*
 * The answer to a request not served, always the last response: a head
 * over HTTP_HEAD_MAX (RFC 6585 5: 431 Request Header Fields Too Large),
 * an invalid head (RFC 9112 2.2, 3, 3.2, 5, 5.2, RFC 9110 5.5) or
 * Content-Length (RFC 9112 6.3 (5)): 400 Bad Request, a major version
 * other than 1 (RFC 9110 2.5, 15.6.6: 505 HTTP Version Not Supported),
 * else a Transfer-Encoding (RFC 9112 6.3: 501 Not Implemented). Returns
 * true when all of it was queued.
 */
static bool
http_put_reject(struct tcp_ctx *c, struct tcp_conn *conn, struct app_conn *st,
		uint64_t now)
{
	const char *r = r431;
	uint32_t rlen = (uint32_t)sizeof(r431) - 1;
	uint32_t rest, k;

	if ((st->scan.flags & APP_HTTP_BAD) &&
	    (st->scan.more & APP_HTTP_M_VERSION)) {
		r = r505;
		rlen = (uint32_t)sizeof(r505) - 1;
	} else if (st->scan.flags & APP_HTTP_BAD) {
		r = r400;
		rlen = (uint32_t)sizeof(r400) - 1;
	} else if (st->scan.flags & APP_HTTP_TE) {
		r = r501;
		rlen = (uint32_t)sizeof(r501) - 1;
	}
	/* RFC 9110 9.3.2: no content in a response to HEAD (the 505's). */
	if (r == r505 && (st->scan.more & APP_HTTP_M_HEAD))
		rlen -= (uint32_t)sizeof(HTTP_505_BODY) - 1;
	rest = rlen - st->hdr_off;
	k = tcp_send(c, conn, r + st->hdr_off, rest, now);
	st->hdr_off += (uint8_t)k;
	return k == rest;
}

/* A head was answered: the next request starts, after its body if any. */
static void
http_next_request(struct app_conn *st)
{
	uint64_t body = st->scan.clen;

	memset(&st->scan, 0, sizeof(st->scan));
	if (body != 0) {
		st->scan.clen = body;
		st->scan.line = APP_HTTP_LINE_BODY;
	}
}

/*
 * RFC 9110 9.3.2 and 6.4.1: the response to a HEAD is the header a GET
 * gets, its Content-Length the same, without content. It is the last
 * response owed (APP_HTTP_HEAD_OWED); once queued, the request is done
 * and reading goes on (after the request's body, if any). Returns true
 * when all of it was queued.
 */
static bool
http_put_head_only(struct tcp_ctx *c, struct tcp_conn *conn,
		   const struct cfg_listener *l, struct app_conn *st,
		   uint64_t now)
{
	const struct http_prep_var *pv = http_prep_var(c, conn, l, st);
	uint32_t hlen = pv->hlen;
	uint32_t hrest = st->hdr_off < hlen ? hlen - st->hdr_off : 0;
	uint32_t k;

	k = tcp_send(c, conn, pv->buf + hlen - hrest, hrest, now);
	st->hdr_off += (uint8_t)k;
	if (k < hrest)
		return false;
	http_next_request(st);
	return true;
}

/*
 * The last response owed, when it is no 200 with a body: a request not
 * served (APP_HTTP_REJECT) or a HEAD (APP_HTTP_HEAD_OWED).
 */
static __attribute__((noinline)) bool
http_put_last(struct tcp_ctx *c, struct tcp_conn *conn,
	      const struct cfg_listener *l, struct app_conn *st, uint64_t now)
{
	if (st->scan.more & APP_HTTP_REJECT)
		return http_put_reject(c, conn, st, now);
	return http_put_head_only(c, conn, l, st, now);
}

/*
 * Queue as much of the current response as fits. Returns true when it is
 * completely queued.
 */
static bool
http_put_response(struct tcp_ctx *c, struct tcp_conn *conn,
		  const struct cfg_listener *l, struct app_conn *st,
		  uint64_t now)
{
	uint32_t body_len = l->response_body_bytes;
	uint32_t n, k;

	if (st->owed == 1 &&
	    (st->scan.more & (APP_HTTP_REJECT | APP_HTTP_HEAD_OWED)))
		return http_put_last(c, conn, l, st, now);
	if (st->body_off == 0 && !http_put_head(c, conn, l, st, now))
		return false;
	while (st->body_off < body_len) {
		n = body_len - st->body_off;
		if (n > BODY_CHUNK)
			n = BODY_CHUNK;
		k = tcp_send(c, conn, body_bytes(st->body_off), n, now);
		st->body_off += k;
		if (k < n)
			return false;
	}
	return true;
}

/*
 * Queue the owed responses in order; once none is owed and the last
 * request (or the peer's FIN) was seen, apply the close policy, else
 * the next request's head is awaited: its deadline starts (already
 * received bytes of it count as late as any). Only before the close
 * (APP_F_CLOSED), which every caller checks. conn may be invalid on
 * return (abort policy).
 */
static void
http_pump(struct tcp_ctx *c, struct tcp_conn *conn,
	  const struct cfg_listener *l, struct app_conn *st, uint64_t now)
{
	while (st->owed > 0) {
		if (!http_put_response(c, conn, l, st, now))
			return;
		st->owed--;
		st->hdr_off = 0;
		st->body_off = 0;
	}
	if (st->flags & (APP_F_DRAIN | APP_F_PEER_FIN))
		app_close_trigger(c, conn, l, st, now);
	else
		app_head_wait(c, conn, l, st, now);
}

/*
 * A request head went over HTTP_HEAD_MAX: it is the last request, its
 * response a 431; the rest of the input is discarded. Returns len.
 */
static uint32_t
http_reject_head(struct tcp_ctx *c, struct app_conn *st, uint32_t len)
{
	tcp_note_http_head_too_long(c);
	st->owed++;
	st->scan.flags &= (uint8_t) ~(APP_HTTP_BAD | APP_HTTP_TE);
	st->scan.more |= APP_HTTP_REJECT;
	st->flags |= APP_F_DRAIN;
	return len;
}

/*
 * The head is invalid (the scanner stopped at the first invalid byte),
 * its version is not HTTP/1.x, or, RFC 9112 6.3 (4) and (5), its framing
 * cannot be followed (a Transfer-Encoding or an invalid Content-Length):
 * it is the last request, answered 400, 505 or 501 (http_put_reject());
 * the rest of the input is discarded. Returns len.
 */
static uint32_t
http_reject_framing(struct tcp_ctx *c, struct app_conn *st, uint32_t len)
{
	if ((st->scan.flags & APP_HTTP_BAD) &&
	    (st->scan.more & APP_HTTP_M_VERSION))
		tcp_note_http_version_unsupported(c);
	else
		tcp_note_http_bad_request(c);
	st->owed++;
	st->scan.more |= APP_HTTP_REJECT;
	st->flags |= APP_F_DRAIN;
	return len;
}

/*
 * RFC 9112 6.3 (6): the request's body is the next Content-Length
 * bytes, skipped (they are not part of any head). Returns the bytes of
 * the avail at hand taken. The deadline that ran while the body came in
 * (from its head's response queued: head_timeout_ms bounds the body too,
 * its bytes not pushing it back) is met once it is all in: the next
 * head's starts then, or, with a response still owed, once that is
 * queued (http_pump()).
 */
static uint32_t
http_skip_body(struct tcp_ctx *c, struct tcp_conn *conn,
	       const struct cfg_listener *l, struct app_conn *st,
	       uint32_t avail, uint64_t now)
{
	uint32_t n = st->scan.clen < avail ? (uint32_t)st->scan.clen : avail;

	st->scan.clen -= n;
	if (st->scan.clen == 0) {
		memset(&st->scan, 0, sizeof(st->scan));
		if (st->owed == 0)
			app_head_wait(c, conn, l, st, now);
	}
	return n;
}

/* Every policy but on-peer-fin closes after each response. */
static inline bool
http_last_request(const struct app_conn *st, const struct cfg_listener *l,
		  bool draining)
{
	return (st->scan.flags & APP_HTTP_CLOSE) || draining ||
		l->close != CFG_CLOSE_ON_PEER_FIN;
}

/*
 * The head of a HEAD taken at data[off - 1], its response owed, the
 * last: the next head waits until that response is queued
 * (http_put_head_only() starts the next request). Returns the bytes
 * taken, all of them when it is the last request.
 */
static __attribute__((noinline)) uint32_t
http_head_taken(struct app_conn *st, const struct cfg_listener *l, uint32_t off,
		uint32_t len, bool draining)
{
	st->scan.more |= APP_HTTP_HEAD_OWED;
	if (http_last_request(st, l, draining)) {
		st->flags |= APP_F_DRAIN;
		return len;
	}
	return off;
}

/*
 * Count the complete request heads in data; returns the bytes taken.
 * While draining, the first complete request is the last one answered:
 * its response says "Connection: close" and the server closes after it.
 * A HEAD's head is the last taken until its response is queued (one
 * HEAD owed at most, always the last: APP_HTTP_HEAD_OWED).
 */
static uint32_t
http_scan_heads(struct tcp_ctx *c, struct tcp_conn *conn, struct app_conn *st,
		const struct cfg_listener *l, const uint8_t *data, uint32_t len,
		bool draining, uint64_t now)
{
	uint32_t off = 0, k;
	int done;

	/* A HEAD's response not queued yet: TCP holds what follows. */
	if (st->scan.more & APP_HTTP_HEAD_OWED)
		return 0;
	while (off < len && st->owed < HTTP_MAX_OWED) {
		if (st->scan.line == APP_HTTP_LINE_BODY) {
			off += http_skip_body(c, conn, l, st, len - off, now);
			continue;
		}
		k = app_http_scan(&st->scan, data + off, len - off, &done);
		off += k;
		if (k > HTTP_HEAD_MAX - st->scan.head_len)
			return http_reject_head(c, st, len);
		if (!done) {
			st->scan.head_len += (uint16_t)k;
			break;
		}
		st->scan.head_len = 0;
		if (st->scan.flags & (APP_HTTP_BAD | APP_HTTP_TE))
			return http_reject_framing(c, st, len);
		st->owed++;
		if (st->scan.more & APP_HTTP_M_HEAD)
			return http_head_taken(st, l, off, len, draining);
		if (http_last_request(st, l, draining)) {
			st->flags |= APP_F_DRAIN;
			return len;
		}
		http_next_request(st);
	}
	/* Stopped by the bound: TCP holds the rest, the window closes. */
	if (off < len)
		tcp_note_http_owed_limit(c);
	return off;
}

/*
 * Input was left over after the owed responses were queued as far as
 * they could be: whether to scan on. Not behind a HEAD's response not
 * queued yet (TCP offers the rest again once it is, http_sent_work()),
 * nor while the bound still holds (likewise); but once the responses
 * brought it below the bound, now: no ACK may come to resume reading
 * (all of them queued, none owed), and the requests held would wait for
 * ever, or run the next head's deadline out.
 */
static __attribute__((noinline)) bool
http_read_on(struct tcp_ctx *c, const struct app_conn *st)
{
	if (st->scan.more & APP_HTTP_HEAD_OWED) {
		/* Held back behind it: TCP offers it again. */
		tcp_note_http_head_wait(c);
		return false;
	}
	return st->owed < HTTP_MAX_OWED;
}

static uint32_t
http_on_data(struct tcp_ctx *c, struct tcp_conn *conn, const uint8_t *data,
	     uint32_t len, uint64_t now)
{
	const struct cfg_listener *l = app_cfg(c, conn);
	struct app_conn *st = app_conn(conn);
	uint32_t off;
	bool held;

	if (st->flags & (APP_F_CLOSED | APP_F_DRAIN)) {
		/* Half-closed: what is read keeps it from being idle. */
		if (st->flags & APP_F_READING)
			app_touch(c, conn, l, st, now);
		return len;
	}
	if (app_read_blocked(c, conn, l, st, now))
		return 0;
	app_touch(c, conn, l, st, now);
	for (off = 0;;) {
		off += http_scan_heads(c, conn, st, l, data + off, len - off,
				       tcp_draining(c), now);
		/*
		 * Stopped short, after a HEAD or at the bound on responses
		 * owed, neither closing nor draining (so http_pump() cannot
		 * free conn, and TCP holds back the peer's FIN behind the
		 * rest): once below the bound, what follows is read at once.
		 */
		held = off < len;
		if (st->owed > 0) {
			/* A head is complete: its deadline is met. */
			st->delay_at = 0;
			http_pump(c, conn, l, st, now);
		}
		if (!held || !http_read_on(c, st))
			return off;
	}
}

static void
http_on_peer_fin(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now)
{
	struct app_conn *st = app_conn(conn);
	uint8_t flags = st->flags;

	st->flags = flags | APP_F_PEER_FIN;
	/* Already closed (after a response, the usual case): nothing to do. */
	if (!(flags & APP_F_CLOSED))
		http_pump(c, conn, app_cfg(c, conn), st, now);
}

/*
 * http_on_sent() with work to do: responses owed, half-closed, or a close
 * delayed or an abort waiting for its last ACK.
 */
static __attribute__((noinline)) void
http_sent_work(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now)
{
	const struct cfg_listener *l = app_cfg(c, conn);
	struct app_conn *st = app_conn(conn);

	/* The abort policy waits for the response's last ACK. */
	if (app_abort_sent(c, conn, now))
		return;
	/* Half-closed: the response still leaving is activity too. */
	if (st->flags & APP_F_READING)
		app_touch(c, conn, l, st, now);
	if (st->owed == 0)
		return;
	app_touch(c, conn, l, st, now);
	/*
	 * Requests TCP held while too many responses were owed: offered
	 * again once this callback returns (http_pump() may free conn).
	 * At the bound with none held (the request reaching it ended at
	 * the window's edge), the window shut by http_rcv_space() opens
	 * as the responses are queued: the call lets the peer know.
	 */
	if ((tcp_read_pending(conn) > 0 || st->owed >= HTTP_MAX_OWED) &&
	    !(st->flags & APP_F_READ_WAIT))
		tcp_read_resume(c, conn, now);
	/* Closed with responses owed (idle timeout): send nothing more. */
	if (!(st->flags & APP_F_CLOSED))
		http_pump(c, conn, l, st, now);
}

/*
 * Send buffer space was freed. Usually the response is all queued and
 * the connection not reading half-closed: nothing to do, decided here
 * without the cost of the call below.
 */
static void
http_on_sent(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now)
{
	const struct app_conn *st = app_conn(conn);

	if (st->owed == 0 && !(st->flags & (APP_F_READING | APP_F_CLOSE_WAIT)))
		return;
	http_sent_work(c, conn, now);
}

static uint32_t
http_rcv_space(const struct tcp_ctx *c, const struct tcp_conn *conn)
{
	const struct app_conn *st =
		tcp_conn_app_state((struct tcp_conn *)(uintptr_t)conn);

	(void)c;
	/* The usual case, decided first: below the bound on responses. */
	if (st->owed < HTTP_MAX_OWED)
		return UINT32_MAX;
	/* The read delay: TCP's receive buffer fills, the window with it. */
	if (st->flags & (APP_F_READ_WAIT | APP_F_CLOSED | APP_F_DRAIN))
		return UINT32_MAX;
	return 0;
}

/*
 * A drain started. An idle keep-alive connection (no response owed, no
 * request begun) is closed now: FIN, reading on so that a request
 * crossing it is discarded rather than answered with RST (the client
 * retries it elsewhere, as after any keep-alive close). A busy one
 * finishes: the request being received gets "Connection: close" on its
 * response (http_scan_heads()), and with responses owed the server
 * closes after the last: "close" if its header has not begun, else
 * finished as the keep-alive it began as (APP_HTTP_HDR_KEEP), the FIN
 * ending it cleanly all the same.
 */
static void
http_on_drain(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now)
{
	static const struct app_http_scan idle;
	struct app_conn *st = app_conn(conn);
	struct app_http_scan scan;

	if (st->flags & APP_F_CLOSE_WAIT) {
		app_drain_close(c, conn, now);
		return;
	}
	if (st->flags & (APP_F_CLOSED | APP_F_DRAIN))
		return;
	if (st->owed > 0) {
		if (st->owed == 1 && st->hdr_off > 0)
			st->scan.more |= APP_HTTP_HDR_KEEP;
		st->flags |= APP_F_DRAIN;
		return;
	}
	/* Empty lines before a request line count toward head_len only. */
	memcpy(&scan, &st->scan, sizeof(scan));
	scan.head_len = 0;
	if (memcmp(&scan, &idle, sizeof(idle)) != 0)
		return;
	app_drain_close(c, conn, now);
}

/*
 * The first request's head is awaited from the open: a peer that sends
 * nothing is closed at head_timeout_ms as one sending too slowly is.
 * TCP armed the timer for that deadline at the open (app_listen_all()):
 * delay_at stays 0, which app_on_timer() takes for it, and the usual
 * connection, its request in the first segment, pays nothing more. With
 * an idle timeout too, both deadlines are kept and the timer armed at
 * the earlier (out of line: the usual open makes no call, and so needs
 * no stack frame). What TCP armed is asked, not assumed from the
 * configuration: a listener registered without its open timer
 * (tcp_listen() alone) has its head deadline armed here, as delay_at.
 */
static __attribute__((noinline)) void
http_open_idle(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now)
{
	const struct cfg_listener *l = app_cfg(c, conn);
	struct app_conn *st = app_conn(conn);

	app_touch_idle(c, conn, l, st, now);
	app_head_wait(c, conn, l, st, now);
}

/* No open timer: the head deadline armed here (out of line, rare). */
static __attribute__((noinline)) void
http_open_head(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now)
{
	app_head_wait(c, conn, app_cfg(c, conn), app_conn(conn), now);
}

static void
http_on_open(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now)
{
	const struct cfg_listener *l = app_cfg(c, conn);

	if (l->idle_timeout_ms != 0)
		http_open_idle(c, conn, now);
	else if (tcp_app_timer_at(conn) != 0)
		app_conn(conn)->flags |= APP_F_ARMED;
	else if (l->head_timeout_ms != 0)
		http_open_head(c, conn, now);
}

const struct tcp_app_ops app_http_ops = {
	.on_open = http_on_open,
	.on_data = http_on_data,
	.on_peer_fin = http_on_peer_fin,
	.on_sent = http_on_sent,
	.on_timer = app_on_timer,
	.rcv_space = http_rcv_space,
	.on_drain = http_on_drain,
	.timer_pending = app_timer_pending,
};
