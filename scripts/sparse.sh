#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# sparse.sh TREE - print the path of a sparse that the kernel tree TREE
# accepts for C=1/C=2.
#
# 7.x's Makefile checks its sparse with scripts/checker-valid.sh, which
# wants __typeof_unqual__; Debian 12's sparse (0.6.4) lacks it, and `make
# C=2` then checks nothing and says so in one warning.  Where the
# machine's sparse is not accepted, Debian unstable's sparse source is
# fetched with a private apt state (its own sources list naming the
# archive this machine's apt uses, suite sid, deb-src only; its own lists
# and cache), checked by apt, and its sparse built once per machine, next
# to the compiler cache ($XDG_CACHE_HOME or ~/.cache, under
# inval-gate-series/), keyed by its version.  Nothing is installed and the
# machine's apt configuration is not touched.  A failure names the package
# and what went wrong.
set -euo pipefail
me=scripts/sparse.sh
die() { echo "$me: $*" >&2; exit 1; }

[ $# -eq 1 ] || die "usage: $me TREE"
tree=$1

# accepted SPARSE: does TREE's Makefile accept SPARSE as its checker?
accepted() {
	[ -x "$tree/scripts/checker-valid.sh" ] || return 0
	[ "$("$tree/scripts/checker-valid.sh" "$1" -m64 2>/dev/null)" = 1 ] &&
		"$1" --version > /dev/null 2>&1
}

mine=$(command -v sparse || true)
if [ -n "$mine" ] && accepted "$mine"; then
	echo "$mine"
	exit 0
fi

cache=${XDG_CACHE_HOME:-$HOME/.cache}/inval-gate-series
A=$cache/apt-sid
uri=$(apt-get indextargets --format '$(REPO_URI) $(RELEASE)' 2>/dev/null |
	awk '$2 == "bookworm" || $2 == "trixie" { print $1; exit }')
[ -n "$uri" ] || die "sparse: this machine's apt names no Debian archive to fetch it from"

# Reuse a sparse built from the version sid has now.
mkdir -p "$A/lists/partial" "$A/cache/archives/partial" "$A/src"
echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $uri sid main" \
	> "$A/sources.list"
o=(-o "Dir::Etc::SourceList=$A/sources.list" -o Dir::Etc::SourceParts=/dev/null
   -o "Dir::State::Lists=$A/lists" -o "Dir::Cache=$A/cache"
   -o "Dir::State::status=/dev/null" -o APT::Sandbox::User=root)
log=$A/apt.log
if ! apt-get "${o[@]}" update > "$log" 2>&1; then
	die "sparse: apt-get update of sid's sources failed: $(grep -E '^(E|W):' "$log" | head -n 3 | tr '\n' ' ')"
fi
version=$(apt-cache "${o[@]}" showsrc sparse 2>/dev/null | sed -n 's/^Version: //p' | head -n 1)
[ -n "$version" ] || die "sparse: sid lists no source package sparse"
dir=$cache/sparse-$version
if [ -x "$dir/sparse" ] && accepted "$dir/sparse"; then
	echo "$dir/sparse"
	exit 0
fi

echo "  SPARSE  building sid's sparse $version (once per machine) in $dir" >&2
rm -rf "$A/src" "$dir"
mkdir -p "$A/src" "$dir"
if ! (cd "$A/src" && apt-get "${o[@]}" source --download-only "sparse=$version") >> "$log" 2>&1; then
	die "sparse: apt-get source sparse=$version failed: $(grep -E '^(E|W):' "$log" | tail -n 3 | tr '\n' ' ')"
fi
orig=$(ls "$A"/src/sparse_*.orig.tar.* 2>/dev/null | head -n 1)
[ -n "$orig" ] || die "sparse: apt-get source left no sparse_*.orig.tar.* in $A/src"
tar -C "$A/src" -xf "$orig" || die "sparse: cannot unpack $orig"
srcdir=$(find "$A/src" -mindepth 1 -maxdepth 1 -type d -name 'sparse*' | head -n 1)
[ -n "$srcdir" ] || die "sparse: $orig holds no sparse*/ folder"
# Only the checker: no GTK, LLVM, sqlite or libxml front ends.
if ! make -C "$srcdir" -j"$(nproc)" sparse HAVE_GTK=no HAVE_LLVM=no \
		HAVE_SQLITE=no HAVE_LIBXML=no > "$dir/build.log" 2>&1; then
	die "sparse: building $version failed, see $dir/build.log"
fi
cp "$srcdir/sparse" "$dir/sparse"
accepted "$dir/sparse" ||
	die "sparse: sid's sparse $version is not accepted by $tree/scripts/checker-valid.sh either"
echo "$dir/sparse"
