"$1" explain tests/golden/outcome_sets.char quitter
"$1" explain tests/golden/outcome_sets.char grinder
