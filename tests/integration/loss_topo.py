# SPDX-License-Identifier: BSD-3-Clause
"""Transfers under random loss, tcpterm beside the Linux kernel.

tcpterm runs on a tap whose kernel side is in the namespace R, the
router, which also holds the downloading client (curl) and is the
gateway of two more namespaces:

    tcpterm 198.18.0.1 --tap-- R 198.18.0.2
    C 198.18.2.2 --veth-- R 198.18.2.1   (the uploading client)
    S 198.18.3.1 --veth-- R 198.18.3.2   (nginx and a discard server)

Loss is drawn per packet by nft in R: on the input hook for what the
servers send to R (downloads), on the forward hook for what C sends to
the servers (uploads). C's and S's veths have segmentation offloads
off, so every packet R sees is one wire segment.
"""

import hashlib
import os
import subprocess
import tempfile
import textwrap
import time

from harness import (SERVER_IP, PYTHON, Tcpterm, TestFailure, base_config,
                     check, sh, wait_until)

ROUTER_IP = "198.18.0.2"
C_IP, C_GW = "198.18.2.2", "198.18.2.1"
S_IP, S_GW = "198.18.3.1", "198.18.3.2"
NFT_TABLE = "ttloss"


class Ns:
    """A network namespace held by a process (as the harness does)."""

    def __init__(self):
        self.holder = subprocess.Popen(
            ["unshare", "--net", "--", "sh", "-c", "read x"],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL)
        mine = os.readlink("/proc/self/ns/net")
        wait_until(lambda: self._ns() not in (None, mine), 5,
                   interval=0.01, what="a namespace holder")
        self.pid = self.holder.pid
        self.path = "/proc/%d/ns/net" % self.pid
        self.sh(["ip", "link", "set", "lo", "up"])

    def _ns(self):
        try:
            return os.readlink("/proc/%d/ns/net" % self.holder.pid)
        except OSError:
            return None

    def argv(self, argv):
        return ["nsenter", "--net=" + self.path, "--"] + list(argv)

    def sh(self, argv, check=True, timeout=30):
        return sh(self.argv(argv), check=check, timeout=timeout)

    def close(self):
        if self.holder is not None:
            self.holder.stdin.close()
            try:
                self.holder.wait(5)
            except subprocess.TimeoutExpired:
                self.holder.kill()
                self.holder.wait()
            self.holder = None


def nsenter(path, argv):
    return ["nsenter", "--net=" + path, "--"] + list(argv)


# A discard server for the Linux side: read each connection to EOF.
DISCARD = r"""
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], 9))
s.listen(16)
print("ready", flush=True)
while True:
    c, _ = s.accept()
    while c.recv(1 << 16):
        pass
    c.close()
"""

# Upload n bytes, close, wait for the server's FIN; print the seconds.
UPLOAD = r"""
import socket, sys, time
host, n, limit = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
buf = bytes(range(256)) * 4096
t0 = time.monotonic()
s = socket.create_connection((host, 9), timeout=limit)
left = n
while left:
    left -= s.send(buf[:min(left, len(buf))])
s.shutdown(socket.SHUT_WR)
while s.recv(65536):
    pass
print("%.4f" % (time.monotonic() - t0))
"""

NGINX_CONF = """\
worker_processes 1;
daemon off;
pid {d}/nginx.pid;
error_log {d}/error.log;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {d}/tmp;
    proxy_temp_path {d}/tmp;
    fastcgi_temp_path {d}/tmp;
    uwsgi_temp_path {d}/tmp;
    scgi_temp_path {d}/tmp;
    sendfile on;
    server {{
        listen {ip}:80;
        root {d}/www;
    }}
}}
"""


