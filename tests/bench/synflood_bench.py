#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""The synflood benchmark: legitimate connections per second with and
without a spoofed SYN flood, tcpterm beside the Linux kernel (run it
through tests/bench/run.sh synflood).

1. tcpterm (one lcore) over net_memif, tcpterm-gen on the other core:
   a. `short` alone: the legitimate baseline;
   b. `short` with --flood: spoofed SYNs from 198.18.128.0/17 flat out,
      in the same generator, sent whenever the client's frames are out;
   c. -s synflood alone: the flood's full rate and what tcpterm absorbs.
   tcpterm's counters (conn_limit_drop, syncookies_*) and the
   SYN_RECEIVED gauge (sampled) are read from telemetry.
2. Linux: tests/bench/epoll_server.c on core 0 in a namespace with
   net.ipv4.tcp_syncookies=1, tests/bench/cps_client.c on core 1 in
   another, over a veth pair: `short` alone, then with
   tests/bench/synflood (AF_PACKET, spoofed SYNs flat out) on the client's
   veth, also on core 1.

Goal: legitimate CPS under the flood >= 80% of the CPS without it.
Prints a table and, last, one JSON line {"bench":"synflood",...}; exits
1 when tcpterm misses the goal.
"""

import argparse
import json
import os
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from cps_bench import (RESP_CLOSE, SERVER_IP, SRC, TCPTERM_CFG, Bench,  # noqa
                       memif_vdev, note)
from cps_util import last_json, nsh, read, sh  # noqa: E402

FLOOD_NET = "198.18.128.0/17"
FLOOD_RANGE = "198.18.128.0-198.18.255.255"
GATEWAY = "198.18.20.2"  # The first client address: the generator answers.
VETH_NET = "198.18.23"
MAX_CONN = 65536
GOAL = 0.8
COUNTERS = ("seg_in", "seg_out", "conn_opened", "conn_limit_drop",
            "table_full", "syn_recv_timeout", "retransmit")


class FloodBench(Bench):

    def tcpterm_start(self):
        """As the cps benchmark's, with a gateway for the spoofed
        sources (and syncookies when asked for)."""
        cfg = TCPTERM_CFG.replace(
            "    ipv4: %(ip)s/24\n",
            "    ipv4: %(ip)s/24\n    gateway: " + GATEWAY + "\n")
        if self.a.syncookies:
            cfg = cfg.replace("tcp:\n", "tcp:\n  syncookies: %s\n"
                              % self.a.syncookies)
        self.sock = os.path.join(self.tmp, "tt.sock")
        path = os.path.join(self.tmp, "tcpterm.yaml")
        with open(path, "w") as f:
            f.write(cfg % {"ip": SERVER_IP, "msl": self.a.msl_ms,
                           "max_tw": self.a.max_tw, "max_conn": MAX_CONN})
        self.tt_prefix = "ttcps-tt-%s" % self.tag
        p = self.start([self.a.tcpterm] + self.eal(
            0, "tt", memif_vdev("server", self.sock)) + ["--", "-c", path],
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

    def tt_run(self, name, args):
        """A fresh tcpterm, one generator run; the generator's JSON plus
        tcpterm's counter deltas and SYN_RECEIVED peak."""
        self.tcpterm_start()
        before = self.tt_stats()
        after, peak, stop = {}, [0], threading.Event()

        def sample():
            while not stop.is_set():
                try:
                    peak[0] = max(peak[0], self.tt_states().get(
                        "SYN_RECEIVED", 0))
                except Exception:  # A missed sample is no failure.
                    pass
                stop.wait(0.25)
        th = threading.Thread(target=sample)
        th.start()
        try:
            r, _ = self.run_gen(
                name, memif_vdev("client", self.sock),
                args + ["-q", "--src", SRC, "-d", SERVER_IP + ":80"],
                self.a.seconds + 60,
                on_result=lambda: after.update(self.tt_stats()),
                peer=self.tt)
        finally:
            stop.set()
            th.join()
            self.stop(self.tt)
        keys = set(COUNTERS) | {k for k in after if "syncookie" in k or
                                "syn_recv" in k}
        r["tcpterm"] = {k: after.get(k, 0) - before.get(k, 0)
                        for k in sorted(keys)
                        if isinstance(after.get(k, 0), int)}
        r["syn_recv_peak"] = peak[0]
        return r

    def tcpterm_runs(self):
        d, c = str(self.a.seconds), str(self.a.conc)
        res = {"short": self.tt_run("sf-short", [
            "-s", "short", "-c", c, "-t", d])}
        # Under the flood some legitimate connections may fail: that is
        # what is measured.
        res["short+flood"] = self.tt_run("sf-flood", [
            "-s", "short", "-c", c, "-t", d, "--flood", "--flood-src",
            FLOOD_RANGE, "--allow-failures"])
        res["flood-alone"] = self.tt_run("sf-alone", [
            "-s", "synflood", "-t", d, "--flood-src", FLOOD_RANGE,
            "--allow-failures"])
        for k, r in res.items():
            s = r["seconds"] or 1
            note("tcpterm  %-12s legit %8.0f conn/s failed %6d  flood "
                 "offered %8.0f SYN/s, SYN-ACKs back %8.0f/s  "
                 "SYN_RECEIVED peak %6d  %s"
                 % (k, r["cps"], r["failed"], r["flood_syns"] / s,
                    r["flood_synacks"] / s, r["syn_recv_peak"],
                    {n: v for n, v in r["tcpterm"].items() if v}))
        return res

    # ---- Linux ----

    def linux_setup(self):
        s_ns, c_ns = self.ns("fs"), self.ns("fc")
        nsh(s_ns, ["sysctl", "-q", "-w", "net.ipv4.tcp_syncookies=1"])
        a, b = "ttsfv%s" % self.tag[-6:], "ttsfw%s" % self.tag[-6:]
        sh(["ip", "link", "add", a, "type", "veth", "peer", "name", b])
        sh(["ip", "link", "set", a, "netns", s_ns])
        sh(["ip", "link", "set", b, "netns", c_ns])
        nsh(s_ns, ["ip", "addr", "add", VETH_NET + ".1/24", "dev", a])
        nsh(s_ns, ["ip", "link", "set", a, "up"])
        srcs = ["%s.%d" % (VETH_NET, i) for i in range(2, 10)]
        for ip in srcs:
            nsh(c_ns, ["ip", "addr", "add", ip + "/24", "dev", b])
        nsh(c_ns, ["ip", "link", "set", b, "up"])
        # SYN-ACKs to the spoofed sources go to the client namespace,
        # which does not forward: they end there, as tcpterm's do.
        nsh(s_ns, ["ip", "route", "add", FLOOD_NET, "via", srcs[0]])
        mac = json.loads(nsh(s_ns, ["ip", "-j", "link", "show", a]).stdout
                         )[0]["address"]
        return s_ns, c_ns, b, mac, srcs

    def nstat(self, ns):
        out = nsh(ns, ["nstat", "-az", "-j"], check=False).stdout
        try:
            d = json.loads(out)
        except ValueError:
            return {}
        return d.get("kernel", d)

    def linux_run(self, name, s_ns, c_ns, b, mac, srcs, flood):
        srv = self.linux_server(s_ns, "close", name)
        n0 = self.nstat(s_ns)
        fl = None
        if flood:
            fl = self.start(["taskset", "-c", "1", self.a.synflood, b, mac,
                             VETH_NET + ".1", "80", FLOOD_NET,
                             str(self.a.seconds + 2)],
                            os.path.join(self.tmp, name + "-flood.log"),
                            ns=c_ns)
            time.sleep(1)
        p = subprocess.run(
            ["ip", "netns", "exec", c_ns, "taskset", "-c", "1",
             self.a.cps_client, VETH_NET + ".1", "80", "short",
             str(self.a.veth_conc), str(self.a.seconds), str(RESP_CLOSE)]
            + srcs, capture_output=True, text=True,
            timeout=self.a.seconds + 60)
        r = last_json(p.stdout) or {"cps": 0, "failed": -1}
        if fl:
            fl.wait(self.a.seconds + 30)
            r["flood"] = last_json(self.stop(fl)) or {}
        n1 = self.nstat(s_ns)
        r["nstat"] = {k: n1.get(k, 0) - n0.get(k, 0) for k in (
            "TcpExtSyncookiesSent", "TcpExtSyncookiesRecv",
            "TcpExtSyncookiesFailed", "TcpExtListenOverflows",
            "TcpExtListenDrops", "TcpExtTCPReqQFullDoCookies",
            "TcpExtTCPReqQFullDrop", "TcpPassiveOpens")}
        r["server"] = last_json(self.stop(srv))
        note("linux    %-12s legit %8.0f conn/s failed %6s  flood %8.0f "
             "SYN/s written  %s" % (
                 name, r.get("cps", 0), r.get("failed"),
                 (r.get("flood") or {}).get("rate", 0),
                 {k: v for k, v in r["nstat"].items() if v}))
        return r

    def linux_runs(self):
        env = self.linux_setup()
        return {"short": self.linux_run("lx-short", *env, flood=False),
                "short+flood": self.linux_run("lx-flood", *env,
                                              flood=True)}


