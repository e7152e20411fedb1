#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# tcpterm benchmarks, as root:
#   tests/bench/run.sh [NAME...]
# With no NAME, runs every benchmark known. Each benchmark NAME lives in
# tests/bench/bench_NAME.sh, which defines the shell function bench_NAME:
# it builds what it needs (bench_build), runs on hugepages when there are
# enough free (bench_eal_args), prints a human table and, as its last line,
# one line of JSON {"bench":"NAME",...}, also saved under
# results/bench/NAME-<date>.json (bench_finish).
# Environment: BENCH_BUILD (build directory, default build/),
# TIMER_BENCH_ARGS (extra arguments of timer_bench, e.g. "--sizes 1000000").
set -u
cd "$(dirname "$0")/../.."
top=$(pwd)
build=${BENCH_BUILD:-$top/build}
resdir=$top/results/bench
stamp=$(date +%Y%m%d-%H%M%S)

# Build one ninja target, configuring the build directory if absent.
bench_build() {
	if [ ! -f "$build/build.ninja" ]; then
		meson setup "$build" >&2 || return 1
	fi
	ninja -C "$build" "$1" >&2
}

# Free hugepage memory in MiB (0 when none or hugetlbfs is not mounted).
bench_huge_free_mb() {
	local free size
	grep -qs hugetlbfs /proc/mounts || { echo 0; return; }
	free=$(awk '/^HugePages_Free:/ {print $2}' /proc/meminfo)
	size=$(awk '/^Hugepagesize:/ {print $2}' /proc/meminfo)
	echo $(( ${free:-0} * ${size:-0} / 1024 ))
}

# EAL arguments for a one-lcore benchmark needing MB MiB of EAL memory.
# Uses hugepages when enough are free, else --no-huge (and says so).
bench_eal_args() {	# name mb
	local mem="-m $2"
	if [ "$(bench_huge_free_mb)" -lt "$2" ]; then
		mem="--no-huge -m $2"
		echo "note: fewer than $2 MiB of free hugepages: running" \
			"with --no-huge" >&2
	fi
	echo "-l 0 --no-pci --file-prefix tcpterm-bench-$1-$$" \
		"--log-level=1 $mem"
}

# Print a benchmark's log, save its last line (the JSON) and print it last.
bench_finish() {	# name log rc
	local json
	json=$(tail -n 1 "$2")
	head -n -1 "$2"
	case $json in
	"{\"bench\":\"$1\""*)
		mkdir -p "$resdir"
		echo "$json" > "$resdir/$1-$stamp.json"
		echo "saved results/bench/$1-$stamp.json"
		echo "$json"
		return "$3"
		;;
	esac
	echo "$1: no JSON result line (exit status $3)" >&2
	return 1
}

known=()
for f in "$top"/tests/bench/bench_*.sh; do
	[ -f "$f" ] || continue
	# shellcheck source=/dev/null
	. "$f"
	n=${f##*/bench_}
	known+=("${n%.sh}")
done

if [ "$(id -u)" != 0 ]; then
	echo "tests/bench/run.sh must run as root (DPDK EAL)" >&2
	exit 1
fi
[ $# -gt 0 ] || set -- "${known[@]}"
# EAL leaves its runtime directory behind: remove this run's on exit.
trap 'rm -rf /var/run/dpdk/tcpterm-bench-*-$$' EXIT
status=0
for name in "$@"; do
	if ! declare -F "bench_$name" >/dev/null; then
		echo "unknown benchmark '$name' (known: ${known[*]})" >&2
		status=1
		continue
	fi
	echo "== bench $name"
	"bench_$name" || status=1
done
exit $status
