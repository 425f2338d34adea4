#!/bin/sh
# bench/run.sh - benchmark charcheck on generated models and, where clingo
# is installed, compare it (time and the consistent/diverging sets) with a
# guess-and-check answer-set encoding of the same models.
# Run from the repo root:  sh bench/run.sh ./charcheck   (or: make bench)
# Knobs: CC (compiler), RUNS (timed runs per size, best kept; default 5),
# AUDIT_TIMEOUT (--timeout of the main rows, which include the audit
# plan as users run it; default 30, 0 = none), CLIFFS (0 skips the
# cliffs table: CI printers, 10^6 draws, warnings),
# EXTRAS (0 skips sections f-j: LP bounds, audit, sweep, family,
# optimizers), XTIMEOUT (their cap in seconds, default 60), SLOW (a run
# longer than this many seconds is not repeated; default 2), MAIN (0
# skips sections a-e and the limit lines: only f-j).
# Benchmarks are not tests: `make check` does not run this.

set -u
CHK=${1:-./charcheck}
CC=${CC:-cc}
RUNS=${RUNS:-5}
AUDIT_TIMEOUT=${AUDIT_TIMEOUT:-30}
EXTRAS=${EXTRAS:-1}
XTIMEOUT=${XTIMEOUT:-60}
SLOW=${SLOW:-2}
MAIN=${MAIN:-1}
D=build/bench
GEN=build/bench-gen
BW=build/bench-bandwidth
MEASURE=build/bench-measure
OBS=12
SEED=1

if [ ! -x "$CHK" ]; then
	echo "bench: no checker at '$CHK' (run make first)" >&2
	exit 2
fi
mkdir -p "$D" || exit 2
$CC -O2 -o "$GEN" bench/gen.c || exit 2
$CC -O2 -o "$BW" bench/bandwidth.c || exit 2
$CC -O2 -o "$MEASURE" bench/measure.c || exit 2

HAVE_CLINGO=0
command -v clingo >/dev/null 2>&1 && HAVE_CLINGO=1

# timed OUT ERR LIMIT CMD...: runs CMD once under bench/measure.c (LIMIT
# seconds, 0 = none).  Sets M_T (wall seconds, from fork to wait), M_KB
# (its peak RSS in KB) and M_RC (exit status; 124 = limit).
timed() {
	tout=$1 terr=$2 tlim=$3
	shift 3
	# shellcheck disable=SC2046
	set -- $("$MEASURE" -t "$tlim" -o "$tout" -e "$terr" -- "$@")
	M_T=$1 M_KB=$2 M_RC=$3
}

