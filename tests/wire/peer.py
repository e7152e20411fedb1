# SPDX-License-Identifier: BSD-3-Clause
"""A scripted remote TCP on raw Ethernet.

The peer owns an address and a MAC that no kernel interface has: it sends
hand-made Ethernet/IPv4/TCP (or IPv6/TCP, when the target's server_ip
is an IPv6 address) frames through an AF_PACKET socket on the
kernel side of a link (a tap or a veth end) and reads the replies from the
same socket. The kernel of that side drops the replies (they are not for
its MAC or address), so it never answers our crafted connections with
RSTs of its own. The peer answers ARP requests (IPv6: Neighbor
Solicitations) for its address itself.

    p = Peer(target)               # target: see Target below
    c = p.conn(dport=80)           # a fresh source port
    syn_ack = c.connect()          # SYN, SYN-ACK, ACK
    c.send("PA", data=b"...")      # seq/ack default to the tracked values
    seg = c.expect(flags="A", ack=c.rcv_nxt)
    c.expect_silence(0.3)
"""

import ctypes
import os
import random
import select
import socket
import struct
import time

from scapy.all import (ARP, IP, TCP, Ether, ICMPv6ND_NA, ICMPv6ND_NS,
                       ICMPv6NDOptDstLLAddr, ICMPv6NDOptSrcLLAddr, IPv6,
                       Raw, in6_getnsma, in6_getnsmac, inet_pton)

ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4
SO_RCVBUFFORCE = 33
SO_TIMESTAMPNS = 35  # also the SCM_TIMESTAMPNS control message type
CLONE_NEWNET = 0x40000000

FLAG_BITS = {"F": 0x01, "S": 0x02, "R": 0x04, "P": 0x08, "A": 0x10,
             "U": 0x20, "E": 0x40, "C": 0x80}


class WireFailure(AssertionError):
    """A segment was not what the RFC prescribes (or was missing)."""


def flag_bits(flags):
    if isinstance(flags, int):
        return flags
    v = 0
    for ch in flags:
        v |= FLAG_BITS[ch]
    return v


def flag_str(bits):
    return "".join(ch for ch in "SRFPAUEC" if bits & FLAG_BITS[ch]) or "."


def seq_add(a, b):
    return (a + b) & 0xffffffff


def seq_lt(a, b):
    return ((a - b) & 0xffffffff) >= 0x80000000


class Seg:
    """A received TCP segment, decoded."""

    def __init__(self, t, ip, tcp, payload):
        self.t = t
        self.src, self.dst = ip.src, ip.dst
        # IPv4: the DF bit and the IP ID; None over IPv6.
        v4 = ip.version == 4
        self.ip_df = bool(int(ip.flags) & 2) if v4 else None
        self.ip_id = ip.id if v4 else None
        self.sport, self.dport = tcp.sport, tcp.dport
        self.seq, self.ack = tcp.seq, tcp.ack
        self.bits = int(tcp.flags)
        self.flags = flag_str(self.bits)
        self.win = tcp.window
        self.data = payload
        self.opts = dict((o[0], o[1]) for o in tcp.options
                         if isinstance(o, tuple))

    def has(self, flags):
        b = flag_bits(flags)
        return self.bits & b == b

    def seg_len(self):
        """Sequence space the segment takes (data + SYN + FIN)."""
        return len(self.data) + (1 if self.bits & 0x02 else 0) + \
            (1 if self.bits & 0x01 else 0)

    def __repr__(self):
        s = "<%s seq=%d ack=%d win=%d len=%d" % (
            self.flags, self.seq, self.ack, self.win, len(self.data))
        if "Timestamp" in self.opts:
            s += " ts=%d,%d" % self.opts["Timestamp"]
        return s + ">"


def _libc():
    return ctypes.CDLL("libc.so.6", use_errno=True)


