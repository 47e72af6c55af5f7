// SPDX-License-Identifier: GPL-2.0-only
/// Convert an open-coded unfair invalidation gate to struct inval_gate
///
/// The gate is found by its writer: under a spinlock,
/// prepare_to_rcuwait(), sleep while a counter is non-zero,
/// finish_rcuwait(), publish, unlock.  The lock, the counter and the
/// rcuwait found there are then replaced wherever they are used: the
/// struct members, the readers (increment and decrement under the
/// lock, then wake the rcuwait), the initialization, the teardown that
/// zeroes an unbalanced count, and lockless peeks.  Give spatch the
/// header and every .c file of the owner in one run.
///
/// The readers enter in one function and leave in another (a
/// notifier's invalidate_range_start() and invalidate_range_end()),
/// and an end may never come if the notifier is unregistered in
/// between: they become non-owner readers, handed off before the
/// entering function returns.
//
// Confidence: High
// Comments: names come from the writer's shape, never from a list
// Options: --include-headers

virtual patch
virtual context
virtual org
virtual report

@writer@
identifier L, C, W;
expression E;
position p;
@@

spin_lock@p(&E->L);
prepare_to_rcuwait(&E->W);
while (E->C) { ... }
finish_rcuwait(&E->W);
...
spin_unlock(&E->L);

@script:python gate_name depends on writer@
lock << writer.L;
g;
@@

if lock.endswith("_lock"):
    coccinelle.g = cocci.make_ident(lock[:-len("_lock")] + "_gate")
else:
    coccinelle.g = cocci.make_ident(lock + "_gate")

// ---- patch ----

@publish depends on patch@
identifier writer.L, writer.C, writer.W, gate_name.g;
expression E;
@@

- spin_lock(&E->L);
- prepare_to_rcuwait(&E->W);
- while (E->C) { ... }
- finish_rcuwait(&E->W);
+ inval_gate_write_begin(&E->g);
  ...
- spin_unlock(&E->L);
+ inval_gate_write_end(&E->g);

// The hand-off comes before each return, after the return value is
// computed: a return of anything but a constant is left unconverted,
// and the leftover rule below names it.
@enter depends on patch@
identifier writer.L, writer.C, gate_name.g;
identifier fn;
expression E;
constant R;
@@

fn(...) {
  ...
- spin_lock(&E->L);
(
- E->C++;
|
- ++E->C;
|
- E->C += 1;
)
- spin_unlock(&E->L);
+ inval_gate_enter_non_owner(&E->g);
  ...
(
+ inval_gate_hand_off(&E->g);
  return R;
|
+ inval_gate_hand_off(&E->g);
  return;
)
}

@enter_void depends on patch@
identifier writer.L, writer.C, gate_name.g;
identifier fn;
expression E;
@@

void fn(...) {
  ...
- spin_lock(&E->L);
(
- E->C++;
|
- ++E->C;
|
- E->C += 1;
)
- spin_unlock(&E->L);
+ inval_gate_enter_non_owner(&E->g);
  ...
+ inval_gate_hand_off(&E->g);
}

@leave depends on patch@
identifier writer.L, writer.C, writer.W, gate_name.g;
expression E;
identifier wake;
type T;
@@

- T wake;
  ... when != wake
- spin_lock(&E->L);
(
- if (!WARN_ON_ONCE(!E->C))
-	--E->C;
- wake = !E->C;
|
- wake = (--E->C == 0);
|
- wake = --E->C == 0;
)
- spin_unlock(&E->L);
+ inval_gate_leave_non_owner(&E->g);
  ... when != wake
- if (wake)
-	rcuwait_wake_up(&E->W);

// range_end() may also bump a sequence counter under the
// lock, ordered before the count drops by smp_wmb() (KVM's
// gpc_invalidate_seq, read by the pfn caches).  With the lock
// gone, concurrent leaves would race on the increment, so the
// counter becomes an atomic_long_t; the smp_wmb() stays
// (inval_gate_leave() is fully ordered too).
@leave_seq depends on patch@
identifier writer.L, writer.C, writer.W, gate_name.g;
expression E;
identifier wake, S;
type T;
@@

- T wake;
  ... when != wake
