"""Callbacks through the Flask test client, posted the way the browser posts them."""

from __future__ import annotations

import json

import pytest

from gridmap.i18n import TEXTS, t
from gridmap.views import url_state
from tests.dash_http import call, response_of
from ui import ids

RENDER_OUTPUTS = [
    (ids.MAP_GRAPH, "figure"),
    (ids.BREADCRUMB, "children"),
    (ids.DETAIL_PANEL, "children"),
]
NAV_OUTPUTS = [(ids.URL, "search"), (ids.VIEW_SELECT, "value")]


# -- helpers --------------------------------------------------------------------------------
def render(
    client,
    search,
    lang="en",
    metric="density",
    layers=("posts", "roads"),
    size=None,
    changed=None,
    filters=None,
    version=None,
):
    """Post the render callback (triggered by ``changed``, the URL by default)."""
    inputs = [
        (ids.URL, "search", search),
        (ids.LANG_STORE, "data", lang),
        (ids.METRIC_SELECT, "value", metric),
        (ids.LAYER_CHECKLIST, "value", list(layers)),
        (ids.MAP_SIZE_STORE, "data", size),
        (ids.FILTERS_STORE, "data", filters),
        (ids.VERSION_STORE, "data", version),
    ]
    return response_of(call(client, RENDER_OUTPUTS, inputs, changed=changed))


def operations(response) -> dict[tuple, object]:
    """Return the figure Patch as {location tuple: assigned value} (every op an Assign)."""
    patch = response[ids.MAP_GRAPH]["figure"]
    assert patch["__dash_patch_update"] == "__dash_patch_update"
    out = {}
    for op in patch["operations"]:
        assert op["operation"] == "Assign", op
        out[tuple(op["location"])] = op["params"]["value"]
    return out


def holds_geometry(value) -> bool:
    """Return whether ``value`` holds GeoJSON (coordinates or features) at any depth."""
    if isinstance(value, dict):
        if "coordinates" in value or "features" in value:
            return True
        return any(holds_geometry(v) for v in value.values())
    if isinstance(value, list):
        return any(holds_geometry(v) for v in value)
    return False


def texts(node) -> list[str]:
    """Return every string child in a serialised Dash component tree, depth first."""
    if isinstance(node, str):
        return [node]
    if isinstance(node, list):
        return [s for n in node for s in texts(n)]
    if isinstance(node, dict) and "props" in node:
        return texts(node["props"].get("children"))
    return []


def grids_of(district, locations) -> list[str]:
    """Return the grid ids the map trace's ``locations`` (short keys) name; KeyError if not keys."""
    return [district.grid_of_key[k] for k in locations]


def crumb_ids(breadcrumb) -> list[str]:
    return [n["props"]["id"]["index"] for n in breadcrumb if "id" in n["props"]]


def navigate(client, search, changed, *, click=None, crumbs=(), up=None, found=None, view=...):
    """Post the navigation callback with ``changed`` ('id.prop') as the trigger.

    The view selector shows the URL's view unless ``view`` says otherwise.
    """
    view = url_state.parse(search).view if view is ... else view
    crumb_inputs = [(ids.crumb(g), "n_clicks", n) for g, n in crumbs]
    inputs = [
        (ids.MAP_GRAPH, "clickData", click),
        crumb_inputs,
        [],
        (ids.UP_BUTTON, "n_clicks", up),
        (ids.SEARCH_DROPDOWN, "value", found),
        (ids.VIEW_SELECT, "value", view),
        (ids.URL, "search", search),
    ]
    return call(client, NAV_OUTPUTS, inputs, changed=[changed])


def crumb_changed(grid_id: str) -> str:
    """Return the changedPropIds entry of a click on the breadcrumb button of ``grid_id``."""
    return json.dumps(ids.crumb(grid_id), sort_keys=True, separators=(",", ":")) + ".n_clicks"


def nav_result(resp) -> dict:
    """Return {'search': ..., 'view': ...} for the outputs that changed (no_update left out)."""
    if resp.status_code == 204:  # every output no_update
        return {}
    body = response_of(resp)
    out = {}
    if ids.URL in body:
        out["search"] = body[ids.URL]["search"]
    if ids.VIEW_SELECT in body:
        out["view"] = body[ids.VIEW_SELECT]["value"]
    return out


