#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check-series-am.sh - each topic's mails in out/series/TOPIC/ apply with
# git am where its cover letter says, and together give the combined
# branch.
#
#   series:git-am:TOPIC  the mails apply on the base, or on the result of
#                        applying the topic they need, and give exactly
#                        the tree and the commit messages of out/linux's
#                        branch TOPIC;
#   series:git-am:TOPIC:alone  where a topic needs another only from one
#                        of its patches on (its `from` in `series`), the
#                        patches before it apply on the base alone, as its
#                        cover letter says;
#   series:merge         the topics that need none of each other, merged,
#                        give the tree of the combined branch series.  A
#                        conflict is accepted in MAINTAINERS only, where
#                        two topics add F: lines that sort next to each
#                        other, and resolved by keeping both sides (what
#                        their cover letters tell the maintainers to do):
#                        the combined branch's MAINTAINERS must have
#                        exactly one side's lines and those the other
#                        side added, and is taken as the resolution.
set -uo pipefail
. scripts/check-lib.sh
me=scripts/check-series-am.sh

SRC=$BUILD/bisect-src
declare -A applied

am() {
	local name=$1 after=$2 ostart=$3 tip=$4 start mails
	mails=$(realpath "$OUT")/series/$name
	ls "$mails"/0*.patch > /dev/null 2>&1 || { echo "$me: no mails in $mails"; return 1; }
	start=$(series_base)
	if [ "$after" != - ]; then
		start=${applied[$after]:-}
		[ -n "$start" ] || { echo "$me: topic $name needs $after, whose mails did not apply"; return 1; }
	fi
	git -C "$SRC" checkout -q --detach "$start" || return 1
	GIT_COMMITTER_NAME=check GIT_COMMITTER_EMAIL=check@example.org \
		git -C "$SRC" am -q --keep-cr $(ls "$mails"/0*.patch | grep -v 0000-cover-letter) || {
		git -C "$SRC" am --abort
		echo "$me: $mails does not apply with git am on $start"
		return 1
	}
	echo "applied $(git -C "$SRC" rev-list --count "$start"..HEAD) patches of $name on $start"
	same_as_branch "$SRC" "$start" "$tip" "$ostart" || {
		echo "$me: $name's mails are not out/linux's branch $name"
		return 1
	}
	applied[$name]=$(git -C "$SRC" rev-parse HEAD)
}

# alone NAME N: the first N mails of NAME apply with git am on the base.
alone() {
	local name=$1 n=$2 base mails
	base=$(series_base)
	mails=$(realpath "$OUT")/series/$name
	git -C "$SRC" checkout -q --detach "$base" || return 1
	GIT_COMMITTER_NAME=check GIT_COMMITTER_EMAIL=check@example.org \
		git -C "$SRC" am -q --keep-cr $(ls "$mails"/0*.patch | grep -v 0000-cover-letter | head -n "$n") || {
		git -C "$SRC" am --abort
		echo "$me: the first $n mails of $name do not apply on the base alone"
		return 1
	}
	echo "applied $(git -C "$SRC" rev-list --count "$base"..HEAD) of $name's patches on the base alone"
}

# The topics whose tips are not an ancestor of another topic's tip are
# merged, in order; the result must be the combined branch's tree.
merge() {
	local combined heads=() name tip other otip f conflicts contained
	combined=$(git -C "$SRC" rev-parse series-under-test)
	while read -r name _ _ tip _; do
		contained=0
		while read -r other _ _ otip _; do
			[ "$other" != "$name" ] &&
				git -C "$SRC" merge-base --is-ancestor "$tip" "$otip" && contained=1
		done < <(series_topics)
		[ $contained = 1 ] && continue
		[ -n "${applied[$name]:-}" ] || { echo "$me: topic $name did not apply"; return 1; }
		heads+=("${applied[$name]}")
	done < <(series_topics)
	git -C "$SRC" checkout -q --detach "${heads[0]}" || return 1
	for tip in "${heads[@]:1}"; do
		if ! GIT_COMMITTER_NAME=check GIT_COMMITTER_EMAIL=check@example.org \
		     git -C "$SRC" merge -q --no-edit "$tip" > /dev/null 2>&1; then
			conflicts=$(git -C "$SRC" diff --name-only --diff-filter=U)
			echo "conflicts: $conflicts"
			for f in $conflicts; do
				if [ "$f" != MAINTAINERS ]; then
					git -C "$SRC" merge --abort
					echo "$me: merging $tip conflicts in $f (only MAINTAINERS may)"
					return 1
				fi
				# Keeping both sides: our lines and the lines theirs
				# added, each once, in the entry's sort order, which
				# is what the combined branch has.
				if ! diff <( { git -C "$SRC" show :2:"$f"
					       diff --unchanged-line-format= --old-line-format= \
						    --new-line-format='%L' \
						    <(git -C "$SRC" show :1:"$f") <(git -C "$SRC" show :3:"$f")
					     } | sort) \
					  <(git -C "$SRC" show "$combined":"$f" | sort); then
					git -C "$SRC" merge --abort
					echo "$me: $f of the combined branch is not both sides' lines"
					return 1
				fi
				git -C "$SRC" show "$combined":"$f" > "$SRC/$f"
				git -C "$SRC" add "$f"
			done
			GIT_COMMITTER_NAME=check GIT_COMMITTER_EMAIL=check@example.org \
				git -C "$SRC" commit -q --no-edit || return 1
		fi
	done
	echo "merged ${#heads[@]} topics"
	git -C "$SRC" diff --stat --exit-code HEAD "$combined" || {
		echo "$me: the merged topics give another tree than the combined branch series"
		return 1
	}
}

scripts/tree.sh clone "$SRC" > /dev/null || exit 1
series_fetch_into "$SRC" || exit 1
while read -r name after ostart tip _; do
	check_run "series:git-am:$name" am "$name" "$after" "$ostart" "$tip"
	# check_run runs am in this shell: applied[] keeps its result.
	n=$(series_topic_alone "$name")
	if [ "$after" != - ] && [ "$n" -gt 0 ]; then
		check_run "series:git-am:$name:alone" alone "$name" "$n"
	fi
done < <(series_topics)
check_run "series:merge" merge
