#!/bin/sh
# Checks the editor support files for charcheck .char models.
# Usage: sh editors/test.sh        (from anywhere)
# Prints one line per test and "N passed, N failed" last; exits non-zero
# when a test fails. Tests whose tool is missing are skipped with a note.

here=$(cd "$(dirname "$0")" && pwd)
grammar="$here/vscode/syntaxes/char.tmLanguage.json"
vimsyn="$here/vim/syntax/char.vim"
tmp=${TMPDIR:-/tmp}/charcheck-editors-test.$$
mkdir -p "$tmp" || exit 2
trap 'rm -rf "$tmp"' EXIT HUP INT TERM

passed=0
failed=0
pass() { passed=$((passed + 1)); echo "ok    $1"; }
fail() { failed=$((failed + 1)); echo "FAIL  $1"; }
skip() { echo "skip  $1"; }

# Every keyword of SPEC section 2 ("Lexical structure").
keywords="model feature visible action character family optimizer prior
trait intended training deployment situations weight observe at least most
otherwise data scales by constraint audit check consistent diverging
undetectable contains excludes no divergence horizon value when over actions
true false and or not in P E diverge label deceptive proxy none tolerance"

# 1. The JSON files parse.
for f in "$grammar" "$here/vscode/package.json" \
         "$here/vscode/language-configuration.json" \
         "$here/vscode/tsconfig.json"; do
    name=${f#"$here"/}
    if command -v python3 >/dev/null 2>&1; then
        if python3 -m json.tool "$f" >/dev/null 2>"$tmp/err"; then
            pass "$name is valid JSON (python3)"
        else
            fail "$name is not valid JSON: $(cat "$tmp/err")"
        fi
    elif command -v node >/dev/null 2>&1; then
        if node -e 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))' "$f" 2>"$tmp/err"; then
            pass "$name is valid JSON (node)"
        else
            fail "$name is not valid JSON: $(cat "$tmp/err")"
        fi
    else
        skip "$name: neither python3 nor node found, JSON not checked"
    fi
done

# 2. The grammar has the scope name and the token classes it promises.
for s in '"scopeName": "source.char"' keyword.control.char keyword.other.char \
         storage.type.char constant.numeric.char string.quoted.double.char \
         comment.line.double-slash.char comment.block.char; do
    if grep -F -q "$s" "$grammar"; then
        pass "grammar has $s"
    else
        fail "grammar lacks $s"
    fi
done

# 3. Every keyword is in a keyword alternation of the TextMate grammar
#    ("\\b(a|b|c)\\b") and in a ":syn keyword" or "\<word\>" match of the
#    Vim syntax file.
grep '^syn keyword' "$vimsyn" | tr -s ' \t' '\n\n' >"$tmp/vimwords"
missing_tm=""
missing_vim=""
for kw in $keywords; do
    grep -E -q "[(|]$kw[|)]" "$grammar" || missing_tm="$missing_tm $kw"
    if ! grep -x -q "$kw" "$tmp/vimwords" &&
       ! grep -F -q "\\<$kw\\>" "$vimsyn"; then
        missing_vim="$missing_vim $kw"
    fi
done
n=$(echo $keywords | wc -w | tr -d ' ')
if [ -z "$missing_tm" ]; then
    pass "all $n keywords in the TextMate grammar"
else
    fail "keywords missing from the TextMate grammar:$missing_tm"
fi
if [ -z "$missing_vim" ]; then
    pass "all $n keywords in the Vim syntax file"
else
    fail "keywords missing from the Vim syntax file:$missing_vim"
fi

# 4. Vim sources the syntax file without error, and the ftdetect file sets
#    filetype "char" for a *.char file.
if command -v vim >/dev/null 2>&1; then
    rm -f "$tmp/exc"
    if vim -es -u NONE -i NONE -N \
        -c "try | source $vimsyn | catch | call writefile([v:exception, v:throwpoint], '$tmp/exc') | cquit | endtry" \
        -c 'qall!' </dev/null >/dev/null 2>&1; then
        pass "vim sources vim/syntax/char.vim without error"
    else
        fail "vim/syntax/char.vim: $(cat "$tmp/exc" 2>/dev/null || echo 'vim failed')"
    fi
    printf 'model "x" // TODO\nfeature w { yes, no }\n' >"$tmp/sample.char"
    vim -es -u NONE -i NONE -N --cmd "set rtp^=$here/vim" \
        -c 'filetype plugin on' -c 'syntax on' -c "edit $tmp/sample.char" \
        -c "call writefile([&filetype, get(b:, 'current_syntax', ''), synIDattr(synID(1, 1, 1), 'name'), synIDattr(synID(2, 18, 1), 'name')], '$tmp/ft')" \
        -c 'qall!' </dev/null >/dev/null 2>&1
    got=$(tr '\n' ' ' <"$tmp/ft" 2>/dev/null)
    if [ "$got" = "char char charItem charValue " ]; then
        pass "vim detects *.char and highlights it"
    else
        fail "vim filetype/syntax on a .char file: got '$got', want 'char char charItem charValue'"
    fi
else
    skip "vim not installed: Vim syntax file not sourced"
fi

# 5. The VS Code client (vscode/src/extension.ts) builds with npm ci &&
#    npm run compile, activates with a stand-in 'vscode' module, and the
#    JSON-RPC library under vscode-languageclient talks to `charcheck lsp`
#    (vscode/test/smoke.js).  Built in a copy: the tree stays clean.
charcheck="$here/../charcheck"
if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
    skip "npm not installed: the VS Code client not built"
elif [ ! -x "$charcheck" ]; then
    skip "no ./charcheck built: the VS Code client not tested"
else
    mkdir -p "$tmp/vscode"
    cp -R "$here/vscode/package.json" "$here/vscode/package-lock.json" \
        "$here/vscode/tsconfig.json" "$here/vscode/src" "$here/vscode/test" \
        "$tmp/vscode/"
    if ! (cd "$tmp/vscode" && npm ci --prefer-offline --no-audit --no-fund) \
        >"$tmp/npm" 2>&1; then
        skip "npm ci failed (no network?): the VS Code client not built: $(tail -1 "$tmp/npm")"
    elif (cd "$tmp/vscode" && npm run compile) >"$tmp/npm" 2>&1; then
        pass "the VS Code client compiles (npm run compile)"
        (cd "$tmp/vscode" && node test/smoke.js "$charcheck" \
            "$here/../models/seed.char") >"$tmp/smoke" 2>&1
        cat "$tmp/smoke"
        passed=$((passed + $(grep -c '^ok ' "$tmp/smoke")))
        failed=$((failed + $(grep -c '^FAIL ' "$tmp/smoke")))
        if ! grep -q '^ok ' "$tmp/smoke"; then
            fail "vscode/test/smoke.js ran no test"
        fi
    else
        fail "the VS Code client does not compile: $(cat "$tmp/npm")"
    fi
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
