"""Incidents per leaf grid from counts per grid id: the coverage figures at any store size."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from gridmap.coverage.grid_shares import GridIndex


def leaf_counts(index: GridIndex, counts: Mapping[str, float]) -> np.ndarray:
    """Return the incidents of each leaf from counts per leaf grid id.

    Parameters
    ----------
    index : GridIndex
        From :func:`build_grid_index`.
    counts : mapping of str to number
        Incidents per leaf grid id (e.g. ``IncidentStore.counts_by_grid(5)``); ids that are not
        a leaf (or None: an incident outside every grid) are not counted, as points outside
        every leaf are not.

    Returns
    -------
    ndarray of float
        One count per leaf, in the order of ``index.leaf``.
    """
    leaf_ids = index.frame["grid_id"].to_numpy()[index.leaf]
    out = np.zeros(index.n_leaves)
    if not len(counts):
        return out
    keys = pd.Index([str(k) for k in counts.keys()])
    found = pd.Index(leaf_ids).get_indexer(keys)
    values = np.fromiter((float(v) for v in counts.values()), dtype=float, count=len(keys))
    ok = found >= 0
    np.add.at(out, found[ok], values[ok])
    return out
