// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for <linux/emergency_slot.h>.
 *
 * Semantics and misuse in one thread; invocation from hardirq context,
 * from NMI (x86) and where RCU is not watching; and invocations racing
 * with register and unregister on two CPUs.  Helper threads and interrupt
 * handlers only record; every check is made in the test thread.
 *
 * The suite emergency_slot_rcu_reference is the reference for the "RCU is
 * not watching" case: it does what the slot replaces, rcu_read_lock() and
 * rcu_dereference(), in the same situation, and PROVE_RCU reports it.  It
 * runs only in a boot of its own, with emergency_slot_kunit.rcu_reference=1,
 * so that its report cannot hide or cause another.
 */

#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/context_tracking.h>
#include <linux/cpumask.h>
#include <linux/debug_locks.h>
#include <linux/delay.h>
#include <linux/emergency_slot.h>
#include <linux/interrupt.h>
#include <linux/irq_work.h>
#include <linux/irqflags.h>
#include <linux/kthread.h>
#include <linux/moduleparam.h>
#include <linux/nmi.h>
#include <linux/rcupdate.h>
#include <linux/sched/clock.h>
#include <linux/sched/task.h>
#ifdef CONFIG_X86_LOCAL_APIC
#include <asm/apic.h>
#endif

typedef void (void_cb)(void);
typedef int (add_cb)(int a, int *sum);

static atomic_t calls_a, calls_b;
static void cb_a(void) { atomic_inc(&calls_a); }
static void cb_b(void) { atomic_inc(&calls_b); }

static int cb_add(int a, int *sum)
{
	*sum += a;
	return *sum;
}

static void reset_counts(void)
{
	atomic_set(&calls_a, 0);
	atomic_set(&calls_b, 0);
}

/* ---- Semantics and misuse, one thread ---- */

static void test_empty_slot_calls_nothing(struct kunit *test)
{
	static DEFINE_EMERGENCY_SLOT(slot, void_cb);

	KUNIT_EXPECT_FALSE(test, emergency_slot_armed(&slot));
	KUNIT_EXPECT_FALSE(test, emergency_slot_call(&slot));
	KUNIT_EXPECT_EQ(test, atomic_read(&slot.inflight), 0);
}

static void test_register_call_unregister(struct kunit *test)
{
	static DEFINE_EMERGENCY_SLOT(slot, void_cb);

	reset_counts();
	KUNIT_ASSERT_EQ(test, emergency_slot_register(&slot, cb_a), 0);
	KUNIT_EXPECT_TRUE(test, emergency_slot_armed(&slot));
	KUNIT_EXPECT_TRUE(test, emergency_slot_call(&slot));
	KUNIT_EXPECT_EQ(test, atomic_read(&calls_a), 1);
	KUNIT_EXPECT_EQ(test, emergency_slot_unregister(&slot, cb_a), 0);
	KUNIT_EXPECT_FALSE(test, emergency_slot_armed(&slot));
	KUNIT_EXPECT_FALSE(test, emergency_slot_call(&slot));
	KUNIT_EXPECT_EQ(test, atomic_read(&calls_a), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&slot.inflight), 0);
}

/* Any signature: arguments go through, and so does the return value. */
static void test_typed_callback_with_arguments(struct kunit *test)
{
	static DEFINE_EMERGENCY_SLOT(slot, add_cb);
	int sum = 40, ret = -1;

	KUNIT_EXPECT_FALSE(test, emergency_slot_call_ret(&slot, &ret, 1, &sum));
	KUNIT_EXPECT_EQ(test, ret, -1);
	KUNIT_ASSERT_EQ(test, emergency_slot_register(&slot, cb_add), 0);
	KUNIT_EXPECT_TRUE(test, emergency_slot_call(&slot, 1, &sum));
	KUNIT_EXPECT_EQ(test, sum, 41);
	KUNIT_EXPECT_TRUE(test, emergency_slot_call_ret(&slot, &ret, 1, &sum));
	KUNIT_EXPECT_EQ(test, ret, 42);
	KUNIT_EXPECT_EQ(test, emergency_slot_unregister(&slot, cb_add), 0);
}

