/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The http application: a fixed response to every request head, and the
 * incremental request-head scanner it uses.
 *
 * Each complete head (bytes up to and including CRLFCRLF) owes one
 * response: "HTTP/1.1 200 OK", Server, Content-Length, Content-Type and
 * Connection headers, then response_body_bytes of body. The body is the
 * first N bytes of an endless repetition of "OK\n" (so 2 bytes is "OK").
 * Responses are queued in request order, as far as the send buffer
 * allows, and resumed when ACKs free space. A HEAD gets the header
 * alone (RFC 9110 9.3.2).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "app.h"
#include "app_internal.h"
#include "tcp_drain.h"

/* ---- request-head scanner ---- */

/*
 * A head is taken as RFC 9112 2.1 and 5 write it: a request line, field
 * lines, an empty line, each ending in CR LF. What does not parse so is
 * rejected where it is seen (APP_HTTP_BAD, answered 400): the scanner
 * stops there (app_http_scan()).
 */

/* What the current line is (struct app_http_scan.line). */
enum {
	SCAN_REQ = 0, /* request line (or empty lines before it) */
	SCAN_NAME,    /* field name, matching the names below */
	SCAN_VALUE,   /* value of a Connection field */
	SCAN_SKIP,    /* value of any other field */
	SCAN_EOL,     /* line ended, waiting for LF */
	SCAN_CLEN,    /* value of a Content-Length field */
	SCAN_BODY,    /* after the head: clen body bytes to skip */
	SCAN_FNAME,   /* name of any other field, up to its colon */
	SCAN_HOST,    /* value of the Host field */
};

/* Request-line part (struct app_http_scan.tok) in SCAN_REQ. */
enum {
	RQ_START = 0, /* nothing yet: an empty line is skipped */
	RQ_METHOD,    /* in the method (match bytes of "HEAD" so far) */
	RQ_TARGET0,   /* after the method's SP */
	RQ_TARGET,    /* in the request-target */
	RQ_V10,	      /* in the version, "HTTP/1.0" so far (match bytes) */
	RQ_VER,	      /* in the version, another one so far */
	RQ_VMAJOR,    /* in the version, its major not 1 (505) */
};

/* Field name being matched (struct app_http_scan.tok) in SCAN_NAME. */
enum {
	NAME_CONN = 0, /* "connection:" (and "content-length:" so far) */
	NAME_CLEN,     /* "content-length:" */
	NAME_TE,       /* "transfer-encoding:" */
	NAME_HOST,     /* "host:" */
};

/* Host value state (struct app_http_scan.tok) in SCAN_HOST. */
enum {
	HO_START = 0, /* whitespace before the value */
	HO_REG,	      /* in a reg-name or IPv4address */
	HO_PCT1,      /* after '%' in a reg-name */
	HO_PCT2,      /* after its first hex digit */
	HO_LIT0,      /* after '[' */
	HO_LIT,	      /* in an IP-literal */
	HO_LITEND,    /* after its ']' */
	HO_PORT,      /* in the port, after ':' */
	HO_TRAIL,     /* whitespace after the value */
	HO_BAD,	      /* invalid (never kept: the scan stops) */
};

/* Content-Length value state (struct app_http_scan.tok) in SCAN_CLEN. */
enum {
	CL_START = 0, /* whitespace before the digits */
	CL_DIGITS,    /* in the digits */
	CL_TRAIL,     /* whitespace after them */
};

/* Connection token state (struct app_http_scan.tok) in SCAN_VALUE. */
enum {
	TOK_START = 0, /* before a token */
	TOK_CLOSE,     /* matching "close" */
	TOK_KEEPALIVE, /* matching "keep-alive" */
	TOK_SKIP,      /* other token: skip to the next comma */
};

static const char http10[] = "HTTP/1.0";
static const char head_method[] = "HEAD";
static const char crlf[2] = { '\r', '\n' };
static const char conn_name[] = "connection:";
static const char clen_name[] = "content-length:";
static const char te_name[] = "transfer-encoding:";
static const char host_name[] = "host:";
static const char *const names[] = { conn_name, clen_name, te_name, host_name };
static const char tok_close[] = "close";
static const char tok_keepalive[] = "keep-alive";

#define LIT_LEN(s) ((uint8_t)(sizeof(s) - 1))

static const uint8_t name_len[] = { LIT_LEN(conn_name), LIT_LEN(clen_name),
				    LIT_LEN(te_name), LIT_LEN(host_name) };

/*
 * RFC 9110 5.6.2: tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" /
 * "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA. A table: one
 * load per byte. CR and LF are not tchar, so a whole line's CR stops a
 * loop over it.
 */