@pytest.fixture(scope="module")
def district(tiny_app):
    return tiny_app.server.extensions["gridmap"].district


# -- render ---------------------------------------------------------------------------------
def test_render_district(client, district):
    resp = render(client, "")
    ops = operations(resp)
    assert ops[("data", 0, "locations")] == [district.key_of["T1"], district.key_of["T2"]]
    assert grids_of(district, ops[("data", 0, "locations")]) == ["T1", "T2"]
    assert ops[("data", 0, "geojson")] == f"/geo/{district.version}/level-2.geojson"
    assert ops[("layout", "uirevision")] == "T"
    centre = ops[("layout", "map", "center")]
    assert centre == pytest.approx({"lon": 114.84, "lat": 33.74})
    # The selection outline is the district's boundary ring.
    lons, lats = ops[("data", 1, "lon")], ops[("data", 1, "lat")]
    assert min(lons) == pytest.approx(114.80) and max(lons) == pytest.approx(114.88)
    assert min(lats) == pytest.approx(33.70) and max(lats) == pytest.approx(33.78)
    assert texts(resp[ids.BREADCRUMB]["children"]) == ["Test District"]
    assert crumb_ids(resp[ids.BREADCRUMB]["children"]) == []
    panel = texts(resp[ids.DETAIL_PANEL]["children"])
    assert "Test District" in panel and "13,600 people" in panel


def test_render_township(client, district):
    top = operations(render(client, ""))
    resp = render(client, "?grid=T1")
    ops = operations(resp)
    assert grids_of(district, ops[("data", 0, "locations")]) == ["T11", "T12"]
    assert ops[("data", 0, "geojson")] == f"/geo/{district.version}/level-3.geojson"
    assert ops[("data", 0, "text")] == ["Lizhuang Village 11", "Lizhuang Village 12"]
    assert ops[("layout", "uirevision")] == "T1"
    # Centred on the western half; as tall as the district, so (height-bound) the same zoom.
    assert ops[("layout", "map", "center")] == pytest.approx({"lon": 114.82, "lat": 33.74})
    assert ops[("layout", "map", "zoom")] == top[("layout", "map", "zoom")]
    village = operations(render(client, "?grid=T11"))
    assert village[("layout", "map", "zoom")] > ops[("layout", "map", "zoom")]
    assert max(ops[("data", 1, "lon")]) == pytest.approx(114.84)
    crumbs = resp[ids.BREADCRUMB]["children"]
    assert texts(crumbs) == ["Test District", "›", "Dong Town 1"]
    assert crumb_ids(crumbs) == ["T"]
    assert "3,600 people" in texts(resp[ids.DETAIL_PANEL]["children"])


def test_render_level5_shows_siblings(client, district):
    parent = operations(render(client, "?grid=T111"))
    resp = render(client, "?grid=T1111")
    ops = operations(resp)
    assert grids_of(district, ops[("data", 0, "locations")]) == ["T1111", "T1112"]
    assert ops[("data", 0, "geojson")] == f"/geo/{district.version}/level-5.geojson"
    assert ops[("layout", "uirevision")] == "T1111"
    # The viewport is the parent's: same as when the parent is selected.
    assert ops[("layout", "map", "center")] == parent[("layout", "map", "center")]
    assert ops[("layout", "map", "zoom")] == parent[("layout", "map", "zoom")]
    # ...but the outline is the selected grid's, not its parent's.
    assert ops[("data", 1, "lat")] != parent[("data", 1, "lat")]
    assert max(ops[("data", 1, "lat")]) == pytest.approx(33.72)
    crumbs = resp[ids.BREADCRUMB]["children"]
    assert crumb_ids(crumbs) == ["T", "T1", "T11", "T111"]
    assert texts(crumbs)[-1] == "Grid 1111"


