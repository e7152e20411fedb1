#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Write the seed corpora of tcpterm's fuzz harnesses:

    tests/fuzz/gen_corpus.py [DIR]      (default tests/fuzz/corpus)

DIR/fuzz_parse/: real frames (SYN, SYN-ACK, ACK with timestamps, data,
RST, FIN, ARP request and reply, ICMP echo, VLAN-tagged, padded; IPv6
SYN, also behind Hop-by-Hop/Destination/Routing headers, ICMPv6 echo,
Neighbor Solicitation and Advertisement) behind
the mode byte of fuzz_parse.c (checksum hints), and a few TCP option
lists (mode bit 7).
DIR/fuzz_tcp/: operation sequences in the encoding of fuzz_tcp.c: a
handshake, a close in both roles, TIME_WAIT re-ACK and reuse, a passive
close, half-close, abort, zero window, RST and challenge ACK, a port
without a listener, an ICMP too-big message for data in flight.

Deterministic: running it again writes the same files. Plain Python,
no packages beyond the standard library.
"""
import os
import struct
import sys

OUR_MAC = bytes([2, 0, 0, 0, 0, 1])
PEER_MAC = bytes([2, 0, 0, 0, 0, 2])
LADDR = bytes([198, 18, 0, 1])
RADDR = bytes([198, 18, 0, 2])
ROUTER = bytes([198, 18, 0, 254])


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def eth(payload, etype=0x0800, vlan=None, dst=OUR_MAC, src=PEER_MAC):
    hdr = dst + src
    if vlan is not None:
        hdr += struct.pack("!HH", 0x8100, vlan)
    return hdr + struct.pack("!H", etype) + payload


def ipv4(proto, payload, src=RADDR, dst=LADDR, ttl=64, frag=0x4000,
         opts=b""):
    ihl = 5 + len(opts) // 4
    hdr = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, 0, ihl * 4 + len(payload),
                      1, frag, ttl, proto, 0, src, dst) + opts
    c = csum(hdr)
    return hdr[:10] + struct.pack("!H", c) + hdr[12:] + payload


def tcp_opts(mss=None, ws=None, sack=False, ts=None):
    o = b""
    if mss is not None:
        o += struct.pack("!BBH", 2, 4, mss)
    if sack and ts is None:
        o += b"\x01\x01\x04\x02"
    if ts is not None:
        o += (b"\x04\x02" if sack else b"\x01\x01") + \
            struct.pack("!BBII", 8, 10, ts[0], ts[1])
    if ws is not None:
        o += struct.pack("!BBBB", 1, 3, 3, ws)
    return o


def tcp(sport, dport, seq, ack, flags, wnd=65535, opts=b"", data=b"",
        src=RADDR, dst=LADDR):
    doff = (20 + len(opts)) // 4
    hdr = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, doff << 4, flags,
                      wnd, 0, 0) + opts
    seg = hdr + data
    pseudo = src + dst + struct.pack("!BBH", 0, 6, len(seg))
    c = csum(pseudo + seg)
    seg = seg[:16] + struct.pack("!H", c) + seg[18:]
    return ipv4(6, seg, src=src, dst=dst)


def icmp_echo(ident, seq, data, typ=8, opts=b""):
    m = struct.pack("!BBHHH", typ, 0, 0, ident, seq) + data
    c = csum(m)
    return ipv4(1, m[:2] + struct.pack("!H", c) + m[4:], opts=opts)


def icmp_frag_needed(mtu, quoted):
    """RFC 1191 4: type 3 code 4, the next-hop MTU, the datagram's head."""
    m = struct.pack("!BBHHH", 3, 4, 0, 0, mtu) + quoted
    c = csum(m)
    return ipv4(1, m[:2] + struct.pack("!H", c) + m[4:], src=ROUTER)


def arp(op, sha, spa, tha, tpa):
    return struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, op, sha, spa, tha,
                       tpa)


