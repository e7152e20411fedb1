# SPDX-License-Identifier: BSD-3-Clause
# Timer micro-benchmark (sourced by tests/bench/run.sh): tcpterm's timing
# wheel against DPDK's rte_timer and a binary heap, at 1 M and 10 M
# timers, then a storm of 10 M timers due within one second.

bench_timer() {
	local log rc eal
	bench_build tests/bench/timer_bench || return 1
	eal=$(bench_eal_args timer 256) || return 1
	case $eal in
	*--no-huge*) echo "note: no free hugepages: EAL runs with --no-huge" \
		"(the timers themselves live in malloc memory either way)";;
	esac
	log=$(mktemp /tmp/tcpterm-bench-timer.XXXXXX)
	# shellcheck disable=SC2086
	"$build/tests/bench/timer_bench" $eal -- ${TIMER_BENCH_ARGS:-} > "$log"
	rc=$?
	bench_finish timer "$log" "$rc"
	rc=$?
	rm -f "$log"
	return $rc
}
