#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check.sh STAGE... - run the check stages in order (scripts/check-STAGE.*)
# on the default tree, then SECOND_CHECKS on each of SECOND_TREES, one line
# per check in out/check/results.tsv, and end with the tally "N passed, N
# failed".  Exits non-zero if any check failed.
#
# The default tree's series is in out/, its build trees in build/.  A
# second tree T (Debian's linux-source-T) has its own, in out/trees/T and
# build/trees/T; its checks are named "T:CHECK" in the results, and
# CHECK_SCOPE=second tells the stages to do their reduced form (see
# README, "The trees").
set -uo pipefail
me=scripts/check.sh

TOP_OUT=${OUT:-out}
CHECK_DIR=${CHECK_DIR:-$TOP_OUT/check}
rm -rf "$CHECK_DIR"
mkdir -p "$CHECK_DIR/logs"
RESULTS=$CHECK_DIR/results.tsv
STAGES=$CHECK_DIR/stages.tsv
: > "$RESULTS"
printf 'tree\tstage\tseconds\n' > "$STAGES"
t0=$(date +%s)

stamp() {
	printf '== %s  [%02d:%02d elapsed]\n' "$1" \
		$(( ($(date +%s) - t0) / 60 )) $(( ($(date +%s) - t0) % 60 ))
}

# run_stages RESULTS LOGS STAGE...: each stage records its own checks in
# RESULTS; a stage that dies is a failed check too.
run_stages() {
	local results=$1 logs=$2 stage script s0 log
	shift 2
	for stage in "$@"; do
		script=$(ls scripts/check-"$stage".* 2>/dev/null | head -n 1)
		stamp "$stage${TREE_LABEL:+ ($TREE_LABEL)}"
		if [ -z "$script" ]; then
			echo "$me: no script for stage $stage" >&2
			printf '%s\tfailed\t0\t-\n' "stage:$stage" >> "$results"
			continue
		fi
		s0=$(date +%s)
		log=$logs/stage-$stage.log
		if ! CHECK_RESULTS=$results CHECK_LOGS=$logs "$script" 2> >(tee "$log" >&2); then
			printf '%s\tfailed\t%s\t%s\n' "stage:$stage" \
				$(( $(date +%s) - s0 )) "$log" >> "$results"
			echo "  FAILED  stage $stage: $script exited non-zero (see $log)"
		fi
		printf '%s\t%s\t%s\n' "$TREE_LABEL" "$stage" \
			$(( $(date +%s) - s0 )) >> "$STAGES"
	done
}

# The default tree: every stage given.
TREE_LABEL=${KDIR:+KDIR}
TREE_LABEL=${TREE_LABEL:-${TREE:-7.3}}
# make's own regeneration of the default tree's series, before the checks.
printf '%s\tseries\t%s\n' "$TREE_LABEL" \
	"$(cat "$TOP_OUT/series/seconds" 2>/dev/null || echo 0)" >> "$STAGES"
# Which version of the series these results are of (scripts/cover-letter.py).
cp "$TOP_OUT/series/.inputs" "$CHECK_DIR/inputs" 2>/dev/null
run_stages "$RESULTS" "$CHECK_DIR/logs" "$@"

# Each second tree: its own series and the reduced set of stages.
for tree in ${SECOND_TREES:-}; do
	dir=$TOP_OUT/trees/$tree/check
	rm -rf "$dir"
	mkdir -p "$dir/logs"
	: > "$dir/results.tsv"
	(
		export TREE=$tree OUT=$TOP_OUT/trees/$tree BUILD=${BUILD:-build}/trees/$tree
		export CHECK_SCOPE=second
		unset KDIR
		TREE_LABEL=$tree
		run_stages "$dir/results.tsv" "$dir/logs" ${SECOND_CHECKS:-}
		cp "$OUT/series/.inputs" "$dir/inputs" 2>/dev/null
	)
	awk -F'\t' -v OFS='\t' -v t="$tree" '{ $1 = t ":" $1; print }' \
		"$dir/results.tsv" >> "$RESULTS"
done

# make check's own results: the cover letters say what they measured.
. scripts/series-lib.sh
if [ "$CHECK_DIR" = "$TOP_OUT/check" ]; then
	for out in "$TOP_OUT" $(for t in ${SECOND_TREES:-}; do echo "$TOP_OUT/trees/$t"; done); do
		[ -f "$out/series/series.json" ] || continue
		OUT=$out series_topics |
		while read -r name _ _ _ cover; do
			scripts/cover-letter.py "$out/series" "$name" "$cover" "$out/check/results.tsv" ||
				printf '%s\tfailed\t0\t-\n' "cover:$name" >> "$RESULTS"
		done
	done
fi

passed=$(awk -F'\t' '$2 == "passed"' "$RESULTS" | wc -l)
failed=$(awk -F'\t' '$2 == "failed"' "$RESULTS" | wc -l)
skipped=$(awk -F'\t' '$2 == "skipped"' "$RESULTS" | wc -l)
printf '== done in %d:%02d; results in %s\n' $(( ($(date +%s) - t0) / 60 )) \
	$(( ($(date +%s) - t0) % 60 )) "$RESULTS"
# Where the time went, stage by stage (also in stages.tsv).
awk -F'\t' 'NR > 1 { printf "  %-6s %-13s %3d:%02d\n", $1, $2, $3 / 60, $3 % 60 }' "$STAGES"
awk -F'\t' '$2 == "failed" { print "  failed: " $1 "  (" $4 ")" }' "$RESULTS"
if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
