# SPDX-License-Identifier: BSD-3-Clause
"""Hostile IPv6 frames, run with Debian's python3 (scapy) inside the
client namespace: hostile6_frames.py IFACE DST_MAC SRC6 DST6 DPORT.

Each kind is sent COUNT times; tcpterm must count it under its drop
reason and answer none. Prints the kinds sent, one per line.
"""

import struct
import sys

from scapy.all import (IPv6, IPv6ExtHdrDestOpt, IPv6ExtHdrFragment,
                       TCP, Ether, Raw, conf, get_if_hwaddr, sendp)

COUNT = 3


def frames(iface, dst_mac, src, dst, dport):
    eth = Ether(src=get_if_hwaddr(iface), dst=dst_mac)
    syn = TCP(sport=40000, dport=dport, flags="S", seq=1)
    whole = bytes(eth / IPv6(src=src, dst=dst) / syn)
    out = {}
    # The IPv6 header cut after 20 of its 40 bytes.
    out["ip6_short"] = whole[:14 + 20]
    # Payload length says 200 bytes; the frame has 20.
    hdr = bytearray(whole[:14 + 40 + 20])
    struct.pack_into("!H", hdr, 14 + 4, 200)
    out["ip6_paylen"] = bytes(hdr)
    # Nine Destination Options headers: one more than tcpterm follows.
    chain = IPv6(src=src, dst=dst)
    for _ in range(9):
        chain = chain / IPv6ExtHdrDestOpt()
    out["ip6_ext_chain"] = bytes(eth / chain / syn)
    # The first fragment of a SYN (M set): no reassembly.
    out["ip6_frag"] = bytes(eth / IPv6(src=src, dst=dst) /
                            IPv6ExtHdrFragment(m=1, id=7) / syn /
                            Raw(b"x" * 64))
    return out


def main():
    iface, dst_mac, src, dst, dport = sys.argv[1:6]
    conf.verb = 0
    sent = frames(iface, dst_mac, src, dst, int(dport))
    for kind, f in sent.items():
        sendp([Raw(load=f)] * COUNT, iface=iface, verbose=False)
        print(kind, flush=True)


if __name__ == "__main__":
    main()
