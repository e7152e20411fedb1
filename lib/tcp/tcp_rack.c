/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * RACK, time-based loss detection (RFC 8985 6): a segment is lost when
 * one sent after it has been delivered (acknowledged or SACKed) and it
 * is older than the latest round trip plus a reordering window. It
 * finds a lost retransmission, which the duplicate-ACK count cannot,
 * and waits a little (the reordering timer) before declaring a hole
 * lost when the peer may only be reordering.
 *
 * tcpterm keeps no per-segment state: the send times are a log of
 * transmitted ranges beside the send buffer (struct tcp_xlog in
 * tcp_internal.h). RACK runs only with a SACK peer and tcp.rack on;
 * tcp_recovery.c acts on what it finds.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "tcp_internal.h"
#include "tt_mem.h"

#define RACK_DUPTHRESH 3 /* RFC 8985 6.2, RFC 6675 DupThresh */
#define RACK_PERSIST 16	 /* RFC 8985 6.2 step 4 */
/*
 * RACK.min_RTT's window, in units of 2^TCP_MIN_RTT_UNIT us: 18 of
 * them, 302 s (Linux's tcp_min_rtt_wlen: 300 s).
 */
#define RACK_MIN_RTT_WIN 18

int
tcp_rack_init(struct tcp_ctx *c, uint32_t count)
{
	if (count == 0)
		return 0;
	c->xlog = calloc(count, sizeof(*c->xlog));
	if (c->xlog == NULL)
		return -ENOMEM;
	tt_prefault(c->xlog, (size_t)count * sizeof(*c->xlog));
	c->mem += (size_t)count * sizeof(*c->xlog);
	return 0;
}

void
tcp_rack_fini(struct tcp_ctx *c)
{
	free(c->xlog);
	c->xlog = NULL;
}

/*
 * Send buffer sb changes hands: nothing of it is in flight. Everything
 * after the ranges is cleared; the ranges themselves are read only
 * below n, so those of the last owner need not be.
 */
void
tcp_rack_reset(struct tcp_ctx *c, uint32_t sb)
{
	struct tcp_xlog *x;

	if (c->xlog == NULL)
		return;
	x = &c->xlog[sb];
	memset(&x->n, 0, sizeof(*x) - offsetof(struct tcp_xlog, n));
}

/* Signed difference of two send times (32-bit microsecond clock). */
static int32_t
tdiff(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b);
}

/* RFC 8985 6.2: RACK_sent_after(t1, seq1, t2, seq2). */
static bool
sent_after(uint32_t t1, uint32_t seq1, uint32_t t2, uint32_t seq2)
{
	return tdiff(t1, t2) > 0 || (t1 == t2 && net_seq_gt(seq1, seq2));
}

/*
 * The burst a log range stands for: segments sent within min_RTT / 16
 * of one another join one range (rack_log_sent()), which keeps the
 * send time of its last.
 */
static uint32_t
burst_window(const struct tcp_conn *conn)
{
	return conn->min_rtt / 16;
}

/* Make room: the two oldest ranges become one, sent at the later time. */
static void
log_fold(struct tcp_xlog *x)
{
	struct tcp_xmit *a = &x->r[0], *b = &x->r[1];

	if (net_seq_lt(a->start, b->start))
		b->start = a->start;
	if (net_seq_gt(a->end, b->end))
		b->end = a->end;
	b->flags = ((a->flags | b->flags) & TCP_XF_RXT) |
		(a->flags & b->flags & TCP_XF_LOST);
	memmove(&x->r[0], &x->r[1], (x->n - 1) * sizeof(x->r[0]));
	x->n--;
}

/*
 * Record [seq, seq + len) as sent at now in log x. A range that follows
 * the newest one and goes out with it (the same burst: within min_RTT /
 * 16) joins it. Out of line: inlined into every segment's send, with
 * the fold, it gave each the stack frame it needs, log or not.
 */
