// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for <linux/inval_gate.h>.
 *
 * The single-threaded cases pin down each call's semantics, misuse
 * included.  The concurrent cases use real kthreads; those that need CPUs
 * running in parallel skip when fewer than two are online.  Helper threads
 * only record what they saw; every check is made in the test thread.
 */

#include <kunit/test.h>
#include <linux/cpumask.h>
#include <linux/completion.h>
#include <linux/debug_locks.h>
#include <linux/delay.h>
#include <linux/inval_gate.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/mutex.h>
#include <linux/moduleparam.h>
#include <linux/panic.h>
#include <linux/rwsem.h>
#include <linux/spinlock.h>
#include <linux/sched.h>
#include <linux/sched/task.h>

/* How long a helper may take to reach a state before the case fails. */
#define GATE_TIMEOUT		(10 * HZ)
/*
 * The hang detector of a helper that polls with preemption off: half of
 * GATE_TIMEOUT, so that the case sees the helper finish either way.
 */
#define GATE_SPIN_US		(5 * USEC_PER_SEC)

static DEFINE_INVAL_GATE(static_gate);

/* Readers counted inside the gate. */
static int gate_readers(struct inval_gate *gate)
{
	return atomic_read(&gate->state) & INVAL_GATE_READERS;
}

/*
 * A gate that outlives the test case's function: helper threads still use
 * it until they are stopped, after the case returns.
 */
static struct inval_gate *new_gate(struct kunit *test)
{
	struct inval_gate *gate = kunit_kzalloc(test, sizeof(*gate), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, gate);
	inval_gate_init(gate);
	return gate;
}

/* Number of tasks sleeping on the gate: writers and wait_idle() callers. */
static unsigned int gate_sleepers(struct inval_gate *gate)
{
	unsigned long flags;
	unsigned int n;

	raw_spin_lock_irqsave(&gate->waiters.lock, flags);
	n = list_count_nodes(&gate->waiters.task_list);
	raw_spin_unlock_irqrestore(&gate->waiters.lock, flags);
	return n;
}

/* Poll @cond for up to GATE_TIMEOUT; the caller asserts the result. */
#define wait_until(cond)						\
({									\
	unsigned long __end = jiffies + GATE_TIMEOUT;			\
	bool __ok;							\
									\
	while (!(__ok = (cond)) && time_before(jiffies, __end))		\
		usleep_range(100, 200);					\
	__ok;								\
})

/*
 * Misuse warns, once per call site.  A case counts the warnings its task,
 * or a helper thread, hits while KUnit suppresses their backtraces (which
 * also keeps them out of the log and away from panic_on_warn).  The first
 * time this module reaches a WARN_ONCE() site, it must warn.  After that,
 * whether it counts again depends on the architecture: where the once
 * flag lives in the bug table (WARN_ON_ONCE() on x86 and arm64,
 * WARN_ONCE() on x86), a suppressed warning does not use it up; where it
 * is DO_ONCE_LITE_IF()'s (UML, arm64's WARN_ONCE()), it does.  Where
 * KUnit cannot count warnings (no kunit_start_suppress_warning()),
 * warnings_end() returns -1 and nothing is checked; nor is anything
 * without CONFIG_BUG.
 */
struct kunit_suppressed_warning;

struct warn_site {
	const char *what;
	bool fired;
};

static struct warn_site warn_leave_empty = { "a leave of an empty gate" };
static struct warn_site warn_write_end = { "a write_end() without write_begin()" };
static struct warn_site warn_concurrent_writers = { "concurrent writers" };

/* An expected count: none or one, as a WARN_ONCE() site reached again. */
#define WARNS_AT_MOST_ONCE	(-1)

/* The warnings @site gives now: one the first time. */
static int warn_site_next(struct warn_site *site)
{
	return xchg(&site->fired, true) ? WARNS_AT_MOST_ONCE : 1;
}

static struct kunit_suppressed_warning *warnings_start(struct kunit *test)
{
	return kunit_start_suppress_warning(test);
}

static int warnings_end(struct kunit *test, struct kunit_suppressed_warning *w)
{
	int n = kunit_suppressed_warning_count(w);

	kunit_end_suppress_warning(test, w);
	return n;
}

static void expect_warnings(struct kunit *test, int seen, int expected,
			    const char *what)
{
	/* Without CONFIG_BUG, WARN*() only evaluates its condition. */
	if (seen < 0 || !IS_ENABLED(CONFIG_BUG))
		return;
	if (expected == WARNS_AT_MOST_ONCE)
		KUNIT_EXPECT_LE_MSG(test, seen, 1,
				    "%s: %d warnings, expected one at most",
				    what, seen);
	else
		KUNIT_EXPECT_EQ_MSG(test, seen, expected,
				    "%s: %d warning(s), expected %d", what, seen,
				    expected);
}

/*
 * Run @stmt in the calling task, which must be @test's: it must warn @n
 * times (evaluated first).
 */
#define EXPECT_WARNS(test, n, what, stmt)				\
	do {								\
		struct kunit *__test = (test);				\
		int __expected = (n);					\
		struct kunit_suppressed_warning *__w = warnings_start(__test); \
									\
		stmt;							\
		expect_warnings(__test, warnings_end(__test, __w),	\
				__expected, what);			\
	} while (0)

/* The same for the next time @stmt reaches the WARN_ONCE() of @site. */
#define EXPECT_WARNS_AT(test, site, stmt)				\
	do {								\
		struct warn_site *__site = (site);			\
									\
		EXPECT_WARNS(test, warn_site_next(__site), __site->what, stmt); \
	} while (0)

/*
 * A helper thread that runs one gate operation and reports when it is
 * done.  It then parks until kthread_stop(), so the test thread always
 * stops it exactly once.
 */
struct gate_op {
	struct kunit *test;
	struct inval_gate *gate;
	void (*op)(struct gate_op *gop);
	struct task_struct *task;
	struct completion done;
	/* Set before the start, for op() to use. */
	bool count_warnings;
	struct gate_op *peer;
	struct gate_op **watch;
	unsigned int nwatch;
	/* Filled in by op() for the test thread to check. */
	int readers_seen;
	unsigned int sleepers_seen;
	bool published;
	atomic_t *publishing;
	bool overlapped;
	bool watched_done;
	bool saw_closed;
	int warnings;
};

static void park_until_stopped(void)
{
	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (kthread_should_stop())
			break;
		schedule();
	}
	__set_current_state(TASK_RUNNING);
}

static int gate_op_thread(void *arg)
{
	struct gate_op *gop = arg;

	if (gop->count_warnings) {
		struct kunit_suppressed_warning *w = warnings_start(gop->test);

		gop->op(gop);
		gop->warnings = warnings_end(gop->test, w);
	} else {
		gop->op(gop);
	}
	complete(&gop->done);
	park_until_stopped();
	return 0;
}

static void gate_op_stop(void *arg)
{
	struct gate_op *gop = arg;

	kthread_stop(gop->task);
}

/*
 * A thread for @op, bound to @cpu unless it is negative, not yet woken:
 * the caller sets it up and wakes it (or has another helper wake it).
 */
