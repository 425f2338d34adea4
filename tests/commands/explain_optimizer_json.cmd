"$1" explain --format json tests/conformance/optimizer_labels.char deceiver
