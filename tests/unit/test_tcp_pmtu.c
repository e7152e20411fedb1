/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Path MTU discovery (tcp_pmtu_input()): an ICMP fragmentation needed or
 * Packet Too Big lowers the send MSS of the connection it quotes and
 * resends what is in flight at the new size, without a congestion
 * response; a forged one (no such connection, handshake or TIME_WAIT,
 * a sequence number not in flight, no lowering) is refused and counted.
 */
#include "tcp_test.h"
#include "tcp_internal.h"

static const uint8_t zeros[65536];

#define SEG 1448u    /* MSS 1460 less the timestamp option */
#define MSS1000 948u /* MTU 1000 less 40 of headers and 12 of timestamps */

/* The segment an ICMP message quotes, turned around (the peer's). */
static struct net_seg
quote(const struct peer *p, uint32_t seq)
{
	struct net_seg q = mkseg(p, 0, seq, 0, NULL, 0);

	memset(&q.opts, 0, sizeof(q.opts));
	return q;
}

/* Feed a too-big message at the current time; returns its verdict. */
static enum tcp_pmtu_verdict
pmtu(const struct net_seg *q, uint32_t mtu)
{
	enum tcp_pmtu_verdict v;

	outq()->n = 0;
	v = tcp_pmtu_input(ctx, q, mtu, now);
	assert_int_equal(tcp_ctx_check(ctx), 0);
	note_ts();
	return v;
}

/* Open with options and send n full segments (SEG over IPv4). */
static void
burst(struct peer *p, uint32_t n)
{
	uint32_t mss;

	open_peer(p, 4000, true);
	mss = p->conn->snd_mss;
	outq()->n = 0;
	assert_int_equal(tcp_send(ctx, p->conn, zeros, n * mss, now), n * mss);
	assert_int_equal(note_ts(), n);
	assert_int_equal(out(0)->len, mss);
}

/* Sum of the counters that count a refused message. */
static uint64_t
pmtu_drops(void)
{
	return cnt()->pmtu_no_conn_drop + cnt()->pmtu_state_drop +
		cnt()->pmtu_seq_drop + cnt()->pmtu_not_lower_drop +
		cnt()->pmtu_v6_below_min_drop;
}

/*
 * RFC 1191 6, Linux's tcp_simple_retransmit(): MTU 1000 quoting the
 * second segment in flight. The MSS drops to 948 (timestamps
 * subtracted), everything from SND.UNA goes again at once in segments
 * of at most 948, contiguous, cwnd and ssthresh untouched; data sent
 * afterwards keeps to the new size.
 */
static void
test_lowers_and_resends(void **state)
{
	struct tcp_conn *c;
	uint32_t cwnd, ssthresh, i, seq, total = 0;
	struct peer p;
	struct net_seg q;

	(void)state;
	burst(&p, 4);
	c = p.conn;
	cwnd = c->cwnd;
	ssthresh = c->ssthresh;
	q = quote(&p, our_nxt(&p, SEG));
	assert_int_equal(pmtu(&q, 1000), TCP_PMTU_LOWERED);
	assert_int_equal(cnt()->pmtu_lowered, 1);
	assert_int_equal(pmtu_drops(), 0);
	assert_int_equal(c->snd_mss, MSS1000);
	assert_int_equal(c->cwnd, cwnd);
	assert_int_equal(c->ssthresh, ssthresh);
	assert_int_equal(cnt()->rto, 0);
	assert_int_equal(cnt()->fast_recovery, 0);
	assert_true(outq()->n >= 7);
	seq = our_nxt(&p, 0);
	for (i = 0; i < outq()->n; i++) {
		assert_int_equal(out(i)->seq, seq);
		assert_true(out(i)->len <= MSS1000);
		assert_true(out(i)->len > 0);
		seq += out(i)->len;
		total += out(i)->len;
	}
	assert_int_equal(total, 4 * SEG);
	assert_int_equal(cnt()->retransmit, outq()->n);
	/* The peer has it all; new data keeps to the new MSS. */
	assert_int_equal(send_peer(&p, ACK, our_nxt(&p, 4 * SEG), NULL, 0), 0);
	outq()->n = 0;
	assert_int_equal(tcp_send(ctx, c, zeros, 3000, now), 3000);
	assert_true(note_ts() >= 4);
	for (i = 0; i < outq()->n; i++)
		assert_true(out(i)->len <= MSS1000);
}

/*
 * Over IPv6 the MSS is the MTU less 60 (RFC 8200 8.3), timestamps
 * subtracted. A Packet Too Big below 1280 is discarded (RFC 8201 4, as
 * Linux's tcp_v6_err()): the MSS stays, nothing is sent, 0 included.
 */
