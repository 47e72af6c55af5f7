/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LINUX_EMERGENCY_SLOT_H
#define _LINUX_EMERGENCY_SLOT_H

/**
 * DOC: emergency callback slots
 *
 * An emergency slot holds at most one callback for paths that run when
 * the system is going down: panic, kexec, crash and emergency reboot, and
 * the NMIs that stop the other CPUs.  Those paths run with interrupts
 * disabled or in NMI context, hold no RCU read-side lock, and must not
 * depend on RCU watching the CPU they run on, so the slot uses neither
 * locks nor RCU:
 *
 * - Registration publishes the callback with release semantics; an
 *   invocation loads it with acquire semantics, so a callback that is seen
 *   is seen with everything its owner initialized before registering it.
 * - An invocation counts itself in the slot while it may be using the
 *   callback.  Unregistering clears the slot and then waits until no
 *   invocation that could have loaded the old callback is still counted.
 *   When it returns, the callback's module may be unloaded: this is the
 *   guarantee that plain acquire/release publication lacks, and that RCU
 *   cannot give where RCU is not watching.
 *
 * Slots are typed: DEFINE_EMERGENCY_SLOT(name, fn_type) declares a slot for
 * callbacks of function type @fn_type, and registering or invoking with
 * the wrong signature does not compile.
 *
 * Contexts: emergency_slot_call() and emergency_slot_armed() from any
 * context, NMI included, on a CPU RCU may not be watching; they take no
 * lock and hold no RCU read-side section, so they never cause a lockdep or
 * RCU report.  emergency_slot_register() from any context but NMI;
 * emergency_slot_unregister() from process context (it may sleep).
 */

#include <linux/atomic.h>
#include <linux/bug.h>
#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/sched.h>

/**
 * DEFINE_EMERGENCY_SLOT() - define an empty emergency slot
 * @name: the slot's name, also used in its warnings
 * @fn_type: the function type of its callback, e.g. ``void (void)``
 *
 * Usually preceded by ``static``: a slot's owner exports functions that
 * register and unregister, not the slot.
 */
#define DEFINE_EMERGENCY_SLOT(name, fn_type)				\
	struct {							\
		typeof(fn_type) *fn;					\
		atomic_t inflight;					\
	} name = {							\
		.fn = NULL,						\
		.inflight = ATOMIC_INIT(0),				\
	}

static inline int __emergency_slot_register(void **slot_fn, void *fn,
					    const char *name)
{
	void *old;

	if (WARN_ONCE(!fn, "emergency slot %s: registering NULL\n", name))
		return -EINVAL;
	/*
	 * Release: whatever the owner set up for the callback is visible to
	 * an invocation that loads it (pairs with the acquire in
	 * emergency_slot_call()).
	 */
	old = cmpxchg_release(slot_fn, NULL, fn);
	if (WARN_ONCE(old, "emergency slot %s: %ps is registered, refusing %ps\n",
		      name, old, fn))
		return -EBUSY;
	return 0;
}

static inline int __emergency_slot_unregister(void **slot_fn,
					      atomic_t *inflight, void *fn,
					      const char *name)
{
	void *old;

	might_sleep();
	/*
	 * Fully ordered: the slot is empty before the count of invocations is
	 * read below.  Pairs with the full barrier between the increment of
	 * the count and the load of the callback in emergency_slot_call():
	 * an invocation either loads NULL, or is counted here.
	 */
	old = cmpxchg(slot_fn, fn, NULL);
	if (WARN_ONCE(old != fn,
		      "emergency slot %s: unregistering %ps, but %ps is registered\n",
		      name, fn, old))
		return -EINVAL;
	/*
	 * Acquire: the callbacks that were running have returned before the
	 * caller goes on to free or unload them (pairs with the release in
	 * __emergency_slot_exit()).
	 */
	while (atomic_read_acquire(inflight))
		schedule_timeout_uninterruptible(1);
	return 0;
}

static __always_inline void __emergency_slot_enter(atomic_t *inflight)
{
	atomic_inc(inflight);
	/* See __emergency_slot_unregister(). */
	smp_mb__after_atomic();
}

