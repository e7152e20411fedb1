#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""The cps benchmark: tcpterm beside the Linux kernel and the platform limit,
in one run on the machine at hand (run it through tests/bench/run.sh cps).

1. platform: tcpterm-gen raw mode against tcpterm-gen reflect mode over the
   same net_memif pair tcpterm uses: packets per second one core forwards;
2. tcpterm (one lcore, main = worker) driven by tcpterm-gen over net_memif:
   short CPS, client-close CPS, keepalive RPS over IPv4, and short CPS
   over IPv6 against the same configuration (the port has both families,
   the listeners take both);
3. Linux: a one-thread epoll server pinned to core 0 in a network namespace,
   driven (a) by tcpterm-gen over net_tap and (b) by a kernel client
   (cps_client) over a veth pair, pinned to core 1; CPU shares from
   /proc/stat, and the rate per fully used server core;
4. TIME_WAIT at steady state: short at ~70% of the flat-out rate for longer
   than 2*MSL: TIME_WAIT count, memory, bytes per entry; the bytes per
   IPv4 and IPv6 entry from tcpterm's memory report (see tw_split()).

Prints a table and, last, one JSON line {"bench":"cps",...}.
"""

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))
sys.path.insert(0, HERE)
from harness import telemetry  # noqa: E402
from cps_report import pct_str, per_core, plots, table  # noqa: E402
from cps_util import (CpuMeter, ProcCpu, last_json, linux_tw_objsize,  # noqa
                      fault_rates, mem_pools, nsh, per_second,
                      proc_faults, read, sh, steadiness,
                      tw_bytes_per_entry)

SERVER_IP = "198.18.20.1"
SRC = "198.18.20.2-198.18.20.65"
SERVER_IP6 = "2001:db8:20::1"
SRC6 = "2001:db8:20::2-2001:db8:20::41"
TAP_NET = "198.18.21"
VETH_NET = "198.18.22"
MAX_CONN = 65536
# Rings of 4096 slots: at 1024 a process descheduled for a moment makes
# the other side's TX fail, and tcpterm drops what it cannot send.
MEMIF_OPTS = "socket-abstract=no,rsize=12"
RESP_CLOSE = 102
RESP_KEEP = 107

TCPTERM_CFG = """\
ports:
  - device: net_memif0
    ipv4: %(ip)s/24
%(ip6)sworkers: 1
listeners:
  - port: 80
    app: http
    close: after-response
    response_body_bytes: 2
  - port: 81
    app: http
    close: on-peer-fin
    response_body_bytes: 2
tcp:
  msl_ms: %(msl)d
  time_wait_reuse: timestamps
limits:
  max_connections: %(max_conn)d
  max_time_wait: %(max_tw)d
%(max_tw6)s  time_wait_overflow: recycle-oldest
stats:
  interval_ms: 1000
