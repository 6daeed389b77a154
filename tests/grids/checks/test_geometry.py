"""Tests of gridmap.grids.checks.geometry: valid, within parent, sibling overlap, cover."""

from __future__ import annotations

import time

import pytest
import shapely
from shapely import affinity
from shapely.geometry import LineString, Polygon

from gridmap.grids.checks import (
    check_grids,
    tolerance,
)
from tests.fixtures import CHECKED_FILE as FILE
from tests.fixtures import X0, Y0, big_grids, only, rules


def test_tolerance_is_one_square_metre_or_one_millionth():
    assert tolerance(1e5) == 1.0
    assert tolerance(1e8) == pytest.approx(100.0)


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
