"""Tests of gridmap.grids.district: the tree look-ups, records, posts and load_district."""

from __future__ import annotations

import shutil
from dataclasses import replace

import geopandas as gpd
import pytest
import shapely
from shapely.geometry import Point

from gridmap.errors import DataError
from gridmap.grids.district import Bounds, District, load_district


def test_tree_look_ups(tiny_district):
    d = tiny_district
    assert d.root_id == "T"
    assert ("T2112" in d, "NOPE" in d) == (True, False)
    assert [d.level_of(g) for g in ("T", "T2", "T21", "T211", "T2112")] == [1, 2, 3, 4, 5]
    assert d.parent("T") is None
    assert d.parent("T2112") == "T211"
    assert d.children("T") == ["T1", "T2"]
    assert d.children("T2112") == []
    assert d.chain("T2112") == ["T", "T2", "T21", "T211", "T2112"]
    assert d.chain("T") == ["T"]
    assert d.level_ids(3) == ["T11", "T12", "T21", "T22"]
    assert [len(d.level_ids(level)) for level in range(1, 6)] == [1, 2, 4, 8, 16]


def test_unknown_grid_raises_key_error(tiny_district):
    with pytest.raises(KeyError, match="NOPE"):
        tiny_district.level_of("NOPE")
    with pytest.raises(KeyError, match="NOPE"):
        tiny_district.record("NOPE")


def test_record_is_plain_values(tiny_district):
    rec = tiny_district.record("T2112")
    area = rec.pop("area_km2")
    assert rec == {
        "grid_id": "T2112",
        "parent_id": "T211",
        "name_zh": "网格2112",
        "name_en": "Grid 2112",
        "pinyin": "wang ge",
        "code": "T2112",
        "kind": "",
        "level": 5,
        "population": 1000,
        "staff": 1,
    }
    # 0.02 x 0.02 degrees at latitude 33.7: about 1.85 km x 2.22 km.
    assert area == pytest.approx(4.11, abs=0.01)
    assert tiny_district.record("T")["area_km2"] == pytest.approx(65.79, abs=0.01)
    # A copy: changing it leaves the district as it was.
    tiny_district.record("T")["population"] = 0
    assert tiny_district.record("T")["population"] == 13_600


def test_bounds_and_outline(tiny_district):
    bounds = tiny_district.bounds("T12")
    assert (bounds.west, bounds.south, bounds.east, bounds.north) == pytest.approx(
        (114.80, 33.74, 114.84, 33.78)
    )
    assert Bounds(0.0, 10.0, 4.0, 20.0).center == (2.0, 15.0)
    assert tiny_district.outline.bounds == pytest.approx((114.80, 33.70, 114.88, 33.78))


def test_ancestors_table(tiny_district):
    table = tiny_district.ancestors
    assert list(table.columns) == ["l1", "l2", "l3", "l4", "l5"]
    assert table.index.name == "grid_id"
    assert len(table) == 16
    assert table.loc["T2112"].tolist() == ["T", "T2", "T21", "T211", "T2112"]


def test_label_points_lie_inside_their_grid(tiny_district):
    d = tiny_district
    assert set(d.label_points) == set(d.grids.index)
    for gid, (lon, lat) in d.label_points.items():
        assert d.grids.geometry.loc[gid].contains(Point(lon, lat)), gid


def test_keys_are_base36_row_numbers(tiny_district):
    d = tiny_district
    keys = list(d.key_of.values())
    assert keys[:12] == ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "a", "b"]
    assert d.key_of["T"] == "0"
    assert all(d.grid_of_key[d.key_of[g]] == g for g in d.grids.index)


def test_posts_by_grid_and_locate(tiny_district):
    d = tiny_district
    assert d.posts_in["T"] == ["P1", "P2", "P3"]
    assert (d.posts_in["T1"], d.posts_in["T2"], d.posts_in["T12"]) == (["P1"], ["P2", "P3"], [])
    points = gpd.GeoSeries([Point(114.81, 33.71), Point(120.0, 30.0)], crs="EPSG:4326")
    assert d.locate(points) == ["T1111", None]
    assert d.locate(gpd.GeoDataFrame(geometry=points)) == ["T1111", None]


def test_post_records(tiny_district):
    records = tiny_district.post_records()
    assert [r["post_id"] for r in records] == ["P1", "P2", "P3"]
    assert records[2] == {
        "post_id": "P3",
        "name_zh": "三号警务室",
        "name_en": "Post 3",
        "officers": 2,
        "ebikes": 2,
        "lon": pytest.approx(114.87),
        "lat": pytest.approx(33.77),
    }


def test_district_without_posts(tiny_district):
    bare = District(replace(tiny_district.data, posts=None))
    assert bare.post_records() == []
    assert bare.posts_in["T"] == []


def test_name_and_demo_flag(tiny_district):
    assert tiny_district.is_demo is True
    assert tiny_district.name("en") == "Test District"
    assert tiny_district.name("zh") == "测试区"
    plain = District(replace(tiny_district.data, meta={}))
    assert plain.is_demo is False
    assert plain.name("en") == "Test District"  # from the level-1 record


def test_metric_crs_is_the_utm_zone(tiny_district):
    assert tiny_district.metric_crs.to_epsg() == 32650


def test_version_follows_the_files(tiny_dir, tmp_path, tiny_district):
    copy = tmp_path / "geo"
    shutil.copytree(tiny_dir, copy)
    assert load_district(copy).version == tiny_district.version
    assert len(tiny_district.version) == 12
    meta = copy / "district.json"
    meta.write_text(meta.read_text("utf-8").replace("Test data", "Other data"), "utf-8")
    assert load_district(copy).version != tiny_district.version


def test_load_district_refuses_a_bad_folder(tmp_path):
    with pytest.raises(DataError, match="the data folder does not exist") as info:
        load_district(tmp_path / "nowhere")
    assert [p.rule for p in info.value.problems] == ["folder"]


def test_load_district_names_a_missing_grids_file(tmp_path):
    with pytest.raises(DataError, match=r"no grids\.gpkg/\.geojson/\.json/\.shp file") as info:
        load_district(tmp_path)
    assert [p.rule for p in info.value.problems] == ["file-missing"]


def test_district_grids_carry_their_area(tiny_district):
    grids = tiny_district.grids
    assert "area_km2" in grids.columns
    children = grids.loc[tiny_district.children("T"), "area_km2"].sum()
    assert children == pytest.approx(grids.loc["T", "area_km2"], rel=1e-6)
    assert shapely.equals(tiny_district.outline, grids.geometry.loc["T"])
