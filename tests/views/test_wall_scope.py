"""The wall's scope: its grids, title, tour views and coverage share (tiny district)."""

from __future__ import annotations

import pandas as pd
import pytest

from gridmap.views.wall_scope import (
    scope_population_share,
    scope_roots,
    scope_title,
    scope_views,
)


@pytest.mark.parametrize(
    ("roots", "expected"),
    [
        (None, None),
        ([], []),
        (["T2", "T1"], ["T1", "T2"]),  # file order
        (["T1", "T11", "T1111"], ["T1"]),  # inside T1: adds nothing
        (["nowhere", "T21"], ["T21"]),  # unknown ids see nothing
    ],
)
def test_scope_roots(tiny_district, roots, expected):
    assert scope_roots(tiny_district, roots) == expected


@pytest.mark.parametrize(
    ("roots", "lang", "expected"),
    [
        (None, "en", "Test District"),
        ([], "zh", "测试区"),
        (["T1"], "en", "Dong Town 1"),
        (["T1"], "zh", "东镇1"),
        (["T1", "T21"], "en", "Dong Town 1 · Lizhuang Village 21"),
    ],
)
def test_scope_title(tiny_district, roots, lang, expected):
    assert scope_title(tiny_district, roots, lang) == expected


def test_the_whole_district_tours_every_township(tiny_district):
    views = scope_views(tiny_district, None)
    assert views["scoped"] is False and views["district"]["id"] == "T"
    assert [v["id"] for v in views["townships"]] == ["T1", "T2"]


def test_one_township_tours_its_villages(tiny_district):
    views = scope_views(tiny_district, ["T1"])
    assert views["scoped"] is True
    assert views["district"]["id"] == "T1" and views["district"]["en"] == "Dong Town 1"
    assert [v["id"] for v in views["townships"]] == ["T11", "T12"]


def test_several_grids_tour_each_from_a_view_of_all(tiny_district):
    views = scope_views(tiny_district, ["T11", "T21"])
    home = views["district"]
    assert home["id"] == "T11,T21" and home["en"] == "Lizhuang Village 11 · Lizhuang Village 21"
    assert [v["id"] for v in views["townships"]] == ["T11", "T21"]
    # The home view's centre lies between the two villages.
    west, east = (v["center"][0] for v in views["townships"])
    assert min(west, east) <= home["center"][0] <= max(west, east)


def test_an_empty_scope_tours_nothing(tiny_district):
    views = scope_views(tiny_district, [])
    assert views["townships"] == [] and views["scoped"] is True


TABLE = pd.DataFrame(
    {
        "grid_id": ["T", "T1", "T2", "T11"],
        "parent_id": [None, "T", "T", "T1"],
        "population": [1000.0, 400.0, 600.0, 0.0],
        "covered_population": [500.0, 100.0, 400.0, 0.0],
    }
)


@pytest.mark.parametrize(
    ("roots", "expected"),
    [(None, 0.5), (["T1"], 0.25), (["T1", "T2"], 0.5), (["T11"], None), ([], None)],
)
def test_scope_population_share(roots, expected):
    assert scope_population_share(TABLE, roots) == expected
