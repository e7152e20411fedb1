#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Run tcpterm on a net_tap port, reachable from this machine at 198.18.0.1
# and 2001:db8::1.
# As root on Debian 12: installs missing packages, builds build/ if needed,
# reserves hugepages when it can, then runs tcpterm in the foreground.
# Arguments are passed to tcpterm after "--" (default: the embedded
# config/tap.yaml), e.g.  ./app/tcpterm/run-tap.sh -c config/tap.yaml
# Ctrl-C stops it; the exit status is tcpterm's.
set -u
cd "$(dirname "$0")/../.."
iface=tcpt0
prefix=tcpterm

if [ "$(id -u)" != 0 ]; then
	echo "run-tap.sh: run as root (DPDK, tap device)" >&2
	exit 1
fi
bash tests/deps.sh || exit 1
modprobe tun 2>/dev/null || true

bin=build/app/tcpterm/tcpterm
if [ ! -f build/build.ninja ]; then
	meson setup build --buildtype=release >/dev/null || exit 1
fi
ninja -C build >/dev/null || { ninja -C build; exit 1; }
[ -x "$bin" ] || { echo "run-tap.sh: $bin was not built" >&2; exit 1; }

# Hugepages if possible, else plain memory.
mem=(--no-huge -m 512)
if ! mountpoint -q /dev/hugepages; then
	mkdir -p /dev/hugepages
	mount -t hugetlbfs nodev /dev/hugepages 2>/dev/null
fi
if mountpoint -q /dev/hugepages; then
	free=$(awk '/HugePages_Free/{print $2}' /proc/meminfo)
	if [ "${free:-0}" -lt 256 ]; then
		echo 256 >/proc/sys/vm/nr_hugepages 2>/dev/null
		free=$(awk '/HugePages_Free/{print $2}' /proc/meminfo)
	fi
	[ "${free:-0}" -ge 256 ] && mem=()
fi
[ ${#mem[@]} -gt 0 ] &&
	echo "run-tap.sh: no 2 MB hugepages available; using --no-huge -m 512"

if ip link show "$iface" >/dev/null 2>&1; then
	echo "run-tap.sh: $iface already exists (another tcpterm running?)" >&2
	exit 1
fi

log=$(mktemp /tmp/tcpterm-run.XXXXXX)
"$bin" -l 0 "${mem[@]}" --no-pci --file-prefix "$prefix" \
	--vdev=net_tap0,iface=$iface -- "$@" > >(tee "$log") 2>&1 &
pid=$!
trap 'kill -INT $pid 2>/dev/null' INT
trap 'kill -TERM $pid 2>/dev/null' TERM

for _ in $(seq 600); do
	grep -q 'tcpterm: ready' "$log" && break
	kill -0 $pid 2>/dev/null || break
	sleep 0.1
done
if grep -q 'tcpterm: ready' "$log"; then
	ip addr add 198.18.0.2/24 dev $iface 2>/dev/null
	# IPv6 (config/tap.yaml's 2001:db8::1), without duplicate detection.
	ip -6 addr add 2001:db8::2/64 dev $iface nodad 2>/dev/null
	ip link set $iface up
	echo "reach it: curl http://198.18.0.1/  |  nc 198.18.0.1 7  |  ping 198.18.0.1"
	echo "   or: curl -6 'http://[2001:db8::1]/'  |  ping -6 2001:db8::1"
	echo "telemetry: echo /tcpterm/states | dpdk-telemetry.py -f $prefix"
	echo "stop: Ctrl-C"
fi
# wait returns early when a trapped signal arrives: wait again until done.
while kill -0 $pid 2>/dev/null; do
	wait $pid
done
wait $pid
rc=$?
rm -f "$log"
exit $rc
