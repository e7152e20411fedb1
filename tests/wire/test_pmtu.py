# SPDX-License-Identifier: BSD-3-Clause
"""Path MTU discovery (RFC 1191, RFC 8201) and its defence against forged
ICMP (RFC 5927), over IPv4 and (run again as v6_*) IPv6.

The peer makes the echo application send full-size segments, takes them
as lost on a path with a smaller MTU, and answers with the message a
router would send: a fragmentation needed (IPv4, MTU 1000) or a Packet
Too Big (IPv6, MTU 1280) quoting the first of them. tcpterm must resend
the data at once in segments that fit, without waiting for its
retransmission timeout; for a SACK peer, none of it into what the peer
SACKed. A message quoting a sequence number that is not
in flight is refused and counted, and the segment sizes stay; so is a
Packet Too Big below 1280, while an IPv4 MTU below 552 is acted on as
552. With two
workers and one RX queue, every message reaches worker 0 and must be
steered to the worker owning the connection it quotes.
"""

import struct
import time

from scapy.all import IP, TCP, Ether, ICMPv6PacketTooBig, IPv6, Raw

import targets
from peer import Peer, Target
from steps import check, check_counter, observe, stats, tcp_overrides

# tests/integration/harness.py, put on the path by targets.
harness = targets.harness

ROUTER4 = "198.18.0.254"
ROUTER6 = "2001:db8::fe"
MTU4 = 1000
MTU6 = 1280


def _mss(p):
    """The send MSS tcpterm takes from our SYN's MSS 1460: its own cap
    (tcp.mss 1460; over IPv6 1460 - 20), no timestamps."""
    return 1440 if p.v6 else 1460


def _new_mss(p):
    return MTU6 - 60 if p.v6 else MTU4 - 40


def _full_segments(p, n, sack=False):
    """An echo connection with n full-size segments of ours in flight,
    unacknowledged (the path lost them), SACK permitted when sack;
    returns (conn, segments, data)."""
    mss = _mss(p)
    c = p.conn(p.t.ports["echo"])
    c.sack = sack
    c.connect()
    data = bytes((i * 7) & 0xff for i in range(n * mss))
    for i in range(n):
        c.send("PA", data=data[i * mss:(i + 1) * mss])
    segs = []
    while len(segs) < n:
        s = c.recv(1.0)
        check(s is not None, "%s: echo: got %d of %d full segments"
              % (c, len(segs), n))
        if s.data:
            segs.append(s)
    for s in segs:
        check(len(s.data) == mss, "%s: echo segment of %d bytes, want %d"
              % (c, len(s.data), mss))
    return c, segs, data


def _csum(b):
    """RFC 1071: the Internet checksum of b."""
    if len(b) % 2:
        b += b"\0"
    t = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while t >> 16:
        t = (t & 0xffff) + (t >> 16)
    return ~t & 0xffff


def _send_too_big(p, s, seq=None, mtu=None):
    """The router's message about segment s (quoting seq instead of its
    sequence number when given, reporting mtu instead of MTU4 or MTU6):
    the IP header it had and the first 8 bytes of its TCP header."""
    seq = s.seq if seq is None else seq
    if mtu is None:
        mtu = MTU6 if p.v6 else MTU4
    tcp = TCP(sport=s.sport, dport=s.dport, seq=seq, ack=s.ack, flags="A")
    eth = Ether(src=p.t.peer_mac, dst=p.server_mac)
    if p.v6:
        inner = IPv6(src=s.src, dst=s.dst, plen=20 + len(s.data)) / tcp
        frame = (eth / IPv6(src=ROUTER6, dst=p.t.server_ip) /
                 ICMPv6PacketTooBig(mtu=mtu) / Raw(bytes(inner)[:48]))
    else:
        inner = IP(src=s.src, dst=s.dst, flags="DF",
                   len=40 + len(s.data)) / tcp
        icmp = struct.pack("!BBHHH", 3, 4, 0, 0, mtu) + bytes(inner)[:28]
        icmp = icmp[:2] + struct.pack("!H", _csum(icmp)) + icmp[4:]
        frame = (eth / IP(src=ROUTER4, dst=p.t.server_ip, proto=1) /
                 Raw(icmp))
    p._send_frame(frame)
    return time.monotonic()


