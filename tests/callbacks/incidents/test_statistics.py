"""Incident callbacks of the main map: the statistics panel, its export, incident detail and
drill-down from the panel. Posted over HTTP the way the browser posts them.
The app holds the incidents of tests/incident_fixtures.py (see there).
"""

from __future__ import annotations

import csv
import io
import json

import pytest

from gridmap.incidents.filters import IncidentFilters
from tests.callbacks.incident_support import (
    MARCH,
    find,
    strings,
    unchanged,
)
from tests.dash_http import (
    call,
    dependency_output,
    incident_click,
    links,
    map_call,
    nav_result,
    response_of,
)
from ui import ids


# -- statistics and export ------------------------------------------------------------------
def statistics(client, search, key=MARCH, lang="en", rank="count", version=1):
    """Post the statistics callback as a filter change does, on the URL ``search``."""
    inputs = [
        (ids.FILTERS_STORE, "data", key),
        (ids.VERSION_STORE, "data", version),
        (ids.LANG_STORE, "data", lang),
        (ids.STATS_RANK, "value", rank),
    ]
    output = dependency_output(client, ids.STATS_PANEL, "children", ids.STATS_RANK)
    return call(client, [output], inputs, [(ids.URL, "search", search)])


def tile(panel, key) -> list[str]:
    found = find(panel, f"stats-{key}")
    assert found is not None, key
    return strings(found)


def test_statistics_panel_figures(client, store):
    panel = response_of(statistics(client, "", version=store.version()))[ids.STATS_PANEL][
        "children"
    ]
    assert tile(panel, "total") == ["Total", "4"]
    assert tile(panel, "open") == ["Open", "2"]  # a reported, c dispatched
    assert tile(panel, "resolved") == ["Resolved", "2"]  # b resolved, d closed
    assert tile(panel, "rate") == ["Resolution rate", "50.0%"]
    # One row per child grid, each a button that drills into it.
    assert find(panel, ids.stats_child("T1")) is not None
    assert find(panel, ids.stats_child("T2")) is not None
    assert strings(find(panel, ids.stats_child("T1"))) == ["Dong Town 1"]


def test_statistics_of_a_grid_and_in_chinese(client, store):
    panel = response_of(statistics(client, "?grid=T1112", lang="zh", version=store.version()))[
        ids.STATS_PANEL
    ]["children"]
    assert tile(panel, "total") == ["总数", "1"]
    assert tile(panel, "open") == ["未办结", "1"]
    assert find(panel, "stats-trend") is not None


def test_statistics_wait_for_filters(client):
    assert unchanged(statistics(client, "", key=None))


def test_export_csv(client, store):
    resp = call(
        client,
        [(ids.STATS_DOWNLOAD, "data")],
        [(ids.STATS_EXPORT, "n_clicks", 1)],
        [
            (ids.URL, "search", ""),
            (ids.FILTERS_STORE, "data", MARCH),
            (ids.VERSION_STORE, "data", store.version()),
            (ids.LANG_STORE, "data", "en"),
            (ids.STATS_RANK, "value", "count"),
        ],
    )
    out = response_of(resp)[ids.STATS_DOWNLOAD]["data"]
    assert out["filename"] == "incidents-T.csv"
    assert out["type"] == "text/csv"
    content = out["content"]
    assert content.startswith("\ufeff")  # Excel reads it as UTF-8
    rows = list(csv.reader(io.StringIO(content[1:])))
    assert rows[0] == ["grid", "T", "Test District"]
    assert rows[1][0] == "filters" and rows[1][1] == MARCH
    lines = [",".join(r) for r in rows]
    assert {"total,4", "open,2", "resolved,2", "resolution_rate,0.5"} <= set(lines)
    assert {"trend", "categories", "children"} <= set(lines)
    children = rows[lines.index("children") + 1 :]
    header = children[0]
    assert "grid_id" in header and "count" in header
    table = {r[header.index("grid_id")]: r for r in children[1:] if r}
    assert set(table) == {"T1", "T2"}
    assert table["T1"][header.index("count")] == "3"
    assert table["T2"][header.index("count")] == "1"


OPEN_ONLY = IncidentFilters("2025-03-01", "2025-03-31", statuses=("reported", "dispatched")).key()