static const uint8_t tchar_tab[256] = {
	['!'] = 1,	   ['#'] = 1,	      ['$'] = 1, ['%'] = 1,
	['&'] = 1,	   ['\''] = 1,	      ['*'] = 1, ['+'] = 1,
	['-'] = 1,	   ['.'] = 1,	      ['^'] = 1, ['_'] = 1,
	['`'] = 1,	   ['|'] = 1,	      ['~'] = 1, ['0' ... '9'] = 1,
	['A' ... 'Z'] = 1, ['a' ... 'z'] = 1,
};

static inline bool
is_tchar(uint8_t ch)
{
	return tchar_tab[ch] != 0;
}

static inline bool
is_digit(uint8_t ch)
{
	return ch >= '0' && ch <= '9';
}

/*
 * RFC 3986 3.2.2: reg-name = *( unreserved / pct-encoded / sub-delims ),
 * unreserved = ALPHA / DIGIT / "-" / "." / "_" / "~", sub-delims = "!" /
 * "$" / "&" / "'" / "(" / ")" / "*" / "+" / "," / ";" / "=". The comma
 * is left out: a Host holding one is taken as a list of two, which RFC
 * 9110 7.2 forbids. '%' (pct-encoded) is matched apart.
 */
static const uint8_t regc_tab[256] = {
	['!'] = 1,	   ['$'] = 1, ['&'] = 1,	 ['\''] = 1,
	['('] = 1,	   [')'] = 1, ['*'] = 1,	 ['+'] = 1,
	[';'] = 1,	   ['='] = 1, ['-'] = 1,	 ['.'] = 1,
	['_'] = 1,	   ['~'] = 1, ['0' ... '9'] = 1, ['A' ... 'Z'] = 1,
	['a' ... 'z'] = 1,
};

static inline bool
is_regc(uint8_t ch)
{
	return regc_tab[ch] != 0;
}

static inline bool
is_hex(uint8_t ch)
{
	return is_digit(ch) || ((ch | 0x20) >= 'a' && (ch | 0x20) <= 'f');
}

static inline bool
is_ows(uint8_t ch)
{
	return ch == ' ' || ch == '\t';
}

/*
 * RFC 9110 5.5: field-value bytes are HTAB, SP, VCHAR and obs-text; a
 * CTL other than HTAB (NUL, DEL, ...) is invalid there (a recipient may
 * reject or replace it: rejected).
 */
static inline bool
is_bad_ctl(uint8_t ch)
{
	return (ch < ' ' && ch != '\t') || ch == 0x7f;
}

static uint8_t
lower(uint8_t ch)
{
	return ch >= 'A' && ch <= 'Z' ? ch + ('a' - 'A') : ch;
}

/* The request is invalid: answered 400 (RFC 9112 2.2, 3, 5). */
static void
scan_fail(struct app_http_scan *s)
{
	s->flags |= APP_HTTP_BAD;
}

static void
scan_token_end(struct app_http_scan *s)
{
	if (s->tok == TOK_CLOSE && s->match == LIT_LEN(tok_close))
		s->flags |= APP_HTTP_CLOSE;
	else if (s->tok == TOK_KEEPALIVE && s->match == LIT_LEN(tok_keepalive))
		s->flags |= APP_HTTP_KEEPALIVE;
}

/* One byte inside a token: keep matching it, or give up on it. */
static void
scan_token_byte(struct app_http_scan *s, uint8_t ch)
{
	const char *pat = s->tok == TOK_CLOSE ? tok_close : tok_keepalive;
	uint8_t plen = s->tok == TOK_CLOSE ? LIT_LEN(tok_close) :
					     LIT_LEN(tok_keepalive);

	if (s->match < plen && lower(ch) == (uint8_t)pat[s->match])
		s->match++;
	else
		s->tok = TOK_SKIP;
}

/* One byte of a Connection field value: comma-separated tokens. */
static void
scan_value(struct app_http_scan *s, uint8_t ch)
{
	bool sep = ch == ' ' || ch == '\t' || ch == ',';

	switch (s->tok) {
	case TOK_START:
		if (sep)
			break;
		s->match = 1;
		ch = lower(ch);
		s->tok = ch == 'c' ? TOK_CLOSE :
				     (ch == 'k' ? TOK_KEEPALIVE : TOK_SKIP);
		break;
	case TOK_CLOSE:
	case TOK_KEEPALIVE:
		if (sep) {
			scan_token_end(s);
			s->tok = ch == ',' ? TOK_START : TOK_SKIP;
			break;
		}
		scan_token_byte(s, ch);
		break;
	default:
		if (ch == ',')
			s->tok = TOK_START;
		break;
	}
}

