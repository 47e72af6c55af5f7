#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check-kunit.sh - every KUnit suite of the project, in every cell of
# kunit/cells/, through the series tree's tools/testing/kunit/kunit.py.
#
# A cell is a kernel: kunit/cells/CELL.config holds its options and, on a
# "#kunit.py:" line, kunit.py's arguments (architecture, QEMU CPUs).
# Every kunit/*.kunitconfig is merged into it.  Each test case is one
# check, read from kunit.py's JSON; one more check per cell reads the
# kernel log for lockdep, RCU, KASAN, KCSAN and atomic-sleep reports.
set -uo pipefail
. scripts/check-lib.sh
me=scripts/check-kunit.sh

suites=()
for k in kunit/*.kunitconfig; do
	suites+=("--kunitconfig=$(realpath "$k")")
done
[ ${#suites[@]} -gt 0 ] || { echo "$me: no kunit/*.kunitconfig" >&2; exit 1; }

for cellcfg in kunit/cells/*.config; do
	cell=$(basename "$cellcfg" .config)
	eval "args=($(sed -n 's/^#kunit.py: *//p' "$cellcfg"))"
	build=build/kunit/$cell
	json=$CHECK_LOGS/kunit-$cell.json
	log=$CHECK_LOGS/kunit-$cell.log
	mkdir -p "$build"
	# Never read a previous run's results or kernel log.
	rm -f "$json" "$build/test.log"
	t0=$(date +%s)
	(cd out/linux && ./tools/testing/kunit/kunit.py run "${args[@]}" "${suites[@]}" \
		--kunitconfig="$(realpath "../../$cellcfg")" \
		--build_dir="$(realpath "../../$build")" --jobs="$(nproc)" \
		--timeout=900 --json="$(realpath "../../$json")") > "$log" 2>&1
	scripts/kunit-results.py "$cell" "$json" "$build/test.log" "$log" $(( $(date +%s) - t0 ))
done
