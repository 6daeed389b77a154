"""What the map shows of incidents: counts and rates per grid, the heat, points, time clipping.

The tiny district and its incidents: see tests/incident_fixtures.py.
"""

from __future__ import annotations

import pytest

from gridmap.incidents import views as incident_views
from gridmap.incidents.filters import IncidentFilters
from gridmap.incidents.views import heat, incident_points, incident_values
from tests.incident_fixtures import (
    INCIDENTS,
    MARCH,
)


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


@pytest.mark.parametrize(("lang", "name"), [("zh", "网格1111"), ("en", "Grid 1111")])
def test_incident_grid_name(district, lang, name):
    assert incident_views.incident_grid_name(district, {"g5": "T1111"}, lang) == name
    # An incident of a grid the district does not hold (or without one) shows a dash.
    assert incident_views.incident_grid_name(district, {"g5": "X9"}, lang) == "—"
    assert incident_views.incident_grid_name(district, {}, lang) == "—"


# -- the reader's scope (within) ----------------------------------------------------------
T1 = [(2, "T1")]


def test_the_scope_keeps_other_townships_incidents_out(store, district, monkeypatch):
    assert incident_values(store, district, "incidents", ["T1", "T2"], MARCH, T1) == [3, 0]
    assert incident_values(store, district, "incidents", ["T1", "T2"], MARCH, []) == [0, 0]
    assert heat(store, district, "T", MARCH, T1).total == 3
    assert heat(store, district, "T2", MARCH, T1).total == 0
    assert [r["id"] for r in incident_points(store, "T", 1, MARCH, T1)] == ["c", "b", "a"]
    assert incident_points(store, "T2", 2, MARCH, T1) == []
    # Beyond MAX_BINNED the heat comes from counts per level-5 grid: scoped too.
    monkeypatch.setattr(incident_views, "MAX_BINNED", 0)
    density = heat(store, district, "T", MARCH, T1)
    assert district.label_points["T2222"] not in set(zip(density.lon, density.lat, strict=True))
    assert sum(density.count) == 3
