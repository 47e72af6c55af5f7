#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check-b4.sh - each topic's series as b4 would send it, offline.
#
# On a scratch clone of out/linux (build/b4), each topic's branch is
# enrolled with `b4 prep -e START` (the base, or the tip of the topic it
# needs), gets its cover letter (out/series/TOPIC/cover.txt, as in the
# mails) and its To/Cc from the tree's scripts/get_maintainer.pl (`b4 prep
# --auto-to-cc`), and `b4 send -o DIR` writes the mails without sending
# (an SMTP server is named in the clone's config so that b4 does not
# want its web endpoint).  Checks, per topic:
#   b4:send:TOPIC  b4 ran, printed no WARNING, ERROR or CRITICAL line, and
#                  addressed the mails (To: or Cc: on the cover letter);
#   b4:same:TOPIC  b4's mails apply with git am on the topic's start and
#                  give out/linux's branch TOPIC, with the same commit
#                  messages and authors.
set -uo pipefail
. scripts/check-lib.sh
me=scripts/check-b4.sh

work=$(realpath -m "$BUILD/b4")
# b4's clone, where its mails are also applied (on a detached HEAD, which
# leaves b4's branches alone).
clone=$work/linux am=$work/linux

prepare() {
	local author name email
	command -v b4 > /dev/null || { echo "$me: no b4 (scripts/deps.sh installs it)"; return 1; }
	author=$(git -C "$OUT/linux" log -1 --format='%an <%ae>' series)
	name=${author% <*} email=${author##*<} email=${email%>}
	rm -rf "$work" && mkdir -p "$work" || return 1
	git clone -q --shared --branch series "$(realpath "$OUT/linux")" "$clone" || return 1
	git -C "$clone" config user.name "$name"
	git -C "$clone" config user.email "$email"
	git -C "$clone" config sendemail.smtpServer localhost
}

send() {
	local topic=$1 start=$2 mails=$work/mails/$1 log=$work/b4-$1.log
	[ -d "$clone" ] || { echo "$me: no scratch clone $clone"; return 1; }
	git -C "$clone" checkout -q -B "b4-$topic" "origin/$topic" || return 1
	printf '#!/bin/sh\ncat %q > "$1"\n' "$(realpath "$OUT/series/$topic/cover.txt")" > "$work/editor-$topic"
	chmod +x "$work/editor-$topic"
	(
		cd "$clone" &&
		b4 prep -e "$start" &&
		EDITOR=$work/editor-$topic b4 prep --edit-cover &&
		b4 prep --auto-to-cc &&
		b4 send -o "$mails" --no-sign
	) > "$log" 2>&1
	local rc=$?
	cat "$log"
	[ $rc -eq 0 ] || { echo "$me: b4 failed on $topic (exit $rc)"; return 1; }
	if grep -E '^(WARNING|ERROR|CRITICAL)' "$log"; then
		echo "$me: b4 warned on $topic, see above"
		return 1
	fi
	ls "$mails"/0000-*.eml > /dev/null 2>&1 || { echo "$me: no cover letter in $mails"; return 1; }
	grep -qE '^(To|Cc): ' "$mails"/0000-*.eml || { echo "$me: $topic's cover letter has no To: or Cc:"; return 1; }
	echo "== $(ls "$mails" | wc -l) mails, cover letter to $(grep -cE '^\s+\+ (To|Cc):' "$log") addresses"
}

same() {
	local topic=$1 start=$2 tip=$3 mails=$work/mails/$1 n
	[ -d "$mails" ] || { echo "$me: no mails from b4:send:$topic"; return 1; }
	git -C "$am" checkout -q -f --detach "$start" || return 1
	GIT_COMMITTER_NAME=check GIT_COMMITTER_EMAIL=check@example.org \
		git -C "$am" am -q $(ls "$mails"/*.eml | grep -v '/0000-') || {
		echo "$me: b4's mails of $topic do not apply with git am on $start"
		return 1
	}
	n=$(git -C "$am" rev-list --count "$start"..HEAD)
	echo "applied $n patches on $start"
	same_as_branch "$am" "$start" "$tip" "$start" || {
		echo "$me: b4's mails are not out/linux's branch $topic"
		return 1
	}
}

check_run "b4:prepare" prepare
while read -r topic _ start tip _; do
	check_run "b4:send:$topic" send "$topic" "$start"
	check_run "b4:same:$topic" same "$topic" "$start" "$tip"
done < <(series_topics)
