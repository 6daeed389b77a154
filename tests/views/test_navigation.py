"""Navigation rules (gridmap/views/navigation.py) on the tiny district."""

from __future__ import annotations

import pytest

from gridmap.access.roles import Scope
from gridmap.grids.district import load_district
from gridmap.views.navigation import (
    at_top,
    breadcrumb_chain,
    canonical,
    clamp,
    clicked_grid,
    select,
    up,
)
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


# -- the reader's scope -------------------------------------------------------------------
T1 = Scope.of(["T1"])
TWO = Scope.of(["T12", "T21"])


def test_clamp_keeps_steps_inside_the_scope(district):
    here = NavState(grid="T11")
    assert clamp(district, here, NavState(grid="T111"), T1) == NavState(grid="T111")
    # Out of the subtree (a sibling township, the district): refused, the state stays.
    assert clamp(district, here, NavState(grid="T2"), T1) == here
    assert clamp(district, here, NavState(grid="T21", view="level-3"), T1) == here
    assert clamp(district, here, NavState(grid="T"), T1) == here
    assert clamp(district, here, NavState(grid="nope"), T1) == here
    # No grid means the reader's home grid: inside.
    assert clamp(district, here, NavState(), T1) == NavState()
    # The whole district sees everything (a scope of None too).
    assert clamp(district, here, NavState(grid="T2"), Scope.everything()) == NavState(grid="T2")
    assert clamp(district, here, NavState(grid="T2"), None) == NavState(grid="T2")
    # A scope of nothing refuses every grid.
    assert clamp(district, here, NavState(grid="T111"), Scope.of([])) == here


def test_up_stops_at_the_root_of_the_scope(district):
    assert up(district, NavState(grid="T11"), T1) == NavState(grid="T1")
    assert up(district, NavState(grid="T1"), T1) == NavState(grid="T1")
    assert up(district, NavState(grid="T121", view="level-4"), TWO) == NavState(grid="T12")
    assert up(district, NavState(grid="T12"), TWO) == NavState(grid="T12")
    # Outside the scope, or at home: nowhere to go.
    assert up(district, NavState(grid="T22"), T1) == NavState(grid="T22")
    assert up(district, NavState(view="level-3"), T1) == NavState()
    assert up(district, NavState(grid="T1"), Scope.everything()) == NavState()


def test_at_top(district):
    assert at_top(district, NavState(), None)
    assert not at_top(district, NavState(grid="T1"), None)
    assert at_top(district, NavState(), T1)  # the home grid T1
    assert at_top(district, NavState(grid="T1"), T1)
    assert not at_top(district, NavState(grid="T11"), T1)
    assert at_top(district, NavState(grid="T2"), T1)  # outside: nothing to go up to
    assert at_top(district, NavState(grid="T21"), TWO)


def test_breadcrumb_starts_at_the_root_of_the_scope(district):
    assert breadcrumb_chain(district, "T111", None) == ["T", "T1", "T11", "T111"]
    assert breadcrumb_chain(district, "T111", T1) == ["T1", "T11", "T111"]
    assert breadcrumb_chain(district, "T1211", TWO) == ["T12", "T121", "T1211"]
    assert breadcrumb_chain(district, "T2", T1) == []


def test_a_click_on_a_post_finds_only_the_readers_grids(district):
    # P2 lies in T2 (x0 + 0.05): a township T1 reader's map never shows T2's grids.
    point = {"customdata": "P2"}
    assert clicked_grid(district, NavState(), point) == "T2"
    assert clicked_grid(district, NavState(grid="T1"), point, T1) is None