LADDR6 = bytes([0x20, 0x01, 0x0d, 0xb8] + [0] * 11 + [1])
RADDR6 = bytes([0x20, 0x01, 0x0d, 0xb8] + [0] * 11 + [2])
SOL6 = bytes([0xff, 0x02] + [0] * 9 + [1, 0xff, 0, 0, 1])


def ipv6(nh, payload, src=RADDR6, dst=LADDR6, hlim=64, exts=b""):
    return struct.pack("!IHBB16s16s", 0x60000000, len(exts) + len(payload),
                       nh, hlim, src, dst) + exts + payload


def l4_6(nh, msg, csum_off, src=RADDR6, dst=LADDR6, hlim=64, exts=b"",
         ext_nh=None):
    pseudo = src + dst + struct.pack("!IxxxB", len(msg), nh)
    c = csum(pseudo + msg)
    msg = msg[:csum_off] + struct.pack("!H", c) + msg[csum_off + 2:]
    return ipv6(nh if ext_nh is None else ext_nh, msg, src, dst, hlim, exts)


def tcp6(sport, dport, seq, flags, opts=b"", exts=b"", ext_nh=None,
         src=RADDR6, dst=LADDR6):
    doff = (20 + len(opts)) // 4
    seg = struct.pack("!HHIIBBHHH", sport, dport, seq, 0, doff << 4, flags,
                      1024, 0, 0) + opts
    return l4_6(6, seg, 16, src=src, dst=dst, exts=exts, ext_nh=ext_nh)


def nd6(typ, target, opt, src=RADDR6, dst=SOL6, flags=0):
    m = struct.pack("!BBHI16s", typ, 0, 0, flags << 24, target) + opt
    return l4_6(58, m, 2, src=src, dst=dst, hlim=255)


FIN, SYN, RST, PSH, ACK = 0x01, 0x02, 0x04, 0x08, 0x10
GET = b"GET / HTTP/1.1\r\nHost: a\r\n\r\n"


