/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/app: the HTTP request-head scanner (table-driven, every split
 * position) and the applications end to end through lib/tcp: a simulated
 * peer drives handshakes, requests and ACKs on a virtual clock.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "app.h"
#include "app_internal.h"
#include "tcp_drain.h"

/* ---- scanner ---- */

#define MAX_SPLITS 4

struct scan_case {
	const char *name;
	const char *in;
	uint32_t splits[MAX_SPLITS]; /* chunk boundaries, 0-terminated */
	unsigned int heads;	     /* complete heads expected */
	unsigned int close_mask;     /* bit i: head i asks to close */
	unsigned int bad; /* after the heads: 1 invalid (400), 2 505 */
	uint32_t len;	  /* bytes of in (NUL in it), else 0 */
};

/* A case holding a NUL byte: its length from the literal. */
#define NUL_CASE(name, in, heads, close, bad) \
	{ \
		name, in, { 0 }, heads, close, bad, (uint32_t)sizeof(in) - 1 \
	}

/* clang-format off */
static const struct scan_case scan_cases[] = {
	{ "plain 1.1", "GET / HTTP/1.1\r\nHost: a\r\n\r\n",
	  { 3, 17 }, 1, 0, 0, 0 },
	{ "close", "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
	  { 20, 30 }, 1, 1, 0, 0 },
	{ "Close mixed case", "GET / HTTP/1.1\r\nHost: a\r\nConnection: Close\r\n\r\n",
	  { 16 }, 1, 1, 0, 0 },
	{ "upper case", "GET / HTTP/1.1\r\nHost: a\r\nCONNECTION: CLOSE\r\n\r\n",
	  { 0 }, 1, 1, 0, 0 },
	{ "no space", "GET / HTTP/1.1\r\nHost: a\r\nconnection:close\r\n\r\n",
	  { 0 }, 1, 1, 0, 0 },
	{ "keep-alive 1.1",
	  "GET / HTTP/1.1\r\nHost: a\r\nconnection: keep-alive\r\n\r\n",
	  { 38 }, 1, 0, 0, 0 },
	{ "1.0 default close", "GET / HTTP/1.0\r\nHost: a\r\n\r\n",
	  { 14 }, 1, 1, 0, 0 },
	{ "1.0 keep-alive", "GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n",
	  { 9, 30 }, 1, 0, 0, 0 },
	{ "1.0 bad token", "GET / HTTP/1.0\r\nConnection: keep-alivex\r\n\r\n",
	  { 0 }, 1, 1, 0, 0 },
	{ "token list",
	  "GET / HTTP/1.1\r\nHost: a\r\nConnection: upgrade, close\r\n\r\n",
	  { 0 }, 1, 1, 0, 0 },
	{ "close wins",
	  "GET / HTTP/1.1\r\nHost: a\r\nConnection: keep-alive,close \r\n\r\n",
	  { 0 }, 1, 1, 0, 0 },
	{ "closed is not close",
	  "GET / HTTP/1.1\r\nHost: a\r\nConnection: closed\r\n\r\n",
	  { 0 }, 1, 0, 0, 0 },
	{ "other header name",
	  "GET / HTTP/1.1\r\nHost: a\r\nX-Connection: close\r\n\r\n",
	  { 0 }, 1, 0, 0, 0 },
	{ "other header value", "GET / HTTP/1.1\r\nHost: a\r\nFoo: close\r\n\r\n",
	  { 0 }, 1, 0, 0, 0 },
	{ "version in path", "GET /HTTP/1.0 HTTP/1.1\r\nHost: a\r\n\r\n",
	  { 0 }, 1, 0, 0, 0 },
	{ "leading empty line", "\r\nGET / HTTP/1.0\r\n\r\n",
	  { 1 }, 1, 1, 0, 0 },
	{ "pipelined two", "GET /a HTTP/1.1\r\nHost: a\r\n\r\n"
	  "GET /b HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
	  { 0 }, 2, 2, 0, 0 },
	{ "pipelined three", "GET /a HTTP/1.1\r\nHost: a\r\n\r\n"
	  "GET /b HTTP/1.0\r\n\r\nGET /c HTTP/1.1\r\nHost: a\r\n\r\n",
	  { 18, 19, 20 }, 3, 2, 0, 0 },
	{ "bare LF", "GET / HTTP/1.1\nHost: a\n\n", { 0 }, 0, 0, 1, 0 },
	{ "LF LF after CRLF", "GET / HTTP/1.1\r\n\n\r\n", { 0 }, 0, 0, 1, 0 },
	{ "CR CR LF CR LF", "GET / HTTP/1.1\r\r\n\r\n", { 0 }, 0, 0, 1, 0 },
	{ "unterminated", "GET / HTTP/1.1\r\nHost: a\r\n", { 5 }, 0, 0, 0, 0 },
	{ "junk", "\x16\x03\x01\xff junk \r junk \n", { 0 }, 0, 0, 1, 0 },
	{ "junk head", "\x16\x03\x01junk\r\n\r\n", { 0 }, 0, 0, 1, 0 },
	/* RFC 9112 5.1: no whitespace between a field name and its colon. */
	{ "SP before colon", "GET / HTTP/1.1\r\nHost : a\r\n\r\n",
	  { 0 }, 0, 0, 1, 0 },
	{ "HTAB before colon", "GET / HTTP/1.1\r\nHost\t: a\r\n\r\n",
	  { 0 }, 0, 0, 1, 0 },
	{ "SP before Content-Length colon",
	  "GET / HTTP/1.1\r\nContent-Length : 5\r\n\r\nhello",
	  { 0 }, 0, 0, 1, 0 },
	{ "SP before Connection colon",
	  "GET / HTTP/1.1\r\nConnection : close\r\n\r\n", { 0 }, 0, 0, 1, 0 },
	{ "SP before Transfer-Encoding colon",
	  "GET / HTTP/1.1\r\nTransfer-Encoding : x\r\n\r\n", { 0 }, 0, 0, 1, 0 },
	{ "SP in name", "GET / HTTP/1.1\r\nX Y: a\r\n\r\n", { 0 }, 0, 0, 1, 0 },
	{ "pipelined, then SP before colon", "GET /a HTTP/1.1\r\nHost: a\r\n\r\n"
	  "GET /b HTTP/1.1\r\nHost : a\r\n\r\n", { 0 }, 1, 0, 1, 0 },
	/* RFC 9112 5.2 obs-fold, 2.2 whitespace after the request line. */
	{ "obs-fold SP", "GET / HTTP/1.1\r\nHost: a\r\n b\r\n\r\n",
	  { 0 }, 0, 0, 1, 0 },
	{ "obs-fold HTAB", "GET / HTTP/1.1\r\nX: a\r\n\tb\r\n\r\n",
	  { 0 }, 0, 0, 1, 0 },
	{ "SP after request line", "GET / HTTP/1.1\r\n Host: a\r\n\r\n",
	  { 0 }, 0, 0, 1, 0 },
	/* RFC 9112 5 and RFC 9110 5.1: name = token, then a colon. */
	{ "no colon", "GET / HTTP/1.1\r\nHost a\r\n\r\n", { 0 }, 0, 0, 1, 0 },
	{ "no colon, whole line", "GET / HTTP/1.1\r\nHost\r\n\r\n",
	  { 0 }, 0, 0, 1, 0 },
	{ "no colon, connection", "GET / HTTP/1.1\r\nconnection\r\n\r\n",
	  { 0 }, 0, 0, 1, 0 },
	{ "no colon, other c name", "GET / HTTP/1.1\r\ncookie\r\n\r\n",
	  { 0 }, 0, 0, 1, 0 },
	{ "empty name", "GET / HTTP/1.1\r\n: a\r\n\r\n", { 0 }, 0, 0, 1, 0 },
	{ "slash in name", "GET / HTTP/1.1\r\nHo/st: a\r\n\r\n",
	  { 0 }, 0, 0, 1, 0 },
	{ "DEL in name", "GET / HTTP/1.1\r\nHo\x7fst: a\r\n\r\n",
	  { 0 }, 0, 0, 1, 0 },
	{ "CTL in name", "GET / HTTP/1.1\r\nHo\x01st: a\r\n\r\n",
	  { 0 }, 0, 0, 1, 0 },
	{ "high byte in c name", "GET / HTTP/1.1\r\nco\x80: a\r\n\r\n",
	  { 0 }, 0, 0, 1, 0 },
	{ "every tchar in a name",
	  "GET / HTTP/1.1\r\nHost: a\r\nX-A_b.c~!#$%&'*+^`|09: v\r\n\r\n",
	  { 0 }, 1, 0, 0, 0 },
	{ "prefix of connection", "GET / HTTP/1.1\r\nHost: a\r\nconn: close\r\n\r\n",
	  { 0 }, 1, 0, 0, 0 },
	{ "longer than connection",
	  "GET / HTTP/1.1\r\nHost: a\r\nconnections: close\r\n\r\n",
	  { 0 }, 1, 0, 0, 0 },
	{ "bare CR in value", "GET / HTTP/1.1\r\nHost: a\rb\r\n\r\n",
	  { 0 }, 0, 0, 1, 0 },
	/* RFC 9112 3: method SP request-target SP HTTP-version. */
	{ "two SP", "GET  / HTTP/1.1\r\n\r\n", { 0 }, 0, 0, 1, 0 },
	{ "no version", "GET /\r\n\r\n", { 0 }, 0, 0, 1, 0 },
	{ "no target", "GET HTTP/1.1\r\n\r\n", { 0 }, 0, 0, 1, 0 },
	{ "trailing SP", "GET / HTTP/1.1 \r\n\r\n", { 0 }, 0, 0, 1, 0 },
	{ "lower-case version", "GET / http/1.1\r\n\r\n", { 0 }, 0, 0, 1, 0 },
	{ "long version", "GET / HTTP/1.10\r\n\r\n", { 0 }, 0, 0, 1, 0 },
	{ "short version", "GET / HTTP/1\r\n\r\n", { 0 }, 0, 0, 1, 0 },
	{ "leading SP", " GET / HTTP/1.1\r\n\r\n", { 0 }, 0, 0, 1, 0 },
	{ "HTAB separator", "GET\t/ HTTP/1.1\r\n\r\n", { 0 }, 0, 0, 1, 0 },
	{ "delimiter in method", "G(T / HTTP/1.1\r\n\r\n", { 0 }, 0, 0, 1, 0 },
	{ "bare CR in target", "GET /\r HTTP/1.1\r\n\r\n", { 0 }, 0, 0, 1, 0 },
	{ "CTL in long target", "GET /aaaaaaaaaaaaa\x01" "bbbbbbbb HTTP/1.1\r\n\r\n",
	  { 0 }, 0, 0, 1, 0 },
	{ "DEL in long target", "GET /aaaaaaaaaa\x7f HTTP/1.1\r\n\r\n",
	  { 0 }, 0, 0, 1, 0 },
	/* RFC 9110 2.5, 15.6.6: a major version other than 1 is a 505. */
	{ "HTTP/2.0", "GET / HTTP/2.0\r\n\r\n", { 0 }, 0, 0, 2, 0 },
	{ "HTTP/2.0 with Host", "GET / HTTP/2.0\r\nHost: a\r\n\r\n",
	  { 0 }, 0, 0, 2, 0 },
	{ "HTTP/0.9", "GET / HTTP/0.9\r\nHost: a\r\n\r\n", { 0 }, 0, 0, 2, 0 },
	{ "HTTP/3.0", "GET / HTTP/3.0\r\nHost: a\r\n\r\n", { 0 }, 0, 0, 2, 0 },
	{ "HTTP/2.x malformed", "GET / HTTP/2.x\r\n\r\n", { 0 }, 0, 0, 1, 0 },
	{ "pipelined, then HTTP/2.0", "GET / HTTP/1.1\r\nHost: a\r\n\r\n"
	  "GET / HTTP/2.0\r\nHost: a\r\n\r\n", { 0 }, 1, 0, 2, 0 },
	{ "HTTP/1.9 as 1.1", "GET / HTTP/1.9\r\nHost: a\r\n\r\n",
	  { 0 }, 1, 0, 0, 0 },
	/* RFC 9112 3.2, RFC 9110 7.2: Host. */
	{ "1.1 without Host", "GET / HTTP/1.1\r\n\r\n", { 0 }, 0, 0, 1, 0 },
	{ "1.1 without Host, other fields",
	  "GET / HTTP/1.1\r\nX: y\r\nConnection: close\r\n\r\n",
	  { 0 }, 0, 0, 1, 0 },
	{ "1.9 without Host", "GET / HTTP/1.9\r\n\r\n", { 0 }, 0, 0, 1, 0 },
	{ "1.0 without Host", "GET / HTTP/1.0\r\nX: y\r\n\r\n",
	  { 0 }, 1, 1, 0, 0 },
	{ "pipelined, then no Host", "GET / HTTP/1.1\r\nHost: a\r\n\r\n"
	  "GET / HTTP/1.1\r\nX: y\r\n\r\n", { 0 }, 1, 0, 1, 0 },
	{ "two Host", "GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n",
	  { 0 }, 0, 0, 1, 0 },
	{ "two Host, cases", "GET / HTTP/1.1\r\nHost: a\r\nhOST: b\r\n\r\n",
	  { 0 }, 0, 0, 1, 0 },
	{ "two Host apart",
	  "GET / HTTP/1.1\r\nhost: a\r\nX: y\r\nHost: a\r\n\r\n",
	  { 0 }, 0, 0, 1, 0 },
	{ "1.0 two Host", "GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n",
	  { 0 }, 0, 0, 1, 0 },
	{ "host lower case", "GET / HTTP/1.1\r\nhost: a\r\n\r\n",
	  { 0 }, 1, 0, 0, 0 },
	{ "HOST upper case", "GET / HTTP/1.1\r\nHOST:a\r\n\r\n",
	  { 0 }, 1, 0, 0, 0 },
	{ "Host after others",
	  "GET / HTTP/1.1\r\nConnection: close\r\nHost: a\r\n\r\n",
	  { 0 }, 1, 1, 0, 0 },
	{ "names like host", "GET / HTTP/1.1\r\nhos: a\r\nhost-x: b\r\n"
	  "Hostx: c\r\nh: d\r\nHost: e\r\n\r\n", { 0 }, 1, 0, 0, 0 },
	{ "empty Host", "GET / HTTP/1.1\r\nHost:\r\n\r\n", { 0 }, 1, 0, 0, 0 },
	{ "blank Host", "GET / HTTP/1.1\r\nHost: \t \r\n\r\n",
	  { 0 }, 1, 0, 0, 0 },
	{ "Host with port", "GET / HTTP/1.1\r\nHost: example.com:8080\r\n\r\n",
	  { 0 }, 1, 0, 0, 0 },
	{ "Host IPv4", "GET / HTTP/1.1\r\nHost: 198.18.0.1:80 \r\n\r\n",
	  { 0 }, 1, 0, 0, 0 },
	{ "Host IPv6", "GET / HTTP/1.1\r\nHost: [2001:db8::1]:80\r\n\r\n",
	  { 0 }, 1, 0, 0, 0 },
	{ "Host IPv6, no port", "GET / HTTP/1.1\r\nHost:\t[2001:db8::1]\r\n\r\n",
	  { 0 }, 1, 0, 0, 0 },
	{ "Host pct-encoded", "GET / HTTP/1.1\r\nHost: a%2Db%2f\r\n\r\n",
	  { 0 }, 1, 0, 0, 0 },
	{ "Host sub-delims", "GET / HTTP/1.1\r\nHost: a!$&'()*+;=-._~\r\n\r\n",
	  { 0 }, 1, 0, 0, 0 },
	{ "Host empty port", "GET / HTTP/1.1\r\nHost: a:\r\n\r\n",
	  { 0 }, 1, 0, 0, 0 },
	{ "Host port, no host", "GET / HTTP/1.1\r\nHost: :80\r\n\r\n",
	  { 0 }, 0, 0, 1, 0 },
	{ "Host colon only", "GET / HTTP/1.1\r\nHost: :\r\n\r\n",
	  { 0 }, 0, 0, 1, 0 },
	{ "Host SP inside", "GET / HTTP/1.1\r\nHost: a b\r\n\r\n",
	  { 0 }, 0, 0, 1, 0 },
	{ "Host HTAB inside", "GET / HTTP/1.1\r\nHost: a\tb\r\n\r\n",
	  { 0 }, 0, 0, 1, 0 },
	{ "Host comma", "GET / HTTP/1.1\r\nHost: a,b\r\n\r\n",
	  { 0 }, 0, 0, 1, 0 },
	{ "Host slash", "GET / HTTP/1.1\r\nHost: a/b\r\n\r\n",
	  { 0 }, 0, 0, 1, 0 },
	{ "Host userinfo", "GET / HTTP/1.1\r\nHost: u@a\r\n\r\n",
	  { 0 }, 0, 0, 1, 0 },
	{ "Host port letters", "GET / HTTP/1.1\r\nHost: a:8x\r\n\r\n",
	  { 0 }, 0, 0, 1, 0 },
	{ "Host two ports", "GET / HTTP/1.1\r\nHost: a:1:2\r\n\r\n",
	  { 0 }, 0, 0, 1, 0 },
	{ "Host bad pct", "GET / HTTP/1.1\r\nHost: a%2g\r\n\r\n",
	  { 0 }, 0, 0, 1, 0 },
	{ "Host short pct", "GET / HTTP/1.1\r\nHost: a%2\r\n\r\n",
	  { 0 }, 0, 0, 1, 0 },
	{ "Host open bracket", "GET / HTTP/1.1\r\nHost: [::1\r\n\r\n",
	  { 0 }, 0, 0, 1, 0 },
	{ "Host empty brackets", "GET / HTTP/1.1\r\nHost: []\r\n\r\n",
	  { 0 }, 0, 0, 1, 0 },
	{ "Host after bracket", "GET / HTTP/1.1\r\nHost: [::1]x\r\n\r\n",
	  { 0 }, 0, 0, 1, 0 },
	{ "Host bracket inside", "GET / HTTP/1.1\r\nHost: a[::1]\r\n\r\n",
	  { 0 }, 0, 0, 1, 0 },
	{ "Host question mark", "GET / HTTP/1.1\r\nHost: a?b\r\n\r\n",
	  { 0 }, 0, 0, 1, 0 },
	{ "Host high byte", "GET / HTTP/1.1\r\nHost: \xc3\xa9\r\n\r\n",
	  { 0 }, 0, 0, 1, 0 },
	{ "Host DEL", "GET / HTTP/1.1\r\nHost: a\x7f\r\n\r\n",
	  { 0 }, 0, 0, 1, 0 },
	/* RFC 9110 5.5: no CTL but HTAB in a field value. */
	NUL_CASE("NUL in a value",
	  "GET / HTTP/1.1\r\nHost: a\r\nX: a\0b\r\n\r\n", 0, 0, 1),
	NUL_CASE("NUL in Host",
	  "GET / HTTP/1.1\r\nHost: a\0\r\n\r\n", 0, 0, 1),
	NUL_CASE("NUL in Connection",
	  "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\0\r\n\r\n", 0, 0, 1),
	NUL_CASE("NUL after a long value",
	  "GET / HTTP/1.1\r\nHost: a\r\nX: aaaaaaaaaaaaaaaaaaa\0\r\n\r\n", 0, 0, 1),
	NUL_CASE("NUL first in a value",
	  "GET / HTTP/1.0\r\nX:\0\r\n\r\n", 0, 0, 1),
	NUL_CASE("NUL in the request line",
	  "GET /\0 HTTP/1.1\r\nHost: a\r\n\r\n", 0, 0, 1),
	NUL_CASE("NUL in the method",
	  "G\0T / HTTP/1.1\r\nHost: a\r\n\r\n", 0, 0, 1),
	NUL_CASE("NUL after the version",
	  "GET / HTTP/1.1\0\r\nHost: a\r\n\r\n", 0, 0, 1),
	{ "CTL in a value", "GET / HTTP/1.1\r\nHost: a\r\nX: a\x01\r\n\r\n",
	  { 0 }, 0, 0, 1, 0 },
	{ "VT in a long value",
	  "GET / HTTP/1.0\r\nX: aaaaaaaaaaaaaaaa\x0b\r\n\r\n", { 0 }, 0, 0, 1, 0 },
	{ "ESC in a value", "GET / HTTP/1.0\r\nX: \x1b[0m\r\n\r\n",
	  { 0 }, 0, 0, 1, 0 },
	{ "DEL in a value", "GET / HTTP/1.0\r\nX: aaaaaaaaa\x7f\r\n\r\n",
	  { 0 }, 0, 0, 1, 0 },
	{ "HTAB in a value", "GET / HTTP/1.0\r\nX: aaaaaaaa\tbbbbbbbbb\t\r\n\r\n",
	  { 0 }, 1, 1, 0, 0 },
	{ "obs-text in a value", "GET / HTTP/1.0\r\nX: \x80\xff\xc3\xa9\r\n\r\n",
	  { 0 }, 1, 1, 0, 0 },
	{ "other method, long target",
	  "OPTIONS /a/very/long/path?with=query&and=more HTTP/1.0\r\n\r\n",
	  { 0 }, 1, 1, 0, 0 },
	{ "obs-text target", "GET /\x80\xff HTTP/1.0\r\n\r\n", { 0 }, 1, 1, 0, 0 },
	/* RFC 9112 2.2: empty lines before the request line are skipped. */
	{ "empty lines first", "\r\n\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n",
	  { 0 }, 1, 0, 0, 0 },
	{ "empty lines only", "\r\n\r\n\r\n\r\n", { 0 }, 0, 0, 0, 0 },
	{ "bare LF first", "\nGET / HTTP/1.1\r\n\r\n", { 0 }, 0, 0, 1, 0 },
};
/* clang-format on */

#define N_CASES (sizeof(scan_cases) / sizeof(scan_cases[0]))

struct scan_result {
	unsigned int heads;
	unsigned int close_mask;
	unsigned int bad;
};

/*
 * Feed one chunk, counting the heads completed in it. An invalid head
 * ends the scan (the connection is answered 400 and closed).
 */
static uint32_t
case_len(const struct scan_case *tc)
{
	return tc->len != 0 ? tc->len : (uint32_t)strlen(tc->in);
}

static void
scan_chunk(struct app_http_scan *s, const uint8_t *p, uint32_t len,
	   struct scan_result *r)
{
	while (len > 0 && r->bad == 0) {
		int done;
		uint32_t n = app_http_scan(s, p, len, &done);

		assert_true(n > 0 && n <= len);
		assert_true(done || n == len);
		if (done && (s->flags & APP_HTTP_BAD)) {
			r->bad = s->more & APP_HTTP_M_VERSION ? 2 : 1;
		} else if (done) {
			if (s->flags & APP_HTTP_CLOSE)
				r->close_mask |= 1u << r->heads;
			r->heads++;
			app_http_scan_reset(s);
		}
		p += n;
		len -= n;
	}
}

/* Scan in chunks ending at the sorted offsets cuts[0..ncuts). */
static struct scan_result
scan_split(const struct scan_case *tc, const uint32_t *cuts, unsigned int ncuts)
{
	const uint8_t *p = (const uint8_t *)tc->in;
	uint32_t len = case_len(tc), at = 0;
	struct app_http_scan s;
	struct scan_result r = { 0, 0, 0 };
	unsigned int i;

	app_http_scan_reset(&s);
	for (i = 0; i < ncuts; i++) {
		if (cuts[i] < at || cuts[i] > len)
			continue;
		scan_chunk(&s, p + at, cuts[i] - at, &r);
		at = cuts[i];
	}
	scan_chunk(&s, p + at, len - at, &r);
	return r;
}

static void
check_case(const struct scan_case *tc, struct scan_result r, uint32_t at)
{
	if (r.heads != tc->heads || r.close_mask != tc->close_mask ||
	    r.bad != tc->bad)
		fail_msg("%s (split %u): heads %u close 0x%x bad %u, want %u "
			 "0x%x %u",
			 tc->name, at, r.heads, r.close_mask, r.bad, tc->heads,
			 tc->close_mask, tc->bad);
}

static unsigned int scan_vs_ref(const uint8_t *in, uint32_t len,
				const uint32_t *cuts, unsigned int ncuts);

static void
test_scan_table(void **state)
{
	unsigned int i, n;

	(void)state;
	for (i = 0; i < N_CASES; i++) {
		const struct scan_case *tc = &scan_cases[i];

		for (n = 0; n < MAX_SPLITS && tc->splits[n] != 0; n++)
			;
		check_case(tc, scan_split(tc, tc->splits, n), 0);
		/* And against the reference, in one piece. */
		scan_vs_ref((const uint8_t *)tc->in, case_len(tc), NULL, 0);
	}
}

/* Every case gives the same answer split at any one byte position. */
static void
test_scan_every_split(void **state)
{
	unsigned int i;
	uint32_t at;

	(void)state;
	for (i = 0; i < N_CASES; i++) {
		const struct scan_case *tc = &scan_cases[i];
		uint32_t len = case_len(tc);

		for (at = 1; at < len; at++) {
			check_case(tc, scan_split(tc, &at, 1), at);
			scan_vs_ref((const uint8_t *)tc->in, len, &at, 1);
		}
	}
}

/* And fed one byte at a time. */
static void
test_scan_bytewise(void **state)
{
	uint32_t cuts[128];
	unsigned int i;
	uint32_t k;

	(void)state;
	for (i = 0; i < N_CASES; i++) {
		const struct scan_case *tc = &scan_cases[i];
		uint32_t len = case_len(tc);

		assert_true(len < 128);
		for (k = 0; k < len; k++)
			cuts[k] = k + 1;
		check_case(tc, scan_split(tc, cuts, len), UINT32_MAX);
	}
}

/* The return value stops right after the first head's CRLFCRLF. */
static void
test_scan_consumed(void **state)
{
	static const char two[] =
		"GET / HTTP/1.0\r\n\r\nGET / HTTP/1.1\r\n\r\n";
	struct app_http_scan s;
	int done;
	uint32_t n;

	(void)state;
	app_http_scan_reset(&s);
	n = app_http_scan(&s, (const uint8_t *)two, sizeof(two) - 1, &done);
	assert_int_equal(done, 1);
	assert_int_equal(n, 18);
	assert_true(s.flags & APP_HTTP_V10);
	assert_true(s.flags & APP_HTTP_FIRST_DONE);
	assert_true(s.flags & APP_HTTP_CLOSE);
	app_http_scan_reset(&s);
	n = app_http_scan(&s, (const uint8_t *)two + 18, sizeof(two) - 19,
			  &done);
	assert_int_equal(done, 1);
	assert_int_equal(n, sizeof(two) - 19);
	assert_false(s.flags & (APP_HTTP_V10 | APP_HTTP_CLOSE));
	app_http_scan_reset(&s);
	n = app_http_scan(&s, (const uint8_t *)"abc", 3, &done);
	assert_int_equal(n, 3);
	assert_int_equal(done, 0);
}

/*
 * The scanner's semantics, kept byte by byte as a reference: every
 * faster scanner must leave the same state, return the same count and
 * report the same completion for any input cut anywhere. An invalid
 * head (RFC 9112 2.2, 3, 5) stops it at the first invalid byte.
 */
enum {
	REF_REQ = 0,
	REF_NAME,
	REF_VALUE,
	REF_SKIP,
	REF_EOL,
	REF_CLEN,
	REF_BODY,
	REF_FNAME,
	REF_HOST,
};
enum { REF_TOK_START = 0, REF_TOK_CLOSE, REF_TOK_KEEPALIVE, REF_TOK_SKIP };
/* Request-line parts: nothing, method, SP, target, version (1.0, other). */
enum { RQ_NONE = 0, RQ_METH, RQ_SP1, RQ_TGT, RQ_VER10, RQ_VERX, RQ_VERM };
/*
 * Host value parts: whitespace, reg-name, '%' and its first hex digit,
 * '[' and the IP-literal, its ']', port, whitespace after.
 */
