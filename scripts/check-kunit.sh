#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check-kunit.sh - every KUnit suite of the project, in every cell of
# kunit/cells/, through the series tree's tools/testing/kunit/kunit.py.
#
# A cell is a kernel: kunit/cells/CELL.config holds its options and, on a
# "#kunit.py:" line, kunit.py's arguments (architecture, QEMU CPUs).
# Every kunit/*.kunitconfig is merged into it.  A cell with an "#e2e:
# FLAVOR" line builds nothing of its own: it boots make e2e's FLAVOR
# kernel of the series (scripts/e2e-kernel.sh), which has the suites built
# in, and its options must all be in that kernel's configuration.  Each test case is one
# check, read from kunit.py's JSON; one more check per cell reads the
# kernel log for lockdep, RCU, KASAN, KCSAN and atomic-sleep reports.
#
# A "#reference: NAME GLOB KERNEL_ARGS REGEX" line names a reference: the
# suites matching GLOB reproduce a bug the series fixes.  They run in a
# boot of their own (kunit.py exec of the same kernel, with KERNEL_ARGS),
# so that their report disturbs nothing else; the check passes only if
# their cases pass and the kernel log shows REGEX.  Reference suites are
# named *_reference; in a cell's main boot they skip and are not counted.
#
# The results are parsed again from the kernel log once
# scripts/console_replay.py has undone the records an nbcon console
# printed twice (a WARN taking the console over mid-line): kunit.py's own
# parse of the raw console breaks on the cut line.  The check
# kunit:console-replay shows on a real log that it must.
set -uo pipefail
. scripts/check-lib.sh
. scripts/kunit-lib.sh
me=scripts/check-kunit.sh

