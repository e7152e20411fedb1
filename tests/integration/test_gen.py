# SPDX-License-Identifier: BSD-3-Clause
"""tcpterm-gen against tcpterm over a net_memif pair: a short smoke run at
a low rate, over IPv4 and over IPv6. Every connection completes, the
server's states drain to zero after 2*MSL, both sides count the same
connections, and both exit 0 (tcpterm leaves first while the generator
waits without polling: DPDK 22.11's memif PMD can crash a side that is
polling when its peer disconnects). tcpterm-gen exits 3 when its
connections are refused, 0 with --allow-failures."""

import json
import os
import subprocess
import tempfile

from harness import (PYTHON, ROOT, binary, check, eal_args, log, telemetry,
                     unique, wait_until, _remove_runtime_dir)

MSL_MS = 500
CTL = os.path.join(ROOT, "app", "tcpterm-ctl", "tcpterm-ctl")
SERVER = "198.18.20.1"
SERVER6 = "2001:db8:20::1"
SRC6 = "2001:db8:20::2-2001:db8:20::11"

CONFIG = """\
ports:
  - device: net_memif0
    ipv4: %s/24
%%(ip6)sworkers: 1
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
  msl_ms: %d
  time_wait_reuse: timestamps
limits:
  max_connections: 20000
  max_time_wait: 20000
stats:
  interval_ms: 0
""" % (SERVER, MSL_MS)
CONFIG4 = CONFIG % {"ip6": ""}
# Dual stack: the listeners answer both families.
CONFIG46 = CONFIG % {"ip6": "    ipv6: %s/64\n" % SERVER6}


def gen_binary():
    """Path of tcpterm-gen (TCPTERM_GEN_BIN overrides), next to tcpterm."""
    return os.environ.get("TCPTERM_GEN_BIN", os.path.join(
        os.path.dirname(os.path.dirname(binary())), "tcpterm-gen",
        "tcpterm-gen"))


class MemifPair:
    """tcpterm as the memif server; tcpterm-gen runs as the client."""

    def __init__(self, config=CONFIG4, lcores="0"):
        self.config = config
        self.lcores = lcores
        self.dir = tempfile.mkdtemp(prefix="tcpterm-gen-it-")
        self.sock = os.path.join(self.dir, "memif.sock")
        self.prefix = unique("g")
        self.cfg = os.path.join(self.dir, "tcpterm.yaml")
        self.log = os.path.join(self.dir, "tcpterm.log")
        self.proc = None

    def __enter__(self):
        with open(self.cfg, "w") as f:
            f.write(self.config)
        vdev = ("net_memif0,role=server,socket=%s,socket-abstract=no"
                % self.sock)
        argv = ([binary()] + eal_args(self.prefix, 512, vdev,
                                      lcores=self.lcores)
                + ["--", "-c", self.cfg])
        out = open(self.log, "w")
        self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL,
                                     stdout=out, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        out.close()
        wait_until(lambda: "tcpterm: ready" in self.output() or
                   self.proc.poll() is not None, 60,
                   what="tcpterm ready")
        check(self.proc.poll() is None,
              "tcpterm exited: %s" % self.output()[-2000:])
        wait_until(self._telemetry_up, 10, what="telemetry socket")
        return self

    def _telemetry_up(self):
        try:
            return self.stats() is not None
        except OSError:
            return False

    def __exit__(self, *exc):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        _remove_runtime_dir(self.prefix)
        subprocess.run(["rm", "-rf", "--", self.dir], check=False)
        return False

    def output(self):
        with open(self.log, errors="replace") as f:
            return f.read()

    def stats(self):
        return telemetry(self.prefix, "/tcpterm/stats")["/tcpterm/stats"]

    def states(self):
        return telemetry(self.prefix, "/tcpterm/states")["/tcpterm/states"]

    def telemetry_cmd(self, cmd):
        return telemetry(self.prefix, cmd)[cmd]

    def gen_start(self, *args):
        """Start tcpterm-gen; it holds the port up after its report, so
        that the server is checked before the memif peer goes away, and
        at the end waits without polling for tcpterm to leave first."""
        self.gen_prefix = unique("h")
        lcore = "1" if (os.cpu_count() or 1) > 1 else "0"
        vdev = ("net_memif0,role=client,socket=%s,socket-abstract=no"
                % self.sock)
        argv = ([gen_binary(), "-l", lcore, "--file-prefix",
                 self.gen_prefix, "--no-pci", "--no-huge", "-m", "256",
                 "--vdev=" + vdev, "--", "-q", "--hold", "120",
                 "--close-wait-ms", "20000"]
                + list(args))
        self.gen_out = os.path.join(self.dir, "gen.log")
        out = open(self.gen_out, "w")
        self.gen_proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL,
                                         stdout=out,
                                         stderr=subprocess.STDOUT)
        out.close()

    def gen_result(self, timeout=60):
        """Wait for tcpterm-gen's JSON line (it keeps running)."""
        def result():
            with open(self.gen_out, errors="replace") as f:
                text = f.read()
            for line in text.splitlines():
                if line.startswith("{"):
                    return json.loads(line)
            rc = self.gen_proc.poll()
            check(rc is None, "tcpterm-gen exited (%s): %s"
                  % (rc, text[-2000:]))
            return None
        return wait_until(result, timeout, what="tcpterm-gen's result")

    def gen_output(self):
        with open(self.gen_out, errors="replace") as f:
            return f.read()

    def gen_stop(self):
        """Stop both, the memif server (tcpterm) first: the generator
        stops polling and says so, then tcpterm leaves, then the generator
        closes its side. Returns their exit statuses (generator,
        tcpterm)."""
        if self.gen_proc.poll() is None:
            self.gen_proc.terminate()
            wait_until(lambda: "waiting for the peer" in self.gen_output()
                       or self.gen_proc.poll() is not None, 20,
                       what="tcpterm-gen to stop polling")
        if self.proc.poll() is None:
            self.proc.terminate()
        for p in (self.proc, self.gen_proc):
            try:
                p.wait(30)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        _remove_runtime_dir(self.gen_prefix)
        return self.gen_proc.returncode, self.proc.returncode