static __attribute__((noinline)) void
rack_log_sent(struct tcp_ctx *c, const struct tcp_conn *conn,
	      struct tcp_xlog *x, uint32_t seq, uint32_t len, bool rxt,
	      uint64_t now)
{
	uint32_t ts = (uint32_t)now, fl = rxt ? TCP_XF_RXT : 0;
	struct tcp_xmit *last;

	if (x->n > 0) {
		last = &x->r[x->n - 1];
		if (last->end == seq && last->flags == fl &&
		    (uint32_t)tdiff(ts, last->ts) <= burst_window(conn)) {
			last->end = seq + len;
			last->ts = ts;
			return;
		}
	}
	if (x->n == TCP_XMIT_RANGES) {
		log_fold(x);
		c->cnt.rack_log_folded++;
	}
	x->r[x->n++] = (struct tcp_xmit){ seq, seq + len, ts, fl };
}

/* Record [seq, seq + len) as sent at now, when RACK runs for conn. */
void
tcp_rack_sent(struct tcp_ctx *c, struct tcp_conn *conn, uint32_t seq,
	      uint32_t len, bool rxt, uint64_t now)
{
	struct tcp_xlog *x = tcp_rack_log(c, conn);

	if (x == NULL || len == 0)
		return;
	rack_log_sent(c, conn, x, seq, len, rxt, now);
}

/* Drop what SND.UNA has passed. */
static void
log_trim(struct tcp_xlog *x, uint32_t una)
{
	uint32_t i, j = 0;

	for (i = 0; i < x->n; i++) {
		if (net_seq_leq(x->r[i].end, una))
			continue;
		x->r[j] = x->r[i];
		if (net_seq_lt(x->r[j].start, una))
			x->r[j].start = una;
		j++;
	}
	x->n = j;
}

/* The newest range holding seq, at or after index from; -1: none. */
static int
newest_at(const struct tcp_xlog *x, uint32_t from, uint32_t seq)
{
	int i;

	for (i = (int)x->n - 1; i >= (int)from; i--)
		if (net_seq_geq(seq, x->r[i].start) &&
		    net_seq_lt(seq, x->r[i].end))
			return i;
	return -1;
}

static bool
in_blocks(const struct net_sack_block *b, uint32_t n, uint32_t seq,
	  uint32_t *end)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		if (net_seq_geq(seq, b[i].start) && net_seq_lt(seq, b[i].end)) {
			*end = b[i].end;
			return true;
		}
	return false;
}

/*
 * The end of the highest part of [s, e) outside the sorted blocks b
 * (what was not delivered before); s when there is none.
 */
static uint32_t
top_outside(const struct net_sack_block *b, uint32_t n, uint32_t s, uint32_t e)
{
	int i;

	for (i = (int)n - 1; i >= 0 && net_seq_lt(s, e); i--) {
		if (net_seq_leq(b[i].end, s) || net_seq_geq(b[i].start, e))
			continue;
		if (net_seq_lt(b[i].end, e))
			return e;
		e = b[i].start;
	}
	return net_seq_lt(s, e) ? e : s;
}

/* What one ACK newly delivered: [old SND.UNA, SND.UNA) and its SACKs. */
struct rack_acked {
	struct net_sack_block d[1 + NET_SACK_MAX];
	uint32_t nd;
	const struct net_sack_block *old; /* scoreboard before */
	uint32_t nold;
};

/*
 * RFC 8985 6.2 step 2: the delivered range sent last. Ranges are tried
 * newest first, so a byte sent again is judged by its last send.
 * Returns the index, -1 for none; *end is RACK.end_seq for it.
 */
