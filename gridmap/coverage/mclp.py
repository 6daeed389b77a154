"""The maximal covering location problem on a cover matrix: exact MILP (HiGHS) and greedy."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csc_matrix, csr_matrix, hstack, identity
from scipy.sparse import vstack as sparse_vstack

from gridmap.errors import MCLPError

#: Default time limit of the exact MILP solve, seconds (greedy is used if nothing better is found).
DEFAULT_TIME_LIMIT_S: float = 10.0


@dataclass(frozen=True)
class MCLPSolution:
    """Chosen candidate columns and what each adds.

    Attributes
    ----------
    sites : ndarray of int
        Chosen candidate columns, in the order of their marginal gain (largest first).
    adds : ndarray of float
        Weight each site adds on top of the sites before it (sums to ``objective``).
    objective : float
        Weight covered by the chosen sites.
    method : str
        ``"milp"`` (HiGHS branch and bound) or ``"greedy"``.
    status : str
        ``"optimal"``, ``"time limit"`` (best found, may not be optimal), or the reason greedy
        was used.
    greedy_objective : float
        Objective of the greedy heuristic, the comparison and the lower bound given to the MILP.
    milp_objective : float or None
        Objective of the MILP solution, if any.
    mip_gap : float or None
        Relative gap reported by HiGHS (0 when proven optimal).
    seconds : float
        Wall time of the solve.
    """

    sites: np.ndarray
    adds: np.ndarray
    objective: float
    method: str
    status: str
    greedy_objective: float
    milp_objective: float | None = None
    mip_gap: float | None = None
    seconds: float = 0.0
    sizes: dict = field(default_factory=dict)


def check_problem(cover: Any, weights: Any, k: Any) -> tuple[csc_matrix, np.ndarray, int]:
    """Return the cover matrix (float CSC), the weights and ``k``, or raise naming what is bad."""
    a = csc_matrix(cover, dtype=bool).astype(np.float64)
    w = np.asarray(weights, dtype=float).ravel()
    if a.shape[0] != len(w):
        raise MCLPError(
            f"cover has {a.shape[0]} demand rows but weights has {len(w)} values", parameter="cover"
        )
    if not np.all(np.isfinite(w)) or (w < 0).any():
        raise MCLPError("weights must be finite and >= 0", parameter="weights")
    if isinstance(k, bool) or not isinstance(k, int | np.integer):
        raise MCLPError(f"k must be an integer, got {k!r}", parameter="k")
    k = int(k)
    if k < 1:
        raise MCLPError(f"k must be at least 1, got {k}", parameter="k")
    if k > a.shape[1]:
        raise MCLPError(f"k = {k} is more than the {a.shape[1]} candidate sites", parameter="k")
    return a, w, k


def greedy_mclp(cover: Any, weights: Any, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Pick ``k`` columns one at a time, each covering the most weight not yet covered.

    Parameters
    ----------
    cover : sparse or dense (n_demand, n_candidates)
        True where the candidate covers the demand point.
    weights : array (n_demand,)
        Weight of each demand point (>= 0).
    k : int
        Number of sites.

    Returns
    -------
    sites, adds : ndarray
        Chosen columns in pick order and the weight each added.
    """
    a, w, k = check_problem(cover, weights, k)
    at = a.T.tocsr()
    left = w.copy()
    sites, adds = [], []
    chosen = np.zeros(a.shape[1], dtype=bool)
    for _ in range(k):
        gain = at @ left
        gain[chosen] = -1.0
        j = int(np.argmax(gain))
        sites.append(j)
        adds.append(float(gain[j]))
        chosen[j] = True
        rows = a.indices[a.indptr[j] : a.indptr[j + 1]]
        left[rows] = 0.0
    return np.array(sites, dtype=np.int64), np.array(adds)


def _order_by_gain(
    a: csc_matrix, w: np.ndarray, sites: Sequence[int]
) -> tuple[np.ndarray, np.ndarray]:
    """Order chosen sites by marginal gain (greedy among them) and give what each adds."""
    sites = list(sites)
    left = w.copy()
    order, adds = [], []
    while sites:
        gains = [left[a.indices[a.indptr[j] : a.indptr[j + 1]]].sum() for j in sites]
        best = int(np.argmax(gains))
        j = sites.pop(best)
        order.append(j)
        adds.append(float(gains[best]))
        left[a.indices[a.indptr[j] : a.indptr[j + 1]]] = 0.0
    return np.array(order, dtype=np.int64), np.array(adds)


def _reduce_rows(a: csc_matrix, w: np.ndarray) -> tuple[csr_matrix, np.ndarray]:
    """Drop weightless or uncoverable rows and merge rows covered by the same set of sites."""
    r = a.tocsr()
    r.sort_indices()
    n_cov = np.diff(r.indptr)
    keep = (w > 0) & (n_cov > 0)
    r = r[keep]
    w = w[keep]
    keys: dict[bytes, int] = {}
    group = np.empty(r.shape[0], dtype=np.int64)
    for i in range(r.shape[0]):
        key = r.indices[r.indptr[i] : r.indptr[i + 1]].tobytes()
        group[i] = keys.setdefault(key, len(keys))
    first = np.full(len(keys), -1, dtype=np.int64)
    first[group[::-1]] = np.arange(r.shape[0])[::-1]
    return r[first], np.bincount(group, weights=w, minlength=len(keys))


