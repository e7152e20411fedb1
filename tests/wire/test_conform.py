# SPDX-License-Identifier: BSD-3-Clause
"""Conformance beyond the close path: the passive open seen from the
wire (SYN-RECEIVED), options on the SYN, the receive window, sequence
numbers across 2^32, and malformed frames.

- SYN-RECEIVED (RFC 9293 3.10.7.4 with RFC 5961): a retransmitted SYN
  draws the SYN-ACK again; an ACK that does not acknowledge our SYN
  draws <SEQ=SEG.ACK><CTL=RST> and leaves the connection as it was; a
  RST at RCV.NXT ends it, one elsewhere in the window draws a challenge
  ACK, one outside is dropped; the SYN-ACK is retransmitted with backoff
  and given up.
- Options (RFC 9293 3.7.1, RFC 7323): no MSS means 536; a tiny MSS is
  raised to a floor; TSecr of the SYN-ACK echoes the SYN's TSval.
- Text (RFC 9293 3.10.7.4 seventh): a segment starting before RCV.NXT
  delivers only its new bytes; one reaching past the window is trimmed.
- Malformed frames (RFC 9293 3.1, RFC 791, RFC 1122): a data offset
  below 5 or past the segment, an option running past the header, a bad
  checksum, an IPv4 fragment, a bad IHL or total length, another
  protocol: a counted drop, never a reply; IP options are no reason to
  drop, but a source route is (RFC 7126).
- Clocks (RFC 9293 3.4.1, RFC 7323 5.4), the initial window (RFC 6928),
  ACK frequency (RFC 5681 4.2), the peer's window (RFC 9293 3.8.6),
  sender SWS avoidance (RFC 9293 3.8.6.2.1).
- SYN cookies (RFC 4987 3.6), on an instance with tcp.syncookies:
  always: the cookie's ACK opens the connection, a wrong one is reset,
  the options the SYN offered survive when timestamps carry them.
"""

import time

from scapy.all import ARP, ICMP, IP, TCP, UDP, Ether, Raw
from scapy.layers.inet import (IPOption, IPOption_LSRR,
                               IPOption_Router_Alert)

import targets
from peer import Peer, Target, seq_add
from steps import (check, check_counter, close_wait, delta, describe,
                   drop_deltas, established, linux, observe, probe_gone,
                   stats, tcp_overrides)


def _names(c, **more):
    d = {"SND.NXT": c.srv_nxt, "RCV.NXT": c.snd_nxt}
    d.update(more)
    return d


def syn_received(p, role="echo", ts=False, opts=None):
    """SYN sent and SYN-ACK read, the handshake not completed: the server
    is in SYN-RECEIVED. c.srv_nxt is ISS+1, c.rcv_nxt what we ACK."""
    c = p.conn(p.t.ports[role], ts=ts)
    c.send("S", ack=0, opts=opts)
    sa = c.expect("SA", ack=c.snd_nxt, what="SYN-ACK")
    c.irs = sa.seq
    c.srv_nxt = seq_add(sa.seq, 1)
    c.synack = sa
    return c


def recv_skip_synack(c, timeout):
    """The next segment that is not a retransmitted SYN-ACK."""
    end = time.monotonic() + timeout
    while True:
        s = c.recv(max(end - time.monotonic(), 0))
        if s is None or not (s.flags == "SA" and s.seq == c.irs):
            return s


def echo_roundtrip(c, payload, what, ack=True):
    """Send payload at snd_nxt and read its echo (pure ACKs skipped);
    acknowledge it unless ack is false."""
    c.send("PA", data=payload)
    got = b""
    end = time.monotonic() + 1.5
    while len(got) < len(payload):
        s = recv_skip_synack(c, max(end - time.monotonic(), 0))
        check(s is not None, "%s: %s: no echo of %r (got %r)"
              % (c, what, payload, got))
        check(not s.has("R"), "%s: %s: RST %r" % (c, what, s))
        if s.data and s.seq == c.rcv_nxt:
            got += s.data
            c.note(s)
    c.srv_nxt = c.rcv_nxt
    check(got == payload, "%s: %s: echo %r, want %r" % (c, what, got,
                                                        payload))
    # Acknowledge the echo: no retransmission of it later.
    if ack:
        c.send("A")
    return got


def complete(c, what):
    """Finish the handshake with an ACK and show the connection works."""
    c.send("A")
    echo_roundtrip(c, b"ping", what)


# ---- SYN-RECEIVED ----

@linux
def test_syn_received_syn_retransmit(p):
    """RFC 9293 3.10.7.4 (RFC 793 3.9, "a retransmitted SYN"): the same
    SYN again in SYN-RECEIVED means the SYN-ACK was lost: it is sent
    again, with the same ISS and ACK."""
    c = syn_received(p)
    c.send("S", seq=c.iss, ack=0, advance=False)
    s = c.recv(0.15)
    observe(p, "same SYN again: " + describe(
        s, ISS=c.irs, **{"SEG.SEQ+1": c.snd_nxt}))
    check(s is not None and s.flags == "SA" and s.seq == c.irs and
          s.ack == c.snd_nxt, "%s: retransmitted SYN: want SYN-ACK seq=%d "
          "ack=%d, got %r" % (c, c.irs, c.snd_nxt, s))
    complete(c, "after the retransmitted SYN")


@linux
def test_syn_received_syn_after_synack_timeout(p):
    """The SYN-ACK and its resend by the retransmission timer (the
    initial RTO on: 200 ms here, 1 s by default) are both lost: the SYN
    again after that timeout still draws the SYN-ACK at once, same ISS
    and ACK, as Linux. tcpterm's timeout had made it take the SYN for a
    new one, answered with an ACK a client in SYN-SENT discards, the
    handshake left to the next timeout, twice the first."""
    c = syn_received(p)
    sa = c.expect("SA", ack=c.snd_nxt, timeout=1.5,
                  what="the SYN-ACK resent by its timer")
    check(sa.seq == c.irs, "%s: resent SYN-ACK seq %d, want ISS %d"
          % (c, sa.seq, c.irs))
    c.send("S", seq=c.iss, ack=0, advance=False)
    s = c.recv(0.15)
    observe(p, "same SYN again after the SYN-ACK's timeout: " + describe(
        s, ISS=c.irs, **{"SEG.SEQ+1": c.snd_nxt}))
    check(s is not None and s.flags == "SA" and s.seq == c.irs and
          s.ack == c.snd_nxt, "%s: retransmitted SYN after the SYN-ACK's "
          "timeout: want SYN-ACK seq=%d ack=%d, got %r"
          % (c, c.irs, c.snd_nxt, s))
    complete(c, "after the SYN again")


@linux
def test_syn_received_syn_copies_limited(p):
    """Ten copies of the SYN at once in SYN-RECEIVED: the first draws the
    SYN-ACK again (it may have been lost), the others nothing, one reply
    per tcp.invalid_ratelimit_ms as Linux's request sockets answer
    (counter invalid_reply_limited). At most one more SYN-ACK may be the
    retransmission timer's."""
    before = stats(p)
    c = syn_received(p)
    for _ in range(10):
        c.send("S", seq=c.iss, ack=0, advance=False)
    got = [s for s in c.drain(0.1)]
    synacks = [s for s in got if s.flags == "SA" and s.seq == c.irs and
               s.ack == c.snd_nxt]
    observe(p, "10 copies of the SYN: %d SYN-ACKs" % len(synacks))
    check(len(synacks) == len(got) and 1 <= len(synacks) <= 2,
          "%s: 10 copies of the SYN: want 1 SYN-ACK (2 with a timer's), got "
          "%r" % (c, got))
    check_counter(p, before, ["invalid_reply_limited"], at_least=8,
                  what="SYN copies")
    complete(c, "after the copies of the SYN")


@linux
def test_syn_received_ack_not_of_syn(p):
    """RFC 9293 3.10.7.4 fifth, SYN-RECEIVED: "If SND.UNA < SEG.ACK =<
    SND.NXT, then enter ESTABLISHED ... If the segment acknowledgment is
    not acceptable, form a reset segment <SEQ=SEG.ACK><CTL=RST> and send
    it." The connection stays: the right ACK still completes it."""
    before = stats(p)
    c = syn_received(p)
    for what, ack in (("SEG.ACK=ISS", c.irs),
                      ("SEG.ACK=ISS+1000", seq_add(c.irs, 1000))):
        c.send("A", ack=ack, advance=False)
        s = recv_skip_synack(c, 0.3)
        observe(p, "%s: %s" % (what, describe(s, ISS=c.irs)))
        check(s is not None and s.flags == "R" and s.seq == ack,
              "%s: ACK %s in SYN-RECEIVED: want <SEQ=SEG.ACK><CTL=RST> "
              "seq=%d, got %r" % (c, what, ack, s))
    check_counter(p, before, ["drop_bad_ack"], at_least=2,
                  what="unacceptable ACKs in SYN-RECEIVED")
    complete(c, "after the unacceptable ACKs")


@linux
def test_syn_received_rst_exact(p):
    """RFC 9293 3.10.7.4 second with RFC 5961 3.2: a RST at RCV.NXT in
    SYN-RECEIVED (passive OPEN) returns the tuple to LISTEN: the
    connection is gone, the ACK of the old SYN-ACK then draws a RST."""
    c = syn_received(p)
    c.send("R", ack=0, advance=False)
    s = recv_skip_synack(c, 0.3)
    observe(p, "RST at RCV.NXT: " + describe(s, ISS=c.irs))
    check(s is None, "%s: RST in SYN-RECEIVED: want silence, got %r"
          % (c, s))
    c.skip_fin = None
    c.send("A", advance=False)
    s = recv_skip_synack(c, 0.5)
    observe(p, "then the ACK: " + describe(s, **{"SEG.ACK": c.rcv_nxt}))
    check(s is not None and s.flags == "R" and s.seq == c.rcv_nxt,
          "%s: after the RST the ACK must get <SEQ=SEG.ACK><CTL=RST> "
          "(seq %d), got %r" % (c, c.rcv_nxt, s))


@linux
def test_syn_received_rst_in_window(p):
    """RFC 9293 3.10.7.4 second (RFC 5961 3.2 item 3): a RST in the
    window but not at RCV.NXT draws a challenge ACK
    <SEQ=SND.NXT><ACK=RCV.NXT> and changes nothing."""
    before = stats(p)
    c = syn_received(p)
    c.send("R", seq=seq_add(c.snd_nxt, 100), ack=0, advance=False)
    s = recv_skip_synack(c, 0.3)
    observe(p, "RST at RCV.NXT+100: " + describe(s, **_names(c)))
    check(s is not None and s.flags == "A" and s.seq == c.srv_nxt and
          s.ack == c.snd_nxt, "%s: in-window RST in SYN-RECEIVED: want "
          "challenge ACK seq=%d ack=%d, got %r"
          % (c, c.srv_nxt, c.snd_nxt, s))
    check_counter(p, before, ["challenge_ack"], what="challenge ACK")
    complete(c, "after the in-window RST")


@linux
def test_syn_received_rst_out_of_window(p):
    """RFC 9293 3.10.7.4 second (RFC 5961 3.2 item 1): a RST outside the
    window is dropped silently; the handshake still completes."""
    c = syn_received(p)
    c.send("R", seq=seq_add(c.snd_nxt, 0x40000000), ack=0, advance=False)
    s = recv_skip_synack(c, 0.3)
    observe(p, "RST far ahead: " + describe(s, **_names(c)))
    check(s is None, "%s: out-of-window RST in SYN-RECEIVED: want "
          "silence, got %r" % (c, s))
    complete(c, "after the out-of-window RST")


@linux
def test_syn_received_data_out_of_window(p):
    """RFC 9293 3.10.7.4 first, SYN-RECEIVED is included: an
    unacceptable segment draws <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> and
    is dropped; the handshake still completes."""
    c = syn_received(p)
    c.send("PA", seq=seq_add(c.snd_nxt, 0x40000000), data=b"far",
           advance=False)
    s = recv_skip_synack(c, 0.3)
    observe(p, "data far ahead: " + describe(s, **_names(c)))
    check(s is not None and s.flags == "A" and s.seq == c.srv_nxt and
          s.ack == c.snd_nxt, "%s: unacceptable segment in SYN-RECEIVED: "
          "want ACK seq=%d ack=%d, got %r" % (c, c.srv_nxt, c.snd_nxt, s))
    complete(c, "after the unacceptable segment")


def test_synack_retransmit_backoff(p):
    """RFC 6298 5.5 and 5.7 (RFC 9293 3.8.1): the SYN-ACK is
    retransmitted from the initial RTO on, the interval doubling each
    time; after tcp.max_retries the connection is given up (RFC 9293
    3.8.3 R2), and the ACK of the SYN-ACK then draws a RST."""
    c = p.conn(p.t.ports["echo"])
    c.send("S", ack=0)
    first = c.expect("SA", ack=c.snd_nxt, what="SYN-ACK")
    times = [first.t]
    rto = p.t.params["rto_initial_ms"] / 1000.0
    limit = p.t.params["max_retries"]
    end = time.monotonic() + rto * (2 ** (limit + 2))
    while time.monotonic() < end:
        s = c.recv(max(end - time.monotonic(), 0))
        if s is None:
            break
        check(s.flags == "SA" and s.seq == first.seq and
              s.ack == first.ack, "%s: want the same SYN-ACK again, got %r"
              % (c, s))
        times.append(s.t)
    gaps = [b - a for a, b in zip(times, times[1:])]
    p.note("SYN-ACK gaps (ms): " + ", ".join("%.0f" % (g * 1000)
                                            for g in gaps))
    check(len(gaps) == limit, "%s: %d SYN-ACK retransmissions, want %d "
          "(tcp.max_retries)" % (c, len(gaps), limit))
    check(abs(gaps[0] - rto) < 0.08, "%s: first retransmission after "
          "%.0f ms, want %.0f" % (c, gaps[0] * 1000, rto * 1000))
    for a, b in zip(gaps, gaps[1:]):
        check(1.6 * a < b < 2.4 * a, "%s: backoff %.0f ms -> %.0f ms, "
              "want doubling" % (c, a * 1000, b * 1000))
    c.send("A", ack=seq_add(first.seq, 1))
    c.rcv_nxt = seq_add(first.seq, 1)
    probe_gone(c, "after the SYN-ACK was given up")


