#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""bench-report.py - the table of `make bench`.

Usage: bench-report.py --codegen=TSV --json=KUNIT-JSON --kernel-log=LOG
                       --config=.config --qemu=DESCRIPTION --out=DIR

Reads the code size comparison (scripts/bench-codegen.py) and the
"bench: CASE VARIANT rep=R ops=N ns=T p50_ns=P max_ns=M" lines of the
microbenchmarks (kunit/bench/primitives_bench.c) from the kernel log,
prints the report and writes it to DIR/report.txt, with the numbers in
DIR/bench.json (whose "kvm" part, make bench's KVM benchmarks, it keeps).

Each microbenchmark compares a primitive with the open-coded pattern it
replaces, in the same boot, variants alternating.  Per repetition, the
time per operation of each side and their ratio (open-coded / primitive:
above 1, the primitive is faster); over repetitions, the median and the
range.

Exits non-zero if a bench case failed or did not run, or if a hot path
grew without an explanation in scripts/bench-codegen.spec.
"""
import argparse
import json
import os
import platform
import re
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_lib import cmd, host_cpu, qemu_version, read_config, write_bench_json  # noqa: E402

ME = "scripts/bench-report.py"

# case: (title, primitive variant, open-coded variant, unit, goal)
CASES = {
    "gate_reader_uncontended": (
        "gate reader enter+leave, one CPU", "inval_gate", "spinlock_count",
        "ns/op", ("ratio_median", 1.0, "at least as fast as the open-coded pattern")),
    "gate_reader_contended": (
        "gate reader enter+leave, 2 CPUs on one gate", "inval_gate", "spinlock_count",
        "ns/op", ("ratio_min", 1.0, "faster in every repetition")),
    "gate_writer_drain": (
        "writer publication, a reader hammering (p50)", "inval_gate", "spinlock_count",
        "ns", None),
    "emergency_invoke": (
        "emergency callback invocation", "emergency_slot", "rcu_pointer",
        "ns/call", None),
    "emergency_invoke_srcu": (
        "emergency call, against SRCU-nmisafe", "emergency_slot",
        "srcu_nmisafe", "ns/call", None),
    "emergency_unregister": (
        "unregister, idle (p50), SRCU", "emergency_slot",
        "synchronize_srcu", "ns", None),
    "emergency_unregister_expedited": (
        "unregister, idle (p50), expedited SRCU", "emergency_slot",
        "synchronize_srcu_expedited", "ns", None),
}

# Cases whose lines another KUnit case prints.
KUNIT_CASE_OF = {"emergency_unregister_expedited": "emergency_unregister"}

LINE = re.compile(r"bench: (\S+) (\S+) rep=(\d+) ops=(\d+) ns=(\d+) p50_ns=(\d+) max_ns=(\d+)")


def leaves(group):
    for case in group.get("test_cases", []):
        yield case["name"], case["status"]
    for sub in group.get("sub_groups", []):
        yield from leaves(sub)


def machine(config, qemu):
    cpu = host_cpu()
    cfg = read_config(config)
    preempt = next((k[len("CONFIG_"):] for k in ("CONFIG_PREEMPT_RT", "CONFIG_PREEMPT_LAZY", "CONFIG_PREEMPT",
                                                  "CONFIG_PREEMPT_VOLUNTARY", "CONFIG_PREEMPT_NONE")
                    if cfg.get(k) == "y"), "?")
    preempt += "".join(f" + {k[len('CONFIG_'):]}" for k in ("CONFIG_PREEMPT_DYNAMIC", "CONFIG_PREEMPT_RCU")
                       if cfg.get(k) == "y")
    debug = [k[len("CONFIG_"):] for k in ("CONFIG_PROVE_LOCKING", "CONFIG_DEBUG_LOCK_ALLOC",
                                          "CONFIG_KASAN", "CONFIG_KCSAN", "CONFIG_DEBUG_ATOMIC_SLEEP",
                                          "CONFIG_DEBUG_SPINLOCK")
             if cfg.get(k) == "y"]
    return {
        "host": f"{cpu}, {os.cpu_count()} CPUs, {platform.system()} {platform.release()}",
        "emulator": f"{qemu_version()} (TCG, no accelerator), {qemu}",
        "kernel": f"x86_64 kunit.py config + kunit/bench/x86_64-smp.config: "
                  f"SMP={cfg.get('CONFIG_SMP', 'n')}, NR_CPUS={cfg.get('CONFIG_NR_CPUS', '?')}, "
                  f"{preempt}, HZ={cfg.get('CONFIG_HZ', '?')}, "
                  f"debug options: {', '.join(debug) or 'none'}",
        "compiler": cfg.get("CONFIG_CC_VERSION_TEXT", "?"),
        "codegen compiler": cmd("gcc", "--version").splitlines()[0] if cmd("gcc", "--version") else "?",
    }


def micro(log):
    """{case: {variant: [(rep, ns, max_ns)]}}: per repetition, the median
    operation where the case times each one, else the mean."""
    runs = {}
    for line in open(log, errors="replace"):
        m = LINE.search(line)
        if m:
            case, variant, rep, ops, ns, p50, max_ns = m.groups()
            if int(ops) == 0:
                sys.exit(f"{ME}: {log}: {case} {variant} rep={rep} did no operation")
            val = int(p50) if int(p50) else int(ns) / int(ops)
            runs.setdefault(case, {}).setdefault(variant, []).append(
                (int(rep), val, int(max_ns)))
    return runs


def stats(xs):
    return {"median": statistics.median(xs), "min": min(xs), "max": max(xs)}


def fmt_range(s, digits=1):
    return f"{s['median']:.{digits}f} ({s['min']:.{digits}f}-{s['max']:.{digits}f})"


def codegen_section(path, problems):
    rows = [line.rstrip("\n").split("\t") for line in open(path) if line.strip()]
    out = ["Code size, x86_64 (defconfig + scripts/configs/x86_64-kvm.config), "
           "baseline -> series", "",
           f"  {'object':44} {'exec bytes':>21}"]
    for r in rows:
        if r[0] == "object":
            b, a = r[3], r[4]
            delta = "" if b == "-" else f"{int(a) - int(b):+d}"
            out.append(f"  {r[1]:44} {b:>8} -> {a:>8} {delta:>7}")
    out += ["", f"  {'function (instructions: hot part, split-off cold parts)':60} "
                f"{'hot':>15} {'cold':>9}  kind   note"]
    funcs = []
    for r in rows:
        if r[0] != "function":
            continue
        _, obj, fn, hb, ha, cold, kind, note = r
        grew = hb != "-" and ha != "-" and int(ha) > int(hb)
        if kind == "hot" and grew and not note:
            problems.append(f"{obj}:{fn} grew from {hb} to {ha} instructions, "
                            "with no explanation in scripts/bench-codegen.spec")
            note = "UNEXPLAINED GROWTH"
        delta = f"{int(ha) - int(hb):+d}" if hb != "-" and ha != "-" else "new" if hb == "-" else "gone"
        out.append(f"  {obj + ':' + fn:60} {hb:>4}->{ha:>4} {delta:>5} {cold:>9}  {kind:6} {note}")
        funcs.append({"object": obj, "function": fn, "before": hb, "after": ha,
                      "cold": cold, "kind": kind, "note": note})
    return out, rows, funcs


def main():
    ap = argparse.ArgumentParser()
    for a in ("codegen", "json", "kernel-log", "config", "qemu", "out"):
        ap.add_argument("--" + a, required=True)
    args = ap.parse_args()
    problems = []

    try:
        results = json.load(open(args.json))
        statuses = dict(leaves(results))
    except (OSError, ValueError) as e:
        statuses = {}
        problems.append(f"{args.json}: no kunit.py results ({e})")
    for case in CASES:
        st = statuses.get(KUNIT_CASE_OF.get(case, case))
        if st != "PASS":
            problems.append(f"bench case {case}: {st or 'did not run'}")

    env = machine(args.config, args.qemu)
    lines = ["make bench", ""] + [f"  {k + ':':18} {v}" for k, v in env.items()] + [""]

    cg_lines, _, funcs = codegen_section(args.codegen, problems)
    lines += cg_lines + [""]

    runs = micro(args.kernel_log)
    lines += ["Microbenchmarks, same boot, variants alternating; median (min-max) over "
              "repetitions; ratio = open-coded / primitive time (above 1: the primitive is faster)",
              "",
              f"  {'case':54} {'primitive':>24} {'open-coded':>24} {'ratio':>18}  goal"]
    micro_json = {}
    for case, (title, prim, ref, unit, goal) in CASES.items():
        got = runs.get(case, {})
        if prim not in got or ref not in got:
            problems.append(f"bench case {case}: no measurements in {args.kernel_log}")
            continue
        p, r = {x[0]: x for x in got[prim]}, {x[0]: x for x in got[ref]}
        reps = sorted(set(p) & set(r))
        ratios = [r[i][1] / p[i][1] for i in reps]
        ps, rs, qs = stats([p[i][1] for i in reps]), stats([r[i][1] for i in reps]), stats(ratios)
        verdict = ""
        if goal:
            which, bar, text = goal
            val = qs["median"] if which == "ratio_median" else qs["min"]
            verdict = f"{'met' if val >= bar else 'NOT MET'}: {text}"
        lines.append(f"  {title + ' [' + unit + ']':54} {fmt_range(ps):>24} {fmt_range(rs):>24} "
                     f"{fmt_range(qs, 2):>18}  {verdict}")
        entry = {"unit": unit, "repetitions": len(reps), prim: ps, ref: rs, "ratio": qs,
                 "goal": verdict}
        if case == "gate_writer_drain":
            pm = stats([p[i][2] for i in reps])
            rm = stats([r[i][2] for i in reps])
            lines.append(f"  {'writer publication, slowest of a repetition [ns]':54} {fmt_range(pm, 0):>24} "
                         f"{fmt_range(rm, 0):>24}")
            entry["slowest"] = {prim: pm, ref: rm}
        micro_json[case] = entry

    sizes = [m.group(1) for m in map(re.compile(r"sizes: (.*)").search,
                                     open(args.kernel_log, errors="replace")) if m]
    if sizes:
        lines += ["", f"  sizes: {sizes[-1].strip()}"]
    lines += ["", f"{len(problems)} problem(s)"] + [f"  {p}" for p in problems]
    text = "\n".join(lines) + "\n"
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "report.txt"), "w") as f:
        f.write(text)
    # The KVM part's results (scripts/bench-kvm-report.py) stay.
    write_bench_json(os.path.join(args.out, "bench.json"),
                     {"environment": env, "codegen": funcs, "micro": micro_json,
                      "problems": problems}, ("environment", "codegen", "micro", "problems"))
    print(text, end="")
    print(f"written to {args.out}/report.txt and {args.out}/bench.json")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
