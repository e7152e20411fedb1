# SPDX-License-Identifier: BSD-3-Clause
"""Orderly closes, both roles, and their timers (RFC 9293 3.6, 3.10.7.4,
3.10.8; RFC 6298 for the retransmission backoff)."""

import time

from peer import seq_add
from steps import (REQUEST, check, check_counter, delta, describe,
                   established, fin_wait_2, linux, observe, probe_gone,
                   served, stats, time_wait)


def test_active_close(p):
    """ESTABLISHED -> FIN_WAIT_1 -> FIN_WAIT_2 -> TIME_WAIT."""
    c = served(p)
    c.send("A")
    c.expect_silence(0.2, "FIN_WAIT_2 after the ACK of the FIN")
    c.send("FA")
    c.expect("A", seq=c.srv_nxt, ack=c.snd_nxt, what="ACK of our FIN")
    c.send("A", advance=False)
    c.expect_silence(0.2, "a bare ACK in TIME_WAIT is dropped")


def test_passive_close(p):
    """ESTABLISHED -> CLOSE_WAIT -> LAST_ACK -> CLOSED; then a late ACK
    gets a RST."""
    before = stats(p)
    c = established(p, "echo")
    c.send("PA", data=b"ping")
    c.expect("A", seq=c.srv_nxt, ack=c.snd_nxt, data=b"ping",
             what="echo")
    c.srv_nxt = c.rcv_nxt
    c.send("A")
    c.send("FA")
    # The FIN is ACKed as soon as it comes: an ACK held back would race
    # the FIN's retransmission timer on a loaded machine.
    got_fin = None
    end = time.monotonic() + 0.5
    while got_fin is None:
        s = c.recv(max(end - time.monotonic(), 0))
        if s is None:
            break
        check(not s.has("R"), "%s: RST: %r" % (c, s))
        check(s.ack == c.snd_nxt, "%s: %r does not ack our FIN (%d)"
              % (c, s, c.snd_nxt))
        if s.has("F"):
            got_fin = s
    check(got_fin is not None and got_fin.seq == c.srv_nxt,
          "%s: want the server's FIN at seq %d" % (c, c.srv_nxt))
    c.note(got_fin)
    c.send("A")
    c.expect_silence(0.3, "LAST_ACK -> CLOSED")
    probe_gone(c, "late ACK after CLOSED")
    check_counter(p, before, ["conn_closed"], what="connection closed")


def test_fin_ack_shortcut(p):
    """FIN_WAIT_1 + FIN with the ACK of our FIN -> TIME_WAIT directly."""
    c = served(p)
    c.send("FA")   # Acks the data and the FIN, carries our FIN.
    c.expect("A", seq=c.srv_nxt, ack=c.snd_nxt, what="ACK of our FIN")
    c.send("FA", seq=seq_add(c.snd_nxt, -1), advance=False)
    c.expect("A", seq=c.srv_nxt, ack=c.snd_nxt,
             what="TIME_WAIT re-ACKs a retransmitted FIN")


def test_simultaneous_close(p):
    """FIN_WAIT_1 + FIN not acking ours -> CLOSING (FIN retransmitted
    there) -> ACK -> TIME_WAIT."""
    c = served(p)
    c.rcv_nxt = c.fin_seq
    c.send("FA")   # Acks the data only.
    c.expect("A", seq=c.srv_nxt, ack=c.snd_nxt, what="ACK in CLOSING")
    s = c.recv(1.0)
    check(s is not None and s.has("F") and s.seq == c.fin_seq and
          s.ack == c.snd_nxt,
          "%s: CLOSING must retransmit the FIN (seq %d ack %d), got %r"
          % (c, c.fin_seq, c.snd_nxt, s))
    c.rcv_nxt = c.srv_nxt
    c.send("A")
    c.expect_silence(0.2, "CLOSING -> TIME_WAIT on the ACK")
    c.send("FA", seq=seq_add(c.snd_nxt, -1), advance=False)
    c.expect("A", seq=c.srv_nxt, ack=c.snd_nxt,
             what="TIME_WAIT re-ACKs a retransmitted FIN")


