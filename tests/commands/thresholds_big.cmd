# Endpoints and radii past the doubles' range: six digits in text, and
# JSON that stays JSON (to_value null, never a bare inf).
t=$(mktemp)
"$1" thresholds tests/commands/thresholds_big.char
"$1" thresholds tests/commands/thresholds_big.char --format json >"$t"
echo "[exit $?]"
build/tests/jsoncheck "$t" && echo "valid JSON"
cat "$t"
rm -f "$t"
