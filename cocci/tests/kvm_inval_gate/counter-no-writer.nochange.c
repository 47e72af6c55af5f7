// A counter under a spinlock and an rcuwait, but nothing that waits for
// the counter to drain before publishing: not a gate.
struct stats {
	spinlock_t lock;
	unsigned long hits;
	struct rcuwait wait;
};

void stats_hit(struct stats *s)
{
	spin_lock(&s->lock);
	s->hits++;
	spin_unlock(&s->lock);
}

void stats_wait(struct stats *s)
{
	rcuwait_wait_event(&s->wait, READ_ONCE(s->hits) > 10,
			   TASK_UNINTERRUPTIBLE);
}

void stats_init(struct stats *s)
{
	spin_lock_init(&s->lock);
	rcuwait_init(&s->wait);
}
