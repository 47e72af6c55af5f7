#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tree.sh - prepare the kernel tree the series is built on.
#
#   tree.sh check           check KDIR= and BASE=, changing nothing
#   tree.sh baseline        print the commit the series is based on,
#                           preparing the baseline repository if needed
#   tree.sh repo            print the repository the series is built from
#   tree.sh worktree DIR    make DIR a fresh clone of the baseline repository
#                           with BASE checked out on branch "series"
#   tree.sh clone DIR       the same, reusing DIR if it is such a clone
#
# Default: Debian's linux-source-$TREE (7.3; TREE=6.12 for the second
# tree), fetched by scripts/debian-source.sh, unpacked once into
# $BUILD/linux-source-$TREE and committed as a pristine baseline.  With
# KDIR=/path/to/linux.git (and BASE=, default HEAD) the user's repository
# is only read: DIR is a --shared clone of it and nothing is written under
# KDIR.
set -euo pipefail
me=scripts/tree.sh
die() { echo "$me: $*" >&2; exit 1; }

BUILD=${BUILD:-build}
TREE=${TREE:-7.3}
DEB_REPO=$BUILD/linux-source-$TREE
KDIR=${KDIR:-}
BASE=${BASE:-HEAD}

# Fixed identity and dates: the same inputs give the same commits.
export GIT_AUTHOR_NAME="Debian linux-source" GIT_AUTHOR_EMAIL="debian-kernel@lists.debian.org"
export GIT_COMMITTER_NAME=$GIT_AUTHOR_NAME GIT_COMMITTER_EMAIL=$GIT_AUTHOR_EMAIL

repo() {
	if [ -n "$KDIR" ]; then
		echo "$KDIR"
	else
		echo "$DEB_REPO"
	fi
}

check_user_tree() {
	[ -d "$KDIR" ] || die "KDIR=$KDIR: no such directory"
	git -C "$KDIR" rev-parse --git-dir >/dev/null 2>&1 ||
		die "KDIR=$KDIR is not a git repository (a kernel git tree is needed)"
	git -C "$KDIR" cat-file -e "$BASE^{commit}" 2>/dev/null ||
		die "BASE=$BASE does not name a commit in KDIR=$KDIR"
	git -C "$KDIR" cat-file -e "$BASE:virt/kvm/kvm_main.c" 2>/dev/null &&
		git -C "$KDIR" cat-file -e "$BASE:mm/mmu_notifier.c" 2>/dev/null ||
		die "KDIR=$KDIR at BASE=$BASE is not a kernel tree (no virt/kvm/kvm_main.c or mm/mmu_notifier.c)"
	if [ -n "$(git -C "$KDIR" status --porcelain --untracked-files=no 2>/dev/null)" ]; then
		die "KDIR=$KDIR has uncommitted changes; commit or stash them (the series is built from BASE=$BASE, never from a dirty tree)"
	fi
}

# Unpack Debian's tarball once and commit it as it is.
# The baseline repositories are kept next to the compiler cache too,
# keyed by the tarball's sha256: a fresh clone on the same machine takes
# its .git from there (hard links where the file system allows) instead of
# unpacking and hashing 1.5 GB again.  Git replaces a changed file by
# renaming a new one over it, so the copies share only what never changes.
# BASELINE_CACHE= (empty) turns this off.
BASELINE_CACHE=${BASELINE_CACHE-${XDG_CACHE_HOME:-$HOME/.cache}/inval-gate-series/baselines}

