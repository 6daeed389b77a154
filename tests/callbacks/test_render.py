"""The render callback (callbacks/render.py) through the Flask test client."""

from __future__ import annotations

import pytest

from gridmap.i18n import t
from tests.dash_http import (
    crumb_ids,
    grids_of,
    holds_geometry,
    operations,
    render,
    texts,
)
from ui import ids


@pytest.fixture(scope="module")
def district(tiny_app):
    return tiny_app.server.extensions["gridmap"].district


def fitted_centre(district, grid: str, zoom: float) -> dict:
    """Return the centre a view of ``grid`` has at ``zoom``: the box's, clear of the margins."""
    from gridmap.views.map_view import MAP_MARGINS_PX, fit_center

    lon, lat = fit_center(district.bounds(grid), zoom, MAP_MARGINS_PX)
    return {"lon": lon, "lat": lat}


def test_render_district(client, district):
    resp = render(client, "")
    ops = operations(resp)
    assert ops[("data", 0, "locations")] == [district.key_of["T1"], district.key_of["T2"]]
    assert grids_of(district, ops[("data", 0, "locations")]) == ["T1", "T2"]
    assert ops[("data", 0, "geojson")] == f"/geo/{district.version}/level-2.geojson"
    assert ops[("layout", "uirevision")] == "T"
    centre = ops[("layout", "map", "center")]
    assert centre == pytest.approx(fitted_centre(district, "T", ops[("layout", "map", "zoom")]))
    assert 114.84 < centre["lon"] < 114.88  # east of the box's centre: the colour bar's side
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
    zoom = ops[("layout", "map", "zoom")]
    assert ops[("layout", "map", "center")] == pytest.approx(fitted_centre(district, "T1", zoom))
    assert zoom == top[("layout", "map", "zoom")]
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
    # The hover shows the grids' names (not their ids or short keys), and there are no label
    # points in a whole-level view.
    assert ops[("data", 0, "text")] == [
        district.record(g)["name_en"] for g in district.level_ids(5)
    ]
    assert "Grid 1111" in ops[("data", 0, "text")]
    zh = operations(render(client, "?view=level-5", lang="zh"))
    assert "网格1111" in zh[("data", 0, "text")]
    assert ops[("data", 0, "customdata")] == []
    assert ops[("data", 0, "hovertemplate")].startswith("%{text}<br>")
    zoom = ops[("layout", "map", "zoom")]
    assert ops[("layout", "map", "center")] == pytest.approx(fitted_centre(district, "T", zoom))


def test_render_unknown_grid_falls_back_to_district(client):
    resp = render(client, "?grid=NOPE")
    assert operations(resp) == operations(render(client, ""))
    assert texts(resp[ids.BREADCRUMB]["children"]) == ["Test District"]


@pytest.mark.parametrize(
    ("lang", "words"), [("en", ["Unknown grid", "NOPE"]), ("zh", ["未知网格", "NOPE"])]
)
def test_render_says_the_grid_is_unknown(client, lang, words):
    # /?grid=bogus shows the home grid, and says the link named no grid (never silently).
    panel = render(client, "?grid=NOPE<b>", lang=lang)[ids.DETAIL_PANEL]["children"]
    notice = panel[0]
    assert notice["props"]["id"] == ids.UNKNOWN_GRID_NOTICE
    said = " ".join(texts(notice))
    assert all(w in said for w in words)
    assert "NOPE<b>" in said  # the id is text, never markup
    known = render(client, "?grid=T1", lang=lang)[ids.DETAIL_PANEL]["children"]
    assert all(c.get("props", {}).get("id") != ids.UNKNOWN_GRID_NOTICE for c in known)


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


@pytest.mark.parametrize("search", ["?view=level-5", "?grid=T1"])
def test_a_metric_change_sends_only_the_colours(client, district, search):
    drawn = operations(render(client, search, metric="density"))
    answer = render(client, search, metric="population", changed=[f"{ids.METRIC_SELECT}.value"])
    ops = operations(answer)
    # The values in the order of the grids drawn, with the labels that name them.
    keys = drawn[("data", 0, "locations")]
    population = {
        district.key_of[g]: district.record(g)["population"] for g in district.grids.index
    }
    assert ops[("data", 0, "z")] == [population[k] for k in keys]
    assert ops[("data", 0, "colorbar", "title", "text")] == "Population"
    assert ops[("data", 0, "hovertemplate")] == "%{text}<br>Population: %{z:,}<extra></extra>"
    # Nothing the view already has: its grids, names, points, camera and outline.
    sent = {loc for loc in ops}
    for loc in (
        ("data", 0, "locations"),
        ("data", 0, "text"),
        ("data", 0, "customdata"),
        ("data", 0, "geojson"),
        ("layout", "map", "center"),
        ("data", 1, "lon"),
    ):
        assert loc not in sent, loc
    # The breadcrumb and the detail panel stay as they are.
    assert ids.BREADCRUMB not in answer and ids.DETAIL_PANEL not in answer


