# SPDX-License-Identifier: GPL-2.0
#
# kbuild-lib.sh - configuring out-of-tree kernel builds; source it.
#
# The caller sets SRC (the kernel source tree) and me (its own name, for
# error messages).  ARCH and CROSS_COMPILE, if exported, reach make.

# configure DIR BASECONFIG FRAGMENT: (re)create DIR's .config; fails if an
# option of FRAGMENT did not make it into the result.
configure() {
	local dir=$1 baseconfig=$2 frag=$3 stamp want odir
	stamp=$(sha1sum < "$frag" | cut -c1-12)-$baseconfig
	odir=$(realpath -m "$dir")
	if [ "$(cat "$dir/.config-stamp" 2>/dev/null)" = "$stamp" ]; then
		make -s -C "$SRC" O="$odir" olddefconfig
		return
	fi
	rm -rf "$dir"
	mkdir -p "$dir"
	make -s -C "$SRC" O="$odir" "$baseconfig" &&
	(cd "$SRC" && ./scripts/kconfig/merge_config.sh -m -O "$odir" \
		"$odir/.config" "$(realpath "$OLDPWD/$frag")" > /dev/null) &&
	make -s -C "$SRC" O="$odir" olddefconfig || return 1
	# An option that is off may be absent: promptless ones are.
	while read -r want; do
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
