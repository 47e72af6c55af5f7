// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for detaching mmu notifiers from OOM-killed mms
 * (mmu_notifier_oom_detach() and struct mmu_notifier_ops'
 * after_oom_unregister()), on real mm_structs from mm_alloc().
 *
 * Helper threads only record; every check is made in the test thread.
 */

#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/mmu_notifier.h>
#include <linux/panic.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/srcu_detach.h>

#define OOM_TIMEOUT	(10 * HZ)

/* A subscription that counts what it is told. */
struct test_sub {
	struct mmu_notifier mn;
	atomic_t starts, final_starts, ends, releases, afters;
	/* Final invalidations that came non-blockable */
	atomic_t final_nonblock;
	/* Last invalidations made in atomic context, or under rcu_read_lock() */
	atomic_t final_atomic;
	int final_event;
	/* Callbacks made once ->release or after_oom_unregister was called */
	atomic_t late;
	bool after_bh_disabled;
	/* Ordering, for the "after callbacks in flight" case. */
	atomic_t *seq;
	int after_seq, blocked_return_seq;
	struct task_struct *blocker;	/* its start() blocks on @unblock */
	struct completion blocked, unblock;
};

static struct test_sub *to_test_sub(struct mmu_notifier *mn)
{
	return container_of(mn, struct test_sub, mn);
}

static int ts_start(struct mmu_notifier *mn,
		    const struct mmu_notifier_range *range)
{
	struct test_sub *t = to_test_sub(mn);

	if (atomic_read(&t->releases) || atomic_read(&t->afters))
		atomic_inc(&t->late);
	atomic_inc(&t->starts);
	if (range->start == 0 && range->end == ULONG_MAX) {
		atomic_inc(&t->final_starts);
		WRITE_ONCE(t->final_event, range->event);
		if (!mmu_notifier_range_blockable(range))
			atomic_inc(&t->final_nonblock);
		/*
		 * Blockable, so it may sleep: seen where the kernel can tell
		 * (a spinlock counts in preempt_count() with
		 * CONFIG_PREEMPT_COUNT), and might_sleep() reports it under
		 * CONFIG_DEBUG_ATOMIC_SLEEP.
		 */
		if (preempt_count() || irqs_disabled() || rcu_preempt_depth())
			atomic_inc(&t->final_atomic);
		might_sleep();
	}
	if (READ_ONCE(t->blocker) == current) {
		complete(&t->blocked);
		wait_for_completion(&t->unblock);
		if (t->seq)
			t->blocked_return_seq = atomic_inc_return(t->seq);
	}
	return 0;
}

static void ts_end(struct mmu_notifier *mn,
		   const struct mmu_notifier_range *range)
{
	struct test_sub *t = to_test_sub(mn);

	if (atomic_read(&t->releases) || atomic_read(&t->afters))
		atomic_inc(&t->late);
	atomic_inc(&t->ends);
}

static void ts_release(struct mmu_notifier *mn, struct mm_struct *mm)
{
	struct test_sub *t = to_test_sub(mn);

	if (atomic_read(&t->afters))
		atomic_inc(&t->late);
	atomic_inc(&t->releases);
}

static void ts_after(struct mmu_notifier *mn, struct mm_struct *mm)
{
	struct test_sub *t = to_test_sub(mn);

	if (atomic_read(&t->releases))
		atomic_inc(&t->late);
	/* An SRCU callback: it must not sleep, and lockdep checks that. */
	t->after_bh_disabled = !IS_ENABLED(CONFIG_PREEMPT_COUNT) ||
			       softirq_count();
	if (t->seq)
		t->after_seq = atomic_inc_return(t->seq);
	atomic_inc(&t->afters);
}

static const struct mmu_notifier_ops oom_ops = {
	.invalidate_range_start	= ts_start,
	.invalidate_range_end	= ts_end,
	.release		= ts_release,
	.after_oom_unregister	= ts_after,
};

static const struct mmu_notifier_ops plain_ops = {
	.invalidate_range_start	= ts_start,
	.invalidate_range_end	= ts_end,
	.release		= ts_release,
};

/* Opting in needs invalidate_range_start(). */
static const struct mmu_notifier_ops no_start_ops = {
	.release		= ts_release,
	.after_oom_unregister	= ts_after,
};

