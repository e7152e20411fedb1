/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The client TCP: just enough of RFC 9293 to open a connection, send
 * requests, read responses and close, in the three scenarios:
 *
 *   short         SYN, ACK + request, response, the server's FIN; then
 *                 our FIN (LAST_ACK) and its ACK. The server holds
 *                 TIME_WAIT.
 *   client-close  the same up to the response; then our FIN first
 *                 (FIN_WAIT), the server's FIN, our last ACK. The server
 *                 closes passively.
 *   keepalive     connections stay open; requests are paced over them;
 *                 closed as in client-close at the end.
 *
 * Segments are accepted in order only (out-of-order ones are answered
 * with a duplicate ACK, and the server retransmits). SYN, request and
 * FIN are retransmitted on a fixed timeout; after too many retries the
 * connection is reset and counted as a timeout.
 */
#include <string.h>

#include <rte_random.h>

#include "gen.h"
#include "gen_internal.h"

#define GEN_MSS 1460  /* a 1500-byte MTU, less 40 */
#define GEN_MSS6 1440 /* the same less 60 (RFC 8200 8.3) */
#define GEN_WND 65535
#define GEN_TIMER_BUDGET 256

/* Send one segment of connection c. */
static void
gen_out(struct gen *g, struct gen_conn *c, uint8_t flags, uint32_t seq,
	const uint8_t *data, uint32_t len)
{
	uint8_t src6[NET_IPV6_ALEN];
	struct net_tcp_build b = {
		.src_mac = g->mac,
		.dst_mac = g->o.dst_mac,
		.saddr = gen_tuple_addr(g, c->tuple),
		.daddr = g->o.dst,
		.sport = gen_tuple_port(g, c->tuple),
		.dport = g->o.dport,
		.seq = seq,
		.ack = (flags & NET_TCP_ACK) ? c->rcv_nxt : 0,
		.wnd = GEN_WND,
		.flags = flags,
		.ttl = 64,
		.payload_len = len,
	};

	if (g->o.ipv6) {
		gen_addr6_make(g->o.src6, b.saddr, src6);
		b.saddr6 = src6;
		b.daddr6 = g->o.dst6;
	}
	if (flags & NET_TCP_SYN) {
		b.opts.has = NET_OPT_MSS | NET_OPT_TS;
		b.opts.mss = g->o.ipv6 ? GEN_MSS6 : GEN_MSS;
		b.opts.tsval = g->ts_base + g->now_ms;
	} else if (c->ts_ok && !(flags & NET_TCP_RST)) {
		b.opts.has = NET_OPT_TS;
		b.opts.tsval = g->ts_base + g->now_ms;
		b.opts.tsecr = c->ts_recent;
	}
	gen_send_tcp(g, &b, data);
}

/* Restart c's retransmission timer. */
static void
gen_timed(struct gen *g, struct gen_conn *c)
{
	c->t_tx = g->now;
	gen_list_tail(g, c, GL_RTO);
}

static void
gen_send_request(struct gen *g, struct gen_conn *c)
{
	gen_out(g, c, NET_TCP_ACK | NET_TCP_PSH, c->snd_nxt, g->req,
		g->req_len);
	c->snd_nxt += g->req_len;
	c->awaiting = 1;
	c->resp_rx = 0;
	c->t_req = g->now;
	gen_timed(g, c);
}

static void
gen_send_fin(struct gen *g, struct gen_conn *c)
{
	gen_out(g, c, NET_TCP_FIN | NET_TCP_ACK, c->snd_nxt, NULL, 0);
	c->snd_nxt++;
	c->fin_sent = 1;
	gen_timed(g, c);
}

/* Give up on c: RST it, count why, free it. */
static void
gen_fail(struct gen *g, struct gen_conn *c, uint64_t *counter, bool rst)
{
	if (rst)
		gen_out(g, c, NET_TCP_RST, c->snd_nxt, NULL, 0);
	(*counter)++;
	gen_conn_release(g, c);
}

static void
gen_complete(struct gen *g, struct gen_conn *c)
{
	g->c.completed++;
	gen_conn_release(g, c);
}

