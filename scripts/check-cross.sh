#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check-cross.sh - the series on the other architectures KVM and mm run
# on, with Debian's cross compilers.
#
# cross:ARCH:00-baseline, cross:ARCH:series (or one check per patch,
# cross:ARCH:NN, with CROSS_PER_PATCH=1: make cross-bisect)
#     ARCH's defconfig + scripts/configs/cross-ARCH.config (KVM as the
#     architecture allows it, the series' KUnit suites), W=1, building
#     what the series touches that ARCH builds: no error, and no warning
#     that the baseline does not have.
# cross:arm64-tiny:tinyconfig
#     the whole arm64 kernel at the tip, MMU notifiers and KVM off
#     (x86_64's is the build stage's tinyconfig kernel,
#     x86_64-no-mmu-notifier).
#
# Builds happen in build/bisect-src (shared with the build stage; or
# CROSS_SRC=), with
# objects in build/kbuild/cross-ARCH; a commit that already built with the
# same configuration, targets and compiler is not built again.
# CROSS_ARCHES="arm64 s390x" limits the run to those (names: arm64,
# riscv64, s390x, powerpc64le, arm64-tiny); make check does arm64 alone,
# make cross all of them.
set -uo pipefail
. scripts/check-lib.sh
me=scripts/check-cross.sh
SRC=${CROSS_SRC:-$BUILD/bisect-src}
. scripts/kbuild-lib.sh

KBUILD=$BUILD/kbuild
JOBS=${JOBS:-$(nproc)}

# NAME ARCH CROSS_COMPILE DEFCONFIG
ARCHES=(
	"arm64 arm64 aarch64-linux-gnu- defconfig"
	"riscv64 riscv riscv64-linux-gnu- defconfig"
	"s390x s390 s390x-linux-gnu- defconfig"
	"powerpc64le powerpc powerpc64le-linux-gnu- ppc64le_defconfig"
)
# NAME ARCH CROSS_COMPILE CONFIG: whole kernels, at the tip.  x86_64's is
# the build stage's tinyconfig kernel (x86_64-no-mmu-notifier, which has
# the KUnit suites too); allnoconfig differs from tinyconfig only in size
# options, so neither architecture builds both.
SMALL=(
	"arm64-tiny arm64 aarch64-linux-gnu- tinyconfig"
)

