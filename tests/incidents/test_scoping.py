"""The grid chains the incident API reads scopes with."""

from __future__ import annotations

import pytest

from gridmap.access.roles import Scope
from gridmap.incidents.scoping import GridChains
from tests.incident_fixtures import tiny_assigner


@pytest.fixture(scope="module")
def chains():
    return GridChains(tiny_assigner().ancestors)


def test_every_grid_has_its_chain_and_level(chains):
    assert len(chains.chains) == 1 + 2 + 4 + 8 + 16
    assert chains.chains["D-1-2"] == ("D", "D-1", "D-1-2")
    assert [chains.level_of(g) for g in ("D", "D-2", "D-2-2-2-2")] == [1, 2, 5]
    with pytest.raises(KeyError):
        chains.level_of("nowhere")


@pytest.mark.parametrize(
    ("roots", "grid", "inside"),
    [
        (None, "nowhere", True),
        (("D-1",), "D-1-2-1", True),
        (("D-1",), "D-1", True),
        (("D-1",), "D", False),
        (("D-1",), "D-2-1", False),
        (("D-1",), "nowhere", False),
        ((), "D", False),
    ],
)
def test_contains(chains, roots, grid, inside):
    assert chains.contains(Scope(roots), grid) is inside


def test_within_gives_the_store_filter(chains):
    assert chains.within(Scope.everything()) is None
    assert chains.within(Scope.of(["D-2-1", "D-1", "nowhere"])) == [(2, "D-1"), (3, "D-2-1")]
    assert chains.within(Scope.of([])) == []
