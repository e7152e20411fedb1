/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Segment arrival (RFC 9293 3.10.7): demultiplexing, CLOSED processing,
 * and the first steps (sequence number, RST, SYN, ACK) of the
 * synchronized states. LISTEN is in tcp_listen.c, text and FIN
 * processing in tcp_rcv.c.
 */
#include <errno.h>

#include "tcp_internal.h"

/*
 * RFC 9293 3.10.7.1, CLOSED: an incoming RST is discarded; otherwise
 * answer with a reset (tcp_send_rst_seg() picks the form).
 */
static void
closed_input(struct tcp_ctx *c, const struct net_seg *seg)
{
	if (seg->flags & NET_TCP_RST) {
		c->cnt.drop_rst_unknown++;
		return;
	}
	c->cnt.drop_no_listener++;
	tcp_send_rst_seg(c, seg);
}

/*
 * RFC 9293 3.10.7.4 first: the four cases of the acceptability test.
 * With a zero window a segment starting exactly at RCV.NXT is let through
 * so that its ACK and RST are processed; its text is trimmed and its FIN
 * refused later (tcp_rcv.c).
 */
static bool
seq_acceptable(const struct tcp_conn *conn, const struct net_seg *seg)
{
	uint32_t nxt = conn->rcv_nxt, wnd = 0;
	uint32_t len = net_seg_seqlen(seg);

	if (net_seq_gt(conn->rcv_adv, nxt))
		wnd = conn->rcv_adv - nxt;
	if (seg->seq == nxt)
		return true;
	if (len == 0)
		return wnd != 0 && net_seq_in(seg->seq, nxt, nxt + wnd);
	if (wnd == 0)
		return false;
	return net_seq_in(seg->seq, nxt, nxt + wnd) ||
		net_seq_in(seg->seq + len - 1, nxt, nxt + wnd);
}

/* RFC 7323 5.5: TS.Recent is invalid after 24 days without an update. */
#define TCP_PAWS_IDLE_SEC (24u * 24 * 3600)

static bool
ts_recent_valid(const struct tcp_conn *conn, uint64_t now)
{
	return tcp_sec(now) - conn->ts_recent_sec < TCP_PAWS_IDLE_SEC;
}

static bool
paws_fails(const struct tcp_conn *conn, const struct net_seg *seg, uint64_t now)
{
	if ((int32_t)(seg->opts.tsval - conn->ts_recent) >= 0)
		return false;
	return ts_recent_valid(conn, now);
}

/* A SYN (without RST) in SYN-RECEIVED: PAWS applies to it (check_seq()). */
static inline bool
syn_recv_syn(const struct tcp_conn *conn, const struct net_seg *seg)
{
	return (seg->flags & (NET_TCP_RST | NET_TCP_SYN)) == NET_TCP_SYN &&
		conn->state == TCP_SYN_RECEIVED;
}

static bool
check_seq(struct tcp_ctx *c, struct tcp_conn *conn, const struct net_seg *seg,
	  uint64_t now, bool ts)
{
	/*
	 * RFC 7323 5.3 R1: PAWS, before the sequence number check. A RST is
	 * exempt (RFC 7323 5.3: RSTs are acceptable whatever their
	 * timestamp); in the synchronized states a SYN falls through to RFC
	 * 5961 4.2 below. In SYN-RECEIVED a SYN older than the one that
	 * opened it is refused here, as Linux's tcp_check_req() does, and
	 * does not forget the connection (RFC 9293 3.10.7.4 fourth).
	 */
	if (ts &&
	    (!(seg->flags & (NET_TCP_RST | NET_TCP_SYN)) ||
	     syn_recv_syn(conn, seg)) &&
	    paws_fails(conn, seg, now)) {
		c->cnt.drop_paws++;
		tcp_invalid_ack(c, conn, seg, now);
		return false;
	}
	/*
	 * RFC 9293 3.10.7.4 first: unacceptable, send an ACK (unless RST,
	 * RFC 5961 3.2: an out-of-window RST is dropped silently) and drop.
	 * RFC 5961 4.2: a SYN gets a (rate-limited) challenge ACK whatever
	 * its sequence number.
	 */
	if (!seq_acceptable(conn, seg)) {
		c->cnt.drop_out_of_window++;
		if (seg->flags & NET_TCP_RST)
			return false;
		if (seg->flags & NET_TCP_SYN) {
			tcp_challenge_ack(c, conn, now);
			return false;
		}
		/* RFC 2883 4: an old duplicate draws a D-SACK block. */
		tcp_ooo_dup_seg(c, conn, seg);
		tcp_invalid_ack(c, conn, seg, now);
		return false;
	}
	return true;
}

