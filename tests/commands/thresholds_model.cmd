# The library's thresholds model: every numeric check against both data
# items, and the robustness of each verdict (models/pretraining_thresholds)
"$1" thresholds models/pretraining_thresholds.char
"$1" thresholds models/pretraining_thresholds.char --data corpus --format json
