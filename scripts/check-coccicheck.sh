#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check-coccicheck.sh - the project's semantic patches in report mode, on
# the directories each one converted:
#   coccicheck:SCRIPT:DIR            make coccicheck MODE=report on the
#                                    series tree, with the script's copy
#                                    in scripts/coccinelle/api/ there:
#                                    nothing left to convert;
#   coccicheck:SCRIPT:DIR:baseline   the same script on the baseline's
#                                    DIR: it does list the open-coded code.
set -uo pipefail
. scripts/check-lib.sh
me=scripts/check-coccicheck.sh

reports() { grep -E '^[^ ]+:[0-9]+:[0-9]+-[0-9]+: ' "$1"; }

# intree SCRIPT: the path of SCRIPT's copy in the series tree
intree() {
	local f
	for f in "$OUT"/linux/scripts/coccinelle/api/*.cocci; do
		cmp -s "$f" "$1" && { echo "${f#"$OUT"/linux/}"; return 0; }
	done
	echo "$me: no copy of $1 in $OUT/linux/scripts/coccinelle/api/" >&2
	return 1
}

# A run that fails reports nothing either: it fails the check.
converted() {
	local script dir=$2 out rc
	script=$(intree "$1") || return 1
	echo "make coccicheck MODE=report COCCI=$script M=$dir"
	out=$(make -s -C "$OUT/linux" coccicheck MODE=report \
		COCCI="$(realpath "$OUT/linux/$script")" M="$dir" 2>&1)
	rc=$?
	echo "$out"
	[ $rc -eq 0 ] || { echo "$me: make coccicheck failed (exit $rc)"; return 1; }
	echo "== report lines:"
	! reports /dev/stdin <<< "$out"
}

baseline() {
	local script=$1 dir=$2 tmp opts
	tmp=$(mktemp -d)
	git -C "$OUT/linux" archive "$(series_base)" "$dir" | tar -x -C "$tmp"
	opts=$(grep '^// Options:' "$script" | cut -d: -f2)
	(cd "$tmp" && spatch -D report --very-quiet --sp-file "$OLDPWD/$script" $opts --dir "$dir") |
		tee "$tmp/out"
	echo "== report lines:"
	reports "$tmp/out"
	local rc=$?
	rm -rf "$tmp"
	return $rc
}

python3 -c '
import json, os
for p in json.load(open(os.environ.get("OUT", "out") + "/series/series.json"))["patches"]:
    for s in p["spatch"]:
        for d in sorted({os.path.dirname(m["file"]) for m in s["matched"] if m["file"].endswith(".c")}):
            print(s["script"], d)
' | while read -r script dir; do
	name=$(basename "$script" .cocci)
	check_run "coccicheck:$name:$dir" converted "$script" "$dir"
	check_run "coccicheck:$name:$dir:baseline" baseline "$script" "$dir"
done
