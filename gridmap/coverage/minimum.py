"""How few new posts reach a target share within N minutes (LSCP on the model), and where."""

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
from gridmap.coverage.lscp import LSCPSolution, solve_lscp
from gridmap.coverage.mclp import DEFAULT_TIME_LIMIT_S, _order_by_gain
from gridmap.coverage.model import CoverageModel
from gridmap.coverage.params import DEFAULT_MINUTES, check_minutes, check_speed_scale
from gridmap.coverage.profiles import DEFAULT_PROFILE, check_profile
from gridmap.coverage.site_names import places_of
from gridmap.coverage.suggest import DEFAULT_CANDIDATE_SPACING_M, site_rows
from gridmap.errors import MCLPError
from gridmap.messages import Message

#: How many places no site reaches are listed (the heaviest first).
MAX_UNREACHED = 20


@dataclass(frozen=True)
class Minimum:
    """The fewest new posts for a target share, or why the target cannot be reached."""

    share: float
    minutes: float
    weight: str
    movable: list[str]
    solution: LSCPSolution
    sites: list[dict]
    share_before: float | None
    share_after: float | None
    max_share: float | None
    unreached: list[dict]
    kpis_before: dict
    kpis_after: dict
    candidates: int
    seconds: float

    @property
    def new_posts(self) -> int:
        """New posts needed (the sites chosen minus the posts that move)."""
        return max(0, self.solution.count - len(self.movable))

    def to_dict(self) -> dict:
        """Return a JSON-ready dict."""
        s = self.solution
        gap = s.gap
        return {
            "share": self.share,
            "minutes": self.minutes,
            "weight": self.weight,
            "reachable": s.feasible,
            "new_posts": self.new_posts if s.feasible else None,
            "sites_chosen": s.count if s.feasible else None,
            "movable": self.movable,
            "share_before": self.share_before,
            "share_after": self.share_after,
            "max_share": self.max_share,
            "unreached": self.unreached,
            "solver": {
                "method": s.method,
                "status": s.status,
                "lower_bound": s.lower_bound if s.feasible else None,
                "gap": gap if gap is None or math.isfinite(gap) else None,
                "greedy_count": s.greedy_count,
                "solve_seconds": round(s.seconds, 3),
                "sizes": s.sizes,
            },
            "candidates": self.candidates,
            "seconds": round(self.seconds, 3),
            "sites": self.sites,
            "kpis_before": self.kpis_before,
            "kpis_after": self.kpis_after,
        }


def check_share(share: Any) -> float:
    """Return ``share`` as a float in (0, 1], or raise :class:`MCLPError` naming it."""
    try:
        value = float(share)
    except (TypeError, ValueError):
        raise MCLPError(
            Message("coverage-share-not-number", share=repr(share)), parameter="share"
        ) from None
    if not (math.isfinite(value) and 0 < value <= 1):
        raise MCLPError(Message("coverage-share-range", share=repr(share)), parameter="share")
    return value


