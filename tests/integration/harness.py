# SPDX-License-Identifier: BSD-3-Clause
"""Integration harness: run tcpterm on a net_tap port, move the kernel side
of the tap into a private network namespace, and drive real Linux clients
from inside that namespace (nsenter --net).

Every instance gets its own EAL file prefix, tap name and namespace, so
parallel or stale runs never collide. Everything is cleaned up by PID and
by name of what this module created, never by pattern.
"""

import itertools
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CLIENT = os.path.join(HERE, "client.py")
PYTHON = "/usr/bin/python3"  # Debian's python: has scapy.

SERVER_IP = "198.18.0.1"
CLIENT_IP = "198.18.0.2"

_seq = itertools.count()



_PR_SET_PDEATHSIG = 1


def _die_with_parent():
    """In the child: get SIGTERM when the test runner dies, however it dies.

    A busy-polling tcpterm left behind by a killed runner would hold a
    core at 100% and skew everything that runs after it.
    """
    import ctypes
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)

def binary():
    """Path of the tcpterm binary (TCPTERM_BIN overrides)."""
    return os.environ.get("TCPTERM_BIN",
                          os.path.join(ROOT, "build", "app", "tcpterm",
                                       "tcpterm"))


def unique(kind):
    """A name unique to this process and call, at most 15 characters."""
    return "tt%s%d%d" % (kind, os.getpid() % 100000, next(_seq))


def eal_args(prefix, mem_mb=512, vdev=None, extra=(), lcores="0"):
    """EAL arguments for an isolated instance."""
    args = ["-l", lcores, "--file-prefix", prefix, "--no-pci"]
    if os.environ.get("TT_HUGE") == "1":
        args += ["--socket-mem", str(mem_mb)]
    else:
        args += ["--no-huge", "-m", str(mem_mb)]
    if vdev:
        args.append("--vdev=" + vdev)
    args += list(extra)
    return args


class TestFailure(AssertionError):
    """A check failed; the message says what was expected and seen."""


def check(cond, msg):
    if not cond:
        raise TestFailure(msg)


def wait_until(pred, timeout, interval=0.1, what="condition"):
    """Poll pred() until it returns a truthy value; return that value.

    Raises TestFailure after timeout seconds, saying what (a string, or a
    callable returning one, evaluated then).
    """
    deadline = time.monotonic() + timeout
    last = None
    while True:
        last = pred()
        if last:
            return last
        if time.monotonic() >= deadline:
            raise TestFailure("timed out after %.1fs waiting for %s"
                              % (timeout, what() if callable(what)
                                 else what))
        time.sleep(interval)


def write_temp(text, suffix=".yaml"):
    fd, path = tempfile.mkstemp(prefix="tcpterm-it-", suffix=suffix)
    with os.fdopen(fd, "w") as f:
        f.write(textwrap.dedent(text))
    return path


def run_tcpterm_once(app_args, prefix=None, timeout=60, mem_mb=64,
                     raw=False):
    """Run tcpterm without a port (config checks, --help); return
    (returncode, stdout, stderr). With raw, app_args is the whole
    command line after the program name."""
    prefix = prefix or unique("c")
    argv = [binary()] + (app_args if raw else
                         eal_args(prefix, mem_mb=mem_mb) + ["--"] + app_args)
    try:
        p = subprocess.run(argv, capture_output=True, text=True,
                           timeout=timeout)
    finally:
        _remove_runtime_dir(prefix)
    return p.returncode, p.stdout, p.stderr


def _remove_runtime_dir(prefix):
    d = "/var/run/dpdk/" + prefix
    if os.path.isdir(d):
        subprocess.run(["rm", "-rf", "--", d], check=False)


def base_config(listeners, tcp=None, limits=None, stats_interval=0,
                gateway=None):
    """YAML text for one net_tap port plus the given listeners; with
    gateway, off-link peers are reached through that address."""
    lines = [
        "ports:",
        "  - device: net_tap0",
        "    ipv4: %s/24" % SERVER_IP,
    ] + (["    gateway: %s" % gateway] if gateway else []) + [
        "workers: 1",
        "listeners:",
    ]
    for lst in listeners:
        first = True
        for k, v in lst.items():
            lines.append("%s%s: %s" % ("  - " if first else "    ", k, v))
            first = False
    for section, kv in (("tcp", tcp), ("limits", limits)):
        if kv:
            lines.append(section + ":")
            lines += ["  %s: %s" % (k, v) for k, v in kv.items()]
    lines += ["stats:", "  interval_ms: %d" % stats_interval]
    return "\n".join(lines) + "\n"


DEFAULT_LIMITS = {"max_connections": 20000, "max_time_wait": 20000}