/*
 * RFC 9112 3.2 and RFC 9110 7.2: Host = uri-host [ ":" port ], RFC 3986
 * 3.2: host = IP-literal / IPv4address / reg-name, IP-literal = "["
 * ( IPv6address / IPvFuture ) "]" (its characters checked, not its
 * form), port = *DIGIT; OWS around it (RFC 9112 5.1). An empty value is
 * valid (a target without authority), a port without a host is not (RFC
 * 9110 4.2.1: an http URI's host is not empty). The state after byte ch
 * from state t, HO_BAD when ch cannot be there.
 */
static uint8_t
host_step(uint8_t t, uint8_t ch)
{
	switch (t) {
	case HO_START:
		if (is_ows(ch))
			return HO_START;
		if (ch == '[')
			return HO_LIT0;
		/* RFC 9110 4.2.1: a port needs a host in an http URI. */
		if (ch == ':')
			return HO_BAD;
		/* A reg-name starts. */
		/* fall through */
	case HO_REG:
		if (is_regc(ch))
			return HO_REG;
		if (ch == '%')
			return HO_PCT1;
		if (ch == ':')
			return HO_PORT;
		return is_ows(ch) ? HO_TRAIL : HO_BAD;
	case HO_PCT1:
	case HO_PCT2:
		if (!is_hex(ch))
			return HO_BAD;
		return t == HO_PCT1 ? HO_PCT2 : HO_REG;
	case HO_LIT0:
	case HO_LIT:
		if (is_regc(ch) || ch == ':')
			return HO_LIT;
		return ch == ']' && t == HO_LIT ? HO_LITEND : HO_BAD;
	case HO_LITEND:
		if (ch == ':')
			return HO_PORT;
		return is_ows(ch) ? HO_TRAIL : HO_BAD;
	case HO_PORT:
		if (is_digit(ch))
			return HO_PORT;
		return is_ows(ch) ? HO_TRAIL : HO_BAD;
	case HO_TRAIL:
		return is_ows(ch) ? HO_TRAIL : HO_BAD;
	default:
		return HO_BAD;
	}
}

/* Whether a Host value may end in state t (not inside '%' or '[ ]'). */
static inline bool
host_end_ok(uint8_t t)
{
	return t != HO_PCT1 && t != HO_PCT2 && t != HO_LIT0 && t != HO_LIT &&
		t != HO_BAD;
}

static void
scan_host(struct app_http_scan *s, uint8_t ch)
{
	s->tok = host_step(s->tok, ch);
	if (s->tok == HO_BAD)
		scan_fail(s);
}

/* The rest of the line cannot change the state. */
static void
scan_skip_line(struct app_http_scan *s)
{
	s->line = SCAN_SKIP;
	s->tok = 0;
}

/*
 * RFC 9112 6.3: a request's body is framed by Content-Length, or by
 * Transfer-Encoding, which is not implemented here: it is rejected
 * (APP_HTTP_TE, answered 501). RFC 9110 8.6: a second Content-Length
 * field (as a list in one field) may be rejected, and is (APP_HTTP_BAD).
 */
static void
scan_name_done(struct app_http_scan *s)
{
	s->match = 0;
	switch (s->tok) {
	case NAME_CONN:
		s->line = SCAN_VALUE;
		s->tok = TOK_START;
		break;
	case NAME_CLEN:
		if (s->flags & APP_HTTP_CLEN)
			scan_fail(s);
		s->flags |= APP_HTTP_CLEN;
		s->clen = 0;
		s->line = SCAN_CLEN;
		s->tok = CL_START;
		break;
	case NAME_HOST:
		/* RFC 9110 7.2: more than one Host field line: 400. */
		if (s->more & APP_HTTP_M_HOST)
			scan_fail(s);
		s->more |= APP_HTTP_M_HOST;
		s->line = SCAN_HOST;
		s->tok = HO_START;
		break;
	default:
		s->flags |= APP_HTTP_TE;
		scan_skip_line(s);
		break;
	}
}

/*
 * A byte of a field name that is none of the names matched: RFC 9110
 * 5.1, field-name = token, and RFC 9112 5.1, the colon follows it at
 * once ("No whitespace is allowed between the field name and colon":
 * a server MUST reject it with 400). A line starting with SP or HTAB is
 * obs-fold (RFC 9112 5.2), or whitespace after the request line (RFC
 * 9112 2.2), both rejected with 400 here too. match bytes of the name
 * were seen before.
 */
