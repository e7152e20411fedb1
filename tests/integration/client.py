# SPDX-License-Identifier: BSD-3-Clause
"""Socket clients run inside the test namespace:

    nsenter --net=NS -- /usr/bin/python3 client.py ACTION 'JSON params'

Each action prints one JSON object on its last stdout line.
"""

import errno
import hashlib
import json
import os
import select
import socket
import sys
import time

SERVER = "198.18.0.1"
REQUEST = b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"


def recv_all(s, limit=1 << 24):
    """Read until EOF; returns (bytes, how the stream ended)."""
    chunks, n = [], 0
    while n < limit:
        try:
            b = s.recv(65536)
        except ConnectionResetError:
            return b"".join(chunks), "reset"
        if not b:
            return b"".join(chunks), "eof"
        chunks.append(b)
        n += len(b)
    return b"".join(chunks), "limit"


def parse_http(data):
    """Split a response into (status line, headers dict, body)."""
    head, sep, body = data.partition(b"\r\n\r\n")
    if not sep:
        return None, {}, b""
    lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for ln in lines[1:]:
        k, _, v = ln.partition(":")
        headers[k.strip().lower()] = v.strip()
    return lines[0], headers, body


class Slowest:
    """The slowest of a client's exchanges: how long it took, which one,
    from which local port (to find it in a capture), and when each of
    its steps ended, in seconds from its start."""

    def __init__(self):
        self.t0 = self.lport = None
        self.steps = []
        self.worst = {"s": 0.0}

    def start(self):
        self.t0, self.lport, self.steps = time.monotonic(), None, []

    def step(self, name):
        self.steps.append("%s %.3f" % (name, time.monotonic() - self.t0))

    def done(self, i):
        d = time.monotonic() - self.t0
        if d > self.worst["s"]:
            self.worst = {"s": round(d, 3), "i": i, "lport": self.lport,
                          "steps": self.steps}


def one_request(port, timeout, shut_wr=False, slow=None):
    if slow is None:
        slow = Slowest()
        slow.start()
    s = socket.create_connection((SERVER, port), timeout=timeout)
    try:
        lport = slow.lport = s.getsockname()[1]
        slow.step("connected")
        s.sendall(REQUEST)
        if shut_wr:
            s.shutdown(socket.SHUT_WR)
        data, end = recv_all(s)
        slow.step("eof")
    finally:
        s.close()
    status, headers, body = parse_http(data)
    return lport, status, headers, body, end


