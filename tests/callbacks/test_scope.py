"""The main map's callbacks keep a scoped reader inside their grids, over HTTP as the browser posts.

demo-township sees township T1 of the tiny district (tests/conftest.py); demo-commander sees it
all. The app holds the INCIDENTS of tests/incident_fixtures.py (a, b, c in T1; d in T2) and one
more in T2, ``z``, with a description, reporter and unit. For every callback of the page, nothing
of T2 (grids, names, incidents, counts, descriptions, positions) reaches the township officer.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime

import pytest

from gridmap.incidents.filters import IncidentFilters
from tests.auth_support import signed_in
from tests.callbacks.incident_support import find, strings, unchanged
from tests.dash_http import (
    call,
    crumb_ids,
    dependency_output,
    find_component,
    grids_of,
    incident_click,
    nav_result,
    navigate,
    operations,
    overlay_call,
    render,
    response_of,
)
from tests.incident_fixtures import INCIDENTS, incident
from ui import ids

MARCH = IncidentFilters("2025-03-01", "2025-03-31").key()
SECRET = incident(
    "z",
    "T2111",
    114.8425,
    33.7025,
    reported_at=datetime(2025, 3, 20, tzinfo=UTC),
    description="T2 secret description",
    reporter="T2 secret reporter",
    unit='=HYPERLINK("http://evil","T2 unit")',
)
HEAT, POINTS = 3, 4  # trace indexes of the overlays
URL_CHANGED = f"{ids.URL}.search"


@pytest.fixture(scope="module")
def app(make_tiny_app):
    dash_app = make_tiny_app()
    dash_app.server.extensions["gridmap"].incident_store.insert([*INCIDENTS, SECRET])
    return dash_app


@pytest.fixture(scope="module")
def district(app):
    return app.server.extensions["gridmap"].district


@pytest.fixture(scope="module")
def version(app):
    return app.server.extensions["gridmap"].incident_store.version()


@pytest.fixture()
def township(app):
    return signed_in(app, "demo-township")


@pytest.fixture()
def commander(app):
    return signed_in(app, "demo-commander")


def t2_words(district) -> list[str]:
    """Return what must never reach T1's officer: T2's ids (quoted), names, z's fields."""
    grids = [g for g in district.grids.index if g.startswith("T2")]
    words = [f'"{g}"' for g in grids]
    for g in grids:
        rec = district.record(g)
        words += [rec["name_en"], rec["name_zh"]]
    words += ["10,000", "T2 secret", "evil", "114.8425", "114.8725"]
    return words


def assert_no_t2(district, payload) -> None:
    text = json.dumps(payload, ensure_ascii=False)
    leaked = [w for w in t2_words(district) if w in text]
    assert not leaked, leaked


# -- render: drill, deep link, whole level ---------------------------------------------------
def test_the_township_opens_on_its_own_grid(township, commander, district):
    body = render(township, "")
    assert_no_t2(district, body)
    ops = operations(body)
    assert grids_of(district, ops[("data", 0, "locations")]) == ["T11", "T12"]
    assert crumb_ids(body[ids.BREADCRUMB]["children"]) == []  # T1 is the top: no button
    assert strings(body[ids.BREADCRUMB]["children"]) == ["Dong Town 1"]
    # The same inputs signed in as the commander: the district (memo keys hold the scope).
    ops = operations(render(commander, ""))
    assert grids_of(district, ops[("data", 0, "locations")]) == ["T1", "T2"]