def busy(states):
    return {k: v for k, v in states.items()
            if v and k not in ("LISTEN", "CLOSED")}


def smoke(m, rate, seconds, dst, *extra, during=None):
    """A short run at rate for seconds: every connection completes, the
    server drains after 2*MSL and counts what the generator counts.
    during(), if given, runs while the load does. Returns the generator's
    result and the server's counters."""
    m.gen_start("-s", "short", "-d", dst, "-r", str(rate), "-t",
                str(seconds), *extra)
    try:
        if during:
            during()
        r = m.gen_result()
        log("short: %d connections, %.0f/s, failed %d, connect p99 "
            "%.0fus, retransmits %d" % (r["completed"], r["cps"],
                                        r["failed"], r["connect_p99_us"],
                                        r["retransmits"]))
        check(r["failed"] == 0, "%d failed: %r" % (r["failed"], r))
        # The rate is the benchmark's business; here only that the load
        # ran (a loaded machine slows the generator down).
        check(r["opened"] >= rate * seconds * 0.4,
              "only %d connections opened" % r["opened"])
        check(r["completed"] == r["opened"] == r["requests"],
              "opened %d completed %d requests %d" % (
                  r["opened"], r["completed"], r["requests"]))
        # Everything drains within 2*MSL (plus the wheel's granularity).
        wait_until(lambda: not busy(m.states()),
                   2 * MSL_MS / 1000.0 + 10, interval=0.2,
                   what=lambda: "states to drain (%r)" % busy(m.states()))
        st = m.stats()
        log("server: opened %d closed %d TIME_WAIT created %d expired "
            "%d" % (st["conn_opened"], st["conn_closed"],
                    st.get("tw_created", 0), st.get("tw_expired", 0)))
        check(st["conn_opened"] == r["opened"],
              "server opened %d, generator %d" % (st["conn_opened"],
                                                  r["opened"]))
        check(st["conn_opened"] == st["conn_closed"],
              "server opened %d, closed %d" % (st["conn_opened"],
                                               st["conn_closed"]))
        check(st.get("tw_created") == r["completed"] ==
              st.get("tw_expired"),
              "TIME_WAIT created %r, expired %r, for %d connections"
              % (st.get("tw_created"), st.get("tw_expired"),
                 r["completed"]))
        check(m.proc.poll() is None, "tcpterm died")
    finally:
        rc = m.gen_stop()
    check(rc == (0, 0), "exit statuses (tcpterm-gen, tcpterm) %r: %s"
          % (rc, m.gen_output()[-500:]))
    return r, st


def test_gen_memif_smoke():
    check(os.access(gen_binary(), os.X_OK),
          "no tcpterm-gen binary at %s" % gen_binary())
    with MemifPair() as m:
        smoke(m, 400, 3, "%s:80" % SERVER)


def time_wait6(m):
    """The IPv6 TIME_WAIT records tcpterm-ctl ss lists now."""
    p = subprocess.run([PYTHON, CTL, "-f", m.prefix, "ss", "--state",
                        "time-wait"], capture_output=True, text=True,
                       timeout=30)
    check(p.returncode == 0, "tcpterm-ctl ss: %d %s%s"
          % (p.returncode, p.stdout, p.stderr))
    return [line for line in p.stdout.splitlines()
            if "[%s]:80" % SERVER6 in line]


