"""The 5-minute police circle: travel time from the nearest post over the district, by e-bike."""

from __future__ import annotations

import json
import math
import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS, Transformer
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra
from scipy.spatial import cKDTree

from gridmap.coverage.grid_shares import GridIndex, build_grid_index, district_kpis, grid_table
from gridmap.coverage.grid_shares import worst_grids as _worst_grids
from gridmap.coverage.roadgraph import (
    EBIKE_MEAN_URBAN_KMH,
    MAX_EDGE_M,
    SNAP_M,
    RoadGraph,
    build_road_graph,
)
from gridmap.errors import CoverageError  # noqa: F401 (re-exported)

#: ``method`` of a result computed on the road network.
NETWORK = "network"
#: ``method`` of a result computed without roads (circles around the posts).
STRAIGHT_LINE = "straight-line (approximation)"

#: Time limits accepted, minutes (inclusive), and the default (the "5-minute police circle").
MIN_MINUTES: float = 1.0
MAX_MINUTES: float = 15.0
DEFAULT_MINUTES: float = 5.0

#: Accepted range of the what-if speed factor (1 = the class speeds).
MIN_SPEED_SCALE: float = 0.25
MAX_SPEED_SCALE: float = 3.0

_WGS84 = "EPSG:4326"
_MEMO_SIZE = 16


@dataclass(frozen=True)
class CoverageSettings:
    """Settings of the coverage analysis, with their defaults and where they come from.

    Attributes
    ----------
    walk_kmh : float
        Walking speed on the leg between the road and the spot (and from a post to the road):
        4.5 km/h = 1.25 m/s, a usual adult walking speed (design values run 1.2-1.4 m/s).
    walk_max_m : float
        Longest walk from the road to a spot, m (300 m: about 4 minutes on foot). Spots farther
        from every road are not covered.
    cell_m : float
        Side of the raster cells on which the district is evaluated, m.
    detour_factor : float
        Road distance over straight-line distance, for the straight-line fallback; 1.3 is a
        common circuity figure for road networks (measured values mostly 1.2-1.4).
    fallback_speed_kmh : float
        E-bike speed of the straight-line fallback: the measured urban mean, about 17 km/h.
    walk_k : int
        Nearest road nodes tried for each spot (within ``walk_max_m``).
    snap_m, max_edge_m : float
        Road graph building (see :mod:`gridmap.coverage.roadgraph`).
    speeds : mapping, optional
        E-bike speed per road class, km/h (default
        :data:`gridmap.coverage.roadgraph.DEFAULT_SPEEDS_KMH`).
    simplify_m : float
        Tolerance used to simplify the coverage and gap polygons, m (0 keeps the cell steps).
    """

    walk_kmh: float = 4.5
    walk_max_m: float = 300.0
    cell_m: float = 100.0
    detour_factor: float = 1.3
    fallback_speed_kmh: float = EBIKE_MEAN_URBAN_KMH
    walk_k: int = 12
    snap_m: float = SNAP_M
    max_edge_m: float = MAX_EDGE_M
    speeds: Mapping[str, float] | None = None
    simplify_m: float = 10.0

    def __post_init__(self) -> None:
        """Refuse values that cannot be used, naming the setting."""
        checks = {
            "walk_kmh": self.walk_kmh > 0,
            "walk_max_m": self.walk_max_m >= 0,
            "cell_m": self.cell_m > 0,
            "detour_factor": self.detour_factor >= 1,
            "fallback_speed_kmh": self.fallback_speed_kmh > 0,
            "walk_k": self.walk_k >= 1,
            "snap_m": self.snap_m >= 0,
            "max_edge_m": self.max_edge_m > 0,
            "simplify_m": self.simplify_m >= 0,
        }
        for name, ok in checks.items():
            value = getattr(self, name)
            if not ok or (isinstance(value, float) and math.isnan(value)):
                raise CoverageError(f"coverage setting {name} cannot be {value!r}")

    @property
    def walk_mps(self) -> float:
        """Walking speed, m/s."""
        return self.walk_kmh / 3.6


def check_minutes(minutes: Any) -> float:
    """Return ``minutes`` as a float, or raise :class:`CoverageError` if not within 1-15."""
    try:
        value = float(minutes)
    except (TypeError, ValueError):
        raise CoverageError(f"minutes must be a number, got {minutes!r}") from None
    if not MIN_MINUTES <= value <= MAX_MINUTES:
        raise CoverageError(
            f"minutes must be between {MIN_MINUTES:g} and {MAX_MINUTES:g}, got {minutes!r}"
        )
    return value


