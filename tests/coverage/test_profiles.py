"""Time-of-day speed profiles: factors per road class and in the town seat, on the toy district."""

from __future__ import annotations

import numpy as np
import pytest

from gridmap.coverage.model import CoverageModel
from gridmap.coverage.profiles import PROFILES, RUSH, check_profile
from gridmap.coverage.roadgraph import graph_from_lines
from gridmap.errors import CoverageError
from tests.coverage.toys import INSTANT_WALK, UTM, toy_grids, toy_posts, toy_roads


def model_with(kind_of: dict[str, str], road_class: str = "arterial") -> CoverageModel:
    grids = toy_grids()
    grids["kind"] = [kind_of.get(g, "village") for g in grids.index]
    roads = toy_roads([(0, 1000), (2000, 1000)]).drop(columns="speed_kmh")
    roads["road_class"] = road_class
    return CoverageModel.from_geodataframes(
        grids, toy_posts((0, 1000)), roads, grids.loc["D"].geometry, crs=UTM,
        settings=INSTANT_WALK,
    )  # fmt: skip


def test_edge_classes_follow_the_lines_and_the_fastest_parallel_edge():
    g = graph_from_lines(
        [np.array([[0, 0], [100, 0]]), np.array([[0, 0], [100, 0]])], [10, 20], classes=[4, 0]
    )
    assert g.edge_class.tolist() == [0]  # the faster line's class is kept
    assert graph_from_lines([np.array([[0, 0], [50, 0]])], [10]).edge_class.tolist() == [-1]


def test_rush_hour_slows_each_class_and_the_town_seat_more():
    plain = model_with({})
    seat = model_with({"SW": "community", "NW": "community"})
    assert np.all(plain.edge_factors("free") == 1.0)
    assert np.allclose(plain.edge_factors("rush"), RUSH.class_factor["arterial"])
    f = seat.edge_factors("rush")
    west = (
        seat.graph.xy[seat.graph.u][:, 0] + seat.graph.xy[seat.graph.v][:, 0]
    ) / 2 < seat.graph.xy[:, 0].min() + 999
    arterial = RUSH.class_factor["arterial"]
    assert np.allclose(f[west], arterial * RUSH.urban_factor) and np.allclose(f[~west], arterial)
    free = seat.coverage(5).kpis()["area_share"]
    rush = seat.coverage(5, profile="rush").kpis()["area_share"]
    night = seat.coverage(5, profile="night").kpis()["area_share"]
    assert rush < free < night
    # Off-peak is the default, and the answer says which profile it is.
    assert seat.coverage(5).profile == "free" and seat.coverage(5, profile="rush").profile == "rush"


def test_no_class_faster_than_the_legal_cap_at_night():
    from gridmap.coverage.roadgraph import DEFAULT_SPEEDS_KMH, EBIKE_LEGAL_CAP_KMH

    for p in PROFILES.values():
        for cls, kmh in DEFAULT_SPEEDS_KMH.items():
            assert kmh * p.factor(cls, False) <= EBIKE_LEGAL_CAP_KMH


def test_unknown_profiles_are_refused_naming_the_parameter():
    assert check_profile(None) == "free" and check_profile("rush") == "rush"
    with pytest.raises(CoverageError, match="profile must be one of free, rush, night") as err:
        model_with({}).coverage(5, profile="dawn")
    assert err.value.parameter == "profile"