def test_half_close_server_first(p):
    """half-close policy: the server's FIN, then the peer keeps sending;
    the data is accepted and ACKed in FIN_WAIT_2, then the peer's FIN."""
    c = fin_wait_2(p, role="http_half")
    for chunk in (b"more data", b"and more"):
        c.send("PA", data=chunk)
        c.expect("A", seq=c.srv_nxt, ack=c.snd_nxt, timeout=1.0,
                 what="ACK of data in FIN_WAIT_2")
    c.send("FA")
    c.expect("A", seq=c.srv_nxt, ack=c.snd_nxt, what="ACK of our FIN")


def test_half_close_peer_first(p):
    """The peer's FIN first: the server still sends (echo of the data in
    CLOSE_WAIT), and closes close_delay_ms later."""
    c = established(p, "echo_delay")
    t0 = c.send("FPA", data=b"hello")
    got = b""
    fin = None
    end = t0 + 2.0
    while fin is None and time.monotonic() < end:
        s = c.recv(end - time.monotonic())
        if s is None:
            break
        check(not s.has("R"), "%s: RST: %r" % (c, s))
        check(s.ack == c.snd_nxt, "%s: %r does not ack our FIN" % (c, s))
        if s.data and s.seq == c.srv_nxt:
            got += s.data
            c.srv_nxt = seq_add(c.srv_nxt, len(s.data))
            c.rcv_nxt = c.srv_nxt
            c.send("A")
        if s.has("F") and seq_add(s.seq, len(s.data)) == c.srv_nxt:
            fin = s
    check(got == b"hello", "%s: echo %r in CLOSE_WAIT" % (c, got))
    check(fin is not None, "%s: no FIN after close_delay_ms" % c)
    wait = fin.t - t0
    want = p.t.params["echo_delay_ms"] / 1000.0
    if p.t.name == "tcpterm":
        check(want * 0.9 <= wait <= want + 0.5,
              "%s: FIN %.3fs after the peer's, want ~%.3fs" % (c, wait, want))
    c.rcv_nxt = seq_add(fin.seq, 1)
    c.send("A")
    # On a loaded machine the FIN's tail loss probe (at the RTO: its
    # timeout, 2 * SRTT + 200 ms with one segment out, is capped there)
    # can cross our ACK: a copy of the same FIN is acked once more; a server
    # that ignored the ACK would send it again and fail the silence.
    s = c.recv(0.2)
    if s is not None and s.has("F") and s.seq == fin.seq:
        c.send("A")
    else:
        check(s is None, "%s: expected silence (LAST_ACK -> CLOSED), got %r"
              % (c, s))
    c.expect_silence(0.2, "LAST_ACK -> CLOSED")


def test_data_after_full_close_rst(p):
    """after-response closes both directions: data arriving after the
    close is answered with RST (RFC 9293 3.10.7.4 seventh, RFC 1122
    4.2.2.13)."""
    c = fin_wait_2(p)
    c.send("PA", data=b"late data")
    s = c.recv(1.0)
    check(s is not None and s.has("R") and s.seq == c.srv_nxt,
          "%s: data after close: want RST seq=%d, got %r"
          % (c, c.srv_nxt, s))


