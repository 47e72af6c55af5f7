#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench.sh - `make bench`: what the series costs, measured side by side.
#
# 1. Code size.  Everything the series touches (its tests aside) is built
#    for x86_64 (defconfig + scripts/configs/x86_64-kvm.config) at the
#    baseline and at the tip, in one build tree; scripts/bench-codegen.py
#    compares executable bytes per object and instructions per function
#    (the converted ones are named in scripts/bench-codegen.spec).
# 2. Microbenchmarks.  kunit/bench/primitives_bench.c is built into a
#    copy of the series tree (it is not part of the series) and run by
#    kunit.py under QEMU with 2 CPUs; each case compares a primitive with
#    the open-coded pattern it replaces, in the same boot.
#
# scripts/bench-report.py prints the table and writes out/bench/.
# BENCH_ARGS= adds kernel arguments, e.g. primitives_bench.reps=21.
#
# 3. KVM.  KVM's own benchmarks (memslot_perf_test, dirty_log_perf_test,
#    demand_paging_test, memslot_modification_stress_test) and make e2e's
#    reaper and OOM killer rounds, in non-debug kernels of the baseline
#    and of the series booted alternately: scripts/bench-kvm.sh, which
#    writes out/bench/kvm.txt and the "kvm" part of out/bench/bench.json.
#
# BENCH_PARTS= chooses the parts: "primitives" (1 and 2), "kvm" (3); by
# default both.
set -uo pipefail
me=scripts/bench.sh
OUT=${OUT:-out} BUILD=${BUILD:-build}
SRC=$BUILD/bench-src
KBUILD=$BUILD/kbuild/bench
BENCH=$OUT/bench
JOBS=${JOBS:-$(nproc)}
. scripts/kbuild-lib.sh

PARTS=" ${BENCH_PARTS:-primitives kvm} "
for p in $PARTS; do
	case $p in primitives | kvm) ;; *) echo "$me: BENCH_PARTS: no part \"$p\" (primitives, kvm)" >&2; exit 1 ;; esac
done

die() { echo "$me: $*" >&2; exit 1; }

. scripts/series-lib.sh
[ -f $OUT/series/series.json ] || die "$OUT/series/series.json: run make first"
base=$(series_base)
tip=$(series_commits | tail -n 1)
mapfile -t sources < <(series_files | grep -E '\.c$' | grep -v '_kunit\.c$')

