"""Incident callbacks of the main map, posted over HTTP the way the browser posts them.

The app runs on the tiny district (tests/conftest.py) with its own SQLite database holding
the incidents of tests/test_incident_map_domain.py: in March 2025, a and b in T1111 (100
people), c in T1112 (200 people), d in T2222; e in T1111 in June.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from gridmap.incidents.filters import IncidentFilters
from tests.dash_http import call, response_of
from tests.incident_fixtures import INCIDENTS, incident
from tests.test_callbacks import nav_result, operations, render
from ui import ids

MARCH = IncidentFilters("2025-03-01", "2025-03-31").key()
FILTER_OUTPUTS = [
    (ids.FILTERS_STORE, "data"),
    (ids.TIME_SLIDER, "max"),
    (ids.WINDOW_LABEL, "children"),
]
PLAY_OUTPUTS = [
    (ids.PLAY_STORE, "data"),
    (ids.PLAY_INTERVAL, "disabled"),
    (ids.PLAY_BUTTON, "children"),
    (ids.TIME_SLIDER, "value"),
]
ALL_STATUSES = ["reported", "dispatched", "resolved", "closed"]


@pytest.fixture(scope="module")
def app(make_tiny_app):
    dash_app = make_tiny_app()
    dash_app.server.extensions["gridmap"].incident_store.insert(INCIDENTS)
    return dash_app


@pytest.fixture()
def client(app):
    return app.server.test_client()


@pytest.fixture(scope="module")
def store(app):
    return app.server.extensions["gridmap"].incident_store


@pytest.fixture(scope="module")
def overlay_prop(app) -> str:
    """Return ``figure@<hash>``: the overlays callback's duplicate map output."""
    deps = app.server.test_client().get("/_dash-dependencies").get_json()
    outputs = [d["output"] for d in deps if d["output"].startswith(f"{ids.MAP_GRAPH}.figure@")]
    assert len(outputs) == 1, outputs
    return outputs[0].split(".", 1)[1]


def unchanged(resp) -> bool:
    """Return whether a callback answer changed nothing (every output no_update)."""
    if resp.status_code == 204:
        return True
    return response_of(resp) == {}


def find(node, component_id):
    """Return the serialised component with ``component_id`` in a tree (None if absent)."""
    if isinstance(node, list):
        for child in node:
            found = find(child, component_id)
            if found is not None:
                return found
        return None
    if isinstance(node, dict) and "props" in node:
        if node["props"].get("id") == component_id:
            return node
        return find(node["props"].get("children"), component_id)
    return None


def strings(node) -> list[str]:
    """Return every string or number child of a serialised component tree."""
    if isinstance(node, str | int | float) and not isinstance(node, bool):
        return [str(node)]
    if isinstance(node, list):
        return [s for n in node for s in strings(n)]
    if isinstance(node, dict) and "props" in node:
        return strings(node["props"].get("children"))
    return []


# -- filters --------------------------------------------------------------------------------
def filters(client, start, end, categories=(), statuses=ALL_STATUSES, offset=0, play=None,
            step="week", lang="en", changed=None):  # fmt: skip
    inputs = [
        (ids.DATE_RANGE, "start_date", start),
        (ids.DATE_RANGE, "end_date", end),
        (ids.CATEGORY_SELECT, "value", list(categories)),
        (ids.STATUS_CHECKLIST, "value", statuses),
        (ids.TIME_SLIDER, "value", offset),
        (ids.PLAY_STORE, "data", play or {"playing": False}),
        (ids.STEP_RADIO, "value", step),
        (ids.LANG_STORE, "data", lang),
    ]
    out = response_of(call(client, FILTER_OUTPUTS, inputs, changed=changed))
    key = out[ids.FILTERS_STORE]["data"]
    return (
        IncidentFilters.from_key(key),
        out[ids.TIME_SLIDER]["max"],
        out[ids.WINDOW_LABEL]["children"],
    )


def test_filters_whole_range(client):
    chosen, last, label = filters(client, "2025-03-01", "2025-03-31")
    assert chosen == IncidentFilters("2025-03-01", "2025-03-31")
    assert chosen.statuses is None  # every status ticked means "all"
    assert last == 30
    assert label == "Showing 2025-03-01 to 2025-03-31"


def test_filters_swap_dates_and_cut_times(client):
    chosen, last, _ = filters(client, "2025-03-31T00:00:00", "2025-03-01T00:00:00")
    assert (chosen.start, chosen.end) == ("2025-03-01", "2025-03-31")
    assert last == 30
    # A one-day range still gives the slider a non-empty span.
    assert filters(client, "2025-03-05", "2025-03-05")[1] == 1


