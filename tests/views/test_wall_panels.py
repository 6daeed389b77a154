"""The wall's panels from a real store: trend, category split, ranking, overdue cases, labels."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from gridmap.clock import LOCAL_TZ
from gridmap.incidents.deadlines import default_limits
from gridmap.incidents.store import IncidentStore
from gridmap.views.wall_labels import label_data, label_grids, short_name
from gridmap.views.wall_panels import (
    category_split,
    duration_text,
    on_time_rates,
    overdue_by_grid,
    overdue_cases,
    ranking,
    read_rows,
    scope_on_time,
    scope_weeks,
    tiles,
    trend_panel,
    window_start,
)
from tests.incident_fixtures import stored_record

# Thursday 2025-12-04 10:00 in Huaiyang.
NOW = datetime(2025, 12, 4, 10, 0, tzinfo=LOCAL_TZ)
LIMITS = default_limits()


def hours_ago(h: float) -> datetime:
    return NOW - timedelta(hours=h)


@pytest.fixture()
def store(tmp_path) -> IncidentStore:
    store = IncidentStore(f"sqlite:///{tmp_path / 'panels.sqlite'}", clock=lambda: NOW)
    records = [
        # Township D-1: three today, one a week ago (same weekday), a late one 40 days ago.
        stored_record("a", "D-1-1-1-1", reported_at=hours_ago(1), category="fire"),
        stored_record("b", "D-1-1-1-1", reported_at=hours_ago(5)),  # 5 h, register 2 h: late
        stored_record("c", "D-1-2-1-1", reported_at=hours_ago(9), category="fire",
                      status="resolved", resolved_at=hours_ago(8)),
        stored_record("d", "D-1-1-1-1", reported_at=hours_ago(7 * 24 + 2), category="security",
                      status="resolved", resolved_at=hours_ago(7 * 24 - 30)),  # 32 h: late
        stored_record("old", "D-1-1-1-1", reported_at=hours_ago(40 * 24), category="labour",
                      status="dispatched", dispatched_at=hours_ago(40 * 24 - 1)),
        # Township D-2: one today, overdue dispatch (security: dispatch 1 h).
        stored_record("e", "D-2-1-1-1", reported_at=hours_ago(3), category="security",
                      status="reported"),
    ]  # fmt: skip
    store.insert(records)
    return store


def test_window_covers_the_trend_and_last_week():
    start = window_start(NOW)
    assert start <= NOW - timedelta(days=29) and start.hour == 0
    assert start <= datetime(2025, 11, 24, tzinfo=LOCAL_TZ)


def test_read_rows_within_scope(store):
    rows = read_rows(store, NOW)
    assert sorted(r["id"] for r in rows.recent) == ["a", "b", "c", "d", "e"]
    # Active: open now (a, b, e, old), or resolved in the window (c, d).
    assert sorted(r["id"] for r in rows.active) == ["a", "b", "c", "d", "e", "old"]
    mine = read_rows(store, NOW, within=[(2, "D-2")])
    assert [r["id"] for r in mine.recent] == ["e"] and [r["id"] for r in mine.active] == ["e"]
    assert read_rows(store, NOW, within=[]).active == []


def test_trend_today_against_the_same_weekday(store):
    trend = trend_panel(read_rows(store, NOW), NOW)
    assert len(trend["days"]) == 30
    assert trend["days"][-1] == {"day": "12-04", "weekday": 3, "count": 4}
    assert trend["today"] == 4
    # Last Thursday before 10:00: d (08:00); the three Thursdays before: nothing.
    assert trend["average"] == pytest.approx(1 / 4)
    assert trend["change"].direction == "up" and trend["change"].meaning == "bad"
    assert sum(d["count"] for d in trend["days"]) == 5


def test_category_split_largest_first(store):
    split = category_split(read_rows(store, NOW), NOW, "zh")
    assert [(r["id"], r["count"]) for r in split] == [
        ("fire", 2), ("security", 2), ("neighbourhood", 1),
    ]  # fmt: skip
    assert split[0]["label"] == "消防安全隐患"
    assert sum(r["share"] for r in split) == pytest.approx(1.0)


def test_overdue_and_on_time_by_grid_from_the_dispatch_columns(store):
    # Overdue now: b (register 2 h), old (dispatched 40 days ago, 7 days to close), e
    # (security: register 0.5 h); d (resolved: handled, closing due 24 h after its report).
    assert overdue_by_grid(store, 2, NOW) == {"D-1": 3, "D-2": 1}
    assert overdue_by_grid(store, 2, NOW, within=[(2, "D-2")]) == {"D-2": 1}
    assert overdue_by_grid(store, 2, NOW, within=[]) == {}
    # Nothing is closed (resolved cases are handled, waiting to be closed): no rate yet.
    month = NOW - timedelta(days=30)
    assert on_time_rates(store, 2, NOW, month, NOW) == {"D-1": None, "D-2": None}
    assert scope_on_time(store, NOW) == (None, None)


def test_on_time_rates_of_closed_cases(tmp_path):
    store = IncidentStore(f"sqlite:///{tmp_path / 'closed.sqlite'}", clock=lambda: NOW)
    store.insert(
        [
            stored_record("in-time", "D-1-1-1-1", reported_at=hours_ago(30), category="fire",
                          status="closed", resolved_at=hours_ago(29), closed_at=hours_ago(28)),
            stored_record("late", "D-1-1-1-1", reported_at=hours_ago(160), category="fire",
                          status="closed", resolved_at=hours_ago(2), closed_at=hours_ago(1)),
        ]
    )  # fmt: skip
    month = NOW - timedelta(days=30)
    assert on_time_rates(store, 2, NOW, month, NOW) == {"D-1": pytest.approx(0.5)}
    this_week, last_week = scope_on_time(store, NOW)  # the last 7 days, the 7 before
    assert this_week == pytest.approx(0.5) and last_week is None
    store.insert(
        [stored_record("before", "D-1-1-1-1", reported_at=hours_ago(200), category="fire",
                       status="closed", resolved_at=hours_ago(199), closed_at=hours_ago(198))]
    )  # fmt: skip
    assert scope_on_time(store, NOW) == (pytest.approx(0.5), pytest.approx(1.0))


def test_ranking_worst_first_with_worst_columns(store):
    units = [("D-1", 2, "一镇", 1000), ("D-2", 2, "二镇", 100), ("D-3", 2, "三镇", None)]
    on_time = {"D-1": 0.5, "D-2": None}
    ranked = ranking(read_rows(store, NOW), units, NOW, on_time, overdue_by_grid(store, 2, NOW))
    assert [u["id"] for u in ranked] == ["D-2", "D-1", "D-3"]
    two, one, three = ranked
    assert two["per_1000"] == pytest.approx(10.0) and one["per_1000"] == pytest.approx(4.0)
    assert three["per_1000"] is None and three["count"] == 0
    assert one["count"] == 4 and one["overdue"] == 3
    assert two["overdue"] == 1  # e: security, 3 h without registering
    assert one["on_time"] == pytest.approx(0.5) and two["on_time"] is None
    assert [u["rank"] for u in ranked] == [1, 2, 3]
    assert set(two["worst"]) == {"per_1000"}
    # The only unit with an on-time rate is not "the worst" of one.
    assert set(one["worst"]) == {"count", "overdue"}
    assert three["worst"] == []


def test_overdue_cases_longest_past_first(store):
    names = {"D-1-1": "李庄村", "D-1": "一镇", "D-2-1": "王庄村", "D-2": "二镇"}
    queue = store.queue("overdue", now=NOW)
    cases = overdue_cases(queue, names, "zh")
    assert [c["id"] for c in cases] == ["old", "d", "b", "e"]
    old, d, b, e = cases
    assert old["stage"] == "close" and old["over"] == "33天0小时"  # 40 days - 7 days
    assert d["stage"] == "close" and d["over"] == "6天2小时"  # handled, not closed: 24 h
    assert b["stage"] == "register" and b["over"] == "3小时0分" and b["village"] == "李庄村"
    assert e["stage"] == "register" and e["over"] == "2小时30分"  # security: register 0.5 h
    assert e["township"] == "二镇" and e["lon"] == pytest.approx(114.81)
    assert not e["escalated"]


def test_tiles_from_the_store(store):
    counts = store.queue_counts(now=NOW)
    moved = tiles(read_rows(store, NOW), NOW, LIMITS, counts["overdue"], (None, None))
    assert moved["today"].current == 4 and moved["open"].current == 4
    assert moved["overdue"].current == 4 == counts["overdue"]
    # 24 h ago: old (close), d (its close deadline passed 24 h after its report) were late.
    assert moved["overdue"].previous == 2
    assert moved["resolved_today"].current == 1
    # Without the store's figures, the rows alone give the same overdue count.
    assert tiles(read_rows(store, NOW), NOW, LIMITS)["overdue"].current == 4


@pytest.mark.parametrize(
    ("seconds", "zh", "en"),
    [(59 * 60, "59分钟", "59 min"), (3 * 3600 + 20 * 60, "3小时20分", "3 h 20 min"),
     (50 * 3600, "2天2小时", "2 d 2 h")],
)  # fmt: skip
def test_duration_text(seconds, zh, en):
    assert duration_text(seconds, "zh") == zh and duration_text(seconds, "en") == en


@pytest.mark.parametrize(
    ("name", "lang", "short"),
    [
        ("柳湖街道", "zh", "柳湖"),
        ("城关回族镇", "zh", "城关"),
        ("龙湖风景区", "zh", "龙湖"),
        ("产业集聚区", "zh", "产业区"),
        ("大连乡", "zh", "大连"),
        ("镇", "zh", "镇"),  # nothing would be left
        ("Liuhu Subdistrict", "en", "Liuhu"),
        ("Dalian Township", "en", "Dalian"),
        ("Town", "en", "Town"),
    ],
)
def test_short_names(name, lang, short):
    assert short_name(name, lang) == short


def test_label_grids_of_a_scope(district):
    assert label_grids(district, None) == ["T1", "T2"]
    assert label_grids(district, ["T1"]) == ["T11", "T12"]
    assert label_grids(district, ["T1", "T2"]) == ["T1", "T2"]
    assert label_grids(district, ["T1111"]) == ["T1111"]  # a leaf names itself
    labels = label_data(district, ["T1", "T2"], "zh")
    assert labels["names"] == ["东镇1", "东镇2"] and labels["short"] == ["东镇1", "东镇2"]
    assert labels["priority"][0] < labels["priority"][1]  # T2 holds more people


def test_scope_weeks_gives_the_dispatch_time_of_both_weeks(tmp_path):
    store = IncidentStore(f"sqlite:///{tmp_path / 'weeks.sqlite'}", clock=lambda: NOW)
    store.insert(
        [
            stored_record("now-1", "D-1-1-1-1", reported_at=hours_ago(5), status="dispatched",
                          dispatched_at=hours_ago(4)),
            stored_record("now-2", "D-2-1-1-1", reported_at=hours_ago(6), status="dispatched",
                          dispatched_at=hours_ago(3)),
            stored_record("before", "D-1-1-1-1", reported_at=hours_ago(200),
                          status="dispatched", dispatched_at=hours_ago(196)),
            stored_record("waiting", "D-1-1-1-1", reported_at=hours_ago(2)),
        ]
    )  # fmt: skip
    weeks = scope_weeks(store, NOW)
    assert weeks["dispatch_mean_h"] == (pytest.approx(2.0), pytest.approx(4.0))
    assert weeks["dispatch_p90_h"][0] == pytest.approx(2.8)  # 1 h and 3 h, interpolated
    assert weeks["on_time_rate"] == (None, None)  # nothing closed
    # Scoped: township D-2 alone.
    assert scope_weeks(store, NOW, [(2, "D-2")])["dispatch_mean_h"] == (pytest.approx(3.0), None)
    assert scope_weeks(store, NOW, [])["dispatch_mean_h"] == (None, None)
