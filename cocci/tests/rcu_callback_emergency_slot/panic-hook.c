// Another name, a callback with arguments, and "is one set?" negated.
#include <linux/panic.h>

typedef void (crash_dump_cb_t)(int reason, void *data);

static crash_dump_cb_t __rcu *crash_dump_hook;

int set_crash_dump_hook(crash_dump_cb_t *fn)
{
	if (WARN_ON_ONCE(rcu_access_pointer(crash_dump_hook)))
		return;
	rcu_assign_pointer(crash_dump_hook, fn);
}

void clear_crash_dump_hook(crash_dump_cb_t *fn)
{
	if (WARN_ON_ONCE(rcu_access_pointer(crash_dump_hook) != fn))
		return;
	rcu_assign_pointer(crash_dump_hook, NULL);
	synchronize_rcu();
}

void crash_dump(int reason, void *data)
{
	crash_dump_cb_t *hook;

	if (!rcu_access_pointer(crash_dump_hook))
		pr_emerg("no crash dump hook\n");

	rcu_read_lock();
	hook = rcu_dereference(crash_dump_hook);
	if (hook)
		hook(reason, data);
	rcu_read_unlock();
}
