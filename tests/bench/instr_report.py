#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Instructions per connection, by stage, from instr_bench's callgrind dumps.

    instr_report.py LOG CALLGRIND-DUMP...

LOG is instr_bench's output (the connections measured per scenario); each
dump is the profile of one scenario (callgrind names it by the client
request "Client Request: <scenario>"). Prints a table and, last, one line
of JSON {"bench":"instr",...}.

Attribution: every function is mapped to a stage by its name (STAGES,
first match wins) or, when no pattern matches (checksums, memcpy, small
helpers), inherits the stage of its caller. Callgrind keeps the cost of
each call edge, not of each call path, so a function called from several
places is split among its callers in proportion to their calls' inclusive
cost (as gprof does); inlined code counts where it was inlined, except
the code of the source files in INLINE_STAGES (the receive loop's in-line
parse), which counts in their stage when the dump has line tables (built
with debug info, as meson.build sets): it goes to a pseudo function
"<stage>@<caller>" called from the function it was inlined into.

Dumps made with --cache-sim=yes get a second table: last-level cache
misses (DLmr + DLmw) per connection by stage, attributed the same way.
Callgrind does not simulate software prefetches: a miss on a line the
code prefetched counts as a miss.
"""
import json
import re
import sys

STAGES = [
    ("timers", r"^(tcp_timers|wheel_|tcp_tw_expire|twr_expire|tw_kill|"
               r"dp_neigh6?_expire|tcp_\w*_arm$|tcp_rexmit_arm|conn_arm)"),
    ("lookup", r"^(flowtab_|tcp_seg_hash|tcp_input_hash|tcp_prefetch_flow|"
               r"tcp_listener_find)"),
    ("parse", r"^(net_parse|net_tcp_parse_opts)"),
    ("application", r"^(app_|http_)"),
    ("output_build", r"^(net_build|net__eth_write|net_tcp_finish|"
                     r"dp_tx_build|dp_tx_enqueue|dp_tx_outq|dp_tx_seg|"
                     r"tcp_out_seg|"
                     r"tcp_out_payload|net_neigh_resolve|dp_neigh_resolve)"),
    ("driver", r"^(rte_|eth_|common_ring|bucket_|dp_tx_flush|0x)"),
    ("glue", r"^(dp_|ib_)"),
    ("state_machine", r"^(tcp_|rack_|sack_|conn_new|fin_take|tw_)"),
]
# Inlined code counted by its source file, not by the function holding it.
INLINE_STAGES = [("parse", re.compile(r"/lib/net/net_parse4\.h$"))]
ORDER = ["parse", "lookup", "state_machine", "application", "output_build",
         "timers", "glue", "driver"]
COMPILED = [(s, re.compile(p)) for s, p in STAGES]


def stage_of(name, obj):
    """The stage of a function, or None to inherit its caller's."""
    pseudo = name.partition("@")
    if pseudo[1] and pseudo[0] in ORDER:
        return pseudo[0]
    if obj and "/librte_" in obj:
        return "driver"
    for stage, pat in COMPILED:
        if pat.search(name):
            return stage
    return None


class Profile:
    """Self costs and call edges (inclusive cost) of one callgrind dump."""

    def __init__(self, path, events=("Ir",)):
        self.self = {}
        self.edges = {}
        self.obj = {}
        self.total = 0
        self.trigger = ""
        self.want = events
        self.have = []  # the dump's events
        self.npos = 1   # position columns before the costs (instr line)
        self.cols = [0]
        self._read(path)

    def _cost(self, fields):
        """The wanted events' sum from a cost line's event fields."""
        return sum(int(fields[i]) for i in self.cols if i < len(fields))

    @staticmethod
    def _name(table, val):
        m = re.match(r"\((\d+)\)\s*(.*)", val)
        if not m:
            return val
        if m.group(2):
            table[m.group(1)] = m.group(2)
        return table.get(m.group(1), m.group(2))

    def _inline_stage(self, name):
        """The stage of code inlined from source file name, or None."""
        for stage, pat in INLINE_STAGES:
            if pat.search(name or ""):
                return stage
        return None

    def _self_cost(self, fn, stage, n):
        """Self cost n of fn, or of its pseudo callee for stage."""
        if stage is None:
            self.self[fn] = self.self.get(fn, 0) + n
            return
        sub = "%s@%s" % (stage, fn)
        self.self[sub] = self.self.get(sub, 0) + n
        self.obj[sub] = self.obj.get(fn)
        e = self.edges.setdefault(fn, {})
        e[sub] = e.get(sub, 0) + n

    def _read(self, path):
        fns, obs, fls = {}, {}, {}
        fn = cfn = ob = None
        fstage = flstage = None  # stages of the current source files
        in_call = False
        with open(path) as f:
            for line in f:
                line = line.rstrip("\n")
                if not line:
                    continue
                c = line[0]
                if c.isdigit() or c in "+-*":
                    n = self._cost(line.split()[self.npos:])
                    if in_call:
                        e = self.edges.setdefault(fn, {})
                        e[cfn] = e.get(cfn, 0) + n
                        in_call = False
                    else:
                        self._self_cost(fn, fstage, n)
                    continue
                if line.startswith("totals:"):
                    # Not "summary:", which callgrind 3.19 gets wrong
                    # in the second and later dumps of a run.
                    self.total = self._cost(line.split()[1:])
                    continue
                if line.startswith("positions:"):
                    self.npos = len(line.split()) - 1
                    continue
                if line.startswith("events:"):
                    self.have = line.split()[1:]
                    self.cols = [self.have.index(e) for e in self.want
                                 if e in self.have]
                    continue
                key, _, val = line.partition("=")
                if key == "fl":
                    flstage = self._inline_stage(self._name(fls, val))
                    fstage = flstage
                elif key in ("fi", "fe"):
                    fstage = self._inline_stage(self._name(fls, val))
                elif key in ("cfi", "cfl"):
                    # Named here once, then used by number.
                    self._name(fls, val)
                elif key == "fn":
                    fn = self._name(fns, val)
                    self.obj[fn] = ob
                    fstage = flstage
                elif key == "cfn":
                    cfn = self._name(fns, val)
                elif key == "ob":
                    ob = self._name(obs, val)
                elif key == "cob":
                    # Named here once, then used by number.
                    self._name(obs, val)
                elif key == "calls":
                    in_call = True
                elif line.startswith("desc: Trigger:"):
                    self.trigger = line.split(":")[-1].strip()

    def inclusive(self, fn):
        return self.self.get(fn, 0) + sum(
            c for g, c in self.edges.get(fn, {}).items() if g != fn)

    def by_stage(self):
        """Split the total over the stages, top-down from the roots."""
        memo = {}

        def vec(fn, inherited, active):
            """Stage shares of one instruction of fn's inclusive cost."""
            st = stage_of(fn, self.obj.get(fn)) or inherited
            key = (fn, st)
            if key in memo:
                return memo[key]
            incl = self.inclusive(fn)
            out = dict.fromkeys(ORDER, 0.0)
            if incl == 0 or key in active:
                return out
            active.add(key)
            out[st] += self.self.get(fn, 0)
            for g, c in self.edges.get(fn, {}).items():
                if g == fn or c == 0:
                    continue
                for s, v in vec(g, st, active).items():
                    out[s] += v * c
            active.discard(key)
            out = {s: v / incl for s, v in out.items()}
            memo[key] = out
            return out

        callees = {g for e in self.edges.values() for g in e}
        res = dict.fromkeys(ORDER, 0.0)
        for fn in set(self.self) | set(self.edges):
            if fn in callees:
                continue
            incl = self.inclusive(fn)
            for s, v in vec(fn, "glue", set()).items():
                res[s] += v * incl
        return res


