# SPDX-License-Identifier: BSD-3-Clause
"""tcpterm-ctl drain: a graceful drain, with its progress.

Sends /tcpterm/drain (what SIGUSR1 does): tcpterm refuses new connections
with RST, closes idle keep-alive connections, answers busy ones with
"Connection: close", and exits 0 when none is left, or at the timeout
after resetting the rest. This command prints the connections left per
state (from /tcpterm/states) every interval until tcpterm is gone.
Exit status: 0 when tcpterm exited, 1 when it was still there after the
timeout and a grace period, 2 on bad arguments or an unreachable
instance.
"""
import time

from .client import CtlError
from .states import STATES

NAME = "drain"

# How long past the drain timeout tcpterm may take to reset and exit.
GRACE_S = 10.0
# tcpterm's own bound on a drain (drain.timeout_ms at most a day).
MAX_TIMEOUT_S = 86400.0


def _seconds(text):
    try:
        v = float(text)
    except ValueError:
        raise _arg_error("'%s' is not a number of seconds" % text)
    if not 0 < v <= MAX_TIMEOUT_S:
        raise _arg_error("%s is out of range (0, %d] seconds"
                         % (text, MAX_TIMEOUT_S))
    return v


def _arg_error(msg):
    import argparse
    return argparse.ArgumentTypeError(msg)


def add_parser(sub):
    p = sub.add_parser(NAME, help="graceful drain, then tcpterm exits",
                       description="Start a graceful drain (as SIGUSR1 "
                       "does) and print the connections left per state "
                       "until tcpterm exits.")
    p.add_argument("--timeout", dest="drain_timeout", type=_seconds,
                   metavar="S", help="reset what is left after S seconds "
                   "(default: the instance's drain.timeout_ms)")
    p.add_argument("--interval", type=_seconds, default=1.0, metavar="S",
                   help="progress every S seconds (default: %(default)s)")
    p.add_argument("--no-wait", action="store_true",
                   help="start the drain and return at once")
    return p


def progress_line(states, t):
    """'t=1.0s left 2: ESTABLISHED 1 FIN_WAIT_2 1 | TIME_WAIT 3', or with
    nothing left 't=2.0s left 0 | TIME_WAIT 3' (as tcpterm's own drain
    lines: the colon introduces the states left)."""
    skip = ("LISTEN", "CLOSED", "TIME_WAIT")
    busy = [(s, states.get(s, 0)) for s in STATES
            if s not in skip and states.get(s, 0)]
    left = sum(n for _, n in busy)
    return "t=%.1fs left %d%s | TIME_WAIT %d" % (
        t, left, ":" + "".join(" %s %d" % b for b in busy) if busy else "",
        states.get("TIME_WAIT", 0))


def _states_or_gone(client):
    """The states, or None once the instance is gone."""
    try:
        return client.cmd("/tcpterm/states")
    except CtlError:
        client.close()
    try:
        return client.cmd("/tcpterm/states")
    except CtlError:
        client.close()
        return None


def run(args, client):
    param = None
    if args.drain_timeout is not None:
        param = str(max(1, int(round(args.drain_timeout * 1000))))
    reply = client.cmd("/tcpterm/drain", param)
    timeout_s = reply.get("timeout_ms", 0) / 1000.0
    print("drain: started on instance '%s', timeout %.1f s"
          % (client.prefix, timeout_s), flush=True)
    if args.no_wait:
        return 0
    t0 = time.monotonic()
    deadline = t0 + timeout_s + GRACE_S
    while True:
        states = _states_or_gone(client)
        now = time.monotonic()
        if states is None:
            print("drain: tcpterm exited after %.1f s" % (now - t0),
                  flush=True)
            return 0
        print("drain: " + progress_line(states, now - t0), flush=True)
        if now > deadline:
            print("drain: tcpterm still running %.0f s after the timeout"
                  % GRACE_S, flush=True)
            return 1
        time.sleep(args.interval)