class Tcpterm:
    """One tcpterm process on its own tap, with the kernel side of the tap
    in its own namespace. Use as a context manager."""

    def __init__(self, config=None, app_args=(), ready_timeout=60,
                 mem_mb=512, lcores="0", vdev_extra="", server_sysctls=()):
        self.config_text = config
        # Given: tcpterm runs in a network namespace of its own (its
        # control sockets, /metrics included, see these settings there).
        self.server_sysctls = list(server_sysctls)
        self.vdev_extra = vdev_extra  # e.g. ",mac=02:..." for the tap
        self.app_args = list(app_args)
        self.ready_timeout = ready_timeout
        self.mem_mb = mem_mb
        self.lcores = lcores  # EAL -l: "0-1" for two workers
        self.prefix = unique("p")
        self.iface = unique("t")
        self.holder = None      # process holding the client namespace
        self.ns_path = None
        self.proc = None
        self.config_path = None
        self.log_path = None
        self.returncode = None

    # ---- life cycle ----

    def __enter__(self):
        try:
            self.start()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def start(self):
        args = list(self.app_args)
        if self.config_text is not None:
            self.config_path = write_temp(self.config_text)
            args = ["-c", self.config_path] + args
        fd, self.log_path = tempfile.mkstemp(prefix="tcpterm-it-",
                                             suffix=".log")
        vdev = "net_tap0,iface=" + self.iface + self.vdev_extra
        argv = ([binary()] + eal_args(self.prefix, self.mem_mb, vdev,
                                      lcores=self.lcores)
                + ["--"] + args)
        self.argv = argv
        if self.server_sysctls:
            # unshare and sh exec in turn: the PID is tcpterm's.
            argv = (["unshare", "--net", "--", "sh", "-ec",
                     'ip link set lo up; while [ "$1" != -- ]; do '
                     'sysctl -qw "$1"; shift; done; shift; exec "$@"', "sh"]
                    + self.server_sysctls + ["--"] + argv)
        self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL,
                                     stdout=fd, stderr=subprocess.STDOUT,
                                     start_new_session=True,
                                     preexec_fn=_die_with_parent)
        os.close(fd)
        deadline = time.monotonic() + self.ready_timeout
        while "tcpterm: ready" not in self.output():
            if self.proc.poll() is not None:
                raise TestFailure("tcpterm exited with %d before ready:\n%s"
                                  % (self.proc.returncode,
                                     self.output_tail()))
            if time.monotonic() > deadline:
                raise TestFailure("tcpterm not ready after %ds:\n%s"
                                  % (self.ready_timeout, self.output_tail()))
            time.sleep(0.05)
        self._setup_ns()

    def _setup_ns(self):
        # The namespace is held by a process (unshare) rather than named
        # with "ip netns add": no bind mounts, so it also works inside a
        # chroot, and it disappears with its holder, which exits when
        # its stdin closes (also if this process dies).
        self.holder = subprocess.Popen(
            ["unshare", "--net", "--", "sh", "-c", "read x"],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL)
        mine = os.readlink("/proc/self/ns/net")
        wait_until(lambda: self._holder_ns() not in (None, mine), 5,
                   interval=0.01, what="the namespace holder")
        self.ns_path = "/proc/%d/ns/net" % self.holder.pid
        sh(self.server_argv(["ip", "link", "set", self.iface, "netns",
                             str(self.holder.pid)]))
        # Keep the wire quiet: no IPv6 autoconfiguration chatter.
        self.ns_sh(["sysctl", "-q", "-w",
                    "net.ipv6.conf.all.disable_ipv6=1"], check=False)
        self.ns_sh(["ip", "link", "set", "lo", "up"])
        self.ns_sh(["ip", "addr", "add", CLIENT_IP + "/24", "dev",
                    self.iface])
        self.ns_sh(["ip", "link", "set", self.iface, "up"])

    def _holder_ns(self):
        if self.holder.poll() is not None:
            raise TestFailure("namespace holder (unshare) exited with %d"
                              % self.holder.returncode)
        try:
            return os.readlink("/proc/%d/ns/net" % self.holder.pid)
        except OSError:
            return None

    def output(self):
        try:
            with open(self.log_path, errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def output_tail(self, n=60):
        return "\n".join(self.output().splitlines()[-n:])

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self, sig=signal.SIGTERM, timeout=20):
        """Signal tcpterm and wait; returns its exit status."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                raise TestFailure("tcpterm did not exit %ds after %s:\n%s"
                                  % (timeout, signal.Signals(sig).name,
                                     self.output_tail()))
        self.returncode = self.proc.returncode
        return self.returncode

    def close(self):
        """Stop everything this instance started; safe to call twice."""
        if self.proc is not None and self.proc.poll() is None:
            try:
                self.stop(signal.SIGTERM, timeout=10)
            except TestFailure:
                pass
        if self.holder is not None:
            self.holder.stdin.close()
            try:
                self.holder.wait(5)
            except subprocess.TimeoutExpired:
                self.holder.kill()
                self.holder.wait()
            self.holder = None
        _remove_runtime_dir(self.prefix)
        for p in (self.config_path,):
            if p and os.path.exists(p):
                os.unlink(p)
        if self.log_path and os.path.exists(self.log_path) and \
                not os.environ.get("TT_KEEP_LOGS"):
            os.unlink(self.log_path)

    # ---- namespace helpers ----

    def server_argv(self, argv):
        """argv run where tcpterm's own sockets are (server_sysctls)."""
        if not self.server_sysctls:
            return list(argv)
        return (["nsenter", "--net=/proc/%d/ns/net" % self.proc.pid, "--"]
                + list(argv))

    def ns_argv(self, argv):
        return ["nsenter", "--net=" + self.ns_path, "--"] + list(argv)

    def ns_run(self, argv, timeout=60, **kw):
        """subprocess.run inside the namespace (text, captured output)."""
        return subprocess.run(self.ns_argv(argv), capture_output=True,
                              text=True, timeout=timeout, **kw)

    def ns_sh(self, argv, check=True, timeout=30):
        return sh(self.ns_argv(argv), check=check, timeout=timeout)

    def client(self, action, timeout=120, at_server=False, **params):
        """Run one client.py action inside the namespace (at_server: where
        tcpterm's own sockets are); return its JSON result. A Python
        exception in the client is a TestFailure."""
        argv = [PYTHON, CLIENT, action, json.dumps(params)]
        if at_server:
            p = subprocess.run(self.server_argv(argv), capture_output=True,
                               text=True, timeout=timeout)
        else:
            p = self.ns_run(argv, timeout=timeout)
        if p.returncode != 0:
            raise TestFailure("client %s failed (%d): %s%s"
                              % (action, p.returncode, p.stdout[-2000:],
                                 p.stderr[-2000:]))
        try:
            return json.loads(p.stdout.strip().splitlines()[-1])
        except (ValueError, IndexError):
            raise TestFailure("client %s: bad output %r %r"
                              % (action, p.stdout[-500:], p.stderr[-500:]))

    def client_start(self, action, **params):
        """Start a client.py action in the background; see client_finish."""
        return subprocess.Popen(
            self.ns_argv([PYTHON, CLIENT, action, json.dumps(params)]),
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def client_finish(self, proc, timeout=120):
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate()
            raise TestFailure("client timed out: %s %s"
                              % (out[-500:], err[-1000:]))
        if proc.returncode != 0:
            raise TestFailure("client failed (%d): %s"
                              % (proc.returncode, err[-2000:]))
        return json.loads(out.strip().splitlines()[-1])

    def peer_mac(self):
        """MAC tcpterm answers ARP with, as learnt by the namespace."""
        self.ns_run(["ping", "-c", "1", "-W", "2", SERVER_IP])
        out = self.ns_run(["ip", "-j", "neigh", "show", SERVER_IP,
                           "dev", self.iface]).stdout
        for n in json.loads(out or "[]"):
            if n.get("lladdr"):
                return n["lladdr"]
        raise TestFailure("no neighbour entry for %s: %r" % (SERVER_IP, out))

    # ---- telemetry ----

    def telemetry(self, cmd, timeout=5):
        return telemetry(self.prefix, cmd, timeout)

    def states(self):
        return self.telemetry("/tcpterm/states")["/tcpterm/states"]

    def stats(self):
        return self.telemetry("/tcpterm/stats")["/tcpterm/stats"]

    def busy_states(self):
        """States other than LISTEN/CLOSED with a non-zero gauge."""
        return {k: v for k, v in self.states().items()
                if v and k not in ("LISTEN", "CLOSED")}


def sh(argv, check=True, timeout=30):
    p = subprocess.run(argv, capture_output=True, text=True, timeout=timeout)
    if check and p.returncode != 0:
        raise TestFailure("%s failed (%d): %s" % (" ".join(argv),
                                                  p.returncode,
                                                  p.stderr.strip()))
    return p


def telemetry(prefix, cmd, timeout=5):
    """Send one command to a DPDK telemetry socket and return the reply."""
    path = "/var/run/dpdk/%s/dpdk_telemetry.v2" % prefix
    s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    s.settimeout(timeout)
    try:
        s.connect(path)
        json.loads(s.recv(65536).decode())  # Greeting: version, pid, ...
        s.send(cmd.encode())
        reply = s.recv(65536).decode()
    finally:
        s.close()
    try:
        return json.loads(reply)
    except ValueError:
        raise TestFailure("telemetry %s: not JSON: %r" % (cmd, reply[:300]))


def deltas(before, after):
    """Counters that changed, as {name: after - before}."""
    return {k: v - before.get(k, 0) for k, v in after.items()
            if isinstance(v, int) and v != before.get(k, 0)}


def log(msg):
    print("    " + msg, flush=True)
    sys.stdout.flush()


def http_ok(t, port=80, body_bytes=2):
    """One Connection: close request through the namespace; checks it."""
    r = t.client("http", port=port, count=1, body_bytes=body_bytes)
    check(r["ok"] == 1, "HTTP request failed: %r" % r)
    check(r["body_len"] == body_bytes, "body %d bytes, want %d"
          % (r["body_len"], body_bytes))
    return r


__all__ = [n for n in dir() if not n.startswith("_")] + [
    "re", "time", "signal"]
