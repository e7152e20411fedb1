# SPDX-License-Identifier: BSD-3-Clause
"""tcpterm-ctl and /metrics against real Linux clients through the tap:
ss lists held connections and TIME_WAIT records with the right
addresses, states agrees, monitor --once exits 0/1/2 around a threshold,
bad input exits 2 with a message, promtool accepts /metrics, a gauge
matches telemetry, and a real Prometheus scrapes the target up."""

import json
import os
import shutil
import socket
import subprocess
import tempfile
import urllib.request

from harness import (CLIENT, CLIENT_IP, PYTHON, ROOT, SERVER_IP, Tcpterm,
                     base_config, check, log, wait_until)

CTL = os.path.join(ROOT, "app", "tcpterm-ctl", "tcpterm-ctl")
N_HELD = 20
N_CLOSED = 30


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def ctl(t, *args, timeout=30):
    p = subprocess.run([PYTHON, CTL, "-f", t.prefix] + list(args),
                       capture_output=True, text=True, timeout=timeout)
    return p.returncode, p.stdout, p.stderr


def ctl_json(t, *args):
    rc, out, err = ctl(t, *args)
    check(rc == 0, "tcpterm-ctl %s: exit %d: %s" % (" ".join(args), rc, err))
    return json.loads(out)


def config(metrics_port):
    return base_config(
        [{"port": 80, "app": "http", "close": "after-response",
          "response_body_bytes": 2}],
        tcp={"msl_ms": 60000},
        limits={"max_connections": 2000, "max_time_wait": 2000}) + \
        "metrics:\n  listen: 127.0.0.1:%d\n" % metrics_port


