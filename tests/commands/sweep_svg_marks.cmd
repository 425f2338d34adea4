# sweep --svg marks each numeric check's thresholds inside the swept
# range (thresholds.c): the seed's P(diverge) <= 0.05 holds up to 7/19,
# and the library model's two checks change at 33/323 and 11/102.  The
# text table is the same with or without the plot.
t=$(mktemp)
"$1" sweep models/seed.char --data misalignment_stories --from 0 --to 2 \
	--steps 4 --svg "$t" || exit 1
grep -o '<title>[^<]*</title>' "$t"
grep -o '>line [0-9]*: [0-9/]*<' "$t"
grep -o "a check's threshold" "$t"
"$1" sweep models/pretraining_thresholds.char --data corpus --from 0 \
	--to 1/2 --steps 2 --svg "$t" >/dev/null || exit 1
grep -o '<title>[^<]*</title>' "$t"
xmllint --noout "$t" 2>&1 && echo well-formed
# Outside the range: no mark, no legend entry.
"$1" sweep models/seed.char --data misalignment_stories --from 1 --to 2 \
	--steps 1 --svg "$t" >/dev/null || exit 1
grep -c '<title>' "$t"
grep -c "a check's threshold" "$t"
rm -f "$t"
