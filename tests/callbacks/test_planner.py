"""The planner (/planner/) through the Flask test client: page, coverage routes, callbacks."""

from __future__ import annotations

import csv
import io
import json
import re
from urllib.parse import urlparse

import pytest

from gridmap.clock import local_today
from gridmap.coverage.scenario import Scenario, parse_query
from gridmap.i18n import t
from tests.auth_support import sign_in, signed_in
from tests.dash_http import call, response_of
from ui import planner_ids as ids

PREFIX = "/planner"
ROAD_JUNCTION = (114.84, 33.74)  # where the tiny district's two roads meet
P2 = (114.85, 33.73)  # the tiny district's post P2
OUTSIDE = (114.95, 33.74)  # east of the district


@pytest.fixture(scope="module")
def app(make_tiny_app):
    """The dashboard on the tiny district, with a database file of its own."""
    return make_tiny_app()


@pytest.fixture()
def client(app):
    return signed_in(app)


@pytest.fixture(scope="module")
def version(app):
    return app.server.extensions["gridmap"].district.version


@pytest.fixture(scope="module")
def outputs(app):
    """The planner's callback outputs as the browser sees them (/_dash-dependencies)."""
    deps = signed_in(app).get(f"{PREFIX}/_dash-dependencies").get_json()
    return [d["output"] for d in deps]


# --- helpers ----------------------------------------------------------------------------------


def texts(component) -> list[str]:
    """Return every string inside a serialised Dash component tree."""
    if isinstance(component, str):
        return [component]
    if isinstance(component, int | float) and not isinstance(component, bool):
        return [str(component)]
    if isinstance(component, list):
        return [s for c in component for s in texts(c)]
    if isinstance(component, dict):
        return texts(component.get("props", {}).get("children"))
    return []


def by_id(components: list, component_id: str) -> dict:
    return next(c for c in components if c["props"].get("id") == component_id)


def assigns(patch: dict) -> dict[tuple, object]:
    """Return the Assign operations of a serialised Patch as {location: value}."""
    assert patch["__dash_patch_update"] == "__dash_patch_update"
    return {
        tuple(op["location"]): op["params"]["value"]
        for op in patch["operations"]
        if op["operation"] == "Assign"
    }


def edit(
    client, search="", click=None, minutes=5, speed=1.0, changed=None, saved=None, sug=None,
    profile="free",
):  # fmt: skip
    """Call the planner's ``edit`` callback; return the response."""
    changed = changed or f"{ids.CLICK_STORE}.data"
    return call(
        client,
        [(ids.URL, "search"), (ids.MINUTES, "value"), (ids.SPEED, "value"), (ids.PROFILE, "value")],
        [
            (ids.CLICK_STORE, "data", click),
            (ids.MINUTES, "value", minutes),
            (ids.SPEED, "value", speed),
            (ids.PROFILE, "value", profile),
            (ids.RESET, "n_clicks", 1 if changed.startswith(ids.RESET) else None),
            (ids.SUGGEST_APPLY, "n_clicks", 1 if changed.startswith(ids.SUGGEST_APPLY) else None),
            (ids.SAVED_SELECT, "value", saved),
            (ids.URL, "search", search),
        ],
        [(ids.SUGGEST_STORE, "data", sug)],
        changed=[changed],
        prefix=PREFIX,
    )


def click_at(lon, lat, zoom=13):
    return {"lon": lon, "lat": lat, "zoom": zoom, "t": 1}


def edited(resp) -> tuple[str, float, float]:
    out = response_of(resp)
    return (
        out[ids.URL]["search"],
        out.get(ids.MINUTES, {}).get("value"),
        out.get(ids.SPEED, {}).get("value"),
    )


class Answers:
    """The answers of several callbacks to one change, read as one (as ``response_of`` does)."""

    def __init__(self, *responses):
        self.responses = responses
        bad = [r for r in responses if r.status_code not in (200, 204)]
        self.status_code = bad[0].status_code if bad else 200
        self.merged = {}
        for r in responses:
            if r.status_code == 200:
                self.merged.update(r.get_json()["response"])

    def get_json(self) -> dict:
        return {"response": self.merged}

    def get_data(self, as_text: bool = False):
        return "\n".join(r.get_data(as_text=True) for r in self.responses)


def render(client, search, lang="en", level=3, layer="coverage"):
    """Post what a URL change runs on the planner: the map's callback and the panel's."""
    url, lang_in = (ids.URL, "search", search), (ids.LANG_STORE, "data", lang)
    figure = call(
        client,
        [(ids.MAP, "figure")],
        [url, lang_in, (ids.LAYER_MODE, "value", layer)],
        prefix=PREFIX,
    )
    panel = call(
        client,
        [
            (ids.KPIS, "children"),
            (ids.METHOD, "children"),
            (ids.ERROR, "children"),
            (ids.WORST_TABLE, "children"),
            (ids.REPORT_LINK, "href"),
        ],
        [url, lang_in, (ids.WORST_LEVEL, "value", level)],
        prefix=PREFIX,
    )  # fmt: skip
    return Answers(figure, panel)


def kpi_value(kpis: list, tile: str) -> str:
    return by_id(kpis, tile)["props"]["children"][1]["props"]["children"]


