#!/usr/bin/env python3
"""Concurrent writes through the JSON API, against a release build on loopback.

N clients save households at once for S seconds: each alternates between its own case (nobody
else writes it: every save must succeed) and one of two shared cases (read the version, save;
a 409 means someone else was first, and the client reads again). Prints saves/s, and the count
of 5xx, 409 and lost writes (a save answered 200 whose version step is missing at the end), beside
the raw single-row durable commit rate of the same database measured in the same run
(`retour-bench commits`, with Retour's own connection settings).

    python3 bench/write_load.py [--backend sqlite|postgres] [--clients 8] [--seconds 10]
"""
import argparse, http.client, json, os, re, subprocess, sys, tempfile, threading, time, urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PG = os.environ.get("RETOUR_BENCH_PG", "postgres://postgres@127.0.0.1:5432/postgres")


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, text=True, capture_output=True, **kw)


_local = threading.local()


def request(method, url, token, body=None):
    """One request on this thread's kept-alive connection (a client's browser or script)."""
    parts = urllib.parse.urlsplit(url)
    conn = getattr(_local, "conn", None)
    if conn is None:
        conn = _local.conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    headers = {"authorization": f"Bearer {token}"}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["content-type"] = "application/json"
    conn.request(method, parts.path, body=data, headers=headers)
    r = conn.getresponse()
    payload = r.read()
    return r.status, (json.loads(payload) if r.status < 300 and payload else None)


def household(i):
    return {
        "destination_country": "XK", "destination_place": f"Ferizaj {i}", "location_kind": "reception_centre",
        "location_name": "Poelkapelle", "office": "poelkapelle",
        "application_date": "2026-10-05", "planned_departure_date": "2027-01-20",
        "members": [{"relationship": "principal", "family_name": "Berisha", "given_names": f"Arben {i}",
                     "birth_date": "1980-01-01", "sex": "male", "nationalities": ["XK"], "languages": ["sq"]}],
    }


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
        cases = []
        for i in range(a.clients + 2):
            status, case = request("POST", f"{base}/cases", token, household(i))
            assert status == 201, status
            cases.append(case["id"])
        own, shared = cases[:a.clients], cases[a.clients:]
        stats = {"ok_own": [0] * a.clients, "ok_shared": [0] * a.clients, "conflict": 0, "5xx": 0, "other": 0}
        lock = threading.Lock()
        deadline = time.time() + a.seconds

        def client(k):
            version = 1
            n = 0
            while time.time() < deadline:
                n += 1
                if n % 2:
                    status, case = request("PUT", f"{base}/cases/{own[k]}", token,
                                           {"version": version, "household": household(n)})
                    if status == 200:
                        version = case["version"]
                        stats["ok_own"][k] += 1
                        continue
                else:
                    target_id = shared[n // 2 % 2]
                    status, case = request("GET", f"{base}/cases/{target_id}", token)
                    if status == 200:
                        status, _ = request("PUT", f"{base}/cases/{target_id}", token,
                                            {"version": case["version"], "household": household(n)})
                        if status == 200:
                            stats["ok_shared"][k] += 1
                            continue
                with lock:
                    if status == 409:
                        stats["conflict"] += 1
                    elif status >= 500:
                        stats["5xx"] += 1
                    else:
                        stats["other"] += 1

        started = time.time()
        threads = [threading.Thread(target=client, args=(k,)) for k in range(a.clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        took = time.time() - started
        # Every 200 must be a version step: own cases one each, shared ones in total.
        lost = 0
        for k, cid in enumerate(own):
            _, case = request("GET", f"{base}/cases/{cid}", token)
            lost += abs((case["version"] - 1) - stats["ok_own"][k])
        steps = sum(request("GET", f"{base}/cases/{cid}", token)[1]["version"] - 1 for cid in shared)
        lost += abs(steps - sum(stats["ok_shared"]))
        saves = sum(stats["ok_own"]) + sum(stats["ok_shared"])
        print(f"concurrent saves through the API, {a.backend}, {a.clients} clients, {a.seconds} s")
        print(f"{'':46} {'per second':>12}")
        print(f"{'baseline: raw single-row durable commits':46} {raw:>12.0f}")
        print(f"{'saves answered 200 (own and shared cases)':46} {saves / took:>12.0f}")
        print(f"share of the raw commit rate: {saves / took / raw:.2f}")
        print(f"saves {saves} (own {sum(stats['ok_own'])}, shared {sum(stats['ok_shared'])}), "
              f"409 {stats['conflict']}, 5xx {stats['5xx']}, other refusals {stats['other']}, lost {lost}")
        if stats["5xx"] or lost:
            sys.exit(1)
    finally:
        if server:
            server.terminate()
            server.wait()
        if dbname:
            subprocess.run(["psql", PG, "-q", "-c", f"DROP DATABASE IF EXISTS {dbname} WITH (FORCE)"])


if __name__ == "__main__":
    main()
