"""Rules of the other layers: police posts, road segments, geometry types."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from gridmap.errors import Problem
from gridmap.grids.checks.values import as_float, optional_text, record_ids, unique_problems
from gridmap.grids.schema import ROAD_CLASSES


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
    ids = record_ids(posts, "post_id")
    problems = unique_problems(ids, file, "post")
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
        ids = record_ids(roads, "road_id")
    else:
        ids = np.array([f"row {i + 1}" for i in range(len(roads))], dtype=object)
    problems = _geometry_type_problems(roads.geometry, ("LineString", "MultiLineString"), ids, file)
    n = len(roads)
    speed = as_float(roads["speed_kmh"]) if "speed_kmh" in roads.columns else np.full(n, np.nan)
    if "road_class" in roads.columns:
        classes = optional_text(roads["road_class"])
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
