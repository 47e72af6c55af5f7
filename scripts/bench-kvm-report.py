#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""bench-kvm-report.py - the KVM table of `make bench` (scripts/bench-kvm.sh).

Usage: bench-kvm-report.py --dir=DIR --boots=N --config=.config
           --baseline-config=.config --qemu=DESCRIPTION --base=SHA --tip=SHA
           --out=BENCHDIR [--notes=FILE]

Reads DIR/plan and DIR/SIDE-I.console (SIDE baseline or series, I from 1
to N; boot I of each side is pair I): the "E2E ..." lines of
scripts/e2e-init.c and, between "E2E start test NAME" and "E2E test NAME
exit=0", each selftest's own output.  Every figure is what the selftest
prints, except memslot_modification_stress_test's, which prints none:
its wall time, from e2e-init's line.  A round step (reap, oom) gives one
figure per boot, the median of its rounds.

Per figure and kernel: the median over boots and the range (min-max),
and n.  The ratio is the median over pairs of series / baseline, with a
95% bootstrap interval (the pairs resampled with replacement, 10000
times, fixed seed); "within noise" when the interval holds 1, and the
column "admits" gives the worst change for the series that the interval
does not exclude.  Each figure says what of the series it exercises:
"reader" (KVM's invalidations, the gate's readers), "writer" (memslot
updates, the gate's writer), "OOM" (the OOM detach) or "-" (none: a
check that the rest of KVM is unchanged).

The goal: no figure worse on the series (its interval entirely on the
worse side of 1), and the reaper's time ratio at most 1.05.  A figure that
misses it must be explained in scripts/bench-kvm.notes (--notes=), whose
paragraph the report prints; an unexplained one is a problem.

Writes BENCHDIR/kvm.txt and the "kvm" key of BENCHDIR/bench.json (the rest
of that file, make bench's other parts, is kept).  Exits 2 when a
selftest printed output this script does not know, or a line of
e2e-init.c is not in its format (the message names the selftest or the
line, and the console); exits 1 on any problem of the run: a console
without "E2E done" or without a step of the plan; a selftest failure
other than the emulator's known guest triple fault (that one is counted
and listed, and a boot where the retry failed so too has no figure of
that selftest: n says so);
a reap or OOM round that did not detach KVM's notifier on the series
(or did on the baseline); a kernel warning or report on a console; a
figure with fewer than 3 pairs or a median that is not positive; two
kernel configurations that differ or hold a debug option; a figure that
misses the goal unexplained.
"""
import argparse
import os
import platform
import random
import re
import statistics
import sys
import textwrap

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_lib import host_cpu, qemu_version, read_config, write_bench_json  # noqa: E402
from kernel_reports import REPORTS  # noqa: E402

ME = "scripts/bench-kvm-report.py"
SIDES = ("baseline", "series")

TEST = re.compile(r"^E2E test (\S+) exit=(\S+) secs=\d+ ms=(\d+)$")
START = re.compile(r"^E2E start test (\S+)$")
REAP = re.compile(r"^E2E reap (\d+) mrelease=(\S+) eagain=(\d+) detach=(\S+) "
                  r"unregistered=(\S+) vms=(-?\d+)"
                  r"(?: reap_ms=(-?[\d.]+) rss_kb=(-?\d+) freed_kb=(-?\d+))?$")
OOM = re.compile(r"^E2E oom (\d+) exit=(\S+) oom_kill=(-?\d+) detach=(\S+) "
                 r"unregistered=(\S+) vms=(-?\d+) reaped=(yes|no) "
                 r"kill_to_reap_ms=(-?\d+) rss_kb=(-?\d+) reaper_attempts=(-?\d+)$")
# Where an "E2E " line of /init begins, if a kernel message came first.
E2E_AT = re.compile(r"E2E (?:start |test |reap \d|oom \d|done$)")
STAMP = re.compile(r"^\[\s*\d+\.\d+\] ")
SECS = r"(\d+\.\d{9})s"
# The one selftest failure a retry may follow: the memstress guest's
# triple fault under the emulator (make e2e's KNOWN_FLAKE).
KNOWN_FLAKE = ("254", "exit_reason=SHUTDOWN")
# The kernel's reports, and any warning: none is expected.
KERNEL_REPORT = re.compile(REPORTS.pattern + r"|WARNING: |Oops|kernel BUG at")
# oom_kill.c's OOM_REAPER_DELAY: the oom_reaper waits this long after the
# kill before it reaps.
OOM_REAPER_DELAY_MS = 2000


class FormatError(Exception):
    """A selftest's output that the parser does not know."""


