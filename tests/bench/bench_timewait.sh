# SPDX-License-Identifier: BSD-3-Clause
# TIME_WAIT at scale (sourced by tests/bench/run.sh): 10 M TIME_WAIT
# records made through the real tcp_input() path, then bytes per entry,
# the CPU cost of expiring 1 M records per second, 2*MSL accuracy and the
# packet-loop latency during a mass expiry; then bytes per IPv6 entry (a
# fill of up to 1 M IPv6 connections). Pure C, no EAL.
# Environment: TIMEWAIT_BENCH_ARGS (e.g. "--entries 1000000").

bench_timewait() {
	local log rc
	bench_build tests/bench/timewait_bench || return 1
	log=$(mktemp /tmp/tcpterm-bench-timewait.XXXXXX)
	# shellcheck disable=SC2086
	"$build/tests/bench/timewait_bench" ${TIMEWAIT_BENCH_ARGS:-} > "$log"
	rc=$?
	bench_finish timewait "$log" "$rc"
	rc=$?
	rm -f "$log"
	return $rc
}
