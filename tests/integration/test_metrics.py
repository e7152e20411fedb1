# SPDX-License-Identifier: BSD-3-Clause
"""What an operator reads: /metrics says what each family is, and every
counter tcpterm exports is explained in the documentation."""

import os
import re
import urllib.request

from harness import ROOT, Tcpterm, base_config, check, log
from test_ctl import free_port


def families(text):
    """{name: help} of every # HELP line."""
    return dict(m.groups() for m in
                re.finditer(r"^# HELP (\S+) (.*)$", text, re.M))


def test_metrics_help():
    """Every family's # HELP says what that family counts: two families
    with the same text (the port counters all read "Port and worker
    glue counter.") tell a reader of a dashboard nothing."""
    port = free_port()
    cfg = base_config([{"port": 80, "app": "http"}]) + \
        "metrics:\n  listen: 127.0.0.1:%d\n" % port
    with Tcpterm(cfg) as t:
        with urllib.request.urlopen("http://127.0.0.1:%d/metrics" % port,
                                    timeout=5) as r:
            fam = families(r.read().decode())
        stats = t.stats()
    by_help = {}
    for name, text in fam.items():
        by_help.setdefault(text, []).append(name)
    shared = {h: n for h, n in by_help.items() if len(n) > 1}
    log("%d families, %d HELP texts shared" % (len(fam), len(shared)))
    check(not shared, "families sharing one HELP: %s" % "; ".join(
        "%r: %s" % (h, ", ".join(n[:4])) for h, n in shared.items()))
    check(fam.get("tcpterm_port_rx_packets_total") == "frames received",
          "tcpterm_port_rx_packets_total HELP %r"
          % fam.get("tcpterm_port_rx_packets_total"))
    check_documented(stats)


def check_documented(stats):
    """Every key of /tcpterm/stats (every TCP, parse-drop and glue
    counter) is named, as code, in docs/ or README.md, where an operator
    who sees it rise can look it up."""
    text = ""
    for d in (os.path.join(ROOT, "docs"), ROOT):
        for f in sorted(os.listdir(d)):
            if f.endswith(".md"):
                with open(os.path.join(d, f)) as fh:
                    text += fh.read()
    words = set()
    for span in re.findall(r"`([^`\n]+)`", text):
        words.update(re.findall(r"[a-z0-9_]+", span))
    missing = sorted(k for k in stats if k not in words and
                     not (k.startswith("drop_") and k[5:] in words))
    log("%d counters, %d undocumented" % (len(stats), len(missing)))
    check(not missing, "counters named in no doc: %s" % ", ".join(missing))
