#!/bin/sh
# tests/hostile/gen.sh KIND - prints one generated hostile input on stdout
# (the shrunk repros of issue 17; too big or too regular to commit).
set -u
case $1 in
optimizers) # 3,000 optimizers over 2^16 situations: seconds of judging in
	# all, a millisecond each (400 counted observations once served, until
	# check kept their likelihoods unexpanded in every format, D72)
	printf 'model "t"\n'
	i=0
	while [ $i -lt 16 ]; do printf 'feature f%d { a, b }\n' $i; i=$((i + 1)); done
	printf 'visible f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13\n'
	printf 'action x, y\nintended { otherwise -> x }\n'
	i=0
	while [ $i -lt 3000 ]; do
		printf 'optimizer o%d {\n  horizon %d\n' $i $((i % 7))
		printf '  value y = 1 when f%d == a\n' $((i % 14))
		printf '  value x = 1 when f%d == b\n}\n' $(((i / 14) % 14))
		i=$((i + 1))
	done
	printf 'training {\n  situations f15 == a\n  observe f0 == a : x\n}\n'
	printf 'deployment { situations f15 == b }\n' ;;
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
	# (an interval prior and a constraint: the LP path writes the
	# likelihood out; without the constraint, or with a point prior, the
	# likelihoods stay unexpanded, docs/scale.md, D71, D73)
	printf 'model "t"\nfeature f { v0, v1 }\nvisible f\naction x, y\n'
	printf 'intended { otherwise -> x }\n'
	printf 'character c prior [1, 2] { otherwise -> { x: 0.3, y: 0.7 } }\n'
	printf 'constraint prior(c) >= 1\n'
	printf 'training {\n  situations f == v0 or f == v1\n'
	for i in 0 1 0 1 0 1; do
		printf '  observe f == v%d : x 1000000, y 1000000\n' $i
	done
	printf '}\ndeployment { situations f == v0 }\n' ;;
*)	echo "gen.sh: unknown kind '$1'" >&2; exit 2 ;;
esac
