"$1" models/seed.char --format json --quiet nonexistent.char | head -3
