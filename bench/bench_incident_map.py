"""Benchmark (not a test): the incident map at 1,000,000 incidents, beside a naive baseline.

Server time (median, through Flask's test client, cache off so every call computes) and bytes
sent for: a filter change with the heatmap on, a drill with the heatmap on, and incident counts
for the whole level-5 view. The naive baseline sends every matching point to a Densitymap.

Usage: python bench/bench_incident_map.py [--n 1000000] [--db bench/out/incidents-1m.sqlite]
The store is built once (about 3 minutes) and reused while the file exists.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import plotly.io as pio  # noqa: E402

from app import create_app  # noqa: E402
from gridmap.demo.incidents import demo_incidents, records  # noqa: E402
from gridmap.grids.district import load_district  # noqa: E402
from gridmap.incidents.filters import IncidentFilters  # noqa: E402
from gridmap.incidents.store import IncidentStore  # noqa: E402
from tests.auth_support import signed_in  # noqa: E402
from tests.dash_http import call, duplicate_output  # noqa: E402
from ui import ids  # noqa: E402

REPEATS = 7


def build_store(db: Path, n: int, data_dir: Path) -> None:
    """Fill ``db`` with ``n`` incidents: demo years with other seeds, ids made unique."""
    district = load_district(data_dir)
    store = IncidentStore(f"sqlite:///{db}")
    if store.count() >= n:
        return
    seed, stored = 1, store.count()
    start = time.perf_counter()
    while stored < n:
        frame = demo_incidents(district.grids, seed=seed)
        frame["id"] = f"s{seed}-" + frame["id"].astype(str)
        frame = frame.iloc[: n - stored]
        for a in range(0, len(frame), 50_000):
            stored += len(store.insert(records(frame.iloc[a : a + 50_000])).stored)
        seed += 1
        print(f"  {stored:,} incidents stored ({time.perf_counter() - start:.0f} s)", flush=True)


def median_ms(fn) -> tuple[float, object]:
    times, result = [], None
    for _ in range(REPEATS):
        start = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


OVERLAY_OUTPUT = "figure"


def overlay(client, search: str, filters: str) -> object:
    return call(
        client,
        [(ids.MAP_GRAPH, OVERLAY_OUTPUT)],
        [
            (ids.URL, "search", search),
            (ids.FILTERS_STORE, "data", filters),
            (ids.VERSION_STORE, "data", 1),
            (ids.LAYER_CHECKLIST, "value", ["posts", "roads", "heat", "incidents"]),
            (ids.LANG_STORE, "data", "zh"),
            (ids.MAP_SIZE_STORE, "data", [1200, 850]),
        ],
        changed=[f"{ids.FILTERS_STORE}.data"],
    )


def render(client, search: str, filters: str) -> object:
    return call(
        client,
        [(ids.MAP_GRAPH, "figure"), (ids.BREADCRUMB, "children"), (ids.DETAIL_PANEL, "children")],
        [
            (ids.URL, "search", search),
            (ids.LANG_STORE, "data", "zh"),
            (ids.METRIC_SELECT, "value", "incidents"),
            (ids.LAYER_CHECKLIST, "value", ["posts", "roads", "heat"]),
            (ids.MAP_SIZE_STORE, "data", [1200, 850]),
            (ids.FILTERS_STORE, "data", filters),
            (ids.VERSION_STORE, "data", 1),
        ],
        changed=[f"{ids.FILTERS_STORE}.data"],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--db", default=str(ROOT / "bench" / "out" / "incidents-1m.sqlite"))
    parser.add_argument("--data-dir", default=str(ROOT / "data" / "geo"))
    args = parser.parse_args()
    db = Path(args.db)
    db.parent.mkdir(parents=True, exist_ok=True)
    build_store(db, args.n, Path(args.data_dir))

    app = create_app(
        {
            "data_dir": args.data_dir,
            "database_url": f"sqlite:///{db}",
            "cache_type": "NullCache",
            "demo_incidents": False,
        }
    )
    runtime = app.server.extensions["gridmap"]
    store, district = runtime.incident_store, runtime.district
    client = signed_in(app)  # a person, as in the browser
    global OVERLAY_OUTPUT
    OVERLAY_OUTPUT = duplicate_output(app, ids.MAP_GRAPH, "figure", ids.FILTERS_STORE)
    total = store.count()
    township = district.children(district.root_id)[2]
    year = IncidentFilters(start="2025-01-01", end="2026-12-31").key()
    month = IncidentFilters(start="2025-07-01", end="2025-07-31", categories=("flood", "land"))
    month_key = month.key()

    rows = []
    for label, fn, filters in (
        ("filter change, district view, heatmap (overlay callback)", overlay, month_key),
        ("whole year, district view, heatmap (overlay callback)", overlay, year),
        ("filter change, district view, counts per township (render)", render, month_key),
        ("drill to a township, heatmap (overlay callback)", overlay, year),
        ("whole level-5 view: counts per grid (render)", render, year),
    ):
        search = f"?grid={township}" if "drill" in label else ""
        if "level-5" in label:
            search = "?view=level-5"
        ms, resp = median_ms(lambda fn=fn, s=search, f=filters: fn(client, s, f))
        assert resp.status_code == 200, resp.get_data(as_text=True)[:300]
        rows.append((label, ms, len(resp.data)))

    # Naive: every matching point sent to a Densitymap.
    def naive(filters: IncidentFilters):
        points = store.points(**filters.store_filters())
        trace = {"type": "densitymap", "lon": points[:, 0].tolist(), "lat": points[:, 1].tolist(),
                 "radius": 6}  # fmt: skip
        return pio.to_json({"data": [trace], "layout": {}}, validate=False), len(points)

    naive_rows = []
    for label, f in (("month, 2 categories", month), ("whole store", IncidentFilters(
            start="2000-01-01", end="2030-12-31"))):  # fmt: skip
        ms, (text, n) = median_ms(lambda f=f: naive(f))
        naive_rows.append((f"naive: every point to Densitymap ({label}, {n:,} points)", ms,
                           len(text.encode())))  # fmt: skip

    print(f"# Incident map at {total:,} incidents (SQLite, {db.name}); medians of {REPEATS}\n")
    print("| step | server ms | sent |")
    print("|---|---:|---:|")
    for label, ms, size in rows + naive_rows:
        print(f"| {label} | {ms:.0f} | {size / 1024:,.0f} kB |")
    print(json.dumps({"incidents": total}))


if __name__ == "__main__":
    main()
