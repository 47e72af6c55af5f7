#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check-build.sh - build what the series touches, x86_64.
#
# build:x86_64-kvm:NN   defconfig + scripts/configs/x86_64-kvm.config, W=1,
#                       at the baseline and after every patch (bisectable):
#                       no error (KVM's warnings are errors) and no warning
#                       that the baseline does not have.  Sparse (C=2) runs
#                       at the baseline and at the tip for the sparse stage.
# build:x86_64-no-mmu-notifier
#                       tinyconfig + scripts/configs/x86_64-no-mmu-notifier.config,
#                       the whole kernel at the tip, CONFIG_MMU_NOTIFIER off.
#
# On a second tree (CHECK_SCOPE=second) only the baseline and the tip are
# built, and the tinyconfig kernel is not.
#
# Builds happen in build/bisect-src, a clone that steps through the
# series, with objects in build/kbuild/CONFIG.  A commit that already
# built with the same configuration and targets is not built again.
set -uo pipefail
. scripts/check-lib.sh
. scripts/kbuild-lib.sh
me=scripts/check-build.sh

SRC=$BUILD/bisect-src
KBUILD=$BUILD/kbuild
JOBS=${JOBS:-$(nproc)}

# The objects to build: every .c file the series touches, KVM's through
# arch/x86/kvm/, whose Makefile builds virt/kvm/.
targets() {
	series_files | while read -r f; do
		case $f in
		virt/kvm/*.c | arch/x86/kvm/*.c) echo arch/x86/kvm/ ;;
		*.c) echo "${f%.c}.o" ;;
		esac
	done | sort -u
}

# sparse_commit SHA DIR OUT TARGET...: sparse's findings on TARGETs at SHA
# in OUT; fails if the tree's Makefile did not run sparse at all.
sparse_commit() {
	local sha=$1 dir=$2 out=$3 log
	shift 3
	log=$out.log
	git -C "$SRC" checkout -q --detach "$sha"
	set -- $(present "$@")
	make -C "$SRC" O="$(realpath "$dir")" -j"$JOBS" W=1 C=2 CHECK="$SPARSE" "$@" \
		> "$log" 2>&1
	if grep -q "specified, but .* is not available or not up to date" "$log" ||
	   ! grep -q '^  CHECK ' "$log"; then
		echo "$me: $SPARSE did not run (see $log)" >&2
		return 1
	fi
	# sparse's own findings: a compiler warning ("[-W...]") shows only if
	# make happened to recompile the file here, and the build checks
	# those against the baseline's anyway.
	{ grep -E ': (warning|error): ' "$log" | grep -vE '\[-W[^]]+\]$' || true; } |
		sed -E 's|^.*/bisect-src/||' > "$out.tmp" && mv "$out.tmp" "$out"
}

