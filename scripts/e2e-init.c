// SPDX-License-Identifier: GPL-2.0
/*
 * e2e-init.c - /init of make e2e's initramfs (scripts/e2e.sh).
 *
 * Runs the plan in /e2e.plan, one step per line, and reports each step on
 * the console as one line starting with "E2E ", which scripts/e2e-report.py
 * reads back:
 *
 *   test NAME TIMEOUT PROGRAM ARG...
 *	Runs PROGRAM; passes if it exits 0 within TIMEOUT seconds.
 *	-> E2E test NAME exit=N secs=S ms=MS (exit=timeout, or exit=signal-N;
 *	   S and MS: its wall time in whole seconds and in milliseconds,
 *	   to the 20 ms of wait_for()'s polling)
 *
 *   test-retry NAME TIMEOUT PROGRAM ARG...
 *	The same, and if PROGRAM did not exit 0, runs it once more: two
 *	"E2E start test NAME" ... "E2E test NAME" pairs.  Whether the first
 *	failure may be retried at all is the host's decision, from its output.
 *
 *   reap ROUNDS SETTLE_MS TIMEOUT PROGRAM ARG...
 *	ROUNDS times: starts PROGRAM (a KVM selftest), waits until it has a
 *	vCPU and then SETTLE_MS more so that its guest memory is mapped,
 *	SIGKILLs it through a pidfd and reaps its mm with process_mrelease(2),
 *	as an OOM killer in user space does, holding the victim off CPU 0
 *	meanwhile (hold_on_cpu0()).  On EAGAIN it retries, and counts the
 *	retries: the series' reaper detaches KVM's notifier in the same call,
 *	so the host fails a converted kernel's round that needed one.
 *	Around each round, the vmstat counters that the series adds
 *	(mmu_notifier_oom_detach, mmu_notifier_oom_unregistered) are read,
 *	the second after waiting up to 5 s for it to catch up with the
 *	first (wait_for_owners()); "-" where the kernel does not have them.
 *	After the victim is waited for, its VM must be gone too: the exit
 *	closed its file descriptors, and kvm_destroy_vm() ran after the reap.
 *	-> E2E reap ROUND mrelease=0|ERRNO eagain=N detach=D unregistered=U vms=V
 *	   reap_ms=MS rss_kb=R freed_kb=F
 *	   (V: VMs KVM still has, from its debugfs directory; MS: from the
 *	   SIGKILL to process_mrelease()'s success, -1 without one; R: the
 *	   victim's VmRSS just before the kill; F: nr_free_pages' growth
 *	   over the same span, in kB)
 *
 *   oom ROUNDS HEADROOM_MB TIMEOUT PROGRAM ARG...
 *	ROUNDS times: starts PROGRAM in the memory cgroup /sys/fs/cgroup/e2e-oom
 *	and, once it is ready, sets the cgroup's memory.max to HEADROOM_MB
 *	above what it uses, lets it touch more, and so lets the kernel's OOM
 *	killer kill it and the oom_reaper kthread reap it.  PROGRAM is "/init oom-victim
 *	MB" (oom_victim() below): a VM whose memory outgrows the limit, with a
 *	second process sharing its mm, pinned to CPU 0, where this process
 *	busy-waits at a real-time priority for as long as the mm is not
 *	reaped: the killed sharer cannot run, so exiting cannot free the mm
 *	before the oom_reaper, which waits 2 s (OOM_REAPER_DELAY), gets to it,
 *	as when a victim is stuck.
 *	The cgroup's memory.events give the OOM kills; the mm's sharer's
 *	VmRSS dropping to an eighth of its peak, the reap.
 *	-> E2E oom ROUND exit=STATUS oom_kill=K detach=D unregistered=U vms=V
 *	   reaped=yes|no kill_to_reap_ms=MS rss_kb=R reaper_attempts=A
 *	   (STATUS: the VM process's, signal-9 when killed; K: OOM kills in
 *	   the cgroup; MS: from this process seeing the kill to seeing the
 *	   reap, OOM_REAPER_DELAY included; R: the sharer's peak VmRSS;
 *	   A: the oom_reaper kthread's attempts to reap over the round, from
 *	   its trace events (reaper_attempts()), 1 when it reaped on its
 *	   first; -1 without tracing).
 *	   CPU 0 is held for 15 s at most after the go, or after the kill.
 *
 * and ends with "E2E done", then reboots, which ends QEMU (-no-reboot).
 * Nothing here decides pass or fail: the host does, from these lines and
 * the kernel log.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/kvm.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef __NR_pidfd_open
#define __NR_pidfd_open 434
#endif
#ifndef __NR_pidfd_send_signal
#define __NR_pidfd_send_signal 424
#endif
#ifndef __NR_process_mrelease
#define __NR_process_mrelease 448
#endif

#define MAX_ARGS 32

static void say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printf("E2E ");
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
	fflush(stdout);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* The first number after "@key " in the file @path, or -1. */