static struct gate_op *gate_op_create_on(struct kunit *test,
					 struct inval_gate *gate,
					 void (*op)(struct gate_op *gop),
					 int cpu)
{
	struct gate_op *gop = kunit_kzalloc(test, sizeof(*gop), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, gop);
	gop->test = test;
	gop->gate = gate;
	gop->op = op;
	init_completion(&gop->done);
	gop->task = kthread_create(gate_op_thread, gop, "inval_gate_op");
	KUNIT_ASSERT_FALSE(test, IS_ERR(gop->task));
	if (cpu >= 0)
		kthread_bind(gop->task, cpu);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, gate_op_stop,
							   gop));
	return gop;
}

/* Run @op in a new thread, bound to @cpu unless it is negative. */
static struct gate_op *gate_op_start_on(struct kunit *test,
					struct inval_gate *gate,
					void (*op)(struct gate_op *gop),
					int cpu)
{
	struct gate_op *gop = gate_op_create_on(test, gate, op, cpu);

	wake_up_process(gop->task);
	return gop;
}

static struct gate_op *gate_op_start(struct kunit *test,
				     struct inval_gate *gate,
				     void (*op)(struct gate_op *gop))
{
	return gate_op_start_on(test, gate, op, -1);
}

static bool gate_op_finished(struct gate_op *gop)
{
	return wait_for_completion_timeout(&gop->done, GATE_TIMEOUT);
}

/* A writer that checks it publishes alone. */
static void op_publish(struct gate_op *gop)
{
	inval_gate_write_begin(gop->gate);
	if (gop->publishing && atomic_inc_return(gop->publishing) != 1)
		gop->overlapped = true;
	gop->readers_seen = gate_readers(gop->gate);
	gop->published = true;
	if (gop->publishing)
		atomic_dec(gop->publishing);
	inval_gate_write_end(gop->gate);
}

static void op_enter_leave(struct gate_op *gop)
{
	inval_gate_enter(gop->gate);
	gop->readers_seen = gate_readers(gop->gate);
	inval_gate_leave(gop->gate);
}

static void op_wait_idle(struct gate_op *gop)
{
	inval_gate_wait_idle(gop->gate);
	gop->published = true;
}

/* ---- Semantics, one thread ---- */

static void test_init_is_idle(struct kunit *test)
{
	struct inval_gate gate;

	inval_gate_init(&gate);
	KUNIT_EXPECT_FALSE(test, inval_gate_in_progress(&gate));
	KUNIT_EXPECT_FALSE(test, inval_gate_in_progress(&static_gate));
	/* An idle gate lets a writer through at once. */
	inval_gate_write_begin(&gate);
	inval_gate_write_end(&gate);
	inval_gate_write_begin(&static_gate);
	inval_gate_write_end(&static_gate);
	inval_gate_wait_idle(&gate);
	KUNIT_EXPECT_FALSE(test, inval_gate_in_progress(&gate));
}

static void test_enter_leave_counts_readers(struct kunit *test)
{
	struct inval_gate gate;

	inval_gate_init(&gate);
	inval_gate_enter(&gate);
	KUNIT_EXPECT_TRUE(test, inval_gate_in_progress(&gate));
	inval_gate_enter(&gate);	/* readers nest */
	inval_gate_leave(&gate);
	KUNIT_EXPECT_TRUE(test, inval_gate_in_progress(&gate));
	inval_gate_leave(&gate);
	KUNIT_EXPECT_FALSE(test, inval_gate_in_progress(&gate));
}

static void test_writer_publishes_with_preemption_disabled(struct kunit *test)
{
	struct inval_gate gate;
	int count = preempt_count();

	inval_gate_init(&gate);
	inval_gate_write_begin(&gate);
	KUNIT_EXPECT_FALSE(test, inval_gate_in_progress(&gate));
	if (IS_ENABLED(CONFIG_PREEMPT_COUNT))
		KUNIT_EXPECT_EQ(test, preempt_count(), count + 1);
	inval_gate_write_end(&gate);
	KUNIT_EXPECT_EQ(test, preempt_count(), count);
}

static void test_guards(struct kunit *test)
{
	struct inval_gate gate;
	int count = preempt_count();

	inval_gate_init(&gate);
	scoped_guard(inval_gate_read, &gate)
		KUNIT_EXPECT_TRUE(test, inval_gate_in_progress(&gate));
	KUNIT_EXPECT_FALSE(test, inval_gate_in_progress(&gate));
	scoped_guard(inval_gate_write, &gate)
		KUNIT_EXPECT_FALSE(test, inval_gate_in_progress(&gate));
	KUNIT_EXPECT_EQ(test, preempt_count(), count);
}

static void test_teardown_of_idle_gate(struct kunit *test)
{
	struct inval_gate gate;

	inval_gate_init(&gate);
	EXPECT_WARNS(test, 0, "a teardown of an idle gate",
		     KUNIT_EXPECT_FALSE(test, inval_gate_teardown(&gate)));
	KUNIT_EXPECT_FALSE(test, inval_gate_in_progress(&gate));
	EXPECT_WARNS(test, 0, "a reset of an idle gate",
		     KUNIT_EXPECT_FALSE(test, inval_gate_reset(&gate)));
}

/*
 * The owner goes away while readers are counted inside: teardown drops
 * them (this task's lockdep holds included), and a writer can then get
 * through.
 */
static void test_teardown_drops_unbalanced_readers(struct kunit *test)
{
	struct inval_gate *gate = new_gate(test);
	struct gate_op *writer;

	inval_gate_enter(gate);
	inval_gate_enter(gate);
	/* Readers that will never leave are what teardown is for. */
	EXPECT_WARNS(test, 0, "a teardown with readers inside",
		     KUNIT_EXPECT_TRUE(test, inval_gate_teardown(gate)));
	KUNIT_EXPECT_FALSE(test, inval_gate_in_progress(gate));
#ifdef CONFIG_DEBUG_LOCK_ALLOC
	KUNIT_EXPECT_FALSE(test, lock_is_held(&gate->dep_map));
#endif

	writer = gate_op_start(test, gate, op_publish);
	KUNIT_ASSERT_TRUE(test, gate_op_finished(writer));
	KUNIT_EXPECT_TRUE(test, writer->published);
}

/* Tearing down a gate a writer still waits on is a bug: it warns. */
static void test_teardown_of_a_gate_in_use_warns(struct kunit *test)
{
	struct inval_gate *gate = new_gate(test);
	struct gate_op *writer;

	inval_gate_enter(gate);
	writer = gate_op_start(test, gate, op_publish);
	KUNIT_ASSERT_TRUE(test, wait_until(gate_sleepers(gate) == 1));
	EXPECT_WARNS(test, 1, "a teardown with a writer waiting",
		     KUNIT_EXPECT_TRUE(test, inval_gate_teardown(gate)));
	KUNIT_EXPECT_EQ(test, atomic_read(&gate->state), 0);
	/* Let the writer go, as the owner should have before. */
	inval_gate_reset(gate);
	KUNIT_ASSERT_TRUE(test, gate_op_finished(writer));
	KUNIT_EXPECT_TRUE(test, writer->published);
}

