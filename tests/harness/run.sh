#!/bin/sh
# tests/harness/run.sh - the self-test of tests/suite.sh, the counting of
# tests/check.sh: fake suites that print nothing, print no counts, count
# nothing, skip, fail with or without counts, and pass, each checked for
# the totals and the lists of failing and skipped suites it leaves; and
# the runners' own guards against testing less than they say: fmt's
# property test fails on a file fmt rejects, the mutation test on an input
# directory without inputs, the oracle's differential test skips visibly
# without the oracle and fails on a disagreement (fake oracles).
#   usage: sh tests/harness/run.sh CHARCHECK
set -u
cd "$(dirname "$0")/../.." || exit 2
root=$PWD
bin=$1
case $bin in /*) ;; *) bin=$root/$bin ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0

# expect WANT CMD...: one suite() of CMD in a fresh harness leaves
# "PASSED FAILED [failing suites] [skipped suites]" = WANT.
expect() {
	want=$1; shift
	got=$( . tests/suite.sh; suite fake "$@" >/dev/null 2>&1
		echo "$total_pass $total_fail [$failed_suites] [$skipped_suites]" )
	if [ "$got" = "$want" ]; then
		pass=$((pass + 1))
	else
		echo "[FAIL] harness: suite $*: got '$got', want '$want'"
		fail=$((fail + 1))
	fi
}

expect '0 1 [ fake] []' true			# silent, exit 0: tested nothing
expect '0 1 [ fake] []' sh -c 'for f in /nonexistent/*.char; do :; done'
expect '0 1 [ fake] []' echo 'all good'		# output but no counts
expect '0 1 [ fake] []' echo '0 passed, 0 failed'
expect '3 0 [] []' echo '3 passed, 0 failed'
expect '3 0 [] []' printf '1 passed, 9 failed\n3 passed, 0 failed\n'	# the last counts
expect '2 1 [ fake] []' sh -c 'echo "2 passed, 1 failed"; exit 1'
expect '2 1 [ fake] []' echo '2 passed, 1 failed'	# failures but exit 0
expect '2 1 [ fake] []' sh -c 'echo "2 passed, 0 failed"; exit 1'
expect '0 1 [ fake] []' false			# exit 1 without counts
expect '0 0 [] [ fake]' echo 'fake: SKIPPED: no such thing here'
expect '0 1 [ fake] []' sh -c 'echo "fake: SKIPPED: no"; exit 1'
expect '5 0 [] []' printf '[  PASSED  ] 2 test(s).\n[  PASSED  ] 3 test(s).\n'
expect '2 1 [ fake] []' sh -c 'printf "[  PASSED  ] 2 test(s).\n[  FAILED  ] 1 test(s), listed below:\n"; exit 1'

# The summary: a skip alone passes (and says so), a failure does not.
out=$( . tests/suite.sh; suite a echo '1 passed, 0 failed' >/dev/null
	suite b echo 'b: SKIPPED: why' >/dev/null; suite_summary; echo "st $?" )
case $out in
*"skipped suites (not counted as passed): b"*"1 passed, 0 failed"*"st 0")
	pass=$((pass + 1)) ;;
*)	echo "[FAIL] harness: summary with a skip: $out"; fail=$((fail + 1)) ;;
esac
out=$( . tests/suite.sh; suite a true >/dev/null; suite_summary; echo "st $?" )
case $out in
*"failing suites: a"*"0 passed, 1 failed"*"st 1") pass=$((pass + 1)) ;;
*)	echo "[FAIL] harness: summary of a silent suite: $out"
	fail=$((fail + 1)) ;;
esac

# runs WANT-STATUS PATTERN NAME CMD...: CMD exits with WANT-STATUS (0 or
# not 0) and its output has a line matching PATTERN (grep -E).
runs() {
	want=$1 pat=$2 what=$3; shift 3
	"$@" >"$tmp/out" 2>&1
	st=$?
	if { [ "$want" = 0 ] && [ "$st" -eq 0 ]; } ||
	    { [ "$want" != 0 ] && [ "$st" -ne 0 ]; }; then
		if grep -Eq "$pat" "$tmp/out"; then
			pass=$((pass + 1))
			return
		fi
	fi
	echo "[FAIL] harness: $what (exit $st):"
	tail -5 "$tmp/out"
	fail=$((fail + 1))
}

# fmt: a file fmt rejects fails, unless it is listed; a listed one must be
# rejected.
printf 'model "cut short"\nfeature\n' >"$tmp/cut.char"
runs 1 '^\[FAIL\] fmt/.*cut.char: fmt rejects it' \
	"fmt/run.sh passes a file that fmt rejects" \
	sh tests/fmt/run.sh "$bin" "$tmp/cut.char"
echo "$tmp/cut.char" >"$tmp/rejected"
runs 0 '^[1-9][0-9]* passed, 0 failed' \
	"fmt/run.sh fails a file listed as rejected" \
	env FMT_REJECTED="$tmp/rejected" sh tests/fmt/run.sh "$bin" "$tmp/cut.char"
echo "$root/models/seed.char" | sed "s|^$root/||" >"$tmp/rejected"
runs 1 '^\[FAIL\] fmt/models/seed.char: listed in tests/fmt/rejected' \
	"fmt/run.sh passes a file listed as rejected that fmt accepts" \
	env FMT_REJECTED="$tmp/rejected" sh tests/fmt/run.sh "$bin" \
	"$root/models/seed.char"

# mutate: a tree with models but no golden, conformance or error files.
mkdir -p "$tmp/tree/tests/mutate" "$tmp/tree/models"
cp tests/mutate/run.sh tests/mutate/mutate.c "$tmp/tree/tests/mutate/"
cp models/seed.char "$tmp/tree/models/"
runs 1 '^\[FAIL\] mutate: no tests/golden/\*\.char' \
	"mutate/run.sh passes with an empty input directory" \
	env MUTATE_JOBS=1 sh "$tmp/tree/tests/mutate/run.sh" "$bin" 1

# oracle: without ../shared/oracle a visible skip, not a pass; with a fake
# difftest (six runs: four profiles, sets, files), a DISAGREE line, a
# nonzero exit or no closing line fails.
expect '0 0 [] [ fake]' env ORACLE_DIR="$tmp/none" sh tests/oracle/run.sh "$bin"
mkdir -p "$tmp/oracle"
fake_run() {
	ORACLE_DIR=$tmp/oracle ORACLE_OUT=$tmp/oracle-out \
		sh tests/oracle/run.sh "$bin"
}
fake_oracle() {
	printf 'import sys\n%s\n' "$1" >"$tmp/oracle/difftest.py"
}
fake_oracle 'print("difftest: 3 agree, 0 disagree")'
expect '18 0 [] []' fake_run
fake_oracle 'print("DISAGREE x.char: sizes.situations (oracle: 4, impl: 8)")
print("difftest: 2 agree, 1 disagree"); sys.exit(1)'
expect '12 6 [ fake] []' fake_run
fake_oracle 'print("difftest: 3 agree, 0 disagree"); sys.exit(1)'
expect '18 6 [ fake] []' fake_run
fake_oracle 'sys.exit(0)'
expect '0 6 [ fake] []' fake_run

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