def test_gen_memif_smoke_ipv6():
    """The same over IPv6 against a dual-stack tcpterm: a few thousand
    connections, every one complete; while they run, tcpterm lists IPv6
    TIME_WAIT records."""
    check(os.access(gen_binary(), os.X_OK),
          "no tcpterm-gen binary at %s" % gen_binary())
    seen = []

    def records():
        seen.extend(wait_until(lambda: time_wait6(m), 10, interval=0.2,
                               what="IPv6 TIME_WAIT records in ss"))
    with MemifPair(CONFIG46) as m:
        r, st = smoke(m, 600, 3, "[%s]:80" % SERVER6, "--src", SRC6,
                      during=records)
        check(r["family"] == "ipv6", "the generator spoke %s"
              % r.get("family"))
        log("ss listed %d IPv6 TIME_WAIT records, e.g. %s"
            % (len(seen), seen[0].strip()))
        check(st["drop_ip6_not_us"] == 0, "IPv6 frames dropped: %r" % st)


def refused(allow):
    """Connections to a port with no listener: tcpterm answers each SYN
    with a RST. Returns the generator's result, exit status and output."""
    with MemifPair() as m:
        m.gen_start("-s", "short", "-d", "%s:8080" % SERVER, "-r", "100",
                    "-t", "1", *(["--allow-failures"] if allow else []))
        try:
            r = m.gen_result()
        finally:
            rc, tt_rc = m.gen_stop()
        out = m.gen_output()
    log("refused%s: opened %d, fail_rst %d, exit status %d, last line %r"
        % (" (allowed)" if allow else "", r["opened"], r["fail_rst"], rc,
           out.strip().splitlines()[-1]))
    check(tt_rc == 0, "tcpterm exited %d" % tt_rc)
    check(r["opened"] > 0 and r["fail_rst"] == r["opened"] == r["failed"],
          "opened %d, reset %d, failed %d" % (r["opened"], r["fail_rst"],
                                              r["failed"]))
    return r, rc, out.strip().splitlines()[-1]


def test_gen_refused_exit_status():
    """tcpterm-gen exits 3 when connections failed, and says so on its
    last line; --allow-failures makes that 0."""
    check(os.access(gen_binary(), os.X_OK),
          "no tcpterm-gen binary at %s" % gen_binary())
    r, rc, last = refused(False)
    check(rc == 3, "exit status %d, not 3" % rc)
    check("connection(s) failed" in last and "exit status 3" in last,
          "last line: %r" % last)
    r, rc, last = refused(True)
    check(rc == 0, "exit status %d with --allow-failures" % rc)
    check("allowed" in last, "last line: %r" % last)


def per_worker(m, *extra):
    """Short connections against a tcpterm with two workers; returns the
    generator's result and the connections each worker opened."""
    m.gen_start("-s", "short", "-d", "%s:80" % SERVER, "-r", "300", "-t",
                "2", *extra)
    try:
        r = m.gen_result()
        cores = m.telemetry_cmd("/tcpterm/cores")
    finally:
        rc = m.gen_stop()
    check(rc == (0, 0), "exit statuses %r: %s" % (rc, {
        k: v for k, v in r.items() if k.startswith("fail") or k in (
            "opened", "unfinished", "owner_opened", "retransmits")}))
    check(r["failed"] == 0, "%d failed" % r["failed"])
    opened = [cores[str(w)]["conns_opened"] for w in range(len(cores))]
    log("%s: generator per worker %r, tcpterm per worker %r"
        % (" ".join(extra), r["owner_opened"], opened))
    return r, opened


def test_gen_memif_workers():
    """--workers 2: the generator's connections alternate between
    tcpterm's two workers, and tcpterm counts the same share per worker;
    --owner 1 loads worker 1 only."""
    check(os.access(gen_binary(), os.X_OK),
          "no tcpterm-gen binary at %s" % gen_binary())
    # One queue, as tcpterm-gen has: software steering, and worker 1
    # hands its frames to worker 0's TX queue.
    config = CONFIG4.replace("workers: 1", "workers: 2").replace(
        "    ipv4: %s/24\n" % SERVER,
        "    ipv4: %s/24\n    queues: 1\n" % SERVER)
    with MemifPair(config, lcores="0-1") as m:
        r, opened = per_worker(m, "--workers", "2")
        check(r["owner_opened"] == opened, "generator %r, tcpterm %r"
              % (r["owner_opened"], opened))
        check(abs(opened[0] - opened[1]) <= 1, "uneven: %r" % opened)
    with MemifPair(config, lcores="0-1") as m:
        r, opened = per_worker(m, "--workers", "2", "--owner", "1")
        check(opened[0] == 0 and opened[1] == r["opened"] > 0,
              "tcpterm per worker %r for %d connections"
              % (opened, r["opened"]))
