#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check-litmus.sh - the ordering claims of the three headers, proven with
# the Linux-kernel memory model (LKMM): each kunit/litmus/*.litmus is run
# by herd7 against the tree's own tools/memory-model, and must give the
# result its "Result:" line states.  Each of its "Without LABEL: TEXT =>
# REPLACEMENT" lines names a barrier (or acquire, release, full ordering)
# the claim rests on: the test with TEXT replaced (TEXT must occur exactly
# once below the comment) must then give "Sometimes", which shows the
# barrier is needed.  Each such LABEL also has a line "Code LABEL: FILE
# FUNCTION: TEXT" naming where the tree has that barrier: FUNCTION's body
# in FILE (the tree with the series applied) must contain TEXT
# (scripts/litmus-code.py), so that the stage fails when the code loses
# the barrier the model relies on, not only when the model does.  A Code
# line may also stand alone, for a call that brings the barrier another
# Code line checks where it is defined.  One check per test, per Without
# line and per Code line.  "(*" would open a
# comment inside the litmus comment: write it "(\*" there.
set -uo pipefail
. scripts/check-lib.sh
me=scripts/check-litmus.sh

lkmm=$OUT/linux/tools/memory-model
[ -f "$lkmm/linux-kernel.cfg" ] || { echo "$me: $lkmm/linux-kernel.cfg: no memory model in the tree" >&2; exit 1; }
herd=$(scripts/herd7.sh) || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# observe FILE: herd7's observation (Never, Sometimes, Always) for FILE
observe() {
	(cd "$lkmm" && "$herd" -conf linux-kernel.cfg "$1") 2>&1 | tee -a "$log" |
		sed -n 's/^Observation [^ ]* \([A-Za-z]*\).*/\1/p'
}

# check_litmus NAME FILE EXPECTED: run FILE, record NAME
check_litmus() {
	local name=$1 file=$2 want=$3 t0 got
	log=$(check_log "$name")
	t0=$(date +%s)
	: > "$log"
	got=$(observe "$file")
	if [ "$got" = "$want" ]; then
		check_record "$name" passed $(( $(date +%s) - t0 )) "$log"
	else
		check_record "$name" failed $(( $(date +%s) - t0 )) "$log" \
			"$file: herd7 says '${got:-no observation}', expected $want"
	fi
}

tests=(kunit/litmus/*.litmus)
[ -e "${tests[0]}" ] || { echo "$me: no kunit/litmus/*.litmus" >&2; exit 1; }
for t in "${tests[@]}"; do
	base=$(basename "$t" .litmus)
	want=$(sed -n 's/^ \* Result: *//p' "$t")
	case $want in
	Never|Sometimes|Always) ;;
	*) echo "$me: $t: no ' * Result: Never|Sometimes|Always' line" >&2; exit 1 ;;
	esac
	check_litmus "litmus:$base" "$(realpath "$t")" "$want"

	# The code below the comment is what a mutation may change.
	body_start=$(grep -n '^ \*)$' "$t" | head -n 1 | cut -d: -f1)
	[ -n "$body_start" ] || { echo "$me: $t: no end of comment ' *)'" >&2; exit 1; }
	while IFS= read -r line; do
		re='^([a-z0-9-]+): (.+) =>( (.*))?$'
		if ! [[ $line =~ $re ]]; then
			echo "$me: $t: 'Without $line' is not 'Without LABEL: TEXT => [REPLACEMENT]'" >&2
			exit 1
		fi
		label=${BASH_REMATCH[1]} from=${BASH_REMATCH[2]} to=${BASH_REMATCH[4]}
		from=${from//'(\*'/'(*'} to=${to//'(\*'/'(*'}
		n=$(tail -n +"$body_start" "$t" | grep -cF -- "$from")
		if [ "$n" -ne 1 ]; then
			echo "$me: $t: 'Without $label': '$from' occurs $n times below the comment, not once" >&2
			exit 1
		fi
		m=$tmp/$base-without-$label.litmus
		{
			head -n $(( body_start - 1 )) "$t" | sed '1s/.*/&-without-'"$label"'/'
			tail -n +"$body_start" "$t" | FROM=$from TO=$to perl -pe \
				's/\Q$ENV{FROM}\E/$ENV{TO}/'
		} > "$m"
		check_litmus "litmus:$base:without-$label" "$m" Sometimes

		if ! grep -q "^ \\* Code $label: " "$t"; then
			echo "$me: $t: 'Without $label' has no line 'Code $label: FILE FUNCTION: TEXT'" >&2
			exit 1
		fi
	done < <(sed -n 's/^ \* Without //p' "$t")

	# Every Code line, also one whose LABEL has no Without line (a call
	# that brings the barrier, checked where it is defined by another).
	while IFS= read -r code; do
		cre='^([a-z0-9-]+): ([^ ]+) ([A-Za-z0-9_]+): (.+)$'
		if ! [[ $code =~ $cre ]]; then
			echo "$me: $t: 'Code $code' is not 'Code LABEL: FILE FUNCTION: TEXT'" >&2
			exit 1
		fi
		label=${BASH_REMATCH[1]} file=${BASH_REMATCH[2]}
		func=${BASH_REMATCH[3]} text=${BASH_REMATCH[4]}
		text=${text//'(\*'/'(*'}
		check_run "litmus:$base:code-$label" \
			scripts/litmus-code.py "$OUT/linux/$file" "$func" "$text"
	done < <(sed -n 's/^ \* Code //p' "$t")
done

# A litmus test quoted in a changelog (indented by two, from "  C NAME" to
# its "  exists" line) is run as quoted: it must give what the project's
# test of the same name states, so that the mail shows a proof that holds.
for patch in "$OUT"/series/*/0*.patch; do
	[ -e "$patch" ] || continue
	while read -r name; do
		t=kunit/litmus/$name.litmus
		want=$(sed -n 's/^ \* Result: *//p' "$t" 2>/dev/null)
		q=$tmp/quoted-$name.litmus
		awk -v n="  C $name" '$0 == n { on = 1 } on { print substr($0, 3) }
			on && /^  exists/ { exit }' "$patch" > "$q"
		if [ -z "$want" ]; then
			check_record "litmus:quoted:$name" failed 0 "$patch" \
				"$(basename "$patch") quotes a litmus test the project does not have ($t)"
			continue
		fi
		check_litmus "litmus:quoted:$name" "$q" "$want"
	done < <(sed -n 's/^  C \([a-z0-9-]*\)$/\1/p' "$patch")
done
