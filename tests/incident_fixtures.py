"""Fixture helpers of the incident tests: a tiny synthetic five-level district, stores, records.

Grids of the tiny district (tests/conftest.py): level 2 splits west/east, level 3 south/north,
level 4 west/east, level 5 south/north. So T1111 is 114.80-114.82 E x 33.70-33.72 N, T1112 is
the box north of it (33.72-33.74), T2222 the north-east corner. Level-5 populations are
100, 200, ... 1600 in id order: T1111 100, T1112 200, T2222 1600, T1 3600, T2 10000.
INCIDENTS (below): in March 2025, a and b in T1111 (100 people), c in T1112 (200 people),
d in T2222; e in T1111 in June.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import geopandas as gpd
import pytest
import sqlalchemy as sa
from shapely.geometry import box

from gridmap.grids.district import Bounds
from gridmap.incidents.assign import GridAssigner
from gridmap.incidents.filters import IncidentFilters
from gridmap.incidents.store import IncidentStore

PG_URL = os.environ.get("GRIDMAP_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
#: The tiny district: 114.80..114.96 E, 33.70..33.78 N, split in two at each level below 1
#: (columns at levels 2 and 4, rows at levels 3 and 5): 2, 4, 8 and 16 grids.
WEST, SOUTH, EAST, NORTH = 114.80, 33.70, 114.96, 33.78
NOW = datetime(2025, 12, 31, 12, 0, tzinfo=UTC)


def tiny_grids() -> gpd.GeoDataFrame:
    """Return a 1/2/4/8/16-grid district in EPSG:4326, indexed by grid_id.

    Ids are ``D-a-b-c-d``: ``a`` and ``c`` are 1 west / 2 east, ``b`` and ``d`` 1 south /
    2 north, so ``D-1-1-1-1`` is the south-west corner grid. Population: 100 per level-5 grid
    times its number (1..16); parents carry the sums.
    """
    rows: list[dict[str, Any]] = []

    def split(gid: str, parent: str | None, level: int, bounds: tuple[float, ...]) -> None:
        rows.append({"grid_id": gid, "parent_id": parent or "", "level": level, "b": bounds})
        if level == 5:
            return
        w, s, e, n = bounds
        if level in (1, 3):  # children side by side (west, east)
            mid = (w + e) / 2
            halves = ((w, s, mid, n), (mid, s, e, n))
        else:  # children one above the other (south, north)
            mid = (s + n) / 2
            halves = ((w, s, e, mid), (w, mid, e, n))
        for k, half in enumerate(halves, start=1):
            split(f"{gid}-{k}", gid, level + 1, half)

    split("D", None, 1, (WEST, SOUTH, EAST, NORTH))
    leaves = [r for r in rows if r["level"] == 5]
    for number, row in enumerate(leaves, start=1):
        row["population"] = 100 * number
    for level in (4, 3, 2, 1):
        for row in (r for r in rows if r["level"] == level):
            row["population"] = sum(
                c["population"] for c in rows if c["parent_id"] == row["grid_id"]
            )
    frame = gpd.GeoDataFrame(
        {
            "grid_id": [r["grid_id"] for r in rows],
            "parent_id": [r["parent_id"] for r in rows],
            "level": [r["level"] for r in rows],
            "population": [r["population"] for r in rows],
            "name_zh": [f"网格{r['grid_id']}" for r in rows],
            "name_en": [f"Grid {r['grid_id']}" for r in rows],
        },
        geometry=[box(*r["b"]) for r in rows],
        crs="EPSG:4326",
    )
    return frame.set_index("grid_id")


def tiny_assigner() -> GridAssigner:
    """Return the assigner of :func:`tiny_grids`."""
    return GridAssigner.from_grids(tiny_grids())


def record(rid: str, **fields: Any) -> dict[str, Any]:
    """Return a valid API record inside the tiny district (fields override the defaults)."""
    base: dict[str, Any] = {
        "id": rid,
        "category": "neighbourhood",
        "reported_at": "2025-03-01T08:30:00+08:00",
        "lon": 114.81,
        "lat": 33.705,
        "reporter": "member-7",
        "description": "邻里噪音纠纷",
    }
    base.update(fields)
    return {k: v for k, v in base.items() if v is not None}


def stored_record(rid: str, g5: str = "D-1-1-1-1", **fields: Any) -> dict[str, Any]:
    """Return a record ready for IncidentStore.insert (grid ids derived from ``g5``)."""
    parts = g5.split("-")
    grids = {f"g{level}": "-".join(parts[:level]) for level in range(1, 6)}
    base: dict[str, Any] = {
        "id": rid,
        "category": "neighbourhood",
        "status": "reported",
        "reported_at": datetime(2025, 3, 1, 8, tzinfo=UTC),
        "lon": 114.81,
        "lat": 33.705,
        **grids,
        "reporter": "member-7",
        "unit": "调解委员会",
    }
    base.update(fields)
    return base


def pg_reachable() -> str | None:
    """Return None when PostgreSQL at :data:`PG_URL` answers, else the reason it does not."""
    engine = sa.create_engine(PG_URL, connect_args={"connect_timeout": 2})
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("select 1"))
    except Exception as exc:  # noqa: BLE001 - any failure means "skip"
        return f"PostgreSQL not reachable at {PG_URL.split('@')[-1]}: {type(exc).__name__}"
    finally:
        engine.dispose()
    return None


def open_store(backend: str, tmp_path, clock=None) -> IncidentStore:
    """Open an empty store on ``sqlite`` (a file under tmp_path) or ``postgresql``.

    On PostgreSQL the tables get a unique prefix; call ``store.drop()`` after the test.
    """
    kwargs = {"clock": clock} if clock else {}
    if backend == "sqlite":
        return IncidentStore(f"sqlite:///{tmp_path / 'incidents.sqlite'}", **kwargs)
    prefix = f"t{uuid.uuid4().hex[:10]}_"
    return IncidentStore(PG_URL, table_prefix=prefix, **kwargs)


def fixed_clock(start: datetime = NOW, step: timedelta = timedelta(0)):
    """Return a fake clock: ``start``, advancing by ``step`` at each call."""
    state = {"t": start}

    def clock() -> datetime:
        value = state["t"]
        state["t"] = value + step
        return value

    return clock


# -- the map's incidents (the tiny district of tests/conftest.py: grid ids T, T1, ... T2222) --

PG_URLS = (
    "postgresql+psycopg://postgres@127.0.0.1:5432/test",
    "postgresql+psycopg://root@127.0.0.1:5432/test",
)
TINY = Bounds(114.80, 33.70, 114.88, 33.78)
MARCH = IncidentFilters(start="2025-03-01", end="2025-03-31")


def incident(rid: str, g5: str, lon: float, lat: float, **fields) -> dict:
    """Return a store record in level-5 grid ``g5`` of the tiny district."""
    row = {
        "id": rid,
        "category": "neighbourhood",
        "status": "reported",
        "reported_at": datetime(2025, 3, 10, 2, tzinfo=UTC),
        "lon": lon,
        "lat": lat,
        **{f"g{level}": g5[:level] for level in range(1, 6)},
    }
    row.update(fields)
    return row


#: Five incidents: four in March (three in T1111/T1112, one in T2222), one in June.
INCIDENTS = [
    incident("a", "T1111", 114.8025, 33.7025, reported_at=datetime(2025, 3, 10, tzinfo=UTC)),
    incident(
        "b",
        "T1111",
        114.8075,
        33.7075,
        category="security",
        status="resolved",
        reported_at=datetime(2025, 3, 11, tzinfo=UTC),
    ),
    incident(
        "c",
        "T1112",
        114.8125,
        33.7325,
        category="fire",
        status="dispatched",
        reported_at=datetime(2025, 3, 12, tzinfo=UTC),
    ),
    incident(
        "d",
        "T2222",
        114.8725,
        33.7725,
        status="closed",
        reported_at=datetime(2025, 3, 13, tzinfo=UTC),
    ),
    incident("e", "T1111", 114.8025, 33.7025, reported_at=datetime(2025, 6, 1, tzinfo=UTC)),
]


# -- stores ---------------------------------------------------------------------------------
PG_FOUND: dict[str, str | None] = {}


def pg_url() -> str:
    """Return a PostgreSQL URL that answers, or skip naming why none did."""
    if "url" not in PG_FOUND:
        reasons = []
        PG_FOUND["url"] = None
        for url in PG_URLS:
            engine = sa.create_engine(url, connect_args={"connect_timeout": 2})
            try:
                with engine.connect() as conn:
                    conn.execute(sa.text("select 1"))
                PG_FOUND["url"] = url
                break
            except Exception as exc:  # noqa: BLE001 - any failure means "try the next"
                reasons.append(f"{url.split('//')[1]}: {type(exc).__name__}")
            finally:
                engine.dispose()
        PG_FOUND["reason"] = "; ".join(reasons)
    if PG_FOUND["url"] is None:
        reason = f"PostgreSQL not reachable ({PG_FOUND['reason']})"
        print(reason)
        pytest.skip(reason)
    return PG_FOUND["url"]


def open_map_store(backend: str, tmp_path) -> IncidentStore:
    """Open an empty store on ``sqlite`` (a file under tmp_path) or ``postgresql`` (or skip)."""
    if backend == "sqlite":
        return IncidentStore(f"sqlite:///{tmp_path / 'incidents.sqlite'}")
    return IncidentStore(pg_url(), table_prefix=f"t{uuid.uuid4().hex[:12]}_")


def close_map_store(store: IncidentStore, backend: str) -> None:
    """Drop the tables of a PostgreSQL store of :func:`open_map_store`; close the store."""
    if backend == "postgresql":
        store.drop()
    store.dispose()


@contextmanager
def pg_schema_url() -> Iterator[str]:
    """Yield a database URL of PostgreSQL at :data:`PG_URL` in a fresh schema (dropped after).

    A whole app (accounts, audit, incidents, scenarios, its migrations) then has tables of its
    own. The caller skips first when :func:`pg_reachable` gives a reason.
    """
    schema = f"app_{uuid.uuid4().hex[:10]}"
    engine = sa.create_engine(PG_URL)
    with engine.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{PG_URL}?options=-csearch_path%3D{schema}"
    finally:
        with engine.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()