/* The owner lives on: reset drops the readers and wakes a waiting writer. */
static void test_reset_wakes_a_waiting_writer(struct kunit *test)
{
	struct inval_gate *gate = new_gate(test);
	struct gate_op *writer;

	inval_gate_enter(gate);
	writer = gate_op_start(test, gate, op_publish);
	KUNIT_ASSERT_TRUE(test, wait_until(gate_sleepers(gate) == 1));
	EXPECT_WARNS(test, 0, "a reset with a writer waiting",
		     KUNIT_EXPECT_TRUE(test, inval_gate_reset(gate)));
	KUNIT_ASSERT_TRUE(test, gate_op_finished(writer));
	KUNIT_EXPECT_TRUE(test, writer->published);
	KUNIT_EXPECT_EQ(test, writer->readers_seen, 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&gate->state), 0);
	/* A dropped reader that does call leave gets a warning, no underflow. */
	EXPECT_WARNS_AT(test, &warn_leave_empty, inval_gate_leave(gate));
	KUNIT_EXPECT_EQ(test, atomic_read(&gate->state), 0);
}

/* ---- Misuse: a warning once, state intact ---- */

static void test_leave_without_enter_keeps_count(struct kunit *test)
{
	struct inval_gate gate;

	inval_gate_init(&gate);
	EXPECT_WARNS_AT(test, &warn_leave_empty, inval_gate_leave(&gate));
	KUNIT_EXPECT_FALSE(test, inval_gate_in_progress(&gate));
	KUNIT_EXPECT_EQ(test, atomic_read(&gate.state), 0);
	/* The count did not underflow: one enter makes one reader. */
	inval_gate_enter(&gate);
	KUNIT_EXPECT_EQ(test, atomic_read(&gate.state), 1);
	inval_gate_leave(&gate);
	EXPECT_WARNS_AT(test, &warn_leave_empty, inval_gate_leave(&gate));
	KUNIT_EXPECT_EQ(test, atomic_read(&gate.state), 0);
	inval_gate_write_begin(&gate);
	inval_gate_write_end(&gate);
}

static void test_write_end_without_begin_changes_nothing(struct kunit *test)
{
	/* Through a pointer: sparse need not flag the deliberate imbalance. */
	void (*write_end)(struct inval_gate *gate) = inval_gate_write_end;
	struct inval_gate gate;
	int count = preempt_count();

	inval_gate_init(&gate);
	inval_gate_enter(&gate);
	EXPECT_WARNS_AT(test, &warn_write_end, write_end(&gate));
	KUNIT_EXPECT_EQ(test, preempt_count(), count);
	KUNIT_EXPECT_EQ(test, atomic_read(&gate.state), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&gate.writers), 0);
	inval_gate_leave(&gate);
	KUNIT_EXPECT_FALSE(test, inval_gate_in_progress(&gate));
}

/*
 * Two writers waiting at once: the second warns, and they still publish
 * one after the other once the reader leaves.
 */
static void test_concurrent_writers_warn_and_serialize(struct kunit *test)
{
	struct inval_gate *gate = new_gate(test);
	struct gate_op *w1, *w2;
	atomic_t publishing = ATOMIC_INIT(0);
	int warnings;

	inval_gate_enter(gate);
	w1 = gate_op_start(test, gate, op_publish);
	KUNIT_ASSERT_TRUE(test, wait_until(gate_sleepers(gate) == 1));
	w2 = gate_op_create_on(test, gate, op_publish, -1);
	w1->publishing = &publishing;
	w2->publishing = &publishing;
	w2->count_warnings = true;
	warnings = warn_site_next(&warn_concurrent_writers);
	wake_up_process(w2->task);
	KUNIT_ASSERT_TRUE(test, wait_until(gate_sleepers(gate) == 2));
	KUNIT_EXPECT_EQ(test, atomic_read(&gate->writers), 2);
	KUNIT_EXPECT_FALSE(test, READ_ONCE(w1->published));
	KUNIT_EXPECT_FALSE(test, READ_ONCE(w2->published));

	inval_gate_leave(gate);
	KUNIT_ASSERT_TRUE(test, gate_op_finished(w1));
	KUNIT_ASSERT_TRUE(test, gate_op_finished(w2));
	KUNIT_EXPECT_TRUE(test, w1->published && w2->published);
	KUNIT_EXPECT_FALSE(test, w1->overlapped || w2->overlapped);
	KUNIT_EXPECT_EQ(test, atomic_read(&gate->writers), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&gate->state), 0);
	expect_warnings(test, w2->warnings, warnings,
			warn_concurrent_writers.what);
}

/*
 * A writer that begins while another publishes (the same misuse) sleeps
 * until the publication ends: write_end() wakes it.  The first writer
 * keeps its gate closed until the second sleeps, on a CPU of its own.
 * It wakes the second itself: with its CPU's preemption off, nothing
 * that CPU would run, such as the test's own wait (whose timer, on
 * PREEMPT_RT, expires in a thread of that CPU), may be on the way.
 */
static void op_publish_until_a_writer_sleeps(struct gate_op *gop)
{
	unsigned long us;

	inval_gate_write_begin(gop->gate);
	WRITE_ONCE(gop->published, true);
	wake_up_process(gop->peer->task);
	for (us = 0; us < GATE_SPIN_US && gate_sleepers(gop->gate) < 1; us += 5)
		udelay(5);
	gop->sleepers_seen = gate_sleepers(gop->gate);
	inval_gate_write_end(gop->gate);
}

static void test_write_end_wakes_a_writer_that_began_meanwhile(struct kunit *test)
{
	struct inval_gate *gate = new_gate(test);
	int cpu0 = cpumask_first(cpu_online_mask);
	int cpu1 = cpumask_next(cpu0, cpu_online_mask);
	struct gate_op *w1, *w2;
	bool woken;
	int warnings;

	if (num_online_cpus() < 2)
		kunit_skip(test, "needs two CPUs: a writer holds its gate closed");
	w2 = gate_op_create_on(test, gate, op_publish, cpu1);
	w2->count_warnings = true;
	warnings = warn_site_next(&warn_concurrent_writers);
	w1 = gate_op_create_on(test, gate, op_publish_until_a_writer_sleeps, cpu0);
	w1->peer = w2;
	wake_up_process(w1->task);
	KUNIT_ASSERT_TRUE(test, gate_op_finished(w1));
	KUNIT_EXPECT_EQ_MSG(test, w1->sleepers_seen, 1,
			    "the second writer did not sleep on the publication");
	woken = gate_op_finished(w2);
	KUNIT_EXPECT_TRUE_MSG(test, woken,
			      "write_end() left the second writer asleep");
	if (!woken) {
		/* Wake it, so that the case can stop it. */
		inval_gate_reset(gate);
		KUNIT_ASSERT_TRUE(test, gate_op_finished(w2));
	}
	KUNIT_EXPECT_TRUE(test, w2->published);
	KUNIT_EXPECT_EQ(test, atomic_read(&gate->state), 0);
	expect_warnings(test, w2->warnings, warnings,
			warn_concurrent_writers.what);
}

/* ---- Waiting ---- */

static void test_writer_waits_for_readers(struct kunit *test)
{
	struct inval_gate *gate = new_gate(test);
	struct gate_op *writer;

	inval_gate_enter(gate);
	writer = gate_op_start(test, gate, op_publish);
	KUNIT_ASSERT_TRUE(test, wait_until(gate_sleepers(gate) == 1));
	KUNIT_EXPECT_FALSE(test, READ_ONCE(writer->published));
	inval_gate_leave(gate);
	KUNIT_ASSERT_TRUE(test, gate_op_finished(writer));
	KUNIT_EXPECT_TRUE(test, writer->published);
	KUNIT_EXPECT_EQ(test, writer->readers_seen, 0);
}

