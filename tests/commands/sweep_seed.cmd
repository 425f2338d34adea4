"$1" sweep models/seed.char --data misalignment_stories --from 1 --to 10 --steps 9
