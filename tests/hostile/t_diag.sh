# t_diag.sh - item 9: diagnostics go out in one write(2) per file, not
# one per byte (a 1 MB line with an error was two million system calls).
# Counted with strace where it is installed.
{
	printf 'model "t"\nfeature f { a, b }\nvisible '
	head -c 300000 /dev/zero | tr '\0' f | sed 's/f/f, /g'
	printf ' @\n'
} >"$tmp/longline.char"
if command -v strace >/dev/null 2>&1 &&
    strace -f -qq -e trace=write -o "$tmp/trace" true 2>/dev/null; then
	# LeakSanitizer cannot run under ptrace.
	ASAN_OPTIONS=detect_leaks=0 strace -f -qq -e trace=write \
		-o "$tmp/trace" "$bin" \
		"$tmp/longline.char" >/dev/null 2>"$tmp/err"
	expect "diag/long line: exit" "exit" 2 $?
	n=$(grep -c 'write(2,' "$tmp/trace")
	if [ "$n" -le 2 ]; then ok "diag/long line: $n writes"; else
		bad "diag/long line: $n writes to stderr, expected 1"; fi
else
	skipped "diag/long line: strace cannot run here"
fi