/* Deliberately unfair: a waiting writer does not hold new readers off. */
static void test_readers_pass_a_waiting_writer(struct kunit *test)
{
	struct inval_gate *gate = new_gate(test);
	struct gate_op *writer, *reader;

	inval_gate_enter(gate);
	writer = gate_op_start(test, gate, op_publish);
	KUNIT_ASSERT_TRUE(test, wait_until(gate_sleepers(gate) == 1));

	reader = gate_op_start(test, gate, op_enter_leave);
	KUNIT_ASSERT_TRUE(test, gate_op_finished(reader));
	KUNIT_EXPECT_EQ(test, reader->readers_seen, 2);
	KUNIT_EXPECT_FALSE(test, READ_ONCE(writer->published));

	/* And the task inside may enter again. */
	inval_gate_enter(gate);
	inval_gate_leave(gate);
	KUNIT_EXPECT_FALSE(test, READ_ONCE(writer->published));

	inval_gate_leave(gate);
	KUNIT_ASSERT_TRUE(test, gate_op_finished(writer));
}

static void test_wait_idle_wakes_every_waiter(struct kunit *test)
{
	struct inval_gate *gate = new_gate(test);
	struct gate_op *w[3];
	int i;

	inval_gate_enter(gate);
	for (i = 0; i < ARRAY_SIZE(w); i++)
		w[i] = gate_op_start(test, gate, op_wait_idle);
	KUNIT_ASSERT_TRUE(test, wait_until(gate_sleepers(gate) == 3));
	for (i = 0; i < ARRAY_SIZE(w); i++)
		KUNIT_EXPECT_FALSE(test, READ_ONCE(w[i]->published));
	inval_gate_leave(gate);
	for (i = 0; i < ARRAY_SIZE(w); i++)
		KUNIT_EXPECT_TRUE(test, gate_op_finished(w[i]));
}

/*
 * The last reader to leave wakes one waiter, and each woken waiter the
 * next: what runs under the wait queue's raw lock with interrupts off is
 * one wakeup, however many tasks wait.  The waiters and the leaver share
 * a CPU and the leaver keeps preemption disabled while it counts, so no
 * woken waiter can run, and pass the wakeup on, before the count.
 */
static void op_leave_non_owner_and_count(struct gate_op *gop)
{
	preempt_disable();
	inval_gate_leave_non_owner(gop->gate);
	gop->sleepers_seen = gate_sleepers(gop->gate);
	preempt_enable();
}

static void test_leave_wakes_one_waiter_which_wakes_the_next(struct kunit *test)
{
	int cpu = cpumask_first(cpu_online_mask);
	struct inval_gate *gate = new_gate(test);
	struct gate_op *w[4], *leaver;
	unsigned int waiters = ARRAY_SIZE(w);
	int i;

	inval_gate_enter_non_owner(gate);
	inval_gate_hand_off(gate);
	for (i = 0; i < ARRAY_SIZE(w); i++)
		w[i] = gate_op_start_on(test, gate, op_wait_idle, cpu);
	KUNIT_ASSERT_TRUE(test, wait_until(gate_sleepers(gate) == waiters));

	leaver = gate_op_start_on(test, gate, op_leave_non_owner_and_count, cpu);
	KUNIT_ASSERT_TRUE(test, gate_op_finished(leaver));
	KUNIT_EXPECT_EQ_MSG(test, leaver->sleepers_seen, waiters - 1,
			    "the last reader woke %u waiters, not one",
			    waiters - leaver->sleepers_seen);
	for (i = 0; i < ARRAY_SIZE(w); i++)
		KUNIT_EXPECT_TRUE_MSG(test, gate_op_finished(w[i]),
				      "waiter %d was never woken", i);
	KUNIT_EXPECT_EQ(test, gate_sleepers(gate), 0);
}

/*
 * A writer woken first passes the wakeup on: the inval_gate_wait_idle()
 * callers queued behind it wait for the same drain, and a publication
 * has no reader inside, so they return while it publishes.  The writer
 * keeps its gate closed, on a CPU of its own, until they have.
 */
static bool gate_ops_finished(struct gate_op **gops, unsigned int n)
{
	while (n--)
		if (!completion_done(&gops[n]->done))
			return false;
	return true;
}

static void op_publish_until_watched_done(struct gate_op *gop)
{
	unsigned long us;

	inval_gate_write_begin(gop->gate);
	for (us = 0; us < GATE_SPIN_US; us += 5) {
		if (gate_ops_finished(gop->watch, gop->nwatch))
			break;
		udelay(5);
	}
	gop->watched_done = gate_ops_finished(gop->watch, gop->nwatch);
	gop->published = true;
	inval_gate_write_end(gop->gate);
}

static void test_woken_writer_wakes_the_waiters_behind_it(struct kunit *test)
{
	struct inval_gate *gate = new_gate(test);
	int cpu0 = cpumask_first(cpu_online_mask);
	int cpu1 = cpumask_next(cpu0, cpu_online_mask);
	const unsigned int n = 2;
	struct gate_op *writer, **w;
	unsigned int i;

	if (num_online_cpus() < 2)
		kunit_skip(test, "needs two CPUs: a writer holds its gate closed");
	/* Allocated first, freed last: after the writer is stopped. */
	w = kunit_kcalloc(test, n, sizeof(*w), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, w);
	inval_gate_enter(gate);
	for (i = 0; i < n; i++)
		w[i] = gate_op_create_on(test, gate, op_wait_idle, cpu1);
	writer = gate_op_create_on(test, gate, op_publish_until_watched_done,
				   cpu0);
	writer->watch = w;
	writer->nwatch = n;
	/* Queued in this order: the writer first. */
	wake_up_process(writer->task);
	KUNIT_ASSERT_TRUE(test, wait_until(gate_sleepers(gate) == 1));
	for (i = 0; i < n; i++)
		wake_up_process(w[i]->task);
	KUNIT_ASSERT_TRUE(test, wait_until(gate_sleepers(gate) == n + 1));

	inval_gate_leave(gate);
	KUNIT_ASSERT_TRUE(test, gate_op_finished(writer));
	KUNIT_EXPECT_TRUE_MSG(test, writer->watched_done,
			      "the waiters behind the writer slept through its publication");
	for (i = 0; i < n; i++)
		KUNIT_EXPECT_TRUE(test, gate_op_finished(w[i]));
}

/*
 * The writer reopens the gate before it can be preempted: a reader that
 * preempts it at the first chance, on its CPU, finds the gate open.  A
 * reader that found it closed there would spin on a writer that cannot
 * run.  The reader only looks, so that such a bug fails the case instead
 * of hanging it.  Needs a preemptible kernel: elsewhere the reader runs
 * only once the writer sleeps or returns.
 */
static void op_look_at_gate(struct gate_op *gop)
{
	gop->saw_closed = atomic_read(&gop->gate->state) & INVAL_GATE_PUBLISHING;
	if (!gop->saw_closed) {
		inval_gate_enter(gop->gate);
		inval_gate_leave(gop->gate);
	}
}

static void op_publish_waking_peer(struct gate_op *gop)
{
	inval_gate_write_begin(gop->gate);
	wake_up_process(gop->peer->task);
	gop->published = true;
	inval_gate_write_end(gop->gate);
}

