/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * SYN cookies (RFC 4987 3.6): when SYN_RECEIVED is at its budget (or
 * always, by configuration), a SYN is answered statelessly and the
 * connection is created only when the peer's ACK returns the cookie.
 *
 * The cookie is our ISN:
 *
 *   bits 31..27  time counter (64 s periods, modulo 32)   \  XORed with
 *   bits 26..24  MSS index in cookie_mss[]                 /  H1(tuple)
 *   bits 23..0   H2(tuple, peer ISN, whole counter, MSS index)
 *
 * H1 and H2 are SipHash-2-4 keyed with the per-boot secret (tcp_isn.c),
 * so the ISN reveals nothing and a blind attacker must guess 24 bits of
 * MAC per try. A cookie is valid for the period it was made in and the
 * next (64 to 128 s), as in Linux and FreeBSD. The MAC covers the whole
 * counter, as Linux's does, not the 5 bits the cookie carries: those
 * come round every 32 periods, and a cookie would be good again then.
 *
 * When the SYN carries timestamps, the peer's window scale and SACK-
 * permitted ride in the low 5 bits of our TSval (the peer echoes them in
 * TSecr), as Linux does; without timestamps the SYN-ACK offers neither,
 * so both sides agree on no scaling and no SACK.
 *
 * IPv6 cookies are the same, over the 128-bit addresses (tcp_isn.c),
 * with a table of MSS values of IPv6 links (MTU - 60).
 */
#include "tcp_internal.h"

#define COOKIE_PERIOD_SEC 64
#define COOKIE_MAX_AGE 1 /* periods */
#define COOKIE_MAC_BITS 24
#define COOKIE_MAC_MASK ((1u << COOKIE_MAC_BITS) - 1)
#define COOKIE_TS_BITS 5
#define COOKIE_TS_MASK ((1u << COOKIE_TS_BITS) - 1)
#define COOKIE_TS_NO_WS 0x0f
#define COOKIE_TS_SACK 0x10

/*
 * The MSS values a cookie can carry, per family. A cookie connection
 * never sends more than the peer's MSS (RFC 9293 3.7.1, MUST-16), so
 * each table starts at TCP's floor (TCP_MIN_MSS, what a stateful
 * connection raises a smaller MSS to): a peer announcing less than the
 * family's default MSS gets segments of the floor, not of the default.
 * Then the default MSS (tcp_mss_default()) and up. IPv6: the minimum
 * MTU 1280, tunnels (6in4 1480, 1400), PPPoE 1492, Ethernet 1500 and
 * 9000-byte jumbo frames, each minus 60.
 */
static const uint16_t cookie_mss4[8] = {
	TCP_MIN_MSS, 536, 1200, 1360, 1400, 1440, 1460, 8960,
};
static const uint16_t cookie_mss6[8] = {
	TCP_MIN_MSS, 1220, 1340, 1380, 1420, 1432, 1440, 8940,
};

static const uint16_t *
cookie_mss(const struct net_seg *seg)
{
	return tcp_seg_v6(seg) ? cookie_mss6 : cookie_mss4;
}

static uint32_t
cookie_counter(uint64_t now)
{
	return tcp_sec(now) / COOKIE_PERIOD_SEC;
}

static uint32_t
cookie_mac(const struct tcp_ctx *c, const struct net_seg *seg, uint32_t irs,
	   uint32_t count, uint32_t mss_idx)
{
	struct tcp_ends e;

	tcp_seg_ends(seg, &e);
	return tcp_cookie_hash(c, &e, irs, (count << 3) | mss_idx) &
		COOKIE_MAC_MASK;
}

static uint32_t
cookie_top_mask(const struct tcp_ctx *c, const struct net_seg *seg)
{
	struct tcp_ends e;

	tcp_seg_ends(seg, &e);
	return tcp_cookie_hash(c, &e, 0, 0xffffffffu) & ~COOKIE_MAC_MASK;
}

/* The largest MSS of the table the peer can take. */
static uint32_t
cookie_mss_index(const struct tcp_ctx *c, const struct net_seg *seg)
{
	const uint16_t *tab = cookie_mss(seg);
	bool v6 = tcp_seg_v6(seg);
	uint32_t mss = tcp_mss_default(v6), i;

	if ((seg->opts.has & NET_OPT_MSS) && seg->opts.mss != 0)
		mss = seg->opts.mss;
	if (mss > tcp_mss_ours(c, v6))
		mss = tcp_mss_ours(c, v6);
	for (i = 7; i > 0; i--)
		if (tab[i] <= mss)
			break;
	return i;
}

static bool
cookie_ts(const struct tcp_ctx *c, const struct net_seg *seg)
{
	return c->p.timestamps && (seg->opts.has & NET_OPT_TS);
}

/*
 * Our TSval with the SYN's options in its low bits, never ahead of the
 * clock the connection will use (so our TSvals stay monotonic), and
 * never 0: the ACK's TSecr of 0 reads as no echo (tcp_cookie_check()),
 * and the window scale both SYNs agreed on would be lost.
 */
