#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench-kvm-parser.sh - make check's test of make bench's KVM report
# (scripts/bench-kvm-report.py), on two consoles of a real make bench run
# (scripts/tests/bench-kvm/: a boot of the baseline and one of the
# series, each given as boots 1 to 3): they must give every figure with
# no problem, and each of the cases below must make the report fail as
# stated.  The benchmarks themselves stay out of make check.
set -uo pipefail
me=scripts/tests/bench-kvm-parser.sh
t=scripts/tests/bench-kvm
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
failed=0

# report CASE SED [CONFIG [SERIES-SED]]: the report on the consoles
# edited by SED (and the series' also by SERIES-SED), with the notes file
# $NOTES if set; its exit status, its stderr and stdout in
# $d/CASE.{err,out}.
report() {
	local c=$1 sed=$2 cfg=${3:-$t/perf.config} ssed=${4:-} side i
	mkdir -p "$d/$c"
	cp "$t/plan" "$d/$c/plan"
	# Pairs 1 and 3 are the real pair; pair 2 swaps its consoles (their
	# detach fields swapped too), so that no figure differs beyond noise.
	for side in baseline series; do
		for i in 1 2 3; do
			if [ $i = 2 ] && [ $side = baseline ]; then
				sed 's/ detach=1 unregistered=1 / detach=- unregistered=- /' "$t/series.console"
			elif [ $i = 2 ]; then
				sed 's/ detach=- unregistered=- / detach=1 unregistered=1 /' "$t/baseline.console"
			else
				cat "$t/$side.console"
			fi | sed "$sed" > "$d/$c/$side-$i.console"
			[ $side = baseline ] || [ -z "$ssed" ] || sed -i "$ssed" "$d/$c/$side-$i.console"
		done
	done
	scripts/bench-kvm-report.py --dir="$d/$c" --boots=3 --config="$cfg" \
		--baseline-config="$t/perf.config" --qemu=test --base=0 --tip=0 \
		--notes="${NOTES:-scripts/bench-kvm.notes}" \
		--out="$d/$c/out" > "$d/$c.out" 2> "$d/$c.err"
}

# expect CASE STATUS TEXT SED [CONFIG [SERIES-SED]]: exits STATUS, TEXT in
# its stderr (2: a format error) or stdout (0, or 1: a problem).
expect() {
	local c=$1 want=$2 text=$3 rc
	report "$c" "$4" "${5:-}" "${6:-}"
	rc=$?
	if [ "$rc" != "$want" ] || ! grep -qF -- "$text" "$d/$c.err" "$d/$c.out"; then
		echo "FAIL $c: exit $rc (want $want), looked for '$text' in:"
		sed 's/^/    /' "$d/$c.err"
		grep -A8 'problem(s)' "$d/$c.out" | sed 's/^/    /'
		failed=1
	else
		echo "ok   $c: exit $rc, '$text'"
	fi
}

# The real consoles: every figure, no problem.
report good ''
rc=$?
n=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["kvm"]["figures"]))' \
	"$d/good/out/bench.json" 2>/dev/null)
want=$(python3 -c 'import runpy; print(len(runpy.run_path("scripts/bench-kvm-report.py")["FIGURES"]))')
if [ "$rc" = 0 ] && grep -q '^0 problem(s)' "$d/good.out" && [ "$n" = "$want" ]; then
	echo "ok   good: exit 0, $n figures, 0 problems"
else
	echo "FAIL good: exit $rc, $n figures (want $want):"
	sed 's/^/    /' "$d/good.err"
	tail -n 5 "$d/good.out" | sed 's/^/    /'
	failed=1
fi

# Each selftest's output, one line changed: a format error naming it.
expect memslot_perf_test 2 "memslot_perf_test: no 'map' \"Best runtime result\"" \
	's/^Best runtime result was/Best run time was/'
expect memslot_perf_test-setup 2 "memslot_perf_test: no 'map' \"Test took\"" \
	'/^Testing map/{n;s/.*/Memslot count too high for this test/}'
expect memslot_perf_test-case 2 "memslot_perf_test: unknown case 'remap'" \
	's/^Testing RW performance/Testing remap performance/'
expect memslot_perf_test-missing-case 2 "memslot_perf_test: no \"Testing ... performance\" block for ['move inactive area']" \
	's/^Testing move inactive area performance.*//'
expect dirty_log_perf_test 2 "dirty_log_perf_test: no 'populate memory' line" \
	's/^Populate memory time:/Populate memory took:/'
expect dirty_log_perf_test-iterations 2 "dirty_log_perf_test: no \"Iteration N dirty memory time\"" \
	's/^Iteration [2-9] dirty memory time/Iteration dirty memory time/'
expect demand_paging_test 2 "demand_paging_test: no \"Overall demand paging rate\"" \
	's/^Overall demand paging rate:/Overall demand-paging rate:/'