"""


def memif_vdev(role, sock):
    return "net_memif0,role=%s,socket=%s,%s" % (role, sock, MEMIF_OPTS)


def note(msg):
    print(msg, flush=True)


class Bench:
    def __init__(self, a):
        self.a = a
        self.tmp = tempfile.mkdtemp(prefix="tcpterm-cps-")
        self.tag = "%d" % os.getpid()
        self.procs = []
        self.netns = []
        self.links = []
        self.res = {"scenarios": {}}
        self.series = {}
        self.failed = 0
        self.watch = []
        self.watch_share = None
        # --huge-unlink: a process that crashes leaves no hugepage files.
        gen_mem = ["--no-huge"] if a.no_huge else ["--huge-unlink"]
        self.mem = gen_mem + ["-m", str(a.mem_mb)]

    # ---- processes ----

    def eal(self, lcore, name, vdev):
        return ["-l", str(lcore), "--no-pci", "--file-prefix",
                "ttcps-%s-%s" % (name, self.tag), "--log-level=1",
                "--vdev=" + vdev] + self.mem

    def start(self, argv, log, ns=None, cpu=None):
        if cpu is not None:
            argv = ["taskset", "-c", str(cpu)] + argv
        if ns:
            argv = ["ip", "netns", "exec", ns] + argv
        f = open(log, "w")
        p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=f,
                             stderr=subprocess.STDOUT,
                             start_new_session=True)
        f.close()
        p.log = log
        self.procs.append(p)
        return p

    def stop(self, p, timeout=20):
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(timeout)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        if p in self.procs:
            self.procs.remove(p)
        return read(p.log)

    def cleanup(self):
        for p in list(self.procs):
            self.stop(p, 5)
        for ns in self.netns:
            subprocess.run(["ip", "netns", "delete", ns],
                           capture_output=True)
        for prefix in os.listdir("/var/run/dpdk") if os.path.isdir(
                "/var/run/dpdk") else []:
            if prefix.startswith("ttcps-") and prefix.endswith(self.tag):
                subprocess.run(["rm", "-rf", "/var/run/dpdk/" + prefix])
        subprocess.run(["rm", "-rf", "--", self.tmp])

    def gen_argv(self, name, vdev, args, lcore=1):
        return ([self.a.gen] + self.eal(lcore, name, vdev) + ["--"]
                + args)

    def run_gen(self, name, vdev, args, timeout, lcore=1, ns_hook=None,
                on_result=None, peer=None):
        """Run tcpterm-gen to its result; returns (json, cpu shares).
        With on_result, the generator holds its port up after the result
        (--hold) and on_result() runs before it disconnects. With peer
        (the memif server process), the generator stops polling first,
        then peer is stopped, then the generator closes its side: DPDK
        22.11's memif PMD can crash the side that is polling when its
        peer disconnects (docs/benchmarks.md). The exit status must be 0,
        or 3 when connections failed (without --allow-failures)."""
        if on_result:
            args = args + ["--hold", "120"]
        if peer:
            args = args + ["--close-wait-ms", "20000"]
        series = os.path.join(self.tmp, name + ".csv")
        p = self.start(self.gen_argv(name, vdev, args + ["--series",
                                                          series], lcore),
                       os.path.join(self.tmp, name + ".log"))
        if ns_hook:
            ns_hook()
        cpu = CpuMeter()
        waited_for_load = time.monotonic()
        while p.poll() is None and \
                "tcpterm-gen: " not in read(p.log):
            time.sleep(0.05)
            if time.monotonic() - waited_for_load > 30:
                break
        cpu.start()
        for w in self.watch:
            w.__init__(w.pid)
        deadline = time.monotonic() + timeout
        while p.poll() is None and time.monotonic() < deadline and \
                last_json(read(p.log)) is None:
            time.sleep(0.1)
        shares = cpu.stop()
        self.watch_share = self.watch[0].share() if self.watch else None
        self.watch = []
        if on_result and p.poll() is None:
            on_result()
        if peer:
            self.leave_first(p, peer)
        self.stop(p)
        out = read(p.log)
        r = last_json(out)
        if r is None:
            raise RuntimeError("%s: tcpterm-gen gave no result:\n%s"
                               % (name, out[-3000:]))
        self.check_exit(name, p.returncode, r, args, out)
        self.series[name] = series
        return r, shares

    def leave_first(self, gen, peer):
        """Stop peer once the generator has stopped polling."""
        if gen.poll() is None:
            gen.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 30
        while gen.poll() is None and time.monotonic() < deadline and \
                "waiting for the peer" not in read(gen.log):
            time.sleep(0.05)
        self.stop(peer)
        if peer.returncode != 0:
            raise RuntimeError("memif peer exited %d:\n%s" % (
                peer.returncode, read(peer.log)[-2000:]))

    @staticmethod
    def check_exit(name, rc, r, args, out):
        """0, or 3 exactly when connections failed and that was not
        allowed; anything else (a crash) loses the run."""
        want = 3 if r.get("failed") and "--allow-failures" not in args \
            else 0
        if rc != want:
            raise RuntimeError("%s: tcpterm-gen exited %s, expected %d "
                               "(failed %s):\n%s" % (
                                   name, rc, want, r.get("failed"),
                                   out[-2000:]))

    # ---- 1. platform limit ----

    def platform(self):
        sock = os.path.join(self.tmp, "raw.sock")
        vs = memif_vdev("server", sock)
        vc = memif_vdev("client", sock)
        d = self.a.seconds
        refl = self.start(self.gen_argv("refl", vs, [
            "-s", "reflect", "-t", str(d + 6), "-q"], lcore=0),
            os.path.join(self.tmp, "refl.log"))
        time.sleep(1.5)
        r, _ = self.run_gen("raw", vc, ["-s", "raw", "-t", str(d), "-q",
                                        "--dst-mac", "02:00:00:00:00:01"],
                            d + 30, peer=refl)
        out = read(refl.log)
        rr = last_json(out) or {}
        fwd = rr.get("tx_pkts", 0) / max(rr.get("seconds", 1), 1e-9)
        # The reflector ran longer than the sender: use the sender's
        # window, counting what came back.
        pps = r["pps_in"]
        self.res["platform"] = {
            "pps": pps, "sent_pps": r["pps_out"],
            "sender_busy": r["busy"], "reflector_fwd_pps_avg": fwd,
            "reflector_busy": rr.get("busy")}
        note("platform: %.2f Mpps forwarded by one core through net_memif "
             "(sender busy %.0f%%)" % (pps / 1e6, r["busy"] * 100))
        return pps

    # ---- 2. tcpterm ----

    def tcpterm_config(self, ipv6, max_tw6):
        """The configuration: with ipv6, the port has both families and
        the IPv6 TIME_WAIT ring holds max_tw6 records."""
        return TCPTERM_CFG % {
            "ip": SERVER_IP, "msl": self.a.msl_ms, "max_tw": self.a.max_tw,
            "max_conn": MAX_CONN,
            "ip6": "    ipv6: %s/64\n" % SERVER_IP6 if ipv6 else "",
            "max_tw6": "  max_time_wait6: %d\n" % max_tw6 if ipv6 else ""}

    def tcpterm_start(self, ipv6=None, max_tw6=None):
        if ipv6 is None:
            ipv6 = not self.a.no_ipv6
        self.sock = os.path.join(self.tmp, "tt.sock")
        cfg = os.path.join(self.tmp, "tcpterm.yaml")
        with open(cfg, "w") as f:
            f.write(self.tcpterm_config(ipv6, max_tw6 or self.a.max_tw6))
        vdev = memif_vdev("server", self.sock)
        self.tt_prefix = "ttcps-tt-%s" % self.tag
        p = self.start([self.a.tcpterm] + self.eal(0, "tt", vdev)
                       + ["--", "-c", cfg],
                       os.path.join(self.tmp, "tcpterm.log"))
        deadline = time.time() + 60
        while "tcpterm: ready" not in read(p.log):
            if p.poll() is not None or time.time() > deadline:
                raise RuntimeError("tcpterm did not start:\n"
                                   + read(p.log)[-3000:])
            time.sleep(0.1)
        for _ in range(50):
            try:
                self.tt_stats()
                break
            except OSError:
                time.sleep(0.1)
        self.tt = p

    def tt_stats(self):
        return telemetry(self.tt_prefix, "/tcpterm/stats")["/tcpterm/stats"]

    def tt_states(self):
        return telemetry(self.tt_prefix,
                         "/tcpterm/states")["/tcpterm/states"]

    def tt_gen(self, name, args, src=SRC):
        # A fresh tcpterm per run, which leaves before the generator
        # disconnects (see run_gen and docs/benchmarks.md).
        self.tcpterm_start()
        vdev = memif_vdev("client", self.sock)
        before = self.tt_stats()
        self.watch = [ProcCpu(self.tt.pid)]
        after = {}

        def server_counters():
            after.update(self.tt_stats())
        r, shares = self.run_gen(name, vdev, args + ["-q", "--src", src],
                                 self.a.seconds + 60,
                                 on_result=server_counters, peer=self.tt)
        r["server_share"] = self.watch_share
        r["per_second"] = per_second(self.series[name])
        r["server_opened"] = after.get("conn_opened", 0) - \
            before.get("conn_opened", 0)
        r["server_closed"] = after.get("conn_closed", 0) - \
            before.get("conn_closed", 0)
        self.tt_log = read(self.tt.log)
        self.stop(self.tt)
        r["proc_stat_cpu"] = shares
        self.failed += r["failed"]
        return r

    def tcpterm_runs(self):
        d = str(self.a.seconds)
        c = str(self.a.conc)
        dst = SERVER_IP
        res = {}
        res["short"] = self.tt_gen("tt-short", [
            "-s", "short", "-d", dst + ":80", "-c", c, "-t", d])
        res["client-close"] = self.tt_gen("tt-client-close", [
            "-s", "client-close", "-d", dst + ":81", "-c", c, "-t", d])
        res["keepalive"] = self.tt_gen("tt-keepalive", [
            "-s", "keepalive", "-d", dst + ":81", "-c",
            str(self.a.ka_conns), "-t", d])
        if not self.a.no_ipv6:
            res["short-v6"] = self.tt_gen("tt-short-v6", [
                "-s", "short", "-d", "[%s]:80" % SERVER_IP6, "-c", c,
                "-t", d], src=SRC6)
        for k, r in res.items():
            note("tcpterm      %-12s %9.0f conn/s %9.0f req/s %5.2f Mpps "
                 "failed %d, tcpterm process %s, generator busy %.0f%% "
                 "(on a CPU %s), connect p99 %.0fus"
                 % (k, r["cps"], r["rps"],
                    (r["pps_in"] + r["pps_out"]) / 2e6, r["failed"],
                    pct_str(r["server_share"]), r["busy"] * 100,
                    pct_str(r.get("cpu")), r["connect_p99_us"]))
        return res

    # ---- 4. TIME_WAIT ----

    def tt_memory(self, ipv6, max_tw6):
        """tcpterm's pools at start-up with this configuration."""
        self.tcpterm_start(ipv6, max_tw6)
        log = read(self.tt.log)
        self.stop(self.tt)
        return mem_pools(log)

    def tw_split(self):
        """Bytes per IPv4 and IPv6 TIME_WAIT entry. The memory report
        gives one time_wait pool for both families' rings: tcpterm is
        started with IPv6 off, and on with two sizes of the IPv6 ring;
        the differences are the IPv6 ring's bytes per record. Each entry
        also takes its share of the flow table, which is sized for
        connections and both families' records."""
        n6 = self.a.max_tw6
        off = self.tt_memory(False, 0)
        on = self.tt_memory(True, n6)
        on2 = self.tt_memory(True, 2 * n6)

        def pool(p, word):
            return sum(v for k, v in p.items() if word in k)
        rec6 = (pool(on2, "time") - pool(on, "time")) / float(n6)
        rec4 = (pool(on, "time") - n6 * rec6) / float(self.a.max_tw)
        flow = pool(on, "flow") / float(self.a.max_tw + n6 + MAX_CONN)
        flow_off = pool(off, "flow") / float(self.a.max_tw + MAX_CONN)
        return {
            "v4": rec4 + flow, "v6": rec6 + flow,
            "v4_ipv6_off": pool(off, "time") / float(self.a.max_tw)
            + flow_off,
            "pools_ipv6_off": off, "pools_ipv6_on": on,
            "pools_ipv6_on_2x": on2}

    def timewait(self, flat_cps):
        rate = max(1000, int(flat_cps * 0.7))
        secs = max(self.a.tw_seconds, 2 * 2 * self.a.msl_ms / 1000.0 + 3)
        samples = []
        server = []
        stop = threading.Event()

        def sample():
            t0 = None
            while not stop.is_set():
                try:
                    s = self.tt_states() or {}
                    t0 = t0 or time.monotonic()
                    t = time.monotonic() - t0
                    samples.append((t, s.get("TIME_WAIT", 0)))
                    server.append((t, proc_faults(self.tt.pid)))
                except Exception:  # tcpterm (re)starting: no sample
                    pass
                stop.wait(0.5)
        th = threading.Thread(target=sample)
        th.start()
        try:
            r = self.tt_gen("tt-timewait", [
                "-s", "short", "-d", SERVER_IP + ":80", "-c",
                str(self.a.conc), "-r", str(rate), "-t", "%.1f" % secs])
        finally:
            stop.set()
            th.join()
        tw_max = max([n for _, n in samples] or [0])
        rates = per_second(self.series.get("tt-timewait", ""))
        steady = steadiness(rates)
        log = self.tt_log
        mem = mem_pools(log)
        per = tw_bytes_per_entry(log, self.a.max_tw, MAX_CONN)
        split = None
        if not self.a.no_ipv6:
            # The pools hold the IPv6 ring as well: split them.
            split = self.tw_split()
            per = split["v4"]
        self.res["timewait"] = {
            "rate": rate, "seconds": secs, "cps": r["cps"],
            "failed": r["failed"], "time_wait_max": tw_max,
            "fail_kinds": {k: r[k] for k in ("fail_rst", "fail_timeout",
                                             "fail_bad_response",
                                             "unfinished")},
            "expected": r["cps"] * 2 * self.a.msl_ms / 1000.0,
            "pools": mem, "bytes_per_entry": per,
            "bytes_per_entry_v6": split["v6"] if split else None,
            "bytes_per_entry_v4_ipv6_off":
            split["v4_ipv6_off"] if split else None,
            "split": split,
            "memory_at_max": per * tw_max if per else None,
            "linux_tw_sock_bytes": linux_tw_objsize(),
            "tcpterm_memory_lines": re.findall(r"tcpterm: memory.*", log),
            "samples": samples, "per_second": rates, "steadiness": steady,
            "server_faults_per_second": fault_rates(server)}
        note("TIME_WAIT: %d at %.0f conn/s with 2*MSL = %.1fs (expected "
             "~%.0f), failed %d; %s bytes/entry" % (
                 tw_max, r["cps"], 2 * self.a.msl_ms / 1000.0,
                 r["cps"] * 2 * self.a.msl_ms / 1000.0, r["failed"],
                 "%.0f" % per if per else "?"))
        if steady:
            note("TIME_WAIT run, per second: median %.0f, min %.0f, max %.0f "
                 "conn/s over %d s (fill: the first %.1f s): worst second "
                 "%.1f%% from the median" % (
                     steady["median"], steady["min"], steady["max"],
                     steady["seconds"], 2 * self.a.msl_ms / 1000.0,
                     100 * steady["worst_from_median"]))
        if split:
            note("TIME_WAIT bytes/entry: IPv4 %.1f (%.1f with IPv6 off), "
                 "IPv6 %.1f" % (split["v4"], split["v4_ipv6_off"],
                                split["v6"]))
        return r

    # ---- 3. Linux ----

    def ns(self, name):
        ns = "ttcps%s%s" % (name, self.tag)
        sh(["ip", "netns", "add", ns])
        self.netns.append(ns)
        nsh(ns, ["ip", "link", "set", "lo", "up"])
        for k, v in (("net.core.somaxconn", "65535"),
                     ("net.ipv4.tcp_max_syn_backlog", "65535"),
                     ("net.ipv4.ip_local_port_range", "1024 65535"),
                     ("net.ipv4.tcp_tw_reuse", "1"),
                     ("net.ipv6.conf.all.disable_ipv6", "1")):
            nsh(ns, ["sysctl", "-q", "-w", "%s=%s" % (k, v)], check=False)
        return ns

    def linux_server(self, ns, mode, name):
        p = self.start([self.a.epoll_server, "0.0.0.0",
                        "80" if mode == "close" else "81", mode],
                       os.path.join(self.tmp, name + "-srv.log"), ns=ns,
                       cpu=0)
        deadline = time.time() + 10
        while "listening" not in read(p.log) and time.time() < deadline:
            time.sleep(0.05)
        return p

    def linux_tap(self):
        ns = self.ns("a")
        res = {}
        for scen, mode, port, extra in (
                ("short", "close", 80, ["-c", str(self.a.tap_conc)]),
                ("client-close", "keep", 81, ["-c", str(self.a.tap_conc)]),
                ("keepalive", "keep", 81, ["-c", str(self.a.ka_conns)])):
            name = "lx-tap-" + scen
            srv = self.linux_server(ns, mode, name)
            self.watch = [ProcCpu(srv.pid)]
            iface = "ttcpst%s" % self.tag[-6:]
            vdev = "net_tap0,iface=" + iface

            def hook():
                deadline = time.time() + 20
                while time.time() < deadline:
                    if "port 0 up" in read(os.path.join(self.tmp,
                                                        name + ".log")):
                        break
                    time.sleep(0.02)
                sh(["ip", "link", "set", iface, "netns", ns])
                nsh(ns, ["ip", "addr", "add", TAP_NET + ".1/24", "dev",
                         iface])
                nsh(ns, ["ip", "link", "set", iface, "up"])
            args = ["-s", scen, "-d", "%s.1:%d" % (TAP_NET, port), "--src",
                    "%s.2-%s.17" % (TAP_NET, TAP_NET), "-t",
                    str(self.a.seconds), "-q", "--link-wait-ms", "15000",
                    "--rto-ms", "1000"] + extra
            r, shares = self.run_gen(name, vdev, args,
                                     self.a.seconds + 60, ns_hook=hook)
            r["server_share"] = self.watch_share
            r["server"] = last_json(self.stop(srv))
            r["proc_stat_cpu"] = shares
            res[scen] = r
            note("linux/tap    %-12s %9.0f conn/s %9.0f req/s failed %d, "
                 "cpu0 %.0f%% cpu1 %.0f%%, server process %s, generator "
                 "busy %.0f%%" % (scen, r["cps"], r["rps"], r["failed"],
                                  shares[0] * 100, shares[1] * 100,
                                  pct_str(r["server_share"]),
                                  r["busy"] * 100))
        return res

    def linux_veth(self):
        s_ns, c_ns = self.ns("s"), self.ns("c")
        a, b = "ttcpsv%s" % self.tag[-6:], "ttcpsw%s" % self.tag[-6:]
        sh(["ip", "link", "add", a, "type", "veth", "peer", "name", b])
        sh(["ip", "link", "set", a, "netns", s_ns])
        sh(["ip", "link", "set", b, "netns", c_ns])
        nsh(s_ns, ["ip", "addr", "add", VETH_NET + ".1/24", "dev", a])
        nsh(s_ns, ["ip", "link", "set", a, "up"])
        srcs = ["%s.%d" % (VETH_NET, i) for i in range(2, 10)]
        for ip in srcs:
            nsh(c_ns, ["ip", "addr", "add", ip + "/24", "dev", b])
        nsh(c_ns, ["ip", "link", "set", b, "up"])
        res = {}
        for scen, mode, port, conc, resp in (
                ("short", "close", 80, self.a.veth_conc, RESP_CLOSE),
                ("client-close", "keep", 81, self.a.veth_conc, RESP_KEEP),
                ("keepalive", "keep", 81, self.a.ka_conns, RESP_KEEP)):
            name = "lx-veth-" + scen
            srv = self.linux_server(s_ns, mode, name)
            cpu = CpuMeter()
            cpu.start()
            watch = ProcCpu(srv.pid)
            p = subprocess.run(
                ["ip", "netns", "exec", c_ns, "taskset", "-c", "1",
                 self.a.cps_client, VETH_NET + ".1", str(port), scen,
                 str(conc), str(self.a.seconds), str(resp)] + srcs,
                capture_output=True, text=True,
                timeout=self.a.seconds + 60)
            shares = cpu.stop()
            share = watch.share()
            r = last_json(p.stdout) or {"cps": 0, "rps": 0, "failed": -1,
                                        "scenario": scen}
            r["server_share"] = share
            r["client_share"] = r.get("cpu_share")
            r["server"] = last_json(self.stop(srv))
            r["proc_stat_cpu"] = shares
            res[scen] = r
            note("linux/veth   %-12s %9.0f conn/s %9.0f req/s failed %d, "
                 "cpu0 %.0f%% cpu1 %.0f%%, server process %s, client "
                 "process %s" % (scen, r["cps"], r["rps"], r["failed"],
                                 shares[0] * 100, shares[1] * 100,
                                 pct_str(share), pct_str(r["client_share"])))
        return res