def check_speed_scale(speed_scale: Any) -> float:
    """Return ``speed_scale`` as a float, or raise :class:`CoverageError` if out of range."""
    try:
        value = float(speed_scale)
    except (TypeError, ValueError):
        raise CoverageError(f"speed_scale must be a number, got {speed_scale!r}") from None
    if not MIN_SPEED_SCALE <= value <= MAX_SPEED_SCALE:
        raise CoverageError(
            f"speed_scale must be between {MIN_SPEED_SCALE:g} and {MAX_SPEED_SCALE:g}, "
            f"got {speed_scale!r}"
        )
    return value


@dataclass(frozen=True)
class Raster:
    """Square cells over the district: the cells that touch the outline, row ``j``, column ``i``."""

    x0: float
    y0: float
    cell_m: float
    nx: int
    ny: int
    i: np.ndarray
    j: np.ndarray

    @property
    def n_cells(self) -> int:
        """Number of cells kept."""
        return len(self.i)

    @cached_property
    def centres(self) -> np.ndarray:
        """Cell centres (n, 2), metres."""
        return np.column_stack(
            [self.x0 + (self.i + 0.5) * self.cell_m, self.y0 + (self.j + 0.5) * self.cell_m]
        )

    @cached_property
    def boxes(self) -> np.ndarray:
        """Cell squares as shapely polygons."""
        c = self.cell_m
        x = self.x0 + self.i * c
        y = self.y0 + self.j * c
        return shapely.box(x, y, x + c, y + c)

    @classmethod
    def over(cls, outline: shapely.Geometry, cell_m: float) -> Raster:
        """Cells of side ``cell_m`` that intersect ``outline`` (metric)."""
        minx, miny, maxx, maxy = outline.bounds
        x0 = math.floor(minx / cell_m) * cell_m
        y0 = math.floor(miny / cell_m) * cell_m
        nx = max(1, math.ceil((maxx - x0) / cell_m))
        ny = max(1, math.ceil((maxy - y0) / cell_m))
        jj, ii = np.divmod(np.arange(nx * ny), nx)
        x = x0 + ii * cell_m
        y = y0 + jj * cell_m
        shapely.prepare(outline)
        boxes = shapely.box(x, y, x + cell_m, y + cell_m)
        keep = shapely.intersects(outline, boxes) & ~shapely.touches(outline, boxes)
        return cls(x0, y0, cell_m, nx, ny, ii[keep], jj[keep])

    def union(self, mask: np.ndarray) -> shapely.Geometry:
        """Return the union of the cells where ``mask`` is true (a MultiPolygon, metric).

        Faster than a polygon union: the boundary between covered and other cells is traced
        as straight runs along the grid lines (broken where four boundary edges meet, so that
        they are noded), polygonized, and the covered faces kept.
        """
        ny, nx, c = self.ny, self.nx, self.cell_m
        grid = np.zeros((ny + 2, nx + 2), dtype=bool)
        grid[self.j[mask] + 1, self.i[mask] + 1] = True
        horiz = grid[:-1, 1:-1] != grid[1:, 1:-1]  # (ny+1, nx): y = r, x from c to c+1
        vert = grid[1:-1, :-1] != grid[1:-1, 1:]  # (ny, nx+1): x = c, y from r to r+1
        pad_v = np.zeros((ny + 2, nx + 1), dtype=bool)
        pad_v[1:-1] = vert
        pad_h = np.zeros((ny + 1, nx + 2), dtype=bool)
        pad_h[:, 1:-1] = horiz
        # At each grid vertex: does a vertical (resp. horizontal) boundary edge touch it?
        v_at = pad_v[:-1] | pad_v[1:]  # (ny+1, nx+1)
        h_at = pad_h[:, :-1] | pad_h[:, 1:]  # (ny+1, nx+1)
        lines = []
        for edges, touch, transpose in ((horiz, v_at, False), (vert.T, h_at.T, True)):
            before = np.zeros_like(edges)
            before[:, 1:] = edges[:, :-1]
            after = np.zeros_like(edges)
            after[:, :-1] = edges[:, 1:]
            row, first = np.nonzero(edges & (~before | touch[:, :-1]))
            _, last = np.nonzero(edges & (~after | touch[:, 1:]))
            a = np.column_stack([first, row]).astype(float)
            b = np.column_stack([last + 1, row]).astype(float)
            if transpose:
                a, b = a[:, ::-1], b[:, ::-1]
            ends = np.stack([a, b], axis=1) * c + np.array([self.x0, self.y0])
            lines.append(shapely.linestrings(ends) if len(ends) else np.array([], dtype=object))
        faces = shapely.get_parts(shapely.polygonize(np.concatenate(lines)))
        if len(faces) == 0:
            return shapely.MultiPolygon()
        inner = shapely.get_coordinates(shapely.point_on_surface(faces))
        fi = np.floor((inner[:, 0] - self.x0) / c).astype(np.int64)
        fj = np.floor((inner[:, 1] - self.y0) / c).astype(np.int64)
        return shapely.multipolygons(faces[grid[fj + 1, fi + 1]])


