"""The statistics panel's small charts: the trend line and the category bars."""

from __future__ import annotations

import pandas as pd
import pytest

from layers.stats_figures import category_figure, trend_figure


def weeks(counts, days=None):
    starts = pd.date_range("2025-01-06", periods=len(counts), freq="7D", tz="Asia/Shanghai")
    frame = {"period": starts, "count": counts, "resolved": [0] * len(counts)}
    frame["days"] = days or [7] * len(counts)
    return pd.DataFrame(frame)


def test_trend_of_a_few_periods_is_bars_not_a_two_point_line():
    # A playback window of one or two periods: bars, never a line between two points.
    figure = trend_figure(weeks([4, 0]), "en")
    (bars,) = figure["data"]
    assert bars["type"] == "bar"
    assert bars["x"] == ["2025-01-06", "2025-01-13"]
    assert bars["y"] == [4, 0] and all(isinstance(v, int) for v in bars["y"])
    assert bars["name"] == "Reported"
    assert figure["layout"]["title"]["text"] == "Trend (per week)"
    assert figure["layout"]["yaxis"]["rangemode"] == "tozero"
    assert trend_figure(weeks([1] * 7, [1] * 7), "zh", "day")["layout"]["title"]["text"] == (
        "事件趋势（按日）"
    )


def test_trend_line_marks_the_partial_last_week():
    counts = [50] * 19 + [9]
    figure = trend_figure(weeks(counts, [7] * 19 + [2]), "en")
    line, cut = figure["data"]
    assert line["type"] == "scatter" and line["mode"] == "lines"
    # The line stops at the last whole week; the cut week is a dot of its own, said partial.
    assert line["y"][:19] == [50] * 19 and line["y"][19] is None
    assert cut["mode"] == "markers" and cut["x"] == ["2025-05-19"] and cut["y"] == [9]
    assert cut["customdata"] == [" (partial: 2 days only)"]
    assert cut["name"] == "Partial week"


@pytest.mark.parametrize("top", [0, 1, 2, 3, 5])
def test_count_axes_tick_whole_numbers(top):
    # Plotly ticks 0.5 on small ranges; counts tick 0, 1, 2, ...
    axis = trend_figure(weeks([top, 0]), "en")["layout"]["yaxis"]
    assert axis["dtick"] == 1 and axis["tickformat"] == ",d"
    bars = category_figure(pd.DataFrame({"label": ["Fire"], "count": [top]}), "en")
    assert bars["layout"]["xaxis"]["dtick"] == 1
    assert "dtick" not in trend_figure(weeks([400, 300]), "en")["layout"]["yaxis"]


def test_trend_figure_of_an_empty_trend_in_chinese():
    figure = trend_figure(pd.DataFrame(columns=["period", "count", "resolved", "days"]), "zh")
    assert figure["data"][0]["x"] == [] and figure["data"][0]["y"] == []
    assert figure["layout"]["title"]["text"] == "事件趋势（按周）"


def test_category_figure_bars_bottom_up():
    categories = pd.DataFrame({"label": ["Fire", "Flood", "Other"], "count": [5, 3, 1]})
    figure = category_figure(categories, "en")
    (bars,) = figure["data"]
    assert bars["type"] == "bar" and bars["orientation"] == "h"
    # Most frequent first in the table: drawn last, so at the top of the chart.
    assert bars["y"] == ["Other", "Flood", "Fire"] and bars["x"] == [1, 3, 5]
    assert figure["layout"]["height"] == 40 + 18 * 3
    assert figure["layout"]["title"]["text"] == "By category"


def test_category_figure_of_no_category_keeps_one_row_of_height():
    figure = category_figure(pd.DataFrame(columns=["label", "count"]), "en")
    assert figure["data"][0]["x"] == [] and figure["data"][0]["y"] == []
    assert figure["layout"]["height"] == 40 + 18


@pytest.mark.parametrize(("lang", "tickformat"), [("zh", "%Y年%-m月"), ("en", "%b %Y")])
def test_trend_dates_tick_in_the_pages_language(lang, tickformat):
    # Without a locale Plotly writes "Jan 2026" in the Chinese page.
    axis = trend_figure(weeks([3] * 30), lang)["layout"]["xaxis"]
    assert axis["type"] == "date" and axis["tickformat"] == tickformat