class LossLab:
    """tcpterm (http on 80 with a body of body_bytes, discard on 9) and
    the namespaces above; with linux, nginx and a discard server in S.
    Use as a context manager."""

    def __init__(self, body_bytes, linux=False, mem_mb=512):
        cfg = base_config(
            [{"port": 80, "app": "http", "close": "after-response",
              "response_body_bytes": body_bytes},
             {"port": 9, "app": "discard", "close": "on-peer-fin"}],
            limits={"max_connections": 1000, "max_time_wait": 1000},
            gateway=ROUTER_IP)
        self.t = Tcpterm(cfg, mem_mb=mem_mb)
        self.body_bytes = body_bytes
        self.linux = linux
        self.c = self.s = None
        self.procs = []
        self.dir = tempfile.mkdtemp(prefix="tcpterm-loss-")

    def __enter__(self):
        try:
            self.t.start()
            self._wire()
            if self.linux:
                self._linux_servers()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def r_sh(self, argv, check=True, timeout=30):
        return self.t.ns_sh(argv, check=check, timeout=timeout)

    def _leg(self, ns, r_name, ns_name, r_ip, ns_ip):
        self.r_sh(["ip", "link", "add", r_name, "type", "veth", "peer",
                   "name", ns_name, "netns", str(ns.pid)])
        self.r_sh(["ip", "addr", "add", r_ip + "/24", "dev", r_name])
        self.r_sh(["ip", "link", "set", r_name, "up"])
        ns.sh(["ip", "addr", "add", ns_ip + "/24", "dev", ns_name])
        ns.sh(["ip", "link", "set", ns_name, "up"])
        ns.sh(["ip", "route", "add", "default", "via", r_ip])
        # One wire segment per packet, so R drops per packet.
        ns.sh(["ethtool", "-K", ns_name, "tso", "off", "gso", "off",
               "gro", "off"], check=False)
        self.r_sh(["ethtool", "-K", r_name, "gro", "off"], check=False)

    def _wire(self):
        self.r_sh(["sysctl", "-q", "-w", "net.ipv4.ip_forward=1"])
        self.c = Ns()
        self.s = Ns()
        self._leg(self.c, "rc", "cr", C_GW, C_IP)
        self._leg(self.s, "rs", "sr", S_GW, S_IP)
        self.set_loss(0, 0)

    def _linux_servers(self):
        www = os.path.join(self.dir, "www")
        os.chmod(self.dir, 0o755)  # nginx's workers run unprivileged
        os.makedirs(os.path.join(self.dir, "tmp"))
        os.makedirs(www)
        with open(os.path.join(www, "body"), "wb") as f:
            f.write(b"x" * self.body_bytes)
        conf = os.path.join(self.dir, "nginx.conf")
        with open(conf, "w") as f:
            f.write(NGINX_CONF.format(d=self.dir, ip=S_IP))
        self._spawn(self.s.argv(["nginx", "-c", conf]))
        self._spawn(self.s.argv([PYTHON, "-c", DISCARD, S_IP]))
        wait_until(lambda: self.s.sh(
            ["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}",
             "http://%s/body" % S_IP], check=False).stdout == "200", 10,
            what="nginx")

    def _spawn(self, argv):
        p = subprocess.Popen(argv, stdin=subprocess.DEVNULL,
                             stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL,
                             start_new_session=True)
        self.procs.append(p)
        return p

    def set_loss(self, down_permille, up_permille):
        """Drop down_permille/1000 of what the servers send R, and
        up_permille/1000 of what C sends through R."""
        rules = textwrap.dedent("""\
            table inet {t} {{
                chain down {{
                    type filter hook input priority 0;
                    {down}
                }}
                chain up {{
                    type filter hook forward priority 0;
                    {up}
                }}
            }}
            """).format(
            t=NFT_TABLE,
            down=("ip saddr {%s, %s} tcp sport 80 numgen random mod 1000 "
                  "< %d drop" % (SERVER_IP, S_IP, down_permille)
                  if down_permille else ""),
            up=("ip saddr %s numgen random mod 1000 < %d drop"
                % (C_IP, up_permille) if up_permille else ""))
        self.r_sh(["nft", "delete", "table", "inet", NFT_TABLE],
                  check=False)
        p = subprocess.run(self.t.ns_argv(["nft", "-f", "-"]),
                           input=rules, text=True, capture_output=True)
        if p.returncode != 0:
            raise TestFailure("nft: %s" % p.stderr.strip())

    def download(self, host, path="/", limit=60):
        """curl in R; returns (seconds or None on failure, sha256)."""
        out = os.path.join(self.dir, "down")
        p = subprocess.run(self.t.ns_argv(
            ["curl", "-s", "-o", out, "-w", "%{time_total}",
             "--max-time", str(limit), "http://%s%s" % (host, path)]),
            capture_output=True, text=True, timeout=limit + 10)
        h = hashlib.sha256()
        try:
            with open(out, "rb") as f:
                h.update(f.read())
            n = os.path.getsize(out)
            os.unlink(out)
        except OSError:
            n = 0
        if p.returncode != 0 or n != self.body_bytes:
            return None, h.hexdigest()
        return float(p.stdout), h.hexdigest()

    def upload(self, host, nbytes, limit=60):
        """From C to host's discard port; seconds, or None on failure."""
        try:
            p = subprocess.run(self.c.argv(
                [PYTHON, "-c", UPLOAD, host, str(nbytes), str(limit)]),
                capture_output=True, text=True, timeout=limit + 5)
        except subprocess.TimeoutExpired:
            return None
        if p.returncode != 0:
            return None
        return float(p.stdout.strip())

    def close(self):
        for p in self.procs:
            if p.poll() is None:
                p.terminate()
                try:
                    p.wait(5)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()
        self.procs = []
        for ns in (self.c, self.s):
            if ns is not None:
                ns.close()
        self.c = self.s = None
        self.t.close()
        subprocess.run(["rm", "-rf", "--", self.dir], check=False)


def expected_body_sha256(nbytes):
    """sha256 of tcpterm's http body: 'OK\\n' repeated (lib/app)."""
    unit = b"OK\n"
    data = (unit * (nbytes // len(unit) + 1))[:nbytes]
    return hashlib.sha256(data).hexdigest()


__all__ = ["LossLab", "expected_body_sha256", "SERVER_IP", "S_IP", "check",
           "time"]
