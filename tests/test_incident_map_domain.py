"""The incident side of the map as plain functions: filters, values, density, points, demo load.

Grids of the tiny district (tests/conftest.py): level 2 splits west/east, level 3 south/north,
level 4 west/east, level 5 south/north. So T1111 is 114.80-114.82 E x 33.70-33.72 N, T1112 is
the box north of it (33.72-33.74), T2222 the north-east corner. Level-5 populations are
100, 200, ... 1600 in id order: T1111 100, T1112 200, T2222 1600, T1 3600, T2 10000.
"""

from __future__ import annotations

import math
import uuid
from datetime import UTC, date, datetime, timedelta

import pandas as pd
import pytest
import sqlalchemy as sa

from gridmap.demo import history as demo_history
from gridmap.demo.incidents import YEAR_END
from gridmap.grids.district import Bounds, load_district
from gridmap.incidents import views as incident_views
from gridmap.incidents.density import binned_density, cell_size
from gridmap.incidents.filters import (
    LOCAL_TZ,
    IncidentFilters,
    default_range,
    local_today,
    playback_window,
    span_days,
)
from gridmap.incidents.store import IncidentStore
from gridmap.incidents.views import heat, incident_points, incident_values

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
_PG: dict[str, str | None] = {}


def _pg_url() -> str:
    """Return a PostgreSQL URL that answers, or skip naming why none did."""
    if "url" not in _PG:
        reasons = []
        _PG["url"] = None
        for url in PG_URLS:
            engine = sa.create_engine(url, connect_args={"connect_timeout": 2})
            try:
                with engine.connect() as conn:
                    conn.execute(sa.text("select 1"))
                _PG["url"] = url
                break
            except Exception as exc:  # noqa: BLE001 - any failure means "try the next"
                reasons.append(f"{url.split('//')[1]}: {type(exc).__name__}")
            finally:
                engine.dispose()
        _PG["reason"] = "; ".join(reasons)
    if _PG["url"] is None:
        reason = f"PostgreSQL not reachable ({_PG['reason']})"
        print(reason)
        pytest.skip(reason)
    return _PG["url"]


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_store(request, tmp_path):
    """Yield an empty store on SQLite (a file) or PostgreSQL (unique tables, dropped after)."""
    if request.param == "sqlite":
        store = IncidentStore(f"sqlite:///{tmp_path / 'incidents.sqlite'}")
    else:
        store = IncidentStore(_pg_url(), table_prefix=f"t{uuid.uuid4().hex[:12]}_")
    try:
        yield store
    finally:
        if request.param == "postgresql":
            store.drop()
        store.dispose()


@pytest.fixture()
def store(empty_store):
    empty_store.insert(INCIDENTS)
    return empty_store


@pytest.fixture(scope="module")
def district(tiny_dir):
    return load_district(tiny_dir)


# -- IncidentFilters ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"start": "2025-13-01", "end": "2025-03-01"}, "month"),
        ({"start": "2025-03-01", "end": "yesterday"}, "yesterday"),
        (
            {"categories": ("fire", "dragons", "aliens")},
            r"unknown categories \['aliens', 'dragons'\]",
        ),
        ({"statuses": ("reported", "lost")}, r"unknown statuses \['lost'\]"),
    ],
)
def test_filters_refuse_bad_values(kwargs, message):
    args = {"start": "2025-03-01", "end": "2025-03-31", **kwargs}
    with pytest.raises(ValueError, match=message):
        IncidentFilters(**args)


@pytest.mark.parametrize(
    "filters",
    [
        IncidentFilters("2025-03-01", "2025-03-31"),
        IncidentFilters("2025-03-01", "2025-03-31", ("fire", "security"), ("reported",)),
        IncidentFilters("2025-01-01", "2025-12-31", (), ()),
        IncidentFilters("2025-01-01", "2025-12-31", ("other",), None),
    ],
)
def test_filters_key_round_trip(filters):
    key = filters.key()
    assert isinstance(key, str) and " " not in key
    again = IncidentFilters.from_key(key)
    assert again == filters
    assert again.key() == key
    # None (every status) and () (no status) stay apart through the key.
    assert (again.statuses is None) == (filters.statuses is None)


def test_filters_key_is_stable_and_distinct():
    a = IncidentFilters("2025-03-01", "2025-03-31", ("fire",))
    assert a.key() == IncidentFilters("2025-03-01", "2025-03-31", ("fire",)).key()
    assert a.key() != IncidentFilters("2025-03-01", "2025-03-31", ("fire",), ()).key()
    assert a.key() != IncidentFilters("2025-03-01", "2025-03-30", ("fire",)).key()


