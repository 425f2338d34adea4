# Interval priors over counted draws, three interval data items (a
# generated model): the posterior's ends without an LP (Dinkelbach over
# the weight box, D73) are the LP path's (--exact forces it): the same
# nearest doubles (the exact strings are past 4,096 bits here, D72).
# (bench/gen.c ... --seed 6 --stochastic 0.6 --hidden-weights all --priors
# interval --data 3, 62 characters; its first line keeps the rest.)
m=tests/commands/box_vs_lp.char
"$1" -W none --format json "$m" >/tmp/box_vs_lp.$$.a
"$1" -W none --exact --format json "$m" >/tmp/box_vs_lp.$$.b
for f in a b; do
	# --exact adds "verified" (GLPK's exact simplex agreed).
	sed -n '/"posterior"/,/"defined"/p' /tmp/box_vs_lp.$$.$f |
	    grep -v '"verified"' >/tmp/box_vs_lp.$$.$f.p
done
if cmp -s /tmp/box_vs_lp.$$.a.p /tmp/box_vs_lp.$$.b.p; then echo "the same posterior"; else echo "posteriors differ"; diff /tmp/box_vs_lp.$$.a.p /tmp/box_vs_lp.$$.b.p; fi
cat /tmp/box_vs_lp.$$.a.p
rm -f /tmp/box_vs_lp.$$.*
