// SPDX-License-Identifier: GPL-2.0-only
/// Convert an RCU-published emergency callback to an emergency slot
///
/// The callback is found by its use: a static __rcu function pointer
/// that is loaded with rcu_dereference() (in an RCU read-side section)
/// or rcu_dereference_raw() and called if set.  Its registration (warn
/// and return if set, rcu_assign_pointer()), its unregistration (warn
/// and return if another is set, assign NULL, synchronize_rcu()), its
/// call and the "is one set?" checks become emergency_slot_*() calls,
/// which need no RCU on the calling CPU and still wait for running
/// calls before unregistering returns.  An __rcu pointer to data is
/// left alone: it is never called.
//
// Confidence: High
// Comments: names come from the code's shape, never from a list
// Options: --no-includes

virtual patch
virtual context
virtual org
virtual report

@invoke@
identifier P, cb;
expression list args;
position p;
@@

(
  rcu_read_lock();
  cb = rcu_dereference@p(P);
  if (cb)
	cb(args);
  rcu_read_unlock();
|
  cb = rcu_dereference_raw@p(P);
  if (cb)
	cb(args);
)

@ptr depends on invoke@
identifier invoke.P;
type T;
@@

 static T *P;

@script:python fn_type depends on ptr@
t << ptr.T;
ft;
@@

coccinelle.ft = cocci.make_type(t.replace("__rcu", "").strip())

// ---- patch ----

@decl depends on patch@
identifier invoke.P;
type ptr.T, fn_type.ft;
declarer name DEFINE_EMERGENCY_SLOT;
@@

- static T *P;
+ static DEFINE_EMERGENCY_SLOT(P, ft);

@include depends on decl@
@@

#include <linux/...>
+#include <linux/emergency_slot.h>

@call depends on decl@
identifier invoke.P, invoke.cb;
expression list args;
type T;
@@

- T *cb;
  ...
(
- rcu_read_lock();
- cb = rcu_dereference(P);
- if (cb)
-	cb(args);
- rcu_read_unlock();
+ emergency_slot_call(&P, args);
|
- cb = rcu_dereference_raw(P);
- if (cb)
-	cb(args);
+ emergency_slot_call(&P, args);
)

@reg depends on decl@
identifier invoke.P;
expression E;
@@

- if (WARN_ON_ONCE(rcu_access_pointer(P)))
-	return;
- rcu_assign_pointer(P, E);
+ emergency_slot_register(&P, E);

@unreg depends on decl@
identifier invoke.P;
expression E;
@@

- if (WARN_ON_ONCE(rcu_access_pointer(P) != E))
-	return;
- rcu_assign_pointer(P, NULL);
- synchronize_rcu();
+ emergency_slot_unregister(&P, E);

@armed depends on decl@
identifier invoke.P;
@@

- rcu_access_pointer(P)
+ emergency_slot_armed(&P)

// Any RCU access left to the pointer is a partial conversion: say
// where, so that patch mode's output is not taken for a whole
// conversion.
@leftover depends on decl@
identifier invoke.P;
expression E;
position q;
@@

(
 rcu_dereference@q(P)
|
 rcu_dereference_raw@q(P)
|
 rcu_dereference_protected@q(P, E)
|
 rcu_assign_pointer@q(P, E)
|
 RCU_INIT_POINTER@q(P, E)
)

@script:python depends on leftover@
q << leftover.q;
@@

print("LEFTOVER %s:%s: RCU access to the callback left behind"
      % (q[0].file, q[0].line))

// ---- context, org, report ----

@ctx depends on context && ptr@
identifier invoke.P;
@@

* rcu_dereference(P)

@script:python depends on org && ptr@
p << invoke.p;
f << invoke.P;
@@

coccilib.org.print_todo(p[0], "RCU-published callback %s" % f)

@script:python depends on report && ptr@
p << invoke.p;
f << invoke.P;
@@

coccilib.report.print_report(p[0],
    "RCU-published emergency callback %s: use an emergency slot, "
    "which needs no RCU where it is called" % f)
