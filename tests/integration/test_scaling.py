# SPDX-License-Identifier: BSD-3-Clause
"""Two workers (EAL -l 0-1) on net_tap: software steering must put every
packet of a flow on the worker that owns it, with the tap's 2 queues
(the kernel spreads flows by its own hash) and with 1 queue."""

import functools
import json
import os
import subprocess

from harness import (DEFAULT_LIMITS, HERE, PYTHON, Tcpterm,
                     TestFailure, base_config, check, log, wait_until)

N_HTTP = 300
N_ECHO = 100
ECHO_BYTES = 64 * 1024
BODY = 2
MSL_MS = 2000
CLIENT = os.path.join(HERE, "scaling_client.py")


def two_worker_config(queues):
    cfg = base_config(
        [{"port": 80, "app": "http", "close": "after-response",
          "response_body_bytes": BODY},
         {"port": 7, "app": "echo", "close": "on-peer-fin"}],
        tcp={"msl_ms": MSL_MS}, limits=DEFAULT_LIMITS)
    port = "    ipv4: 198.18.0.1/24\n"
    extra = "    queues: %d\n" % queues if queues else ""
    cfg = cfg.replace(port, port + extra, 1)
    return cfg.replace("workers: 1\n", "workers: 2\n", 1)


def cores(t):
    return t.telemetry("/tcpterm/cores")["/tcpterm/cores"]


def run_clients(t):
    """All connections open at once; returns (client result, cores seen
    while they were all open)."""
    params = {"http_port": 80, "echo_port": 7, "http": N_HTTP,
              "echo": N_ECHO, "echo_bytes": ECHO_BYTES, "body_bytes": BODY}
    proc = subprocess.Popen(
        t.ns_argv([PYTHON, CLIENT, json.dumps(params)]),
        stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline().strip()
    if not line.startswith("open"):
        proc.kill()
        raise TestFailure("client: %r %s" % (line, proc.stderr.read()))
    # The client's connect() returns on the SYN-ACK: the last ACKs may
    # still be on their way.
    try:
        busy = wait_until(
            lambda: (lambda b: b if b.get("ESTABLISHED", 0) >=
                     N_HTTP + N_ECHO else None)(t.busy_states()),
            5, interval=0.05, what=lambda: "ESTABLISHED >= %d (%r)"
            % (N_HTTP + N_ECHO, t.busy_states()))
        during = cores(t)
    finally:
        proc.stdin.write("go\n")
        proc.stdin.flush()
    r = t.client_finish(proc, timeout=180)
    log("all %s connections open at once: states %r" % (line[5:], busy))
    return r, during


def scaling_case(queues, want_q):
    cfg = two_worker_config(queues)
    with Tcpterm(cfg, lcores="0-1") as t:
        out = t.output()
        check("steering software" in out, "steering mode not printed:\n%s"
              % t.output_tail())
        check("%u rx / %u tx queues, 2 workers" % (want_q, want_q) in out,
              "queue map:\n%s" % t.output_tail())
        r, during = run_clients(t)
        log("client: %r" % r)
        check(r["http_ok"] == N_HTTP, "HTTP: %d of %d ok" % (r["http_ok"],
                                                           N_HTTP))
        check(r["echo_ok"] == N_ECHO, "echo: %d of %d intact"
              % (r["echo_ok"], N_ECHO))
        # The clients are done once they have their data; their last ACKs
        # and FINs may still be in a steering ring: wait for the rings to
        # drain before comparing the per-core counters.
        def drained():
            cc = cores(t)
            out = sum(cc[w]["steered_out"] for w in cc)
            return cc if out == sum(cc[w]["steered_in"] for w in cc) else None
        c = wait_until(drained, 5, what=lambda: "steering rings to drain: %r"
                       % cores(t))
        for w in ("0", "1"):
            log("worker %s: %r" % (w, {k: c[w][k] for k in (
                "lcore", "conns_opened", "ownership_violations",
                "steered_out", "steered_in", "steer_ring_full",
                "tx_handoff", "rx_packets")}))
            check(during[w]["conns"] > 0, "worker %s held no connection "
                  "while all were open: %r" % (w, during[w]))
        opened = [c[w]["conns_opened"] for w in ("0", "1")]
        check(all(opened), "conns_opened per core %r" % opened)
        check(sum(opened) == N_HTTP + N_ECHO, "conns_opened %r, want %d"
              % (opened, N_HTTP + N_ECHO))
        check(all(c[w]["ownership_violations"] == 0 for w in c),
              "ownership violations: %r" % c)
        check(all(c[w]["steer_ring_full"] == 0 for w in c),
              "steering ring full: %r" % c)
        steered = sum(c[w]["steered_in"] for w in c)
        check(steered > 0, "nothing was steered: %r" % c)
        check(sum(c[w]["steered_out"] for w in c) == steered,
              "steered out != in: %r" % c)
        if want_q == 1:
            check(c["1"]["rxq"] == -1 and c["1"]["tx_handoff"] > 0,
                  "worker 1 with no queue: %r" % c["1"])
        st = t.stats()
        check(st.get("ownership_violations") == 0, "stats: violations")
        check(st.get("conn_opened") == N_HTTP + N_ECHO,
              "stats conn_opened %r (sum over cores)" % st.get("conn_opened"))
        wait_until(lambda: not t.busy_states(), 2 * MSL_MS / 1000.0 + 15,
                   interval=0.5,
                   what=lambda: "states to drain (%r)" % t.busy_states())
        check(t.states().get("TIME_WAIT") == 0, "TIME_WAIT left")
        check(t.alive(), "tcpterm died")


def test_scaling_2workers_2queues():
    """Tap with 2 queues: the kernel picks the queue, we fix ownership."""
    scaling_case(0, 2)


def test_scaling_2workers_1queue():
    """Tap with 1 queue: worker 0 receives all, worker 1 gets its flows
    through the ring and sends through worker 0's queue."""
    scaling_case(1, 1)


def test_scaling_2workers_hostile():
    """The hostile-frame burst with 2 workers and 2 queues: frames are
    steered on their 4-tuple before validation, so the owner must count
    every bad one under its reason, as one worker does."""
    import test_hostile

    saved = (test_hostile.Tcpterm, test_hostile.base_config)
    test_hostile.Tcpterm = functools.partial(Tcpterm, lcores="0-1")
    test_hostile.base_config = lambda *a, **kw: base_config(
        *a, **kw).replace("workers: 1\n", "workers: 2\n", 1)
    try:
        test_hostile.test_hostile_burst()
    finally:
        test_hostile.Tcpterm, test_hostile.base_config = saved