static void
test_ipv6_below_min(void **state)
{
	struct peer p;
	struct net_seg q;

	(void)state;
	peer_v6 = true;
	burst(&p, 2);
	q = quote(&p, our_nxt(&p, 0));
	assert_int_equal(pmtu(&q, 1279), TCP_PMTU_BELOW_MIN);
	assert_int_equal(pmtu(&q, 1000), TCP_PMTU_BELOW_MIN);
	assert_int_equal(pmtu(&q, 0), TCP_PMTU_BELOW_MIN);
	assert_int_equal(cnt()->pmtu_v6_below_min_drop, 3);
	assert_int_equal(cnt()->pmtu_lowered, 0);
	assert_int_equal(cnt()->pmtu_floor, 0);
	assert_int_equal(p.conn->snd_mss, 1440 - 12);
	assert_int_equal(outq()->n, 0);
	/* 1280 itself lowers, to the least MSS over IPv6. */
	assert_int_equal(pmtu(&q, 1280), TCP_PMTU_LOWERED);
	assert_int_equal(p.conn->snd_mss, 1280 - 60 - 12);
	assert_int_equal(out(0)->family, TCP_FAMILY_IPV6);
	assert_int_equal(out(0)->len, 1280 - 60 - 12);
	assert_int_equal(out(0)->seq, our_nxt(&p, 0));
	assert_int_equal(pmtu(&q, 1280), TCP_PMTU_NOT_LOWER);
	assert_int_equal(cnt()->pmtu_not_lower_drop, 1);
	assert_int_equal(outq()->n, 0);
}

/*
 * IPv4 keeps to Linux's min_pmtu, 552, not RFC 1191's 68: a forged MTU
 * of 68 would make every segment carry 16 bytes. Without timestamps the
 * whole 512 is payload.
 */
static void
test_ipv4_floor(void **state)
{
	struct peer p;
	struct net_seg q;

	(void)state;
	open_peer(&p, 4001, false);
	assert_int_equal(p.conn->snd_mss, 536);
	outq()->n = 0;
	assert_int_equal(tcp_send(ctx, p.conn, zeros, 1000, now), 1000);
	q = quote(&p, our_nxt(&p, 0));
	assert_int_equal(pmtu(&q, 68), TCP_PMTU_LOWERED);
	assert_int_equal(cnt()->pmtu_floor, 1);
	assert_int_equal(p.conn->snd_mss, 512);
	assert_int_equal(out(0)->len, 512);
}

/* Every queued segment goes without DF, with IDs counting up from id. */
static uint16_t
assert_frag_ids(uint16_t id)
{
	uint32_t i;

	assert_true(outq()->n > 0);
	for (i = 0; i < outq()->n; i++) {
		assert_int_not_equal(out(i)->ip_id, 0);
		if (i > 0 || id != 0)
			assert_int_equal(out(i)->ip_id, id);
		id = out(i)->ip_id;
		id = (uint16_t)(id == 0xffff ? 1 : id + 1);
	}
	return id;
}

/*
 * A real path of MTU 508 (RFC 1191 7's plateau below 552): the MSS goes
 * to the floor's, 500 with timestamps, and since 552-byte datagrams
 * would not pass either, the connection's segments go without DF from
 * then on, each with its own IP ID (RFC 6864 4.1), as Linux does on a
 * route whose MTU it locked at min_pmtu. Its resends after a timeout
 * too; another connection keeps DF; a repeat is refused.
 */
static void
test_below_floor_clears_df(void **state)
{
	struct peer p, o;
	struct net_seg q;
	uint16_t id;

	(void)state;
	burst(&p, 2);
	q = quote(&p, our_nxt(&p, 0));
	assert_int_equal(pmtu(&q, 508), TCP_PMTU_LOWERED);
	assert_int_equal(p.conn->snd_mss, 552 - 40 - 12);
	assert_int_equal(cnt()->pmtu_floor, 1);
	assert_int_equal(cnt()->pmtu_df_cleared, 1);
	assert_int_equal(cnt()->pmtu_lowered, 1);
	assert_int_equal(outq()->n, 6);
	id = assert_frag_ids(0);
	/* Acted on once: the same MTU again changes nothing. */
	assert_int_equal(pmtu(&q, 508), TCP_PMTU_NOT_LOWER);
	assert_int_equal(cnt()->pmtu_not_lower_drop, 1);
	assert_int_equal(cnt()->pmtu_floor, 1);
	assert_int_equal(outq()->n, 0);
	/* A timeout's resend goes without DF, the IDs going on. */
	outq()->n = 0;
	timers_at(p.conn->t_rexmit);
	assert_true(outq()->n > 0);
	id = assert_frag_ids(id);
	/* Another connection keeps DF. */
	open_peer(&o, 4002, true);
	outq()->n = 0;
	assert_int_equal(tcp_send(ctx, o.conn, zeros, 2 * SEG, now), 2 * SEG);
	assert_int_equal(outq()->n, 2);
	assert_int_equal(out(0)->ip_id, 0);
	assert_int_equal(out(1)->ip_id, 0);
	(void)id;
}

