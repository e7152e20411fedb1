/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The send side under loss: congestion control (RFC 5681 slow start and
 * congestion avoidance, initial window per RFC 6928, NewReno or CUBIC per
 * RFC 9438), the SACK scoreboard and fast recovery (RFC 6675, NewReno's
 * partial ACKs per RFC 6582 when the peer has no SACK), and the tail loss
 * probe (RFC 8985 7). The retransmission timeout itself is in
 * tcp_timer.c; it calls tcp_rec_timeout() here.
 *
 * The scoreboard is the list of what the peer reports holding above
 * SND.UNA (at most TCP_SACKED_MAX disjoint blocks, sorted, merged):
 * everything between SND.UNA and the highest SACKed byte that is in no
 * block is a hole, retransmitted once per recovery (HighRxt). What RACK
 * (tcp_rack.c, RFC 8985 6) deems lost goes first, a lost retransmission
 * included. How much goes per ACK in recovery is PRR's (RFC 9937).
 */
#include <math.h>
#include <string.h>

#include "tcp_internal.h"

#define TCP_DUPTHRESH 3 /* RFC 5681 3.2, RFC 6675 */
#define CUBIC_BETA 0.7	/* RFC 9438 4.6 */
#define CUBIC_C 0.4	/* RFC 9438 5 */
/* RFC 9438 4.3 alpha_cubic, the Reno-friendly region's growth. */
#define CUBIC_ALPHA (3 * (1 - CUBIC_BETA) / (1 + CUBIC_BETA))

/* RFC 8985 7.2: TLP.max_ack_delay (WCDelAckT). */
#define TLP_MAX_ACK_DELAY 200000ull

/* The rec_flags that hold a probe back (tlp_held()). */
#define TLP_HELD_BY (TCP_RF_RECOVERY | TCP_RF_TLP_SENT | TCP_RF_RTO)

/* The least wait for the ACK through a SACKed range (Linux's 10 ms). */
#define RENEGE_WAIT_MIN 10000u

static uint32_t
flight(const struct tcp_conn *conn)
{
	return conn->snd_max - conn->snd_una;
}

/* RFC 6928 2: IW = min(10 * MSS, max(2 * MSS, 14600)). */
static uint32_t
initial_window(const struct tcp_conn *conn)
{
	uint32_t mss = conn->snd_mss, w = 2 * mss > 14600 ? 2 * mss : 14600;

	return 10 * mss < w ? 10 * mss : w;
}

/*
 * cwnd lowered to w: a loss, a timeout, an idle restart, recovery's
 * end. The one place that says so to cwnd's validation: the largest
 * flight that used cwnd (cwnd_used, cc_grow()) is measured again from
 * here, or cwnd would grow back toward a window the new one never used.
 */
static void
cc_lowered(struct tcp_conn *conn, uint32_t w)
{
	conn->cwnd = w;
	conn->cwnd_used = 0;
}

void
tcp_cc_init(struct tcp_conn *conn)
{
	conn->cwnd = initial_window(conn);
	conn->ssthresh = UINT32_MAX;
	conn->cwnd_used = 0;
}

/*
 * The fraction bits of CUBIC's W_est (cubic_west()): as many as the
 * largest W_est leaves in 32 bits. cwnd grows only while the flight,
 * bounded by the send buffer, uses it (cc_grow()): up to twice snd_buf
 * in slow start, a segment over it in congestion avoidance, and W_est
 * keeps near cwnd or under the curve that cwnd follows. A W_est past
 * that saturates.
 */
uint8_t
tcp_cc_west_shift(uint32_t snd_buf)
{
	uint64_t west_max = 2ull * snd_buf + UINT16_MAX;
	uint8_t shift = 0;

	while (west_max << (shift + 1) <= UINT32_MAX)
		shift++;
	return shift;
}

/*
 * RFC 5681 4.1: nothing was sent for longer than the RTO (nothing in
 * flight since the ACK at idle_start): the next data goes from the
 * restart window, min(IW, cwnd), not in a burst of the whole window
 * the ACK clock no longer paces. ssthresh is first raised to 3/4 of
 * the old cwnd if it was below (as Linux's tcp_cwnd_restart()), so
 * slow start climbs back most of the way; CUBIC's curve ends, or its
 * next growth would count the idle time and jump back past the old
 * window at once. Out of line: a connection that sends again within
 * the RTO never comes here.
 */
__attribute__((noinline)) void
tcp_cc_idle(struct tcp_conn *conn)
{
	uint32_t rw = initial_window(conn), three4 = conn->cwnd / 4 * 3;

	conn->cubic_plateau = 0;
	if (conn->cwnd <= rw)
		return;
	if (conn->ssthresh < three4)
		conn->ssthresh = three4;
	cc_lowered(conn, rw);
}

/* Bytes the scoreboard says the peer holds above SND.UNA. */
static uint32_t
sacked_bytes(const struct tcp_conn *conn)
{
	uint32_t i, n = 0;

	for (i = 0; i < conn->nsacked; i++)
		n += conn->sacked[i].end - conn->sacked[i].start;
	return n;
}

/* Bytes the scoreboard says the peer holds between SND.UNA and seq. */
static uint32_t
sacked_below(const struct tcp_conn *conn, uint32_t seq)
{
	uint32_t i, n = 0;

	for (i = 0; i < conn->nsacked; i++) {
		const struct net_sack_block *b = &conn->sacked[i];

		if (!net_seq_lt(b->start, seq))
			break;
		n += (net_seq_lt(b->end, seq) ? b->end : seq) - b->start;
	}
	return n;
}

/*
 * Bytes that may be sent beyond SND.UNA by the congestion window: what
 * the peer holds out of order does not count as in flight (RFC 6675's
 * pipe, without its lost-segment estimate).
 */
uint32_t
tcp_cc_window(const struct tcp_conn *conn)
{
	uint64_t w = (uint64_t)conn->cwnd + sacked_bytes(conn);

	return w > UINT32_MAX ? UINT32_MAX : (uint32_t)w;
}

/*
 * tcp_rec_send_window() with a scoreboard: the congestion window, and
 * on a go-back-N resend no further than the next range the peer holds.
 * The ranges are sorted and apart, and the resend has skipped the one
 * SND.NXT was in (tcp_rec_skip_sacked()): the first above SND.NXT is
 * the next. Out of line, so that the clean path's tcp_output() keeps
 * its code: inlined, this cost 12 instructions a connection in the
 * instruction count (tests/bench/bench_instr.sh), 35 in client-close.
 */
static __attribute__((noinline)) uint32_t
send_window_sacked(const struct tcp_conn *conn)
{
	uint32_t w = tcp_cc_window(conn), i, end;

	if (!net_seq_lt(conn->snd_nxt, conn->snd_max))
		return w;
	for (i = 0; i < conn->nsacked; i++) {
		if (net_seq_gt(conn->sacked[i].start, conn->snd_nxt)) {
			end = conn->sacked[i].start - conn->snd_una;
			return end < w ? end : w;
		}
	}
	return w;
}

/*
 * Bytes beyond SND.UNA that tcp_output() may send by this side's
 * limits (the peer's window is the other): the congestion window; and
 * during a go-back-N resend (SND.NXT below SND.MAX, after a timeout or
 * a path MTU message) no further than the next data the peer holds, so
 * that a segment begun in a hole stops at its end. The holes need not
 * be whole segments of the MSS: after a path MTU message they are
 * segments of the old one (a hole of 1448 goes again as 948 and 500 at
 * MSS 948, not as 948 and 948 with 448 bytes the peer has), and a
 * write shorter than the MSS made a short segment. Linux resends its
 * own segments, split to the MSS, and never runs past a SACKed one.
 */
uint32_t
tcp_rec_send_window(const struct tcp_conn *conn)
{
	if (conn->nsacked == 0)
		return conn->cwnd;
	return send_window_sacked(conn);
}

/* Drop what SND.UNA has passed from the scoreboard. */
static void
sack_trim(struct tcp_conn *conn)
{
	uint32_t i, j = 0;

	for (i = 0; i < conn->nsacked; i++) {
		struct net_sack_block b = conn->sacked[i];

		if (net_seq_leq(b.end, conn->snd_una))
			continue;
		if (net_seq_lt(b.start, conn->snd_una))
			b.start = conn->snd_una;
		conn->sacked[j++] = b;
	}
	conn->nsacked = (uint8_t)j;
}

/*
 * Insert [s, e) into the sorted, disjoint scoreboard, merging. Returns
 * false when the scoreboard was full and a block (the new one, or the
 * highest) was left out.
 */
static bool
sack_insert(struct tcp_conn *conn, uint32_t s, uint32_t e)
{
	struct net_sack_block *b = conn->sacked;
	uint32_t i = 0, j, n = conn->nsacked;
	bool full = false;

	while (i < n && net_seq_lt(b[i].end, s))
		i++;
	/* Merge every block that touches [s, e). */
	j = i;
	while (j < n && net_seq_leq(b[j].start, e)) {
		if (net_seq_lt(b[j].start, s))
			s = b[j].start;
		if (net_seq_gt(b[j].end, e))
			e = b[j].end;
		j++;
	}
	if (j == i && n == TCP_SACKED_MAX) {
		/* Full: keep the blocks nearest SND.UNA (the holes first). */
		if (i == n)
			return false;
		n--;
		j = j < n ? j : n;
		full = true;
	}
	memmove(&b[i + 1], &b[j], (n - j) * sizeof(*b));
	b[i].start = s;
	b[i].end = e;
	conn->nsacked = (uint8_t)(n - (j - i) + 1);
	return !full;
}

