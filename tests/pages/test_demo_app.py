"""The dashboard on the real demo data (data/geo): drill renders and the level-5 payload size."""

from __future__ import annotations

import json

import pytest

from app import create_app
from gridmap.settings import ROOT
from tests.auth_support import signed_in
from tests.dash_http import holds_geometry, operations, render

#: Budget for the raw (uncompressed) level-5 GeoJSON: 1.5 MB, in the 1024-based units the
#: drill benchmark prints.
LEVEL5_RAW_BUDGET = int(1.5 * 1024 * 1024)


@pytest.fixture(scope="module")
def demo_app():
    return create_app(
        {"data_dir": ROOT / "data" / "geo", "lang": "zh", "cache_type": "SimpleCache"}
    )


@pytest.fixture(scope="module")
def demo_client(demo_app):
    return signed_in(demo_app)


@pytest.fixture(scope="module")
def demo_district(demo_app):
    return demo_app.server.extensions["gridmap"].district


def test_demo_drill_and_whole_level(demo_client, demo_district):
    version = demo_district.version
    top = operations(render(demo_client, "", lang="zh"))
    townships = [demo_district.grid_of_key[k] for k in top[("data", 0, "locations")]]
    assert len(townships) == 21
    assert townships == demo_district.children(demo_district.root_id)
    assert top[("data", 0, "geojson")] == f"/geo/{version}/level-2.geojson"

    town = townships[0]
    ops = operations(render(demo_client, f"?grid={town}", lang="zh"))
    villages = [demo_district.grid_of_key[k] for k in ops[("data", 0, "locations")]]
    assert villages == demo_district.children(town)
    assert len(villages) > 1
    assert ops[("data", 0, "geojson")] == f"/geo/{version}/level-3.geojson"
    assert ops[("layout", "uirevision")] == town
    assert ops[("layout", "map", "zoom")] > top[("layout", "map", "zoom")]

    whole = operations(render(demo_client, "?view=level-5", lang="zh"))
    level5_keys = [demo_district.key_of[g] for g in demo_district.level_ids(5)]
    assert whole[("data", 0, "locations")] == level5_keys
    assert len(set(level5_keys)) == 6438
    assert whole[("data", 0, "geojson")] == f"/geo/{version}/level-5.geojson"
    assert [loc for loc, value in whole.items() if holds_geometry(value)] == []

    resp = demo_client.get(f"/geo/{version}/level-5.geojson")
    assert resp.status_code == 200
    assert len(resp.data) < LEVEL5_RAW_BUDGET, f"{len(resp.data):,} bytes"
    features = json.loads(resp.data)["features"]
    assert [f["id"] for f in features] == level5_keys
