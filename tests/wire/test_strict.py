# SPDX-License-Identifier: BSD-3-Clause
"""TIME_WAIT without RFC 1337 and without reuse (tcp.rfc1337: false,
tcp.time_wait_reuse: off), on a tcpterm instance of its own.

- RST in TIME_WAIT (RFC 9293 3.10.7.4 second check with RFC 5961 3.2):
  outside the window dropped, in the window but not exact a challenge ACK,
  exactly RCV.NXT closes the entry (then the 4-tuple is unknown: RST).
- SYN in TIME_WAIT with reuse off: a SYN in a synchronized state gets a
  challenge ACK (RFC 5961 4.2), whatever its sequence number.
"""

from peer import seq_add
from steps import (check, check_counter, describe, probe_gone, stats,
                   time_wait)

TCP_OVERRIDES = {"rfc1337": "false", "time_wait_reuse": "off"}


def _names(c):
    return {"SND.NXT": c.srv_nxt, "RCV.NXT": c.snd_nxt}


def _reack(c, what):
    """TIME_WAIT is still there: a retransmitted FIN is re-ACKed."""
    c.send("FA", seq=seq_add(c.snd_nxt, -1), advance=False)
    s = c.recv(0.5)
    check(s is not None and s.flags == "A" and s.seq == c.srv_nxt and
          s.ack == c.snd_nxt, "%s: TIME_WAIT must survive %s: "
          "retransmitted FIN got %r" % (c, what, s))


def test_rst_time_wait_rfc1337_off(p):
    before = stats(p)
    c = time_wait(p)
    rcv_nxt = c.snd_nxt
    c.send("R", seq=seq_add(rcv_nxt, 0x40000000), ack=0, advance=False)
    s = c.recv(0.3)
    check(s is None, "%s: out-of-window RST in TIME_WAIT: want silence, "
          "got %r" % (c, s))
    _reack(c, "an out-of-window RST")
    c.send("R", seq=seq_add(rcv_nxt, 100), ack=0, advance=False)
    s = c.recv(0.3)
    p.note("in-window RST: " + describe(s, **_names(c)))
    check(s is not None and s.flags == "A" and s.seq == c.srv_nxt and
          s.ack == rcv_nxt, "%s: in-window RST in TIME_WAIT: want a "
          "challenge ACK seq=%d ack=%d (RFC 5961 3.2), got %r"
          % (c, c.srv_nxt, rcv_nxt, s))
    _reack(c, "an in-window RST")
    c.send("R", seq=rcv_nxt, ack=0, advance=False)
    s = c.recv(0.3)
    check(s is None, "%s: exact RST in TIME_WAIT: want silence, got %r"
          % (c, s))
    probe_gone(c, "after an exact RST in TIME_WAIT (rfc1337 off)")
    check_counter(p, before, ["rst_rx"], what="RST accepted")


def test_syn_time_wait_reuse_off(p):
    c = time_wait(p)
    rcv_nxt = c.snd_nxt
    c.send("S", seq=seq_add(rcv_nxt, 100000), ack=0, advance=False)
    s = c.recv(0.5)
    p.note("SYN above RCV.NXT: " + describe(s, **_names(c)))
    check(s is not None and s.flags == "A" and s.seq == c.srv_nxt and
          s.ack == rcv_nxt, "%s: SYN in TIME_WAIT with reuse off: want a "
          "challenge ACK seq=%d ack=%d, got %r"
          % (c, c.srv_nxt, rcv_nxt, s))
    _reack(c, "a SYN")