@pytest.mark.parametrize(
    "search", ["?grid=T2", "?grid=T21", "?grid=T2222", "?grid=T", "?grid=T2&view=level-5"]
)
def test_a_deep_link_outside_shows_the_explained_empty_state(township, district, search):
    body = render(township, search)
    assert_no_t2(district, body)
    panel = body[ids.DETAIL_PANEL]["children"]
    assert find(panel, ids.SCOPE_MESSAGE) is not None
    assert strings(panel)[0] == "Outside your area"
    assert "Dong Town 1" in strings(panel)[1]  # what they may see instead
    assert find(panel, "detail-population-value") is None  # no figures
    ops = operations(body)
    assert grids_of(district, ops[("data", 0, "locations")]) == ["T11", "T12"]
    zh = render(township, search, lang="zh")[ids.DETAIL_PANEL]["children"]
    assert strings(zh)[0] == "不在您的管辖范围内"


def test_the_commander_follows_the_same_deep_link(commander, district):
    body = render(commander, "?grid=T2")
    assert grids_of(district, operations(body)[("data", 0, "locations")]) == ["T21", "T22"]
    assert "10,000 people" in strings(body[ids.DETAIL_PANEL]["children"])


def test_inside_the_scope_the_breadcrumb_starts_at_the_root(township, district):
    body = render(township, "?grid=T111")
    assert crumb_ids(body[ids.BREADCRUMB]["children"]) == ["T1", "T11"]
    assert "Outside your area" not in strings(body[ids.DETAIL_PANEL]["children"])


@pytest.mark.parametrize("metric", ["population", "incidents", "incidents-per-1000"])
def test_whole_level_views_show_only_the_township(township, district, metric, version):
    body = render(township, "?view=level-5", metric=metric, filters=MARCH, version=version)
    assert_no_t2(district, body)
    ops = operations(body)
    shown = grids_of(district, ops[("data", 0, "locations")])
    assert shown == [g for g in district.level_ids(5) if g.startswith("T1")]
    if metric == "incidents":
        assert sum(ops[("data", 0, "z")]) == 3  # a, b, c: not d or z


def test_incident_counts_per_grid_stay_inside(township, commander, district, version):
    kwargs = {"metric": "incidents", "filters": MARCH, "version": version}
    ops = operations(render(township, "?view=level-2", **kwargs))
    assert grids_of(district, ops[("data", 0, "locations")]) == ["T1"]
    assert ops[("data", 0, "z")] == [3]
    ops = operations(render(commander, "?view=level-2", **kwargs))
    assert ops[("data", 0, "z")] == [3, 2]


# -- navigation: drill, up, breadcrumb, ranking, search ---------------------------------------
def test_steps_outside_the_scope_change_nothing(township, district):
    key = district.key_of
    click = {"points": [{"curveNumber": 0, "location": key["T2"]}]}
    assert (
        nav_result(navigate(township, "?grid=T1", f"{ids.MAP_GRAPH}.clickData", click=click)) == {}
    )
    assert nav_result(navigate(township, "?grid=T1", f"{ids.UP_BUTTON}.n_clicks", up=1)) == {}
    assert nav_result(navigate(township, "", f"{ids.UP_BUTTON}.n_clicks", up=1)) == {}
    searched = navigate(township, "?grid=T1", f"{ids.SEARCH_DROPDOWN}.value", found="T21")
    assert nav_result(searched) == {}


def test_steps_inside_the_scope_work(township, commander, district):
    click = {"points": [{"curveNumber": 0, "location": district.key_of["T12"]}]}
    assert nav_result(navigate(township, "", f"{ids.MAP_GRAPH}.clickData", click=click)) == {
        "search": "?grid=T12"
    }
    up = navigate(township, "?grid=T11", f"{ids.UP_BUTTON}.n_clicks", up=1)
    assert nav_result(up)["search"] == "?grid=T1"
    found = navigate(township, "?grid=T1", f"{ids.SEARCH_DROPDOWN}.value", found="T122")
    assert nav_result(found)["search"] == "?grid=T122"
    # The commander goes anywhere, up to the district.
    assert nav_result(navigate(commander, "?grid=T1", f"{ids.UP_BUTTON}.n_clicks", up=1)) == {
        "search": ""
    }
    searched = navigate(commander, "?grid=T1", f"{ids.SEARCH_DROPDOWN}.value", found="T21")
    assert nav_result(searched)["search"] == "?grid=T21"


