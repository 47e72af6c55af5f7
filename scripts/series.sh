#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# series.sh - regenerate the series: commits in out/linux, mails in out/series.
#
# The recipes listed in `series` are applied, topic by topic, to a scratch
# clone of the baseline (build/series-work) by scripts/series.py.  The
# combined branch is then checked out in out/linux as branch series: files
# the series did not change keep their timestamps there, so builds from
# out/linux stay incremental.  Each topic is a branch of its own there,
# and a series of mails in out/series/TOPIC/, from git format-patch
# --cover-letter --base: on the base, or after the topic it needs (its
# patches then named by prerequisite-patch-id).  Nothing is redone when no
# input changed since the last run.
set -euo pipefail
me=scripts/series.sh
die() { echo "$me: $*" >&2; exit 1; }

BUILD=${BUILD:-build}
OUT=${OUT:-out}
WORK=$BUILD/series-work
LINUX=$OUT/linux
MAILS=$OUT/series

# Who signs the patches: no made-up identity in a mail that could be sent.
if [ -z "${SERIES_AUTHOR:-}" ]; then
	name=$(git config user.name || true) email=$(git config user.email || true)
	[ -n "$name" ] && [ -n "$email" ] ||
		die "no author for From: and Signed-off-by:, set SERIES_AUTHOR='Name <email>' or git config user.name and user.email"
	SERIES_AUTHOR="$name <$email>"
fi
# An address in a domain reserved for examples (RFC 2606, RFC 6761)
# receives no mail: the series is made, but must not be sent as it is.
reserved=
if [[ $SERIES_AUTHOR =~ [@.](example|invalid|test|localhost)\>?$ ||
      $SERIES_AUTHOR =~ @example\.(com|org|net)\>?$ ]]; then
	reserved="WARNING: the author's address ($SERIES_AUTHOR) is in a domain reserved for examples: set SERIES_AUTHOR='Name <email>' before sending"
fi

t0=$(date +%s)
base=$(scripts/tree.sh baseline)

# Everything that decides the output: the project's files, the base, who
# signs, and the tools.
inputs=$({
	echo "base $base ${KDIR:-debian-${TREE:-7.3}}"
	echo "author $SERIES_AUTHOR"
	spatch --version | head -n 1
	git --version
	git ls-files -co --exclude-standard -z | sort -z | xargs -0 sha1sum
} | sha1sum | cut -d' ' -f1)

# Unchanged inputs, and out/linux as the last run left it (no local edit,
# e.g. a mutation tried by hand, survives a make).
if [ -f "$MAILS/.inputs" ] && [ "$(cat "$MAILS/.inputs")" = "$inputs" ] &&
   [ -d "$LINUX/.git" ] && [ -z "$(git -C "$LINUX" status --porcelain)" ]; then
	cat "$MAILS/summary.txt"
	echo 0 > "$MAILS/seconds"
	exit 0
fi

# The scratch clone, reset in place when it can be.
scripts/tree.sh clone "$WORK" >/dev/null
origin=$(git -C "$WORK" config --get series.origin)

rm -rf "$MAILS"
mkdir -p "$MAILS"
scripts/series.py "$WORK" "$base" "$MAILS" "$SERIES_AUTHOR"
tip=$(git -C "$WORK" rev-parse HEAD)

# out/linux: same repository, new commits fetched in, then checked out so
# that unchanged files keep their timestamps.
if [ "$(git -C "$LINUX" config --get series.origin 2>/dev/null)" != "$origin" ]; then
	scripts/tree.sh clone "$LINUX" >/dev/null
fi
. scripts/series-lib.sh
topics=$(OUT=$OUT series_topics)
refs=("+series:refs/heads/series-new")
while read -r name _; do refs+=("+$name:refs/heads/$name"); done <<< "$topics"
git -C "$LINUX" fetch -q "$(realpath "$WORK")" "${refs[@]}"
git -C "$LINUX" checkout -q -f -B series "$tip"
git -C "$LINUX" branch -q -D series-new
git -C "$LINUX" clean -q -f -d

while read -r name _ start topic_tip cover; do
	git -C "$LINUX" format-patch -q --cover-letter --base="$base" \
		-o "$(realpath "$MAILS")/$name" "$start..$topic_tip"
	# Which version of the series this is: the cover letter says what
	# make check measured only if it is the version make check had.
	SERIES_INPUTS=$inputs scripts/cover-letter.py "$MAILS" "$name" "$cover" \
		"$OUT/check/results.tsv"
done <<< "$topics"
{
	scripts/series-summary.py "$MAILS" "$LINUX"
	[ -z "$reserved" ] || echo "$reserved"
} | tee "$MAILS/summary.txt"
echo "$inputs" > "$MAILS/.inputs"
# How long this regeneration took, unpacking included (make check's table).
echo $(( $(date +%s) - t0 )) > "$MAILS/seconds"