static long read_key(const char *path, const char *key)
{
	char k[64];
	long val, ret = -1;
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	while (fscanf(f, "%63s %ld", k, &val) == 2) {
		if (!strcmp(k, key)) {
			ret = val;
			break;
		}
	}
	fclose(f);
	return ret;
}

/* One /proc/vmstat counter, or -1 if this kernel has none of that name. */
static long vmstat(const char *name)
{
	return read_key("/proc/vmstat", name);
}

/* A process's resident set in kB (VmRSS), or -1. */
static long rss_kb(pid_t pid)
{
	char path[64], line[128];
	long kb = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmRSS: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

static pid_t spawn(char **argv)
{
	pid_t pid = fork();

	if (pid == 0) {
		setsid();
		execv(argv[0], argv);
		printf("e2e-init: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	return pid;
}

/* Waits for @pid for at most @timeout seconds; -1 if it is still running. */
static int wait_for(pid_t pid, double timeout, int *status)
{
	double end = now() + timeout;

	for (;;) {
		pid_t r = waitpid(pid, status, WNOHANG);

		if (r == pid)
			return 0;
		if (r < 0 && errno != EINTR)
			return -1;
		if (now() > end)
			return -1;
		sleep_ms(20);
	}
}

/* Runs one test; returns 1 if it exited 0 in time. */
static int run_test(char *name, double timeout, char **argv)
{
	double t0, t1;
	int status;
	pid_t pid;

	say("start test %s", name);
	t0 = now();
	pid = spawn(argv);

	if (pid < 0) {
		say("test %s exit=fork-failed secs=0 ms=0", name);
		return 0;
	}
	if (wait_for(pid, timeout, &status)) {
		kill(-pid, SIGKILL);
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		t1 = now();
		say("test %s exit=timeout secs=%.0f ms=%.0f", name, t1 - t0,
		    (t1 - t0) * 1000);
		return 0;
	}
	t1 = now();
	if (WIFSIGNALED(status)) {
		say("test %s exit=signal-%d secs=%.0f ms=%.0f", name,
		    WTERMSIG(status), t1 - t0, (t1 - t0) * 1000);
		return 0;
	}
	say("test %s exit=%d secs=%.0f ms=%.0f", name, WEXITSTATUS(status),
	    t1 - t0, (t1 - t0) * 1000);
	return WEXITSTATUS(status) == 0;
}

/*
 * Waits up to 5 s until the owners of the notifiers detached since the
 * counters read @d0 and @u0 have been told (mmu_notifier_oom_unregistered
 * caught up with mmu_notifier_oom_detach).  They are told from an SRCU
 * callback, which can run after the VM is gone from KVM's debugfs and
 * after its process is reaped: a round that read the counters at once
 * could count the notification in the next round.  One that never comes
 * still shows as a shortfall.
 */
static void wait_for_owners(long d0, long u0)
{
	int i;

	for (i = 0; i < 500; i++) {
		long d = vmstat("mmu_notifier_oom_detach");
		long u = vmstat("mmu_notifier_oom_unregistered");

		if (d0 < 0 || u0 < 0 || d < 0 || u < 0 || u - u0 >= d - d0)
			return;
		sleep_ms(10);
	}
}

/* Whether @pid has a KVM vCPU file open yet. */
static int has_vcpu(pid_t pid)
{
	char dir[64], path[384], link[128];
	struct dirent *de;
	int found = 0;
	DIR *d;

	snprintf(dir, sizeof(dir), "/proc/%d/fd", pid);
	d = opendir(dir);
	if (!d)
		return 0;
	while (!found && (de = readdir(d))) {
		ssize_t n;

		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		n = readlink(path, link, sizeof(link) - 1);
		if (n > 0) {
			link[n] = 0;
			found = !!strstr(link, "kvm-vcpu");
		}
	}
	closedir(d);
	return found;
}

/*
 * Moves every thread of @pid to CPU 0, where this process runs with a
 * real-time priority: once killed, the victim cannot run, and exit its mm
 * (exit_mmap() unhooks the notifiers first), before process_mrelease()
 * has reaped it, as when a loaded machine's OOM killer is quicker than
 * the victim.  The rest of the machine, the detach work included, keeps
 * running on CPU 1.
 */
static void hold_on_cpu0(pid_t pid)
{
	char dir[64];
	struct dirent *de;
	cpu_set_t cpu0;
	DIR *d;

	CPU_ZERO(&cpu0);
	CPU_SET(0, &cpu0);
	snprintf(dir, sizeof(dir), "/proc/%d/task", pid);
	d = opendir(dir);
	if (!d)
		return;
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			sched_setaffinity(atoi(de->d_name), sizeof(cpu0), &cpu0);
	closedir(d);
}

/*
 * How many VMs KVM still has: each has a PID-FD directory in debugfs from
 * kvm_create_vm() until kvm_destroy_vm(); -1 without KVM's debugfs.
 */
static int vms_alive(void)
{
	struct dirent *de;
	int n = 0;
	DIR *d = opendir("/sys/kernel/debug/kvm");

	if (!d)
		return -1;
	while ((de = readdir(d)))
		if (strchr(de->d_name, '-'))
			n++;
	closedir(d);
	return n;
}

static const char *errname(int err)
{
	switch (err) {
	case 0: return "0";
	case EAGAIN: return "EAGAIN";
	case EINVAL: return "EINVAL";
	case ESRCH: return "ESRCH";
	case EINTR: return "EINTR";
	default: return "other";
	}
}

static void run_reap(int rounds, long settle_ms, double timeout, char **argv)
{
	struct sched_param fifo = { .sched_priority = 50 }, other = { 0 };
	cpu_set_t cpu0, all;
	int round;

	CPU_ZERO(&cpu0);
	CPU_SET(0, &cpu0);
	sched_getaffinity(0, sizeof(all), &all);

	for (round = 1; round <= rounds; round++) {
		long d0 = vmstat("mmu_notifier_oom_detach");
		long u0 = vmstat("mmu_notifier_oom_unregistered");
		int status, err = 0, eagain = 0, pidfd;
		long rss, free0, free1 = -1;
		double end, t0, reap_ms = -1;
		pid_t pid;
		long d1, u1;
		char dd[24] = "-", ud[24] = "-";

		pid = spawn(argv);
		if (pid < 0) {
			say("reap %d mrelease=fork-failed eagain=0 detach=- unregistered=- vms=%d",
			    round, vms_alive());
			continue;
		}
		pidfd = syscall(__NR_pidfd_open, pid, 0);
		end = now() + timeout;
		while (!has_vcpu(pid) && now() < end && !waitpid(pid, &status, WNOHANG))
			sleep_ms(10);
		if (!has_vcpu(pid)) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			close(pidfd);
			say("reap %d mrelease=no-vcpu eagain=0 detach=- unregistered=- vms=%d",
			    round, vms_alive());
			continue;
		}
		/* Vary the moment of the kill from round to round. */
		sleep_ms(settle_ms + (round * 37 % 5) * settle_ms / 4);

		sched_setaffinity(0, sizeof(cpu0), &cpu0);
		sched_setscheduler(0, SCHED_FIFO, &fifo);
		hold_on_cpu0(pid);
		rss = rss_kb(pid);
		free0 = vmstat("nr_free_pages");
		t0 = now();
		if (syscall(__NR_pidfd_send_signal, pidfd, SIGKILL, NULL, 0))
			err = errno;
		while (!err) {
			if (!syscall(__NR_process_mrelease, pidfd, 0)) {
				reap_ms = (now() - t0) * 1e3;
				free1 = vmstat("nr_free_pages");
				break;
			}
			err = errno;
			if (err != EAGAIN || now() > end + 60)
				break;
			eagain++;
			err = 0;
			sleep_ms(5);
		}
		sched_setscheduler(0, SCHED_OTHER, &other);
		sched_setaffinity(0, sizeof(all), &all);
		/*
		 * Exiting closes the VM's file descriptors: kvm_destroy_vm()
		 * runs after the reap, and unregistering waits for the detach.
		 */
		waitpid(pid, &status, 0);
		close(pidfd);

		wait_for_owners(d0, u0);
		d1 = vmstat("mmu_notifier_oom_detach");
		u1 = vmstat("mmu_notifier_oom_unregistered");
		if (d0 >= 0 && d1 >= 0)
			snprintf(dd, sizeof(dd), "%ld", d1 - d0);
		if (u0 >= 0 && u1 >= 0)
			snprintf(ud, sizeof(ud), "%ld", u1 - u0);
		say("reap %d mrelease=%s eagain=%d detach=%s unregistered=%s vms=%d reap_ms=%.1f rss_kb=%ld freed_kb=%ld",
		    round, errname(err), eagain, dd, ud, vms_alive(), reap_ms,
		    rss, free0 >= 0 && free1 >= 0 ?
		    (free1 - free0) * (sysconf(_SC_PAGESIZE) / 1024) : -1);
	}
}

/* Writes @val to the file @path; 0 or -1. */
static int write_file(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644), ret = 0;

	if (fd < 0)
		return -1;
	if (write(fd, val, strlen(val)) != (ssize_t)strlen(val))
		ret = -1;
	close(fd);
	return ret;
}

#define OOM_CG		"/sys/fs/cgroup/e2e-oom"
#define OOM_GO		"/tmp/e2e-oom-go"

/* A process of the cgroup other than @pid, or 0. */
static pid_t other_in_cgroup(pid_t pid)
{
	FILE *f = fopen(OOM_CG "/cgroup.procs", "r");
	pid_t p, found = 0;

	if (!f)
		return 0;
	while (!found && fscanf(f, "%d", &p) == 1)
		if (p != pid)
			found = p;
	fclose(f);
	return found;
}

static int cgroup_empty(void)
{
	FILE *f = fopen(OOM_CG "/cgroup.procs", "r");
	pid_t p;
	int empty;

	if (!f)
		return 1;
	empty = fscanf(f, "%d", &p) != 1;
	fclose(f);
	return empty;
}

/* memory.max of the cgroup: @mb above its memory.current, or none. */
static int oom_limit(long mb)
{
	char val[32] = "max";
	long cur;
	FILE *f;

	if (mb >= 0) {
		f = fopen(OOM_CG "/memory.current", "r");
		if (!f || fscanf(f, "%ld", &cur) != 1)
			cur = -1;
		if (f)
			fclose(f);
		if (cur < 0)
			return -1;
		snprintf(val, sizeof(val), "%ld", cur + (mb << 20));
	}
	return write_file(OOM_CG "/memory.max", val);
}

/*
 * The oom_reaper kthread's attempts, from the kernel's own trace events:
 * oom_reap_task_mm() emits start_task_reaping when it tries to reap, or
 * skip_task_reaping when it cannot take the mmap_lock (or the mm is gone);
 * oom_reap_task() tries again, HZ/10 later, after each attempt that failed.
 * process_mrelease() emits neither.
 */
#define TRACING		"/sys/kernel/tracing"
#define REAP_EVENTS	TRACING "/events/oom/"

static int reaper_trace_setup(void)
{
	mount("tracefs", TRACING, "tracefs", 0, NULL);
	return write_file(REAP_EVENTS "start_task_reaping/enable", "1") ||
	       write_file(REAP_EVENTS "skip_task_reaping/enable", "1") ? -1 : 0;
}

/* Attempts since the trace was last cleared (and clears it), or -1. */
static long reaper_attempts(void)
{
	char line[512];
	long n = 0;
	FILE *f = fopen(TRACING "/trace", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (line[0] != '#' && (strstr(line, " start_task_reaping:") ||
				       strstr(line, " skip_task_reaping:")))
			n++;
	fclose(f);
	write_file(TRACING "/trace", "");
	return n;
}

static int oom_setup(void)
{
	mkdir("/sys/fs/cgroup", 0755);
	mount("cgroup2", "/sys/fs/cgroup", "cgroup2", 0, NULL);
	write_file("/sys/fs/cgroup/cgroup.subtree_control", "+memory");
	mkdir(OOM_CG, 0755);
	if (oom_limit(-1)) {
		say("error cannot set " OOM_CG "/memory.max: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * This process busy-waits on CPU 0 at a real-time priority while the mm
 * is not reaped: no RT throttling, and no fair server giving CPU 0's other
 * tasks (the mm's sharer) their share, for that long.  Then both as before.
 */
#define RT_RUNTIME	"/proc/sys/kernel/sched_rt_runtime_us"
#define FAIR_RUNTIME	"/sys/kernel/debug/sched/fair_server/cpu0/runtime"

static void no_throttling(char *rt, char *fair, size_t len)
{
	FILE *f;

	rt[0] = fair[0] = 0;
	f = fopen(RT_RUNTIME, "r");
	if (f && !fgets(rt, len, f))
		rt[0] = 0;
	if (f)
		fclose(f);
	f = fopen(FAIR_RUNTIME, "r");
	if (f && !fgets(fair, len, f))
		fair[0] = 0;
	if (f)
		fclose(f);
	write_file(RT_RUNTIME, "-1");
	write_file(FAIR_RUNTIME, "0");
}

static void throttling_back(const char *rt, const char *fair)
{
	if (fair[0])
		write_file(FAIR_RUNTIME, fair);
	if (rt[0])
		write_file(RT_RUNTIME, rt);
	/* Let the kernel's "Fair server enabled" line out before ours. */
	sleep_ms(500);
}

static void run_oom(int rounds, long headroom_mb, double timeout, char **argv)
{
	struct sched_param fifo = { .sched_priority = 50 }, other = { 0 };
	char rt[32], fair[32];
	cpu_set_t cpu0, all;
	int traced, round;

	if (oom_setup())
		return;
	traced = !reaper_trace_setup();
	no_throttling(rt, fair, sizeof(rt));
	CPU_ZERO(&cpu0);
	CPU_SET(0, &cpu0);
	sched_getaffinity(0, sizeof(all), &all);

	for (round = 1; round <= rounds; round++) {
		long d0 = vmstat("mmu_notifier_oom_detach");
		long u0 = vmstat("mmu_notifier_oom_unregistered");
		long k0 = read_key(OOM_CG "/memory.events", "oom_kill");
		double end = now() + timeout, t_go, t_kill = 0, t_reap = 0;
		char dd[24] = "-", ud[24] = "-", ex[24] = "running";
		long peak = 0, rss, d1, u1, k1, attempts;
		pid_t pid, sharer = 0;
		int status, exited = 0, i;

		unlink(OOM_GO);
		oom_limit(-1);
		pid = fork();
		if (pid == 0) {
			setsid();
			if (write_file(OOM_CG "/cgroup.procs", "0"))
				_exit(126);
			execv(argv[0], argv);
			_exit(127);
		}
		while (pid > 0 && !sharer && now() < end &&
		       !waitpid(pid, &status, WNOHANG)) {
			sharer = other_in_cgroup(pid);
			if (!sharer)
				sleep_ms(5);
		}
		if (pid < 0 || !sharer) {
			if (pid > 0) {
				kill(pid, SIGKILL);
				waitpid(pid, &status, 0);
			}
			say("oom %d exit=no-sharer oom_kill=0 detach=- unregistered=- vms=%d reaped=no kill_to_reap_ms=-1 rss_kb=-1 reaper_attempts=-1",
			    round, vms_alive());
			continue;
		}

		/* The VM is set up: now only HEADROOM_MB more. */
		oom_limit(headroom_mb);
		if (traced)
			reaper_attempts();
		/* CPU 0 is this process's until the mm is reaped. */
		sched_setaffinity(0, sizeof(cpu0), &cpu0);
		sched_setscheduler(0, SCHED_FIFO, &fifo);
		write_file(OOM_GO, "go");
		t_go = now();
		while (now() < end) {
			if (!exited && waitpid(pid, &status, WNOHANG) == pid)
				exited = 1;
			rss = rss_kb(sharer);
			if (!t_kill) {
				if (rss > peak)
					peak = rss;
				if (read_key(OOM_CG "/memory.events", "oom_kill") > k0)
					t_kill = now();
			} else if (rss >= 0 && rss <= peak / 8) {
				t_reap = now();
				break;
			}
			/* Never starve CPU 0 for long: RCU's stall warning. */
			if (now() > (t_kill ? t_kill : t_go) + 15)
				break;
		}
		sched_setscheduler(0, SCHED_OTHER, &other);
		sched_setaffinity(0, sizeof(all), &all);

		/* The sharer is this process's child once the VM process is gone. */
		if (!exited) {
			if (!t_kill)
				kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
		}
		if (!t_kill)
			kill(sharer, SIGKILL);
		while (!cgroup_empty() && now() < end + 60) {
			while (waitpid(-1, NULL, WNOHANG) > 0)
				;
			sleep_ms(10);
		}
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		/* kvm_destroy_vm() runs as the last file of the VM is closed. */
		for (i = 0; i < 500 && vms_alive() > 0; i++)
			sleep_ms(10);
		wait_for_owners(d0, u0);

		if (WIFSIGNALED(status))
			snprintf(ex, sizeof(ex), "signal-%d", WTERMSIG(status));
		else if (WIFEXITED(status))
			snprintf(ex, sizeof(ex), "%d", WEXITSTATUS(status));
		d1 = vmstat("mmu_notifier_oom_detach");
		u1 = vmstat("mmu_notifier_oom_unregistered");
		k1 = read_key(OOM_CG "/memory.events", "oom_kill");
		attempts = traced ? reaper_attempts() : -1;
		if (d0 >= 0 && d1 >= 0)
			snprintf(dd, sizeof(dd), "%ld", d1 - d0);
		if (u0 >= 0 && u1 >= 0)
			snprintf(ud, sizeof(ud), "%ld", u1 - u0);
		say("oom %d exit=%s oom_kill=%ld detach=%s unregistered=%s vms=%d reaped=%s kill_to_reap_ms=%.0f rss_kb=%ld reaper_attempts=%ld",
		    round, ex, k1 - k0, dd, ud, vms_alive(),
		    t_reap ? "yes" : "no", t_reap ? (t_reap - t_kill) * 1e3 : -1,
		    peak, attempts);
	}
	throttling_back(rt, fair);
}

/* The sharer of the VM process's mm: it only has to exist. */
static int sharer_fn(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return 0;
}

/*
 * "/init oom-victim MB": a VM with MB of guest memory; its guest maps the
 * memory below 640K (real mode), so that KVM has something to zap, then
 * halts.  A second process shares the mm (clone(CLONE_VM)), pinned to
 * CPU 0; this one, on CPU 1, waits for OOM_GO and then touches all of
 * the guest memory, beyond its cgroup's memory.max.
 */
static int oom_victim(long mb)
{
	/*
	 * mov ax, 0x1000; 1: mov ds, ax; mov byte [0], 1; add ax, 0x100;
	 * cmp ax, 0xa000; jb 1b; hlt
	 */
	static const unsigned char guest[] = {
		0xb8, 0x00, 0x10, 0x8e, 0xd8, 0xc6, 0x06, 0x00, 0x00, 0x01,
		0x05, 0x00, 0x01, 0x3d, 0x00, 0xa0, 0x72, 0xf1, 0xf4,
	};
	size_t size = (size_t)mb << 20, off;
	static char stack[65536] __attribute__((aligned(16)));
	struct kvm_userspace_memory_region region = { 0 };
	struct kvm_sregs sregs;
	struct kvm_regs regs = { 0 };
	struct kvm_run *run;
	cpu_set_t cpu;
	int kvm, vm, vcpu, sharer;
	char *mem;

	prctl(PR_SET_NAME, "e2e-oom-vm");
	CPU_ZERO(&cpu);
	CPU_SET(1, &cpu);
	sched_setaffinity(0, sizeof(cpu), &cpu);
	kvm = open("/dev/kvm", O_RDWR);
	vm = kvm < 0 ? -1 : ioctl(kvm, KVM_CREATE_VM, 0);
	mem = mmap(NULL, size, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (vm < 0 || mem == MAP_FAILED) {
		printf("oom-victim: no VM: %s\n", strerror(errno));
		return 1;
	}
	memcpy(mem + 0x1000, guest, sizeof(guest));
	region.memory_size = size;
	region.userspace_addr = (unsigned long)mem;
	vcpu = ioctl(vm, KVM_SET_USER_MEMORY_REGION, &region) ? -1 :
	       ioctl(vm, KVM_CREATE_VCPU, 0);
	run = vcpu < 0 ? MAP_FAILED :
	      mmap(NULL, ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0),
		   PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
	if (run == MAP_FAILED || ioctl(vcpu, KVM_GET_SREGS, &sregs)) {
		printf("oom-victim: no vCPU: %s\n", strerror(errno));
		return 1;
	}
	sregs.cs.base = 0;
	sregs.cs.selector = 0;
	regs.rip = 0x1000;
	regs.rflags = 2;
	if (ioctl(vcpu, KVM_SET_SREGS, &sregs) ||
	    ioctl(vcpu, KVM_SET_REGS, &regs) || ioctl(vcpu, KVM_RUN, 0) ||
	    run->exit_reason != KVM_EXIT_HLT) {
		printf("oom-victim: the guest did not halt: %s, exit reason %u\n",
		       strerror(errno), run->exit_reason);
		return 1;
	}

	sharer = clone(sharer_fn, stack + sizeof(stack), CLONE_VM | SIGCHLD,
		       NULL);
	if (sharer < 0) {
		printf("oom-victim: clone: %s\n", strerror(errno));
		return 1;
	}
	CPU_ZERO(&cpu);
	CPU_SET(0, &cpu);
	sched_setaffinity(sharer, sizeof(cpu), &cpu);

	while (access(OOM_GO, F_OK))
		sleep_ms(10);
	for (off = 0; off < size; off += 4096)
		mem[off] = 1;
	printf("oom-victim: touched %ld MB and was not killed\n", mb);
	return 2;
}

static void mounts(void)
{
	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	mount("proc", "/proc", "proc", 0, NULL);
	mount("sysfs", "/sys", "sysfs", 0, NULL);
	mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL);
	mount("tmpfs", "/tmp", "tmpfs", 0, NULL);
	mount("tmpfs", "/dev/shm", "tmpfs", 0, NULL);
}

int main(int ac, char **av)
{
	char line[1024];
	FILE *plan;

	if (ac == 3 && !strcmp(av[1], "oom-victim"))
		return oom_victim(atol(av[2]));
	mounts();
	setvbuf(stdout, NULL, _IOLBF, 0);
	plan = fopen("/e2e.plan", "r");
	if (!plan) {
		say("error no /e2e.plan");
		goto out;
	}
	while (fgets(line, sizeof(line), plan)) {
		char *argv[MAX_ARGS + 1], *tok, *save;
		int argc = 0;

		line[strcspn(line, "\n")] = 0;
		if (!line[0] || line[0] == '#')
			continue;
		for (tok = strtok_r(line, " ", &save); tok && argc < MAX_ARGS;
		     tok = strtok_r(NULL, " ", &save))
			argv[argc++] = tok;
		argv[argc] = NULL;

		if ((!strcmp(argv[0], "test") || !strcmp(argv[0], "test-retry")) &&
		    argc >= 4) {
			if (!run_test(argv[1], atof(argv[2]), argv + 3) &&
			    !strcmp(argv[0], "test-retry"))
				run_test(argv[1], atof(argv[2]), argv + 3);
		} else if (!strcmp(argv[0], "reap") && argc >= 5) {
			say("start reap %s rounds", argv[1]);
			run_reap(atoi(argv[1]), atol(argv[2]), atof(argv[3]),
				 argv + 4);
		} else if (!strcmp(argv[0], "oom") && argc >= 5) {
			say("start oom %s rounds", argv[1]);
			run_oom(atoi(argv[1]), atol(argv[2]), atof(argv[3]),
				argv + 4);
		} else {
			say("error bad plan line: %s", argv[0]);
		}
	}
	fclose(plan);
out:
	say("done");
	sync();
	reboot(RB_AUTOBOOT);	/* QEMU runs with -no-reboot */
	return 0;
}
