import threading
from datetime import UTC, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from gridmap.errors import ConfigError
from gridmap.incidents.categories import CATEGORY_IDS
from gridmap.incidents.store import (
    IllegalTransition,
    IncidentNotFound,
    IncidentStore,
    StoreError,
)
from gridmap.settings import load_settings
from tests.incident_fixtures import fixed_clock, open_store, pg_reachable, stored_record

T0 = datetime(2025, 3, 1, 8, tzinfo=UTC)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store(request, tmp_path):
    if request.param == "postgresql":
        reason = pg_reachable()
        if reason:
            pytest.skip(reason)
    s = open_store(request.param, tmp_path, clock=fixed_clock(T0 + timedelta(days=30)))
    yield s
    if request.param == "postgresql":
        s.drop()
    s.dispose()


def sample():
    """Eight incidents over four level-5 grids and two weeks."""
    grids = ["D-1-1-1-1", "D-1-1-1-2", "D-1-2-1-1", "D-2-1-1-1"]
    cats = ["neighbourhood", "land", "fire", "land"]
    return [
        stored_record(f"r{i}", grids[i % 4], category=cats[i % 4],
                      reported_at=T0 + timedelta(days=2 * i))
        for i in range(8)
    ]  # fmt: skip


def test_insert_is_idempotent_by_id(store):
    first = store.insert(sample())
    assert first.stored == tuple(f"r{i}" for i in range(8)) and first.duplicates == ()
    again = store.insert(sample()[:3] + [stored_record("new")])
    assert again.stored == ("new",)
    assert again.duplicates == ("r0", "r1", "r2")
    assert store.count() == 9


def test_repeats_within_a_batch_are_duplicates(store):
    result = store.insert([stored_record("x"), stored_record("x"), stored_record("y")])
    assert result.stored == ("x", "y") and result.duplicates == ("x",)


def test_version_changes_only_when_data_changes(store):
    v0 = store.version()
    store.insert(sample())
    v1 = store.version()
    assert v1 > v0
    store.insert(sample())  # all duplicates
    assert store.version() == v1
    store.update_status("r0", "dispatched", at=T0 + timedelta(hours=1))
    assert store.version() > v1


def test_batch_insert_of_many_rows(store):
    rows = [stored_record(f"b{i:05d}", reported_at=T0 + timedelta(minutes=i)) for i in range(5000)]
    assert len(store.insert(rows).stored) == 5000
    assert store.count() == 5000


def test_times_come_back_as_aware_utc(store):
    cst = timezone(timedelta(hours=8))
    store.insert([stored_record("tz", reported_at=datetime(2025, 3, 1, 16, tzinfo=cst))])
    row = store.get("tz")
    assert row["reported_at"] == datetime(2025, 3, 1, 8, tzinfo=UTC)
    assert row["reported_at"].utcoffset() == timedelta(0)
    assert row["updated_at"] == T0 + timedelta(days=30)


def test_missing_field_and_naive_time_are_refused(store):
    bad = stored_record("m")
    del bad["g3"]
    with pytest.raises(StoreError, match=r"record 0 \('m'\) lacks \['g3'\]"):
        store.insert([bad])
    with pytest.raises(StoreError, match=r"record 0 \(.n.\): reported_at must be a timezone-aware"):
        store.insert([stored_record("n", reported_at=datetime(2025, 3, 1))])
    assert store.count() == 0


def test_workflow_sets_times(store):
    store.insert([stored_record("w")])
    row = store.update_status("w", "dispatched", at=T0 + timedelta(hours=1), unit="派出所")
    assert row["status"] == "dispatched" and row["dispatched_at"] == T0 + timedelta(hours=1)
    assert row["unit"] == "派出所"
    row = store.update_status("w", "resolved", at=T0 + timedelta(hours=5))
    assert row["resolved_at"] == T0 + timedelta(hours=5)
    row = store.update_status("w", "closed", at=T0 + timedelta(days=1))
    assert row["closed_at"] == T0 + timedelta(days=1)
    with pytest.raises(IllegalTransition, match="cannot go from 'closed' to 'dispatched'"):
        store.update_status("w", "dispatched")
    with pytest.raises(IllegalTransition, match="none \\(final\\)"):
        store.update_status("w", "reported")