@linux
def test_lost_final_ack(p):
    """TIME_WAIT: a retransmitted FIN (our ACK was lost) is re-ACKed and
    the 2*MSL timer restarts (observed by timing)."""
    before = stats(p)
    c = time_wait(p)
    fin_seq = c.peer_fin_seq
    tw = 2 * p.t.params["msl_ms"] / 1000.0
    first = 0.6 * tw
    time.sleep(max(c.tw_t + first - time.monotonic(), 0))
    c.send("FA", seq=fin_seq, advance=False)
    s = c.recv(1.0)
    observe(p, "FIN in TIME_WAIT: " + describe(
        s, **{"SND.NXT": c.srv_nxt, "RCV.NXT": c.snd_nxt}))
    check(s is not None and s.flags == "A" and s.seq == c.srv_nxt and
          s.ack == c.snd_nxt, "%s: retransmitted FIN: want ACK seq=%d "
          "ack=%d, got %r" % (c, c.srv_nxt, c.snd_nxt, s))
    if p.t.name != "tcpterm":
        return
    t1 = s.t
    # Past the first expiry, before the restarted one: still TIME_WAIT.
    time.sleep(max(c.tw_t + tw + 0.3 - time.monotonic(), 0))
    check(time.monotonic() < t1 + tw - 0.2, "test too slow")
    c.send("A", advance=False)
    c.expect_silence(0.15, "TIME_WAIT restarted by the FIN must still be "
                     "there %.1fs after it began" % (time.monotonic() -
                                                     c.tw_t))
    # After the restarted expiry: gone.
    time.sleep(max(t1 + tw + 0.3 - time.monotonic(), 0))
    probe_gone(c, "after the restarted 2*MSL")
    check_counter(p, before, ["tw_reack"], what="TIME_WAIT re-ACK")
    check_counter(p, before, ["tw_expired"], what="TIME_WAIT expiry")


@linux
def test_time_wait_lost_reacks(p):
    """TIME_WAIT: the peer's FIN again, and again 0.2 s and 0.4 s later
    (each re-ACK lost, a Linux peer in LAST-ACK backing off from its
    200 ms RTO): every retransmitted FIN is re-ACKed (RFC 9293 3.10.7.4),
    none held back by the invalid-segment rate limit (500 ms). An older
    TIME_WAIT record comes first, as under load: tcpterm's oldest record
    moves on at once when restarted, the others keep their place."""
    time_wait(p)
    c = time_wait(p)
    got = []
    for pause in (0, 0.2, 0.4):
        time.sleep(pause)
        c.send("FA", seq=c.peer_fin_seq, advance=False)
        s = c.recv(0.15)
        got.append(s)
        check(s is not None and s.flags == "A" and s.seq == c.srv_nxt and
              s.ack == c.snd_nxt, "%s: FIN %d in TIME_WAIT, %.1f s after "
              "the one before: want ACK seq=%d ack=%d, got %r"
              % (c, len(got), pause, c.srv_nxt, c.snd_nxt, s))
    observe(p, "FIN three times in TIME_WAIT: " + ", ".join(
        describe(s, **{"SND.NXT": c.srv_nxt, "RCV.NXT": c.snd_nxt})
        for s in got))


@linux
def test_time_wait_fin_without_ack(p):
    """TIME_WAIT: the peer's FIN again without the ACK bit is not
    acceptable (RFC 9293 3.10.7.4 first check: an ACK) and is dropped
    (fifth check): the 2*MSL is not restarted."""
    c = time_wait(p)
    tw = 2 * p.t.params["msl_ms"] / 1000.0
    time.sleep(max(c.tw_t + 0.6 * tw - time.monotonic(), 0))
    c.send("F", seq=c.peer_fin_seq, ack=0, advance=False)
    s = c.recv(0.5)
    observe(p, "FIN without ACK in TIME_WAIT: " + describe(
        s, **{"SND.NXT": c.srv_nxt, "RCV.NXT": c.snd_nxt}))
    check(s is not None and s.flags == "A" and s.seq == c.srv_nxt and
          s.ack == c.snd_nxt, "%s: FIN without ACK: want ACK seq=%d "
          "ack=%d, got %r" % (c, c.srv_nxt, c.snd_nxt, s))
    if p.t.name != "tcpterm":
        return
    # Gone at the first 2*MSL: the FIN restarted nothing.
    time.sleep(max(c.tw_t + tw + 0.3 - time.monotonic(), 0))
    probe_gone(c, "2*MSL after the entry, a FIN without ACK between")


