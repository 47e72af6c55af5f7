// SPDX-License-Identifier: GPL-2.0
/*
 * Side-by-side microbenchmarks of <linux/inval_gate.h> and
 * <linux/emergency_slot.h> against the open-coded patterns they replace.
 *
 * Not part of the series: `make bench` (scripts/bench.sh) builds it into
 * a copy of the series tree.  Each case runs its variants alternately, in
 * the same kernel and the same boot, primitives_bench.reps times, and
 * prints one line per variant and repetition:
 *
 *	bench: CASE VARIANT rep=R ops=N ns=T p50_ns=P max_ns=M
 *
 * (T: the repetition's elapsed time for N operations; P and M: its median
 * and its slowest single operation where a case times each one, else 0).
 * scripts/bench-report.py turns these lines into medians and ratios.  The
 * cases assert correctness only (every count balanced, every operation
 * done), never a time.
 */

#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/emergency_slot.h>
#include <linux/inval_gate.h>
#include <linux/kthread.h>
#include <linux/moduleparam.h>
#include <linux/rcupdate.h>
#include <linux/rcuwait.h>
#include <linux/sched.h>
#include <linux/sort.h>
#include <linux/spinlock.h>
#include <linux/srcu.h>
#include <linux/timekeeping.h>

static unsigned int reps = 11;
module_param(reps, uint, 0444);
MODULE_PARM_DESC(reps, "repetitions of each variant");

static unsigned long iters = 200000;
module_param(iters, ulong, 0444);
MODULE_PARM_DESC(iters, "operations per repetition (per CPU when contended)");

static unsigned int publications = 501;
module_param(publications, uint, 0444);
MODULE_PARM_DESC(publications, "writer publications per repetition");

/* The readers' hammering in gate_writer_drain: busy loops inside, outside. */
static unsigned int reader_inside = 50, reader_outside = 50;
module_param(reader_inside, uint, 0444);
module_param(reader_outside, uint, 0444);

/* A reader that still runs after this long stops, so a starved writer ends. */
#define BENCH_DEADLINE_NS	(20ULL * NSEC_PER_SEC)

/*
 * The pattern KVM open-codes in 6.12 (mn_invalidate_lock,
 * mn_active_invalidate_count, mn_memslots_update_rcuwait): a spinlock
 * round trip to enter and another to leave, a wakeup attempt when the
 * count drops to zero, and a writer that waits for the count with the
 * lock dropped around each sleep.
 */
struct open_gate {
	spinlock_t lock;		/* protects count */
	unsigned long count;
	struct rcuwait wait;
};

static void open_gate_init(struct open_gate *g)
{
	spin_lock_init(&g->lock);
	g->count = 0;
	rcuwait_init(&g->wait);
}

static __always_inline void open_gate_enter(struct open_gate *g)
{
	spin_lock(&g->lock);
	g->count++;
	spin_unlock(&g->lock);
}

static __always_inline void open_gate_leave(struct open_gate *g)
{
	bool wake;

	spin_lock(&g->lock);
	if (!WARN_ON_ONCE(!g->count))
		g->count--;
	wake = !g->count;
	spin_unlock(&g->lock);
	if (wake)
		rcuwait_wake_up(&g->wait);
}

static void open_gate_publish(struct open_gate *g, unsigned long *gen)
{
	spin_lock(&g->lock);
	prepare_to_rcuwait(&g->wait);
	while (g->count) {
		set_current_state(TASK_UNINTERRUPTIBLE);
		spin_unlock(&g->lock);
		schedule();
		spin_lock(&g->lock);
	}
	finish_rcuwait(&g->wait);
	WRITE_ONCE(*gen, *gen + 1);
	spin_unlock(&g->lock);
}

static void inval_gate_publish(struct inval_gate *g, unsigned long *gen)
{
	inval_gate_write_begin(g);
	WRITE_ONCE(*gen, *gen + 1);
	inval_gate_write_end(g);
}

enum gate_variant { GATE_INVAL_GATE, GATE_OPEN_CODED, GATE_VARIANTS };

static const char * const gate_variant_name[GATE_VARIANTS] = {
	[GATE_INVAL_GATE] = "inval_gate",
	[GATE_OPEN_CODED] = "spinlock_count",
};

/* Both gates, so that one object serves every variant of a case. */
struct bench_gates {
	struct inval_gate gate;
	struct open_gate open;
	unsigned long gen;
};