def test_render_whole_level(client, district):
    ops = operations(render(client, "?view=level-5"))
    assert ops[("data", 0, "locations")] == [district.key_of[g] for g in district.level_ids(5)]
    assert grids_of(district, ops[("data", 0, "locations")]) == district.level_ids(5)
    assert len(set(ops[("data", 0, "locations")])) == 16
    assert ops[("data", 0, "geojson")] == f"/geo/{district.version}/level-5.geojson"
    # The hover shows grid ids (not names, not the short keys) and there are no label points
    # in a whole-level view.
    assert ops[("data", 0, "text")] == district.level_ids(5)
    assert ops[("data", 0, "customdata")] == []
    assert ops[("data", 0, "hovertemplate")].startswith("%{text}<br>")
    assert ops[("layout", "map", "center")] == pytest.approx({"lon": 114.84, "lat": 33.74})


def test_render_unknown_grid_falls_back_to_district(client):
    resp = render(client, "?grid=NOPE")
    assert operations(resp) == operations(render(client, ""))
    assert texts(resp[ids.BREADCRUMB]["children"]) == ["Test District"]


@pytest.mark.parametrize("search", ["", "?grid=T1", "?grid=T1111", "?view=level-5", "?grid=NOPE"])
def test_render_never_sends_geometry_inline(client, search):
    ops = operations(render(client, search))
    assert isinstance(ops[("data", 0, "geojson")], str)
    assert ops[("data", 0, "geojson")].startswith("/geo/")
    inline = [loc for loc, value in ops.items() if holds_geometry(value)]
    assert inline == []


LAYERS_CHANGED = f"{ids.LAYER_CHECKLIST}.value"
LANG_CHANGED = f"{ids.LANG_STORE}.data"
POSTS_AND_ROADS = [
    ("data", 2, "visible"),
    ("data", 2, "text"),
    ("data", 2, "name"),
    ("layout", "map", "layers", 1, "visible"),
    ("layout", "map", "layers", 2, "visible"),
]


def test_navigation_does_not_resend_posts_or_roads(client):
    ops = operations(render(client, "?grid=T1", changed=[f"{ids.URL}.search"]))
    assert [loc for loc in POSTS_AND_ROADS if loc in ops] == []
    # The initial call (no trigger) does send them.
    ops = operations(render(client, "?grid=T1", changed=[]))
    assert [loc for loc in POSTS_AND_ROADS if loc in ops] == POSTS_AND_ROADS


@pytest.mark.parametrize(
    ("layers", "posts", "roads"),
    [((), False, False), (("posts",), True, False), (("roads",), False, True)],
)
def test_layer_toggles(client, district, layers, posts, roads):
    ops = operations(render(client, "?grid=T1", layers=layers, changed=[LAYERS_CHANGED]))
    assert ops[("data", 2, "visible")] is posts
    assert ops[("layout", "map", "layers", 1, "visible")] is roads
    assert ops[("layout", "map", "layers", 2, "visible")] is roads
    # The grids are still patched: the same view as before.
    assert grids_of(district, ops[("data", 0, "locations")]) == ["T11", "T12"]


def test_metric_change(client):
    ops = operations(render(client, "?grid=T1", metric="population"))
    assert ops[("data", 0, "z")] == [1000, 2600]
    assert ops[("data", 0, "colorbar", "title", "text")] == "Population"
    assert ops[("data", 0, "hovertemplate")] == "%{text}<br>Population: %{z:,}<extra></extra>"
    ops = operations(render(client, "?grid=T1", metric="posts"))
    assert ops[("data", 0, "z")] == [1, 0]


def test_map_size_changes_zoom(client):
    small = operations(render(client, "?grid=T1", size=[300, 200]))
    big = operations(render(client, "?grid=T1", size=[1800, 1200]))
    assert small[("layout", "map", "zoom")] < big[("layout", "map", "zoom")]
    assert small[("layout", "map", "center")] == big[("layout", "map", "center")]


def test_language_change_rerenders_in_chinese(client):
    resp = render(client, "?grid=T1", lang="zh", changed=[LANG_CHANGED])
    ops = operations(resp)
    assert ops[("data", 2, "name")] == t("post-trace", "zh")
    assert ops[("data", 2, "text")][0].startswith("<b>一号警务室</b>")
    assert ops[("data", 0, "text")] == ["李庄村11", "李庄村12"]
    assert ops[("data", 0, "colorbar", "title", "text")] == t("metric-density", "zh")
    assert texts(resp[ids.BREADCRUMB]["children"]) == ["测试区", "›", "东镇1"]
    assert t("detail-title", "zh") in texts(resp[ids.DETAIL_PANEL]["children"])


