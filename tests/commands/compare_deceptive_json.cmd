"$1" compare --format json models/deceptive_alignment.char
