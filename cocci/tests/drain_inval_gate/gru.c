// The SGI GRU shape: an atomic count of active range invalidations and
// a wait queue for tasks that wait for it to drain.
#include <linux/wait.h>
#include <linux/mmu_notifier.h>

struct gms {
	struct mmu_notifier	ms_notifier;
	spinlock_t		ms_asid_lock;
	atomic_t		ms_range_active;/* active invalidations */
	wait_queue_head_t	ms_wait_queue;
	DECLARE_BITMAP(ms_asidmap, 32);
};

static int gms_range_start(struct mmu_notifier *mn,
			   const struct mmu_notifier_range *range)
{
	struct gms *gms = container_of(mn, struct gms, ms_notifier);

	atomic_inc(&gms->ms_range_active);
	pr_debug("act %d\n", atomic_read(&gms->ms_range_active));
	flush(gms, range->start, range->end);
	return 0;
}

static void gms_range_end(struct mmu_notifier *mn,
			  const struct mmu_notifier_range *range)
{
	struct gms *gms = container_of(mn, struct gms, ms_notifier);

	(void)atomic_dec_and_test(&gms->ms_range_active);

	wake_up_all(&gms->ms_wait_queue);
}

static const struct mmu_notifier_ops gms_ops = {
	.invalidate_range_start	= gms_range_start,
	.invalidate_range_end	= gms_range_end,
};

static void gms_init(struct gms *gms)
{
	spin_lock_init(&gms->ms_asid_lock);
	init_waitqueue_head(&gms->ms_wait_queue);
}

static int gms_dropin(struct thread_state *ts)
{
	if (atomic_read(&ts->gms->ms_range_active))
		return -EAGAIN;
	return load(ts);
}

static int gms_user_dropin(struct gms *gms, struct thread_state *ts)
{
	int ret;

	do {
		wait_event(gms->ms_wait_queue,
			   atomic_read(&gms->ms_range_active) == 0);
		ret = gms_dropin(ts);
	} while (ret > 0);
	return ret;
}
