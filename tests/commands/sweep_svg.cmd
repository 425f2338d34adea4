# The plot's structure: one SVG with axes, ticks, labels, the band and
# both curves (a band exists because the weights are intervals).
t=$(mktemp) && "$1" sweep tests/conformance/new_claims.char --data novels \
	--from 0 --to 4 --steps 40 --svg "$t" >/dev/null || exit 1
head -c 38 "$t"; echo
grep -c '<polygon' "$t"
grep -c '<polyline' "$t"
grep -o 'data factor novels' "$t" | head -1
grep -o '>P(diverge)<' "$t"
grep -o 'max over the prior set' "$t"
xmllint --noout "$t" 2>&1 && echo well-formed
rm -f "$t"