/* Open up to max connections; returns how many SYNs went out. */
unsigned int
gen_tcp_open_some(struct gen *g, unsigned int max)
{
	unsigned int n;

	for (n = 0; n < max && g->opening; n++) {
		struct gen_conn *c = gen_conn_alloc(g);

		if (c == NULL)
			break;
		c->iss = (uint32_t)rte_rand();
		c->snd_una = c->iss;
		c->snd_nxt = c->iss + 1;
		c->state = GS_SYN_SENT;
		c->t_open = g->now;
		gen_out(g, c, NET_TCP_SYN, c->iss, NULL, 0);
		gen_timed(g, c);
		g->c.opened++;
	}
	return n;
}

/* Keepalive: send requests on up to max idle connections. */
unsigned int
gen_tcp_dispatch_some(struct gen *g, unsigned int max)
{
	unsigned int n;

	for (n = 0; n < max && g->idle.head != GEN_NONE; n++)
		gen_send_request(g, &g->conns[g->idle.head]);
	return n;
}

/* A response is complete: what next depends on the scenario. */
static void
gen_response_done(struct gen *g, struct gen_conn *c)
{
	c->awaiting = 0;
	g->c.requests++;
	gen_hist_add(&g->response, gen_tsc_ns(g, g->now - c->t_req));
	if (g->o.scenario != GEN_KEEPALIVE)
		gen_hist_add(&g->complete, gen_tsc_ns(g, g->now - c->t_open));
	if (g->o.scenario == GEN_CLIENT_CLOSE ||
	    (g->o.scenario == GEN_KEEPALIVE && g->stopping)) {
		gen_send_fin(g, c);
		c->state = GS_FIN_WAIT;
	} else if (g->o.scenario == GEN_KEEPALIVE) {
		gen_list_tail(g, c, GL_IDLE);
	}
}

/* Learn the response size from the first response's head. */
static void
gen_learn_resp_len(struct gen *g, const uint8_t *d, uint32_t len)
{
	static const char cl[] = "Content-Length: ";
	uint32_t i, body = 0, hdr = 0;
	bool have_cl = false;

	for (i = 0; i + 4 <= len; i++) {
		if (memcmp(d + i, "\r\n\r\n", 4) == 0) {
			hdr = i + 4;
			break;
		}
		if (i + sizeof(cl) - 1 <= len &&
		    memcmp(d + i, cl, sizeof(cl) - 1) == 0) {
			uint32_t j = i + sizeof(cl) - 1;

			have_cl = true;
			while (j < len && d[j] >= '0' && d[j] <= '9')
				body = body * 10 + (d[j++] - '0');
		}
	}
	if (hdr != 0 && have_cl)
		g->resp_len = hdr + body;
}

/* In-order response bytes; returns false when the response is bad. */
static bool
gen_response_data(struct gen *g, struct gen_conn *c, const uint8_t *d,
		  uint32_t len)
{
	if (!c->awaiting)
		return false;
	if (c->resp_rx == 0) {
		if (len < 10 || memcmp(d, "HTTP/1.1 2", 10) != 0)
			return false;
		if (g->resp_len == 0)
			gen_learn_resp_len(g, d, len);
	}
	c->resp_rx += len;
	if (g->resp_len == 0 || c->resp_rx == g->resp_len)
		gen_response_done(g, c);
	else if (c->resp_rx > g->resp_len)
		return false;
	return true;
}

