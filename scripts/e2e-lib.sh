# SPDX-License-Identifier: GPL-2.0
#
# e2e-lib.sh - what make e2e (scripts/e2e.sh) and make bench's KVM part
# (scripts/bench-kvm.sh) share: the initramfs's user space, and one boot
# of a kernel under QEMU with a plan for scripts/e2e-init.c.
#
# The caller sources scripts/series-lib.sh, sets SRC (the clone of the
# series repository), B (the build directory, $BUILD/e2e), JOBS and base
# (the baseline commit), and defines die().

# The machine: 2 CPUs, 2 GiB, and a CPU with which KVM runs nested in
# the emulator (SVM with nested paging).
E2E_QEMU_CPU=max,+svm,+npt,+invtsc,x-force-features=on
E2E_QEMU_ARGS="-m 2G -smp 2 -cpu $E2E_QEMU_CPU"
# no5lvl: QEMU's "max" CPU has LA57, and 7.3's start_kernel() enables
# interrupts before identify_cpu() clears and refills boot_cpu_data's
# capabilities.  An interrupt in that window sees pgtable_l5_enabled()
# false, so KASAN computes 4-level shadow bounds and reports a
# "wild-memory-access" on any 5-level direct-map address it checks
# (handle_edge_irq's desc->lock, twice in 2026-12 CI runs).  That is
# upstream's, at 0.003 s of boot, before any code of the series runs; with
# 4-level paging the window holds nothing to misjudge.
E2E_CMDLINE="console=ttyS0 panic=-1 no5lvl"

# e2e_prepare_src: $SRC, a clone of the tree with the series under test
# (branch series-under-test, series_fetch_into() of series-lib.sh).
e2e_prepare_src() {
	scripts/tree.sh clone "$SRC" > /dev/null || die "cannot clone the tree into $SRC"
	series_fetch_into "$SRC" || die "cannot fetch the series from $OUT/linux"
}

# e2e_userspace PROGRAM...: /init ($B/init) and the KVM selftests PROGRAM
# ($B/kst/PROGRAM), from the baseline (the series leaves tools/ alone),
# linked statically and built outside the source tree.  Sets
# e2e_programs, which e2e_boot puts into the initramfs.
e2e_userspace() {
	local p t0
	t0=$(date +%s)
	e2e_programs="$*"
	git -C "$SRC" checkout -q --detach "$base" || die "$SRC: cannot check out $base"
	make -s -C "$SRC" O="$(realpath "$B")/hdr-obj" headers_install \
		INSTALL_HDR_PATH="$(realpath "$B")/hdr" > "$B/selftests.log" 2>&1 ||
		die "headers_install failed, see $B/selftests.log"
	make -C "$SRC/tools/testing/selftests/kvm" -j"$JOBS" OUTPUT="$(realpath "$B")/kst" \
		KHDR_INCLUDES="-isystem $(realpath "$B")/hdr/include" \
		LINUX_HDR_PATH="$(realpath "$B")/hdr/include/" USERLDFLAGS=-static \
		$(for p in $e2e_programs; do echo "$(realpath "$B")/kst/$p"; done) \
		>> "$B/selftests.log" 2>&1 || die "the KVM selftests did not build, see $B/selftests.log"
	gcc -static -O2 -Wall -Wextra -Werror -o "$B/init" scripts/e2e-init.c \
		>> "$B/selftests.log" 2>&1 || die "scripts/e2e-init.c did not build, see $B/selftests.log"
	echo "  selftests and /init built ($(( $(date +%s) - t0 ))s)"
}

# e2e_boot KERNEL PLAN CONSOLE [ARG...]: boots the kernel built in
# $B/KERNEL (scripts/e2e-kernel.sh) under QEMU (E2E_QEMU_ARGS), with an
# initramfs of /init, PLAN as /e2e.plan and e2e_programs in /kst, and the
# kernel arguments ARG after E2E_CMDLINE; the console goes to CONSOLE,
# the boot's seconds to CONSOLE with .secs for .console.  Returns 1 if
# the initramfs could not be made, 2 if QEMU did not end by itself
# within 3000 s (a hung kernel: its console has no "E2E done" either).
e2e_boot() {
	local kernel=$1 plan=$2 console=$3 dir=$B/$1 spec=$B/$1.cpio.spec p t0 rc
	shift 3
	{
		echo "dir /dev 755 0 0"
		echo "nod /dev/console 600 0 0 c 5 1"
		for d in proc sys tmp kst; do echo "dir /$d 755 0 0"; done
		echo "file /init $(realpath "$B/init") 755 0 0"
		echo "file /e2e.plan $(realpath "$plan") 644 0 0"
		for p in $e2e_programs; do echo "file /kst/$p $(realpath "$B/kst/$p") 755 0 0"; done
	} > "$spec"
	"$dir/usr/gen_init_cpio" "$spec" > "$dir.cpio" || return 1
	t0=$(date +%s)
	# Generous: a hung kernel is reported by the missing "E2E done".
	timeout 3000 qemu-system-x86_64 $E2E_QEMU_ARGS \
		-nographic -no-reboot -kernel "$dir/arch/x86/boot/bzImage" \
		-initrd "$dir.cpio" -append "$E2E_CMDLINE $*" \
		< /dev/null > "$console" 2>&1
	rc=$?
	echo "$(( $(date +%s) - t0 ))" > "${console%.console}.secs"
	[ $rc != 124 ] || return 2
}