# --- page and geometry routes -----------------------------------------------------------------


def test_planner_page(client):
    resp = client.get("/planner/")
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    assert "5-minute police circle planner" in html
    layout = client.get(f"{PREFIX}/_dash-layout")
    assert layout.status_code == 200
    assert ids.MAP in layout.get_data(as_text=True)
    script = client.get("/planner/assets/map_click.js")
    try:
        assert script.status_code == 200
        assert b"planner-click-store" in script.get_data()
    finally:
        script.close()


def test_planner_layout_links_default_coverage(client, version):
    body = json.dumps(client.get(f"{PREFIX}/_dash-layout").get_json())
    assert f"/geo/{version}/coverage-coverage.geojson?minutes=5" in body
    assert f"/geo/{version}/coverage-gaps.geojson?minutes=5" in body


def test_planner_callbacks_are_registered(outputs):
    assert any(o.startswith(f"..{ids.URL}.search") for o in outputs)
    assert f"{ids.DOWNLOAD}.data" in outputs
    assert any(f"{ids.MAP}.figure@" in o for o in outputs)  # the suggestion's duplicate output


@pytest.mark.parametrize("kind", ["coverage", "gaps"])
def test_coverage_route(client, version, kind):
    query = Scenario(added=(ROAD_JUNCTION,)).to_query()
    resp = client.get(f"/geo/{version}/coverage-{kind}.geojson{query}")
    assert resp.status_code == 200
    assert resp.mimetype == "application/geo+json"
    assert resp.headers["Cache-Control"].startswith("public")
    doc = json.loads(resp.get_data())
    assert doc["type"] == "FeatureCollection"
    [feature] = doc["features"]
    assert feature["properties"]["kind"] == kind
    assert feature["properties"]["minutes"] == 5
    if kind == "coverage":
        assert feature["properties"]["area_km2"] > 0  # the new post on the road covers some
    assert feature["geometry"]["type"] in ("Polygon", "MultiPolygon", "GeometryCollection")
    # Same scenario, same ETag: the browser gets a 304.
    again = client.get(
        f"/geo/{version}/coverage-{kind}.geojson{query}",
        headers={"If-None-Match": resp.headers["ETag"]},
    )
    assert again.status_code == 304


def test_coverage_route_gzip(client, version):
    resp = client.get(
        f"/geo/{version}/coverage-gaps.geojson?minutes=7", headers={"Accept-Encoding": "gzip"}
    )
    assert resp.status_code == 200 and resp.headers["Content-Encoding"] == "gzip"


def test_coverage_route_scenarios_differ(client, version):
    base = client.get(f"/geo/{version}/coverage-coverage.geojson?minutes=5")
    more = client.get(
        f"/geo/{version}/coverage-coverage.geojson" + Scenario(added=(ROAD_JUNCTION,)).to_query()
    )
    assert base.headers["ETag"] != more.headers["ETag"]


@pytest.mark.parametrize(
    ("query", "match"),
    [
        ("?minutes=99", "minutes must be 1-15"),
        ("?minutes=abc", "minutes must be a number"),
        ("?speed=9", "speed must be"),
        ("?add=1", "add: new post 1"),
    ],
)
def test_coverage_route_bad_scenario(client, version, query, match):
    resp = client.get(f"/geo/{version}/coverage-coverage.geojson{query}")
    assert resp.status_code == 400
    assert resp.mimetype == "application/json"
    assert match in resp.get_json()["error"]


def test_coverage_route_unknown(client, version):
    assert client.get("/geo/0000stale000/coverage-coverage.geojson?minutes=5").status_code == 404
    assert client.get(f"/geo/{version}/coverage-other.geojson?minutes=5").status_code == 404


# --- edit: clicks, sliders, reset -------------------------------------------------------------


def test_initial_load_sets_sliders_from_the_url(client):
    resp = edit(client, search="?minutes=8&speed=1.25", changed=f"{ids.URL}.search")
    out = response_of(resp)
    assert ids.URL not in out  # the URL is the source; it is not written back
    assert out[ids.MINUTES]["value"] == 8 and out[ids.SPEED]["value"] == 1.25
    # A slider already at the URL's value is left alone (a key press may be on its way).
    same = response_of(edit(client, "?minutes=8", minutes=8, changed=f"{ids.URL}.search"))
    assert ids.MINUTES not in same and ids.SPEED not in same


def test_click_away_from_posts_adds_a_post(client):
    search, minutes, speed = edited(edit(client, "?minutes=5", click=click_at(*ROAD_JUNCTION)))
    assert "add=114.84000,33.74000" in search
    assert parse_query(search).added == (ROAD_JUNCTION,)
    assert (minutes, speed) == (5, 1)
    # A second click elsewhere adds a second post, keeping the first.
    search2, *_ = edited(edit(client, search, click=click_at(114.82, 33.76)))
    assert parse_query(search2).added == (ROAD_JUNCTION, (114.82, 33.76))


