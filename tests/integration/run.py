#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Run tcpterm's integration tests.

    run.py [NAME...]      (names without the test_ prefix; default all)

Each case starts its own tcpterm on its own tap and namespace. Prints
"PASS name (x.xs)" or "FAIL name: reason" per case, then
"integration: N passed, N failed"; exits 1 on any failure.
"""

import glob
import importlib
import os
import sys
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

# Quick cases first; the long TIME_WAIT drain last.
# Every tests/integration/test_*.py module; its test_* functions are cases.
MODULES = sorted(os.path.basename(f)[:-3] for f in glob.glob(
    os.path.join(os.path.dirname(os.path.abspath(__file__)), "test_*.py")))
LAST = ["http_close_1000"]


def collect():
    cases = []
    for m in MODULES:
        mod = importlib.import_module(m)
        for name in sorted(vars(mod)):
            fn = getattr(mod, name)
            if name.startswith("test_") and callable(fn):
                cases.append((name[len("test_"):], fn))
    cases.sort(key=lambda c: c[0] in LAST)
    return cases


def main():
    if os.geteuid() != 0:
        print("integration tests need root (netns, tap)", file=sys.stderr)
        return 1
    import harness
    if not os.access(harness.binary(), os.X_OK):
        print("FAIL setup: no tcpterm binary at %s" % harness.binary())
        print("integration: 0 passed, 1 failed")
        return 1
    # Cases are named without their "test_" prefix; either form is taken.
    want = {a[len("test_"):] if a.startswith("test_") else a
            for a in sys.argv[1:]}
    cases = collect()
    unknown = sorted(want - {c[0] for c in cases})
    if unknown:
        print("no such case: %s; the cases are:\n  %s"
              % (", ".join(unknown), "\n  ".join(c[0] for c in cases)),
              file=sys.stderr)
        return 2
    cases = [c for c in cases if not want or c[0] in want]
    passed = failed = 0
    for name, fn in cases:
        print("RUN  %s" % name, flush=True)
        t0 = time.monotonic()
        try:
            fn()
        except AssertionError as e:
            failed += 1
            print("FAIL %s: %s (%.1fs)" % (name, e, time.monotonic() - t0),
                  flush=True)
        except Exception as e:
            failed += 1
            print("FAIL %s: %s: %s (%.1fs)\n%s"
                  % (name, type(e).__name__, e, time.monotonic() - t0,
                     traceback.format_exc()), flush=True)
        else:
            passed += 1
            print("PASS %s (%.1fs)" % (name, time.monotonic() - t0),
                  flush=True)
    print("integration: %d passed, %d failed" % (passed, failed))
    return 1 if failed or not cases else 0


if __name__ == "__main__":
    sys.exit(main())