enum {
	RH_WS = 0,
	RH_REG,
	RH_PCT,
	RH_PCT1,
	RH_LB,
	RH_LIT,
	RH_RB,
	RH_PORT,
	RH_TRAIL,
};

/* RFC 9110 5.6.2 token characters. */
static bool
ref_tchar(uint8_t ch)
{
	return ch != 0 && ch < 128 &&
		(isalnum(ch) || strchr("!#$%&'*+-.^_`|~", ch) != NULL);
}

static void
ref_fail(struct app_http_scan *s)
{
	s->flags |= APP_HTTP_BAD;
}
static uint8_t
ref_lower(uint8_t ch)
{
	return ch >= 'A' && ch <= 'Z' ? ch + ('a' - 'A') : ch;
}

static void
ref_token_end(struct app_http_scan *s)
{
	if (s->tok == REF_TOK_CLOSE && s->match == 5)
		s->flags |= APP_HTTP_CLOSE;
	else if (s->tok == REF_TOK_KEEPALIVE && s->match == 10)
		s->flags |= APP_HTTP_KEEPALIVE;
}

static void
ref_value(struct app_http_scan *s, uint8_t ch)
{
	bool sep = ch == ' ' || ch == '\t' || ch == ',';
	const char *pat;

	switch (s->tok) {
	case REF_TOK_START:
		if (sep)
			break;
		s->match = 1;
		ch = ref_lower(ch);
		s->tok = ch == 'c' ?
			REF_TOK_CLOSE :
			(ch == 'k' ? REF_TOK_KEEPALIVE : REF_TOK_SKIP);
		break;
	case REF_TOK_CLOSE:
	case REF_TOK_KEEPALIVE:
		if (sep) {
			ref_token_end(s);
			s->tok = ch == ',' ? REF_TOK_START : REF_TOK_SKIP;
			break;
		}
		pat = s->tok == REF_TOK_CLOSE ? "close" : "keep-alive";
		if (s->match < strlen(pat) &&
		    ref_lower(ch) == (uint8_t)pat[s->match])
			s->match++;
		else
			s->tok = REF_TOK_SKIP;
		break;
	default:
		if (ch == ',')
			s->tok = REF_TOK_START;
		break;
	}
}

static const char *const ref_names[] = { "connection:", "content-length:",
					 "transfer-encoding:", "host:" };
#define REF_NNAMES 4

static void
ref_name_done(struct app_http_scan *s)
{
	s->match = 0;
	if (s->tok == 0) {
		s->line = REF_VALUE;
		s->tok = REF_TOK_START;
		return;
	}
	if (s->tok == 3) {
		if (s->more & APP_HTTP_M_HOST)
			ref_fail(s);
		s->more |= APP_HTTP_M_HOST;
		s->line = REF_HOST;
		s->tok = RH_WS;
		return;
	}
	if (s->tok == 1) {
		if (s->flags & APP_HTTP_CLEN)
			ref_fail(s);
		s->flags |= APP_HTTP_CLEN;
		s->clen = 0;
		s->line = REF_CLEN;
		s->tok = 0;
		return;
	}
	s->flags |= APP_HTTP_TE;
	s->line = REF_SKIP;
	s->tok = 0;
}

/*
 * The first name the line so far and ch begin (tok: which), else another
 * name: a token, then a colon at once (RFC 9110 5.1, RFC 9112 5.1).
 */
static void
ref_name(struct app_http_scan *s, uint8_t ch)
{
	unsigned int t;

	for (t = s->tok; t < REF_NNAMES; t++)
		if (strncmp(ref_names[t], ref_names[s->tok], s->match) == 0 &&
		    (uint8_t)ref_names[t][s->match] == ch)
			break;
	if (t < REF_NNAMES) {
		s->tok = (uint8_t)t;
		if (++s->match == strlen(ref_names[t]))
			ref_name_done(s);
		return;
	}
	if (ref_tchar(ch))
		s->line = REF_FNAME;
	else if (ch == ':' && s->match > 0)
		s->line = REF_SKIP;
	else
		ref_fail(s);
	s->match = 0;
	s->tok = 0;
}

static void
ref_fname(struct app_http_scan *s, uint8_t ch)
{
	if (ch == ':')
		s->line = REF_SKIP;
	else if (!ref_tchar(ch))
		ref_fail(s);
}

/* Content-Length: OWS 1*DIGIT OWS, below 2^63 (tok: 0, 1 digits, 2). */
static void
ref_clen(struct app_http_scan *s, uint8_t ch)
{
	unsigned __int128 v;

	if (isdigit(ch) && s->tok != 2) {
		v = (unsigned __int128)s->clen * 10 + (ch - '0');
		if (v >= (unsigned __int128)1 << 63) {
			ref_fail(s);
			return;
		}
		s->clen = (uint64_t)v;
		s->tok = 1;
	} else if (ch == ' ' || ch == '\t') {
		if (s->tok == 1)
			s->tok = 2;
	} else {
		ref_fail(s);
	}
}

/*
 * method SP target SP "HTTP/" DIGIT "." DIGIT (RFC 9112 3, 2.3); the
 * method HEAD noted (RFC 9110 9.1: case-sensitive).
 */
static void
ref_req(struct app_http_scan *s, uint8_t ch)
{
	static const char v10[] = "HTTP/1.0";

	if ((s->tok == RQ_NONE || s->tok == RQ_METH) && ref_tchar(ch)) {
		/* match: bytes of "HEAD" so far, 5 for another method. */
		s->match = s->match < 4 && ch == "HEAD"[s->match] ?
			s->match + 1 :
			5;
		s->tok = RQ_METH;
	} else if (s->tok == RQ_METH && ch == ' ') {
		if (s->match == 4)
			s->more |= APP_HTTP_M_HEAD;
		s->tok = RQ_SP1;
	} else if (s->tok == RQ_TGT && ch == ' ') {
		s->tok = RQ_VER10;
		s->match = 0;
	} else if ((s->tok == RQ_SP1 || s->tok == RQ_TGT) && ch > ' ' &&
		   ch != 0x7f) {
		s->tok = RQ_TGT;
	} else if (s->tok >= RQ_VER10 && s->match < 8 &&
		   ((s->match == 5 || s->match == 7) ? isdigit(ch) :
						       ch == v10[s->match])) {
		if (s->match == 5 && ch != '1')
			s->tok = RQ_VERM;
		else if (ch != v10[s->match] && s->tok != RQ_VERM)
			s->tok = RQ_VERX;
		s->match++;
	} else {
		ref_fail(s);
	}
}

/* RFC 3986 3.2.2 reg-name characters, but '%' and ',' (see app_http_scan.c). */
static bool
ref_regc(uint8_t ch)
{
	return ch != 0 && ch < 128 &&
		(isalnum(ch) || strchr("-._~!$&'()*+;=", ch) != NULL);
}

/*
 * Host = OWS [ uri-host [ ":" port ] ] OWS (RFC 9110 7.2, RFC 3986; an
 * empty host with a port is invalid in an http URI, RFC 9110 4.2.1).
 */
static void
ref_host(struct app_http_scan *s, uint8_t ch)
{
	bool ws = ch == ' ' || ch == '\t';
	uint8_t t = s->tok;

	if (ws && (t == RH_WS || t == RH_TRAIL))
		return;
	if (ws && (t == RH_REG || t == RH_RB || t == RH_PORT)) {
		s->tok = RH_TRAIL;
	} else if (t == RH_WS && ch == '[') {
		s->tok = RH_LB;
	} else if ((t == RH_WS || t == RH_REG) && ref_regc(ch)) {
		s->tok = RH_REG;
	} else if ((t == RH_WS || t == RH_REG) && ch == '%') {
		s->tok = RH_PCT;
	} else if ((t == RH_PCT || t == RH_PCT1) && isxdigit(ch)) {
		s->tok = t == RH_PCT ? RH_PCT1 : RH_REG;
	} else if ((t == RH_LB || t == RH_LIT) && (ref_regc(ch) || ch == ':')) {
		s->tok = RH_LIT;
	} else if (t == RH_LIT && ch == ']') {
		s->tok = RH_RB;
	} else if ((t == RH_REG || t == RH_RB) && ch == ':') {
		s->tok = RH_PORT;
	} else if (t == RH_PORT && isdigit(ch)) {
		return;
	} else {
		ref_fail(s);
	}
}

static void
ref_byte(struct app_http_scan *s, uint8_t ch)
{
	/* RFC 9110 5.5: a CTL but HTAB is invalid in a field value. */
	if ((s->line == REF_VALUE || s->line == REF_SKIP) &&
	    ((ch < ' ' && ch != '\t') || ch == 0x7f)) {
		ref_fail(s);
		return;
	}
	switch (s->line) {
	case REF_HOST:
		ref_host(s, ch);
		break;
	case REF_REQ:
		ref_req(s, ch);
		break;
	case REF_NAME:
		ref_name(s, ref_lower(ch));
		break;
	case REF_FNAME:
		ref_fname(s, ch);
		break;
	case REF_CLEN:
		ref_clen(s, ch);
		break;
	case REF_VALUE:
		ref_value(s, ch);
		break;
	default:
		break;
	}
}

static void
ref_line_end(struct app_http_scan *s)
{
	if (s->line == REF_REQ && s->tok == RQ_NONE)
		return;
	if (s->line == REF_REQ) {
		if (s->tok == RQ_VERM && s->match == 8) {
			s->more |= APP_HTTP_M_VERSION;
			ref_fail(s);
		} else if ((s->tok == RQ_VER10 || s->tok == RQ_VERX) &&
			   s->match == 8) {
			s->flags |= APP_HTTP_FIRST_DONE |
				(s->tok == RQ_VER10 ? APP_HTTP_V10 : 0);
		} else {
			ref_fail(s);
		}
	} else if (s->line == REF_HOST) {
		if (s->tok == RH_PCT || s->tok == RH_PCT1 || s->tok == RH_LB ||
		    s->tok == RH_LIT)
			ref_fail(s);
	} else if (s->line == REF_VALUE) {
		ref_token_end(s);
	} else if (s->line == REF_CLEN && s->tok == 0) {
		ref_fail(s);
	} else if (s->line == REF_FNAME ||
		   (s->line == REF_NAME && s->match != 0)) {
		ref_fail(s);
	}
	s->line = REF_EOL;
}

static uint32_t
ref_scan(struct app_http_scan *s, const uint8_t *p, uint32_t len, int *done)
{
	uint32_t i;

	*done = 0;
	for (i = 0; i < len; i++) {
		uint8_t ch = p[i];

		if (ch != '\n' && (s->crlf == 1 || s->crlf == 3)) {
			/* A CR not followed by LF. */
			ref_fail(s);
		} else if (ch == '\r') {
			ref_line_end(s);
			s->crlf = s->crlf == 2 ? 3 : 1;
		} else if (ch == '\n') {
			if (s->crlf == 3) {
				if ((s->flags & APP_HTTP_V10) &&
				    !(s->flags & APP_HTTP_KEEPALIVE))
					s->flags |= APP_HTTP_CLOSE;
				/* RFC 9112 3.2: Host in every HTTP/1.1. */
				if (!(s->flags & APP_HTTP_V10) &&
				    !(s->more & APP_HTTP_M_HOST))
					ref_fail(s);
				*done = 1;
				return i + 1;
			}
			if (s->crlf != 1) {
				ref_fail(s); /* bare LF */
			} else if (s->line == REF_REQ) {
				s->crlf = 0; /* empty line before the request */
			} else {
				s->crlf = 2;
				s->line = REF_NAME;
				s->match = 0;
				s->tok = 0;
			}
		} else {
			s->crlf = 0;
			ref_byte(s, ch);
		}
		if (s->flags & APP_HTTP_BAD) {
			*done = 1;
			return i + 1;
		}
	}
	return len;
}

/* Invalid heads seen by scan_vs_ref(). */
static unsigned int ref_bad_heads;

/*
 * Feed in[0..len) to the scanner and to the reference in chunks ending
 * at the cuts (sorted, each in 1..len-1); both must agree after every
 * call (on an invalid head, on the count and that it is invalid).
 * Returns the valid heads completed; the invalid ones are counted in
 * ref_bad_heads, and the scan goes on after them from a new state.
 */
static unsigned int
scan_vs_ref(const uint8_t *in, uint32_t len, const uint32_t *cuts,
	    unsigned int ncuts)
{
	struct app_http_scan s, r;
	unsigned int heads = 0, k = 0;
	uint32_t at = 0;

	app_http_scan_reset(&s);
	memset(&r, 0, sizeof(r));
	while (at < len) {
		uint32_t end = k < ncuts ? cuts[k++] : len;

		while (at < end) {
			int done, rdone;
			uint32_t n = app_http_scan(&s, in + at, end - at,
						   &done);
			uint32_t rn = ref_scan(&r, in + at, end - at, &rdone);
			bool bad = (r.flags & APP_HTTP_BAD) != 0;
			bool differ = bad ? !(s.flags & APP_HTTP_BAD) :
					    memcmp(&s, &r, sizeof(s)) != 0;

			if (n != rn || done != rdone || differ)
				fail_msg("at %u+%u: took %u done %d, reference "
					 "%u %d (state %s)",
					 at, end - at, n, done, rn, rdone,
					 differ ? "differs" : "same");
			at += n;
			if (done) {
				if (bad)
					ref_bad_heads++;
				else
					heads++;
				app_http_scan_reset(&s);
				memset(&r, 0, sizeof(r));
			}
		}
	}
	return heads;
}

