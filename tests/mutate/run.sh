#!/bin/sh
# tests/mutate/run.sh - the mutation test: run charcheck on mutants of every
# model (tests/mutate/mutate.c) and, unmutated, on tests/errors/*.char and
# (once it exists) tests/regress/*.char, and check that
# it never crashes, hangs, trips a sanitizer or breaks SPEC 5's contract
# (exit 0-3; 2/3: empty stdout and a located diagnostic; 0/1: a report and
# no error).
#   usage: sh tests/mutate/run.sh CHARCHECK [VARIANTS_PER_SEED]
# Default variants per seed: about 3000 in all.  MUTATE_JOBS (default: the
# number of CPUs) runs in parallel; MUTATE_SEED changes the mutants.
# Failing inputs are copied to build/mutate/failures/.
set -u
export LC_ALL=C NO_COLOR=1 \
	ASAN_OPTIONS=detect_leaks=1:exitcode=99 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=99

# run.sh --run BIN FILE...: run the checker on each input from its
# directory (diagnostics name it by its base name), keeping stdout and
# stderr beside it; print "FILE<TAB>STATUS".  Only two processes per input
# (timeout and the checker): forks are what this test spends its time on.
if [ "${1:-}" = "--run" ]; then
	bin=$2
	shift 2
	for f in "$@"; do
		cd "${f%/*}" || exit 2
		timeout 10 "$bin" "${f##*/}" >"$f.stdout" 2>"$f.stderr" \
			</dev/null
		printf '%s\t%s\n' "$f" "$?"
	done
	exit 0
fi

# Judges every "FILE<TAB>STATUS" line of stdin against the contract;
# prints "PASS FILE" or "FAIL FILE<TAB>REASON".
judge() {
	awk -F '\t' '
	function first(s) { return substr(s, 1, 120) }
	{
		f = $1; st = $2 + 0; base = f; sub(/.*\//, "", base)
		nb = length(base) + 1
		san = ""; err = ""; located = 0
		while ((getline line < (f ".stderr")) > 0) {
			if (san == "" && line ~ /AddressSanitizer|LeakSanitizer|runtime error/)
				san = line
			if (err == "" && line ~ /error:/)
				err = line
			if (substr(line, 1, nb) == base ":") {
				rest = substr(line, nb + 1)
				if (rest ~ /^[0-9]+:[0-9]+: error: / ||
				    rest ~ /^ error: /)
					located = 1
			}
		}
		close(f ".stderr")
		report = (getline line < (f ".stdout")) > 0
		close(f ".stdout")
		why = ""
		if (st == 124)
			why = "timeout: still running after 10 s"
		else if (st > 128)
			why = "killed by signal " (st - 128)
		else if (san != "")
			why = "sanitizer: " first(san)
		else if (st > 3)
			why = "exit status " st " (not 0-3)"
		else if (st >= 2 && report)
			why = "exit " st " but stdout is not empty"
		else if (st >= 2 && !located)
			why = "exit " st " without a located diagnostic (" \
			    first(err) ")"
		else if (st < 2 && !report)
			why = "exit " st " but no report on stdout"
		else if (st < 2 && err != "")
			why = "exit " st " but stderr has an error: " first(err)
		if (why == "")
			print "PASS " f
		else
			print "FAIL " f "\t" why
	}'
}

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
	echo "usage: sh tests/mutate/run.sh CHARCHECK [VARIANTS_PER_SEED]" >&2
	exit 2
fi
root=$(cd "$(dirname "$0")/../.." && pwd)
[ -x "$1" ] || { echo "mutate: $1 is not an executable" >&2; exit 2; }
case $1 in /*) src=$1 ;; *) src=$PWD/$1 ;; esac
out=$root/build/mutate
jobs=${MUTATE_JOBS:-$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)}
start=$(date +%s)

cd "$root" || exit 2
mkdir -p "$out/failures"
# Everything of this run in its own directory, so that runs can overlap
# (make check -j, two developers); MUTATE_KEEP=1 keeps it.
work=$(mktemp -d "$out/run.XXXXXX") || exit 2
[ -n "${MUTATE_KEEP:-}" ] || trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM
${CC:-cc} -std=c11 -D_POSIX_C_SOURCE=200809L -O2 -o "$work/mutate" \
	tests/mutate/mutate.c || exit 2
# A private copy: a concurrent `make` may rewrite the binary mid-run.
bin=$work/$(basename "$1")-under-test
cp "$src" "$bin" || exit 2

# Every input directory must give inputs: a glob that matches nothing would
# shrink the test silently.
missing=""
for g in models tests/golden tests/conformance tests/errors; do
	ls "$g"/*.char >/dev/null 2>&1 || missing="$missing $g"
done
# tests/regress (fuzz/README.md) once it exists: then not empty either.
verbatim_dirs=tests/errors
if [ -d tests/regress ]; then
	verbatim_dirs="$verbatim_dirs tests/regress"
	ls tests/regress/*.char >/dev/null 2>&1 ||
		missing="$missing tests/regress"
fi
seeds=$(ls models/*.char tests/golden/*.char tests/conformance/*.char 2>/dev/null)
nseeds=$(echo "$seeds" | wc -l)
per=${2:-$(( (3000 + nseeds - 1) / nseeds ))}

# Mutants: $work/<seed path with / as ->/NNNN.char, and a
# 'list' of what each one is.
for s in $seeds; do
	d=$work/$(echo "$s" | sed 's|/|-|g; s|\.char$||')
	mkdir -p "$d"
	"$work/mutate" -n "$per" -s "${MUTATE_SEED:-1}" -o "$d" "$s" \
		>"$d/list" || exit 2
done
# The invalid inputs and the regression inputs, unmutated.
nverbatim=0
for v in $verbatim_dirs; do
	d=$work/$(echo "$v" | sed 's|/|-|g')
	mkdir -p "$d"
	for f in "$v"/*.char; do
		[ -f "$f" ] || continue
		cp "$f" "$d/"
		echo "$(basename "$f" .char) verbatim" >>"$d/list"
		nverbatim=$((nverbatim + 1))
	done
done

find "$work" -name '*.char' | sort |
	xargs -n 32 -P "$jobs" sh "$root/tests/mutate/run.sh" --run "$bin" |
	judge >"$work/results"

pass=$(grep -c '^PASS ' "$work/results")
fail=0
while IFS='	' read -r what why; do
	[ -n "$what" ] || continue
	f=${what#FAIL }
	d=$(dirname "$f")
	seed=$(basename "$d")
	n=$(basename "$f" .char)
	desc=$(grep -m1 "^$n " "$d/list" | cut -d' ' -f2-)
	cp "$f" "$out/failures/$seed-$n.char"
	cp "$f.stderr" "$out/failures/$seed-$n.stderr" 2>/dev/null
	echo "[FAIL] $seed/variant $n ($desc): $why"
	fail=$((fail + 1))
done <<EOF
$(grep '^FAIL ' "$work/results")
EOF
for g in $missing; do
	echo "[FAIL] mutate: no $g/*.char: an input directory gave nothing"
	fail=$((fail + 1))
done
[ "$fail" -gt 0 ] && echo "failing inputs: build/mutate/failures/"
echo "mutation test: $nseeds seeds x $per variants and $nverbatim inputs" \
	"verbatim ($verbatim_dirs) with $1 in $(( $(date +%s) - start )) s"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
