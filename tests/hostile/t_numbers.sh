# t_numbers.sh - items 2 and 9: huge numbers are quick or refused by name.
# A 10^6-digit prior once took 16 s (one multiply by 10 per digit): now
# GMP reads the digits at once; `timeout 60` bounds the work generously.
model() {	# model PRIOR: a two-situation model with that prior
	printf 'model "t"\nfeature f { a, b }\nvisible f\naction x\n'
	printf 'intended { otherwise -> x }\n'
	printf 'character c prior %s { otherwise -> x }\n' "$1"
	printf 'training { situations f == a }\n'
	printf 'deployment { situations f == b }\n'
}
model "1$(head -c 1000000 /dev/zero | tr '\0' 0)" >"$tmp/bigprior.char"
timeout 60 "$bin" --format json "$tmp/bigprior.char" >"$tmp/out.json" \
	2>"$tmp/err"
expect "numbers/10^6 digits: exit" "exit" 0 $?
# A 600k-digit decimal is refused by the scale cap, by name.
model "0.$(head -c 600000 /dev/zero | tr '\0' 0)1" >"$tmp/deep.char"
timeout 60 "$bin" "$tmp/deep.char" >/dev/null 2>"$tmp/err"
expect "numbers/600k decimals: exit" "exit" 2 $?
head -1 "$tmp/err" >"$tmp/err1"
same "numbers/600k decimals: message" "$tmp/err1" "$tmp/deep.char:6:19: \
error: number '0.000000000000000000...' is out of range: with its digits \
after the point its scale passes 10^100000"
# Item 2: GMP out of memory is "fatal: out of memory", exit 3, not
# "GNU MP: Cannot allocate memory" and SIGABRT.  ulimit -v and ASan do
# not mix: the plain binary.
if [ -n "$plain" ]; then
	sh "$here/gen.sh" bigcounts >"$tmp/bigcounts.char"
	(ulimit -v 60000 && exec timeout 120 "$plain" "$tmp/bigcounts.char") \
		>/dev/null 2>"$tmp/err"
	expect "numbers/gmp out of memory: exit" "exit" 3 $?
	same "numbers/gmp out of memory: message" "$tmp/err" \
		"charcheck: fatal: out of memory"
else
	skipped "numbers/gmp out of memory: no plain binary given"
fi
