"$1" explain tests/conformance/optimizer_labels.char deceiver
