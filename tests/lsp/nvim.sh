#!/bin/sh
# tests/lsp/nvim.sh - Neovim (headless) as the client of 'charcheck lsp':
# tests/lsp/nvim.lua opens a broken model and asserts on the diagnostics,
# the hover window, go-to-definition, formatting, MethodNotFound and the
# exit.  Skipped, not passed, without nvim (tools/deps.sh installs it).
# Usage: sh tests/lsp/nvim.sh ./charcheck
set -u
cd "$(dirname "$0")/../.."
if ! command -v nvim >/dev/null 2>&1; then
	echo "lsp-nvim: SKIPPED: nvim is not installed (apt-get install neovim)"
	exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT HUP INT TERM
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
CHARCHECK=$bin LSP_TMP=$tmp timeout 120 nvim --headless --clean \
	-c 'luafile tests/lsp/nvim.lua' </dev/null >"$tmp/out" 2>&1
st=$?
cat "$tmp/out"
if ! grep -q '^[0-9]* passed, [0-9]* failed$' "$tmp/out"; then
	echo "[FAIL] nvim: no result (status $st)"
	echo "0 passed, 1 failed"
	exit 1
fi
exit $st
