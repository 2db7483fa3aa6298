#!/usr/bin/env python3
"""Benchmark: check-targets against `curl | jq` on a 10,000-target answer.

Serves a synthetic /api/v1/targets answer (about 6 MB, 10,000 active targets)
from 127.0.0.1 and times, in the same run:
  A  curl -s URL | jq '.data.activeTargets[] | {job: .labels.job, health: .health}'
  B  gpucharts-mon check-targets --output json   (target: <= 0.5 x A)
  C  gpucharts-mon check-targets --jq FILTER     (target: <= 1.0 x A)
  D  check-targets --cluster shards over three such servers, 10,000 distinct
     targets each (coverage and skew over 30,000)  (target: <= 2.0 x B)
Prints the median of each and the ratios B/A, C/A and D/B.

Usage: bench/check_targets.py [BINARY] [RUNS]   (default target/release/gpucharts-mon, 7)
"""
import http.server, json, random, statistics, subprocess, sys, threading, time

BIN = sys.argv[1] if len(sys.argv) > 1 else "target/release/gpucharts-mon"
RUNS = int(sys.argv[2]) if len(sys.argv) > 2 else 7
FILTER = ".data.activeTargets[] | {job: .labels.job, health: .health}"

def answer(n=10_000, shard=0):
    random.seed(1 + shard)
    targets = []
    for i in range(n):
        job = "gpu-charts-logger" if i % 2 else "gpu-charts-server"
        addr = f"10.{shard * 16 + i // 65536}.{(i // 256) % 256}.{i % 256}:{9090 + i % 2}"
        down = i % 97 == 0
        targets.append({
            "discoveredLabels": {"__address__": addr, "__metrics_path__": "/metrics", "__scheme__": "http",
                                  "__scrape_interval__": "15s", "__scrape_timeout__": "10s", "job": job},
            "labels": {"environment": "production", "instance": addr, "job": job},
            "scrapePool": job, "scrapeUrl": f"http://{addr}/metrics", "globalUrl": f"http://{addr}/metrics",
            "lastError": f'Get "http://{addr}/metrics": dial tcp {addr}: connect: connection refused' if down else "",
            "lastScrape": "2026-11-25T03:50:00.123456789Z",
            "lastScrapeDuration": round(random.random() / 50, 9),
            "health": "down" if down else "up", "scrapeInterval": "15s", "scrapeTimeout": "10s",
        })
    return json.dumps({"status": "success", "data": {"activeTargets": targets, "droppedTargets": []}}).encode()

BODY = answer()
CONFIG = json.dumps({"status": "success", "data": {"yaml": "global:\n  scrape_interval: 15s\n"}}).encode()

def handler(body):
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        def do_GET(self):
            out = CONFIG if self.path.startswith("/api/v1/status/config") else body
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(out)))
            self.end_headers()
            self.wfile.write(out)
        def log_message(self, *a):
            pass
    return Handler

def start(body):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler(body))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"

def timed(cmd):
    samples = []
    for _ in range(RUNS):
        t = time.perf_counter()
        r = subprocess.run(cmd, shell=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        samples.append(time.perf_counter() - t)
        if r.returncode not in (0, 1):
            sys.exit(f"command failed ({r.returncode}): {cmd}")
    return statistics.median(samples)

def main():
    server, url = start(BODY)
    shards = [start(answer(shard=i)) for i in range(3)]
    cluster = " ".join(f"--prometheus {u}" for _, u in shards)
    print(f"answer: {len(BODY) / 1e6:.1f} MB, 10000 targets, {RUNS} runs each, medians:")
    a = timed(f"curl -s {url}/api/v1/targets | jq '{FILTER}'")
    b = timed(f"{BIN} check-targets --prometheus {url} --output json")
    c = timed(f"{BIN} check-targets --prometheus {url} --jq '{FILTER}'")
    d = timed(f"{BIN} check-targets --cluster shards {cluster} --output json")
    print(f"  curl | jq                     {a * 1000:8.1f} ms")
    print(f"  check-targets --output json   {b * 1000:8.1f} ms   ratio {b / a:.2f} (target <= 0.50)")
    print(f"  check-targets --jq            {c * 1000:8.1f} ms   ratio {c / a:.2f} (target <= 1.00)")
    print(f"  --cluster shards, 3 x 10000   {d * 1000:8.1f} ms   ratio {d / b:.2f} to one server (target <= 2.00)")
    mb = len(BODY) / 1e6
    print(f"row: | `bench/check_targets.py`: {mb:.0f} MB `/api/v1/targets`, 10,000 targets | `curl \\| jq` {a * 1000:.0f} ms | `check-targets --output json` {b * 1000:.0f} ms | {b / a:.2f} (<= 0.5) |")
    print(f"row: | same | same | `check-targets --jq` (same filter) {c * 1000:.0f} ms | {c / a:.2f} (<= 1.0) |")
    print(f"row: | same, three servers of 10,000 distinct targets | one server, {b * 1000:.0f} ms | `check-targets --cluster shards` {d * 1000:.0f} ms | {d / b:.2f}x one (<= 2x) |")
    server.shutdown()
    for s, _ in shards:
        s.shutdown()

main()
