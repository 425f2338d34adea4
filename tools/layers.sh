#!/bin/sh
# tools/layers.sh - the layers of checker/ and the rules between them.
#
#   sh tools/layers.sh          check the rules (a suite: "N passed, M failed")
#   sh tools/layers.sh --dot    the module graph in Graphviz's language
#
# A module is a .c file and its .h (space_layout.c and space_int.h are
# modules of their own).  Its layer comes from its name, so a new file
# lands in the right one by being named like its neighbours:
#
#   7 command   main, cmd_*, lsp*          options, exit status, protocol
#   6 printer   report*                    a Result (or diags) -> bytes
#   5 run       pipeline, commands         one file through every stage
#   4 result    result                     what the engines found
#   3 engine    everything not named here  fills a result struct
#   2 space     space*                     situations, classes, tables
#   1 solver    lp, xlp, dl, deadline,     GLPK, exact LPs, bitsets,
#               bitset                     the time limit
#   0 front     lang/*.h                   the language and the model IR
#
# Rules (each a test):
#   - a module includes only modules of its own layer or below, but for
#     the one edge up that is the design: engines include result.h, the
#     Result they fill (engines below the Result, printers above it);
#   - below the run (layers 0-4 of checker/), nothing writes to stdout or
#     stderr: no printf, fprintf, fputs, puts, putchar, fputc, fwrite,
#     perror, and no stdout or stderr; the commands decide what the user
#     sees, through the printers.
set -u
export LC_ALL=C
self=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")
cd "$(dirname "$0")/.."

layer() {
	case $1 in
	main|cmd_*|lsp*) echo 7 ;;
	report*) echo 6 ;;
	pipeline|commands) echo 5 ;;
	result) echo 4 ;;
	space*) echo 2 ;;
	lp|xlp|dl|deadline|bitset) echo 1 ;;
	*) if [ -f "lang/$1.h" ]; then echo 0; else echo 3; fi ;;
	esac
}
name() { case $1 in 7) echo command ;; 6) echo printer ;; 5) echo run ;;
	4) echo result ;; 3) echo engine ;; 2) echo space ;; 1) echo solver ;;
	0) echo front ;; esac; }

modules=$(ls checker/*.[ch] | sed 's|checker/||; s|\.[ch]$||' | sort -u)
# module -> included module, one pair per line, no self edges
edges=$(for f in checker/*.[ch]; do
	m=$(basename "$f" | sed 's/\.[ch]$//')
	sed -n 's/^#include "\(.*\)\.h".*/\1/p' "$f" | while read -r t; do
		[ "$t" = "$m" ] || echo "$m $t"
	done
done | sort -u)

if [ "${1:-}" = --dot ]; then
	# One row per layer, the command line at the top; an edge is an
	# #include, pointing down.
	echo 'digraph checker {'
	echo '  rankdir=TB; nodesep=0.15; ranksep=0.45;'
	echo '  node [shape=box, style=rounded, fontname="Helvetica", fontsize=10];'
	echo '  edge [color="#00000050", arrowsize=0.5];'
	prev=
	for l in 7 6 5 4 3 2 1 0; do
		echo "  L$l [shape=plaintext, style=\"\", fontsize=12, label=\"$l $(name $l)\"];"
		[ -n "$prev" ] && echo "  $prev -> L$l [style=invis];"
		prev=L$l
		printf '  { rank=same; L%s;' $l
		for m in $modules; do
			[ "$(layer "$m")" = $l ] && printf ' "%s";' "$m"
		done
		if [ $l = 0 ]; then
			echo "$edges" | awk '{ print $2 }' | sort -u |
			    while read -r t; do
				[ -f "lang/$t.h" ] && printf ' "%s";' "$t"
			done
		fi
		echo ' }'
	done
	echo "$edges" | while read -r a b; do
		[ -n "$a" ] && echo "  \"$a\" -> \"$b\";"
	done
	echo '}'
	exit 0
fi

pass=0 fail=0
bad=$(echo "$edges" | while read -r a b; do
	[ -n "$a" ] || continue
	la=$(layer "$a") lb=$(layer "$b")
	if [ "$lb" -gt "$la" ] && ! { [ "$la" = 3 ] && [ "$b" = result ]; }; then
		echo "checker/$a ($(name "$la")) includes $b.h ($(name "$lb")), a layer above it"
	fi
done)
if [ -n "$bad" ]; then
	printf '%s\n' "$bad"
	fail=$((fail + 1))
else
	pass=$((pass + 1))
fi

loud=$(for m in $modules; do
	[ "$(layer "$m")" -le 4 ] || continue	# below the run
	for f in "checker/$m.c" "checker/$m.h"; do
		[ -f "$f" ] || continue
		grep -nE '(^|[^a-z_])(printf|fprintf|vfprintf|fputs|puts|putchar|fputc|fwrite|perror)[[:space:]]*\(|(^|[^a-z_])(stdout|stderr)([^a-z_]|$)' "$f" |
		    grep -v '^[0-9]*:[[:space:]]*\*' | sed "s|^|$f:|"
	done
done)
if [ -n "$loud" ]; then
	n=$(printf '%s\n' "$loud" | wc -l | tr -d ' ')
	printf '%s\n' "$loud" | head -10 | sed 's/$/  (prints below the printers)/'
	[ "$n" -gt 10 ] && echo "... $n such lines in all"
	fail=$((fail + 1))
else
	pass=$((pass + 1))
fi
# The drawing in HACKING.md must be of this code.
if [ -f docs/layers.dot ]; then
	if sh "$self" --dot | cmp -s - docs/layers.dot; then
		pass=$((pass + 1))
	else
		echo "docs/layers.dot is not the graph of this code: make graph"
		fail=$((fail + 1))
	fi
fi
echo "layers: $(echo "$modules" | wc -l | tr -d ' ') modules, $(echo "$edges" | grep -c .) includes"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
