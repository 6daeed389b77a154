"""Incident callbacks of the main map: the heat and point overlays and the incident metrics.

Posted over HTTP the way the browser posts them.
The app holds the incidents of tests/incident_fixtures.py (see there).
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from gridmap.incidents.filters import IncidentFilters
from tests.callbacks.incident_support import (
    MARCH,
    unchanged,
)
from tests.dash_http import map_call, operations, overlay_call, render, response_of
from tests.incident_fixtures import INCIDENTS, incident
from ui import ids


# -- overlays -------------------------------------------------------------------------------
def overlays(client, search, key=MARCH, layers=("posts", "roads", "heat", "incidents"),
             lang="en", size=None, version=1):  # fmt: skip
    """Post the render callback as a filter change does: it sends the overlays with the grids."""
    return overlay_call(client, search, key, layers, lang, size, version)


@pytest.mark.parametrize(
    ("search", "total"),
    [("", 4), ("?grid=T1", 3), ("?grid=T111", 3), ("?grid=T1112", 3), ("?grid=T2", 1)],
)
def test_heat_counts_the_matching_incidents(client, search, total):
    ops = operations(response_of(overlays(client, search)))
    lon, lat, z = ops[("data", 3, "lon")], ops[("data", 3, "lat")], ops[("data", 3, "z")]
    assert len(lon) == len(lat) == len(z) > 0
    assert sum(z) == total
    assert ops[("data", 3, "visible")] is True
    assert 3 <= ops[("data", 3, "radius")] <= 40
    # Every bin centre lies in the district.
    assert all(114.80 <= x <= 114.88 for x in lon) and all(33.70 <= y <= 33.78 for y in lat)


def test_heat_follows_filters(client):
    fire = IncidentFilters("2025-03-01", "2025-03-31", ("fire",)).key()
    ops = operations(response_of(overlays(client, "", key=fire)))
    assert ops[("data", 3, "z")] == [1]
    assert ops[("data", 3, "lon")] == [pytest.approx(114.81225, abs=0.001)]
    nothing = IncidentFilters("2025-03-01", "2025-03-31", statuses=()).key()
    ops = operations(response_of(overlays(client, "", key=nothing)))
    assert ops[("data", 3, "z")] == []
    year = IncidentFilters("2025-01-01", "2025-12-31").key()
    assert sum(operations(response_of(overlays(client, "", key=year)))[
        ("data", 3, "z")
    ]) == 5  # fmt: skip


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("?grid=T111", ["c", "b", "a"]),  # level 4: its level-5 children are shown
        ("?grid=T1111", ["c", "b", "a"]),  # level 5: its parent's incidents
        ("?grid=T11", ["c", "b", "a"]),  # level 3: level-4 grids are shown
        ("?grid=T22", ["d"]),
    ],
)
def test_points_at_level_4_and_deeper(client, search, expected):
    ops = operations(response_of(overlays(client, search)))
    assert ops[("data", 4, "customdata")] == expected
    assert ops[("data", 4, "visible")] is True
    by_id = {r["id"]: r for r in INCIDENTS}
    assert ops[("data", 4, "lon")] == [by_id[i]["lon"] for i in expected]
    assert ops[("data", 4, "lat")] == [by_id[i]["lat"] for i in expected]
    assert len(ops[("data", 4, "marker")]["color"]) == len(expected)
    assert len(ops[("data", 4, "text")]) == len(expected)


def test_point_hover_text(client):
    ops = operations(response_of(overlays(client, "?grid=T111")))
    assert ops[("data", 4, "text")][1] == "<b>Public security</b><br>Resolved · 2025-03-11 00:00"
    zh = operations(response_of(overlays(client, "?grid=T111", lang="zh")))
    assert zh[("data", 4, "text")][1].startswith("<b>治安问题</b><br>已办结")


@pytest.mark.parametrize("search", ["", "?grid=T1", "?grid=T2", "?view=level-5", "?view=level-4"])
def test_no_points_above_level_4_or_in_whole_level_views(client, search):
    ops = operations(response_of(overlays(client, search)))
    assert ops[("data", 4, "visible")] is False
    assert ("data", 4, "customdata") not in ops
    assert ops[("data", 3, "visible")] is True


def test_overlays_hidden_when_unticked(client):
    ops = operations(response_of(overlays(client, "?grid=T111", layers=("posts",))))
    assert ops == {("data", 3, "visible"): False, ("data", 4, "visible"): False}
    ops = operations(response_of(overlays(client, "?grid=T111", layers=("heat",))))
    assert ops[("data", 3, "visible")] is True and ops[("data", 4, "visible")] is False
    ops = operations(response_of(overlays(client, "?grid=T111", layers=("incidents",))))
    assert ops[("data", 3, "visible")] is False and ops[("data", 4, "customdata")] == [
        "c",
        "b",
        "a",
    ]


def test_overlays_wait_for_filters(client):
    assert unchanged(overlays(client, "?grid=T111", key=None))


# -- render with incident metrics ------------------------------------------------------------
FILTERS_CHANGED = [f"{ids.FILTERS_STORE}.data"]
VERSION_CHANGED = [f"{ids.VERSION_STORE}.data"]


@pytest.mark.parametrize(
    ("search", "metric", "z"),
    [
        ("?grid=T111", "incidents", [2, 1]),
        ("?grid=T111", "incidents-per-1000", [20.0, 5.0]),  # 2/100 and 1/200 people
        ("", "incidents", [3, 1]),
        ("", "incidents-per-1000", [0.83, 0.1]),  # 3/3600 and 1/10000 people
        ("?grid=T22", "incidents", [0, 1]),
    ],
)
def test_render_incident_metrics(client, store, search, metric, z):
    for changed in (None, FILTERS_CHANGED, VERSION_CHANGED):
        resp = render(
            client, search, metric=metric, filters=MARCH, version=store.version(), changed=changed
        )
        assert operations(resp)[("data", 0, "z")] == z


def test_render_incident_metric_follows_filters(client, store):
    fire = IncidentFilters("2025-03-01", "2025-03-31", ("fire",)).key()
    resp = render(client, "?grid=T111", metric="incidents", filters=fire, version=store.version())
    assert operations(resp)[("data", 0, "z")] == [0, 1]


def test_render_incident_metric_waits_for_filters(client):
    resp = map_call(
        client,
        "?grid=T111",
        [f"{ids.URL}.search"],
        metric="incidents",
        layers=["posts"],
        filters=None,
        version=None,
    )
    # Nothing of the map nor the panels (only the 'up' button, which needs no filters).
    assert unchanged(resp) or set(response_of(resp)) == {ids.UP_BUTTON}


@pytest.mark.parametrize("changed", [FILTERS_CHANGED, VERSION_CHANGED])
@pytest.mark.parametrize("metric", ["density", "population", "staff"])
def test_filters_and_version_change_only_the_overlays_for_other_metrics(
    client, store, changed, metric
):
    resp = map_call(
        client,
        "?grid=T111",
        changed,
        metric=metric,
        layers=["posts"],
        filters=MARCH,
        version=store.version(),
    )
    body = response_of(resp)
    # The grids' colours do not show incidents: only the overlay traces change, and neither
    # the breadcrumb nor the panel is sent again.
    assert set(body) == {ids.MAP_GRAPH}
    assert {path[1] for path in operations(body)} == {3, 4}


def test_render_new_version_gives_new_counts(client, store):
    key = IncidentFilters("2023-05-01", "2023-05-31").key()
    before = render(client, "?grid=T111", metric="incidents", filters=key, version=store.version())
    assert operations(before)[("data", 0, "z")] == [0, 0]
    store.insert(
        [incident("may-2023", "T1112", 114.81, 33.73, reported_at=datetime(2023, 5, 3, tzinfo=UTC))]
    )
    after = render(
        client,
        "?grid=T111",
        metric="incidents",
        filters=key,
        version=store.version(),
        changed=VERSION_CHANGED,
    )
    assert operations(after)[("data", 0, "z")] == [0, 1]