/*
 * RFC 7323 4.3 (2) and 5.3 R3: TSval >= TS.Recent and SEG.SEQ <=
 * Last.ACK.sent: record TSval. Done only once the segment has passed the
 * sequence, RST, SYN and ACK checks (RFC 7323 Appendix D updates it in
 * the first step; like Linux's tcp_ack(), tcpterm waits for a valid
 * ACK), so that a blind segment with any ACK value cannot move
 * TS.Recent and wedge the connection under PAWS. An older TSval is
 * recorded too once TS.Recent is invalid (RFC 7323 5.5: "rule R3
 * updates TS.Recent with the TSval from the new segment"; Appendix D),
 * or it would stay stale, echoed, and PAWS off for good.
 */
static void
ts_recent_update(struct tcp_conn *conn, const struct net_seg *seg, uint64_t now,
		 bool ts)
{
	if (!ts)
		return;
	if (!net_seq_leq(seg->seq, conn->last_ack_sent) ||
	    ((int32_t)(seg->opts.tsval - conn->ts_recent) < 0 &&
	     ts_recent_valid(conn, now)))
		return;
	conn->ts_recent = seg->opts.tsval;
	conn->ts_recent_sec = tcp_sec(now);
}

/*
 * RFC 9293 3.10.7.4 second with RFC 5961 3.2: a RST exactly at RCV.NXT
 * resets the connection; any other in-window RST gets a challenge ACK.
 * One whose sequence number is below the window is dropped silently:
 * it passed the acceptability test by the end of its text. In
 * SYN-RECEIVED, a connection reopened from TIME-WAIT goes back to it
 * (RFC 1122 4.2.2.13 (2), in tcp_conn_free()).
 */
static void
check_rst(struct tcp_ctx *c, struct tcp_conn *conn, const struct net_seg *seg,
	  uint64_t now)
{
	if (seg->seq == conn->rcv_nxt) {
		c->cnt.rst_rx++;
		tcp_conn_free(c, conn);
		return;
	}
	if (net_seq_lt(seg->seq, conn->rcv_nxt)) {
		c->cnt.drop_out_of_window++;
		return;
	}
	tcp_challenge_ack(c, conn, now);
}

/* RFC 6298 with RFC 7323 4.1 (echoed timestamp) or Karn's timing. */
static void
rtt_update(struct tcp_ctx *c, struct tcp_conn *conn, const struct net_seg *seg,
	   uint64_t now, bool ts)
{
	uint32_t r;

	if (ts && seg->opts.tsecr != 0) {
		r = tcp_tsval(conn, now) - seg->opts.tsecr;
		if (r < 0x7fffffffu / 1000)
			tcp_rtt_sample(c, conn, r * 1000);
		return;
	}
	if ((conn->flags & TCP_CF_RTT_TIMING) &&
	    net_seq_geq(seg->ack, conn->rtt_seq)) {
		conn->flags &= ~TCP_CF_RTT_TIMING;
		tcp_rtt_sample(c, conn, (uint32_t)(now - conn->rtt_start));
	}
}

