"$1" thresholds tests/commands/thresholds_radius.char
"$1" thresholds tests/commands/thresholds_radius.char --format json
