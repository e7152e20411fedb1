# SPDX-License-Identifier: BSD-3-Clause
"""What an operator reads: /metrics says what each family is, and every
counter tcpterm exports is explained in the documentation."""

import os
import re
import socket
import subprocess
import threading
import time
import urllib.request

from harness import ROOT, Tcpterm, base_config, check, log
from test_ctl import free_port


def families(text):
    """{name: help} of every # HELP line."""
    return dict(m.groups() for m in
                re.finditer(r"^# HELP (\S+) (.*)$", text, re.M))


def ask(port, request):
    """(status code, {lower-case field: value}, body) of one raw request."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(request.encode())
        data = b""
        while True:
            d = s.recv(65536)
            if not d:
                break
            data += d
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode().split("\r\n")
    fields = dict((k.strip().lower(), v.strip()) for k, _, v in
                  (ln.partition(":") for ln in lines[1:]))
    return int(lines[0].split()[1]), fields, body


def test_metrics_methods():
    """HEAD /metrics answers as GET does, without the body (RFC 9110
    9.3.2: a probe that checks the endpoint with HEAD must not see 404);
    another standard method is 405 with Allow (RFC 9110 15.5.6), a
    method the server does not know 501 (RFC 9110 9.1, 15.6.2: methods
    are case-sensitive, so "get" is one) whatever the target, another
    target 404, and no answer to a HEAD has a body."""
    port = free_port()
    cfg = base_config([{"port": 80, "app": "http"}]) + \
        "metrics:\n  listen: 127.0.0.1:%d\n" % port
    with Tcpterm(cfg):
        code, f, body = ask(port, "GET /metrics HTTP/1.0\r\n\r\n")
        check(code == 200 and int(f["content-length"]) == len(body) and
              b"# HELP tcpterm_workers" in body,
              "GET /metrics: %d %r, %d bytes" % (code, f, len(body)))
        code, f, hbody = ask(port, "HEAD /metrics HTTP/1.0\r\n\r\n")
        log("HEAD /metrics: %d %r, %d bytes of body" % (code, f, len(hbody)))
        check(code == 200, "HEAD /metrics: %d, want 200" % code)
        check(hbody == b"", "HEAD /metrics sent a body of %d bytes"
              % len(hbody))
        check(f.get("content-type", "").startswith("text/plain; version="
                                                   "0.0.4") and
              abs(int(f.get("content-length", 0)) - len(body)) < 1024,
              "HEAD /metrics header %r, GET's body %d bytes"
              % (f, len(body)))
        code, f, _ = ask(port, "HEAD /metrics?x=1 HTTP/1.1\r\n"
                         "Host: a\r\n\r\n")
        check(code == 200, "HEAD /metrics?x=1: %d" % code)
        for method in ("POST", "PUT", "DELETE", "OPTIONS", "PATCH",
                       "CONNECT", "TRACE"):
            code, f, _ = ask(port, "%s /metrics HTTP/1.0\r\n\r\n"
                             % method)
            check(code == 405 and f.get("allow") == "GET, HEAD",
                  "%s /metrics: %d %r, want 405 with Allow: GET, HEAD"
                  % (method, code, f))
        for req in ("get /metrics", "BREW /metrics", "FOO /other"):
            code, f, _ = ask(port, "%s HTTP/1.0\r\n\r\n" % req)
            check(code == 501 and "allow" not in f,
                  "%s: %d %r, want 501 without Allow" % (req, code, f))
        code, f, body = ask(port, "HEAD /other HTTP/1.0\r\n\r\n")
        check(code == 404 and body == b"", "HEAD /other: %d, %d bytes"
              % (code, len(body)))
        code, _, _ = ask(port, "GET /metricsx HTTP/1.0\r\n\r\n")
        check(code == 404, "GET /metricsx: %d" % code)
        code, _, _ = ask(port, "GET\r\n\r\n")
        check(code == 400, "a request line without a target: %d" % code)
        # RFC 9112 2.2: an empty line before the request line is skipped.
        code, _, _ = ask(port, "\r\nGET /metrics HTTP/1.0\r\n\r\n")
        check(code == 200, "GET after an empty line: %d, want 200" % code)


def test_metrics_head_too_long():
    """A request head that does not end within the 4 KiB read is answered
    431 (RFC 6585 5), whatever its method and target, and the answer
    arrives intact although the client is still sending (the server
    reads the rest before it closes, RFC 9112 9.6: a close with bytes
    unread would reset the connection); a long head that ends within
    the bound is served."""
    port = free_port()
    cfg = base_config([{"port": 80, "app": "http"}]) + \
        "metrics:\n  listen: 127.0.0.1:%d\n" % port
    pad = "X-Pad: " + "a" * 20000 + "\r\n"
    with Tcpterm(cfg):
        for line in ("GET /metrics", "HEAD /metrics", "GET /other"):
            code, f, body = ask(port, "%s HTTP/1.1\r\nHost: a\r\n%s\r\n"
                                % (line, pad))
            log("%s with a 20 KB field: %d %r" % (line, code, f))
            check(code == 431, "%s with a 20 KB field: %d, want 431"
                  % (line, code))
            check(int(f.get("content-length", -1)) > 0 and
                  (body == b"") == line.startswith("HEAD"),
                  "%s: 431 body %d bytes, header %r" % (line, len(body), f))
        near = "X-Pad: " + "a" * 3900 + "\r\n"
        code, _, body = ask(port, "GET /metrics HTTP/1.0\r\n%s\r\n" % near)
        check(code == 200 and b"# HELP" in body,
              "GET /metrics with a 3.9 KB field: %d" % code)
        # RFC 9112 3: the request line itself too long.
        code, _, _ = ask(port, "GET /metrics?" + "a" * 5000 +
                         " HTTP/1.0\r\n\r\n")
        check(code == 414, "a 5 KB target: %d, want 414" % code)
        code, _, _ = ask(port, "G" * 5000 + " /metrics HTTP/1.0\r\n\r\n")
        check(code == 501, "a 5 KB method: %d, want 501" % code)


def test_metrics_body_unread():
    """An answer given before the client has sent everything (a request
    with a body) arrives intact: the server reads the rest before it
    closes (RFC 9112 9.6), whatever the answer."""
    port = free_port()
    cfg = base_config([{"port": 80, "app": "http"}]) + \
        "metrics:\n  listen: 127.0.0.1:%d\n" % port
    body = "b" * 20000
    with Tcpterm(cfg):
        for line, want in (("POST /metrics", 405), ("POST /other", 404),
                           ("GET /metrics", 200)):
            code, _, _ = ask(port, "%s HTTP/1.0\r\nContent-Length: %d"
                             "\r\n\r\n%s" % (line, len(body), body))
            check(code == want, "%s with a 20 KB body: %d, want %d"
                  % (line, code, want))


def test_metrics_trickle_bounded():
    """A client that goes on sending a byte a second after its answer
    holds the one metrics thread at most the 2 s I/O bound, not until it
    stops: a scrape made meanwhile is answered within 10 s."""
    port = free_port()
    cfg = base_config([{"port": 80, "app": "http"}]) + \
        "metrics:\n  listen: 127.0.0.1:%d\n" % port
    with Tcpterm(cfg):
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
        s.sendall(b"GET /metrics HTTP/1.0\r\nX-Pad: " + b"a" * 4096)
        first = s.recv(65536)
        check(first.startswith(b"HTTP/1.0 431"),
              "cut head: %r" % first[:40])
        stop = threading.Event()

        def trickle():
            while not stop.is_set():
                try:
                    s.send(b"x")
                except OSError:
                    return
                stop.wait(1.0)
        t = threading.Thread(target=trickle)
        t.start()
        t0 = time.monotonic()
        try:
            with socket.create_connection(("127.0.0.1", port),
                                          timeout=10) as c:
                c.sendall(b"GET /metrics HTTP/1.0\r\n\r\n")
                got = c.recv(64)
        except OSError as e:
            got = repr(e).encode()
        took = time.monotonic() - t0
        stop.set()
        t.join()
        s.close()
        log("scrape beside the trickling client: %r after %.1f s"
            % (got[:20], took))
        check(got.startswith(b"HTTP/1.0 200"),
              "scrape beside a trickling client: %r after %.1f s"
              % (got[:40], took))
        n = scrape(port).get(cut("drain_time"))
        check(n == 1, "drains cut by the time bound: %s, want 1" % n)


def scrape(port):
    """{sample name with labels: value} of one GET /metrics."""
    code, _, body = ask(port, "GET /metrics HTTP/1.0\r\n\r\n")
    check(code == 200, "GET /metrics: %d" % code)
    return dict((k, float(v)) for k, v in
                re.findall(r"^(tcpterm_metrics_\S+) (\S+)$",
                           body.decode(), re.M))


def answers(code):
    return 'tcpterm_metrics_answers_total{code="%d"}' % code


def cut(bound):
    return 'tcpterm_metrics_cut_total{bound="%s"}' % bound


def test_metrics_counters():
    """The endpoint counts its own answers by status code and the bounds
    it applied: a head that neither ends nor fills 4 KiB within 2 s is
    answered 408 (RFC 9110 15.5.9), not served as if complete; a port
    check (connect, close) gets no answer and is not counted; a client
    still sending after 64 KiB of drain is cut, counted by the byte
    bound."""
    port = free_port()
    cfg = base_config([{"port": 80, "app": "http"}]) + \
        "metrics:\n  listen: 127.0.0.1:%d\n" % port
    with Tcpterm(cfg):
        before = scrape(port)
        code, _, _ = ask(port, "GET /other HTTP/1.0\r\n\r\n")
        check(code == 404, "GET /other: %d" % code)
        t0 = time.monotonic()
        code, _, _ = ask(port, "GET /metrics HTTP/1.0\r\nHost: a\r\n")
        took = time.monotonic() - t0
        log("an unfinished head: %d after %.1f s" % (code, took))
        check(code == 408, "an unfinished head: %d, want 408" % code)
        # A port check: connected and closed, nothing sent: no answer.
        socket.create_connection(("127.0.0.1", port), timeout=5).close()
        # A client still sending past the drain's 64 KiB, whatever the
        # socket buffers hold: a small send buffer, and a body sent until
        # the server's reset (at most 4 MiB).
        with socket.socket() as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 16384)
            s.settimeout(5)
            s.connect(("127.0.0.1", port))
            s.sendall(b"POST /metrics HTTP/1.0\r\n"
                      b"Content-Length: 4194304\r\n\r\n")
            sent = 0
            try:
                while sent < 4 << 20:
                    sent += s.send(b"b" * 16384)
            except OSError as e:
                log("body cut after %d bytes: %r" % (sent, e))
            check(sent < 4 << 20, "the server read a 4 MiB body")
        after = scrape(port)
    delta = dict((k, after.get(k, 0) - before.get(k, 0))
                 for k in set(after) | set(before))
    log("counter changes: %s" % sorted((k, v) for k, v in delta.items()
                                        if v))
    for k, want in ((answers(200), 1), (answers(404), 1), (answers(408), 1),
                    (answers(405), 1), (answers(400), 0),
                    (cut("drain_bytes"), 1), (cut("drain_time"), 0),
                    (cut("send_time"), 0)):
        check(k in after, "no %s in /metrics" % k)
        check(delta.get(k) == want, "%s went up by %s, want %d"
              % (k, delta.get(k), want))


def test_metrics_send_bound():
    """An answer goes within one 2 s deadline however slowly its client
    reads: a client taking 512 bytes every 100 ms (about 6 s for the
    body) is cut at the deadline (send_time), and the next scrape is
    served. tcpterm runs in a namespace whose TCP send buffers are 4 KiB,
    so that the body waits on the reader and not in the kernel."""
    port = free_port()
    cfg = base_config([{"port": 80, "app": "http"}]) + \
        "metrics:\n  listen: 127.0.0.1:%d\n" % port

    def get(path):
        p = subprocess.run(t.server_argv(
            ["curl", "-sS", "-m", "5", "http://127.0.0.1:%d%s" % (port, path)]),
            capture_output=True, text=True, timeout=30)
        check(p.returncode == 0, "curl %s: %s" % (path, p.stderr))
        return p.stdout

    def sent_cut():
        m = re.search(r'^%s (\S+)$' % re.escape(cut("send_time")),
                      get("/metrics"), re.M)
        check(m is not None, "no %s in /metrics" % cut("send_time"))
        return float(m.group(1))

    with Tcpterm(cfg, server_sysctls=[
            "net.ipv4.tcp_wmem=4096 4096 4096",
            "net.ipv4.tcp_rmem=4096 4096 4096"]) as t:
        body = len(get("/metrics"))
        before = sent_cut()
        r = t.client("slow_read", at_server=True, host="127.0.0.1",
                     port=port, path="/metrics", chunk=512, pause_ms=100,
                     max_s=30, timeout=60)
        log("a slow reader of a %d-byte body: %r" % (body, r))
        check(r["end"] == "eof" and r["got"] < body,
              "the slow reader was not cut: %r" % r)
        check(r["elapsed"] < 8, "cut after %.1f s, want about 2 plus what "
              "the buffers held" % r["elapsed"])
        after = sent_cut()
        check(after - before == 1, "send_time went up by %r, want 1"
              % (after - before))


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