static void
scan_other_name(struct app_http_scan *s, uint8_t ch)
{
	if (is_tchar(ch))
		s->line = SCAN_FNAME;
	else if (ch == ':' && (s->line == SCAN_FNAME || s->match != 0))
		scan_skip_line(s);
	else
		scan_fail(s);
	s->match = 0;
	s->tok = 0;
}

/*
 * The name ch switches to from "connection:", matched so far: a name
 * starting with 't' or 'h', or "content-length:" at its 't'; else -1.
 */
static int
scan_name_switch(const struct app_http_scan *s, uint8_t ch)
{
	if (s->tok != NAME_CONN)
		return -1;
	if (s->match == 0 && ch == 't')
		return NAME_TE;
	if (s->match == 0 && ch == 'h')
		return NAME_HOST;
	if (s->match == 3 && ch == 't')
		return NAME_CLEN;
	return -1;
}

/*
 * One byte of a field name (lower case): "connection:",
 * "content-length:" (which leaves the first at its 't'),
 * "transfer-encoding:" or "host:", else another name.
 */
static void
scan_name(struct app_http_scan *s, uint8_t ch)
{
	if (ch != (uint8_t)names[s->tok][s->match]) {
		int t = scan_name_switch(s, ch);

		if (t < 0) {
			scan_other_name(s, ch);
			return;
		}
		s->tok = (uint8_t)t;
	}
	if (++s->match == name_len[s->tok])
		scan_name_done(s);
}

/*
 * RFC 9110 8.6: Content-Length = 1*DIGIT, here with optional whitespace
 * around it (RFC 9112 5.1); anything else, or a value of 2^63 or more,
 * is invalid (APP_HTTP_BAD).
 */
static void
scan_clen(struct app_http_scan *s, uint8_t ch)
{
	if (is_digit(ch) && s->tok != CL_TRAIL) {
		uint64_t d = ch - '0';

		if (s->clen > ((UINT64_MAX >> 1) - d) / 10) {
			scan_fail(s);
			return;
		}
		s->clen = s->clen * 10 + d;
		s->tok = CL_DIGITS;
	} else if (ch == ' ' || ch == '\t') {
		if (s->tok == CL_DIGITS)
			s->tok = CL_TRAIL;
	} else {
		scan_fail(s);
	}
}

/*
 * RFC 9112 2.3: HTTP-version = "HTTP/" DIGIT "." DIGIT, case-sensitive.
 * Whether ch continues it (then counted in match, and RQ_V10 kept only
 * while the version is "HTTP/1.0" so far).
 */
static bool
scan_version_byte(struct app_http_scan *s, uint8_t ch)
{
	uint8_t m = s->match;

	if (m >= LIT_LEN(http10))
		return false;
	if (m == 5 || m == 7) {
		if (!is_digit(ch))
			return false;
	} else if (ch != (uint8_t)http10[m]) {
		return false;
	}
	/* RFC 9110 2.5: a major version other than 1 is answered 505. */
	if (m == 5 && ch != '1')
		s->tok = RQ_VMAJOR;
	else if (ch != (uint8_t)http10[m] && s->tok == RQ_V10)
		s->tok = RQ_VER;
	s->match = m + 1;
	return true;
}

/*
 * A byte of the method, a tchar: match counts the bytes of "HEAD" it
 * equals so far, and goes past that length for any other method (RFC
 * 9110 9.1: the method token is case-sensitive).
 */
static void
scan_method_byte(struct app_http_scan *s, uint8_t ch)
{
	uint8_t m = s->match;

	if (m < LIT_LEN(head_method) && ch == (uint8_t)head_method[m])
		s->match = m + 1;
	else
		s->match = LIT_LEN(head_method) + 1;
}

/*
 * RFC 9112 3: request-line = method SP request-target SP HTTP-version;
 * the method is a token (RFC 9110 9.1), the target here any bytes but
 * SP and CTL (RFC 9112 3.2 is not checked further). One byte of it,
 * neither CR nor LF; anything else is invalid (RFC 9112 3: 400).
 */
static void
scan_req_byte(struct app_http_scan *s, uint8_t ch)
{
	switch (s->tok) {
	case RQ_START:
	case RQ_METHOD:
		if (is_tchar(ch)) {
			scan_method_byte(s, ch);
			s->tok = RQ_METHOD;
			return;
		}
		if (ch == ' ' && s->tok == RQ_METHOD) {
			if (s->match == LIT_LEN(head_method))
				s->more |= APP_HTTP_M_HEAD;
			s->tok = RQ_TARGET0;
			return;
		}
		break;
	case RQ_TARGET0:
	case RQ_TARGET:
		if (ch == ' ' && s->tok == RQ_TARGET) {
			s->tok = RQ_V10;
			s->match = 0;
			return;
		}
		if (ch > ' ' && ch != 0x7f) {
			s->tok = RQ_TARGET;
			return;
		}
		break;
	default:
		if (scan_version_byte(s, ch))
			return;
		break;
	}
	scan_fail(s);
}

