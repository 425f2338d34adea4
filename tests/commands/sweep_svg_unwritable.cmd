# An --svg that cannot be written fails before the sweep runs: no table.
"$1" sweep models/seed.char --data misalignment_stories --from 1 --to 2 \
	--svg /nonexistent/dir/x.svg; echo "exit $?"
# A sweep that fails leaves no empty plot behind.
t=$(mktemp -d)
"$1" sweep models/seed.char --data nope --from 1 --to 2 --svg "$t/x.svg"
echo "exit $?"; ls "$t"; rm -rf "$t"
