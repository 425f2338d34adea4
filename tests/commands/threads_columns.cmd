# The audit's columns are built by two threads, half the positions each,
# when there are 65,536 positions or more; the plan must not depend on
# it: 1 thread against 2 and 3 (a generated model: bench/gen.c, its
# first line).
m=tests/commands/threads_columns.char
for t in 1 2 3; do
	CHARCHECK_THREADS=$t "$1" -W none --format json "$m" >/tmp/tcol.$$.$t
done
cmp -s /tmp/tcol.$$.1 /tmp/tcol.$$.2 && cmp -s /tmp/tcol.$$.1 /tmp/tcol.$$.3 &&
    echo "the same report with 1, 2 and 3 threads"
sed -n '/"plan_size"/,/"lower_bound"/p' /tmp/tcol.$$.1
rm -f /tmp/tcol.$$.*
