# SPDX-License-Identifier: BSD-3-Clause
# Legitimate connections per second under a spoofed SYN flood (sourced by
# tests/bench/run.sh): tcpterm over net_memif with tcpterm-gen's `short`
# client alone, then with --flood beside it, then the flood alone; the
# Linux kernel (epoll_server, tcp_syncookies=1) over a veth pair with
# cps_client, alone and beside tests/bench/synflood. The work is done by
# tests/bench/synflood_bench.py. Goal: CPS under the flood >= 80% of
# the CPS without it; the status is 1 when tcpterm misses it.
# Environment: SYNFLOOD_ARGS, extra arguments of synflood_bench.py, e.g.
#   SYNFLOOD_ARGS="--syncookies always --seconds 10".

bench_synflood() {
	local log rc huge="" cc=${CC:-cc} f
	bench_build app/tcpterm/tcpterm || return 1
	bench_build app/tcpterm-gen/tcpterm-gen || return 1
	bench_build tests/bench/synflood || return 1
	mkdir -p "$build/tests/bench"
	for f in epoll_server cps_client; do
		$cc -O2 -Wall -Wextra -o "$build/tests/bench/$f" \
			"$top/tests/bench/$f.c" >&2 || return 1
	done
	cps_hugepages
	if [ "$(bench_huge_free_mb)" -lt 768 ]; then
		huge=--no-huge
		echo "note: fewer than 768 MiB of free hugepages: running with" \
			"--no-huge (memif is ~2.8x slower so)" >&2
	fi
	log=$(mktemp /tmp/tcpterm-bench-synflood.XXXXXX)
	# shellcheck disable=SC2086
	/usr/bin/python3 "$top/tests/bench/synflood_bench.py" \
		--build "$build" --resdir "$resdir" --stamp "$stamp" $huge \
		${SYNFLOOD_ARGS:-} > "$log" 2>&1
	rc=$?
	bench_finish synflood "$log" "$rc"
	rc=$?
	rm -f "$log"
	return $rc
}
