# Count observations of 10^6 draws (issue 12, docs/scale.md "Counted draws
# at scale"): the text report of likelihoods and posteriors with millions
# of digits, kept unexpanded, is what the written-out values print (the
# expected output is the expanding checker's).  Point weights (with a
# data factor interval in the last model), two situations, and a check
# format, and JSON, whose _exact strings are null past 4,096 bits (D72;
# it wrote 29 MB of digits in 8 s before).
case $1 in /*) bin=$1 ;; *) bin=$PWD/$1 ;; esac
t=$(mktemp -d)
sed -e 's/refuse 858, comply 142/refuse 858000, comply 142000/' \
    models/alignment_faking.char >"$t/draws6.char"
sed -e 's/solve | hack 30, give_up 2/solve | hack 300000, give_up 20000/' \
    models/reward_hacking_proxy.char >"$t/hacking.char"
cat >"$t/two.char" <<'MODEL'
model "two situations, a million draws"
feature phase { train, deploy }
action comply, refuse
intended { otherwise -> comply }
character honest { otherwise -> { comply: 0.9, refuse: 0.1 } }
character faker {
  phase == train -> { comply: 0.95, refuse: 0.05 }
  otherwise -> refuse
}
character stubborn { otherwise -> { comply: 0.5, refuse: 0.5 } }
character twin { otherwise -> { comply: 0.9, refuse: 0.1 } }
training {
  situations phase == train
  observe true : comply 930000, refuse 70000
}
deployment { situations phase == deploy }
check consistent = { honest, faker, stubborn, twin }
check P(diverge) <= 0.5
check P(faker) >= 0.5
check P(honest, twin) < 1e-760
check E(divergence) <= 0.7
MODEL
cd "$t"
"$bin" draws6.char; echo "[exit $?]"
"$bin" --format json draws6.char; echo "[exit $?]"
"$bin" --format github draws6.char; echo "[exit $?]"
"$bin" two.char; echo "[exit $?]"
"$bin" --format json two.char; echo "[exit $?]"
"$bin" hacking.char; echo "[exit $?]"
cd /
rm -rf "$t"