# Figures: key -> (label, unit, better, exercises).  "lower" for times,
# "higher" for rates.
FIGURES = {}


def figure(key, label, unit, better, exercises):
    FIGURES[key] = (label, unit, better, exercises)
    return key


# memslot_perf_test: map and the unmaps drop guest memory with
# madvise(MADV_DONTNEED) (invalidations); the moves are memslot updates;
# RW only reads and writes guest memory.
MEMSLOT_CASES = {"map": "reader", "unmap": "reader", "unmap chunked": "reader",
                 "move active area": "writer", "move inactive area": "writer", "RW": "-"}
for _c, _x in MEMSLOT_CASES.items():
    figure(f"memslot_perf_test/{_c}", f"memslot_perf_test {_c}, per iteration",
           "ms", "lower", _x)
figure("memslot_perf_test/slot setup", "memslot_perf_test: best slot setup",
       "ms", "lower", "writer")
DIRTY = (("populate", r"Populate memory time: " + SECS, "populate memory", "-"),
         ("enable", r"Enabling dirty logging time: " + SECS, "enable dirty logging", "writer"),
         ("get", r"Get dirty log over (\d+) iterations took " + SECS +
          r"\. \(Avg " + SECS + r"/iteration\)", "get dirty log, average", "-"),
         ("clear", r"Clear dirty log over (\d+) iterations took " + SECS +
          r"\. \(Avg " + SECS + r"/iteration\)", "clear dirty log, average", "-"),
         ("disable", r"Disabling dirty logging time: " + SECS, "disable dirty logging", "writer"))
for _k, _re, _label, _x in DIRTY:
    figure(f"dirty_log_perf_test/{_k}", f"dirty_log_perf_test: {_label}", "ms", "lower", _x)
figure("dirty_log_perf_test/dirty", "dirty_log_perf_test: dirty memory, iter. 2-",
       "ms", "lower", "-")
figure("demand_paging_test/rate", "demand_paging_test: overall rate",
       "pages/s", "higher", "-")
figure("memslot_modification_stress_test/wall",
       "memslot_modification_stress_test: wall", "s", "lower", "writer")
figure("reap/reap_ms", "reaper: SIGKILL to process_mrelease() done",
       "ms", "lower", "OOM")
figure("oom/reap_ms", "OOM killer: kill to reaped, beyond the 2 s delay",
       "ms", "lower", "OOM")


def need(pattern, text, test, what):
    m = re.search(pattern, text, re.M)
    if not m:
        raise FormatError(f"{test}: no {what} line (/{pattern}/)")
    return m


