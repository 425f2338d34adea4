#!/bin/sh
# tests/check.sh - the whole suite, as `make check` runs it: lint, the cmocka
# unit tests (plain and ASan+UBSan builds), the golden/error/conformance/
# model/command tests, the commands the docs show, the differential test
# against the reference oracle, fmt's property tests and the CI formats
# (with both binaries where it matters), the editor grammars, the language
# server (a scripted client and Neovim), the mutation test and a minute of
# fuzzing.
# Each suite prints its own results and closing counts (tests/suite.sh says
# what counts); the last line is the grand total.
set -u
cd "$(dirname "$0")/.."
. tests/suite.sh

# The harness itself first: a suite that tests nothing must not pass.
suite harness sh tests/harness/run.sh ./charcheck
# The house style's mechanical rules (STYLE.md 15, 52): 80 columns, no
# trailing white space, headers that compile alone.
suite lint sh tools/lint.sh
# The layers of checker/ (HACKING.md): no include upwards, no printing
# below the printers, and docs/layers.dot drawn from the code as it is.
suite layers sh tools/layers.sh
suite unit make --no-print-directory unit
suite unit-asan make --no-print-directory BUILD=build/asan \
	SANITIZE=address,undefined CFLAGS="-O1 -g" unit
if [ "${VALGRIND:-0}" = 1 ]; then
	# valgrind and ASan do not mix: the plain binary under memcheck.
	suite golden-valgrind sh tests/run.sh ./charcheck
fi
suite golden sh tests/run.sh ./charcheck build/asan/charcheck
# Every "$ charcheck ..." shown in README.md and docs/ against its output.
suite docs sh tests/docs/run.sh ./charcheck
# The reference oracle (../shared/oracle, beside the clone in CI): 375
# fixed-seed random models and every conformance, golden and library model.
suite oracle sh tests/oracle/run.sh ./charcheck
suite fmt sh tests/fmt/run.sh build/asan/charcheck
# Issue 17's hostile corpus: signals, lost files, malformed output.
suite hostile sh tests/hostile/run.sh build/asan/charcheck ./charcheck
suite formats sh tests/formats/run.sh build/asan/charcheck
suite editors sh editors/test.sh
# The language server: scripted LSP exchanges (both binaries) and Neovim.
suite lsp sh tests/lsp/run.sh ./charcheck build/asan/charcheck
suite lsp-nvim sh tests/lsp/nvim.sh build/asan/charcheck
# 2,000 mutated models (40 per seed) under ASan+UBSan.
suite mutate sh tests/mutate/run.sh build/asan/charcheck 40

# libFuzzer over the whole pipeline for a minute (fuzz/fuzz.mk).
suite fuzz-smoke make --no-print-directory fuzz-smoke

suite_summary
