#!/usr/bin/env python3
"""Benchmark: `gpucharts-mon test-pull` of 500 loopback endpoints (each
serving ~100 KB of exposition) against the sequential quick-test loop
`for u in ...; do curl -s $u/metrics | grep -c PREFIX; done`, in one run.

Target: test-pull at least 10x faster. Usage: bench/test_pull.py [BINARY] [ENDPOINTS]
"""
import asyncio, os, statistics, subprocess, sys, tempfile, threading, time

BIN = sys.argv[1] if len(sys.argv) > 1 else "target/release/gpucharts-mon"
N = int(sys.argv[2]) if len(sys.argv) > 2 else 500
HERE = os.path.dirname(os.path.abspath(__file__))
GEN = os.path.join(HERE, "..", "..", "shared", "bench", "gen-exposition.py")
BODY = subprocess.run([sys.executable, GEN, "34"], capture_output=True, check=True).stdout
HEAD = (b"HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4\r\nContent-Length: "
        + str(len(BODY)).encode() + b"\r\nConnection: close\r\n\r\n")

async def handle(reader, writer):
    try:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(HEAD + BODY)
        await writer.drain()
    except Exception:
        pass
    writer.close()

def serve(ports, ready):
    async def main():
        servers = [await asyncio.start_server(handle, "127.0.0.1", 0, backlog=512) for _ in range(N)]
        ports.extend(s.sockets[0].getsockname()[1] for s in servers)
        ready.set()
        await asyncio.Event().wait()
    asyncio.run(main())

def timed(cmd, runs):
    samples = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, shell=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        samples.append(time.perf_counter() - t)
    return statistics.median(samples)

ports, ready = [], threading.Event()
threading.Thread(target=serve, args=(ports, ready), daemon=True).start()
ready.wait()
with tempfile.TemporaryDirectory() as d:
    loop = os.path.join(d, "quick-test.sh")
    with open(loop, "w") as f:
        for p in ports:
            f.write(f"curl -s http://127.0.0.1:{p}/metrics | grep -c gpu_charts_exchange\n")
    config = os.path.join(d, "prometheus.yml")
    with open(config, "w") as f:
        f.write("scrape_configs:\n  - job_name: bench\n    static_configs:\n      - targets:\n")
        for p in ports:
            f.write(f"        - 127.0.0.1:{p}\n")
    curl = timed(f"bash {loop}", 1)
    ours = timed(f"{BIN} test-pull --from-config {config} --output json", 3)
print(f"{N} endpoints x {len(BODY) / 1000:.0f} KB; medians:")
print(f"  sequential curl | grep -c loop   {curl * 1000:8.0f} ms")
print(f"  gpucharts-mon test-pull          {ours * 1000:8.0f} ms")
print(f"  speed-up {curl / ours:.1f}x (target >= 10x)")
print(f"row: | `bench/test_pull.py`: {N} loopback endpoints x {len(BODY) / 1000:.0f} KB | sequential `curl \\| grep -c` loop {curl * 1000:.0f} ms | `test-pull` {ours * 1000:.0f} ms | {curl / ours:.0f}x faster (>= 10x) |")
