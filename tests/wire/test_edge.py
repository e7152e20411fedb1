# SPDX-License-Identifier: BSD-3-Clause
"""Edges of the close path: duplicate and out-of-order FINs, zero
windows, PAWS and too-old ACKs; SACK blocks sent and taken."""

import time

from peer import seq_add
from steps import (REQUEST, check, check_counter, close_wait, describe,
                   drop_deltas, established, linux, observe, stats,
                   tcp_overrides)


def _names(c, **more):
    d = {"SND.NXT": c.srv_nxt, "RCV.NXT": c.snd_nxt}
    d.update(more)
    return d


@linux
def test_dup_fin_close_wait(p):
    """A retransmitted FIN in CLOSE_WAIT is re-ACKed (RFC 9293
    3.10.7.4 eighth: FIN in CLOSE_WAIT, remain)."""
    c = close_wait(p)
    c.send("FA", seq=seq_add(c.snd_nxt, -1), advance=False)
    s = c.recv(0.5)
    observe(p, "duplicate FIN: " + describe(s, **_names(c)))
    check(s is not None and s.flags == "A" and s.seq == c.srv_nxt and
          s.ack == c.snd_nxt, "%s: duplicate FIN in CLOSE_WAIT: want ACK "
          "seq=%d ack=%d, got %r" % (c, c.srv_nxt, c.snd_nxt, s))


@linux
def test_fin_out_of_order(p):
    """A FIN beyond a hole is held, not acted upon until the hole fills
    (RFC 9293 3.10.7.4: segments are processed in sequence order; those
    beyond RCV.NXT SHOULD be held): the segment filling the hole is ACKed
    through the FIN."""
    c = established(p, "discard")
    hole = c.snd_nxt
    c.send("FA", seq=seq_add(hole, 5), advance=False)
    for s in c.drain(0.3):
        check(s.flags == "A" and s.ack == hole, "%s: FIN after a hole was"
              " acted upon: %r" % (c, s))
    c.send("PA", data=b"12345")
    fin_end = seq_add(hole, 6)
    acks = [s for s in c.drain(0.4) if not s.has("R")]
    last = acks[-1] if acks else None
    observe(p, "hole filled: " + describe(
        last, **dict({"FIN+1": fin_end}, **_names(c))))
    check(last is not None and last.ack == fin_end,
          "%s: after the hole filled: want ack=%d (the FIN held and taken),"
          " got %r" % (c, fin_end, last))


def _sack(s):
    """The SACK blocks of s as [(left, right), ...], or []."""
    v = s.opts.get("SAck") if s is not None else None
    if not v:
        return []
    return [(v[i], v[i + 1]) for i in range(0, len(v) - 1, 2)]


def _rel(s, base):
    """The SACK blocks of s as offsets from base."""
    return [((l - base) & 0xffffffff, (r - base) & 0xffffffff)
            for l, r in _sack(s)]


@linux
def test_dsack_duplicate(p):
    """A duplicate segment is reported as the first SACK block of the ACK
    it draws (D-SACK, RFC 2883 4), when SACK was negotiated."""
    c = p.conn(p.t.ports["discard"])
    c.sack = True
    c.srv_nxt = seq_add(c.connect().seq, 1)
    start = c.snd_nxt
    c.send("PA", data=b"12345")
    c.drain(0.3)
    c.send("PA", seq=start, data=b"12345", advance=False)
    s = c.recv(0.3)
    observe(p, "duplicate: %s %s" % (describe(s, **_names(c)),
                                     _rel(s, start)))
    check(s is not None and s.ack == c.snd_nxt and
          _sack(s)[:1] == [(start, seq_add(start, 5))], "%s: duplicate: "
          "want ACK ack=%d with D-SACK block %s, got %r %s"
          % (c, c.snd_nxt, [(start, seq_add(start, 5))], s, _sack(s)))


