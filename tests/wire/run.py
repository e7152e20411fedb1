#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Run the wire-level suite: a scripted remote TCP against tcpterm on a
net_tap port, then the cases marked @linux against the Linux kernel as a
reference.

    run.py [--no-linux] [--table FILE] [--module MODULE] [NAME...]

NAME is a case without its test_ prefix (default: all); the cases of
MODULES6 run over IPv6 (again, for those in MODULES), named v6_NAME. Prints
"PASS name (x.xs)" or "FAIL name: reason" per case, the Linux comparison
table, and "wire: N passed, N failed"; exits 1 on any failure. Linux
differences are reported, not failures. --module runs the cases of one
module instead of the suite (one of MODULES, or one kept out of it).
"""

import importlib
import os
import sys
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

# Modules with a TCP_OVERRIDES dict run against their own tcpterm instance
# with those tcp settings; the others share one instance. A case marked
# with steps.tcp_overrides() takes its own settings instead of the
# module's (consecutive cases with the same settings share an instance).
MODULES = ["test_unknown", "test_flags", "test_rst", "test_syn",
           "test_edge", "test_close", "test_strict", "test_conform",
           "test_pmtu", "test_hold", "test_rexmit"]
# The core close cases and path MTU discovery run again with the peer on
# IPv6; Neighbor Discovery runs on IPv6 only.
MODULES6 = ["test_close", "test_pmtu", "test_nd"]
V6 = "v6_"


def collect(modules=MODULES, prefix=""):
    cases = []
    for m in modules:
        mod = importlib.import_module(m)
        for name, fn in vars(mod).items():
            if name.startswith("test_") and callable(fn) and \
                    getattr(fn, "__module__", None) == m:
                fn.overrides = getattr(fn, "tcp_overrides",
                                       getattr(mod, "TCP_OVERRIDES", None))
                cases.append((prefix + name[len("test_"):], fn))
    return cases


def groups(cases):
    """Cases grouped by tcpterm instance (tcp overrides), in order."""
    out = []
    for name, fn in cases:
        if not out or out[-1][0] != fn.overrides:
            out.append((fn.overrides, []))
        out[-1][1].append((name, fn))
    return out


def run_case(peer, name, fn):
    """Run one case; returns (ok, message, observations, seconds)."""
    peer.obs = []
    peer.notes = []
    t0 = time.monotonic()
    try:
        fn(peer)
    except AssertionError as e:
        return False, str(e), list(peer.obs), time.monotonic() - t0
    except Exception as e:
        return (False, "%s: %s\n%s" % (type(e).__name__, e,
                                       traceback.format_exc()),
                list(peer.obs), time.monotonic() - t0)
    return True, "", list(peer.obs), time.monotonic() - t0


def run_tcpterm(cases, overrides, results, ipv6=False):
    from peer import Peer
    from targets import TcptermTarget
    fam = " v6" if ipv6 else ""
    with TcptermTarget(overrides, ipv6) as tt:
        peer = Peer(tt.target)
        try:
            for name, fn in cases:
                ok, msg, obs, dt = run_case(peer, name, fn)
                results[name] = (ok, obs)
                extra = "".join("\n    " + n for n in peer.notes)
                if ok:
                    print("PASS %s (%.1fs)%s" % (name, dt, extra),
                          flush=True)
                else:
                    print("FAIL %s: %s (%.1fs)%s" % (name, msg, dt, extra),
                          flush=True)
            if peer.kernel_tcp:
                print("FAIL kernel_silent: the namespace's kernel sent %d TCP"
                      " frames on the link" % len(peer.kernel_tcp),
                      flush=True)
                results["kernel_silent %s%s" % (overrides or "", fam)] = \
                    (False, [])
            if not tt.tt.alive():
                print("FAIL tcpterm_alive: tcpterm exited:\n%s"
                      % tt.tt.output_tail(), flush=True)
                results["tcpterm_alive %s%s" % (overrides or "", fam)] = \
                    (False, [])
        finally:
            peer.close()


def run_linux(cases):
    from peer import Peer
    from targets import LinuxTarget
    results = {}
    with LinuxTarget() as lt:
        peer = Peer(lt.target)
        try:
            for name, fn in cases:
                ok, msg, obs, dt = run_case(peer, name, fn)
                if not ok:
                    first = msg.splitlines()[0] if msg else ""
                    obs = obs + ["(differs: %s)" % first[:160]]
                results[name] = (ok, obs)
                print("LINUX %s: %s" % (name, "; ".join(obs) or "-"),
                      flush=True)
        finally:
            peer.close()
    return results


def table(cases, tt, lx):
    rows = ["| case | tcpterm | linux | same? |", "|---|---|---|---|"]
    for name, _ in cases:
        a = tt.get(name, (False, []))[1]
        b = lx.get(name, (False, []))[1]
        same = [x for x in a] == [y for y in b]
        rows.append("| %s | %s | %s | %s |" % (
            name, "<br>".join(a) or "-", "<br>".join(b) or "-",
            "yes" if same else "no"))
    return "\n".join(rows)


def main():
    if os.geteuid() != 0:
        print("the wire suite needs root (netns, tap, raw sockets)",
              file=sys.stderr)
        return 1
    args = sys.argv[1:]
    if "-h" in args or "--help" in args:
        print("usage: run.py [--no-linux] [--table FILE] [--module MODULE]"
              " [CASE...]\n"
              "cases: " + " ".join(sorted({c[0] for c in collect()} |
                                         {c[0] for c in
                                          collect(MODULES6, V6)})))
        return 0
    use_linux = "--no-linux" not in args
    table_file = None
    if "--table" in args:
        table_file = args[args.index("--table") + 1]
        args.remove(table_file)
    modules, modules6 = MODULES, MODULES6
    if "--module" in args:
        i = args.index("--module")
        modules, modules6 = [args[i + 1]], []
        del args[i:i + 2]
    want = set(a for a in args if not a.startswith("--"))
    sys.path.insert(0, os.path.join(os.path.dirname(HERE), "integration"))
    import harness
    if not os.access(harness.binary(), os.X_OK):
        print("FAIL setup: no tcpterm binary at %s" % harness.binary())
        print("wire: 0 passed, 1 failed")
        return 1
    known = collect(modules) + collect(modules6, V6)
    unknown = sorted(want - {c[0] for c in known})
    if unknown:
        print("no such case: %s (run.py --help lists them)"
              % ", ".join(unknown), file=sys.stderr)
        return 2
    cases = [c for c in collect(modules) if not want or c[0] in want]
    cases6 = [c for c in collect(modules6, V6) if not want or c[0] in want]
    t0 = time.monotonic()
    failed = 0
    tt = {}
    runs = [(g, False) for g in groups(cases)] + \
        [(g, True) for g in groups(cases6)]
    for (overrides, group), ipv6 in runs:
        try:
            run_tcpterm(group, overrides, tt, ipv6)
        except Exception as e:
            failed += 1
            print("FAIL setup %s: %s: %s\n%s"
                  % (overrides or "", type(e).__name__, e,
                     traceback.format_exc()))
    passed = sum(1 for ok, _ in tt.values() if ok)
    failed += sum(1 for ok, _ in tt.values() if not ok)
    lcases = [c for c in cases if getattr(c[1], "linux", False)]
    if use_linux and lcases:
        try:
            lx = run_linux(lcases)
        except Exception as e:
            failed += 1
            print("FAIL linux_reference: %s: %s\n%s"
                  % (type(e).__name__, e, traceback.format_exc()))
        else:
            t = table(lcases, tt, lx)
            print("\nWire comparison with Linux:\n" + t + "\n")
            if table_file:
                with open(table_file, "w") as f:
                    f.write(t + "\n")
    print("wire: %d passed, %d failed (%.0fs)"
          % (passed, failed, time.monotonic() - t0))
    return 1 if failed or not (cases or cases6) else 0


if __name__ == "__main__":
    sys.exit(main())