static struct bench_gates *new_gates(struct kunit *test)
{
	struct bench_gates *g = kunit_kzalloc(test, sizeof(*g), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, g);
	inval_gate_init(&g->gate);
	open_gate_init(&g->open);
	return g;
}

/* Out of line, so that both variants' loops are compiled alike. */
static noinline void inval_gate_rw_loop(struct inval_gate *g, unsigned long n)
{
	while (n--) {
		inval_gate_enter(g);
		inval_gate_leave(g);
	}
}

static noinline void open_gate_rw_loop(struct open_gate *g, unsigned long n)
{
	while (n--) {
		open_gate_enter(g);
		open_gate_leave(g);
	}
}

static void gate_rw_loop(struct bench_gates *g, enum gate_variant v,
			 unsigned long n)
{
	if (v == GATE_INVAL_GATE)
		inval_gate_rw_loop(&g->gate, n);
	else
		open_gate_rw_loop(&g->open, n);
}

static bool gate_idle(struct bench_gates *g, enum gate_variant v)
{
	if (v == GATE_INVAL_GATE)
		return !inval_gate_in_progress(&g->gate);
	return !READ_ONCE(g->open.count);
}

static void report(struct kunit *test, const char *bench, const char *variant,
		   unsigned int rep, unsigned long ops, u64 ns, u64 p50_ns,
		   u64 max_ns)
{
	kunit_info(test, "bench: %s %s rep=%u ops=%lu ns=%llu p50_ns=%llu max_ns=%llu\n",
		   bench, variant, rep, ops, ns, p50_ns, max_ns);
}

/* Alternate which variant goes first, so that neither always runs warm. */
static enum gate_variant nth_variant(unsigned int rep, unsigned int i)
{
	return (rep + i) % GATE_VARIANTS;
}

/* One reader entering and leaving, nobody else around. */
static void gate_reader_uncontended(struct kunit *test)
{
	struct bench_gates *g = new_gates(test);
	unsigned int rep, i;

	for (rep = 0; rep < reps; rep++) {
		for (i = 0; i < GATE_VARIANTS; i++) {
			enum gate_variant v = nth_variant(rep, i);
			u64 t0, t1;

			preempt_disable();
			t0 = ktime_get_ns();
			gate_rw_loop(g, v, iters);
			t1 = ktime_get_ns();
			preempt_enable();
			KUNIT_EXPECT_TRUE(test, gate_idle(g, v));
			report(test, "gate_reader_uncontended", gate_variant_name[v],
			       rep, iters, t1 - t0, 0, 0);
		}
	}
}

/* Threads bound to CPUs that start together and record their own times. */
struct bench_cpu {
	struct task_struct *task;
	struct bench_race *race;
	u64 t0, t1;
	u64 *lat;		/* the writer's publications, one by one */
	unsigned long ops;
	bool deadline_hit;
	struct completion done;
};

struct bench_race {
	struct bench_gates *g;
	enum gate_variant v;
	atomic_t ready;
	bool go;
	bool stop;
	struct bench_cpu cpu[2];
};

/*
 * Rendezvous of both threads: neither starts its clock before the other.
 * The wait lets the CPU go to whatever else needs it meanwhile (waking
 * the other thread, with preemption off in a PREEMPT_NONE kernel).
 */
static void race_start(struct bench_race *r)
{
	atomic_inc(&r->ready);
	while (atomic_read(&r->ready) < 2)
		cond_resched();
}

static int contended_reader(void *arg)
{
	struct bench_cpu *c = arg;
	struct bench_race *r = c->race;

	race_start(r);
	c->t0 = ktime_get_ns();
	gate_rw_loop(r->g, r->v, iters);
	c->t1 = ktime_get_ns();
	c->ops = iters;
	complete(&c->done);
	return 0;
}

/* Start fn on CPUs 0 and 1 with @r, wait for both. */
static void race(struct kunit *test, struct bench_race *r, int (*fn)(void *))
{
	int cpu;

	atomic_set(&r->ready, 0);
	WRITE_ONCE(r->stop, false);
	for (cpu = 0; cpu < 2; cpu++) {
		struct bench_cpu *c = &r->cpu[cpu];
		u64 *lat = c->lat;

		memset(c, 0, sizeof(*c));
		c->lat = lat;
		c->race = r;
		init_completion(&c->done);
		c->task = kthread_create_on_cpu(fn, c, cpu, "primitives_bench/%u");
		if (IS_ERR(c->task)) {
			/* Never woken: its function does not run. */
			if (cpu)
				kthread_stop(r->cpu[0].task);
			KUNIT_FAIL_AND_ABORT(test, "cannot create a thread on CPU %d", cpu);
		}
	}
	/* Both exist before either runs: creating one needs no CPU the other spins on. */
	for (cpu = 0; cpu < 2; cpu++)
		wake_up_process(r->cpu[cpu].task);
	for (cpu = 0; cpu < 2; cpu++)
		wait_for_completion(&r->cpu[cpu].done);
}

