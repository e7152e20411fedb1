# SPDX-License-Identifier: BSD-3-Clause
"""Command line and configuration errors (no port needed)."""

import os
import re

from harness import check, log, run_tcpterm_once, write_temp

GOOD_HEAD = """\
ports:
  - device: net_tap0
    ipv4: 198.18.0.1/24
workers: 1
listeners:
  - port: 80
    app: http
"""

# (name, YAML, line of the error)
BAD = [
    ("unknown key", GOOD_HEAD + "bogus_key: 3\n", 8),
    ("unknown nested key", GOOD_HEAD + "tcp:\n  msl_ms: 100\n"
     "  no_such_knob: 1\n", 10),
    ("wrong type", GOOD_HEAD.replace("workers: 1", "workers: many"), 4),
    ("bad address", GOOD_HEAD.replace("198.18.0.1/24", "198.18.0.300/24"),
     3),
    ("port out of range", GOOD_HEAD.replace("port: 80", "port: 70000"), 6),
    ("bad enum", GOOD_HEAD + "    close: sometimes\n", 8),
]


def test_config_errors():
    problems = []
    for name, text, line in BAD:
        path = write_temp(text)
        try:
            rc, out, err = run_tcpterm_once(["-c", path])
        finally:
            os.unlink(path)
        pat = r"^%s:%d:\d+: " % (re.escape(path), line)
        m = re.search(pat, err, re.M)
        msg = m and err[m.start():].splitlines()[0]
        log("%-18s exit %d  %s" % (name, rc, msg or err.strip()[-200:]))
        if rc != 2:
            problems.append("%s: exit %d, want 2" % (name, rc))
        if not m:
            problems.append("%s: stderr lacks %s: %r"
                            % (name, pat, err[-300:]))
    check(not problems, "; ".join(problems))


def test_help_and_print_config():
    # After "--" (tcpterm's own), and bare (the EAL's, with ours appended).
    for argv, raw in ((["--help"], False), (["-h"], False),
                      (["--help"], True)):
        rc, out, err = run_tcpterm_once(argv, raw=raw)
        text = out + err
        what = " ".join(argv) + (" (bare)" if raw else "")
        check(rc == 0, "%s: exit %d: %s" % (what, rc, text[-300:]))
        for opt in ("-c", "--config", "--print-config", "-h", "--help",
                    "-V", "--version"):
            check(re.search(r"(^|\s|,)%s\b" % re.escape(opt), text, re.M),
                  "%s does not mention %s:\n%s" % (what, opt, text))
    rc, out, err = run_tcpterm_once(["--print-config"])
    check(rc == 0, "--print-config exit %d: %s" % (rc, err[-300:]))
    for key in ("ports:", "listeners:", "msl_ms:", "max_time_wait:"):
        check(key in out, "--print-config lacks %s:\n%s" % (key, out))
    rc, out, err = run_tcpterm_once(["-V"])
    check(rc == 0 and "0.1" in out + err, "-V: exit %d %r" % (rc, out + err))