/*
 * RFC 2018 / RFC 6675 update: record the peer's SACK blocks that lie
 * within (SND.UNA, SND.MAX]; a D-SACK (RFC 2883: below SND.UNA, or
 * inside an earlier block) adds nothing. Returns whether the scoreboard
 * grew.
 */
static bool
sack_update(struct tcp_ctx *c, struct tcp_conn *conn, const struct net_seg *seg)
{
	uint32_t i, before = sacked_bytes(conn);

	if (!(conn->flags & TCP_CF_SACK) || !(seg->opts.has & NET_OPT_SACK))
		return false;
	/* The scoreboard overlays a window waiter's links. */
	tcp_wwait_leave(c, conn);
	for (i = 0; i < seg->opts.nsack; i++) {
		uint32_t s = seg->opts.sack[i].start, e = seg->opts.sack[i].end;

		if (!net_seq_lt(s, e) || net_seq_gt(e, conn->snd_max))
			continue;
		if (net_seq_lt(s, conn->snd_una))
			s = conn->snd_una;
		if (net_seq_lt(s, e) && !sack_insert(conn, s, e))
			c->cnt.sack_scoreboard_full++;
	}
	return sacked_bytes(conn) != before;
}

/*
 * RFC 2018 8: a receiver may discard data it has SACKed (renege), as
 * tcpterm's own does when its pool runs dry. SND.UNA at the start of a
 * range the scoreboard says the peer holds may say it did: a receiver
 * holding that range would acknowledge through it. It may also be
 * transient: a receiver (Windows) acknowledges the filled hole before
 * merging its out-of-order queue, and the ACK through the range
 * follows at once. The scoreboard stays until the retransmission timer
 * tells the two apart (sack_renege_wait(), tcp_rec_timeout()).
 */
static bool
sack_renege_suspected(const struct tcp_conn *conn)
{
	return conn->nsacked != 0 && conn->sacked[0].start == conn->snd_una;
}

/*
 * After an ACK that advanced SND.UNA (tcp_rec_ack()) onto a SACKed
 * range: the retransmission timer, as a timeout, within max(SRTT / 2,
 * 10 ms) if it was later (Linux's tcp_check_sack_reneging()). An ACK
 * moving SND.UNA on re-arms the timer as usual (ack_advance()), and its
 * expiry with SND.UNA still there forgets the scoreboard. Duplicate
 * ACKs do not come here: a peer repeating the same ACK cannot put the
 * timeout off for ever.
 */
static void
sack_renege_wait(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now)
{
	uint32_t wait = conn->srtt / 2;
	uint64_t at;

	if (!sack_renege_suspected(conn))
		return;
	if (wait < RENEGE_WAIT_MIN)
		wait = RENEGE_WAIT_MIN;
	at = now + wait;
	if (conn->t_rexmit != 0 && conn->t_rexmit <= at)
		return;
	conn->rec_flags &= ~(TCP_RF_TLP_ARMED | TCP_RF_RACK_ARMED);
	conn->t_rexmit = at;
	tcp_conn_arm(c, conn);
}

/* The next hole to retransmit, from HighRxt; false when none. */
static bool
next_hole(const struct tcp_conn *conn, uint32_t *seq, uint32_t *len)
{
	uint32_t s = net_seq_gt(conn->high_rxt, conn->snd_una) ?
		conn->high_rxt :
		conn->snd_una;
	uint32_t i, end;

	for (i = 0; i < conn->nsacked; i++) {
		if (net_seq_lt(s, conn->sacked[i].start)) {
			end = conn->sacked[i].start;
			*seq = s;
			*len = end - s < conn->snd_mss ? end - s :
							 conn->snd_mss;
			return true;
		}
		if (net_seq_lt(s, conn->sacked[i].end))
			s = conn->sacked[i].end;
	}
	return false;
}

/*
 * End of the data sent so far: SND.MAX, less our FIN when it went. Data
 * beyond it may be buffered (held back by the windows) but was never
 * sent: a retransmission must not reach it.
 */
static uint32_t
sent_end(const struct tcp_conn *conn)
{
	uint32_t data_end = conn->snd_una + conn->sb_len;

	return net_seq_lt(conn->snd_max, data_end) ? conn->snd_max : data_end;
}

/*
 * Every data segment sent, first or again: RFC 9937 6.3 counts it in
 * prr_out during recovery, RACK notes when it went (tcp_rack.c).
 */
void
tcp_rec_sent(struct tcp_ctx *c, struct tcp_conn *conn, uint32_t seq,
	     uint32_t len, bool rxt, uint64_t now)
{
	struct tcp_prr *prr;

	if ((conn->rec_flags & TCP_RF_RECOVERY) &&
	    (prr = tcp_prr(c, conn)) != NULL)
		prr->out += len;
	tcp_rack_sent(c, conn, seq, len, rxt, now);
}

/*
 * The retransmission timer, when it runs, from now again with the
 * scoreboard of now, unless RACK's reordering timer holds it (RFC 8985
 * 8: one timer at a time).
 */
static void
rexmit_restart(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now)
{
	if (!(conn->rec_flags & TCP_RF_RACK_ARMED) && conn->t_rexmit != 0)
		tcp_rexmit_arm(c, conn, now);
}

/*
 * Our FIN goes again with a resend that ends where the data does, when
 * it went and is not acknowledged: it follows the last byte (RFC 9293
 * 3.10.4), and was sent with it or after it. Left off, the peer would
 * acknowledge the data and wait a retransmission timeout for the FIN
 * (Linux's FIN rides its last skb, resent whole). The tail loss probe
 * sends it so too (tcp_tlp_send()).
 */
static uint8_t
rexmit_fin(const struct tcp_conn *conn, uint32_t end)
{
	if ((conn->flags & (TCP_CF_FIN_SENT | TCP_CF_FIN_ACKED)) !=
		    TCP_CF_FIN_SENT ||
	    end != conn->snd_una + conn->sb_len)
		return 0;
	return NET_TCP_FIN;
}

/*
 * Retransmit [seq, seq + len) of the data sent, not moving SND.NXT,
 * with our FIN if the range ends the data (rexmit_fin()). A range that
 * starts at the data's end is the FIN alone, when it went by itself (the
 * application closed once its data was out) and was lost: an ACK of all
 * the data leaves it the first segment not acknowledged, which RFC 6582
 * 3.2 step 5 and RFC 6675's NextSeg() resend (RACK logs no segment
 * without data and cannot find it lost, and no loss probe goes during a
 * recovery: left alone, it waited for the retransmission timeout).
 * high_rxt past what went, the FIN included when alone, sends each once
 * per recovery. Returns the bytes of data sent (0: none).
 */
static uint32_t
rexmit_range(struct tcp_ctx *c, struct tcp_conn *conn, uint32_t seq,
	     uint32_t len, uint64_t now)
{
	uint32_t end = sent_end(conn), upto;
	struct tcp_out *o;
	uint8_t fin;

	if (len == 0 || net_seq_gt(seq, end))
		return 0;
	if (len > end - seq)
		len = end - seq;
	fin = rexmit_fin(conn, seq + len);
	if (len == 0 && fin == 0)
		return 0;
	o = tcp_out_seg(c, conn, seq, NET_TCP_ACK | fin, now);
	if (o == NULL)
		return 0;
	o->len = len;
	tcp_ooo_fit(conn, o);
	c->cnt.retransmit++;
	conn->flags &= ~TCP_CF_RTT_TIMING;
	upto = len != 0 ? seq + len : seq + 1;
	if (net_seq_gt(upto, conn->high_rxt))
		conn->high_rxt = upto;
	/*
	 * A go-back-N resend under way (SND.NXT below SND.MAX, after a
	 * timeout or a path MTU message) would send the range again when it
	 * got there: with nothing but SACKed data before it, it goes on
	 * after the range. (A window probe's byte, SND.MAX above SND.NXT in
	 * a zero window, starts no recovery: is_dupack().)
	 */
	if (net_seq_lt(conn->snd_nxt, conn->snd_max) &&
	    tcp_rec_skip_sacked(conn, conn->snd_nxt) == seq)
		conn->snd_nxt = seq + len;
	tcp_rec_sent(c, conn, seq, len, true, now);
	/*
	 * SND.UNA's segment again (a fast retransmit, a loss RACK found, a
	 * partial ACK's resend): its RTO counts from now, as Linux's
	 * tcp_xmit_retransmit_queue() re-arms the timer at the head (RFC
	 * 6675 6 allows it at any retransmission in recovery). Left to the
	 * flight's timer, it would fire before the resend could be
	 * acknowledged, unless some ACK or a disarmed reordering timer
	 * happened to restart it.
	 */
	if (seq == conn->snd_una)
		rexmit_restart(c, conn, now);
	return len;
}

