#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# debian-source.sh VERSION - print the path of Debian's linux-source-VERSION
# tarball, fetching it first if this machine does not have it.
#
# The trees the project knows (see README, "The trees"):
#
#   7.3   linux-source-7.3 from trixie-backports: downloaded with a private
#         apt state under build/debian/ (its own sources list naming the
#         archive this machine's apt already uses, its own lists and cache),
#         checked by apt as usual, extracted with dpkg-deb, never installed;
#         the tarball is kept in ~/.cache/inval-gate-series/debian/ by
#         version, so that another clone only asks apt which version is
#         the newest.
#   6.12  linux-source-6.12, Debian 12's own, installed by scripts/deps.sh
#         (/usr/src/linux-source-6.12.tar.xz).
#
# The machine's apt configuration is never changed.  A failure names the
# package and what apt said.
set -euo pipefail
me=scripts/debian-source.sh
die() { echo "$me: $*" >&2; exit 1; }

[ $# -eq 1 ] || die "usage: $me VERSION"
version=$1
pkg=linux-source-$version
BUILD=${BUILD:-build}

case $version in
6.12) suite= ;;
7.3) suite=trixie-backports ;;
*) die "$pkg: not a tree the project knows (7.3 or 6.12; use KDIR= for any kernel git tree)" ;;
esac

# Installed on the machine (6.12 by deps.sh): use it as it is.
if [ -f "/usr/src/$pkg.tar.xz" ]; then
	echo "/usr/src/$pkg.tar.xz"
	exit 0
fi
[ -n "$suite" ] || die "$pkg: /usr/src/$pkg.tar.xz is missing (scripts/deps.sh installs it)"

A=$(realpath -m "$BUILD/debian")
tarball=$A/root/usr/src/$pkg.tar.xz
if [ -f "$tarball" ] && [ -f "$A/$pkg.ok" ]; then
	echo "$tarball"
	exit 0
fi

# The archive the machine's apt already uses for its own release.
uri=$(apt-get indextargets --format '$(REPO_URI) $(RELEASE)' 2>/dev/null |
	awk '$2 == "bookworm" || $2 == "trixie" { print $1; exit }')
[ -n "$uri" ] || uri=$(apt-get indextargets --format '$(REPO_URI)' 2>/dev/null |
	grep -m1 '/debian/$' || true)
[ -n "$uri" ] || die "$pkg: this machine's apt names no Debian archive to fetch it from"

mkdir -p "$A/lists/partial" "$A/cache/archives/partial" "$A/root"
echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $uri $suite main" \
	> "$A/sources.list"
# A private state: nothing under /etc/apt or /var/lib/apt is read for
# sources or written.  Downloads run as the caller (no _apt sandbox), into
# folders of the project's.
o=(-o "Dir::Etc::SourceList=$A/sources.list" -o Dir::Etc::SourceParts=/dev/null
   -o "Dir::State::Lists=$A/lists" -o "Dir::Cache=$A/cache"
   -o "Dir::State::status=/dev/null" -o APT::Sandbox::User=root)
log=$A/apt.log
echo "  FETCH   $pkg ($suite, $uri)" >&2
if ! apt-get "${o[@]}" update > "$log" 2>&1; then
	die "$pkg: apt-get update of $suite failed: $(grep -E '^(E|W):' "$log" | head -n 3 | tr '\n' ' ')"
fi
# The tarball of this version, if an earlier run (of any clone on this
# machine) extracted it: kept outside the clone, keyed by the package's
# version, so that a fresh clone downloads nothing apt already gave.
ver=$(apt-cache "${o[@]}" policy "$pkg" 2>>"$log" | awk '$1 == "Candidate:" { print $2 }')
cache=${XDG_CACHE_HOME:-$HOME/.cache}/inval-gate-series/debian
kept=$cache/${pkg}_$ver.tar.xz
if [ -n "$ver" ] && [ "$ver" != "(none)" ] && [ -f "$kept" ]; then
	echo "  REUSE   $kept" >&2
	rm -rf "$A/root"
	mkdir -p "$(dirname "$tarball")"
	ln "$kept" "$tarball" 2>/dev/null || cp "$kept" "$tarball"
	echo "${pkg}_$ver (kept)" > "$A/$pkg.ok"
	echo "$tarball"
	exit 0
fi
rm -f "$A"/"$pkg"_*.deb
if ! (cd "$A" && apt-get "${o[@]}" download "$pkg") >> "$log" 2>&1; then
	die "$pkg: apt-get download failed: $(grep -E '^(E|W):' "$log" | tail -n 3 | tr '\n' ' ')"
fi
deb=$(ls "$A"/"$pkg"_*.deb 2>/dev/null | head -n 1)
[ -n "$deb" ] || die "$pkg: apt-get download left no .deb in $A"
rm -rf "$A/root"
mkdir -p "$A/root"
dpkg-deb -x "$deb" "$A/root" || die "$pkg: dpkg-deb -x $deb failed"
[ -f "$tarball" ] || die "$pkg: $deb holds no usr/src/$pkg.tar.xz"
rm -f "$deb"
if [ -n "$ver" ] && [ "$ver" != "(none)" ]; then
	mkdir -p "$cache"
	{ ln "$tarball" "$kept.tmp" 2>/dev/null || cp "$tarball" "$kept.tmp"; } && mv "$kept.tmp" "$kept"
fi
basename "$deb" > "$A/$pkg.ok"
echo "$tarball"
