"""Incident categories from a data folder's categories.json (gridmap/incidents/categories.py)."""

from __future__ import annotations

import json

import pytest

from gridmap.errors import DataError
from gridmap.grids.loader import check_folder
from gridmap.incidents.categories import (
    CATEGORIES,
    CATEGORY_IDS,
    Unit,
    district_categories,
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


# -- a district's categories (District.categories) and the units API of dispatch ------------
COUNTY = {"level_names": {"1": {"zh": "县", "en": "County"}}}


def test_a_county_without_the_file_gets_the_defaults_worded_for_a_county(tmp_path):
    own = district_categories(tmp_path, COUNTY)
    assert own.source is None and own.ids == CATEGORY_IDS
    assert own.default_unit("family") == Unit("县人民调解中心", "County People's Mediation Centre")
    assert own.default_unit("land").zh == "县自然资源局"
    assert own.default_unit("security").zh == "公安派出所"
    assert district_categories(tmp_path, {}).default_unit("family").zh == "区人民调解中心"
    city = {"level_names": {"1": {"zh": "市", "en": "City"}}}
    assert district_categories(tmp_path, city).default_unit("petition").zh == "市信访局"
    assert "12 from the defaults (no categories.json)" in own.describe()


def test_the_file_is_the_districts_and_inherits_county_wording(tmp_path):
    _write(
        tmp_path,
        [
            {"id": "family"},  # every field from the defaults, worded for the county
            {"id": "grazing", "zh": "放牧纠纷", "en": "Grazing disputes", "group": "dispute",
             "unit_zh": "乡镇调解委员会", "unit_en": "Township mediation committee",
             "units": [{"zh": "县畜牧局", "en": "County Animal Husbandry Bureau"}]},
        ],
    )  # fmt: skip
    own = district_categories(tmp_path, COUNTY)
    assert own.source == "categories.json" and own.ids == ("family", "grazing")
    assert "fire" not in own and "grazing" in own and len(own) == 2
    assert own.default_unit("family").zh == "县人民调解中心"
    assert own.units_for("grazing") == (
        Unit("乡镇调解委员会", "Township mediation committee"),
        Unit("县畜牧局", "County Animal Husbandry Bureau"),
    )
    assert [u.zh for u in own.all_units()] == ["县人民调解中心", "乡镇调解委员会", "县畜牧局"]
    assert own.label("grazing", "en") == "Grazing disputes"
    assert own.label("fire", "zh") == "fire"  # a stored id the district no longer lists
    assert own.options("zh") == [
        {"label": "家庭矛盾", "value": "family"},
        {"label": "放牧纠纷", "value": "grazing"},
    ]
    assert "2 from categories.json" in own.describe()
    with pytest.raises(KeyError, match="unknown category 'fire'; known: family, grazing"):
        own.units_for("fire")


@pytest.mark.parametrize(
    "units",
    ["县畜牧局", [{"zh": "县畜牧局"}], [{"zh": "", "en": "x"}], [{"zh": "a", "en": "b", "c": 1}]],
)
def test_bad_further_units_are_named(tmp_path, units):
    _write(tmp_path, [{"id": "land", "units": units}])
    with pytest.raises(DataError, match=r"land: units must be a list of \{"):
        district_categories(tmp_path, COUNTY)


def test_the_district_holds_its_categories(tmp_path):
    from gridmap.grids.district import load_district

    folder = write_tiny_district(tmp_path / "geo")
    assert load_district(folder).categories == CATEGORIES
    _write(folder, [{"id": "land"}, {"id": "fire"}])
    assert load_district(folder).categories.ids == ("land", "fire")


def test_check_says_where_the_categories_come_from(tmp_path, capsys):
    from app import check

    folder = write_tiny_district(tmp_path / "geo")
    assert check(folder) == 0
    assert "note: categories: 12 from the defaults (no categories.json)" in capsys.readouterr().out
    _write(folder, [{"id": "land"}, {"id": "fire"}])
    assert check(folder) == 0
    assert "note: categories: 2 from categories.json" in capsys.readouterr().out
    _write(folder, [{"id": "land", "group": "war"}])
    assert check(folder) == 1
    captured = capsys.readouterr()
    assert "categories.json: [categories]: land: group must be one of" in captured.err
    assert "note: categories" not in captured.out
