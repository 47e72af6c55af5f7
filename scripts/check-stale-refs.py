#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""check-stale-refs.py - no patch leaves a comment or a document naming
something that no longer exists.

For each commit of the series in out/linux (base..series), the
identifiers its removed lines name and its added lines do not (names
with an underscore, at least 6 characters: what a comment cites) are
looked up in the tree before and after it with git grep (those the code
still uses at the end of the series are not: a name removed and added
back by a later patch is not looked at).  One that the
parent used in code and the commit leaves only in comments or in
Documentation is a stale reference (code in the tests the series adds
does not count: a test may model the old code under its old names): the check for that commit fails,
naming the identifier, the file and the line.

A hit counts as a comment if its file is under Documentation/ or is not
C (.c/.h), or if the line is a comment line (starting with *, / * or //)
or has the name after a comment opener.  One check per patch:
series:stale-refs:NNNN (the patch's number in out/series).
"""
import json
import os
import re
import subprocess
import sys
import time

ME = "scripts/check-stale-refs.py"
RESULTS = os.environ["CHECK_RESULTS"]
LOGS = os.environ["CHECK_LOGS"]
OUT = os.environ.get("OUT", "out")
IDENT = re.compile(r"\b[A-Za-z_][A-Za-z0-9_]*_[A-Za-z0-9_]*\b")
COMMENT_LINE = re.compile(r"^\s*(\*|/\*|//)")


def git(tree, *args):
    p = subprocess.run(["git", "-C", tree] + list(args), capture_output=True,
                       text=True, errors="replace")
    if p.returncode not in (0, 1):
        sys.exit(f"{ME}: git {' '.join(args)}: {p.stderr.strip()}")
    return p.stdout


def removed_names(tree, commit):
    minus, plus = set(), set()
    for line in git(tree, "show", "--format=", "--unified=0", commit).splitlines():
        if line.startswith(("---", "+++")):
            continue
        if line.startswith("-"):
            minus.update(n for n in IDENT.findall(line[1:]) if len(n) >= 6)
        elif line.startswith("+"):
            plus.update(IDENT.findall(line[1:]))
    return sorted(minus - plus)


def is_comment(path, text, name):
    if path.startswith("Documentation/") or not path.endswith((".c", ".h")):
        return True
    if COMMENT_LINE.match(text):
        return True
    i = text.find(name)
    return any(0 <= text.find(o) < i for o in ("/*", "//"))


def is_test(path):
    return path.endswith("_kunit.c") or "/tests/" in path


def grep_words(names, *opts):
    """git grep's arguments for whole-word matches of any of @names."""
    args = ["grep", *opts, "-w", "-F"]
    for n in names:
        args += ["-e", n]
    return args


def hits(tree, revs, names, new_files, paths):
    """{rev: {name: (code hits, comment hits)}}, each a list of 'path:line',
    in @paths.  Code in the tests the series adds does not count: a test
    may model the old code under its old names."""
    out = {r: {n: ([], []) for n in names} for r in revs}
    if not names:
        return out
    for line in git(tree, *grep_words(names, "-n"), *revs, "--", *paths).splitlines():
        # REV:PATH:LINE:TEXT
        rev, path, lineno, text = line.split(":", 3)
        for n in set(IDENT.findall(text)) & set(names):
            if is_comment(path, text, n):
                out[rev][n][1].append(f"{path}:{lineno}")
            elif not (path in new_files and is_test(path)):
                out[rev][n][0].append(f"{path}:{lineno}")
    return out


def record(name, ok, secs, log, note):
    status = "passed" if ok else "failed"
    with open(RESULTS, "a") as f:
        f.write(f"{name}\t{status}\t{secs}\t{log}\n")
    print(f"  {status.upper():7s} {name} ({secs}s): {note}")


def main():
    tree = f"{OUT}/linux"
    with open(f"{OUT}/series/series.json") as f:
        series = json.load(f)
    commits = [p["commit"] for p in series["patches"]]
    if not commits:
        sys.exit(f"{ME}: {OUT}/series/series.json: no patch")
    base, tip = series["base"], commits[-1]
    new_files = set(git(tree, "diff", "--name-only", "--diff-filter=A",
                        base, tip).split())
    removed = {c: removed_names(tree, c) for c in commits}
    # Only names the code at the tip no longer uses can have gone stale:
    # one the code still uses there (spin_lock) is not looked at again.
    every = sorted({n for v in removed.values() for n in v})
    at_tip = hits(tree, [tip], every, new_files, [])[tip]
    gone = {n for n in every if not at_tip[n][0]}
    removed = {c: [n for n in v if n in gone] for c, v in removed.items()}
    # Where they can be, in any commit: the files that have one at the
    # base or the tip, and every file the series changes.
    paths = set(git(tree, "diff", "--name-only", base, tip).split())
    if gone:
        paths |= {l.split(":", 1)[1] for l in
                  git(tree, *grep_words(sorted(gone), "-l"), base, tip, "--").splitlines()}
    paths = sorted(paths)
    for n, c in enumerate(commits, 1):
        t0 = time.time()
        subject = git(tree, "log", "-1", "--format=%s", c).strip()
        name = f"series:stale-refs:{n:04d}"
        names = removed[c]
        parent = git(tree, "rev-parse", f"{c}^").strip()
        found = hits(tree, [parent, c], names, new_files, paths)
        stale = []
        for ident in names:
            code_before = found[parent][ident][0]
            code_after, comments_after = found[c][ident]
            if code_before and not code_after and comments_after:
                stale.append(f"{ident}: gone from the code, still named at "
                             + ", ".join(comments_after[:4])
                             + (f" (+{len(comments_after) - 4} more)" if len(comments_after) > 4 else ""))
        log = os.path.join(LOGS, f"stale-refs_{n:04d}.log")
        with open(log, "w") as f:
            f.write(f"{subject}\nremoved names: {' '.join(names) or '-'}\n")
            f.write("".join(f"stale: {s}\n" for s in stale) or "no stale reference\n")
        note = (f"{subject}: " + "; ".join(stale)) if stale else \
            f"{subject}: {len(names)} removed name(s), none left behind"
        record(name, not stale, int(time.time() - t0), log, note[:300])


if __name__ == "__main__":
    main()