def test_store_filters_are_local_days():
    f = IncidentFilters("2025-03-01", "2025-03-02").store_filters()
    # Midnight in Shanghai (UTC+8) is 16:00 UTC the day before; the end is exclusive.
    assert f["start"] == datetime(2025, 2, 28, 16, tzinfo=UTC)
    assert f["end"] == datetime(2025, 3, 2, 16, tzinfo=UTC)
    assert f["start"].utcoffset() == timedelta(hours=8)
    assert f["categories"] is None and f["statuses"] is None


def test_store_filters_statuses_none_vs_empty():
    every = IncidentFilters("2025-03-01", "2025-03-01").store_filters()
    nothing = IncidentFilters("2025-03-01", "2025-03-01", statuses=()).store_filters()
    some = IncidentFilters("2025-03-01", "2025-03-01", ("fire",), ("resolved",)).store_filters()
    assert every["statuses"] is None
    assert nothing["statuses"] == []
    assert some["statuses"] == ["resolved"] and some["categories"] == ["fire"]


def test_local_day_boundaries_in_a_store(empty_store):
    t = datetime(2025, 2, 28, 16, tzinfo=UTC)  # 2025-03-01 00:00 in Shanghai
    second = timedelta(seconds=1)
    empty_store.insert(
        [
            incident("before", "T1111", 114.81, 33.71, reported_at=t - second),
            incident("first", "T1111", 114.81, 33.71, reported_at=t),
            incident("last", "T1111", 114.81, 33.71, reported_at=t + timedelta(days=2) - second),
            incident("after", "T1111", 114.81, 33.71, reported_at=t + timedelta(days=2)),
        ]
    )
    f = IncidentFilters("2025-03-01", "2025-03-02").store_filters()
    found = {r["id"] for r in empty_store.query(**f)}
    assert found == {"first", "last"}


def test_statuses_none_all_and_empty_none_in_a_store(store):
    every = IncidentFilters("2025-03-01", "2025-03-31", statuses=None)
    nothing = IncidentFilters("2025-03-01", "2025-03-31", statuses=())
    assert store.count(**every.store_filters()) == 4
    assert store.count(**nothing.store_filters()) == 0
    open_ = IncidentFilters("2025-03-01", "2025-03-31", statuses=("reported", "dispatched"))
    assert {r["id"] for r in store.query(**open_.store_filters())} == {"a", "c"}


def test_playback_window():
    assert playback_window("2025-03-01", "2025-03-31", 0, "week") == ("2025-03-01", "2025-03-07")
    assert playback_window("2025-03-01", "2025-03-31", 7, "week") == ("2025-03-08", "2025-03-14")
    assert playback_window("2025-03-01", "2025-03-31", 3, "day") == ("2025-03-04", "2025-03-04")
    # The last window is cut at the end of the range.
    assert playback_window("2025-03-01", "2025-03-31", 28, "week") == ("2025-03-29", "2025-03-31")
    assert playback_window("2025-12-29", "2026-01-10", 0, "week") == ("2025-12-29", "2026-01-04")
    with pytest.raises(KeyError):
        playback_window("2025-03-01", "2025-03-31", 0, "month")


def test_span_days_and_default_range():
    assert span_days("2025-03-01", "2025-03-01") == 1
    assert span_days("2025-03-01", "2025-03-31") == 31
    assert span_days("2024-02-28", "2024-03-01") == 3  # leap year
    start, end = default_range(date(2025, 12, 31))
    assert (start, end) == ("2025-01-01", "2025-12-31")
    assert span_days(start, end) == 365
    assert default_range(date(2025, 3, 10), days=7) == ("2025-03-04", "2025-03-10")


def test_local_today_uses_shanghai():
    # 17:00 UTC on 31 December is already 1 January in Shanghai.
    assert local_today(datetime(2025, 12, 31, 17, tzinfo=UTC)) == date(2026, 1, 1)
    assert local_today(datetime(2025, 12, 31, 15, tzinfo=UTC)) == date(2025, 12, 31)
    assert LOCAL_TZ.key == "Asia/Shanghai"


# -- incident_values ------------------------------------------------------------------------
def test_incident_counts_per_grid(store, district):
    assert incident_values(store, district, "incidents", ["T1111", "T1112"], MARCH) == [2, 1]
    assert incident_values(store, district, "incidents", ["T1", "T2"], MARCH) == [3, 1]
    assert incident_values(store, district, "incidents", ["T1121", "T1122"], MARCH) == [0, 0]
    # The June incident counts when the range holds it.
    year = IncidentFilters("2025-01-01", "2025-12-31")
    assert incident_values(store, district, "incidents", ["T1111", "T1112"], year) == [3, 1]
    assert incident_values(store, district, "incidents", [], MARCH) == []


