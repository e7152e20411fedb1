# SPDX-License-Identifier: BSD-3-Clause
"""Short connections closed under loss: real Linux clients make short
connections to tcpterm with 10% of the packets dropped each way (nft in
the clients' namespace: per packet on the input hook; the output hook
sees only segments below the MSS here). Both close roles run at once:

- http, close: after-response: tcpterm closes first (FIN_WAIT_1,
  FIN_WAIT_2, TIME_WAIT); the client's FIN and tcpterm's last ACK may be
  lost, and the client's retransmitted FIN must be answered from
  TIME_WAIT;
- echo, close: on-peer-fin: the client closes first, tcpterm goes
  CLOSE_WAIT, LAST_ACK and retransmits its FIN until the client's
  TIME_WAIT acknowledges it;
- http with a 100,000-byte body (more than the 64 KiB send buffer),
  close: after-response: the FIN rides the body's last segment, and
  losses in the body's flights are repaired by fast recovery, RACK and
  loss probes, which must carry the FIN again when they resend that
  segment, or resend a FIN that went alone.

Every exchange must complete (the whole response, then EOF), no
connection may be reset or abandoned, and once the clients are done
every connection on both sides must end: tcpterm's states other than
TIME_WAIT drain while the loss goes on, its TIME_WAIT holds one record
per http connection, and the clients' kernel holds nothing but
TIME_WAIT. TIME_WAIT keeps its default 2*MSL (60 s), longer than the
clients' FIN retransmissions take: with a TIME_WAIT shorter than those
(an msl_ms of 1 s here), a FIN repeated after the record expired meets
no connection and draws a RST, correctly but for this test's purpose
(Linux's TIME_WAIT is 60 s too). The same runs again over IPv6."""

import textwrap

from harness import (DEFAULT_LIMITS, SERVER_IP, Tcpterm, TestFailure,
                     base_config, check, log, wait_until)
from test_ipv6 import LISTENERS as LISTENERS6
from test_ipv6 import SERVER6, Tcpterm6, config as config6

PERMILLE = 100      # 10% each way
PER_CLIENT = 40     # sequential exchanges per client process
CLIENTS = 2         # client processes per application
BIG_BODY = 100000   # bytes of the large http response
BIG_COUNT = 15      # sequential large responses (one client)
# Seconds a client waits in connect() or a read: past the time the
# backoff of a few losses in a row may take (an RTO of seconds once an
# RTT sample included a lost ACK's recovery), well short of a hang.
TIMEOUT = 60
NFT_TABLE = "ttcloseloss"


def _set_loss(t, server, permille):
    ip = "ip6" if ":" in server else "ip"
    rules = textwrap.dedent("""\
        table inet {t} {{
            chain rx {{
                type filter hook input priority 0;
                {ip} saddr {addr} numgen random mod 1000 < {n} drop
            }}
            chain tx {{
                type filter hook output priority 0;
                {ip} daddr {addr} numgen random mod 1000 < {n} drop
            }}
        }}
        """).format(t=NFT_TABLE, ip=ip, addr=server, n=permille)
    p = t.ns_run(["nft", "-f", "-"], input=rules)
    if p.returncode != 0:
        raise TestFailure("nft: %s" % p.stderr.strip())


def _client_sockets(t, server):
    """The clients' TCP sockets to tcpterm by state, from ss."""
    dst = "[%s]" % server if ":" in server else server
    out = t.ns_run(["ss", "-Htan", "dst", dst]).stdout
    states = {}
    for line in out.splitlines():
        st = line.split()[0]
        states[st] = states.get(st, 0) + 1
    return states


