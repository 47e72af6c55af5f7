#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""series.py - build the patch series as commits on the baseline.

Reads the project's `series` file: topics, each a line

    topic NAME COVER [after OTHER [from RECIPE]]

followed by its recipes, one per line, in order.  A topic is one series
as mailed to the tree that takes it, with COVER as its cover letter; it
starts on the base, or on the tip of the earlier topic OTHER that it
needs (its patches before RECIPE's, if given, need only the base: the
series-am stage checks that they apply on it alone).  The topics,
applied in order, give the combined branch `series`, which every check
builds and boots; a topic whose start in that order
is not its own (it follows a topic it does not need) is built again on
its own start, on a branch of its own, so that each topic's mails apply
where its cover letter says.

A recipe is a header block of actions followed by a blank line and the
commit message body:

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

Trees differ in shape (a 6.12 tree keeps its KUnit tests in lib/, a 7.x
tree in lib/tests/; GRU exists only in older trees).  Three headers say so
without hand edits per tree:

    When: drivers/misc/sgi-gru/grutables.h
    When: arch/x86/virt/hw.c 'kvm_emergency_callback'
        The recipe applies only if the file exists (and has a line
        matching the regex).  A recipe alone on its line in `series` is
        skipped, and said so, where a When: does not hold; for lines
        "a.recipe | b.recipe", exactly the first alternative whose When:
        holds is applied, and none holding stops the pipeline.
    Choose: KUNIT_DIR lib/tests lib
        ${KUNIT_DIR} is the first of the paths that exists in the tree;
        it is expanded in the actions that follow and in the fragments
        they insert.
    Apply: mm/foo-7.x.diff | mm/foo-6.12.diff
        The first diff that applies cleanly (git apply --check) is applied.
    Apply-if: include/kunit/test.h 'REGEX' kunit/foo-6.12.diff
        The diff is applied where the file has a line matching the regex
        (an API that older trees spell differently); with '!REGEX', where
        no line matches (an API that older trees lack).
    Maintainers: include/MAINTAINERS.foo
        The fragment's first line names a MAINTAINERS entry; its other
        lines go into that entry where the file's sort order puts them.

In the message, lines between "@when FILE REGEX" and "@end" are kept only
where FILE, as committed, has a line matching REGEX.

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


TOPIC_NAME = re.compile(r"^[a-z][a-z0-9-]*$")


def read_series():
    """The topics of `series`: each a dict with its name, cover letter,
    the topic it needs (or None) and its lines, each a list of
    alternative recipes."""
    topics = []
    with open("series") as f:
        for n, line in enumerate(f, 1):
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            words = line.split()
            if words[0] == "topic":
                if len(words) not in (3, 5, 7) or \
                   (len(words) >= 5 and words[3] != "after") or \
                   (len(words) == 7 and words[5] != "from"):
                    die(f"series:{n}: wants 'topic NAME COVER [after OTHER [from RECIPE]]'")
                name, cover = words[1], words[2]
                after = words[4] if len(words) >= 5 else None
                needs_from = words[6] if len(words) == 7 else None
                if not TOPIC_NAME.match(name) or name == "series":
                    die(f"series:{n}: topic name {name!r} is not [a-z][a-z0-9-]* "
                        "(nor 'series', the combined branch)")
                if any(t["name"] == name for t in topics):
                    die(f"series:{n}: topic {name} given twice")
                if not os.path.isfile(cover):
                    die(f"series:{n}: no such cover letter {cover}")
                if after is not None and not any(t["name"] == after for t in topics):
                    die(f"series:{n}: topic {name} comes after {after}, "
                        "which is not an earlier topic")
                topics.append({"name": name, "cover": cover, "after": after,
                               "needs_from": needs_from, "lines": []})
                continue
            if not topics:
                die(f"series:{n}: a recipe before the first 'topic' line")
            alts = [a.strip() for a in line.split("|")]
            for a in alts:
                if not os.path.isfile(a):
                    die(f"series:{n}: no such recipe {a}")
            topics[-1]["lines"].append(alts)
    if not topics:
        die("series: no topic")
    for t in topics:
        if not t["lines"]:
            die(f"series: topic {t['name']} has no recipe")
        if t["needs_from"] and not any(t["needs_from"] in alts for alts in t["lines"]):
            die(f"series: topic {t['name']}: 'from {t['needs_from']}' is not one of its recipes")
    return topics


def expand(text, env, where):
    def var(m):
        if m.group(1) not in env:
            raise RecipeError(f"{where}: ${{{m.group(1)}}} is not set (no Choose: before it)")
        return env[m.group(1)]
    return re.sub(r"\$\{([A-Z_][A-Z0-9_]*)\}", var, text)


