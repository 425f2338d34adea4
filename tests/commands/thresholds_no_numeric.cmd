# A model without P(...) or E(divergence) checks: said so, exit 0
printf 'action a\ncharacter c { otherwise -> a }\ntraining { situations true }\ndeployment { situations true }\ncheck consistent = {c}\n' |
	"$1" thresholds -
