# SPDX-License-Identifier: BSD-3-Clause
"""IPv6 end to end: tcpterm on a net_tap port with an IPv4 and an IPv6
address, real Linux clients over IPv6 from the namespace on the tap's
kernel side.

- ping -6 is answered: the kernel resolves tcpterm's MAC with Neighbor
  Discovery (tcpterm answers the solicitation, counts it) and gets its
  echo replies.
- curl -6, several HTTP Connection: close requests: every response is
  right, tcpterm closes first, so its TIME_WAIT gauge rises by the
  requests, tcpterm-ctl ss lists them as [2001:db8:...]:80, and the
  records drain to 0 after 2 x MSL (msl_ms is short here).
- Echo of 1 MiB over AF_INET6 with a sha256 check.
- A port without listener: RST, the client sees ECONNREFUSED.
- Dual stack: the same listener answers IPv4 and IPv6 clients at once,
  and ss lists every connection of each family in TIME_WAIT.
- The start-up hint ("try: curl ...") names the addresses that reach the
  http listeners (IPv6 in brackets), never the IPv4 address of an
  IPv6-only listener or port; and each URL it names answers.
- Hostile IPv6 frames from scapy (a cut header, a payload length past
  the frame, nine extension headers, a fragment): each is counted under
  its drop reason in /tcpterm/stats, and none is answered.
"""

import itertools
import os
import subprocess
import time

from harness import (HERE, PYTHON, ROOT, Tcpterm, check,
                     deltas, log, wait_until)

CTL = os.path.join(ROOT, "app", "tcpterm-ctl", "tcpterm-ctl")
SERVER4 = "198.18.0.1"
CLIENT4 = "198.18.0.2"
SERVER6 = "2001:db8:6::1"
CLIENT6 = "2001:db8:6::2"
MSL_MS = 500
_seq = itertools.count()


LISTENERS = ["  - {port: 80, app: http, close: after-response}",
             "  - {port: 7, app: echo, close: on-peer-fin}"]


def config(workers=1, msl_ms=MSL_MS, listeners=LISTENERS):
    return "\n".join([
        "ports:",
        "  - device: net_tap0",
        "    ipv4: %s/24" % SERVER4,
        "    ipv6: %s/64" % SERVER6,
        "workers: %d" % workers,
        "listeners:",
    ] + listeners + [
        "tcp:",
        "  msl_ms: %d" % msl_ms,
        "limits:",
        "  max_connections: 4096",
        "  max_time_wait: 4096",
        "  max_time_wait6: 4096",
        "stats:",
        "  interval_ms: 0",
    ]) + "\n"


class Tcpterm6(Tcpterm):
    """Tcpterm whose namespace speaks IPv6 too, on tt-g6-* names."""

    def __init__(self, workers=1, text=None, client6=None):
        self.client6 = client6 or CLIENT6
        super().__init__(text or config(workers),
                         lcores="0" if workers == 1 else "0-%d"
                         % (workers - 1))
        n = "%d%d" % (os.getpid() % 10000, next(_seq))
        self.iface = "tt-g6-t" + n
        self.prefix = "tt-g6-p" + n

    def _setup_ns(self):
        super()._setup_ns()
        dev = "net.ipv6.conf.%s." % self.iface
        for k in ("net.ipv6.conf.all.disable_ipv6=0",
                  dev + "disable_ipv6=0", dev + "accept_ra=0",
                  dev + "dad_transmits=0"):
            self.ns_sh(["sysctl", "-q", "-w", k])
        self.ns_sh(["ip", "-6", "addr", "add", self.client6 + "/64", "dev",
                    self.iface, "nodad"])

    def ctl(self, *args):
        p = subprocess.run([PYTHON, CTL, "-f", self.prefix] + list(args),
                           capture_output=True, text=True, timeout=30)
        check(p.returncode == 0, "tcpterm-ctl %s: %d %s%s"
              % (" ".join(args), p.returncode, p.stdout, p.stderr))
        return p.stdout

    def mac6(self):
        """tcpterm's MAC as the namespace learned it over ND."""
        self.ns_run(["ping", "-6", "-c", "1", "-W", "2", SERVER6])
        out = self.ns_run(["ip", "-6", "neigh", "show", SERVER6, "dev",
                           self.iface]).stdout.split()
        check("lladdr" in out, "no neighbour entry for %s: %r"
              % (SERVER6, out))
        return out[out.index("lladdr") + 1]


