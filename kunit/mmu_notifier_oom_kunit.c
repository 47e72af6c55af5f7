// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for detaching mmu notifiers from OOM-killed mms
 * (mmu_notifier_oom_enter() and struct mmu_notifier_ops'
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

#define OOM_TIMEOUT	(10 * HZ)

/* A subscription that counts what it is told. */
struct test_sub {
	struct mmu_notifier mn;
	atomic_t starts, final_starts, ends, releases, afters;
	bool after_could_sleep;
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

	atomic_inc(&t->starts);
	if (range->start == 0 && range->end == ULONG_MAX)
		atomic_inc(&t->final_starts);
	if (READ_ONCE(t->blocker) == current) {
		complete(&t->blocked);
		wait_for_completion(&t->unblock);
		t->blocked_return_seq = atomic_inc_return(t->seq);
	}
	return 0;
}

static void ts_end(struct mmu_notifier *mn,
		   const struct mmu_notifier_range *range)
{
	atomic_inc(&to_test_sub(mn)->ends);
}

static void ts_release(struct mmu_notifier *mn, struct mm_struct *mm)
{
	atomic_inc(&to_test_sub(mn)->releases);
}

static void ts_after(struct mmu_notifier *mn, struct mm_struct *mm)
{
	struct test_sub *t = to_test_sub(mn);

	t->after_could_sleep = in_task() && !irqs_disabled() &&
			       (!IS_ENABLED(CONFIG_PREEMPT_COUNT) || !preempt_count());
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

static struct mmu_notifier *bad_alloc(struct mm_struct *mm)
{
	struct test_sub *t = kzalloc(sizeof(*t), GFP_KERNEL);

	return t ? &t->mn : ERR_PTR(-ENOMEM);
}

static void bad_free(struct mmu_notifier *mn)
{
	kfree(to_test_sub(mn));
}

static const struct mmu_notifier_ops alloc_and_oom_ops = {
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
static void invalidate(struct mm_struct *mm)
{
	struct mmu_notifier_range range;

	mmu_notifier_range_init(&range, MMU_NOTIFY_UNMAP, 0, mm, 0, PAGE_SIZE);
	mmu_notifier_invalidate_range_start(&range);
	mmu_notifier_invalidate_range_end(&range);
}

/* ---- Registration ---- */

static void test_op_with_alloc_notifier_is_refused(struct kunit *test)
{
	struct mm_struct *mm = new_mm(test);
	struct test_sub *t = new_sub(test, &alloc_and_oom_ops);
	struct mmu_notifier *mn;
	int count = atomic_read(&mm->mm_count);

	KUNIT_EXPECT_EQ(test, mmu_notifier_register(&t->mn, mm), -EINVAL);
	mn = mmu_notifier_get(&alloc_and_oom_ops, mm);
	KUNIT_EXPECT_TRUE(test, IS_ERR(mn));
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(mn), -EINVAL);
	KUNIT_EXPECT_EQ(test, atomic_read(&mm->mm_count), count);
}

/* ---- Detaching ---- */

static void test_oom_enter_detaches_only_opted_in(struct kunit *test)
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

	/* Detaching is queued: not done yet, reaping must wait. */
	KUNIT_EXPECT_FALSE(test, mmu_notifier_oom_enter(mm));
	KUNIT_EXPECT_TRUE(test, mmu_notifier_oom_barrier(&a->mn));
	KUNIT_EXPECT_FALSE(test, mmu_notifier_oom_barrier(&b->mn));
	KUNIT_EXPECT_TRUE(test, mmu_notifier_oom_detached(&a->mn));
	KUNIT_EXPECT_FALSE(test, mmu_notifier_oom_detached(&b->mn));
	KUNIT_EXPECT_TRUE(test, mmu_notifier_oom_enter(mm));

	/* A got its last invalidation of everything, then its op, once. */
	KUNIT_EXPECT_EQ(test, atomic_read(&a->final_starts), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&a->afters), 1);
	KUNIT_EXPECT_TRUE(test, a->after_could_sleep);
	KUNIT_EXPECT_EQ(test, atomic_read(&a->releases), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&b->afters), 0);

	/* No invalidation reaches A any more; B keeps working. */
	invalidate(mm);
	KUNIT_EXPECT_EQ(test, atomic_read(&a->starts), 2);
	KUNIT_EXPECT_EQ(test, atomic_read(&a->ends), 1);
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

struct blocker {
	struct mm_struct *mm;
	struct test_sub *t;
	struct completion done;
};

static int blocker_thread(void *arg)
{
	struct blocker *b = arg;

	invalidate(b->mm);
	complete(&b->done);
	while (!kthread_should_stop()) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (!kthread_should_stop())
			schedule();
		__set_current_state(TASK_RUNNING);
	}
	return 0;
}

