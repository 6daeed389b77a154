"""The incident statistics of the selected grid, and the detail of one incident."""

from __future__ import annotations

import pandas as pd
from dash import dcc, html

from gridmap.i18n import t
from gridmap.incidents.categories import DEFAULTS, Categories
from gridmap.incidents.views import category_label
from gridmap.views.url_state import link_to
from layers.stats_figures import category_figure, trend_figure
from ui import ids
from ui.graph_config import with_locale

SMALL_GRAPH = {"displayModeBar": False, "showSendToCloud": False}
MAX_CHILD_ROWS = 30


def _figure(label: str, value: str, key: str) -> html.Div:
    return html.Div(
        [html.Div(label, className="kpi-label"), html.Div(value, className="kpi-value")],
        className="kpi small",
        id=f"stats-{key}",
    )


def stats_panel(stats: dict, lang: str) -> list:
    """Return the statistics section for ``stats`` (see incident_stats.grid_statistics)."""
    s = stats["summary"]
    rate = "—" if s["resolution_rate"] is None else f"{s['resolution_rate'] * 100:.1f}%"
    median = (
        "—"
        if s["median_hours_to_resolve"] is None
        else t("stats-hours", lang, hours=s["median_hours_to_resolve"])
    )
    tiles = html.Div(
        [
            _figure(t("stats-total", lang), f"{s['total']:,}", "total"),
            _figure(t("stats-open", lang), f"{s['open']:,}", "open"),
            _figure(t("stats-resolved", lang), f"{s['resolved']:,}", "resolved"),
            _figure(t("stats-rate", lang), rate, "rate"),
            _figure(t("stats-median", lang), median, "median"),
        ],
        className="kpi-grid",
    )
    body: list = [html.H3(t("stats-title", lang)), tiles]
    body.append(
        dcc.Graph(
            figure=trend_figure(stats["trend"], lang, stats.get("freq", "week")),
            config=with_locale(SMALL_GRAPH, lang),
            id="stats-trend",
        )
    )
    if len(stats["categories"]):
        body.append(
            dcc.Graph(
                figure=category_figure(stats["categories"], lang),
                config=with_locale(SMALL_GRAPH, lang),
                id="stats-categories",
            )
        )
    children: pd.DataFrame = stats["children"]
    if len(children):
        body.append(html.H4(t("stats-children", lang)))
        head = html.Tr(
            [
                html.Th("#"),
                html.Th(t("detail-name", lang)),
                html.Th(t("stats-count", lang)),
                html.Th(t("stats-per-1000", lang)),
            ]
        )
        rows = []
        for row in children.head(MAX_CHILD_ROWS).to_dict("records"):
            rate = row.get("per_1000")
            rows.append(
                html.Tr(
                    [
                        html.Td(row["rank"]),
                        html.Td(
                            dcc.Link(
                                row["name"],
                                href=link_to(row["grid_id"]),
                                id=ids.stats_child(row["grid_id"]),
                                className="link-button",
                            )
                        ),
                        html.Td(f"{int(row['count']):,}"),
                        html.Td("—" if rate is None or rate != rate else f"{rate:.1f}"),
                    ]
                )
            )
        body.append(html.Table([html.Thead(head), html.Tbody(rows)], className="worst-table"))
    return body


def incident_detail(
    row: dict | None, grid_name: str, lang: str, categories: Categories = DEFAULTS
) -> list:
    """Return the detail of one incident (empty when ``row`` is None).

    Its category is named as the district's ``categories`` name it.
    """
    if not row:
        return []

    def when(value) -> str:
        return "—" if value is None else f"{value:%Y-%m-%d %H:%M}"

    items = [
        ("incident-id", row["id"]),
        ("incident-category", category_label(row["category"], lang, categories)),
        ("incident-status", t(f"status-{row['status']}", lang)),
        ("incident-reported", when(row.get("reported_at"))),
        ("incident-resolved", when(row.get("resolved_at"))),
        ("incident-grid", grid_name),
        ("incident-unit", row.get("unit") or "—"),
        ("incident-reporter", row.get("reporter") or "—"),
        ("incident-description", row.get("description") or "—"),
    ]
    dl = []
    for key, value in items:
        dl.append(html.Dt(t(key, lang)))
        dl.append(html.Dd(value))
    return [html.H3(t("incident-title", lang)), html.Dl(dl, className="detail-list")]
