# SPDX-License-Identifier: BSD-3-Clause
"""tcpterm-ctl monitor: state counts, rates and threshold alerts.

With --once it prints one report and exits like a Nagios plugin:
0 OK, 1 WARNING, 2 CRITICAL (and 2 on bad input or an unreachable
instance, with a message).
"""
import json
import sys
import time

from .client import CtlError
from .states import STATES, parse_state

NAME = "monitor"

OK, WARNING, CRITICAL = 0, 1, 2
LEVEL = {OK: "OK", WARNING: "WARNING", CRITICAL: "CRITICAL"}

# Warning thresholds by default (issue 11); TIME_WAIT as a share of
# max_time_wait. Critical thresholds only when asked for.
DEFAULT_WARN = {"FIN_WAIT_1": "100", "FIN_WAIT_2": "500",
                "CLOSE_WAIT": "100", "CLOSING": "50", "LAST_ACK": "100",
                "TIME_WAIT": "80%"}
# Rates: per second, from /tcpterm/stats counters.
RATES = {"opened": "conn_opened", "closed": "conn_closed",
         "tw_created": "tw_created", "tw_expired": "tw_expired",
         "drops": "drops_total", "resets": "rst_sent"}
RATE_KEYS = ("drops", "resets")


def add_parser(sub):
    p = sub.add_parser(NAME, help="live state monitor with thresholds",
                       description="Counts of every state, rates per "
                       "second and an alert line for each state over its "
                       "threshold, refreshed every interval. Defaults "
                       "(warning): FIN_WAIT_1=100 FIN_WAIT_2=500 "
                       "CLOSE_WAIT=100 CLOSING=50 LAST_ACK=100 "
                       "TIME_WAIT=80%% (of max_time_wait). Thresholds: "
                       "STATE=N or STATE=P%% (of max_time_wait for "
                       "TIME_WAIT, of max_connections otherwise), and "
                       "drops=N, resets=N per second. --once exits 0 OK, "
                       "1 WARNING, 2 CRITICAL.")
    p.add_argument("--interval", type=float, default=1.0, metavar="S",
                   help="refresh (and rate) interval (default 1 s)")
    p.add_argument("--once", action="store_true",
                   help="one report, exit 0/1/2 (Nagios convention)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--warn", action="append", default=[],
                   metavar="STATE=N", help="warning threshold (repeatable)")
    p.add_argument("--crit", action="append", default=[],
                   metavar="STATE=N", help="critical threshold (repeatable)")
    return p


def parse_threshold(text):
    """'fin-wait-2=500' -> ('FIN_WAIT_2', '500'); checks the number."""
    if "=" not in text:
        raise CtlError("bad threshold '%s': expected STATE=N" % text)
    key, val = text.split("=", 1)
    key = key.strip()
    if key.lower() in RATE_KEYS:
        key = key.lower()
    else:
        key = parse_state(key)
    v = val.strip()
    num = v[:-1] if v.endswith("%") else v
    try:
        x = float(num)
    except ValueError:
        x = -1
    if x < 0 or (v.endswith("%") and (key in RATE_KEYS or x > 100)):
        raise CtlError("bad threshold '%s': expected a number >= 0%s"
                       % (text, "" if key in RATE_KEYS
                          else " or a percentage"))
    return key, v


def thresholds(args):
    warn = dict(DEFAULT_WARN)
    crit = {}
    for t in args.warn:
        k, v = parse_threshold(t)
        warn[k] = v
    for t in args.crit:
        k, v = parse_threshold(t)
        crit[k] = v
    return warn, crit


def resolve(v, key, limits):
    if not v.endswith("%"):
        return float(v)
    base = limits["max_time_wait"] if key == "TIME_WAIT" \
        else limits["max_connections"]
    return float(v[:-1]) * base / 100.0


def sample(client):
    return client.cmd("/tcpterm/states"), client.cmd("/tcpterm/stats"), \
        time.monotonic()


def evaluate(states, rates, limits, warn, crit):
    """Alerts (level, key, value, threshold), worst first."""
    alerts = []
    for key in set(warn) | set(crit):
        value = rates.get(key) if key in RATE_KEYS else states.get(key, 0)
        if value is None:
            continue
        for level, table in ((CRITICAL, crit), (WARNING, warn)):
            if key in table and value > resolve(table[key], key, limits):
                alerts.append((level, key, value,
                               resolve(table[key], key, limits)))
                break
    alerts.sort(key=lambda a: (-a[0], a[1]))
    return alerts


