#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Check that every tracked C file under lib/, app/ and tests/ is formatted
# as .clang-format says, and that pyflakes finds nothing in any tracked
# Python file (unused imports and variables, undefined names: what a
# test's dead branch or a command's error path would only show when it
# runs); list what fails, with a short diff of the first few C files,
# and exit 1 (2 when a tool is missing).
#   bash tests/format.sh          check
#   bash tests/format.sh --fix    rewrite the C files in place (pyflakes
#                                 warnings are fixed by hand)
# Needs clang-format 14 (Debian 12's): other versions format differently;
# and Debian's python3-pyflakes.
set -u
cd "$(dirname "$0")/.."

want=14
max_shown=3	# files whose diff is printed
max_lines=40	# lines of each printed diff

fix=false
case "${1:-}" in
--fix) fix=true ;;
"") ;;
*)
	echo "usage: bash tests/format.sh [--fix]" >&2
	exit 2
	;;
esac

cf=${CLANG_FORMAT:-clang-format}
if ! command -v "$cf" >/dev/null 2>&1; then
	echo "format: $cf not found; install clang-format $want" \
		"(Debian 12: apt-get install clang-format, or bash tests/deps.sh)" >&2
	exit 2
fi
ver=$("$cf" --version | sed -n 's/.*clang-format version \([0-9]*\)\..*/\1/p')
if [ "$ver" != "$want" ]; then
	echo "format: $cf is version ${ver:-unknown}, tcpterm's format needs" \
		"clang-format $want (other versions format differently)." \
		"Set CLANG_FORMAT to a clang-format $want binary." >&2
	exit 2
fi

# Tracked sources in a git checkout; elsewhere (an exported tree, a
# machine without git) every C file under lib/, app/ and tests/, where
# no build directory lives.
if command -v git >/dev/null && git rev-parse --git-dir >/dev/null 2>&1; then
	mapfile -t files < <(git ls-files -- 'lib/*.[ch]' 'app/*.[ch]' \
		'tests/*.[ch]')
else
	mapfile -t files < <(find lib app tests -name '*.[ch]' -type f |
		LC_ALL=C sort)
fi
if [ ${#files[@]} -eq 0 ]; then
	echo "format: no C files found under lib/, app/, tests/" >&2
	exit 2
fi

if $fix; then
	"$cf" -i --style=file "${files[@]}" || exit 2
	echo "format: formatted ${#files[@]} files"
	exit 0
fi

# The files whose formatted text differs, found on every core.
jobs=$(nproc 2>/dev/null || echo 2)
mapfile -t bad < <(printf '%s\0' "${files[@]}" |
	xargs -0 -n 8 -P "$jobs" bash -c '
		for f; do
			"$0" --style=file "$f" | cmp -s - "$f" || echo "$f"
		done' "$cf" | LC_ALL=C sort)

shown=0
for f in "${bad[@]}"; do
	[ $shown -lt $max_shown ] || break
	"$cf" --style=file "$f" |
		diff -u --label "$f" --label "$f (formatted)" "$f" - |
		head -n $max_lines
	shown=$((shown + 1))
done

rc=0
if [ ${#bad[@]} -ne 0 ]; then
	echo
	echo "format: ${#bad[@]} of ${#files[@]} files differ from .clang-format:"
	printf '  %s\n' "${bad[@]}"
	echo "format: run 'bash tests/format.sh --fix' (clang-format $want)" \
		"to rewrite them"
	rc=1
else
	echo "format: ${#files[@]} files formatted as .clang-format says"
fi

# Python: the tracked .py files and the scripts whose first line runs
# python (tcpterm-ctl), through Debian's interpreter and pyflakes.
py=${PYTHON:-/usr/bin/python3}
if ! "$py" -m pyflakes --version >/dev/null 2>&1; then
	echo "format: pyflakes not found for $py; install it" \
		"(Debian 12: apt-get install python3-pyflakes, or" \
		"bash tests/deps.sh)" >&2
	exit 2
fi
if command -v git >/dev/null && git rev-parse --git-dir >/dev/null 2>&1; then
	mapfile -t all < <(git ls-files)
else
	mapfile -t all < <(find app tests -type f | LC_ALL=C sort)
fi
pyfiles=()
for f in "${all[@]}"; do
	case $f in
	*.py) pyfiles+=("$f") ;;
	*.*) ;;
	*) head -n 1 "$f" 2>/dev/null | grep -q '^#!.*python' &&
		pyfiles+=("$f") ;;
	esac
done
if ! out=$("$py" -m pyflakes "${pyfiles[@]}" 2>&1); then
	echo
	echo "$out"
	# Files named at the start of a warning (a syntax error adds lines).
	nbad=$(printf '%s\n' "$out" | grep -oE '^[^:]+:[0-9]+:' |
		cut -d: -f1 | sort -u | wc -l)
	echo "format: pyflakes warns in $nbad of ${#pyfiles[@]} Python" \
		"files: fix them by hand"
	rc=1
else
	echo "format: ${#pyfiles[@]} Python files pass pyflakes"
fi
exit $rc
