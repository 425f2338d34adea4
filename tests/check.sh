#!/bin/sh
# tests/check.sh - the whole suite, as `make check` runs it: the cmocka
# unit tests (plain and ASan+UBSan builds), the golden/error/conformance/
# model/command tests, the commands the docs show, fmt's property tests
# and the CI formats (with both binaries where it matters), the editor
# grammars, the mutation test and a minute of fuzzing.
# Each suite prints its own results; the last line is the grand total.
set -u
cd "$(dirname "$0")/.."
total_pass=0 total_fail=0 failed_suites=""

# suite NAME CMD...: run it, tee its output, add its closing counts.
suite() {
	name=$1; shift
	echo "== $name"
	out=$(mktemp)
	"$@" >"$out" 2>&1
	st=$?
	cat "$out"
	p=$(sed -n 's/^\([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed.*$/\1/p' "$out" | tail -1)
	f=$(sed -n 's/^\([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed.*$/\2/p' "$out" | tail -1)
	if [ -z "$p" ]; then	# cmocka: "[  PASSED  ] N test(s)."
		p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$out" |
			awk '{s += $1} END {print s + 0}')
		f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$out" |
			awk '{s += $1} END {print s + 0}')
	fi
	[ "$st" -ne 0 ] && [ "${f:-0}" -eq 0 ] && f=1
	# A suite without counts (the fuzzer) is one test.
	[ "$st" -eq 0 ] && [ "${p:-0}" -eq 0 ] && [ "${f:-0}" -eq 0 ] && p=1
	total_pass=$((total_pass + ${p:-0}))
	total_fail=$((total_fail + ${f:-0}))
	[ "$st" -ne 0 ] && failed_suites="$failed_suites $name"
	rm -f "$out"
}

suite unit make --no-print-directory unit
suite unit-asan make --no-print-directory BUILD=build/asan \
	SANITIZE=address,undefined CFLAGS="-O1 -g" unit
if [ "${VALGRIND:-0}" = 1 ]; then
	# valgrind and ASan do not mix: the plain binary under memcheck.
	suite golden-valgrind sh tests/run.sh ./charcheck
fi
suite golden sh tests/run.sh ./charcheck build/asan/charcheck
# Every "$ charcheck ..." shown in README.md and docs/ against its output.
suite docs sh tests/docs/run.sh ./charcheck
suite fmt sh tests/fmt/run.sh build/asan/charcheck
# Issue 17's hostile corpus: signals, lost files, malformed output.
suite hostile sh tests/hostile/run.sh build/asan/charcheck ./charcheck
suite formats sh tests/formats/run.sh build/asan/charcheck
suite editors sh editors/test.sh
# 2,000 mutated models (40 per seed) under ASan+UBSan.
suite mutate sh tests/mutate/run.sh build/asan/charcheck 40

# libFuzzer over the whole pipeline for a minute (fuzz/fuzz.mk).
suite fuzz-smoke make --no-print-directory fuzz-smoke

echo
[ -n "$failed_suites" ] && echo "failing suites:$failed_suites"
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ] && [ -z "$failed_suites" ]
