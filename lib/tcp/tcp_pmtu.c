/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Path MTU discovery from ICMP (RFC 1191, RFC 8201), hardened against
 * forged messages as RFC 5927 4.1 and 5.2 ask and Linux does: a message
 * acts only on a connection of its quoted 4-tuple that is past the
 * handshake, only for a sequence number in flight, and only to lower the
 * send MSS, never below a floor (an IPv4 path below it gets segments
 * without DF instead). The MTU is never raised again (no RFC 1191 6.3 /
 * RFC 8201 4 increase probing).
 */
#include "tcp.h"
#include "tcp_internal.h"

/*
 * The lowest IPv4 path MTU the MSS is sized for: Linux's
 * net.ipv4.route.min_pmtu (RFC 1191 3 would allow 68, an MSS of 28 that
 * a forged message could force on every connection). Over IPv6 a Packet
 * Too Big below the minimum link MTU is discarded (RFC 8201 4), as
 * Linux's tcp_v6_err() does.
 */
#define PMTU_FLOOR4 552u

/* RFC 5927 4.1: past the handshake, and not in TIME_WAIT. */
static bool
pmtu_state_ok(const struct tcp_conn *conn)
{
	switch (conn->state) {
	case TCP_ESTABLISHED:
	case TCP_FIN_WAIT_1:
	case TCP_FIN_WAIT_2:
	case TCP_CLOSING:
	case TCP_CLOSE_WAIT:
	case TCP_LAST_ACK:
		return true;
	default:
		return false;
	}
}

/* The connection of the quoted 4-tuple, or NULL with the reason in *v. */
static struct tcp_conn *
pmtu_conn(struct tcp_ctx *c, const struct net_seg *q, enum tcp_pmtu_verdict *v)
{
	struct tcp_conn *conn;
	struct flow_key k;
	uint32_t val;

	*v = TCP_PMTU_NO_CONN;
	if (tcp_seg_v6(q) && !c->p.ipv6)
		return NULL;
	tcp_seg_key(c, q, &k);
	if (flowtab_lookup(c->ft, &k, tcp_seg_hash(c, q), &val) != 0)
		return NULL;
	if (val & TCP_FT_TW) {
		*v = TCP_PMTU_STATE;
		return NULL;
	}
	if (val >= c->p.max_connections)
		return NULL;
	conn = &c->conns[val];
	if (!tcp_conn_is(c, conn, q))
		return NULL;
	if (!pmtu_state_ok(conn)) {
		*v = TCP_PMTU_STATE;
		return NULL;
	}
	return conn;
}

/*
 * The send MSS for a path MTU: the MTU less the fixed headers, and less
 * the timestamps option when it is on every segment (as the MSS taken
 * from the SYN is, tcp_listen.c).
 */
static uint32_t
pmtu_mss(const struct tcp_conn *conn, uint32_t mtu)
{
	bool v6 = conn->flags & TCP_CF_V6;
	uint32_t mss;

	if (!v6 && mtu < PMTU_FLOOR4)
		mtu = PMTU_FLOOR4;
	/* An MTU beyond 16 bits lowers nothing: keep it in range. */
	if (mtu > 0xffff)
		mtu = 0xffff;
	mss = v6 ? net_tcp_mss6(mtu) : net_tcp_mss4(mtu);
	if (conn->flags & TCP_CF_TS)
		mss -= TCP_TS_OPT_LEN;
	return mss;
}

/*
 * Resends a flight, at most (TCP_RF_PMTU / TCP_RF_PMTU_ONE: 3). Each
 * message that lowers the MSS says the segments sent before it at the
 * larger size die at a hop, a previous resend's included: over a path
 * of narrowing hops (1500 -> 1400 -> 1300) the first hop's message
 * resends the flight, which dies at the second, whose message must
 * resend it again, or the timeout would, cutting the window for a loss
 * that was not congestion. Three resends take a flight past three
 * narrower hops (RFC 1191 7 has two plateaus between Ethernet's 1500
 * and the floor, 1492 and 1006, and the floor is the third); without a
 * cap, forged MTUs stepping down a byte at a time from 1499 to 552
 * would send a flight 948 times. Over the cap, until the SND.MAX of the
 * first resend is acknowledged, a lower MTU only lowers the MSS
 * (counted), and what is lost goes with the ACK clock or the timeout.
 * Clearing DF (once a connection) resends anyway: nothing sent with DF
 * would pass. The flight's end is RFC 6582's recover, which only a
 * recovery or a timeout reads: they set it when they begin, and during
 * one it is kept (a SND.MAX of theirs); they clear the count, and so
 * does the ACK of recover (tcp_rec_ack()).
 */
static bool
pmtu_resend_held(struct tcp_ctx *c, struct tcp_conn *conn, bool df_cleared)
{
	uint8_t n = conn->rec_flags & TCP_RF_PMTU;

	/* The flight of the last resend is acknowledged: a new one. */
	if (!tcp_pmtu_flight_open(conn))
		n = 0;
	if (n == TCP_RF_PMTU && !df_cleared) {
		c->cnt.pmtu_resend_held++;
		return true;
	}
	if (n == 0 && !(conn->rec_flags & (TCP_RF_RECOVERY | TCP_RF_RTO)))
		conn->recover = conn->snd_max;
	if (n != TCP_RF_PMTU)
		n += TCP_RF_PMTU_ONE;
	conn->rec_flags = (uint8_t)((conn->rec_flags & ~TCP_RF_PMTU) | n);
	return false;
}

