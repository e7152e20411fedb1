#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# tcpterm's whole test suite, as root on Debian 12:
#   - installs missing packages (tests/deps.sh),
#   - checks the C sources against .clang-format and the Python ones
#     with pyflakes (tests/format.sh),
#   - builds build/ (release, with DPDK) and build-san/ (pure modules with
#     AddressSanitizer + UndefinedBehaviorSanitizer),
#   - runs the cmocka unit tests in both, then the integration tests
#     (tests/integration/run.py: tcpterm on a net_tap port, Linux clients
#     in a network namespace), then the wire-level tests (tests/wire/run.py:
#     crafted segments against tcpterm and, as a reference, Linux), then a
#     short run of the instruction-count benchmark (tests/bench/run.sh
#     instr under callgrind: a count is produced and plausible),
#   - builds the libFuzzer harnesses (tests/fuzz/build.sh, clang) and runs
#     each for FUZZ_SECONDS (default 30).
# Prints a summary per suite and, as the very last line, "N passed, N failed"
# over all suites. Exits non-zero on any failure, or any suite that could
# not run (a build failure is a failure).
set -u
cd "$(dirname "$0")/.."
top=$(pwd)
t_start=$(date +%s)
logdir=$top/build-logs
mkdir -p "$logdir"

total_pass=0
total_fail=0
summary=()

record() {	# suite passed failed [note]
	total_pass=$((total_pass + $2))
	total_fail=$((total_fail + $3))
	summary+=("$(printf '%-22s %4d passed, %4d failed  %s' "$1" "$2" "$3" "${4:-}")")
}

loud() {
	echo
	echo "!!!!!!!! $* !!!!!!!!"
	echo
}

if [ "$(id -u)" != 0 ]; then
	echo "tests/run.sh must run as root (packages, tap devices, namespaces)" >&2
	exit 1
fi

echo "== dependencies"
if ! bash tests/deps.sh; then
	loud "installing dependencies failed"
	record deps 0 1 "apt failed"
fi

# format: the C sources as .clang-format says and the Python ones clean
# under pyflakes (tests/format.sh); one test,
# run first because it is cheap and needs no build.
echo "== format"
bash tests/format.sh 2>&1 | tee "$logdir/format.log"
case ${PIPESTATUS[0]} in
0) record format 1 0 ;;
1)
	loud "C sources differ from .clang-format (bash tests/format.sh --fix)" \
		"or pyflakes warns (fix by hand): see the lines above"
	record format 0 1 "files differ"
	;;
*)
	loud "format check could not run (log: $logdir/format.log)"
	record format 0 1 "not run"
	;;
esac

modprobe tun 2>/dev/null || true
if [ ! -c /dev/net/tun ]; then
	mkdir -p /dev/net
	mknod /dev/net/tun c 10 200 2>/dev/null || true
fi
[ -c /dev/net/tun ] || loud "/dev/net/tun is missing: integration tests will fail"

# build DIR NAME MESON-OPTIONS...: configure once, then ninja.
build() {
	local dir=$1 name=$2
	shift 2
	echo "== build $name ($dir)"
	if [ ! -f "$dir/build.ninja" ]; then
		rm -rf "$dir"
		if ! meson setup "$dir" "$@" >"$logdir/$name-setup.log" 2>&1; then
			tail -30 "$logdir/$name-setup.log"
			loud "meson setup $name failed (log: $logdir/$name-setup.log)"
			return 1
		fi
	fi
	if ! ninja -C "$dir" >"$logdir/$name-build.log" 2>&1; then
		grep -E 'error|Error' "$logdir/$name-build.log" | head -40
		loud "build $name failed (log: $logdir/$name-build.log)"
		return 1
	fi
	local w
	w=$(grep -c 'warning:' "$logdir/$name-build.log")
	echo "built $name ($w compiler warnings)"
	if [ "$w" != 0 ]; then
		grep -A3 'warning:' "$logdir/$name-build.log" | head -40
		loud "build $name has $w compiler warnings"
		record "warnings ($name)" 0 1 "$w warnings"
	fi
}

# unit DIR NAME: meson's cmocka suite; parses meson's summary.
unit() {
	local dir=$1 name=$2 log=$logdir/$2-unit.log ok fail rc nfailprog
	echo "== unit tests ($name)"
	UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1} \
	ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} \
		meson test -C "$dir" --suite unit --print-errorlogs \
		--num-processes 2 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	# Count cmocka cases (each program prints "[  PASSED  ] N test(s)."
	# and "[  FAILED  ] N test(s)"); a program that died without its
	# summary (crash, sanitizer abort, timeout) counts as one failure.
	local tlog=$dir/meson-logs/testlog.txt progfail
	ok=$(awk '/^\[  PASSED  \] [0-9]+ test/{s += $4} END{print s + 0}' "$tlog")
	fail=$(awk '/^\[  FAILED  \] [0-9]+ test/{s += $4} END{print s + 0}' "$tlog")
	progfail=$(awk '/^(Fail|Unexpected Pass|Timeout):/{s += $NF} END{print s + 0}' "$log")
	nfailprog=$(grep -c '^\[  FAILED  \] [0-9]* test' "$tlog")
	[ "$progfail" -gt "$nfailprog" ] && fail=$((fail + progfail - nfailprog))
	if [ "$rc" != 0 ] && [ "$fail" = 0 ]; then
		loud "unit tests ($name) did not run (meson test exit $rc)"
		fail=1
	elif [ "$ok" = 0 ] && [ "$fail" = 0 ]; then
		loud "no unit tests ran ($name)"
		fail=1
	fi
	record "unit ($name)" "$ok" "$fail"
}