class CoverageModel:
    """Everything built once from (grids, posts, roads, outline); answers coverage queries fast.

    Build it with :meth:`from_geodataframes`. :meth:`coverage` is memoized on its (hashable)
    arguments.
    """

    def __init__(
        self,
        *,
        grids: gpd.GeoDataFrame,
        post_ids: Sequence[str],
        post_xy: np.ndarray,
        outline: shapely.Geometry,
        graph: RoadGraph | None,
        crs: CRS,
        settings: CoverageSettings | None = None,
        post_names: Mapping[str, Mapping[str, Any]] | None = None,
        road_warnings: Sequence[str] = (),
    ):
        """Build from data already in the metric ``crs`` (use :meth:`from_geodataframes`)."""
        self.settings = settings or CoverageSettings()
        self.crs = CRS.from_user_input(crs)
        self.outline = outline
        self.post_ids = np.array([str(p) for p in post_ids], dtype=object)
        self.post_xy = np.asarray(post_xy, dtype=float).reshape(-1, 2)
        self.post_names = dict(post_names or {})
        self.graph = graph if graph is not None and graph.n_nodes > 0 else None
        self.method = NETWORK if self.graph is not None else STRAIGHT_LINE
        self.build_warnings = list(road_warnings)
        self._to_wgs = Transformer.from_crs(self.crs, _WGS84, always_xy=True)
        self._from_wgs = Transformer.from_crs(_WGS84, self.crs, always_xy=True)
        self.outline_buffered = outline.buffer(1.0)
        shapely.prepare(self.outline_buffered)

        outside = ~shapely.covers(self.outline_buffered, shapely.points(self.post_xy))
        if outside.any():
            raise CoverageError(
                "posts outside the district: " + ", ".join(self.post_ids[outside][:10])
            )
        s = self.settings
        self.raster = Raster.over(outline, s.cell_m)
        self.index: GridIndex = build_grid_index(grids, self.raster)
        self._lock = threading.Lock()
        self._memo: OrderedDict[tuple, CoverageResult] = OrderedDict()
        self._matrices: OrderedDict[tuple, csr_matrix] = OrderedDict()
        self._post_tree = None
        if self.graph is not None:
            g = self.graph
            self._tree = cKDTree(g.xy)
            self._road_coo = g.coo()
            d, node = self._tree.query(self.post_xy) if len(self.post_xy) else (np.zeros(0), [])
            self.post_node = np.asarray(node, dtype=np.int64)
            self.post_walk_m = np.asarray(d, dtype=float)
            self._cell_nodes, self._cell_walk = self._near_nodes(self.raster.centres)
            self._comp_len = g.component_length_m()
            for pid, dist in zip(self.post_ids, self.post_walk_m, strict=True):
                if dist > s.walk_max_m:
                    self.build_warnings.append(
                        f"post {pid} is {dist:.0f} m from the nearest road (more than "
                        f"walk_max_m = {s.walk_max_m:g} m); its walk to the road is counted"
                    )
        else:
            self.build_warnings.append(
                f"no roads: straight-line approximation (radius = {s.fallback_speed_kmh:g} km/h "
                f"x time / detour factor {s.detour_factor:g})"
            )

    # ----------------------------------------------------------------------------- building
    @classmethod
    def from_geodataframes(
        cls,
        grids: gpd.GeoDataFrame,
        posts: gpd.GeoDataFrame | None,
        roads: gpd.GeoDataFrame | None,
        outline: shapely.Geometry | None = None,
        crs: CRS | str | None = None,
        settings: CoverageSettings | None = None,
    ) -> CoverageModel:
        """Check the layers and build the model (the adapter from GeoDataFrames).

        Parameters
        ----------
        grids : GeoDataFrame
            Polygons indexed by grid id with ``parent_id``, ``level``, ``population``, names.
        posts : GeoDataFrame or None
            Points indexed by post id (or with a ``post_id`` column), with names.
        roads : GeoDataFrame or None
            Lines with ``road_class`` and/or ``speed_kmh``; None or empty: straight-line fallback.
        outline : shapely geometry, optional
            The district (level-1 grid) in EPSG:4326; default: the union of the level-1 grids.
        crs : pyproj.CRS or str, optional
            Metric CRS to work in; default ``grids.estimate_utm_crs()``.
        settings : CoverageSettings, optional
            Walking, raster and speed settings (defaults: :class:`CoverageSettings`).

        Returns
        -------
        CoverageModel

        Raises
        ------
        CoverageError
            Wrong type, CRS or geometry type of a layer, or a post outside the district.
        RoadDataError
            A road with no usable class or speed (naming the road ids).
        """
        settings = settings or CoverageSettings()
        _check_gdf(grids, "grids", (3, 6))
        if "grid_id" in grids.columns:
            grids = grids.set_index("grid_id")
        metric = CRS.from_user_input(crs) if crs is not None else grids.estimate_utm_crs()
        if not metric.is_projected:
            raise CoverageError(f"crs must be a projected (metric) CRS, got {metric.to_string()}")
        grids_m = grids.to_crs(metric)
        if outline is None:
            if "level" not in grids.columns:
                raise CoverageError("no outline given and grids has no level column")
            roots = grids[pd.to_numeric(grids["level"], errors="coerce") == 1]
            if roots.empty:
                raise CoverageError("no outline given and grids has no level-1 grid")
            outline_m = shapely.union_all(roots.to_crs(metric).geometry.to_numpy())
        else:
            if not isinstance(outline, shapely.Geometry) or shapely.get_type_id(outline) not in (
                3,
                6,
            ):
                raise CoverageError(
                    f"'outline' should be a shapely Polygon or MultiPolygon, got "
                    f"{type(outline).__name__}"
                )
            outline_m = gpd.GeoSeries([outline], crs=_WGS84).to_crs(metric).iloc[0]
        if outline_m.is_empty or outline_m.area <= 0:
            raise CoverageError("the district outline is empty")
        outline_m = shapely.make_valid(outline_m) if not outline_m.is_valid else outline_m

        post_ids: list[str] = []
        post_xy = np.zeros((0, 2))
        names: dict[str, dict[str, Any]] = {}
        if posts is not None and len(posts):
            _check_gdf(posts, "posts", (0,))
            ids = (
                posts["post_id"].astype(str).to_numpy()
                if "post_id" in posts.columns
                else posts.index.astype(str).to_numpy()
            )
            dup = pd.Index(ids).duplicated()
            if dup.any():
                raise CoverageError(f"posts: duplicate post_id {', '.join(ids[dup][:10])}")
            post_ids = list(ids)
            post_xy = shapely.get_coordinates(posts.to_crs(metric).geometry.to_numpy())
            for k, pid in enumerate(post_ids):
                names[pid] = {
                    c: (None if pd.isna(posts[c].iloc[k]) else str(posts[c].iloc[k]))
                    for c in ("name_zh", "name_en")
                    if c in posts.columns
                }
        graph = None
        road_warnings: list[str] = []
        if roads is not None and len(roads):
            graph = build_road_graph(
                roads,
                metric,
                speeds=settings.speeds,
                snap_m=settings.snap_m,
                max_edge_m=settings.max_edge_m,
            )
        elif roads is not None:
            road_warnings.append("the roads layer is empty")
        return cls(
            grids=grids_m,
            post_ids=post_ids,
            post_xy=post_xy,
            outline=outline_m,
            graph=graph,
            crs=metric,
            settings=settings,
            post_names=names,
            road_warnings=road_warnings,
        )

    def _near_nodes(self, xy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For each point, the ``walk_k`` nearest nodes within ``walk_max_m`` and the walk (s).

        Missing neighbours point at index ``n_nodes`` (an infinite time) with a 0 s walk.
        """
        s = self.settings
        k = min(s.walk_k, self.graph.n_nodes)
        d, idx = self._tree.query(xy, k=k, distance_upper_bound=s.walk_max_m * (1 + 1e-12))
        d = np.asarray(d, dtype=float).reshape(len(xy), k)
        idx = np.asarray(idx, dtype=np.int64).reshape(len(xy), k)
        walk = np.where(np.isfinite(d), d / s.walk_mps, 0.0)
        return idx.astype(np.int32), walk.astype(np.float64)

    def _matrix(self, speed_scale: float, extra_nodes: tuple, extra_walk: tuple) -> csr_matrix:
        """Road edges at ``speed_scale``, plus a source node per post linked by its walk leg."""
        key = (speed_scale, extra_nodes, extra_walk)
        with self._lock:
            m = self._matrices.get(key)
        if m is not None:
            return m
        r, c, w = self._road_coo
        n_road = self.graph.n_nodes
        nodes = np.concatenate([self.post_node, np.asarray(extra_nodes, dtype=np.int64)])
        walk = np.concatenate([self.post_walk_m, np.asarray(extra_walk, dtype=float)])
        legs = np.maximum(walk / self.settings.walk_mps, 1e-6)
        n = n_road + len(nodes)
        m = csr_matrix(
            (
                np.concatenate([w / speed_scale, legs]),
                (np.concatenate([r, n_road + np.arange(len(nodes))]), np.concatenate([c, nodes])),
            ),
            shape=(n, n),
        )
        with self._lock:
            self._matrices[key] = m
            if len(self._matrices) > _MEMO_SIZE:
                self._matrices.popitem(last=False)
        return m

    # ----------------------------------------------------------------------------- queries
    def to_metric(self, lonlat: np.ndarray) -> np.ndarray:
        """Project (lon, lat) pairs to the model's metric CRS."""
        lonlat = np.asarray(lonlat, dtype=float).reshape(-1, 2)
        x, y = self._from_wgs.transform(lonlat[:, 0], lonlat[:, 1])
        return np.column_stack([x, y])

    def to_wgs84(self, geom: shapely.Geometry) -> shapely.Geometry:
        """Reproject a metric geometry to EPSG:4326 (coordinates rounded to 1e-6 degree)."""

        def fn(xy: np.ndarray) -> np.ndarray:
            x, y = self._to_wgs.transform(xy[:, 0], xy[:, 1])
            return np.round(np.column_stack([x, y]), 6)

        return shapely.transform(geom, fn)

    def coverage(
        self,
        minutes: float = DEFAULT_MINUTES,
        speed_scale: float = 1.0,
        extra_posts: Iterable[Sequence[float]] = (),
        disabled_posts: Iterable[str] = (),
    ) -> CoverageResult:
        """Travel time from the nearest post to every cell, and what is reached in ``minutes``.

        Parameters
        ----------
        minutes : float
            Time limit, 1-15 minutes.
        speed_scale : float
            Factor on every e-bike speed (what-if: 0.8 = 20 % slower), 0.25-3. Walking legs
            keep their speed.
        extra_posts : iterable of (lon, lat)
            Hypothetical new posts, EPSG:4326; they are named ``new-1``, ``new-2``...
        disabled_posts : iterable of str
            Post ids taken out of service.

        Returns
        -------
        CoverageResult

        Raises
        ------
        CoverageError
            ``minutes`` or ``speed_scale`` out of range, an unknown post id, or a new post
            outside the district.
        """
        minutes = check_minutes(minutes)
        speed_scale = check_speed_scale(speed_scale)
        extra = tuple(_lonlat(p, k) for k, p in enumerate(extra_posts))
        if isinstance(disabled_posts, str):
            disabled_posts = (disabled_posts,)
        disabled = frozenset(str(p) for p in disabled_posts)
        unknown = sorted(disabled - set(self.post_ids))
        if unknown:
            raise CoverageError(f"disabled_posts: unknown post id(s) {', '.join(unknown[:10])}")
        key = (minutes, speed_scale, extra, disabled)
        with self._lock:
            hit = self._memo.get(key)
            if hit is not None:
                self._memo.move_to_end(key)
                return hit
        result = self._compute(minutes, speed_scale, extra, disabled)
        with self._lock:
            self._memo[key] = result
            if len(self._memo) > _MEMO_SIZE:
                self._memo.popitem(last=False)
        return result

    def _compute(
        self, minutes: float, speed_scale: float, extra: tuple, disabled: frozenset
    ) -> CoverageResult:
        limit = minutes * 60.0
        extra_xy = self.to_metric(np.array(extra)) if extra else np.zeros((0, 2))
        outside = ~shapely.covers(self.outline_buffered, shapely.points(extra_xy))
        if outside.any():
            k = int(np.nonzero(outside)[0][0])
            raise CoverageError(
                f"extra_posts: new post #{k + 1} at {extra[k]} is outside the district"
            )
        active = np.array([p not in disabled for p in self.post_ids], dtype=bool)
        ids = list(self.post_ids[active]) + [f"new-{k + 1}" for k in range(len(extra))]
        xy = np.vstack([self.post_xy[active], extra_xy])
        warnings = list(self.build_warnings)
        if len(ids) == 0:
            warnings.append("no post in service: nothing is covered")
        node_seconds = None
        if self.graph is None:
            cell_seconds = self._straight_seconds(xy, speed_scale, self.raster.centres)
        else:
            if len(extra):
                d, node = self._tree.query(extra_xy)
                extra_nodes = tuple(int(n) for n in np.atleast_1d(node))
                extra_walk = tuple(float(x) for x in np.atleast_1d(d))
                for k, dist in enumerate(extra_walk):
                    if dist > self.settings.walk_max_m:
                        warnings.append(
                            f"new post new-{k + 1} is {dist:.0f} m from the nearest road"
                        )
            else:
                extra_nodes, extra_walk = (), ()
            m = self._matrix(speed_scale, extra_nodes, extra_walk)
            n_road = self.graph.n_nodes
            src = np.concatenate(
                [
                    n_road + np.nonzero(active)[0],
                    n_road + len(self.post_ids) + np.arange(len(extra)),
                ]
            ).astype(np.int64)
            if len(src):
                t = dijkstra(m, directed=True, indices=src, min_only=True, limit=limit)
            else:
                t = np.full(m.shape[0], np.inf)
            node_seconds = t[:n_road]
            cell_seconds = self._cell_seconds(node_seconds)
            src_nodes = np.concatenate([self.post_node[active], np.array(extra_nodes, dtype=int)])
            warnings += self._island_warnings(src_nodes, ids)
        return CoverageResult(
            model=self,
            minutes=minutes,
            speed_scale=speed_scale,
            post_ids=ids,
            post_xy=xy,
            cell_seconds=cell_seconds,
            node_seconds=node_seconds,
            warnings=warnings,
        )

    def _cell_seconds(self, node_seconds: np.ndarray) -> np.ndarray:
        ext = np.append(node_seconds, np.inf)
        return (ext[self._cell_nodes] + self._cell_walk).min(axis=1)

    def _straight_seconds(self, post_xy: np.ndarray, speed_scale: float, xy: np.ndarray):
        if len(post_xy) == 0:
            return np.full(len(xy), np.inf)
        s = self.settings
        d, _ = cKDTree(post_xy).query(xy)
        return d * s.detour_factor / (s.fallback_speed_kmh / 3.6 * speed_scale)

    def seconds_at(self, result: CoverageResult, xy: np.ndarray) -> np.ndarray:
        """Travel time (s) from the nearest post of ``result`` to points in the metric CRS."""
        xy = np.asarray(xy, dtype=float).reshape(-1, 2)
        if self.graph is None:
            return self._straight_seconds(result.post_xy, result.speed_scale, xy)
        idx, walk = self._near_nodes(xy)
        ext = np.append(result.node_seconds, np.inf)
        return (ext[idx] + walk).min(axis=1)

    def _island_warnings(self, src_nodes: np.ndarray, ids: Sequence[str]) -> list[str]:
        g = self.graph
        if g.n_components <= 1 or len(src_nodes) == 0:
            return []
        out = []
        comp_len = self._comp_len
        main = int(np.argmax(comp_len))
        comp = g.labels[src_nodes]
        for c in np.unique(comp[comp != main]):
            on = [ids[k] for k in np.nonzero(comp == c)[0]]
            out.append(
                f"posts {', '.join(on[:10])} are on a road island of {comp_len[c] / 1000:.1f} km, "
                f"not connected to the main network ({comp_len[main] / 1000:.1f} km)"
            )
        served = np.zeros(g.n_components, dtype=bool)
        served[comp] = True
        lost = comp_len[~served].sum()
        if lost > 0:
            out.append(
                f"{lost / comp_len.sum():.1%} of the road network ({lost / 1000:.1f} km on "
                f"{int((~served).sum())} unconnected piece(s)) has no post and is never reached"
            )
        return out

    @cached_property
    def cell_lonlat(self) -> np.ndarray:
        """Centres of the raster cells as (lon, lat), EPSG:4326."""
        xy = self.raster.centres
        x, y = self._to_wgs.transform(xy[:, 0], xy[:, 1])
        return np.column_stack([x, y])

    def grid_ids(self) -> np.ndarray:
        """Grid ids in the order of the per-grid tables."""
        return self.index.frame["grid_id"].to_numpy()

    def info(self) -> dict:
        """Sizes of the model (graph, raster, grids, posts), for logs and the benchmark."""
        g = self.graph
        return {
            "method": self.method,
            "crs": self.crs.to_string(),
            "nodes": g.n_nodes if g else 0,
            "edges": g.n_edges if g else 0,
            "components": g.n_components if g else 0,
            "road_km": float(g.length_m.sum() / 1000) if g else 0.0,
            "cells": self.raster.n_cells,
            "cell_m": self.settings.cell_m,
            "grids": len(self.index.frame),
            "leaves": self.index.n_leaves,
            "posts": len(self.post_ids),
        }


class CoverageResult:
    """Travel seconds per raster cell from the nearest post, for one query of a model."""

    def __init__(
        self,
        *,
        model: CoverageModel,
        minutes: float,
        speed_scale: float,
        post_ids: list[str],
        post_xy: np.ndarray,
        cell_seconds: np.ndarray,
        node_seconds: np.ndarray | None,
        warnings: list[str],
    ):
        """Hold one answer of :meth:`CoverageModel.coverage`."""
        self.model = model
        self.minutes = minutes
        self.speed_scale = speed_scale
        self.method = model.method
        self.post_ids = post_ids
        self.post_xy = post_xy
        self.cell_seconds = cell_seconds
        self.node_seconds = node_seconds
        self.warnings = warnings
        self._tables: dict[Any, pd.DataFrame] = {}

    @property
    def limit_seconds(self) -> float:
        """The time limit in seconds."""
        return self.minutes * 60.0

    @property
    def covered(self) -> np.ndarray:
        """Whether each raster cell is reached within the limit."""
        return self.cell_seconds <= self.limit_seconds

    @property
    def cell_minutes(self) -> np.ndarray:
        """Minutes from the nearest post to each cell (inf when beyond the limit on the network)."""
        return self.cell_seconds / 60.0

    def cells(self) -> pd.DataFrame:
        """Return the cells reached (within the limit): ``lon``, ``lat`` of the centre, ``minutes``.

        For a travel-time map, query the longest time wanted (e.g. ``model.coverage(15)``): on
        the network, times beyond the limit are not computed.
        """
        ok = np.isfinite(self.cell_seconds) & self.covered
        lonlat = self.model.cell_lonlat[ok]
        return pd.DataFrame(
            {"lon": lonlat[:, 0], "lat": lonlat[:, 1], "minutes": self.cell_seconds[ok] / 60.0}
        )

    def minutes_at(self, lonlat: np.ndarray) -> np.ndarray:
        """Minutes from the nearest post to (lon, lat) points (inf beyond the limit)."""
        return self.model.seconds_at(self, self.model.to_metric(lonlat)) / 60.0

    @cached_property
    def _polygons_metric(self) -> tuple[shapely.Geometry, shapely.Geometry]:
        m = self.model
        outline = m.outline
        if self.method == STRAIGHT_LINE:
            s = m.settings
            r = s.fallback_speed_kmh / 3.6 * self.speed_scale * self.limit_seconds / s.detour_factor
            covered = shapely.union_all(
                shapely.buffer(shapely.points(self.post_xy), r, quad_segs=32)
            )
        else:
            covered = m.raster.union(self.covered)
            if m.settings.simplify_m > 0:
                covered = shapely.simplify(covered, m.settings.simplify_m)
        covered = shapely.intersection(covered, outline)
        gaps = shapely.difference(outline, covered)
        return covered, gaps

    def polygons(self) -> tuple[shapely.Geometry, shapely.Geometry]:
        """Return the area reached within the limit and the gaps (district minus it), EPSG:4326."""
        covered, gaps = self._polygons_metric
        return self.model.to_wgs84(covered), self.model.to_wgs84(gaps)

    def geojson(self) -> dict:
        """Return a GeoJSON FeatureCollection: a ``coverage`` and a ``gaps`` feature, EPSG:4326."""
        covered, gaps = self.polygons()
        cm, gm = self._polygons_metric
        feats = []
        for kind, geom, metric in (("coverage", covered, cm), ("gaps", gaps, gm)):
            feats.append(
                {
                    "type": "Feature",
                    "properties": {
                        "kind": kind,
                        "minutes": self.minutes,
                        "method": self.method,
                        "area_km2": round(metric.area / 1e6, 4),
                    },
                    "geometry": json.loads(shapely.to_geojson(geom)),
                }
            )
        return {"type": "FeatureCollection", "features": feats}

    def _incidents(self, incidents: Any) -> tuple[np.ndarray, np.ndarray]:
        """Leaf number and covered weight (0/1, or the leaf's covered share) of each incident."""
        m = self.model
        index = m.index
        if isinstance(incidents, gpd.GeoSeries | gpd.GeoDataFrame):
            if incidents.crs is None:
                raise CoverageError("incidents have no CRS; set one (e.g. EPSG:4326)")
            geoms = incidents.to_crs(m.crs).geometry.to_numpy()
            if not np.all(shapely.get_type_id(geoms) == 0):
                raise CoverageError("incidents must be Point geometries")
            xy = shapely.get_coordinates(geoms)
        else:
            arr = np.asarray(incidents)
            if arr.dtype.kind in "OUS" and arr.ndim == 1:
                return self._incidents_by_grid(arr.astype(str))
            if arr.ndim != 2 or arr.shape[1] != 2:
                raise CoverageError(
                    "incidents must be points (GeoSeries, or an (n, 2) array of lon, lat) or "
                    "an array of level-5 grid ids"
                )
            xy = m.to_metric(arr.astype(float))
        leaf = index.leaf_of_points(xy)
        cov = (m.seconds_at(self, xy) <= self.limit_seconds).astype(float)
        return leaf, cov

    def _incidents_by_grid(self, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        index = self.model.index
        leaf_ids = index.frame["grid_id"].to_numpy()[index.leaf]
        found = pd.Index(leaf_ids).get_indexer(ids)
        if (found < 0).any():
            bad = sorted(set(ids[found < 0]))
            raise CoverageError(
                f"incidents: not the id of a level-5 (leaf) grid: {', '.join(bad[:10])}"
            )
        base = grid_table(index, self.covered)
        leaf_share = base["area_share"].to_numpy()[index.leaf]
        return found, np.nan_to_num(leaf_share[found], nan=0.0)

    def grid_table(self, incidents: Any = None) -> pd.DataFrame:
        """Per-grid figures at every level (see :func:`gridmap.coverage.grid_shares.grid_table`).

        Parameters
        ----------
        incidents : optional
            Incident points (GeoSeries / GeoDataFrame in any CRS, or an (n, 2) array of lon,
            lat), or an array of level-5 grid ids (each then counts as its grid's covered share
            of area).
        """
        if incidents is None:
            if None not in self._tables:
                self._tables[None] = grid_table(self.model.index, self.covered)
            return self._tables[None]
        leaf, cov = self._incidents(incidents)
        return grid_table(self.model.index, self.covered, incident_leaf=leaf, incident_covered=cov)

    def kpis(self, incidents: Any = None) -> dict:
        """District figures, with the minutes, method, posts and warnings."""
        out = {
            "minutes": self.minutes,
            "method": self.method,
            "speed_scale": self.speed_scale,
            "posts": len(self.post_ids),
        }
        out.update(district_kpis(self.grid_table(incidents)))
        out["warnings"] = list(self.warnings)
        return out

    def worst_grids(self, level: int = 5, n: int = 10, by: str = "population") -> pd.DataFrame:
        """Return the worst-covered grids of ``level`` (see ``coverage_stats.worst_grids``)."""
        return _worst_grids(self.grid_table(), level=level, n=n, by=by)

    def to_dict(self, level: int | None = None, geometry: bool = True) -> dict:
        """Return KPIs, per-grid figures (of ``level`` or all) and GeoJSON polygons, JSON-ready."""
        table = self.grid_table()
        if level is not None:
            table = table[table["level"] == level]
        out = {
            "minutes": self.minutes,
            "method": self.method,
            "speed_scale": self.speed_scale,
            "kpis": self.kpis(),
            "warnings": list(self.warnings),
            "grids": records(table),
        }
        if geometry:
            out["geojson"] = self.geojson()
        return out


def records(table: pd.DataFrame) -> list[dict]:
    """Rows of a table as JSON-ready dicts (NaN as None, numbers rounded)."""
    frame = table.copy()
    for name in frame.columns:
        col = frame[name]
        if pd.api.types.is_float_dtype(col):
            values = col.to_numpy(dtype=float).round(6)
            frame[name] = pd.Series(values, index=frame.index, dtype=object).where(
                np.isfinite(values), None
            )
        elif pd.api.types.is_integer_dtype(col):
            frame[name] = col.astype(object).map(int)
        else:
            frame[name] = col.astype(object).where(col.notna(), None)
    return frame.to_dict(orient="records")


def _lonlat(p: Any, k: int) -> tuple[float, float]:
    try:
        lon, lat = (float(v) for v in p)
    except (TypeError, ValueError):
        raise CoverageError(
            f"extra_posts: new post #{k + 1} must be (lon, lat), got {p!r}"
        ) from None
    if not (math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90):
        raise CoverageError(f"extra_posts: new post #{k + 1} is not a lon, lat pair: {p!r}")
    return (lon, lat)


def _check_gdf(gdf: Any, name: str, types: tuple[int, ...]) -> None:
    if not isinstance(gdf, gpd.GeoDataFrame):
        raise CoverageError(f"'{name}' should be a GeoDataFrame, got {type(gdf).__name__}")
    if gdf.crs is None:
        raise CoverageError(f"{name} has no CRS; set one (e.g. EPSG:4326)")
    kinds = shapely.get_type_id(gdf.geometry.to_numpy())
    bad = ~np.isin(kinds, types)
    if bad.any():
        want = {0: "Point", 3: "Polygon", 6: "MultiPolygon"}
        ids = gdf.index.astype(str).to_numpy()[bad]
        raise CoverageError(
            f"{name}: geometry must be {' or '.join(want[t] for t in types)}, not for "
            f"{', '.join(ids[:10])}"
        )


__all__ = [
    "DEFAULT_MINUTES",
    "MAX_MINUTES",
    "MIN_MINUTES",
    "NETWORK",
    "STRAIGHT_LINE",
    "CoverageError",
    "CoverageModel",
    "CoverageResult",
    "CoverageSettings",
    "Raster",
    "check_minutes",
    "check_speed_scale",
]
