"""Per-grid shares: population checks, undefined shares, raster pieces."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import shapely

from gridmap.coverage.grid_shares import raster_pieces
from gridmap.coverage.model import CoverageModel
from gridmap.coverage.raster import Raster
from gridmap.errors import GridIndexError
from tests.coverage.toys import (
    UTM,
    toy_grids,
    toy_posts,
)


def test_bad_grid_population_and_duplicate_ids_are_named():
    grids = toy_grids()
    grids.loc["NE", "population"] = -5
    with pytest.raises(GridIndexError, match="population must be a number >= 0 .* NE"):
        CoverageModel.from_geodataframes(grids, None, None, crs=UTM)
    twice = pd.concat([toy_grids(), toy_grids().loc[["SW"]]])
    with pytest.raises(GridIndexError, match="duplicate grid_id SW"):
        CoverageModel.from_geodataframes(twice, None, None, crs=UTM)


def test_missing_population_gives_undefined_population_shares():
    grids = toy_grids().drop(columns="population")
    result = CoverageModel.from_geodataframes(grids, toy_posts((0, 1000)), None, crs=UTM).coverage()
    kpis = result.kpis()
    # Unknown, not 0 people: the planner shows "—", never "0 people not covered".
    assert kpis["population"] is None and kpis["population_share"] is None
    assert kpis["uncovered_population"] is None
    assert kpis["area_share"] > 0


@pytest.mark.parametrize("seed", range(4))
def test_raster_pieces_match_cell_by_cell_intersections(seed):
    rng = np.random.default_rng(seed)
    blobs = shapely.buffer(shapely.points(rng.uniform(100, 900, (12, 2))), rng.uniform(20, 150, 12))
    ring = shapely.box(300, 300, 700, 700).difference(shapely.box(400, 400, 600, 600))  # a hole
    pair = shapely.MultiPolygon([shapely.box(10, 10, 90, 33), shapely.box(910, 950, 990, 990)])
    geoms = np.concatenate([blobs, [ring, pair]])
    raster = Raster.over(shapely.box(0, 0, 1000, 1000), 37.0)
    cell, geom, area = raster_pieces(
        geoms, raster.x0, raster.y0, raster.cell_m, raster.nx, raster.ny, raster.i, raster.j
    )
    got = np.zeros((raster.n_cells, len(geoms)))
    np.add.at(got, (cell, geom), area)
    want = shapely.area(shapely.intersection(raster.boxes[:, None], geoms[None, :]))
    np.testing.assert_allclose(got, want, atol=1e-6)


# -- rows within a reader's scope -----------------------------------------------------------
def _tree() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "grid_id": ["T", "T1", "T2", "T11", "T12", "T21"],
            "parent_id": [None, "T", "T", "T1", "T1", "T2"],
            "level": [1, 2, 2, 3, 3, 3],
        }
    )


@pytest.mark.parametrize(
    ("roots", "kept"),
    [
        (None, ["T", "T1", "T2", "T11", "T12", "T21"]),
        (("T1",), ["T1", "T11", "T12"]),
        (("T12", "T2"), ["T2", "T12", "T21"]),
        (("T1", "T11"), ["T1", "T11", "T12"]),
        (("nowhere",), []),
        ((), []),
    ],
)
def test_rows_within_keep_the_subtrees_of_the_roots(roots, kept):
    from gridmap.coverage.grid_shares import rows_within

    assert list(rows_within(_tree(), roots)["grid_id"]) == kept
