# SPDX-License-Identifier: BSD-3-Clause
"""One VLAN per port: with ports[].vlan set, frames tagged with it are
answered with the tag (ARP reply, SYN-ACK), while untagged frames and
frames of another VLAN are dropped and counted (drop_vlan). Tagged frames
are made with scapy (vlan_frames.py): the test kernel may lack 802.1Q
interfaces."""

import json
import os

from harness import (DEFAULT_LIMITS, HERE, PYTHON, Tcpterm, base_config,
                     check, deltas, http_ok, log, wait_until)

HTTP = [{"port": 80, "app": "http", "close": "after-response",
         "response_body_bytes": 2}]
VID = 100


def vlan_config(vid):
    text = base_config(HTTP, limits=DEFAULT_LIMITS)
    return text.replace("/24\n", "/24\n    vlan: %d\n" % vid, 1)


def probe(t, vid):
    p = t.ns_run([PYTHON, os.path.join(HERE, "vlan_frames.py"), t.iface,
                  str(vid)], timeout=60)
    check(p.returncode == 0, "vlan_frames.py: %s %s"
          % (p.stdout[-500:], p.stderr[-1500:]))
    return json.loads(p.stdout.strip().splitlines()[-1])


def test_vlan_port():
    with Tcpterm(vlan_config(VID)) as t:
        before = t.stats()
        r = probe(t, VID)
        log("probes: %r" % r)
        check(r["arp"] == VID, "ARP reply tagged %r, want %d"
              % (r["arp"], VID))
        check(r["syn"] == VID and r["syn_flags"] == "SA",
              "SYN-ACK tagged %r (%r), want %d" % (r["syn"],
                                                   r["syn_flags"], VID))
        check(r["arp_other"] is None, "answered on VLAN %d" % (VID + 1))
        check(r["arp_untagged"] is None, "answered untagged")
        after = wait_until(
            lambda: (lambda s: s if s.get("drop_vlan", 0)
                     - before.get("drop_vlan", 0) >= 2 else None)(t.stats()),
            3, what="drop_vlan += 2")
        log("deltas %r" % deltas(before, after))


def test_untagged_port_drops_tagged():
    with Tcpterm(base_config(HTTP, limits=DEFAULT_LIMITS)) as t:
        http_ok(t)
        before = t.stats()
        r = probe(t, VID)
        check(r["arp"] is None and r["syn"] is None,
              "an untagged port answered VLAN %d: %r" % (VID, r))
        after = wait_until(
            lambda: (lambda s: s if s.get("drop_vlan", 0)
                     - before.get("drop_vlan", 0) >= 3 else None)(t.stats()),
            3, what="drop_vlan += 3")
        log("deltas %r" % deltas(before, after))
