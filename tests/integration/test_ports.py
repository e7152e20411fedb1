# SPDX-License-Identifier: BSD-3-Clause
"""Several ports: tcpterm on two net_tap ports, each on its own subnet,
with the kernel side of each tap in its own namespace (two client hosts
at once).

- curl from both namespaces at the same time: every request succeeds.
  A namespace has only its tap, so a reply it gets left by its own port;
  the per-port counters of /tcpterm/ports say so too (each port sent
  about what its namespace received, the other port nothing of it).
- ARP works on both: each namespace learns its port's MAC, and they
  differ; each port counts its own ARP replies.
- A client on port B cannot reach port A's address through port B: an
  ARP request for it is not answered (arp_not_ours on port B), and IPv4
  frames for it, sent to port B's MAC, are dropped and counted
  (ip_not_ours on port B), never answered by port A.
"""

import itertools
import json
import os
import re
import socket
import subprocess
import tempfile
import time
import urllib.request

from harness import (PYTHON, ROOT, TestFailure, check, eal_args, binary,
                     log, sh, telemetry, wait_until, write_temp,
                     _die_with_parent, _remove_runtime_dir)

CTL = os.path.join(ROOT, "app", "tcpterm-ctl", "tcpterm-ctl")

SUBNETS = ("198.18.41", "198.18.42")   # port A, port B
PREFIXES6 = ("2001:db8:41:", "2001:db8:42:")  # with ipv6: ::1 and ::2/64
REQUESTS = 40
_seq = itertools.count()


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def two_port_config(workers, metrics_port, ipv6=False):
    lines = ["ports:"]
    for i, net in enumerate(SUBNETS):
        lines += ["  - device: net_tap%d" % i,
                  "    ipv4: %s.1/24" % net]
        if ipv6:
            lines += ["    ipv6: %s:1/64" % PREFIXES6[i]]
    lines += ["workers: %d" % workers,
              "listeners:",
              "  - {port: 80, app: http, close: after-response}",
              "limits:",
              "  max_connections: 20000",
              "  max_time_wait: 20000",
              "stats:",
              "  interval_ms: 200",
              "metrics:",
              "  listen: 127.0.0.1:%d" % metrics_port]
    return "\n".join(lines) + "\n"


class Side:
    """One client host: a namespace holding the kernel side of one tap."""

    def __init__(self, iface, net, prefix6=None):
        self.iface = iface
        self.server = net + ".1"
        self.client = net + ".2"
        self.server6 = prefix6 + ":1" if prefix6 else None
        self.holder = subprocess.Popen(
            ["unshare", "--net", "--", "sh", "-c", "read x"],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL)
        mine = os.readlink("/proc/self/ns/net")
        wait_until(lambda: self._ns() not in (None, mine), 5,
                   interval=0.01, what="the namespace holder")
        self.ns = "/proc/%d/ns/net" % self.holder.pid
        sh(["ip", "link", "set", iface, "netns", str(self.holder.pid)])
        self.sh(["sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1"],
                check=False)
        self.sh(["ip", "link", "set", "lo", "up"])
        self.sh(["ip", "addr", "add", self.client + "/24", "dev", iface])
        if prefix6:
            for k in ("all.disable_ipv6=0", iface + ".disable_ipv6=0",
                      iface + ".accept_ra=0"):
                self.sh(["sysctl", "-q", "-w", "net.ipv6.conf." + k])
            self.sh(["ip", "-6", "addr", "add", prefix6 + ":2/64", "dev",
                     iface, "nodad"])
        self.sh(["ip", "link", "set", iface, "up"])

    def _ns(self):
        try:
            return os.readlink("/proc/%d/ns/net" % self.holder.pid)
        except OSError:
            return None

    def argv(self, argv):
        return ["nsenter", "--net=" + self.ns, "--"] + list(argv)

    def sh(self, argv, check=True, timeout=30):
        return sh(self.argv(argv), check=check, timeout=timeout)

    def curl_loop(self, n, server=None):
        """Start n sequential curl requests; see curl_result()."""
        server = server or self.server
        url = ("http://[%s]/" if ":" in server else "http://%s/") % server
        script = ('ok=0; for i in $(seq %d); do c=$(curl -s -o /dev/null '
                  '-m 5 -w "%%{http_code}" %s); [ "$c" = 200 ] && '
                  'ok=$((ok+1)); done; echo $ok' % (n, url))
        return subprocess.Popen(self.argv(["sh", "-c", script]),
                                stdout=subprocess.PIPE, text=True)

    def mac_of(self, addr):
        """The MAC this namespace learnt for addr, or None."""
        out = self.sh(["ip", "neigh", "show", addr, "dev", self.iface],
                      check=False).stdout.split()
        return out[out.index("lladdr") + 1] if "lladdr" in out else None

    def rx_packets(self):
        with open("/proc/%d/net/dev" % self.holder.pid) as f:
            for line in f:
                name, _, rest = line.partition(":")
                if name.strip() == self.iface:
                    return int(rest.split()[1])
        raise TestFailure("no %s in the namespace" % self.iface)

    def close(self):
        if self.holder is not None:
            self.holder.stdin.close()
            try:
                self.holder.wait(5)
            except subprocess.TimeoutExpired:
                self.holder.kill()
                self.holder.wait()
            self.holder = None


