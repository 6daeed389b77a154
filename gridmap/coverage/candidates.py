"""Candidate sites for new posts and the demand they serve: cell weights, site times, cover."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from scipy.sparse import csc_matrix
from scipy.sparse.csgraph import dijkstra
from scipy.spatial import cKDTree

from gridmap.coverage.model import CoverageModel
from gridmap.coverage.params import NETWORK
from gridmap.coverage.profiles import DEFAULT_PROFILE
from gridmap.errors import MCLPError
from gridmap.messages import Message

#: What a suggestion may cover.
WEIGHTS = ("population", "incidents", "area")


def thin(xy: np.ndarray, spacing: float) -> np.ndarray:
    """One point per ``spacing`` square: the one nearest the square's centre (row numbers)."""
    if len(xy) == 0:
        return np.zeros(0, dtype=np.int64)
    cell = np.floor(xy / spacing)
    centre = (cell + 0.5) * spacing
    dist = np.hypot(*(xy - centre).T)
    order = np.lexsort((dist, cell[:, 1], cell[:, 0]))
    c = cell[order]
    first = np.ones(len(order), dtype=bool)
    first[1:] = (c[1:] != c[:-1]).any(axis=1)
    return np.sort(order[first])


def incident_xy(model: CoverageModel, incidents: Any) -> np.ndarray:
    """Return incident points (GeoSeries in any CRS, or (n, 2) lon/lat) in metres."""
    if isinstance(incidents, gpd.GeoSeries | gpd.GeoDataFrame):
        if incidents.crs is None:
            raise MCLPError(
                "incidents have no CRS; set one (e.g. EPSG:4326)", parameter="incidents"
            )
        return shapely.get_coordinates(incidents.to_crs(model.crs).geometry.to_numpy())
    arr = np.asarray(incidents, dtype=float)
    if arr.ndim != 2 or arr.shape[1] != 2:
        raise MCLPError(
            "incidents must be points: a GeoSeries or an (n, 2) array of lon, lat",
            parameter="incidents",
        )
    return model.to_metric(arr)


def to_lonlat(model: CoverageModel, xy: np.ndarray) -> np.ndarray:
    """Return metric points as (lon, lat)."""
    x, y = model._to_wgs.transform(xy[:, 0], xy[:, 1])
    return np.column_stack([x, y])


def reach_m(
    model: CoverageModel, speed_scale: float, limit: float, profile: str = DEFAULT_PROFILE
) -> float:
    """Return the farthest a post reaches in ``limit`` seconds (straight metres, a bound)."""
    s = model.settings
    if model.method == NETWORK:
        g = model.graph
        fastest = float(np.max(g.length_m / g.seconds)) if g.n_edges else 0.0
        factor = float(np.max(model.edge_factors(profile))) if g.n_edges else 1.0
        return fastest * speed_scale * factor * limit + s.walk_max_m + 1.0
    return s.fallback_speed_kmh / 3.6 * speed_scale * limit / s.detour_factor + 1.0


def candidate_sites(
    model: CoverageModel, points: Iterable[Sequence[float]] | None, spacing: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]:
    """Return the given points, or road nodes about ``spacing`` apart inside the district."""
    if points is not None:
        lonlat = np.asarray(list(points), dtype=float).reshape(-1, 2)
        if not np.all(np.isfinite(lonlat)):
            raise MCLPError("candidates must be finite (lon, lat) pairs", parameter="candidates")
        xy = model.to_metric(lonlat)
        inside = shapely.covers(model.outline_buffered, shapely.points(xy))
        if not inside.all():
            bad = ", ".join(str(i + 1) for i in np.nonzero(~inside)[0][:10])
            raise MCLPError(f"candidates outside the district: #{bad}", parameter="candidates")
        labels = [f"candidate #{i + 1}" for i in range(len(xy))]
        if model.method == NETWORK:
            d, node = model._tree.query(xy)
            return xy, np.asarray(node), np.asarray(d) / model.settings.walk_mps, labels
        return xy, np.full(len(xy), -1), np.zeros(len(xy)), labels
    if model.method == NETWORK:
        # Roads run past the boundary: a new post must stand inside the district.
        inside = np.nonzero(shapely.covers(model.outline_buffered, shapely.points(model.graph.xy)))[
            0
        ]
        node = inside[thin(model.graph.xy[inside], spacing)]
        labels = [f"road node {n}" for n in node]
        return model.graph.xy[node], node, np.zeros(len(node)), labels
    centres = model.raster.centres
    inside = np.nonzero(shapely.covers(model.outline_buffered, shapely.points(centres)))[0]
    pick = inside[thin(centres[inside], spacing)]
    return centres[pick], np.full(len(pick), -1), np.zeros(len(pick)), [f"cell {i}" for i in pick]