/* SND.UNA < SEG.ACK <= SND.MAX: new data (or SYN, or FIN) acknowledged. */
static uint32_t
ack_advance(struct tcp_ctx *c, struct tcp_conn *conn, const struct net_seg *seg,
	    uint64_t now, bool ts)
{
	uint32_t acked = seg->ack - conn->snd_una;
	uint32_t data = acked < conn->sb_len ? acked : conn->sb_len;

	/*
	 * Our FIN follows the last data byte; an ACK beyond it (SEG.ACK <=
	 * SND.MAX was checked, so the FIN went out at least once) covers
	 * it, even when a go-back-N timeout has put it back in the queue.
	 */
	if ((conn->flags & TCP_CF_FIN_QUEUED) &&
	    net_seq_gt(seg->ack, conn->snd_una + conn->sb_len))
		conn->flags |= TCP_CF_FIN_SENT | TCP_CF_FIN_ACKED;
	tcp_sb_consume(c, conn, data);
	conn->snd_una = seg->ack;
	if (net_seq_lt(conn->snd_nxt, conn->snd_una))
		conn->snd_nxt = conn->snd_una;
	/*
	 * Once our FIN is acknowledged nothing is sent or timed again
	 * (FIN-WAIT-2, TIME-WAIT or closed next): an RTT sample would
	 * have no use.
	 */
	if (!(conn->flags & TCP_CF_FIN_ACKED))
		rtt_update(c, conn, seg, now, ts);
	if (conn->retries != 0)
		tcp_send_answered(conn, now);
	conn->retries = 0;
	/*
	 * RFC 8985 7.4: the probe's episode ends once everything sent up to
	 * it (TLP.end_seq, kept in high_rxt) is acknowledged, and whether it
	 * repaired a loss is known (tcp_tlp_acked()); then a new flight may
	 * have its probe. A partial ACK does not end it: a peer
	 * acknowledging a byte at a time would draw a full-sized probe
	 * every two round trips (as Linux, one probe per flight).
	 */
	if ((conn->rec_flags & TCP_RF_TLP_SENT) &&
	    net_seq_geq(seg->ack, conn->high_rxt))
		tcp_tlp_acked(c, conn, seg, seg->ack - acked);
	if (conn->snd_una == conn->snd_max) {
		conn->t_rexmit = 0;
		/* The idle time (RFC 5681 4.1, tcp_send()) starts now. */
		conn->idle_start = now;
	} else {
		tcp_rexmit_arm(c, conn, now);
	}
	return data;
}

/*
 * A zero window opens: its probes end (the persist timer), and the byte
 * a probe sent beyond SND.NXT (tcp_probe()) that the peer did not take
 * is unsent again. It goes as new data, as SWS avoidance allows, not as
 * a 1-byte resend ahead of it (RFC 9293 3.8.6.1: a probe byte the peer's
 * zero window refused was never part of the data it holds). Called too
 * while the probe count outlives a small opening (tcp_persist_opened()):
 * a window grown to an MSS ends it. Out of line, so that
 * window_update(), on every ACK, stays in line.
 */
static __attribute__((noinline)) void
zero_window_opened(struct tcp_conn *conn, uint32_t was)
{
	if (was == 0) {
		if (conn->persist_shift != 0 &&
		    conn->snd_nxt == conn->snd_una &&
		    conn->snd_max == conn->snd_nxt + 1)
			conn->snd_max = conn->snd_nxt;
		conn->t_persist = 0;
	}
	tcp_persist_opened(conn);
}

/*
 * RFC 9293 3.10.7.4 fifth: SND.WL1/SND.WL2 decide a window update. Only
 * a zero window that opens touches the persist timer: an override timer
 * of SWS avoidance (tcp_output.c) runs on through small windows.
 */
static void
window_update(struct tcp_conn *conn, const struct net_seg *seg)
{
	uint32_t was = conn->snd_wnd;

	if (!(net_seq_lt(conn->snd_wl1, seg->seq) ||
	      (conn->snd_wl1 == seg->seq &&
	       net_seq_leq(conn->snd_wl2, seg->ack))))
		return;
	conn->snd_wnd = (uint32_t)seg->wnd << conn->snd_wscale;
	conn->snd_wl1 = seg->seq;
	conn->snd_wl2 = seg->ack;
	if (conn->snd_wnd > conn->max_snd_wnd)
		conn->max_snd_wnd = conn->snd_wnd;
	if ((was == 0 || conn->persist_shift != 0) && conn->snd_wnd != 0)
		zero_window_opened(conn, was);
}

