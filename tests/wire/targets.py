# SPDX-License-Identifier: BSD-3-Clause
"""The two things the wire cases talk to.

tcpterm: one tcpterm on a net_tap port (tests/integration/harness.py),
with short timers and one listener per role. The kernel side of the tap
sits in a namespace with 198.18.0.2; the scripted peer uses 198.18.0.77,
an address no interface has, so the namespace's kernel drops the replies
instead of resetting our crafted connections. With ipv6, tcpterm also
has 2001:db8::1/64 and the peer speaks IPv6 from 2001:db8::77 (the
namespace's kernel has IPv6 off: it drops every IPv6 frame).

linux: the kernel's own TCP as a reference. A server namespace holds one
end of a veth pair (198.18.1.1) and tests/wire/linux_server.py serving the
same roles; a peer namespace holds the other end, unaddressed, and the
peer uses 198.18.1.77 on it.
"""

import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "integration"))

import harness  # noqa: E402
from peer import Target  # noqa: E402

PEER_MAC = "02:00:c6:12:00:4d"
SERVER6 = "2001:db8::1"
PEER6 = "2001:db8::77"

# Listener roles -> ports (the same on both targets).
PORTS = {
    "http": 80,		# response, then close (after-response)
    "http_half": 81,	# response, then shutdown write, read until FIN
    "http_abort": 82,	# response, then RST (close: abort)
    "echo": 7,		# echo, close on the peer's FIN
    "echo_delay": 6,	# echo, close 400 ms after the peer's FIN
    "echo_hold": 8,	# echo, close 4 s after the peer's FIN
    "discard": 9,	# read and drop, close on the peer's FIN
    "discard_slow": 10,	# discard, but read nothing for 3 s (zero window)
    "closed": 5555,	# nobody listens
}

# Timers of the tcpterm instance (ms).
PARAMS = {
    "msl_ms": 1000,
    "fin_wait2_timeout_ms": 2000,
    "rto_min_ms": 100,
    "rto_max_ms": 5000,
    "rto_initial_ms": 200,
    "max_retries": 3,
    "delayed_ack_ms": 40,
    "echo_delay_ms": 400,
    "echo_hold_ms": 4000,
    "read_delay_ms": 3000,
}


def tcpterm_config(tcp_overrides=None, ipv6=False):
    listeners = [
        {"port": PORTS["http"], "app": "http", "close": "after-response",
         "response_body_bytes": 2},
        {"port": PORTS["http_half"], "app": "http", "close": "half-close",
         "response_body_bytes": 2},
        {"port": PORTS["http_abort"], "app": "http", "close": "abort",
         "response_body_bytes": 2},
        {"port": PORTS["echo"], "app": "echo", "close": "on-peer-fin"},
        {"port": PORTS["echo_delay"], "app": "echo", "close": "on-peer-fin",
         "close_delay_ms": PARAMS["echo_delay_ms"]},
        {"port": PORTS["echo_hold"], "app": "echo", "close": "on-peer-fin",
         "close_delay_ms": PARAMS["echo_hold_ms"]},
        {"port": PORTS["discard"], "app": "discard", "close": "on-peer-fin"},
        {"port": PORTS["discard_slow"], "app": "discard",
         "close": "on-peer-fin", "read_delay_ms": PARAMS["read_delay_ms"]},
    ]
    tcp = {k: PARAMS[k] for k in ("msl_ms", "fin_wait2_timeout_ms",
                                  "rto_min_ms", "rto_max_ms",
                                  "rto_initial_ms", "max_retries",
                                  "delayed_ack_ms")}
    tcp.update({"timestamps": "true", "rfc1337": "true",
                "time_wait_reuse": "timestamps",
                "challenge_ack_limit": 10})
    overrides = dict(tcp_overrides or {})
    limits = dict(harness.DEFAULT_LIMITS)
    limits.update(overrides.pop("limits", {}))
    port = overrides.pop("port", {})
    tcp.update(overrides)
    text = harness.base_config(listeners, tcp=tcp, limits=limits)
    if port:
        v4 = "    ipv4: %s/24\n" % harness.SERVER_IP
        text = text.replace(v4, v4 + "".join(
            "    %s: %s\n" % kv for kv in port.items()), 1)
    if ipv6:
        v4 = "    ipv4: %s/24\n" % harness.SERVER_IP
        text = text.replace(v4, v4 + "    ipv6: %s/64\n" % SERVER6, 1)
    return text