def test_statistics_follow_the_status_filter(client, store):
    # Resolved and closed unticked: the panel counts only the open incidents (a and c).
    panel = response_of(statistics(client, "", key=OPEN_ONLY, version=store.version()))[
        ids.STATS_PANEL
    ]["children"]
    assert tile(panel, "total") == ["Total", "2"]
    assert tile(panel, "resolved") == ["Resolved", "0"]
    none = IncidentFilters("2025-03-01", "2025-03-31", statuses=()).key()
    panel = response_of(statistics(client, "", key=none, version=store.version()))[ids.STATS_PANEL][
        "children"
    ]
    assert tile(panel, "total") == ["Total", "0"]


def test_export_follows_the_status_filter(client, store):
    resp = call(
        client,
        [(ids.STATS_DOWNLOAD, "data")],
        [(ids.STATS_EXPORT, "n_clicks", 1)],
        [
            (ids.URL, "search", ""),
            (ids.FILTERS_STORE, "data", OPEN_ONLY),
            (ids.VERSION_STORE, "data", store.version()),
            (ids.LANG_STORE, "data", "en"),
            (ids.STATS_RANK, "value", "count"),
        ],
    )
    content = response_of(resp)[ids.STATS_DOWNLOAD]["data"]["content"]
    lines = {",".join(r) for r in csv.reader(io.StringIO(content[1:]))}
    assert {"total,2", "open,2", "resolved,0"} <= lines


# -- incident detail ------------------------------------------------------------------------
def detail(client, click, lang="en"):
    # The map's own callback answers a click on an incident (no second request per click).
    return incident_click(client, click, lang=lang)


def test_click_on_an_incident_shows_it(client):
    click = {"points": [{"curveNumber": 4, "pointNumber": 1, "customdata": "b"}]}
    children = response_of(detail(client, click))[ids.INCIDENT_DETAIL]["children"]
    text = strings(children)
    assert text[0] == "Incident"
    assert "b" in text and "Public security" in text and "Resolved" in text
    assert "Grid 1111" in text  # the level-5 grid's name
    assert "2025-03-11 00:00" in text
    zh = strings(response_of(detail(client, click, lang="zh"))[ids.INCIDENT_DETAIL]["children"])
    assert zh[0] == "事件详情" and "治安问题" in zh and "网格1111" in zh


@pytest.mark.parametrize(
    "click",
    [
        {"points": [{"curveNumber": 3, "lon": 114.81, "lat": 33.71}]},
        {"points": [{"curveNumber": 0, "location": "no-such-key"}]},
        {"points": []},
        None,
    ],
)
def test_other_clicks_leave_the_detail(client, click):
    assert unchanged(detail(client, click))


def test_a_click_on_a_grid_drills_and_clears_the_detail(client, app):
    key = app.server.extensions["gridmap"].district.key_of["T1111"]
    click = {"points": [{"curveNumber": 0, "location": key}]}
    answer = response_of(incident_click(client, click, filters=MARCH))
    assert answer[ids.URL]["search"] == "?grid=T1111"
    assert answer[ids.INCIDENT_DETAIL]["children"] == []


def test_unknown_incident_clears_the_detail(client):
    click = {"points": [{"curveNumber": 4, "customdata": "no-such-id"}]}
    assert response_of(detail(client, click))[ids.INCIDENT_DETAIL]["children"] == []


def test_navigation_clears_the_detail_in_the_maps_answer(client, app):
    # The detail no longer follows the URL in a callback of its own: the step (or the back
    # button's URL) clears it in the map's one answer.
    district = app.server.extensions["gridmap"].district
    click = {"points": [{"curveNumber": 0, "location": district.key_of["T12"]}]}
    drill = map_call(client, "?grid=T1", [f"{ids.MAP_GRAPH}.clickData"], click=click, filters=MARCH)
    assert response_of(drill)[ids.INCIDENT_DETAIL]["children"] == []
    back = map_call(client, "?grid=T1", [f"{ids.URL}.search"], filters=MARCH)
    assert response_of(back)[ids.INCIDENT_DETAIL]["children"] == []
    view = map_call(client, "?grid=T1", [f"{ids.VIEW_SELECT}.value"], view="level-5", filters=MARCH)
    assert response_of(view)[ids.INCIDENT_DETAIL]["children"] == []
    # A toggle or a filter change is no navigation: the detail stays.
    for changed in (ids.LAYER_CHECKLIST + ".value", ids.FILTERS_STORE + ".data"):
        answer = map_call(client, "?grid=T1", [changed], layers=("posts",), filters=MARCH)
        assert ids.INCIDENT_DETAIL not in response_of(answer)
    # The first load has nothing to clear.
    assert ids.INCIDENT_DETAIL not in response_of(map_call(client, "", [], filters=MARCH))