/*
 * The SYN-ACK timed out. RFC 6298 5.7: an RTO under 3 s is
 * 3 s (at most rto_max_ms) when data transmission begins; an RTO
 * already backed off above 3 s is kept. An RTT sample of this ACK (its
 * echoed timestamp; without timestamps Karn's rule leaves none)
 * computes it anew right after (ack_advance()). Linux, when the
 * handshake gave no RTT sample, sets the RTO to exactly 3 s
 * (TCP_TIMEOUT_FALLBACK, tcp_init_metrics()), lowering a larger one.
 */
#define TCP_RTO_AFTER_SYN_TIMEOUT_US 3000000u

static __attribute__((noinline)) void
after_synack_timeout(const struct tcp_ctx *c, struct tcp_conn *conn)
{
	uint64_t rto = TCP_RTO_AFTER_SYN_TIMEOUT_US;

	if (rto > c->us.rto_max)
		rto = c->us.rto_max;
	if (conn->rto < rto)
		conn->rto = (uint32_t)rto;
	/*
	 * RFC 5681 3.1: the initial window after a lost SYN-ACK is one
	 * segment; RFC 6928 2 (whose larger IW tcpterm uses) recommends
	 * keeping the IW unless there was more than one retransmission,
	 * since a single timeout may be spurious on a path of RTT over
	 * 1 s. tcpterm counts the SYN-ACK's timeouts; Linux's
	 * tcp_init_transfer() counts also the SYN-ACKs sent again for a
	 * repeated SYN, after at least one timeout, and keeps the IW when
	 * the ACK's TSecr shows the timeout spurious.
	 */
	if (conn->retries > 1)
		conn->cwnd = conn->snd_mss;
}

/*
 * RFC 9293 3.10.7.4 fifth, SYN-RECEIVED: SND.UNA < SEG.ACK <= SND.NXT
 * enters ESTABLISHED with the window of this segment; otherwise
 * <SEQ=SEG.ACK><CTL=RST>.
 */
static bool
ack_syn_received(struct tcp_ctx *c, struct tcp_conn *conn,
		 const struct net_seg *seg)
{
	if (!net_seq_lt(conn->snd_una, seg->ack) ||
	    !net_seq_leq(seg->ack, conn->snd_max)) {
		c->cnt.drop_bad_ack++;
		tcp_send_rst_seg(c, seg);
		return false;
	}
	/* The SYN was no old duplicate: a TIME_WAIT record it ended goes. */
	if (conn->tw_slot != TCP_NONE)
		tcp_tw_unlink(c, conn);
	/* Over its source's limit (tcp_source.c): reset, forgotten. */
	if (c->src != NULL && !tcp_src_take(c, conn)) {
		tcp_send_rst_seg(c, seg);
		tcp_conn_free(c, conn);
		return false;
	}
	tcp_set_state(c, conn, TCP_ESTABLISHED);
	tcp_cc_init(conn);
	if (conn->retries != 0)
		after_synack_timeout(c, conn);
	conn->flags |= TCP_CF_OPENED;
	c->cnt.conn_opened++;
	conn->t_state = 0;
	/*
	 * The reply budget spent on copies of the SYN is the handshake's:
	 * the connection starts its own (Linux keeps the two apart too).
	 */
	conn->oow_last = 0;
	conn->snd_wl1 = seg->seq - 1;
	conn->snd_wl2 = seg->ack;
	return true;
}

/*
 * RFC 5681 2: a duplicate ACK acknowledges nothing new while data is
 * outstanding, carries no data, SYN or FIN, and leaves the window as it
 * was; with SACK (RFC 6675 2), an ACK that carries SACK blocks counts.
 * While the persist timer probes a zero window the only byte out is the
 * probe's (tcp_probe()): the answers refusing it say nothing of loss
 * (RFC 9293 3.8.6.1), and as in BSD, which counts duplicate ACKs only
 * while the retransmission timer runs, they are not duplicate ACKs.
 */
