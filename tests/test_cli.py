"""The command line: ``python app.py check [DIR]`` and serving refused on broken data."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pytest

from app import create_app
from gridmap.errors import DataError
from gridmap.settings import ROOT
from tests.conftest import write_tiny_district

#: Every problem the broken copy has, as ``app.py check`` prints it (file: [rule] ids: ...).
BROKEN_LINES = [
    "grids.gpkg: [unique-id] T2221: grid id 'T2221' is used by 2 records",
    "grids.gpkg: [within-parent] T1111, T112: ",
    "grids.gpkg: [children-cover] T111: ",
    "grids.gpkg: [population-sum] T111: population 300 differs from the sum of its 1 children's",
    "grids.gpkg: [population-sum] T112: population 700 differs from the sum of its 3 children's",
]


def run_app(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run ``python app.py ARGS`` from the repository root with a clean GRIDMAP_* environment."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("GRIDMAP_")}
    return subprocess.run(
        [sys.executable, "app.py", *args],
        cwd=ROOT,
        env={**base, **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def broken_dir(tmp_path_factory) -> Path:
    """Return a copy of the tiny district with a duplicate id and a grid outside its parent."""
    folder = write_tiny_district(tmp_path_factory.mktemp("broken") / "geo")
    grids = gpd.read_file(folder / "grids.gpkg")
    grids.loc[grids["grid_id"] == "T2222", "grid_id"] = "T2221"  # duplicate id
    grids.loc[grids["grid_id"] == "T1111", "parent_id"] = "T112"  # lies beside its new parent
    grids.to_file(folder / "grids.gpkg", driver="GPKG")
    return folder


def test_check_good_folder(tiny_dir):
    result = run_app("check", str(tiny_dir))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "note: categories: 12 from the defaults (no categories.json)",
        "note: dispatch deadlines: the defaults by category group (no dispatch.json)",
        "note: e-bike speeds: the documented defaults (no speeds.json)",
        "note: no duty.json: the wall shows no staff on duty",
        "level 1: 1 grids",
        "level 2: 2 grids",
        "level 3: 4 grids",
        "level 4: 8 grids",
        "level 5: 16 grids",
        "posts: 3",
        "roads: 2 segments",
        f"{tiny_dir}: OK",
    ]


def test_check_broken_folder_lists_every_problem(broken_dir):
    result = run_app("check", str(broken_dir))
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == len(BROKEN_LINES) + 1
    for expected in BROKEN_LINES:
        assert any(line.startswith(expected) for line in lines), expected
    assert "lies outside its parent 'T112'" in result.stderr
    assert lines[-1] == f"{len(BROKEN_LINES)} problem(s) in {broken_dir}"


def test_check_missing_folder(tmp_path):
    result = run_app("check", str(tmp_path / "absent"))
    assert result.returncode == 1
    assert str(tmp_path / "absent") in result.stderr


def test_create_app_refuses_broken_data(broken_dir):
    with pytest.raises(DataError, match=r"5 problem\(s\) in the district data") as info:
        create_app({"data_dir": broken_dir, "cache_type": "SimpleCache"})
    assert [p.rule for p in info.value.problems] == [
        "unique-id",
        "within-parent",
        "children-cover",
        "population-sum",
        "population-sum",
    ]
    assert all(p.file == "grids.gpkg" for p in info.value.problems)
    assert info.value.problems[1].ids == ("T1111", "T112")


def test_serve_refuses_broken_data(broken_dir):
    # Only the broken path is run: on good data the server would start and block.
    env = {"GRIDMAP_DATA_DIR": str(broken_dir), "GRIDMAP_PORT": "18733"}
    result = run_app(env=env)
    assert result.returncode == 1
    assert result.stderr.startswith("refusing to start: 5 problem(s) in the district data")
    assert "[within-parent] T1111, T112" in result.stderr
    assert "Serving" not in result.stdout


def test_check_prints_what_the_loader_decided(tmp_path):
    from tests.grids.test_county_files import county_folder

    folder = county_folder(tmp_path)
    result = run_app("check", str(folder))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "note: grids.shp: text read as GB18030 (detected: no .cpg file)" in lines
    assert any(line.startswith("note: grids.shp: columns grid_id <- 编码") for line in lines)
    assert lines[-1] == f"{folder}: OK"


def test_check_reports_a_broken_dispatch_json(tmp_path):
    folder = write_tiny_district(tmp_path / "geo")
    (folder / "dispatch.json").write_text('{"deadlines": {"fire": {"close": -4}}}', "utf-8")
    result = run_app("check", str(folder))
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.splitlines() == [
        "dispatch.json: [deadlines] fire: deadlines.fire.close: hours must be a number > 0, got -4",
        f"1 problem(s) in {folder}",
    ]
    (folder / "dispatch.json").write_text('{"deadlines": {"fire": {"close": 48}}}', "utf-8")
    result = run_app("check", str(folder))
    assert result.returncode == 0, result.stderr
    assert "note: dispatch deadlines: dispatch.json sets fire" in result.stdout.splitlines()


def test_check_names_the_team_and_field_of_a_bad_duty_roster(tmp_path, tiny_dir):
    import json
    import shutil

    folder = tmp_path / "geo"
    shutil.copytree(tiny_dir, folder)
    roster = {
        "shifts": {"day": {"days": ["mon"], "start": "08:00", "end": "20:00"}},
        "teams": [
            {"grid": "T11", "role": "officer", "count": 1, "shifts": ["day"]},
            {"grid": "NOPE", "role": "officer", "count": 1, "shifts": ["day"]},
        ],
    }
    (folder / "duty.json").write_text(json.dumps(roster), encoding="utf-8")
    result = run_app("check", str(folder))
    assert result.returncode == 1
    assert "duty.json: [teams.grid] 2: team 2 (NOPE): 'grid' must be a grid id" in result.stderr
    roster["teams"].pop()
    (folder / "duty.json").write_text(json.dumps(roster), encoding="utf-8")
    result = run_app("check", str(folder))
    assert result.returncode == 0, result.stderr
    assert "note: duty.json: roster of 1 teams, 1 officers, 0 grid members" in result.stdout


def test_check_names_each_bad_entry_of_speeds_json(tmp_path):
    folder = write_tiny_district(tmp_path / "geo")
    (folder / "speeds.json").write_text(
        '{"speeds_kmh": {"arterial": 40}, "profiles": {"rush": {"lane": 0.5}}}', "utf-8"
    )
    result = run_app("check", str(folder))
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[0].startswith("speeds.json: [speeds] speeds_kmh.arterial: must be a number")
    assert "at most 25 km/h" in lines[0] and "got 40" in lines[0]
    assert lines[1].startswith("speeds.json: [speeds] profiles.rush.lane: ")
    assert "unknown road class" in lines[1]
    assert lines[-1] == f"2 problem(s) in {folder}"


def test_check_says_a_good_speeds_json_is_used(tmp_path):
    folder = write_tiny_district(tmp_path / "geo")
    (folder / "speeds.json").write_text(
        '{"source": "GPS traces 2026", "profiles": {"rush": {"town_seat": 0.6}}}', "utf-8"
    )
    result = run_app("check", str(folder))
    assert result.returncode == 0, result.stderr
    assert "note: e-bike speeds: speeds.json (GPS traces 2026)" in result.stdout.splitlines()


def test_the_app_uses_a_districts_speeds_json_and_refuses_a_broken_one(tmp_path):
    folder = write_tiny_district(tmp_path / "geo")
    (folder / "speeds.json").write_text(
        '{"speeds_kmh": {"village": 12}, "profiles": {"rush": {"town_seat": 0.6}}}', "utf-8"
    )
    app = create_app({"data_dir": folder, "cache_type": "SimpleCache"})
    model = app.server.extensions["gridmap"].coverage_model
    assert model.settings.profiles["rush"].urban_factor == 0.6
    assert model.settings.speeds["village"] == 12
    (folder / "speeds.json").write_text('{"profiles": {"rush": {"town_seat": "slow"}}}', "utf-8")
    with pytest.raises(DataError, match="speeds.json") as info:
        create_app({"data_dir": folder, "cache_type": "SimpleCache"})
    assert [(p.file, p.ids) for p in info.value.problems] == [
        ("speeds.json", ("profiles.rush.town_seat",))
    ]