static uint64_t
xorshift(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/*
 * Random heads built from the pieces that move the scanner (CR, LF,
 * versions, Connection names and tokens, separators, control bytes,
 * runs long enough to cross word boundaries), cut at random places: the
 * scanner agrees with the reference everywhere.
 */
static void
test_scan_random_vs_reference(void **state)
{
	static const char *const piece[] = {
		"\r",
		"\n",
		"\r\n",
		"\r\n\r\n",
		"\n\r\n",
		"HTTP/1.0",
		"HTTP/1.1",
		"H",
		"HTTP/1.",
		"HTTP/1.0H",
		"GET / ",
		"Connection:",
		"connection: ",
		"CONNECTION:",
		"Connectio",
		"Content-Length:",
		"content-length: 12 ",
		"Transfer-Encoding: chunked",
		"99999999999999999999",
		"close",
		"Close",
		"keep-alive",
		"Keep-Alive",
		"keep-alivex",
		"closed",
		",",
		" ",
		"\t",
		"x",
		"c",
		"k",
		"\x0b",
		"\x00",
		"\x80\xff",
		"Host: example.com",
		"X-Long-Header-Name: abcdef",
		"0123456789abcdefghijklmnopqrstuvwxyz",
		"\r\r",
		"\n\n",
		"Host : a",
		"Host\t:",
		": v",
		"\r\n b",
		"GET  /",
		" HTTP/1.1",
		"\x7f",
		"(",
		"Host:",
		"host: a",
		"HOST:[::1]:8",
		"Host: a%4",
		"%4",
		"]",
		"HTTP/2.0",
		"HTTP/0.9",
		"\x01",
		"a,b",
		"@",
		"/",
	};
	/* Whole lines, valid on their own, so that valid heads occur. */
	static const char *const good[] = {
		"GET / HTTP/1.1\r\n",
		"GET /x HTTP/1.0\r\n",
		"Host: a\r\n",
		"Connection: close\r\n",
		"connection: keep-alive\r\n",
		"Content-Length: 2\r\n",
		"X-Y: z\r\n",
		"\r\n",
	};
	const unsigned int npiece = sizeof(piece) / sizeof(piece[0]);
	const unsigned int ngood = sizeof(good) / sizeof(good[0]);
	unsigned int bad0 = ref_bad_heads;
	uint64_t x = 0x9e3779b97f4a7c15ull;
	uint8_t buf[512];
	uint32_t cuts[8];
	unsigned int iter, heads = 0;

	(void)state;
	for (iter = 0; iter < 20000; iter++) {
		uint32_t len = 0, ncuts, k;

		while (len < sizeof(buf) - 64 && xorshift(&x) % 40 != 0) {
			const char *pc = xorshift(&x) % 4 != 0 ?
				good[xorshift(&x) % ngood] :
				piece[xorshift(&x) % npiece];
			/* "\x00" is one byte; strlen() would say none. */
			uint32_t pl = pc[0] == '\0' ? 1 : (uint32_t)strlen(pc);

			memcpy(buf + len, pc, pl);
			len += pl;
		}
		if (len < 2)
			continue;
		ncuts = (uint32_t)(xorshift(&x) % 8);
		for (k = 0; k < ncuts; k++)
			cuts[k] = 1 + (uint32_t)(xorshift(&x) % (len - 1));
		/* Sort the few cuts (insertion sort). */
		for (k = 1; k < ncuts; k++) {
			uint32_t v = cuts[k], j = k;

			while (j > 0 && cuts[j - 1] > v) {
				cuts[j] = cuts[j - 1];
				j--;
			}
			cuts[j] = v;
		}
		heads += scan_vs_ref(buf, len, cuts, ncuts);
	}
	/* The inputs complete heads, valid and invalid ones. */
	print_message("random: %u valid heads, %u invalid\n", heads,
		      ref_bad_heads - bad0);
	assert_true(heads > 1000);
	assert_true(ref_bad_heads - bad0 > 1000);
}

/*
 * The CRLFCRLF terminator split between two segments at each of its
 * offsets, with the head's length varied so that the terminator falls
 * at every position of an 8-byte word; also the bare-LF and bare-CR
 * variants, invalid (RFC 9112 2.2).
 */
static void
test_scan_terminator_splits(void **state)
{
	static const char *const tail[] = {
		"\r\n\r\n", "\n\r\n", "\r\n\n", "\n\n", "\r\r\n\r\n",
	};
	static const unsigned int want[] = { 1, 0, 0, 0, 0 };
	char in[96];
	unsigned int t, pad;
	uint32_t cut;

	(void)state;
	for (t = 0; t < sizeof(tail) / sizeof(tail[0]); t++) {
		for (pad = 0; pad < 16; pad++) {
			uint32_t len, head;

			head = (uint32_t)snprintf(in, sizeof(in),
						  "GET /%.*s HTTP/1.0\r\nA: b",
						  (int)pad, "pppppppppppppppp");
			len = head +
				(uint32_t)snprintf(in + head, sizeof(in) - head,
						   "%s", tail[t]);
			for (cut = head - 1; cut < len; cut++) {
				unsigned int bad0 = ref_bad_heads;

				assert_int_equal(scan_vs_ref((uint8_t *)in, len,
							     &cut, 1),
						 want[t]);
				/* Invalid from the bare CR or LF on. */
				assert_int_equal(ref_bad_heads != bad0,
						 want[t] == 0);
			}
		}
	}
}

/*
 * Heads as clients send them, whole lines ending in CR LF, which the
 * scanner takes from line end to line end when a request starts: random
 * request lines and headers (Connection and other names starting with
 * 'c', HTTP/1.0 and 1.1), sometimes with one byte changed to a CR, LF or
 * 'c' or one of these inserted (a bare LF before a Connection line makes
 * it a line of its own), with pipelined heads behind them, in one piece
 * and cut once.
 * The scanner agrees with the reference everywhere.
 */
static void
test_scan_whole_heads_vs_reference(void **state)
{
	static const char *const first[] = {
		"GET / HTTP/1.1",
		"GET / HTTP/1.0",
		"GET /a/long/path HTTP/1.1",
		"HEAD /x HTTP/1.0",
		"G",
		"GET /HTTP/1.0",
		"get / http/1.0",
		"GET / HTTP/2.0",
		"GET / HTTP/0.9",
		"GET / HTTP/1.2",
	};
	static const char *const line[] = {
		"Host: b",
		"Host: example.com:8080",
		"User-Agent: curl/7.88.1",
		"Accept: */*",
		"Connection: close",
		"connection: Keep-Alive",
		"Connection: keep-alive, close",
		"Cookie: a=b",
		"cache-control: no-cache",
		"X-Forwarded-For: 198.18.0.2",
		"Content-Length: 10",
		"content-length:0",
		"Content-Length: 9223372036854775808",
		"Content-Length: 1, 1",
		"Transfer-Encoding: chunked",
		"te: trailers",
		"H",
		"",
		"host: a",
		"HOST: [2001:db8::1]:80",
		"Host: a,b",
		"Host: a b",
		"Host:",
		"Host: a%41.b ",
		"Hostile: x",
		"h: x",
		"X: a\tb",
		"X: \x80\xff",
	};
	static const char mut[] = { '\r', '\n', 'c', 'C', ' ', '\0',
				    '\t', 0x7f, 'h', 'H', ':', '%' };
	const unsigned int nfirst = sizeof(first) / sizeof(first[0]);
	const unsigned int nline = sizeof(line) / sizeof(line[0]);
	uint64_t x = 0x243f6a8885a308d3ull;
	uint8_t buf[1024];
	unsigned int iter, heads = 0;

	(void)state;
	for (iter = 0; iter < 20000; iter++) {
		uint32_t len = 0, cut, k;
		uint32_t reqs = 1 + (uint32_t)(xorshift(&x) % 3);

		while (reqs-- > 0) {
			unsigned int n = (unsigned int)(xorshift(&x) % 6);

			len += (uint32_t)snprintf((char *)buf + len,
						  sizeof(buf) - len, "%s\r\n",
						  first[xorshift(&x) % nfirst]);
			/* Most with a Host first (RFC 9112 3.2). */
			if (xorshift(&x) % 4 != 0)
				len += (uint32_t)snprintf((char *)buf + len,
							  sizeof(buf) - len,
							  "Host: b\r\n");
			while (n-- > 0)
				len += (uint32_t)snprintf(
					(char *)buf + len, sizeof(buf) - len,
					"%s\r\n", line[xorshift(&x) % nline]);
			len += (uint32_t)snprintf((char *)buf + len,
						  sizeof(buf) - len, "\r\n");
		}
		k = (uint32_t)(xorshift(&x) % len);
		switch (xorshift(&x) % 4) {
		case 0:
			buf[k] = (uint8_t)mut[xorshift(&x) % sizeof(mut)];
			break;
		case 1:
			/* Inserted, e.g. a bare LF before a Connection line. */
			memmove(buf + k + 1, buf + k, len - k);
			buf[k] = (uint8_t)mut[xorshift(&x) % sizeof(mut)];
			len++;
			break;
		default:
			break;
		}
		heads += scan_vs_ref(buf, len, NULL, 0);
		cut = 1 + (uint32_t)(xorshift(&x) % (len - 1));
		heads += scan_vs_ref(buf, len, &cut, 1);
	}
	print_message("whole: %u valid heads\n", heads);
	assert_true(heads > 10000);
}

/*
 * Heads far longer than any segment: a 64 KiB request line, a 64 KiB
 * header, and a Connection header after them still decide the request.
 * The scanner keeps no line buffer, so no length bounds a head; every
 * byte is still looked at.
 */
static void
test_scan_long_heads(void **state)
{
	const uint32_t big = 65536;
	uint8_t *in = malloc(3 * big);
	struct app_http_scan s;
	uint32_t len = 0, at, n;
	int done = 0;

	(void)state;
	assert_non_null(in);
	memcpy(in, "GET /", 5);
	len = 5;
	memset(in + len, 'a', big);
	len += big;
	memcpy(in + len, " HTTP/1.0\r\nX: ", 14);
	len += 14;
	memset(in + len, 'H', big);
	len += big;
	memcpy(in + len, "\r\nConnection: keep-alive\r\n\r\nGET", 31);
	len += 31;
	/* Segments of 1460 bytes, as from the wire. */
	app_http_scan_reset(&s);
	for (at = 0; at < len && !done; at += n)
		n = app_http_scan(&s, in + at,
				  len - at < 1460 ? len - at : 1460, &done);
	assert_int_equal(done, 1);
	assert_int_equal(at, len - 3);
	assert_true(s.flags & APP_HTTP_V10);
	assert_true(s.flags & APP_HTTP_KEEPALIVE);
	assert_false(s.flags & APP_HTTP_CLOSE);
	/* And in one piece, against the reference. */
	assert_int_equal(scan_vs_ref(in, len, NULL, 0), 1);
	free(in);
}

/* ---- end to end through lib/tcp ---- */

#define LOCAL_ADDR 0xc6120001u /* 198.18.0.1 */
#define PEER_ADDR 0xc6120002u  /* 198.18.0.2 */
#define PEER_ISN 1000u
#define RX_CAP (512u * 1024u)

enum {
	PORT_HTTP_AFTER = 80,
	PORT_HTTP_KEEP,
	PORT_HTTP_HALF,
	PORT_HTTP_ABORT,
	PORT_HTTP_LARGE,
	PORT_DISCARD_IDLE,
	PORT_ECHO_CLOSE_DELAY,
	PORT_ECHO_READ_DELAY,
	PORT_HTTP_READ_DELAY,
	PORT_HTTP_HALF_IDLE,
	PORT_HTTP_AFTER_IDLE,
	PORT_HTTP_ABORT_IDLE,
	PORT_HTTP_HEAD_TO,
	PORT_HTTP_HEAD_IDLE,
	PORT_HTTP_HEAD_READ_DELAY,
	PORT_HTTP_HEAD_LARGE,
	PORT_HTTP_HEAD_AFTER,
	PORT_DISCARD_READ_IDLE,
	PORT_ECHO_READ_IDLE,
	PORT_HTTP_READ_IDLE,
	PORT_ECHO = 7,
	PORT_DISCARD = 9,
};

#define LARGE_BODY 200000u
/* The request-head timeout of the listeners that set one. */
#define HEAD_TO_MS 1000u

/* clang-format off */
static const struct cfg_listener listeners[] = {
	{ .port = PORT_HTTP_AFTER, .app = CFG_APP_HTTP,
	  .close = CFG_CLOSE_AFTER_RESPONSE, .response_body_bytes = 2 },
	{ .port = PORT_HTTP_KEEP, .app = CFG_APP_HTTP,
	  .close = CFG_CLOSE_ON_PEER_FIN, .response_body_bytes = 2 },
	{ .port = PORT_HTTP_HALF, .app = CFG_APP_HTTP,
	  .close = CFG_CLOSE_HALF_CLOSE, .response_body_bytes = 5 },
	{ .port = PORT_HTTP_ABORT, .app = CFG_APP_HTTP,
	  .close = CFG_CLOSE_ABORT, .response_body_bytes = 2 },
	{ .port = PORT_HTTP_LARGE, .app = CFG_APP_HTTP,
	  .close = CFG_CLOSE_ON_PEER_FIN, .response_body_bytes = LARGE_BODY },
	{ .port = PORT_DISCARD_IDLE, .app = CFG_APP_DISCARD,
	  .close = CFG_CLOSE_ON_PEER_FIN, .idle_timeout_ms = 100 },
	{ .port = PORT_ECHO_CLOSE_DELAY, .app = CFG_APP_ECHO,
	  .close = CFG_CLOSE_ON_PEER_FIN, .close_delay_ms = 500 },
	{ .port = PORT_ECHO_READ_DELAY, .app = CFG_APP_ECHO,
	  .close = CFG_CLOSE_ON_PEER_FIN, .read_delay_ms = 300 },
	{ .port = PORT_HTTP_READ_DELAY, .app = CFG_APP_HTTP,
	  .close = CFG_CLOSE_AFTER_RESPONSE, .response_body_bytes = 2,
	  .read_delay_ms = 300 },
	{ .port = PORT_HTTP_HALF_IDLE, .app = CFG_APP_HTTP,
	  .close = CFG_CLOSE_HALF_CLOSE, .response_body_bytes = 5,
	  .idle_timeout_ms = 5000 },
	{ .port = PORT_HTTP_AFTER_IDLE, .app = CFG_APP_HTTP,
	  .close = CFG_CLOSE_AFTER_RESPONSE, .response_body_bytes = 2,
	  .idle_timeout_ms = 5000 },
	{ .port = PORT_HTTP_ABORT_IDLE, .app = CFG_APP_HTTP,
	  .close = CFG_CLOSE_ABORT, .response_body_bytes = LARGE_BODY,
	  .idle_timeout_ms = 1000 },
	{ .port = PORT_HTTP_HEAD_TO, .app = CFG_APP_HTTP,
	  .close = CFG_CLOSE_ON_PEER_FIN, .response_body_bytes = 2,
	  .head_timeout_ms = HEAD_TO_MS },
	{ .port = PORT_HTTP_HEAD_IDLE, .app = CFG_APP_HTTP,
	  .close = CFG_CLOSE_ON_PEER_FIN, .response_body_bytes = 2,
	  .head_timeout_ms = HEAD_TO_MS, .idle_timeout_ms = 400 },
	{ .port = PORT_HTTP_HEAD_READ_DELAY, .app = CFG_APP_HTTP,
	  .close = CFG_CLOSE_AFTER_RESPONSE, .response_body_bytes = 2,
	  .head_timeout_ms = HEAD_TO_MS, .read_delay_ms = 300 },
	{ .port = PORT_HTTP_HEAD_LARGE, .app = CFG_APP_HTTP,
	  .close = CFG_CLOSE_ON_PEER_FIN, .response_body_bytes = LARGE_BODY,
	  .head_timeout_ms = HEAD_TO_MS },
	{ .port = PORT_HTTP_HEAD_AFTER, .app = CFG_APP_HTTP,
	  .close = CFG_CLOSE_AFTER_RESPONSE, .response_body_bytes = 2,
	  .head_timeout_ms = HEAD_TO_MS },
	{ .port = PORT_DISCARD_READ_IDLE, .app = CFG_APP_DISCARD,
	  .close = CFG_CLOSE_ON_PEER_FIN, .read_delay_ms = 300,
	  .idle_timeout_ms = 100 },
	{ .port = PORT_ECHO_READ_IDLE, .app = CFG_APP_ECHO,
	  .close = CFG_CLOSE_ON_PEER_FIN, .read_delay_ms = 300,
	  .idle_timeout_ms = 100 },
	{ .port = PORT_HTTP_READ_IDLE, .app = CFG_APP_HTTP,
	  .close = CFG_CLOSE_AFTER_RESPONSE, .response_body_bytes = 2,
	  .read_delay_ms = 300, .idle_timeout_ms = 100 },
	{ .port = PORT_ECHO, .app = CFG_APP_ECHO,
	  .close = CFG_CLOSE_ON_PEER_FIN },
	{ .port = PORT_DISCARD, .app = CFG_APP_DISCARD,
	  .close = CFG_CLOSE_ON_PEER_FIN },
};
/* clang-format on */

/* One connection seen from the peer's side. */
struct peer {
	struct tcp_ctx *c;
	struct cfg *cfg;
	uint64_t now;
	uint16_t port;	  /* server port */
	uint16_t rport;	  /* peer port */
	uint32_t snd_nxt; /* peer's next sequence number */
	uint32_t rcv_nxt; /* next server byte expected */
	uint32_t acked;	  /* rcv_nxt last acknowledged */
	bool synack, fin, rst;
	uint32_t rst_seq, rst_ack; /* the server's last RST */
	uint32_t ack;		   /* last acknowledgement from the server */
	uint32_t wnd;		   /* last window field from the server */
	uint32_t rx_len;
	uint8_t rx[RX_CAP];
};

/* The end-to-end context, with the send deadline given (0: none). */
static int
e2e_open(void **state, uint32_t send_timeout_ms)
{
	/* clang-format off */
	struct tcp_params tp = {
		.msl_ms = 1000, .fin_wait2_timeout_ms = 2000,
		.syn_recv_timeout_ms = 2000, .rto_min_ms = 200,
		.rto_max_ms = 2000, .rto_initial_ms = 1000,
		.delayed_ack_ms = 40, .max_retries = 3,
		.send_timeout_ms = send_timeout_ms, .mss = 1460,
		.wscale = 7, .timestamps = true, .sack = true,
		.rfc1337 = true, .tw_reuse = TCP_TW_REUSE_OFF,
		.challenge_ack_limit = 10, .rcv_wnd = 65535,
		.snd_buf = 65536, .max_connections = 16,
		.max_time_wait = 16,
		.tw_overflow = TCP_TW_OVERFLOW_RECYCLE_OLDEST,
		.max_send_buffers = 16,
	};
	/* clang-format on */
	struct peer *p = calloc(1, sizeof(*p));
	unsigned int i;

	assert_non_null(p);
	p->cfg = calloc(1, sizeof(*p->cfg));
	assert_non_null(p->cfg);
	for (i = 0; i < sizeof(listeners) / sizeof(listeners[0]); i++)
		p->cfg->listeners[i] = listeners[i];
	p->cfg->n_listeners = i;
	p->now = 1000000;
	p->c = tcp_ctx_create(&tp, p->now);
	assert_non_null(p->c);
	assert_int_equal(app_listen_all(p->c, p->cfg), 0);
	*state = p;
	return 0;
}

static int
e2e_setup(void **state)
{
	return e2e_open(state, 60000);
}

/* For what happens without the send deadline. */
static int
e2e_setup_unbounded(void **state)
{
	return e2e_open(state, 0);
}

static int
e2e_teardown(void **state)
{
	struct peer *p = *state;

	tcp_ctx_destroy(p->c);
	free(p->cfg);
	free(p);
	return 0;
}

/* Take the segments the server sent to this peer, in order only. */
static void
peer_drain(struct peer *p)
{
	struct tcp_outq *q = tcp_outq(p->c);
	uint32_t i;

	for (i = 0; i < q->n; i++) {
		const struct tcp_out *o = &q->seg[i];
		const uint8_t *ptr[2];
		uint32_t len[2];
		unsigned int k, n;

		if (o->rport != p->rport || o->lport != p->port)
			continue;
		if (o->flags & NET_TCP_RST) {
			p->rst = true;
			p->rst_seq = o->seq;
			p->rst_ack = o->ack;
			continue;
		}
		if (o->flags & NET_TCP_ACK) {
			p->ack = o->ack;
			p->wnd = o->wnd;
		}
		if (o->flags & NET_TCP_SYN) {
			p->synack = true;
			p->rcv_nxt = o->seq + 1;
			continue;
		}
		if (o->len > 0 && o->seq == p->rcv_nxt) {
			assert_true(p->rx_len + o->len <= RX_CAP);
			n = tcp_out_payload(p->c, o, ptr, len);
			for (k = 0; k < n; k++) {
				memcpy(p->rx + p->rx_len, ptr[k], len[k]);
				p->rx_len += len[k];
			}
			p->rcv_nxt += o->len;
		}
		if ((o->flags & NET_TCP_FIN) && o->seq + o->len == p->rcv_nxt) {
			p->fin = true;
			p->rcv_nxt++;
		}
	}
	q->n = 0;
}

/* The peer's next segment, advertising window wnd. */
static struct net_seg
peer_seg(const struct peer *p, uint8_t flags, const void *data, uint32_t len,
	 uint16_t wnd)
{
	return (struct net_seg){
		.saddr = PEER_ADDR,
		.daddr = LOCAL_ADDR,
		.sport = p->rport,
		.dport = p->port,
		.seq = p->snd_nxt,
		.ack = p->rcv_nxt,
		.wnd = wnd,
		.flags = flags,
		.data = data,
		.len = len,
	};
}

static void
peer_send(struct peer *p, uint8_t flags, const void *data, uint32_t len)
{
	struct net_seg seg = peer_seg(p, flags, data, len, 65535);

	if (flags & NET_TCP_SYN) {
		seg.ack = 0;
		seg.opts.has = NET_OPT_MSS;
		seg.opts.mss = 1460;
	}
	tcp_input(p->c, &seg, p->now);
	p->acked = p->rcv_nxt;
	peer_drain(p);
	p->snd_nxt += len + !!(flags & NET_TCP_SYN) + !!(flags & NET_TCP_FIN);
}

static void
peer_data(struct peer *p, const char *s)
{
	peer_send(p, NET_TCP_ACK | NET_TCP_PSH, s, (uint32_t)strlen(s));
}

/* Let time pass in steps, acknowledging whatever arrives. */
static void
peer_run(struct peer *p, uint32_t ms)
{
	uint32_t t;

	for (t = 0; t < ms; t += 10) {
		p->now += 10000;
		tcp_timers(p->c, p->now, 100000);
		peer_drain(p);
		if (p->rcv_nxt != p->acked && !p->rst)
			peer_send(p, NET_TCP_ACK, NULL, 0);
	}
}

static void
peer_connect(struct peer *p, uint16_t port)
{
	static uint16_t next_rport = 40000;

	p->port = port;
	p->rport = next_rport++;
	p->snd_nxt = PEER_ISN;
	peer_send(p, NET_TCP_SYN, NULL, 0);
	assert_true(p->synack);
	peer_send(p, NET_TCP_ACK, NULL, 0);
	assert_int_equal(tcp_state_gauges(p->c)[TCP_ESTABLISHED], 1);
}

static uint64_t
gauge(const struct peer *p, enum tcp_state s)
{
	return tcp_state_gauges(p->c)[s];
}

/* The expected response, written independently of the application. */
static size_t
expect_response(char *buf, size_t cap, uint32_t body, bool close)
{
	int n = snprintf(buf, cap,
			 "HTTP/1.1 200 OK\r\nServer: tcpterm\r\n"
			 "Content-Length: %u\r\nContent-Type: text/plain\r\n"
			 "Connection: %s\r\n\r\n",
			 body, close ? "close" : "keep-alive");
	uint32_t i;

	assert_true(n > 0 && (size_t)n + body <= cap);
	for (i = 0; i < body; i++)
		buf[n + i] = "OK\n"[i % 3];
	return (size_t)n + body;
}

static void
assert_rx(const struct peer *p, const char *want, size_t len)
{
	assert_int_equal(p->rx_len, len);
	assert_memory_equal(p->rx, want, len);
}

static const char req[] = "GET / HTTP/1.1\r\nHost: t\r\n\r\n";

static void
test_http_after_response(void **state)
{
	struct peer *p = *state;
	char want[256];
	size_t n = expect_response(want, sizeof(want), 2, true);

	peer_connect(p, PORT_HTTP_AFTER);
	peer_data(p, req);
	peer_run(p, 100);
	assert_rx(p, want, n);
	assert_true(memcmp(want + n - 2, "OK", 2) == 0);
	assert_true(p->fin);
	assert_false(p->rst);
	peer_send(p, NET_TCP_ACK | NET_TCP_FIN, NULL, 0);
	peer_run(p, 50);
	assert_int_equal(gauge(p, TCP_TIME_WAIT), 1);
}

static void
test_http_keepalive(void **state)
{
	struct peer *p = *state;
	char want[512];
	size_t n = expect_response(want, sizeof(want), 2, false);

	memcpy(want + n, want, n);
	peer_connect(p, PORT_HTTP_KEEP);
	peer_data(p, req);
	peer_run(p, 100);
	assert_rx(p, want, n);
	peer_data(p, req);
	peer_run(p, 100);
	assert_rx(p, want, 2 * n);
	assert_false(p->fin);
	/* Passive close: CLOSE_WAIT -> LAST_ACK -> CLOSED. */
	peer_send(p, NET_TCP_ACK | NET_TCP_FIN, NULL, 0);
	peer_run(p, 50);
	assert_true(p->fin);
	assert_int_equal(gauge(p, TCP_TIME_WAIT), 0);
	assert_int_equal(gauge(p, TCP_LAST_ACK), 0);
	assert_int_equal(gauge(p, TCP_ESTABLISHED), 0);
}

static void
test_http_pipelined(void **state)
{
	struct peer *p = *state;
	char want[512];
	size_t n = expect_response(want, sizeof(want), 2, false);
	char two[2 * sizeof(req)];

	memcpy(want + n, want, n);
	snprintf(two, sizeof(two), "%s%s", req, req);
	peer_connect(p, PORT_HTTP_KEEP);
	peer_data(p, two);
	peer_run(p, 100);
	assert_rx(p, want, 2 * n);
	assert_false(p->fin);
}

static void
test_http_split_head(void **state)
{
	struct peer *p = *state;
	char want[256];
	size_t n = expect_response(want, sizeof(want), 2, false);

	peer_connect(p, PORT_HTTP_KEEP);
	peer_data(p, "GET / HTTP/1.1\r\nHo");
	peer_data(p, "st: t\r\n\r");
	peer_run(p, 100);
	assert_int_equal(p->rx_len, 0);
	peer_data(p, "\n");
	peer_run(p, 100);
	assert_rx(p, want, n);
}

/* "Connection: close" under on-peer-fin: close after it, drop the rest. */
static void
test_http_connection_close(void **state)
{
	struct peer *p = *state;
	char want[256];
	size_t n = expect_response(want, sizeof(want), 2, true);

	peer_connect(p, PORT_HTTP_KEEP);
	peer_data(p,
		  "GET / HTTP/1.1\r\nHost: t\r\nConnection: Close\r\n\r\n"
		  "GET / HTTP/1.1\r\nHost: t\r\n\r\n");
	peer_run(p, 100);
	assert_rx(p, want, n);
	assert_true(p->fin);
	assert_false(p->rst);
}

static void
test_http_large_body(void **state)
{
	struct peer *p = *state;
	static char want[LARGE_BODY + 256];
	size_t n = expect_response(want, sizeof(want), LARGE_BODY, false);

	peer_connect(p, PORT_HTTP_LARGE);
	peer_data(p, req);
	peer_run(p, 3000);
	assert_rx(p, want, n);
	assert_false(p->fin);
}

/* The header's length for a body of body bytes, in either variant. */
static uint32_t
header_len(uint32_t body, bool close)
{
	static char buf[2 * 70000 + 512];

	return (uint32_t)expect_response(buf, sizeof(buf), body, close) - body;
}

/*
 * The response's start is prepared once per listener: for body sizes
 * around what the prepared bytes hold (none, short, the inline bound and
 * past it, and for each Connection variant the last body that fits the
 * slot with its header and the first that does not, derived from the
 * slot and the header's length), the peer gets exactly the responses
 * written independently here. The listener's body size changes between
 * connections, as a reload would change it: the prepared response must
 * follow.
 */
static void
test_http_prepared_sizes(void **state)
{
	static const uint32_t fixed[] = { 0,   1,    2,	  3,	16,  17,
					  100, 200,  255, 256,	257, 258,
					  300, 1000, 2,	  70000 };
	static struct cfg_listener l = {
		.port = 8081,
		.app = CFG_APP_HTTP,
		.close = CFG_CLOSE_ON_PEER_FIN,
	};
	static char want[2 * 70000 + 512];
	uint32_t sizes[sizeof(fixed) / sizeof(fixed[0]) + 4];
	unsigned int i, n_sizes = 0, v, bounds = 0;
	struct peer *p = *state;
	char two[256];
	uint32_t b;

	for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		sizes[n_sizes++] = fixed[i];
	/* Each variant's last fit (body + header == slot), then one more. */
	for (v = 0; v < 2; v++)
		for (b = 0; b < HTTP_PREP_SLOT; b++)
			if (b + header_len(b, v == 1) == HTTP_PREP_SLOT) {
				sizes[n_sizes++] = b;
				sizes[n_sizes++] = b + 1;
				bounds++;
			}
	assert_int_equal(bounds, 2);
	snprintf(two, sizeof(two), "%s%s", req,
		 "GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
	assert_int_equal(tcp_listen(p->c, l.port, app_ops(l.app), &l), 0);
	for (i = 0; i < n_sizes; i++) {
		size_t n;

		l.response_body_bytes = sizes[i];
		n = expect_response(want, sizeof(want), sizes[i], false);
		n += expect_response(want + n, sizeof(want) - n, sizes[i],
				     true);
		p->rx_len = 0;
		p->synack = p->fin = p->rst = false;
		peer_connect(p, l.port);
		peer_data(p, two);
		peer_run(p, 1000);
		if (p->rx_len != n || memcmp(p->rx, want, n) != 0)
			fail_msg("body %u: %u bytes received, want %zu",
				 sizes[i], p->rx_len, n);
		assert_true(p->fin);
		peer_send(p, NET_TCP_ACK | NET_TCP_FIN, NULL, 0);
		peer_run(p, 50);
	}
}

/*
 * Requests pipelined behind a response that cannot leave (no ACKs): at
 * 256 responses owed the application stops reading and TCP holds the
 * rest. That bound is counted.
 */
static void
test_http_owed_limit(void **state)
{
	struct peer *p = *state;
	uint32_t n = 300, i, len = (uint32_t)strlen(req);
	char *many = malloc(n * len + 1);

	assert_non_null(many);
	for (i = 0; i < n; i++)
		memcpy(many + i * len, req, len);
	many[n * len] = 0;
	peer_connect(p, PORT_HTTP_LARGE);
	peer_data(p, req);
	assert_int_equal(tcp_counters(p->c)->http_owed_limit, 0);
	peer_data(p, many);
	assert_int_equal(tcp_counters(p->c)->http_owed_limit, 1);
	assert_false(p->fin || p->rst);
	/* Input offered again while paused is held back again: counted. */
	peer_data(p, req);
	assert_true(tcp_counters(p->c)->http_owed_limit >= 2);
	assert_false(p->fin || p->rst);
	free(many);
}

/*
 * At 256 responses owed the window closes where it stands: its right
 * edge no longer advances (RFC 9293 3.8.6.2.2: nor moves left), though
 * TCP's receive buffer holds only the requests past the bound.
 */
static void
test_http_owed_limit_window(void **state)
{
	struct peer *p = *state;
	uint32_t n = 300, i, len = (uint32_t)strlen(req), edge0, edge1;
	char *many = malloc(n * len + 1);

	assert_non_null(many);
	for (i = 0; i < n; i++)
		memcpy(many + i * len, req, len);
	many[n * len] = 0;
	peer_connect(p, PORT_HTTP_LARGE);
	peer_data(p, req);
	edge0 = p->ack + p->wnd;
	peer_data(p, many);
	assert_int_equal(tcp_counters(p->c)->http_owed_limit, 1);
	edge1 = p->ack + p->wnd;
	assert_true(net_seq_leq(edge1, edge0));
	free(many);
}

/* Send s in segments of at most 1000 bytes. */
static void
peer_data_split(struct peer *p, const char *s)
{
	uint32_t len = (uint32_t)strlen(s), at, n;

	for (at = 0; at < len; at += n) {
		n = len - at < 1000 ? len - at : 1000;
		peer_send(p, NET_TCP_ACK | NET_TCP_PSH, s + at, n);
	}
}

/*
 * At 256 responses owed, but the last request known (Connection: close:
 * the input after it is discarded), the window stays open: what the peer
 * sends next is taken and the window's right edge moves on with it. The
 * peer sends more than an MSS: a move of less than a step is held back
 * (receiver SWS avoidance, RFC 1122 4.2.3.3), however the input went.
 */
static void
test_http_owed_limit_draining(void **state)
{
	static const char last[] =
		"GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n";
	struct peer *p = *state;
	uint32_t n = 255, i, len = (uint32_t)strlen(req), edge0, edge1;
	char *many = malloc(n * len + sizeof(last));
	char junk[2000];

	assert_non_null(many);
	for (i = 0; i < n; i++)
		memcpy(many + i * len, req, len);
	memcpy(many + n * len, last, sizeof(last));
	memset(junk, 'x', sizeof(junk) - 1);
	junk[sizeof(junk) - 1] = 0;
	peer_connect(p, PORT_HTTP_LARGE);
	peer_data(p, many);
	edge0 = p->ack + p->wnd;
	peer_data_split(p, junk);
	edge1 = p->ack + p->wnd;
	assert_int_equal(p->ack, p->snd_nxt);
	assert_true(net_seq_gt(edge1, edge0));
	assert_int_equal(tcp_counters(p->c)->http_owed_limit, 0);
	assert_false(p->rst);
	free(many);
}

#define HEAD_MAX 8192u

/*
 * A request head of len bytes (at least 32): a request line, one long
 * header line and the empty line.
 */
static char *
long_head(uint32_t len, bool complete)
{
	static const char line[] = "GET / HTTP/1.1\r\nHost: t\r\nX-Long: ";
	char *h = malloc(len + 1);
	uint32_t k = (uint32_t)strlen(line);

	assert_non_null(h);
	memcpy(h, line, k);
	memset(h + k, 'a', len - k);
	if (complete)
		memcpy(h + len - 4, "\r\n\r\n", 4);
	h[len] = 0;
	return h;
}

static const char resp431[] =
	"HTTP/1.1 431 Request Header Fields Too Large\r\n"
	"Server: tcpterm\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";

/*
 * An endless header line: once the unfinished head passes 8 KiB the
 * server answers 431 and closes, counting it, instead of scanning on.
 */
static void
test_http_head_too_long(void **state)
{
	struct peer *p = *state;
	char *h = long_head(HEAD_MAX + 1, false);

	peer_connect(p, PORT_HTTP_KEEP);
	peer_data_split(p, h);
	peer_run(p, 100);
	assert_rx(p, resp431, strlen(resp431));
	assert_true(p->fin);
	assert_int_equal(tcp_counters(p->c)->http_head_too_long, 1);
	free(h);
}

/*
 * The bound is on the head's bytes, wherever the segments split it: a
 * head of exactly 8 KiB is answered 200 (after a short one), one of
 * 8 KiB + 1 whole in one segment 431, after the 200 owed before it.
 */
static void
test_http_head_bound(void **state)
{
	struct peer *p = *state;
	char want[1024];
	size_t n = expect_response(want, sizeof(want), 2, false);
	char *ok = long_head(HEAD_MAX, true);
	char *big = long_head(HEAD_MAX + 1, true);
	char *two = malloc(strlen(req) + HEAD_MAX + 2);

	assert_non_null(two);
	memcpy(want + n, want, n);
	peer_connect(p, PORT_HTTP_KEEP);
	peer_data(p, req);
	peer_data_split(p, ok);
	peer_run(p, 100);
	assert_rx(p, want, 2 * n);
	assert_false(p->fin);
	assert_int_equal(tcp_counters(p->c)->http_head_too_long, 0);
	/* A good head and a long one in one piece: 200, then 431. */
	sprintf(two, "%s%s", req, big);
	peer_send(p, NET_TCP_ACK | NET_TCP_PSH, two, (uint32_t)strlen(two));
	peer_run(p, 100);
	memcpy(want + 2 * n, want, n);
	memcpy(want + 3 * n, resp431, strlen(resp431));
	assert_rx(p, want, 3 * n + strlen(resp431));
	assert_true(p->fin);
	assert_int_equal(tcp_counters(p->c)->http_head_too_long, 1);
	free(two);
	free(big);
	free(ok);
}

/* ---- request bodies (RFC 9112 6.3) ---- */

static const char resp400[] =
	"HTTP/1.1 400 Bad Request\r\n"
	"Server: tcpterm\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
static const char resp501[] =
	"HTTP/1.1 501 Not Implemented\r\n"
	"Server: tcpterm\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";

/* Expect n keep-alive 200s of the keep-alive listener, nothing else. */
static void
assert_rx_200s(const struct peer *p, unsigned int n)
{
	char one[256], *want;
	size_t k = expect_response(one, sizeof(one), 2, false);
	unsigned int i;

	want = malloc(k * n + 1);
	assert_non_null(want);
	for (i = 0; i < n; i++)
		memcpy(want + i * k, one, k);
	assert_rx(p, want, k * n);
	free(want);
}

/*
 * Small requests pipelined past the bound in one segment: scanning
 * stops at 256 owed (counted once) while their responses, small, are
 * all queued at once. No response left owed, no ACK to wait for: the
 * requests TCP holds are read on at once, all 300 answered in order,
 * the next head's deadline not run out by them.
 */
static void
test_http_owed_limit_small(void **state)
{
	struct peer *p = *state;
	uint32_t n = 300, i, len = (uint32_t)strlen(req);
	char *many = malloc(n * len + 1);

	assert_non_null(many);
	for (i = 0; i < n; i++)
		memcpy(many + i * len, req, len);
	many[n * len] = 0;
	peer_connect(p, PORT_HTTP_HEAD_TO);
	peer_data(p, many);
	assert_int_equal(tcp_counters(p->c)->http_owed_limit, 1);
	peer_run(p, HEAD_TO_MS / 2);
	assert_rx_200s(p, n);
	assert_false(p->fin || p->rst);
	assert_int_equal(tcp_counters(p->c)->http_head_timeout, 0);
	free(many);
}

/* Forget the last connection's exchange, for a new one. */
static void
peer_reset(struct peer *p)
{
	p->synack = p->fin = p->rst = false;
	p->rx_len = 0;
}

/* A body holding CR LF CR LF is skipped, not taken for a head. */
static void
test_http_body_crlfcrlf(void **state)
{
	struct peer *p = *state;

	peer_connect(p, PORT_HTTP_KEEP);
	peer_data(p,
		  "POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 8\r\n"
		  "\r\n\r\n\r\nGET \r\n");
	peer_run(p, 100);
	assert_rx_200s(p, 1);
	assert_false(p->fin);
	/* The next request is answered as usual. */
	peer_data(p, req);
	peer_run(p, 100);
	assert_rx_200s(p, 2);
}

/*
 * A body of 9000 bytes does not count toward the head's 8 KiB bound:
 * it and the GET pipelined after it draw two 200s.
 */
static void
test_http_body_large_pipelined(void **state)
{
	static const char head[] = "POST /up HTTP/1.1\r\nHost: t\r\n"
				   "content-length:  9000 \r\n\r\n";
	struct peer *p = *state;
	size_t hl = strlen(head), rl = strlen(req);
	char *m = malloc(hl + 9000 + rl + 1);

	assert_non_null(m);
	memcpy(m, head, hl);
	memset(m + hl, 'b', 9000);
	memcpy(m + hl + 9000, req, rl + 1);
	peer_connect(p, PORT_HTTP_KEEP);
	peer_data_split(p, m);
	peer_run(p, 100);
	assert_rx_200s(p, 2);
	assert_false(p->fin);
	assert_int_equal(tcp_counters(p->c)->http_head_too_long, 0);
	assert_int_equal(tcp_counters(p->c)->http_bad_request, 0);
	free(m);
}

/*
 * A POST with a 5-byte body and a GET, cut in two at every point: two
 * 200s each time, whichever segment holds the body's edges.
 */
static void
test_http_body_splits(void **state)
{
	static const char m[] =
		"POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\n"
		"\r\n\r\n\n"
		"GET / HTTP/1.1\r\nHost: t\r\n\r\n";
	struct peer *p = *state;
	uint32_t len = (uint32_t)strlen(m), k;

	peer_connect(p, PORT_HTTP_KEEP);
	for (k = 1; k < len; k++) {
		peer_send(p, NET_TCP_ACK | NET_TCP_PSH, m, k);
		peer_send(p, NET_TCP_ACK | NET_TCP_PSH, m + k, len - k);
		peer_run(p, 20);
		assert_rx_200s(p, 2 * k);
	}
	/* And a byte at a time. */
	for (k = 0; k < len; k++)
		peer_send(p, NET_TCP_ACK | NET_TCP_PSH, m + k, 1);
	peer_run(p, 20);
	assert_rx_200s(p, 2 * len);
	assert_false(p->fin);
}

/* Content-Length 0: no body, the next head follows at once. */
static void
test_http_body_zero(void **state)
{
	struct peer *p = *state;

	peer_connect(p, PORT_HTTP_KEEP);
	peer_data(p,
		  "POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n"
		  "GET / HTTP/1.1\r\nHost: t\r\n\r\n");
	peer_run(p, 100);
	assert_rx_200s(p, 2);
	assert_false(p->fin);
}

/*
 * bytes (a valid request first) on a fresh keep-alive connection: the
 * 200, then a 400 and the FIN, and http_bad_request at bad_total.
 */
static void
assert_200_then_400(struct peer *p, const char *bytes, uint64_t bad_total)
{
	char want[512];
	size_t n = expect_response(want, sizeof(want), 2, false);

	memcpy(want + n, resp400, sizeof(resp400));
	peer_reset(p);
	peer_connect(p, PORT_HTTP_KEEP);
	peer_data(p, bytes);
	peer_run(p, 100);
	assert_rx(p, want, n + strlen(resp400));
	assert_true(p->fin);
	assert_int_equal(tcp_counters(p->c)->http_bad_request, bad_total);
}

/*
 * Each of bad[0..n), between two valid requests, on a fresh keep-alive
 * connection: the 200 owed first, then a 400 and the FIN, each counted.
 */
static void
assert_each_400(struct peer *p, const char *const *bad, unsigned int n)
{
	char buf[512];
	unsigned int i;

	for (i = 0; i < n; i++) {
		snprintf(buf, sizeof(buf), "%s%s%s", req, bad[i], req);
		assert_200_then_400(p, buf, i + 1);
	}
}

/*
 * An invalid Content-Length (RFC 9112 6.3 (5)) is answered 400 and the
 * connection closed, after the response owed before it; counted.
 */
static void
test_http_body_bad_length(void **state)
{
	static const char *const bad[] = {
		"Content-Length: abc\r\n",
		"Content-Length: -1\r\n",
		"Content-Length: 1x\r\n",
		"Content-Length:\r\n",
		"Content-Length: 1 2\r\n",
		"Content-Length: 9223372036854775808\r\n",
		"Content-Length: 99999999999999999999999\r\n",
		"Content-Length: 5\r\nContent-Length: 6\r\n",
		"Content-Length: 5, 5\r\n",
	};
	struct peer *p = *state;
	char buf[512];
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(buf, sizeof(buf),
			 "%sPOST / HTTP/1.1\r\nHost: t\r\n%s\r\nab%s", req,
			 bad[i], req);
		assert_200_then_400(p, buf, i + 1);
	}
	/* The largest valid value is taken. */
	peer_reset(p);
	peer_connect(p, PORT_HTTP_KEEP);
	peer_data(p,
		  "POST / HTTP/1.1\r\nHost: t\r\n"
		  "Content-Length: 9223372036854775807\r\n\r\nab");
	peer_run(p, 100);
	assert_rx_200s(p, 1);
	assert_int_equal(tcp_counters(p->c)->http_bad_request, i);
}

/* Transfer-Encoding cannot be framed here: 501 and close, counted. */
static void
test_http_body_chunked(void **state)
{
	struct peer *p = *state;

	peer_connect(p, PORT_HTTP_KEEP);
	peer_data(
		p,
		"POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
		"5\r\nhello\r\n0\r\n\r\n");
	peer_run(p, 100);
	assert_rx(p, resp501, strlen(resp501));
	assert_true(p->fin);
	assert_int_equal(tcp_counters(p->c)->http_bad_request, 1);
}

/* ---- invalid heads (RFC 9112 2.2, 3, 5) ---- */

/*
 * Each malformed head, after a valid request, is answered 400 after the
 * 200 owed before it; the connection closes; each is counted.
 */
static void
test_http_bad_head(void **state)
{
	static const char *const bad[] = {
		"GET / HTTP/1.1\r\nHost : t\r\n\r\n",
		"GET / HTTP/1.1\r\nHost\t: t\r\n\r\n",
		"GET / HTTP/1.1\r\nHost: t\r\nConnection : close\r\n\r\n",
		"GET / HTTP/1.1\r\nHost: t\r\n folded\r\n\r\n",
		"GET / HTTP/1.1\r\nHost t\r\n\r\n",
		"GET / HTTP/1.1\r\nHost: t\r\nX(y): t\r\n\r\n",
		"GET  / HTTP/1.1\r\nHost: t\r\n\r\n",
		"GET / HTTP/1.1 extra\r\n\r\n",
		"GET /\r\n\r\n",
		"GET / HTTP/1.1\r\nHost: t\rX: y\r\n\r\n",
		"GET / HTTP/1.1\nHost: t\n\n",
	};
	struct peer *p = *state;

	assert_each_400(p, bad, sizeof(bad) / sizeof(bad[0]));
}

/*
 * RFC 9112 5.1: "Content-Length : 27" is no Content-Length. Taken as an
 * unknown field, the body would be read as a second request (smuggled
 * past a proxy that framed it): it is a 400 instead, the body unread.
 */
static void
test_http_bad_head_smuggle(void **state)
{
	struct peer *p = *state;

	peer_connect(p, PORT_HTTP_KEEP);
	peer_data(p,
		  "POST / HTTP/1.1\r\nHost: t\r\nContent-Length : 27\r\n\r\n"
		  "GET / HTTP/1.1\r\nHost: t\r\n\r\n");
	peer_run(p, 100);
	assert_rx(p, resp400, strlen(resp400));
	assert_true(p->fin);
	assert_int_equal(tcp_counters(p->c)->http_bad_request, 1);
	assert_int_equal(tcp_counters(p->c)->http_head_too_long, 0);
}

/* RFC 9110 15.6.6: the 505 says which versions are served. */
static const char resp505[] = "HTTP/1.1 505 HTTP Version Not Supported\r\n"
			      "Server: tcpterm\r\nContent-Type: text/plain\r\n"
			      "Content-Length: 38\r\nConnection: close\r\n\r\n"
			      "tcpterm serves HTTP/1.0 and HTTP/1.1.\n";

/* An invalid request after a valid one, and what answers it. */
struct bad_split {
	const char *m;
	uint32_t len;	  /* bytes of m (it may hold a NUL) */
	const char *resp; /* resp400 or resp505 */
};

#define BAD_SPLIT(m, resp) \
	{ \
		m, (uint32_t)sizeof(m) - 1, resp \
	}

/*
 * m in two segments cut at every point, and a byte at a time: the 200,
 * then the rejection and the FIN each time, counted once each (400s in
 * http_bad_request, 505s in http_version_unsupported).
 */
static void
bad_head_splits(struct peer *p, const struct bad_split *b)
{
	const uint64_t *cnt = b->resp == resp505 ?
		&tcp_counters(p->c)->http_version_unsupported :
		&tcp_counters(p->c)->http_bad_request;
	uint64_t c0 = *cnt;
	uint32_t len = b->len, k;
	char want[512];
	size_t n = expect_response(want, sizeof(want), 2, false);

	memcpy(want + n, b->resp, strlen(b->resp) + 1);
	for (k = 1; k <= len; k++) {
		peer_reset(p);
		peer_connect(p, PORT_HTTP_KEEP);
		if (k == len) {
			uint32_t i;

			for (i = 0; i < len; i++)
				peer_send(p, NET_TCP_ACK | NET_TCP_PSH,
					  b->m + i, 1);
		} else {
			peer_send(p, NET_TCP_ACK | NET_TCP_PSH, b->m, k);
			peer_send(p, NET_TCP_ACK | NET_TCP_PSH, b->m + k,
				  len - k);
		}
		peer_run(p, 20);
		assert_rx(p, want, n + strlen(b->resp));
		assert_true(p->fin);
		assert_int_equal(*cnt, c0 + k);
		/* The peer closes too: the slot is free for the next. */
		peer_send(p, NET_TCP_ACK | NET_TCP_FIN, NULL, 0);
		peer_run(p, 20);
	}
}

/*
 * After a valid request: "Host : t" (RFC 9112 5.1), no Host, two Host
 * fields, an invalid Host value (RFC 9112 3.2, RFC 9110 7.2), a NUL in
 * a value (RFC 9110 5.5) and HTTP/2.0 (RFC 9110 2.5), each cut at every
 * point.
 */
static void
test_http_bad_head_splits(void **state)
{
	static const struct bad_split bad[] = {
		BAD_SPLIT("GET / HTTP/1.1\r\nHost: t\r\n\r\n"
			  "GET / HTTP/1.1\r\nHost : t\r\n\r\n",
			  resp400),
		BAD_SPLIT("GET / HTTP/1.1\r\nHost: t\r\n\r\n"
			  "GET / HTTP/1.1\r\nX: y\r\n\r\n",
			  resp400),
		BAD_SPLIT("GET / HTTP/1.1\r\nHost: t\r\n\r\n"
			  "GET / HTTP/1.1\r\nHost: t\r\nhost: t\r\n\r\n",
			  resp400),
		BAD_SPLIT("GET / HTTP/1.1\r\nHost: t\r\n\r\n"
			  "GET / HTTP/1.1\r\nHost: a@t\r\n\r\n",
			  resp400),
		BAD_SPLIT("GET / HTTP/1.1\r\nHost: t\r\n\r\n"
			  "GET / HTTP/1.1\r\nHost: t\r\nX: a\0b\r\n\r\n",
			  resp400),
		BAD_SPLIT("GET / HTTP/1.1\r\nHost: t\r\n\r\n"
			  "GET / HTTP/2.0\r\nHost: t\r\n\r\n",
			  resp505),
	};
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		bad_head_splits(*state, &bad[i]);
}

/*
 * RFC 9112 3.2: HTTP/1.0 needs no Host (served, then closed as 1.0
 * asks); an empty Host is valid (a target without authority), and the
 * field name is case-insensitive.
 */
static void
test_http_host_optional(void **state)
{
	static const char *const ok[] = {
		"GET / HTTP/1.0\r\n\r\n",
		"GET / HTTP/1.1\r\nHost:\r\nConnection: close\r\n\r\n",
		"GET / HTTP/1.1\r\nhost: [2001:db8::1]:80\r\n"
		"Connection: close\r\n\r\n",
		"GET / HTTP/1.1\r\nHOST: t\r\nConnection: close\r\n\r\n",
	};
	struct peer *p = *state;
	char want[512];
	size_t n = expect_response(want, sizeof(want), 2, true);
	unsigned int i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		peer_reset(p);
		peer_connect(p, PORT_HTTP_KEEP);
		peer_data(p, ok[i]);
		peer_run(p, 100);
		assert_rx(p, want, n);
		assert_true(p->fin);
		peer_send(p, NET_TCP_ACK | NET_TCP_FIN, NULL, 0);
		peer_run(p, 20);
	}
	assert_int_equal(tcp_counters(p->c)->http_bad_request, 0);
}

