#!/usr/bin/env python3
"""Benchmark: `gpucharts-mon test-pull` over 10,000 loopback endpoints behind
nginx (each answering a 7.8 KB /metrics and a /health), against
`xargs -P 64 curl` fetching the same 20,000 URLs (fetch only, no parsing), and
against the seed's sequential `curl | grep -c` loop (timed on 500 endpoints and
scaled), in one run. Also prints test-pull's peak RSS.

Targets (issue 24): test-pull at least 40x faster than `xargs -P 64 curl`,
with at most 64 MiB peak, on 2 cores. xargs' exit status is printed: 0 means
every curl fetched its URL.
Usage: bench/test_pull_scale.py [BINARY] [ENDPOINTS]   (needs nginx, curl)
"""
import os, shutil, statistics, subprocess, sys, tempfile, time

BIN = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "target/release/gpucharts-mon")
N = int(sys.argv[2]) if len(sys.argv) > 2 else 10_000
BASE_PORT = 21000
HERE = os.path.dirname(os.path.abspath(__file__))
GEN = os.path.join(HERE, "..", "..", "shared", "bench", "gen-exposition.py")
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
if not os.path.exists(NGINX) or not shutil.which("curl"):
    sys.exit("needs nginx and curl (apt-get install nginx curl)")


def run(cmd, shell=False):
    """Wall time and peak RSS (KiB) of one child."""
    t = time.perf_counter()
    p = subprocess.Popen(cmd, shell=shell, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(p.pid, 0)
    return time.perf_counter() - t, usage.ru_maxrss, os.waitstatus_to_exitcode(status)


with tempfile.TemporaryDirectory() as d:
    os.chmod(d, 0o755)
    body = subprocess.run([sys.executable, GEN, "2"], capture_output=True, check=True).stdout
    with open(os.path.join(d, "metrics"), "wb") as f:
        f.write(body)
    with open(os.path.join(d, "health"), "w") as f:
        f.write('{"status":"ok","service":"gpu-charts-logger"}')
    for sub in ["logs", "tmp"]:
        os.makedirs(os.path.join(d, sub))
    listens = "".join(f"    listen 127.0.0.1:{BASE_PORT + i};\n" for i in range(N))
    conf = os.path.join(d, "nginx.conf")
    with open(conf, "w") as f:
        f.write(f"""worker_processes 1;
worker_rlimit_nofile {2 * N + 1024};
pid {d}/nginx.pid;
error_log {d}/logs/error.log;
events {{ worker_connections {N + 4096}; }}
http {{
  access_log off;
  client_body_temp_path {d}/tmp; proxy_temp_path {d}/tmp; fastcgi_temp_path {d}/tmp;
  uwsgi_temp_path {d}/tmp; scgi_temp_path {d}/tmp;
  keepalive_timeout 0;
  server {{
{listens}    location = /metrics {{ default_type "text/plain; version=0.0.4"; alias {d}/metrics; }}
    location = /health {{ default_type application/json; alias {d}/health; }}
  }}
}}
""")
    nginx = subprocess.Popen([NGINX, "-p", d, "-c", conf, "-g", "daemon off;"],
                             stderr=subprocess.PIPE)
    try:
        deadline = time.time() + 30
        while subprocess.run(["curl", "-sf", "-o", "/dev/null",
                              f"http://127.0.0.1:{BASE_PORT + N - 1}/metrics"]).returncode != 0:
            if time.time() > deadline or nginx.poll() is not None:
                sys.exit("nginx did not start: " + (nginx.stderr.read().decode() if nginx.poll() is not None else ""))
            time.sleep(0.2)
        config = os.path.join(d, "prometheus.yml")
        with open(config, "w") as f:
            f.write("scrape_configs:\n  - job_name: gpu-charts-logger\n    static_configs:\n      - targets:\n")
            for i in range(N):
                f.write(f"        - 127.0.0.1:{BASE_PORT + i}\n")
        urls = os.path.join(d, "urls")
        with open(urls, "w") as f:
            for i in range(N):
                f.write(f"http://127.0.0.1:{BASE_PORT + i}/metrics\nhttp://127.0.0.1:{BASE_PORT + i}/health\n")
        loop = os.path.join(d, "loop.sh")
        sample = min(N, 500)
        with open(loop, "w") as f:
            for i in range(sample):
                f.write(f"curl -s http://127.0.0.1:{BASE_PORT + i}/metrics | grep -c gpu_charts_exchange\n")

        ours = [run([BIN, "test-pull", "--from-config", config, "--output-format", "json"]) for _ in range(3)]
        codes = {c for _, _, c in ours}
        xargs = [run(f"xargs -P 64 -n 1 curl -s -o /dev/null < {urls}", shell=True) for _ in range(2)]
        seq, _, _ = run(["bash", loop])
        seq *= N / sample
    finally:
        nginx.terminate()
        nginx.wait()

t_ours = statistics.median(t for t, _, _ in ours)
rss = max(r for _, r, _ in ours) / 1024
t_xargs = statistics.median(t for t, _, _ in xargs)
print(f"{N} endpoints behind nginx, /metrics {len(body) / 1000:.1f} KB + /health; medians:")
print(f"  seed's sequential curl | grep -c loop  {seq * 1000:9.0f} ms  (500 timed, scaled)")
print(f"  xargs -P 64 curl, fetch only           {t_xargs * 1000:9.0f} ms (exit {sorted({c for _, _, c in xargs})})")
print(f"  gpucharts-mon test-pull                {t_ours * 1000:9.0f} ms, peak {rss:.0f} MiB (exit {sorted(codes)})")
print(f"  vs xargs -P 64 curl: {t_xargs / t_ours:.1f}x faster; vs the loop: {seq / t_ours:.0f}x faster")
met = t_xargs / t_ours >= 40 and rss <= 64
print(f"  target: >= 40x xargs and <= 64 MiB -> {'met' if met else 'NOT met'}")
print(f"row: | `bench/test_pull_scale.py`: {N:,} loopback endpoints behind nginx, {len(body) / 1000:.1f} KB `/metrics` + `/health` | `xargs -P 64 curl` (fetch only) {t_xargs:.0f} s; the seed's sequential loop {seq:.0f} s (500 timed, scaled) | `test-pull` {t_ours:.2f} s, peak {rss:.0f} MiB | {t_xargs / t_ours:.0f}x xargs, {seq / t_ours:.0f}x the loop (>= 40x, <= 64 MiB) |")
