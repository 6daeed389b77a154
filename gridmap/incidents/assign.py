"""Grid assignment of incident locations: level-5 grid by spatial index, ancestors for the rest.

Every incident gets its grid ids at all five levels once, at ingest. The level-5 grid is found
with a shapely STRtree over the level-5 polygons (bounding-box query for all points at once,
then one vectorised exact test ``intersects_xy`` on prepared polygons); the four other levels
are the grid's ancestors, looked up in a table built once.

Rules
-----
* A point on the edge shared by two or more level-5 grids (or at a corner) goes to the one
  whose ``grid_id`` sorts first: boundaries count as inside, ties go to the smallest id.
  The same rule decides the rare point inside two overlapping grids.
* A point inside the level-1 outline but in a sliver no level-5 grid covers (coordinate noise
  between siblings) goes to the nearest level-5 grid.
* A point outside the level-1 outline gets no grid (``-1`` / ``None``).
"""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from gridmap.errors import AssignError  # noqa: F401 (re-exported)
from gridmap.grids.schema import LEVELS, WGS84

OUTSIDE = -1


class GridAssigner:
    """Assign lon/lat points to the five grid levels.

    Build it once per district (``from_grids``), then call :meth:`assign_ids` for any number of
    points; it is read-only and safe to share between threads.

    Parameters
    ----------
    ids : sequence of str
        Level-5 grid ids.
    polygons : sequence of shapely geometries
        Their (Multi)Polygons, lon/lat, in the order of ``ids``.
    ancestors : array of str, shape (n, 5)
        For each level-5 grid its ids at levels 1..5 (column 4 is the grid itself).
    outline : shapely geometry, optional
        The level-1 outline. Without it, a point in no level-5 grid is outside.
    """

    def __init__(
        self,
        ids: Sequence[str],
        polygons: Sequence[shapely.Geometry],
        ancestors: np.ndarray,
        outline: shapely.Geometry | None = None,
    ):
        ids = np.asarray([str(i) for i in ids], dtype=object)
        polygons = np.asarray(polygons, dtype=object)
        ancestors = np.asarray(ancestors, dtype=object)
        if len(ids) == 0:
            raise AssignError("no level-5 grids to assign incidents to")
        if len(polygons) != len(ids) or ancestors.shape != (len(ids), len(LEVELS)):
            raise AssignError(
                f"ids ({len(ids)}), polygons ({len(polygons)}) and ancestors "
                f"{ancestors.shape} do not match"
            )
        # Sort by id once: the tie rule "smallest id wins" becomes "smallest index wins".
        order = np.argsort(ids.astype(str), kind="stable")
        self.ids: np.ndarray = ids[order]
        self.polygons: np.ndarray = polygons[order]
        self.ancestors: np.ndarray = ancestors[order]
        shapely.prepare(self.polygons)
        self.tree = shapely.STRtree(self.polygons)
        self.outline = outline
        if outline is not None:
            shapely.prepare(outline)

    # -- adapter ----------------------------------------------------------------------------
    @classmethod
    def from_grids(cls, grids: gpd.GeoDataFrame) -> GridAssigner:
        """Build an assigner from the app's grids GeoDataFrame.

        Parameters
        ----------
        grids : GeoDataFrame
            Every grid of the district, indexed by ``grid_id`` (str), with ``parent_id`` and
            ``level`` (1..5) columns, in EPSG:4326.

        Returns
        -------
        GridAssigner
        """
        if not isinstance(grids, gpd.GeoDataFrame):
            raise AssignError(f"'grids' should be a GeoDataFrame, got {type(grids).__name__}")
        if grids.crs is None or not grids.crs.equals(WGS84):
            raise AssignError(f"'grids' should be in {WGS84}, got {grids.crs}")
        missing = {"parent_id", "level"} - set(grids.columns)
        if missing:
            raise AssignError(f"'grids' lacks column(s) {sorted(missing)}")
        index = grids.index.astype(str)
        levels = dict(zip(index, grids["level"].astype(int), strict=True))
        parents = {
            gid: (None if pd.isna(p) or str(p) == "" else str(p))
            for gid, p in zip(index, grids["parent_id"], strict=True)
        }
        leaf = grids.loc[grids["level"].astype(int) == LEVELS[-1]]
        if leaf.empty:
            raise AssignError("'grids' has no level-5 grid")
        leaf_ids = leaf.index.astype(str)
        chains = np.empty((len(leaf_ids), len(LEVELS)), dtype=object)
        for row, gid in enumerate(leaf_ids):
            current: str | None = gid
            for level in reversed(LEVELS):
                if current is None or levels.get(current) != level:
                    raise AssignError(
                        f"grid {gid}: parent chain broken at level {level} ({current!r})"
                    )
                chains[row, level - 1] = current
                current = parents.get(current)
        roots = grids.loc[grids["level"].astype(int) == LEVELS[0]]
        outline = roots.geometry.iloc[0] if len(roots) == 1 else None
        return cls(leaf_ids, leaf.geometry.to_numpy(), chains, outline)

    # -- core -------------------------------------------------------------------------------
    def assign(self, lon: np.ndarray | Sequence[float], lat: np.ndarray | Sequence[float]):
        """Return the index (into :attr:`ids`) of the level-5 grid of each point, -1 outside.

        Parameters
        ----------
        lon, lat : array-like of float
            Coordinates in degrees (EPSG:4326); NaN counts as outside.

        Returns
        -------
        numpy.ndarray of int64
        """
        x = np.asarray(lon, dtype=float).ravel()
        y = np.asarray(lat, dtype=float).ravel()
        if x.shape != y.shape:
            raise AssignError(f"lon ({x.shape}) and lat ({y.shape}) differ in length")
        result = np.full(len(x), OUTSIDE, dtype=np.int64)
        ok = np.isfinite(x) & np.isfinite(y)
        if not ok.any():
            return result
        where = np.flatnonzero(ok)
        points = shapely.points(x[where], y[where])
        # Candidates by bounding box, then the exact test on prepared polygons, vectorised.
        pt, poly = self.tree.query(points)
        hit = shapely.intersects_xy(self.polygons[poly], x[where][pt], y[where][pt])
        pt, poly = pt[hit], poly[hit]
        if len(pt):
            # Smallest polygon index per point: sort by (point, polygon), keep each first.
            order = np.lexsort((poly, pt))
            pt, poly = pt[order], poly[order]
            first = np.ones(len(pt), dtype=bool)
            first[1:] = pt[1:] != pt[:-1]
            result[where[pt[first]]] = poly[first]
        if self.outline is not None:
            lost = where[result[where] == OUTSIDE]
            if len(lost):
                inside = shapely.intersects_xy(self.outline, x[lost], y[lost])
                lost = lost[inside]
            if len(lost):
                # query_nearest returns every tie; keep the smallest index per point.
                src, nearest = self.tree.query_nearest(
                    shapely.points(x[lost], y[lost]), all_matches=True
                )
                order = np.lexsort((nearest, src))
                src, nearest = src[order], nearest[order]
                first = np.ones(len(src), dtype=bool)
                first[1:] = src[1:] != src[:-1]
                result[lost[src[first]]] = nearest[first]
        return result

    def assign_ids(
        self, lon: np.ndarray | Sequence[float], lat: np.ndarray | Sequence[float]
    ) -> pd.DataFrame:
        """Return the grid ids of each point at the five levels.

        Returns
        -------
        pandas.DataFrame
            Columns ``g1`` .. ``g5`` (object dtype, ``None`` for points outside the district),
            one row per point, in input order.
        """
        index = self.assign(lon, lat)
        out = np.full((len(index), len(LEVELS)), None, dtype=object)
        inside = index != OUTSIDE
        out[inside] = self.ancestors[index[inside]]
        # Explicit object dtype: pandas 3 would infer "str" and turn None into NaN.
        return pd.DataFrame(
            {f"g{level}": pd.Series(out[:, level - 1], dtype=object) for level in LEVELS}
        )

    def assign_one(self, lon: float, lat: float) -> tuple[str, ...] | None:
        """Return the ids (levels 1..5) of the grid containing one point, or None outside."""
        index = int(self.assign([lon], [lat])[0])
        return None if index == OUTSIDE else tuple(self.ancestors[index])
