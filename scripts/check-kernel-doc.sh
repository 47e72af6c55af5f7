#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check-kernel-doc.sh - scripts/kernel-doc -none -Wall on every header the
# series adds: no warning, and every public symbol documented.  And the
# list of mmu notifier users in Documentation/mm/mmu_notifier-oom.rst
# against the tree (scripts/check-notifier-users.py).
set -uo pipefail
. scripts/check-lib.sh

base=$(series_base)
headers=$(git -C "$OUT/linux" diff --diff-filter=A --name-only "$base"..series -- 'include/*.h')
[ -n "$headers" ] || { echo "check-kernel-doc: the series adds no header" >&2; exit 1; }

# Public symbols: functions and function-like macros not starting with
# "__", DEFINE_* macros and structs.  Each needs a kernel-doc comment.
undocumented() {
	local h=$1 rst sym
	rst=$(cd "$OUT/linux" && ./scripts/kernel-doc -rst "$h" 2>/dev/null)
	for sym in $(sed -nE \
		-e 's/^static inline [^(]*[ *]([a-z][a-z0-9_]*)\(.*/\1/p' \
		-e 's/^#define ([a-z][a-z0-9_]*|DEFINE_[A-Z0-9_]+)\(.*/\1/p' "$OUT/linux/$h" | sort -u); do
		grep -qE "^\.\. c:(function|macro):: (.*[ *])?$sym \(" <<< "$rst" ||
			echo "$h: $sym() has no kernel-doc comment"
	done
	for sym in $(sed -nE 's/^struct ([a-z][a-z0-9_]*) \{.*/\1/p' "$OUT/linux/$h"); do
		grep -qE "^\.\. c:type:: struct $sym\$" <<< "$rst" ||
			echo "$h: struct $sym has no kernel-doc comment"
	done
}

kdoc() {
	local out
	out=$(cd "$OUT/linux" && ./scripts/kernel-doc -none -Wall "$1" 2>&1;
	      undocumented "$1")
	echo "$out"
	[ -z "$out" ]
}

for h in $headers; do
	check_run "kernel-doc:$h" kdoc "$h"
done

# Documentation/mm/mmu_notifier-oom.rst lists the tree's other mmu notifier
# users, and why they do not opt in: the list must be the tree's.
doc=Documentation/mm/mmu_notifier-oom.rst
check_run "docs:mmu-notifier-users" \
	scripts/check-notifier-users.py "$OUT/linux" "$OUT/linux/$doc"
