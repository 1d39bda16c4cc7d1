#!/usr/bin/env python3
"""Does intake delay other requests? Starts `ladder serve` on a new SQLite file, measures the dashboard's
p95 idle, then again while four clients post a 0.7 MB document to POST /api/v1/intake in a loop, and
prints both and their ratio (the goal: within 2x).

  python3 scripts/bench_intake_load.py [--bin .build/release/ladder] [--requests 30]
"""
import argparse
import http.client
import os
import socket
import subprocess
import tempfile
import threading
import time


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin", default=".build/debug/ladder")
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()
    port = free_port()
    folder = tempfile.mkdtemp(prefix="ladder-intake-load-")
    env = dict(os.environ, INTAKE_ANON_PER_MINUTE="0", LOG_LEVEL="warning", DATABASE_URL="")
    server = subprocess.Popen([os.path.abspath(args.bin), "serve", "--port", str(port)], cwd=folder, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def get(path):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        started = time.perf_counter()
        conn.request("GET", path)
        conn.getresponse().read()
        conn.close()
        return time.perf_counter() - started

    stop = threading.Event()
    try:
        for _ in range(200):
            try:
                get("/api/v1/health/ready")
                break
            except OSError:
                time.sleep(0.3)
        document = ("江苏省苏州市纳米新材料集群入选国家先进制造业集群名单，集群规模超过1000亿元。" * 8000).encode()[:700_000]
        for _ in range(5):
            get("/")
        p95 = lambda xs: sorted(xs)[int(len(xs) * 0.95) - 1] * 1000
        idle = p95([get("/") for _ in range(args.requests)])

        def post():
            while not stop.is_set():
                try:
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
                    conn.request("POST", "/api/v1/intake", body=document,
                                 headers={"Content-Type": "text/plain; charset=utf-8"})
                    conn.getresponse().read()
                    conn.close()
                except OSError:
                    return  # the server is being stopped

        clients = [threading.Thread(target=post, daemon=True) for _ in range(4)]
        for c in clients:
            c.start()
        time.sleep(2)
        try:
            busy = p95([get("/") for _ in range(args.requests)])
            print(f"dashboard p95: idle {idle:.1f} ms; with 4 clients posting 0.7 MB to intake {busy:.1f} ms "
                  f"({busy / idle:.2f}x; goal within 2x)")
        except OSError as error:
            print(f"dashboard p95: idle {idle:.1f} ms; with 4 clients posting 0.7 MB to intake: no answer "
                  f"within 60 s ({error})")
    finally:
        stop.set()
        server.kill()
        server.wait()


if __name__ == "__main__":
    main()
