"""Suggest new police posts: candidate sites, their cover matrix, the solve, KPIs around it."""

from __future__ import annotations

import math
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from scipy.sparse import csc_matrix
from scipy.sparse.csgraph import dijkstra
from scipy.spatial import cKDTree

from gridmap.coverage.mclp import DEFAULT_TIME_LIMIT_S, MCLPSolution, solve_mclp
from gridmap.coverage.model import CoverageModel
from gridmap.coverage.params import DEFAULT_MINUTES, NETWORK, check_minutes, check_speed_scale
from gridmap.coverage.site_names import places_of
from gridmap.errors import MCLPError
from gridmap.messages import Message

#: Default spacing of candidate sites taken from road nodes, metres.
DEFAULT_CANDIDATE_SPACING_M: float = 1000.0
#: Most new posts one suggestion may place.
MAX_K: int = 50
#: What a suggestion may cover.
WEIGHTS = ("population", "incidents", "area")


@dataclass(frozen=True)
class Suggestion:
    """New post sites for a model, with what each adds and the KPIs before and after."""

    minutes: float
    k: int
    weight: str
    method: str
    sites: list[dict]
    solution: MCLPSolution
    kpis_before: dict
    kpis_after: dict
    candidates: int
    seconds: float

    def to_dict(self) -> dict:
        """Return a JSON-ready dict."""
        s = self.solution
        return {
            "minutes": self.minutes,
            "k": self.k,
            "weight": self.weight,
            "coverage_method": self.method,
            "solver": {
                "method": s.method,
                "status": s.status,
                "objective": s.objective,
                "greedy_objective": s.greedy_objective,
                "milp_objective": s.milp_objective,
                "mip_gap": s.mip_gap if s.mip_gap is None or math.isfinite(s.mip_gap) else None,
                "solve_seconds": round(s.seconds, 3),
                "sizes": s.sizes,
            },
            "candidates": self.candidates,
            "seconds": round(self.seconds, 3),
            "sites": self.sites,
            "kpis_before": self.kpis_before,
            "kpis_after": self.kpis_after,
        }


def _thin(xy: np.ndarray, spacing: float) -> np.ndarray:
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