/*
 * RFC 6675 5 NextSeg(), rule 1 before rule 3: what RACK deemed lost
 * (RFC 8985 6.2, a lost retransmission included), then the next hole
 * below the highest SACKed byte not yet retransmitted. Returns the bytes
 * sent (0: nothing to send, or no room).
 */
static uint32_t
rexmit_next(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now)
{
	uint32_t seq, len, n;

	if (tcp_rack_next_lost(c, conn, &seq, &len)) {
		n = rexmit_range(c, conn, seq, len, now);
		c->cnt.rack_lost += n != 0;
		return n;
	}
	if (next_hole(conn, &seq, &len))
		return rexmit_range(c, conn, seq, len, now);
	return 0;
}

/*
 * RFC 6675 4 IsLost(): whether a hole with above bytes SACKed above it
 * is lost. tcpterm takes DupThresh SMSS of SACKed bytes (RFC 6675 says
 * more than (DupThresh - 1) * SMSS, or DupThresh discontiguous SACKed
 * segments).
 */
static inline bool
is_lost(uint32_t above, uint32_t mss)
{
	return above >= TCP_DUPTHRESH * mss;
}

/*
 * RFC 6675 4 SetPipe(), the bytes in flight: sent, less what the peer
 * holds, less the holes not retransmitted yet (above HighRxt) that
 * IsLost() (is_lost()) takes for lost.
 */
static uint32_t
pipe_bytes(const struct tcp_conn *conn)
{
	uint32_t p = flight(conn), above = sacked_bytes(conn), s, i, h;

	p -= above < p ? above : p;
	s = net_seq_gt(conn->high_rxt, conn->snd_una) ? conn->high_rxt :
							conn->snd_una;
	for (i = 0; i < conn->nsacked; i++) {
		const struct net_sack_block *b = &conn->sacked[i];

		if (net_seq_lt(s, b->start) && is_lost(above, conn->snd_mss)) {
			h = b->start - s;
			p -= h < p ? h : p;
		}
		if (net_seq_lt(s, b->end))
			s = b->end;
		above -= b->end - b->start;
	}
	return p;
}

/* What an ACK (or the reordering timer) brings to PRR (RFC 9937 6). */
enum prr_event {
	PRR_ENTER,    /* a recovery begins: RecoverFS, the fast retransmit */
	PRR_ACK,      /* an ACK in recovery: the reduction bound PRR-CRB */
	PRR_SAFE_ACK, /* SafeACK: PRR-SSRB, one SMSS more */
};

/* Scoreboard and SND.UNA before an ACK, for RACK and PRR. */
struct rec_before {
	struct net_sack_block b[TCP_SACKED_MAX];
	uint32_t n;
	uint32_t sacked;
	uint32_t una;
};

/* Only the n blocks in use are copied: nothing reads past them. */
static void
rec_save(const struct tcp_conn *conn, struct rec_before *bf, uint32_t una)
{
	uint32_t i;

	bf->n = conn->nsacked;
	for (i = 0; i < bf->n; i++)
		bf->b[i] = conn->sacked[i];
	bf->sacked = sacked_bytes(conn);
	bf->una = una;
}

/*
 * RFC 9937 6.2 DeliveredData: what SND.UNA moved by plus the change in
 * what the scoreboard holds; negative when the scoreboard lost a block
 * (left out when full, prr_net()).
 */
static int64_t
delivered(const struct tcp_conn *conn, const struct rec_before *bf,
	  uint32_t acked)
{
	return (int64_t)acked + sacked_bytes(conn) - bf->sacked;
}

/* Bytes of [lo, hi) below una or in the n sorted, disjoint blocks b. */
static uint32_t
covered(uint32_t lo, uint32_t hi, uint32_t una, const struct net_sack_block *b,
	uint32_t n)
{
	uint32_t i, s, e, sum = 0;

	if (net_seq_gt(una, lo))
		sum = (net_seq_lt(una, hi) ? una : hi) - lo;
	for (i = 0; i < n; i++) {
		s = net_seq_gt(b[i].start, lo) ? b[i].start : lo;
		s = net_seq_gt(una, s) ? una : s;
		e = net_seq_lt(b[i].end, hi) ? b[i].end : hi;
		if (net_seq_lt(s, e))
			sum += e - s;
	}
	return sum;
}

/* Does [s, e) meet one of the n blocks b? */
static bool
meets(uint32_t s, uint32_t e, const struct net_sack_block *b, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		if (net_seq_lt(b[i].start, e) && net_seq_lt(s, b[i].end))
			return true;
	return false;
}

/*
 * Widen the span of left-out blocks by those this ACK took from the
 * scoreboard (full, it keeps the blocks nearest SND.UNA, so a new block
 * below the highest pushes that one out), keeping in gone_seen the most
 * of the span ever known delivered.
 */
static void
prr_gone(const struct tcp_conn *conn, struct tcp_prr *prr,
	 const struct rec_before *bf)
{
	bool empty = prr->gone_lo == prr->gone_hi;
	uint32_t i, s, lo = prr->gone_lo, hi = prr->gone_hi, was;

	for (i = 0; i < bf->n; i++) {
		s = net_seq_gt(bf->b[i].start, conn->snd_una) ? bf->b[i].start :
								conn->snd_una;
		if (!net_seq_lt(s, bf->b[i].end) ||
		    meets(s, bf->b[i].end, conn->sacked, conn->nsacked))
			continue;
		if (empty || net_seq_lt(s, lo))
			lo = s;
		if (empty || net_seq_gt(bf->b[i].end, hi))
			hi = bf->b[i].end;
		empty = false;
	}
	if (lo == prr->gone_lo && hi == prr->gone_hi)
		return;
	was = covered(prr->gone_lo, prr->gone_hi, bf->una, bf->b, bf->n);
	if (prr->gone_seen < was)
		prr->gone_seen = was;
	prr->gone_seen += covered(lo, hi, bf->una, bf->b, bf->n) - was;
	prr->gone_lo = lo;
	prr->gone_hi = hi;
}

/*
 * DeliveredData for PRR, net of what the scoreboard forgot: the bytes of
 * a block it left out were delivered once, and count again neither when
 * SACKed again nor when SND.UNA passes them. Within the span of left-out
 * blocks only what goes beyond the most ever known delivered there
 * counts; outside it, DeliveredData as it is. Otherwise a peer could
 * push a large block out with a small new one below it, merge the small
 * one, SACK the large block again, and have it delivered once more on
 * every round.
 */
static uint32_t
prr_net(const struct tcp_conn *conn, struct tcp_prr *prr,
	const struct rec_before *bf, uint32_t acked)
{
	int64_t d = delivered(conn, bf, acked);
	uint32_t now_in, was_in;

	prr_gone(conn, prr, bf);
	if (prr->gone_lo != prr->gone_hi) {
		was_in = covered(prr->gone_lo, prr->gone_hi, bf->una, bf->b,
				 bf->n);
		now_in = covered(prr->gone_lo, prr->gone_hi, conn->snd_una,
				 conn->sacked, conn->nsacked);
		d -= (int64_t)now_in - was_in;
		if (now_in > prr->gone_seen) {
			d += now_in - prr->gone_seen;
			prr->gone_seen = now_in;
		}
	}
	if (d <= 0)
		return 0;
	return d > UINT32_MAX ? UINT32_MAX : (uint32_t)d;
}

/*
 * RFC 9937 6.1: RecoverFS, what may be delivered during the recovery
 * begun by an ACK that delivered what it did: the flight, less what the
 * peer held before that ACK (it will not be delivered again), so the
 * flight not SACKed, plus the ACK's own delivery, which the per-ACK step
 * counts in prr_delivered. RFC 6937 took the whole flight, SACKed bytes
 * included: the reduction then fell short of ssthresh.
 */
static void
prr_begin(const struct tcp_conn *conn, struct tcp_prr *prr, int64_t delivered)
{
	int64_t fs = (int64_t)flight(conn) - sacked_bytes(conn) + delivered;

	*prr = (struct tcp_prr){
		.recover_fs = fs < 0	? 0 :
			fs > UINT32_MAX ? UINT32_MAX :
					  (uint32_t)fs,
	};
}

/*
 * RFC 9937 6.2: the bytes this ACK lets out in recovery. Above ssthresh,
 * in proportion to what was delivered (ssthresh / RecoverFS of it); at
 * or below, catching up with what was delivered (PRR-CRB), one SMSS more
 * on a SafeACK (PRR-SSRB), never past ssthresh. While nothing has gone
 * in this recovery at least one SMSS goes: the fast retransmit.
 */
static uint32_t
prr_sndcnt(const struct tcp_conn *conn, struct tcp_prr *prr, uint32_t delivered,
	   enum prr_event ev)
{
	uint64_t pipe = pipe_bytes(conn), ss = conn->ssthresh, fs;
	int64_t cnt, limit;

	prr->delivered += delivered;
	if (pipe > ss) {
		fs = prr->recover_fs ? prr->recover_fs : 1;
		cnt = (int64_t)(((uint64_t)prr->delivered * ss + fs - 1) / fs) -
			prr->out;
	} else {
		limit = (int64_t)prr->delivered - prr->out;
		if (limit < (int64_t)delivered)
			limit = delivered;
		if (ev == PRR_SAFE_ACK)
			limit += conn->snd_mss;
		cnt = (int64_t)(ss - pipe) < limit ? (int64_t)(ss - pipe) :
						     limit;
	}
	if (cnt <= 0 && prr->out == 0)
		cnt = conn->snd_mss;
	return cnt > 0 ? (uint32_t)cnt : 0;
}

