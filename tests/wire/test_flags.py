# SPDX-License-Identifier: BSD-3-Clause
"""Odd flag combinations and ACK values on an ESTABLISHED connection
(an echo listener, so data that is wrongly accepted comes back).

RFC 9293 3.10.7.4: segments are checked in order (sequence number, RST,
SYN, ACK, ...):
- no ACK flag (NULL, XMAS = FIN+PSH+URG, plain data): "if the ACK bit is
  off, drop the segment and return": silence, nothing delivered;
- SYN+FIN: a SYN in a synchronized state: challenge ACK (RFC 5961 4.2),
  or dropped as an invalid combination;
- SYN+RST: dropped as invalid (tcpterm), or RST processing first;
- ACK of data never sent (RFC 5961 5.2): ACK and drop.
Each drop is counted by reason in /tcpterm/stats.
"""

from steps import (check, check_counter, describe, drop_deltas,
                   established, linux, observe, stats)


def _alive(c, payload):
    """Send new data; returns "alive" when it comes back as an echo whose
    ACK covers exactly what was sent with ACKs (pure ACKs before it are
    fine), or "reset" when the answer is <SEQ=SEG.ACK><CTL=RST>."""
    c.send("PA", data=payload)
    while True:
        s = c.recv(1.0)
        check(s is not None, "%s: no echo after the odd segment" % c)
        if s.flags == "R" and s.seq == c.rcv_nxt:
            return "reset"
        check(s.seq == c.srv_nxt and s.ack == c.snd_nxt and
              not s.has("R") and s.data in (b"", payload),
              "%s: after the odd segment: want the echo seq=%d ack=%d, got"
              " %r" % (c, c.srv_nxt, c.snd_nxt, s))
        if s.data:
            c.note(s)
            c.srv_nxt = c.rcv_nxt
            return "alive"


def _odd(p, flags, data=b"", counters=(), allow_challenge=False,
         allow_reset=False):
    """Send one odd segment at RCV.NXT on a fresh ESTABLISHED connection.
    It must be dropped silently (counted under one of counters), or, when
    allowed, answered with a challenge ACK (counted as challenge_ack) or
    taken as an exact RST (the connection is gone, counted as rst_rx)."""
    c = established(p, "echo")
    before = stats(p)
    c.send(flags, ack=c.rcv_nxt if "A" in flags else 0, data=data,
           advance=False)
    s = c.recv(0.3)
    names = {"SND.NXT": c.srv_nxt, "RCV.NXT": c.snd_nxt}
    challenge = (s is not None and s.flags == "A" and
                 s.seq == c.srv_nxt and s.ack == c.snd_nxt)
    check(s is None or (allow_challenge and challenge),
          "%s: %s in ESTABLISHED: want %s, got %r"
          % (c, flags, "silence or a challenge ACK" if allow_challenge
             else "silence", s))
    d = drop_deltas(p, before)
    state = _alive(c, b"alive")
    check(state == "alive" or allow_reset, "%s: %s reset the connection"
          % (c, flags))
    if challenge:
        what = "challenge ACK"
        check_counter(p, before, ["challenge_ack"], what=what)
    elif state == "reset":
        what = "taken as a RST: connection reset"
        check_counter(p, before, ["rst_rx"], what=what)
    else:
        what = "dropped"
        if before is not None:
            check(any(d.get(n, 0) >= 1 for n in counters),
                  "%s: %s not counted under %s: %s"
                  % (c, flags, " or ".join(counters), d))
    observe(p, "%s: %s (%s)" % (flags or "none", describe(s, **names),
                                what))
    p.note("%s: %s, %s, drops %s" % (flags or "none",
                                     describe(s, **names), what, d))
    return c


@linux
def test_null_flags_established(p):
    _odd(p, "", counters=("drop_null_flags", "drop_no_ack_flag"))


@linux
def test_xmas_established(p):
    """FIN+PSH+URG without ACK: the FIN must not be acted upon."""
    _odd(p, "FPU", data=b"x", counters=("drop_no_ack_flag",))


@linux
def test_data_without_ack_established(p):
    _odd(p, "P", data=b"not acked", counters=("drop_no_ack_flag",))


@linux
def test_syn_fin_established(p):
    _odd(p, "SF", allow_challenge=True, counters=("drop_syn_fin",))


@linux
def test_syn_rst_established(p):
    """At RCV.NXT: RFC 9293 checks the RST bit before the SYN bit, so
    this is an exact RST; dropping the invalid pair is allowed too."""
    _odd(p, "SR", allow_reset=True, counters=("drop_syn_rst",))


@linux
def test_ack_of_unsent_data(p):
    """RFC 5961 5.2 / RFC 9293: SEG.ACK > SND.NXT: ACK and drop (the data
    it carries is not delivered)."""
    c = established(p, "echo")
    before = stats(p)
    bad = (c.srv_nxt + 5000) & 0xffffffff
    c.send("PA", ack=bad, data=b"dropped", advance=False)
    s = c.recv(0.5)
    observe(p, "ACK > SND.NXT: " + describe(
        s, **{"SND.NXT": c.srv_nxt, "RCV.NXT": c.snd_nxt}))
    check(s is not None and s.flags == "A" and s.seq == c.srv_nxt and
          s.ack == c.snd_nxt and not s.data, "%s: ACK of unsent data: want"
          " ACK seq=%d ack=%d (data dropped), got %r"
          % (c, c.srv_nxt, c.snd_nxt, s))
    d = drop_deltas(p, before)
    if before is not None:
        check(d.get("drop_bad_ack", 0) >= 1, "not counted as drop_bad_ack:"
              " %s" % d)
    check(_alive(c, b"alive") == "alive", "%s: connection lost" % c)
