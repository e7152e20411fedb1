# SPDX-License-Identifier: BSD-3-Clause
"""TIME_WAIT limits: a small max_time_wait filled by real Linux clients
(http, close after-response) through net_tap, under both overflow
policies; and the start-up memory report."""

from harness import (SERVER_IP, Tcpterm, base_config, check, log,
                     wait_until)

MAX_TW = 50
N_CONNS = 80
# 2*MSL = 120 s: nothing expires during the test.
MSL_MS = 60000


class PortReuse(Exception):
    """The client's kernel reused a source port: a SYN met a record."""


def overflow_variant(policy):
    # The kernel picks the client ports and, holding no TIME_WAIT itself,
    # may reuse one; the counts then differ (tw_reused): try again.
    for attempt in range(3):
        try:
            return overflow_once(policy)
        except PortReuse as e:
            log("attempt %d: %s" % (attempt + 1, e))
    check(False, "the client reused ports in every attempt")


def overflow_once(policy):
    cfg = base_config(
        [{"port": 80, "app": "http", "close": "after-response",
          "response_body_bytes": 2}],
        tcp={"msl_ms": MSL_MS},
        limits={"max_connections": 1000, "max_time_wait": MAX_TW,
                "time_wait_overflow": policy})
    with Tcpterm(cfg) as t:
        out = t.output()
        check("time_wait" in out and "memory per worker" in out,
              "no per-pool memory report at start-up:\n%s"
              % t.output_tail())
        log([ln for ln in out.splitlines() if "memory per worker" in ln][0])
        r = t.client("http", port=80, count=N_CONNS, body_bytes=2,
                     timeout=5)
        check(r["ok"] == N_CONNS, "%d of %d requests failed: %s"
              % (r["fail"], N_CONNS, r["errors"]))
        if r["unique_ports"] != N_CONNS:
            raise PortReuse("%d distinct client ports" % r["unique_ports"])

        def settled():
            s = t.states()
            busy = {k: v for k, v in s.items()
                    if v and k not in ("LISTEN", "TIME_WAIT", "CLOSED")}
            return s if not busy else None
        s = wait_until(settled, 10, what=lambda: "all connections closed "
                       "(%r)" % t.states())
        st = t.stats()
        log("%s: TIME_WAIT %s, tw_created %s, recycled %s, refused %s"
            % (policy, s.get("TIME_WAIT"), st.get("tw_created"),
               st.get("tw_overflow_recycled"),
               st.get("tw_overflow_refused")))
        check(s.get("TIME_WAIT") == MAX_TW,
              "TIME_WAIT gauge %r, want %d" % (s.get("TIME_WAIT"), MAX_TW))
        over = N_CONNS - MAX_TW
        if policy == "recycle-oldest":
            want = {"tw_created": N_CONNS, "tw_overflow_recycled": over,
                    "tw_overflow_refused": 0}
        else:
            want = {"tw_created": MAX_TW, "tw_overflow_recycled": 0,
                    "tw_overflow_refused": over}
        for k, v in want.items():
            check(st.get(k) == v, "%s %r, want %d" % (k, st.get(k), v))
        check(st.get("tw_expired") == 0,
              "tw_expired %r before 2*MSL" % st.get("tw_expired"))
        # Still serving: one more request through curl.
        p = t.ns_run(["curl", "-sS", "-m", "5", "http://%s/" % SERVER_IP])
        check(p.returncode == 0 and p.stdout == "OK",
              "curl: %r %r" % (p.stdout, p.stderr))
        check(t.alive(), "tcpterm died")


def test_tw_overflow_recycle():
    """recycle-oldest: 80 connections, 50 records kept, 30 recycled."""
    overflow_variant("recycle-oldest")


def test_tw_overflow_refuse():
    """refuse: 80 connections, the first 50 get records, 30 refused."""
    overflow_variant("refuse")
