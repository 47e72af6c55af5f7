// The 7.x shape: range_end() also bumps a sequence counter for the pfn
// caches under the lock, ordered by smp_wmb() before the count drops.
#include <linux/mmu_notifier.h>
#include <linux/rcuwait.h>

struct vm {
	struct mutex slots_lock;

	/* Used to wait for completion of MMU notifiers.  */
	spinlock_t mn_invalidate_lock;
	unsigned long mn_active_invalidate_count;
	struct rcuwait mn_memslots_update_rcuwait;

	long mmu_invalidate_in_progress;
	unsigned long cache_invalidate_seq;
	struct slots __rcu *slots;
};

struct cache {
	struct vm *vm;
};

static int vm_range_start(struct vm *vm)
{
	spin_lock(&vm->mn_invalidate_lock);
	vm->mn_active_invalidate_count++;
	spin_unlock(&vm->mn_invalidate_lock);

	zap(vm);
	return 0;
}

static void vm_range_end(struct vm *vm)
{
	bool wake;

	unzap(vm);

	spin_lock(&vm->mn_invalidate_lock);
	vm->cache_invalidate_seq++;

	/* The sequence increase is visible before the count drops. */
	smp_wmb();

	if (!WARN_ON_ONCE(!vm->mn_active_invalidate_count))
		--vm->mn_active_invalidate_count;
	wake = !vm->mn_active_invalidate_count;
	spin_unlock(&vm->mn_invalidate_lock);

	if (wake)
		rcuwait_wake_up(&vm->mn_memslots_update_rcuwait);
}

static void vm_init(struct vm *vm)
{
	mutex_init(&vm->slots_lock);
	vm->cache_invalidate_seq = 0;
	spin_lock_init(&vm->mn_invalidate_lock);
	rcuwait_init(&vm->mn_memslots_update_rcuwait);
}

static void vm_destroy(struct vm *vm)
{
	WARN_ON(rcuwait_active(&vm->mn_memslots_update_rcuwait));
	if (vm->mn_active_invalidate_count)
		vm->mn_active_invalidate_count = 0;
	else
		WARN_ON(vm->mmu_invalidate_in_progress);
	kfree(vm);
}

static void vm_swap_slots(struct vm *vm, struct slots *slots)
{
	spin_lock(&vm->mn_invalidate_lock);
	prepare_to_rcuwait(&vm->mn_memslots_update_rcuwait);
	while (vm->mn_active_invalidate_count) {
		set_current_state(TASK_UNINTERRUPTIBLE);
		spin_unlock(&vm->mn_invalidate_lock);
		schedule();
		spin_lock(&vm->mn_invalidate_lock);
	}
	finish_rcuwait(&vm->mn_memslots_update_rcuwait);
	rcu_assign_pointer(vm->slots, slots);
	spin_unlock(&vm->mn_invalidate_lock);
}

static bool vm_cache_retry(struct vm *vm, unsigned long seq)
{
	if (vm->mn_active_invalidate_count)
		return true;

	smp_rmb();
	return vm->cache_invalidate_seq != seq;
}

static void cache_refresh(struct cache *c)
{
	unsigned long seq;

	do {
		seq = c->vm->cache_invalidate_seq;
		smp_rmb();
		refill(c);
	} while (vm_cache_retry(c->vm, seq));
}
