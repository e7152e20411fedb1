# SPDX-License-Identifier: BSD-3-Clause
"""tcpterm-ctl states: the count of every TCP state, total and per worker."""
import json

from .states import STATES

NAME = "states"


def add_parser(sub):
    p = sub.add_parser(NAME, help="count of every TCP state, per worker",
                       description="The count of every TCP state, summed "
                       "and per worker; -s: a summary like ss -s.")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("-s", "--summary", action="store_true",
                   help="a summary: connections, TIME_WAIT, pool usage")
    return p


def run(args, client):
    total = client.cmd("/tcpterm/states")
    print(json.dumps(total) if args.json else
          "\n".join("%-13s %d" % (s, total.get(s, 0)) for s in STATES))
    return 0
