"""Tests of gridmap.grids.summary: one grid's figures, parent chain, children and posts."""

from __future__ import annotations

import pytest

from gridmap.grids.summary import grid_summary


def test_summary_of_a_village(tiny_district):
    summary = grid_summary(tiny_district, "T21")
    grid = summary["grid"]
    assert {k: grid[k] for k in ("grid_id", "level", "code", "key", "pinyin")} == {
        "grid_id": "T21",
        "level": 3,
        "code": "T21",
        "key": "5",
        "pinyin": "li zhuang",
    }
    assert (grid["population"], grid["staff"], grid["children"], grid["posts"]) == (4200, 4, 2, 1)
    assert grid["area_km2"] == pytest.approx(16.45, abs=0.01)
    assert grid["density"] == round(4200 / grid["area_km2"], 1)
    assert grid["point"] == list(tiny_district.label_points["T21"])
    assert [b["grid_id"] for b in summary["chain"]] == ["T", "T2"]
    assert summary["chain"][0] == {
        "grid_id": "T",
        "level": 1,
        "name_zh": "测试区",
        "name_en": "Test District",
        "code": "T",
        "key": "0",
    }
    assert [c["grid_id"] for c in summary["children"]] == ["T211", "T212"]
    assert [c["population"] for c in summary["children"]] == [1900, 2300]
    assert [c["posts"] for c in summary["children"]] == [1, 0]
    assert "pinyin" not in summary["children"][0]
    assert [p["post_id"] for p in summary["posts"]] == ["P2"]
    assert summary["posts"][0]["officers"] == 1


def test_summary_of_the_district_and_of_a_leaf(tiny_district):
    top = grid_summary(tiny_district, "T")
    assert top["chain"] == []
    assert top["grid"]["population"] == 13_600
    leaf = grid_summary(tiny_district, "T2222")
    assert leaf["children"] == []
    assert leaf["grid"]["children"] == 0
    assert [b["grid_id"] for b in leaf["chain"]] == ["T", "T2", "T22", "T222"]
    assert [p["post_id"] for p in leaf["posts"]] == ["P3"]


def test_summary_of_an_unknown_grid(tiny_district):
    with pytest.raises(KeyError, match="T9"):
        grid_summary(tiny_district, "T9")
