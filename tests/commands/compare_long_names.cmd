# compare fits 80 columns: a 19-character optimizer name widens the table's
# name column instead of pushing the numbers right, and the long "What
# moves P(diverge)" sentences wrap (below the title, which holds the path).
t=$(mktemp)
sed 's/proxy_goal/a_proxy_goal_longer/g' models/deceptive_alignment.char >"$t"
"$1" compare "$t" | sed "s|$t|MODEL|"
for m in models/*.char; do
	"$1" compare "$m" | awk -v m="$m" 'NR > 1 && length > 79 { print m ": " $0 }'
done
rm -f "$t"
