#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""check-checkpatch.py - scripts/checkpatch.pl --strict on every patch.

A patch passes when checkpatch reports no error, warning or check other
than those listed in checkpatch.exceptions with their reasons.
"""
import glob
import os
import re
import subprocess
import sys
import time

RESULTS = os.environ["CHECK_RESULTS"]
LOGS = os.environ["CHECK_LOGS"]
OUT = os.environ.get("OUT", "out")
LINUX = f"{OUT}/linux"


def record(name, ok, secs, log, note=""):
    status = "passed" if ok else "failed"
    with open(RESULTS, "a") as f:
        f.write(f"{name}\t{status}\t{secs}\t{log}\n")
    print(f"  {status.upper():7s} {name} ({secs}s){': ' + note if note else ''}")


def exceptions():
    rules = []
    with open("checkpatch.exceptions") as f:
        for n, line in enumerate(f, 1):
            if line.strip() and not line.startswith("#"):
                fields = line.rstrip("\n").split("\t")
                if len(fields) != 4:
                    sys.exit(f"checkpatch.exceptions:{n}: wants TYPE, REGEX, PATCH, REASON")
                kind, regex, scope, reason = fields
                rules.append((kind, re.compile(regex), scope, reason))
    return rules


def subject(patch):
    with open(patch) as f:
        for line in f:
            m = re.match(r"^Subject: \[PATCH[^\]]*\] (.*)$", line)
            if m:
                return m.group(1)
    return ""


def main():
    rules = exceptions()
    # Every topic's mails (out/series/TOPIC/).
    patches = sorted(p for p in glob.glob(f"{OUT}/series/*/*.patch")
                     if not p.endswith("0000-cover-letter.patch"))
    if not patches:
        print(f"check-checkpatch: no patches in {OUT}/series", file=sys.stderr)
        return 1
    # spdxcheck.py, which checkpatch runs, needs Debian's python3 modules.
    env = dict(os.environ, PATH="/usr/bin:" + os.environ["PATH"])
    for patch in patches:
        name = (os.path.basename(os.path.dirname(patch)) + ":" +
                os.path.basename(patch)[:-len(".patch")])
        subj = subject(patch)
        log = os.path.join(LOGS, f"checkpatch_{name.replace(':', '_')}.log")
        t0 = time.time()
        p = subprocess.run(["./scripts/checkpatch.pl", "--strict", "--show-types",
                            "--no-summary", os.path.abspath(patch)],
                           cwd=LINUX, env=env, text=True,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        findings, kept = [], []
        for m in re.finditer(r"^(ERROR|WARNING|CHECK):(\w+): (.*)$", p.stdout, re.M):
            level, kind, msg = m.groups()
            why = next((r for k, rx, sc, r in rules
                        if k == kind and rx.search(msg) and
                        (sc == "*" or subj.startswith(sc))), None)
            (kept if why else findings).append(f"{level}:{kind}: {msg}" +
                                               (f"  [accepted: {why}]" if why else ""))
        if "Traceback" in p.stdout:
            findings.append("checkpatch's helper crashed (see log)")
        with open(log, "w") as f:
            f.write(p.stdout)
            f.write("\n--- findings not accepted:\n" + "\n".join(findings) +
                    "\n--- accepted:\n" + "\n".join(kept) + "\n")
        record(f"checkpatch:{name}", not findings, int(time.time() - t0), log,
               findings[0] if findings else "")
    return 0


if __name__ == "__main__":
    sys.exit(main())
