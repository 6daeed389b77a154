"""The snapshot answers a grid's statistics and dispatch figures as the database queries do."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest

from gridmap.clock import LOCAL_TZ
from gridmap.errors import StoreError
from gridmap.incidents.performance import grid_figures
from gridmap.incidents.snapshot import Snapshot, snapshot_of
from gridmap.incidents.stats import grid_statistics
from tests.incident_fixtures import open_store, pg_reachable, stored_record, tiny_grids

T0 = datetime(2025, 2, 20, tzinfo=UTC)
NOW = datetime(2025, 5, 10, 9, tzinfo=UTC)
H = timedelta(hours=1)
CATEGORIES = ("neighbourhood", "land", "fire", "environment", "traffic")
UNITS = ("调解委员会", "国土所", "消防大队", None)


def generated(n: int = 420, seed: int = 7) -> list[dict]:
    """Return ``n`` incidents over the tiny district's 16 leaves, at every workflow stage."""
    rng = random.Random(seed)
    leaves = [g for g, r in tiny_grids().iterrows() if r["level"] == 5]
    out = []
    for i in range(n):
        reported = T0 + timedelta(minutes=rng.randrange(0, 80 * 24 * 60))
        stage = rng.choice(["reported", "dispatched", "resolved", "closed", "closed"])
        fields = {"reported_at": reported, "category": rng.choice(CATEGORIES),
                  "unit": rng.choice(UNITS), "status": stage}  # fmt: skip
        if stage != "reported":
            fields["dispatched_at"] = reported + rng.uniform(0.2, 30) * H
        if stage in ("resolved", "closed"):
            fields["resolved_at"] = fields["dispatched_at"] + rng.uniform(1, 300) * H
        if stage == "closed":
            fields["closed_at"] = fields["resolved_at"] + rng.uniform(0, 5) * H
            fields["reworks"] = rng.choice([0, 0, 0, 1, 2])
            fields["state"] = "closed"
        out.append(stored_record(f"i{i:04d}", rng.choice(leaves), **fields))
    return out


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def store(request, tmp_path_factory):
    if request.param == "postgresql":
        reason = pg_reachable()
        if reason:
            pytest.skip(reason)
    s = open_store(request.param, tmp_path_factory.mktemp("snapshot"))
    s.insert(generated())
    yield s
    if request.param == "postgresql":
        s.drop()
    s.dispose()


@pytest.fixture(scope="module")
def snapshot(store):
    return snapshot_of(store)


GRIDS = tiny_grids()


def local(day: str) -> datetime:
    return datetime.combine(datetime.fromisoformat(day).date(), datetime.min.time(), LOCAL_TZ)


FILTERS = [
    # the whole span, weekly (its first and last weeks cut by the range)
    {"start": local("2025-02-19"), "end": local("2025-05-15"), "freq": "week"},
    # a month, daily, two categories and the open statuses
    {
        "start": local("2025-03-01"),
        "end": local("2025-04-01"),
        "freq": "day",
        "categories": ["land", "fire"],
        "statuses": ["reported", "dispatched"],
    },  # fmt: skip
    # a week of playback, a category nobody reported
    {
        "start": local("2025-04-07"),
        "end": local("2025-04-14"),
        "freq": "day",
        "categories": ["environment"],
    },  # fmt: skip
    # a range with no incident at all
    {"start": local("2024-01-01"), "end": local("2024-02-01"), "freq": "day"},
]
SCOPES = [None, [(3, "D-1-1")], [(2, "D-2"), (5, "D-1-1-1-1")]]


def assert_same_statistics(fast: dict, slow: dict) -> None:
    assert fast["freq"] == slow["freq"]
    assert fast["summary"].keys() == slow["summary"].keys()
    for key, value in slow["summary"].items():
        assert fast["summary"][key] == pytest.approx(value), key
    for part in ("trend", "categories", "children"):
        pd.testing.assert_frame_equal(
            fast[part].reset_index(drop=True), slow[part].reset_index(drop=True), obj=part
        )


def inside(grid_id: str, within) -> bool:
    chain = []
    current = grid_id
    while current:
        chain.append(current)
        current = GRIDS.loc[current, "parent_id"]
    return within is None or any(root in chain for _, root in within)


