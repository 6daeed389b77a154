"""A district's own e-bike speeds (``speeds.json``): defaults, overrides, every error path."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest

from gridmap.coverage.model import CoverageModel
from gridmap.coverage.profiles import NIGHT, PROFILES, RUSH, ebike_factor
from gridmap.coverage.roadgraph import DEFAULT_SPEEDS_KMH
from gridmap.coverage.speeds_file import DEFAULTS, load_speeds, read_speeds
from gridmap.errors import DataError
from tests.coverage.toys import INSTANT_WALK, UTM, toy_grids, toy_posts, toy_roads


def write(folder, data) -> None:
    text = data if isinstance(data, str) else json.dumps(data)
    (folder / "speeds.json").write_text(text, "utf-8")


def test_without_the_file_the_documented_defaults(tmp_path):
    speeds, problems = read_speeds(tmp_path)
    assert problems == [] and speeds is DEFAULTS
    assert speeds.speeds_kmh == dict(DEFAULT_SPEEDS_KMH) and speeds.profiles == PROFILES
    assert speeds.describe() == "e-bike speeds: the documented defaults (no speeds.json)"


def test_the_default_rush_factors_follow_from_the_delay_indices():
    # 1 / (1 + 0.5 (D - 1)): town seat D = 1.6, through roads D = 1.2 (docs/coverage.md).
    assert ebike_factor(1.6) == 0.77 and ebike_factor(1.2) == 0.91 and ebike_factor(1.0) == 1.0
    assert RUSH.urban_factor == 0.77 and RUSH.class_factor["arterial"] == 0.91
    assert RUSH.class_factor["village"] == 1.0 and NIGHT.class_factor["path"] == 0.8


def test_a_file_overrides_only_what_it_names(tmp_path):
    write(
        tmp_path,
        {
            "source": "GPS traces",
            "speeds_kmh": {"village": 14},
            "profiles": {"rush": {"arterial": 0.8, "town_seat": 0.6}},
        },
    )
    speeds = load_speeds(tmp_path)
    assert speeds.speeds_kmh == {**DEFAULT_SPEEDS_KMH, "village": 14.0}
    rush = speeds.profiles["rush"]
    assert rush.class_factor == {**RUSH.class_factor, "arterial": 0.8}
    assert rush.urban_factor == 0.6
    assert speeds.profiles["night"] == NIGHT
    assert speeds.describe() == "e-bike speeds: speeds.json (GPS traces)"


@pytest.mark.parametrize(
    ("data", "entry", "message"),
    [
        ("{not json", None, "cannot read the JSON"),
        ([1, 2], None, "the file must hold an object"),
        ({"speed": {}}, "speed", "unknown key(s) speed"),
        ({"source": 3}, "source", "must be a text, got 3"),
        ({"speeds_kmh": [20]}, "speeds_kmh", "must be an object"),
        ({"speeds_kmh": {"motorway": 20}}, "speeds_kmh.motorway", "unknown road class"),
        ({"speeds_kmh": {"arterial": "fast"}}, "speeds_kmh.arterial", "got 'fast'"),
        ({"speeds_kmh": {"arterial": 0}}, "speeds_kmh.arterial", "above 0"),
        ({"speeds_kmh": {"arterial": 30}}, "speeds_kmh.arterial", "at most 25 km/h"),
        ({"speeds_kmh": {"arterial": True}}, "speeds_kmh.arterial", "got True"),
        ({"profiles": []}, "profiles", "must be an object"),
        ({"profiles": {"free": {}}}, "profiles.free", "set speeds_kmh instead"),
        ({"profiles": {"dawn": {}}}, "profiles.dawn", "unknown profile (known: rush, night)"),
        ({"profiles": {"rush": 0.8}}, "profiles.rush", "must be an object"),
        ({"profiles": {"rush": {"lane": 0.8}}}, "profiles.rush.lane", "unknown road class"),
        ({"profiles": {"rush": {"village": -1}}}, "profiles.rush.village", "got -1"),
        ({"profiles": {"night": {"path": 3}}}, "profiles.night.path", "at most 2"),
        ({"profiles": {"night": {"town_seat": None}}}, "profiles.night.town_seat", "got None"),
        (
            {"profiles": {"night": {"arterial": 1.2}}},
            "profiles.night.arterial",
            "22 km/h x 1.2 = 26.4 km/h is above the legal 25 km/h",
        ),
        (
            {"speeds_kmh": {"county": 24}},
            "profiles.night.county",
            "24 km/h x 1.1 = 26.4 km/h is above the legal 25 km/h",
        ),
    ],
)
def test_each_bad_entry_is_named_with_the_file(tmp_path, data, entry, message):
    write(tmp_path, data)
    speeds, problems = read_speeds(tmp_path)
    assert speeds is DEFAULTS  # a broken file is never half used
    assert len(problems) == 1, problems
    problem = problems[0]
    assert problem.file == "speeds.json" and problem.rule == "speeds"
    assert problem.ids == ((entry,) if entry else ())
    assert message in problem.message
    with pytest.raises(DataError, match="speeds.json"):
        load_speeds(tmp_path)


def test_every_problem_is_listed_at_once(tmp_path):
    write(tmp_path, {"speeds_kmh": {"arterial": 99, "x": 1}, "profiles": {"rush": {"y": 1}}})
    ids = [p.ids for p in read_speeds(tmp_path)[1]]
    assert ids == [("speeds_kmh.arterial",), ("speeds_kmh.x",), ("profiles.rush.y",)]


def test_the_model_uses_a_districts_own_profiles():
    grids = toy_grids()
    grids["kind"] = "village"
    roads = toy_roads([(0, 1000), (2000, 1000)]).drop(columns="speed_kmh")
    roads["road_class"] = "arterial"
    speeds = read_speeds_of({"profiles": {"rush": {"arterial": 0.5}}})

    def model(settings):
        return CoverageModel.from_geodataframes(
            grids, toy_posts((0, 1000)), roads, grids.loc["D"].geometry, crs=UTM,
            settings=settings,
        )  # fmt: skip

    own = model(replace(INSTANT_WALK, speeds=speeds.speeds_kmh, profiles=speeds.profiles))
    assert np.allclose(own.edge_factors("rush"), 0.5)
    assert np.allclose(model(INSTANT_WALK).edge_factors("rush"), RUSH.class_factor["arterial"])


def read_speeds_of(data: dict):
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        write(Path(folder), data)
        return load_speeds(folder)
