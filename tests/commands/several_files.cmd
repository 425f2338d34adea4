# Several files in text mode: a blank line between the reports and one
# closing line with the count of each outcome.
"$1" examples/01-first-model.char models/seed.char \
	tests/errors/spec-3-missing-brace-1.char 2>/dev/null
echo "exit $?"
"$1" -q examples/01-first-model.char examples/02-hidden-features.char
echo "quiet: exit $?"
