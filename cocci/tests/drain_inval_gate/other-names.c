// The same drain gate under other names, decremented with atomic_dec().
#include <linux/mmu_notifier.h>

struct mirror {
	struct mmu_notifier notifier;
	atomic_t busy_count;
	wait_queue_head_t busy_wq;
};

static int mirror_invalidate_start(struct mmu_notifier *mn,
				   const struct mmu_notifier_range *range)
{
	struct mirror *m = container_of(mn, struct mirror, notifier);

	atomic_inc(&m->busy_count);
	return 0;
}

static void mirror_invalidate_end(struct mmu_notifier *mn,
				  const struct mmu_notifier_range *range)
{
	struct mirror *m = container_of(mn, struct mirror, notifier);

	atomic_dec(&m->busy_count);
	wake_up_all(&m->busy_wq);
}

static const struct mmu_notifier_ops mirror_ops = {
	.invalidate_range_start = mirror_invalidate_start,
	.invalidate_range_end = mirror_invalidate_end,
};

static void mirror_sync(struct mirror *m)
{
	wait_event(m->busy_wq, atomic_read(&m->busy_count) == 0);
}

static void mirror_init(struct mirror *m)
{
	init_waitqueue_head(&m->busy_wq);
}