bisect_builds() {
	local cfg=x86_64-kvm dir=$KBUILD/x86_64-kvm key base n=0 sha name log stamp
	local -a tgts commits
	mapfile -t tgts < <(targets)
	mapfile -t commits < <(series_commits)
	# A second tree: the baseline and the tip only.
	[ "${CHECK_SCOPE:-}" = second ] && commits=("${commits[-1]}")
	base=$(series_base)
	# sparse-findings-2: the stamps of sparse's findings no longer hold
	# compiler warnings.
	key=$( { echo sparse-findings-2; cat scripts/configs/$cfg.config; printf '%s\n' "${tgts[@]}"; gcc --version | head -n 1; } | sha1sum | cut -c1-12)
	mkdir -p "$dir.stamps"

	local log0
	log0=$(check_log "build:$cfg:00-baseline")
	if [ -f "$dir.stamps/$base-$key.warnings" ] && [ -f "$dir.stamps/$base-$key.sparse" ]; then
		check_record "build:$cfg:00-baseline" passed 0 "$log0" "cached"
	else
		# A clean build, so that every baseline warning is seen.
		rm -f "$dir/.config-stamp"
		git -C "$SRC" checkout -q --detach "$base"
		if ! configure "$dir" defconfig scripts/configs/$cfg.config > "$log0" 2>&1; then
			check_record "build:$cfg:00-baseline" failed 0 "$log0" "$(tail -n 1 "$log0")"
			return
		fi
		build_compare "build:$cfg:00-baseline" "$base" "$dir" "$log0" "" "${tgts[@]}" || return
		warnings "$log0" > "$dir.stamps/$base-$key.warnings"
		sparse_commit "$base" "$dir" "$dir.stamps/$base-$key.sparse" "${tgts[@]}"
	fi
	cp "$dir.stamps/$base-$key.sparse" "$CHECK_LOGS/sparse-baseline.txt"

	for sha in "${commits[@]}"; do
		n=$((n + 1))
		name=$(printf 'build:%s:%02d' "$cfg" "$n")
		[ "${CHECK_SCOPE:-}" = second ] && name=build:$cfg:tip
		log=$(check_log "$name")
		stamp=$dir.stamps/$sha-$key.ok
		if [ -f "$stamp" ]; then
			check_record "$name" passed 0 "$log" "cached, built at $(cat "$stamp")"
			continue
		fi
		configure "$dir" defconfig scripts/configs/$cfg.config > /dev/null 2>&1
		build_compare "$name" "$sha" "$dir" "$log" "$dir.stamps/$base-$key.warnings" \
			"${tgts[@]}" && date -u +%FT%TZ > "$stamp"
	done

	sha=${commits[-1]}
	if [ ! -f "$dir.stamps/$sha-$key.sparse" ]; then
		sparse_commit "$sha" "$dir" "$dir.stamps/$sha-$key.sparse" "${tgts[@]}"
	fi
	cp "$dir.stamps/$sha-$key.sparse" "$CHECK_LOGS/sparse-tip.txt"

	# A topic built again on its own start (scripts/series.py) is built
	# patch by patch too: each topic is mailed, applied and bisected on
	# its own.  On a second tree, its tip only.
	local topic last=
	local -A nth=()
	while read -r topic sha; do
		nth[$topic]=$(( ${nth[$topic]:-0} + 1 ))
		name=$(printf 'build:%s:%s:%02d' "$cfg" "$topic" "${nth[$topic]}")
		if [ "${CHECK_SCOPE:-}" = second ]; then
			last=$topic:$sha
			continue
		fi
		topic_build "$name" "$sha" || true
	done < <(series_rebuilt_commits)
	if [ -n "$last" ]; then
		topic_build "build:$cfg:${last%%:*}:tip" "${last#*:}"
	fi
}

# topic_build NAME SHA: one build of bisect_builds()'s configuration and
# targets (its locals cfg, dir, key, base, tgts), cached by stamp.
topic_build() {
	local name=$1 sha=$2 log stamp
	log=$(check_log "$name")
	stamp=$dir.stamps/$sha-$key.ok
	if [ -f "$stamp" ]; then
		check_record "$name" passed 0 "$log" "cached, built at $(cat "$stamp")"
		return 0
	fi
	configure "$dir" defconfig scripts/configs/$cfg.config > /dev/null 2>&1
	build_compare "$name" "$sha" "$dir" "$log" "$dir.stamps/$base-$key.warnings" \
		"${tgts[@]}" && date -u +%FT%TZ > "$stamp"
}

no_mmu_notifier_build() {
	local cfg=x86_64-no-mmu-notifier dir=$KBUILD/x86_64-no-mmu-notifier sha name log key t0
	sha=$(series_commits | tail -n 1)
	name=build:$cfg
	log=$(check_log "$name")
	key=$( { cat scripts/configs/$cfg.config; gcc --version | head -n 1; } | sha1sum | cut -c1-12)
	mkdir -p "$dir.stamps"
	if [ -f "$dir.stamps/$sha-$key.ok" ]; then
		check_record "$name" passed 0 "$log" "cached"
		return
	fi
	t0=$(date +%s)
	git -C "$SRC" checkout -q --detach "$sha"
	if configure "$dir" tinyconfig scripts/configs/$cfg.config > "$log" 2>&1 &&
	   make -C "$SRC" O="$(realpath "$dir")" -j"$JOBS" >> "$log" 2>&1; then
		check_record "$name" passed $(( $(date +%s) - t0 )) "$log"
		date -u +%FT%TZ > "$dir.stamps/$sha-$key.ok"
	else
		check_record "$name" failed $(( $(date +%s) - t0 )) "$log" \
			"$(grep -m1 -E 'error:|Error [0-9]|did not make it into the' "$log" | cut -c1-120)"
	fi
}

scripts/tree.sh clone "$SRC" > /dev/null || exit 1
# A sparse the tree accepts (7.x wants a newer one than Debian 12's).
SPARSE=$(scripts/sparse.sh "$SRC") || exit 1
series_fetch_into "$SRC" || exit 1
mkdir -p "$KBUILD"
bisect_builds
[ "${CHECK_SCOPE:-}" = second ] || no_mmu_notifier_build
