"""A county that is not Huaiyang, from its raw files to incidents (tests/e2e/county_district.py).

One folder goes the way a new user takes: ``init`` writes its ``district.json``, ``check``
passes with notes on what it decided, the server serves it, the API and the planner cover it,
suggested posts lie inside it, incidents of its own categories are taken in, and a real browser
drills it to level 5.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import pytest
import shapely
from shapely.geometry import Point

from app import main
from gridmap.grids.district import load_district
from tests.auth_support import sign_in
from tests.browser_support import browser_page, require_chromium, serve
from tests.dash_http import call, response_of
from tests.e2e.county_district import NAME, write_county
from tests.pages.test_browser import GRAPH, drill_to_level5
from ui import planner_ids

TOKEN = "county-intake-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
ROOT = "341622"
PASSWORD = "qingshi-commander-2026"


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    """The county's folder after ``init``, with what init and check printed."""
    folder = write_county(tmp_path_factory.mktemp("county") / "qingshi")
    capture = pytest.MonkeyPatch()
    import io
    import sys

    outputs = {}
    for command in ("init", "check"):
        out, err = io.StringIO(), io.StringIO()
        capture.setattr(sys, "stdout", out)
        capture.setattr(sys, "stderr", err)
        try:
            code = main([command, str(folder)])
        finally:
            capture.undo()
        outputs[command] = (code, out.getvalue(), err.getvalue())
    return folder, outputs


@pytest.fixture(scope="module")
def app(county, make_tiny_app):
    folder, _ = county
    app = make_tiny_app(data_dir=folder, api_token=TOKEN, lang="zh")
    runtime = app.server.extensions["gridmap"]
    runtime.accounts.add_user("qingshi-commander", "commander", [], PASSWORD)
    return app


@pytest.fixture(scope="module")
def district(app):
    return app.server.extensions["gridmap"].district


@pytest.fixture()
def client(app):
    return _signed_in(app)


def _signed_in(app):
    client = app.server.test_client()
    answer = sign_in(client, "qingshi-commander", PASSWORD)
    assert answer.status_code == 302, answer.get_data(as_text=True)[:300]
    return client


def test_init_writes_the_mapping_the_counts_and_the_countys_word(county):
    folder, outputs = county
    code, out, _ = outputs["init"]
    assert code == 0
    assert "found: grids.shp: text read as GB18030 (detected)" in out
    assert "grid_id <- 编码, parent_id <- 上级编码, level <- 级别, name_zh <- 名称" in out
    assert "found: level 1 named 县 (the district is 青石县)" in out
    assert "grids per level: level 1: 1, level 2: 3, level 3: 6, level 4: 12, level 5: 24" in out
    assert (folder / "district.json").is_file()


def test_check_passes_and_says_what_it_decided(county):
    _, outputs = county
    code, out, err = outputs["check"]
    assert code == 0, err
    assert "note: roads.gpkg: road classes mapped (6 segments)" in out
    assert re.search(r"note: roads.gpkg: \d+ junction\(s\) where roads met without a shared", out)
    assert "note: categories: 3 from categories.json" in out
    assert "level 5: 24 grids" in out and out.rstrip().endswith("OK")


def test_the_loaded_county_reads_its_names_and_roads(district):
    assert district.name("zh") == NAME
    assert district.record("341622-01")["name_zh"] == "东关镇"  # GBK read right, not mojibake
    assert district.record("341622-01")["pinyin"] == "dong guan zhen"
    assert set(district.roads["road_class"]) == {"arterial", "county", "village"}  # 国道 县道 乡道
    assert district.grids["population"].isna().all()
    assert district.categories.ids == ("land", "neighbourhood", "grazing")
    assert district.categories.default_unit("land").zh == "县自然资源局"
    assert district.metric_crs.to_epsg() == 32651  # about 121°E: not Huaiyang


def test_the_server_answers_with_the_countys_words(client, district):
    health = client.get("/api/v1/health").get_json()
    assert health["grids"] == {"1": 1, "2": 3, "3": 6, "4": 12, "5": 24}
    assert health["posts"] == 3 and health["demo"] is False
    grid = client.get(f"/api/v1/grids/{ROOT}").get_json()
    assert grid["grid"]["level_name"] == {"zh": "县", "en": "County"}
    assert [c["name_zh"] for c in grid["children"]] == ["东关镇", "西河乡", "南岗乡"]
    assert all(c["population"] is None for c in grid["children"])
    page = json.dumps(client.get("/_dash-layout").get_json(), ensure_ascii=False)
    assert "放牧纠纷" in page  # the county's own category in the filter menu
    assert "消防安全隐患" not in page  # a default it does not list


def test_coverage_and_a_suggestion_inside_the_county(client, district):
    coverage = client.get("/api/v1/coverage?minutes=5&geometry=0")
    assert coverage.status_code == 200, coverage.get_json()
    body = coverage.get_json()
    assert body["method"] == "network"
    assert body["kpis"]["area_share"] > 0
    assert len(body["warnings_zh"]) == len(body["warnings"])
    answer = client.get("/api/v1/coverage/suggest?k=3&minutes=5")
    assert answer.status_code == 200, answer.get_json()
    suggestion = answer.get_json()
    assert suggestion["weight"] == "area"  # no population: the sites cover area, and say so
    assert len(suggestion["sites"]) == 3
    outline = district.outline
    for site in suggestion["sites"]:
        assert shapely.covers(outline, Point(site["lon"], site["lat"])), site
    assert suggestion["kpis_after"]["area_share"] > suggestion["kpis_before"]["area_share"]


