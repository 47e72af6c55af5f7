# SPDX-License-Identifier: GPL-2.0
#
# kunit-lib.sh - what scripts/check-kunit.sh and scripts/mutate.sh share
# about KUnit boots; source it.

# kunit_reference_boot TREE BUILD JSON LOG KERNEL_ARGS GLOB [ARG...]: a
# reference boot, kunit.py exec of the kernel built in BUILD (absolute)
# from TREE, with KERNEL_ARGS and the suites GLOB matches and kunit.py's
# cell arguments ARG...; kunit.py's output goes to LOG, its parse to
# JSON (absolute), the console to BUILD/test.log.
kunit_reference_boot() {
	local tree=$1 build=$2 json=$3 log=$4 kargs=$5 glob=$6
	shift 6
	rm -f "$json" "$build/test.log"
	(cd "$tree" && ./tools/testing/kunit/kunit.py exec "$@" \
		--build_dir="$build" --timeout=300 \
		--kernel_args="$kargs" "$glob" \
		--json="$json") > "$log" 2>&1
}
