# SPDX-License-Identifier: BSD-3-Clause
"""Hostile frame generator, run with Debian's python3 (scapy) inside the
test namespace:

    hostile_frames.py IFACE DST_MAC

Reads a category name per stdin line, sends that category's frames on
IFACE and answers "sent N" (or "error MESSAGE") on stdout.
"""

import struct
import sys

from scapy.all import ICMP, IP, TCP, Ether, Raw, conf, get_if_hwaddr, sendp
from scapy.utils import checksum

SRC, DST = "198.18.0.2", "198.18.0.1"
COUNT = 20


def tcp_raw(sport, dport, flags, opts=b"", doff=None, payload=b"",
            seq=1000, ack=0, good_csum=True):
    """TCP header bytes with any data offset and option bytes, and a
    correct (or deliberately wrong) checksum."""
    if doff is None:
        doff = 5 + (len(opts) + 3) // 4
    opts = opts + b"\x00" * (-len(opts) % 4)
    hdr = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, doff << 4,
                      flags, 8192, 0, 0) + opts
    seg = hdr + payload
    pseudo = struct.pack("!4s4sBBH", bytes(map(int, SRC.split("."))),
                         bytes(map(int, DST.split("."))), 0, 6, len(seg))
    c = checksum(pseudo + seg)
    if not good_csum:
        c ^= 0x5a5a
    return seg[:16] + struct.pack("!H", c) + seg[18:]


F, S, R, P, A, U = 0x01, 0x02, 0x04, 0x08, 0x10, 0x20


def builders(eth):
    ip = lambda **kw: IP(src=SRC, dst=DST, **kw)

    def bad_ip_csum(i):
        p = ip(proto=6) / Raw(tcp_raw(20000 + i, 80, S))
        good = IP(bytes(p)).chksum
        p.chksum = good ^ 0x00ff
        return eth / p

    def bad_icmp(i):
        p = ip() / ICMP(id=i, seq=i) / Raw(b"x" * 8)
        good = IP(bytes(p))[ICMP].chksum
        p[ICMP].chksum = good ^ 0x0f0f
        return eth / p

    seg = lambda i, flags, **kw: eth / ip(proto=6) / Raw(
        tcp_raw(30000 + i, 80, flags, **kw))
    return {
        "eth_short": lambda i: Raw(bytes(eth)[:10]),
        "ip_short": lambda i: eth / Raw(bytes(ip(proto=6))[:10]),
        "ip_version": lambda i: eth / Raw(b"\x65" + bytes(ip(proto=6) /
                                                         TCP())[1:]),
        "ip_ihl0": lambda i: eth / ip(ihl=0, proto=6) / Raw(b"\x00" * 40),
        "ip_ihl3": lambda i: eth / ip(ihl=3, proto=6) / Raw(b"\x00" * 40),
        "ip_totlen": lambda i: eth / ip(proto=6, len=1000) / Raw(
            tcp_raw(21000 + i, 80, S)),
        "ip_csum": bad_ip_csum,
        "ip_frag_mf": lambda i: eth / ip(proto=6, flags="MF", id=i) / Raw(
            tcp_raw(22000 + i, 80, S)),
        "ip_frag_off": lambda i: eth / ip(proto=6, frag=64, id=i) / Raw(
            b"y" * 24),
        "icmp_csum": bad_icmp,
        "tcp_short": lambda i: eth / ip(proto=6) / Raw(b"\x00\x50" * 5),
        "tcp_doff_small": lambda i: seg(i, S, doff=3),
        "tcp_doff_big": lambda i: seg(i, S, doff=15),
        "tcp_csum": lambda i: seg(i, S, good_csum=False),
        "syn_fin": lambda i: seg(i, S | F),
        "syn_rst": lambda i: seg(i, S | R),
        "xmas": lambda i: seg(i, F | P | U),
        "null_flags": lambda i: seg(i, 0),
        "opt_len0": lambda i: seg(i, S, opts=b"\x02\x00\x05\xb4"),
        "opt_overrun": lambda i: seg(i, S, opts=b"\x01\x01\x08\x0a"),
        "opt_len1": lambda i: seg(i, S, opts=b"\x03\x01\x01\x00"),
    }


def main():
    iface, dmac = sys.argv[1], sys.argv[2]
    conf.verb = 0
    eth = Ether(src=get_if_hwaddr(iface), dst=dmac, type=0x0800)
    table = builders(eth)
    print("ready " + " ".join(table), flush=True)
    for line in sys.stdin:
        name = line.strip()
        if not name:
            continue
        try:
            frames = [table[name](i) for i in range(COUNT)]
            sendp(frames, iface=iface, verbose=False)
            print("sent %d" % len(frames), flush=True)
        except Exception as e:  # Reported to the test, which decides.
            print("error %s: %s" % (type(e).__name__, e), flush=True)


if __name__ == "__main__":
    main()
