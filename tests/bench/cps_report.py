# SPDX-License-Identifier: BSD-3-Clause
"""The cps benchmark's report: per-core figures, the table, the plots."""

import os
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))


def note(msg):
    print(msg, flush=True)


def pct_str(x):
    return "?" if x is None else "%.0f%%" % (x * 100)


def per_core(r):
    """Rate per fully used server core: the rate over the server process's
    CPU share (user + system time over wall time; on a busy machine the
    share of core 0 from /proc/stat includes other processes). Never
    below the measured rate."""
    share = r.get("server_share")
    if not share:
        share = r.get("proc_stat_cpu", [1, 1])[0]
    key = "rps" if r.get("scenario") == "keepalive" else "cps"
    return r[key] / min(max(share, 0.01), 1.0)


def table(res):
    tt, la, lb = res["tcpterm"], res.get("linux_tap", {}), \
        res.get("linux_veth", {})
    lines = ["", "%-17s %10s %10s %10s %10s %11s %7s" % (
        "scenario", "tcpterm", "tt/core*", "linux/tap", "linux/veth",
        "linux/core*", "ratio*")]
    for s in ("short", "client-close", "keepalive"):
        key = "rps" if s == "keepalive" else "cps"
        cands = [per_core(x[s]) for x in (la, lb) if s in x]
        best = max(cands or [0])
        ttc = per_core(tt[s])
        lines.append("%-17s %10.0f %10.0f %10s %10s %11.0f %6.1fx" % (
            s + (" rps" if key == "rps" else " cps"), tt[s][key], ttc,
            "%.0f" % la[s][key] if s in la else "-",
            "%.0f" % lb[s][key] if s in lb else "-", best,
            ttc / best if best else 0))
    if "short-v6" in tt:
        v6 = tt["short-v6"]
        lines.append("%-17s %10.0f %10.0f %10s %10s %11s %7s" % (
            "short cps IPv6", v6["cps"], per_core(v6), "-", "-", "-", "-"))
    lines.append("* per fully used server core: rate / the server "
                 "process's CPU share (user+system time / wall time);")
    lines.append("  linux/core is the higher of the tap and veth figures; "
                 "ratio = tt/core / linux/core")
    p = res["platform"]["pps"]
    tp = res["tcpterm_pps"]
    lines.append("packets/s: tcpterm %.2f M (short, (in+out)/2), platform "
                 "%.2f M (one core forwarding through net_memif): %.0f%%"
                 % (tp / 1e6, p / 1e6, 100.0 * tp / p if p else 0))
    lines.append("load average %.1f at the start, %.1f at the end, on %d "
                 "CPUs%s" % (res["loadavg_start"], res["loadavg_end"],
                             os.cpu_count() or 0,
                             ": other processes shared the cores, so "
                             "rates are below this machine's"
                             if res["loadavg_start"] > 2.5 else ""))
    tw = res.get("timewait")
    if tw:
        lines.append("TIME_WAIT: %d entries at %.0f conn/s (2*MSL %.1fs), "
                     "%s bytes/entry, %s MiB at the peak; failed %d" % (
                         tw["time_wait_max"], tw["cps"],
                         2 * res["msl_ms"] / 1000.0,
                         "%.0f" % tw["bytes_per_entry"]
                         if tw["bytes_per_entry"] else "?",
                         "%.1f" % (tw["memory_at_max"] / 2 ** 20)
                         if tw["memory_at_max"] else "?", tw["failed"]))
        st = tw.get("steadiness")
        if st:
            lines.append("TIME_WAIT run per second: median %.0f conn/s, "
                         "min %.0f, max %.0f: worst second %.1f%% from the "
                         "median (fill included)" % (
                             st["median"], st["min"], st["max"],
                             100 * st["worst_from_median"]))
        if tw.get("bytes_per_entry_v6"):
            lines.append("TIME_WAIT bytes/entry with IPv6 on: IPv4 %.1f, "
                         "IPv6 %.1f (IPv4 with IPv6 off: %.1f)" % (
                             tw["bytes_per_entry"], tw["bytes_per_entry_v6"],
                             tw["bytes_per_entry_v4_ipv6_off"]))
    return "\n".join(lines)


def plots(b, resdir, stamp):
    """PNG plots with gnuplot, when it is installed."""
    if subprocess.run(["sh", "-c", "command -v gnuplot"],
                      capture_output=True).returncode != 0:
        note("gnuplot not installed: no plots")
        return []
    out = []
    rate_png = os.path.join(resdir, "cps-%s-rate.png" % stamp)
    lat_png = os.path.join(resdir, "cps-%s-latency.png" % stamp)
    series = [(n, f) for n, f in sorted(b.series.items())
              if os.path.exists(f) and not n.startswith(("raw",
                                                          "tt-keepalive",
                                                          "lx-tap-keep"))]
    plot = ", ".join("'%s' using 1:2 with linespoints title '%s'" % (f, n)
                     for n, f in series)
    lat = b.series.get("tt-short")
    script = """
set terminal png size 1000,560 noenhanced
set datafile separator ','
set key outside right
set grid
set output '%s'
set title 'Connections per second over time (tcpterm over net_memif, Linux over net_tap)'
set xlabel 'seconds'
set ylabel 'connections/s'
plot %s
""" % (rate_png, plot)
    if lat and os.path.exists(lat):
        script += """
set output '%s'
set title 'tcpterm short: connect latency percentiles per second'
set ylabel 'microseconds'
set logscale y
plot '%s' using 1:8 with linespoints title 'p50', '%s' using 1:9 with linespoints title 'p99', '%s' using 1:10 with linespoints title 'p99.9'
""" % (lat_png, lat, lat, lat)
    tw = b.res.get("timewait", {}).get("samples")
    tw_png = os.path.join(resdir, "cps-%s-timewait.png" % stamp)
    if tw:
        tw_csv = os.path.join(b.tmp, "timewait.csv")
        with open(tw_csv, "w") as f:
            f.write("".join("%.2f,%d\n" % x for x in tw))
        script += """
unset logscale y
set output '%s'
set title 'tcpterm TIME_WAIT entries during the steady short run (2*MSL = %.1fs)'
set ylabel 'TIME_WAIT entries'
plot '%s' using 1:2 with lines title 'TIME_WAIT'
""" % (tw_png, 2 * b.a.msl_ms / 1000.0, tw_csv)
    p = subprocess.run(["gnuplot"], input=script, text=True,
                       capture_output=True)
    if p.returncode != 0:
        note("gnuplot failed: " + p.stderr[-500:])
    for f in (rate_png, lat_png, tw_png):
        if os.path.exists(f):
            out.append(os.path.relpath(f, ROOT))
    return out
