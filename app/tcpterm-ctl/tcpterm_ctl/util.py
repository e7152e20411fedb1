# SPDX-License-Identifier: BSD-3-Clause
"""Helpers shared by the subcommands."""


def workers(client):
    """Worker indices of the instance, from /tcpterm/cores."""
    cores = client.cmd("/tcpterm/cores")
    return sorted(int(k) for k in cores)


def human_bytes(n):
    for unit in ("B", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return ("%d %s" % (n, unit) if unit == "B"
                    else "%.1f %s" % (n, unit))
        n /= 1024.0
    return "%d B" % n


def human_ms(ms):
    if ms < 1000:
        return "%dms" % ms
    if ms < 60000:
        return "%.1fs" % (ms / 1000.0)
    if ms < 3600000:
        return "%dmin%02ds" % (ms // 60000, ms // 1000 % 60)
    return "%dh%02dmin" % (ms // 3600000, ms // 60000 % 60)
