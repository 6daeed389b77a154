import csv
import io
from datetime import UTC, datetime

import pandas as pd
import pytest

from gridmap.incidents.stats import (
    StatsError,
    category_breakdown,
    child_ranking,
    grid_statistics,
    statistics_csv,
    statistics_filename,
    summary,
    trend,
)
from gridmap.incidents.store import COLUMNS
from tests.incident_fixtures import open_store, stored_record, tiny_grids


def t(day, hour=0):
    return datetime(2025, 3, day, hour, tzinfo=UTC)


# id, category, status, reported, resolved, level-5 grid
ROWS = [
    ("a", "neighbourhood", "resolved", t(3, 8), t(3, 20), "D-1-1-1-1"),  # 12 h, Monday
    ("b", "neighbourhood", "closed", t(4, 10), t(5, 10), "D-1-1-1-2"),  # 24 h
    ("c", "land", "dispatched", t(5, 9), None, "D-1-1-2-1"),
    ("d", "fire", "reported", t(10, 7), None, "D-1-2-1-1"),  # next Monday
    ("e", "land", "resolved", t(11, 0), t(13, 0), "D-2-1-1-1"),  # 48 h
    ("f", "environment", "resolved", t(12, 12), t(12, 18), "D-1-1-1-1"),  # 6 h
]


def records():
    return [
        stored_record(rid, g5, category=cat, status=st, reported_at=rep, resolved_at=res)
        for rid, cat, st, rep, res, g5 in ROWS
    ]


@pytest.fixture
def frame():
    return pd.DataFrame(records(), columns=list(COLUMNS))


def test_summary(frame):
    s = summary(frame)
    assert s == {
        "total": 6,
        "open": 2,
        "resolved": 4,
        "resolution_rate": pytest.approx(4 / 6),
        "median_hours_to_resolve": pytest.approx(18.0),  # median of 6, 12, 24, 48
    }


def test_summary_of_nothing(frame):
    assert summary(frame.iloc[:0]) == {
        "total": 0,
        "open": 0,
        "resolved": 0,
        "resolution_rate": None,
        "median_hours_to_resolve": None,
    }


def test_weekly_trend_starts_on_monday(frame):
    weeks = trend(frame, "week", start=t(3), end=t(17), tz="UTC")
    assert weeks["period"].tolist() == [
        pd.Timestamp("2025-03-03", tz="UTC"),
        pd.Timestamp("2025-03-10", tz="UTC"),
    ]
    assert weeks["count"].tolist() == [3, 3]
    assert weeks["resolved"].tolist() == [2, 2]


def test_trend_says_how_many_days_each_period_holds(frame):
    # Mar 5 (Wed) to Mar 19 (Wed) exclusive: the first and last weeks are cut by the range.
    weeks = trend(frame, "week", start=t(5), end=t(19), tz="UTC")
    assert weeks["days"].tolist() == [5, 7, 2]
    assert trend(frame, "day", start=t(3), end=t(6), tz="UTC")["days"].tolist() == [1, 1, 1]


def test_daily_trend_has_empty_days(frame):
    days = trend(frame, "day", start=t(3), end=t(8), tz="UTC")
    assert days["count"].tolist() == [1, 1, 1, 0, 0]
    assert days["resolved"].tolist() == [1, 1, 0, 0, 0]
    assert trend(frame, "day")["count"].sum() == 6  # default range: first..last incident


def test_trend_days_are_local_by_default():
    # 2025-03-03 17:00 UTC is 2025-03-04 01:00 in Huaiyang (UTC+8).
    late = pd.DataFrame([stored_record("n", reported_at=t(3, 17))], columns=list(COLUMNS))
    assert trend(late, "day", tz="UTC")["period"].tolist() == [pd.Timestamp("2025-03-03", tz="UTC")]
    local = trend(late, "day")
    assert local["period"].tolist() == [pd.Timestamp("2025-03-04", tz="Asia/Shanghai")]
    assert trend(late.iloc[:0], "day", start=t(3)).empty is False  # one empty day
    with pytest.raises(StatsError, match="start must be timezone-aware"):
        trend(late, "day", start=datetime(2025, 3, 3))


def test_trend_rejects_unknown_freq(frame):
    with pytest.raises(StatsError, match="freq must be one of"):
        trend(frame, "month")


def test_category_breakdown(frame):
    table = category_breakdown(frame, "en")
    assert table["category"].tolist() == ["neighbourhood", "land", "fire", "environment"]
    assert table["count"].tolist() == [2, 2, 1, 1]
    assert table["share"].tolist() == pytest.approx([2 / 6, 2 / 6, 1 / 6, 1 / 6])
    assert table["open"].tolist() == [0, 1, 1, 0]
    assert table["label"].iloc[0] == "Neighbourhood disputes"
    land = table.set_index("category").loc["land"]
    assert land["median_hours_to_resolve"] == pytest.approx(48.0)


