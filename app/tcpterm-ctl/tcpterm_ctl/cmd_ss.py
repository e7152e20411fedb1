# SPDX-License-Identifier: BSD-3-Clause
"""tcpterm-ctl ss: list connections and TIME_WAIT records like ss -tan.

Each worker answers in slices from its own loop (/tcpterm/list); this
command pages through the cursors of every worker.
"""
import collections
import ipaddress
import itertools
import json

from .client import CtlError
from .states import STATES, parse_state
from .util import human_ms, workers

NAME = "ss"
# Records per request, at most DP_LIST_MAX (128, lib/dpdk/dp.h): 112
# records of the longest IPv6 lines (127 characters) still fit the
# 16 KiB telemetry reply.
SLICE = 112
MAX_REQUESTS = 1000000


def add_parser(sub):
    p = sub.add_parser(NAME, help="list connections like ss -tan",
                       description="List connections and TIME_WAIT "
                       "records like ss -tan: state, queues, local and "
                       "remote address:port; -o adds the running timer, "
                       "its remaining time and the connection's age.")
    p.add_argument("--state", action="append", default=[], metavar="STATE",
                   help="only this state (repeatable; e.g. fin-wait-2, "
                   "TIME_WAIT)")
    p.add_argument("--remote", metavar="CIDR",
                   help="only remote addresses in this network")
    p.add_argument("--limit", type=int, metavar="N",
                   help="stop after N entries")
    p.add_argument("-o", "--options", action="store_true",
                   help="show timer, remaining time and age")
    p.add_argument("--by-remote", action="store_true",
                   help="count per remote address, largest first")
    p.add_argument("--json", action="store_true", help="print JSON")
    return p


def parse_filter(args):
    mask = 0
    for s in args.state:
        for part in s.split(","):
            mask |= 1 << STATES.index(parse_state(part))
    raddr, prefix, net6 = 0, 0, None
    if args.remote:
        try:
            net = ipaddress.ip_network(args.remote, strict=False)
        except ValueError as e:
            raise CtlError("bad --remote '%s': %s" % (args.remote, e))
        if net.version == 4:
            raddr, prefix = int(net.network_address), net.prefixlen
        else:
            # The worker filters IPv4 networks only: IPv6 ones here.
            net6 = net
    if args.limit is not None and args.limit < 0:
        raise CtlError("bad --limit %d: must be 0 or more" % args.limit)
    return mask, raddr, prefix, net6


def unbracket(addr):
    """[2001:db8::1] as listed -> 2001:db8::1."""
    return addr[1:-1] if addr.startswith("[") else addr


def hostport(addr, port):
    """addr:port, an IPv6 address in brackets (RFC 5952 6)."""
    return ("[%s]:%d" if ":" in addr else "%s:%d") % (addr, port)


def parse_rec(text, worker):
    f = text.split()
    la, lp = f[1].rsplit(":", 1)
    ra, rp = f[2].rsplit(":", 1)
    return {"state": f[0], "local": unbracket(la), "lport": int(lp),
            "remote": unbracket(ra),
            "rport": int(rp), "send_q": int(f[3]), "recv_q": int(f[4]),
            "timer": f[5], "timer_ms": int(f[6]),
            "age_ms": None if f[7] == "-" else int(f[7]), "worker": worker}


def walk(client, mask, raddr, prefix, limit=None, net6=None):
    """Yield every matching record of every worker."""
    n = 0
    if net6 is not None:
        for r in walk(client, mask, 0, 0):
            if ":" not in r["remote"] or \
                    ipaddress.ip_address(r["remote"]) not in net6:
                continue
            if limit is not None and n >= limit:
                return
            yield r
            n += 1
        return
    for w in workers(client):
        cursor, requests = 0, 0
        while cursor != -1:
            want = SLICE if limit is None else min(SLICE, limit - n)
            if want <= 0:
                return
            r = client.cmd("/tcpterm/list", "%d,%d,%d,%d,%d,%d"
                           % (w, cursor, mask, raddr, prefix, want))
            if "error" in r:
                raise CtlError("worker %d: %s" % (w, r["error"]))
            for text in r.get("conns", []):
                yield parse_rec(text, w)
                n += 1
            cursor = r["next"]
            requests += 1
            if requests > MAX_REQUESTS:
                raise CtlError("worker %d: listing did not finish" % w)


def print_table(recs, opts):
    print("%-12s %7s %7s %-22s %-22s%s"
          % ("State", "Recv-Q", "Send-Q", "Local Address:Port",
             "Peer Address:Port", " Timer" if opts else ""))
    for r in recs:
        line = "%-12s %7d %7d %-22s %-22s" % (
            r["state"], r["recv_q"], r["send_q"],
            hostport(r["local"], r["lport"]),
            hostport(r["remote"], r["rport"]))
        if opts:
            if r["timer"] != "-":
                line += " timer:(%s,%s)" % (r["timer"],
                                            human_ms(r["timer_ms"]))
            if r["age_ms"] is not None:
                line += " age:%s" % human_ms(r["age_ms"])
            line += " worker:%d" % r["worker"]
        print(line)


def run(args, client):
    mask, raddr, prefix, net6 = parse_filter(args)
    recs = walk(client, mask, raddr, prefix, args.limit, net6)
    # The first answer before the header: an unreachable instance is
    # an error alone, not an empty listing followed by one.
    first = list(itertools.islice(recs, 1))
    recs = itertools.chain(first, recs)
    if args.by_remote:
        cnt = collections.Counter()
        for r in recs:
            cnt[r["remote"]] += 1
        rows = sorted(cnt.items(), key=lambda kv: (-kv[1], kv[0]))
        if args.json:
            print(json.dumps([{"remote": a, "count": c} for a, c in rows]))
        else:
            print("%8s  %s" % ("Count", "Peer Address"))
            for a, c in rows:
                print("%8d  %s" % (c, a))
        return 0
    if args.json:
        print(json.dumps(list(recs)))
    else:
        print_table(recs, args.options)
    return 0
