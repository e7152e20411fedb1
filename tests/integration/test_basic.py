# SPDX-License-Identifier: BSD-3-Clause
"""Closed ports, ICMP echo and a clean stop."""

import signal

from harness import (DEFAULT_LIMITS, SERVER_IP, Tcpterm, base_config, check,
                     deltas, http_ok, log, wait_until)

HTTP = [{"port": 80, "app": "http", "close": "after-response",
         "response_body_bytes": 2}]


def test_closed_port_rst():
    with Tcpterm(base_config(HTTP, limits=DEFAULT_LIMITS)) as t:
        before = t.stats()
        for port in (81, 8080, 22):
            r = t.client("connect", port=port)
            check(r["name"] == "ECONNREFUSED",
                  "connect to port %d: %s" % (port, r["name"]))
        after = wait_until(
            lambda: (lambda s: s if s.get("rst_sent", 0)
                     - before.get("rst_sent", 0) >= 3 else None)(t.stats()),
            3, what="rst_sent += 3")
        log("deltas %r" % deltas(before, after))
        check(not t.busy_states(), "states %r" % t.busy_states())


def test_ping():
    with Tcpterm(base_config(HTTP, limits=DEFAULT_LIMITS)) as t:
        before = t.stats()
        p = t.ns_run(["ping", "-c", "3", "-i", "0.2", "-W", "2", SERVER_IP])
        check(p.returncode == 0 and " 0% packet loss" in p.stdout,
              "ping: %s %s" % (p.stdout[-300:], p.stderr))
        after = t.stats()
        n = after.get("icmp_echo_replies", 0) - \
            before.get("icmp_echo_replies", 0)
        check(n >= 3, "icmp_echo_replies grew by %d" % n)


def test_sigterm_clean():
    with Tcpterm(base_config(HTTP, limits=DEFAULT_LIMITS)) as t:
        http_ok(t)
        mark = len(t.output())
        rc = t.stop(signal.SIGTERM, timeout=15)
        tail = t.output()[mark:]
        check(rc == 0, "exit status %r after SIGTERM:\n%s" % (rc, tail))
        check(tail.strip(), "nothing printed after SIGTERM")
        log("final output: %s" % " | ".join(tail.strip().splitlines()[-4:]))
        # The summary carries the totals: one connection was served.
        check("conn" in tail or "summary" in tail.lower(),
              "no final summary after SIGTERM:\n%s" % tail)
