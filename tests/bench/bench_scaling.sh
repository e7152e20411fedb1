# SPDX-License-Identifier: BSD-3-Clause
# Scaling benchmark (sourced by tests/bench/run.sh): tcpterm's worker path
# on 1 worker and on 2 workers (software-steered and queue-steered), fed
# by an in-process client per worker through a net_ring port. Needs two
# lcores. SCALING_BENCH_ARGS: e.g. "--seconds 5 --concurrency 512".

bench_scaling() {
	local log rc eal
	bench_build tests/bench/scaling_bench || return 1
	eal=$(bench_eal_args scaling 192) || return 1
	# Two lcores: the helper gives one.
	eal=${eal/-l 0 /-l 0-1 }
	log=$(mktemp /tmp/tcpterm-bench-scaling.XXXXXX)
	echo "command: $build/tests/bench/scaling_bench $eal --" \
		"${SCALING_BENCH_ARGS:-}"
	# shellcheck disable=SC2086
	"$build/tests/bench/scaling_bench" $eal -- ${SCALING_BENCH_ARGS:-} \
		> "$log"
	rc=$?
	bench_finish scaling "$log" "$rc"
	rc=$?
	rm -f "$log"
	return $rc
}