def curl(t, addr, n, flag="-6"):
    """n curl requests, Connection: close; returns the bodies seen."""
    url = "http://[%s]/" % addr if ":" in addr else "http://%s/" % addr
    bodies = []
    for _ in range(n):
        p = t.ns_run(["curl", flag, "-s", "-m", "5", "-H",
                      "Connection: close", url], timeout=15)
        check(p.returncode == 0, "curl %s %s: exit %d %s"
              % (flag, url, p.returncode, p.stderr))
        bodies.append(p.stdout)
    return bodies


def test_ipv6_ping():
    with Tcpterm6() as t:
        before = t.stats()
        p = t.ns_run(["ping", "-6", "-c", "3", "-i", "0.2", "-W", "2",
                      SERVER6], timeout=20)
        check(p.returncode == 0, "ping -6: %s%s" % (p.stdout, p.stderr))
        d = deltas(before, t.stats())
        log("ping -6: %s" % {k: d.get(k, 0) for k in (
            "nd_solicits_rx", "nd_adverts_tx", "icmp6_echo_replies",
            "nd_learned")})
        check(d.get("icmp6_echo_replies", 0) >= 3, "echo replies: %r" % d)
        check(d.get("nd_solicits_rx", 0) >= 1 and
              d.get("nd_adverts_tx", 0) >= 1, "ND not answered: %r" % d)
        ports = t.telemetry("/tcpterm/ports")["/tcpterm/ports"]
        check(ports["0"]["ipv6"] == SERVER6, "ports: %r" % ports["0"])
        # IPv4 still answers beside it.
        p = t.ns_run(["ping", "-c", "1", "-W", "2", SERVER4], timeout=10)
        check(p.returncode == 0, "ping: %s" % p.stdout)


def test_ipv6_http_time_wait():
    n = 12
    # TIME_WAIT of 4 s: the listings below must still see the records
    # when process start-up on a loaded machine takes seconds.
    msl_ms = 2000
    with Tcpterm6(text=config(msl_ms=msl_ms)) as t:
        bodies = curl(t, SERVER6, n)
        check(all(b == "OK" for b in bodies), "bodies: %r" % bodies[:3])
        tw = t.states()["TIME_WAIT"]
        log("after %d curl -6: TIME_WAIT %d" % (n, tw))
        check(tw >= 1, "no TIME_WAIT after %d requests" % n)
        out = t.ctl("ss", "--state", "time-wait")
        check("[%s]:80" % SERVER6 in out and "[%s]:" % CLIENT6 in out,
              "ss does not list IPv6 TIME_WAIT:\n%s" % out)
        mine = t.ctl("ss", "--remote", "2001:db8:6::/64")
        other = t.ctl("ss", "--remote", "2001:db8:7::/64")
        check(mine.count("[%s]:" % CLIENT6) >= 1 and CLIENT6 not in other,
              "ss --remote over IPv6:\n%s\n%s" % (mine, other))
        wait_until(lambda: t.states()["TIME_WAIT"] == 0,
                   10 * 2 * msl_ms / 1000.0 + 5,
                   what="TIME_WAIT to drain")
        s = t.stats()
        check(s["conn_opened"] >= n, "opened %d" % s["conn_opened"])
        log("drained; conn_opened %d" % s["conn_opened"])