def parse_seeds():
    syn_opts = tcp_opts(mss=1460, ws=7, sack=True, ts=(1000, 0))
    frames = {
        "syn": eth(tcp(40000, 80, 1000, 0, SYN, 64240, syn_opts)),
        "syn_ack": eth(tcp(80, 40000, 5000, 1001, SYN | ACK, 65535,
                           tcp_opts(mss=1460, ws=7, sack=True,
                                    ts=(2000, 1000)),
                           src=LADDR, dst=RADDR)),
        "ack_ts": eth(tcp(40000, 80, 1001, 5001, ACK, 502,
                          tcp_opts(ts=(1010, 2000)))),
        "data_ts": eth(tcp(40000, 80, 1001, 5001, ACK | PSH, 502,
                           tcp_opts(ts=(1011, 2000)), GET)),
        "fin_ack": eth(tcp(40000, 80, 1028, 5100, FIN | ACK, 502)),
        "rst": eth(tcp(40000, 80, 1029, 0, RST)),
        "syn_mss_only": eth(tcp(40001, 7, 77, 0, SYN, 1024,
                                tcp_opts(mss=536))),
        "syn_unknown_opt": eth(tcp(40002, 80, 9, 0, SYN, 1024,
                                   b"\x1e\x06abcd\x00\x00\x00\x00")),
        "arp_request": eth(arp(1, PEER_MAC, RADDR, bytes(6), LADDR),
                           0x0806, dst=b"\xff" * 6),
        "arp_reply": eth(arp(2, PEER_MAC, RADDR, OUR_MAC, LADDR), 0x0806),
        "icmp_echo": eth(icmp_echo(1, 1, b"abcdefgh" * 7)),
        "icmp_odd": eth(icmp_echo(2, 9, b"xyz")),
        # Record Route (room for 2) and Timestamp (flag 1, room for 1).
        "icmp_echo_rr_ts": eth(icmp_echo(3, 1, b"route", opts=(
            b"\x07\x0b\x04" + bytes(8) + b"\x01" +
            b"\x44\x0c\x05\x01" + bytes(8)))),
        "icmp_reply": eth(icmp_echo(1, 1, b"pong", typ=0)),
        "vlan_syn": eth(tcp(40003, 80, 1, 0, SYN, 1000, syn_opts),
                        vlan=100),
        "vlan_arp": eth(arp(1, PEER_MAC, RADDR, bytes(6), LADDR), 0x0806,
                        vlan=7),
        "padded_ack": eth(tcp(40000, 80, 1001, 5001, ACK, 502)) + bytes(6),
        "ip_options": eth(ipv4(6, tcp(40004, 80, 3, 0, SYN)[20:],
                               opts=b"\x01\x01\x01\x00")),
        "fragment": eth(ipv4(6, b"\0" * 20, frag=0x2000)),
        "ipv6_syn": eth(tcp6(40000, 80, 1000, SYN, syn_opts), 0x86dd),
        # Hop-by-Hop, Destination Options, Routing (segments left 0).
        "ipv6_ext_syn": eth(tcp6(40001, 80, 1, SYN, exts=(
            b"\x3c\x00\x01\x04\0\0\0\0" b"\x2b\x00\x01\x04\0\0\0\0"
            b"\x06\x00\x00\x00\0\0\0\0"), ext_nh=0), 0x86dd),
        "ipv6_echo": eth(l4_6(58, b"\x80\x00\0\0\x00\x01\x00\x01abcd", 2),
                         0x86dd),
        # The head of a full-size segment of ours, quoted by a router.
        "icmp_frag_needed": eth(icmp_frag_needed(1000, tcp(
            80, 40000, 5001, 1001, ACK, 502, data=bytes(1460),
            src=LADDR, dst=RADDR)[:28])),
        "icmp_frag_needed_mtu0": eth(icmp_frag_needed(0, tcp(
            80, 40000, 5001, 1001, ACK, 502, data=bytes(1460),
            src=LADDR, dst=RADDR)[:28])),
        "ipv6_ptb": eth(l4_6(58, struct.pack("!BBHI", 2, 0, 0, 1280) +
                             tcp6(80, 40000, 5001, ACK, src=LADDR6,
                                  dst=RADDR6)[:48], 2),
                        0x86dd),
        "ipv6_ns": eth(nd6(135, LADDR6, b"\x01\x01" + PEER_MAC), 0x86dd),
        "ipv6_na": eth(nd6(136, RADDR6, b"\x02\x01" + PEER_MAC,
                           dst=LADDR6, flags=0x60), 0x86dd),
    }
    seeds = {}
    for name, f in frames.items():
        # Unknown hints (software checksums); the TCP ones also with
        # device hints good/good (mode 4) and bad L4 (mode 6).
        seeds["%s_sw" % name] = bytes([0]) + f
        if name in ("syn", "data_ts", "vlan_syn"):
            seeds["%s_hw_good" % name] = bytes([4]) + f
            seeds["%s_hw_bad" % name] = bytes([6]) + f
    for name, o in {
        "opts_syn": tcp_opts(mss=1460, ws=7, sack=True, ts=(1, 2)),
        "opts_sack_blocks": b"\x01\x01\x05\x0a" + bytes(8),
        "opts_eol": b"\x02\x04\x05\xb4\x00\x01\x01\x01",
        "opts_unknown": b"\xfe\x04ab\x01\x01\x03\x03\x0e",
    }.items():
        seeds[name] = bytes([0x80]) + o
    return seeds


# ---- fuzz_tcp operations (see the encoding in fuzz_tcp.c) ----

SEG, TIMERS, PMTU = 0, 6, 7
PORT = {80: 0, 81: 1, 82: 2, 83: 3, 7: 4, 9: 5, 84: 6, 85: 7}
O_MSS, O_WS, O_SACK, O_TS = 0x01, 0x02, 0x04, 0x08
L_NONE, L_ONE, L_REQ, L_100 = 0, 2, 4, 5
C_KEEP, C_CLOSE, C_V10, C_RAW = 0, 1, 2, 3