# -- navigation -----------------------------------------------------------------------------
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


def test_breadcrumb_click_goes_up(client):
    crumbs = [("T", None), ("T1", 1), ("T11", None)]
    changed = crumb_changed("T1")
    resp = navigate(client, "?grid=T111&view=level-5", changed, crumbs=crumbs)
    # Back to drilling: the view selector is told too (Dash does not rerun this callback for
    # its own URL output, so it would keep showing the whole level).
    assert nav_result(resp) == {"search": "?grid=T1", "view": "drill"}


def test_breadcrumb_to_district_clears_the_grid(client):
    changed = crumb_changed("T")
    resp = navigate(client, "?grid=T11", changed, crumbs=[("T", 1), ("T1", None)])
    assert resp.status_code == 200
    assert response_of(resp)[ids.URL]["search"] == ""


def test_freshly_drawn_breadcrumb_does_nothing(client):
    changed = crumb_changed("T1")
    crumbs = [("T", None), ("T1", None), ("T11", None)]
    resp = navigate(client, "?grid=T111", changed, crumbs=crumbs)
    assert nav_result(resp) == {}


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


# -- search ---------------------------------------------------------------------------------
def suggest(client, query, value=None, lang="en"):
    return call(
        client,
        [(ids.SEARCH_DROPDOWN, "options")],
        [(ids.SEARCH_DROPDOWN, "search_value", query)],
        state=[(ids.SEARCH_DROPDOWN, "value", value), (ids.LANG_STORE, "data", lang)],
    )


def option_values(resp) -> list[str]:
    return [o["value"] for o in response_of(resp)[ids.SEARCH_DROPDOWN]["options"]]


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("东镇2", ["T2"]),
        ("东镇", ["T1", "T2"]),
        ("dong zhen", ["T1", "T2"]),
        ("dongzhen", ["T1", "T2"]),
        ("DongZhen", ["T1", "T2"]),
        ("dz", ["T1", "T2"]),  # pinyin initials
        ("Dong Town 2", ["T2"]),
        ("lizhuang village 12", ["T12"]),
        ("T11", ["T11", "T111", "T112"]),
        ("t2222", ["T2222"]),
    ],
)
def test_search_options(client, query, first):
    assert option_values(suggest(client, query))[: len(first)] == first


def test_search_option_labels(client):
    options = response_of(suggest(client, "T12"))[ids.SEARCH_DROPDOWN]["options"]
    assert options[0] == {"label": "Lizhuang Village 12 (Village · Dong Town 1)", "value": "T12"}
    options = response_of(suggest(client, "T12", lang="zh"))[ids.SEARCH_DROPDOWN]["options"]
    assert options[0]["label"] == "李庄村12 (村（社区） · 东镇1)"
    options = response_of(suggest(client, "T"))[ids.SEARCH_DROPDOWN]["options"]
    assert options[0] == {"label": "Test District (District)", "value": "T"}


def test_search_keeps_the_chosen_value_listed(client):
    assert option_values(suggest(client, "dong", value="T2112"))[0] == "T2112"


def test_search_without_match_or_query(client):
    assert option_values(suggest(client, "zzz")) == []
    assert option_values(suggest(client, "")) == []
    assert option_values(suggest(client, None)) == []
    # An empty query with a chosen value keeps the options (the dropdown still shows it).
    resp = suggest(client, "", value="T1")
    assert response_of(resp) == {}  # no_update: the dropdown keeps its options


# -- language -------------------------------------------------------------------------------
@pytest.mark.parametrize(("lang", "other"), [("zh", "en"), ("en", "zh")])
def test_language_toggle(client, lang, other):
    resp = call(
        client,
        [(ids.LANG_STORE, "data")],
        [(ids.LANG_TOGGLE, "n_clicks", 1)],
        state=[(ids.LANG_STORE, "data", lang)],
    )
    assert response_of(resp)[ids.LANG_STORE]["data"] == other


