"""Roads not split where they meet: find those junctions and split the segments there.

The road graph joins segments only at shared end points. A county's road file often has roads
that cross (or end on another road's middle) without a vertex there: the graph would then have
islands, and posts on them would reach nothing. Each such junction is found with a spatial index
and both segments are cut at it, keeping their attributes.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely
from shapely.ops import substring

#: Two points closer than this (degrees, about 1 cm) are the same point.
SAME_POINT_DEG = 1e-7


def _add(cuts: dict, lines: np.ndarray, index: np.ndarray, points: np.ndarray) -> None:
    """Note a cut of ``lines[index]`` at each of ``points`` that is not one of its two ends."""
    starts = shapely.get_point(lines[index], 0)
    ends = shapely.get_point(lines[index], -1)
    inside = (shapely.distance(starts, points) > SAME_POINT_DEG) & (
        shapely.distance(ends, points) > SAME_POINT_DEG
    )
    at = shapely.line_locate_point(lines[index[inside]], points[inside])
    for i, d in zip(index[inside], at, strict=True):
        cuts.setdefault(int(i), []).append(float(d))


def _cuts(lines: np.ndarray) -> dict[int, list[float]]:
    """Return, per line index, the distances along it where another line meets its interior.

    Most touching pairs share an end point, which is what a noded file looks like: those are
    told apart by their end points alone, and only the rest (crossings, a line ending on
    another's middle) are intersected.
    """
    tree = shapely.STRtree(lines)
    left, right = tree.query(lines, predicate="intersects")
    keep = left < right
    left, right = left[keep], right[keep]
    cuts: dict[int, list[float]] = {}
    if not len(left):
        return cuts
    ends = [shapely.get_point(lines, 0), shapely.get_point(lines, -1)]
    shared = np.zeros(len(left), dtype=bool)
    for a in ends:
        for b in ends:
            shared |= shapely.distance(a[left], b[right]) <= SAME_POINT_DEG
    left, right = left[~shared], right[~shared]
    if len(left):
        parts, which = shapely.get_parts(
            shapely.intersection(lines[left], lines[right]), return_index=True
        )
        point = shapely.get_type_id(parts) == 0
        for side in (left, right):
            _add(cuts, lines, side[which[point]], parts[point])
    return cuts


def node_roads(roads: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, int]:
    """Split every segment where another meets its interior; return (roads, junctions split).

    Parameters
    ----------
    roads : geopandas.GeoDataFrame
        Road segments (LineString or MultiLineString), in EPSG:4326.

    Returns
    -------
    roads : geopandas.GeoDataFrame
        The same segments, those with junctions inside cut into pieces that each keep the
        segment's attributes (ids get ``-1``, ``-2`` ... suffixes); unchanged when none.
    junctions : int
        How many cut points were added.
    """
    if roads is None or roads.empty:
        return roads, 0
    parts = roads.explode(index_parts=False, ignore_index=True)
    lines = np.asarray(parts.geometry.array, dtype=object)
    valid = shapely.get_type_id(lines) == 1
    cuts = _cuts(np.where(valid, lines, shapely.LineString()))
    if not cuts:
        return roads, 0
    rows, geoms, count = [], [], 0
    for i, line in enumerate(lines):
        at = sorted(set(cuts.get(i, ())))
        if not at:
            rows.append(i)
            geoms.append(line)
            continue
        count += len(at)
        edges = [0.0, *at, float(line.length)]
        for k, (start, end) in enumerate(zip(edges[:-1], edges[1:], strict=True)):
            if end - start <= SAME_POINT_DEG:
                continue
            rows.append(i)
            geoms.append(substring(line, start, end))
            if "road_id" in parts.columns and parts.at[i, "road_id"] is not None:
                parts.loc[i, "_piece"] = k + 1
    out = parts.iloc[rows].copy()
    out = gpd.GeoDataFrame(
        out.drop(columns="_piece", errors="ignore"), geometry=geoms, crs=roads.crs
    )
    if "road_id" in out.columns:
        repeated = out["road_id"].duplicated(keep=False) & out["road_id"].notna()
        pieces = out.groupby("road_id").cumcount() + 1
        out.loc[repeated, "road_id"] = (
            out.loc[repeated, "road_id"].astype(str) + "-" + pieces[repeated].astype(str)
        )
    return out.reset_index(drop=True), count