@linux
def test_out_of_order_dup_ack(p):
    """An out-of-order segment is held and gets an immediate duplicate ACK
    (RFC 1122 4.2.2.21, RFC 5681 4.2) carrying SACK blocks, the most
    recent first (RFC 2018 4); the segment filling the hole is ACKed at
    once through the bytes held."""
    c = p.conn(p.t.ports["discard"])
    c.sack = True
    c.srv_nxt = seq_add(c.connect().seq, 1)
    before = stats(p)
    hole = c.snd_nxt
    blocks = []
    for off, data in ((5, b"later"), (15, b"after")):
        c.send("PA", seq=seq_add(hole, off), data=data, advance=False)
        s = c.recv(0.3)
        blocks.insert(0, (seq_add(hole, off), seq_add(hole, off + 5)))
        observe(p, "data %d after a hole: %s %s" % (
            off, describe(s, **_names(c)), _rel(s, hole)))
        check(s is not None and s.flags == "A" and s.ack == hole,
              "%s: data after a hole: want an immediate duplicate ACK "
              "ack=%d, got %r" % (c, hole, s))
        check(_sack(s) == blocks, "%s: want SACK blocks %s, got %s"
              % (c, blocks, _sack(s)))
    c.send("PA", data=b"12345")
    s = c.recv(0.3)
    observe(p, "hole filled: %s %s" % (describe(s, **_names(c)),
                                       _rel(s, hole)))
    check(s is not None and s.ack == seq_add(hole, 10) and
          _sack(s) == blocks[:1], "%s: hole filled: want ack=%d and SACK "
          "%s at once, got %r %s" % (c, seq_add(hole, 10), blocks[:1], s,
                                    _sack(s)))
    if before is not None:
        q = p.t.stats().get("ooo_queued", 0) - before.get("ooo_queued", 0)
        check(q == 2, "out-of-order segments kept: want 2, got %d" % q)


@linux
def test_fin_only_fast_retransmit(p):
    """Only the server's FIN is unacknowledged (the response is, the FIN
    not) when three duplicate ACKs of it come, on a SACK connection: the
    third is a fast retransmit (RFC 5681 3.2 step 2, RFC 6675 5 (4.3):
    the segment at SND.UNA), and the FIN goes again at once, not a
    retransmission timeout later (rto_min_ms is 100 here)."""
    c = p.conn(p.t.ports["http"])
    c.sack = True
    c.srv_nxt = seq_add(c.connect().seq, 1)
    c.send("PA", data=REQUEST)
    data, fin = c.collect_until_fin()
    fin_seq = seq_add(fin.seq, len(fin.data))
    c.send("A", ack=fin_seq)
    for _ in range(3):
        t = c.send("A", ack=fin_seq)
    again = None
    for s in c.drain(0.6):
        if s.has("F") and s.t >= t:
            again = s
            break
    dt = (again.t - t) if again is not None else None
    observe(p, "the FIN after three duplicate ACKs: %s" % (
        "not in 0.6 s" if dt is None else "at once" if dt < 0.05 else
        "after 50 ms or more"))
    p.note("the FIN again %s: %r" % (
        "never" if dt is None else "after %.0f ms" % (dt * 1000), again))
    check(again is not None and again.seq == fin_seq and dt < 0.05,
          "%s: three duplicate ACKs with only the FIN in flight: want the"
          " FIN (seq %d) again at once, got %r after %s" % (
              c, fin_seq, again,
              "-" if dt is None else "%.0f ms" % (dt * 1000)))
    c.rcv_nxt = seq_add(fin_seq, 1)
    c.send("FA")
    c.expect("A", ack=c.snd_nxt, what="TIME_WAIT")


def test_zero_window_fin(p):
    """The peer's window is zero: the server's FIN is still sent (a FIN
    takes no window space; RFC 9293 3.8.6.1 "the sending TCP must be
    prepared to accept ... and send at least one ... FIN")."""
    c = established(p, "echo")
    c.send("FA", win=0)
    fin = None
    for s in c.drain(0.6):
        check(not s.has("R") and not s.data, "%s: %r" % (c, s))
        if s.has("F"):
            fin = s
            break
    check(fin is not None and fin.seq == c.srv_nxt, "%s: no FIN to a zero"
          " window" % c)
    c.rcv_nxt = seq_add(fin.seq, 1)
    c.send("A", win=0)
    c.expect_silence(0.3, "closed")


