#!/bin/sh
# tests/coverage/run.sh - line and branch coverage of lang/ and checker/.
# Builds an instrumented charcheck and the unit tests into build/coverage
# (gcc --coverage, -O0), runs the unit tests, the golden/error/
# conformance/command tests, fmt's property tests, the CI formats and a
# 300-variant mutation run with it, then reports with gcovr:
#   - a per-file table (lines and branches), sorted by line coverage,
#   - totals for lang/, checker/ and both,
#   - build/coverage/html/index.html (with per-file pages),
#   - build/coverage/coverage.txt (gcovr's uncovered-line listing).
# The generated parser and lexer (build/coverage/lang/{parser,lexer}.c,
# whose #line directives point back at lang/parser.y and lang/lexer.l) are
# left out.  Counters start from zero on every run.
#   usage: sh tests/coverage/run.sh          (from the repository root)
# Environment: COVERAGE_MIN=N fails the run when lang/+checker/ lines are
# below N percent (default: report only); MUTATE_VARIANTS (default 6 per
# seed, about 300 in all).  Exit status: 1 if a suite failed or the
# threshold was missed, 2 if the build or gcovr failed.
set -u
cd "$(dirname "$0")/../.." || exit 2
B=build/coverage
export LC_ALL=C

if ! command -v gcovr >/dev/null 2>&1; then
	if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
		echo "coverage: installing gcovr" >&2
		export DEBIAN_FRONTEND=noninteractive
		apt-get install -y gcovr >/dev/null 2>&1 ||
			{ apt-get update >/dev/null 2>&1 &&
			  apt-get install -y gcovr >/dev/null 2>&1; }
	fi
	command -v gcovr >/dev/null 2>&1 || {
		echo "coverage: gcovr not found (Debian package gcovr)" >&2
		exit 2
	}
fi

# Fresh counters: old .gcda files would add earlier runs' counts (and
# stale ones from removed sources would confuse gcov).
[ -d "$B" ] && find "$B" -name '*.gcda' -exec rm -f {} +

# The unit test names as the Makefile makes them, under build/coverage.
units=
for t in tests/unit/test_*.c; do
	[ -f "$t" ] || continue
	n=$(basename "$t" .c)
	units="$units $B/tests/$n"
done

echo "== build ($B)"
# shellcheck disable=SC2086
make --no-print-directory BUILD=$B CFLAGS="-O0 -g --coverage" \
    LDFLAGS=--coverage $B/charcheck $units || exit 2
# tests/run.sh and tests/fmt/run.sh compare JSON with the plain jsoncmp.
make --no-print-directory build/tests/jsoncmp || exit 2

failed=
suite() {
	name=$1; shift
	echo "== $name"
	"$@" || failed="$failed $name"
}

unit() {
	st=0
	for t in $units; do "$t" || st=1; done
	return $st
}
suite unit unit
suite golden sh tests/run.sh $B/charcheck
suite fmt sh tests/fmt/run.sh $B/charcheck
suite formats sh tests/formats/run.sh $B/charcheck
suite mutate sh tests/mutate/run.sh $B/charcheck "${MUTATE_VARIANTS:-6}"

echo "== coverage"
mkdir -p "$B/html"
# gcov runs in $B's object directories; sources are named from the root.
# Only hand-written sources: lang/ and checker/, minus the grammar and
# lexer specifications the generated code's #line directives point at.
gcovr_common="-r . --object-directory $B -j 4
	--filter lang/ --filter checker/
	--exclude build/ --exclude lang/parser\.y --exclude lang/lexer\.l
	--exclude-unreachable-branches"
# shellcheck disable=SC2086
gcovr $gcovr_common --csv "$B/coverage.csv" --txt "$B/coverage.txt" \
    --html-details "$B/html/index.html" \
    --html-title "charcheck coverage" || exit 2

# The table: file, lines, branches; lowest line coverage first.
# gcovr's CSV: filename,line_total,line_covered,line_percent,
# branch_total,branch_covered,branch_percent,...
tab=$(printf '\t')
awk -F, 'NR > 1 && $1 != "" {
	f = $1; sub(/^\.\//, "", f)
	printf "%s\t%d\t%d\t%d\t%d\t%.3f\n", f, $2, $3, $5, $6,
	    $2 ? 100 * $3 / $2 : 100
}' "$B/coverage.csv" | sort -t "$tab" -k6,6n -k1,1 |
awk -F '\t' -v min="${COVERAGE_MIN:-0}" '
function pct(c, t) { return t ? 100 * c / t : 100 }
function row(name, lt, lc, bt, bc) {
	printf "%-28s %6d/%-6d %5.1f%%   %6d/%-6d %5.1f%%\n", name, lc, lt,
	    pct(lc, lt), bc, bt, pct(bc, bt)
}
BEGIN { printf "%-28s %13s %6s   %13s %6s\n", "file", "lines", "", "branches", "" }
{
	row($1, $2, $3, $4, $5)
	d = $1; sub(/\/.*/, "", d)
	lt[d] += $2; lc[d] += $3; bt[d] += $4; bc[d] += $5
	LT += $2; LC += $3; BT += $4; BC += $5
}
END {
	print ""
	row("lang/", lt["lang"], lc["lang"], bt["lang"], bc["lang"])
	row("checker/", lt["checker"], lc["checker"], bt["checker"], bc["checker"])
	row("total", LT, LC, BT, BC)
	if (min > 0 && pct(LC, LT) < min) {
		printf "line coverage %.1f%% is below %s%%\n", pct(LC, LT), min
		exit 1
	}
}' || failed="$failed coverage-min"
echo "html: $B/html/index.html  uncovered lines: $B/coverage.txt"

if [ -n "$failed" ]; then
	echo "failing suites:$failed"
	exit 1
fi
exit 0