static __always_inline void __emergency_slot_exit(atomic_t *inflight)
{
	/* Release: the callback is done (see __emergency_slot_unregister()). */
	smp_mb__before_atomic();
	atomic_dec(inflight);
}

/**
 * emergency_slot_register() - arm an emergency slot with a callback
 * @slot: the slot, e.g. ``&my_slot``
 * @cb: the callback, of the slot's function type
 *
 * Publishes @cb with release semantics.  A slot holds one callback: if one
 * is registered already, warns once, leaves it in place and fails.
 *
 * Return: 0, -EBUSY if the slot is armed, -EINVAL if @cb is NULL.
 */
#define emergency_slot_register(slot, cb)				\
({									\
	typeof(slot) __es_slot = (slot);				\
	typeof(__es_slot->fn) __es_cb = (cb);				\
									\
	__emergency_slot_register((void **)&__es_slot->fn,		\
				  (void *)__es_cb, #slot);		\
})

/**
 * emergency_slot_unregister() - disarm an emergency slot
 * @slot: the slot
 * @cb: the callback registered in it
 *
 * Clears the slot if it holds @cb, then waits until no invocation that
 * could still see @cb is running, so that @cb and its module may go away
 * when this returns.  Sleeps; process context only.  An invocation stuck
 * inside @cb (a CPU that died in it) keeps this waiting.
 *
 * If the slot does not hold @cb, warns once and leaves it unchanged.
 *
 * Return: 0, or -EINVAL if the slot did not hold @cb.
 */
#define emergency_slot_unregister(slot, cb)				\
({									\
	typeof(slot) __es_slot = (slot);				\
	typeof(__es_slot->fn) __es_cb = (cb);				\
									\
	__emergency_slot_unregister((void **)&__es_slot->fn,		\
				    &__es_slot->inflight,		\
				    (void *)__es_cb, #slot);		\
})

/**
 * emergency_slot_armed() - is a callback registered?
 * @slot: the slot
 *
 * A snapshot: the callback may be unregistered right after.  Callable from
 * any context.
 *
 * Return: true if the slot holds a callback.
 */
#define emergency_slot_armed(slot)	(!!READ_ONCE((slot)->fn))

/*
 * Counted in the slot, load the callback with acquire semantics into
 * __es_fn and, if one is registered, evaluate @call, which uses it.
 */
#define __emergency_slot_invoke(slot, call)				\
({									\
	typeof(slot) __es_slot = (slot);				\
	typeof(__es_slot->fn) __es_fn;					\
	bool __es_called = false;					\
									\
	__emergency_slot_enter(&__es_slot->inflight);			\
	/* Acquire: see __emergency_slot_register(). */			\
	__es_fn = smp_load_acquire(&__es_slot->fn);			\
	if (__es_fn) {							\
		call;							\
		__es_called = true;					\
	}								\
	__emergency_slot_exit(&__es_slot->inflight);			\
	__es_called;							\
})

/**
 * emergency_slot_call() - call the slot's callback, if one is registered
 * @slot: the slot
 * @...: the callback's arguments
 *
 * Loads the callback with acquire semantics and calls it with the given
 * arguments, counted in the slot so that unregistering waits for it.
 * Callable from any context, NMI included, with interrupts disabled and on
 * a CPU that RCU is not watching: no lock, no RCU, no lockdep.  The
 * callback's return value, if any, is ignored; see emergency_slot_call_ret().
 *
 * Return: true if a callback was called.
 */
#define emergency_slot_call(slot, ...)					\
	__emergency_slot_invoke(slot, __es_fn(__VA_ARGS__))

/**
 * emergency_slot_call_ret() - call the slot's callback and keep its result
 * @slot: the slot
 * @ret: where to store the callback's return value, if it is called
 * @...: the callback's arguments
 *
 * As emergency_slot_call(), for callbacks that return a value.  *@ret is
 * left alone when the slot is empty.
 *
 * Return: true if a callback was called.
 */
#define emergency_slot_call_ret(slot, ret, ...)				\
	__emergency_slot_invoke(slot, *(ret) = __es_fn(__VA_ARGS__))

#endif /* _LINUX_EMERGENCY_SLOT_H */
