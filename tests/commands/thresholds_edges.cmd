# Open ends of strict claims, a set claim, a claim that never holds, a
# constraint over an interval prior, a point data item, the JSON of each
"$1" thresholds tests/commands/thresholds_edges.char
"$1" thresholds tests/commands/thresholds_edges.char --format json \
	--data web_text
