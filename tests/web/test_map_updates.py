"""Map updates (web/map_updates.py): the last year's incidents by the runtime's clock."""

from __future__ import annotations

from datetime import timedelta

from tests.fake_clock import FakeClock
from web.map_updates import last_year_points


class _Store:
    def __init__(self):
        self.asked = None

    def points(self, start, end):
        self.asked = (start, end)
        return []


def test_last_year_points_ask_the_year_before_the_clock():
    clock, store = FakeClock(), _Store()
    last_year_points(store, clock)
    assert store.asked == (clock() - timedelta(days=365), clock())
