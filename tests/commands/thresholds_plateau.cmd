# A constraint caps the ratio: the non-strict claim never breaks, the
# strict one breaks where the cap is reached (an exact LP 1e-13 from a
# change of basis at each end of the bracket)
"$1" thresholds tests/commands/thresholds_plateau.char --format json
