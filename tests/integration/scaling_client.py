# SPDX-License-Identifier: BSD-3-Clause
"""Many concurrent connections at once, run inside the test namespace:

    ip netns exec NS /usr/bin/python3 scaling_client.py 'JSON params'

Opens every HTTP and echo connection first (all held open together), then
sends the HTTP requests (Connection: close) and streams random bytes
through every echo connection with one select loop, checks each response
and each echoed digest, half-closes the echo connections and waits for
EOF. Prints one JSON object.
"""

import hashlib
import json
import os
import select
import socket
import sys
import time

SERVER = "198.18.0.1"
REQUEST = b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"


def connect_all(port, n, timeout):
    socks = []
    for _ in range(n):
        s = socket.create_connection((SERVER, port), timeout=timeout)
        socks.append(s)
    return socks


def http_check(data, want_body):
    head, sep, body = data.partition(b"\r\n\r\n")
    return (sep == b"\r\n\r\n" and head.startswith(b"HTTP/1.1 200 OK")
            and body == want_body)


class Echo:
    def __init__(self, s, size):
        self.s = s
        self.data = os.urandom(size)
        self.sent = 0
        self.got = hashlib.sha256()
        self.nrecv = 0
        self.eof = False
        self.shut = False


def pump(http, echoes, want_body, deadline):
    """One select loop over every connection until all are done."""
    bufs = {s: [] for s in http}
    open_http = set(http)
    for s in http:
        s.setblocking(False)
    for e in echoes:
        e.s.setblocking(False)
    by_sock = {e.s: e for e in echoes}
    while open_http or any(not e.eof for e in echoes):
        if time.monotonic() > deadline:
            raise RuntimeError("stalled: %d http open, %d echo open"
                               % (len(open_http),
                                  sum(not e.eof for e in echoes)))
        rd = list(open_http) + [e.s for e in echoes if not e.eof]
        wr = [e.s for e in echoes if e.sent < len(e.data)]
        r, w, _ = select.select(rd, wr, [], 1.0)
        for s in w:
            e = by_sock[s]
            try:
                e.sent += s.send(e.data[e.sent:e.sent + 65536])
            except BlockingIOError:
                pass
        for s in r:
            try:
                b = s.recv(1 << 20)
            except (BlockingIOError, InterruptedError):
                continue
            if s in bufs:
                if b:
                    bufs[s].append(b)
                else:
                    open_http.discard(s)
                continue
            e = by_sock[s]
            if not b:
                e.eof = True
                continue
            e.got.update(b)
            e.nrecv += len(b)
            if e.nrecv == len(e.data) and not e.shut:
                s.shutdown(socket.SHUT_WR)
                e.shut = True
    ok_http = sum(http_check(b"".join(bufs[s]), want_body) for s in http)
    ok_echo = sum(e.nrecv == len(e.data) and e.got.digest()
                  == hashlib.sha256(e.data).digest() for e in echoes)
    return ok_http, ok_echo


def main():
    p = json.loads(sys.argv[1])
    want_body = (b"OK\n" * (p["body_bytes"] // 3 + 1))[:p["body_bytes"]]
    t0 = time.monotonic()
    http = connect_all(p["http_port"], p["http"], p.get("timeout", 10))
    echo_socks = connect_all(p["echo_port"], p["echo"],
                             p.get("timeout", 10))
    # Every connection is open now: tell the test, wait for its go.
    print("open %d" % (len(http) + len(echo_socks)), flush=True)
    sys.stdin.readline()
    for s in http:
        s.sendall(REQUEST)
    echoes = [Echo(s, p["echo_bytes"]) for s in echo_socks]
    ok_http, ok_echo = pump(http, echoes, want_body,
                            time.monotonic() + p.get("deadline", 120))
    for s in http + echo_socks:
        s.close()
    print(json.dumps({"http_ok": ok_http, "http": len(http),
                      "echo_ok": ok_echo, "echo": len(echoes),
                      "elapsed": time.monotonic() - t0}), flush=True)


if __name__ == "__main__":
    main()
