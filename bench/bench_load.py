"""Load benchmark (not a test): 16 signed-in clients for 60 s against gunicorn, PostgreSQL, Redis.

The server is started here: ``gunicorn -w 2 'app:create_server()'`` on loopback, its incidents,
accounts and scenarios in a PostgreSQL schema of its own (``bench_load`` of db ``test`` on
127.0.0.1:5432, the demo year loaded on first start), its cache in Redis (``RedisCache``,
127.0.0.1:6379, database 9, emptied first). The Dash callback bodies are captured from a real
browser first (headless Chromium signed in as the commander opens a township), so the drills,
the incident overlay and the statistics are POSTed exactly as the browser sends them, with only
the grid changed. Each client signs in as the commander (its own session) and loops over a mix:

- ``page``: ``GET /`` and its ``/_dash-layout``;
- ``drill``: the map's render callback for a random grid of levels 1-4 (the drill-down answer);
- ``overlay``: the incident overlay for that grid: the render callback as the browser sends it
  when the incident version store moves on (the overlays go out in the render callback's Patch,
  so the body is the drill's with ``changedPropIds`` the version store);
- ``statistics``: the statistics panel callback for that grid, as a filter change sends it (a
  drill's answer carries the new grid's panel itself, so a page load sends none: its body is
  built from the page's ``/_dash-dependencies`` and the drill's values);
- ``coverage``: ``GET /api/v1/coverage?level=2`` (minutes 4-6: several cache entries);
- ``intake``: ``POST /api/v1/incidents``, one new incident (bearer token), which moves the
  store's version on, so every figure keyed by it is recomputed once after it.

It prints requests/s, p50/p95/p99 and errors per kind and overall, and the configuration.

Usage: python bench/bench_load.py [--clients 16] [--seconds 60] [--workers 2] [--threads 4]
[--worker-class gthread] [--schema bench_load] [--keep-server]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.pg_store import PG_BASE, pg_available, pg_url  # noqa: E402
from gridmap.access.demo_accounts import demo_password  # noqa: E402
from gridmap.grids.district import load_district  # noqa: E402
from ui import ids  # noqa: E402

TOKEN = "bench-load-token"
USER = "demo-commander"
#: Share of each kind in the mix.
MIX = {
    "page": 0.10,
    "drill": 0.30,
    "overlay": 0.15,
    "statistics": 0.15,
    "coverage": 0.20,
    "intake": 0.10,
}
PAYLOADS = ROOT / "bench" / "out" / "load-payloads.json"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(args, port: int, database_url: str) -> subprocess.Popen:
    """Start gunicorn with the benchmark's settings; return the process (its own group)."""
    env = {
        **os.environ,
        "GRIDMAP_DATA_DIR": str(ROOT / "data" / "geo"),
        "GRIDMAP_DATABASE_URL": database_url,
        "GRIDMAP_CACHE_TYPE": "RedisCache",
        "GRIDMAP_CACHE_REDIS_URL": f"redis://127.0.0.1:6379/{args.redis_db}",
        "GRIDMAP_SECRET_KEY": "bench-load-secret",
        "GRIDMAP_API_TOKEN": TOKEN,
        # Sixteen clients sign in from one address: the sign-in limit is not what is measured.
        "GRIDMAP_LOGIN_LIMIT": "10000 per minute",
        "GRIDMAP_LOGIN_NAME_LIMIT": "10000 per minute",
    }
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "-w", str(args.workers),
        "-k", args.worker_class,
        "--threads", str(args.threads),
        "-b", f"127.0.0.1:{port}",
        "--timeout", "120",
        # Keep idle connections longer than a client's longest pause (gunicorn's 2 s closes a
        # session's connection while its client waits on another request; the next request
        # on it then meets a reset, which a browser retries and requests does not).
        "--keep-alive", "30",
        "--chdir", str(ROOT),
        "app:create_server()",
    ]  # fmt: skip
    log = open(ROOT / "bench" / "out" / "load-gunicorn.log", "w")  # noqa: SIM115
    return subprocess.Popen(
        command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )


