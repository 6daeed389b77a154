"""Tests of gridmap.grids.checks: one per rule, on tiny in-memory hierarchies."""

from __future__ import annotations

import time

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely import affinity
from shapely.geometry import LineString, Point, Polygon, box

from gridmap.grids.checks import (
    check_geometry_types,
    check_grids,
    check_posts,
    check_roads,
    tolerance,
)
from tests.fixtures import CRS, X0, Y0, big_grids, grid_frame, indexed, post_frame, road_frame

FILE = "grids.gpkg"
EXPECTED = {1: 1, 2: 2, 3: 4, 4: 8, 5: 16}


@pytest.fixture
def grids() -> gpd.GeoDataFrame:
    return indexed(grid_frame())


def rules(problems) -> set[str]:
    return {p.rule for p in problems}


def only(problems, rule):
    found = [p for p in problems if p.rule == rule]
    assert found, f"no {rule} problem in {problems}"
    assert all(p.file == FILE for p in found)
    return found


@pytest.mark.parametrize("crs", [CRS, "EPSG:4326"])
def test_good_hierarchy_has_no_problems(grids, crs):
    assert check_grids(grids.to_crs(crs), FILE, EXPECTED) == []


def test_grid_id_column_is_accepted_instead_of_index():
    assert check_grids(grid_frame(), FILE, EXPECTED) == []


def test_tolerance_is_one_square_metre_or_one_millionth():
    assert tolerance(1e5) == 1.0
    assert tolerance(1e8) == pytest.approx(100.0)


def test_unique_id(grids):
    frame = grids.reset_index()
    frame.loc[frame["grid_id"] == "d.1.1", "grid_id"] = "d.1.2"
    (problem,) = only(check_grids(frame, FILE), "unique-id")
    assert problem.ids == ("d.1.2",)
    assert "2 records" in problem.message


@pytest.mark.parametrize("value", [0, 6, 2.5])
def test_level_out_of_range(grids, value):
    grids["level"] = grids["level"].astype(float)
    grids.loc["d.1.1.1.1", "level"] = value
    problems = only(check_grids(grids, FILE), "level")
    assert [p.ids for p in problems] == [("d.1.1.1.1",)]
    assert f"level {value:g}" in problems[0].message


def test_level_missing(grids):
    grids["level"] = grids["level"].astype("Int64")
    grids.loc["d.2", "level"] = None
    (problem,) = only(check_grids(grids, FILE), "level")
    assert problem.ids == ("d.2",)
    assert problem.message == "level is missing"


def test_level_exactly_one_district(grids):
    grids.loc["d.1", ["level", "parent_id"]] = [1, None]
    problems = only(check_grids(grids, FILE), "level")
    assert any(set(p.ids) == {"d", "d.1"} and "2 level-1 grids" in p.message for p in problems)


def test_level_no_district(grids):
    grids = grids.drop(index="d")
    problems = check_grids(grids, FILE)
    assert any("no level-1 grid" in p.message for p in only(problems, "level"))
    # its children now point at a missing parent
    assert {p.ids for p in only(problems, "parent-exists")} == {("d.1",), ("d.2",)}


def test_level_district_has_no_parent(grids):
    grids.loc["d", "parent_id"] = "d.1"
    (problem,) = only(check_grids(grids, FILE), "level")
    assert problem.ids == ("d",)
    assert "parent_id 'd.1'" in problem.message


def test_parent_exists(grids):
    grids.loc["d.1.2", "parent_id"] = "nowhere"
    problems = check_grids(grids, FILE)
    (problem,) = only(problems, "parent-exists")
    assert problem.ids == ("d.1.2",)
    assert "'nowhere' does not exist" in problem.message
    # d.1 is no longer covered by its children; nothing else is reported
    assert rules(problems) == {"parent-exists", "children-cover", "population-sum"}