def memslot_perf(text):
    """memslot_perf_test: per case, "Best runtime result was Ts per
    iteration"; once, "Best slot setup time for the whole test area"."""
    out = {}
    blocks = re.split(r"^(?=Testing .* performance with \d+ runs?, \d+ seconds each$)",
                      text, flags=re.M)
    seen = []
    for b in blocks:
        m = re.match(r"Testing (.*) performance with \d+ runs?, \d+ seconds each$", b, re.M)
        if not m:
            continue
        case = m[1]
        if case not in MEMSLOT_CASES:
            raise FormatError(f"memslot_perf_test: unknown case {case!r}")
        seen.append(case)
        said = (b.splitlines()[1:2] or [""])[0]
        need(r"^Test took " + SECS + r" for slot setup \+ " + SECS + r" all iterations$",
             b, "memslot_perf_test", f"{case!r} \"Test took\" (it said {said!r})")
        best = need(r"^Best runtime result was " + SECS +
                    r" per iteration \(with (\d+) iterations\)$", b, "memslot_perf_test",
                    f"{case!r} \"Best runtime result\"")
        out[f"memslot_perf_test/{case}"] = float(best[1]) * 1e3
    missing = [c for c in MEMSLOT_CASES if c not in seen]
    if missing:
        raise FormatError(f"memslot_perf_test: no \"Testing ... performance\" block for {missing}")
    setup = need(r"^Best slot setup time for the whole test area was " + SECS + "$", text,
                 "memslot_perf_test", "\"Best slot setup time\"")
    out["memslot_perf_test/slot setup"] = float(setup[1]) * 1e3
    return out


def dirty_log_perf(text):
    out = {}
    for key, pattern, label, _x in DIRTY:
        m = need("^" + pattern, text, "dirty_log_perf_test", repr(label))
        out[f"dirty_log_perf_test/{key}"] = float(m[m.lastindex]) * 1e3
    iters = [(int(m[1]), float(m[2])) for m in
             re.finditer(r"^Iteration (\d+) dirty memory time: " + SECS + "$", text, re.M)]
    later = [t for i, t in iters if i >= 2]
    if not later:
        raise FormatError("dirty_log_perf_test: no \"Iteration N dirty memory time\" "
                          "line for N >= 2")
    out["dirty_log_perf_test/dirty"] = statistics.mean(later) * 1e3
    return out


def demand_paging(text):
    m = need(r"^Overall demand paging rate:\s+([\d.]+) pgs/sec$", text,
             "demand_paging_test", "\"Overall demand paging rate\"")
    need(r"^Total guest execution time:\s+" + SECS + "$", text, "demand_paging_test",
         "\"Total guest execution time\"")
    return {"demand_paging_test/rate": float(m[1])}


def memslot_stress(text):
    # Its own lines, so that a change of the selftest shows here too.
    need(r"^Started all vCPUs$", text, "memslot_modification_stress_test",
         "\"Started all vCPUs\"")
    need(r"^All vCPU threads joined$", text, "memslot_modification_stress_test",
         "\"All vCPU threads joined\"")
    return {}


PARSERS = {
    "memslot_perf_test": memslot_perf,
    "dirty_log_perf_test": dirty_log_perf,
    "demand_paging_test": demand_paging,
    "memslot_modification_stress_test": memslot_stress,
}


def console_lines(path):
    lines = []
    with open(path, errors="replace") as f:
        for line in f:
            line = STAMP.sub("", line.rstrip("\r\n"))
            m = E2E_AT.search(line)
            if m and m.start() > 0:
                # /init's line after a kernel message without its newline:
                # both are read.
                lines += [line[:m.start()], line[m.start():]]
            else:
                lines.append(line)
    return lines


def read_plan(path):
    """The plan's steps: [("test", NAME)], reap rounds, oom rounds."""
    tests, reaps, ooms = [], 0, 0
    for line in open(path):
        w = line.split()
        if w and w[0] in ("test", "test-retry"):
            tests.append(w[1])
        elif w and w[0] == "reap":
            reaps = int(w[1])
        elif w and w[0] == "oom":
            ooms = int(w[1])
    return tests, reaps, ooms


