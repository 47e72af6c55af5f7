/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LINUX_SRCU_DETACH_H
#define _LINUX_SRCU_DETACH_H

/**
 * DOC: detaching entries from SRCU-protected lists
 *
 * Some lists are walked by readers under srcu_read_lock(), and their
 * entries' owners must be told once no reader can still be using a removed
 * entry (mmu_notifier subscriptions are such a list).  The usual way,
 * synchronize_srcu() after the removal, makes the remover wait for every
 * reader, and deadlocks when called inside a read-side section of the same
 * srcu_struct.  This header detaches now and tells the owner later, with
 * no waiting and no allocation on the detaching side:
 *
 * - srcu_detach_hlist_call() unlinks the entry, with the list's update
 *   lock held, and has call_srcu() run a callback after the grace period,
 *   on an rcu_head embedded in the entry.
 *
 * - Where several parties may race to tear the same entry down, the entry
 *   also carries a struct srcu_detach.  Each party claims it with
 *   srcu_detach_claim(): exactly one wins, and the others read who did
 *   with srcu_detach_claimant().  The winner detaches the entry as above;
 *   its callback tells the owner and calls srcu_detach_complete().  A
 *   loser that must not free the entry before then waits with
 *   srcu_detach_wait().  Only losers wait, and only for the winner.
 */

#include <linux/atomic.h>
#include <linux/bug.h>
#include <linux/rculist.h>
#include <linux/srcu.h>
#include <linux/wait_bit.h>

/* srcu_detach::state: the claimant's tag, shifted, and this flag. */
#define SRCU_DETACH_DONE	1UL
#define SRCU_DETACH_TAG_SHIFT	1

/**
 * struct srcu_detach - who detaches an entry, and whether it is done
 * @state: 0 while attached; then the claimant's tag, and
 *	%SRCU_DETACH_DONE once the owner has been told
 */
struct srcu_detach {
	unsigned long	state;
};

/**
 * srcu_detach_init() - make a detach record ready for a new attachment
 * @d: the record
 *
 * Call it before the entry is published on its list, not while anyone may
 * still claim or wait on it.
 */
static inline void srcu_detach_init(struct srcu_detach *d)
{
	WRITE_ONCE(d->state, 0);
}

/**
 * srcu_detach_claim() - claim the right to detach an entry
 * @d: the entry's detach record
 * @tag: who claims it, not zero, below %ULONG_MAX >> %SRCU_DETACH_TAG_SHIFT
 *
 * Of any number of concurrent claims, exactly one, the first, succeeds.
 * A successful claim is fully ordered; a failed one is not ordered at all,
 * so a loser that needs what the winner did reads the winner with
 * srcu_detach_claimant() (acquire).  Never sleeps, usable in any context.
 *
 * Return: true if this call claimed the entry.
 */
static inline bool srcu_detach_claim(struct srcu_detach *d, unsigned long tag)
{
	unsigned long attached = 0;

	if (WARN_ON_ONCE(!tag || tag > (ULONG_MAX >> SRCU_DETACH_TAG_SHIFT)))
		return false;
	return try_cmpxchg(&d->state, &attached, tag << SRCU_DETACH_TAG_SHIFT);
}

/**
 * srcu_detach_claimant() - who claimed the entry
 * @d: the entry's detach record
 *
 * Acquire: a caller that sees a claim sees what the claimant did before.
 *
 * Return: the winning tag, or 0 if the entry is still attached.
 */
static inline unsigned long srcu_detach_claimant(const struct srcu_detach *d)
{
	/* Acquire: pairs with the full barrier of srcu_detach_claim(). */
	return smp_load_acquire(&d->state) >> SRCU_DETACH_TAG_SHIFT;
}

/**
 * srcu_detach_complete() - mark a claimed entry's detachment as finished
 * @d: the entry's detach record
 *
 * For the claimant's SRCU callback, after it has told the owner.  Release:
 * what it did is visible to srcu_detach_wait() callers, who may then free
 * the entry: do not touch it again.  Does not sleep.
 */
static inline void srcu_detach_complete(struct srcu_detach *d)
{
	/* Only the claimant writes @state after the claim. */
	unsigned long state = READ_ONCE(d->state);

	if (WARN_ON_ONCE(!(state >> SRCU_DETACH_TAG_SHIFT) ||
			 (state & SRCU_DETACH_DONE)))
		return;
	/*
	 * Release, then a full barrier before wake_up_var()'s lockless check
	 * for waiters, so that a waiter that has just queued itself and read
	 * the old state is woken: pairs with set_current_state() in
	 * wait_var_event().
	 */
	store_release_wake_up(&d->state, state | SRCU_DETACH_DONE);
}

/**
 * srcu_detach_done() - has the owner been told?
 * @d: the entry's detach record
 *
 * Return: true once srcu_detach_complete() has been called for @d.
 */
static inline bool srcu_detach_done(const struct srcu_detach *d)
{
	/* Acquire: pairs with the release in srcu_detach_complete(). */
	return smp_load_acquire(&d->state) & SRCU_DETACH_DONE;
}

/**
 * srcu_detach_wait() - wait until a claimed entry's detachment finished
 * @d: the entry's detach record
 *
 * Sleeps until srcu_detach_complete() has been called for @d, which takes
 * a grace period: never call it inside a read-side section of the entry's
 * srcu_struct.  For a party that lost the claim, before it frees the entry.
 * It does not know the srcu_struct: for lockdep to see that wait, annotate
 * it as synchronize_srcu() is, with srcu_lock_sync(&ssp->dep_map) first.
 */
static inline void srcu_detach_wait(struct srcu_detach *d)
{
	might_sleep();
	wait_var_event(&d->state, srcu_detach_done(d));
}

/**
 * srcu_detach_hlist_call() - unlink an entry now, call back after readers
 * @ssp: the srcu_struct its readers use
 * @node: the entry's node on the hlist
 * @head: an rcu_head in the entry, free until @fn runs
 * @fn: called with @head once no reader can see the entry
 *
 * The caller holds the lock that serializes the list's updates.  Neither
 * sleeps nor allocates, and does not wait for the readers: @fn runs from
 * an SRCU callback, with bottom halves disabled, so it must not sleep.
 */
static inline void srcu_detach_hlist_call(struct srcu_struct *ssp,
					  struct hlist_node *node,
					  struct rcu_head *head,
					  rcu_callback_t fn)
{
	hlist_del_init_rcu(node);
	call_srcu(ssp, head, fn);
}

#endif /* _LINUX_SRCU_DETACH_H */
