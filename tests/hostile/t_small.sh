# t_small.sh - item 10: a byte order mark and CR-only line ends are read
# like any file; the nesting limit's caret is at the 401st '(' even when
# bison's stack fills far to the right; --stats over the situation limit
# says so instead of "(0 after lumping hidden values), 0 classes".
"$bin" --format json "$root/tests/fmt/bom_cr.char" >"$tmp/out.json"
expect "small/bom and CR: exit" "exit" 0 $?
json "small/bom and CR" "$tmp/out.json"
# CR-only: the '@' on line 9 is found there (not swallowed by '// c').
printf 'model "t" // c\rfeature f { a, b }\r@\r' >"$tmp/cr.char"
"$bin" "$tmp/cr.char" 2>"$tmp/err"
expect "small/CR lines: exit" "exit" 2 $?
head -1 "$tmp/err" >"$tmp/line"
same "small/CR lines: line 3" "$tmp/line" \
	"$tmp/cr.char:3:1: error: invalid character '@'"
# 20,000 parentheses: bison's stack fills at about 10,000; the caret is
# still at the 401st '(' (column 23 + 400).
awk 'BEGIN { printf "model \"t\"\nfeature f { a, b }\nvisible f\n"
	printf "action x\nintended { otherwise -> x }\n"
	printf "character c { otherwise -> x }\ntraining { situations "
	for (i = 0; i < 20000; i++) printf "("
	printf "f == a"
	for (i = 0; i < 20000; i++) printf ")"
	printf " }\ndeployment { situations f == b }\n" }' >"$tmp/nest.char"
"$bin" "$tmp/nest.char" 2>"$tmp/err"
expect "small/deep nesting: exit" "exit" 3 $?
head -1 "$tmp/err" >"$tmp/line"
same "small/deep nesting: caret" "$tmp/line" \
	"$tmp/nest.char:7:423: error: expression nested deeper than 400 levels"
"$bin" --stats --max-situations 2 "$root/models/seed.char" 2>&1 >/dev/null |
	grep stats | sed -E 's/;.*//' >"$tmp/line"
same "small/stats over the limit" "$tmp/line" "charcheck: stats: \
$root/models/seed.char: over the situation limit, no space built"
