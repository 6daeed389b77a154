"""The answer of one coverage query: travel seconds per cell, polygons, grid tables and KPIs."""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cached_property
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from gridmap.coverage.grid_shares import grid_table, rows_within
from gridmap.coverage.kpis import district_kpis
from gridmap.coverage.kpis import worst_grids as _worst_grids
from gridmap.coverage.leaf_counts import leaf_counts
from gridmap.coverage.params import STRAIGHT_LINE
from gridmap.coverage.serialize import records
from gridmap.errors import CoverageError

if TYPE_CHECKING:
    from gridmap.coverage.model import CoverageModel


class CoverageResult:
    """Travel seconds per raster cell from the nearest post, for one query of a model."""

    def __init__(
        self,
        *,
        model: CoverageModel,
        minutes: float,
        speed_scale: float,
        profile: str = "free",
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
        self.profile = profile
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
                raise CoverageError(
                    "incidents have no CRS; set one (e.g. EPSG:4326)", parameter="incidents"
                )
            geoms = incidents.to_crs(m.crs).geometry.to_numpy()
            if not np.all(shapely.get_type_id(geoms) == 0):
                raise CoverageError("incidents must be Point geometries", parameter="incidents")
            xy = shapely.get_coordinates(geoms)
        else:
            arr = np.asarray(incidents)
            if arr.dtype.kind in "OUS" and arr.ndim == 1:
                return self._incidents_by_grid(arr.astype(str))
            if arr.ndim != 2 or arr.shape[1] != 2:
                raise CoverageError(
                    "incidents must be points (GeoSeries, or an (n, 2) array of lon, lat) or "
                    "an array of level-5 grid ids",
                    parameter="incidents",
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
                f"incidents: not the id of a level-5 (leaf) grid: {', '.join(bad[:10])}",
                parameter="incidents",
            )
        base = grid_table(index, self.covered)
        leaf_share = base["area_share"].to_numpy()[index.leaf]
        return found, np.nan_to_num(leaf_share[found], nan=0.0)

    def grid_table(
        self, incidents: Any = None, *, counts: Mapping[str, float] | None = None
    ) -> pd.DataFrame:
        """Per-grid figures at every level (see :func:`gridmap.coverage.grid_shares.grid_table`).

        Parameters
        ----------
        incidents : optional
            Incident points (GeoSeries / GeoDataFrame in any CRS, or an (n, 2) array of lon,
            lat), or an array of level-5 grid ids (each then counts as its grid's covered share
            of area).
        counts : mapping of str to number, optional
            Instead of ``incidents``: incidents per level-5 (leaf) grid id, e.g.
            ``IncidentStore.counts_by_grid(5)``. Each counts as its grid's covered share of
            area; no point is read (what the API does at a million incidents).
        """
        if counts is not None:
            return self._with_counts(counts)
        if incidents is None:
            if None not in self._tables:
                self._tables[None] = grid_table(self.model.index, self.covered)
            return self._tables[None]
        leaf, cov = self._incidents(incidents)
        return grid_table(self.model.index, self.covered, incident_leaf=leaf, incident_covered=cov)

    def _with_counts(self, counts: Mapping[str, float]) -> pd.DataFrame:
        """Return the table without incidents (computed once) with incident columns from counts.

        Only the incident columns depend on the counts: two sparse sums up the hierarchy, so a
        new incident costs milliseconds, not a new table.
        """
        index = self.model.index
        base = self.grid_table()
        leaf_inc = leaf_counts(index, counts)
        leaf_share = np.nan_to_num(base["area_share"].to_numpy(dtype=float)[index.leaf], nan=0.0)
        inc = index.up @ leaf_inc
        cov = index.up @ (leaf_inc * leaf_share)
        out = base.copy()
        out["incidents"] = inc
        out["covered_incidents"] = cov
        out["incident_share"] = np.divide(cov, inc, out=np.full(len(inc), np.nan), where=inc > 0)
        return out

    def population_shares(self, grid_ids: list[str]) -> list[float | None]:
        """Share of the people covered in each of ``grid_ids`` (None where undefined)."""
        shares = self.grid_table().set_index("grid_id")["population_share"].reindex(grid_ids)
        return [None if not np.isfinite(v) else float(v) for v in shares.to_numpy(dtype=float)]

    def area_shares(self, grid_ids: list[str]) -> list[float | None]:
        """Share of the area covered in each of ``grid_ids`` (None where undefined)."""
        shares = self.grid_table().set_index("grid_id")["area_share"].reindex(grid_ids)
        return [None if not np.isfinite(v) else float(v) for v in shares.to_numpy(dtype=float)]

    def kpis(self, incidents: Any = None, roots: tuple[str, ...] | None = None) -> dict:
        """District figures, with the minutes, method, posts and warnings.

        Parameters
        ----------
        incidents : optional
            As in :meth:`grid_table`.
        roots : tuple of str, optional
            A reader's scope (``Scope.roots``): the figures are then those of these subtrees
            (None: the whole district).
        """
        return self.kpis_of(rows_within(self.grid_table(incidents), roots))

    def kpis_of(self, table: pd.DataFrame) -> dict:
        """Figures of the top rows of ``table`` (a grid table, or a scope's rows of one)."""
        out = {
            "minutes": self.minutes,
            "method": self.method,
            "speed_scale": self.speed_scale,
            "posts": len(self.post_ids),
        }
        out.update(district_kpis(table))
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
