# SPDX-License-Identifier: BSD-3-Clause
"""RST validation in every synchronized state (RFC 5961 3.2, RFC 9293
3.10.7.4 second check; RFC 1337 in TIME_WAIT):
- SEG.SEQ == RCV.NXT: the connection is reset (silently);
- in the window but not exact: challenge ACK <SEQ=SND.NXT><ACK=RCV.NXT>;
- outside the window: dropped silently.
In TIME_WAIT with tcp.rfc1337 every RST is ignored.
"""

from peer import seq_add
from steps import (STATES, check, check_counter, describe, established,
                   linux, observe, probe_gone, stats)

IN_WINDOW = 100
OUT_OF_WINDOW = 0x40000000


def _names(c):
    return {"SND.NXT": c.srv_nxt, "RCV.NXT": c.snd_nxt}


def rst_case(p, state):
    before = stats(p)
    c = STATES[state](p)
    rcv_nxt = c.snd_nxt  # The server's RCV.NXT.
    tw = state == "TIME_WAIT"

    c.send("R", seq=seq_add(rcv_nxt, IN_WINDOW), ack=0, advance=False)
    s = c.recv(0.3)
    observe(p, "in-window: " + describe(s, **_names(c)))
    if tw:
        check(s is None, "%s: RST in TIME_WAIT must be ignored (RFC 1337),"
              " got %r" % (c, s))
    else:
        check(s is not None and s.flags == "A" and s.seq == c.srv_nxt and
              s.ack == rcv_nxt, "%s %s: in-window RST: want challenge ACK "
              "seq=%d ack=%d, got %r" % (c, state, c.srv_nxt, rcv_nxt, s))
        check_counter(p, before, ["challenge_ack"], what="challenge ACK")

    c.send("R", seq=seq_add(rcv_nxt, OUT_OF_WINDOW), ack=0, advance=False)
    s = c.recv(0.3)
    observe(p, "out-of-window: " + describe(s, **_names(c)))
    check(s is None, "%s %s: out-of-window RST must be dropped silently, "
          "got %r" % (c, state, s))

    c.send("R", seq=rcv_nxt, ack=0, advance=False)
    s = c.recv(0.3)
    observe(p, "exact: " + describe(s, **_names(c)))
    check(s is None, "%s %s: exact RST must not be answered, got %r"
          % (c, state, s))
    if tw:
        # Still there: a retransmitted FIN is re-ACKed.
        c.send("FA", seq=seq_add(rcv_nxt, -1), advance=False)
        s = c.recv(0.5)
        observe(p, "FIN after the exact RST: " + describe(s, **_names(c)))
        check(s is not None and s.flags == "A" and s.seq == c.srv_nxt and
              s.ack == rcv_nxt, "%s: TIME_WAIT must survive the RST "
              "(RFC 1337): retransmitted FIN got %r" % (c, s))
        check_counter(p, before, ["rst_rx_ignored"], what="ignored RST")
    else:
        s = probe_gone(c, "after an exact RST in " + state)
        observe(p, "ACK after the exact RST: " + describe(
            s, **{"SEG.ACK": c.rcv_nxt}))
        check_counter(p, before, ["rst_rx"], what="RST received")


@linux
def test_rst_established(p):
    rst_case(p, "ESTABLISHED")


@linux
def test_rst_fin_wait_1(p):
    rst_case(p, "FIN_WAIT_1")


@linux
def test_rst_fin_wait_2(p):
    rst_case(p, "FIN_WAIT_2")


@linux
def test_rst_closing(p):
    rst_case(p, "CLOSING")


@linux
def test_rst_time_wait(p):
    if p.t.name == "linux":
        return _rst_time_wait_linux(p)
    rst_case(p, "TIME_WAIT")


def _rst_time_wait_linux(p):
    """The same frames against Linux, recording instead of asserting
    (Linux has net.ipv4.tcp_rfc1337=0 by default: an exact RST kills the
    TIME_WAIT socket)."""
    c = STATES["TIME_WAIT"](p)
    rcv_nxt = c.snd_nxt
    for name, seq in (("in-window", seq_add(rcv_nxt, IN_WINDOW)),
                      ("out-of-window", seq_add(rcv_nxt, OUT_OF_WINDOW)),
                      ("exact", rcv_nxt)):
        c.send("R", seq=seq, ack=0, advance=False)
        observe(p, "%s: %s" % (name, describe(c.recv(0.3), **_names(c))))
    c.send("FA", seq=seq_add(rcv_nxt, -1), advance=False)
    observe(p, "FIN after the exact RST: " + describe(
        c.recv(0.5), **dict({"SEG.ACK": c.rcv_nxt}, **_names(c))))


@linux
def test_rst_close_wait(p):
    rst_case(p, "CLOSE_WAIT")


@linux
def test_rst_last_ack(p):
    rst_case(p, "LAST_ACK")


@linux
def test_rst_with_text_from_below_window(p):
    """RFC 5961 3.2 (RFC 9293 3.10.7.4 second): a RST whose SEG.SEQ is
    below RCV.NXT is outside the window and dropped silently, even when
    its text ends inside the window (which makes the segment acceptable
    by the first check); the connection stays and takes data."""
    before = stats(p)
    c = established(p, "discard")
    c.send("PA", data=b"hello")
    c.drain(0.2)
    rcv_nxt = c.snd_nxt
    c.send("RA", seq=seq_add(rcv_nxt, -5), data=b"0123456789",
           advance=False)
    s = c.recv(0.3)
    observe(p, "RST with text from RCV.NXT-5: " + describe(s, **_names(c)))
    check(s is None, "%s: RST below the window must be dropped silently, "
          "got %r" % (c, s))
    check_counter(p, before, ["drop_out_of_window"], what="RST dropped")
    c.send("PA", data=b"x")
    s = c.recv(0.5)
    observe(p, "data after it: " + describe(s, **_names(c)))
    check(s is not None and s.flags == "A" and s.ack == c.snd_nxt,
          "%s: data after the RST: want ACK ack=%d, got %r"
          % (c, c.snd_nxt, s))
    c.send("FA")


@linux
def test_rst_fin_seq_after_fin(p):
    """CLOSE_WAIT: a RST at the peer's FIN's own sequence number
    (RCV.NXT - 1), as some stacks send after their FIN, is outside the
    window: dropped silently (RFC 5961 3.2), the connection stays (its
    FIN again is re-ACKed). Linux takes it as exact
    (tcp_reset_check())."""
    before = stats(p)
    c = STATES["CLOSE_WAIT"](p)
    rcv_nxt = c.snd_nxt
    c.send("R", seq=seq_add(rcv_nxt, -1), ack=0, advance=False)
    s = c.recv(0.3)
    observe(p, "RST at RCV.NXT - 1: " + describe(s, **_names(c)))
    check(s is None, "%s: RST at RCV.NXT - 1 must be dropped silently, "
          "got %r" % (c, s))
    c.send("FA", seq=seq_add(rcv_nxt, -1), advance=False)
    s = c.recv(0.5)
    observe(p, "the FIN again: " + describe(s, **_names(c)))
    if p.t.name != "tcpterm":
        return
    check(s is not None and s.flags == "A" and s.seq == c.srv_nxt and
          s.ack == rcv_nxt, "%s: CLOSE_WAIT must survive the RST: the "
          "FIN again got %r" % (c, s))
    check_counter(p, before, ["drop_out_of_window"], what="RST dropped")