def site_seconds(
    model: CoverageModel,
    speed_scale: float,
    limit: float,
    d_xy: np.ndarray,
    demand: np.ndarray,
    cand_xy: np.ndarray,
    cand_node: np.ndarray,
    cand_off: np.ndarray,
    profile: str = DEFAULT_PROFILE,
) -> csc_matrix:
    """Return sparse (demand, candidate) seconds from each site to each cell, within ``limit``.

    Pairs beyond ``limit`` are absent; a stored time is at least 1 µs (so that none is an
    implicit zero). ``matrix > 0`` is the cover matrix of the limit.
    """
    n_d, n_c = len(demand), len(cand_xy)
    if n_d == 0:
        return csc_matrix((0, n_c), dtype=float)
    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []
    vals: list[np.ndarray] = []
    if model.method != NETWORK:
        s = model.settings
        mps = s.fallback_speed_kmh / 3.6 * speed_scale / s.detour_factor
        pairs = cKDTree(d_xy).sparse_distance_matrix(
            cKDTree(cand_xy), mps * limit, output_type="ndarray"
        )
        rows.append(pairs["i"].astype(np.int64))
        cols.append(pairs["j"].astype(np.int64))
        vals.append(pairs["v"] / mps)
    else:
        g = model.graph
        # Node -> (demand row, walk seconds) lists, to read cell times off reached nodes.
        nodes = model._cell_nodes[demand].ravel().astype(np.int64)
        walk = model._cell_walk[demand].ravel()
        drow = np.repeat(np.arange(n_d), model._cell_nodes.shape[1])
        ok = nodes < g.n_nodes
        nodes, walk, drow = nodes[ok], walk[ok], drow[ok]
        order = np.argsort(nodes, kind="stable")
        nodes, walk, drow = nodes[order], walk[order], drow[order]
        indptr = np.searchsorted(nodes, np.arange(g.n_nodes + 1))
        m = model._matrix(speed_scale, (), (), profile)[: g.n_nodes, : g.n_nodes]
        chunk = 32
        for lo in range(0, n_c, chunk):
            idx = cand_node[lo : lo + chunk]
            budget = limit - cand_off[lo : lo + chunk]
            t = dijkstra(m, directed=True, indices=idx, limit=limit)
            t = np.atleast_2d(t) + cand_off[lo : lo + chunk, None]
            for q in range(len(idx)):
                if budget[q] < 0:
                    continue
                reached = np.nonzero(t[q] <= limit)[0]
                counts = indptr[reached + 1] - indptr[reached]
                if counts.sum() == 0:
                    continue
                starts = np.repeat(indptr[reached] - np.cumsum(counts) + counts, counts)
                pos = starts + np.arange(counts.sum())
                tt = np.repeat(t[q, reached], counts) + walk[pos]
                sel = tt <= limit
                dr, tv = drow[pos[sel]], tt[sel]
                # The best of a cell's near nodes: sort by (row, time), keep each row's first.
                o = np.lexsort((tv, dr))
                dr, tv = dr[o], tv[o]
                first = np.ones(len(dr), dtype=bool)
                first[1:] = dr[1:] != dr[:-1]
                rows.append(dr[first])
                cols.append(np.full(int(first.sum()), lo + q))
                vals.append(tv[first])
    if rows:
        r, c, v = np.concatenate(rows), np.concatenate(cols), np.concatenate(vals)
    else:
        r = c = np.zeros(0, dtype=np.int64)
        v = np.zeros(0)
    return csc_matrix((np.maximum(v, 1e-6), (r, c)), shape=(n_d, n_c))


