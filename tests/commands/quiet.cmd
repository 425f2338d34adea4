"$1" -q models/seed.char tests/golden/expr_forms.char
