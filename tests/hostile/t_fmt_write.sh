# t_fmt_write.sh - item 3: fmt -w never loses a file.  It rewrites a
# link's target (the link stays), keeps mode and owner, refuses what is
# not a regular, writable, singly linked file (exit 2, file untouched),
# and leaves no temporary file behind when the disk or 'ulimit -f' is
# full.  The input is not canonical, so each -w has something to write.
src=$root/tests/golden/expr_forms.char
"$bin" fmt "$src" >"$tmp/canon"
w=$tmp/w
mkdir "$w"
fresh() { rm -rf "$w"; mkdir "$w"; cp "$src" "$w/$1"; }
# only NAME FILES...: the directory holds exactly these names.
only() {
	_n=$1; shift
	_got=$(cd "$w" && ls -A | tr '\n' ' ')
	if [ "$_got" = "$* " ]; then ok "$_n: nothing left behind"; else
		bad "$_n: directory holds '$_got', expected '$* '"; fi
}
formatted() { cmp -s "$1" "$tmp/canon"; }
untouched() { cmp -s "$1" "$src"; }

fresh m.char; chmod 640 "$w/m.char"
"$bin" fmt -w "$w/m.char"
expect "fmt-w/mode: exit" "exit" 0 $?
formatted "$w/m.char" && ok "fmt-w/mode: formatted" ||
	bad "fmt-w/mode: not formatted"
expect "fmt-w/mode: mode" "mode" 640 "$(stat -c %a "$w/m.char")"
only "fmt-w/mode" m.char

if [ "$(id -u)" = 0 ]; then
	fresh o.char; chown 1234:1235 "$w/o.char"; chmod 664 "$w/o.char"
	"$bin" fmt -w "$w/o.char"
	expect "fmt-w/owner: exit" "exit" 0 $?
	expect "fmt-w/owner: owner" "owner" "1234:1235 664" \
		"$(stat -c '%u:%g %a' "$w/o.char")"
	formatted "$w/o.char" && ok "fmt-w/owner: formatted" ||
		bad "fmt-w/owner: not formatted"
else
	skipped "fmt-w/owner: needs root to chown"
fi

fresh t.char; ln -s t.char "$w/l.char"
"$bin" fmt -w "$w/l.char"
expect "fmt-w/symlink: exit" "exit" 0 $?
[ -L "$w/l.char" ] && ok "fmt-w/symlink: still a link" ||
	bad "fmt-w/symlink: the link became a file"
formatted "$w/t.char" && ok "fmt-w/symlink: target formatted" ||
	bad "fmt-w/symlink: target not formatted"
only "fmt-w/symlink" l.char t.char

fresh h.char; ln "$w/h.char" "$w/h2.char"
"$bin" fmt -w "$w/h.char" 2>"$tmp/err"
expect "fmt-w/hard link: exit" "exit" 2 $?
same "fmt-w/hard link: message" "$tmp/err" "charcheck: error: $w/h.char: \
not rewritten: it has more than one hard link, and rewriting it would break \
them (print it with 'charcheck fmt' instead)"
untouched "$w/h.char" && ok "fmt-w/hard link: untouched" ||
	bad "fmt-w/hard link: changed"

rm -rf "$w"; mkdir "$w"; mkfifo "$w/p.char"
timeout 30 "$bin" fmt -w "$w/p.char" 2>"$tmp/err"
expect "fmt-w/fifo: exit" "exit" 2 $?
same "fmt-w/fifo: message" "$tmp/err" "charcheck: error: $w/p.char: not \
rewritten: it is not a regular file"
[ -p "$w/p.char" ] && ok "fmt-w/fifo: still a FIFO" ||
	bad "fmt-w/fifo: replaced"

fresh r.char; chmod 444 "$w/r.char"
"$bin" fmt -w "$w/r.char" 2>"$tmp/err"
expect "fmt-w/read-only: exit" "exit" 2 $?
same "fmt-w/read-only: message" "$tmp/err" "charcheck: error: $w/r.char: \
not rewritten: it is read-only"
untouched "$w/r.char" && ok "fmt-w/read-only: untouched" ||
	bad "fmt-w/read-only: changed"
expect "fmt-w/read-only: mode" "mode" 444 "$(stat -c %a "$w/r.char")"
only "fmt-w/read-only" r.char

# A canonical file needs no rewrite: read-only or hard-linked, -w leaves
# it alone and succeeds.
rm -rf "$w"; mkdir "$w"; cp "$tmp/canon" "$w/c.char"
chmod 444 "$w/c.char"; ln "$w/c.char" "$w/c2.char"
"$bin" fmt -w "$w/c.char" 2>"$tmp/err"
expect "fmt-w/canonical read-only: exit" "exit" 0 $?
same "fmt-w/canonical read-only: stderr" "$tmp/err" ""

# 'ulimit -f': write(2) fails with EFBIG (SIGXFSZ is ignored), the
# temporary file goes, the file stays as it was.
fresh f.char
(ulimit -f 2 && exec "$bin" fmt -w "$w/f.char") 2>"$tmp/err"
expect "fmt-w/ulimit -f: exit" "exit" 2 $?
same "fmt-w/ulimit -f: message" "$tmp/err" "charcheck: error: $w/f.char: \
cannot rewrite: File too large"
untouched "$w/f.char" && ok "fmt-w/ulimit -f: untouched" ||
	bad "fmt-w/ulimit -f: changed"
only "fmt-w/ulimit -f" f.char

# A full disk: a tmpfs too small for the formatted file (root only).
rm -rf "$w"; mkdir "$w"
if mount -t tmpfs -o size=8k tmpfs "$w" 2>/dev/null; then
	cp "$src" "$w/d.char" && head -c 4000 /dev/zero >"$w/fill" 2>/dev/null
	"$bin" fmt -w "$w/d.char" 2>"$tmp/err"
	expect "fmt-w/full disk: exit" "exit" 2 $?
	same "fmt-w/full disk: message" "$tmp/err" "charcheck: error: \
$w/d.char: cannot rewrite: No space left on device"
	untouched "$w/d.char" && ok "fmt-w/full disk: untouched" ||
		bad "fmt-w/full disk: changed"
	only "fmt-w/full disk" d.char fill
	umount "$w"
else
	skipped "fmt-w/full disk: cannot mount a tmpfs here"
fi

# A 250-byte name: the temporary name no longer adds a suffix to it.
long=$(printf '%0245d.char' 0)
fresh "$long"
"$bin" fmt -w "$w/$long"
expect "fmt-w/long name: exit" "exit" 0 $?
formatted "$w/$long" && ok "fmt-w/long name: formatted" ||
	bad "fmt-w/long name: not formatted"
only "fmt-w/long name" "$long"
