"""Pure functions of gridmap/grids/search.py, on the tiny district."""

from __future__ import annotations

import pytest

from gridmap.access.roles import Scope
from gridmap.grids.district import load_district
from gridmap.grids.search import GridSearch, normalise, option_label, suggestions


@pytest.fixture(scope="module")
def district(tiny_dir):
    return load_district(tiny_dir)


@pytest.fixture(scope="module")
def index(district):
    return GridSearch(district)


def test_search_exact_id_first(index):
    found = index.find("T12")
    assert found[0] == "T12"
    assert found[1:] == ["T121", "T122", "T1211", "T1212", "T1221", "T1222"]


def test_search_names_rank_before_contains(index):
    # "dong" starts Dong Town names (rank 1); higher levels first.
    assert index.find("dong") == ["T1", "T2"]
    # "zhen" only appears inside "dongzhen": still found.
    assert index.find("zhen") == ["T1", "T2"]
    # Chinese name prefix: the township before the villages named after nothing else.
    assert index.find("李庄村2")[:2] == ["T21", "T22"]


def test_search_limit_and_empty(index):
    assert len(index.find("wang ge")) == 20
    assert index.find("wangge", limit=3) == index.find("wang ge")[:3]
    assert index.find("") == []
    assert index.find(" - ") == []
    assert index.find("nothing-like-it") == []


@pytest.mark.parametrize(
    ("text", "expected"), [("Liu Hu", "liuhu"), ("li-zhuang_cun", "lizhuangcun"), ("东 镇", "东镇")]
)
def test_normalise(text, expected):
    assert normalise(text) == expected


def test_option_label_names_level_and_parent(district):
    assert option_label(district, "T11", "en") == "Lizhuang Village 11 (Village · Dong Town 1)"
    assert option_label(district, "T", "en").startswith("Test District (")


def test_suggestions_keep_the_chosen_grid_first(index, district):
    found = suggestions(index, district, "lizhuang", None, "en")
    assert [o["value"] for o in found] == index.find("lizhuang")
    assert all(o["label"] == option_label(district, o["value"], "en") for o in found)
    kept = suggestions(index, district, "dong", "T11", "en")
    assert kept[0]["value"] == "T11"
    assert [o["value"] for o in suggestions(index, district, "dong", "nope", "en")] == index.find(
        "dong"
    )


def test_search_finds_only_grids_inside_the_scope(index, district):
    scope = Scope.of(["T1"])
    assert index.find("dong", scope=scope) == ["T1"]
    assert index.find("T2", scope=scope) == []
    assert index.find("Dong Town 2", scope=scope) == []
    assert all(g.startswith("T1") for g in index.find("grid", limit=100, scope=scope))
    assert index.find("T", scope=Scope.of([])) == []
    # A chosen grid outside the scope (a forged value) is not listed either.
    found = suggestions(index, district, "dong", "T21", "en", scope)
    assert [(o["label"], o["value"]) for o in found] == [(option_label(district, "T1", "en"), "T1")]
    assert [o["value"] for o in suggestions(index, district, "dong", "T11", "en", scope)] == [
        "T11",
        "T1",
    ]
