"""Pure functions of gridmap/grids/display_geometry.py, on the tiny district."""

from __future__ import annotations

import gzip
import hashlib
import json
from dataclasses import replace

import pytest
import shapely

from gridmap.grids import display_geometry
from gridmap.grids.display_geometry import GeoJSONPayload
from gridmap.grids.district import District, load_district


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


EMPTY = {"type": "FeatureCollection", "features": []}


def test_payload_is_compact_utf8_with_a_sha1_etag():
    payload = GeoJSONPayload.from_obj({"name": "小湖", "n": [1, 2]})
    assert payload.raw == '{"name":"小湖","n":[1,2]}'.encode()
    assert payload.etag == hashlib.sha1(payload.raw).hexdigest()[:16]
    assert gzip.decompress(payload.gzipped) == payload.raw
    # mtime=0: the same object gives the same bytes, whenever it is built.
    assert GeoJSONPayload.from_obj({"name": "小湖", "n": [1, 2]}) == payload


@pytest.mark.parametrize(
    ("major", "road", "kind"), [(True, "R1", "arterial"), (False, "R2", "village")]
)
def test_roads_split_into_major_and_minor(tiny_district, major, road, kind):
    body = json.loads(display_geometry.roads_geojson(tiny_district, major).raw)
    (feature,) = body["features"]
    assert feature["properties"] == {"c": kind}
    assert feature["id"] == "0"
    expected = tiny_district.roads.geometry[tiny_district.roads["road_id"] == road].iloc[0]
    assert shapely.equals_exact(shapely.geometry.shape(feature["geometry"]), expected, 1e-5)


def test_water(tiny_district):
    body = json.loads(display_geometry.water_geojson(tiny_district).raw)
    (feature,) = body["features"]
    assert (feature["id"], feature["properties"]) == ("0", {})
    assert shapely.geometry.shape(feature["geometry"]).bounds == pytest.approx(
        (114.86, 33.71, 114.87, 33.72)
    )


def test_no_roads_nor_water_give_empty_collections(tiny_district):
    bare = District(replace(tiny_district.data, roads=None, water=None))
    for payload in (
        display_geometry.roads_geojson(bare, True),
        display_geometry.roads_geojson(bare, False),
        display_geometry.water_geojson(bare),
    ):
        assert json.loads(payload.raw) == EMPTY


def test_level_coordinates_are_rounded_to_five_decimals(tiny_district):
    body = json.loads(display_geometry.level_geojson(tiny_district, 1).raw)
    coords = shapely.get_coordinates(shapely.geometry.shape(body["features"][0]["geometry"]))
    assert (coords.round(5) == coords).all()
    assert shapely.geometry.shape(body["features"][0]["geometry"]).bounds == pytest.approx(
        (114.80, 33.70, 114.88, 33.78)
    )


def test_level_tolerances_cover_every_level():
    from gridmap.grids.schema import LEVELS

    assert sorted(display_geometry.TOLERANCE_M) == list(LEVELS)
    assert display_geometry.MAJOR_ROADS == ("arterial", "county")


def test_outline_of_the_district_is_one_closed_ring(tiny_district):
    lons, lats = display_geometry.grid_outline_lines(tiny_district, "T")
    assert None not in lons
    assert (lons[0], lats[0]) == (lons[-1], lats[-1])
    assert (min(lons), max(lons), min(lats), max(lats)) == pytest.approx(
        (114.80, 114.88, 33.70, 33.78)
    )


def test_outline_of_an_unknown_grid(tiny_district):
    with pytest.raises(KeyError, match="NOPE"):
        display_geometry.grid_outline_lines(tiny_district, "NOPE")
