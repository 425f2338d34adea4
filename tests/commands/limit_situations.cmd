"$1" --max-situations 4 models/seed.char