# ---- The SYN ----

@linux
def test_syn_with_data(p):
    """RFC 9293 3.10.7.2 third: text on a SYN "will be processed after
    the connection is established" or dropped; either way the SYN-ACK
    acknowledges what was taken. tcpterm (as Linux without TCP Fast
    Open) takes the SYN only: ack = SEG.SEQ+1, and the data sent again
    after the handshake is delivered once."""
    c = p.conn(p.t.ports["echo"])
    c.send("S", ack=0, data=b"early", advance=False)
    sa = c.expect("SA", what="SYN-ACK")
    observe(p, "SYN with 5 bytes: " + describe(
        sa, ISS=sa.seq, **{"SEG.SEQ+1": seq_add(c.iss, 1),
               "SEG.SEQ+6": seq_add(c.iss, 6)}))
    check(sa.ack == seq_add(c.iss, 1), "%s: SYN with data: want ack=%d "
          "(the SYN only), got %r" % (c, seq_add(c.iss, 1), sa))
    c.irs = sa.seq
    c.srv_nxt = seq_add(sa.seq, 1)
    c.snd_nxt = seq_add(c.iss, 1)
    c.send("A")
    echo_roundtrip(c, b"early", "data of the SYN sent again")


@linux
def test_syn_fin_listen(p):
    """SYN+FIN to a listener: no RFC 9293 rule opens a connection on a
    FIN before the handshake; it is dropped (counted), never answered,
    as Linux does."""
    before = stats(p)
    c = p.conn(p.t.ports["echo"])
    c.send("SF", ack=0, advance=False)
    s = c.recv(0.3)
    observe(p, "SYN+FIN: " + describe(s))
    check(s is None, "%s: SYN+FIN to a listener: want silence, got %r"
          % (c, s))
    check_counter(p, before, ["drop_syn_fin"], what="SYN+FIN dropped")