static void need_two_cpus(struct kunit *test)
{
	if (num_online_cpus() < 2 || !cpu_online(0) || !cpu_online(1))
		kunit_skip(test, "needs CPUs 0 and 1 running in parallel, %u online",
			   num_online_cpus());
}

/* Two readers on two CPUs entering and leaving the same gate. */
static void gate_reader_contended(struct kunit *test)
{
	struct bench_race *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	unsigned int rep, i;

	need_two_cpus(test);
	KUNIT_ASSERT_NOT_NULL(test, r);
	r->g = new_gates(test);
	for (rep = 0; rep < reps; rep++) {
		for (i = 0; i < GATE_VARIANTS; i++) {
			u64 t0, t1;

			r->v = nth_variant(rep, i);
			race(test, r, contended_reader);
			t0 = min(r->cpu[0].t0, r->cpu[1].t0);
			t1 = max(r->cpu[0].t1, r->cpu[1].t1);
			KUNIT_EXPECT_TRUE(test, gate_idle(r->g, r->v));
			report(test, "gate_reader_contended",
			       gate_variant_name[r->v], rep,
			       r->cpu[0].ops + r->cpu[1].ops, t1 - t0, 0, 0);
		}
	}
}

static void busy(unsigned int loops)
{
	while (loops--)
		cpu_relax();
}

/* CPU 1: enter, stay a little, leave, stay out a little, until stopped. */
static int hammering_reader(void *arg)
{
	struct bench_cpu *c = arg;
	struct bench_race *r = c->race;
	struct bench_gates *g = r->g;
	u64 deadline;

	race_start(r);
	deadline = ktime_get_ns() + BENCH_DEADLINE_NS;
	while (!READ_ONCE(r->stop)) {
		if (r->v == GATE_INVAL_GATE) {
			inval_gate_enter(&g->gate);
			busy(reader_inside);
			inval_gate_leave(&g->gate);
		} else {
			open_gate_enter(&g->open);
			busy(reader_inside);
			open_gate_leave(&g->open);
		}
		busy(reader_outside);
		c->ops++;
		if (!(c->ops & 1023) && ktime_get_ns() > deadline) {
			c->deadline_hit = true;
			break;
		}
	}
	complete(&c->done);
	return 0;
}

/* CPU 0: publish, timing each publication from its start to its end. */
static int publishing_writer(void *arg)
{
	struct bench_cpu *c = arg;
	struct bench_race *r = c->race;
	struct bench_gates *g = r->g;
	unsigned int n;

	race_start(r);
	c->t0 = ktime_get_ns();
	for (n = 0; n < publications; n++) {
		u64 t = ktime_get_ns();

		if (r->v == GATE_INVAL_GATE)
			inval_gate_publish(&g->gate, &g->gen);
		else
			open_gate_publish(&g->open, &g->gen);
		c->lat[n] = ktime_get_ns() - t;
		c->ops++;
	}
	c->t1 = ktime_get_ns();
	WRITE_ONCE(r->stop, true);
	complete(&c->done);
	return 0;
}

static int drain_thread(void *arg)
{
	struct bench_cpu *c = arg;

	return c == &c->race->cpu[0] ? publishing_writer(arg) :
				       hammering_reader(arg);
}

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/* How long a writer takes to get in while a reader keeps coming back. */
static void gate_writer_drain(struct kunit *test)
{
	struct bench_race *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	unsigned int rep, i;

	need_two_cpus(test);
	KUNIT_ASSERT_NOT_NULL(test, r);
	KUNIT_ASSERT_GT(test, publications, 0);
	r->cpu[0].lat = kunit_kcalloc(test, publications, sizeof(u64), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r->cpu[0].lat);
	r->g = new_gates(test);
	for (rep = 0; rep < reps; rep++) {
		for (i = 0; i < GATE_VARIANTS; i++) {
			unsigned long gen = r->g->gen;
			struct bench_cpu *w = &r->cpu[0];

			r->v = nth_variant(rep, i);
			race(test, r, drain_thread);
			KUNIT_EXPECT_FALSE_MSG(test, r->cpu[1].deadline_hit,
					       "%s: the writer was starved",
					       gate_variant_name[r->v]);
			KUNIT_EXPECT_EQ(test, r->g->gen, gen + publications);
			KUNIT_EXPECT_TRUE(test, gate_idle(r->g, r->v));
			sort(w->lat, publications, sizeof(u64), cmp_u64, NULL);
			report(test, "gate_writer_drain", gate_variant_name[r->v],
			       rep, w->ops, w->t1 - w->t0,
			       w->lat[publications / 2], w->lat[publications - 1]);
		}
	}
}

