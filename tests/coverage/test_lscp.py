"""Fewest sites for a target (LSCP): MILP against brute force and the MCLP, greedy, bad input."""

from __future__ import annotations

import numpy as np
import pytest

from gridmap.coverage.lscp import greedy_lscp, solve_lscp
from gridmap.coverage.mclp import solve_mclp
from gridmap.errors import MCLPError
from tests.coverage.oracles import brute_force_lscp


def random_instance(seed: int):
    rng = np.random.default_rng(seed)
    n_demand, n_sites = int(rng.integers(6, 40)), int(rng.integers(3, 10))
    cover = rng.random((n_demand, n_sites)) < 0.3
    weights = rng.integers(0, 20, n_demand).astype(float)
    coverable = weights[cover.any(axis=1)].sum()
    required = float(rng.uniform(0.2, 1.0) * coverable)
    return cover, weights, required


@pytest.mark.parametrize("seed", range(12))
def test_milp_count_is_the_brute_force_least(seed):
    cover, weights, required = random_instance(seed)
    least = brute_force_lscp(cover, weights, required)
    sol = solve_lscp(cover, weights, required)
    assert sol.feasible and sol.status == "optimal"
    assert sol.count == least == len(sol.sites)
    assert sol.lower_bound == sol.count and sol.gap == 0.0
    assert weights[cover[:, sol.sites].any(axis=1)].sum() >= required - 1e-9
    assert sol.covered == pytest.approx(weights[cover[:, sol.sites].any(axis=1)].sum())
    assert sol.greedy_count >= sol.count


@pytest.mark.parametrize("seed", range(12))
def test_one_post_fewer_cannot_reach_the_target(seed):
    # When the LSCP proves K is the least, the best K - 1 sites (MCLP) fall short of the target.
    cover, weights, required = random_instance(seed)
    sol = solve_lscp(cover, weights, required)
    if sol.count >= 2:
        fewer = solve_mclp(cover, weights, sol.count - 1)
        assert fewer.status == "optimal"
        assert fewer.objective < required
    best = solve_mclp(cover, weights, sol.count) if sol.count else None
    if best is not None:
        assert best.objective >= required - 1e-9
        # Among the least counts, the answer covers the most.
        assert sol.covered == pytest.approx(best.objective)


def greedy_trap():
    # Items weigh 1, 1, 1, 1 and 0.5; site 0 covers {2, 3, 5}, site 1 {1, 2}, site 2 {3, 4}.
    # Covering all 4 unit items: greedy takes site 0 (2.5) and needs all three sites; 1 + 2 do.
    cover = np.zeros((5, 3), dtype=bool)
    cover[[1, 2, 4], 0] = True
    cover[[0, 1], 1] = True
    cover[[2, 3], 2] = True
    return cover, np.array([1, 1, 1, 1, 0.5])


def test_milp_needs_fewer_than_greedy_where_greedy_is_trapped():
    cover, weights = greedy_trap()
    assert len(greedy_lscp(cover, weights, 4.0)) == 3
    sol = solve_lscp(cover, weights, 4.0)
    assert sol.count == 2 and sorted(sol.sites) == [1, 2]
    assert sol.greedy_count == 3 and sol.method == "milp"
    forced = solve_lscp(cover, weights, 4.0, method="greedy")
    assert forced.count == 3 and forced.status == "greedy requested"
    assert forced.lower_bound == 0 and forced.gap == 1.0


def test_an_unreachable_target_gives_the_most_reachable():
    cover, weights = greedy_trap()
    cover[0, :] = False  # item 1 can no longer be reached by any site
    sol = solve_lscp(cover, weights, 4.0)
    assert not sol.feasible and sol.status == "unreachable"
    assert sol.reachable == pytest.approx(3.5)
    assert sol.gap is None and len(sol.sites) == 0


def test_nothing_required_needs_no_site_and_min_sites_holds():
    cover, weights = greedy_trap()
    none = solve_lscp(cover, weights, 0.0)
    assert none.count == 0 and none.status == "optimal" and none.gap == 0.0
    two = solve_lscp(cover, weights, 0.5, min_sites=2)
    assert two.count == 2 and two.status == "optimal"
    assert brute_force_lscp(cover, weights, 0.5, min_sites=2) == 2


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        ((np.ones((3, 2)), np.ones(4), 1), {}, "3 demand rows but weights has 4"),
        ((np.ones((3, 2)), -np.ones(3), 1), {}, "weights must be finite and >= 0"),
        ((np.ones((3, 2)), np.ones(3), -1), {}, "required must be a number >= 0"),
        ((np.ones((3, 2)), np.ones(3), "x"), {}, "required must be a number"),
        ((np.ones((3, 2)), np.ones(3), 1), {"min_sites": 3}, "min_sites must be 0-2"),
        ((np.ones((3, 2)), np.ones(3), 1), {"method": "annealing"}, "method must be"),
        ((np.ones((3, 2)), np.ones(3), 1), {"time_limit": 0}, "time_limit must be"),
    ],
)
def test_bad_problems_are_refused(args, kwargs, message):
    with pytest.raises(MCLPError, match=message):
        solve_lscp(*args, **kwargs)
