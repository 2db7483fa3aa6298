#!/usr/bin/env python3
"""Benchmark: `gpucharts-mon lint` against `promtool check metrics` on the
58 MB reference exposition (shared/bench/gen-exposition.py 20000), in one run.

Prints the median wall time of each, the ratio (target, issue 24: lint at
least 30x faster than promtool 2.42) and lint's peak memory (target: at most
32 MiB). promtool 3.x, when present (GPUCHARTS_MON_PROM3_BIN, as .ci/run
sets it, or the CI cache), is far slower on this input (minutes), so it is
timed on a 500-symbol exposition and its ratio printed for that file.

Usage: bench/lint.py [BINARY] [SYMBOLS]   (defaults: target/release/gpucharts-mon, 20000)
"""
import os, statistics, subprocess, sys, tempfile, time

BIN = sys.argv[1] if len(sys.argv) > 1 else "target/release/gpucharts-mon"
SYMBOLS = sys.argv[2] if len(sys.argv) > 2 else "20000"
HERE = os.path.dirname(os.path.abspath(__file__))
GEN = os.path.join(HERE, "..", "..", "shared", "bench", "gen-exposition.py")

def timed(cmd, stdin_path=None, runs=5):
    samples = []
    for _ in range(runs):
        with open(stdin_path or os.devnull, "rb") as stdin:
            t = time.perf_counter()
            subprocess.run(cmd, stdin=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            samples.append(time.perf_counter() - t)
    return statistics.median(samples)

def peak_kib(cmd):
    r = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    return int(r.stderr.strip().splitlines()[-1])

with tempfile.TemporaryDirectory() as d:
    path = os.path.join(d, "big.prom")
    with open(path, "wb") as f:
        subprocess.run([sys.executable, GEN, SYMBOLS], stdout=f, check=True)
    size = os.path.getsize(path) / 1e6
    promtool = timed(["promtool", "check", "metrics"], stdin_path=path, runs=3)
    ours = timed([BIN, "lint", path])
    peak = peak_kib([BIN, "lint", path]) / 1024
    print(f"exposition: {size:.1f} MB; medians:")
    print(f"  promtool check metrics < file   {promtool * 1000:8.0f} ms  ({size / promtool:.0f} MB/s)")
    print(f"  gpucharts-mon lint file          {ours * 1000:8.0f} ms  ({size / ours:.0f} MB/s), peak {peak:.0f} MiB")
    print(f"  speed-up {promtool / ours:.1f}x (target >= 30x); peak memory {peak:.0f} MiB (target <= 32 MiB)")
    print(f"row: | `bench/lint.py`: {size:.0f} MB exposition (`gen-exposition.py {SYMBOLS}`) | `promtool check metrics <` (2.42) {promtool * 1000:.0f} ms | `lint` {ours * 1000:.0f} ms, peak {peak:.0f} MiB | {promtool / ours:.1f}x faster (>= 30x, <= 32 MiB) |")

PROM3 = os.environ.get("GPUCHARTS_MON_PROM3_BIN") or os.path.expanduser(
    "~/.cache/gpucharts-mon/debian-testing/root/usr/bin")
PROMTOOL3 = os.path.join(PROM3, "promtool")
if os.path.exists(PROMTOOL3):
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "small.prom")
        with open(path, "wb") as f:
            subprocess.run([sys.executable, GEN, "500"], stdout=f, check=True)
        size = os.path.getsize(path) / 1e6
        three = timed([PROMTOOL3, "check", "metrics"], stdin_path=path, runs=1)
        two = timed(["promtool", "check", "metrics"], stdin_path=path, runs=3)
        ours = timed([BIN, "lint", path])
        print(f"exposition: {size:.1f} MB (gen-exposition.py 500):")
        print(f"  promtool 3.x {three * 1000:.0f} ms, promtool 2.42 {two * 1000:.0f} ms, lint {ours * 1000:.0f} ms:"
              f" {three / ours:.0f}x promtool 3.x, {two / ours:.1f}x promtool 2.42")
        print(f"row: | same, {size:.1f} MB (`gen-exposition.py 500`) | promtool 3.x {three * 1000:.0f} ms; 2.42 {two * 1000:.0f} ms | `lint` {ours * 1000:.0f} ms | {three / ours:.0f}x promtool 3.x, {two / ours:.1f}x 2.42 |")
else:
    print("promtool 3.x not found (GPUCHARTS_MON_PROM3_BIN): its ratio is not measured")

# Many small families: 2,000,000 families of one series each (~100 MB). What
# lint keeps per family (name, series, top labels) dominates memory here;
# docs/internals.md quotes this figure. promtool takes about two minutes and ~4 GB on
# this input, so it runs only with BENCH_PROMTOOL_2M=1.
FAMILIES = int(os.environ.get("BENCH_FAMILIES", "2000000"))
with tempfile.TemporaryDirectory() as d:
    path = os.path.join(d, "families.prom")
    with open(path, "w") as f:
        for i in range(FAMILIES):
            f.write(f'# TYPE fam_{i} gauge\nfam_{i}{{a="x"}} {i}\n')
    size = os.path.getsize(path) / 1e6
    t = time.perf_counter()
    peak = peak_kib([BIN, "lint", path]) / 1024
    ours = time.perf_counter() - t
    print(f"{FAMILIES} families ({size:.0f} MB): gpucharts-mon lint {ours:.1f} s, peak {peak:.0f} MiB")
    print(f"row: | same, {FAMILIES:,} families of one series ({size:.0f} MB) | – | `lint` {ours:.1f} s, peak {peak:.0f} MiB | memory grows with families, not samples |")
    if os.environ.get("BENCH_PROMTOOL_2M") == "1":
        r = subprocess.run(["/usr/bin/time", "-f", "%e %M", "promtool", "check", "metrics"],
                           stdin=open(path, "rb"), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        secs, kib = r.stderr.strip().splitlines()[-1].split()
        print(f"  promtool check metrics {float(secs):.1f} s, peak {int(kib) / 1024:.0f} MiB")
