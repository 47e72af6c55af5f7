#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""check-cocci-golden.py - each semantic patch against its golden tests.

For cocci/NAME.cocci, the tests are cocci/tests/NAME/:
  CASE.c + CASE.res   the script must turn CASE.c into exactly CASE.res,
                      report mode must find something in CASE.c and nothing
                      in CASE.res, and a second run on CASE.res changes
                      nothing;
  CASE.nochange.c     the script must not change it, nor report it;
  CASE.leftover.c     code the script finds but must not convert: patch
                      mode prints a LEFTOVER line, which stops the
                      pipeline instead of committing a partial conversion.
Also checked per script: the header kernel scripts carry (///, Options:,
the four virtual modes), and lines that fit a changelog when indented.

One check per script and case, recorded in the TSV named by $CHECK_RESULTS.
"""

import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

RESULTS = os.environ["CHECK_RESULTS"]
LOGS = os.environ["CHECK_LOGS"]


def record(name, ok, secs, log, note=""):
    status = "passed" if ok else "failed"
    with open(RESULTS, "a") as f:
        f.write(f"{name}\t{status}\t{secs}\t{log}\n")
    print(f"  {status.upper():7s} {name} ({secs}s){': ' + note if note else ''}")


def options(script):
    with open(script) as f:
        for line in f:
            if line.startswith("// Options:"):
                return line.split(":", 1)[1].split()
    return []


def spatch(script, mode, path, inplace=False):
    cmd = ["spatch", "--very-quiet", "--sp-file", os.path.abspath(script),
           "-D", mode] + options(script)
    if inplace:
        cmd.append("--in-place")
    cmd.append(os.path.basename(path))
    return subprocess.run(cmd, cwd=os.path.dirname(path), text=True,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def reported(script, path):
    p = spatch(script, "report", path)
    return [l for l in p.stdout.splitlines() if l.strip()], p


def lint(script):
    """The conventions of scripts/coccinelle/, and changelog-sized lines."""
    text = open(script).read()
    problems = []
    if not re.search(r"^// SPDX-License-Identifier: ", text, re.M):
        problems.append("no SPDX line")
    if not re.search(r"^/// \S", text, re.M):
        problems.append("no /// description")
    if len(re.findall(r"^// Options:", text, re.M)) != 1:
        problems.append("wants exactly one // Options: line")
    for mode in ("patch", "context", "org", "report"):
        if not re.search(rf"^virtual {mode}$", text, re.M):
            problems.append(f"no 'virtual {mode}'")
    for n, line in enumerate(text.splitlines(), 1):
        if len(line.expandtabs(8)) > 71:
            problems.append(f"line {n} is longer than 71 columns "
                            "(the changelog indents the script by 4)")
    return problems


def run_case(script, src, expected, log):
    """Returns a list of problems with one golden case."""
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        work = os.path.join(tmp, os.path.basename(src))
        shutil.copy(src, work)
        found, p = reported(script, work)
        log.write(f"report on input:\n{p.stdout}{p.stderr}\n")
        leftover = src.endswith(".leftover.c")
        if (expected or leftover) and not found:
            problems.append("report mode finds nothing in the input")
        if not (expected or leftover) and found:
            problems.append("report mode flags code that must not change")

        p = spatch(script, "patch", work, inplace=True)
        log.write(f"patch on input:\n{p.stdout}{p.stderr}\n")
        if p.returncode:
            problems.append(f"spatch failed: {p.stderr.strip()[-200:]}")
        if leftover:
            if "LEFTOVER " not in p.stdout:
                problems.append("patch mode prints no LEFTOVER line")
            return problems
        if "LEFTOVER " in p.stdout:
            problems.append("the script reports a partial conversion")
        got = open(work).read()
        want = open(expected or src).read()
        if got != want:
            diff = subprocess.run(["diff", "-u", expected or src, work],
                                  text=True, stdout=subprocess.PIPE).stdout
            log.write(f"output differs from the expected one:\n{diff}\n")
            problems.append("output differs from " +
                            ("the .res" if expected else "the input"))
        if expected:
            found, p = reported(script, work)
            log.write(f"report on output:\n{p.stdout}{p.stderr}\n")
            if found:
                problems.append("report mode still finds something after conversion")
            p = spatch(script, "patch", work, inplace=True)
            if open(work).read() != got:
                problems.append("a second run changes its own output")
    return problems


def main():
    scripts = sorted(glob.glob("cocci/*.cocci"))
    if not scripts:
        print("check-cocci-golden: no cocci/*.cocci", file=sys.stderr)
        return 1
    for script in scripts:
        name = os.path.basename(script)[:-len(".cocci")]
        log_path = os.path.join(LOGS, f"cocci-golden_{name}_lint.log")
        t0 = time.time()
        problems = lint(script)
        with open(log_path, "w") as log:
            log.write("\n".join(problems) + "\n")
        record(f"cocci-golden:{name}:conventions", not problems,
               int(time.time() - t0), log_path, "; ".join(problems))

        cases = sorted(glob.glob(f"cocci/tests/{name}/*.c"))
        if not any(not c.endswith(".nochange.c") for c in cases) or \
           not any(c.endswith(".nochange.c") for c in cases):
            record(f"cocci-golden:{name}:cases", False, 0, log_path,
                   f"cocci/tests/{name}/ needs both converting and .nochange.c cases")
        for src in cases:
            case = os.path.basename(src)[:-2]
            expected = None
            if not src.endswith((".nochange.c", ".leftover.c")):
                expected = src[:-2] + ".res"
            log_path = os.path.join(LOGS, f"cocci-golden_{name}_{case}.log")
            t0 = time.time()
            with open(log_path, "w") as log:
                if expected and not os.path.exists(expected):
                    problems = [f"no {expected} (name must-not-change cases *.nochange.c)"]
                else:
                    problems = run_case(script, src, expected, log)
                log.write("\n".join(problems) + "\n")
            record(f"cocci-golden:{name}:{case}", not problems,
                   int(time.time() - t0), log_path, "; ".join(problems))
    return 0


if __name__ == "__main__":
    sys.exit(main())
