"$1" sweep models/seed.char --data nope --from 1 --to 2
