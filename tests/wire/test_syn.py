# SPDX-License-Identifier: BSD-3-Clause
"""SYN on an existing 4-tuple.

In a synchronized state a SYN gets a challenge ACK <SEQ=SND.NXT>
<ACK=RCV.NXT> and changes nothing (RFC 5961 4.2, RFC 9293 3.10.7.4
fourth check). In TIME_WAIT a SYN may open a new incarnation (RFC 9293
3.6.1 / RFC 6191 with tcp.time_wait_reuse): with a sequence number above
the old RCV.NXT, or with timestamps a newer TSval; otherwise it is
refused, and TIME_WAIT stays.
"""

from peer import seq_add
from steps import (REQUEST, STATES, check, check_counter, describe, linux,
                   observe, stats, time_wait)


def syn_case(p, state):
    before = stats(p)
    c = STATES[state](p)
    rcv_nxt = c.snd_nxt
    c.send("S", seq=seq_add(c.iss, 5000), ack=0, advance=False)
    s = c.recv(0.5)
    observe(p, "SYN: " + describe(s, **{"SND.NXT": c.srv_nxt,
                                          "RCV.NXT": rcv_nxt}))
    check(s is not None and s.flags == "A" and s.seq == c.srv_nxt and
          s.ack == rcv_nxt, "%s %s: SYN: want challenge ACK seq=%d ack=%d,"
          " got %r" % (c, state, c.srv_nxt, rcv_nxt, s))
    check_counter(p, before, ["challenge_ack"], what="challenge ACK")
    # A second SYN (within tcp.challenge_ack_limit) gets the same answer:
    # the first one changed nothing.
    c.send("S", seq=seq_add(c.iss, 9000), ack=0, advance=False)
    s = c.recv(0.5)
    observe(p, "second SYN at once: " + describe(
        s, **{"SND.NXT": c.srv_nxt, "RCV.NXT": rcv_nxt}))
    if p.t.name != "tcpterm":
        return
    check(s is not None and s.flags == "A" and s.seq == c.srv_nxt and
          s.ack == rcv_nxt, "%s %s: second SYN: want the same challenge "
          "ACK, got %r" % (c, state, s))


@linux
def test_syn_established(p):
    syn_case(p, "ESTABLISHED")


@linux
def test_syn_fin_wait_1(p):
    syn_case(p, "FIN_WAIT_1")


@linux
def test_syn_fin_wait_2(p):
    syn_case(p, "FIN_WAIT_2")


@linux
def test_syn_closing(p):
    syn_case(p, "CLOSING")


@linux
def test_syn_close_wait(p):
    syn_case(p, "CLOSE_WAIT")


@linux
def test_syn_last_ack(p):
    syn_case(p, "LAST_ACK")


def _reuse(p, ts, seq_delta, ts_delta, accept):
    before = stats(p)
    c = time_wait(p, ts=ts)
    old_rcv_nxt = c.snd_nxt
    syn_seq = seq_add(old_rcv_nxt, seq_delta)
    ts_val = c.ts_val + ts_delta if ts else None
    c.send("S", seq=syn_seq, ack=0, advance=False, ts_val=ts_val)
    s = c.recv(0.5)
    obs = describe(s, **{"SND.NXT": c.srv_nxt, "RCV.NXT": old_rcv_nxt,
                         "SYN.SEQ+1": seq_add(syn_seq, 1)})
    observe(p, "SYN in TIME_WAIT: " + obs)
    if accept:
        check(s is not None and s.flags == "SA" and
              s.ack == seq_add(syn_seq, 1), "%s: SYN in TIME_WAIT (seq "
              "%+d, TSval %+s): want SYN-ACK ack=%d, got %r"
              % (c, seq_delta, ts_delta, seq_add(syn_seq, 1), s))
        check_counter(p, before, ["tw_reused"], what="TIME_WAIT reuse")
        # The new incarnation works.
        c.snd_nxt = seq_add(syn_seq, 1)
        if ts_val is not None:
            c.ts_val = max(c.ts_val, ts_val + 1)
        c.rcv_nxt = seq_add(s.seq, 1)
        c.skip_fin = None
        c.send("A")
        c.send("PA", data=REQUEST)
        data, _ = c.collect_until_fin()
        check(data.startswith(b"HTTP/1.1 200"), "%s: new incarnation "
              "answered %r" % (c, data))
        c.send("FA")
        c.expect("A", ack=c.snd_nxt, what="ACK of the new FIN")
        return
    # Refused: RFC 6191 2 drops the SYN silently when the old incarnation
    # used timestamps, and otherwise leaves it to RFC 9293/5961: an ACK.
    # Either way no SYN-ACK and TIME_WAIT stays.
    ack = s is not None and (s.flags == "A" and s.seq == c.srv_nxt and
                             s.ack == old_rcv_nxt)
    check(s is None if ts else ack,
          "%s: refused SYN in TIME_WAIT: want %s, got %r"
          % (c, "silence" if ts else "ACK seq=%d ack=%d"
             % (c.srv_nxt, old_rcv_nxt), s))
    p.note("refused SYN answered with: " + obs)
    c.send("FA", seq=seq_add(old_rcv_nxt, -1), advance=False)
    s = c.recv(0.5)
    check(s is not None and s.flags == "A" and s.seq == c.srv_nxt and
          s.ack == old_rcv_nxt, "%s: TIME_WAIT must survive a refused SYN:"
          " retransmitted FIN got %r" % (c, s))


