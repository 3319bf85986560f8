#!/usr/bin/env python3
"""Turns bench/out/results.tsv (written by bench/run.sh) into the Markdown of
bench/results/province.md: the machine, the workloads, every measured figure and the
duban/peer ratios. Only figures present in the file are printed.

    python3 bench/report.py bench/out/results.tsv bench/out > bench/results/province.md
"""
import datetime
import os
import platform
import subprocess
import sys

res_path, out = sys.argv[1], sys.argv[2]
rows = {}
order = []
for line in open(res_path, encoding="utf-8"):
    f = line.rstrip("\n").split("\t")
    if len(f) < 7:
        continue
    key = (f[0], f[1], f[2])
    if key not in rows:
        order.append(key)
    rows[key] = {"median": f[3], "min": f[4], "rss": f[5], "runs": f[6], "fail": f[7] if len(f) > 7 else ""}


def cpu():
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor()


def mem_gb():
    for line in open("/proc/meminfo"):
        if line.startswith("MemTotal"):
            return round(int(line.split()[1]) / 1048576, 1)


def ver(cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True).stdout.splitlines()[0].strip()
    except Exception:
        return "?"


def meta(size):
    m = {}
    p = os.path.join(out, size, "meta.txt")
    if os.path.exists(p):
        for line in open(p):
            k, _, v = line.strip().partition("=")
            m[k] = v
    return m


def fmt_ratio(r):
    """Three significant figures, and how many times faster duban is when it is."""
    if r >= 1:
        return f"{r:.3g}"
    speed = 1 / r
    return f"{r:.3g} ({speed:.1f}×)" if speed < 10 else f"{r:.3g} ({speed:,.0f}×)"


def fmt_ms(r):
    if r["fail"]:
        return r["fail"]
    v = float(r["median"])
    return f"{v:,.1f}" if v < 10000 else f"{v:,.0f}"


print(f"# Province benchmark — {datetime.date.today().isoformat()}\n")
print(f"Machine: {os.cpu_count()} CPUs ({cpu()}), {mem_gb()} GB memory, {platform.system()} {platform.release()}. "
      f"Peers: Taskwarrior {ver(['task', '--version'])}, {ver(['tj3', '--version'])}.\n")
print(f"Load average when this report was written: {' '.join(open('/proc/loadavg').read().split()[:3])} "
      "(other jobs on the machine inflate every absolute figure).\n")
print("Every figure is a whole process (start-up included): the median wall time of the runs "
      "after one warm-up (runs column; 1 = a single cold run), and the largest peak RSS of those runs. "
      "Queries run as of 2025-07-10.\n")

sizes = []
for s, _, _ in order:
    if s not in sizes:
        sizes.append(s)
print("## Workloads\n")
print("| size | plans | tasks | assignments | updates (history) | sheets | generate (s) | plan loads (s) | load incl. sheets (s) | store (MB) |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for s in sizes:
    m = meta(s if s != "big" else "big")
    if s == "big":
        print(f"| 10k-task plan | 1 | {m.get('big_tasks', '?')} | {m.get('big_assignments', '?')} | – | – | {m.get('generate_seconds', '?')} | – | – | – |")
        continue
    if s == "stress":  # bench/stress.sh: the 10k-task plan with its history
        load = f"{float(m['load_seconds']):.1f}" if "load_seconds" in m else "?"
        print(f"| stress (one plan) | 1 | {m.get('big_tasks', '?')} | {m.get('big_assignments', '?')} | "
              f"{int(m.get('reports', 0)):,} | {m.get('big_sheets', '?')} | {m.get('generate_seconds', '?')} | – | "
              f"{load} | {m.get('store_mb', '?')} |")
        continue
    def g(k, fmtf=None):
        v = m.get(k)
        if v is None:
            return "?"
        return f"{float(v):.1f}" if fmtf else f"{int(v):,}"
    print(f"| {int(s):,} | {g('plans')} | {g('tasks')} | {g('assignments')} | {g('updates')} | {g('sheets')} | "
          f"{m.get('generate_seconds', '?')} | {g('plan_load_seconds', 1)} | {g('load_seconds', 1)} | {m.get('store_mb', '?')} |")

print("\n## duban\n")
print("| size | operation | median (ms) | min (ms) | peak RSS (MB) | runs |")
print("|---|---|---:|---:|---:|---:|")
for key in order:
    s, op, tool = key
    if tool not in ("duban", "system"):
        continue
    r = rows[key]
    rss = f"{int(r['rss']) / 1024:.0f}" if r["rss"] not in ("NA", "") else "–"
    print(f"| {s} | {op} | {fmt_ms(r)} | {r['min']} | {rss} | {r['runs']} |")

print("\n## Shared operations: duban vs Taskwarrior and TaskJuggler\n")
print("Ratio = duban median / peer median (below 1: duban faster; 0.1 = 10× faster, shown in brackets).\n")
print("Net: the same ratio with the measuring wrapper's own cost (the process start floor, "
      "`/bin/true` in the same wrapper) taken from both sides.\n")
print("| size | operation | duban (ms) | Taskwarrior (ms) | duban/Taskwarrior | net | TaskJuggler (ms) | duban/TaskJuggler | peak RSS duban / tw / tj (MB) |")
print("|---|---|---:|---:|---:|---:|---:|---:|---|")
for key in order:
    s, op, tool = key
    if tool != "duban":
        continue
    tw = rows.get((s, op, "taskwarrior"))
    tj = rows.get((s, op, "taskjuggler"))
    if not tw and not tj:
        continue
    d = rows[key]

    def ratio(p):
        if not p or p["fail"] or d["fail"]:
            return "–"
        return fmt_ratio(float(d['median']) / float(p['median']))

    def net(p):
        f = rows.get((s, "process start floor (/bin/true)", "system"))
        if not p or p["fail"] or d["fail"] or not f or f["fail"]:
            return "–"
        floor = float(f["median"])
        dn, pn = float(d["median"]) - floor, float(p["median"]) - floor
        return fmt_ratio(dn / pn) if dn > 0 and pn > 0 else "–"

    def mb(r):
        return f"{int(r['rss']) / 1024:.0f}" if r and r["rss"] not in ("NA", "") else "–"
    print(f"| {s} | {op} | {fmt_ms(d)} | {fmt_ms(tw) if tw else '–'} | {ratio(tw)} | {net(tw)} | {fmt_ms(tj) if tj else '–'} | {ratio(tj)} | {mb(d)} / {mb(tw)} / {mb(tj)} |")
