# At factor 0 the posterior is undefined: the set is open at 0; a radius
# that is exactly rational (2) and one that is not (sqrt(7/4))
"$1" thresholds tests/commands/thresholds_undefined_at_0.char
"$1" thresholds - --data pages < tests/commands/thresholds_undefined_at_0.char