/* SYN_SENT: the SYN-ACK. */
static void
gen_syn_sent(struct gen *g, struct gen_conn *c, const struct net_seg *s)
{
	if ((s->flags & NET_TCP_ACK) && s->ack != c->iss + 1) {
		/*
		 * RFC 9293 3.10.7.3: an unacceptable ACK in SYN-SENT gets
		 * <SEQ=SEG.ACK><CTL=RST>; the SYN's retransmission decides.
		 */
		gen_out(g, c, NET_TCP_RST, s->ack, NULL, 0);
		g->c.stray++;
		return;
	}
	if ((s->flags & (NET_TCP_SYN | NET_TCP_ACK)) !=
	    (NET_TCP_SYN | NET_TCP_ACK))
		return;
	c->rcv_nxt = s->seq + 1;
	c->snd_una = s->ack;
	c->retries = 0;
	if (s->opts.has & NET_OPT_TS) {
		c->ts_ok = 1;
		c->ts_recent = s->opts.tsval;
	}
	c->state = GS_ESTAB;
	g->c.established++;
	gen_hist_add(&g->connect, gen_tsc_ns(g, g->now - c->t_open));
	gen_hist_add(&g->connect_iv, gen_tsc_ns(g, g->now - c->t_open));
	if (g->o.scenario == GEN_KEEPALIVE && g->opening) {
		gen_out(g, c, NET_TCP_ACK, c->snd_nxt, NULL, 0);
		gen_list_tail(g, c, GL_IDLE);
	} else if (g->o.scenario == GEN_KEEPALIVE) {
		gen_out(g, c, NET_TCP_ACK, c->snd_nxt, NULL, 0);
		gen_send_fin(g, c);
		c->state = GS_FIN_WAIT;
	} else {
		/* The request carries the handshake's ACK. */
		gen_send_request(g, c);
	}
}

/* Step: the ACK field. Returns true when it acknowledged something new. */
static bool
gen_ack(struct gen_conn *c, const struct net_seg *s)
{
	if (!(s->flags & NET_TCP_ACK) || !net_seq_gt(s->ack, c->snd_una) ||
	    net_seq_gt(s->ack, c->snd_nxt))
		return false;
	c->snd_una = s->ack;
	return true;
}

/*
 * Step: payload and FIN, in order only. Returns -1 on a bad response,
 * else 1 when an ACK is owed, 0 when not.
 */
static int
gen_data(struct gen *g, struct gen_conn *c, const struct net_seg *s)
{
	int owe = 0;

	if (s->len) {
		if (s->seq != c->rcv_nxt)
			return 1; /* Old or out of order: dup ACK. */
		if (!gen_response_data(g, c, s->data, s->len))
			return -1;
		c->rcv_nxt += s->len;
		owe = 1;
	}
	if (s->flags & NET_TCP_FIN) {
		if (!c->fin_rcvd && s->seq + s->len == c->rcv_nxt) {
			c->fin_rcvd = 1;
			c->rcv_nxt++;
		}
		owe = 1;
	}
	return owe;
}

/* After the segment: close when both sides are done, else ACK if owed. */
static void
gen_after(struct gen *g, struct gen_conn *c, int owe, uint32_t snd_nxt0)
{
	bool fin_acked = c->fin_sent && c->snd_una == c->snd_nxt;

	if (c->fin_rcvd && c->awaiting) {
		gen_fail(g, c, &g->c.fail_bad_response, true);
		return;
	}
	if (c->fin_rcvd && !c->fin_sent) {
		/* ACK their FIN and send ours: LAST_ACK. */
		gen_send_fin(g, c);
		c->state = GS_LAST_ACK;
		return;
	}
	if (fin_acked && c->fin_rcvd) {
		if (owe && c->state == GS_FIN_WAIT)
			gen_out(g, c, NET_TCP_ACK, c->snd_nxt, NULL, 0);
		gen_complete(g, c);
		return;
	}
	/* A FIN sent while handling the segment carried the ACK already. */
	if (owe && c->snd_nxt == snd_nxt0)
		gen_out(g, c, NET_TCP_ACK, c->snd_nxt, NULL, 0);
}

static void
gen_conn_input(struct gen *g, struct gen_conn *c, const struct net_seg *s)
{
	uint32_t snd_nxt0 = c->snd_nxt;
	int owe;

	if (s->flags & NET_TCP_RST) {
		gen_fail(g, c, &g->c.fail_rst, false);
		return;
	}
	if (c->state == GS_SYN_SENT) {
		gen_syn_sent(g, c, s);
		return;
	}
	if (s->flags & NET_TCP_SYN) {
		/* A retransmitted SYN-ACK: our ACK was lost. */
		gen_out(g, c, NET_TCP_ACK, c->snd_nxt, NULL, 0);
		return;
	}
	if ((s->opts.has & NET_OPT_TS) && net_seq_leq(s->seq, c->rcv_nxt))
		c->ts_recent = s->opts.tsval;
	if (gen_ack(c, s)) {
		c->retries = 0;
		if (c->list == GL_RTO)
			gen_timed(g, c);
	}
	owe = gen_data(g, c, s);
	if (owe < 0) {
		gen_fail(g, c, &g->c.fail_bad_response, true);
		return;
	}
	if (c->state != GS_FREE)
		gen_after(g, c, owe, snd_nxt0);
}

