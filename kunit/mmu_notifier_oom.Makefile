obj-$(CONFIG_MMU_NOTIFIER_OOM_KUNIT_TEST) += mmu_notifier_oom_kunit.o