static bool
is_dupack(const struct tcp_conn *conn, const struct net_seg *seg)
{
	if (seg->ack != conn->snd_una || conn->snd_una == conn->snd_max ||
	    seg->len != 0 || (seg->flags & (NET_TCP_SYN | NET_TCP_FIN)) ||
	    conn->persist_shift != 0)
		return false;
	if ((conn->flags & TCP_CF_SACK) && (seg->opts.has & NET_OPT_SACK))
		return true;
	return ((uint32_t)seg->wnd << conn->snd_wscale) == conn->snd_wnd;
}

/*
 * The FIN_WAIT_2 timeout (RFC 9293 3.10.8 leaves it to the
 * implementation; Linux's tcp_fin_timeout): a terminator must not be
 * pinned by a peer that never sends its FIN. Like Linux, it applies once
 * the application has closed both directions. Unlike Linux, whose
 * shut-down-for-writing socket waits for ever, a half-closed connection
 * is always bounded too: by the application's own idle timer when it
 * keeps one (tcp_read_bounded(): the listener's idle_timeout_ms), which
 * closes the reading side when it fires (tcp_close_read(), the timeout
 * then starting); otherwise by this timeout, restarted by the peer's
 * data (tcp_rcv.c).
 */
void
tcp_fin_wait2_arm(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now)
{
	if (conn->state != TCP_FIN_WAIT_2)
		return;
	/* Without a timeout, no send deadline left from FIN_WAIT_1 either. */
	if (c->us.fin_wait2 == 0 || (conn->flags & TCP_CF_APP_IDLE)) {
		conn->t_state = 0;
		return;
	}
	conn->t_state = now + c->us.fin_wait2;
}

/* Our FIN acknowledged: FIN_WAIT_1, CLOSING and LAST_ACK move on. */
static bool
fin_acked(struct tcp_ctx *c, struct tcp_conn *conn, uint64_t now)
{
	switch (conn->state) {
	case TCP_FIN_WAIT_1:
		tcp_set_state(c, conn, TCP_FIN_WAIT_2);
		tcp_fin_wait2_arm(c, conn, now);
		return true;
	case TCP_CLOSING:
		tcp_tw_enter(c, conn, now);
		return false;
	case TCP_LAST_ACK:
		tcp_conn_free(c, conn);
		return false;
	default:
		return true;
	}
}

/*
 * RFC 5961 5.2 in the synchronized states: SEG.ACK beyond SND.MAX draws
 * an ACK (rate-limited), one older than SND.UNA - MAX.SND.WND a challenge
 * ACK; both are dropped.
 */
static bool
ack_in_range(struct tcp_ctx *c, struct tcp_conn *conn,
	     const struct net_seg *seg, uint64_t now)
{
	if (net_seq_gt(seg->ack, conn->snd_max)) {
		c->cnt.drop_bad_ack++;
		tcp_invalid_ack(c, conn, seg, now);
		return false;
	}
	if (net_seq_lt(seg->ack, conn->snd_una - conn->max_snd_wnd)) {
		c->cnt.drop_old_ack++;
		tcp_challenge_ack(c, conn, now);
		return false;
	}
	return true;
}

/*
 * Whether the ACK that acknowledged our FIN leaves loss recovery nothing
 * to do: nothing is sent again after it, so a larger congestion window
 * would have no use, and RACK's log goes back with the send buffer
 * right after (check_ack()), so what RACK would learn is never read.
 * Left to tcp_rec_ack(): a recovery to end, and, when RACK runs, a
 * scoreboard or SACK blocks (a D-SACK counts dsack_rx).
 */
static bool
fin_ack_final(const struct tcp_ctx *c, const struct tcp_conn *conn,
	      const struct net_seg *seg)
{
	return (conn->flags & TCP_CF_FIN_ACKED) &&
		!(conn->rec_flags & (TCP_RF_RECOVERY | TCP_RF_RTO)) &&
		(tcp_rack_log(c, conn) == NULL ||
		 (conn->nsacked == 0 && !(seg->opts.has & NET_OPT_SACK)));
}