def held_connections(t):
    proc = subprocess.Popen(
        t.ns_argv([PYTHON, CLIENT, "hold",
                   json.dumps({"port": 80, "count": N_HELD})]),
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    ports = json.loads(proc.stdout.readline())["ports"]
    return proc, ports


def check_held(t, ports):
    wait_until(lambda: t.states()["ESTABLISHED"] == N_HELD, 10,
               what="%d ESTABLISHED" % N_HELD)
    recs = ctl_json(t, "ss", "--state", "established", "--json")
    check(len(recs) == N_HELD, "ss listed %d, want %d" % (len(recs), N_HELD))
    check(sorted(r["rport"] for r in recs) == sorted(ports),
          "ss ports %r != client ports %r"
          % (sorted(r["rport"] for r in recs), sorted(ports)))
    for r in recs:
        check(r["local"] == SERVER_IP and r["lport"] == 80 and
              r["remote"] == CLIENT_IP, "bad addresses: %r" % r)
        check(r["age_ms"] is not None and r["age_ms"] < 60000,
              "bad age: %r" % r)
    st = ctl_json(t, "states", "--json")
    check(st["total"]["ESTABLISHED"] == N_HELD and
          st["workers"]["0"]["ESTABLISHED"] == N_HELD,
          "states disagrees: %r" % st["total"])
    rc, out, _ = ctl(t, "ss", "-o", "--limit", "5")
    check(rc == 0 and len(out.splitlines()) == 6, "ss --limit 5:\n" + out)
    log("ss -o --limit 5:\n" + out.rstrip())


def check_time_wait(t):
    r = t.client("http", port=80, count=N_CLOSED, body_bytes=2, timeout=5)
    check(r["ok"] == N_CLOSED, "requests failed: %r" % r)
    tw = wait_until(lambda: t.states()["TIME_WAIT"] or None, 10,
                    what="TIME_WAIT records")
    recs = ctl_json(t, "ss", "--state", "time-wait", "--json")
    check(len(recs) == tw, "ss listed %d TIME_WAIT, states says %d"
          % (len(recs), tw))
    check(all(r["timer"] == "timewait" and 0 < r["timer_ms"] <= 120000
              for r in recs), "bad TIME_WAIT timers: %r" % recs[:3])
    by = ctl_json(t, "ss", "--by-remote", "--json")
    check(by == [{"remote": CLIENT_IP, "count": tw + N_HELD}],
          "--by-remote: %r (want %d)" % (by, tw + N_HELD))
    none = ctl_json(t, "ss", "--remote", "10.0.0.0/8", "--json")
    check(none == [], "--remote 10/8 listed %r" % none[:3])
    return tw


def check_monitor(t, tw):
    cases = [((), 0),
             (("--warn", "TIME_WAIT=%d" % (tw - 1)), 1),
             (("--warn", "ESTABLISHED=1", "--crit",
               "established=%d" % (N_HELD - 1)), 2),
             (("--warn", "TIME_WAIT=%d" % tw), 0)]
    for extra, want in cases:
        rc, out, err = ctl(t, "monitor", "--once", "--interval", "0.2",
                           *extra)
        check(rc == want, "monitor --once %s: exit %d, want %d\n%s%s"
              % (" ".join(extra), rc, want, out, err))
        log("monitor %s -> %d: %s" % (" ".join(extra), rc,
                                      out.splitlines()[0][:100]))


def check_bad_input(t):
    cases = [("ss", "--state", "fin-wait-3"),
             ("monitor", "--once", "--warn", "BOGUS=1"),
             ("monitor", "--once", "--crit", "TIME_WAIT=many"),
             ("ss", "--remote", "300.1.2.3/8")]
    for args in cases:
        rc, out, err = ctl(t, *args)
        check(rc == 2 and err.strip() and "Traceback" not in err,
              "%s: exit %d, stderr %r" % (args, rc, err))
    p = subprocess.run([PYTHON, CTL, "-f", "tt-no-such-prefix", "states"],
                       capture_output=True, text=True, timeout=30)
    check(p.returncode == 2 and "cannot reach" in p.stderr,
          "unreachable: exit %d, %r" % (p.returncode, p.stderr))


def scrape(port):
    with urllib.request.urlopen("http://127.0.0.1:%d/metrics" % port,
                                timeout=5) as r:
        return r.read().decode()


def check_metrics(t, port):
    text = scrape(port)
    p = subprocess.run(["promtool", "check", "metrics"], input=text,
                       capture_output=True, text=True, timeout=30)
    check(p.returncode == 0, "promtool check metrics: %s%s"
          % (p.stdout, p.stderr))
    tw = t.states()["TIME_WAIT"]
    want = 'tcpterm_time_wait_entries{worker="0"} %d' % tw
    check(want in text, "no %r in /metrics" % want)
    est = 'tcpterm_connections{worker="0",state="ESTABLISHED"} %d' % N_HELD
    check(est in text, "no %r in /metrics" % est)
    try:
        urllib.request.urlopen("http://127.0.0.1:%d/other" % port,
                               timeout=5)
        check(False, "/other did not answer 404")
    except urllib.error.HTTPError as e:
        check(e.code == 404, "/other: %d" % e.code)


def check_prometheus(port):
    d = tempfile.mkdtemp(prefix="tt-ctl-prom-")
    listen = free_port()
    cfg = os.path.join(d, "prometheus.yml")
    with open(cfg, "w") as f:
        f.write("global:\n  scrape_interval: 1s\nscrape_configs:\n"
                "  - job_name: tcpterm\n    static_configs:\n"
                "      - targets: ['127.0.0.1:%d']\n" % port)
    proc = subprocess.Popen(
        ["prometheus", "--config.file=" + cfg,
         "--storage.tsdb.path=" + os.path.join(d, "data"),
         "--web.listen-address=127.0.0.1:%d" % listen],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        def up():
            try:
                with urllib.request.urlopen(
                        "http://127.0.0.1:%d/api/v1/query?query=up"
                        % listen, timeout=2) as r:
                    res = json.loads(r.read())["data"]["result"]
            except OSError:
                return None
            return res if res and res[0]["value"][1] == "1" else None
        res = wait_until(up, 30, interval=0.5, what="prometheus up == 1")
        log("prometheus: up{job=%s} = %s"
            % (res[0]["metric"].get("job"), res[0]["value"][1]))
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        shutil.rmtree(d, ignore_errors=True)


def test_ctl():
    port = free_port()
    with Tcpterm(config(port)) as t:
        proc, ports = held_connections(t)
        try:
            check_held(t, ports)
            tw = check_time_wait(t)
            check_monitor(t, tw)
            check_bad_input(t)
            check_metrics(t, port)
            if shutil.which("prometheus"):
                check_prometheus(port)
            else:
                check(False, "prometheus is not installed (tests/deps.sh)")
        finally:
            proc.stdin.close()
            proc.wait(30)


def test_ctl_unreachable():
    """With no instance behind the prefix every command fails alone: an
    error on stderr, exit 2, and nothing on stdout that reads as an
    answer (ss printed its table header, an empty listing, first);
    monitor --once still gives Nagios/Icinga its status line, CRITICAL
    with the reason, as the first line of stdout."""
    prefix = "tt-no-such-prefix"
    for args in (["states"], ["ports"], ["ss"], ["ss", "--by-remote"],
                 ["drain"]):
        p = subprocess.run([PYTHON, CTL, "-f", prefix] + args,
                           capture_output=True, text=True, timeout=30)
        log("%-14s exit %d, stdout %r" % (" ".join(args), p.returncode,
                                          p.stdout[:60]))
        check(p.returncode == 2 and "cannot reach" in p.stderr,
              "%s: exit %d, %r" % (args, p.returncode, p.stderr))
        check(p.stdout == "", "%s: stdout %r with no instance"
              % (args, p.stdout))
    p = subprocess.run([PYTHON, CTL, "-f", prefix, "monitor", "--once",
                        "--interval", "0.1"],
                       capture_output=True, text=True, timeout=30)
    first = (p.stdout.splitlines() or [""])[0]
    log("monitor --once exit %d, %r" % (p.returncode, first[:70]))
    check(p.returncode == 2 and first.startswith("TCPTERM CRITICAL - ")
          and "cannot reach" in first,
          "monitor --once: exit %d, stdout %r" % (p.returncode, p.stdout))