def seg(flags, port=80, remote=0, seq=0, ack=0, wnd=0xff, opts=O_TS,
        optval=3, length=L_NONE, content=C_KEEP, step=0, dup=False,
        timers=False, every=False):
    """One segment op; seq/ack bytes are (mode << 6 | delta & 0x3f)."""
    b0 = SEG | (0x08 if dup else 0) | (0x10 if timers else 0) | \
        (0x20 if every else 0)
    b1 = remote | PORT[port] << 3
    return bytes([b0, b1, flags, seq, ack, wnd, opts | optval << 5,
                  length | content << 3 | step << 5])


def timers(step, budget=0):
    return bytes([TIMERS | step << 3, 0, 0, 0, 0, 0, 0, 0]) if budget == 0 \
        else bytes([TIMERS | step << 3 | budget << 6] + [0] * 7)


def pmtu(port=80, remote=0, seq=0, mtu=4):
    """An ICMP too-big op: seq over our SND.MAX as an ACK is, MTU index."""
    return bytes([PMTU, remote | PORT[port] << 3, 0, seq, mtu, 0, 0, 0])


def d(mode, delta):
    return mode << 6 | (delta & 0x3f)


def handshake(port=80, remote=0, opts=O_MSS | O_WS | O_SACK | O_TS):
    return seg(SYN, port, remote, opts=opts) + \
        seg(ACK, port, remote, opts=opts & O_TS)