static struct mmu_notifier *bad_alloc(struct mm_struct *mm)
{
	struct test_sub *t = kzalloc(sizeof(*t), GFP_KERNEL);

	return t ? &t->mn : ERR_PTR(-ENOMEM);
}

static void bad_free(struct mmu_notifier *mn)
{
	kfree(to_test_sub(mn));
}

/* Refused for the alloc_notifier()/free_notifier() pair alone. */
static const struct mmu_notifier_ops alloc_and_oom_ops = {
	.invalidate_range_start	= ts_start,
	.after_oom_unregister	= ts_after,
	.alloc_notifier		= bad_alloc,
	.free_notifier		= bad_free,
};

static void mmput_action(void *mm)
{
	mmput(mm);
}

static struct mm_struct *new_mm(struct kunit *test)
{
	struct mm_struct *mm = mm_alloc();

	KUNIT_ASSERT_NOT_NULL(test, mm);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, mmput_action, mm));
	return mm;
}

static struct test_sub *new_sub(struct kunit *test,
				const struct mmu_notifier_ops *ops)
{
	struct test_sub *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, t);
	t->mn.ops = ops;
	init_completion(&t->blocked);
	init_completion(&t->unblock);
	return t;
}

/* An invalidation of the mm's first page, as munmap() would make. */
static bool invalidate(struct mm_struct *mm)
{
	struct mmu_notifier_range range;

	mmu_notifier_range_init(&range, MMU_NOTIFY_UNMAP, 0, mm, 0, PAGE_SIZE);
	mmu_notifier_invalidate_range_start(&range);
	mmu_notifier_invalidate_range_end(&range);
	return true;
}

/* ---- Registration ---- */

/*
 * The detach record alone: one claim wins and names its claimant, and
 * misuse (a zero tag, completing an unclaimed or a completed record) warns
 * and leaves the record as it was.
 */
static void test_srcu_detach_record(struct kunit *test)
{
	struct srcu_detach d;

	srcu_detach_init(&d);
	KUNIT_EXPECT_FALSE(test, srcu_detach_claim(&d, 0));
	KUNIT_EXPECT_EQ(test, srcu_detach_claimant(&d), 0);
	srcu_detach_complete(&d);
	KUNIT_EXPECT_FALSE(test, srcu_detach_done(&d));

	KUNIT_EXPECT_TRUE(test, srcu_detach_claim(&d, 2));
	KUNIT_EXPECT_FALSE(test, srcu_detach_claim(&d, 3));
	KUNIT_EXPECT_EQ(test, srcu_detach_claimant(&d), 2);
	KUNIT_EXPECT_FALSE(test, srcu_detach_done(&d));
	srcu_detach_complete(&d);
	KUNIT_EXPECT_TRUE(test, srcu_detach_done(&d));
	KUNIT_EXPECT_EQ(test, srcu_detach_claimant(&d), 2);
	srcu_detach_complete(&d);
	KUNIT_EXPECT_TRUE(test, srcu_detach_done(&d));
	KUNIT_EXPECT_EQ(test, srcu_detach_claimant(&d), 2);
}

static void test_op_with_alloc_notifier_is_refused(struct kunit *test)
{
	struct mm_struct *mm = new_mm(test);
	struct test_sub *t = new_sub(test, &alloc_and_oom_ops);
	struct mmu_notifier *mn;
	int count = atomic_read(&mm->mm_count);

	KUNIT_EXPECT_EQ(test, mmu_notifier_register(&t->mn, mm), -EINVAL);
	t->mn.ops = &no_start_ops;
	KUNIT_EXPECT_EQ(test, mmu_notifier_register(&t->mn, mm), -EINVAL);
	mn = mmu_notifier_get(&alloc_and_oom_ops, mm);
	KUNIT_EXPECT_TRUE(test, IS_ERR(mn));
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(mn), -EINVAL);
	KUNIT_EXPECT_EQ(test, atomic_read(&mm->mm_count), count);
}

/* ---- Detaching ---- */

/* What the OOM reaper does around it: mmap_lock held for read. */
static bool reaper_detach(struct mm_struct *mm)
{
	bool done;

	mmap_read_lock(mm);
	done = mmu_notifier_oom_detach(mm);
	mmap_read_unlock(mm);
	return done;
}

