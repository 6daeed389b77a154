"""Saved planner scenarios on SQLite (a temporary file) and on PostgreSQL (when reachable)."""

from __future__ import annotations

import os
import uuid
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from gridmap.coverage.scenario import Scenario, ScenarioError, parse_query
from gridmap.coverage.scenario_store import MAX_NAME, ScenarioStore, ScenarioStoreError
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
        s.metadata.drop_all(engine)
        engine.dispose()


def test_empty_store(store):
    assert store.names() == []
    assert issubclass(ScenarioStoreError, GridmapError)


def test_save_and_load(store):
    query = Scenario(minutes=7, added=((114.83, 33.75),), disabled=("P2",)).to_query()
    assert store.save("North option", query) == "North option"
    assert store.load("North option") == query
    assert store.names() == ["North option"]


def test_save_cleans_the_query(store):
    store.save("  padded  ", "off=P3,P1&speed=1&minutes=6&add=114.8,33.7")
    assert store.names() == ["padded"]
    assert store.load("padded") == "?minutes=6&add=114.80000,33.70000&off=P1,P3"
    store.save("empty", "")
    assert store.load("empty") == "?minutes=5"


def test_save_replaces_a_name(store):
    store.save("plan", "?minutes=5")
    store.save("plan", "?minutes=9&off=P1")
    assert store.load("plan") == "?minutes=9&off=P1"
    assert store.names() == ["plan"]


def test_names_newest_first(store):
    store.clock = clock = FakeClock(datetime(2025, 3, 1, 8, tzinfo=UTC))
    store.save("b", "?minutes=3")
    store.save("a", "?minutes=4")
    assert store.names() == ["a", "b"]  # saved in the same second: by name
    clock.advance(seconds=1)
    store.save("c", "?minutes=6")
    assert store.names() == ["c", "a", "b"]
    clock.advance(minutes=1)
    store.save("b", "?minutes=7")  # re-saving makes it the newest
    assert store.names() == ["b", "c", "a"]


def test_names_and_queries_keep_unicode(store):
    store.save("东区方案", "?minutes=5&off=一号")
    assert store.names() == ["东区方案"]
    query = store.load("东区方案")
    assert query == "?minutes=5&off=%E4%B8%80%E5%8F%B7"  # percent-encoded, as in a URL
    assert parse_query(query).disabled == ("一号",)


@pytest.mark.parametrize("name", ["", "   ", None])
def test_save_needs_a_name(store, name):
    with pytest.raises(ScenarioStoreError, match="a scenario needs a name"):
        store.save(name, "?minutes=5")
    assert store.names() == []


def test_save_refuses_a_long_name(store):
    store.save("x" * MAX_NAME, "?minutes=5")  # exactly the limit is fine
    with pytest.raises(ScenarioStoreError, match=f"longer than {MAX_NAME} characters"):
        store.save("x" * (MAX_NAME + 1), "?minutes=5")
    assert store.names() == ["x" * MAX_NAME]


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
        store.save("bad", query)
    assert store.names() == []


def test_load_unknown_name(store):
    store.save("known", "?minutes=5")
    with pytest.raises(ScenarioStoreError, match="no saved scenario called 'unknown'"):
        store.load("unknown")


def test_second_store_on_the_same_table_sees_the_rows(store):
    store.save("shared", "?minutes=8")
    prefix = store.table.name[: -len("scenarios")]
    other = ScenarioStore(store.engine, table_prefix=prefix)  # create_all is a no-op now
    assert other.load("shared") == "?minutes=8"
