"""The playback of the incident map: windows, and how the player moves on."""

from __future__ import annotations

import pytest

from gridmap.incidents.playback import playback_window


def test_playback_window():
    assert playback_window("2025-03-01", "2025-03-31", 0, "week") == ("2025-03-01", "2025-03-07")
    assert playback_window("2025-03-01", "2025-03-31", 7, "week") == ("2025-03-08", "2025-03-14")
    assert playback_window("2025-03-01", "2025-03-31", 3, "day") == ("2025-03-04", "2025-03-04")
    # The last window is cut at the end of the range.
    assert playback_window("2025-03-01", "2025-03-31", 28, "week") == ("2025-03-29", "2025-03-31")
    assert playback_window("2025-12-29", "2026-01-10", 0, "week") == ("2025-12-29", "2026-01-04")
    with pytest.raises(KeyError):
        playback_window("2025-03-01", "2025-03-31", 0, "month")