/*
 * RFC 9293 3.10.7.4 fifth, check the ACK field, with RFC 5961 5.2: only
 * SND.UNA - MAX.SND.WND <= SEG.ACK <= SND.NXT is acceptable. Returns
 * false when the segment is finished with (dropped or conn freed);
 * *freed is the number of send buffer bytes acknowledged.
 */
static bool
check_ack(struct tcp_ctx *c, struct tcp_conn *conn, const struct net_seg *seg,
	  uint64_t now, bool ts, uint32_t *freed)
{
	bool was_fin_acked = conn->flags & TCP_CF_FIN_ACKED;

	/*
	 * SYN-RECEIVED accepts SND.UNA < SEG.ACK <= SND.NXT only, inside
	 * the range of RFC 5961 5.2 (MAX.SND.WND is then the SYN's window,
	 * under 2^16): the
	 * checks of the synchronized states would find nothing more.
	 */
	if (conn->state == TCP_SYN_RECEIVED) {
		if (!ack_syn_received(c, conn, seg))
			return false;
	} else if (!ack_in_range(c, conn, seg, now)) {
		return false;
	}
	/* The ACK is acceptable: TS.Recent may move. */
	ts_recent_update(conn, seg, now, ts);
	/* The peer answers: the persist timer's probes are not lost. */
	conn->probes = 0;
	if (net_seq_gt(seg->ack, conn->snd_una)) {
		/* Data acknowledged (not our SYN or FIN) grows cwnd. */
		*freed = ack_advance(c, conn, seg, now, ts);
		/* The send buffer goes back when empty, after RACK's look. */
		if (!fin_ack_final(c, conn, seg))
			tcp_rec_ack(c, conn, seg, *freed, now);
		if (conn->sb_len == 0) {
			tcp_sb_put(c, conn);
			tcp_send_unwatch(conn);
		} else {
			tcp_send_watch(c, conn, now);
		}
	} else {
		if (is_dupack(conn, seg))
			tcp_rec_dupack(c, conn, seg, now);
		if (conn->rec_flags & TCP_RF_TLP_SENT)
			tcp_tlp_dupack(conn, seg);
	}
	if (!was_fin_acked && (conn->flags & TCP_CF_FIN_ACKED)) {
		/*
		 * The ACK of our FIN moved SND.UNA (SEG.ACK >= SND.UNA).
		 * CLOSING and LAST-ACK end here, in TIME-WAIT or deleted:
		 * the send window no longer matters to them.
		 */
		if (conn->state != TCP_CLOSING && conn->state != TCP_LAST_ACK)
			window_update(conn, seg);
		return fin_acked(c, conn, now);
	}
	if (net_seq_geq(seg->ack, conn->snd_una))
		window_update(conn, seg);
	return true;
}