# The consistent (C) and diverging (D) names from charcheck's JSON, one
# "C name" / "D name" a line, sorted.  Tokenises on , { } so it does not
# depend on the JSON's layout.
cc_sets() {
	tr -d ' \n\t\r' <"$1" | tr ',{}' '[\n*3]' | awk -F: '
	/^"name":/ { n = $2; gsub(/"/, "", n) }
	/^"consistent":/ { c[n] = ($2 == "true") }
	/^"diverges":/ { if ($2 == "true") d[n] = 1 }
	END {
		for (k in c) if (c[k]) { print "C", k; if (k in d) print "D", k }
	}' | LC_ALL=C sort
}

# The same sets from clingo's final brave model (-q1 --outf=0): characters
# c0..c(N-1); consistent = not refuted, diverging = consistent and some
# diverging_at.  With count observations (gen --stochastic) a character is
# also refuted when some counted outcome cobs(O,K) has no csupp(C,O,K) in
# the brave model: it plays that outcome in no matching training
# situation (q = 0).  Fails when clingo printed no model.
asp_sets() {
	awk -v n="$2" '
	/^Answer:/ { getline line; last = line; have = 1 }
	END {
		if (!have)
			exit 1
		k = split(last, t, " ")
		for (i = 1; i <= k; i++) {
			s = t[i]
			if (s ~ /^refuted\(/) {
				sub(/^refuted\(/, "", s); sub(/\)$/, "", s); r[s] = 1
			} else if (s ~ /^diverging_at\(/) {
				sub(/^diverging_at\(/, "", s); sub(/\)$/, "", s); d[s] = 1
			} else if (s ~ /^cobs\(/) {
				sub(/^cobs\(/, "", s); sub(/\)$/, "", s)
				co[++nco] = s
			} else if (s ~ /^csupp\(/) {
				sub(/^csupp\(/, "", s); sub(/\)$/, "", s)
				cs[s] = 1
			}
		}
		for (c = 0; c < n; c++) {
			x = "c" c
			for (j = 1; j <= nco && !(x in r); j++)
				if (!((x "," co[j]) in cs))
					r[x] = 1
			if (!(x in r)) { print "C", x; if (x in d) print "D", x }
		}
	}' "$1" | LC_ALL=C sort
}

# min / max of two decimals
fmin() {
	awk -v a="$1" -v b="$2" 'BEGIN { print (a == "" || b + 0 < a + 0) ? b : a }'
}
fmax() {
	awk -v a="$1" -v b="$2" 'BEGIN { print (a == "" || b + 0 > a + 0) ? b : a }'
}

MISMATCHES=0
ERRORS=0
# Best charcheck times (row sets them; "" when it failed).
T_a='' T_k='' T_k1000='' T_c250='' T_c500='' T_c1000='' T_c2000=''

hdr() {
	printf '%-8s %9s %6s %5s %9s %11s %8s %9s %8s %8s %5s\n' \
	    size situations chars rules cons/div "charcheck s" "peak MB" \
	    "$1" "$2" "$3" agree
}

# In-process seconds: charcheck's stage times (--stats) summed, and the
# "Time" clingo reports for itself; both leave out process creation.
cc_inproc() {
	sed -n 's/.*stats: .*; parse \([0-9.]*\) ms, model \([0-9.]*\) ms, space \([0-9.]*\) ms, check \([0-9.]*\) ms, report \([0-9.]*\) ms.*/\1 \2 \3 \4 \5/p' "$1" |
	    awk 'NR == 1 { print ($1 + $2 + $3 + $4 + $5) / 1000 }'
}
asp_inproc() {
	awk '/^Time/ { sub(/s$/, "", $3); print $3 + 0; exit }' "$1"
}

# row NAME FEATURES HIDDEN CHARACTERS RULES AUDIT RUNS [TIMEOUT]
# (GENX: more generator options, e.g. --schemers all; NOLP=1: the model
# has no faithful answer-set encoding, clingo's columns print "-")
# Generates NAME, times charcheck (best of RUNS; peak memory = max), checks
# its exit status, times clingo and compares the sets.  Sets T_<NAME>.
row() {
	name=$1 nf=$2 nh=$3 nc=$4 nr=$5 audit=$6 runs=$7 tmo=${8:-0}
	char=$D/$name.char
	lp=$D/$name.lp
	asp=$HAVE_CLINGO lpopt="--lp $lp"
	[ -n "${NOLP:-}" ] && asp=0 lpopt=
	# shellcheck disable=SC2086
	"$GEN" --features "$nf" --values 2 --hidden "$nh" --characters "$nc" \
	    --rules "$nr" --observations $OBS --seed $SEED --audit "$audit" \
	    ${GENX:-} --out "$char" $lpopt || exit 2
	sits=$(awk -v f="$nf" 'BEGIN { printf "2^%d", f }')
	best='' mem='' status=0 i=0 topt='' inbest=''
	[ "$tmo" -gt 0 ] && topt="--timeout $tmo"
	while [ $i -lt "$runs" ]; do
		# shellcheck disable=SC2086
		timed "$D/$name.json" "$D/$name.err" 0 "$CHK" $topt \
		    --stats --format json "$char"
		status=$M_RC
		best=$(fmin "$best" "$M_T")
		in=$(cc_inproc "$D/$name.err")
		[ -n "$in" ] && inbest=$(fmin "$inbest" "$in")
		mem=$(fmax "$mem" "$M_KB")
		i=$((i + 1))
		[ "$status" -gt 1 ] && break
	done
	if [ "$status" -le 1 ]; then
		eval "T_$name=$best"
	fi
	mb=-
	[ -n "$mem" ] && mb=$(awk -v k="$mem" 'BEGIN { printf "%.1f", k / 1024 }')
	cst=$(printf '%.3f' "$best")
	agree=- cls=- ratio='' cd=- inratio=-
	if [ "$status" -gt 1 ]; then
		# exit 3: a resource limit (here: --timeout).
		case $status in
		3) cst=">$tmo (3)" agree=TIMEOUT ;;
		*) cst="exit $status" agree=ERROR ;;
		esac
		ERRORS=$((ERRORS + 1))
	else
		cc_sets "$D/$name.json" >"$D/$name.cc.sets"
		cd=$(awk '$1 == "C" { c++ } $1 == "D" { d++ }
		    END { printf "%d/%d", c, d }' "$D/$name.cc.sets")
	fi
	if [ "$asp" = 1 ]; then
		cbest='' j=0 crc=0 cin=''
		while [ $j -lt "$runs" ]; do
			timed "$D/$name.clingo" "$D/$name.clingo.err" 0 \
			    clingo --enum-mode=brave -q1 --outf=0 "$lp"
			crc=$M_RC
			cbest=$(fmin "$cbest" "$M_T")
			in=$(asp_inproc "$D/$name.clingo")
			[ -n "$in" ] && cin=$(fmin "$cin" "$in")
			j=$((j + 1))
		done
		cls=$(printf '%.3f' "$cbest")
		# clingo: 10 SAT, 20 UNSAT, +1 interrupted; 30 = SAT, exhausted.
		if [ "$status" -le 1 ]; then
			ratio=$(awk -v a="$cbest" -v b="$best" \
			    'BEGIN { printf "%.1f", a / b }')
			[ -n "$cin" ] && [ -n "$inbest" ] &&
			    inratio=$(awk -v a="$cin" -v b="$inbest" \
			    'BEGIN { printf "%.1f", (b > 0) ? a / b : 0 }')
			if [ $crc -ne 30 ] && [ $crc -ne 10 ] ||
			    ! asp_sets "$D/$name.clingo" "$nc" \
			    >"$D/$name.asp.sets"; then
				agree="CLINGO?"
				ERRORS=$((ERRORS + 1))
			elif cmp -s "$D/$name.cc.sets" "$D/$name.asp.sets"; then
				agree=yes
			else
				agree=MISMATCH
				MISMATCHES=$((MISMATCHES + 1))
			fi
		fi
	fi
	if [ $HAVE_CLINGO = 1 ]; then
		printf '%-8s %9s %6s %5s %9s %11s %8s %9s %8s %8s %5s\n' \
		    "$name" "$sits" "$nc" "$nr" "$cd" "$cst" "$mb" "$cls" \
		    "${ratio:--}" "$inratio" "$agree"
	else
		printf '%-6s %9s %6s %5s %9s %11s %8s %5s\n' "$name" "$sits" \
		    "$nc" "$nr" "$cd" "$cst" "$mb" "$agree"
	fi
	if [ "$agree" = MISMATCH ]; then
		echo "!!!!!!!! MISMATCH: charcheck and clingo disagree on $name" \
		    "(< charcheck, > clingo):"
		diff "$D/$name.cc.sets" "$D/$name.asp.sets" | sed -n 1,20p
	fi
	if [ "$status" -gt 1 ] && [ "$status" -ne 3 ]; then
		echo "!!!!!!!! charcheck exited $status on $char:"
		sed -n 1,5p "$D/$name.err"
	fi
}

echo "charcheck benchmark: $CHK, best of $RUNS runs, $OBS observations," \
    "seed $SEED, 2 values a feature"
# Which tree was measured, so tables can be compared across commits.
rev=$(git rev-parse --short HEAD 2>/dev/null) &&
    { git diff --quiet HEAD 2>/dev/null || rev="$rev+changes"; } &&
    echo "tree: $rev, $(date -u +%Y-%m-%d), $(nproc 2>/dev/null || echo ?) cores"
if [ $HAVE_CLINGO = 1 ]; then
	echo "peer: $(clingo --version | sed -n 1p), guess-and-check encoding" \
	    "(bench/README.md), brave consequences"
else
	echo "clingo not installed (apt-get install gringo)"
fi
echo "wall time from fork to wait and peak RSS per run by bench/measure.c"
echo "cons/div: consistent / consistent-and-diverging characters"
[ $HAVE_CLINGO = 1 ] && echo "ratio = clingo s / charcheck s (above 1:" \
    "charcheck is faster); in-proc = the same ratio of the times each" \
    "reports for itself (charcheck --stats stages, clingo's Time), without" \
    "process creation; agree: same consistent and diverging sets"
echo
if [ "$MAIN" -gt 0 ]; then
	if [ $HAVE_CLINGO = 1 ]; then hdr "clingo s" ratio in-proc; else
		printf '%-6s %9s %6s %5s %9s %11s %8s %5s\n' size situations \
		    chars rules cons/div "charcheck s" "peak MB" agree
	fi
	# The main rows are models as users write them: no audit block,
	# so the audit plan over the training situations is part of each
	# run (issue 12); rows ending in "na" leave it out, for reference.
	echo "-- (a) large: 2^18 classes x 1000 characters x 8 rules, 2 hidden"
	row a 20 2 1000 8 training "$RUNS" "$AUDIT_TIMEOUT"
	row ana 20 2 1000 8 none "$RUNS"
	echo "-- (b) small: 2^10 classes x 200 characters"
	row b 12 2 200 8 training "$RUNS" "$AUDIT_TIMEOUT"
	echo "-- (c) growth in characters at 2^14 classes"
	row c250 16 2 250 8 training "$RUNS" "$AUDIT_TIMEOUT"
	row c500 16 2 500 8 training "$RUNS" "$AUDIT_TIMEOUT"
	row c1000 16 2 1000 8 training "$RUNS" "$AUDIT_TIMEOUT"
	row c1000na 16 2 1000 8 none "$RUNS"
	row c2000 16 2 2000 8 training "$RUNS" "$AUDIT_TIMEOUT"
	echo "-- (d) hidden features: 2^16 classes, 500 characters," \
	    "0/2/4 hidden"
	row d0 16 0 500 8 training "$RUNS" "$AUDIT_TIMEOUT"
	row d2 18 2 500 8 training "$RUNS" "$AUDIT_TIMEOUT"
	row d4 20 4 500 8 training "$RUNS" "$AUDIT_TIMEOUT"
	echo "-- (s) schemer-heavy: every character copies the intended" \
	    "rules and acts differently somewhere unwatched"
	GENX="--schemers all"
	row s16 16 2 1000 8 training "$RUNS" "$AUDIT_TIMEOUT"
	row s20 20 2 1000 8 training "$RUNS" "$AUDIT_TIMEOUT"
	GENX=
	echo "-- (h) many hidden features: 2^20 situations, 8 hidden" \
	    "(2^12 classes)"
	row h20 20 8 1000 8 training "$RUNS" "$AUDIT_TIMEOUT"
	echo "-- (st) stochastic characters, many hidden features: 8 hidden," \
	    "each weighted (none lumped away), 40% of the characters play" \
	    "distributions, every third observation a count log"
	GENX="--stochastic 0.4 --hidden-weights all"
	row st16 16 8 1000 8 training "$RUNS" "$AUDIT_TIMEOUT"
	row st20 20 8 1000 8 training "$RUNS" "$AUDIT_TIMEOUT"
	# tolerance and frequency bounds are sums over the situations: no
	# faithful answer-set encoding (bench/README.md), clingo prints "-".
	GENX="$GENX --tolerance 0.05 --bounds at-least" NOLP=1
	row st20t 20 8 1000 8 training "$RUNS" "$AUDIT_TIMEOUT"
	GENX='' NOLP=''
	echo "-- (m) medium audits with a wide gap, once GLPK's MIP for" \
	    "seconds: 1,500 characters at 2^16, and schemer-heavy at 2^14"
	row m16 16 2 1500 8 training "$RUNS" "$AUDIT_TIMEOUT"
	GENX="--schemers all"
	row m14s 14 2 1500 8 training "$RUNS" "$AUDIT_TIMEOUT"
	GENX=
	echo "-- (k) past the bitset limit: 2^32 situations, 2^10 classes," \
	    "22 hidden (20 mentioned nowhere: lumped)"
	row k 32 22 200 8 training "$RUNS" "$AUDIT_TIMEOUT"
	row k1000 32 22 1000 8 training "$RUNS" "$AUDIT_TIMEOUT"
	echo
fi

# ------------------------------------------------------------------
# Cliffs on the default path (issue 12): each a single model that once
# took seconds or worse.  Best of RUNS (one when over SLOW), capped at
# XTIMEOUT; in-proc is the sum of charcheck's --stats stages.
# ------------------------------------------------------------------
# cliff NAME WHAT CMD...
cliff() {
	cn=$1 cw=$2
	shift 2
	cb='' ck='' ci='' j=0 crc=0
	while [ $j -lt "$RUNS" ]; do
		timed "$D/$cn.out" "$D/$cn.err" "${XTIMEOUT:-60}" "$@"
		crc=$M_RC
		cb=$(fmin "$cb" "$M_T")
		ck=$(fmax "$ck" "$M_KB")
		in=$(cc_inproc "$D/$cn.err")
		[ -n "$in" ] && ci=$(fmin "$ci" "$in")
		j=$((j + 1))
		[ "$crc" -eq 124 ] && break
		awk -v t="$M_T" -v s="${SLOW:-2}" 'BEGIN { exit !(t > s) }' &&
		    break
	done
	ct=$(printf '%.3f' "$cb")
	[ "$crc" -eq 124 ] && ct="> ${XTIMEOUT:-60} (TIMEOUT)"
	printf '%-10s %-44s %14s %9s %8s %5s\n' "$cn" "$cw" "$ct" \
	    "${ci:--}" "$(awk -v k="$ck" 'BEGIN { printf "%.1f", k / 1024 }')" \
	    "$crc"
}

if [ "${CLIFFS:-1}" -gt 0 ]; then
	echo "Cliffs (issue 12): wall s (best), in-proc s (--stats), peak MB," \
	    "exit status"
	printf '%-10s %-44s %14s %9s %8s %5s\n' cliff model "charcheck s" \
	    in-proc "peak MB" exit
	# 8,000 consistent characters and a failing set check that lists
	# them all: the CI printers' name lists.
	awk 'BEGIN { print "feature x { a, b }"; print "action go, stop"
		print "intended { otherwise -> go }"
		for (i = 0; i < 8000; i++)
			printf "character c%d { otherwise -> go }\n", i
		print "training { situations true }"
		print "deployment { situations true }"
		print "check consistent = { c0 }" }' >"$D/names8k.char"
	for f in text github sarif junit; do
		cliff "names-$f" "8,000 names in one check, --format $f" \
		    "$CHK" --stats --format "$f" "$D/names8k.char"
	done
	# A count observation of 10^6 draws on a small model as users write
	# it (models/alignment_faking.char with its counts scaled up).
	sed -e 's/refuse 858, comply 142/refuse 858000, comply 142000/' \
	    models/alignment_faking.char >"$D/draws6.char"
	cliff draws6 "10^6 counted draws (alignment_faking)" \
	    "$CHK" --stats "$D/draws6.char"
	cliff draws6j "the same, --format json" \
	    "$CHK" --stats --format json "$D/draws6.char"
	# 1,000 characters with 3 rules that can never fire each: 3,000
	# warnings, of which stderr shows the first 10.
	awk 'BEGIN { print "feature x { a, b }"; print "feature y { p, q }"
		print "action go, stop"; print "intended { otherwise -> go }"
		for (i = 0; i < 1000; i++) {
			printf "character c%d {\n  otherwise -> go\n", i
			print "  x == a -> stop\n  y == q -> stop\n  x == b -> go\n}"
		}
		print "training { situations true }"
		print "deployment { situations true }" }' >"$D/warn3k.char"
	cliff warn3k "3,000 'can never fire' warnings" \
	    "$CHK" --stats "$D/warn3k.char"
	echo "warn3k: $(grep -c 'warning:' "$D/warn3k.err") warning lines" \
	    "on stderr; names-github: $(wc -c <"$D/names-github.out") bytes"
	echo
fi

# Growth: time per class x character x rule in (c) should stay flat.
if [ -n "$T_c250" ] && [ -n "$T_c500" ] && [ -n "$T_c1000" ] &&
    [ -n "$T_c2000" ]; then
	echo "growth (c): ns per class*character*rule:" "$(awk \
    -v a="$T_c250" -v b="$T_c500" -v c="$T_c1000" -v d="$T_c2000" 'BEGIN {
	k = 16384 * 8
	printf "%.2f, %.2f, %.2f, %.2f (250, 500, 1000, 2000 characters);" \
	    " marginal 250->2000: %.2f",
	    a * 1e9 / (k * 250), b * 1e9 / (k * 500), c * 1e9 / (k * 1000),
	    d * 1e9 / (k * 2000), (d - a) * 1e9 / (k * 1750) }')"
fi

# Physical limit: the engine's inner loop is, per character and rule, one
# pass `fire = guard & ~covered; covered |= fire` over class bitsets: two
# streams of classes/8 bytes read (the writes stay in cache at these
# sizes).  So bytes >= characters * rules * classes/8 * 2.
bw=
[ "$MAIN" -gt 0 ] && bw=$("$BW")
[ -n "$bw" ] && for r in a c2000; do
	case $r in
	a) nc=1000 cls=262144 t=$T_a ;;
	c2000) nc=2000 cls=16384 t=$T_c2000 ;;
	esac
	[ -n "$t" ] || continue
	awk -v nc="$nc" -v cls="$cls" -v bw="$bw" -v t="$t" -v r="$r" 'BEGIN {
		bytes = nc * 8 * cls / 8 * 2
		lim = bytes / bw
		printf "physical limit (%s): %d chars x 8 rules x %d classes/8 x 2" \
		    " = %.0f MB over %.1f GB/s (2 read streams, measured) =" \
		    " %.4f s; charcheck %.3f s = %.0fx the limit\n", r, nc, cls,
		    bytes / 1e6, bw / 1e9, lim, t, t / lim }'