def test_same_status_again_changes_nothing(store):
    store.insert([stored_record("s")])
    store.update_status("s", "dispatched", at=T0 + timedelta(hours=1))
    version = store.version()
    row = store.update_status("s", "dispatched", at=T0 + timedelta(hours=3))
    assert row["dispatched_at"] == T0 + timedelta(hours=1)
    assert store.version() == version


def test_resolve_on_the_spot_and_reopen(store):
    store.insert([stored_record("o")])
    row = store.update_status("o", "resolved", at=T0 + timedelta(hours=2))
    assert row["dispatched_at"] is None and row["resolved_at"] == T0 + timedelta(hours=2)
    row = store.update_status("o", "dispatched", at=T0 + timedelta(hours=3))
    assert row["resolved_at"] is None and row["dispatched_at"] == T0 + timedelta(hours=3)


def test_bad_updates(store):
    store.insert([stored_record("u")])
    with pytest.raises(IncidentNotFound, match="no incident with id 'nope'"):
        store.update_status("nope", "dispatched")
    with pytest.raises(IllegalTransition, match="cannot go from 'reported' to 'closed'"):
        store.update_status("u", "closed")
    with pytest.raises(StoreError, match="unknown status 'done'"):
        store.update_status("u", "done")
    with pytest.raises(StoreError, match="is before reported_at"):
        store.update_status("u", "dispatched", at=T0 - timedelta(hours=1))


@pytest.mark.parametrize(
    ("grid", "level", "expected"),
    [
        ("D", 1, 8),
        ("D-1", 2, 6),
        ("D-1-1", 3, 4),
        ("D-1-1-1", 4, 4),
        ("D-1-1-1-2", 5, 2),
        ("D-9", None, 0),
    ],
)
def test_filter_by_grid_at_any_level(store, grid, level, expected):
    store.insert(sample())
    assert store.count(grid=grid) == expected
    assert len(store.query(grid=grid, grid_level=level)) == expected


def test_filter_by_time_category_status(store):
    store.insert(sample())  # reported T0, T0+2d, ..., T0+14d
    store.update_status("r1", "dispatched", at=T0 + timedelta(days=3))
    ids = [r["id"] for r in store.query(start=T0 + timedelta(days=2), end=T0 + timedelta(days=6))]
    assert ids == ["r2", "r1"]  # newest first; end excluded
    assert {r["id"] for r in store.query(categories=["land"])} == {"r1", "r3", "r5", "r7"}
    assert [r["id"] for r in store.query(statuses=["dispatched"])] == ["r1"]
    assert store.query(categories=[]) == []
    page = store.query(limit=3, offset=2, columns=["id"])
    assert page == [{"id": "r5"}, {"id": "r4"}, {"id": "r3"}]
    with pytest.raises(StoreError, match=r"unknown categories \['bogus'\]"):
        store.query(categories=["bogus"])
    with pytest.raises(StoreError, match="'start' must be a timezone-aware datetime"):
        store.query(start=datetime(2025, 1, 1))


def test_counts_by_grid(store):
    store.insert(sample())
    store.update_status("r0", "resolved", at=T0 + timedelta(hours=1))
    counts = store.counts_by_grid(5)
    assert counts.to_dict() == {"D-1-1-1-1": 2, "D-1-1-1-2": 2, "D-1-2-1-1": 2, "D-2-1-1-1": 2}
    assert store.counts_by_grid(2).to_dict() == {"D-1": 6, "D-2": 2}
    assert store.counts_by_grid(3, grid="D-1", categories=["land"]).to_dict() == {"D-1-1": 2}
    by_status = store.counts_by_grid(4, by="status")
    assert by_status.loc["D-1-1-1", "resolved"] == 1 and by_status.loc["D-1-1-1", "reported"] == 3
    assert list(by_status.columns) == ["reported", "dispatched", "resolved", "closed"]
    by_category = store.counts_by_grid(2, by="category", statuses=["reported"])
    assert list(by_category.columns) == list(CATEGORY_IDS)
    assert by_category.loc["D-1"].to_dict() == {
        **dict.fromkeys(CATEGORY_IDS, 0),
        "neighbourhood": 1,
        "land": 2,
        "fire": 2,
    }
    assert store.counts_by_grid(5, grid="nowhere").empty
    assert store.counts_by_grid(5, by="status", grid="nowhere").empty
    with pytest.raises(StoreError, match="level must be 1-5, got 6"):
        store.counts_by_grid(6)
    with pytest.raises(StoreError, match="'by' must be None, 'status' or 'category'"):
        store.counts_by_grid(5, by="reporter")


