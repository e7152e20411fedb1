# SPDX-License-Identifier: BSD-3-Clause
"""tcpterm-ctl states: the count of every TCP state, total and per worker;
-s: a summary like ss -s (connections, TIME_WAIT, memory pools)."""
import json

from .states import STATES
from .util import human_bytes

NAME = "states"


def add_parser(sub):
    p = sub.add_parser(NAME, help="count of every TCP state, per worker",
                       description="The count of every TCP state, in total "
                       "and per worker; with -s a summary like ss -s: "
                       "connections, TIME_WAIT and the memory pools with "
                       "how full each is.")
    p.add_argument("-s", "--summary", action="store_true",
                   help="summary: connections, TIME_WAIT, pool usage")
    p.add_argument("--json", action="store_true", help="print JSON")
    return p


def collect(client, summary):
    total = client.cmd("/tcpterm/states")
    per = client.cmd("/tcpterm/core_states")
    out = {"total": {s: total.get(s, 0) for s in STATES},
           "workers": {w: {s: v.get(s, 0) for s in STATES}
                       for w, v in sorted(per.items(),
                                          key=lambda kv: int(kv[0]))}}
    if summary:
        out["pools"] = client.cmd("/tcpterm/pools")
        stats = client.cmd("/tcpterm/stats")
        out["limits"] = {k: stats.get(k, 0)
                         for k in ("max_connections", "max_time_wait")}
        out["counters"] = {k: stats.get(k, 0)
                           for k in ("conn_opened", "conn_closed",
                                     "tw_created", "tw_expired",
                                     "rst_sent", "drops_total")}
    return out


def print_table(d):
    ws = list(d["workers"])
    head = "%-13s %10s" % ("State", "Total")
    head += "".join(" %10s" % ("w" + w) for w in ws) if len(ws) > 1 else ""
    print(head)
    for s in STATES:
        line = "%-13s %10d" % (s, d["total"][s])
        if len(ws) > 1:
            line += "".join(" %10d" % d["workers"][w][s] for w in ws)
        print(line)


def print_summary(d):
    t = d["total"]
    conns = sum(v for s, v in t.items()
                if s not in ("LISTEN", "CLOSED", "TIME_WAIT"))
    print("Total: %d connections, %d TIME_WAIT, %d listeners"
          % (conns, t["TIME_WAIT"], t["LISTEN"]))
    print("TCP:   estab %d, synrecv %d, closed-by-us %d (fin-wait-1 %d, "
          "fin-wait-2 %d, closing %d, last-ack %d), close-wait %d, "
          "timewait %d/%d"
          % (t["ESTABLISHED"], t["SYN_RECEIVED"],
             t["FIN_WAIT_1"] + t["FIN_WAIT_2"] + t["CLOSING"] +
             t["LAST_ACK"], t["FIN_WAIT_1"], t["FIN_WAIT_2"], t["CLOSING"],
             t["LAST_ACK"], t["CLOSE_WAIT"], t["TIME_WAIT"],
             d["limits"]["max_time_wait"]))
    c = d["counters"]
    print("Since start: %d opened, %d closed, %d TIME_WAIT created, "
          "%d expired, %d RST sent, %d drops"
          % (c["conn_opened"], c["conn_closed"], c["tw_created"],
             c["tw_expired"], c["rst_sent"], c["drops_total"]))
    print()
    print("%-12s %12s %12s %7s %12s" % ("Pool", "Used", "Capacity",
                                        "Full", "Memory"))
    for name, p in d["pools"].items():
        cap = p.get("objects", 0)
        full = "%.1f%%" % (100.0 * p["used"] / cap) if cap else "-"
        print("%-12s %12s %12s %7s %12s"
              % (name, p["used"] if cap else "-", cap if cap else "-", full,
                 human_bytes(p.get("bytes", 0))))


def run(args, client):
    d = collect(client, args.summary)
    if args.json:
        print(json.dumps(d, indent=1))
    elif args.summary:
        print_summary(d)
    else:
        print_table(d)
    return 0
