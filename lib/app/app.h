/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Listener applications: discard, echo and a fixed HTTP response, with
 * the close policies of struct cfg_listener (after-response, on-peer-fin,
 * half-close, abort), idle timeout and the slow-server knobs.
 *
 * Pure C on top of lib/tcp. Per-connection state lives in the
 * connection's TCP_APP_STATE_BYTES application area.
 */
#ifndef TT_APP_H
#define TT_APP_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "tcp.h"

/* Callbacks for an application kind. */
const struct tcp_app_ops *app_ops(enum cfg_app app);

/*
 * Register every listener of cfg on c; each listener's struct
 * cfg_listener (which must outlive c) is its tcp_listen() arg.
 * Returns 0 or a negative errno from tcp_listen().
 */
int app_listen_all(struct tcp_ctx *c, const struct cfg *cfg);

/*
 * Incremental HTTP request-head scanner: finds the end of each request
 * head (CRLFCRLF) across segment boundaries and notes whether the
 * request asks to close (HTTP/1.0 without keep-alive, or a
 * "Connection: close" header, case-insensitive).
 */
struct app_http_scan {
	uint8_t crlf;		/* progress through CR LF CR LF (0..3) */
	uint8_t line_len;	/* bytes of the current line kept in line[] */
	uint8_t flags;		/* APP_HTTP_* */
	char line[20];		/* start of the current header line */
};

#define APP_HTTP_CLOSE 0x01	/* this request asks to close */
#define APP_HTTP_KEEPALIVE 0x02	/* explicit keep-alive */
#define APP_HTTP_V10 0x04	/* HTTP/1.0 request line */
#define APP_HTTP_FIRST_DONE 0x08 /* request line seen */

/*
 * Scan len bytes. Returns the number of bytes consumed up to and
 * including the end of the first complete head (then *done = 1 and
 * s->flags describe that request; reset with app_http_scan_reset() before
 * the next), or len with *done = 0.
 */
uint32_t app_http_scan(struct app_http_scan *s, const uint8_t *p,
		       uint32_t len, int *done);
void app_http_scan_reset(struct app_http_scan *s);

#endif /* TT_APP_H */
