#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""cover-letter.py - fill git format-patch's cover letter template.

Usage: cover-letter.py MAILDIR COVER

COVER's first line is the subject, the rest the blurb.
"""
import glob
import sys

ME = "scripts/cover-letter.py"
maildir, cover = sys.argv[1:3]
letters = glob.glob(f"{maildir}/0000-cover-letter.patch")
if len(letters) != 1:
    sys.exit(f"{ME}: no 0000-cover-letter.patch in {maildir}")
with open(cover) as f:
    subject, _, blurb = f.read().partition("\n")
with open(letters[0]) as f:
    text = f.read()
for marker in ("*** SUBJECT HERE ***", "*** BLURB HERE ***"):
    if marker not in text:
        sys.exit(f"{ME}: {letters[0]}: no '{marker}' to replace")
text = text.replace("*** SUBJECT HERE ***", subject.strip())
text = text.replace("*** BLURB HERE ***", blurb.strip("\n"))
with open(letters[0], "w") as f:
    f.write(text)