@tcp_overrides(rcv_wnd="16384")
def test_fin_beyond_filled_window(p):
    """The peer's FIN rides on the text that fills the advertised window
    (the whole receive buffer, to an application that reads nothing for
    read_delay_ms) to its right edge: the text is taken, the FIN lies
    outside the window and is refused like a FIN alone into a zero window
    (RFC 9293 3.10.7.4: the segment is trimmed to the window, "including
    SYN and FIN"); the FIN retransmitted into the reopened window is
    taken."""
    before = stats(p)
    c = established(p, "discard_slow")
    wnd = c.received[0].win
    check(wnd == 16384, "%s: SYN-ACK window %d, want the buffer, 16384"
          % (c, wnd))
    while wnd > 1460:
        c.send("A", data=b"x" * 1460)
        wnd -= 1460
    fin_seq = seq_add(c.snd_nxt, wnd)
    c.send("FA", data=b"x" * wnd)
    last = None
    for a in c.drain(0.3):
        last = a
    check(last is not None and last.flags == "A" and last.ack == fin_seq and
          last.win == 0, "%s: FIN at the window's right edge: want ACK "
          "ack=%d (the text, not the FIN) win=0, got %r"
          % (c, fin_seq, last))
    check_counter(p, before, ["drop_out_of_window"], what="FIN refused")
    end = time.monotonic() + p.t.params["read_delay_ms"] / 1000.0 + 1.0
    fin = None
    while fin is None and time.monotonic() < end:
        s = c.recv(end - time.monotonic())
        if s is None:
            break
        check(not s.has("R"), "%s: RST: %r" % (c, s))
        if s.has("F"):
            fin = s
        elif s.win > 0:
            c.send("FA", seq=fin_seq, data=b"", advance=False)
    check(fin is not None and fin.ack == c.snd_nxt, "%s: no FIN acking "
          "ours after the window opened (last %r)" % (c, s))
    c.rcv_nxt = seq_add(fin.seq, 1)
    c.send("A")
    c.expect_silence(0.2, "closed")


def test_fin_into_zero_window(p):
    """read_delay_ms closes the server's receive window; the peer's FIN
    then arrives at RCV.NXT with RCV.WND = 0. RFC 9293 3.10.7.4 first
    check: a FIN takes sequence space, so it is not acceptable: ACK and
    drop (Linux accepts it). Either way nothing is lost: once the
    application reads, the window opens and the (retransmitted) FIN
    closes the connection normally."""
    c = established(p, "discard_slow")
    # Fill the receive buffer, following the advertised window (without
    # window scaling the field stays at 65535 until the free space is
    # smaller), until the window is zero.
    right = seq_add(c.snd_nxt, c.received[0].win)
    sent = 0
    s = None
    while sent < 4 << 20:
        left = (right - c.snd_nxt) & 0xffffffff
        if left == 0 or left >= 1 << 31:
            break
        while left > 0:
            n = min(left, 1460)
            c.send("A", data=b"x" * n)
            left -= n
            sent += n
        for a in c.drain(0.1):
            s = a
            right = seq_add(a.ack, a.win)
    for a in c.drain(0.2):
        s = a
    p.note("%d bytes to a zero window; last ACK %r" % (sent, s))
    check(s is not None and s.flags == "A" and s.ack == c.snd_nxt and
          s.win == 0, "%s: read_delay_ms with a full window: want ACK "
          "ack=%d win=0, got %r" % (c, c.snd_nxt, s))
    fin_seq = c.snd_nxt
    c.send("FA")
    s = c.recv(0.5)
    check(s is not None and s.flags == "A" and s.seq == c.srv_nxt and
          s.ack in (fin_seq, c.snd_nxt), "%s: FIN into a zero window: want"
          " an ACK (ack=%d dropped or %d taken), got %r"
          % (c, fin_seq, c.snd_nxt, s))
    taken = s.ack == c.snd_nxt
    p.note("FIN into a zero window: %s" % ("taken" if taken else
                                           "dropped with an ACK"))
    # The window opens when the application reads (1.5 s after the data).
    end = time.monotonic() + p.t.params["read_delay_ms"] / 1000.0 + 1.0
    fin = None
    while fin is None and time.monotonic() < end:
        s = c.recv(end - time.monotonic())
        if s is None:
            break
        check(not s.has("R"), "%s: RST: %r" % (c, s))
        if s.has("F"):
            fin = s
        elif not taken and s.win > 0:
            c.send("FA", seq=fin_seq, advance=False)
    check(fin is not None and fin.ack == c.snd_nxt, "%s: no FIN acking "
          "ours after the window opened (last %r)" % (c, s))
    c.rcv_nxt = seq_add(fin.seq, 1)
    c.send("A")
    c.expect_silence(0.2, "closed")