def test_filters_categories_sorted(client):
    chosen, _, _ = filters(client, "2025-03-01", "2025-03-31", categories=["security", "fire"])
    assert chosen.categories == ("fire", "security")


def test_filters_statuses_none_and_some(client):
    none, _, _ = filters(client, "2025-03-01", "2025-03-31", statuses=[])
    assert none.statuses == ()
    assert none.store_filters()["statuses"] == []
    some, _, _ = filters(client, "2025-03-01", "2025-03-31", statuses=["resolved", "reported"])
    assert some.statuses == ("reported", "resolved")
    every, _, _ = filters(client, "2025-03-01", "2025-03-31", statuses=None)
    assert every.statuses is None


def test_filters_playback_window(client):
    chosen, last, label = filters(
        client, "2025-03-01", "2025-03-31", offset=7, play={"playing": True}
    )
    assert (chosen.start, chosen.end) == ("2025-03-08", "2025-03-14")
    assert last == 30  # the slider spans the whole range, not the window
    assert label == "Showing 2025-03-08 to 2025-03-14"
    chosen, _, _ = filters(
        client, "2025-03-01", "2025-03-31", offset=0, play={"playing": True}, step="day"
    )
    assert (chosen.start, chosen.end) == ("2025-03-01", "2025-03-01")
    # Paused on a step (slider moved, not playing): still the window.
    chosen, _, _ = filters(client, "2025-03-01", "2025-03-31", offset=28)
    assert (chosen.start, chosen.end) == ("2025-03-29", "2025-03-31")


def test_filters_label_in_chinese(client):
    _, _, label = filters(client, "2025-03-01", "2025-03-31", lang="zh")
    assert label == "显示：2025-03-01 至 2025-03-31"


# -- play -----------------------------------------------------------------------------------
def play(client, changed, state, offset, last=30, step="week", lang="en"):
    inputs = [
        (ids.PLAY_BUTTON, "n_clicks", 1),
        (ids.PLAY_INTERVAL, "n_intervals", 1),
        (ids.LANG_STORE, "data", lang),
    ]
    states = [
        (ids.PLAY_STORE, "data", state),
        (ids.TIME_SLIDER, "value", offset),
        (ids.TIME_SLIDER, "max", last),
        (ids.STEP_RADIO, "value", step),
    ]
    out = response_of(call(client, PLAY_OUTPUTS, inputs, states, changed=[changed]))
    return (
        out[ids.PLAY_STORE]["data"]["playing"],
        out[ids.PLAY_INTERVAL]["disabled"],
        out[ids.PLAY_BUTTON]["children"],
        out[ids.TIME_SLIDER]["value"],
    )


CLICK = f"{ids.PLAY_BUTTON}.n_clicks"
TICK = f"{ids.PLAY_INTERVAL}.n_intervals"


def test_play_starts_from_the_first_day(client):
    assert play(client, CLICK, {"playing": False}, 12) == (True, False, "■ Stop", 0)


def test_play_stop_returns_to_the_whole_range(client):
    assert play(client, CLICK, {"playing": True}, 14) == (False, True, "▶ Play", 0)


@pytest.mark.parametrize(("step", "offset", "expected"), [("week", 7, 14), ("day", 7, 8)])
def test_tick_advances_by_step(client, step, offset, expected):
    assert play(client, TICK, {"playing": True}, offset, step=step) == (
        True,
        False,
        "■ Stop",
        expected,
    )


def test_tick_stops_at_the_end(client):
    # 28 + 7 runs past the last offset (30): stop and show the whole range again.
    assert play(client, TICK, {"playing": True}, 28) == (False, True, "▶ Play", 0)
    # Exactly on the last offset is still shown.
    assert play(client, TICK, {"playing": True}, 29, step="day")[3] == 30


def test_tick_while_paused_changes_nothing(client):
    assert play(client, TICK, {"playing": False}, 5) == (False, True, "▶ Play", 5)


def test_play_label_follows_language(client):
    assert play(client, f"{ids.LANG_STORE}.data", {"playing": False}, 0, lang="zh")[2] == "▶ 回放"


# -- refresh --------------------------------------------------------------------------------
def refresh(client, known):
    return call(
        client,
        [(ids.VERSION_STORE, "data")],
        [(ids.REFRESH_INTERVAL, "n_intervals", 3)],
        [(ids.VERSION_STORE, "data", known)],
    )


