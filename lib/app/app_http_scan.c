/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The http application's incremental request-head scanner: finds the end
 * of each request head and the few fields the application acts on
 * (Connection, Content-Length, Transfer-Encoding, Host), without a buffer.
 *
 * A head is taken as RFC 9112 2.1 and 5 write it: a request line, field
 * lines, an empty line, each ending in CR LF. What does not parse so is
 * rejected where it is seen (APP_HTTP_BAD, answered 400): the scanner
 * stops there (app_http_scan()).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "app.h"

/* What the current line is (struct app_http_scan.line). */
enum {
	SCAN_REQ = 0, /* request line (or empty lines before it) */
	SCAN_NAME,    /* field name, matching the names below */
	SCAN_VALUE,   /* value of a Connection field */
	SCAN_SKIP,    /* value of any other field */
	SCAN_EOL,     /* line ended, waiting for LF */
	SCAN_CLEN,    /* value of a Content-Length field */
	SCAN_BODY,    /* after the head: body bytes the caller skips */
	SCAN_FNAME,   /* name of any other field, up to its colon */
	SCAN_HOST,    /* value of the Host field */
};
_Static_assert(SCAN_BODY == APP_HTTP_LINE_BODY, "the body line is app.h's");

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
