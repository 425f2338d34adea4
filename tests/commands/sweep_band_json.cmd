"$1" sweep tests/conformance/new_claims.char --data novels --from 0 --to 4 --steps 4 --format json
