"$1" sweep models/alignment_faking.char --data stories --from 0 --to 1
