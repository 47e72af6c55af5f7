#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check-series-am.sh - the mails in out/series apply with git am on the
# base they name, and give exactly the tree of out/linux.
set -uo pipefail
. scripts/check-lib.sh

SRC=$BUILD/bisect-src

am() {
	local base tip
	base=$(series_base)
	tip=$(git -C "$OUT/linux" rev-parse series)
	scripts/tree.sh clone "$SRC" > /dev/null || return 1
	git -C "$SRC" fetch -q "$(realpath "$OUT/linux")" "+series:refs/heads/series-under-test" || return 1
	git -C "$SRC" checkout -q --detach "$base" || return 1
	GIT_COMMITTER_NAME=check GIT_COMMITTER_EMAIL=check@example.org \
		git -C "$SRC" am -q --keep-cr $(ls "$(realpath "$OUT")"/series/0*.patch | grep -v 0000-cover-letter) || {
		git -C "$SRC" am --abort
		return 1
	}
	echo "applied $(git -C "$SRC" rev-list --count "$base"..HEAD) patches on $base"
	git -C "$SRC" diff --stat --exit-code HEAD "$tip"
}

check_run "series:git-am" am