# targets SRCARCH: what ARCH builds of the series' files.  KVM's generic
# files (virt/kvm/) are built through the architecture's KVM directory;
# another architecture's files and x86-only drivers are not ARCH's.
targets() {
	local arch=$1 f
	series_files | while read -r f; do
		case $f in
		virt/kvm/*.c) echo "arch/$arch/kvm/" ;;
		arch/"$arch"/*.c) echo "${f%.c}.o" ;;
		arch/* | drivers/misc/sgi-gru/*) ;;
		*.c) echo "${f%.c}.o" ;;
		esac
	done | sort -u
}

cross_arch() {
	local name=$1 arch=$2 cross=$3 defconfig=$4
	local frag=scripts/configs/cross-$name.config dir=$KBUILD/cross-$name
	local key base n=0 sha cname log log0 stamp
	local -a tgts commits
	export ARCH=$arch CROSS_COMPILE=$cross
	if ! command -v "${cross}gcc" > /dev/null; then
		check_record "cross:$name:00-baseline" failed 0 - "${cross}gcc not found (scripts/deps.sh installs it)"
		return
	fi
	mapfile -t tgts < <(targets "$arch")
	base=$(series_base)
	if [ "${CROSS_PER_PATCH:-0}" = 1 ]; then
		mapfile -t commits < <(series_commits)
	else
		commits=("$(series_commits | tail -n 1)")
	fi
	key=$( { cat "$frag"; printf '%s\n' "${tgts[@]}"; "${cross}gcc" --version | head -n 1; } | sha1sum | cut -c1-12)
	mkdir -p "$dir.stamps"

	log0=$(check_log "cross:$name:00-baseline")
	if [ -f "$dir.stamps/$base-$key.warnings" ]; then
		check_record "cross:$name:00-baseline" passed 0 "$log0" "cached"
	else
		rm -f "$dir/.config-stamp"
		git -C "$SRC" checkout -q --detach "$base"
		if ! configure "$dir" "$defconfig" "$frag" > "$log0" 2>&1; then
			check_record "cross:$name:00-baseline" failed 0 "$log0" "$(tail -n 1 "$log0")"
			return
		fi
		build_compare "cross:$name:00-baseline" "$base" "$dir" "$log0" "" "${tgts[@]}" || return
		warnings "$log0" > "$dir.stamps/$base-$key.warnings"
	fi

	for sha in "${commits[@]}"; do
		n=$((n + 1))
		if [ ${#commits[@]} -eq 1 ]; then
			cname=cross:$name:series
		else
			cname=$(printf 'cross:%s:%02d' "$name" "$n")
		fi
		log=$(check_log "$cname")
		stamp=$dir.stamps/$sha-$key.ok
		if [ -f "$stamp" ]; then
			check_record "$cname" passed 0 "$log" "cached, built at $(cat "$stamp")"
			continue
		fi
		configure "$dir" "$defconfig" "$frag" > /dev/null 2>&1
		build_compare "$cname" "$sha" "$dir" "$log" "$dir.stamps/$base-$key.warnings" \
			"${tgts[@]}" && date -u +%FT%TZ > "$stamp"
	done
}

small_kernel() {
	local name=$1 arch=$2 cross=$3 config=$4
	local dir=$KBUILD/cross-$name-$config sha cname=cross:$name:$config log key t0
	[ "$cross" = - ] && cross=
	export ARCH=$arch CROSS_COMPILE=$cross
	sha=$(series_commits | tail -n 1)
	log=$(check_log "$cname")
	key=$( { echo "$config"; "${cross}gcc" --version | head -n 1; } | sha1sum | cut -c1-12)
	mkdir -p "$dir.stamps"
	if [ -f "$dir.stamps/$sha-$key.ok" ]; then
		check_record "$cname" passed 0 "$log" "cached"
		return
	fi
	t0=$(date +%s)
	git -C "$SRC" checkout -q --detach "$sha"
	rm -rf "$dir"
	mkdir -p "$dir"
	if { make -C "$SRC" O="$(realpath "$dir")" "$config" &&
	     ! grep -qE '^CONFIG_(MMU_NOTIFIER|KVM)=' "$dir/.config" &&
	     make -C "$SRC" O="$(realpath "$dir")" -j"$JOBS"; } > "$log" 2>&1; then
		check_record "$cname" passed $(( $(date +%s) - t0 )) "$log"
		date -u +%FT%TZ > "$dir.stamps/$sha-$key.ok"
	else
		check_record "$cname" failed $(( $(date +%s) - t0 )) "$log" \
			"$(grep -m1 -E 'error:|Error [0-9]' "$log" | cut -c1-120)"
	fi
}

scripts/tree.sh clone "$SRC" > /dev/null || exit 1
git -C "$SRC" fetch -q "$(realpath "$OUT/linux")" "+series:refs/heads/series-under-test" || exit 1
mkdir -p "$KBUILD"
# CROSS_ARCHES="arm64 s390x": only those (make cross-bisect CROSS_ARCHES=...)
wanted() { [ -z "${CROSS_ARCHES:-}" ] || [[ " $CROSS_ARCHES " == *" $1 "* ]]; }
for a in "${ARCHES[@]}"; do
	# shellcheck disable=SC2086
	if wanted ${a%% *}; then cross_arch $a; fi
done
for k in "${SMALL[@]}"; do
	# shellcheck disable=SC2086
	if wanted ${k%% *}; then small_kernel $k; fi
done
