"$1" explain models/seed.char nobody
