#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""series.py - build the patch series as commits on the baseline.

Reads the project's `series` file: one recipe per line, in order.  A recipe
is a header block of actions followed by a blank line and the commit
message body:

    Subject: KVM: Use inval_gate for ...
    Copy: include/linux/foo.h
    Copy: lib/Documentation/locking/foo.rst Documentation/locking/foo.rst
    Insert: lib/Makefile after '^obj-\\$\\(CONFIG_LIST_KUNIT_TEST\\)' kunit/foo.Makefile
    Spatch: cocci/foo.cocci --include-headers -- virt/kvm/kvm_main.c
    Apply: kvm/foo.diff
    Trailer: Suggested-by: A Developer <a@example.org>

    Body of the commit message.

Actions run in the order given, in the work tree.  Every action must change
the tree; a Spatch action must change every file it lists and leave nothing
that the script's report mode still finds.  Otherwise the pipeline stops
and names the recipe, the script and the file: never an empty or partial
patch.

Usage: series.py WORKDIR BASE OUTDIR AUTHOR
"""

import hashlib
import json
import os
import re
import shlex
import subprocess
import sys
import textwrap

ME = "scripts/series.py"
PROJECT = os.getcwd()


class RecipeError(Exception):
    pass


def die(msg):
    print(f"{ME}: {msg}", file=sys.stderr)
    sys.exit(1)


def run(cmd, cwd, env=None, check=True):
    p = subprocess.run(cmd, cwd=cwd, env=env, text=True,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if check and p.returncode:
        raise RecipeError(f"`{' '.join(cmd)}` failed:\n{p.stderr.strip()}")
    return p


def git(tree, *args, check=True, env=None):
    return run(["git", "-C", tree] + list(args), cwd=PROJECT, env=env,
               check=check).stdout


def read_series():
    recipes = []
    with open("series") as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if line:
                if not os.path.isfile(line):
                    die(f"series: no such recipe {line}")
                recipes.append(line)
    return recipes


def parse_recipe(path):
    with open(path) as f:
        text = f.read()
    head, sep, body = text.partition("\n\n")
    if not sep:
        raise RecipeError(f"{path}: no blank line between the headers and the message")
    fields = []
    for n, line in enumerate(head.splitlines(), 1):
        m = re.match(r"^([A-Z][A-Za-z-]*):\s*(.*)$", line)
        if not m:
            raise RecipeError(f"{path}:{n}: not a 'Header: value' line: {line!r}")
        fields.append((m.group(1), m.group(2)))
    subjects = [v for k, v in fields if k == "Subject"]
    if len(subjects) != 1:
        raise RecipeError(f"{path}: needs exactly one Subject:")
    return {"path": path, "subject": subjects[0], "fields": fields,
            "body": body.strip("\n")}


def spatch_version():
    out = run(["spatch", "--version"], cwd=PROJECT).stdout
    m = re.search(r"spatch version (\S+)", out)
    return m.group(1) if m else "unknown"


def changed(tree, path):
    return git(tree, "status", "--porcelain", "--", path).strip() != ""


def act_copy(tree, recipe, arg, log):
    words = shlex.split(arg)
    if len(words) not in (1, 2):
        raise RecipeError(f"{recipe['path']}: Copy: wants SRC [DST]")
    src, dst = words[0], words[-1]
    if not os.path.isfile(src):
        raise RecipeError(f"{recipe['path']}: Copy: no such file {src}")
    dest = os.path.join(tree, dst)
    if os.path.exists(dest):
        raise RecipeError(f"{recipe['path']}: Copy: {dst} already exists in the tree")
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    with open(src, "rb") as f, open(dest, "wb") as g:
        g.write(f.read())
    log["copied"].append(dst)


def act_insert(tree, recipe, arg, log):
    words = shlex.split(arg)
    if len(words) != 4 or words[1] not in ("before", "after"):
        raise RecipeError(f"{recipe['path']}: Insert: wants FILE before|after REGEX FRAGMENT")
    dst, where, regex, frag = words
    path = os.path.join(tree, dst)
    if not os.path.isfile(path):
        raise RecipeError(f"{recipe['path']}: Insert: no file {dst} in the tree")
    with open(path) as f:
        lines = f.readlines()
    hits = [i for i, l in enumerate(lines) if re.search(regex, l)]
    if len(hits) != 1:
        raise RecipeError(f"{recipe['path']}: Insert: /{regex}/ matches {len(hits)} lines "
                          f"of {dst}, wants exactly one")
    with open(frag) as f:
        text = f.readlines()
    at = hits[0] + (1 if where == "after" else 0)
    lines[at:at] = text
    with open(path, "w") as f:
        f.writelines(lines)
    log["inserted"].append(dst)


def act_spatch(tree, recipe, arg, log):
    words = shlex.split(arg)
    if "--" not in words:
        raise RecipeError(f"{recipe['path']}: Spatch: wants COCCI [OPTIONS] -- FILE...")
    i = words.index("--")
    cocci, opts, files = words[0], words[1:i], words[i + 1:]
    if not os.path.isfile(cocci) or not files:
        raise RecipeError(f"{recipe['path']}: Spatch: no script {cocci} or no files")
    for f in files:
        if not os.path.isfile(os.path.join(tree, f)):
            raise RecipeError(f"{recipe['path']}: {cocci}: no file {f} in the tree")
    base = ["spatch", "--sp-file", os.path.join(PROJECT, cocci)]
    cmd = base + ["-D", "patch", "--in-place", "--very-quiet"] + opts + files
    p = run(cmd, cwd=tree, check=False)
    log["spatch_logs"].append(p.stdout + p.stderr)
    if p.returncode:
        raise RecipeError(f"{cocci}: spatch failed on {' '.join(files)}:\n{p.stderr.strip()}")
    # Scripts print LEFTOVER lines for what they bound but could not convert.
    left = [l for l in p.stdout.splitlines() if l.startswith("LEFTOVER ")]
    if left:
        raise RecipeError(f"{cocci} converted only part of the code (partial conversion):\n"
                          + "\n".join(left))
    for f in files:
        if not changed(tree, f):
            raise RecipeError(f"{cocci} matched nothing in {f}, which it must convert: "
                              "the tree has moved on, or the script no longer fits it")
    # A function spatch could not parse is skipped silently: report mode
    # on the result finds what is left over.
    rep = run(base + ["-D", "report", "--very-quiet"] + opts + files, cwd=tree, check=False)
    left = [l for l in rep.stdout.splitlines() if l.strip()]
    if rep.returncode or left:
        raise RecipeError(f"{cocci} left open-coded instances behind (partial conversion):\n"
                          + "\n".join(left or [rep.stderr.strip()]))
    stat = git(tree, "diff", "--numstat", "--", *files)
    matched = []
    for line in stat.splitlines():
        add, rm, name = line.split("\t")
        matched.append({"file": name, "added": int(add), "removed": int(rm)})
    shown = ["spatch", "--sp-file", os.path.basename(cocci), "-D", "patch",
             "--in-place"] + opts + files
    log["spatch"].append({"script": cocci, "command": shown, "matched": matched})


def act_apply(tree, recipe, arg, log):
    diff = arg.strip()
    if not os.path.isfile(diff):
        raise RecipeError(f"{recipe['path']}: Apply: no such file {diff}")
    p = run(["git", "-C", tree, "apply", "--index", "--3way", "--whitespace=error-all",
             os.path.join(PROJECT, diff)], cwd=PROJECT, check=False)
    if p.returncode:
        raise RecipeError(f"{diff} does not apply to the tree:\n{p.stderr.strip()}")
    log["applied"].append(diff)


ACTIONS = {"Copy": act_copy, "Insert": act_insert, "Spatch": act_spatch,
           "Apply": act_apply}


def wrap_command(words, width=70):
    lines, cur = [], "   "
    for w in words:
        if len(cur) + len(w) + 1 > width and cur.strip():
            lines.append(cur + " \\")
            cur = "       "
        cur += " " + w
    lines.append(cur)
    return "\n".join(lines)


def message(recipe, log, author, sver):
    parts = [recipe["subject"], "", recipe["body"]]
    for sp in log["spatch"]:
        with open(sp["script"]) as f:
            script = f.read().rstrip("\n")
        parts += ["",
                  f"Generated with Coccinelle (spatch {sver}), from the top of the tree:",
                  "",
                  wrap_command(sp["command"]),
                  "",
                  f"using this semantic patch ({os.path.basename(sp['script'])}):",
                  "",
                  textwrap.indent(script, "    ", lambda l: l.strip() != "")]
    trailers = [v for k, v in recipe["fields"] if k == "Trailer"]
    parts += [""] + trailers + [f"Signed-off-by: {author}"]
    return "\n".join(parts) + "\n"


def build(work, base, author):
    sver = spatch_version()
    env = dict(os.environ)
    name, email = re.match(r"^(.*?)\s*<(.*)>$", author).groups()
    env.update(GIT_AUTHOR_NAME=name, GIT_AUTHOR_EMAIL=email,
               GIT_COMMITTER_NAME=name, GIT_COMMITTER_EMAIL=email)
    t0 = int(git(work, "log", "-1", "--format=%ct", base).strip())
    summary = []
    for n, path in enumerate(read_series(), 1):
        recipe = parse_recipe(path)
        log = {"copied": [], "inserted": [], "spatch": [], "applied": [],
               "spatch_logs": []}
        for key, arg in recipe["fields"]:
            if key in ACTIONS:
                ACTIONS[key](work, recipe, arg, log)
            elif key not in ("Subject", "Trailer"):
                raise RecipeError(f"{path}: unknown header {key}:")
        git(work, "add", "-A")
        # Debian's top-level .gitignore ignores every new file: force.
        for path in log["copied"]:
            git(work, "add", "-f", "--", path)
        if not git(work, "diff", "--cached", "--name-only").strip():
            raise RecipeError(f"{path}: the recipe changed nothing")
        date = f"@{t0 + n} +0000"
        env.update(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
        msgfile = os.path.join(work, ".git", "SERIES_MSG")
        with open(msgfile, "w") as f:
            f.write(message(recipe, log, author, sver))
        git(work, "commit", "-q", "--no-verify", "-F", msgfile, env=env)
        files = git(work, "show", "--format=", "--name-only", "HEAD").split()
        summary.append({"recipe": path, "subject": recipe["subject"],
                        "commit": git(work, "rev-parse", "HEAD").strip(),
                        "files": files, "spatch": log["spatch"]})
        print(f"  PATCH   {n:2d} {recipe['subject']}")
    return summary


def main():
    if len(sys.argv) != 5:
        die("usage: series.py WORKDIR BASE OUTDIR AUTHOR")
    work, base, outdir, author = sys.argv[1:]
    work = os.path.abspath(work)
    if not re.match(r"^.+ <[^<>@ ]+@[^<> ]+>$", author):
        die(f"SERIES_AUTHOR={author!r} is not 'Name <email>'")
    try:
        summary = build(work, base, author)
    except RecipeError as e:
        die(str(e))
    os.makedirs(outdir, exist_ok=True)
    with open(os.path.join(outdir, "series.json"), "w") as f:
        json.dump({"base": base, "patches": summary}, f, indent=1)


if __name__ == "__main__":
    main()
