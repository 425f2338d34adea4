#!/bin/sh
# tests/docs/run.sh - the docs cannot drift from the program: every
# command shown as "$ charcheck ..." (or "$ ./charcheck ...") in a code
# block of README.md, docs/*.md, examples/README.md and models/README.md
# is run from the repository root with the binary given, and its stdout
# is compared with the lines the block shows after it, up to the next "$ "
# line or the end of the block.  A line that is only "..." stands for any
# number of lines (the docs elide); trailing blank lines are ignored.
#   sh tests/docs/run.sh ./charcheck
set -u
export LC_ALL=C NO_COLOR=1
root=$(cd "$(dirname "$0")/../.." && pwd)
bin=${1:?usage: tests/docs/run.sh CHARCHECK}
case $bin in /*) ;; *) bin=$root/$bin ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0

# Extract the examples: $tmp/N.where (file:line), N.cmd, N.want.
n=0
for md in "$root"/README.md "$root"/docs/*.md "$root"/examples/README.md \
    "$root"/models/README.md; do
	[ -f "$md" ] || continue
	rel=${md#"$root"/}
	n=$(awk -v out="$tmp" -v rel="$rel" -v n="$n" '
	function flush() { cur = "" }
	function start(line, text) {
		n++; cur = out "/" n
		print rel ":" line > (cur ".where"); close(cur ".where")
		print text > (cur ".cmd"); close(cur ".cmd")
		printf "" > (cur ".want")
	}
	function body(text) {
		if (text ~ /^\$ (\.\/)?charcheck( |$)/) {
			close(cur ".want"); start(FNR, substr(text, 3))
		} else if (cur != "") print text >> (cur ".want")
	}
	/^```/ { if (fenced) { fenced = 0; close(cur ".want"); flush() }
		 else fenced = 1; indented = 0; next }
	fenced { body($0); next }
	/^    / && (indented || prev_blank) {
		indented = 1; body(substr($0, 5)); next }
	/^[ \t]*$/ { if (indented && cur != "") print "" >> (cur ".want")
		     prev_blank = 1; next }
	{ if (indented) { close(cur ".want"); flush() }
	  indented = 0; prev_blank = 0 }
	END { print n }' "$md")
done

# drop_blank FILE: without its trailing blank lines
drop_blank() {
	awk '{ l[NR] = $0 } END { m = NR; while (m > 0 && l[m] ~ /^[ \t]*$/) m--
		for (i = 1; i <= m; i++) print l[i] }' "$1"
}

# matches WANT GOT: GOT's lines are WANT's, where a "..." line in WANT
# stands for any run of lines (first segment anchored at the start, last
# at the end).
matches() {
	awk -v wantf="$1" '
	BEGIN { nw = 0; while ((getline l < wantf) > 0) w[++nw] = l }
	{ g[++ng] = $0 }
	function seg_at(s, e, at,   k) {	# w[s..e] == g[at..]
		if (at + (e - s) > ng) return 0
		for (k = 0; k <= e - s; k++)
			if (w[s + k] != g[at + k]) return 0
		return 1
	}
	END {
		pos = 1; i = 1; first = 1
		while (i <= nw) {
			if (w[i] ~ /^[ \t]*\.\.\.[ \t]*$/) { i++; first = 0; continue }
			j = i; while (j < nw && w[j + 1] !~ /^[ \t]*\.\.\.[ \t]*$/) j++
			len = j - i + 1
			if (first) {
				if (!seg_at(i, j, 1)) exit 1
				pos = 1 + len
			} else if (j == nw) {	# last segment: at the end
				if (ng - len + 1 < pos || !seg_at(i, j, ng - len + 1))
					exit 1
				pos = ng + 1
			} else {
				for (p = pos; p <= ng && !seg_at(i, j, p); p++) ;
				if (p > ng) exit 1
				pos = p + len
			}
			first = 0; i = j + 1
		}
		if (nw > 0 && w[nw] !~ /^[ \t]*\.\.\.[ \t]*$/ && pos != ng + 1)
			exit 1
	}' "$2"
}

i=0
while [ "$i" -lt "$n" ]; do
	i=$((i + 1))
	where=$(cat "$tmp/$i.where")
	cmd=$(cat "$tmp/$i.cmd")
	args=${cmd#./}; args=${args#charcheck}
	(cd "$root" && eval "set -- $args" && "$bin" "$@" >"$tmp/got.raw" \
		2>/dev/null)
	drop_blank "$tmp/got.raw" >"$tmp/got"
	drop_blank "$tmp/$i.want" >"$tmp/want"
	if matches "$tmp/want" "$tmp/got"; then
		pass=$((pass + 1))
		[ -n "${VERBOSE:-}" ] && echo "[PASS] $where: \$ $cmd"
	else
		fail=$((fail + 1))
		echo "[FAIL] $where: \$ $cmd"
		diff -u "$tmp/want" "$tmp/got" | sed -n '3,40p'
	fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