def test_ipv6_echo_sha256():
    with Tcpterm6() as t:
        r = t.client("echo", server=SERVER6, port=7, size=1 << 20,
                     timeout=120)
        log("echo 1 MiB over IPv6 in %.2f s" % r["elapsed"])
        check(r["sha_sent"] == r["sha_received"], "sha256 differs: %r" % r)
        check(r["received"] == 1 << 20 and r["end"] == "eof",
              "echo: %r" % r)


def test_ipv6_refused():
    with Tcpterm6() as t:
        before = t.stats()
        r = t.client("connect", server=SERVER6, port=8)
        check(r["name"] == "ECONNREFUSED", "connect to :8: %r" % r)
        d = deltas(before, t.stats())
        check(d.get("rst_sent", 0) >= 1, "no RST counted: %r" % d)


def test_ipv6_dual_stack():
    """Both families on one listener at once, each connection closed by
    tcpterm first: ss lists every one in TIME_WAIT, of either family. The
    MSL is long here (TIME_WAIT 2 x 30 s) so that, on a loaded machine,
    the records of a family whose clients finished first have not expired
    before ss reads them."""
    with Tcpterm6(text=config(msl_ms=30000)) as t:
        procs = [t.client_start("http", server=s, port=80, count=20,
                                body_bytes=2)
                 for s in (SERVER4, SERVER6, SERVER4, SERVER6)]
        res = [t.client_finish(p) for p in procs]
        for s, r in zip((SERVER4, SERVER6) * 2, res):
            check(r["ok"] == 20, "%s: %r" % (s, r))
        out = t.ctl("ss").splitlines()
        n4 = sum(("%s:80" % SERVER4) in ln for ln in out)
        n6 = sum(("[%s]:80" % SERVER6) in ln for ln in out)
        check(n4 == 40 and n6 == 40, "ss lists %d IPv4 and %d IPv6 "
              "connections, want 40 of each:\n%s"
              % (n4, n6, "\n".join(out)))
        log("80 requests, IPv4 and IPv6 at once: all answered, all in ss")


def tries(t):
    """The start-up hint's lines, after "tcpterm: ready"."""
    wait_until(lambda: "  telemetry:" in t.output(), 5,
               what="the start-up hint")
    out = t.output()
    out = out[out.index("tcpterm: ready"):out.index("  telemetry:")]
    return [ln.strip()[len("try: "):] for ln in out.splitlines()
            if ln.strip().startswith("try: ")]


def check_tries(t, want):
    """The hint is exactly want, and every curl in it answers."""
    got = tries(t)
    log("start-up hint: %r" % got)
    check(got == want, "hint %r, want %r" % (got, want))
    for cmd in got:
        if cmd.startswith("curl "):
            url = cmd.split()[1]
            p = t.ns_run(["curl", "-s", "-m", "5", url], timeout=15)
            check(p.returncode == 0 and p.stdout == "OK",
                  "%s: exit %d %r" % (cmd, p.returncode, p.stdout))


def test_ipv6_try_hint():
    """An IPv4 echo and an IPv6 http listener share port 8080: the hint
    is the IPv6 URL alone. Both families on port 80: both URLs. No http
    listener, an IPv6-only echo: nc to the IPv6 address."""
    shared = ["  - {port: 8080, app: echo, family: ipv4}",
              "  - {port: 8080, app: http, family: ipv6}"]
    with Tcpterm6(text=config(listeners=shared)) as t:
        check_tries(t, ["curl http://[%s]:8080/" % SERVER6])
    with Tcpterm6() as t:
        check_tries(t, ["curl http://%s/" % SERVER4,
                        "curl http://[%s]/" % SERVER6])
    echo6 = ["  - {port: 7, app: echo, family: ipv6}"]
    with Tcpterm6(text=config(listeners=echo6)) as t:
        check_tries(t, ["nc %s 7" % SERVER6])


HOSTILE = ("ip6_short", "ip6_paylen", "ip6_ext_chain", "ip6_frag")