/*
 * Lowered to the floor by an MTU of 552 itself (DF kept), then told of
 * 508: the MSS is already the floor's, but DF goes, and what is in
 * flight is sent again without it.
 */
static void
test_floor_then_below(void **state)
{
	struct peer p;
	struct net_seg q;

	(void)state;
	burst(&p, 2);
	q = quote(&p, our_nxt(&p, 0));
	assert_int_equal(pmtu(&q, 552), TCP_PMTU_LOWERED);
	assert_int_equal(p.conn->snd_mss, 500);
	assert_int_equal(cnt()->pmtu_floor, 0);
	assert_int_equal(out(0)->ip_id, 0);
	assert_int_equal(pmtu(&q, 552), TCP_PMTU_NOT_LOWER);
	assert_int_equal(pmtu(&q, 508), TCP_PMTU_LOWERED);
	assert_int_equal(p.conn->snd_mss, 500);
	assert_int_equal(cnt()->pmtu_lowered, 1);
	assert_int_equal(cnt()->pmtu_df_cleared, 1);
	assert_int_equal(cnt()->pmtu_floor, 1);
	assert_int_equal(out(0)->seq, our_nxt(&p, 0));
	assert_frag_ids(0);
}

/*
 * Every segment of the queue lies in [from, from + bytes), in order
 * and contiguous, each at most mss; returns how many there are.
 */
static uint32_t
assert_resend(uint32_t from, uint32_t bytes, uint32_t mss)
{
	uint32_t i, seq = from;

	for (i = 0; i < outq()->n; i++) {
		assert_int_equal(out(i)->seq, seq);
		assert_true(out(i)->len > 0 && out(i)->len <= mss);
		seq += out(i)->len;
	}
	assert_int_equal(seq, from + bytes);
	return outq()->n;
}

/*
 * A path of two narrower hops, 1500 -> 1400 -> 1300, then a third of
 * 1200: the first hop's message resends the flight at MSS 1348, all of
 * which dies at the second hop, whose message must resend it again at
 * 1248 at once, and so on for the third; waiting for the timeout would
 * cut cwnd and ssthresh for a loss that was not congestion. A fourth
 * lowering in the same flight is over the cap of three resends: it
 * only lowers the MSS, counted.
 */
static void
test_resend_each_narrower_hop(void **state)
{
	static const uint32_t mtus[] = { 1400, 1300, 1200 };
	struct tcp_conn *c;
	uint32_t cwnd, ssthresh, una, i;
	struct peer p;
	struct net_seg q;

	(void)state;
	burst(&p, 10);
	c = p.conn;
	cwnd = c->cwnd;
	ssthresh = c->ssthresh;
	una = our_nxt(&p, 0);
	for (i = 0; i < 3; i++) {
		q = quote(&p, una);
		assert_int_equal(pmtu(&q, mtus[i]), TCP_PMTU_LOWERED);
		assert_int_equal(c->snd_mss, mtus[i] - 52);
		assert_resend(una, 10 * SEG, mtus[i] - 52);
		assert_int_equal(cnt()->pmtu_resend_held, 0);
	}
	q = quote(&p, una);
	assert_int_equal(pmtu(&q, 1100), TCP_PMTU_LOWERED);
	assert_int_equal(c->snd_mss, 1100 - 52);
	assert_int_equal(outq()->n, 0);
	assert_int_equal(cnt()->pmtu_resend_held, 1);
	assert_int_equal(cnt()->pmtu_lowered, 4);
	assert_int_equal(c->cwnd, cwnd);
	assert_int_equal(c->ssthresh, ssthresh);
	assert_int_equal(cnt()->rto, 0);
	assert_int_equal(cnt()->fast_recovery, 0);
}

/*
 * Bounded against forged messages: MTUs stepping down a byte at a time
 * from 1499 to 552 all lower the MSS, but only the first three resend
 * the 10-segment flight (948 copies of it without a bound); the others
 * are counted. Once all of it is acknowledged, a lower MTU resends
 * again.
 */
