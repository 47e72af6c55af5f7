#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""kunit-matrix.py - the KUnit results as a table: cell x suite.

Usage: kunit-matrix.py RESULTS.tsv LOGDIR OUT

Rows are cells, columns suites; each entry is passed/failed/skipped case
counts.  The "reports" column counts the report lines in the cell's main
boot (any is a failure); reference boots are listed with whether their
expected report appeared.
"""
import collections
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kernel_reports import REPORTS  # noqa: E402

results, logdir, out = sys.argv[1:4]
cells = collections.OrderedDict()
refs = []
with open(results) as f:
    for line in f:
        name, status, _secs, _log = line.rstrip("\n").split("\t")
        parts = name.split(":")
        if parts[0] != "kunit" or len(parts) < 3:
            continue
        cell, rest = parts[1], ":".join(parts[2:])
        if rest == "kernel-log":
            continue
        if rest.startswith("reference:"):
            refs.append((cell, rest.split(":", 1)[1], status))
            continue
        suite = rest.split(".", 1)[0]
        cells.setdefault(cell, collections.OrderedDict()).setdefault(
            suite, collections.Counter())[status] += 1

suites = sorted({s for c in cells.values() for s in c})
rows = []
for cell, per_suite in cells.items():
    klog = os.path.join(logdir, f"kunit-{cell}.kernel.log")
    reports = 0
    if os.path.exists(klog):
        with open(klog, errors="replace") as f:
            reports = sum(1 for l in f if REPORTS.search(l))
    row = [cell]
    for s in suites:
        c = per_suite.get(s)
        row.append(f"{c['passed']}/{c['failed']}/{c['skipped']}" if c else "-")
    row.append(str(reports))
    rows.append(row)

head = ["cell"] + suites + ["reports"]
widths = [max(len(r[i]) for r in rows + [head]) for i in range(len(head))]
lines = ["KUnit: passed/failed/skipped cases per cell and suite; reports in the",
         "cell's kernel log (lockdep, RCU, KASAN, KCSAN, atomic sleep; any fails it)",
         ""]
lines.append("  ".join(h.ljust(w) for h, w in zip(head, widths)))
for r in rows:
    lines.append("  ".join(v.ljust(w) for v, w in zip(r, widths)))
if refs:
    lines += ["", "Reference boots (a bug the series fixes, reproduced on purpose):"]
    for cell, name, status in refs:
        lines.append(f"  {cell:<20} {name:<28} "
                     f"{'reproduced' if status == 'passed' else 'NOT reproduced'}")
text = "\n".join(lines) + "\n"
with open(out, "w") as f:
    f.write(text)
print(text, end="")