def _close_under_loss(t, server):
    before = t.stats()
    _set_loss(t, server, PERMILLE)
    procs = []
    for _ in range(CLIENTS):
        procs.append(("http", t.client_start(
            "http", server=server, port=80, count=PER_CLIENT,
            timeout=TIMEOUT)))
        procs.append(("echo", t.client_start(
            "echo_short", server=server, port=7, count=PER_CLIENT,
            size=100, timeout=TIMEOUT)))
    procs.append(("http big", t.client_start(
        "http", server=server, port=8080, count=BIG_COUNT,
        body_bytes=BIG_BODY, timeout=TIMEOUT)))
    fails = []
    for app, proc in procs:
        r = t.client_finish(proc, timeout=600)
        # The slowest exchange is logged, not asserted: the loss is
        # random, and a few losses in a row back off for seconds.
        log("%s client: %d ok in %.1f s %s; slowest exchange %r"
            % (app, r["ok"], r["elapsed"], r["errors"], r["slowest"]))
        want = BIG_COUNT if app == "http big" else PER_CLIENT
        if r["ok"] != want:
            fails.append((app, r["fail"], r["errors"]))
    if fails:
        after = t.stats()
        log("on failure: tcpterm's states %r, counters: %s" % (
            t.busy_states(), " ".join(
                "%s +%d" % (k, after[k] - before.get(k, 0))
                for k in sorted(after) if after[k] != before.get(k, 0))))
    check(not fails, "exchanges failed under loss: %r" % fails)
    # Loss still on: FIN retransmissions and TIME_WAIT re-ACKs
    # finish what the clients left.
    wait_until(lambda: not {k: v for k, v in t.busy_states().items()
                            if k != "TIME_WAIT"}, 60,
               what=lambda: "tcpterm's connections outside TIME_WAIT "
               "to close: %r" % t.busy_states())
    wait_until(lambda: not {k: v for k, v in
                            _client_sockets(t, server).items()
                            if k != "TIME-WAIT"}, 60,
               what=lambda: "the clients' sockets to close: %r"
               % _client_sockets(t, server))
    after = t.stats()
    d = {k: after.get(k, 0) - before.get(k, 0) for k in after}
    n_http = CLIENTS * PER_CLIENT + BIG_COUNT
    n = n_http + CLIENTS * PER_CLIENT
    log("%d connections at %.0f%% loss each way: retransmit %d, rto "
        "%d, tlp_probe %d, tw_reack %d, dup_ack_sent %d"
        % (n, PERMILLE / 10.0, d.get("retransmit", 0), d.get("rto", 0),
           d.get("tlp_probe", 0), d.get("tw_reack", 0),
           d.get("dup_ack_sent", 0)))
    log("counters: " + " ".join("%s +%d" % (k, v) for k, v in
                                 sorted(d.items()) if v))
    check(d.get("conn_opened") == n, "conn_opened +%r, want %d"
          % (d.get("conn_opened"), n))
    check(d.get("conn_closed") == n, "conn_closed +%r, want %d"
          % (d.get("conn_closed"), n))
    tw = t.states().get("TIME_WAIT", 0)
    want = d.get("tw_created", 0) - d.get("tw_reused", 0)
    check(d.get("tw_created") == n_http and tw == want,
          "tw_created +%r (want %d), TIME_WAIT %d (want %d)"
          % (d.get("tw_created"), n_http, tw, want))
    for k in ("rst_sent", "retransmit_abort", "fin_wait2_timeout",
              "idle_timeout", "send_timeout"):
        check(d.get(k, 0) == 0, "%s +%d: a connection was reset or "
              "abandoned under loss" % (k, d.get(k, 0)))
    check(d.get("retransmit", 0) > 0, "no retransmission at %d per "
          "mille loss: the loss rules did not apply" % PERMILLE)


def test_close_under_loss():
    cfg = base_config(
        [{"port": 80, "app": "http", "close": "after-response"},
         {"port": 7, "app": "echo", "close": "on-peer-fin"},
         {"port": 8080, "app": "http", "close": "after-response",
          "response_body_bytes": BIG_BODY}],
        limits=DEFAULT_LIMITS)
    with Tcpterm(cfg) as t:
        t.peer_mac()
        _close_under_loss(t, SERVER_IP)


def test_close_under_loss_v6():
    big = ("  - {port: 8080, app: http, close: after-response, "
           "response_body_bytes: %d}" % BIG_BODY)
    with Tcpterm6(text=config6(msl_ms=30000,
                               listeners=LISTENERS6 + [big])) as t:
        t.mac6()
        _close_under_loss(t, SERVER6)
