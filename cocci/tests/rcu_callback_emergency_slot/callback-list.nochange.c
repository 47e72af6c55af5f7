// Callbacks kept in an RCU list, not a single published pointer.
#include <linux/rculist.h>

struct hook {
	struct list_head node;
	void (*fn)(void);
};

static LIST_HEAD(hooks);

void run_hooks(void)
{
	struct hook *h;

	rcu_read_lock();
	list_for_each_entry_rcu(h, &hooks, node)
		h->fn();
	rcu_read_unlock();
}
