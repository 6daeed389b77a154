"""Navigation rules (gridmap/views/navigation.py) on the tiny district."""

from __future__ import annotations

import pytest

from gridmap.grids.district import load_district
from gridmap.views.navigation import canonical, select, up
from gridmap.views.url_state import NavState


@pytest.fixture(scope="module")
def district(tiny_dir):
    return load_district(tiny_dir)


def test_the_district_itself_is_no_selection(district):
    assert canonical(district, NavState(grid="T", view="level-3")) == NavState(view="level-3")
    assert canonical(district, NavState(grid="T1")) == NavState(grid="T1")


def test_select_and_up(district):
    assert select(NavState(view="level-3"), "T1", drill=True) == NavState(grid="T1")
    assert select(NavState(grid="T1"), None) == NavState(grid="T1")
    assert up(district, NavState(grid="T11")) == NavState(grid="T1")
    assert up(district, NavState(grid="T1")) == NavState()
