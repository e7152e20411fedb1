# SPDX-License-Identifier: BSD-3-Clause
# Long fuzzing run (sourced by tests/bench/run.sh): every libFuzzer harness
# of tests/fuzz/ for FUZZ_BENCH_SECONDS each (default 300: 10 minutes in
# all), on a working corpus that grows from run to run
# (build-fuzz/corpus-NAME/, seeded from tests/fuzz/corpus/NAME/).
# Reports executions, executions per second and libFuzzer's final
# coverage (cov: edges, ft: features) per harness. A crash fails the
# benchmark; the input is saved under build-logs/.
# Environment: FUZZ_BENCH_SECONDS, FUZZ_BENCH_HARNESSES (default
# "fuzz_parse fuzz_tcp"), FUZZ_BUILD (default build-fuzz/).

bench_fuzz() {
	local secs=${FUZZ_BENCH_SECONDS:-300} fbuild=${FUZZ_BUILD:-$top/build-fuzz}
	local names=${FUZZ_BENCH_HARNESSES:-fuzz_parse fuzz_tcp}
	local log rc=0 name line json="" sep=""
	bash "$top/tests/fuzz/build.sh" "$fbuild" >&2 || return 1
	log=$(mktemp /tmp/tcpterm-bench-fuzz.XXXXXX)
	printf '%-12s %12s %9s %7s %8s %7s %6s\n' harness runs exec/s cov ft \
		corpus crash > "$log"
	for name in $names; do
		echo "fuzz: $name for ${secs}s" >&2
		line=$(bash "$top/tests/fuzz/run.sh" "$name" "$secs" "$fbuild" \
			"$top/build-logs" | tail -1) || rc=1
		# "fuzz NAME: runs R, exec/s E, cov C, ft F, corpus N, seconds S,
		#  crash X"
		set -- $(echo "$line" | tr -d ',' | awk '{print $4, $6, $8, $10,
			$12, $14, $16}')
		printf '%-12s %12s %9s %7s %8s %7s %6s\n' "$name" "${1:-0}" \
			"${2:-0}" "${3:-0}" "${4:-0}" "${5:-0}" "${7:-1}" >> "$log"
		json="$json$sep\"$name\":{\"runs\":${1:-0},\"exec_per_s\":${2:-0},"
		json="$json\"cov\":${3:-0},\"ft\":${4:-0},\"corpus\":${5:-0},"
		json="$json\"seconds\":${6:-0},\"crash\":${7:-1}}"
		sep=","
	done
	echo "{\"bench\":\"fuzz\",\"seconds_per_harness\":$secs,$json}" >> "$log"
	bench_finish fuzz "$log" "$rc"
	rc=$?
	rm -f "$log"
	return $rc
}