/* The owner is told only once every callback in flight has returned. */
static void test_owner_told_after_callbacks_in_flight(struct kunit *test)
{
	struct mm_struct *mm = new_mm(test);
	struct test_sub *a = new_sub(test, &oom_ops);
	atomic_t seq = ATOMIC_INIT(0);
	struct task_struct *task;
	struct blocker b = { .mm = mm, .t = a };
	unsigned long end;
	int afters_while_blocked;

	a->seq = &seq;
	init_completion(&b.done);
	KUNIT_ASSERT_EQ(test, mmu_notifier_register(&a->mn, mm), 0);

	task = kthread_create(blocker_thread, &b, "mn_oom_blocker");
	KUNIT_ASSERT_FALSE(test, IS_ERR(task));
	get_task_struct(task);
	WRITE_ONCE(a->blocker, task);
	wake_up_process(task);
	KUNIT_ASSERT_TRUE(test, wait_for_completion_timeout(&a->blocked, OOM_TIMEOUT));

	/* An invalidation is in flight in A's start(): detach A. */
	KUNIT_EXPECT_FALSE(test, mmu_notifier_oom_enter(mm));
	end = jiffies + OOM_TIMEOUT;
	while (atomic_read(&a->final_starts) < 1 && time_before(jiffies, end))
		usleep_range(100, 200);
	KUNIT_EXPECT_EQ(test, atomic_read(&a->final_starts), 1);
	while (!hlist_unhashed_lockless(&a->mn.hlist) && time_before(jiffies, end))
		usleep_range(100, 200);
	KUNIT_EXPECT_TRUE(test, hlist_unhashed_lockless(&a->mn.hlist));
	/* Unlinked, and waiting for the blocked callback: not told yet. */
	afters_while_blocked = atomic_read(&a->afters);
	KUNIT_EXPECT_FALSE(test, mmu_notifier_oom_enter(mm));

	complete(&a->unblock);
	KUNIT_EXPECT_TRUE(test, wait_for_completion_timeout(&b.done, OOM_TIMEOUT));
	KUNIT_EXPECT_TRUE(test, mmu_notifier_oom_barrier(&a->mn));
	kthread_stop(task);
	put_task_struct(task);

	KUNIT_EXPECT_EQ(test, afters_while_blocked, 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&a->afters), 1);
	KUNIT_EXPECT_GT(test, a->after_seq, a->blocked_return_seq);
	/* The blocked invalidation's end came after A was detached. */
	KUNIT_EXPECT_EQ(test, atomic_read(&a->ends), 0);
	KUNIT_EXPECT_TRUE(test, mmu_notifier_oom_enter(mm));
	mmu_notifier_unregister(&a->mn, mm);
}

/*
 * The OOM path in a section that may not block: it must not sleep, which
 * CONFIG_DEBUG_ATOMIC_SLEEP checks (and reports to the kernel log).
 */
static void test_oom_enter_in_non_block_section(struct kunit *test)
{
	struct mm_struct *mm = new_mm(test);
	struct test_sub *a = new_sub(test, &oom_ops);
	bool warned = test_taint(TAINT_WARN), ready;

	KUNIT_ASSERT_EQ(test, mmu_notifier_register(&a->mn, mm), 0);
	non_block_start();
	ready = mmu_notifier_oom_enter(mm);
	ready |= mmu_notifier_oom_enter(mm);
	non_block_end();
	KUNIT_EXPECT_FALSE(test, ready);
	KUNIT_EXPECT_TRUE(test, mmu_notifier_oom_barrier(&a->mn));
	KUNIT_EXPECT_EQ(test, atomic_read(&a->afters), 1);
	mmu_notifier_unregister(&a->mn, mm);
	if (!warned)
		KUNIT_EXPECT_FALSE(test, test_taint(TAINT_WARN));
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
static void test_oom_enter_with_failing_allocations(struct kunit *test)
{
	struct mm_struct *mm = new_mm(test);
	struct test_sub *a = new_sub(test, &oom_ops);
	struct failslab_knobs k = {};
	bool armed = false, ready = true;
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
		ready = mmu_notifier_oom_enter(mm);
#ifdef CONFIG_FAULT_INJECTION
		current->make_it_fail = 0;
#endif
		failslab_disarm(&k);
	}
	KUNIT_ASSERT_TRUE_MSG(test, armed, "cannot find the failslab attributes");
	KUNIT_EXPECT_NULL_MSG(test, probe, "failslab did not fail an allocation");
	kfree(probe);

	KUNIT_EXPECT_FALSE(test, ready);
	KUNIT_EXPECT_TRUE(test, mmu_notifier_oom_barrier(&a->mn));
	KUNIT_EXPECT_EQ(test, atomic_read(&a->final_starts), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&a->afters), 1);
	KUNIT_EXPECT_TRUE(test, mmu_notifier_oom_enter(mm));
	mmu_notifier_unregister(&a->mn, mm);
}

/*
 * The owner frees its subscription right after unregistering, whichever
 * of it and the OOM path detached it: under KASAN, any use after that is
 * reported.
 */
static void test_owner_teardown_after_barrier(struct kunit *test)
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
			mmu_notifier_oom_enter(mm);
		mmu_notifier_unregister(&a->mn, mm);
		KUNIT_EXPECT_EQ(test, atomic_read(&a->afters),
				(round & 1) ? 1 : 0);
		kfree(a);
	}
	KUNIT_EXPECT_EQ(test, atomic_read(&mm->mm_count), count);
}

