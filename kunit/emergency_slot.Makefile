obj-$(CONFIG_EMERGENCY_SLOT_KUNIT_TEST) += emergency_slot_kunit.o