static void
test_resend_capped_a_flight(void **state)
{
	struct peer p;
	struct net_seg q;
	uint32_t mtu, segs = 0, lowered = 0, una;

	(void)state;
	burst(&p, 10);
	una = our_nxt(&p, 0);
	q = quote(&p, una);
	for (mtu = 1499; mtu >= 552; mtu--) {
		assert_int_equal(pmtu(&q, mtu), TCP_PMTU_LOWERED);
		if (lowered < 3)
			assert_resend(una, 10 * SEG, mtu - 52);
		segs += outq()->n;
		lowered++;
	}
	/* Three flights of 14,480 bytes at MSS 1447, 1446, 1445. */
	assert_int_equal(segs, 3 * 11);
	assert_int_equal(cnt()->retransmit, 3 * 11);
	assert_int_equal(cnt()->pmtu_resend_held, lowered - 3);
	assert_int_equal(cnt()->pmtu_lowered, lowered);
	assert_int_equal(p.conn->snd_mss, 500);
	/* The peer has it all: the next flight may be resent again. */
	assert_int_equal(send_peer(&p, ACK, our_nxt(&p, 10 * SEG), NULL, 0), 0);
	outq()->n = 0;
	assert_int_equal(tcp_send(ctx, p.conn, zeros, 1000, now), 1000);
	q = quote(&p, our_nxt(&p, 10 * SEG));
	p.conn->snd_mss = 900;
	assert_int_equal(pmtu(&q, 800), TCP_PMTU_LOWERED);
	assert_int_equal(outq()->n, 2);
	assert_int_equal(out(0)->seq, our_nxt(&p, 10 * SEG));
	assert_int_equal(cnt()->pmtu_resend_held, lowered - 3);
}

/*
 * A resend restarts the retransmission timer, as Linux's
 * tcp_xmit_retransmit_queue() re-arms it when it resends the head: a
 * message 1 ms before the timeout resends the flight, and no timeout
 * follows at the old deadline (which would cut cwnd and send it all
 * again); it comes only a whole retransmission timeout after the
 * resend.
 */
static void
test_resend_restarts_timer(void **state)
{
	struct tcp_conn *c;
	uint64_t deadline, rto, sent;
	uint32_t cwnd, ssthresh;
	struct peer p;
	struct net_seg q;

	(void)state;
	burst(&p, 4);
	c = p.conn;
	cwnd = c->cwnd;
	ssthresh = c->ssthresh;
	deadline = c->t_rexmit;
	rto = deadline - now;
	assert_true(rto > 1000);
	now = deadline - 1000;
	q = quote(&p, our_nxt(&p, 0));
	assert_int_equal(pmtu(&q, 1000), TCP_PMTU_LOWERED);
	assert_resend(our_nxt(&p, 0), 4 * SEG, MSS1000);
	sent = now;
	assert_int_equal(c->t_rexmit, sent + rto);
	assert_int_equal(timers_at(deadline), 0);
	assert_int_equal(timers_at(sent + rto - 1), 0);
	assert_int_equal(cnt()->rto, 0);
	assert_int_equal(c->cwnd, cwnd);
	assert_int_equal(c->ssthresh, ssthresh);
	assert_true(timers_at(sent + rto) > 0);
	assert_int_equal(cnt()->rto, 1);
}

/*
 * The resend skips what the peer SACKed, and stops short of it: four
 * full segments of the old MSS, the second and the fourth SACKed (RACK
 * finds the holes lost: a fast recovery resends them whole), then a
 * message lowering the MSS to mss. Each hole goes again as one segment
 * of the new MSS and the rest of the hole, none of it into the SACKed
 * data after it (a second segment of the new MSS would resend data the
 * peer holds, seg - mss bytes of each hole).
 */
static void
resend_stops_at_sacked(uint32_t mtu, uint32_t mss)
{
	struct net_seg s, q;
	struct peer p;
	uint64_t rxt;
	uint32_t i, seg;

	burst(&p, 4);
	seg = p.conn->snd_mss;
	s = mkseg(&p, ACK, p.seq, our_nxt(&p, 0), NULL, 0);
	s.opts.has |= NET_OPT_SACK;
	s.opts.nsack = 2;
	s.opts.sack[0].start = our_nxt(&p, seg);
	s.opts.sack[0].end = our_nxt(&p, 2 * seg);
	s.opts.sack[1].start = our_nxt(&p, 3 * seg);
	s.opts.sack[1].end = our_nxt(&p, 4 * seg);
	s.opts.tsval = ++p.tsval;
	assert_int_equal(input(&s), 2);
	assert_int_equal(cnt()->fast_recovery, 1);
	for (i = 0; i < 2; i++) {
		assert_int_equal(out(i)->seq, our_nxt(&p, 2 * i * seg));
		assert_int_equal(out(i)->len, seg);
	}
	rxt = cnt()->retransmit;
	q = quote(&p, our_nxt(&p, 0));
	assert_int_equal(pmtu(&q, mtu), TCP_PMTU_LOWERED);
	assert_int_equal(p.conn->snd_mss, mss);
	assert_int_equal(outq()->n, 4);
	for (i = 0; i < 4; i++) {
		assert_int_equal(out(i)->seq,
				 our_nxt(&p, i / 2 * 2 * seg + i % 2 * mss));
		assert_int_equal(out(i)->len, i % 2 ? seg - mss : mss);
	}
	assert_int_equal(cnt()->retransmit, rxt + 4);
	/* The holes' ACK covers it all: nothing more goes. */
	assert_int_equal(send_peer(&p, ACK, our_nxt(&p, 4 * seg), NULL, 0), 0);
	assert_int_equal(p.conn->snd_una, p.conn->snd_max);
}