/*
 * The first segment of a recovery when neither RACK nor the scoreboard
 * names one: SND.UNA's (RFC 5681 3.2 step 2), up to the first SACKed
 * byte.
 */
static uint32_t
rexmit_first(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now)
{
	uint32_t len = conn->snd_mss;

	if (conn->nsacked > 0 &&
	    net_seq_lt(conn->sacked[0].start, conn->snd_una + len))
		len = conn->sacked[0].start - conn->snd_una;
	return rexmit_range(c, conn, conn->snd_una, len, now);
}

/*
 * RFC 9937 6.2: send what PRR allows for this ACK, retransmissions
 * first (whole segments while any allowance is left, as with sndcnt in
 * segments), and leave cwnd = pipe + what remains of it for new data,
 * rounded up to whole segments, for tcp_output(). An ACK that delivers
 * nothing changes nothing (not even a duplicate ACK once pipe is below
 * ssthresh, where RFC 6937 let one SMSS out). The start of a recovery
 * sends at least the fast retransmit (RFC 6675 5 step 4), delivered or
 * not: RACK's reordering timer starts one without an ACK. Without a
 * send buffer only our FIN is in flight: no data to send, and none will
 * come (the FIN closed the stream), so no PRR; the start of a recovery
 * still sends its fast retransmit, the FIN (RFC 6675 5 step 4.3: the
 * segment at HighACK + 1; rexmit_first()), as without SACK (RFC 5681
 * 3.2 step 2). Left to the retransmission timeout, a lost FIN waited
 * for it though three duplicate ACKs had cut the window. Later in the
 * recovery the FIN goes again from the partial ACK's resend
 * (rexmit_range()) or the timeout.
 */
static void
prr_send(struct tcp_ctx *c, struct tcp_conn *conn, const struct rec_before *bf,
	 uint32_t acked, enum prr_event ev, uint64_t now)
{
	struct tcp_prr *prr = tcp_prr(c, conn);
	uint32_t cnt, sent = 0, n, mss, pipe, got;

	if (prr == NULL) {
		if (ev == PRR_ENTER)
			rexmit_first(c, conn, now);
		return;
	}
	if (ev == PRR_ENTER)
		prr_begin(conn, prr, delivered(conn, bf, acked));
	got = prr_net(conn, prr, bf, acked);
	if (ev != PRR_ENTER && got == 0)
		return;
	cnt = prr_sndcnt(conn, prr, got, ev);
	while (sent < cnt && (n = rexmit_next(c, conn, now)) != 0)
		sent += n;
	if (ev == PRR_ENTER && sent == 0)
		sent = rexmit_first(c, conn, now);
	cnt = cnt > sent ? cnt - sent : 0;
	mss = conn->snd_mss;
	/*
	 * tcp_cc_window() adds what the peer holds back in. Below SND.NXT
	 * only: during a timeout's go-back-N SND.NXT lies below ranges the
	 * peer holds, and counting those made the pipe wrap, the window
	 * then the peer's whole window.
	 */
	pipe = conn->snd_nxt - conn->snd_una -
		sacked_below(conn, conn->snd_nxt);
	conn->cwnd = pipe + (cnt + mss - 1) / mss * mss;
}

/*
 * RFC 9438 4.7, fast convergence (a SHOULD, as Linux's fast_convergence):
 * a congestion event below the last W_max says the flow's share
 * shrank, and W_max is set lower still, cwnd * (1 + beta_cubic) / 2, so
 * that the curve's plateau leaves room to a newer flow; otherwise W_max
 * is cwnd. The curve starts again at the next growth (cubic_grow()).
 */
static void
cubic_congestion(struct tcp_conn *conn)
{
	if (conn->cwnd < conn->cubic_wmax)
		conn->cubic_wmax =
			(uint32_t)(conn->cwnd * (1 + CUBIC_BETA) / 2);
	else
		conn->cubic_wmax = conn->cwnd;
	conn->cubic_plateau = 0;
}

/*
 * RFC 9438 4.8: after a timeout, the first congestion avoidance stage
 * has K = 0 and W_max = cwnd_epoch (cubic_stage() with no W_max): the
 * curve from before the timeout is forgotten, as Linux's bictcp_reset()
 * at TCP_CA_Loss does. Every timeout, also one that set ssthresh no
 * lower (a second one, or one in fast recovery). With NewReno too: it
 * clears CUBIC's fields only, which NewReno does not read.
 */
static void
cubic_timeout(struct tcp_conn *conn)
{
	conn->cubic_wmax = 0;
	conn->cubic_plateau = 0;
}

/*
 * RFC 9438 4.6 / RFC 5681 (4): the window after a loss, NewReno's from
 * the flight when the loss was found.
 */
static uint32_t
cc_reduced(const struct tcp_ctx *c, struct tcp_conn *conn, uint32_t inflight)
{
	uint32_t mss = conn->snd_mss, w;

	if (c->p.congestion == TCP_CC_CUBIC) {
		cubic_congestion(conn);
		w = (uint32_t)(conn->cwnd * CUBIC_BETA);
	} else {
		w = inflight / 2;
		conn->avoid_acked = 0;
	}
	return w > 2 * mss ? w : 2 * mss;
}

/*
 * RFC 6582 3.2 step 4 for a peer without SACK: each duplicate ACK in
 * fast recovery says a segment has left the network and adds an SMSS
 * to cwnd. A receiver forging them drew a new segment with every one,
 * as far as the send buffer and its window went. RFC 5681 3.2 (its note
 * on [SCWA99]) lets the sender count no more of them than segments were
 * outstanding; a recovery with several losses also draws genuine ones
 * from segments sent during it, so they are counted by rounds, a round
 * running from one resend of a hole to the next (the fast retransmit,
 * then each partial ACK's, step 5).
 *
 * With segments arriving in the order sent, those sent before a round's
 * resend arrive before it, each drawing at most one duplicate ACK, of
 * the round's SND.UNA; those sent after it arrive after it, in the next
 * round (or, the resend lost, before the timeout, uncounted). The hole
 * at SND.UNA acknowledges when it arrives, rather than duplicates. So
 * the rule: a round's duplicate ACKs inflate cwnd by at most the bytes
 * of [counted, round_end), round_end being SND.MAX at the round's
 * resend, and counted the later of the previous round's round_end and
 * the end of the hole; in the first round SND.UNA + 4 SMSS, the hole and
 * the three duplicate ACKs that began the recovery (step 3's 3 SMSS).
 * Without a record per segment the count is in bytes (RFC 5681's
 * "analogous byte count"): an SMSS per duplicate ACK, or what is left.
 * Beyond it a duplicate ACK inflates nothing (dupack_excess): a flood
 * draws no more new data in a round than the round before sent, and a
 * round ends only at an ACK past the resent segment. Genuine duplicate
 * ACKs that come reordered past their round are not counted either.
 */
static void
newreno_round(struct tcp_conn *conn, uint32_t counted)
{
	conn->dup.counted = counted;
	conn->dup.round_end = conn->snd_max;
}

/* Step 3: cwnd = ssthresh + 3 SMSS, the three counted. */
static void
newreno_enter(struct tcp_conn *conn)
{
	uint32_t mss = conn->snd_mss;

	conn->cwnd += TCP_DUPTHRESH * mss;
	newreno_round(conn, conn->snd_una + (1 + TCP_DUPTHRESH) * mss);
}

/* Step 5's resend of the next hole, at SND.UNA, begins a round. */
static void
newreno_next_round(struct tcp_conn *conn)
{
	uint32_t from = conn->snd_una + conn->snd_mss; /* the hole's end */

	if (net_seq_gt(conn->dup.round_end, from))
		from = conn->dup.round_end;
	newreno_round(conn, from);
}

/* Step 4, within the round's count. */
static void
newreno_inflate(struct tcp_ctx *c, struct tcp_conn *conn)
{
	struct tcp_dupack_bound *d = &conn->dup;
	uint32_t n;

	if (!net_seq_lt(d->counted, d->round_end)) {
		c->cnt.dupack_excess++;
		return;
	}
	n = d->round_end - d->counted;
	if (n > conn->snd_mss)
		n = conn->snd_mss;
	d->counted += n;
	conn->cwnd += n;
}

/*
 * RFC 6675 5 / RFC 6582 3.2: enter fast recovery at the third duplicate
 * ACK (or when the peer reports DupThresh segments beyond a hole, or
 * RACK finds a loss): the window is cut. The caller starts PRR
 * (prr_send(), PRR_ENTER), which sends the fast retransmit.
 */
