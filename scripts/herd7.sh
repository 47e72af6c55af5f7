#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# herd7.sh - print the path of a herd7 that runs the kernel's memory model
# (tools/memory-model, LKMM), building it once per machine.
#
# herd7 is not packaged by Debian.  Its upstream source, herdtools7 7.58
# (the first release 7.3's linux-kernel.cfg accepts; 6.12's accepts it
# too), is in scripts/herd7/ as upstream's `git archive` of tag 7.58.  It
# is built with Debian's OCaml packages (scripts/deps.sh installs them),
# next to the compiler cache ($XDG_CACHE_HOME or ~/.cache, under
# inval-gate-series/herd7-VERSION), so later runs and fresh clones reuse
# it.  Only herd7 is built, about 4 minutes on 2 cores.
set -euo pipefail
me=scripts/herd7.sh
die() { echo "$me: $*" >&2; exit 1; }

version=7.58
tarball=scripts/herd7/herdtools7-$version.tar.xz
sha256=c20b5e647ab3740378f14a0008c9cdfc6c021eddb9c121d072689fb53457388f
dir=${XDG_CACHE_HOME:-$HOME/.cache}/inval-gate-series/herd7-$version
herd=$dir/bin/herd7
lib=$dir/lib/herd

# A herd7 that answers is ready; the stamp is written last.
if [ -x "$herd" ] && [ -f "$dir/built" ]; then
	echo "$herd"
	exit 0
fi
for t in ocamlfind ocamlopt dune menhir; do
	command -v "$t" > /dev/null || die "herd7: '$t' is missing (scripts/deps.sh installs it)"
done
echo "$sha256  $tarball" | sha256sum -c --quiet - > /dev/null 2>&1 ||
	die "herd7: $tarball: not the expected herdtools7 $version (sha256 $sha256)"

echo "  HERD7   building herdtools7 $version's herd7 (once per machine) in $dir" >&2
mkdir -p "${dir%/*}"
exec 9> "$dir.lock"
flock 9
[ -f "$dir/built" ] && { echo "$herd"; exit 0; }
rm -rf "$dir"
mkdir -p "$dir/src"
tar -C "$dir/src" -xJf "$tarball" || die "herd7: cannot unpack $tarball"
src=$dir/src/herdtools7-$version
[ -f "$src/herd/dune" ] || die "herd7: $tarball has no herdtools7-$version/herd/dune"

# zarith 1.12 (Debian 12) lacks Z.of_int64_unsigned and
# Z.to_int64_unsigned (zarith 1.13), which only the AArch64 SVE code of
# lib/SVEScalar.ml calls; LKMM never runs it.  Give that file both
# functions when the installed zarith lacks them.
if ! grep -q 'of_int64_unsigned' "$(ocamlfind query zarith)/z.mli" 2>/dev/null; then
	f=$src/lib/SVEScalar.ml
	grep -q 'Z.of_int64_unsigned' "$f" ||
		die "herd7: $f no longer calls Z.of_int64_unsigned; check the zarith shim"
	{
		cat <<'ML'
(* Added by scripts/herd7.sh: zarith < 1.13 has no unsigned int64
   conversions. *)
module Z = struct
  include Z
  let two64 = shift_left one 64
  let of_int64_unsigned i =
    let z = of_int64 i in if sign z < 0 then add z two64 else z
  let to_int64_unsigned z =
    if sign z < 0 || geq z two64 then raise Overflow
    else if geq z (shift_left one 63) then to_int64 (sub z two64)
    else to_int64 z
end
ML
		cat "$f"
	} > "$f.new" && mv "$f.new" "$f"
fi

# version-gen.sh would read the enclosing git repository: write the
# version, and the library path herd7 looks in, directly.
cat > "$src/Version.ml" <<ML
let version = "$version"
let rev = "$version"
let libdir = "$dir/lib/"
ML

log=$dir/build.log
t0=$(date +%s)
(cd "$src" && dune build --root . -j "$(nproc)" --profile release ./herd/herd.exe) \
	> "$log" 2>&1 || die "herd7: dune build failed, see $log"
mkdir -p "$dir/bin" "$dir/lib"
install -m 0755 "$src/_build/default/herd/herd.exe" "$herd"
cp -r "$src/herd/libdir" "$lib"
echo "  HERD7   built in $(( $(date +%s) - t0 )) s" >&2

# It must answer a test whose result is known: store buffering, which
# sequential consistency forbids.
cat > "$dir/sb.litmus" <<'LIT'
C SB
{}
P0(int *x, int *y) { int r0; *x = 1; r0 = *y; }
P1(int *x, int *y) { int r1; *y = 1; r1 = *x; }
exists (0:r0=0 /\ 1:r1=0)
LIT
got=$("$herd" -model sc.cat "$dir/sb.litmus" 2>&1 | sed -n 's/^Observation SB \([A-Za-z]*\).*/\1/p')
[ "$got" = Never ] || die "herd7: the SB test under sc.cat gave '${got:-no observation}', not Never"
touch "$dir/built"
echo "$herd"
