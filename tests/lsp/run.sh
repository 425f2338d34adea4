#!/bin/sh
# tests/lsp/run.sh - the language server's protocol tests: every script in
# tests/lsp/*.lsp (exact messages, see driver.py) and six seeds of the
# random client (random.py: properties) against each binary given, then with the first binary the diagnostics latency on every model
# in models/ and examples/ (latency.py: at most 50 ms).  Neovim is the
# suite lsp-nvim (nvim.sh).  Closing line "N passed, M failed"
# (tests/suite.sh counts it).
# Usage: sh tests/lsp/run.sh ./charcheck build/asan/charcheck
set -u
cd "$(dirname "$0")/../.."
export LC_ALL=C ASAN_OPTIONS=detect_leaks=1
if ! command -v python3 >/dev/null 2>&1; then
	echo "lsp: SKIPPED: python3 is not installed (tools/deps.sh has it)"
	exit 0
fi
out=$(mktemp)
trap 'rm -f "$out"' EXIT HUP INT TERM
pass=0 fail=0
count() {
	"$@" >"$out" 2>&1
	st=$?
	grep -v '^[0-9]* passed, [0-9]* failed$' "$out"
	p=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$out")
	f=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$out")
	[ "$st" -ne 0 ] && [ "${f:-0}" -eq 0 ] && f=1
	pass=$((pass + ${p:-0})) fail=$((fail + ${f:-1}))
}
for bin in "$@"; do
	count python3 tests/lsp/driver.py "$bin" tests/lsp/*.lsp
	count python3 tests/lsp/random.py "$bin" 1 2 3 4 5 6
done
count python3 tests/lsp/latency.py "$1" models/*.char examples/*.char
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