/* The steps of RFC 9293 3.10.7.4 up to and including the ACK field. */
static bool
conn_steps(struct tcp_ctx *c, struct tcp_conn *conn, const struct net_seg *seg,
	   uint64_t now)
{
	bool was_syn_rcvd = conn->state == TCP_SYN_RECEIVED;
	/*
	 * RFC 7323 3.2: timestamps are in use when both ends sent them on
	 * the SYN (TCP_CF_TS, fixed for the connection's life) and this
	 * segment carries one; PAWS, TS.Recent and the RTT sample read it.
	 */
	bool ts = (conn->flags & TCP_CF_TS) && (seg->opts.has & NET_OPT_TS);
	uint32_t freed = 0;

	/*
	 * A retransmitted SYN in SYN-RECEIVED: the SYN-ACK was lost. Sent
	 * again at most once per invalid_ratelimit_ms, as Linux's
	 * tcp_check_req(): a stream of copies of the SYN draws no stream of
	 * SYN-ACKs. A SYN+FIN is no copy of a SYN: it is forgotten below.
	 * Karn (RFC 6298 3): the ACK may answer either SYN-ACK, so without
	 * timestamps it gives no RTT sample (Linux: req->num_retrans).
	 */
	if (was_syn_rcvd && (seg->flags & NET_TCP_SYN) &&
	    !(seg->flags & (NET_TCP_ACK | NET_TCP_RST | NET_TCP_FIN)) &&
	    seg->seq == conn->irs) {
		if (tcp_reply_allowed(c, conn, now)) {
			conn->flags &= ~TCP_CF_RTT_TIMING;
			tcp_send_synack(c, conn, now);
		}
		return false;
	}
	/*
	 * RFC 7323 3.2: once timestamps are negotiated, a non-RST segment
	 * without TSopt SHOULD be silently dropped (Linux takes it). A SYN
	 * goes on to RFC 5961 4.2's challenge ACK, which lets a peer that
	 * lost the connection reset it (in SYN-RECEIVED it is dropped at the
	 * fourth check below).
	 */
	if ((conn->flags & TCP_CF_TS) && !ts &&
	    !(seg->flags & (NET_TCP_RST | NET_TCP_SYN))) {
		c->cnt.drop_ts_missing++;
		return false;
	}
	/* First, check sequence number (PAWS first). */
	if (!check_seq(c, conn, seg, now, ts))
		return false;
	/* Second, check the RST bit. */
	if (seg->flags & NET_TCP_RST) {
		check_rst(c, conn, seg, now);
		return false;
	}
	/*
	 * Fourth, check the SYN bit. SYN-RECEIVED (always a passive OPEN
	 * here): "return this connection to the LISTEN state", i.e. forget
	 * it. Synchronized states: RFC 5961 4.2 challenge ACK.
	 */
	if ((seg->flags & NET_TCP_SYN) && was_syn_rcvd) {
		/*
		 * Not for a SYN without TSopt on a timestamp connection (RFC
		 * 7323 3.2's drop): an old duplicate must not forget it.
		 */
		if ((conn->flags & TCP_CF_TS) && !ts) {
			c->cnt.drop_ts_missing++;
			return false;
		}
		c->cnt.drop_syn_recv_syn++;
		tcp_conn_free(c, conn);
		return false;
	}
	if (seg->flags & NET_TCP_SYN) {
		tcp_challenge_ack(c, conn, now);
		return false;
	}
	/* Fifth, check the ACK field: no ACK bit, drop. */
	if (!(seg->flags & NET_TCP_ACK)) {
		c->cnt.drop_no_ack_flag++;
		return false;
	}
	if (!check_ack(c, conn, seg, now, ts, &freed))
		return false;
	if (was_syn_rcvd && !tcp_app_event(c, conn, TCP_APP_OPEN, now))
		return false;
	if (freed > 0 && !tcp_app_event(c, conn, TCP_APP_SENT, now))
		return false;
	return true;
}

/* A segment of an existing connection. */
void
tcp_conn_input(struct tcp_ctx *c, struct tcp_conn *conn,
	       const struct net_seg *seg, uint64_t now)
{
	if (!conn_steps(c, conn, seg, now)) {
		/*
		 * Dropped, or answered already: such a segment releases no
		 * data (after a go-back-N timeout one spoofed segment would
		 * otherwise draw the rest of the window).
		 */
		if ((conn->flags & TCP_CF_USED) &&
		    tcp_after_callback(c, conn, now))
			tcp_conn_arm(c, conn);
		return;
	}
	/* Seventh, process the segment text; eighth, check the FIN bit. */
	if (!tcp_rcv_text(c, conn, seg, now) || !tcp_rcv_fin(c, conn, seg, now))
		return;
	/* Whatever the segment changed, send what may now go. */
	conn->flags |= TCP_CF_NEED_OUTPUT;
	if (tcp_after_callback(c, conn, now))
		tcp_conn_arm(c, conn);
}

/*
 * flowtab_hash() of the segment's key. An IPv4 key is the tuple itself:
 * its two words are taken from the segment and hashed in line, under the
 * table's state copied in c->ft_hk, with no key built and no call.
 */