/* A call made from a kthread, so that the test thread can time it out. */
struct call {
	bool (*fn)(struct mm_struct *mm);
	struct mm_struct *mm;
	bool ret;
	struct completion done;
	struct task_struct *task;
};

static int call_thread(void *arg)
{
	struct call *c = arg;

	c->ret = c->fn(c->mm);
	complete(&c->done);
	while (!kthread_should_stop()) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (!kthread_should_stop())
			schedule();
		__set_current_state(TASK_RUNNING);
	}
	return 0;
}

/* Created stopped: the caller may point a blocker at c->task first. */
static void call_create(struct kunit *test, struct call *c,
			bool (*fn)(struct mm_struct *mm), struct mm_struct *mm)
{
	c->fn = fn;
	c->mm = mm;
	init_completion(&c->done);
	c->task = kthread_create(call_thread, c, "mn_oom_call");
	KUNIT_ASSERT_FALSE(test, IS_ERR(c->task));
	get_task_struct(c->task);
}

/* Only once c->fn has returned. */
static void call_stop(struct call *c)
{
	kthread_stop(c->task);
	put_task_struct(c->task);
}

/*
 * If the OOM path claimed @mn: true, once its after_oom_unregister() has
 * returned, which runs from an SRCU callback after the detach returned.
 */
static bool wait_oom_told(struct mmu_notifier *mn)
{
	if (!mmu_notifier_oom_detached(mn))
		return false;
	srcu_detach_wait(&mn->oom);
	return true;
}

static void test_oom_detach_detaches_only_opted_in(struct kunit *test)
{
	struct mm_struct *mm = new_mm(test);
	struct test_sub *a = new_sub(test, &oom_ops);
	struct test_sub *b = new_sub(test, &plain_ops);
	int count = atomic_read(&mm->mm_count);

	KUNIT_ASSERT_EQ(test, mmu_notifier_register(&a->mn, mm), 0);
	KUNIT_ASSERT_EQ(test, mmu_notifier_register(&b->mn, mm), 0);
	invalidate(mm);
	KUNIT_EXPECT_EQ(test, atomic_read(&a->starts), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&b->starts), 1);

	/* In the same call: A got its last invalidation and is unlinked. */
	KUNIT_EXPECT_TRUE(test, reaper_detach(mm));
	KUNIT_EXPECT_TRUE(test, hlist_unhashed_lockless(&a->mn.hlist));
	KUNIT_EXPECT_FALSE(test, hlist_unhashed_lockless(&b->mn.hlist));
	KUNIT_EXPECT_EQ(test, atomic_read(&a->final_starts), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&a->final_nonblock), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&a->final_atomic), 0);
	KUNIT_EXPECT_EQ(test, a->final_event, MMU_NOTIFY_OOM_DETACH);
	KUNIT_EXPECT_TRUE(test, mmu_notifier_oom_detached(&a->mn));
	KUNIT_EXPECT_FALSE(test, mmu_notifier_oom_detached(&b->mn));
	KUNIT_EXPECT_TRUE(test, wait_oom_told(&a->mn));
	KUNIT_EXPECT_FALSE(test, wait_oom_told(&b->mn));

	/* Then its op, once, from an SRCU callback. */
	KUNIT_EXPECT_EQ(test, atomic_read(&a->afters), 1);
	KUNIT_EXPECT_TRUE(test, a->after_bh_disabled);
	KUNIT_EXPECT_EQ(test, atomic_read(&a->releases), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&b->afters), 0);

	/* No invalidation reaches A any more; B keeps working. */
	reaper_detach(mm);
	invalidate(mm);
	KUNIT_EXPECT_EQ(test, atomic_read(&a->starts), 2);
	KUNIT_EXPECT_EQ(test, atomic_read(&a->ends), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&a->late), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&b->starts), 2);
	KUNIT_EXPECT_EQ(test, atomic_read(&b->ends), 2);

	/* Unregistering after the OOM detach: no second op, one mmdrop. */
	mmu_notifier_unregister(&a->mn, mm);
	mmu_notifier_unregister(&b->mn, mm);
	KUNIT_EXPECT_EQ(test, atomic_read(&a->afters), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&a->releases), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&b->releases), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&mm->mm_count), count);
}

