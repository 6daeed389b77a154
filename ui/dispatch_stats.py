"""The dispatch figures block of the statistics panel: on-time closure, rework, times, overdue."""

from __future__ import annotations

from dash import html

from gridmap.i18n import t


def _rate(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def _hours(mean: float | None, p90: float | None, lang: str) -> str:
    if mean is None:
        return "—"
    return t("dispatch-stats-hours", lang, mean=f"{mean:.1f}", p90=f"{(p90 or 0):.1f}")


def _tile(label: str, value: str, key: str) -> html.Div:
    return html.Div(
        [html.Div(label, className="kpi-label"), html.Div(value, className="kpi-value")],
        className="kpi small",
        id=f"dispatch-stats-{key}",
    )


def dispatch_stats(found: dict | None, lang: str, unit_label=lambda u, lang: u) -> list:
    """Return the block for ``found`` (:func:`web.dispatch_stats.grid_dispatch_figures`).

    ``unit_label(unit, lang)`` names a stored unit in ``lang``. Nothing when no case is counted.
    """
    if not found or not found.get("grid"):
        return []
    g = found["grid"]
    tiles = html.Div(
        [
            _tile(t("dispatch-stats-on-time", lang), _rate(g["on_time_rate"]), "on-time"),
            _tile(t("dispatch-stats-rework", lang), _rate(g["rework_rate"]), "rework"),
            _tile(
                t("dispatch-stats-to-dispatch", lang),
                _hours(g["dispatch_mean_h"], g["dispatch_p90_h"], lang),
                "to-dispatch",
            ),
            _tile(
                t("dispatch-stats-to-close", lang),
                _hours(g["close_mean_h"], g["close_p90_h"], lang),
                "to-close",
            ),
            _tile(t("dispatch-stats-overdue", lang), f"{g['overdue']:,}", "overdue"),
            _tile(t("dispatch-stats-open", lang), f"{g['open']:,}", "open"),
        ],  # fmt: skip
        className="kpi-grid",
    )
    body: list = [html.H3(t("dispatch-stats-title", lang)), tiles]
    if found.get("units"):
        head = html.Tr(
            [html.Th(t(k, lang)) for k in ("dispatch-stats-unit", "dispatch-stats-cases",
                                             "dispatch-stats-on-time", "dispatch-stats-overdue")]
        )  # fmt: skip
        rows = [
            html.Tr(
                [
                    html.Td(unit_label(u["key"], lang)),
                    html.Td(f"{u['cases']:,}"),
                    html.Td(_rate(u["on_time_rate"])),
                    html.Td(f"{u['overdue']:,}"),
                ]
            )
            for u in found["units"]
        ]
        body.append(
            html.Table([html.Thead(head), html.Tbody(rows)], className="worst-table unit-table")
        )
    body.append(html.P(t("dispatch-stats-note", lang), className="hint"))
    return body
