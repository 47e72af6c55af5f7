#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""kunit-results.py - record one KUnit cell's results as checks.

Usage: kunit-results.py CELL JSON KERNEL-LOG RUN-LOG SECONDS [OPTION...]
  --ignore=GLOB      do not count the cases of suites matching GLOB
  --reference=NAME   a reference boot: one check, see below
  --expect=REGEX     the report a reference boot must show

Every leaf test case in kunit.py's JSON is a check: PASS passed, SKIP
skipped, anything else failed.  The cell itself is one more check,
kunit:CELL:kernel-log, failed if the kernel log holds a report.

A reference boot reproduces a bug on purpose: its one check,
kunit:CELL:reference:NAME, passes only if its cases ran and passed and
its kernel log shows the expected report.
"""
import fnmatch
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kernel_reports import REPORTS  # noqa: E402

RESULTS = os.environ["CHECK_RESULTS"]



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


def reference(cell, name, expect, cases, klog, runlog, secs):
    problems = []
    if not cases:
        problems.append("no test case ran")
    problems += [f"{n}: {st}" for n, st in cases if st != "PASS"]
    text = open(klog, errors="replace").read() if os.path.exists(klog) else ""
    if not re.search(expect, text):
        problems.append(f"the report /{expect}/ did not appear: "
                        "the reference no longer reproduces its bug")
    with open(runlog, "a") as f:
        f.write("\n== reference check:\n" + ("\n".join(problems) or "ok") + "\n")
    record(f"kunit:{cell}:reference:{name}", "failed" if problems else "passed",
           secs, runlog, problems[0][:100] if problems else "")
    return 0


def main():
    cell, json_path, klog, runlog, secs = sys.argv[1:6]
    opts = dict(a[2:].split("=", 1) for a in sys.argv[6:] if a.startswith("--"))
    ignore = [a.split("=", 1)[1] for a in sys.argv[6:] if a.startswith("--ignore=")]
    if not os.path.exists(json_path):
        with open(runlog) as f:
            tail = f.read().strip().splitlines()[-1:] or ["(empty)"]
        name = f"kunit:{cell}" + (f":reference:{opts['reference']}"
                                  if "reference" in opts else "")
        record(name, "failed", secs, runlog,
               f"kunit.py produced no results: {tail[0][:100]}")
        return 0
    with open(json_path) as f:
        results = json.load(f)
    cases = list(leaves(results, ""))
    if "reference" in opts:
        return reference(cell, opts["reference"], opts["expect"], cases,
                         klog, runlog, secs)
    cases = [(n, st) for n, st in cases
             if not any(fnmatch.fnmatch(n, g) for g in ignore)]
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
