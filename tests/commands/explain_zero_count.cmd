"$1" explain tests/golden/zero_count_framings.char mixed
"$1" explain tests/golden/zero_count_framings.char pushover
