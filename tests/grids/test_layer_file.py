"""Tests of gridmap.grids.layer_file: finding and reading one layer file, its CRS."""

from __future__ import annotations

import pytest

from gridmap.errors import DataError
from gridmap.grids.layer_file import find_layer_file, read_layer, read_layer_problems
from gridmap.grids.schema import GRIDS, ROADS
from tests.fixtures import grid_frame, road_frame, write_layer


def test_find_layer_file_matches_the_extension_case_insensitively(tmp_path):
    path = write_layer(road_frame(), tmp_path, "roads", "geojson")
    upper = path.rename(tmp_path / "roads.GEOJSON")
    assert find_layer_file(tmp_path, "roads") == upper
    assert find_layer_file(tmp_path, GRIDS) is None
    assert find_layer_file(tmp_path / "nowhere", ROADS) is None


def test_find_layer_file_refuses_an_unknown_layer(tmp_path):
    with pytest.raises(ValueError, match=r"unknown layer 'lakes'; expected one of grids, posts"):
        find_layer_file(tmp_path, "lakes")


def test_find_layer_file_refuses_two_files_for_one_layer(tmp_path):
    write_layer(road_frame(), tmp_path, "roads", "gpkg")
    write_layer(road_frame(), tmp_path, "roads", "geojson")
    with pytest.raises(DataError, match=r"2 files for the roads layer") as info:
        find_layer_file(tmp_path, "roads")
    ((file, rule),) = [(p.file, p.rule) for p in info.value.problems]
    assert (file, rule) == ("roads.gpkg", "file-duplicate")


def test_read_layer_reprojects_to_wgs84_and_indexes_grids(tmp_path):
    path = write_layer(grid_frame(), tmp_path, "grids", "gpkg")
    grids = read_layer(path, "grids")
    assert grids.crs.to_epsg() == 4326
    assert grids.index.name == "grid_id"
    assert len(grids) == 31
    # X0, Y0 of the fixtures lie in UTM zone 50N, near 114-115 °E.
    west, _, east, _ = grids.total_bounds
    assert 114 < west < east < 116


def test_read_layer_problems_of_an_unreadable_file(tmp_path):
    path = tmp_path / "grids.gpkg"
    path.write_text("not a GeoPackage")
    frame, problems = read_layer_problems(path, GRIDS)
    assert frame is None
    assert [(p.file, p.rule) for p in problems] == [("grids.gpkg", "file-read")]
    assert problems[0].message.startswith("cannot read the file: ")


def test_read_layer_raises_every_problem(tmp_path):
    path = write_layer(grid_frame().drop(columns=["level", "name_zh"]), tmp_path, "grids", "gpkg")
    with pytest.raises(DataError, match=r"required column 'level' is missing") as info:
        read_layer(path, GRIDS)
    assert [p.rule for p in info.value.problems] == ["column-missing", "column-missing"]


def test_coordinates_off_the_globe_are_a_crs_problem(tmp_path):
    # Metre coordinates declared as degrees: the CRS is wrong, not the data.
    roads = road_frame().set_crs("EPSG:4326", allow_override=True)
    frame, problems = read_layer_problems(write_layer(roads, tmp_path, "roads", "gpkg"), ROADS)
    assert frame is None
    ((rule, ids),) = [(p.rule, p.ids) for p in problems]
    assert (rule, ids) == ("crs", ("r1", "r2", "r3"))
    assert "once read as EPSG:4326" in problems[0].message
