obj-$(CONFIG_INVAL_GATE_KUNIT_TEST) += inval_gate_kunit.o