@pytest.mark.parametrize("empty", [None, "", "  "])
def test_parent_exists_missing_parent_id(grids, empty):
    grids.loc["d.2.1.1", "parent_id"] = empty
    (problem,) = only(check_grids(grids, FILE), "parent-exists")
    assert problem.ids == ("d.2.1.1",)
    assert "no parent_id" in problem.message


def test_parent_level(grids):
    grids.loc["d.1.1.1.1", "parent_id"] = "d.1.1"
    (problem,) = only(check_grids(grids, FILE), "parent-level")
    assert problem.ids == ("d.1.1.1.1", "d.1.1")
    assert "level-5 grid has a level-3 parent" in problem.message


def test_geometry_valid_reports_reason_per_grid(grids):
    x, y = X0, Y0
    bowtie = Polygon([(x, y), (x + 10, y + 10), (x + 10, y), (x, y + 10)])
    grids.loc["d.1.1.1.1", "geometry"] = bowtie
    grids.loc["d.1.1.1.2", "geometry"] = None
    grids.loc["d.1.1.2.1", "geometry"] = Polygon()
    grids.loc["d.1.1.2.2", "geometry"] = LineString([(x, y), (x + 5, y)])
    problems = only(check_grids(grids, FILE), "geometry-valid")
    by_id = {p.ids: p.message for p in problems}
    assert by_id.keys() == {("d.1.1.1.1",), ("d.1.1.1.2",), ("d.1.1.2.1",), ("d.1.1.2.2",)}
    assert "Self-intersection" in by_id[("d.1.1.1.1",)]
    assert by_id[("d.1.1.1.2",)] == "geometry is missing"
    assert by_id[("d.1.1.2.1",)] == "geometry is empty"
    assert "LineString" in by_id[("d.1.1.2.2",)]


def test_geometry_valid_multipolygon_accepted(grids):
    grids.loc["d", "geometry"] = shapely.MultiPolygon([grids.loc["d", "geometry"]])
    assert check_grids(grids, FILE) == []


def test_within_parent(grids):
    grids.loc["d.1.1.1.1", "geometry"] = affinity.translate(
        grids.loc["d.1.1.1.1", "geometry"], xoff=-100
    )
    problems = check_grids(grids, FILE)
    (problem,) = only(problems, "within-parent")
    assert problem.ids == ("d.1.1.1.1", "d.1.1.1")
    assert "outside its parent 'd.1.1.1'" in problem.message
    # the 100 m strip left behind is uncovered
    assert {p.ids for p in only(problems, "children-cover")} == {("d.1.1.1",)}


def test_within_parent_tolerates_sub_metre_noise(grids):
    # a 0.1 mm shift along a 2 km edge leaves 0.2 m² outside: under the 1 m² floor
    for gid in ("d.1.1.1.1", "d.2.2.2.2"):
        grids.loc[gid, "geometry"] = affinity.translate(grids.loc[gid, "geometry"], xoff=-1e-4)
    assert check_grids(grids, FILE) == []


def test_sibling_overlap(grids):
    a = grids.loc["d.1.1.1.1", "geometry"]
    grids.loc["d.1.1.1.1", "geometry"] = affinity.scale(a, xfact=1.5, origin=(a.bounds[0], 0))
    problems = check_grids(grids, FILE)
    (problem,) = only(problems, "sibling-overlap")
    assert problem.ids == ("d.1.1.1.1", "d.1.1.1.2")
    assert "share" in problem.message


def test_sibling_overlap_ignores_cousins(grids):
    # two level-5 grids of different parents overlapping: within-parent, not sibling-overlap
    a = grids.loc["d.1.1.1.2", "geometry"]
    grids.loc["d.1.1.1.2", "geometry"] = affinity.scale(a, xfact=1.5, origin=(a.bounds[0], 0))
    problems = check_grids(grids, FILE)
    assert "sibling-overlap" not in rules(problems)
    assert "within-parent" in rules(problems)


