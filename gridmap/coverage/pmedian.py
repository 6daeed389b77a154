"""The p-median with existing posts: K new sites minimising the weighted time to the nearest post.

Each demand row ``i`` already has a time ``base_i`` from the posts in service; a new site ``j``
helps it when its time ``t_ij`` is shorter. The weighted total to minimise is
``sum_i w_i min(base_i, min_{j in S} t_ij)`` over sets ``S`` of ``k`` sites (Hakimi's p-median,
with the existing posts as a free assignment). MILP (HiGHS), the strong formulation on the
pairs that help: maximise the saving ``sum_ij w_i (base_i - t_ij) z_ij`` subject to
``sum_j z_ij <= 1``, ``z_ij <= x_j``, ``sum_j x_j = k``; the greedy choice is the lower bound
given to the solver and the answer when it finds nothing better in time.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_matrix, csc_matrix, csr_matrix
from scipy.sparse import vstack as sparse_vstack

from gridmap.coverage.mclp import DEFAULT_TIME_LIMIT_S
from gridmap.errors import MCLPError


@dataclass(frozen=True)
class PMedianSolution:
    """Chosen sites, the weighted total time before and after, and the proof gap.

    Attributes
    ----------
    sites : ndarray of int
        Chosen columns, in the order of their marginal saving (largest first).
    saves : ndarray of float
        Weighted seconds each site saves on top of those before it.
    total_before, total_after : float
        ``sum_i w_i min(base_i, ...)`` without and with the sites.
    bound : float
        A proven lower bound on ``total_after`` over every choice of ``k`` sites.
    method, status : str
        ``"milp"`` / ``"greedy"``; ``"optimal"``, ``"time limit"`` or why greedy was used.
    greedy_total : float
        ``total_after`` of the greedy choice.
    """

    sites: np.ndarray
    saves: np.ndarray
    total_before: float
    total_after: float
    bound: float
    method: str
    status: str
    greedy_total: float
    seconds: float = 0.0
    sizes: dict = field(default_factory=dict)

    @property
    def gap(self) -> float:
        """Relative proof gap ``(total_after - bound) / total_after`` (0 when optimal)."""
        if self.total_after <= 0:
            return 0.0
        return max(0.0, (self.total_after - self.bound) / self.total_after)


def _pairs(seconds: Any, base: Any, weights: Any, k: Any):
    t = csc_matrix(seconds, dtype=float)
    b = np.asarray(base, dtype=float).ravel()
    w = np.asarray(weights, dtype=float).ravel()
    if not (t.shape[0] == len(b) == len(w)):
        raise MCLPError(
            f"seconds has {t.shape[0]} rows, base {len(b)} and weights {len(w)}",
            parameter="seconds",
        )
    if not np.all(np.isfinite(w)) or (w < 0).any():
        raise MCLPError("weights must be finite and >= 0", parameter="weights")
    if np.isnan(b).any() or (b < 0).any() or np.isinf(b).any():
        raise MCLPError("base must hold finite seconds >= 0 (cap the unreached)", parameter="base")
    if isinstance(k, bool) or not isinstance(k, int | np.integer) or not 1 <= k <= t.shape[1]:
        raise MCLPError(f"k must be an integer from 1 to {t.shape[1]}, got {k!r}", parameter="k")
    coo = t.tocoo()
    # Only pairs that help: a stored time below the row's base (absent pairs never help).
    save = (b[coo.row] - coo.data) * w[coo.row]
    ok = save > 0
    return coo.row[ok], coo.col[ok], save[ok], b, w, t.shape


def _saving(rows, cols, save, n_rows, sites) -> tuple[float, np.ndarray]:
    """Total saving of ``sites`` and the best saving of each row."""
    best = np.zeros(n_rows)
    pick = np.isin(cols, sites)
    np.maximum.at(best, rows[pick], save[pick])
    return float(best.sum()), best


def greedy_pmedian(rows, cols, save, n_rows: int, n_cols: int, k: int) -> np.ndarray:
    """Add, ``k`` times, the site saving the most on top of those chosen."""
    best = np.zeros(n_rows)
    chosen: list[int] = []
    for _ in range(k):
        gain = np.bincount(cols, weights=np.maximum(save - best[rows], 0.0), minlength=n_cols)
        gain[chosen] = -1.0
        j = int(np.argmax(gain))
        chosen.append(j)
        pick = cols == j
        np.maximum.at(best, rows[pick], save[pick])
    return np.array(chosen, dtype=np.int64)


def _order(rows, cols, save, n_rows, sites) -> tuple[np.ndarray, np.ndarray]:
    left, out, adds = list(sites), [], []
    best = np.zeros(n_rows)
    while left:
        gains = []
        for j in left:
            pick = cols == j
            gains.append(float(np.maximum(save[pick] - best[rows[pick]], 0).sum()))
        i = int(np.argmax(gains))
        j = left.pop(i)
        out.append(j)
        adds.append(gains[i])
        pick = cols == j
        np.maximum.at(best, rows[pick], save[pick])
    return np.array(out, dtype=np.int64), np.array(adds)


def solve_pmedian(
    seconds: Any,
    base: Any,
    weights: Any,
    k: int,
    *,
    time_limit: float = DEFAULT_TIME_LIMIT_S,
    method: str = "auto",
) -> PMedianSolution:
    """Choose ``k`` sites minimising ``sum_i w_i min(base_i, min_j t_ij)`` (the array core).

    Parameters
    ----------
    seconds : sparse or dense (n_demand, n_candidates)
        Seconds from each candidate to each demand row; absent (sparse zeros) means "no
        better than the base", so store a time of 0 as a tiny positive number.
    base : array (n_demand,)
        Seconds from the existing posts (finite: cap rows no post reaches).
    weights : array (n_demand,)
        Weight of each row (people), >= 0.
    k : int
        Number of new sites.
    time_limit : float
        Seconds allowed to HiGHS.
    method : {"auto", "milp", "greedy"}
        ``"greedy"`` skips the MILP; the bound is then the weaker ``total_before`` minus the
        ``k`` largest single-site savings (no set saves more than its sites one by one).

    Returns
    -------
    PMedianSolution
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
    rows, cols, save, b, w, (n_d, n_c) = _pairs(seconds, base, weights, k)
    before = float((w * b).sum())
    g_sites = greedy_pmedian(rows, cols, save, n_d, n_c, k)
    g_save, _ = _saving(rows, cols, save, n_d, g_sites)
    sizes = {"demand": n_d, "candidates": n_c, "pairs": len(rows)}

    def answer(sites, total_save, bound, how, status):
        order, adds = _order(rows, cols, save, n_d, sites)
        return PMedianSolution(
            order, adds, before, before - total_save, bound, how, status, before - g_save,
            time.perf_counter() - start, sizes,
        )  # fmt: skip

    single = np.sort(np.bincount(cols, weights=save, minlength=n_c))[::-1]
    weak = before - float(single[:k].sum())
    if method == "greedy" or len(rows) == 0:
        status = "greedy requested" if method == "greedy" else "no site saves any time"
        return answer(g_sites, g_save, max(0.0, weak), "greedy", status)
    # Variables: x (n_c binary), then z (one per helping pair, continuous in [0, 1]). Rows no
    # site helps drop out; the objective is scaled to 1 at most (HiGHS's tolerances are
    # relative). A floor at the greedy saving, as the MCLP has, kept HiGHS from finding any
    # solution in time here: the greedy answer is compared afterwards instead.
    n_p = len(rows)
    scale = float(save.max())
    _, prow = np.unique(rows, return_inverse=True)
    n_r = int(prow.max()) + 1
    c = np.concatenate([np.zeros(n_c), -save / scale])
    assign = csr_matrix((np.ones(n_p), (prow, n_c + np.arange(n_p))), shape=(n_r, n_c + n_p))
    link = coo_matrix(
        (np.concatenate([np.ones(n_p), -np.ones(n_p)]),
         (np.concatenate([np.arange(n_p)] * 2), np.concatenate([n_c + np.arange(n_p), cols]))),
        shape=(n_p, n_c + n_p),
    ).tocsr()  # fmt: skip
    count = csr_matrix(np.concatenate([np.ones(n_c), np.zeros(n_p)])[None, :])
    constraints = LinearConstraint(
        sparse_vstack([assign, link, count], format="csr"),
        np.concatenate([np.full(n_r, -np.inf), np.full(n_p, -np.inf), [k]]),
        np.concatenate([np.ones(n_r), np.zeros(n_p), [k]]),
    )
    res = milp(
        c,
        integrality=np.concatenate([np.ones(n_c), np.zeros(n_p)]),
        bounds=Bounds(0, 1),
        constraints=constraints,
        options={"time_limit": float(time_limit), "disp": False, "mip_rel_gap": 1e-7},
    )
    dual = getattr(res, "mip_dual_bound", None)
    # HiGHS minimises -saving: its dual bound is minus the most any choice can save.
    bound = weak
    if dual is not None and math.isfinite(dual):
        bound = max(weak, before + dual * scale)
    bound = max(0.0, bound)
    if res.x is None:
        why = "MILP found no solution within the time limit" if res.status == 1 else res.message
        return answer(g_sites, g_save, bound, "greedy", f"greedy ({why})")
    sites = np.nonzero(res.x[:n_c] > 0.5)[0]
    m_save, _ = _saving(rows, cols, save, n_d, sites)
    status = "optimal" if res.status == 0 else "time limit"
    if len(sites) != k or m_save < g_save:
        why = f"greedy (MILP {status} was not better)"
        return answer(g_sites, g_save, min(bound, before - g_save), "greedy", why)
    return answer(sites, m_save, min(bound, before - m_save), "milp", status)