def test_refresh_only_when_the_version_changes(client, store):
    version = store.version()
    assert version > 0
    assert unchanged(refresh(client, version))  # no_update
    assert response_of(refresh(client, None))[ids.VERSION_STORE]["data"] == version
    # A new incident (in 2024: outside every range the other tests use) bumps the version.
    store.insert(
        [
            incident(
                "refresh-1", "T2222", 114.87, 33.77, reported_at=datetime(2024, 1, 5, tzinfo=UTC)
            )
        ]
    )
    new = response_of(refresh(client, version))[ids.VERSION_STORE]["data"]
    assert new == store.version() > version
    assert unchanged(refresh(client, new))


# -- overlays -------------------------------------------------------------------------------
def overlays(client, prop, search, key=MARCH, layers=("posts", "roads", "heat", "incidents"),
             lang="en", size=None, version=1):  # fmt: skip
    inputs = [
        (ids.URL, "search", search),
        (ids.FILTERS_STORE, "data", key),
        (ids.VERSION_STORE, "data", version),
        (ids.LAYER_CHECKLIST, "value", list(layers)),
        (ids.LANG_STORE, "data", lang),
        (ids.MAP_SIZE_STORE, "data", size),
    ]
    return call(client, [(ids.MAP_GRAPH, prop)], inputs, changed=[f"{ids.FILTERS_STORE}.data"])


@pytest.mark.parametrize(
    ("search", "total"),
    [("", 4), ("?grid=T1", 3), ("?grid=T111", 3), ("?grid=T1112", 3), ("?grid=T2", 1)],
)
def test_heat_counts_the_matching_incidents(client, overlay_prop, search, total):
    ops = operations(response_of(overlays(client, overlay_prop, search)))
    lon, lat, z = ops[("data", 3, "lon")], ops[("data", 3, "lat")], ops[("data", 3, "z")]
    assert len(lon) == len(lat) == len(z) > 0
    assert sum(z) == total
    assert ops[("data", 3, "visible")] is True
    assert 3 <= ops[("data", 3, "radius")] <= 40
    # Every bin centre lies in the district.
    assert all(114.80 <= x <= 114.88 for x in lon) and all(33.70 <= y <= 33.78 for y in lat)