def socket_in_netns(ns):
    """An AF_PACKET socket created inside the network namespace whose
    file is ns (e.g. /proc/PID/ns/net), or in the current one when ns is
    None."""
    if ns is None:
        return socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                             socket.htons(ETH_P_ALL))
    libc = _libc()
    home = os.open("/proc/self/ns/net", os.O_RDONLY)
    there = os.open(ns, os.O_RDONLY)
    try:
        if libc.setns(there, CLONE_NEWNET) != 0:
            raise OSError(ctypes.get_errno(), "setns " + ns)
        try:
            return socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                                 socket.htons(ETH_P_ALL))
        finally:
            if libc.setns(home, CLONE_NEWNET) != 0:
                raise OSError(ctypes.get_errno(), "setns back")
    finally:
        os.close(home)
        os.close(there)


class Target:
    """What a case talks to: where the link is and what the server has.

    name: "tcpterm" or "linux"; ns/iface: the namespace (file path) and
    interface the peer's raw socket lives on; server_ip: the TCP
    server's address; peer_ip/peer_mac: the peer's own (unconfigured)
    address and MAC; ports: role -> TCP port (see targets.PORTS); params:
    timers, as configured (ms); stats(): counters or None when the target
    has none.
    """

    def __init__(self, name, ns, iface, server_ip, peer_ip, peer_mac,
                 ports, params, stats=None, states=None):
        self.name = name
        self.ns = ns
        self.iface = iface
        self.server_ip = server_ip
        self.peer_ip = peer_ip
        self.peer_mac = peer_mac
        self.ports = ports
        self.params = params
        self._stats = stats
        self._states = states

    def stats(self):
        return self._stats() if self._stats else None

    def states(self):
        return self._states() if self._states else None


