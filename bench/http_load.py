#!/usr/bin/env python3
"""HTTP load benchmark against a release build on loopback, on SQLite and PostgreSQL.

For each backend: loads N demo households (default 100,000) into a fresh database, starts
`retour serve`, signs in as each role like a browser, and runs wrk (2 threads, 32 connections)
on a static file (the baseline of the same run) and on every page a day's work reads: the case
page and its entitlement, plan, delivery and children pages (rotating over 50 cases), the search
page, the task list, each role's home, and their API twins (bearer token). Prints requests/s,
p50/p99 and each page's throughput as a share of the static file's.

    python3 bench/http_load.py [--households 100000] [--backend sqlite|postgres|both]
                               [--seconds 10] [--connections 32]

PostgreSQL is 127.0.0.1:5432, user postgres (trust); the database `retour_http_bench` is
dropped and created anew.
"""
import argparse, http.cookiejar, json, os, re, shutil, subprocess, sys, tempfile, time
import urllib.parse, urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
PG_DB = "retour_http_bench"


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, text=True, capture_output=True, **kw)


def wrk(url, seconds, connections, script):
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", script, url]
    out = run(cmd).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def pct(p):
        m = re.search(rf"\s{p}%\s+([\d.]+)(us|ms|s)", out)
        v, unit = float(m.group(1)), m.group(2)
        return v / 1000 if unit == "us" else v * 1000 if unit == "s" else v

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    codes = sorted(set(re.findall(r"^status=(\d+)$", out, re.M)))
    return {"rps": rps, "p50": pct(50), "p99": pct(99), "non2xx": int(errors.group(1)) if errors else 0,
            "codes": codes}


SHOW_ERRORS = False


def lua(work, name, paths, headers, method="GET", body=None):
    """A wrk script sending `method` to each of `paths` in turn."""
    path = os.path.join(work, name + ".lua")
    with open(path, "w") as f:
        f.write("paths = {" + ",".join(json.dumps(p) for p in paths) + "}\n")
        for k, v in headers.items():
            f.write(f"wrk.headers[{json.dumps(k)}] = {json.dumps(v)}\n")
        b = json.dumps(body) if body is not None else "nil"
        f.write(f"n = 0\nrequest = function()\n n = n + 1\n"
                f" return wrk.format({json.dumps(method)}, paths[(n % #paths) + 1], nil, {b})\nend\n")
        # With --show-errors, the first few answers that were not 2xx/3xx, by status (a response
        # hook costs wrk time on every answer, so it is off when measuring).
        if SHOW_ERRORS:
            f.write("shown = 0\nresponse = function(status, headers, body)\n"
                    " if status >= 400 and shown < 5 then shown = shown + 1; io.write('status=' .. status .. '\\n') end\nend\n")
    return path


class Browser:
    """One signed-in person: a session cookie and the form token of their pages."""

    def __init__(self, base, email, password):
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        page = opener.open(base + "/login").read().decode()
        csrf = re.search(r'name="_csrf" value="([0-9a-f]{64})"', page).group(1)
        opener.open(base + "/login", data=urllib.parse.urlencode(
            {"email": email, "password": password, "_csrf": csrf}).encode())
        self.cookie = "retour_session=" + next(c.value for c in jar if c.name == "retour_session")
        home = opener.open(base + "/home").read().decode()
        self.csrf = re.search(r'name="_csrf" value="([0-9a-f]{64})"', home).group(1)


