"""Benchmark (not a test): ``GET /api/v1/coverage`` with incidents at 1,000,000 incidents.

Server time through Flask's test client, signed in as the commander, on the demo district:

- cold: the cache emptied and the model's own coverage memo too (the model itself is built, as
  it is once per worker), so the counts per level-5 grid, the grid table and the polygons are
  all computed;
- warm: the same query again (one version read and one cache read);
- naive baseline, in the same run: read every incident point and place each on the raster
  (what the API did before).

Usage: python bench/bench_coverage_incidents.py [--n 1000000] [--db bench/out/incidents-1m.sqlite]
[--no-pg]. The SQLite store is built once (about 6 minutes) and reused while the file exists;
PostgreSQL (127.0.0.1:5432 db ``test``, schema ``bench_coverage``), when it answers, gets a copy.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import create_app  # noqa: E402
from bench.bench_incident_map import build_store  # noqa: E402
from bench.pg_store import copy_store, pg_available, pg_url  # noqa: E402
from tests.auth_support import signed_in  # noqa: E402
from web.cache import cache  # noqa: E402
from web.local_memo import clear_local_memos  # noqa: E402

URL = "/api/v1/coverage?level=2"
COLD, WARM, NAIVE = 5, 15, 3


def median_ms(fn, repeats: int, before=None) -> float:
    times = []
    for _ in range(repeats):
        if before:
            before()
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def measure(
    label: str, database_url: str, data_dir: str, naive_repeats: int = NAIVE
) -> list[tuple[str, str]]:
    app = create_app(
        {
            "data_dir": data_dir,
            "database_url": database_url,
            "cache_type": "SimpleCache",
            "demo_incidents": False,
        }
    )
    runtime = app.server.extensions["gridmap"]
    model = runtime.coverage_model  # built once per worker: not part of a call
    store = runtime.incident_store
    client = signed_in(app)

    def get():
        answer = client.get(URL)
        assert answer.status_code == 200, answer.get_data(as_text=True)[:300]
        return answer

    def empty():
        with app.server.app_context():
            cache.clear()
            clear_local_memos(app.server)
        model._memo.clear()

    cold = median_ms(get, COLD, before=empty)
    get()
    warm = median_ms(get, WARM)
    body = get().get_json()

    def naive():
        result = model.coverage(5)
        points = store.points()
        result.grid_table(points)
        return len(points)

    naive_ms = median_ms(naive, naive_repeats, before=model._memo.clear)
    total = store.count()
    kpis = body["kpis"]
    return [
        (f"{label}: cold (cache empty), {total:,} incidents", f"{cold:,.0f}"),
        (f"{label}: warm", f"{warm:,.1f}"),
        (f"{label}: naive, every point read and placed on the raster", f"{naive_ms:,.0f}"),
        (
            f"{label}: answer",
            f"{kpis['incidents']:,.0f} incidents, {kpis['incident_share']:.1%} covered",
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--db", default=str(ROOT / "bench" / "out" / "incidents-1m.sqlite"))
    parser.add_argument("--data-dir", default=str(ROOT / "data" / "geo"))
    parser.add_argument("--no-pg", action="store_true")
    parser.add_argument("--naive-repeats", type=int, default=NAIVE)
    args = parser.parse_args()
    db = Path(args.db)
    db.parent.mkdir(parents=True, exist_ok=True)
    build_store(db, args.n, Path(args.data_dir))
    rows = measure("SQLite", f"sqlite:///{db}", args.data_dir, args.naive_repeats)
    why = "skipped (--no-pg)" if args.no_pg else pg_available()
    if why is None:
        url = pg_url("bench_coverage")
        copy_store(db, url, args.n).dispose()
        rows += measure("PostgreSQL", url, args.data_dir, args.naive_repeats)
    else:
        print(f"PostgreSQL: {why}")
    print(
        f"\n# GET {URL} (medians: cold of {COLD}, warm of {WARM}, naive of {args.naive_repeats})\n"
    )
    print("| step | server ms |")
    print("|---|---:|")
    for label, value in rows:
        print(f"| {label} | {value} |")


if __name__ == "__main__":
    main()
