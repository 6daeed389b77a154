"""Soak of the command-centre wall: thousands of refreshes against a live server and browser.

Not a test: it prints a markdown table and asserts nothing. It starts ``python app.py`` on a
loopback port (its own SQLite file in a temporary folder, the demo incident year loaded on
first start), opens ``/wall/?refresh=1`` in Chromium (``--js-flags=--expose-gc``), then drives
extra refreshes by POSTing the wall's refresh callback in a loop, the way the page does (with
the version it last got), inserting an incident through the API every ``--insert-every``
cycles so the data changes. Bounded in count and in time: whichever comes first. Usage::

    python bench/soak_wall.py [--cycles 2000] [--minutes 10] [--insert-every 25] [--port 8093]

Reports the server's RSS (``/proc/<pid>/status`` VmRSS) and the page's JS heap
(``performance.memory.usedJSHeapSize`` after ``window.gc()``, Chromium started with
``--enable-precise-memory-info`` since the figure is otherwise bucketed) at start and end, the
refresh callback's latency, the oldest data the page showed during the run, and whether the
page is still fresh at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from callbacks.wall import REFRESH_OUTPUTS  # noqa: E402
from tests.browser_support import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from ui import wall_ids as ids  # noqa: E402

TOKEN = "soak-token"


def rss_mib(pid: int) -> float:
    """Return the resident set size of ``pid`` in MiB (VmRSS of /proc/<pid>/status)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def post_json(url: str, body: object, headers: dict | None = None) -> tuple[int, dict]:
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        # The kiosk key travels in the URL; a cookie-like credential must come from the site.
        headers={
            "Content-Type": "application/json",
            "Origin": url.split("/wall/")[0],
            **(headers or {}),
        },  # fmt: skip
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            return answer.status, json.loads(answer.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, {}


def refresh_body(known: dict | None) -> dict:
    """Return the body of one refresh callback request (as dash-renderer sends it)."""
    outputs = [{"id": i, "property": p} for i, p in REFRESH_OUTPUTS]
    return {
        "output": ".." + "...".join(f"{i}.{p}" for i, p in REFRESH_OUTPUTS) + "..",
        "outputs": outputs,
        "inputs": [
            {"id": ids.REFRESH_GATE_STORE, "property": "data", "value": 1},
            {"id": ids.SETTINGS_STORE, "property": "data", "value": {"lang": "zh", "refresh": 1}},
        ],
        "state": [{"id": ids.VERSION_STORE, "property": "data", "value": known}],
        "changedPropIds": [f"{ids.REFRESH_GATE_STORE}.data"],
    }


def wait_up(url: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.5)
    raise SystemExit(f"server did not answer {url} within {seconds:.0f} s")


def js_heap_mib(page) -> float:
    """Return the page's used JS heap in MiB after a forced garbage collection."""
    return page.evaluate(
        "() => { if (window.gc) { window.gc(); }"
        " return performance.memory.usedJSHeapSize / 1048576; }"
    )


def page_age(page) -> int:
    """Return the seconds of the page's "updated N s ago" (minutes count as 60 s)."""
    text = page.locator("#wall-freshness").inner_text()
    digits = "".join(c for c in text if c.isdigit())
    if not digits:
        return 0
    return int(digits) * (60 if "分钟" in text or "min" in text else 1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cycles", type=int, default=2000)
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--insert-every", type=int, default=25)
    parser.add_argument(
        "--pause", type=float, default=0.1, help="seconds between two cycles (default 0.1)"
    )
    parser.add_argument("--port", type=int, default=8093)
    parser.add_argument("--data-dir", default=str(ROOT / "data" / "geo"))
    parser.add_argument("--screenshot", help="save the page at the end to this PNG")
    args = parser.parse_args(argv)

    from playwright.sync_api import sync_playwright

    folder = Path(tempfile.mkdtemp(prefix="soak-wall-"))
    base = f"http://127.0.0.1:{args.port}"
    env = {
        **os.environ,
        "GRIDMAP_PORT": str(args.port),
        "GRIDMAP_HOST": "127.0.0.1",
        "GRIDMAP_DATA_DIR": args.data_dir,
        "GRIDMAP_DATABASE_FILE": str(folder / "soak.sqlite"),
        "GRIDMAP_CACHE_DIR": str(folder / "cache"),
        "GRIDMAP_API_TOKEN": TOKEN,
        "GRIDMAP_DEMO_INCIDENTS": "true",
    }
    # The wall runs on a kiosk link, as on a command centre's screen.
    from gridmap.access.accounts import AccountStore

    key = AccountStore(sa.create_engine(f"sqlite:///{folder / 'soak.sqlite'}")).add_kiosk("soak")
    kiosk = f"kiosk={key}"
    log = open(folder / "server.log", "w")  # noqa: SIM115 - closed at the end
    server = subprocess.Popen(
        [sys.executable, str(ROOT / "app.py")], cwd=ROOT, env=env, stdout=log, stderr=log
    )
    rows: list[tuple[str, str, str]] = []
    try:
        started = time.monotonic()
        wait_up(base + "/api/v1/health", 300)
        print(f"server up in {time.monotonic() - started:.1f} s (pid {server.pid})", flush=True)
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=CHROMIUM,
                # Precise memory info: performance.memory is otherwise bucketed and cached.
                args=[*CHROMIUM_ARGS, "--js-flags=--expose-gc", "--enable-precise-memory-info"],
                headless=True,
            )
            page = browser.new_page(viewport={"width": 1920, "height": 1080})
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(base + f"/wall/?{kiosk}&refresh=1&tour=5")
            page.wait_for_function(
                "() => (document.querySelector('#wall-kpi-today-value')?.textContent ?? '—')"
                " !== '—'",
                timeout=120_000,
            )
            page.wait_for_timeout(3000)
            # Warm the server's refresh path once before the first memory reading.
            post_json(base + f"/wall/_dash-update-component?{kiosk}", refresh_body(None))
            rss0, heap0 = rss_mib(server.pid), js_heap_mib(page)
            nodes0 = page.evaluate("() => document.getElementsByTagName('*').length")

            rng = random.Random(1)
            known, latencies, heavy, inserted, failures = None, [], 0, 0, 0
            rss_peak = rss0
            max_age = 0
            t0 = time.monotonic()
            cycle = 0
            while cycle < args.cycles and time.monotonic() - t0 < args.minutes * 60:
                cycle += 1
                if cycle % args.insert_every == 0:
                    record = {
                        "id": f"soak-{cycle}",
                        "category": rng.choice(["fire", "traffic", "neighbourhood", "security"]),
                        "reported_at": datetime.now(UTC).isoformat(),
                        "lon": 114.86 + rng.uniform(-0.05, 0.05),
                        "lat": 33.73 + rng.uniform(-0.05, 0.05),
                    }
                    code, _ = post_json(
                        base + "/api/v1/incidents",
                        record,
                        {"Authorization": f"Bearer {TOKEN}"},
                    )
                    inserted += code == 201
                start = time.perf_counter()
                code, answer = post_json(
                    base + f"/wall/_dash-update-component?{kiosk}", refresh_body(known)
                )
                latencies.append(time.perf_counter() - start)
                if code != 200:
                    failures += 1
                    continue
                time.sleep(args.pause)
                response = answer.get("response", {})
                if ids.VERSION_STORE in response:
                    known = response[ids.VERSION_STORE]["data"]
                    heavy += 1
                if cycle % 20 == 0:
                    max_age = max(max_age, page_age(page))
                if cycle % 100 == 0:
                    rss_peak = max(rss_peak, rss_mib(server.pid))
                    print(
                        f"cycle {cycle}: {time.monotonic() - t0:.0f} s, "
                        f"RSS {rss_mib(server.pid):.1f} MiB, "
                        f"page: {page.locator('#wall-freshness').inner_text()}",
                        flush=True,
                    )
            elapsed = time.monotonic() - t0
            page.wait_for_timeout(3000)
            rss1, heap1 = rss_mib(server.pid), js_heap_mib(page)
            rss_peak = max(rss_peak, rss1)
            nodes1 = page.evaluate("() => document.getElementsByTagName('*').length")
            banner_hidden = page.locator("#wall-stale-banner").is_hidden()
            fresh = page.locator("#wall-freshness").inner_text()
            today = page.locator("#wall-kpi-today-value").inner_text()
            if args.screenshot:
                page.screenshot(path=args.screenshot)
            page_refreshes = round(elapsed)  # the page's own 1 s interval ran alongside
            browser.close()

        latencies.sort()
        p95 = latencies[int(0.95 * (len(latencies) - 1))]
        rows = [
            ("cycles driven from Python", f"{cycle:,}", f"in {elapsed:,.0f} s"),
            ("page refreshes alongside (1 s interval)", f"~{page_refreshes:,}", ""),
            ("incidents inserted via the API", f"{inserted:,}", f"every {args.insert_every}"),
            ("heavy answers (version changed)", f"{heavy:,}", "the rest: freshness only"),
            ("failed refresh requests", f"{failures:,}", ""),
            (
                "refresh latency median / p95",
                f"{statistics.median(latencies) * 1000:.1f} / {p95 * 1000:.1f} ms",
                "",
            ),
            ("server RSS start -> end", f"{rss0:.1f} -> {rss1:.1f} MiB", f"peak {rss_peak:.1f}"),
            ("page JS heap start -> end (after gc)", f"{heap0:.1f} -> {heap1:.1f} MiB", ""),
            ("page DOM elements start -> end", f"{nodes0:,} -> {nodes1:,}", ""),
            ("page errors", f"{len(errors)}", "; ".join(errors[:2])),
            ("page's oldest data seen during the run", f"{max_age} s", "stale above 3 s"),
            ("stale banner at end", "hidden" if banner_hidden else "SHOWN", fresh),
            ("KPI today at end", today, ""),
        ]
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
    print()
    print("| measure | value | note |")
    print("|---|---|---|")
    for name, value, note in rows:
        print(f"| {name} | {value} | {note} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
