"""The wall's panels as HTML: KPI tiles, trend, category split, ranking, overdue, coverage.

Plain data in (from :mod:`gridmap.views.wall_panels`), Dash components out. Bars are divs sized
in percent, so they need no chart library, follow the panel's size and never flash on refresh.
"""

from __future__ import annotations

from dash import html

from gridmap.i18n import t
from gridmap.views.wall_changes import Change, change_text
from ui import wall_ids as ids

#: Days of the trend whose date is written under the bars (0: the oldest).
TREND_TICKS = (0, 7, 14, 21)


def _label(key: str, lang: str, tag=html.Div, **kwargs):
    return tag(t(key, lang), id=ids.text(key), **kwargs)


def _tile_label(name: str, key: str, lang: str):
    if name != "dispatch_time":
        return _label(key, lang, className="wall-kpi-label")
    # The mean's tile also names the 90th percentile (filled by the refresh).
    return html.Div(
        [
            _label(key, lang, html.Span),
            html.Span("", id=ids.DISPATCH_P90, className="wall-kpi-p90"),
        ],
        className="wall-kpi-label wall-kpi-label-split",
    )


def kpi_tiles(lang: str) -> list:
    """Return the KPI tiles (values and changes filled by the refresh callback)."""
    tiles = []
    for name, key in ids.KPIS:
        value = [html.Span("—", id=ids.kpi_value(name), className="wall-kpi-number")]
        if name == "dispatch_time":
            value.append(_label("wall-hours", lang, html.Span, className="wall-kpi-unit"))
        tiles.append(
            html.Div(
                [
                    _tile_label(name, key, lang),
                    html.Div(value, className="wall-kpi-value"),
                    html.Div(
                        "", id=ids.kpi_change(name), className="wall-kpi-change wall-change-neutral"
                    ),
                ],
                id=ids.kpi_tile(name),
                className=f"wall-kpi wall-kpi-{name.replace('_', '-')}",
            )
        )
    return tiles


def p90_text(hours: float | None, lang: str) -> str:
    """Return the 90th percentile beside the mean dispatch time ("" when unknown)."""
    if hours is None:
        return ""
    return t("wall-kpi-p90", lang, hours=f"{hours:.1f}")


def duty_card(lang: str) -> html.Section:
    """Return the staff on duty panel (its figures filled by the refresh)."""
    return html.Section(
        [
            _label("wall-duty", lang, className="wall-duty-title"),
            html.Div(id=ids.DUTY, className="wall-duty"),
        ],
        id=ids.panel("duty"),
        className="wall-duty-panel",
    )


def duty_figures(counts, lang: str, synthetic: bool = False) -> list:
    """Return the officers and grid members on duty now, of the rostered ones in scope.

    ``counts`` is :func:`gridmap.duty.on_duty.on_duty`'s answer, or None when the district has
    no duty roster: the panel says so, and shows no number.
    """
    if counts is None:
        return [html.Span(t("wall-duty-none", lang), className="wall-duty-none")]
    out = []
    for role, key in (("officer", "wall-duty-officers"), ("grid_member", "wall-duty-members")):
        out.append(
            html.Div(
                [
                    html.Span(t(key, lang), className="wall-duty-label"),
                    html.Span(
                        [
                            html.Span(f"{counts.on_duty[role]:,}", className="wall-duty-value"),
                            html.Span(f"/{counts.rostered[role]:,}", className="wall-duty-of"),
                        ],
                        className="wall-duty-line",
                    ),
                ],
                className=f"wall-duty-figure wall-duty-{role.replace('_', '-')}",
                **{"data-role": role},
            )
        )
    if synthetic:
        out.append(html.Span(t("wall-duty-synthetic", lang), className="wall-duty-synthetic"))
    return out


def tile_texts(name: str, moved: Change, lang: str) -> tuple[str, str]:
    """Return (change text, class name) of the change line of tile ``name``."""
    line = change_text(name, moved, lang)
    return line["text"], f"wall-kpi-change wall-change-{line['meaning']}"


