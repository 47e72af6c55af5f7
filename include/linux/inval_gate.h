/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LINUX_INVAL_GATE_H
#define _LINUX_INVAL_GATE_H

/**
 * DOC: inval_gate overview
 *
 * An invalidation gate keeps a published object (KVM's memslots, for one)
 * stable across each invalidation, from its start to its end, without
 * ever making an invalidation sleep.  It is a deliberately unfair
 * reader-writer gate:
 *
 * - Readers are invalidations.  They enter and leave with one atomic
 *   read-modify-write each.  They never wait for a writer that is waiting
 *   for readers to drain; they only spin, briefly and with no lock held,
 *   while a writer publishes.  Entering and leaving never sleep, on
 *   PREEMPT_RT too, so they are usable where blocking is forbidden
 *   (mmu_notifier_range_blockable() false, non_block_start()).
 * - A writer sleeps until no reader is inside, then publishes with
 *   readers held off and preemption disabled, then lets them in again.
 *   Writers are serialized by the caller (KVM uses slots_lock).
 * - Waiters that only need the gate to drain (inval_gate_wait_idle()),
 *   any number of them at once, sleep until no reader is inside.
 *
 * Readers can starve a writer: a writer waits for the count of readers to
 * reach zero while new readers keep entering.  This is the trade-off that
 * makes readers safe in non-blocking context and that lets a reader enter
 * recursively while a writer waits; see Documentation/locking/inval-gate.rst.
 *
 * lockdep models readers as recursive-shared holders from enter to leave,
 * and a writer as an exclusive holder from the start of its wait for
 * readers to the end of its publication.  A reader that may be cut short
 * (inval_gate_enter_non_owner()) is held only until it hands off, at the
 * end of the callback that entered: lockdep does not see what its task
 * does after that, up to the leave.
 *
 * Scoped guards: guard(inval_gate_read)(gate) enters and leaves,
 * guard(inval_gate_write)(gate) begins and ends a publication.
 */

#include <linux/atomic.h>
#include <linux/bug.h>
#include <linux/cleanup.h>
#include <linux/compiler.h>
#include <linux/lockdep.h>
#include <linux/preempt.h>
#include <linux/sched.h>
#include <linux/swait.h>

/* inval_gate::state: the number of readers inside, and this flag. */
#define INVAL_GATE_PUBLISHING	0x40000000
#define INVAL_GATE_READERS	(INVAL_GATE_PUBLISHING - 1)

/**
 * struct inval_gate - an unfair reader-writer gate for invalidations
 * @state: readers inside, or-ed with %INVAL_GATE_PUBLISHING while a writer
 *	publishes
 * @writers: writers between inval_gate_write_begin() and
 *	inval_gate_write_end(); more than one is a caller bug
 * @waiters: writers and inval_gate_wait_idle() callers waiting for readers
 *	to drain
 * @dep_map: lockdep's view of the gate
 */
struct inval_gate {
	atomic_t		state;
	atomic_t		writers;
	struct swait_queue_head	waiters;
#ifdef CONFIG_DEBUG_LOCK_ALLOC
	struct lockdep_map	dep_map;
#endif
};

/**
 * __INVAL_GATE_INITIALIZER() - initializer for a static struct inval_gate
 * @gatename: the variable's name, also the gate's name in lockdep reports
 *
 * In lockdep's view a reader only ever spins to enter (outer wait type
 * LD_WAIT_SPIN) and may sleep while it is inside (inner LD_WAIT_SLEEP).
 */
#ifdef CONFIG_DEBUG_LOCK_ALLOC
#define __INVAL_GATE_INITIALIZER(gatename) {				\
	.state = ATOMIC_INIT(0),					\
	.writers = ATOMIC_INIT(0),					\
	.waiters = __SWAIT_QUEUE_HEAD_INITIALIZER((gatename).waiters),	\
	.dep_map = {							\
		.name = #gatename,					\
		.wait_type_outer = LD_WAIT_SPIN,			\
		.wait_type_inner = LD_WAIT_SLEEP,			\
	},								\
}
#else
#define __INVAL_GATE_INITIALIZER(gatename) {				\
	.state = ATOMIC_INIT(0),					\
	.writers = ATOMIC_INIT(0),					\
	.waiters = __SWAIT_QUEUE_HEAD_INITIALIZER((gatename).waiters),	\
}
#endif