class TwoPorts:
    """tcpterm with two net_tap ports and a client namespace per port."""

    def __init__(self, workers=1, ipv6=False):
        self.workers = workers
        self.ipv6 = ipv6
        self.metrics_port = free_port()
        # Tap names fit in 15 characters: tt-ports-a1234.
        tag = "%d%d" % (os.getpid() % 1000, next(_seq) % 10)
        self.prefix = "tt-ports-" + tag
        self.ifaces = ["tt-ports-a" + tag, "tt-ports-b" + tag]
        self.sides = []
        self.proc = None
        self.config = None
        self.log = None

    def __enter__(self):
        try:
            self.start()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def start(self):
        self.config = write_temp(two_port_config(self.workers,
                                                 self.metrics_port,
                                                 self.ipv6))
        fd, self.log = tempfile.mkstemp(
            prefix="tcpterm-it-", suffix=".log")
        extra = ["--vdev=net_tap1,iface=" + self.ifaces[1]]
        lcores = "0" if self.workers == 1 else "0-%d" % (self.workers - 1)
        argv = ([binary()] + eal_args(self.prefix, 512,
                                      "net_tap0,iface=" + self.ifaces[0],
                                      extra, lcores=lcores)
                + ["--", "-c", self.config])
        self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL,
                                     stdout=fd, stderr=subprocess.STDOUT,
                                     start_new_session=True,
                                     preexec_fn=_die_with_parent)
        os.close(fd)
        wait_until(self._ready, 60, what=lambda: "ready:\n" + self.tail())
        for iface, net, p6 in zip(self.ifaces, SUBNETS, PREFIXES6):
            self.sides.append(Side(iface, net, p6 if self.ipv6 else None))

    def _ready(self):
        if self.proc.poll() is not None:
            raise TestFailure("tcpterm exited with %d:\n%s"
                              % (self.proc.returncode, self.tail()))
        return "tcpterm: ready" in self.output()

    def output(self):
        with open(self.log, errors="replace") as f:
            return f.read()

    def tail(self, n=40):
        return "\n".join(self.output().splitlines()[-n:])

    def ports(self):
        r = telemetry(self.prefix, "/tcpterm/ports")["/tcpterm/ports"]
        return [r[str(i)] for i in range(len(r))]

    def stats(self):
        return telemetry(self.prefix, "/tcpterm/stats")["/tcpterm/stats"]

    def close(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        for s in self.sides:
            s.close()
        _remove_runtime_dir(self.prefix)
        for p in (self.config, self.log):
            if p and os.path.exists(p) and not (
                    p == self.log and os.environ.get("TT_KEEP_LOGS")):
                os.unlink(p)


def delta(before, after, key):
    return after[key] - before[key]


def check_concurrent_curl(t, n, ipv6=False):
    """curl from both namespaces at once; replies by the arrival port."""
    a, b = t.sides
    p0, rx0 = t.ports(), [s.rx_packets() for s in t.sides]
    procs = [s.curl_loop(n, s.server6 if ipv6 else None) for s in t.sides]
    oks = [int(p.communicate(timeout=120)[0].strip() or 0) for p in procs]
    log("curl 200s: port A %d/%d, port B %d/%d" % (oks[0], n, oks[1], n))
    check(oks == [n, n], "curl from both namespaces: %r of %d" % (oks, n))
    # Let the last FIN/ACK exchange finish before reading the counters.
    time.sleep(0.5)
    p1, rx1 = t.ports(), [s.rx_packets() for s in t.sides]
    for i in (0, 1):
        sent = delta(p0[i], p1[i], "tx_packets")
        got = rx1[i] - rx0[i]
        log("port %d: rx %d tx %d, namespace received %d" % (
            i, delta(p0[i], p1[i], "rx_packets"), sent, got))
        # Each request costs at least 3 frames out (SYN-ACK, response,
        # FIN or ACKs); the namespace received what its port sent.
        check(sent >= 3 * n, "port %d sent %d frames for %d requests"
              % (i, sent, n))
        check(got >= sent, "namespace %d received %d frames, its port sent "
              "%d" % (i, got, sent))
        check(delta(p0[i], p1[i], "tx_drop") == 0, "port %d tx_drop" % i)


def check_arp(t):
    a, b = t.sides
    macs = [s.mac_of(s.server) for s in t.sides]
    log("ARP: port A %s, port B %s" % tuple(macs))
    check(None not in macs, "a namespace has no MAC for its server: %r"
          % macs)
    check(macs[0] != macs[1], "both ports answered with MAC %s" % macs[0])
    for i, p in enumerate(t.ports()):
        check(p["arp_replies_tx"] >= 1, "port %d sent no ARP reply" % i)
    return macs


def check_cross(t, mac_b):
    """Port A's address through port B: not answered, counted."""
    a, b = t.sides
    p0 = t.ports()
    # ARP for port A's address on port B's wire.
    b.sh(["ip", "route", "add", a.server + "/32", "dev", b.iface])
    b.sh(["ping", "-c", "1", "-W", "1", a.server], check=False)
    check(b.mac_of(a.server) is None, "port B answered ARP for port A's "
          "address")
    # IPv4 for port A's address, sent to port B's MAC.
    b.sh(["ip", "neigh", "replace", a.server, "lladdr", mac_b, "dev",
          b.iface, "nud", "permanent"])
    r = b.sh(["curl", "-s", "-o", "/dev/null", "-m", "2", "-w",
              "%{http_code}", "http://%s/" % a.server], check=False)
    check(r.stdout.strip() in ("", "000"), "curl to port A's address "
          "through port B answered: %r" % r.stdout)
    p1 = wait_until(lambda: (lambda p: p if delta(p0[1], p[1], "ip_not_ours")
                             >= 1 else None)(t.ports()),
                    3, what="ip_not_ours on port B")
    log("port B: arp_not_ours +%d, ip_not_ours +%d; port A rx +%d" % (
        delta(p0[1], p1[1], "arp_not_ours"), delta(p0[1], p1[1], "ip_not_ours"),
        delta(p0[0], p1[0], "rx_packets")))
    check(delta(p0[1], p1[1], "arp_not_ours") >= 1, "no arp_not_ours on B")
    check(delta(p0[0], p1[0], "tx_packets") == 0,
          "port A sent frames for traffic that came by port B")


def check_views(t, final):
    """tcpterm-ctl ports, /metrics and the stats line show every port."""
    p = subprocess.run([PYTHON, CTL, "-f", t.prefix, "ports", "--json"],
                       capture_output=True, text=True, timeout=30)
    check(p.returncode == 0, "tcpterm-ctl ports: %s" % p.stderr[-500:])
    ctl = json.loads(p.stdout)
    check([c["device"] for c in ctl] == ["net_tap0", "net_tap1"],
          "tcpterm-ctl ports: %r" % ctl)
    for i, c in enumerate(ctl):
        check(c["tx_packets"] >= final[i]["tx_packets"],
              "tcpterm-ctl port %d tx %d < %d" % (i, c["tx_packets"],
                                                  final[i]["tx_packets"]))
    check(all("tx_alloc_fail" in c for c in ctl),
          "tcpterm-ctl ports --json: no tx_alloc_fail: %r" % ctl)
    p = subprocess.run([PYTHON, CTL, "-f", t.prefix, "ports"],
                       capture_output=True, text=True, timeout=30)
    log("tcpterm-ctl ports:\n      " + "\n      ".join(
        p.stdout.splitlines()))
    check("TX no mbuf" in p.stdout.splitlines()[0],
          "tcpterm-ctl ports: no TX no mbuf column")
    body = urllib.request.urlopen("http://127.0.0.1:%d/metrics"
                                  % t.metrics_port, timeout=5).read()
    body = body.decode()
    p = subprocess.run(["promtool", "check", "metrics"], input=body,
                       capture_output=True, text=True, timeout=30)
    check(p.returncode == 0, "promtool check metrics: %s"
          % (p.stdout + p.stderr)[-500:])
    for i in (0, 1):
        m = re.search(r'^tcpterm_if_tx_packets_total\{port="%d",'
                      r'device="net_tap%d"\} (\d+)$' % (i, i), body, re.M)
        check(m and int(m.group(1)) >= final[i]["tx_packets"],
              "metrics: port %d tx_packets %r" % (i, m and m.group(0)))
    check(re.search(r"^tcpterm: t=.* \| net_tap0 rx \d+ tx \d+ drop \d+, "
                    r"net_tap1 rx \d+ tx \d+ drop \d+$", t.output(), re.M),
          "no per-port stats line:\n" + t.tail(5))


def run_two_ports(workers, n):
    with TwoPorts(workers) as t:
        ports = t.ports()
        check(len(ports) == 2, "/tcpterm/ports has %d ports" % len(ports))
        log("ports: %s" % ", ".join("%s %s" % (p["device"], p["ipv4"])
                                     for p in ports))
        s0 = t.stats()
        check_concurrent_curl(t, n)
        macs = check_arp(t)
        check_cross(t, macs[1])
        p0, s1, p1 = t.ports(), t.stats(), t.ports()
        # The totals stay what they were: the sum over the ports.
        for k in ("rx_packets", "tx_packets"):
            lo, hi = sum(x[k] for x in p0), sum(x[k] for x in p1)
            check(lo <= s1[k] <= hi, "%s: total %d, ports %d..%d"
                  % (k, s1[k], lo, hi))
        check(s1["ownership_violations"] == 0, "ownership violations")
        check(s1["port_unknown_drop"] == 0 and s1["tx_no_port_drop"] == 0,
              "frames of no port: %d in, %d out" % (
                  s1["port_unknown_drop"], s1["tx_no_port_drop"]))
        check_views(t, p0)
        check(s1["conn_opened"] - s0["conn_opened"] >= 2 * n,
              "conn_opened +%d" % (s1["conn_opened"] - s0["conn_opened"]))


def test_ports_two_taps():
    run_two_ports(1, REQUESTS)


def test_ports_two_taps_2workers():
    run_two_ports(2, REQUESTS // 2)


def test_ports_two_taps_ipv6():
    """IPv6 on two ports: curl -6 from both namespaces at once, each
    served by its own port (a reply leaves by the port of its IPv6
    source); each port answers ND for its own address only: a
    solicitation on port B for port A's address is not answered."""
    with TwoPorts(1, ipv6=True) as t:
        ports = t.ports()
        log("ports: %s" % ", ".join("%s %s" % (p["device"], p["ipv6"])
                                     for p in ports))
        check_concurrent_curl(t, 20, ipv6=True)
        a, b = t.sides
        p0 = t.ports()
        for i, p in enumerate(p0):
            check(p["nd_solicits_rx"] >= 1 and p["nd_adverts_tx"] >= 1,
                  "port %d answered no solicitation: %r" % (i, p))
        b.sh(["ip", "-6", "route", "add", a.server6 + "/128", "dev",
              b.iface])
        b.sh(["ping", "-6", "-c", "1", "-W", "1", a.server6], check=False)
        out = b.sh(["ip", "-6", "neigh", "show", a.server6, "dev",
                    b.iface], check=False).stdout
        check("lladdr" not in out, "port B answered ND for port A's "
              "address: %r" % out)
        p1 = t.ports()
        log("port B: ip6_not_ours +%d, nd_adverts_tx +%d" % (
            delta(p0[1], p1[1], "ip6_not_ours"),
            delta(p0[1], p1[1], "nd_adverts_tx")))
        check(delta(p0[1], p1[1], "ip6_not_ours") >= 1 and
              delta(p0[1], p1[1], "nd_adverts_tx") == 0,
              "port B: %r" % p1[1])