def test_click_on_a_new_post_removes_it(client):
    # Removing the only new post (regression: the inside-the-district check read added[-1]).
    search = Scenario(added=(ROAD_JUNCTION,)).to_query()
    near = (ROAD_JUNCTION[0] + 0.0002, ROAD_JUNCTION[1])
    new, *_ = edited(edit(client, search, click=click_at(*near)))
    assert parse_query(new) == Scenario()
    # Removing one of two keeps the other.
    search = Scenario(added=(ROAD_JUNCTION, (114.82, 33.76))).to_query()
    new, *_ = edited(edit(client, search, click=click_at(*near)))
    assert parse_query(new).added == ((114.82, 33.76),)


def test_click_on_a_new_post_outside_the_district_removes_it(client):
    # A new post outside the district (from a hand-edited URL) can still be clicked away,
    # even when another new post remains.
    search = Scenario(added=(OUTSIDE, ROAD_JUNCTION)).to_query()
    new, *_ = edited(edit(client, search, click=click_at(*ROAD_JUNCTION)))
    assert parse_query(new).added == (OUTSIDE,)


def test_click_on_a_post_disables_and_restores_it(client):
    off, *_ = edited(edit(client, "?minutes=6", click=click_at(*P2)))
    assert parse_query(off) == Scenario(minutes=6, disabled=("P2",))
    assert "off=P2" in off
    on, *_ = edited(edit(client, off, click=click_at(*P2), minutes=6))
    assert parse_query(on) == Scenario(minutes=6)


def test_click_outside_the_district_does_nothing(client):
    resp = edit(client, "?minutes=5", click=click_at(*OUTSIDE))
    assert response_of(resp) == {}  # every output is no_update


def test_minutes_and_speed_sliders(client):
    search = Scenario(added=(ROAD_JUNCTION,), disabled=("P1",)).to_query()
    new, minutes, _ = edited(edit(client, search, minutes=9, changed=f"{ids.MINUTES}.value"))
    assert parse_query(new) == Scenario(minutes=9, added=(ROAD_JUNCTION,), disabled=("P1",))
    assert minutes is None  # not sent back: a later key press would be undone by it
    new2, m2, speed = edited(edit(client, new, minutes=9, speed=1.5, changed=f"{ids.SPEED}.value"))
    assert parse_query(new2).speed_scale == 1.5 and "speed=1.5" in new2
    assert speed is None and m2 == 9


def test_reset(client):
    search = "?minutes=9&speed=1.5&add=114.84,33.74&off=P1"
    new, minutes, speed = edited(edit(client, search, changed=f"{ids.RESET}.n_clicks"))
    assert new == "?minutes=5" and (minutes, speed) == (5, 1)


def test_bad_url_is_replaced_on_edit(client):
    new, *_ = edited(edit(client, "?minutes=abc", minutes=7, changed=f"{ids.MINUTES}.value"))
    assert new == "?minutes=7"


def test_apply_suggestion_adds_its_sites(client):
    sug = {"sites": [{"lon": 114.84, "lat": 33.76755}, {"lon": 114.82, "lat": 33.74}]}
    new, *_ = edited(edit(client, "?minutes=5", changed=f"{ids.SUGGEST_APPLY}.n_clicks", sug=sug))
    assert parse_query(new).added == ((114.84, 33.76755), (114.82, 33.74))


# --- render -----------------------------------------------------------------------------------


def test_render_baseline(client, version):
    out = response_of(render(client, "?minutes=5"))
    kpis = out[ids.KPIS]["children"]
    assert [k["props"]["id"] for k in kpis] == [
        "planner-kpi-population",
        "planner-kpi-area",
        "planner-kpi-incidents",
        "planner-kpi-posts",
        "planner-kpi-uncovered",
        "planner-kpi-mean-time",
        "planner-kpi-p90-time",
    ]
    assert kpi_value(kpis, "planner-kpi-posts") == "3"
    assert kpi_value(kpis, "planner-kpi-uncovered") == "13,600"
    assert kpi_value(kpis, "planner-kpi-incidents") == "—"
    assert out[ids.ERROR]["children"] == ""
    assert out[ids.METHOD]["children"].startswith("along the road network")
    ops = assigns(out[ids.MAP]["figure"])
    assert ops[("layout", "map", "layers", 0, "source")] == (
        f"/geo/{version}/coverage-coverage.geojson?minutes=5"
    )
    assert ops[("layout", "map", "layers", 1, "source")] == (
        f"/geo/{version}/coverage-gaps.geojson?minutes=5"
    )
    assert ops[("data", 2, "lon")] == [] and ops[("data", 2, "lat")] == []
    assert len(ops[("data", 0, "z")]) == 4  # the four villages
    assert all(z == 0 for z in ops[("data", 0, "z")])