def measured_counts(log):
    """Scenario -> (measured, rx packets, tx packets) from the table."""
    out = {}
    with open(log) as f:
        for line in f:
            p = line.split()
            if len(p) >= 5 and p[1].isdigit() and p[2].isdigit():
                out[p[0]] = (int(p[1]), int(p[3]), int(p[4]))
    return out


def ll_table(paths, counts, result):
    """LL misses per connection by stage, for cache-simulated dumps."""
    head = False
    for path in paths:
        prof = Profile(path, ("DLmr", "DLmw"))
        name = prof.trigger
        if "DLmr" not in prof.have or name not in result["scenarios"]:
            continue
        if not head:
            print("LL misses per conn (DLmr + DLmw; software prefetches "
                  "not simulated):")
            head = True
        n = counts[name][0]
        stages = prof.by_stage()
        per = {s: round(stages[s] / n, 3) for s in ORDER}
        row = result["scenarios"][name]
        row["ll_misses_per_conn"] = round(prof.total / n, 3)
        row["ll_stages"] = per
        print("%-13s %9.3f %17s  %s" % (name, row["ll_misses_per_conn"], "",
                                        " ".join("%13.3f" % per[s]
                                                 for s in ORDER)))


def main():
    if len(sys.argv) < 3:
        sys.exit("usage: instr_report.py LOG CALLGRIND-DUMP...")
    counts = measured_counts(sys.argv[1])
    result = {"bench": "instr", "scenarios": {}}
    print("%-13s %9s %9s %7s  %s" % ("scenario", "instr/conn", "instr/pkt",
                                     "pkts", " ".join(
                                         "%13s" % s for s in ORDER)))
    for path in sys.argv[2:]:
        prof = Profile(path)
        name = prof.trigger
        if name not in counts or counts[name][0] == 0:
            continue
        n, rx, tx = counts[name]
        stages = prof.by_stage()
        per = {s: round(stages[s] / n) for s in ORDER}
        row = {
            "measured": n,
            "instructions": prof.total,
            "per_conn": round(prof.total / n),
            "per_pkt": round(prof.total / max(rx + tx, 1)),
            "pkts_per_conn": round((rx + tx) / n, 2),
            "stages": per,
            "attributed_pct": round(100 * sum(stages.values()) /
                                    max(prof.total, 1), 1),
        }
        result["scenarios"][name] = row
        print("%-13s %9d %9d %7.2f  %s" % (name, row["per_conn"],
                                           row["per_pkt"],
                                           row["pkts_per_conn"], " ".join(
                                               "%13d" % per[s]
                                               for s in ORDER)))
    ll_table(sys.argv[2:], counts, result)
    short = result["scenarios"].get("short")
    if short is not None:
        result["server_instructions_per_conn"] = short["per_conn"]
        result["server_instructions_per_conn_outside_driver"] = (
            short["per_conn"] - short["stages"]["driver"])
    for name, row in result["scenarios"].items():
        if abs(row["attributed_pct"] - 100) > 1:
            print("note: %s: only %.1f%% of the instructions attributed" %
                  (name, row["attributed_pct"]))
    print("keepalive: per request; glue: tcpterm's worker loop, RX "
          "dispatch and TX queueing (lib/dpdk); driver: ethdev, ring PMD, "
          "mempool, mbufs")
    print(json.dumps(result, separators=(",", ":")))
    return 0 if "server_instructions_per_conn" in result else 1


if __name__ == "__main__":
    sys.exit(main())
