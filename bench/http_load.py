#!/usr/bin/env python3
"""HTTP load benchmark against a release build on loopback.

Loads N demo households (default 100,000), starts `retour serve`, signs in as the programme
manager, and runs wrk (2 threads, 32 connections) on: a static file (the baseline), the case page
(rotating over 50 cases), the search page (POST), and the plan and delivery pages of the same
cases. Prints requests/s and p50/p99 side by side,
with each page's throughput as a share of the static file's.

    python3 bench/http_load.py [--households 100000] [--seconds 10] [--connections 32]
"""
import argparse, json, os, re, shutil, subprocess, sys, tempfile, time, urllib.request, urllib.parse, http.cookiejar

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, text=True, capture_output=True, **kw)


def wrk(url, seconds, connections, script=None):
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency"]
    if script:
        cmd += ["-s", script]
    out = run(cmd + [url]).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def pct(p):
        m = re.search(rf"\s{p}%\s+([\d.]+)(us|ms|s)", out)
        v, unit = float(m.group(1)), m.group(2)
        return v / 1000 if unit == "us" else v * 1000 if unit == "s" else v

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": rps, "p50": pct(50), "p99": pct(99), "non2xx": int(errors.group(1)) if errors else 0}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--households", type=int, default=100_000)
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--connections", type=int, default=32)
    ap.add_argument("--port", type=int, default=18181)
    a = ap.parse_args()
    if not shutil.which("wrk"):
        sys.exit("bench/http_load.py needs wrk: apt-get install wrk")
    run(["cargo", "build", "--release", "-q", "-p", "retour"], cwd=ROOT)
    exe = os.path.join(os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target")), "release/retour")
    work = tempfile.mkdtemp(prefix="retour-bench-")
    db = f"sqlite://{work}/bench.db"
    env = dict(os.environ, RETOUR_LANG="en", RETOUR_LOG="warn")
    t = time.time()
    demo = run([exe, "--database", db, "demo", "--households", str(a.households), "--seed", "3"], env=env).stdout
    print(f"loaded {a.households} households in {time.time() - t:.1f} s", file=sys.stderr)
    password = re.search(r"manager@demo\.retour\.example\s+programme_manager\s+(\S+)", demo).group(1)
    token = run([exe, "--database", db, "token", "create", "--user", "manager@demo.retour.example"], env=env).stdout.strip()
    server = subprocess.Popen([exe, "--database", db, "serve", "--bind", f"127.0.0.1:{a.port}"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{a.port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz").read()
                break
            except Exception:
                time.sleep(0.1)
        # Case ids to rotate over, found through the API.
        req = urllib.request.Request(base + "/api/v1/search", data=json.dumps({"q": "Diallo"}).encode(),
                                     headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
        ids = [h["case_id"] for h in json.load(urllib.request.urlopen(req))["hits"]]
        # Sign in like a browser.
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        page = opener.open(base + "/login").read().decode()
        csrf = re.search(r'name="_csrf" value="([0-9a-f]{64})"', page).group(1)
        opener.open(base + "/login", data=urllib.parse.urlencode({"email": "manager@demo.retour.example", "password": password, "_csrf": csrf}).encode())
        session = next(c.value for c in jar if c.name == "retour_session")
        home = opener.open(base + "/home").read().decode()
        session_csrf = re.search(r'name="_csrf" value="([0-9a-f]{64})"', home).group(1)
        cookie = f"retour_session={session}"

        case_lua = os.path.join(work, "case.lua")
        with open(case_lua, "w") as f:
            f.write("ids = {" + ",".join(f'"{i}"' for i in ids) + "}\n")
            f.write(f'wrk.headers["Cookie"] = "{cookie}"\n')
            f.write("n = 0\nrequest = function()\n n = n + 1\n return wrk.format('GET', '/cases/' .. ids[(n % #ids) + 1])\nend\n")
        def rotating(name, suffix):
            path = os.path.join(work, name)
            with open(path, "w") as f:
                f.write("ids = {" + ",".join(f'"{i}"' for i in ids) + "}\n")
                f.write(f'wrk.headers["Cookie"] = "{cookie}"\n')
                f.write(f"n = 0\nrequest = function()\n n = n + 1\n return wrk.format('GET', '/cases/' .. ids[(n % #ids) + 1] .. '{suffix}')\nend\n")
            return path
        plan_lua = rotating("plan.lua", "/plan")
        delivery_lua = rotating("delivery.lua", "/delivery")
        search_lua = os.path.join(work, "search.lua")
        with open(search_lua, "w") as f:
            f.write('wrk.method = "POST"\n')
            f.write(f'wrk.headers["Cookie"] = "{cookie}"\n')
            f.write('wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n')
            f.write(f'wrk.body = "q=Mifteri&birth_year=&nationality=&_csrf={session_csrf}"\n')

        rows = [
            ("static file /static/style.css (baseline)", wrk(base + "/static/style.css", a.seconds, a.connections)),
            (f"case page, signed in ({len(ids)} cases rotating)", wrk(base + "/", a.seconds, a.connections, case_lua)),
            ("search page POST 'Mifteri', signed in", wrk(base + "/search", a.seconds, a.connections, search_lua)),
            ("plan page (envelopes from the entitlement)", wrk(base + "/", a.seconds, a.connections, plan_lua)),
            ("delivery page", wrk(base + "/", a.seconds, a.connections, delivery_lua)),
        ]
    finally:
        server.terminate()
        server.wait()
    static = rows[0][1]["rps"]
    print(f"\nHTTP benchmark: {a.households} households, wrk 2 threads / {a.connections} connections / {a.seconds} s, release build, loopback, {os.cpu_count()} cores")
    print(f"{'':<46} {'req/s':>10} {'p50 ms':>8} {'p99 ms':>8} {'vs static':>10} {'non-2xx':>8}")
    for name, r in rows:
        print(f"{name:<46} {r['rps']:>10.0f} {r['p50']:>8.2f} {r['p99']:>8.2f} {r['rps'] / static:>10.2f} {r['non2xx']:>8}")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
