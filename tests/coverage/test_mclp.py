"""Maximal covering on a cover matrix: MILP against brute force, greedy, bad problems."""

from __future__ import annotations

import numpy as np
import pytest

from gridmap.coverage.mclp import greedy_mclp, solve_mclp
from gridmap.errors import MCLPError
from tests.coverage.oracles import brute_force_mclp


@pytest.mark.parametrize("seed", range(10))
def test_milp_matches_brute_force(seed):
    rng = np.random.default_rng(seed)
    n_demand, n_sites = int(rng.integers(5, 40)), int(rng.integers(3, 11))
    k = int(rng.integers(1, min(4, n_sites) + 1))
    cover = rng.random((n_demand, n_sites)) < 0.25
    weights = rng.integers(0, 20, n_demand).astype(float)
    best, _ = brute_force_mclp(cover, weights, k)
    sol = solve_mclp(cover, weights, k)
    assert sol.method == "milp" and sol.status == "optimal"
    assert sol.objective == pytest.approx(best)
    assert len(sol.sites) == len(set(sol.sites)) == k
    # What each site adds sums to what the set covers, largest first.
    covered = cover[:, sol.sites].any(axis=1)
    assert sol.adds.sum() == pytest.approx(weights[covered].sum())
    assert list(sol.adds) == sorted(sol.adds, reverse=True)
    assert sol.greedy_objective <= sol.objective + 1e-9


def greedy_trap():
    # Items 1-4 weigh 1 and item 5 weighs 0.5. Site 0 covers {2, 3, 5} (2.5), site 1 {1, 2},
    # site 2 {3, 4}. Greedy takes site 0 first and ends at 3.5; sites 1 + 2 cover 4.
    cover = np.zeros((5, 3), dtype=bool)
    cover[[1, 2, 4], 0] = True
    cover[[0, 1], 1] = True
    cover[[2, 3], 2] = True
    return cover, np.array([1, 1, 1, 1, 0.5])


def test_milp_beats_greedy_where_greedy_is_trapped():
    cover, weights = greedy_trap()
    sites, adds = greedy_mclp(cover, weights, 2)
    assert sites[0] == 0 and adds.sum() == pytest.approx(3.5)
    sol = solve_mclp(cover, weights, 2)
    assert sorted(sol.sites) == [1, 2]
    assert sol.objective == pytest.approx(4.0)
    assert sol.greedy_objective == pytest.approx(3.5)
    forced = solve_mclp(cover, weights, 2, method="greedy")
    assert forced.method == "greedy" and forced.objective == pytest.approx(3.5)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((np.ones((3, 2)), np.ones(3), 3), "k = 3 is more than the 2 candidate"),
        ((np.ones((3, 2)), np.ones(3), 0), "k must be at least 1"),
        ((np.ones((3, 2)), np.ones(3), 1.5), "k must be an integer"),
        ((np.ones((3, 2)), np.ones(4), 1), "3 demand rows but weights has 4"),
        ((np.ones((3, 2)), -np.ones(3), 1), "weights must be finite and >= 0"),
    ],
)
def test_bad_problems_are_refused(args, message):
    with pytest.raises(MCLPError, match=message):
        solve_mclp(*args)


def test_bad_solver_options_are_refused():
    cover, weights = greedy_trap()
    with pytest.raises(MCLPError, match="method must be"):
        solve_mclp(cover, weights, 1, method="annealing")
    with pytest.raises(MCLPError, match="time_limit must be"):
        solve_mclp(cover, weights, 1, time_limit=0)
