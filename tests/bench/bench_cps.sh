# SPDX-License-Identifier: BSD-3-Clause
# Connections per second (sourced by tests/bench/run.sh): tcpterm beside
# the Linux kernel and the platform limit, in one run. The work is done by
# tests/bench/cps_bench.py; this builds what it needs and prepares the
# machine (hugepages, gnuplot for the plots).
# Environment: CPS_ARGS, extra arguments of cps_bench.py, e.g.
#   CPS_ARGS="--seconds 20 --msl-ms 30000 --tw-seconds 70" for a long run.

# Two processes of 256 MiB each, with room for others: 2 GiB of 2 MiB pages.
cps_hugepages() {
	local have
	have=$(cat /proc/sys/vm/nr_hugepages 2>/dev/null || echo 0)
	if [ "$have" -lt 1024 ]; then
		echo 1024 > /proc/sys/vm/nr_hugepages 2>/dev/null || true
	fi
	if ! grep -qs hugetlbfs /proc/mounts; then
		mkdir -p /dev/hugepages
		mount -t hugetlbfs nodev /dev/hugepages 2>/dev/null || true
	fi
}

bench_cps() {
	local log rc huge="" cc=${CC:-cc} f
	bench_build app/tcpterm/tcpterm || return 1
	bench_build app/tcpterm-gen/tcpterm-gen || return 1
	mkdir -p "$build/tests/bench"
	for f in epoll_server cps_client; do
		$cc -O2 -Wall -Wextra -o "$build/tests/bench/$f" \
			"$top/tests/bench/$f.c" >&2 || return 1
	done
	if ! command -v gnuplot >/dev/null; then
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
			gnuplot-nox >/dev/null 2>&1 ||
			echo "note: gnuplot-nox not installed: no plots" >&2
	fi
	cps_hugepages
	if [ "$(bench_huge_free_mb)" -lt 768 ]; then
		huge=--no-huge
		echo "note: fewer than 768 MiB of free hugepages: running with" \
			"--no-huge (memif is ~2.8x slower so)" >&2
	fi
	log=$(mktemp /tmp/tcpterm-bench-cps.XXXXXX)
	# shellcheck disable=SC2086
	/usr/bin/python3 "$top/tests/bench/cps_bench.py" --build "$build" \
		--resdir "$resdir" --stamp "$stamp" $huge ${CPS_ARGS:-} \
		> "$log" 2>&1
	rc=$?
	bench_finish cps "$log" "$rc"
	rc=$?
	rm -f "$log"
	return $rc
}