def test_store_from_app_settings(tmp_path):
    settings = load_settings({"database_file": str(tmp_path / "x.sqlite")}, environ={})
    store = IncidentStore.from_settings(settings)
    assert str(store.engine.url) == f"sqlite:///{tmp_path / 'x.sqlite'}"
    assert (tmp_path / "x.sqlite").exists()
    store.dispose()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("not a url", "GRIDMAP_DATABASE_URL is not an SQLAlchemy URL: 'not a url'"),
        ("mysql://u@h/db", "must be sqlite or postgresql, got 'mysql'"),
    ],
)
def test_unusable_database_url(url, message):
    with pytest.raises(ConfigError, match=message):
        IncidentStore(url)


def test_sqlite_file_is_created_in_wal_mode(tmp_path):
    path = tmp_path / "deep" / "folder" / "g.sqlite"
    store = IncidentStore(f"sqlite:///{path}")
    assert path.exists()
    with store.engine.connect() as conn:
        assert conn.execute(sa.text("PRAGMA journal_mode")).scalar() == "wal"
    store.dispose()


def test_bad_table_prefix(tmp_path):
    with pytest.raises(StoreError, match="table_prefix must be"):
        IncidentStore(f"sqlite:///{tmp_path / 'p.sqlite'}", table_prefix="x; drop")


def test_points(store):
    store.insert(sample())
    pts = store.points(categories=["land"])
    assert pts.shape == (4, 2) and pts[0].tolist() == [114.81, 33.705]
    assert store.points(grid="nowhere").shape == (0, 2)


def test_concurrent_writers_store_each_id_once(store):
    records = [stored_record(f"c{i:03d}") for i in range(300)]
    results = []

    def writer(offset):
        for start in range(0, 300, 50):
            chunk = records[(start + offset) % 300 :][:50] or records[:50]
            results.append(store.insert(chunk))

    threads = [threading.Thread(target=writer, args=(k * 50,)) for k in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stored = [rid for r in results for rid in r.stored]
    assert sorted(stored) == sorted(r["id"] for r in records)  # each id stored exactly once
    assert store.count() == 300


def test_within_limits_to_the_readers_subtrees(empty_store):
    from tests.incident_fixtures import INCIDENTS

    store = empty_store
    store.insert(INCIDENTS)
    everything = {r["id"] for r in store.query()}
    t1 = {r["id"] for r in store.query(within=[(2, "T1")])}
    t2 = {r["id"] for r in store.query(within=[(2, "T2")])}
    assert t1 and t2 and t1 | t2 == everything and not t1 & t2
    assert {r["id"] for r in store.query(within=[(5, "T1111"), (2, "T2")])} <= everything
    assert store.query(within=[]) == []
    assert store.count(within=[(2, "T1")]) == len(t1)
    counts = store.counts_by_grid(2, within=[(2, "T1")])
    assert list(counts.index) == ["T1"]
    with pytest.raises(StoreError, match="scope levels must be 1-5") as err:
        store.query(within=[(9, "T1")])
    assert err.value.field == "within"


# -- a reader's scope on one incident -------------------------------------------------------
@pytest.mark.parametrize(
    ("within", "found"),
    [(None, True), ([(2, "D-2")], True), ([(3, "D-1-1"), (2, "D-2")], True),
     ([(2, "D-1")], False), ([], False)],
)  # fmt: skip
def test_get_and_update_status_within_a_scope(store, within, found):
    store.insert(sample())  # r3 lies in D-2-1-1-1
    assert (store.get("r3", within=within) is not None) is found
    if found:
        row = store.update_status("r3", "dispatched", at=T0 + timedelta(days=7), within=within)
        assert row["status"] == "dispatched"
        return
    version = store.version()
    with pytest.raises(IncidentNotFound, match="no incident with id 'r3'"):
        store.update_status("r3", "dispatched", within=within)
    assert store.get("r3")["status"] == "reported" and store.version() == version


def test_get_within_a_scope_of_a_bad_level_is_refused(store):
    with pytest.raises(StoreError, match="scope levels must be") as caught:
        store.get("r3", within=[(9, "D")])
    assert caught.value.field == "within"
