# SPDX-License-Identifier: BSD-3-Clause
# Flow table hash (sourced by tests/bench/run.sh): ns per hash and per
# lookup (hits, misses, bursts of 32 with prefetch) in a 1 M-entry table
# at load 0.75 for the keyed SipHash-1-3 of flowtab_hash() against the
# unkeyed hashes used before and a keyed multiply-shift; plus the mean and
# largest displacement for random and for sequential-port tuples; and a
# row for IPv6 tuples in the same table (flowtab_key6()). Pure C,
# no EAL, a few seconds. Environment: FLOWTAB_BENCH_ARGS (e.g.
# "--entries 4000000").

bench_flowtab() {
	local log rc
	bench_build tests/bench/flowtab_bench || return 1
	log=$(mktemp /tmp/tcpterm-bench-flowtab.XXXXXX)
	# shellcheck disable=SC2086
	"$build/tests/bench/flowtab_bench" ${FLOWTAB_BENCH_ARGS:-} > "$log"
	rc=$?
	bench_finish flowtab "$log" "$rc"
	rc=$?
	rm -f "$log"
	return $rc
}