def _collect(c, start, end, timeout):
    """Segments until [start, end) has arrived in order (a resend may
    come in several); returns them."""
    got = []
    nxt = start
    deadline = time.monotonic() + timeout
    while nxt != end:
        s = c.recv(max(deadline - time.monotonic(), 0))
        check(s is not None, "%s: resend stopped at %d of [%d, %d): %r"
              % (c, nxt, start, end, got))
        if s.data and s.seq == nxt:
            got.append(s)
            nxt = (nxt + len(s.data)) & 0xffffffff
    return got


def test_pmtu_lowered_resend(p):
    """RFC 1191 6 / RFC 8201 4: two full-size segments lost on the path;
    the too-big message quoting the first makes tcpterm resend both at
    once, from SND.UNA, in segments of at most the new MSS (MTU 1000 less
    40, or 1280 less 60), well before its 200 ms retransmission timeout;
    data sent afterwards keeps to the new size."""
    before = stats(p)
    c, segs, data = _full_segments(p, 2)
    start = segs[0].seq
    t0 = _send_too_big(p, segs[0])
    got = _collect(c, start, (start + len(data)) & 0xffffffff, 1.0)
    first = got[0].t - t0
    sizes = [len(s.data) for s in got]
    p.note("resend sizes %s, first %.0f ms after the message"
           % (sizes, first * 1000))
    observe(p, "resend in %d segments" % len(got))
    check(max(sizes) <= _new_mss(p), "%s: resend sizes %s, want <= %d"
          % (c, sizes, _new_mss(p)))
    check(b"".join(s.data for s in got) == data, "%s: resent bytes differ"
          % c)
    check(first < 0.15, "%s: first resend %.0f ms after the message: "
          "want it at once, not at the timeout" % (c, first * 1000))
    check_counter(p, before, ["pmtu_lowered"], what="MSS lowered")
    check_counter(p, before, ["icmp6_ptb_rx" if p.v6 else "icmp_ptb_rx"],
                  what="message received")
    c.rcv_nxt = (start + len(data)) & 0xffffffff
    c.send("A")
    # New data, two of our full segments: echoed in segments that fit.
    more = bytes(range(256)) * 12
    more = more[:2 * _mss(p)]
    c.send("PA", data=more[:_mss(p)])
    c.send("PA", data=more[_mss(p):])
    got = _collect(c, c.rcv_nxt, (c.rcv_nxt + len(more)) & 0xffffffff, 1.0)
    sizes = [len(s.data) for s in got]
    check(max(sizes) <= _new_mss(p) and len(got) >= 3,
          "%s: after the message, %d bytes went in %s" % (c, len(more),
                                                         sizes))
    c.rcv_nxt = (c.rcv_nxt + len(more)) & 0xffffffff
    c.send("A")
    c.send("FA")


def test_pmtu_two_hops(p):
    """A path of two narrower hops: the first hop's message (IPv4 1200,
    IPv6 1400) resends the data at once in segments that pass it, which
    all die at the second hop (1000, 1280); its message, quoting the
    first of them, must resend the data again at once, not wait for the
    retransmission timeout (100 ms and up), which would also cut the
    window for a loss that was not congestion: the whole of it comes
    within 60 ms, in segments that pass both hops."""
    hop1 = 1400 - 60 if p.v6 else 1200 - 40
    c, segs, data = _full_segments(p, 2)
    start = segs[0].seq
    end = (start + len(data)) & 0xffffffff
    _send_too_big(p, segs[0], mtu=1400 if p.v6 else 1200)
    got = _collect(c, start, end, 1.0)
    sizes = [len(s.data) for s in got]
    check(max(sizes) <= hop1, "%s: first resend sizes %s, want <= %d"
          % (c, sizes, hop1))
    t0 = _send_too_big(p, got[0])
    got = _collect(c, start, end, 1.0)
    sizes = [len(s.data) for s in got]
    last = got[-1].t - t0
    p.note("second resend %s, done %.0f ms after the second message"
           % (sizes, last * 1000))
    observe(p, "second hop's message: resend in %d segments" % len(got))
    check(max(sizes) <= _new_mss(p), "%s: second resend sizes %s, want "
          "<= %d" % (c, sizes, _new_mss(p)))
    check(b"".join(s.data for s in got) == data, "%s: resent bytes differ"
          % c)
    check(last < 0.06, "%s: second resend done %.0f ms after the second "
          "hop's message: want it at once, not at the timeout"
          % (c, last * 1000))
    c.rcv_nxt = end
    c.send("A")
    c.send("FA")


