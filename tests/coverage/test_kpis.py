"""The worst-covered grids, read off a per-grid table."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from gridmap.coverage.kpis import worst_grids
from tests.coverage.toys import (
    INSTANT_WALK,
    toy_model,
)


def test_worst_grids_rank_the_least_covered_first():
    result = toy_model(settings=INSTANT_WALK).coverage(5)
    worst = result.worst_grids(level=2, n=4)
    assert set(worst["grid_id"][:2]) == {"SE", "NE"}
    assert list(worst["rank"]) == [1, 2, 3, 4]
    assert worst["population_share"].is_monotonic_increasing
    assert len(result.worst_grids(level=2, n=1)) == 1
    with pytest.raises(ValueError, match="by must be"):
        worst_grids(result.grid_table(), by="votes")


def test_worst_grids_break_ties_by_people_left_uncovered():
    table = pd.DataFrame(
        {
            "grid_id": ["a", "b", "c", "d"],
            "level": [5, 5, 5, 4],
            "population": [100.0, 400.0, 0.0, 10.0],
            "covered_population": [50.0, 200.0, 0.0, 0.0],
            "population_share": [0.5, 0.5, np.nan, 0.0],
        }
    )
    assert list(worst_grids(table, level=5)["grid_id"]) == ["b", "a", "c"]