/*
 * The reaper does not wait for a callback in flight; the owner is told only
 * once it has returned.
 */
static void test_owner_told_after_callbacks_in_flight(struct kunit *test)
{
	struct mm_struct *mm = new_mm(test);
	struct test_sub *a = new_sub(test, &oom_ops);
	atomic_t seq = ATOMIC_INIT(0);
	int afters_while_blocked, final_starts;
	struct call blocker, reaper;
	bool unhashed, detach_returned;

	a->seq = &seq;
	KUNIT_ASSERT_EQ(test, mmu_notifier_register(&a->mn, mm), 0);

	call_create(test, &blocker, invalidate, mm);
	WRITE_ONCE(a->blocker, blocker.task);
	wake_up_process(blocker.task);
	KUNIT_ASSERT_TRUE(test, wait_for_completion_timeout(&a->blocked, OOM_TIMEOUT));

	/*
	 * An invalidation is in flight in A's start(), and stays there until
	 * this thread completes @unblock: a detach that waited for it would
	 * not return before that.
	 */
	call_create(test, &reaper, reaper_detach, mm);
	wake_up_process(reaper.task);
	detach_returned = wait_for_completion_timeout(&reaper.done, OOM_TIMEOUT);
	final_starts = atomic_read(&a->final_starts);
	unhashed = hlist_unhashed_lockless(&a->mn.hlist);
	/* However long it waits, the op cannot run before the callback returns. */
	msleep(100);
	afters_while_blocked = atomic_read(&a->afters);

	complete(&a->unblock);
	KUNIT_EXPECT_TRUE(test, wait_for_completion_timeout(&blocker.done, OOM_TIMEOUT));
	/* The timed wait above consumed the completion if it returned. */
	if (!detach_returned)
		wait_for_completion(&reaper.done);
	call_stop(&reaper);
	KUNIT_EXPECT_TRUE(test, wait_oom_told(&a->mn));
	call_stop(&blocker);

	KUNIT_EXPECT_TRUE_MSG(test, detach_returned,
			      "the detach waited for a callback in flight");
	KUNIT_EXPECT_EQ(test, final_starts, 1);
	KUNIT_EXPECT_TRUE(test, unhashed);
	KUNIT_EXPECT_EQ(test, afters_while_blocked, 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&a->afters), 1);
	KUNIT_EXPECT_GT(test, a->after_seq, a->blocked_return_seq);
	/* The blocked invalidation's end came after A was detached. */
	KUNIT_EXPECT_EQ(test, atomic_read(&a->ends), 0);
	mmu_notifier_unregister(&a->mn, mm);
}

static bool mmput_fn(struct mm_struct *mm)
{
	mmput(mm);
	return true;
}

/*
 * The reaper's detach without its mmap_lock: with the lock held,
 * exit_mmap() would wait for it further on anyway, and the test below
 * could not see whether mn_hlist_release() itself waits.
 */
static bool detach_fn(struct mm_struct *mm)
{
	return mmu_notifier_oom_detach(mm);
}

/*
 * exit_mmap() reaching a subscription the reaper has claimed makes no
 * ->release call, and frees nothing before the reaper's last invalidation
 * has returned: with that invalidation held inside A's start(), mmput()
 * of the last user does not return.
 */
static void test_exit_mmap_waits_for_final_invalidation(struct kunit *test)
{
	struct mm_struct *mm = mm_alloc();
	struct test_sub *a = new_sub(test, &oom_ops);
	struct call reaper, exiter;
	bool entered, exit_returned_early;

	KUNIT_ASSERT_NOT_NULL(test, mm);
	mmgrab(mm);
	KUNIT_ASSERT_EQ(test, mmu_notifier_register(&a->mn, mm), 0);
	call_create(test, &reaper, detach_fn, mm);
	call_create(test, &exiter, mmput_fn, mm);
	WRITE_ONCE(a->blocker, reaper.task);
	wake_up_process(reaper.task);
	entered = wait_for_completion_timeout(&a->blocked, OOM_TIMEOUT);
	if (entered) {
		wake_up_process(exiter.task);
		/* However long it waits, exit_mmap() cannot get past. */
		msleep(100);
	}
	exit_returned_early = completion_done(&exiter.done);
	complete(&a->unblock);
	if (!entered)
		wake_up_process(exiter.task);
	wait_for_completion(&reaper.done);
	wait_for_completion(&exiter.done);
	call_stop(&reaper);
	call_stop(&exiter);

	KUNIT_EXPECT_TRUE(test, entered);
	KUNIT_EXPECT_FALSE_MSG(test, exit_returned_early,
			       "exit_mmap() went on during the last invalidation");
	KUNIT_EXPECT_TRUE(test, mmu_notifier_oom_detached(&a->mn));
	mmu_notifier_unregister(&a->mn, mm);
	KUNIT_EXPECT_EQ(test, atomic_read(&a->releases), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&a->afters), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&a->late), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&mm->mm_count), 1);
	mmdrop(mm);
}