def _drain(c, wait):
    """Segments of c until none comes for wait seconds."""
    got = []
    while True:
        s = c.recv(wait)
        if s is None:
            return got
        got.append(s)


def test_pmtu_resend_stops_at_sacked(p):
    """A SACK peer: three full-size segments lost on the path but the
    second, which it SACKs; then the too-big message quoting the first.
    The resend skips the SACKed segment and stops short of it: the first
    hole goes as a segment of the new MSS and the rest of the hole (960
    and 500, or 1220 and 220 over IPv6), not as two of the new MSS, the
    second reaching into data the peer holds; the third segment goes
    again as the first did. Nothing resent overlaps the SACKed range
    (whatever a recovery sent before the message, at the old size,
    included)."""
    before = stats(p)
    mss, new = _mss(p), _new_mss(p)
    c, segs, data = _full_segments(p, 3, sack=True)
    start = segs[0].seq
    end = (start + len(data)) & 0xffffffff
    sack = (segs[1].seq, (segs[1].seq + mss) & 0xffffffff)
    c.send("A", opts=[("NOP", None), ("NOP", None), ("SAck", sack)])
    early = _drain(c, 0.03)
    t0 = _send_too_big(p, segs[0])
    # The resend is one burst; the retransmission timer (100 ms and up)
    # restarted with it.
    got = [s for s in _drain(c, 0.05) if s.data]
    p.note("before the message %s; resend %s" % (
        [((s.seq - start) & 0xffffffff, len(s.data)) for s in early
         if s.data],
        [((s.seq - start) & 0xffffffff, len(s.data)) for s in got]))
    for s in early + got:
        off = (s.seq - start) & 0xffffffff
        check(not s.data or off + len(s.data) <= mss or off >= 2 * mss,
              "%s: %d bytes at %d resent into the SACKed [%d, %d)"
              % (c, len(s.data), off, mss, 2 * mss))
        check(data[off:off + len(s.data)] == s.data,
              "%s: resent bytes at %d differ" % (c, off))
    # What a timeout (or RACK) sends later is held to the check above.
    pieces = [((s.seq - start) & 0xffffffff, len(s.data)) for s in got[:4]]
    observe(p, "resend after SACK of the second: %s" % pieces)
    want = [(0, new), (new, mss - new), (2 * mss, new),
            (2 * mss + new, mss - new)]
    check(pieces == want and got[0].t - t0 < 0.05,
          "%s: resend (offset, bytes) %s, want %s at once"
          % (c, pieces, want))
    check_counter(p, before, ["pmtu_lowered"], what="MSS lowered")
    c.rcv_nxt = end
    c.send("A")
    c.send("FA")


@tcp_overrides(tail_loss_probe="false")
def test_pmtu_late_restarts_timer(p):
    """A resend restarts the retransmission timer: one full segment goes
    unacknowledged, and its timeout resend gives the RTO (no tail loss
    probe before it, so that the first resend is the timeout's); the
    too-big message comes halfway to the next timeout (twice the RTO,
    backed off), which leaves a loaded host room to send it in time. The
    data goes again at once at the new size, and the next timeout resend
    comes a whole (backed-off) RTO after the message, not one RTO after
    it, when the timer would have run on: that would also cut the window
    once more."""
    c, segs, data = _full_segments(p, 1)
    start = segs[0].seq
    end = (start + len(data)) & 0xffffffff
    rxt = _collect(c, start, end, 2.0)
    rto = rxt[0].t - segs[0].t
    wait = rxt[0].t + rto - time.monotonic()
    check(wait > 0.02, "%s: RTO %.0f ms too short to test" % (c, rto * 1000))
    time.sleep(wait)
    t0 = _send_too_big(p, rxt[0])
    got = _collect(c, start, end, 1.0)
    sizes = [len(s.data) for s in got]
    # At once: well before the timer would have sent it, an RTO on.
    check(max(sizes) <= _new_mss(p) and got[0].t - t0 < max(0.03, rto / 4),
          "%s: resend %s %.0f ms after the message" % (c, sizes,
                                                      (got[0].t - t0) * 1000))
    nxt = c.recv(2.0)
    check(nxt is not None, "%s: no timeout resend after the message" % c)
    gap = nxt.t - t0
    p.note("RTO %.0f ms; next resend %.0f ms after the message"
           % (rto * 1000, gap * 1000))
    observe(p, "timeout after a late message: %.0f ms later, RTO %.0f ms"
            % (gap * 1000, rto * 1000))
    check(gap > 1.5 * rto, "%s: timeout resend %.0f ms after the message, "
          "want a whole backed-off RTO (%.0f ms)" % (c, gap * 1000,
                                                     2 * rto * 1000))
    c.rcv_nxt = end
    c.send("A")
    c.send("FA")


