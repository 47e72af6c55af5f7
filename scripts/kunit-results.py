#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""kunit-results.py - record one KUnit cell's results as checks.

Usage: kunit-results.py CELL JSON KERNEL-LOG RUN-LOG SECONDS

Every leaf test case in kunit.py's JSON is a check: PASS passed, SKIP
skipped, anything else failed.  The cell itself is one more check,
kunit:CELL:kernel-log, failed if the kernel log holds a report.
"""
import json
import os
import re
import sys

RESULTS = os.environ["CHECK_RESULTS"]

# What a cell's kernel log must not hold.  WARN()s are expected: the misuse
# cases trigger them on purpose.
REPORTS = re.compile("|".join([
    r"BUG: ",                                   # atomic sleep, KASAN, KCSAN, ...
    r"WARNING: possible (circular|recursive) locking",
    r"WARNING: possible irq lock inversion",
    r"WARNING: inconsistent lock state",
    r"WARNING: suspicious RCU usage",
    r"WARNING: bad unlock balance",
    r"WARNING: held lock freed",
    r"WARNING: lock held when returning",
    r"WARNING: Nested lock was not taken",
    r"INFO: possible irq lock inversion",
    r"INFO: task .* blocked for more than",
    r"rcu: INFO: .* detected stalls",
    r"Kernel panic",
    r"general protection fault",
    r"UBSAN: ",
]))


def record(name, status, secs, log, note=""):
    with open(RESULTS, "a") as f:
        f.write(f"{name}\t{status}\t{secs}\t{log}\n")
    print(f"  {status.upper():7s} {name} ({secs}s){': ' + note if note else ''}")


def leaves(group, prefix):
    for case in group.get("test_cases", []):
        yield f"{prefix}.{case['name']}" if prefix else case["name"], case["status"]
    for sub in group.get("sub_groups", []):
        name = sub["name"]
        yield from leaves(sub, f"{prefix}.{name}" if prefix else name)


def main():
    cell, json_path, klog, runlog, secs = sys.argv[1:6]
    if not os.path.exists(json_path):
        with open(runlog) as f:
            tail = f.read().strip().splitlines()[-1:] or ["(empty)"]
        record(f"kunit:{cell}", "failed", secs, runlog,
               f"kunit.py produced no results: {tail[0][:100]}")
        return 0
    with open(json_path) as f:
        results = json.load(f)
    cases = list(leaves(results, ""))
    if not cases:
        record(f"kunit:{cell}", "failed", secs, runlog, "no test case ran")
    for name, status in cases:
        status = {"PASS": "passed", "SKIP": "skipped"}.get(status, "failed")
        record(f"kunit:{cell}:{name}", status, 0, runlog)

    found = []
    if os.path.exists(klog):
        with open(klog, errors="replace") as f:
            found = [l.strip() for l in f if REPORTS.search(l)]
    else:
        found = [f"no kernel log at {klog}"]
    with open(runlog, "a") as f:
        f.write("\n== reports in the kernel log:\n" + "\n".join(found) + "\n")
    record(f"kunit:{cell}:kernel-log", "failed" if found else "passed", secs, runlog,
           found[0][:100] if found else "")
    return 0


if __name__ == "__main__":
    sys.exit(main())