def parse_console(path, side, plan, problems, notes, failures):
    """{figure: value} of one boot."""
    name_ = os.path.basename(path)
    lines = console_lines(path)
    vals, output, reaps, ooms, attempts = {}, None, [], [], {}
    for line in lines:
        if KERNEL_REPORT.search(line):
            problems.append(f"{path}: the kernel reported: {line.strip()[:100]}")
        m = START.match(line)
        if m:
            output = []
            continue
        m = TEST.match(line)
        if not m and line.startswith("E2E test "):
            raise FormatError(f"scripts/e2e-init.c's test line {line!r} is not "
                              f"/{TEST.pattern}/ ({path})")
        if m:
            name, exit_, ms = m[1], m[2], int(m[3])
            if name not in PARSERS:
                raise FormatError(f"{name}: no parser for this selftest ({path})")
            said = [x.strip() for x in output or [] if x.strip()]
            prior = attempts.setdefault(name, [])
            prior.append(exit_)
            if exit_ != "0":
                failures[side] += 1
                flake = exit_ == KNOWN_FLAKE[0] and any(KNOWN_FLAKE[1] in x for x in said)
                notes.append(f"{name_}: {name} exit={exit_}"
                             + (f" ({said[-1]})" if said else "")
                             + ("" if flake else ": NOT the known guest triple fault"))
                if not flake:
                    problems.append(f"{path}: {name} failed (exit={exit_}), "
                                    "and not by the emulator's known guest triple fault")
            else:
                try:
                    vals.update(PARSERS[name]("\n".join(output or [])))
                except FormatError as e:
                    raise FormatError(f"{e} in {path}")
                if name == "memslot_modification_stress_test":
                    vals["memslot_modification_stress_test/wall"] = ms / 1000
            output = None
            continue
        if output is not None:
            output.append(line)
        for pattern, what in ((REAP, "E2E reap "), (OOM, "E2E oom ")):
            if re.match(what + r"\d", line) and not pattern.match(line):
                raise FormatError(f"scripts/e2e-init.c's {what.split()[1]} line {line!r} is not "
                                  f"/{pattern.pattern}/ ({path})")
        detached = "1" if side == "series" else "-"
        m = REAP.match(line)
        if m:
            if m[2] != "0" or m[7] is None or float(m[7]) < 0:
                problems.append(f"{path}: reap round {m[1]}: mrelease={m[2]}")
            elif m[4] != detached or m[5] != detached or m[3] != "0":
                problems.append(f"{path}: reap round {m[1]}: detach={m[4]} unregistered={m[5]} "
                                f"eagain={m[3]}, where the {side} detaches "
                                f"{'once' if side == 'series' else 'nothing'} at the first try")
            else:
                reaps.append((float(m[7]), int(m[8])))
        m = OOM.match(line)
        if m:
            if m[7] != "yes" or int(m[8]) < 0:
                problems.append(f"{path}: OOM round {m[1]}: exit={m[2]} reaped={m[7]}")
            elif m[4] != detached or m[5] != detached:
                problems.append(f"{path}: OOM round {m[1]}: detach={m[4]} unregistered={m[5]}, "
                                f"where the {side} detaches "
                                f"{'once' if side == 'series' else 'nothing'}")
            else:
                ooms.append((int(m[8]) - OOM_REAPER_DELAY_MS, int(m[9])))
    if "E2E done" not in lines:
        problems.append(f"{path}: no \"E2E done\": the plan did not finish")
    tests, nreap, noom = plan
    for t in tests:
        if t not in attempts:
            problems.append(f"{path}: the plan's {t} did not run")
    got_reap = sum(1 for x in lines if REAP.match(x))
    got_oom = sum(1 for x in lines if OOM.match(x))
    if (got_reap, got_oom) != (nreap, noom):
        problems.append(f"{path}: {got_reap} reap and {got_oom} OOM rounds, "
                        f"where the plan has {nreap} and {noom}")
    if reaps:
        vals["reap/reap_ms"] = statistics.median(r for r, _ in reaps)
        vals["reap/rss_kb"] = statistics.median(k for _, k in reaps)
    if ooms:
        vals["oom/reap_ms"] = statistics.median(r for r, _ in ooms)
    return vals


def paired(b, s):
    """The pairs' ratios series / baseline, over the pairs with both."""
    return [s[i] / b[i] for i in sorted(set(b) & set(s))]


