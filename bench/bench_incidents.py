"""Benchmark of the incidents back end: grid assignment and SQLite queries at 1,000,000 rows.

Not a test: it prints a markdown table (each figure next to a naive baseline measured in the
same run) and asserts nothing. Usage::

    python bench/bench_incidents.py [--data-dir data/geo] [--points 1000000] [--db PATH]

Uses the district folder's ``grids.*`` (the demo's 6,438 level-5 grids).
"""

from __future__ import annotations

import argparse
import collections
import os
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import shapely
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gridmap.incidents.assign import OUTSIDE, GridAssigner  # noqa: E402
from gridmap.incidents.categories import CATEGORY_IDS  # noqa: E402
from gridmap.incidents.file_import import read_grids  # noqa: E402
from gridmap.incidents.store import IncidentStore  # noqa: E402


def timed(func, repeat: int = 1) -> tuple[float, object]:
    """Return (median seconds over ``repeat`` runs, last result)."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def fmt(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms" if seconds < 10 else f"{seconds:,.1f} s"


def bench_store(store: IncidentStore, label: str, n: int, start_year: datetime, data: dict):
    """Load ``n`` incidents into ``store`` and time the dashboard's queries."""
    rows = []
    offsets, cats, statuses = data["offsets"], data["cats"], data["statuses"]
    grid_ids, lon, lat = data["grid_ids"], data["lon"], data["lat"]

    def load() -> float:
        """Insert in 50k-record calls; return the seconds spent in store.insert only."""
        chunk, spent = 50_000, 0.0
        for a in range(0, n, chunk):
            recs = [
                {
                    "id": f"b{i:07d}", "category": cats[i], "status": statuses[i],
                    "reported_at": start_year + timedelta(seconds=int(offsets[i])),
                    "resolved_at": (start_year + timedelta(seconds=int(offsets[i]) + 86400)
                                    if statuses[i] in ("resolved", "closed") else None),
                    "lon": float(lon[i]), "lat": float(lat[i]),
                    "g1": grid_ids[i, 0], "g2": grid_ids[i, 1], "g3": grid_ids[i, 2],
                    "g4": grid_ids[i, 3], "g5": grid_ids[i, 4], "reporter": "bench",
                }
                for i in range(a, min(a + chunk, n))
            ]  # fmt: skip
            start = time.perf_counter()
            store.insert(recs)
            spent += time.perf_counter() - start
        return spent

    t_load = load()
    # Fresh statistics (and, on PostgreSQL, the visibility map for index-only scans), as
    # autovacuum would give a long-running server.
    vacuum = "ANALYZE" if label == "SQLite" else f'VACUUM ANALYZE "{store.table.name}"'
    with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(sa.text(vacuum))
    rows.append((f"{label}: insert {n:,} incidents (50k per call)",
                 "store.insert: ON CONFLICT DO NOTHING RETURNING id", fmt(t_load),
                 f"{n / t_load:,.0f} rows/s"))  # fmt: skip

    t_counts, counts = timed(lambda: store.counts_by_grid(5), repeat=5)

    def naive_counts():
        with store.engine.connect() as conn:
            return collections.Counter(r[0] for r in conn.execute(sa.select(store.table.c.g5)))

    t_naive_counts, check = timed(naive_counts, repeat=3)
    assert dict(check) == counts.to_dict()
    rows.append((f"{label}: counts per level-5 grid ({len(counts):,} grids)",
                 "GROUP BY g5 (target < 200 ms)", fmt(t_counts),
                 f"fetch all + Counter: {fmt(t_naive_counts)}"))  # fmt: skip
    t_c2, c2 = timed(lambda: store.counts_by_grid(2), repeat=5)
    rows.append((f"{label}: counts per level-2 grid ({len(c2)} grids)", "GROUP BY g2",
                 fmt(t_c2), ""))  # fmt: skip
    month = {"start": datetime(2025, 7, 1, tzinfo=UTC), "end": datetime(2025, 8, 1, tzinfo=UTC)}
    t_cm, _ = timed(lambda: store.counts_by_grid(5, **month, categories=["flood", "fire"]),
                    repeat=5)  # fmt: skip
    rows.append((f"{label}: counts per level-5 grid, 1 month, 2 categories",
                 "GROUP BY g5 + WHERE", fmt(t_cm), ""))  # fmt: skip
    t_open, _ = timed(lambda: store.counts_by_grid(5, statuses=["reported", "dispatched"]),
                      repeat=5)  # fmt: skip
    rows.append((f"{label}: open incidents per level-5 grid", "GROUP BY g5 + status",
                 fmt(t_open), ""))  # fmt: skip
    town = str(pd.Series(grid_ids[:, 1]).value_counts().index[0])
    share = (grid_ids[:, 1] == town).mean()
    t_drill, drill = timed(lambda: store.counts_by_grid(4, grid=town, grid_level=2), repeat=5)
    rows.append((f"{label}: drill-down, level-4 counts in the busiest township "
                 f"({share:.0%} of rows)", "WHERE g2 = ? GROUP BY g4", fmt(t_drill),
                 f"{len(drill)} grids"))  # fmt: skip
    t_status, _ = timed(lambda: store.counts_by_grid(5, by="status"), repeat=3)
    rows.append((f"{label}: counts per level-5 grid by status", "GROUP BY g5, SUM(CASE) per status",
                 fmt(t_status), ""))  # fmt: skip

    village = str(pd.Series(grid_ids[:, 2]).value_counts().index[0])
    filters = {"grid": village, "grid_level": 3, **month, "categories": ["land", "flood"]}
    t_q, result = timed(lambda: store.query(**filters), repeat=5)

    def naive_query():
        frame = pd.read_sql(sa.select(store.table), store.engine)
        reported = pd.to_datetime(frame["reported_at"], utc=True)
        return frame[
            (frame["g3"] == village)
            & (reported >= month["start"])
            & (reported < month["end"])
            & frame["category"].isin(["land", "flood"])
        ]

    t_naive_q, naive_rows = timed(naive_query)
    assert len(naive_rows) == len(result)
    rows.append(
        (
            f"{label}: query 1 village, 1 month, 2 categories ({len(result)} rows)",
            "indexed WHERE",
            fmt(t_q),
            f"read all + pandas filter: {fmt(t_naive_q)}",
        )
    )
    t_town, _ = timed(lambda: store.query(grid=town, grid_level=2, limit=1000), repeat=5)
    rows.append((f"{label}: query busiest township, newest 1,000",
                 "ORDER BY reported_at DESC LIMIT", fmt(t_town), ""))  # fmt: skip
    t_ver, _ = timed(store.version, repeat=20)
    rows.append((f"{label}: version() poll", "one-row read", fmt(t_ver), ""))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", default=str(ROOT / "data" / "geo"))
    parser.add_argument("--points", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=200, help="naive loop sample size")
    parser.add_argument("--db", help="SQLite file (default: a temporary file)")
    parser.add_argument("--pg", help="also run the store part on this PostgreSQL URL "
                        "(tables with a unique prefix, dropped after)")  # fmt: skip
    args = parser.parse_args()
    rows: list[tuple[str, str, str, str]] = []
    rng = np.random.default_rng(7)

    grids = read_grids(args.data_dir)
    n5 = int((grids["level"] == 5).sum())
    build, assigner = timed(lambda: GridAssigner.from_grids(grids))
    rows.append(("build assigner (STRtree over level 5)", f"{n5:,} grids", fmt(build), ""))

    # Points: population-weighted level-5 grids, uniform in each grid's bounding box (so some
    # fall in neighbours and a few outside the district), plus 5% uniform over the whole box.
    n = args.points
    leaf = grids[grids["level"] == 5]
    pop = leaf["population"].to_numpy(float) if "population" in leaf else np.ones(len(leaf))
    cell = rng.choice(len(leaf), size=n, p=pop / pop.sum())
    b = shapely.bounds(leaf.geometry.to_numpy())[cell]
    lon = b[:, 0] + rng.random(n) * (b[:, 2] - b[:, 0])
    lat = b[:, 1] + rng.random(n) * (b[:, 3] - b[:, 1])
    k = n // 20
    w, s, e, nb = grids.total_bounds
    lon[:k], lat[:k] = rng.uniform(w, e, k), rng.uniform(s, nb, k)

    t_assign, index = timed(lambda: assigner.assign(lon, lat), repeat=3)
    t_ids, ids = timed(lambda: assigner.assign_ids(lon, lat), repeat=3)
    outside = int((index == OUTSIDE).sum())

    # Naive: per point, test every level-5 polygon with shapely contains (no index).
    polys = list(leaf.geometry)
    sample = rng.choice(n, size=args.sample, replace=False)

    def naive():
        out = []
        for i in sample:
            p = shapely.Point(lon[i], lat[i])
            out.append(next((j for j, poly in enumerate(polys) if poly.contains(p)), -1))
        return out

    t_naive, _ = timed(naive)
    per_point = t_naive / args.sample
    rows.append((f"assign {n:,} points, level 5 index", "vectorised STRtree + intersects_xy",
                 fmt(t_assign), f"naive loop: {fmt(per_point * n)} (extrapolated from "
                 f"{args.sample} points, {per_point * 1e3:.2f} ms/point)"))  # fmt: skip
    rows.append((f"assign {n:,} points, ids at 5 levels", f"{outside:,} outside", fmt(t_ids),
                 f"speed-up {per_point * n / t_ids:,.0f}x"))  # fmt: skip

    # Store: 1,000,000 incidents (the points inside the district, topped up).
    inside = np.flatnonzero(index != OUTSIDE)
    take = np.resize(inside, n)
    start_year = datetime(2025, 1, 1, tzinfo=UTC)
    data = {
        "offsets": rng.integers(0, 365 * 24 * 3600, size=n),
        "cats": np.asarray(CATEGORY_IDS, dtype=object)[rng.integers(0, len(CATEGORY_IDS), size=n)],
        "statuses": np.asarray(["reported", "dispatched", "resolved", "closed"], dtype=object)[
            rng.choice(4, size=n, p=[0.02, 0.03, 0.15, 0.8])
        ],
        "grid_ids": ids.to_numpy()[take],
        "lon": lon[take],
        "lat": lat[take],
    }

    tmp = None
    if args.db:
        db = Path(args.db)
        for suffix in ("", "-wal", "-shm"):
            Path(str(db) + suffix).unlink(missing_ok=True)
    else:
        tmp = tempfile.TemporaryDirectory()
        db = Path(tmp.name) / "bench.sqlite"
    store = IncidentStore(f"sqlite:///{db}")
    rows.extend(bench_store(store, "SQLite", n, start_year, data))
    store.dispose()
    if args.pg:
        prefix = f"bench{uuid.uuid4().hex[:8]}_"
        store = IncidentStore(args.pg, table_prefix=prefix)
        try:
            rows.extend(bench_store(store, "PostgreSQL", n, start_year, data))
        finally:
            store.drop()
            store.dispose()

    print(
        f"\nMachine: {sys.platform}, {os.cpu_count()} CPUs, Python {sys.version.split()[0]}, "
        f"SQLite {sqlite3.sqlite_version}; grids: {args.data_dir}; times are medians\n"
    )
    print("| operation | how | time | baseline / note |")
    print("|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    if tmp is not None:
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
