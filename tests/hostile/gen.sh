#!/bin/sh
# tests/hostile/gen.sh KIND - prints one generated hostile input on stdout
# (the shrunk repros of issue 17; too big or too regular to commit).
set -u
case $1 in
counts)	# 400 count observations of 10^5 draws: minutes of exact arithmetic
	# in all, a small part of a second per observation
	printf 'model "t"\nfeature f { v0, v1 }\nvisible f\naction x, y\n'
	printf 'intended { otherwise -> x }\n'
	printf 'character c prior 1 { otherwise -> { x: 0.3, y: 0.7 } }\n'
	printf 'training {\n  situations f == v0 or f == v1\n'
	i=0
	while [ $i -lt 400 ]; do
		printf '  observe f == v%d : x 100000, y 100000\n' $((i % 2))
		i=$((i + 1))
	done
	printf '}\ndeployment { situations f == v0 }\n' ;;
weights) # 2^16 situations each weighed by 200 lines of 10^300
	printf 'model "t"\n'
	i=0
	while [ $i -lt 16 ]; do printf 'feature f%d { a, b }\n' $i; i=$((i + 1)); done
	printf 'visible f0\naction x, y\nintended { otherwise -> x }\n'
	printf 'character c prior 1 { otherwise -> x }\n'
	printf 'training {\n  situations f0 == a\n  observe f1 == a : x\n}\n'
	printf 'deployment {\n  situations f0 == b\n'
	i=0
	while [ $i -lt 200 ]; do
		printf '  weight f%d == a : 1e300\n' $((i % 16)); i=$((i + 1))
	done
	printf '}\n' ;;
bigcounts) # six observations of 10^6 draws: GMP needs a few MB at once
	# (an interval prior: the LP path writes the likelihood out in every
	# format; with a point prior only JSON does, docs/scale.md)
	printf 'model "t"\nfeature f { v0, v1 }\nvisible f\naction x, y\n'
	printf 'intended { otherwise -> x }\n'
	printf 'character c prior [1, 2] { otherwise -> { x: 0.3, y: 0.7 } }\n'
	printf 'training {\n  situations f == v0 or f == v1\n'
	for i in 0 1 0 1 0 1; do
		printf '  observe f == v%d : x 1000000, y 1000000\n' $i
	done
	printf '}\ndeployment { situations f == v0 }\n' ;;
*)	echo "gen.sh: unknown kind '$1'" >&2; exit 2 ;;
esac
