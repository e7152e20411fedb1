# SPDX-License-Identifier: BSD-3-Clause
"""Peers that hold a connection as cheaply as they can: a zero window
kept shut while every probe is answered; and what such holders leave
to the other connections."""

import time

from peer import seq_add
from steps import (REQUEST, check, check_counter, established, stats,
                   tcp_overrides)


def _echoed(c, want, timeout=2.0):
    """The in-order bytes the server sends c within timeout, until they
    are want (or the time is up)."""
    got = b""
    end = time.monotonic() + timeout
    while got != want and time.monotonic() < end:
        s = c.recv(end - time.monotonic())
        if s is None:
            break
        if s.data and s.seq == c.srv_nxt:
            got += s.data
            c.srv_nxt = seq_add(c.srv_nxt, len(s.data))
    return got


def _hold_zero_window(c, seconds):
    """Answer every segment with an ACK of SND.NXT and a zero window (the
    probe byte refused) for up to seconds; returns (probes, rst)."""
    probes = []
    end = time.monotonic() + seconds
    while True:
        s = c.recv(max(end - time.monotonic(), 0))
        if s is None:
            return probes, None
        if s.has("R"):
            return probes, s
        check(len(s.data) <= 1, "%s: %d bytes into a zero window: %r"
              % (c, len(s.data), s))
        if s.data:
            probes.append(s)
            c.send("A", ack=s.seq, win=0)


def _held_until_rst(p, c, state):
    """The application has closed with its data behind the peer's zero
    window; the peer answers every probe: a RST after max_retries
    probes (persist_closed_abort)."""
    before = stats(p)
    # Probes back off from the RTO (rto_min 100 ms) doubling, so
    # max_retries of them and the give-up take under 2^(n+1) RTOs.
    n = p.t.params["max_retries"]
    bound = 0.1 * (2 ** (n + 1)) + 1.0
    probes, rst = _hold_zero_window(c, bound + 2.0)
    p.note("%s: %d probes answered, then %r" % (state, len(probes), rst))
    check(rst is not None, "%s: %s: no RST within %.1fs of a zero window "
          "held after the application closed (%d probes answered)"
          % (c, state, bound + 2.0, len(probes)))
    check(len(probes) == n, "%s: %s: %d probes before the RST, want "
          "max_retries = %d" % (c, state, len(probes), n))
    check(rst.seq == c.srv_nxt, "%s: %s: RST seq %d, want SND.NXT %d"
          % (c, state, rst.seq, c.srv_nxt))
    check_counter(p, before, ["persist_closed_abort"], what="give-up")


def test_zero_window_held_after_close(p):
    """The http listener has sent its response and closed (FIN_WAIT_1,
    the FIN behind the data); the peer keeps its window shut and answers
    every probe. RFC 9293 3.8.6.1 lets the probing go on "subject to the
    implementation's resource management concerns": once the application
    has closed, probes count whether answered or not, and after
    max_retries of them the connection is reset (as Linux aborts an
    orphaned socket in persist)."""
    c = established(p, "http")
    c.send("PA", data=REQUEST, win=0)
    _held_until_rst(p, c, "FIN_WAIT_1")


def test_zero_window_held_closing(p):
    """The same after the peer's FIN crossed ours, still unsent behind
    the data: CLOSING."""
    c = established(p, "http")
    c.send("PA", data=REQUEST, win=0)
    c.send("FA", win=0)
    _held_until_rst(p, c, "CLOSING")


def test_zero_window_held_last_ack(p):
    """The same in LAST_ACK: echo closes on the peer's FIN, its echo
    still behind the zero window."""
    c = established(p, "echo")
    c.send("PA", data=b"hold", win=0)
    c.send("FA", win=0)
    _held_until_rst(p, c, "LAST_ACK")


def test_zero_window_held_open(p):
    """The same hold while the application is still open (echo, before
    the peer's FIN): RFC 9293 3.8.6.1 MUST-36, the window may stay
    closed indefinitely while the peer answers; no RST, and the data goes
    once the window opens."""
    c = established(p, "echo")
    c.send("PA", data=b"hold", win=0)
    n = p.t.params["max_retries"]
    hold = 0.1 * (2 ** (n + 2)) + 1.0
    probes, rst = _hold_zero_window(c, hold)
    check(rst is None, "%s: RST while the application is open: %r"
          % (c, rst))
    check(len(probes) > n, "%s: %d probes in %.1fs" % (c, len(probes),
                                                      hold))
    # The answers refuse the probe byte; they are not duplicate ACKs: no
    # fast retransmit of it right after the third (RFC 9293 3.8.6.1).
    gaps = [b.t - a.t for a, b in zip(probes, probes[1:])]
    check(min(gaps) >= 0.08, "%s: probes %s ms apart: one was resent "
          "at once, not by the persist timer" % (
              c, ", ".join("%.0f" % (g * 1000) for g in gaps)))
    c.send("A", win=65535)
    got = _echoed(c, b"hold")
    check(got == b"hold", "%s: echo after the window opened: %r"
          % (c, got))


