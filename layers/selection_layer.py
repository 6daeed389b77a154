"""The selected grid's outline, drawn as a line trace that never takes hover or clicks."""

from __future__ import annotations


def selection_trace(lons: list[float | None], lats: list[float | None]) -> dict:
    """Return a Scattermap line trace along the selection (None separates rings)."""
    return {
        "type": "scattermap",
        "name": "selection",
        "mode": "lines",
        "lon": lons,
        "lat": lats,
        "line": {"width": 3.5, "color": "#0b63ce"},
        "hoverinfo": "skip",
        "showlegend": False,
    }
