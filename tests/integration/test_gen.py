# SPDX-License-Identifier: BSD-3-Clause
"""tcpterm-gen against tcpterm over a net_memif pair: a short smoke run at
a low rate. Every connection completes, the server's states drain to zero
after 2*MSL, and both sides count the same connections."""

import json
import os
import subprocess
import tempfile

from harness import (binary, check, eal_args, log, telemetry, unique,
                     wait_until, _remove_runtime_dir)

MSL_MS = 500
SERVER = "198.18.20.1"

CONFIG = """\
ports:
  - device: net_memif0
    ipv4: %s/24
workers: 1
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


def gen_binary():
    """Path of tcpterm-gen (TCPTERM_GEN_BIN overrides), next to tcpterm."""
    return os.environ.get("TCPTERM_GEN_BIN", os.path.join(
        os.path.dirname(os.path.dirname(binary())), "tcpterm-gen",
        "tcpterm-gen"))


class MemifPair:
    """tcpterm as the memif server; tcpterm-gen runs as the client."""

    def __init__(self, config=CONFIG):
        self.config = config
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
        argv = ([binary()] + eal_args(self.prefix, 512, vdev)
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

    def gen_start(self, *args):
        """Start tcpterm-gen; it holds the port up after its report, so
        that the server is checked before the memif peer goes away."""
        self.gen_prefix = unique("h")
        lcore = "1" if (os.cpu_count() or 1) > 1 else "0"
        vdev = ("net_memif0,role=client,socket=%s,socket-abstract=no"
                % self.sock)
        argv = ([gen_binary(), "-l", lcore, "--file-prefix",
                 self.gen_prefix, "--no-pci", "--no-huge", "-m", "256",
                 "--vdev=" + vdev, "--", "-q", "--hold", "120"]
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

    def gen_stop(self):
        if self.gen_proc.poll() is None:
            self.gen_proc.terminate()
            try:
                self.gen_proc.wait(20)
            except subprocess.TimeoutExpired:
                self.gen_proc.kill()
                self.gen_proc.wait()
        _remove_runtime_dir(self.gen_prefix)


def busy(states):
    return {k: v for k, v in states.items()
            if v and k not in ("LISTEN", "CLOSED")}


def test_gen_memif_smoke():
    check(os.access(gen_binary(), os.X_OK),
          "no tcpterm-gen binary at %s" % gen_binary())
    rate, seconds = 400, 3
    with MemifPair() as m:
        m.gen_start("-s", "short", "-d", "%s:80" % SERVER, "-r", str(rate),
                    "-t", str(seconds))
        try:
            r = m.gen_result()
            log("short: %d connections, %.0f/s, failed %d, connect p99 "
                "%.0fus, retransmits %d" % (r["completed"], r["cps"],
                                            r["failed"],
                                            r["connect_p99_us"],
                                            r["retransmits"]))
            check(r["failed"] == 0, "%d failed: %r" % (r["failed"], r))
            check(r["opened"] >= rate * seconds * 0.8,
                  "only %d connections opened" % r["opened"])
            check(r["completed"] == r["opened"] == r["requests"],
                  "opened %d completed %d requests %d" % (
                      r["opened"], r["completed"], r["requests"]))
            # Everything drains within 2*MSL (plus the wheel's granularity).
            wait_until(lambda: not busy(m.states()),
                       2 * MSL_MS / 1000.0 + 10, interval=0.2,
                       what=lambda: "states to drain (%r)"
                       % busy(m.states()))
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
            m.gen_stop()


def test_gen_synflood_smoke():
    """-s synflood at a low rate: every spoofed SYN reaches tcpterm, the
    SYN-ACKs come back to the spoofed range, and the generator never
    answers them."""
    check(os.access(gen_binary(), os.X_OK),
          "no tcpterm-gen binary at %s" % gen_binary())
    rate, seconds = 2000, 2
    cfg_gw = CONFIG.replace("    ipv4: %s/24\n" % SERVER,
                            "    ipv4: %s/24\n    gateway: 198.18.20.2\n"
                            % SERVER)
    with MemifPair(cfg_gw) as m:
        before = m.stats()
        m.gen_start("-s", "synflood", "-d", "%s:80" % SERVER, "-r",
                    str(rate), "-t", str(seconds))
        try:
            r = m.gen_result()
            st = wait_until(lambda: (lambda s: s if s["seg_in"] -
                                     before["seg_in"] >= r["flood_syns"]
                                     else None)(m.stats()), 5,
                            what="tcpterm to count the SYNs")
            syn_recv = m.states().get("SYN_RECEIVED", 0)
            opened = st["conn_opened"] - before["conn_opened"]
            log("synflood: %d SYNs, %d SYN-ACKs back; tcpterm: %d "
                "segments in, SYN_RECEIVED %d, conn_opened +%d, "
                "conn_limit_drop +%d" % (
                    r["flood_syns"], r["flood_synacks"],
                    st["seg_in"] - before["seg_in"], syn_recv, opened,
                    st["conn_limit_drop"] - before["conn_limit_drop"]))
            check(r["flood_syns"] >= rate * seconds * 0.8,
                  "only %d SYNs sent" % r["flood_syns"])
            check(r["flood_synacks"] > 0, "no SYN-ACK came back")
            check(r["tx_pkts"] - r["flood_syns"] <= 200,
                  "the generator sent %d frames besides the SYNs"
                  % (r["tx_pkts"] - r["flood_syns"]))
            check(r["completed"] == 0 and r["opened"] == 0,
                  "the flood completed connections: %r" % r)
            check(m.proc.poll() is None, "tcpterm died")
        finally:
            m.gen_stop()


def test_gen_fault_injection():
    """--loss, --reorder, --dup and --delay-us in each direction: every
    connection still completes (tcpterm recovers what is lost), the
    generator counts each kind of fault, and the delay shows in the
    connect time (RTT >= 2 x --delay-us)."""
    check(os.access(gen_binary(), os.X_OK),
          "no tcpterm-gen binary at %s" % gen_binary())
    rate, seconds, delay_us = 100, 3, 1000
    # TIME_WAIT must outlast the generator's retransmissions (1 s, 6
    # times): with 2*MSL = 1 s a FIN retransmitted after its ACK was lost
    # finds the record gone and is answered with a RST.
    with MemifPair(CONFIG.replace("  msl_ms: %d\n" % MSL_MS,
                                  "  msl_ms: 10000\n")) as m:
        before = m.stats()
        m.gen_start("-s", "short", "-d", "%s:80" % SERVER, "-r", str(rate),
                    "-t", str(seconds), "--wait", "30", "--loss", "5",
                    "--reorder", "2", "--dup", "1", "--delay-us",
                    str(delay_us), "--seed", "7")
        try:
            r = m.gen_result(timeout=60)
            st = m.stats()
            kinds = ("loss", "dup", "reorder", "delayed", "line_full")
            log("faults tx %s rx %s" % (
                [r["imp_tx_" + k] for k in kinds],
                [r["imp_rx_" + k] for k in kinds]))
            log("%d connections, failed %d, connect p50 %.0fus, SYN to "
                "response p50 %.0fus p99 %.0fus; retransmits: generator "
                "%d, tcpterm %d" % (
                    r["completed"], r["failed"], r["connect_p50_us"],
                    r["complete_p50_us"], r["complete_p99_us"],
                    r["retransmits"],
                    st["retransmit"] - before["retransmit"]))
            check(r["failed"] == 0, "%d failed: %r" % (r["failed"], r))
            check(r["opened"] >= rate * seconds * 0.8,
                  "only %d connections opened" % r["opened"])
            check(r["completed"] == r["opened"],
                  "opened %d completed %d" % (r["opened"], r["completed"]))
            for d in ("tx", "rx"):
                for k in ("loss", "dup", "reorder", "delayed"):
                    check(r["imp_%s_%s" % (d, k)] > 0,
                          "no %s counted in %s: %r" % (k, d, r))
                check(r["imp_%s_line_full" % d] == 0,
                      "%s delay line overflowed" % d)
            check(r["connect_p50_us"] >= 2 * delay_us,
                  "connect p50 %.0fus is less than the RTT the delay "
                  "makes" % r["connect_p50_us"])
            check(st["retransmit"] > before["retransmit"],
                  "tcpterm retransmitted nothing")
            check(m.proc.poll() is None, "tcpterm died")
        finally:
            m.gen_stop()