static int
newest_delivered(const struct tcp_xlog *x, const struct rack_acked *a,
		 uint32_t *end)
{
	uint32_t j, s, e, top;
	int i, found = -1;

	for (i = (int)x->n - 1; i >= 0 && found < 0; i--) {
		for (j = 0; j < a->nd; j++) {
			s = net_seq_gt(x->r[i].start, a->d[j].start) ?
				x->r[i].start :
				a->d[j].start;
			e = net_seq_lt(x->r[i].end, a->d[j].end) ? x->r[i].end :
								   a->d[j].end;
			if (!net_seq_lt(s, e))
				continue;
			top = top_outside(a->old, a->nold, s, e);
			if (top == s)
				continue;
			if (found < 0 || net_seq_gt(top, *end))
				*end = top;
			found = i;
		}
	}
	return found;
}

/*
 * RFC 8985 6.2 step 3: a segment never retransmitted, delivered below
 * the highest sequence delivered before (RACK.fack), was reordered.
 */
static bool
reordered(const struct tcp_xlog *x, const struct rack_acked *a, uint32_t fack)
{
	uint32_t j, s, skip;
	int i;

	for (j = 0; j < a->nd; j++) {
		s = a->d[j].start;
		while (in_blocks(a->old, a->nold, s, &skip))
			s = skip;
		if (!net_seq_lt(s, a->d[j].end) || !net_seq_lt(s, fack))
			continue;
		i = newest_at(x, 0, s);
		if (i >= 0 && !(x->r[i].flags & TCP_XF_RXT))
			return true;
	}
	return false;
}

/*
 * RFC 2883 4 / RFC 8985 6.2 step 4: the first SACK block is a D-SACK
 * when it lies below the cumulative ACK or inside the second block.
 */
bool
tcp_seg_has_dsack(const struct net_seg *seg)
{
	const struct net_sack_block *b = seg->opts.sack;

	if (!(seg->opts.has & NET_OPT_SACK) || seg->opts.nsack == 0)
		return false;
	if (net_seq_leq(b[0].end, seg->ack))
		return true;
	return seg->opts.nsack > 1 && net_seq_geq(b[0].start, b[1].start) &&
		net_seq_leq(b[0].end, b[1].end);
}

/* RFC 8985 6.2 step 4: RACK_update_reo_wnd(), the D-SACK part. */
static void
reo_update(struct tcp_ctx *c, struct tcp_conn *conn, struct tcp_xlog *x,
	   const struct net_seg *seg)
{
	if (x->dsack_round_on && net_seq_geq(conn->snd_una, x->dsack_round))
		x->dsack_round_on = false;
	if (!tcp_seg_has_dsack(seg))
		return;
	c->cnt.dsack_rx++;
	if (x->dsack_round_on)
		return;
	x->dsack_round = conn->snd_nxt;
	x->dsack_round_on = true;
	if (conn->reo_mult < UINT8_MAX)
		conn->reo_mult = conn->reo_mult ? conn->reo_mult + 1 : 2;
	conn->reo_persist = RACK_PERSIST;
	x->dsack_grew = true;
}

/*
 * RFC 8985 6.2 step 4: the window shrinks back after RACK_PERSIST
 * recoveries without a D-SACK; "Else if": not at the end of a recovery
 * whose last ACK's D-SACK grew it (tcp_rack_ack_begin()).
 */
void
tcp_rack_recovery_done(const struct tcp_ctx *c, struct tcp_conn *conn)
{
	const struct tcp_xlog *x = tcp_rack_log(c, conn);

	if (x != NULL && x->dsack_grew)
		return;
	if (conn->reo_persist == 0 || --conn->reo_persist == 0)
		conn->reo_mult = 0;
}

/*
 * RFC 8985 6.2 step 2: the ACK echoes a timestamp older than the
 * transmission of range d (its bytes went from d.ts less the burst
 * window on): it answers an earlier copy of a byte sent again. Only for
 * a range the ACK delivers at the old left edge, [old_una, SND.UNA):
 * an RFC 7323 4.3 receiver echoes TS.Recent, which only the left edge
 * moves, on every ACK of out-of-order data, so a SACKed range's echo
 * is older than any resend and says nothing of which copy arrived
 * (then, as without timestamps, the min_RTT test alone applies).
 */
