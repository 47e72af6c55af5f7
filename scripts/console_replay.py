#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""console_replay.py - undo nbcon's replayed records in a serial console log.

Usage: console_replay.py IN OUT   (prints how many replays it undid)

Since 6.12 the serial consoles that KUnit and make e2e boot with (pl011 on
arm64, 8250 on x86) are nbcon consoles.  A printk kthread prints their
records one character at a time; when a WARN, a lockdep report or a panic
prints in an emergency section, it takes the console over between two
characters and prints the interrupted record again from its start, after
the line

    ** replaying previous printk message **

(kernel/printk/nbcon.c, console_prepend_replay()).  What the kthread had
printed of it stays on the wire, cut short.  When the cut record is a KTAP
line ("    ok 3 emergency_slot_r"), kunit.py no longer parses the output:
KUnit cases then fail with empty names, though every one passed.

This script removes the replay line and the copy the interrupted owner
had printed: the lines just before the replay line that the replayed
record repeats (the last of them may be cut short).  Nothing else is
changed, so every report stays in the log.
"""
import sys

REPLAY = "** replaying previous printk message **"
# A record of more lines than this is not undone (a WARN prints a line
# per record; KTAP lines are records of one line).
MAX_LINES = 64


def _copied(before, after):
    """How many lines at the end of BEFORE the start of AFTER repeats."""
    for k in range(min(len(before), len(after), MAX_LINES), 0, -1):
        head, tail = before[-k:], after[:k]
        if head[:-1] == tail[:-1] and head[-1] and tail[-1].startswith(head[-1]):
            return k
    return 0


def unreplay(lines):
    """LINES without replay lines and what they replay; and their number."""
    out, undone = [], 0
    for i, line in enumerate(lines):
        if line.rstrip("\r\n") != REPLAY:
            out.append(line)
            continue
        strip = [l.rstrip("\r\n") for l in out[-MAX_LINES:]]
        after = [l.rstrip("\r\n") for l in lines[i + 1:i + 1 + MAX_LINES]]
        k = _copied(strip, after)
        if k:
            del out[-k:]
        undone += 1
    return out, undone


def main():
    src, dst = sys.argv[1:3]
    with open(src, errors="replace") as f:
        lines = f.readlines()
    lines, undone = unreplay(lines)
    with open(dst, "w") as f:
        f.writelines(lines)
    print(undone)
    return 0


if __name__ == "__main__":
    sys.exit(main())
