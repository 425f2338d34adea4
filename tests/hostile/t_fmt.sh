# t_fmt.sh - items 4 and 5: fmt settles in one pass on several comments
# after one line (fmt -w then fmt --check once exited 1), and its work is
# linear: 64k feature lines took 21 s (128k: about 84 s) when each line
# recomputed its run's alignment.  `timeout 60` bounds the work
# generously (now a few seconds under ASan).
cp "$root/tests/fmt/comments_trailing.char" "$tmp/ct.char"
"$bin" fmt -w "$tmp/ct.char" && "$bin" fmt --check "$tmp/ct.char"
expect "fmt/trailing comments: -w then --check" "exit" 0 $?
awk 'BEGIN { print "model \"t\""
	for (i = 0; i < 131072; i++) printf "feature  f%d { a, b }\n", i }' \
	>"$tmp/many.char"
timeout 60 "$bin" fmt "$tmp/many.char" >"$tmp/many.out"
expect "fmt/128k features: exit" "exit" 0 $?
expect "fmt/128k features: last line" "line" "feature f131071 { a, b }" \
	"$(tail -1 "$tmp/many.out")"
