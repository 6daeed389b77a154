"""Rule checks on loaded layers: pure functions returning every broken rule as a Problem."""

from __future__ import annotations

from collections.abc import Mapping

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely import STRtree
from shapely.geometry.base import BaseGeometry

from gridmap.errors import Problem
from gridmap.grids.schema import LEVELS, ROAD_CLASSES

#: Smallest area mismatch (m²) that counts, whatever the parent's size.
MIN_TOLERANCE_M2 = 1.0
#: Area mismatch that counts, as a fraction of the parent's area.
RELATIVE_TOLERANCE = 1e-6
#: Message of the ``level`` problem for a grid without a usable level.
LEVEL_MISSING = "level is missing"

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


def _ids(frame: pd.DataFrame, name: str) -> np.ndarray:
    """Return the record ids as a string array: column ``name``, else the index."""
    values = frame[name] if name in frame.columns else frame.index.to_series()
    return np.array([str(v) for v in values], dtype=object)


def _optional_text(values: pd.Series) -> np.ndarray:
    """Return ``values`` as strings, with null, NaN and blank text as None."""
    out = np.empty(len(values), dtype=object)
    for i, v in enumerate(values):
        if v is None or (not isinstance(v, str) and pd.isna(v)):
            out[i] = None
        else:
            text = str(v).strip()
            out[i] = text or None
    return out


def _as_float(values: pd.Series) -> np.ndarray:
    """Return a numeric column as float with NaN for missing or unparseable values."""
    return pd.to_numeric(values, errors="coerce").to_numpy(dtype=float, na_value=np.nan)


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


def _unique_problems(ids: np.ndarray, file: str, what: str) -> list[Problem]:
    """Return one ``unique-id`` problem per id used by more than one record."""
    counts = pd.Series(ids).value_counts(sort=False)
    return [
        Problem(file, "unique-id", f"{what} id {gid!r} is used by {n} records", (str(gid),))
        for gid, n in counts[counts > 1].items()
    ]


def _polygon_problems(geoms: np.ndarray, ids: np.ndarray, file: str) -> tuple[np.ndarray, list]:
    """Return the mask of usable (valid, non-empty) polygons and a problem per other grid."""
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

    ids = _ids(grids, "grid_id")
    parents = _optional_text(grids["parent_id"])
    raw_levels = _as_float(grids["level"])
    level_ok = np.isin(raw_levels, LEVELS)
    levels = np.where(level_ok, raw_levels, 0).astype(int)
    n = len(ids)

    problems = _unique_problems(ids, file, "grid")
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
    geom_ok, geometry_problems = _polygon_problems(geoms, ids, file)
    problems += geometry_problems
    if geom_ok.any():
        problems += _spatial_problems(grids, ids, levels, level_ok, ppos, tree_link, geom_ok, file)

    if "population" in grids.columns:
        problems += _population_problems(ids, _as_float(grids["population"]), ppos, tree_link, file)
    problems += _count_problems(levels[level_ok], n, expected_counts, file)
    return problems


def _level_problems(
    ids: np.ndarray, parents: np.ndarray, raw: np.ndarray, ok: np.ndarray, file: str
) -> list[Problem]:
    """Return the ``level`` problems: bad values, level-1 count and level-1 parent."""
    problems = []
    for i in np.nonzero(~ok)[0]:
        message = LEVEL_MISSING if np.isnan(raw[i]) else f"level {raw[i]:g} is not one of 1-5"
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


def _spatial_problems(
    grids: gpd.GeoDataFrame,
    ids: np.ndarray,
    levels: np.ndarray,
    level_ok: np.ndarray,
    ppos: np.ndarray,
    tree_link: np.ndarray,
    geom_ok: np.ndarray,
    file: str,
) -> list[Problem]:
    """Return the ``within-parent``, ``sibling-overlap`` and ``children-cover`` problems."""
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


def check_posts(
    posts: gpd.GeoDataFrame, outline_geometry: BaseGeometry | None, file: str
) -> list[Problem]:
    """Check the police posts: unique ids, Point geometry, inside the district.

    Parameters
    ----------
    posts : geopandas.GeoDataFrame
        Posts indexed by post id (or with a ``post_id`` column).
    outline_geometry : shapely geometry or None
        The level-1 grid, in the CRS of ``posts``; None skips ``post-inside``.
    file : str
        Name of the file the posts came from.

    Returns
    -------
    list of Problem
        One problem per duplicated id and per offending post.
    """
    if not isinstance(posts, gpd.GeoDataFrame):
        raise ValueError(f"'posts' should be a GeoDataFrame, got {type(posts).__name__}")
    ids = _ids(posts, "post_id")
    problems = _unique_problems(ids, file, "post")
    geoms = np.asarray(posts.geometry.array, dtype=object)
    point = np.array([g is not None and g.geom_type == "Point" for g in geoms], dtype=bool)
    point[point] = ~shapely.is_empty(geoms[point])
    for i in np.nonzero(~point)[0]:
        g = geoms[i]
        what = "missing" if g is None else "empty" if g.is_empty else f"a {g.geom_type}"
        problems.append(
            Problem(file, "geometry-valid", f"geometry is {what}, not a Point", (ids[i],))
        )
    if outline_geometry is not None and not outline_geometry.is_empty and point.any():
        outline = shapely.make_valid(outline_geometry)
        shapely.prepare(outline)
        inside = np.ones(len(ids), dtype=bool)
        inside[point] = shapely.covers(outline, geoms[point])
        for i in np.nonzero(~inside)[0]:
            problems.append(
                Problem(
                    file, "post-inside", "post lies outside the district (level-1 grid)", (ids[i],)
                )
            )
    return problems