def test_pmtu_forged_seq_ignored(p):
    """RFC 5927 5.2: a too-big message quoting a sequence number that is
    not in flight (100000 past SND.NXT: a blind forger's guess) is
    refused and counted (pmtu_seq_drop): the retransmission timeout
    resends the segment at the full size, as if no message had come."""
    before = stats(p)
    c, segs, data = _full_segments(p, 1)
    start = segs[0].seq
    t0 = _send_too_big(p, segs[0], seq=(start + 100000) & 0xffffffff)
    got = _collect(c, start, (start + len(data)) & 0xffffffff, 2.0)
    sizes = [len(s.data) for s in got]
    observe(p, "after a forged message: %s" % sizes)
    p.note("resend %.0f ms after the forged message: %s"
           % ((got[0].t - t0) * 1000, sizes))
    check(sizes == [_mss(p)], "%s: timeout resend sizes %s, want [%d]"
          % (c, sizes, _mss(p)))
    check_counter(p, before, ["pmtu_seq_drop"], what="forged seq refused")
    after = stats(p)
    if after is not None:
        check(after["pmtu_lowered"] == before["pmtu_lowered"],
              "%s: pmtu_lowered rose on a forged message" % c)
    c.rcv_nxt = (start + len(data)) & 0xffffffff
    c.send("A")
    c.send("FA")


def test_pmtu_below_floor(p):
    """A too-big message reporting an MTU below the floor. IPv6: below
    the minimum link MTU of 1280 (here 1000), discarded (RFC 8201 4, as
    Linux's tcp_v6_err()) and counted (pmtu_v6_below_min_drop): the
    timeout resends the segment at the full size. IPv4: 508 (RFC 1191
    7's plateau below 552) is acted on as 552, Linux's min_pmtu: the data
    goes again at once in segments of at most 512 bytes, without DF and
    with distinct IP IDs, for routers to fragment (pmtu_df_cleared)."""
    before = stats(p)
    c, segs, data = _full_segments(p, 1)
    start = segs[0].seq
    t0 = _send_too_big(p, segs[0], mtu=1000 if p.v6 else 508)
    got = _collect(c, start, (start + len(data)) & 0xffffffff, 2.0)
    sizes = [len(s.data) for s in got]
    p.note("resend %.0f ms after the message: %s"
           % ((got[0].t - t0) * 1000, sizes))
    after = stats(p)
    if p.v6:
        observe(p, "after a Packet Too Big of 1000: %s" % sizes)
        check(sizes == [_mss(p)], "%s: timeout resend sizes %s, want [%d]"
              % (c, sizes, _mss(p)))
        check_counter(p, before, ["pmtu_v6_below_min_drop"],
                      what="Packet Too Big below 1280 discarded")
        if after is not None:
            check(after["pmtu_lowered"] == before["pmtu_lowered"],
                  "%s: pmtu_lowered rose on an MTU below 1280" % c)
    else:
        observe(p, "after a fragmentation needed of 508: %s" % sizes)
        check(max(sizes) <= 512 and len(got) >= 3,
              "%s: resend sizes %s, want <= 512" % (c, sizes))
        check(got[0].t - t0 < 0.15, "%s: first resend %.0f ms after the "
              "message: want it at once" % (c, (got[0].t - t0) * 1000))
        # 552-byte datagrams would not pass either: DF goes, each with
        # its own IP ID (RFC 6864 4.1), as Linux does on a locked MTU.
        ids = [s.ip_id for s in got]
        check(not any(s.ip_df for s in got),
              "%s: resend with DF on a path below 552" % c)
        check(0 not in ids and len(set(ids)) == len(ids),
              "%s: IP IDs %s, want distinct and not 0" % (c, ids))
        p.note("IP IDs %s" % ids)
        check_counter(p, before, ["pmtu_lowered"], what="MSS lowered")
        check_counter(p, before, ["pmtu_floor"], what="below the floor")
        check_counter(p, before, ["pmtu_df_cleared"], what="DF cleared")
    c.rcv_nxt = (start + len(data)) & 0xffffffff
    c.send("A")
    c.send("FA")