class Peer:
    """The raw link end plus the ARP duties of the fake address."""

    def __init__(self, target):
        self.t = target
        self.sock = socket_in_netns(target.ns)
        # Our own frames come back as PACKET_OUTGOING copies: room for a
        # window's worth of them plus the replies.
        try:
            self.sock.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, 8 << 20)
        except OSError:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF,
                                 8 << 20)
        # Each frame carries the time the kernel received it, so that a
        # segment read late (the peer busy or descheduled) keeps its time.
        self.sock.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
        self.sock.bind((target.iface, 0))
        self.sock.setblocking(False)
        self.server_mac = None
        self.obs = []     # symbolic replies, for the Linux comparison
        self.notes = []   # measurements worth printing
        self.kernel_tcp = []  # TCP frames the local kernel sent
        self._mac_bytes = bytes.fromhex(target.peer_mac.replace(":", ""))
        self._next_port = random.randint(20000, 40000)
        self.v6 = ":" in target.server_ip
        self.IP = IPv6 if self.v6 else IP
        self.resolve()

    def close(self):
        self.sock.close()

    def note(self, text):
        self.notes.append(text)

    # ---- link ----

    def _send_frame(self, frame):
        """Send frame; returns time.monotonic() from just before it went,
        so that the server's reaction always comes after it."""
        raw = bytes(frame)
        t = time.monotonic()
        self.sock.send(raw)
        return t

    @staticmethod
    def _rx_time(anc):
        """The kernel's receive time of a frame as time.monotonic() would
        have read it, or now when the kernel gave none."""
        now = time.monotonic()
        for level, kind, data in anc:
            if level == socket.SOL_SOCKET and kind == SO_TIMESTAMPNS and \
                    len(data) >= 16:
                sec, nsec = struct.unpack("qq", data[:16])
                if sec:
                    return min(now - (time.time() - sec - nsec * 1e-9), now)
        return now

    def _recv_frame(self, timeout):
        """One incoming frame (bytes) or None after timeout seconds."""
        got = self._recv_timed(timeout)
        return got and got[0]

    def _recv_timed(self, timeout):
        """One incoming frame as (bytes, time.monotonic() of its arrival
        in the kernel), or None after timeout seconds."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            r, _, _ = select.select([self.sock], [], [], left)
            if not r:
                return None
            try:
                data, anc, _, addr = self.sock.recvmsg(
                    65535, socket.CMSG_SPACE(16))
            except BlockingIOError:
                continue
            if addr[2] == PACKET_OUTGOING:
                self._check_kernel(data)
                continue
            return data, self._rx_time(anc)

    def _check_kernel(self, data):
        """Frames leaving this end that the peer did not send: TCP from
        the local kernel (it must ignore our crafted connections)."""
        if data[6:12] == self._mac_bytes or len(data) < 34:
            return
        if data[12:14] == b"\x08\x00" and data[23] == 6:
            self.kernel_tcp.append(data)
        if data[12:14] == b"\x86\xdd" and len(data) >= 54 and \
                data[20] == 6:
            self.kernel_tcp.append(data)

    def _arp_duty(self, eth):
        """Answer ARP requests for our address; learn the server's MAC."""
        a = eth[ARP]
        if a.op == 1 and a.pdst == self.t.peer_ip:
            self._send_frame(Ether(src=self.t.peer_mac, dst=a.hwsrc) /
                             ARP(op=2, hwsrc=self.t.peer_mac,
                                 psrc=self.t.peer_ip, hwdst=a.hwsrc,
                                 pdst=a.psrc))
        if a.psrc == self.t.server_ip:
            self.server_mac = a.hwsrc

    def _nd_duty(self, eth):
        """IPv6: answer Neighbor Solicitations for our address (RFC 4861
        7.2.4); learn the server's MAC from its advertisement."""
        if ICMPv6ND_NS in eth and eth[ICMPv6ND_NS].tgt == self.t.peer_ip:
            src = eth[IPv6].src
            self._send_frame(
                Ether(src=self.t.peer_mac, dst=eth.src) /
                IPv6(src=self.t.peer_ip, dst=src, hlim=255) /
                ICMPv6ND_NA(tgt=self.t.peer_ip, R=0, S=1, O=1) /
                ICMPv6NDOptDstLLAddr(lladdr=self.t.peer_mac))
        if ICMPv6ND_NA in eth and eth[ICMPv6ND_NA].tgt == self.t.server_ip:
            self.server_mac = eth.src

    def poll(self, timeout):
        """Next TCP segment for our address (as Seg), or None. ARP is
        handled on the way; anything else is ignored."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            got = self._recv_timed(max(left, 0))
            if got is None:
                return None
            raw, t = got
            eth = Ether(raw)
            if ARP in eth:
                self._arp_duty(eth)
                continue
            if self.v6 and (ICMPv6ND_NS in eth or ICMPv6ND_NA in eth):
                self._nd_duty(eth)
                continue
            if self.IP not in eth or TCP not in eth:
                continue
            ip = eth[self.IP]
            if ip.dst != self.t.peer_ip or ip.src != self.t.server_ip:
                continue
            tcp = ip[TCP]
            payload = bytes(tcp.payload)
            # Ethernet padding of short frames is not TCP payload.
            if self.v6:
                tcp_len = ip.plen - tcp.dataofs * 4
            else:
                tcp_len = ip.len - ip.ihl * 4 - tcp.dataofs * 4
            return Seg(t, ip, tcp, payload[:max(tcp_len, 0)])

    def _solicit(self):
        """A Neighbor Solicitation for the server, from our address with
        our MAC, to its solicited-node address."""
        nsma = in6_getnsma(inet_pton(socket.AF_INET6, self.t.server_ip))
        dst = socket.inet_ntop(socket.AF_INET6, nsma)
        return (Ether(src=self.t.peer_mac, dst=in6_getnsmac(nsma)) /
                IPv6(src=self.t.peer_ip, dst=dst, hlim=255) /
                ICMPv6ND_NS(tgt=self.t.server_ip) /
                ICMPv6NDOptSrcLLAddr(lladdr=self.t.peer_mac))

    def resolve(self, timeout=3.0):
        """ARP-request (IPv6: solicit) the server from our address: the
        server learns our MAC from it, and its reply gives us its MAC."""
        if self.v6:
            req = self._solicit()
        else:
            req = (Ether(src=self.t.peer_mac, dst="ff:ff:ff:ff:ff:ff") /
                   ARP(op=1, hwsrc=self.t.peer_mac, psrc=self.t.peer_ip,
                       pdst=self.t.server_ip))
        deadline = time.monotonic() + timeout
        while self.server_mac is None:
            if time.monotonic() > deadline:
                raise WireFailure("no %s reply from %s" % (
                    "ND" if self.v6 else "ARP", self.t.server_ip))
            self._send_frame(req)
            end = time.monotonic() + 0.3
            while self.server_mac is None and time.monotonic() < end:
                self.poll(0.05)
        return self.server_mac

    def send_tcp(self, sport, dport, flags, seq, ack, data=b"", win=65535,
                 opts=None):
        tcp = TCP(sport=sport, dport=dport, flags=flag_bits(flags), seq=seq,
                  ack=ack, window=win, options=opts or [])
        if self.v6:
            ip = IPv6(src=self.t.peer_ip, dst=self.t.server_ip, hlim=64)
        else:
            ip = IP(src=self.t.peer_ip, dst=self.t.server_ip, ttl=64)
        frame = Ether(src=self.t.peer_mac, dst=self.server_mac) / ip / tcp
        if data:
            frame = frame / Raw(data)
        return self._send_frame(frame)

    def fresh_port(self):
        self._next_port += 1
        if self._next_port > 60000:
            self._next_port = 20000
        return self._next_port

    def conn(self, dport, sport=None, ts=False, isn=None):
        return Conn(self, dport, sport or self.fresh_port(), ts, isn)


class Conn:
    """One scripted connection (a 4-tuple) and its sequence state.

    snd_nxt: our next sequence number; rcv_nxt: the next sequence number
    we expect from the server (what we acknowledge); both are updated by
    send() and by note() (or expect(..., consume=True)).
    """

    def __init__(self, peer, dport, sport, ts, isn):
        self.p = peer
        self.dport = dport
        self.sport = sport
        self.ts = ts
        self.sack = False    # send SACK-permitted in the SYN (RFC 2018)
        self.iss = isn if isn is not None else random.randint(1, 2**31)
        self.snd_nxt = self.iss
        self.rcv_nxt = None
        self.irs = None
        self.ts_val = random.randint(1000, 2**30)
        self.ts_recent = 0
        self.received = []   # every segment of this 4-tuple, in order
        self._pending = []
        # Retransmissions of the server's FIN at this sequence number are
        # set aside (in fin_retx) instead of being returned.
        self.skip_fin = None
        self.fin_retx = []
        self.srv_nxt = None  # the server's SND.NXT, when a step knows it

    def __repr__(self):
        return "conn %d->%d" % (self.sport, self.dport)

    # ---- sending ----

    def opts(self, syn=False, ts_val=None):
        o = []
        if syn:
            o.append(("MSS", 1460))
            if self.sack:
                o.append(("SAckOK", b""))
        if self.ts:
            o.append(("NOP", None))
            o.append(("NOP", None))
            o.append(("Timestamp", (self.ts_val if ts_val is None
                                    else ts_val, self.ts_recent)))
        return o

    def send(self, flags, seq=None, ack=None, data=b"", win=65535,
             opts=None, advance=True, ts_val=None):
        """Send one segment. seq/ack default to snd_nxt/rcv_nxt; with
        advance, snd_nxt moves past the data, SYN and FIN sent at
        snd_nxt."""
        bits = flag_bits(flags)
        if isinstance(data, str):
            data = data.encode()
        at_nxt = seq is None or seq == self.snd_nxt
        seq = self.snd_nxt if seq is None else seq
        if ack is None:
            ack = self.rcv_nxt if self.rcv_nxt is not None else 0
        if opts is None:
            opts = self.opts(syn=bool(bits & 0x02), ts_val=ts_val)
        if self.ts:
            self.ts_val += 1
        t = self.p.send_tcp(self.sport, self.dport, bits, seq, ack, data,
                            win, opts)
        if advance and at_nxt:
            self.snd_nxt = seq_add(seq, len(data) + (1 if bits & 0x02 else 0)
                                   + (1 if bits & 0x01 else 0))
        return t

    # ---- receiving ----

    def _next(self, timeout):
        """Next segment of this 4-tuple within timeout, or None."""
        if self._pending:
            return self._pending.pop(0)
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            s = self.p.poll(left)
            if s is None:
                return None
            if s.sport != self.dport or s.dport != self.sport:
                continue
            self.received.append(s)
            if "Timestamp" in s.opts:
                self.ts_recent = s.opts["Timestamp"][0]
            if (self.skip_fin is not None and s.bits & FLAG_BITS["F"] and
                    not s.bits & FLAG_BITS["R"] and s.seq == self.skip_fin):
                self.fin_retx.append(s)
                continue
            return s

    def note(self, s):
        """Advance rcv_nxt past s when s is in order."""
        if self.rcv_nxt is None or s.seq == self.rcv_nxt:
            self.rcv_nxt = seq_add(s.seq, s.seg_len())

    def recv(self, timeout=1.0):
        """Next segment (or None), without checks."""
        return self._next(timeout)

    def expect(self, flags=None, seq=None, ack=None, timeout=1.0,
               no_flags=None, data=None, consume=True, what=""):
        """The next segment must come within timeout and have exactly
        flags (a string like "A", "FA", "RA"; "P" is ignored unless named),
        and seq/ack when given. With consume, rcv_nxt advances past it."""
        s = self._next(timeout)
        label = (" (%s)" % what) if what else ""
        want = "flags=%s seq=%s ack=%s" % (flags, seq, ack)
        if s is None:
            raise WireFailure("%s: expected %s within %.2fs%s, got silence"
                              % (self, want, timeout, label))
        problems = []
        if flags is not None:
            got = s.bits & ~FLAG_BITS["P"] if "P" not in flags else s.bits
            if got != flag_bits(flags):
                problems.append("flags %s != %s" % (s.flags, flags))
        if seq is not None and s.seq != seq:
            problems.append("seq %d != %d" % (s.seq, seq))
        if ack is not None and s.ack != ack:
            problems.append("ack %d != %d" % (s.ack, ack))
        if data is not None and s.data != data:
            problems.append("data %r != %r" % (s.data[:40], data[:40]))
        if problems:
            raise WireFailure("%s: expected %s%s, got %r: %s"
                              % (self, want, label, s, "; ".join(problems)))
        if consume:
            self.note(s)
        return s

    def expect_silence(self, duration, what=""):
        """Nothing of this 4-tuple may arrive for duration seconds."""
        s = self._next(duration)
        if s is not None:
            raise WireFailure("%s: expected silence for %.2fs%s, got %r"
                              % (self, duration,
                                 (" (%s)" % what) if what else "", s))

    def drain(self, duration):
        """Every segment arriving within duration seconds."""
        out = []
        end = time.monotonic() + duration
        while True:
            s = self._next(max(end - time.monotonic(), 0))
            if s is None:
                return out
            out.append(s)

    def unread(self, s):
        self._pending.insert(0, s)

    # ---- composite steps ----

    def connect(self, timeout=1.0):
        """Three-way handshake; returns the SYN-ACK."""
        self.send("S", ack=0)
        sa = self.expect(flags="SA", ack=self.snd_nxt, timeout=timeout,
                         what="SYN-ACK")
        self.irs = sa.seq
        if self.ts and "Timestamp" not in sa.opts:
            raise WireFailure("%s: SYN-ACK without timestamps: %r"
                              % (self, sa))
        self.send("A")
        return sa

    def collect_until_fin(self, timeout=2.0):
        """Read in-order data until the server's FIN; returns
        (data bytes, fin segment). Does not acknowledge anything."""
        data = b""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            s = self._next(max(left, 0))
            if s is None:
                raise WireFailure("%s: no FIN within %.1fs (data %r)"
                                  % (self, timeout, data[:60]))
            if s.bits & FLAG_BITS["R"]:
                raise WireFailure("%s: RST while waiting for FIN: %r"
                                  % (self, s))
            # A segment that starts before rcv_nxt but reaches past it
            # (a retransmission covering a zero-window probe byte already
            # taken) carries new bytes too: take only those, as TCP does.
            skip = (self.rcv_nxt - s.seq) & 0xffffffff
            if skip != 0 and skip < s.seg_len():
                data += s.data[skip:]
                self.rcv_nxt = seq_add(s.seq, s.seg_len())
                if s.bits & FLAG_BITS["F"]:
                    return data, s
            elif s.seq == self.rcv_nxt:
                data += s.data
                self.note(s)
                if s.bits & FLAG_BITS["F"]:
                    return data, s
