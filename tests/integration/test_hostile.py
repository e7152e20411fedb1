# SPDX-License-Identifier: BSD-3-Clause
"""Malformed and hostile frames: each is counted under its drop reason,
none creates a connection, and tcpterm keeps serving."""

import os
import subprocess

from harness import (DEFAULT_LIMITS, HERE, PYTHON, Tcpterm, TestFailure,
                     base_config, check, http_ok, log, wait_until)

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
