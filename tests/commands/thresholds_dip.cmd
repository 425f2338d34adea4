# A bounded set away from 0 and inf, a single point, and its strict twin
"$1" thresholds tests/commands/thresholds_dip.char
