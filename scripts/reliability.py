#!/usr/bin/env python3
"""The reliability suite: the real binary is started, written to and broken on purpose, and each trial
prints what it measured. Exit status 1 when any goal is missed.

  python3 scripts/reliability.py kill9     [--trials 10]   kill -9 during concurrent writes (SQLite)
  python3 scripts/reliability.py sigterm                   SIGTERM during concurrent writes (SQLite)
  python3 scripts/reliability.py backup                    ladder backup during writes, then ladder restore
  python3 scripts/reliability.py postgres  --url URL       two instances on one empty PostgreSQL database
  python3 scripts/reliability.py all [--url URL]           each of the above (postgres only with --url)

LADDER_BIN names the binary (default .build/debug/ladder). Every database is a new one of its own: a
temporary folder for SQLite, a new database on the server for PostgreSQL (dropped afterwards).
"""
import argparse
import concurrent.futures
import http.client
import json
import os
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

BIN = os.path.abspath(os.environ.get("LADDER_BIN", ".build/debug/ladder"))
PASSWORD = "Reliability-Trial-7"
FAILURES = []


def check(name, ok, detail):
    print(f"  {'ok  ' if ok else 'FAIL'} {name}: {detail}")
    if not ok:
        FAILURES.append(name)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Instance:
    """One `ladder serve` in a folder of its own, on a database given by DATABASE_URL (or the folder's file)."""

    def __init__(self, folder, database_url="", extra_env=None):
        self.folder = folder
        self.env = dict(os.environ, DATABASE_URL=database_url, LOG_LEVEL="warning", **(extra_env or {}))
        self.port = free_port()
        self.process = None

    def command(self, *args, stdin=None):
        return subprocess.run([BIN, *args], cwd=self.folder, env=self.env, input=stdin, capture_output=True,
                              text=True, timeout=300)

    def start(self, wait=True):
        log = open(os.path.join(self.folder, f"serve-{self.port}.log"), "a")
        self.process = subprocess.Popen([BIN, "serve", "--port", str(self.port)], cwd=self.folder, env=self.env,
                                        stdout=log, stderr=log)
        if wait:
            self.wait_ready()
        return self

    def wait_ready(self, seconds=120):
        deadline = time.time() + seconds
        while time.time() < deadline:
            if self.process.poll() is not None:
                return False
            try:
                status, _ = request(self.port, "GET", "/api/v1/health/ready")
                if status == 200:
                    return True
            except OSError:
                pass
            time.sleep(0.2)
        return False

    def stop(self, sig=signal.SIGTERM, timeout=60):
        if self.process and self.process.poll() is None:
            self.process.send_signal(sig)
            self.process.wait(timeout=timeout)

    def token(self):
        made = self.command("users", "create", "--email", "trial@example.org", "--role", "admin", "--name", "Trial",
                            stdin=PASSWORD + "\n")
        if made.returncode != 0 and "already" not in (made.stderr + made.stdout):
            raise SystemExit(f"could not create the trial admin: {made.stderr}")
        out = self.command("users", "token", "--email", "trial@example.org", "--role", "admin", "--days", "1")
        return out.stdout.strip()


