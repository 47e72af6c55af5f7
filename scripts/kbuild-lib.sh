# SPDX-License-Identifier: GPL-2.0
#
# kbuild-lib.sh - configuring out-of-tree kernel builds; source it.
#
# The caller sets SRC (the kernel source tree) and me (its own name, for
# error messages).  ARCH and CROSS_COMPILE, if exported, reach make.
# build_compare records a check: source scripts/check-lib.sh first.

# kconfig_defines SYM: does a Kconfig file of $SRC define SYM?
kconfig_defines() {
	git -C "$SRC" grep -qE "^\s*(menu)?config $1\s*$" -- '*Kconfig*' 2>/dev/null
}

# configure DIR BASECONFIG FRAGMENT: (re)create DIR's .config; fails if an
# option of FRAGMENT did not make it into the result.  A "#optional: SYM..."
# line of FRAGMENT names options that trees without them (no Kconfig
# defines SYM: SGI GRU in 7.x) do without.
configure() {
	local dir=$1 baseconfig=$2 frag=$3 stamp want odir sym
	stamp=$(sha1sum < "$frag" | cut -c1-12)-$baseconfig
	odir=$(realpath -m "$dir")
	# Same fragment: keep the build tree, but merge the fragment again, so
	# that an option absent from the source at an earlier configuration
	# (a suite at the baseline) is turned on once the source has it.
	if [ "$(cat "$dir/.config-stamp" 2>/dev/null)" != "$stamp" ]; then
		rm -rf "$dir"
		mkdir -p "$dir"
		make -s -C "$SRC" O="$odir" "$baseconfig" || return 1
	fi
	(cd "$SRC" && ./scripts/kconfig/merge_config.sh -m -O "$odir" \
		"$odir/.config" "$(realpath "$OLDPWD/$frag")" > /dev/null) &&
	make -s -C "$SRC" O="$odir" olddefconfig || return 1
	# An option that is off may be absent: promptless ones are.
	while read -r want; do
		sym=${want#\# }
		sym=${sym%%[= ]*}
		sym=${sym#CONFIG_}
		if grep -qE "^#optional:.*\<$sym\>" "$frag" && ! kconfig_defines "$sym"; then
			continue
		fi
		case $want in
		"# CONFIG_"*) ! grep -qE "^${want:2:-11}=" "$dir/.config" ;;
		*) grep -qxF "$want" "$dir/.config" ;;
		esac || {
			echo "$me: $frag: '$want' did not make it into the .config (a dependency is missing)"
			return 1
		}
	done < <(grep -E '^(CONFIG_|# CONFIG_.* is not set)' "$frag")
	echo "$stamp" > "$dir/.config-stamp"
}

# Warnings without line numbers, so that moved code is not "new".
warnings() {
	grep -E '^[^ ]+:[0-9]+:[0-9]+: warning: ' "$1" |
		sed -E -e "s|^.*/${SRC#./}/||" -e 's/:[0-9]+:[0-9]+: /: /' | sort -u
}

# present TARGET...: the targets whose source exists in $SRC
present() {
	local t
	for t; do
		case $t in
		*/) [ -d "$SRC/$t" ] && echo "$t" ;;
		*.o) [ -f "$SRC/${t%.o}.c" ] && echo "$t" ;;
		esac
	done
}

# build_compare NAME SHA DIR LOG BASE_WARNINGS TARGET...: build TARGETs
# of SHA with W=1 in DIR, as check NAME: failed on an error, or on a
# warning that BASE_WARNINGS (a warnings() list; empty: none) lacks.
build_compare() {
	local name=$1 sha=$2 dir=$3 log=$4 base_warnings=$5 t0 rc new
	shift 5
	t0=$(date +%s)
	git -C "$SRC" checkout -q --detach "$sha"
	set -- $(present "$@")
	{
		echo "== $sha: make ${ARCH:+ARCH=$ARCH }${CROSS_COMPILE:+CROSS_COMPILE=$CROSS_COMPILE }W=1 $*"
		make -C "$SRC" O="$(realpath "$dir")" -j"$JOBS" W=1 olddefconfig "$@"
	} > "$log" 2>&1
	rc=$?
	if [ $rc -ne 0 ]; then
		check_record "$name" failed $(( $(date +%s) - t0 )) "$log" \
			"$(grep -m1 -E 'error:|Error [0-9]' "$log" | cut -c1-120)"
		return 1
	fi
	if [ -n "$base_warnings" ]; then
		new=$(comm -13 "$base_warnings" <(warnings "$log"))
		if [ -n "$new" ]; then
			printf '\n== warnings the baseline does not have:\n%s\n' "$new" >> "$log"
			check_record "$name" failed $(( $(date +%s) - t0 )) "$log" \
				"new warning: $(head -n 1 <<< "$new" | cut -c1-100)"
			return 1
		fi
	fi
	check_record "$name" passed $(( $(date +%s) - t0 )) "$log"
}
