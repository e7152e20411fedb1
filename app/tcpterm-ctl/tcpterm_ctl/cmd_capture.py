# SPDX-License-Identifier: BSD-3-Clause
"""tcpterm-ctl capture: a pcapng of a running tcpterm's port.

Runs DPDK's own dpdk-dumpcap against the instance: dumpcap is a DPDK
secondary process that attaches to tcpterm's shared memory (tcpterm
calls rte_pdump_init() at start-up) and asks it to copy the packets of a
port, filtered in tcpterm's process by the capture filter compiled to
BPF, into a ring dumpcap writes to the file. Both processes load the
same PMDs (the EAL's driver directory of the same DPDK installation);
tcpterm must run on hugepages (not --no-huge), since a secondary process
can only attach to shared hugepage memory.
Exit status: 0 when the file was written, 2 on bad arguments, an
unreachable instance, or a capture dumpcap could not start.
"""
import os
import re
import shutil
import signal
import subprocess

from .client import CtlError

NAME = "capture"
DUMPCAP = "dpdk-dumpcap"


def _count(text):
    try:
        v = int(text)
    except ValueError:
        v = 0
    if v <= 0:
        import argparse
        raise argparse.ArgumentTypeError("'%s' is not a positive count"
                                         % text)
    return v


def add_parser(sub):
    p = sub.add_parser(NAME, help="capture packets to a pcapng file",
                       description="Capture a port's packets to a pcapng "
                       "file (Wireshark, tshark) with dpdk-dumpcap. FILTER "
                       "is a libpcap capture filter, as for tcpdump, e.g. "
                       "'tcp[tcpflags] & (tcp-fin|tcp-rst) != 0'.")
    p.add_argument("-w", dest="file", required=True, metavar="FILE",
                   help="pcapng file to write")
    p.add_argument("-c", dest="count", type=_count, metavar="N",
                   help="stop after N packets (default: until Ctrl-C)")
    p.add_argument("-i", dest="port", default="0", metavar="PORT",
                   help="port index or device name (default: 0)")
    p.add_argument("-a", "--duration", type=_count, metavar="S",
                   help="stop after S seconds")
    p.add_argument("--raw-filter", action="store_true",
                   help="pass FILTER to dpdk-dumpcap unchanged (tcp[N] "
                   "loads are rewritten as ip[20+N] by default)")
    p.add_argument("filter", nargs="*", metavar="FILTER",
                   help="capture filter (words are joined)")
    return p


_TCP_INDEX = re.compile(r"\btcp\[\s*(tcpflags|\d+)\s*(:\s*[124]\s*)?\]")


def portable_filter(expr):
    """Rewrite tcp[N] loads for DPDK's BPF.

    DPDK 22.11 converts the classic BPF of a capture filter to its eBPF,
    and a load relative to the TCP header (tcp[13], tcp[tcpflags]) needs
    the IP header length computed at run time (BPF_MSH), which that
    conversion does not handle: such a filter silently matches nothing.
    tcpterm sends no IP options, so tcp[N] is ip[20 + N] for every packet
    whose IHL is 5; packets with IP options are left out. Returns the
    filter dumpcap gets and whether it was rewritten.
    """
    def sub(m):
        off = 13 if m.group(1) == "tcpflags" else int(m.group(1))
        return "ip[%d%s]" % (20 + off, (m.group(2) or "").replace(" ", ""))
    out, n = _TCP_INDEX.subn(sub, expr)
    if n == 0:
        return expr, False
    return "ip[0] & 0xf = 5 and (%s)" % out, True


def dumpcap_argv(args, prefix, dumpcap):
    argv = [dumpcap, "--file-prefix=" + prefix, "-i", args.port,
            "-w", args.file]
    if args.count:
        argv += ["-c", str(args.count)]
    if args.duration:
        argv += ["-a", "duration:%d" % args.duration]
    if args.filter:
        expr = " ".join(args.filter)
        if not args.raw_filter:
            expr, changed = portable_filter(expr)
            if changed:
                print("capture: filter for DPDK's BPF: %s" % expr,
                      flush=True)
        argv += ["-f", expr]
    return argv


def _explain(out):
    """dumpcap's failure in an operator's terms."""
    if "is primary process running" in out or \
            "Cannot get hugepage information" in out:
        return ("dpdk-dumpcap could not attach to the instance: tcpterm "
                "must run on hugepages (not --no-huge) and as the same "
                "user for a capture")
    low = out.lower()
    if "not enabled" in low or ("pdump" in low and "fail" in low):
        return "the instance refused the capture (is it tcpterm?)"
    return "dpdk-dumpcap failed"


def run(args, client):
    dumpcap = shutil.which(DUMPCAP)
    if dumpcap is None:
        raise CtlError("%s not found (Debian package dpdk)" % DUMPCAP)
    directory = os.path.dirname(os.path.abspath(args.file))
    if not os.access(directory, os.W_OK):
        raise CtlError("cannot write %s: %s is not writable"
                       % (args.file, directory))
    # Reach the instance first: a clear error, not EAL's.
    client.cmd("/tcpterm/states")
    prefix = os.path.basename(os.path.dirname(client.path))
    argv = dumpcap_argv(args, prefix, dumpcap)
    # dumpcap's stdout is a pipe here: line-buffer it, so that its
    # "Capturing on" reaches the operator when the capture starts.
    stdbuf = shutil.which("stdbuf")
    if stdbuf:
        argv = [stdbuf, "-oL"] + argv
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True,
                            start_new_session=True)
    out = []
    try:
        for ln in proc.stdout:
            out.append(ln)
            _relay(ln)
        proc.wait()
    except KeyboardInterrupt:
        # dumpcap ends the file and prints its counts on SIGINT.
        proc.send_signal(signal.SIGINT)
        for ln in proc.stdout:
            out.append(ln)
            _relay(ln)
        proc.wait()
    text = "".join(out)
    if proc.returncode != 0 or not os.path.exists(args.file):
        raise CtlError("%s (exit %d): %s" % (
            _explain(text), proc.returncode,
            " / ".join(ln.strip() for ln in out[-6:] if ln.strip())))
    return 0


def _relay(line):
    """dumpcap's own progress lines, without EAL's noise."""
    ln = line.strip()
    if ln.startswith(("Capturing on", "File:", "Packets")):
        print("capture: " + ln, flush=True)
