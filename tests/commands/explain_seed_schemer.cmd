"$1" explain models/seed.char schemer
