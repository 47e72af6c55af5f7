#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""bench-codegen.py - code size before and after the series, x86_64.

Usage: bench-codegen.py BASELINE-OBJS SERIES-OBJS SPEC OBJECT... [-- LINKED...] > TSV

BASELINE-OBJS and SERIES-OBJS hold the same objects built at the baseline
and at the tip of the series.  For each OBJECT: the bytes of its
executable sections.  For each function of SPEC (scripts/bench-codegen.spec)
and each other function of the objects whose size changed: its
instructions, the hot part (the symbol itself) and the cold parts GCC
split off (FUNCTION.cold, .part.N, ...) apart.  LINKED objects (modules
linked from several objects) get their sizes only.

The TSV's rows:
  object  OBJECT  -  BYTES-BEFORE  BYTES-AFTER  -  -
  function  OBJECT  FUNCTION  HOT-BEFORE  HOT-AFTER  COLD-BEFORE/COLD-AFTER  KIND  NOTE
where a count is "-" when the object or function does not exist on that
side (new, or inlined into its callers).
"""
import os
import re
import subprocess
import sys

ME = "scripts/bench-codegen.py"


def exec_bytes(obj):
    """Bytes of the sections with the executable flag."""
    out = subprocess.run(["readelf", "-SW", obj], capture_output=True, text=True,
                         check=True).stdout
    total = 0
    for line in out.splitlines():
        m = re.match(r"\s*\[\s*\d+\]\s+(\S+)\s+\S+\s+[0-9a-f]+\s+[0-9a-f]+\s+([0-9a-f]+)"
                     r"\s+[0-9a-f]+\s+(\S*X\S*)\s", line)
        if m:
            total += int(m.group(2), 16)
    return total


# Alignment padding after a function's last instruction.
PADDING = re.compile(r"^(nop|xchg\s+%ax,%ax|data16|cs nop|int3)")


def functions(obj):
    """{symbol: instruction count} from objdump's disassembly, without the
    padding that aligns the next function."""
    out = subprocess.run(["objdump", "-d", "--no-show-raw-insn", obj],
                         capture_output=True, text=True, check=True).stdout
    insns, cur = {}, None
    for line in out.splitlines():
        m = re.match(r"^[0-9a-f]+ <([^>]+)>:$", line)
        if m and re.search(r"[-+]0x[0-9a-f]+$", m.group(1)):
            cur = None      # not a symbol: an address past one
        elif m:
            cur = m.group(1)
            insns.setdefault(cur, [])
        elif cur and re.match(r"^\s+[0-9a-f]+:\s+\S", line):
            insns[cur].append(line.split("\t", 1)[-1].strip())
        elif not line.strip():
            cur = None
    counts = {}
    for sym, lst in insns.items():
        while lst and PADDING.match(lst[-1]):
            lst.pop()
        counts[sym] = len(lst)
    return counts


def split(counts, fn):
    """Instructions of fn itself, and of the parts GCC split off it."""
    hot = counts.get(fn)
    cold = sum(n for s, n in counts.items() if s.startswith(fn + "."))
    return hot, cold


def base_name(sym):
    return sym.split(".", 1)[0]


def read_spec(path):
    spec = []
    with open(path) as f:
        for n, line in enumerate(f, 1):
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.rstrip("\n").split("\t")
            if len(cols) != 4 or cols[2] not in ("hot", "cold", "new"):
                sys.exit(f"{ME}: {path}:{n}: want [TREE:]OBJECT<TAB>FUNCTION<TAB>hot|cold|new<TAB>NOTE")
            tree, _, obj = cols[0].rpartition(":")
            if tree and tree != os.environ.get("TREE", "7.3"):
                continue
            spec.append([obj] + cols[1:])
    return spec


def fmt(n):
    return "-" if n is None else str(n)


def main():
    if len(sys.argv) < 5:
        sys.exit(__doc__)
    before_dir, after_dir, spec_path = sys.argv[1:4]
    objects, linked = sys.argv[4:], []
    if "--" in objects:
        i = objects.index("--")
        objects, linked = objects[:i], objects[i + 1:]
    spec = read_spec(spec_path)
    rows, funcs = [], {}
    for obj in objects + linked:
        b, a = os.path.join(before_dir, obj), os.path.join(after_dir, obj)
        if not os.path.exists(a):
            sys.exit(f"{ME}: {a}: not built")
        rows.append(["object", obj, "-", fmt(exec_bytes(b) if os.path.exists(b) else None),
                     str(exec_bytes(a)), "-", "-", "-"])
        if obj in linked:
            continue
        funcs[obj] = (functions(b) if os.path.exists(b) else {}, functions(a))

    seen = set()
    for obj, fn, kind, note in spec:
        if obj not in funcs:
            sys.exit(f"{ME}: {spec_path}: {obj} is not among the objects the series touches")
        before, after = funcs[obj]
        hb, cb = split(before, fn)
        ha, ca = split(after, fn)
        if hb is None and ha is None:
            sys.exit(f"{ME}: {spec_path}: {obj}: no function {fn} on either side "
                     "(renamed, or inlined everywhere: name its caller instead)")
        rows.append(["function", obj, fn, fmt(hb), fmt(ha), f"{cb}/{ca}", kind, note])
        seen.add((obj, fn))

    # Every other function whose size changed, so that nothing hides.
    for obj, (before, after) in funcs.items():
        names = {base_name(s) for s in before} | {base_name(s) for s in after}
        for fn in sorted(names):
            if (obj, fn) in seen or fn.startswith(("__UNIQUE_ID", "__pfx_", "__cfi_")):
                continue
            hb, cb = split(before, fn)
            ha, ca = split(after, fn)
            if (hb, cb) != (ha, ca) and before:
                rows.append(["function", obj, fn, fmt(hb), fmt(ha), f"{cb}/{ca}",
                             "other", ""])
    for r in rows:
        print("\t".join(r))


if __name__ == "__main__":
    main()
