"""Tests of gridmap.grids.checks.layers: police posts, road segments, geometry types."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import LineString, Point, box

from gridmap.grids.checks import (
    check_geometry_types,
    check_posts,
    check_roads,
)
from tests.fixtures import CRS, X0, Y0, post_frame, road_frame


@pytest.fixture
def outline():
    return box(X0, Y0, X0 + 16_000, Y0 + 8_000)


def test_posts_good(outline):
    assert check_posts(post_frame().set_index("post_id"), outline, "posts.gpkg") == []


def test_posts_unique_point_inside(outline):
    posts = post_frame()
    posts.loc[1, "post_id"] = "p1"
    extra = gpd.GeoDataFrame(
        {"post_id": ["p3", "p4", "p5"], "name_zh": ["a", "b", "c"]},
        geometry=[Point(X0 - 50, Y0), LineString([(X0, Y0), (X0 + 1, Y0)]), None],
        crs=CRS,
    )
    posts = gpd.GeoDataFrame(
        [*posts.to_dict("records"), *extra.to_dict("records")], geometry="geometry", crs=CRS
    )
    problems = check_posts(posts, outline, "posts.gpkg")
    assert all(p.file == "posts.gpkg" for p in problems)
    found = {(p.rule, p.ids) for p in problems}
    assert found == {
        ("unique-id", ("p1",)),
        ("post-inside", ("p3",)),
        ("geometry-valid", ("p4",)),
        ("geometry-valid", ("p5",)),
    }


def test_posts_on_the_outline_edge_are_inside(outline):
    posts = post_frame()
    posts.loc[0, "geometry"] = Point(X0, Y0 + 10)
    assert check_posts(posts, outline, "posts.gpkg") == []


def test_posts_without_outline_skip_inside():
    posts = post_frame()
    posts.loc[0, "geometry"] = Point(0, 0)
    assert check_posts(posts, None, "posts.gpkg") == []


def test_roads_good():
    assert check_roads(road_frame(), "roads.shp") == []


def test_roads_need_class_or_speed():
    roads = road_frame()
    roads["road_class"] = roads["road_class"].astype(object)
    roads.loc[0, "road_class"] = "highway"  # unknown class, no speed
    roads.loc[1, "speed_kmh"] = 0.0  # known class but a zero speed overrides it
    roads.loc[2, "speed_kmh"] = np.nan  # neither
    problems = check_roads(roads, "roads.shp")
    assert all(p.rule == "road-class" and p.file == "roads.shp" for p in problems)
    messages = {p.ids: p.message for p in problems}
    assert messages.keys() == {("r1",), ("r2",), ("r3",)}
    assert "'highway'" in messages[("r1",)]
    assert "speed_kmh 0" in messages[("r2",)]


def test_roads_speed_overrides_unknown_class():
    roads = road_frame()
    roads.loc[0, ["road_class", "speed_kmh"]] = ["ferry", 8.0]
    assert check_roads(roads, "roads.shp") == []


def test_roads_geometry_type_grouped():
    roads = road_frame()
    roads.loc[0, "geometry"] = Point(X0, Y0)
    roads.loc[1, "geometry"] = Point(X0, Y0 + 1)
    (problem,) = check_roads(roads, "roads.shp")
    assert problem.rule == "geometry-valid"
    assert problem.ids == ("r1", "r2")
    assert "Point" in problem.message


def test_geometry_types_of_water():
    water = gpd.GeoDataFrame(geometry=[box(0, 0, 1, 1), Point(0, 0)], crs=CRS)
    (problem,) = check_geometry_types(water, ("Polygon", "MultiPolygon"), "water.gpkg")
    assert problem.ids == ("row 2",)
