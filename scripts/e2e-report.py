#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""e2e-report.py OUT KERNEL... - make e2e's verdicts, from the consoles.

Reads OUT/KERNEL.console (KERNEL is FLAVOR-SIDE, SIDE baseline or series)
for the "E2E ..." lines of scripts/e2e-init.c and the kernel's reports, and
writes OUT/table.txt and OUT/e2e.json.  With CHECK_RESULTS set (under
scripts/check.sh) every verdict is also a check.  Exits 1 if one failed.

Verdicts:
  FLAVOR-SIDE:finished      "E2E done" on the console, 2 CPUs up.
  FLAVOR-series:TEST        the selftest exits 0; "also fails on the
                            baseline" is noted if FLAVOR-baseline ran it.
                            A test-retry step may pass on its second run,
                            only if the first stopped with the known guest
                            triple fault (KNOWN_FLAKE); the note says so.
  FLAVOR-series:reap        every round ran; at least one reap detached
                            KVM's notifier (mmu_notifier_oom_detach), and
                            per round the owner was told exactly as often as
                            it was detached (mmu_notifier_oom_unregistered),
                            at most once: one VM per round; and once the
                            victim is gone, so is its VM (KVM's debugfs).
  FLAVOR-series:reports     no lockdep, RCU, KASAN, sleeping-in-atomic
                            report and no WARNING on the console, including
                            kvm_destroy_vm() after a detach.
  FLAVOR-series:oom         the kernel's OOM killer, in a memory cgroup:
                            per round the VM process was SIGKILLed, one OOM
                            kill, the oom_reaper reaped the mm on its first
                            attempt (one oom:start_task_reaping trace
                            event, no skip_task_reaping), KVM's
                            notifier detached and its owner told once, no
                            VM left; as many "Killed process" and
                            "oom_reaper: reaped process" lines as rounds,
                            and no "oom_reaper: unable to reap".
  rt-baseline:oom-reference seed 001's report in the OOM killer's step,
                            from the oom_reaper kthread itself.
  rt-baseline:reference     the unconverted PREEMPT_RT kernel reports the
                            reap (seed 001): "BUG: sleeping function called
                            from invalid context" with mn_invalidate_lock
                            held in kvm_mmu_notifier_invalidate_range_start.
                            If it does not, the scenario proves nothing.
A baseline's selftests and reports are shown, not judged.
A record the 8250 nbcon console printed twice (cut short, then after
"** replaying previous printk message **") is read once:
scripts/console_replay.py.
"""
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from console_replay import unreplay  # noqa: E402
from kernel_reports import REPORTS  # noqa: E402

# On top of kernel_reports: any WARN() at all; e2e triggers none on purpose.
E2E_REPORTS = re.compile(REPORTS.pattern + r"|WARNING: |Oops|kernel BUG at")
SEED001 = re.compile(r"BUG: sleeping function called from invalid context")
SEED001_CONTEXT = re.compile(
    r"mn_invalidate_lock.*kvm_mmu_notifier_invalidate_range_start")
TEST = re.compile(r"^E2E test (\S+) exit=(\S+) secs=(\d+)")
START = re.compile(r"^E2E start test (\S+)")
# memslot_modification_stress_test's guest triple-faults now and then under
# the emulator, on the baseline as on the series (README); its assertion
# exits 254.  The only failure a test-retry step may retry.
KNOWN_FLAKE = ("254", re.compile(
    r"Invalid guest sync status: exit_reason=SHUTDOWN"))
REAP = re.compile(r"^E2E reap (\d+) mrelease=(\S+) eagain=(\d+) "
                  r"detach=(\S+) unregistered=(\S+) vms=(-?\d+)"
                  r"(?: reap_ms=(-?[\d.]+) rss_kb=(-?\d+) freed_kb=(-?\d+))?")
PLAN_REAP = re.compile(r"^reap (\d+) ")
OOM = re.compile(r"^E2E oom (\d+) exit=(\S+) oom_kill=(-?\d+) detach=(\S+) "
                 r"unregistered=(\S+) vms=(-?\d+) reaped=(yes|no) "
                 r"kill_to_reap_ms=(-?\d+) rss_kb=(-?\d+)"
                 r"(?: reaper_attempts=(-?\d+))?")
PLAN_OOM = re.compile(r"^oom (\d+) ")
OOM_KILLED = re.compile(r"Memory cgroup out of memory: Killed process")
OOM_REAPED = re.compile(r"oom_reaper: reaped process")
OOM_UNABLE = re.compile(r"oom_reaper: unable to reap")
OOM_REAPER_TASK = re.compile(r"Comm: oom_reaper ")
CPUS = re.compile(r"smp: Brought up \d+ nodes?, (\d+) CPUs?")
# A console line, without its printk time stamp.
STAMP = re.compile(r"^\[\s*\d+\.\d+\] ")


def step_lines(lines, name):
    """A step's console lines: from "E2E start NAME" to the next step's
    start, or None if the plan did not run it."""
    start = next((i for i, l in enumerate(lines)
                  if l.startswith(f"E2E start {name} ")), None)
    if start is None:
        return None
    end = next((i for i in range(start + 1, len(lines))
                if lines[i].startswith("E2E start ")), len(lines))
    return lines[start:end]


def parse(out, kernel):
    path = os.path.join(out, kernel + ".console")
    try:
        with open(path, errors="replace") as f:
            lines, _ = unreplay(f.readlines())
        lines = [STAMP.sub("", line.rstrip("\r\n")) for line in lines]
    except OSError:
        lines = []
    k = {"console": path, "tests": {}, "reaps": [], "reports": [],
         "done": False, "seed001": False, "rounds": 0, "cpus": 0,
         "ooms": [], "oom_rounds": 0, "oom_killed": 0, "oom_reaped": 0,
         "oom_unable": 0, "seed001_oom_reaper": False}
    attempts = {}       # test -> [{"exit", "secs", "flake"}], in order
    output = None       # the running test's console lines
    for line in lines:
        m = START.match(line)
        if m:
            output = []
        elif output is not None:
            output.append(line)
        m = TEST.match(line)
        if m:
            text = "\n".join(output or [])
            attempts.setdefault(m[1], []).append({
                "exit": m[2], "secs": int(m[3]),
                "flake": m[2] == KNOWN_FLAKE[0] and
                bool(KNOWN_FLAKE[1].search(text))})
            output = None
        m = REAP.match(line)
        if m:
            k["reaps"].append({"round": int(m[1]), "mrelease": m[2],
                               "eagain": int(m[3]), "detach": m[4],
                               "unregistered": m[5], "vms": int(m[6]),
                               "reap_ms": float(m[7] or -1),
                               "rss_kb": int(m[8] or -1),
                               "freed_kb": int(m[9] or -1)})
        m = OOM.match(line)
        if m:
            k["ooms"].append({"round": int(m[1]), "exit": m[2],
                              "oom_kill": int(m[3]), "detach": m[4],
                              "unregistered": m[5], "vms": int(m[6]),
                              "reaped": m[7] == "yes",
                              "kill_to_reap_ms": int(m[8]),
                              "rss_kb": int(m[9]),
                              "reaper_attempts": int(m[10] or -1)})
        m = CPUS.search(line)
        if m:
            k["cpus"] = int(m[1])
        # A kernel line printed meanwhile may share the console line.
        if "E2E done" in line:
            k["done"] = True
        if E2E_REPORTS.search(line):
            k["reports"].append(line.strip())
    for test, runs in attempts.items():
        # A second run that passed stands only after the known flake.
        retried = (len(runs) == 2 and runs[0]["flake"]
                   and runs[1]["exit"] == "0")
        judged = runs[1] if retried else runs[0]
        k["tests"][test] = {"exit": judged["exit"], "secs": judged["secs"],
                            "runs": runs, "retried": retried}
    # The reaper step only: the OOM step may report seed 001 too, and is
    # judged on its own.
    reap = step_lines(lines, "reap")
    if reap is not None:
        text = "\n".join(reap)
        k["seed001"] = bool(SEED001.search(text) and
                            SEED001_CONTEXT.search(text))
    # The kernel OOM killer's step: its kills, reaps, and seed 001's report
    # with the oom_reaper kthread as the reporting task.
    step = step_lines(lines, "oom")
    if step is not None:
        k["oom_killed"] = sum(bool(OOM_KILLED.search(l)) for l in step)
        k["oom_reaped"] = sum(bool(OOM_REAPED.search(l)) for l in step)
        k["oom_unable"] = sum(bool(OOM_UNABLE.search(l)) for l in step)
        for i, l in enumerate(step):
            if SEED001.search(l):
                report = "\n".join(step[i:i + 60])
                if OOM_REAPER_TASK.search(report) and \
                        SEED001_CONTEXT.search(report):
                    k["seed001_oom_reaper"] = True
    try:
        with open(os.path.join(out, kernel + ".plan")) as f:
            for line in f:
                m = PLAN_REAP.match(line)
                if m:
                    k["rounds"] = int(m[1])
                m = PLAN_OOM.match(line)
                if m:
                    k["oom_rounds"] = int(m[1])
                if line.startswith(("test ", "test-retry ")):
                    k["tests"].setdefault(line.split()[1], {"exit": "not run",
                                                            "secs": 0})
    except OSError:
        pass
    try:
        with open(os.path.join(out, kernel + ".secs")) as f:
            k["secs"] = int(f.read())
    except (OSError, ValueError):
        k["secs"] = 0
    return k


def spread(values):
    """(median, min, max) of the values, or None without any."""
    v = sorted(values)
    if not v:
        return None
    mid = len(v) // 2
    med = v[mid] if len(v) % 2 else (v[mid - 1] + v[mid]) / 2
    return med, v[0], v[-1]


def reap_figures(k):
    """Median and spread of the reap time (ms) and of the memory it freed
    (MiB), over the rounds that reaped."""
    ok = [r for r in k["reaps"] if r["reap_ms"] >= 0]
    return (spread([r["reap_ms"] for r in ok]),
            spread([r["freed_kb"] / 1024 for r in ok if r["freed_kb"] >= 0]))


def judge_reap(k):
    """(passed, note) for a converted kernel's reaper rounds."""
    reaps = k["reaps"]
    if not k["rounds"]:
        return True, "not in the plan"
    if len(reaps) != k["rounds"]:
        return False, f"{len(reaps)} of {k['rounds']} rounds ran"
    detached = 0
    for r in reaps:
        if r["mrelease"] in ("no-vcpu", "fork-failed"):
            return False, (f"round {r['round']}: {r['mrelease']}, the victim "
                           "never ran a vCPU (see its assertion on the console)")
        if r["detach"] == "-" or r["unregistered"] == "-":
            return False, "no mmu_notifier_oom_* counters in /proc/vmstat"
        d, u = int(r["detach"]), int(r["unregistered"])
        if d != u or d > 1:
            return False, (f"round {r['round']}: detached {d}, owner told "
                           f"{u} times")
        if r["vms"] != 0:
            return False, (f"round {r['round']}: {r['vms']} VMs left after "
                           "the victim exited (kvm_destroy_vm() did not run)")
        if r["mrelease"] not in ("0", "ESRCH"):
            return False, f"round {r['round']}: process_mrelease {r['mrelease']}"
        # The detach happens inside the reap: never a reason to retry.
        if r["eagain"]:
            return False, (f"round {r['round']}: process_mrelease returned "
                           f"EAGAIN {r['eagain']} times before succeeding")
        detached += d
    if not detached:
        return False, "no round detached KVM's notifier: nothing was reaped"
    return True, (f"{detached}/{len(reaps)} VMs detached, owner told once "
                  "each; process_mrelease succeeded on its first call")


def judge_oom(k):
    """(passed, note) for a converted kernel's kernel-OOM-killer rounds."""
    ooms = k["ooms"]
    if not k["oom_rounds"]:
        return True, "not in the plan"
    if len(ooms) != k["oom_rounds"]:
        return False, f"{len(ooms)} of {k['oom_rounds']} rounds ran"
    for r in ooms:
        n = f"round {r['round']}"
        if r["exit"] != "signal-9":
            return False, f"{n}: the VM process ended with {r['exit']}, not SIGKILL"
        if r["oom_kill"] != 1:
            return False, f"{n}: {r['oom_kill']} OOM kills in the cgroup, not 1"
        if not r["reaped"]:
            return False, f"{n}: the oom_reaper did not reap the mm in 30 s"
        # From the oom:*_task_reaping trace events (e2e-init.c).
        if r["reaper_attempts"] != 1:
            return False, (f"{n}: the oom_reaper kthread made "
                           f"{r['reaper_attempts']} attempts to reap, not 1")
        if r["detach"] == "-" or r["unregistered"] == "-":
            return False, "no mmu_notifier_oom_* counters in /proc/vmstat"
        if (r["detach"], r["unregistered"]) != ("1", "1"):
            return False, (f"{n}: detached {r['detach']}, owner told "
                           f"{r['unregistered']} times, not once each")
        if r["vms"] != 0:
            return False, f"{n}: {r['vms']} VMs left after the processes exited"
    if k["oom_killed"] != len(ooms):
        return False, (f"{k['oom_killed']} \"Killed process\" lines for "
                       f"{len(ooms)} rounds")
    if k["oom_reaped"] != len(ooms):
        return False, (f"{k['oom_reaped']} \"oom_reaper: reaped process\" "
                       f"lines for {len(ooms)} rounds")
    if k["oom_unable"]:
        return False, f"{k['oom_unable']} \"oom_reaper: unable to reap\" lines"
    return True, (f"{len(ooms)} rounds: one process killed and reaped by the "
                  "oom_reaper each, on its first attempt, KVM detached and "
                  "told once each")


def oom_figures(k):
    """Median and spread of the kill-to-reap time (ms) of reaped rounds."""
    return spread([r["kill_to_reap_ms"] for r in k["ooms"] if r["reaped"]])


def main():
    out, kernels = sys.argv[1], sys.argv[2:]
    data = {k: parse(out, k) for k in kernels}
    verdicts = []       # (check name, passed, note)

    for name, k in data.items():
        flavor, side = name.rsplit("-", 1)
        # The plan ran to its end, with both CPUs of the machine up.
        verdicts.append((f"{name}:finished", k["done"] and k["cpus"] >= 2,
                         f"{k['cpus']} CPUs up, plan " +
                         ("finished" if k["done"] else "NOT finished")))
        if side == "baseline":
            if flavor == "rt":
                if k["rounds"]:
                    verdicts.append((f"{name}:reference", k["seed001"],
                                     "seed 001's report on the reap"
                                     if k["seed001"] else
                                     "seed 001's report did not reproduce"))
                else:
                    verdicts.append((f"{name}:reference", True,
                                     "not in the plan"))
                if k["oom_rounds"]:
                    verdicts.append((
                        f"{name}:oom-reference", k["seed001_oom_reaper"],
                        "seed 001's report from the oom_reaper kthread"
                        if k["seed001_oom_reaper"] else
                        "seed 001's report did not come from the oom_reaper"))
            continue
        base = data.get(f"{flavor}-baseline")
        for test, t in k["tests"].items():
            ok = t["exit"] == "0"
            note = f"exit {t['exit']}, {t['secs']}s"
            if t.get("retried"):
                note += ("; second run: the first stopped with the known "
                         "exit_reason=SHUTDOWN (README)")
            elif len(t.get("runs", [])) > 1:
                note += f"; run again: exit {t['runs'][-1]['exit']}"
            if not ok and base and base["tests"].get(test, {}).get("exit") \
                    not in (None, "0", "not run"):
                note += "; also fails on the baseline"
            verdicts.append((f"{name}:{test}", ok, note))
        verdicts.append((f"{name}:reap", *judge_reap(k)))
        if k["oom_rounds"]:
            verdicts.append((f"{name}:oom", *judge_oom(k)))
        verdicts.append((f"{name}:reports", not k["reports"],
                         f"{len(k['reports'])} reports" +
                         (f", first: {k['reports'][0][:90]}"
                          if k["reports"] else "")))

    # The table: kernel x scenario.
    scenarios = []
    for k in data.values():
        for t in k["tests"]:
            if t not in scenarios:
                scenarios.append(t)
    rows = [["scenario"] + list(data)]
    for s in scenarios:
        row = [s]
        for k in data.values():
            t = k["tests"].get(s)
            row.append("-" if not t else
                       "passed (2nd run)" if t.get("retried") else
                       "passed" if t["exit"] == "0" else f"FAILED ({t['exit']})")
        rows.append(row)
    row = ["reaper"]
    for name, k in data.items():
        det = [r for r in k["reaps"] if r["detach"] not in ("-", "0")]
        cell = f"{len(k['reaps'])}/{k['rounds']} rounds"
        if k["reaps"] and k["reaps"][0]["detach"] != "-":
            cell += f", {len(det)} detached"
        cell += f", {sum(r['eagain'] for r in k['reaps'])} EAGAIN"
        if name.endswith("-baseline") and name.startswith("rt-"):
            cell += ", seed 001 " + ("reproduced" if k["seed001"] else "MISSING")
        row.append(cell)
    rows.append(row)
    row = ["reap ms"]
    row2 = ["freed MiB"]
    for k in data.values():
        t, m = reap_figures(k)
        row.append("-" if not t else f"{t[0]:.0f} ({t[1]:.0f}-{t[2]:.0f})")
        row2.append("-" if not m else f"{m[0]:.0f} ({m[1]:.0f}-{m[2]:.0f})")
    rows += [row, row2]
    # Side by side in one run: the series' reap time over the baseline's.
    row = ["reap series/baseline"]
    for name in data:
        flavor, side = name.rsplit("-", 1)
        base = data.get(f"{flavor}-baseline")
        t = reap_figures(data[name])[0]
        b = reap_figures(base)[0] if base and side == "series" else None
        row.append(f"{t[0] / b[0]:.2f}" if t and b and b[0] > 0 else "-")
    rows.append(row)
    if any(k["oom_rounds"] for k in data.values()):
        row = ["OOM killer"]
        row2 = ["kill to reap ms"]
        for name, k in data.items():
            ooms = k["ooms"]
            cell = (f"{len(ooms)}/{k['oom_rounds']} rounds, "
                    f"{k['oom_killed']} killed, {k['oom_reaped']} reaped")
            if ooms and ooms[0]["detach"] != "-":
                cell += f", {sum(r['detach'] == '1' for r in ooms)} detached"
            if k["oom_unable"]:
                cell += f", {k['oom_unable']} unable to reap"
            first = sum(r["reaper_attempts"] == 1 for r in ooms)
            cell += f", {first} on the first attempt"
            if name.startswith("rt-") and name.endswith("-baseline"):
                cell += (", seed 001 " + ("reproduced" if
                         k["seed001_oom_reaper"] else "MISSING"))
            row.append(cell)
            t = oom_figures(k)
            row2.append("-" if not t else f"{t[0]:.0f} ({t[1]:.0f}-{t[2]:.0f})")
        rows += [row, row2]
    rows.append(["reports"] + [str(len(k["reports"])) for k in data.values()])
    rows.append(["CPUs"] + [str(k["cpus"]) for k in data.values()])
    rows.append(["minutes"] + [f"{k['secs'] / 60:.1f}" for k in data.values()])
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    table = "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip()
                      for r in rows)
    failed = [v for v in verdicts if not v[1]]
    lines = [table, ""]
    lines += [f"{'passed' if ok else 'FAILED'}  e2e:{n}: {note}"
              for n, ok, note in verdicts]
    lines.append(f"\n{len(verdicts) - len(failed)} passed, {len(failed)} failed")
    with open(os.path.join(out, "table.txt"), "w") as f:
        f.write("\n".join(lines) + "\n")
    with open(os.path.join(out, "e2e.json"), "w") as f:
        json.dump({"kernels": data,
                   "verdicts": [{"check": f"e2e:{n}", "passed": ok,
                                 "note": note} for n, ok, note in verdicts]},
                  f, indent=1)
    print("\n".join(lines))

    results = os.environ.get("CHECK_RESULTS")
    if results:
        with open(results, "a") as f:
            for n, ok, note in verdicts:
                kernel = n.split(":")[0]
                f.write(f"e2e:{n}\t{'passed' if ok else 'failed'}\t"
                        f"{data[kernel]['secs']}\t{data[kernel]['console']}\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
