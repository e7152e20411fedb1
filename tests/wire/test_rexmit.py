# SPDX-License-Identifier: BSD-3-Clause
"""Retransmission timer cases (RFC 6298, RFC 1122 4.2.3.1). The tail
loss probe (RFC 8985) is off here, so that the first resend of a
segment is its retransmission timeout.

Times: a received segment has the time the peer's kernel received it
(SO_TIMESTAMPNS), a sent one the time just before it went. A lower
bound is measured from the peer's own segment that set the server's
timer going, which always precedes the server's reaction; upper bounds
leave room for a loaded machine, where the server's timers may fire
late."""

import time

from peer import seq_add
from steps import (REQUEST, check, delta, established, stats,
                   tcp_overrides)

TCP_OVERRIDES = {"tail_loss_probe": "false"}


def _first_data(c, timeout=1.0):
    """The next segment carrying data (ACKs without data skipped)."""
    end = time.monotonic() + timeout
    while True:
        s = c.recv(max(end - time.monotonic(), 0))
        check(s is not None, "%s: no data within %.1fs" % (c, timeout))
        if s.data:
            return s


def _resend(c, seg, timeout):
    """The first segment again at seg's sequence number, or None."""
    end = time.monotonic() + timeout
    while True:
        s = c.recv(max(end - time.monotonic(), 0))
        if s is None or (s.data and s.seq == seg.seq):
            return s


def test_rto_kept_after_backoff(p):
    """RFC 6298 5.5 and Karn's algorithm (RFC 1122 4.2.3.1 MUST, RFC 6298
    3 and 5): a timeout doubles the RTO, and the doubled RTO stays until
    a new RTT sample computes it again; without timestamps the ACK of a
    retransmitted segment gives none. An echo resent once, then
    acknowledged: the next echo, left unacknowledged, is resent after
    twice the RTO of the first (rto_min after the handshake's RTT
    sample), not after the same RTO again."""
    c = established(p, "echo")
    t1 = c.send("PA", data=b"a" * 10)
    e1 = _first_data(c)
    r1 = _resend(c, e1, 1.0)
    check(r1 is not None, "%s: first echo never resent" % c)
    c.rcv_nxt = seq_add(e1.seq, len(e1.data))
    c.send("A")
    c.drain(0.05)
    t2 = c.send("PA", data=b"b" * 10)
    e2 = _first_data(c)
    r2 = _resend(c, e2, 2.0)
    check(r2 is not None, "%s: second echo never resent" % c)
    first, second = r1.t - t1, r2.t - t2
    rto_min = p.t.params["rto_min_ms"] / 1000.0
    p.note("first echo resent %.0f ms after its request, second (after an "
           "ACK of a resend) %.0f ms after its" % (first * 1000,
                                                   second * 1000))
    check(first >= rto_min * 0.9 and r1.t - e1.t < rto_min * 4,
          "%s: first echo resent after %.0f ms, want rto_min (%.0f ms)"
          % (c, (r1.t - e1.t) * 1000, rto_min * 1000))
    check(second >= rto_min * 1.6 and r2.t - e2.t < rto_min * 6,
          "%s: RTO %.0f ms after the ACK of a resent segment, want twice "
          "rto_min (backed off, Karn)" % (c, (r2.t - e2.t) * 1000))


