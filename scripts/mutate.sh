#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# mutate.sh - `make mutate`: mutation testing of the three headers.
#
# Each line of kunit/mutations.tsv is a mutation: an exact text
# replacement in include/linux/inval_gate.h, emergency_slot.h or
# srcu_detach.h that a correct test suite must notice (a wait, count,
# claim, wakeup, misuse check, barrier or lockdep annotation dropped or
# changed).  The old text must occur exactly once in the header, else the
# run stops naming the mutation, the file and the text.  One at a time,
# each is applied to a private clone of out/linux (build/mutate/linux,
# branch series; out/linux itself is only read) and these stages run, in
# order, until one catches it:
#
#   litmus   scripts/check-litmus.sh on the mutated tree: its Code lines
#            catch a barrier, acquire or release the models rest on
#   uml      the UML KUnit cell (kunit/cells/uml.config), then the
#            cell's reference boots ("#reference:" lines, as in
#            scripts/check-kunit.sh): one whose report no longer
#            appears catches a dropped lockdep annotation
#   x86_64   a KUnit kernel under QEMU with 2 CPUs: SMP, lockdep and
#            DEBUG_ATOMIC_SLEEP, with every kunit/*.kunitconfig
#
# A mutation is caught if a check or test case fails, the kernel log holds
# a report (scripts/kernel_reports.py), or kunit.py's --timeout expires (a
# hang).  One that does not build is no test's catch: it is reported as
# invalid, a mistake in the list, and fails the run.  A stage that passes lets the mutation
# survive to the next; one that passes them all survived.  Before the
# mutations, the same stages run on the unmutated tree and must all pass,
# or nothing is tried.
#
# A mutation whose sixth field is "equivalent: REASON" changes nothing a
# test could see; its survival is reported with the reason and does not
# fail the run.  Any other survivor does: the exit status is non-zero.
#
# The project's scripts/ and kunit/ (this list, the litmus tests, the
# cells) are read from a copy made at the start, build/mutate/project:
# edits made during the run do not change the stages under it.
#
# Writes out/mutate/table.txt, results.tsv, results.json and logs/NAME/;
# the last line is "mutations: N caught, M survived".
#
#   MUTATE_ONLY="ig-enter-relaxed sd-wait-no-wait"  run only those
#   MUTATE_BASELINE=0          skip the baseline (quick reruns only)
#   MUTATE_REV=HEAD            scripts/ and kunit/ as committed, see below
#   MUTATE_UML_TIMEOUT=300     kunit.py --timeout of the UML boot, seconds
#   MUTATE_X86_TIMEOUT=900     of the x86_64 boot
set -uo pipefail
me=scripts/mutate.sh
die() { echo "$me: $*" >&2; exit 1; }

top=$PWD
list=kunit/mutations.tsv
src=$top/out/linux
work=$top/build/mutate
tree=$work/linux
snap=$work/project
res=$top/out/mutate
uml_timeout=${MUTATE_UML_TIMEOUT:-300}
x86_timeout=${MUTATE_X86_TIMEOUT:-900}

# As the Makefile sets them, for a run outside make: every build through
# ccache, in depend mode, with the shared cache.
export CCACHE_DIR=${CCACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/inval-gate-series/ccache}
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$top} CCACHE_DEPEND=1
export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-25G}
export CCACHE_IGNOREOPTIONS=${CCACHE_IGNOREOPTIONS:--fmacro-prefix-map=* -ffile-prefix-map=* -fdebug-prefix-map=*}
case ":$PATH:" in *:/usr/lib/ccache:*) ;; *) PATH=/usr/lib/ccache:$PATH ;; esac
# kunit.py's QEMU emulates: see scripts/qemu-tcg/qemu-system-x86_64.
export PATH=$top/scripts/qemu-tcg:$PATH

[ -f "$list" ] || die "$list: no mutation list"
[ -d "$src/.git" ] || die "$src: no series tree, run make first"

# The run reads the project's scripts/ and kunit/ (the list, the litmus
# tests, the cells) from a copy made now, in build/mutate/project: edits
# made while it runs must not change the stages under the mutations.
# MUTATE_REV=COMMIT: those of that commit instead (git archive), for a
# run while the working tree's litmus tests are ahead of out/linux; the
# mutation list is still the working tree's.
rm -rf "$snap" && mkdir -p "$snap" || die "$snap: cannot create"
if [ -n "${MUTATE_REV:-}" ]; then
	git archive "$MUTATE_REV" scripts kunit | tar -x -C "$snap" &&
	cp "$list" "$snap/$list" ||
		die "$snap: cannot extract scripts/ and kunit/ of $MUTATE_REV"
