#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Run one fuzz harness for a while:
#   tests/fuzz/run.sh NAME SECONDS [BUILD-DIR [ARTIFACT-DIR]]
# NAME is fuzz_parse or fuzz_tcp, built by tests/fuzz/build.sh into
# BUILD-DIR (default build-fuzz/). The checked-in seeds
# (tests/fuzz/corpus/NAME/) are copied into a working corpus,
# BUILD-DIR/corpus-NAME/, which keeps growing from run to run; the
# checked-in seeds are never modified. A crashing input is saved as
# ARTIFACT-DIR/NAME-crash-<sha1> (default build-logs/).
# The output ends with one line:
#   fuzz NAME: runs R, exec/s E, cov C, ft F, corpus N, seconds S, crash 0|1
# Exit status 0 when the harness ran its time without a crash.
set -u
cd "$(dirname "$0")/../.."
top=$(pwd)
name=$1
secs=$2
build=${3:-$top/build-fuzz}
art=${4:-$top/build-logs}
bin=$build/$name
seeds=$top/tests/fuzz/corpus/$name
work=$build/corpus-$name
log=$build/$name.log

if [ ! -x "$bin" ]; then
	echo "fuzz $name: $bin missing (run tests/fuzz/build.sh)" >&2
	exit 2
fi
mkdir -p "$work" "$art"
cp -n "$seeds"/* "$work"/ 2>/dev/null || true

# No RSS-polling thread (-rss_limit_mb=0; malloc_limit_mb bounds single
# allocations instead): with it, every context's large allocation costs
# a TLB shootdown across threads and halves the executions per second.
# Timeouts: no input should take anywhere near 10 s.
# FUZZ_SEED fixes libFuzzer's random seed (tests/run.sh uses 1, so that
# a run explores the same way each time); unset, each run differs.
seed=
[ -n "${FUZZ_SEED:-}" ] && seed=-seed=$FUZZ_SEED
start=$(date +%s)
# shellcheck disable=SC2086
"$bin" $seed -max_total_time="$secs" -max_len=4096 -timeout=10 \
	-rss_limit_mb=0 -malloc_limit_mb=512 -print_final_stats=1 \
	-artifact_prefix="$art/$name-" "$work" >"$log" 2>&1
rc=$?
elapsed=$(( $(date +%s) - start ))

# The last status line (#N DONE / pulse / NEW ...) has cov: and ft:.
stat=$(grep -E '^#[0-9]+' "$log" | tail -1)
runs=$(grep -E '^stat::number_of_executed_units:' "$log" | awk '{print $2}')
eps=$(grep -E '^stat::average_exec_per_sec:' "$log" | awk '{print $2}')
cov=$(echo "$stat" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
ft=$(echo "$stat" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
corp=$(echo "$stat" | sed -n 's/.* corp: \([0-9]*\).*/\1/p')
crash=0
if [ "$rc" != 0 ] || grep -qE '^==[0-9]+==ERROR|^SUMMARY: ' "$log"; then
	crash=1
	grep -E 'check failed|ERROR|SUMMARY|Test unit written' "$log" | head -8
	tail -40 "$log" > "$art/$name-failure.log"
	echo "fuzz $name: failed (exit $rc); log: $log," \
		"last lines in $art/$name-failure.log"
fi
echo "fuzz $name: runs ${runs:-0}, exec/s ${eps:-0}, cov ${cov:-0}," \
	"ft ${ft:-0}, corpus ${corp:-0}, seconds $elapsed, crash $crash"
[ "$crash" = 0 ]