@linux
def test_time_wait_fin_without_ts(p):
    """TIME_WAIT of a timestamp connection: the peer's FIN again without
    TSopt is silently dropped (RFC 7323 3.2, as on the open connection;
    counted drop_ts_missing): no ACK, and the 2*MSL is not restarted.
    Linux's record acknowledges it."""
    before = stats(p)
    c = time_wait(p, ts=True)
    tw = 2 * p.t.params["msl_ms"] / 1000.0
    time.sleep(max(c.tw_t + 0.6 * tw - time.monotonic(), 0))
    c.send("FA", seq=c.peer_fin_seq, opts=[], advance=False)
    s = c.recv(0.5)
    observe(p, "FIN without TSopt in TIME_WAIT: " + describe(
        s, **{"SND.NXT": c.srv_nxt, "RCV.NXT": c.snd_nxt}))
    if p.t.name != "tcpterm":
        return
    check(s is None, "%s: FIN without TSopt in TIME_WAIT: want silence, "
          "got %r" % (c, s))
    check_counter(p, before, ["drop_ts_missing"], what="FIN without TSopt")
    # Gone at the first 2*MSL: the FIN restarted nothing.
    time.sleep(max(c.tw_t + tw + 0.3 - time.monotonic(), 0))
    probe_gone(c, "2*MSL after the entry, a FIN without TSopt between")


@linux
def test_time_wait_ack_out_of_range(p):
    """TIME_WAIT: a bare ACK at RCV.NXT whose SEG.ACK is beyond SND.NXT,
    or below SND.UNA - MAX.SND.WND (taken at its largest, 2^30), is
    discarded and answered with an ACK (RFC 5961 5.2; Linux says
    nothing); the record stays."""
    before = stats(p)
    c = time_wait(p)
    names = {"SND.NXT": c.srv_nxt, "RCV.NXT": c.snd_nxt}
    for what, ack, counter in (
            ("ACK > SND.NXT", seq_add(c.srv_nxt, 5000), "drop_bad_ack"),
            ("ACK < SND.UNA - 2^30", seq_add(c.srv_nxt, -0x50000000),
             "drop_old_ack")):
        # One reply per invalid_ratelimit_ms from a record.
        time.sleep(0.6)
        c.send("A", ack=ack, advance=False)
        s = c.recv(0.5)
        observe(p, "%s in TIME_WAIT: %s" % (what, describe(s, **names)))
        if p.t.name != "tcpterm":
            continue
        check(s is not None and s.flags == "A" and s.seq == c.srv_nxt and
              s.ack == c.snd_nxt, "%s: %s in TIME_WAIT: want ACK seq=%d "
              "ack=%d, got %r" % (c, what, c.srv_nxt, c.snd_nxt, s))
        check_counter(p, before, [counter], what=what)
    if p.t.name != "tcpterm":
        return
    # Still TIME_WAIT: a good bare ACK draws nothing.
    c.send("A", advance=False)
    c.expect_silence(0.2, "TIME_WAIT kept after the bad ACKs")


def test_time_wait_expiry(p):
    """TIME_WAIT lasts 2*MSL, then the 4-tuple is unknown (RST)."""
    c = time_wait(p)
    tw = 2 * p.t.params["msl_ms"] / 1000.0
    time.sleep(max(c.tw_t + tw - 0.3 - time.monotonic(), 0))
    c.send("A", advance=False)
    c.expect_silence(0.1, "still TIME_WAIT before 2*MSL")
    time.sleep(max(c.tw_t + tw + 0.3 - time.monotonic(), 0))
    probe_gone(c, "after 2*MSL")
    # A new SYN on the same 4-tuple now opens a connection.
    c2 = p.conn(c.dport, sport=c.sport, isn=seq_add(c.snd_nxt, 1000))
    c2.connect()


def _retransmissions(c, timeout):
    """Set-aside FIN retransmissions and the final RST, within timeout."""
    rst = None
    end = time.monotonic() + timeout
    while rst is None and time.monotonic() < end:
        s = c.recv(end - time.monotonic())
        if s is None:
            break
        if s.has("R"):
            rst = s
    return list(c.fin_retx), rst