/* One byte of a field line's name or value, neither CR nor LF. */
static void
scan_byte(struct app_http_scan *s, uint8_t ch)
{
	switch (s->line) {
	case SCAN_NAME:
		scan_name(s, lower(ch));
		break;
	case SCAN_VALUE:
		if (is_bad_ctl(ch))
			scan_fail(s);
		else
			scan_value(s, ch);
		break;
	case SCAN_CLEN:
		scan_clen(s, ch);
		break;
	case SCAN_HOST:
		scan_host(s, ch);
		break;
	default:
		break;
	}
}

/*
 * CR: the current line's content ends. Not at the end of a whole
 * request line (RFC 9112 3), nor in a field name (RFC 9112 5: a field
 * line has a colon), nor before a Content-Length's digits: invalid.
 */
static void
scan_line_end(struct app_http_scan *s)
{
	switch (s->line) {
	case SCAN_REQ:
		if (s->tok == RQ_START)
			return; /* an empty line before the request line */
		if (s->tok < RQ_V10 || s->match != LIT_LEN(http10)) {
			scan_fail(s);
			break;
		}
		if (s->tok == RQ_VMAJOR) {
			s->more |= APP_HTTP_M_VERSION;
			scan_fail(s);
			break;
		}
		s->flags |= APP_HTTP_FIRST_DONE;
		if (s->tok == RQ_V10)
			s->flags |= APP_HTTP_V10;
		break;
	case SCAN_NAME:
		/* Nothing seen: the empty line ending the head. */
		if (s->match != 0)
			scan_fail(s);
		break;
	case SCAN_FNAME:
		scan_fail(s);
		break;
	case SCAN_VALUE:
		scan_token_end(s);
		break;
	case SCAN_CLEN:
		if (s->tok == CL_START)
			scan_fail(s);
		break;
	case SCAN_HOST:
		if (!host_end_ok(s->tok))
			scan_fail(s);
		break;
	default:
		break;
	}
	s->line = SCAN_EOL;
}

/*
 * LF after CR: a new line starts. RFC 9112 2.2: an empty line before
 * the request line is skipped, the state all-zero again.
 */
static void
scan_line_break(struct app_http_scan *s)
{
	if (s->line == SCAN_REQ) {
		s->crlf = 0;
		return;
	}
	s->crlf = 2;
	s->line = SCAN_NAME;
	s->match = 0;
	s->tok = 0;
}

/*
 * Whether any of the 8 bytes of w is below n (n <= 128): a byte below n
 * borrows into its top bit. The lowest flagged byte is a true one.
 */
static inline uint64_t
word_below(uint64_t w, uint8_t n)
{
	const uint64_t ones = 0x0101010101010101ull;

	return (w - ones * n) & ~w & (ones << 7);
}

/*
 * Index of the first CTL but HTAB (CR and LF, which end the line, or a
 * byte invalid in a field value: is_bad_ctl()) in p[i..len), or len.
 * Eight bytes at a time while no byte is a control: field text rarely
 * holds one (HTAB costs a restart), so a line costs a few words.
 */
static inline __attribute__((always_inline)) uint32_t
scan_find_eol(const uint8_t *p, uint32_t i, uint32_t len)
{
	const uint64_t del = 0x7f7f7f7f7f7f7f7full;

	while (len - i >= 8) {
		uint64_t w, m;

		memcpy(&w, p + i, sizeof(w));
		m = word_below(w, ' ') | word_below(w ^ del, 1);
		if (m == 0) {
			i += 8;
			continue;
		}
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
		/* Each mask's lowest flagged byte is a true one. */
		i += (uint32_t)__builtin_ctzll(m) / 8;
#else
		while (p[i] >= ' ' && p[i] != 0x7f)
			i++;
#endif
		if (p[i] != '\t')
			return i;
		i++;
	}
	for (; i < len; i++)
		if (is_bad_ctl(p[i]))
			return i;
	return len;
}

/*
 * The rest of a field value that cannot change the state, from p[i] on:
 * returns the index of the line's CR or LF, len, or the index after a
 * CTL invalid there (RFC 9110 5.5, APP_HTTP_BAD set).
 */
static uint32_t
scan_skip_run(struct app_http_scan *s, const uint8_t *p, uint32_t i,
	      uint32_t len)
{
	i = scan_find_eol(p, i, len);
	if (i < len && p[i] != '\r' && p[i] != '\n') {
		scan_fail(s);
		return i + 1;
	}
	return i;
}

