#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Install what tcpterm needs to build, run and be tested on Debian 12.
# Touches apt only when a package is missing. Needs root for that.
set -eu

pkgs=(
	gcc libc6-dev make pkg-config meson ninja-build	# build (make: parallel LTO links)
	dpdk dpdk-dev libdpdk-dev			# DPDK 22.11, dpdk-telemetry.py
	libcyaml-dev libyaml-dev libcmocka-dev		# config, unit tests
	python3 python3-scapy				# integration tests
	clang libfuzzer-14-dev libclang-rt-14-dev	# fuzz harnesses (ASan/UBSan runtimes)
	clang-format					# tests/format.sh (Debian 12: version 14)
	python3-pyflakes				# tests/format.sh: the Python check
	prometheus					# promtool, a real scrape
	iproute2 iputils-ping curl procps kmod		# clients, netns, tun
	tshark coreutils				# capture read-back
	nftables ethtool				# loss: drops, offloads
	nginx-light					# bench loss: Linux peer
	valgrind					# bench instr: callgrind, callgrind.h
)

missing=()
for p in "${pkgs[@]}"; do
	st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$st" = installed ] || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "deps: installing ${missing[*]}"
if [ "$(id -u)" != 0 ]; then
	echo "deps: missing packages and not root: ${missing[*]}" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "deps: done"
