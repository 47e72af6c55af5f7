#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""check-sparse.py - sparse (C=2) on every file the series touches: no
warning that the baseline tree does not already have.

Compares what the build stage's sparse runs printed at the baseline and at
the tip (out/check/logs/sparse-{baseline,tip}.txt), file by file, ignoring
line numbers.  One check per touched C file or header.
"""
import collections
import json
import os
import re
import sys

RESULTS = os.environ["CHECK_RESULTS"]
LOGS = os.environ["CHECK_LOGS"]


def record(name, ok, log, note=""):
    status = "passed" if ok else "failed"
    with open(RESULTS, "a") as f:
        f.write(f"{name}\t{status}\t0\t{log}\n")
    print(f"  {status.upper():7s} {name} (0s){': ' + note if note else ''}")


def findings(path):
    per_file = collections.defaultdict(collections.Counter)
    with open(path) as f:
        for line in f:
            m = re.match(r"^(\S+?):\d+:\d+: (warning|error): (.*)$", line.strip())
            if m:
                per_file[os.path.normpath(m.group(1))][f"{m.group(2)}: {m.group(3)}"] += 1
    return per_file


def main():
    base_log = os.path.join(LOGS, "sparse-baseline.txt")
    tip_log = os.path.join(LOGS, "sparse-tip.txt")
    if not (os.path.exists(base_log) and os.path.exists(tip_log)):
        print("check-sparse: no sparse output; the build stage must run first",
              file=sys.stderr)
        return 1
    base, tip = findings(base_log), findings(tip_log)
    with open(os.environ.get("OUT", "out") + "/series/series.json") as f:
        series = json.load(f)
    files = sorted({f for p in series["patches"] for f in p["files"]
                    if f.endswith((".c", ".h"))})
    for name in files:
        new = tip[name] - base[name]
        log = os.path.join(LOGS, f"sparse_{name.replace('/', '_')}.log")
        with open(log, "w") as f:
            f.write(f"baseline: {sum(base[name].values())} findings, "
                    f"tip: {sum(tip[name].values())}\n")
            for msg, n in sorted(tip[name].items()):
                f.write(f"  tip {n}x {msg}\n")
            for msg, n in sorted(new.items()):
                f.write(f"NEW {n}x {msg}\n")
        record(f"sparse:{name}", not new, log,
               f"new: {next(iter(new))}" if new else "")
    return 0


if __name__ == "__main__":
    sys.exit(main())