SEND_TIMEOUT_MS = 1500


@tcp_overrides(send_timeout_ms=SEND_TIMEOUT_MS)
def test_zero_window_answered_send_timeout(p):
    """The hold of test_zero_window_held_open, the application still
    open, under a short tcp.send_timeout_ms: the probes are answered, so
    persist_abort never counts, but the echo queued when the deadline
    started (at the first probe, an RTO after the data) is not
    acknowledged within the timeout: a RST at SND.NXT, counted in
    send_timeout, the connection freed."""
    before = stats(p)
    c = established(p, "echo")
    c.send("PA", data=b"hold", win=0)
    t0 = time.monotonic()
    limit = SEND_TIMEOUT_MS / 1000.0
    probes, rst = _hold_zero_window(c, limit + 2.0)
    check(rst is not None, "%s: no RST within %.1fs of a zero window held "
          "open (%d probes answered)" % (c, limit + 2.0, len(probes)))
    took = rst.t - t0
    p.note("RST %.0f ms after the data, %d probes answered"
           % (took * 1000, len(probes)))
    # The deadline starts at the first probe: an RTO (rto_initial_ms at
    # most) after the data; the wheel and the tap add a little.
    late = p.t.params["rto_initial_ms"] / 1000.0 + 0.5
    check(limit <= took <= limit + late, "%s: RST %.0f ms after the data,"
          " want %.0f to %.0f" % (c, took * 1000, limit * 1000,
                                  (limit + late) * 1000))
    check(len(probes) >= 2, "%s: %d probes before the RST" % (c, len(probes)))
    check(rst.seq == c.srv_nxt, "%s: RST seq %d, want SND.NXT %d"
          % (c, rst.seq, c.srv_nxt))
    check_counter(p, before, ["send_timeout"], what="send deadline")
    # The 4-tuple is unknown: an ACK draws a RST from the listener.
    c.send("A", win=65535)
    s = c.recv(0.5)
    check(s is not None and s.has("R"), "%s: after the RST an ACK drew %r,"
          " want a RST" % (c, s))


@tcp_overrides(limits={"max_send_buffers": 2})
def test_request_waits_for_send_buffer(p):
    """Both send buffers are held by echo connections whose peers keep a
    zero window; a request is acknowledged and waits, unanswered
    (sndbuf_wait). Once one holder's echo is acknowledged and its buffer
    back in the pool, the waiting connection is told (sndbuf_woken) and
    the response goes, as Linux wakes a writer when memory frees."""
    holders = []
    for _ in range(2):
        e = established(p, "echo")
        e.send("PA", data=b"hold", win=0)
        holders.append(e)
    before = stats(p)
    c = established(p, "http")
    c.send("PA", data=REQUEST)
    early = [s for s in c.drain(0.3) if s.data]
    check(not early, "%s: response while both send buffers are held: %r"
          % (c, early))
    e = holders[0]
    e.send("A", win=65535)
    e.drain(0.3)
    e.send("A", ack=seq_add(e.srv_nxt, 4))
    data, fin = c.collect_until_fin()
    check(data.startswith(b"HTTP/1.1 200"), "%s: after a send buffer came "
          "back: %r" % (c, data))
    check_counter(p, before, ["sndbuf_wait"], what="request waiting")
    check_counter(p, before, ["sndbuf_woken"], what="request woken")


# A tcpterm of its own (max_receive_buffers as its default would have
# it): the case before leaves both send buffers held.
@tcp_overrides(limits={"max_send_buffers": 2, "max_receive_buffers": 1})
def test_echo_window_waits_for_send_buffer(p):
    """Both send buffers are held by echo connections whose peers keep a
    zero window; a new echo connection is offered a zero window (its send
    space) in the SYN-ACK. Its peer sends no probe. Once one holder's
    echo is acknowledged, the waiting connection takes that buffer and
    reopens its window with an update (sndbuf_window_wait,
    sndbuf_window_woken): the peer is not left to its own zero window
    probes, backing off (RFC 9293 3.8.6.1). Its data is then echoed."""
    holders = []
    for _ in range(2):
        e = established(p, "echo")
        e.send("PA", data=b"hold", win=0)
        holders.append(e)
    before = stats(p)
    c = p.conn(p.t.ports["echo"])
    sa = c.connect()
    c.srv_nxt = seq_add(sa.seq, 1)
    check(sa.win == 0, "%s: SYN-ACK window %d while both send buffers are "
          "held, want 0" % (c, sa.win))
    early = c.drain(0.3)
    check(not early, "%s: segments while both send buffers are held: %r"
          % (c, early))
    e = holders[0]
    e.send("A", win=65535)
    e.drain(0.3)
    e.send("A", ack=seq_add(e.srv_nxt, 4))
    s = c.recv(1.0)
    check(s is not None and s.flags == "A" and not s.data and s.win > 0,
          "%s: want a window update once a send buffer came back (no "
          "probe sent), got %r" % (c, s))
    c.send("PA", data=b"abc")
    got = _echoed(c, b"abc")
    check(got == b"abc", "%s: echo in the reopened window: %r" % (c, got))
    check_counter(p, before, ["sndbuf_window_wait"], what="window waiting")
    check_counter(p, before, ["sndbuf_window_woken"], what="window woken")


