# --from and --to are checked as usage (exit 2), before any work.
for v in -1 abc 1/0; do
	"$1" sweep models/seed.char --data misalignment_stories --from "$v" \
		--to 2
	echo "--from $v: exit $?"
done
"$1" sweep models/seed.char --data misalignment_stories --from 0 --to=x
echo "--to=x: exit $?"
