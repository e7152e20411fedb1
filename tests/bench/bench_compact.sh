# SPDX-License-Identifier: BSD-3-Clause
# Timer wheel compaction (sourced by tests/bench/run.sh): the worst single
# insert when stale entries fill the wheel, the full walk against the
# steps tcpterm takes (tests/bench/timer_bench_compact.c). Pure C, no
# EAL; with the defaults (10 M connections, 3 re-arms each) about 10 s
# and 2 GiB. Environment: COMPACT_BENCH_ARGS ("CONNECTIONS ROUNDS", e.g.
# "1000000 3").

bench_compact() {
	local log rc
	bench_build tests/bench/timer_bench_compact || return 1
	log=$(mktemp /tmp/tcpterm-bench-compact.XXXXXX)
	# shellcheck disable=SC2086
	"$build/tests/bench/timer_bench_compact" ${COMPACT_BENCH_ARGS:-} \
		> "$log"
	rc=$?
	bench_finish compact "$log" "$rc"
	rc=$?
	rm -f "$log"
	return $rc
}
