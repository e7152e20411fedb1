/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Listener applications: discard, echo and a fixed HTTP response, with
 * the close policies of struct cfg_listener (after-response, on-peer-fin,
 * half-close, abort), idle timeout and the slow-server knobs.
 *
 * Pure C on top of lib/tcp. Per-connection state lives in the
 * connection's TCP_APP_STATE_BYTES application area.
 *
 * discard takes everything and sends nothing; echo sends back what fits
 * in the send buffer (its receive window tracks that space). Both close
 * when the peer's FIN arrives: RST for the abort policy, FIN otherwise.
 *
 * http answers each request head with "HTTP/1.1 200 OK" and
 * response_body_bytes of body, the first N bytes of an endless "OK\n"
 * repetition. Pipelined requests are answered in order; large responses
 * continue as ACKs free send buffer space. Once a response is queued:
 * after-response closes (FIN; the server holds TIME_WAIT), half-close
 * sends FIN and keeps reading until the peer's FIN, abort sends RST (which
 * may overtake data still queued), and on-peer-fin keeps the connection
 * until the peer's FIN or a request asking to close. Bytes after the last
 * request the server answers are discarded. The Connection header says
 * "close" when the server closes after that response. A HEAD (RFC 9110
 * 9.3.2) gets the header a GET gets, Content-Length too, and no body;
 * after a HEAD's head the application reads on only once its response
 * is queued (counter http_head_wait, once per offer held back), so one
 * at most is owed. At 256 responses owed the application stops
 * reading: TCP holds what arrives and the window closes as it fills
 * (counter http_owed_limit, once per offer of input held back); it
 * reads on once responses queued bring it below (at once when they all
 * fit the send buffer, else as ACKs free it). A
 * request head over 8 KiB is answered "431 Request Header Fields Too
 * Large", after the responses owed before it, and the
 * connection closed per the policy (counter http_head_too_long); with
 * abort the RST may overtake the 431, as it may any response.
 *
 * Request bodies are framed by Content-Length (RFC 9112 6.3): that many
 * bytes after the head are skipped, whatever they hold, and do not count
 * toward the head's bound. An invalid Content-Length (not 1*DIGIT with
 * optional whitespace around it, 2^63 or more, repeated, or a list even
 * of equal values) is answered "400 Bad Request", and any
 * Transfer-Encoding (chunked or other: no chunk parser here) "501 Not
 * Implemented"; both close the connection like the 431 (counter
 * http_bad_request). So is a malformed head, an HTTP/1.1 request without
 * exactly one valid Host field, or a field value holding a CTL (400). A
 * request line of another major version than 1 (HTTP/2.0, HTTP/0.9) is
 * answered "505 HTTP Version Not Supported" and closes the same way
 * (counter http_version_unsupported).
 *
 * idle_timeout_ms closes (FIN) a connection without data in either
 * direction for that long; after a half-close it closes the reading side
 * (data then draws a RST, and TCP's FIN_WAIT_2 timeout starts), and is
 * what bounds the connection while it reads. close_delay_ms defers the
 * close that a request or the peer's FIN triggers by that long (the
 * connection stays open meanwhile, e.g. in CLOSE_WAIT, and can still
 * send). read_delay_ms takes no data for that long after the first data
 * arrives: TCP holds (and acknowledges) what arrives meanwhile, so the
 * advertised window shrinks to zero as its receive buffer fills; then
 * everything held is read (tcp_read_resume()) and the window reopens.
 *
 * http's head_timeout_ms bounds the wait for a complete request head,
 * from the open and, on keep-alive, from the previous response being all
 * queued; bytes that do not complete the head do not push it back (a
 * slowloris peer gets no longer than a silent one); a body announced by
 * Content-Length must be all in within the same time of its head's
 * response being queued (its bytes do not push that back either), and
 * the next head's deadline starts when it ends. At the deadline the
 * connection is closed as by the idle timeout, FIN and no response
 * (counter http_head_timeout). None runs while a response is owed, a
 * close is decided or the read delay holds input (it starts afresh when
 * the delay ends); with an idle timeout too, the earlier deadline wins.
 */
