#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check-coccicheck.sh - the project's semantic patches in report mode, on
# the directories each one converted:
#   coccicheck:SCRIPT:DIR            make coccicheck MODE=report on the
#                                    series tree: nothing left to convert;
#   coccicheck:SCRIPT:DIR:baseline   the same script on the baseline's
#                                    DIR: it does list the open-coded code.
set -uo pipefail
. scripts/check-lib.sh

reports() { grep -E '^[^ ]+:[0-9]+:[0-9]+-[0-9]+: ' "$1"; }

converted() {
	local script=$1 dir=$2
	make -C "$OUT/linux" coccicheck MODE=report COCCI="$(realpath "$script")" M="$dir" 2>&1
	echo "== report lines:"
	! reports /dev/stdin < <(make -s -C "$OUT/linux" coccicheck MODE=report \
		COCCI="$(realpath "$script")" M="$dir" 2>/dev/null)
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