static void test_writer_reopens_before_it_can_be_preempted(struct kunit *test)
{
	struct inval_gate *gate = new_gate(test);
	int cpu = cpumask_first(cpu_online_mask);
	struct gate_op *writer, *reader;

	/* Also booted with preempt=none, a PREEMPT_DYNAMIC kernel is not. */
	if (!preempt_model_preemptible())
		kunit_skip(test, "needs a preemptible kernel");
	reader = gate_op_create_on(test, gate, op_look_at_gate, cpu);
	sched_set_fifo(reader->task);
	writer = gate_op_create_on(test, gate, op_publish_waking_peer, cpu);
	writer->peer = reader;
	wake_up_process(writer->task);
	KUNIT_ASSERT_TRUE(test, gate_op_finished(writer));
	KUNIT_ASSERT_TRUE(test, gate_op_finished(reader));
	KUNIT_EXPECT_FALSE_MSG(test, reader->saw_closed,
			       "the writer was preempted with its gate closed");
}

/*
 * The reader side never sleeps: in a non_block_start() section, which
 * CONFIG_DEBUG_ATOMIC_SLEEP checks, and with interrupts disabled, where a
 * sleeping lock would be caught by might_sleep().
 */
static void test_reader_in_non_block_section(struct kunit *test)
{
	struct inval_gate *gate = new_gate(test);
	bool warned = test_taint(TAINT_WARN);
	struct gate_op *waiter;
	unsigned long flags;

	non_block_start();
	inval_gate_enter(gate);
	inval_gate_enter(gate);
	inval_gate_leave(gate);
	inval_gate_leave(gate);
	non_block_end();

	/* A waiter makes leave() take the wakeup path. */
	inval_gate_enter(gate);
	waiter = gate_op_start(test, gate, op_wait_idle);
	KUNIT_ASSERT_TRUE(test, wait_until(gate_sleepers(gate) == 1));
	local_irq_save(flags);
	non_block_start();
	inval_gate_leave(gate);
	non_block_end();
	local_irq_restore(flags);
	KUNIT_EXPECT_TRUE(test, gate_op_finished(waiter));

	if (!warned)
		KUNIT_EXPECT_FALSE(test, test_taint(TAINT_WARN));
}

/*
 * lockdep: the way KVM uses the gate gives no report.  The writer holds a
 * mutex (slots_lock) while it waits for readers; readers nest, and enter
 * under a lock taken before the mutex elsewhere.
 */
static void test_lockdep_is_quiet_on_normal_use(struct kunit *test)
{
	static DEFINE_MUTEX(slots_lock);
	static DEFINE_MUTEX(outer_lock);
	struct inval_gate gate;

	if (!IS_ENABLED(CONFIG_PROVE_LOCKING))
		kunit_skip(test, "needs CONFIG_PROVE_LOCKING");
	KUNIT_ASSERT_TRUE(test, debug_locks);

	inval_gate_init(&gate);
	mutex_lock(&outer_lock);
	mutex_lock(&slots_lock);
	inval_gate_write_begin(&gate);
	inval_gate_write_end(&gate);
	mutex_unlock(&slots_lock);
	mutex_unlock(&outer_lock);

	mutex_lock(&outer_lock);
	inval_gate_enter(&gate);
	inval_gate_enter(&gate);
	inval_gate_leave(&gate);
	inval_gate_leave(&gate);
	mutex_unlock(&outer_lock);

	inval_gate_wait_idle(&gate);
	KUNIT_EXPECT_TRUE(test, debug_locks);
}

/* A non-owner reader leaves from another task than the one that entered. */
static void op_leave_non_owner(struct gate_op *gop)
{
	inval_gate_leave_non_owner(gop->gate);
	gop->readers_seen = gate_readers(gop->gate);
}

static void test_non_owner_leaves_in_another_task(struct kunit *test)
{
	struct inval_gate *gate = new_gate(test);
	struct gate_op *leaver, *writer;

	inval_gate_enter_non_owner(gate);
	inval_gate_hand_off(gate);
	KUNIT_EXPECT_EQ(test, gate_readers(gate), 1);
	KUNIT_EXPECT_TRUE(test, inval_gate_in_progress(gate));
	leaver = gate_op_start(test, gate, op_leave_non_owner);
	KUNIT_ASSERT_TRUE(test, gate_op_finished(leaver));
	KUNIT_EXPECT_EQ(test, leaver->readers_seen, 0);
	writer = gate_op_start(test, gate, op_publish);
	KUNIT_ASSERT_TRUE(test, gate_op_finished(writer));
	KUNIT_EXPECT_TRUE(test, writer->published);
	KUNIT_EXPECT_EQ(test, atomic_read(&gate->state), 0);
}

/*
 * KVM after an OOM detach: an invalidation cut short never leaves, the
 * owner resets the gate, and the task that entered later takes the lock
 * a writer holds while it waits (slots_lock in kvm_pic_destroy()).  A
 * non-owner reader holds the gate in lockdep's view only until it hands
 * off at the end of the callback that entered: no report.  The owner
 * variant would report slots_lock -> gate -> slots_lock here.
 */
static void test_non_owner_reader_cut_short(struct kunit *test)
{
	static DEFINE_MUTEX(slots_lock);
	struct inval_gate gate;

	if (!IS_ENABLED(CONFIG_PROVE_LOCKING))
		kunit_skip(test, "needs CONFIG_PROVE_LOCKING");
	KUNIT_ASSERT_TRUE(test, debug_locks);

	inval_gate_init(&gate);
	mutex_lock(&slots_lock);
	inval_gate_write_begin(&gate);
	inval_gate_write_end(&gate);
	mutex_unlock(&slots_lock);

	inval_gate_enter_non_owner(&gate);
#ifdef CONFIG_LOCKDEP
	KUNIT_EXPECT_TRUE(test, lock_is_held(&gate.dep_map));
#endif
	inval_gate_hand_off(&gate);
#ifdef CONFIG_LOCKDEP
	KUNIT_EXPECT_FALSE(test, lock_is_held(&gate.dep_map));
#endif
	KUNIT_EXPECT_TRUE(test, inval_gate_reset(&gate));
	KUNIT_EXPECT_EQ(test, atomic_read(&gate.state), 0);
	mutex_lock(&slots_lock);
	mutex_unlock(&slots_lock);
	KUNIT_EXPECT_TRUE(test, debug_locks);

	/* A leave after the reset warns; the count stays at zero. */
	EXPECT_WARNS_AT(test, &warn_leave_empty,
			inval_gate_leave_non_owner(&gate));
	KUNIT_EXPECT_EQ(test, atomic_read(&gate.state), 0);
}

/*
 * The mmu_notifier core takes a lockdep pseudo-lock around every
 * invalidate_range_start() and every invalidate_range_end() callback; a
 * reader enters in the first and leaves in the second.  This is that
 * pattern, with a map named like the mm one.
 */
#ifdef CONFIG_LOCKDEP
static struct lockdep_map range_start_map = {
	.name = "mmu_notifier_invalidate_range_start",
};
#endif

static void as_range_start(void (*op)(void *), void *lock)
{
	lock_map_acquire(&range_start_map);
	op(lock);
	lock_map_release(&range_start_map);
}

static void gate_enter_op(void *gate)
{
	inval_gate_enter(gate);
}

static void gate_leave_op(void *gate)
{
	inval_gate_leave(gate);
}

