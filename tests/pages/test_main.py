"""The map page (pages/main.py): its layout and initial figure over HTTP."""

from __future__ import annotations

import pytest

from tests.auth_support import signed_in
from tests.dash_http import (
    find_component,
    grids_of,
    holds_geometry,
    operations,
    render,
)
from ui import ids


@pytest.fixture(scope="module")
def district(tiny_app):
    return tiny_app.server.extensions["gridmap"].district


LAYERS_CHANGED = f"{ids.LAYER_CHECKLIST}.value"


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
        f"/geo/{version}/coverage-gaps.geojson?minutes=5",  # the gaps' edge
        f"/geo/{version}/level-1.geojson",
    ]
    # The coverage layers start hidden; the layer checklist shows them.
    visible = [layer.get("visible", True) for layer in figure["layout"]["map"]["layers"]]
    assert visible == [True, True, True, False, False, False, True]
    assert not holds_geometry(figure)
    for url in sources + [grids["geojson"]]:
        assert client.get(url).status_code == 200, url


def test_tile_server_shifts_the_road_layers(tiny_dir):
    from app import create_app

    tile_url = "http://127.0.0.1:8080/{z}/{x}/{y}.png"
    app = create_app({"data_dir": tiny_dir, "lang": "en", "tile_url": tile_url})
    tile_client = signed_in(app)
    layout = tile_client.get("/_dash-layout").get_json()
    layers = find_component(layout, ids.MAP_GRAPH)["props"]["figure"]["layout"]["map"]["layers"]
    assert layers[0]["sourcetype"] == "raster" and layers[0]["source"] == [tile_url]
    assert layers[2]["source"].endswith("/roads-minor.geojson")
    assert layers[3]["source"].endswith("/roads-major.geojson")
    ops = operations(render(tile_client, "", layers=("posts",), changed=[LAYERS_CHANGED]))
    assert ops[("layout", "map", "layers", 2, "visible")] is False
    assert ops[("layout", "map", "layers", 3, "visible")] is False
    assert ("layout", "map", "layers", 1, "visible") not in ops