static void test_second_register_is_refused(struct kunit *test)
{
	static DEFINE_EMERGENCY_SLOT(slot, void_cb);

	reset_counts();
	KUNIT_ASSERT_EQ(test, emergency_slot_register(&slot, cb_a), 0);
	KUNIT_EXPECT_EQ(test, emergency_slot_register(&slot, cb_b), -EBUSY);
	KUNIT_EXPECT_EQ(test, emergency_slot_register(&slot, cb_a), -EBUSY);
	emergency_slot_call(&slot);
	KUNIT_EXPECT_EQ(test, atomic_read(&calls_a), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&calls_b), 0);
	KUNIT_EXPECT_EQ(test, emergency_slot_unregister(&slot, cb_a), 0);
}

static void test_unregister_of_another_callback_is_refused(struct kunit *test)
{
	static DEFINE_EMERGENCY_SLOT(slot, void_cb);

	reset_counts();
	KUNIT_EXPECT_EQ(test, emergency_slot_unregister(&slot, cb_a), -EINVAL);
	KUNIT_ASSERT_EQ(test, emergency_slot_register(&slot, cb_a), 0);
	KUNIT_EXPECT_EQ(test, emergency_slot_unregister(&slot, cb_b), -EINVAL);
	KUNIT_EXPECT_TRUE(test, emergency_slot_armed(&slot));
	emergency_slot_call(&slot);
	KUNIT_EXPECT_EQ(test, atomic_read(&calls_a), 1);
	KUNIT_EXPECT_EQ(test, emergency_slot_unregister(&slot, cb_a), 0);
	KUNIT_EXPECT_EQ(test, emergency_slot_unregister(&slot, cb_a), -EINVAL);
}

static void test_null_callback_is_refused(struct kunit *test)
{
	static DEFINE_EMERGENCY_SLOT(slot, void_cb);

	KUNIT_EXPECT_EQ(test, emergency_slot_register(&slot, NULL), -EINVAL);
	KUNIT_EXPECT_FALSE(test, emergency_slot_armed(&slot));
}

/* ---- Contexts ---- */

static DEFINE_EMERGENCY_SLOT(context_slot, void_cb);

static void register_context_cb(struct kunit *test)
{
	reset_counts();
	KUNIT_ASSERT_EQ(test, emergency_slot_register(&context_slot, cb_a), 0);
}

static void unregister_context_cb(void *unused)
{
	emergency_slot_unregister(&context_slot, cb_a);
}

static void test_call_with_irqs_disabled(struct kunit *test)
{
	unsigned long flags;
	bool called;

	register_context_cb(test);
	kunit_add_action(test, unregister_context_cb, NULL);
	local_irq_save(flags);
	called = emergency_slot_call(&context_slot);
	local_irq_restore(flags);
	KUNIT_EXPECT_TRUE(test, called);
	KUNIT_EXPECT_EQ(test, atomic_read(&calls_a), 1);
}

struct irq_probe {
	struct irq_work work;
	struct completion done;
	bool in_hardirq, called;
};

static void irq_probe_fn(struct irq_work *work)
{
	struct irq_probe *p = container_of(work, struct irq_probe, work);

	p->in_hardirq = in_hardirq();
	p->called = emergency_slot_call(&context_slot);
	complete(&p->done);
}

static void test_call_from_hardirq(struct kunit *test)
{
	/* A hard irq_work: run in hard interrupt context, on PREEMPT_RT too. */
	struct irq_probe p = { .work = IRQ_WORK_INIT_HARD(irq_probe_fn) };

	register_context_cb(test);
	kunit_add_action(test, unregister_context_cb, NULL);
	init_completion(&p.done);
	irq_work_queue(&p.work);
	KUNIT_EXPECT_TRUE(test, wait_for_completion_timeout(&p.done, 10 * HZ));
	irq_work_sync(&p.work);
	KUNIT_EXPECT_TRUE(test, p.in_hardirq);
	KUNIT_EXPECT_TRUE(test, p.called);
	KUNIT_EXPECT_EQ(test, atomic_read(&calls_a), 1);
}

#ifdef CONFIG_X86_LOCAL_APIC
static struct {
	bool expected;
	bool in_nmi, called;
} nmi_probe;