def test_ipv6_hostile():
    with Tcpterm6() as t:
        mac = t.mac6()
        time.sleep(0.3)
        before = t.stats()
        p = t.ns_run([PYTHON, os.path.join(HERE, "hostile6_frames.py"),
                      t.iface, mac, CLIENT6, SERVER6, "80"], timeout=60)
        check(p.returncode == 0, "scapy: %s" % p.stderr[-2000:])
        time.sleep(0.5)
        after = t.stats()
        d = deltas(before, after)
        log("hostile IPv6: %s" % {k: d.get("drop_" + k, 0)
                                  for k in HOSTILE})
        for k in HOSTILE:
            check(d.get("drop_" + k, 0) == 3, "drop_%s: %d, want 3 (%r)"
                  % (k, d.get("drop_" + k, 0), d))
        # Nothing answered: no segment, no RST, no connection; what
        # left was Neighbor Discovery at most.
        for k in ("seg_out", "rst_sent", "conn_opened"):
            check(d.get(k, 0) == 0, "%s moved: %r" % (k, d))
        nd = d.get("nd_adverts_tx", 0) + d.get("nd_solicits_tx", 0)
        check(d.get("tx_packets", 0) <= nd, "frames sent: %r" % d)
        # Still serving.
        check(curl(t, SERVER6, 1) == ["OK"], "not serving after")


def test_ipv6_two_workers():
    """Two workers: IPv6 flows steered in software to their owner (the
    tap's kernel hash is not ours), ND learned by both workers."""
    with Tcpterm6(workers=2) as t:
        procs = [t.client_start("http", server=SERVER6, port=80, count=15,
                                body_bytes=2) for _ in range(2)]
        res = [t.client_finish(p) for p in procs]
        check(all(r["ok"] == 15 for r in res), "http: %r" % res)
        r = t.client("echo", server=SERVER6, port=7, size=256 << 10)
        check(r["sha_sent"] == r["sha_received"], "echo: %r" % r)
        s = t.stats()
        log("2 workers over IPv6: steered_out %d, ownership_violations %d"
            % (s["steered_out"], s["ownership_violations"]))
        check(s["ownership_violations"] == 0, "violations: %r" % s)


def test_ipv6_quick_start():
    """The quick start's config/tap.yaml (the embedded default) with the
    kernel side addressed as run-tap.sh does: 2001:db8::2/64."""
    with open(os.path.join(ROOT, "config", "tap.yaml")) as f:
        text = f.read()
    with Tcpterm6(text=text, client6="2001:db8::2") as t:
        p = t.ns_run(["ping", "-6", "-c", "2", "-i", "0.2", "-W", "2",
                      "2001:db8::1"], timeout=20)
        check(p.returncode == 0, "ping -6: %s%s" % (p.stdout, p.stderr))
        check(curl(t, "2001:db8::1", 2) == ["OK", "OK"], "curl -6")
        check(curl(t, SERVER4, 1, flag="-4") == ["OK"], "curl -4")


OFFLINK6 = "2001:db8:7::2"
TT_MAC = "02:00:c6:12:00:06"

# Connect from src to dst:port once; print how and how long it took.
CONNECT6 = r"""
import socket, sys, time
s = socket.socket(socket.AF_INET6)
s.settimeout(5)
s.bind((sys.argv[1], 0))
t0 = time.monotonic()
s.connect((sys.argv[2], int(sys.argv[3])))
print("ok", time.monotonic() - t0)
"""


