# SPDX-License-Identifier: BSD-3-Clause
"""Segments for no connection (RFC 9293 3.10.7.1 CLOSED, 3.10.7.2
LISTEN): a RST is dropped; with ACK the answer is <SEQ=SEG.ACK><CTL=RST>;
without, <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>."""

import random

from steps import check, check_counter, describe, linux, observe, stats


def _sym(c, seq, ln):
    return {"0": 0, "SEG.ACK": c.rcv_nxt, "SEG.SEQ+SEG.LEN":
            (seq + ln) & 0xffffffff}


@linux
def test_closed_port_syn(p):
    before = stats(p)
    c = p.conn(p.t.ports["closed"])
    c.send("S", ack=0)
    s = c.recv(0.5)
    observe(p, "SYN: " + describe(s, **_sym(c, c.iss, 1)))
    check(s is not None and s.flags == "RA" and s.seq == 0 and
          s.ack == (c.iss + 1) & 0xffffffff,
          "%s: SYN to a closed port: want RST,ACK seq=0 ack=%d, got %r"
          % (c, c.iss + 1, s))
    check_counter(p, before, ["rst_sent"], what="RST sent")


@linux
def test_closed_port_ack(p):
    c = p.conn(p.t.ports["closed"])
    c.rcv_nxt = random.randint(1, 2**31)
    c.send("A")
    s = c.recv(0.5)
    observe(p, "ACK: " + describe(s, **_sym(c, c.iss, 0)))
    check(s is not None and s.flags == "R" and s.seq == c.rcv_nxt,
          "%s: ACK to a closed port: want RST seq=SEG.ACK %d, got %r"
          % (c, c.rcv_nxt, s))


@linux
def test_closed_port_data_without_ack(p):
    c = p.conn(p.t.ports["closed"])
    c.send("P", ack=0, data=b"12345")
    s = c.recv(0.5)
    observe(p, "data, no ACK: " + describe(s, **_sym(c, c.iss, 5)))
    check(s is not None and s.flags == "RA" and s.seq == 0 and
          s.ack == (c.iss + 5) & 0xffffffff,
          "%s: want RST,ACK seq=0 ack=SEG.SEQ+SEG.LEN, got %r" % (c, s))


@linux
def test_closed_port_rst(p):
    before = stats(p)
    c = p.conn(p.t.ports["closed"])
    c.send("R", ack=0)
    s = c.recv(0.3)
    observe(p, "RST: " + describe(s))
    check(s is None, "%s: a RST must never be answered, got %r" % (c, s))
    check_counter(p, before, ["drop_rst_unknown"], what="RST dropped")


@linux
def test_unknown_connection_ack(p):
    """ACK (and FIN) to a listening port with no such connection."""
    c = p.conn(p.t.ports["http"])
    c.rcv_nxt = random.randint(1, 2**31)
    c.send("A", advance=False)
    s = c.recv(0.5)
    observe(p, "ACK: " + describe(s, **_sym(c, c.iss, 0)))
    check(s is not None and s.flags == "R" and s.seq == c.rcv_nxt,
          "%s: ACK for no connection: want RST seq=SEG.ACK, got %r" % (c, s))
    c.send("FA", advance=False)
    s = c.recv(0.5)
    observe(p, "FIN,ACK: " + describe(s, **_sym(c, c.iss, 1)))
    check(s is not None and s.flags == "R" and s.seq == c.rcv_nxt,
          "%s: FIN for no connection: want RST seq=SEG.ACK, got %r"
          % (c, s))


@linux
def test_unknown_connection_rst(p):
    c = p.conn(p.t.ports["http"])
    c.send("RA", ack=12345)
    s = c.recv(0.3)
    observe(p, "RST: " + describe(s))
    check(s is None, "%s: a RST must never be answered, got %r" % (c, s))
