# t_output.sh - items 6 and 8: machine output stays well-formed and the
# terminal stays safe whatever bytes a title, a check label or a file
# name holds.  JSON once copied invalid UTF-8 raw, and the text report
# printed ESC sequences (OSC title change, screen clear) as they were.
bad_name=$tmp/u$(printf '\377').char
{
	printf 'model "bad \377\376 title \303 \033]0;pwned\007 \033[31mred"\n'
	printf 'feature f { a, b }\nvisible f\naction x\n'
	printf 'intended { otherwise -> x }\ncharacter c { otherwise -> x }\n'
	printf 'training { situations f == a }\n'
	printf 'deployment { situations f == b }\n'
	printf 'check "lab\351\033[2J\001 el" no divergence\n'
} >"$bad_name"
for fmt in json sarif; do
	"$bin" --format $fmt "$bad_name" >"$tmp/out.$fmt"
	expect "output/$fmt: exit" "exit" 0 $?
	json "output/$fmt: invalid UTF-8 in" "$tmp/out.$fmt"
done
grep '"model"' "$tmp/out.json" >"$tmp/line"
same "output/json: title" "$tmp/line" '  "model": "bad '"$(printf \
'\357\277\275\357\277\275')"' title '"$(printf '\357\277\275')"' \u001b]0;pwned\u0007 \u001b[31mred",'
"$bin" compare "$bad_name" --format json >"$tmp/out.json" 2>/dev/null
json "output/compare json: invalid UTF-8 in" "$tmp/out.json"
"$bin" explain "$bad_name" c --format json >"$tmp/out.json" 2>/dev/null
json "output/explain json: invalid UTF-8 in" "$tmp/out.json"
"$bin" "$bad_name" >"$tmp/out.txt"
head -1 "$tmp/out.txt" >"$tmp/line"
same "output/text: title escaped" "$tmp/line" \
	"$tmp/u\\xff.char: bad \\xff\\xfe title \\xc3 \\x1b]0;pwned\\x07 \\x1b[31mred"
grep 'no divergence' "$tmp/out.txt" >"$tmp/line"
same "output/text: label escaped" "$tmp/line" \
	'  PASS  line 9    no divergence  "lab\xe9\x1b[2J\x01 el"'
if LC_ALL=C grep -q "$(printf '\033')" "$tmp/out.txt"; then
	bad "output/text: an ESC byte reached the terminal"
else
	ok "output/text: no ESC byte"
fi
# Valid UTF-8 is kept as it is.
sed "s/bad .*red/caf$(printf '\303\251') $(printf '\342\202\254')/" \
	"$bad_name" >"$tmp/ok.char"
"$bin" "$tmp/ok.char" | head -1 >"$tmp/line"
same "output/text: UTF-8 kept" "$tmp/line" \
	"$tmp/ok.char: caf$(printf '\303\251') $(printf '\342\202\254')"
# A diagnostic names the file escaped too.
printf 'model "t"\n@\n' >"$bad_name"
"$bin" "$bad_name" 2>"$tmp/err"
head -1 "$tmp/err" >"$tmp/line"
same "output/diag: file name escaped" "$tmp/line" \
	"$tmp/u\\xff.char:2:1: error: invalid character '@'"
# sweep past the doubles: an error, not "factor": inf or an SVG of -nan.
"$bin" sweep "$root/models/seed.char" --data misalignment_stories \
	--from 1 --to 1e1000 --format json >"$tmp/out" 2>"$tmp/err"
expect "output/sweep 1e1000: exit" "exit" 2 $?
head -1 "$tmp/err" >"$tmp/line"
same "output/sweep 1e1000: message" "$tmp/line" "charcheck: error: '--to' \
must be at most 1.7976931348623157e308 (the largest double), not '1e1000'"
same "output/sweep 1e1000: no output" "$tmp/out" ""
# Out of memory while checking (GMP, ulimit -v): the error alone, no
# truncated document; the machine formats are written in one piece.
if [ -n "$plain" ]; then
	sh "$here/gen.sh" bigcounts >"$tmp/bigcounts.char"
	for fmt in json junit sarif; do
		(ulimit -v 60000 && exec timeout 120 "$plain" --format $fmt \
			"$root/models/seed.char" "$tmp/bigcounts.char") \
			>"$tmp/out" 2>"$tmp/err"
		expect "output/$fmt out of memory: exit" "exit" 3 $?
		same "output/$fmt out of memory: stdout" "$tmp/out" ""
	done
else
	skipped "output/out of memory: no plain binary given"
fi