def test_render_scenario(client, version):
    scenario = Scenario(added=(ROAD_JUNCTION,), disabled=("P3",))
    out = response_of(render(client, scenario.to_query()))
    kpis = out[ids.KPIS]["children"]
    posts = by_id(kpis, "planner-kpi-posts")["props"]["children"]
    assert posts[1]["props"]["children"] == "3"  # 3 - 1 + 1
    assert posts[2]["props"]["children"] == "±0"
    population = by_id(kpis, "planner-kpi-population")["props"]["children"]
    assert population[1]["props"]["children"] != "0.0%"
    assert population[2]["props"]["className"] == "kpi-delta up"
    ops = assigns(out[ids.MAP]["figure"])
    for layer, kind in ((0, "coverage"), (1, "gaps")):
        url = ops[("layout", "map", "layers", layer, "source")]
        assert urlparse(url).path == f"/geo/{version}/coverage-{kind}.geojson"
        assert parse_query(urlparse(url).query) == scenario
        # ... and the URL serves the layer.
        assert client.get(url).status_code == 200
    assert ops[("data", 2, "lon")] == [ROAD_JUNCTION[0]]
    assert ops[("data", 2, "lat")] == [ROAD_JUNCTION[1]]
    assert ops[("data", 2, "text")] == ["New post 1 (Dong Town 2 · Lizhuang Village 21)"]
    markers = ops[("data", 1, "marker")]
    assert markers["color"][2] != markers["color"][0]  # P3 greyed out
    assert "out of service" in ops[("data", 1, "text")][2]
    assert max(z for z in ops[("data", 0, "z")] if z is not None) > 0


def test_render_worst_table(client):
    out = response_of(render(client, "?minutes=5", level=3))
    table = out[ids.WORST_TABLE]["children"]
    assert table["type"] == "Table"
    head, body = table["props"]["children"]
    assert texts(head) == ["#", "Name", "Population covered", "People not covered"]
    rows = body["props"]["children"]
    assert len(rows) == 4  # four villages
    first = texts(rows[0])
    assert first[0] == "1"
    assert first[1] == "Lizhuang Village 22"  # the most populous village, nothing covered
    assert first[2:] == ["0.0%", "5,800"]
    level5 = response_of(render(client, "?minutes=5", level=5))[ids.WORST_TABLE]["children"]
    assert len(level5["props"]["children"][1]["props"]["children"]) == 10


def test_render_in_chinese(client):
    out = response_of(render(client, "?minutes=5", lang="zh"))
    assert out[ids.METHOD]["children"].startswith("按道路网络计算")
    assert "在用警务室" in texts(out[ids.KPIS]["children"])
    ops = assigns(out[ids.MAP]["figure"])
    assert ops[("data", 0, "colorbar", "title", "text")] == "覆盖人口"
    assert ops[("data", 0, "text")][0].startswith("李庄村")
    en = assigns(response_of(render(client, "?minutes=5", lang="en"))[ids.MAP]["figure"])
    assert en[("data", 0, "colorbar", "title", "text")] == "Population covered"
    assert en[("data", 0, "text")][0].startswith("Lizhuang Village")


def test_a_chinese_planner_shows_chinese_warnings(client):
    # The tiny district's posts lie far from its two roads: the coverage warns of each.
    zh = response_of(render(client, "?minutes=5", lang="zh"))[ids.METHOD]["children"]
    assert "警务室 P1 距最近道路 3328 米（超过 walk_max_m = 300 米）" in zh
    assert "post P1" not in zh and "nearest road" not in zh
    en = response_of(render(client, "?minutes=5", lang="en"))[ids.METHOD]["children"]
    assert "post P1 is 3328 m from the nearest road" in en
    # A new post of the scenario far from the roads is warned of too.
    far = Scenario(minutes=5, added=((114.804, 33.704),)).to_query()
    zh = response_of(render(client, far, lang="zh"))[ids.METHOD]["children"]
    assert "警务室 P1" in zh  # the first three warnings are shown


@pytest.mark.parametrize(
    ("search", "message"),
    [
        ("?minutes=99", "错误：到达时限必须在 1 到 15 分钟之间，收到 99"),
        ("?add=x", "错误：新增警务室 1 必须写成“经度,纬度”，收到 'x'"),
        ("?speed=abc", "错误：speed 必须是数字，收到 'abc'"),
    ],
)
def test_a_chinese_planner_shows_chinese_errors(client, search, message):
    out = response_of(render(client, search, lang="zh"))
    assert out[ids.ERROR]["children"] == message


@pytest.mark.parametrize(
    ("search", "match"),
    [("?minutes=99", "minutes must be 1-15, got 99"), ("?add=x", "add: new post 1")],
)
def test_render_bad_query_shows_the_error(client, search, match):
    out = response_of(render(client, search))
    assert out[ids.ERROR]["children"].startswith("Error: ")
    assert match in out[ids.ERROR]["children"]
    assert ids.MAP not in out and ids.KPIS not in out  # left as they were


# --- suggest, save, export --------------------------------------------------------------------


def suggest(
    client, outputs, search="?minutes=5", k=1, weight="population", movable=(), goal="cover",
    share=60, lang="en",
):  # fmt: skip
    key = next(o for o in outputs if o.startswith(f"..{ids.SUGGEST_STORE}."))
    map_prop = key.split(f"{ids.MAP}.")[1].rstrip(".")  # figure@<hash>
    return call(
        client,
        [
            (ids.SUGGEST_STORE, "data"),
            (ids.SUGGEST_PANEL, "children"),
            (ids.SUGGEST_APPLY, "disabled"),
            (ids.MAP, map_prop),
        ],
        [(ids.SUGGEST_RUN, "n_clicks", 1)],
        [
            (ids.URL, "search", search),
            (ids.SUGGEST_GOAL, "value", goal),
            (ids.SUGGEST_K, "value", k),
            (ids.SUGGEST_SHARE, "value", share),
            (ids.SUGGEST_WEIGHT, "value", weight),
            (ids.SUGGEST_MOVABLE, "value", list(movable)),
            (ids.LANG_STORE, "data", lang),
        ],
        prefix=PREFIX,
    )


