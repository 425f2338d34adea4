# The whole SVG of a sweep with a jump at factor 0 (checked by eye when it
# changed, rendered with rsvg-convert): title and file on two lines, the
# legend in a row above the plot, max solid and min dashed in two colours,
# the max at 0 a dot of its own, and a table whose factors are 1.66667-like
# decimals in a column that fits them.
t=$(mktemp)
"$1" sweep tests/commands/sweep_jump.char --data d --from 0 --to 5 \
	--steps 3 --svg "$t"
cat "$t"
rm -f "$t"
