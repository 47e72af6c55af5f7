#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# e2e-kernel.sh FLAVOR-SIDE... - build make e2e's kernels: for make e2e,
# and for the x86_64 KUnit cells that boot them (a kunit/cells/*.config
# with an "#e2e: FLAVOR" line) instead of building kernels of their own.
#
# A kernel is tinyconfig + scripts/configs/e2e-x86_64.config +
# scripts/configs/e2e-FLAVOR.config + scripts/configs/e2e-kunit.config +
# the project's KUnit suites (kunit/*.kunitconfig; not for a flavor
# without KUnit, see fragment()), of the baseline
# (SIDE=baseline) or of the series' tip (SIDE=series).  Both sides get the
# same configuration; the suites exist only at the tip, and KUnit does not
# run at boot unless told to (kunit.enable=1, which kunit.py passes), so
# make e2e's own boots run no test.
#
# bzImage in $BUILD/e2e/FLAVOR-SIDE, built from $BUILD/e2e-src (a clone of
# the series repository); not rebuilt while the commit, the configuration
# and the compiler stay the same.
set -uo pipefail
me=scripts/e2e-kernel.sh
OUT=${OUT:-out} BUILD=${BUILD:-build}
SRC=$BUILD/e2e-src
B=$BUILD/e2e
JOBS=${JOBS:-$(nproc)}
. scripts/series-lib.sh
. scripts/kbuild-lib.sh
. scripts/e2e-lib.sh

die() { echo "$me: $*" >&2; exit 1; }

[ $# -gt 0 ] || die "usage: $me FLAVOR-SIDE..."
[ -f "$OUT/series/series.json" ] || die "$OUT/series/series.json: no series; run make first"
base=$(series_base)
tip=$(series_commits | tail -n 1)
[ -n "$tip" ] || die "$OUT/series/series.json: no patches"

# The clone, with the series under test, unless it already has it.
if ! git -C "$SRC" cat-file -e "$tip^{commit}" 2>/dev/null; then
	e2e_prepare_src
fi
mkdir -p "$B"

# fragment FLAVOR: the configuration fragment of FLAVOR's kernels; a
# flavor whose fragment has the line "#e2e-kernel: no-kunit" gets no
# KUnit (make bench's "perf").
fragment() {
	local flavor=$1 suites
	cat scripts/configs/e2e-x86_64.config "scripts/configs/e2e-$flavor.config"
	grep -qx '#e2e-kernel: no-kunit' "scripts/configs/e2e-$flavor.config" && return
	cat scripts/configs/e2e-kunit.config
	# The suites' options (CONFIG_KUNIT=y is in e2e-kunit.config).
	cat kunit/*.kunitconfig | grep -vx 'CONFIG_KUNIT=y'
	suites=$(sed -n 's/^CONFIG_\([A-Z0-9_]*\)=y$/\1/p' kunit/*.kunitconfig |
		grep -vx KUNIT | sort -u | tr '\n' ' ')
	echo "# The suites exist only at the series' tip."
	echo "#optional: $suites"
}

# build FLAVOR SIDE: bzImage of SIDE in $B/FLAVOR-SIDE
build() {
	local flavor=$1 side=$2 dir=$B/$1-$2 frag=$B/$1.config sha stamp t0
	case $side in
	baseline) sha=$base ;;
	series) sha=$tip ;;
	*) die "$flavor-$side: a kernel is FLAVOR-baseline or FLAVOR-series" ;;
	esac
	[ -f "scripts/configs/e2e-$flavor.config" ] ||
		die "$flavor-$side: no scripts/configs/e2e-$flavor.config"
	fragment "$flavor" > "$frag"
	stamp="$sha $(sha1sum < "$frag" | cut -c1-12) $(gcc -dumpfullversion)"
	if [ "$(cat "$dir/.e2e-built" 2>/dev/null)" = "$stamp" ] &&
	   [ -f "$dir/arch/x86/boot/bzImage" ]; then
		echo "  kernel $flavor-$side: $sha already built"
		return 0
	fi
	t0=$(date +%s)
	git -C "$SRC" checkout -q --detach "$sha" || return 1
	configure "$dir" tinyconfig "$frag" > "$dir.log" 2>&1 ||
		{ cat "$dir.log" >&2; return 1; }
	make -C "$SRC" O="$(realpath "$dir")" -j"$JOBS" bzImage >> "$dir.log" 2>&1 ||
		{ echo "$me: kernel $flavor-$side did not build, see $dir.log" >&2; return 1; }
	echo "$stamp" > "$dir/.e2e-built"
	echo "  kernel $flavor-$side built ($(( $(date +%s) - t0 ))s)"
}

rc=0
for k; do
	build "${k%-*}" "${k##*-}" || rc=1
done
exit $rc