def test_suggest_with_a_post_that_may_move(client, outputs):
    out = response_of(suggest(client, outputs, k=1, movable=["P1"]))
    data = out[ids.SUGGEST_STORE]["data"]
    # k new posts plus one site for the post that may move.
    assert len(data["sites"]) == 2
    assert data["movable"] == ["P1"]
    new, *_ = edited(edit(client, "?minutes=5", changed=f"{ids.SUGGEST_APPLY}.n_clicks", sug=data))
    applied = parse_query(new)
    assert applied.disabled == ("P1",)
    assert len(applied.added) == 2


def test_suggest_one_post(client, outputs):
    out = response_of(suggest(client, outputs, k=1))
    data = out[ids.SUGGEST_STORE]["data"]
    assert data["k"] == 1 and len(data["sites"]) == 1
    site = data["sites"][0]
    assert site["adds"] > 0
    assert 114.80 <= site["lon"] <= 114.88 and 33.70 <= site["lat"] <= 33.78
    assert out[ids.SUGGEST_APPLY]["disabled"] is False
    # Each site is named by the township and village it lies in.
    assert site["township_en"].startswith("Dong Town ") and site["township_id"] in ("T1", "T2")
    assert site["village_en"].startswith("Lizhuang Village ")
    assert site["village_id"].startswith(site["township_id"])
    panel = texts(out[ids.SUGGEST_PANEL]["children"])
    place = f"{site['township_en']} · {site['village_en']}"
    assert any(s.startswith(f"Site 1 ({place}): +") for s in panel), panel
    [map_key] = [k for k in out if k.startswith(ids.MAP)]
    ops = assigns(next(iter(out[map_key].values())))
    assert ops[("data", 3, "lon")] == [site["lon"]]
    assert ops[("data", 3, "lat")] == [site["lat"]]
    # Applying the suggestion puts the site into the URL.
    new, *_ = edited(edit(client, "?minutes=5", changed=f"{ids.SUGGEST_APPLY}.n_clicks", sug=data))
    assert parse_query(new).added == ((round(site["lon"], 5), round(site["lat"], 5)),)


@pytest.mark.parametrize(("k", "weight"), [(None, "population"), (0, "population")])
def test_suggest_bad_input_shows_the_error(client, outputs, k, weight):
    out = response_of(suggest(client, outputs, k=k, weight=weight))
    assert out[ids.SUGGEST_STORE]["data"] is None
    assert out[ids.SUGGEST_APPLY]["disabled"] is True
    assert texts(out[ids.SUGGEST_PANEL]["children"])[0].startswith("Error: ")


def test_suggest_errors_in_chinese(client, outputs):
    out = response_of(suggest(client, outputs, k=0, lang="zh"))
    assert (
        texts(out[ids.SUGGEST_PANEL]["children"])[0]
        == "错误：新增数量必须是 1 到 50 的整数，收到 0"
    )


def test_suggest_bad_query_shows_the_error(client, outputs):
    out = response_of(suggest(client, outputs, search="?minutes=99"))
    assert "minutes must be 1-15" in out[ids.SUGGEST_PANEL]["children"]


def save(client, name, search, changed=f"{ids.SAVE_BUTTON}.n_clicks"):
    resp = call(
        client,
        [
            (ids.SAVE_STATUS, "children"),
            (ids.SAVED_SELECT, "options"),
            (ids.COMPARE_A, "options"),
            (ids.COMPARE_B, "options"),
        ],
        [
            (ids.SAVE_BUTTON, "n_clicks", 1),
            (ids.URL, "pathname", "/planner/"),
            (ids.LANG_STORE, "data", "en"),
        ],
        [
            (ids.SAVE_NAME, "value", name),
            (ids.URL, "search", search),
        ],
        changed=[changed],
        prefix=PREFIX,
    )
    out = response_of(resp)
    return out[ids.SAVE_STATUS]["children"], out[ids.SAVED_SELECT]["options"]


def test_save_then_options_then_load(client):
    query = Scenario(minutes=7, added=(ROAD_JUNCTION,)).to_query()
    status, options = save(client, "  East junction  ", query)
    assert status == "Saved: East junction"
    assert {"label": "East junction", "value": "East junction"} in options
    # A page load lists the saved scenarios without saving.
    status, options = save(client, "ignored", "?minutes=3", changed=f"{ids.URL}.pathname")
    assert status == ""
    assert "East junction" in [o["value"] for o in options]
    assert "ignored" not in [o["value"] for o in options]
    # Choosing a saved scenario puts it into the URL.
    new, minutes, _ = edited(
        edit(client, "?minutes=5", saved="East junction", changed=f"{ids.SAVED_SELECT}.value")
    )
    assert parse_query(new) == parse_query(query) and minutes == 7


