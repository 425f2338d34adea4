"$1" fmt --check models/seed.char tests/golden/expr_forms.char