def check_roads(roads: gpd.GeoDataFrame, file: str) -> list[Problem]:
    """Check that every road segment is a line with a usable class or a positive speed.

    Parameters
    ----------
    roads : geopandas.GeoDataFrame
        Segments with optional ``road_id``, ``road_class`` and ``speed_kmh`` columns.
    file : str
        Name of the file the roads came from.

    Returns
    -------
    list of Problem
        ``geometry-valid`` problems grouped by geometry type and ``road-class`` problems
        grouped by the unusable class (or the non-positive speed), naming the segments.
    """
    if not isinstance(roads, gpd.GeoDataFrame):
        raise ValueError(f"'roads' should be a GeoDataFrame, got {type(roads).__name__}")
    if "road_id" in roads.columns:
        ids = _ids(roads, "road_id")
    else:
        ids = np.array([f"row {i + 1}" for i in range(len(roads))], dtype=object)
    problems = _geometry_type_problems(roads.geometry, ("LineString", "MultiLineString"), ids, file)
    n = len(roads)
    speed = _as_float(roads["speed_kmh"]) if "speed_kmh" in roads.columns else np.full(n, np.nan)
    if "road_class" in roads.columns:
        classes = _optional_text(roads["road_class"])
    else:
        classes = np.full(n, None, dtype=object)
    known = np.isin(classes, ROAD_CLASSES)
    bad_speed = ~np.isnan(speed) & ~(speed > 0)
    for value in sorted(set(speed[bad_speed].tolist())):
        segs = tuple(ids[bad_speed & (speed == value)])
        message = f"speed_kmh {value:g} is not positive ({len(segs)} segment(s))"
        problems.append(Problem(file, "road-class", message, segs))
    no_class = np.isnan(speed) & ~known
    labels = np.array([repr(c) if c is not None else "" for c in classes], dtype=object)
    for label in sorted(set(labels[no_class].tolist())):
        segs = tuple(ids[no_class & (labels == label)])
        what = f"road_class {label} is not one of" if label else "no road_class, nor any of"
        message = f"{what} {', '.join(ROAD_CLASSES)} and no speed_kmh ({len(segs)} segment(s))"
        problems.append(Problem(file, "road-class", message, segs))
    return problems


def check_geometry_types(
    frame: gpd.GeoDataFrame, allowed: tuple[str, ...], file: str, ids: np.ndarray | None = None
) -> list[Problem]:
    """Return ``geometry-valid`` problems for records missing, empty or of another type.

    Parameters
    ----------
    frame : geopandas.GeoDataFrame
        Any layer.
    allowed : tuple of str
        Accepted geometry types, e.g. ``("Polygon", "MultiPolygon")``.
    file : str
        Name of the file the layer came from.
    ids : numpy.ndarray, optional
        Record ids; ``row <n>`` (1-based) when omitted.

    Returns
    -------
    list of Problem
        One problem per offending geometry type, naming its records.
    """
    if ids is None:
        ids = np.array([f"row {i + 1}" for i in range(len(frame))], dtype=object)
    return _geometry_type_problems(frame.geometry, allowed, ids, file)


def _geometry_type_problems(
    geometry: gpd.GeoSeries, allowed: tuple[str, ...], ids: np.ndarray, file: str
) -> list[Problem]:
    """Return one problem per kind of unusable geometry, naming its records."""
    geoms = np.asarray(geometry.array, dtype=object)
    kinds = np.array(
        [
            "missing"
            if g is None
            else "empty"
            if g.is_empty
            else "ok"
            if g.geom_type in allowed
            else f"a {g.geom_type}"
            for g in geoms
        ],
        dtype=object,
    )
    problems = []
    for kind in sorted(set(kinds.tolist()) - {"ok"}):
        recs = tuple(ids[kinds == kind])
        message = f"geometry is {kind}, not {' or '.join(allowed)} ({len(recs)} record(s))"
        problems.append(Problem(file, "geometry-valid", message, recs))
    return problems
