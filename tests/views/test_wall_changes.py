"""The wall's figures over time: daily counts, same-weekday average, changes and their meaning."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from gridmap.clock import LOCAL_TZ
from gridmap.incidents.deadlines import default_limits
from gridmap.views.wall_changes import (
    GOOD_DIRECTION,
    change,
    change_text,
    daily_counts,
    on_time,
    open_at,
    overdue_at,
    same_weekday_average,
    stage_at,
    tile_changes,
    tile_figures,
    value_text,
)

# Thursday 2025-12-04 10:00 in Huaiyang.
NOW = datetime(2025, 12, 4, 10, 0, tzinfo=LOCAL_TZ)
LIMITS = default_limits()


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """Return a local time on December ``day`` 2025 (0, -1, ...: the days of November before)."""
    return datetime(2025, 12, 1, hour, minute, tzinfo=LOCAL_TZ) + timedelta(days=day - 1)


def case(reported, status="reported", category="neighbourhood", **times) -> dict:
    """Return a row as the store keeps it (a resolved case is handled when it was resolved)."""
    row = {"category": category, "status": status, "reported_at": reported}
    row.update(
        {
            k: None
            for k in ("registered_at", "dispatched_at", "handled_at", "resolved_at", "closed_at")
        }  # fmt: skip
    )
    row.update(times)
    if row["resolved_at"] is not None and row["handled_at"] is None:
        row["handled_at"] = row["resolved_at"]
    return row


def test_daily_counts_are_local_days_today_last_and_up_to_now():
    times = [at(4, 9), at(4, 0, 1), at(3, 23, 59), at(4, 11)]  # 11:00 is after now
    counts = daily_counts(times, NOW, days=3)
    assert [d.isoformat() for d, _ in counts] == ["2025-12-02", "2025-12-03", "2025-12-04"]
    assert [n for _, n in counts] == [0, 1, 2]
    assert len(daily_counts([], NOW)) == 30


def test_same_weekday_average_counts_the_previous_weeks_up_to_the_same_time():
    # Thursdays before: 11-27 (two before 10:00, one after), 11-20 (one), 11-13, 11-06 (none).
    times = [
        at(-3, 8),
        at(-3, 9, 59),
        at(-3, 10, 1),  # 2025-11-27
        at(-10, 0, 5),  # 2025-11-20
        at(3, 9),  # a Wednesday: not counted
        at(4, 9),  # today: not counted
    ]
    assert [t.strftime("%a %m-%d") for t in times[:4]] == [
        "Thu 11-27", "Thu 11-27", "Thu 11-27", "Thu 11-20",
    ]  # fmt: skip
    assert same_weekday_average(times, NOW) == pytest.approx(3 / 4)
    assert same_weekday_average(times, NOW, weeks=1) == 2


@pytest.mark.parametrize(
    ("current", "previous", "good", "direction", "meaning", "ratio"),
    [
        (12, 10, "down", "up", "bad", 0.2),  # more overdue: bad
        (8, 10, "down", "down", "good", -0.2),  # fewer open: good
        (8, 10, "up", "down", "bad", -0.2),  # fewer resolved: bad
        (12, 10, "up", "up", "good", 0.2),
        (10, 10, "down", "flat", "neutral", 0.0),
        (3, 0, "down", "up", "bad", None),  # no ratio against nothing
        (None, 4, "down", None, "neutral", None),
    ],
)
def test_change_direction_and_meaning(current, previous, good, direction, meaning, ratio):
    moved = change(current, previous, good)
    assert moved.direction == direction and moved.meaning == meaning
    assert moved.ratio == (pytest.approx(ratio) if ratio is not None else None)


def test_change_rejects_an_unknown_direction():
    with pytest.raises(ValueError, match="good must be"):
        change(1, 2, "sideways")


def test_change_texts_name_the_period_and_points_for_rates():
    assert change_text("overdue", change(12, 10, "down"), "zh") == {
        "text": "较昨日 ▲2 (+20%)",
        "meaning": "bad",
    }
    assert change_text("week", change(90, 100, "down"), "en") == {
        "text": "vs last week ▼10 (-10%)",
        "meaning": "good",
    }
    rate = change_text("on_time_rate", change(0.9, 0.8, "up"), "zh")
    assert rate == {"text": "较上周 ▲10.0个百分点", "meaning": "good"}
    assert change_text("open", change(5, 5), "zh")["text"] == "较昨日 持平"
    assert change_text("today", change(2, 1.5), "zh")["text"] == "较昨日 ▲0.5 (+33%)"
    assert change_text("open", change(None, 5), "zh") == {"text": "", "meaning": "neutral"}
    assert value_text("on_time_rate", 0.925) == "92.5%"
    assert value_text("open", 1234) == "1,234"
    assert value_text("open", None) == "—"


def test_open_and_overdue_at_a_time():
    # A neighbourhood dispute (register 2 h, dispatch 4 h, close 7 days).
    row = case(at(4, 6), dispatched_at=at(4, 7), status="dispatched")
    assert open_at(row, NOW) and not open_at(row, at(4, 5))
    assert stage_at(row, NOW) == "close" and stage_at(row, at(4, 5)) is None
    assert overdue_at(row, NOW, LIMITS) is None  # dispatched: 7 days to close
    late = case(at(4, 6))  # still reported after 4 h: past its 2 h to register
    assert overdue_at(late, NOW, LIMITS) == pytest.approx(2 * 3600)
    assert overdue_at(late, at(4, 7), LIMITS) is None  # one hour in: not yet
    registered = case(at(4, 3), registered_at=at(4, 4))  # to dispatch within 4 h: 3 h late
    assert stage_at(registered, NOW) == "dispatch"
    assert overdue_at(registered, NOW, LIMITS) == pytest.approx(3 * 3600)
    done = case(at(1, 0), status="resolved", resolved_at=at(4, 9))
    assert overdue_at(done, NOW, LIMITS) is None  # handled: the close stage, 7 days from report
    # Yesterday at 10:00 it was not handled yet and past its 2 h to register.
    assert overdue_at(done, at(3, 10), LIMITS) == pytest.approx((58 - 2) * 3600)
    old = case(at(-10, 0), status="resolved", resolved_at=at(-9, 0))  # handled, never closed
    assert overdue_at(old, NOW, LIMITS) == pytest.approx((14 * 24 + 10 - 7 * 24) * 3600)
    closed = case(at(-10, 0), status="closed", resolved_at=at(-9, 0), closed_at=at(-9, 1))
    assert overdue_at(closed, NOW, LIMITS) is None and stage_at(closed, NOW) is None
    # A category without limits takes the fallback ("other": 4 h to register).
    assert overdue_at(case(at(4, 5), category="nobody-knows"), NOW, LIMITS) == pytest.approx(3600)


def test_on_time_against_the_closing_limit():
    fire = case(at(1, 0), category="fire", status="resolved", resolved_at=at(3, 23))  # 71 h
    assert on_time(fire, LIMITS) is True
    slow = case(at(1, 0), category="fire", status="resolved", resolved_at=at(4, 1))  # 73 h
    assert on_time(slow, LIMITS) is False
    assert on_time(case(at(1, 0)), LIMITS) is None
    assert on_time(case(at(1, 0), category="nobody-knows", resolved_at=at(2, 0)), LIMITS) is None


def test_tile_figures_compare_with_yesterday_and_last_week_at_the_same_time():
    reported = [
        at(4, 9),
        at(4, 1),  # today
        at(3, 9),
        at(3, 11),  # yesterday (11:00 is after "the same time")
        at(1, 8),  # Monday of this week
        at(-6, 9),
        at(-3, 12),  # last week: Mon 11-24 09:00, Thu 11-27 12:00 (after the time)
    ]
    active = [
        case(at(4, 9)),  # open, not overdue (1 h of 2)
        case(at(3, 9)),  # open, overdue now (25 h); yesterday 10:00 it was 1 h old: not yet
        case(at(2, 9), status="resolved", resolved_at=at(4, 8)),  # open yesterday, overdue then
        case(at(1, 8), status="resolved", resolved_at=at(3, 8)),  # resolved yesterday before 10
        case(at(-6, 9), status="closed", resolved_at=at(-5, 9), closed_at=at(-5, 10)),
    ]
    figures = tile_figures(reported, active, NOW, LIMITS)
    assert figures["today"] == (2, 1)
    assert figures["week"] == (5, 1)
    assert figures["open"] == (2, 2)
    assert figures["overdue"] == (1, 1)
    assert figures["resolved_today"] == (1, 1)
    # This week: two resolved, both within 7 days; last week up to Thursday 10:00: one.
    assert figures["on_time_rate"] == (1.0, 1.0)
    # The store's own figures replace those computed here when given.
    given = tile_figures(reported, active, NOW, LIMITS, overdue_now=7, on_time=(0.5, None))
    assert given["overdue"] == (7, 1) and given["on_time_rate"] == (0.5, None)
    moved = tile_changes(figures)
    assert moved["today"].direction == "up" and moved["today"].meaning == "bad"
    assert moved["week"].meaning == "bad"
    assert moved["open"].direction == "flat"


def test_the_dispatch_time_tile_is_hours_against_last_week_and_faster_is_good():
    figures = tile_figures([], [], NOW, LIMITS, dispatch=(0.8, 1.3))
    moved = tile_changes(figures)["dispatch_time"]
    assert moved.direction == "down" and moved.meaning == "good"
    assert value_text("dispatch_time", moved.current) == "0.8"
    assert change_text("dispatch_time", moved, "zh") == {
        "text": "较上周 ▼0.5小时",
        "meaning": "good",
    }
    assert change_text("dispatch_time", moved, "en")["text"] == "vs last week ▼0.5 h"
    slower = change(1.3, 0.8, GOOD_DIRECTION["dispatch_time"])
    assert change_text("dispatch_time", slower, "zh")["meaning"] == "bad"
    # Less than the tenth of an hour shown is no change; unknown without the figures.
    same = change(0.82, 0.8, "down")
    assert change_text("dispatch_time", same, "zh") == {"text": "较上周 持平", "meaning": "neutral"}
    assert tile_figures([], [], NOW, LIMITS)["dispatch_time"] == (None, None)
    assert value_text("dispatch_time", None) == "—"
