#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""series-summary.py - what the series is: patches, files, diffstat, and
which Coccinelle script matched where.

Usage: series-summary.py MAILDIR LINUX
"""
import json
import subprocess
import sys

maildir, linux = sys.argv[1:3]
with open(f"{maildir}/series.json") as f:
    series = json.load(f)
patches = series["patches"]
base = series["base"]
tip = patches[-1]["commit"] if patches else base


def git(*args):
    return subprocess.run(["git", "-C", linux] + list(args), text=True,
                          check=True, stdout=subprocess.PIPE).stdout


print(f"Series: {len(patches)} patches on {base[:12]}, "
      f"in {linux} (branch series: every topic, in order)")
for t in series["topics"]:
    mine = [p for p in patches if p["topic"] == t["name"]]
    where = "the base" if t["after"] is None else f"topic {t['after']}"
    again = ", built again on its own start" if t["rebuilt"] else ""
    print(f"Topic {t['name']}: {len(mine)} patches after {where}{again}; "
          f"branch {t['name']}, mails in {maildir}/{t['name']}/")
    for n, p in enumerate(mine, 1):
        print(f"  {n:2d}/{len(mine)} {p['subject']}  ({len(p['files'])} files)")
for sk in series.get("skipped", []):
    print(f"  skipped: {sk['recipe']} ({sk['why']})")
files = sorted({f for p in patches for f in p["files"]})
print(f"Files touched: {len(files)}")
print(git("diff", "--stat=72", f"{base}..{tip}").rstrip())
matches = [(p, s) for p in patches for s in p["spatch"]]
if matches:
    print("Coccinelle:")
    for p, s in matches:
        where = ", ".join(f"{m['file']} (+{m['added']}/-{m['removed']})"
                          for m in s["matched"])
        print(f"  {s['script']}: {where}")
