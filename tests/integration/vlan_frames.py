# SPDX-License-Identifier: BSD-3-Clause
"""802.1Q probes, run with Debian's python3 (scapy) inside the test
namespace (the test kernel may lack VLAN interfaces):

    vlan_frames.py IFACE VID

Sends, on IFACE, an ARP request and a TCP SYN to port 80 tagged with VID,
then the same ARP request tagged with VID + 1 and untagged, and prints
one JSON object: for each probe, the VLAN ID of the reply (0 untagged)
or null when nothing answered.
"""

import json
import random
import sys

from scapy.all import ARP, IP, TCP, Dot1Q, Ether, conf, get_if_hwaddr, srp1

SRC, DST = "198.18.0.2", "198.18.0.1"


def vid_of(r):
    if r is None:
        return None
    return r[Dot1Q].vlan if Dot1Q in r else 0


def tagged(vid, payload, mac, dst="ff:ff:ff:ff:ff:ff"):
    eth = Ether(src=mac, dst=dst)
    return eth / Dot1Q(vlan=vid) / payload if vid else eth / payload


def main():
    iface, vid = sys.argv[1], int(sys.argv[2])
    conf.verb = 0
    mac = get_if_hwaddr(iface)
    arp = ARP(op=1, hwsrc=mac, psrc=SRC, pdst=DST)
    out = {}
    r = srp1(tagged(vid, arp, mac), iface=iface, timeout=2)
    out["arp"] = vid_of(r)
    server = r[Ether].src if r is not None else "ff:ff:ff:ff:ff:ff"
    syn = IP(src=SRC, dst=DST) / TCP(sport=random.randint(20000, 60000),
                                     dport=80, flags="S", seq=1000)
    r = srp1(tagged(vid, syn, mac, server), iface=iface, timeout=2)
    out["syn"] = vid_of(r)
    out["syn_flags"] = str(r[TCP].flags) if r is not None else None
    r = srp1(tagged(vid + 1, arp, mac), iface=iface, timeout=1)
    out["arp_other"] = vid_of(r)
    r = srp1(tagged(0, arp, mac), iface=iface, timeout=1)
    out["arp_untagged"] = vid_of(r)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