static int nmi_probe_fn(unsigned int type, struct pt_regs *regs)
{
	if (!READ_ONCE(nmi_probe.expected))
		return NMI_DONE;
	WRITE_ONCE(nmi_probe.expected, false);
	nmi_probe.in_nmi = in_nmi();
	nmi_probe.called = emergency_slot_call(&context_slot);
	return NMI_HANDLED;
}

static void test_call_from_nmi(struct kunit *test)
{
	unsigned long flags;
	int i;

	if (!boot_cpu_has(X86_FEATURE_APIC))
		kunit_skip(test, "no local APIC to send this CPU an NMI");
	register_context_cb(test);
	kunit_add_action(test, unregister_context_cb, NULL);
	KUNIT_ASSERT_EQ(test, register_nmi_handler(NMI_LOCAL, nmi_probe_fn, 0,
						   "emergency_slot_kunit"), 0);
	WRITE_ONCE(nmi_probe.expected, true);
	local_irq_save(flags);
	__apic_send_IPI_self(NMI_VECTOR);
	local_irq_restore(flags);
	for (i = 0; i < 1000 && READ_ONCE(nmi_probe.expected); i++)
		usleep_range(100, 200);
	unregister_nmi_handler(NMI_LOCAL, "emergency_slot_kunit");
	KUNIT_ASSERT_FALSE_MSG(test, READ_ONCE(nmi_probe.expected), "no NMI arrived");
	KUNIT_EXPECT_TRUE(test, nmi_probe.in_nmi);
	KUNIT_EXPECT_TRUE(test, nmi_probe.called);
	KUNIT_EXPECT_EQ(test, atomic_read(&calls_a), 1);
}
#endif

/*
 * A CPU that RCU is not watching, as in a panic on an idle CPU: the slot
 * makes no RCU or lockdep report there (PROVE_RCU reports the RCU version,
 * see the reference suite).
 */
static bool call_where_rcu_is_not_watching(bool reference, bool *watching)
{
	static void_cb __rcu *rcu_cb;
	unsigned long flags;
	bool called = false;
	void_cb *cb;

	if (reference)
		rcu_assign_pointer(rcu_cb, cb_a);
	local_irq_save(flags);
	ct_idle_enter();
	*watching = rcu_is_watching();
	if (reference) {
		rcu_read_lock();
		cb = rcu_dereference(rcu_cb);
		if (cb) {
			cb();
			called = true;
		}
		rcu_read_unlock();
	} else {
		called = emergency_slot_call(&context_slot);
	}
	ct_idle_exit();
	local_irq_restore(flags);
	if (reference)
		RCU_INIT_POINTER(rcu_cb, NULL);
	return called;
}

static void test_call_where_rcu_is_not_watching(struct kunit *test)
{
	bool lockdep_was_on = debug_locks, watching, called;

	if (!IS_ENABLED(CONFIG_CONTEXT_TRACKING_IDLE))
		kunit_skip(test, "RCU always watches here (no CONTEXT_TRACKING_IDLE)");
	register_context_cb(test);
	kunit_add_action(test, unregister_context_cb, NULL);
	called = call_where_rcu_is_not_watching(false, &watching);
	KUNIT_EXPECT_FALSE(test, watching);
	KUNIT_EXPECT_TRUE(test, called);
	KUNIT_EXPECT_EQ(test, atomic_read(&calls_a), 1);
	KUNIT_EXPECT_EQ(test, debug_locks, lockdep_was_on);
}

/*
 * ---- Unregistering under a call on a CPU that RCU is not watching ----
 *
 * A call on CPU 0 with RCU not watching (as on a CPU that panics from an
 * RCU-idle context) holds its callback while CPU 1 unregisters it.  With the
 * slot, unregistering may not return before the call has: the callback's
 * module may go as soon as it returns.  The reference runs the pointer's
 * current form in arch/x86/virt/hw.c, rcu_dereference_raw() and synchronize_rcu():
 * synchronize_rcu() does not wait for such a CPU and returns under the
 * call.  The hold ends once unregistering began and HOLD_MS passed, or
 * when unregistering returned: a bound far above what an unregistration
 * that does not wait needs, and only a way out for one that does.
 */
struct held_call {
	bool rcu_version;
	unsigned int hold_ms;
	bool unregistering, unregistered, in_call, called;
	bool returned_under_call;
	struct completion caller_done;
};

/*
 * Static, not test-managed: a kthread that outlives a timed-out wait for
 * it must not touch freed memory.
 */