/*
 * RFC 9112 3.2, RFC 9110 7.2 and 5.5: an HTTP/1.1 request without Host,
 * with two, or with an invalid Host value, and a CTL in a field value:
 * each, after a valid request, answered 400 after the 200 owed; closed;
 * counted. HTTP/1.x above 1.1 is served as 1.1, Host included.
 */
static void
test_http_bad_host(void **state)
{
	static const char *const bad[] = {
		"GET / HTTP/1.1\r\n\r\n",
		"GET / HTTP/1.1\r\nX: y\r\n\r\n",
		"GET / HTTP/1.2\r\n\r\n",
		"GET / HTTP/1.1\r\nHost: t\r\nHost: t\r\n\r\n",
		"GET / HTTP/1.1\r\nHOST: t\r\nX: y\r\nhost: u\r\n\r\n",
		"GET / HTTP/1.1\r\nHost: a b\r\n\r\n",
		"GET / HTTP/1.1\r\nHost: a,b\r\n\r\n",
		"GET / HTTP/1.1\r\nHost: a/b\r\n\r\n",
		"GET / HTTP/1.1\r\nHost: u@a\r\n\r\n",
		"GET / HTTP/1.1\r\nHost: a:80x\r\n\r\n",
		"GET / HTTP/1.1\r\nHost: :80\r\n\r\n",
		"GET / HTTP/1.1\r\nHost: [::1\r\n\r\n",
		"GET / HTTP/1.1\r\nHost: t\r\nX: \x01\r\n\r\n",
		"GET / HTTP/1.1\r\nHost: t\r\nX: a\x7f\r\n\r\n",
	};
	struct peer *p = *state;

	assert_each_400(p, bad, sizeof(bad) / sizeof(bad[0]));
	peer_reset(p);
	peer_connect(p, PORT_HTTP_KEEP);
	peer_data(p, "GET / HTTP/1.2\r\nHost: t\r\n\r\n");
	peer_run(p, 100);
	assert_rx_200s(p, 1);
	assert_false(p->fin);
}

/*
 * RFC 9112 3.2: the Host of a request does not carry over to the next
 * one on the connection, nor does a body (RFC 9112 6.3) that reads as a
 * Host line: a pipelined HTTP/1.1 request without its own Host is
 * answered 400 after the 200 owed.
 */
static void
test_http_host_per_request(void **state)
{
	static const char bytes[] =
		"POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 9\r\n\r\n"
		"Host: t\r\n"
		"GET / HTTP/1.1\r\n\r\n";

	assert_200_then_400(*state, bytes, 1);
}

/*
 * RFC 9110 2.5, 15.6.6: a request of another major version (HTTP/2.0,
 * HTTP/0.9, HTTP/3.0), after a valid one, is answered 505 after the 200
 * owed; the connection closes; counted apart from the 400s.
 */
static void
test_http_version_505(void **state)
{
	static const char *const other[] = {
		"GET / HTTP/2.0\r\n\r\n",
		"GET / HTTP/0.9\r\nHost: t\r\n\r\n",
		"PRI * HTTP/3.0\r\nHost: t\r\n\r\n",
	};
	struct peer *p = *state;
	char want[512], buf[512];
	size_t n = expect_response(want, sizeof(want), 2, false);
	unsigned int i;

	memcpy(want + n, resp505, sizeof(resp505));
	for (i = 0; i < sizeof(other) / sizeof(other[0]); i++) {
		snprintf(buf, sizeof(buf), "%s%s%s", req, other[i], req);
		peer_reset(p);
		peer_connect(p, PORT_HTTP_KEEP);
		peer_data(p, buf);
		peer_run(p, 100);
		assert_rx(p, want, n + strlen(resp505));
		assert_true(p->fin);
		assert_int_equal(tcp_counters(p->c)->http_version_unsupported,
				 i + 1);
		peer_send(p, NET_TCP_ACK | NET_TCP_FIN, NULL, 0);
		peer_run(p, 20);
	}
	assert_int_equal(tcp_counters(p->c)->http_bad_request, 0);
}

/* The expected response to a HEAD: the header alone, as for a GET. */
static size_t
expect_head(char *buf, size_t cap, uint32_t body, bool close)
{
	return expect_response(buf, cap, body, close) - body;
}

static const char head_req[] = "HEAD / HTTP/1.1\r\nHost: t\r\n\r\n";

/*
 * RFC 9110 9.3.2: a HEAD gets the header a GET gets (the same
 * Content-Length) and no content; the connection stays usable, the
 * next GET gets the whole response.
 */
static void
test_http_head(void **state)
{
	struct peer *p = *state;
	char want[512];
	size_t h = expect_head(want, sizeof(want), 2, false);
	size_t n = h + expect_response(want + h, sizeof(want) - h, 2, false);

	peer_connect(p, PORT_HTTP_KEEP);
	peer_data(p, head_req);
	peer_run(p, 100);
	assert_rx(p, want, h);
	peer_data(p, req);
	peer_run(p, 100);
	assert_rx(p, want, n);
	assert_false(p->fin || p->rst);
	assert_int_equal(tcp_counters(p->c)->http_head_wait, 0);
}

/*
 * A HEAD pipelined with GETs, before, after or both, with a body
 * (skipped, after the HEAD's response is queued), in one segment and
 * split in two at every byte: every response exact and in order, only
 * the HEAD's without content.
 */
static void
test_http_head_pipelined_splits(void **state)
{
	static const char *const cases[] = {
		"HEAD / HTTP/1.1\r\nHost: t\r\n\r\n"
		"GET / HTTP/1.1\r\nHost: t\r\n\r\n",
		"GET / HTTP/1.1\r\nHost: t\r\n\r\n"
		"HEAD / HTTP/1.1\r\nHost: t\r\n\r\n",
		"GET / HTTP/1.1\r\nHost: t\r\n\r\n"
		"HEAD / HTTP/1.1\r\nHost: t\r\n\r\n"
		"GET / HTTP/1.1\r\nHost: t\r\n\r\n",
		"HEAD / HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\n"
		"HEAD "
		"GET / HTTP/1.1\r\nHost: t\r\n\r\n",
		"HEAD / HTTP/1.1\r\nHost: t\r\n\r\n"
		"HEAD / HTTP/1.1\r\nHost: t\r\n\r\n",
	};
	/* Which responses are to a HEAD, in order, 0-terminated. */
	static const char *const kinds[] = { "HG", "GH", "GHG", "HG", "HH" };
	struct peer *p = *state;
	char want[1024];
	unsigned int i, k;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *in = cases[i];
		uint32_t len = (uint32_t)strlen(in), cut;
		size_t n = 0;

		for (k = 0; kinds[i][k] != 0; k++)
			n += kinds[i][k] == 'H' ?
				expect_head(want + n, sizeof(want) - n, 2,
					    false) :
				expect_response(want + n, sizeof(want) - n, 2,
						false);
		for (cut = 0; cut < len; cut++) {
			peer_reset(p);
			peer_connect(p, PORT_HTTP_KEEP);
			if (cut > 0)
				peer_send(p, NET_TCP_ACK, in, cut);
			peer_send(p, NET_TCP_ACK | NET_TCP_PSH, in + cut,
				  len - cut);
			peer_run(p, 50);
			if (p->rx_len != n || memcmp(p->rx, want, n) != 0)
				fail_msg("case %u cut %u: %u bytes received, "
					 "want %zu",
					 i, cut, p->rx_len, n);
			assert_false(p->fin || p->rst);
			peer_send(p, NET_TCP_ACK | NET_TCP_FIN, NULL, 0);
			peer_run(p, 20);
			assert_int_equal(gauge(p, TCP_ESTABLISHED), 0);
		}
	}
}

/*
 * More HEADs pipelined than responses may be owed (256), then a GET:
 * with room in the send buffer each HEAD's response is queued at once
 * and reading never stops; nothing is held back.
 */
static void
test_http_head_many(void **state)
{
	struct peer *p = *state;
	uint32_t n = 300, i, len = (uint32_t)strlen(head_req);
	char *many = malloc(n * len + sizeof(req));
	char *want = malloc((n + 1) * 256);
	size_t h = expect_head(want, 256, 2, false), w;

	assert_non_null(many);
	assert_non_null(want);
	for (i = 0; i < n; i++)
		memcpy(many + i * len, head_req, len);
	for (i = 1; i < n; i++)
		memcpy(want + i * h, want, h);
	memcpy(many + n * len, req, sizeof(req));
	w = n * h + expect_response(want + n * h, 256, 2, false);
	peer_connect(p, PORT_HTTP_KEEP);
	peer_data(p, many);
	peer_run(p, 200);
	assert_rx(p, want, w);
	assert_false(p->fin || p->rst);
	assert_int_equal(tcp_counters(p->c)->http_owed_limit, 0);
	assert_int_equal(tcp_counters(p->c)->http_head_wait, 0);
	free(many);
	free(want);
}

/*
 * One HEAD's response owed at most: behind a response that cannot
 * leave yet (a large body, a small send buffer), reading stops after
 * the HEAD's head and TCP holds what follows (counter http_head_wait)
 * until the HEAD's response is queued. 20 HEADs and a GET behind a
 * large response: every response exact and in order.
 */
static void
test_http_head_wait(void **state)
{
	struct peer *p = *state;
	uint32_t n = 20, i, len = (uint32_t)strlen(head_req);
	char *in = malloc(sizeof(req) + n * len + sizeof(req));
	static char want[2 * LARGE_BODY + 21 * 256];
	size_t w, h;

	assert_non_null(in);
	memcpy(in, req, sizeof(req) - 1);
	for (i = 0; i < n; i++)
		memcpy(in + sizeof(req) - 1 + i * len, head_req, len);
	memcpy(in + sizeof(req) - 1 + n * len, req, sizeof(req));
	w = expect_response(want, sizeof(want), LARGE_BODY, false);
	h = expect_head(want + w, sizeof(want) - w, LARGE_BODY, false);
	for (i = 1; i < n; i++)
		memcpy(want + w + i * h, want + w, h);
	w += n * h;
	w += expect_response(want + w, sizeof(want) - w, LARGE_BODY, false);
	peer_connect(p, PORT_HTTP_LARGE);
	peer_data(p, in);
	assert_true(tcp_counters(p->c)->http_head_wait >= 1);
	peer_run(p, 3000);
	assert_rx(p, want, w);
	assert_false(p->fin || p->rst);
	assert_int_equal(tcp_counters(p->c)->http_owed_limit, 0);
	free(in);
}

/*
 * A HEAD ending the connection (Connection: close, HTTP/1.0 without
 * keep-alive, the after-response policy): its header says close, no
 * content follows, the FIN does; what follows it is not answered.
 */
static void
test_http_head_close(void **state)
{
	static const struct {
		uint16_t port;
		const char *in;
	} cases[] = {
		{ PORT_HTTP_KEEP,
		  "HEAD / HTTP/1.1\r\nHost: t\r\n"
		  "Connection: close\r\n\r\n"
		  "GET / HTTP/1.1\r\nHost: t\r\n\r\n" },
		{ PORT_HTTP_KEEP,
		  "HEAD / HTTP/1.0\r\n\r\n"
		  "GET / HTTP/1.1\r\nHost: t\r\n\r\n" },
		{ PORT_HTTP_KEEP, "HEAD / HTTP/1.0\r\nHost: t\r\n\r\n" },
		{ PORT_HTTP_AFTER,
		  "HEAD / HTTP/1.1\r\nHost: t\r\n\r\n"
		  "GET / HTTP/1.1\r\nHost: t\r\n\r\n" },
	};
	struct peer *p = *state;
	char want[256];
	size_t n = expect_head(want, sizeof(want), 2, true);
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		peer_reset(p);
		peer_connect(p, cases[i].port);
		peer_data(p, cases[i].in);
		peer_run(p, 100);
		if (p->rx_len != n || memcmp(p->rx, want, n) != 0)
			fail_msg("case %u: %u bytes received, want %zu", i,
				 p->rx_len, n);
		assert_true(p->fin);
		assert_false(p->rst);
		peer_send(p, NET_TCP_ACK | NET_TCP_FIN, NULL, 0);
		peer_run(p, 50);
	}
}

/*
 * RFC 9110 9.1: the method token is case-sensitive; "head", "Head",
 * "HEA", "HEADS" are other methods, answered like any (a GET's whole
 * response).
 */
static void
test_http_head_not_head(void **state)
{
	static const char *const methods[] = { "head", "Head", "HEA", "HEADS",
					       "XHEAD" };
	struct peer *p = *state;
	char want[512], in[128];
	size_t n = expect_response(want, sizeof(want), 2, false);
	unsigned int i;

	memcpy(want + n, want, n);
	for (i = 0; i < sizeof(methods) / sizeof(methods[0]); i++) {
		/* Both through the fast path and, split, the byte loop. */
		snprintf(in, sizeof(in), "%s / HTTP/1.1\r\nHost: t\r\n\r\n",
			 methods[i]);
		peer_reset(p);
		peer_connect(p, PORT_HTTP_KEEP);
		peer_data(p, in);
		peer_send(p, NET_TCP_ACK, in, 2);
		peer_data(p, in + 2);
		peer_run(p, 100);
		if (p->rx_len != 2 * n || memcmp(p->rx, want, 2 * n) != 0)
			fail_msg("%s: %u bytes received, want %zu", methods[i],
				 p->rx_len, 2 * n);
		peer_send(p, NET_TCP_ACK | NET_TCP_FIN, NULL, 0);
		peer_run(p, 50);
	}
}

/* A HEAD answered 505: the 505's header without its content. */
static void
test_http_head_505(void **state)
{
	struct peer *p = *state;
	size_t n = strlen(resp505) - 38;

	peer_connect(p, PORT_HTTP_KEEP);
	peer_data(p, "HEAD / HTTP/2.0\r\n\r\n");
	peer_run(p, 100);
	assert_rx(p, resp505, n);
	assert_true(p->fin);
	assert_int_equal(tcp_counters(p->c)->http_version_unsupported, 1);
}

/*
 * A context of its own for p with listener l alone and a send buffer of
 * snd_buf bytes, the peer's view reset (the caller destroys it).
 */
static void
small_buf_ctx(struct peer *p, const struct cfg_listener *l, uint32_t snd_buf)
{
	struct tcp_params tp = {
		.msl_ms = 1000,
		.fin_wait2_timeout_ms = 2000,
		.syn_recv_timeout_ms = 2000,
		.rto_min_ms = 200,
		.rto_max_ms = 2000,
		.rto_initial_ms = 1000,
		.delayed_ack_ms = 40,
		.max_retries = 3,
		.send_timeout_ms = 60000,
		.mss = 1460,
		.rcv_wnd = 65535,
		.snd_buf = snd_buf,
		.max_connections = 4,
		.max_time_wait = 4,
		.max_send_buffers = 4,
	};

	p->c = tcp_ctx_create(&tp, p->now);
	assert_non_null(p->c);
	assert_int_equal(tcp_listen(p->c, l->port, app_ops(l->app), l), 0);
	p->rx_len = 0;
	p->synack = p->fin = p->rst = false;
}

/*
 * A send buffer too small for the responses: they go out in pieces as
 * ACKs free space, the buffer filling at every offset of the header,
 * of the body sent with it and of the body's rest. The peer still gets
 * each response whole and in order.
 */
static void
test_http_send_buffer_splits(void **state)
{
	static const struct cfg_listener l = {
		.port = 8080,
		.app = CFG_APP_HTTP,
		.close = CFG_CLOSE_ON_PEER_FIN,
		.response_body_bytes = 300,
	};
	struct peer *p = *state;
	struct tcp_ctx *orig = p->c;
	char want[3 * 512], three[3 * sizeof(req)];
	size_t n = expect_response(want, sizeof(want), 300, false);
	uint32_t snd_buf;

	memcpy(want + n, want, n);
	memcpy(want + 2 * n, want, n);
	snprintf(three, sizeof(three), "%s%s%s", req, req, req);
	for (snd_buf = 40; snd_buf <= 480; snd_buf += 7) {
		small_buf_ctx(p, &l, snd_buf);
		peer_connect(p, l.port);
		peer_data(p, three);
		peer_run(p, 2000);
		if (p->rx_len != 3 * n || memcmp(p->rx, want, 3 * n) != 0)
			fail_msg("snd_buf %u: %u bytes received, want %zu",
				 snd_buf, p->rx_len, 3 * n);
		tcp_ctx_destroy(p->c);
	}
	p->c = orig;
}

/* peer_connect() for one of several connections of a context. */
static void
peer_connect_more(struct peer *p, struct tcp_ctx *c, uint64_t now,
		  uint16_t port)
{
	static uint16_t next_rport = 41000;

	memset(p, 0, sizeof(*p));
	p->c = c;
	p->now = now;
	p->port = port;
	p->rport = next_rport++;
	p->snd_nxt = PEER_ISN;
	peer_send(p, NET_TCP_SYN, NULL, 0);
	assert_true(p->synack);
	peer_send(p, NET_TCP_ACK, NULL, 0);
}

/*
 * A request that finds the send buffer pool empty (its two buffers held
 * by echo connections whose peers do not acknowledge the echo) gets its
 * response once one holder's buffer is back: TCP remembered the
 * connection and tells it, with on_sent, at the next poll's timer work.
 */