static bool
echoes_earlier(const struct tcp_conn *conn, const struct net_seg *seg,
	       const struct tcp_xmit *d, uint32_t old_una, uint64_t sent)
{
	uint32_t burst = burst_window(conn);

	if (!(conn->flags & TCP_CF_TS) || !(seg->opts.has & NET_OPT_TS) ||
	    seg->opts.tsecr == 0 || !net_seq_lt(old_una, conn->snd_una) ||
	    !net_seq_lt(d->start, conn->snd_una) ||
	    !net_seq_gt(d->end, old_una))
		return false;
	sent -= burst < sent ? burst : sent;
	return (int32_t)(seg->opts.tsecr - tcp_tsval(conn, sent)) < 0;
}

/*
 * Before tcp_rack_ack() on an ACK that may end a recovery: what it
 * learns of D-SACKs is this ACK's alone. The clean path needs none: its
 * ACKs carry no D-SACK and end no recovery.
 */
void
tcp_rack_ack_begin(struct tcp_ctx *c, struct tcp_conn *conn)
{
	struct tcp_xlog *x = tcp_rack_log(c, conn);

	if (x != NULL)
		x->dsack_grew = false;
}

/*
 * RFC 8985 6.2 step 2: "The sender SHOULD track a windowed min-filtered
 * estimate of recent RTT measurements that can adapt when migrating to
 * significantly longer paths". A sample at or below RACK.min_RTT sets it
 * and starts its age again; once RACK_MIN_RTT_WIN has passed without
 * one, the next sample replaces it, whatever its value (as Linux's BBR
 * keeps its min_rtt_us; Linux's RACK keeps three samples of the window,
 * tcp_update_rtt_min(), 24 bytes a connection). The age is taken modulo
 * 2^TCP_MIN_RTT_AT_BITS units (4.77 hours): an idle that long expires
 * the minimum first (tcp_rack_idle()).
 */
static void
min_rtt_update(struct tcp_conn *conn, uint32_t rtt, uint64_t now)
{
	uint32_t at = (uint32_t)(now >> TCP_MIN_RTT_UNIT) & TCP_MIN_RTT_AT_MASK;

	if (rtt == 0)
		rtt = 1;
	if (rtt > TCP_MIN_RTT_MAX)
		rtt = TCP_MIN_RTT_MAX;
	if (conn->min_rtt != 0 && rtt > conn->min_rtt &&
	    ((at - conn->min_rtt_at) & TCP_MIN_RTT_AT_MASK) < RACK_MIN_RTT_WIN)
		return;
	conn->min_rtt = rtt;
	conn->min_rtt_at = at;
}

/*
 * RFC 5681 4.1's restart after nothing was in flight since idle_start
 * (tcp_send()): min_RTT was last set no later, and an idle of a window
 * or more expires it. Its age, modulo 2^TCP_MIN_RTT_AT_BITS units,
 * could read small again after 4.77 hours; set to the window it lets
 * the next sample replace the minimum. Out of line, with the restart.
 */
void
tcp_rack_idle(struct tcp_conn *conn, uint64_t idle_start, uint64_t now)
{
	uint64_t unit = now >> TCP_MIN_RTT_UNIT;

	if (unit - (idle_start >> TCP_MIN_RTT_UNIT) >= RACK_MIN_RTT_WIN)
		conn->min_rtt_at = (unit - RACK_MIN_RTT_WIN) &
			TCP_MIN_RTT_AT_MASK;
}

/*
 * RFC 8985 6.2 steps 2-4 for one ACK: RACK.xmit_ts, RACK.end_seq,
 * RACK.rtt, min_RTT, reordering seen, the D-SACK adaptation. old and
 * nold are the scoreboard before the ACK, old_una SND.UNA before it.
 */