def ratio(a, b):
    return round(a / b, 3) if b else None


def table(res):
    tt, lx = res["tcpterm"], res.get("linux") or {}
    lines = ["%-28s %14s %14s" % ("", "tcpterm", "linux")]

    def row(label, a, b, fmt="%14.0f"):
        cell = lambda v: (fmt % v) if isinstance(v, (int, float)) \
            else "%14s" % "-"
        lines.append("%-28s %s %s" % (label, cell(a), cell(b)))
    s = tt["short+flood"]["seconds"] or 1
    lf = lx.get("short+flood", {})
    row("legit conn/s, no flood", tt["short"]["cps"],
        lx.get("short", {}).get("cps"))
    row("legit conn/s, under flood", tt["short+flood"]["cps"],
        lf.get("cps"))
    row("  ratio", res["tcpterm_ratio"], res.get("linux_ratio"), "%14.3f")
    row("legit failed, under flood", tt["short+flood"]["failed"],
        lf.get("failed"))
    row("flood SYN/s offered", tt["short+flood"]["flood_syns"] / s,
        (lf.get("flood") or {}).get("rate"))
    row("flood SYN/s, alone", res["flood_alone_rate"], None)
    row("SYN-ACKs/s to the flood", tt["short+flood"]["flood_synacks"] / s,
        None)
    row("SYN_RECEIVED peak", tt["short+flood"]["syn_recv_peak"], None)
    row("conn_limit_drop", tt["short+flood"]["tcpterm"].get(
        "conn_limit_drop"), None)
    row("syncookies sent", tt["short+flood"]["tcpterm"].get(
        "syncookies_sent"), lf.get("nstat", {}).get("TcpExtSyncookiesSent"))
    lines.append("goal: legit conn/s under the flood >= %d%% of without: "
                 "tcpterm %s" % (GOAL * 100, "met" if res["goal_met"]
                                 else "NOT MET"))
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", required=True)
    ap.add_argument("--resdir", required=True)
    ap.add_argument("--stamp", default=time.strftime("%Y%m%d-%H%M%S"))
    ap.add_argument("--seconds", type=float, default=5)
    ap.add_argument("--msl-ms", type=int, default=2000)
    ap.add_argument("--max-tw", type=int, default=4194304)
    ap.add_argument("--conc", type=int, default=2048)
    ap.add_argument("--veth-conc", type=int, default=256)
    ap.add_argument("--mem-mb", type=int, default=256)
    ap.add_argument("--syncookies", default="",
                    help="tcp.syncookies for tcpterm (default: unset)")
    ap.add_argument("--no-huge", action="store_true")
    ap.add_argument("--skip-linux", action="store_true")
    a = ap.parse_args()
    a.tcpterm = os.path.join(a.build, "app", "tcpterm", "tcpterm")
    a.gen = os.path.join(a.build, "app", "tcpterm-gen", "tcpterm-gen")
    a.epoll_server = os.path.join(a.build, "tests", "bench", "epoll_server")
    a.cps_client = os.path.join(a.build, "tests", "bench", "cps_client")
    a.synflood = os.path.join(a.build, "tests", "bench", "synflood")
    os.makedirs(a.resdir, exist_ok=True)
    b = FloodBench(a)
    res = {"seconds": a.seconds, "hugepages": not a.no_huge,
           "syncookies": a.syncookies or None}
    try:
        res["tcpterm"] = b.tcpterm_runs()
        if not a.skip_linux:
            res["linux"] = b.linux_runs()
    finally:
        b.cleanup()
    tt = res["tcpterm"]
    res["tcpterm_ratio"] = ratio(tt["short+flood"]["cps"],
                                 tt["short"]["cps"])
    al = tt["flood-alone"]
    res["flood_alone_rate"] = al["flood_syns"] / (al["seconds"] or 1)
    lx = res.get("linux")
    if lx:
        res["linux_ratio"] = ratio(lx["short+flood"].get("cps", 0),
                                   lx["short"].get("cps", 0))
    res["goal_met"] = (res["tcpterm_ratio"] or 0) >= GOAL
    detail = os.path.join(a.resdir, "synflood-%s-detail.json" % a.stamp)
    with open(detail, "w") as f:
        json.dump(res, f, indent=1)
    print(table(res))
    print("details: " + os.path.relpath(detail, os.path.dirname(
        os.path.dirname(HERE))))
    fl = tt["short+flood"]
    s = fl["seconds"] or 1
    final = {
        "bench": "synflood",
        "tcpterm_cps": round(tt["short"]["cps"]),
        "tcpterm_cps_flood": round(fl["cps"]),
        "tcpterm_ratio": res["tcpterm_ratio"],
        "tcpterm_failed_flood": fl["failed"],
        "flood_offered_sps": round(fl["flood_syns"] / s),
        "flood_alone_sps": round(res["flood_alone_rate"]),
        "flood_synacks_ps": round(fl["flood_synacks"] / s),
        "syn_recv_peak": fl["syn_recv_peak"],
        "conn_limit_drop": fl["tcpterm"].get("conn_limit_drop", 0),
        "syncookies_sent": fl["tcpterm"].get("syncookies_sent"),
        "syncookies_ok": fl["tcpterm"].get("syncookies_ok"),
        "linux_cps": round(lx["short"].get("cps", 0)) if lx else None,
        "linux_cps_flood": round(lx["short+flood"].get("cps", 0))
        if lx else None,
        "linux_ratio": res.get("linux_ratio"),
        "linux_flood_sps": round((lx["short+flood"].get("flood") or {})
                                 .get("rate", 0)) if lx else None,
        "goal": GOAL,
        "goal_met": res["goal_met"],
    }
    print(json.dumps(final, separators=(",", ":")))
    return 0 if res["goal_met"] else 1


if __name__ == "__main__":
    sys.exit(main())