static uint32_t
cookie_tsval(struct tcp_ctx *c, const struct net_seg *seg, uint64_t now)
{
	uint32_t bits = COOKIE_TS_NO_WS, v, ts;
	struct tcp_ends e;

	tcp_seg_ends(seg, &e);
	ts = tcp_ms(now) + tcp_ts_offset(c, &e);
	if (seg->opts.has & NET_OPT_WSCALE)
		bits = tcp_peer_wscale(c, &seg->opts);
	if (c->p.sack && (seg->opts.has & NET_OPT_SACK_OK))
		bits |= COOKIE_TS_SACK;
	v = (ts & ~COOKIE_TS_MASK) | bits;
	if ((int32_t)(v - ts) > 0 || v == 0)
		v -= COOKIE_TS_MASK + 1;
	return v;
}

/* RFC 4987 3.6: the SYN-ACK of a SYN we keep no state for. */
void
tcp_cookie_synack(struct tcp_ctx *c, const struct net_seg *seg, uint64_t now)
{
	uint32_t count = cookie_counter(now), idx, wnd;
	struct tcp_out *o;

	o = tcp_out_reply(c, seg);
	if (o == NULL)
		return;
	idx = cookie_mss_index(c, seg);
	o->seq = (((((count & 0x1f) << 3) | idx) << COOKIE_MAC_BITS) ^
		  cookie_top_mask(c, seg)) |
		cookie_mac(c, seg, seg->seq, count, idx);
	o->ack = seg->seq + 1;
	o->flags = NET_TCP_SYN | NET_TCP_ACK;
	wnd = c->p.rcv_wnd;
	o->wnd = (uint16_t)(wnd > 65535 ? 65535 : wnd);
	o->opts.has = NET_OPT_MSS;
	o->opts.mss = tcp_mss_ours(c, tcp_seg_v6(seg));
	if (cookie_ts(c, seg)) {
		o->opts.has |= NET_OPT_TS;
		o->opts.tsval = cookie_tsval(c, seg, now);
		o->opts.tsecr = seg->opts.tsval;
		if (seg->opts.has & NET_OPT_WSCALE) {
			o->opts.has |= NET_OPT_WSCALE;
			o->opts.wscale = c->p.wscale;
		}
		if (c->p.sack && (seg->opts.has & NET_OPT_SACK_OK))
			o->opts.has |= NET_OPT_SACK_OK;
	}
	c->cookie_sent_at = now ? now : 1;
	c->cnt.syncookies_sent++;
}

/*
 * Whether an ACK for a listener may carry a cookie: cookies are in use
 * and one was sent in the last two periods. Otherwise a bare ACK is not
 * worth two hashes (and gives a blind attacker no oracle).
 */
bool
tcp_cookie_expected(const struct tcp_ctx *c, uint64_t now)
{
	if (c->p.syncookies == TCP_SYNCOOKIES_OFF)
		return false;
	if (c->p.syncookies == TCP_SYNCOOKIES_ALWAYS)
		return true;
	return c->cookie_sent_at != 0 &&
		now - c->cookie_sent_at <
		(uint64_t)COOKIE_PERIOD_SEC * (COOKIE_MAX_AGE + 1) * 1000000;
}

/*
 * Whether the ACK returns a cookie of ours (SEG.ACK - 1, for the peer ISN
 * SEG.SEQ - 1) young enough; its MSS index in *idx. The counter the
 * cookie was made with is the current one less the age its 5 bits give.
 */
static bool
cookie_valid(const struct tcp_ctx *c, const struct net_seg *seg, uint64_t now,
	     uint32_t *idx)
{
	uint32_t cookie = seg->ack - 1, irs = seg->seq - 1, top, age;
	uint32_t count = cookie_counter(now);

	top = (cookie ^ cookie_top_mask(c, seg)) >> COOKIE_MAC_BITS;
	age = (count - (top >> 3)) & 0x1f;
	*idx = top & 7;
	return age <= COOKIE_MAX_AGE &&
		(cookie & COOKIE_MAC_MASK) ==
		cookie_mac(c, seg, irs, count - age, *idx);
}

/*
 * tcp_cookie_expected() and cookie_valid(), uncounted: for a TIME_WAIT
 * record asked whether an ACK it would refuse completes the handshake of
 * a SYN that drew a cookie on its tuple (tcp_tw.c).
 */
bool
tcp_cookie_returned(const struct tcp_ctx *c, const struct net_seg *seg,
		    uint64_t now)
{
	uint32_t idx;

	return tcp_cookie_expected(c, now) && cookie_valid(c, seg, now, &idx);
}

/*
 * Validate the cookie an ACK returns and recover what the SYN
 * negotiated. Counts the outcome.
 */
bool
tcp_cookie_check(struct tcp_ctx *c, const struct net_seg *seg, uint64_t now,
		 struct tcp_cookie *ck)
{
	uint32_t idx, bits;

	if (!cookie_valid(c, seg, now, &idx)) {
		c->cnt.syncookies_failed++;
		return false;
	}
	ck->mss = cookie_mss(seg)[idx];
	ck->ts = cookie_ts(c, seg) && seg->opts.tsecr != 0;
	ck->wscale = -1;
	ck->sack = false;
	if (ck->ts) {
		bits = seg->opts.tsecr & COOKIE_TS_MASK;
		if ((bits & COOKIE_TS_NO_WS) != COOKIE_TS_NO_WS)
			ck->wscale = (int)(bits & COOKIE_TS_NO_WS);
		ck->sack = c->p.sack && (bits & COOKIE_TS_SACK);
	}
	c->cnt.syncookies_ok++;
	return true;
}
