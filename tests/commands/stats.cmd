# --stats: one line per file on stderr, the report unchanged on stdout.
# Times and peak memory vary from run to run: shown as N.
"$1" --stats --format json models/seed.char tests/golden/lumped_hidden.char \
    2>&1 >/dev/null | sed -E 's/[0-9]+\.[0-9] ms/N ms/g; s/[0-9]+\.[0-9] MB/N MB/g'
