"""IncidentFilters and the filter rules of the map: keys, local days, statuses, ranges.

The tiny district and its incidents: see tests/incident_fixtures.py.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from gridmap.clock import LOCAL_TZ, local_today
from gridmap.incidents.categories import Categories, Category
from gridmap.incidents.filters import IncidentFilters, chosen_filters, default_range
from gridmap.incidents.playback import span_days
from tests.fake_clock import FakeClock
from tests.incident_fixtures import (
    incident,
)


# -- IncidentFilters ------------------------------------------------------------------------
def test_filters_refuse_categories_the_district_has_not():
    chosen = IncidentFilters("2025-03-01", "2025-03-31", categories=("fire", "dragons", "aliens"))
    with pytest.raises(ValueError, match=r"unknown categories \['aliens', 'dragons'\]"):
        chosen.refuse_unknown()
    own = Categories(
        [Category("dragons", "龙", "Dragons", "other", "县龙局", "County Dragon Bureau")]
    )
    with pytest.raises(ValueError, match=r"unknown categories \['fire'\]"):
        chosen_filters("2025-03-01", "2025-03-31", ["dragons", "fire"], None, known=own)
    assert chosen_filters("2025-03-01", "2025-03-31", ["dragons"], None, known=own)[
        0
    ].categories == ("dragons",)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"start": "2025-13-01", "end": "2025-03-01"}, "month"),
        ({"start": "2025-03-01", "end": "yesterday"}, "yesterday"),
        ({"categories": ("fire", 3)}, r"categories must be ids \(text\), got 3"),
        ({"statuses": ("reported", "lost")}, r"unknown statuses \['lost'\]"),
    ],
)
def test_filters_refuse_bad_values(kwargs, message):
    args = {"start": "2025-03-01", "end": "2025-03-31", **kwargs}
    with pytest.raises(ValueError, match=message):
        IncidentFilters(**args)


@pytest.mark.parametrize(
    "filters",
    [
        IncidentFilters("2025-03-01", "2025-03-31"),
        IncidentFilters("2025-03-01", "2025-03-31", ("fire", "security"), ("reported",)),
        IncidentFilters("2025-01-01", "2025-12-31", (), ()),
        IncidentFilters("2025-01-01", "2025-12-31", ("other",), None),
    ],
)
def test_filters_key_round_trip(filters):
    key = filters.key()
    assert isinstance(key, str) and " " not in key
    again = IncidentFilters.from_key(key)
    assert again == filters
    assert again.key() == key
    # None (every status) and () (no status) stay apart through the key.
    assert (again.statuses is None) == (filters.statuses is None)


def test_filters_key_is_stable_and_distinct():
    a = IncidentFilters("2025-03-01", "2025-03-31", ("fire",))
    assert a.key() == IncidentFilters("2025-03-01", "2025-03-31", ("fire",)).key()
    assert a.key() != IncidentFilters("2025-03-01", "2025-03-31", ("fire",), ()).key()
    assert a.key() != IncidentFilters("2025-03-01", "2025-03-30", ("fire",)).key()


def test_store_filters_are_local_days():
    f = IncidentFilters("2025-03-01", "2025-03-02").store_filters()
    # Midnight in Shanghai (UTC+8) is 16:00 UTC the day before; the end is exclusive.
    assert f["start"] == datetime(2025, 2, 28, 16, tzinfo=UTC)
    assert f["end"] == datetime(2025, 3, 2, 16, tzinfo=UTC)
    assert f["start"].utcoffset() == timedelta(hours=8)
    assert f["categories"] is None and f["statuses"] is None


def test_store_filters_statuses_none_vs_empty():
    every = IncidentFilters("2025-03-01", "2025-03-01").store_filters()
    nothing = IncidentFilters("2025-03-01", "2025-03-01", statuses=()).store_filters()
    some = IncidentFilters("2025-03-01", "2025-03-01", ("fire",), ("resolved",)).store_filters()
    assert every["statuses"] is None
    assert nothing["statuses"] == []
    assert some["statuses"] == ["resolved"] and some["categories"] == ["fire"]


def test_local_day_boundaries_in_a_store(empty_store):
    t = datetime(2025, 2, 28, 16, tzinfo=UTC)  # 2025-03-01 00:00 in Shanghai
    second = timedelta(seconds=1)
    empty_store.insert(
        [
            incident("before", "T1111", 114.81, 33.71, reported_at=t - second),
            incident("first", "T1111", 114.81, 33.71, reported_at=t),
            incident("last", "T1111", 114.81, 33.71, reported_at=t + timedelta(days=2) - second),
            incident("after", "T1111", 114.81, 33.71, reported_at=t + timedelta(days=2)),
        ]
    )
    f = IncidentFilters("2025-03-01", "2025-03-02").store_filters()
    found = {r["id"] for r in empty_store.query(**f)}
    assert found == {"first", "last"}


def test_statuses_none_all_and_empty_none_in_a_store(store):
    every = IncidentFilters("2025-03-01", "2025-03-31", statuses=None)
    nothing = IncidentFilters("2025-03-01", "2025-03-31", statuses=())
    assert store.count(**every.store_filters()) == 4
    assert store.count(**nothing.store_filters()) == 0
    open_ = IncidentFilters("2025-03-01", "2025-03-31", statuses=("reported", "dispatched"))
    assert {r["id"] for r in store.query(**open_.store_filters())} == {"a", "c"}


def test_span_days_and_default_range():
    assert span_days("2025-03-01", "2025-03-01") == 1
    assert span_days("2025-03-01", "2025-03-31") == 31
    assert span_days("2024-02-28", "2024-03-01") == 3  # leap year
    start, end = default_range(date(2025, 12, 31))
    assert (start, end) == ("2025-01-01", "2025-12-31")
    assert span_days(start, end) == 365
    assert default_range(date(2025, 3, 10), days=7) == ("2025-03-04", "2025-03-10")


def test_local_today_uses_shanghai():
    # 17:00 UTC on 31 December is already 1 January in Shanghai.
    assert local_today(FakeClock(datetime(2025, 12, 31, 17, tzinfo=UTC))) == date(2026, 1, 1)
    assert local_today(FakeClock(datetime(2025, 12, 31, 15, tzinfo=UTC))) == date(2025, 12, 31)
    assert LOCAL_TZ.key == "Asia/Shanghai"


# -- chosen_filters: the filter controls normalised -------------------------------------------
ALL = ["reported", "dispatched", "resolved", "closed"]


def test_chosen_filters_whole_range():
    chosen, last = chosen_filters("2025-03-01", "2025-03-31", [], ALL)
    assert chosen == IncidentFilters("2025-03-01", "2025-03-31")
    assert last == 30


def test_chosen_filters_cut_times_and_swap_reversed_dates():
    chosen, last = chosen_filters("2025-03-31T00:00:00", "2025-03-01T12:00:00", None, None)
    assert (chosen.start, chosen.end) == ("2025-03-01", "2025-03-31") and last == 30


def test_chosen_filters_one_day_keeps_the_slider_usable():
    assert chosen_filters("2025-03-01", "2025-03-01", [], None)[1] == 1


def test_chosen_filters_sort_categories_and_statuses():
    chosen, _ = chosen_filters("2025-03-01", "2025-03-31", ["fire", "flood", "epidemic"], None)
    assert chosen.categories == ("epidemic", "fire", "flood") and chosen.statuses is None
    chosen, _ = chosen_filters("2025-03-01", "2025-03-31", [], ["resolved", "closed"])
    assert chosen.statuses == ("closed", "resolved")
    # Every status ticked is "every status"; none ticked is "none".
    assert chosen_filters("2025-03-01", "2025-03-31", [], ALL)[0].statuses is None
    assert chosen_filters("2025-03-01", "2025-03-31", [], [])[0].statuses == ()


@pytest.mark.parametrize(
    ("offset", "playing", "step", "window"),
    [
        (0, True, "week", ("2025-03-01", "2025-03-07")),
        (7, False, "week", ("2025-03-08", "2025-03-14")),
        (3, True, "day", ("2025-03-04", "2025-03-04")),
        (28, True, None, ("2025-03-29", "2025-03-31")),  # no step: a week, cut at the end
        (0, False, "week", ("2025-03-01", "2025-03-31")),  # not playing, at the start: all
        (None, False, "day", ("2025-03-01", "2025-03-31")),
    ],
)
def test_chosen_filters_playback_window(offset, playing, step, window):
    chosen, last = chosen_filters(
        "2025-03-01", "2025-03-31", [], None, offset=offset, playing=playing, step=step
    )
    assert (chosen.start, chosen.end) == window
    assert last == 30  # the slider spans the whole range, whatever the window