def up_disabled(client, search):
    return render(client, search)[ids.UP_BUTTON]["disabled"]


def test_up_is_disabled_at_the_top(township, commander):
    assert up_disabled(township, "") is True
    assert up_disabled(township, "?grid=T1") is True
    assert up_disabled(township, "?grid=T2") is True
    assert up_disabled(township, "?grid=T11") is False
    assert up_disabled(commander, "") is True
    assert up_disabled(commander, "?grid=T1") is False


def suggest(client, query, value=None):
    resp = call(
        client,
        [(ids.SEARCH_DROPDOWN, "options")],
        [(ids.SEARCH_DROPDOWN, "search_value", query), (ids.LANG_STORE, "data", "en")],
        [(ids.SEARCH_DROPDOWN, "value", value)],
    )
    return response_of(resp)[ids.SEARCH_DROPDOWN]["options"]


@pytest.mark.parametrize("query", ["Dong Town 2", "T2", "东镇2", "Lizhuang Village 21", "T2222"])
def test_search_lists_nothing_outside(township, commander, district, query):
    assert suggest(township, query) == []
    assert suggest(commander, query) != []


def test_search_lists_the_townships_own_grids(township, district):
    options = suggest(township, "dong", value="T21")
    assert [o["value"] for o in options] == ["T1"]
    assert_no_t2(district, options)


# -- incidents: overlays, statistics, CSV, detail -----------------------------------------------
def overlays(client, search, layers=("heat", "incidents"), version=1):
    """Return the overlay changes the render callback sends for a URL change."""
    resp = overlay_call(client, search, MARCH, layers, "en", None, version, changed=URL_CHANGED)
    return operations(response_of(resp))


@pytest.mark.parametrize(("search", "total"), [("", 3), ("?grid=T1", 3), ("?view=level-5", 3)])
def test_heat_counts_only_the_townships_incidents(township, commander, search, total):
    ops = overlays(township, search)
    assert sum(ops[("data", HEAT, "z")]) == total
    assert all(x < 114.84 for x in ops[("data", HEAT, "lon")])  # T1 is the western half
    assert sum(overlays(commander, "?view=level-5")[("data", HEAT, "z")]) == 5


def test_points_are_the_townships_own(township, commander, district):
    ops = overlays(township, "?grid=T111")
    assert ops[("data", POINTS, "customdata")] == ["c", "b", "a"]
    home = overlays(township, "")
    assert sum(home[("data", HEAT, "z")]) == 3
    for search in ("?grid=T2", "?grid=T222", "?grid=T211"):
        # A link outside draws the officer's own township, with its own heat, as on a plain visit.
        ops = overlays(township, search)
        assert ops == home
        assert_no_t2(district, list(ops.values()))
    ops = overlays(commander, "?grid=T211")
    assert ops[("data", POINTS, "customdata")] == ["z"]


def statistics(client, search, version, lang="en"):
    inputs = [
        (ids.FILTERS_STORE, "data", MARCH),
        (ids.VERSION_STORE, "data", version),
        (ids.LANG_STORE, "data", lang),
        (ids.STATS_RANK, "value", "count"),
    ]
    output = dependency_output(client, ids.STATS_PANEL, "children", ids.STATS_RANK)
    return call(client, [output], inputs, [(ids.URL, "search", search)])


def test_statistics_and_ranking_stay_inside(township, commander, district, version):
    panel = response_of(statistics(township, "", version))[ids.STATS_PANEL]["children"]
    assert_no_t2(district, panel)
    assert strings(find(panel, "stats-total")) == ["Total", "3"]
    assert find(panel, ids.stats_child("T11")) is not None
    assert find(panel, ids.stats_child("T2")) is None
    for search in ("?grid=T2", "?grid=T", "?grid=T2111"):
        panel = response_of(statistics(township, search, version))[ids.STATS_PANEL]["children"]
        assert panel == []
    panel = response_of(statistics(commander, "", version))[ids.STATS_PANEL]["children"]
    assert strings(find(panel, "stats-total")) == ["Total", "5"]
    assert find(panel, ids.stats_child("T2")) is not None


