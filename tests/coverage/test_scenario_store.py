"""Saved planner scenarios on SQLite (a temporary file) and on PostgreSQL (when reachable)."""

from __future__ import annotations

import os
import uuid
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from gridmap.coverage import migrate
from gridmap.coverage.scenario import Scenario, ScenarioError, parse_query
from gridmap.coverage.scenario_store import MAX_NAME, NOBODY, ScenarioStore, ScenarioStoreError
from gridmap.errors import GridmapError
from tests.fake_clock import FakeClock

PG_URLS = (
    [os.environ["GRIDMAP_TEST_PG_URL"]]
    if os.environ.get("GRIDMAP_TEST_PG_URL")
    else [
        "postgresql+psycopg://postgres@127.0.0.1:5432/test",
        "postgresql+psycopg://root@127.0.0.1:5432/test",
    ]
)


def _pg_engine() -> sa.Engine:
    """Return an engine on the first PostgreSQL user that answers; skip if none does."""
    reasons = []
    for url in PG_URLS:
        engine = sa.create_engine(url, connect_args={"connect_timeout": 2})
        try:
            with engine.connect() as conn:
                conn.execute(sa.text("select 1"))
        except Exception as exc:  # noqa: BLE001 - any failure means "try the next, then skip"
            engine.dispose()
            reasons.append(f"{url.split('://')[-1]}: {type(exc).__name__}")
            continue
        return engine
    pytest.skip(f"PostgreSQL not reachable ({'; '.join(reasons)})")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store(request, tmp_path):
    if request.param == "sqlite":
        engine = sa.create_engine(f"sqlite:///{tmp_path / 'scenarios.sqlite'}")
        yield ScenarioStore(engine)
        engine.dispose()
        return
    engine = _pg_engine()
    s = ScenarioStore(engine, table_prefix=f"t{uuid.uuid4().hex[:10]}_")
    try:
        yield s
    finally:
        s.drop()
        engine.dispose()


def test_empty_store(store):
    assert store.names("ann") == []
    assert issubclass(ScenarioStoreError, GridmapError)


def test_save_and_load(store):
    query = Scenario(minutes=7, added=((114.83, 33.75),), disabled=("P2",)).to_query()
    assert store.save("North option", query, "ann") == "North option"
    assert store.load("North option", "ann") == query
    assert store.names("ann") == ["North option"]


def test_save_cleans_the_query(store):
    store.save("  padded  ", "off=P3,P1&speed=1&minutes=6&add=114.8,33.7", "ann")
    assert store.names("ann") == ["padded"]
    assert store.load("padded", "ann") == "?minutes=6&add=114.80000,33.70000&off=P1,P3"
    store.save("empty", "", "ann")
    assert store.load("empty", "ann") == "?minutes=5"


def test_save_replaces_a_name(store):
    store.save("plan", "?minutes=5", "ann")
    store.save("plan", "?minutes=9&off=P1", "ann")
    assert store.load("plan", "ann") == "?minutes=9&off=P1"
    assert store.names("ann") == ["plan"]


def test_names_newest_first(store):
    store.clock = clock = FakeClock(datetime(2025, 3, 1, 8, tzinfo=UTC))
    store.save("b", "?minutes=3", "ann")
    store.save("a", "?minutes=4", "ann")
    assert store.names("ann") == ["a", "b"]  # saved in the same second: by name
    clock.advance(seconds=1)
    store.save("c", "?minutes=6", "ann")
    assert store.names("ann") == ["c", "a", "b"]
    clock.advance(minutes=1)
    store.save("b", "?minutes=7", "ann")  # re-saving makes it the newest
    assert store.names("ann") == ["b", "c", "a"]


def test_names_and_queries_keep_unicode(store):
    store.save("东区方案", "?minutes=5&off=一号", "ann")
    assert store.names("ann") == ["东区方案"]
    query = store.load("东区方案", "ann")
    assert query == "?minutes=5&off=%E4%B8%80%E5%8F%B7"  # percent-encoded, as in a URL
    assert parse_query(query).disabled == ("一号",)


@pytest.mark.parametrize("name", ["", "   ", None])
def test_save_needs_a_name(store, name):
    with pytest.raises(ScenarioStoreError, match="a scenario needs a name"):
        store.save(name, "?minutes=5", "ann")
    assert store.names("ann") == []


def test_save_refuses_a_long_name(store):
    store.save("x" * MAX_NAME, "?minutes=5", "ann")  # exactly the limit is fine
    with pytest.raises(ScenarioStoreError, match=f"longer than {MAX_NAME} characters"):
        store.save("x" * (MAX_NAME + 1), "?minutes=5", "ann")
    assert store.names("ann") == ["x" * MAX_NAME]


@pytest.mark.parametrize(
    ("query", "match"),
    [
        ("?minutes=99", "minutes must be 1-15"),
        ("?speed=x", "speed must be a number"),
        ("?add=1;2", r"add: new post 1 must be 'lon,lat'"),
    ],
)
def test_save_refuses_a_bad_scenario(store, query, match):
    with pytest.raises(ScenarioError, match=match):
        store.save("bad", query, "ann")
    assert store.names("ann") == []


def test_load_unknown_name(store):
    store.save("known", "?minutes=5", "ann")
    with pytest.raises(ScenarioStoreError, match="no saved scenario called 'unknown'"):
        store.load("unknown", "ann")


def test_second_store_on_the_same_table_sees_the_rows(store):
    store.save("shared", "?minutes=8", "ann")
    prefix = store.table.name[: -len("scenarios")]
    other = ScenarioStore(store.engine, table_prefix=prefix)  # the migrations find nothing to do
    assert other.load("shared", "ann") == "?minutes=8"


