"""Who is on duty at a time: shifts by the district's clock, overnight shifts, the scope."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from gridmap.clock import LOCAL_TZ
from gridmap.duty.on_duty import covers, on_duty
from gridmap.duty.roster import parse_roster
from tests.duty.test_roster import chain, roster


def local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=LOCAL_TZ)


@pytest.fixture()
def teams():
    found, problems = parse_roster(roster(), chain)
    assert problems == []
    return found


@pytest.mark.parametrize(
    ("when", "day", "night"),
    [
        ("2026-06-15 07:59", False, True),  # Monday before the day shift: Sunday night
        ("2026-06-15 08:00", True, False),  # its start is in
        ("2026-06-15 19:59", True, False),
        ("2026-06-15 20:00", False, False),  # its end is out
        ("2026-06-17 10:00", False, False),  # Wednesday: no shift
        ("2026-06-14 21:00", False, True),  # Sunday night
        ("2026-06-15 07:30", False, True),  # ... into Monday morning
        ("2026-06-13 23:00", False, False),  # Saturday night is not a Sunday one
    ],
)
def test_a_shift_covers_its_hours_in_the_district_time(teams, when, day, night):
    shifts = teams.teams[1].shifts
    assert covers(shifts[0], local(when)) is day
    assert covers(shifts[1], local(when)) is night
    # The same instant in UTC gives the same answer.
    assert covers(shifts[0], local(when).astimezone(UTC)) is day


def test_on_duty_counts_people_now_and_on_the_roster_in_scope(teams):
    monday = local("2026-06-15 10:00")
    everyone = on_duty(teams, monday)
    assert everyone.on_duty == {"officer": 1, "grid_member": 3}
    assert everyone.rostered == {"officer": 1, "grid_member": 3}
    # Sunday 21:00: only the night shift (the grid members' second shift).
    assert on_duty(teams, local("2026-06-14 21:00")).on_duty == {"officer": 0, "grid_member": 3}
    # A township's wall counts its own teams only.
    d1 = on_duty(teams, monday, ["D1"])
    assert d1.on_duty == {"officer": 1, "grid_member": 0}
    assert d1.rostered == {"officer": 1, "grid_member": 0}
    assert on_duty(teams, monday, ["D1", "D2"]).on_duty == {"officer": 1, "grid_member": 3}
    assert on_duty(teams, monday, []).rostered == {"officer": 0, "grid_member": 0}


def test_a_24_hour_shift_and_a_naive_time():
    data = roster(shifts={"all": {"days": ["mon"], "start": "08:00", "end": "08:00"}})
    for team in data["teams"]:
        team["shifts"] = ["all"]
    found, _ = parse_roster(data, chain)
    assert on_duty(found, local("2026-06-16 07:59")).on_duty["officer"] == 1
    assert on_duty(found, local("2026-06-16 08:00")).on_duty["officer"] == 0
    with pytest.raises(ValueError, match="timezone-aware"):
        on_duty(found, datetime(2026, 6, 15, 10))
