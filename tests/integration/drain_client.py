# SPDX-License-Identifier: BSD-3-Clause
"""Clients for the drain tests, run inside the test namespace:

    nsenter --net=NS -- /usr/bin/python3 drain_client.py MODE 'JSON params'

They open their connections, print {"ready": 1}, wait for a line on
stdin (the test starts the drain meanwhile), then watch how tcpterm ends
each connection and print one JSON object as the last line.

keepalive: one idle keep-alive HTTP connection (one request answered)
and one busy one (half a request head sent); after "go" a new connection
is tried (expect refused: RST), the busy request is completed (expect
"Connection: close" and EOF) and the idle one watched (expect EOF).
hold: a connection to a discard port that after "go" waits for the
server's FIN and never closes; after a second line it sends, to see the
RST of the drain timeout.
"""

import json
import socket
import sys
import time

SERVER = "198.18.0.1"
KEEP = b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"


def connect(port, timeout=5):
    s = socket.create_connection((SERVER, port), timeout=timeout)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s


def read_response(s):
    """One response (Content-Length body); returns (headers, rest)."""
    data = b""
    while b"\r\n\r\n" not in data:
        b = s.recv(65536)
        if not b:
            raise RuntimeError("EOF inside a response head: %r" % data)
        data += b
    head, _, body = data.partition(b"\r\n\r\n")
    hdrs = {}
    for ln in head.split(b"\r\n")[1:]:
        k, _, v = ln.partition(b":")
        hdrs[k.strip().lower().decode()] = v.strip().decode()
    n = int(hdrs.get("content-length", "0"))
    while len(body) < n:
        b = s.recv(65536)
        if not b:
            break
        body += b
    return hdrs, body[n:]


def how_it_ends(s, timeout=5.0):
    """'eof' (FIN), 'reset' (RST) or 'timeout'; plus bytes read."""
    s.settimeout(timeout)
    got = b""
    try:
        while True:
            b = s.recv(65536)
            if not b:
                return "eof", got
            got += b
    except ConnectionResetError:
        return "reset", got
    except socket.timeout:
        return "timeout", got


def try_new(port):
    try:
        s = connect(port, timeout=3)
    except ConnectionRefusedError:
        return "refused"
    except socket.timeout:
        return "timeout"
    s.close()
    return "connected"


def keepalive(p):
    port = p.get("port", 80)
    idle = connect(port)
    idle.sendall(KEEP)
    hdrs, _ = read_response(idle)
    first = hdrs.get("connection")
    busy = connect(port)
    busy.sendall(KEEP[:18])
    print(json.dumps({"ready": 1}), flush=True)
    sys.stdin.readline()
    r = {"first_connection_header": first, "new": try_new(port)}
    busy.sendall(KEEP[18:])
    busy.settimeout(5)
    hdrs, rest = read_response(busy)
    r["busy_connection_header"] = hdrs.get("connection")
    r["busy_end"], extra = how_it_ends(busy)
    r["busy_extra"] = len(rest) + len(extra)
    r["idle_end"], extra = how_it_ends(idle)
    r["idle_extra"] = len(extra)
    idle.close()
    busy.close()
    return r


def hold(p):
    s = connect(p.get("port", 9))
    s.sendall(b"some bytes")
    print(json.dumps({"ready": 1}), flush=True)
    sys.stdin.readline()
    r = {}
    r["end"], _ = how_it_ends(s)
    print(json.dumps({"half_closed": r["end"]}), flush=True)
    sys.stdin.readline()
    try:
        for _ in range(3):
            s.sendall(b"more")
            time.sleep(0.2)
        r["after"] = "sent"
    except (ConnectionResetError, BrokenPipeError) as e:
        r["after"] = type(e).__name__
    s.close()
    return r


MODES = {"keepalive": keepalive, "hold": hold}


def main():
    params = json.loads(sys.argv[2]) if len(sys.argv) > 2 else {}
    print(json.dumps(MODES[sys.argv[1]](params)), flush=True)


if __name__ == "__main__":
    main()