def fewest_posts(
    model: CoverageModel,
    share: float,
    minutes: float = DEFAULT_MINUTES,
    *,
    weight: str = "population",
    incidents: Any = None,
    candidates: Iterable[Sequence[float]] | None = None,
    candidate_spacing_m: float = DEFAULT_CANDIDATE_SPACING_M,
    movable: Iterable[str] = (),
    disabled_posts: Iterable[str] = (),
    speed_scale: float = 1.0,
    profile: str = DEFAULT_PROFILE,
    time_limit: float = DEFAULT_TIME_LIMIT_S,
    method: str = "auto",
) -> Minimum:
    """Find the fewest new posts that bring ``share`` of the weight within ``minutes``.

    Parameters
    ----------
    model : CoverageModel
        The district, posts and roads.
    share : float
        Target share of the people (incidents, area) within the limit, in (0, 1].
    minutes : float
        Time limit, 1-15.
    weight : {"population", "incidents", "area"}
        What the share counts (population falls back to area without population figures).
    incidents : optional
        Incident points, needed for ``weight="incidents"``.
    candidates, candidate_spacing_m
        Candidate sites, as in :func:`gridmap.coverage.suggest.suggest_posts`.
    movable : iterable of str
        Existing posts that may move: they are taken out and their site is one more
        candidate; they must stand somewhere, so at least ``len(movable)`` sites are chosen
        and only the sites beyond them count as new posts.
    disabled_posts : iterable of str
        Post ids out of service.
    speed_scale, profile
        Factor on e-bike speeds; time-of-day profile.
    time_limit : float
        Seconds allowed to HiGHS.
    method : {"auto", "milp", "greedy"}
        Solver (see :func:`gridmap.coverage.lscp.solve_lscp`).

    Returns
    -------
    Minimum
        When the target is out of reach, ``solution.feasible`` is False, ``max_share`` is the
        most any choice of candidate sites reaches and ``unreached`` lists the villages with
        the most weight that no site reaches in time.
    """
    start = time.perf_counter()
    share = check_share(share)
    minutes = check_minutes(minutes)
    speed_scale = check_speed_scale(speed_scale)
    profile = check_profile(profile)
    weight, cell_w = cell_weights(model, weight, incidents)
    movable = check_ids(model, movable, "movable")
    disabled = check_ids(model, disabled_posts, "disabled_posts")
    sites = sites_with_movable(model, candidates, candidate_spacing_m, movable)
    off = sorted(set(disabled) | set(movable))
    before = model.coverage(minutes, speed_scale, disabled_posts=disabled, profile=profile)
    base = model.coverage(minutes, speed_scale, disabled_posts=off, profile=profile)
    total = float(cell_w.sum())
    base_w = float(cell_w[base.covered].sum())
    required = max(0.0, share * total - base_w)
    limit = minutes * 60.0

    demand = np.nonzero(~base.covered & (cell_w > 0))[0]
    d_xy = model.raster.centres[demand]
    keep = useful_sites(
        model, sites, d_xy, reach_m(model, speed_scale, limit, profile), len(movable)
    )
    sites = sites.take(keep)
    cover = (
        site_seconds(
            model, speed_scale, limit, d_xy, demand, sites.xy, sites.node, sites.off, profile
        )
        > 0
    )
    w = cell_w[demand]
    # Movable posts must stand somewhere: their own sites are always columns (kept above).
    sol = solve_lscp(
        cover, w, required, min_sites=len(movable), time_limit=time_limit, method=method
    )
    share_of = (lambda x: x / total) if total > 0 else (lambda x: None)  # noqa: E731
    unreached = []
    if not sol.feasible:
        lost = np.diff(cover.tocsr().indptr) == 0
        unreached = _unreached_places(model, demand[lost], w[lost])
    if sol.feasible and sol.count:
        order, adds = _order_by_gain(cover.tocsc().astype(np.float64), w, list(sol.sites))
        chosen_xy = sites.xy[order]
        rows = site_rows(model, chosen_xy, [sites.labels[j] for j in order], adds)
        after = model.coverage(
            minutes,
            speed_scale,
            extra_posts=[tuple(p) for p in to_lonlat(model, chosen_xy)],
            disabled_posts=off,
            profile=profile,
        )
    else:
        rows, after = [], before
    incidents_arg = incidents if weight == "incidents" else None
    after_w = float(cell_w[after.covered].sum())
    return Minimum(
        share=share,
        minutes=minutes,
        weight=weight,
        movable=movable,
        solution=sol,
        sites=rows,
        share_before=share_of(float(cell_w[before.covered].sum())),
        share_after=share_of(after_w) if sol.feasible else None,
        max_share=share_of(base_w + sol.reachable),
        unreached=unreached,
        kpis_before=before.kpis(incidents_arg),
        kpis_after=after.kpis(incidents_arg),
        candidates=len(sites),
        seconds=time.perf_counter() - start,
    )


def _unreached_places(model: CoverageModel, cells: np.ndarray, w: np.ndarray) -> list[dict]:
    """Return the villages (with their township) holding the most weight no site reaches."""
    if not len(cells):
        return []
    xy = model.raster.centres[cells]
    leaf = model.index.leaf_of_points(xy)
    inside = leaf >= 0
    leaves, first, inv = np.unique(leaf[inside], return_index=True, return_inverse=True)
    per_leaf = np.bincount(inv, weights=w[inside], minlength=len(leaves))
    places = places_of(model.index, xy[inside][first])
    totals: dict[str, dict] = {}
    for place, value in zip(places, per_leaf, strict=True):
        key = place["village_id"] or place["township_id"] or ""
        entry = totals.setdefault(key, {**place, "weight": 0.0})
        entry["weight"] += float(value)
    rows = sorted(totals.values(), key=lambda r: -r["weight"])[:MAX_UNREACHED]
    for r in rows:
        r["weight"] = round(r["weight"], 3)
    return rows
