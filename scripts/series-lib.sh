# SPDX-License-Identifier: GPL-2.0
#
# series-lib.sh - the series that `make` produced, read from
# "${OUT:-out}/series/series.json"; source it.

# The series under test, from "${OUT:-out}/series/series.json".
series_base() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["base"])' "${OUT:-out}/series/series.json"; }
series_commits() { python3 -c 'import json,sys; [print(p["commit"]) for p in json.load(open(sys.argv[1]))["patches"]]' "${OUT:-out}/series/series.json"; }
series_files() { python3 -c 'import json,sys; print("\n".join(sorted({f for p in json.load(open(sys.argv[1]))["patches"] for f in p["files"]})))' "${OUT:-out}/series/series.json"; }
# The topics, in order: "NAME AFTER START TIP COVER" per line, AFTER "-"
# where the topic needs no other.
series_topics() { python3 -c 'import json,sys
for t in json.load(open(sys.argv[1]))["topics"]:
    print(t["name"], t["after"] or "-", t["start"], t["tip"], t["cover"])' "${OUT:-out}/series/series.json"; }
# series_topic_alone NAME: how many of its first patches need only the base.
series_topic_alone() { python3 -c 'import json,sys
print(next(t["alone"] for t in json.load(open(sys.argv[1]))["topics"] if t["name"] == sys.argv[2]))' "${OUT:-out}/series/series.json" "$1"; }
# The commits of the topics built again on their own start: "NAME SHA".
series_rebuilt_commits() { python3 -c 'import json,sys
for t in json.load(open(sys.argv[1]))["topics"]:
    if t["rebuilt"]:
        [print(t["name"], c) for c in t["commits"]]' "${OUT:-out}/series/series.json"; }
# same_as_branch REPO START TIP OSTART: the commits START..HEAD of REPO
# (applied mails) have the tree of TIP and, in order, the authors and
# messages of OSTART..TIP (out/linux's, fetched into REPO).  Says which
# differs.
same_as_branch() {
	local repo=$1 start=$2 tip=$3 ostart=$4
	git -C "$repo" diff --stat --exit-code HEAD "$tip" || {
		echo "the applied mails give another tree than $tip"
		return 1
	}
	diff -u <(git -C "$repo" log --reverse --format='%an <%ae>%n%B' "$ostart..$tip") \
		<(git -C "$repo" log --reverse --format='%an <%ae>%n%B' "$start..HEAD") || {
		echo "the applied mails' commit messages or authors differ from $ostart..$tip"
		return 1
	}
}
# series_fetch_into REPO: out/linux's combined branch and each topic's,
# as series-under-test and TOPIC-under-test in REPO.
series_fetch_into() {
	git -C "$1" fetch -q "$(realpath "${OUT:-out}/linux")" \
		"+series:refs/heads/series-under-test" \
		$(series_topics | while read -r name _; do echo "+$name:refs/heads/$name-under-test"; done)
}