static struct held_call held_state, *held;
static void_cb __rcu *held_rcu_cb;
static DEFINE_EMERGENCY_SLOT(held_slot, void_cb);

static void held_cb(void)
{
	u64 end = 0;

	/* Release: the unregistering side that sees this sees a call. */
	smp_store_release(&held->in_call, true);
	while (!READ_ONCE(held->unregistered)) {
		if (!end && READ_ONCE(held->unregistering))
			end = local_clock() + held->hold_ms * NSEC_PER_MSEC;
		if (end && local_clock() > end)
			break;
		cpu_relax();
	}
	/* Release: ordered after everything the callback did. */
	smp_store_release(&held->in_call, false);
	held->called = true;
}

static int held_caller(void *unused)
{
	unsigned long flags;
	void_cb *cb;

	local_irq_save(flags);
	ct_idle_enter();
	if (held->rcu_version) {
		cb = rcu_dereference_raw(held_rcu_cb);
		if (cb)
			cb();
	} else {
		emergency_slot_call(&held_slot);
	}
	ct_idle_exit();
	local_irq_restore(flags);
	complete(&held->caller_done);
	return 0;
}

/* Two online CPUs, for two threads that must run in parallel. */
static void two_online_cpus(struct kunit *test, unsigned int *a,
			    unsigned int *b)
{
	*a = cpumask_first(cpu_online_mask);
	*b = cpumask_next(*a, cpu_online_mask);
	if (*b >= nr_cpu_ids)
		kunit_skip(test, "needs 2 CPUs running in parallel, %u online",
			   num_online_cpus());
}

/* Run the call on one CPU and unregister from another while it is held. */
static void unregister_under_a_held_call(struct kunit *test, bool rcu_version,
					 unsigned int hold_ms)
{
	struct task_struct *caller;
	unsigned int cpu_call, cpu_unreg;

	if (!IS_ENABLED(CONFIG_CONTEXT_TRACKING_IDLE))
		kunit_skip(test, "RCU always watches here (no CONTEXT_TRACKING_IDLE)");
	two_online_cpus(test, &cpu_call, &cpu_unreg);
	held = &held_state;
	memset(held, 0, sizeof(*held));
	held->rcu_version = rcu_version;
	held->hold_ms = hold_ms;
	init_completion(&held->caller_done);
	if (rcu_version)
		rcu_assign_pointer(held_rcu_cb, held_cb);
	else
		KUNIT_ASSERT_EQ(test, emergency_slot_register(&held_slot, held_cb), 0);

	KUNIT_ASSERT_EQ(test, set_cpus_allowed_ptr(current, cpumask_of(cpu_unreg)), 0);
	caller = kthread_create(held_caller, NULL, "emergency_held_caller");
	KUNIT_ASSERT_FALSE(test, IS_ERR(caller));
	kthread_bind(caller, cpu_call);
	wake_up_process(caller);
	/* Not a time bound: the caller has nothing to wait for. */
	while (!smp_load_acquire(&held->in_call))
		cond_resched();

	WRITE_ONCE(held->unregistering, true);
	if (rcu_version) {
		rcu_assign_pointer(held_rcu_cb, NULL);
		synchronize_rcu();
	} else {
		emergency_slot_unregister(&held_slot, held_cb);
	}
	/* Acquire: pairs with the callback's release of in_call. */
	held->returned_under_call = smp_load_acquire(&held->in_call);
	WRITE_ONCE(held->unregistered, true);

	KUNIT_EXPECT_TRUE(test, wait_for_completion_timeout(&held->caller_done, 60 * HZ));
	set_cpus_allowed_ptr(current, cpu_possible_mask);
	KUNIT_EXPECT_TRUE(test, held->called);
}

static void test_unregister_waits_for_a_call_rcu_is_not_watching(struct kunit *test)
{
	unregister_under_a_held_call(test, false, 1000);
	KUNIT_EXPECT_FALSE(test, held->returned_under_call);
	KUNIT_EXPECT_EQ(test, atomic_read(&held_slot.inflight), 0);
}

/* ---- Invocations racing with register and unregister ---- */

#define RACE_ROUNDS	2000
/* How many times a call looks for its unregister having returned. */
#define RACE_CB_LOOKS	1000

