"$1" compare models/deceptive_alignment.char
