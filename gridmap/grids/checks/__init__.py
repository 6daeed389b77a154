"""Rule checks on loaded layers: pure functions returning every broken rule as a Problem."""

from gridmap.grids.checks.geometry import MIN_TOLERANCE_M2, RELATIVE_TOLERANCE, tolerance
from gridmap.grids.checks.layers import check_geometry_types, check_posts, check_roads
from gridmap.grids.checks.tree import LEVEL_MISSING, check_grids

__all__ = [
    "LEVEL_MISSING",
    "MIN_TOLERANCE_M2",
    "RELATIVE_TOLERANCE",
    "check_geometry_types",
    "check_grids",
    "check_posts",
    "check_roads",
    "tolerance",
]
