#!/bin/sh
# tests/fmt/run.sh - property tests of 'charcheck fmt' over every model and
# test file that parses:
#   idempotent:          fmt(fmt(f)) == fmt(f)
#   meaning-preserving:  the JSON report of fmt(f) equals f's, but for
#                        file names, lines and columns (jsoncmp -s), and the
#                        exit status is the same
#   --check agrees:      fmt --check accepts fmt(f)
# A file that fmt rejects fails, unless tests/fmt/rejected lists it as a
# deliberately invalid input (then fmt must reject it, with a diagnostic).
# Usage: tests/fmt/run.sh CHARCHECK [FILE...]  (FILEs: instead of the models
# and test files; the self-test in tests/harness/run.sh uses it)
set -u
export LC_ALL=C NO_COLOR=1 ASAN_OPTIONS=detect_leaks=1
root=$(cd "$(dirname "$0")/../.." && pwd)
bin=$1
shift
case $bin in /*) ;; *) bin=$root/$bin ;; esac
jsoncmp=$root/build/tests/jsoncmp
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0

rejected=${FMT_REJECTED:-$root/tests/fmt/rejected}
[ $# -gt 0 ] || set -- "$root"/models/*.char "$root"/examples/*.char \
    "$root"/tests/golden/*.char "$root"/tests/conformance/*.char \
    "$root"/tests/errors/*.char "$root"/tests/fmt/*.char \
    "$root"/tests/conformance/v1.1/*.char
for f in "$@"; do
	n=${f#"$root"/}
	"$bin" fmt "$f" >"$tmp/a.char" 2>"$tmp/err"
	st=$?
	if grep -v '^#' "$rejected" | grep -qxF "$n"; then
		if [ "$st" -ne 2 ] && [ "$st" -ne 3 ] || [ ! -s "$tmp/err" ]; then
			echo "[FAIL] fmt/$n: listed in tests/fmt/rejected, but" \
				"fmt does not reject it (exit $st)"
			fail=$((fail + 1))
		else
			pass=$((pass + 1))
		fi
		continue
	fi
	if [ "$st" -ne 0 ]; then
		echo "[FAIL] fmt/$n: fmt rejects it (exit $st; not listed in" \
			"tests/fmt/rejected): $(head -1 "$tmp/err")"
		fail=$((fail + 1))
		continue
	fi
	if ! "$bin" fmt "$tmp/a.char" >"$tmp/b.char" 2>"$tmp/err" ||
	    ! cmp -s "$tmp/a.char" "$tmp/b.char"; then
		echo "[FAIL] fmt/$n: not idempotent"
		diff -u "$tmp/a.char" "$tmp/b.char" | head -20
		fail=$((fail + 1))
		continue
	fi
	if ! "$bin" fmt --check "$tmp/a.char" >/dev/null 2>&1; then
		echo "[FAIL] fmt/$n: --check rejects the formatted file"
		fail=$((fail + 1))
		continue
	fi
	"$bin" --format json "$f" >"$tmp/ja.json" 2>/dev/null
	sa=$?
	"$bin" --format json "$tmp/a.char" >"$tmp/jb.json" 2>/dev/null
	sb=$?
	if [ "$sa" != "$sb" ] || ! "$jsoncmp" -s "$tmp/ja.json" "$tmp/jb.json" \
	    >/dev/null; then
		echo "[FAIL] fmt/$n: the formatted model means something else" \
			"(exit $sa -> $sb)"
		fail=$((fail + 1))
		continue
	fi
	pass=$((pass + 1))
	[ -n "${VERBOSE:-}" ] && echo "[PASS] fmt/$n"
done
# Comments survive: every comment of the seed model is in its format.
"$bin" fmt "$root/models/seed.char" >"$tmp/seed.char"
if grep -q 'the model perceives these; phase is hidden' "$tmp/seed.char" &&
    grep -q 'FAILS ON PURPOSE' "$tmp/seed.char"; then
	pass=$((pass + 1))
else
	echo "[FAIL] fmt: comments of models/seed.char were lost"
	fail=$((fail + 1))
fi
# -w rewrites in place, and only the named file.
cp "$root/tests/golden/expr_forms.char" "$tmp/w.char"
"$bin" fmt -w "$tmp/w.char" && "$bin" fmt "$tmp/w.char" | cmp -s - "$tmp/w.char"
if [ $? -eq 0 ] && ! cmp -s "$tmp/w.char" "$root/tests/golden/expr_forms.char"
then pass=$((pass + 1))
else echo "[FAIL] fmt -w"; fail=$((fail + 1)); fi
# The model library and the tutorial are kept in canonical layout.
if "$bin" fmt --check "$root"/models/*.char "$root"/examples/*.char \
    >"$tmp/out" 2>&1; then
	pass=$((pass + 1))
else
	echo "[FAIL] fmt: not in canonical layout (run charcheck fmt -w):"
	cat "$tmp/out"
	fail=$((fail + 1))
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
