#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check-e2e.sh - make e2e within CI's time: the series' debug and
# PREEMPT_RT kernels (the selftests, the reaper and the OOM killer), with
# fewer reaper rounds.  The baseline kernels are left to `make e2e`: the
# debug one only tells whether a selftest failure is the baseline's too,
# and seed 001's report that the RT one shows is reproduced in make check
# by the PREEMPT_RT KUnit cell's inval_gate_spinlock reference boot.
# Also the test of make bench's KVM report (scripts/tests/bench-kvm-parser.sh).
set -uo pipefail
. scripts/check-lib.sh
# make bench's KVM report (not its benchmarks): its parsers on two real
# consoles, and each format change it must refuse.
check_run bench:kvm-report scripts/tests/bench-kvm-parser.sh
export E2E_KERNELS=${E2E_KERNELS:-"rt-series debug-series"}
export E2E_ROUNDS=${E2E_ROUNDS:-6}
export E2E_OOM_ROUNDS=${E2E_OOM_ROUNDS:-3}
# e2e-report.py records the checks; a failed one is already counted.
scripts/e2e.sh
[ -s "$OUT/e2e/e2e.json" ]
