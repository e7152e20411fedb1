/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer driver for lib/tcp and lib/app: the input is decoded into a
 * sequence of operations against one struct tcp_ctx with small limits
 * (16 connections, 12 TIME_WAIT records (fewer than the 16 that ports 80
 * and 82 can leave, so that the overflow policies run), 2 KiB send rings, a 4 KiB
 * receive window, one to sixteen send buffers), listening with the real
 * applications of lib/app on six ports.
 *
 * Input: byte 0 picks parameters (bit 0 rfc1337, bits 1-2 time_wait_reuse
 * % 3, bit 3 tw overflow refuse, bit 4 timestamps, bit 5 SACK, bits 6-7
 * max_send_buffers 1/2/4/16). Then operations of 8 bytes b[0..7]:
 *
 *   b0 & 7 < 6: a segment from the peer.
 *     b1: bits 0-2 remote endpoint (bit 0: 198.18.1.1 to 198.18.0.1,
 *         or 2001:db8:1::2 to 2001:db8::1, so the two families share
 *         ports; bits 1-2: ports 50000-50003),
 *         bits 3-5 local port (80, 81, 82, 83, 7, 9 listen; 84, 85 not),
 *         bit 6 flips SEQ by 2^31, bit 7 flips ACK by 2^31.
 *     b2: the TCP flags, as they are.
 *     b3: SEQ, bits 6-7 mode, bits 0-5 a signed delta d:
 *         0 the peer's next sequence number, 1 that + d,
 *         2 the last ACK we sent + d, 3 the peer's next + d * 2^20.
 *     b4: ACK, the same over our highest sequence sent (SND.MAX):
 *         0 exact, 1 + d, 2 + d * 256, 3 + d * 2^20.
 *     b5: window: (b5 & 0x7f) << (b5 & 0x80 ? 9 : 3).
 *     b6: options: bit 0 MSS, 1 window scale, 2 SACK-permitted,
 *         3 timestamps, 4 an old TSval, bits 5-7 the MSS/shift value.
 *     b7: bits 0-2 payload length (0, 0, 1, 7, one request, 100, 536,
 *         1400), bits 3-4 payload content (keep-alive requests, requests
 *         with "Connection: close", HTTP/1.0 requests, the fuzz input
 *         itself), bits 5-7 clock step before it (0, 0, 1, 5, 40, 200,
 *         1000, 5000 ms).
 *     b0 bit 3: the segment is sent twice; bit 4: tcp_timers() after it;
 *     bit 5: it is sent from every remote endpoint in turn (b1 bits 0-2
 *     ignored), each with its own peer model, to fill the pools.
 *   b0 & 7 == 6: tcp_timers() after a clock step of (1, 10, 40, 200,
 *     1000, 5000, 30000, 120000 ms)[(b0 >> 3) & 7] with a budget of
 *     (2^20, 1, 8, 64)[b0 >> 6].
 *   b0 & 7 == 7: an ICMP too-big message (tcp_pmtu_input()) quoting a
 *     segment of ours: b1 the 4-tuple as for a segment (bits 0-5),
 *     b3 the quoted sequence number as b4 of a segment (over SND.MAX),
 *     b4 the MTU: (0, 68, 552, 576, 1000, 1280, 1500, 9000)[b4 & 7], or
 *     with bit 3 b5 << 8 | b6; b7 bits 5-7 the clock step. Every data
 *     segment it draws fits the MTU (at least the floor) less the
 *     headers of its family.
 *
 * The peer model (per 4-tuple: its next sequence number, our SND.MAX and
 * last ACK and TSval from the segments we sent) lets short inputs follow
 * a handshake and a close while the deltas reach every edge.
 *
 * Checked after every call, aborting (a crash for libFuzzer) on failure:
 *   - tcp_ctx_check() == 0: flow table, wheel and TIME_WAIT ring are
 *     sound, the state gauges sum to the pools' use, and the flow table
 *     holds exactly one entry per connection and TIME_WAIT record;
 *   - every output segment belongs to a 4-tuple the peer used, in its
 *     family and with its addresses, its
 *     payload (tcp_out_payload()) has the length announced and lies in
 *     readable memory, and the frame built from it with net_build_tcp()
 *     parses back to the same segment (IPv4 only: the builder has no
 *     IPv6 yet);
 *   - replies per input segment: at most one segment without payload
 *     and without FIN (a pure ACK, a RST or a SYN-ACK), at most one RST,
 *     at most one SYN-ACK; an input RST draws no RST; a segment for a
 *     port without a listener draws at most one segment. Data segments
 *     are bounded only by the output queue (TCP_OUTQ_SIZE, overflow
 *     counted in output_deferred): one ACK may open the window for a whole
 *     send buffer. An input RST draws at most one segment in all (a
 *     dropped segment once released the window held back after a
 *     retransmission timeout: tests/fuzz/findings/README.md).
 * At the end the clock advances in 200 ms steps, tcp_timers() running
 * each time, for up to 120 s of virtual time: far past every timeout of
 * the parameters (idle 4 s, close and read delays, retransmission give-up
 * with maximum backoff, persist give-up, FIN_WAIT_2, SYN_RECEIVED and
 * 2 * MSL, chained). Every connection and TIME_WAIT record must then be
 * freed: every state gauge but LISTEN is 0, and no timer insert was
 * ever refused (wheel_full).
 *
 * Set FUZZ_TCP_TRACE=1 to print each operation and output segment when
 * reproducing a crash: ./fuzz_tcp crash-file. FUZZ_TCP_COUNTERS=1
 * prints the TCP counters at the end of each input (which paths a
 * corpus reaches: ./fuzz_tcp -runs=0 corpus-dir).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "config.h"
