"""Suggestions of new posts on the toy district: sites, movable posts, incidents, checks."""

from __future__ import annotations

import json

import pytest

from gridmap.coverage.params import CoverageSettings
from gridmap.coverage.suggest import suggest_posts
from gridmap.errors import MCLPError
from tests.coverage.toys import INSTANT_WALK, MIDDLE_ROAD, toy_lonlat, toy_model


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


def test_default_candidates_stand_inside_the_district():
    # The road runs 1.5 km past the district's east edge: no suggested post may stand there.
    model = toy_model(roads=([(0, 1000), (3500, 1000)],), settings=CoverageSettings(cell_m=50))
    s = suggest_posts(model, k=3, candidate_spacing_m=200)
    east_edge = toy_lonlat([(2000, 1000)])[0][0]
    assert all(site["lon"] <= east_edge + 1e-6 for site in s.sites)


def test_without_population_the_suggestion_covers_area_and_says_so():
    from tests.coverage.toys import toy_grids, toy_posts, toy_roads

    grids = toy_grids()
    grids["population"] = 0
    from gridmap.coverage.model import CoverageModel

    model = CoverageModel.from_geodataframes(
        grids, toy_posts((0, 1000)), toy_roads(MIDDLE_ROAD), grids.loc["D"].geometry,
        crs="EPSG:32650", settings=CoverageSettings(cell_m=50),
    )  # fmt: skip
    s = suggest_posts(model, k=1, candidate_spacing_m=300)
    assert s.weight == "area" and s.to_dict()["weight"] == "area"
    assert s.sites and s.solution.objective > 0
    explicit = suggest_posts(model, k=1, candidate_spacing_m=300, weight="area")
    assert explicit.solution.objective == pytest.approx(s.solution.objective)


def test_nothing_left_to_cover_is_a_clear_error():
    # The one incident is next to the post: nothing is left to reach.
    model = toy_model(settings=INSTANT_WALK)
    near = toy_lonlat([(100, 1000)])
    with pytest.raises(MCLPError, match="nothing to cover: every incident is already within 5"):
        suggest_posts(model, k=1, minutes=5, weight="incidents", incidents=near)
