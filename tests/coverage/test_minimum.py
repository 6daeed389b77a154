"""Fewest new posts for a target share on the toy district: found, unreachable, movable, checks."""

from __future__ import annotations

import json

import pytest

from gridmap.coverage.minimum import fewest_posts
from gridmap.coverage.suggest import suggest_posts
from gridmap.errors import MCLPError
from tests.coverage.toys import INSTANT_WALK, toy_lonlat, toy_model

# P1 at the west end reaches x <= 1000 of the middle band and a half disc (toys.py): 32 %.
SPOTS = [(800, 1000), (1500, 1000), (1900, 1000)]


@pytest.fixture(scope="module")
def model():
    return toy_model(settings=INSTANT_WALK)


def test_fewest_posts_reach_the_target_and_one_fewer_does_not(model):
    spots = [tuple(p) for p in toy_lonlat(SPOTS)]
    found = fewest_posts(model, 0.45, candidates=spots)
    body = found.to_dict()
    json.dumps(body, allow_nan=False)
    assert body["reachable"] and body["new_posts"] == 1
    assert body["solver"]["status"] == "optimal" and body["solver"]["gap"] == 0.0
    assert body["share_before"] == pytest.approx(model.coverage(5).kpis()["population_share"])
    assert body["share_after"] >= 0.45
    assert body["kpis_after"]["population_share"] == pytest.approx(body["share_after"])
    site = body["sites"][0]
    assert site["site"] == "candidate #2" and site["township_id"] in ("SE", "NE")
    assert site["adds"] > 0
    # The same site is the maximal covering answer for one post.
    assert suggest_posts(model, 1, candidates=spots).sites[0]["site"] == "candidate #2"


def test_a_target_already_met_needs_no_post(model):
    body = fewest_posts(model, 0.2).to_dict()
    assert body["reachable"] and body["new_posts"] == 0 and body["sites"] == []
    assert body["share_after"] == pytest.approx(body["share_before"])


def test_an_unreachable_target_names_the_places_no_site_reaches(model):
    # No spot farther than 500 m from the road is ever reached: at most half the people.
    body = fewest_posts(model, 0.9, candidate_spacing_m=200).to_dict()
    assert body["reachable"] is False and body["new_posts"] is None
    assert body["max_share"] == pytest.approx(0.5, abs=0.02)
    names = {p["township_id"] for p in body["unreached"]}
    assert names == {"SW", "SE", "NW", "NE"}
    # The heaviest first: NE holds the most people, and half of each grid is out of reach.
    assert body["unreached"][0]["township_id"] == "NE"
    assert sum(p["weight"] for p in body["unreached"]) == pytest.approx(500, rel=0.02)


def test_a_movable_post_may_move_instead_of_a_new_one(model):
    middle = [tuple(p) for p in toy_lonlat([(1000, 1000)])]
    body = fewest_posts(model, 0.45, candidates=middle, movable=["P1"]).to_dict()
    assert body["reachable"] and body["new_posts"] == 0 and body["sites_chosen"] == 1
    assert body["sites"][0]["site"] == "candidate #1"
    assert body["movable"] == ["P1"]


@pytest.mark.parametrize(
    ("kwargs", "parameter", "message"),
    [
        ({"share": 0}, "share", "above 0 and at most 1"),
        ({"share": 1.5}, "share", "above 0 and at most 1"),
        ({"share": "half"}, "share", "must be a number"),
        ({"share": 0.5, "movable": ["P9"]}, "movable", "unknown post id.*P9"),
        ({"share": 0.5, "disabled_posts": ["P9"]}, "disabled_posts", "unknown post id"),
        ({"share": 0.5, "weight": "cars"}, "weight", "weight must be one of"),
        ({"share": 0.5, "weight": "incidents"}, "weight", "needs incidents"),
        ({"share": 0.5, "candidate_spacing_m": 0}, "candidate_spacing_m", "must be > 0"),
    ],
)
def test_bad_parameters_are_named(model, kwargs, parameter, message):
    with pytest.raises(MCLPError, match=message) as err:
        fewest_posts(model, **kwargs)
    assert err.value.parameter == parameter


@pytest.mark.parametrize(
    ("kwargs", "chinese"),
    [
        ({"share": 1.5}, "目标比例须大于 0 且不超过 1"),
        ({"share": "half"}, "目标比例须为数字"),
        ({"share": 0.5, "movable": ["P9"]}, "movable：未知的警务室编号 P9"),
    ],
)
def test_the_planners_errors_read_in_chinese_too(model, kwargs, chinese):
    from gridmap.messages import text_of

    with pytest.raises(MCLPError) as err:
        fewest_posts(model, **kwargs)
    assert chinese in text_of(err.value, "zh")