def test_save_errors_in_chinese(client):
    resp = call(
        client,
        [
            (ids.SAVE_STATUS, "children"),
            (ids.SAVED_SELECT, "options"),
            (ids.COMPARE_A, "options"),
            (ids.COMPARE_B, "options"),
        ],
        [
            (ids.SAVE_BUTTON, "n_clicks", 1),
            (ids.URL, "pathname", "/planner/"),
            (ids.LANG_STORE, "data", "zh"),
        ],
        [
            (ids.SAVE_NAME, "value", ""),
            (ids.URL, "search", "?minutes=5"),
        ],
        changed=[f"{ids.SAVE_BUTTON}.n_clicks"],
        prefix=PREFIX,
    )
    assert response_of(resp)[ids.SAVE_STATUS]["children"] == "错误：方案需要名称"


def test_save_errors(client):
    status, _ = save(client, "", "?minutes=5")
    assert status == "Error: a scenario needs a name"
    status, _ = save(client, "x" * 81, "?minutes=5")
    assert status == "Error: scenario name longer than 80 characters"
    status, options = save(client, "broken", "?minutes=99")
    assert status.startswith("Error: minutes must be 1-15")
    assert "broken" not in [o["value"] for o in options]


def test_selecting_an_unknown_saved_name_does_nothing(client):
    resp = edit(client, "?minutes=5", saved="never saved", changed=f"{ids.SAVED_SELECT}.value")
    assert response_of(resp) == {}


# --- saved scenarios belong to their owner -------------------------------------------------

SECOND_PLANNER = ("planner-two", "a long password for planner two")


@pytest.fixture(scope="module")
def planners(app):
    """Two planners and an administrator, each signed in on a client of their own."""
    runtime = app.server.extensions["gridmap"]
    runtime.accounts.add_user(SECOND_PLANNER[0], "planner", [], SECOND_PLANNER[1])
    second = app.server.test_client()
    assert sign_in(second, *SECOND_PLANNER).status_code == 302
    return {
        "one": signed_in(app, "demo-planner"),
        "two": second,
        "admin": signed_in(app, "demo-admin"),
    }


def values(options) -> list[str]:
    return [o["value"] for o in options]


def test_each_planner_sees_and_loads_only_their_own_scenarios(app, planners):
    one, two, admin = planners["one"], planners["two"], planners["admin"]
    status, options = save(one, "own-one", "?minutes=7")
    assert status == "Saved: own-one" and values(options) == ["own-one"]
    status, options = save(two, "own-two", "?minutes=9")
    assert status == "Saved: own-two" and values(options) == ["own-two"]
    # Loading someone else's scenario by its name does nothing.
    resp = edit(two, "?minutes=5", saved="own-one", changed=f"{ids.SAVED_SELECT}.value")
    assert response_of(resp) == {}
    new, minutes, _ = edited(
        edit(one, "?minutes=5", saved="own-one", changed=f"{ids.SAVED_SELECT}.value")
    )
    assert minutes == 7
    # The administrator sees both, each with its owner, and may load them.
    _, options = save(admin, "", "", changed=f"{ids.URL}.pathname")
    labels = {o["value"]: o["label"] for o in options}
    assert labels["own-one"] == "own-one · demo-planner"
    assert labels["own-two"] == "own-two · planner-two"
    new, minutes, _ = edited(
        edit(admin, "?minutes=5", saved="own-two", changed=f"{ids.SAVED_SELECT}.value")
    )
    assert minutes == 9
    # Every save is in the audit trail, with the person and the name.
    rows = app.server.extensions["gridmap"].audit.query(action="scenario-save")
    assert {(r["actor"], r["target"]) for r in rows} >= {
        ("user:demo-planner", "own-one"),
        ("user:planner-two", "own-two"),
    }


def test_saving_over_someone_elses_name_is_refused_in_both_languages(app, planners):
    one, two = planners["one"], planners["two"]
    save(one, "contested", "?minutes=6")
    status, options = save(two, "contested", "?minutes=12")
    assert status == (
        "The name “contested” belongs to someone else's scenario; it was not replaced. "
        "Choose another name"
    )
    assert "contested" not in values(options)
    resp = call(
        two,
        [(ids.SAVE_STATUS, "children"), (ids.SAVED_SELECT, "options"),
         (ids.COMPARE_A, "options"), (ids.COMPARE_B, "options")],
        [(ids.SAVE_BUTTON, "n_clicks", 1), (ids.URL, "pathname", "/planner/"),
         (ids.LANG_STORE, "data", "zh")],
        [(ids.SAVE_NAME, "value", "contested"), (ids.URL, "search", "?minutes=12")],
        changed=[f"{ids.SAVE_BUTTON}.n_clicks"],
        prefix=PREFIX,
    )  # fmt: skip
    assert response_of(resp)[ids.SAVE_STATUS]["children"].startswith("名称“contested”已被他人")
    # The owner's scenario is untouched.
    _, minutes, _ = edited(
        edit(one, "?minutes=5", saved="contested", changed=f"{ids.SAVED_SELECT}.value")
    )
    assert minutes == 6


def test_the_header_names_the_person_and_offers_sign_out(planners):
    resp = call(
        planners["two"],
        [(ids.USER, "children")],
        [(ids.URL, "pathname", "/planner/"), (ids.LANG_STORE, "data", "en")],
        prefix=PREFIX,
    )
    badge = response_of(resp)[ids.USER]["children"]
    assert texts(badge) == ["planner-two · Planner", "Sign out"]
    assert badge[1]["props"]["href"] == "/logout"