def _tail_probe_first(p, before, t_first, retx):
    """A tail loss probe (RFC 8985 7, tcp.tail_loss_probe) may come
    first; the retransmission timer then runs from it. tcpterm counts it
    (tlp_probe), so the probe is told from a retransmission by the
    counter, not by its timing, which a loaded machine stretches (with
    the FIN alone out it goes at the RTO's time, RFC 8985 7.2); a
    target without counters is judged by timing (before rto_min)."""
    n = p.t.params["max_retries"]
    if len(retx) != n + 1:
        return t_first, retx
    probes = delta(p, before, "tlp_probe")
    if probes is None:
        probes = retx[0].t - t_first < \
            p.t.params["rto_min_ms"] / 1000.0 * 0.9
    if not probes:
        return t_first, retx
    p.note("tail loss probe after %.0f ms" % ((retx[0].t - t_first) * 1000))
    return retx[0].t, retx[1:]


def _check_backoff(p, c, t_first, retx, rst, state, before):
    n = p.t.params["max_retries"]
    t_first, retx = _tail_probe_first(p, before, t_first, retx)
    check(len(retx) == n, "%s: %d FIN retransmissions in %s, want %d "
          "(max_retries): %r" % (c, len(retx), state, n, retx))
    check(rst is not None, "%s: no RST after the last retransmission in "
          "%s" % (c, state))
    check(rst.seq in (c.fin_seq, c.srv_nxt),
          "%s: abort RST seq %d, want SND.NXT %d" % (c, rst.seq, c.srv_nxt))
    times = [t_first] + [s.t for s in retx] + [rst.t]
    iv = [b - a for a, b in zip(times, times[1:])]
    ms = ", ".join("%.0f" % (x * 1000) for x in iv)
    # The first interval may start at a frame the peer received late
    # (a tail loss probe, on a loaded machine: up to ~20 ms behind).
    check(iv[0] >= p.t.params["rto_min_ms"] / 1000.0 * 0.9 - 0.02,
          "%s: first RTO %.3fs below rto_min" % (c, iv[0]))
    # The first interval starts at a time the peer only knows to within
    # the tap's receive latency (up to ~20 ms); the backoff is checked
    # between the server's own transmissions.
    for a, b in zip(iv[1:], iv[2:]):
        check(1.6 <= b / a <= 2.5, "%s: intervals %s ms in %s are not an "
              "exponential backoff" % (c, ms, state))
    return ms


def test_fin_retransmit_abort_fin_wait_1(p):
    """FIN unacknowledged in FIN_WAIT_1: retransmitted with exponential
    backoff, RST after max_retries (RFC 6298 5.5, RFC 1122 4.2.3.5)."""
    before = stats(p)
    c = served(p)
    c.rcv_nxt = c.fin_seq
    c.skip_fin = c.fin_seq
    t_ack = c.send("A")
    retx, rst = _retransmissions(c, 5.0)
    ms = _check_backoff(p, c, max(c.fin_t, t_ack), retx, rst, "FIN_WAIT_1",
                        before)
    p.note("intervals ms: " + ms)
    check_counter(p, before, ["retransmit_abort"], what="abort")


def test_fin_retransmit_abort_last_ack(p):
    """FIN unacknowledged in LAST_ACK: the same backoff and abort."""
    from steps import last_ack
    before = stats(p)
    c = last_ack(p)
    retx, rst = _retransmissions(c, 5.0)
    ms = _check_backoff(p, c, c.fin_sent_after, retx, rst, "LAST_ACK",
                        before)
    p.note("intervals ms: " + ms)
    check_counter(p, before, ["retransmit_abort"], what="abort")


def test_fin_retransmit_abort_closing(p):
    """FIN unacknowledged in CLOSING: the same backoff and abort."""
    from steps import closing
    before = stats(p)
    c = closing(p)
    retx, rst = _retransmissions(c, 5.0)
    ms = _check_backoff(p, c, c.fin_sent_after, retx, rst, "CLOSING",
                        before)
    p.note("intervals ms: " + ms)
    check_counter(p, before, ["retransmit_abort"], what="abort")