/*
 * A segment for no connection of ours: ACK a FIN (our side of a lost
 * last ACK, as TIME_WAIT would), reset a SYN-ACK, ignore the rest.
 */
static void
gen_stray(struct gen *g, const struct net_seg *s, uint32_t t)
{
	struct gen_conn tmp;

	g->c.stray++;
	if (t == GEN_NONE || (s->flags & NET_TCP_RST))
		return;
	memset(&tmp, 0, sizeof(tmp));
	tmp.tuple = t;
	if (s->flags & NET_TCP_SYN) {
		if (s->flags & NET_TCP_ACK)
			gen_out(g, &tmp, NET_TCP_RST, s->ack, NULL, 0);
	} else if (s->flags & NET_TCP_FIN) {
		tmp.rcv_nxt = s->seq + s->len + 1;
		tmp.ts_ok = !!(s->opts.has & NET_OPT_TS);
		tmp.ts_recent = s->opts.tsval;
		gen_out(g, &tmp, NET_TCP_ACK, s->ack, NULL, 0);
	}
}

void
gen_tcp_input(struct gen *g, const struct net_frame *f)
{
	const struct net_seg *s = &f->seg;
	uint32_t t = gen_tuple_of(g, s);
	uint32_t ci;

	ci = t == GEN_NONE ? GEN_NONE : g->tuple_conn[t];
	if (ci == GEN_NONE) {
		gen_stray(g, s, t);
		return;
	}
	gen_conn_input(g, &g->conns[ci], s);
}

/* Retransmit what c is waiting on. */
static void
gen_retransmit(struct gen *g, struct gen_conn *c)
{
	uint32_t una = c->snd_nxt - c->fin_sent;

	g->c.retransmits++;
	c->retries++;
	if (c->state == GS_SYN_SENT)
		gen_out(g, c, NET_TCP_SYN, c->iss, NULL, 0);
	else if (net_seq_lt(c->snd_una, una) && c->awaiting)
		gen_out(g, c, NET_TCP_ACK | NET_TCP_PSH, una - g->req_len,
			g->req, g->req_len);
	else if (c->fin_sent && c->snd_una != c->snd_nxt)
		gen_out(g, c, NET_TCP_FIN | NET_TCP_ACK, c->snd_nxt - 1, NULL,
			0);
	else
		gen_out(g, c, NET_TCP_ACK, c->snd_nxt, NULL, 0);
	gen_timed(g, c);
}

/* Expire the timed list's head; bounded work per call. */
void
gen_tcp_timers(struct gen *g)
{
	unsigned int n;

	for (n = 0; n < GEN_TIMER_BUDGET && g->rto.head != GEN_NONE; n++) {
		struct gen_conn *c = &g->conns[g->rto.head];

		if (g->now - c->t_tx < g->rto_tsc)
			break;
		if (c->retries >= g->o.retries)
			gen_fail(g, c, &g->c.fail_timeout, true);
		else
			gen_retransmit(g, c);
	}
}

/* Stop starting work; keepalive connections close after their response. */
void
gen_tcp_stop(struct gen *g)
{
	g->opening = false;
	if (g->o.scenario != GEN_KEEPALIVE || g->stopping)
		return;
	g->stopping = true;
	while (g->idle.head != GEN_NONE) {
		struct gen_conn *c = &g->conns[g->idle.head];

		gen_send_fin(g, c);
		c->state = GS_FIN_WAIT;
	}
}

/* Reset every connection still open and count it as unfinished. */
void
gen_tcp_abort_all(struct gen *g)
{
	uint32_t i;

	for (i = 0; i < g->n_conns; i++) {
		struct gen_conn *c = &g->conns[i];

		if (c->state != GS_FREE)
			gen_fail(g, c, &g->c.unfinished, true);
	}
}