def report(prev, cur, warn, crit):
    (_, c0, t0), (s1, c1, t1) = prev, cur
    dt = max(t1 - t0, 1e-6)
    rates = {k: max(c1.get(v, 0) - c0.get(v, 0), 0) / dt
             for k, v in RATES.items()}
    limits = {k: c1.get(k, 0) for k in ("max_time_wait", "max_connections")}
    alerts = evaluate(s1, rates, limits, warn, crit)
    status = max([a[0] for a in alerts], default=OK)
    return {"status": LEVEL[status], "code": status,
            "states": {s: s1.get(s, 0) for s in STATES},
            "rates": {k: round(v, 1) for k, v in rates.items()},
            "limits": limits,
            "alerts": [{"level": LEVEL[a[0]], "key": a[1], "value": a[2],
                        "threshold": a[3]} for a in alerts]}


def fmt_num(x):
    return "%d" % x if float(x).is_integer() else "%.1f" % x


def render(r, prefix, interval):
    lines = ["tcpterm monitor: instance %s, every %gs, %s  [%s]"
             % (prefix, interval, time.strftime("%H:%M:%S"), r["status"])]
    st = r["states"]
    lines.append("")
    lines.append("  %-13s %10s    %-13s %10s" % ("State", "Count",
                                                 "State", "Count"))
    shown = [s for s in STATES if s != "CLOSED"]
    half = (len(shown) + 1) // 2
    for i in range(half):
        a = shown[i]
        b = shown[i + half] if i + half < len(shown) else None
        lines.append("  %-13s %10d    %-13s %10s"
                     % (a, st[a], b or "", st[b] if b else ""))
    lines.append("  TIME_WAIT use: %d of %d (%.1f%%)"
                 % (st["TIME_WAIT"], r["limits"]["max_time_wait"],
                    100.0 * st["TIME_WAIT"] /
                    max(r["limits"]["max_time_wait"], 1)))
    ra = r["rates"]
    lines.append("")
    lines.append("  per second: opened %s  closed %s  TIME_WAIT created %s"
                 "  expired %s  drops %s  resets %s"
                 % tuple(fmt_num(ra[k]) for k in
                         ("opened", "closed", "tw_created", "tw_expired",
                          "drops", "resets")))
    lines.append("")
    if not r["alerts"]:
        lines.append("  OK: no state over its threshold")
    for a in r["alerts"]:
        unit = "/s" if a["key"] in RATE_KEYS else ""
        lines.append("  %s: %s %s%s > %s%s"
                     % (a["level"], a["key"], fmt_num(a["value"]), unit,
                        fmt_num(a["threshold"]), unit))
    return "\n".join(lines)


def nagios_line(r):
    if r["alerts"]:
        what = ", ".join("%s %s > %s" % (a["key"], fmt_num(a["value"]),
                                         fmt_num(a["threshold"]))
                         for a in r["alerts"])
    else:
        what = "no state over its threshold"
    perf = " ".join("%s=%d" % (s.lower(), v) for s, v in r["states"].items())
    return "TCPTERM %s - %s | %s" % (r["status"], what, perf)


def run(args, client):
    if not args.interval > 0:
        raise CtlError("bad --interval %s: must be > 0" % args.interval)
    warn, crit = thresholds(args)
    if args.once and not args.json:
        return run_once_checked(args, client, warn, crit)
    return watch(args, client, warn, crit)


def run_once_checked(args, client, warn, crit):
    """--once for Nagios/Icinga, which show the first line of stdout:
    an instance that cannot be read is CRITICAL there too, with the
    reason, not an empty status."""
    try:
        return watch(args, client, warn, crit)
    except CtlError as e:
        print("TCPTERM CRITICAL - %s" % e)
        raise


def watch(args, client, warn, crit):
    prev = sample(client)
    while True:
        time.sleep(args.interval)
        cur = sample(client)
        r = report(prev, cur, warn, crit)
        prev = cur
        if args.once:
            if args.json:
                print(json.dumps(r))
            else:
                print(nagios_line(r))
                print(render(r, args.prefix, args.interval))
            return r["code"]
        if args.json:
            print(json.dumps(r), flush=True)
            continue
        if sys.stdout.isatty():
            sys.stdout.write("\033[H\033[2J")
        print(render(r, args.prefix, args.interval), flush=True)
        if not sys.stdout.isatty():
            print(flush=True)