def when_holds(tree, recipe):
    """None if every When: of the recipe holds, else why not."""
    for key, arg in recipe["fields"]:
        if key != "When":
            continue
        words = shlex.split(arg)
        if len(words) not in (1, 2):
            raise RecipeError(f"{recipe['path']}: When: wants PATH [REGEX]")
        path = os.path.join(tree, words[0])
        if not os.path.exists(path):
            return f"no {words[0]}"
        if len(words) == 2:
            with open(path, errors="replace") as f:
                if not any(re.search(words[1], l) for l in f):
                    return f"no line of {words[0]} matches /{words[1]}/"
    return None


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
        text = expand(f.read(), log["env"], frag).splitlines(keepends=True)
    at = hits[0] + (1 if where == "after" else 0)
    lines[at:at] = text
    with open(path, "w") as f:
        f.writelines(lines)
    log["inserted"].append(dst)


def act_choose(tree, recipe, arg, log):
    words = shlex.split(arg)
    if len(words) < 2 or not re.match(r"^[A-Z_][A-Z0-9_]*$", words[0]):
        raise RecipeError(f"{recipe['path']}: Choose: wants NAME PATH...")
    for path in words[1:]:
        if os.path.exists(os.path.join(tree, path)):
            log["env"][words[0]] = path
            return
    raise RecipeError(f"{recipe['path']}: Choose: {words[0]}: none of "
                      f"{', '.join(words[1:])} exists in the tree")


def maintainers_key(line):
    """Sort key of a line inside a MAINTAINERS entry: its tag, then its text."""
    return line.rstrip("\n")


def act_maintainers(tree, recipe, arg, log):
    frag = arg.strip()
    if not os.path.isfile(frag):
        raise RecipeError(f"{recipe['path']}: Maintainers: no such file {frag}")
    with open(frag) as f:
        want = expand(f.read(), log["env"], frag).splitlines(keepends=True)
    if len(want) < 2 or re.match(r"^[A-Z]:\t", want[0]):
        raise RecipeError(f"{frag}: wants an entry's title, then the lines to add to it")
    title, add = want[0].rstrip("\n"), want[1:]
    path = os.path.join(tree, "MAINTAINERS")
    with open(path) as f:
        lines = f.readlines()
    starts = [i for i, l in enumerate(lines) if l.rstrip("\n") == title]
    if len(starts) != 1:
        raise RecipeError(f"{frag}: MAINTAINERS has {len(starts)} entries titled "
                          f"{title!r}, wants exactly one")
    start = starts[0] + 1
    end = start
    while end < len(lines) and lines[end].strip():
        end += 1
    for new in add:
        tag = new[:3]
        if not re.match(r"^[A-Z]:\t", new):
            raise RecipeError(f"{frag}: {new.rstrip()!r} is not a 'X:<tab>...' line")
        if new in lines[start:end]:
            raise RecipeError(f"{frag}: {new.rstrip()!r} is already in {title}")
        same = [i for i in range(start, end) if lines[i].startswith(tag)]
        if not same:
            raise RecipeError(f"{frag}: {title} has no {tag.strip()} lines to sort "
                              f"{new.rstrip()!r} among")
        # Before the first line of its tag that sorts after it, else after
        # the last: where scripts/parse-maintainers.pl would put it.
        at = next((i for i in same if maintainers_key(lines[i]) > maintainers_key(new)),
                  same[-1] + 1)
        lines[at:at] = [new]
        end += 1
    with open(path, "w") as f:
        f.writelines(lines)
    log["inserted"].append("MAINTAINERS")


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
    """Apply: A.diff [| B.diff ...]: the first diff that applies cleanly."""
    diffs = [d.strip() for d in arg.split("|")]
    errors = []
    for diff in diffs:
        if not os.path.isfile(diff):
            raise RecipeError(f"{recipe['path']}: Apply: no such file {diff}")
        # Not --index: the diff may patch a file an earlier action of the
        # recipe changed (a Spatch), which is added with the rest.
        cmd = ["git", "-C", tree, "apply", "--whitespace=error-all",
               os.path.join(PROJECT, diff)]
        p = run(cmd[:4] + ["--check"] + cmd[4:], cwd=PROJECT, check=False)
        if p.returncode == 0:
            run(cmd, cwd=PROJECT)
            log["applied"].append(diff)
            return
        errors.append(f"{diff}:\n{p.stderr.strip()}")
    raise RecipeError(f"{recipe['path']}: no diff of Apply: applies to the tree:\n"
                      + "\n".join(errors))