debian_baseline() {
	if [ -f "$DEB_REPO/.git/baseline-ok" ]; then
		return
	fi
	local tarball key cached=
	tarball=$(scripts/debian-source.sh "$TREE") || exit 1
	if [ -n "$BASELINE_CACHE" ]; then
		key=$(sha256sum "$tarball" | cut -c1-16)
		cached=$BASELINE_CACHE/linux-source-$TREE-$key
		if [ -f "$cached/.git/baseline-ok" ]; then
			echo "  REUSE   $cached (the baseline of $tarball)" >&2
			rm -rf "$DEB_REPO"
			mkdir -p "$DEB_REPO"
			cp -al "$cached/.git" "$DEB_REPO/.git" 2>/dev/null ||
				cp -a "$cached/.git" "$DEB_REPO/.git" ||
				die "cannot copy $cached/.git to $DEB_REPO"
			return
		fi
	fi
	echo "  UNPACK  $tarball" >&2
	rm -rf "$DEB_REPO" "$DEB_REPO.tmp"
	mkdir -p "$DEB_REPO.tmp"
	tar -C "$DEB_REPO.tmp" -xf "$tarball" ||
		die "$tarball: tar could not unpack it"
	[ -d "$DEB_REPO.tmp/linux-source-$TREE" ] ||
		die "$tarball: no linux-source-$TREE/ inside"
	mv "$DEB_REPO.tmp/linux-source-$TREE" "$DEB_REPO"
	rmdir "$DEB_REPO.tmp"
	(
		cd "$DEB_REPO"
		git init -q -b baseline
		# Debian's top-level .gitignore ends with "/*": add everything
		# by force, but keep the kernel's own ignore rules below it.
		git add -f -A .
		date="@$(stat -c %Y "$tarball") +0000"
		version=$(make -s kernelversion 2>/dev/null || echo "$TREE")
		GIT_AUTHOR_DATE=$date GIT_COMMITTER_DATE=$date \
			git commit -q -m "Debian linux-source-$TREE ($version), as unpacked" \
			-m "From $(basename "$tarball"), unmodified."
		touch .git/baseline-ok
	)
	if [ -n "$cached" ]; then
		rm -rf "$cached.tmp"
		mkdir -p "$cached.tmp"
		if cp -al "$DEB_REPO/.git" "$cached.tmp/.git" 2>/dev/null ||
		   cp -a "$DEB_REPO/.git" "$cached.tmp/.git"; then
			rm -rf "$cached"
			mv "$cached.tmp" "$cached"
		else
			rm -rf "$cached.tmp"
			echo "$me: could not keep the baseline in $cached (going on without)" >&2
		fi
	fi
}

baseline() {
	if [ -n "$KDIR" ]; then
		check_user_tree
		git -C "$KDIR" rev-parse "$BASE^{commit}"
	else
		debian_baseline
		git -C "$DEB_REPO" rev-parse HEAD
	fi
}

worktree() {
	local dir=$1 base
	base=$(baseline)
	rm -rf "$dir"
	mkdir -p "$(dirname "$dir")"
	# --shared: objects are read from the baseline repository, nothing
	# is written there.
	git clone -q --shared --no-checkout "$(repo)" "$dir"
	git -C "$dir" checkout -q -B series "$base"
	git -C "$dir" config core.abbrev 12
	echo "$base"
}

# Like worktree, but reuse DIR when it is already a clone of the same
# repository: a reset is much faster than checking out the whole tree.
clone() {
	local dir=$1 base origin
	base=$(baseline)
	origin=$(git -C "$(repo)" rev-parse --absolute-git-dir)
	if [ "$(git -C "$dir" config --get series.origin 2>/dev/null)" = "$origin" ]; then
		git -C "$dir" checkout -q -f -B series "$base"
		git -C "$dir" clean -q -f -d -x
	else
		worktree "$dir" >/dev/null
		git -C "$dir" config series.origin "$origin"
	fi
	echo "$base"
}

# Bad input fails here, before anything is installed, unpacked or written.
check() {
	local t
	if [ -n "$KDIR" ]; then
		check_user_tree
	elif [ "$BASE" != HEAD ]; then
		die "BASE=$BASE needs KDIR=/path/to/linux.git (the default tree has one commit)"
	fi
	[ -n "$KDIR" ] || [ -n "${TREES:-$TREE}" ] || die "TREES= names no tree (7.3, 6.12)"
	for t in ${TREES:-$TREE}; do
		case $t in
		7.3 | 6.12) ;;
		*) die "TREES=${TREES:-}: $t is not a tree the project knows (7.3, 6.12; KDIR= for any kernel git tree)" ;;
		esac
	done
}

case ${1:-} in
check) check ;;
baseline) baseline ;;
repo) repo ;;
worktree) [ $# -eq 2 ] || die "usage: $me worktree DIR"; worktree "$2" ;;
clone) [ $# -eq 2 ] || die "usage: $me clone DIR"; clone "$2" ;;
*) die "usage: $me check | baseline | repo | worktree DIR | clone DIR" ;;
esac