def test_fin_wait_2_timeout(p):
    """A peer that never sends its FIN: FIN_WAIT_2 ends after
    fin_wait2_timeout_ms; a late FIN then gets RST."""
    before = stats(p)
    c = fin_wait_2(p)
    t0 = time.monotonic()
    to = p.t.params["fin_wait2_timeout_ms"] / 1000.0
    time.sleep(max(t0 + to - 0.4 - time.monotonic(), 0))
    c.send("A", advance=False)
    c.expect_silence(0.1, "FIN_WAIT_2 must last fin_wait2_timeout_ms")
    c.drain(max(t0 + to + 0.3 - time.monotonic(), 0))
    c.send("FA", advance=False)
    s = c.recv(0.5)
    check(s is not None and s.flags == "R" and s.seq == c.rcv_nxt,
          "%s: late FIN after the FIN_WAIT_2 timeout: want "
          "<SEQ=SEG.ACK %d><CTL=RST>, got %r" % (c, c.rcv_nxt, s))
    check_counter(p, before, ["fin_wait2_timeout"], what="timeout")


def test_fin_wait_2_timeout_half_close(p):
    """Under half-close the peer's data restarts the FIN_WAIT_2 timeout:
    a peer that keeps sending stays connected past the timeout; once it
    falls silent the timeout ends the connection."""
    c = fin_wait_2(p, role="http_half")
    to = p.t.params["fin_wait2_timeout_ms"] / 1000.0
    t0 = time.monotonic()
    while time.monotonic() < t0 + to * 1.5:
        time.sleep(to * 0.45)
        c.send("PA", data=b"still here")
        c.expect("A", seq=c.srv_nxt, ack=c.snd_nxt, what="ACK of data "
                 "%.1fs into FIN_WAIT_2" % (time.monotonic() - t0))
    time.sleep(to + 0.4)
    c.send("FA", advance=False)
    s = c.recv(0.5)
    check(s is not None and s.flags == "R" and s.seq == c.rcv_nxt,
          "%s: FIN after a silent fin_wait2_timeout_ms: want "
          "<SEQ=SEG.ACK %d><CTL=RST>, got %r" % (c, c.rcv_nxt, s))


@linux
def test_abort_close(p):
    """close: abort: the response, and once the peer has acknowledged
    it, <SEQ=SND.NXT><CTL=RST>; the connection is then gone (RFC 9293
    3.10.5 ABORT would discard a response still queued or in flight)."""
    c = established(p, "http_abort")
    c.send("PA", data=REQUEST)
    rst = None
    got = b""
    end = time.monotonic() + 1.0
    while rst is None and time.monotonic() < end:
        s = c.recv(end - time.monotonic())
        if s is None:
            break
        if s.has("R"):
            rst = s
            break
        check(not s.has("F"), "%s: FIN instead of RST: %r" % (c, s))
        if s.seq == c.rcv_nxt:
            got += s.data
        c.note(s)
        c.send("A")
    check(got.startswith(b"HTTP/1.1 200"), "%s: no response before the "
          "RST: %r" % (c, got[:40]))
    observe(p, "after the response: " + describe(
        rst, **{"SND.NXT": c.rcv_nxt, "RCV.NXT": c.snd_nxt}))
    check(rst is not None and rst.seq == c.rcv_nxt,
          "%s: want RST seq=SND.NXT %d after the response, got %r"
          % (c, c.rcv_nxt, rst))
    # RFC 9293 3.1: with the ACK bit set, the acknowledgment number is
    # the next sequence number expected: the request was received.
    check(not rst.has("A") or rst.ack == c.snd_nxt,
          "%s: RST,ACK acknowledges %d, but RCV.NXT is %d (the request was"
          " taken)" % (c, rst.ack, c.snd_nxt))
    c.expect_silence(0.2, "nothing after the RST")
    probe_gone(c, "after the abort")


def test_request_then_close_with_data_in_fin(p):
    """A request carried in the peer's FIN segment: the response and the
    server's FIN follow, then TIME_WAIT on our ACK (no RST)."""
    c = established(p, "http")
    c.send("FPA", data=REQUEST)
    data, fin = c.collect_until_fin()
    check(data.startswith(b"HTTP/1.1 200"), "%s: response %r" % (c, data))
    check(fin.ack == c.snd_nxt, "%s: FIN %r does not ack ours" % (c, fin))
    c.send("A")
    c.expect_silence(0.2, "closed cleanly")