/* Over IPv4, MTU 1000: holes of 1448 go as 948 and 500. */
static void
test_resend_stops_at_sacked(void **state)
{
	(void)state;
	resend_stops_at_sacked(1000, MSS1000);
}

/* Over IPv6, MTU 1280: holes of 1428 go as 1208 and 220. */
static void
test_resend_stops_at_sacked6(void **state)
{
	(void)state;
	peer_v6 = true;
	resend_stops_at_sacked(1280, 1280 - 60 - 12);
}

/*
 * A message that finds the output queue full resends nothing now, and
 * the flight it left unsent still has a retransmission timer: a fresh
 * one, after which the flight goes again.
 */
static void
test_resend_outq_full_keeps_timer(void **state)
{
	struct tcp_conn *c;
	uint64_t rto;
	struct net_seg q;
	struct peer p;

	(void)state;
	burst(&p, 4);
	c = p.conn;
	rto = c->t_rexmit - now;
	q = quote(&p, our_nxt(&p, 0));
	outq()->n = TCP_OUTQ_SIZE;
	assert_int_equal(tcp_pmtu_input(ctx, &q, 1000, now), TCP_PMTU_LOWERED);
	assert_int_equal(outq()->n, TCP_OUTQ_SIZE);
	outq()->n = 0;
	assert_int_equal(c->t_rexmit, now + rto);
	assert_true(timers_at(now + rto) > 0);
	assert_int_equal(cnt()->rto, 1);
	assert_true(outq()->n > 0);
	assert_true(out(0)->len <= MSS1000);
}

/*
 * The peer's window closed with the flight out: the resend sends
 * nothing, and no retransmission timer runs for a flight that is not
 * out; the persist timer probes the window instead, then the flight
 * goes at the new size once the window opens.
 */
static void
test_resend_into_zero_window(void **state)
{
	struct net_seg s, q;
	struct peer p;

	(void)state;
	burst(&p, 2);
	s = mkseg(&p, ACK, p.seq, our_nxt(&p, 0), NULL, 0);
	s.wnd = 0;
	s.opts.tsval = ++p.tsval;
	assert_int_equal(input(&s), 0);
	assert_int_equal(p.conn->snd_wnd, 0);
	q = quote(&p, our_nxt(&p, 0));
	assert_int_equal(pmtu(&q, 1000), TCP_PMTU_LOWERED);
	assert_int_equal(outq()->n, 0);
	assert_int_equal(p.conn->t_rexmit, 0);
	assert_true(p.conn->t_persist > now);
	assert_int_equal(timers_at(p.conn->t_persist), 1);
	assert_int_equal(cnt()->zero_window_probe, 1);
	assert_int_equal(out(0)->len, 1);
	assert_int_equal(send_peer(&p, ACK, our_nxt(&p, 0), NULL, 0), 4);
	assert_resend(our_nxt(&p, 0), 2 * SEG, MSS1000);
}

/*
 * A flight of 64 KB lowered to MTU 552: 131 segments of 500 bytes, more
 * than the output queue's 64. The resend fills the queue and stops there
 * without counting a drop (outq_full); the ACK of what it sent lets the
 * rest go on from there.
 */
static void
test_resend_fills_queue(void **state)
{
	struct peer p;
	struct net_seg q;
	uint32_t i, sent = 0;

	(void)state;
	prm.snd_buf = 262144;
	restart();
	open_peer(&p, 4000, true);
	p.conn->cwnd = 200 * SEG;
	outq()->n = 0;
	assert_int_equal(tcp_send(ctx, p.conn, zeros, 65536, now), 65536);
	note_ts();
	assert_int_equal(p.conn->snd_max - p.conn->snd_una, 65536);
	q = quote(&p, p.conn->snd_una);
	assert_int_equal(pmtu(&q, 552), TCP_PMTU_LOWERED);
	assert_int_equal(outq()->n, TCP_OUTQ_SIZE);
	assert_int_equal(cnt()->outq_full, 0);
	for (i = 0; i < outq()->n; i++)
		sent += out(i)->len;
	assert_int_equal(sent, TCP_OUTQ_SIZE * 500);
	assert_int_equal(p.conn->snd_nxt - p.conn->snd_una, sent);
	outq()->n = 0;
	assert_true(send_peer(&p, ACK, p.conn->snd_una + sent, NULL, 0) > 0);
	assert_true(outq()->n > 0);
	assert_int_equal(out(0)->seq, p.conn->snd_una);
	assert_int_equal(out(0)->len, 500);
}