def test_incident_counts_follow_filters(store, district):
    fire = IncidentFilters("2025-03-01", "2025-03-31", ("fire",))
    assert incident_values(store, district, "incidents", ["T1111", "T1112"], fire) == [0, 1]
    done = IncidentFilters("2025-03-01", "2025-03-31", statuses=("resolved", "closed"))
    assert incident_values(store, district, "incidents", ["T1", "T2"], done) == [1, 1]
    nothing = IncidentFilters("2025-03-01", "2025-03-31", statuses=())
    assert incident_values(store, district, "incidents", ["T1", "T2"], nothing) == [0, 0]


def test_incidents_per_1000(store, district):
    # T1111: 2 / 100 people; T1112: 1 / 200 people.
    assert incident_values(store, district, "incidents-per-1000", ["T1111", "T1112"], MARCH) == [
        20.0,
        5.0,
    ]
    # T1: 3 / 3600 -> 0.83; T2: 1 / 10000 -> 0.1.
    assert incident_values(store, district, "incidents-per-1000", ["T1", "T2"], MARCH) == [
        0.83,
        0.1,
    ]


# -- binned density -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("span", "bins", "expected"),
    [
        (0.08, 8, 0.01),
        (0.08, 10, 0.01),  # raw 0.008 -> 0.01
        (0.03, 10, 0.005),  # raw 0.003 -> 0.005
        (0.015, 10, 0.002),  # raw 0.0015 -> 0.002
        (1.0, 160, 0.01),  # raw 0.00625 -> 0.01
        (0.08, 160, 0.0005),
        (0.0, 160, 1e-6),  # a point: the span floor of 1e-4 applies
    ],
)
def test_cell_size_snaps_to_1_2_5(span, bins, expected):
    bounds = Bounds(114.8, 33.7, 114.8 + span, 33.7 + span / 2)
    assert cell_size(bounds, bins) == pytest.approx(expected)


def test_cell_size_uses_the_longer_side_and_ignores_small_moves():
    tall = Bounds(114.8, 33.7, 114.81, 33.78)
    assert cell_size(tall, 8) == pytest.approx(0.01)
    a = cell_size(Bounds(114.80, 33.70, 114.87, 33.77))
    b = cell_size(Bounds(114.8013, 33.7007, 114.8733, 33.7697))
    assert a == b == pytest.approx(0.0005)


def test_binned_density_counts(store):
    d = binned_density(store, TINY, **MARCH.store_filters(), bins_across=8)
    assert d.cell_deg == pytest.approx(0.01)
    assert d.total == 4 == store.count(**MARCH.store_filters())
    bins = {
        (round(lon, 4), round(lat, 4)): n for lon, lat, n in zip(d.lon, d.lat, d.count, strict=True)
    }
    # a and b share the bin [114.80, 114.81) x [33.70, 33.71); c and d have one each.
    assert bins == {
        (114.805, 33.705): 2,
        (114.815, 33.735): 1,
        (114.875, 33.775): 1,
    }


def test_binned_density_total_matches_filters(store):
    for filters in (
        MARCH,
        IncidentFilters("2025-01-01", "2025-12-31"),
        IncidentFilters("2025-01-01", "2025-12-31", ("neighbourhood",)),
        IncidentFilters("2025-03-01", "2025-03-31", statuses=("resolved", "closed")),
    ):
        f = filters.store_filters()
        d = binned_density(store, TINY, **f)
        assert d.total == store.count(**f), filters
        assert len(d.lon) == len(d.lat) == len(d.count)
        assert all(n > 0 for n in d.count)
    assert binned_density(store, TINY).total == 5  # no filters: every incident


def test_binned_density_applies_filters(store):
    f = IncidentFilters("2025-03-01", "2025-03-31", ("fire",)).store_filters()
    d = binned_density(store, TINY, **f, bins_across=8)
    assert (d.lon, d.lat, d.count) == ([114.815], [33.735], [1])
    none = IncidentFilters("2025-03-01", "2025-03-31", statuses=()).store_filters()
    assert binned_density(store, TINY, **none).count == []


def test_heat_bins_positions_inside_the_focus_grid(store, district):
    assert heat(store, district, "T", MARCH).total == 4
    # In a drill, only the incidents of the focus grid count (T1 holds 3 of March's 4).
    assert heat(store, district, "T1", MARCH).total == 3
    assert heat(store, district, "T11", MARCH).total == 3
    assert heat(store, district, "T2", MARCH).total == 1