def test_rto_3s_after_synack_timeout(p):
    """RFC 6298 5.7: "If the timer expires awaiting the ACK of a SYN
    segment and the TCP implementation is using an RTO less than 3
    seconds, the RTO MUST be re-initialized to 3 seconds when data
    transmission begins." The first SYN-ACK goes unanswered; the
    handshake completes on its retransmission, without timestamps (no
    RTT sample): the first echo, unacknowledged, is resent 3 s later."""
    c = p.conn(p.t.ports["echo"])
    c.send("S", ack=0)
    sa = c.expect(flags="SA", ack=c.snd_nxt, what="SYN-ACK")
    c.irs = sa.seq
    c.expect(flags="SA", seq=sa.seq, ack=c.snd_nxt, timeout=1.0,
             consume=False, what="SYN-ACK retransmitted")
    c.send("A")
    t0 = c.send("PA", data=b"c" * 10)
    e = _first_data(c)
    r = _resend(c, e, 4.5)
    check(r is not None, "%s: echo not resent within 4.5 s" % c)
    rto = r.t - e.t
    p.note("first RTO after a SYN-ACK timeout: %.0f ms" % (rto * 1000))
    check(r.t - t0 >= 2.9 and rto <= 3.8, "%s: first RTO %.0f ms after a "
          "SYN-ACK timeout, want 3 s" % (c, rto * 1000))


def _echo_flight(c, n):
    """n full segments to echo; returns the echo's data segments (not
    acknowledged), in order of arrival."""
    for i in range(n):
        c.send("PA", data=b"f" * 1460)
    return [s for s in c.drain(0.05) if s.data]


def test_sack_fast_retransmit(p):
    """RFC 6675 / RFC 8985 with SACK: the first segment of a flight is
    lost, the peer SACKs the rest in three duplicate ACKs: the first
    segment goes again at once, long before the RTO, and only it."""
    c = p.conn(p.t.ports["echo"])
    c.sack = True
    c.srv_nxt = seq_add(c.connect().seq, 1)
    start = c.rcv_nxt
    flight = _echo_flight(c, 6)
    check(len(flight) >= 4, "%s: echo flight %r" % (c, flight))
    before = stats(p)
    t0 = None
    for seg in flight[1:4]:
        end = seq_add(seg.seq, len(seg.data))
        t0 = c.send("A", ack=start, advance=False,
                    opts=[("SAck", (flight[1].seq, end))])
    got = [s for s in c.drain(0.06) if s.data]
    rto_min = p.t.params["rto_min_ms"] / 1000.0
    p.note("after three SACKing duplicate ACKs: %s" % [
        ((s.seq - start) & 0xffffffff, len(s.data),
         round((s.t - t0) * 1000)) for s in got])
    check(got and got[0].seq == start and got[0].t - t0 < rto_min * 0.6,
          "%s: the lost first segment was not resent at once: %r"
          % (c, got))
    sacked = (seq_add(flight[3].seq, len(flight[3].data)) -
              flight[1].seq) & 0xffffffff
    again = [s for s in got
             if (s.seq - flight[1].seq) & 0xffffffff < sacked]
    check(not again, "%s: SACKed data sent again: %r" % (c, again))
    fr = delta(p, before, "fast_recovery")
    check(fr in (None, 1), "%s: fast_recovery rose by %s" % (c, fr))


@tcp_overrides(tail_loss_probe="false", rto_min_ms=1000,
               rto_initial_ms=1000)
def test_window_update_acks_not_dupacks(p):
    """RFC 5681 2 (and 3.2): an ACK that changes the advertised window is
    not a duplicate ACK. Without SACK, the first segment of a flight
    lost and three ACKs of SND.UNA each with another window: no fast
    retransmit; the segment goes again at the RTO (1 s here, so that a
    fast retransmission, right after the ACKs, cannot pass for it even
    when they go late)."""
    c = p.conn(p.t.ports["echo"])
    c.srv_nxt = seq_add(c.connect().seq, 1)
    start = c.rcv_nxt
    t0 = time.monotonic()
    flight = _echo_flight(c, 6)
    check(len(flight) >= 4, "%s: echo flight %r" % (c, flight))
    before = stats(p)
    for w in (65000, 64000, 63000):
        c.send("A", ack=start, advance=False, win=w)
    r = _resend(c, flight[0], 3.0)
    check(r is not None, "%s: first segment never resent" % c)
    rto = r.t - t0
    p.note("three window updates at SND.UNA: first segment resent "
           "%.0f ms after the flight's first request" % (rto * 1000))
    check(rto >= 0.9, "%s: resent after %.0f ms: window updates taken as "
          "duplicate ACKs" % (c, rto * 1000))
    fr = delta(p, before, "fast_recovery")
    check(fr in (None, 0), "%s: fast_recovery rose by %s" % (c, fr))