/**
 * DEFINE_INVAL_GATE() - define and initialize a static struct inval_gate
 * @name: the variable's name, also the gate's name in lockdep reports
 */
#define DEFINE_INVAL_GATE(name)						\
	struct inval_gate name = __INVAL_GATE_INITIALIZER(name)

static inline void __inval_gate_init(struct inval_gate *gate,
				     const char *name,
				     struct lock_class_key *key)
{
	atomic_set(&gate->state, 0);
	atomic_set(&gate->writers, 0);
	init_swait_queue_head(&gate->waiters);
#ifdef CONFIG_DEBUG_LOCK_ALLOC
	lockdep_init_map_waits(&gate->dep_map, name, key, 0,
			       LD_WAIT_SLEEP, LD_WAIT_SPIN);
#endif
}

/**
 * inval_gate_init() - initialize an invalidation gate
 * @gate: the gate
 *
 * The gate starts open, with no reader inside.  Each call site is one
 * lockdep class, named after the @gate expression.
 */
#define inval_gate_init(gate)						\
do {									\
	static struct lock_class_key __key;				\
									\
	__inval_gate_init((gate), #gate, &__key);			\
} while (0)

/*
 * The slow paths below stay out of line, so that entering and leaving add
 * no more than their atomic operation and a test to the callers' hot
 * paths.  __maybe_unused: translation units that include this header
 * without calling them must not warn about an unused static function.
 */

/*
 * Wake one waiter; usable with interrupts disabled, never sleeps.  One, so
 * that the section with interrupts off is bounded however many tasks
 * wait (swait's rule, for PREEMPT_RT): each waiter that finds the gate
 * drained wakes the next, see __inval_gate_pass_wakeup().
 */
static noinline __maybe_unused void
__inval_gate_wake_waiters(struct inval_gate *gate)
{
	swake_up_one(&gate->waiters);
}

/*
 * A waiter whose wait ended with the gate drained passes the wakeup on:
 * the waiters queued behind it were waiting for the same drain.  Those
 * that find the gate busy again sleep on; the next reader to leave wakes
 * them.  Under the wait queue's lock, not with a lockless check: this
 * waiter may have been dequeued by a waker without ever taking the lock
 * itself, and nothing else orders its view of the queue after the
 * waker's.
 */
static inline void __inval_gate_pass_wakeup(struct inval_gate *gate)
{
	__inval_gate_wake_waiters(gate);
}

/*
 * Called after a fully ordered read-modify-write of ->state, with a value
 * of ->state no older than that operation: wake the waiters if @state has
 * no reader inside.  The full barrier of the read-modify-write, between
 * its store and the load of the wait list, pairs with the barrier in
 * set_current_state() in the waiter, which adds itself to the list
 * before it reads the state.
 */
static inline void __inval_gate_wake_if_drained(struct inval_gate *gate,
						int state)
{
	if (!(state & INVAL_GATE_READERS) && swait_active(&gate->waiters))
		__inval_gate_wake_waiters(gate);
}

/* One reader fewer; the new state, or -1 if no reader was inside. */
static inline int __inval_gate_leave(struct inval_gate *gate)
{
	int old = atomic_read(&gate->state);

	do {
		/* A bare WARN_ON_ONCE(): no message code in every caller. */
		if (WARN_ON_ONCE(!(old & INVAL_GATE_READERS)))
			return -1;
		/*
		 * Fully ordered.  Release: pairs with the acquire in
		 * __inval_gate_write_begin(), the reader's accesses happen before
		 * the next publication.  Full barrier: see
		 * __inval_gate_wake_if_drained().
		 */
	} while (!atomic_try_cmpxchg(&gate->state, &old, old - 1));
	return old - 1;
}

static noinline __cold __maybe_unused void
__inval_gate_enter_slow(struct inval_gate *gate)
{
	do {
		/*
		 * A writer is publishing: back out, spin until it is done
		 * (it does so with preemption disabled), then try again.
		 * Backing out as a leave does: never below zero, should the
		 * gate have been reset meanwhile (a caller bug, which warns).
		 */
		int state = __inval_gate_leave(gate);

		if (state >= 0)
			__inval_gate_wake_if_drained(gate, state);
		atomic_cond_read_relaxed(&gate->state,
					 !(VAL & INVAL_GATE_PUBLISHING));
	} while (atomic_add_return_acquire(1, &gate->state) &
		 INVAL_GATE_PUBLISHING);
}

static inline void __inval_gate_enter(struct inval_gate *gate)
{
	/*
	 * One atomic read-modify-write.  Acquire: pairs with the release in
	 * inval_gate_write_end(), so a reader that finds the gate open sees
	 * what the writer published.
	 */
	if (unlikely(atomic_add_return_acquire(1, &gate->state) &
		     INVAL_GATE_PUBLISHING))
		__inval_gate_enter_slow(gate);
}

/**
 * inval_gate_enter() - enter the gate as a reader (an invalidation starts)
 * @gate: the gate
 *
 * Never sleeps and takes no lock, so it may be called where blocking is
 * forbidden, on PREEMPT_RT as well.  It does not wait for a writer that
 * waits for readers to drain; it spins only while a writer publishes.
 * Readers nest: a task inside may enter again.  Not for interrupt context.
 *
 * Everything the reader does after entering is ordered after the entry
 * and after the last publication (acquire): the reader sees the published
 * object, and a writer cannot publish again until the reader has left.
 */
static inline void inval_gate_enter(struct inval_gate *gate)
{
	lock_acquire_shared_recursive(&gate->dep_map, 0, 0, NULL, _RET_IP_);
	__inval_gate_enter(gate);
}

/**
 * inval_gate_leave() - leave the gate as a reader (an invalidation ends)
 * @gate: the gate
 *
 * Never sleeps; when the last reader leaves, wakes the first waiter, which
 * wakes the next, so that the section with interrupts disabled is the
 * same however many tasks wait.  Everything the reader did inside is
 * ordered before its leaving (release).
 *
 * Leaving a gate with no reader inside is a bug: it warns once and leaves
 * the count at zero.
 */
static inline void inval_gate_leave(struct inval_gate *gate)
{
	int state = __inval_gate_leave(gate);

	if (state < 0)
		return;
	lock_release(&gate->dep_map, _RET_IP_);
	__inval_gate_wake_if_drained(gate, state);
}

/**
 * inval_gate_enter_non_owner() - enter, to leave from any task or never
 * @gate: the gate
 *
 * As inval_gate_enter(), for an owner whose matching leave may run in
 * another task, or never (the owner then resets the gate): KVM once the
 * OOM reaper may detach its mmu_notifier between an invalidation's start
 * and end.  lockdep counts the caller as holding the gate only until
 * inval_gate_hand_off(), which it calls before it returns from the
 * callback that entered: the locks that callback takes inside are
 * checked against the writer's, and a reader cut short leaves no hold
 * behind in its task.  Pair with inval_gate_leave_non_owner(); a reader
 * that leaves without having handed off keeps its hold, which lockdep
 * reports when the task returns to user space or exits.
 */
static inline void inval_gate_enter_non_owner(struct inval_gate *gate)
{
	lock_acquire_shared_recursive(&gate->dep_map, 0, 0, NULL, _RET_IP_);
	__inval_gate_enter(gate);
}

/**
 * inval_gate_hand_off() - stop holding a non-owner reader in lockdep's view
 * @gate: the gate
 *
 * After inval_gate_enter_non_owner(), in the same task: the reader stays
 * inside, and whoever leaves for it calls inval_gate_leave_non_owner().
 * Only lockdep's view changes: the caller no longer holds the gate there,
 * so what it does between this call and the leave is not checked.
 */
static inline void inval_gate_hand_off(struct inval_gate *gate)
{
	lock_release(&gate->dep_map, _RET_IP_);
}

/**
 * inval_gate_leave_non_owner() - leave after inval_gate_enter_non_owner()
 * @gate: the gate
 *
 * As inval_gate_leave(), for a reader handed off with
 * inval_gate_hand_off(): any task may call it, and lockdep is not told.
 * Leaving a gate with no reader inside (the gate was reset meanwhile)
 * warns once and leaves the count at zero.
 */
static inline void inval_gate_leave_non_owner(struct inval_gate *gate)
{
	int state = __inval_gate_leave(gate);

	if (state >= 0)
		__inval_gate_wake_if_drained(gate, state);
}

/*
 * The writer's side is out of line too: it sleeps anyway.  _RET_IP_ is
 * then the writer's call site, where lockdep should point.
 *
 * Wait until no reader is inside, then close the gate with preemption
 * disabled: a reader that finds it closed spins, so the writer must not
 * be preempted until it reopens it.
 */
static noinline __maybe_unused void
__inval_gate_write_begin(struct inval_gate *gate)
{
	int idle;

	might_sleep();
	WARN_ONCE(atomic_inc_return(&gate->writers) != 1,
		  "inval_gate: concurrent writers, callers must serialize them\n");
	lock_acquire_exclusive(&gate->dep_map, 0, 0, NULL, _RET_IP_);
	for (;;) {
		if (atomic_read(&gate->state)) {
			lock_contended(&gate->dep_map, _RET_IP_);
			swait_event_exclusive(gate->waiters,
					      !atomic_read(&gate->state));
			__inval_gate_pass_wakeup(gate);
		}
		preempt_disable();
		idle = 0;
		/*
		 * Acquire: pairs with the release in inval_gate_leave(),
		 * so the departed readers' accesses happen before the
		 * publication.
		 */
		if (atomic_try_cmpxchg_acquire(&gate->state, &idle,
					       INVAL_GATE_PUBLISHING))
			break;
		preempt_enable();
	}
	lock_acquired(&gate->dep_map, _RET_IP_);
}

static noinline __maybe_unused void
__inval_gate_write_end(struct inval_gate *gate)
{
	int old;

	if (WARN_ONCE(!(atomic_read(&gate->state) & INVAL_GATE_PUBLISHING),
		      "inval_gate_write_end() without inval_gate_write_begin()\n"))
		return;
	lock_release(&gate->dep_map, _RET_IP_);
	/*
	 * Release: pairs with the acquire in inval_gate_enter().  Fully
	 * ordered, see __inval_gate_wake_if_drained().
	 */
	old = atomic_fetch_andnot(INVAL_GATE_PUBLISHING, &gate->state);
	atomic_dec(&gate->writers);
	preempt_enable();
	__inval_gate_wake_if_drained(gate, old);
}

/**
 * inval_gate_write_begin() - wait for readers to drain and hold them off
 * @gate: the gate
 *
 * Sleeps (uninterruptibly) until no reader is inside, then closes the
 * gate and returns with preemption disabled.  Readers that arrive now
 * spin until inval_gate_write_end(), so publish with a few stores, such as
 * an rcu_assign_pointer(), and nothing that sleeps: with
 * CONFIG_DEBUG_ATOMIC_SLEEP, a might_sleep() (a mutex, or a spinlock_t on
 * PREEMPT_RT) between the two reports "sleeping function called from
 * invalid context".
 *
 * Callers serialize writers (KVM holds slots_lock).  A second writer
 * while one is active is a caller bug: it warns once, then waits for the
 * first to finish, so the gate stays consistent.
 *
 * Readers are not fair to the writer: while readers keep entering, the
 * writer keeps waiting.
 */
static inline void inval_gate_write_begin(struct inval_gate *gate)
	__acquires(gate)
{
	__inval_gate_write_begin(gate);
	__acquire(gate);
}

/**
 * inval_gate_write_end() - reopen the gate after publishing
 * @gate: the gate
 *
 * Everything published before this call is visible to every reader that
 * enters afterwards (release).  Ending a publication that was not begun
 * is a bug: it warns once and changes nothing.
 */
static inline void inval_gate_write_end(struct inval_gate *gate)
	__releases(gate)
{
	__release(gate);
	__inval_gate_write_end(gate);
}

/**
 * inval_gate_wait_idle() - wait until no reader is inside
 * @gate: the gate
 *
 * Sleeps (uninterruptibly) until the gate has no reader inside, without
 * holding readers off afterwards: a reader may enter as soon as this
 * returns, so the caller rechecks with inval_gate_in_progress() under its
 * own protocol (SGI GRU retries its TLB dropin).  Any number of tasks may
 * wait at once.
 */
static inline void inval_gate_wait_idle(struct inval_gate *gate)
{
	might_sleep();
	/* The same dependency as a writer's wait for readers. */
	lock_map_acquire(&gate->dep_map);
	lock_map_release(&gate->dep_map);
	swait_event_exclusive(gate->waiters,
			      !(atomic_read(&gate->state) & INVAL_GATE_READERS));
	__inval_gate_pass_wakeup(gate);
}

/**
 * inval_gate_in_progress() - is a reader (an invalidation) inside?
 * @gate: the gate
 *
 * A lockless peek, a single load with no ordering of its own.  It may
 * answer true for a moment while a writer publishes (a reader backing
 * out), which errs on the safe side for a "retry if an invalidation is in
 * progress" test.
 *
 * Ordering: a reader's accesses before inval_gate_leave() are ordered
 * before its decrement of the count.  To have loads after this peek see
 * them when it returns false, put smp_rmb() after it; the pair is then
 * the full barrier in inval_gate_leave() and that smp_rmb().  KVM's
 * pfn caches read their invalidation sequence this way.
 *
 * Return: true if a reader is inside.
 */
static inline bool inval_gate_in_progress(const struct inval_gate *gate)
{
	return atomic_read(&gate->state) & INVAL_GATE_READERS;
}

static inline bool __inval_gate_drop_readers(struct inval_gate *gate)
{
	/*
	 * Fully ordered: inval_gate_reset() relies on it to order the drop
	 * before its check for waiters (see __inval_gate_wake_if_drained()).
	 */
	int old = atomic_fetch_andnot(INVAL_GATE_READERS, &gate->state);

#ifdef CONFIG_DEBUG_LOCK_ALLOC
	/*
	 * The caller's own holds go too; other tasks' cannot.  Only while
	 * lockdep knows (1): once it turned itself off, it answers -1.  Not
	 * from interrupt context (an SRCU callback, say): the holds lockdep
	 * shows there are those of the interrupted task.
	 */
	unsigned long depth;

	for (depth = 0; in_task() && depth < MAX_LOCK_DEPTH; depth++) {
		if (lock_is_held_type(&gate->dep_map, -1) != 1)
			break;
		lock_release(&gate->dep_map, _RET_IP_);
	}
#endif
	return old & INVAL_GATE_READERS;
}

/**
 * inval_gate_reset() - drop readers that will never leave, and go on
 * @gate: the gate
 *
 * For an owner that lives on after the callbacks that would make its
 * readers leave stopped running (KVM when the OOM reaper detaches its
 * mmu_notifier between an invalidation's start and end).  The readers are
 * dropped and a writer or a waiter sleeping on them is woken.  No reader
 * may enter or leave meanwhile (KVM resets after an SRCU grace period,
 * once no callback can run): one that does finds the count dropped, and
 * a leave then warns and leaves it at zero.
 *
 * If the calling task is itself counted inside, its lockdep hold on the
 * gate is dropped too (in task context only).  Other dropped readers
 * still hold the gate in lockdep's view of their task, which lockdep
 * reports later; readers that may be cut short enter with
 * inval_gate_enter_non_owner() and hand off with inval_gate_hand_off(),
 * which leaves no such hold.
 *
 * Return: true if readers were inside and have been dropped.
 */
static inline bool inval_gate_reset(struct inval_gate *gate)
{
	bool dropped = __inval_gate_drop_readers(gate);

	__inval_gate_wake_if_drained(gate, atomic_read(&gate->state));
	return dropped;
}

/**
 * inval_gate_teardown() - tear down a gate whose readers will never leave
 * @gate: the gate
 *
 * For an owner going away while readers may still be counted inside,
 * because the callbacks that would make them leave can no longer run
 * (kvm_destroy_vm() after unregistering its mmu_notifier between an
 * invalidation's start and end).  Warns if a writer or a waiter still uses
 * the gate: nobody may, when its owner goes away.  Otherwise as
 * inval_gate_reset().
 *
 * Return: true if readers were inside and have been dropped, false if the
 * gate was idle.
 */
static inline bool inval_gate_teardown(struct inval_gate *gate)
{
	WARN_ON(atomic_read(&gate->writers) || swait_active(&gate->waiters));
	return __inval_gate_drop_readers(gate);
}

DEFINE_LOCK_GUARD_1(inval_gate_read, struct inval_gate,
		    inval_gate_enter(_T->lock), inval_gate_leave(_T->lock))
DEFINE_LOCK_GUARD_1(inval_gate_write, struct inval_gate,
		    inval_gate_write_begin(_T->lock),
		    inval_gate_write_end(_T->lock))

#endif /* _LINUX_INVAL_GATE_H */
