#!/bin/sh
# tests/formats/run.sh - the CI output formats (--format junit, github,
# sarif), run from the repository root with each charcheck binary given.
#   tests/formats/NAME.FORMAT  the exact stdout (golden; UPDATE=1 rewrites)
# Each run must also exit as the text format does, print the same stderr,
# trip no sanitizer, and (when xmllint / python3 or node are installed)
# give well-formed XML valid against tests/formats/junit.xsd and SARIF
# that parses as JSON with the SARIF 2.1.0 skeleton.
set -u
export LC_ALL=C ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 NO_COLOR=1
[ $# -ge 1 ] || { echo "usage: $0 CHARCHECK..." >&2; exit 2; }
root=$(cd "$(dirname "$0")/../.." && pwd)
dir=$root/tests/formats
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0

# The inputs: NAME, then the arguments both formats get (files relative
# to the repository root, and any options).
cases="checks_kinds:tests/golden/checks_kinds.char
audits:tests/golden/audits.char
seed:models/seed.char
never_fires:tests/golden/never_fires.char
missing_arrow:tests/errors/spec-3-missing-arrow-1.char
model_twice:tests/errors/spec-3-model-twice-1.char
two_files:models/seed.char tests/errors/spec-3-missing-arrow-1.char
limit:--max-situations 2 models/seed.char"

ok() { pass=$((pass + 1)); echo "[PASS] $1"; }
bad() {
	fail=$((fail + 1)); echo "[FAIL] $1: $2"
	[ -s "$tmp/diff" ] && head -40 "$tmp/diff"; rm -f "$tmp/diff"
}

if command -v xmllint >/dev/null 2>&1; then
	xml=yes
else
	xml=; echo "note: xmllint not found (Debian libxml2-utils):" \
	    "JUnit XML is not validated"
fi
if command -v python3 >/dev/null 2>&1; then
	json=python3
elif command -v node >/dev/null 2>&1; then
	json=node
else
	json=; echo "note: neither python3 nor node found: SARIF is not parsed"
fi

# The schema must have teeth: a testcase without a name is rejected.
if [ -n "$xml" ]; then
	printf '<testsuites><testsuite name="x" tests="1"><testcase/>%s\n' \
	    '</testsuite></testsuites>' >"$tmp/bad.xml"
	if xmllint --noout --schema "$dir/junit.xsd" "$tmp/bad.xml" \
	    >/dev/null 2>&1; then
		bad "junit.xsd" "accepts a testcase without a name"
	else ok "junit.xsd rejects a testcase without a name"; fi
fi

# sarif_ok FILE: parses, and has the 2.1.0 skeleton with matching rules.
sarif_ok() {
	case $json in
	python3) python3 -c '
import json, sys
log = json.load(open(sys.argv[1], encoding="utf-8"))
assert log["version"] == "2.1.0" and len(log["runs"]) == 1
run = log["runs"][0]
rules = run["tool"]["driver"]["rules"]
assert run["tool"]["driver"]["name"] == "charcheck"
for r in run["results"]:
    assert rules[r["ruleIndex"]]["id"] == r["ruleId"]
    assert r["level"] in ("error", "warning", "note") and r["message"]["text"]
    loc = r["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"]
    assert loc.get("region", {"startLine": 1})["startLine"] >= 1
' "$1" ;;
	node) node -e 'JSON.parse(require("fs").readFileSync(process.argv[1],
	    "utf8"))' "$1" ;;
	*) return 0 ;;
	esac
}

# check TAG BIN NAME FORMAT FILES... : one format on one input
check() {
	tag=$1 bin=$2 name=$3 fmt=$4; shift 4
	(cd "$root" && "$bin" "$@" >"$tmp/text.out" 2>"$tmp/text.err")
	want=$?
	(cd "$root" && "$bin" --format "$fmt" "$@" >"$tmp/out" 2>"$tmp/err")
	st=$?
	golden=$dir/$name.$fmt
	if [ -n "${UPDATE:-}" ]; then
		cp "$tmp/out" "$golden"
	fi
	if grep -q -E 'AddressSanitizer|LeakSanitizer|runtime error:' \
	    "$tmp/err"; then
		head -20 "$tmp/err" >"$tmp/diff"
		bad "$tag $fmt/$name" "sanitizer report"; return
	fi
	if [ "$st" != "$want" ]; then
		bad "$tag $fmt/$name" "exit $st, the text format exits $want"
		return
	fi
	if ! diff -u "$tmp/text.err" "$tmp/err" >"$tmp/diff"; then
		bad "$tag $fmt/$name" "stderr differs from the text format's"
		return
	fi
	if [ ! -f "$golden" ]; then
		bad "$tag $fmt/$name" "missing $golden (UPDATE=1 makes it)"
		return
	fi
	if ! diff -u "$golden" "$tmp/out" >"$tmp/diff"; then
		bad "$tag $fmt/$name" "stdout differs from $name.$fmt"; return
	fi
	if [ "$fmt" = junit ] && [ -n "$xml" ] && ! xmllint --noout \
	    --schema "$dir/junit.xsd" "$tmp/out" >"$tmp/diff" 2>&1; then
		bad "$tag $fmt/$name" "not valid against junit.xsd"; return
	fi
	if [ "$fmt" = sarif ] && ! sarif_ok "$tmp/out" >"$tmp/diff" 2>&1; then
		bad "$tag $fmt/$name" "not a SARIF 2.1.0 log"; return
	fi
	ok "$tag $fmt/$name"
}

for bin in "$@"; do
	case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
	tag=$(basename "$(dirname "$bin")")
	[ "$tag" = main ] || [ "$tag" = . ] && tag=charcheck
	while IFS=: read -r name files; do
		for fmt in junit github sarif; do
			# shellcheck disable=SC2086
			check "$tag" "$bin" "$name" "$fmt" $files
		done
	done <<EOF
$cases
EOF
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