def wait_up(base: str, seconds: float = 300) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if requests.get(base + "/api/v1/health", timeout=5).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(1)
    raise SystemExit(f"no answer within {seconds:.0f} s (see bench/out/load-gunicorn.log)")


def sign_in(base: str) -> requests.Session:
    """Return a session signed in as the commander, sending Origin as a browser does."""
    session = requests.Session()
    session.headers["Origin"] = base
    html = session.get(base + "/login", timeout=30).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    answer = session.post(
        base + "/login",
        data={"name": USER, "password": demo_password(USER), "csrf_token": token, "next": "/"},
        allow_redirects=False,
        timeout=30,
    )
    if answer.status_code != 302:
        raise SystemExit(f"sign-in failed: {answer.status_code} {answer.text[:200]}")
    return session


def capture(base: str, grid: str) -> dict[str, dict]:
    """Return the browser's own bodies of the render, overlay and statistics callbacks."""
    from tests.browser_support import browser_page

    bodies: list[dict] = []

    def keep(request) -> None:
        if request.method == "POST" and request.url.startswith(base + "/_dash-update-component"):
            bodies.append(json.loads(request.post_data or "{}"))

    with browser_page(base, 1600, 1000, user=USER) as (page, _):
        page.on("request", keep)
        page.goto(f"{base}/?grid={grid}", timeout=120_000)
        page.wait_for_selector(f"#{ids.STATS_PANEL} *", timeout=120_000)
        page.wait_for_load_state("networkidle", timeout=120_000)
        dependencies = page.evaluate("fetch('/_dash-dependencies').then((r) => r.json())")
    found: dict[str, dict] = {}
    for body in bodies:
        output = body.get("output", "")
        inputs = {i.get("id") for i in body.get("inputs", []) if isinstance(i, dict)}
        if f"{ids.BREADCRUMB}.children" in output and ids.VERSION_STORE in inputs:
            found["drill"] = body
            # A new incident: the store's version moves the overlays (heat, points) on only.
            overlay = json.loads(json.dumps(body))
            overlay["changedPropIds"] = [f"{ids.VERSION_STORE}.data"]
            found["overlay"] = overlay
    if "drill" in found:
        found["statistics"] = statistics_body(dependencies, found["drill"])
    missing = {"drill", "overlay", "statistics"} - set(found)
    if missing:
        raise SystemExit(f"the browser sent no {', '.join(sorted(missing))} callback")
    return found


def statistics_body(dependencies: list[dict], drill: dict) -> dict:
    """Return the statistics callback's body as a filter change sends it.

    Its inputs (filters, version, language, ranking) and state (the URL) take the values of the
    page's drill body.
    """
    values = {
        (i["id"], i["property"]): i.get("value")
        for i in [*drill["inputs"], *drill.get("state", [])]
        if isinstance(i, dict)
    }
    (spec,) = [
        d
        for d in dependencies
        if d["output"].startswith(f"{ids.STATS_PANEL}.children@")
        and any(i["id"] == ids.STATS_RANK for i in d["inputs"])
    ]

    def props(items):
        return [{**i, "value": values[(i["id"], i["property"])]} for i in items]

    return {
        "output": spec["output"],
        "outputs": {"id": ids.STATS_PANEL, "property": spec["output"].split(".", 1)[1]},
        "inputs": props(spec["inputs"]),
        "state": props(spec["state"]),
        "changedPropIds": [f"{ids.FILTERS_STORE}.data"],
    }


def with_grid(body: dict, grid: str) -> dict:
    """Return ``body`` with the URL's search set to ``?grid=<grid>`` (the drill's change)."""
    out = json.loads(json.dumps(body))
    for item in [*out["inputs"], *out.get("state", [])]:
        if isinstance(item, dict) and item.get("id") == ids.URL and item["property"] == "search":
            item["value"] = f"?grid={grid}"
    return out