def tcp_seeds():
    P = 0x10 | 0x20 | 0x40      # timestamps, SACK, 4 send buffers
    s = {}
    s["handshake"] = bytes([P]) + handshake()
    s["handshake_no_ts"] = bytes([0x40]) + handshake(opts=O_MSS)
    # Server closes first (after-response): we end in TIME_WAIT; the
    # peer's FIN retransmitted draws a re-ACK; then a new SYN reuses it.
    active = handshake() + seg(ACK | PSH, length=L_REQ) + \
        seg(ACK, step=2) + seg(FIN | ACK, step=2)
    s["active_close_time_wait"] = bytes([P]) + active
    s["time_wait_reack"] = bytes([P]) + active + \
        seg(FIN | ACK, seq=d(1, -1), step=3)
    s["time_wait_reuse"] = bytes([P | 0x04]) + active + \
        seg(SYN, opts=O_MSS | O_TS, step=4) + seg(ACK)
    s["time_wait_rst_rfc1337"] = bytes([P | 0x01]) + active + seg(RST)
    s["time_wait_expiry"] = bytes([P]) + active + timers(4) + timers(4)
    # Passive close: the peer closes first, the server follows after its
    # close delay (CLOSE_WAIT, then LAST_ACK).
    s["passive_close"] = bytes([P]) + handshake(81) + \
        seg(ACK | PSH, 81, length=L_REQ) + seg(FIN | ACK, 81, step=2) + \
        timers(3) + timers(3) + seg(ACK, 81)
    s["http_connection_close"] = bytes([P]) + handshake(81) + \
        seg(ACK | PSH, 81, length=L_REQ, content=C_CLOSE) + \
        seg(ACK, 81, step=2) + seg(FIN | ACK, 81)
    s["http10"] = bytes([P]) + handshake(80, 1) + \
        seg(ACK | PSH, 80, 1, length=L_REQ, content=C_V10) + \
        seg(ACK, 80, 1) + seg(FIN | ACK, 80, 1)
    s["half_close"] = bytes([P]) + handshake(82) + \
        seg(ACK | PSH, 82, length=L_REQ) + seg(ACK, 82, step=3) + \
        seg(ACK | PSH, 82, length=L_100) + seg(FIN | ACK, 82)
    s["abort"] = bytes([P]) + handshake(83) + \
        seg(ACK | PSH, 83, length=L_REQ) + timers(3) + timers(3)
    s["echo_zero_window"] = bytes([P]) + handshake(7) + \
        seg(ACK | PSH, 7, length=L_100, content=C_RAW, wnd=0) + \
        timers(3) + timers(4) + timers(4) + seg(ACK, 7, wnd=0x85)
    s["discard_fin_rst"] = bytes([P]) + handshake(9) + \
        seg(ACK | PSH, 9, length=6) + seg(FIN | ACK, 9, step=3)
    s["rst_in_window_challenge"] = bytes([P]) + handshake() + \
        seg(RST, seq=d(1, 5)) + seg(RST, seq=d(1, 7)) + seg(RST, seq=d(1, 9))
    s["syn_in_established"] = bytes([P]) + handshake() + seg(SYN, step=2)
    s["no_listener"] = bytes([P]) + seg(SYN, 84) + seg(ACK, 85) + \
        seg(RST, 84)
    s["syn_recv_timeout"] = bytes([P]) + seg(SYN, 80, 2) + seg(SYN, 81, 3) + \
        timers(5) + timers(5)
    s["old_ack_paws"] = bytes([P]) + handshake() + \
        seg(ACK, ack=d(2, -3), opts=O_TS | 0x10) + seg(ACK, ack=d(3, 9))
    s["many_conns"] = bytes([0x10 | 0x20]) + b"".join(
        handshake(port, r) for port in (80, 81, 7) for r in range(6)) + \
        timers(6, 1) + timers(6)
    # Every remote endpoint on two ports: 16 connections, the pools
    # full; data and delayed ACKs re-arm the timers of all of them.
    fill = b""
    for port in (80, 7):
        fill += seg(SYN, port, every=True) + seg(ACK, port, every=True)
    fill += seg(SYN, 81, every=True)
    for i in range(6):
        fill += seg(ACK | PSH, 7, length=L_ONE, every=True, step=3) + \
            seg(ACK | PSH, 80, length=L_REQ, every=True, timers=True)
    s["fill_pools"] = bytes([P]) + fill + timers(2) + timers(3)
    # A response in flight, then a too-big message quoting it (IPv4: MTU
    # 0, taken as the floor 552, below the MSS of 536; IPv6: one beyond
    # SND.MAX, then 1280, not below the MSS).
    s["pmtu_lowered"] = bytes([P]) + handshake() + \
        seg(ACK | PSH, length=L_REQ) + pmtu(seq=d(2, -4), mtu=0) + \
        timers(3)
    s["pmtu_v6"] = bytes([P]) + handshake(80, 1) + \
        seg(ACK | PSH, 80, 1, length=L_REQ) + pmtu(80, 1, d(1, 5), 5) + \
        pmtu(80, 1, d(2, -4), 5) + timers(3)
    # 16 connections whose delayed ACKs re-arm earlier than their idle
    # timers again and again: the stale wheel entries fill the wheel
    # (wheel_full).
    wheel = b""
    for port in (9, 7):
        wheel += seg(SYN, port, every=True) + seg(ACK, port, every=True)
    for i in range(10):
        wheel += seg(ACK | PSH, 9, length=L_ONE, every=True) + \
            seg(ACK | PSH, 7, length=L_ONE, every=True) + timers(2)
    s["wheel_full"] = bytes([P]) + wheel
    s["retransmit_giveup"] = bytes([P]) + handshake() + \
        seg(ACK | PSH, length=L_REQ) + b"".join(timers(4) for _ in range(8))
    return s


def write(dirname, seeds):
    os.makedirs(dirname, exist_ok=True)
    for name, data in sorted(seeds.items()):
        with open(os.path.join(dirname, name), "wb") as f:
            f.write(data)
    print("%s: %d seeds" % (dirname, len(seeds)))


def main():
    top = sys.argv[1] if len(sys.argv) > 1 else \
        os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")
    write(os.path.join(top, "fuzz_parse"), parse_seeds())
    write(os.path.join(top, "fuzz_tcp"), tcp_seeds())


if __name__ == "__main__":
    main()
