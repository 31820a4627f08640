#!/usr/bin/env python3
"""Concurrent writes through the JSON API, against a release build on loopback.

N clients save households at once for S seconds: each alternates between its own case (nobody
else writes it: every save must succeed) and one of two shared cases (read the version, save;
a 409 means someone else was first, and the client reads again). Prints saves/s, and the count
of 5xx, 409 and lost writes (a save answered 200 whose version step is missing at the end), beside
the raw single-row durable commit rate of the same database measured in the same run
(`retour-bench commits`, with Retour's own connection settings). This script sets up the
database, the account and the server; the clients are `retour-bench writes` (Rust, one thread).

    python3 bench/write_load.py [--backend sqlite|postgres] [--clients 8] [--seconds 10]
"""
import argparse, os, re, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PG = os.environ.get("RETOUR_BENCH_PG", "postgres://postgres@127.0.0.1:5432/postgres")


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, text=True, capture_output=True, **kw)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--seconds", type=int, default=10)
    a = ap.parse_args()
    run(["cargo", "build", "--release", "-q", "-p", "retour", "-p", "retour-bench"], cwd=ROOT)
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    exe, bench = os.path.join(target, "release/retour"), os.path.join(target, "release/retour-bench")
    work = tempfile.mkdtemp(prefix="retour-writes-")
    dbname = None
    if a.backend == "sqlite":
        db = f"sqlite://{work}/writes.db"
    else:
        dbname = f"retour_writes_{os.getpid()}"
        run(["psql", PG, "-q", "-c", f"CREATE DATABASE {dbname}"])
        db = PG.rsplit("/", 1)[0] + "/" + dbname
    env = dict(os.environ, RETOUR_DATABASE_URL=db, RETOUR_LANG="en", RETOUR_LOG="warn",
               RETOUR_FILES_DIR=f"{work}/files", RETOUR_KEY_FILE=f"{work}/key")
    server = None
    try:
        run([exe, "migrate"], env=env)
        raw = float(run([bench, "commits", "--database", db, "--count", "3000"]).stdout.strip())
        run([exe, "office", "add", "poelkapelle", "Opvangcentrum Poelkapelle"], env=env)
        run([exe, "user", "add", "--email", "c@bench.example", "--role", "counsellor", "--office", "poelkapelle",
             "--password-stdin"], env=env, input="a long enough password\n")
        token = run([exe, "token", "create", "--user", "c@bench.example"], env=env).stdout.strip().splitlines()[-1]
        server = subprocess.Popen([exe, "serve", "--bind", "127.0.0.1:0"], env=env, stdout=subprocess.PIPE,
                                  stderr=subprocess.DEVNULL, text=True)
        base = re.search(r"http://[0-9.:]+", server.stdout.readline()).group(0) + "/api/v1"
        print(f"concurrent saves through the API, {a.backend}, {a.clients} clients, {a.seconds} s")
        clients = subprocess.run([bench, "writes", "--api", base, "--token", token, "--clients", str(a.clients),
                                  "--seconds", str(a.seconds), "--raw", str(raw)], text=True)
        # The disk's commit rate moves between runs by tens of per cent: measured again after.
        after = float(run([bench, "commits", "--database", db, "--count", "3000"]).stdout.strip())
        print(f"raw single-row durable commits: {raw:.0f}/s before the clients, {after:.0f}/s after")
        if clients.returncode != 0:
            sys.exit(clients.returncode)
    finally:
        if server:
            server.terminate()
            server.wait()
        if dbname:
            subprocess.run(["psql", PG, "-q", "-c", f"DROP DATABASE IF EXISTS {dbname} WITH (FORCE)"])


if __name__ == "__main__":
    main()
