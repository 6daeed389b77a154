"""Small charts of a grid's incident statistics: the trend and the category breakdown."""

from __future__ import annotations

import pandas as pd

from gridmap.i18n import t

_MARGINS = {"l": 40, "r": 8, "t": 24, "b": 30}


def trend_figure(trend: pd.DataFrame, lang: str) -> dict:
    """Return a line chart of incidents per period (``period`` and ``count`` columns)."""
    periods = [str(p)[:10] for p in trend.get("period", [])]
    data = [
        {
            "type": "scatter",
            "mode": "lines",
            "x": periods,
            "y": [int(v) for v in trend.get("count", [])],
            "line": {"color": "#1f4e9c", "width": 1.6},
            "name": t("stats-reported", lang),
            "hovertemplate": "%{x}: %{y}<extra></extra>",
        }
    ]
    return {
        "data": data,
        "layout": {
            "title": {"text": t("stats-trend", lang), "font": {"size": 12}},
            "margin": _MARGINS,
            "height": 160,
            "xaxis": {"tickfont": {"size": 9}},
            "yaxis": {"tickfont": {"size": 9}, "rangemode": "tozero"},
            "paper_bgcolor": "rgba(0,0,0,0)",
            "plot_bgcolor": "rgba(0,0,0,0)",
        },
    }


def category_figure(categories: pd.DataFrame, lang: str) -> dict:
    """Return a horizontal bar chart of incidents per category (``label``, ``count``)."""
    frame = categories.iloc[::-1] if len(categories) else categories
    return {
        "data": [
            {
                "type": "bar",
                "orientation": "h",
                "x": [int(v) for v in frame.get("count", [])],
                "y": list(frame.get("label", [])),
                "marker": {"color": "#d08a3c"},
                "hovertemplate": "%{y}: %{x}<extra></extra>",
            }
        ],
        "layout": {
            "title": {"text": t("stats-categories", lang), "font": {"size": 12}},
            "margin": {"l": 110, "r": 8, "t": 24, "b": 24},
            "height": 40 + 18 * max(len(frame), 1),
            "xaxis": {"tickfont": {"size": 9}},
            "yaxis": {"tickfont": {"size": 10}, "automargin": True},
            "paper_bgcolor": "rgba(0,0,0,0)",
            "plot_bgcolor": "rgba(0,0,0,0)",
        },
    }
