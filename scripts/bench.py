#!/usr/bin/env python3
"""Server-time benchmark for the pages people load most (not a test: it prints figures).

Starts `ladder serve` on a fresh SQLite file (the national data), files and accepts last year's
monitoring return of every national cluster through the API (so the ratings have data), warms it
up, then requests each target N times in sequence and prints p50 / p95 / max of the server's own
time (the `Server-Timing: app;dur=` header) and of the round trip on loopback.

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
    ("ratings page (78 returns)", "/ratings?year={year}"),
    ("API ratings (78 returns)", "/api/v1/ratings?year={year}"),
    ("API policies (indicator rules)", "/api/v1/policies"),
    # Signed in (the admin's token): every value readable.
    ("API returns CSV (78, admin)", "/api/v1/returns?year={year}&format=csv", True),
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
        year, token = fill_returns(binary, workdir, env, base)
        print(f"binary {binary}, {n} sequential requests per target, SQLite, national data, {year} returns accepted")
        print(f"{'target':32} {'server p50':>11} {'p95':>8} {'max':>8}   {'round trip p50':>15} {'p95':>8}")
        for name, path, *signed in TARGETS:
            request = urllib.request.Request(base + path.format(year=year),
                                             headers={"Authorization": "Bearer " + token} if signed else {})
            for _ in range(20):
                urllib.request.urlopen(request).read()
            server, trip = [], []
            for _ in range(n):
                t0 = time.perf_counter()
                with urllib.request.urlopen(request) as r:
                    r.read()
                    header = r.headers.get("Server-Timing", "")
                trip.append((time.perf_counter() - t0) * 1000)
                server.append(float(header.split("dur=")[1]))
            print(f"{name:32} {pct(server, 50):9.2f}ms {pct(server, 95):6.2f}ms {max(server):6.2f}ms"
                  f"   {pct(trip, 50):13.2f}ms {pct(trip, 95):6.2f}ms")
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def fill_returns(binary, workdir, env, base):
    """Last year's return of every national cluster, saved, submitted, reviewed and accepted by an admin."""
    import datetime
    import json
    import random
    subprocess.run([binary, "users", "create", "--email", "bench@example.org", "--role", "admin"], cwd=workdir, env=env,
                   input="Bench-Password-2026\n", text=True, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    token = subprocess.run([binary, "users", "token", "--email", "bench@example.org", "--role", "admin", "--days", "1"], cwd=workdir,
                           env=env, text=True, check=True, capture_output=True).stdout.strip()

    def call(method, path, body):
        req = urllib.request.Request(base + path, data=json.dumps(body).encode(), method=method,
                                     headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
        with urllib.request.urlopen(req) as r:
            return json.load(r)

    year = datetime.date.today().year - 1
    with urllib.request.urlopen(base + "/api/v1/clusters?tier=national&per_page=200") as r:
        ids = [c["id"] for c in json.load(r)["items"]]
    rng = random.Random(2022)
    for cid in ids:
        k = rng.uniform(0.3, 3)
        values = {"output": round(1.2e11 * k), "above_size_firms": round(420 * k), "profit": round(7.5e9 * k),
                  "rd_intensity": min(0.045 * k, 0.5), "national_carriers": round(6 * k), "invention_patents": round(2600 * k),
                  "champions": round(4 * k), "little_giants": round(38 * k), "listed_firms": round(11 * k),
                  "local_supply": min(0.52 * rng.uniform(0.5, 1.5), 1), "public_platforms": round(9 * k),
                  "export_share": min(0.18 * rng.uniform(0.3, 2), 1), "cross_region_projects": round(14 * k),
                  "body_staff": round(12 * k), "body_events": round(30 * k)}
        path = f"/api/v1/clusters/{cid}/returns/{year}"
        version = call("PUT", path, {"values": values})["version"]
        for action in ("submit", "province_review", "accept"):
            version = call("POST", path + "/actions", {"action": action, "version": version})["version"]
    return year, token


if __name__ == "__main__":
    main()