def _two_worker_target(ipv6):
    """A tcpterm of two workers on one RX queue (software steering: the
    frames of every flow arrive on worker 0, which hands on those of
    worker 1's flows), with the suite's listeners. No tail loss probe
    and a retransmission timeout of 1 s: on a loaded machine the message
    may come tens of ms after its segment, and a probe or timeout resend
    at the old size must not come first."""
    cfg = targets.tcpterm_config({"tail_loss_probe": "false",
                                  "rto_min_ms": 1000,
                                  "rto_initial_ms": 1000}, ipv6)
    v4 = "    ipv4: %s/24\n" % harness.SERVER_IP
    cfg = cfg.replace(v4, v4 + "    queues: 1\n", 1)
    cfg = cfg.replace("workers: 1\n", "workers: 2\n", 1)
    tt = harness.Tcpterm(cfg, lcores="0-1")
    server, peer = ((targets.SERVER6, targets.PEER6) if ipv6 else
                    (harness.SERVER_IP, "198.18.0.77"))
    return tt, server, peer


def _owned(tt):
    """Connections of each worker."""
    cores = tt.telemetry("/tcpterm/cores")["/tcpterm/cores"]
    return sorted(w["conns"] for w in cores.values())


def test_pmtu_two_workers(p):
    """The message's outer header says nothing of the flow, so the worker
    that receives it is often not the one owning the connection: it is
    steered by the quoted 4-tuple. Eight connections or more, spread over
    both workers, each get a message: every one is resent at the new size,
    and no frame reaches a worker that does not own its flow."""
    tt, server, peer_ip = _two_worker_target(p.v6)
    with tt:
        t = Target("tcpterm", tt.ns_path, tt.iface, server, peer_ip,
                   targets.PEER_MAC, targets.PORTS, targets.PARAMS,
                   stats=tt.stats, states=tt.states)
        q = Peer(t)
        try:
            before = t.stats()
            # One at a time: the message follows its segment well
            # before the retransmission timeout (1 s here, no probe),
            # and the resend is awaited for less than that.
            # At least 8, and on until both workers own some (the ports
            # are random: all 8 on one worker is a 1 in 128 chance).
            n = 0
            while n < 24 and (n < 8 or min(_owned(tt)) == 0):
                n += 1
                c, segs, data = _full_segments(q, 1)
                s = segs[0]
                _send_too_big(q, s)
                got = _collect(c, s.seq, (s.seq + len(data)) & 0xffffffff,
                               1.0)
                sizes = [len(x.data) for x in got]
                check(max(sizes) <= _new_mss(q) and len(got) >= 2,
                      "%s: resend sizes %s, want <= %d"
                      % (c, sizes, _new_mss(q)))
                c.rcv_nxt = (s.seq + len(data)) & 0xffffffff
                c.send("A")
            # The connections stay open: where they are is where each
            # message had to go.
            owned = _owned(tt)
            p.note("connections per worker: %s" % owned)
            check(len(owned) == 2 and min(owned) > 0,
                  "connections not on both workers: %s" % owned)
            after = t.stats()
            check(after["pmtu_lowered"] - before["pmtu_lowered"] == n,
                  "pmtu_lowered rose by %d, want %d"
                  % (after["pmtu_lowered"] - before["pmtu_lowered"], n))
            check(after["ownership_violations"] == 0,
                  "ownership violations: %d" % after["ownership_violations"])
            check(after["pmtu_no_conn_drop"] == 0,
                  "a message reached a worker without its connection")
        finally:
            q.close()
