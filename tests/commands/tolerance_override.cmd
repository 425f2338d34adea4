"$1" --tolerance 1 models/seed.char | tail -8
