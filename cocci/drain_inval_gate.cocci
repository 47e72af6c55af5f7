// SPDX-License-Identifier: GPL-2.0-only
/// Convert an open-coded drain-only invalidation gate to inval_gate
///
/// The gate is found by its two ends: tasks sleep on a wait queue
/// until an atomic count of active invalidations is zero, and an
/// invalidation's end decrements that count and wakes the wait queue.
/// The count and the wait queue are then replaced wherever they are
/// used: the struct members, the increment at an invalidation's start,
/// the decrement and wakeup at its end, the wait, lockless peeks and
/// the initialization.  Give spatch the header and every .c file of
/// the owner in one run.
//
// Confidence: Moderate
// (a count drained by waiters on a wait queue is a common shape: the
// script also wants the count's increment and decrement in the same
// struct's functions, see the .nochange.c golden cases)
// Comments: names come from the code's shape, never from a list
// Options: --include-headers

virtual patch
virtual context
virtual org
virtual report

@drain@
identifier C, Q;
expression E;
position p;
@@

wait_event@p(E->Q, atomic_read(&E->C) == 0);

@leaver@
identifier drain.C, drain.Q;
expression E;
@@

(
 (void)atomic_dec_and_test(&E->C);
|
atomic_dec_and_test(&E->C);
|
atomic_dec(&E->C);
)
...
wake_up_all(&E->Q);

@script:python gate_name depends on leaver@
count << drain.C;
g;
@@

name = count
for suffix in ("_active", "_count", "_cnt"):
    if name.endswith(suffix):
        name = name[:-len(suffix)]
        break
coccinelle.g = cocci.make_ident(name + "_gate")

// ---- patch ----

@wait depends on patch && leaver@
identifier drain.C, drain.Q, gate_name.g;
expression E;
@@

- wait_event(E->Q, atomic_read(&E->C) == 0);
+ inval_gate_wait_idle(&E->g);

@leave depends on patch && leaver@
identifier drain.C, gate_name.g;
expression E;
@@

(
- (void)atomic_dec_and_test(&E->C);
+ inval_gate_leave_non_owner(&E->g);
|
- atomic_dec_and_test(&E->C);
+ inval_gate_leave_non_owner(&E->g);
|
- atomic_dec(&E->C);
+ inval_gate_leave_non_owner(&E->g);
)

// The gate wakes its waiters itself.
@wake depends on patch && leaver@
identifier drain.Q;
expression E;
@@

- wake_up_all(&E->Q);

@enter depends on patch && leaver@
identifier drain.C, gate_name.g;
expression E;
@@

// lockdep holds the reader until the entering callback returns: what
// it does after entering is checked, and an invalidation whose end
// never comes (the notifier was put meanwhile) leaves no hold behind.
- atomic_inc(&E->C);
+ inval_gate_enter_non_owner(&E->g);
  ...
+ inval_gate_hand_off(&E->g);
  return ...;

@peek depends on patch && leaver@
identifier drain.C, gate_name.g;
expression E;
@@

- atomic_read(&E->C)
+ inval_gate_in_progress(&E->g)

@init depends on patch && leaver@
identifier drain.Q, gate_name.g;
expression E;
@@

- init_waitqueue_head(&E->Q);
+ inval_gate_init(&E->g);

// Both members in one rule: it prints the new member cleanly.
@members depends on patch && leaver@
identifier drain.C, drain.Q, gate_name.g, S;
@@

struct S {
  ...
- atomic_t C;
- wait_queue_head_t Q;
+ struct inval_gate g;
  ...
};

// The include goes after <linux/mmu_notifier.h> where a file has it:
// the owner of a notifier's gate includes it where it declares its
// struct.  An owner that does not needs the include added by hand
// (the build says so: the new member's type is unknown).
@include depends on members@
@@

#include <linux/mmu_notifier.h>
+#include <linux/inval_gate.h>

// Anything left of the members is a partial conversion: say where, so
// that patch mode's output is not taken for a whole conversion.
@leftover depends on patch && leaver@
identifier drain.C, drain.Q;
expression E;
position p;
@@

(
 E->C@p
|
 E->Q@p
)

@script:python depends on leftover@
p << leftover.p;
@@

print("LEFTOVER %s:%s: open-coded gate member left behind"
      % (p[0].file, p[0].line))

// ---- context, org, report ----

// These modes may see one file at a time (coccicheck): find the gate
// by an mmu_notifier's invalidate_range_end callback that drops the
// count and wakes every waiter.
@end_cb depends on context || org || report@
identifier ops, fn;
@@

 struct mmu_notifier_ops ops = {
	.invalidate_range_end = fn,
 };

@r_end depends on context || org || report@
identifier end_cb.fn, C, Q;
expression E;
position p;
@@

fn(...)
{
  <+...
(
  (void)atomic_dec_and_test@p(&E->C);
|
  atomic_dec_and_test@p(&E->C);
|
  atomic_dec@p(&E->C);
)
  ...
  wake_up_all(&E->Q);
  ...+>
}

@ctx depends on context@
identifier end_cb.fn, r_end.C, r_end.Q;
expression E;
@@

fn(...)
{
  <+...
* wake_up_all(&E->Q);
  ...+>
}

@script:python depends on org@
p << r_end.p;
c << r_end.C;
q << r_end.Q;
@@

coccilib.org.print_todo(p[0], "open-coded drain gate %s/%s" % (c, q))

@script:python depends on report@
p << r_end.p;
c << r_end.C;
q << r_end.Q;
@@

coccilib.report.print_report(p[0],
    "open-coded drain-only invalidation gate (%s, %s): "
    "use struct inval_gate" % (c, q))