# pysuite NAME TIMEOUT RUNNER [ARGS...]: a Python runner against the
# release tcpterm; it prints "NAME: N passed, N failed" as its summary.
pysuite() {
	local name=$1 limit=$2 log=$logdir/$1.log rc line
	shift 2
	echo "== $name tests"
	TCPTERM_BIN=$top/build/app/tcpterm/tcpterm \
		timeout -k 10 "$limit" /usr/bin/python3 -u "$@" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	line=$(grep -E "^$name: [0-9]+ passed, [0-9]+ failed" "$log" | tail -1)
	if [ -z "$line" ]; then
		loud "$name tests did not finish (exit $rc)"
		record "$name" 0 1 "runner exit $rc"
		return
	fi
	set -- $line
	local p=$2 f=$4
	if [ "$rc" != 0 ] && [ "$f" = 0 ]; then
		f=1
	fi
	record "$name" "$p" "$f"
}

# instr: a short run of the instruction-count benchmark (tests/bench/run.sh
# instr) that only checks a count is produced and plausible; one test.
instr_smoke() {
	local log=$logdir/instr.log per
	echo "== instr (smoke)"
	INSTR_BENCH_ARGS="--conns 2000 --warmup 2000" BENCH_BUILD=$top/build \
		timeout -k 10 300 bash tests/bench/run.sh instr 2>&1 | tee "$log"
	per=$(tail -n 1 "$log" | grep -o '"server_instructions_per_conn":[0-9]*' |
		cut -d: -f2)
	if [ -n "$per" ] && [ "$per" -gt 500 ] && [ "$per" -lt 50000 ]; then
		record instr 1 0 "$per per short conn"
	else
		loud "instr: no plausible instruction count (log: $log)"
		record instr 0 1 "count '${per:-none}'"
	fi
}

if build build release --buildtype=release; then
	unit build release
	# tcpterm on net_tap with Linux clients in a namespace.
	pysuite integration 900 tests/integration/run.py
	# A scripted remote TCP against tcpterm, then the same against Linux.
	pysuite wire 600 tests/wire/run.py --table "$logdir/wire-linux.md"
	instr_smoke
else
	record "build (release)" 0 1 "BUILD FAILED"
	record "unit (release)" 0 1 "not run"
	record integration 0 1 "not run"
	record wire 0 1 "not run"
	record instr 0 1 "not run"
fi

if build build-san sanitize --buildtype=debug -Ddpdk=disabled \
	-Db_sanitize=address,undefined -Db_lundef=false -Db_lto=false; then
	unit build-san sanitize
else
	record "build (sanitize)" 0 1 "BUILD FAILED"
	record "unit (sanitize)" 0 1 "not run"
fi

# fuzz: the libFuzzer harnesses of tests/fuzz/ (clang, ASan + UBSan),
# FUZZ_SECONDS each (default 30), with libFuzzer's seed fixed (FUZZ_SEED,
# default 1) so that a run is repeatable; one pass per harness that ran
# its time without a crash. A crashing input is saved under build-logs/.
fuzz_suite() {
	local secs=${FUZZ_SECONDS:-30} name p=0 f=0 rc
	echo "== fuzz (${secs}s per harness)"
	if ! bash tests/fuzz/build.sh "$top/build-fuzz" \
		>"$logdir/fuzz-build.log" 2>&1; then
		tail -30 "$logdir/fuzz-build.log"
		loud "fuzz build failed (log: $logdir/fuzz-build.log)"
		record fuzz 0 1 "BUILD FAILED"
		return
	fi
	for name in fuzz_parse fuzz_tcp; do
		FUZZ_SEED=${FUZZ_SEED:-1} \
		bash tests/fuzz/run.sh "$name" "$secs" "$top/build-fuzz" \
			"$logdir" 2>&1 | tee -a "$logdir/fuzz.log"
		rc=${PIPESTATUS[0]}
		if [ "$rc" = 0 ]; then
			p=$((p + 1))
		else
			loud "fuzz $name failed (input and log under build-logs/)"
			f=$((f + 1))
		fi
	done
	record fuzz "$p" "$f"
}
: > "$logdir/fuzz.log"
fuzz_suite

echo
echo "== summary ($(( $(date +%s) - t_start ))s; logs in build-logs/)"
for s in "${summary[@]}"; do
	echo "$s"
done
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" = 0 ]