/*
 * RFC 8985 7.2 probes only outside recovery, and Linux sends no probe
 * outside its Open state (tcp_simple_retransmit() puts it in Loss). A
 * flight resent for the path MTU that the output queue could not hold
 * whole is still going back-N: a probe then would send the next
 * segment of it, marked a resend, and the ACK beyond it would cut the
 * window for a loss the MTU caused. So no probe goes at the probe
 * timeout until the resent flight is acknowledged, and the window
 * stays; the next flight has its probe again.
 */
static void
test_resend_partial_no_probe(void **state)
{
	uint32_t ssthresh, cwnd;
	struct tcp_conn *c;
	struct net_seg q;
	struct peer p;
	uint64_t pto;
	bool tlp_armed;

	(void)state;
	prm.tail_loss_probe = true;
	restart();
	/* An RTT sample of 10 ms, then a flight of four segments. */
	open_peer(&p, 4000, true);
	c = p.conn;
	outq()->n = 0;
	assert_int_equal(tcp_send(ctx, c, zeros, 100, now), 100);
	now += 10 * MS;
	note_ts();
	send_peer(&p, ACK, our_nxt(&p, 100), NULL, 0);
	outq()->n = 0;
	assert_int_equal(tcp_send(ctx, c, zeros, 4 * SEG, now), 4 * SEG);
	assert_int_equal(note_ts(), 4);
	assert_true(c->rec_flags & TCP_RF_TLP_ARMED);
	pto = c->t_rexmit - now;
	ssthresh = c->ssthresh;
	cwnd = c->cwnd;
	q = quote(&p, our_nxt(&p, 100));
	outq()->n = TCP_OUTQ_SIZE - 2;
	assert_int_equal(tcp_pmtu_input(ctx, &q, 1000, now), TCP_PMTU_LOWERED);
	assert_int_equal(outq()->n, TCP_OUTQ_SIZE);
	outq()->n = 0;
	assert_int_equal(c->snd_nxt - c->snd_una, 2 * MSS1000);
	assert_false(c->rec_flags & TCP_RF_TLP_ARMED);
	assert_int_equal(timers_at(now + pto + 1 * MS), 0);
	assert_int_equal(cnt()->tlp_probe, 0);
	/*
	 * The peer has it all, then the next flight too: no loss counted,
	 * the window as it was, and that flight had its probe armed.
	 */
	assert_int_equal(send_peer(&p, ACK, our_nxt(&p, 100 + 4 * SEG), NULL,
				   0),
			 0);
	/* The resend's count ends with its flight (no stale recover). */
	assert_false(c->rec_flags & TCP_RF_PMTU);
	outq()->n = 0;
	assert_int_equal(tcp_send(ctx, c, zeros, 2 * MSS1000, now),
			 2 * MSS1000);
	tlp_armed = c->rec_flags & TCP_RF_TLP_ARMED;
	assert_int_equal(send_peer(&p, ACK,
				   our_nxt(&p, 100 + 4 * SEG + 2 * MSS1000),
				   NULL, 0),
			 0);
	assert_int_equal(cnt()->tlp_loss_repaired, 0);
	assert_int_equal(c->ssthresh, ssthresh);
	assert_true(c->cwnd >= cwnd);
	assert_true(tlp_armed);
}

/*
 * RFC 5927 5.2: a sequence number outside [SND.UNA, SND.MAX) is not of
 * a segment in flight: SND.MAX itself, below SND.UNA, far away, and
 * anything while nothing is in flight. The MSS stays, nothing is sent.
 */
static void
test_seq_not_in_flight(void **state)
{
	struct peer p;
	struct net_seg q;

	(void)state;
	burst(&p, 2);
	q = quote(&p, our_nxt(&p, 2 * SEG));
	assert_int_equal(pmtu(&q, 1000), TCP_PMTU_SEQ);
	q = quote(&p, our_nxt(&p, 0) - 1);
	assert_int_equal(pmtu(&q, 1000), TCP_PMTU_SEQ);
	q = quote(&p, our_nxt(&p, 0) + 0x40000000u);
	assert_int_equal(pmtu(&q, 1000), TCP_PMTU_SEQ);
	assert_int_equal(cnt()->pmtu_seq_drop, 3);
	assert_int_equal(p.conn->snd_mss, SEG);
	assert_int_equal(outq()->n, 0);
	/* All acknowledged: nothing is in flight. */
	assert_int_equal(send_peer(&p, ACK, our_nxt(&p, 2 * SEG), NULL, 0), 0);
	q = quote(&p, our_nxt(&p, 2 * SEG - 1));
	assert_int_equal(pmtu(&q, 1000), TCP_PMTU_SEQ);
	assert_int_equal(cnt()->pmtu_seq_drop, 4);
	assert_int_equal(cnt()->pmtu_lowered, 0);
}