def test_the_chinese_planner_suggests_by_area_and_says_so(client):
    deps = client.get("/planner/_dash-dependencies").get_json()
    key = next(
        d["output"] for d in deps if d["output"].startswith(f"..{planner_ids.SUGGEST_STORE}.")
    )
    map_prop = key.split(f"{planner_ids.MAP}.")[1].rstrip(".")
    resp = call(
        client,
        [
            (planner_ids.SUGGEST_STORE, "data"),
            (planner_ids.SUGGEST_PANEL, "children"),
            (planner_ids.SUGGEST_APPLY, "disabled"),
            (planner_ids.MAP, map_prop),
        ],
        [(planner_ids.SUGGEST_RUN, "n_clicks", 1)],
        [
            (planner_ids.URL, "search", "?minutes=5"),
            (planner_ids.SUGGEST_GOAL, "value", "cover"),
            (planner_ids.SUGGEST_K, "value", 2),
            (planner_ids.SUGGEST_SHARE, "value", 60),
            (planner_ids.SUGGEST_WEIGHT, "value", "population"),
            (planner_ids.SUGGEST_MOVABLE, "value", []),
            (planner_ids.LANG_STORE, "data", "zh"),
        ],
        prefix="/planner",
    )
    out = response_of(resp)
    assert out[planner_ids.SUGGEST_STORE]["data"]["weight"] == "area"
    note = out[planner_ids.SUGGEST_PANEL]["children"][0]["props"]["children"]
    assert note == "本辖区没有人口数据：推荐点按覆盖面积计算"


def test_incidents_of_the_countys_categories_are_taken_in(client, app, district):
    point = district.label_points["341622-02-01-01-01"]
    now = datetime.now(UTC).replace(microsecond=0).isoformat()
    records = [
        {"id": "qs-1", "category": "grazing", "reported_at": now, "lon": point[0], "lat": point[1]},
        {"id": "qs-2", "category": "land", "reported_at": now, "lon": point[0], "lat": point[1]},
        {"id": "qs-3", "category": "fire", "reported_at": now, "lon": point[0], "lat": point[1]},
        {"id": "qs-4", "category": "land", "reported_at": now, "lon": 114.9, "lat": 33.7},
    ]
    answer = client.post("/api/v1/incidents", json=records, headers=AUTH)
    assert answer.status_code in (200, 201, 207), answer.get_json()
    body = answer.get_json()
    assert answer.status_code == 207 and body["stored_ids"] == ["qs-1", "qs-2"]
    refused = {r["id"]: r for r in body["rejected"]}
    assert refused["qs-3"]["field"] == "category"
    assert "known: land, neighbourhood, grazing" in refused["qs-3"]["message"]
    assert "outside the district" in refused["qs-4"]["message"]  # Huaiyang is not this county
    stored = client.get("/api/v1/incidents/qs-1", headers=AUTH).get_json()
    assert stored["unit"] == "乡镇调解委员会" and stored["g2"] == "341622-02"
    assert client.get("/api/v1/incidents/qs-2", headers=AUTH).get_json()["unit"] == "县自然资源局"
    listed = client.get("/api/v1/incidents?category=grazing", headers=AUTH).get_json()
    assert [r["id"] for r in listed["incidents"]] == ["qs-1"]
    bad = client.get("/api/v1/incidents?category=fire", headers=AUTH)
    assert bad.status_code == 400 and "unknown category(s) ['fire']" in bad.get_json()["error"]


@pytest.mark.browser
def test_a_browser_drills_the_county_to_level_5(app, tmp_path):
    require_chromium()
    from tests.browser_support import ARTIFACTS

    with serve(app.server) as base, browser_page(base, user=None) as (page, foreign):
        _browser_sign_in(page, base)
        page.goto(base + "/")
        page.wait_for_selector(GRAPH)
        chosen = drill_to_level5(page, base, ROOT)
        assert [c.count("-") for c in chosen] == [1, 2, 3, 4, 4]
        page.wait_for_function(
            f"() => document.querySelector('#detail-code-value')?.textContent === '{chosen[-1]}'"
        )
        crumbs = page.locator(".crumb").all_inner_texts()
        assert crumbs[0].startswith(NAME)
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "county-level5.png"))
        assert foreign == []


def _browser_sign_in(page, base: str) -> None:
    html = page.request.get(f"{base}/login").text()
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    answer = page.request.post(
        f"{base}/login",
        form={"name": "qingshi-commander", "password": PASSWORD, "csrf_token": token, "next": "/"},
        headers={"Origin": base},
        max_redirects=0,
    )
    assert answer.status == 302, answer.text()[:300]


def test_the_district_loads_by_itself_too(county):
    folder, _ = county
    assert load_district(folder).root_id == ROOT


def test_the_planner_colours_the_villages_by_area_covered(client):
    from tests.callbacks.test_planner import render

    resp = render(client, "?minutes=5", lang="zh", level=3, layer="coverage")
    out = response_of(resp)
    ops = {
        tuple(op["location"]): op["params"]["value"]
        for op in out[planner_ids.MAP]["figure"]["operations"]
        if op["operation"] == "Assign"
    }
    assert ops[("data", 0, "colorbar", "title", "text")] == "面积覆盖率"
    shares = ops[("data", 0, "z")]
    assert len(shares) == 6 and None not in shares and max(shares) > 0
    # The posts reach the trunk roads: no post stands on a road island.
    assert "孤立路网" not in out[planner_ids.METHOD]["children"]