/* KVM's range_start(): enter as a non-owner, hand off before returning. */
static void gate_enter_non_owner_op(void *gate)
{
	inval_gate_enter_non_owner(gate);
	inval_gate_hand_off(gate);
}

static void gate_leave_non_owner_op(void *gate)
{
	inval_gate_leave_non_owner(gate);
}

/*
 * The 2021 cycle (commit 52ac8b358b0c): enter under the pseudo-lock, then
 * take it again while inside to leave.  With readers modelled as
 * recursive-shared, lockdep sees no cycle.
 */
static void test_lockdep_no_false_cycle_with_notifier_pseudo_lock(struct kunit *test)
{
	static DEFINE_MUTEX(slots_lock);
	struct inval_gate gate;

	if (!IS_ENABLED(CONFIG_PROVE_LOCKING))
		kunit_skip(test, "needs CONFIG_PROVE_LOCKING");
	KUNIT_ASSERT_TRUE(test, debug_locks);

	inval_gate_init(&gate);
	as_range_start(gate_enter_op, &gate);
	as_range_start(gate_leave_op, &gate);
	/* The same in KVM's configuration, a non-owner reader. */
	as_range_start(gate_enter_non_owner_op, &gate);
	as_range_start(gate_leave_non_owner_op, &gate);
	/* And the writer, under the lock that serializes writers. */
	mutex_lock(&slots_lock);
	inval_gate_write_begin(&gate);
	inval_gate_write_end(&gate);
	mutex_unlock(&slots_lock);
	KUNIT_EXPECT_TRUE(test, debug_locks);
}

/* ---- References: what the gate must not do, in boots of their own ---- */

static char *reference = "";
module_param(reference, charp, 0444);
MODULE_PARM_DESC(reference, "the reference case to run (its report is expected)");

static void require_reference(struct kunit *test, const char *name)
{
	if (strcmp(reference, name))
		kunit_skip(test, "runs alone, with inval_gate_kunit.reference=%s",
			   name);
}

static void rwsem_down_read_op(void *sem)
{
	down_read(sem);
}

static void rwsem_up_read_op(void *sem)
{
	up_read(sem);
}

/*
 * The gate modelled as a fair rwsem, the way 52ac8b358b0c first tried:
 * lockdep reports a circular dependency with the pseudo-lock.
 */
static void test_fair_rwsem_cycle_with_notifier_pseudo_lock(struct kunit *test)
{
	static DECLARE_RWSEM(fair_gate);

	require_reference(test, "fair_rwsem");
	if (!IS_ENABLED(CONFIG_PROVE_LOCKING))
		kunit_skip(test, "needs CONFIG_PROVE_LOCKING to show the report");
	/* The report must be this case's: none before it. */
	KUNIT_ASSERT_TRUE(test, debug_locks);
	as_range_start(rwsem_down_read_op, &fair_gate);
	as_range_start(rwsem_up_read_op, &fair_gate);
	KUNIT_EXPECT_FALSE(test, debug_locks);
}

/*
 * A real inversion, which the gate's annotation still reports in KVM's
 * configuration: a non-owner reader takes, in the callback that entered
 * (before it hands off), the lock its writer holds while waiting for
 * readers to drain.
 */
static void test_gate_writer_inversion(struct kunit *test)
{
	static DEFINE_MUTEX(slots_lock);
	struct inval_gate gate;

	require_reference(test, "writer_inversion");
	if (!IS_ENABLED(CONFIG_PROVE_LOCKING))
		kunit_skip(test, "needs CONFIG_PROVE_LOCKING to show the report");
	/* The report must be this case's: none before it. */
	KUNIT_ASSERT_TRUE(test, debug_locks);
	inval_gate_init(&gate);
	inval_gate_enter_non_owner(&gate);
	mutex_lock(&slots_lock);
	mutex_unlock(&slots_lock);
	inval_gate_hand_off(&gate);
	inval_gate_leave_non_owner(&gate);

	mutex_lock(&slots_lock);
	inval_gate_write_begin(&gate);
	inval_gate_write_end(&gate);
	mutex_unlock(&slots_lock);
	KUNIT_EXPECT_FALSE(test, debug_locks);
}

/*
 * The same inversion against a caller of inval_gate_wait_idle(), which
 * waits for the gate's readers to drain as a writer does: a non-owner
 * reader takes the lock that caller holds while it waits.
 */
static void test_gate_wait_idle_inversion(struct kunit *test)
{
	static DEFINE_MUTEX(waiter_lock);
	struct inval_gate gate;

	require_reference(test, "wait_idle_inversion");
	if (!IS_ENABLED(CONFIG_PROVE_LOCKING))
		kunit_skip(test, "needs CONFIG_PROVE_LOCKING to show the report");
	/* The report must be this case's: none before it. */
	KUNIT_ASSERT_TRUE(test, debug_locks);
	inval_gate_init(&gate);
	inval_gate_enter_non_owner(&gate);
	mutex_lock(&waiter_lock);
	mutex_unlock(&waiter_lock);
	inval_gate_hand_off(&gate);
	inval_gate_leave_non_owner(&gate);

	mutex_lock(&waiter_lock);
	inval_gate_wait_idle(&gate);
	mutex_unlock(&waiter_lock);
	KUNIT_EXPECT_FALSE(test, debug_locks);
}

/*
 * The reader KVM open-coded before the gate, a spinlock_t around a
 * counter, in a section that may not block (the OOM reaper's): on
 * PREEMPT_RT spin_lock() may sleep, and CONFIG_DEBUG_ATOMIC_SLEEP says so
 * (syzbot's report).  test_reader_in_non_block_section() does the same
 * with the gate.
 */
static void test_spinlock_reader_in_non_block_section(struct kunit *test)
{
	static DEFINE_SPINLOCK(mn_invalidate_lock);
	static unsigned long mn_active_invalidate_count;

	require_reference(test, "spinlock");
	if (!IS_ENABLED(CONFIG_PREEMPT_RT) || !IS_ENABLED(CONFIG_DEBUG_ATOMIC_SLEEP))
		kunit_skip(test, "needs PREEMPT_RT and DEBUG_ATOMIC_SLEEP to show the report");
	non_block_start();
	spin_lock(&mn_invalidate_lock);
	mn_active_invalidate_count++;
	spin_unlock(&mn_invalidate_lock);
	non_block_end();
	KUNIT_EXPECT_EQ(test, mn_active_invalidate_count, 1);
}

/*
 * The writer publishes with preemption disabled; a spinlock_t, which
 * sleeps on PREEMPT_RT, taken there is reported by DEBUG_ATOMIC_SLEEP.
 */
static void test_writer_sleeps_while_publishing(struct kunit *test)
{
	static DEFINE_SPINLOCK(sleeping_on_rt);
	struct inval_gate gate;

	require_reference(test, "writer_sleeps");
	if (!IS_ENABLED(CONFIG_PREEMPT_RT) || !IS_ENABLED(CONFIG_DEBUG_ATOMIC_SLEEP))
		kunit_skip(test, "needs PREEMPT_RT and DEBUG_ATOMIC_SLEEP to show the report");
	inval_gate_init(&gate);
	inval_gate_write_begin(&gate);
	spin_lock(&sleeping_on_rt);
	spin_unlock(&sleeping_on_rt);
	inval_gate_write_end(&gate);
	KUNIT_EXPECT_EQ(test, atomic_read(&gate.state), 0);
}

