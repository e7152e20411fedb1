# SPDX-License-Identifier: BSD-3-Clause
"""Known conformance failures of tcpterm, found by the audit of
test_conform.py. Not in run.py's MODULES (they fail today); run them
with

    /usr/bin/python3 tests/wire/run.py --module test_conform_fail [NAME...]

Each case asserts what the RFC asks; once the fix is in lib/, move the
case to test_conform.py.

- ts_missing_dropped: RFC 7323 3.2, a non-RST segment without TSopt
  on a connection that negotiated timestamps SHOULD be dropped.
- martian_source_*: RFC 1122 3.2.1.3, a datagram from a source address
  that can never be a host's (loopback, the subnet's broadcast, our own
  address) MUST be silently discarded: no connection is created.
- sender_sws_avoidance: RFC 9293 3.8.6.2.1 (MUST-38), no sender SWS
  avoidance: a receiver offering 100 bytes at a time gets 100-byte
  segments at once.
- link_*_syn: RFC 1122 3.3.6, a unicast datagram in a link-layer
  broadcast (or multicast, or another station's) frame SHOULD be
  silently discarded; tcpterm answers it.
"""

import time

from scapy.all import IP, TCP, Ether

from peer import seq_add
from steps import (check, describe, drop_deltas, established, linux, observe,
                   stats)
from test_conform import _names, _raw, echo_roundtrip


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