static void
recovery_enter(struct tcp_ctx *c, struct tcp_conn *conn)
{
	c->cnt.fast_recovery++;
	conn->rec_flags |= TCP_RF_RECOVERY;
	conn->rec_flags &= ~TCP_RF_PMTU;
	conn->recover = conn->snd_max;
	/* RFC 6582 4.1: a timeout already cut the window for this loss. */
	if (!(conn->rec_flags & TCP_RF_RTO))
		conn->ssthresh = cc_reduced(c, conn, flight(conn));
	conn->rec_flags &= ~TCP_RF_RTO;
	cc_lowered(conn, conn->ssthresh);
	if (!(conn->flags & TCP_CF_SACK))
		newreno_enter(conn);
	/*
	 * RFC 6675 5 step 2: HighRxt = SND.UNA; during a go-back-N resend
	 * (SND.NXT below SND.MAX) all it has sent again below SND.NXT is
	 * retransmitted already, and the holes go on from there.
	 */
	conn->high_rxt = net_seq_lt(conn->snd_nxt, conn->snd_max) ?
		conn->snd_nxt :
		conn->snd_una;
}

/*
 * RFC 5681 3.1, NewReno's congestion avoidance: the bytes acknowledged
 * counted, one SMSS more once they reach cwnd ("MUST NOT be increased by
 * more than SMSS bytes per RTT", however the peer divides its ACKs).
 * Out of line: CUBIC, the default, keeps cc_grow() small.
 */
static __attribute__((noinline)) void
newreno_grow(struct tcp_conn *conn, uint32_t acked)
{
	conn->avoid_acked += acked;
	if (conn->avoid_acked >= conn->cwnd) {
		conn->avoid_acked -= conn->cwnd;
		conn->cwnd += conn->snd_mss;
	}
}

/*
 * RFC 9438 4.2 and 5.8: t counts no time the window was not used. An
 * ACK of a flight short of cwnd (cc_avoid()) moves the curve on to where
 * W_cubic(t) = cwnd, if it ran ahead of cwnd meanwhile (never back:
 * under the curve, in the Reno-friendly region, t runs on). Otherwise
 * the first growth after such a time counts it and takes cwnd up by
 * half at once (the 1.5 cwnd cap). A time with nothing in flight is
 * skipped where the data goes again (tcp_cc_pause()).
 */
static __attribute__((noinline)) void
cubic_hold(struct tcp_conn *conn, uint64_t now)
{
	double mss = conn->snd_mss, wmax = conn->cubic_wmax / mss, tk;
	uint32_t ms = tcp_ms(now) | 1, plateau;

	/* t - K where W_cubic(t) = cwnd. */
	tk = cbrt((conn->cwnd / mss - wmax) / CUBIC_C);
	plateau = (ms - (uint32_t)(int32_t)(tk * 1000)) | 1;
	if ((int32_t)(plateau - conn->cubic_plateau) > 0)
		conn->cubic_plateau = plateau;
}

/*
 * Data goes with nothing in flight while CUBIC's curve runs: t skips
 * the time the flight was empty (RFC 9438 5.8), since the ACK that
 * emptied it or the probe that kept the clock (idle_start). As Linux's
 * cubictcp_cwnd_event(), the curve moves on by that time. That time
 * began within the stage (an ACK of it emptied the flight), and a
 * longer one than the RTO restarted cwnd and ended the stage first
 * (tcp_cc_idle()). Out of line: called only while the curve runs.
 */
__attribute__((noinline)) void
tcp_cc_pause(struct tcp_conn *conn, uint64_t now)
{
	uint32_t idle = tcp_ms(now) - tcp_ms(conn->idle_start);

	conn->cubic_plateau = (conn->cubic_plateau + idle) | 1;
}

/*
 * RFC 9438 4.3: W_est, bytes. An ACK adds alpha_cubic * acked * SMSS /
 * cwnd bytes to it, under one byte for an ACK of one SMSS of 1448 at a
 * window over 766 segments, so it is kept in 1/2^cubic_shift bytes, or
 * whole bytes would drop that growth at each ACK (tcp_cc_west_shift()).
 */
static double
cubic_west(const struct tcp_ctx *c, const struct tcp_conn *conn)
{
	return ldexp(conn->cubic_west, -c->cubic_shift);
}

static void
cubic_west_set(const struct tcp_ctx *c, struct tcp_conn *conn, double bytes)
{
	double v = ldexp(bytes, c->cubic_shift);

	conn->cubic_west = v < UINT32_MAX ? (uint32_t)v : UINT32_MAX;
}

/*
 * RFC 9438 4.2: a congestion avoidance stage begins, at cwnd_epoch, the
 * cwnd now. K = cbrt((W_max - cwnd_epoch) / C), the time the curve
 * takes from cwnd_epoch up to W_max: W_max * (1 - beta_cubic) only when
 * cwnd_epoch is beta_cubic * W_max, not after fast convergence (4.7),
 * an idle restart, or ssthresh's floor of 2 segments. With cwnd_epoch
 * at or over W_max (no congestion event yet, a timeout, 4.8, or a slow
 * start that went past W_max) W_max is cwnd_epoch and K = 0, the curve
 * convex from its plateau at once, as RFC 9438 4.8 and 4.10 set it and
 * Linux's bictcp_update() (eq. 2 would give K < 0). Only t_epoch + K is
 * kept, the time the curve reaches W_max, cubic_plateau. W_est starts
 * at cwnd_epoch (4.3).
 */
static void
cubic_stage(const struct tcp_ctx *c, struct tcp_conn *conn, uint32_t ms)
{
	double k = 0;

	if (conn->cubic_wmax > conn->cwnd)
		k = cbrt((double)(conn->cubic_wmax - conn->cwnd) /
			 conn->snd_mss / CUBIC_C);
	else
		conn->cubic_wmax = conn->cwnd;
	conn->cubic_plateau = (ms + (uint32_t)(k * 1000)) | 1;
	cubic_west_set(c, conn, conn->cwnd);
}

/* RFC 9438 4.2 eq. 1: W_cubic, bytes, tk = t - K seconds. */
static double
cubic_w(const struct tcp_conn *conn, double tk)
{
	return CUBIC_C * tk * tk * tk * conn->snd_mss + conn->cubic_wmax;
}

/*
 * RFC 9438 4.2-4.5: an ACK of acked bytes in congestion avoidance. W_est
 * grows by alpha_cubic segments a window's worth of ACKs (4.3). In the
 * Reno-friendly region, W_cubic(t) under W_est, cwnd is W_est (4.3's
 * SHOULD; Linux's bictcp_update() moves cwnd toward it by (W_est -
 * cwnd) / cwnd an ACK, about alpha_cubic segments behind). Otherwise
 * cwnd moves toward target, W_cubic(t + RTT) held within [cwnd, 1.5
 * cwnd], by (target - cwnd) / cwnd an ACK (4.2, 4.4, 4.5). That step
 * drops its fraction of a byte, unlike W_est's (cubic_west()): target
 * is W_cubic(t), not a sum of steps, so what is dropped is not lost
 * growth but a lag behind it, of under cwnd / SMSS bytes (a byte an
 * ACK; 373 bytes at 1000 segments and an RTT of 5 ms, a second after a
 * loss, 0.2% of that second's growth).
 */
static void
cubic_grow(const struct tcp_ctx *c, struct tcp_conn *conn, uint32_t acked,
	   uint64_t now)
{
	double w = conn->cwnd, tk, target;
	uint32_t ms = tcp_ms(now) | 1, west;

	if (conn->cubic_plateau == 0)
		cubic_stage(c, conn, ms);
	tk = (int32_t)(ms - conn->cubic_plateau) / 1000.0;
	cubic_west_set(c, conn,
		       cubic_west(c, conn) +
			       CUBIC_ALPHA * acked * conn->snd_mss / w);
	west = (uint32_t)cubic_west(c, conn);
	if (cubic_w(conn, tk) < west) {
		if (west > conn->cwnd)
			conn->cwnd = west;
		return;
	}
	target = cubic_w(conn, tk + conn->srtt / 1e6);
	if (target > 1.5 * w)
		target = 1.5 * w;
	if (target > w)
		w += (target - w) / w * acked;
	if (w > 4e9)
		w = 4e9;
	conn->cwnd = (uint32_t)w;
}

/*
 * Congestion avoidance (RFC 5681 3.1), CUBIC's or NewReno's, up to one
 * segment over the largest flight since cwnd was last lowered (cc_grow()).
 * While the flight keeps under that, CUBIC's t does not run on (RFC 9438
 * 5.8, cubic_hold()). Out of line: slow start, in line, is the clean
 * path's.
 */
static __attribute__((noinline)) void
cc_avoid(const struct tcp_ctx *c, struct tcp_conn *conn, uint32_t acked,
	 uint64_t now)
{
	if (conn->cwnd >= conn->cwnd_used + conn->snd_mss) {
		if (conn->cubic_plateau != 0)
			cubic_hold(conn, now);
		return;
	}
	if (c->p.congestion == TCP_CC_CUBIC) {
		cubic_grow(c, conn, acked, now);
		return;
	}
	newreno_grow(conn, acked);
}

/*
 * RFC 5681 3.1: slow start, then congestion avoidance; cwnd grows only
 * while the flight uses it. RFC 9438 5.8: CUBIC does not raise cwnd
 * while the application (or the peer's window) sends less than it
 * allows, and 4.6: a sender that sets ssthresh from cwnd MUST limit
 * cwnd's growth then, or a loss after a long app-limited time would set
 * ssthresh from a window never used. NewReno too, although RFC 5681
 * does not ask it: a window it grew unused is no more validated (RFC
 * 7661; Linux's tcp_is_cwnd_limited() holds both). The bound is the
 * largest flight since cwnd was last lowered (cwnd_used): in slow start
 * cwnd grows up to twice it, as Linux, so that a flight that filled cwnd
 * doubles it; in congestion avoidance up to one segment more.
 */