static inline bool
is_sp_ctl(uint8_t ch)
{
	return ch <= ' ' || ch == 0x7f;
}

/*
 * Index of the first SP or CTL (bytes up to 0x20, and 0x7f) in
 * p[i..len), or len: the end of a request-target. Eight bytes at a time.
 */
static uint32_t
scan_find_sp(const uint8_t *p, uint32_t i, uint32_t len)
{
	const uint64_t del = 0x7f7f7f7f7f7f7f7full;

	while (len - i >= 8) {
		uint64_t w, m;

		memcpy(&w, p + i, sizeof(w));
		m = word_below(w, ' ' + 1) | word_below(w ^ del, 1);
		if (m == 0) {
			i += 8;
			continue;
		}
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
		/* Each mask's lowest flagged byte is a true one. */
		return i + (uint32_t)__builtin_ctzll(m) / 8;
#else
		break;
#endif
	}
	for (; i < len; i++)
		if (is_sp_ctl(p[i]))
			return i;
	return len;
}

/*
 * Request-line bytes from p[i] (not CR or LF) on: returns the index of
 * the line's CR or LF, len, or the index after an invalid byte. The
 * request-target is skipped a word at a time.
 */
static uint32_t
scan_req_run(struct app_http_scan *s, const uint8_t *p, uint32_t i,
	     uint32_t len)
{
	for (; i < len && p[i] != '\r' && p[i] != '\n'; i++) {
		if (s->tok == RQ_TARGET) {
			i = scan_find_sp(p, i, len);
			if (i == len || p[i] == '\r' || p[i] == '\n')
				return i;
		}
		scan_req_byte(s, p[i]);
		if (s->flags & APP_HTTP_BAD)
			return i + 1;
	}
	return i;
}

/*
 * The name of a field other than those matched, from p[i] on: returns
 * the index of the line's CR or LF, len, or the index after an invalid
 * byte. From its colon on, the line cannot change the state.
 */
static uint32_t
scan_fname_run(struct app_http_scan *s, const uint8_t *p, uint32_t i,
	       uint32_t len)
{
	for (; i < len; i++) {
		uint8_t ch = p[i];

		if (is_tchar(ch))
			continue;
		if (ch == '\r' || ch == '\n')
			return i;
		scan_other_name(s, ch);
		if (s->flags & APP_HTTP_BAD)
			return i + 1;
		return scan_skip_run(s, p, i + 1, len);
	}
	return len;
}

/*
 * Bytes of the current line from p[i] (not CR or LF) on: returns the
 * index of the line's CR or LF, len, or the index after an invalid byte
 * (APP_HTTP_BAD set). Runs that cannot change the state (other field
 * values, the request-target) are skipped a word at a time.
 */
static uint32_t
scan_run(struct app_http_scan *s, const uint8_t *p, uint32_t i, uint32_t len)
{
	switch (s->line) {
	case SCAN_REQ:
		return scan_req_run(s, p, i, len);
	case SCAN_NAME:
	case SCAN_VALUE:
	case SCAN_CLEN:
	case SCAN_HOST:
		for (; i < len && p[i] != '\r' && p[i] != '\n'; i++) {
			scan_byte(s, p[i]);
			if (s->flags & APP_HTTP_BAD)
				return i + 1;
			/* Nothing more to match: on to the line's end. */
			if (s->line == SCAN_SKIP)
				return scan_skip_run(s, p, i + 1, len);
			if (s->line == SCAN_FNAME)
				return scan_fname_run(s, p, i + 1, len);
		}
		return i;
	case SCAN_FNAME:
		return scan_fname_run(s, p, i, len);
	default:
		return scan_skip_run(s, p, i, len);
	}
}

void
app_http_scan_reset(struct app_http_scan *s)
{
	memset(s, 0, sizeof(*s));
}

/*
 * The head ends at p[i - 1]: settle what the request asks for. RFC 9112
 * 3.2: an HTTP/1.1 request (or a later 1.x one) without a Host field is
 * answered 400; HTTP/1.0 does not need one.
 */
static uint32_t
scan_head_done(struct app_http_scan *s, uint32_t i, int *done)
{
	if ((s->flags & APP_HTTP_V10) && !(s->flags & APP_HTTP_KEEPALIVE))
		s->flags |= APP_HTTP_CLOSE;
	if (!(s->flags & APP_HTTP_V10) && !(s->more & APP_HTTP_M_HOST))
		scan_fail(s);
	*done = 1;
	return i;
}

/* The request is invalid at p[i - 1]: the scan stops there. */
static uint32_t
scan_stop(struct app_http_scan *s, uint32_t i, int *done)
{
	scan_fail(s);
	*done = 1;
	return i;
}

