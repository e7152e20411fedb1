# SPDX-License-Identifier: BSD-3-Clause
# Instruction-count benchmark (sourced by tests/bench/run.sh): server
# instructions per connection, by stage, for short, client-close and a
# keep-alive request, counted by callgrind on tcpterm's worker path
# (tests/bench/instr_bench.c) driven on a stepped virtual clock. The count
# does not depend on the machine's speed or load. Needs valgrind.
# INSTR_BENCH_ARGS: e.g. "--conns 3000 --warmup 3000" for a quick run
# (default 20,000 connections after 5,000 of warm-up).
# instr_bench also takes --msl-ms N (TIME_WAIT records held: about 2,000
# per ms of MSL; the warm-up runs past 2*MSL), --max-time-wait N (sizes
# the TIME_WAIT ring and the flow table; 4 M by default with an MSL above
# 1 ms) and --cache-warmup N (the last N warm-up connections simulated
# but not counted, for --cache-sim=yes runs). Cache misses per connection
# with 1 M records held (about 40 s; callgrind_annotate the dump):
#   valgrind --tool=callgrind --cache-sim=yes --LL=33554432,16,64 \
#     --instr-atstart=no --collect-atstart=no instr_bench EAL-ARGS -- \
#     --scenario short --conns 20000 --warmup 5000 --cache-warmup 100000 \
#     --msl-ms 250
# Its last column, host ns/conn (TSC time in the measured polls), means
# something only without valgrind and on a quiet machine.

bench_instr() {
	local dir rc eal args
	if ! command -v valgrind >/dev/null; then
		echo "instr: valgrind is missing (tests/deps.sh installs it)" >&2
		return 1
	fi
	bench_build tests/bench/instr_bench || return 1
	if ! readelf -S "$build/tests/bench/instr_bench" 2>/dev/null |
		grep -q debug_line; then
		echo "note: $build has no debug info (meson -Ddebug=false):" \
			"the receive loop's in-line parse counts as glue" >&2
	fi
	# Page size does not change an instruction count: no hugepages, which
	# valgrind handles poorly.
	eal="-l 0 --no-pci --file-prefix tcpterm-bench-instr-$$ --log-level=1"
	eal="$eal --no-huge -m 256"
	args=${INSTR_BENCH_ARGS:---conns 20000 --warmup 5000}
	dir=$(mktemp -d /tmp/tcpterm-bench-instr.XXXXXX)
	echo "command: valgrind --tool=callgrind --instr-atstart=no" \
		"--collect-atstart=no $build/tests/bench/instr_bench $eal --" \
		"$args"
	# shellcheck disable=SC2086
	valgrind --tool=callgrind --instr-atstart=no --collect-atstart=no \
		--callgrind-out-file="$dir/callgrind.out" \
		"$build/tests/bench/instr_bench" $eal -- $args \
		> "$dir/log" 2> "$dir/valgrind.log"
	rc=$?
	cat "$dir/log"
	if [ "$rc" != 0 ]; then
		tail -20 "$dir/valgrind.log" >&2
		echo "instr: instr_bench failed (exit $rc)" >&2
		rm -rf "$dir"
		return 1
	fi
	# One dump per scenario: callgrind.out.1, .2, ...
	/usr/bin/python3 "$top/tests/bench/instr_report.py" "$dir/log" \
		"$dir"/callgrind.out.[0-9]* > "$dir/report"
	rc=$?
	bench_finish instr "$dir/report" "$rc"
	rc=$?
	rm -rf "$dir"
	return $rc
}