static inline void
cc_grow(const struct tcp_ctx *c, struct tcp_conn *conn, uint32_t acked,
	uint64_t now)
{
	uint32_t mss = conn->snd_mss;

	if (conn->cwnd >= conn->ssthresh) {
		cc_avoid(c, conn, acked, now);
		return;
	}
	if (conn->cwnd / 2 < conn->cwnd_used)
		conn->cwnd += acked < 2 * mss ? acked : 2 * mss;
}

/*
 * RFC 8985 6.3: arm the reordering timer for timeout microseconds. It
 * takes the place of the probe and retransmission timers (RFC 8985 8:
 * one timer at a time), which are armed again when it has fired.
 */
static void
rack_arm(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t timeout,
	 uint64_t now)
{
	if (timeout == 0) {
		if (conn->rec_flags & TCP_RF_RACK_ARMED)
			tcp_rexmit_arm(c, conn, now);
		return;
	}
	conn->rec_flags &= ~TCP_RF_TLP_ARMED;
	conn->rec_flags |= TCP_RF_RACK_ARMED;
	conn->t_rexmit = now + timeout;
	tcp_conn_arm(c, conn);
}

/*
 * RFC 8985 6.2 step 5 after an ACK or the reordering timer: find what
 * is lost; enter recovery for it (RFC 8985 6.2: RACK starts fast
 * recovery, the first lost segment goes at once) and arm the timer for
 * what is not old enough yet. Returns whether recovery was entered.
 */
static bool
rack_detect_log(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now)
{
	const struct tcp_xlog *x = tcp_rack_log(c, conn);
	uint32_t seq, len;
	uint64_t timeout = 0;
	bool entered = false;

	/*
	 * RACK off, or nothing in its log (all acknowledged): nothing can
	 * be lost and no reordering timer is due, so the log need not be
	 * walked.
	 */
	if (x != NULL && x->n > 0) {
		timeout = tcp_rack_detect(c, conn, now);
		if (!(conn->rec_flags & TCP_RF_RECOVERY) &&
		    tcp_rack_next_lost(c, conn, &seq, &len)) {
			recovery_enter(c, conn);
			entered = true;
		}
	}
	if (conn->snd_una != conn->snd_max)
		rack_arm(c, conn, timeout, now);
	return entered;
}

/*
 * rack_detect_log(), skipped when it would do nothing: no RACK log, or
 * an empty one (every ACK of a connection without SACK, and a clean
 * path's last ACK), and no reordering timer to turn back into the
 * retransmission timer. Inline: that is every ACK of a clean path.
 */
static inline bool
rack_detect(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now)
{
	const struct tcp_xlog *x;

	if (!(conn->rec_flags & TCP_RF_RACK_ARMED) ||
	    conn->snd_una == conn->snd_max) {
		x = tcp_rack_log(c, conn);
		if (x == NULL || x->n == 0)
			return false;
	}
	return rack_detect_log(c, conn, now);
}

/*
 * RFC 6582 3.2 step 5 for a peer without SACK: a partial ACK deflates
 * the window by what it acked, adding back one SMSS only if it acked at
 * least one, and resends the first unacknowledged segment. Not when the
 * ACK ends inside the segment resent last (before HighRxt, which
 * tcp_rec_ack() has raised to SND.UNA): that one is on its way, and a
 * peer acknowledging a byte at a time would draw it again in full with
 * every ACK (the SACK path below has the same test). The resend begins
 * a round of duplicate ACKs (newreno_round()).
 */
static void
newreno_partial(struct tcp_ctx *c, struct tcp_conn *conn, uint32_t acked,
		uint64_t now)
{
	uint32_t w = conn->cwnd > acked ? conn->cwnd - acked : 0;

	if (acked >= conn->snd_mss)
		w += conn->snd_mss;
	conn->cwnd = w > conn->snd_mss ? w : conn->snd_mss;
	if (net_seq_gt(conn->high_rxt, conn->snd_una))
		return;
	newreno_next_round(conn);
	rexmit_range(c, conn, conn->snd_una, conn->snd_mss, now);
}

/* RFC 9937 6.4 / RFC 6582 3.2 step 5: a full ACK ends recovery. */
static void
recovery_exit(const struct tcp_ctx *c, struct tcp_conn *conn)
{
	conn->rec_flags &= ~TCP_RF_RECOVERY;
	/* The flight during recovery counted what the peer held. */
	cc_lowered(conn, conn->ssthresh);
	tcp_rack_recovery_done(c, conn);
}

/* tcp_rec_ack() on a clean path, outside recovery. */
static void
rec_ack_clean(struct tcp_ctx *c, struct tcp_conn *conn,
	      const struct net_seg *seg, uint32_t acked, uint64_t now)
{
	if (tcp_rack_log(c, conn) != NULL)
		tcp_rack_ack(c, conn, conn->sacked, 0, conn->snd_una - acked,
			     seg, now);
	conn->dupacks = 0;
	cc_grow(c, conn, acked, now);
	if (rack_detect(c, conn, now)) {
		struct rec_before bf = { .una = conn->snd_una - acked };

		prr_send(c, conn, &bf, acked, PRR_ENTER, now);
	}
}

/*
 * RFC 6675 4 IsLost() (is_lost()) over the n blocks b: the start of the
 * highest block with enough SACKed at or above it, below which every
 * hole is lost; una when none.
 */
static uint32_t
lost_edge(const struct net_sack_block *b, uint32_t n, uint32_t una,
	  uint32_t mss)
{
	uint32_t above = 0;

	while (n-- > 0) {
		above += b[n].end - b[n].start;
		if (is_lost(above, mss))
			return b[n].start;
	}
	return una;
}

/* Bytes of [s, e) the scoreboard says the peer holds. */
static uint32_t
sacked_in(const struct tcp_conn *conn, uint32_t s, uint32_t e)
{
	uint32_t i, n = 0, a, b;

	for (i = 0; i < conn->nsacked; i++) {
		a = conn->sacked[i].start;
		b = conn->sacked[i].end;
		if (net_seq_lt(a, s))
			a = s;
		if (net_seq_gt(b, e))
			b = e;
		if (net_seq_lt(a, b))
			n += b - a;
	}
	return n;
}

/*
 * Live bytes RACK's log holds deemed lost (RFC 8985 6.2) that the
 * scoreboard did not deem lost before the ACK (at or above its edge
 * then, edge): a retransmission, or data beyond what IsLost() had given
 * up already. Live: above SND.UNA and not SACKed; RACK marks a range
 * whole, SACKed bytes in it included.
 */
static uint32_t
rack_lost_news(const struct tcp_ctx *c, const struct tcp_conn *conn,
	       uint32_t edge)
{
	const struct tcp_xlog *x = tcp_rack_log(c, conn);
	uint32_t i, n = 0, s, lo;

	if (x == NULL)
		return 0;
	lo = net_seq_gt(edge, conn->snd_una) ? edge : conn->snd_una;
	for (i = 0; i < x->n; i++) {
		const struct tcp_xmit *r = &x->r[i];

		if (!(r->flags & TCP_XF_LOST))
			continue;
		s = r->flags & TCP_XF_RXT ? conn->snd_una : lo;
		if (net_seq_gt(r->start, s))
			s = r->start;
		if (net_seq_lt(s, r->end))
			n += r->end - s - sacked_in(conn, s, r->end);
	}
	return n;
}

/*
 * A partial ACK in a SACK recovery. RFC 9937 6.2: it is a SafeACK, and
 * PRR-SSRB lets one SMSS more out, when it moved SND.UNA (it did) and
 * indicates no further loss: the scoreboard deems no hole lost that it
 * did not before and that is not retransmitted yet (the edge of IsLost()
 * moved up past HighRxt: the byte below a block's start is in a hole),
 * RACK deems nothing newly lost beyond that, a retransmission included,
 * and it is not the partial ACK with nothing SACKed that says the next
 * segment is lost. Otherwise PRR-CRB: no more than was delivered. (A
 * recovery begun by an ACK, and a duplicate ACK, are never safe.)
 */
static void
rec_partial_ack(struct tcp_ctx *c, struct tcp_conn *conn,
		const struct rec_before *bf, uint32_t acked, uint64_t now)
{
	uint32_t mss = conn->snd_mss, edge, from, rack;
	bool lost;

	edge = lost_edge(bf->b, bf->n, bf->una, mss);
	from = net_seq_gt(conn->high_rxt, edge) ? conn->high_rxt : edge;
	rack = rack_lost_news(c, conn, edge);
	rack_detect(c, conn, now);
	lost = net_seq_gt(lost_edge(conn->sacked, conn->nsacked, conn->snd_una,
				    mss),
			  from) ||
		rack_lost_news(c, conn, edge) > rack;
	/*
	 * A partial ACK with nothing SACKed: the next segment is lost,
	 * whether or not the window lets its resend go now.
	 */
	if (conn->nsacked == 0 && !net_seq_gt(conn->high_rxt, conn->snd_una)) {
		lost = true;
		if (tcp_cc_window(conn) > 0)
			rexmit_range(c, conn, conn->snd_una, mss, now);
	}
	prr_send(c, conn, bf, acked, lost ? PRR_ACK : PRR_SAFE_ACK, now);
}

