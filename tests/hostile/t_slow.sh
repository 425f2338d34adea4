# t_slow.sh - item 9: the slow paths a generated file reaches do bounded
# work.  Duplicate checks were quadratic (300k values of one feature, or
# 300k traits, took 13 s; a million, about 150 s) and 100k warnings went
# out one byte per write(2) (13.5 s).  `timeout 60` is generous for the
# linear work (a few seconds under ASan) and far short of the quadratic.
awk 'BEGIN { printf "model \"t\"\nfeature f { v0"
	for (i = 1; i < 1000000; i++) printf ", v%d", i
	printf " }\nvisible f\naction x\nintended { otherwise -> x }\n"
	printf "character c { otherwise -> x }\n"
	printf "training { situations f == v0 }\n"
	printf "deployment { situations f == v1 }\n" }' >"$tmp/values.char"
timeout 60 "$bin" --max-situations 2000000 "$tmp/values.char" >/dev/null 2>&1
expect "slow/a million values: exit" "exit" 0 $?
awk 'BEGIN { printf "model \"t\"\nfeature f { a, b }\nvisible f\n"
	printf "action x\nintended { otherwise -> x }\n"
	printf "character c trait t0"
	for (i = 1; i < 1000000; i++) printf ", t%d", i
	printf " { otherwise -> x }\ntraining { situations f == a }\n"
	printf "deployment { situations f == b }\n" }' >"$tmp/traits.char"
timeout 60 "$bin" "$tmp/traits.char" >/dev/null 2>&1
expect "slow/a million traits: exit" "exit" 0 $?
# A duplicate is still found, once, where it stands.
printf 'model "t"\nfeature f { a, b, c, b }\n' >"$tmp/dup.char"
"$bin" "$tmp/dup.char" 2>&1 | head -1 >"$tmp/line"
same "slow/duplicate value" "$tmp/line" \
	"$tmp/dup.char:2:22: error: 'b' appears twice in the feature's values"
# 100k warnings (all shown: --warnings all): one write(2) for all of them.
awk 'BEGIN { printf "model \"t\"\nfeature f { a, b }\nvisible f\n"
	printf "action x\nintended { otherwise -> x }\ncharacter c {\n"
	for (i = 0; i <= 100000; i++) printf "  f == a -> x\n"
	printf "  otherwise -> x\n}\ntraining { situations f == a }\n"
	printf "deployment { situations f == b }\n" }' >"$tmp/warn.char"
if command -v strace >/dev/null 2>&1 &&
    strace -f -qq -e trace=write -o "$tmp/trace" true 2>/dev/null; then
	ASAN_OPTIONS=detect_leaks=0 timeout 120 strace -f -qq -e trace=write \
		-o "$tmp/trace" "$bin" --warnings all "$tmp/warn.char" \
		>/dev/null 2>"$tmp/err"
	expect "slow/100k warnings: exit" "exit" 0 $?
	expect "slow/100k warnings: lines" "lines" 300000 \
		"$(wc -l <"$tmp/err" | tr -d ' ')"
	n=$(grep -c 'write(2,' "$tmp/trace")
	if [ "$n" -le 2 ]; then ok "slow/100k warnings: $n writes"; else
		bad "slow/100k warnings: $n writes to stderr, expected 1"; fi
else
	skipped "slow/100k warnings: strace cannot run here"
fi
