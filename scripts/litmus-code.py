#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""litmus-code.py FILE FUNCTION TEXT: is TEXT in the body of FUNCTION in FILE?

FUNCTION is a C function whose definition starts a line (after its return
type, or with its name on a line of its own after "static noinline ...")
and ends at the first "}" in column 0, or a macro (#define FUNCTION(...))
that ends at the first line without a continuation backslash.  Comments
do not count, and runs of white space compare equal.  Exit 0 if found; otherwise say what was not
found where, and exit 1.
"""
import re
import sys


def body(lines, func):
    start = None
    pat = re.compile(r'^(#define\s+|(?:static\s|inline\s|__always_inline\s|noinline\s|'
                     r'__cold\s|__maybe_unused\s|const\s|unsigned\s|struct\s+\w+\s|\w+\s|\*)*\**)'
                     + re.escape(func) + r'\(')
    for i, line in enumerate(lines):
        if pat.match(line) and not line.rstrip().endswith(';'):
            start = i
            break
    if start is None:
        return None
    if lines[start].startswith('#define'):
        end = start
        while end < len(lines) and lines[end].rstrip().endswith('\\'):
            end += 1
        return lines[start:end + 1]
    end = start
    while end < len(lines) and lines[end].rstrip() != '}':
        end += 1
    return lines[start:end + 1]


def norm(s):
    s = re.sub(r'/\*.*?\*/', ' ', s, flags=re.S)
    s = re.sub(r'//[^\n]*', ' ', s)
    return ' '.join(s.replace('\\\n', ' ').split())


def main():
    if len(sys.argv) != 4:
        sys.exit('usage: litmus-code.py FILE FUNCTION TEXT')
    path, func, text = sys.argv[1:]
    try:
        lines = open(path).read().split('\n')
    except OSError as e:
        sys.exit(f'litmus-code.py: {path}: {e.strerror}')
    b = body(lines, func)
    if b is None:
        sys.exit(f'litmus-code.py: {path}: no definition of {func}()')
    if norm(text) in norm('\n'.join(b)):
        return
    print('\n'.join(b))
    sys.exit(f'litmus-code.py: {path}: {func}() no longer contains "{text}"')


main()