def test_zero_window_persist(p):
    """A request with a zero window: the response waits, persist probes
    come with backoff, and the response and FIN follow when the window
    opens (within the max_retries probes a closed application's zero
    window gets: 100, 300, 700 ms, the RST at 1.5 s; test_hold.py)."""
    before = stats(p)
    c = established(p, "http")
    c.send("PA", data=REQUEST, win=0)
    t0 = time.monotonic()
    probes = []
    for s in c.drain(1.0):
        check(not s.has("R") and not s.has("F") and len(s.data) <= 1,
              "%s: sent %r into a zero window" % (c, s))
        if s.data or s.seq != c.srv_nxt:
            probes.append(s)
    p.note("probes at ms: " + ", ".join("%.0f" % ((s.t - t0) * 1000)
                                       for s in probes))
    check(len(probes) >= 2, "%s: %d persist probes in 1.0s"
          % (c, len(probes)))
    check_counter(p, before, ["zero_window_probe"], what="probe")
    c.send("A", win=65535)
    data, fin = c.collect_until_fin()
    check(data.startswith(b"HTTP/1.1 200") or data[1:].startswith(
        b"TTP/1.1 200"), "%s: response %r" % (c, data[:40]))
    c.send("FA")
    c.expect("A", ack=c.snd_nxt, what="TIME_WAIT")


def test_zero_window_probe_crosses_update(p):
    """A persist probe crosses the window update in flight: the probe byte
    is taken, then the response retransmitted from SND.UNA overlaps it;
    the new bytes and the FIN must still be delivered."""
    c = established(p, "http")
    c.send("PA", data=REQUEST, win=0)
    probes = [s for s in c.drain(0.25) if s.data or s.seq != c.srv_nxt]
    check(len(probes) >= 1, "%s: no persist probe in 0.25s" % c)
    # The next probe is due at about 300 ms: let it reach the socket
    # unread, then open the window as if the update crossed it.
    time.sleep(0.15)
    c.send("A", win=65535)
    data, fin = c.collect_until_fin()
    check(data.startswith(b"HTTP/1.1 200"), "%s: response %r"
          % (c, data[:40]))
    c.send("FA")
    c.expect("A", ack=c.snd_nxt, what="TIME_WAIT")


@linux
def test_paws_established(p):
    """RFC 7323 5.3: a segment with an old TSval is dropped and ACKed;
    its data is not delivered."""
    c = established(p, "echo", ts=True)
    before = stats(p)
    c.send("PA", data=b"stale", ts_val=c.ts_val - 100000, advance=False)
    s = c.recv(0.5)
    observe(p, "old TSval: " + describe(s, **_names(c)))
    check(s is not None and s.flags == "A" and s.seq == c.srv_nxt and
          s.ack == c.snd_nxt and not s.data, "%s: PAWS: want ACK seq=%d "
          "ack=%d, got %r" % (c, c.srv_nxt, c.snd_nxt, s))
    d = drop_deltas(p, before)
    if before is not None:
        check(d.get("drop_paws", 0) >= 1, "not counted as drop_paws: %s"
              % d)
    c.send("PA", data=b"fresh")
    s = c.recv(1.0)
    while s is not None and not s.data:
        s = c.recv(1.0)
    check(s is not None and s.data == b"fresh", "%s: echo %r" % (c, s))


