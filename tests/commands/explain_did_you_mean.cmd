# An unknown NAME (explain) or data item (sweep) gets the "did you mean"
# of the model's own diagnostics (one implementation, lang/sema.c).
"$1" explain models/seed.char schemr; echo "exit $?"
"$1" sweep models/seed.char --data misalignment_storie --from 1 --to 2
echo "exit $?"