def test_heat_from_grid_counts_beyond_max_binned(store, district, monkeypatch):
    import gridmap.incidents.views as views

    monkeypatch.setattr(views, "MAX_BINNED", 0)
    density = heat(store, district, "T1", MARCH)
    # One point per level-5 grid with incidents, at its label point, weighted by its count.
    expected = {district.label_points[g]: n for g, n in (("T1111", 2), ("T1112", 1))}
    assert dict(zip(zip(density.lon, density.lat, strict=True), density.count, strict=True)) == (
        expected
    )
    assert density.cell_deg > 0


def test_binned_density_only_inside_bounds(store):
    west = Bounds(114.80, 33.70, 114.84, 33.78)
    assert binned_density(store, west, **MARCH.store_filters()).total == 3
    away = Bounds(120.0, 30.0, 120.1, 30.1)
    assert binned_density(store, away).count == []


def test_bins_are_fixed_to_a_global_origin(store):
    moved = Bounds(114.8004, 33.7003, 114.8804, 33.7803)  # same cell size, view moved a little
    a = binned_density(store, TINY, **MARCH.store_filters(), bins_across=10)
    b = binned_density(store, moved, **MARCH.store_filters(), bins_across=10)
    assert a.cell_deg == b.cell_deg == pytest.approx(0.01)
    assert sorted(zip(a.lon, a.lat, a.count, strict=True)) == sorted(
        zip(b.lon, b.lat, b.count, strict=True)
    )
    for value in a.lon + a.lat:
        # Bin centres sit at (k + 0.5) * cell from 0, whatever the view.
        k = value / a.cell_deg - 0.5
        assert math.isclose(k, round(k), abs_tol=1e-6), value


def test_binned_density_empty_store(empty_store):
    d = binned_density(empty_store, TINY)
    assert (d.lon, d.lat, d.count, d.total) == ([], [], [], 0)
    assert d.cell_deg == pytest.approx(cell_size(TINY))


# -- incident_points ------------------------------------------------------------------------
POINT_COLUMNS = {"id", "category", "status", "reported_at", "lon", "lat", "g3"}


def test_incident_points_columns_and_grid(store):
    # T111 holds T1111 (a, b, and e in June) and T1112 (c); newest first.
    rows = incident_points(store, "T111", 4, MARCH)
    assert [r["id"] for r in rows] == ["c", "b", "a"]
    for row in rows:
        assert set(row) == POINT_COLUMNS
        assert row["g3"] == "T11"
        assert row["reported_at"].tzinfo is not None
    assert rows[0]["lon"] == pytest.approx(114.8125) and rows[0]["lat"] == pytest.approx(33.7325)
    assert [r["id"] for r in incident_points(store, "T1112", 5, MARCH)] == ["c"]
    assert [r["id"] for r in incident_points(store, "T2", 2, MARCH)] == ["d"]
    fire = IncidentFilters("2025-03-01", "2025-03-31", ("fire",))
    assert [r["id"] for r in incident_points(store, "T111", 4, fire)] == ["c"]
    nothing = IncidentFilters("2025-03-01", "2025-03-31", statuses=())
    assert incident_points(store, "T111", 4, nothing) == []


def test_incident_points_limit_newest_first(store, monkeypatch):
    year = IncidentFilters("2025-01-01", "2025-12-31")
    assert [r["id"] for r in incident_points(store, "T1", 2, year)] == ["e", "c", "b", "a"]
    monkeypatch.setattr(incident_views, "MAX_POINTS", 2)
    assert [r["id"] for r in incident_points(store, "T1", 2, year)] == ["e", "c"]


# -- demo history ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("now", "weeks"),
    [
        (YEAR_END - timedelta(days=30), 0),  # before the demo year ends: never negative
        (YEAR_END, 0),
        (YEAR_END + timedelta(hours=1), 1),
        (YEAR_END + timedelta(days=6, hours=23), 1),
        (YEAR_END + timedelta(days=7), 1),
        (YEAR_END + timedelta(days=20), 3),
        (YEAR_END + timedelta(days=365), 53),
    ],
)
def test_week_shift_whole_weeks(now, weeks):
    shift = demo_history.week_shift(now)
    assert shift == timedelta(weeks=weeks)
    assert shift >= timedelta(0)
    assert shift % timedelta(weeks=1) == timedelta(0)
    # The shifted year ends at or after now, and less than a week after it.
    if now >= YEAR_END:
        assert now <= YEAR_END + shift < now + timedelta(weeks=1)
        assert (YEAR_END + shift).weekday() == YEAR_END.weekday()


