"""The statistics panel's small charts: the trend line and the category bars."""

from __future__ import annotations

import pandas as pd

from layers.stats_figures import category_figure, trend_figure


def test_trend_figure_one_point_per_period():
    trend = pd.DataFrame(
        {
            "period": pd.to_datetime(["2025-03-03", "2025-03-10"]).tz_localize("Asia/Shanghai"),
            "count": [4, 0],
            "resolved": [2, 0],
        }
    )
    figure = trend_figure(trend, "en")
    (line,) = figure["data"]
    assert line["type"] == "scatter" and line["mode"] == "lines"
    assert line["x"] == ["2025-03-03", "2025-03-10"]
    assert line["y"] == [4, 0] and all(isinstance(v, int) for v in line["y"])
    assert line["name"] == "Reported"
    assert figure["layout"]["title"]["text"] == "Trend (per week)"
    assert figure["layout"]["yaxis"]["rangemode"] == "tozero"


def test_trend_figure_of_an_empty_trend_in_chinese():
    figure = trend_figure(pd.DataFrame(columns=["period", "count", "resolved"]), "zh")
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
