"""duty.json: read, checked (every problem names the file, the team and the field)."""

from __future__ import annotations

import json

import pytest

from gridmap.duty.roster import load_roster, parse_roster, read_roster, roster_summary
from gridmap.errors import DataError

CHAINS = {"D": ("D",), "D1": ("D", "D1"), "D11": ("D", "D1", "D11"), "D2": ("D", "D2")}


def chain(grid):
    return CHAINS.get(grid)


def roster(**changes) -> dict:
    data = {
        "synthetic": True,
        "source": "test",
        "shifts": {
            "day": {"days": ["mon", "tue"], "start": "08:00", "end": "20:00"},
            "night": {"days": ["sun"], "start": "20:00", "end": "08:00"},
        },
        "teams": [
            {"post": "P1", "grid": "D11", "role": "officer", "count": 1, "shifts": ["day"]},
            {"grid": "D2", "role": "grid_member", "count": 3, "shifts": ["day", "night"]},
        ],
    }
    data.update(changes)
    return data


def test_a_good_roster_is_read():
    found, problems = parse_roster(roster(), chain, {"P1"})
    assert problems == []
    assert found.synthetic is True and len(found.teams) == 2
    first, second = found.teams
    assert first.chain == ("D", "D1", "D11") and first.post == "P1" and first.count == 1
    assert [s.name for s in second.shifts] == ["day", "night"]
    night = second.shifts[1]
    assert night.overnight and night.days == frozenset({6}) and night.start == 20 * 60
    assert roster_summary(found) == (
        "duty.json: synthetic roster of 2 teams, 1 officers, 3 grid members"
    )


@pytest.mark.parametrize(
    ("team", "field", "words"),
    [
        ({"grid": "X9"}, "teams.grid", "team 1 (P1): 'grid' must be a grid id of the district"),
        ({"role": "chief"}, "teams.role", "'role' must be one of officer, grid_member"),
        ({"count": 0}, "teams.count", "'count' must be a whole number"),
        ({"count": True}, "teams.count", "'count' must be a whole number"),
        ({"shifts": ["dawn"]}, "teams.shifts", "unknown shift(s) ['dawn'] (defined: day, night)"),
        ({"shifts": []}, "teams.shifts", "'shifts' must be a non-empty list"),
        ({"post": "P7"}, "teams.post", "unknown post 'P7'"),
        ({"colour": "red"}, "teams.team", "unknown field(s) colour"),
    ],
)
def test_a_bad_team_is_named_with_its_field(team, field, words):
    data = roster()
    data["teams"][0].update(team)
    found, problems = parse_roster(data, chain, {"P1"})
    assert found is None
    assert [p.rule for p in problems] == [field]
    assert problems[0].file == "duty.json" and problems[0].ids == ("1",)
    assert words in problems[0].message


@pytest.mark.parametrize(
    ("shift", "field", "words"),
    [
        ({"days": ["mon", "someday"]}, "shifts.days", "unknown weekday(s) ['someday']"),
        ({"days": []}, "shifts.days", "'days' must be a list of weekdays"),
        ({"days": ["mon", "mon"]}, "shifts.days", "a weekday is given twice"),
        ({"start": "8:00"}, "shifts.start", "'start' must be a time HH:MM"),
        ({"end": "20:75"}, "shifts.end", "'end' must be a time HH:MM"),
        ({"start": "24:00"}, "shifts.start", "'start' must be a time HH:MM"),
    ],
)
def test_a_bad_shift_is_named_with_its_field(shift, field, words):
    data = roster()
    data["shifts"]["day"].update(shift)
    found, problems = parse_roster(data, chain)
    assert found is None
    rules = [p.rule for p in problems]
    assert rules[0] == field, problems
    assert words in problems[0].message and "shift 'day'" in problems[0].message


def test_the_file_level_problems():
    assert parse_roster([], chain)[1][0].message == "the file must hold an object"
    problems = parse_roster(roster(teams={}, extra=1), chain)[1]
    assert [p.rule for p in problems] == ["duty", "teams"]
    assert "unknown key(s) extra" in problems[0].message


def test_no_file_is_no_roster_and_a_broken_file_stops_the_load(tmp_path):
    assert read_roster(tmp_path, chain) == (None, [])
    assert load_roster(tmp_path, chain) is None
    assert roster_summary(None) == "no duty.json: the wall shows no staff on duty"
    (tmp_path / "duty.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(DataError, match=r"duty.json: \[duty\]: cannot read the JSON"):
        load_roster(tmp_path, chain)
    data = roster()
    data["teams"][1]["grid"] = "nowhere"
    (tmp_path / "duty.json").write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(DataError, match=r"team 2 \(nowhere\): 'grid' must be a grid id") as info:
        load_roster(tmp_path, chain)
    assert info.value.problems[0].rule == "teams.grid"
