# SPDX-License-Identifier: BSD-3-Clause
"""Graceful drain (tcpterm-ctl drain, SIGUSR1), its timeout, and
tcpterm-ctl capture read back with tshark; bad input to both."""

import glob
import json
import os
import subprocess
import tempfile

from harness import (HERE, PYTHON, ROOT, SERVER_IP, Tcpterm, base_config,
                     check, log, signal, time, wait_until)

CTL = os.path.join(ROOT, "app", "tcpterm-ctl", "tcpterm-ctl")
DRAIN_CLIENT = os.path.join(HERE, "drain_client.py")


def ctl(prefix, *argv, timeout=60):
    return subprocess.run([PYTHON, CTL, "-f", prefix] + list(argv),
                          capture_output=True, text=True, timeout=timeout)


def drain_config(listeners, timeout_ms, wait_tw=False):
    return base_config(listeners) + ("drain:\n  timeout_ms: %d\n"
                                     "  wait_time_wait: %s\n"
                                     % (timeout_ms, str(wait_tw).lower()))


class DrainClient:
    """drain_client.py in the namespace, driven line by line."""

    def __init__(self, t, mode, **params):
        self.p = subprocess.Popen(
            t.ns_argv([PYTHON, DRAIN_CLIENT, mode, json.dumps(params)]),
            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True)

    def line(self):
        ln = self.p.stdout.readline()
        if not ln:
            raise AssertionError("drain client ended: %s"
                                 % self.p.stderr.read()[-2000:])
        return json.loads(ln)

    def go(self):
        self.p.stdin.write("go\n")
        self.p.stdin.flush()

    def finish(self, timeout=30):
        out, err = self.p.communicate(timeout=timeout)
        check(self.p.returncode == 0, "drain client failed: %s" % err)
        return json.loads(out.strip().splitlines()[-1])


def wait_exit(t, timeout):
    try:
        return t.proc.wait(timeout)
    except subprocess.TimeoutExpired:
        raise AssertionError("tcpterm still running %ds into the drain:\n%s"
                             % (timeout, t.output_tail()))


def drain_lines(t):
    return [ln for ln in t.output().splitlines()
            if ln.startswith("tcpterm: drain")]


def check_left_lines(lines):
    """A drain line's colon introduces the states left: with none left
    it reads "left 0 | TIME_WAIT ...", not "left 0: | TIME_WAIT ..."."""
    bad = [ln for ln in lines if ": |" in ln or " left 0:" in ln]
    check(not bad, "drain lines with nothing after the colon: %r" % bad)


