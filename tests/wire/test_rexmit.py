# SPDX-License-Identifier: BSD-3-Clause
"""Retransmission timer cases (RFC 6298, RFC 1122 4.2.3.1). The tail
loss probe (RFC 8985) is off here, so that the first resend of a
segment is its retransmission timeout. Intervals are measured between
the server's own transmissions: the peer knows its own send times only
to within the tap's latency."""

import time

from peer import seq_add
from steps import check, established

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
    twice the RTO of the first, not after the same RTO again."""
    c = established(p, "echo")
    c.send("PA", data=b"a" * 10)
    e1 = _first_data(c)
    r1 = _resend(c, e1, 1.0)
    check(r1 is not None, "%s: first echo never resent" % c)
    c.rcv_nxt = seq_add(e1.seq, len(e1.data))
    c.send("A")
    c.drain(0.05)
    c.send("PA", data=b"b" * 10)
    e2 = _first_data(c)
    r2 = _resend(c, e2, 2.0)
    check(r2 is not None, "%s: second echo never resent" % c)
    first, second = r1.t - e1.t, r2.t - e2.t
    p.note("first echo's RTO %.0f ms, second echo's (after an ACK of a "
           "resend) %.0f ms" % (first * 1000, second * 1000))
    check(1.6 <= second / first <= 2.5, "%s: RTO %.0f ms after the ACK of "
          "a resent segment, want twice the %.0f ms before (backed off, "
          "Karn)" % (c, second * 1000, first * 1000))


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
    c.send("PA", data=b"c" * 10)
    e = _first_data(c)
    r = _resend(c, e, 4.0)
    check(r is not None, "%s: echo not resent within 4 s" % c)
    rto = r.t - e.t
    p.note("first RTO after a SYN-ACK timeout: %.0f ms" % (rto * 1000))
    check(2.9 <= rto <= 3.5, "%s: first RTO %.0f ms after a SYN-ACK "
          "timeout, want 3 s" % (c, rto * 1000))