void
tcp_rack_ack(struct tcp_ctx *c, struct tcp_conn *conn,
	     const struct net_sack_block *old, uint32_t nold, uint32_t old_una,
	     const struct net_seg *seg, uint64_t now)
{
	struct tcp_xlog *x = tcp_rack_log(c, conn);
	uint32_t i, end = 0, fack = old_una, rtt;
	struct rack_acked a;
	struct tcp_xmit d = { 0 };
	int r;

	if (x == NULL)
		return;
	reo_update(c, conn, x, seg);
	memset(&a, 0, sizeof(a));
	a.old = old;
	a.nold = nold;
	if (net_seq_lt(old_una, conn->snd_una))
		a.d[a.nd++] = (struct net_sack_block){ old_una, conn->snd_una };
	/* RFC 2018: only blocks within what was sent say anything. */
	for (i = 0; (seg->opts.has & NET_OPT_SACK) && i < seg->opts.nsack &&
	     i < NET_SACK_MAX;
	     i++) {
		struct net_sack_block b = seg->opts.sack[i];

		if (net_seq_lt(b.start, old_una))
			b.start = old_una;
		if (net_seq_lt(b.start, b.end) &&
		    net_seq_leq(b.end, conn->snd_max))
			a.d[a.nd++] = b;
	}
	if (nold > 0 && net_seq_gt(old[nold - 1].end, fack))
		fack = old[nold - 1].end;
	if (reordered(x, &a, fack))
		conn->rec_flags |= TCP_RF_REORDER;
	r = newest_delivered(x, &a, &end);
	/* The range, before the trim below may drop it or move another in. */
	if (r >= 0)
		d = x->r[r];
	log_trim(x, conn->snd_una);
	if (r < 0 || tdiff((uint32_t)now, d.ts) < 0)
		return;
	rtt = (uint32_t)now - d.ts;
	/*
	 * Step 2: a retransmission acknowledged too soon, or by an ACK
	 * echoing an earlier timestamp, was the original's: taken, it made
	 * all that went between the two look lost.
	 */
	if ((d.flags & TCP_XF_RXT) &&
	    (rtt < conn->min_rtt ||
	     echoes_earlier(conn, seg, &d, old_una, now - rtt)))
		return;
	x->rack_rtt = rtt;
	if (!(d.flags & TCP_XF_RXT))
		min_rtt_update(conn, rtt, now);
	if (!x->has_rack || sent_after(d.ts, end, x->rack_ts, x->rack_end)) {
		x->rack_ts = d.ts;
		x->rack_end = end;
		x->has_rack = true;
	}
}

static uint32_t
sacked_total(const struct tcp_conn *conn)
{
	uint32_t i, n = 0;

	for (i = 0; i < conn->nsacked; i++)
		n += conn->sacked[i].end - conn->sacked[i].start;
	return n;
}

/*
 * RFC 8985 6.2 step 4: RACK_reo_wnd(), microseconds. Without reordering
 * seen, 0 "in Fast or RTO recovery": a timeout's recovery lasts until
 * recover is acknowledged (TCP_RF_RTO), as Linux's TCP_CA_Loss.
 */
static uint32_t
reo_wnd(const struct tcp_conn *conn)
{
	uint64_t w;

	if (!(conn->rec_flags & TCP_RF_REORDER)) {
		if (conn->rec_flags & (TCP_RF_RECOVERY | TCP_RF_RTO))
			return 0;
		if (sacked_total(conn) >= RACK_DUPTHRESH * conn->snd_mss)
			return 0;
	}
	w = (uint64_t)(conn->reo_mult ? conn->reo_mult : 1) * conn->min_rtt / 4;
	return w < conn->srtt ? (uint32_t)w : conn->srtt;
}

/*
 * The lowest byte of range i still owed by the peer: not SACKed, not
 * sent again since (a newer range), not acknowledged; and how far it
 * goes (at most one MSS). False when range i holds no such byte.
 */