def test_child_ranking_by_count_and_rate():
    grids = tiny_grids()
    children = grids[grids["parent_id"] == "D"]
    by_count = child_ranking({"D-1": 5, "D-2": 1}, children, "count", "en")
    assert by_count["grid_id"].tolist() == ["D-1", "D-2"]
    assert by_count["per_1000"].tolist() == pytest.approx([5000 / 3600, 0.1])
    assert by_count["name"].tolist() == ["Grid D-1", "Grid D-2"]
    leaves = grids[grids["parent_id"] == "D-2-2-2"]  # populations 1500, 1600
    by_rate = child_ranking({"D-2-2-2-2": 3}, leaves, "per_1000")
    assert by_rate["grid_id"].tolist() == ["D-2-2-2-2", "D-2-2-2-1"]
    assert by_rate["count"].tolist() == [3, 0]
    assert by_rate["rank"].tolist() == [1, 2]


def test_child_ranking_unknown_population_goes_last():
    grids = tiny_grids()
    children = grids[grids["parent_id"] == "D-1"].copy()
    children.loc["D-1-1", "population"] = 0  # rate undefined
    table = child_ranking({"D-1-1": 9, "D-1-2": 1}, children, "per_1000")
    assert table["grid_id"].tolist() == ["D-1-2", "D-1-1"]
    assert pd.isna(table["per_1000"].iloc[1])


def test_child_ranking_rejects_unknown_metric():
    with pytest.raises(StatsError, match="metric must be one of"):
        child_ranking({}, tiny_grids(), "density")


def test_grid_statistics_over_a_store(tmp_path):
    store = open_store("sqlite", tmp_path)
    store.insert(records())
    grids = tiny_grids()
    stats = grid_statistics(store, grids, "D-1", freq="week", metric="per_1000", lang="en")
    assert stats["summary"]["total"] == 5
    assert stats["summary"]["median_hours_to_resolve"] == pytest.approx(12.0)  # 6, 12, 24
    children = stats["children"].set_index("grid_id")
    assert children.loc["D-1-1", "count"] == 4 and children.loc["D-1-2", "count"] == 1
    assert children.loc["D-1-1", "per_1000"] == pytest.approx(4.0)
    assert stats["trend"]["count"].tolist() == [3, 2]  # local weeks of Mar 3 and Mar 10
    leaf = grid_statistics(store, grids, "D-1-1-1-1")
    assert leaf["summary"]["total"] == 2 and leaf["children"].empty
    with pytest.raises(StatsError, match="unknown grid 'X'"):
        grid_statistics(store, grids, "X")


def test_statistics_filename():
    assert statistics_filename("D-1-2") == "incidents-D-1-2.csv"


def test_grid_statistics_within_a_scope(tmp_path):
    store = open_store("sqlite", tmp_path)
    store.insert(records())
    grids = tiny_grids()
    stats = grid_statistics(store, grids, "D-1", within=[(3, "D-1-1")])
    assert stats["summary"]["total"] == 4
    # Child grids outside the scope are neither counted nor named.
    assert stats["children"]["grid_id"].tolist() == ["D-1-1"]
    assert grid_statistics(store, grids, "D-1", within=[])["summary"]["total"] == 0


def test_statistics_csv_neutralises_formulas():
    children = pd.DataFrame(
        {"rank": [1], "grid_id": ["G1"], "name": ['=HYPERLINK("http://x","y")'],
         "population": [None], "count": [2], "per_1000": [float("nan")]}
    )  # fmt: skip
    stats = {
        "summary": {"total": 2, "resolution_rate": None},
        "trend": pd.DataFrame(columns=["period", "count", "resolved"]),
        "categories": pd.DataFrame({"category": ["fire"], "label": ["+Fire"], "count": [-1]}),
        "children": children,
    }
    text = statistics_csv(stats, "G", "@name", "2025-03-01|2025-03-31")
    assert text.startswith("\ufeffgrid,G,'@name\r\n")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert ["resolution_rate", ""] in rows
    assert ["fire", "'+Fire", "-1"] in rows  # a negative number is not a formula
    assert ["1", "G1", '\'=HYPERLINK("http://x","y")', "", "2", ""] in rows


def test_trend_period_follows_the_window():
    from datetime import timedelta

    from gridmap.incidents.stats import trend_freq

    assert trend_freq(timedelta(days=7)) == "day" and trend_freq(timedelta(days=31)) == "day"
    assert trend_freq(timedelta(days=32)) == "week"
