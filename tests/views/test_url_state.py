"""Pure functions of gridmap/views/url_state.py, on the tiny district."""

from __future__ import annotations

import pytest

from gridmap.grids.district import load_district
from gridmap.views import url_state
from gridmap.views.url_state import NavState


@pytest.fixture(scope="module")
def district(tiny_dir):
    return load_district(tiny_dir)


@pytest.mark.parametrize(
    ("state", "query"),
    [
        (NavState(), ""),
        (NavState(grid="T1"), "?grid=T1"),
        (NavState(view="level-5"), "?view=level-5"),
        (NavState(grid="T11", view="level-3"), "?grid=T11&view=level-3"),
        (NavState(grid="4116 01&x"), "?grid=4116+01%26x"),
    ],
)
def test_url_state_round_trip(state, query):
    assert url_state.format_query(state) == query
    assert url_state.parse(query) == state
    assert url_state.parse(query.lstrip("?")) == state


@pytest.mark.parametrize(
    ("search", "state"),
    [
        (None, NavState()),
        ("?", NavState()),
        ("?grid=", NavState()),
        ("?view=level-1", NavState()),  # level 1 is the district: not a whole-level view
        ("?view=bogus&grid=T2", NavState(grid="T2")),
        ("?grid=T2&grid=T1", NavState(grid="T2")),
        ("?x=1&view=level-2", NavState(view="level-2")),
    ],
)
def test_url_state_parse_tolerates_odd_queries(search, state):
    assert url_state.parse(search) == state


def test_whole_level_property():
    assert NavState().whole_level is None
    assert NavState(view="level-4").whole_level == 4
    assert url_state.VIEWS == ("drill", "level-2", "level-3", "level-4", "level-5")