done

# ------------------------------------------------------------------
# Sections f-j: the prior-set LPs, the audit plan, the sweep, families
# and optimizers.  Each row: wall time best of RUNS (a run over SLOW
# seconds is not repeated), peak memory, a goal, and a sanity check of
# what charcheck reported.  Runs are capped at XTIMEOUT seconds.
# ------------------------------------------------------------------

# xrun NAME CMD...: runs CMD (stdout NAME.out, stderr NAME.err) up to RUNS
# times.  Sets X_T (best wall seconds), X_MB (peak MB or -), X_RC (last
# exit status; 124 = timed out) and X_N (runs done).
xrun() {
	xn=$1
	shift
	X_T='' X_MB=- X_RC=0 X_N=0 xmem=''
	while [ $X_N -lt "$RUNS" ]; do
		timed "$D/$xn.out" "$D/$xn.err" "$XTIMEOUT" "$@"
		X_RC=$M_RC
		xmem=$(fmax "$xmem" "$M_KB")
		X_N=$((X_N + 1))
		[ "$X_RC" -eq 124 ] && break
		dt=$M_T
		X_T=$(fmin "$X_T" "$dt")
		[ "$X_RC" -gt 1 ] && break
		awk -v d="$dt" -v s="$SLOW" 'BEGIN { exit !(d > s) }' && break
	done
	[ -n "$xmem" ] && X_MB=$(awk -v k="$xmem" \
	    'BEGIN { printf "%.1f", k / 1024 }')
}