#ifndef TT_APP_H
#define TT_APP_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "tcp.h"

/* The TCP layer's family for a listener's listeners[].family. */
enum tcp_family app_family(enum cfg_family f);

/* Callbacks for an application kind. */
const struct tcp_app_ops *app_ops(enum cfg_app app);

/*
 * TCP parameters of one worker from the configuration. The limits are
 * for the whole process and are split evenly over n_workers. The ISN
 * secret is left zero: each worker draws its own.
 */
void app_tcp_params(const struct cfg *cfg, unsigned int n_workers,
		    struct tcp_params *p);

/*
 * Register every listener of cfg on c; each listener's struct
 * cfg_listener (which must outlive c) is its tcp_listen() arg.
 * Returns 0 or a negative errno from tcp_listen().
 */
int app_listen_all(struct tcp_ctx *c, const struct cfg *cfg);

/*
 * Incremental HTTP request-head scanner: finds the end of each request
 * head (CRLFCRLF) across segment boundaries, checks its syntax (RFC 9112
 * 2.2, 3, 5: request line, field names, CR LF line ends; RFC 9110 5.5: no
 * CTL but HTAB in a field value; RFC 9112 3.2: one valid Host field in an
 * HTTP/1.1 request; RFC 9110 2.5: HTTP/1.x only) and notes
 * whether the request asks to close (HTTP/1.0 without keep-alive, or a
 * "Connection: close" header, case-insensitive) and whether its method
 * is HEAD (the case-sensitive token, RFC 9110 9.1).
 * It keeps no line buffer, only match progress, so that it fits in the
 * connection's application area. All-zero is the initial state.
 */
struct app_http_scan {
	uint8_t crlf;  /* progress through CR LF CR LF (0..3) */
	uint8_t flags; /* APP_HTTP_* */
	uint8_t line;  /* what the current line is (internal) */
	uint8_t match; /* bytes of the current pattern matched */
	uint8_t tok;   /* token or line part state (internal) */
	uint8_t more;  /* APP_HTTP_M_* (in what was padding) */
	/*
	 * Not the scanner's: its caller's count of the bytes of the
	 * unfinished head, kept here where the alignment of clen leaves
	 * room. Zeroed with the rest by app_http_scan_reset().
	 */
	uint16_t head_len;
	uint64_t clen; /* Content-Length value (APP_HTTP_CLEN) */
};

#define APP_HTTP_CLOSE 0x01	 /* this request asks to close */
#define APP_HTTP_KEEPALIVE 0x02	 /* explicit keep-alive */
#define APP_HTTP_V10 0x04	 /* HTTP/1.0 request line */
#define APP_HTTP_FIRST_DONE 0x08 /* request line seen */
#define APP_HTTP_CLEN 0x10	 /* Content-Length seen: clen */
#define APP_HTTP_BAD 0x20	 /* invalid head (400): the scan stopped */
#define APP_HTTP_TE 0x40	 /* Transfer-Encoding seen */

/*
 * struct app_http_scan.line once a head with a Content-Length body is
 * done: the caller skips clen bytes (the scanner never takes them), then
 * resets the state.
 */
#define APP_HTTP_LINE_BODY 6

#define APP_HTTP_M_HOST 0x01	/* a Host field line seen */
#define APP_HTTP_M_VERSION 0x02 /* with APP_HTTP_BAD: not HTTP/1.x (505) */
#define APP_HTTP_M_HEAD 0x04	/* the method is HEAD (RFC 9110 9.3.2) */

/*
 * Scan len bytes. Returns the number of bytes consumed up to and
 * including the end of the first complete head (then *done = 1 and
 * s->flags describe that request; reset with app_http_scan_reset() before
 * the next), or len with *done = 0. An invalid head ends the scan at
 * its first invalid byte, included in the count: *done = 1 with
 * APP_HTTP_BAD set, the rest of the state then undefined.
 */
uint32_t app_http_scan(struct app_http_scan *s, const uint8_t *p, uint32_t len,
		       int *done);
void app_http_scan_reset(struct app_http_scan *s);

#endif /* TT_APP_H */