/* tcp_rec_ack() with a scoreboard, SACK blocks or a recovery. */
static void
rec_ack_scored(struct tcp_ctx *c, struct tcp_conn *conn,
	       const struct net_seg *seg, uint32_t acked, uint64_t now)
{
	struct rec_before bf;

	rec_save(conn, &bf, conn->snd_una - acked);
	sack_trim(conn);
	/*
	 * sack_update() does nothing without SACK blocks, tcp_rack_ack()
	 * nothing when RACK does not run: the calls are skipped then.
	 */
	if (seg->opts.has & NET_OPT_SACK)
		sack_update(c, conn, seg);
	if (tcp_rack_log(c, conn) != NULL) {
		tcp_rack_ack_begin(c, conn);
		tcp_rack_ack(c, conn, bf.b, bf.n, bf.una, seg, now);
	}
	conn->dupacks = 0;
	/*
	 * A timeout's recovery, or a path MTU resend's flight, ends once
	 * recover is acknowledged: neither is left to a stale recover that
	 * SND.UNA could meet again after 2^32 bytes. The end of a timeout's
	 * recovery counts for RACK as a fast recovery's does (RFC 8985 6.2
	 * step 4: "exiting Fast or RTO recovery").
	 */
	if ((conn->rec_flags & (TCP_RF_RTO | TCP_RF_PMTU)) &&
	    net_seq_geq(seg->ack, conn->recover)) {
		if (conn->rec_flags & TCP_RF_RTO)
			tcp_rack_recovery_done(c, conn);
		conn->rec_flags &= ~(TCP_RF_RTO | TCP_RF_PMTU);
	}
	if (!(conn->rec_flags & TCP_RF_RECOVERY)) {
		cc_grow(c, conn, acked, now);
		if (rack_detect(c, conn, now))
			prr_send(c, conn, &bf, acked, PRR_ENTER, now);
		return;
	}
	if (net_seq_geq(seg->ack, conn->recover)) {
		recovery_exit(c, conn);
		if (rack_detect(c, conn, now))
			prr_send(c, conn, &bf, acked, PRR_ENTER, now);
		return;
	}
	if (net_seq_lt(conn->high_rxt, conn->snd_una))
		conn->high_rxt = conn->snd_una;
	if (!(conn->flags & TCP_CF_SACK)) {
		newreno_partial(c, conn, acked, now);
		return;
	}
	rec_partial_ack(c, conn, &bf, acked, now);
}

/*
 * rec_ack_scored(), then the timers. ack_advance() armed the
 * retransmission timer with the scoreboard before the ACK: again with
 * the one after it (no probe while data is SACKed, RFC 8985 7.2). Not
 * inlined: the clean path stays as short.
 */
static __attribute__((noinline)) void
rec_ack_timed(struct tcp_ctx *c, struct tcp_conn *conn,
	      const struct net_seg *seg, uint32_t acked, uint64_t now)
{
	rec_ack_scored(c, conn, seg, acked, now);
	rexmit_restart(c, conn, now);
	sack_renege_wait(c, conn, now);
}

/*
 * An ACK that moved SND.UNA by acked bytes (ack_advance() has ended
 * the probe's episode already when it covers it). RACK (RFC 8985 6.2) learns
 * from it; in recovery (RFC 6582 3.2 steps 3-5), a full ACK ends it with
 * cwnd = ssthresh, a partial one lets out what PRR allows (RFC 9937),
 * lost segments first. A cumulative ACK stopping at a SACKed range
 * brings the timeout near (sack_renege_wait()).
 */
void
tcp_rec_ack(struct tcp_ctx *c, struct tcp_conn *conn, const struct net_seg *seg,
	    uint32_t acked, uint64_t now)
{
	/*
	 * A clean path (no scoreboard, no SACK blocks, neither recovery nor
	 * a timeout's RTO flag to end): nothing to save for RACK and PRR,
	 * nothing to trim, and DeliveredData is what SND.UNA moved by.
	 */
	if (conn->nsacked == 0 && !(seg->opts.has & NET_OPT_SACK) &&
	    !(conn->rec_flags & (TCP_RF_RECOVERY | TCP_RF_RTO | TCP_RF_PMTU))) {
		rec_ack_clean(c, conn, seg, acked, now);
		return;
	}
	rec_ack_timed(c, conn, seg, acked, now);
}

/*
 * RFC 5681 2 (a duplicate ACK) or an ACK that adds SACK information
 * without moving SND.UNA.
 */
void
tcp_rec_dupack(struct tcp_ctx *c, struct tcp_conn *conn,
	       const struct net_seg *seg, uint64_t now)
{
	struct rec_before bf;

	rec_save(conn, &bf, conn->snd_una);
	sack_update(c, conn, seg);
	tcp_rack_ack(c, conn, bf.b, bf.n, bf.una, seg, now);
	if (conn->dupacks < UINT8_MAX)
		conn->dupacks++;
	if (conn->rec_flags & TCP_RF_RECOVERY) {
		if (!(conn->flags & TCP_CF_SACK)) {
			newreno_inflate(c, conn);
			return;
		}
		rack_detect(c, conn, now);
		prr_send(c, conn, &bf, 0, PRR_ACK, now);
		return;
	}
	/*
	 * RFC 6582 3.2 step 2: duplicate ACKs that do not cover recover
	 * after a timeout start no fast retransmit. The go-back-N resend
	 * draws them from a peer that holds what follows the hole, and a
	 * fast retransmit would send its segment a second time and take
	 * cwnd from one segment to ssthresh plus three at once. With SACK
	 * too when only our FIN is in flight (no send buffer): RFC 6675
	 * 5.1 keeps RecoveryPoint at HighData after a timeout, and without
	 * data no scoreboard can tell more; the timeout's resend of the FIN
	 * is out, and a recovery would send it a second time.
	 */
	if ((conn->rec_flags & TCP_RF_RTO) &&
	    (!(conn->flags & TCP_CF_SACK) || conn->sb == TCP_NONE))
		return;
	if (rack_detect(c, conn, now) || conn->dupacks >= TCP_DUPTHRESH ||
	    is_lost(sacked_bytes(conn), conn->snd_mss)) {
		if (!(conn->rec_flags & TCP_RF_RECOVERY))
			recovery_enter(c, conn);
		if (conn->flags & TCP_CF_SACK)
			prr_send(c, conn, &bf, 0, PRR_ENTER, now);
		else
			rexmit_first(c, conn, now);
	}
}

/*
 * RFC 8985 6.3: the reordering timer fired: what has grown old enough
 * since is lost; in recovery, the first of it goes now (there is no ACK
 * to clock it out), then the timers are armed again.
 */
void
tcp_rec_reorder_timeout(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now)
{
	bool was = conn->rec_flags & TCP_RF_RECOVERY;
	struct rec_before bf;

	c->cnt.rack_reorder_timer++;
	conn->rec_flags &= ~TCP_RF_RACK_ARMED;
	rec_save(conn, &bf, conn->snd_una);
	if (rack_detect(c, conn, now))
		prr_send(c, conn, &bf, 0, PRR_ENTER, now);
	else if (was)
		rexmit_next(c, conn, now);
	if (!(conn->rec_flags & TCP_RF_RACK_ARMED)) {
		tcp_rexmit_arm(c, conn, now);
		sack_renege_wait(c, conn, now);
	}
}

/*
 * RFC 5681 3.1 (4) and RFC 6675 5.1: a retransmission timeout. One
 * segment's window; the scoreboard stays, so the go-back-N resend skips
 * what the peer already holds (tcp_output()) and stops short of it
 * (tcp_rec_send_window()). Until SND.MAX of now is acknowledged, a fast
 * recovery keeps the ssthresh set here. With SND.UNA still at the
 * start of a SACKed range (sack_renege_suspected()) the peer reneged:
 * the scoreboard is forgotten (counter sack_reneged) and the go-back-N
 * sends the range again, as Linux's tcp_timeout_mark_lost(); kept,
 * every resend skipped the data the peer had dropped, until
 * max_retries reset the connection.
 */
void
tcp_rec_timeout(struct tcp_ctx *c, struct tcp_conn *conn)
{
	if (sack_renege_suspected(conn)) {
		conn->nsacked = 0;
		c->cnt.sack_reneged++;
	}
	if (conn->retries == 0 && !(conn->rec_flags & TCP_RF_RECOVERY))
		conn->ssthresh = cc_reduced(c, conn, flight(conn));
	/*
	 * cc_reduced() set CUBIC's W_max for a flight's first timeout too
	 * (fast convergence, RFC 9438 4.7), which this forgets at once:
	 * only its ssthresh counts.
	 */
	cubic_timeout(conn);
	cc_lowered(conn, conn->snd_mss);
	conn->rec_flags &= ~(TCP_RF_RECOVERY | TCP_RF_TLP_ARMED |
			     TCP_RF_RACK_ARMED);
	conn->rec_flags |= TCP_RF_RTO;
	conn->rec_flags &= ~TCP_RF_PMTU;
	conn->recover = conn->snd_max;
	conn->dupacks = 0;
	conn->high_rxt = conn->snd_una;
}

