# SPDX-License-Identifier: BSD-3-Clause
"""Malformed and hostile frames: each is counted under its drop reason,
none creates a connection, and tcpterm keeps serving."""

import os
import subprocess

from harness import (DEFAULT_LIMITS, HERE, PYTHON, SERVER_IP, Tcpterm,
                     TestFailure, base_config, check, http_ok, log,
                     wait_until)

# Category -> counters that may account for it (the first is the reason
# the frame is expected under; the others are acceptable because the
# order of checks decides which fault is seen first).
# A frame shorter than an Ethernet header cannot be sent through the
# kernel (packet sockets refuse it), so drop_eth_short is only checked to
# exist; the unit tests cover it.
EXPECT = {
    "ip_short": ["drop_ip_short"],
    "ip_version": ["drop_ip_version"],
    "ip_ihl0": ["drop_ip_ihl", "drop_ip_short"],
    "ip_ihl3": ["drop_ip_ihl", "drop_ip_short"],
    "ip_totlen": ["drop_ip_totlen"],
    "ip_csum": ["drop_ip_csum"],
    "ip_frag_mf": ["drop_ip_frag"],
    "ip_frag_off": ["drop_ip_frag"],
    "icmp_csum": ["drop_icmp_csum"],
    "tcp_short": ["drop_tcp_short"],
    "tcp_doff_small": ["drop_tcp_doff", "drop_tcp_short"],
    "tcp_doff_big": ["drop_tcp_doff", "drop_tcp_short"],
    "tcp_csum": ["drop_tcp_csum"],
    "syn_fin": ["drop_syn_fin"],
    "syn_rst": ["drop_syn_rst"],
    "xmas": None,  # No SYN, RST or ACK to a listener: any drop counter.
    "null_flags": ["drop_null_flags"],
    "opt_len0": ["drop_tcp_opts"],
    "opt_overrun": ["drop_tcp_opts"],
    "opt_len1": ["drop_tcp_opts"],
}


def drops(stats):
    return {k: v for k, v in stats.items() if k.startswith("drop_")}


def accounted(before, after, names):
    if names is None:
        names = list(drops(after))
    return sum(after.get(n, 0) - before.get(n, 0) for n in names)


def test_hostile_burst():
    cfg = base_config([{"port": 80, "app": "http",
                        "close": "after-response",
                        "response_body_bytes": 2}], limits=DEFAULT_LIMITS)
    with Tcpterm(cfg) as t:
        http_ok(t)
        mac = t.peer_mac()
        start = t.stats()
        missing = sorted({names[0] for names in EXPECT.values()
                          if names and names[0] not in start} |
                         {"drop_eth_short"} - set(start))
        gen = subprocess.Popen(
            t.ns_argv([PYTHON, os.path.join(HERE, "hostile_frames.py"),
                       t.iface, mac]),
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        failures, total = [], 0
        try:
            hello = gen.stdout.readline()
            check(hello.startswith("ready"), "generator: %r" % hello)
            for cat, names in EXPECT.items():
                before = t.stats()
                gen.stdin.write(cat + "\n")
                gen.stdin.flush()
                ans = gen.stdout.readline().strip()
                if not ans.startswith("sent "):
                    log("%-15s not sent: %s" % (cat, ans))
                    continue
                n = int(ans.split()[1])
                total += n
                try:
                    after = wait_until(
                        lambda: (lambda s: s if accounted(before, s, names)
                                 >= n else None)(t.stats()),
                        3, interval=0.05, what=cat)
                except TestFailure:
                    after = t.stats()
                    failures.append(cat)
                d = {k: v - before.get(k, 0) for k, v in after.items()
                     if (k.startswith("drop_") or k.startswith("rst_")
                         or k == "conn_opened")
                     and v != before.get(k, 0)}
                log("%-15s sent %3d  %s%s" % (cat, n, d,
                    "" if cat not in failures else
                    "  <- want %d in %s" % (n, names)))
        finally:
            gen.stdin.close()
            gen.wait(10)
        end = t.stats()
        log("%d hostile frames sent" % total)
        check(not missing, "drop counters missing from /tcpterm/stats: %s"
              % missing)
        check(not failures, "not accounted under the expected drop "
              "counter: %s" % failures)
        opened = end.get("conn_opened", 0) - start.get("conn_opened", 0)
        check(opened == 0, "hostile frames opened %d connections" % opened)
        check(t.alive(), "tcpterm died:\n%s" % t.output_tail())
        http_ok(t)
        check(t.alive(), "tcpterm died")


# Open n connections to port 9 of argv[1], each connect() bounded to
# 1.5 s, keep them; then close the first, open one more, and print how
# many of the first n were accepted and whether the last one was.
SOURCE_CLIENT = r"""
import socket, sys, time
host, n = sys.argv[1], int(sys.argv[2])
def conn():
    s = socket.socket()
    s.settimeout(1.5)
    try:
        s.connect((host, 9))
        return s
    except OSError:
        s.close()
        return None
socks = [conn() for _ in range(n)]
ok = [s for s in socks if s is not None]
ok[0].close()
time.sleep(0.5)
last = conn()
print(len(ok), last is not None)
"""


def test_source_limit():
    """limits.max_connections_per_source: 3 here. A Linux client in the
    namespace, one source, opens five connections: three are accepted,
    the two SYNs over the limit get no answer (the kernel's connect()
    times out), counted in source_limit_drop; once one of the three is
    closed the source gets in again."""
    cfg = base_config([{"port": 9, "app": "discard",
                        "close": "on-peer-fin"}],
                      limits=dict(DEFAULT_LIMITS,
                                  max_connections_per_source=3))
    with Tcpterm(cfg) as t:
        p = t.ns_run([PYTHON, "-c", SOURCE_CLIENT, SERVER_IP, "5"],
                     timeout=30)
        check(p.returncode == 0, "client: %r" % p.stderr[-500:])
        accepted, last = p.stdout.split()
        log("accepted %s of 5, again after a close: %s" % (accepted, last))
        check(accepted == "3", "accepted %s of 5 connections, want 3"
              % accepted)
        check(last == "True", "no connection once one of three was closed")
        st = t.stats()
        check(st.get("source_limit_drop", 0) >= 2,
              "source_limit_drop %r, want at least 2 (one per refused SYN)"
              % st.get("source_limit_drop"))
        check(st.get("source_limit_reset") == 0,
              "source_limit_reset %r" % st.get("source_limit_reset"))
        wait_until(lambda: not t.busy_states(), 10,
                   what=lambda: "all closed (%r)" % t.busy_states())
        check(t.alive(), "tcpterm died")