def cell_weights(
    model: CoverageModel, weight: str, incidents: Any = None
) -> tuple[str, np.ndarray]:
    """Return the weight actually used and the weight of each raster cell.

    ``population`` spreads each leaf grid's people uniformly over its area; without any
    population figure it falls back to ``area`` (every cell alike), and the name returned
    says so. ``incidents`` counts the incident points in each cell.
    """
    raster = model.raster
    if weight not in WEIGHTS:
        raise MCLPError(
            f"weight must be one of {', '.join(WEIGHTS)}, got {weight!r}", parameter="weight"
        )
    if weight == "incidents" and incidents is None:
        raise MCLPError("weight='incidents' needs incidents", parameter="weight")
    if weight == "population":
        cell_w = model.index.cell_population(raster.n_cells)
        if cell_w.sum() > 0:
            return weight, cell_w
        weight = "area"
    if weight == "area":
        return weight, np.ones(raster.n_cells)
    xy = incident_xy(model, incidents)
    cell_w = np.zeros(raster.n_cells)
    if len(xy):
        _, cell = cKDTree(raster.centres).query(xy)
        np.add.at(cell_w, cell, 1.0)
    return weight, cell_w


@dataclass
class Sites:
    """Candidate sites: metric position, road node (-1 without roads), seconds to it, label."""

    xy: np.ndarray
    node: np.ndarray
    off: np.ndarray
    labels: list[str]

    def __len__(self) -> int:
        """Return the number of sites."""
        return len(self.xy)

    def take(self, keep: np.ndarray) -> Sites:
        """Return the sites at positions ``keep``."""
        return Sites(self.xy[keep], self.node[keep], self.off[keep], [self.labels[i] for i in keep])


def sites_with_movable(
    model: CoverageModel,
    candidates: Iterable[Sequence[float]] | None,
    spacing: float,
    movable: Sequence[str],
) -> Sites:
    """Return the candidate sites, then the current site of each post of ``movable``."""
    if not spacing > 0:
        raise MCLPError(
            f"candidate_spacing_m must be > 0, got {spacing!r}", parameter="candidate_spacing_m"
        )
    xy, node, off, labels = candidate_sites(model, candidates, spacing)
    for pid in movable:
        p = int(np.nonzero(model.post_ids == pid)[0][0])
        xy = np.vstack([xy, model.post_xy[p : p + 1]])
        if model.method == NETWORK:
            node = np.append(node, model.post_node[p])
            off = np.append(off, model.post_walk_m[p] / model.settings.walk_mps)
        else:
            node = np.append(node, -1)
            off = np.append(off, 0.0)
        labels.append(f"post {pid} (stays)")
    return Sites(
        np.asarray(xy, dtype=float).reshape(-1, 2), np.asarray(node), np.asarray(off), labels
    )


def useful_sites(
    model: CoverageModel, sites: Sites, d_xy: np.ndarray, reach: float, n_movable: int
) -> np.ndarray:
    """Positions of the sites within ``reach`` metres of some demand (movable posts always)."""
    if len(d_xy) and len(sites):
        near, _ = cKDTree(d_xy).query(sites.xy, distance_upper_bound=reach)
        useful = np.isfinite(near)
        if n_movable:
            useful[len(sites) - n_movable :] = True
    else:
        useful = np.zeros(len(sites), dtype=bool)
    return np.nonzero(useful)[0]


def check_ids(model: CoverageModel, ids: Iterable[str] | str, parameter: str) -> list[str]:
    """Return ``ids`` as a list of post ids, or raise naming ``parameter`` for unknown ones."""
    out = [str(p) for p in ([ids] if isinstance(ids, str) else ids)]
    unknown = sorted(set(out) - set(model.post_ids))
    if unknown:
        raise MCLPError(
            Message("coverage-unknown-posts", parameter=parameter, ids=", ".join(unknown)),
            parameter=parameter,
        )
    return out
