#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# deps.sh - install the Debian packages the pipeline needs, if missing.
#
# Idempotent and quiet when everything is installed.  Names the package
# when an install fails.
set -euo pipefail
me=scripts/deps.sh

# package:command-or-file that shows it is installed
pkgs=(
	# the second tree (the default one, 7.3, is fetched without
	# installing it: scripts/debian-source.sh)
	linux-source-6.12:/usr/src/linux-source-6.12.tar.xz
	# every kernel build goes through it (Makefile)
	ccache:/usr/lib/ccache/gcc
	coccinelle:spatch
	# the b4 stage: the series as b4 would send it (scripts/check-b4.sh)
	b4:b4
	sparse:sparse
	flex:flex
	bison:bison
	bc:bc
	libelf-dev:/usr/include/libelf.h
	libssl-dev:/usr/include/openssl/ssl.h
	qemu-system-x86:qemu-system-x86_64
	python3:python3
	python3-ply:/usr/lib/python3/dist-packages/ply
	python3-git:/usr/lib/python3/dist-packages/git
	gcc:gcc
	make:make
	git:git
	xz-utils:xz
	cpio:cpio
	rsync:rsync
	perl:perl
	# cross compilers for the cross stage (scripts/check-cross.sh)
	gcc-aarch64-linux-gnu:aarch64-linux-gnu-gcc
	gcc-riscv64-linux-gnu:riscv64-linux-gnu-gcc
	gcc-s390x-linux-gnu:s390x-linux-gnu-gcc
	gcc-powerpc64le-linux-gnu:powerpc64le-linux-gnu-gcc
	# the arm64 KUnit cell (kunit/cells/arm64-smp.config)
	qemu-system-arm:qemu-system-aarch64
	# herd7, built from scripts/herd7/ for the litmus stage (scripts/herd7.sh)
	ocaml-nox:ocamlopt
	ocaml-dune:dune
	ocaml-findlib:ocamlfind
	menhir:menhir
	libmenhir-ocaml-dev:/usr/lib/ocaml/menhirLib/menhirLib.cmx
	libzarith-ocaml-dev:/usr/lib/ocaml/zarith/zarith.cmxa
	libgmp-dev:/usr/include/x86_64-linux-gnu/gmp.h
)

missing=()
for p in "${pkgs[@]}"; do
	name=${p%%:*} probe=${p#*:}
	case $probe in
	/*) [ -e "$probe" ] && continue ;;
	*) command -v "$probe" >/dev/null 2>&1 && continue ;;
	esac
	missing+=("$name")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=
[ "$(id -u)" -eq 0 ] || sudo=sudo
echo "  DEPS    installing: ${missing[*]}"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
export DEBIAN_FRONTEND=noninteractive
if ! $sudo apt-get update -qq >"$log" 2>&1; then
	echo "$me: apt-get update failed:" >&2
	tail -n 5 "$log" >&2
	exit 1
fi
for name in "${missing[@]}"; do
	if ! $sudo apt-get install -y -qq --no-install-recommends "$name" >"$log" 2>&1; then
		echo "$me: apt-get install $name failed:" >&2
		tail -n 5 "$log" >&2
		exit 1
	fi
done
