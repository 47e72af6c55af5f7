# SPDX-License-Identifier: GPL-2.0
#
# The pipeline.  `make` regenerates the patch series; `make check` runs
# every check and ends with "N passed, N failed".  See README.
#
#   make [KDIR=/path/to/linux.git [BASE=commit]] [TREES="7.3 6.12"]
#   make check
#   make bench      what the series costs: code size, microbenchmarks
#   make e2e        KVM selftests and a reaped VM on booted kernels, before
#                   and after the series (check runs a reduced form)
#   make cross      the cross builds on every architecture (not in check,
#                   for CI's time)
#   make cross-bisect   the cross builds after every patch (make cross
#                       does baseline and tip)
#   make mutate     mutation testing of the three headers (not in check:
#                   about an hour)
#
# Each stage's work lives in scripts/, named after the stage.

KDIR ?=
BASE ?= HEAD
# Debian's kernel sources the series is built and checked on: the first is
# the default tree (every check), the others get the second-tree checks
# (README, "The trees").  With KDIR=, that tree is the only one.
TREES ?= 7.3 6.12
TREE := $(firstword $(TREES))
SECOND_TREES := $(if $(KDIR),,$(wordlist 2,$(words $(TREES)),$(TREES)))
export KDIR BASE TREE

# Bad KDIR=, BASE= or TREES=: one error line, before anything is installed
# or written.
input_error := $(shell KDIR='$(KDIR)' BASE='$(BASE)' TREES='$(TREES)' scripts/tree.sh check 2>&1)
ifneq ($(input_error),)
$(error $(input_error))
endif

# Every compiler call of every kernel build goes through ccache (Debian's,
# /usr/lib/ccache), with its cache outside the clone: a fresh clone on the
# same machine compiles nothing that an earlier run compiled.  Paths under
# the clone are hashed relative to it (CCACHE_BASEDIR), so clones share
# entries.  CCACHE_DIR= chooses another cache; CCACHE_DISABLE=1 none.
CCACHE_DIR ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/inval-gate-series/ccache
CCACHE_BASEDIR := $(CURDIR)
CCACHE_MAXSIZE ?= 25G
# The kernel maps its source path away (-f*-prefix-map=SRC/=), so the
# option's absolute path must not make two clones' compilations differ.
CCACHE_IGNOREOPTIONS := -fmacro-prefix-map=* -ffile-prefix-map=* -fdebug-prefix-map=*
# Depend mode: no extra preprocessor run on a miss (kbuild passes -MMD), so
# a run with an empty cache compiles about as fast as one without ccache.
CCACHE_DEPEND := 1
PATH := /usr/lib/ccache:$(PATH)
export CCACHE_DIR CCACHE_BASEDIR CCACHE_MAXSIZE CCACHE_IGNOREOPTIONS CCACHE_DEPEND PATH

# The checks, in the order they run (scripts/check-STAGE.*): every one on
# the default tree; on each second tree, its series regenerated and the
# reduced form of the others (CHECK_SCOPE=second).
CHECKS := cocci-golden series-am stale-refs checkpatch b4 kernel-doc litmus build sparse coccicheck kunit e2e
SECOND_CHECKS := series series-am stale-refs checkpatch build sparse kunit

.PHONY: all series check bench e2e cross cross-bisect mutate deps clean distclean

all: series

series:
	@scripts/deps.sh		# Debian packages, installed if missing
	@scripts/series.sh		# recipes -> commits in out/linux, mails in out/series

check: series
	@SECOND_TREES='$(SECOND_TREES)' SECOND_CHECKS='$(SECOND_CHECKS)' \
		scripts/check.sh $(CHECKS)	# -> out/check/results.tsv, "N passed, N failed"

# The cross stage on every architecture: arm64, riscv64, s390x, powerpc64le
# (defconfig + KVM, baseline and tip) and arm64's tinyconfig kernel.
# Not in make check, to stay within CI's time (README, "CI time"); the
# arm64 KUnit cell compiles the headers and suites there.  Results in
# out/cross/check/.
cross: series
	@CHECK_DIR=out/cross/check CROSS_ARCHES='$(CROSS_ARCHES)' scripts/check.sh cross

# The cross stage after every patch of the series, not only at the
# tip: too long for every run.  Results in out/cross-bisect/check/;
# CROSS_ARCHES="arm64 riscv64" limits it to those architectures.
cross-bisect: series
	@CROSS_PER_PATCH=1 CHECK_DIR=out/cross-bisect/check CROSS_ARCHES='$(CROSS_ARCHES)' scripts/check.sh cross

# Not part of check: numbers, not pass/fail (see README, "Benchmarks").
bench: series
	@scripts/bench.sh		# -> out/bench/report.txt

# Debug and PREEMPT_RT kernels of the baseline and of the series, booted
# with KVM selftests and a reaped VM process: out/e2e/table.txt.
e2e: series
	@scripts/e2e.sh

# Mutations of the three headers (kunit/mutations.tsv), one at a time,
# each run through the litmus stage, the UML KUnit cell and an x86_64 SMP
# KUnit kernel until one catches it: out/mutate/table.txt.  Not in make
# check, for its time (README, "Mutation testing: make mutate").
mutate: series
	@scripts/mutate.sh

deps:
	@scripts/deps.sh

# out/: what the pipeline produced.  build/: the unpacked kernel and the
# build trees, kept between runs so that re-runs are incremental.
clean:
	rm -rf out

distclean: clean
	rm -rf build
