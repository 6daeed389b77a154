"""The raster: the fast union of cells equals the polygon union."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from gridmap.coverage.raster import Raster


@pytest.mark.parametrize("seed", range(4))
def test_raster_union_equals_the_union_of_the_cells(seed):
    # Random masks have holes, islands and cells touching only at a corner.
    outline = shapely.box(0, 0, 1000, 700)
    raster = Raster.over(outline, 50.0)
    mask = np.random.default_rng(seed).random(raster.n_cells) < 0.45
    traced = raster.union(mask)
    assert traced.is_valid
    assert traced.symmetric_difference(shapely.union_all(raster.boxes[mask])).area < 1e-6
    assert traced.area == pytest.approx(mask.sum() * 50.0**2)
    assert raster.union(np.zeros(raster.n_cells, dtype=bool)).is_empty