/* ---- Stress: readers and writers on CPUs running in parallel ---- */

/*
 * Work, not time: the writer publishes STRESS_PUBLICATIONS times, and each
 * reader reads at most STRESS_READS_PER_GENERATION times per publication
 * before it waits, outside the gate, for the next one.  Readers are unfair
 * to the writer by design; the quota is what guarantees the writer's
 * progress, on a machine of any speed.  The writer waits for half of the
 * readers' quota after each publication, so that it closes the gate while
 * readers are still entering and leaving.
 */
#define STRESS_PUBLICATIONS		3000
#define STRESS_READS_PER_GENERATION	8
/* A hang detector, not a deadline: no publication for this long. */
#define STRESS_STALL			(120 * HZ)

struct stress {
	struct inval_gate gate;
	unsigned long generation;	/* what the writer publishes */
	atomic_t inside;		/* readers between enter and leave */
	bool stop;
	/* Results, filled in by the helpers. */
	atomic_long_t reads;
	atomic_long_t torn;		/* generation changed under a reader */
	atomic_long_t overlaps;		/* reader inside while publishing */
	unsigned long published;
	struct completion writer_done;
	long nr_readers;
	/* Reads per reader per publication; 0: no limit. */
	unsigned int quota_per_generation;
};

static void stress_spin(unsigned int n)
{
	while (n--)
		cpu_relax();
}

static int stress_reader(void *arg)
{
	struct stress *s = arg;
	unsigned long seen = READ_ONCE(s->generation);
	unsigned int i = 0, quota = 0;

	while (!READ_ONCE(s->stop)) {
		unsigned long gen;

		/* Quota used: wait, outside the gate, for a publication. */
		if (s->quota_per_generation && quota == s->quota_per_generation) {
			while (READ_ONCE(s->generation) == seen && !READ_ONCE(s->stop))
				cond_resched();
			seen = READ_ONCE(s->generation);
			quota = 0;
			continue;
		}
		quota++;

		/* An invalidation that must not sleep, as the OOM reaper's. */
		non_block_start();
		inval_gate_enter(&s->gate);
		atomic_inc(&s->inside);
		gen = READ_ONCE(s->generation);
		stress_spin(64 + (i & 63));
		if (READ_ONCE(s->generation) != gen)
			atomic_long_inc(&s->torn);
		atomic_dec(&s->inside);
		inval_gate_leave(&s->gate);
		non_block_end();
		atomic_long_inc(&s->reads);
		/* Invalidations come with gaps between them. */
		stress_spin(32 + (i++ & 127));
		cond_resched();
	}
	return 0;
}

/* Wait, without blocking the readers, until they have read @target times. */
static void stress_let_readers_run(struct stress *s, long target)
{
	while (atomic_long_read(&s->reads) < target && !READ_ONCE(s->stop))
		cond_resched();
}

static int stress_writer(void *arg)
{
	struct stress *s = arg;

	while (s->published < STRESS_PUBLICATIONS && !READ_ONCE(s->stop)) {
		long target;

		inval_gate_write_begin(&s->gate);
		if (atomic_read(&s->inside))
			atomic_long_inc(&s->overlaps);
		/*
		 * Counted before the readers can see the new generation, so
		 * that all the reads of their new quota come after it.
		 */
		target = atomic_long_read(&s->reads) +
			 s->nr_readers * STRESS_READS_PER_GENERATION / 2;
		WRITE_ONCE(s->generation, s->generation + 1);
		inval_gate_write_end(&s->gate);
		WRITE_ONCE(s->published, s->published + 1);
		/*
		 * Every publication races with readers in full swing: half of
		 * their quota, so that they are still reading when the next
		 * publication closes the gate.
		 */
		stress_let_readers_run(s, target);
	}
	complete(&s->writer_done);
	park_until_stopped();
	return 0;
}

/*
 * Wait for the writer to finish; false if it stopped publishing for
 * STRESS_STALL (a hang: with the readers' quota it always progresses).
 */
static bool wait_for_writer(struct stress *s)
{
	unsigned long last = READ_ONCE(s->published), since = jiffies;

	while (!wait_for_completion_timeout(&s->writer_done, HZ)) {
		unsigned long now = READ_ONCE(s->published);

		if (now != last) {
			last = now;
			since = jiffies;
		} else if (time_after(jiffies, since + STRESS_STALL)) {
			return false;
		}
	}
	return true;
}

/* Wait until readers made @n reads; false if they stalled (a hang). */
static bool wait_for_reads(struct stress *s, long n)
{
	long last = atomic_long_read(&s->reads);
	unsigned long since = jiffies;

	while (atomic_long_read(&s->reads) < n) {
		long now = atomic_long_read(&s->reads);

		if (now != last) {
			last = now;
			since = jiffies;
		} else if (time_after(jiffies, since + STRESS_STALL)) {
			return false;
		}
		schedule_timeout_uninterruptible(1);
	}
	return true;
}

/* KUNIT_CASE_PARAM generator: 1 .. num_online_cpus() readers. */
static const void *stress_readers_gen(struct kunit *test, const void *prev,
				      char *desc)
{
	long next = prev ? (long)prev + 1 : 1;

	if (next > num_online_cpus())
		return NULL;
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%ld reader(s)", next);
	return (void *)next;
}

static void require_parallel_cpus(struct kunit *test)
{
	if (num_online_cpus() < 2)
		kunit_skip(test, "needs 2 CPUs running in parallel, %u online",
			   num_online_cpus());
}

static void test_stress_readers_see_one_generation(struct kunit *test)
{
	long nr_readers = (long)test->param_value;
	struct task_struct **readers, *writer;
	struct stress *s;
	bool finished;
	int i;

	require_parallel_cpus(test);
	s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	readers = kunit_kcalloc(test, nr_readers, sizeof(*readers), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_ASSERT_NOT_NULL(test, readers);
	inval_gate_init(&s->gate);
	init_completion(&s->writer_done);
	s->nr_readers = nr_readers;
	s->quota_per_generation = STRESS_READS_PER_GENERATION;

	for (i = 0; i < nr_readers; i++) {
		readers[i] = kthread_create(stress_reader, s, "gate_reader/%d", i);
		KUNIT_ASSERT_FALSE(test, IS_ERR(readers[i]));
		kthread_bind(readers[i], i % num_online_cpus());
		get_task_struct(readers[i]);
		wake_up_process(readers[i]);
	}
	writer = kthread_run(stress_writer, s, "gate_writer");
	KUNIT_ASSERT_FALSE(test, IS_ERR(writer));

	finished = wait_for_writer(s);
	WRITE_ONCE(s->stop, true);
	for (i = 0; i < nr_readers; i++) {
		kthread_stop(readers[i]);
		put_task_struct(readers[i]);
	}
	/* A hung writer gets through once the readers have stopped. */
	if (!finished)
		wait_for_completion(&s->writer_done);
	kthread_stop(writer);

	kunit_info(test, "%lu publications, %ld reads\n",
		   s->published, atomic_long_read(&s->reads));
	KUNIT_EXPECT_TRUE_MSG(test, finished,
			      "hang: no publication for %d s, %lu of %d done",
			      STRESS_STALL / HZ, s->published, STRESS_PUBLICATIONS);
	KUNIT_EXPECT_EQ(test, s->published, STRESS_PUBLICATIONS);
	KUNIT_EXPECT_GE(test, atomic_long_read(&s->reads),
			(long)nr_readers * STRESS_READS_PER_GENERATION / 2 *
			STRESS_PUBLICATIONS);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&s->torn), 0);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&s->overlaps), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&s->gate.state), 0);
}

