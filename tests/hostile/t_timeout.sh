# t_timeout.sh - item 1: --timeout ends every stage with exit 3 and a
# report, never by SIGALRM (glibc's signal() once reset the handler, so
# the backstop alarm killed with status 142 and an empty JSON report).
# Each input takes far longer than 1 s in all, while one step (an
# observation, a weight line) takes a small part of it; `timeout 120`
# bounds a hang.
sh "$here/gen.sh" optimizers >"$tmp/optimizers.char"
sh "$here/gen.sh" weights >"$tmp/weights.char"
for k in optimizers:entities weights:situations; do
	name=${k%%:*} stage=${k#*:}
	case $stage in
	entities) what="judging the entities" ;;
	*) what="weighing the situations" ;;
	esac
	timeout 120 "$bin" --timeout 1 --format json "$tmp/$name.char" \
		>"$tmp/out.json" 2>"$tmp/err"
	expect "timeout/$name: exit" "exit" 3 $?
	same "timeout/$name: message" "$tmp/err" "$tmp/$name.char: error: the \
time limit (--timeout) was reached while $what; raise it or simplify the model"
	json "timeout/$name" "$tmp/out.json"
	grep -q '"status": 3' "$tmp/out.json" &&
		ok "timeout/$name: status in JSON" ||
		bad "timeout/$name: no status 3 in the JSON report"
done
# Item 7: a limit past INT_MAX milliseconds is GLPK's tm_lim saturated,
# not "invalid parameter" (exit 3): the interval-prior model still runs.
"$bin" --timeout 3000000 "$root/models/seed.char" >/dev/null 2>"$tmp/err"
expect "timeout/3000000: exit" "exit" 1 $?
same "timeout/3000000: stderr" "$tmp/err" ""
