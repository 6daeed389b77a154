"""A first district.json from a folder (gridmap/grids/init_folder.py)."""

from __future__ import annotations

import json

import pytest

from gridmap.errors import DataError
from gridmap.grids.init_folder import DEFAULT_LEVEL_NAMES, inspect_folder, write_district_json
from gridmap.grids.loader import check_folder
from tests.conftest import write_tiny_district
from tests.fixtures import grid_frame
from tests.grids.test_county_files import county_folder


def test_a_county_folder_gives_its_mapping_counts_and_names(tmp_path):
    folder = county_folder(tmp_path)
    meta, found = inspect_folder(folder)
    assert meta["columns"]["grids"] == {
        "grid_id": "编码",
        "parent_id": "上级编码",
        "level": "级别",
        "name_zh": "名称",
    }
    assert meta["columns"]["posts"] == {"post_id": "编号", "name_zh": "名称"}
    assert meta["columns"]["roads"]["road_class"] == "道路等级"
    assert meta["encoding"] == "GB18030"
    assert meta["name_zh"] == "城关回族镇"
    levels = grid_frame()["level"]
    assert meta["expected_counts"] == {str(lv): int((levels == lv).sum()) for lv in range(1, 6)}
    assert meta["level_names"] == DEFAULT_LEVEL_NAMES
    assert "grids.shp: text read as GB18030 (detected)" in found
    assert any("no population figures" in line for line in found)


def test_the_written_file_passes_check(tmp_path):
    folder = county_folder(tmp_path)
    target, meta, _ = write_district_json(folder)
    assert json.loads(target.read_text("utf-8")) == meta
    data, problems = check_folder(folder)
    assert problems == []
    assert data.grids.loc["d", "name_zh"] == "城关回族镇"


def test_an_existing_file_is_kept_without_force(tmp_path):
    folder = write_tiny_district(tmp_path / "geo")
    before = (folder / "district.json").read_text()
    with pytest.raises(FileExistsError, match="district.json exists; .* --force"):
        write_district_json(folder)
    assert (folder / "district.json").read_text() == before
    _, meta, found = write_district_json(folder, force=True)
    assert "columns" not in meta and meta["name_en"] == "Test District"
    assert "grids.gpkg: schema column names" in found
    assert meta["expected_counts"] == {"1": 1, "2": 2, "3": 4, "4": 8, "5": 16}


def test_folders_that_cannot_be_mapped_are_refused(tmp_path):
    with pytest.raises(DataError, match="the data folder does not exist"):
        inspect_folder(tmp_path / "nowhere")
    (tmp_path / "empty").mkdir()
    with pytest.raises(DataError, match="no grids file"):
        inspect_folder(tmp_path / "empty")
    odd = tmp_path / "odd"
    odd.mkdir()
    grid_frame().rename(columns={"grid_id": "WHAT", "level": "HOW"}).to_file(odd / "grids.gpkg")
    with pytest.raises(DataError, match="no column found for grid_id, level"):
        inspect_folder(odd)
    assert not (odd / "district.json").exists()