def solve_mclp(
    cover: Any,
    weights: Any,
    k: int,
    *,
    time_limit: float = DEFAULT_TIME_LIMIT_S,
    method: str = "auto",
) -> MCLPSolution:
    """Choose ``k`` candidate sites covering the most demand weight (the array core).

    Exact MILP (``scipy.optimize.milp``, HiGHS) with a time limit: maximise ``sum w_i y_i``
    subject to ``y_i <= sum_j a_ij x_j``, ``sum_j x_j = k``, ``x`` binary, ``0 <= y <= 1``.
    Rows covered by the same set of sites are merged first. The greedy solution bounds the
    objective from below and is used when HiGHS finds nothing better (or ``method="greedy"``).

    Parameters
    ----------
    cover : sparse or dense (n_demand, n_candidates)
        True where the candidate covers the demand point.
    weights : array (n_demand,)
        Weight of each demand point (people, incidents), >= 0.
    k : int
        Number of sites to choose (1 <= k <= n_candidates).
    time_limit : float
        Seconds allowed to HiGHS.
    method : {"auto", "milp", "greedy"}
        ``"auto"`` and ``"milp"`` solve the MILP; ``"greedy"`` skips it.

    Returns
    -------
    MCLPSolution
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
    a, w, k = check_problem(cover, weights, k)
    g_sites, g_adds = greedy_mclp(a, w, k)
    g_obj = float(g_adds.sum())
    sizes = {"demand": a.shape[0], "candidates": a.shape[1]}
    if method == "greedy":
        return MCLPSolution(
            g_sites,
            g_adds,
            g_obj,
            "greedy",
            "greedy requested",
            g_obj,
            seconds=time.perf_counter() - start,
            sizes=sizes,
        )
    r, rw = _reduce_rows(a, w)
    n_d, n_c = r.shape
    sizes["demand_merged"] = n_d
    if n_d == 0:
        return MCLPSolution(
            g_sites,
            g_adds,
            g_obj,
            "greedy",
            "nothing left to cover",
            g_obj,
            milp_objective=0.0,
            mip_gap=0.0,
            seconds=time.perf_counter() - start,
            sizes=sizes,
        )
    # Variables: x (n_c binary), then y (n_d continuous in [0, 1]).
    c = np.concatenate([np.zeros(n_c), -rw])
    link = hstack([-r, identity(n_d, format="csr")], format="csr")  # y_i - sum a_ij x_j <= 0
    count = csr_matrix(np.concatenate([np.ones(n_c), np.zeros(n_d)])[None, :])
    bound = csr_matrix(np.concatenate([np.zeros(n_c), rw])[None, :])
    # The greedy objective is a valid lower bound: it lets HiGHS prune from the start.
    lower = g_obj * (1 - 1e-9) - 1e-9
    constraints = LinearConstraint(
        sparse_vstack([link, count, bound], format="csr"),
        np.concatenate([np.full(n_d, -np.inf), [k, lower]]),
        np.concatenate([np.zeros(n_d), [k, np.inf]]),
    )
    integrality = np.concatenate([np.ones(n_c), np.zeros(n_d)])
    res = milp(
        c,
        integrality=integrality,
        bounds=Bounds(0, 1),
        constraints=constraints,
        options={"time_limit": float(time_limit), "disp": False, "mip_rel_gap": 1e-9},
    )
    seconds = time.perf_counter() - start
    if res.x is None:
        reason = "MILP found no solution within the time limit" if res.status == 1 else res.message
        return MCLPSolution(
            g_sites,
            g_adds,
            g_obj,
            "greedy",
            f"greedy ({reason})",
            g_obj,
            seconds=seconds,
            sizes=sizes,
        )
    x = res.x[:n_c] > 0.5
    sites = np.nonzero(x)[0]
    # Score on the original rows, so the objective is exact whatever HiGHS's tolerances.
    covered = (a[:, sites] @ np.ones(len(sites))) > 0
    m_obj = float(w[covered].sum())
    gap = float(res.mip_gap) if getattr(res, "mip_gap", None) is not None else None
    status = "optimal" if res.status == 0 else "time limit"
    if m_obj + 1e-9 * max(1.0, abs(g_obj)) < g_obj or len(sites) != k:
        return MCLPSolution(
            g_sites,
            g_adds,
            g_obj,
            "greedy",
            f"greedy (MILP {status} was not better)",
            g_obj,
            milp_objective=m_obj,
            mip_gap=gap,
            seconds=seconds,
            sizes=sizes,
        )
    order, adds = _order_by_gain(a, w, sites)
    return MCLPSolution(
        order,
        adds,
        float(adds.sum()),
        "milp",
        status,
        g_obj,
        milp_objective=m_obj,
        mip_gap=gap,
        seconds=seconds,
        sizes=sizes,
    )