/*
 * The IPv6 key folds the addresses first: out of line, so that where
 * link-time optimisation inlines the key and the hash into
 * tcp_seg_hash_prefetch() its registers do not cost the IPv4 path a
 * larger frame (two instructions a segment, measured).
 */
static __attribute__((noinline)) uint32_t
seg_hash6(const struct tcp_ctx *c, const struct net_seg *seg)
{
	struct flow_key k;

	tcp_seg_key(c, seg, &k);
	return flowtab_hash(c->ft, &k);
}

uint32_t
tcp_seg_hash(const struct tcp_ctx *c, const struct net_seg *seg)
{
	if (!tcp_seg_v6(seg))
		return flowtab_hash_words(&c->ft_hk,
					  (uint64_t)seg->saddr |
						  (uint64_t)seg->daddr << 32,
					  (uint32_t)seg->sport |
						  (uint32_t)seg->dport << 16);
	return seg_hash6(c, seg);
}

void
tcp_prefetch_flow(const struct tcp_ctx *c, uint32_t hash)
{
	flowtab_prefetch(c->ft, hash);
}

/*
 * Both in one call, the prefetch issued where the hash is made. Called
 * apart, from the RX burst loop, tcp_prefetch_flow() was found to have
 * no effect by link-time optimisation (it returns nothing and writes
 * nothing) and its call was deleted: the burst's lookups went unprefetched.
 * Here the hash returned keeps the call, and the prefetch with it.
 */
uint32_t
tcp_seg_hash_prefetch(const struct tcp_ctx *c, const struct net_seg *seg)
{
	uint32_t hash = tcp_seg_hash(c, seg);

	flowtab_prefetch(c->ft, hash);
	return hash;
}

/*
 * The segment's connection, TIME_WAIT record or listener. The key and
 * hash stay in c->in_* meanwhile, for the table operations on the same
 * tuple (tcp_conn_key_hash()).
 */
static void
input_flow(struct tcp_ctx *c, const struct net_seg *seg, uint64_t now)
{
	const struct tcp_listener *l;
	struct tcp_conn *conn;
	uint32_t val, isn = 0, tw = TCP_NONE;

	if (flowtab_lookup_slot(c->ft, &c->in_key, c->in_hash, &val,
				&c->in_slot) == 0) {
		if (!(val & TCP_FT_TW)) {
			if (val >= c->p.max_connections)
				return;
			conn = &c->conns[val];
			if (!tcp_conn_is(c, conn, seg)) {
				c->cnt.flow_key_clash++;
				return;
			}
			c->in_conn = val;
			c->in_gen = conn->gen;
			tcp_conn_input(c, conn, seg, now);
			return;
		}
		/*
		 * A SYN that may reopen the record (or the ACK of the cookie
		 * one drew) starts over here; the record stays until a
		 * connection takes its entry (tcp_tw_reopen()).
		 */
		if (tcp_tw_input(c, val, seg, now, &isn) != TCP_TW_SYN)
			return;
		tw = val;
	}
	l = tcp_listener_find(c, seg->dport, tcp_seg_v6(seg));
	if (l != NULL && c->drain)
		tcp_drain_refuse(c, seg);
	else if (l != NULL)
		tcp_listen_input(c, l, seg, now, isn, tw);
	else
		closed_input(c, seg);
}

void
tcp_input_hash(struct tcp_ctx *c, const struct net_seg *seg, uint32_t hash,
	       uint64_t now)
{
	c->cnt.seg_in++;
	if (tcp_seg_v6(seg) && !c->p.ipv6) {
		c->cnt.drop_family++;
		return;
	}
	tcp_seg_key(c, seg, &c->in_key);
	c->in_hash = hash;
	c->in_conn = TCP_NONE;
	c->in_seg = seg;
	input_flow(c, seg, now);
	c->in_seg = NULL;
}

void
tcp_input(struct tcp_ctx *c, const struct net_seg *seg, uint64_t now)
{
	tcp_input_hash(c, seg, tcp_seg_hash(c, seg), now);
}