- spin_lock(&E->L);
- E->S++;
+ atomic_long_inc(&E->S);
  smp_wmb();
(
- if (!WARN_ON_ONCE(!E->C))
-	--E->C;
- wake = !E->C;
|
- wake = (--E->C == 0);
|
- wake = --E->C == 0;
)
- spin_unlock(&E->L);
+ inval_gate_leave_non_owner(&E->g);
  ... when != wake
- if (wake)
-	rcuwait_wake_up(&E->W);

@seq_read depends on leave_seq@
identifier leave_seq.S;
expression E, X;
@@

(
 atomic_long_inc(&E->S)
|
- E->S = X
+ atomic_long_set(&E->S, X)
|
- E->S
+ atomic_long_read(&E->S)
)

@init depends on patch@
identifier writer.L, gate_name.g;
expression E;
@@

- spin_lock_init(&E->L);
+ inval_gate_init(&E->g);

@init_wait depends on patch@
identifier writer.W;
expression E;
@@

- rcuwait_init(&E->W);

@teardown depends on patch@
identifier writer.C, writer.W, gate_name.g;
expression E, X;
@@

- WARN_ON(rcuwait_active(&E->W));
- if (E->C)
-	E->C = 0;
- else
-	WARN_ON(X);
+ if (!inval_gate_teardown(&E->g))
+	WARN_ON(X);

@peek depends on patch@
identifier writer.C, gate_name.g;
expression E;
statement S1, S2;
@@

(
- if (E->C)
+ if (inval_gate_in_progress(&E->g))
  S1 else S2
|
- if (E->C)
+ if (inval_gate_in_progress(&E->g))
  S1
|
- if (!E->C)
+ if (!inval_gate_in_progress(&E->g))
  S1 else S2
|
- if (!E->C)
+ if (!inval_gate_in_progress(&E->g))
  S1
)

@member_lock depends on patch@
identifier writer.L, gate_name.g, Sg;
@@

struct Sg {
  ...
- spinlock_t L;
+ struct inval_gate g;
  ...
};

// The count and the rcuwait go from the struct whose lock became the
// gate, not from any struct with a member of the same name.
@member_count depends on patch && member_lock@
identifier writer.C, member_lock.Sg;
type T;
@@

struct Sg {
  ...
- T C;
  ...
};

@member_wait depends on patch && member_lock@
identifier writer.W, member_lock.Sg;
@@

struct Sg {
  ...
- struct rcuwait W;
  ...
};

@seq_member depends on leave_seq && member_lock@
identifier leave_seq.S, member_lock.Sg;
@@

struct Sg {
  ...
- unsigned long S;
+ atomic_long_t S;
  ...
};

// The include goes after <linux/mmu_notifier.h> where a file has it:
// the owner of a notifier's gate includes it where it declares its
// struct.  An owner that does not needs the include added by hand
// (the build says so: the new member's type is unknown).
@include depends on member_lock@
@@

#include <linux/mmu_notifier.h>
+#include <linux/inval_gate.h>

// Anything left of the members is a partial conversion: say where, so
// that patch mode's output is not taken for a whole conversion.
@leftover depends on patch@
identifier writer.L, writer.C, writer.W;
expression E;
position p;
@@

(
 E->L@p
|
 E->C@p
|
 E->W@p
)

@script:python depends on leftover@
p << leftover.p;
@@

print("LEFTOVER %s:%s: open-coded gate member left behind"
      % (p[0].file, p[0].line))

// ---- context, org, report ----

@ctx depends on context && writer@
identifier writer.L, writer.C;
expression E;
@@

* spin_lock(&E->L);
* prepare_to_rcuwait(...);
  ...
* spin_unlock(&E->L);

@script:python depends on org@
p << writer.p;
l << writer.L;
c << writer.C;
w << writer.W;
@@

coccilib.org.print_todo(p[0],
    "open-coded invalidation gate %s/%s/%s" % (l, c, w))

@script:python depends on report@
p << writer.p;
l << writer.L;
c << writer.C;
w << writer.W;
@@

coccilib.report.print_report(p[0],
    "open-coded invalidation gate (%s, %s, %s): use struct inval_gate"
    % (l, c, w))
