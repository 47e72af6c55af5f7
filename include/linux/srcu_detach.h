/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LINUX_SRCU_DETACH_H
#define _LINUX_SRCU_DETACH_H

/**
 * DOC: detaching entries from SRCU-protected lists
 *
 * Some lists are walked by readers under srcu_read_lock(), and their
 * entries' owners must be told once no reader can still be using a removed
 * entry (mmu_notifier subscriptions are such a list).  The usual way,
 * synchronize_srcu() after the removal, sleeps, and deadlocks when called
 * inside a read-side section of the same srcu_struct.  This header gives
 * two ways that neither sleep nor allocate where the removal is decided:
 *
 * - srcu_detach_hlist_call() unlinks the entry now, with the list's update
 *   lock held, and has call_srcu() run a callback after the grace period,
 *   on an rcu_head embedded in the entry.
 *
 * - Where even that is off limits, because the list's lock or call_srcu()
 *   may sleep on PREEMPT_RT (inside non_block_start(), on an OOM path), the
 *   entry carries a struct srcu_detach.  Whoever decides the removal claims
 *   it with srcu_detach_claim(): of several parties racing to detach the
 *   same entry, exactly one wins and the others learn it from the claim.
 *   The winner passes it to srcu_detach_queue(), which only links it on a
 *   lock-free list and queues a work item.  In process context the work
 *   item unlinks each entry, waits for one grace period, calls the owner's
 *   callback and marks the entry done; srcu_detach_wait() waits for that.
 */

#include <linux/atomic.h>
#include <linux/bug.h>
#include <linux/llist.h>
#include <linux/rculist.h>
#include <linux/srcu.h>
#include <linux/wait_bit.h>
#include <linux/workqueue.h>

/* srcu_detach::state: the claimant's tag, shifted, and this flag. */
#define SRCU_DETACH_DONE	1UL
#define SRCU_DETACH_TAG_SHIFT	1

/**
 * struct srcu_detach - who detaches an entry, and whether it is done
 * @state: 0 while attached; then the claimant's tag, and
 *	%SRCU_DETACH_DONE once the owner's callback has returned
 * @node: on the queue of a struct srcu_detach_queue
 */
struct srcu_detach {
	unsigned long		state;
	struct llist_node	node;
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
	init_llist_node(&d->node);
}

/**
 * srcu_detach_claim() - claim the right to detach an entry
 * @d: the entry's detach record
 * @tag: who claims it, not zero
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

	if (WARN_ON_ONCE(!tag))
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
 * srcu_detach_complete() - mark a claimed entry's detachment as finished
 * @d: the entry's detach record
 *
 * Release: whatever the detaching side did, the owner's callback included,
 * is visible to srcu_detach_wait() callers.  A full barrier then orders
 * the completion before the lockless check for waiters, so a waiter is
 * never left asleep.  After this the entry may be freed by its owner: do
 * not touch it again.
 */
static inline void srcu_detach_complete(struct srcu_detach *d)
{
	unsigned long state = READ_ONCE(d->state);

	WARN_ON_ONCE(!state || (state & SRCU_DETACH_DONE));
	/* Release: pairs with the acquire in srcu_detach_done(). */
	smp_store_release(&d->state, state | SRCU_DETACH_DONE);
	/*
	 * Full barrier: wake_up_var() reads the wait queue without its lock,
	 * so the store above must be ordered before that load, or a waiter
	 * that has just queued itself and read the old state sleeps for ever.
	 * Pairs with the barrier of set_current_state() in wait_var_event().
	 * The address is only a key here; it is not dereferenced.
	 */
	smp_mb();
	wake_up_var(d);
}

/**
 * srcu_detach_wait() - wait until a claimed entry's detachment finished
 * @d: the entry's detach record
 *
 * Sleeps until srcu_detach_complete() has been called for @d.  For the
 * party that lost the claim, before it frees the entry.
 */
static inline void srcu_detach_wait(struct srcu_detach *d)
{
	might_sleep();
	wait_var_event(d, srcu_detach_done(d));
}

/**
 * srcu_detach_hlist_call() - unlink an entry now, call back after readers
 * @ssp: the srcu_struct its readers use
 * @node: the entry's node on the hlist
 * @head: an rcu_head in the entry, free until @fn runs
 * @fn: called with @head once no reader can see the entry
 *
 * The caller holds the lock that serializes the list's updates.  Does not
 * sleep or allocate; @fn runs from an SRCU callback, so it must not sleep
 * either.
 */
static inline void srcu_detach_hlist_call(struct srcu_struct *ssp,
					  struct hlist_node *node,
					  struct rcu_head *head,
					  rcu_callback_t fn)
{
	hlist_del_init_rcu(node);
	call_srcu(ssp, head, fn);
}

/**
 * struct srcu_detach_queue - claimed entries waiting to be detached
 * @ssp: the srcu_struct the entries' readers use
 * @wq: where the work item runs; WQ_MEM_RECLAIM if detaching must make
 *	progress under memory pressure
 * @queued: entries passed to srcu_detach_queue()
 * @work: detaches them
 * @unlink: process context, before the grace period: takes the entry off
 *	its list (under the list's lock)
 * @detached: process context, after the grace period: tells the owner;
 *	srcu_detach_complete() follows
 */
struct srcu_detach_queue {
	struct srcu_struct	*ssp;
	struct workqueue_struct	*wq;
	struct llist_head	queued;
	struct work_struct	work;
	void			(*unlink)(struct srcu_detach *d);
	void			(*detached)(struct srcu_detach *d);
};

static inline void __srcu_detach_work(struct work_struct *work)
{
	struct srcu_detach_queue *q =
		container_of(work, struct srcu_detach_queue, work);
	struct llist_node *batch = llist_del_all(&q->queued);
	struct srcu_detach *d, *next;

	if (!batch)
		return;
	llist_for_each_entry(d, batch, node)
		q->unlink(d);
	/* Not in a read-side section: no self-deadlock. */
	synchronize_srcu(q->ssp);
	llist_for_each_entry_safe(d, next, batch, node) {
		q->detached(d);
		srcu_detach_complete(d);
	}
}

/**
 * srcu_detach_queue_init() - set up a queue of entries to detach
 * @q: the queue
 * @ssp: the srcu_struct the entries' readers use
 * @wq: the workqueue to detach them from
 * @unlink: takes an entry off its list, before the grace period
 * @detached: tells the entry's owner, after the grace period
 */
static inline void srcu_detach_queue_init(struct srcu_detach_queue *q,
					  struct srcu_struct *ssp,
					  struct workqueue_struct *wq,
					  void (*unlink)(struct srcu_detach *d),
					  void (*detached)(struct srcu_detach *d))
{
	q->ssp = ssp;
	q->wq = wq;
	init_llist_head(&q->queued);
	INIT_WORK(&q->work, __srcu_detach_work);
	q->unlink = unlink;
	q->detached = detached;
}

/**
 * srcu_detach_queue() - have a claimed entry detached in process context
 * @q: the queue
 * @d: the entry's detach record, claimed by the caller
 *
 * Never sleeps, takes no lock and allocates nothing: a lock-free list and
 * queue_work().  Usable inside non_block_start() and on PREEMPT_RT with
 * preemption disabled; not from NMI.
 */
static inline void srcu_detach_queue(struct srcu_detach_queue *q,
				     struct srcu_detach *d)
{
	WARN_ON_ONCE(!srcu_detach_claimant(d));
	llist_add(&d->node, &q->queued);
	queue_work(q->wq, &q->work);
}

#endif /* _LINUX_SRCU_DETACH_H */
