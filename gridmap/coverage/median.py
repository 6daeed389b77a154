"""K new posts minimising the people's mean response time (p-median on the model), and where.

The raster is reduced before the solve: cells are grouped in blocks (500 m by default), each
block answered by its most populous cell and weighing the block's people; candidates are road
nodes about 1.5 km apart. The chosen sites are then scored exactly, over every cell, through
the model (:meth:`CoverageModel.travel_times`); the solver's bound and gap are those of the
reduced problem, reported as such.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from gridmap.coverage.candidates import (
    cell_weights,
    check_ids,
    reach_m,
    site_seconds,
    sites_with_movable,
    to_lonlat,
    useful_sites,
)
from gridmap.coverage.mclp import DEFAULT_TIME_LIMIT_S
from gridmap.coverage.model import CoverageModel
from gridmap.coverage.params import NETWORK, check_speed_scale
from gridmap.coverage.pmedian import PMedianSolution, solve_pmedian
from gridmap.coverage.profiles import DEFAULT_PROFILE, check_profile
from gridmap.coverage.suggest import MAX_K, site_rows
from gridmap.coverage.times import summary_times
from gridmap.errors import MCLPError

#: Default spacing of the p-median's candidate sites and side of its demand blocks, metres.
DEFAULT_MEDIAN_SPACING_M: float = 1500.0
DEFAULT_BLOCK_M: float = 500.0
#: A place no post reaches counts as this many minutes in the objective (a new post may help).
CAP_MINUTES: float = 30.0


@dataclass(frozen=True)
class MedianSuggestion:
    """K new sites for the shortest mean time, the exact figures before and after."""

    k: int
    weight: str
    solution: PMedianSolution
    sites: list[dict]
    times_before: dict
    times_after: dict
    total_weight: float
    candidates: int
    block_m: float
    seconds: float

    def _minutes(self, total: float) -> float | None:
        return total / self.total_weight / 60.0 if self.total_weight > 0 else None

    def to_dict(self) -> dict:
        """Return a JSON-ready dict."""
        s = self.solution
        return {
            "k": self.k,
            "weight": self.weight,
            "objective": "mean response time (p-median)",
            "times_before": self.times_before,
            "times_after": self.times_after,
            "solver": {
                "method": s.method,
                "status": s.status,
                "gap": s.gap if math.isfinite(s.gap) else None,
                "reduced_mean_before": self._minutes(s.total_before),
                "reduced_mean_after": self._minutes(s.total_after),
                "reduced_mean_bound": self._minutes(s.bound),
                "greedy_mean": self._minutes(s.greedy_total),
                "solve_seconds": round(s.seconds, 3),
                "sizes": s.sizes,
            },
            "block_m": self.block_m,
            "candidates": self.candidates,
            "seconds": round(self.seconds, 3),
            "sites": self.sites,
        }


def suggest_median(
    model: CoverageModel,
    k: int = 5,
    *,
    weight: str = "population",
    incidents: Any = None,
    candidates: Iterable[Sequence[float]] | None = None,
    candidate_spacing_m: float = DEFAULT_MEDIAN_SPACING_M,
    block_m: float = DEFAULT_BLOCK_M,
    disabled_posts: Iterable[str] = (),
    speed_scale: float = 1.0,
    profile: str = DEFAULT_PROFILE,
    time_limit: float = DEFAULT_TIME_LIMIT_S,
    method: str = "auto",
) -> MedianSuggestion:
    """Suggest ``k`` new post sites that most shorten the weighted mean response time.

    Parameters
    ----------
    model : CoverageModel
        The district, posts and roads.
    k : int
        New posts (1-50).
    weight : {"population", "incidents", "area"}
        Whose time counts (population falls back to area without population figures).
    incidents : optional
        Incident points, for ``weight="incidents"``.
    candidates, candidate_spacing_m
        Candidate sites (default road nodes about 1.5 km apart).
    block_m : float
        Side of the demand blocks, metres (at least one cell).
    disabled_posts : iterable of str
        Posts out of service.
    speed_scale, profile
        Factor on e-bike speeds; time-of-day profile.
    time_limit : float
        Seconds allowed to HiGHS.
    method : {"auto", "milp", "greedy"}
        Solver (see :func:`gridmap.coverage.pmedian.solve_pmedian`).

    Returns
    -------
    MedianSuggestion
        The sites with the minutes each takes off the mean (``adds``), the exact district
        mean and 90th percentile before and after, the solver's gap on the reduced problem.
    """
    start = time.perf_counter()
    if isinstance(k, bool) or not isinstance(k, int | np.integer) or not 1 <= k <= MAX_K:
        raise MCLPError(f"k must be an integer from 1 to {MAX_K}, got {k!r}", parameter="k")
    speed_scale = check_speed_scale(speed_scale)
    profile = check_profile(profile)
    if not (isinstance(block_m, int | float) and math.isfinite(block_m) and block_m > 0):
        raise MCLPError(f"block_m must be > 0 metres, got {block_m!r}", parameter="block_m")
    weight, cell_w = cell_weights(model, weight, incidents)
    disabled = check_ids(model, disabled_posts, "disabled_posts")
    before = model.travel_times(speed_scale, disabled_posts=disabled, profile=profile)
    cap = CAP_MINUTES * 60.0
    t0 = np.minimum(before.cell_seconds, cap)
    usable = cell_w > 0
    if model.method == NETWORK:
        usable &= model._cell_nodes[:, 0] < model.graph.n_nodes  # a road within walking reach
    cells, w = _blocks(model, np.nonzero(usable)[0], cell_w, block_m)
    if not len(cells):
        raise MCLPError("no weight to serve: no populated place near a road", parameter="weight")
    base = t0[cells]
    limit = float(base.max())
    sites = sites_with_movable(model, candidates, candidate_spacing_m, [])
    d_xy = model.raster.centres[cells]
    keep = useful_sites(model, sites, d_xy, reach_m(model, speed_scale, limit, profile), 0)
    if len(keep) < k:
        raise MCLPError(
            f"k = {k} is more than the {len(keep)} candidate sites that reach anyone",
            parameter="k",
        )
    sites = sites.take(keep)
    seconds = site_seconds(
        model, speed_scale, limit, d_xy, cells, sites.xy, sites.node, sites.off, profile
    )
    sol = solve_pmedian(seconds, base, w, k, time_limit=time_limit, method=method)
    chosen_xy = sites.xy[sol.sites]
    after = model.travel_times(
        speed_scale,
        extra_posts=[tuple(p) for p in to_lonlat(model, chosen_xy)],
        disabled_posts=disabled,
        profile=profile,
    )
    total = float(w.sum())
    adds = sol.saves / total / 60.0 if total > 0 else sol.saves * 0
    return MedianSuggestion(
        k=k,
        weight=weight,
        solution=sol,
        sites=site_rows(model, chosen_xy, [sites.labels[j] for j in sol.sites], adds),
        times_before=summary_times(model.index, before.cell_seconds),
        times_after=summary_times(model.index, after.cell_seconds),
        total_weight=total,
        candidates=len(sites),
        block_m=float(block_m),
        seconds=time.perf_counter() - start,
    )


def _blocks(
    model: CoverageModel, cells: np.ndarray, cell_w: np.ndarray, block_m: float
) -> tuple[np.ndarray, np.ndarray]:
    """Group ``cells`` in squares of ``block_m``: each block's heaviest cell and its weight."""
    r = model.raster
    b = max(1, int(round(block_m / r.cell_m)))
    key = (r.j[cells] // b) * (r.nx // b + 1) + r.i[cells] // b
    order = np.lexsort((-cell_w[cells], key))
    key_sorted = key[order]
    first = np.ones(len(order), dtype=bool)
    first[1:] = key_sorted[1:] != key_sorted[:-1]
    group = np.cumsum(first) - 1
    weights = np.bincount(group, weights=cell_w[cells][order])
    return cells[order][first], weights
