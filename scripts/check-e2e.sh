#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check-e2e.sh - make e2e within CI's time: every scenario (the selftests
# on the converted debug and PREEMPT_RT kernels, the reaper on both RT
# kernels with the baseline's reference report), fewer reaper rounds, and
# no baseline debug kernel, which only tells whether a selftest failure is
# the baseline's too.  `make e2e` runs all four kernels.
set -uo pipefail
. scripts/check-lib.sh
export E2E_KERNELS=${E2E_KERNELS:-"rt-baseline rt-series debug-series"}
export E2E_ROUNDS=${E2E_ROUNDS:-6}
export E2E_OOM_ROUNDS=${E2E_OOM_ROUNDS:-3}
# e2e-report.py records the checks; a failed one is already counted.
scripts/e2e.sh
[ -s "$OUT/e2e/e2e.json" ]