def _echo_sizes(p, opts, n):
    """Open an echo connection with the SYN options opts, send n bytes
    in pieces of 1000, return the sizes of the echoed segments."""
    c = p.conn(p.t.ports["echo"])
    c.send("S", ack=0, opts=opts)
    sa = c.expect("SA", ack=c.snd_nxt, what="SYN-ACK")
    c.srv_nxt = seq_add(sa.seq, 1)
    c.send("A")
    data = bytes(range(256)) * (n // 256)
    for i in range(0, len(data), 1000):
        c.send("PA", data=data[i:i + 1000])
    sizes = []
    got = b""
    end = time.monotonic() + 2.0
    while len(got) < len(data) and time.monotonic() < end:
        s = c.recv(max(end - time.monotonic(), 0))
        if s is None:
            break
        if s.data and s.seq == c.rcv_nxt:
            got += s.data
            sizes.append(len(s.data))
            c.note(s)
            c.send("A")
    check(got == data, "%s: echo of %d bytes: got %d" % (c, len(data),
                                                        len(got)))
    return sizes


@linux
def test_mss_absent_536(p):
    """RFC 9293 3.7.1: "If an MSS Option is not received at connection
    setup, TCP implementations MUST assume a default send MSS of 536":
    no echoed segment carries more than 536 bytes."""
    sizes = _echo_sizes(p, [], 2048)
    observe(p, "largest segment without MSS: %d" % max(sizes))
    check(max(sizes) == 536, "segments without an MSS option: largest "
          "%d, want 536 (sizes %s)" % (max(sizes), sizes))


def test_mss_tiny_floor(p):
    """An MSS of 8 is raised to tcpterm's floor (64 bytes, like Linux's
    tcp_min_snd_mss of 48): a peer cannot make it cut its data in
    one-byte segments (RFC 9293 3.7.1 lets the sender limit segment
    sizes; CVE-2019-11479)."""
    sizes = _echo_sizes(p, [("MSS", 8)], 1024)
    p.note("segment sizes with MSS 8: %s" % sorted(set(sizes)))
    check(max(sizes) == 64 and min(sizes) >= 1, "MSS 8: want 64-byte "
          "segments, got %s" % sizes)


@linux
def test_synack_echoes_tsval(p):
    """RFC 7323 3.2 and 4.3 (3): the SYN-ACK carries a timestamp whose
    TSecr is the TSval of the SYN."""
    c = p.conn(p.t.ports["echo"], ts=True)
    ts_val = c.ts_val
    c.send("S", ack=0)
    sa = c.expect("SA", ack=c.snd_nxt, what="SYN-ACK")
    tso = sa.opts.get("Timestamp")
    observe(p, "SYN-ACK timestamp echoes TSval: %s"
            % (tso is not None and tso[1] == ts_val))
    check(tso is not None and tso[1] == ts_val, "%s: SYN-ACK TS option %r,"
          " want TSecr=%d" % (c, tso, ts_val))


# ---- Text ----

@linux
def test_data_partly_before_rcv_nxt(p):
    """RFC 9293 3.10.7.4 first/seventh: a segment starting before RCV.NXT
    but reaching past it is acceptable; only the new bytes are
    delivered, and the ACK covers them."""
    c = syn_received(p)
    complete(c, "handshake")
    start = c.snd_nxt
    echo_roundtrip(c, b"12345", "first bytes")
    c.send("PA", seq=seq_add(start, 3), data=b"45678", advance=False)
    c.snd_nxt = seq_add(start, 8)
    got = b""
    end = time.monotonic() + 1.0
    last = None
    echo_seq = c.rcv_nxt
    while len(got) < 3 and time.monotonic() < end:
        s = c.recv(max(end - time.monotonic(), 0))
        if s is None:
            break
        last = s
        if s.data and s.seq == c.rcv_nxt:
            got += s.data
            c.note(s)
    observe(p, "overlap: echo %r ack=%s" % (
        got, describe(last, **{"start+8": c.snd_nxt,
                               "SND.NXT": echo_seq})))
    check(got == b"678" and last.ack == c.snd_nxt, "%s: overlapping "
          "segment: want echo '678' and ack=%d, got %r %r"
          % (c, c.snd_nxt, got, last))


@linux
def test_seq_wrap(p):
    """Sequence numbers are modulo 2^32 (RFC 9293 3.4): data from an ISN
    just below 2^32 crosses zero and is echoed; afterwards a RST in the
    window draws a challenge ACK and a RST at RCV.NXT (past the wrap)
    resets (RFC 5961 3.2)."""
    c = p.conn(p.t.ports["echo"], isn=0xfffffff0)
    sa = c.connect()
    c.srv_nxt = seq_add(sa.seq, 1)
    echo_roundtrip(c, b"0123456789abcdefghij", "data across 2^32")
    check(c.snd_nxt < 0x1000, "%s: snd_nxt %d did not wrap"
          % (c, c.snd_nxt))
    c.send("R", seq=seq_add(c.snd_nxt, 10), ack=0, advance=False)
    s = c.recv(0.3)
    observe(p, "RST at RCV.NXT+10 after the wrap: " + describe(
        s, **_names(c)))
    check(s is not None and s.flags == "A" and s.seq == c.srv_nxt and
          s.ack == c.snd_nxt, "%s: in-window RST after the wrap: want "
          "challenge ACK seq=%d ack=%d, got %r"
          % (c, c.srv_nxt, c.snd_nxt, s))
    c.send("R", seq=seq_add(c.snd_nxt, -20), ack=0, advance=False)
    s = c.recv(0.3)
    observe(p, "RST at RCV.NXT-20 (before the wrap): " + describe(
        s, **_names(c)))
    check(s is None, "%s: RST below RCV.NXT (before 2^32): want silence,"
          " got %r" % (c, s))
    c.send("R", ack=0, advance=False)
    s = c.recv(0.3)
    check(s is None, "%s: RST at RCV.NXT: want silence, got %r" % (c, s))
    probe_gone(c, "after a RST at RCV.NXT past the wrap")


def test_data_beyond_window_trimmed(p):
    """RFC 9293 3.10.7.4: a segment whose first byte is in the window but
    which reaches past RCV.NXT+RCV.WND is acceptable and trimmed to the
    window ("the segment ... SHOULD be trimmed"): held out of order, it
    is acknowledged only up to the right edge once the hole fills."""
    c = p.conn(p.t.ports["discard"])
    sa = c.connect()
    c.srv_nxt = seq_add(sa.seq, 1)
    base = c.snd_nxt
    wnd = sa.win
    check(not sa.opts.get("WScale"), "%s: window scale offered without "
          "the peer's option: %r" % (c, sa))
    c.send("PA", seq=seq_add(base, wnd - 5), data=b"0123456789",
           advance=False)
    s = c.recv(0.3)
    check(s is not None and s.flags == "A" and s.ack == base,
          "%s: segment across the right edge: want duplicate ACK ack=%d, "
          "got %r" % (c, base, s))
    # Fill the hole up to the segment's start, in full segments.
    off = 0
    while off < wnd - 5:
        n = min(1460, wnd - 5 - off)
        c.send("A", data=b"x" * n)
        off += n
    acks = [a for a in c.drain(0.5) if a.flags == "A"]
    last = acks[-1] if acks else None
    p.note("window %d; last ACK %r" % (wnd, last))
    check(last is not None and last.ack == seq_add(base, wnd),
          "%s: want the trimmed segment acknowledged to the right edge "
          "ack=%d (base+%d), got %r" % (c, seq_add(base, wnd), wnd, last))


@linux
def test_sack_blocks_outside_window(p):
    """RFC 2018 and RFC 6675: SACK blocks for sequence space never sent
    (above SND.NXT, or reversed) are ignored: no reply, no harm; the
    connection still echoes."""
    c = p.conn(p.t.ports["echo"])
    c.sack = True
    c.srv_nxt = seq_add(c.connect().seq, 1)
    echo_roundtrip(c, b"hello", "before the SACK blocks")
    bad = [("NOP", None), ("NOP", None),
           ("SAck", (seq_add(c.srv_nxt, 100000), seq_add(c.srv_nxt, 200000),
                     seq_add(c.srv_nxt, -50), seq_add(c.srv_nxt, -100)))]
    c.send("A", opts=bad)
    s = c.recv(0.3)
    observe(p, "ACK with bogus SACK blocks: " + describe(s, **_names(c)))
    check(s is None, "%s: bogus SACK blocks: want silence, got %r"
          % (c, s))
    echo_roundtrip(c, b"world", "after the SACK blocks")


# ---- Malformed frames ----

def _raw(p, l3):
    """Send an Ethernet frame around l3 (bytes or a scapy layer)."""
    p._send_frame(Ether(src=p.t.peer_mac, dst=p.server_mac, type=0x0800) /
                  l3)


def _ip(p, **kw):
    return IP(src=p.t.peer_ip, dst=p.t.server_ip, ttl=64, **kw)


def _silent_drop(p, what, send, reasons):
    """send() one malformed frame: no TCP reply, a drop_* counter of
    reasons rises."""
    before = stats(p)
    c = p.conn(p.t.ports["echo"])
    send(c)
    s = c.recv(0.3)
    d = drop_deltas(p, before)
    observe(p, "%s: %s" % (what, describe(s)))
    check(s is None, "%s: want silence, got %r" % (what, s))
    if before is not None:
        check(any(d.get(r, 0) >= 1 for r in reasons), "%s: want a drop "
              "counted as %s, got %s" % (what, "/".join(reasons), d))
    return c


@linux
def test_tcp_doff_below_5(p):
    """RFC 9293 3.1: the data offset counts 32-bit words of a header of
    at least 20 bytes; 4 is malformed: a counted drop, no reply."""
    _silent_drop(p, "SYN with data offset 4", lambda c: _raw(
        p, _ip(p) / TCP(sport=c.sport, dport=c.dport, flags="S",
                        seq=c.iss, dataofs=4)), ["drop_tcp_doff"])


@linux
def test_tcp_doff_past_segment(p):
    """A data offset of 15 words (60 bytes) in a 20-byte segment points
    past its end: a counted drop, no reply."""
    _silent_drop(p, "SYN with data offset 15", lambda c: _raw(
        p, _ip(p) / TCP(sport=c.sport, dport=c.dport, flags="S",
                        seq=c.iss, dataofs=15)), ["drop_tcp_doff"])


@linux
def test_tcp_option_past_header(p):
    """RFC 9293 3.1: "TCP implementations MUST be prepared to handle an
    illegal option length (e.g., zero)": an MSS option whose length runs
    past the header end, then an option of length 0: counted drops, no
    reply, and tcpterm lives on."""
    _silent_drop(p, "MSS option past the header", lambda c: _raw(
        p, _ip(p) / TCP(sport=c.sport, dport=c.dport, flags="S",
                        seq=c.iss, dataofs=6, options=[]) /
        Raw(b"\x01\x01\x02\x04")), ["drop_tcp_opts"])
    _silent_drop(p, "option of length 0", lambda c: _raw(
        p, _ip(p) / TCP(sport=c.sport, dport=c.dport, flags="S",
                        seq=c.iss, dataofs=6, options=[]) /
        Raw(b"\x1e\x00\x01\x01")), ["drop_tcp_opts"])
    c = p.conn(p.t.ports["echo"])
    c.connect()


@linux
def test_ipv4_fragment_syn(p):
    """tcpterm does not reassemble (docs/architecture.md): an IPv4
    fragment holding a SYN (first fragment, MF set; and a later one) is
    a counted drop, never answered."""
    _silent_drop(p, "SYN in a first fragment", lambda c: _raw(
        p, _ip(p, flags="MF") / TCP(sport=c.sport, dport=c.dport,
                                    flags="S", seq=c.iss)),
        ["drop_ip_frag"])
    _silent_drop(p, "SYN-shaped later fragment", lambda c: _raw(
        p, _ip(p, frag=8, proto=6) / Raw(bytes(TCP(
            sport=c.sport, dport=c.dport, flags="S", seq=c.iss))))
        , ["drop_ip_frag"])


@linux
def test_ipv4_bad_header(p):
    """RFC 791 3.1 / RFC 1122 3.2.1: an IHL below 5 or a total length
    larger than the frame is a silent, counted drop."""
    def ihl4(c):
        b = bytearray(bytes(_ip(p) / TCP(sport=c.sport, dport=c.dport,
                                         flags="S", seq=c.iss)))
        b[0] = 0x44
        _raw(p, Raw(bytes(b)))

    _silent_drop(p, "IHL 4", ihl4, ["drop_ip_ihl", "drop_ip_csum"])
    _silent_drop(p, "total length past the frame", lambda c: _raw(
        p, _ip(p, len=200) / TCP(sport=c.sport, dport=c.dport, flags="S",
                                 seq=c.iss)), ["drop_ip_totlen"])


def test_other_protocols(p):
    """UDP and ICMP other than echo to tcpterm's address are dropped and
    counted (tcpterm speaks only TCP and ICMP echo); nothing comes back
    as TCP, and a SYN right after is served normally."""
    _silent_drop(p, "UDP to the TCP port", lambda c: _raw(
        p, _ip(p) / UDP(sport=c.sport, dport=c.dport) / Raw(b"x")),
        ["drop_ip_proto"])
    _silent_drop(p, "ICMP timestamp request", lambda c: _raw(
        p, _ip(p) / ICMP(type=13)), ["drop_icmp_type"])
    c = p.conn(p.t.ports["echo"])
    c.connect()



# ---- More of the handshake ----

@linux
def test_syn_received_fin_completes(p):
    """RFC 9293 3.10.7.4: an ACK of the SYN-ACK that carries a FIN first
    enters ESTABLISHED (fifth), then the FIN takes it to CLOSE-WAIT
    (eighth): it is acknowledged at once (ack = SEG.SEQ+1), and the echo
    server closes in turn with its own FIN."""
    c = syn_received(p)
    c.send("FA")
    s = recv_skip_synack(c, 0.5)
    observe(p, "ACK+FIN of the handshake: " + describe(
        s, **_names(c, **{"FIN+1": c.snd_nxt})))
    check(s is not None and s.seq == c.srv_nxt and s.ack == c.snd_nxt and
          s.has("A") and not s.has("R"), "%s: FIN completing the handshake"
          ": want ACK ack=%d, got %r" % (c, c.snd_nxt, s))
    if not s.has("F"):
        s = recv_skip_synack(c, 0.5)
    check(s is not None and s.has("F") and s.seq == c.srv_nxt,
          "%s: want the server's FIN seq=%d, got %r" % (c, c.srv_nxt, s))
    c.note(s)
    c.send("A")
    c.expect_silence(0.2, "closed")


def check_embryonic_gone(c):
    """The half-open connection was forgotten: the ACK of its SYN-ACK
    draws <SEQ=SEG.ACK><CTL=RST> (RFC 9293 3.10.7.2 second)."""
    c.send("A", advance=False)
    s = recv_skip_synack(c, 0.5)
    check(s is not None and s.flags == "R" and s.seq == c.rcv_nxt,
          "%s: the embryonic connection must be gone: the ACK should get "
          "<SEQ=SEG.ACK><CTL=RST> seq=%d, got %r" % (c, c.rcv_nxt, s))


@linux
def test_syn_received_other_syn(p):
    """RFC 9293 3.10.7.4 fourth, SYN-RECEIVED after a passive OPEN: a SYN
    in the window that is not the one being answered "return[s] this
    connection to the LISTEN state": the embryonic connection is gone,
    no SYN-ACK comes for the new SYN, the ACK of the old SYN-ACK draws a
    RST."""
    before = stats(p)
    c = syn_received(p)
    c.send("S", seq=seq_add(c.snd_nxt, 10), ack=0, advance=False)
    got = c.drain(0.3)
    other = [s for s in got if not (s.flags == "SA" and s.seq == c.irs)]
    observe(p, "other SYN in the window: " + (
        ", ".join(describe(s, ISS=c.irs, **{"SEG.ACK": c.rcv_nxt})
                  for s in other) or "silence"))
    check(not any(s.has("S") and s.ack == seq_add(c.snd_nxt, 11)
                  for s in other), "%s: a SYN-ACK for the other SYN: %r"
          % (c, other))
    check_counter(p, before, ["drop_syn_recv_syn"], what="SYN in "
                  "SYN-RECEIVED")
    check_embryonic_gone(c)



@linux
def test_syn_received_syn_old_ts(p):
    """RFC 7323 5.3 R1: with timestamps, PAWS comes before the sequence
    number check, for any segment but a RST. A SYN in the window whose
    TSval is older than the original SYN's is not acceptable: it draws
    an ACK and is dropped (drop_paws); it does not return the embryonic
    connection to LISTEN (RFC 9293 3.10.7.4 fourth is never reached),
    and the ACK of the SYN-ACK then completes the handshake."""
    before = stats(p)
    c = syn_received(p, ts=True)
    c.send("S", seq=seq_add(c.snd_nxt, 10), ack=0, advance=False,
           ts_val=(c.ts_val - 1000) & 0xffffffff)
    s = recv_skip_synack(c, 0.3)
    observe(p, "SYN in the window with an old TSval: " + describe(
        s, **_names(c)))
    check(s is not None and s.flags == "A" and s.seq == c.srv_nxt and
          s.ack == c.snd_nxt, "%s: old-TSval SYN in SYN-RECEIVED: want "
          "ACK seq=%d ack=%d, got %r" % (c, c.srv_nxt, c.snd_nxt, s))
    check_counter(p, before, ["drop_paws"], what="old-TSval SYN")
    # The ACK echoes the SYN-ACK's TSval (Linux takes no other TSecr on
    # the ACK that completes the handshake).
    c.ts_recent = c.synack.opts["Timestamp"][0]
    c.send("A")
    c.expect_silence(0.2, "handshake completed")
    echo_roundtrip(c, b"kept", "the connection kept")


def test_syn_received_syn_fin_forgets(p):
    """RFC 9293 3.10.7.4 fourth: a SYN+FIN with the original SYN's
    sequence number is no retransmission of the SYN (no stack sends
    one): it returns the embryonic connection to LISTEN like any other
    SYN there, silently (Linux answers with a RST). It drew a SYN-ACK as
    a copy of the SYN."""
    before = stats(p)
    c = syn_received(p)
    c.send("SF", seq=(c.snd_nxt - 1) & 0xffffffff, ack=0, advance=False)
    got = c.drain(0.3)
    observe(p, "SYN+FIN at the SYN's sequence number: " + (
        ", ".join(describe(s, ISS=c.irs) for s in got) or "silence"))
    check(not got, "%s: SYN+FIN in SYN-RECEIVED drew %r" % (c, got))
    check_counter(p, before, ["drop_syn_recv_syn"], what="SYN+FIN in "
                  "SYN-RECEIVED")
    check_embryonic_gone(c)


# ---- Timestamps and urgent data ----

@linux
def test_ts_not_negotiated_ignored(p):
    """RFC 7323 3.2: "If a TSopt is received on a non-<SYN> segment when
    the TSopt was not negotiated, the receiver MUST ignore it" (processed
    as if it were absent): the data is delivered (even with an old or
    zero TSval) and no reply carries a TSopt."""
    c = p.conn(p.t.ports["echo"])
    c.srv_nxt = seq_add(c.connect().seq, 1)
    c.ts = True
    c.ts_val = 0
    got = echo_roundtrip(c, b"stamped", "data with a TSopt not negotiated")
    tsr = [s for s in c.received if "Timestamp" in s.opts]
    observe(p, "echo %r, replies with TSopt: %d" % (got, len(tsr)))
    check(not tsr, "%s: replies carry a TSopt that was never negotiated:"
          " %r" % (c, tsr))


def recv_in_order(c, want, ack_win=None, timeout=1.0):
    """The in-order data received within timeout, up to want bytes;
    with ack_win, each segment is acknowledged with that window."""
    got = b""
    end = time.monotonic() + timeout
    while time.monotonic() < end and len(got) < want:
        s = c.recv(max(end - time.monotonic(), 0))
        if s is None:
            break
        if s.data and s.seq == c.rcv_nxt:
            got += s.data
            c.note(s)
            if ack_win is not None:
                c.send("A", win=ack_win)
    return got


@linux
def test_urgent_data_delivered(p):
    """RFC 9293 3.8.5 and 3.10.7.4 sixth: urgent data is part of the data
    stream (RFC 6093: delivered in line); the urgent pointer does not
    lose or reorder bytes: the echo server returns them all."""
    c = p.conn(p.t.ports["echo"])
    c.srv_nxt = seq_add(c.connect().seq, 1)
    payload = b"urgent!"
    _raw(p, _ip(p) / TCP(sport=c.sport, dport=c.dport, flags="PAU",
                         seq=c.snd_nxt, ack=c.rcv_nxt, window=65535,
                         urgptr=len(payload)) / Raw(payload))
    c.snd_nxt = seq_add(c.snd_nxt, len(payload))
    got = recv_in_order(c, len(payload))
    observe(p, "URG segment echoed as %r" % got)
    check(got == payload, "%s: URG data: echo %r, want %r"
          % (c, got, payload))


@linux
def test_data_after_fin_close_wait(p):
    """RFC 9293 3.10.7.4 seventh, CLOSE-WAIT: "This should not occur
    since a FIN has been received from the remote side. Ignore the
    segment text.": data past the peer's FIN is never delivered (the
    echo server would return it)."""
    c = close_wait(p)
    c.send("PA", data=b"after-fin", advance=False)
    got = c.drain(0.5)
    observe(p, "data after the FIN: " + (", ".join(
        describe(s, **_names(c)) for s in got) or "silence"))
    check(not any(s.data for s in got), "%s: data after the FIN was "
          "delivered: %r" % (c, got))


@linux
def test_closed_port_syn_fin_with_data(p):
    """RFC 9293 3.10.7.1: without ACK the reset is
    <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>, and SEG.LEN counts the
    SYN or FIN as well as the data."""
    for flags in ("S", "F"):
        c = p.conn(p.t.ports["closed"])
        c.send(flags, ack=0, data=b"abcde", advance=False)
        s = c.recv(0.3)
        want = seq_add(c.iss, 6)
        observe(p, "%s+5 bytes: %s" % (flags, describe(
            s, **{"0": 0, "SEG.SEQ+6": want,
                  "SEG.SEQ+5": seq_add(c.iss, 5)})))
        check(s is not None and s.flags == "RA" and s.seq == 0 and
              s.ack == want, "%s: %s with 5 bytes to a closed port: want "
              "RST,ACK seq=0 ack=%d, got %r" % (c, flags, want, s))


@linux
def test_listen_synack(p):
    """RFC 9293 3.10.7.2 second: in LISTEN any segment with an ACK,
    a SYN-ACK included, draws <SEQ=SEG.ACK><CTL=RST>."""
    c = p.conn(p.t.ports["echo"])
    c.send("SA", ack=123456, advance=False)
    s = c.recv(0.3)
    observe(p, "SYN-ACK to a listener: " + describe(
        s, **{"SEG.ACK": 123456}))
    check(s is not None and s.flags == "R" and s.seq == 123456,
          "%s: SYN-ACK to a listener: want RST seq=SEG.ACK, got %r"
          % (c, s))


@linux
def test_listen_syn_fin_ack(p):
    """RFC 9293 3.10.7.2 second: in LISTEN any segment with an ACK
    draws <SEQ=SEG.ACK><CTL=RST>, a SYN+FIN+ACK too: the ACK is checked
    before the SYN (a SYN+FIN without ACK is dropped)."""
    before = stats(p)
    c = p.conn(p.t.ports["echo"])
    c.send("SFA", ack=123456, advance=False)
    s = c.recv(0.3)
    observe(p, "SYN+FIN+ACK to a listener: " + describe(
        s, **{"SEG.ACK": 123456}))
    check(s is not None and s.flags == "R" and s.seq == 123456,
          "%s: SYN+FIN+ACK to a listener: want RST seq=SEG.ACK, got %r"
          % (c, s))
    check_counter(p, before, ["drop_listen_ack"],
                  what="SYN+FIN+ACK answered as an ACK")


@linux
def test_ipv4_options_syn(p):
    """RFC 1122 3.2.1.8: IP options (here Router Alert) are no reason to
    drop a datagram: the SYN is answered as without them."""
    c = p.conn(p.t.ports["echo"])
    _raw(p, _ip(p, options=[IPOption_Router_Alert()]) / TCP(
        sport=c.sport, dport=c.dport, flags="S", seq=c.iss, window=65535,
        options=[("MSS", 1460)]))
    s = c.recv(0.4)
    observe(p, "SYN with IP options: " + describe(
        s, **{"SEG.SEQ+1": seq_add(c.iss, 1)}))
    check(s is not None and s.flags == "SA" and
          s.ack == seq_add(c.iss, 1), "%s: SYN with IP options: want "
          "SYN-ACK ack=%d, got %r" % (c, seq_add(c.iss, 1), s))


def _srr_frames(p, c):
    """A SYN and an echo request, each with a loose source route whose
    one hop is done (the pointer past it): this host is the route's
    final destination. The TCP checksum is over our address, the
    destination the datagram carries (scapy would take the route's last
    hop)."""
    lsrr = [IPOption_LSRR(routers=["198.18.0.9"], pointer=8)]
    tcp = TCP(sport=c.sport, dport=c.dport, flags="S", seq=c.iss,
              window=65535)
    tcp.chksum = TCP(bytes(_ip(p) / tcp)[20:]).chksum
    return [_ip(p, options=lsrr) / tcp,
            _ip(p, options=lsrr) / ICMP(id=c.sport, seq=1) / Raw(b"srr")]


def _ip_replies(p, c, duration):
    """Every IPv4 frame from the server to the peer within duration: ICMP,
    or TCP of c's 4-tuple."""
    out = []
    end = time.monotonic() + duration
    while True:
        raw = p._recv_frame(max(end - time.monotonic(), 0))
        if raw is None:
            return out
        e = Ether(raw)
        if IP not in e or e[IP].src != p.t.server_ip or \
                e[IP].dst != p.t.peer_ip:
            continue
        if TCP not in e or e[TCP].dport == c.sport:
            out.append(e)


@linux
def test_ipv4_source_route(p):
    """A datagram with a loose source route (RFC 791 3.1) is dropped
    (counted as drop_ip_srr), as RFC 7126 4.3.4 advises and Linux does
    (accept_source_route 0): RFC 1122 3.2.2.6 and 4.2.3.8 would have the
    route reversed for the replies, and tcpterm does not reverse it (an
    echo reply went back carrying the route as received). Neither the
    SYN nor the echo request draws a reply; the same SYN without the
    option is served."""
    before = stats(p)
    c = p.conn(p.t.ports["echo"])
    for f in _srr_frames(p, c):
        _raw(p, f)
    got = _ip_replies(p, c, 0.4)
    observe(p, "SYN and echo with LSRR: %s" % (
        ", ".join(g[IP].payload.summary() for g in got) or "silence"))
    check(not got, "SYN and echo request with a source route: want "
          "silence, got %s" % [g.summary() for g in got])
    check_counter(p, before, ["drop_ip_srr"], at_least=2,
                  what="SYN and echo request with a source route")
    c.connect()


@linux
def test_tcp_bad_checksum(p):
    """RFC 9293 3.1 (MUST-2/3): a segment with a wrong checksum is
    dropped (counted), never answered."""
    _silent_drop(p, "SYN with a bad checksum", lambda c: _raw(
        p, _ip(p) / TCP(sport=c.sport, dport=c.dport, flags="S",
                        seq=c.iss, chksum=0x1234)), ["drop_tcp_csum"])


@linux
def test_isn_all_ones(p):
    """RFC 9293 3.4: a peer ISN of 2^32-1 makes RCV.NXT 0 at once; the
    handshake and the data that follow work."""
    c = p.conn(p.t.ports["echo"], isn=0xffffffff)
    sa = c.connect()
    c.srv_nxt = seq_add(sa.seq, 1)
    echo_roundtrip(c, b"zero", "after an ISN of 2^32-1")


def test_isn_clock(p):
    """RFC 9293 3.4.1 (MUST-8) and RFC 6528: the ISN generator is bound
    to a 32-bit clock ticking about every 4 microseconds: two
    incarnations of one 4-tuple 0.5 s apart get ISNs about 125000
    apart, in increasing order."""
    out = []
    sport = p.fresh_port()
    for i in range(2):
        c = p.conn(p.t.ports["echo"], sport=sport)
        sa = c.connect()
        out.append((sa.t, sa.seq))
        c.send("R", ack=0, advance=False)
        time.sleep(0.5)
    dt = out[1][0] - out[0][0]
    dis = (out[1][1] - out[0][1]) & 0xffffffff
    tick = dt * 1e6 / max(dis, 1)
    p.note("ISN moved %d in %.3f s: %.2f us a tick" % (dis, dt, tick))
    check(dis < 1 << 31 and 3.0 < tick < 5.0, "ISNs of one 4-tuple "
          "%.3f s apart differ by %d: %.2f us a tick, want about 4"
          % (dt, dis, tick))


def test_timestamp_clock(p):
    """RFC 7323 5.4: the TSval clock ticks between once a millisecond and
    once a second (tcpterm: 1 ms); RFC 7323 4.3: TSecr echoes the TSval
    of the segment acknowledged."""
    c = p.conn(p.t.ports["echo"], ts=True)
    sa = c.connect()
    c.srv_nxt = seq_add(sa.seq, 1)
    v0 = sa.opts["Timestamp"][0]
    time.sleep(0.5)
    mine = c.ts_val
    c.send("PA", data=b"t")
    s = c.recv(0.5)
    while s is not None and "Timestamp" not in s.opts:
        s = c.recv(0.5)
    check(s is not None, "%s: no reply with timestamps" % c)
    v1, ecr = s.opts["Timestamp"]
    rate = ((v1 - v0) & 0xffffffff) / (s.t - sa.t) / 1000.0
    p.note("TSval %.2f ticks a ms" % rate)
    check(0.8 < rate < 1.2, "%s: TSval moved %.2f a ms, want 1" % (c, rate))
    check(ecr == mine, "%s: TSecr %d, want the TSval %d we sent"
          % (c, ecr, mine))


def test_initial_window(p):
    """RFC 6928 2 (RFC 5681 3.1): IW = min(10*MSS, max(2*MSS, 14600)):
    before any ACK from the peer, the echo of 16 full segments sends at
    most 14600 new bytes (retransmissions and probes repeat them)."""
    c = p.conn(p.t.ports["echo"])
    c.srv_nxt = seq_add(c.connect().seq, 1)
    for i in range(16):
        c.send("PA", data=b"y" * 1460)
    top = 0
    for s in c.drain(0.3):
        if s.data:
            top = max(top, (s.seq + len(s.data) - c.srv_nxt) & 0xffffffff)
    p.note("new bytes before an ACK: %d" % top)
    check(top == 14600, "%s: %d new bytes sent before any ACK, want "
          "14600 (IW of 10 segments)" % (c, top))


def test_ack_every_second_segment(p):
    """RFC 5681 4.2 / RFC 1122 4.2.3.2: an ACK SHOULD be generated for at
    least every second full-sized segment: six draw three. (They are
    5 ms apart: one receive burst holding them all may draw a single
    ACK.)"""
    c = p.conn(p.t.ports["discard"])
    c.srv_nxt = seq_add(c.connect().seq, 1)
    base = c.snd_nxt
    for i in range(6):
        c.send("A", data=b"z" * 1460)
        time.sleep(0.005)
    acks = [(s.ack - base) & 0xffffffff for s in c.drain(0.3)
            if s.flags == "A"]
    p.note("6 full segments: ACKs at %s" % acks)
    check(acks[:3] == [2920, 5840, 8760], "%s: want ACKs at 2920, 5840, "
          "8760, got %s" % (c, acks))


@linux
def test_ack_every_second_segment_below_mss(p):
    """RFC 5681 4.2: full-sized is the sender's SMSS, which may be below
    the MSS it announced (its path MTU is smaller): a peer announcing
    1460 and sending six segments of 1400 bytes, 5 ms apart, gets at
    least every second one acknowledged at once (Linux acknowledges each
    at the start of a connection), not one delayed ACK for all."""
    c = p.conn(p.t.ports["discard"])
    c.srv_nxt = seq_add(c.connect().seq, 1)
    base = c.snd_nxt
    for i in range(6):
        c.send("A", data=b"z" * 1400)
        time.sleep(0.005)
    acks = [(s.ack - base) & 0xffffffff for s in c.drain(0.3)
            if s.flags == "A"]
    p.note("6 segments of 1400 bytes (MSS 1460): ACKs at %s" % acks)
    check(all(k in acks for k in (2800, 5600, 8400)), "%s: want ACKs at "
          "2800, 5600 and 8400 at least, got %s" % (c, acks))


def test_peer_window_respected(p):
    """RFC 9293 3.8.6: the sender never sends beyond SND.UNA + SND.WND:
    1000 bytes to echo, with a window of 100, come back 100 at most
    (retransmissions of them aside)."""
    c = established(p, "echo")
    c.send("PA", data=b"w" * 1000, win=100)
    top = 0
    for s in c.drain(0.5):
        if s.data:
            top = max(top, (s.seq + len(s.data) - c.srv_nxt) & 0xffffffff)
    p.note("echo into a window of 100: %d bytes" % top)
    check(top <= 100, "%s: sent %d bytes into a window of 100" % (c, top))


@linux
def test_window_shrunk_ack_at_edge(p):
    """RFC 9293 3.8.6 (RFC 1122 4.2.2.16): a sender must be robust
    against a window that shrinks. 2000 bytes echoed are in flight when
    the peer, acknowledging none of them, offers a zero window: its
    right edge is SND.UNA, and the ACK of its next byte must come there,
    the one sequence number a zero window accepts (RFC 9293 3.10.7.4),
    not at SND.MAX beyond the edge, where the peer would drop it, and
    our window with it. Linux's tcp_acceptable_seq() clamps so too."""
    c = established(p, "echo")
    una = c.srv_nxt
    c.send("PA", data=b"w" * 1000)
    c.send("PA", data=b"w" * 1000)
    top = una
    for s in c.drain(0.3):
        if s.data:
            top = max(top, seq_add(s.seq, len(s.data)),
                      key=lambda v: (v - una) & 0xffffffff)
    check((top - una) & 0xffffffff == 2000, "%s: echo of 2000 bytes: %d"
          " sent" % (c, (top - una) & 0xffffffff))
    c.send("A", ack=una, win=0)
    c.send("PA", data=b"x", ack=una, win=0)
    ack = None
    for s in c.drain(0.5):
        if not s.data and not s.has("R") and s.ack == c.snd_nxt:
            ack = s
            break
    observe(p, "ACK with the window shrunk to zero: " + describe(
        ack, **{"SND.UNA": una, "SND.MAX": top, "RCV.NXT": c.snd_nxt}))
    check(ack is not None and ack.seq == una, "%s: ACK of a byte into a"
          " zero window with 2000 bytes beyond its edge: want seq=%d"
          " (SND.UNA, the edge), got %r" % (c, una, ack))


@linux
def test_window_back_under_a_unit_ack_at_snd_max(p):
    """RFC 7323 2.4 and Appendix F: with a window scale the right edge
    may come back by less than a unit (the window rounded to it) while
    the peer still holds all it offered before. No shrinking: 1002
    bytes echoed are in flight when the peer, scale 2 (a unit of 4
    bytes), offers an edge 2 bytes short of them; the ACK of its next
    byte comes at SND.MAX, which it may hold, not at the edge below it.
    Linux's tcp_acceptable_seq() tolerates such a retraction too."""
    c = p.conn(p.t.ports["echo"])
    c.send("S", ack=0, opts=[("MSS", 1460), ("WScale", 2), ("NOP", None)])
    sa = c.expect("SA", ack=c.snd_nxt, what="SYN-ACK")
    c.srv_nxt = seq_add(sa.seq, 1)
    c.send("A")
    una = c.srv_nxt
    for n in (1000, 1002):
        # The first echo acknowledged: no Nagle hold on the second.
        c.send("PA", data=b"w" * n, ack=una)
        top = una
        for s in c.drain(0.3):
            if s.data:
                top = max(top, seq_add(s.seq, len(s.data)),
                          key=lambda v: (v - una) & 0xffffffff)
        check((top - una) & 0xffffffff == n, "%s: echo of %d bytes: %d"
              " sent" % (c, n, (top - una) & 0xffffffff))
        if n == 1000:
            una = top
    c.send("PA", data=b"x", ack=una, win=250)
    ack = None
    for s in c.drain(0.5):
        if not s.data and not s.has("R") and s.ack == c.snd_nxt:
            ack = s
            break
    observe(p, "ACK with the edge 2 bytes back, a unit 4: " + describe(
        ack, **{"SND.UNA": una, "SND.MAX": top, "RCV.NXT": c.snd_nxt}))
    check(ack is not None and ack.seq == top, "%s: ACK with the edge back"
          " by under a scale unit: want seq=%d (SND.MAX), got %r"
          % (c, top, ack))


@linux
def test_sender_sws_avoidance(p):
    """RFC 9293 3.8.6.2.1: "A TCP implementation MUST include a SWS
    avoidance algorithm in the sender (MUST-38)": with D bytes queued and
    a usable window U, send when a full segment fits, when all queued
    pushed data fits, when U >= Fs * max(SND.WND) (Fs = 1/2), or when the
    override timeout (0.1 to 1 s) expires. Here 1000 bytes wait for the
    echo and the peer, having offered 65535, offers 100: nothing may go
    before 0.1 s. tcpterm waits for its override timer (the RTO, within
    0.1 to 1 s), Linux for its probe timer. The segment that offers 100
    acknowledges the echo of a first byte: Linux takes a smaller window
    only from a segment that acknowledges new data or lies past SND.WL1
    (tcp_may_update_window())."""
    c = established(p, "echo")
    echo_roundtrip(c, b"a", "one byte first", ack=False)
    base = c.rcv_nxt
    t0 = c.send("PA", data=b"w" * 1000, win=100)
    first = None
    for s in c.drain(1.5):
        if s.data:
            first = s
            break
    dt = (first.t - t0) if first is not None else None
    observe(p, "first segment into a window of 100 %s" % (
        "never" if dt is None else "after <100 ms" if dt < 0.1 else
        "after 100 ms to 1 s" if dt <= 1.05 else "after >1 s"))
    p.note("first data after %s: %r" % (
        "-" if dt is None else "%.0f ms" % (dt * 1000), first))
    check(first is not None, "%s: none of 1000 bytes sent in 1.5 s into a"
          " window of 100 (the override timeout is at most 1 s)" % c)
    check((first.seq - base) & 0xffffffff == 0, "%s: first data at %d, not"
          " the held bytes at %d" % (c, first.seq, base))
    check(0.1 <= dt <= 1.05, "%s: %d bytes sent %.0f ms after a window of"
          " 100 opened: the override timeout is 0.1 to 1 s" % (
              c, len(first.data), dt * 1000))


@linux
def test_sender_sws_window_flipping(p):
    """RFC 9293 3.8.6.2.1: a window that opens and closes faster than the
    override timeout must not hold the data for ever, and SWS avoidance
    still holds: a segment of new data is min(D, U) (here the window of
    100 or what is left), save a zero window probe of one byte (3.8.6.1);
    a resend may be shorter. The peer offers 100 and 0 in turn every 50 ms, takes what
    fits while it offers 100. Each 100 bytes wait at most the timeout
    (0.1 to 1 s, tcpterm's is the RTO, here near 0.2 s) plus the window
    closed around it: 1000 bytes within 5 s. The window of 100 comes
    with the ACK of the first echo, as Linux takes it only so."""
    c = established(p, "echo")
    echo_roundtrip(c, b"a", "one byte first", ack=False)
    base = c.rcv_nxt
    t0 = c.send("PA", data=b"w" * 1000, win=100)
    small = []
    i = top = 0
    while (c.rcv_nxt - base) & 0xffffffff < 1000 and \
            time.monotonic() < t0 + 5.0:
        for s in c.drain(0.05):
            if not s.data:
                continue
            off = (s.seq - base) & 0xffffffff
            end = off + len(s.data)
            got = (c.rcv_nxt - base) & 0xffffffff
            # New data only: a resend may be shorter.
            if off >= top and len(s.data) not in (1, min(100, 1000 - off)) \
                    and len(s.data) < 100:
                small.append((off, len(s.data)))
            top = max(top, end)
            if off <= got < end and not (i & 1):
                c.rcv_nxt = (base + end) & 0xffffffff
        i += 1
        c.send("A", win=0 if i & 1 else 100)
    got = (c.rcv_nxt - base) & 0xffffffff
    dt = time.monotonic() - t0
    p.note("%d bytes in %.2f s, short segments %r" % (got, dt, small))
    observe(p, "%s of 1000 bytes in 5 s, %s segment short of min(D, U)" % (
        "all" if got == 1000 else "not all", "a" if small else "no"))
    check(got == 1000, "%s: %d of 1000 bytes in %.1f s of a window"
          " flipping between 100 and 0" % (c, got, dt))
    check(not small, "%s: segments (offset, length) shorter than min(D, U)"
          ": %r" % (c, small))


def _one_byte_acks(p):
    """An echo of 20 full segments, its first flight acknowledged a byte
    at a time by 100 ACKs 3 ms apart. Returns the full-sized segments
    sent again, the data segments shorter than 100 bytes, and the rise
    of tlp_probe (None without counters)."""
    c = p.conn(p.t.ports["echo"])
    c.srv_nxt = seq_add(c.connect().seq, 1)
    start = c.rcv_nxt
    for i in range(20):
        c.send("PA", data=b"b" * 1460)
    top = 0
    for s in c.drain(0.03):
        if s.data:
            top = max(top, (s.seq + len(s.data) - start) & 0xffffffff)
    before = stats(p)
    full, tiny = 0, []
    for i in range(1, 101):
        c.send("A", ack=seq_add(start, i), advance=False)
        for s in c.drain(0.003):
            off = (s.seq - start) & 0xffffffff
            if len(s.data) >= 1000 and off + len(s.data) <= top:
                full += 1
            if 0 < len(s.data) < 100:
                tiny.append((off, len(s.data)))
            if s.data:
                top = max(top, off + len(s.data))
    d = delta(p, before, "tlp_probe")
    p.note("100 one-byte ACKs: %d full segments sent again, %d short "
           "segments %s, tlp_probe +%s" % (full, len(tiny), tiny[:5], d))
    return c, full, tiny, d


@linux
def test_one_byte_acks_one_probe(p):
    """RFC 8985 7.4: one tail loss probe per flight. A peer that
    acknowledges the echo a byte at a time moves the tail with every
    ACK; none of those partial ACKs may start a new probe episode (a full
    segment sent again every two round trips): at most one resend of a
    full segment, and tlp_probe at most 1."""
    c, full, tiny, d = _one_byte_acks(p)
    observe(p, "100 one-byte ACKs: %s" % (
        "at most one full segment again" if full <= 1 else
        "full segments again"))
    check(full <= 1, "%s: 100 one-byte ACKs drew %d full-sized resends"
          % (c, full))
    check(d is None or d <= 1, "%s: 100 one-byte ACKs drew %s tail loss "
          "probes" % (c, d))


@linux
def test_one_byte_acks_no_tiny_segments(p):
    """RFC 9293 3.7.4 (Nagle's rule) and 3.8.6.2.1: with data in flight
    and more queued, a segment short only because the congestion window
    opened by a byte or two waits for the ACKs to open a full one.
    Each one-byte ACK drew a 2-byte segment (slow start grows cwnd by
    the byte acknowledged); Linux counts cwnd in whole segments."""
    c, full, tiny, d = _one_byte_acks(p)
    observe(p, "100 one-byte ACKs: %s" % (
        "no short segment" if not tiny else "short segments"))
    check(not tiny, "%s: one-byte ACKs drew %d segments under 100 bytes:"
          " %r" % (c, len(tiny), tiny[:10]))


@linux
def test_newreno_partial_one_byte_acks(p):
    """RFC 6582 3.2 step 5, a peer without SACK: the first segment of
    the echo is lost, three duplicate ACKs draw its fast retransmit,
    then 100 partial ACKs a byte each. A partial ACK deflates cwnd by
    what it acknowledged (one SMSS back only if it acknowledged one), and
    one ending inside the segment just resent draws nothing: each drew
    that segment again in full and a new one (110 full segments)."""
    c = p.conn(p.t.ports["echo"])
    c.srv_nxt = seq_add(c.connect().seq, 1)
    start = c.rcv_nxt
    for i in range(20):
        c.send("PA", data=b"n" * 1460)
    c.drain(0.03)
    for k in range(3):
        c.send("A", ack=start, advance=False)
    c.drain(0.01)
    sent = []
    for i in range(1, 101):
        c.send("A", ack=seq_add(start, i), advance=False)
        sent += [s for s in c.drain(0.002) if s.data]
    p.note("100 partial one-byte ACKs in recovery: %d data segments"
           % len(sent))
    observe(p, "100 partial one-byte ACKs: %s" % (
        "at most one data segment" if len(sent) <= 1 else
        "data segments"))
    check(len(sent) <= 1, "%s: 100 partial one-byte ACKs drew %d data "
          "segments: %r" % (c, len(sent), sent[:6]))


def _echo_unacked(p, n, fill):
    """An echo of n full segments to a peer without SACK that
    acknowledges none of it. Returns the connection, the first echoed
    sequence number and the end of what came back (offset from it)."""
    c = p.conn(p.t.ports["echo"])
    c.srv_nxt = seq_add(c.connect().seq, 1)
    start = c.rcv_nxt
    for i in range(n):
        c.send("PA", data=fill * 1460)
    top = 0
    for s in c.drain(0.05):
        if s.data:
            top = max(top, (s.seq - start + len(s.data)) & 0xffffffff)
    return c, start, top


def _new_bytes(c, start, top, duration):
    """Data segments within duration: (bytes beyond top, the segments)."""
    new, segs = 0, []
    for s in c.drain(duration):
        if not s.data:
            continue
        segs.append(s)
        end = (s.seq - start + len(s.data)) & 0xffffffff
        if end > top:
            new += end - top
            top = end
    return new, segs


@linux
def test_no_fast_retransmit_after_rto(p):
    """RFC 6582 3.2 step 2: duplicate ACKs that do not cover recover
    after a retransmission timeout start no fast retransmit. A peer
    without SACK leaves an echo of 20 segments unacknowledged until the
    timeout resends the first; three duplicate ACKs then draw no data
    (cwnd is one segment, and it is in flight). They drew the first
    segment a second time and cwnd went to ssthresh plus three: 8 more
    segments at once."""
    c, start, flight = _echo_unacked(p, 20, b"r")
    check(flight > 0, "%s: no echo" % c)
    end = time.monotonic() + 2.0
    while True:
        s = c.recv(max(end - time.monotonic(), 0))
        check(s is not None, "%s: first segment never resent" % c)
        if s.data and s.seq == start:
            break
    for k in range(3):
        c.send("A", ack=start, advance=False)
    _, segs = _new_bytes(c, start, flight, 0.05)
    p.note("3 duplicate ACKs after the timeout's resend drew %d data "
           "segments" % len(segs))
    observe(p, "3 duplicate ACKs after a timeout: %s" % (
        "no data" if not segs else "%d data segments" % len(segs)))
    check(not segs, "%s: 3 duplicate ACKs after a timeout drew %d data "
          "segments, the first at %d" % (
              c, len(segs), (segs[0].seq - start) & 0xffffffff
              if segs else 0))


def _recovery_new_bytes(p, fill, flood):
    """An echo of 30 segments to a peer without SACK that lost the first:
    three duplicate ACKs (the fast retransmit goes), then those the rest
    of the flight sends (flood false) or 100 more (flood true). Returns
    (the flight, the new bytes sent beyond it, duplicate ACKs sent,
    whether the first segment went again at the third)."""
    c, start, flight = _echo_unacked(p, 30, fill)
    check(flight > 0, "%s: no echo" % c)
    for k in range(3):
        c.send("A", ack=start, advance=False)
    fr, segs = _new_bytes(c, start, flight, 0.05)
    more = 100 if flood else flight // 1460 - 4
    for i in range(more):
        c.send("A", ack=start, advance=False)
    new, _ = _new_bytes(c, start, flight + fr, 0.3)
    return flight, fr + new, 3 + more, any(s.seq == start for s in segs)


@linux
@tcp_overrides(rto_min_ms=1000, rto_initial_ms=1000,
               tail_loss_probe="false")
def test_dup_ack_flood_bounded(p):
    """RFC 6582 3.2 step 4 and RFC 5681 3.2's note on forged duplicate
    ACKs ([SCWA99]): a peer without SACK loses the first segment of a
    flight of 10, and its duplicate ACKs inflate cwnd by an SMSS each,
    but no more of them count than segments could have sent them. So 100
    duplicate ACKs let out no more new data than the 9 the flight can
    send: a segment went for every one of them, up to all the data
    queued (20 segments beyond a flight of 10). The genuine ones must
    still let new data out. The retransmission timeout is a second here,
    so that it does not end the recovery before the ACKs are all in."""
    before = stats(p)
    flight, genuine, n, fast = _recovery_new_bytes(p, b"g", False)
    _, flood, _, fast2 = _recovery_new_bytes(p, b"d", True)
    p.note("flight of %d bytes: %d duplicate ACKs drew %d new bytes, "
           "103 drew %d" % (flight, n, genuine, flood))
    observe(p, "flight %d: its own %d duplicate ACKs drew %d new bytes, "
            "103 drew %d" % (flight, n, genuine, flood))
    check(fast and fast2, "no fast retransmit at the third duplicate ACK")
    check(genuine > 0, "%s duplicate ACKs of a flight of %d drew no new "
          "data" % (n, flight))
    check(flood <= genuine, "103 duplicate ACKs drew %d new bytes, the "
          "flight's own %d drew %d" % (flood, n, genuine))
    check_counter(p, before, ["dupack_excess"], at_least=103 - n,
                  what="duplicate ACKs beyond the flight")


@linux
def test_restart_window_after_idle(p):
    """RFC 5681 4.1: a sender idle for longer than the RTO restarts from
    min(IW, cwnd). An echo of 20 segments, acknowledged as it comes,
    grows cwnd past the initial window; after 1 s without traffic (the
    RTO is 100 ms here, at least 200 ms on Linux) an echo of 30 more goes
    out in a first flight of at most the initial window (14600 bytes, RFC
    6928). Without the restart the first flight was 20440 bytes."""
    c = p.conn(p.t.ports["echo"])
    c.srv_nxt = seq_add(c.connect().seq, 1)
    start = c.rcv_nxt
    for i in range(20):
        c.send("PA", data=b"w" * 1460)
    end = time.monotonic() + 3.0
    while (c.rcv_nxt - start) & 0xffffffff < 20 * 1460 and \
            time.monotonic() < end:
        for s in c.drain(0.02):
            if s.data:
                c.note(s)
        c.send("A")
    check((c.rcv_nxt - start) & 0xffffffff == 20 * 1460, "%s: echo of 20 "
          "segments incomplete" % c)
    c.drain(1.0)
    start = c.rcv_nxt
    for i in range(30):
        c.send("PA", data=b"x" * 1460)
    flight, _ = _new_bytes(c, start, 0, 0.1)
    p.note("first flight after 1 s idle: %d bytes" % flight)
    observe(p, "first flight after 1 s idle: %s" % (
        "the initial window at most" if flight <= 14600 else
        "more than the initial window"))
    check(0 < flight <= 14600, "%s: %d bytes in the first flight after "
          "1 s idle, want at most the initial window (14600)"
          % (c, flight))


def test_rst_carries_timestamp(p):
    """RFC 7323 3.2: with timestamps negotiated the TSopt SHOULD be sent
    in a RST too (close: abort)."""
    c = established(p, "http_abort", ts=True)
    c.send("PA", data=b"GET / HTTP/1.1\r\nHost: wire\r\n\r\n")
    r = []
    for s in c.drain(0.5):
        if s.has("R"):
            r.append(s)
        else:
            # The RST comes once the response is acknowledged.
            c.note(s)
            c.send("A")
    r += [s for s in c.drain(0.5) if s.has("R")]
    check(r and "Timestamp" in r[0].opts, "%s: RST without a TSopt: %r"
          % (c, r))


# ---- SYN cookies (tcp.syncookies: always) ----

COOKIES = {"syncookies": "always"}


def cookie_syn(p, opts=None, ts=False):
    """SYN and the cookie SYN-ACK; the server keeps no state."""
    return syn_received(p, "echo", ts=ts, opts=opts)


@tcp_overrides(**COOKIES)
def test_cookie_handshake(p):
    """RFC 4987 3.6: the ACK returning the cookie opens the connection;
    without timestamps the SYN-ACK offers only the MSS."""
    before = stats(p)
    c = cookie_syn(p, opts=[("MSS", 1460), ("WScale", 7), ("SAckOK", b"")])
    check(set(c.synack.opts) == {"MSS"}, "%s: cookie SYN-ACK without "
          "timestamps offers %r" % (c, c.synack.opts))
    c.send("A")
    echo_roundtrip(c, b"cookie", "connection from a cookie")
    check_counter(p, before, ["syncookies_ok"], what="cookie accepted")


@tcp_overrides(**COOKIES)
def test_cookie_wrong_ack(p):
    """RFC 9293 3.10.7.2 second: an ACK whose cookie does not check is an
    ACK in LISTEN: <SEQ=SEG.ACK><CTL=RST>, counted."""
    before = stats(p)
    c = cookie_syn(p)
    bad = seq_add(c.irs, 5)
    c.send("A", ack=bad, advance=False)
    s = c.recv(0.3)
    check(s is not None and s.flags == "R" and s.seq == bad, "%s: wrong "
          "cookie: want RST seq=%d, got %r" % (c, bad, s))
    check_counter(p, before, ["syncookies_failed"], what="bad cookie")


@tcp_overrides(**COOKIES)
def test_cookie_options_in_timestamps(p):
    """With timestamps the cookie SYN-ACK offers window scaling and SACK
    (carried in TSval), TSecr echoes the SYN's TSval, and the
    connection works."""
    c = cookie_syn(p, ts=True, opts=[
        ("MSS", 1460), ("SAckOK", b""), ("WScale", 15), ("NOP", None),
        ("Timestamp", (1000, 0))])
    o = c.synack.opts
    check("WScale" in o and "SAckOK" in o and
          o.get("Timestamp", (0, 0))[1] == 1000, "%s: cookie SYN-ACK "
          "options %r" % (c, o))
    c.ts_val = 1001
    c.send("A")
    echo_roundtrip(c, b"ts", "cookie connection with timestamps")


@tcp_overrides(**COOKIES)
def test_cookie_syn_retransmit(p):
    """A retransmitted SYN draws the same cookie (same ISS) in the same
    period: the peer's ACK of either SYN-ACK is good."""
    c = cookie_syn(p)
    c.send("S", seq=c.iss, ack=0, advance=False)
    s = c.recv(0.3)
    check(s is not None and s.flags == "SA" and s.seq == c.irs and
          s.ack == c.snd_nxt, "%s: want the same SYN-ACK, got %r" % (c, s))
    complete(c, "after the retransmitted SYN")


def _echo_in_flight(c, n, win, wait):
    """Send n bytes to echo with window field win, read the echo without
    acknowledging it for wait seconds; returns the new bytes sent."""
    base = c.rcv_nxt
    sent = 0
    while sent < n:
        k = min(1460, n - sent)
        c.send("PA", data=b"s" * k, win=win)
        sent += k
    top = 0
    for s in c.drain(wait):
        if s.data:
            top = max(top, (s.seq + len(s.data) - base) & 0xffffffff)
    return top


@linux
@tcp_overrides(rto_min_ms=1000, rto_initial_ms=1000)
def test_wscale_above_14_clamped(p):
    """RFC 7323 2.3: "If a Window Scale option is received with a
    shift.cnt value larger than 14, the TCP SHOULD log the error but
    MUST use 14 instead of the specified value." The peer offers 15 and
    then advertises a window field of 1: 16384 bytes (1 << 14), not
    32768. The first round grows cwnd past both (an RTO of at least 1 s
    keeps the pause between the rounds from restarting cwnd, RFC 5681
    4.1). The error is counted in wscale_clamped."""
    c = p.conn(p.t.ports["echo"])
    before = stats(p)
    c.send("S", ack=0, opts=[("MSS", 1460), ("WScale", 15)])
    sa = c.expect("SA", ack=c.snd_nxt, what="SYN-ACK")
    check_counter(p, before, ["wscale_clamped"], what="shift 15 logged")
    c.srv_nxt = seq_add(sa.seq, 1)
    c.send("A", win=1)
    # Round one: 14600 bytes (below both windows), acknowledged at once.
    for i in range(10):
        c.send("PA", data=b"r" * 1460, win=1)
    got = recv_in_order(c, 14600, ack_win=1)
    check(len(got) == 14600, "%s: first round echoed %d of 14600"
          % (c, len(got)))
    c.drain(0.1)
    top = _echo_in_flight(c, 30000, 1, 0.3)
    observe(p, "in flight with WS 15 and window field 1: %d" % top)
    check(14600 < top <= 16384, "%s: window field 1 with WS 15: sent %d "
          "bytes, want at most 16384 (shift 14) and more than the first "
          "round" % (c, top))


@linux
def test_syn_received_paws(p):
    """RFC 7323 5.3 R1 applies from SYN-RECEIVED on (TS.Recent is the
    SYN's TSval): an ACK of the SYN-ACK with an older TSval is dropped
    with an ACK and does not complete the handshake; a good one
    does."""
    before = stats(p)
    c = syn_received(p, ts=True)
    c.send("A", ts_val=c.ts_val - 1000, advance=False)
    s = recv_skip_synack(c, 0.3)
    observe(p, "ACK with an old TSval: " + describe(s, **_names(c)))
    check(s is not None and s.flags == "A" and s.seq == c.srv_nxt and
          s.ack == c.snd_nxt, "%s: PAWS in SYN-RECEIVED: want ACK seq=%d "
          "ack=%d, got %r" % (c, c.srv_nxt, c.snd_nxt, s))
    d = drop_deltas(p, before)
    if before is not None:
        check(d.get("drop_paws", 0) >= 1, "not counted as drop_paws: %s"
              % d)
    complete(c, "after the PAWS drop")


@linux
def test_unknown_option_ignored(p):
    """RFC 9293 3.1 (MUST-68): "a TCP implementation MUST ignore without
    error any TCP option it does not implement, assuming that the option
    has a length field": a SYN with an unknown option (kind 30, 4
    bytes) is answered as without it."""
    c = p.conn(p.t.ports["echo"])
    c.send("S", ack=0, opts=[("MSS", 1460), (30, b"\x00\x01")])
    s = c.recv(0.3)
    observe(p, "SYN with option 30: " + describe(
        s, ISS=s.seq if s is not None else None,
        **{"SEG.SEQ+1": c.snd_nxt}))
    check(s is not None and s.flags == "SA" and s.ack == c.snd_nxt,
          "%s: SYN with an unknown option: want SYN-ACK ack=%d, got %r"
          % (c, c.snd_nxt, s))


@linux
def test_port_zero(p):
    """Port 0 is reserved (RFC 6335 6): a SYN from port 0 is a counted
    drop, not a connection."""
    _silent_drop(p, "SYN from port 0", lambda c: _raw(
        p, _ip(p) / TCP(sport=0, dport=c.dport, flags="S", seq=c.iss)),
        ["drop_tcp_port_zero"])


@linux
def test_ooo_across_wrap(p):
    """RFC 2018 4 and RFC 9293 3.4 (sequence numbers modulo 2^32): an
    out-of-order segment just past 2^32 is held and reported in a SACK
    block whose edges wrap; filling the hole, which crosses 2^32, is
    acknowledged through it."""
    c = p.conn(p.t.ports["discard"], isn=0xfffffff0)
    c.sack = True
    c.srv_nxt = seq_add(c.connect().seq, 1)
    base = c.snd_nxt
    block = (seq_add(base, 30), seq_add(base, 40))
    c.send("PA", seq=block[0], data=b"b" * 10, advance=False)
    s = c.recv(0.3)
    sack = s.opts.get("SAck") if s is not None else None
    observe(p, "data past 2^32 after a hole: %s SACK %s" % (
        describe(s, **_names(c)), sack))
    check(s is not None and s.flags == "A" and s.ack == base and
          sack == block, "%s: want a duplicate ACK ack=%d with SACK %s, "
          "got %r %s" % (c, base, block, s, sack))
    c.send("PA", data=b"a" * 30)
    acks = [a for a in c.drain(0.3) if a.flags == "A"]
    last = acks[-1] if acks else None
    check(last is not None and last.ack == block[1], "%s: hole across "
          "2^32 filled: want ack=%d, got %r" % (c, block[1], last))


@tcp_overrides(**COOKIES)
def test_cookie_ack_with_fin(p):
    """RFC 9293 3.10.7.4: the ACK completing the handshake may carry
    data and a FIN (fifth: enter ESTABLISHED; seventh: take the text;
    eighth: CLOSE-WAIT). A connection made from a SYN cookie must take
    it as one made from state does (test_syn_received_fin_completes):
    ACK of data and FIN, the echo, the server's FIN. tcpterm resets
    it."""
    c = cookie_syn(p)
    c.send("FA", data=b"hello")
    got = c.drain(0.5)
    observe(p, "cookie ACK with data and FIN: " + (", ".join(
        describe(s, **_names(c, ISS=c.irs)) for s in got) or "silence"))
    check(got and not any(s.has("R") for s in got), "%s: the cookie's "
          "ACK with data and FIN was reset: %r" % (c, got))
    # A retransmission (no ACK is sent back here) is counted once.
    echoed = b"".join({s.seq: s.data for s in got}.values())
    check(echoed == b"hello" and any(s.has("F") for s in got) and
          got[-1].ack == c.snd_nxt, "%s: want the echo 'hello', a FIN and"
          " ack=%d, got %r" % (c, c.snd_nxt, got))


@tcp_overrides(**COOKIES)
def test_cookie_mss_below_536(p):
    """RFC 9293 3.7.1: the effective send MSS "MUST be the smaller
    (MUST-16) of the send MSS (that reflects the available reassembly
    buffer size at the remote host ...) and the largest transmission
    size permitted by the IP layer". A peer announcing MSS 300 gets
    300-byte segments from a stateful connection (test_mss_tiny_floor);
    from a cookie it got 536 before the table started at the
    floor (64), which it gets now."""
    c = cookie_syn(p, opts=[("MSS", 300)])
    c.send("A")
    c.send("PA", data=b"q" * 1000)
    sizes = [len(s.data) for s in c.drain(0.3) if s.data]
    observe(p, "segment sizes, cookie, MSS 300: %s" % sizes)
    check(sizes and max(sizes) <= 300, "%s: peer MSS 300, segments of %s"
          % (c, sizes))


def _edges(c, ws, segs, out):
    """Append the right edges (SEG.ACK + SEG.WND << ws) of segs to out;
    returns the last one."""
    for a in segs:
        out.append((seq_add(a.ack, a.win << ws), a.ack, a.win))
    return out[-1][0] if out else None


@linux
def test_window_edge_back_under_a_unit(p):
    """RFC 9293 3.8.6.2.2 (SHLD-14, from RFC 1122 4.2.2.16): "A TCP
    receiver SHOULD NOT shrink the window, i.e., move the right window
    edge to the left"; RFC 7323 2.4 and Appendix F: with a scale factor,
    the window rounded down to the unit can retract the edge by less
    than a unit, which rounding up would avoid only by promising space
    the buffer does not have (the window then never closes). The peer
    fills a window scaled by 2^7 that the application does not read
    (read_delay_ms): no ACK's right edge may be a unit (128 bytes) or
    more behind the one before, and the window must close to zero."""
    c = p.conn(p.t.ports["discard_slow"])
    c.send("S", ack=0, opts=[("MSS", 1460), ("WScale", 7), ("NOP", None)])
    sa = c.expect("SA", ack=c.snd_nxt, what="SYN-ACK")
    ws = sa.opts.get("WScale", 0)
    c.srv_nxt = seq_add(sa.seq, 1)
    c.send("A")
    edges = []
    right = seq_add(c.snd_nxt, sa.win)
    for rnd in range(400):
        left = (right - c.snd_nxt) & 0xffffffff
        if left == 0 or left >= 1 << 31:
            break
        c.send("A", data=b"x" * min(left, 1400))
        right = _edges(c, ws, c.drain(0.005), edges) or right
    _edges(c, ws, c.drain(0.2), edges)
    steps = [((b[0] - a[0] + (1 << 31)) & 0xffffffff) - (1 << 31)
             for a, b in zip(edges, edges[1:])]
    back = [d for d in steps if d < 0]
    p.note("%d ACKs, %d steps back, the largest %d bytes; last window %s"
           % (len(edges), len(back), -min(back) if back else 0,
              edges[-1][2] if edges else None))
    observe(p, "right edge back by a unit or more: %s"
            % any(d <= -(1 << ws) for d in back))
    check(all(d > -(1 << ws) for d in back), "%s: the right window edge "
          "moved left by a scale unit or more: %s" % (c, back[:4]))
    check(edges and edges[-1][2] == 0, "%s: the window never closed: last "
          "%r" % (c, edges[-1:]))


def _martian(p, src):
    """A SYN from src to an echo listener: nothing may be created."""
    before = stats(p)
    st0 = p.t.states() or {}
    c = p.conn(p.t.ports["echo"])
    _raw(p, IP(src=src, dst=p.t.server_ip, ttl=64) / TCP(
        sport=c.sport, dport=c.dport, flags="S", seq=c.iss, window=65535))
    time.sleep(0.2)
    st1 = p.t.states() or {}
    after = p.t.stats() or {}
    moved = {k: after[k] - (before or {}).get(k, 0) for k in after
             if after[k] != (before or {}).get(k, 0)}
    p.note("SYN from %s: SYN_RECEIVED %s -> %s; counters %s" % (
        src, st0.get("SYN_RECEIVED"), st1.get("SYN_RECEIVED"), moved))
    check(st1.get("SYN_RECEIVED", 0) == st0.get("SYN_RECEIVED", 0),
          "SYN from the martian source %s opened a connection (a SYN-ACK "
          "is sent and retransmitted)" % src)
    check(after.get("drop_ip_bad_src", 0) >
          (before or {}).get("drop_ip_bad_src", 0),
          "SYN from %s: not counted as drop_ip_bad_src" % src)


def test_martian_source_loopback(p):
    """RFC 1122 3.2.1.3 (g): "{ 127, <any> } ... MUST NOT appear outside
    a host"; "A host MUST silently discard an incoming datagram
    containing an IP source address that is invalid"."""
    _martian(p, "127.0.0.1")


def test_martian_source_subnet_broadcast(p):
    """RFC 1122 3.2.1.3 (e): a directed broadcast ({ <Network-number>,
    <Subnet-number>, -1 }) MUST NOT be used as a source address;
    tcpterm's own subnet broadcast, 198.18.0.255 here."""
    _martian(p, "198.18.0.255")


def test_martian_source_subnet_zero(p):
    """RFC 1122 3.3.6: hosts SHOULD take { <Network-number>, 0 }, the
    broadcast form of 4.2BSD, as a broadcast, and 3.2.1.3 forbids a
    broadcast as a source: tcpterm's subnet with a zero host part,
    198.18.0.0 here, sends nothing (the neighbour table already refuses
    it as an ARP sender)."""
    _martian(p, "198.18.0.0")


def test_martian_source_own_address(p):
    """Our own address as the source (the "land" attack, CVE-1999-0016):
    no host but us has it, so such a datagram is spoofed; Linux drops it
    as a martian. tcpterm opens a connection with itself and ARPs for
    its own address."""
    _martian(p, p.t.server_ip)


def _link(p, dst_mac):
    """A SYN for our IP address in an Ethernet frame to dst_mac."""
    before = stats(p)
    c = p.conn(p.t.ports["echo"])
    p._send_frame(Ether(src=p.t.peer_mac, dst=dst_mac) /
                  IP(src=p.t.peer_ip, dst=p.t.server_ip, ttl=64) /
                  TCP(sport=c.sport, dport=c.dport, flags="S", seq=c.iss,
                      window=65535))
    s = c.recv(0.3)
    observe(p, "SYN in a frame to %s: %s" % (dst_mac, describe(
        s, **{"SEG.SEQ+1": seq_add(c.iss, 1)})))
    check(s is None, "%s: SYN to our IP in a frame to %s: want silence "
          "(a counted drop), got %r" % (c, dst_mac, s))
    d = drop_deltas(p, before)
    if before is not None:
        check(sum(d.values()) >= 1, "not counted: %s" % d)


@linux
def test_link_broadcast_syn(p):
    """RFC 1122 3.3.6: "A host SHOULD silently discard a datagram that
    is received via a link-layer broadcast (see Section 2.4) but does
    not specify an IP multicast or broadcast destination address."
    tcpterm answers a SYN in an Ethernet broadcast frame with a SYN-ACK
    (Linux drops it: pkt_type != PACKET_HOST in tcp_v4_rcv())."""
    _link(p, "ff:ff:ff:ff:ff:ff")


@linux
def test_link_multicast_syn(p):
    """RFC 1122 3.3.6, as above, for a link-layer multicast frame
    (01:00:5e:00:00:01)."""
    _link(p, "01:00:5e:00:00:01")


@linux
def test_link_other_host_syn(p):
    """A frame addressed to another station's MAC is not for us even if
    its IP destination is ours (a mirror port, a hub, a promiscuous tap:
    RFC 1122 2.4 leaves link filtering to the link layer, which
    net_tap in promiscuous mode does not do). tcpterm answers it; Linux
    drops it as PACKET_OTHERHOST in ip_rcv()."""
    _link(p, "02:00:00:00:00:99")


@linux
def test_ts_missing_dropped(p):
    """RFC 7323 3.2: "Once TSopt has been successfully negotiated ... the
    TSopt MUST be sent in every non-<RST> segment ... If a non-<RST>
    segment is received without a TSopt, a TCP SHOULD silently drop the
    segment." Data without TSopt must be neither answered nor
    delivered (counted); the same data with TSopt afterwards is."""
    c = established(p, "echo", ts=True)
    before = stats(p)
    c.send("PA", data=b"nots", opts=[], advance=False)
    s = c.recv(0.4)
    observe(p, "data without TSopt: " + describe(s, **_names(c)))
    d = drop_deltas(p, before)
    p.note("drops %s" % d)
    check(s is None, "%s: data without TSopt on a timestamp connection: "
          "want silence (dropped), got %r" % (c, s))
    if before is not None:
        check(sum(d.values()) >= 1, "%s: the drop was not counted: %s"
              % (c, d))
    echo_roundtrip(c, b"stamp", "the same data with TSopt")


# ---- ICMP and ARP aimed at a connection ----

# Soft errors (RFC 1122 4.2.3.9, RFC 5927 4.1) and ICMP types tcpterm
# does not act on: (type, code).
_SOFT_ERRORS = [(3, 0), (3, 1), (3, 2), (3, 3), (3, 13), (11, 0), (4, 0),
                (12, 0), (5, 1)]


@linux
def test_icmp_errors_established(p):
    """RFC 1122 4.2.3.9 and RFC 5927 4.1: destination unreachable (net,
    host, protocol, port, administratively prohibited), time exceeded,
    source quench, parameter problem and a redirect, each quoting the
    connection's first unacknowledged byte, must not abort an
    established connection nor draw a reply (tcpterm counts each as
    drop_icmp_type); data goes on both ways afterwards."""
    c = established(p, "echo")
    before = stats(p)
    for t, code in _SOFT_ERRORS:
        quote = bytes(IP(src=p.t.server_ip, dst=p.t.peer_ip, ttl=64) /
                      TCP(sport=c.dport, dport=c.sport, flags="A",
                          seq=c.srv_nxt, ack=c.snd_nxt))[:28]
        _raw(p, _ip(p) / ICMP(type=t, code=code) / Raw(quote))
    s = c.recv(0.3)
    observe(p, "%d ICMP errors: %s" % (len(_SOFT_ERRORS),
                                      describe(s, **_names(c))))
    check(s is None, "%s: ICMP errors drew %r" % (c, s))
    check_counter(p, before, ["drop_icmp_type"], at_least=len(_SOFT_ERRORS),
                  what="ICMP errors tcpterm does not act on")
    echo_roundtrip(c, b"still here", "after the ICMP errors")


def test_arp_cannot_redirect_peer(p):
    """A live neighbour entry is not redirected by ARP (docs/
    configuration.md "ARP"): an unsolicited reply, a gratuitous reply and
    a request from the peer's address with another MAC are each refused
    and counted; the connection's next segment still goes to the peer's
    MAC."""
    evil = "02:00:00:00:66:66"
    c = established(p, "echo")
    before = stats(p)
    frames = [
        Ether(src=evil, dst=p.server_mac) /
        ARP(op=2, hwsrc=evil, psrc=p.t.peer_ip, hwdst=p.server_mac,
            pdst=p.t.server_ip),
        Ether(src=evil, dst="ff:ff:ff:ff:ff:ff") /
        ARP(op=2, hwsrc=evil, psrc=p.t.peer_ip, hwdst="ff:ff:ff:ff:ff:ff",
            pdst=p.t.server_ip),
        Ether(src=evil, dst="ff:ff:ff:ff:ff:ff") /
        ARP(op=1, hwsrc=evil, psrc=p.t.peer_ip, pdst=p.t.server_ip),
    ]
    for f in frames:
        p._send_frame(f)
    time.sleep(0.1)
    check_counter(p, before, ["arp_unsolicited_drop"], at_least=2,
                  what="unsolicited ARP replies")
    check_counter(p, before, ["arp_conflict_drop"], at_least=1,
                  what="a request changing a live entry's MAC")
    c.send("PA", data=b"mac?")
    end = time.monotonic() + 1.0
    dst = None
    while dst is None and time.monotonic() < end:
        raw = p._recv_frame(max(end - time.monotonic(), 0))
        if raw is None:
            break
        e = Ether(raw)
        if TCP in e and e[TCP].dport == c.sport and e[TCP].payload:
            dst = e.dst
    check(dst == p.t.peer_mac, "%s: the echo went to %s, want the peer's "
          "MAC %s" % (c, dst, p.t.peer_mac))


@tcp_overrides(port={"arp_max_age_ms": 1000})
def test_arp_requests_confirm_nothing(p):
    """A neighbour's own ARP requests do not confirm that it is
    reachable (RFC 4861 7.3.1's rule, docs/configuration.md "ARP"): the
    peer keeps asking for tcpterm's address (every 100 ms) while it
    sends data on a connection; with arp_max_age_ms at 1 s, tcpterm
    still asks for the peer once the entry is a second old (when each
    request restarted its age, it never did), and, the peer answering,
    keeps acknowledging to the peer's MAC."""
    t = p.t
    c = established(p, "discard")
    req = (Ether(src=t.peer_mac, dst="ff:ff:ff:ff:ff:ff") /
           ARP(op=1, hwsrc=t.peer_mac, psrc=t.peer_ip, pdst=t.server_ip))
    asked, acks, elsewhere = 0, 0, []
    end = time.monotonic() + 2.6
    next_send = 0.0
    while time.monotonic() < end:
        if time.monotonic() >= next_send:
            p._send_frame(req)
            c.send("PA", data=b"x")
            next_send = time.monotonic() + 0.1
        raw = p._recv_frame(0.02)
        if raw is None:
            continue
        e = Ether(raw)
        if ARP in e:
            if e[ARP].op == 1 and e[ARP].pdst == t.peer_ip:
                asked += 1
            p._arp_duty(e)
        elif TCP in e and e[TCP].dport == c.sport and asked:
            if e.dst == t.peer_mac:
                acks += 1
            else:
                elsewhere.append(e.dst)
    observe(p, "requests from tcpterm for the peer: %d; segments to "
            "the peer after the first: %d" % (asked, acks))
    check(asked >= 1, "the peer's requests kept its entry confirmed: "
          "tcpterm never asked for it in 2.6 s (arp_max_age_ms 1 s)")
    check(acks >= 1 and not elsewhere, "after asking, %d segments to the "
          "peer, others to %s" % (acks, elsewhere))


def _frames_from_server(p, secs, match):
    """The frames tcpterm sends within secs that match(Ether) accepts."""
    out = []
    end = time.monotonic() + secs
    while True:
        raw = p._recv_frame(max(end - time.monotonic(), 0))
        if raw is None:
            return out
        e = Ether(raw)
        if match(e):
            out.append(e)


def test_arp_group_sender(p):
    """An ARP request is answered to its sender hardware address: one
    naming a broadcast or multicast MAC (which no station has, IEEE
    802.3 3.2.3) must not draw a reply to that group, whatever the
    frame's Ethernet source. tcpterm drops it (drop_eth_group_src);
    Linux answers to the group. A request from the peer's MAC is
    answered, once, to it."""
    before = stats(p)
    seen = []
    for sha in ("ff:ff:ff:ff:ff:ff", "01:00:5e:00:00:01", p.t.peer_mac):
        p._send_frame(Ether(src=p.t.peer_mac, dst="ff:ff:ff:ff:ff:ff") /
                      ARP(op=1, hwsrc=sha, psrc=p.t.peer_ip,
                          pdst=p.t.server_ip))
        seen.append([e.dst for e in _frames_from_server(
            p, 0.4, lambda e: ARP in e and e[ARP].op == 2)])
    observe(p, "ARP replies to a broadcast / multicast / unicast sender "
            "MAC went to: %s" % " / ".join(",".join(d) or "none"
                                          for d in seen))
    for d in seen:
        check(all(not int(m.split(":")[0], 16) & 1 for m in d),
              "an ARP reply went to a group MAC: %s" % seen)
    check(seen[2] == [p.t.peer_mac], "the request from the peer's MAC: "
          "replies to %s, want one to %s" % (seen[2], p.t.peer_mac))
    check_counter(p, before, ["drop_eth_group_src"], at_least=2,
                  what="ARP requests naming a group sender MAC")


def _arp_from_server(p, secs):
    """The ARP frames tcpterm sends within secs: (Ether dst, op, psrc,
    pdst, hwsrc) each, but for its requests resolving a neighbour (one
    may leave for the peer whenever its entry ages)."""
    return [(e.dst, e[ARP].op, e[ARP].psrc, e[ARP].pdst, e[ARP].hwsrc)
            for e in _frames_from_server(
                p, secs, lambda e: ARP in e and
                not (e[ARP].op == 1 and e[ARP].pdst != e[ARP].psrc))]


def test_arp_defends_address(p):
    """RFC 5227 2.4: an ARP frame from another MAC giving tcpterm's
    address as its sender's (here a gratuitous ARP that would point the
    link's caches at the attacker) must be answered by one of (a) giving
    the address up, (b) or (c) defending it. tcpterm defends it
    indefinitely: one ARP Announcement (a broadcast request from and for
    its address, with its MAC), at most one per DEFEND_INTERVAL (10 s);
    the conflicting frames are not answered to the sender
    (arp_addr_conflict). Linux ignores them."""
    evil = "02:00:00:00:66:67"
    me = p.t.server_ip
    before = stats(p)
    p._send_frame(Ether(src=evil, dst="ff:ff:ff:ff:ff:ff") /
                  ARP(op=1, hwsrc=evil, psrc=me, pdst=me))
    first = _arp_from_server(p, 0.5)
    observe(p, "gratuitous ARP claiming our address: %s" % first)
    want = ("ff:ff:ff:ff:ff:ff", 1, me, me, p.server_mac)
    check(first == [want], "a gratuitous request claiming %s from %s drew "
          "%s, want one announcement %s" % (me, evil, first, want))
    # Within the interval: a gratuitous reply, then a request to us.
    p._send_frame(Ether(src=evil, dst="ff:ff:ff:ff:ff:ff") /
                  ARP(op=2, hwsrc=evil, psrc=me, hwdst="ff:ff:ff:ff:ff:ff",
                      pdst=me))
    p._send_frame(Ether(src=evil, dst=p.server_mac) /
                  ARP(op=1, hwsrc=evil, psrc=me, pdst=me))
    more = _arp_from_server(p, 0.5)
    check(more == [], "conflicts within DEFEND_INTERVAL drew %s" % more)
    check_counter(p, before, ["arp_addr_conflict"], at_least=3,
                  what="ARP giving our address from another MAC")
    d = delta(p, before, "arp_defends_tx")
    check(d is None or d == 1, "arp_defends_tx rose by %s, want 1" % d)


@linux
def test_arp_own_sender_unanswered(p):
    """A request from tcpterm's own address and MAC is a frame of its
    own come back (its announcement on a link that reflects broadcasts)
    or one forged so: a reply would go to tcpterm itself. It is not
    answered (arp_bad_sender_drop), as Linux, whose route lookup refuses
    a local source, does not answer it either."""
    me = p.t.server_ip
    before = stats(p)
    p._send_frame(Ether(src=p.server_mac, dst="ff:ff:ff:ff:ff:ff") /
                  ARP(op=1, hwsrc=p.server_mac, psrc=me, pdst=me))
    got = [a for a in _arp_from_server(p, 1.0) if a[1] == 2]
    observe(p, "a request from our own address and MAC drew replies: %s"
            % got)
    check(got == [], "a request from %s at our MAC drew %s" % (me, got))
    check_counter(p, before, ["arp_bad_sender_drop"], at_least=1,
                  what="ARP from our own address")


@linux
def test_arp_other_station_unanswered(p):
    """An ARP request for tcpterm's address in a frame unicast to another
    station (seen by a port that takes every frame) is not tcpterm's to
    answer or learn from: dropped as eth_not_us, as Linux's arp_rcv()
    drops a PACKET_OTHERHOST frame. The same request broadcast is
    answered."""
    t = p.t
    req = ARP(op=1, hwsrc=t.peer_mac, psrc=t.peer_ip, pdst=t.server_ip)
    before = stats(p)
    p._send_frame(Ether(src=t.peer_mac, dst="02:00:c6:12:00:99") / req)
    got = [a for a in _arp_from_server(p, 1.0) if a[1] == 2]
    observe(p, "a request unicast to another station drew replies: %s"
            % got)
    check(got == [], "a request to another station's MAC drew %s" % got)
    check_counter(p, before, ["drop_eth_not_us"], at_least=1,
                  what="ARP to another station")
    p._send_frame(Ether(src=t.peer_mac, dst="ff:ff:ff:ff:ff:ff") / req)
    got = [a for a in _arp_from_server(p, 1.0) if a[1] == 2]
    check(len(got) == 1, "a broadcast request drew %s, want one reply"
          % got)

def test_arp_flood_not_copied(p):
    """With two workers, an ARP frame is copied to the other worker when
    it may change that worker's table. A request that only confirms the
    entry its sender already has (a flood of the same request) is
    answered, one reply each, but no longer copied: a copy per worker
    and frame was work multiplied by the workers for any on-link host
    to ask for."""
    harness = targets.harness
    cfg = targets.tcpterm_config()
    v4 = "    ipv4: %s/24\n" % harness.SERVER_IP
    cfg = cfg.replace(v4, v4 + "    queues: 1\n", 1)
    cfg = cfg.replace("workers: 1\n", "workers: 2\n", 1)
    tt = harness.Tcpterm(cfg, lcores="0-1")
    with tt:
        t = Target("tcpterm", tt.ns_path, tt.iface, harness.SERVER_IP,
                   "198.18.0.78", targets.PEER_MAC, targets.PORTS,
                   targets.PARAMS, stats=tt.stats, states=tt.states)
        q = Peer(t)  # its request taught the server its MAC
        try:
            req = (Ether(src=t.peer_mac, dst="ff:ff:ff:ff:ff:ff") /
                   ARP(op=1, hwsrc=t.peer_mac, psrc=t.peer_ip,
                       pdst=t.server_ip))
            time.sleep(0.2)
            before = t.stats()
            n = 50
            for _ in range(n):
                q._send_frame(req)
            replies = 0
            end = time.monotonic() + 1.0
            while True:
                raw = q._recv_frame(max(end - time.monotonic(), 0))
                if raw is None:
                    break
                e = Ether(raw)
                if ARP in e and e[ARP].op == 2 and e.dst == t.peer_mac:
                    replies += 1
            after = t.stats()
            copies = after["steered_out"] - before["steered_out"]
            p.note("%d requests: %d replies, %d copies" % (n, replies,
                                                          copies))
            check(replies == n, "%d requests drew %d replies, want one "
                  "each" % (n, replies))
            check(copies == 0, "%d confirming requests were copied %d "
                  "times to the other worker" % (n, copies))
        finally:
            q.close()


def _echo_opts(p, ident, opt):
    """The IPv4 options (bytes) of each reply to an echo request carrying
    opt; each reply's header checksum is checked."""
    p._send_frame(Ether(src=p.t.peer_mac, dst=p.server_mac) /
                  _ip(p, options=[IPOption(opt)]) /
                  ICMP(id=ident, seq=1) / Raw(b"options?"))
    out = []
    for e in _frames_from_server(
            p, 0.4,
            lambda e: ICMP in e and e[ICMP].type == 0 and
            e[ICMP].id == ident):
        h = bytes(e[IP])[:e[IP].ihl * 4]
        s = sum(h[i] << 8 | h[i + 1] for i in range(0, len(h), 2))
        check((s & 0xffff) + (s >> 16) == 0xffff,
              "echo reply with options: bad IPv4 header checksum")
        out.append(h[20:])
    return out


def _ip_opt(opts, kind):
    """The option of that kind in an IPv4 option list, or None."""
    i = 0
    while i < len(opts) and opts[i] != 0:
        if opts[i] == 1:
            i += 1
            continue
        if opts[i] == kind:
            return opts[i:i + opts[i + 1]]
        i += max(opts[i + 1], 2)
    return None


def _ms_from_now(ts):
    """How far (ms) an RFC 791 timestamp is from the wall clock now."""
    now = int(time.time() * 1000) % 86400000
    d = abs(now - ts)
    return min(d, 86400000 - d)


@linux
def test_echo_record_route(p):
    """RFC 1122 3.2.2.6: a Record Route or Timestamp option in an echo
    request is "updated to include the current host" in the reply,
    without truncation. Record Route with room for 9 addresses: the
    reply's has the server's address and the pointer past it, the
    option 39 bytes still. Timestamp (flag 0) with room for 2: a
    timestamp in milliseconds since midnight UT (RFC 791), near the
    wall clock. A full Timestamp (flag 1): the overflow count goes up
    by one. A Record Route with a pointer below 4 (RFC 791 3.1) is
    malformed: dropped (drop_ip_opts), where Linux sends a Parameter
    Problem. tcpterm records itself once, for the reply; Linux also on
    receipt, so twice."""
    server = bytes(int(x) for x in p.t.server_ip.split("."))
    bad = []
    before = stats(p)
    o = _echo_opts(p, 0x79, bytes([7, 39, 4]) + bytes(36))
    o = _ip_opt(o[0], 7) if len(o) == 1 else None
    if o is None:
        observe(p, "record route: no reply with the option")
        bad.append("record route: no reply with the option")
    else:
        route = [o[i:i + 4] for i in range(3, min(o[2], len(o)) - 1, 4)]
        observe(p, "record route: %d bytes, pointer %d, %s" % (
            len(o), o[2], " ".join("server" if a == server else "other"
                                   for a in route) or "empty"))
        if len(o) != 39 or route != [server] or o[2] != 8:
            bad.append("record route: want the server once, pointer 8, "
                       "39 bytes; got %r" % o)
    o = _echo_opts(p, 0x7a, bytes([68, 12, 5, 0]) + bytes(8))
    o = _ip_opt(o[0], 68) if len(o) == 1 else None
    if o is None:
        observe(p, "timestamp: no reply with the option")
        bad.append("timestamp: no reply with the option")
    else:
        stamps = [int.from_bytes(o[i:i + 4], "big")
                  for i in range(4, min(o[2], len(o) + 1) - 1, 4)]
        near = all(_ms_from_now(t) < 60000 for t in stamps)
        observe(p, "timestamp: pointer %d, %d stamps%s" % (
            o[2], len(stamps), ", within a minute of the wall clock"
            if near else ""))
        if len(o) != 12 or o[2] != 9 or len(stamps) != 1 or not near:
            bad.append("timestamp: want one stamp near the wall clock, "
                       "pointer 9; got %r (%s)" % (o, stamps))
    o = _echo_opts(p, 0x7b, bytes([68, 4, 5, 0x01]))
    o = _ip_opt(o[0], 68) if len(o) == 1 else None
    observe(p, "full timestamp: %s" % (
        "no reply with the option" if o is None else
        "overflow %d" % (o[3] >> 4)))
    if o != bytes([68, 4, 5, 0x11]):
        bad.append("full timestamp: want the overflow 1, got %r" % o)
    p._send_frame(Ether(src=p.t.peer_mac, dst=p.server_mac) /
                  _ip(p, options=[IPOption(bytes([7, 7, 3]) + bytes(4))]) /
                  ICMP(id=0x7c, seq=1) / Raw(b"options?"))
    got = _frames_from_server(p, 0.4, lambda e: ICMP in e)
    observe(p, "record route pointer 3: %s" % (
        ", ".join("ICMP type %d" % e[ICMP].type for e in got) or
        "silence"))
    if got:
        bad.append("record route pointer 3: want silence, got %s"
                   % [e.summary() for e in got])
    check(not bad, "; ".join(bad))
    check_counter(p, before, ["drop_ip_opts"],
                  what="echo request with a malformed Record Route")

@linux
def test_echo_group_source(p):
    """No station sends from a group MAC (IEEE 802.3 3.2.3): an echo
    request from a broadcast or multicast Ethernet source must not be
    answered to that address, where every station of the group would
    get the reply. tcpterm, which answers an echo in place to the
    frame's source, drops it (drop_eth_group_src); Linux answers to the
    MAC it resolves for the IP source. An echo request from the peer's
    own MAC is answered."""
    before = stats(p)
    seen = []
    for src in ("ff:ff:ff:ff:ff:ff", "01:00:5e:00:00:01", p.t.peer_mac):
        p._send_frame(Ether(src=src, dst=p.server_mac) / _ip(p) /
                      ICMP(id=0x77, seq=len(seen)) / Raw(b"group?"))
        seen.append([e.dst for e in _frames_from_server(
            p, 0.4,
            lambda e: ICMP in e and e[ICMP].type == 0 and e[ICMP].id == 0x77)])
    observe(p, "echo reply from a broadcast / multicast / unicast source "
            "to: %s" % " / ".join(",".join(d) or "none" for d in seen))
    for d in seen:
        check(all(not int(m.split(":")[0], 16) & 1 for m in d),
              "an echo reply went to a group MAC: %s" % seen)
    check(seen[2] == [p.t.peer_mac], "the echo from the peer's MAC: "
          "replies to %s, want one to %s" % (seen[2], p.t.peer_mac))
    if before is not None:
        check_counter(p, before, ["drop_eth_group_src"], at_least=2,
                      what="echo requests from group sources")
