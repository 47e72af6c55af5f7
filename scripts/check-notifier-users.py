#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""check-notifier-users.py TREE DOC - is DOC's list of mmu notifier users true?

DOC (Documentation/mm/mmu_notifier-oom.rst) lists, in a literal block, one
line "   FILE: OP OP ..." per struct mmu_notifier_ops of the kernel tree
TREE outside mm/ and the tests, with the operations its initializer
defines.  Exits 0 if the list and the tree agree; otherwise prints every
difference (a user missing from the list, one that is not in the tree,
operations that differ) and exits 1.
"""
import os
import re
import sys

OPS = re.compile(r"struct mmu_notifier_ops\s+\w+\s*=\s*\{(.*?)\};", re.S)
FIELD = re.compile(r"^\s*\.(\w+)\s*=", re.M)
LINE = re.compile(r"^   ([\w./-]+\.c): ([\w ]+)$")
SKIP = ("mm/", "lib/tests/", "tools/", "Documentation/")


def tree_users(tree):
    users = {}
    for d in ("arch", "drivers", "virt", "kernel", "fs", "security"):
        for root, _, files in os.walk(os.path.join(tree, d)):
            for name in files:
                if not name.endswith(".c") or name.endswith("_kunit.c"):
                    continue
                path = os.path.join(root, name)
                rel = os.path.relpath(path, tree)
                if rel.startswith(SKIP):
                    continue
                with open(path, errors="replace") as f:
                    text = f.read()
                if "mmu_notifier_ops" not in text:
                    continue
                for m in OPS.finditer(text):
                    users.setdefault(rel, []).extend(FIELD.findall(m[1]))
    return users


def doc_users(doc):
    users = {}
    if not os.path.exists(doc):
        return users
    with open(doc) as f:
        for line in f:
            m = LINE.match(line.rstrip("\n"))
            if m:
                users[m[1]] = m[2].split()
    return users


def main():
    tree, doc = sys.argv[1:3]
    have, said = tree_users(tree), doc_users(doc)
    problems = []
    if not said:
        problems.append(f"{doc}: no '   FILE: OP...' lines")
    for f in sorted(set(have) | set(said)):
        if f not in said:
            problems.append(f"{doc}: {f} defines mmu_notifier_ops "
                            f"({' '.join(have[f])}) and is not listed")
        elif f not in have:
            problems.append(f"{doc}: lists {f}, which defines no "
                            "mmu_notifier_ops in the tree")
        elif sorted(have[f]) != sorted(said[f]):
            problems.append(f"{doc}: {f}: listed with {' '.join(said[f])}, "
                            f"the tree has {' '.join(have[f])}")
    print("\n".join(problems) or f"{len(have)} users, as listed")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