def i18n_keys(layout) -> list[str]:
    """Return the keys of every i18n-text component of the layout, in page order."""
    keys = []

    def walk(node):
        if isinstance(node, list | tuple):
            for n in node:
                walk(n)
            return
        if not hasattr(node, "to_plotly_json"):
            return
        cid = getattr(node, "id", None)
        if isinstance(cid, dict) and cid.get("type") == "i18n-text":
            keys.append(cid["index"])
        walk(getattr(node, "children", None))

    walk(layout)
    return keys


SINGLE_TEXT_OUTPUTS = [
    (ids.LANG_TOGGLE, "children"),
    (ids.SEARCH_DROPDOWN, "placeholder"),
    (ids.VIEW_SELECT, "options"),
    (ids.METRIC_SELECT, "options"),
    (ids.LAYER_CHECKLIST, "options"),
    (ids.DEMO_BADGE, "children"),
    (ids.DEMO_BADGE, "title"),
    (ids.DISTRICT_NAME, "children"),
]


def translate(client, keys, lang):
    """Post the translate callback (its first output is an ALL pattern: built by hand)."""
    pattern = {"type": "i18n-text", "index": ["ALL"]}
    names = [json.dumps(pattern, sort_keys=True, separators=(",", ":")) + ".children"]
    names += [f"{i}.{p}" for i, p in SINGLE_TEXT_OUTPUTS]
    outputs = [[{"id": ids.text(k), "property": "children"} for k in keys]]
    outputs += [{"id": i, "property": p} for i, p in SINGLE_TEXT_OUTPUTS]
    body = {
        "output": ".." + "...".join(names) + "..",
        "outputs": outputs,
        "inputs": [{"id": ids.LANG_STORE, "property": "data", "value": lang}],
        "state": [],
        "changedPropIds": [f"{ids.LANG_STORE}.data"],
    }
    return response_of(client.post("/_dash-update-component", json=body))


def layout_of(app):
    """Return the app's layout tree (the layout is a function called per page load)."""
    return app.layout() if callable(app.layout) else app.layout


def test_layout_has_translated_texts(tiny_app):
    keys = i18n_keys(layout_of(tiny_app))
    assert {"app-title", "app-subtitle", "view-label", "metric-label", "map-hint"} <= set(keys)
    assert all(k in TEXTS for k in keys)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_translate_every_text(client, tiny_app, lang):
    other = "en" if lang == "zh" else "zh"
    keys = i18n_keys(layout_of(tiny_app))
    body = translate(client, keys, lang)
    for key in keys:
        sid = json.dumps(ids.text(key), sort_keys=True, separators=(",", ":"))
        assert body[sid]["children"] == t(key, lang)
        assert body[sid]["children"] != t(key, other)
    assert body[ids.LANG_TOGGLE]["children"] == t("lang-toggle", lang)
    assert body[ids.SEARCH_DROPDOWN]["placeholder"] == t("search-placeholder", lang)
    assert body[ids.DEMO_BADGE] == {
        "children": t("demo-badge", lang),
        "title": t("demo-badge-title", lang),
    }
    assert body[ids.DISTRICT_NAME]["children"] == {"zh": "测试区", "en": "Test District"}[lang]
    views = body[ids.VIEW_SELECT]["options"]
    assert views[0] == {"label": t("view-drill", lang), "value": "drill"}
    assert views[-1] == {"label": t("view-level", lang, level=5), "value": "level-5"}
    metrics = body[ids.METRIC_SELECT]["options"]
    assert [m["label"] for m in metrics] == [t(f"metric-{m['value']}", lang) for m in metrics]
    assert {"label": t("layer-posts", lang), "value": "posts"} in body[ids.LAYER_CHECKLIST][
        "options"
    ]


# -- the page -------------------------------------------------------------------------------
def find_component(node, component_id):
    """Return the serialised component with ``component_id`` in a /_dash-layout tree."""
    if isinstance(node, list):
        for n in node:
            if (found := find_component(n, component_id)) is not None:
                return found
    elif isinstance(node, dict) and "props" in node:
        if node["props"].get("id") == component_id:
            return node
        return find_component(node["props"].get("children"), component_id)
    return None


