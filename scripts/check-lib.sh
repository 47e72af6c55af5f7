# SPDX-License-Identifier: GPL-2.0
#
# check-lib.sh - what every check stage shares; source it.
#
# A check is one line of $CHECK_RESULTS: name, status (passed, failed or
# skipped), seconds, log.  Stages record results; scripts/check.sh runs
# them and prints the tally.

: "${CHECK_RESULTS:?run the checks through scripts/check.sh}"
: "${CHECK_LOGS:?run the checks through scripts/check.sh}"

# check_record NAME STATUS SECONDS LOG [NOTE]
check_record() {
	local name=$1 status=$2 secs=$3 log=$4 note=${5:-}
	printf '%s\t%s\t%s\t%s\n' "$name" "$status" "$secs" "$log" >> "$CHECK_RESULTS"
	printf '  %-7s %s (%ss)%s\n' "${status^^}" "$name" "$secs" "${note:+: $note}"
}

# check_log NAME: the log file for check NAME
check_log() {
	echo "$CHECK_LOGS/$(echo "$1" | tr '/: ' '___').log"
}

# check_run NAME CMD...: run CMD, passed if it exits 0
check_run() {
	local name=$1 log t0 rc
	shift
	log=$(check_log "$name")
	t0=$(date +%s)
	"$@" > "$log" 2>&1
	rc=$?
	if [ $rc -eq 0 ]; then
		check_record "$name" passed $(( $(date +%s) - t0 )) "$log"
	else
		check_record "$name" failed $(( $(date +%s) - t0 )) "$log" \
			"$(tail -n 1 "$log" | cut -c1-100)"
	fi
	return 0
}

# The tree under test: its series in $OUT, its build trees in $BUILD
# (out and build for the default tree; see scripts/check.sh).
OUT=${OUT:-out} BUILD=${BUILD:-build}

# series_base, series_commits, series_files
. scripts/series-lib.sh
