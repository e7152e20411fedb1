# SPDX-License-Identifier: BSD-3-Clause
"""Neighbor Discovery (RFC 4861) seen from the link, run over IPv6 only
(as v6_*)."""

import socket

from scapy.all import (Ether, ICMPv6ND_NA, ICMPv6ND_NS, ICMPv6NDOptDstLLAddr,
                       ICMPv6NDOptSrcLLAddr, IPv6, in6_getnsma, in6_getnsmac)

from steps import (check, check_counter, delta, observe, stats,
                   tcp_overrides)
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


def _server_adverts(p, secs):
    """tcpterm's advertisements of its address within secs: (Ether dst,
    IPv6 dst, S, O, target link-layer address) each."""
    t = p.t
    out = []
    for e in _frames_from_server(
            p, secs, lambda e: ICMPv6ND_NA in e and
            e[ICMPv6ND_NA].tgt == t.server_ip):
        lla = e[ICMPv6NDOptDstLLAddr].lladdr \
            if ICMPv6NDOptDstLLAddr in e else None
        out.append((e.dst, e[IPv6].dst, e[ICMPv6ND_NA].S,
                    e[ICMPv6ND_NA].O, lla))
    return out


def test_nd_defends_address(p):
    """Another station claiming tcpterm's address: an unsolicited
    advertisement of it with Override (which makes a neighbour holding
    tcpterm's MAC, the gateway's cache, take the claimant's, RFC 4861
    7.2.5), or a solicitation from it. Neither is answered nor learned
    from (nd_addr_conflict); as for ARP (test_arp_defends_address),
    tcpterm defends its address with one unsolicited advertisement to
    all-nodes, Override set and Solicited clear (RFC 4861 7.2.6), its
    MAC as target link-layer address, at most one per 10 s. Linux
    ignores the advertisement and answers the solicitation, to its own
    address at the claimant's MAC, as tcpterm did before."""
    t = p.t
    evil = "02:00:00:00:66:67"
    nsma = in6_getnsma(socket.inet_pton(socket.AF_INET6, t.server_ip))
    group = socket.inet_ntop(socket.AF_INET6, nsma)
    before = stats(p)
    p._send_frame(Ether(src=evil, dst="33:33:00:00:00:01") /
                  IPv6(src="fe80::6667", dst="ff02::1", hlim=255) /
                  ICMPv6ND_NA(tgt=t.server_ip, R=0, S=0, O=1) /
                  ICMPv6NDOptDstLLAddr(lladdr=evil))
    first = _server_adverts(p, 0.5)
    observe(p, "advertisement claiming our address drew %s" % first)
    want = ("33:33:00:00:00:01", "ff02::1", 0, 1, p.server_mac)
    check(first == [want], "an advertisement of %s from %s drew %s, want "
          "one defence %s" % (t.server_ip, evil, first, want))
    # Within the interval: a solicitation from our address.
    p._send_frame(Ether(src=evil, dst=in6_getnsmac(nsma)) /
                  IPv6(src=t.server_ip, dst=group, hlim=255) /
                  ICMPv6ND_NS(tgt=t.server_ip) /
                  ICMPv6NDOptSrcLLAddr(lladdr=evil))
    more = _server_adverts(p, 0.5)
    observe(p, "solicitation from our address drew %s" % more)
    check(more == [], "a solicitation from %s within the interval drew %s"
          % (t.server_ip, more))
    check_counter(p, before, ["nd_addr_conflict"], at_least=2,
                  what="ND claiming our address")
    d = delta(p, before, "nd_defends_tx")
    check(d is None or d == 1, "nd_defends_tx rose by %s, want 1" % d)