@linux
def test_ack_too_old(p):
    """RFC 5961 5.2 (RFC 9293 3.10.7.4 fifth): SEG.ACK below
    SND.UNA - MAX.SND.WND: discard the segment and send an ACK."""
    c = established(p, "echo")
    c.send("PA", data=b"ab")
    s = c.recv(1.0)
    while s is not None and not s.data:
        s = c.recv(1.0)
    check(s is not None and s.data == b"ab", "%s: echo %r" % (c, s))
    c.note(s)
    c.srv_nxt = c.rcv_nxt
    c.send("A")
    before = stats(p)
    old = seq_add(c.srv_nxt, -0x40000000)
    c.send("PA", ack=old, data=b"injected", advance=False)
    s = c.recv(0.5)
    observe(p, "ACK far below SND.UNA: " + describe(s, **_names(c)))
    d = drop_deltas(p, before)
    p.note("drops %s" % d)
    check(s is None or not s.data, "%s: data with a too-old ACK was "
          "accepted: %r" % (c, s))
    check(s is not None and s.flags == "A" and s.seq == c.srv_nxt and
          s.ack == c.snd_nxt, "%s: too-old ACK: want ACK seq=%d ack=%d "
          "(RFC 5961 5.2), got %r" % (c, c.srv_nxt, c.snd_nxt, s))


@linux
def test_unacceptable_segments_established(p):
    """RFC 9293 3.10.7.4 first check: a segment outside the receive
    window (old duplicate or far ahead) is answered with
    <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> and dropped."""
    c = established(p, "echo")
    c.send("PA", data=b"first")
    s = c.recv(1.0)
    while s is not None and not s.data:
        s = c.recv(1.0)
    check(s is not None and s.data == b"first", "%s: echo %r" % (c, s))
    c.note(s)
    c.srv_nxt = c.rcv_nxt
    c.send("A")
    c.expect_silence(0.1)
    for what, seq in (("old duplicate", seq_add(c.snd_nxt, -5)),
                      ("far ahead", seq_add(c.snd_nxt, 0x40000000))):
        c.send("PA", seq=seq, data=b"first", advance=False)
        s = c.recv(0.5)
        observe(p, "%s: %s" % (what, describe(s, **_names(c))))
        check(s is not None and s.flags == "A" and s.seq == c.srv_nxt and
              s.ack == c.snd_nxt and not s.data, "%s: %s data: want ACK "
              "seq=%d ack=%d, got %r" % (c, what, c.srv_nxt, c.snd_nxt, s))


@linux
def test_time_wait_old_duplicate(p):
    """TIME_WAIT: an old duplicate (below RCV.NXT) is unacceptable and
    draws an ACK (RFC 9293 3.10.7.4 first check); TIME_WAIT stays."""
    from steps import time_wait
    c = time_wait(p)
    c.send("PA", seq=seq_add(c.snd_nxt, -20), data=b"x" * 10,
           advance=False)
    s = c.recv(0.5)
    observe(p, "old duplicate data: " + describe(s, **_names(c)))
    check(s is not None and s.flags == "A" and s.seq == c.srv_nxt and
          s.ack == c.snd_nxt, "%s: old duplicate in TIME_WAIT: want ACK "
          "seq=%d ack=%d, got %r" % (c, c.srv_nxt, c.snd_nxt, s))
    c.send("FA", seq=seq_add(c.snd_nxt, -1), advance=False)
    s = c.recv(0.5)
    check(s is not None and s.flags == "A" and s.ack == c.snd_nxt,
          "%s: TIME_WAIT gone after an old duplicate: %r" % (c, s))