def _gateway6(workers):
    text = config(workers).replace(
        "    ipv6: %s/64\n" % SERVER6,
        "    ipv6: %s/64\n    gateway6: %s\n" % (SERVER6, CLIENT6))
    t = Tcpterm6(workers=workers, text=text)
    t.vdev_extra = ",mac=" + TT_MAC
    with t:
        # The namespace knows tcpterm's MAC without asking, so tcpterm
        # learns nothing from a solicitation: it must solicit its
        # gateway6 and hold the SYN-ACK meanwhile (RFC 4861 7.2.2).
        t.ns_sh(["ip", "-6", "neigh", "replace", SERVER6, "lladdr",
                 TT_MAC, "dev", t.iface, "nud", "permanent"])
        t.ns_sh(["ip", "-6", "addr", "add", OFFLINK6 + "/128", "dev",
                 t.iface, "nodad"])
        before = t.stats()
        p = t.ns_run([PYTHON, "-c", CONNECT6, OFFLINK6, SERVER6, "80"])
        check(p.returncode == 0, "connect: %s" % p.stderr[-800:])
        secs = float(p.stdout.split()[1])
        d = deltas(before, wait_until(
            lambda: (lambda s: s if s.get("neigh_held_sent", 0) >
                     before.get("neigh_held_sent", 0) else None)(
                         t.stats()), 3, what="neigh_held_sent"))
        log("off-link %s via gateway6 %s, %d worker(s): connected in "
            "%.3f s; %s" % (OFFLINK6, CLIENT6, workers, secs,
                            {k: v for k, v in d.items()
                             if k.startswith(("nd_", "neigh_"))}))
        check(secs < 0.5, "SYN-ACK not held: %.3f s" % secs)
        check(d.get("nd_solicits_tx", 0) >= 1 and
              d.get("nd_learned", 0) >= 1, "no solicitation: %r" % d)
        check(d.get("neigh_hold_timeout_drop", 0) == 0 and
              d.get("neigh_hold_full_drop", 0) == 0, "drops: %r" % d)
        out = t.ns_run(["curl", "-6", "-s", "-m", "5", "--interface",
                        OFFLINK6, "http://[%s]/" % SERVER6]).stdout
        check(out == "OK", "curl via gateway6: %r" % out)


def test_ipv6_gateway6_hold():
    _gateway6(1)


def test_ipv6_gateway6_hold_2workers():
    _gateway6(2)


# An IPv4 SYN and an ARP request for 0.0.0.0 (scapy, in the namespace).
ZERO4 = r"""
import sys
from scapy.all import ARP, IP, TCP, Ether, get_if_hwaddr, sendp
iface, mac = sys.argv[1:3]
me = get_if_hwaddr(iface)
sendp([Ether(src=me, dst=mac) / IP(src="198.18.0.2", dst="0.0.0.0") /
       TCP(sport=40001, dport=80, flags="S")] * 3, iface=iface,
      verbose=False)
sendp(Ether(src=me, dst="ff:ff:ff:ff:ff:ff") /
      ARP(op=1, hwsrc=me, psrc="198.18.0.2", pdst="0.0.0.0"),
      iface=iface, verbose=False)
"""


def test_ipv6_only_port():
    """A port with ipv6 alone has no IPv4 address: IPv4 for 0.0.0.0 and
    ARP for it are not ours (they were taken for the port's address 0)."""
    text = config().replace("    ipv4: %s/24\n" % SERVER4, "")
    with Tcpterm6(text=text) as t:
        check_tries(t, ["curl http://[%s]/" % SERVER6])
        check(curl(t, SERVER6, 1) == ["OK"], "curl -6")
        mac = t.mac6()
        before = t.stats()
        p = t.ns_run([PYTHON, "-c", ZERO4, t.iface, mac], timeout=30)
        check(p.returncode == 0, "scapy: %s" % p.stderr[-800:])
        time.sleep(0.5)
        d = deltas(before, t.stats())
        log("IPv4 to an IPv6-only port: %s" % {
            k: d.get(k, 0) for k in ("drop_ip_not_us", "drop_arp_not_us",
                                     "seg_out", "arp_replies_tx")})
        check(d.get("drop_ip_not_us", 0) == 3 and
              d.get("drop_arp_not_us", 0) == 1, "not dropped: %r" % d)
        check(d.get("seg_out", 0) == 0 and d.get("arp_replies_tx", 0) == 0,
              "answered: %r" % d)