/* ---- Unregister racing the OOM path, on two CPUs ---- */

#define RACE_ROUNDS	2000

struct race_side {
	struct race *race;
	int side;		/* 0 unregisters, 1 enters the OOM path */
};

struct race {
	struct mm_struct *mm;
	struct test_sub *a;
	int round;		/* written by the test thread */
	int done[2];		/* rounds finished by each side */
	bool stop;
	struct task_struct *task[2];
	struct race_side sides[2];
};

static void race_wait_round(struct race *r, int round)
{
	/*
	 * Acquire: the round's registration is visible (see below).  Yield:
	 * the detach work item and RCU need these CPUs too, and preemption
	 * may be voluntary only.
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
			mmu_notifier_oom_enter(r->mm);
		else
			mmu_notifier_unregister(&r->a->mn, r->mm);
		/* Release: the test thread sees this side's round done. */
		smp_store_release(&r->done[rs->side], round);
	}
	return 0;
}

static bool race_round_done(struct race *r, int round)
{
	/* Acquire: pairs with the release of done[0] by its side. */
	int unregistered = smp_load_acquire(&r->done[0]);
	/* Acquire: likewise for done[1]. */
	int oom_entered = smp_load_acquire(&r->done[1]);

	return unregistered >= round && oom_entered >= round;
}

static void test_unregister_races_oom_enter(struct kunit *test)
{
	struct race *r;
	int round, by_oom = 0, errors = 0, count, i;

	if (num_online_cpus() < 2)
		kunit_skip(test, "needs 2 CPUs running in parallel, %u online",
			   num_online_cpus());
	r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	r->mm = new_mm(test);
	r->a = new_sub(test, &oom_ops);
	count = atomic_read(&r->mm->mm_count);
	for (i = 0; i < 2; i++) {
		r->sides[i].race = r;
		r->sides[i].side = i;
		r->task[i] = kthread_create(race_side_thread, &r->sides[i],
					    "mn_oom_race/%d", i);
		KUNIT_ASSERT_FALSE(test, IS_ERR(r->task[i]));
		kthread_bind(r->task[i], i);
		get_task_struct(r->task[i]);
		wake_up_process(r->task[i]);
	}

	for (round = 1; round <= RACE_ROUNDS && !errors; round++) {
		struct test_sub *a = r->a;
		unsigned long end = jiffies + OOM_TIMEOUT;
		bool oom;

		atomic_set(&a->starts, 0);
		atomic_set(&a->final_starts, 0);
		atomic_set(&a->ends, 0);
		atomic_set(&a->releases, 0);
		atomic_set(&a->afters, 0);
		if (mmu_notifier_register(&a->mn, r->mm)) {
			errors++;
			break;
		}
		/* Release: both sides start the round, registered, at once. */
		smp_store_release(&r->round, round);
		while (!race_round_done(r, round) && time_before(jiffies, end))
			cond_resched();
		if (READ_ONCE(r->done[0]) < round) {
			errors++;	/* unregister never returned */
			break;
		}
		/* Exactly once: either the OOM path told the owner, or not. */
		oom = mmu_notifier_oom_detached(&a->mn);
		by_oom += oom;
		errors += atomic_read(&a->afters) != oom;
		errors += atomic_read(&a->final_starts) != oom;
		errors += atomic_read(&a->releases) != !oom;
		errors += atomic_read(&r->mm->mm_count) != count;
		/* Nothing reaches it after unregister returned. */
		invalidate(r->mm);
		errors += atomic_read(&a->starts) != oom;
	}
	WRITE_ONCE(r->stop, true);
	for (i = 0; i < 2; i++) {
		kthread_stop(r->task[i]);
		put_task_struct(r->task[i]);
	}
	kunit_info(test, "%d rounds, detached by the OOM path in %d\n",
		   round - 1, by_oom);
	KUNIT_EXPECT_EQ(test, errors, 0);
	KUNIT_EXPECT_EQ(test, round - 1, RACE_ROUNDS);
}

static struct kunit_case mmu_notifier_oom_cases[] = {
	KUNIT_CASE(test_op_with_alloc_notifier_is_refused),
	KUNIT_CASE(test_oom_enter_detaches_only_opted_in),
	KUNIT_CASE(test_owner_told_after_callbacks_in_flight),
	KUNIT_CASE(test_oom_enter_in_non_block_section),
	KUNIT_CASE(test_oom_enter_with_failing_allocations),
	KUNIT_CASE(test_owner_teardown_after_barrier),
	KUNIT_CASE_SLOW(test_unregister_races_oom_enter),
	{}
};

static struct kunit_suite mmu_notifier_oom_suite = {
	.name = "mmu_notifier_oom",
	.test_cases = mmu_notifier_oom_cases,
};

kunit_test_suite(mmu_notifier_oom_suite);

MODULE_DESCRIPTION("KUnit tests for detaching mmu notifiers from OOM-killed mms");
MODULE_LICENSE("GPL");