/*
 * The oom_reaper kthread and process_mrelease() may reap the same mm at
 * once.  The one that finds the other detaching must neither go on to its
 * non-blocking pass, which would still call the subscription before the
 * other has invalidated and unlinked it, nor sleep until the other is
 * done: it returns false, and its caller tries again later.
 */
static void test_second_reaper_tries_again(struct kunit *test)
{
	struct mm_struct *mm = new_mm(test);
	struct test_sub *a = new_sub(test, &oom_ops);
	struct call first, second;
	bool entered, second_returned = false, second_ret = true;

	KUNIT_ASSERT_EQ(test, mmu_notifier_register(&a->mn, mm), 0);
	call_create(test, &first, reaper_detach, mm);
	call_create(test, &second, reaper_detach, mm);
	WRITE_ONCE(a->blocker, first.task);
	wake_up_process(first.task);
	entered = wait_for_completion_timeout(&a->blocked, OOM_TIMEOUT);
	if (entered) {
		/* While the first is held in A's last invalidation. */
		wake_up_process(second.task);
		second_returned = wait_for_completion_timeout(&second.done,
							      OOM_TIMEOUT);
		second_ret = second.ret;
	}
	complete(&a->unblock);
	if (!entered)
		wake_up_process(second.task);
	wait_for_completion(&first.done);
	/* A completion that was waited for once is used up. */
	if (!second_returned)
		wait_for_completion(&second.done);
	call_stop(&first);
	call_stop(&second);

	KUNIT_EXPECT_TRUE(test, entered);
	KUNIT_EXPECT_TRUE_MSG(test, second_returned,
			      "a second reaper waited for the first's detach");
	KUNIT_EXPECT_FALSE_MSG(test, second_ret,
			       "a second reaper went on during the first's detach");
	KUNIT_EXPECT_TRUE(test, first.ret);
	/* Its next attempt finds nothing left to detach. */
	KUNIT_EXPECT_TRUE(test, reaper_detach(mm));
	KUNIT_EXPECT_TRUE(test, hlist_unhashed_lockless(&a->mn.hlist));
	KUNIT_EXPECT_EQ(test, atomic_read(&a->final_starts), 1);
	mmu_notifier_unregister(&a->mn, mm);
	KUNIT_EXPECT_EQ(test, atomic_read(&a->afters), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&a->late), 0);
}

/*
 * failslab made to fail every slab allocation of this task, through the
 * attributes behind /sys/kernel/debug/failslab/.
 */
struct failslab_knobs {
	unsigned long *probability, *interval, *verbose;
	atomic_t *times;
	bool *task_filter, *ignore_gfp_wait;
	unsigned long old_probability, old_interval, old_verbose;
	int old_times;
	bool old_task_filter, old_ignore_gfp_wait;
};

static void *failslab_knob(struct dentry *dir, const char *name)
{
	struct dentry *d = debugfs_lookup(name, dir);
	void *p;

	if (IS_ERR_OR_NULL(d))
		return NULL;
	p = d_inode(d)->i_private;
	dput(d);
	return p;
}

