"""Small charts of a grid's incident statistics: the trend and the category breakdown."""

from __future__ import annotations

import pandas as pd

from gridmap.i18n import t

_MARGINS = {"l": 40, "r": 8, "t": 24, "b": 30}
#: Up to this many periods the trend is drawn as bars (a line of two points reads as a trend).
BARS_UP_TO = 14
_FULL_DAYS = {"day": 1, "week": 7}
_BLUE = "#1f4e9c"
#: Date ticks in the page's language: Plotly's own are English ("Jan 2026") without a locale.
DATE_TICKS = {
    "zh": {"tickformat": "%Y年%-m月", "hoverformat": "%Y年%-m月%-d日"},
    "en": {"tickformat": "%b %Y", "hoverformat": "%Y-%m-%d"},
}
_PALE = "rgba(31,78,156,0.35)"


def count_axis(top: float) -> dict:
    """Return axis settings that tick counts in whole numbers only (never 0.5).

    Plotly picks 0.5 steps for small ranges; one step per incident up to 5, and integer
    formatting above.
    """
    axis: dict = {"tickformat": ",d", "rangemode": "tozero", "tickfont": {"size": 9}}
    if top <= 5:
        axis.update({"dtick": 1, "tick0": 0, "range": [0, max(top, 1) * 1.05]})
    return axis


def trend_figure(trend: pd.DataFrame, lang: str, freq: str = "week") -> dict:
    """Return a chart of incidents per period (``period``, ``count`` and ``days`` columns).

    A period the date range cuts (``days`` below a full week) is drawn pale and named
    partial, so a short last week does not read as a collapse. Few periods (a playback
    window) are bars, not a line between two points.
    """
    periods = [str(p)[:10] for p in trend.get("period", [])]
    counts = [int(v) for v in trend.get("count", [])]
    full = _FULL_DAYS.get(freq, 7)
    days = [int(d) for d in trend["days"]] if "days" in trend else [full] * len(counts)
    partial = [d < full for d in days]
    name = t("stats-reported", lang)
    note = [
        t("stats-partial", lang, days=d) if p else "" for d, p in zip(days, partial, strict=True)
    ]
    hover = "%{x}: %{y}%{customdata}<extra></extra>"
    if len(counts) <= BARS_UP_TO:
        data = [
            {
                "type": "bar",
                "x": periods,
                "y": counts,
                "marker": {"color": [_PALE if p else _BLUE for p in partial]},
                "customdata": [f" ({n})" if n else "" for n in note],
                "name": name,
                "hovertemplate": hover,
            }
        ]
    else:
        # The line joins the whole periods; a cut period at either end is a pale open dot.
        whole = [c if not p else None for c, p in zip(counts, partial, strict=True)]
        data = [
            {
                "type": "scatter",
                "mode": "lines",
                "x": periods,
                "y": whole,
                "line": {"color": _BLUE, "width": 1.6},
                "name": name,
                "hovertemplate": "%{x}: %{y}<extra></extra>",
            }
        ]
        if any(partial):
            data.append(
                {
                    "type": "scatter",
                    "mode": "markers",
                    "x": [x for x, p in zip(periods, partial, strict=True) if p],
                    "y": [c for c, p in zip(counts, partial, strict=True) if p],
                    "marker": {
                        "color": "white",
                        "line": {"color": _BLUE, "width": 1.2},
                        "size": 6,
                    },  # fmt: skip
                    "customdata": [f" ({n})" for n, p in zip(note, partial, strict=True) if p],
                    "name": t("stats-partial-name", lang),
                    "hovertemplate": hover,
                }
            )
    title = t("stats-trend" if freq == "week" else "stats-trend-day", lang)
    return {
        "data": data,
        "layout": {
            "title": {"text": title, "font": {"size": 12}},
            "margin": _MARGINS,
            "height": 160,
            "showlegend": False,
            "bargap": 0.15,
            "xaxis": {"tickfont": {"size": 9}, "type": "date", **DATE_TICKS[lang]},
            "yaxis": count_axis(max(counts, default=0)),
            "paper_bgcolor": "rgba(0,0,0,0)",
            "plot_bgcolor": "rgba(0,0,0,0)",
        },
    }


def category_figure(categories: pd.DataFrame, lang: str) -> dict:
    """Return a horizontal bar chart of incidents per category (``label``, ``count``)."""
    frame = categories.iloc[::-1] if len(categories) else categories
    counts = [int(v) for v in frame.get("count", [])]
    axis = count_axis(max(counts, default=0))
    axis["tickfont"] = {"size": 9}
    return {
        "data": [
            {
                "type": "bar",
                "orientation": "h",
                "x": counts,
                "y": list(frame.get("label", [])),
                "marker": {"color": "#d08a3c"},
                "hovertemplate": "%{y}: %{x}<extra></extra>",
            }
        ],
        "layout": {
            "title": {"text": t("stats-categories", lang), "font": {"size": 12}},
            "margin": {"l": 110, "r": 8, "t": 24, "b": 24},
            "height": 40 + 18 * max(len(frame), 1),
            "xaxis": axis,
            "yaxis": {"tickfont": {"size": 10}, "automargin": True},
            "paper_bgcolor": "rgba(0,0,0,0)",
            "plot_bgcolor": "rgba(0,0,0,0)",
        },
    }
