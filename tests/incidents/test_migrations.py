"""The incident tables' migrations: today's schema upgrades in place with its rows, on both DBs."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from gridmap.access.roles import Principal
from gridmap.coverage import migrate
from gridmap.errors import SchemaError
from gridmap.incidents.store import IncidentStore
from gridmap.incidents.tables import UTCDateTime
from tests.fake_clock import FakeClock
from tests.incident_fixtures import PG_URL, pg_reachable

T0 = datetime(2025, 3, 1, 8, tzinfo=UTC)
NOW = T0 + timedelta(days=3)


def legacy_tables(metadata: sa.MetaData, prefix: str) -> tuple[sa.Table, sa.Table]:
    """Define the incident tables exactly as the store made them before migrations."""
    name = f"{prefix}incidents"
    levels = (1, 2, 3, 4, 5)
    incidents = sa.Table(
        name,
        metadata,
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("category", sa.String(32), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("reported_at", UTCDateTime(), nullable=False),
        sa.Column("dispatched_at", UTCDateTime()),
        sa.Column("resolved_at", UTCDateTime()),
        sa.Column("closed_at", UTCDateTime()),
        sa.Column("lon", sa.Float, nullable=False),
        sa.Column("lat", sa.Float, nullable=False),
        *[sa.Column(f"g{k}", sa.String(64), nullable=False) for k in levels],
        sa.Column("reporter", sa.String(64)),
        sa.Column("description", sa.String(2000)),
        sa.Column("unit", sa.String(100)),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        *[
            sa.Index(
                f"ix_{name}_g{k}",
                f"g{k}",
                "reported_at",
                "category",
                "status",
                *[f"g{j}" for j in levels if j > k],
            )
            for k in levels
        ],  # fmt: skip
        sa.Index(f"ix_{name}_reported_at", "reported_at"),
        sa.Index(f"ix_{name}_status", "status"),
    )
    version = sa.Table(
        f"{prefix}incident_version",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("version", sa.BigInteger, nullable=False),
    )
    return incidents, version


def legacy_rows():
    base = {"dispatched_at": None, "resolved_at": None, "closed_at": None, "unit": None,
            "description": None, "lon": 114.81, "lat": 33.705, "g1": "D", "g2": "D-1",
            "g3": "D-1-1", "g4": "D-1-1-1", "g5": "D-1-1-1-1", "updated_at": T0,
            "reporter": "m-1"}  # fmt: skip
    hour = timedelta(hours=1)
    return [
        {**base, "id": "r", "category": "fire", "status": "reported", "reported_at": T0},
        {**base, "id": "d", "category": "neighbourhood", "status": "dispatched",
         "reported_at": T0, "dispatched_at": T0 + hour, "unit": "调解委员会"},
        {**base, "id": "s", "category": "land", "status": "resolved", "reported_at": T0,
         "dispatched_at": T0 + hour, "resolved_at": T0 + 5 * hour},
        {**base, "id": "c", "category": "petition", "status": "closed", "reported_at": T0,
         "dispatched_at": T0 + hour, "resolved_at": T0 + 5 * hour, "closed_at": T0 + 9 * hour},
    ]  # fmt: skip


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def engine_prefix(request, tmp_path):
    """Yield (engine, prefix) of an empty database (a unique prefix on the shared PostgreSQL)."""
    if request.param == "sqlite":
        engine = sa.create_engine(f"sqlite:///{tmp_path / 'old.sqlite'}")
        yield engine, ""
        engine.dispose()
        return
    reason = pg_reachable()
    if reason:
        pytest.skip(reason)
    engine = sa.create_engine(PG_URL)
    prefix = f"m{uuid.uuid4().hex[:10]}_"
    yield engine, prefix
    with engine.begin() as conn:
        names = sa.inspect(conn).get_table_names()
        for name in names:
            if name.startswith(prefix):
                conn.execute(sa.text(f'DROP TABLE IF EXISTS "{name}" CASCADE'))
    engine.dispose()


def make_legacy(engine, prefix):
    metadata = sa.MetaData()
    incidents, version = legacy_tables(metadata, prefix)
    metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(sa.insert(incidents), legacy_rows())
        conn.execute(sa.insert(version), {"id": 1, "version": 7})


def test_todays_database_upgrades_in_place_with_its_rows(engine_prefix):
    engine, prefix = engine_prefix
    make_legacy(engine, prefix)
    assert migrate.current(engine, prefix, lineage="incidents") is None
    store = IncidentStore(engine=engine, table_prefix=prefix, clock=FakeClock(NOW))
    assert migrate.current(engine, prefix, lineage="incidents") == migrate.head("incidents")
    rows = {r["id"]: store.get(r["id"]) for r in store.query()}
    assert set(rows) == {"r", "d", "s", "c"}
    assert {k: r["state"] for k, r in rows.items()} == {
        "r": "reported", "d": "dispatched", "s": "handled", "c": "closed",
    }  # fmt: skip
    assert {k: r["status"] for k, r in rows.items()} == {
        "r": "reported", "d": "dispatched", "s": "resolved", "c": "closed",
    }  # fmt: skip
    full = rows
    assert full["r"]["registered_at"] is None
    assert full["d"]["registered_at"] == T0 + timedelta(hours=1)
    assert full["s"]["handled_at"] == T0 + timedelta(hours=5)
    assert full["d"]["unit"] == "调解委员会" and full["c"]["reporter"] == "m-1"
    # Stored deadlines (defaults): fire registers within 1 h; a dispute closes within 7 days.
    assert full["r"]["due_at"] == T0 + timedelta(hours=1)
    assert full["d"]["due_at"] == T0 + timedelta(days=7)
    assert full["c"]["due_at"] is None
    assert full["c"]["close_due_at"] == T0 + timedelta(days=60)
    assert store.version() > 7  # kept, and bumped by the deadline refresh
    counts = store.queue_counts(now=NOW)
    assert counts["register"] == 1 and counts["overdue"] == 1
    chief = Principal("chief", "user", role="commander")
    assert store.act("r", "register", chief)["state"] == "registered"
    assert [e["action"] for e in store.timeline("r")] == ["register"]
    # Opening again changes nothing.
    again = IncidentStore(engine=engine, table_prefix=prefix)
    assert again.get("r")["state"] == "registered"


def test_migrated_and_fresh_schemas_are_the_same(engine_prefix, tmp_path):
    engine, prefix = engine_prefix
    make_legacy(engine, prefix)
    IncidentStore(engine=engine, table_prefix=prefix)
    fresh_prefix = f"{prefix}f_"
    IncidentStore(engine=engine, table_prefix=fresh_prefix)
    inspector = sa.inspect(engine)

    def shape(p):
        out = {}
        for table in ("incidents", "incident_version", "incident_events", "incident_meta"):
            name = f"{p}{table}"
            columns = {c["name"]: (str(c["type"]).split("(")[0], c["nullable"])
                       for c in inspector.get_columns(name)}  # fmt: skip
            indexes = {i["name"].replace(name, "T"): tuple(i["column_names"])
                       for i in inspector.get_indexes(name)}  # fmt: skip
            out[table] = (columns, indexes)
        return out

    assert shape(prefix) == shape(fresh_prefix)


def test_a_database_newer_than_the_code_is_refused(engine_prefix):
    engine, prefix = engine_prefix
    IncidentStore(engine=engine, table_prefix=prefix)
    with engine.begin() as conn:
        conn.execute(sa.text(f'UPDATE "{prefix}incident_alembic_version" SET version_num = '
                             "'i9999'"))  # fmt: skip
    with pytest.raises(SchemaError, match="'i9999', newer than this code"):
        IncidentStore(engine=engine, table_prefix=prefix)


def test_downgrade_to_the_baseline_keeps_the_rows(engine_prefix):
    engine, prefix = engine_prefix
    make_legacy(engine, prefix)
    IncidentStore(engine=engine, table_prefix=prefix)
    migrate.downgrade(engine, prefix, "i0001", lineage="incidents")
    with engine.connect() as conn:
        statuses = dict(conn.execute(sa.text(f'SELECT id, status FROM "{prefix}incidents"')).all())
    assert statuses == {"r": "reported", "d": "dispatched", "s": "resolved", "c": "closed"}
    store = IncidentStore(engine=engine, table_prefix=prefix)
    assert store.get("s")["state"] == "handled"


def test_other_limits_recompute_the_stored_deadlines(engine_prefix):
    from gridmap.incidents.deadlines import load_limits

    engine, prefix = engine_prefix
    make_legacy(engine, prefix)
    IncidentStore(engine=engine, table_prefix=prefix)
    store = IncidentStore(
        engine=engine, table_prefix=prefix, limits=load_limits({"fire": {"register": 0.25}})
    )
    assert store.get("r")["due_at"] == T0 + timedelta(minutes=15)
    assert store.refresh_deadlines() is False  # the same limits: nothing to do