static void
test_http_waits_for_send_buffer(void **state)
{
	/* clang-format off */
	struct tcp_params tp = {
		.msl_ms = 1000, .fin_wait2_timeout_ms = 2000,
		.syn_recv_timeout_ms = 2000, .rto_min_ms = 200,
		.rto_max_ms = 2000, .rto_initial_ms = 1000,
		.delayed_ack_ms = 40, .max_retries = 3,
		.send_timeout_ms = 60000, .mss = 1460,
		.rcv_wnd = 65535, .snd_buf = 4096, .max_connections = 4,
		.max_time_wait = 4, .max_send_buffers = 2,
	};
	/* clang-format on */
	struct peer *p = *state;
	/* Two echo peers, then the http peer. */
	struct peer *e = calloc(3, sizeof(*e)), *h = &e[2];
	struct tcp_ctx *c = tcp_ctx_create(&tp, p->now);
	const struct tcp_counters *cnt;
	struct net_seg seg;
	char want[256];
	size_t n = expect_response(want, sizeof(want), 2, false);
	int i;

	assert_non_null(e);
	assert_non_null(c);
	assert_int_equal(app_listen_all(c, p->cfg), 0);
	cnt = tcp_counters(c);
	for (i = 0; i < 2; i++) {
		peer_connect_more(&e[i], c, p->now, PORT_ECHO);
		peer_data(&e[i], "hold");
		assert_int_equal(e[i].rx_len, 4);
	}
	peer_connect_more(h, c, p->now, PORT_HTTP_KEEP);
	peer_data(h, req);
	assert_int_equal(h->rx_len, 0);
	assert_int_equal(cnt->sndbuf_exhausted, 1);
	assert_int_equal(cnt->sndbuf_woken, 0);
	/*
	 * The first echo acknowledged: its buffer goes to the request, at
	 * the poll's timer work.
	 */
	seg = peer_seg(&e[0], NET_TCP_ACK, NULL, 0, 65535);
	tcp_input(c, &seg, p->now);
	assert_int_equal(cnt->sndbuf_woken, 0);
	tcp_timers(c, p->now, 100000);
	peer_drain(h);
	assert_rx(h, want, n);
	assert_int_equal(cnt->sndbuf_woken, 1);
	assert_int_equal(cnt->sndbuf_wait, 1);
	tcp_ctx_destroy(c);
	free(e);
}

/*
 * A context of two send buffers of 4096 bytes, for the tests of echo's
 * window: its window is its send space.
 */
static struct tcp_ctx *
small_pool_ctx(const struct peer *p, uint32_t max_connections)
{
	/* clang-format off */
	struct tcp_params tp = {
		.msl_ms = 1000, .fin_wait2_timeout_ms = 2000,
		.syn_recv_timeout_ms = 2000, .rto_min_ms = 200,
		.rto_max_ms = 2000, .rto_initial_ms = 1000,
		.delayed_ack_ms = 40, .max_retries = 3,
		.send_timeout_ms = 60000, .mss = 1460,
		.rcv_wnd = 65535, .snd_buf = 4096,
		.max_connections = max_connections,
		.max_time_wait = max_connections, .max_send_buffers = 2,
	};
	/* clang-format on */
	struct tcp_ctx *c = tcp_ctx_create(&tp, p->now);

	assert_non_null(c);
	assert_int_equal(app_listen_all(c, p->cfg), 0);
	return c;
}

/* The peer sends len bytes (or none), acknowledging ack alone. */
static void
peer_send_acking(struct peer *p, uint32_t ack, const void *data, uint32_t len)
{
	struct net_seg seg = peer_seg(p, NET_TCP_ACK, data, len, 65535);

	seg.ack = ack;
	tcp_input(p->c, &seg, p->now);
	peer_drain(p);
	p->snd_nxt += len;
}

/* A window field the server never sends here: nothing came. */
#define NO_SEGMENT 0xdeadu

/*
 * Echo's window is its send space: a peer that does not acknowledge the
 * echo closes it (4096 bytes sent, 4096 echoed and unacknowledged, a
 * zero window). Its ACKs free the space, and the server, with no probe
 * from the peer, sends the window update once the window can grow by an
 * MSS (min(rcv_wnd / 2, MSS), RFC 1122 4.2.3.3), and not for less (SWS
 * avoidance, RFC 9293 3.8.6.2.2), nor once the window the peer knows is
 * an MSS or more.
 */
static void
test_echo_window_reopens(void **state)
{
	static uint8_t blk[4096];
	struct peer *p = *state;
	struct peer *z = calloc(1, sizeof(*z));
	struct tcp_ctx *c = small_pool_ctx(p, 4);
	uint32_t una, i;

	assert_non_null(z);
	peer_connect_more(z, c, p->now, PORT_ECHO);
	assert_int_equal(z->wnd, 4096);
	una = z->rcv_nxt;
	for (i = 0; i < 4; i++)
		peer_send_acking(z, una, blk, 1024);
	assert_int_equal(z->rx_len, 4096);
	assert_int_equal(z->ack, z->snd_nxt);
	assert_int_equal(z->wnd, 0);
	/* 1000 bytes acknowledged: under an MSS to offer, nothing goes. */
	z->wnd = NO_SEGMENT;
	peer_send_acking(z, una + 1000, NULL, 0);
	assert_int_equal(z->wnd, NO_SEGMENT);
	/* 3000: the update goes, a pure ACK (nothing else to send). */
	peer_send_acking(z, una + 3000, NULL, 0);
	assert_int_equal(z->wnd, 3000);
	assert_int_equal(z->ack, z->snd_nxt);
	/* The rest: the peer knows a window of 3000, over an MSS: none. */
	z->wnd = NO_SEGMENT;
	peer_send_acking(z, una + 4096, NULL, 0);
	assert_int_equal(z->wnd, NO_SEGMENT);
	/* The window offered is taken, and echoed. */
	peer_send_acking(z, una + 4096, blk, 3000);
	assert_int_equal(z->rx_len, 7096);
	tcp_ctx_destroy(c);
	free(z);
}

/*
 * After the peer's FIN no window update goes: the peer sends no more.
 * Echo with a close delay stays in CLOSE_WAIT with its echo of 4096
 * bytes unacknowledged but 1000 (the FIN's ACK offers no window: 1000
 * is under a step, receiver SWS avoidance); the ACK of the rest frees
 * the send space and draws nothing.
 */
static void
test_echo_window_not_after_fin(void **state)
{
	static uint8_t blk[4096];
	struct peer *p = *state;
	struct peer *z = calloc(1, sizeof(*z));
	struct tcp_ctx *c = small_pool_ctx(p, 4);
	struct net_seg seg;
	uint32_t una;

	assert_non_null(z);
	peer_connect_more(z, c, p->now, PORT_ECHO_CLOSE_DELAY);
	una = z->rcv_nxt;
	peer_send_acking(z, una, blk, sizeof(blk));
	assert_int_equal(z->rx_len, 4096);
	assert_int_equal(z->wnd, 0);
	seg = peer_seg(z, NET_TCP_ACK | NET_TCP_FIN, NULL, 0, 65535);
	seg.ack = una + 1000;
	tcp_input(c, &seg, p->now);
	peer_drain(z);
	z->snd_nxt++;
	assert_int_equal(z->wnd, 0);
	assert_int_equal(z->ack, z->snd_nxt);
	assert_int_equal(tcp_state_gauges(c)[TCP_CLOSE_WAIT], 1);
	z->wnd = NO_SEGMENT;
	peer_send_acking(z, z->rcv_nxt, NULL, 0);
	assert_int_equal(z->wnd, NO_SEGMENT);
	tcp_ctx_destroy(c);
	free(z);
}

/*
 * The update rides on data going anyway: the peer's window lets one
 * segment of the echo go at a time, so that the rest waits in the send
 * buffer; the ACK that frees space and opens the peer's window draws the
 * next segment of the echo, which carries the window, and no pure ACK.
 */
static void
test_echo_window_rides_on_data(void **state)
{
	static uint8_t blk[4096];
	struct peer *p = *state;
	struct peer *z = calloc(1, sizeof(*z));
	struct tcp_ctx *c = small_pool_ctx(p, 4);
	struct tcp_outq *q = tcp_outq(c);
	struct net_seg seg;
	uint32_t una;

	assert_non_null(z);
	peer_connect_more(z, c, p->now, PORT_ECHO);
	una = z->rcv_nxt;
	/* 4096 bytes in, the peer's window 1460: one segment echoed. */
	seg = peer_seg(z, NET_TCP_ACK, blk, sizeof(blk), 1460);
	tcp_input(c, &seg, p->now);
	peer_drain(z);
	z->snd_nxt += sizeof(blk);
	assert_int_equal(z->rx_len, 1460);
	assert_int_equal(z->wnd, 0);
	/* Its ACK, the window 1460 again: the next segment, and only it. */
	seg = peer_seg(z, NET_TCP_ACK, NULL, 0, 1460);
	tcp_input(c, &seg, p->now);
	assert_int_equal(q->n, 1);
	assert_int_equal(q->seg[0].len, 1460);
	assert_int_equal(q->seg[0].seq, una + 1460);
	assert_int_equal(q->seg[0].wnd, 1460);
	peer_drain(z);
	assert_int_equal(z->rx_len, 2920);
	tcp_ctx_destroy(c);
	free(z);
}

/* Pure ACKs to the peer pp in the output queue. */
static uint32_t
pure_acks_to(const struct peer *pp)
{
	const struct tcp_outq *q = tcp_outq(pp->c);
	uint32_t i, n = 0;

	for (i = 0; i < q->n; i++)
		if (q->seg[i].rport == pp->rport && q->seg[i].len == 0 &&
		    q->seg[i].flags == NET_TCP_ACK)
			n++;
	return n;
}

/*
 * A context of four send buffers of the sizes, scale and delayed ACK
 * given.
 */
static struct tcp_ctx *
window_ctx_dack(const struct peer *p, uint32_t snd_buf, uint32_t rcv_wnd,
		uint32_t wscale, uint32_t delayed_ack_ms)
{
	/* clang-format off */
	struct tcp_params tp = {
		.msl_ms = 1000, .fin_wait2_timeout_ms = 2000,
		.syn_recv_timeout_ms = 2000, .rto_min_ms = 200,
		.rto_max_ms = 2000, .rto_initial_ms = 1000,
		.delayed_ack_ms = delayed_ack_ms, .max_retries = 3,
		.send_timeout_ms = 60000, .mss = 1460, .wscale = wscale,
		.rcv_wnd = rcv_wnd, .snd_buf = snd_buf,
		.max_connections = 16, .max_time_wait = 16,
		.max_send_buffers = 4,
	};
	/* clang-format on */
	struct tcp_ctx *c = tcp_ctx_create(&tp, p->now);

	assert_non_null(c);
	assert_int_equal(app_listen_all(c, p->cfg), 0);
	return c;
}

/* The same with the delayed ACK of 40 ms. */
static struct tcp_ctx *
window_ctx(const struct peer *p, uint32_t snd_buf, uint32_t rcv_wnd,
	   uint32_t wscale)
{
	return window_ctx_dack(p, snd_buf, rcv_wnd, wscale, 40);
}

/*
 * Echo opened by a SYN offering MSS 1460 and window scale wscale (none
 * when negative); the handshake completed.
 */
static void
echo_connect_scaled(struct peer *z, struct tcp_ctx *c, uint64_t now,
		    uint16_t rport, int wscale)
{
	struct net_seg seg;

	z->c = c;
	z->now = now;
	z->port = PORT_ECHO;
	z->rport = rport;
	z->snd_nxt = PEER_ISN;
	seg = peer_seg(z, NET_TCP_SYN, NULL, 0, 65535);
	seg.ack = 0;
	seg.opts.has = NET_OPT_MSS;
	seg.opts.mss = 1460;
	if (wscale >= 0) {
		seg.opts.has |= NET_OPT_WSCALE;
		seg.opts.wscale = (uint8_t)wscale;
	}
	tcp_input(c, &seg, now);
	peer_drain(z);
	z->snd_nxt++;
	assert_true(z->synack);
	peer_send(z, NET_TCP_ACK, NULL, 0);
}

/*
 * Default sizes (snd_buf 65536, rcv_wnd 65535, wscale 7): echo rounds of
 * 4096 bytes leave the window far from shut, so the peer's ACK of each
 * echo draws nothing: it knows a wide window, and its next data learns
 * of the new one from the ACK it draws.
 */
static void
test_echo_window_open_no_update(void **state)
{
	static uint8_t blk[4096];
	struct peer *p = *state;
	struct peer *z = calloc(1, sizeof(*z));
	struct tcp_ctx *c = window_ctx(p, 65536, 65535, 7);
	struct net_seg seg;
	uint32_t k, total = 0;

	assert_non_null(z);
	peer_connect_more(z, c, p->now, PORT_ECHO);
	for (k = 0; k < 10; k++) {
		peer_send_acking(z, z->rcv_nxt, blk, sizeof(blk));
		assert_int_equal(z->rx_len, (k + 1) * sizeof(blk));
		seg = peer_seg(z, NET_TCP_ACK, NULL, 0, 65535);
		tcp_input(c, &seg, p->now);
		total += pure_acks_to(z);
		peer_drain(z);
	}
	assert_int_equal(total, 0);
	tcp_ctx_destroy(c);
	free(z);
}

/*
 * wscale 12: a window unit of 4096 bytes, over the MSS. The window the
 * peer knows is wide (8192 bytes echoed of a 65536-byte send space), so
 * ACKs of the echo, 1500 bytes and then one byte at a time, draw no
 * window update: none could offer a wider window than the peer knows.
 */
static void
test_echo_window_scaled_open(void **state)
{
	static uint8_t blk[8192];
	struct peer *p = *state;
	struct peer *z = calloc(1, sizeof(*z));
	struct tcp_ctx *c = window_ctx(p, 65536, 262144, 12);
	struct net_seg seg;
	uint32_t una, k, total = 0;

	assert_non_null(z);
	echo_connect_scaled(z, c, p->now, 43999, 0);
	una = z->rcv_nxt;
	for (k = 0; k < 5; k++)
		peer_send_acking(z, una, blk, 1460);
	peer_send_acking(z, una, blk, 892);
	assert_int_equal(z->rx_len, 8192);
	for (k = 0; k < 20; k++) {
		seg = peer_seg(z, NET_TCP_ACK, NULL, 0, 65535);
		seg.ack = una + 1500 + k;
		tcp_input(c, &seg, p->now);
		total += pure_acks_to(z);
		peer_drain(z);
	}
	assert_int_equal(total, 0);
	tcp_ctx_destroy(c);
	free(z);
}

/*
 * wscale 12 and a send space of 8192 bytes: the echo shuts the window.
 * ACKs freeing 2000 bytes and then more, one byte at a time, free more
 * than an MSS but less than the window unit of 4096: a window field can
 * offer none of it, so nothing goes (an update would repeat the zero
 * window on every ACK). Once 4096 bytes are free, the update offers
 * them.
 */
static void
test_echo_window_scaled_unit(void **state)
{
	static uint8_t blk[8192];
	struct peer *p = *state;
	struct peer *z = calloc(1, sizeof(*z));
	struct tcp_ctx *c = window_ctx(p, 8192, 262144, 12);
	uint32_t una, k, total = 0;

	assert_non_null(z);
	echo_connect_scaled(z, c, p->now, 44999, 0);
	assert_int_equal(z->wnd, 8192); /* the SYN-ACK's, unscaled */
	una = z->rcv_nxt;
	for (k = 0; k < 5; k++)
		peer_send_acking(z, una, blk, 1460);
	peer_send_acking(z, una, blk, 892);
	assert_int_equal(z->rx_len, 8192);
	assert_int_equal(z->wnd, 0);
	for (k = 0; k < 20; k++) {
		struct net_seg seg = peer_seg(z, NET_TCP_ACK, NULL, 0, 65535);

		seg.ack = una + 2000 + k;
		tcp_input(c, &seg, p->now);
		total += pure_acks_to(z);
		peer_drain(z);
	}
	assert_int_equal(total, 0);
	peer_send_acking(z, una + 4096, NULL, 0);
	assert_int_equal(z->wnd, 1);
	assert_int_equal(z->ack, z->snd_nxt);
	tcp_ctx_destroy(c);
	free(z);
}

/*
 * A send buffer under two MSS bounds echo's window below two MSS: the
 * step of the window update is half that bound (RFC 1122 4.2.3.3,
 * min(MSS, a fraction of the buffer)), not the MSS, which the window
 * could never grow by. The echo of a full window shuts it; ACKs freeing
 * under half the send buffer draw nothing, the one freeing half draws
 * the update, and the ACK of the rest nothing more: the peer knows a
 * step of window.
 */
static void
test_echo_window_small_buffer(void **state)
{
	static const struct {
		uint32_t snd_buf, seg; /* the peer's segments of seg bytes */
	} t[] = {
		{ 1000, 1000 }, /* under an MSS */
		{ 2000, 1000 }, /* between one and two */
	};
	static uint8_t blk[2000];
	struct peer *p = *state;
	struct peer *z = calloc(1, sizeof(*z));
	uint32_t i, una, half;

	assert_non_null(z);
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct tcp_ctx *c = window_ctx(p, t[i].snd_buf, 65535, 0);

		memset(z, 0, sizeof(*z));
		echo_connect_scaled(z, c, p->now, (uint16_t)(45999 + i), -1);
		assert_int_equal(z->wnd, t[i].snd_buf);
		una = z->rcv_nxt;
		half = t[i].snd_buf / 2;
		while (z->rx_len < t[i].snd_buf)
			peer_send_acking(z, una, blk, t[i].seg);
		assert_int_equal(z->rx_len, t[i].snd_buf);
		assert_int_equal(z->wnd, 0);
		z->wnd = NO_SEGMENT;
		peer_send_acking(z, una + half - 1, NULL, 0);
		assert_int_equal(z->wnd, NO_SEGMENT);
		peer_send_acking(z, una + half, NULL, 0);
		assert_int_equal(z->wnd, half);
		assert_int_equal(z->ack, z->snd_nxt);
		z->wnd = NO_SEGMENT;
		peer_send_acking(z, una + t[i].snd_buf, NULL, 0);
		assert_int_equal(z->wnd, NO_SEGMENT);
		tcp_ctx_destroy(c);
	}
	free(z);
}

/*
 * A context of two send buffers of 4096 bytes and the receive window
 * and receive buffers given, for echo's windows while the pool is
 * empty.
 */
static struct tcp_ctx *
wait_pool_ctx(const struct peer *p, uint32_t rcv_wnd, uint32_t rcv_bufs)
{
	/* clang-format off */
	struct tcp_params tp = {
		.msl_ms = 1000, .fin_wait2_timeout_ms = 2000,
		.syn_recv_timeout_ms = 2000, .rto_min_ms = 200,
		.rto_max_ms = 2000, .rto_initial_ms = 1000,
		.delayed_ack_ms = 40, .max_retries = 3,
		.send_timeout_ms = 60000, .mss = 1460,
		.rcv_wnd = rcv_wnd, .snd_buf = 4096, .max_connections = 8,
		.max_time_wait = 8, .max_send_buffers = 2,
		.max_rcv_buffers = rcv_bufs,
	};
	/* clang-format on */
	struct tcp_ctx *c = tcp_ctx_create(&tp, p->now);

	assert_non_null(c);
	assert_int_equal(app_listen_all(c, p->cfg), 0);
	return c;
}

/* Echo peers e[0], e[1] hold both send buffers: their echo unacknowledged. */
static void
hold_both(struct peer *e, struct tcp_ctx *c, uint64_t now)
{
	int i;

	for (i = 0; i < 2; i++) {
		peer_connect_more(&e[i], c, now, PORT_ECHO);
		peer_data(&e[i], "hold");
		assert_int_equal(e[i].rx_len, 4);
	}
}

/* Holder e acknowledges its echo: its send buffer goes back. */
static void
hold_release(struct peer *e)
{
	peer_send_acking(e, e->rcv_nxt, NULL, 0);
}

/*
 * Both buffers held (e[0], e[1]), two echo connections w[0], w[1] wait
 * with their windows shut; e[0]'s buffer comes back, and w[0], the
 * older waiter, takes it and hears of its window.
 */
static void
hold_two_waiters(struct peer *e, struct peer *w, struct tcp_ctx *c,
		 uint64_t now)
{
	int i;

	hold_both(e, c, now);
	for (i = 0; i < 2; i++)
		peer_connect_more(&w[i], c, now, PORT_ECHO);
	hold_release(&e[0]);
	tcp_timers(c, now, 100000);
	peer_drain(&w[0]);
	assert_int_equal(w[0].wnd, 4096);
}

/*
 * Echo opened while both send buffers are held offers a zero window (its
 * send space) and waits. When a holder's buffer comes back, the waiter
 * takes it and its window reopens with one update (no probe from the
 * peer: it would back off), and the peer's data is echoed.
 */
static void
test_echo_window_waits_for_buffer(void **state)
{
	struct peer *p = *state;
	struct peer *e = calloc(3, sizeof(*e)), *w = &e[2];
	struct tcp_ctx *c = small_pool_ctx(p, 4);
	const struct tcp_counters *cnt = tcp_counters(c);

	assert_non_null(e);
	hold_both(e, c, p->now);
	peer_connect_more(w, c, p->now, PORT_ECHO);
	assert_int_equal(w->wnd, 0);
	assert_int_equal(cnt->sndbuf_window_wait, 1);
	hold_release(&e[0]);
	tcp_timers(c, p->now, 100000);
	assert_int_equal(pure_acks_to(w), 1);
	peer_drain(w);
	assert_int_equal(w->wnd, 4096);
	assert_int_equal(cnt->sndbuf_window_woken, 1);
	peer_send_acking(w, w->rcv_nxt, "abc", 3);
	assert_int_equal(w->rx_len, 3);
	assert_memory_equal(w->rx, "abc", 3);
	tcp_ctx_destroy(c);
	free(e);
}

/*
 * One buffer back, three windows waiting: one update, to the oldest,
 * which holds the buffer: a request arriving before its peer's data
 * finds the pool empty and waits, and the data is echoed. The others
 * wait for the next buffer.
 */
static void
test_echo_window_one_per_buffer(void **state)
{
	struct peer *p = *state;
	struct peer *e = calloc(6, sizeof(*e)), *w = &e[2], *h = &e[5];
	struct tcp_ctx *c = small_pool_ctx(p, 8);
	const struct tcp_counters *cnt = tcp_counters(c);
	int i;

	assert_non_null(e);
	hold_both(e, c, p->now);
	for (i = 0; i < 3; i++) {
		peer_connect_more(&w[i], c, p->now, PORT_ECHO);
		assert_int_equal(w[i].wnd, 0);
	}
	assert_int_equal(cnt->sndbuf_window_wait, 3);
	hold_release(&e[0]);
	tcp_timers(c, p->now, 100000);
	assert_int_equal(pure_acks_to(&w[0]), 1);
	assert_int_equal(pure_acks_to(&w[1]), 0);
	assert_int_equal(pure_acks_to(&w[2]), 0);
	assert_int_equal(tcp_outq(c)->n, 1);
	peer_drain(&w[0]);
	assert_int_equal(w[0].wnd, 4096);
	assert_int_equal(cnt->sndbuf_window_woken, 1);
	/* The buffer is w[0]'s: the request waits for the next. */
	peer_connect_more(h, c, p->now, PORT_HTTP_KEEP);
	peer_data(h, req);
	assert_int_equal(h->rx_len, 0);
	assert_int_equal(cnt->sndbuf_wait, 1);
	peer_send_acking(&w[0], w[0].rcv_nxt, "abc", 3);
	assert_int_equal(w[0].rx_len, 3);
	tcp_timers(c, p->now, 100000);
	assert_int_equal(cnt->sndbuf_window_woken, 1);
	assert_int_equal(tcp_outq(c)->n, 0);
	tcp_ctx_destroy(c);
	free(e);
}

/*
 * The SYN-ACK offered a zero window (the pool empty at the SYN); a
 * buffer is back by the handshake's ACK. The window the peer knows is
 * what counts, not the space found at the open: the ACK draws the
 * update at once, with the buffer taken for it. A peer that was
 * offered the send space at the SYN (pool not empty then) knows a
 * window: it does not wait for a buffer, even when the pool is empty
 * at the open.
 */
static void
test_echo_window_synack_shut(void **state)
{
	struct peer *p = *state;
	struct peer *e = calloc(4, sizeof(*e)), *w = &e[2], *v = &e[3];
	struct tcp_ctx *c = small_pool_ctx(p, 8);
	const struct tcp_counters *cnt = tcp_counters(c);

	assert_non_null(e);
	/* v's SYN finds a buffer free; its handshake ends below. */
	v->c = c;
	v->now = p->now;
	v->port = PORT_ECHO;
	v->rport = 42990;
	v->snd_nxt = PEER_ISN;
	peer_send(v, NET_TCP_SYN, NULL, 0);
	assert_int_equal(v->wnd, 4096);
	hold_both(e, c, p->now);
	w->c = c;
	w->now = p->now;
	w->port = PORT_ECHO;
	w->rport = 42991;
	w->snd_nxt = PEER_ISN;
	peer_send(w, NET_TCP_SYN, NULL, 0);
	assert_true(w->synack);
	assert_int_equal(w->wnd, 0);
	peer_send(v, NET_TCP_ACK, NULL, 0);
	assert_int_equal(cnt->sndbuf_window_wait, 0);
	hold_release(&e[0]);
	tcp_timers(c, p->now, 100000);
	/* The handshake's ACK: the update at once, the buffer w's. */
	w->wnd = NO_SEGMENT;
	peer_send(w, NET_TCP_ACK, NULL, 0);
	assert_int_equal(w->wnd, 4096);
	assert_int_equal(cnt->sndbuf_window_wait, 0);
	peer_send_acking(w, w->rcv_nxt, "abc", 3);
	assert_int_equal(w->rx_len, 3);
	tcp_ctx_destroy(c);
	free(e);
}

/*
 * RFC 9293 3.8.6 (SHLD-14): the window the SYN-ACK offered is not
 * taken back. The SYN-ACK again (the SYN retransmitted) after the pool
 * emptied still offers it: the right edge does not move left.
 */
static void
test_echo_synack_again_keeps_window(void **state)
{
	struct peer *p = *state;
	struct peer *e = calloc(3, sizeof(*e)), *v = &e[2];
	struct tcp_ctx *c = small_pool_ctx(p, 8);

	assert_non_null(e);
	v->c = c;
	v->now = p->now;
	v->port = PORT_ECHO;
	v->rport = 42990;
	v->snd_nxt = PEER_ISN;
	peer_send(v, NET_TCP_SYN, NULL, 0);
	assert_int_equal(v->wnd, 4096);
	hold_both(e, c, p->now);
	v->synack = false;
	v->wnd = NO_SEGMENT;
	v->snd_nxt = PEER_ISN;
	peer_send(v, NET_TCP_SYN, NULL, 0);
	assert_true(v->synack);
	assert_int_equal(v->wnd, 4096);
	tcp_ctx_destroy(c);
	free(e);
}

/*
 * The read delay holds the peer's bytes and fills the window (a receive
 * window of 4096); it ends while both send buffers are held: the
 * connection waits for a buffer to reopen its window. The first one
 * back is its: the bytes held are echoed, and once acknowledged the
 * window reopens.
 */