def bootstrap(ratios, n=10000, seed=1):
    rng = random.Random(seed)
    rs = sorted(statistics.median([rng.choice(ratios) for _ in ratios]) for _ in range(n))
    return rs[int(0.025 * n)], rs[int(0.975 * n) - 1]


def verdict(lo, hi, better):
    if lo <= 1 <= hi:
        return "within noise"
    faster = hi < 1 if better == "lower" else lo > 1
    return "series better" if faster else "SERIES WORSE"


def admits(lo, hi, better):
    """The worst change for the series that [lo, hi] does not exclude, in
    percent: positive, slower (a longer time or a lower rate) by this
    much; negative, faster by at least this much."""
    return (hi - 1) * 100 if better == "lower" else (1 - lo) * 100


def read_notes(path):
    """{figure: why it misses the goal}: "FIGURE: text" paragraphs, a
    figure per paragraph (continuation lines indented), "#" comments."""
    notes, key = {}, None
    try:
        f = open(path)
    except OSError as e:
        sys.exit(f"{ME}: the notes file: {e}")
    for n, line in enumerate(f, 1):
        if line.startswith("#") or not line.strip():
            key = None if not line.strip() else key
            continue
        m = re.match(r"^(\S+): (.*)$", line)
        if m and not line[0].isspace():
            key = m[1]
            if key not in FIGURES:
                sys.exit(f"{ME}: {path}:{n}: {key}: no such figure")
            notes[key] = m[2].strip()
        elif key and line[0].isspace():
            notes[key] += " " + line.strip()
        else:
            sys.exit(f"{ME}: {path}:{n}: want \"FIGURE: text\", got {line.rstrip()!r}")
    return notes


# Options that weigh on one side's code more than on the other's.
DEBUG_OPTIONS = ("PROVE_LOCKING", "DEBUG_LOCK_ALLOC", "LOCK_STAT", "PROVE_RCU",
                 "DEBUG_ATOMIC_SLEEP", "DEBUG_SPINLOCK", "DEBUG_PREEMPT", "DEBUG_VM",
                 "DEBUG_PAGEALLOC", "KASAN", "KCSAN", "KMSAN", "UBSAN", "KCOV",
                 "KVM_PROVE_MMU", "KUNIT")


def environment(args, problems):
    cpu = host_cpu()
    try:
        cfg, bcfg = read_config(args.config), read_config(args.baseline_config)
    except OSError as e:
        sys.exit(f"{ME}: a kernel configuration: {e}")
    # The configurations may differ only in what a kernel's own version
    # puts there.
    diff = sorted(k for k in set(cfg) | set(bcfg)
                  if cfg.get(k) != bcfg.get(k) and k not in ("CONFIG_LOCALVERSION",))
    if diff:
        problems.append(f"the two kernels' configurations differ: {', '.join(diff[:8])}")
    preempt = next((k[len("CONFIG_"):] for k in ("CONFIG_PREEMPT_RT", "CONFIG_PREEMPT_LAZY",
                                                  "CONFIG_PREEMPT", "CONFIG_PREEMPT_VOLUNTARY",
                                                  "CONFIG_PREEMPT_NONE")
                    if cfg.get(k) == "y"), "?")
    debug = [k for k in DEBUG_OPTIONS if cfg.get("CONFIG_" + k) == "y"]
    if debug:
        problems.append(f"debug options in the perf kernels: {', '.join(debug)}")
    return {
        "host": f"{cpu}, {os.cpu_count()} CPUs, {platform.system()} {platform.release()}",
        "emulator": f"{qemu_version()} (TCG, no accelerator), {args.qemu}",
        "kernel": f"tinyconfig + scripts/configs/e2e-x86_64.config + e2e-perf.config: "
                  f"nested KVM (kvm-amd) in QEMU TCG, "
                  f"NR_CPUS={cfg.get('CONFIG_NR_CPUS', '?')}, {preempt}, "
                  f"HZ={cfg.get('CONFIG_HZ', '?')}, THP={cfg.get('CONFIG_TRANSPARENT_HUGEPAGE', 'n')}, "
                  f"debug options: {', '.join(debug) or 'none'}; same on both sides"
                  f"{'' if not diff else ' (NOT: see problems)'}",
        "compiler": cfg.get("CONFIG_CC_VERSION_TEXT", "?"),
        "commits": f"baseline {args.base[:12]}, series {args.tip[:12]}",
    }


