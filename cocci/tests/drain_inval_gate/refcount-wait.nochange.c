// Waiting for a reference count to drop to zero, woken by a different
// wait queue than the one waited on: not a drain gate.
struct obj {
	atomic_t refs;
	wait_queue_head_t wq;
	wait_queue_head_t done_wq;
};

void obj_put(struct obj *o)
{
	if (atomic_dec_and_test(&o->refs))
		wake_up_all(&o->done_wq);
}

void obj_wait(struct obj *o)
{
	wait_event(o->wq, atomic_read(&o->refs) == 0);
}