/*
 * The registrar numbers its rounds: race->window is 2 * round + 1 from the
 * registration of that round until just before its unregistration, and
 * 2 * round + 2 from then on.  It only grows, so an invoker that reads the
 * same odd value before and after a call knows the slot was armed, in one
 * round, for the whole call: a boolean would let a call that started in
 * one round and was held up past the next registration look armed.
 */
struct race {
	bool stop;
	unsigned long window;		/* see above; set by the registrar */
	bool closed;			/* unregister of this round returned */
	/* Set by the invoker: the last round it made an armed call in. */
	unsigned long armed_window;
	/* Results, filled in by the invoker and the callback. */
	unsigned long invocations, calls_in_window, lost_calls, late_calls;
	atomic_long_t calls;
	struct completion invoker_done;
};

/* Static for the same reason as held_state. */
static struct race race_state, *race;
static DEFINE_EMERGENCY_SLOT(race_slot, void_cb);

static void race_cb(void)
{
	unsigned int i;

	/*
	 * No call may be inside a callback whose unregister has returned:
	 * not on entry, and not while it runs.  It stays inside for most of
	 * the invoker's loop, so that an unregister almost always overlaps a
	 * call, and looks again all along: an unregister that returned
	 * without waiting for it shows here.
	 */
	for (i = 0; i < RACE_CB_LOOKS; i++) {
		if (READ_ONCE(race->closed)) {
			race->late_calls++;
			break;
		}
		cpu_relax();
	}
	atomic_long_inc(&race->calls);
}

static int race_invoker(void *unused)
{
	while (!READ_ONCE(race->stop)) {
		unsigned long flags, before, after;
		bool called;

		local_irq_save(flags);
		/* Acquire: pairs with the release after registering. */
		before = smp_load_acquire(&race->window);
		called = emergency_slot_call(&race_slot);
		/*
		 * Acquire: if this still reads the value read before, the
		 * call's load of the callback came before the registrar moved
		 * the window on, so before the unregistration that follows.
		 */
		after = smp_load_acquire(&race->window);
		local_irq_restore(flags);
		race->invocations++;
		/* Armed, in one round, before and after: it must have called. */
		if (before == after && (before & 1)) {
			race->calls_in_window++;
			if (!called)
				race->lost_calls++;
			WRITE_ONCE(race->armed_window, before);
		}
		cond_resched();
	}
	complete(&race->invoker_done);
	return 0;
}

static void test_calls_race_with_register_and_unregister(struct kunit *test)
{
	struct task_struct *invoker;
	unsigned int cpu_invoke, cpu_register;
	unsigned long round;
	int errors = 0, stalls = 0;

	two_online_cpus(test, &cpu_invoke, &cpu_register);
	race = &race_state;
	memset(race, 0, sizeof(*race));
	init_completion(&race->invoker_done);

	/* This thread is the registrar; keep it off the invoker's CPU. */
	KUNIT_ASSERT_EQ(test, set_cpus_allowed_ptr(current, cpumask_of(cpu_register)), 0);
	invoker = kthread_create(race_invoker, NULL, "emergency_invoker");
	KUNIT_ASSERT_FALSE(test, IS_ERR(invoker));
	kthread_bind(invoker, cpu_invoke);
	wake_up_process(invoker);
	for (round = 0; round < RACE_ROUNDS && !errors && !stalls; round++) {
		unsigned long armed = 2 * round + 1;
		/* Only a stall detector: the loop below waits for work done. */
		unsigned long deadline = jiffies + 120 * HZ;

		WRITE_ONCE(race->closed, false);
		errors += emergency_slot_register(&race_slot, race_cb) != 0;
		/* Release: the invoker that reads this sees the slot armed. */
		smp_store_release(&race->window, armed);
		/* Wait for one call made wholly inside this round's window. */
		while (READ_ONCE(race->armed_window) != armed) {
			if (time_after(jiffies, deadline)) {
				stalls++;
				break;
			}
			cond_resched();
		}
		WRITE_ONCE(race->window, armed + 1);
		errors += emergency_slot_unregister(&race_slot, race_cb) != 0;
		WRITE_ONCE(race->closed, true);
	}
	WRITE_ONCE(race->stop, true);
	KUNIT_EXPECT_TRUE(test, wait_for_completion_timeout(&race->invoker_done, 120 * HZ));
	set_cpus_allowed_ptr(current, cpu_possible_mask);

	kunit_info(test, "%lu rounds, %lu invocations, %lu while armed, %ld calls\n",
		   round, race->invocations, race->calls_in_window,
		   atomic_long_read(&race->calls));
	KUNIT_EXPECT_EQ_MSG(test, stalls, 0,
			    "the invoker made no armed call in 120 s");
	KUNIT_EXPECT_EQ(test, errors, 0);
	KUNIT_EXPECT_EQ(test, race->late_calls, 0);
	KUNIT_EXPECT_EQ(test, race->lost_calls, 0);
	KUNIT_EXPECT_GE(test, race->calls_in_window, (unsigned long)RACE_ROUNDS);
	KUNIT_EXPECT_EQ(test, atomic_read(&race_slot.inflight), 0);
}

