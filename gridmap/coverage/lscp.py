"""Fewest sites that reach a target weight (set covering, LSCP): exact MILP (HiGHS) and greedy.

The partial set-covering form: choose the fewest candidate columns such that the weight of the
demand rows they cover is at least ``required``. With ``required`` the whole coverable weight it
is the classic LSCP (Toregas et al., 1971); below it, Church and ReVelle's covering with a target.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csc_matrix, csr_matrix, hstack, identity
from scipy.sparse import vstack as sparse_vstack

from gridmap.coverage.mclp import DEFAULT_TIME_LIMIT_S, _reduce_rows, solve_mclp
from gridmap.errors import MCLPError


@dataclass(frozen=True)
class LSCPSolution:
    """The fewest sites found, and how sure the answer is.

    Attributes
    ----------
    sites : ndarray of int
        Chosen candidate columns (unordered).
    count : int
        ``len(sites)``.
    covered : float
        Weight the chosen sites cover.
    required : float
        The weight asked for.
    feasible : bool
        Whether any choice reaches ``required`` (every candidate open is the most).
    reachable : float
        The weight covered with every candidate open (the most any choice covers).
    method : str
        ``"milp"``, ``"greedy"`` or ``"none"`` (nothing to choose).
    status : str
        ``"optimal"`` (the count is proven least), ``"time limit"`` (the best found),
        ``"unreachable"``, or why greedy was used.
    lower_bound : int
        A proven lower bound on the least count (``count`` when optimal).
    greedy_count : int or None
        Sites the greedy heuristic needs (the upper bound given to the MILP).
    seconds : float
        Wall time of the solve.
    """

    sites: np.ndarray
    count: int
    covered: float
    required: float
    feasible: bool
    reachable: float
    method: str
    status: str
    lower_bound: int
    greedy_count: int | None = None
    seconds: float = 0.0
    sizes: dict = field(default_factory=dict)

    @property
    def gap(self) -> float | None:
        """Relative proof gap ``(count - lower_bound) / count`` (0 when optimal; None if none)."""
        if not self.feasible:
            return None
        if self.count == 0:
            return 0.0
        return (self.count - self.lower_bound) / self.count


def check_lscp(cover: Any, weights: Any, required: Any) -> tuple[csc_matrix, np.ndarray, float]:
    """Return the cover matrix (float CSC), the weights and ``required``, or raise naming it."""
    a = csc_matrix(cover, dtype=bool).astype(np.float64)
    w = np.asarray(weights, dtype=float).ravel()
    if a.shape[0] != len(w):
        raise MCLPError(
            f"cover has {a.shape[0]} demand rows but weights has {len(w)} values", parameter="cover"
        )
    if not np.all(np.isfinite(w)) or (w < 0).any():
        raise MCLPError("weights must be finite and >= 0", parameter="weights")
    try:
        req = float(required)
    except (TypeError, ValueError):
        raise MCLPError(
            f"required must be a number, got {required!r}", parameter="required"
        ) from None
    if not math.isfinite(req) or req < 0:
        raise MCLPError(f"required must be a number >= 0, got {required!r}", parameter="required")
    return a, w, req


def _tol(required: float) -> float:
    return 1e-9 * max(1.0, required)


def greedy_lscp(cover: Any, weights: Any, required: float) -> np.ndarray | None:
    """Add the column covering the most uncovered weight until ``required`` is met.

    Returns the columns in pick order, or None when every column together falls short.
    """
    a, w, required = check_lscp(cover, weights, required)
    if required <= _tol(required):
        return np.zeros(0, dtype=np.int64)
    at = a.T.tocsr()
    left = w.copy()
    got, sites = 0.0, []
    chosen = np.zeros(a.shape[1], dtype=bool)
    while got < required - _tol(required):
        gain = at @ left
        gain[chosen] = -1.0
        j = int(np.argmax(gain)) if len(gain) else -1
        if j < 0 or gain[j] <= 0:
            return None
        sites.append(j)
        chosen[j] = True
        got += float(gain[j])
        left[a.indices[a.indptr[j] : a.indptr[j + 1]]] = 0.0
    return np.array(sites, dtype=np.int64)


def _covered(a: csc_matrix, w: np.ndarray, sites: np.ndarray) -> float:
    if len(sites) == 0:
        return 0.0
    return float(w[(a[:, sites] @ np.ones(len(sites))) > 0].sum())


def solve_lscp(
    cover: Any,
    weights: Any,
    required: float,
    *,
    min_sites: int = 0,
    time_limit: float = DEFAULT_TIME_LIMIT_S,
    method: str = "auto",
) -> LSCPSolution:
    """Choose the fewest candidate sites covering at least ``required`` weight (the array core).

    Exact MILP (``scipy.optimize.milp``, HiGHS) with a time limit: minimise ``sum_j x_j``
    subject to ``y_i <= sum_j a_ij x_j``, ``sum_i w_i y_i >= required``, ``sum_j x_j >=
    min_sites``, ``x`` binary, ``0 <= y <= 1``. Rows covered by the same set of sites are
    merged first; the greedy count bounds the MILP from above and is the answer when HiGHS
    finds nothing in time. Among the least counts, the sites covering the most are returned
    (a maximal covering solve with that count).

    Parameters
    ----------
    cover : sparse or dense (n_demand, n_candidates)
        True where the candidate covers the demand row.
    weights : array (n_demand,)
        Weight of each demand row (>= 0).
    required : float
        Weight to cover (>= 0).
    min_sites : int
        At least this many sites (posts that may move must stand somewhere).
    time_limit : float
        Seconds allowed to HiGHS (each of the two solves).
    method : {"auto", "milp", "greedy"}
        ``"greedy"`` skips the MILP.

    Returns
    -------
    LSCPSolution
        ``feasible`` False (and ``reachable`` the most coverable) when no choice reaches it.
    """
    if method not in ("auto", "milp", "greedy"):
        raise MCLPError(
            f"method must be 'auto', 'milp' or 'greedy', got {method!r}", parameter="method"
        )
    if not (isinstance(time_limit, int | float) and time_limit > 0):
        raise MCLPError(
            f"time_limit must be > 0 seconds, got {time_limit!r}", parameter="time_limit"
        )
    start = time.perf_counter()
    a, w, required = check_lscp(cover, weights, required)
    n_c = a.shape[1]
    if not 0 <= min_sites <= n_c:
        raise MCLPError(f"min_sites must be 0-{n_c}, got {min_sites!r}", parameter="min_sites")
    sizes = {"demand": a.shape[0], "candidates": n_c}
    reachable = float(w[np.diff(a.tocsr().indptr) > 0].sum())
    if required > reachable + _tol(required):
        return LSCPSolution(
            np.zeros(0, dtype=np.int64), 0, 0.0, required, False, reachable, "none",
            "unreachable", 0, None, time.perf_counter() - start, sizes,
        )  # fmt: skip
    g_sites = greedy_lscp(a, w, required)
    if len(g_sites) < min_sites:
        g_sites = _pad(a, w, g_sites, min_sites)
    g_count = len(g_sites)
    if g_count <= min_sites or method == "greedy":
        proven = g_count <= min_sites
        return LSCPSolution(
            g_sites, g_count, _covered(a, w, g_sites), required, True, reachable,
            "greedy", "optimal" if proven else "greedy requested",
            g_count if proven else min_sites, g_count, time.perf_counter() - start, sizes,
        )  # fmt: skip
    r, rw = _reduce_rows(a, w)
    n_d = r.shape[0]
    sizes["demand_merged"] = n_d
    # No k sites cover more than their k largest columns: a cheap bound if HiGHS gives none.
    single = np.sort(a.T @ w)[::-1]
    cheap = max(min_sites, int(np.searchsorted(np.cumsum(single), required - _tol(required))) + 1)
    # The weights are scaled to a total of 1: HiGHS's tolerances are relative.
    scale = float(rw.sum()) or 1.0
    rw = rw / scale
    # Variables: x (n_c binary), then y (n_d continuous in [0, 1]).
    c = np.concatenate([np.ones(n_c), np.zeros(n_d)])
    link = hstack([-r, identity(n_d, format="csr")], format="csr")  # y_i - sum a_ij x_j <= 0
    count = csr_matrix(np.concatenate([np.ones(n_c), np.zeros(n_d)])[None, :])
    reach = csr_matrix(np.concatenate([np.zeros(n_c), rw])[None, :])
    need = (required - _tol(required)) / scale
    constraints = LinearConstraint(
        sparse_vstack([link, count, reach], format="csr"),
        np.concatenate([np.full(n_d, -np.inf), [min_sites, need]]),
        np.concatenate([np.zeros(n_d), [g_count, np.inf]]),
    )
    res = milp(
        c,
        integrality=np.concatenate([np.ones(n_c), np.zeros(n_d)]),
        bounds=Bounds(0, 1),
        constraints=constraints,
        options={"time_limit": float(time_limit), "disp": False},
    )
    bound = getattr(res, "mip_dual_bound", None)
    lower = min(cheap, g_count)
    if bound is not None and np.isfinite(bound):
        lower = max(lower, math.ceil(bound - 1e-6))
    if res.x is None:
        why = "MILP found no solution within the time limit" if res.status == 1 else res.message
        return LSCPSolution(
            g_sites, g_count, _covered(a, w, g_sites), required, True, reachable, "greedy",
            f"greedy ({why})", min(lower, g_count), g_count, time.perf_counter() - start, sizes,
        )  # fmt: skip
    sites = np.nonzero(res.x[:n_c] > 0.5)[0]
    optimal = res.status == 0
    # Score on the original rows; HiGHS's tolerances must not let a short answer through.
    if _covered(a, w, sites) < required - _tol(required) or len(sites) > g_count:
        sites = g_sites
    k = len(sites)
    if optimal:
        lower = k
        # The least count is proven; among its choices, take the one covering the most.
        best = _most_with(a, w, k, time_limit)
        if best is not None and _covered(a, w, best) >= _covered(a, w, sites):
            sites = best
    return LSCPSolution(
        np.sort(sites), k, _covered(a, w, sites), required, True, reachable,
        "milp", "optimal" if optimal else "time limit", min(lower, k), g_count,
        time.perf_counter() - start, sizes,
    )  # fmt: skip


def _pad(a: csc_matrix, w: np.ndarray, sites: np.ndarray, n: int) -> np.ndarray:
    """Add the best remaining columns (greedy) until there are ``n``."""
    chosen = list(sites)
    left = w.copy()
    for j in chosen:
        left[a.indices[a.indptr[j] : a.indptr[j + 1]]] = 0.0
    at = a.T.tocsr()
    while len(chosen) < n:
        gain = at @ left
        gain[chosen] = -1.0
        j = int(np.argmax(gain))
        chosen.append(j)
        left[a.indices[a.indptr[j] : a.indptr[j + 1]]] = 0.0
    return np.array(chosen, dtype=np.int64)


def _most_with(a: csc_matrix, w: np.ndarray, k: int, time_limit: float) -> np.ndarray | None:
    """Return ``k`` columns covering the most weight (the maximal covering solve), or None."""
    if k == 0 or k > a.shape[1]:
        return None
    sol = solve_mclp(a, w, k, time_limit=time_limit)
    return sol.sites if len(sol.sites) == k else None


__all__ = ["LSCPSolution", "check_lscp", "greedy_lscp", "solve_lscp"]
