"$1" thresholds models/seed.char --data misalignment_stories
"$1" check models/seed.char --data misalignment_stories