class TcptermTarget:
    """Context manager: a running tcpterm and its Target; tcp_overrides
    replaces keys of the tcp section, and those of its "limits" dict keys
    of the limits section."""

    def __init__(self, tcp_overrides=None, ipv6=False):
        self.tcp_overrides = tcp_overrides
        self.ipv6 = ipv6

    def __enter__(self):
        self.tt = harness.Tcpterm(tcpterm_config(self.tcp_overrides,
                                                 self.ipv6))
        self.tt.__enter__()
        server, peer = ((SERVER6, PEER6) if self.ipv6 else
                        (harness.SERVER_IP, "198.18.0.77"))
        self.target = Target(
            "tcpterm", self.tt.ns_path, self.tt.iface, server, peer,
            PEER_MAC, PORTS, PARAMS, stats=self.tt.stats,
            states=self.tt.states)
        return self

    def __exit__(self, *exc):
        self.tt.__exit__(*exc)
        return False


def _sh(argv, check=True):
    p = subprocess.run(argv, capture_output=True, text=True, timeout=30)
    if check and p.returncode != 0:
        raise RuntimeError("%s: %s" % (" ".join(argv), p.stderr.strip()))
    return p


class NetNs:
    """A network namespace held by a process (as in the harness): no
    bind mount, and it disappears with its holder."""

    def __init__(self):
        self.holder = subprocess.Popen(
            ["unshare", "--net", "--", "sh", "-c", "read x"],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL)
        mine = os.readlink("/proc/self/ns/net")
        harness.wait_until(lambda: self._ns() not in (None, mine), 5,
                           interval=0.01, what="the namespace holder")
        self.pid = self.holder.pid
        self.path = "/proc/%d/ns/net" % self.pid

    def _ns(self):
        try:
            return os.readlink("/proc/%d/ns/net" % self.holder.pid)
        except OSError:
            return None

    def argv(self, argv):
        return ["nsenter", "--net=" + self.path, "--"] + list(argv)

    def sh(self, argv, check=True):
        return _sh(self.argv(argv), check)

    def close(self):
        if self.holder.poll() is None:
            self.holder.stdin.close()
            try:
                self.holder.wait(5)
            except subprocess.TimeoutExpired:
                self.holder.kill()
                self.holder.wait()


class LinuxTarget:
    """Context manager: a Linux TCP server behind a veth pair."""

    SERVER_IP = "198.18.1.1"

    def __enter__(self):
        tag = "%d" % (os.getpid() % 100000)
        self.sif, self.pif = "ttwS" + tag, "ttwP" + tag
        self.server = None
        self.nss = []
        try:
            self._setup()
        except BaseException:
            self.__exit__()
            raise
        self.target = Target(
            "linux", self.pns.path, self.pif, self.SERVER_IP, "198.18.1.77",
            PEER_MAC, PORTS, PARAMS)
        return self

    def _setup(self):
        self.sns = NetNs()
        self.nss.append(self.sns)
        self.pns = NetNs()
        self.nss.append(self.pns)
        _sh(["ip", "link", "add", self.sif, "netns", str(self.sns.pid),
             "type", "veth", "peer", "name", self.pif, "netns",
             str(self.pns.pid)])
        for ns, dev in ((self.sns, self.sif), (self.pns, self.pif)):
            for k in ("all", "default"):
                ns.sh(["sysctl", "-q", "-w",
                       "net.ipv6.conf.%s.disable_ipv6=1" % k], check=False)
            ns.sh(["ip", "link", "set", "lo", "up"])
            ns.sh(["ip", "link", "set", dev, "up"])
            # Offloads would hand the peer oversized or unchecksummed
            # frames.
            ns.sh(["ethtool", "-K", dev, "tso", "off", "gso", "off", "gro",
                   "off", "tx", "off"], check=False)
        self.sns.sh(["ip", "addr", "add", self.SERVER_IP + "/24", "dev",
                     self.sif])
        ports = ",".join("%s=%d" % kv for kv in PORTS.items())
        self.server = subprocess.Popen(
            self.sns.argv([harness.PYTHON,
                           os.path.join(HERE, "linux_server.py"),
                           self.SERVER_IP, ports,
                           str(PARAMS["echo_delay_ms"]),
                           str(PARAMS["echo_hold_ms"])]),
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.server.stdout.readline()
        if not line.startswith("ready"):
            raise RuntimeError("linux_server: %r %r" %
                               (line, self.server.stderr.read()[-500:]))

    def __exit__(self, *exc):
        if self.server is not None and self.server.poll() is None:
            self.server.terminate()
            try:
                self.server.wait(5)
            except subprocess.TimeoutExpired:
                self.server.kill()
                self.server.wait()
        for ns in self.nss:
            ns.close()
        self.nss = []
        return False