def suggest_posts(
    model: CoverageModel,
    k: int = 10,
    minutes: float = DEFAULT_MINUTES,
    *,
    weight: str = "population",
    incidents: Any = None,
    candidates: Iterable[Sequence[float]] | None = None,
    candidate_spacing_m: float = DEFAULT_CANDIDATE_SPACING_M,
    movable: Iterable[str] = (),
    disabled_posts: Iterable[str] = (),
    speed_scale: float = 1.0,
    time_limit: float = DEFAULT_TIME_LIMIT_S,
    method: str = "auto",
) -> Suggestion:
    """Suggest ``k`` new post sites that reach the most uncovered people (or incidents).

    Parameters
    ----------
    model : CoverageModel
        The district, posts and roads.
    k : int
        New posts to place (1-50). Posts in ``movable`` are placed on top of these.
    minutes : float
        Time limit, 1-15.
    weight : {"population", "incidents", "area"}
        What to cover: residents (uniform within each level-5 grid), incident points, or area
        (every 100 m cell alike). Without any population figure, ``population`` falls back to
        ``area`` and the suggestion's ``weight`` says so.
    incidents : optional
        Incident points (GeoSeries, or (n, 2) lon/lat), needed for ``weight="incidents"``.
    candidates : iterable of (lon, lat), optional
        Candidate sites (e.g. village centres); default: road nodes about
        ``candidate_spacing_m`` apart (cell centres without roads).
    candidate_spacing_m : float
        Spacing of the default candidates, metres.
    movable : iterable of str
        Existing post ids that may move: they are taken out, and their current site is one
        more candidate; ``k + len(movable)`` sites are chosen.
    disabled_posts : iterable of str
        Post ids out of service.
    speed_scale : float
        Factor on e-bike speeds.
    time_limit : float
        Seconds allowed to the MILP.
    method : {"auto", "milp", "greedy"}
        Solver (see :func:`solve_mclp`).

    Returns
    -------
    Suggestion
    """
    start = time.perf_counter()
    minutes = check_minutes(minutes)
    speed_scale = check_speed_scale(speed_scale)
    if isinstance(k, bool) or not isinstance(k, int | np.integer) or not 1 <= k <= MAX_K:
        raise MCLPError(Message("suggest-k-range", max=MAX_K, k=repr(k)), parameter="k")
    if weight not in WEIGHTS:
        raise MCLPError(
            f"weight must be one of {', '.join(WEIGHTS)}, got {weight!r}", parameter="weight"
        )
    if weight == "incidents" and incidents is None:
        raise MCLPError("weight='incidents' needs incidents", parameter="weight")
    if not candidate_spacing_m > 0:
        raise MCLPError(
            f"candidate_spacing_m must be > 0, got {candidate_spacing_m!r}",
            parameter="candidate_spacing_m",
        )
    movable = [str(p) for p in ([movable] if isinstance(movable, str) else movable)]
    disabled = [
        str(p) for p in ([disabled_posts] if isinstance(disabled_posts, str) else disabled_posts)
    ]
    unknown = sorted(set(movable) - set(model.post_ids))
    if unknown:
        raise MCLPError(f"movable: unknown post id(s) {', '.join(unknown)}", parameter="movable")
    before = model.coverage(minutes, speed_scale, disabled_posts=disabled)
    base = model.coverage(minutes, speed_scale, disabled_posts=sorted(set(disabled) | set(movable)))
    raster = model.raster
    limit = minutes * 60.0

    # Demand: uncovered cells, weighted by people, incidents or area.
    if weight == "population":
        cell_w = model.index.cell_population(raster.n_cells)
        if not cell_w.sum() > 0:
            # A district without population figures: cover the most area instead, and say so.
            weight, cell_w = "area", np.ones(raster.n_cells)
    if weight == "area":
        cell_w = np.ones(raster.n_cells)
    elif weight == "incidents":
        xy = _incident_xy(model, incidents)
        cell_w = np.zeros(raster.n_cells)
        if len(xy):
            _, cell = cKDTree(raster.centres).query(xy)
            np.add.at(cell_w, cell, 1.0)
    demand = np.nonzero(~base.covered & (cell_w > 0))[0]
    if not len(demand):
        raise MCLPError(
            Message(f"suggest-nothing-{weight}", minutes=f"{minutes:g}"), parameter="weight"
        )
    d_xy = raster.centres[demand]

    # Candidates: (x, y), road node (or -1), seconds from the site to that node, label.
    cand_xy, cand_node, cand_off, labels = _candidates(model, candidates, candidate_spacing_m)
    for pid in movable:
        p = int(np.nonzero(model.post_ids == pid)[0][0])
        cand_xy = np.vstack([cand_xy, model.post_xy[p : p + 1]])
        if model.method == NETWORK:
            cand_node = np.append(cand_node, model.post_node[p])
            cand_off = np.append(cand_off, model.post_walk_m[p] / model.settings.walk_mps)
        else:
            cand_node = np.append(cand_node, -1)
            cand_off = np.append(cand_off, 0.0)
        labels.append(f"post {pid} (stays)")
    # Only sites that could reach some demand are worth a column.
    reach = _reach_m(model, speed_scale, limit)
    if len(demand) and len(cand_xy):
        near, _ = cKDTree(d_xy).query(cand_xy, distance_upper_bound=reach)
        useful = np.isfinite(near)
        useful[len(cand_xy) - len(movable) :] = True
    else:
        useful = np.zeros(len(cand_xy), dtype=bool)
    keep = np.nonzero(useful)[0]
    total_k = k + len(movable)
    if len(keep) < total_k:
        # Fewer useful sites than asked: pad with other candidates inside the district.
        rest = np.setdiff1d(np.arange(len(cand_xy)), keep)
        keep = np.sort(np.concatenate([keep, rest[: total_k - len(keep)]]))
    if len(keep) < total_k:
        raise MCLPError(Message("suggest-too-few-sites", k=k, n=len(keep)), parameter="k")
    cand_xy, cand_node, cand_off = cand_xy[keep], cand_node[keep], cand_off[keep]
    labels = [labels[i] for i in keep]

    cover = _cover_matrix(model, speed_scale, limit, d_xy, demand, cand_xy, cand_node, cand_off)
    sol = solve_mclp(cover, cell_w[demand], total_k, time_limit=time_limit, method=method)

    chosen_xy = cand_xy[sol.sites]
    lonlat = _to_lonlat(model, chosen_xy)
    after = model.coverage(
        minutes,
        speed_scale,
        extra_posts=[tuple(p) for p in lonlat],
        disabled_posts=sorted(set(disabled) | set(movable)),
    )
    sites = [
        {
            "rank": i + 1,
            "lon": float(lonlat[i, 0]),
            "lat": float(lonlat[i, 1]),
            "site": labels[j],
            "adds": round(float(sol.adds[i]), 3),
            **place,
        }
        for (i, j), place in zip(
            enumerate(sol.sites), places_of(model.index, chosen_xy), strict=True
        )
    ]
    incidents_arg = incidents if weight == "incidents" else None
    return Suggestion(
        minutes=minutes,
        k=k,
        weight=weight,
        method=model.method,
        sites=sites,
        solution=sol,
        kpis_before=before.kpis(incidents_arg),
        kpis_after=after.kpis(incidents_arg),
        candidates=len(keep),
        seconds=time.perf_counter() - start,
    )


