# SPDX-License-Identifier: BSD-3-Clause
"""Known conformance failures of tcpterm, found by the audit of
test_conform.py. Not in run.py's MODULES (they fail today); run them
with

    /usr/bin/python3 tests/wire/run.py --module test_conform_fail [NAME...]

Each case asserts what the RFC asks; once the fix is in lib/, move the
case to test_conform.py.

- sender_sws_avoidance: RFC 9293 3.8.6.2.1 (MUST-38), no sender SWS
  avoidance: a receiver offering 100 bytes at a time gets 100-byte
  segments at once.
"""

from steps import check, established, linux, observe
from test_conform import echo_roundtrip


@linux
def test_sender_sws_avoidance(p):
    """RFC 9293 3.8.6.2.1: "A TCP implementation MUST include a SWS
    avoidance algorithm in the sender (MUST-38)": with D bytes queued and
    a usable window U, send when a full segment fits, when all queued
    pushed data fits, when U >= Fs * max(SND.WND) (Fs = 1/2), or when the
    override timeout (0.1 to 1 s) expires. Here 1000 bytes wait for the
    echo and the peer, having offered 65535, offers 100: nothing may go
    before 0.1 s. tcpterm sends 100 bytes at once, and again each time
    the peer opens 100 more (Linux waits for its probe timer)."""
    c = established(p, "echo")
    echo_roundtrip(c, b"a", "one byte first (SND.WL1 moves on)")
    base = c.rcv_nxt
    t0 = c.send("PA", data=b"w" * 1000, win=100)
    first = None
    for s in c.drain(0.5):
        if s.data:
            first = s
            break
    dt = (first.t - t0) if first is not None else None
    observe(p, "first segment into a window of 100 after %s" % (
        "none" if dt is None else "%s100 ms" % ("<" if dt < 0.1 else ">=")))
    p.note("first data after %s: %r" % (
        "-" if dt is None else "%.0f ms" % (dt * 1000), first))
    check(first is None or dt >= 0.1 or
          (first.seq - base) & 0xffffffff != 0, "%s: %d bytes sent %.0f ms"
          " after a window of 100 opened, before the override timeout "
          "(0.1 s)" % (c, len(first.data), dt * 1000))