def bench_backend(backend, a, exe):
    work = tempfile.mkdtemp(prefix="retour-bench-")
    if backend == "sqlite":
        db = f"sqlite://{work}/bench.db"
    else:
        run(["psql", PG_ADMIN, "-q", "-c", f"DROP DATABASE IF EXISTS {PG_DB}", "-c", f"CREATE DATABASE {PG_DB}"])
        db = f"postgres://postgres@127.0.0.1:5432/{PG_DB}"
    # Every role signs in with a password here: the second factor is not what is measured.
    env = dict(os.environ, RETOUR_LANG="en", RETOUR_LOG="warn", RETOUR_MFA_ROLES="")
    t = time.time()
    demo = run([exe, "--database", db, "demo", "--households", str(a.households), "--seed", "3"], env=env).stdout
    print(f"{backend}: loaded {a.households} households in {time.time() - t:.1f} s", file=sys.stderr)
    logins = dict(re.findall(r"^\s+(\S+@demo\.retour\.example)\s+\S+\s+(\S+)$", demo, re.M))
    token = run([exe, "--database", db, "token", "create", "--user", "manager@demo.retour.example"], env=env).stdout.strip()
    # The server's log is kept, so that an answer that was not 2xx/3xx can be explained.
    log_path = os.path.join(tempfile.gettempdir(), f"retour-http-bench-{backend}.log")
    log = open(log_path, "w")
    server = subprocess.Popen([exe, "--database", db, "serve", "--bind", f"127.0.0.1:{a.port}"], env=env,
                              stdout=subprocess.DEVNULL, stderr=log)
    print(f"{backend}: server log in {log_path}", file=sys.stderr)
    base = f"http://127.0.0.1:{a.port}"
    rows = []
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(base + "/healthz").read()
                break
            except Exception:
                time.sleep(0.1)
        api = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        req = urllib.request.Request(base + "/api/v1/search", data=json.dumps({"q": "Diallo"}).encode(), headers=api)
        ids = [h["case_id"] for h in json.load(urllib.request.urlopen(req))["hits"]]
        roles = ["counsellor", "medical", "manager", "partner", "auditor", "dpo"]
        people = {r: Browser(base, f"{r}@demo.retour.example", logins[f"{r}@demo.retour.example"]) for r in roles}
        m = people["manager"]
        cookie = {"Cookie": m.cookie}
        form = {"Cookie": m.cookie, "Content-Type": "application/x-www-form-urlencoded"}
        cases = [f"/cases/{i}" for i in ids]
        pages = [
            ("static file /static/style.css (baseline)", lua(work, "static", ["/static/style.css"], {})),
            (f"case page ({len(ids)} cases rotating)", lua(work, "case", cases, cookie)),
            ("entitlement page", lua(work, "entitlement", [c + "/entitlement" for c in cases], cookie)),
            ("plan page", lua(work, "plan", [c + "/plan" for c in cases], cookie)),
            ("delivery page", lua(work, "delivery", [c + "/delivery" for c in cases], cookie)),
            ("children page", lua(work, "children", [c + "/children" for c in cases], cookie)),
            ("search page, POST 'Mifteri'", lua(work, "search", ["/search"], form, "POST",
                                                 f"q=Mifteri&birth_year=&nationality=&_csrf={m.csrf}")),
            ("tasks page (counsellor)", lua(work, "tasks", ["/tasks"], {"Cookie": people["counsellor"].cookie})),
        ]
        for r in roles:
            pages.append((f"home: {r}", lua(work, f"home-{r}", ["/home"], {"Cookie": people[r].cookie})))
        pages += [
            ("API GET /api/v1/cases/{id}", lua(work, "api-case", ["/api/v1" + c for c in cases], api)),
            ("API GET …/plan", lua(work, "api-plan", ["/api/v1" + c + "/plan" for c in cases], api)),
            ("API GET …/spendings", lua(work, "api-spendings", ["/api/v1" + c + "/spendings" for c in cases], api)),
            ("API GET …/members", lua(work, "api-members", ["/api/v1" + c + "/members" for c in cases], api)),
            ("API POST /api/v1/search 'Mifteri'", lua(work, "api-search", ["/api/v1/search"], api, "POST",
                                                       json.dumps({"q": "Mifteri"}))),
            ("API GET /api/v1/tasks", lua(work, "api-tasks", ["/api/v1/tasks"], api)),
        ]
        for name, script in pages:
            rows.append((name, wrk(base + "/", a.seconds, a.connections, script)))
    finally:
        server.terminate()
        server.wait()
        log.close()
        shutil.rmtree(work, ignore_errors=True)
    return rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--households", type=int, default=100_000)
    ap.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--connections", type=int, default=32)
    ap.add_argument("--port", type=int, default=18181)
    ap.add_argument("--show-errors", action="store_true", help="name the status of answers that were not 2xx/3xx")
    a = ap.parse_args()
    global SHOW_ERRORS
    SHOW_ERRORS = a.show_errors
    if not shutil.which("wrk"):
        sys.exit("bench/http_load.py needs wrk: apt-get install wrk")
    run(["cargo", "build", "--release", "-q", "-p", "retour"], cwd=ROOT)
    exe = os.path.join(os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target")), "release/retour")
    backends = ["sqlite", "postgres"] if a.backend == "both" else [a.backend]
    results = {b: bench_backend(b, a, exe) for b in backends}
    print(f"\nHTTP benchmark: {a.households} households, wrk 2 threads / {a.connections} connections / "
          f"{a.seconds} s, release build, loopback, {os.cpu_count()} cores")
    # Per backend: requests/s, p50 and p99 in ms, the share of the static file's requests/s, and
    # the count of answers that were not 2xx or 3xx.
    head = f"{'':<42}" + "".join(f" | {b + ' req/s':>15} {'p50':>6} {'p99':>6} {'ratio':>5} {'!2xx':>5}" for b in backends)
    print(head)
    for i, (name, _) in enumerate(results[backends[0]]):
        line = f"{name:<42}"
        for b in backends:
            r = results[b][i][1]
            static = results[b][0][1]["rps"]
            line += f" | {r['rps']:>15.0f} {r['p50']:>6.2f} {r['p99']:>6.2f} {r['rps'] / static:>5.2f} {r['non2xx']:>5}"
        codes = sorted({c for b in backends for c in results[b][i][1]["codes"]})
        print(line + (f"  (status {', '.join(codes)})" if codes else ""))


if __name__ == "__main__":
    main()