static bool failslab_arm(struct failslab_knobs *k)
{
	struct dentry *dir = debugfs_lookup("failslab", NULL);

	if (IS_ERR_OR_NULL(dir))
		return false;
	k->probability = failslab_knob(dir, "probability");
	k->interval = failslab_knob(dir, "interval");
	k->verbose = failslab_knob(dir, "verbose");
	k->times = failslab_knob(dir, "times");
	k->task_filter = failslab_knob(dir, "task-filter");
	k->ignore_gfp_wait = failslab_knob(dir, "ignore-gfp-wait");
	dput(dir);
	if (!k->probability || !k->interval || !k->verbose || !k->times ||
	    !k->task_filter || !k->ignore_gfp_wait)
		return false;

	k->old_probability = *k->probability;
	k->old_interval = *k->interval;
	k->old_verbose = *k->verbose;
	k->old_times = atomic_read(k->times);
	k->old_task_filter = *k->task_filter;
	k->old_ignore_gfp_wait = *k->ignore_gfp_wait;
	/* Only tasks with make_it_fail set, every time, quietly. */
	*k->task_filter = true;
	*k->ignore_gfp_wait = false;
	*k->verbose = 0;
	*k->interval = 1;
	atomic_set(k->times, -1);
	*k->probability = 100;
	return true;
}

static void failslab_disarm(struct failslab_knobs *k)
{
	*k->probability = k->old_probability;
	*k->interval = k->old_interval;
	*k->verbose = k->old_verbose;
	atomic_set(k->times, k->old_times);
	*k->task_filter = k->old_task_filter;
	*k->ignore_gfp_wait = k->old_ignore_gfp_wait;
}

/* Nothing on the OOM path allocates: failing allocations change nothing. */
static void test_oom_detach_with_failing_allocations(struct kunit *test)
{
	struct mm_struct *mm = new_mm(test);
	struct test_sub *a = new_sub(test, &oom_ops);
	struct failslab_knobs k = {};
	bool armed = false;
	void *probe = NULL;

	if (!IS_ENABLED(CONFIG_FAILSLAB) ||
	    !IS_ENABLED(CONFIG_FAULT_INJECTION_DEBUG_FS))
		kunit_skip(test, "needs CONFIG_FAILSLAB and CONFIG_FAULT_INJECTION_DEBUG_FS");
	KUNIT_ASSERT_EQ(test, mmu_notifier_register(&a->mn, mm), 0);

	if (failslab_arm(&k)) {
		armed = true;
#ifdef CONFIG_FAULT_INJECTION
		current->make_it_fail = 1;
#endif
		/* Injection works: an atomic allocation of ours fails... */
		probe = kmalloc(64, GFP_ATOMIC | __GFP_NOWARN);
		/* ...and the OOM path, which does not allocate, still works. */
		reaper_detach(mm);
#ifdef CONFIG_FAULT_INJECTION
		current->make_it_fail = 0;
#endif
		failslab_disarm(&k);
	}
	KUNIT_ASSERT_TRUE_MSG(test, armed, "cannot find the failslab attributes");
	KUNIT_EXPECT_NULL_MSG(test, probe, "failslab did not fail an allocation");
	kfree(probe);

	KUNIT_EXPECT_TRUE(test, hlist_unhashed_lockless(&a->mn.hlist));
	KUNIT_EXPECT_TRUE(test, wait_oom_told(&a->mn));
	KUNIT_EXPECT_EQ(test, atomic_read(&a->final_starts), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&a->afters), 1);
	mmu_notifier_unregister(&a->mn, mm);
}

/*
 * The owner frees its subscription right after unregistering, whichever
 * of it and the OOM path detached it: under KASAN, any use after that is
 * reported.
 */
static void test_owner_teardown_after_unregister(struct kunit *test)
{
	struct mm_struct *mm = new_mm(test);
	int count = atomic_read(&mm->mm_count);
	int round;

	for (round = 0; round < 200; round++) {
		struct test_sub *a = kzalloc(sizeof(*a), GFP_KERNEL);

		KUNIT_ASSERT_NOT_NULL(test, a);
		a->mn.ops = &oom_ops;
		KUNIT_ASSERT_EQ(test, mmu_notifier_register(&a->mn, mm), 0);
		if (round & 1)
			reaper_detach(mm);
		mmu_notifier_unregister(&a->mn, mm);
		KUNIT_EXPECT_EQ(test, atomic_read(&a->afters),
				(round & 1) ? 1 : 0);
		kfree(a);
	}
	KUNIT_EXPECT_EQ(test, atomic_read(&mm->mm_count), count);
}

