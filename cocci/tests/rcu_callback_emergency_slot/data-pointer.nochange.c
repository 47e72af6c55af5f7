// An __rcu pointer to data, published and retired the same way, but
// never called: not a callback, leave it alone.
#include <linux/rcupdate.h>

struct crash_cfg {
	int level;
};

static struct crash_cfg __rcu *crash_cfg;

void set_crash_cfg(struct crash_cfg *cfg)
{
	if (WARN_ON_ONCE(rcu_access_pointer(crash_cfg)))
		return;
	rcu_assign_pointer(crash_cfg, cfg);
}

void clear_crash_cfg(struct crash_cfg *cfg)
{
	if (WARN_ON_ONCE(rcu_access_pointer(crash_cfg) != cfg))
		return;
	rcu_assign_pointer(crash_cfg, NULL);
	synchronize_rcu();
}

int crash_level(void)
{
	struct crash_cfg *cfg;
	int level = 0;

	rcu_read_lock();
	cfg = rcu_dereference(crash_cfg);
	if (cfg)
		level = cfg->level;
	rcu_read_unlock();
	return level;
}
