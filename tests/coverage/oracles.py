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