def test_data_and_fin_resent_together(p):
    """RFC 6298 5.4 with RFC 9293 3.10.4: a response whose last data and
    FIN went in one segment, unacknowledged: the timeout resends them
    together, same bytes, FIN set."""
    c = established(p, "http")
    c.send("PA", data=REQUEST)
    segs = []
    while not segs or not segs[-1].has("F"):
        s = c.recv(1.0)
        check(s is not None, "%s: no FIN from http" % c)
        if s.data or s.has("F"):
            segs.append(s)
    last = segs[-1]
    check(len(segs) == 1 and last.data, "%s: response not in one "
          "segment with the FIN: %r" % (c, segs))
    r = c.recv(1.0)
    check(r is not None, "%s: nothing resent" % c)
    p.note("resend %r after %.0f ms" % (r, (r.t - last.t) * 1000))
    check(r.seq == last.seq and r.has("F") and r.data == last.data,
          "%s: resend %r, want the data and the FIN of %r" % (c, r, last))


@tcp_overrides(delayed_ack_ms=200)
def test_delayed_ack_timer(p):
    """RFC 9293 3.8.6.3 (MUST-40: the delay MUST be less than 0.5 s) and
    RFC 1122 4.2.3.2: a lone small segment is acknowledged by the
    delayed ACK timer, delayed_ack_ms (200 here, for a margin under
    load below the 500 ms limit) later."""
    c = established(p, "discard")
    t0 = c.send("PA", data=b"x" * 10)
    a = c.expect("A", ack=c.snd_nxt, timeout=1.0, what="delayed ACK")
    d = a.t - t0
    p.note("delayed ACK after %.0f ms" % (d * 1000))
    check(0.18 <= d < 0.5, "%s: delayed ACK after %.0f ms, want 200 ms "
          "(under 500)" % (c, d * 1000))


@tcp_overrides(delayed_ack_ms=400)
def test_gap_acked_at_once(p):
    """RFC 5681 4.2: out-of-order data draws an immediate duplicate ACK,
    and the segment that fills the gap an immediate ACK of all, whatever
    the delayed ACK timer (400 ms here)."""
    c = established(p, "discard")
    hole = c.snd_nxt
    t0 = c.send("PA", seq=seq_add(hole, 10), data=b"y" * 10,
                advance=False)
    a = c.expect("A", ack=hole, timeout=1.0, what="duplicate ACK")
    d1 = a.t - t0
    t1 = c.send("PA", data=b"z" * 10)
    b = c.expect("A", ack=seq_add(hole, 20), timeout=1.0,
                 what="ACK of the filled gap")
    d2 = b.t - t1
    p.note("duplicate ACK after %.0f ms, ACK of the filled gap after "
           "%.0f ms" % (d1 * 1000, d2 * 1000))
    check(d1 < 0.2 and d2 < 0.2, "%s: ACKs delayed (%.0f, %.0f ms), want "
          "at once" % (c, d1 * 1000, d2 * 1000))


