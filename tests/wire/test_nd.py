# SPDX-License-Identifier: BSD-3-Clause
"""Neighbor Discovery (RFC 4861) seen from the link, run over IPv6 only
(as v6_*)."""

import socket

from scapy.all import (Ether, ICMPv6ND_NA, ICMPv6ND_NS, ICMPv6NDOptSrcLLAddr,
                       IPv6, in6_getnsma, in6_getnsmac)

from steps import check, check_counter, observe, stats
from test_conform import _frames_from_server

OTHER_MAC = "02:00:c6:12:00:99"


def _adverts_from_server(p, secs):
    """The Neighbor Advertisements tcpterm sends within secs, as (Ether
    dst, IPv6 dst) each."""
    return [(e.dst, e[IPv6].dst) for e in _frames_from_server(
        p, secs, lambda e: ICMPv6ND_NA in e and
        e[ICMPv6ND_NA].tgt == p.t.server_ip)]


def _solicit(p, eth_dst, ip_dst):
    t = p.t
    return (Ether(src=t.peer_mac, dst=eth_dst) /
            IPv6(src=t.peer_ip, dst=ip_dst, hlim=255) /
            ICMPv6ND_NS(tgt=t.server_ip) /
            ICMPv6NDOptSrcLLAddr(lladdr=t.peer_mac))


def test_ns_other_station_unanswered(p):
    """A Neighbor Solicitation for tcpterm's address in a frame unicast
    to another station's MAC (seen by a port that takes every frame),
    to tcpterm's unicast address or to its solicited-node address, is
    not tcpterm's to answer or learn from: dropped as eth_not_us, as
    Linux drops a PACKET_OTHERHOST frame in ipv6_rcv() (and the ARP
    request of test_arp_other_station_unanswered). The same
    solicitations to tcpterm's MAC and to the solicited-node group are
    answered, one advertisement each."""
    t = p.t
    nsma = in6_getnsma(socket.inet_pton(socket.AF_INET6, t.server_ip))
    group = socket.inet_ntop(socket.AF_INET6, nsma)
    before = stats(p)
    for ip_dst in (t.server_ip, group):
        p._send_frame(_solicit(p, OTHER_MAC, ip_dst))
    got = _adverts_from_server(p, 1.0)
    observe(p, "solicitations unicast to another station drew %s" % got)
    check(got == [], "solicitations to another station's MAC drew %s"
          % got)
    check_counter(p, before, ["drop_eth_not_us"], at_least=2,
                  what="solicitations to another station")
    p._send_frame(_solicit(p, p.server_mac, t.server_ip))
    p._send_frame(_solicit(p, in6_getnsmac(nsma), group))
    got = _adverts_from_server(p, 1.0)
    check(len(got) == 2 and all(d == t.peer_mac for d, _ in got),
          "solicitations to tcpterm drew %s, want two advertisements "
          "to %s" % (got, t.peer_mac))