/*
 * Where the go-back-N resend goes on: past data the peer holds, but not
 * past the data's end. A range may cover our FIN (a peer's out-of-order
 * range ends after the FIN it holds, as Linux's end_seq counts it): the
 * FIN then goes again at its own sequence number, where skipping to
 * SND.MAX would send it one past.
 */
uint32_t
tcp_rec_skip_sacked(const struct tcp_conn *conn, uint32_t seq)
{
	uint32_t i, data_end = conn->snd_una + conn->sb_len;

	for (i = 0; i < conn->nsacked; i++)
		if (net_seq_geq(seq, conn->sacked[i].start) &&
		    net_seq_lt(seq, conn->sacked[i].end))
			seq = conn->sacked[i].end;
	return net_seq_gt(seq, data_end) ? data_end : seq;
}

/*
 * No probe while a recovery or a probe is under way (RFC 8985 7.2: "in
 * fast recovery, RTO recovery": a timeout's lasts until recover is
 * acknowledged, though the ACK of its resend ends the timeout count),
 * nor while a path MTU resend's flight is unacknowledged. Their
 * go-back-N may not have gone whole (the output queue full, or a
 * window of one segment), and a probe would send its next segment early,
 * marked a resend, whose ACK would cut the window for a loss already
 * answered or that the MTU caused (tcp_tlp_acked()). Linux sends a
 * probe only in its Open and CWR states, none in Recovery or Loss, and
 * tcp_simple_retransmit() leaves it in Loss.
 */
static bool
tlp_held(const struct tcp_conn *conn)
{
	return (conn->rec_flags & TLP_HELD_BY) || tcp_pmtu_flight_open(conn);
}

/*
 * RFC 8985 7.2: the probe timeout, when a tail loss probe may be sent:
 * a SACK peer (RFC 8985 4: RACK-TLP requires SACK; without it the
 * probe's ACK cannot say which segment was lost, and the probe puts off
 * the retransmission of a lost head), data outstanding, nothing SACKed,
 * not in recovery, no timeout or probe yet for it (tlp_held()), and an
 * RTT sample taken (RFC 8985 7.3: a probe needs one since the start of
 * the connection, so that probes cannot keep SRTT from being learnt:
 * the ACK of a resend gives none without timestamps). 0 when no probe
 * applies. The flags are tested once on the way: none is set on the
 * clean path.
 */
uint64_t
tcp_tlp_pto(const struct tcp_ctx *c, const struct tcp_conn *conn)
{
	uint64_t pto;

	if (!c->p.tail_loss_probe || !(conn->flags & TCP_CF_SACK) ||
	    ((conn->rec_flags & (TLP_HELD_BY | TCP_RF_PMTU)) &&
	     tlp_held(conn)) ||
	    conn->retries != 0 || conn->snd_una == conn->snd_max ||
	    conn->nsacked != 0 || conn->state == TCP_SYN_RECEIVED)
		return 0;
	/*
	 * TLP_calc_PTO(): 2 * SRTT; with one segment out, the peer may be
	 * delaying its ACK, by up to TLP.max_ack_delay (the peer's, not our
	 * delayed_ack_ms). Its 1 s without SRTT is not armed: at its expiry
	 * 7.3 would send no probe, only re-arm the RTO later.
	 */
	pto = 2ull * conn->srtt;
	if (pto == 0)
		return 0;
	if (flight(conn) <= conn->snd_mss)
		pto += TLP_MAX_ACK_DELAY;
	/*
	 * Never after the RTO would expire (now + RTO: the timer restarts
	 * with every arming): the probe then goes at its time, in its
	 * place, and the RTO runs from the probe (tcp_timer.c).
	 */
	return pto < conn->rto ? pto : conn->rto;
}

/* RFC 8985 7.3: TLP.is_retrans, kept beside the send buffer. */
static void
tlp_mark_resend(const struct tcp_ctx *c, const struct tcp_conn *conn,
		bool resend)
{
	struct tcp_xlog *x = tcp_flight_log(c, conn);

	if (x != NULL)
		x->tlp_rxt = resend;
}

/*
 * A D-SACK of (part of) the probe: the last MSS before TLP.end_seq, our
 * FIN included or not. A D-SACK of other bytes tells nothing of it.
 */
static bool
tlp_dsack(const struct tcp_conn *conn, const struct net_seg *seg)
{
	const struct net_sack_block *b = &seg->opts.sack[0];

	return tcp_seg_has_dsack(seg) && net_seq_lt(b->start, conn->high_rxt) &&
		net_seq_gt(b->end, conn->high_rxt - conn->snd_mss);
}

/*
 * RFC 8985 7.4.2: an ACK moved SND.UNA from una to SEG.ACK >= TLP.end_seq
 * (kept in high_rxt) while a probe is out. A probe of new data, or a
 * resend the peer reports as a duplicate (a D-SACK of it), repaired
 * nothing; a recovery or a timeout since has answered any loss already.
 * An ACK beyond the end with no such report says the resend repaired a
 * loss (the original never arrived): congestion control answers it as
 * any loss, from the flight the ACK found, the window cut once, without
 * a recovery (as Linux's tcp_process_tlp_ack()). An ACK of exactly the
 * end leaves it to the next ACK, the episode open meanwhile (no other
 * probe goes): a duplicate of it says the second copy arrived too
 * (tcp_tlp_dupack()), and an ACK beyond it that did not come says it
 * did not. Only a resent probe waits (una already at the end), so the
 * wait needs no mark of its own: the send buffer, and the mark beside
 * it, may go back meanwhile. Out of line: the clean path never comes
 * here.
 */
__attribute__((noinline)) void
tcp_tlp_acked(struct tcp_ctx *c, struct tcp_conn *conn,
	      const struct net_seg *seg, uint32_t una)
{
	struct tcp_xlog *x = tcp_flight_log(c, conn);
	bool waited = net_seq_geq(una, conn->high_rxt);

	if ((waited || (x != NULL && x->tlp_rxt)) &&
	    !(conn->rec_flags & (TCP_RF_RECOVERY | TCP_RF_RTO)) &&
	    !tlp_dsack(conn, seg)) {
		if (!waited && seg->ack == conn->high_rxt)
			return;
		c->cnt.tlp_loss_repaired++;
		/* The flight the ACK found, not the one it leaves. */
		conn->ssthresh = cc_reduced(c, conn, conn->snd_max - una);
		if (conn->cwnd > conn->ssthresh)
			cc_lowered(conn, conn->ssthresh);
	}
	if (x != NULL)
		x->tlp_rxt = false;
	conn->rec_flags &= ~TCP_RF_TLP_SENT;
}

/*
 * RFC 8985 7.4.2: while the episode waits at its end (SND.UNA = TLP.end_seq
 * after a resent probe), a duplicate ACK (no data, no window change) or a
 * D-SACK says both copies arrived: no loss, the episode ends.
 */
__attribute__((noinline)) void
tcp_tlp_dupack(struct tcp_conn *conn, const struct net_seg *seg)
{
	if (seg->ack != conn->snd_una || net_seq_lt(seg->ack, conn->high_rxt))
		return;
	if (!tlp_dsack(conn, seg) &&
	    (seg->len != 0 || (seg->flags & NET_TCP_FIN) ||
	     ((uint32_t)seg->wnd << conn->snd_wscale) != conn->snd_wnd))
		return;
	conn->rec_flags &= ~TCP_RF_TLP_SENT;
}

/*
 * RFC 8985 7.3: the probe: new data if the peer's window takes it,
 * otherwise the last segment sent again (with our FIN if it carried it).
 */
void
tcp_tlp_send(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now)
{
	uint32_t data_end = sent_end(conn), start;
	uint32_t before = c->outq.n, nxt = conn->snd_nxt, max = conn->snd_max;
	struct tcp_out *o;
	bool fin;

	conn->rec_flags |= TCP_RF_TLP_SENT;
	c->cnt.tlp_probe++;
	tlp_mark_resend(c, conn, false);
	tcp_output(c, conn, now, 1);
	/* RFC 8985 7.3: TLP.end_seq = SND.NXT, the episode's end. */
	conn->high_rxt = conn->snd_max;
	if (c->outq.n != before) {
		/* New data, or a go-back-N resend's next segment. */
		tlp_mark_resend(c, conn, net_seq_lt(nxt, max));
		return;
	}
	fin = (conn->flags & TCP_CF_FIN_SENT) &&
		!(conn->flags & TCP_CF_FIN_ACKED);
	start = conn->snd_una;
	if (data_end - start > conn->snd_mss)
		start = data_end - conn->snd_mss;
	o = tcp_out_seg(c, conn, start, NET_TCP_ACK | (fin ? NET_TCP_FIN : 0),
			now);
	if (o == NULL)
		return;
	o->len = data_end - start;
	tcp_ooo_fit(conn, o);
	c->cnt.retransmit++;
	conn->flags &= ~TCP_CF_RTT_TIMING;
	tlp_mark_resend(c, conn, true);
	tcp_rec_sent(c, conn, start, o->len, true, now);
}