def export(client, which, search, name=None, lang="en"):
    button = ids.EXPORT_CSV if which == "csv" else ids.EXPORT_GEOJSON
    resp = call(
        client,
        [(ids.DOWNLOAD, "data")],
        [(ids.EXPORT_GEOJSON, "n_clicks", 1), (ids.EXPORT_CSV, "n_clicks", 1)],
        [
            (ids.URL, "search", search),
            (ids.SAVE_NAME, "value", name),
            (ids.LANG_STORE, "data", lang),
        ],
        changed=[f"{button}.n_clicks"],
        prefix=PREFIX,
    )
    return response_of(resp)[ids.DOWNLOAD]["data"]


def test_export_csv(client):
    scenario = Scenario(added=(ROAD_JUNCTION,), disabled=("P1",))
    data = export(client, "csv", scenario.to_query())
    assert re.fullmatch(r"scenario-\d{4}-\d\d-\d\d\.csv", data["filename"])
    assert data["type"] == "text/csv"
    assert data["content"].startswith("\ufeff")  # Excel reads the Chinese names
    rows = list(csv.reader(io.StringIO(data["content"].removeprefix("\ufeff"))))
    assert rows[0] == [
        "post_id", "name_zh", "name_en", "township", "village", "lon", "lat", "status"
    ]  # fmt: skip
    assert [r[0] for r in rows[1:5]] == ["P1", "P2", "P3", "new-1"]
    assert [r[7] for r in rows[1:5]] == ["out-of-service", "active", "active", "new"]
    # Every post and new post is named by its township and village.
    assert all(
        r[3].startswith("Dong Town ") and r[4].startswith("Lizhuang Village ") for r in rows[1:5]
    )
    # Coordinates to 6 decimals at most.
    assert all(len(r[c].split(".")[-1]) <= 6 for r in rows[1:5] for c in (5, 6))
    kpi = {r[0]: r[1:] for r in rows[6:] if r}
    assert float(kpi["population_share"][0]) > float(kpi["population_share"][1]) == 0
    assert all(len(v.split(".")[-1]) <= 4 for v in kpi["population_share"] + kpi["area_share"])
    # The scenario is written readably, and as the query that reopens it.
    assert kpi["scenario"] == ["5 min; speed ×1; 1 new posts; out of service: P1"]
    assert kpi["query"] == [scenario.to_query()]


def test_export_is_named_after_the_scenario_and_the_day(app, client):
    data = export(client, "csv", "?minutes=5", name=" 东区 plan/2 ", lang="zh")
    day = local_today(app.server.extensions["gridmap"].clock).isoformat()  # the district's day
    assert data["filename"] == f"东区_plan_2-{day}.csv"
    assert export(client, "geojson", "?minutes=5", lang="zh")["filename"] == f"方案-{day}.geojson"
    rows = list(csv.reader(io.StringIO(data["content"].removeprefix("\ufeff"))))
    assert {r[0]: r[1:] for r in rows if r}["scenario"] == [
        "5 分钟；速度 ×1；新增警务室 0 处；停用：无"
    ]
    assert rows[1][3].startswith("东镇")


def test_export_geojson(client):
    scenario = Scenario(minutes=6, added=(ROAD_JUNCTION,))
    data = export(client, "geojson", scenario.to_query(), name="East")
    assert data["filename"].startswith("East-") and data["type"] == "application/geo+json"
    assert not data["content"].startswith("\ufeff")  # JSON never carries a BOM (RFC 8259)
    doc = json.loads(data["content"])
    assert "一号警务室" in data["content"]  # not \\u-escaped
    assert doc["properties"]["query"] == scenario.to_query()
    assert doc["properties"]["scenario"].startswith("6 min; speed ×1; 1 new posts")
    assert doc["properties"]["kpis"]["posts"] == 4
    assert doc["properties"]["baseline"]["posts"] == 3
    assert doc["properties"]["kpis"]["incident_share"] is None
    share = doc["properties"]["kpis"]["population_share"]
    assert share == round(share, 4)
    statuses = {f["properties"]["post_id"]: f["properties"]["status"] for f in doc["features"]}
    assert statuses == {"P1": "active", "P2": "active", "P3": "active", "new-1": "new"}
    for f in doc["features"]:
        assert f["properties"]["village"].startswith("Lizhuang Village ")
        assert all(c == round(c, 6) for c in f["geometry"]["coordinates"])


def test_a_refused_save_says_so_in_both_languages(app):
    from flask import g

    from callbacks.planner import _save_status
    from gridmap.access.roles import Principal, Scope

    runtime = app.server.extensions["gridmap"]
    with app.server.test_request_context("/planner/_dash-update-component"):
        g.principal = Principal("vera", "user", role="viewer", scope=Scope.of(["T2"]))
        assert _save_status(runtime, "x", "?minutes=5", "en") == "You may not save scenarios"
        assert _save_status(runtime, "x", "?minutes=5", "zh") == "您无权保存方案"


# --- KPI tiles: incidents, colours, units -----------------------------------------------------


@pytest.fixture(scope="module")
def incidents_app(make_tiny_app):
    """The tiny app with the incidents of tests/incident_fixtures.py in its store."""
    from tests.callbacks.incident_support import incident_app

    return incident_app(make_tiny_app)