/* ---- The owner or exit_mmap() racing the OOM reaper, on two CPUs ---- */

#define RACE_ROUNDS	2000

enum race_kind {
	RACE_UNREGISTER,	/* side 0 unregisters */
	RACE_EXIT_MMAP,		/* side 0 drops the last user: exit_mmap() */
};

struct race_side {
	struct race *race;
	int side;		/* side 1 detaches, as the OOM reaper */
};

struct race {
	enum race_kind kind;
	struct mm_struct *mm;	/* this round's; written by the test thread */
	struct test_sub a;
	int round;		/* written by the test thread */
	int done[2];		/* rounds finished by each side */
	bool stop;
	struct task_struct *task[2];
	struct race_side sides[2];
};

/*
 * Static, one per kind: a side that never returns from a round is left
 * behind, and must not touch freed memory when the test has ended.
 */
static struct race races[2];

static void race_wait_round(struct race *r, int round)
{
	/*
	 * Acquire: the round's mm and registration are visible (see below).
	 * Yield: RCU needs these CPUs too, and preemption may be voluntary
	 * only.
	 */
	while (smp_load_acquire(&r->round) < round && !READ_ONCE(r->stop))
		cond_resched();
}

static int race_side_thread(void *arg)
{
	struct race_side *rs = arg;
	struct race *r = rs->race;
	int round;

	for (round = 1; !READ_ONCE(r->stop); round++) {
		race_wait_round(r, round);
		if (READ_ONCE(r->stop))
			break;
		if (rs->side)
			reaper_detach(r->mm);
		else if (r->kind == RACE_UNREGISTER)
			mmu_notifier_unregister(&r->a.mn, r->mm);
		else
			mmput(r->mm);
		/* Release: the test thread sees this side's round done. */
		smp_store_release(&r->done[rs->side], round);
	}
	return 0;
}

static bool race_side_done(struct race *r, int side, int round)
{
	/* Acquire: pairs with the release of done[side] by its side. */
	return smp_load_acquire(&r->done[side]) >= round;
}

/* A round's outcome: exactly one teardown, and nothing after it. */
static int race_round_errors(struct race *r, bool oom)
{
	struct test_sub *a = &r->a;
	int errors = 0;

	errors += atomic_read(&a->afters) != oom;
	errors += atomic_read(&a->final_starts) != oom;
	errors += atomic_read(&a->releases) != !oom;
	errors += atomic_read(&a->late);
	errors += atomic_read(&a->final_nonblock);
	errors += atomic_read(&a->final_atomic);
	return errors;
}

