"""Road graph for e-bike travel times: nodes at coincident end points, edges weighted in seconds."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS
from scipy.sparse import coo_matrix, csr_matrix
from scipy.sparse.csgraph import connected_components
from scipy.spatial import cKDTree

from gridmap.errors import RoadDataError  # noqa: F401 (re-exported)
from gridmap.grids.schema import ROAD_CLASSES

#: Legal top speed of an electric bicycle in China, km/h (GB 17761-2018, 电动自行车安全技术规范:
#: maximum design speed 25 km/h).
EBIKE_LEGAL_CAP_KMH: float = 25.0

#: Measured mean riding speed of e-bikes in Chinese cities, about 17 km/h (the urban mean used
#: by the project's coverage issue); used as the straight-line fallback speed.
EBIKE_MEAN_URBAN_KMH: float = 17.0

#: Default e-bike speed per road class, km/h. Below the legal cap of 25 km/h (GB 17761-2018) and
#: around the measured urban mean of about 17 km/h: faster on arterial and county roads (wide,
#: few crossings), slower on village roads and town streets (mixed traffic, crossings), slowest
#: on paths.
DEFAULT_SPEEDS_KMH: Mapping[str, float] = {
    "arterial": 22.0,
    "county": 20.0,
    "village": 16.0,
    "street": 15.0,
    "path": 10.0,
}

#: A ``speed_kmh`` above this is taken as a data error (no e-bike rides that fast).
MAX_SPEED_KMH: float = 60.0

#: Default node snapping distance (m): end points closer than this are one node.
SNAP_M: float = 0.5

#: Default longest edge (m): longer segments are split so coverage is spatially fine.
MAX_EDGE_M: float = 100.0

# The smallest weight stored: csgraph may drop explicit zeros, so no edge weighs exactly 0 s.
_MIN_SECONDS = 1e-6


@dataclass(frozen=True)
class RoadGraph:
    """An undirected road graph in a metric CRS.

    Attributes
    ----------
    xy : ndarray (n, 2)
        Node coordinates in metres (the graph's metric CRS).
    u, v : ndarray (m,)
        End nodes of each undirected edge (``u < v``; of parallel edges only the fastest).
    seconds : ndarray (m,)
        Travel time of each edge at the e-bike speed of its road.
    length_m : ndarray (m,)
        Length of each edge.
    crs : pyproj.CRS or None
        The metric CRS of ``xy``.
    edge_class : ndarray of int (m,), optional
        Road class of each edge, a position in :data:`gridmap.grids.schema.ROAD_CLASSES`
        (-1: unknown, e.g. a road known only by its ``speed_kmh``).
    """

    xy: np.ndarray
    u: np.ndarray
    v: np.ndarray
    seconds: np.ndarray
    length_m: np.ndarray
    crs: CRS | None = None
    edge_class: np.ndarray | None = None
    labels: np.ndarray = field(init=False, repr=False)
    n_components: int = field(init=False)

    def __post_init__(self) -> None:
        """Label the connected components."""
        n = len(self.xy)
        if n:
            adj = coo_matrix((np.ones(len(self.u)), (self.u, self.v)), shape=(n, n))
            k, labels = connected_components(adj, directed=False)
        else:
            k, labels = 0, np.zeros(0, dtype=np.int32)
        object.__setattr__(self, "labels", labels)
        object.__setattr__(self, "n_components", int(k))

    @property
    def n_nodes(self) -> int:
        """Number of nodes."""
        return len(self.xy)

    @property
    def n_edges(self) -> int:
        """Number of undirected edges."""
        return len(self.u)

    def coo(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Return ``(rows, cols, seconds)`` with both directions of every edge."""
        return (
            np.concatenate([self.u, self.v]),
            np.concatenate([self.v, self.u]),
            np.concatenate([self.seconds, self.seconds]),
        )

    def matrix(self) -> csr_matrix:
        """Return the symmetric sparse matrix of edge seconds (use ``directed=True``)."""
        r, c, w = self.coo()
        return csr_matrix((w, (r, c)), shape=(self.n_nodes, self.n_nodes))

    def component_length_m(self) -> np.ndarray:
        """Return the road length (m) of each connected component."""
        return np.bincount(self.labels[self.u], weights=self.length_m, minlength=self.n_components)


def densify_line(coords: np.ndarray, max_edge_m: float) -> np.ndarray:
    """Insert points along a polyline so that no piece is longer than ``max_edge_m``.

    Parameters
    ----------
    coords : ndarray (k, 2)
        Vertices in metres.
    max_edge_m : float
        Longest piece wanted.

    Returns
    -------
    ndarray (k', 2)
        The vertices with the inserted points, first and last unchanged.
    """
    if len(coords) < 2:
        return coords
    d = coords[1:] - coords[:-1]
    seg = np.hypot(d[:, 0], d[:, 1])
    parts = np.maximum(1, np.ceil(seg / max_edge_m).astype(np.int64))
    # For segment i, the fractions 0, 1/p, ..., (p-1)/p; the final vertex appended after.
    seg_idx = np.repeat(np.arange(len(seg)), parts)
    starts = np.cumsum(parts) - parts
    frac = (np.arange(parts.sum()) - np.repeat(starts, parts)) / np.repeat(parts, parts)
    pts = coords[seg_idx] + d[seg_idx] * frac[:, None]
    return np.vstack([pts, coords[-1:]])


def graph_from_lines(
    lines: Sequence[np.ndarray],
    speeds_kmh: Sequence[float] | np.ndarray,
    *,
    snap_m: float = SNAP_M,
    max_edge_m: float = MAX_EDGE_M,
    crs: CRS | None = None,
    classes: Sequence[int] | np.ndarray | None = None,
) -> RoadGraph:
    """Build a road graph from polylines in metres (the array core).

    Every vertex is a node; vertices closer than ``snap_m`` (transitively) are merged, so lines
    meet where their end points coincide. Segments longer than ``max_edge_m`` are split. An edge
    weighs ``length / speed`` seconds; of parallel edges the fastest is kept, self-loops dropped.

    Parameters
    ----------
    lines : sequence of ndarray (k, 2)
        Polylines in a metric CRS.
    speeds_kmh : sequence of float
        E-bike speed on each line, km/h (> 0).
    snap_m : float
        Snapping distance for coincident points, metres.
    max_edge_m : float
        Longest edge after densification, metres.
    crs : pyproj.CRS, optional
        The metric CRS of the coordinates, kept on the graph.
    classes : sequence of int, optional
        Road class code of each line (kept per edge as ``edge_class``; default -1).

    Returns
    -------
    RoadGraph
    """
    speeds = np.asarray(speeds_kmh, dtype=float)
    codes = np.full(len(lines), -1) if classes is None else np.asarray(classes, dtype=np.int64)
    if len(codes) != len(lines):
        raise RoadDataError(f"{len(lines)} lines but {len(codes)} road classes")
    if len(speeds) != len(lines):
        raise RoadDataError(f"{len(lines)} lines but {len(speeds)} speeds")
    if len(speeds) and not (np.all(np.isfinite(speeds)) and np.all(speeds > 0)):
        raise RoadDataError("every speed must be a positive number of km/h")
    if not max_edge_m > 0 or not snap_m >= 0:
        raise RoadDataError(f"max_edge_m must be > 0 and snap_m >= 0, got {max_edge_m}, {snap_m}")
    pts_list, a_list, b_list, sp_list, cl_list = [], [], [], [], []
    offset = 0
    for coords, speed, code in zip(lines, speeds, codes, strict=True):
        coords = np.asarray(coords, dtype=float)[:, :2]
        if len(coords) < 2:
            continue
        dense = densify_line(coords, max_edge_m)
        k = len(dense)
        pts_list.append(dense)
        a_list.append(np.arange(offset, offset + k - 1))
        b_list.append(np.arange(offset + 1, offset + k))
        sp_list.append(np.full(k - 1, speed))
        cl_list.append(np.full(k - 1, code, dtype=np.int64))
        offset += k
    if not pts_list:
        empty_i = np.zeros(0, dtype=np.int64)
        return RoadGraph(
            np.zeros((0, 2)), empty_i, empty_i, np.zeros(0), np.zeros(0), crs, empty_i.copy()
        )
    pts = np.vstack(pts_list)
    a = np.concatenate(a_list)
    b = np.concatenate(b_list)
    sp = np.concatenate(sp_list)
    cl = np.concatenate(cl_list)
    length = np.hypot(*(pts[b] - pts[a]).T)

    # Merge points within snap_m of each other (transitively) into one node.
    if snap_m > 0:
        pairs = cKDTree(pts).query_pairs(snap_m, output_type="ndarray")
    else:
        pairs = np.zeros((0, 2), dtype=np.int64)
    if snap_m == 0 or len(pairs) == 0:
        # Still merge exact duplicates.
        _, first, node_of = np.unique(pts, axis=0, return_index=True, return_inverse=True)
        node_of = node_of.ravel()
        xy = pts[first]
    else:
        n = len(pts)
        adj = coo_matrix((np.ones(len(pairs)), (pairs[:, 0], pairs[:, 1])), shape=(n, n))
        _, node_of = connected_components(adj, directed=False)
        # The first point of each cluster gives the node's coordinates.
        first = np.full(node_of.max() + 1, n, dtype=np.int64)
        np.minimum.at(first, node_of, np.arange(n))
        xy = pts[first]
    u = node_of[a]
    v = node_of[b]
    sec = np.maximum(length / (sp / 3.6), _MIN_SECONDS)
    keep = u != v
    u, v, sec, length, cl = u[keep], v[keep], sec[keep], length[keep], cl[keep]
    lo, hi = np.minimum(u, v), np.maximum(u, v)
    # Parallel edges: keep the fastest (a sparse matrix would add them up).
    order = np.lexsort((sec, hi, lo))
    lo, hi, sec, length, cl = lo[order], hi[order], sec[order], length[order], cl[order]
    first_of_pair = np.ones(len(lo), dtype=bool)
    first_of_pair[1:] = (lo[1:] != lo[:-1]) | (hi[1:] != hi[:-1])
    return RoadGraph(
        xy=xy,
        u=lo[first_of_pair].astype(np.int64),
        v=hi[first_of_pair].astype(np.int64),
        seconds=sec[first_of_pair],
        length_m=length[first_of_pair],
        crs=crs,
        edge_class=cl[first_of_pair],
    )


def road_speeds(roads: gpd.GeoDataFrame, speeds: Mapping[str, float] | None = None) -> np.ndarray:
    """Return the e-bike speed (km/h) of each road: ``speed_kmh`` if usable, else its class's.

    Parameters
    ----------
    roads : GeoDataFrame
        With ``road_class`` and/or ``speed_kmh``.
    speeds : mapping, optional
        Speed per class (default :data:`DEFAULT_SPEEDS_KMH`).

    Returns
    -------
    ndarray of float

    Raises
    ------
    RoadDataError
        Naming the roads with neither a known class nor a usable speed, or a speed out of range.
    """
    table = dict(DEFAULT_SPEEDS_KMH if speeds is None else speeds)
    for name, value in table.items():
        if not (isinstance(value, int | float) and 0 < value <= MAX_SPEED_KMH):
            raise RoadDataError(f"speed of road class {name!r} must be 0-{MAX_SPEED_KMH} km/h")
    n = len(roads)
    if "speed_kmh" in roads.columns:
        given = pd.to_numeric(roads["speed_kmh"], errors="coerce").to_numpy(dtype=float)
    else:
        given = np.full(n, np.nan)
    if "road_class" in roads.columns:
        cls = roads["road_class"].astype("object").to_numpy()
        by_class = np.array(
            [table.get(str(c).strip().lower(), np.nan) if c is not None else np.nan for c in cls],
            dtype=float,
        )
    else:
        by_class = np.full(n, np.nan)
    ids = _road_ids(roads)
    bad_speed = np.isfinite(given) & ((given <= 0) | (given > MAX_SPEED_KMH))
    if bad_speed.any():
        raise RoadDataError(
            f"roads: speed_kmh must be in (0, {MAX_SPEED_KMH}] km/h for road(s) "
            f"{_name_ids(ids[bad_speed])}"
        )
    out = np.where(np.isfinite(given), given, by_class)
    missing = ~np.isfinite(out)
    if missing.any():
        raise RoadDataError(
            f"roads: no usable road_class (one of {', '.join(ROAD_CLASSES)}) or speed_kmh for "
            f"road(s) {_name_ids(ids[missing])}"
        )
    return out


def _road_ids(roads: gpd.GeoDataFrame) -> np.ndarray:
    if "road_id" in roads.columns:
        return roads["road_id"].astype(str).to_numpy()
    return roads.index.astype(str).to_numpy()


def _name_ids(ids: np.ndarray, limit: int = 10) -> str:
    shown = ", ".join(map(str, ids[:limit]))
    return shown + (f" (+{len(ids) - limit} more)" if len(ids) > limit else "")


def build_road_graph(
    roads: gpd.GeoDataFrame,
    crs: CRS | str | None = None,
    *,
    speeds: Mapping[str, float] | None = None,
    snap_m: float = SNAP_M,
    max_edge_m: float = MAX_EDGE_M,
) -> RoadGraph:
    """Build a :class:`RoadGraph` from a roads GeoDataFrame (the adapter).

    Parameters
    ----------
    roads : GeoDataFrame
        LineString / MultiLineString rows with ``road_class`` and/or ``speed_kmh``, any CRS.
    crs : pyproj.CRS or str, optional
        Metric CRS to work in (default: ``roads.estimate_utm_crs()``).
    speeds : mapping, optional
        E-bike speed per road class, km/h (default :data:`DEFAULT_SPEEDS_KMH`).
    snap_m, max_edge_m : float
        See :func:`graph_from_lines`.

    Returns
    -------
    RoadGraph

    Raises
    ------
    RoadDataError
        Not a GeoDataFrame, no CRS, a geometry that is not a line, or no usable speed.

    Notes
    -----
    Default speeds (:data:`DEFAULT_SPEEDS_KMH`): arterial 22, county 20, village 16, street 15,
    path 10 km/h; all below the legal e-bike cap of 25 km/h (GB 17761-2018) and around the
    measured urban mean of about 17 km/h. A row's ``speed_kmh`` overrides its class.
    """
    if not isinstance(roads, gpd.GeoDataFrame):
        raise RoadDataError(f"'roads' should be a GeoDataFrame, got {type(roads).__name__}")
    if roads.crs is None:
        raise RoadDataError("roads has no CRS; set one (e.g. EPSG:4326)")
    ids = _road_ids(roads)
    geoms = roads.geometry.to_numpy()
    missing = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    if missing.any():
        raise RoadDataError(
            f"roads: missing or empty geometry for road(s) {_name_ids(ids[missing])}"
        )
    kinds = shapely.get_type_id(geoms)
    not_line = ~np.isin(kinds, (1, 5))  # LineString, MultiLineString
    if not_line.any():
        raise RoadDataError(
            f"roads: geometry must be LineString or MultiLineString, not for road(s) "
            f"{_name_ids(ids[not_line])}"
        )
    speed = road_speeds(roads, speeds)
    metric = CRS.from_user_input(crs) if crs is not None else roads.estimate_utm_crs()
    if not metric.is_projected:
        raise RoadDataError(f"crs must be a projected (metric) CRS, got {metric.to_string()}")
    geoms = roads.geometry.to_crs(metric).to_numpy()
    parts, part_of = shapely.get_parts(geoms, return_index=True)
    lines = [shapely.get_coordinates(p) for p in parts]
    codes = road_class_codes(roads)
    return graph_from_lines(
        lines,
        speed[part_of],
        snap_m=snap_m,
        max_edge_m=max_edge_m,
        crs=metric,
        classes=codes[part_of],
    )


def road_class_codes(roads: gpd.GeoDataFrame) -> np.ndarray:
    """Return each road's class as a position in ``ROAD_CLASSES`` (-1: none or unknown)."""
    if "road_class" not in roads.columns:
        return np.full(len(roads), -1, dtype=np.int64)
    pos = {c: i for i, c in enumerate(ROAD_CLASSES)}
    return np.array(
        [pos.get(str(c).strip().lower(), -1) if c is not None else -1 for c in roads["road_class"]],
        dtype=np.int64,
    )


__all__ = [
    "DEFAULT_SPEEDS_KMH",
    "EBIKE_LEGAL_CAP_KMH",
    "EBIKE_MEAN_URBAN_KMH",
    "MAX_EDGE_M",
    "MAX_SPEED_KMH",
    "SNAP_M",
    "RoadDataError",
    "RoadGraph",
    "build_road_graph",
    "densify_line",
    "graph_from_lines",
    "road_speeds",
]