static bool
range_live(const struct tcp_xlog *x, const struct tcp_conn *conn, uint32_t i,
	   uint32_t *seq, uint32_t *len)
{
	const struct tcp_xmit *r = &x->r[i];
	uint32_t s = net_seq_gt(r->start, conn->snd_una) ? r->start :
							   conn->snd_una,
		 bound = r->end, skip, j;
	int k;

	while (net_seq_lt(s, r->end)) {
		if (in_blocks(conn->sacked, conn->nsacked, s, &skip)) {
			s = skip;
			continue;
		}
		k = newest_at(x, i + 1, s);
		if (k < 0)
			break;
		s = x->r[k].end;
	}
	if (!net_seq_lt(s, r->end))
		return false;
	for (j = 0; j < conn->nsacked; j++)
		if (net_seq_gt(conn->sacked[j].start, s) &&
		    net_seq_lt(conn->sacked[j].start, bound))
			bound = conn->sacked[j].start;
	for (j = i + 1; j < x->n; j++)
		if (net_seq_gt(x->r[j].start, s) &&
		    net_seq_lt(x->r[j].start, bound))
			bound = x->r[j].start;
	*seq = s;
	*len = bound - s < conn->snd_mss ? bound - s : conn->snd_mss;
	return true;
}

/*
 * The range sent in the burst that holds RACK.end_seq: the part below
 * it was sent before (RACK_sent_after() breaks the tie by sequence), so
 * it becomes a range of its own, room permitting.
 */
static void
split_at_rack(struct tcp_xlog *x, uint32_t i)
{
	struct tcp_xmit *r = &x->r[i];

	if (r->ts != x->rack_ts || !net_seq_gt(r->end, x->rack_end) ||
	    !net_seq_gt(x->rack_end, r->start) || x->n == TCP_XMIT_RANGES)
		return;
	memmove(&x->r[i + 2], &x->r[i + 1], (x->n - i - 1) * sizeof(*r));
	x->r[i + 1] = *r;
	x->r[i + 1].start = x->rack_end;
	r->end = x->rack_end;
	x->n++;
}

/*
 * RFC 8985 6.2 step 5, RACK_detect_loss(): mark lost every range sent
 * before RACK.xmit_ts (RACK_sent_after) that is older than RACK.rtt +
 * reo_wnd. Returns, for the others, how long until the oldest of them
 * is (the reordering timer of 6.3), in microseconds; 0: none. A range
 * ending at RACK.end_seq in the same burst holds the delivered segment
 * itself (SACKed, so not live) and what was sent before it.
 */
uint64_t
tcp_rack_detect(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now)
{
	struct tcp_xlog *x = tcp_rack_log(c, conn);
	uint32_t i, seq, len, reo;
	int64_t left, timeout = 0;

	if (x == NULL || !x->has_rack)
		return 0;
	reo = reo_wnd(conn);
	for (i = 0; i < x->n; i++) {
		struct tcp_xmit *r = &x->r[i];

		split_at_rack(x, i);
		if (sent_after(r->ts, r->end, x->rack_ts, x->rack_end))
			continue;
		if ((r->flags & TCP_XF_LOST) ||
		    !range_live(x, conn, i, &seq, &len))
			continue;
		left = (int64_t)tdiff(r->ts, (uint32_t)now) + x->rack_rtt + reo;
		if (left <= 0)
			r->flags |= TCP_XF_LOST;
		else if (left > timeout)
			timeout = left;
	}
	return (uint64_t)timeout;
}

/* The lowest byte RACK deemed lost and not sent again since. */
bool
tcp_rack_next_lost(const struct tcp_ctx *c, const struct tcp_conn *conn,
		   uint32_t *seq, uint32_t *len)
{
	const struct tcp_xlog *x = tcp_rack_log(c, conn);
	uint32_t i, s, l;
	bool found = false;

	if (x == NULL)
		return false;
	for (i = 0; i < x->n; i++) {
		if (!(x->r[i].flags & TCP_XF_LOST) ||
		    !range_live(x, conn, i, &s, &l))
			continue;
		if (!found || net_seq_lt(s, *seq)) {
			*seq = s;
			*len = l;
			found = true;
		}
	}
	return found;
}
