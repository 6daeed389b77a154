"""The tiny in-memory grid hierarchy the check tests break, one rule at a time."""

from __future__ import annotations

import geopandas as gpd
import pytest

from tests.fixtures import grid_frame, indexed


@pytest.fixture
def grids() -> gpd.GeoDataFrame:
    """Return the clean 1/2/4/8/16 hierarchy of tests.fixtures.grid_frame, indexed by id."""
    return indexed(grid_frame())