def test_heat_follows_filters(client, overlay_prop):
    fire = IncidentFilters("2025-03-01", "2025-03-31", ("fire",)).key()
    ops = operations(response_of(overlays(client, overlay_prop, "", key=fire)))
    assert ops[("data", 3, "z")] == [1]
    assert ops[("data", 3, "lon")] == [pytest.approx(114.81225, abs=0.001)]
    nothing = IncidentFilters("2025-03-01", "2025-03-31", statuses=()).key()
    ops = operations(response_of(overlays(client, overlay_prop, "", key=nothing)))
    assert ops[("data", 3, "z")] == []
    year = IncidentFilters("2025-01-01", "2025-12-31").key()
    assert sum(operations(response_of(overlays(client, overlay_prop, "", key=year)))[
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
def test_points_at_level_4_and_deeper(client, overlay_prop, search, expected):
    ops = operations(response_of(overlays(client, overlay_prop, search)))
    assert ops[("data", 4, "customdata")] == expected
    assert ops[("data", 4, "visible")] is True
    by_id = {r["id"]: r for r in INCIDENTS}
    assert ops[("data", 4, "lon")] == [by_id[i]["lon"] for i in expected]
    assert ops[("data", 4, "lat")] == [by_id[i]["lat"] for i in expected]
    assert len(ops[("data", 4, "marker")]["color"]) == len(expected)
    assert len(ops[("data", 4, "text")]) == len(expected)


def test_point_hover_text(client, overlay_prop):
    ops = operations(response_of(overlays(client, overlay_prop, "?grid=T111")))
    assert ops[("data", 4, "text")][1] == "<b>Public security</b><br>Resolved · 2025-03-11 00:00"
    zh = operations(response_of(overlays(client, overlay_prop, "?grid=T111", lang="zh")))
    assert zh[("data", 4, "text")][1].startswith("<b>治安问题</b><br>已办结")


@pytest.mark.parametrize("search", ["", "?grid=T1", "?grid=T2", "?view=level-5", "?view=level-4"])
def test_no_points_above_level_4_or_in_whole_level_views(client, overlay_prop, search):
    ops = operations(response_of(overlays(client, overlay_prop, search)))
    assert ops[("data", 4, "visible")] is False
    assert ("data", 4, "customdata") not in ops
    assert ops[("data", 3, "visible")] is True


def test_overlays_hidden_when_unticked(client, overlay_prop):
    ops = operations(response_of(overlays(client, overlay_prop, "?grid=T111", layers=("posts",))))
    assert ops == {("data", 3, "visible"): False, ("data", 4, "visible"): False}
    ops = operations(response_of(overlays(client, overlay_prop, "?grid=T111", layers=("heat",))))
    assert ops[("data", 3, "visible")] is True and ops[("data", 4, "visible")] is False
    ops = operations(
        response_of(overlays(client, overlay_prop, "?grid=T111", layers=("incidents",)))
    )
    assert ops[("data", 3, "visible")] is False and ops[("data", 4, "customdata")] == [
        "c",
        "b",
        "a",
    ]


def test_overlays_wait_for_filters(client, overlay_prop):
    assert unchanged(overlays(client, overlay_prop, "?grid=T111", key=None))


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
    resp = call(
        client,
        [(ids.MAP_GRAPH, "figure"), (ids.BREADCRUMB, "children"), (ids.DETAIL_PANEL, "children")],
        [
            (ids.URL, "search", "?grid=T111"),
            (ids.LANG_STORE, "data", "en"),
            (ids.METRIC_SELECT, "value", "incidents"),
            (ids.LAYER_CHECKLIST, "value", ["posts"]),
            (ids.MAP_SIZE_STORE, "data", None),
            (ids.FILTERS_STORE, "data", None),
            (ids.VERSION_STORE, "data", None),
        ],
    )
    assert unchanged(resp)


@pytest.mark.parametrize("changed", [FILTERS_CHANGED, VERSION_CHANGED])
@pytest.mark.parametrize("metric", ["density", "population", "staff"])
def test_render_ignores_filters_and_version_for_other_metrics(client, store, changed, metric):
    resp = call(
        client,
        [(ids.MAP_GRAPH, "figure"), (ids.BREADCRUMB, "children"), (ids.DETAIL_PANEL, "children")],
        [
            (ids.URL, "search", "?grid=T111"),
            (ids.LANG_STORE, "data", "en"),
            (ids.METRIC_SELECT, "value", metric),
            (ids.LAYER_CHECKLIST, "value", ["posts"]),
            (ids.MAP_SIZE_STORE, "data", None),
            (ids.FILTERS_STORE, "data", MARCH),
            (ids.VERSION_STORE, "data", store.version()),
        ],
        changed=changed,
    )
    assert unchanged(resp)


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


# -- statistics and export ------------------------------------------------------------------
def statistics(client, search, key=MARCH, lang="en", rank="count", version=1):
    inputs = [
        (ids.URL, "search", search),
        (ids.FILTERS_STORE, "data", key),
        (ids.VERSION_STORE, "data", version),
        (ids.LANG_STORE, "data", lang),
        (ids.STATS_RANK, "value", rank),
    ]
    return call(client, [(ids.STATS_PANEL, "children")], inputs)


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
    lines = out["content"].splitlines()
    assert lines[0] == "grid,T,Test District"
    assert lines[1].startswith("filters,") and "," not in lines[1][len("filters,") :]
    assert {"total,4", "open,2", "resolved,2", "resolution_rate,0.5"} <= set(lines)
    assert {"trend", "categories", "children"} <= set(lines)
    children = lines[lines.index("children") + 1 :]
    header = children[0].split(",")
    assert "grid_id" in header and "count" in header
    rows = {r.split(",")[header.index("grid_id")]: r.split(",") for r in children[1:] if r}
    assert set(rows) == {"T1", "T2"}
    assert rows["T1"][header.index("count")] == "3"
    assert rows["T2"][header.index("count")] == "1"


# -- incident detail ------------------------------------------------------------------------
def detail(client, click, search="?grid=T111", lang="en", changed=None):
    return call(
        client,
        [(ids.INCIDENT_DETAIL, "children")],
        [(ids.MAP_GRAPH, "clickData", click), (ids.URL, "search", search)],
        [(ids.LANG_STORE, "data", lang)],
        changed=changed,
    )


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
        {"points": [{"curveNumber": 0, "location": "k1", "customdata": "T1111"}]},
        {"points": [{"curveNumber": 3, "lon": 114.81, "lat": 33.71}]},
        {"points": [{"curveNumber": 2, "customdata": "P1"}]},
        {"points": []},
        None,
    ],
)
def test_other_clicks_leave_the_detail(client, click):
    assert unchanged(detail(client, click))


