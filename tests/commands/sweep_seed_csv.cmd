"$1" sweep models/seed.char --data misalignment_stories --from 0 --to 20 --steps 4 --csv
