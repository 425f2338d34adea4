#!/bin/sh
# tools/screenshot.sh - docs/img/nvim-check.png: Neovim showing the
# failing check of models/seed.char, taken headless.  Neovim runs in a
# detached tmux pane (tools/screenshot.lua); the pane's cells with their
# colours (tmux capture-pane -e) are drawn into a PNG by
# tools/ansi2png.py (python3-pil, DejaVu Sans Mono).
# Usage: sh tools/screenshot.sh [./charcheck] [OUT.png]
set -eu
cd "$(dirname "$0")/.."
bin=$(cd "$(dirname "${1:-./charcheck}")" && pwd)
out=${2:-docs/img/nvim-check.png}
tmp=$(mktemp -d)
trap 'tmux kill-session -t charcheck-shot 2>/dev/null; rm -rf "$tmp"' EXIT
cp models/seed.char "$tmp/seed.char"
tmux new-session -d -s charcheck-shot -x 96 -y 30 \
	"cd $tmp && env PATH=$bin:\$PATH ROOT=$PWD MODEL=seed.char \
	TERM=xterm-256color nvim --clean -u $PWD/tools/screenshot.lua"
sleep "${SHOT_WAIT:-4}"
tmux capture-pane -p -e -t charcheck-shot >"$tmp/screen.ansi"
mkdir -p "$(dirname "$out")"
/usr/bin/python3 tools/ansi2png.py "$tmp/screen.ansi" "$out"
echo "wrote $out"
