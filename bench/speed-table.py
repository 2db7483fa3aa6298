#!/usr/bin/env python3
"""Run every benchmark in bench/ and write the speed table of
docs/internals.md from the `row:` lines they print (each row measured in
one run against the tool it replaces), between the `speed` markers.

Usage: bench/speed-table.py [BINARY]   (default target/release/gpucharts-mon;
test_pull_scale.py runs only where nginx is installed)
"""
import os, shutil, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
DOC = os.path.join(HERE, "..", "docs", "internals.md")
BIN = sys.argv[1] if len(sys.argv) > 1 else "target/release/gpucharts-mon"
START, END = "<!-- speed: written by bench/speed-table.py -->", "<!-- end of speed -->"

benches = ["lint.py", "test_pull.py", "check_targets.py"]
if shutil.which("nginx") or os.path.exists("/usr/sbin/nginx"):
    benches.append("test_pull_scale.py")
else:
    print("nginx not installed: test_pull_scale.py's row is left out", file=sys.stderr)
rows = []
for bench in benches:
    out = subprocess.run([sys.executable, os.path.join(HERE, bench), BIN],
                         capture_output=True, text=True)
    sys.stdout.write(out.stdout)
    if out.returncode != 0:
        sys.exit(f"{bench} failed ({out.returncode}): {out.stderr.strip()}")
    rows += [l[len("row: "):] for l in out.stdout.splitlines() if l.startswith("row: ")]
with open(DOC) as f:
    doc = f.read()
if START not in doc or END not in doc:
    sys.exit(f"{DOC}: no {START} ... {END} markers")
head, rest = doc.split(START, 1)
_, tail = rest.split(END, 1)
table = "\n".join(["| benchmark | alternative | gpucharts-mon | ratio (target) |",
                   "|---|---|---|---|", *rows])
with open(DOC, "w") as f:
    f.write(f"{head}{START}\n{table}\n{END}{tail}")
print(f"wrote {len(rows)} rows into {DOC}")