/*
 * No connection of the quoted 4-tuple (another port, another local
 * address), one in SYN_RECEIVED, a TIME_WAIT record: refused, counted.
 */
static void
test_no_conn_and_state(void **state)
{
	struct peer p, h, tw;
	struct net_seg q;

	(void)state;
	burst(&p, 1);
	q = quote(&p, our_nxt(&p, 0));
	q.sport++;
	assert_int_equal(pmtu(&q, 1000), TCP_PMTU_NO_CONN);
	q = quote(&p, our_nxt(&p, 0));
	q.daddr++;
	assert_int_equal(pmtu(&q, 1000), TCP_PMTU_NO_CONN);
	assert_int_equal(cnt()->pmtu_no_conn_drop, 2);
	/* Half-open: the SYN-ACK is in flight, the handshake not done. */
	assert_int_equal(peer_syn(&h, 5000, true, 1460), 1);
	h.iss = out(0)->seq;
	q = quote(&h, h.iss);
	assert_int_equal(pmtu(&q, 1000), TCP_PMTU_STATE);
	to_time_wait(&tw, 5001);
	q = quote(&tw, our_nxt(&tw, 0));
	assert_int_equal(pmtu(&q, 1000), TCP_PMTU_STATE);
	assert_int_equal(cnt()->pmtu_state_drop, 2);
	assert_int_equal(cnt()->pmtu_lowered, 0);
	assert_int_equal(p.conn->snd_mss, SEG);
}

/*
 * Only lower: an MTU whose MSS is the current one or above is refused,
 * and a second, lower message lowers again.
 */
static void
test_only_lower(void **state)
{
	struct peer p;
	struct net_seg q;

	(void)state;
	burst(&p, 2);
	q = quote(&p, our_nxt(&p, 0));
	assert_int_equal(pmtu(&q, 1500), TCP_PMTU_NOT_LOWER);
	assert_int_equal(pmtu(&q, 9000), TCP_PMTU_NOT_LOWER);
	assert_int_equal(pmtu(&q, 0x7fffffffu), TCP_PMTU_NOT_LOWER);
	assert_int_equal(cnt()->pmtu_not_lower_drop, 3);
	assert_int_equal(outq()->n, 0);
	assert_int_equal(pmtu(&q, 1400), TCP_PMTU_LOWERED);
	assert_int_equal(p.conn->snd_mss, 1400 - 52);
	assert_int_equal(pmtu(&q, 1400), TCP_PMTU_NOT_LOWER);
	assert_int_equal(pmtu(&q, 1000), TCP_PMTU_LOWERED);
	assert_int_equal(p.conn->snd_mss, MSS1000);
	assert_int_equal(cnt()->pmtu_lowered, 2);
}

/*
 * A FIN in flight goes again after the data it followed, and the
 * connection still closes normally.
 */
static void
test_fin_resent(void **state)
{
	struct peer p;
	struct net_seg q;
	uint32_t last;

	(void)state;
	burst(&p, 1);
	outq()->n = 0;
	tcp_close(ctx, p.conn, true, now);
	assert_int_equal(note_ts(), 1);
	assert_true(out(0)->flags & FIN);
	q = quote(&p, our_nxt(&p, 0));
	assert_int_equal(pmtu(&q, 1000), TCP_PMTU_LOWERED);
	assert_int_equal(outq()->n, 2);
	last = outq()->n - 1;
	assert_true(out(last)->flags & FIN);
	assert_int_equal(out(last)->seq + out(last)->len, our_nxt(&p, SEG));
	assert_int_equal(send_peer(&p, ACK, our_nxt(&p, SEG + 1), NULL, 0), 0);
	assert_int_equal(gauge(TCP_FIN_WAIT_2), 1);
}

/*
 * A flight resent once at MTU 1400 and all acknowledged, then n new
 * segments of the new MSS sent (cwnd opened for them): the resend mark
 * is set from the first flight. Returns SND.UNA of the new flight.
 */
