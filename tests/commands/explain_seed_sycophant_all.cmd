"$1" explain models/seed.char sycophant --all
