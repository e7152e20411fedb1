# SPDX-License-Identifier: BSD-3-Clause
"""tcpterm-ctl ports: every port tcpterm serves, with its frames and drops
(summed over the workers): what each port received and sent, what it
dropped and why (not its address: ARP or IPv4 for another address)."""
import json

NAME = "ports"

# Columns of the table: (heading, key in a /tcpterm/ports entry).
COLUMNS = (
    ("RX pkts", "rx_packets"),
    ("TX pkts", "tx_packets"),
    ("RX drop", "rx_drop"),
    ("IP not ours", "ip_not_ours"),
    ("ARP not ours", "arp_not_ours"),
    ("TX drop", "tx_drop"),
    ("TX no mbuf", "tx_alloc_fail"),
    ("ARP req in", "arp_requests_rx"),
    ("ARP req out", "arp_requests_tx"),
)


def add_parser(sub):
    p = sub.add_parser(NAME, help="per-port frames and drops",
                       description="Every port: device, address, VLAN, "
                       "steering, and its frames in and out and drops, "
                       "summed over the workers. The totals of all ports "
                       "are /tcpterm/stats.")
    p.add_argument("--json", action="store_true", help="print JSON")
    return p


def collect(client):
    ports = client.cmd("/tcpterm/ports")
    return [ports[k] for k in sorted(ports, key=int)]


def print_table(ports):
    head = "%-4s %-16s %-18s %4s %-8s" % ("Port", "Device", "IPv4", "VLAN",
                                           "Steering")
    print(head + "".join(" %12s" % h for h, _ in COLUMNS))
    for i, p in enumerate(ports):
        line = "%-4d %-16s %-18s %4s %-8s" % (
            i, p.get("device", "?"), p.get("ipv4", "?"),
            p.get("vlan", 0) or "-", p.get("steering", "?"))
        print(line + "".join(" %12d" % p.get(k, 0) for _, k in COLUMNS))
    # IPv6 addresses are long: one line each under the table.
    for i, p in enumerate(ports):
        if p.get("ipv6"):
            print("port %d ipv6 %s" % (i, p["ipv6"]))


def run(args, client):
    ports = collect(client)
    if args.json:
        print(json.dumps(ports, indent=1))
    else:
        print_table(ports)
    return 0
