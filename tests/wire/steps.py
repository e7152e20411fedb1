# SPDX-License-Identifier: BSD-3-Clause
"""Shared steps of the wire cases: bring a fresh connection to a given
state, describe replies symbolically, read counters.

Every state step returns a Conn whose rcv_nxt is what we acknowledge, and
whose srv_nxt is the server's SND.NXT (what a challenge ACK or an
acceptable RST carries), with snd_nxt our own next sequence number (the
server's RCV.NXT).
"""

import time

from peer import FLAG_BITS, WireFailure, seq_add

REQUEST = b"GET / HTTP/1.1\r\nHost: wire\r\n\r\n"


def check(cond, msg):
    if not cond:
        raise WireFailure(msg)


def observe(p, text):
    """Record what the server answered, for the Linux comparison."""
    p.obs.append(text)


def describe(s, **names):
    """A reply in symbolic form: "RA seq=0 ack=SEG.SEQ+1", or "silence".
    names maps symbols to values; the first symbol equal to a field (or
    the nearest, as symbol+offset) is used."""
    if s is None:
        return "silence"

    def sym(v):
        for k, x in names.items():
            if x is not None and v == x:
                return k
        best = None
        for k, x in names.items():
            if x is None:
                continue
            d = (v - x) & 0xffffffff
            d = d - (1 << 32) if d >= 1 << 31 else d
            if best is None or abs(d) < abs(best[1]):
                best = (k, d)
        if best is not None and abs(best[1]) < 1 << 20:
            return "%s%+d" % best
        return str(v)

    out = "%s seq=%s" % (s.flags, sym(s.seq))
    if s.bits & FLAG_BITS["A"]:
        out += " ack=%s" % sym(s.ack)
    if s.data:
        out += " len=%d" % len(s.data)
    return out


def stats(p):
    return p.t.stats()


def delta(p, before, *names):
    """Sum of the increases of the named counters since before (None when
    the target has no counters)."""
    if before is None:
        return None
    after = p.t.stats()
    return sum(after.get(n, 0) - before.get(n, 0) for n in names)


def check_counter(p, before, names, at_least=1, what=""):
    d = delta(p, before, *names)
    if d is None:
        return
    check(d >= at_least, "counter %s rose by %d, want >= %d%s"
          % ("+".join(names), d, at_least, (" (%s)" % what) if what else ""))


def drop_deltas(p, before):
    """Every drop_* counter that rose since before."""
    if before is None:
        return {}
    after = p.t.stats()
    return {k: v - before.get(k, 0) for k, v in after.items()
            if k.startswith("drop_") and v != before.get(k, 0)}


# ---- states ----

def established(p, role="discard", ts=False):
    c = p.conn(p.t.ports[role], ts=ts)
    sa = c.connect()
    c.srv_nxt = seq_add(sa.seq, 1)
    return c


def served(p, role="http", ts=False):
    """ESTABLISHED, request sent, response and FIN read (not ACKed).
    Sets c.fin_seq (the sequence number of the server's FIN); rcv_nxt
    is left past the FIN."""
    c = established(p, role, ts)
    c.send("PA", data=REQUEST)
    data, fin = c.collect_until_fin()
    check(data.startswith(b"HTTP/1.1 200"), "%s: response %r" % (c, data))
    c.response = data
    c.fin_seq = seq_add(fin.seq, len(fin.data))
    c.fin_t = fin.t
    c.srv_nxt = seq_add(c.fin_seq, 1)
    return c


def fin_wait_1(p, ts=False):
    """The server's FIN is unacknowledged (its data is): FIN_WAIT_1.
    The server retransmits the FIN (from rto_min on); those are set
    aside in c.fin_retx."""
    c = served(p, ts=ts)
    c.rcv_nxt = c.fin_seq
    c.skip_fin = c.fin_seq
    c.send("A")
    return c


def fin_wait_2(p, ts=False, role="http"):
    c = served(p, role, ts)
    c.send("A")
    return c


def closing(p, ts=False):
    """Our FIN crosses the server's: CLOSING (the server's FIN is not
    acknowledged by ours)."""
    c = served(p, ts=ts)
    c.rcv_nxt = c.fin_seq
    c.skip_fin = c.fin_seq
    c.fin_sent_after = c.send("FA")
    c.expect("A", seq=c.srv_nxt, ack=c.snd_nxt, what="ACK of our FIN "
             "in CLOSING", consume=False)
    return c


def time_wait(p, ts=False, role="http"):
    """Active close completed: the server is in TIME_WAIT. c.tw_t is when
    the server's last ACK arrived."""
    c = fin_wait_2(p, ts, role)
    c.send("FA")
    a = c.expect("A", seq=c.srv_nxt, ack=c.snd_nxt,
                 what="ACK of our FIN (entering TIME_WAIT)", consume=False)
    c.tw_t = a.t
    c.peer_fin_seq = seq_add(c.snd_nxt, -1)
    return c


def close_wait(p, role="echo_hold"):
    """The peer's FIN is in and ACKed; the application holds the close:
    CLOSE_WAIT."""
    c = established(p, role)
    c.send("FA")
    c.expect("A", seq=c.srv_nxt, ack=c.snd_nxt, what="ACK of our FIN")
    return c


def last_ack(p):
    """The peer's FIN is in, the server's FIN is out and unacknowledged:
    LAST_ACK. FIN retransmissions are set aside in c.fin_retx."""
    c = established(p, "echo")
    c.fin_sent_after = c.send("FA")
    deadline = time.monotonic() + 1.0
    while True:
        s = c.recv(max(deadline - time.monotonic(), 0))
        check(s is not None, "%s: no FIN after ours" % c)
        check(not s.has("R"), "%s: RST after our FIN: %r" % (c, s))
        if s.has("F"):
            break
    check(s.seq == c.srv_nxt and s.ack == c.snd_nxt,
          "%s: FIN %r, want seq=%d ack=%d" % (c, s, c.srv_nxt, c.snd_nxt))
    c.fin_seq = s.seq
    c.fin_t = s.t
    c.srv_nxt = seq_add(s.seq, 1)
    c.rcv_nxt = c.fin_seq
    c.skip_fin = c.fin_seq
    return c


STATES = {
    "ESTABLISHED": established,
    "FIN_WAIT_1": fin_wait_1,
    "FIN_WAIT_2": fin_wait_2,
    "CLOSING": closing,
    "TIME_WAIT": time_wait,
    "CLOSE_WAIT": close_wait,
    "LAST_ACK": last_ack,
}


def probe_gone(c, what):
    """The connection must be gone: an ACK gets <SEQ=SEG.ACK><CTL=RST>."""
    ack = c.rcv_nxt
    c.send("A", ack=ack, advance=False)
    c.skip_fin = None
    s = c.recv(0.5)
    check(s is not None and s.flags == "R" and s.seq == ack,
          "%s: %s: an ACK must get <SEQ=SEG.ACK><CTL=RST> (seq %d), got %r"
          % (c, what, ack, s))
    return s


def linux(fn):
    """Mark a case as meaningful against the Linux reference too."""
    fn.linux = True
    return fn


def tcp_overrides(**settings):
    """Run a case against a tcpterm whose tcp section has these settings
    (instead of its module's TCP_OVERRIDES); limits={...} sets keys of
    the limits section instead, port={...} keys of the port's."""
    def mark(fn):
        fn.tcp_overrides = settings
        return fn
    return mark
