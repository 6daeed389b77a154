"""Maximal covering: MILP against brute force, greedy, and suggestions on the toy district."""

from __future__ import annotations

import json

import numpy as np
import pytest

from gridmap.coverage.mclp import (
    MCLPError,
    brute_force_mclp,
    greedy_mclp,
    solve_mclp,
    suggest_posts,
)
from gridmap.coverage.model import CoverageSettings
from tests.test_coverage import INSTANT_WALK, MIDDLE_ROAD, toy_lonlat, toy_model


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


def test_suggestion_covers_the_east_and_its_gain_is_what_the_model_finds():
    # At 6 km/h a post rides 500 m in 5 minutes: P1 covers x <= 500 (and a disc beyond).
    model = toy_model(settings=INSTANT_WALK, speed_kmh=6.0)
    spots = toy_lonlat([(800, 1000), (1500, 1000), (1000, 200)])  # the last walks to x = 1000
    s = suggest_posts(model, k=1, minutes=5, candidates=[tuple(p) for p in spots])
    assert s.sites[0]["site"] == "candidate #2"  # reaches all of x = 1000-2000
    before = s.kpis_before["covered_population"]
    after = s.kpis_after["covered_population"]
    assert after - before == pytest.approx(s.solution.objective, rel=1e-3)
    assert s.kpis_after["population_share"] > s.kpis_before["population_share"]
    json.dumps(s.to_dict(), allow_nan=False)


def test_default_candidates_are_road_nodes_and_more_posts_never_cover_less():
    model = toy_model(settings=CoverageSettings(cell_m=50))
    one = suggest_posts(model, k=1, candidate_spacing_m=300)
    two = suggest_posts(model, k=2, candidate_spacing_m=300)
    assert one.sites[0]["site"].startswith("road node")
    assert two.solution.objective >= one.solution.objective
    assert two.kpis_after["covered_population"] >= one.kpis_after["covered_population"]


def test_a_movable_post_may_stay_or_move():
    # P1 sits at the west end; moving it to the middle reaches both halves.
    model = toy_model(settings=INSTANT_WALK)
    spots = toy_lonlat([(1000, 1000)])
    s = suggest_posts(model, k=1, candidates=[tuple(spots[0])], movable=["P1"])
    assert len(s.sites) == 2
    assert {site["site"] for site in s.sites} == {"candidate #1", "post P1 (stays)"}
    with pytest.raises(MCLPError, match="movable: unknown post id.*P7"):
        suggest_posts(model, k=1, movable=["P7"])


def test_straight_line_suggestion():
    model = toy_model(posts=((200, 200),), roads=(), settings=CoverageSettings(cell_m=50))
    s = suggest_posts(model, k=1, minutes=3, candidate_spacing_m=400)
    assert s.method == "straight-line (approximation)"
    assert s.kpis_after["covered_population"] - s.kpis_before["covered_population"] == (
        pytest.approx(s.solution.objective, rel=1e-3)
    )


def test_suggestion_parameters_are_checked():
    model = toy_model(roads=(MIDDLE_ROAD,))
    with pytest.raises(MCLPError, match="k must be an integer from 1 to 50"):
        suggest_posts(model, k=0)
    with pytest.raises(MCLPError, match="weight must be"):
        suggest_posts(model, k=1, weight="votes")
    with pytest.raises(MCLPError, match="needs incidents"):
        suggest_posts(model, k=1, weight="incidents")
    with pytest.raises(MCLPError, match="candidates outside the district: #1"):
        suggest_posts(model, k=1, candidates=[(120.0, 30.0)])


def test_incident_weighted_suggestion_goes_where_the_incidents_are():
    model = toy_model(settings=INSTANT_WALK)
    incidents = toy_lonlat([(1900, 1100)] * 5 + [(1000, 200)])
    spots = toy_lonlat([(1900, 1000), (1000, 600)])
    s = suggest_posts(
        model, k=1, weight="incidents", incidents=incidents, candidates=[tuple(p) for p in spots]
    )
    assert s.sites[0]["site"] == "candidate #1"
    assert s.solution.objective == pytest.approx(5)
    assert s.kpis_after["covered_incidents"] == pytest.approx(5)
