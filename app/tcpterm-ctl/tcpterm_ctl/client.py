# SPDX-License-Identifier: BSD-3-Clause
"""A client of one tcpterm process's DPDK telemetry socket.

The socket is the one Debian's dpdk-telemetry.py talks to:
<runtime dir>/<prefix>/dpdk_telemetry.v2, a SOCK_SEQPACKET Unix socket.
On connecting the process sends a greeting (JSON with max_output_len);
then each command is one message and each reply one JSON message
{"<command>": value}.
"""
import json
import os
import socket

DEFAULT_PREFIX = "rte"
SOCKET_NAME = "dpdk_telemetry.v2"


class CtlError(Exception):
    """A failure to report to the user: message, exit status 2."""

    def __init__(self, msg, status=2):
        super().__init__(msg)
        self.status = status


def runtime_dirs():
    """Where DPDK puts its runtime directories, as EAL chooses it."""
    dirs = []
    if os.geteuid() == 0:
        dirs.append("/var/run/dpdk")
    else:
        xdg = os.environ.get("XDG_RUNTIME_DIR")
        dirs.append(os.path.join(xdg, "dpdk") if xdg else "/tmp/dpdk")
        dirs.append("/var/run/dpdk")
    return dirs


def socket_path(prefix, runtime_dir=None):
    if runtime_dir:
        return os.path.join(runtime_dir, prefix, SOCKET_NAME)
    paths = [os.path.join(d, prefix, SOCKET_NAME) for d in runtime_dirs()]
    for p in paths:
        if os.path.exists(p):
            return p
    return paths[0]


class Client:
    """One connection to the telemetry socket of instance `prefix`."""

    def __init__(self, prefix=DEFAULT_PREFIX, timeout=5.0, path=None):
        self.prefix = prefix
        self.path = path or socket_path(prefix)
        self.timeout = timeout
        self.sock = None
        self.max_len = 16384
        self.info = {}

    def connect(self):
        if self.sock is not None:
            return
        s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        s.settimeout(self.timeout)
        try:
            s.connect(self.path)
            self.info = json.loads(s.recv(65536).decode())
        except (OSError, ValueError) as e:
            s.close()
            raise CtlError("cannot reach tcpterm instance '%s' at %s: %s "
                           "(is tcpterm running with --file-prefix=%s?)"
                           % (self.prefix, self.path,
                              getattr(e, "strerror", None) or e,
                              self.prefix))
        self.max_len = int(self.info.get("max_output_len", 16384))
        self.sock = s

    def close(self):
        if self.sock is not None:
            self.sock.close()
            self.sock = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def cmd(self, command, param=None):
        """Run one telemetry command; returns its parsed JSON value.

        A command the process does not know (or refuses: bad parameter)
        comes back as null: that raises CtlError.
        """
        self.connect()
        text = command if param is None else "%s,%s" % (command, param)
        try:
            self.sock.send(text.encode())
            raw = self.sock.recv(max(self.max_len, 16384) + 1024)
        except OSError as e:
            self.close()
            raise CtlError("telemetry %s on instance '%s' failed: %s"
                           % (text, self.prefix, e))
        if not raw:
            self.close()
            raise CtlError("instance '%s' closed the telemetry socket"
                           % self.prefix)
        try:
            reply = json.loads(raw.decode())
        except ValueError:
            raise CtlError("telemetry %s: reply is not JSON: %r"
                           % (text, raw[:200]))
        if not isinstance(reply, dict) or command not in reply:
            raise CtlError("telemetry %s: unexpected reply %r"
                           % (text, raw[:200]))
        value = reply[command]
        if value is None:
            raise CtlError("telemetry %s: refused by instance '%s' (unknown "
                           "command, bad parameter, or an older tcpterm)"
                           % (text, self.prefix))
        return value
