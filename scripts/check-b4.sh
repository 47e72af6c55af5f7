#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check-b4.sh - the series as b4 would send it, offline.
#
# On a scratch clone of out/linux (build/b4), branch series is enrolled
# with `b4 prep -e BASE`, gets series.cover as its cover letter and its
# To/Cc from the tree's scripts/get_maintainer.pl (`b4 prep
# --auto-to-cc`), and `b4 send -o DIR` writes the mails without sending
# (an SMTP server is named in the clone's config so that b4 does not
# want its web endpoint).  Checks:
#   b4:send      b4 ran, printed no WARNING, ERROR or CRITICAL line, and
#                addressed the mails (To: or Cc: on the cover letter);
#   b4:same      b4's mails apply with git am on the base and give
#                out/linux's tree, with the same commit messages.
set -uo pipefail
. scripts/check-lib.sh
me=scripts/check-b4.sh

work=$(realpath -m "$BUILD/b4")
clone=$work/linux mails=$work/mails am=$work/am

send() {
	local base author name email
	command -v b4 > /dev/null || { echo "$me: no b4 (scripts/deps.sh installs it)"; return 1; }
	base=$(series_base)
	author=$(git -C "$OUT/linux" log -1 --format='%an <%ae>' series)
	name=${author% <*} email=${author##*<} email=${email%>}
	rm -rf "$work" && mkdir -p "$work" || return 1
	git clone -q --shared --branch series "$(realpath "$OUT/linux")" "$clone" || return 1
	git -C "$clone" checkout -q -b b4-check || return 1
	git -C "$clone" config user.name "$name"
	git -C "$clone" config user.email "$email"
	git -C "$clone" config sendemail.smtpServer localhost
	printf '#!/bin/sh\ncat %q > "$1"\n' "$(realpath series.cover)" > "$work/editor"
	chmod +x "$work/editor"
	(
		cd "$clone" &&
		b4 prep -e "$base" &&
		EDITOR=$work/editor b4 prep --edit-cover &&
		b4 prep --auto-to-cc &&
		b4 send -o "$mails" --no-sign
	) > "$work/b4.log" 2>&1
	local rc=$?
	cat "$work/b4.log"
	[ $rc -eq 0 ] || { echo "$me: b4 failed (exit $rc)"; return 1; }
	if grep -E '^(WARNING|ERROR|CRITICAL)' "$work/b4.log"; then
		echo "$me: b4 warned, see above"
		return 1
	fi
	ls "$mails"/0000-*.eml > /dev/null 2>&1 || { echo "$me: no cover letter in $mails"; return 1; }
	grep -qE '^(To|Cc): ' "$mails"/0000-*.eml || { echo "$me: the cover letter has no To: or Cc:"; return 1; }
	echo "== $(ls "$mails" | wc -l) mails, cover letter to $(grep -cE '^\s+\+ (To|Cc):' "$work/b4.log") addresses"
}

same() {
	local base tip n
	[ -d "$mails" ] || { echo "$me: no mails from b4:send"; return 1; }
	base=$(series_base)
	tip=$(git -C "$OUT/linux" rev-parse series)
	rm -rf "$am"
	git clone -q --shared --no-checkout "$(realpath "$OUT/linux")" "$am" || return 1
	git -C "$am" checkout -q --detach "$base" || return 1
	GIT_COMMITTER_NAME=check GIT_COMMITTER_EMAIL=check@example.org \
		git -C "$am" am -q $(ls "$mails"/*.eml | grep -v '/0000-') || {
		echo "$me: b4's mails do not apply with git am on $base"
		return 1
	}
	n=$(git -C "$am" rev-list --count "$base"..HEAD)
	echo "applied $n patches on $base"
	git -C "$am" diff --stat --exit-code HEAD "$tip" || {
		echo "$me: b4's mails give another tree than out/linux's series"
		return 1
	}
	diff -u <(git -C "$OUT/linux" log --reverse --format='%an <%ae>%n%B' "$base..$tip") \
		<(git -C "$am" log --reverse --format='%an <%ae>%n%B' "$base..HEAD") || {
		echo "$me: the commit messages or authors differ from out/linux's"
		return 1
	}
}

check_run "b4:send" send
check_run "b4:same" same
