"""The map page's steps (callbacks/render.py) through the Flask test client."""

from __future__ import annotations

import pytest

from tests.dash_http import (
    crumb_ids,
    find_component,
    grids_of,
    links,
    map_call,
    nav_result,
    navigate,
    operations,
    render,
    response_of,
    texts,
)
from ui import ids


@pytest.fixture(scope="module")
def district(tiny_app):
    return tiny_app.server.extensions["gridmap"].district


def test_click_on_grid_drills(client, district):
    # A click gives the feature's location: the grid's short key, not its id.
    click = {"points": [{"curveNumber": 0, "location": district.key_of["T2"], "z": 1.0}]}
    resp = navigate(client, "", "map-graph.clickData", click=click)
    assert nav_result(resp) == {"search": "?grid=T2"}
    click = {"points": [{"curveNumber": 0, "location": district.key_of["T21"]}]}
    resp = navigate(client, "?grid=T2", "map-graph.clickData", click=click)
    assert nav_result(resp) == {"search": "?grid=T21"}


def test_click_keeps_whole_level_view(client, district):
    click = {"points": [{"curveNumber": 0, "location": district.key_of["T2222"]}]}
    resp = navigate(client, "?view=level-5", "map-graph.clickData", click=click, view="level-5")
    assert nav_result(resp) == {"search": "?grid=T2222&view=level-5"}


@pytest.mark.parametrize(
    ("search", "post", "expected"),
    [
        ("", "P1", "?grid=T1"),  # district: townships shown
        ("", "P3", "?grid=T2"),
        ("?grid=T2", "P2", "?grid=T21"),  # township: villages shown
        ("?grid=T2", "P3", "?grid=T22"),
        ("?grid=T2222", "P3", "?grid=T2222"),  # already the grid under the post: no change
    ],
)
def test_click_on_post_selects_grid_under_it(client, search, post, expected):
    click = {"points": [{"curveNumber": 2, "customdata": post, "lon": 0, "lat": 0}]}
    resp = navigate(client, search, "map-graph.clickData", click=click)
    if expected == search:
        assert nav_result(resp) == {}  # nothing to update
    else:
        assert nav_result(resp) == {"search": expected}


@pytest.mark.parametrize(
    "click",
    [
        {"points": [{"curveNumber": 0, "location": "NOPE"}]},
        {"points": [{"curveNumber": 2, "customdata": "P9"}]},
        {"points": []},
        None,
    ],
)
def test_click_on_nothing_known_does_nothing(client, click):
    resp = navigate(client, "?grid=T1", "map-graph.clickData", click=click)
    assert nav_result(resp) == {}


@pytest.mark.parametrize("location", ["zz", "T2"])
def test_click_on_unknown_key_selects_nothing(client, district, location):
    # "zz" is no grid's key; "T2" is a grid id, which a click no longer carries.
    assert location not in district.grid_of_key
    for search in ("", "?grid=T1", "?view=level-5"):
        click = {"points": [{"curveNumber": 0, "location": location}]}
        resp = navigate(client, search, "map-graph.clickData", click=click)
        assert nav_result(resp) == {}, search


def test_breadcrumb_links_drill_at_their_grid(client, district):
    # The breadcrumb's steps are links to their grid's URL (the district's a bare "?"); the
    # map draws the URL they lead to, back to drilling from a whole level.
    body = render(client, "?grid=T111&view=level-5")
    assert links(body[ids.BREADCRUMB]["children"]) == {
        "T": "?",
        "T1": "?grid=T1",
        "T11": "?grid=T11",
    }
    # Followed: a URL change while the selector still shows the whole level. The selector is
    # told (Dash does not rerun this callback for its own output, so it would keep the level).
    followed = map_call(client, "?grid=T1", [f"{ids.URL}.search"], view="level-5")
    assert nav_result(followed) == {"view": "drill"}
    ops = operations(response_of(followed))
    assert grids_of(district, ops[("data", 0, "locations")]) == ["T11", "T12"]
    # The district's link: the browser's search of "/?" is empty, the district drawn.
    top = operations(render(client, ""))
    assert grids_of(district, top[("data", 0, "locations")]) == ["T1", "T2"]


def test_no_callback_listens_to_the_links(client):
    # Pattern-matched inputs on the breadcrumb or the ranking rows made each drill's new
    # links trigger a round trip of their own: they are links, and nothing listens to them.
    specs = client.get("/_dash-dependencies").get_json()
    for spec in specs:
        for item in spec["inputs"]:
            assert not isinstance(item["id"], dict) or item["id"].get("type") not in (
                "nav-crumb",
                "stats-child",
            ), spec["output"]


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("?grid=T1111", {"search": "?grid=T111"}),
        ("?grid=T11", {"search": "?grid=T1"}),
        ("?grid=T1", {"search": ""}),
        ("?grid=T", {"search": ""}),
        ("?grid=T1&view=level-5", {"search": "", "view": "drill"}),
        ("?grid=T111&view=level-3", {"search": "?grid=T11", "view": "drill"}),
        ("?view=level-5", {"search": "", "view": "drill"}),
        ("", {}),  # the district, drilling: nowhere to go
    ],
)
def test_up_button(client, search, expected):
    resp = navigate(client, search, "nav-up-button.n_clicks", up=1)
    assert nav_result(resp) == expected


