"""Tests of gridmap.demo.build: the committed demo data in data/geo and small builds."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely
from geopandas.testing import assert_geodataframe_equal

from gridmap.demo import DemoConfig, build_demo, write_demo
from gridmap.demo.config import SMALL

GEO = Path(__file__).resolve().parents[2] / "data" / "geo"
UTM = "EPSG:32650"
EXPECTED = {1: 1, 2: 21, 3: 484, 4: 2073, 5: 6438}
POPULATION = 1_022_322


@pytest.fixture(scope="module")
def grids() -> gpd.GeoDataFrame:
    return gpd.read_file(GEO / "grids.gpkg")


@pytest.fixture(scope="module")
def grids_utm(grids: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return grids.to_crs(UTM)


@pytest.fixture(scope="module")
def posts() -> gpd.GeoDataFrame:
    return gpd.read_file(GEO / "posts.gpkg")


@pytest.fixture(scope="module")
def roads() -> gpd.GeoDataFrame:
    return gpd.read_file(GEO / "roads.gpkg")


@pytest.fixture(scope="module")
def water() -> gpd.GeoDataFrame:
    return gpd.read_file(GEO / "water.gpkg")


def test_files_present_and_wgs84(grids, posts, roads, water):
    for gdf in (grids, posts, roads, water):
        assert gdf.crs.to_epsg() == 4326
    assert sum(p.stat().st_size for p in GEO.iterdir()) < 8e6


def test_counts_per_level(grids):
    assert grids["level"].value_counts().sort_index().to_dict() == EXPECTED


def test_district_json_matches():
    meta = json.loads((GEO / "district.json").read_text(encoding="utf-8"))
    assert meta["demo"] is True
    assert "Vonng/adcode, CC BY 4.0" in meta["attribution"]
    assert meta["expected_counts"] == {str(k): v for k, v in EXPECTED.items()}
    assert {"name_zh", "name_en", "seed", "synthetic"} <= set(meta)


def test_ids_unique_and_parents_one_level_up(grids):
    assert grids["grid_id"].is_unique
    level = dict(zip(grids["grid_id"], grids["level"], strict=True))
    top = grids[grids["level"] == 1]
    assert top["grid_id"].tolist() == ["411603"]
    assert (top["parent_id"].fillna("") == "").all()
    rest = grids[grids["level"] > 1]
    assert all(
        level.get(p) == lv - 1 for p, lv in zip(rest["parent_id"], rest["level"], strict=True)
    )


def test_real_names_and_codes(grids):
    l2 = grids[grids["level"] == 2].set_index("grid_id")
    assert l2.loc["411603100", "name_zh"] == "城关回族镇"
    assert set(l2[l2["kind"] == "zone"].index) == {"411603901", "411603902"}
    l3 = grids[grids["level"] == 3]
    assert (l3["synthetic"] == 0).sum() == 474 and (l3["synthetic"] == 1).sum() == 10
    row = l3.set_index("grid_id").loc["411603001200"]
    assert (row["name_zh"], row["name_en"], row["parent_id"]) == (
        "劳桥村",
        "Laoqiao Village",
        "411603001",
    )
    assert l3.set_index("grid_id").loc["411603001001", "name_en"] == "Xichengqu Community"


def test_population_sums_and_urban_share(grids):
    top = grids[grids["level"] == 1].iloc[0]
    assert top["population"] == POPULATION
    assert top["pop_urban"] == round(0.3323 * POPULATION)
    cells = grids[grids["level"] == 5]
    assert (cells["population"] > 0).all() and cells["staff"].between(1, 3).all()
    # urban cells are wholly urban or wholly rural
    assert ((cells["pop_urban"] == 0) | (cells["pop_urban"] == cells["population"])).all()
    for col in ("population", "pop_urban", "staff"):
        child = grids[grids["level"] > 1].groupby("parent_id")[col].sum()
        parent = grids.set_index("grid_id").loc[child.index, col]
        assert (child == parent).all(), col


@pytest.mark.parametrize("level", [2, 3, 4, 5])
def test_siblings_are_valid_coverages(grids, level):
    for _, group in grids[grids["level"] == level].groupby("parent_id"):
        assert shapely.coverage_is_valid(group.geometry.values)
    assert grids.geometry.is_valid.all()


@pytest.mark.parametrize("level", [2, 3, 4, 5])
def test_children_union_equals_parent(grids_utm, level):
    parents = grids_utm[grids_utm["level"] == level - 1].set_index("grid_id").geometry
    for pid, group in grids_utm[grids_utm["level"] == level].groupby("parent_id"):
        union = shapely.coverage_union_all(group.geometry.values)
        assert shapely.symmetric_difference(union, parents[pid]).area < 1.0, pid


def test_level_1_is_the_real_outline(grids_utm):
    fence = (
        gpd.read_file(
            GEO.parent / "reference" / "huaiyang" / "huaiyang_county_fence_amap_wgs84.geojson"
        )
        .to_crs(UTM)
        .geometry.iloc[0]
    )
    top = grids_utm[grids_utm["level"] == 1].geometry.iloc[0]
    assert shapely.symmetric_difference(top, fence).area / fence.area < 1e-4


def test_posts(grids, posts, water):
    assert len(posts) == 100 and posts["post_id"].is_unique
    district = grids[grids["level"] == 1].geometry.iloc[0]
    assert posts.within(district).all()
    assert not posts.intersects(water.geometry.union_all()).any()
    assert set(posts["ebikes"]) <= {1, 2} and (posts["officers"] >= 1).all()
    # every township seat has its post
    assert posts["seat_post"].sum() == 19


def test_roads_noded_connected_and_dry(roads, water):
    assert set(roads["road_class"]) == {"arterial", "county", "village", "street"}
    assert 8000 <= len(roads) <= 15000 and roads["road_id"].is_unique
    ends = shapely.get_coordinates(shapely.boundary(roads.geometry.values)).round(9)
    _, node = np.unique(ends, axis=0, return_inverse=True)
    node = node.reshape(-1, 2)
    parent = list(range(node.max() + 1))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b in node:
        parent[find(int(a))] = find(int(b))
    assert len({find(i) for i in range(len(parent))}) == 1
    # planar: segments only meet at their end points
    lines = roads.geometry.values
    tree = shapely.STRtree(lines)
    left, right = tree.query(lines, predicate="crosses")
    assert len(left) == 0
    wet = roads[roads.intersects(water.geometry.union_all())]
    assert 1 <= len(wet) <= 6 and wet["name_zh"].str.contains("堤").all()


def test_lake(water):
    area = water.to_crs(UTM).area.sum() / 1e6
    assert 9.0 < area < 11.5


def test_generator_is_deterministic(tmp_path):
    first, second = build_demo(SMALL), build_demo(SMALL)
    for name in ("grids", "posts", "roads", "water"):
        assert_geodataframe_equal(getattr(first, name), getattr(second, name))
    assert first.grids["level"].value_counts().sort_index().to_dict() == SMALL.counts()
    assert first.grids.loc[first.grids["level"] == 1, "population"].item() == POPULATION
    write_demo(first, tmp_path / "a")
    write_demo(second, tmp_path / "b")
    for path in sorted((tmp_path / "a").iterdir()):
        assert path.read_bytes() == (tmp_path / "b" / path.name).read_bytes(), path.name


def test_small_build_tiles_exactly():
    grids = build_demo(SMALL).grids
    for _, group in grids[grids["level"] > 1].groupby("parent_id"):
        assert shapely.coverage_is_valid(group.geometry.values)


@pytest.mark.parametrize(
    ("config", "match"),
    [
        (DemoConfig(n2=20), "n2 must be 21"),
        (DemoConfig(n3=40, n4=30, n5=300), "must not decrease"),
        (DemoConfig(n3=40, n4=120, n5=300, n_posts=50), "n_posts must be between"),
    ],
)
def test_impossible_counts_are_refused(config, match):
    with pytest.raises(ValueError, match=match):
        build_demo(config)