def act_apply_if(tree, recipe, arg, log):
    """Apply-if: PATH [!]REGEX DIFF: apply DIFF where PATH has (no) matching line."""
    words = shlex.split(arg)
    if len(words) != 3:
        raise RecipeError(f"{recipe['path']}: Apply-if: wants PATH REGEX DIFF")
    path, regex, diff = words
    full = os.path.join(tree, path)
    if not os.path.isfile(full):
        raise RecipeError(f"{recipe['path']}: Apply-if: no file {path} in the tree")
    negate = regex.startswith("!")
    if negate:
        regex = regex[1:]
    with open(full, errors="replace") as f:
        if any(re.search(regex, l) for l in f) == negate:
            log["not_applied"].append(diff)
            return
    if not os.path.isfile(diff):
        raise RecipeError(f"{recipe['path']}: Apply-if: no such file {diff}")
    # Not --index: the diff may patch a file this recipe copied, which is
    # added to the index with the rest of the recipe's changes.
    p = run(["git", "-C", tree, "apply", "--whitespace=error-all",
             os.path.join(PROJECT, diff)], cwd=PROJECT, check=False)
    if p.returncode:
        raise RecipeError(f"{recipe['path']}: {diff} does not apply to the tree:\n"
                          + p.stderr.strip())
    log["applied"].append(diff)


ACTIONS = {"Copy": act_copy, "Insert": act_insert, "Spatch": act_spatch,
           "Apply": act_apply, "Apply-if": act_apply_if, "Choose": act_choose,
           "Maintainers": act_maintainers}


def wrap_command(words, width=70):
    lines, cur = [], "   "
    for w in words:
        if len(cur) + len(w) + 1 > width and cur.strip():
            lines.append(cur + " \\")
            cur = "       "
        cur += " " + w
    lines.append(cur)
    return "\n".join(lines)


def body_for_tree(tree, recipe):
    """The recipe's body, with its "@when FILE REGEX" ... "@end" blocks
    kept only where FILE (in the tree as committed) has a matching line."""
    out, keep, block = [], True, None
    for n, line in enumerate(recipe["body"].splitlines(), 1):
        if line.startswith("@when "):
            words = shlex.split(line[len("@when "):])
            if block is not None or len(words) != 2:
                raise RecipeError(f"{recipe['path']}: body line {n}: wants "
                                  "'@when FILE REGEX', not nested")
            block = words
            path = os.path.join(tree, words[0])
            keep = os.path.isfile(path) and any(
                re.search(words[1], l) for l in open(path, errors="replace"))
            continue
        if line == "@end":
            if block is None:
                raise RecipeError(f"{recipe['path']}: body line {n}: @end without @when")
            block, keep = None, True
            continue
        if keep:
            out.append(line)
    if block is not None:
        raise RecipeError(f"{recipe['path']}: @when {' '.join(block)} has no @end")
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip("\n")


def script_in_tree(tree, script):
    """The path of @script's copy under scripts/coccinelle/ in @tree (an
    earlier patch added it), or None."""
    with open(script, "rb") as f:
        want = f.read()
    top = os.path.join(tree, "scripts", "coccinelle")
    for d, _, files in os.walk(top):
        for name in sorted(files):
            path = os.path.join(d, name)
            if name.endswith(".cocci"):
                with open(path, "rb") as f:
                    if f.read() == want:
                        return os.path.relpath(path, tree)
    return None


def message(recipe, log, author, sver, tree):
    parts = [recipe["subject"], "", body_for_tree(tree, recipe)]
    for sp in log["spatch"]:
        intree = script_in_tree(tree, sp["script"])
        if intree:
            # The script is in the tree: name it, do not quote it.
            command = [w if w != os.path.basename(sp["script"]) else intree
                       for w in sp["command"]]
            parts += ["",
                      textwrap.fill(f"Generated with {intree} in patch mode "
                                    f"(spatch {sver}), from the top of the tree:",
                                    72),
                      "",
                      wrap_command(command)]
            continue
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


