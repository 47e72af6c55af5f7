#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""cover-letter.py - fill a topic's cover letter: git format-patch's
template, with the topic's COVER file and what make check measured.

Usage: cover-letter.py SERIESDIR TOPIC COVER [RESULTS]

COVER's first line is the subject, the rest the blurb.  A blurb line

    @tested KEY...

is replaced by how the series was tested: the checks of RESULTS (make
check's results.tsv) whose names contain one of the KEYs or the topic's
name, or that build one of the topic's patches, counted by stage, and
make check's whole tally; with the KEY "e2e:", also the table of the
kernels that make check's e2e stage booted (OUT/e2e/table.txt).  Without RESULTS, or when RESULTS is not of
this version of the series ($SERIES_INPUTS, or else SERIESDIR/.inputs,
differs from the inputs that make check recorded beside RESULTS), it
says that the series has not been tested yet.

Writes SERIESDIR/TOPIC/0000-cover-letter.patch (from the template that
git format-patch wrote, kept as cover-letter.template) and
SERIESDIR/TOPIC/cover.txt (the subject and text, what b4 is given).
"""
import collections
import json
import os
import re
import shutil
import sys
import textwrap

ME = "scripts/cover-letter.py"


def die(msg):
    sys.exit(f"{ME}: {msg}")


def read_results(path):
    rows = []
    with open(path) as f:
        for line in f:
            cols = line.rstrip("\n").split("\t")
            if len(cols) >= 2:
                rows.append((cols[0], cols[1]))
    return rows


def tested(seriesdir, topic, keys, results):
    if not results or not os.path.exists(results):
        return textwrap.fill("Not tested yet: make check fills this in with "
                             "what it measured on this version of the series.", 72)
    stamp = os.path.join(os.path.dirname(results), "inputs")
    mine = os.environ.get("SERIES_INPUTS")
    if mine is None and os.path.exists(os.path.join(seriesdir, ".inputs")):
        mine = open(os.path.join(seriesdir, ".inputs")).read()
    if not (os.path.exists(stamp) and mine is not None and
            open(stamp).read().strip() == mine.strip()):
        return textwrap.fill("Not tested yet: the last make check was of "
                             "another version of the series.", 72)
    with open(os.path.join(seriesdir, "series.json")) as f:
        series = json.load(f)
    # The combined branch's patch numbers that are this topic's.
    numbers = {f"{n:02d}" for n, p in enumerate(series["patches"], 1)
               if p["topic"] == topic}
    # The default tree's results also hold the second trees' ("6.12:...").
    rows = [(n, s) for n, s in read_results(results)
            if not re.match(r"^\d+\.\d+:", n)]
    total = collections.Counter(s for _, s in rows)

    def ours(name):
        parts = name.split(":")
        if parts[0] == "build" and len(parts) == 3 and parts[2] in numbers:
            return True
        return any(k in name for k in keys + [topic])

    stages = collections.OrderedDict()
    for name, status in rows:
        if ours(name):
            stages.setdefault(name.split(":")[0], collections.Counter())[status] += 1
    if not stages:
        die(f"{results}: no check of topic {topic} (keys: {' '.join(keys)})")

    def counts(c):
        out = f"{c['passed']} passed, {c['failed']} failed"
        return out + (f", {c['skipped']} skipped" if c["skipped"] else "")

    lines = [textwrap.fill(
        f"Tested on the base below with make check, from the pipeline "
        f"that generates this series: of its checks on this tree, "
        f"{counts(total)}.  "
        f"Those of this series' patches, by stage:", 72), ""]
    cells = sorted({n.split(":")[1] for n, _ in rows
                    if n.startswith("kunit:") and ours(n) and n.count(":") >= 2})
    what = {
        "kunit": "KUnit, booted (" + ", ".join(cells) + ")",
        "litmus": "LKMM litmus tests, herd7",
        "build": "x86_64 defconfig + KVM, W=1, each patch",
        "sparse": "sparse, the files the patches touch",
        "checkpatch": "checkpatch.pl --strict",
        "cocci-golden": "the semantic patches' own tests",
        "coccicheck": "make coccicheck, before and after",
        "kernel-doc": "kernel-doc -Wall",
        "e2e": "KVM selftests and OOM rounds, booted",
        "b4": "b4 prep and send -o",
        "series": "git am of the mails",
    }
    for stage, c in stages.items():
        lines.append(f"  {stage:<13} {counts(c)}")
        if stage in what:
            lines.append(f"  {'':<13} {what[stage]}")
    # The booted kernels' table, if this make check's e2e stage wrote it.
    table = os.path.join(os.path.dirname(seriesdir), "e2e", "table.txt")
    if "e2e:" in keys and os.path.exists(table) and \
       os.path.getmtime(table) >= os.path.getmtime(stamp):
        with open(table) as f:
            figures = f.read().split("\n\n", 1)[0].rstrip("\n")
        lines += ["", textwrap.fill(
            "Booted by the same make check under QEMU's TCG emulator, with "
            "an emulated AMD SVM CPU (not on VMX, not on hardware): KVM's "
            "selftests, a VM process reaped with process_mrelease() and one "
            "killed by a memory cgroup's OOM killer, on the series' debug "
            "(lockdep, KASAN) and PREEMPT_RT kernels:", 72), ""]
        for l in figures.splitlines():
            # Rows for kernels make check does not boot (the baselines'
            # ratios) are all "-": left out.
            cells = re.split(r"\s{2,}", l.strip())
            if len(cells) > 1 and all(c == "-" for c in cells[1:]):
                continue
            lines.append("  " + l if l else "")
    return "\n".join(lines)


def main():
    if len(sys.argv) not in (4, 5):
        die("usage: cover-letter.py SERIESDIR TOPIC COVER [RESULTS]")
    seriesdir, topic, cover = sys.argv[1:4]
    results = sys.argv[4] if len(sys.argv) == 5 else None
    maildir = os.path.join(seriesdir, topic)
    letter = os.path.join(maildir, "0000-cover-letter.patch")
    template = os.path.join(maildir, "cover-letter.template")
    if not os.path.exists(template):
        if not os.path.exists(letter):
            die(f"no {letter}")
        shutil.copy(letter, template)
    with open(cover) as f:
        subject, _, blurb = f.read().partition("\n")
    out = []
    for line in blurb.strip("\n").splitlines():
        if line.startswith("@tested"):
            out.append(tested(seriesdir, topic, line.split()[1:], results))
        else:
            out.append(line)
    blurb = "\n".join(out)
    with open(template) as f:
        text = f.read()
    for marker in ("*** SUBJECT HERE ***", "*** BLURB HERE ***"):
        if marker not in text:
            die(f"{template}: no '{marker}' to replace")
    text = text.replace("*** SUBJECT HERE ***", subject.strip())
    text = text.replace("*** BLURB HERE ***", blurb)
    with open(letter, "w") as f:
        f.write(text)
    with open(os.path.join(maildir, "cover.txt"), "w") as f:
        f.write(subject.strip() + "\n\n" + blurb + "\n")


if __name__ == "__main__":
    main()