top=$PWD
# kunit.py's QEMU emulates: see scripts/qemu-tcg/qemu-system-x86_64.
export PATH=$top/scripts/qemu-tcg:$PATH
suites=()
for k in kunit/*.kunitconfig; do
	suites+=("--kunitconfig=$(realpath "$k")")
done
[ ${#suites[@]} -gt 0 ] || { echo "$me: no kunit/*.kunitconfig" >&2; exit 1; }

# missing_options CELL CONFIG: fails, naming them, if options of CELL are
# not in the kernel configuration CONFIG.
missing_options() {
	local missing
	missing=$(grep -E '^CONFIG_' "$1" | grep -vxFf "$2")
	[ -z "$missing" ] && return 0
	echo "$me: $1: options not in $2:" $missing
	return 1
}

# kernel_log BUILD KLOG JSON: KLOG is BUILD's console without nbcon's
# replays, and JSON kunit.py's parse of it.
kernel_log() {
	local n
	[ -f "$1/test.log" ] || return 0
	n=$(scripts/console_replay.py "$1/test.log" "$2") || return 1
	[ "$n" = 0 ] || echo "$me: undid $n nbcon replay(s) in $1/test.log"
	(cd "$OUT/linux" && ./tools/testing/kunit/kunit.py parse \
		--json="$(realpath -m "$3")" "$(realpath "$2")") > /dev/null
	[ -f "$3" ]
}

# kunit:console-replay: on a real arm64 console with cut KTAP lines,
# kunit.py must parse other cases than the console ran, and after the
# repair exactly those.
console_replay_test() {
	local t=$top/scripts/tests/console-replay d f
	d=$(realpath -m "$CHECK_LOGS/console-replay")
	mkdir -p "$d"
	scripts/console_replay.py "$t/kunit-arm64.log" "$d/repaired.log" &&
	diff -u "$t/kunit-arm64.expected" "$d/repaired.log" || return 1
	for f in "$t/kunit-arm64.log" "$t/kunit-arm64.expected" "$d/repaired.log"; do
		(cd "$OUT/linux" && ./tools/testing/kunit/kunit.py parse \
			--json="$d/$(basename "$f").json" "$f")
	done
	python3 - "$d"/kunit-arm64.log.json "$d"/kunit-arm64.expected.json \
		"$d"/repaired.log.json <<-'EOF'
	import json, sys
	def leaves(g, pre=""):
	    for c in g.get("test_cases", []):
	        yield f"{pre}.{c['name']}:{c['status']}"
	    for s in g.get("sub_groups", []):
	        yield from leaves(s, f"{pre}.{s['name']}")
	raw, expected, repaired = (list(leaves(json.load(open(p)))) for p in sys.argv[1:4])
	print("expected:", *expected, sep="\n  ")
	print("raw console:", *raw, sep="\n  ")
	print("repaired:", *repaired, sep="\n  ")
	sys.exit(0 if raw != expected and repaired == expected and expected else 1)
	EOF
}
check_run kunit:console-replay console_replay_test

cells=(kunit/cells/*.config)
# A second tree: the UML cell only.  KUNIT_CELLS="uml arm64-smp": those.
[ "${CHECK_SCOPE:-}" = second ] && cells=(kunit/cells/uml.config)
if [ -n "${KUNIT_CELLS:-}" ]; then
	cells=()
	for c in $KUNIT_CELLS; do cells+=("kunit/cells/$c.config"); done
fi
for cellcfg in "${cells[@]}"; do
	cell=$(basename "$cellcfg" .config)
	eval "args=($(sed -n 's/^#kunit.py: *//p' "$cellcfg"))"
	flavor=$(sed -n 's/^#e2e: *//p' "$cellcfg")
	build=$BUILD/kunit/$cell
	[ -n "$flavor" ] && build=$BUILD/e2e/$flavor-series
	json=$CHECK_LOGS/kunit-$cell.json
	ajson=$(realpath -m "$json")
	log=$CHECK_LOGS/kunit-$cell.log
	mkdir -p "$build"
	# Never read a previous run's results or kernel log.
	rm -f "$json" "$build/test.log"
	t0=$(date +%s)
	if [ -n "$flavor" ]; then
		# make e2e's kernel of the series, with the suites built in:
		# the cell's options must all be in its configuration.
		scripts/e2e-kernel.sh "$flavor-series" > "$log" 2>&1 &&
		missing_options "$cellcfg" "$build/.config" >> "$log" &&
		(cd "$OUT/linux" && ./tools/testing/kunit/kunit.py exec "${args[@]}" \
			--build_dir="$top/$build" --timeout=900 \
			--json="$ajson") >> "$log" 2>&1
	else
		(cd "$OUT/linux" && ./tools/testing/kunit/kunit.py run "${args[@]}" "${suites[@]}" \
			--kunitconfig="$top/$cellcfg" \
			--build_dir="$top/$build" --jobs="$(nproc)" \
			--timeout=900 --json="$ajson") > "$log" 2>&1
	fi
	# Reference suites (named *_reference) only count in their own boot.
	kernel_log "$build" "$CHECK_LOGS/kunit-$cell.kernel.log" "$json" >> "$log" 2>&1
	scripts/kunit-results.py "$cell" "$json" "$CHECK_LOGS/kunit-$cell.kernel.log" "$log" \
		$(( $(date +%s) - t0 )) "--ignore=*_reference.*"

	refs=$(sed -n 's/^#reference: *//p' "$cellcfg")
	while read -r line; do
		[ -n "$line" ] || continue
		eval "ref=($line)"
		rjson=$CHECK_LOGS/kunit-$cell-ref-${ref[0]}.json
		arjson=$(realpath -m "$rjson")
		rlog=$CHECK_LOGS/kunit-$cell-ref-${ref[0]}.log
		t0=$(date +%s)
		kunit_reference_boot "$OUT/linux" "$top/$build" "$arjson" "$rlog" \
			"${ref[2]}" "${ref[1]}" "${args[@]}"
		kernel_log "$build" "$CHECK_LOGS/kunit-$cell-ref-${ref[0]}.kernel.log" \
			"$rjson" >> "$rlog" 2>&1
		scripts/kunit-results.py "$cell" "$rjson" \
			"$CHECK_LOGS/kunit-$cell-ref-${ref[0]}.kernel.log" "$rlog" \
			$(( $(date +%s) - t0 )) "--reference=${ref[0]}" "--expect=${ref[3]}"
	done <<< "$refs"
done

scripts/kunit-matrix.py "$CHECK_RESULTS" "$CHECK_LOGS" "${CHECK_RESULTS%/*}/kunit-matrix.txt"
