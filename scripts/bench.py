#!/usr/bin/env python3
"""Server-time benchmark for the pages people load most (not a test: it prints figures).

Starts `ladder serve` on a fresh SQLite file (the national data), warms it up, then requests each
target N times in sequence and prints p50 / p95 / max of the server's own time (the
`Server-Timing: app;dur=` header) and of the round trip on loopback.

    swift build -c release && python3 scripts/bench.py --binary .build/release/ladder -n 300
"""
import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

TARGETS = [
    ("dashboard /", "/"),
    ("dashboard as of 2022-11-30", "/?as_of=2022-11-30"),
    ("directory with facets", "/clusters?province=44&domain=next_gen_it"),
    ("directory, page 2 sorted", "/clusters?sort=-designated_on&page=2"),
    ("cluster profile", "/clusters/NC038"),
    ("API list with facets", "/api/v1/clusters?facet=tier,domain,region,key_region,province,batch"),
    ("API stats", "/api/v1/stats?as_of=2022-11-30"),
]


def pct(values, p):
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", default=".build/release/ladder")
    parser.add_argument("-n", type=int, default=300, help="requests per target (at most 5000)")
    args = parser.parse_args()
    n = max(10, min(args.n, 5000))
    binary = os.path.abspath(args.binary)
    if not os.path.exists(binary):
        sys.exit(f"no binary at {binary}; build it first")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    workdir = tempfile.mkdtemp(prefix="ladder-bench-")
    env = dict(os.environ, LOG_LEVEL="warning")
    env.pop("DATABASE_URL", None)
    proc = subprocess.Popen([binary, "serve", "--port", str(port)], cwd=workdir, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 60
        while True:
            try:
                urllib.request.urlopen(base + "/api/v1/health", timeout=2).read()
                break
            except OSError:
                if time.time() > deadline or proc.poll() is not None:
                    sys.exit("server did not start")
                time.sleep(0.3)
        print(f"binary {binary}, {n} sequential requests per target, SQLite, national data")
        print(f"{'target':32} {'server p50':>11} {'p95':>8} {'max':>8}   {'round trip p50':>15} {'p95':>8}")
        for name, path in TARGETS:
            for _ in range(20):
                urllib.request.urlopen(base + path).read()
            server, trip = [], []
            for _ in range(n):
                t0 = time.perf_counter()
                with urllib.request.urlopen(base + path) as r:
                    r.read()
                    header = r.headers.get("Server-Timing", "")
                trip.append((time.perf_counter() - t0) * 1000)
                server.append(float(header.split("dur=")[1]))
            print(f"{name:32} {pct(server, 50):9.2f}ms {pct(server, 95):6.2f}ms {max(server):6.2f}ms"
                  f"   {pct(trip, 50):13.2f}ms {pct(trip, 95):6.2f}ms")
    finally:
        proc.terminate()
        proc.wait(timeout=10)


if __name__ == "__main__":
    main()
