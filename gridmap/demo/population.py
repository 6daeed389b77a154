"""Split the census population over level-5 grids (urban and rural totals exact) and staff them."""

from __future__ import annotations

import numpy as np

from gridmap.demo.grouping import largest_remainder

#: Residents every level-5 grid has at least.
MIN_RESIDENTS = 10


def split_population(
    weights: np.ndarray, urban: np.ndarray, total: int, urban_share: float
) -> np.ndarray:
    """Return integer residents per cell: urban cells sum to ``round(urban_share * total)``.

    Parameters
    ----------
    weights : ndarray
        Positive relative residents of each cell.
    urban : ndarray of bool
        Urban flag of each cell.
    total : int
        District population.
    urban_share : float
        Share of the population living in urban cells.

    Raises
    ------
    ValueError
        When one of the two sets is empty but should hold people, or cannot hold the minimum.
    """
    urban_total = round(urban_share * total)
    out = np.zeros(len(weights), dtype=np.int64)
    for mask, part in ((urban, urban_total), (~urban, total - urban_total)):
        n = int(mask.sum())
        if n == 0:
            if part:
                raise ValueError(
                    f"no {'urban' if mask is urban else 'rural'} cell for {part} residents"
                )
            continue
        if part < MIN_RESIDENTS * n:
            raise ValueError(f"{part} residents cannot give {n} cells {MIN_RESIDENTS} each")
        out[mask] = MIN_RESIDENTS + largest_remainder(part - MIN_RESIDENTS * n, weights[mask])
    return out


def staff_for(population: np.ndarray) -> np.ndarray:
    """Return grid members per level-5 grid: 1 below 200 residents, 2 below 450, else 3."""
    return 1 + (population >= 200).astype(np.int64) + (population >= 450).astype(np.int64)
