"""Tests of gridmap.grids.loader: tiny district folders in GeoPackage, GeoJSON, Shapefile."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point

from gridmap.errors import DataError, Problem
from gridmap.grids.loader import (
    DistrictData,
    check_folder,
    find_layer_file,
    load_folder,
    read_layer,
)
from tests.fixtures import FORMATS, grid_frame, make_district, post_frame, write_layer


@pytest.fixture(params=list(FORMATS))
def fmt(request) -> str:
    return request.param


def grids_name(fmt: str) -> str:
    return f"grids{FORMATS[fmt]}"


def problems_of(folder) -> list[Problem]:
    data, problems = check_folder(folder)
    return problems


# good folders ------------------------------------------------------------------------------


def test_good_folder_loads(tmp_path, fmt):
    folder = make_district(tmp_path, fmt)
    data = load_folder(folder)
    assert isinstance(data, DistrictData)
    grids = data.grids
    assert grids.crs == "EPSG:4326"
    assert grids.index.name == "grid_id"
    assert len(grids) == 31
    assert grids.index.is_unique
    assert grids.loc["d.1.2", "parent_id"] == "d.1"
    assert grids.loc["d", "parent_id"] is None
    assert grids["level"].dtype == np.int64
    assert grids["population"].dtype == "Int64"
    assert grids["staff"].dtype == "Int64"
    assert grids.loc["d", "population"] == grid_frame()["population"].iloc[0]
    assert list(grids.columns[:9]) == [
        "parent_id",
        "level",
        "name_zh",
        "name_en",
        "pinyin",
        "code",
        "population",
        "staff",
        "kind",
    ]
    assert grids.loc["d.2", "name_zh"] == "网格d.2"
    assert grids.loc["d.2", "code"] == "d.2"  # defaulted to the grid id
    # reprojected from UTM 50N metres to degrees near Huaiyang
    minx, miny, maxx, maxy = grids.total_bounds
    assert 114.8 < minx < maxx < 115.2 and 33.6 < miny < maxy < 33.8
    assert data.posts.index.name == "post_id"
    assert list(data.posts.index) == ["p1", "p2"]
    assert data.posts["officers"].tolist() == [2, 1]
    assert data.posts.crs == "EPSG:4326"
    assert data.roads["speed_kmh"].dtype == np.float64
    assert np.isnan(data.roads["speed_kmh"].iloc[0])
    assert data.roads["road_class"].tolist() == ["arterial", "village", None]
    assert data.roads.crs == "EPSG:4326" and data.water.crs == "EPSG:4326"
    assert data.meta["expected_counts"]["5"] == 16
    assert set(data.files) == {"grids", "posts", "roads", "water", "district"}
    assert data.files["grids"].name == grids_name(fmt)


def test_optional_layers_and_columns_default(tmp_path, fmt):
    grids = grid_frame().drop(columns=["name_en", "pinyin", "kind", "population", "staff"])
    folder = make_district(tmp_path, fmt, grids, posts=False, roads=False, water=False, meta={})
    data = load_folder(folder)
    assert data.posts is None and data.roads is None and data.water is None
    assert data.meta == {}
    g = data.grids
    assert (g["name_en"] == g["name_zh"]).all()
    assert (g["code"] == g.index).all()
    # No pinyin column: made from the Chinese names, so search by pinyin still works.
    assert g.loc["d", "pinyin"] == "wang ge d" and (g["kind"] == "").all()
    assert g["population"].dtype == "Int64" and g["population"].isna().all()


def test_posts_defaults(tmp_path):
    folder = make_district(tmp_path, "gpkg", posts=False)
    posts = post_frame().drop(columns=["name_en", "officers", "ebikes"])
    write_layer(posts, folder, "posts", "gpkg")
    data = load_folder(folder)
    assert data.posts["officers"].tolist() == [1, 1]
    assert data.posts["ebikes"].tolist() == [1, 1]
    assert data.posts["name_en"].tolist() == data.posts["name_zh"].tolist()


def test_integer_ids_become_text(tmp_path):
    grids = grid_frame()
    codes = {gid: 411626000 + i for i, gid in enumerate(grids["grid_id"])}
    grids["parent_id"] = grids["parent_id"].map(codes).astype("Int64")
    grids["grid_id"] = grids["grid_id"].map(codes)
    folder = make_district(tmp_path, "geojson", grids, posts=False)
    data = load_folder(folder)
    assert data.grids.index[0] == "411626000"
    assert data.grids.loc["411626001", "parent_id"] == "411626000"


def test_geojson_without_crs_member_is_wgs84(tmp_path):
    grids = grid_frame().to_crs("EPSG:4326")
    collection = json.loads(grids.to_json())
    collection.pop("crs", None)
    path = tmp_path / "grids.json"
    path.write_text(json.dumps(collection), "utf-8")
    frame = read_layer(path, "grids")
    assert frame.crs == "EPSG:4326"
    assert frame.total_bounds == pytest.approx(grids.total_bounds)


def test_geojson_with_crs_member_is_reprojected(tmp_path):
    path = write_layer(grid_frame(), tmp_path, "grids", "geojson")
    assert "32650" in path.read_text("utf-8")
    frame = read_layer(path, "grids")
    assert frame.crs == "EPSG:4326"
    assert frame.total_bounds == pytest.approx(grid_frame().to_crs(4326).total_bounds)


# file problems -----------------------------------------------------------------------------


def test_folder_missing(tmp_path):
    data, problems = check_folder(tmp_path / "nope")
    assert data is None
    assert [p.rule for p in problems] == ["folder"]
    with pytest.raises(DataError, match=r"\[folder\].*does not exist"):
        load_folder(tmp_path / "nope")


def test_no_grids_file(tmp_path):
    make_district(tmp_path, "gpkg")
    (tmp_path / "grids.gpkg").unlink()
    data, problems = check_folder(tmp_path)
    assert data is None
    assert [(p.file, p.rule) for p in problems] == [("grids.*", "file-missing")]


def test_duplicate_files_for_one_stem(tmp_path):
    make_district(tmp_path, "gpkg")
    write_layer(post_frame(), tmp_path, "posts", "geojson")
    with pytest.raises(DataError, match=r"posts.gpkg: \[file-duplicate\].*posts.geojson"):
        find_layer_file(tmp_path, "posts")
    with pytest.raises(DataError, match="file-duplicate"):
        load_folder(tmp_path)
    assert find_layer_file(tmp_path, "grids") == tmp_path / "grids.gpkg"
    assert find_layer_file(tmp_path, "roads").name == "roads.gpkg"


def test_find_layer_file_absent_and_unknown(tmp_path):
    assert find_layer_file(tmp_path, "water") is None
    with pytest.raises(ValueError, match="unknown layer 'lakes'"):
        find_layer_file(tmp_path, "lakes")


def test_shapefile_without_prj_is_refused(tmp_path):
    make_district(tmp_path, "shp")
    (tmp_path / "grids.prj").unlink()
    with pytest.raises(DataError, match=r"grids.shp: \[crs\]: the file has no CRS \(add its .prj"):
        load_folder(tmp_path)
    with pytest.raises(DataError, match="no CRS"):
        read_layer(tmp_path / "grids.shp", "grids")


def test_geopackage_without_crs_is_refused(tmp_path):
    with pytest.warns(UserWarning, match="'crs' was not provided"):
        path = write_layer(
            grid_frame().set_crs(None, allow_override=True), tmp_path, "grids", "gpkg"
        )
    with pytest.raises(DataError, match=r"\[crs\]"):
        read_layer(path, "grids")


def test_unreadable_file_is_a_problem(tmp_path):
    (tmp_path / "grids.geojson").write_text("{not json", "utf-8")
    data, problems = check_folder(tmp_path)
    assert data is None
    assert [(p.file, p.rule) for p in problems] == [("grids.geojson", "file-read")]


def test_bad_district_json(tmp_path):
    make_district(tmp_path, "gpkg", meta={"expected_counts": {"1": 1, "9": "many"}})
    (problem,) = problems_of(tmp_path)
    assert (problem.file, problem.rule) == ("district.json", "meta")
    (tmp_path / "district.json").write_text("[1, 2", "utf-8")
    (problem,) = problems_of(tmp_path)
    assert (problem.file, problem.rule) == ("district.json", "meta")


# column problems ---------------------------------------------------------------------------


@pytest.mark.parametrize("column", ["grid_id", "parent_id", "level", "name_zh"])
def test_missing_required_column(tmp_path, fmt, column):
    folder = make_district(tmp_path, fmt, grid_frame().drop(columns=column))
    problems = problems_of(folder)
    assert [(p.file, p.rule) for p in problems] == [(grids_name(fmt), "column-missing")]
    assert f"'{column}'" in problems[0].message
    with pytest.raises(DataError, match=f"required column '{column}' is missing"):
        read_layer(folder / grids_name(fmt), "grids")


def test_bad_level_names_file_grid_and_column(tmp_path, fmt):
    grids = grid_frame()
    grids["level"] = grids["level"].astype(str)
    grids.loc[grids["grid_id"] == "d.1.2", "level"] = "x"
    folder = make_district(tmp_path, fmt, grids)
    with pytest.raises(DataError) as info:
        read_layer(folder / grids_name(fmt), "grids")
    (problem,) = info.value.problems
    assert (problem.file, problem.rule, problem.ids) == (grids_name(fmt), "level", ("d.1.2",))
    assert problem.message == "level 'x' is not an integer"
    # check_folder reports it once (not again as a missing level) and keeps checking
    data, problems = check_folder(folder)
    assert problem in problems
    assert [p for p in problems if p.rule == "level"] == [problem]
    assert data.grids["level"].dtype == "Int64"
    assert pd.isna(data.grids.loc["d.1.2", "level"])


def test_bad_types_each_reported(tmp_path, fmt):
    grids = grid_frame()
    grids["population"] = grids["population"].astype(object)
    grids["staff"] = grids["staff"].astype(float)
    grids.loc[grids["grid_id"] == "d.1", "population"] = "many"
    grids.loc[grids["grid_id"] == "d.2", "staff"] = 1.5
    grids.loc[grids["grid_id"] == "d.2.1", "staff"] = -2
    grids.loc[grids["grid_id"] == "d.2.2", "name_zh"] = ""
    folder = make_district(tmp_path, fmt, grids, posts=False)
    with pytest.raises(DataError) as info:
        read_layer(folder / grids_name(fmt), "grids")
    found = {(p.rule, p.ids, p.message) for p in info.value.problems}
    assert found == {
        ("column-type", ("d.1",), "population 'many' is not an integer"),
        ("column-type", ("d.2",), "staff 1.5 is not an integer"),
        ("column-type", ("d.2.1",), "staff -2 is negative"),
        ("column-type", ("d.2.2",), "name_zh is empty"),
    }


def test_empty_grid_id_is_reported_and_dropped(tmp_path):
    grids = grid_frame()
    grids.loc[grids["grid_id"] == "d.2.2.2.2", "grid_id"] = None
    folder = make_district(tmp_path, "gpkg", grids)
    data, problems = check_folder(folder)
    empty = [p for p in problems if p.rule == "column-type"]
    assert [(p.ids, p.message) for p in empty] == [(("row 31",), "grid_id is empty")]
    assert len(data.grids) == 30
    assert "children-cover" in {p.rule for p in problems}


def test_numbers_written_as_text_are_accepted(tmp_path):
    grids = grid_frame()
    for column in ("level", "population", "staff"):
        grids[column] = grids[column].astype(str)
    folder = make_district(tmp_path, "geojson", grids)
    data = load_folder(folder)
    assert data.grids["level"].dtype == np.int64
    assert data.grids.loc["d", "population"] == grid_frame()["population"].iloc[0]


def test_bad_road_speed_type(tmp_path):
    folder = make_district(tmp_path, "geojson")
    roads = json.loads((folder / "roads.geojson").read_text("utf-8"))
    roads["features"][2]["properties"]["speed_kmh"] = "fast"
    (folder / "roads.geojson").write_text(json.dumps(roads), "utf-8")
    problems = problems_of(folder)
    found = {(p.file, p.rule, p.ids) for p in problems}
    # the bad value is reported, and r3 then has neither a class nor a speed
    assert found == {
        ("roads.geojson", "column-type", ("r3",)),
        ("roads.geojson", "road-class", ("r3",)),
    }


# check rules through the folder ------------------------------------------------------------


def test_rule_problems_name_file_ids_and_rule(tmp_path, fmt):
    grids = grid_frame()
    grids.loc[grids["grid_id"] == "d.1.1.1.1", "parent_id"] = "ghost"
    folder = make_district(tmp_path, fmt, grids)
    with pytest.raises(
        DataError, match=r"grids\.\w+: \[parent-exists\] d\.1\.1\.1\.1: parent 'ghost'"
    ):
        load_folder(folder)


def test_expected_counts_checked(tmp_path):
    meta = {"expected_counts": {"1": 1, "2": 2, "3": 4, "4": 8, "5": 15}}
    folder = make_district(tmp_path, "gpkg", meta=meta)
    (problem,) = problems_of(folder)
    assert (problem.file, problem.rule) == ("grids.gpkg", "count")
    assert "expects 15" in problem.message


def test_post_outside_district(tmp_path, fmt):
    folder = make_district(tmp_path, fmt, posts=False)
    posts = post_frame()
    posts.loc[1, "geometry"] = Point(0, 0)
    write_layer(posts, folder, "posts", fmt)
    (problem,) = problems_of(folder)
    assert (problem.file, problem.rule, problem.ids) == (
        f"posts{FORMATS[fmt]}",
        "post-inside",
        ("p2",),
    )


def test_several_problems_all_reported(tmp_path, fmt):
    grids = grid_frame()
    at = grids["grid_id"].to_numpy()
    grids["level"] = grids["level"].astype(object)
    grids.loc[at == "d.1.2", "level"] = "x"  # bad type
    grids.loc[at == "d.2.1.1.1", "parent_id"] = "ghost"  # parent-exists
    grids.loc[at == "d.2.2", "population"] = 1  # population-sum
    grids.loc[at == "d.1.1.1.1", "geometry"] = grids.loc[at == "d.1.1.1.2", "geometry"].iloc[0]
    folder = make_district(tmp_path, fmt, grids, posts=False)
    posts = post_frame()
    posts.loc[0, "geometry"] = Point(0, 0)
    write_layer(posts, folder, "posts", fmt)
    with pytest.raises(DataError) as info:
        load_folder(folder)
    found = {(p.rule, p.ids) for p in info.value.problems}
    assert {
        ("level", ("d.1.2",)),
        ("parent-exists", ("d.2.1.1.1",)),
        ("population-sum", ("d.2.2",)),
        ("sibling-overlap", ("d.1.1.1.1", "d.1.1.1.2")),
        ("post-inside", ("p1",)),
    } <= found
    assert str(info.value).startswith(f"{len(info.value.problems)} problem(s)")


def test_geopackage_first_spatial_layer_is_read(tmp_path):
    path = tmp_path / "grids.gpkg"
    grid_frame().to_file(path, layer="grids", engine="pyogrio")
    post_frame().to_file(path, layer="extra", engine="pyogrio")
    frame = read_layer(path, "grids")
    assert len(frame) == 31 and frame.index.name == "grid_id"


def test_bad_optional_layer_does_not_stop_the_checks(tmp_path):
    folder = make_district(tmp_path, "gpkg", posts=False)
    write_layer(post_frame().drop(columns="post_id"), folder, "posts", "gpkg")
    (tmp_path / "grids.gpkg").unlink()
    grids = grid_frame()
    grids.loc[grids["grid_id"] == "d.1", "population"] = 0
    write_layer(grids, folder, "grids", "gpkg")
    data, problems = check_folder(folder)
    assert data.posts is None and data.grids is not None
    assert {(p.file, p.rule) for p in problems} == {
        ("posts.gpkg", "column-missing"),
        ("grids.gpkg", "population-sum"),
    }


def test_wrong_declared_crs_is_a_crs_problem(tmp_path):
    # metres declared as degrees: caught on reading, before any check measures areas
    grids = grid_frame().set_crs("EPSG:4326", allow_override=True)
    folder = make_district(tmp_path, "gpkg", grids, posts=False, roads=False, water=False)
    data, problems = check_folder(folder)
    assert data is None
    (problem,) = problems
    assert (problem.file, problem.rule, len(problem.ids)) == ("grids.gpkg", "crs", 31)
    assert "EPSG:4326" in problem.message


def test_geos_failure_during_checks_is_a_problem(tmp_path, monkeypatch):
    import shapely

    import gridmap.grids.loader

    def explode(*args):
        raise shapely.errors.GEOSException("TopologyException: side location conflict")

    monkeypatch.setattr(gridmap.grids.loader, "check_grids", explode)
    data, problems = check_folder(make_district(tmp_path, "gpkg"))
    assert data is not None
    (problem,) = problems
    assert (problem.file, problem.rule) == ("grids.gpkg", "geometry-valid")
    assert "side location conflict" in problem.message
