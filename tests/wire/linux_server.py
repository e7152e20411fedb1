# SPDX-License-Identifier: BSD-3-Clause
"""The Linux reference server: the wire suite's listener roles on the
kernel's TCP, run inside the server namespace.

    linux_server.py ADDR role=port,... ECHO_DELAY_MS ECHO_HOLD_MS

Prints "ready" once every listener is bound.
"""

import socket
import struct
import sys
import threading
import time

RESPONSE = (b"HTTP/1.1 200 OK\r\nServer: linux\r\nContent-Length: 2\r\n"
            b"Connection: close\r\n\r\nOK")


def read_head(s):
    buf = b""
    while b"\r\n\r\n" not in buf:
        d = s.recv(4096)
        if not d:
            return None
        buf += d
    return buf


def http(s, half, abort=False):
    if read_head(s) is None:
        s.close()
        return
    s.sendall(RESPONSE)
    if abort:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                     struct.pack("ii", 1, 0))
    if half:
        s.shutdown(socket.SHUT_WR)
        while s.recv(4096):
            pass
    s.close()


def echo(s, delay):
    while True:
        d = s.recv(4096)
        if not d:
            break
        s.sendall(d)
    if delay:
        time.sleep(delay)
    s.close()


def discard(s):
    while s.recv(4096):
        pass
    s.close()


def serve(ls, handler):
    while True:
        s, _ = ls.accept()
        threading.Thread(target=handler, args=(s,), daemon=True).start()


def main():
    addr = sys.argv[1]
    ports = dict((kv.split("=")[0], int(kv.split("=")[1]))
                 for kv in sys.argv[2].split(","))
    delay, hold = int(sys.argv[3]) / 1000.0, int(sys.argv[4]) / 1000.0
    handlers = {
        "http": lambda s: http(s, False),
        "http_half": lambda s: http(s, True),
        "http_abort": lambda s: http(s, False, abort=True),
        "echo": lambda s: echo(s, 0),
        "echo_delay": lambda s: echo(s, delay),
        "echo_hold": lambda s: echo(s, hold),
        "discard": discard,
        "discard_slow": lambda s: (time.sleep(3), discard(s)),
    }
    for role, h in handlers.items():
        ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        ls.bind((addr, ports[role]))
        ls.listen(128)
        threading.Thread(target=serve, args=(ls, h), daemon=True).start()
    print("ready", flush=True)
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    main()
