"""The worst-covered grids, read off a per-grid table."""

from __future__ import annotations

import dataclasses

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


def test_kpis_of_a_scope_are_those_of_its_grids_counted_once():
    result = toy_model(settings=INSTANT_WALK).coverage(5)
    table = result.grid_table()
    whole = result.kpis()
    assert whole["population"] == pytest.approx(table.loc[table["level"] == 1, "population"].sum())
    rows = table.set_index("grid_id")
    for roots in (("SE",), ("SE", "NW"), ("SE", "D")):
        scoped = result.kpis(roots=roots)
        top = ["D"] if "D" in roots else list(roots)
        assert scoped["population"] == pytest.approx(rows.loc[top, "population"].sum())
        assert scoped["covered_area_km2"] == pytest.approx(rows.loc[top, "covered_area_km2"].sum())
    assert result.kpis(roots=())["population"] == 0
    assert result.kpis(roots=())["population_share"] is None


def test_district_kpis_without_population_are_unknown_not_zero():
    from gridmap.coverage.grid_shares import grid_table
    from gridmap.coverage.kpis import district_kpis

    model = toy_model(settings=INSTANT_WALK)
    known = district_kpis(model.coverage(5).grid_table())
    assert known["population"] > 0 and known["uncovered_population"] is not None
    bare = dataclasses.replace(model.index, has_population=False)
    table = grid_table(bare, model.coverage(5).covered)
    assert table["population"].isna().all() and table["population_share"].isna().all()
    kpis = district_kpis(table)
    assert kpis["population"] is None and kpis["uncovered_population"] is None
    assert kpis["population_share"] is None and kpis["area_share"] == known["area_share"]