static void
test_echo_window_read_delay_end(void **state)
{
	static uint8_t blk[4096];
	struct peer *p = *state;
	struct peer *e = calloc(3, sizeof(*e)), *r = &e[2];
	struct tcp_ctx *c = wait_pool_ctx(p, 4096, 2);
	const struct tcp_counters *cnt = tcp_counters(c);
	uint32_t una;

	assert_non_null(e);
	memset(blk, 'r', sizeof(blk));
	peer_connect_more(r, c, p->now, PORT_ECHO_READ_DELAY);
	una = r->rcv_nxt;
	peer_send_acking(r, una, blk, sizeof(blk));
	/* The delayed ACK: the window shut. */
	p->now += 50000;
	tcp_timers(c, p->now, 100000);
	peer_drain(r);
	assert_int_equal(r->wnd, 0);
	assert_int_equal(r->rx_len, 0);
	hold_both(e, c, p->now);
	/* The delay (300 ms) ends: nothing to echo into, a shut window. */
	p->now += 260000;
	tcp_timers(c, p->now, 100000);
	peer_drain(r);
	assert_int_equal(r->rx_len, 0);
	assert_int_equal(cnt->sndbuf_window_wait, 1);
	e[0].now = p->now;
	hold_release(&e[0]);
	tcp_timers(c, p->now, 100000);
	peer_drain(r);
	assert_int_equal(r->rx_len, 4096);
	assert_int_equal(cnt->sndbuf_window_woken, 1);
	r->now = p->now;
	peer_send_acking(r, una + 4096, NULL, 0);
	assert_int_equal(r->wnd, 4096);
	tcp_ctx_destroy(c);
	free(e);
}

/*
 * The waiters' list filled: every connection slot but the holders' is
 * a waiter (the list is bounded by the connection table, nothing else
 * to fill). Each buffer returned reopens one window, oldest first, and
 * every waiter is served in turn as buffers go round.
 */
static void
test_echo_window_waiters_fill_table(void **state)
{
	struct peer *p = *state;
	struct peer *e = calloc(8, sizeof(*e)), *w = &e[2];
	struct tcp_ctx *c = small_pool_ctx(p, 8);
	const struct tcp_counters *cnt = tcp_counters(c);
	int i, j;

	assert_non_null(e);
	hold_both(e, c, p->now);
	for (i = 0; i < 6; i++) {
		peer_connect_more(&w[i], c, p->now, PORT_ECHO);
		assert_int_equal(w[i].wnd, 0);
	}
	assert_int_equal(cnt->sndbuf_window_wait, 6);
	hold_release(&e[0]);
	hold_release(&e[1]);
	tcp_timers(c, p->now, 100000);
	/* Two buffers, the two oldest waiters. */
	for (j = 0; j < 6; j++)
		assert_int_equal(pure_acks_to(&w[j]), j < 2 ? 1 : 0);
	for (i = 0; i < 6; i++) {
		assert_int_equal(cnt->sndbuf_window_woken,
				 (uint64_t)(i + 2 < 6 ? i + 2 : 6));
		/* Its window open, w[i]'s data is echoed; acknowledged,
		 * its buffer goes to the next waiter. */
		peer_send_acking(&w[i], w[i].rcv_nxt, "x", 1);
		assert_int_equal(w[i].rx_len, 1);
		peer_send_acking(&w[i], w[i].rcv_nxt, NULL, 0);
		tcp_timers(c, p->now, 100000);
	}
	assert_int_equal(cnt->sndbuf_window_woken, 6);
	tcp_ctx_destroy(c);
	free(e);
}

/*
 * The buffer a window waiter took stays its for a while (the longer of
 * 1 s and four rto_min): a peer that sends nothing into the window
 * gives it back, to the next waiter (sndbuf_window_lapsed). Its data
 * later finds the window still offered, and waits for a buffer.
 */
static void
test_echo_window_hold_lapses(void **state)
{
	struct peer *p = *state;
	struct peer *e = calloc(4, sizeof(*e)), *w = &e[2];
	struct tcp_ctx *c = small_pool_ctx(p, 8);
	const struct tcp_counters *cnt = tcp_counters(c);

	assert_non_null(e);
	hold_two_waiters(e, w, c, p->now);
	/* Just short of the hold: still w[0]'s. */
	tcp_timers(c, p->now + 999000, 100000);
	assert_int_equal(cnt->sndbuf_window_lapsed, 0);
	assert_int_equal(pure_acks_to(&w[1]), 0);
	tcp_timers(c, p->now + 1001000, 100000);
	assert_int_equal(cnt->sndbuf_window_lapsed, 1);
	assert_int_equal(pure_acks_to(&w[1]), 1);
	peer_drain(&w[1]);
	assert_int_equal(w[1].wnd, 4096);
	assert_int_equal(cnt->sndbuf_window_woken, 2);
	/* w[0]'s data into its window: no send buffer, held unechoed. */
	w[0].now = p->now + 1001000;
	peer_data(&w[0], "abc");
	assert_int_equal(w[0].rx_len, 0);
	tcp_ctx_destroy(c);
	free(e);
}

/*
 * The peer's handshake completes after a SYN-ACK timed out (1 s): the
 * RTO is then 2 s (RFC 6298 5.7, 3 s bounded by rto_max_ms).
 */
static void
peer_connect_slow(struct peer *p, struct tcp_ctx *c, uint64_t now)
{
	memset(p, 0, sizeof(*p));
	p->c = c;
	p->now = now;
	p->port = PORT_ECHO;
	p->rport = 42990;
	p->snd_nxt = PEER_ISN;
	peer_send(p, NET_TCP_SYN, NULL, 0);
	assert_true(p->synack);
	p->now = now + 1001000;
	tcp_timers(c, p->now, 100000);
	peer_drain(p);
	peer_send(p, NET_TCP_ACK, NULL, 0);
}

/*
 * The hold follows the connection's RTO, so that a peer backing off its
 * retransmissions still finds the buffer: twice a 2 s RTO, not 1 s.
 */
static void
test_echo_window_hold_follows_rto(void **state)
{
	struct peer *p = *state;
	struct peer *e = calloc(4, sizeof(*e)), *w = &e[2];
	struct tcp_ctx *c = small_pool_ctx(p, 8);
	const struct tcp_counters *cnt = tcp_counters(c);
	uint64_t t;

	assert_non_null(e);
	hold_both(e, c, p->now);
	peer_connect_slow(&w[0], c, p->now);
	t = w[0].now;
	peer_connect_more(&w[1], c, t, PORT_ECHO);
	e[0].now = t;
	hold_release(&e[0]);
	tcp_timers(c, t, 100000);
	peer_drain(&w[0]);
	assert_int_equal(w[0].wnd, 4096);
	tcp_timers(c, t + 1500000, 100000);
	tcp_timers(c, t + 3990000, 100000);
	assert_int_equal(cnt->sndbuf_window_lapsed, 0);
	assert_int_equal(pure_acks_to(&w[1]), 0);
	tcp_timers(c, t + 4010000, 100000);
	assert_int_equal(cnt->sndbuf_window_lapsed, 1);
	assert_int_equal(pure_acks_to(&w[1]), 1);
	tcp_ctx_destroy(c);
	free(e);
}

/*
 * Bytes beyond a gap wait in the receive buffer when the hold ends: the
 * buffer stays, and the segment that fills the gap is echoed whole.
 */
static void
test_echo_window_hold_keeps_for_gap(void **state)
{
	struct peer *p = *state;
	struct peer *e = calloc(4, sizeof(*e)), *w = &e[2];
	struct tcp_ctx *c = small_pool_ctx(p, 8);
	const struct tcp_counters *cnt = tcp_counters(c);
	uint32_t seq;

	assert_non_null(e);
	hold_two_waiters(e, w, c, p->now);
	/* "def" beyond a gap of three bytes. */
	seq = w[0].snd_nxt;
	w[0].snd_nxt = seq + 3;
	peer_data(&w[0], "def");
	assert_int_equal(w[0].ack, seq);
	tcp_timers(c, p->now + 1001000, 100000);
	assert_int_equal(cnt->sndbuf_window_lapsed, 0);
	assert_int_equal(pure_acks_to(&w[1]), 0);
	w[0].now = p->now + 1001000;
	w[0].snd_nxt = seq;
	peer_data(&w[0], "abc");
	assert_int_equal(w[0].ack, seq + 6);
	assert_int_equal(w[0].rx_len, 6);
	assert_memory_equal(w[0].rx, "abcdef", 6);
	tcp_ctx_destroy(c);
	free(e);
}

/*
 * A waiting connection reset by its peer leaves the list at once: the
 * connection that takes its slot next, waiting too, queues behind the
 * older waiter, which gets the first buffer back.
 */
static void
test_echo_window_waiter_freed(void **state)
{
	struct peer *p = *state;
	struct peer *e = calloc(5, sizeof(*e)), *w = &e[2];
	struct tcp_ctx *c = small_pool_ctx(p, 8);
	const struct tcp_counters *cnt = tcp_counters(c);

	assert_non_null(e);
	hold_both(e, c, p->now);
	peer_connect_more(&w[0], c, p->now, PORT_ECHO);
	peer_connect_more(&w[1], c, p->now, PORT_ECHO);
	assert_int_equal(cnt->sndbuf_window_wait, 2);
	peer_send(&w[0], NET_TCP_RST, NULL, 0);
	assert_int_equal(tcp_state_gauges(c)[TCP_ESTABLISHED], 3);
	/* Its slot, reused by a third waiter. */
	peer_connect_more(&w[2], c, p->now, PORT_ECHO);
	assert_int_equal(cnt->sndbuf_window_wait, 3);
	hold_release(&e[0]);
	tcp_timers(c, p->now, 100000);
	assert_int_equal(pure_acks_to(&w[1]), 1);
	assert_int_equal(pure_acks_to(&w[2]), 0);
	peer_drain(&w[1]);
	assert_int_equal(w[1].wnd, 4096);
	hold_release(&e[1]);
	tcp_timers(c, p->now, 100000);
	assert_int_equal(pure_acks_to(&w[2]), 1);
	assert_int_equal(cnt->sndbuf_window_woken, 2);
	tcp_ctx_destroy(c);
	free(e);
}

/*
 * Data into the window an echo connection was offered while a buffer
 * was free, once both pools are empty (the send buffers held, the only
 * receive buffer holding another connection's bytes): not acknowledged,
 * counted once, and answered at once with the right edge where it was,
 * never to its left (no shrinking, RFC 9293 3.8.6). The connection
 * waits for a send buffer; served one, it keeps it for the peer's
 * retransmission, which is taken and echoed.
 */
static void
test_echo_window_unbacked(void **state)
{
	struct peer *p = *state;
	struct peer *e = calloc(4, sizeof(*e)), *y = &e[2], *z = &e[3];
	struct tcp_ctx *c = wait_pool_ctx(p, 65535, 1);
	const struct tcp_counters *cnt = tcp_counters(c);
	uint64_t drops, waits;
	uint32_t seq, edge;

	assert_non_null(e);
	peer_connect_more(y, c, p->now, PORT_ECHO);
	peer_connect_more(z, c, p->now, PORT_ECHO);
	assert_int_equal(z->wnd, 4096);
	hold_both(e, c, p->now);
	/* y's bytes wait in the receive buffer, acknowledged. */
	peer_data(y, "yy");
	seq = z->snd_nxt;
	edge = z->ack + z->wnd;
	drops = cnt->rcvbuf_exhausted;
	waits = cnt->sndbuf_window_wait;
	peer_data(z, "zzz");
	assert_int_equal(cnt->rcvbuf_exhausted, drops + 1);
	assert_int_equal(z->ack, seq);
	assert_true(z->ack + z->wnd >= edge);
	assert_int_equal(cnt->sndbuf_window_wait, waits + 1);
	/* The first buffer back: y, waiting with bytes to echo. */
	hold_release(&e[0]);
	tcp_timers(c, p->now, 100000);
	peer_drain(y);
	assert_int_equal(y->rx_len, 2);
	peer_drain(z);
	assert_true(z->ack + z->wnd >= edge);
	/* The second is z's, kept for the data, which comes again. */
	hold_release(&e[1]);
	tcp_timers(c, p->now, 100000);
	assert_int_equal(cnt->sndbuf_window_woken, 1);
	peer_drain(z);
	assert_true(z->ack + z->wnd >= edge);
	z->snd_nxt = seq;
	peer_data(z, "zzz");
	assert_int_equal(z->ack, seq + 3);
	assert_int_equal(z->rx_len, 3);
	assert_memory_equal(z->rx, "zzz", 3);
	tcp_ctx_destroy(c);
	free(e);
}

/*
 * A connection whose data was refused for want of a send buffer is
 * queued among the writers too (its tcp_send() found the pool empty),
 * but woken there with nothing held it takes no buffer: an older
 * window waiter is served first.
 */
static void
test_echo_window_refused_queues_behind(void **state)
{
	struct peer *p = *state;
	struct peer *e = calloc(5, sizeof(*e)), *y = &e[2], *z = &e[3];
	struct peer *w = &e[4];
	struct tcp_ctx *c = wait_pool_ctx(p, 65535, 1);
	const struct tcp_counters *cnt = tcp_counters(c);
	uint32_t seq;

	assert_non_null(e);
	peer_connect_more(y, c, p->now, PORT_ECHO);
	peer_connect_more(z, c, p->now, PORT_ECHO);
	hold_both(e, c, p->now);
	/* w, offered a zero window, waits first. */
	peer_connect_more(w, c, p->now, PORT_ECHO);
	assert_int_equal(w->wnd, 0);
	/* y's bytes take the receive buffer; z's find none. */
	peer_data(y, "yy");
	seq = z->snd_nxt;
	peer_data(z, "zzz");
	assert_int_equal(z->ack, seq);
	/* The first buffer back: y, a writer with bytes held. */
	hold_release(&e[0]);
	tcp_timers(c, p->now, 100000);
	peer_drain(y);
	assert_int_equal(y->rx_len, 2);
	/* The second: w's, the older window waiter, not z's. */
	hold_release(&e[1]);
	tcp_timers(c, p->now, 100000);
	assert_int_equal(pure_acks_to(w), 1);
	peer_drain(w);
	assert_int_equal(w->wnd, 4096);
	assert_int_equal(cnt->sndbuf_window_woken, 1);
	z->snd_nxt = seq;
	peer_data(z, "zzz");
	assert_int_equal(z->ack, seq);
	assert_int_equal(z->rx_len, 0);
	tcp_ctx_destroy(c);
	free(e);
}

/*
 * Two echo streams hold both send buffers, each peer filling its
 * window; a request waits for a buffer. Each echo peer's ACK of its
 * echo empties its buffer: the buffer reaches the waiting writer
 * (writers before window waiters), rather than being taken back at once
 * by the echo connection for its window.
 */
static void
test_echo_window_writer_first(void **state)
{
	static uint8_t blk[4096];
	struct peer *p = *state;
	struct peer *e = calloc(3, sizeof(*e)), *h = &e[2];
	struct tcp_ctx *c = small_pool_ctx(p, 8);
	const struct tcp_counters *cnt = tcp_counters(c);
	int i, round;

	assert_non_null(e);
	memset(blk, 'x', sizeof(blk));
	for (i = 0; i < 2; i++) {
		peer_connect_more(&e[i], c, p->now, PORT_ECHO);
		peer_send_acking(&e[i], e[i].rcv_nxt, blk, sizeof(blk));
		assert_int_equal(e[i].rx_len, 4096);
		assert_int_equal(e[i].wnd, 0);
	}
	peer_connect_more(h, c, p->now, PORT_HTTP_KEEP);
	peer_data(h, req);
	assert_int_equal(h->rx_len, 0);
	assert_int_equal(cnt->sndbuf_wait, 1);
	for (round = 0; round < 3; round++) {
		for (i = 0; i < 2; i++) {
			e[i].rx_len = 0;
			peer_send_acking(&e[i], e[i].rcv_nxt, NULL, 0);
		}
		tcp_timers(c, p->now, 100000);
		peer_drain(h);
		if (h->rx_len > 0)
			break;
		for (i = 0; i < 2; i++) {
			peer_drain(&e[i]);
			peer_send_acking(&e[i], e[i].rcv_nxt, blk, e[i].wnd);
		}
	}
	assert_true(h->rx_len > 0);
	tcp_ctx_destroy(c);
	free(e);
}

/*
 * A window waiter closed meanwhile (idle timeout: its FIN in
 * flight, no send buffer) stays linked; a peer's duplicate ACK with a
 * SACK block over the FIN reaches sack_update(), which writes the
 * scoreboard over its links. The next wake walks the list.
 */
static void
test_echo_window_waiter_fin_sacked(void **state)
{
	/* clang-format off */
	struct tcp_params tp = {
		.msl_ms = 1000, .fin_wait2_timeout_ms = 2000,
		.syn_recv_timeout_ms = 2000, .rto_min_ms = 200,
		.rto_max_ms = 2000, .rto_initial_ms = 1000,
		.delayed_ack_ms = 40, .max_retries = 3,
		.send_timeout_ms = 60000, .mss = 1460, .sack = true,
		.rcv_wnd = 65535, .snd_buf = 4096, .max_connections = 8,
		.max_time_wait = 8, .max_send_buffers = 2,
	};
	/* clang-format on */
	struct peer *p = *state;
	struct peer *e = calloc(4, sizeof(*e)), *w = &e[2], *v = &e[3];
	struct cfg *cfg = calloc(1, sizeof(*cfg));
	struct tcp_ctx *c = tcp_ctx_create(&tp, p->now);
	const struct tcp_counters *cnt;
	struct net_seg seg;
	uint32_t una;

	assert_non_null(e);
	assert_non_null(cfg);
	assert_non_null(c);
	cfg->listeners[0] =
		(struct cfg_listener){ .port = PORT_ECHO,
				       .app = CFG_APP_ECHO,
				       .close = CFG_CLOSE_ON_PEER_FIN };
	cfg->listeners[1] =
		(struct cfg_listener){ .port = 7007,
				       .app = CFG_APP_ECHO,
				       .close = CFG_CLOSE_ON_PEER_FIN,
				       .idle_timeout_ms = 100 };
	cfg->n_listeners = 2;
	assert_int_equal(app_listen_all(c, cfg), 0);
	cnt = tcp_counters(c);
	hold_both(e, c, p->now);
	/* v waits first, w behind it. */
	peer_connect_more(v, c, p->now, PORT_ECHO);
	w->c = c;
	w->now = p->now;
	w->port = 7007;
	w->rport = 42998;
	w->snd_nxt = PEER_ISN;
	seg = peer_seg(w, NET_TCP_SYN, NULL, 0, 65535);
	seg.ack = 0;
	seg.opts.has = NET_OPT_MSS | NET_OPT_SACK_OK;
	seg.opts.mss = 1460;
	tcp_input(c, &seg, p->now);
	peer_drain(w);
	w->snd_nxt++;
	assert_true(w->synack);
	peer_send(w, NET_TCP_ACK, NULL, 0);
	assert_int_equal(w->wnd, 0);
	assert_int_equal(cnt->sndbuf_window_wait, 2);
	una = w->rcv_nxt;
	/* The idle timeout closes w: its FIN goes. */
	w->now = p->now + 150000;
	tcp_timers(c, w->now, 100000);
	peer_drain(w);
	assert_true(w->fin);
	/* A duplicate ACK (not acking the FIN), a SACK block over it. */
	seg = peer_seg(w, NET_TCP_ACK, NULL, 0, 65535);
	seg.ack = una;
	seg.opts.has = NET_OPT_SACK;
	seg.opts.nsack = 1;
	seg.opts.sack[0].start = una;
	seg.opts.sack[0].end = una + 1;
	tcp_input(c, &seg, w->now);
	peer_drain(w);
	/* Buffers back: the wakes walk the list. */
	e[0].now = w->now;
	hold_release(&e[0]);
	tcp_timers(c, w->now, 100000);
	e[1].now = w->now;
	hold_release(&e[1]);
	tcp_timers(c, w->now, 100000);
	assert_int_equal(cnt->sndbuf_window_woken, 1);
	tcp_ctx_destroy(c);
	free(cfg);
	free(e);
}

/*
 * The peer acknowledges all it received, offering the window wnd;
 * returns the segments that came, the pure ACKs among them in *pure.
 */
static uint32_t
peer_ack_wnd(struct peer *z, uint16_t wnd, uint32_t *pure)
{
	struct net_seg seg = peer_seg(z, NET_TCP_ACK, NULL, 0, wnd);
	uint32_t n;

	tcp_input(z->c, &seg, z->now);
	n = tcp_outq(z->c)->n;
	*pure = pure_acks_to(z);
	peer_drain(z);
	return n;
}

/*
 * The peer sends from data[*at] to the right edge of the window the
 * server offers, acknowledging una alone.
 */
static void
peer_fill_window(struct peer *z, uint32_t una, const char *data, uint32_t len,
		 uint32_t *at)
{
	uint32_t k;

	for (;;) {
		k = z->ack + z->wnd - z->snd_nxt;
		if (k > 1000)
			k = 1000;
		if (k > len - *at)
			k = len - *at;
		if (k == 0)
			return;
		peer_send_acking(z, una, data + *at, k);
		*at += k;
	}
}

/*
 * A send buffer of 8192 bytes, a receive window of 1024 and no delayed
 * ACK, so that the peer always knows the window's edge.
 */
static struct tcp_ctx *
held_window_ctx(const struct peer *p)
{
	return window_ctx_dack(p, 8192, 1024, 0, 0);
}

/*
 * Pipelined requests beyond the bound on responses owed (256) are held
 * and fill the window to zero, while the peer acknowledges none of the
 * responses. Its ACK of them, offering no window, lets http queue more
 * responses (which cannot leave) and read the held requests, taking the
 * owed back under the bound: the window opens, and with no data to
 * carry it the update goes alone (RFC 1122 4.2.3.3). The same ACK again
 * changes nothing and draws nothing; once the peer's window opens, the
 * responses carry the window and every request is answered. A guard of
 * behaviour that held before the bound's edge case was fixed
 * (test_http_bound_at_edge is that case).
 */
static void
test_http_held_window_reopens(void **state)
{
	struct peer *p = *state;
	struct peer *z = calloc(1, sizeof(*z));
	struct tcp_ctx *c = held_window_ctx(p);
	uint32_t len = (uint32_t)strlen(req), n = 600, at = 0, k, una, rx, pure;
	char *many = malloc(n * len), one[256];
	size_t rsp = expect_response(one, sizeof(one), 2, false);

	assert_non_null(z);
	assert_non_null(many);
	for (k = 0; k < n; k++)
		memcpy(many + k * len, req, len);
	peer_connect_more(z, c, p->now, PORT_HTTP_KEEP);
	una = z->rcv_nxt;
	peer_fill_window(z, una, many, n * len, &at);
	assert_int_equal(z->wnd, 0);
	assert_int_equal(z->ack, z->snd_nxt);
	assert_true(at < n * len);
	rx = z->rx_len;
	assert_int_equal(rx, 8192);
	/* All acknowledged, no window offered: the update alone. */
	assert_int_equal(peer_ack_wnd(z, 0, &pure), 1);
	assert_int_equal(pure, 1);
	assert_int_equal(z->rx_len, rx);
	assert_true(z->wnd >= 512);
	/* The same ACK again: nothing changed, nothing goes. */
	assert_int_equal(peer_ack_wnd(z, 0, &pure), 0);
	/* The peer's window opens: the rest, every request answered. */
	for (k = 0; k < 100 && z->rx_len < n * rsp; k++) {
		peer_ack_wnd(z, 65535, &pure);
		peer_fill_window(z, z->rcv_nxt, many, n * len, &at);
	}
	assert_int_equal(at, n * len);
	assert_int_equal(z->rx_len, n * rsp);
	tcp_ctx_destroy(c);
	free(many);
	free(z);
}

/*
 * The request that reaches the bound on responses owed ends at the
 * window's right edge: the window shuts with nothing held. The peer's
 * ACK of the responses, offering no window, lets http queue more (which
 * cannot leave) and take the owed under the bound: the window opens,
 * and the update goes alone though no request was held; the same ACK
 * again draws nothing. held_window_ctx() queues 76 responses of 107
 * bytes in its send buffer: the 332nd request reaches the bound. The
 * edge before it is where receiver SWS avoidance left it (RFC 1122
 * 4.2.3.3): it moves only by a step (512, half the 1024 buffer), each
 * 19 requests of 27 bytes; 331 leave the peer knowing 1024 - 8 * 27,
 * and the 332nd is made that long.
 */
static void
test_http_bound_at_edge(void **state)
{
	struct peer *p = *state;
	struct peer *z = calloc(1, sizeof(*z));
	struct tcp_ctx *c = held_window_ctx(p);
	uint32_t len = (uint32_t)strlen(req), k, una, pure, w;
	char last[1024];

	assert_non_null(z);
	assert_int_equal(len, 27);
	peer_connect_more(z, c, p->now, PORT_HTTP_KEEP);
	una = z->rcv_nxt;
	for (k = 0; k < 331; k++)
		peer_send_acking(z, una, req, len);
	w = z->wnd;
	assert_int_equal(w, 1024 - 331 % 19 * len);
	assert_int_equal(z->ack, z->snd_nxt);
	memcpy(last, req, len - 2);
	memcpy(last + len - 2, "X: ", 3);
	memset(last + len + 1, 'a', w - len - 5);
	memcpy(last + w - 4, "\r\n\r\n", 4);
	peer_send_acking(z, una, last, w);
	assert_int_equal(z->wnd, 0);
	assert_int_equal(z->ack, z->snd_nxt);
	assert_int_equal(tcp_counters(c)->http_owed_limit, 0);
	assert_int_equal(peer_ack_wnd(z, 0, &pure), 1);
	assert_int_equal(pure, 1);
	assert_int_equal(z->wnd, 1024);
	assert_int_equal(peer_ack_wnd(z, 0, &pure), 0);
	tcp_ctx_destroy(c);
	free(z);
}

static void
test_http_half_close(void **state)
{
	struct peer *p = *state;
	char want[256];
	size_t n = expect_response(want, sizeof(want), 5, true);

	peer_connect(p, PORT_HTTP_HALF);
	peer_data(p, req);
	peer_run(p, 100);
	assert_rx(p, want, n);
	assert_true(memcmp(want + n - 5, "OK\nOK", 5) == 0);
	assert_true(p->fin);
	/* Still reading: more data is taken, not answered with RST. */
	peer_data(p, "more bytes");
	peer_run(p, 100);
	assert_false(p->rst);
	assert_int_equal(gauge(p, TCP_FIN_WAIT_2), 1);
	peer_send(p, NET_TCP_ACK | NET_TCP_FIN, NULL, 0);
	peer_run(p, 50);
	assert_int_equal(gauge(p, TCP_TIME_WAIT), 1);
}

/*
 * Half-close with idle_timeout_ms 5000 (fin_wait2_timeout_ms 2000): the
 * peer's data every 3 s, each gap past the FIN_WAIT_2 timeout but within
 * the idle timeout, is read for 12 s; then 5 s without data close the
 * reading side: data draws a RST.
 */
static void
test_http_half_close_idle_reads(void **state)
{
	struct peer *p = *state;
	int i;

	peer_connect(p, PORT_HTTP_HALF_IDLE);
	peer_data(p, req);
	peer_run(p, 100);
	assert_true(p->fin);
	assert_int_equal(gauge(p, TCP_FIN_WAIT_2), 1);
	for (i = 0; i < 4; i++) {
		peer_run(p, 3000);
		assert_int_equal(gauge(p, TCP_FIN_WAIT_2), 1);
		peer_data(p, "more bytes");
		assert_false(p->rst);
	}
	peer_run(p, 4900);
	peer_data(p, "still here");
	assert_false(p->rst);
	assert_int_equal(gauge(p, TCP_FIN_WAIT_2), 1);
	peer_run(p, 5100);
	assert_int_equal(gauge(p, TCP_FIN_WAIT_2), 1);
	peer_data(p, "too late");
	assert_true(p->rst);
	assert_int_equal(gauge(p, TCP_FIN_WAIT_2), 0);
	assert_int_equal(tcp_counters(p->c)->drop_after_close, 1);
	assert_int_equal(tcp_counters(p->c)->fin_wait2_timeout, 0);
	assert_int_equal(tcp_counters(p->c)->idle_timeout, 1);
}

/* Let time pass in steps, acknowledging nothing. */
static void
peer_wait(struct peer *p, uint32_t ms)
{
	uint32_t t;

	for (t = 0; t < ms; t += 10) {
		p->now += 10000;
		tcp_timers(p->c, p->now, 100000);
		peer_drain(p);
	}
}