@linux
def test_tw_reuse_seq_accepted(p):
    """No timestamps, SYN above the old RCV.NXT: new connection."""
    _reuse(p, ts=False, seq_delta=100000, ts_delta=0, accept=True)


@linux
def test_tw_reuse_seq_refused(p):
    """No timestamps, SYN below the old RCV.NXT: refused."""
    _reuse(p, ts=False, seq_delta=-100000, ts_delta=0, accept=False)


@linux
def test_tw_reuse_seq_at_rcv_nxt(p):
    """No timestamps, SYN at exactly the old RCV.NXT: above the last
    sequence number the old incarnation used (its FIN), so a new
    connection (RFC 6191 2, RFC 1122 4.2.2.13). Linux wants more than
    RCV.NXT and answers with an ACK."""
    _reuse(p, ts=False, seq_delta=0, ts_delta=0, accept=True)


@linux
def test_tw_reuse_ts_accepted(p):
    """Timestamps, lower sequence number but newer TSval: accepted
    (RFC 6191)."""
    _reuse(p, ts=True, seq_delta=-100000, ts_delta=1000, accept=True)


@linux
def test_tw_reuse_ts_refused(p):
    """Timestamps, higher sequence number but an older TSval: refused
    (RFC 6191: the timestamp decides when both sides use it)."""
    _reuse(p, ts=True, seq_delta=100000, ts_delta=-1000, accept=False)


@linux
def test_tw_reuse_same_ts_higher_seq(p):
    """Timestamps, the same TSval as the old incarnation's last and a
    higher sequence number: accepted (RFC 6191 2, second case). A Linux
    client reusing its port within a millisecond sends just that. The
    peer's next TSval less one is the last it sent, TS.Recent."""
    _reuse(p, ts=True, seq_delta=100000, ts_delta=-1, accept=True)


@linux
def test_tw_reuse_same_ts_lower_seq(p):
    """Timestamps, the same TSval and a lower sequence number: refused."""
    _reuse(p, ts=True, seq_delta=-100000, ts_delta=-1, accept=False)


@linux
def test_tw_reuse_rst_returns(p):
    """A SYN reopens TIME_WAIT, then the peer resets the SYN-ACK (the SYN
    was an old duplicate): RFC 1122 4.2.2.13 (2) puts the tuple back in
    TIME_WAIT, so the old FIN retransmitted is re-ACKed with the old
    numbers. Linux freed its TIME_WAIT socket at the SYN and answers RST."""
    before = stats(p)
    c = time_wait(p, ts=False)
    old_rcv_nxt = c.snd_nxt
    syn_seq = seq_add(old_rcv_nxt, 100000)
    c.send("S", seq=syn_seq, ack=0, advance=False)
    s = c.expect("SA", ack=seq_add(syn_seq, 1), consume=False,
                 what="SYN-ACK of the reopened tuple")
    c.send("R", seq=seq_add(syn_seq, 1), ack=0, advance=False)
    c.expect_silence(0.2, "the RST to the SYN-ACK is not answered")
    c.send("FA", seq=seq_add(old_rcv_nxt, -1), ack=c.srv_nxt,
           advance=False)
    s = c.recv(0.5)
    observe(p, "old FIN after the RST: " + describe(
        s, **{"SND.NXT": c.srv_nxt, "RCV.NXT": old_rcv_nxt}))
    if p.t.name != "tcpterm":
        return
    check(s is not None and s.flags == "A" and s.seq == c.srv_nxt and
          s.ack == old_rcv_nxt, "%s: old FIN after the reset reopening: "
          "want the TIME_WAIT ACK seq=%d ack=%d, got %r"
          % (c, c.srv_nxt, old_rcv_nxt, s))
    check_counter(p, before, ["tw_returned"], what="back to TIME_WAIT")
