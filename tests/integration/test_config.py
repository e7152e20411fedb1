# SPDX-License-Identifier: BSD-3-Clause
"""Command line and configuration errors (no port needed)."""

import os
import re
import signal
import subprocess

from harness import (ROOT, Tcpterm, _remove_runtime_dir, base_config, binary,
                     check, eal_args, log, run_tcpterm_once, sh, unique,
                     write_temp)

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


def _hold_tap(name):
    """Open TAP interface name as DPDK's driver does (multi-queue, not
    persistent): it exists while the returned file stays open."""
    import fcntl
    import struct
    tunsetiff = 0x400454ca
    iff_tap, iff_no_pi, iff_multi_queue = 0x0002, 0x1000, 0x0100
    f = open("/dev/net/tun", "r+b", buffering=0)
    fcntl.ioctl(f, tunsetiff, struct.pack(
        "16sH", name.encode(), iff_tap | iff_no_pi | iff_multi_queue))
    return f


def test_tap_in_use():
    """A second tcpterm on a TAP interface another process holds would
    share its frames with it (the driver attaches one more queue): it is
    refused before the EAL starts, exit 2, naming the interface. A
    persistent TAP made beforehand (ip tuntap add) is still taken."""
    iface = unique("h")
    cfg = write_temp(base_config([{"port": 80, "app": "http"}]))
    try:
        holder = _hold_tap(iface)
        try:
            prefix = unique("c")
            rc, out, err = run_tcpterm_once(
                eal_args(prefix, mem_mb=64, vdev="net_tap0,iface=" + iface)
                + ["--", "-c", cfg], prefix=prefix, raw=True, timeout=20)
        finally:
            holder.close()
        log("held tap: exit %d  %s" % (rc, err.strip()[-200:]))
        check(rc == 2, "exit %d with the TAP held, want 2: %s"
              % (rc, (out + err)[-400:]))
        check("interface '%s'" % iface in err and "already exists" in err,
              "no message naming the TAP in use: %r" % err[-400:])
        check("tcpterm: ready" not in out, "it started all the same")
        sh(["ip", "tuntap", "add", iface, "mode", "tap", "multi_queue"])
        try:
            prefix = unique("c")
            p = subprocess.Popen(
                [binary()] + eal_args(prefix, mem_mb=256,
                                      vdev="net_tap0,iface=" + iface)
                + ["--", "-c", cfg], stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT, text=True)
            try:
                out = p.communicate(timeout=10)[0]
            except subprocess.TimeoutExpired:
                p.send_signal(signal.SIGTERM)
                out = p.communicate(timeout=20)[0]
            finally:
                _remove_runtime_dir(prefix)
        finally:
            sh(["ip", "tuntap", "del", iface, "mode", "tap",
                "multi_queue"], check=False)
        check("tcpterm: ready" in out,
              "a persistent TAP was refused:\n%s" % out[-600:])
    finally:
        os.unlink(cfg)


def test_file_prefix_in_use():
    """A second instance with a running one's --file-prefix: the EAL
    cannot lock its runtime directory and leaves rte_errno at 0. The
    message must not read "Success" nor blame the option order, and the
    exit status is 1 (the machine, not the command line)."""
    with Tcpterm(base_config([{"port": 80, "app": "http"}])) as t:
        argv = ([binary()] + eal_args(t.prefix, mem_mb=64,
                                      vdev="net_tap0,iface=" + unique("t"))
                + ["--"])
        p = subprocess.run(argv, capture_output=True, text=True, timeout=60)
        line = [x for x in p.stderr.splitlines()
                if x.startswith("tcpterm:")]
        log("same prefix: exit %d  %s" % (p.returncode, line))
        check(p.returncode == 1, "exit %d, want 1: %s"
              % (p.returncode, p.stderr[-400:]))
        check(line and "EAL init failed" in line[-1]
              and "Success" not in line[-1]
              and "see the EAL messages" in line[-1],
              "unhelpful EAL message: %r" % line)
        check(t.alive(), "the first instance died")


def test_systemd_unit_config_check():
    """The unit's configuration check (ExecStartPre running tcpterm)
    passes on a good file: without "--" tcpterm's own options went to
    the EAL, which refused them (exit 2), and the service never
    started. The same command must also refuse a bad file."""
    unit = os.path.join(ROOT, "config", "systemd", "tcpterm.service")
    with open(unit) as f:
        cmds = [ln.split("=", 1)[1].split() for ln in f
                if ln.startswith("ExecStartPre=/usr/bin/tcpterm ")]
    check(len(cmds) == 1, "no single tcpterm ExecStartPre in %s" % unit)
    good = os.path.join(ROOT, "config", "tap.yaml")
    bad = write_temp(GOOD_HEAD + "bogus_key: 3\n")
    try:
        for path, want in ((good, 0), (bad, 2)):
            argv = [binary()] + [path if a == "/etc/tcpterm/tcpterm.yaml"
                                 else a for a in cmds[0][1:]]
            p = subprocess.run(argv, capture_output=True, text=True,
                               timeout=60)
            log("%s: exit %d" % (" ".join(cmds[0][1:]), p.returncode))
            check(p.returncode == want, "%s on %s: exit %d, want %d: %s"
                  % (" ".join(cmds[0]), path, p.returncode, want,
                     p.stderr[-300:]))
    finally:
        os.unlink(bad)