def request(port, method, path, body=None, token=None, headers=None, timeout=30):
    """(status, parsed JSON or text); raises OSError when no answer came."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    h = dict(headers or {})
    if token:
        h["Authorization"] = "Bearer " + token
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        h["Content-Type"] = "application/json"
    conn.request(method, path, body=data, headers=h)
    res = conn.getresponse()
    raw = res.read().decode("utf-8", "replace")
    conn.close()
    try:
        return res.status, json.loads(raw)
    except ValueError:
        return res.status, raw


def create_cluster(port, token, name):
    """'acknowledged', 'refused' (never reached the server), 'error' (a status other than 201) or 'lost'
    (sent, but no answer came back)."""
    try:
        conn = socket.create_connection(("127.0.0.1", port), timeout=5)
        conn.close()
    except OSError:
        return name, "refused", None
    try:
        status, _ = request(port, "POST", "/api/v1/clusters", token=token, timeout=60,
                            body={"name_zh": name, "domain": "new_materials", "cities": ["苏州"]})
    except ConnectionRefusedError:
        return name, "refused", None
    except OSError:
        return name, "lost", None
    return name, ("acknowledged" if status == 201 else "error"), status


def names_in_sqlite(path, prefix):
    db = sqlite3.connect(path)
    try:
        rows = db.execute("SELECT id, name_zh FROM clusters WHERE name_zh LIKE ?", (prefix + "%",)).fetchall()
        return {name: cid for cid, name in rows}
    finally:
        db.close()


def write_burst(port, token, prefix, count, workers=12, during=None):
    """Sends `count` creates from `workers` threads; `during` runs once a quarter of them were sent."""
    results = []
    sent = threading.Event()
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        futures = []
        for n in range(count):
            futures.append(pool.submit(create_cluster, port, token, f"{prefix}{n:04d}"))
            if n == count // 4:
                sent.set()
        if during:
            time.sleep(0.05)
            during()
        for f in futures:
            results.append(f.result())
    return results


def sqlite_checks(folder, prefix, results):
    path = os.path.join(folder, "ladder.sqlite")
    stored = names_in_sqlite(path, prefix)
    acknowledged = {n for n, outcome, _ in results if outcome == "acknowledged"}
    errored = {n for n, outcome, _ in results if outcome in ("error", "lost")}
    lost = acknowledged - set(stored)
    committed_but_errored = errored & set(stored)
    db = sqlite3.connect(path)
    integrity = db.execute("PRAGMA integrity_check").fetchone()[0]
    audited = {r[0] for r in db.execute("SELECT entity_id FROM audit_entries WHERE entity = 'cluster'")}
    db.close()
    unaudited = {n for n, cid in stored.items() if cid not in audited}
    return {"acknowledged": len(acknowledged), "stored": len(stored), "lost": len(lost),
            "integrity": integrity, "unaudited": len(unaudited), "committed_but_errored": len(committed_but_errored),
            "server_errors": sum(1 for _, o, s in results if o == "error" and s and s >= 500)}


def trial_kill9(trials):
    print(f"kill -9 during concurrent writes on SQLite, {trials} trials")
    totals = {"acknowledged": 0, "lost": 0, "integrity_failures": 0, "unaudited": 0, "chain_failures": 0}
    with tempfile.TemporaryDirectory(prefix="ladder-kill9-") as folder:
        first = Instance(folder).start()
        token = first.token()
        first.stop()
        for trial in range(trials):
            server = Instance(folder).start()
            prefix = f"断电试验{trial:02d}-"
            results = write_burst(server.port, token, prefix, 120,
                                  during=lambda: (time.sleep(random.uniform(0.1, 0.6)), server.stop(signal.SIGKILL)))
            figures = sqlite_checks(folder, prefix, results)
            verify = Instance(folder).command("audit", "verify")
            totals["acknowledged"] += figures["acknowledged"]
            totals["lost"] += figures["lost"]
            totals["integrity_failures"] += figures["integrity"] != "ok"
            totals["unaudited"] += figures["unaudited"]
            totals["chain_failures"] += verify.returncode != 0
    print(f"  acknowledged writes: {totals['acknowledged']}, lost: {totals['lost']}, integrity failures: "
          f"{totals['integrity_failures']}, writes without their audit entry: {totals['unaudited']}, "
          f"audit chain breaks: {totals['chain_failures']}")
    check("kill9: acknowledged writes lost", totals["lost"] == 0, totals["lost"])
    check("kill9: integrity failures", totals["integrity_failures"] == 0, totals["integrity_failures"])
    check("kill9: audit mismatches", totals["unaudited"] + totals["chain_failures"] == 0,
          totals["unaudited"] + totals["chain_failures"])
    check("kill9: some writes were acknowledged", totals["acknowledged"] > 0, totals["acknowledged"])


def trial_sigterm():
    print("SIGTERM during concurrent writes on SQLite (a graceful restart)")
    with tempfile.TemporaryDirectory(prefix="ladder-sigterm-") as folder:
        server = Instance(folder).start()
        token = server.token()
        prefix = "重启试验-"
        stopped = {}

        def stop():
            t = time.time()
            server.stop(signal.SIGTERM)
            stopped["seconds"] = time.time() - t
            stopped["code"] = server.process.returncode

        results = write_burst(server.port, token, prefix, 200, during=stop)
        figures = sqlite_checks(folder, prefix, results)
        refused = sum(1 for _, o, _ in results if o == "refused")
        print(f"  {len(results)} writes: {figures['acknowledged']} acknowledged, {refused} refused after the stop "
              f"began, {figures['server_errors']} answered 5xx; stopped in {stopped.get('seconds', 0):.2f} s "
              f"(exit status {stopped.get('code')})")
        check("sigterm: 5xx during a graceful restart", figures["server_errors"] == 0, figures["server_errors"])
        check("sigterm: committed writes answered with an error", figures["committed_but_errored"] == 0,
              figures["committed_but_errored"])
        check("sigterm: acknowledged writes lost", figures["lost"] == 0, figures["lost"])


def trial_backup():
    print("ladder backup during concurrent writes on SQLite, then ladder restore into a new file")
    with tempfile.TemporaryDirectory(prefix="ladder-backup-") as folder:
        server = Instance(folder).start()
        token = server.token()
        prefix = "备份试验-"
        acknowledged_before = set()
        results = []
        outcome = {}

        def backup():
            # Every write answered before the backup starts must be in it.
            acknowledged_before.update(n for n, o, _ in list(results) if o == "acknowledged")
            made = server.command("backup", "--to", os.path.join(folder, "backup"))
            outcome["backup"] = made

        with concurrent.futures.ThreadPoolExecutor(12) as pool:
            futures = [pool.submit(create_cluster, server.port, token, f"{prefix}{n:04d}") for n in range(300)]
            time.sleep(0.5)
            for f in futures:
                if f.done():
                    results.append(f.result())
            backup()
            results = [f.result() for f in futures]
        server.stop()
        made = outcome["backup"]
        check("backup: ladder backup while writing", made.returncode == 0, (made.stdout + made.stderr).strip()[:300])
        target = os.path.join(folder, "restored")
        os.makedirs(target)
        restored = Instance(target).command("restore", "--from", os.path.join(folder, "backup"))
        check("backup: ladder restore", restored.returncode == 0, (restored.stdout + restored.stderr).strip()[:300])
        stored = names_in_sqlite(os.path.join(target, "ladder.sqlite"), prefix)
        missing = acknowledged_before - set(stored)
        db = sqlite3.connect(os.path.join(target, "ladder.sqlite"))
        integrity = db.execute("PRAGMA integrity_check").fetchone()[0]
        db.close()
        print(f"  {len(acknowledged_before)} writes acknowledged before the backup began; the restored copy holds "
              f"{len(stored)} of the trial's rows; missing: {len(missing)}; integrity: {integrity}")
        check("backup: lost rows in a restored backup", not missing and len(acknowledged_before) > 0,
              f"{len(missing)} missing of {len(acknowledged_before)}")
        check("backup: integrity of the restored copy", integrity == "ok", integrity)


def trial_postgres(url):
    print("two instances on one PostgreSQL database")
    parts = urllib.parse.urlsplit(url)
    name = f"ladder_trial_{os.getpid()}"
    # psql reads libpq's URL, which has no tlsmode: the app's query string is left out for it.
    psql_url = urllib.parse.urlunsplit(parts._replace(query=""))
    admin = subprocess.run(["psql", psql_url, "-qAtc", f"CREATE DATABASE {name}"], capture_output=True, text=True)
    if admin.returncode != 0:
        raise SystemExit(f"could not create the trial database: {admin.stderr}")
    trial_url = urllib.parse.urlunsplit(parts._replace(path="/" + name))
    try:
        with tempfile.TemporaryDirectory(prefix="ladder-pg-") as folder:
            a, b = Instance(folder, trial_url), Instance(folder, trial_url)
            a.start(wait=False)
            b.start(wait=False)
            up = [a.wait_ready(), b.wait_ready()]
            print(f"  simultaneous first start on an empty database: {sum(up)} of 2 instances up")
            check("postgres: both instances up after a simultaneous first start", all(up), up)
            if not all(up):
                return
            token = a.token()
            # Concurrent creates through both instances: none may fail.
            with concurrent.futures.ThreadPoolExecutor(16) as pool:
                creates = list(pool.map(lambda n: create_cluster((a, b)[n % 2].port, token, f"并发新建-{n:03d}"),
                                        range(100)))
            bad = [s for _, o, s in creates if o != "acknowledged"]
            print(f"  100 concurrent creates through both: {100 - len(bad)} created, {len(bad)} failed {bad[:5]}")
            check("postgres: concurrent creates without 409 or 5xx", not bad, len(bad))
            # Read-then-write races on one cluster through both instances: no update may be lost.
            _, before = request(a.port, "GET", "/api/v1/clusters/NC001")
            start_version = before["version"]

            def edit(n):
                inst = (a, b)[n % 2]
                _, now = request(inst.port, "GET", "/api/v1/clusters/NC001")
                body = {"name_zh": now["name_zh"], "name_en": now["name_en"], "domain": now["domain"]["code"],
                        "cities": [c["name_zh"] for c in now["cities"]], "sources": now["sources"],
                        "notes": f"第{n}次修改", "version": now["version"]}
                if now.get("promotion_org"):
                    body["promotion_org"] = now["promotion_org"]
                status, _ = request(inst.port, "PUT", "/api/v1/clusters/NC001", token=token, body=body)
                return status

            with concurrent.futures.ThreadPoolExecutor(16) as pool:
                statuses = list(pool.map(edit, range(200)))
            _, after = request(a.port, "GET", "/api/v1/clusters/NC001")
            ok, conflicts = statuses.count(200), statuses.count(409)
            other = len(statuses) - ok - conflicts
            gained = after["version"] - start_version
            print(f"  200 read-then-write edits: {ok} saved, {conflicts} refused as stale (409), {other} other; "
                  f"version rose by {gained}")
            check("postgres: no lost update (version rise = saved edits)", gained == ok and other == 0,
                  f"{gained} vs {ok}, {other} other")
            a.stop()
            b.stop()
    finally:
        subprocess.run(["psql", psql_url, "-qAtc", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"],
                       capture_output=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("trial", choices=["kill9", "sigterm", "backup", "postgres", "all"])
    parser.add_argument("--trials", type=int, default=10)
    parser.add_argument("--url", help="a PostgreSQL server's URL (a database on it the user may create others from)")
    args = parser.parse_args()
    if not os.path.exists(BIN):
        raise SystemExit(f"no binary at {BIN}; run swift build first")
    started = time.time()
    if args.trial in ("kill9", "all"):
        trial_kill9(args.trials)
    if args.trial in ("sigterm", "all"):
        trial_sigterm()
    if args.trial in ("backup", "all"):
        trial_backup()
    if args.trial == "postgres" or (args.trial == "all" and args.url):
        if not args.url:
            raise SystemExit("postgres needs --url")
        trial_postgres(args.url)
    print(f"reliability suite: {len(FAILURES)} goals missed, {time.time() - started:.0f} s")
    sys.exit(1 if FAILURES else 0)


if __name__ == "__main__":
    main()