def test_unknown_incident_and_navigation_clear_the_detail(client):
    click = {"points": [{"curveNumber": 4, "customdata": "no-such-id"}]}
    assert response_of(detail(client, click))[ids.INCIDENT_DETAIL]["children"] == []
    good = {"points": [{"curveNumber": 4, "customdata": "a"}]}
    cleared = detail(client, good, changed=[f"{ids.URL}.search"])
    assert response_of(cleared)[ids.INCIDENT_DETAIL]["children"] == []


# -- navigation -----------------------------------------------------------------------------
NAV_OUTPUTS = [(ids.URL, "search"), (ids.VIEW_SELECT, "value")]


def child_key(grid_id: str) -> str:
    return json.dumps(ids.stats_child(grid_id), sort_keys=True, separators=(",", ":"))


def navigate(client, search, changed, children=(), click=None):
    inputs = [
        (ids.MAP_GRAPH, "clickData", click),
        [],
        [(ids.stats_child(g), "n_clicks", n) for g, n in children],
        (ids.UP_BUTTON, "n_clicks", None),
        (ids.SEARCH_DROPDOWN, "value", None),
        (ids.VIEW_SELECT, "value", "drill"),
        (ids.URL, "search", search),
    ]
    return call(client, NAV_OUTPUTS, inputs, changed=[changed])


def test_stats_child_row_drills(client):
    resp = navigate(client, "", f"{child_key('T2')}.n_clicks", [("T1", None), ("T2", 1)])
    assert nav_result(resp) == {"search": "?grid=T2"}
    resp = navigate(
        client, "?grid=T11", f"{child_key('T112')}.n_clicks", [("T111", None), ("T112", 2)]
    )
    assert nav_result(resp) == {"search": "?grid=T112"}


def test_freshly_drawn_stats_rows_do_nothing(client):
    resp = navigate(client, "", f"{child_key('T1')}.n_clicks", [("T1", None), ("T2", None)])
    assert nav_result(resp) == {}


@pytest.mark.parametrize("curve", [3, 4])
def test_clicks_on_heat_or_incidents_do_not_navigate(client, curve):
    click = {"points": [{"curveNumber": curve, "customdata": "a", "lon": 114.81, "lat": 33.71}]}
    resp = navigate(client, "?grid=T111", f"{ids.MAP_GRAPH}.clickData", click=click)
    assert nav_result(resp).get("search", "?grid=T111") == "?grid=T111"


# -- translate ------------------------------------------------------------------------------
TRANSLATE_OUTPUTS = [
    (ids.CATEGORY_SELECT, "options"),
    (ids.CATEGORY_SELECT, "placeholder"),
    (ids.STATUS_CHECKLIST, "options"),
    (ids.STEP_RADIO, "options"),
    (ids.STATS_RANK, "options"),
    (ids.STATS_EXPORT, "children"),
]


@pytest.mark.parametrize(
    ("lang", "category", "placeholder", "status", "step", "rank", "export"),
    [
        ("en", "Neighbourhood disputes", "All categories", "Resolved", None, None, "Export CSV"),
        ("zh", "邻里纠纷", "全部类别", "已办结", None, None, "导出 CSV"),
    ],
)
def test_translate(client, lang, category, placeholder, status, step, rank, export):
    out = response_of(call(client, TRANSLATE_OUTPUTS, [(ids.LANG_STORE, "data", lang)]))
    categories = out[ids.CATEGORY_SELECT]["options"]
    assert categories[0] == {"label": category, "value": "neighbourhood"}
    assert len(categories) == 12
    assert out[ids.CATEGORY_SELECT]["placeholder"] == placeholder
    statuses = out[ids.STATUS_CHECKLIST]["options"]
    assert [o["value"] for o in statuses] == ALL_STATUSES
    assert statuses[2]["label"] == status
    assert [o["value"] for o in out[ids.STEP_RADIO]["options"]] == ["day", "week"]
    assert [o["value"] for o in out[ids.STATS_RANK]["options"]] == ["count", "per_1000"]
    assert out[ids.STATS_EXPORT]["children"] == export
    other = response_of(
        call(client, TRANSLATE_OUTPUTS, [(ids.LANG_STORE, "data", "zh" if lang == "en" else "en")])
    )
    assert other[ids.STEP_RADIO]["options"] != out[ids.STEP_RADIO]["options"]
    assert other[ids.STATS_RANK]["options"] != out[ids.STATS_RANK]["options"]