/*
 * Half-closed and reading with an idle timeout: the peer acknowledging
 * the response late is activity too (on_sent). Acknowledged at 2.5 s
 * (after two retransmissions), the connection still reads at 6 s, past
 * the 5 s the request alone gave.
 */
static void
test_http_half_close_late_ack(void **state)
{
	struct peer *p = *state;

	peer_connect(p, PORT_HTTP_HALF_IDLE);
	peer_data(p, req);
	assert_true(p->fin);
	assert_int_equal(gauge(p, TCP_FIN_WAIT_1), 1);
	peer_wait(p, 2500);
	peer_send(p, NET_TCP_ACK, NULL, 0);
	assert_int_equal(gauge(p, TCP_FIN_WAIT_2), 1);
	peer_wait(p, 3500);
	peer_data(p, "late bytes");
	assert_false(p->rst);
	assert_int_equal(gauge(p, TCP_FIN_WAIT_2), 1);
	assert_int_equal(tcp_counters(p->c)->idle_timeout, 0);
}

/*
 * A silent peer after a half-close: the idle timeout closes the reading
 * side at 5 s, then the FIN_WAIT_2 timeout frees the connection 2 s
 * later; never before the idle timeout.
 */
static void
test_http_half_close_idle_silent(void **state)
{
	struct peer *p = *state;

	peer_connect(p, PORT_HTTP_HALF_IDLE);
	peer_data(p, req);
	peer_run(p, 100);
	assert_true(p->fin);
	peer_run(p, 4800);
	assert_int_equal(gauge(p, TCP_FIN_WAIT_2), 1);
	peer_run(p, 1900);
	assert_int_equal(gauge(p, TCP_FIN_WAIT_2), 1);
	peer_run(p, 300);
	assert_int_equal(gauge(p, TCP_FIN_WAIT_2), 0);
	assert_int_equal(tcp_counters(p->c)->fin_wait2_timeout, 1);
	assert_false(p->rst);
}

/*
 * Without an idle timeout the FIN_WAIT_2 timeout bounds a half-closed
 * connection, restarted by the peer's data; after a full close it runs
 * from our FIN's acknowledgement whatever idle_timeout_ms says.
 */
static void
test_http_fin_wait2_bounds(void **state)
{
	struct peer *p = *state;

	peer_connect(p, PORT_HTTP_HALF);
	peer_data(p, req);
	peer_run(p, 100);
	peer_run(p, 1500);
	peer_data(p, "more bytes");
	peer_run(p, 1500);
	peer_data(p, "more bytes");
	peer_run(p, 1900);
	assert_int_equal(gauge(p, TCP_FIN_WAIT_2), 1);
	peer_run(p, 200);
	assert_int_equal(gauge(p, TCP_FIN_WAIT_2), 0);
	assert_int_equal(tcp_counters(p->c)->fin_wait2_timeout, 1);
	p->synack = p->fin = p->rst = false;
	p->rx_len = 0;
	peer_connect(p, PORT_HTTP_AFTER_IDLE);
	peer_data(p, req);
	peer_run(p, 100);
	assert_true(p->fin);
	assert_int_equal(gauge(p, TCP_FIN_WAIT_2), 1);
	peer_run(p, 1850);
	assert_int_equal(gauge(p, TCP_FIN_WAIT_2), 1);
	peer_run(p, 200);
	assert_int_equal(gauge(p, TCP_FIN_WAIT_2), 0);
	assert_int_equal(tcp_counters(p->c)->fin_wait2_timeout, 2);
}

static void
test_http_abort(void **state)
{
	struct peer *p = *state;

	peer_connect(p, PORT_HTTP_ABORT);
	peer_data(p, req);
	peer_run(p, 100);
	/* The response goes out before the RST. */
	assert_true(p->rx_len > 17);
	assert_memory_equal(p->rx, "HTTP/1.1 200 OK\r\n", 17);
	assert_true(p->rst);
	assert_false(p->fin);
	assert_int_equal(gauge(p, TCP_ESTABLISHED), 0);
	assert_int_equal(gauge(p, TCP_TIME_WAIT), 0);
}

/* A segment of the peer's that advertises window wnd. */
static void
peer_send_wnd(struct peer *p, uint8_t flags, const void *data, uint32_t len,
	      uint16_t wnd)
{
	struct net_seg seg = peer_seg(p, flags, data, len, wnd);

	tcp_input(p->c, &seg, p->now);
	p->snd_nxt += len;
}

/*
 * The abort policy's wait for the ACK of its response is bounded: a
 * peer that keeps its window at zero and answers every probe is reset
 * after APP_ABORT_WAIT_MS (60 s, no idle timeout set), counted in
 * idle_timeout; before, it held the connection for ever.
 */
static void
test_http_abort_zero_window(void **state)
{
	struct peer *p = *state;
	struct tcp_outq *q = tcp_outq(p->c);
	uint32_t t, i;
	bool rst = false;

	peer_connect(p, PORT_HTTP_ABORT);
	peer_send_wnd(p, NET_TCP_ACK, NULL, 0, 0);
	peer_send_wnd(p, NET_TCP_ACK | NET_TCP_PSH, req, sizeof(req) - 1, 0);
	q->n = 0;
	/* 100 ms steps, the probes answered with a zero window. */
	for (t = 0; t < 700 && !rst; t++) {
		p->now += 100000;
		tcp_timers(p->c, p->now, 100000);
		for (i = 0; i < q->n; i++)
			rst |= (q->seg[i].flags & NET_TCP_RST) != 0;
		if (q->n > 0 && !rst)
			peer_send_wnd(p, NET_TCP_ACK, NULL, 0, 0);
		q->n = 0;
	}
	assert_true(rst);
	assert_in_range(t, 595, 605);
	assert_int_equal(gauge(p, TCP_ESTABLISHED), 0);
	assert_int_equal(tcp_counters(p->c)->idle_timeout, 1);
}

/*
 * Under the abort policy a reader that acknowledges a byte a second is
 * not cut off by the wait for the last ACK (60 s, started over by each
 * ACK of new data), but the send deadline (tcp.send_timeout_ms, 60 s
 * here) is not started over by it: the response, about 100 bytes, is
 * not all acknowledged within 60 s of the first ACK, so the reset comes
 * then and counts in send_timeout, not idle_timeout (the order
 * docs/configuration.md tells operators).
 */
static void
test_http_abort_trickle_send_timeout(void **state)
{
	struct peer *p = *state;
	uint32_t t;

	peer_connect(p, PORT_HTTP_ABORT);
	peer_send_wnd(p, NET_TCP_ACK, NULL, 0, 1);
	peer_send_wnd(p, NET_TCP_ACK | NET_TCP_PSH, req, sizeof(req) - 1, 1);
	peer_drain(p);
	/* 100 ms steps; each second the bytes received acknowledged. */
	for (t = 1; t < 1200 && !p->rst; t++) {
		p->now += 100000;
		tcp_timers(p->c, p->now, 100000);
		peer_drain(p);
		if (!p->rst && t % 10 == 0)
			peer_send_wnd(p, NET_TCP_ACK, NULL, 0, 1);
		peer_drain(p);
	}
	assert_true(p->rst);
	assert_in_range(t, 600, 615);
	assert_in_range(p->rx_len, 55, 65);
	assert_int_equal(tcp_counters(p->c)->send_timeout, 1);
	assert_int_equal(tcp_counters(p->c)->idle_timeout, 0);
	assert_int_equal(tcp_counters(p->c)->retransmit_abort, 0);
}

/*
 * A peer still acknowledging the response is not cut off by the wait
 * (the idle timeout here, 1 s): each ACK of new data starts it over,
 * and the RST comes after the whole response.
 */
static void
test_http_abort_slow_reader(void **state)
{
	struct peer *p = *state;
	uint32_t t;

	peer_connect(p, PORT_HTTP_ABORT_IDLE);
	peer_send_wnd(p, NET_TCP_ACK | NET_TCP_PSH, req, sizeof(req) - 1, 1460);
	peer_drain(p);
	/*
	 * A segment's worth of window (a smaller one would wait for the
	 * SWS override timeout) every 70 ms: 20 KB/s, 10 s for the body.
	 */
	for (t = 0; t < 6000 && !p->rst; t++) {
		p->now += 70000;
		tcp_timers(p->c, p->now, 100000);
		peer_drain(p);
		if (!p->rst)
			peer_send_wnd(p, NET_TCP_ACK, NULL, 0, 1460);
		peer_drain(p);
	}
	assert_true(p->rst);
	assert_true(p->rx_len > LARGE_BODY);
	assert_int_equal(tcp_counters(p->c)->idle_timeout, 0);
}

/*
 * A slow reader whose windows are small: 200 bytes offered every 10 ms
 * while the peer once offered far more. SWS avoidance holds each 200
 * bytes until the override timeout (the RTO, within 0.1 to 1 s), so new
 * data, and the ACK of it that starts the idle timeout (1 s) over, come
 * once per timeout: slow, but the whole response goes, in segments of
 * 200, and the idle timeout never cuts the reader off. Without the send
 * deadline: at about 1 KB/s this reader is below the 64 KiB a minute it
 * asks (tcp.send_timeout_ms), which would reset it first.
 */
static void
test_http_abort_small_window_reader(void **state)
{
	struct peer *p = *state;
	uint32_t t;

	peer_connect(p, PORT_HTTP_ABORT_IDLE);
	peer_send_wnd(p, NET_TCP_ACK | NET_TCP_PSH, req, sizeof(req) - 1, 200);
	peer_drain(p);
	for (t = 0; t < 200000 && !p->rst; t++) {
		p->now += 10000;
		tcp_timers(p->c, p->now, 100000);
		peer_drain(p);
		if (!p->rst)
			peer_send_wnd(p, NET_TCP_ACK, NULL, 0, 200);
		peer_drain(p);
	}
	assert_true(p->rst);
	assert_true(p->rx_len > LARGE_BODY);
	assert_int_equal(tcp_counters(p->c)->idle_timeout, 0);
	assert_true(tcp_counters(p->c)->sws_override >= LARGE_BODY / 200);
}

static void
test_echo(void **state)
{
	struct peer *p = *state;
	static char big[5001];

	memset(big, 'x', sizeof(big) - 1);
	big[1234] = 'y';
	peer_connect(p, PORT_ECHO);
	peer_data(p, "hello, world\n");
	peer_run(p, 100);
	assert_rx(p, "hello, world\n", 13);
	p->rx_len = 0;
	peer_data(p, big);
	peer_run(p, 200);
	assert_rx(p, big, sizeof(big) - 1);
	assert_false(p->fin);
	peer_send(p, NET_TCP_ACK | NET_TCP_FIN, NULL, 0);
	peer_run(p, 50);
	assert_true(p->fin);
}

static void
test_discard(void **state)
{
	struct peer *p = *state;
	static char big[3001];

	memset(big, 'z', sizeof(big) - 1);
	peer_connect(p, PORT_DISCARD);
	peer_data(p, big);
	peer_run(p, 100);
	assert_int_equal(p->rx_len, 0);
	assert_false(p->fin);
	assert_int_equal(gauge(p, TCP_ESTABLISHED), 1);
	peer_send(p, NET_TCP_ACK | NET_TCP_FIN, NULL, 0);
	peer_run(p, 50);
	assert_true(p->fin);
	assert_false(p->rst);
}

static void
test_idle_timeout(void **state)
{
	struct peer *p = *state;

	peer_connect(p, PORT_DISCARD_IDLE);
	peer_run(p, 60);
	peer_data(p, "activity");
	peer_run(p, 60);
	assert_false(p->fin);
	peer_run(p, 100);
	assert_true(p->fin);
	assert_int_equal(gauge(p, TCP_FIN_WAIT_2), 1);
	assert_int_equal(tcp_counters(p->c)->idle_timeout, 1);
}

/*
 * The application's deadlines are 32-bit milliseconds (app.c): the
 * clock's ms count wraps at 2^32 (49.7 days). An idle timeout of 100 ms
 * due 50 ms before the wrap, pushed back by data past it, is not taken
 * as due when the timer fires at the first deadline, and ends the
 * connection on time; one landing on 0 exactly (which means none) ends
 * it 1 ms late, not never; a close delay of 500 ms spans the wrap.
 */
static void
test_deadline_wrap(void **state)
{
	const uint64_t wrap_us = (UINT64_C(1) << 32) * 1000;
	struct peer *p = *state;

	p->now = wrap_us - 150000;
	peer_connect(p, PORT_DISCARD_IDLE);
	peer_run(p, 60);
	peer_data(p, "activity");
	peer_run(p, 60);
	assert_false(p->fin);
	peer_run(p, 100);
	assert_true(p->fin);
	assert_int_equal(tcp_counters(p->c)->idle_timeout, 1);

	/* Deadline 0 mod 2^32 ms: moved to 1 ms after it. */
	peer_reset(p);
	p->now = 2 * wrap_us - 100000;
	peer_connect(p, PORT_DISCARD_IDLE);
	peer_run(p, 100);
	assert_false(p->fin);
	peer_run(p, 20);
	assert_true(p->fin);
	assert_int_equal(tcp_counters(p->c)->idle_timeout, 2);

	peer_reset(p);
	p->now = 3 * wrap_us - 200000;
	peer_connect(p, PORT_ECHO_CLOSE_DELAY);
	peer_send(p, NET_TCP_ACK | NET_TCP_FIN, NULL, 0);
	peer_run(p, 400);
	assert_false(p->fin);
	assert_int_equal(gauge(p, TCP_CLOSE_WAIT), 1);
	peer_run(p, 200);
	assert_true(p->fin);
	assert_int_equal(gauge(p, TCP_CLOSE_WAIT), 0);
}

static void
test_close_delay(void **state)
{
	struct peer *p = *state;

	peer_connect(p, PORT_ECHO_CLOSE_DELAY);
	peer_send(p, NET_TCP_ACK | NET_TCP_FIN, NULL, 0);
	peer_run(p, 400);
	assert_false(p->fin);
	assert_int_equal(gauge(p, TCP_CLOSE_WAIT), 1);
	peer_run(p, 200);
	assert_true(p->fin);
	assert_int_equal(gauge(p, TCP_CLOSE_WAIT), 0);
}

/*
 * While the read delay runs, TCP holds and acknowledges what arrives: the
 * window shrinks to zero as the receive buffer (rcv_wnd) fills. When the
 * delay ends everything is echoed, in order, without retransmission.
 */
static void
test_read_delay(void **state)
{
	static uint8_t blk[1000];
	struct peer *p = *state;
	uint32_t i, sent = 0, wnd0;

	peer_connect(p, PORT_ECHO_READ_DELAY);
	wnd0 = p->wnd;
	peer_data(p, "abc");
	sent = 3;
	peer_run(p, 50);
	assert_int_equal(p->rx_len, 0);
	assert_int_equal(p->ack, p->snd_nxt);
	assert_int_equal(wnd0, 65535);
	assert_int_equal(p->wnd, wnd0 - 3);
	for (i = 0; i < sizeof(blk); i++)
		blk[i] = (uint8_t)('a' + i % 26);
	/* Fill the rest of the 65535-byte buffer. */
	while (sent < 65535) {
		uint32_t n = 65535 - sent < sizeof(blk) ? 65535 - sent :
							  sizeof(blk);

		peer_send(p, NET_TCP_ACK, blk, n);
		sent += n;
	}
	peer_run(p, 50);
	assert_int_equal(p->ack, p->snd_nxt);
	assert_int_equal(p->wnd, 0);
	assert_int_equal(p->rx_len, 0);
	/* A zero window probe is answered with the same zero window. */
	peer_send(p, NET_TCP_ACK, blk, 1);
	p->snd_nxt--;
	assert_int_equal(p->ack, p->snd_nxt);
	assert_int_equal(p->wnd, 0);
	/* The delay ends: the window reopens and the bytes come back. */
	peer_run(p, 300);
	assert_true(p->wnd > 0);
	assert_int_equal(p->rx_len, 65535);
	assert_memory_equal(p->rx, "abc", 3);
	assert_memory_equal(p->rx + 3, blk, sizeof(blk));
}

/*
 * http with a read delay: the request is acknowledged and held (the
 * window shrinks by its length), the peer's FIN is acknowledged too, and
 * the response comes only when the delay ends.
 */
static void
test_http_read_delay(void **state)
{
	struct peer *p = *state;
	char want[256];
	size_t n = expect_response(want, sizeof(want), 2, true);
	uint32_t wnd0;

	peer_connect(p, PORT_HTTP_READ_DELAY);
	wnd0 = p->wnd;
	peer_data(p, req);
	peer_run(p, 100);
	assert_int_equal(p->rx_len, 0);
	assert_int_equal(p->ack, p->snd_nxt);
	assert_int_equal(p->wnd, wnd0 - (sizeof(req) - 1));
	peer_send(p, NET_TCP_ACK | NET_TCP_FIN, NULL, 0);
	assert_int_equal(p->ack, p->snd_nxt);
	assert_int_equal(gauge(p, TCP_CLOSE_WAIT), 1);
	assert_int_equal(p->rx_len, 0);
	peer_run(p, 250);
	assert_rx(p, want, n);
	assert_true(p->fin);
	assert_false(p->rst);
}

/* Whether the connection was closed for want of a head, and how often. */
static uint64_t
head_timeouts(const struct peer *p)
{
	return tcp_counters(p->c)->http_head_timeout;
}

/*
 * A peer that completes the handshake and sends nothing is closed (FIN,
 * no response) when head_timeout_ms has passed since the open, counted
 * in http_head_timeout and not as idle.
 */
static void
test_http_head_timeout_silent(void **state)
{
	struct peer *p = *state;

	peer_connect(p, PORT_HTTP_HEAD_TO);
	peer_run(p, HEAD_TO_MS - 10);
	assert_false(p->fin);
	assert_int_equal(head_timeouts(p), 0);
	peer_run(p, 20);
	assert_true(p->fin);
	assert_false(p->rst);
	assert_int_equal(p->rx_len, 0);
	assert_int_equal(head_timeouts(p), 1);
	assert_int_equal(tcp_counters(p->c)->idle_timeout, 0);
	assert_int_equal(gauge(p, TCP_FIN_WAIT_2), 1);
}

/* The one connection's listed timer (tcp_list(), as ss -o shows it). */
static struct tcp_list_rec
listed(const struct peer *p)
{
	struct tcp_list_filter f = { 0 };
	struct tcp_list_rec r[4];
	uint32_t cursor = 0, n = 0;

	while (cursor != TCP_LIST_END)
		n += tcp_list(p->c, &cursor, &f, r + n, 4 - n, 1024, p->now);
	assert_int_equal(n, 1);
	return r[0];
}

/*
 * The head deadline armed at the open stays armed after the close
 * (cancelling it would cost every connection a call) and then does
 * nothing when it fires: a listing shows the timer that can still act,
 * FIN_WAIT_2's, not the application's. Before the close, the head
 * deadline is the one listed.
 */
static void
test_http_head_timer_listed_until_close(void **state)
{
	struct peer *p = *state;
	struct tcp_list_rec r;

	peer_connect(p, PORT_HTTP_HEAD_AFTER);
	r = listed(p);
	assert_int_equal(r.timer, TCP_LT_APP);
	assert_true(r.timer_ms > HEAD_TO_MS - 10 && r.timer_ms <= HEAD_TO_MS);
	peer_data(p, req);
	peer_run(p, 50);
	assert_true(p->fin);
	assert_int_equal(gauge(p, TCP_FIN_WAIT_2), 1);
	r = listed(p);
	assert_int_equal(r.state, TCP_FIN_WAIT_2);
	assert_int_equal(r.timer, TCP_LT_STATE);
	assert_true(r.timer_ms > 1900 && r.timer_ms <= 2000);
	/* It fires, does nothing, and the listing is unchanged. */
	peer_run(p, HEAD_TO_MS);
	assert_int_equal(head_timeouts(p), 0);
	r = listed(p);
	assert_int_equal(r.timer, TCP_LT_STATE);
}

/*
 * A head dripped a byte every tenth of the timeout from the open: the
 * FIN comes at the deadline from the open, the bytes never pushing it
 * back.
 */
static void
head_dripped_to_deadline(struct peer *p)
{
	unsigned int i;

	for (i = 0; i < 9; i++) {
		peer_run(p, HEAD_TO_MS / 10);
		peer_send(p, NET_TCP_ACK | NET_TCP_PSH, req + i, 1);
	}
	peer_run(p, HEAD_TO_MS / 10 - 20);
	assert_false(p->fin);
	peer_run(p, 30);
	assert_true(p->fin);
}

/*
 * Slowloris: a byte of the head every tenth of the timeout. The bytes
 * do not push the deadline back: the connection is closed when the
 * timeout has passed since the open, the head still incomplete.
 */
static void
test_http_head_timeout_slowloris(void **state)
{
	struct peer *p = *state;

	peer_connect(p, PORT_HTTP_HEAD_TO);
	head_dripped_to_deadline(p);
	assert_int_equal(p->rx_len, 0);
	assert_int_equal(head_timeouts(p), 1);
}

/*
 * A head complete in time is served, and the next keep-alive request
 * gets a fresh deadline from the response: the connection outlives the
 * first deadline, serves a second request, and is closed the timeout
 * after the second response, the head of a third never coming.
 */
static void
test_http_head_timeout_keepalive(void **state)
{
	struct peer *p = *state;
	char want[256];
	size_t n = expect_response(want, sizeof(want), 2, false);

	peer_connect(p, PORT_HTTP_HEAD_TO);
	peer_run(p, 600);
	peer_data(p, req);
	assert_rx(p, want, n);
	peer_run(p, 800);
	assert_false(p->fin);
	peer_data(p, req);
	assert_int_equal(p->rx_len, 2 * n);
	peer_run(p, HEAD_TO_MS - 20);
	assert_false(p->fin);
	assert_int_equal(head_timeouts(p), 0);
	peer_run(p, 30);
	assert_true(p->fin);
	assert_int_equal(p->rx_len, 2 * n);
	assert_int_equal(head_timeouts(p), 1);
}

/*
 * The deadline is for the head: while its response is still being
 * sent (a slow reader, 1460 bytes of window every 70 ms, about 10 s for
 * LARGE_BODY) none runs; the next starts once the response is all
 * queued, so the whole response arrives, then the FIN.
 */
static void
test_http_head_timeout_slow_response(void **state)
{
	struct peer *p = *state;
	uint32_t t;

	peer_connect(p, PORT_HTTP_HEAD_LARGE);
	peer_send_wnd(p, NET_TCP_ACK | NET_TCP_PSH, req, sizeof(req) - 1, 1460);
	peer_drain(p);
	for (t = 0; t < 6000 && !p->fin && !p->rst; t++) {
		p->now += 70000;
		tcp_timers(p->c, p->now, 100000);
		peer_drain(p);
		peer_send_wnd(p, NET_TCP_ACK, NULL, 0, 1460);
		peer_drain(p);
	}
	assert_true(p->fin);
	assert_false(p->rst);
	assert_true(t * 70 > 5 * HEAD_TO_MS);
	/* Its header is the one of a 2-byte body, Content-Length aside. */
	assert_int_equal(p->rx_len,
			 header_len(2, false) - strlen("2") + strlen("200000") +
				 LARGE_BODY);
	assert_int_equal(head_timeouts(p), 1);
}

/*
 * A keep-alive head completes before its deadline, and its response is
 * owed past that deadline to a slow reader: the deadline was met, so
 * the application timer goes quiet rather than firing on every poll at
 * a deadline gone by (the connection's timers fire a few times a
 * second, as a slow reader's ACKs and the retransmission timer make
 * them, not once per poll).
 */
static void
test_http_head_timeout_met(void **state)
{
	struct peer *p = *state;
	uint32_t t, fired = 0, len = (uint32_t)strlen(req);

	peer_connect(p, PORT_HTTP_HEAD_LARGE);
	peer_data(p, req);
	peer_run(p, 300);
	assert_int_equal(p->rx_len,
			 header_len(2, false) - strlen("2") + strlen("200000") +
				 LARGE_BODY);
	/* The next head, in time, its response read slowly. */
	peer_send_wnd(p, NET_TCP_ACK | NET_TCP_PSH, req, len, 1460);
	peer_drain(p);
	for (t = 0; t < 30; t++) {
		p->now += 70000;
		fired += tcp_timers(p->c, p->now, 100000);
		peer_drain(p);
		peer_send_wnd(p, NET_TCP_ACK, NULL, 0, 1460);
		peer_drain(p);
	}
	assert_false(p->fin || p->rst);
	assert_int_equal(head_timeouts(p), 0);
	assert_true(fired < 30);
}

/*
 * An http listener registered with tcp_listen() alone, no open timer
 * (as the fuzzer's and benchmarks' are): its connections still get the
 * head deadline, armed at the open by the application instead.
 */
static void
test_http_head_timeout_no_open_timer(void **state)
{
	static const struct cfg_listener l = {
		.port = 8081,
		.app = CFG_APP_HTTP,
		.close = CFG_CLOSE_ON_PEER_FIN,
		.response_body_bytes = 2,
		.head_timeout_ms = HEAD_TO_MS,
	};
	struct peer *p = *state;
	struct tcp_ctx *orig = p->c;

	small_buf_ctx(p, &l, 65536);
	peer_connect(p, l.port);
	peer_run(p, HEAD_TO_MS - 10);
	assert_false(p->fin);
	peer_run(p, 20);
	assert_true(p->fin);
	assert_false(p->rst);
	assert_int_equal(p->rx_len, 0);
	assert_int_equal(head_timeouts(p), 1);
	tcp_ctx_destroy(p->c);
	p->c = orig;
}

/* head_timeout_ms 0: no deadline; a silent peer stays. */
static void
test_http_head_timeout_none(void **state)
{
	struct peer *p = *state;

	peer_connect(p, PORT_HTTP_KEEP);
	peer_run(p, 5 * HEAD_TO_MS);
	peer_send(p, NET_TCP_ACK | NET_TCP_PSH, req, 5);
	peer_run(p, 5 * HEAD_TO_MS);
	assert_false(p->fin);
	assert_int_equal(gauge(p, TCP_ESTABLISHED), 1);
	assert_int_equal(head_timeouts(p), 0);
}

/*
 * With an idle timeout too, the earlier deadline wins: a silent peer is
 * closed as idle (400 ms), a slowloris one, never idle, at the head's
 * deadline (1 s).
 */
static void
test_http_head_timeout_idle(void **state)
{
	struct peer *p = *state;

	peer_connect(p, PORT_HTTP_HEAD_IDLE);
	peer_run(p, 390);
	assert_false(p->fin);
	peer_run(p, 20);
	assert_true(p->fin);
	assert_int_equal(tcp_counters(p->c)->idle_timeout, 1);
	assert_int_equal(head_timeouts(p), 0);

	peer_reset(p);
	peer_connect(p, PORT_HTTP_HEAD_IDLE);
	head_dripped_to_deadline(p);
	assert_int_equal(tcp_counters(p->c)->idle_timeout, 1);
	assert_int_equal(head_timeouts(p), 1);
}

/*
 * The read delay suspends the deadline: the server does not read, so a
 * complete head held meanwhile is served even when the deadline from
 * the open passed during the delay; and the deadline starts afresh when
 * the delay ends, for a head still incomplete then.
 */
