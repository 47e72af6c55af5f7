#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench-kvm.sh - make bench's KVM part: KVM's own benchmarks on the
# unmodified kernel and on the series, booted in pairs.
#
# The kernels are make e2e's (scripts/e2e-kernel.sh), flavor "perf":
# tinyconfig + scripts/configs/e2e-x86_64.config +
# scripts/configs/e2e-perf.config, no debug option and no KUnit, one of
# the baseline and one of the series' tip, the same configuration.  Each
# boots BENCH_KVM_BOOTS times (default 6) under the same QEMU, 2 CPUs,
# 2 GiB, in pairs: baseline then series, series then baseline, and so on
# (with an even number of pairs, a linear drift of the machine weighs on
# both sides alike; the report compares each pair's two boots), and runs
# the plan below through scripts/e2e-init.c: KVM's selftests, the reaper
# round and the kernel OOM killer's round of make e2e.
#
# scripts/bench-kvm-report.py reads every console, parses each selftest's
# own figures and writes $OUT/bench/kvm.txt and the "kvm" part of
# $OUT/bench/bench.json.  It fails, naming the selftest, if a selftest's
# output is not in the format it knows, and on any problem of the run
# (its header lists them).
#
#   BENCH_KVM_BOOTS   boots per kernel (default 6; at least 3)
#   BENCH_KVM_OUT     where the consoles go (default $OUT/bench/kvm)
set -uo pipefail
me=scripts/bench-kvm.sh
OUT=${OUT:-out} BUILD=${BUILD:-build}
SRC=$BUILD/e2e-src
B=$BUILD/e2e
JOBS=${JOBS:-$(nproc)}
BOOTS=${BENCH_KVM_BOOTS:-6}
KOUT=${BENCH_KVM_OUT:-$OUT/bench/kvm}
. scripts/series-lib.sh
. scripts/e2e-lib.sh

die() { echo "$me: $*" >&2; exit 1; }

# The plan, as scripts/e2e-init.c's lines.  Sizes fit the guest's 2 GiB
# beside the kernel; the selftests' defaults otherwise.
#  - memslot_perf_test: every case, 1 run of 5 s each (its defaults),
#    with at most 8192 memslots: by default it takes as many as KVM
#    allows (32764), and its "map" case then fails ("Memslot count too
#    high for this test"), since its 32 MiB area has 8209 pages.  Its
#    host waits 60 s for the guest, not 10: under the emulator a "map"
#    iteration of the guest took longer than 10 s once, and SIGALRM
#    ended the test.
#  - dirty_log_perf_test: 2 vCPUs of 256 MiB instead of 1 of 1 GiB,
#    3 iterations instead of 2 (the first dirties a fresh log).
#  - demand_paging_test: 2 vCPUs of 256 MiB instead of 1 of 1 GiB.
#  - memslot_modification_stress_test: 2 vCPUs of 64 MiB, 500 memslot
#    additions and deletions; it prints no figure, so its wall time counts.
#  - the reaper round and the kernel OOM killer's round of make e2e.
# Each selftest runs once more if it fails: the memstress guests of the
# last three now and then triple-fault under the emulator, on the
# baseline as on the series ("Invalid guest sync status:
# exit_reason=SHUTDOWN", README).  The report accepts that failure alone
# (as make e2e does), and counts and lists every failed run.
PLAN=(
	"test-retry memslot_perf_test 1200 /kst/memslot_perf_test -s 8192 -t 60"
	"test-retry dirty_log_perf_test 1200 /kst/dirty_log_perf_test -v 2 -b 256M -i 3"
	"test-retry demand_paging_test 1200 /kst/demand_paging_test -v 2 -b 256M"
	"test-retry memslot_modification_stress_test 1200 /kst/memslot_modification_stress_test -v 2 -b 64M -i 500"
	"reap 8 400 300 /kst/memslot_modification_stress_test -b 64M -i 1000000"
	"oom 3 16 300 /init oom-victim 64"
)
# Kernel messages below warnings stay off the console, where they would
# land in the middle of a selftest's output; warnings and worse are
# shown, and the report fails on any.
LOGLEVEL=loglevel=5

[ "$BOOTS" -ge 3 ] 2>/dev/null || die "BENCH_KVM_BOOTS=$BOOTS: at least 3 boots per kernel"
[ -f "$OUT/series/series.json" ] || die "$OUT/series/series.json: no series; run make first"
base=$(series_base)
tip=$(series_commits | tail -n 1)
[ -n "$tip" ] || die "$OUT/series/series.json: no patches"
if series_files | grep -q '^tools/'; then
	die "the series touches tools/: the selftests would differ between the kernels"
fi

mkdir -p "$B" "$KOUT"
e2e_prepare_src
scripts/e2e-kernel.sh perf-baseline perf-series || die "the perf kernels did not build (see $B/perf-*.log)"
rm -f "$KOUT"/*.console "$KOUT"/*.secs "$KOUT"/*.load "$KOUT"/*.config "$KOUT"/plan
# The selftests of the plan's test steps (/kst/NAME); the reaper's victim
# is one of them.
e2e_userspace $(for l in "${PLAN[@]}"; do set -- $l; echo "${4##*/}"; done | grep _test | sort -u)
printf '%s\n' "${PLAN[@]}" > "$KOUT/plan"

t0=$(date +%s)
for i in $(seq 1 "$BOOTS"); do
	if [ $((i % 2)) = 1 ]; then order="baseline series"; else order="series baseline"; fi
	for side in $order; do
		# The host's load when the boot starts, for the record.
		cut -d' ' -f1-3 /proc/loadavg > "$KOUT/$side-$i.load"
		e2e_boot "perf-$side" "$KOUT/plan" "$KOUT/$side-$i.console" $LOGLEVEL
		case $? in
		1) die "cannot make the initramfs of perf-$side" ;;
		2) echo "$me: boot $i of perf-$side did not end within 3000 s" >&2 ;;
		esac
		echo "  BENCH   kvm: boot $i of $BOOTS, $side ($(cat "$KOUT/$side-$i.secs")s)"
	done
done
echo "  BENCH   kvm: $((BOOTS * 2)) boots in $(( $(date +%s) - t0 ))s"

# The record: both kernels' configurations (the report compares them).
cp "$B/perf-baseline/.config" "$KOUT/baseline.config"
cp "$B/perf-series/.config" "$KOUT/series.config"
scripts/bench-kvm-report.py --dir="$KOUT" --boots="$BOOTS" \
	--config="$KOUT/series.config" --baseline-config="$KOUT/baseline.config" \
	--qemu="qemu-system-x86_64 $E2E_QEMU_ARGS, kernel arguments: $E2E_CMDLINE $LOGLEVEL" \
	--base="$base" --tip="$tip" --out="$OUT/bench"