def act_http(p):
    """count sequential Connection: close requests, pause_ms apart."""
    port, count = p.get("port", 80), p.get("count", 1)
    ok, errors, bodies, ports = 0, [], set(), set()
    body_len = None
    want = None
    if p.get("body_bytes") is not None:
        # The http application's body: "OK\n" repeated, cut to length.
        want = (b"OK\n" * (p["body_bytes"] // 3 + 1))[:p["body_bytes"]]
    slow = Slowest()
    t0 = time.monotonic()
    for i in range(count):
        if i and p.get("pause_ms"):
            time.sleep(p["pause_ms"] / 1000.0)
        slow.start()
        try:
            lport, status, headers, body, end = one_request(
                port, p.get("timeout", 5), p.get("shut_wr", False), slow)
        except OSError as e:
            errors.append("req %d: %s" % (i, e))
            continue
        finally:
            slow.done(i)
        ports.add(lport)
        clen = headers.get("content-length")
        if (status == "HTTP/1.1 200 OK" and end == "eof"
                and clen is not None and int(clen) == len(body)
                and (want is None or body == want)):
            ok += 1
            bodies.add(body)
            body_len = len(body)
        else:
            errors.append("req %d: status=%r end=%s clen=%r body=%r"
                          % (i, status, end, clen, body[:40]))
    return {
        "ok": ok, "fail": count - ok, "errors": errors[:5],
        "elapsed": time.monotonic() - t0, "distinct_bodies": len(bodies),
        "body_len": body_len,
        "body": bodies.pop().decode("latin-1") if len(bodies) == 1 else None,
        "unique_ports": len(ports), "slowest": slow.worst,
    }


def act_half_close(p):
    """Request, shutdown(SHUT_WR) at once, then read to EOF."""
    lport, status, headers, body, end = one_request(
        p.get("port", 80), p.get("timeout", 5), shut_wr=True)
    return {"status": status, "end": end, "body_len": len(body),
            "content_length": headers.get("content-length")}


def act_half_close_slow(p):
    """Request, read the response to the server's FIN, keep sending: one
    probe after each pause in pauses, then one after late seconds. A probe
    is a few bytes and, 0.3 s later, the socket's pending error: "ok", or
    the error a RST left (EPIPE in CLOSE_WAIT)."""
    s = socket.create_connection((SERVER, p.get("port", 80)), timeout=5)
    s.sendall(REQUEST)
    data = b""
    while True:
        b = s.recv(65536)
        if not b:
            break
        data += b
    status, _, _ = parse_http(data)
    probes = []
    for pause in p["pauses"] + [p["late"]]:
        time.sleep(pause)
        try:
            s.send(b"more bytes\n")
            time.sleep(0.3)
            err = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
        except OSError as e:
            err = e.errno or -1
        probes.append(errno.errorcode.get(err, "ok") if err else "ok")
    s.close()
    return {"status": status, "probes": probes}


def act_connect(p):
    """Connect; report the errno (0 on success)."""
    s = socket.socket(family())
    s.settimeout(p.get("timeout", 5))
    try:
        s.connect((SERVER, p["port"]))
        return {"errno": 0, "name": "OK"}
    except OSError as e:
        return {"errno": e.errno or -1,
                "name": errno.errorcode.get(e.errno, str(e))}
    finally:
        s.close()


def act_echo(p):
    """Stream size random bytes through echo with a select loop, compare
    digests, then half-close and wait for the server's FIN."""
    size, chunk = p["size"], 64 * 1024
    data = os.urandom(size)
    s = socket.create_connection((SERVER, p.get("port", 7)), timeout=10)
    s.setblocking(False)
    sent, got = 0, hashlib.sha256()
    nrecv = 0
    deadline = time.monotonic() + p.get("timeout", 120)
    t0 = time.monotonic()
    while nrecv < size:
        if time.monotonic() > deadline:
            raise RuntimeError("echo stalled: sent %d received %d"
                               % (sent, nrecv))
        wr = [s] if sent < size else []
        r, w, _ = select.select([s], wr, [], 1.0)
        if w:
            try:
                sent += s.send(data[sent:sent + chunk])
            except BlockingIOError:
                pass
        if r:
            b = s.recv(1 << 20)
            if not b:
                raise RuntimeError("early EOF after %d bytes" % nrecv)
            got.update(b)
            nrecv += len(b)
    elapsed = time.monotonic() - t0
    s.setblocking(True)
    s.settimeout(p.get("fin_timeout", 30))
    s.shutdown(socket.SHUT_WR)
    print("shut", flush=True)
    tail, end = recv_all(s)
    s.close()
    return {"sent": sent, "received": nrecv,
            "sha_sent": hashlib.sha256(data).hexdigest(),
            "sha_received": got.hexdigest(), "extra_after": len(tail),
            "end": end, "elapsed": elapsed}


def act_hold(p):
    """Open count connections, print their local ports, keep them open
    until stdin closes, then close them."""
    socks = []
    for _ in range(p["count"]):
        s = socket.socket(family())
        s.settimeout(p.get("timeout", 5))
        s.connect((SERVER, p["port"]))
        socks.append(s)
    print(json.dumps({"ports": [s.getsockname()[1] for s in socks]}),
          flush=True)
    sys.stdin.read()
    for s in socks:
        s.close()
    return {"closed": len(socks)}


def act_slow_read(p):
    """GET path from host:port with a small receive buffer, then read
    chunk bytes every pause_ms until the server's end or max_s."""
    s = socket.socket(family())
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, p.get("rcvbuf", 2048))
    s.settimeout(5)
    s.connect((p["host"], p["port"]))
    s.sendall(("GET %s HTTP/1.0\r\n\r\n" % p["path"]).encode())
    got, end, t0 = 0, "max_s", time.monotonic()
    try:
        while time.monotonic() - t0 < p.get("max_s", 20):
            d = s.recv(p.get("chunk", 512))
            if not d:
                end = "eof"
                break
            got += len(d)
            time.sleep(p.get("pause_ms", 250) / 1000.0)
    except OSError as e:
        end = "error: %s" % e
    s.close()
    return {"got": got, "end": end, "elapsed": time.monotonic() - t0}


def act_echo_short(p):
    """count sequential short echo exchanges: connect, send size bytes,
    read them back, shutdown(SHUT_WR) (we close first), read to the
    server's FIN, close."""
    count, size = p.get("count", 1), p.get("size", 100)
    ok, errors, slow = 0, [], Slowest()
    t0 = time.monotonic()
    for i in range(count):
        data = os.urandom(size)
        slow.start()
        try:
            s = socket.create_connection((SERVER, p.get("port", 7)),
                                         timeout=p.get("timeout", 5))
            try:
                slow.lport = s.getsockname()[1]
                slow.step("connected")
                s.sendall(data)
                got = b""
                while len(got) < size:
                    b = s.recv(65536)
                    if not b:
                        break
                    got += b
                slow.step("echoed")
                s.shutdown(socket.SHUT_WR)
                tail, end = recv_all(s)
                slow.step("eof")
            finally:
                s.close()
        except OSError as e:
            errors.append("conn %d: %s" % (i, e))
            continue
        finally:
            slow.done(i)
        if got == data and tail == b"" and end == "eof":
            ok += 1
        else:
            errors.append("conn %d: %d of %d bytes back, %d after, end %s"
                          % (i, len(got), size, len(tail), end))
    return {"ok": ok, "fail": count - ok, "errors": errors[:5],
            "elapsed": time.monotonic() - t0, "slowest": slow.worst}


ACTIONS = {
    "echo_short": act_echo_short,
    "http": act_http,
    "half_close": act_half_close,
    "half_close_slow": act_half_close_slow,
    "connect": act_connect,
    "echo": act_echo,
    "hold": act_hold,
    "slow_read": act_slow_read,
}


def family():
    """The socket family of SERVER."""
    return socket.AF_INET6 if ":" in SERVER else socket.AF_INET


def main():
    global SERVER
    params = json.loads(sys.argv[2]) if len(sys.argv) > 2 else {}
    # "server": another address of tcpterm's (an IPv6 one, say).
    SERVER = params.pop("server", SERVER)
    print(json.dumps(ACTIONS[sys.argv[1]](params)), flush=True)


if __name__ == "__main__":
    main()
