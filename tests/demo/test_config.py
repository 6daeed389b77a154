"""Tests of gridmap.demo.config: the counts of a demo build and the ones it refuses."""

from __future__ import annotations

import pytest

from gridmap.demo.config import N_TOWNSHIP_GRIDS, SMALL, DemoConfig


def test_default_counts_are_the_articles():
    assert DemoConfig().counts() == {1: 1, 2: 21, 3: 484, 4: 2073, 5: 6438}
    assert SMALL.counts() == {1: 1, 2: N_TOWNSHIP_GRIDS, 3: 40, 4: 120, 5: 300}
    DemoConfig().validate()
    SMALL.validate()


@pytest.mark.parametrize(
    ("changes", "match"),
    [({"n2": 22}, r"n2 must be 21 \(19 townships \+ 2 zones\), got 22"),
     ({"n3": 20}, r"must not decrease from level to level \(n2=21, n3=20"),
     ({"n3": 1000, "n4": 2000, "n5": 6000}, r"counts too large for the demo \(n3=1000"),
     ({"n5": 60_000}, r"counts too large for the demo \(n3=484, n5=60000\)"),
     ({"n_posts": -1}, r"n_posts must be between 0 and n3=484, got -1"),
     ({"urban_share": 1.5}, r"urban_share must be within \[0, 1\], got 1.5"),
     ({"population": 100}, r"population 100 is smaller than n5=6438")],
)  # fmt: skip
def test_validate_names_the_bad_count(changes, match):
    with pytest.raises(ValueError, match=match):
        DemoConfig(**changes).validate()