#include "net.h"
#include "tcp.h"

#define LADDR 0xc6120001u /* 198.18.0.1 */
#define RBASE 0xc6120101u /* 198.18.1.1 */
/* The IPv6 peer (remote endpoints with bit 0 set) and our address. */
static const uint8_t RADDR6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 1, [15] = 2 };
static const uint8_t LADDR6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
#define RPORT_BASE 50000
#define N_REMOTE 8
#define N_PORT 8
#define OP_BYTES 8
#define MAX_OPS 512
#define MS 1000ull
#define T0 (1000000ull * MS)
#define END_STEP (200 * MS)
#define END_HORIZON (120000 * MS)
#define PAYLOAD_MAX 1400

#define CHECK(cond) \
	do { \
		if (!(cond)) \
			fail(#cond, __LINE__); \
	} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint16_t ports[N_PORT] = { 80, 81, 82, 83, 7, 9, 84, 85 };

/*
 * One listener per application and close policy, all with idle timeouts;
 * two http ones with a request-head timeout too, port 80's armed at the
 * open by TCP (tcp_listen_open_timer(), as app_listen_all() does), port
 * 81's by the application (no open timer).
 */
/* clang-format off */
static const struct cfg_listener listeners[] = {
	{ .port = 80, .app = CFG_APP_HTTP, .close = CFG_CLOSE_AFTER_RESPONSE,
	  .response_body_bytes = 3000, .idle_timeout_ms = 4000,
	  .head_timeout_ms = 1500 },
	{ .port = 81, .app = CFG_APP_HTTP, .close = CFG_CLOSE_ON_PEER_FIN,
	  .response_body_bytes = 2, .idle_timeout_ms = 3000,
	  .close_delay_ms = 500, .head_timeout_ms = 1000 },
	{ .port = 82, .app = CFG_APP_HTTP, .close = CFG_CLOSE_HALF_CLOSE,
	  .response_body_bytes = 100, .idle_timeout_ms = 3000 },
	{ .port = 83, .app = CFG_APP_HTTP, .close = CFG_CLOSE_ABORT,
	  .response_body_bytes = 10, .idle_timeout_ms = 2000,
	  .read_delay_ms = 300 },
	{ .port = 7, .app = CFG_APP_ECHO, .close = CFG_CLOSE_ON_PEER_FIN,
	  .idle_timeout_ms = 3000, .read_delay_ms = 300 },
	{ .port = 9, .app = CFG_APP_DISCARD, .close = CFG_CLOSE_ABORT,
	  .idle_timeout_ms = 2000, .close_delay_ms = 200 },
};
/* clang-format on */

#define N_LISTENERS (sizeof(listeners) / sizeof(listeners[0]))

static const char *const requests[3] = {
	"GET / HTTP/1.1\r\nHost: a\r\n\r\n",
	"GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
	"GET / HTTP/1.0\r\n\r\n",
};

/* What the peer knows of one 4-tuple. */
struct tuple {
	uint32_t peer_nxt;  /* next sequence number the peer sends */
	uint32_t our_max;   /* highest sequence number we sent + 1 */
	uint32_t our_ack;   /* last ACK number we sent */
	uint32_t our_tsval; /* last TSval we sent */
	uint32_t ts_off;    /* the peer's timestamp clock offset */
};

/* Replies drawn by one call. */
struct replies {
	uint32_t n;
	uint32_t control; /* no payload, no FIN */
	uint32_t rst;
	uint32_t synack;
};

static struct tcp_ctx *ctx;
static uint64_t now;
static struct tuple tup[N_REMOTE][N_PORT];
static uint8_t payload[3][PAYLOAD_MAX];
static uint32_t req_len[3];
static uint8_t frame[70000];
static int trace = -1;
static int counters;

/* The counters that are not 0, on one line (FUZZ_TCP_COUNTERS). */
static void
print_counters(void)
{
	const uint64_t *v = (const uint64_t *)tcp_counters(ctx);
	unsigned int i;

	fprintf(stderr, "counters:");
	for (i = 0; i < TCP_COUNTER_COUNT; i++)
		if (v[i] != 0)
			fprintf(stderr, " %s=%llu", tcp_counter_name(i),
				(unsigned long long)v[i]);
	fprintf(stderr, "\n");
}

static void
fail(const char *what, int line)
{
	const uint64_t *g = ctx ? tcp_state_gauges(ctx) : NULL;
	unsigned int s;

	fprintf(stderr, "fuzz_tcp: check failed: %s (line %d, t=%llu ms)\n",
		what, line, (unsigned long long)((now - T0) / MS));
	if (g != NULL) {
		for (s = 0; s < TCP_STATE_MAX; s++)
			if (g[s] != 0)
				fprintf(stderr, "  %s %llu\n",
					tcp_state_name((enum tcp_state)s),
					(unsigned long long)g[s]);
		print_counters();
	}
	abort();
}

static void
init_once(void)
{
	uint32_t i, k, n;

	if (trace >= 0)
		return;
	trace = getenv("FUZZ_TCP_TRACE") != NULL;
	counters = getenv("FUZZ_TCP_COUNTERS") != NULL;
	for (i = 0; i < 3; i++) {
		n = (uint32_t)strlen(requests[i]);
		req_len[i] = n;
		for (k = 0; k < PAYLOAD_MAX; k++)
			payload[i][k] = (uint8_t)requests[i][k % n];
	}
}

static void
params(struct tcp_params *p, uint8_t v)
{
	static const uint32_t sbufs[4] = { 1, 2, 4, 16 };

	memset(p, 0, sizeof(*p));
	p->msl_ms = 1000;
	p->fin_wait2_timeout_ms = 3000;
	p->syn_recv_timeout_ms = 2000;
	p->rto_min_ms = 200;
	p->rto_max_ms = 2000;
	p->rto_initial_ms = 500;
	p->delayed_ack_ms = 40;
	p->max_retries = 3;
	p->mss = 536;
	p->wscale = 2;
	p->rfc1337 = v & 0x01;
	p->tw_reuse = (enum tcp_tw_reuse)(((v >> 1) & 3) % 3);
	p->tw_overflow = (v & 0x08) ? TCP_TW_OVERFLOW_REFUSE :
				      TCP_TW_OVERFLOW_RECYCLE_OLDEST;
	p->timestamps = (v & 0x10) != 0;
	p->sack = (v & 0x20) != 0;
	p->challenge_ack_limit = 2;
	p->rcv_wnd = 4096;
	p->snd_buf = 2048;
	p->max_connections = 16;
	p->max_time_wait = 12;
	p->ipv6 = true;
	p->max_time_wait6 = 12;
	p->max_send_buffers = sbufs[v >> 6];
	memcpy(p->isn_secret, "fuzz-tcpterm-key", 16);
	/* A fixed flow-table key: an input always runs the same way. */
	p->flow_secret = (const uint8_t *)"fuzz-flow-secret";
}

static struct tuple *
tuple_of(uint32_t raddr, uint16_t rport, uint16_t lport)
{
	uint32_t r, pi;

	if (raddr < RBASE || raddr > RBASE + 1 || rport < RPORT_BASE ||
	    rport >= RPORT_BASE + N_REMOTE / 2)
		return NULL;
	r = (raddr - RBASE) | (uint32_t)(rport - RPORT_BASE) << 1;
	for (pi = 0; pi < N_PORT; pi++)
		if (ports[pi] == lport)
			return &tup[r][pi];
	return NULL;
}

/* The tuple of an output segment: IPv4 from RBASE, IPv6 from RADDR6. */
static struct tuple *
out_tuple(const struct tcp_out *o)
{
	if (o->family == TCP_FAMILY_IPV6) {
		CHECK(o->laddr == 0 && o->raddr == 0);
		CHECK(memcmp(o->laddr6, LADDR6, 16) == 0);
		CHECK(memcmp(o->raddr6, RADDR6, 16) == 0);
		return tuple_of(RBASE + 1, o->rport, o->lport);
	}
	CHECK(o->family == TCP_FAMILY_IPV4);
	CHECK(o->laddr == LADDR && o->raddr == RBASE);
	return tuple_of(o->raddr, o->rport, o->lport);
}

/* Build the frame of an output segment and parse it back. */
static void
out_roundtrip(const struct tcp_out *o, const uint8_t *ptr[2],
	      const uint32_t plen[2], unsigned int pieces)
{
	static const uint8_t mac[NET_ETH_ALEN] = { 2, 0, 0, 0, 0, 1 };
	struct net_tcp_build b;
	struct net_frame f;
	uint32_t hlen, off;
	unsigned int i;

	memset(&b, 0, sizeof(b));
	b.src_mac = mac;
	b.dst_mac = mac;
	b.saddr = o->laddr;
	b.daddr = o->raddr;
	b.sport = o->lport;
	b.dport = o->rport;
	b.seq = o->seq;
	b.ack = o->ack;
	b.wnd = o->wnd;
	b.flags = o->flags;
	b.opts = o->opts;
	b.payload_len = o->len;
	hlen = net_build_tcp(frame, sizeof(frame), &b);
	CHECK(hlen != 0);
	off = hlen;
	for (i = 0; i < pieces; i++) {
		memcpy(frame + off, ptr[i], plen[i]);
		off += plen[i];
	}
	net_tcp_finish(frame, false);
	CHECK(net_parse(frame, off, NET_CSUM_UNKNOWN, NET_CSUM_UNKNOWN, &f) ==
	      NET_DROP_NONE);
	CHECK(f.kind == NET_KIND_TCP);
	CHECK(f.seg.seq == o->seq && f.seg.ack == o->ack);
	CHECK(f.seg.flags == o->flags && f.seg.wnd == o->wnd);
	CHECK(f.seg.len == o->len);
	CHECK(f.seg.opts.has == o->opts.has);
}

/* Check, account and discard one output segment. */
static void
out_one(const struct tcp_out *o, struct replies *r)
{
	const uint8_t *ptr[2] = { NULL, NULL };
	uint32_t plen[2] = { 0, 0 }, end;
	struct tuple *t;
	unsigned int pieces;

	if (trace)
		fprintf(stderr,
			"  out %u:%u flags %02x seq %u ack %u wnd %u "
			"len %u\n",
			o->family, o->rport, o->flags, o->seq, o->ack, o->wnd,
			o->len);
	t = out_tuple(o);
	CHECK(t != NULL);
	pieces = tcp_out_payload(ctx, o, ptr, plen);
	CHECK(o->len == 0 || pieces > 0);
	CHECK(pieces <= 2 &&
	      plen[0] + (pieces == 2 ? plen[1] : 0) == (pieces ? o->len : 0));
	if (o->family == TCP_FAMILY_IPV4)
		out_roundtrip(o, ptr, plen, pieces);
	r->n++;
	if (o->len == 0 && !(o->flags & NET_TCP_FIN))
		r->control++;
	if (o->flags & NET_TCP_RST)
		r->rst++;
	if ((o->flags & (NET_TCP_SYN | NET_TCP_ACK)) ==
	    (NET_TCP_SYN | NET_TCP_ACK))
		r->synack++;
	/* What the peer learns. */
	if (o->flags & NET_TCP_RST)
		return;
	end = o->seq + o->len + !!(o->flags & NET_TCP_SYN) +
		!!(o->flags & NET_TCP_FIN);
	if ((o->flags & NET_TCP_SYN) || net_seq_gt(end, t->our_max))
		t->our_max = end;
	if (o->flags & NET_TCP_ACK)
		t->our_ack = o->ack;
	if (o->opts.has & NET_OPT_TS)
		t->our_tsval = o->opts.tsval;
}

/* Drain the output queue after a call, then check the context. */
static void
drain(struct replies *r)
{
	struct tcp_outq *q = tcp_outq(ctx);
	uint32_t i;

	memset(r, 0, sizeof(*r));
	CHECK(q->n <= TCP_OUTQ_SIZE);
	for (i = 0; i < q->n; i++)
		out_one(&q->seg[i], r);
	q->n = 0;
	CHECK(tcp_ctx_check(ctx) == 0);
}

static int32_t
delta6(uint8_t b)
{
	return (int32_t)(int8_t)(uint8_t)(b << 2) >> 2;
}

static uint32_t
pick_seq(const struct tuple *t, uint8_t b)
{
	int32_t d = delta6(b);

	switch (b >> 6) {
	case 0:
		return t->peer_nxt;
	case 1:
		return t->peer_nxt + (uint32_t)d;
	case 2:
		return t->our_ack + (uint32_t)d;
	default:
		return t->peer_nxt + (uint32_t)d * (1u << 20);
	}
}

static uint32_t
pick_ack(const struct tuple *t, uint8_t b)
{
	int32_t d = delta6(b);

	switch (b >> 6) {
	case 0:
		return t->our_max;
	case 1:
		return t->our_max + (uint32_t)d;
	case 2:
		return t->our_max + (uint32_t)d * 256u;
	default:
		return t->our_max + (uint32_t)d * (1u << 20);
	}
}

static void
pick_opts(struct net_seg *s, const struct tuple *t, uint8_t b)
{
	static const uint16_t mss[8] = {
		1, 64, 536, 1460, 9000, 65535, 0, 100
	};
	uint32_t v = b >> 5;

	if (b & 0x01) {
		s->opts.has |= NET_OPT_MSS;
		s->opts.mss = mss[v];
	}
	if (b & 0x02) {
		s->opts.has |= NET_OPT_WSCALE;
		s->opts.wscale = (uint8_t)(v * 2 + (v == 7));
	}
	if (b & 0x04)
		s->opts.has |= NET_OPT_SACK_OK;
	if (b & 0x08) {
		s->opts.has |= NET_OPT_TS;
		s->opts.tsval = (uint32_t)(now / MS) + t->ts_off;
		if (b & 0x10)
			s->opts.tsval -= 100000;
		s->opts.tsecr = t->our_tsval;
	}
}

static void
pick_payload(struct net_seg *s, uint8_t b, const uint8_t *in, size_t left)
{
	static const uint32_t lens[8] = { 0, 0, 1, 7, 0, 100, 536, 1400 };
	uint32_t content = (b >> 3) & 3, len = lens[b & 7];

	if (content == 3) {
		if (len > left)
			len = (uint32_t)left;
		s->data = in;
	} else {
		if ((b & 7) == 4)
			len = req_len[content];
		s->data = payload[content];
	}
	s->len = len;
}

static void
check_replies(const struct net_seg *s, const struct replies *r, bool listened)
{
	CHECK(r->control <= 1);
	CHECK(r->rst <= 1);
	CHECK(r->synack <= 1);
	if (s->flags & NET_TCP_RST) {
		CHECK(r->rst == 0);
		CHECK(r->n <= 1);
	}
	if (!listened)
		CHECK(r->n <= 1);
}

/*
 * A segment from remote endpoint r (odd: IPv6) to listening port pi,
 * nothing else set.
 */
static void
seg_from(struct net_seg *s, uint32_t r, uint32_t pi)
{
	memset(s, 0, sizeof(*s));
	if (r & 1) {
		s->saddr6 = RADDR6;
		s->daddr6 = LADDR6;
	} else {
		s->saddr = RBASE;
		s->daddr = LADDR;
	}
	s->sport = (uint16_t)(RPORT_BASE + (r >> 1));
	s->dport = ports[pi];
}

/* One segment from remote endpoint r, described by b. */
static void
op_segment_one(const uint8_t *b, uint32_t r, const uint8_t *in, size_t left)
{
	uint32_t pi = (b[1] >> 3) & 7, end, i;
	struct tuple *t = &tup[r][pi];
	struct replies rep;
	struct net_seg s;

	seg_from(&s, r, pi);
	s.flags = b[2];
	s.seq = pick_seq(t, b[3]) ^ ((b[1] & 0x40) ? 0x80000000u : 0);
	s.ack = pick_ack(t, b[4]) ^ ((b[1] & 0x80) ? 0x80000000u : 0);
	s.wnd = (uint16_t)((b[5] & 0x7f) << ((b[5] & 0x80) ? 9 : 3));
	pick_opts(&s, t, b[6]);
	pick_payload(&s, b[7], in, left);
	for (i = 0; i < ((b[0] & 0x08) ? 2u : 1u); i++) {
		if (trace)
			fprintf(stderr,
				"t=%llu in %u:%u flags %02x seq %u "
				"ack %u wnd %u len %u opts %x\n",
				(unsigned long long)((now - T0) / MS),
				(r & 1) ? 6 : 4, s.sport, s.flags, s.seq, s.ack,
				s.wnd, s.len, s.opts.has);
		tcp_input(ctx, &s, now);
		drain(&rep);
		check_replies(&s, &rep, pi < N_LISTENERS);
	}
	/* The peer moves on when it sent in order. */
	if ((s.flags & (NET_TCP_SYN | NET_TCP_ACK)) == NET_TCP_SYN) {
		t->peer_nxt = s.seq + 1;
	} else if ((b[3] >> 6) == 0 && !(b[1] & 0x40) &&
		   !(s.flags & NET_TCP_RST)) {
		end = s.seq + s.len + !!(s.flags & NET_TCP_FIN);
		if (net_seq_gt(end, t->peer_nxt))
			t->peer_nxt = end;
	}
}

static void
op_segment(const uint8_t *b, const uint8_t *in, size_t left)
{
	static const uint32_t steps[8] = { 0, 0, 1, 5, 40, 200, 1000, 5000 };
	struct replies rep;
	uint32_t r;

	now += steps[b[7] >> 5] * MS;
	if (b[0] & 0x20) {
		for (r = 0; r < N_REMOTE; r++)
			op_segment_one(b, r, in, left);
	} else {
		op_segment_one(b, b[1] & 7, in, left);
	}
	if (b[0] & 0x10) {
		tcp_timers(ctx, now, 256);
		drain(&rep);
	}
}

/* An ICMP too-big message quoting a segment we sent on one 4-tuple. */
static void
op_pmtu(const uint8_t *b)
{
	static const uint32_t mtus[8] = { 0,	68,   552,  576,
					  1000, 1280, 1500, 9000 };
	static const uint32_t steps[8] = { 0, 0, 1, 5, 40, 200, 1000, 5000 };
	uint32_t r = b[1] & 7, pi = (b[1] >> 3) & 7, mtu, cap, i;
	struct tcp_outq *q = tcp_outq(ctx);
	struct replies rep;
	struct net_seg s;

	now += steps[b[7] >> 5] * MS;
	seg_from(&s, r, pi);
	s.seq = pick_ack(&tup[r][pi], b[3]);
	mtu = (b[4] & 0x08) ? (uint32_t)b[5] << 8 | b[6] : mtus[b[4] & 7];
	if (trace)
		fprintf(stderr, "t=%llu pmtu %u:%u seq %u mtu %u\n",
			(unsigned long long)((now - T0) / MS), (r & 1) ? 6 : 4,
			s.sport, s.seq, mtu);
	tcp_pmtu_input(ctx, &s, mtu, now);
	/* The floors: 552 over IPv4, 1280 over IPv6; then the headers. */
	cap = (r & 1) ? (mtu < 1280 ? 1280 : mtu) - 60 :
			(mtu < 552 ? 552 : mtu) - 40;
	for (i = 0; i < q->n; i++)
		CHECK(q->seg[i].len <= cap);
	drain(&rep);
	CHECK(rep.control == 0);
}

static void
op_timers(uint8_t b0)
{
	static const uint32_t steps[8] = { 1,	 10,   40,    200,
					   1000, 5000, 30000, 120000 };
	static const uint32_t budgets[4] = { 1u << 20, 1, 8, 64 };
	struct replies rep;

	now += steps[(b0 >> 3) & 7] * MS;
	if (trace)
		fprintf(stderr, "t=%llu timers budget %u\n",
			(unsigned long long)((now - T0) / MS),
			budgets[b0 >> 6]);
	tcp_timers(ctx, now, budgets[b0 >> 6]);
	drain(&rep);
}

static bool
all_freed(void)
{
	const uint64_t *g = tcp_state_gauges(ctx);
	unsigned int s;

	for (s = 0; s < TCP_STATE_MAX; s++)
		if (s != TCP_LISTEN && g[s] != 0)
			return false;
	return true;
}

/* Run the clock past every timeout: everything must be freed. */
static void
finish(void)
{
	uint64_t end = now + END_HORIZON;
	struct replies rep;

	if (trace)
		fprintf(stderr,
			"t=%llu end: timers until everything is freed\n",
			(unsigned long long)((now - T0) / MS));
	while (!all_freed() && now < end) {
		now += END_STEP;
		tcp_timers(ctx, now, 1u << 20);
		drain(&rep);
	}
	CHECK(all_freed());
	CHECK(tcp_counters(ctx)->wheel_full == 0);
	CHECK(tcp_state_gauges(ctx)[TCP_LISTEN] == N_LISTENERS);
}

static void
setup(uint8_t v)
{
	struct tcp_params p;
	uint32_t r, pi;
	unsigned int i;

	params(&p, v);
	now = T0;
	ctx = tcp_ctx_create(&p, now);
	CHECK(ctx != NULL);
	for (i = 0; i < N_LISTENERS; i++)
		CHECK(tcp_listen(ctx, listeners[i].port,
				 app_ops(listeners[i].app),
				 &listeners[i]) == 0);
	/* Port 80's head deadline, from the open: 1500 ms, rounded up. */
	CHECK(tcp_listen_open_timer(ctx, 80, TCP_FAMILY_BOTH,
				    1500 * 1000 + 999) == 0);
	for (r = 0; r < N_REMOTE; r++)
		for (pi = 0; pi < N_PORT; pi++) {
			memset(&tup[r][pi], 0, sizeof(tup[r][pi]));
			tup[r][pi].peer_nxt = 1000000u * (r * N_PORT + pi + 1);
			tup[r][pi].ts_off = 7919u * (r * N_PORT + pi);
		}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t pos, ops = 0;

	if (size < 1)
		return 0;
	init_once();
	setup(data[0]);
	for (pos = 1; pos + OP_BYTES <= size && ops < MAX_OPS;
	     pos += OP_BYTES, ops++) {
		const uint8_t *b = data + pos;

		if ((b[0] & 7) < 6)
			op_segment(b, data + pos + OP_BYTES,
				   size - pos - OP_BYTES);
		else if ((b[0] & 7) == 6)
			op_timers(b[0]);
		else
			op_pmtu(b);
	}
	finish();
	if (counters)
		print_counters();
	tcp_ctx_destroy(ctx);
	ctx = NULL;
	return 0;
}
