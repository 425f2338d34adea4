"$1" --exact --format json tests/conformance/constraints.char | grep -A12 posterior