static void
test_http_head_timeout_read_delay(void **state)
{
	struct peer *p = *state;
	char want[256];
	size_t n = expect_response(want, sizeof(want), 2, true);

	peer_connect(p, PORT_HTTP_HEAD_READ_DELAY);
	peer_run(p, 900);
	peer_data(p, req);
	peer_run(p, 250);
	assert_false(p->fin);
	assert_int_equal(p->rx_len, 0);
	peer_run(p, 100);
	assert_rx(p, want, n);
	assert_true(p->fin);
	assert_int_equal(head_timeouts(p), 0);

	peer_reset(p);
	peer_connect(p, PORT_HTTP_HEAD_READ_DELAY);
	peer_run(p, 500);
	peer_data(p, "GET / HTTP/1.1\r\n");
	/* Read from 800 ms: the deadline is at 1800. */
	peer_run(p, 300 + HEAD_TO_MS - 20);
	assert_false(p->fin);
	peer_run(p, 30);
	assert_true(p->fin);
	assert_int_equal(p->rx_len, 0);
	assert_int_equal(head_timeouts(p), 1);
}

/* Connections in any state, TIME_WAIT records included. */
static uint64_t
conns_left(const struct peer *p)
{
	uint64_t n = 0;
	int s;

	for (s = TCP_SYN_RECEIVED; s < TCP_STATE_MAX; s++)
		n += gauge(p, (enum tcp_state)s);
	return n;
}

/*
 * The read delay holds what the peer sent (and its FIN behind it, with
 * fin); the idle timeout, shorter, closes the connection before the
 * delay ends, so the application never reads those bytes. RFC 1122
 * 4.2.2.13: a RST shows that data was lost, <SEQ=SND.NXT> as ABORT sends
 * it (RFC 9293 3.10.5), acknowledging all the peer sent; no FIN; the
 * connection and its receive buffer freed; counted in
 * close_unread_reset (n so far), and as an idle timeout.
 */
static void
read_idle_reset(struct peer *p, uint16_t port, const char *data, bool fin,
		uint64_t n)
{
	const struct tcp_counters *k = tcp_counters(p->c);
	uint32_t snd_nxt;

	peer_reset(p);
	peer_connect(p, port);
	snd_nxt = p->rcv_nxt;
	peer_data(p, data);
	if (fin)
		peer_send(p, NET_TCP_ACK | NET_TCP_FIN, NULL, 0);
	peer_run(p, 90);
	assert_int_equal(p->ack, p->snd_nxt);
	assert_false(p->rst);
	assert_false(p->fin);
	assert_int_equal(k->rcvbuf_bytes, strlen(data));
	assert_int_equal(k->close_unread_reset, n - 1);
	peer_run(p, 20);
	assert_true(p->rst);
	assert_false(p->fin);
	assert_int_equal(p->rst_seq, snd_nxt);
	assert_int_equal(p->rst_ack, p->snd_nxt);
	assert_int_equal(p->rx_len, 0);
	assert_int_equal(conns_left(p), 0);
	assert_int_equal(k->rcvbuf_bytes, 0);
	assert_int_equal(k->close_unread_reset, n);
	assert_int_equal(k->idle_timeout, n);
	assert_int_equal(tcp_ctx_check(p->c), 0);
}

/*
 * A close that leaves received data unread resets the connection, for
 * every application; with nothing held, the idle timeout's close is the
 * usual FIN.
 */
static void
test_read_delay_idle_reset(void **state)
{
	struct peer *p = *state;

	read_idle_reset(p, PORT_DISCARD_READ_IDLE, "abc", false, 1);
	read_idle_reset(p, PORT_ECHO_READ_IDLE, "abc", false, 2);
	read_idle_reset(p, PORT_HTTP_READ_IDLE, req, false, 3);
	read_idle_reset(p, PORT_HTTP_READ_IDLE, req, true, 4);
	read_idle_reset(p, PORT_ECHO_READ_IDLE, "abc", true, 5);

	peer_reset(p);
	peer_connect(p, PORT_DISCARD_READ_IDLE);
	peer_run(p, 110);
	assert_true(p->fin);
	assert_false(p->rst);
	assert_int_equal(gauge(p, TCP_FIN_WAIT_2), 1);
	assert_int_equal(tcp_counters(p->c)->idle_timeout, 6);
	assert_int_equal(tcp_counters(p->c)->close_unread_reset, 5);
}

/* Start a drain and let the walk offer every connection. */
static void
drain_now(struct peer *p)
{
	tcp_drain_start(p->c);
	while (tcp_drain_step(p->c, p->now, 64) > 0)
		peer_drain(p);
	peer_drain(p);
}

/*
 * A drain that starts while the only response's header is partly queued
 * (a send buffer of 40 to 140 bytes stops it at every offset): the
 * header is finished in the variant it started in, keep-alive or
 * "close", never the rest of one after the start of the other (as
 * "Connection: keose"), and the FIN follows. For a HEAD, no body.
 */
static void
drain_mid_header(void **state, const char *in, bool head)
{
	static const struct cfg_listener l = {
		.port = 8090,
		.app = CFG_APP_HTTP,
		.close = CFG_CLOSE_ON_PEER_FIN,
		.response_body_bytes = 2,
	};
	struct peer *p = *state;
	struct tcp_ctx *orig = p->c;
	char ka[512], cl[512];
	size_t nka = expect_response(ka, sizeof(ka), 2, false);
	size_t ncl = expect_response(cl, sizeof(cl), 2, true);
	uint32_t snd_buf;

	if (head) {
		nka -= 2;
		ncl -= 2;
	}
	for (snd_buf = 40; snd_buf <= 140; snd_buf++) {
		small_buf_ctx(p, &l, snd_buf);
		peer_connect(p, l.port);
		peer_data(p, in);
		drain_now(p);
		peer_run(p, 2000);
		if (!(p->rx_len == nka && memcmp(p->rx, ka, nka) == 0) &&
		    !(p->rx_len == ncl && memcmp(p->rx, cl, ncl) == 0))
			fail_msg("snd_buf %u: %u bytes, not one whole header "
				 "of either kind: %.*s",
				 snd_buf, p->rx_len, (int)p->rx_len,
				 (const char *)p->rx);
		assert_true(p->fin);
		assert_false(p->rst);
		tcp_ctx_destroy(p->c);
	}
	p->c = orig;
}

static void
test_http_drain_mid_header(void **state)
{
	drain_mid_header(state, req, false);
}

static void
test_http_drain_mid_head_only(void **state)
{
	drain_mid_header(state, head_req, true);
}

/*
 * A drain leaves a connection with a head under way to finish it; the
 * head's deadline still bounds it, from the open.
 */
static void
test_http_head_timeout_drain(void **state)
{
	struct peer *p = *state;

	peer_connect(p, PORT_HTTP_HEAD_TO);
	peer_run(p, 300);
	peer_data(p, "GET / HTTP/1.1\r\n");
	drain_now(p);
	assert_false(p->fin);
	peer_run(p, HEAD_TO_MS - 300 - 20);
	assert_false(p->fin);
	peer_run(p, 30);
	assert_true(p->fin);
	assert_int_equal(p->rx_len, 0);
	assert_int_equal(head_timeouts(p), 1);
}

/*
 * A body announced by Content-Length is bounded by the deadline that
 * starts when its head's response is queued, its bytes not pushing it
 * back; the next head's deadline starts when the body is all in. A body
 * trickled in within the deadline is read and the next request served
 * past the first deadline; one still coming when it runs out is cut
 * there (FIN, counted as http_head_timeout).
 */
static void
test_http_head_timeout_body(void **state)
{
	static const char post[] = "POST / HTTP/1.1\r\nHost: t\r\n"
				   "Content-Length: 9\r\n\r\n";
	static const char slow[] = "POST / HTTP/1.1\r\nHost: t\r\n"
				   "Content-Length: 50\r\n\r\n";
	struct peer *p = *state;
	char want[256];
	size_t n = expect_response(want, sizeof(want), 2, false);
	unsigned int i;

	peer_connect(p, PORT_HTTP_HEAD_TO);
	peer_data(p, post);
	assert_int_equal(p->rx_len, n);
	for (i = 0; i < 9; i++) {
		peer_run(p, HEAD_TO_MS / 10);
		peer_send(p, NET_TCP_ACK | NET_TCP_PSH, "x", 1);
	}
	/* Past the head's response's deadline, within the body end's. */
	peer_run(p, HEAD_TO_MS - 200);
	assert_false(p->fin || p->rst);
	peer_data(p, req);
	assert_int_equal(p->rx_len, 2 * n);
	assert_int_equal(head_timeouts(p), 0);
	/* A body trickled past the deadline is cut at it. */
	peer_data(p, slow);
	assert_int_equal(p->rx_len, 3 * n);
	for (i = 0; i < 9; i++) {
		peer_run(p, HEAD_TO_MS / 10);
		peer_send(p, NET_TCP_ACK | NET_TCP_PSH, "x", 1);
	}
	peer_run(p, HEAD_TO_MS / 10 - 20);
	assert_false(p->fin);
	peer_run(p, 30);
	assert_true(p->fin);
	assert_false(p->rst);
	assert_int_equal(p->rx_len, 3 * n);
	assert_int_equal(head_timeouts(p), 1);
}

/* An idle keep-alive connection gets a FIN at once, and no more data. */
static void
test_drain_http_idle(void **state)
{
	struct peer *p = *state;
	char want[256];
	size_t n = expect_response(want, sizeof(want), 2, false);

	peer_connect(p, PORT_HTTP_KEEP);
	peer_data(p, req);
	peer_run(p, 100);
	assert_rx(p, want, n);
	assert_false(p->fin);
	drain_now(p);
	assert_true(p->fin);
	assert_false(p->rst);
	assert_int_equal(p->rx_len, n);
	peer_send(p, NET_TCP_ACK | NET_TCP_FIN, NULL, 0);
	peer_run(p, 50);
	assert_int_equal(gauge(p, TCP_TIME_WAIT), 1);
	assert_true(tcp_drain_done(p->c, false));
	assert_false(tcp_drain_done(p->c, true));
}

/*
 * Idle after an empty line (RFC 9112 2.2: skipped before a request line):
 * the empty line alone is no request begun, so the drain closes at once.
 */
static void
test_drain_http_idle_after_crlf(void **state)
{
	struct peer *p = *state;
	char want[256];
	size_t n = expect_response(want, sizeof(want), 2, false);

	peer_connect(p, PORT_HTTP_KEEP);
	peer_data(p, req);
	peer_run(p, 100);
	assert_rx(p, want, n);
	peer_data(p, "\r\n");
	peer_run(p, 50);
	assert_false(p->fin);
	drain_now(p);
	assert_true(p->fin);
	assert_false(p->rst);
	assert_int_equal(p->rx_len, n);
}

/* A request half received: its response says close, then the FIN. */
static void
test_drain_http_busy(void **state)
{
	struct peer *p = *state;
	char want[256];
	size_t n = expect_response(want, sizeof(want), 2, true);

	peer_connect(p, PORT_HTTP_KEEP);
	peer_data(p, "GET / HTTP/1.1\r\nHo");
	drain_now(p);
	assert_false(p->fin);
	peer_data(p, "st: t\r\n\r\n");
	peer_run(p, 100);
	assert_rx(p, want, n);
	assert_true(p->fin);
	assert_false(p->rst);
}

/* Echo: FIN after what was echoed; data in flight is taken, no RST. */
static void
test_drain_echo(void **state)
{
	struct peer *p = *state;

	peer_connect(p, PORT_ECHO);
	peer_data(p, "hello\n");
	drain_now(p);
	peer_run(p, 100);
	assert_rx(p, "hello\n", 6);
	assert_true(p->fin);
	peer_data(p, "late bytes");
	peer_run(p, 100);
	assert_false(p->rst);
	assert_rx(p, "hello\n", 6);
	assert_int_equal(gauge(p, TCP_FIN_WAIT_2), 1);
	peer_send(p, NET_TCP_ACK | NET_TCP_FIN, NULL, 0);
	peer_run(p, 50);
	assert_int_equal(gauge(p, TCP_TIME_WAIT), 1);
}

/* Send n bytes in segments of at most 1000. */
static void
peer_fill(struct peer *p, uint32_t n)
{
	static uint8_t blk[1000];
	uint32_t sent = 0, k;

	memset(blk, 'z', sizeof(blk));
	while (sent < n) {
		k = n - sent < sizeof(blk) ? n - sent : sizeof(blk);
		peer_send(p, NET_TCP_ACK, blk, k);
		sent += k;
	}
}

/*
 * The peer's FIN after our own, every byte taken: acknowledged, and the
 * connection ends in TIME_WAIT, not reset.
 */
static void
peer_fin_time_wait(struct peer *p)
{
	peer_send(p, NET_TCP_ACK | NET_TCP_FIN, NULL, 0);
	assert_int_equal(p->ack, p->snd_nxt);
	assert_int_equal(gauge(p, TCP_TIME_WAIT), 1);
	assert_false(p->rst);
}

/*
 * A drain during the read delay: the half-close ends the delay, and the
 * application, reading on after its close (and discarding), takes at
 * once the bytes the delay held: the window the peer filled reopens, so
 * its FIN, refused while the window was shut, is taken, and the
 * connection ends in TIME_WAIT, nothing held, no RST.
 */
static void
test_drain_read_delay_offers_held(void **state)
{
	struct peer *p = *state;

	peer_connect(p, PORT_ECHO_READ_DELAY);
	peer_fill(p, 65535);
	peer_run(p, 50);
	assert_int_equal(p->ack, p->snd_nxt);
	assert_int_equal(p->wnd, 0);
	drain_now(p);
	peer_run(p, 50);
	assert_true(p->fin);
	assert_int_equal(p->rx_len, 0);
	assert_int_equal(tcp_counters(p->c)->rcvbuf_bytes, 0);
	assert_true(p->wnd > 0);
	assert_int_equal(gauge(p, TCP_FIN_WAIT_2), 1);
	peer_fin_time_wait(p);
	assert_int_equal(tcp_counters(p->c)->close_unread_reset, 0);
}

/*
 * A drain during the read delay of a listener with an idle timeout,
 * from the clock start (us): the half-close offers the held bytes and
 * the idle timer runs on (READING); when it fires, pushed back by data
 * meanwhile, the read delay is over and nothing of it is due (delay_at
 * is 0: none), whatever half of the 2^32 ms clock it fires in. The
 * window stays open as echo discards, so the peer's FIN behind a full
 * window comes in: TIME_WAIT, no RST.
 */
static void
drain_read_idle(struct peer *p, uint64_t start)
{
	p->now = start;
	peer_connect(p, PORT_ECHO_READ_IDLE);
	peer_fill(p, 65535);
	peer_run(p, 50);
	assert_int_equal(p->wnd, 0);
	drain_now(p);
	peer_run(p, 40);
	assert_true(p->fin);
	/* The idle deadline goes past the timer armed at the drain. */
	peer_data(p, "x");
	peer_run(p, 70);
	assert_int_equal(gauge(p, TCP_FIN_WAIT_2), 1);
	/* All the window the peer knows (no scaling: its SYN had none). */
	peer_fill(p, p->wnd);
	peer_run(p, 50);
	assert_int_equal(p->ack, p->snd_nxt);
	assert_true(p->wnd > 0);
	peer_fin_time_wait(p);
	assert_int_equal(tcp_counters(p->c)->close_unread_reset, 0);
}

/* The clock's ms count in [0, 2^31): 0 - d reads as not negative. */
static void
test_drain_read_idle_clock_low(void **state)
{
	drain_read_idle(*state, UINT64_C(1000000));
}

/* The clock's ms count in [2^31, 2^32). */
static void
test_drain_read_idle_clock_high(void **state)
{
	drain_read_idle(*state, ((UINT64_C(1) << 31) + 1000) * 1000);
}

/*
 * An echo connection half-closed by a drain reads on, discarding: its
 * window is no longer its send space (none is left once the FIN is
 * queued) but the receive buffer's. A peer that fills the window it
 * knows still gets its FIN in: TIME_WAIT, no RST.
 */
static void
test_drain_echo_window_after_close(void **state)
{
	struct peer *p = *state;

	peer_connect(p, PORT_ECHO);
	drain_now(p);
	peer_run(p, 50);
	assert_true(p->fin);
	assert_int_equal(gauge(p, TCP_FIN_WAIT_2), 1);
	/* All the window the peer knows (no scaling: its SYN had none). */
	peer_fill(p, p->wnd);
	peer_run(p, 50);
	assert_int_equal(p->ack, p->snd_nxt);
	assert_true(p->wnd > 0);
	assert_int_equal(p->rx_len, 0);
	peer_fin_time_wait(p);
}

/* A close held by close_delay_ms happens at once when draining. */
static void
test_drain_close_delay(void **state)
{
	struct peer *p = *state;

	peer_connect(p, PORT_ECHO_CLOSE_DELAY);
	peer_send(p, NET_TCP_ACK | NET_TCP_FIN, NULL, 0);
	peer_run(p, 50);
	assert_int_equal(gauge(p, TCP_CLOSE_WAIT), 1);
	assert_false(p->fin);
	drain_now(p);
	assert_true(p->fin);
	assert_int_equal(gauge(p, TCP_LAST_ACK), 1);
}

/* A connection completing its handshake during a drain: echo closes. */
static void
test_drain_echo_open_late(void **state)
{
	struct peer *p = *state;

	p->port = PORT_ECHO;
	p->rport = 45000;
	p->snd_nxt = PEER_ISN;
	peer_send(p, NET_TCP_SYN, NULL, 0);
	assert_true(p->synack);
	drain_now(p);
	peer_send(p, NET_TCP_ACK, NULL, 0);
	assert_true(p->fin);
	assert_false(p->rst);
}

/* The least configuration app_tcp_params() reads, limits set. */
static void
params_cfg(struct cfg *c)
{
	memset(c, 0, sizeof(*c));
	c->limits.max_connections = 8;
	c->limits.max_time_wait = 8;
	c->limits.max_send_buffers = 64;
}

/* limits.max_receive_buffers reaches the TCP context; 0 keeps its rule. */
static void
test_rcv_buffers_param(void **state)
{
	struct tcp_params p;
	struct cfg c;

	(void)state;
	params_cfg(&c);
	app_tcp_params(&c, 2, &p);
	assert_int_equal(p.max_rcv_buffers, 0);
	c.limits.max_receive_buffers = 300;
	app_tcp_params(&c, 2, &p);
	/* Per worker as written, like max_send_buffers. */
	assert_int_equal(p.max_rcv_buffers, 300);
	assert_int_equal(p.max_send_buffers, c.limits.max_send_buffers);
}

/*
 * limits.max_connections_per_source is split over the workers, rounded
 * up; 0 stays 0 (no limit).
 */
static void
test_per_source_param(void **state)
{
	struct tcp_params p;
	struct cfg c;

	(void)state;
	params_cfg(&c);
	app_tcp_params(&c, 2, &p);
	assert_int_equal(p.max_per_source, 0);
	c.limits.max_connections_per_source = 100;
	app_tcp_params(&c, 2, &p);
	assert_int_equal(p.max_per_source, 50);
	c.limits.max_connections_per_source = 1;
	app_tcp_params(&c, 2, &p);
	assert_int_equal(p.max_per_source, 1);
	c.limits.max_connections_per_source = 101;
	app_tcp_params(&c, 3, &p);
	assert_int_equal(p.max_per_source, 34);
}

/*
 * IPv6 reaches the TCP context when a port has an address of it: the
 * MSS of the same MTU (1460 over IPv4 -> 1440), and IPv6 TIME_WAIT
 * records max_time_wait / 4 by default, or limits.max_time_wait6, split
 * over the workers.
 */
static void
test_ipv6_params(void **state)
{
	struct tcp_params p;
	struct cfg c;

	(void)state;
	memset(&c, 0, sizeof(c));
	c.n_ports = 1;
	c.tcp.mss = 1460;
	c.limits.max_connections = 8;
	c.limits.max_time_wait = 4000;
	c.limits.max_send_buffers = 64;
	app_tcp_params(&c, 2, &p);
	assert_false(p.ipv6);
	assert_int_equal(p.max_time_wait6, 0);
	c.ports[0].has_ipv6 = true;
	app_tcp_params(&c, 2, &p);
	assert_true(p.ipv6);
	assert_int_equal(p.mss6, 1440);
	assert_int_equal(p.max_time_wait6, 500);
	c.limits.max_time_wait6 = 30;
	app_tcp_params(&c, 2, &p);
	assert_int_equal(p.max_time_wait6, 15);
	/* At least one per worker. */
	c.limits.max_time_wait6 = 0;
	c.limits.max_time_wait = 3;
	app_tcp_params(&c, 2, &p);
	assert_int_equal(p.max_time_wait6, 1);
	c.tcp.mss = 8960;
	app_tcp_params(&c, 2, &p);
	assert_int_equal(p.mss6, 8940);
}

/*
 * listeners[].family reaches the TCP layer: one port may have a
 * listener per family (two listeners for both would be refused).
 */
static void
test_listen_family(void **state)
{
	static const struct cfg_listener two[] = {
		{ .port = 80, .app = CFG_APP_HTTP, .family = CFG_FAMILY_IPV4 },
		{ .port = 80, .app = CFG_APP_ECHO, .family = CFG_FAMILY_IPV6 },
	};
	struct tcp_params tp = {
		.msl_ms = 1000,
		.mss = 1460,
		.rcv_wnd = 65535,
		.snd_buf = 65536,
		.max_connections = 4,
		.max_time_wait = 4,
		.max_send_buffers = 4,
		.ipv6 = true,
		.max_time_wait6 = 4,
	};
	struct tcp_ctx *t;
	struct cfg *c;

	(void)state;
	assert_int_equal(app_family(CFG_FAMILY_BOTH), TCP_FAMILY_BOTH);
	assert_int_equal(app_family(CFG_FAMILY_IPV4), TCP_FAMILY_IPV4);
	assert_int_equal(app_family(CFG_FAMILY_IPV6), TCP_FAMILY_IPV6);
	c = calloc(1, sizeof(*c));
	assert_non_null(c);
	memcpy(c->listeners, two, sizeof(two));
	c->n_listeners = 2;
	t = tcp_ctx_create(&tp, 1000000);
	assert_non_null(t);
	assert_int_equal(app_listen_all(t, c), 0);
	/* The open timer is the listener's, of one port and family. */
	assert_int_equal(tcp_listen_open_timer(t, 80, TCP_FAMILY_IPV4, 1), 0);
	assert_int_equal(tcp_listen_open_timer(t, 80, TCP_FAMILY_BOTH, 1),
			 -ENOENT);
	assert_int_equal(tcp_listen_open_timer(t, 81, TCP_FAMILY_IPV4, 1),
			 -ENOENT);
	tcp_ctx_destroy(t);
	/* Both families twice on one port is refused. */
	c->listeners[0].family = CFG_FAMILY_BOTH;
	c->listeners[1].family = CFG_FAMILY_BOTH;
	t = tcp_ctx_create(&tp, 1000000);
	assert_non_null(t);
	assert_true(app_listen_all(t, c) < 0);
	tcp_ctx_destroy(t);
	free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scan_table),
		cmocka_unit_test(test_scan_every_split),
		cmocka_unit_test(test_scan_bytewise),
		cmocka_unit_test(test_scan_consumed),
		cmocka_unit_test(test_scan_random_vs_reference),
		cmocka_unit_test(test_scan_terminator_splits),
		cmocka_unit_test(test_scan_long_heads),
		cmocka_unit_test(test_scan_whole_heads_vs_reference),
		cmocka_unit_test(test_rcv_buffers_param),
		cmocka_unit_test(test_per_source_param),
		cmocka_unit_test(test_ipv6_params),
		cmocka_unit_test(test_listen_family),
#define E2E(t) cmocka_unit_test_setup_teardown(t, e2e_setup, e2e_teardown)
		E2E(test_http_after_response),
		E2E(test_http_keepalive),
		E2E(test_http_pipelined),
		E2E(test_http_split_head),
		E2E(test_http_connection_close),
		E2E(test_http_large_body),
		E2E(test_http_send_buffer_splits),
		E2E(test_http_waits_for_send_buffer),
		E2E(test_echo_window_reopens),
		E2E(test_echo_window_rides_on_data),
		E2E(test_echo_window_not_after_fin),
		E2E(test_echo_window_open_no_update),
		E2E(test_echo_window_scaled_open),
		E2E(test_echo_window_scaled_unit),
		E2E(test_echo_window_small_buffer),
		E2E(test_echo_window_waits_for_buffer),
		E2E(test_echo_window_one_per_buffer),
		E2E(test_echo_window_waiters_fill_table),
		E2E(test_echo_window_synack_shut),
		E2E(test_echo_synack_again_keeps_window),
		E2E(test_echo_window_read_delay_end),
		E2E(test_echo_window_waiter_freed),
		E2E(test_echo_window_hold_lapses),
		E2E(test_echo_window_hold_follows_rto),
		E2E(test_echo_window_hold_keeps_for_gap),
		E2E(test_echo_window_unbacked),
		E2E(test_echo_window_refused_queues_behind),
		E2E(test_echo_window_writer_first),
		E2E(test_echo_window_waiter_fin_sacked),
		E2E(test_http_held_window_reopens),
		E2E(test_http_bound_at_edge),
		E2E(test_http_prepared_sizes),
		E2E(test_http_owed_limit),
		E2E(test_http_owed_limit_window),
		E2E(test_http_owed_limit_draining),
		E2E(test_http_owed_limit_small),
		E2E(test_http_head_too_long),
		E2E(test_http_head_timeout_silent),
		E2E(test_http_head_timer_listed_until_close),
		E2E(test_http_head_timeout_slowloris),
		E2E(test_http_head_timeout_keepalive),
		E2E(test_http_head_timeout_slow_response),
		E2E(test_http_head_timeout_met),
		E2E(test_http_head_timeout_no_open_timer),
		E2E(test_http_head_timeout_none),
		E2E(test_http_head_timeout_idle),
		E2E(test_http_head_timeout_read_delay),
		E2E(test_http_head_timeout_drain),
		E2E(test_http_head_timeout_body),
		E2E(test_http_body_crlfcrlf),
		E2E(test_http_body_large_pipelined),
		E2E(test_http_body_splits),
		E2E(test_http_body_zero),
		E2E(test_http_body_bad_length),
		E2E(test_http_body_chunked),
		E2E(test_http_bad_head),
		E2E(test_http_bad_head_smuggle),
		E2E(test_http_bad_head_splits),
		E2E(test_http_host_optional),
		E2E(test_http_bad_host),
		E2E(test_http_host_per_request),
		E2E(test_http_version_505),
		E2E(test_http_head),
		E2E(test_http_head_pipelined_splits),
		E2E(test_http_head_many),
		E2E(test_http_head_wait),
		E2E(test_http_head_close),
		E2E(test_http_head_not_head),
		E2E(test_http_head_505),
		E2E(test_http_head_bound),
		E2E(test_http_half_close),
		E2E(test_http_half_close_idle_reads),
		E2E(test_http_half_close_idle_silent),
		E2E(test_http_half_close_late_ack),
		E2E(test_http_fin_wait2_bounds),
		E2E(test_http_abort),
		E2E(test_http_abort_zero_window),
		E2E(test_http_abort_trickle_send_timeout),
		E2E(test_http_abort_slow_reader),
		cmocka_unit_test_setup_teardown(
			test_http_abort_small_window_reader,
			e2e_setup_unbounded, e2e_teardown),
		E2E(test_echo),
		E2E(test_discard),
		E2E(test_idle_timeout),
		E2E(test_deadline_wrap),
		E2E(test_close_delay),
		E2E(test_read_delay),
		E2E(test_http_read_delay),
		E2E(test_read_delay_idle_reset),
		E2E(test_drain_http_idle),
		E2E(test_drain_http_idle_after_crlf),
		E2E(test_drain_http_busy),
		E2E(test_http_drain_mid_header),
		E2E(test_http_drain_mid_head_only),
		E2E(test_drain_echo),
		E2E(test_drain_read_delay_offers_held),
		E2E(test_drain_read_idle_clock_low),
		E2E(test_drain_read_idle_clock_high),
		E2E(test_drain_echo_window_after_close),
		E2E(test_drain_close_delay),
		E2E(test_drain_echo_open_late),
#undef E2E
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
