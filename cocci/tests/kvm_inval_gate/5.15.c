// The 5.15 shape: range_end() computes the wakeup from the decrement.
#include <linux/mmu_notifier.h>

struct vm {
	spinlock_t mn_invalidate_lock;
	unsigned long mn_active_invalidate_count;
	struct rcuwait mn_memslots_update_rcuwait;
	struct slots __rcu *slots;
};

void vm_range_start(struct vm *vm)
{
	spin_lock(&vm->mn_invalidate_lock);
	vm->mn_active_invalidate_count++;
	spin_unlock(&vm->mn_invalidate_lock);
}

void vm_range_end(struct vm *vm)
{
	bool wake;

	spin_lock(&vm->mn_invalidate_lock);
	wake = (--vm->mn_active_invalidate_count == 0);
	spin_unlock(&vm->mn_invalidate_lock);

	if (wake)
		rcuwait_wake_up(&vm->mn_memslots_update_rcuwait);
}

void vm_publish(struct vm *vm, struct slots *slots)
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
