"""District figures and the worst-covered grids, read off a per-grid coverage table."""

from __future__ import annotations

import numpy as np
import pandas as pd

from gridmap.errors import GridIndexError


def district_kpis(table: pd.DataFrame) -> dict:
    """District figures from the top rows of a :func:`grid_table`: those without a parent in it.

    For the whole table these are the level-1 row(s); for the rows of a reader's scope
    (:func:`gridmap.coverage.grid_shares.rows_within`) the scope's own roots, so the figures
    are the scope's (a root inside another root's subtree is not counted twice).

    Returns
    -------
    dict
        ``area_km2``, ``covered_area_km2``, ``area_share``, ``population``,
        ``covered_population``, ``population_share``, ``uncovered_population``, ``incidents``,
        ``covered_incidents``, ``incident_share`` (shares None when undefined; the
        population figures None when the grids have none).
    """
    roots = table[~table["parent_id"].isin(table["grid_id"])]
    area = float(roots["area_km2"].sum())
    cov_area = float(roots["covered_area_km2"].sum())
    # NaN population (grids without any population figure) is unknown, never 0 people.
    known = roots.empty or bool(roots["population"].notna().any())
    pop = float(roots["population"].sum())
    cov_pop = float(roots["covered_population"].sum())
    inc = float(roots["incidents"].sum())
    cov_inc = float(roots["covered_incidents"].sum())
    return {
        "area_km2": area,
        "covered_area_km2": cov_area,
        "area_share": cov_area / area if area > 0 else None,
        "population": pop if known else None,
        "covered_population": cov_pop if known else None,
        "uncovered_population": pop - cov_pop if known else None,
        "population_share": cov_pop / pop if known and pop > 0 else None,
        "incidents": inc,
        "covered_incidents": cov_inc,
        "incident_share": cov_inc / inc if inc > 0 else None,
    }


def worst_grids(
    table: pd.DataFrame, *, level: int = 5, n: int = 10, by: str = "population"
) -> pd.DataFrame:
    """Rank the ``n`` grids of ``level`` with the lowest covered share (ties: most uncovered).

    Parameters
    ----------
    table : DataFrame
        From :func:`grid_table`.
    level : int
        Grid level 1-5.
    n : int
        How many grids.
    by : {"population", "area", "incident"}
        Which share ranks them; grids where that share is undefined come last.

    Returns
    -------
    DataFrame
        The rows, ranked, with a ``rank`` column from 1.
    """
    if by not in ("population", "area", "incident"):
        raise GridIndexError(
            f"by must be 'population', 'area' or 'incident', got {by!r}", parameter="by"
        )
    share = f"{by}_share"
    total = {"population": "population", "area": "area_km2", "incident": "incidents"}[by]
    covered = {
        "population": "covered_population",
        "area": "covered_area_km2",
        "incident": "covered_incidents",
    }[by]
    rows = table[table["level"] == level].copy()
    rows["_uncovered"] = rows[total] - rows[covered]
    rows = rows.sort_values([share, "_uncovered"], ascending=[True, False], na_position="last")
    rows = rows.head(n).drop(columns="_uncovered")
    rows.insert(0, "rank", np.arange(1, len(rows) + 1))
    return rows.reset_index(drop=True)