/*
 * SGI GRU's pattern: tasks wait for the gate to drain while readers come
 * and go.  No wakeup may be lost: once readers stop, every waiter returns.
 */
struct idle_waiter {
	struct stress *s;
	unsigned long rounds;
	struct completion done;
};

static int stress_idle_waiter(void *arg)
{
	struct idle_waiter *w = arg;

	while (!READ_ONCE(w->s->stop)) {
		inval_gate_wait_idle(&w->s->gate);
		w->rounds++;
		cond_resched();
	}
	complete(&w->done);
	park_until_stopped();
	return 0;
}

static void test_stress_wait_idle_loses_no_wakeup(struct kunit *test)
{
	int reader_cpu = cpumask_first(cpu_online_mask);
	int waiter_cpu = cpumask_next(reader_cpu, cpu_online_mask);
	struct task_struct *reader, *waiter[2];
	struct idle_waiter *w;
	struct stress *s;
	int i;

	require_parallel_cpus(test);
	s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	w = kunit_kcalloc(test, ARRAY_SIZE(waiter), sizeof(*w), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_ASSERT_NOT_NULL(test, w);
	inval_gate_init(&s->gate);

	reader = kthread_create(stress_reader, s, "gate_reader");
	KUNIT_ASSERT_FALSE(test, IS_ERR(reader));
	kthread_bind(reader, reader_cpu);
	get_task_struct(reader);
	wake_up_process(reader);
	for (i = 0; i < ARRAY_SIZE(waiter); i++) {
		w[i].s = s;
		init_completion(&w[i].done);
		waiter[i] = kthread_create(stress_idle_waiter, &w[i],
					   "gate_idle/%d", i);
		KUNIT_ASSERT_FALSE(test, IS_ERR(waiter[i]));
		kthread_bind(waiter[i], waiter_cpu);
		wake_up_process(waiter[i]);
	}

	/* Let them race for 20000 reads (work, not time). */
	KUNIT_EXPECT_TRUE_MSG(test, wait_for_reads(s, 20000),
			      "hang: readers stopped at %ld reads",
			      atomic_long_read(&s->reads));
	WRITE_ONCE(s->stop, true);
	kthread_stop(reader);
	put_task_struct(reader);
	for (i = 0; i < ARRAY_SIZE(waiter); i++) {
		bool woke = wait_for_completion_timeout(&w[i].done, GATE_TIMEOUT);

		KUNIT_EXPECT_TRUE_MSG(test, woke, "idle waiter %d never woke up", i);
		kthread_stop(waiter[i]);
		KUNIT_EXPECT_GT(test, w[i].rounds, 0);
	}
}

static struct kunit_case inval_gate_cases[] = {
	KUNIT_CASE(test_init_is_idle),
	KUNIT_CASE(test_enter_leave_counts_readers),
	KUNIT_CASE(test_writer_publishes_with_preemption_disabled),
	KUNIT_CASE(test_guards),
	KUNIT_CASE(test_teardown_of_idle_gate),
	KUNIT_CASE(test_teardown_drops_unbalanced_readers),
	KUNIT_CASE(test_teardown_of_a_gate_in_use_warns),
	KUNIT_CASE(test_reset_wakes_a_waiting_writer),
	KUNIT_CASE(test_leave_without_enter_keeps_count),
	KUNIT_CASE(test_write_end_without_begin_changes_nothing),
	KUNIT_CASE(test_concurrent_writers_warn_and_serialize),
	KUNIT_CASE(test_write_end_wakes_a_writer_that_began_meanwhile),
	KUNIT_CASE(test_writer_waits_for_readers),
	KUNIT_CASE(test_readers_pass_a_waiting_writer),
	KUNIT_CASE(test_wait_idle_wakes_every_waiter),
	KUNIT_CASE(test_leave_wakes_one_waiter_which_wakes_the_next),
	KUNIT_CASE(test_woken_writer_wakes_the_waiters_behind_it),
	KUNIT_CASE(test_writer_reopens_before_it_can_be_preempted),
	KUNIT_CASE(test_reader_in_non_block_section),
	KUNIT_CASE(test_lockdep_is_quiet_on_normal_use),
	KUNIT_CASE(test_lockdep_no_false_cycle_with_notifier_pseudo_lock),
	KUNIT_CASE(test_non_owner_leaves_in_another_task),
	KUNIT_CASE(test_non_owner_reader_cut_short),
	KUNIT_CASE_PARAM_ATTR(test_stress_readers_see_one_generation,
			      stress_readers_gen, { .speed = KUNIT_SPEED_SLOW }),
	KUNIT_CASE_SLOW(test_stress_wait_idle_loses_no_wakeup),
	{}
};

static struct kunit_suite inval_gate_suite = {
	.name = "inval_gate",
	.test_cases = inval_gate_cases,
};

static struct kunit_case inval_gate_fair_rwsem_reference_cases[] = {
	KUNIT_CASE(test_fair_rwsem_cycle_with_notifier_pseudo_lock),
	{}
};

static struct kunit_suite inval_gate_fair_rwsem_reference_suite = {
	.name = "inval_gate_fair_rwsem_reference",
	.test_cases = inval_gate_fair_rwsem_reference_cases,
};

static struct kunit_case inval_gate_writer_inversion_reference_cases[] = {
	KUNIT_CASE(test_gate_writer_inversion),
	{}
};

static struct kunit_suite inval_gate_writer_inversion_reference_suite = {
	.name = "inval_gate_writer_inversion_reference",
	.test_cases = inval_gate_writer_inversion_reference_cases,
};

static struct kunit_case inval_gate_wait_idle_inversion_reference_cases[] = {
	KUNIT_CASE(test_gate_wait_idle_inversion),
	{}
};

static struct kunit_suite inval_gate_wait_idle_inversion_reference_suite = {
	.name = "inval_gate_wait_idle_inversion_reference",
	.test_cases = inval_gate_wait_idle_inversion_reference_cases,
};

static struct kunit_case inval_gate_writer_sleeps_reference_cases[] = {
	KUNIT_CASE(test_writer_sleeps_while_publishing),
	{}
};

static struct kunit_suite inval_gate_writer_sleeps_reference_suite = {
	.name = "inval_gate_writer_sleeps_reference",
	.test_cases = inval_gate_writer_sleeps_reference_cases,
};

static struct kunit_case inval_gate_spinlock_reference_cases[] = {
	KUNIT_CASE(test_spinlock_reader_in_non_block_section),
	{}
};

static struct kunit_suite inval_gate_spinlock_reference_suite = {
	.name = "inval_gate_spinlock_reference",
	.test_cases = inval_gate_spinlock_reference_cases,
};

kunit_test_suites(&inval_gate_suite,
		  &inval_gate_fair_rwsem_reference_suite,
		  &inval_gate_writer_inversion_reference_suite,
		  &inval_gate_wait_idle_inversion_reference_suite,
		  &inval_gate_spinlock_reference_suite,
		  &inval_gate_writer_sleeps_reference_suite);

MODULE_DESCRIPTION("KUnit tests for the invalidation gate");
MODULE_LICENSE("GPL");