# A tcpterm of its own: three holders leave every send buffer held.
@tcp_overrides(limits={"max_send_buffers": 3})
def test_echo_synack_again_keeps_window(p):
    """RFC 9293 3.8.6 (SHLD-14): the window a SYN-ACK offered is not taken
    back. An echo connection's SYN-ACK offers its send space, a send
    buffer being free; the buffers are then all taken by echo connections
    whose peers keep a zero window, and the SYN comes again: the SYN-ACK
    sent again still offers the window (Linux sends the window of the
    first, `req->rsk_rcv_wnd`)."""
    c = p.conn(p.t.ports["echo"])
    c.send("S", ack=0)
    sa = c.expect(flags="SA", ack=c.snd_nxt, what="SYN-ACK")
    check(sa.win > 0, "%s: SYN-ACK window 0 with send buffers free" % c)
    for _ in range(3):
        e = established(p, "echo")
        e.send("PA", data=b"hold", win=0)
    c.send("S", seq=seq_add(c.snd_nxt, -1), ack=0, advance=False)
    again = c.expect(flags="SA", ack=c.snd_nxt, what="SYN-ACK again")
    check(again.win == sa.win, "%s: SYN-ACK again offers %d, the first %d:"
          " the right edge moved left" % (c, again.win, sa.win))
    c.send("A")


def _sack_conn(p, role):
    """ESTABLISHED with SACK-permitted sent in the SYN (RFC 2018)."""
    c = p.conn(p.t.ports[role])
    c.sack = True
    c.srv_nxt = seq_add(c.connect().seq, 1)
    return c


def _ooo_ack(c, hole, off, data):
    """Send data at off bytes past the hole at hole; returns the
    duplicate ACK it draws (checked) and its SACK blocks as offsets."""
    c.send("PA", seq=seq_add(hole, off), data=data, advance=False)
    s = c.recv(0.3)
    check(s is not None and s.flags == "A" and s.ack == hole,
          "%s: data after a hole: want an immediate duplicate ACK ack=%d,"
          " got %r" % (c, hole, s))
    v = s.opts.get("SAck") or ()
    return [((v[i] - hole) & 0xffffffff, (v[i + 1] - hole) & 0xffffffff)
            for i in range(0, len(v) - 1, 2)]


def _filled(c, hole, end):
    """The hole's bytes sent in order: acknowledged through end."""
    c.send("PA", data=b"12345")
    c.send("PA", data=b"later")
    acks = [s for s in c.drain(0.4) if not s.has("R")]
    last = acks[-1] if acks else None
    check(last is not None and last.ack == seq_add(hole, end),
          "%s: hole filled and resent: want ack=%d, got %r"
          % (c, seq_add(hole, end), last))


@tcp_overrides(limits={"max_receive_buffers": 1})
def test_gap_held_loses_its_buffer(p):
    """A peer sends bytes past a gap and leaves it open: the only receive
    buffer holds them. Once that gap has gone a second (the floor, with
    rto_min 100 ms) without progress, another connection's out-of-order
    bytes take the buffer (ooo_reneged, RFC 2018 8): its ACK reports
    them, and the first connection's ACKs name its bytes no more. Both
    complete when their peers fill the gaps and resend."""
    a = _sack_conn(p, "discard")
    hole_a = a.snd_nxt
    got = _ooo_ack(a, hole_a, 5, b"later")
    check(got == [(5, 10)], "%s: want SACK [(5, 10)], got %s" % (a, got))
    time.sleep(1.2)
    a.drain(0.1)
    before = stats(p)
    b = _sack_conn(p, "discard")
    hole_b = b.snd_nxt
    got = _ooo_ack(b, hole_b, 5, b"later")
    check(got == [(5, 10)], "%s: the buffer held by a gap stalled 1.2 s "
          "was not reclaimed: want SACK [(5, 10)], got %s" % (b, got))
    check_counter(p, before, ["ooo_reneged"], what="stalled gap")
    got = _ooo_ack(a, hole_a, 20, b"again")
    check(got == [], "%s: after reneging, want no SACK block (the "
          "bytes held were forgotten, no buffer for more), got %s"
          % (a, got))
    _filled(a, hole_a, 10)
    _filled(b, hole_b, 10)
