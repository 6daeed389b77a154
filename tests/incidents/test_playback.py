"""The playback of the incident map: windows, and how the player moves on."""

from __future__ import annotations

import pytest

from gridmap.incidents.playback import play_step, playback_window


def test_playback_window():
    assert playback_window("2025-03-01", "2025-03-31", 0, "week") == ("2025-03-01", "2025-03-07")
    assert playback_window("2025-03-01", "2025-03-31", 7, "week") == ("2025-03-08", "2025-03-14")
    assert playback_window("2025-03-01", "2025-03-31", 3, "day") == ("2025-03-04", "2025-03-04")
    # The last window is cut at the end of the range.
    assert playback_window("2025-03-01", "2025-03-31", 28, "week") == ("2025-03-29", "2025-03-31")
    assert playback_window("2025-12-29", "2026-01-10", 0, "week") == ("2025-12-29", "2026-01-04")
    with pytest.raises(KeyError):
        playback_window("2025-03-01", "2025-03-31", 0, "month")


@pytest.mark.parametrize("playing", [False, True])
def test_pressing_play_starts_from_the_first_day_or_stops(playing):
    # Starting plays from offset 0; stopping goes back to the whole range (offset 0).
    assert play_step(playing, 14, 30, "week", pressed=True) == (not playing, 0)


@pytest.mark.parametrize(
    ("step", "offset", "expected"),
    [("week", 7, 14), ("day", 7, 8), (None, 7, 8), ("week", None, 7)],
)
def test_a_tick_moves_on_one_step(step, offset, expected):
    assert play_step(True, offset, 30, step, ticked=True) == (True, expected)


def test_a_tick_past_the_end_stops_and_rewinds():
    assert play_step(True, 28, 30, "week", ticked=True) == (False, 0)
    assert play_step(True, 29, 30, "day", ticked=True) == (True, 30)
    assert play_step(True, 30, 30, "day", ticked=True) == (False, 0)


def test_nothing_changes_while_paused_or_without_a_press_or_tick():
    assert play_step(False, 7, 30, "week", ticked=True) == (False, 7)
    assert play_step(True, 7, 30, "week") == (True, 7)
    assert play_step(False, None, None, None) == (False, None)
