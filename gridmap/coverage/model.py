"""The 5-minute police circle: the adapter from GeoDataFrames to the array core, by e-bike.

:class:`CoverageModel` checks the layers (type, CRS, geometry types), builds the road graph
and the raster once, and answers each query by delegating to :mod:`gridmap.coverage.core`.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from functools import cached_property
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from pyproj import CRS, Transformer
from scipy.sparse import csr_matrix
from scipy.spatial import cKDTree

from gridmap.coverage import core
from gridmap.coverage.grid_shares import GridIndex, build_grid_index
from gridmap.coverage.inputs import (
    check_gdf,
    metric_outline,
    metric_posts,
    model_info,
    urban_area,
)
from gridmap.coverage.params import (
    DEFAULT_MINUTES,
    MAX_MINUTES,
    NETWORK,
    STRAIGHT_LINE,
    CoverageSettings,
    check_lonlat,
    check_minutes,
    check_speed_scale,
)
from gridmap.coverage.profiles import DEFAULT_PROFILE, PROFILES, check_profile
from gridmap.coverage.raster import Raster
from gridmap.coverage.result import CoverageResult
from gridmap.coverage.roadgraph import RoadGraph, build_road_graph
from gridmap.errors import CoverageError
from gridmap.grids.schema import ROAD_CLASSES, WGS84
from gridmap.messages import Message

_MEMO_SIZE = 16


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
        self._to_wgs = Transformer.from_crs(self.crs, WGS84, always_xy=True)
        self._from_wgs = Transformer.from_crs(WGS84, self.crs, always_xy=True)
        self.outline_buffered = outline.buffer(1.0)
        shapely.prepare(self.outline_buffered)

        outside = ~shapely.covers(self.outline_buffered, shapely.points(self.post_xy))
        if outside.any():
            raise CoverageError(
                "posts outside the district: " + ", ".join(self.post_ids[outside][:10]),
                parameter="posts",
            )
        s = self.settings
        self.raster = Raster.over(outline, s.cell_m)
        self.index: GridIndex = build_grid_index(grids, self.raster)
        self.urban = urban_area(grids)
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
            mid = (g.xy[g.u] + g.xy[g.v]) / 2
            self._edge_urban = (
                shapely.covers(self.urban, shapely.points(mid))
                if self.urban is not None and g.n_edges
                else np.zeros(g.n_edges, dtype=bool)
            )
            for pid, dist in zip(self.post_ids, self.post_walk_m, strict=True):
                if dist > s.walk_max_m:
                    self.build_warnings.append(
                        Message(
                            "coverage-post-far-from-road",
                            post=pid,
                            metres=f"{dist:.0f}",
                            limit=f"{s.walk_max_m:g}",
                        )
                    )
        else:
            self.build_warnings.append(
                Message(
                    "coverage-no-roads",
                    speed=f"{s.fallback_speed_kmh:g}",
                    detour=f"{s.detour_factor:g}",
                )
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
        check_gdf(grids, "grids", (3, 6))
        if "grid_id" in grids.columns:
            grids = grids.set_index("grid_id")
        metric = CRS.from_user_input(crs) if crs is not None else grids.estimate_utm_crs()
        if not metric.is_projected:
            raise CoverageError(
                f"crs must be a projected (metric) CRS, got {metric.to_string()}", parameter="crs"
            )
        grids_m = grids.to_crs(metric)
        outline_m = metric_outline(grids, outline, metric)
        post_ids, post_xy, names = metric_posts(posts, metric)
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
            road_warnings.append(Message("coverage-roads-empty"))
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
        """For each point, the ``walk_k`` nearest nodes within ``walk_max_m`` and the walk (s)."""
        s = self.settings
        return core.near_nodes(
            self._tree, self.graph.n_nodes, xy, s.walk_k, s.walk_max_m, s.walk_mps
        )

    def edge_factors(self, profile: str = DEFAULT_PROFILE) -> np.ndarray:
        """Speed factor of each road edge in the time-of-day ``profile`` (1 off-peak)."""
        g = self.graph
        p = (self.settings.profiles or PROFILES)[check_profile(profile)]
        codes = g.edge_class if g.edge_class is not None else np.full(g.n_edges, -1)
        by_class = np.array([p.factor(c, False) for c in ROAD_CLASSES] + [1.0])
        return by_class[codes] * np.where(self._edge_urban, p.urban_factor, 1.0)

    def _matrix(
        self,
        speed_scale: float,
        extra_nodes: tuple,
        extra_walk: tuple,
        profile: str = DEFAULT_PROFILE,
    ) -> csr_matrix:
        """Road edges at ``speed_scale`` in ``profile``, plus a source node per post (walk leg)."""
        key = (speed_scale, extra_nodes, extra_walk, profile)
        with self._lock:
            m = self._matrices.get(key)
        if m is not None:
            return m
        nodes = np.concatenate([self.post_node, np.asarray(extra_nodes, dtype=np.int64)])
        walk = np.concatenate([self.post_walk_m, np.asarray(extra_walk, dtype=float)])
        f = self.edge_factors(profile)
        m = core.source_matrix(
            self._road_coo,
            self.graph.n_nodes,
            nodes,
            walk,
            self.settings.walk_mps,
            speed_scale * np.concatenate([f, f]),
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
        profile: str = DEFAULT_PROFILE,
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
        profile : str
            Time-of-day speed profile (:data:`gridmap.coverage.profiles.PROFILES`).

        Returns
        -------
        CoverageResult

        Raises
        ------
        CoverageError
            ``minutes``, ``speed_scale`` or ``profile`` out of range, an unknown post id, or a
            new post outside the district.
        """
        return self._query(
            check_minutes(minutes), speed_scale, extra_posts, disabled_posts, profile
        )

    def travel_times(
        self,
        speed_scale: float = 1.0,
        extra_posts: Iterable[Sequence[float]] = (),
        disabled_posts: Iterable[str] = (),
        profile: str = DEFAULT_PROFILE,
    ) -> CoverageResult:
        """Travel time from the nearest post to every cell, however long (no time limit).

        Parameters as in :meth:`coverage`. The answer's ``cell_seconds`` are finite wherever
        some post reaches the cell on the roads (inf where none does); its ``minutes`` is the
        longest limit (15). Memoized beside the coverage queries, on the scenario's key.
        """
        return self._query(None, speed_scale, extra_posts, disabled_posts, profile)

    def _query(self, minutes, speed_scale, extra_posts, disabled_posts, profile) -> CoverageResult:
        speed_scale = check_speed_scale(speed_scale)
        profile = check_profile(profile)
        extra = tuple(check_lonlat(p, k, "extra_posts") for k, p in enumerate(extra_posts))
        if isinstance(disabled_posts, str):
            disabled_posts = (disabled_posts,)
        disabled = frozenset(str(p) for p in disabled_posts)
        unknown = sorted(disabled - set(self.post_ids))
        if unknown:
            raise CoverageError(
                f"disabled_posts: unknown post id(s) {', '.join(unknown[:10])}",
                parameter="disabled_posts",
            )
        key = (minutes, speed_scale, extra, disabled, profile)
        with self._lock:
            hit = self._memo.get(key)
            if hit is not None:
                self._memo.move_to_end(key)
                return hit
        result = self._compute(minutes, speed_scale, extra, disabled, profile)
        with self._lock:
            self._memo[key] = result
            if len(self._memo) > _MEMO_SIZE:
                self._memo.popitem(last=False)
        return result

    def _compute(
        self,
        minutes: float | None,
        speed_scale: float,
        extra: tuple,
        disabled: frozenset,
        profile: str,
    ) -> CoverageResult:
        limit = np.inf if minutes is None else minutes * 60.0
        extra_xy = self.to_metric(np.array(extra)) if extra else np.zeros((0, 2))
        outside = ~shapely.covers(self.outline_buffered, shapely.points(extra_xy))
        if outside.any():
            k = int(np.nonzero(outside)[0][0])
            raise CoverageError(
                Message("coverage-new-post-outside", n=k + 1, at=str(extra[k])),
                parameter="extra_posts",
            )
        active = np.array([p not in disabled for p in self.post_ids], dtype=bool)
        ids = list(self.post_ids[active]) + [f"new-{k + 1}" for k in range(len(extra))]
        xy = np.vstack([self.post_xy[active], extra_xy])
        warnings = list(self.build_warnings)
        if len(ids) == 0:
            warnings.append(Message("coverage-no-post"))
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
                            Message("coverage-new-post-far", n=k + 1, metres=f"{dist:.0f}")
                        )
            else:
                extra_nodes, extra_walk = (), ()
            m = self._matrix(speed_scale, extra_nodes, extra_walk, profile)
            n_road = self.graph.n_nodes
            src = np.concatenate(
                [
                    n_road + np.nonzero(active)[0],
                    n_road + len(self.post_ids) + np.arange(len(extra)),
                ]
            ).astype(np.int64)
            node_seconds = core.network_seconds(m, src, limit)[:n_road]
            cell_seconds = core.cell_seconds(node_seconds, self._cell_nodes, self._cell_walk)
            src_nodes = np.concatenate([self.post_node[active], np.array(extra_nodes, dtype=int)])
            warnings += self._island_warnings(src_nodes, ids)
        return CoverageResult(
            model=self,
            minutes=MAX_MINUTES if minutes is None else minutes,
            speed_scale=speed_scale,
            profile=profile,
            post_ids=ids,
            post_xy=xy,
            cell_seconds=cell_seconds,
            node_seconds=node_seconds,
            warnings=warnings,
        )

    def _straight_seconds(self, post_xy: np.ndarray, speed_scale: float, xy: np.ndarray):
        s = self.settings
        return core.straight_seconds(
            post_xy,
            xy,
            detour_factor=s.detour_factor,
            speed_kmh=s.fallback_speed_kmh,
            speed_scale=speed_scale,
        )

    def seconds_at(self, result: CoverageResult, xy: np.ndarray) -> np.ndarray:
        """Travel time (s) from the nearest post of ``result`` to points in the metric CRS."""
        xy = np.asarray(xy, dtype=float).reshape(-1, 2)
        if self.graph is None:
            return self._straight_seconds(result.post_xy, result.speed_scale, xy)
        idx, walk = self._near_nodes(xy)
        return core.cell_seconds(result.node_seconds, idx, walk)

    def _island_warnings(self, src_nodes: np.ndarray, ids: Sequence[str]) -> list[str]:
        return core.island_warnings(self.graph.labels, self._comp_len, src_nodes, ids)

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
        return model_info(self)