static void race_oom_detach(struct kunit *test, enum race_kind kind)
{
	struct race *r = &races[kind];
	int round, by_oom = 0, errors = 0, count = 0, i;
	unsigned int cpu[2];
	bool stuck[2] = {};

	if (num_online_cpus() < 2)
		kunit_skip(test, "needs 2 CPUs running in parallel, %u online",
			   num_online_cpus());
	if (READ_ONCE(r->task[0]) || READ_ONCE(r->task[1]))
		kunit_skip(test, "a side of an earlier run never returned");
	/* Two CPUs that are online, whichever they are. */
	cpu[0] = cpumask_first(cpu_online_mask);
	cpu[1] = cpumask_next(cpu[0], cpu_online_mask);
	memset(r, 0, sizeof(*r));
	r->kind = kind;
	r->a.mn.ops = &oom_ops;
	if (kind == RACE_UNREGISTER) {
		r->mm = new_mm(test);
		count = atomic_read(&r->mm->mm_count);
	}
	for (i = 0; i < 2; i++) {
		r->sides[i].race = r;
		r->sides[i].side = i;
		r->task[i] = kthread_create(race_side_thread, &r->sides[i],
					    "mn_oom_race/%d", i);
		KUNIT_ASSERT_FALSE(test, IS_ERR(r->task[i]));
		kthread_bind(r->task[i], cpu[i]);
		get_task_struct(r->task[i]);
		wake_up_process(r->task[i]);
	}

	for (round = 1; round <= RACE_ROUNDS && !errors; round++) {
		struct test_sub *a = &r->a;
		unsigned long end = jiffies + OOM_TIMEOUT;
		bool oom;

		atomic_set(&a->starts, 0);
		atomic_set(&a->final_starts, 0);
		atomic_set(&a->ends, 0);
		atomic_set(&a->releases, 0);
		atomic_set(&a->afters, 0);
		atomic_set(&a->late, 0);
		atomic_set(&a->final_nonblock, 0);
		atomic_set(&a->final_atomic, 0);
		if (kind == RACE_EXIT_MMAP) {
			struct mm_struct *mm = mm_alloc();

			if (!mm) {
				errors++;
				break;
			}
			/* Kept until the checks below, past exit_mmap(). */
			mmgrab(mm);
			r->mm = mm;
		}
		if (mmu_notifier_register(&a->mn, r->mm)) {
			errors++;
			break;
		}
		/* Release: both sides start the round, registered, at once. */
		smp_store_release(&r->round, round);
		for (i = 0; i < 2; i++) {
			while (!race_side_done(r, i, round) &&
			       time_before(jiffies, end))
				cond_resched();
			/* A lost wakeup, say, shows here as a timeout. */
			stuck[i] = !race_side_done(r, i, round);
		}
		if (stuck[0] || stuck[1]) {
			errors++;
			break;
		}
		oom = mmu_notifier_oom_detached(&a->mn);
		by_oom += oom;
		if (kind == RACE_EXIT_MMAP) {
			/* The owner unregisters after the mm is gone. */
			mmu_notifier_unregister(&a->mn, r->mm);
			errors += race_round_errors(r, oom);
			/* Only this test's reference is left. */
			errors += atomic_read(&r->mm->mm_count) != 1;
			mmdrop(r->mm);
		} else {
			errors += race_round_errors(r, oom);
			errors += atomic_read(&r->mm->mm_count) != count;
			/* Nothing reaches it after unregister returned. */
			invalidate(r->mm);
			errors += atomic_read(&a->starts) != oom;
		}
	}
	WRITE_ONCE(r->stop, true);
	for (i = 0; i < 2; i++) {
		if (stuck[i])
			continue;	/* kthread_stop() would never return */
		kthread_stop(r->task[i]);
		put_task_struct(r->task[i]);
		WRITE_ONCE(r->task[i], NULL);
	}
	kunit_info(test, "%d rounds, detached by the OOM reaper in %d\n",
		   round - 1, by_oom);
	KUNIT_EXPECT_FALSE_MSG(test, stuck[0] || stuck[1],
			       "a side did not finish its round within %d s",
			       OOM_TIMEOUT / HZ);
	KUNIT_EXPECT_EQ(test, errors, 0);
	KUNIT_EXPECT_EQ(test, round - 1, RACE_ROUNDS);
}

static void test_unregister_races_oom_detach(struct kunit *test)
{
	race_oom_detach(test, RACE_UNREGISTER);
}

static void test_exit_mmap_races_oom_detach(struct kunit *test)
{
	race_oom_detach(test, RACE_EXIT_MMAP);
}

static struct kunit_case mmu_notifier_oom_cases[] = {
	KUNIT_CASE(test_srcu_detach_record),
	KUNIT_CASE(test_op_with_alloc_notifier_is_refused),
	KUNIT_CASE(test_oom_detach_detaches_only_opted_in),
	KUNIT_CASE(test_owner_told_after_callbacks_in_flight),
	KUNIT_CASE(test_exit_mmap_waits_for_final_invalidation),
	KUNIT_CASE(test_second_reaper_tries_again),
	KUNIT_CASE(test_oom_detach_with_failing_allocations),
	KUNIT_CASE_SLOW(test_owner_teardown_after_unregister),
	KUNIT_CASE_SLOW(test_unregister_races_oom_detach),
	KUNIT_CASE_SLOW(test_exit_mmap_races_oom_detach),
	{}
};

static struct kunit_suite mmu_notifier_oom_suite = {
	.name = "mmu_notifier_oom",
	.test_cases = mmu_notifier_oom_cases,
};

kunit_test_suite(mmu_notifier_oom_suite);

MODULE_DESCRIPTION("KUnit tests for detaching mmu notifiers from OOM-killed mms");
MODULE_LICENSE("GPL");
