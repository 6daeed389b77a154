"""The planner figure: named trace and layer indexes, and the updates written through them."""

from __future__ import annotations

from layers.planner_figure import (
    COVERAGE_LAYER,
    GAPS_LAYER,
    GRID_TRACE,
    NEW_TRACE,
    POSTS_TRACE,
    SUGGESTED_TRACE,
    planner_figure,
    update_scenario,
    update_suggested,
)

POSTS = [
    {"post_id": "P1", "lon": 114.5, "lat": 33.5, "name_zh": "一", "name_en": "One"},
    {"post_id": "P2", "lon": 114.6, "lat": 33.6, "name_zh": "二", "name_en": "Two"},
]
URLS = {"coverage": "c.geojson", "gaps": "g.geojson", "roads-major": "r", "outline": "o"}


def figure() -> dict:
    grid = {"grid_url": "v.geojson", "ids": [], "shares": [], "hover": [], "label": "share"}
    return planner_figure(grid, POSTS, (), [], URLS, (114.5, 33.5), 11, "en")


def test_the_named_indexes_point_at_their_traces_and_layers():
    fig = figure()
    assert fig["data"][GRID_TRACE]["type"] == "choroplethmap"
    assert fig["data"][POSTS_TRACE]["lon"] == [114.5, 114.6]
    assert fig["data"][NEW_TRACE]["marker"]["color"] == "#12a150"
    assert fig["data"][SUGGESTED_TRACE]["marker"]["color"] == "#8e3fd1"
    layers = fig["layout"]["map"]["layers"]
    assert layers[COVERAGE_LAYER]["source"] == "c.geojson"
    assert layers[GAPS_LAYER]["source"] == "g.geojson"


def test_update_scenario_writes_the_layers_shares_posts_and_new_posts():
    fig = figure()
    update_scenario(
        fig,
        coverage_src="c2",
        gaps_src="g2",
        village_keys=["k1", "k2"],
        shares=[0.5, None],
        posts=POSTS,
        disabled=("P2",),
        added=((114.7, 33.7),),
        lang="en",
    )
    layers = fig["layout"]["map"]["layers"]
    assert (layers[COVERAGE_LAYER]["source"], layers[GAPS_LAYER]["source"]) == ("c2", "g2")
    assert fig["data"][GRID_TRACE]["z"] == [0.5, None]
    assert fig["data"][GRID_TRACE]["locations"] == ["k1", "k2"]
    assert fig["data"][POSTS_TRACE]["marker"]["size"] == [10, 8]
    assert fig["data"][NEW_TRACE]["lon"] == [114.7] and fig["data"][NEW_TRACE]["lat"] == [33.7]
    assert fig["data"][NEW_TRACE]["text"] == ["New post 1"]


def test_a_new_post_is_named_by_its_township_and_village():
    fig = figure()
    place = {"township_zh": "东镇", "township_en": "Dong Town", "village_zh": "李庄",
             "village_en": "Lizhuang"}  # fmt: skip
    expected = {"en": "New post 1 (Dong Town · Lizhuang)", "zh": "新增警务室 1（东镇 · 李庄）"}
    for lang, text in expected.items():
        update_scenario(
            fig, coverage_src="c", gaps_src="g", village_keys=[], shares=[], posts=POSTS,
            disabled=(), added=((114.7, 33.7),), lang=lang, added_places=[place],
        )  # fmt: skip
        assert fig["data"][NEW_TRACE]["text"] == [text]


def test_update_suggested_writes_the_sites():
    fig = figure()
    update_suggested(fig, [{"lon": 114.1, "lat": 33.1, "adds": 12.0}], "en")
    trace = fig["data"][SUGGESTED_TRACE]
    assert (trace["lon"], trace["lat"]) == ([114.1], [33.1])
    assert len(trace["text"]) == 1 and "12" in trace["text"][0]


def test_the_helpers_write_into_a_dash_patch():
    from dash import Patch

    patch = Patch()
    update_suggested(patch, [{"lon": 1.0, "lat": 2.0, "adds": 3.0}], "en")
    ops = patch.to_plotly_json()["operations"]
    assert {
        "operation": "Assign",
        "location": ["data", SUGGESTED_TRACE, "lon"],
        "params": {"value": [1.0]},
    } in ops


def test_a_p_median_site_says_the_minutes_it_takes_off_the_mean():
    fig = {"data": [{} for _ in range(10)]}
    site = {
        "lon": 114.1,
        "lat": 33.1,
        "adds": 0.12,
        "township_zh": "城关镇",
        "village_zh": "李庄村",
    }
    update_suggested(fig, [site], "zh", goal="median")
    from layers.planner_figure import SUGGESTED_TRACE

    text = fig["data"][SUGGESTED_TRACE]["text"][0]
    assert "0.12" in text and "+" not in text
    update_suggested(fig, [site], "zh")
    assert fig["data"][SUGGESTED_TRACE]["text"][0].endswith("+0")
