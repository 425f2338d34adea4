"$1" explain --format json tests/conformance/stochastic_counts.char coin
