# A count observation's likelihood factor prints as a decimal (with the
# fraction when it is short), not as a bare 40-digit fraction.
t=$(mktemp)
cat >"$t" <<'MODEL'
model "m"
feature f { a, b }
action x, y
character c { otherwise -> { x: 1/3, y: 2/3 } }
training {
  situations f == a
  observe f == a : x 40, y 45
}
deployment { situations true }
MODEL
"$1" explain "$t" c | sed -n '/^Training/,/^$/p'
rm -f "$t"
"$1" explain tests/conformance/stochastic_counts.char coin | sed -n '/^Training/,/^$/p'
