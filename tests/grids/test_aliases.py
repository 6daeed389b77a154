"""Column mapping: district.json's ``columns`` section and the recognised common names."""

from __future__ import annotations

import pytest

from gridmap.grids.aliases import ALIASES, check_mapping, resolve_columns
from gridmap.grids.schema import GRIDS, LAYERS, POSTS


def test_every_alias_names_a_schema_column():
    for layer in LAYERS:
        names = {c.name for c in layer.columns}
        assert set(ALIASES.get(layer.stem, {})) <= names


def test_chinese_and_english_aliases_are_recognised():
    renames, problems = resolve_columns(
        GRIDS, ["编码", "上级编码", "级别", "名称", "人口", "geometry"], None, "grids.shp"
    )
    assert problems == []
    assert renames == {
        "编码": "grid_id",
        "上级编码": "parent_id",
        "级别": "level",
        "名称": "name_zh",
        "人口": "population",
    }
    renames, _ = resolve_columns(POSTS, ["ID", "Name"], None, "posts.shp")
    assert renames == {"ID": "post_id", "Name": "name_zh"}


def test_schema_names_win_over_aliases():
    renames, problems = resolve_columns(GRIDS, ["grid_id", "id", "name_zh"], None, "g.gpkg")
    assert renames == {} and problems == []


def test_two_candidates_ask_for_a_mapping():
    renames, problems = resolve_columns(GRIDS, ["id", "编码", "名称"], None, "grids.gpkg")
    assert "grid_id" not in renames.values()
    assert [p.rule for p in problems] == ["column-mapping"]
    assert "grid_id could be any of the columns id, 编码" in problems[0].message
    assert problems[0].file == "grids.gpkg"


def test_explicit_mapping_is_used_and_checked():
    mapping = {"grid_id": "WGBM", "name_zh": "WGMC"}
    renames, problems = resolve_columns(GRIDS, ["WGBM", "WGMC", "SJBM"], mapping, "g.shp")
    assert renames["WGBM"] == "grid_id" and renames["WGMC"] == "name_zh"
    assert renames["SJBM"] == "parent_id"  # sjbm is a common alias too
    _, problems = resolve_columns(GRIDS, ["WGMC"], {"grid_id": "WGBM"}, "g.shp")
    assert problems[0].rule == "column-mapping"
    assert "maps grid_id to column 'WGBM', which the file lacks" in problems[0].message


@pytest.mark.parametrize(
    ("section", "message"),
    [
        ([1, 2], "columns must map layers"),
        ({"grid": {"grid_id": "x"}}, "unknown layer 'grid'"),
        ({"grids": {"grid_id": 3}}, "must map schema columns to file column names"),
        ({"grids": {"gridid": "x"}}, "gridid not in the schema"),
    ],
)
def test_bad_mapping_sections(section, message):
    mapping, problems = check_mapping({"columns": section})
    assert mapping == {} and problems[0].rule == "meta" and message in problems[0].message
    assert problems[0].file == "district.json"


EVERY_ALIAS = [
    (stem, column, alias)
    for stem, columns in ALIASES.items()
    for column, aliases in columns.items()
    for alias in aliases
]


@pytest.mark.parametrize(("stem", "column", "alias"), EVERY_ALIAS)
def test_each_alias_alone_is_recognised(stem, column, alias):
    layer = next(layer for layer in LAYERS if layer.stem == stem)
    others = [c.name for c in layer.columns if c.name != column]
    for written in (alias, alias.upper()):
        renames, problems = resolve_columns(layer, [*others, written], None, f"{stem}.gpkg")
        assert problems == [] and renames == {written: column}
