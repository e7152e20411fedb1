# SPDX-License-Identifier: BSD-3-Clause
"""A spoofed SYN flood through the tap while real curl clients keep
connecting: at least 99% of their requests succeed, and the SYN_RECEIVED
gauge stays within its budget.

The flood comes from tests/bench/synflood (built with tcpterm): a raw
AF_PACKET socket in the client namespace writing SYNs from random
addresses of 198.18.128.0/17 and random ports for FLOOD_S seconds, at
FLOOD_RATE: a rate the tap carries even on a loaded 2-core CI machine
(kernel -> net_tap -> tcpterm tops out at 20-40 K frames/s here, less
while other processes take the CPU). Above what the tap carries, its
queue overflows and the kernel drops the clients' SYNs with the
flood's before tcpterm sees them: that would test the tap, not tcpterm.
The budget (8,192 here) fills in under a second either way, so every
client connects through a SYN cookie; the full-rate flood is
tests/bench/run.sh synflood's job, over memif. tcpterm reaches those addresses through the namespace
(gateway: the client address); the namespace does not forward, so the
SYN-ACKs die there and nothing leaves it.
"""

import os
import subprocess
import threading

from harness import (SERVER_IP, CLIENT_IP, Tcpterm, base_config, binary,
                     check, http_ok, log, time)

FLOOD_NET = "198.18.128.0/17"
FLOOD_S = 9
FLOOD_RATE = 10000
POOL = 16384
CURL_EVERY_S = 0.25
CURL_MAX_S = 4


def synflood_binary():
    """tests/bench/synflood in tcpterm's build (TCPTERM_SYNFLOOD_BIN
    overrides)."""
    build = os.path.dirname(os.path.dirname(os.path.dirname(binary())))
    return os.environ.get("TCPTERM_SYNFLOOD_BIN", os.path.join(
        build, "tests", "bench", "synflood"))


def syn_budget(stats):
    """The SYN_RECEIVED budget tcpterm reports in /tcpterm/stats."""
    check("syn_recv_budget" in stats, "/tcpterm/stats has no "
          "syn_recv_budget")
    return stats["syn_recv_budget"], "/tcpterm/stats syn_recv_budget"


class Curls:
    """One curl started every CURL_EVERY_S seconds in the namespace, each
    waited for in its own thread."""

    def __init__(self, t):
        self.t = t
        self.results = []
        self.threads = []
        self.lock = threading.Lock()

    def one(self):
        p = self.t.ns_run(["curl", "-sS", "-o", "/dev/null", "-w",
                           "%{http_code}", "-m", str(CURL_MAX_S),
                           "http://%s/" % SERVER_IP],
                          timeout=CURL_MAX_S + 10)
        ok = p.returncode == 0 and p.stdout.strip() == "200"
        with self.lock:
            self.results.append((ok, p.stderr.strip()[-120:]))

    def run_until(self, end):
        while time.monotonic() < end:
            th = threading.Thread(target=self.one)
            th.start()
            self.threads.append(th)
            time.sleep(CURL_EVERY_S)

    def join(self):
        for th in self.threads:
            th.join()
        ok = sum(1 for r in self.results if r[0])
        return ok, len(self.results), [e for o, e in self.results if not o]


def sample_states(t, stop, peak):
    while not stop.is_set():
        try:
            n = t.states().get("SYN_RECEIVED", 0)
            peak[0] = max(peak[0], n)
        except Exception:  # A missed sample is no failure.
            pass
        stop.wait(0.25)


def test_synflood_curl():
    flood = synflood_binary()
    check(os.access(flood, os.X_OK), "no synflood binary at %s" % flood)
    cfg = base_config([{"port": 80, "app": "http",
                        "close": "after-response",
                        "response_body_bytes": 2}],
                      limits={"max_connections": POOL,
                              "max_time_wait": 20000},
                      tcp={"msl_ms": 2000}, gateway=CLIENT_IP)
    with Tcpterm(cfg) as t:
        fwd = t.ns_run(["sysctl", "-n", "net.ipv4.ip_forward"]).stdout
        check(fwd.strip() == "0", "the namespace forwards: the flood's "
              "SYN-ACKs would leave it")
        for _ in range(3):
            http_ok(t)
        mac = t.peer_mac()
        before = t.stats()
        budget, source = syn_budget(before)
        cpu = ["taskset", "-c", "1"] if (os.cpu_count() or 1) > 1 else []
        proc = subprocess.Popen(
            t.ns_argv(cpu + [flood, t.iface, mac, SERVER_IP, "80",
                             FLOOD_NET, str(FLOOD_S), str(FLOOD_RATE)]),
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        stop, peak = threading.Event(), [0]
        sampler = threading.Thread(target=sample_states,
                                   args=(t, stop, peak))
        sampler.start()
        curls = Curls(t)
        try:
            time.sleep(1)  # Let the flood fill what it fills.
            curls.run_until(time.monotonic() + FLOOD_S - 1 - CURL_MAX_S)
            ok, total, errors = curls.join()
            out, err = proc.communicate(timeout=FLOOD_S + 20)
        finally:
            stop.set()
            sampler.join()
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        after = t.stats()
        check(proc.returncode == 0, "synflood failed (%s): %s"
              % (proc.returncode, err.strip()[-500:]))
        res = __import__("json").loads(out.strip().splitlines()[-1])
        d = {k: after.get(k, 0) - before.get(k, 0) for k in after
             if isinstance(after.get(k), int)}
        shown = {k: v for k, v in d.items() if v and (
            k.startswith("syncookies") or k in (
                "conn_limit_drop", "table_full", "conn_opened",
                "syn_recv_timeout", "retransmit"))}
        log("flood: %d SYNs written in %.1fs = %.0f SYN/s (%d writes "
            "refused: the tap was full) from %s; tcpterm took in %.0f "
            "segments/s" % (res["sent"], res["seconds"], res["rate"],
                            res["errors"], FLOOD_NET,
                            d.get("seg_in", 0) / res["seconds"]))
        log("curl: %d/%d requests succeeded during the flood%s"
            % (ok, total, (": " + "; ".join(sorted(set(errors))[:3]))
               if errors else ""))
        log("SYN_RECEIVED peak %d (budget %d, %s; pool %d); %s"
            % (peak[0], budget, source, POOL, shown))
        check(t.alive(), "tcpterm died:\n%s" % t.output_tail())
        check(total >= 5, "only %d curl requests ran" % total)
        check(ok >= 0.99 * total, "only %d of %d curl requests succeeded "
              "under a %.0f SYN/s flood (SYN_RECEIVED peak %d, "
              "conn_limit_drop +%d)" % (ok, total, res["rate"], peak[0],
                                         d.get("conn_limit_drop", 0)))
        check(peak[0] <= budget, "SYN_RECEIVED peaked at %d, over its "
              "budget of %d (%s)" % (peak[0], budget, source))
        http_ok(t)
