"$1" explain tests/conformance/family_basic.char f