def test_initial_figure_loads_geometry_by_url(client, district):
    assert client.get("/").status_code == 200
    layout = client.get("/_dash-layout").get_json()
    figure = find_component(layout, ids.MAP_GRAPH)["props"]["figure"]
    grids, selection, posts, heat, points = figure["data"]
    assert heat["type"] == "densitymap" and heat["visible"] is False
    assert points["type"] == "scattermap" and points["visible"] is False
    assert grids["geojson"] == f"/geo/{district.version}/level-2.geojson"
    assert grids["locations"] == [district.key_of["T1"], district.key_of["T2"]]
    assert grids_of(district, grids["locations"]) == ["T1", "T2"]
    assert selection["mode"] == "lines"
    assert posts["customdata"] == ["P1", "P2", "P3"]
    sources = [layer["source"] for layer in figure["layout"]["map"]["layers"]]
    version = district.version
    assert sources == [
        f"/geo/{version}/water.geojson",
        f"/geo/{version}/roads-minor.geojson",
        f"/geo/{version}/roads-major.geojson",
        f"/geo/{version}/coverage-coverage.geojson?minutes=5",
        f"/geo/{version}/coverage-gaps.geojson?minutes=5",
        f"/geo/{version}/level-1.geojson",
    ]
    # The coverage layers start hidden; the layer checklist shows them.
    visible = [layer.get("visible", True) for layer in figure["layout"]["map"]["layers"]]
    assert visible == [True, True, True, False, False, True]
    assert not holds_geometry(figure)
    for url in sources + [grids["geojson"]]:
        assert client.get(url).status_code == 200, url


def test_tile_server_shifts_the_road_layers(tiny_dir):
    from app import create_app

    tile_url = "http://127.0.0.1:8080/{z}/{x}/{y}.png"
    app = create_app({"data_dir": tiny_dir, "lang": "en", "tile_url": tile_url})
    tile_client = app.server.test_client()
    layout = tile_client.get("/_dash-layout").get_json()
    layers = find_component(layout, ids.MAP_GRAPH)["props"]["figure"]["layout"]["map"]["layers"]
    assert layers[0]["sourcetype"] == "raster" and layers[0]["source"] == [tile_url]
    assert layers[2]["source"].endswith("/roads-minor.geojson")
    assert layers[3]["source"].endswith("/roads-major.geojson")
    ops = operations(render(tile_client, "", layers=("posts",), changed=[LAYERS_CHANGED]))
    assert ops[("layout", "map", "layers", 2, "visible")] is False
    assert ops[("layout", "map", "layers", 3, "visible")] is False
    assert ("layout", "map", "layers", 1, "visible") not in ops


@pytest.mark.parametrize(
    ("metric", "column"),
    [
        ("coverage-population", "population_share"),
        ("coverage-area", "area_share"),
        ("coverage-incidents", "incident_share"),
    ],
)
def test_render_coverage_metrics(client, tiny_app, district, metric, column):
    runtime = tiny_app.server.extensions["gridmap"]
    table = runtime.coverage_model.coverage(5).grid_table(
        incidents=runtime.incident_store.points() if metric == "coverage-incidents" else None
    )
    expected = table.set_index("grid_id")[column].reindex(["T1", "T2"])
    ops = operations(render(client, "", metric=metric))
    z = ops[("data", 0, "z")]
    assert [None if v != v else round(float(v), 4) for v in expected] == z
    # Shares are shown as percentages on a fixed 0-100 % scale.
    assert ops[("data", 0, "zmin")] == 0 and ops[("data", 0, "zmax")] == 1
    assert ":.0%}" in ops[("data", 0, "hovertemplate")]


def test_coverage_layer_says_when_it_is_an_approximation():
    from ui.layout import layer_options

    network = {o["value"]: o["label"] for o in layer_options("en")}
    approx = {o["value"]: o["label"] for o in layer_options("en", approximate=True)}
    assert network["coverage"] == t("layer-coverage", "en")
    assert "approximation" in approx["coverage"]
    assert approx["gaps"] == network["gaps"]
