"""Test oracles of the coverage tests: answers found the slow, obvious way."""

from __future__ import annotations

import itertools
from typing import Any

from gridmap.coverage.mclp import check_problem


def brute_force_mclp(cover: Any, weights: Any, k: int) -> tuple[float, tuple[int, ...]]:
    """Best objective and sites by trying every set of ``k`` candidates (tiny problems only)."""
    a, w, k = check_problem(cover, weights, k)
    dense = a.toarray() > 0
    best, best_sites = -1.0, ()
    for combo in itertools.combinations(range(a.shape[1]), k):
        value = float(w[dense[:, combo].any(axis=1)].sum())
        if value > best:
            best, best_sites = value, combo
    return best, best_sites


def brute_force_lscp(cover: Any, weights: Any, required: float, min_sites: int = 0) -> int | None:
    """Fewest columns covering at least ``required`` by trying every set, smallest first."""
    import numpy as np

    dense = np.asarray(cover, dtype=bool)
    w = np.asarray(weights, dtype=float)
    for k in range(min_sites, dense.shape[1] + 1):
        for combo in itertools.combinations(range(dense.shape[1]), k):
            if float(w[dense[:, combo].any(axis=1)].sum()) >= required - 1e-9:
                return k
    return None


def brute_force_pmedian(
    seconds: Any, base: Any, weights: Any, k: int
) -> tuple[float, tuple[int, ...]]:
    """Least ``sum w_i min(base_i, min_j in S seconds_ij)`` over every set S of ``k`` columns."""
    import numpy as np

    t = np.asarray(seconds, dtype=float)
    b = np.asarray(base, dtype=float)
    w = np.asarray(weights, dtype=float)
    best, best_sites = np.inf, ()
    for combo in itertools.combinations(range(t.shape[1]), k):
        value = float((w * np.minimum(b, t[:, combo].min(axis=1))).sum())
        if value < best - 1e-9:
            best, best_sites = value, combo
    return best, best_sites