class Client(threading.Thread):
    """One signed-in client looping over the mix until the deadline."""

    def __init__(self, base, payloads, grids, points, deadline, seed, results):
        super().__init__(daemon=True)
        self.base, self.payloads, self.grids, self.points = base, payloads, grids, points
        self.deadline, self.rng, self.results = deadline, random.Random(seed), results
        self.session = sign_in(base)
        self.kinds, self.weights = list(MIX), list(MIX.values())

    def run(self) -> None:
        """Loop over the mix until the deadline, noting (kind, ms, ok) of every request."""
        while time.monotonic() < self.deadline:
            kind = self.rng.choices(self.kinds, self.weights)[0]
            start = time.perf_counter()
            try:
                ok = self.once(kind)
            except requests.RequestException as error:
                FAILURES.append(f"{kind}: {type(error).__name__}: {str(error)[:120]}")
                ok = False
            self.results.append((kind, (time.perf_counter() - start) * 1000, ok))

    def once(self, kind: str) -> bool:
        """Send one request (or a page's two) of ``kind``; return whether it answered well."""
        s, base, rng = self.session, self.base, self.rng
        if kind == "page":
            a = s.get(base + "/", timeout=60)
            b = s.get(base + "/_dash-layout", timeout=60)
            return _good(kind, a, 200) and _good(kind, b, 200)
        if kind in ("drill", "overlay", "statistics"):
            body = with_grid(self.payloads[kind], rng.choice(self.grids))
            answer = s.post(base + "/_dash-update-component", json=body, timeout=60)
            return _good(kind, answer, 200, 204)
        if kind == "coverage":
            minutes = rng.choice((4, 5, 6))
            answer = s.get(f"{base}/api/v1/coverage?level=2&minutes={minutes}", timeout=60)
            return _good(kind, answer, 200)
        lon, lat = rng.choice(self.points)
        record = {
            "id": f"load-{uuid.uuid4().hex[:16]}",
            "category": rng.choice(["fire", "traffic", "neighbourhood", "flood"]),
            "reported_at": datetime.now(UTC).isoformat(),
            "lon": lon,
            "lat": lat,
            "description": "load benchmark",
        }
        answer = requests.post(
            base + "/api/v1/incidents",
            json=record,
            headers={"Authorization": f"Bearer {TOKEN}"},
            timeout=60,
        )
        return _good(kind, answer, 201)


