"$1" --format yaml models/seed.char
