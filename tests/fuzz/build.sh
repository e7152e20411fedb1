#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Build tcpterm's libFuzzer harnesses with clang, AddressSanitizer and
# UndefinedBehaviorSanitizer:
#   tests/fuzz/build.sh [OUTDIR]        (default build-fuzz/)
# Each harness links the sources of the pure modules it exercises,
# compiled with the same instrumentation (-fsanitize=fuzzer-no-link on the
# libraries, -fsanitize=fuzzer on the harness). This is a plain script
# rather than a meson option because the fuzz build needs clang and its
# own flags for the whole link, while the project builds use gcc.
# Needs Debian's clang and libfuzzer-14-dev (tests/deps.sh). Compiler
# warnings are errors here.
set -eu
cd "$(dirname "$0")/../.."
top=$(pwd)
out=${1:-$top/build-fuzz}
cc=${FUZZ_CC:-clang}
mkdir -p "$out/obj"

san="-fsanitize=address,undefined -fno-sanitize-recover=all"
cflags="-std=gnu11 -D_GNU_SOURCE -g -O1 -fno-omit-frame-pointer \
	-Wall -Wextra -Wshadow -Wmissing-prototypes -Wstrict-prototypes \
	-Werror $san"
incs="-I$top/lib/mem -I$top/lib/net -I$top/lib/timer -I$top/lib/table -I$top/lib/tcp \
	-I$top/lib/app -I$top/lib/config"

# Every source of the pure modules, as their meson.build files list them.
net_src=$(ls lib/net/*.c)
tcp_src=$(ls lib/timer/*.c lib/table/*.c lib/tcp/*.c lib/app/*.c)

# Compile one library source into $out/obj (again when it or a header changed).
obj() {
	local src=$1 o
	o=$out/obj/$(echo "$src" | tr / _).o
	if [ ! -f "$o" ] || [ "$top/$src" -nt "$o" ] ||
		[ "$0" -nt "$o" ] ||
		[ -n "$(find "$top/lib" -name '*.h' -newer "$o" | head -1)" ]
	then
		# shellcheck disable=SC2086
		$cc $cflags -fsanitize=fuzzer-no-link $incs -c "$top/$src" \
			-o "$o" >&2
	fi
	echo "$o"
}

# Link one harness: harness NAME SOURCES...
harness() {
	local name=$1 objs=() s
	shift
	for s in "$@"; do
		objs+=("$(obj "$s")")
	done
	# shellcheck disable=SC2086
	$cc $cflags -fsanitize=fuzzer $incs "$top/tests/fuzz/$name.c" \
		"${objs[@]}" -o "$out/$name"
	echo "built $out/$name"
}

# shellcheck disable=SC2086
harness fuzz_parse $net_src
# shellcheck disable=SC2086
harness fuzz_tcp $net_src $tcp_src