static uint32_t
flight_after_resend(struct peer *p, uint32_t n)
{
	struct net_seg q;

	burst(p, 4);
	q = quote(p, our_nxt(p, 0));
	assert_int_equal(pmtu(&q, 1400), TCP_PMTU_LOWERED);
	assert_true(outq()->n > 0);
	assert_int_equal(send_peer(p, ACK, our_nxt(p, 4 * SEG), NULL, 0), 0);
	assert_int_equal(p->conn->snd_una, p->conn->snd_max);
	p->conn->cwnd = 20 * 1348;
	outq()->n = 0;
	assert_int_equal(tcp_send(ctx, p->conn, zeros, n * 1348, now),
			 n * 1348);
	note_ts();
	return p->conn->snd_una;
}

/* A too-big message quoting una lowers the MSS and resends at once. */
static void
assert_resends(const struct peer *p, uint32_t una)
{
	struct net_seg q = quote(p, una);

	assert_int_equal(pmtu(&q, 1000), TCP_PMTU_LOWERED);
	assert_int_equal(cnt()->pmtu_resend_held, 0);
	assert_true(outq()->n > 0);
}

/*
 * The one-resend-a-flight mark is RFC 6582's recover, which a fast
 * recovery or a timeout takes over: the mark must go with it, or a
 * later flight's first too-big message only lowers the MSS, resending
 * nothing. First after a timeout.
 */
static void
test_resend_mark_gone_after_rto(void **state)
{
	struct peer p;
	uint32_t una;

	(void)state;
	una = flight_after_resend(&p, 4);
	assert_true(timers_at(p.conn->t_rexmit) > 0);
	assert_int_equal(cnt()->rto, 1);
	assert_resends(&p, una);
}

/* The same with the later flight in fast recovery (three dup ACKs). */
static void
test_resend_mark_gone_in_recovery(void **state)
{
	struct peer p;
	uint32_t una, i;

	(void)state;
	una = flight_after_resend(&p, 8);
	for (i = 0; i < 3; i++)
		send_peer(&p, ACK, una, NULL, 0);
	assert_int_equal(cnt()->fast_recovery, 1);
	assert_resends(&p, una);
}

/*
 * RFC 6864 4.1: the IP ID of a datagram that may be fragmented is not
 * repeated for the same source, destination and protocol while its
 * fragments may live. Two connections to one peer address, both below
 * the floor (the path is the address's), interleave 60,000 datagrams:
 * no ID twice.
 */
static void
test_ids_unique_per_address(void **state)
{
	static uint8_t seen[65536 / 8];
	struct peer a, b, *x;
	struct net_seg q;
	uint32_t round, i;
	uint16_t id;

	(void)state;
	memset(seen, 0, sizeof(seen));
	burst(&a, 1);
	q = quote(&a, a.conn->snd_una);
	assert_int_equal(pmtu(&q, 508), TCP_PMTU_LOWERED);
	assert_int_equal(send_peer(&a, ACK, a.conn->snd_max, NULL, 0), 0);
	open_peer(&b, 4001, true);
	outq()->n = 0;
	assert_int_equal(tcp_send(ctx, b.conn, zeros, 500, now), 500);
	note_ts();
	q = quote(&b, b.conn->snd_una);
	assert_int_equal(pmtu(&q, 508), TCP_PMTU_LOWERED);
	assert_int_equal(send_peer(&b, ACK, b.conn->snd_max, NULL, 0), 0);
	a.conn->cwnd = 64 * 500;
	b.conn->cwnd = 64 * 500;
	for (round = 0; round < 60000 / 32; round++) {
		x = (round & 1) ? &b : &a;
		outq()->n = 0;
		assert_int_equal(tcp_send(ctx, x->conn, zeros, 32 * 500, now),
				 32 * 500);
		note_ts();
		assert_int_equal(outq()->n, 32);
		for (i = 0; i < outq()->n; i++) {
			id = out(i)->ip_id;
			assert_int_not_equal(id, 0);
			assert_false(seen[id / 8] & (1u << (id % 8)));
			seen[id / 8] |= (uint8_t)(1u << (id % 8));
		}
		send_peer(x, ACK, x->conn->snd_max, NULL, 0);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_lowers_and_resends),
		T(test_ipv6_below_min),
		T(test_ipv4_floor),
		T(test_seq_not_in_flight),
		T(test_no_conn_and_state),
		T(test_only_lower),
		T(test_fin_resent),
		T(test_below_floor_clears_df),
		T(test_floor_then_below),
		T(test_resend_each_narrower_hop),
		T(test_resend_capped_a_flight),
		T(test_resend_restarts_timer),
		T(test_resend_stops_at_sacked),
		T(test_resend_stops_at_sacked6),
		T(test_resend_outq_full_keeps_timer),
		T(test_resend_into_zero_window),
		T(test_resend_fills_queue),
		T(test_resend_partial_no_probe),
		T(test_resend_mark_gone_after_rto),
		T(test_resend_mark_gone_in_recovery),
		T(test_ids_unique_per_address),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
