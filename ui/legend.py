"""The map's legend of the overlays that are on: heat, incident points, coverage and gaps."""

from __future__ import annotations

from dash import html

from gridmap.i18n import t
from layers.coverage_layer import COVERAGE_COLOR, GAPS_COLOR
from layers.incident_layers import HEAT_SCALE, STATUS_COLORS

#: The overlays with a legend entry, in the order they are listed.
LEGEND_LAYERS: tuple[str, ...] = ("heat", "incidents", "coverage", "gaps")


def _swatch(colour: str, shape: str = "box") -> html.Span:
    return html.Span(className=f"legend-{shape}", style={"background": colour})


def map_legend(layers: list[str] | None, lang: str) -> list:
    """Return the legend rows of the overlays among ``layers`` (the checked layer values)."""
    shown = set(layers or [])
    rows: list = []
    if "heat" in shown:
        stops = ", ".join(f"{colour} {int(at * 100)}%" for at, colour in HEAT_SCALE)
        ramp = {"background": f"linear-gradient(90deg, {stops})"}
        rows.append(
            html.Div(
                [
                    html.Span(t("layer-heat", lang), className="legend-name"),
                    html.Span(t("legend-few", lang), className="legend-end"),
                    html.Span(className="legend-ramp", style=ramp),
                    html.Span(t("legend-many", lang), className="legend-end"),
                ],
                className="legend-row",
                id="map-legend-heat",
            )
        )
    if "incidents" in shown:
        items: list = [html.Span(t("layer-incidents", lang), className="legend-name")]
        for status, colour in STATUS_COLORS.items():
            items += [_swatch(colour, "dot"), html.Span(t(f"status-{status}", lang))]
        rows.append(html.Div(items, className="legend-row", id="map-legend-incidents"))
    for key, colour in (("coverage", COVERAGE_COLOR), ("gaps", GAPS_COLOR)):
        if key in shown:
            rows.append(
                html.Div(
                    [_swatch(colour), html.Span(t(f"layer-{key}", lang))],
                    className="legend-row",
                    id=f"map-legend-{key}",
                )
            )
    return rows
