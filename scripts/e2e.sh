#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# e2e.sh - make e2e: the converted KVM and mm in booted kernels, before and
# after the series, with KVM's own selftests and a reaped VM process.
#
# For each flavor (scripts/configs/e2e-FLAVOR.config on top of tinyconfig
# and scripts/configs/e2e-x86_64.config: "debug" has lockdep, PROVE_RCU,
# DEBUG_ATOMIC_SLEEP and KASAN; "rt" is PREEMPT_RT with lockdep and
# DEBUG_ATOMIC_SLEEP), a kernel of the baseline and one of the series' tip
# (built by scripts/e2e-kernel.sh, with the KUnit suites in) boot under
# QEMU (-cpu max,+svm,+npt: KVM runs nested in the emulator) with
# an initramfs: scripts/e2e-init.c as /init, KVM selftests linked
# statically from the same tree, and the flavor's plan (below).
# scripts/e2e-report.py reads the consoles and writes out/e2e/table.txt.
#
#   E2E_FLAVORS   which flavors (default: "debug rt")
#   E2E_KERNELS   which kernels, FLAVOR-SIDE (default: every flavor on both
#                 sides; make check leaves out baseline-debug)
#   E2E_ROUNDS    reaper rounds per kernel (default 12)
#   E2E_OOM_ROUNDS  kernel OOM killer rounds per kernel (default 6; 0: none)
#   E2E_STEPS     which steps of the plan: any of "test reap oom" (the
#                 default, all of them)
#   E2E_OUT       where the consoles and the table go (default out/e2e)
#
# Kernels are built in build/e2e/FLAVOR-SIDE from build/e2e-src (a clone of
# the series repository) and not rebuilt while the commit and the
# configuration stay the same; the x86_64 KUnit cells boot the series'
# kernels too.  Run through scripts/check.sh (CHECK_RESULTS
# set), each result is also a check.
set -uo pipefail
me=scripts/e2e.sh
OUT=${OUT:-out} BUILD=${BUILD:-build}
SRC=$BUILD/e2e-src
B=$BUILD/e2e
E2E=${E2E_OUT:-$OUT/e2e}
FLAVORS=${E2E_FLAVORS:-debug rt}
ROUNDS=${E2E_ROUNDS:-12}
JOBS=${JOBS:-$(nproc)}
# make e2e's kernels print everything: the verdicts read the kernel's
# reports from the console.
LOGLEVEL=loglevel=7
. scripts/series-lib.sh
. scripts/e2e-lib.sh

die() { echo "$me: $*" >&2; exit 1; }

# The selftests each flavor runs, as plan lines: test NAME TIMEOUT PROGRAM
# ARG...  memslot_modification_stress_test's default 1 GiB per vCPU does
# not fit in the guest.  PREEMPT_RT has no THP, which
# set_memory_region_test asserts.
SELFTESTS_COMMON=(
	"demand_paging_test 900 demand_paging_test -b 256M"
	"kvm_page_table_test 900 kvm_page_table_test -b 256M"
	"memslot_modification_stress_test 900 memslot_modification_stress_test -b 64M -i 200"
)
# max_guest_memory_test is left out: in the baseline debug kernel under
# emulation its vCPUs never rendezvous, and the kernel oopses (a NULL call
# in __schedule() from kvm_arch_vcpu_ioctl_run()).
SELFTESTS_debug=("set_memory_region_test 1200 set_memory_region_test")
SELFTESTS_rt=()
# Run once more if they fail: memslot_modification_stress_test's guest
# now and then triple-faults (exit_reason=SHUTDOWN), on the baseline as on
# the series (README).  e2e-report.py accepts the second run only if the
# first failed exactly so; any other failure stands.
RETRY="memslot_modification_stress_test"
# The reaper's victim: a selftest that keeps its vCPUs faulting guest
# memory in while it adds and deletes memslots, so that the reap meets
# both invalidations and a memslot update.
VICTIM="memslot_modification_stress_test -b 64M -i 1000000"
# The kernel OOM killer's step: OOM_ROUNDS VMs of OOM_VM_MB, each in a
# memory cgroup that lets it grow by OOM_HEADROOM_MB once it has set up
# (e2e-init.c, "oom"): a few seconds of touching memory under the
# emulator.
OOM_ROUNDS=${E2E_OOM_ROUNDS:-6}
OOM_HEADROOM_MB=16
OOM_VM_MB=64

[ -f $OUT/series/series.json ] || die "$OUT/series/series.json: no series; run make first"
base=$(series_base)
tip=$(series_commits | tail -n 1)
[ -n "$tip" ] || die "$OUT/series/series.json: no patches"
if series_files | grep -q '^tools/'; then
	die "the series touches tools/: the selftests would differ between the kernels"
fi

KERNELS=${E2E_KERNELS:-}
if [ -z "$KERNELS" ]; then
	for f in $FLAVORS; do KERNELS+=" $f-baseline $f-series"; done
fi

mkdir -p "$B" "$E2E"
rm -f "$E2E"/*.console "$E2E"/*.plan "$E2E"/table.txt "$E2E"/e2e.json
e2e_prepare_src

# The selftests and /init.
e2e_userspace $(for l in "${SELFTESTS_COMMON[@]}" "${SELFTESTS_debug[@]}" $VICTIM; do
	set -- $l; echo "${3:-$1}"; done | grep _test | sort -u)

# plan FLAVOR: the plan /init runs
STEPS=" ${E2E_STEPS:-test reap oom} "
plan() {
	local flavor=$1 l
	local -n extra=SELFTESTS_$flavor
	[[ $STEPS == *" test "* ]] &&
	for l in "${SELFTESTS_COMMON[@]}" "${extra[@]}"; do
		set -- $l
		case " $RETRY " in
		*" $1 "*) echo "test-retry $1 $2 /kst/${*:3}" ;;
		*) echo "test $1 $2 /kst/${*:3}" ;;
		esac
	done
	[[ $STEPS == *" reap "* ]] && echo "reap $ROUNDS 400 300 /kst/$VICTIM"
	[[ $STEPS == *" oom "* ]] && [ "$OOM_ROUNDS" -gt 0 ] &&
		echo "oom $OOM_ROUNDS $OOM_HEADROOM_MB 300 /init oom-victim $OOM_VM_MB"
	return 0
}

# boot FLAVOR SIDE: the console of one run in $E2E/FLAVOR-SIDE.console
boot() {
	local name=$1-$2
	plan "$1" > "$E2E/$name.plan"
	e2e_boot "$name" "$E2E/$name.plan" "$E2E/$name.console" $LOGLEVEL
	[ $? != 1 ] || return 1
	echo "  kernel $name ran its plan ($(cat "$E2E/$name.secs")s)"
}

for k in $KERNELS; do
	flavor=${k%-*} side=${k##*-}
	if scripts/e2e-kernel.sh "$k"; then
		boot "$flavor" "$side"
	else
		echo "build failed" > "$E2E/$k.console"
	fi
done

scripts/e2e-report.py "$E2E" $KERNELS
