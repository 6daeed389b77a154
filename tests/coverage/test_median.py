"""The p-median suggestion on the toy district: the exact best site, the figures, the checks."""

from __future__ import annotations

import json

import pytest

from gridmap.coverage.median import suggest_median
from gridmap.coverage.params import CoverageSettings
from gridmap.coverage.times import summary_times
from gridmap.errors import MCLPError
from tests.coverage.toys import toy_lonlat, toy_model

SETTINGS = CoverageSettings(walk_kmh=1e9, walk_max_m=500, cell_m=50, simplify_m=0)
SPOTS = [(300, 1000), (1000, 1000), (1500, 1000), (1900, 1000)]


@pytest.fixture(scope="module")
def model():
    return toy_model(settings=SETTINGS, speed_kmh=6.0)


def exact_mean(model, points):
    result = model.travel_times(extra_posts=[tuple(p) for p in points])
    return summary_times(model.index, result.cell_seconds)["mean_minutes"]


@pytest.mark.parametrize("k", [1, 2])
def test_the_choice_is_the_brute_force_best(model, k):
    import itertools

    spots = [tuple(p) for p in toy_lonlat(SPOTS)]
    # One block per cell: the reduced problem is the exact one.
    found = suggest_median(model, k, candidates=spots, block_m=SETTINGS.cell_m)
    body = found.to_dict()
    json.dumps(body, allow_nan=False)
    best = min(itertools.combinations(spots, k), key=lambda combo: exact_mean(model, combo))
    chosen = {(round(s["lon"], 6), round(s["lat"], 6)) for s in body["sites"]}
    assert chosen == {(round(x, 6), round(y, 6)) for x, y in best}
    assert body["times_after"]["mean_minutes"] == pytest.approx(exact_mean(model, best))
    assert body["times_after"]["mean_minutes"] < body["times_before"]["mean_minutes"]
    assert body["solver"]["status"] == "optimal" and body["solver"]["gap"] == pytest.approx(0)
    assert body["solver"]["reduced_mean_after"] == pytest.approx(
        body["times_after"]["mean_minutes"]
    )
    # What each site takes off the mean adds up to the whole change.
    drop = body["times_before"]["mean_minutes"] - body["times_after"]["mean_minutes"]
    assert sum(s["adds"] for s in body["sites"]) == pytest.approx(drop, abs=2e-3)
    assert all(s["township_id"] in ("SW", "SE", "NW", "NE") for s in body["sites"])


def test_default_candidates_and_blocks(model):
    body = suggest_median(model, 1, candidate_spacing_m=300).to_dict()
    assert body["sites"][0]["site"].startswith("road node")
    assert body["times_after"]["mean_minutes"] < body["times_before"]["mean_minutes"]
    assert body["solver"]["sizes"]["demand"] < model.raster.n_cells


@pytest.mark.parametrize(
    ("kwargs", "parameter", "message"),
    [
        ({"k": 0}, "k", "k must be an integer from 1 to 50"),
        ({"k": 1, "block_m": 0}, "block_m", "block_m must be > 0"),
        ({"k": 1, "disabled_posts": ["P9"]}, "disabled_posts", "unknown post id"),
        ({"k": 1, "weight": "cars"}, "weight", "weight must be one of"),
        ({"k": 9, "candidates": [tuple(toy_lonlat([(1000, 1000)])[0])]}, "k", "more than the 1"),
    ],
)
def test_bad_parameters_are_named(model, kwargs, parameter, message):
    with pytest.raises(MCLPError, match=message) as err:
        suggest_median(model, **kwargs)
    assert err.value.parameter == parameter
