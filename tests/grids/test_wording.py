"""A district's own level names and whole-district word (gridmap/grids/wording.py)."""

from __future__ import annotations

import json
import re

import pytest

from gridmap.grids.district import load_district
from gridmap.grids.loader import check_folder
from gridmap.grids.summary import grid_summary
from gridmap.grids.wording import check_wording, level_name, level_names, whole_name
from tests.conftest import write_tiny_district

COUNTY = {
    "level_names": {"1": {"zh": "县", "en": "County"}, "2": {"zh": "乡镇", "en": "Township"}},
}


def test_defaults_without_level_names():
    assert level_name({}, 1, "zh") == "区" and level_name({}, 1, "en") == "District"
    assert level_names({}, 3) == {"zh": "村（社区）", "en": "Village"}
    assert whole_name({}, "zh") == "全区" and whole_name({}, "en") == "Whole district"


def test_a_county_names_its_levels_and_the_whole():
    assert level_name(COUNTY, 1, "zh") == "县" and level_name(COUNTY, 2, "en") == "Township"
    assert level_name(COUNTY, 5, "zh") == "五级网格"  # left out: the default
    assert whole_name(COUNTY, "zh") == "全县" and whole_name(COUNTY, "en") == "Whole county"
    city = {"level_names": {"1": {"zh": "市辖区"}}, "whole_name": {"zh": "全市", "en": "City"}}
    assert whole_name(city, "zh") == "全市" and whole_name(city, "en") == "City"
    assert whole_name({"level_names": {"1": {"zh": "市辖区"}}}, "zh") == "市辖区"
    assert level_name(city, 1, "en") == "District"  # no English given: the default


@pytest.mark.parametrize(
    ("meta", "message"),
    [
        ({"level_names": ["县"]}, "level_names must map levels 1-5"),
        ({"level_names": {"6": {"zh": "组"}}}, "level_names: '6' is not a level"),
        ({"level_names": {"1": "县"}}, "level_names.1 must be"),
        ({"level_names": {"1": {"zh": ""}}}, "level_names.1 must be .* non-empty text"),
        ({"level_names": {"1": {"fr": "comté"}}}, "level_names.1 must be"),
        ({"whole_name": "全县"}, "whole_name must be"),
    ],
)
def test_bad_wording_is_a_problem(meta, message):
    problems = check_wording(meta)
    assert len(problems) == 1 and problems[0].rule == "meta"
    assert problems[0].file == "district.json"
    assert re.search(message, problems[0].message), problems[0].message


def test_check_reports_bad_wording_and_summaries_carry_the_level_name(tmp_path):
    folder = write_tiny_district(tmp_path / "geo")
    meta = json.loads((folder / "district.json").read_text())
    (folder / "district.json").write_text(json.dumps({**meta, "level_names": {"9": {}}}))
    _, problems = check_folder(folder)
    assert [p.message for p in problems] == ["level_names: '9' is not a level (1-5)"]
    (folder / "district.json").write_text(json.dumps({**meta, **COUNTY}, ensure_ascii=False))
    district = load_district(folder)
    summary = grid_summary(district, "T")
    assert summary["grid"]["level_name"] == {"zh": "县", "en": "County"}
    assert summary["children"][0]["level_name"] == {"zh": "乡镇", "en": "Township"}
