# SPDX-License-Identifier: GPL-2.0
"""What a kernel log must not hold: lockdep, RCU, KASAN, KCSAN, atomic-sleep
and other reports.  Shared by the KUnit result and matrix scripts."""
import re

# What a cell's kernel log must not hold.  WARN()s are expected: the misuse
# cases trigger them on purpose.
REPORTS = re.compile("|".join([
    r"BUG: ",                                   # atomic sleep, KASAN, KCSAN, ...
    r"WARNING: possible (circular|recursive) locking",
    r"WARNING: possible irq lock inversion",
    r"WARNING: inconsistent lock state",
    r"WARNING: suspicious RCU usage",
    r"WARNING: bad unlock balance",
    r"WARNING: held lock freed",
    r"WARNING: lock held when returning",
    r"WARNING: Nested lock was not taken",
    r"INFO: possible irq lock inversion",
    r"INFO: task .* blocked for more than",
    r"rcu: INFO: .* detected stalls",
    r"Kernel panic",
    r"general protection fault",
    r"UBSAN: ",
]))