/* The emergency callback, both ways. */
static unsigned long invocations;

static noinline void emergency_cb(void)
{
	WRITE_ONCE(invocations, invocations + 1);
}

static DEFINE_EMERGENCY_SLOT(bench_slot, void (void));

/* The pattern of arch/x86/kernel/reboot.c in 6.12. */
typedef void (emergency_fn_t)(void);
static emergency_fn_t __rcu *bench_rcu_cb;

static noinline void slot_invoke_loop(unsigned long n)
{
	while (n--)
		emergency_slot_call(&bench_slot);
}

static noinline void rcu_invoke_loop(unsigned long n)
{
	while (n--) {
		emergency_fn_t *fn;

		rcu_read_lock();
		fn = rcu_dereference(bench_rcu_cb);
		if (fn)
			fn();
		rcu_read_unlock();
	}
}

/*
 * What a reviewer proposes instead of the slot's own count: SRCU's
 * NMI-safe readers, which also work where RCU is not watching, with
 * synchronize_srcu() to unregister.  Same publication, same call.
 */
DEFINE_STATIC_SRCU(bench_srcu);
static emergency_fn_t *bench_srcu_cb;

static noinline void srcu_invoke_loop(unsigned long n)
{
	while (n--) {
		emergency_fn_t *fn;
		int idx = srcu_read_lock_nmisafe(&bench_srcu);

		fn = smp_load_acquire(&bench_srcu_cb);
		if (fn)
			fn();
		srcu_read_unlock_nmisafe(&bench_srcu, idx);
	}
}

/* Both loops of @loop, alternating, @iters calls each per repetition. */
static void invoke_pair(struct kunit *test, const char *bench,
			const char * const name[2],
			void (* const loop[2])(unsigned long))
{
	unsigned int rep, i;

	for (rep = 0; rep < reps; rep++) {
		for (i = 0; i < 2; i++) {
			unsigned int v = (rep + i) % 2;
			unsigned long before = invocations;
			u64 t0, t1;

			preempt_disable();
			t0 = ktime_get_ns();
			loop[v](iters);
			t1 = ktime_get_ns();
			preempt_enable();
			KUNIT_EXPECT_EQ(test, invocations - before, iters);
			report(test, bench, name[v], rep, iters, t1 - t0, 0, 0);
		}
	}
}

static void emergency_invoke(struct kunit *test)
{
	static const char * const name[] = { "emergency_slot", "rcu_pointer" };
	static void (* const loop[])(unsigned long) = {
		slot_invoke_loop, rcu_invoke_loop,
	};

	KUNIT_ASSERT_EQ(test, emergency_slot_register(&bench_slot, emergency_cb), 0);
	rcu_assign_pointer(bench_rcu_cb, emergency_cb);
	invoke_pair(test, "emergency_invoke", name, loop);
	RCU_INIT_POINTER(bench_rcu_cb, NULL);
	synchronize_rcu();
	KUNIT_EXPECT_EQ(test, emergency_slot_unregister(&bench_slot, emergency_cb), 0);
}

static void emergency_invoke_srcu(struct kunit *test)
{
	static const char * const name[] = { "emergency_slot", "srcu_nmisafe" };
	static void (* const loop[])(unsigned long) = {
		slot_invoke_loop, srcu_invoke_loop,
	};

	KUNIT_ASSERT_EQ(test, emergency_slot_register(&bench_slot, emergency_cb), 0);
	smp_store_release(&bench_srcu_cb, emergency_cb);
	invoke_pair(test, "emergency_invoke_srcu", name, loop);
	WRITE_ONCE(bench_srcu_cb, NULL);
	synchronize_srcu(&bench_srcu);
	KUNIT_EXPECT_EQ(test, emergency_slot_unregister(&bench_slot, emergency_cb), 0);
}