def test_sibling_overlap_identical_siblings(grids):
    grids.loc["d.2.1.1.2", "geometry"] = grids.loc["d.2.1.1.1", "geometry"]
    problems = check_grids(grids, FILE)
    assert {p.ids for p in only(problems, "sibling-overlap")} == {("d.2.1.1.1", "d.2.1.1.2")}


def test_children_cover(grids):
    g = grids.loc["d.2.2", "geometry"]
    grids.loc["d.2.2", "geometry"] = g.union(affinity.translate(g, yoff=10).envelope)
    problems = check_grids(grids, FILE)
    assert {p.ids for p in only(problems, "children-cover")} == {("d.2.2",)}
    # d.2.2 now sticks out of d.2 as well
    assert {p.ids for p in only(problems, "within-parent")} == {("d.2.2", "d.2")}


def test_children_cover_no_children(grids):
    grids = grids.drop(index=["d.1.1.1.1", "d.1.1.1.2"])
    problems = check_grids(grids, FILE)
    (problem,) = only(problems, "children-cover")
    assert problem.ids == ("d.1.1.1",)
    assert "no children" in problem.message


def test_population_sum(grids):
    grids.loc["d.1.1", "population"] += 5
    problems = only(check_grids(grids, FILE), "population-sum")
    # d.1.1 differs from its children, and so does d.1 from d.1.1 + d.1.2
    assert [p.ids for p in problems] == [("d.1",), ("d.1.1",)]
    assert "differs from the sum of its 2 children's" in problems[1].message


def test_population_sum_skipped_where_not_given(grids):
    grids["population"] = grids["population"].astype("Int64")
    grids.loc["d.1.1.1.1", "population"] = None
    grids.loc["d", "population"] = None
    assert check_grids(grids, FILE) == []


def test_count_expected(grids):
    problems = check_grids(grids, FILE, {"1": 1, "2": 2, "3": 4, "4": 8, "5": 17})
    (problem,) = only(problems, "count")
    assert "16 level-5 grids; district.json expects 17" in problem.message


def test_count_every_level_present(grids):
    grids = grids[grids["level"] < 5]
    problems = check_grids(grids, FILE)
    (problem,) = only(problems, "count")
    assert "no level-5 grids" in problem.message


def test_all_problems_reported_at_once(grids):
    grids = grids.reset_index()
    grids.loc[3, "level"] = 9
    grids.loc[5, "parent_id"] = "ghost"
    grids.loc[7, "geometry"] = None
    grids.loc[0, "population"] = 1
    problems = check_grids(grids, FILE, EXPECTED)
    assert {"level", "parent-exists", "geometry-valid", "population-sum", "count"} <= rules(
        problems
    )


def test_check_grids_refuses_bad_input(grids):
    with pytest.raises(ValueError, match="GeoDataFrame"):
        check_grids(pd.DataFrame(grids.drop(columns="geometry")), FILE)
    with pytest.raises(ValueError, match="level"):
        check_grids(grids.drop(columns="level"), FILE)
    with pytest.raises(ValueError, match="no CRS"):
        check_grids(grids.set_crs(None, allow_override=True), FILE)


def test_big_realistic_hierarchy_is_clean_and_problems_are_found():
    grids = big_grids().set_index("grid_id")
    counts = {1: 1, 2: 21, 3: 484, 4: 2073, 5: 6438}
    start = time.perf_counter()
    assert check_grids(grids, FILE, counts) == []
    print(f"check_grids on {len(grids)} grids: {time.perf_counter() - start:.2f} s")
    leaf = grids.index[grids["level"] == 5][100]
    parent = grids.loc[leaf, "parent_id"]
    siblings = set(grids.index[grids["parent_id"] == parent]) - {leaf}
    grids.loc[leaf, "geometry"] = grids.loc[parent, "geometry"]
    problems = check_grids(grids, FILE, counts)
    assert rules(problems) == {"sibling-overlap"}
    assert {p.ids for p in problems} == {tuple(sorted((leaf, s))) for s in siblings}


# posts -------------------------------------------------------------------------------------


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


# roads -------------------------------------------------------------------------------------


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