# xprint NAME WHAT GOAL CHECK: one table line from the last xrun.  GOAL is
# seconds or - (report only); met is yes/NO against the best time.
xprint() {
	xs=$(printf '%.3f' "${X_T:-0}") met=-
	if [ "$X_RC" -eq 124 ]; then
		xs="> $XTIMEOUT s (TIMEOUT)"
		[ "$3" != - ] && met=NO
	elif [ "$X_RC" -gt 1 ]; then
		xs="exit $X_RC" met=ERROR
		ERRORS=$((ERRORS + 1))
	elif [ "$3" != - ]; then
		met=$(awk -v t="$X_T" -v g="$3" \
		    'BEGIN { print (t <= g) ? "yes" : "NO" }')
	fi
	xg=$3
	[ "$xg" != - ] && xg="<= $xg s"
	printf '%-7s %-38s %4s %16s %8s %9s %5s  %s\n' "$1" "$2" "$X_N" \
	    "$xs" "$X_MB" "$xg" "$met" "$4"
	if [ "$X_RC" -gt 1 ] && [ "$X_RC" -ne 124 ]; then
		echo "!!!!!!!! charcheck exited $X_RC ($1):"
		sed -n 1,5p "$D/$1.err"
	fi
}

# xgen NAME ARGS...: the model NAME.char, and its generator command.
xgen() {
	xn=$1
	shift
	"$GEN" "$@" --seed $SEED --out "$D/$xn.char" || exit 2
	echo "$GEN $* --seed $SEED --out $D/$xn.char" >"$D/$xn.cmd"
}