/* Unregistrations per repetition and variant, each timed. */
#define UNREGISTERS	51

enum unregister_variant {
	UNREG_SLOT, UNREG_SRCU, UNREG_SRCU_EXPEDITED, UNREG_VARIANTS
};

/* Register, then time the unregistration, with no call in flight. */
static u64 timed_unregister(struct kunit *test, enum unregister_variant v)
{
	u64 t0, t1;

	if (v == UNREG_SLOT) {
		KUNIT_EXPECT_EQ(test, emergency_slot_register(&bench_slot, emergency_cb), 0);
		t0 = ktime_get_ns();
		KUNIT_EXPECT_EQ(test, emergency_slot_unregister(&bench_slot, emergency_cb), 0);
		t1 = ktime_get_ns();
		return t1 - t0;
	}
	smp_store_release(&bench_srcu_cb, emergency_cb);
	t0 = ktime_get_ns();
	WRITE_ONCE(bench_srcu_cb, NULL);
	if (v == UNREG_SRCU)
		synchronize_srcu(&bench_srcu);
	else
		synchronize_srcu_expedited(&bench_srcu);
	t1 = ktime_get_ns();
	return t1 - t0;
}

/*
 * The slot against synchronize_srcu() and synchronize_srcu_expedited().
 * The slot's measurements are reported under both cases, so that each
 * case pairs it with one SRCU variant.
 */
static void emergency_unregister(struct kunit *test)
{
	static const char * const bench[] = {
		[UNREG_SRCU] = "emergency_unregister",
		[UNREG_SRCU_EXPEDITED] = "emergency_unregister_expedited",
	};
	static const char * const name[] = {
		[UNREG_SLOT] = "emergency_slot",
		[UNREG_SRCU] = "synchronize_srcu",
		[UNREG_SRCU_EXPEDITED] = "synchronize_srcu_expedited",
	};
	u64 *lat = kunit_kcalloc(test, UNREGISTERS, sizeof(*lat), GFP_KERNEL);
	unsigned int rep, i, n;

	KUNIT_ASSERT_NOT_NULL(test, lat);
	for (rep = 0; rep < reps; rep++) {
		for (i = 0; i < UNREG_VARIANTS; i++) {
			unsigned int v = (rep + i) % UNREG_VARIANTS;
			u64 total = 0;

			for (n = 0; n < UNREGISTERS; n++) {
				lat[n] = timed_unregister(test, v);
				total += lat[n];
			}
			sort(lat, UNREGISTERS, sizeof(*lat), cmp_u64, NULL);
			if (v != UNREG_SLOT) {
				report(test, bench[v], name[v], rep, UNREGISTERS, total,
				       lat[UNREGISTERS / 2], lat[UNREGISTERS - 1]);
				continue;
			}
			report(test, bench[UNREG_SRCU], name[v], rep, UNREGISTERS,
			       total, lat[UNREGISTERS / 2], lat[UNREGISTERS - 1]);
			report(test, bench[UNREG_SRCU_EXPEDITED], name[v], rep,
			       UNREGISTERS, total, lat[UNREGISTERS / 2],
			       lat[UNREGISTERS - 1]);
		}
	}
	kunit_info(test, "sizes: emergency slot %zu bytes; srcu_struct %zu bytes + srcu_usage %zu + srcu_data %zu per possible CPU\n",
		   sizeof(bench_slot), sizeof(struct srcu_struct),
		   sizeof(struct srcu_usage), sizeof(struct srcu_data));
}

static struct kunit_case primitives_bench_cases[] = {
	KUNIT_CASE_SLOW(gate_reader_uncontended),
	KUNIT_CASE_SLOW(gate_reader_contended),
	KUNIT_CASE_SLOW(gate_writer_drain),
	KUNIT_CASE_SLOW(emergency_invoke),
	KUNIT_CASE_SLOW(emergency_invoke_srcu),
	KUNIT_CASE_SLOW(emergency_unregister),
	{}
};

static struct kunit_suite primitives_bench_suite = {
	.name = "primitives_bench",
	.test_cases = primitives_bench_cases,
};

kunit_test_suite(primitives_bench_suite);

MODULE_DESCRIPTION("Microbenchmarks of inval_gate and emergency_slot against open-coded patterns");
MODULE_LICENSE("GPL");
