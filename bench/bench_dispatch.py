"""Benchmark of the dispatch workbench's queues and counts at 1,000,000 incidents.

Not a test: it prints a markdown table (each figure beside a naive baseline measured in the same
run) and asserts nothing. Usage::

    python bench/bench_dispatch.py [--incidents 1000000] [--no-pg]

Synthetic incidents over a year in a five-level district of 20 townships (6,400 level-5 grids),
as a busy year looks at its end: about 90 % closed, the rest spread over the open states, some
escalated, some overdue. Server time is the store call (SQL and the Python around it); the naive
baseline reads every open case and runs :func:`gridmap.incidents.deadlines.due` on each in
Python. PostgreSQL (127.0.0.1:5432, db ``test``) is measured too when it answers.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gridmap.incidents.categories import CATEGORY_IDS  # noqa: E402
from gridmap.incidents.deadlines import DUE_SOON_HOURS, default_limits, due  # noqa: E402
from gridmap.incidents.queues import QUEUES  # noqa: E402
from gridmap.incidents.store import IncidentStore  # noqa: E402

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
NOW = datetime(2026, 1, 1, 0, tzinfo=UTC)
OPEN_STATES = ["reported", "registered", "dispatched", "handled", "rework", "returned"]
OPEN_WEIGHTS = [0.25, 0.15, 0.4, 0.1, 0.05, 0.05]
CHUNK = 50_000


def records(n: int, seed: int = 11):
    """Yield chunks of synthetic incident records (deterministic)."""
    rng = np.random.default_rng(seed)
    year = 365 * 24 * 3600
    for start in range(0, n, CHUNK):
        m = min(CHUNK, n - start)
        age = rng.random(m) ** 2 * year  # more recent cases are likelier open below
        reported = [NOW - timedelta(seconds=float(s)) for s in age]
        cat = rng.choice(len(CATEGORY_IDS), size=m)
        is_open = rng.random(m) < np.where(age < 7 * 86400, 0.5, 0.02)
        state = np.where(is_open, rng.choice(OPEN_STATES, size=m, p=OPEN_WEIGHTS), "closed")
        town = rng.integers(1, 21, size=m)
        cells = rng.integers(0, 320, size=m)
        escalated = is_open & (rng.random(m) < 0.05)
        batch = []
        for i in range(m):
            g2 = f"D-{town[i]:02d}"
            g3 = f"{g2}-{cells[i] // 64}"
            g4 = f"{g3}-{cells[i] // 8 % 8}"
            g5 = f"{g4}-{cells[i] % 8}"
            st = str(state[i])
            batch.append({
                "id": f"b{start + i:07d}", "category": CATEGORY_IDS[cat[i]], "state": st,
                "status": "reported", "reported_at": reported[i],
                "closed_at": reported[i] + timedelta(hours=30) if st == "closed" else None,
                "lon": 114.8, "lat": 33.7, "g1": "D", "g2": g2, "g3": g3, "g4": g4, "g5": g5,
                "unit": f"unit-{cat[i]}", "owner": f"user:town-{town[i]}",
                "escalation": int(escalated[i]),
            })  # fmt: skip
        yield batch


def timed(func, repeat: int = 7) -> tuple[float, object]:
    """Return (median milliseconds over ``repeat`` runs, last result)."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = func()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


def naive_counts(store: IncidentStore, within_town: str | None = None) -> dict[str, int]:
    """Every open case read, its deadline computed in Python (what the stored due_at replaces)."""
    t = store.table
    limits = default_limits()
    stmt = sa.select(t.c.category, t.c.state, t.c.reported_at, t.c.escalation, t.c.owner).where(
        t.c.state != "closed"
    )
    if within_town:
        stmt = stmt.where(t.c.g2 == within_town)
    counts = dict.fromkeys(QUEUES, 0)
    with store.engine.connect() as conn:
        for category, state, reported, escalation, owner in conn.execute(stmt):
            d = due(category, state, reported, NOW, limits)
            counts["register"] += state in ("reported", "returned")
            counts["dispatch"] += state in ("registered", "rework")
            counts["verify"] += state == "handled"
            counts["overdue"] += d.overdue
            counts["due_soon"] += (not d.overdue) and d.seconds_left <= DUE_SOON_HOURS * 3600
            counts["escalated"] += escalation > 0
            counts["mine"] += owner == "user:town-3"
    return counts


def bench(store: IncidentStore, label: str, n: int) -> list[tuple[str, float, str]]:
    """Load ``n`` incidents into ``store`` and time each queue and the counts."""
    start = time.perf_counter()
    for batch in records(n):
        store.insert(batch)
    store.analyze()
    load_s = time.perf_counter() - start
    rows: list[tuple[str, float, str]] = []
    town = [(2, "D-03")]
    ms, counts = timed(lambda: store.queue_counts(now=NOW, actor="user:town-3"))
    rows.append(("counts of the 7 queues, whole district", ms, str(counts)))
    ms, counts_town = timed(lambda: store.queue_counts(now=NOW, within=town, actor="user:town-3"))
    rows.append(("counts of the 7 queues, one township's scope", ms, str(counts_town)))
    for name in QUEUES:
        ms, got = timed(lambda name=name: store.queue(name, now=NOW, actor="user:town-3"))
        rows.append((f"queue `{name}`, first 200, whole district", ms, f"{len(got)} rows"))
    ms, got = timed(lambda: store.queue("overdue", now=NOW, within=town))
    rows.append(("queue `overdue`, one township's scope", ms, f"{len(got)} rows"))
    ms, got = timed(lambda: store.queue("dispatch", now=NOW, category="fire", age_hours=2))
    rows.append(("queue `dispatch`, fire, older than 2 h", ms, f"{len(got)} rows"))
    naive_ms, naive = timed(lambda: naive_counts(store), repeat=3)
    rows.append(("naive: every open case read, due() in Python, whole district", naive_ms,
                 str(naive)))  # fmt: skip
    naive_ms, _ = timed(lambda: naive_counts(store, "D-03"), repeat=3)
    rows.append(("naive: the same, one township", naive_ms, ""))
    assert naive == counts, (naive, counts)  # the stored deadlines give the same answer
    print(f"\n### {label}: {n:,} incidents (load and ANALYZE {load_s:,.0f} s)\n")
    print("| step | server ms (median of 7) | answer |")
    print("|---|---:|---|")
    for step, ms, answer in rows:
        print(f"| {step} | {ms:,.1f} | {answer} |")
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=1_000_000)
    parser.add_argument("--no-pg", action="store_true")
    parser.add_argument("--no-sqlite", action="store_true")
    args = parser.parse_args(argv)
    if not args.no_sqlite:
        with tempfile.TemporaryDirectory() as folder:
            store = IncidentStore(f"sqlite:///{folder}/bench.sqlite")
            bench(store, "SQLite", args.incidents)
            store.dispose()
    if args.no_pg:
        return 0
    try:
        store = IncidentStore(PG_URL, table_prefix=f"bench{uuid.uuid4().hex[:6]}_")
    except Exception as exc:  # noqa: BLE001 - PostgreSQL is optional here
        print(f"\nPostgreSQL skipped: {type(exc).__name__}: {exc}"[:200])
        return 0
    try:
        bench(store, "PostgreSQL", args.incidents)
    finally:
        store.drop()
        store.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