def test_up_from_unknown_grid_clears_it(client):
    resp = navigate(client, "?grid=NOPE", "nav-up-button.n_clicks", up=1)
    assert nav_result(resp) == {"search": ""}


def test_search_selection_navigates(client):
    resp = navigate(client, "?view=level-3", "nav-search-dropdown.value", found="T2112")
    assert nav_result(resp) == {"search": "?grid=T2112", "view": "drill"}
    resp = navigate(client, "?grid=T1", "nav-search-dropdown.value", found="T2112")
    assert nav_result(resp) == {"search": "?grid=T2112"}
    resp = navigate(client, "?grid=T1", "nav-search-dropdown.value", found="NOPE")
    assert nav_result(resp) == {}
    resp = navigate(client, "?grid=T1", "nav-search-dropdown.value", found=None)
    assert nav_result(resp) == {}


@pytest.mark.parametrize(
    ("search", "view", "expected"),
    [
        ("?grid=T1", "level-4", {"search": "?grid=T1&view=level-4"}),
        ("?view=level-4", "drill", {"search": ""}),
        ("", "level-5", {"search": "?view=level-5"}),
        ("?grid=T12&view=level-5", None, {"search": "?grid=T12", "view": "drill"}),  # cleared
    ],
)
def test_view_change(client, search, view, expected):
    resp = navigate(client, search, "map-view-select.value", view=view)
    assert nav_result(resp) == expected


@pytest.mark.parametrize(
    ("search", "view"),
    [("?grid=T1&view=level-4", "level-4"), ("?grid=T1", "drill"), ("?view=bogus", "drill")],
)
def test_url_change_updates_view_selector(client, search, view):
    resp = navigate(client, search, "nav-url.search", view="level-5")
    assert nav_result(resp) == {"view": view}


@pytest.mark.parametrize(
    ("search", "disabled"),
    [("", True), ("?grid=NOPE", True), ("?view=level-5", True), ("?grid=T1", False)],
)
def test_up_is_inactive_at_the_top(client, search, disabled):
    # The button's state goes out with the URL's map: a URL change, the first load or a step.
    # The map's size alone (a resize) is no URL change: the button is left alone.
    resize = map_call(client, search, [f"{ids.MAP_SIZE_STORE}.data"], size=[800, 600])
    assert ids.UP_BUTTON not in response_of(resize)
    load = [f"{ids.MAP_SIZE_STORE}.data", f"{ids.URL}.search"]  # a browser's first load
    for changed in ([f"{ids.URL}.search"], [], load):
        resp = map_call(client, search, changed)
        assert response_of(resp)[ids.UP_BUTTON]["disabled"] is disabled


def test_a_step_answers_the_up_buttons_state(client):
    up = navigate(client, "?grid=T1", f"{ids.UP_BUTTON}.n_clicks", up=1)
    assert response_of(up)[ids.UP_BUTTON]["disabled"] is True  # to the district: the top
    down = navigate(client, "", f"{ids.SEARCH_DROPDOWN}.value", found="T11")
    assert response_of(down)[ids.UP_BUTTON]["disabled"] is False
    # A toggle is no step: the button is left alone.
    toggle = map_call(client, "?grid=T1", [f"{ids.LAYER_CHECKLIST}.value"], layers=("roads",))
    assert ids.UP_BUTTON not in response_of(toggle)


def test_layer_choice_survives_a_deep_link(client):
    # The layer checklist persists in the browser: opening /?grid=... keeps the reader's layers.
    layout = client.get("/_dash-layout").get_json()
    checklist = find_component(layout, ids.LAYER_CHECKLIST)
    assert checklist["props"]["persistence"] is True
    assert checklist["props"]["persistence_type"] == "local"


def test_a_step_answers_with_what_its_url_shows(client, district):
    # One round trip per step: the click's answer holds the new URL *and* the map, breadcrumb
    # and panel of that URL (no second request for the URL's render).
    click = {"points": [{"curveNumber": 0, "location": district.key_of["T2"]}]}
    body = response_of(navigate(client, "", "map-graph.clickData", click=click))
    assert body[ids.URL]["search"] == "?grid=T2"
    ops = operations(body)
    assert grids_of(district, ops[("data", 0, "locations")]) == ["T21", "T22"]
    assert ops[("layout", "uirevision")] == "T2"
    assert crumb_ids(body[ids.BREADCRUMB]["children"]) == ["T"]
    # The same as the URL's own render (a back button or deep link to it).
    by_url = render(client, "?grid=T2")
    assert ops == operations(by_url)
    assert texts(body[ids.DETAIL_PANEL]["children"]) == texts(by_url[ids.DETAIL_PANEL]["children"])


def test_up_answers_with_the_map(client, district):
    body = response_of(navigate(client, "?grid=T11", "nav-up-button.n_clicks", up=1))
    assert body[ids.URL]["search"] == "?grid=T1"
    assert operations(body)[("layout", "uirevision")] == "T1"
