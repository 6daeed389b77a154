"""The incident filter row: dates, categories, statuses, playback."""

from __future__ import annotations

from datetime import date

from dash import dcc, html

from gridmap.i18n import t
from gridmap.incidents.categories import DEFAULTS, STATUSES, Categories
from ui import ids
from ui.dropdowns import dropdown_labels


def category_options(lang: str, categories: Categories = DEFAULTS) -> list[dict]:
    """Return the options of the district's ``categories`` in ``lang``."""
    return categories.options(lang)


def status_options(lang: str) -> list[dict]:
    """Return the status options in ``lang``."""
    return [{"label": t(f"status-{s}", lang), "value": s} for s in STATUSES]


def step_options(lang: str) -> list[dict]:
    """Return the playback step options in ``lang``."""
    return [
        {"label": t("filters-step-day", lang), "value": "day"},
        {"label": t("filters-step-week", lang), "value": "week"},
    ]


def rank_options(lang: str) -> list[dict]:
    """Return the ranking options of the statistics' child table in ``lang``."""
    return [
        {"label": t("stats-rank-count", lang), "value": "count"},
        {"label": t("stats-rank-rate", lang), "value": "per_1000"},
    ]


def incident_controls(
    lang: str,
    start: str,
    end: str,
    refresh_seconds: int,
    categories: Categories = DEFAULTS,
    first: dict | None = None,
) -> html.Div:
    """Return the filter row for incidents between ``start`` and ``end`` (ISO dates).

    The category menu offers the district's ``categories``. ``first`` holds what the filter
    callbacks would answer on a page load (``filters``: the filters' key, ``max``: the slider's
    last step, ``label``: the window's text, ``version``: the store's version), so the page
    starts with them and the map's first answer waits for no other round trip.
    """
    first = first or {}
    return html.Div(
        [
            html.Label(t("filters-label", lang), id=ids.text("filters-label")),
            dcc.DatePickerRange(
                id=ids.DATE_RANGE,
                start_date=start,
                end_date=end,
                display_format="YYYY-MM-DD",
                max_date_allowed=date.fromisoformat(end),
                className="dates",
            ),
            dcc.Dropdown(
                id=ids.CATEGORY_SELECT,
                labels=dropdown_labels(lang),
                options=category_options(lang, categories),
                value=[],
                multi=True,
                placeholder=t("filters-categories", lang),
                className="categories",
            ),
            dcc.Checklist(
                id=ids.STATUS_CHECKLIST,
                options=status_options(lang),
                value=list(STATUSES),
                inline=True,
            ),
            html.Button(t("filters-play", lang), id=ids.PLAY_BUTTON, className="btn"),
            dcc.RadioItems(
                id=ids.STEP_RADIO, options=step_options(lang), value="week", inline=True
            ),
            dcc.Slider(
                id=ids.TIME_SLIDER,
                min=0,
                max=first.get("max", 1),
                step=1,
                value=0,
                marks=None,
                className="time-slider",
                updatemode="mouseup",
            ),
            html.Span(first.get("label"), id=ids.WINDOW_LABEL, className="window-label"),
            dcc.Interval(id=ids.PLAY_INTERVAL, interval=1200, disabled=True),
            dcc.Interval(id=ids.REFRESH_INTERVAL, interval=refresh_seconds * 1000),
            dcc.Store(id=ids.PLAY_STORE, data={"playing": False}),
            dcc.Store(id=ids.FILTERS_STORE, data=first.get("filters")),
            dcc.Store(id=ids.VERSION_STORE, data=first.get("version")),
        ],
        className="controls incident-controls",
    )