@linux
def test_paws_time_wait(p):
    """RFC 7323 5.3 in TIME_WAIT: a retransmitted FIN with an old TSval
    fails PAWS: ACKed and dropped (counted), TIME_WAIT stays."""
    from steps import time_wait
    c = time_wait(p, ts=True)
    before = stats(p)
    c.send("FA", seq=seq_add(c.snd_nxt, -1), ts_val=c.ts_val - 100000,
           advance=False)
    s = c.recv(0.5)
    observe(p, "FIN with an old TSval: " + describe(s, **_names(c)))
    check(s is not None and s.flags == "A" and s.seq == c.srv_nxt and
          s.ack == c.snd_nxt, "%s: PAWS in TIME_WAIT: want ACK seq=%d "
          "ack=%d, got %r" % (c, c.srv_nxt, c.snd_nxt, s))
    d = drop_deltas(p, before)
    if before is not None:
        check(d.get("drop_paws", 0) >= 1, "not counted as drop_paws: %s"
              % d)


def test_challenge_ack_rate_limit(p):
    """RFC 5961 7: challenge ACKs are rate-limited per connection
    (tcp.challenge_ack_limit = 10 per second here), the rest counted."""
    c = established(p, "discard")
    before = stats(p)
    n = 15
    for i in range(n):
        c.send("R", seq=seq_add(c.snd_nxt, 100 + i), ack=0, advance=False)
    got = [s for s in c.drain(0.4)]
    p.note("%d in-window RSTs -> %d challenge ACKs" % (n, len(got)))
    check(all(s.flags == "A" and s.seq == c.srv_nxt and
              s.ack == c.snd_nxt for s in got), "%s: %r" % (c, got))
    check(len(got) == 10, "%s: %d challenge ACKs for %d RSTs within a "
          "second, want 10 (the limit)" % (c, len(got), n))
    check_counter(p, before, ["challenge_ack_limited"], at_least=n - 10,
                  what="limited challenge ACKs")


@tcp_overrides(tail_loss_probe="false")
def test_rto_resend_stops_at_sacked(p):
    """The go-back-N resend of a timeout stops short of what the peer
    SACKed when a hole is shorter than the MSS: the echo sends 1000
    bytes, then three full segments; the peer SACKs the first full one
    and the third and acknowledges nothing. Whatever a recovery resends,
    the timeout's resend from SND.UNA (a window of one segment) is the
    1000 bytes alone, not a full segment reaching 460 bytes into the
    SACKed one; nothing sent reaches into a SACKed range."""
    mss = 1460
    before = stats(p)
    c = p.conn(p.t.ports["echo"])
    c.sack = True
    c.connect()
    start = c.rcv_nxt
    first = bytes(range(250)) * 4
    c.send("PA", data=first)
    s = c.expect(flags="A", data=first, consume=False, what="echo")
    rest = bytes((i * 7) & 0xff for i in range(3 * mss))
    for i in range(3):
        c.send("PA", data=rest[i * mss:(i + 1) * mss])
    segs = []
    while len(segs) < 3:
        s = c.recv(1.0)
        check(s is not None, "%s: echo: got %d of 3 full segments"
              % (c, len(segs)))
        if s.data:
            segs.append(s)
    sizes = [len(s.data) for s in segs]
    check(sizes == [mss] * 3, "%s: echo segments %s, want 3 of %d"
          % (c, sizes, mss))
    data = first + rest
    held = [(1000, 1000 + mss), (1000 + 2 * mss, 1000 + 3 * mss)]
    blocks = tuple(seq_add(start, o) for b in held for o in b)
    c.send("A", ack=start, opts=[("NOP", None), ("NOP", None),
                                 ("SAck", blocks)])
    got = [s for s in c.drain(1.5) if s.data]
    pieces = [((s.seq - start) & 0xffffffff, len(s.data)) for s in got]
    p.note("after the SACK: %s" % pieces)
    for off, n in pieces:
        check(all(off + n <= lo or off >= hi for lo, hi in held),
              "%s: %d bytes at %d resent into the SACKed %s"
              % (c, n, off, held))
        check(data[off:off + n] == got[pieces.index((off, n))].data,
              "%s: resent bytes at %d differ" % (c, off))
    observe(p, "resent after the SACK: %s" % pieces)
    check((0, 1000) in pieces, "%s: the 1000 bytes not resent: %s"
          % (c, pieces))
    # The recovery's resend and the timeout's both start at 0: each is
    # the 1000 bytes alone.
    check(all(n == 1000 for off, n in pieces if off == 0),
          "%s: a resend from 0 is not the 1000 bytes alone: %s"
          % (c, pieces))
    check_counter(p, before, ["rto"], what="a timeout")
    c.rcv_nxt = seq_add(start, len(data))
    c.send("A")
    c.send("FA")