def test_rto_from_rtt_samples(p):
    """RFC 6298 2.2-2.3: the RTO follows the measured RTT, RTO = SRTT +
    max(G, 4 * RTTVAR), above rto_min when the path is slower than it
    and jittery. Three echoes acknowledged 70 ms after they went (no
    timestamps: one timed segment each), then one left unacknowledged:
    after samples of 70 ms SRTT is 70 ms and RTTVAR about 20 ms, so the
    timeout comes after about 150 ms, not rto_min (100 ms). A slower
    sample (a loaded machine) only raises it."""
    c = established(p, "echo")
    for i in range(3):
        c.send("PA", data=b"r" * 10)
        e = _first_data(c)
        time.sleep(max(e.t + 0.07 - time.monotonic(), 0))
        c.rcv_nxt = seq_add(e.seq, len(e.data))
        c.send("A")
        c.drain(0.05)
    t0 = c.send("PA", data=b"q" * 10)
    e = _first_data(c)
    r = _resend(c, e, 2.0)
    check(r is not None, "%s: echo not resent within 2 s" % c)
    rto = r.t - e.t
    p.note("RTO after three RTT samples of 70 ms: %.0f ms" % (rto * 1000))
    check(r.t - t0 >= 0.13 and rto <= 0.45, "%s: RTO %.0f ms after "
          "samples of 70 ms, want SRTT + 4 RTTVAR (about 150 ms)"
          % (c, rto * 1000))


def test_lost_fast_retransmit_then_rto(p):
    """RFC 6675 5.1 / RFC 6298 5.4: the fast retransmission of a SACKed
    flight's first segment is lost too; the peer says nothing more. The
    retransmission timer resends it again, no sooner than the RTO after
    the fast retransmission, then backs off."""
    c = p.conn(p.t.ports["echo"])
    c.sack = True
    c.srv_nxt = seq_add(c.connect().seq, 1)
    start = c.rcv_nxt
    flight = _echo_flight(c, 6)
    check(len(flight) >= 4, "%s: echo flight %r" % (c, flight))
    for seg in flight[1:4]:
        end = seq_add(seg.seq, len(seg.data))
        t3 = c.send("A", ack=start, advance=False,
                    opts=[("SAck", (flight[1].seq, end))])
    fr = _resend(c, flight[0], 0.06)
    check(fr is not None, "%s: no fast retransmission" % c)
    r1 = _resend(c, flight[0], 2.0)
    r2 = _resend(c, flight[0], 2.0)
    check(r1 is not None and r2 is not None, "%s: lost fast retransmission "
          "not resent twice" % c)
    a, b = r1.t - fr.t, r2.t - r1.t
    rto_min = p.t.params["rto_min_ms"] / 1000.0
    p.note("fast retransmission lost: resent %.0f ms after it, again %.0f "
           "ms later" % (a * 1000, b * 1000))
    check(r1.t - t3 >= rto_min * 0.9 and a < rto_min * 4 and
          rto_min * 1.5 <= b < rto_min * 6, "%s: resends %.0f, %.0f ms "
          "after a lost fast retransmission, want the RTO (rto_min), then "
          "twice it" % (c, a * 1000, b * 1000))


def test_newreno_partial_ack_resends_next(p):
    """RFC 6582 3.2 step 5, a peer without SACK: the first and third
    segments of a flight are lost. Three duplicate ACKs draw the first
    again; its ACK, which stops at the third (a partial ACK), draws the
    third at once, without waiting for the RTO."""
    c = p.conn(p.t.ports["echo"])
    c.srv_nxt = seq_add(c.connect().seq, 1)
    start = c.rcv_nxt
    flight = _echo_flight(c, 6)
    check(len(flight) >= 5, "%s: echo flight %r" % (c, flight))
    for k in range(3):
        c.send("A", ack=start, advance=False)
    fr = _resend(c, flight[0], 0.06)
    check(fr is not None, "%s: no fast retransmission" % c)
    t0 = c.send("A", ack=flight[2].seq, advance=False)
    r = _resend(c, flight[2], 1.0)
    check(r is not None, "%s: third segment never resent" % c)
    d = r.t - t0
    p.note("partial ACK: third segment resent after %.0f ms" % (d * 1000))
    check(d < p.t.params["rto_min_ms"] / 1000.0 * 0.6, "%s: third segment "
          "resent %.0f ms after the partial ACK, want at once"
          % (c, d * 1000))
