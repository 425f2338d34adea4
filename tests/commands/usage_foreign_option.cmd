# An option of another subcommand is refused (exit 2), naming the option
# and the subcommand it belongs to, instead of being ignored.
"$1" --csv --svg x.svg models/seed.char; echo "exit $?"
"$1" check --all models/seed.char; echo "exit $?"
"$1" fmt --steps=3 models/seed.char; echo "exit $?"
"$1" compare -w models/seed.char; echo "exit $?"
"$1" explain models/seed.char schemer --check; echo "exit $?"
"$1" sweep models/seed.char --data misalignment_stories --from 1 --to 2 \
	--all; echo "exit $?"
