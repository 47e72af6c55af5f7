// An rcuwait loop on a counter that is not taken under a spinlock: the
// readers cannot be held off while publishing, so this is not a gate.
struct dev {
	atomic_t users;
	struct rcuwait wait;
	void __rcu *cfg;
};

void dev_publish(struct dev *d, void *cfg)
{
	prepare_to_rcuwait(&d->wait);
	while (atomic_read(&d->users)) {
		set_current_state(TASK_UNINTERRUPTIBLE);
		schedule();
	}
	finish_rcuwait(&d->wait);
	rcu_assign_pointer(d->cfg, cfg);
}
