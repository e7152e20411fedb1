# SPDX-License-Identifier: BSD-3-Clause
# Loss (sourced by tests/bench/run.sh): 4 MiB downloads (curl) and
# uploads through random per-packet loss, tcpterm beside nginx and a
# Linux discard server, and tcpterm-gen's short connections over memif
# with --loss and --delay-us. See tests/bench/loss_bench.py and
# docs/benchmarks.md. Environment: LOSS_RUNS (3), LOSS_TIMEOUT (30 s),
# LOSS_GEN_RATE (500), LOSS_SKIP_TRANSFERS=1, LOSS_SKIP_GEN=1.

bench_loss() {
	local log rc
	bench_build app/tcpterm/tcpterm || return 1
	bench_build app/tcpterm-gen/tcpterm-gen || return 1
	log=$(mktemp /tmp/tcpterm-bench-loss.XXXXXX)
	TCPTERM_BIN="$build/app/tcpterm/tcpterm" \
		/usr/bin/python3 "$top/tests/bench/loss_bench.py" > "$log"
	rc=$?
	bench_finish loss "$log" "$rc"
	rc=$?
	rm -f "$log"
	return $rc
}
