"""Pure functions of gridmap/grids/summary.py, on the tiny district."""

from __future__ import annotations

import pytest

from gridmap.grids.district import load_district
from gridmap.grids.summary import grid_summary


@pytest.fixture(scope="module")
def district(tiny_dir):
    return load_district(tiny_dir)


def test_summary_population_sums(district):
    for gid in district.grids.index:
        summary = grid_summary(district, gid)
        if summary["children"]:
            total = sum(c["population"] for c in summary["children"])
            assert total == summary["grid"]["population"], gid
    assert grid_summary(district, "T")["grid"]["population"] == 13_600


@pytest.mark.parametrize(
    ("grid_id", "posts"),
    [("T", ["P1", "P2", "P3"]), ("T1", ["P1"]), ("T2", ["P2", "P3"]), ("T12", []),
     ("T1111", ["P1"]), ("T2112", ["P2"]), ("T2222", ["P3"])],
)  # fmt: skip
def test_summary_posts_inside(district, grid_id, posts):
    summary = grid_summary(district, grid_id)
    assert sorted(p["post_id"] for p in summary["posts"]) == posts
    assert summary["grid"]["posts"] == len(posts)


def test_summary_of_unknown_grid(district):
    with pytest.raises(KeyError, match="NOPE"):
        grid_summary(district, "NOPE")


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
        "level_name": {"zh": "区", "en": "District"},
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
