# SPDX-License-Identifier: BSD-3-Clause
"""Neighbour resolution keeps the packet (RFC 1122 2.3.2.2).

The client knows tcpterm's MAC from a permanent entry, so it never ARPs
for us: tcpterm learns the client's MAC only by asking. The first
SYN-ACK, and the RST for a closed port, must wait for that answer, not
be dropped (that cost a 1 s SYN retransmission before).
"""

from harness import (DEFAULT_LIMITS, PYTHON, SERVER_IP, Tcpterm,
                     base_config, check, deltas, log, wait_until)

HTTP = [{"port": 80, "app": "http", "close": "after-response",
         "response_body_bytes": 2}]
MAC = "02:00:c6:12:00:01"
BOUND = 0.1  # seconds: a SYN retransmission would take 1 s

# Connect once; print the seconds it took and how it ended.
CONNECT = r"""
import socket, sys, time
s = socket.socket()
s.settimeout(5)
t0 = time.monotonic()
try:
    s.connect((%r, int(sys.argv[1])))
    r = "ok"
except ConnectionRefusedError:
    r = "refused"
print(r, time.monotonic() - t0)
"""


def _connect(t, port):
    p = t.ns_run([PYTHON, "-c", CONNECT % SERVER_IP, str(port)])
    check(p.returncode == 0, "connect: %s" % p.stderr[-500:])
    how, secs = p.stdout.split()
    return how, float(secs)


def _static_arp(t):
    t.ns_sh(["ip", "neigh", "replace", SERVER_IP, "lladdr", MAC, "dev",
             t.iface, "nud", "permanent"])


def _held_and_sent(t, before):
    after = wait_until(
        lambda: (lambda s: s if s.get("neigh_held_sent", 0) >
                 before.get("neigh_held_sent", 0) else None)(t.stats()),
        3, what="neigh_held_sent to grow")
    d = deltas(before, after)
    log("deltas %r" % {k: v for k, v in d.items()
                       if "neigh" in k or "arp" in k or "rst" in k})
    check(d.get("neigh_hold_full_drop", 0) == 0 and
          d.get("neigh_hold_timeout_drop", 0) == 0, "drops %r" % d)


def _run(port, want, workers=1):
    cfg = base_config(HTTP, limits=DEFAULT_LIMITS)
    cfg = cfg.replace("workers: 1\n", "workers: %d\n" % workers, 1)
    with Tcpterm(cfg, vdev_extra=",mac=" + MAC,
                 lcores="0-%d" % (workers - 1)) as t:
        _static_arp(t)
        before = t.stats()
        how, secs = _connect(t, port)
        log("port %d: %s in %.3f s" % (port, how, secs))
        check(how == want, "port %d: %s, want %s" % (port, how, want))
        check(secs < BOUND, "port %d: %s after %.3f s (a retransmission?)"
              % (port, how, secs))
        _held_and_sent(t, before)


def test_neigh_hold_synack():
    _run(80, "ok")


def test_neigh_hold_rst():
    _run(81, "refused")


def test_neigh_hold_2workers():
    """Two workers: whichever receives the ARP reply shares it, and the
    worker owning the flow sends what it holds."""
    for port, want in ((80, "ok"), (81, "refused")):
        _run(port, want, workers=2)
