"""The main map's figure builders (layers/map_figure.py, grid, posts and selection layers)."""

from __future__ import annotations

import pytest

from gridmap.grids.district import load_district
from gridmap.views.map_view import build_view
from gridmap.views.url_state import NavState
from gridmap.views.urls import layer_urls, level_url
from layers.map_figure import (
    GRID_TRACE,
    HEAT_TRACE,
    INCIDENT_TRACE,
    POSTS_TRACE,
    SELECTION_TRACE,
    grid_click_points,
    map_figure,
    view_changes,
)
from layers.posts_layer import posts_trace
from layers.selection_layer import selection_trace


@pytest.fixture(scope="module")
def district(tiny_dir):
    return load_district(tiny_dir)


@pytest.fixture(scope="module")
def view(district):
    return build_view(district, NavState(), "density", "en", (1000, 700), None)


def test_map_figure_loads_geometry_by_url(district, view):
    url = level_url(district.version, view.level)
    figure = map_figure(
        view, url, layer_urls(district.version), ([], []), district.post_records(), "en"
    )
    data = figure["data"]
    assert data[GRID_TRACE]["geojson"] == url
    assert data[SELECTION_TRACE]["mode"] == "lines"
    assert data[POSTS_TRACE]["customdata"] == ["P1", "P2", "P3"]
    assert data[HEAT_TRACE]["visible"] is False and data[INCIDENT_TRACE]["visible"] is False
    sources = [layer["source"] for layer in figure["layout"]["map"]["layers"]]
    assert sources[-1] == f"/geo/{district.version}/level-1.geojson"


def test_map_figure_with_tiles_puts_the_raster_first(district, view):
    url = level_url(district.version, view.level)
    figure = map_figure(
        view, url, layer_urls(district.version), ([], []), [], "en", "http://t/{z}/{x}/{y}.png"
    )
    assert figure["layout"]["map"]["layers"][0]["sourcetype"] == "raster"


def test_view_changes_name_only_paths_of_the_figure(district, view):
    changes = view_changes(view, "/geo/v/level-2.geojson", ([1.0], [2.0]))
    assert changes
    assert all(path.split(".")[0] in ("data", "layout") for path in changes)


def test_grid_click_points_drop_heat_and_incident_dots():
    click = {
        "points": [
            {"curveNumber": HEAT_TRACE},
            {"curveNumber": GRID_TRACE, "location": "a"},
            {"curveNumber": INCIDENT_TRACE},
            {"curveNumber": POSTS_TRACE, "customdata": "P1"},
        ]
    }
    assert grid_click_points(click) == [click["points"][1], click["points"][3]]
    assert grid_click_points(None) == [] and grid_click_points({"points": None}) == []


def test_posts_and_selection_traces():
    posts = [{"post_id": "P", "name_zh": "岗", "name_en": "Post", "lon": 1, "lat": 2,
              "officers": 1, "ebikes": 2}]  # fmt: skip
    trace = posts_trace(posts, "en", visible=False)
    assert trace["customdata"] == ["P"] and trace["visible"] is False
    assert "Post" in trace["text"][0]
    line = selection_trace([1.0, None], [2.0, None])
    assert line["mode"] == "lines" and line["lon"] == [1.0, None]


@pytest.mark.parametrize(("value_format", "tickformat"), [(",", ",~r"), (".0%", ".0%")])
def test_colour_bar_ticks_are_plain_numbers(value_format, tickformat):
    # "~s" wrote a rate of 0.2 per 1,000 as "200m": read as metres.
    from layers.grid_layer import colorbar_format

    assert colorbar_format(value_format) == tickformat
    assert "s" not in colorbar_format(",")