@pytest.mark.parametrize("within", SCOPES, ids=["all", "one-village", "two-roots"])
@pytest.mark.parametrize("filters", FILTERS, ids=["span", "month", "week", "empty"])
def test_statistics_of_every_grid_match_the_queries(store, snapshot, filters, within):
    checked = 0
    for grid_id in GRIDS.index:
        if not inside(grid_id, within):
            continue
        for metric, lang in (("count", "zh"), ("per_1000", "en")):
            options = {**filters, "metric": metric, "lang": lang, "within": within}
            slow = grid_statistics(store, GRIDS, grid_id, **options)
            fast = snapshot.statistics(GRIDS, grid_id, **options, known=store.categories)
            assert_same_statistics(fast, slow)
        checked += 1
    assert checked >= 3


def assert_same_figures(fast, slow) -> None:
    if slow is None:
        assert fast is None
        return
    assert fast.keys() == slow.keys()
    for key, value in slow.items():
        if isinstance(value, float):
            # SQLite computes hours from julian days (about a millisecond of rounding).
            assert fast[key] == pytest.approx(value, abs=2e-3), key
        else:
            assert fast[key] == value, key


@pytest.mark.parametrize("within", SCOPES, ids=["all", "one-village", "two-roots"])
@pytest.mark.parametrize(
    "period", [FILTERS[0], FILTERS[1], FILTERS[3]], ids=["span", "month", "empty"]
)
def test_dispatch_figures_of_every_grid_match_the_queries(store, snapshot, period, within):
    now = NOW
    for grid_id in GRIDS.index:
        if not inside(grid_id, within):
            continue
        level = int(GRIDS.loc[grid_id, "level"])
        options = {"now": now, "start": period["start"], "end": period["end"], "within": within}
        slow = grid_figures(store, grid_id, level, **options)
        fast = snapshot.dispatch(grid_id, level, **options)
        assert_same_figures(fast["grid"], slow["grid"])
        assert [u["key"] for u in fast["units"]] == [u["key"] for u in slow["units"]]
        for mine, theirs in zip(fast["units"], slow["units"], strict=True):
            assert_same_figures(mine, theirs)


def test_the_generated_store_has_every_stage_and_unit(snapshot):
    # Guards the comparisons above: they would pass vacuously on a store of one kind of case.
    assert snapshot.size == 420
    assert snapshot.closed.sum() > 50 and snapshot.reworked.sum() > 10
    assert snapshot.has_due.sum() > 50
    assert set(snapshot.unit_ids) == {"", *filter(None, UNITS)}


def test_a_grid_the_store_never_saw_has_nothing(snapshot):
    rows = snapshot.rows(grid="D-9", grid_level=2)
    assert len(rows) == 0
    assert snapshot.summary(rows)["total"] == 0
    assert snapshot.dispatch("D-9", 2, now=NOW) == {"grid": None, "units": []}


def test_an_unknown_grid_is_refused(snapshot):
    with pytest.raises(Exception, match="unknown grid 'nope'"):
        snapshot.statistics(GRIDS, "nope", start=FILTERS[0]["start"], end=FILTERS[0]["end"])


def test_a_store_larger_than_the_limit_is_not_held(store):
    assert snapshot_of(store, max_rows=419) is None
    assert isinstance(snapshot_of(store, max_rows=420), Snapshot)


def test_a_write_is_seen_after_the_version_moves(tmp_path):
    s = open_store("sqlite", tmp_path)
    try:
        s.insert([stored_record("x1", "D-1-1-1-1", reported_at=T0 + H)])
        before = snapshot_of(s)
        s.insert([stored_record("x2", "D-1-1-1-1", reported_at=T0 + 2 * H)])
        after = snapshot_of(s)
        assert (before.size, after.size) == (1, 2)
    finally:
        s.dispose()


def test_the_filters_are_checked_as_the_queries_check_them(store):
    # The pages call where_clauses before reading the snapshot: a forged category is a 400.
    with pytest.raises(StoreError, match="unknown categories"):
        store.where_clauses(categories=["nope"], start=FILTERS[0]["start"])
