"""Display geometry over HTTP: /geo/<version>/<layer>.geojson."""

from __future__ import annotations

import gzip
import json

import pytest
import shapely

from gridmap.views.urls import level_url, url_for_layer
from web.geo_routes import CACHE_CONTROL, PRIVATE_CACHE_CONTROL


@pytest.fixture(scope="module")
def district(tiny_app):
    return tiny_app.server.extensions["gridmap"].district


def url(district, name: str) -> str:
    return f"/geo/{district.version}/{name}.geojson"


@pytest.mark.parametrize("level", [1, 2, 3, 4, 5])
def test_gzip_and_plain_carry_the_same_geojson(client, district, level):
    plain = client.get(url(district, f"level-{level}"))
    zipped = client.get(url(district, f"level-{level}"), headers={"Accept-Encoding": "gzip"})
    assert plain.status_code == zipped.status_code == 200
    assert "Content-Encoding" not in plain.headers
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert plain.mimetype == zipped.mimetype == "application/geo+json"
    assert gzip.decompress(zipped.data) == plain.data
    assert "Accept-Encoding" in plain.headers["Vary"]  # and Cookie: answers depend on who asks
    assert plain.headers["ETag"] == zipped.headers["ETag"]


@pytest.mark.parametrize("name", ["level-3", "roads-major", "water"])
def test_etag_and_cache_control(client, district, name):
    first = client.get(url(district, name))
    assert first.headers["Cache-Control"] == CACHE_CONTROL
    assert "immutable" in first.headers["Cache-Control"]
    etag = first.headers["ETag"]
    assert etag.startswith('"') and etag.endswith('"')
    again = client.get(url(district, name), headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["ETag"] == etag
    assert again.headers["Cache-Control"] == CACHE_CONTROL
    other = client.get(url(district, name), headers={"If-None-Match": '"0123456789abcdef"'})
    assert other.status_code == 200


def test_levels_have_different_etags(client, district):
    tags = {client.get(url(district, f"level-{n}")).headers["ETag"] for n in range(1, 6)}
    assert len(tags) == 5


def test_url_for_layer(district):
    assert url_for_layer("abc", "level", 3) == "/geo/abc/level-3.geojson"
    assert url_for_layer("abc", "roads-minor") == "/geo/abc/roads-minor.geojson"


def test_stale_version_is_404(client, district):
    resp = client.get("/geo/000000000000/level-2.geojson")
    assert resp.status_code == 404
    assert "is not the loaded data" in resp.get_data(as_text=True)


@pytest.mark.parametrize(
    "name", ["level-0", "level-6", "level-", "level-x", "level-05x", "roads", "grids", "Water"]
)
def test_unknown_layer_is_404(client, district, name):
    resp = client.get(url(district, name))
    assert resp.status_code == 404
    assert "no geometry layer" in resp.get_data(as_text=True)


def test_roads_split_by_class(client, district):
    major = json.loads(client.get(url(district, "roads-major")).data)
    minor = json.loads(client.get(url(district, "roads-minor")).data)
    assert [f["properties"]["c"] for f in major["features"]] == ["arterial"]
    assert [f["properties"]["c"] for f in minor["features"]] == ["village"]
    assert major["features"][0]["geometry"]["type"] == "LineString"
    assert major["features"][0]["geometry"]["coordinates"] == [[114.8, 33.74], [114.84, 33.74]]


def test_water(client, district):
    water = json.loads(client.get(url(district, "water")).data)
    assert water["type"] == "FeatureCollection"
    assert len(water["features"]) == 1
    geom = shapely.geometry.shape(water["features"][0]["geometry"])
    assert geom.bounds == pytest.approx((114.86, 33.71, 114.87, 33.72))


@pytest.mark.parametrize("level", [1, 2, 3, 4, 5])
def test_level_geometry_is_a_valid_coverage_one_feature_per_grid(client, district, level):
    body = json.loads(client.get(url(district, f"level-{level}")).data)
    assert body["type"] == "FeatureCollection"
    features = body["features"]
    assert [f["id"] for f in features] == [district.key_of[g] for g in district.level_ids(level)]
    assert [district.grid_of_key[f["id"]] for f in features] == district.level_ids(level)
    geoms = [shapely.geometry.shape(f["geometry"]) for f in features]
    assert all(g.geom_type in ("Polygon", "MultiPolygon") and g.is_valid for g in geoms)
    assert bool(shapely.coverage_is_valid(geoms))
    # Together they cover the district (the simplified boxes stay boxes).
    union = shapely.union_all(geoms)
    assert union.area == pytest.approx(district.outline.area, rel=1e-6)


def test_times_layer_holds_one_polygon_per_class_of_the_scenario(client, district):
    from gridmap.coverage.time_layer import class_labels

    # The tiny district's posts stand kilometres from its roads: a new post at the junction.
    base = client.get(f"/geo/{district.version}/times.geojson?minutes=5").get_json()
    body = client.get(
        f"/geo/{district.version}/times.geojson?minutes=5&add=114.84,33.74"
    ).get_json()
    assert len(body["features"]) > len(base["features"])
    features = body["features"]
    assert features and all(f["id"] == str(f["properties"]["cls"]) for f in features)
    labels = class_labels()
    assert labels == ["≤2", "2–5", "5–8", "8–12", ">12"]
    assert all(f["properties"]["label"] == labels[f["properties"]["cls"]] for f in features)
    area = sum(f["properties"]["area_km2"] for f in features)
    outline = shapely.area(
        shapely.from_geojson(
            json.dumps(client.get(url(district, "level-1")).get_json()["features"][0]["geometry"])
        )
    )
    assert area > 0 and outline > 0
    # A new post and rush hour change the layer; the query is the scenario's.
    rush = client.get(f"/geo/{district.version}/times.geojson?add=114.84,33.74&profile=rush")
    assert rush.status_code == 200 and rush.get_json() != body


@pytest.mark.parametrize("query", ["?profile=dawn", "?minutes=99", "?add=1,2,3"])
def test_times_layer_refuses_a_bad_scenario(client, district, query):
    res = client.get(f"/geo/{district.version}/times.geojson{query}")
    assert res.status_code == 400 and "error" in res.get_json()


def test_difference_layers_hold_the_places_gained_and_lost(client, district):
    from gridmap.coverage.scenario import Scenario
    from gridmap.views.urls import difference_url

    today = Scenario()
    moved = Scenario(added=((114.84, 33.74),), disabled=("P1",))
    gained = client.get(difference_url(district.version, "gained", today, moved)).get_json()
    lost = client.get(difference_url(district.version, "lost", today, moved)).get_json()
    assert gained["features"][0]["id"] == "gained" and lost["features"][0]["id"] == "lost"
    assert gained["features"][0]["properties"]["area_km2"] > 0
    back = client.get(difference_url(district.version, "lost", moved, today)).get_json()
    assert back["features"][0]["properties"] == {
        **gained["features"][0]["properties"],
        "kind": "lost",
    }


@pytest.mark.parametrize(
    ("path", "status"),
    [("difference-gained.geojson?a=minutes%3D99", 400), ("difference-both.geojson", 404),
     ("difference-lost.geojson?b=profile%3Ddawn", 400)],
)  # fmt: skip
def test_difference_layers_refuse_bad_requests(client, district, path, status):
    assert client.get(f"/geo/{district.version}/{path}").status_code == status


def test_times_image_is_a_png_a_pixel_a_cell(client, district, tiny_app):
    import io

    import numpy as np

    body = client.get(f"/geo/{district.version}/times.png?add=114.84,33.74")
    assert body.status_code == 200 and body.mimetype == "image/png"
    assert body.data.startswith(b"\x89PNG\r\n\x1a\n")
    model = tiny_app.server.extensions["gridmap"].coverage_model
    width, height = np.frombuffer(body.data[16:24], dtype=">u4")
    assert (width, height) == (model.raster.nx, model.raster.ny)
    again = client.get(
        f"/geo/{district.version}/times.png?add=114.84,33.74",
        headers={"If-None-Match": body.headers["ETag"]},
    )
    assert again.status_code == 304
    assert client.get(f"/geo/{district.version}/times.png?profile=x").status_code == 400
    del io


# -- a scoped reader's grids ------------------------------------------------------------------
def keys_of(answer) -> list[str]:
    return [f["id"] for f in json.loads(answer.data)["features"]]


def t1_keys(district, level: int) -> list[str]:
    return [district.key_of[g] for g in district.level_ids(level) if g.startswith("T1")]


@pytest.fixture()
def township(tiny_app):
    from tests.auth_support import signed_in

    return signed_in(tiny_app, "demo-township")  # T1 of the tiny district


@pytest.mark.parametrize("level", [3, 4, 5])
def test_a_township_officer_gets_only_their_grids(township, client, district, level):
    own = township.get(level_url(district.version, level, "T1"))
    assert own.status_code == 200
    assert keys_of(own) == t1_keys(district, level)
    assert 0 < len(keys_of(own)) < len(district.level_ids(level))
    assert own.headers["Cache-Control"] == PRIVATE_CACHE_CONTROL  # no shared cache keeps it
    # Each grid has the outline it has in the whole level (simplified whole, then kept).
    whole = {
        f["id"]: f["geometry"]
        for f in json.loads(client.get(url(district, f"level-{level}")).data)["features"]
    }
    assert all(f["geometry"] == whole[f["id"]] for f in json.loads(own.data)["features"])


@pytest.mark.parametrize("query", ["", "?scope=T2", "?scope=T1,T2", "?scope=T", "?scope=t1"])
def test_a_township_officer_asking_for_other_grids_is_refused(township, district, query):
    answer = township.get(url(district, "level-4") + query)
    assert answer.status_code == 403
    body = answer.get_json()
    assert body["parameter"] == "scope" and "?scope=T1" in body["error"]
    assert b"T2" not in answer.data  # the refusal names nothing of what was asked


def test_the_district_and_the_townships_are_everyones_map(township, district):
    for level in (1, 2):
        answer = township.get(level_url(district.version, level, "T1"))
        assert answer.status_code == 200
        assert len(keys_of(answer)) == len(district.level_ids(level))
        assert answer.headers["Cache-Control"] == CACHE_CONTROL


def test_the_commander_may_ask_any_scope(client, district):
    whole = client.get(url(district, "level-5"))
    assert len(keys_of(whole)) == len(district.level_ids(5))
    part = client.get(url(district, "level-5") + "?scope=T1")
    assert part.status_code == 200 and keys_of(part) == t1_keys(district, 5)
    bad = client.get(url(district, "level-5") + "?scope=T1,nowhere")
    assert bad.status_code == 400
    assert bad.get_json() == {
        "error": "scope: no grid 'nowhere' in the district",
        "status": 400,
        "parameter": "scope",
    }


def test_level_url_names_a_partial_scope_from_level_3():
    assert level_url("abc", 3) == "/geo/abc/level-3.geojson"
    assert level_url("abc", 2, "T1") == "/geo/abc/level-2.geojson"
    assert level_url("abc", 3, "T1,T2") == "/geo/abc/level-3.geojson?scope=T1,T2"
    assert level_url("abc", 5, "a b&c") == "/geo/abc/level-5.geojson?scope=a%20b%26c"
