"$1" fmt models/seed.char
