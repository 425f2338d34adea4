"$1" thresholds tests/commands/thresholds_issue.char
