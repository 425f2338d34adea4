# '-' reads standard input, named <stdin> in reports and diagnostics.
"$1" - <examples/01-first-model.char | head -2; echo
printf 'model "m"\nfeature f { a, }\n' | "$1" -; echo "exit $?"
"$1" fmt --check - <models/seed.char; echo "fmt --check: exit $?"
printf 'model "m"\nfeature   f {a}\n' | "$1" fmt --check -
echo "fmt --check, not canonical: exit $?"
"$1" fmt - <models/seed.char | cmp - models/seed.char && echo "fmt: same"
printf 'model "m"\nfeature   f {a}\n' | "$1" fmt -
"$1" - - </dev/null; echo "twice: exit $?"
"$1" fmt -w - </dev/null; echo "fmt -w: exit $?"
# explain, compare, sweep and JSON read it too.
"$1" explain - schemer <models/seed.char | head -1
"$1" compare - <models/seed.char | head -1
"$1" sweep - --data misalignment_stories --from 1 --to 2 --steps 1 \
	<models/seed.char | head -1
"$1" --format json - <examples/01-first-model.char | sed -n 3p
