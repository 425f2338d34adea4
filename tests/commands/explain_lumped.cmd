"$1" explain tests/golden/lumped_hidden.char complier