# P(diverge) interval of a JSON report, "lo hi" (or nothing).
jdiverge() {
	tr -d ' \n\t\r' <"$1" | grep -o '"diverge":\[[^]]*\]' |
	    sed 's/.*\[//; s/\]//; s/,/ /'
}

# Check of a posterior-bounds run: status, no "empty" prior set, a
# defined interval inside [0, 1]; with a second report, the same bounds
# (within 1e-6) and "verified": true.
pcheck() {
	[ "$X_RC" -gt 1 ] && { echo -; return; }
	if grep -q 'prior set is empty' "$D/$1.err" "$D/$1.out"; then
		echo "BAD: prior set is empty"
		return
	fi
	b=$(jdiverge "$D/$1.out")
	[ -n "$b" ] || { echo "BAD: no posterior"; return; }
	if [ -n "${2:-}" ]; then
		v=verified
		tr -d ' \n\t\r' <"$D/$1.out" | grep -q '"verified":true' ||
		    v="BAD: not verified"
		awk -v b="$b" -v c="$(jdiverge "$D/$2.out")" -v v="$v" 'BEGIN {
			split(b, x, " "); split(c, y, " ")
			d = x[1] - y[1]; e = x[2] - y[2]
			ok = (d < 1e-6 && d > -1e-6 && e < 1e-6 && e > -1e-6)
			printf "[%.6f, %.6f] %s, %s\n", x[1], x[2], v,
			    ok ? "= plain" : "BAD: differs from plain"
		}'
		return
	fi
	awk -v b="$b" 'BEGIN { split(b, x, " ")
		ok = 0 <= x[1] && x[1] <= x[2] && x[2] <= 1
		printf "P(diverge) in [%.6f, %.6f]%s\n", x[1], x[2],
		    ok ? "" : " BAD" }'
}

