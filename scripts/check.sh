#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check.sh STAGE... - run the check stages in order (scripts/check-STAGE.*),
# one line per check in out/check/results.tsv, and end with the tally
# "N passed, N failed".  Exits non-zero if any check failed.
set -uo pipefail
me=scripts/check.sh

OUT=${OUT:-out}/check
rm -rf "$OUT"
mkdir -p "$OUT/logs"
export CHECK_RESULTS=$OUT/results.tsv CHECK_LOGS=$OUT/logs
: > "$CHECK_RESULTS"
t0=$(date +%s)

for stage in "$@"; do
	script=$(ls scripts/check-"$stage".* 2>/dev/null | head -n 1)
	printf '== %s  [%02d:%02d elapsed]\n' "$stage" \
		$(( ($(date +%s) - t0) / 60 )) $(( ($(date +%s) - t0) % 60 ))
	if [ -z "$script" ]; then
		echo "$me: no script for stage $stage" >&2
		printf '%s\tfailed\t0\t-\n' "$stage" >> "$CHECK_RESULTS"
		continue
	fi
	s0=$(date +%s)
	log=$OUT/logs/stage-$stage.log
	# A stage records its own checks; if it dies, that is a failure too.
	if ! "$script" 2> >(tee "$log" >&2); then
		printf '%s\tfailed\t%s\t%s\n' "stage:$stage" \
			$(( $(date +%s) - s0 )) "$log" >> "$CHECK_RESULTS"
		echo "  FAILED  stage $stage: $script exited non-zero (see $log)"
	fi
done

passed=$(awk -F'\t' '$2 == "passed"' "$CHECK_RESULTS" | wc -l)
failed=$(awk -F'\t' '$2 == "failed"' "$CHECK_RESULTS" | wc -l)
skipped=$(awk -F'\t' '$2 == "skipped"' "$CHECK_RESULTS" | wc -l)
printf '== done in %d:%02d; results in %s\n' $(( ($(date +%s) - t0) / 60 )) \
	$(( ($(date +%s) - t0) % 60 )) "$CHECK_RESULTS"
awk -F'\t' '$2 == "failed" { print "  failed: " $1 "  (" $4 ")" }' "$CHECK_RESULTS"
if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
