"""Suggest new police posts: candidate sites, their cover matrix, the solve, KPIs around it."""

from __future__ import annotations

import math
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from gridmap.coverage.candidates import (
    WEIGHTS,
    cell_weights,
    check_ids,
    reach_m,
    site_seconds,
    sites_with_movable,
    to_lonlat,
    useful_sites,
)
from gridmap.coverage.mclp import DEFAULT_TIME_LIMIT_S, MCLPSolution, solve_mclp
from gridmap.coverage.model import CoverageModel
from gridmap.coverage.params import DEFAULT_MINUTES, check_minutes, check_speed_scale
from gridmap.coverage.profiles import DEFAULT_PROFILE, check_profile
from gridmap.coverage.site_names import places_of
from gridmap.errors import MCLPError
from gridmap.messages import Message

__all__ = ["MAX_K", "WEIGHTS", "Suggestion", "site_rows", "suggest_posts"]

#: Default spacing of candidate sites taken from road nodes, metres.
DEFAULT_CANDIDATE_SPACING_M: float = 1000.0
#: Most new posts one suggestion may place.
MAX_K: int = 50


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
    profile: str = DEFAULT_PROFILE,
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
    profile : str
        Time-of-day speed profile.

    Returns
    -------
    Suggestion
    """
    start = time.perf_counter()
    minutes = check_minutes(minutes)
    speed_scale = check_speed_scale(speed_scale)
    profile = check_profile(profile)
    if isinstance(k, bool) or not isinstance(k, int | np.integer) or not 1 <= k <= MAX_K:
        raise MCLPError(Message("suggest-k-range", max=MAX_K, k=repr(k)), parameter="k")
    weight, cell_w = cell_weights(model, weight, incidents)
    movable = check_ids(model, movable, "movable")
    disabled = [
        str(p) for p in ([disabled_posts] if isinstance(disabled_posts, str) else disabled_posts)
    ]
    sites = sites_with_movable(model, candidates, candidate_spacing_m, movable)
    before = model.coverage(minutes, speed_scale, disabled_posts=disabled, profile=profile)
    off = sorted(set(disabled) | set(movable))
    base = model.coverage(minutes, speed_scale, disabled_posts=off, profile=profile)
    limit = minutes * 60.0

    # Demand: uncovered cells, weighted by people, incidents or area.
    demand = np.nonzero(~base.covered & (cell_w > 0))[0]
    if not len(demand):
        raise MCLPError(
            Message(f"suggest-nothing-{weight}", minutes=f"{minutes:g}"), parameter="weight"
        )
    d_xy = model.raster.centres[demand]
    # Only sites that could reach some demand are worth a column.
    reach = reach_m(model, speed_scale, limit, profile)
    keep = useful_sites(model, sites, d_xy, reach, len(movable))
    total_k = k + len(movable)
    if len(keep) < total_k:
        # Fewer useful sites than asked: pad with other candidates inside the district.
        rest = np.setdiff1d(np.arange(len(sites)), keep)
        keep = np.sort(np.concatenate([keep, rest[: total_k - len(keep)]]))
    if len(keep) < total_k:
        raise MCLPError(Message("suggest-too-few-sites", k=k, n=len(keep)), parameter="k")
    sites = sites.take(keep)
    seconds = site_seconds(
        model, speed_scale, limit, d_xy, demand, sites.xy, sites.node, sites.off, profile
    )
    sol = solve_mclp(seconds > 0, cell_w[demand], total_k, time_limit=time_limit, method=method)

    chosen_xy = sites.xy[sol.sites]
    lonlat = to_lonlat(model, chosen_xy)
    after = model.coverage(
        minutes,
        speed_scale,
        extra_posts=[tuple(p) for p in lonlat],
        disabled_posts=off,
        profile=profile,
    )
    incidents_arg = incidents if weight == "incidents" else None
    return Suggestion(
        minutes=minutes,
        k=k,
        weight=weight,
        method=model.method,
        sites=site_rows(model, chosen_xy, [sites.labels[j] for j in sol.sites], sol.adds),
        solution=sol,
        kpis_before=before.kpis(incidents_arg),
        kpis_after=after.kpis(incidents_arg),
        candidates=len(keep),
        seconds=time.perf_counter() - start,
    )


def site_rows(model: CoverageModel, xy: np.ndarray, labels: list[str], adds) -> list[dict]:
    """Return the chosen sites as JSON-ready rows: rank, lon, lat, label, what each adds, place."""
    lonlat = to_lonlat(model, xy) if len(xy) else np.zeros((0, 2))
    return [
        {
            "rank": i + 1,
            "lon": float(lonlat[i, 0]),
            "lat": float(lonlat[i, 1]),
            "site": labels[i],
            "adds": round(float(adds[i]), 3),
            **place,
        }
        for i, place in enumerate(places_of(model.index, xy))
    ]
