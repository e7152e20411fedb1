# SPDX-License-Identifier: BSD-3-Clause
"""A close that leaves received data unread resets (RFC 1122 4.2.2.13)."""

from harness import (DEFAULT_LIMITS, PYTHON, SERVER_IP, Tcpterm, base_config,
                     check, log, wait_until)

IDLE_MS = 1000
READ_DELAY_MS = 4000

# Connects to argv[1]:argv[2], sends bytes.fromhex(argv[3]) (maybe none),
# then reads until the server ends the connection; prints how it ended
# ("eof", or the error's name) and the seconds from the start of the
# connect: before the server's open, whose idle deadline the reset
# follows, however late this process runs after it.
END_CLIENT = r"""
import errno, socket, sys, time
t0 = time.monotonic()
s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=15)
s.sendall(bytes.fromhex(sys.argv[3]))
end = None
while end is None:
    try:
        if not s.recv(65536):
            end = "eof"
    except OSError as e:
        end = errno.errorcode.get(e.errno, type(e).__name__)
print("%s %.3f" % (end, time.monotonic() - t0))
"""


def client_end(t, port, data):
    p = t.ns_run([PYTHON, "-c", END_CLIENT, SERVER_IP, str(port),
                  data.hex()], timeout=30)
    check(p.returncode == 0, "client: %r" % p.stderr[-500:])
    end, secs = p.stdout.split()
    return end, float(secs)


def test_read_delay_idle_reset():
    """A listener whose idle_timeout_ms (1 s) is shorter than its
    read_delay_ms (4 s): a Linux client whose bytes the delay holds sees
    its connection reset (ECONNRESET, not a clean EOF) when the idle
    timeout closes it, about 1 s after its connect, counted in
    close_unread_reset; one that sent nothing gets the usual FIN. For
    discard, echo and http alike."""
    apps = [(9, "discard", b"x" * 3000),
            (7, "echo", b"y" * 3000),
            (80, "http", b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")]
    cfg = base_config(
        [{"port": port, "app": app, "close": "on-peer-fin",
          "idle_timeout_ms": IDLE_MS, "read_delay_ms": READ_DELAY_MS}
         for port, app, _ in apps],
        tcp={"msl_ms": 1000}, limits=DEFAULT_LIMITS)
    with Tcpterm(cfg) as t:
        for n, (port, app, data) in enumerate(apps, 1):
            end, secs = client_end(t, port, data)
            log("%s with %d bytes held: %s after %.2f s"
                % (app, len(data), end, secs))
            check(end == "ECONNRESET", "%s: the connection ended by %s, "
                  "want a RST" % (app, end))
            check(IDLE_MS / 1000.0 - 0.1 <= secs < READ_DELAY_MS / 1000.0,
                  "%s: reset after %.2f s, want about %.1f"
                  % (app, secs, IDLE_MS / 1000.0))
            st = t.stats()
            check(st.get("close_unread_reset") == n and
                  st.get("idle_timeout") == n,
                  "%s: close_unread_reset %r idle_timeout %r, want %d"
                  % (app, st.get("close_unread_reset"),
                     st.get("idle_timeout"), n))
        end, secs = client_end(t, 9, b"")
        log("discard with nothing sent: %s after %.2f s" % (end, secs))
        check(end == "eof", "nothing held: ended by %s, want a FIN" % end)
        st = t.stats()
        check(st.get("close_unread_reset") == len(apps) and
              st.get("idle_timeout") == len(apps) + 1,
              "nothing held: close_unread_reset %r idle_timeout %r"
              % (st.get("close_unread_reset"), st.get("idle_timeout")))
        check(st.get("rcvbuf_bytes") == 0,
              "rcvbuf_bytes %r after the resets" % st.get("rcvbuf_bytes"))
        wait_until(lambda: not t.busy_states(), 10,
                   what=lambda: "all closed (%r)" % t.busy_states())
        check(t.alive(), "tcpterm died")
