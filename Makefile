# SPDX-License-Identifier: GPL-2.0
#
# The pipeline.  `make` regenerates the patch series; `make check` runs
# every check and ends with "N passed, N failed".  See README.
#
#   make [KDIR=/path/to/linux.git [BASE=commit]]
#   make check
#   make bench      what the series costs: code size, microbenchmarks
#   make e2e        KVM selftests and a reaped VM on booted kernels, before
#                   and after the series (check runs a reduced form)
#   make cross-bisect   the cross builds after every patch (check does
#                       baseline and tip)
#
# Each stage's work lives in scripts/, named after the stage.

KDIR ?=
BASE ?= HEAD
export KDIR BASE

# Bad KDIR= or BASE=: one error line, before anything is installed or
# written.
ifneq ($(KDIR)$(filter-out HEAD,$(BASE)),)
input_error := $(shell KDIR='$(KDIR)' BASE='$(BASE)' scripts/tree.sh check 2>&1)
ifneq ($(input_error),)
$(error $(input_error))
endif
endif

# The checks, in the order they run (scripts/check-STAGE.*).
CHECKS := cocci-golden series-am checkpatch kernel-doc build cross sparse coccicheck kunit e2e

.PHONY: all series check bench e2e cross-bisect deps clean distclean

all: series

series:
	@scripts/deps.sh		# Debian packages, installed if missing
	@scripts/series.sh		# recipes -> commits in out/linux, mails in out/series

check: series
	@scripts/check.sh $(CHECKS)	# -> out/check/results.tsv, "N passed, N failed"

# The check's cross stage after every patch of the series, not only at the
# tip: too long for every run.  Results in out/cross-bisect/check/;
# CROSS_ARCHES="arm64 riscv64" limits it to those architectures.
cross-bisect: series
	@CROSS_PER_PATCH=1 OUT=out/cross-bisect CROSS_ARCHES='$(CROSS_ARCHES)' scripts/check.sh cross

# Not part of check: numbers, not pass/fail (see README, "Benchmarks").
bench: series
	@scripts/bench.sh		# -> out/bench/report.txt

# Debug and PREEMPT_RT kernels of the baseline and of the series, booted
# with KVM selftests and a reaped VM process: out/e2e/table.txt.
e2e: series
	@scripts/e2e.sh

deps:
	@scripts/deps.sh

# out/: what the pipeline produced.  build/: the unpacked kernel and the
# build trees, kept between runs so that re-runs are incremental.
clean:
	rm -rf out

distclean: clean
	rm -rf build