# primitives: parts 1 and 2.
primitives() {
	# Objects to compare, and the make targets that build them.  KVM's
	# virt/kvm/ files are built through arch/x86/kvm/, which also links the
	# module objects; so is SGI GRU's directory.
	objects=() linked=() targets=()
	for f in "${sources[@]}"; do
		objects+=("${f%.c}.o")
		case $f in
		virt/kvm/* | arch/x86/kvm/*) targets+=(arch/x86/kvm/) ;;
		drivers/misc/sgi-gru/*) targets+=(drivers/misc/sgi-gru/) ;;
		*) targets+=("${f%.c}.o") ;;
		esac
	done
	for t in $(printf '%s\n' "${targets[@]}" | sort -u); do
		case $t in
		arch/x86/kvm/) linked+=(arch/x86/kvm/kvm.o arch/x86/kvm/kvm-intel.o arch/x86/kvm/kvm-amd.o) ;;
		drivers/misc/sgi-gru/) linked+=(drivers/misc/sgi-gru/gru.o) ;;
		esac
	done
	mapfile -t targets < <(printf '%s\n' "${targets[@]}" | sort -u)

	mkdir -p "$BENCH" $BUILD/kbuild
	scripts/tree.sh clone "$SRC" > /dev/null || die "cannot clone the tree into $SRC"
	series_fetch_into "$SRC" || die "cannot fetch the series from $OUT/linux"

	# build SIDE SHA: the objects at SHA, copied to $BENCH/objs/SIDE.
	build() {
		local side=$1 sha=$2 key o log=$BENCH/build-$1.log
		key=$( { echo "$sha"; cat scripts/configs/x86_64-kvm.config; printf '%s\n' "${targets[@]}"; gcc --version | head -n 1; } |
			sha1sum | cut -c1-12)
		if [ "$(cat "$BENCH/objs/$side/.key" 2>/dev/null)" = "$key" ]; then
			echo "  BENCH   $side objects: cached"
			return
		fi
		echo "  BENCH   $side objects: building (log: $log)"
		git -C "$SRC" checkout -qf --detach "$sha" && git -C "$SRC" clean -qfd ||
			die "$SRC: cannot check out $sha"
		{ configure "$KBUILD" defconfig scripts/configs/x86_64-kvm.config &&
		  make -C "$SRC" O="$(realpath "$KBUILD")" -j"$JOBS" "${targets[@]}"; } > "$log" 2>&1 ||
			die "building the $side objects failed, see $log: $(grep -m1 -E 'error:|Error [0-9]|did not make it' "$log")"
		rm -rf "$BENCH/objs/$side"
		for o in "${objects[@]}" "${linked[@]}"; do
			[ -f "$KBUILD/$o" ] || continue
			mkdir -p "$BENCH/objs/$side/$(dirname "$o")"
			cp "$KBUILD/$o" "$BENCH/objs/$side/$o"
		done
		echo "$key" > "$BENCH/objs/$side/.key"
	}

	build baseline "$base"
	build series "$tip"
	scripts/bench-codegen.py "$BENCH/objs/baseline" "$BENCH/objs/series" scripts/bench-codegen.spec \
		"${objects[@]}" -- "${linked[@]}" > "$BENCH/codegen.tsv" || die "code size comparison failed"

	# The microbenchmarks, in a copy of the tip with the bench suite added.
	cell=x86_64-smp
	cellcfg=kunit/bench/$cell.config
	eval "args=($(sed -n 's/^#kunit.py: *//p' "$cellcfg"))"
	kbuild=$BUILD/kunit/bench-$cell
	git -C "$SRC" checkout -qf --detach "$tip" && git -C "$SRC" clean -qfd ||
		die "$SRC: cannot check out $tip"
	cp kunit/bench/primitives_bench.c "$SRC/lib/"
	echo 'obj-$(CONFIG_KUNIT) += primitives_bench.o' >> "$SRC/lib/Makefile"
	mkdir -p "$kbuild"
	rm -f "$kbuild/test.log" "$BENCH/kunit.json"
	echo "  BENCH   microbenchmarks: kunit.py ${args[*]} (log: $BENCH/kunit.log)"
	top=$PWD
	# kunit.py's QEMU emulates: see scripts/qemu-tcg/qemu-system-x86_64.
	(cd "$SRC" && PATH=$top/scripts/qemu-tcg:$PATH ./tools/testing/kunit/kunit.py run "${args[@]}" \
		--kunitconfig="$top/$cellcfg" \
		--build_dir="$(realpath -m "$top/$kbuild")" --jobs="$JOBS" --timeout=1800 \
		${BENCH_ARGS:+--kernel_args="$BENCH_ARGS"} \
		--json="$top/$BENCH/kunit.json" 'primitives_bench') > "$BENCH/kunit.log" 2>&1
	git -C "$SRC" checkout -qf --detach "$tip" && git -C "$SRC" clean -qfd
	cp "$kbuild/test.log" "$BENCH/kernel.log" 2>/dev/null ||
		die "no kernel log in $kbuild/test.log, see $BENCH/kunit.log: $(tail -n 1 "$BENCH/kunit.log")"

	scripts/bench-report.py --codegen="$BENCH/codegen.tsv" --json="$BENCH/kunit.json" \
		--kernel-log="$BENCH/kernel.log" --config="$kbuild/.config" \
		--qemu="qemu-system-x86_64 ${args[*]}" --out="$BENCH"
}

# Each part in its own process: a part that fails (die) leaves the
# other to run.
rc=0
if [[ $PARTS == *" primitives "* ]]; then
	(primitives) || rc=1
fi
if [[ $PARTS == *" kvm "* ]]; then
	scripts/bench-kvm.sh || rc=1
fi
exit $rc
