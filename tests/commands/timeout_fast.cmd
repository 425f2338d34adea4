"$1" --timeout 1 --format json tests/golden/expr_forms.char | head -4
