"""Incident categories from a data folder's categories.json (gridmap/incidents/categories.py)."""

from __future__ import annotations

import json

import pytest

from gridmap.errors import DataError
from gridmap.grids.loader import check_folder
from gridmap.incidents.categories import (
    CATEGORIES,
    for_district,
    load_categories,
    read_categories,
)
from tests.conftest import write_tiny_district


def _write(folder, content) -> None:
    text = content if isinstance(content, str) else json.dumps(content, ensure_ascii=False)
    (folder / "categories.json").write_text(text, "utf-8")


def test_without_the_file_the_twelve_defaults(tmp_path):
    assert load_categories(tmp_path) == CATEGORIES
    assert len(CATEGORIES) == 12
    assert CATEGORIES[1].unit_zh == "区人民调解中心"


def test_the_file_gives_the_districts_categories_in_order(tmp_path):
    _write(
        tmp_path,
        [
            {"id": "land", "unit_zh": "县自然资源局", "unit_en": "County Natural Resources Bureau"},
            {"id": "grazing", "zh": "放牧纠纷", "en": "Grazing disputes", "group": "dispute",
             "unit_zh": "乡镇调解委员会", "unit_en": "Township mediation committee"},
        ],
    )  # fmt: skip
    land, grazing = load_categories(tmp_path)
    assert land.zh == "土地及房产纠纷" and land.unit_zh == "县自然资源局"
    assert grazing.id == "grazing" and grazing.group == "dispute"
    assert grazing.unit("en") == "Township mediation committee"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "cannot read the JSON"),
        ({"id": "land"}, "must hold a non-empty list"),
        ([], "must hold a non-empty list"),
        (["land"], "entry 1: must be an object"),
        ([{"id": "a b"}], "entry 1: id must be text of letters"),
        ([{"id": "land", "colour": "red"}], "land: unknown field.s. colour"),
        ([{"id": "new", "zh": "新"}], "new: en must be non-empty text .missing."),
        ([{"id": "land", "group": "war"}], "land: group must be one of dispute"),
        ([{"id": "land"}, {"id": "land"}], "land: listed twice"),
    ],
)
def test_a_broken_file_names_the_entry_and_field(tmp_path, content, message):
    _write(tmp_path, content)
    categories, problems = read_categories(tmp_path)
    assert categories == CATEGORIES and problems
    assert all(p.file == "categories.json" and p.rule == "categories" for p in problems)
    with pytest.raises(DataError, match=message):
        load_categories(tmp_path)


def test_check_lists_the_problems_of_categories_json(tmp_path):
    folder = write_tiny_district(tmp_path / "geo")
    _write(folder, [{"id": "land", "unit_zh": ""}])
    _, problems = check_folder(folder)
    assert [str(p) for p in problems] == [
        "categories.json: [categories]: land: unit_zh must be non-empty text"
    ]


def test_default_units_take_the_districts_word():
    county = for_district(CATEGORIES, "县", "County")
    family = next(c for c in county if c.id == "family")
    assert family.unit_zh == "县人民调解中心"
    assert family.unit_en == "County People's Mediation Centre"
    police = next(c for c in county if c.id == "security")
    assert police.unit_zh == "公安派出所"  # not a district unit: unchanged
