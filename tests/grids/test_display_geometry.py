"""Pure functions of gridmap/grids/display_geometry.py, on the tiny district."""

from __future__ import annotations

import gzip
import json

import pytest
import shapely

from gridmap.grids import display_geometry
from gridmap.grids.district import load_district


@pytest.fixture(scope="module")
def district(tiny_dir):
    return load_district(tiny_dir)


@pytest.mark.parametrize("level", [1, 2, 3, 4, 5])
def test_level_geojson(district, level):
    payload = display_geometry.level_geojson(district, level)
    body = json.loads(payload.raw)
    assert body["type"] == "FeatureCollection"
    # Features are named by the grids' short keys, and carry no other properties.
    assert [district.grid_of_key[f["id"]] for f in body["features"]] == district.level_ids(level)
    assert all(f["properties"] == {} for f in body["features"])
    assert gzip.decompress(payload.gzipped) == payload.raw
    assert len(payload.gzipped) < len(payload.raw)
    assert len(payload.etag) == 16
    geoms = [shapely.geometry.shape(f["geometry"]) for f in body["features"]]
    assert bool(shapely.coverage_is_valid(geoms))


@pytest.mark.parametrize("level", [1, 2, 3, 4, 5])
def test_level_geojson_ids_are_the_keys_of_the_level(district, level):
    body = json.loads(display_geometry.level_geojson(district, level).raw)
    feature_ids = [f["id"] for f in body["features"]]
    level_keys = [district.key_of[g] for g in district.level_ids(level)]
    assert feature_ids == level_keys
    assert len(set(feature_ids)) == len(feature_ids) == len(district.level_ids(level))
    # Keys are not grid ids (the tiny ids all start with "T"; keys are base-36 digits).
    assert not set(feature_ids) & set(district.level_ids(level))
    assert all(k.isalnum() and k == k.lower() for k in feature_ids)


def test_payload_is_deterministic(district):
    a = display_geometry.level_geojson(district, 5)
    b = display_geometry.level_geojson(district, 5)
    assert (a.raw, a.gzipped, a.etag) == (b.raw, b.gzipped, b.etag)
    assert a.etag != display_geometry.level_geojson(district, 4).etag


def test_outline_lines(district):
    lons, lats = display_geometry.grid_outline_lines(district, "T12")
    assert (min(lons), max(lons)) == pytest.approx((114.80, 114.84))
    assert (min(lats), max(lats)) == pytest.approx((33.74, 33.78))
    assert None not in lons and lons[0] == lons[-1]