def loadavg():
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", required=True)
    ap.add_argument("--resdir", required=True)
    ap.add_argument("--stamp", default=time.strftime("%Y%m%d-%H%M%S"))
    ap.add_argument("--seconds", type=float, default=5)
    ap.add_argument("--tw-seconds", type=float, default=0)
    ap.add_argument("--msl-ms", type=int, default=2000)
    ap.add_argument("--max-tw", type=int, default=4194304)
    ap.add_argument("--max-tw6", type=int, default=1048576)
    ap.add_argument("--no-ipv6", action="store_true",
                    help="IPv4 only: no ipv6 on the port, no IPv6 runs")
    ap.add_argument("--conc", type=int, default=2048)
    ap.add_argument("--tap-conc", type=int, default=256)
    ap.add_argument("--veth-conc", type=int, default=256)
    ap.add_argument("--ka-conns", type=int, default=128)
    ap.add_argument("--mem-mb", type=int, default=256)
    ap.add_argument("--no-huge", action="store_true")
    ap.add_argument("--skip-linux", action="store_true")
    a = ap.parse_args()
    a.tcpterm = os.path.join(a.build, "app", "tcpterm", "tcpterm")
    a.gen = os.path.join(a.build, "app", "tcpterm-gen", "tcpterm-gen")
    a.epoll_server = os.path.join(a.build, "tests", "bench", "epoll_server")
    a.cps_client = os.path.join(a.build, "tests", "bench", "cps_client")
    os.makedirs(a.resdir, exist_ok=True)
    b = Bench(a)
    res = {"msl_ms": a.msl_ms, "seconds": a.seconds,
           "hugepages": not a.no_huge, "loadavg_start": loadavg()}
    try:
        b.platform()
        res["platform"] = b.res["platform"]
        res["tcpterm"] = b.tcpterm_runs()
        b.timewait(res["tcpterm"]["short"]["cps"])
        res["timewait"] = b.res["timewait"]
        if not a.skip_linux:
            res["linux_veth"] = b.linux_veth()
            res["linux_tap"] = b.linux_tap()
    finally:
        b.cleanup_plots = plots(b, a.resdir, a.stamp)
        b.cleanup()
    res["loadavg_end"] = loadavg()
    tt = res["tcpterm"]
    res["tcpterm_pps"] = (tt["short"]["pps_in"] + tt["short"]["pps_out"]) / 2
    linux = [per_core(x["short"]) for x in (res.get("linux_tap"),
                                            res.get("linux_veth")) if x]
    linux_cps = max(linux or [0])
    res["plots"] = b.cleanup_plots
    detail = os.path.join(a.resdir, "cps-%s-detail.json" % a.stamp)
    with open(detail, "w") as f:
        json.dump(res, f, indent=1)
    print(table(res))
    for pth in res["plots"]:
        print("plot: " + pth)
    print("details: " + os.path.relpath(detail, ROOT))
    tt_core = per_core(tt["short"])
    final = {
        "bench": "cps",
        "tcpterm_cps": round(tt["short"]["cps"]),
        "tcpterm_cps_per_core": round(tt_core),
        "linux_cps": round(linux_cps),
        "tcpterm_pps": round(res["tcpterm_pps"]),
        "platform_pps": round(res["platform"]["pps"]),
        "failed": b.failed,
        "tcpterm_client_close_cps": round(tt["client-close"]["cps"]),
        "tcpterm_keepalive_rps": round(tt["keepalive"]["rps"]),
        "short_cps_v6": round(tt["short-v6"]["cps"])
        if "short-v6" in tt else None,
        "short_cps_v6_per_core": round(per_core(tt["short-v6"]))
        if "short-v6" in tt else None,
        "cps_ratio": round(tt_core / linux_cps, 2)
        if linux_cps else None,
        "pps_ratio": round(res["tcpterm_pps"] / res["platform"]["pps"], 3)
        if res["platform"]["pps"] else None,
        "time_wait_max": res["timewait"]["time_wait_max"],
        "tw_run_worst_second": round(
            res["timewait"]["steadiness"]["worst_from_median"], 3)
        if res["timewait"]["steadiness"] else None,
        "tw_bytes_per_entry": round(
            res["timewait"]["bytes_per_entry"] or 0, 1),
        "tw_bytes_per_entry_v6": round(
            res["timewait"]["bytes_per_entry_v6"], 1)
        if res["timewait"]["bytes_per_entry_v6"] else None,
        "tw_bytes_per_entry_v4_ipv6_off": round(
            res["timewait"]["bytes_per_entry_v4_ipv6_off"], 1)
        if res["timewait"]["bytes_per_entry_v4_ipv6_off"] else None,
    }
    print(json.dumps(final, separators=(",", ":")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