else
	cp -a scripts kunit "$snap"/ || die "$snap: cannot copy scripts/ and kunit/"
fi
cd "$snap" || die "$snap: cannot enter"
. scripts/kunit-lib.sh || die "$snap/scripts/kunit-lib.sh: cannot read"

# mutation check|apply|names|field TREE [NAME [FIELD]]: the list, parsed
# in one place.  check: every line well formed and every old text once in
# its header of TREE; apply: NAME applied to TREE.
mutation() {
	python3 - "$me" "$list" "$@" <<-'EOF'
	import sys
	me, path, cmd, tree = sys.argv[1:5]
	arg = sys.argv[5:]
	HEADERS = ("include/linux/inval_gate.h", "include/linux/emergency_slot.h",
	           "include/linux/srcu_detach.h")

	def unescape(s):
	    out, i = [], 0
	    while i < len(s):
	        if s[i] == "\\" and i + 1 < len(s):
	            out.append({"n": "\n", "t": "\t", "\\": "\\"}.get(s[i + 1], None) or
	                       sys.exit(f"{me}: {path}: bad escape \\{s[i+1]} in {s!r}"))
	            i += 2
	        else:
	            out.append(s[i])
	            i += 1
	    return "".join(out)

	muts, seen = [], set()
	for n, line in enumerate(open(path), 1):
	    line = line.rstrip("\n")
	    if not line.strip() or line.startswith("#"):
	        continue
	    f = line.split("\t")
	    where = f"{path}:{n}"
	    if len(f) not in (5, 6):
	        sys.exit(f"{me}: {where}: {len(f)} tab-separated fields, not "
	                 "NAME FILE OLD NEW WHAT [equivalent: REASON]")
	    name, hdr, old, new, what = f[:5]
	    equiv = f[5] if len(f) == 6 else ""
	    if name in seen:
	        sys.exit(f"{me}: {where}: mutation {name} listed twice")
	    seen.add(name)
	    if hdr not in HEADERS:
	        sys.exit(f"{me}: {where}: mutation {name}: {hdr} is not one of the headers")
	    if equiv and not equiv.startswith("equivalent: "):
	        sys.exit(f"{me}: {where}: mutation {name}: sixth field is not 'equivalent: REASON'")
	    old, new = unescape(old), unescape(new)
	    if old == new or not old:
	        sys.exit(f"{me}: {where}: mutation {name}: old text empty or equal to new")
	    muts.append(dict(name=name, file=hdr, old=old, new=new, what=what,
	                     equivalent=equiv[len("equivalent: "):], line=n))

	def text(m):
	    p = f"{tree}/{m['file']}"
	    try:
	        t = open(p).read()
	    except OSError as e:
	        sys.exit(f"{me}: mutation {m['name']}: {p}: {e.strerror}")
	    k = t.count(m["old"])
	    if k != 1:
	        sys.exit(f"{me}: mutation {m['name']} ({path}:{m['line']}): {m['file']}: "
	                 f"the old text occurs {k} times, not once: {m['old']!r}")
	    return p, t

	byname = {m["name"]: m for m in muts}
	if cmd == "check":
	    for m in muts:
	        text(m)
	elif cmd == "names":
	    want = arg[0].split() if arg and arg[0] else []
	    for w in want:
	        if w not in byname:
	            sys.exit(f"{me}: MUTATE_ONLY: no mutation {w} in {path}")
	    print("\n".join(m["name"] for m in muts if not want or m["name"] in want))
	elif cmd == "field":
	    print(byname[arg[0]][arg[1]])
	elif cmd == "apply":
	    m = byname[arg[0]]
	    p, t = text(m)
	    open(p, "w").write(t.replace(m["old"], m["new"]))
	elif cmd == "json":
	    import json
	    print(json.dumps({m["name"]: m for m in muts}))
	EOF
}

# restore: the tree as the series left it (the mutated header back).
restore() {
	git -C "$tree" checkout -q -f -- include/linux/ 2>/dev/null
}

# The private clone, at out/linux's branch series, clean.
mkdir -p "$work"
if [ ! -d "$tree/.git" ]; then
	git clone -q --no-checkout "$src" "$tree" || die "$tree: git clone of $src failed"