def test_until_drops_the_future_and_undoes_later_steps():
    now = YEAR_END
    t = pd.Timestamp
    frame = pd.DataFrame(
        {
            "id": ["past", "open-now", "resolving", "future"],
            "status": ["closed", "resolved", "closed", "reported"],
            "reported_at": [t(now - timedelta(days=3)), t(now - timedelta(hours=5)),
                            t(now - timedelta(hours=2)), t(now + timedelta(hours=1))],
            "dispatched_at": [t(now - timedelta(days=2)), t(now + timedelta(hours=1)),
                              t(now - timedelta(hours=1)), pd.NaT],
            "resolved_at": [t(now - timedelta(days=1)), t(now + timedelta(hours=2)),
                            t(now + timedelta(hours=3)), pd.NaT],
            "closed_at": [t(now - timedelta(hours=12)), pd.NaT, t(now + timedelta(hours=4)),
                          pd.NaT],
        }
    )  # fmt: skip
    out = demo_history.until(frame, now).set_index("id")
    assert list(out.index) == ["past", "open-now", "resolving"]
    assert out.loc["past", "status"] == "closed"
    assert out.loc["open-now", "status"] == "reported"
    assert out.loc[["open-now"], ["dispatched_at", "resolved_at"]].isna().all(axis=None)
    assert out.loc["resolving", "status"] == "dispatched"
    assert pd.isna(out.loc["resolving", "resolved_at"]) and pd.isna(
        out.loc["resolving", "closed_at"]
    )


def small_demo_frame(grids) -> pd.DataFrame:
    """Return a three-incident demo frame (the shape of demo_incidents)."""
    rows = [
        incident(f"demo-{i}", g5, lon, lat, reported_at=YEAR_END - timedelta(days=d))
        for i, (g5, lon, lat, d) in enumerate(
            [
                ("T1111", 114.81, 33.71, 1),
                ("T1112", 114.81, 33.73, 10),
                ("T2222", 114.87, 33.77, 100),
            ]
        )
    ]
    frame = pd.DataFrame(rows)
    for column in ("dispatched_at", "resolved_at", "closed_at"):
        frame[column] = pd.NaT
    frame["reported_at"] = pd.to_datetime(frame["reported_at"], utc=True)
    for column in ("reporter", "description", "unit"):
        frame[column] = None
    return frame


def test_load_if_empty_loads_once(empty_store, district, monkeypatch):
    calls = []

    def fake(grids):
        calls.append(len(grids))
        return small_demo_frame(grids)

    monkeypatch.setattr(demo_history, "demo_incidents", fake)
    now = YEAR_END + timedelta(days=17)
    assert district.is_demo
    stored, shift = demo_history.load_if_empty(empty_store, district, now=now)
    # Shifted 3 weeks, demo-0 (a day before the year's end) would be reported 3 days from now:
    # it is left out; the other two are loaded.
    assert (stored, shift) == (2, timedelta(weeks=3))
    assert empty_store.count() == 2
    newest = empty_store.query(limit=1)[0]
    assert newest["id"] == "demo-1"
    assert newest["reported_at"] == YEAR_END - timedelta(days=10) + timedelta(weeks=3)
    # A second start finds incidents and loads nothing.
    assert demo_history.load_if_empty(empty_store, district, now=now) is None
    assert empty_store.count() == 2
    assert len(calls) == 1


def test_load_if_empty_not_for_other_districts(empty_store, tmp_path, monkeypatch):
    from tests.conftest import write_tiny_district

    plain = load_district(write_tiny_district(tmp_path / "plain", demo=False))
    assert not plain.is_demo
    monkeypatch.setattr(demo_history, "demo_incidents", lambda grids: pytest.fail("demo generated"))
    assert demo_history.load_if_empty(empty_store, plain) is None
    assert empty_store.count() == 0


def test_time_span_and_clipping(empty_store):
    from gridmap.incidents.views import time_clipped

    wide = IncidentFilters(start="2000-01-01", end="2030-12-31").store_filters()
    assert empty_store.time_span() == (None, None)
    # With no incident stored, nothing changes.
    assert time_clipped(empty_store, wide) == wide
    store = empty_store
    store.insert(INCIDENTS)
    first, last = store.time_span()
    times = [r["reported_at"] for r in store.query()]
    assert (first, last) == (min(times), max(times))
    # Bounds that hold every incident are dropped; the counts stay the same.
    assert "start" not in time_clipped(store, wide) and "end" not in time_clipped(store, wide)
    assert store.count(**time_clipped(store, wide)) == store.count(**wide)
    # Bounds that cut something are kept.
    assert time_clipped(store, MARCH.store_filters()) == MARCH.store_filters()