# --- owners -----------------------------------------------------------------------------------


def test_each_owner_sees_only_their_own(store):
    store.save("ann's", "?minutes=6", "ann")
    store.save("bob's", "?minutes=7", "bob")
    assert store.names("ann") == ["ann's"]
    assert store.names("bob") == ["bob's"]
    assert store.load("ann's", "ann") == "?minutes=6"
    # Someone else's scenario is "not there" (its name is not confirmed by loading).
    with pytest.raises(ScenarioStoreError, match='no saved scenario called "ann\'s"'):
        store.load("ann's", "bob")


def test_an_administrator_sees_every_scenario_with_its_owner(store):
    store.clock = clock = FakeClock(datetime(2025, 3, 1, 8, tzinfo=UTC))
    store.save("first", "?minutes=6", "ann")
    clock.advance(seconds=1)
    store.save("second", "?minutes=7", "bob")
    assert store.entries(None) == [
        {"name": "second", "owner": "bob", "saved_at": "2025-03-01T08:00:01+00:00"},
        {"name": "first", "owner": "ann", "saved_at": "2025-03-01T08:00:00+00:00"},
    ]
    assert store.load("first", None) == "?minutes=6"


def test_saving_over_someone_elses_name_is_refused(store):
    store.save("plan", "?minutes=6", "ann")
    with pytest.raises(ScenarioStoreError, match="'plan' belongs to another person") as info:
        store.save("plan", "?minutes=9", "bob")
    assert info.value.field == "owner"
    assert store.load("plan", "ann") == "?minutes=6"  # untouched
    assert store.names("bob") == []


def test_save_needs_an_owner(store):
    with pytest.raises(ScenarioStoreError, match="a scenario needs an owner"):
        store.save("plan", "?minutes=6", "")
    assert store.names(None) == []


# --- migrations: a database of the schema before owners keeps its rows ----------------------


def _old_schema(engine: sa.Engine, prefix: str) -> None:
    """Make the scenarios table as the app made it before migrations, with two rows."""
    old = sa.Table(
        f"{prefix}scenarios",
        sa.MetaData(),
        sa.Column("name", sa.String(80), primary_key=True),
        sa.Column("query", sa.Text, nullable=False),
        sa.Column("saved_at", sa.String(32), nullable=False),
    )
    with engine.begin() as conn:
        old.create(conn)
        conn.execute(
            sa.insert(old),
            [
                {"name": "old east", "query": "?minutes=6", "saved_at": "2024-01-02T03:04:05"},
                {"name": "old west", "query": "?minutes=8", "saved_at": "2024-01-01T03:04:05"},
            ],
        )


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def old_database(request, tmp_path):
    """Yield (engine, prefix) of a database whose scenarios table has the old schema."""
    if request.param == "sqlite":
        engine = sa.create_engine(f"sqlite:///{tmp_path / 'old.sqlite'}")
        prefix = ""
    else:
        engine = _pg_engine()
        prefix = f"t{uuid.uuid4().hex[:10]}_"
    _old_schema(engine, prefix)
    try:
        yield engine, prefix
    finally:
        with engine.begin() as conn:
            for name in ("scenarios", "alembic_version"):
                conn.execute(sa.text(f'drop table if exists "{prefix}{name}"'))
        engine.dispose()


def test_an_old_database_is_upgraded_and_keeps_its_rows(old_database):
    engine, prefix = old_database
    assert migrate.current(engine, prefix) is None
    store = ScenarioStore(engine, table_prefix=prefix)
    assert migrate.current(engine, prefix) == migrate.head() == "0002"
    columns = {c["name"] for c in sa.inspect(engine).get_columns(f"{prefix}scenarios")}
    assert columns == {"name", "query", "saved_at", "owner"}
    # The old rows are nobody's: an administrator sees them, a person does not.
    assert store.entries(None) == [
        {"name": "old east", "owner": NOBODY, "saved_at": "2024-01-02T03:04:05"},
        {"name": "old west", "owner": NOBODY, "saved_at": "2024-01-01T03:04:05"},
    ]
    assert store.names("ann") == []
    assert store.load("old west", None) == "?minutes=8"
    with pytest.raises(ScenarioStoreError, match="belongs to another person"):
        store.save("old east", "?minutes=5", "ann")
    # Opening again runs nothing and loses nothing.
    store.save("new", "?minutes=5", "ann")
    again = ScenarioStore(engine, table_prefix=prefix)
    assert again.names(None) == ["new", "old east", "old west"]


def test_prefixes_keep_their_own_versions(old_database):
    engine, prefix = old_database
    other = f"{prefix}other_"
    try:
        ScenarioStore(engine, table_prefix=other).save("x", "?minutes=5", "ann")
        assert migrate.current(engine, other) == "0002"
        assert migrate.current(engine, prefix) is None  # the old tables are not touched
        assert ScenarioStore(engine, table_prefix=prefix).names(None) == ["old east", "old west"]
    finally:
        ScenarioStore(engine, table_prefix=other).drop()


def test_downgrade_to_the_baseline_drops_only_the_owner(old_database):
    engine, prefix = old_database
    ScenarioStore(engine, table_prefix=prefix)
    migrate.downgrade(engine, prefix, "0001")
    columns = {c["name"] for c in sa.inspect(engine).get_columns(f"{prefix}scenarios")}
    assert columns == {"name", "query", "saved_at"}
    assert migrate.current(engine, prefix) == "0001"
    ScenarioStore(engine, table_prefix=prefix)  # and up again
    assert migrate.current(engine, prefix) == "0002"