fi
git -C "$tree" fetch -q "$src" +refs/heads/series:refs/remotes/origin/series ||
	die "$tree: cannot fetch branch series from $src"
git -C "$tree" checkout -q -f -B series refs/remotes/origin/series ||
	die "$tree: cannot check out branch series"
git -C "$tree" clean -fdq || die "$tree: git clean failed"
trap restore EXIT

mutation check "$tree" || exit 1
all=$(mutation names "$tree" "${MUTATE_ONLY:-}") || exit 1
mapfile -t names <<< "$all"
[ ${#names[@]} -gt 0 ] || die "$list: no mutation"
[ -n "${MUTATE_ONLY:-}" ] || [ "$(mutation names "$tree" "" | wc -l)" -ge 30 ] ||
	die "$list: fewer than 30 mutations"

suites=()
for k in kunit/*.kunitconfig; do
	suites+=("--kunitconfig=$(realpath "$k")")
done
[ ${#suites[@]} -gt 0 ] || die "no kunit/*.kunitconfig"

# The x86_64 cell: its own kernel (not make e2e's), built in build/mutate.
x86cfg=$work/x86_64-smp.config
cat > "$x86cfg" <<-'EOF'
	#kunit.py: --arch=x86_64 --qemu_args='-smp 2'
	CONFIG_SMP=y
	CONFIG_NR_CPUS=4
	CONFIG_DEBUG_KERNEL=y
	CONFIG_PROVE_LOCKING=y
	CONFIG_DEBUG_ATOMIC_SLEEP=y
	EOF

rm -rf "$res"
mkdir -p "$res/logs"

# Each stage: stage_STAGE DIR; writes DIR/STAGE.tsv (check-lib.sh's
# results) and DIR/STAGE.log, and sets verdict ("" if it passed, else
# "failed", "build" or "hang") and caught_by.
verdict='' caught_by=''

# first_failed TSV: the first failed check of TSV, and how many more
# (cases kunit.py could not name, those of a crash or hang, last).
first_failed() {
	awk -F'\t' '$2 == "failed" { n++; if ($1 ~ /[:.]$/) u = u ? u : $1; else if (!f) f = $1 }
		END { f = f ? f : u; if (n > 1) f = f " (+" n - 1 " more)"; print f }' "$1"
}

stage_litmus() {
	local d=$1 rc
	mkdir -p "$d/litmus"
	: > "$d/litmus.tsv"
	CHECK_RESULTS=$d/litmus.tsv CHECK_LOGS=$d/litmus OUT=$work \
		scripts/check-litmus.sh > "$d/litmus.log" 2>&1
	rc=$?
	verdict='' caught_by=''
	if grep -q $'\tfailed\t' "$d/litmus.tsv"; then
		verdict=failed caught_by=$(first_failed "$d/litmus.tsv")
	elif [ $rc -ne 0 ]; then
		die "litmus stage did not run (exit $rc), see $d/litmus.log: $(tail -n 1 "$d/litmus.log")"
	fi
}

# stage_kunit CELL CELLCONFIG TIMEOUT DIR
stage_kunit() {
	local cell=$1 cellcfg=$2 timeout=$3 d=$4 build=$work/kunit-$1 args
	local json=$d/$cell.json klog=$d/$cell.kernel.log log=$d/$cell.log t0 n
	local kcfg
	kcfg=$(realpath "$cellcfg") || die "$cellcfg: no such cell"
	json=$(realpath -m "$json") klog=$(realpath -m "$klog")
	eval "args=($(sed -n 's/^#kunit.py: *//p' "$cellcfg"))"
	mkdir -p "$build"
	rm -f "$json" "$build/test.log"
	: > "$d/$cell.tsv"
	t0=$(date +%s)
	(cd "$tree" && ./tools/testing/kunit/kunit.py run "${args[@]}" "${suites[@]}" \
		--kunitconfig="$kcfg" \
		--build_dir="$build" --jobs="$(nproc)" \
		--timeout="$timeout" --json="$json") > "$log" 2>&1
	# As scripts/check-kunit.sh: parse the console once nbcon's replays
	# are undone.
	if [ -f "$build/test.log" ]; then
		n=$(scripts/console_replay.py "$build/test.log" "$klog") &&
		(cd "$tree" && ./tools/testing/kunit/kunit.py parse \
			--json="$json" "$klog") > /dev/null 2>> "$log"
		[ "${n:-0}" = 0 ] || echo "$me: undid $n nbcon replay(s)" >> "$log"
	fi
	CHECK_RESULTS=$d/$cell.tsv scripts/kunit-results.py "$cell" "$json" "$klog" "$log" \
		$(( $(date +%s) - t0 )) "--ignore=*_reference.*" >> "$log" 2>&1 ||
		die "scripts/kunit-results.py failed, see $log"
	# kunit.py itself broke: that catches nothing.
	grep -q '^Traceback' "$log" && die "kunit.py failed in the $cell stage, see $log"
	verdict='' caught_by=''
	if grep -q "timed out after $timeout seconds" "$log"; then
		verdict=hang caught_by="kunit.py --timeout=$timeout expired"
		# The case that hung is the one after the last that reported.
		n=$(grep -E '^ *(not )?ok [0-9]+ ' "$klog" 2>/dev/null | tail -n 1 |
			sed -E 's/^ *(not )?ok [0-9]+ //')
		[ -z "$n" ] || caught_by="$caught_by, after case $n"
	elif grep -q 'Building KUnit Kernel' "$log" && ! grep -q 'Starting KUnit Kernel' "$log"; then
		verdict=build
		caught_by="build: $(grep -m 1 -E 'error:|Error [0-9]' "$log" | sed "s|$top/||g" | cut -c1-150)"
	elif grep -q $'\tfailed\t' "$d/$cell.tsv"; then
		verdict=failed caught_by=$(first_failed "$d/$cell.tsv")
		case $caught_by in
		kunit:*:kernel-log*)
			caught_by="$caught_by: $(sed -n '/^== reports in the kernel log:/{n;p;q}' "$log" | cut -c1-120)"
		esac
	fi
	[ -z "$verdict" ] && stage_references "$cell" "$cellcfg" "$d"
}

