#!/bin/sh
# tools/lint.sh - `make lint`: the house style's mechanical rules (STYLE.md
# 15, 52): lines of at most 80 columns (a tab counts 8), no trailing white
# space, and every header compiles on its own.  The closing counts line is
# for tests/suite.sh, which runs this as the lint suite of `make check`.
set -u
cd "$(dirname "$0")/.."
status=0
files=$(ls lang/*.[ch] lang/*.l lang/*.y checker/*.[ch] tests/unit/*.[ch] \
	tests/*.c fuzz/*.c bench/*.c 2>/dev/null)
long=$(awk '{ line = $0; gsub(/\t/, "        ", line)
	if (length(line) > 80) printf "%s:%d: line of %d columns\n", FILENAME, FNR, length(line) }' $files)
if [ -n "$long" ]; then echo "$long"; status=1; fi
trail=$(grep -n '[[:space:]]$' $files Makefile 2>/dev/null | sed 's/$/ (trailing white space)/')
if [ -n "$trail" ]; then echo "$trail"; status=1; fi
for h in lang/*.h checker/*.h; do
	if ! echo "#include \"$h\"" | ${CC:-cc} -std=c11 -D_POSIX_C_SOURCE=200809L \
	    -Ilang -Ichecker -Ibuild/lang $(pkg-config --cflags libxml-2.0 2>/dev/null) \
	    -fsyntax-only -x c - 2>/dev/null; then
		echo "$h: does not compile on its own"
		status=1
	fi
done
if [ $status -eq 0 ]; then
	echo "lint: clean"
	echo "1 passed, 0 failed"
else
	echo "0 passed, 1 failed"
fi
exit $status