def test_map_size_changes_zoom(client):
    small = operations(render(client, "?grid=T1", size=[300, 200]))
    big = operations(render(client, "?grid=T1", size=[1800, 1200]))
    assert small[("layout", "map", "zoom")] < big[("layout", "map", "zoom")]
    # The same box centred clear of the margins: the shift in degrees shrinks as the zoom grows.
    assert small[("layout", "map", "center")]["lon"] > big[("layout", "map", "center")]["lon"]
    assert small[("layout", "map", "center")]["lat"] == pytest.approx(
        big[("layout", "map", "center")]["lat"], abs=0.01
    )


def test_language_change_rerenders_in_chinese(client):
    resp = render(client, "?grid=T1", lang="zh", changed=[LANG_CHANGED])
    ops = operations(resp)
    assert ops[("data", 2, "name")] == t("post-trace", "zh")
    assert ops[("data", 2, "text")][0].startswith("<b>一号警务室</b>")
    assert ops[("data", 0, "text")] == ["李庄村11", "李庄村12"]
    assert ops[("data", 0, "colorbar", "title", "text")] == t("metric-density", "zh")
    assert texts(resp[ids.BREADCRUMB]["children"]) == ["测试区", "›", "东镇1"]
    assert t("detail-title", "zh") in texts(resp[ids.DETAIL_PANEL]["children"])


@pytest.mark.parametrize(
    "changed",
    [
        [f"{ids.FILTERS_STORE}.data", LANG_CHANGED],
        [LANG_CHANGED, f"{ids.FILTERS_STORE}.data"],
        [f"{ids.VERSION_STORE}.data", f"{ids.FILTERS_STORE}.data", LANG_CHANGED],
    ],
)
def test_a_language_change_merged_with_new_filters_is_not_lost(client, changed):
    # The language also sets the filters (their window label): Dash waits for those and sends
    # both changes in one call, in either order. The panel and the posts follow the language.
    resp = render(client, "?grid=T1", lang="zh", changed=changed)
    ops = operations(resp)
    assert ops[("data", 2, "name")] == t("post-trace", "zh")
    assert ops[("data", 0, "text")] == ["李庄村11", "李庄村12"]
    assert texts(resp[ids.BREADCRUMB]["children"]) == ["测试区", "›", "东镇1"]
    assert t("detail-title", "zh") in texts(resp[ids.DETAIL_PANEL]["children"])


def test_new_filters_alone_change_only_the_overlays(client):
    resp = render(client, "?grid=T1", lang="zh", changed=[f"{ids.FILTERS_STORE}.data"])
    assert ids.BREADCRUMB not in resp and ids.DETAIL_PANEL not in resp


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


@pytest.mark.parametrize(
    ("layers", "scale", "opacity"),
    [
        (("posts", "roads"), "YlOrRd", 0.62),
        (("posts", "roads", "heat"), "YlOrRd", 0.4),
        (("posts", "coverage", "heat"), "grey", 0.5),
        (("gaps",), "grey", 0.5),
    ],
)
def test_choropleth_yields_to_the_overlays(client, layers, scale, opacity):
    from layers.overlay_style import GREY_SCALE

    ops = operations(
        render(client, "?grid=T1", layers=layers, changed=["map-layer-checklist.value"])
    )
    assert ops[("data", 0, "colorscale")] == (GREY_SCALE if scale == "grey" else scale)
    assert ops[("data", 0, "marker", "opacity")] == opacity
    # A drill keeps the stack: the URL trigger sends the same style.
    drill = operations(render(client, "?grid=T11", layers=layers))
    assert drill[("data", 0, "marker", "opacity")] == opacity


def test_view_is_fitted_clear_of_the_colour_bar(client):
    from gridmap.views.map_view import MAP_MARGINS_PX

    plain = operations(render(client, "?grid=T1", size=[1000, 700]))
    centre = plain[("layout", "map", "center")]
    # The right margin (the colour bar) is the widest: the centre lies east of the box's.
    assert MAP_MARGINS_PX[2] > MAP_MARGINS_PX[0]
    assert centre["lon"] > 114.82