def fmt(x):
    if x == 0:
        return "0"
    digits = max(0, 3 - len(str(int(abs(x)))))
    return f"{x:.{digits}f}"


def main():
    ap = argparse.ArgumentParser()
    for a in ("dir", "boots", "config", "baseline-config", "qemu", "base", "tip", "out"):
        ap.add_argument("--" + a, required=True)
    ap.add_argument("--notes", default="scripts/bench-kvm.notes")
    args = ap.parse_args()
    boots = int(args.boots)
    problems, notes = [], []
    failures = {side: 0 for side in SIDES}
    explained = read_notes(args.notes)
    try:
        plan = read_plan(os.path.join(args.dir, "plan"))
    except OSError as e:
        sys.exit(f"{ME}: the plan: {e}")
    # samples[side][figure][pair] = value
    samples = {side: {} for side in SIDES}
    boot_info = {side: {} for side in SIDES}
    try:
        for i in range(1, boots + 1):
            for side in SIDES:
                path = os.path.join(args.dir, f"{side}-{i}.console")
                if not os.path.exists(path):
                    problems.append(f"{path}: missing")
                    continue
                for k, v in parse_console(path, side, plan, problems, notes, failures).items():
                    samples[side].setdefault(k, {})[i] = v
                info = []
                for ext in ("secs", "load"):
                    try:
                        info.append(open(path[:-len(".console")] + "." + ext).read().strip())
                    except OSError:
                        info.append("?")
                boot_info[side][i] = info
    except FormatError as e:
        print(f"{ME}: unknown output format: {e}", file=sys.stderr)
        return 2

    env = environment(args, problems)
    lines = ["make bench: KVM's own benchmarks, baseline and series booted in pairs", ""]
    lines += [f"  {k + ':':10} {v}" for k, v in env.items()] + [""]
    lines += ["Per kernel: median [min-max] over n boots (a round step's figure per boot is "
              "its rounds' median).",
              "Ratio: median over the pairs of series / baseline, [95% bootstrap interval]; "
              "\"within noise\" when it holds 1;",
              "\"admits\": the worst change for the series the interval does not exclude "
              "(+: slower, or a lower rate; -: faster at worst).",
              "Exercises: what of the series the figure runs (reader, writer, OOM; -: none).",
              "",
              f"  {'figure':52} {'unit':7} {'exercises':9} {'baseline':>22} {'series':>22} "
              f"{'n':>3} {'series/baseline':>21} {'admits':>7}  verdict"]
    figures = {}
    for key, (label, unit, better, exercises) in FIGURES.items():
        b, s = samples["baseline"].get(key, {}), samples["series"].get(key, {})
        ratios = paired(b, s)
        if len(ratios) < 3:
            problems.append(f"{key}: {len(ratios)} pairs of boots gave this figure "
                            f"({len(b)} baseline, {len(s)} series boots); at least 3 are needed")
            continue
        if min(list(b.values()) + list(s.values())) <= 0:
            problems.append(f"{key}: a value that is not positive "
                            f"(baseline {sorted(b.values())}, series {sorted(s.values())})")
            continue
        ratio = statistics.median(ratios)
        lo, hi = bootstrap(ratios)
        v = verdict(lo, hi, better)
        goal = None
        if key == "reap/reap_ms":
            goal = ratio <= 1.05
            v += (f"; goal ratio <= 1.05: {'met' if goal else 'NOT MET'}"
                  f"{'' if hi <= 1.05 else ' (not shown: the interval goes above)'}")
        st = {}
        for side, x in (("baseline", b), ("series", s)):
            vals = list(x.values())
            st[side] = {"median": statistics.median(vals), "min": min(vals), "max": max(vals),
                        "n": len(vals), "values": x}
        cell = {side: f"{fmt(st[side]['median'])} [{fmt(st[side]['min'])}-{fmt(st[side]['max'])}]"
                for side in SIDES}
        worst = admits(lo, hi, better)
        lines.append(f"  {label:52} {unit:7} {exercises:9} {cell['baseline']:>22} "
                     f"{cell['series']:>22} {len(ratios):3d} {ratio:7.3f} [{lo:.3f}-{hi:.3f}] "
                     f"{worst:+6.1f}%  {v}")
        figures[key] = {"label": label, "unit": unit, "better": better, "exercises": exercises,
                        **st, "pairs": len(ratios), "pair_ratios": ratios, "ratio": ratio,
                        "interval": [lo, hi], "admits_percent": worst, "verdict": v}
        if goal is not None:
            figures[key]["goal_met"] = goal
    worse = [k for k, f in figures.items() if f["verdict"].startswith("SERIES WORSE")]
    missed = worse + [k for k, f in figures.items() if f.get("goal_met") is False and k not in worse]
    for k in missed:
        if k in explained:
            figures[k]["explanation"] = explained[k]
        else:
            problems.append(f"{k}: misses the goal, and {args.notes} does not say why")
    goal = not missed
    rss = {side: samples[side].get("reap/rss_kb", {}) for side in SIDES}
    lines += ["", f"{len(figures)} figures: "
              f"{sum(f['verdict'].startswith('within noise') for f in figures.values())} within noise, "
              f"{sum(f['verdict'].startswith('series better') for f in figures.values())} series better, "
              f"{len(worse)} series worse" + (f" ({', '.join(worse)})" if worse else ""),
              f"goal (no figure worse on the series, reaper ratio <= 1.05): "
              f"{'met' if goal else 'NOT MET: ' + ', '.join(missed)}",
              "reaper's victims, VmRSS at the kill, median over boots: " +
              ", ".join(f"{side} {statistics.median(rss[side].values()) / 1024:.1f} MiB"
                        for side in SIDES if rss[side])]
    for k in missed:
        if k in explained:
            lines += ["", f"{FIGURES[k][0]} ({args.notes}):"] + \
                [f"  {t}" for t in textwrap.wrap(explained[k], 96)]
    lines += ["", "Boots (pair: seconds, host load average 1/5/15 min at its start):"]
    all_secs = [float(v[0]) for side in SIDES for v in boot_info[side].values()
                if v[0] != "?"]
    for i in range(1, boots + 1):
        cells = []
        for side in SIDES:
            secs, load = boot_info[side].get(i, ["?", "?"])
            slow = (secs != "?" and all_secs and
                    float(secs) > 1.5 * statistics.median(all_secs))
            cells.append(f"{side} {secs} s, load {load}{' (SLOW BOOT)' if slow else ''}")
        lines.append(f"  {i}: " + "; ".join(cells))
    lines += ["", f"Failed selftest runs: baseline {failures['baseline']}, "
              f"series {failures['series']} (where the retry passed, it gave the boot's figure)"]
    lines += [f"  {n}" for n in notes]
    lines += ["", f"{len(problems)} problem(s)"] + [f"  {p}" for p in problems]
    text = "\n".join(lines) + "\n"

    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "kvm.txt"), "w") as f:
        f.write(text)
    path = os.path.join(args.out, "bench.json")
    write_bench_json(path, {"kvm": {
        "environment": env, "boots": boots, "figures": figures, "goal_met": goal,
        "failures": failures, "boot_info": boot_info, "failed_runs": notes,
        "problems": problems}}, ("kvm",))
    print(text, end="")
    print(f"written to {args.out}/kvm.txt and the \"kvm\" part of {path}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
