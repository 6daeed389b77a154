"""Response times: classes of the time raster, and weighted mean and 90th percentile per grid."""

from __future__ import annotations

import numpy as np
import pandas as pd

from gridmap.coverage.grid_shares import GridIndex

#: Upper bounds of the time classes of the map, minutes: <=2, 2-5, 5-8, 8-12, >12 (and none).
CLASS_BOUNDS_MIN: tuple[float, ...] = (2.0, 5.0, 8.0, 12.0)
#: The percentile reported beside the mean.
PERCENTILE = 0.9
#: Columns of :func:`time_table`.
TIME_COLUMNS = (
    "grid_id",
    "parent_id",
    "level",
    "name_zh",
    "name_en",
    "weight",
    "mean_minutes",
    "p90_minutes",
    "unreached_share",
)


def time_class(
    cell_seconds: np.ndarray, bounds: tuple[float, ...] = CLASS_BOUNDS_MIN
) -> np.ndarray:
    """Return the class of each cell: 0 for <= bounds[0] minutes ... len(bounds) beyond the last.

    A cell no post reaches (inf) is in the last class.
    """
    minutes = np.asarray(cell_seconds, dtype=float) / 60.0
    return np.searchsorted(np.asarray(bounds, dtype=float), minutes, side="left")


def piece_weights(index: GridIndex) -> tuple[np.ndarray, str]:
    """Return the weight of every cell piece (people, or m² without population) and its name."""
    if index.has_population and index.leaf_population().sum() > 0:
        area = index.leaf_area()
        density = np.divide(
            index.leaf_population(), area, out=np.zeros(index.n_leaves), where=area > 0
        )
        return index.piece_area * density[index.piece_leaf], "population"
    return index.piece_area.astype(float), "area"


def weighted_quantile(values: np.ndarray, weights: np.ndarray, q: float) -> float:
    """Return the least value whose weight at or below it is at least ``q`` of the total.

    inf values count (a share no post reaches); NaN when the total weight is 0.
    """
    w = np.asarray(weights, dtype=float)
    total = w.sum()
    if not total > 0:
        return float("nan")
    order = np.argsort(values, kind="stable")
    cum = np.cumsum(w[order])
    i = int(np.searchsorted(cum, q * total * (1 - 1e-12), side="left"))
    return float(np.asarray(values, dtype=float)[order][min(i, len(order) - 1)])


def time_table(index: GridIndex, cell_seconds: np.ndarray) -> pd.DataFrame:
    """Per-grid response times at every level, weighted by people (or area without people).

    Parameters
    ----------
    index : GridIndex
        The grids and the cell pieces of each leaf.
    cell_seconds : ndarray
        Seconds from the nearest post to each raster cell (inf where none reaches it).

    Returns
    -------
    DataFrame
        :data:`TIME_COLUMNS`: ``weight`` (people or km²), ``mean_minutes`` (over the weight
        some post reaches), ``p90_minutes`` (the weighted 90th percentile, inf when more than
        10 % is out of reach; NaN without weight) and ``unreached_share``.
    """
    w, basis = piece_weights(index)
    t = np.asarray(cell_seconds, dtype=float)[index.piece_cell] / 60.0
    # Every (grid, piece) pair: a piece counts in its leaf and in each grid above it.
    up = index.up.tocsc()
    n_up = np.diff(up.indptr)[index.piece_leaf]
    piece = np.repeat(np.arange(len(w)), n_up)
    starts = up.indptr[index.piece_leaf]
    offs = np.arange(n_up.sum()) - np.repeat(np.cumsum(n_up) - n_up, n_up)
    grid = up.indices[np.repeat(starts, n_up) + offs]
    n = len(index.frame)
    pw, pt = w[piece], t[piece]
    reached = np.isfinite(pt)
    total = np.bincount(grid, weights=pw, minlength=n)
    got = np.bincount(grid, weights=np.where(reached, pw, 0.0), minlength=n)
    wt = np.bincount(grid, weights=np.where(reached, pw * pt, 0.0), minlength=n)
    mean = np.divide(wt, got, out=np.full(n, np.nan), where=got > 0)
    # Weighted percentile per grid: sort by (grid, time), cumulative weight, first past q.
    order = np.lexsort((pt, grid))
    g_sorted, t_sorted = grid[order], pt[order]
    cum = np.cumsum(pw[order])
    before = np.concatenate([[0.0], cum])[np.searchsorted(g_sorted, np.arange(n), side="left")]
    target = before + PERCENTILE * total * (1 - 1e-12)
    pos = np.searchsorted(cum, target, side="left")
    last = np.searchsorted(g_sorted, np.arange(n), side="right") - 1
    pos = np.minimum(pos, np.maximum(last, 0))
    p90 = np.where(total > 0, t_sorted[pos] if len(t_sorted) else np.nan, np.nan)
    out = index.frame[["grid_id", "parent_id", "level", "name_zh", "name_en"]].copy()
    out["weight"] = total / 1e6 if basis == "area" else total
    out["mean_minutes"] = mean
    out["p90_minutes"] = p90
    out["unreached_share"] = np.divide(total - got, total, out=np.full(n, np.nan), where=total > 0)
    out.attrs["basis"] = basis
    return out[list(TIME_COLUMNS)]


def summary_times(
    index: GridIndex, cell_seconds: np.ndarray, roots: tuple[str, ...] | None = None
) -> dict:
    """Return the weighted mean and 90th percentile of the whole district or of a scope.

    Parameters
    ----------
    index : GridIndex
        The grids and cell pieces.
    cell_seconds : ndarray
        Seconds from the nearest post to each raster cell (inf where none reaches it).
    roots : tuple of str, optional
        A reader's scope (``Scope.roots``): only the pieces of the leaves below these grids
        count (None: every piece).

    Returns
    -------
    dict
        ``basis`` (population or area), ``weight``, ``mean_minutes`` (over the weight some
        post reaches), ``p90_minutes`` (None when more than 10 % is out of reach, or without
        weight) and ``unreached_share``.
    """
    w, basis = piece_weights(index)
    t = np.asarray(cell_seconds, dtype=float)[index.piece_cell] / 60.0
    if roots is not None:
        pos = pd.Index(index.frame["grid_id"]).get_indexer(list(roots))
        pos = pos[pos >= 0]
        inside = np.asarray(index.up[pos].sum(axis=0)).ravel() > 0 if len(pos) else None
        keep = inside[index.piece_leaf] if inside is not None else np.zeros(len(w), dtype=bool)
        w, t = w[keep], t[keep]
    total = float(w.sum())
    out = {"basis": basis, "weight": total / 1e6 if basis == "area" else total}
    if not total > 0:
        return {**out, "mean_minutes": None, "p90_minutes": None, "unreached_share": None}
    reached = np.isfinite(t)
    got = float(w[reached].sum())
    p90 = weighted_quantile(t, w, PERCENTILE)
    return {
        **out,
        "mean_minutes": float((w[reached] * t[reached]).sum() / got) if got > 0 else None,
        "p90_minutes": p90 if np.isfinite(p90) else None,
        "unreached_share": (total - got) / total,
    }
