# tests/suite.sh - sourced by tests/check.sh (and by its self-test,
# tests/harness/run.sh): suite() runs one suite and adds up its counts,
# suite_summary prints the grand total and fails when anything failed.
#
# A suite reports what it ran in a closing "N passed, M failed" line (or
# cmocka's "[  PASSED  ] N test(s)." lines).  A suite that exits 0 without
# counts, or with "0 passed, 0 failed", FAILS: it tested nothing (a glob that
# matched nothing looks just like that).  A suite that cannot run here says
# so in a line "WHAT: SKIPPED: why" and exits 0 without counts: it is listed
# as skipped in the summary, and counts neither as passed nor as failed.

total_pass=0 total_fail=0 failed_suites="" skipped_suites=""

# suite NAME CMD...: run it, show its output, add its closing counts.
suite() {
	name=$1; shift
	echo "== $name"
	out=$(mktemp)
	"$@" >"$out" 2>&1
	st=$?
	cat "$out"
	p=$(sed -n 's/^\([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed.*$/\1/p' "$out" | tail -1)
	f=$(sed -n 's/^\([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed.*$/\2/p' "$out" | tail -1)
	counted=1
	if [ -z "$p" ]; then
		if grep -Eq '^\[  (PASSED|FAILED)  \] [0-9]+ test' "$out"; then
			p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$out" |
				awk '{s += $1} END {print s + 0}')
			f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$out" |
				awk '{s += $1} END {print s + 0}')
		else
			counted=0 p=0 f=0
		fi
	fi
	why=""
	if [ "$st" -eq 0 ] && [ "$counted" -eq 0 ] &&
	    grep -Eq '^[A-Za-z0-9_./-]+: SKIPPED: ' "$out"; then
		skipped_suites="$skipped_suites $name"
		echo "$name: skipped (not counted as passed)"
		rm -f "$out"
		return 0
	fi
	if [ "$st" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1 why="exit status $st"
	elif [ "$counted" -eq 0 ]; then
		f=1 why="no closing 'N passed, M failed' line: it tested nothing we know of"
	elif [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
		f=1 why="0 passed, 0 failed: it tested nothing"
	fi
	[ -n "$why" ] && echo "$name: FAILED: $why"
	total_pass=$((total_pass + p))
	total_fail=$((total_fail + f))
	if [ "$st" -ne 0 ] || [ "$f" -gt 0 ]; then
		failed_suites="$failed_suites $name"
	fi
	rm -f "$out"
	return 0
}

# suite_summary: the grand total (the last line); status 1 if anything failed.
suite_summary() {
	echo
	[ -n "$failed_suites" ] && echo "failing suites:$failed_suites"
	[ -n "$skipped_suites" ] &&
		echo "skipped suites (not counted as passed):$skipped_suites"
	echo "$total_pass passed, $total_fail failed"
	[ "$total_fail" -eq 0 ] && [ -z "$failed_suites" ]
}
