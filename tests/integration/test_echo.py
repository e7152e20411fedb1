# SPDX-License-Identifier: BSD-3-Clause
"""Echo listener: bulk data both ways, then passive close."""

from harness import (DEFAULT_LIMITS, Tcpterm, base_config, check, log,
                     wait_until)

SIZE = 10 * 1024 * 1024
CLOSE_DELAY_MS = 1500


def test_echo_10mb():
    # close_delay_ms holds CLOSE_WAIT long enough to be seen.
    cfg = base_config(
        [{"port": 7, "app": "echo", "close": "on-peer-fin",
          "close_delay_ms": CLOSE_DELAY_MS}],
        limits=DEFAULT_LIMITS)
    with Tcpterm(cfg) as t:
        before = t.stats()
        proc = t.client_start("echo", port=7, size=SIZE, timeout=120)
        # The client prints "shut" after its FIN; CLOSE_WAIT must show up.
        line = proc.stdout.readline().strip()
        check(line == "shut", "client: %r %s" % (line, proc.stderr.read()
                                                 if line == "" else ""))
        seen = wait_until(lambda: t.states().get("CLOSE_WAIT") == 1, 1.5,
                          interval=0.02, what="CLOSE_WAIT == 1")
        r = t.client_finish(proc, timeout=60)
        log("10 MB echoed in %.2fs (%.1f MB/s)" % (
            r["elapsed"], SIZE / r["elapsed"] / 1e6))
        check(seen, "CLOSE_WAIT never observed")
        check(r["received"] == SIZE, "received %d of %d"
              % (r["received"], SIZE))
        check(r["sha_sent"] == r["sha_received"], "sha256 differs")
        check(r["end"] == "eof" and r["extra_after"] == 0,
              "after the echo: %d bytes then %s" % (r["extra_after"],
                                                   r["end"]))
        wait_until(lambda: not t.busy_states(), 10,
                   what=lambda: "states 0 (%r)" % t.busy_states())
        st = t.stats()
        d = {k: st.get(k, 0) - before.get(k, 0)
             for k in ("conn_opened", "conn_closed", "bytes_in",
                       "bytes_out", "rst_sent", "tw_created")}
        log("deltas %r" % d)
        check(d["conn_opened"] == 1 and d["conn_closed"] == 1,
              "conn_opened/conn_closed %r" % d)
        check(d["rst_sent"] == 0, "RST sent: %r" % d)
        check(d["tw_created"] == 0, "passive close made TIME_WAIT")
        check(d["bytes_in"] == SIZE and d["bytes_out"] == SIZE,
              "bytes in/out %d/%d" % (d["bytes_in"], d["bytes_out"]))
