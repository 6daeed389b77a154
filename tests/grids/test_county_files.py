"""A county's files as its GIS office has them: raw Chinese column names, a GBK Shapefile without
a .cpg, CGCS2000, no population or pinyin column, Chinese road classes with a motorway."""

from __future__ import annotations

import json

import numpy as np

from gridmap.grids.loader import check_folder
from tests.fixtures import grid_frame, post_frame, road_frame


def county_folder(tmp_path, meta: dict | None = None):
    folder = tmp_path / "county"
    folder.mkdir()
    grids = grid_frame().drop(columns=["pinyin", "population", "name_en", "kind"])
    grids = grids.rename(
        columns={"grid_id": "编码", "parent_id": "上级编码", "level": "级别", "name_zh": "名称"}
    )
    grids["名称"] = ["城关回族镇"] + [f"大连乡{i}" for i in range(1, len(grids))]
    grids.to_crs("EPSG:4490").to_file(folder / "grids.shp", engine="pyogrio", encoding="GBK")
    (folder / "grids.cpg").unlink(missing_ok=True)
    posts = post_frame().rename(columns={"post_id": "编号", "name_zh": "名称"})
    posts.to_crs("EPSG:4490").to_file(folder / "posts.gpkg", engine="pyogrio")
    roads = road_frame()
    roads["road_class"] = ["国道", "村道", "高速公路"]
    roads = roads.drop(columns=["speed_kmh"]).rename(columns={"road_class": "道路等级"})
    roads.to_crs("EPSG:4490").to_file(folder / "roads.gpkg", engine="pyogrio")
    if meta is not None:
        (folder / "district.json").write_text(json.dumps(meta, ensure_ascii=False), "utf-8")
    return folder


def test_county_files_load_with_notes(tmp_path):
    data, problems = check_folder(county_folder(tmp_path))
    assert problems == []
    grids = data.grids
    assert grids.loc["d", "name_zh"] == "城关回族镇"  # not mojibake
    assert grids.loc["d", "pinyin"] == "cheng guan hui zu zhen"
    assert grids["population"].isna().all()
    assert list(data.roads["road_class"]) == ["arterial", "village"]  # the motorway is left out
    notes = "\n".join(data.notes)
    assert "grids.shp: text read as GB18030 (detected: no .cpg file)" in notes
    assert "grids.shp: columns grid_id <- 编码, parent_id <- 上级编码" in notes
    assert "posts.gpkg: columns post_id <- 编号, name_zh <- 名称" in notes
    assert "roads.gpkg: 1 motorway segment(s) left out" in notes
    assert np.allclose(grids.total_bounds[:2], grids.total_bounds[:2])  # read into lon/lat
    assert -180 <= grids.total_bounds[0] <= 180


def test_encoding_forced_by_district_json(tmp_path):
    data, problems = check_folder(county_folder(tmp_path, meta={"encoding": "GBK"}))
    assert problems == []
    assert data.grids.loc["d", "name_zh"] == "城关回族镇"
    assert "grids.shp: text read as GBK (encoding set in district.json)" in data.notes


def test_an_unknown_forced_encoding_is_a_read_problem(tmp_path):
    data, problems = check_folder(county_folder(tmp_path, meta={"encoding": "no-such-code"}))
    assert data is None
    assert problems[0].file == "grids.shp" and problems[0].rule == "file-read"


def test_mapping_in_district_json_names_the_missing_column(tmp_path):
    folder = county_folder(tmp_path, meta={"columns": {"grids": {"grid_id": "WGBM"}}})
    _, problems = check_folder(folder)
    mapping = [p for p in problems if p.rule == "column-mapping"]
    assert mapping and mapping[0].file == "grids.shp"
    assert "maps grid_id to column 'WGBM', which the file lacks" in mapping[0].message