# stage_references CELL CELLCONFIG DIR: the cell's reference boots, each
# a kunit.py exec of the kernel just built; one that fails catches.
stage_references() {
	local cell=$1 cellcfg=$2 d=$3 build=$work/kunit-$1 line ref
	local rjson rklog rlog t0
	while read -r line; do
		[ -n "$line" ] || continue
		eval "ref=($line)"
		rjson=$(realpath -m "$d/$cell-ref-${ref[0]}.json")
		rklog=$(realpath -m "$d/$cell-ref-${ref[0]}.kernel.log")
		rlog=$d/$cell-ref-${ref[0]}.log
		t0=$(date +%s)
		kunit_reference_boot "$tree" "$build" "$rjson" "$rlog" \
			"${ref[2]}" "${ref[1]}" "${args[@]}"
		if [ -f "$build/test.log" ]; then
			scripts/console_replay.py "$build/test.log" "$rklog" > /dev/null &&
			(cd "$tree" && ./tools/testing/kunit/kunit.py parse \
				--json="$rjson" "$rklog") > /dev/null 2>> "$rlog"
		fi
		CHECK_RESULTS=$d/$cell.tsv scripts/kunit-results.py "$cell" "$rjson" \
			"$rklog" "$rlog" $(( $(date +%s) - t0 )) \
			"--reference=${ref[0]}" "--expect=${ref[3]}" >> "$rlog" 2>&1 ||
			die "scripts/kunit-results.py failed, see $rlog"
		if grep -q "^kunit:$cell:reference:${ref[0]}"$'\tfailed\t' "$d/$cell.tsv"; then
			verdict=failed
			caught_by="kunit:$cell:reference:${ref[0]} (its report no longer appears)"
			return
		fi
	done <<< "$(sed -n 's/^#reference: *//p' "$cellcfg")"
}

stages=(litmus uml x86_64)
# run_stage STAGE DIR
run_stage() {
	case $1 in
	litmus) stage_litmus "$2" ;;
	uml) stage_kunit uml kunit/cells/uml.config "$uml_timeout" "$2" ;;
	x86_64) stage_kunit x86_64 "$x86cfg" "$x86_timeout" "$2" ;;
	esac
}

# Baseline: every stage passes with no mutation, or no result would mean
# anything.
t_start=$(date +%s)
if [ "${MUTATE_BASELINE:-1}" != 0 ]; then
	d=$res/logs/baseline
	mkdir -p "$d"
	echo "baseline: the stages on the unmutated tree ($(git -C "$tree" log -1 --format='%h %s'))"
	for s in "${stages[@]}"; do
		t0=$(date +%s)
		run_stage "$s" "$d"
		[ -z "$verdict" ] ||
			die "baseline: stage $s fails with no mutation ($verdict: $caught_by), see $d/$s.log"
		printf '  %-7s passed (%ss)\n' "$s" $(( $(date +%s) - t0 ))
		printf 'baseline\t%s\t%s\n' "$s" $(( $(date +%s) - t0 )) >> "$res/stages.tsv"
	done