def test_ns_own_source_unanswered(p):
    """A solicitation from tcpterm's own address and MAC is a frame of
    its own come back, or one forged so: an answer would go to tcpterm's
    own address. Not answered (drop_ip6_bad_src, as TCP or echo from its
    own address)."""
    t = p.t
    nsma = in6_getnsma(socket.inet_pton(socket.AF_INET6, t.server_ip))
    before = stats(p)
    p._send_frame(Ether(src=p.server_mac, dst=in6_getnsmac(nsma)) /
                  IPv6(src=t.server_ip,
                       dst=socket.inet_ntop(socket.AF_INET6, nsma),
                       hlim=255) /
                  ICMPv6ND_NS(tgt=t.server_ip) /
                  ICMPv6NDOptSrcLLAddr(lladdr=p.server_mac))
    got = _server_adverts(p, 1.0)
    observe(p, "solicitation from our own address and MAC drew %s" % got)
    check(got == [], "a solicitation from %s at %s drew %s"
          % (t.server_ip, p.server_mac, got))
    check_counter(p, before, ["drop_ip6_bad_src"],
                  what="solicitation from our own address")


def test_dad_probe_defended(p):
    """RFC 4862 5.4.3, RFC 4861 7.2.4: a duplicate address detection
    probe for tcpterm's address (a solicitation from ::, to the
    solicited-node group, without a source link-layer option) is
    answered with one advertisement to all-nodes, Solicited clear and
    Override set, so that the prober finds the address taken; it is not
    an address conflict (its source is not tcpterm's address)."""
    t = p.t
    nsma = in6_getnsma(socket.inet_pton(socket.AF_INET6, t.server_ip))
    before = stats(p)
    p._send_frame(Ether(src=t.peer_mac, dst=in6_getnsmac(nsma)) /
                  IPv6(src="::", dst=socket.inet_ntop(socket.AF_INET6, nsma),
                       hlim=255) /
                  ICMPv6ND_NS(tgt=t.server_ip))
    got = _server_adverts(p, 1.0)
    observe(p, "DAD probe for our address drew %s" % got)
    want = ("33:33:00:00:00:01", "ff02::1", 0, 1, p.server_mac)
    check(got == [want], "a DAD probe for %s drew %s, want %s"
          % (t.server_ip, got, want))
    d = delta(p, before, "nd_addr_conflict")
    check(d is None or d == 0, "nd_addr_conflict rose by %s" % d)


# A tcpterm of its own: its defence is not held back by the limiter an
# earlier case set.
@tcp_overrides()
def test_ns_from_our_address_for_another(p):
    """A host configured with tcpterm's address resolves the gateway or
    a client: a solicitation from tcpterm's address, with its own MAC as
    source link-layer address, to the target's solicited-node group,
    which tcpterm sees as it takes all multicast. Its recipient takes
    that MAC for tcpterm's address (RFC 4861 7.2.3), so it claims the
    address as an ARP request from it for another target does (RFC 5227
    2.4, test_arp_defends_address): counted as nd_addr_conflict and
    defended with one unsolicited advertisement to all-nodes. Linux
    does not see it (not its solicited-node group)."""
    t = p.t
    evil = "02:00:00:00:66:68"
    nsma = in6_getnsma(socket.inet_pton(socket.AF_INET6, t.peer_ip))
    before = stats(p)
    p._send_frame(Ether(src=evil, dst=in6_getnsmac(nsma)) /
                  IPv6(src=t.server_ip,
                       dst=socket.inet_ntop(socket.AF_INET6, nsma),
                       hlim=255) /
                  ICMPv6ND_NS(tgt=t.peer_ip) /
                  ICMPv6NDOptSrcLLAddr(lladdr=evil))
    got = _server_adverts(p, 1.0)
    observe(p, "solicitation from our address for %s drew %s"
            % (t.peer_ip, got))
    want = ("33:33:00:00:00:01", "ff02::1", 0, 1, p.server_mac)
    check(got == [want], "a solicitation from %s at %s for %s drew %s, "
          "want one defence %s" % (t.server_ip, evil, t.peer_ip, got, want))
    check_counter(p, before, ["nd_addr_conflict"],
                  what="solicitation from our address for another")