static struct kunit_case emergency_slot_cases[] = {
	KUNIT_CASE(test_empty_slot_calls_nothing),
	KUNIT_CASE(test_register_call_unregister),
	KUNIT_CASE(test_typed_callback_with_arguments),
	KUNIT_CASE(test_second_register_is_refused),
	KUNIT_CASE(test_unregister_of_another_callback_is_refused),
	KUNIT_CASE(test_null_callback_is_refused),
	KUNIT_CASE(test_call_with_irqs_disabled),
	KUNIT_CASE(test_call_from_hardirq),
#ifdef CONFIG_X86_LOCAL_APIC
	KUNIT_CASE(test_call_from_nmi),
#endif
	KUNIT_CASE(test_call_where_rcu_is_not_watching),
	KUNIT_CASE(test_unregister_waits_for_a_call_rcu_is_not_watching),
	KUNIT_CASE_SLOW(test_calls_race_with_register_and_unregister),
	{}
};

static struct kunit_suite emergency_slot_suite = {
	.name = "emergency_slot",
	.test_cases = emergency_slot_cases,
};

/* ---- The reference: the RCU version, in a boot of its own ---- */

static bool rcu_reference;
module_param(rcu_reference, bool, 0444);
MODULE_PARM_DESC(rcu_reference,
		 "run the RCU reference case, whose PROVE_RCU report is expected");

static void test_rcu_version_where_rcu_is_not_watching(struct kunit *test)
{
	bool watching, called;

	if (!rcu_reference)
		kunit_skip(test, "runs alone, with emergency_slot_kunit.rcu_reference=1");
	if (!IS_ENABLED(CONFIG_PROVE_RCU))
		kunit_skip(test, "needs CONFIG_PROVE_RCU to show the report");
	reset_counts();
	called = call_where_rcu_is_not_watching(true, &watching);
	/* The report itself is in the kernel log, which the harness reads. */
	KUNIT_EXPECT_FALSE(test, watching);
	KUNIT_EXPECT_TRUE(test, called);
}

/*
 * The lifetime race that rcu_dereference_raw() leaves: its
 * unregistration returns while a call on a CPU that RCU is not watching
 * still runs the callback.  Printed, for the harness to read.
 */
static void test_rcu_raw_version_unregisters_under_a_call(struct kunit *test)
{
	if (!rcu_reference)
		kunit_skip(test, "runs alone, with emergency_slot_kunit.rcu_reference=1");
	unregister_under_a_held_call(test, true, 5000);
	if (held->returned_under_call)
		pr_warn("emergency_slot_kunit: synchronize_rcu() returned while the callback ran on a CPU RCU is not watching\n");
	KUNIT_EXPECT_TRUE(test, held->returned_under_call);
}

static struct kunit_case emergency_slot_rcu_reference_cases[] = {
	KUNIT_CASE(test_rcu_version_where_rcu_is_not_watching),
	KUNIT_CASE(test_rcu_raw_version_unregisters_under_a_call),
	{}
};

static struct kunit_suite emergency_slot_rcu_reference_suite = {
	.name = "emergency_slot_rcu_reference",
	.test_cases = emergency_slot_rcu_reference_cases,
};

kunit_test_suites(&emergency_slot_suite, &emergency_slot_rcu_reference_suite);

MODULE_DESCRIPTION("KUnit tests for emergency callback slots");
MODULE_LICENSE("GPL");