def _incident_xy(model: CoverageModel, incidents: Any) -> np.ndarray:
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


def _to_lonlat(model: CoverageModel, xy: np.ndarray) -> np.ndarray:
    x, y = model._to_wgs.transform(xy[:, 0], xy[:, 1])
    return np.column_stack([x, y])


def _reach_m(model: CoverageModel, speed_scale: float, limit: float) -> float:
    s = model.settings
    if model.method == NETWORK:
        g = model.graph
        fastest = float(np.max(g.length_m / g.seconds)) if g.n_edges else 0.0
        return fastest * speed_scale * limit + s.walk_max_m + 1.0
    return s.fallback_speed_kmh / 3.6 * speed_scale * limit / s.detour_factor + 1.0


def _candidates(
    model: CoverageModel, points: Iterable[Sequence[float]] | None, spacing: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]:
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
        node = inside[_thin(model.graph.xy[inside], spacing)]
        labels = [f"road node {n}" for n in node]
        return model.graph.xy[node], node, np.zeros(len(node)), labels
    centres = model.raster.centres
    inside = np.nonzero(shapely.covers(model.outline_buffered, shapely.points(centres)))[0]
    pick = inside[_thin(centres[inside], spacing)]
    return centres[pick], np.full(len(pick), -1), np.zeros(len(pick)), [f"cell {i}" for i in pick]


def _cover_matrix(
    model: CoverageModel,
    speed_scale: float,
    limit: float,
    d_xy: np.ndarray,
    demand: np.ndarray,
    cand_xy: np.ndarray,
    cand_node: np.ndarray,
    cand_off: np.ndarray,
) -> csc_matrix:
    """Sparse (demand, candidate): True where the site reaches the demand cell in time."""
    n_d, n_c = len(demand), len(cand_xy)
    if n_d == 0:
        return csc_matrix((0, n_c), dtype=bool)
    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []
    if model.method != NETWORK:
        s = model.settings
        r = s.fallback_speed_kmh / 3.6 * speed_scale * limit / s.detour_factor
        pairs = cKDTree(d_xy).sparse_distance_matrix(cKDTree(cand_xy), r, output_type="ndarray")
        rows.append(pairs["i"].astype(np.int64))
        cols.append(pairs["j"].astype(np.int64))
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
        m = model._matrix(speed_scale, (), ())[: g.n_nodes, : g.n_nodes]
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
                hit = np.unique(drow[pos[tt <= limit]])
                rows.append(hit)
                cols.append(np.full(len(hit), lo + q))
    if rows:
        r = np.concatenate(rows)
        c = np.concatenate(cols)
    else:
        r = c = np.zeros(0, dtype=np.int64)
    return csc_matrix((np.ones(len(r), dtype=bool), (r, c)), shape=(n_d, n_c))
