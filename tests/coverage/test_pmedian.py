"""The p-median with existing posts: MILP against brute force, greedy, the bound, bad input."""

from __future__ import annotations

import numpy as np
import pytest

from gridmap.coverage.pmedian import solve_pmedian
from gridmap.errors import MCLPError
from tests.coverage.oracles import brute_force_pmedian


def random_instance(seed: int):
    rng = np.random.default_rng(seed)
    n_demand, n_sites = int(rng.integers(5, 30)), int(rng.integers(3, 9))
    seconds = rng.uniform(10, 600, (n_demand, n_sites))
    seconds[rng.random((n_demand, n_sites)) < 0.3] = np.inf  # out of the site's reach
    base = rng.uniform(50, 900, n_demand)
    weights = rng.integers(0, 30, n_demand).astype(float)
    k = int(rng.integers(1, min(3, n_sites) + 1))
    return seconds, base, weights, k


def sparse_of(seconds):
    # The solver's input: absent pairs are "no better than the base".
    return np.where(np.isfinite(seconds), seconds, 0.0)


@pytest.mark.parametrize("seed", range(12))
def test_milp_matches_brute_force(seed):
    seconds, base, weights, k = random_instance(seed)
    best, _ = brute_force_pmedian(seconds, base, weights, k)
    sol = solve_pmedian(sparse_of(seconds), base, weights, k)
    assert sol.method in ("milp", "greedy") and sol.status in ("optimal", "no site saves any time")
    assert sol.total_after == pytest.approx(best, rel=1e-6)
    assert sol.total_before == pytest.approx(float((weights * base).sum()))
    assert sol.bound <= sol.total_after + 1e-6 and sol.gap == pytest.approx(0.0, abs=1e-6)
    assert len(set(sol.sites)) == k
    # What each site saves sums to the whole saving, largest first.
    assert sol.saves.sum() == pytest.approx(sol.total_before - sol.total_after, rel=1e-6)
    assert list(sol.saves) == sorted(sol.saves, reverse=True)
    assert sol.greedy_total >= sol.total_after - 1e-6


def greedy_trap():
    # Sites 1 and 2 each serve one half well; site 0 serves both halves a little better than
    # the base. Greedy with k = 2 takes site 0 first; the best pair is 1 + 2.
    seconds = np.array(
        [[300.0, 10.0, 0.0], [300.0, 10.0, 0.0], [300.0, 0.0, 10.0], [300.0, 0.0, 10.0]]
    )
    return seconds, np.full(4, 600.0), np.ones(4)


def test_milp_beats_greedy_and_greedy_reports_a_valid_bound():
    seconds, base, weights = greedy_trap()
    seconds[:, 0] = 200.0  # site 0 saves 400 a row: 1600 alone, the best single site
    sol = solve_pmedian(seconds, base, weights, 2)
    assert sorted(sol.sites) == [1, 2] and sol.status == "optimal"
    assert sol.total_after == pytest.approx(40.0)
    assert sol.greedy_total == pytest.approx(4 * 200 - 2 * 190)  # site 0, then 1 (or 2)
    forced = solve_pmedian(seconds, base, weights, 2, method="greedy")
    assert forced.method == "greedy" and forced.total_after == pytest.approx(sol.greedy_total)
    best, _ = brute_force_pmedian(np.where(seconds > 0, seconds, np.inf), base, weights, 2)
    assert forced.bound <= best + 1e-9 and forced.gap > 0


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        ((np.ones((3, 2)), np.ones(3), np.ones(4), 1), {}, "3 rows, base 3 and weights 4"),
        ((np.ones((3, 2)), np.ones(3), -np.ones(3), 1), {}, "weights must be finite"),
        ((np.ones((3, 2)), np.full(3, np.inf), np.ones(3), 1), {}, "base must hold finite"),
        ((np.ones((3, 2)), np.ones(3), np.ones(3), 3), {}, "k must be an integer from 1 to 2"),
        ((np.ones((3, 2)), np.ones(3), np.ones(3), 1), {"method": "x"}, "method must be"),
        ((np.ones((3, 2)), np.ones(3), np.ones(3), 1), {"time_limit": -1}, "time_limit"),
    ],
)
def test_bad_problems_are_refused(args, kwargs, message):
    with pytest.raises(MCLPError, match=message):
        solve_pmedian(*args, **kwargs)