# Check of a sweep: 101 factor lines (0, 0.1, ... 10), P within [0, 1].
scheck() {
	[ "$X_RC" -gt 1 ] && { echo -; return; }
	awk '$1 ~ /^[0-9.]+$/ && NF >= 2 {
		n++; lp = ($2 ~ /^\[/); s = $0; gsub(/[][,]/, " ", s)
		split(s, t, " ")
		if (t[2] + 0 < 0 || t[2] + 0 > 1) bad++
		if (lp && (t[3] + 0 < t[2] + 0 || t[3] + 0 > 1)) bad++
	} END {
		printf "%d points%s\n", n,
		    (n == 101 && !bad) ? ", P in [0, 1]" : " BAD"
	}' "$D/$1.out"
}

# Check of the family: members, consistent and diverging members against
# the closed form the generator wrote (// expect ..., evaluated by bc),
# and the witnesses.
fcheck() {
	[ "$X_RC" -gt 1 ] && { echo -; return; }
	command -v bc >/dev/null 2>&1 || { echo "(no bc: counts unchecked)"
		return; }
	j=$(tr -d ' \n\t\r' <"$D/$1.out")
	big() {
		BC_LINE_LENGTH=0 bc | tr -d '\\\n'
	}
	em=$(sed -n 's,^// expect members ,,p' "$D/$1.char")
	ec=$(sed -n 's,^// expect consistent ,,p' "$D/$1.char")
	en=$(sed -n 's,^// expect nondiverging ,,p' "$D/$1.char")
	r=ok
	for k in members consistent_members diverging_members; do
		case $k in
		members) e=$(echo "$em" | big) ;;
		consistent_members) e=$(echo "$ec" | big) ;;
		*) e=$(echo "$ec - ($en)" | big) ;;
		esac
		g=$(echo "$j" | grep -o "\"$k\":\"[0-9]*\"" | tr -dc 0-9)
		[ "$e" = "$g" ] || r="BAD $k"
	done
	for k in witness first_member first_consistent_member \
	    first_diverging_member; do
		echo "$j" | grep -q "\"$k\":[[{]" || r="$r, no $k"
	done
	echo "$em, $ec, $ec-($en): $r"
}

