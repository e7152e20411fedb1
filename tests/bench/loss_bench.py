#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""The loss benchmark (tests/bench/run.sh loss).

(a) curl downloads a 4 MiB body from tcpterm and from nginx while nft
    drops a share of what the server sends (input hook of the client's
    namespace); (b) a client uploads 4 MiB to tcpterm's discard listener
    and to a Linux discard server through a router namespace whose
    forward hook drops the same share (tests/integration/loss_topo.py);
    medians of LOSS_RUNS transfers (default 3) at 0, 1, 2 and 5% loss, a
    transfer longer than LOSS_TIMEOUT seconds (default 30) counts as
    that. (c) tcpterm-gen against tcpterm over memif, short connections
    at LOSS_GEN_RATE/s (default 500) for 5 s with --loss P and
    --delay-us 1000 each way: connections/s and the SYN-to-response
    p50/p99. Prints a table, then one JSON line.
"""

import json
import os
import statistics
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "integration"))

from loss_topo import LossLab, SERVER_IP, S_IP  # noqa: E402
import test_gen  # noqa: E402

BODY = 4 << 20
LOSSES = (0, 10, 20, 50)        # per mille
RUNS = int(os.environ.get("LOSS_RUNS", "3"))
TIMEOUT = float(os.environ.get("LOSS_TIMEOUT", "30"))
GEN_RATE = int(os.environ.get("LOSS_GEN_RATE", "500"))
GEN_SECONDS = 5
GEN_DELAY_US = 1000


def median(xs):
    """Median of the runs; a failed run (None) counts as TIMEOUT."""
    return statistics.median(TIMEOUT if x is None else x for x in xs)


def failures(xs):
    return sum(1 for x in xs if x is None)


COUNTERS = ("retransmit", "rto", "fast_recovery", "tlp_probe", "rack_lost",
            "rack_reorder_timer", "ooo_queued", "bytes_in", "bytes_out")


def counters(before, after):
    """What tcpterm's recovery counters did between two snapshots."""
    return {k: after.get(k, 0) - before.get(k, 0) for k in COUNTERS}


def transfers(lab):
    res = {"download": {"tcpterm": {}, "linux": {}},
           "upload": {"tcpterm": {}, "linux": {}}}
    res["timeouts"] = json.loads(json.dumps(res))
    res["download_counters"] = {}
    before = lab.t.stats()
    for pm in LOSSES:
        key = "%g" % (pm / 10.0)
        lab.set_loss(pm, 0)
        for side, host, path in (("tcpterm", SERVER_IP, "/"),
                                 ("linux", S_IP, "/body")):
            c0 = lab.t.stats() if side == "tcpterm" else None
            runs = [lab.download(host, path, limit=TIMEOUT)[0]
                    for _ in range(RUNS)]
            if c0 is not None:
                res["download_counters"][key] = counters(c0, lab.t.stats())
            res["download"][side][key] = median(runs)
            res["timeouts"]["download"][side][key] = failures(runs)
            print("  download %-7s %4s%% loss: %s" % (side, key, runs),
                  flush=True)
        lab.set_loss(0, pm)
        for side, host in (("tcpterm", SERVER_IP), ("linux", S_IP)):
            runs = [lab.upload(host, BODY, limit=TIMEOUT)
                    for _ in range(RUNS)]
            res["upload"][side][key] = median(runs)
            res["timeouts"]["upload"][side][key] = failures(runs)
            print("  upload   %-7s %4s%% loss: %s" % (side, key, runs),
                  flush=True)
    res["tcpterm_counters"] = counters(before, lab.t.stats())
    return res


GEN_CONFIG = test_gen.CONFIG4.replace("  msl_ms: 500\n", "  msl_ms: 2000\n")


def gen_run(pct):
    with test_gen.MemifPair(GEN_CONFIG) as m:
        m.gen_start("-s", "short", "-d", "%s:80" % test_gen.SERVER,
                    "-r", str(GEN_RATE), "-t", str(GEN_SECONDS),
                    "--wait", "20", "--loss", str(pct), "--delay-us",
                    str(GEN_DELAY_US), "--seed", "1", "--allow-failures")
        try:
            r = m.gen_result(timeout=GEN_SECONDS + 60)
        finally:
            m.gen_stop()
    return {"cps": r["cps"], "completed": r["completed"],
            "failed": r["failed"], "p50_ms": r["complete_p50_us"] / 1e3,
            "p99_ms": r["complete_p99_us"] / 1e3,
            "retransmits_gen": r["retransmits"],
            "lost_tx": r["imp_tx_loss"], "lost_rx": r["imp_rx_loss"]}


def slowdown(row, key):
    base = row.get("0")
    return row[key] / base if base else float("nan")


def cell(row, timeouts, key):
    text = "%.3f (x%.1f)" % (row[key], slowdown(row, key))
    if timeouts[key]:
        text += ", %d of %d timed out" % (timeouts[key], RUNS)
    return text


def print_table(res):
    print("\n4 MiB transfers, median of %d, seconds (slowdown against "
          "0%%); timeout %.0f s" % (RUNS, TIMEOUT))
    print("| direction | loss | tcpterm | Linux |")
    print("|---|---|---|---|")
    for d in ("download", "upload"):
        t, lx = res[d]["tcpterm"], res[d]["linux"]
        to = res["timeouts"][d]
        for key in t:
            print("| %s | %s%% | %s | %s |" % (
                d, key, cell(t, to["tcpterm"], key),
                cell(lx, to["linux"], key)))
    print("\ntcpterm's counters over the %d downloads at each loss"
          % RUNS)
    for key, k in res["download_counters"].items():
        print("  %s%%: %s" % (key, " ".join(
            "%s=%d" % (n, v) for n, v in k.items() if n in COUNTERS[:6])))
    print("\ntcpterm-gen short connections over memif, %d/s for %d s, "
          "--delay-us %d each way" % (GEN_RATE, GEN_SECONDS, GEN_DELAY_US))
    print("| loss | conn/s | failed | SYN-to-response p50 ms | p99 ms |")
    print("|---|---|---|---|---|")
    for key, g in res["gen"].items():
        print("| %s%% | %.0f | %d | %.2f | %.2f |" % (
            key, g["cps"], g["failed"], g["p50_ms"], g["p99_ms"]))


def main():
    res = {"bench": "loss", "runs": RUNS, "timeout_s": TIMEOUT,
           "body_bytes": BODY}
    if os.environ.get("LOSS_SKIP_TRANSFERS") != "1":
        with LossLab(BODY, linux=True) as lab:
            res.update(transfers(lab))
    res["gen"] = {}
    if os.environ.get("LOSS_SKIP_GEN") != "1":
        for pct in (0, 1, 2, 5):
            res["gen"]["%g" % pct] = gen_run(pct)
            print("  gen %g%%: %r" % (pct, res["gen"]["%g" % pct]),
                  flush=True)
    if "download" in res:
        print_table(res)
    print(json.dumps(res, sort_keys=True, separators=(",", ":")))


if __name__ == "__main__":
    main()
