#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# The RX burst's flow-table prefetch must be in the tcpterm binary.
# A prefetch has no effect a compiler must keep: link-time optimisation
# once deleted every call of a prefetch-only function (it returned
# nothing and stored nothing), and no test of behaviour could see it.
# So read the machine code: tcp_seg_hash_prefetch() (the segment's hash,
# with its flow-table line prefetched) must hold a prefetch instruction
# and be called (from the RX burst), or, if a compiler inlines it one day,
# the RX burst itself must hold two prefetches (frame data and flow line).
# Usage: check_rx_prefetch.sh TCPTERM-BINARY
bin=$1
if ! command -v objdump >/dev/null; then
	echo "check_rx_prefetch: objdump not found (binutils)" >&2
	exit 1
fi
dis=$(objdump -d --no-show-raw-insn "$bin") || exit 1
# The instructions of the functions whose symbol matches $1.
body() {
	printf '%s\n' "$dis" | awk -v re="$1" '
		/^[0-9a-f]+ <.*>:$/ { f = ($2 ~ re) }
		f && /^ +[0-9a-f]+:/'
}
fn=$(body '^<tcp_seg_hash_prefetch[.>]')
if [ -n "$fn" ]; then
	n=$(printf '%s\n' "$fn" | grep -c 'prefetcht0')
	calls=$(printf '%s\n' "$dis" |
		grep -c 'call .*<tcp_seg_hash_prefetch[.>]')
	echo "tcp_seg_hash_prefetch: $n prefetch, called from $calls places"
	[ "$n" -ge 1 ] && [ "$calls" -ge 1 ] && exit 0
	echo "FAIL: the flow-table prefetch is gone from $bin" >&2
	exit 1
fi
n=$(body '^<dp_rx_' | grep -c 'prefetcht0')
echo "tcp_seg_hash_prefetch inlined: $n prefetches in the RX burst"
if [ "$n" -lt 2 ]; then
	echo "FAIL: the flow-table prefetch is gone from $bin" >&2
	exit 1
fi
