"""Naming a point by the township and village it lies in."""

from __future__ import annotations

import numpy as np

from gridmap.coverage.site_names import place_label, places_at, places_of
from tests.coverage.toys import X0, Y0, toy_lonlat, toy_model


def test_a_point_takes_the_township_and_village_it_lies_in():
    model = toy_model(split_sw=True)
    xy = np.array([[X0 + 250, Y0 + 500], [X0 + 1500, Y0 + 1500], [X0 - 100, Y0 + 500]])
    inside, no_village, outside = places_of(model.index, xy)
    assert (inside["township_id"], inside["village_id"]) == ("SW", "SW-w")
    assert inside["township_zh"] == "SW" and inside["village_en"] == "SW-w"
    assert no_village["township_id"] == "NE" and no_village["village_id"] is None
    assert outside["village_id"] == "SW-w"  # beyond every grid: its nearest grid


def test_places_at_lonlat_in_a_language_and_the_label():
    model = toy_model(split_sw=True)
    [place] = places_at(model, [tuple(toy_lonlat([(750, 500)])[0])], "en")
    assert place == {"township": "SW", "village": "SW-e"}
    assert places_at(model, [], "en") == []
    assert place_label({"township_zh": "东镇", "village_zh": None}, "zh") == "东镇"
    assert place_label({}, "en") == ""


def test_suggested_sites_carry_their_place():
    from gridmap.coverage.suggest import suggest_posts

    found = suggest_posts(toy_model(split_sw=True), 1, 5).to_dict()
    [site] = found["sites"]
    assert site["township_id"] in ("SW", "SE", "NW", "NE")
    assert {"township_zh", "township_en", "village_id", "village_zh", "village_en"} <= set(site)