/*
 * Whether the line p[i..) is whole, ends in CR LF and holds no CTL but
 * HTAB after p[i]: then *j is the index of its CR.
 */
static bool
scan_crlf_line(const uint8_t *p, uint32_t i, uint32_t len, uint32_t *j)
{
	uint32_t e = scan_find_eol(p, i + 1, len);

	*j = e;
	return len - e >= 2 && memcmp(p + e, crlf, 2) == 0;
}

/* Whether s is all-zero: no byte of a request seen yet. */
static bool
scan_initial(const struct app_http_scan *s)
{
	uint32_t w;

	_Static_assert(offsetof(struct app_http_scan, tok) == sizeof(w),
		       "scan state layout");
	memcpy(&w, s, sizeof(w));
	return (w | s->tok) == 0;
}

/*
 * A whole, valid request line "method SP target SP HTTP/1.x CR LF" at
 * p[0] (14 bytes at least): sets s->flags and s->more (APP_HTTP_M_HEAD)
 * and returns the index after its LF, or returns 0, s untouched but
 * perhaps for APP_HTTP_M_HEAD.
 */
static uint32_t
scan_fast_req(struct app_http_scan *s, const uint8_t *p, uint32_t len)
{
	uint32_t a = 0, b;

	if (len < 14)
		return 0;
	if (memcmp(p, "GET ", 4) == 0) {
		a = 3;
	} else {
		while (a < len && is_tchar(p[a]))
			a++;
		if (a == 0 || len - a < 12 || p[a] != ' ')
			return 0;
		/*
		 * Noted now: should the line not be taken here, the byte
		 * loop notes it the same at the method's SP, in this call.
		 */
		if (a == LIT_LEN(head_method) &&
		    memcmp(p, head_method, LIT_LEN(head_method)) == 0)
			s->more |= APP_HTTP_M_HEAD;
	}
	b = scan_find_sp(p, a + 1, len);
	/* SP "HTTP/1." DIGIT CR LF (11 bytes) after a target. */
	if (len - b < 11 || memcmp(p + b, " HTTP/1.", 8) != 0 || b == a + 1 ||
	    !is_digit(p[b + 8]) || memcmp(p + b + 9, crlf, 2) != 0)
		return 0;
	s->flags = APP_HTTP_FIRST_DONE | (p[b + 8] == '0' ? APP_HTTP_V10 : 0);
	return b + 11;
}

/*
 * Whether the field line at p[i], whole (ending in CR LF), has a name
 * that is a token followed by a colon. The CR (no tchar) ends the loop.
 */
static bool
scan_fast_name(const uint8_t *p, uint32_t i)
{
	uint32_t k = i;

	while (is_tchar(p[k]))
		k++;
	return k > i && p[k] == ':';
}

/* Whether v[0..n) is a valid Host value, byte by byte as host_step(). */
static __attribute__((noinline)) bool
scan_host_value(const uint8_t *v, uint32_t n)
{
	uint8_t t = HO_START;
	uint32_t k;

	for (k = 0; k < n; k++)
		t = host_step(t, v[k]);
	return host_end_ok(t);
}

/* The Host name as clients write it, and its shortest whole line. */
static const char host_fast[] = "Host:";
#define HOST_LINE_MIN (LIT_LEN(host_fast) + sizeof(crlf))

/*
 * Whether the field line at p[i] is "Host:" (as clients write it; in
 * every HTTP/1.1 request, RFC 9112 3.2), the first Host field, with a
 * valid value, the line whole and ending in CR LF: then it is noted in s
 * and *j is the index of its CR. Other names starting with 'h' or 'H'
 * are left to the byte loop.
 */
static bool
scan_fast_host(struct app_http_scan *s, const uint8_t *p, uint32_t i,
	       uint32_t len, uint32_t *j)
{
	uint32_t k, v;

	if (len - i < HOST_LINE_MIN ||
	    memcmp(p + i, host_fast, LIT_LEN(host_fast)) != 0 ||
	    (s->more & APP_HTTP_M_HOST))
		return false;
	/*
	 * The usual form, [SP] reg-name [":" port] CR LF, a table at a
	 * time: none of its bytes is a CTL, so the line needs no other
	 * look for its end.
	 */
	v = i + LIT_LEN(host_fast) + (p[i + LIT_LEN(host_fast)] == ' ');
	for (k = v; k < len && is_regc(p[k]); k++)
		;
	if (k < len && p[k] == ':' && k > v)
		for (k++; k < len && is_digit(p[k]); k++)
			;
	if (len - k < 2 || memcmp(p + k, crlf, 2) != 0) {
		/* Any other form, the line first found whole. */
		if (!scan_crlf_line(p, i, len, &k) ||
		    !scan_host_value(p + i + LIT_LEN(host_fast),
				     k - i - LIT_LEN(host_fast)))
			return false;
	}
	*j = k;
	s->more |= APP_HTTP_M_HOST;
	return true;
}

