"""Geometry rules of the grid tree: valid, within parent, siblings overlap, children cover."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely
from shapely import STRtree

from gridmap.errors import Problem
from gridmap.grids.schema import LEVELS

#: Smallest area mismatch (m²) that counts, whatever the parent's size.
MIN_TOLERANCE_M2 = 1.0
#: Area mismatch that counts, as a fraction of the parent's area.
RELATIVE_TOLERANCE = 1e-6

_POLYGONAL = ("Polygon", "MultiPolygon")


def tolerance(parent_area: np.ndarray | float) -> np.ndarray | float:
    """Return the area mismatch (m²) that a parent of ``parent_area`` m² accepts.

    Parameters
    ----------
    parent_area : float or numpy.ndarray
        Area of the parent grid(s) in square metres.

    Returns
    -------
    float or numpy.ndarray
        ``max(1 m², 1e-6 x parent_area)``.
    """
    return np.maximum(MIN_TOLERANCE_M2, RELATIVE_TOLERANCE * np.asarray(parent_area, dtype=float))


def _metric(geometry: gpd.GeoSeries) -> np.ndarray:
    """Return the geometries as an array in metres: as they are, or in their UTM zone."""
    if geometry.crs is None:
        raise ValueError("the layer has no CRS: areas and distances cannot be measured")
    units = {axis.unit_name for axis in geometry.crs.axis_info}
    if geometry.crs.is_geographic or not units <= {"metre", "meter"}:
        usable = geometry[~(geometry.isna() | geometry.is_empty)]
        if len(usable) == 0:
            return np.asarray(geometry.array, dtype=object)
        geometry = geometry.to_crs(usable.estimate_utm_crs())
    return np.asarray(geometry.array, dtype=object)


def _area_text(area: float, reference: float) -> str:
    """Return ``area`` in m² with its share of ``reference``."""
    share = 100.0 * area / reference if reference > 0 else float("nan")
    return f"{area:,.1f} m² ({share:.4g}% of the parent's area)"


def polygon_problems(geoms: np.ndarray, ids: np.ndarray, file: str) -> tuple[np.ndarray, list]:
    """Return the mask of usable (valid, non-empty) polygons and a problem per other grid.

    Parameters
    ----------
    geoms : numpy.ndarray
        Shapely geometries (or None), one per grid.
    ids : numpy.ndarray
        Grid ids, aligned with ``geoms``.
    file : str
        Name of the file the grids came from.

    Returns
    -------
    usable : numpy.ndarray
        Boolean mask of the valid, non-empty Polygon and MultiPolygon geometries.
    problems : list of Problem
        One ``geometry-valid`` problem per other grid.
    """
    missing = shapely.is_missing(geoms)
    types = np.array(
        [None if g is None else g.geom_type for g in geoms],
        dtype=object,
    )
    polygonal = np.isin(types, _POLYGONAL)
    empty = np.zeros(len(geoms), dtype=bool)
    empty[~missing] = shapely.is_empty(geoms[~missing])
    valid = np.zeros(len(geoms), dtype=bool)
    check = polygonal & ~empty
    valid[check] = shapely.is_valid(geoms[check])
    problems = []
    for i in np.nonzero(~(check & valid))[0]:
        if missing[i]:
            message = "geometry is missing"
        elif not polygonal[i]:
            message = f"geometry is a {types[i]}, not a Polygon or MultiPolygon"
        elif empty[i]:
            message = "geometry is empty"
        else:
            message = f"geometry is not valid: {shapely.is_valid_reason(geoms[i])}"
        problems.append(Problem(file, "geometry-valid", message, (ids[i],)))
    return check & valid, problems


def spatial_problems(
    grids: gpd.GeoDataFrame,
    ids: np.ndarray,
    levels: np.ndarray,
    level_ok: np.ndarray,
    ppos: np.ndarray,
    tree_link: np.ndarray,
    geom_ok: np.ndarray,
    file: str,
) -> list[Problem]:
    """Return the ``within-parent``, ``sibling-overlap`` and ``children-cover`` problems.

    Parameters
    ----------
    grids : geopandas.GeoDataFrame
        Every grid, with a CRS.
    ids, levels : numpy.ndarray
        Grid ids and levels (0 where unusable), aligned with ``grids``.
    level_ok : numpy.ndarray
        Mask of the grids with a usable level.
    ppos : numpy.ndarray
        Position of each grid's parent, -1 when it has none.
    tree_link : numpy.ndarray
        Mask of the grids whose parent exists and is one level up.
    geom_ok : numpy.ndarray
        Mask of the usable polygons (from :func:`polygon_problems`).
    file : str
        Name of the file the grids came from.

    Returns
    -------
    list of Problem
        One problem per offending grid or pair of siblings.
    """
    geoms = np.empty(len(ids), dtype=object)
    geoms[geom_ok] = _metric(grids.geometry[geom_ok])
    # A polygon valid in its own CRS can turn invalid once reprojected: repair it quietly.
    bad = geom_ok.copy()
    bad[geom_ok] = ~shapely.is_valid(geoms[geom_ok])
    if bad.any():
        geoms[bad] = shapely.make_valid(geoms[bad])
    area = np.zeros(len(ids))
    area[geom_ok] = shapely.area(geoms[geom_ok])
    safe_ppos = np.where(ppos >= 0, ppos, 0)
    link = tree_link & geom_ok & geom_ok[safe_ppos]
    tol = tolerance(area)
    problems: list[Problem] = []

    # within-parent: a cheap prepared "covers" test first, exact area outside for the rest.
    child = np.nonzero(link)[0]
    parent = ppos[child]
    shapely.prepare(geoms[np.unique(parent)])
    covered = shapely.covers(geoms[parent], geoms[child])
    outside = np.zeros(len(ids))
    todo = child[~covered]
    outside[todo] = shapely.area(shapely.difference(geoms[todo], geoms[ppos[todo]]))
    for i in todo[outside[todo] > tol[ppos[todo]]]:
        p = ppos[i]
        message = f"{_area_text(outside[i], area[p])} lies outside its parent {ids[p]!r}"
        problems.append(Problem(file, "within-parent", message, (ids[i], ids[p])))

    # sibling-overlap: one STRtree per level, candidate pairs kept when they share a parent.
    overlap_by_parent = np.zeros(len(ids))
    for level in LEVELS[1:]:
        members = np.nonzero(link & (levels == level))[0]
        if len(members) < 2:
            continue
        tree = STRtree(geoms[members])
        a, b = tree.query(geoms[members], predicate="intersects")
        a, b = members[a], members[b]
        keep = (a < b) & (ppos[a] == ppos[b])
        a, b = a[keep], b[keep]
        shared = shapely.area(shapely.intersection(geoms[a], geoms[b]))
        np.add.at(overlap_by_parent, ppos[a], shared)
        for i, j, s in zip(a, b, shared, strict=True):
            p = ppos[i]
            if s > tol[p]:
                message = f"siblings {ids[i]!r} and {ids[j]!r} share {_area_text(s, area[p])}"
                problems.append(Problem(file, "sibling-overlap", message, (ids[i], ids[j])))

    problems += _cover_problems(
        ids, levels, level_ok, ppos, link, geom_ok, geoms, area, outside, overlap_by_parent, file
    )
    return problems


def _cover_problems(
    ids: np.ndarray,
    levels: np.ndarray,
    level_ok: np.ndarray,
    ppos: np.ndarray,
    link: np.ndarray,
    geom_ok: np.ndarray,
    geoms: np.ndarray,
    area: np.ndarray,
    outside: np.ndarray,
    overlap: np.ndarray,
    file: str,
) -> list[Problem]:
    """Return the ``children-cover`` problems, measuring unions only where sums are unsure."""
    n = len(ids)
    safe_ppos = np.where(ppos >= 0, ppos, 0)
    n_children = np.bincount(safe_ppos[ppos >= 0], minlength=n)
    n_linked = np.bincount(ppos[link], minlength=n)
    child_area = np.bincount(ppos[link], weights=area[link], minlength=n)
    child_outside = np.bincount(ppos[link], weights=outside[link], minlength=n)
    # Uncovered area U obeys deficit + outside <= U <= deficit + outside + pairwise overlaps.
    low = area - child_area + child_outside
    high = low + overlap
    tol = tolerance(area)
    problems = []
    candidates = geom_ok & level_ok & (levels < LEVELS[-1]) & (n_children == n_linked)
    for p in np.nonzero(candidates & (high > tol))[0]:
        if n_linked[p] == 0:
            message = f"level-{levels[p]} grid has no children"
            problems.append(Problem(file, "children-cover", message, (ids[p],)))
            continue
        children = geoms[link & (ppos == p)]
        union = shapely.union_all(children)
        uncovered = shapely.area(shapely.difference(geoms[p], union))
        if uncovered > tol[p]:
            message = f"{_area_text(uncovered, area[p])} is not covered by its children"
            problems.append(Problem(file, "children-cover", message, (ids[p],)))
    return problems