def cpu_seconds(pids: list[int]) -> float:
    """Return the CPU time (user + system) the processes ``pids`` used so far, in seconds."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (clock ticks)
    return total / os.sysconf("SC_CLK_TCK")


def server_pids(master: int) -> list[int]:
    """Return the gunicorn master and its workers, and the PostgreSQL server processes."""
    pids = [master]
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        if parent == master or b"postgres" in command.split(b"\0")[0]:
            pids.append(int(entry.name))
    return pids


def _child(pid: int, server: subprocess.Popen) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return int(stat.rsplit(")", 1)[1].split()[1]) == server.pid


#: What each failed request answered (printed after the table).
FAILURES: list[str] = []


def _good(kind: str, answer: requests.Response, *statuses: int) -> bool:
    if answer.status_code in statuses:
        return True
    FAILURES.append(f"{kind}: {answer.status_code} {answer.text[:120]!r}")
    return False


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[k]


def table(results: list[tuple[str, float, bool]], seconds: float) -> str:
    lines = [
        "| kind | requests | req/s | p50 ms | p95 ms | p99 ms | errors |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    groups: dict[str, list[tuple[float, bool]]] = defaultdict(list)
    for kind, ms, ok in results:
        groups[kind].append((ms, ok))
    for kind in [*MIX, "all"]:
        rows = [(ms, ok) for _, ms, ok in results] if kind == "all" else groups.get(kind, [])
        times = [ms for ms, _ in rows]
        errors = sum(1 for _, ok in rows if not ok)
        name = f"**{kind}**" if kind == "all" else kind
        lines.append(
            f"| {name} | {len(rows):,} | {len(rows) / seconds:.1f} | {percentile(times, 50):,.0f} "
            f"| {percentile(times, 95):,.0f} | {percentile(times, 99):,.0f} | {errors} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--worker-class", default="gthread")
    parser.add_argument("--schema", default="bench_load")
    parser.add_argument("--redis-db", type=int, default=9)
    parser.add_argument("--recapture", action="store_true", help="capture the bodies again")
    parser.add_argument("--keep-server", action="store_true", help="leave gunicorn running")
    args = parser.parse_args()
    why = pg_available()
    if why is not None:
        raise SystemExit(f"PostgreSQL at {PG_BASE} does not answer: {why}")
    import redis

    redis.Redis(host="127.0.0.1", port=6379, db=args.redis_db).flushdb()
    (ROOT / "bench" / "out").mkdir(parents=True, exist_ok=True)
    district = load_district(ROOT / "data" / "geo")
    labels = district.label_points
    grids = [g for level in (1, 2, 3, 4) for g in district.level_ids(level)]
    points = [labels[g] for g in district.level_ids(5)]
    township = district.level_ids(2)[0]

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(args, port, pg_url(args.schema))
    try:
        wait_up(base)
        if args.recapture or not PAYLOADS.exists():
            PAYLOADS.write_text(json.dumps(capture(base, township)))
        payloads = json.loads(PAYLOADS.read_text())
        # Warm-up: each worker imports and builds on first use (the coverage model takes
        # seconds). Four clients at once, each on its own connection, so that both workers
        # get every kind before the clock starts.
        results: list[tuple[str, float, bool]] = []
        warmers = [
            Client(base, payloads, grids, points, time.monotonic() + 1e9, -k, results)
            for k in range(1, 5)
        ]
        passes = [
            threading.Thread(target=lambda w=w: [w.once(kind) for kind in [*MIX, *MIX]])
            for w in warmers
        ]
        for thread in passes:
            thread.start()
        for thread in passes:
            thread.join()
        deadline = time.monotonic() + args.seconds
        results = []
        FAILURES.clear()  # the warm-up's do not count
        clients = [
            Client(base, payloads, grids, points, deadline, seed, results)
            for seed in range(1, args.clients + 1)
        ]
        gunicorn = [p for p in server_pids(server.pid) if p == server.pid or _child(p, server)]
        postgres = [p for p in server_pids(server.pid) if p not in gunicorn]
        cpu_before = cpu_seconds(gunicorn), cpu_seconds(postgres)
        start = time.monotonic()
        deadline = start + args.seconds
        for client in clients:
            client.deadline = deadline
            client.start()
        for client in clients:
            client.join()
        elapsed = time.monotonic() - start
        postgres = [p for p in server_pids(server.pid) if p not in gunicorn]  # new backends too
        cpu_used = (
            cpu_seconds(gunicorn) - cpu_before[0],
            cpu_seconds(postgres) - cpu_before[1],
        )
    finally:
        if not args.keep_server:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=60)
    print(
        f"\n# {args.clients} clients for {elapsed:.0f} s: gunicorn -w {args.workers} -k "
        f"{args.worker_class} --threads {args.threads}, PostgreSQL (schema {args.schema}), "
        f"RedisCache; {os.cpu_count()} CPUs\n"
    )
    print(table(results, elapsed))
    times = [ms for _, ms, _ in results]
    n = max(len(results), 1)
    print(
        f"\nCPU per request: gunicorn {1000 * cpu_used[0] / n:.1f} ms, PostgreSQL (every "
        f"client of the server) {1000 * cpu_used[1] / n:.1f} ms; load average "
        f"{os.getloadavg()[0]:.1f} at the end"
    )
    for failure in FAILURES[:10]:
        print(f"failed: {failure}")
    print(json.dumps({"requests": len(results), "p95_ms": round(percentile(times, 95))}))


if __name__ == "__main__":
    main()