# Check of the optimizers: consistent exactly when horizon >= h*
# (the penalty only favours the target as h grows: h > h* is consistent,
# h < h* is not), deceptive => h > 0 (refuted at 0), proxy => h* = 0.
# h* = 0 with `deceptive` is an infimum: a tie at h = 0 goes to a
# non-target action, any h > 0 breaks it (counted as "h*=0").
ocheck() {
	[ "$X_RC" -gt 1 ] && { echo -; return; }
	awk '/^optimizer / { n = $2 } /^  horizon / { print "H", n, $2 }' \
	    "$D/$1.char" >"$D/$1.h"
	tr -d ' \n\t\r' <"$D/$1.out" | tr ',{}' '[\n*3]' | awk -F: '
	/^"name":/ { n = $2; gsub(/"/, "", n) }
	/^"consistent":/ { c[n] = ($2 == "true") }
	/^"critical_horizon":/ { h = $2; gsub(/"/, "", h); hs[n] = h }
	/^"label":/ { l = $2; gsub(/"/, "", l); lb[n] = l }
	END { for (k in hs) print "E", k, c[k], hs[k], lb[k] }' |
	    cat "$D/$1.h" - | awk '
	$1 == "H" { h[$2] = $3; next }
	{
		n++; hs = $4; inf = (hs == "inf"); x = h[$2] + 0
		if ($3) cons++
		if ($5 == "deceptive") {
			dec++
			if (inf || x <= 0) bad++
			if (hs == "0") dec0++
		}
		if ($5 == "proxy") { prx++; if (inf || hs + 0 != 0) bad++ }
		if ($3 && (inf || x < hs + 0)) bad++
		if (!$3 && !inf && x > hs + 0) bad++
		if (inf) ninf++
	} END {
		printf "%d: %d consistent (%d deceptive, %d of them h*=0;" \
		    " %d proxy), %d h*=inf; consistent <=> h >= h*: %s\n",
		    n, cons, dec, dec0, prx, ninf,
		    bad ? bad " BAD" : "ok"
	}'
}

if [ "$EXTRAS" -gt 0 ]; then
	echo
	echo "Sections f-j: best of $RUNS runs (a run over $SLOW s is not" \
	    "repeated; runs = runs done), capped at $XTIMEOUT s; generator" \
	    "commands in $D/NAME.cmd"
	printf '%-7s %-38s %4s %16s %8s %9s %5s  %s\n' row model runs \
	    "charcheck s" "peak MB" goal met check
	PB="--features 6 --values 2 --hidden 1 --rules 4 --observations 4"
	PB="$PB --audit none --priors interval --constraints 20"
	echo "-- (f) posterior bounds (LP): 2^6 situations, interval priors," \
	    "20 constraints"
	# shellcheck disable=SC2086
	xgen f1k $PB --characters 1000
	xrun f1k "$CHK" --format json "$D/f1k.char"
	xprint f1k "1,000 characters" - "$(pcheck f1k)"
	xrun f1kx "$CHK" --exact --format json "$D/f1k.char"
	xprint f1kx "1,000 characters, --exact" - "$(pcheck f1kx f1k)"
	# shellcheck disable=SC2086
	xgen f10k $PB --characters 10000
	xrun f10k "$CHK" --format json "$D/f10k.char"
	f10krc=$X_RC
	xprint f10k "10,000 characters" 1 "$(pcheck f10k)"
	if [ "$f10krc" -eq 124 ]; then
		# --exact solves the same LPs, then verifies them.
		printf '%-7s %-38s %4s %16s %8s %9s %5s  %s\n' f10kx \
		    "10,000 characters, --exact" 0 "> $XTIMEOUT s" - - - \
		    "not run: the plain run timed out"
	else
		xrun f10kx "$CHK" --exact --format json "$D/f10k.char"
		xprint f10kx "10,000 characters, --exact" 1 \
		    "$(pcheck f10kx f10k)"
	fi

	echo "-- (g) audit plan: audit { situations true } over 2^12" \
	    "situations"
	xgen g --features 12 --values 2 --hidden 2 --characters 340 \
	    --rules 8 --observations $OBS --audit all --schemers all
	xrun g "$CHK" --format json "$D/g.char"
	cc_sets "$D/g.out" >"$D/g.cc.sets"
	gck=-
	[ "$X_RC" -le 1 ] && gck=$(tr -d ' \n\t\r' <"$D/g.out" | awk -v s="$D/g.cc.sets" '{
		ps = $0; sub(/.*"plan_size":/, "", ps); sub(/[^0-9].*/, "", ps)
		u = $0; sub(/.*"undetectable":\[/, "", u); sub(/\].*/, "", u)
		nu = (u == "") ? 0 : split(u, t, ",")
		while ((getline l < s) > 0) {
			if (l ~ /^C /) c++
			if (l ~ /^D /) d++
		}
		ok = d > 0 && (ps > 0 || nu == d) && ps <= d
		printf "%d cons, %d div: plan %d situations," \
		    " %d undetectable%s", c, d, ps, nu, ok ? "" : " BAD"
	}')
	xprint g "340 schemers x 8 rules, 2^10 classes" - "$gck"

	echo "-- (h) sweep --data boost --from 0 --to 10 --steps 100:" \
	    "2^12 situations, 200 characters, trait on ~30%"
	SB="--features 12 --values 2 --hidden 2 --characters 200 --rules 8"
	SB="$SB --observations $OBS --audit none --data 10"
	# shellcheck disable=SC2086
	xgen hlp $SB --priors interval
	xrun hlp "$CHK" sweep "$D/hlp.char" --data boost --from 0 --to 10 \
	    --steps 100
	xprint hlp "interval priors: 4 LPs a step" - "$(scheck hlp)"
	# shellcheck disable=SC2086
	xgen hx $SB --priors point
	xrun hx "$CHK" sweep "$D/hx.char" --data boost --from 0 --to 10 \
	    --steps 100
	xprint hx "point priors: exact rationals" - "$(scheck hx)"

	echo "-- (i) family f over f0..f15: 2^16 cells, 4 actions," \
	    "4 always-observations, no character"
	xgen i --features 16 --values 2 --hidden 0 --characters 0 --rules 8 \
	    --observations 4 --audit none --family all
	# Timed with the text report; the JSON one (checked below) spends
	# another ~0.07 s printing 39,000-digit counts and 3 x 65,536
	# first-member entries.
	xrun i "$CHK" "$D/i.char"
	"$CHK" --format json "$D/i.char" >"$D/i.out" 2>/dev/null
	xprint i "counts and witnesses, 4^65536 members" 0.05 "$(fcheck i)"

	echo "-- (j) 1,000 optimizers over 2^16 situations (2^14 classes)," \
	    "4 always-observations"
	xgen j --features 16 --values 2 --hidden 2 --characters 0 --rules 8 \
	    --observations 4 --audit none --optimizers 1000
	xrun j "$CHK" --format json "$D/j.char"
	xprint j "policies, judgements, critical horizons" - "$(ocheck j)"
fi

if [ $MISMATCHES -gt 0 ]; then
	echo
	echo "!!!!!!!! MISMATCH: $MISMATCHES size(s) where charcheck and clingo" \
	    "disagree on the sets (see above and $D/*.sets)"
fi
[ $ERRORS -gt 0 ] && echo "note: $ERRORS size(s) with an error or a" \
    "timeout (see $D/*.err)"
exit 0