def test_drain_keepalive():
    """tcpterm-ctl drain with an idle and a busy keep-alive client."""
    cfg = drain_config([{"port": 80, "app": "http", "close": "on-peer-fin"}],
                       10000)
    with Tcpterm(cfg) as t:
        c = DrainClient(t, "keepalive", port=80)
        check(c.line() == {"ready": 1}, "client not ready")
        d = subprocess.Popen([PYTHON, CTL, "-f", t.prefix, "drain",
                              "--interval", "0.2"], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
        wait_until(lambda: "tcpterm: draining" in t.output(), 10,
                   what="the drain to start")
        c.go()
        r = c.finish()
        log("client: %r" % r)
        check(r["first_connection_header"] == "keep-alive",
              "before the drain: Connection %r"
              % r["first_connection_header"])
        check(r["new"] == "refused", "new connection while draining: %s"
              % r["new"])
        check(r["busy_connection_header"] == "close",
              "busy response: Connection %r" % r["busy_connection_header"])
        check(r["busy_end"] == "eof" and r["busy_extra"] == 0,
              "busy connection ended by %s (+%d bytes)"
              % (r["busy_end"], r["busy_extra"]))
        check(r["idle_end"] == "eof" and r["idle_extra"] == 0,
              "idle connection ended by %s (+%d bytes)"
              % (r["idle_end"], r["idle_extra"]))
        rc = wait_exit(t, 15)
        out, err = d.communicate(timeout=20)
        log("tcpterm-ctl drain (%d):\n%s" % (d.returncode, out.strip()))
        lines = drain_lines(t)
        log("\n".join(lines))
        check(rc == 0, "tcpterm exit %d:\n%s" % (rc, t.output_tail()))
        check(d.returncode == 0, "tcpterm-ctl drain exit %d: %s"
              % (d.returncode, err))
        check("timeout 10.0 s" in out and "drain: t=" in out and
              "tcpterm exited" in out,
              "no progress from tcpterm-ctl drain: %r" % out)
        done = [ln for ln in lines if "drain done" in ln]
        check(done and " left 0 | " in done[0] and "refused 1 " in done[0]
              and "reset 0" in done[0], "drain end line %r" % done)
        check_left_lines(lines + out.splitlines())
        check("tcpterm: stopping" in t.output(), "no summary")


def test_drain_sigusr1_timeout():
    """SIGUSR1; a client that never closes is reset at the timeout."""
    cfg = drain_config([{"port": 9, "app": "discard",
                         "close": "on-peer-fin"}], 1500, wait_tw=True)
    with Tcpterm(cfg) as t:
        c = DrainClient(t, "hold", port=9)
        check(c.line() == {"ready": 1}, "client not ready")
        t0 = time.monotonic()
        t.proc.send_signal(signal.SIGUSR1)
        wait_until(lambda: "tcpterm: draining" in t.output(), 10,
                   what="the drain to start on SIGUSR1")
        c.go()
        check(c.line() == {"half_closed": "eof"},
              "the held connection did not get tcpterm's FIN")
        rc = wait_exit(t, 15)
        elapsed = time.monotonic() - t0
        c.go()
        r = c.finish()
        lines = drain_lines(t)
        log("exit %d after %.1fs; client %r\n%s"
            % (rc, elapsed, r, "\n".join(lines)))
        check(rc == 0, "tcpterm exit %d" % rc)
        check(any("timeout, resetting" in ln and "FIN_WAIT_2 1" in ln
                  for ln in lines), "no timeout line with the FIN_WAIT_2")
        done = [ln for ln in lines if "drain done" in ln]
        check(done and "reset 1" in done[0] and " left 0 | " in done[0],
              "drain end line %r" % done)
        check_left_lines(lines)
        check(1.4 < elapsed < 8, "drain took %.1fs for a 1.5 s timeout"
              % elapsed)
        check(r["after"] in ("ConnectionResetError", "BrokenPipeError"),
              "after the timeout the client could still send: %r" % r)


def _free_hugepages_mb():
    info = {}
    with open("/proc/meminfo") as f:
        for ln in f:
            k, _, v = ln.partition(":")
            info[k] = v.split()
    return int(info["HugePages_Free"][0]) * int(info["Hugepagesize"][0]) \
        // 1024


def _mount_hugetlbfs():
    """Mount hugetlbfs at /dev/hugepages unless one is mounted: pages
    reserved (nr_hugepages, which a chroot shares with its host) are of
    no use to EAL without it."""
    with open("/proc/mounts") as f:
        if any(ln.split()[2] == "hugetlbfs" for ln in f):
            return
    os.makedirs("/dev/hugepages", exist_ok=True)
    subprocess.run(["mount", "-t", "hugetlbfs", "nodev", "/dev/hugepages"],
                   check=True)


def _ensure_hugepages_mb(mb):
    """Reserve hugepages for mb more MiB if fewer are free (as
    tests/bench/bench_cps.sh does) and see hugetlbfs mounted; the free
    MiB after (0 if it cannot be mounted)."""
    free = _free_hugepages_mb()
    try:
        if free < mb:
            with open("/proc/meminfo") as f:
                size_kb = int([ln.split()[1] for ln in f
                               if ln.startswith("Hugepagesize:")][0])
            with open("/proc/sys/vm/nr_hugepages") as f:
                have = int(f.read())
            with open("/proc/sys/vm/nr_hugepages", "w") as f:
                f.write("%d\n" % (have + (mb - free) * 1024 // size_kb))
        _mount_hugetlbfs()
    except (OSError, subprocess.CalledProcessError) as e:
        log("could not reserve or mount hugepages: %s" % e)
        return 0
    return _free_hugepages_mb()


def test_capture_tshark():
    """tcpterm-ctl capture (dpdk-dumpcap) with a SYN/FIN filter, tshark."""
    free = _ensure_hugepages_mb(256)
    if free < 256:
        raise AssertionError("capture needs hugepages (dpdk-dumpcap "
                             "attaches as a secondary process): %d MiB free"
                             % free)
    cfg = base_config([{"port": 80, "app": "http",
                        "close": "after-response"}])
    fd, path = tempfile.mkstemp(prefix="tcpterm-it-", suffix=".pcapng")
    os.close(fd)
    os.unlink(path)
    old = os.environ.get("TT_HUGE")
    os.environ["TT_HUGE"] = "1"
    t = Tcpterm(cfg, mem_mb=128)
    try:
        with t:
            cap = subprocess.Popen(
                [PYTHON, CTL, "-f", t.prefix, "capture", "-w", path, "-c",
                 "4", "tcp[tcpflags] & (tcp-syn|tcp-fin) != 0"],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            first = ""
            while "Capturing on" not in first:
                ln = cap.stdout.readline()
                if not ln:
                    raise AssertionError("capture did not start: %r %s"
                                         % (first, cap.stderr.read()))
                first += ln
            p = t.ns_run(["curl", "-sS", "-m", "5",
                          "http://%s/" % SERVER_IP])
            check(p.returncode == 0, "curl failed: %s" % p.stderr)
            out, err = cap.communicate(timeout=20)
            log("capture: %s%s" % (first, out.strip()))
            check(cap.returncode == 0, "capture exit %d: %s"
                  % (cap.returncode, err))
        tsh = subprocess.run(["tshark", "-r", path, "-T", "fields", "-e",
                              "ip.src", "-e", "tcp.flags.str"],
                             capture_output=True, text=True, timeout=30)
        log("tshark:\n" + tsh.stdout.strip())
        check(tsh.returncode == 0, "tshark: %s" % tsh.stderr)
        rows = [ln.split("\t") for ln in tsh.stdout.strip().splitlines()]
        flags = [(src, f.replace("\u00b7", "")) for src, f in rows]
        want = [("198.18.0.2", "S"), (SERVER_IP, "AS"),
                (SERVER_IP, "AF"), ("198.18.0.2", "AF")]
        # The response carries the server's FIN (PSH too).
        got = [(s, "".join(sorted(f.replace("P", "")))) for s, f in flags]
        check(got == [(s, "".join(sorted(f))) for s, f in want],
              "captured %r, want SYN, SYN-ACK, then both FINs" % flags)
    finally:
        if old is None:
            del os.environ["TT_HUGE"]
        else:
            os.environ["TT_HUGE"] = old
        for f in glob.glob("/dev/hugepages/%smap_*" % t.prefix):
            os.unlink(f)
        if os.path.exists(path):
            os.unlink(path)


def test_drain_capture_bad_input():
    """Unreachable instance, bad arguments, capture without hugepages."""
    cases = [
        (["drain"], "cannot reach"),
        (["capture", "-w", "/tmp/x.pcapng"], "cannot reach"),
        (["drain", "--timeout", "0"], "out of range"),
        (["drain", "--timeout", "soon"], "not a number"),
        (["capture"], "-w"),
        (["capture", "-w", "/tmp/x.pcapng", "-c", "-1"], "positive"),
        (["capture", "-w", "/nonexistent/dir/x.pcapng"], "not writable"),
    ]
    for argv, want in cases:
        p = ctl("tt-nosuch-instance", *argv)
        check(p.returncode == 2 and want in p.stderr,
              "%s: exit %d, stderr %r" % (argv, p.returncode, p.stderr))
    cfg = base_config([{"port": 80, "app": "http"}])
    with Tcpterm(cfg) as t:  # --no-huge: no secondary can attach
        path = tempfile.mktemp(prefix="tcpterm-it-", suffix=".pcapng")
        p = ctl(t.prefix, "capture", "-w", path, "-c", "1")
        log("capture on --no-huge: %d %s" % (p.returncode, p.stderr.strip()))
        check(p.returncode == 2 and "hugepages" in p.stderr,
              "capture on --no-huge: exit %d %r" % (p.returncode, p.stderr))
        if os.path.exists(path):
            os.unlink(path)
        check(t.alive(), "tcpterm died of a failed capture")
        check(t.telemetry("/tcpterm/drain,abc")["/tcpterm/drain"] is None,
              "/tcpterm/drain took a bad timeout")
        check(t.alive() and "draining" not in t.output(),
              "a refused drain command started a drain")


def test_alert_rules_promtool():
    """The sample alert rules load in Prometheus (promtool)."""
    rules = os.path.join(ROOT, "config", "prometheus", "tcpterm-alerts.yml")
    p = subprocess.run(["promtool", "check", "rules", rules],
                       capture_output=True, text=True, timeout=60)
    log(p.stdout.strip())
    check(p.returncode == 0, "promtool: %s%s" % (p.stdout, p.stderr))
    with open(rules) as f:
        text = f.read()
    for state, n in (("FIN_WAIT_1", 100), ("FIN_WAIT_2", 500),
                     ("CLOSE_WAIT", 100), ("CLOSING", 50),
                     ("LAST_ACK", 100)):
        check('state="%s"}) > %d' % (state, n) in text,
              "no %s > %d rule" % (state, n))
    check("tcpterm_time_wait_entries) > 0.8 *" in text, "no TIME_WAIT rule")
