#!/bin/sh
# tests/hostile/run.sh - issue 17's corners, each a shrunk repro that once
# lost a file, died by a signal, printed malformed output or ran for
# minutes: --timeout in stages that did not poll, GMP out of memory,
# fmt -w on links, modes, owners, FIFOs, read-only files, full disks and
# long names, machine output from hostile bytes, and slow paths.
# Slow paths are asserted as bounded work (a generous `timeout`, or a
# count of write(2) calls), never as a time that could flake.
# Usage: tests/hostile/run.sh CHARCHECK [PLAIN_CHARCHECK]
# (the plain binary runs what ASan cannot: `ulimit -v`).
set -u
export LC_ALL=C NO_COLOR=1 ASAN_OPTIONS=detect_leaks=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
root=$(cd "$(dirname "$0")/../.." && pwd)
here=$root/tests/hostile
bin=$1 plain=${2:-}
case $bin in /*) ;; *) bin=$root/$bin ;; esac
case $plain in /*|'') ;; *) plain=$root/$plain ;; esac
jsoncheck=$root/build/tests/jsoncheck
tmp=$(mktemp -d)
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
pass=0 fail=0 skip=0

ok() { pass=$((pass + 1)); [ -n "${VERBOSE:-}" ] && echo "[PASS] $1"; :; }
bad() { fail=$((fail + 1)); echo "[FAIL] $1"; }
skipped() { skip=$((skip + 1)); echo "[SKIP] $1"; }
# expect NAME STATUS WANTED GOT: one assertion on an exit status.
expect() {
	if [ "$3" = "$4" ]; then ok "$1"; else bad "$1: $2 $4, expected $3"; fi
}
# same NAME FILE TEXT: FILE holds exactly TEXT (one line).
same() {
	if [ "$(cat "$2")" = "$3" ]; then ok "$1"; else
		bad "$1: got:"; head -5 "$2"; echo "expected: $3"; fi
}
# json NAME FILE: FILE is one valid UTF-8 JSON document.
json() {
	if "$jsoncheck" "$2"; then ok "$1 (valid JSON)"; else
		bad "$1: not valid UTF-8 JSON"; fi
}

for t in "$here"/t_*.sh; do
	[ -n "${TIMES:-}" ] && s0=$(date +%s)
	. "$t"
	[ -n "${TIMES:-}" ] && echo "$(basename "$t"): $(($(date +%s) - s0)) s"
done

echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