# -- navigation -----------------------------------------------------------------------------
def child_key(grid_id: str) -> str:
    return json.dumps(ids.stats_child(grid_id), sort_keys=True, separators=(",", ":"))


def navigate(client, search, changed, click=None):
    return map_call(client, search, [changed], click=click, view="drill")


def test_stats_child_rows_link_to_their_grid(client, store):
    # A row is a link to the grid's URL, back to drilling (the map draws that URL as any
    # other: inside the reader's scope); nothing listens to the rows themselves.
    version = store.version()
    panel = response_of(statistics(client, "", version=version))[ids.STATS_PANEL]["children"]
    assert links(panel) == {"T1": "?grid=T1", "T2": "?grid=T2"}
    panel = response_of(statistics(client, "?grid=T11&view=level-5", version=version))
    expected = {"T111": "?grid=T111", "T112": "?grid=T112"}
    assert links(panel[ids.STATS_PANEL]["children"]) == expected


@pytest.mark.parametrize("curve", [3, 4])
def test_clicks_on_heat_or_incidents_do_not_navigate(client, curve):
    click = {"points": [{"curveNumber": curve, "customdata": "a", "lon": 114.81, "lat": 33.71}]}
    resp = navigate(client, "?grid=T111", f"{ids.MAP_GRAPH}.clickData", click=click)
    assert nav_result(resp).get("search", "?grid=T111") == "?grid=T111"


def test_a_short_window_has_a_daily_trend(client, store):
    # A playback week: seven daily bars, not a line between two weekly points.
    week = IncidentFilters("2025-03-05", "2025-03-11").key()
    panel = response_of(statistics(client, "", key=week, version=store.version()))[ids.STATS_PANEL][
        "children"
    ]
    figure = find(panel, "stats-trend")["props"]["figure"]
    (bars,) = figure["data"]
    assert bars["type"] == "bar" and len(bars["x"]) == 7
    assert figure["layout"]["title"]["text"] == "Trend (per day)"


# -- the statistics and dispatch figures in a step's one answer --------------------------------
def dispatch_figures(client, search, key=MARCH, lang="en", version=1):
    """Post the dispatch figures' callback as a filter change does, on the URL ``search``."""
    inputs = [
        (ids.FILTERS_STORE, "data", key),
        (ids.VERSION_STORE, "data", version),
        (ids.LANG_STORE, "data", lang),
    ]
    output = dependency_output(client, ids.DISPATCH_STATS, "children", ids.FILTERS_STORE)
    return call(client, [output], inputs, [(ids.URL, "search", search)])


@pytest.mark.parametrize("lang, rank", [("en", "count"), ("zh", "per_1000")])
def test_a_drill_answers_the_new_grids_statistics(client, app, store, lang, rank):
    district = app.server.extensions["gridmap"].district
    version = store.version()
    click = {"points": [{"curveNumber": 0, "location": district.key_of["T11"]}]}
    kwargs = dict(filters=MARCH, version=version, lang=lang, rank=rank)
    answer = response_of(
        map_call(client, "?grid=T1", [f"{ids.MAP_GRAPH}.clickData"], click=click, **kwargs)
    )
    assert answer[ids.URL]["search"] == "?grid=T11"
    panel = answer[ids.STATS_PANEL]["children"]
    # The new grid's panel (its own total and child rows, not its parent's) ...
    assert tile(panel, "total")[1] == "3"  # a, b, c lie in T11 (d in T2)
    assert find(panel, ids.stats_child("T111")) is not None
    assert find(panel, ids.stats_child("T11")) is None  # a row of T1's panel
    # ... equal to what the statistics and dispatch callbacks answer for that URL.
    alone = statistics(client, "?grid=T11", lang=lang, rank=rank, version=version)
    assert panel == response_of(alone)[ids.STATS_PANEL]["children"]
    figures = response_of(dispatch_figures(client, "?grid=T11", lang=lang, version=version))
    assert answer[ids.DISPATCH_STATS]["children"] == figures[ids.DISPATCH_STATS]["children"]
    assert answer[ids.DISPATCH_STATS]["children"] != []


