// range_start() returns what its zap returns: the hand-off would have
// to come before the zap, so the script leaves the reader unconverted
// and says so.
#include <linux/mmu_notifier.h>

struct vm {
	spinlock_t mn_invalidate_lock;
	unsigned long mn_active_invalidate_count;
	struct rcuwait mn_memslots_update_rcuwait;
	struct slots __rcu *slots;
};

static int vm_range_start(struct vm *vm)
{
	spin_lock(&vm->mn_invalidate_lock);
	vm->mn_active_invalidate_count++;
	spin_unlock(&vm->mn_invalidate_lock);

	return zap(vm);
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
