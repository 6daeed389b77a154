"""Tests of gridmap.grids.checks.tree: ids, levels, parents, population sums, counts."""

from __future__ import annotations

import pandas as pd
import pytest

from gridmap.grids.checks import (
    check_grids,
)
from tests.fixtures import CHECKED_FILE as FILE
from tests.fixtures import CRS, grid_frame, only, rules
from tests.fixtures import GRID_FRAME_COUNTS as EXPECTED


@pytest.mark.parametrize("crs", [CRS, "EPSG:4326"])
def test_good_hierarchy_has_no_problems(grids, crs):
    assert check_grids(grids.to_crs(crs), FILE, EXPECTED) == []


def test_grid_id_column_is_accepted_instead_of_index():
    assert check_grids(grid_frame(), FILE, EXPECTED) == []


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
