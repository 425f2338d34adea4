# A tolerance is a divergence: outside [0, 1] it is bad usage (exit 2).
"$1" --tolerance 1.5 models/seed.char; echo "exit $?"
"$1" --tolerance=3/2 models/seed.char; echo "exit $?"
"$1" -q --tolerance 1 examples/01-first-model.char; echo "exit $?"
"$1" -q --tolerance 0 examples/01-first-model.char; echo "exit $?"
