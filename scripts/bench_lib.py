# SPDX-License-Identifier: GPL-2.0
"""What make bench's two reports share (scripts/bench-report.py and
scripts/bench-kvm-report.py): the machine's description and
out/bench/bench.json, of which each writes its own part."""
import json
import re
import subprocess


def cmd(*argv):
    """A command's standard output, "" if it cannot run."""
    try:
        return subprocess.run(argv, capture_output=True, text=True).stdout.strip()
    except OSError:
        return ""


def host_cpu():
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return "?"


def qemu_version():
    out = cmd("qemu-system-x86_64", "--version").splitlines()
    return out[0] if out else "qemu ?"


def read_config(path):
    """{CONFIG_X: value} of a kernel .config."""
    cfg = {}
    for line in open(path):
        m = re.match(r"^(CONFIG_\w+)=(.*)$", line)
        if m:
            cfg[m[1]] = m[2].strip('"')
    return cfg


def write_bench_json(path, part, keys):
    """Writes the keys of PART into the JSON file PATH, keeping what is
    there under any other key (the other report's part)."""
    try:
        bench = json.load(open(path))
    except (OSError, ValueError):
        bench = {}
    for k in keys:
        bench.pop(k, None)
    bench.update(part)
    with open(path, "w") as f:
        json.dump(bench, f, indent=1)