def trend_bars(trend: dict, lang: str) -> list:
    """Return the 30-day trend: one bar a day (today highlighted) and the same-weekday average."""
    top = max(trend["max"], 1)
    today_weekday = trend["days"][-1]["weekday"] if trend["days"] else None
    bars, ticks = [], []
    last = len(trend["days"]) - 1
    for k, day in enumerate(trend["days"]):
        kind = "today" if k == last else ("same" if day["weekday"] == today_weekday else "day")
        bars.append(
            html.Div(
                className=f"wall-bar wall-bar-{kind}",
                style={"height": f"{100 * day['count'] / top:.1f}%"},
                title=f"{day['day']}: {day['count']}",
            )
        )
        ticks.append(
            html.Span(day["day"] if k in TREND_TICKS or k == last else "", className="wall-tick")
        )
    average = trend["average"]
    line = html.Div(className="wall-trend-average", style={"bottom": f"{100 * average / top:.1f}%"})
    moved = trend["change"]
    text, cls = tile_texts("today", moved, lang)
    summary = html.Div(
        [
            html.Span(
                t("wall-trend-today", lang, today=trend["today"], average=f"{average:.1f}"),
                className="wall-trend-figures",
            ),
            html.Span(text.split(" ", 1)[-1] if text else "", className=cls),
        ],
        className="wall-trend-summary",
    )
    return [
        summary,
        html.Div([*bars, line], className="wall-bars"),
        html.Div(ticks, className="wall-ticks"),
    ]


def split_bars(rows: list[dict]) -> list:
    """Return the category split: one bar a category, longest first, with count and share."""
    if not rows:
        return [html.Div("—", className="wall-empty")]
    top = max(r["count"] for r in rows)
    return [
        html.Div(
            [
                html.Span(r["label"], className="wall-split-label"),
                html.Div(
                    html.Div(
                        className=f"wall-split-bar wall-cat-{r['id']}",
                        style={"width": f"{100 * r['count'] / top:.1f}%"},
                    ),
                    className="wall-split-track",
                ),
                html.Span(f"{r['count']:,}", className="wall-split-count"),
                html.Span(f"{r['share']:.0%}", className="wall-split-share"),
            ],
            className="wall-split-row",
            key=r["id"],
        )
        for r in rows
    ]


def _rate(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def ranking_table(units: list[dict], lang: str) -> html.Table:
    """Return the ranking: worst first; the worst row and each column's worst value highlighted."""
    head = html.Tr(
        [
            html.Th("#"),
            html.Th(t("wall-ranking-name", lang), className="wall-rank-name"),
            html.Th(t("wall-ranking-count", lang)),
            html.Th(t("wall-ranking-per-1000", lang)),
            html.Th(t("wall-ranking-on-time", lang)),
            html.Th(t("wall-ranking-overdue", lang)),
        ]
    )
    rows = []
    for unit in units:
        worst = set(unit["worst"])

        def cell(key, text, worst=worst):
            return html.Td(text, className="wall-worst" if key in worst else None)

        per = unit["per_1000"]
        rows.append(
            html.Tr(
                [
                    html.Td(str(unit["rank"]), className="wall-rank-number"),
                    html.Td(unit["name"], className="wall-rank-name"),
                    cell("count", f"{unit['count']:,}"),
                    cell("per_1000", "—" if per is None else f"{per:.1f}"),
                    cell("on_time", _rate(unit["on_time"])),
                    cell("overdue", f"{unit['overdue']:,}"),
                ],
                className="wall-rank-row" + (" wall-rank-first" if unit["rank"] == 1 else ""),
                key=unit["id"],
            )
        )
    return html.Table([html.Thead(head), html.Tbody(rows)], className="wall-ranking-table")


def overdue_items(cases: list[dict], lang: str) -> list:
    """Return the overdue list: category, place, stage and time past the deadline."""
    if not cases:
        return [html.Li(t("wall-overdue-empty", lang), className="wall-overdue-empty")]
    return [
        html.Li(
            [
                html.Span(t("wall-overdue-by", lang, time=c["over"]), className="wall-overdue-by"),
                html.Span(c["category"], className="wall-overdue-category"),
                html.Span(f"{c['village']} · {c['township']}", className="wall-overdue-place"),
                html.Span(t(f"wall-stage-{c['stage']}", lang), className="wall-overdue-stage"),
            ],
            className="wall-overdue-row" + (" wall-escalated" if c.get("escalated") else ""),
            key=c["id"],
            **{"data-id": c["id"]},
        )
        for c in cases
    ]


def coverage_card(lang: str) -> html.Div:
    """Return the 5-minute coverage figure (its value filled by the refresh)."""
    return html.Section(
        [
            _label("wall-coverage", lang, className="wall-coverage-title"),
            html.Div(
                [
                    html.Span("—", id=ids.COVERAGE, className="wall-coverage-value"),
                    _label("wall-coverage-people", lang, html.Span, className="wall-coverage-unit"),
                ],
                className="wall-coverage-line",
            ),
        ],
        id=ids.panel("coverage"),
        className="wall-coverage",
    )