/*
 * RFC 1191 6 and RFC 8201 5.4: the segments in flight were too big and
 * are lost, not dropped by congestion: send them again from SND.UNA at
 * the new size at once, cwnd and ssthresh left as they are (Linux's
 * tcp_simple_retransmit()). The resend is the go-back-N of a timeout
 * (tcp_timer.c) without its window cut; what the peer SACKed is skipped.
 */
static void
pmtu_resend(struct tcp_ctx *c, struct tcp_conn *conn, bool df_cleared,
	    uint64_t now)
{
	if (pmtu_resend_held(c, conn, df_cleared))
		return;
	conn->snd_nxt = conn->snd_una;
	if (!(conn->flags & TCP_CF_FIN_ACKED))
		conn->flags &= ~TCP_CF_FIN_SENT;
	conn->flags &= ~TCP_CF_RTT_TIMING;
	/*
	 * The flight goes again now: its timer starts again, as Linux's
	 * tcp_xmit_retransmit_queue() re-arms it when it resends the
	 * head, or a message late in the timeout would be followed at
	 * once by a timeout cutting the window and sending it all once
	 * more. tcp_output() starts the timer when none runs (RFC 6298
	 * 5.1), a probe's or RACK's included, and tcp_rexmit_set() sets
	 * which it is; if nothing goes (a zero window), the persist timer
	 * it starts probes the window.
	 */
	conn->t_rexmit = 0;
	/*
	 * As much as the output queue holds: a flight of small segments
	 * may not fit (64 KB at 512 bytes), and a full queue is no drop
	 * here; the rest goes on with the ACK clock or the timeout.
	 */
	tcp_output(c, conn, now, TCP_OUTQ_SIZE - c->outq.n);
	/* A queue with no room sent nothing: the flight still needs one. */
	if (conn->t_rexmit == 0 && conn->t_persist == 0)
		tcp_rexmit_set(c, conn, now);
	tcp_conn_arm(c, conn);
}

/*
 * An IPv4 path MTU below the floor is not always forged: RFC 1191 7 has
 * plateaus of 508 and 296, and segments sized for 552 would never pass
 * such a path with DF. As Linux does on a route whose MTU it raised to
 * min_pmtu (a locked MTU, ip_dont_fragment()), the connection's segments
 * go without DF from then on, for routers to fragment. Their IP IDs come
 * from a counter of the peer's address (tcp_frag_id_next()), picked by a
 * keyed hash of the address and started at a random value, which an
 * off-path sender cannot predict. q is the quoted segment, turned around:
 * q->saddr is the peer's. Returns whether DF was cleared now.
 */
static bool
pmtu_clear_df(struct tcp_ctx *c, struct tcp_conn *conn, const struct net_seg *q)
{
	uint64_t h;

	if (conn->ip_id_bucket != 0)
		return false;
	h = tcp_siphash(c->p.isn_secret, (const uint8_t *)&q->saddr,
			sizeof(q->saddr));
	conn->ip_id_bucket = (uint16_t)(h % TCP_IP_ID_BUCKETS + 1);
	c->cnt.pmtu_df_cleared++;
	return true;
}

enum tcp_pmtu_verdict
tcp_pmtu_input(struct tcp_ctx *c, const struct net_seg *q, uint32_t mtu,
	       uint64_t now)
{
	enum tcp_pmtu_verdict v;
	struct tcp_conn *conn = pmtu_conn(c, q, &v);
	bool v6, below, lower, df_cleared = false;
	uint32_t mss;

	if (conn == NULL) {
		if (v == TCP_PMTU_STATE)
			c->cnt.pmtu_state_drop++;
		else
			c->cnt.pmtu_no_conn_drop++;
		return v;
	}
	/* RFC 5927 5.2: the quoted segment must be one in flight. */
	if (!net_seq_in(q->seq, conn->snd_una, conn->snd_max)) {
		c->cnt.pmtu_seq_drop++;
		return TCP_PMTU_SEQ;
	}
	v6 = conn->flags & TCP_CF_V6;
	/* RFC 8201 4: below the IPv6 minimum link MTU, discarded. */
	if (v6 && mtu < NET_IPV6_MIN_MTU) {
		c->cnt.pmtu_v6_below_min_drop++;
		return TCP_PMTU_BELOW_MIN;
	}
	below = !v6 && mtu < PMTU_FLOOR4;
	mss = pmtu_mss(conn, mtu);
	lower = mss < conn->snd_mss;
	/* Nothing lower, and DF already clear or not to be cleared. */
	if (!lower && !(below && conn->ip_id_bucket == 0)) {
		c->cnt.pmtu_not_lower_drop++;
		return TCP_PMTU_NOT_LOWER;
	}
	if (below) {
		c->cnt.pmtu_floor++;
		df_cleared = pmtu_clear_df(c, conn, q);
	}
	if (lower) {
		conn->snd_mss = (uint16_t)mss;
		c->cnt.pmtu_lowered++;
	}
	pmtu_resend(c, conn, df_cleared, now);
	return TCP_PMTU_LOWERED;
}