@pytest.mark.parametrize(
    "search, changed, kwargs",
    [
        ("?grid=T11", f"{ids.UP_BUTTON}.n_clicks", dict(up=1)),
        ("?grid=T1", f"{ids.SEARCH_DROPDOWN}.value", dict(found="T11")),
        ("?grid=T11", f"{ids.URL}.search", {}),  # the back button, a deep link
        ("?grid=T11", None, {}),  # the first load
        ("?grid=T11", [f"{ids.MAP_SIZE_STORE}.data", f"{ids.URL}.search"], {}),  # as a browser
    ],
)
def test_every_step_answers_the_statistics_of_its_grid(client, store, search, changed, kwargs):
    version = store.version()
    changes = changed if isinstance(changed, list) else [changed] if changed else []
    answer = response_of(
        map_call(client, search, changes, filters=MARCH, version=version, **kwargs)
    )
    shown = answer.get(ids.URL, {}).get("search", search)
    alone = response_of(statistics(client, shown, version=version))[ids.STATS_PANEL]["children"]
    assert answer[ids.STATS_PANEL]["children"] == alone != []
    figures = response_of(dispatch_figures(client, shown, version=version))
    assert answer[ids.DISPATCH_STATS]["children"] == figures[ids.DISPATCH_STATS]["children"]


@pytest.mark.parametrize(
    "changed, kwargs",
    [
        (f"{ids.LAYER_CHECKLIST}.value", dict(layers=("roads",))),
        (f"{ids.MAP_SIZE_STORE}.data", dict(size=[800, 600])),  # a resize alone
        (f"{ids.METRIC_SELECT}.value", dict(metric="population")),
        (f"{ids.LANG_STORE}.data", dict(lang="zh")),  # the statistics callback answers it
        (f"{ids.FILTERS_STORE}.data", {}),  # so does a filter change
        (f"{ids.VIEW_SELECT}.value", dict(view="level-5")),  # the same grid, another view
        (f"{ids.UP_BUTTON}.n_clicks", dict(up=1)),  # at the top: nowhere to go
    ],
)
def test_a_toggle_does_not_resend_the_statistics(client, store, changed, kwargs):
    search = "?grid=T1" if "view" in kwargs else ""
    answer = map_call(client, search, [changed], filters=MARCH, version=store.version(), **kwargs)
    body = {} if answer.status_code == 204 else response_of(answer)
    assert ids.STATS_PANEL not in body and ids.DISPATCH_STATS not in body
    if {"layers", "metric", "size"} & set(kwargs):
        assert ids.MAP_GRAPH in body  # the map itself was answered


def test_a_forged_ranking_is_a_400_naming_the_field(client, store):
    step = map_call(client, "?grid=T1", [f"{ids.URL}.search"], filters=MARCH, rank="rate")
    alone = statistics(client, "?grid=T1", rank="rate", version=store.version())
    for answer in (step, alone):
        assert answer.status_code == 400
        assert "stats-rank" in answer.get_data(as_text=True)


@pytest.mark.parametrize("search", ["", "?grid=T11", "?grid=T1112"])
def test_a_store_too_large_to_hold_answers_the_same_panels_from_the_database(
    client, app, store, monkeypatch, search
):
    # Up to MAX_ROWS incidents the panels are read from the worker's snapshot (arrays); above
    # it they are queried. Both answers must be the same panel, figure for figure.
    from gridmap.incidents import snapshot
    from web.cache import cache
    from web.local_memo import clear_local_memos

    def answers():
        with app.server.app_context():
            cache.clear()
        clear_local_memos(app.server)
        version = store.version()
        panel = response_of(statistics(client, search, version=version))[ids.STATS_PANEL]
        figures = response_of(dispatch_figures(client, search, version=version))
        return panel["children"], figures[ids.DISPATCH_STATS]["children"]

    held = answers()
    monkeypatch.setattr(snapshot, "MAX_ROWS", 0)
    queried = answers()
    assert held == queried
    assert held[0] != [] and held[1] != []