expect memslot_modification_stress_test 2 "memslot_modification_stress_test: no \"All vCPU threads joined\"" \
	'/E2E start test memslot_modification_stress_test/,/E2E test memslot_modification_stress_test/s/^All vCPU threads joined/All vCPUs joined/'
expect unknown-selftest 2 "demand_paging_test_v2: no parser for this selftest" \
	's/ test demand_paging_test$/ test demand_paging_test_v2/; s/ test demand_paging_test / test demand_paging_test_v2 /'
expect init-test-line 2 "scripts/e2e-init.c's test line" \
	's/ secs=\([0-9]*\) ms=[0-9]*/ secs=\1/'
expect init-reap-line 2 "scripts/e2e-init.c's reap line" \
	's/ reap_ms=/ ms=/'
expect init-oom-line 2 "scripts/e2e-init.c's oom line" \
	's/ kill_to_reap_ms=/ ms=/'
# What is not a format error, but a problem of the run.
expect unfinished 1 'no "E2E done"' '/^E2E done/d'
expect plan-step-missing 1 "the plan's memslot_modification_stress_test did not run" \
	'/^E2E start test memslot_modification_stress_test/d; /^E2E test memslot_modification_stress_test/d'
expect other-failure 1 "demand_paging_test failed (exit=1), and not by the emulator's known guest triple fault" \
	's/^E2E test demand_paging_test exit=0/E2E test demand_paging_test exit=1/'
expect failed-reaps 1 "reap round 1: mrelease=11" 's/ mrelease=0 / mrelease=11 /'
expect zero-value 1 "reap/reap_ms: a value that is not positive" '' '' \
	's/ reap_ms=[0-9.]*/ reap_ms=0.0/'
expect series-no-detach 1 "reap round 1: detach=- unregistered=- eagain=0, where the series detaches once" \
	'' '' '/^E2E reap /s/ detach=1 unregistered=1 / detach=- unregistered=- /'
expect series-oom-no-detach 1 "OOM round 1: detach=- unregistered=-, where the series detaches once" \
	'' '' '/^E2E oom /s/ detach=1 unregistered=1 / detach=- unregistered=- /'
expect missing-round 1 "7 reap and 3 OOM rounds, where the plan has 8 and 3" '/^E2E reap 8 /d'
expect baseline-detach 1 "where the baseline detaches nothing" \
	's/ detach=- unregistered=- / detach=1 unregistered=1 /'
expect kernel-warning 1 "the kernel reported: WARNING: CPU: 1 PID: 7" \
	's/^E2E start test dirty_log_perf_test/[   9.1] WARNING: CPU: 1 PID: 7 at mm\/x.c:1 f+0x1\/0x2\n&/'
sed 's/^CONFIG_HZ=.*/CONFIG_HZ=250/' "$t/perf.config" > "$d/other.config"
expect other-config 1 "the two kernels' configurations differ: CONFIG_HZ" '' "$d/other.config"
{ cat "$t/perf.config"; echo CONFIG_KASAN=y; } > "$d/kasan.config"
expect debug-config 1 "debug options in the perf kernels: KASAN" '' "$d/kasan.config"
# A worse figure: a problem unless the notes file explains it, and then
# its explanation is in the report.
slow='s/^Overall demand paging rate:.*/Overall demand paging rate:\t100.000000 pgs\/sec/'
expect worse-unexplained 1 "demand_paging_test/rate: misses the goal" '' '' "$slow"
# ... and what the interval admits is a slowdown: a lower rate, above 0.
if python3 -c 'import json,sys; f=json.load(open(sys.argv[1]))["kvm"]["figures"]["demand_paging_test/rate"]; sys.exit(not f["admits_percent"] > 90)' \
	"$d/worse-unexplained/out/bench.json"; then
	echo "ok   worse-admits: the rate's worst case is a slowdown of over 90%"
else
	echo "FAIL worse-admits: the rate's 'admits' is not a slowdown of over 90%"
	failed=1
fi
printf 'demand_paging_test/rate: the test case\n  explains it.\n' > "$d/notes"
NOTES=$d/notes expect worse-explained 0 "the test case explains it." '' '' "$slow"
# What must pass: the emulator's guest triple fault, then a pass on the
# retry; /init's line after a kernel message on the same console line.
expect flake-retry 0 "demand_paging_test exit=254 (Invalid guest sync status: exit_reason=SHUTDOWN)" \
	's/^E2E start test demand_paging_test\r*$/&\n  Invalid guest sync status: exit_reason=SHUTDOWN\nE2E test demand_paging_test exit=254 secs=1 ms=1000\n&/'
expect interleaved 0 "0 problem(s)" \
	's/^E2E test demand_paging_test /[   5.5] kvm: some message&/'

if [ $failed = 0 ]; then
	echo "$me: all cases as expected"
else
	echo "$me: a case did not fail as expected"
fi
exit $failed