def tile(kpis: list, tile_id: str) -> tuple[str, str, str]:
    """Return a KPI tile's value, delta text and delta class."""
    _label, value, delta = by_id(kpis, tile_id)["props"]["children"]
    return value["props"]["children"], delta["props"]["children"], delta["props"]["className"]


def test_the_incidents_tile_shows_the_share_the_api_answers(incidents_app):
    client = signed_in(incidents_app)
    scenario = Scenario(added=(ROAD_JUNCTION,))
    api = client.get(f"/api/v1/coverage?minutes=5&extra={ROAD_JUNCTION[0]},{ROAD_JUNCTION[1]}")
    share = api.get_json()["kpis"]["incident_share"]
    assert share is not None
    kpis = response_of(render(client, scenario.to_query()))[ids.KPIS]["children"]
    value, _delta, _cls = tile(kpis, "planner-kpi-incidents")
    assert value == f"{share * 100:.1f}%" != "—"


def test_fewer_people_not_covered_is_green_and_shares_move_in_points(client):
    kpis = response_of(render(client, Scenario(added=(ROAD_JUNCTION,)).to_query()))[ids.KPIS]
    value, delta, cls = tile(kpis["children"], "planner-kpi-uncovered")
    assert delta.startswith("-") and cls == "kpi-delta up"  # a fall: better, green
    _value, delta, cls = tile(kpis["children"], "planner-kpi-population")
    assert re.fullmatch(r"\+\d+\.\d pp", delta) and cls == "kpi-delta up"
    zh = response_of(render(client, Scenario(added=(ROAD_JUNCTION,)).to_query(), lang="zh"))
    _value, delta, _cls = tile(zh[ids.KPIS]["children"], "planner-kpi-area")
    assert delta.endswith("个百分点") and "%" not in delta


# --- language: every planner text follows the page's language ---------------------------------


def planner_translate(client, lang):
    """Post the planner's translate callback as the browser does (its spec from the server)."""
    deps = client.get(f"{PREFIX}/_dash-dependencies").get_json()
    dep = next(d for d in deps if f"{ids.TITLE_DISTRICT}.children" in d["output"])
    singles = [o for o in dep["output"].strip(".").split("...")[1:]]
    outputs = [[{"id": ids.text("planner-title"), "property": "children"}]]
    outputs += [{"id": o.split(".")[0], "property": o.split(".")[1]} for o in singles]
    body = {
        "output": dep["output"],
        "outputs": outputs,
        "inputs": [{"id": ids.LANG_STORE, "property": "data", "value": lang}],
        "state": [],
        "changedPropIds": [f"{ids.LANG_STORE}.data"],
    }
    return response_of(client.post(f"{PREFIX}/_dash-update-component", json=body))


@pytest.mark.parametrize(
    ("lang", "district", "placeholder"),
    [("en", "Test District", "Scenario name"), ("zh", "测试区", "方案名称")],
)
def test_the_title_and_placeholders_follow_the_language(make_tiny_app, lang, district, placeholder):
    other = {"en": "zh", "zh": "en"}[lang]
    client = signed_in(make_tiny_app(lang=other))  # the page was built in the other language
    out = planner_translate(client, lang)
    assert out[ids.TITLE_DISTRICT]["children"] == district
    assert out[ids.SAVE_NAME]["placeholder"] == placeholder
    assert out[ids.SAVED_SELECT]["placeholder"] == t("planner-saved", lang)
    assert out[ids.DEMO_BADGE]["children"] == t("demo-badge", lang)


def test_the_slider_values_are_written_beside_their_labels(client):
    out = response_of(
        call(
            client,
            [(ids.MINUTES_VALUE, "children"), (ids.SPEED_VALUE, "children")],
            [(ids.MINUTES, "value", 7), (ids.SPEED, "value", 1.25)],
            prefix=PREFIX,
        )
    )
    assert out[ids.MINUTES_VALUE]["children"] == "7"
    assert out[ids.SPEED_VALUE]["children"] == "×1.25"


def test_a_link_sets_the_slider_and_the_time_of_day_on_the_page_load(client):
    # On a load the URL fires together with the click store's first value (seen in Chromium):
    # the URL still decides, so the slider and the menu show the link's scenario.
    resp = call(
        client,
        [(ids.URL, "search"), (ids.MINUTES, "value"), (ids.SPEED, "value"), (ids.PROFILE, "value")],
        [
            (ids.CLICK_STORE, "data", None),
            (ids.MINUTES, "value", 5),
            (ids.SPEED, "value", 1.0),
            (ids.PROFILE, "value", "free"),
            (ids.RESET, "n_clicks", None),
            (ids.SUGGEST_APPLY, "n_clicks", None),
            (ids.SAVED_SELECT, "value", None),
            (ids.URL, "search", "?minutes=7&profile=rush"),
        ],
        [(ids.SUGGEST_STORE, "data", None)],
        changed=[f"{ids.CLICK_STORE}.data", f"{ids.URL}.search"],
        prefix=PREFIX,
    )
    out = response_of(resp)
    assert out[ids.MINUTES]["value"] == 7
    assert out[ids.PROFILE]["value"] == "rush"
    assert ids.URL not in out  # the link stays as it is
