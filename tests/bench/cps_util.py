# SPDX-License-Identifier: BSD-3-Clause
"""Helpers of the cps benchmark: processes, namespaces, CPU accounting,
tcpterm's memory report."""

import json
import os
import re
import subprocess
import time

def read(path):
    try:
        with open(path, errors="replace") as f:
            return f.read()
    except OSError:
        return ""


def last_json(text):
    for line in reversed((text or "").strip().splitlines()):
        line = line.strip()
        if line.startswith("{"):
            try:
                return json.loads(line)
            except ValueError:
                return None
    return None


def sh(argv, check=True):
    p = subprocess.run(argv, capture_output=True, text=True)
    if check and p.returncode != 0:
        raise RuntimeError("%s: %s" % (" ".join(argv), p.stderr.strip()))
    return p


def nsh(ns, argv, check=True):
    return sh(["ip", "netns", "exec", ns] + argv, check)


def cpu_times():
    """{cpu index: (busy, total)} jiffies from /proc/stat."""
    out = {}
    with open("/proc/stat") as f:
        for line in f:
            m = re.match(r"cpu(\d+)\s+(.*)", line)
            if not m:
                continue
            v = [int(x) for x in m.group(2).split()]
            idle = v[3] + (v[4] if len(v) > 4 else 0)
            out[int(m.group(1))] = (sum(v[:8]) - idle, sum(v[:8]))
    return out


class CpuMeter:
    def start(self):
        self.t0 = cpu_times()

    def stop(self):
        t1 = cpu_times()
        shares = {}
        for c in t1:
            db = t1[c][0] - self.t0.get(c, (0, 0))[0]
            dt = t1[c][1] - self.t0.get(c, (0, 0))[1]
            shares[c] = db / float(dt) if dt else 0.0
        return [shares.get(0, 0.0), shares.get(1, 0.0)]


class ProcCpu:
    """CPU time of one process (user + system) as a share of wall time."""

    def __init__(self, pid):
        self.pid = pid
        self.t0 = time.monotonic()
        self.c0 = self.ticks()

    def ticks(self):
        try:
            with open("/proc/%d/stat" % self.pid) as f:
                v = f.read().rsplit(")", 1)[1].split()
            return int(v[11]) + int(v[12])
        except (OSError, IndexError, ValueError):
            return None

    def share(self):
        c1 = self.ticks()
        dt = time.monotonic() - self.t0
        if c1 is None or self.c0 is None or dt <= 0:
            return None
        return (c1 - self.c0) / float(os.sysconf("SC_CLK_TCK")) / dt


def mem_pools(log):
    """{pool: bytes} from tcpterm's 'memory per worker' line."""
    m = re.search(r"memory per worker:(.*)", log)
    if not m:
        return {}
    return {name.strip(): float(mib) * (1 << 20) for name, mib in
            re.findall(r"\s*([\w\- ]+?) ([\d.]+) MiB", m.group(1))}


def tw_bytes_per_entry(log, max_tw, max_conn):
    """A TIME_WAIT entry's cost: its record, plus its share of the flow
    table (sized for connections and TIME_WAIT entries together)."""
    pools = mem_pools(log)
    tw = sum(v for k, v in pools.items() if "time" in k or "tw" in k)
    flow = sum(v for k, v in pools.items() if "flow" in k)
    if not tw:
        return None
    return tw / float(max_tw) + flow / float(max_tw + max_conn)


def linux_tw_objsize():
    try:
        with open("/proc/slabinfo") as f:
            for line in f:
                if line.startswith("tw_sock_TCP "):
                    return int(line.split()[3])
    except OSError:
        pass
    return None


def per_second(path):
    """Each whole second of a tcpterm-gen --series file: [(t, conn/s,
    connect p99 us, generator busy share)], without the last interval
    when it is shorter than 0.9 s (the run's tail). A slow second with
    the generator idle and the connect latency up was the server's."""
    out, last_t = [], 0.0
    for line in read(path).splitlines()[1:]:
        f = line.split(",")
        try:
            row = (float(f[0]), float(f[1]), float(f[8]), float(f[10]))
        except (IndexError, ValueError):
            continue
        if row[0] - last_t >= 0.9:
            out.append(row)
        last_t = row[0]
    return out


def steadiness(rates):
    """How far the worst second is from the median second, as a share of
    the median (0.05: every second within 5%)."""
    v = sorted(r[1] for r in rates)
    if not v:
        return None
    med = v[len(v) // 2] if len(v) % 2 else (v[len(v) // 2 - 1] +
                                             v[len(v) // 2]) / 2.0
    worst = max(abs(c - med) for c in v) / med if med else None
    return {"seconds": len(v), "median": med, "min": v[0], "max": v[-1],
            "worst_from_median": worst}


def proc_faults(pid):
    """Minor page faults of a process so far."""
    with open("/proc/%d/stat" % pid) as f:
        return int(f.read().rsplit(")", 1)[1].split()[7])


def fault_rates(samples):
    """From [(t, minor faults)] samples: [(t, faults/s)] of each interval
    (did the server fault while TIME_WAIT filled?). Its CPU share says
    nothing here: the worker polls, busy or not."""
    return [(round(b[0], 1), round((b[1] - a[1]) / (b[0] - a[0])))
            for a, b in zip(samples, samples[1:]) if b[0] > a[0]]
