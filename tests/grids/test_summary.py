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