def apply_lines(work, lines, author, sver, env, t0, n, label=""):
    """Commits the recipes of @lines on the work tree's HEAD, numbered from
    @n + 1.  Returns the patches' summaries and the recipes skipped."""
    summary, skipped = [], []
    for alts in lines:
        recipes = [parse_recipe(a) for a in alts]
        why = [when_holds(work, r) for r in recipes]
        chosen = [r for r, w in zip(recipes, why) if w is None]
        if not chosen:
            if len(alts) > 1:
                raise RecipeError("no recipe of '" + " | ".join(alts) + "' fits this tree: "
                                  + "; ".join(f"{a}: {w}" for a, w in zip(alts, why)))
            skipped.append({"recipe": alts[0], "why": why[0]})
            print(f"  SKIP    {label}{recipes[0]['subject']} ({why[0]})")
            continue
        recipe = chosen[0]
        path = recipe["path"]
        n += 1
        log = {"copied": [], "inserted": [], "spatch": [], "applied": [],
               "not_applied": [], "spatch_logs": [], "env": {}}
        for key, arg in recipe["fields"]:
            if key in ACTIONS:
                ACTIONS[key](work, recipe, expand(arg, log["env"], path), log)
            elif key not in ("Subject", "Trailer", "When"):
                raise RecipeError(f"{path}: unknown header {key}:")
        git(work, "add", "-A")
        # Debian's top-level .gitignore ignores every new file: force.
        for copied in log["copied"]:
            git(work, "add", "-f", "--", copied)
        if not git(work, "diff", "--cached", "--name-only").strip():
            raise RecipeError(f"{path}: the recipe changed nothing")
        date = f"@{t0 + n} +0000"
        env.update(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
        msgfile = os.path.join(work, ".git", "SERIES_MSG")
        with open(msgfile, "w") as f:
            f.write(message(recipe, log, author, sver, work))
        git(work, "commit", "-q", "--no-verify", "-F", msgfile, env=env)
        files = git(work, "show", "--format=", "--name-only", "HEAD").split()
        summary.append({"recipe": path, "subject": recipe["subject"],
                        "commit": git(work, "rev-parse", "HEAD").strip(),
                        "files": files, "spatch": log["spatch"]})
        print(f"  PATCH   {label}{n:2d} {recipe['subject']}")
    return summary, skipped


def head(work):
    return git(work, "rev-parse", "HEAD").strip()


def build(work, base, author):
    """The combined branch `series` (checked out in @work, at @base), then
    the topics that must be built again on their own start."""
    sver = spatch_version()
    env = dict(os.environ)
    name, email = re.match(r"^(.*?)\s*<(.*)>$", author).groups()
    env.update(GIT_AUTHOR_NAME=name, GIT_AUTHOR_EMAIL=email,
               GIT_COMMITTER_NAME=name, GIT_COMMITTER_EMAIL=email)
    t0 = int(git(work, "log", "-1", "--format=%ct", base).strip())
    base = git(work, "rev-parse", base).strip()
    topics = read_series()
    summary, skipped, out = [], [], []
    n = 0
    for t in topics:
        start = head(work)
        print(f"  TOPIC   {t['name']}")
        patches, skip = apply_lines(work, t["lines"], author, sver, env, t0, n)
        if not patches:
            raise RecipeError(f"series: topic {t['name']} has no recipe that fits this tree")
        for p in patches:
            p["topic"] = t["name"]
        summary += patches
        skipped += skip
        # How many of its first patches need nothing but the base (all
        # of them if it needs no topic, none if it needs one throughout).
        alone = len(patches) if t["after"] is None else 0
        if t["needs_from"]:
            alone = next(i for i, p in enumerate(patches) if p["recipe"] == t["needs_from"])
        out.append({"name": t["name"], "cover": t["cover"], "after": t["after"],
                    "alone": alone,
                    "start": start, "tip": head(work), "first": n + 1,
                    "commits": [p["commit"] for p in patches], "rebuilt": False})
        n += len(patches)
    for t, o in zip(topics, out):
        # Where the topic's mails apply: the base, or the tip of the topic
        # it needs.
        want = base if t["after"] is None else \
            next(x["tip"] for x in out if x["name"] == t["after"])
        if o["start"] != want:
            git(work, "checkout", "-q", "-B", t["name"], want)
            print(f"  TOPIC   {t['name']} again, on its own start")
            patches, _ = apply_lines(work, t["lines"], author, sver, env, t0,
                                     o["first"] - 1, label=f"{t['name']}: ")
            o.update(start=want, tip=head(work), rebuilt=True,
                     commits=[p["commit"] for p in patches])
            git(work, "checkout", "-q", "series")
        else:
            git(work, "branch", "-q", "-f", t["name"], o["tip"])
    return summary, skipped, out


def main():
    if len(sys.argv) != 5:
        die("usage: series.py WORKDIR BASE OUTDIR AUTHOR")
    work, base, outdir, author = sys.argv[1:]
    work = os.path.abspath(work)
    if not re.match(r"^.+ <[^<>@ ]+@[^<> ]+>$", author):
        die(f"SERIES_AUTHOR={author!r} is not 'Name <email>'")
    try:
        summary, skipped, topics = build(work, base, author)
    except RecipeError as e:
        die(str(e))
    os.makedirs(outdir, exist_ok=True)
    with open(os.path.join(outdir, "series.json"), "w") as f:
        json.dump({"base": base, "patches": summary, "skipped": skipped,
                   "topics": topics}, f, indent=1)


if __name__ == "__main__":
    main()