def export(client, search, version):
    return call(
        client,
        [(ids.STATS_DOWNLOAD, "data")],
        [(ids.STATS_EXPORT, "n_clicks", 1)],
        [
            (ids.URL, "search", search),
            (ids.FILTERS_STORE, "data", MARCH),
            (ids.VERSION_STORE, "data", version),
            (ids.LANG_STORE, "data", "en"),
            (ids.STATS_RANK, "value", "count"),
        ],
    )


def test_the_csv_export_stays_inside(township, commander, district, version):
    data = response_of(export(township, "", version))[ids.STATS_DOWNLOAD]["data"]
    assert data["filename"] == "incidents-T1.csv"
    assert_no_t2(district, data)
    rows = list(csv.reader(io.StringIO(data["content"].lstrip("\ufeff"))))
    assert rows[0] == ["grid", "T1", "Dong Town 1"] and ["total", "3"] in rows
    for search in ("?grid=T2", "?grid=T"):
        assert unchanged(export(township, search, version))
    data = response_of(export(commander, "", version))[ids.STATS_DOWNLOAD]["data"]
    assert ["total", "5"] in list(csv.reader(io.StringIO(data["content"].lstrip("\ufeff"))))


def detail(client, incident_id, search="?grid=T111"):
    click = {"points": [{"curveNumber": POINTS, "pointNumber": 0, "customdata": incident_id}]}
    return incident_click(client, click, search)


def test_the_detail_of_an_incident_outside_is_unknown(township, commander, district):
    for incident_id in ("z", "d"):
        children = response_of(detail(township, incident_id))[ids.INCIDENT_DETAIL]["children"]
        unknown = response_of(detail(township, "no-such-id"))[ids.INCIDENT_DETAIL]["children"]
        assert children == unknown == []
    assert "a" in strings(response_of(detail(township, "a"))[ids.INCIDENT_DETAIL]["children"])
    shown = strings(response_of(detail(commander, "z"))[ids.INCIDENT_DETAIL]["children"])
    assert "T2 secret description" in shown


# -- the page itself --------------------------------------------------------------------------
def test_the_layout_names_the_user_and_holds_only_their_grids(township, district):
    assert township.get("/").status_code == 200
    layout = township.get("/_dash-layout").get_json()
    assert find_component(layout, ids.USER_NAME)["props"]["children"] == "demo-township"
    role = find_component(layout, ids.text("role-township"))
    assert role["props"]["children"] == "Township officer"
    sign_out = find_component(layout, ids.text("sign-out"))
    assert sign_out["props"]["href"] == "/logout" and sign_out["props"]["children"] == "Sign out"
    figure = find_component(layout, ids.MAP_GRAPH)["props"]["figure"]
    assert grids_of(district, figure["data"][0]["locations"]) == ["T11", "T12"]
    assert_no_t2(district, figure)


def test_the_commanders_header(commander):
    layout = commander.get("/_dash-layout").get_json()
    assert find_component(layout, ids.USER_NAME)["props"]["children"] == "demo-commander"
    assert find_component(layout, ids.text("role-commander"))["props"]["children"] == (
        "Command centre"
    )


def test_a_planner_sees_counts_and_heat_but_no_single_incident(app):
    planner = signed_in(app, "demo-planner")
    ops = overlays(planner, "?grid=T111")
    assert ops[("data", POINTS, "visible")] is False
    assert ("data", POINTS, "customdata") not in ops
    assert ops[("data", HEAT, "visible")] is True
    assert response_of(detail(planner, "a"))[ids.INCIDENT_DETAIL]["children"] == []