/*
 * Whether the fast path takes the field line at p[i], starting with
 * neither 'c' nor 't': a valid first "Host:" line for one starting with
 * 'h', else a whole line ending in CR LF whose name is a token and a
 * colon. Then *j is the index of its CR.
 */
static inline bool
scan_fast_line(struct app_http_scan *s, const uint8_t *p, uint32_t i,
	       uint32_t len, uint32_t *j)
{
	if ((p[i] | 0x20) == 'h')
		return scan_fast_host(s, p, i, len, j);
	return scan_crlf_line(p, i, len, j) && scan_fast_name(p, i);
}

/*
 * The usual case, from the start of a request: a valid request line,
 * then field lines, each ending in CR LF, taken from line end to line
 * end, their names checked, "Host:" values checked and noted. What
 * could change more than the line's end is left to the byte loop, from
 * the start of its line: a request line that is not whole or not
 * HTTP/1.x, a field line starting with 'c' or 't' (perhaps Connection,
 * Content-Length or Transfer-Encoding), or with 'h' but no valid first
 * "Host:", a name that is not a token and a colon, a line ending
 * otherwise (or a CTL in it), or the end of the data. s is all-zero on
 * entry. Returns the index the loop starts at, the state then being the
 * one it would have reached there (0: untouched but for the HEAD mark
 * scan_fast_req() may set), or the end of
 * the head with *done set.
 */
static uint32_t
scan_fast(struct app_http_scan *s, const uint8_t *p, uint32_t len, int *done)
{
	uint32_t i, j;

	i = scan_fast_req(s, p, len);
	if (i == 0)
		return 0;
	for (; len - i >= 2; i = j + 2) {
		uint8_t c0 = p[i] | 0x20;

		if (memcmp(p + i, crlf, 2) == 0) {
			/* The empty line: the head ends. */
			s->crlf = 3;
			s->line = SCAN_EOL;
			return scan_head_done(s, i + 2, done);
		}
		if (c0 == 'c' || c0 == 't')
			break;
		if (!scan_fast_line(s, p, i, len, &j))
			break;
	}
	s->crlf = 2;
	s->line = SCAN_NAME;
	return i;
}

/*
 * RFC 9112 2.2: lines end in CR LF. A bare CR is invalid (a recipient
 * MUST treat it so or replace it by SP); a bare LF, which a recipient
 * MAY take as a line end, is taken as invalid too.
 */
uint32_t
app_http_scan(struct app_http_scan *s, const uint8_t *p, uint32_t len,
	      int *done)
{
	uint32_t i = 0;

	*done = 0;
	if (len > 0 && scan_initial(s)) {
		i = scan_fast(s, p, len, done);
		if (*done)
			return i;
	}
	while (i < len) {
		uint8_t ch = p[i];

		if (ch != '\r' && ch != '\n') {
			if (s->crlf & 1)
				return scan_stop(s, i + 1, done);
			s->crlf = 0;
			i = scan_run(s, p, i, len);
			if (s->flags & APP_HTTP_BAD)
				return scan_stop(s, i, done);
			if (i == len)
				break;
			/* The line's end follows at once. */
			ch = p[i];
		}
		if (ch == '\r') {
			if (s->crlf & 1)
				return scan_stop(s, i + 1, done);
			scan_line_end(s);
			if (s->flags & APP_HTTP_BAD)
				return scan_stop(s, i + 1, done);
			if (i + 1 < len && p[i + 1] == '\n') {
				/* CR LF at once, the usual line end. */
				if (s->crlf == 2) {
					s->crlf = 3;
					return scan_head_done(s, i + 2, done);
				}
				scan_line_break(s);
				i += 2;
			} else {
				s->crlf = s->crlf == 2 ? 3 : 1;
				i++;
			}
		} else if (s->crlf == 3) {
			return scan_head_done(s, i + 1, done);
		} else if (s->crlf == 1) {
			scan_line_break(s);
			i++;
		} else {
			return scan_stop(s, i + 1, done);
		}
	}
	return len;
}

/* ---- responses ---- */

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
		st->scan.line = SCAN_BODY;
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
		if (st->scan.line == SCAN_BODY) {
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
	 */
	if (tcp_read_pending(conn) > 0 && !(st->flags & APP_F_READ_WAIT))
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
