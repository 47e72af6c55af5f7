// The same gate under other names, with a pre-increment and an int count.
#include <linux/mmu_notifier.h>

/* Another struct with a member of the same name: not the gate's. */
struct vmm_stats {
	unsigned int nr_inflight;
};

struct vmm {
	struct mmu_notifier mn;
	spinlock_t upd_lock;
	unsigned int nr_inflight;
	struct rcuwait upd_wait;
	struct table __rcu *table;
};

static void vmm_inval_begin(struct vmm *v)
{
	spin_lock(&v->upd_lock);
	++v->nr_inflight;
	spin_unlock(&v->upd_lock);
}

static void vmm_inval_end(struct vmm *v)
{
	int wake;

	spin_lock(&v->upd_lock);
	wake = --v->nr_inflight == 0;
	spin_unlock(&v->upd_lock);
	if (wake)
		rcuwait_wake_up(&v->upd_wait);
}

static void vmm_replace_table(struct vmm *v, struct table *t)
{
	spin_lock(&v->upd_lock);
	prepare_to_rcuwait(&v->upd_wait);
	while (v->nr_inflight) {
		set_current_state(TASK_UNINTERRUPTIBLE);
		spin_unlock(&v->upd_lock);
		schedule();
		spin_lock(&v->upd_lock);
	}
	finish_rcuwait(&v->upd_wait);
	rcu_assign_pointer(v->table, t);
	spin_unlock(&v->upd_lock);
}

static void vmm_setup(struct vmm *v)
{
	rcuwait_init(&v->upd_wait);
	spin_lock_init(&v->upd_lock);
}

static bool vmm_busy(struct vmm *v)
{
	if (!v->nr_inflight)
		return false;
	return true;
}