fi

printf 'mutation\theader\tresult\tstage\tcaught_by\tseconds\twhat\n' > "$res/results.tsv"
caught=0 survived=0 failing=0 invalid=0
for name in "${names[@]}"; do
	d=$res/logs/$name
	mkdir -p "$d"
	file=$(mutation field "$tree" "$name" file)
	equiv=$(mutation field "$tree" "$name" equivalent)
	restore
	mutation apply "$tree" "$name" || exit 1
	git -C "$tree" diff > "$d/mutation.diff"
	t0=$(date +%s)
	result='' stage='-' by='-'
	for s in "${stages[@]}"; do
		ts=$(date +%s)
		run_stage "$s" "$d"
		printf '%s\t%s\t%s\n' "$name" "$s" $(( $(date +%s) - ts )) >> "$res/stages.tsv"
		if [ -n "$verdict" ]; then
			stage=$s by=$caught_by
			case $verdict in
			hang) result="caught (hang)" ;;
			build) result="invalid (does not build)" ;;
			*) result=caught ;;
			esac
			break
		fi
	done
	if [ "${result#invalid}" != "$result" ]; then
		invalid=$((invalid + 1)) failing=$((failing + 1))
	elif [ -n "$result" ]; then
		caught=$((caught + 1))
	elif [ -n "$equiv" ]; then
		survived=$((survived + 1)) result="survived (equivalent: $equiv)"
	else
		survived=$((survived + 1)) failing=$((failing + 1)) result=survived
	fi
	secs=$(( $(date +%s) - t0 ))
	printf '%-34s %-15s %s%s (%ss)\n' "$name" "$stage" "$result" \
		"${by:+: $by}" "$secs" | sed 's/: -//'
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$file" "$result" "$stage" "$by" \
		"$secs" "$(mutation field "$tree" "$name" what)" >> "$res/results.tsv"
done
restore

python3 - "$res" "$(( $(date +%s) - t_start ))" <<-'EOF'
import csv, json, sys
res, total = sys.argv[1], int(sys.argv[2])
rows = list(csv.DictReader(open(f"{res}/results.tsv"), delimiter="\t"))
stages = [l.rstrip("\n").split("\t") for l in open(f"{res}/stages.tsv")] \
    if __import__("os").path.exists(f"{res}/stages.tsv") else []
json.dump({"seconds": total, "mutations": rows,
           "stages": [dict(zip(("mutation", "stage", "seconds"), s)) for s in stages]},
          open(f"{res}/results.json", "w"), indent=1)
out = []
w = max([len(r["mutation"]) for r in rows] + [8])
out.append(f"{'mutation':{w}}  {'header':17}  {'stage':6}  result, and what caught it")
for r in rows:
    hdr = r["header"].rsplit("/", 1)[-1]
    line = f"{r['mutation']:{w}}  {hdr:17}  {r['stage']:6}  {r['result']}"
    if r["caught_by"] != "-":
        line += f": {r['caught_by']}"
    out.append(line)
    out.append(f"{'':{w}}    breaks: {r['what']}")
out.append("")
for h in sorted({r["header"] for r in rows}):
    hr = [r for r in rows if r["header"] == h]
    c = sum(r["result"].startswith("caught") for r in hr)
    inv = sum(r["result"].startswith("invalid") for r in hr)
    by = {s: sum(r["stage"] == s for r in hr) for s in ("litmus", "uml", "x86_64")}
    out.append(f"{h}: {len(hr)} mutations, {c} caught (litmus {by['litmus']}, "
               f"uml {by['uml']}, x86_64 {by['x86_64']}), {len(hr) - c - inv} survived"
               + (f", {inv} invalid (do not build)" if inv else ""))
out.append(f"run time {total // 60}:{total % 60:02d} (baseline included)")
open(f"{res}/table.txt", "w").write("\n".join(out) + "\n")
EOF
echo "table: $res/table.txt"
if [ $invalid -gt 0 ]; then
	echo "mutations: $caught caught, $survived survived, $invalid invalid"
else
	echo "mutations: $caught caught, $survived survived"
fi
[ $failing -eq 0 ]
