"""Tree rules of the grid hierarchy: ids, parents, levels, counts, population sums."""

from __future__ import annotations

from collections.abc import Mapping

import geopandas as gpd
import numpy as np

from gridmap.errors import Problem
from gridmap.grids.checks.geometry import polygon_problems, spatial_problems
from gridmap.grids.checks.values import as_float, optional_text, record_ids, unique_problems
from gridmap.grids.schema import LEVELS, LEVELS_TEXT

#: Message of the ``level`` problem for a grid without a usable level.
LEVEL_MISSING = "level is missing"


def check_grids(
    grids: gpd.GeoDataFrame,
    file: str,
    expected_counts: Mapping[int | str, int] | None = None,
) -> list[Problem]:
    """Check the grid hierarchy rules of docs/data-schema.md and list every broken one.

    Parameters
    ----------
    grids : geopandas.GeoDataFrame
        Every grid, indexed by grid id (or with a ``grid_id`` column), with ``parent_id``,
        ``level`` and optionally ``population`` columns, in any CRS (data not in a metre-based
        projected CRS is measured in its estimated UTM zone).
    file : str
        Name of the file the grids came from, copied into every problem.
    expected_counts : mapping of level to int, optional
        Number of grids expected per level (``district.json`` ``expected_counts``).

    Returns
    -------
    list of Problem
        One problem per offending grid, pair of grids or level; empty when all rules hold.

    Raises
    ------
    ValueError
        If ``grids`` is not a GeoDataFrame with the needed columns and a CRS.
    """
    if not isinstance(grids, gpd.GeoDataFrame):
        raise ValueError(f"'grids' should be a GeoDataFrame, got {type(grids).__name__}")
    missing_columns = [c for c in ("parent_id", "level") if c not in grids.columns]
    if missing_columns:
        raise ValueError(f"'grids' lacks the column(s) {', '.join(missing_columns)}")
    if grids.crs is None:
        raise ValueError("'grids' has no CRS")

    ids = record_ids(grids, "grid_id")
    parents = optional_text(grids["parent_id"])
    raw_levels = as_float(grids["level"])
    level_ok = np.isin(raw_levels, LEVELS)
    levels = np.where(level_ok, raw_levels, 0).astype(int)
    n = len(ids)

    problems = unique_problems(ids, file, "grid")
    problems += _level_problems(ids, parents, raw_levels, level_ok, file)

    # Position of each grid's parent (first record holding that id), -1 when absent.
    first = {}
    for pos, gid in enumerate(ids):
        first.setdefault(gid, pos)
    ppos = np.array([first.get(p, -1) if p is not None else -1 for p in parents], dtype=int)
    ppos[level_ok & (levels == 1)] = -1
    has_parent = ppos >= 0
    for i in np.nonzero(~has_parent & ((levels > 1) | (~level_ok & (parents != None))))[0]:  # noqa: E711
        if parents[i] is None:
            message = f"level-{levels[i]} grid has no parent_id"
        else:
            message = f"parent {parents[i]!r} does not exist"
        problems.append(Problem(file, "parent-exists", message, (ids[i],)))
    safe_ppos = np.where(has_parent, ppos, 0)
    consistent = has_parent & level_ok & level_ok[safe_ppos]
    wrong_level = consistent & (levels[safe_ppos] != levels - 1)
    for i in np.nonzero(wrong_level)[0]:
        p = safe_ppos[i]
        message = f"level-{levels[i]} grid has a level-{levels[p]} parent {ids[p]!r}"
        problems.append(Problem(file, "parent-level", message, (ids[i], ids[p])))
    tree_link = consistent & ~wrong_level

    geoms = np.asarray(grids.geometry.array, dtype=object)
    geom_ok, geometry_problems = polygon_problems(geoms, ids, file)
    problems += geometry_problems
    if geom_ok.any():
        problems += spatial_problems(grids, ids, levels, level_ok, ppos, tree_link, geom_ok, file)

    if "population" in grids.columns:
        problems += _population_problems(ids, as_float(grids["population"]), ppos, tree_link, file)
    problems += _count_problems(levels[level_ok], n, expected_counts, file)
    return problems


def _level_problems(
    ids: np.ndarray, parents: np.ndarray, raw: np.ndarray, ok: np.ndarray, file: str
) -> list[Problem]:
    """Return the ``level`` problems: bad values, level-1 count and level-1 parent."""
    problems = []
    for i in np.nonzero(~ok)[0]:
        if np.isnan(raw[i]):
            message = LEVEL_MISSING
        else:
            message = f"level {raw[i]:g} is not one of {LEVELS_TEXT}"
        problems.append(Problem(file, "level", message, (ids[i],)))
    top = np.nonzero(ok & (raw == 1))[0]
    if len(top) == 0:
        problems.append(Problem(file, "level", "there is no level-1 grid (the district)", ()))
    elif len(top) > 1:
        message = f"{len(top)} level-1 grids; there must be exactly one"
        problems.append(Problem(file, "level", message, tuple(ids[top])))
    for i in top:
        if parents[i] is not None:
            message = f"the level-1 grid has a parent_id {parents[i]!r}; it must be empty"
            problems.append(Problem(file, "level", message, (ids[i],)))
    return problems


def _population_problems(
    ids: np.ndarray, population: np.ndarray, ppos: np.ndarray, link: np.ndarray, file: str
) -> list[Problem]:
    """Return a ``population-sum`` problem per parent whose children's sum differs."""
    n = len(ids)
    child = np.nonzero(link)[0]
    pop = population[child]
    total = np.bincount(ppos[child], weights=np.nan_to_num(pop), minlength=n)
    count = np.bincount(ppos[child], minlength=n)
    unknown = np.bincount(ppos[child], weights=np.isnan(pop), minlength=n)
    bad = (count > 0) & (unknown == 0) & ~np.isnan(population) & (total != population)
    return [
        Problem(
            file,
            "population-sum",
            f"population {population[p]:.0f} differs from the sum of its {count[p]} "
            f"children's, {total[p]:.0f}",
            (ids[p],),
        )
        for p in np.nonzero(bad)[0]
    ]


def _count_problems(
    levels: np.ndarray, n: int, expected: Mapping[int | str, int] | None, file: str
) -> list[Problem]:
    """Return the ``count`` problems: levels without grids and counts not as expected."""
    counts = np.bincount(levels, minlength=LEVELS[-1] + 1)
    wanted = {int(k): int(v) for k, v in (expected or {}).items()}
    problems = []
    for level in LEVELS:
        if level in wanted and counts[level] != wanted[level]:
            message = f"{counts[level]} level-{level} grids; district.json expects {wanted[level]}"
            problems.append(Problem(file, "count", message, ()))
        elif counts[level] == 0 and level != 1:  # a missing level 1 is a ``level`` problem
            problems.append(Problem(file, "count", f"there are no level-{level} grids", ()))
    return problems