def _echo_full_window(p):
    """Connect to echo (send buffer 1000 bytes) and send a full window;
    its echo, unacknowledged, must shut the window. Returns the
    connection and the sequence number the echo started at."""
    c = p.conn(p.t.ports["echo"])
    sa = c.connect()
    check(sa.win == 1000, "%s: SYN-ACK window %d, want the send buffer"
          % (c, sa.win))
    start = c.rcv_nxt
    c.send("PA", data=b"w" * 1000)
    echoed, last = 0, None
    while echoed < 1000:
        s = c.recv(1.0)
        check(s is not None, "%s: echo: got %d of 1000 bytes"
              % (c, echoed))
        if s.data and s.seq == seq_add(start, echoed):
            echoed += len(s.data)
            last = s
    check(last.win == 0, "%s: the echo of a full window offers %d"
          % (c, last.win))
    return c, start


@tcp_overrides(snd_buf=1000)
def test_echo_small_buffer_window_reopens(p):
    """RFC 1122 4.2.3.3 and RFC 9293 3.8.6.2.2: echo's window is its free
    send space, bounded here by a send buffer of 1000 bytes, under the
    MSS. The echo of a full window, unacknowledged, shuts it; the ACK of
    half the echo draws one window update of 500 bytes (the step is half
    the buffer, not the MSS, which this window can never grow by), so
    the peer need not probe. Only retransmissions of the rest follow."""
    c, start = _echo_full_window(p)
    c.send("A", ack=seq_add(start, 500))
    got = c.drain(0.6)
    updates = [s for s in got if not s.data and not s.has("F")]
    p.note("after the ACK of half the echo: %s" % [
        (len(s.data), s.win) for s in got])
    check(len(updates) == 1 and updates[0].win == 500,
          "%s: want one window update of 500, got %r" % (c, got))
    c.rcv_nxt = seq_add(start, 1000)
    c.send("A")
    c.send("FA")


@tcp_overrides(snd_buf=1000)
def test_echo_small_room_not_offered(p):
    """RFC 1122 4.2.3.3 and RFC 9293 3.8.6.2.2 (MUST-39), receiver SWS
    avoidance: echo's window is its free send space (1000 bytes here,
    a step of 500). The echo of a full window, unacknowledged, shuts it;
    the ACK of 100 bytes of the echo makes 100 bytes of room, under a
    step: no segment offers them (not the resent echo, not the answer to
    a zero window probe). The ACK of the rest draws the update."""
    c, start = _echo_full_window(p)
    c.send("A", ack=seq_add(start, 100))
    got = c.drain(0.3)
    c.send("A", ack=seq_add(start, 100), data=b"p", advance=False)
    got += c.drain(0.3)
    p.note("after the ACK of 100 bytes and a probe: %s" % [
        (len(s.data), s.win) for s in got])
    check(got and all(s.win == 0 for s in got),
          "%s: 100 bytes of room offered: %r" % (c, got))
    c.rcv_nxt = seq_add(start, 1000)
    c.send("A")
    got = c.drain(0.3)
    check(any(s.win == 1000 for s in got),
          "%s: no update of 1000 after the ACK of the echo: %r" % (c, got))
    c.send("FA")
