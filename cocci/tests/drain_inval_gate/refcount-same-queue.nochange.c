// A reference count whose last put wakes the waiters: the wakeup is
// conditional on the count reaching zero, which is a refcount, not an
// invalidation count; leave it alone.
struct obj {
	atomic_t refs;
	wait_queue_head_t wq;
};

void obj_put(struct obj *o)
{
	if (atomic_dec_and_test(&o->refs))
		wake_up_all(&o->wq);
}

void obj_wait_unused(struct obj *o)
{
	wait_event(o->wq, atomic_read(&o->refs) == 0);
}
